//! Every input kept from fuzzing (`fuzz/regressions/TARGET/`: what a fuzzer found, and a small
//! minimised corpus per target) runs through the fuzz target's own code, which panics on any
//! failure. See docs/reliability.md.

#[path = "../fuzz/src/lib.rs"]
mod harness;

mod common;

use std::path::PathBuf;

use common::root;

#[test]
fn every_kept_fuzz_input_reads_without_a_panic() {
    let root = root().join("fuzz/regressions");
    let mut ran = Vec::new();
    for (target, _, _) in harness::TARGETS {
        let dir = root.join(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in &files {
            let data = std::fs::read(f).unwrap();
            eprintln!("{}", f.display());
            harness::run(target, &data);
        }
        ran.push((target, files.len()));
    }
    // every target keeps inputs
    assert!(ran.iter().all(|(_, n)| *n > 0), "{ran:?}");
}
