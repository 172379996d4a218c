//! Issue 17, "Nothing lost, every problem at once": one test per failure a new user ran into,
//! each asserting the exit code, the message, and that output files already there come out
//! byte-identical; and a real SIGINT sent to the real binary mid-run.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{changed, code, corpus, fixture, gzip, output_in, snapshot, stderr};

/// A directory holding the products of a good run: `keep.csv` (the matrix), `od/` (every
/// product) and `m.json` (a manifest).
fn with_good_products() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture("sepsis25.jsonl");
    for args in [
        vec!["tag", &good, "-o", "keep.csv", "-q"],
        vec!["tag", &good, "--out-dir", "od", "-q"],
        vec!["tag", &good, "--manifest", "m.json", "--evidence", "ev.csv", "-q"],
    ] {
        let out = output_in(dir.path(), &args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    dir
}

const NOTHING_READ: &str =
    "coagtag: error: no article was read from the inputs; nothing written (files already there are untouched)\n";

/// Why 1: a mistyped input path replaced a good matrix with an empty one (and with --out-dir or
/// --manifest gave a misleading message).
#[test]
fn a_mistyped_input_path_stops_the_run_and_keeps_every_product() {
    let dir = with_good_products();
    let before = snapshot(dir.path());
    let good = fixture("sepsis25.jsonl");
    for args in [
        vec!["tag", "nothere.xml.gz", "-o", "keep.csv"],
        vec!["tag", "nothere.xml.gz", "--out-dir", "od"],
        vec!["tag", "nothere.xml.gz", "--manifest", "m.json", "--evidence", "ev.csv"],
        // a good input beside the bad one changes nothing: the run does not start
        vec!["tag", &good, "nothere.xml.gz", "-o", "keep.csv"],
    ] {
        let out = output_in(dir.path(), &args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            "coagtag: error: nothere.xml.gz: no such file or directory (fix: check the path)\n\
             coagtag: stopped before reading anything: 1 input cannot be read; nothing written\n",
            "{args:?}"
        );
        assert_eq!(
            changed(&before, &snapshot(dir.path())),
            Vec::<String>::new(),
            "{args:?}"
        );
    }
    // every bad path at once, a near name suggested; the workbench commands check too
    std::fs::write(dir.path().join("notes"), "plain words").unwrap();
    let before = snapshot(dir.path());
    let out = output_in(dir.path(), &["stats", "kep.csv", "notes", "-o", "keep.csv"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "coagtag: error: kep.csv: no such file or directory (fix: did you mean keep.csv?)\n\
         coagtag: error: notes: cannot tell the format from the file name or its first bytes (fix: name the file .jsonl, .csv, .tsv, .txt, .xml, .nxml, .json, .nbib or .pubtator (optionally .gz), or name its format: --format jsonl|csv|tsv|text|pubmed|medline|pubtator|bioc|jats|bioc-json)\n\
         coagtag: stopped before reading anything: 2 inputs cannot be read; nothing written\n"
    );
    assert_eq!(changed(&before, &snapshot(dir.path())), Vec::<String>::new());
    // an --out-dir made for a run that reads nothing goes again
    let out = output_in(dir.path(), &["tag", "nothere.jsonl", "--out-dir", "fresh"]);
    assert_eq!(code(&out), 2);
    assert!(!dir.path().join("fresh").exists());
}

/// Why 1 (the rest): a run that read no article replaces no product, and never claims that
/// "every other article is in the output".
#[test]
fn a_run_that_reads_no_article_replaces_nothing() {
    let dir = with_good_products();
    std::fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    std::fs::write(dir.path().join("broken.jsonl"), "{\"id\": \"1\", \"text\": \n").unwrap();
    let before = snapshot(dir.path());
    for args in [
        vec!["tag", "empty.jsonl", "-o", "keep.csv"],
        vec!["tag", "empty.jsonl", "broken.jsonl", "--out-dir", "od"],
    ] {
        let out = output_in(dir.path(), &args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.ends_with(NOTHING_READ), "{args:?}: {err}");
        assert!(!err.contains("every other article"), "{err}");
        assert_eq!(
            changed(&before, &snapshot(dir.path())),
            Vec::<String>::new(),
            "{args:?}"
        );
    }
    let out = output_in(dir.path(), &["tag", "empty.jsonl", "broken.jsonl", "-o", "keep.csv"]);
    assert_eq!(
        stderr(&out),
        format!(
            "coagtag: error: empty.jsonl: the file holds no articles (it is empty) (fix: check that it was exported or downloaded completely; it is skipped)\n\
             coagtag: error: broken.jsonl:1: record 1: invalid JSON at column 19: EOF while parsing a value at line 1 column 19\n\
             coagtag: 1 record skipped, 1 file holds no articles\n{NOTHING_READ}"
        )
    );
}

/// Why 2: an empty input gets one message whatever its format, and one rule for the exit code
/// (2 and nothing written when no input held an article, 1 when another did).
#[test]
fn an_empty_input_gets_one_message_whatever_its_format() {
    let dir = with_good_products();
    let empties: [(&str, Vec<u8>); 11] = [
        ("e.jsonl", Vec::new()),
        ("e.jsonl.gz", gzip(b"")),
        ("e.csv", b"id,title,abstract\n".to_vec()),
        ("e.tsv", Vec::new()),
        ("e.xml", Vec::new()),
        ("e.xml.gz", gzip(b"\n\n")),
        ("e.nbib", b"\n".to_vec()),
        ("e.pubtator", Vec::new()),
        ("e.BioC.xml", b"  \n".to_vec()),
        ("e.txt", b"\n \n".to_vec()),
        (
            "set.xml",
            b"<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n".to_vec(),
        ),
    ];
    for (name, data) in &empties {
        std::fs::write(dir.path().join(name), data).unwrap();
    }
    let before = snapshot(dir.path());
    let message = |name: &str| {
        format!(
            "coagtag: error: {name}: the file holds no articles (it is empty) (fix: check that it was exported or downloaded completely; it is skipped)\n"
        )
    };
    for (name, _) in &empties {
        let out = output_in(dir.path(), &["tag", name, "-o", "keep.csv"]);
        assert_eq!(code(&out), 2, "{name}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!("{}coagtag: 1 file holds no articles\n{NOTHING_READ}", message(name)),
            "{name}"
        );
        assert_eq!(changed(&before, &snapshot(dir.path())), Vec::<String>::new(), "{name}");
    }
    // beside an input that holds articles: reported, the rest written, exit 1
    let good = fixture("sepsis25.jsonl");
    let out = output_in(dir.path(), &["tag", "e.csv", &good, "e.xml", "-o", "fresh.csv", "-q"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!(
            "{}{}coagtag: 2 files hold no articles; every other article is in the output\n",
            message("e.csv"),
            message("e.xml")
        )
    );
    let written = std::fs::read_to_string(dir.path().join("fresh.csv")).unwrap();
    assert_eq!(written, std::fs::read_to_string(dir.path().join("keep.csv")).unwrap());
}

/// Why 3: one YAML mistake hid the others; a label under `extend:` and a tab were not explained.
#[test]
fn every_ontology_problem_of_every_file_is_reported_in_one_run() {
    let dir = with_good_products();
    std::fs::write(
        dir.path().join("mine.yaml"),
        "concepts:\n  - id: shedding\n    label: Shedding\n    synonym: [glycocalyx shedding]\n    parent: endothelial_dysfunctin\n  - id: shedding\n    label: [Again]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ext.yaml"),
        "extend:\n  - id: syndecan\n    label: Syndecan-1\n    synonyms: [syndecan-1]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tabs.yaml"),
        "extend:\n  - id: tissue_factor\n\tsynonyms: [CD142]\n",
    )
    .unwrap();
    let before = snapshot(dir.path());
    let problems = "the ontology has 6 problems:\n  \
        mine.yaml:4: concept \"shedding\": unknown key `synonym` in a concept (fix: did you mean `synonyms`?)\n  \
        mine.yaml:7: concept \"shedding\": `label:` must be a text, not a list (fix: see docs/ontology.md for what each key holds)\n  \
        mine.yaml:6: concept \"shedding\": duplicate id, first defined at mine.yaml:2 (fix: rename one of them, or use `extend:` to add terms to the first)\n  \
        ext.yaml:3: concept \"syndecan\": `label:` under `extend:`: new concepts belong under `concepts:` (fix: move the entry under `concepts:` to add a concept; an `extend:` entry only adds synonyms, abbreviations, exclude, ambiguous and examples to a concept defined in another file)\n  \
        tabs.yaml:3: a tab in the indentation: YAML indents with spaces only (fix: replace the tab with spaces (editors: \"convert indentation to spaces\"))\n  \
        mine.yaml:2: concept \"shedding\": parent \"endothelial_dysfunctin\" is not a concept (fix: did you mean \"endothelial_dysfunction\"?)\n";
    let onto = [
        "--ontology",
        "default",
        "--ontology",
        "mine.yaml",
        "--ontology",
        "ext.yaml",
        "--ontology",
        "tabs.yaml",
    ];
    let out = output_in(dir.path(), &[&["check"][..], &onto].concat());
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out), format!("coagtag: {problems}"));
    let good = fixture("sepsis25.jsonl");
    let out = output_in(dir.path(), &[&["tag", &good, "-o", "keep.csv"][..], &onto].concat());
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        format!("coagtag: {problems}coagtag: stopped before reading anything; nothing written\n")
    );
    assert_eq!(changed(&before, &snapshot(dir.path())), Vec::<String>::new());
}

