//! The products of `coagtag tag`, driven through the real binary in fresh temporary directories.
//!
//! Golden files live in `tests/golden/`; `COAGTAG_BLESS=1 cargo test --test products` rewrites
//! them (never in CI). See `tests/golden/README.md`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{REPORT_FILES, binary, golden, matrix_cells, read_csv, read_csv_str, root, run, s};

const FIXTURE: &str = "fixtures/sepsis25.jsonl";
const SAMPLE: &str = "fixtures/sepsis_sample.jsonl.gz";
const SAMPLE_FIELDS: &str = "title,abstract,BACKGROUND,OBJECTIVE,METHODS,RESULTS,CONCLUSIONS";

/// The manifest with the things that change from run to run (times, the output directory)
/// masked, byte layout kept.
fn masked_manifest(text: &str, out_dir: &Path) -> String {
    let text = text.replace(s(out_dir), "<out>");
    let mut out = String::new();
    for line in text.lines() {
        let key = line.trim_start();
        if key.starts_with("\"started\": ") || key.starts_with("\"finished\": ") {
            let (k, _) = line.split_once(": ").unwrap();
            out.push_str(&format!("{k}: \"<time>\","));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_product_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("articles.jsonl");
    run(
        &["tag", FIXTURE, "--out-dir", s(dir.path()), "--jsonl", s(&jsonl), "-q"],
        0,
    );
    for name in [
        "matrix.csv",
        "categories.csv",
        "evidence.csv",
        "cooccurrence.csv",
        "summary.csv",
        "articles.csv",
        "trends.csv",
        "directions.csv",
        "articles.jsonl",
    ] {
        golden(
            &format!("sepsis25/{name}"),
            &std::fs::read(dir.path().join(name)).unwrap(),
        );
    }
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    golden(
        "sepsis25/manifest.json",
        masked_manifest(&manifest, dir.path()).as_bytes(),
    );
    // nothing but the products in the directory: no temporary file left behind
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "articles.csv",
            "articles.jsonl",
            "categories.csv",
            "cooccurrence.csv",
            "directions.csv",
            "evidence.csv",
            "figures",
            "manifest.json",
            "matrix.csv",
            "matrix.xlsx",
            "report.html",
            "state.jsonl.gz",
            "summary.csv",
            "texts.jsonl.gz",
            "trends.csv"
        ]
    );
}

#[test]
fn a_product_alone_equals_the_same_product_of_a_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all");
    run(&["tag", FIXTURE, "--out-dir", s(&all), "-q"], 0);
    for (flag, name) in [
        ("--evidence", "evidence.csv"),
        ("--category-matrix", "categories.csv"),
        ("--cooccurrence", "cooccurrence.csv"),
        ("--summary", "summary.csv"),
        ("--articles", "articles.csv"),
        ("--trends", "trends.csv"),
        ("--directions", "directions.csv"),
        ("-o", "matrix.csv"),
    ] {
        let one = dir.path().join(format!("one-{name}"));
        run(&["tag", FIXTURE, flag, s(&one), "-q"], 0);
        assert_eq!(
            std::fs::read(&one).unwrap(),
            std::fs::read(all.join(name)).unwrap(),
            "{flag}"
        );
    }
    // with no product named, the matrix goes to standard output
    let out = run(&["tag", FIXTURE, "-q"], 0);
    assert_eq!(out.stdout, std::fs::read(all.join("matrix.csv")).unwrap());
    // and twice the same run gives the same bytes, the workbook included
    let again = dir.path().join("again");
    run(&["tag", FIXTURE, "--out-dir", s(&again), "-q"], 0);
    for name in [
        "matrix.csv",
        "evidence.csv",
        "cooccurrence.csv",
        "matrix.xlsx",
        "trends.csv",
    ]
    .into_iter()
    .chain(REPORT_FILES)
    {
        assert_eq!(
            std::fs::read(all.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap(),
            "{name}"
        );
    }
    // the report alone (and its figures) is the report of the full run
    let page = dir.path().join("alone.html");
    let figures = dir.path().join("alone-figures");
    run(
        &["tag", FIXTURE, "--report", s(&page), "--figures", s(&figures), "-q"],
        0,
    );
    assert_eq!(
        std::fs::read(&page).unwrap(),
        std::fs::read(all.join("report.html")).unwrap()
    );
    assert_eq!(
        std::fs::read(figures.join("trends.svg")).unwrap(),
        std::fs::read(all.join("figures/trends.svg")).unwrap()
    );
    // only what was asked for: no matrix on standard output, no texts
    assert!(!dir.path().join("texts.jsonl.gz").exists());
}

