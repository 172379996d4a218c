//! Drive the real binary on the bundled fixtures: the README quick start, golden matrices,
//! every input format, exit codes and messages.

mod common;

use common::{binary, coagtag_in, corpus, golden, gzip, root, show};

#[test]
fn readme_quick_start_writes_the_golden_matrix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("fixtures")).unwrap();
    std::fs::copy(
        root().join("fixtures/sepsis25.jsonl"),
        dir.path().join("fixtures/sepsis25.jsonl"),
    )
    .unwrap();
    let out = coagtag_in(dir.path())
        .args(["tag", "fixtures/sepsis25.jsonl", "-o", "matrix.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        show("tag fixtures/sepsis25.jsonl -o matrix.csv", &out)
    );
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("coagtag: 25 articles, "), "{stderr}");
    let matrix = std::fs::read_to_string(dir.path().join("matrix.csv")).unwrap();
    golden("quickstart_matrix.csv", matrix.as_bytes());
    // every article is a column, in input order, also those with no mention
    let header = matrix.lines().next().unwrap();
    let ids: Vec<String> = std::fs::read_to_string(root().join("fixtures/sepsis25.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(header, format!("concept_id,label,category,{}", ids.join(",")));
}

#[test]
fn csv_and_jsonl_inputs_give_the_same_matrix() {
    let a = coagtag_in(&root())
        .args(["tag", "fixtures/sepsis25.jsonl", "-q"])
        .output()
        .unwrap();
    let b = coagtag_in(&root())
        .args(["tag", "fixtures/sepsis25.csv", "-q"])
        .output()
        .unwrap();
    assert!(a.status.success() && b.status.success());
    assert_eq!(
        String::from_utf8(a.stdout).unwrap(),
        String::from_utf8(b.stdout).unwrap()
    );
}

#[test]
fn binary_values_and_article_rows() {
    let out = coagtag_in(&root())
        .args([
            "tag",
            "fixtures/sepsis25.jsonl",
            "--values",
            "binary",
            "--layout",
            "articles",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        show("tag --values binary --layout articles", &out)
    );
    golden("quickstart_binary_articles.csv", &out.stdout);
}

#[test]
fn standard_input_is_sniffed_or_needs_a_format() {
    let data = std::fs::read(root().join("fixtures/sepsis25.jsonl")).unwrap();
    let file = coagtag_in(&root())
        .args(["tag", "fixtures/sepsis25.jsonl", "-q"])
        .output()
        .unwrap();
    // JSON lines are recognised from their first bytes
    let out = coagtag_in(&root())
        .args(["tag", "-", "-q"])
        .write_stdin(data.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show("tag -", &out));
    assert_eq!(out.stdout, file.stdout);
    let out = coagtag_in(&root())
        .args(["tag", "-", "--format", "jsonl", "-q"])
        .write_stdin(data)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, file.stdout);
    // plain text cannot be told apart from anything else: no article read, exit 2
    let out = coagtag_in(&root())
        .args(["tag", "-"])
        .write_stdin("hello world\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show("tag -", &out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "coagtag: error: -: cannot tell the format of standard input (fix: name its format: --format jsonl|csv|tsv|text|pubmed|medline|pubtator|bioc|jats|bioc-json)\n\
         coagtag: 1 file not fully read\n\
         coagtag: error: no article was read from the inputs; nothing written (files already there are untouched)\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn gzip_inputs_read_like_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("corpus.jsonl.gz");
    std::fs::write(
        &gz,
        gzip(&std::fs::read(root().join("fixtures/sepsis25.jsonl")).unwrap()),
    )
    .unwrap();
    let a = coagtag_in(dir.path())
        .args(["tag", "corpus.jsonl.gz", "-q"])
        .output()
        .unwrap();
    let b = coagtag_in(&root())
        .args(["tag", "fixtures/sepsis25.jsonl", "-q"])
        .output()
        .unwrap();
    assert!(a.status.success(), "{}", show("tag corpus.jsonl.gz", &a));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn a_directory_of_text_files_is_one_document_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    // NETs and DIC count with their context terms (neutrophils; bleeding): the default ontology
    // makes them conditional abbreviations
    std::fs::write(
        docs.join("b.txt"),
        "Tissue factor (TF) and NETs from neutrophils drive DIC and bleeding.",
    )
    .unwrap();
    std::fs::write(docs.join("a.txt"), "Nothing relevant here.").unwrap();
    std::fs::write(docs.join("ignored.md"), "tissue factor").unwrap();
    let out = coagtag_in(dir.path())
        .args(["tag", "docs", "--layout", "articles", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show("tag docs", &out));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[1].starts_with("a,"), "{text}");
    assert!(rows[2].starts_with("b,"), "{text}");
    let header: Vec<&str> = rows[0].split(',').collect();
    let cell = |name: &str| {
        let i = header.iter().position(|h| *h == name).unwrap();
        rows[2].split(',').nth(i).unwrap().to_string()
    };
    assert_eq!(cell("tissue_factor"), "2");
    assert_eq!(cell("neutrophil_extracellular_traps"), "1");
    assert_eq!(cell("disseminated_intravascular_coagulation"), "1");
    assert_eq!(rows[1].split(',').skip(1).filter(|c| *c != "0").count(), 0);
}

#[test]
fn bad_records_are_reported_skipped_and_fail_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mixed.jsonl"),
        "{\"id\": \"1\", \"text\": \"tissue factor\"}\n{broken\n{\"id\": \"3\", \"text\": \"thrombin\"}\n",
    )
    .unwrap();
    let out = coagtag_in(dir.path())
        .args(["tag", "mixed.jsonl", "-o", "m.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show("tag mixed.jsonl", &out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("coagtag: error: mixed.jsonl:2: record 2: invalid JSON at column 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("coagtag: 1 record skipped; every other article is in the output"),
        "{stderr}"
    );
    let m = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    assert!(m.starts_with("concept_id,label,category,1,3\n"), "{m}");
    // --strict stops at the first problem and writes nothing
    let out = coagtag_in(dir.path())
        .args(["tag", "mixed.jsonl", "-o", "strict.csv", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("strict.csv").exists());
}

#[test]
fn a_missing_input_file_stops_the_run_before_it_starts() {
    let out = coagtag_in(&root())
        .args(["tag", "no/such.jsonl", "fixtures/sepsis25.jsonl", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "coagtag: error: no/such.jsonl: no such file or directory (fix: check the path)\n\
         coagtag: stopped before reading anything: 1 input cannot be read; nothing written\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn ontology_errors_stop_before_reading_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "concepts:\n  - id: a\n    label: A\n    parent: b\n",
    )
    .unwrap();
    let out = coagtag_in(dir.path())
        .args(["tag", "x.jsonl", "--ontology", "bad.yaml", "-o", "m.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // the missing input and the ontology's problem, together
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "coagtag: error: x.jsonl: no such file or directory (fix: check the path)\n\
         coagtag: the ontology has 1 problem:\n  bad.yaml:2: concept \"a\": parent \"b\" is not a concept (fix: name an existing concept id, or remove `parent:` for a top-level category)\n\
         coagtag: stopped before reading anything: 1 input cannot be read; nothing written\n"
    );
    assert!(!dir.path().join("m.csv").exists());
}

#[test]
fn user_ontology_extends_the_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.yaml"),
        "extend:\n  - id: tissue_factor\n    synonyms: [factor three]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("d.jsonl"),
        "{\"id\": \"x\", \"text\": \"Factor three was high.\"}\n",
    )
    .unwrap();
    let out = coagtag_in(dir.path())
        .args([
            "tag",
            "d.jsonl",
            "--ontology",
            "default",
            "--ontology",
            "mine.yaml",
            "--layout",
            "articles",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show("tag with extension", &out));
    let text = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    let i = header.iter().position(|h| *h == "tissue_factor").unwrap();
    assert_eq!(row[i], "1");
}

#[test]
fn check_summarises_the_default_ontology() {
    let out = coagtag_in(&root()).args(["check"]).output().unwrap();
    assert!(out.status.success(), "{}", show("check", &out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ontology: sic "), "{text}");
    assert!(text.contains("\ncategory "), "{text}");
    assert!(text.ends_with("ok: no problems found\n"), "{text}");
    let out = coagtag_in(&root()).args(["check", "--variants"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\nconcept\tterm\tvariant\n"), "{text}");
    assert!(
        text.contains(
            "\nneutrophil_extracellular_traps\tneutrophil extracellular trap\tneutrophil extracellular traps\n"
        )
    );
}

#[test]
fn check_fails_on_a_broken_ontology() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("o.yaml"),
        "concepts:\n  - id: a\n    label: A\n    synonyms: [x]\n    examples:\n      match: [\"nothing here\"]\n",
    )
    .unwrap();
    let out = coagtag_in(dir.path())
        .args(["check", "--ontology", "o.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "coagtag: the ontology has 1 problem:\n  o.yaml:2: concept \"a\": example \"nothing here\" should tag as this concept but finds no mentions (fix: add the missing term (or fix the sentence))\n"
    );
}

#[test]
fn output_is_written_atomically_and_replaces_old_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.csv"), "old").unwrap();
    let out = coagtag_in(dir.path())
        .args([
            "tag",
            root().join("fixtures/sepsis25.jsonl").to_str().unwrap(),
            "-o",
            "m.csv",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["m.csv"]);
    assert!(
        std::fs::read_to_string(dir.path().join("m.csv"))
            .unwrap()
            .starts_with("concept_id,")
    );
}

// Regression: `coagtag ... | head -1` printed "cannot write -: Broken pipe" (csv wraps the io
// error) and `check --variants | head -1` panicked; a closed pipe is success.
#[test]
fn a_closed_pipe_is_success() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let bin = binary();
    let corpus = corpus("sepsis/sepsis_coag_subset.xml.gz");
    for args in [
        vec!["tag", corpus.to_str().unwrap(), "-q"],
        vec!["tag", corpus.to_str().unwrap(), "--evidence", "-", "-q"],
        vec!["check", "--variants"],
    ] {
        let mut child = std::process::Command::new(bin)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        // the reader is dropped here: the pipe is closed after one line
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

/// The `explain` example in the README is what `explain` prints.
#[test]
fn readme_explain_example_is_what_explain_prints() {
    for doc in ["README.md", "docs/qualifiers.md"] {
        explain_example_is_what_explain_prints(doc);
    }
}

fn explain_example_is_what_explain_prints(doc: &str) {
    let readme = std::fs::read_to_string(root().join(doc)).unwrap();
    let start = readme
        .find("$ coagtag explain \"")
        .unwrap_or_else(|| panic!("{doc} shows an explain example"));
    let block = &readme[start..];
    let block = &block[..block.find("```").expect("the example's block ends")];
    let (command, printed) = block.split_once('\n').unwrap();
    let text = command
        .strip_prefix("$ coagtag explain \"")
        .and_then(|t| t.strip_suffix('"'))
        .expect("one quoted text");
    let out = coagtag_in(&root()).args(["explain", text]).output().unwrap();
    assert!(out.status.success(), "{}", show("explain", &out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), printed, "{doc}");
}
