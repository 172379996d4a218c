//! The embedded default ontology: it loads clean, its example sentences all tag as they say, and
//! `coagtag check` accepts it. Its category-level figures are measured on the evaluation set
//! `tests/gold/categories.jsonl` (labelled under `../shared/CATEGORY-GUIDELINES.md`) by
//! `tests/category_eval.rs`; the first gold set of 46 abstracts, labelled under rules that
//! differ, is retired (its records are relabelled in that set, stratum `old46_*`).
//!
//! The counts are exact on purpose: an edit of the ontology that changes them must update this
//! file, and a regression fails here.

mod common;

use coagtag::document::{Document, Section};
use coagtag::ontology::Ontology;
use coagtag::tag::Tagger;
use coagtag::tag::matcher::{Matcher, Scratch, check_examples_with};
use common::coagtag;

/// The 13 mechanism categories, the context category `sepsis` and the context root whose
/// concepts reach no category, in file order.
const CATEGORIES: [&str; 15] = [
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
    "related_context",
];

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
    assert_eq!((examples, matches), (212, 107));
    assert_eq!(ont.concepts.len(), 246);
    assert!(m.stats.dropped.is_empty(), "dropped variants: {:?}", m.stats.dropped);
}

#[test]
fn default_ontology_has_exactly_the_issue_categories() {
    let ont = Ontology::default_ontology().expect("the default ontology validates");
    let cats: Vec<&str> = ont.categories().iter().map(|&c| ont.concept(c).id.as_str()).collect();
    assert_eq!(cats, CATEGORIES);
    // every category has a tree beneath it (the context root holds what the definitions leave out)
    for &c in ont.categories().iter().filter(|&&c| !ont.is_context_root(c)) {
        let below = ont
            .concepts
            .iter()
            .filter(|x| x.category == c && x.parent.is_some())
            .count();
        assert!(below >= 6, "{} has only {below} concepts beneath it", ont.concept(c).id);
    }
    let beneath = ont.concepts.iter().filter(|c| c.parent.is_some()).count();
    assert_eq!(beneath, 231);
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
    assert!(stdout.contains("concepts: 246 in 15 top-level categories"), "{stdout}");
    assert!(
        stdout.contains("example sentences: 212, all tag as they say"),
        "{stdout}"
    );
    assert!(stdout.contains("ok: no problems found"), "{stdout}");
}
