#!/usr/bin/env bash
# Is vendor/rust_xlsxwriter exactly crates.io's rust_xlsxwriter 0.102.0 plus
# vendor/rust_xlsxwriter/coagtag.patch? (vendor/rust_xlsxwriter/PATCH.md says why it is there.)
#
# Takes the published .crate from cargo's registry cache (after checking its SHA-256 against the
# checksum crates.io publishes, the one Cargo.lock held before the crate was vendored); if it is not
# there, `cargo fetch`es it through a throw-away project (needs network to crates.io). Unpacks it,
# applies the patch, and compares: `src/`, the licences, README.md and CHANGELOG.md byte for byte;
# Cargo.toml as the published one without its [[example]] and [[bench]] targets and
# [dev-dependencies] (their files are not vendored). Nothing else may be in the vendored directory
# but PATCH.md and coagtag.patch. Prints what differs; exits 0 when all is the same, 1 otherwise.
# Run by .ci/run; about a second once the .crate is cached.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=rust_xlsxwriter
VERSION=0.102.0
SHA256=6ca3d0e879a578c1313c2800ab0c6c029d38eed18098675e50341a30d32372ed
VENDORED=vendor/$NAME
CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

find_crate() {
    { find "$CARGO_HOME/registry/cache" -name "$NAME-$VERSION.crate" 2>/dev/null || true; } | head -n 1
}

crate=$(find_crate)
if [ -z "$crate" ]; then
    mkdir -p "$tmp/fetch/src"
    printf '[package]\nname = "fetch-%s"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n%s = "=%s"\n' \
        "$NAME" "$NAME" "$VERSION" >"$tmp/fetch/Cargo.toml"
    : >"$tmp/fetch/src/lib.rs"
    cargo fetch --quiet --manifest-path "$tmp/fetch/Cargo.toml"
    crate=$(find_crate)
fi
if [ -z "$crate" ]; then
    echo "check_vendor: $NAME-$VERSION.crate is not in $CARGO_HOME/registry/cache after cargo fetch" >&2
    exit 1
fi
if [ "$(sha256sum "$crate" | cut -d' ' -f1)" != "$SHA256" ]; then
    echo "check_vendor: $crate does not have crates.io's SHA-256 $SHA256" >&2
    exit 1
fi

tar -xzf "$crate" -C "$tmp"
pristine=$tmp/$NAME-$VERSION
(cd "$pristine" && patch -p1 --quiet --no-backup-if-mismatch --forward) <"$VENDORED/coagtag.patch"

status=0
diff -r "$pristine/src" "$VENDORED/src" >"$tmp/src.diff" || {
    echo "check_vendor: $VENDORED/src is not $NAME $VERSION + coagtag.patch:"
    head -n 40 "$tmp/src.diff"
    status=1
}
for file in LICENSE_Apache2.0 LICENSE_MIT README.md CHANGELOG.md; do
    cmp -s "$pristine/$file" "$VENDORED/$file" || {
        echo "check_vendor: $VENDORED/$file differs from $NAME $VERSION's"
        status=1
    }
done
# the published Cargo.toml without the tables of files not vendored
awk '/^\[/ { skip = ($0 == "[[example]]" || $0 == "[[bench]]" || $0 ~ /^\[dev-dependencies/) }
     !skip' "$pristine/Cargo.toml" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$tmp/Cargo.toml"
cmp -s "$tmp/Cargo.toml" "$VENDORED/Cargo.toml" || {
    echo "check_vendor: $VENDORED/Cargo.toml is not $NAME $VERSION's without [[example]], [[bench]], [dev-dependencies]:"
    diff "$tmp/Cargo.toml" "$VENDORED/Cargo.toml" | head -n 20
    status=1
}
extra=$(cd "$VENDORED" && ls -A | grep -vxE 'src|LICENSE_Apache2.0|LICENSE_MIT|README.md|CHANGELOG.md|Cargo.toml|PATCH.md|coagtag.patch' || true)
if [ -n "$extra" ]; then
    echo "check_vendor: unexpected files in $VENDORED: $extra"
    status=1
fi
if [ "$status" = 0 ]; then
    echo "check_vendor: $VENDORED is $NAME $VERSION + coagtag.patch"
fi
exit "$status"
