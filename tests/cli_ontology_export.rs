//! `coagtag ontology export` end to end: the real binary, a temporary directory.

mod common;

use common::coagtag;

const YAML: &str = "ontology: {id: t, name: T, version: '1'}\nconcepts:\n  - id: fibrin\n    label: Fibrin\n    synonyms: [fibrin]\n    abbreviations: [FB]\n";

#[test]
fn exports_tsv_to_stdout_and_obo_to_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ont = dir.path().join("t.yaml");
    std::fs::write(&ont, YAML).expect("write ontology");
    let out = coagtag()
        .args(["ontology", "export", "--format", "tsv", "--ontology"])
        .arg(&ont)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "concept_id\tterm\tkind\tcase_sensitive\tvariant_of\nfibrin\tfibrin\tsynonym\tno\t\nfibrin\tFB\tabbreviation\tyes\t\n"
    );
    let obo = dir.path().join("t.obo");
    let st = coagtag()
        .args(["ontology", "export", "--format", "obo", "-o"])
        .arg(&obo)
        .arg("--ontology")
        .arg(&ont)
        .output()
        .expect("runs");
    assert!(st.status.success());
    assert_eq!(
        std::fs::read_to_string(&obo).expect("written"),
        "format-version: 1.4\ndata-version: 1\nsynonymtypedef: ABBREVIATION \"abbreviation, matched case-sensitively\"\nontology: t\n\n[Term]\nid: T:fibrin\nname: Fibrin\nsynonym: \"fibrin\" EXACT []\nsynonym: \"FB\" EXACT ABBREVIATION []\n"
    );
}

#[test]
fn a_broken_ontology_exits_2_with_the_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ont = dir.path().join("bad.yaml");
    std::fs::write(&ont, "concepts:\n  - id: x\n    label: X\n    parent: nowhere\n").expect("write");
    let out = coagtag()
        .args(["ontology", "export", "--ontology"])
        .arg(&ont)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("parent \"nowhere\" is not a concept"));
    assert!(out.stdout.is_empty());
}