/// (article, concept) -> count of the cells with a mention, from a concept-rows matrix.
fn mentioned_cells(path: &Path) -> BTreeMap<(String, String), u64> {
    let mut cells = matrix_cells(path);
    cells.retain(|_, n| *n > 0);
    cells
}

/// (article, concept) -> number of evidence rows.
fn evidence_counts(path: &Path) -> BTreeMap<(String, String), u64> {
    let rows = read_csv(path);
    assert_eq!(rows[0][..2], ["article_id", "concept_id"]);
    let mut counts = BTreeMap::new();
    for row in &rows[1..] {
        *counts.entry((row[0].clone(), row[1].clone())).or_insert(0) += 1;
    }
    counts
}

/// (article, category) -> number of evidence rows with `in_rollup` yes (a row counts for every
/// category its `category` field lists, `; `-joined; the context root is no roll-up row).
fn rollup_evidence_counts(path: &Path) -> BTreeMap<(String, String), u64> {
    let rows = read_csv(path);
    assert_eq!(rows[0][3], "category");
    assert_eq!(rows[0][12..14], ["role", "in_rollup"]);
    let mut counts = BTreeMap::new();
    for row in &rows[1..] {
        assert!(row[13] == "yes" || row[13] == "no", "{row:?}");
        if row[13] != "yes" {
            continue;
        }
        for cat in row[3].split("; ").filter(|c| *c != "related_context") {
            *counts.entry((row[0].clone(), cat.to_string())).or_insert(0) += 1;
        }
    }
    counts
}

/// The non-zero cells of `categories.csv` (concept rows layout), (article, category) -> count.
fn category_cells(path: &Path) -> BTreeMap<(String, String), u64> {
    let rows = read_csv(path);
    let header = &rows[0];
    assert_eq!(&header[..3], ["category_id", "label", "parent"]);
    let mut cells = BTreeMap::new();
    for row in &rows[1..] {
        for (j, v) in row.iter().enumerate().skip(3) {
            let n: u64 = v.parse().unwrap();
            if n > 0 {
                cells.insert((header[j].clone(), row[0].clone()), n);
            }
        }
    }
    cells
}

/// Every non-zero matrix cell is explained by exactly its count of evidence rows, and every
/// evidence row by a cell; every non-zero `categories.csv` cell by exactly its count of evidence
/// rows with `in_rollup` yes, and every such row by a cell.
fn assert_evidence_explains_matrix(extra: &[&str], input: &str) -> (usize, u64) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["tag", input, "--out-dir", s(dir.path()), "-q", "--layout", "concepts"];
    args.extend_from_slice(extra);
    run(&args, 0);
    let cells = mentioned_cells(&dir.path().join("matrix.csv"));
    let evidence = evidence_counts(&dir.path().join("evidence.csv"));
    assert_eq!(cells, evidence);
    let categories = category_cells(&dir.path().join("categories.csv"));
    assert_eq!(categories, rollup_evidence_counts(&dir.path().join("evidence.csv")));
    (cells.len(), cells.values().sum())
}

#[test]
fn every_category_cell_traces_to_evidence_rows_that_count_on_the_sepsis_subset() {
    let xml = "../shared/corpora/sepsis/sepsis_coag_subset.xml.gz";
    let count = |extra: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["tag", xml, "--out-dir", s(dir.path()), "-q", "--layout", "concepts"];
        args.extend_from_slice(extra);
        run(&args, 0);
        let categories = category_cells(&dir.path().join("categories.csv"));
        let ev = rollup_evidence_counts(&dir.path().join("evidence.csv"));
        assert_eq!(categories, ev, "{extra:?}");
        let rows = read_csv(&dir.path().join("evidence.csv"));
        let no = rows[1..].iter().filter(|r| r[13] == "no").count();
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("manifest.json")).unwrap()).unwrap();
        (categories.len(), no, manifest["options"]["rollup_evidence"].clone())
    };
    let (evidence_cells, left_out, mode) = count(&[]);
    assert_eq!(mode, "evidence");
    // the plain roll-up counts every mention: every row says yes, and more cells are non-zero
    let (plain_cells, none, mode) = count(&["--rollup-evidence", "mentions"]);
    assert_eq!((none, mode), (0, serde_json::json!("mentions")));
    assert!(
        left_out > 0 && plain_cells > evidence_cells,
        "{left_out} {plain_cells} {evidence_cells}"
    );
}

