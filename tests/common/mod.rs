//! The one harness of the integration tests: where the repository and the shared corpora are,
//! how the real binary is run (and shown when it does not do as expected), golden files, and
//! CSV read back into rows.
//!
//! Each test file includes it with `mod common;` and uses what it needs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

pub use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file of the shared corpora (`../shared/corpora`), which the tests read where it lies.
pub fn corpus(rel: &str) -> PathBuf {
    let p = root().join("../shared/corpora").join(rel);
    assert!(
        p.exists(),
        "{} is missing: these tests need the shared corpora beside the checkout (../shared/corpora)",
        p.display()
    );
    p
}

/// The binary's path (to spawn it as a child process and talk to it).
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_coagtag")
}

/// The binary, to run in `dir`.
pub fn coagtag_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("coagtag").expect("the binary is built");
    c.current_dir(dir);
    c
}

/// The binary, to run in the repository root.
pub fn coagtag() -> Command {
    coagtag_in(&root())
}

/// Everything about a run: the command, its status, stdout and stderr.
pub fn show(what: &str, out: &Output) -> String {
    format!(
        "command: {what}\nstatus: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Run `coagtag ARGS` in `dir` with `stdin`, and check the exit code; on another, show
/// everything about the run.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>, want: i32) -> Output {
    let mut cmd = coagtag_in(dir);
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let out = cmd.output().expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(want),
        "{}",
        show(&format!("coagtag {}", args.join(" ")), &out)
    );
    out
}

/// Run `coagtag ARGS` in the repository root and check the exit code.
pub fn run(args: &[&str], want: i32) -> Output {
    run_in(&root(), args, None, want)
}

/// Run a prepared command that must succeed; its standard output.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the binary runs");
    assert!(out.status.success(), "{}", show(&format!("{cmd:?}"), &out));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Whether golden files are to be rewritten: `COAGTAG_BLESS=1`, and never in CI (`CI` set),
/// where asking for it is an error.
fn blessing() -> bool {
    let bless = std::env::var_os("COAGTAG_BLESS").is_some_and(|v| v == "1");
    assert!(
        !(bless && std::env::var_os("CI").is_some()),
        "COAGTAG_BLESS is set in CI: golden files are never rewritten there"
    );
    bless
}

/// Compare `actual` with the golden file `tests/golden/NAME` byte for byte, or rewrite it when
/// blessing (see `tests/golden/README.md`).
pub fn golden(name: &str, actual: &[u8]) {
    let path = root().join("tests/golden").join(name);
    if blessing() {
        std::fs::create_dir_all(path.parent().expect("a golden file is in a directory")).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with COAGTAG_BLESS=1 cargo test", path.display()));
    if want != actual {
        let (w, a) = (String::from_utf8_lossy(&want), String::from_utf8_lossy(actual));
        let diffs: Vec<String> = w
            .lines()
            .zip(a.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .take(5)
            .map(|(i, (x, y))| format!("line {}:\n  golden: {x}\n  actual: {y}", i + 1))
            .collect();
        panic!(
            "{name} differs from its golden file ({} vs {} lines); first differences:\n{}\n\
             if the change is intended: COAGTAG_BLESS=1 cargo test",
            w.lines().count(),
            a.lines().count(),
            diffs.join("\n")
        );
    }
}

/// A CSV file as rows of cells, every row as long as the header (the first row). The Excel
/// dialect's byte-order mark belongs to the file, not to the first cell.
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    read_csv_from(open(path), false)
}

/// A CSV file whose rows may differ in length (as a spreadsheet program writes them).
pub fn read_ragged_csv(path: &Path) -> Vec<Vec<String>> {
    read_csv_from(open(path), true)
}

/// CSV text as rows of cells.
pub fn read_csv_str(text: &str) -> Vec<Vec<String>> {
    read_csv_from(text.as_bytes(), false)
}

fn open(path: &Path) -> std::fs::File {
    std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_csv_from(r: impl std::io::Read, ragged: bool) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(ragged)
        .from_reader(r)
        .records()
        .map(|rec| rec.expect("a CSV record").iter().map(String::from).collect())
        .collect();
    if let Some(first) = rows.first_mut().and_then(|r| r.first_mut())
        && let Some(rest) = first.strip_prefix('\u{feff}')
    {
        *first = rest.to_string();
    }
    rows
}

/// A CSV cell without the spreadsheet guard the products put before a formula-like text.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}
