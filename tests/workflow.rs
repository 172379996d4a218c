//! The Snakemake workflow (`workflow/`, docs/scale.md) run locally with `snakemake --cores 2`
//! on the shared PubMed files and a file with a broken record: its merged run is one
//! `coagtag tag` over the same files in the same order, the manifest aside, and the broken
//! record's warning reaches the merged manifest.
//!
//! Needs `snakemake` on PATH (`.ci/run` installs it from PyPI into a virtual environment:
//! `python3 -m venv DIR && DIR/bin/pip install snakemake`), or its path in `COAGTAG_SNAKEMAKE`.

mod common;

use std::process::Command;

use common::{binary, corpus, root, run, s};

#[test]
fn the_workflow_merges_one_run_per_file_into_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = common::dtd_year_files();
    files.insert(2, common::broken_pubmed(dir.path()));
    files.push(corpus("pubmed/medline16n0902.xml.gz"));
    let config = dir.path().join("config.yaml");
    let mut yaml = String::from("inputs:\n");
    for f in &files {
        yaml.push_str(&format!("  - {:?}\n", s(f)));
    }
    yaml.push_str(&format!(
        "coagtag: {:?}\noptions: [\"--values\", \"binary\"]\nthreads: 1\n",
        binary()
    ));
    std::fs::write(&config, yaml).unwrap();
    let snakemake = std::env::var("COAGTAG_SNAKEMAKE").unwrap_or_else(|_| "snakemake".into());
    let out = Command::new(&snakemake)
        .arg("-s")
        .arg(root().join("workflow/Snakefile"))
        .arg("--directory")
        .arg(dir.path())
        .arg("--configfile")
        .arg(&config)
        .args(["--cores", "2", "--quiet"])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {snakemake} ({e}): install Snakemake from PyPI (python3 -m venv DIR && DIR/bin/pip install snakemake; .ci/run does) and put it on PATH, or name it in COAGTAG_SNAKEMAKE"
            )
        });
    assert!(out.status.success(), "{}", common::show("snakemake", &out));
    let merged = dir.path().join("results/all");
    let all = dir.path().join("single");
    let mut args = vec!["tag"];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--out-dir", s(&all), "--values", "binary", "-q"]);
    // the broken record: exit 1, every other article written
    run(&args, 1);
    common::assert_same(&all, &merged);
    let (ma, mb) = (common::manifest(&all), common::manifest(&merged));
    assert_eq!(ma["records"], mb["records"]);
    assert_eq!(mb["records"]["skipped"], 1);
    assert_eq!(mb["records"]["files"], 8);
    assert_eq!(ma["warnings"], mb["warnings"]);
    assert!(
        mb["warnings"][0]
            .as_str()
            .unwrap()
            .ends_with("the record has no PMID (fix: every PubmedArticle needs <MedlineCitation><PMID>)"),
        "{}",
        mb["warnings"]
    );
    // one run directory per file
    assert_eq!(
        std::fs::read_dir(dir.path().join("results/runs"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count(),
        8
    );
}