#[test]
fn evidence_explains_every_matrix_cell_on_the_fixture() {
    let (cells, mentions) = assert_evidence_explains_matrix(&[], FIXTURE);
    // as many mentions as the blessed evidence has rows (the count follows the ontology)
    let golden = std::fs::read_to_string(root().join("tests/golden/sepsis25/evidence.csv")).unwrap();
    assert_eq!(mentions as usize, read_csv_str(&golden).len() - 1);
    assert!(cells > 0 && (cells as u64) < mentions);
}

#[test]
fn evidence_explains_every_matrix_cell_on_a_thousand_real_abstracts() {
    let (cells, mentions) = assert_evidence_explains_matrix(&["--text-fields", SAMPLE_FIELDS], SAMPLE);
    // lower bounds that hold as the ontology grows (today: 1035 cells, 2405 mentions)
    assert!(cells > 1_000 && mentions > 2_000, "{cells} cells, {mentions} mentions");
    // and with a section filter, on the same real data
    assert_evidence_explains_matrix(
        &[
            "--text-fields",
            SAMPLE_FIELDS,
            "--sections",
            "title,results,conclusions",
        ],
        SAMPLE,
    );
}

#[test]
fn evidence_explains_every_matrix_cell_on_the_shared_pubmed_xml() {
    // the real PubMed XML with its structured sections, read by the PubMed reader
    let xml = "../shared/corpora/sepsis/sepsis_coag_subset.xml.gz";
    assert!(
        root().join(xml).exists(),
        "the shared corpora are expected beside the checkout"
    );
    let (cells, mentions) = assert_evidence_explains_matrix(&[], xml);
    assert!(cells > 1_000 && mentions > 2_000, "{cells} cells, {mentions} mentions");
    assert_evidence_explains_matrix(&["--sections", "title,RESULTS,conclusions"], xml);
}

#[test]
fn evidence_rows_point_at_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("e.csv");
    run(
        &[
            "tag",
            SAMPLE,
            "--text-fields",
            SAMPLE_FIELDS,
            "--evidence",
            s(&ev),
            "-q",
        ],
        0,
    );
    // the documents' offset space: sections joined by one space, in --text-fields order
    let mut docs: BTreeMap<String, String> = BTreeMap::new();
    let text = {
        use std::io::Read;
        let mut gz = flate2::read::GzDecoder::new(std::fs::File::open(root().join(SAMPLE)).unwrap());
        let mut t = String::new();
        gz.read_to_string(&mut t).unwrap();
        t
    };
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let parts: Vec<&str> = SAMPLE_FIELDS.split(',').filter_map(|f| v[f].as_str()).collect();
        docs.insert(v["id"].as_str().unwrap().to_string(), parts.join(" "));
    }
    let rows = read_csv(&ev);
    assert_eq!(
        rows[0],
        [
            "article_id",
            "concept_id",
            "label",
            "category",
            "text",
            "term",
            "section",
            "section_kind",
            "start",
            "end",
            "sentence",
            "via",
            "role",
            "in_rollup",
            "polarity",
            "certainty",
            "direction",
            "polarity_cue",
            "certainty_cue",
            "direction_cue"
        ]
    );
    for row in &rows[1..] {
        let doc: Vec<char> = docs[&row[0]].chars().collect();
        let (start, end): (usize, usize) = (row[8].parse().unwrap(), row[9].parse().unwrap());
        let at: String = doc[start..end].iter().collect();
        let shown = unguard(&row[4]);
        assert_eq!(at, shown, "{row:?}");
        let collapsed = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            row[10].contains(&collapsed),
            "sentence does not hold the mention: {row:?}"
        );
        assert!(
            ["synonym", "abbreviation", "defined-abbreviation"].contains(&row[11].as_str()),
            "{row:?}"
        );
    }
}

