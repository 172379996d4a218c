//! The vocabulary workbench commands on fixtures, with exact expected output.

mod common;

use coagtag::input::InputOptions;
use coagtag::pipeline::read_documents;
use coagtag::tag::Tagger;
use coagtag::tag::matcher::trace::MatchRule;
use coagtag::tag::matcher::{CompileOptions, EngineKind, Matcher};
use common::{coagtag_in, root, run_ok};

const VOCAB: &str = "ontology: {id: wb}\nconcepts:\n  - {id: tissue_factor, label: Tissue factor, synonyms: [tissue factor], abbreviations: [TF], exclude: [TF binding site]}\n  - {id: tfpi, label: TFPI, synonyms: [tissue factor pathway inhibitor], abbreviations: [TFPI]}\n  - {id: tnf, label: TNF-alpha, synonyms: [TNF-α]}\n  - {id: platelet_activation, label: Platelet activation, synonyms: [platelet activation]}\n  - {id: unused, label: Unused, synonyms: [never in the corpus]}\n";

const CORPUS: &str = "{\"id\": \"a1\", \"title\": \"Tissue factor and TNF-a\", \"abstract\": \"TF rose; the TF binding site was intact. Activation of platelets followed.\"}\n{\"id\": \"a2\", \"title\": \"TFPI\", \"abstract\": \"Tissue factor pathway inhibitor fell while TNF-a and activation of platelets rose.\"}\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vocab.yaml"), VOCAB).unwrap();
    std::fs::write(dir.path().join("corpus.jsonl"), CORPUS).unwrap();
    dir
}

#[test]
fn explain_a_text() {
    let dir = setup();
    let text = run_ok(coagtag_in(dir.path()).args([
        "explain",
        "TF and TFPI; the TF binding site",
        "--ontology",
        "vocab.yaml",
    ]));
    assert_eq!(
        text,
        "mentions (2):\n  0-2  \"TF\" -> tissue_factor (Tissue factor) [tissue_factor] via abbreviation \"TF\"; role mechanism, in the roll-up\n      match: kept: a whole word, and no other match took its place\n  7-11  \"TFPI\" -> tfpi (TFPI) [tfpi] via abbreviation \"TFPI\"; role mechanism, in the roll-up\n      match: kept: a whole word, and no other match took its place\nrejected (2):\n  7-9  \"TF\" -> tissue_factor (Tissue factor) [tissue_factor] via abbreviation \"TF\"\n      match: dropped: not a whole word ('P' after)\n  17-19  \"TF\" -> tissue_factor (Tissue factor) [tissue_factor] via abbreviation \"TF\"\n      match: dropped: inside the exclude phrase \"TF binding site\"\n"
    );
}

