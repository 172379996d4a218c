//! `coagtag eval`, `coagtag ontology from-pubtator` and `coagtag tag --pubtator`, on a committed
//! fixture with hand-computed scores and on the shared gold corpora with their exact scores.

mod common;

use coagtag::eval;
use coagtag::eval::score::Counts;
use common::{coagtag, read_csv, root, run_ok};

/// The scores in the fixture were computed by hand (see the comments for each count):
///
/// coagtag, strict: all 8 mentions of document 100 are found (the plural variant finds
/// "Neutrophil extracellular traps", the definition finds "NETs" and the singular "NET", the
/// case-sensitive "NO" skips "no"); in 200, "TF" is defined as transcription factor so neither
/// use is tissue factor, "bleeding" has id -1 and is left out, "sepsis" matches one alternative
/// of `MESH:D018805|D000000`, "septic shock" is not in the vocabulary: TP 10, FP 0, FN 1.
/// baseline, strict: no variants and no definitions lose the three NETs mentions, "no" and both
/// "TF" are false positives: TP 7, FP 3, FN 4.
#[test]
fn eval_scores_the_fixture_as_computed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("errors.csv");
    let stdout = run_ok(coagtag().current_dir(root()).args([
        "eval",
        "--gold",
        "fixtures/eval/gold.PubTator",
        "--ontology",
        "fixtures/eval/vocab.yaml",
        "--baseline",
        "--errors",
        errors.to_str().unwrap(),
    ]));
    assert_eq!(
        stdout,
        "\
gold: fixtures/eval/gold.PubTator (2 documents, 11 mentions with an id; 1 without an id left out)
ontology: 8 concepts
                              coagtag                 baseline
                                   P      R     F1         P      R     F1
strict                        100.00  90.91  95.24     70.00  63.64  66.67
document                      100.00  77.78  87.50     85.71  66.67  75.00
strict Chemical               100.00 100.00 100.00     50.00 100.00  66.67
document Chemical             100.00 100.00 100.00     75.00 100.00  85.71
strict Disease                100.00  87.50  93.33    100.00  50.00  66.67
document Disease              100.00  66.67  80.00    100.00  50.00  66.67
"
    );
    // the rows after the header
    let rows = read_csv(&errors).split_off(1);
    let want: Vec<Vec<&str>> = vec![
        vec![
            "coagtag",
            "200",
            "FN",
            "Disease",
            "98",
            "110",
            "septic shock",
            "D012772",
            "",
            "",
        ],
        vec![
            "baseline",
            "100",
            "FN",
            "Disease",
            "0",
            "30",
            "Neutrophil extracellular traps",
            "MESH:D000072037",
            "",
            "",
        ],
        vec![
            "baseline",
            "100",
            "FN",
            "Disease",
            "32",
            "36",
            "NETs",
            "MESH:D000072037",
            "",
            "",
        ],
        vec![
            "baseline",
            "100",
            "FN",
            "Disease",
            "65",
            "68",
            "NET",
            "MESH:D000072037",
            "",
            "",
        ],
        vec![
            "baseline",
            "100",
            "FP",
            "Chemical",
            "110",
            "112",
            "no",
            "MESH:D009569",
            "d009569",
            "synonym",
        ],
        vec![
            "baseline",
            "200",
            "FP",
            "Chemical",
            "22",
            "24",
            "TF",
            "MESH:D013923",
            "d013923",
            "synonym",
        ],
        vec![
            "baseline",
            "200",
            "FP",
            "Chemical",
            "52",
            "54",
            "TF",
            "MESH:D013923",
            "d013923",
            "synonym",
        ],
        vec![
            "baseline",
            "200",
            "FN",
            "Disease",
            "98",
            "110",
            "septic shock",
            "D012772",
            "",
            "",
        ],
    ];
    assert_eq!(rows, want);
}

#[test]
fn eval_reports_a_gold_file_with_shifted_offsets_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("bad.PubTator");
    std::fs::write(
        &gold,
        "1|t|Sepsis kills.\n1|a|Yes.\n1\t1\t7\tSepsis\tDisease\tD018805\n",
    )
    .unwrap();
    let out = coagtag()
        .current_dir(root())
        .args([
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            "--ontology",
            "fixtures/eval/vocab.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "coagtag: {}:3: annotation 1-7 says \"Sepsis\" but the document has \"epsis \" there (fix: offsets must count characters (not bytes) from the start of the title, the abstract starting at len(title) + 1)\n",
            gold.display()
        )
    );
}