/// A CSV text cell as it was before the injection guard.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[test]
fn sections_filter_keeps_only_named_sections_in_every_product() {
    let dir = tempfile::tempdir().unwrap();
    run(
        &[
            "tag",
            SAMPLE,
            "--text-fields",
            SAMPLE_FIELDS,
            "--sections",
            "Title,results",
            "--out-dir",
            s(dir.path()),
            "-q",
        ],
        0,
    );
    let ev = read_csv(&dir.path().join("evidence.csv"));
    let mut sections: Vec<(&str, &str)> = ev[1..].iter().map(|r| (r[6].as_str(), r[7].as_str())).collect();
    sections.sort();
    sections.dedup();
    assert_eq!(sections, [("RESULTS", "results"), ("title", "title")]);
    // every article is still there
    let arts = read_csv(&dir.path().join("articles.csv"));
    assert_eq!(arts.len() - 1, 1022);
    let mentions: u64 = arts[1..].iter().map(|r| r[8].parse::<u64>().unwrap()).sum();
    assert_eq!(mentions as usize, ev.len() - 1);
}

#[test]
fn a_section_kind_never_seen_is_a_note_and_an_unknown_name_an_error() {
    let out = run(&["tag", FIXTURE, "--sections", "results", "-q"], 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "coagtag: note: --sections: no section of kind results in this run\n"
    );
    // and nothing is counted
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .skip(1)
            .all(|l| l.split(',').skip(3).all(|c| c == "0"))
    );
    // a typo stops the run before any product is written, with the closest names
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("keep.csv");
    std::fs::write(&keep, "earlier result\n").unwrap();
    let out = run(
        &[
            "tag",
            FIXTURE,
            "--sections",
            "title,reslts,Abstrct",
            "-o",
            s(&keep),
            "-q",
        ],
        2,
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "coagtag: error: --sections: no section is named \"reslts\" (closest: results), \"Abstrct\" (closest: abstract); \
         name section kinds (title, abstract, background, objective, introduction, methods, results, discussion, \
         conclusions, caption, other) or labels as the input writes them (e.g. BACKGROUND); nothing was written\n"
    );
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "earlier result\n");
}

