//! The embedded default ontology: it loads clean, its example sentences all tag as they say,
//! `coagtag check` accepts it, and its category-level precision and recall on the first
//! hand-labelled gold set (`tests/gold/old46_categories.jsonl`: 46 abstracts labelled under the
//! retired rules described in `tests/gold/GUIDELINES.md`) do not fall below what was reached
//! when it was curated. The category evaluation set under `../shared/CATEGORY-GUIDELINES.md` is
//! `tests/gold/categories.jsonl` (checked by `tests/gold_set.rs`).
//!
//! The counts are exact on purpose: an edit of the ontology that changes them must update this
//! file, and a regression fails here.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use coagtag::document::{Document, Section};
use coagtag::ontology::Ontology;
use coagtag::tag::Tagger;
use coagtag::tag::matcher::{Matcher, Scratch, check_examples_with};
use common::{coagtag, root};

/// The 13 mechanism categories and the context category, in file order.
const CATEGORIES: [&str; 14] = [
    "sepsis",
    "platelet_activation",
    "coagulation_activation",
    "anticoagulant_impairment",
    "fibrinolysis",
    "endothelial_dysfunction",
    "nets_immunothrombosis",
    "inflammation",
    "immune_dysregulation",
    "mitochondrial_damage",
    "neuroendocrine_disruption",
    "er_stress",
    "clinical_coagulopathy",
    "therapy",
];

fn gold_path() -> PathBuf {
    root().join("tests/gold/old46_categories.jsonl")
}

struct GoldDoc {
    id: String,
    title: String,
    abstract_: String,
    categories: BTreeSet<String>,
}

fn read_gold() -> Vec<GoldDoc> {
    let text = std::fs::read_to_string(gold_path()).expect("tests/gold/old46_categories.jsonl is readable");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("gold line {}: {e}", i + 1));
            let s = |k: &str| {
                v[k].as_str()
                    .unwrap_or_else(|| panic!("gold line {}: no string {k:?}", i + 1))
                    .to_string()
            };
            let categories = v["categories"]
                .as_array()
                .unwrap_or_else(|| panic!("gold line {}: no categories array", i + 1))
                .iter()
                .map(|c| c.as_str().expect("category ids are strings").to_string())
                .collect();
            GoldDoc {
                id: s("id"),
                title: s("title"),
                abstract_: s("abstract"),
                categories,
            }
        })
        .collect()
}

/// The top-level categories the tool finds in a document (title and abstract as its sections),
/// as `coagtag tag` does: matching, then the document's abbreviation definitions and the
/// ontology's conditional abbreviations.
fn predicted(tagger: &Tagger, title: &str, abstract_: &str) -> BTreeSet<String> {
    let doc = Document::new(
        "gold",
        vec![Section::new("title", title), Section::new("abstract", abstract_)],
    );
    let ont = &tagger.ontology;
    tagger
        .tag(&doc, &mut Scratch::default())
        .iter()
        .map(|mention| ont.concept(ont.concept(mention.concept).category).id.clone())
        .collect()
}

#[test]
fn default_ontology_loads_with_no_problems_and_every_example_tags_as_it_says() {
    let ont = Ontology::default_ontology().expect("the default ontology validates");
    let m = Matcher::new(&ont);
    // examples are checked as `coagtag tag` reads a sentence: with abbreviation resolution, so
    // that a conditional abbreviation's `no_match` sentence shows it not counting
    let tagger = Tagger::from_ontology(ont.clone()).expect("the default ontology validates");
    let problems = check_examples_with(&ont, &|s| {
        let doc = Document::new("example", vec![Section::new("text", s)]);
        tagger.tag(&doc, &mut Scratch::default())
    });
    assert!(problems.is_empty(), "example problems: {problems:#?}");
    let examples: usize = ont
        .concepts
        .iter()
        .map(|c| c.examples_match.len() + c.examples_no_match.len())
        .sum();
    let matches: usize = ont.concepts.iter().map(|c| c.examples_match.len()).sum();
    assert_eq!((examples, matches), (195, 96));
    assert_eq!(ont.concepts.len(), 234);
    assert!(m.stats.dropped.is_empty(), "dropped variants: {:?}", m.stats.dropped);
}

