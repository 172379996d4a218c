//! The end-to-end agreement check (`scripts/agreement.py`, run by `scripts/bench_e2e.sh`) names
//! the cause of every cell where coagtag and the Python baseline differ, and fails on a cell that
//! no coagtag rule explains. `scripts/test_agreement.py` checks both on a tiny PubMed fixture
//! with this build of the binary; it needs only Python 3's standard library, not pyahocorasick.
//!
//! Needs `python3` (`.ci/run` installs it). The test fails, with that fix, where it is missing: a
//! skipped check proves nothing.

mod common;

use std::process::Command;

use common::{binary, root};

#[test]
fn agreement_classifier_names_every_cause_and_fails_on_an_unexplained_cell() {
    let out = Command::new("python3")
        .arg(root().join("scripts/test_agreement.py"))
        .env("COAGTAG_BIN", binary())
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}); install it: apt-get update && apt-get install -y python3")
        });
    assert!(
        out.status.success(),
        "scripts/test_agreement.py failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