#[test]
fn categories_filter_narrows_every_product() {
    let dir = tempfile::tempdir().unwrap();
    run(
        &[
            "tag",
            FIXTURE,
            "--categories",
            "therapy,sepsis",
            "--out-dir",
            s(dir.path()),
            "-q",
        ],
        0,
    );
    let m = read_csv(&dir.path().join("matrix.csv"));
    assert!(m[1..].iter().all(|r| r[2] == "therapy" || r[2] == "sepsis"), "{m:?}");
    let ev = read_csv(&dir.path().join("evidence.csv"));
    assert!(ev[1..].iter().all(|r| r[3] == "therapy" || r[3] == "sepsis"));
    let cats = read_csv(&dir.path().join("categories.csv"));
    let ids: Vec<&str> = cats[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["sepsis", "therapy"]);
    assert_eq!(
        mentioned_cells(&dir.path().join("matrix.csv")),
        evidence_counts(&dir.path().join("evidence.csv"))
    );
    let out = run(&["tag", FIXTURE, "--categories", "therapy,nope"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--categories: no concept nope; name top-level categories"),
        "{err}"
    );
}

#[test]
fn min_mentions_drops_rare_concepts_from_the_matrix_only() {
    let dir = tempfile::tempdir().unwrap();
    run(
        &["tag", FIXTURE, "--min-mentions", "10", "--out-dir", s(dir.path()), "-q"],
        0,
    );
    let summary = read_csv(&dir.path().join("summary.csv"));
    let mut want: Vec<String> = summary[1..]
        .iter()
        .filter(|r| r[0] == "concept" && r[6].parse::<u64>().unwrap() >= 10)
        .map(|r| r[1].clone())
        .collect();
    want.sort();
    let m = read_csv(&dir.path().join("matrix.csv"));
    let mut got: Vec<String> = m[1..].iter().map(|r| r[0].clone()).collect();
    got.sort();
    assert_eq!(got, want);
    assert!(!got.is_empty() && got.len() < summary.len() - 1);
    // the summary keeps every concept of the ontology
    let all = read_csv(&dir.path().join("summary.csv"));
    assert!(all[1..].iter().any(|r| r[6] == "0"));
}

/// A JSONL corpus whose ids and titles try to inject formulas.
fn hostile_corpus() -> String {
    let rows = [
        ("=1+1", "=HYPERLINK(\"http://x\",\"click\") heparin"),
        ("+41", "+cmd|' /C calc'!A0 heparin"),
        ("-2", "-2+3 heparin"),
        ("@SUM", "@SUM(A1) heparin"),
        ("-x1", "\theparin"),
        ("SEPT2", "SEPT2 and MARCH1 with heparin"),
        ("00123", "heparin"),
    ];
    rows.iter()
        .map(|(id, title)| serde_json::json!({"id": id, "title": title, "year": "2020"}).to_string() + "\n")
        .collect()
}

#[test]
fn text_cells_that_could_be_formulas_are_neutralised_in_every_product() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, hostile_corpus()).unwrap();
    let out = dir.path().join("out");
    run(&["tag", s(&input), "--out-dir", s(&out), "-q"], 0);
    let arts = read_csv(&out.join("articles.csv"));
    let got: Vec<(&str, &str)> = arts[1..].iter().map(|r| (r[0].as_str(), r[6].as_str())).collect();
    assert_eq!(
        got,
        [
            ("'=1+1", "'=HYPERLINK(\"http://x\",\"click\") heparin"),
            ("+41", "'+cmd|' /C calc'!A0 heparin"),
            ("-2", "'-2+3 heparin"),
            ("'@SUM", "'@SUM(A1) heparin"),
            ("'-x1", "'\theparin"),
            ("SEPT2", "SEPT2 and MARCH1 with heparin"),
            ("00123", "heparin"),
        ]
    );
    // numbers stay numbers
    assert!(arts[1..].iter().all(|r| r[2] == "2020" && r[8] == "1"));
    // the matrix header (article ids) and the evidence are guarded too
    let m = read_csv(&out.join("matrix.csv"));
    assert_eq!(m[0][3..], ["'=1+1", "+41", "-2", "'@SUM", "'-x1", "SEPT2", "00123"]);
    let ev = read_csv(&out.join("evidence.csv"));
    assert_eq!(ev[1][0], "'=1+1");
    assert_eq!(ev[2][10], "'+cmd|' /C calc'!A0 heparin");
    // no text cell in any CSV product starts with a formula character unguarded
    for name in [
        "matrix.csv",
        "categories.csv",
        "evidence.csv",
        "cooccurrence.csv",
        "summary.csv",
        "articles.csv",
    ] {
        for row in read_csv(&out.join(name)) {
            for cell in row {
                let bad = cell.starts_with(['=', '@', '\t', '\r'])
                    || (cell.starts_with(['+', '-']) && cell.parse::<f64>().is_err());
                assert!(!bad, "{name}: unguarded cell {cell:?}");
            }
        }
    }
}

#[test]
fn excel_dialect_writes_a_bom_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    run(&["tag", FIXTURE, "--excel", "--out-dir", s(dir.path()), "-q"], 0);
    let plain = tempfile::tempdir().unwrap();
    run(&["tag", FIXTURE, "--out-dir", s(plain.path()), "-q"], 0);
    for name in [
        "matrix.csv",
        "categories.csv",
        "evidence.csv",
        "cooccurrence.csv",
        "summary.csv",
        "articles.csv",
    ] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name}: no BOM");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.ends_with("\r\n"));
        // CRLF ends every record; line breaks inside quoted cells are data and stay as they are
        let plain_text = std::fs::read_to_string(plain.path().join(name)).unwrap();
        assert_eq!(text.matches("\r\n").count(), plain_text.matches('\n').count(), "{name}");
        assert!(!plain_text.starts_with('\u{feff}') && !plain_text.contains('\r'));
    }
}