#[test]
fn default_ontology_has_exactly_the_issue_categories() {
    let ont = Ontology::default_ontology().expect("the default ontology validates");
    let cats: Vec<&str> = ont.categories().iter().map(|&c| ont.concept(c).id.as_str()).collect();
    assert_eq!(cats, CATEGORIES);
    // every category has a tree beneath it
    for &c in &ont.categories() {
        let below = ont
            .concepts
            .iter()
            .filter(|x| x.category == c && x.parent.is_some())
            .count();
        assert!(below >= 7, "{} has only {below} concepts beneath it", ont.concept(c).id);
    }
    let beneath = ont.concepts.iter().filter(|c| c.parent.is_some()).count();
    assert_eq!(beneath, 220);
}

#[test]
fn coagtag_check_accepts_the_default_ontology() {
    let out = coagtag().arg("check").output().expect("coagtag check runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "coagtag check failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("concepts: 234 in 14 top-level categories"), "{stdout}");
    assert!(
        stdout.contains("example sentences: 195, all tag as they say"),
        "{stdout}"
    );
    assert!(stdout.contains("ok: no problems found"), "{stdout}");
}

#[test]
fn gold_set_is_well_formed() {
    let gold = read_gold();
    assert_eq!(gold.len(), 46);
    let ids: BTreeSet<&str> = gold.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), gold.len(), "gold ids are unique");
    for d in &gold {
        assert!(!d.abstract_.is_empty(), "{}: empty abstract", d.id);
        for c in &d.categories {
            assert!(CATEGORIES.contains(&c.as_str()), "{}: unknown category {c}", d.id);
        }
    }
    let labels: usize = gold.iter().map(|d| d.categories.len()).sum();
    assert_eq!(labels, 98);
}

#[test]
fn category_precision_and_recall_on_the_gold_set() {
    let tagger = Tagger::from_ontology(Ontology::default_ontology().expect("the default ontology validates"))
        .expect("the default ontology's examples tag as they say");
    let gold = read_gold();
    // (category, true positives, false positives, false negatives) as reached at curation
    let expected: [(&str, usize, usize, usize); 14] = [
        ("sepsis", 11, 0, 0),
        ("platelet_activation", 6, 1, 0),
        ("coagulation_activation", 7, 0, 1),
        ("anticoagulant_impairment", 4, 0, 0),
        ("fibrinolysis", 4, 0, 0),
        ("endothelial_dysfunction", 9, 0, 0),
        ("nets_immunothrombosis", 3, 0, 0),
        ("inflammation", 13, 0, 0),
        ("immune_dysregulation", 3, 0, 0),
        ("mitochondrial_damage", 1, 0, 0),
        ("neuroendocrine_disruption", 1, 0, 0),
        ("er_stress", 2, 0, 0),
        ("clinical_coagulopathy", 21, 0, 0),
        ("therapy", 12, 0, 0),
    ];
    let preds: Vec<BTreeSet<String>> = gold
        .iter()
        .map(|d| predicted(&tagger, &d.title, &d.abstract_))
        .collect();
    let mut got = Vec::new();
    let mut report = String::new();
    for cat in CATEGORIES {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (d, p) in gold.iter().zip(&preds) {
            match (d.categories.contains(cat), p.contains(cat)) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    report.push_str(&format!("  FP {cat} in {}\n", d.id));
                }
                (true, false) => {
                    fn_ += 1;
                    report.push_str(&format!("  FN {cat} in {}\n", d.id));
                }
                (false, false) => {}
            }
        }
        got.push((cat, tp, fp, fn_));
    }
    assert_eq!(got, expected, "per-category counts changed:\n{report}");
    let (tp, fp, fn_) = got
        .iter()
        .fold((0, 0, 0), |a, &(_, t, f, n)| (a.0 + t, a.1 + f, a.2 + n));
    assert_eq!((tp, fp, fn_), (97, 1, 1));
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    assert!(precision >= 0.989 && recall >= 0.989, "P {precision:.3} R {recall:.3}");
}
