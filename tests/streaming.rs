//! `coagtag tag` streams: products fed as articles arrive, replacements and deletions applied
//! at the end, give the same bytes as the in-memory path (every article collected first, with
//! replacement and deletion applied, then fed to the products), for any thread count.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use coagtag::input::InputOptions;
use coagtag::ontology::OntologySource;
use coagtag::output::products::{ProductKind, ProductOptions, ProductPaths, Products, RunInfo};
use coagtag::pipeline::{StreamOptions, for_each_article, run_with};
use coagtag::tag::Tagger;
use common::{REPORT_FILES, coagtag_in, root};

const FILES: [&str; 11] = [
    "matrix.csv",
    "categories.csv",
    "evidence.csv",
    "cooccurrence.csv",
    "summary.csv",
    "articles.csv",
    "trends.csv",
    "directions.csv",
    "a.jsonl",
    "a.pubtator",
    "matrix.xlsx",
];

/// Every file the runs write: the tables, JSONL, PubTator, the workbook and the report's.
fn written() -> impl Iterator<Item = &'static str> {
    FILES.into_iter().chain(REPORT_FILES)
}

fn paths(dir: &Path) -> ProductPaths {
    let mut p = ProductPaths::in_dir(dir);
    p.set(ProductKind::Manifest, None);
    p.set(ProductKind::Jsonl, Some(dir.join("a.jsonl")));
    p.set(ProductKind::Pubtator, Some(dir.join("a.pubtator")));
    p
}

fn read_all(dir: &Path) -> BTreeMap<&'static str, Vec<u8>> {
    let out: BTreeMap<_, _> = written()
        .map(|f| (f, std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))))
        .collect();
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !written().any(|f| f == n || f.starts_with(&format!("{n}/"))))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    out
}

fn info() -> RunInfo {
    RunInfo {
        started: SystemTime::UNIX_EPOCH,
        inputs: vec![],
        options: serde_json::Value::Null,
        summary: Default::default(),
    }
}

/// Every article collected first (replacements and deletions applied), then fed in order.
fn in_memory(t: &Tagger, files: &[PathBuf], opts: ProductOptions) -> (BTreeMap<&'static str, Vec<u8>>, usize) {
    let (results, _) = run_with(
        t,
        files,
        &InputOptions::default(),
        StreamOptions { threads: 1, batch: 64 },
        false,
        &mut |_| {},
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut p = Products::create(&t.ontology, paths(dir.path()), opts).unwrap();
    for a in results.articles() {
        p.add(&a.doc, &a.mentions).unwrap();
    }
    let done = p.finish(info()).unwrap();
    (read_all(dir.path()), done.articles)
}

/// The products as the sink of the run.
fn streamed(
    t: &Tagger,
    files: &[PathBuf],
    threads: usize,
    opts: ProductOptions,
) -> (BTreeMap<&'static str, Vec<u8>>, usize, (usize, usize)) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Products::create(&t.ontology, paths(dir.path()), opts).unwrap();
    let summary = for_each_article(
        Some(t),
        files,
        &InputOptions::default(),
        StreamOptions { threads, batch: 2 },
        false,
        &mut |_| {},
        &mut p,
    )
    .unwrap();
    let done = p.finish(info()).unwrap();
    (read_all(dir.path()), done.articles, (summary.replaced, summary.deleted))
}

fn check(files: &[PathBuf], opts: ProductOptions, want_articles: usize, want_changes: (usize, usize)) {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let (want, n) = in_memory(&t, files, opts.clone());
    assert_eq!(n, want_articles);
    for threads in [1, 2, 3] {
        let (got, n, changes) = streamed(&t, files, threads, opts.clone());
        assert_eq!(n, want_articles, "threads {threads}");
        assert_eq!(changes, want_changes, "threads {threads}");
        for f in written() {
            assert!(
                got[f] == want[f],
                "{f} differs with {threads} threads:\n--- in memory\n{}\n--- streamed\n{}",
                String::from_utf8_lossy(&want[f]),
                String::from_utf8_lossy(&got[f])
            );
        }
    }
}

/// The fixture as PubMed XML: `(id, title, abstract)` articles, then a delete record.
fn pubmed(articles: &[(String, String, String)], delete: &[&str]) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut x = String::from("<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n");
    for (id, title, abs) in articles {
        x.push_str(&format!(
            "<PubmedArticle><MedlineCitation><PMID Version=\"1\">{id}</PMID><Article><Journal><JournalIssue><PubDate><Year>2001</Year></PubDate></JournalIssue><Title>J</Title></Journal><ArticleTitle>{}</ArticleTitle><Abstract><AbstractText>{}</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>\n",
            esc(title),
            esc(abs)
        ));
    }
    if !delete.is_empty() {
        x.push_str("<DeleteCitation>");
        for id in delete {
            x.push_str(&format!("<PMID Version=\"1\">{id}</PMID>"));
        }
        x.push_str("</DeleteCitation>\n");
    }
    x.push_str("</PubmedArticleSet>\n");
    x
}