/// 16,382 one-line articles: as concept rows, 16,385 columns.
fn many_articles(n: usize) -> String {
    (0..n)
        .map(|i| format!("{{\"id\":\"a{i}\",\"text\":\"heparin\"}}\n"))
        .collect()
}

#[test]
fn concept_rows_never_exceed_the_spreadsheet_column_limit_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let fits = dir.path().join("fits.jsonl");
    std::fs::write(&fits, many_articles(16_381)).unwrap();
    let out = run(&["tag", s(&fits), "-o", s(&dir.path().join("fits.csv")), "-q"], 0);
    assert!(out.stderr.is_empty());
    let first = std::fs::read_to_string(dir.path().join("fits.csv")).unwrap();
    assert_eq!(first.lines().next().unwrap().split(',').count(), 16_384);

    let big = dir.path().join("big.jsonl");
    std::fs::write(&big, many_articles(16_382)).unwrap();
    let m = dir.path().join("m.csv");
    let out = run(&["tag", s(&big), "-o", s(&m), "-q"], 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: 16382 articles do not fit in the 16384 columns of a spreadsheet as concept rows; the matrix has one row per article instead"),
        "{err}"
    );
    let text = std::fs::read_to_string(&m).unwrap();
    assert!(text.starts_with("article_id,"));
    assert_eq!(text.lines().count(), 16_383);

    let out = run(&["tag", s(&big), "-o", s(&m), "--layout", "concepts", "-q"], 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the matrix has 16385 columns, more than the 16384"),
        "{err}"
    );
    let text = std::fs::read_to_string(&m).unwrap();
    assert_eq!(text.lines().next().unwrap().split(',').count(), 16_385);
}

#[test]
fn matrix_metadata_columns_in_article_rows() {
    let out = run(&["tag", FIXTURE, "--matrix-metadata", "-q"], 0);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("article_id,year,journal,doi,sepsis,"));
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("400581,1979,Advances in shock research,,")
    );
    let out = run(&["tag", FIXTURE, "--matrix-metadata", "--layout", "concepts"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("metadata columns (year, journal, doi) need article rows"));
}