/// The vocabulary built from the fixture loads back, validates, and tags its own corpus.
#[test]
fn from_pubtator_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let vocab = dir.path().join("vocab.yaml");
    run_ok(coagtag().current_dir(root()).args([
        "ontology",
        "from-pubtator",
        "fixtures/eval/gold.PubTator",
        "-o",
        vocab.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&vocab).unwrap();
    assert_eq!(
        text,
        r#"# Built by `coagtag ontology from-pubtator`: one concept per annotated id.
ontology:
  id: "pubtator"
  name: "Vocabulary from annotated corpora"
  description: "7 concepts from 11 annotations in 2 documents"
  sources:
    - "gold.PubTator"
  kinds_are_distinct: true
concepts:
  - id: "type_chemical"
    label: "Chemical"
  - id: "type_disease"
    label: "Disease"
  - id: "d001241"
    label: "aspirin"
    parent: "type_chemical"
    synonyms:
      - "aspirin"
    xrefs:
      - "D001241"
  - id: "d006470"
    label: "bleeding"
    parent: "type_disease"
    synonyms:
      - "bleeding"
    xrefs:
      - "D006470"
  - id: "d009569"
    label: "NO"
    parent: "type_chemical"
    abbreviations:
      - "NO"
    xrefs:
      - "D009569"
  - id: "d012772"
    label: "septic shock"
    parent: "type_disease"
    synonyms:
      - "septic shock"
    xrefs:
      - "D012772"
  - id: "mesh_d000072037"
    label: "Neutrophil extracellular traps"
    parent: "type_disease"
    synonyms:
      - "Neutrophil extracellular traps"
    abbreviations:
      - "NET"
      - "NETs"
    xrefs:
      - "MESH:D000072037"
  - id: "mesh_d018805"
    label: "sepsis"
    parent: "type_disease"
    synonyms:
      - "sepsis"
    xrefs:
      - "MESH:D018805"
  - id: "mesh_d018805_or_d000000"
    label: "sepsis"
    parent: "type_disease"
    xrefs:
      - "MESH:D018805|D000000"
"#
    );
    run_ok(coagtag().args(["check", "--ontology", vocab.to_str().unwrap()]));
    let ontology = coagtag::ontology::load(&[coagtag::ontology::OntologySource::Path(vocab.clone())]).unwrap();
    assert_eq!(ontology.concepts.len(), 9);
}

/// `tag --pubtator` writes what an external scorer reads: scoring the file it writes against the
/// gold gives the scores `eval` prints.
#[test]
fn tag_pubtator_output_scores_like_eval() {
    let dir = tempfile::tempdir().unwrap();
    let gold = eval::gold::read_file(&root().join("fixtures/eval/gold.PubTator")).unwrap();
    let input = dir.path().join("in.jsonl");
    let lines: Vec<String> = gold
        .iter()
        .map(|d| serde_json::json!({"id": d.id, "title": d.title, "abstract": d.abstract_text}).to_string())
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out.PubTator");
    run_ok(coagtag().current_dir(root()).args([
        "tag",
        input.to_str().unwrap(),
        "--ontology",
        "fixtures/eval/vocab.yaml",
        "-o",
        dir.path().join("m.csv").to_str().unwrap(),
        "--pubtator",
        out.to_str().unwrap(),
        "--quiet",
    ]));
    let written = eval::gold::read_file(&out).unwrap();
    assert_eq!(written.len(), 2);
    assert_eq!(written[0].title, gold[0].title);
    let preds: Vec<Vec<eval::Prediction>> = written
        .iter()
        .map(|d| {
            d.annotations
                .iter()
                .map(|a| eval::Prediction {
                    start: a.start,
                    end: a.end,
                    text: a.text.clone(),
                    kind: a.kind.clone(),
                    gold_id: a.id.clone(),
                    concept: String::new(),
                    via: "",
                })
                .collect()
        })
        .collect();
    let ev = eval::score::score(&gold, &preds);
    assert_eq!(ev.overall.strict, Counts { tp: 10, fp: 0, fn_: 1 });
}
