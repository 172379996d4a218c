//! The readers over every real file in ../shared/corpora that their formats cover: exact record
//! counts, and exact texts for sample PMIDs.

// Input errors carry their full location by value, as in the library.
#![allow(clippy::result_large_err)]

mod common;

use std::path::Path;

use coagtag::input::InputOptions;
use coagtag::{Document, Section};
use common::{Read, coagtag_in, corpus, read_input};

fn read(rel: &str) -> Read {
    read_with(rel, &InputOptions::default())
}

fn read_with(rel: &str, opts: &InputOptions) -> Read {
    read_input(&corpus(rel), opts)
}

fn find<'a>(docs: &'a [Document], id: &str) -> &'a Document {
    docs.iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no document {id}"))
}

fn clean(r: &Read, rel: &str) {
    assert!(
        r.errors.is_empty(),
        "{rel}: {:?}",
        r.errors.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}

#[test]
fn pubmed_update_file_reads_completely() {
    let rel = "pubmed/pubmed21n1298.xml.gz";
    let r = read(rel);
    clean(&r, rel);
    assert_eq!(r.docs.len(), 20_788);
    assert_eq!(r.deleted.len(), 20, "DeleteCitation PMIDs");
    let d = find(&r.docs, "10704411");
    assert_eq!(
        d.sections[0],
        Section::new(
            "title",
            "Dopamine modulates acute responses to cocaine, nicotine and ethanol in Drosophila."
        )
    );
    let names: Vec<&str> = d.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["title", "BACKGROUND", "RESULTS", "CONCLUSIONS"]);
    assert!(
        d.sections[1]
            .text
            .starts_with("Drugs of abuse have a common property in mammals")
    );
    assert_eq!(d.meta.year.as_deref(), Some("2000"));
    assert_eq!(d.meta.journal.as_deref(), Some("Current biology : CB"));
    assert_eq!(d.meta.version.as_deref(), Some("1"));
    // One read of the 233 MB file serves both checks.
    pubmed_text_agrees_with_elementtree_itertext(&r);
}

/// (file, documents, deleted PMIDs): every file in the corpora these readers cover.
const COUNTS: &[(&str, usize, usize)] = &[
    ("pubmed/medline16n0902.xml.gz", 604, 1),
    ("pubmed/dtd-years/pubmed20n1015.xml.gz", 29, 0),
    ("pubmed/dtd-years/pubmed20n1016.xml.gz", 28, 262),
    ("pubmed/dtd-years/pubmed21n1062.xml.gz", 29, 0),
    ("pubmed/dtd-years/pubmed21n1063.xml.gz", 33, 0),
    ("pubmed/dtd-years/pubmed22n1114.xml.gz", 33, 0),
    ("pubmed/dtd-years/pubmed22n1115.xml.gz", 30, 48),
    ("pubmed/dtd-years/pubmed_no_rows.xml", 2, 0),
    ("pubmed/efetch/pubmed1.xml", 2, 0),
    ("pubmed/efetch/pubmed2.xml", 2, 0),
    ("pubmed/efetch/pubmed4.xml", 1, 0),
    ("pubmed/efetch/pubmed5.xml", 1, 0),
    ("pubmed/efetch/pubmed6.xml", 1, 0),
    ("pubmed/efetch/pubmed7.xml", 1, 0),
    ("sepsis/sepsis_coag_subset.xml.gz", 1233, 0),
    ("medline/pubmed_result1.txt", 1, 0),
    ("medline/pubmed_result2.txt", 4, 0),
    ("medline/pubmed_result3.txt", 1, 0),
    ("gold/ncbi-disease/NCBItrainset_corpus.txt", 593, 0),
    ("gold/ncbi-disease/NCBIdevelopset_corpus.txt", 100, 0),
    ("gold/bc5cdr/CDR_TrainingSet.PubTator.txt", 500, 0),
    ("gold/bc5cdr/CDR_DevelopmentSet.PubTator.txt", 500, 0),
    ("gold/bc5cdr/CDR_TrainingSet.BioC.xml", 500, 0),
    ("gold/bc5cdr/CDR_DevelopmentSet.BioC.xml", 500, 0),
    ("pubtator/bioconcepts2pubtator_offsets.sample", 999, 0),
];