#[test]
fn an_interrupted_run_leaves_no_file_under_a_final_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // an earlier run's matrix must survive untouched
    std::fs::write(out.join("matrix.csv"), "old").unwrap();
    let mut child = Command::new(binary())
        .args(["tag", "-", "--format", "jsonl", "--out-dir", s(&out), "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(many_articles(100).as_bytes()).unwrap();
    stdin.flush().unwrap();
    // wait until the run has opened its products (temporary files), then kill it mid-run
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let tmp = std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        if tmp >= 8 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the products were never opened");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    let finals: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".tmp"))
        .collect();
    assert_eq!(finals, ["matrix.csv"]);
    assert_eq!(std::fs::read_to_string(out.join("matrix.csv")).unwrap(), "old");
}

#[test]
fn a_failing_product_leaves_the_others_unwritten() {
    let dir = tempfile::tempdir().unwrap();
    // the evidence cannot be written: its directory does not exist; nothing else may appear
    let out = run(
        &[
            "tag",
            FIXTURE,
            "--out-dir",
            s(dir.path()),
            "--evidence",
            s(&dir.path().join("missing/evidence.csv")),
        ],
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing/evidence.csv") && err.contains("exists and is writable"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn only_one_product_goes_to_standard_output() {
    let out = run(&["tag", FIXTURE, "-o", "-", "--evidence", "-"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one CSV or JSONL product can go to standard output"));
    let out = run(&["tag", FIXTURE, "--evidence", "-", "-q"], 0);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("article_id,concept_id,label,category,text,term,"));
    // the trends table can go there; the report and its figures are files, and say so
    let out = run(&["tag", FIXTURE, "--trends", "-", "-q"], 0);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("year,level,id,label,articles,mentions,year_articles,share\n")
    );
    for (flag, name) in [("--report", "report"), ("--figures", "figures")] {
        let out = run(&["tag", FIXTURE, flag, "-", "-q"], 2);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "coagtag: error: {name} cannot go to standard output (-): only a CSV or JSONL product can; \
                 give it a file name (a directory for --figures), or write every product with --out-dir DIR\n"
            )
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn manifest_records_inputs_options_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let mut text = std::fs::read_to_string(root().join(FIXTURE)).unwrap();
    // a broken record, a replacement of the first article
    text.push_str("not json\n");
    let first = text.lines().next().unwrap().to_string();
    text.push_str(&first);
    text.push('\n');
    std::fs::write(&input, &text).unwrap();
    let m = dir.path().join("m.json");
    run(&["tag", s(&input), "--manifest", s(&m), "--sections", "title", "-q"], 1);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&m).unwrap()).unwrap();
    assert_eq!(
        v["records"],
        serde_json::json!({"files": 1, "failed_files": 0, "empty_files": 0, "read": 26, "skipped": 1, "deleted": 0, "replaced": 1,
            "articles": 25, "mentions": v["records"]["mentions"].clone()})
    );
    assert_eq!(v["inputs"][0]["bytes"], text.len());
    assert_eq!(v["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["options"]["sections"], serde_json::json!(["title"]));
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["ontology"]["ids"], serde_json::json!(["sic"]));
    let started = v["started"].as_str().unwrap();
    assert!(started.len() == 20 && started.ends_with('Z') && started <= v["finished"].as_str().unwrap());
}

/// The concept matrix alone is tagged without the roles and qualifier stages (issue 19), unless
/// `--exclude` reads the qualifiers: then the matrix alone is the full run's, and leaves out
/// what the full run leaves out.
#[test]
fn a_matrix_alone_that_excludes_by_qualifier_gets_the_qualifiers() {
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all");
    let exclude = ["--exclude", "negated,hedged"];
    run(
        &[&["tag", FIXTURE, "--out-dir", s(&all), "-q"][..], &exclude].concat(),
        0,
    );
    let alone = dir.path().join("alone.csv");
    run(&[&["tag", FIXTURE, "-o", s(&alone), "-q"][..], &exclude].concat(), 0);
    let plain = dir.path().join("plain.csv");
    run(&["tag", FIXTURE, "-o", s(&plain), "-q"], 0);
    let alone = std::fs::read(&alone).unwrap();
    assert_eq!(alone, std::fs::read(all.join("matrix.csv")).unwrap());
    assert_ne!(
        alone,
        std::fs::read(&plain).unwrap(),
        "the fixture has negated or hedged mentions"
    );
}

/// A run that keeps its state hashes its inputs as it reads them (issue 19): the manifest's and
/// the state's sizes and checksums are those of the files on disk, compressed or not.
#[test]
fn inputs_hashed_while_read_are_the_files_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    run(
        &[
            "tag",
            FIXTURE,
            SAMPLE,
            "--text-fields",
            SAMPLE_FIELDS,
            "--out-dir",
            s(&out),
            "-q",
        ],
        0,
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for (i, f) in [FIXTURE, SAMPLE].into_iter().enumerate() {
        let (bytes, sha) = coagtag::output::manifest::file_sha256(&root().join(f)).unwrap();
        assert_eq!(v["inputs"][i]["path"], f);
        assert_eq!(v["inputs"][i]["bytes"], bytes, "{f}");
        assert_eq!(v["inputs"][i]["sha256"], sha.as_str(), "{f}");
    }
}

#[test]
fn jsonl_holds_every_article_and_mention() {
    let out = run(&["tag", FIXTURE, "--jsonl", "-", "-q"], 0);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 25);
    let mentions: usize = lines.iter().map(|v| v["mentions"].as_array().unwrap().len()).sum();
    let golden = std::fs::read_to_string(root().join("tests/golden/sepsis25/evidence.csv")).unwrap();
    assert_eq!(mentions, read_csv_str(&golden).len() - 1);
    assert_eq!(
        lines[0]["mentions"][0],
        serde_json::json!({"concept": "lps", "category": ["inflammation"],
            "text": "Endotoxin", "term": "endotoxin", "section": "title", "section_kind": "title",
            "start": 0, "end": 9, "via": "synonym", "role": "mechanism", "in_rollup": "yes",
            "polarity": "affirmed", "certainty": "stated",
            "direction": "none", "polarity_cue": "", "certainty_cue": "", "direction_cue": ""})
    );
}