#[test]
fn explain_an_article_from_the_inputs() {
    let dir = setup();
    let text =
        run_ok(coagtag_in(dir.path()).args(["explain", "--pmid", "a2", "corpus.jsonl", "--ontology", "vocab.yaml"]));
    assert_eq!(
        text,
        "article a2\n\n[title] TFPI\n  mentions (1):\n    0-4  \"TFPI\" -> tfpi (TFPI) [tfpi] via abbreviation \"TFPI\"; role mechanism, in the roll-up\n        match: kept: a whole word, and no other match took its place\n  rejected (1):\n    0-2  \"TF\" -> tissue_factor (Tissue factor) [tissue_factor] via abbreviation \"TF\"\n        match: dropped: not a whole word ('P' after)\n\n[abstract] Tissue factor pathway inhibitor fell while TNF-a and activation of platelets rose.\n  mentions (1):\n    0-31  \"Tissue factor pathway inhibitor\" -> tfpi (TFPI) [tfpi] via synonym \"tissue factor pathway inhibitor\"; role mechanism, in the roll-up\n        match: kept: a whole word, and no other match took its place\n  rejected (1):\n    0-13  \"Tissue factor\" -> tissue_factor (Tissue factor) [tissue_factor] via synonym \"tissue factor\"\n        match: dropped: a longer match won (\"Tissue factor pathway inhibitor\")\n"
    );
    let out = coagtag_in(dir.path())
        .args(["explain", "--pmid", "zz", "corpus.jsonl", "--ontology", "vocab.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "coagtag: article zz is not in the inputs (2 articles read)\n"
    );
}

#[test]
fn stats_table_and_csv() {
    let dir = setup();
    let text = run_ok(coagtag_in(dir.path()).args([
        "stats",
        "corpus.jsonl",
        "--ontology",
        "vocab.yaml",
        "--top",
        "2",
        "--samples",
        "1",
        "-o",
        "stats.csv",
    ]));
    assert_eq!(
        text,
        "2 articles, 7 terms: 4 with mentions, 3 never in the corpus, 0 always swallowed by another concept, 0 always rejected by a rule\n\nconcept / term                 mentions  articles  swallowed\ntissue_factor / tissue factor         1         1          1\n    a1: «Tissue factor» and TNF-a\ntissue_factor / TF                    1         1          0\n    a1: «TF» rose; the TF binding site was intact. Activation of platele…\n"
    );
    let csv = std::fs::read_to_string(dir.path().join("stats.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "concept_id,term,kind,status,mentions,via_variant,articles,swallowed_by_other_concept,not_whole_word,case_mismatch,excluded,sample_contexts"
    );
    assert_eq!(
        rows[2],
        "tissue_factor,TF,abbreviation,hit,1,0,1,0,1,0,1,a1: «TF» rose; the TF binding site was intact. Activation of platele…"
    );
    assert_eq!(rows[4], "tfpi,TFPI,abbreviation,hit,1,0,1,0,0,0,0,a2: «TFPI»");
    assert_eq!(rows.len(), 8);
}

#[test]
fn suggest_writes_a_loadable_extension() {
    let dir = setup();
    let out = coagtag_in(dir.path())
        .args([
            "suggest",
            "corpus.jsonl",
            "--ontology",
            "vocab.yaml",
            "-o",
            "cand.yaml",
            "--examples",
            "1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "coagtag: 2 candidate additions from 2 articles\n"
    );
    let yaml = std::fs::read_to_string(dir.path().join("cand.yaml")).unwrap();
    assert!(
        yaml.contains("\n  - id: \"tnf\"\n    synonyms:\n      - \"TNF-a\"\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("\n  - id: \"platelet_activation\"\n    synonyms:\n      - \"Activation of platelets\"\n"),
        "{yaml}"
    );
    // passed back with --ontology, the candidates tag
    let text = run_ok(coagtag_in(dir.path()).args([
        "explain",
        "TNF-a",
        "--ontology",
        "vocab.yaml",
        "--ontology",
        "cand.yaml",
    ]));
    assert!(text.starts_with("mentions (1):\n  0-5  \"TNF-a\" -> tnf"), "{text}");
}

#[test]
fn diff_two_runs_with_evidence() {
    let dir = setup();
    run_ok(coagtag_in(dir.path()).args(["tag", "corpus.jsonl", "--ontology", "vocab.yaml", "-o", "old.csv", "-q"]));
    let cand = "extend:\n  - id: tnf\n    synonyms: [TNF-a]\n";
    std::fs::write(dir.path().join("cand.yaml"), cand).unwrap();
    run_ok(coagtag_in(dir.path()).args([
        "tag",
        "corpus.jsonl",
        "--ontology",
        "vocab.yaml",
        "--ontology",
        "cand.yaml",
        "-o",
        "new.csv",
        "-q",
    ]));
    let text = run_ok(coagtag_in(dir.path()).args(["diff", "old.csv", "new.csv", "-o", "diff.csv"]));
    assert_eq!(
        text,
        "old.csv -> new.csv: 2 cells gained, 0 lost, 0 changed\n\ntnf: +2 -0 ~0\n  + a1 (0 -> 1)\n  + a2 (0 -> 1)\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("diff.csv")).unwrap(),
        "change,concept_id,article_id,old,new,evidence\ngained,tnf,a1,0,1,\ngained,tnf,a2,0,1,\n"
    );
}

#[test]
fn trace_finds_exactly_the_mentions_of_find_on_real_abstracts() {
    let mut t = Tagger::load(&[coagtag::ontology::OntologySource::Default]).unwrap();
    for engine in [EngineKind::OverlappingDfa, EngineKind::WordStartTrie] {
        t.matcher = Matcher::with_engine(&t.ontology, CompileOptions::default(), engine);
        trace_agrees(&t);
    }
}

fn trace_agrees(t: &Tagger) {
    let (docs, _) = read_documents(
        &[root().join("fixtures/sepsis25.jsonl")],
        &InputOptions::default(),
        true,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(docs.len(), 25);
    let mut total = 0;
    for d in &docs {
        for s in &d.sections {
            let found: Vec<(u32, u32, u32)> = t
                .matcher
                .find(&s.text)
                .iter()
                .map(|m| (m.byte_start, m.byte_end, m.concept.0))
                .collect();
            let traced: Vec<(u32, u32, u32)> = t
                .matcher
                .trace(&s.text)
                .iter()
                .filter(|x| x.rule == MatchRule::Matched)
                .map(|x| (x.byte_start, x.byte_end, x.concept.0))
                .collect();
            assert_eq!(found, traced, "article {} section {}", d.id, s.name);
            total += found.len();
        }
    }
    assert!(total > 100, "{total}");
}

#[test]
fn obo_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let obo = root().join("fixtures/obo/coagulation_excerpt.obo");
    let text = std::fs::read_to_string(&obo).unwrap();
    let imported = coagtag::workbench::obo::import(&text, "coagulation_excerpt.obo", "GO:0007596").unwrap();
    assert_eq!(
        (imported.concepts, imported.terms, imported.obsolete_skipped),
        (4, 10, 1)
    );
    assert_eq!(
        imported.dropped,
        vec![(
            "blood clotting".to_string(),
            "GO:0007598".to_string(),
            "GO:0007596".to_string()
        )]
    );
    let path = dir.path().join("go.yaml");
    std::fs::write(&path, &imported.yaml).unwrap();
    let t = Tagger::load(&[coagtag::ontology::OntologySource::Path(path)]).unwrap();
    let ids: Vec<&str> = t.ontology.concepts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["go_0007596", "go_0007597", "go_0007598", "go_0072378"]);
    let c = &t.ontology.concepts[2];
    assert_eq!(c.label, "blood coagulation, extrinsic pathway");
    assert_eq!(c.xrefs, vec!["GO:0007598"]);
    assert_eq!(t.ontology.concept(c.parent.unwrap()).id, "go_0007596");
    let terms: Vec<(&str, &str)> = c.terms.iter().map(|x| (x.text.as_str(), x.kind.as_str())).collect();
    assert_eq!(
        terms,
        vec![
            ("blood coagulation, extrinsic pathway", "synonym"),
            ("tissue factor pathway", "synonym"),
            ("TF pathway", "synonym"),
        ]
    );
    let fcf: Vec<(&str, &str)> = t.ontology.concepts[3]
        .terms
        .iter()
        .map(|x| (x.text.as_str(), x.kind.as_str()))
        .collect();
    assert_eq!(
        fcf,
        vec![
            ("blood coagulation, fibrin clot formation", "synonym"),
            ("FCF", "abbreviation")
        ]
    );
    assert_eq!(t.matcher.find("Blood clotting via the tissue factor pathway").len(), 2);
    let err = coagtag::workbench::obo::import(&text, "x.obo", "GO:7").unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.obo: the root GO:7 is not a term of the file (7 terms read) (fix: give the id exactly as in the file's `id:` lines, e.g. GO:0007596)"
    );
}