#[test]
fn every_corpus_file_reads_with_exact_counts() {
    for &(rel, docs, deleted) in COUNTS {
        let r = read(rel);
        clean(&r, rel);
        assert_eq!((r.docs.len(), r.deleted.len()), (docs, deleted), "{rel}");
        for d in &r.docs {
            assert!(!d.id.is_empty(), "{rel}: empty id");
        }
    }
}

#[test]
fn pubmed_records_without_article_have_no_sections() {
    let r = read("pubmed/dtd-years/pubmed_no_rows.xml");
    let ids: Vec<&str> = r.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["1", "2"]);
    assert!(r.docs.iter().all(|d| d.sections.is_empty()));
}

#[test]
fn pmc_full_text_is_read_as_jats() {
    // an efetch db=pmc answer: tests/fulltext.rs checks what it holds
    let r = read("pubmed/efetch/efetch_pmc.xml");
    clean(&r, "pubmed/efetch/efetch_pmc.xml");
    let ids: Vec<&str> = r.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["PMC8435807"]);
}

#[test]
fn sample_texts_from_each_format() {
    let r = read("pubmed/efetch/pubmed7.xml");
    assert_eq!(r.docs[0].id, "29963580");
    assert_eq!(
        r.docs[0].sections[0].text,
        "Development of a pulmonary imaging biomarker pipeline for phenotyping of chronic lung disease."
    );

    let r = read("medline/pubmed_result1.txt");
    let d = &r.docs[0];
    assert_eq!(d.id, "12230038");
    assert_eq!(
        d.sections[0],
        Section::new("title", "The Bio* toolkits--a brief overview.")
    );
    assert_eq!(
        d.sections[1].text,
        "Bioinformatics research is often difficult to do with commercial software. The Open Source BioPerl, BioPython and Biojava projects provide toolkits with multiple functionality that make it easier to create customised pipelines or analysis. This review briefly compares the quirks of the underlying languages and the functionality, documentation, utility and relative advantages of the Bio counterparts, particularly from the point of view of the beginning biologist programmer."
    );
    assert_eq!(d.meta.year.as_deref(), Some("2002"));
    assert_eq!(d.meta.journal.as_deref(), Some("Briefings in bioinformatics"));

    for rel in [
        "gold/bc5cdr/CDR_TrainingSet.PubTator.txt",
        "gold/bc5cdr/CDR_TrainingSet.BioC.xml",
    ] {
        let r = read(rel);
        let d = find(&r.docs, "227508");
        assert_eq!(
            d.sections[0],
            Section::new("title", "Naloxone reverses the antihypertensive effect of clonidine."),
            "{rel}"
        );
        assert_eq!(d.sections[1].name, "abstract", "{rel}");
        assert!(
            d.sections[1]
                .text
                .starts_with("In unanesthetized, spontaneously hypertensive rats"),
            "{rel}"
        );
        assert_eq!(d.sections[1].text.chars().count(), 1075, "{rel}");
    }
    let r = read("gold/ncbi-disease/NCBItrainset_corpus.txt");
    assert_eq!(
        find(&r.docs, "10192393").sections[0].text,
        "A common human skin tumour is caused by activating mutations in beta-catenin."
    );
}

#[test]
fn pubtator_and_bioc_agree_on_every_cdr_document() {
    for split in ["Training", "Development"] {
        let p = read(&format!("gold/bc5cdr/CDR_{split}Set.PubTator.txt"));
        let b = read(&format!("gold/bc5cdr/CDR_{split}Set.BioC.xml"));
        assert_eq!(p.docs.len(), b.docs.len());
        for (x, y) in p.docs.iter().zip(&b.docs) {
            assert_eq!((&x.id, &x.sections), (&y.id, &y.sections), "{split}");
        }
    }
}

#[test]
fn other_abstracts_are_read_when_asked() {
    let opts = InputOptions {
        include_other_abstracts: true,
        ..InputOptions::default()
    };
    let r = read_with("sepsis/sepsis_coag_subset.xml.gz", &opts);
    let plain = read("sepsis/sepsis_coag_subset.xml.gz");
    let extra = |r: &Read| {
        r.docs
            .iter()
            .flat_map(|d| &d.sections)
            .filter(|s| s.name.starts_with("other_abstract") || s.name == "vernacular_title")
            .count()
    };
    assert_eq!(extra(&plain), 0);
    // Counted independently with ElementTree: non-empty VernacularTitle and OtherAbstract/AbstractText.
    assert_eq!(extra(&r), 190);
}