/// `directions.csv` counts, per article and category or concept, exactly the qualifiers of the
/// evidence rows; `--exclude negated,hedged` leaves those mentions out of every product and the
/// manifest says so.
#[test]
fn directions_agree_with_the_evidence_and_exclude_drops_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all");
    run(&["tag", FIXTURE, "--out-dir", s(&all), "-q"], 0);
    let evidence = read_csv(&all.join("evidence.csv"));
    let h = &evidence[0];
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (id, concept, category) = (col("article_id"), col("concept_id"), col("category"));
    let (pol, cert, dir_) = (col("polarity"), col("certainty"), col("direction"));
    let in_rollup = col("in_rollup");
    // the category rows of the run (a context root such as related_context is none)
    let categories: BTreeSet<String> = read_csv(&all.join("categories.csv"))[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    // (article, level, id) -> mentions, up, down, negated, hedged; a category row counts the
    // mentions that evidence it (in_rollup yes), under each category of the concept
    let mut want: BTreeMap<(String, String, String), [u64; 5]> = BTreeMap::new();
    for r in &evidence[1..] {
        let cats = r[category]
            .split("; ")
            .filter(|c| r[in_rollup] == "yes" && categories.contains(*c))
            .map(|c| ("category", c));
        for (level, key) in cats.chain([("concept", r[concept].as_str())]) {
            let c = want
                .entry((r[id].clone(), level.to_string(), key.to_string()))
                .or_default();
            c[0] += 1;
            let affirmed = r[pol] == "affirmed";
            c[1] += u64::from(affirmed && r[dir_] == "up");
            c[2] += u64::from(affirmed && r[dir_] == "down");
            c[3] += u64::from(!affirmed);
            c[4] += u64::from(r[cert] == "hedged");
        }
    }
    let directions = read_csv(&all.join("directions.csv"));
    assert_eq!(
        directions[0],
        [
            "article_id",
            "level",
            "id",
            "mentions",
            "up",
            "down",
            "negated",
            "hedged"
        ]
    );
    let got: BTreeMap<(String, String, String), [u64; 5]> = directions[1..]
        .iter()
        .map(|r| {
            let n = |i: usize| r[i].parse::<u64>().unwrap();
            (
                (r[0].clone(), r[1].clone(), r[2].clone()),
                [n(3), n(4), n(5), n(6), n(7)],
            )
        })
        .collect();
    assert_eq!(got, want);
    let totals = want.values().fold([0u64; 5], |mut t, c| {
        for i in 0..5 {
            t[i] += c[i];
        }
        t
    });
    // the concept level counts every mention once, the category level those that evidence a
    // category (the fixture's numbers, asserted so a change shows)
    assert_eq!(evidence.len() - 1, 472);
    assert_eq!(totals[0], 472 + 381);
    assert!(
        totals[1] > 0 && totals[2] > 0 && totals[3] > 0 && totals[4] > 0,
        "{totals:?}"
    );

    let out = dir.path().join("out");
    run(
        &[
            "tag",
            FIXTURE,
            "--out-dir",
            s(&out),
            "--exclude",
            "negated,hedged",
            "-q",
        ],
        0,
    );
    let kept = read_csv(&out.join("evidence.csv"));
    let expected: Vec<&Vec<String>> = evidence
        .iter()
        .filter(|r| r[pol] != "negated" && r[cert] != "hedged")
        .collect();
    assert_eq!(kept.iter().collect::<Vec<_>>(), expected);
    let directions = read_csv(&out.join("directions.csv"));
    assert!(directions[1..].iter().all(|r| r[6] == "0" && r[7] == "0"));
    let matrix_total: u64 = read_csv(&out.join("matrix.csv"))[1..]
        .iter()
        .flat_map(|r| r[3..].iter().map(|c| c.parse::<u64>().unwrap()))
        .sum();
    assert_eq!(matrix_total, kept.len() as u64 - 1);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["options"]["exclude"], serde_json::json!(["negated", "hedged"]));
    // an unknown value is refused with the choices
    let bad = run(&["tag", FIXTURE, "--exclude", "negative", "-q"], 2);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("negated") && err.contains("hedged"), "{err}");
}