/// Why 4: `check` did not name the extension file, and an empty extension passed as "ok".
#[test]
fn check_names_every_file_and_warns_on_an_extension_that_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.yaml"),
        "extend:\n  - id: tissue_factor\n    synonyms: [factor III antigen]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.yaml"), "").unwrap();
    let out = output_in(
        dir.path(),
        &[
            "check",
            "--ontology",
            "default",
            "--ontology",
            "mine.yaml",
            "--ontology",
            "empty.yaml",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let head: Vec<&str> = stdout.lines().take(3).collect();
    assert_eq!(
        head,
        vec![
            "ontology: sic 0.2.0 (ontology/sepsis_coagulopathy.yaml (embedded default)): 246 concepts",
            "ontology: mine.yaml: extends 1 concept with 1 term",
            "ontology: empty.yaml: 0 concepts",
        ]
    );
    assert!(
        stdout.ends_with("ok: no problems found; 1 warning (on standard error)\n"),
        "{stdout}"
    );
    assert_eq!(
        stderr(&out),
        "coagtag: warning: empty.yaml: the file adds nothing: it defines no concept and extends none (fix: check that it is the file you meant; see docs/ontology.md for the format)\n"
    );
    // quiet: nothing but problems
    let out = output_in(
        dir.path(),
        &["check", "-q", "--ontology", "default", "--ontology", "empty.yaml"],
    );
    assert_eq!((code(&out), out.stdout.len(), out.stderr.len()), (0, 0, 0));
}

/// Why 6: a truncated `.gz` reported an offset larger than the file without saying that it
/// counts decompressed bytes.
#[test]
fn offsets_in_a_truncated_gz_say_they_count_decompressed_bytes() {
    let dir = with_good_products();
    let whole = std::fs::read(corpus("sepsis/sepsis_coag_subset.xml.gz")).unwrap();
    let cut = &whole[..200_000];
    std::fs::write(dir.path().join("cut.xml.gz"), cut).unwrap();
    let before = snapshot(dir.path());
    let out = output_in(dir.path(), &["tag", "cut.xml.gz", "-o", "fresh.csv"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    let line = err.lines().next().unwrap();
    assert!(
        line.starts_with("coagtag: error: cut.xml.gz: byte ")
            && line.contains(" of the decompressed data (the file holds 200000 bytes of gzip data): record ")
            && line.ends_with(
                "the gzip data ends early (truncated file) (fix: download the file again; `gzip -t FILE` checks it)"
            ),
        "{err}"
    );
    let byte: u64 = line["coagtag: error: cut.xml.gz: byte ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(byte > 200_000, "the offset counts decompressed bytes: {byte}");
    assert!(
        err.ends_with("coagtag: 1 file not fully read; every other article is in the output\n"),
        "{err}"
    );
    // the articles before the cut are written; nothing else changed
    let mut after = snapshot(dir.path());
    assert!(
        after
            .remove("fresh.csv")
            .is_some_and(|m| m.starts_with(b"concept_id,label,category,"))
    );
    assert_eq!(changed(&before, &after), Vec::<String>::new());
    // cut before the first article ends: nothing read, nothing replaced
    // (1,000 compressed bytes hold 2,578 bytes of XML; the first record ends at byte 4,818)
    std::fs::write(dir.path().join("cut.xml.gz"), &whole[..1_000]).unwrap();
    let before = snapshot(dir.path());
    let out = output_in(dir.path(), &["tag", "cut.xml.gz", "-o", "keep.csv"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).ends_with(NOTHING_READ));
    assert_eq!(changed(&before, &snapshot(dir.path())), Vec::<String>::new());
}

/// Why 7: replacement warnings repeated on every call, `explain` had no `-q`, and `explain
/// FILE` without `--pmid` explained the path as text.
#[test]
fn repeated_warnings_are_one_line_quiet_is_everywhere_and_explain_wants_an_id() {
    let dir = with_good_products();
    let line = |id: &str| format!("{{\"id\": \"{id}\", \"text\": \"tissue factor rose\"}}\n");
    let mut again = String::new();
    for _ in 0..6 {
        again.push_str(&line("7"));
    }
    again.push_str(&line("8"));
    std::fs::write(dir.path().join("again.jsonl"), again).unwrap();
    let before = snapshot(dir.path());
    for cmd in [
        &["stats", "again.jsonl"][..],
        &["suggest", "again.jsonl"],
        &["explain", "--pmid", "7", "again.jsonl"],
    ] {
        let out = output_in(dir.path(), cmd);
        assert_eq!(code(&out), 0, "{cmd:?}: {}", stderr(&out));
        let warnings: Vec<String> = stderr(&out)
            .lines()
            .filter(|l| l.starts_with("coagtag: warning:"))
            .map(str::to_string)
            .collect();
        assert_eq!(
            warnings,
            vec![
                "coagtag: warning: an id read again replaces the earlier record with that id (5 times): id 7 at again.jsonl:2 replaces line 1; id 7 at again.jsonl:3 replaces line 2; id 7 at again.jsonl:4 replaces line 3; and 2 more"
            ],
            "{cmd:?}"
        );
        let mut quiet = cmd.to_vec();
        quiet.push("-q");
        let out = output_in(dir.path(), &quiet);
        assert_eq!((code(&out), stderr(&out)), (0, String::new()), "{quiet:?}");
    }
    let out = output_in(dir.path(), &["explain", "again.jsonl"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "coagtag: error: \"again.jsonl\" is a file, not a text; to explain an article in it, name the article: coagtag explain --pmid ID again.jsonl\n"
    );
    // text stays text
    let out = output_in(dir.path(), &["explain", "-q", "tissue factor rose"]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("tissue_factor"));
    assert_eq!(changed(&before, &snapshot(dir.path())), Vec::<String>::new());
}

/// Ctrl-C in the middle of a run: the products already there stay as they were, and the
/// unfinished ones are removed. The input comes through a pipe the test keeps open, so the run
/// cannot end before the signal, whatever the machine's speed.
#[test]
fn an_interrupted_run_leaves_existing_products_untouched() {
    let pubmed = corpus("pubmed/pubmed21n1298.xml.gz");
    let dir = with_good_products();
    let before = snapshot(dir.path());
    let mut child = std::process::Command::new(common::binary())
        .current_dir(dir.path())
        .args(["tag", "-", "--format", "pubmed", "--out-dir", "od", "-o", "keep.csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // feed the first 16 MB of a real update file; the pipe stays open until the test ends
    let feeder = std::thread::spawn(move || {
        let mut xml = flate2::read::GzDecoder::new(std::fs::File::open(pubmed).unwrap());
        let mut buf = vec![0u8; 1 << 20];
        for _ in 0..16 {
            let n = xml.read(&mut buf).unwrap();
            if n == 0 || stdin.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        stdin
    });
    // the run has started writing once its temporary matrix exists
    let started = Instant::now();
    let temp = |dir: &Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".evidence.csv."))
    };
    while !temp(&dir.path().join("od")) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no temporary product appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    let _stdin = feeder.join().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(
        err.ends_with("files removed, files already there are untouched\n") && err.contains("coagtag: interrupted; "),
        "{err}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "the products changed, or temporary files were left"
    );
}