/// coagtag's text extraction agrees with an independent one: ElementTree's `itertext()` with the
/// same two documented spacing rules (MathML text nodes trimmed; XML white space collapsed and
/// trimmed), for 50 PMIDs chosen by a fixed rule (10 with MathML, 25 with inline markup, 15
/// plain). The fixture and its rule come from scripts/pubmed_expected.py.
fn pubmed_text_agrees_with_elementtree_itertext(r: &Read) {
    let fixture = common::root().join("fixtures/pubmed21n1298_expected.jsonl");
    let expected: Vec<serde_json::Value> = std::fs::read_to_string(fixture)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), 50);
    for e in &expected {
        let pmid = e["pmid"].as_str().unwrap();
        // names and texts (the fixture holds no kinds)
        let want: Vec<(&str, &str)> = e["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s[0].as_str().unwrap(), s[1].as_str().unwrap()))
            .collect();
        let got: Vec<(&str, &str)> = find(&r.docs, pmid)
            .sections
            .iter()
            .map(|s| (s.name.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(got, want, "PMID {pmid}");
    }
}

/// Run `coagtag tag` in `dir`; returns (exit code, stdout, stderr).
/// `coagtag tag ARGS` in `dir`: exit code, stdout, stderr.
fn tag(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = coagtag_in(dir).arg("tag").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The article ids (matrix columns after concept_id, label, category) of a matrix on stdout.
fn matrix_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .skip(3)
        .map(str::to_string)
        .collect()
}

const THREE: &str = "<PubmedArticleSet>\n\
<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>Sepsis and DIC.</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n\
<PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>Broken</Abstract></Article></MedlineCitation></PubmedArticle>\n\
<PubmedArticle><MedlineCitation><PMID>3</PMID><Article><ArticleTitle>Tissue factor.</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n\
</PubmedArticleSet>\n";

#[test]
fn a_broken_record_is_skipped_counted_and_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("three.xml"), THREE).unwrap();
    let (code, stdout, stderr) = tag(dir.path(), &["three.xml"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(matrix_ids(&stdout), vec!["1", "3"]);
    let at = THREE.find("</Abstract>").unwrap();
    let error = format!(
        "coagtag: error: three.xml: byte {at}: record 2 (id 2): malformed XML: </Abstract> closes <ArticleTitle>"
    );
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(errors, vec![error.as_str()]);
    assert!(
        stderr.contains("coagtag: 1 record skipped; every other article is in the output"),
        "{stderr}"
    );

    let (code, stdout, stderr) = tag(dir.path(), &["--strict", "three.xml"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!("{error}\ncoagtag: stopped at the first problem (--strict); no output written\n")
    );
}

#[test]
fn bad_files_get_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let gz = std::fs::read(corpus("sepsis/sepsis_coag_subset.xml.gz")).unwrap();
    std::fs::write(dir.path().join("cut.xml.gz"), &gz[..gz.len() / 2]).unwrap();
    std::fs::write(dir.path().join("json.xml"), "{\"id\": 1, \"text\": \"x\"}\n").unwrap();
    std::fs::write(dir.path().join("empty.xml"), "").unwrap();
    std::fs::write(dir.path().join("empty.nbib"), "").unwrap();
    std::fs::write(dir.path().join("notgz.xml.gz"), THREE).unwrap();
    let stopped = "coagtag: stopped before reading anything: 1 input cannot be read; nothing written";
    let nothing =
        "coagtag: error: no article was read from the inputs; nothing written (files already there are untouched)";
    let cases = [
        (
            "cut.xml.gz",
            1,
            "cut.xml.gz: byte ",
            "coagtag: 1 file not fully read; every other article is in the output",
        ),
        (
            "json.xml",
            2,
            "coagtag: error: json.xml: the file name says PubMed XML but the content looks like JSON Lines (fix: rename the file, or name its format: --format jsonl)",
            stopped,
        ),
        (
            "empty.xml",
            2,
            "coagtag: error: empty.xml: the file holds no articles (it is empty) (fix: check that it was exported or downloaded completely; it is skipped)",
            nothing,
        ),
        (
            "empty.nbib",
            2,
            "coagtag: error: empty.nbib: the file holds no articles (it is empty) (fix: check that it was exported or downloaded completely; it is skipped)",
            nothing,
        ),
        (
            "notgz.xml.gz",
            2,
            "coagtag: error: notgz.xml.gz: the name ends in .gz but the file is not gzip data (fix: rename the file without .gz, or compress it with gzip)",
            stopped,
        ),
    ];
    for (file, want_code, first, last) in cases {
        let (code, _, stderr) = tag(dir.path(), &[file]);
        assert_eq!(code, want_code, "{file}: {stderr}");
        assert!(stderr.lines().next().unwrap_or("").contains(first), "{file}: {stderr}");
        assert_eq!(stderr.lines().last(), Some(last), "{file}: {stderr}");
    }
    // The truncated gzip: the message names the record the data ends in, and every article
    // before the cut is still in the output.
    let (_, stdout, stderr) = tag(dir.path(), &["cut.xml.gz"]);
    assert_eq!(
        stderr.lines().next().unwrap(),
        format!(
            "coagtag: error: cut.xml.gz: byte 6042249 of the decompressed data (the file holds {} bytes of gzip data): record 776 (id 33735501): the gzip data ends early (truncated file) (fix: download the file again; `gzip -t FILE` checks it)",
            gz.len() / 2
        )
    );
    assert_eq!(matrix_ids(&stdout).len(), 775);
}

#[test]
fn format_from_first_bytes_and_format_flag() {
    let dir = tempfile::tempdir().unwrap();
    let medline = "\nPMID- 42\nTI  - Sepsis-induced coagulopathy.\nAB  - Tissue factor\n      drives it.\n";
    std::fs::write(dir.path().join("export.txt"), medline).unwrap();
    std::fs::write(dir.path().join("export.dat"), medline).unwrap();
    std::fs::write(dir.path().join("three.data"), THREE).unwrap();
    for args in [
        &["export.txt"][..],
        &["export.dat"],
        &["--format", "medline", "export.dat"],
    ] {
        let (code, stdout, stderr) = tag(dir.path(), args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert_eq!(matrix_ids(&stdout), vec!["42"], "{args:?}");
    }
    let (code, stdout, _) = tag(dir.path(), &["three.data"]);
    assert_eq!((code, matrix_ids(&stdout)), (1, vec!["1".to_string(), "3".to_string()]));
    // --format text reads the MEDLINE file as one plain-text document named after the file.
    let (code, stdout, _) = tag(dir.path(), &["--format", "text", "export.txt"]);
    assert_eq!((code, matrix_ids(&stdout)), (0, vec!["export".to_string()]));
}

mod fuzz {
    //! Random and mutated input never panics or hangs any reader, and memory stays bounded by
    //! the record limit. The seeds are small real files kept in fixtures/.

    use std::io::BufReader;

    use coagtag::input::bioc::BiocReader;
    use coagtag::input::medline::MedlineReader;
    use coagtag::input::pubmed::PubmedReader;
    use coagtag::input::pubtator::PubtatorReader;
    use coagtag::input::{InputError, InputOptions, Record};
    use proptest::prelude::*;

    use crate::common::mutate::{self, Edit, apply};

    const PUBMED: &[u8] = include_bytes!("../fixtures/pubmed_efetch2.xml");
    const MEDLINE: &[u8] = include_bytes!("../fixtures/medline4.txt");
    const PUBTATOR: &[u8] =
        b"1|t|Sepsis and DIC.\n1|a|Tissue factor &amp; thrombin.\n1\t0\t6\tSepsis\tDisease\tD1\n\n2|t|T\n2|a|A\n";
    const BIOC: &[u8] = b"<collection><source>x</source><document><id>1</id><passage><infon key=\"type\">title</infon><offset>0</offset><text>A &amp; B</text></passage></document><document><id>2</id><passage><text>C</text></passage></document></collection>";

    /// Feed `data` to every reader; each must end, with at most one item per input byte (+2).
    fn all_readers(data: &[u8], limit: u64) {
        let opts = InputOptions {
            max_record_bytes: limit,
            include_other_abstracts: true,
            ..InputOptions::default()
        };
        // A tiny buffer makes every record cross buffer edges.
        let input = || BufReader::with_capacity(7, data);
        let bound = data.len() + 2;
        let check = |name: &str, items: Vec<Result<Record, InputError>>| {
            assert!(
                items.len() <= bound,
                "{name}: {} items from {} bytes",
                items.len(),
                data.len()
            );
            for item in items {
                if let Ok(Record::Document(d)) = item {
                    assert!(!d.id.is_empty(), "{name}: a document with an empty id");
                }
            }
        };
        check(
            "pubmed",
            PubmedReader::new(input(), "f", &opts).take(bound + 1).collect(),
        );
        check("bioc", BiocReader::new(input(), "f", &opts).take(bound + 1).collect());
        check(
            "medline",
            MedlineReader::new(input(), "f", &opts).take(bound + 1).collect(),
        );
        let documents = |r: Result<coagtag::input::pubtator::Annotated, InputError>| r.map(|a| Record::Document(a.doc));
        check(
            "pubtator",
            PubtatorReader::new(input(), "f", &opts)
                .map(documents)
                .take(bound + 1)
                .collect(),
        );
        check(
            "pubtator with annotations",
            PubtatorReader::with_annotations(input(), "f", &opts)
                .map(documents)
                .take(bound + 1)
                .collect(),
        );
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let markup = vec![
            b"<".to_vec(),
            b">".to_vec(),
            b"</".to_vec(),
            b"/>".to_vec(),
            b"&".to_vec(),
            b"&#x0;".to_vec(),
            b"<![CDATA[".to_vec(),
            b"\xff\xfe".to_vec(),
            b"\n\n".to_vec(),
            b"PMID- ".to_vec(),
            b"|t|".to_vec(),
            b"<PubmedArticle>".to_vec(),
            b"<document>".to_vec(),
        ];
        mutate::edit(markup, 200, 500)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes(data in prop::collection::vec(any::<u8>(), 0..2000)) {
            all_readers(&data, 1 << 20);
        }

        #[test]
        fn mutated_real_files(
            seed in 0usize..4,
            edits in prop::collection::vec(edit(), 1..6),
            small_limit in any::<bool>(),
        ) {
            let seed = [PUBMED, MEDLINE, PUBTATOR, BIOC][seed];
            let data = apply(seed, &edits);
            all_readers(&data, if small_limit { 512 } else { 1 << 20 });
        }
    }

    #[test]
    fn seeds_read_cleanly() {
        let opts = InputOptions::default();
        let ok = |items: Vec<Result<Record, InputError>>| {
            items.iter().filter(|r| matches!(r, Ok(Record::Document(_)))).count()
        };
        assert_eq!(ok(PubmedReader::new(PUBMED, "f", &opts).collect()), 2);
        assert_eq!(ok(MedlineReader::new(MEDLINE, "f", &opts).collect()), 4);
        let pubtator: Vec<_> = PubtatorReader::with_annotations(PUBTATOR, "f", &opts)
            .map(|r| r.map(|a| Record::Document(a.doc)))
            .collect();
        assert_eq!(ok(pubtator), 2);
        assert_eq!(ok(BiocReader::new(BIOC, "f", &opts).collect()), 2);
    }
}

#[test]
fn include_other_abstracts_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let xml = "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>\
        <ArticleTitle>Outcomes in the ICU.</ArticleTitle></Article>\
        <OtherAbstract Language=\"spa\"><AbstractText>Sepsis and tissue factor.</AbstractText></OtherAbstract>\
        </MedlineCitation></PubmedArticle></PubmedArticleSet>";
    std::fs::write(dir.path().join("one.xml"), xml).unwrap();
    let total = |stdout: &str| -> u64 {
        stdout
            .lines()
            .skip(1)
            .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
            .sum()
    };
    let (code, stdout, stderr) = tag(dir.path(), &["one.xml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(total(&stdout), 0);
    let (code, stdout, stderr) = tag(dir.path(), &["--include", "other-abstracts", "one.xml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(total(&stdout), 2, "{stdout}");
}