fn fixture() -> Vec<(String, String, String)> {
    std::fs::read_to_string(root().join("fixtures/sepsis25.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            (s("id"), s("title"), s("abstract"))
        })
        .collect()
}

#[test]
fn the_fixture_streams_to_the_same_bytes() {
    check(
        &[root().join("fixtures/sepsis25.jsonl")],
        ProductOptions::default(),
        25,
        (0, 0),
    );
}

#[test]
fn a_file_followed_by_a_copy_replaces_every_article() {
    let f = root().join("fixtures/sepsis25.jsonl");
    check(&[f.clone(), f.clone(), f], ProductOptions::default(), 25, (50, 0));
}

#[test]
fn replacements_broken_records_and_missing_files_stream_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = std::fs::read_to_string(root().join("fixtures/sepsis25.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut files = Vec::new();
    for (i, chunk) in lines.chunks(4).enumerate() {
        let p = dir.path().join(format!("part{i:02}.jsonl"));
        let mut text = chunk.join("\n");
        text.push('\n');
        if i == 2 {
            text.push_str("{broken json\n");
            text.push_str(&lines[0]);
            text.push('\n');
        }
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    files.insert(3, dir.path().join("missing.jsonl"));
    check(&files, ProductOptions::default(), 25, (1, 0));
}

#[test]
fn pubmed_updates_and_deletions_long_after_writing_stream_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let arts = fixture();
    let (a, b, c) = (
        dir.path().join("a.xml"),
        dir.path().join("b.xml"),
        dir.path().join("c.xml"),
    );
    std::fs::write(&a, pubmed(&arts, &[])).unwrap();
    // an update file: new versions of four articles (one with no mention left), two deletions
    let mut updated: Vec<_> = arts[2..6].to_vec();
    for u in &mut updated {
        u.1 = format!("Revised: {}", u.1);
    }
    updated[1].2 = "Nothing relevant.".into();
    updated[1].1 = "Nothing.".into();
    let del = [arts[7].0.as_str(), arts[0].0.as_str(), "999999999"];
    std::fs::write(&b, pubmed(&updated, &del)).unwrap();
    // a later file deletes a replaced article and the last one
    std::fs::write(&c, pubmed(&[], &[arts[3].0.as_str(), arts[24].0.as_str()])).unwrap();
    check(
        &[a.clone(), b.clone(), c.clone()],
        ProductOptions::default(),
        21,
        (4, 4),
    );
    // with filters, the same
    let opts = ProductOptions {
        sections: Some(vec!["title".into()]),
        categories: Some(vec!["coagulation_activation".into()]),
        ..ProductOptions::default()
    };
    check(&[a, b, c], opts, 21, (4, 4));
}

#[test]
fn a_streaming_product_on_standard_output_holds_only_live_articles() {
    let f = root().join("fixtures/sepsis25.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let out = coagtag_in(dir.path())
        .args(["tag", "-q", "--evidence", "-"])
        .arg(&f)
        .arg(&f)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let golden = std::fs::read(root().join("tests/golden/sepsis25/evidence.csv")).unwrap();
    assert!(out.stdout == golden, "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "temporary files left"
    );
}
