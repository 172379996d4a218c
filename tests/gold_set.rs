//! The category evaluation set (`tests/gold/categories.jsonl`, documented in
//! `tests/gold/GUIDELINES.md`) is well-formed and holds exactly the documented counts: unique
//! PMIDs, known strata and splits, category ids exactly as in `../shared/CATEGORY-GUIDELINES.md`,
//! one verbatim evidence phrase per category given, rejected phrases verbatim too, and the
//! per-category positives of each split as the GUIDELINES table states them. The category ids
//! are checked against the first column of the guidelines' table, and a last test runs
//! `tests/gold/select.py --check`, which redraws the records from the shared corpora and fails
//! unless the set holds exactly them, in order, with the same split (needs `python3`).
//!
//! This test never tags the texts: the labels were made by reading them, and the tagger's
//! figures on the set belong to the roll-up's own tests.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use common::root;
use serde_json::Value;

/// Positives per category (tune, held-out), in the order of the guidelines' table: the table of
/// GUIDELINES.md. Its names are the set's whole vocabulary.
const POSITIVES: [(&str, usize, usize); 14] = [
    ("platelet_activation", 9, 12),
    ("coagulation_activation", 14, 19),
    ("anticoagulant_impairment", 8, 6),
    ("fibrinolysis", 12, 11),
    ("endothelial_dysfunction", 8, 18),
    ("nets_immunothrombosis", 6, 10),
    ("inflammation", 42, 79),
    ("immune_dysregulation", 7, 10),
    ("mitochondrial_damage", 8, 18),
    ("neuroendocrine_disruption", 7, 15),
    ("er_stress", 12, 12),
    ("clinical_coagulopathy", 15, 16),
    ("therapy", 15, 16),
    ("sepsis", 13, 13),
];

const SOURCES: [&str; 2] = ["sepsis/sepsis_coag_subset.xml.gz", "pubmed/pubmed21n1298.xml.gz"];

/// The fields of a record (written in this order); `rejected` is optional.
const FIELDS: [&str; 9] = [
    "id",
    "source",
    "stratum",
    "split",
    "title",
    "abstract",
    "categories",
    "evidence",
    "rejected",
];

struct Record {
    line: usize,
    id: String,
    stratum: String,
    split: String,
    categories: Vec<String>,
}

fn string<'a>(v: &'a Value, key: &str, line: usize) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("categories.jsonl:{line}: {key:?} is not a string"))
}

/// Read the set, checking every record's shape and every quoted phrase as it goes.
fn read_set() -> Vec<Record> {
    let path = root().join("tests/gold/categories.jsonl");
    let text = std::fs::read_to_string(&path).expect("tests/gold/categories.jsonl is readable");
    let known: BTreeSet<&str> = POSITIVES.iter().map(|p| p.0).collect();
    let mut records = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let v: Value = serde_json::from_str(raw).unwrap_or_else(|e| panic!("categories.jsonl:{line}: not JSON: {e}"));
        let obj = v
            .as_object()
            .unwrap_or_else(|| panic!("categories.jsonl:{line}: not an object"));
        let fields: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
        let wanted: BTreeSet<&str> = FIELDS
            .into_iter()
            .filter(|k| *k != "rejected" || obj.contains_key("rejected"))
            .collect();
        assert_eq!(fields, wanted, "categories.jsonl:{line}: fields");

        let id = string(&v, "id", line);
        assert!(
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
            "categories.jsonl:{line}: id {id:?} is not a PMID"
        );
        let source = string(&v, "source", line);
        assert!(SOURCES.contains(&source), "categories.jsonl:{line}: source {source:?}");
        let stratum = string(&v, "stratum", line);
        let split = string(&v, "split", line);
        assert!(
            split == "tune" || split == "heldout",
            "categories.jsonl:{line}: split {split:?}"
        );
        if stratum.starts_with("old46_") {
            assert_eq!(split, "tune", "categories.jsonl:{line}: the old 46 are all tune");
        }
        let title = string(&v, "title", line);
        let abstract_ = string(&v, "abstract", line);
        assert!(!abstract_.is_empty(), "categories.jsonl:{line}: empty abstract");
        let verbatim =
            |phrase: &str| !phrase.trim().is_empty() && (title.contains(phrase) || abstract_.contains(phrase));

        let categories: Vec<String> = v["categories"]
            .as_array()
            .unwrap_or_else(|| panic!("categories.jsonl:{line}: categories is not an array"))
            .iter()
            .map(|c| {
                c.as_str()
                    .unwrap_or_else(|| panic!("categories.jsonl:{line}: a category is not a string"))
                    .to_string()
            })
            .collect();
        let mut sorted = categories.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            sorted, categories,
            "categories.jsonl:{line}: categories sorted and unique"
        );
        for c in &categories {
            assert!(
                known.contains(c.as_str()),
                "categories.jsonl:{line}: unknown category {c:?}"
            );
        }

        let evidence = v["evidence"]
            .as_object()
            .unwrap_or_else(|| panic!("categories.jsonl:{line}: evidence is not an object"));
        let evidence_keys: Vec<&String> = evidence.keys().collect();
        assert_eq!(
            evidence_keys,
            categories.iter().collect::<Vec<_>>(),
            "categories.jsonl:{line}: one evidence phrase per category given"
        );
        for (c, phrase) in evidence {
            let phrase = phrase
                .as_str()
                .unwrap_or_else(|| panic!("categories.jsonl:{line}: evidence for {c} is not a string"));
            assert!(
                verbatim(phrase),
                "categories.jsonl:{line} (PMID {id}): evidence for {c} is not in the text: {phrase:?}"
            );
        }

        if let Some(rejected) = v.get("rejected") {
            let rejected = rejected
                .as_object()
                .unwrap_or_else(|| panic!("categories.jsonl:{line}: rejected is not an object"));
            assert!(!rejected.is_empty(), "categories.jsonl:{line}: empty rejected map");
            for (c, entry) in rejected {
                assert!(
                    known.contains(c.as_str()),
                    "categories.jsonl:{line}: unknown category {c:?}"
                );
                assert!(
                    !categories.contains(c),
                    "categories.jsonl:{line}: {c} is both given and rejected"
                );
                let phrase = string(entry, "phrase", line);
                let rule = string(entry, "rule", line);
                assert!(
                    verbatim(phrase),
                    "categories.jsonl:{line} (PMID {id}): rejected phrase for {c} is not in the text: {phrase:?}"
                );
                assert!(
                    !rule.trim().is_empty(),
                    "categories.jsonl:{line}: rejected {c} has no rule"
                );
            }
        }
        records.push(Record {
            line,
            id: id.to_string(),
            stratum: stratum.to_string(),
            split: split.to_string(),
            categories,
        });
    }
    records
}

#[test]
fn category_set_is_well_formed_and_holds_the_documented_counts() {
    let records = read_set();
    let mut seen = BTreeMap::new();
    for r in &records {
        if let Some(first) = seen.insert(r.id.as_str(), r.line) {
            panic!("PMID {} on lines {first} and {}", r.id, r.line);
        }
    }

    let split_count = |s: &str| records.iter().filter(|r| r.split == s).count();
    assert_eq!(
        (records.len(), split_count("tune"), split_count("heldout")),
        (360, 140, 220)
    );

    // records per stratum (tune, heldout), as in GUIDELINES.md
    let mut strata: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in &records {
        let e = strata.entry(r.stratum.as_str()).or_default();
        if r.split == "tune" {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let expected_strata: BTreeMap<&str, (usize, usize)> = [
        ("old46_random", (30, 0)),
        ("old46_keyword_tissue_factor", (2, 0)),
        ("old46_keyword_glycocalyx", (2, 0)),
        ("old46_keyword_NETs", (2, 0)),
        ("old46_keyword_thrombomodulin", (2, 0)),
        ("old46_keyword_ER_stress", (2, 0)),
        ("old46_keyword_DIC", (2, 0)),
        ("old46_keyword_antithrombin", (2, 0)),
        ("old46_keyword_endothel", (2, 0)),
        ("sepsis_random", (14, 36)),
        ("update_broad", (20, 60)),
        ("kw_er_stress", (10, 12)),
        ("kw_mitochondrial_damage", (5, 13)),
        ("kw_neuroendocrine_disruption", (9, 11)),
        ("kw_nets_immunothrombosis", (5, 13)),
        ("kw_anticoagulant_impairment", (4, 10)),
        ("kw_fibrinolysis", (8, 12)),
        ("kw_immune_dysregulation", (11, 11)),
        ("kw_platelet_activation", (3, 9)),
        ("kw_endothelial_dysfunction", (0, 8)),
        ("kw_sepsis", (2, 6)),
        ("kw_clinical_coagulopathy", (1, 5)),
        ("kw_nets_immunothrombosis_wide", (2, 11)),
        ("kw_anticoagulant_impairment_wide", (0, 3)),
    ]
    .into_iter()
    .collect();
    assert_eq!(strata, expected_strata);

    // positives per category: (tune, heldout), the table of GUIDELINES.md
    let positives = |cat: &str, split: &str| {
        records
            .iter()
            .filter(|r| r.split == split && r.categories.iter().any(|c| c == cat))
            .count()
    };
    let got: Vec<(&str, usize, usize)> = POSITIVES
        .iter()
        .map(|p| (p.0, positives(p.0, "tune"), positives(p.0, "heldout")))
        .collect();
    assert_eq!(got, POSITIVES);

    let labels = |split: &str| {
        records
            .iter()
            .filter(|r| r.split == split)
            .map(|r| r.categories.len())
            .sum::<usize>()
    };
    let empty = |split: &str| {
        records
            .iter()
            .filter(|r| r.split == split && r.categories.is_empty())
            .count()
    };
    assert_eq!((labels("tune"), labels("heldout")), (176, 255));
    assert_eq!((empty("tune"), empty("heldout")), (31, 57));
}

/// The set's category ids are exactly the first column of the guidelines' table, in its order
/// ("sepsis (context)" is the id `sepsis`).
#[test]
fn category_ids_are_those_of_the_guidelines() {
    let path = root().join("../shared/CATEGORY-GUIDELINES.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared folder must be beside the checkout)",
            path.display()
        )
    });
    let section = text
        .split("## Per category")
        .nth(1)
        .expect("CATEGORY-GUIDELINES.md has a \"Per category\" table");
    let ids: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .map(|cell| cell.trim_end_matches(" (context)"))
        .filter(|cell| *cell != "category" && !cell.starts_with('-'))
        .collect();
    let ours: Vec<&str> = POSITIVES.iter().map(|p| p.0).collect();
    assert_eq!(ids, ours);
}

#[test]
fn category_set_is_exactly_the_selection_drawn_from_the_shared_corpora() {
    let root = root();
    let corpora = root.join("../shared/corpora");
    assert!(
        corpora.join("pubmed/pubmed21n1298.xml.gz").exists()
            && corpora.join("sepsis/sepsis_coag_subset.xml.gz").exists(),
        "{} is missing: this test needs the shared corpora beside the checkout",
        corpora.display()
    );
    let out = Command::new("python3")
        .arg(root.join("tests/gold/select.py"))
        .arg("--check")
        .arg(root.join("tests/gold/categories.jsonl"))
        .current_dir(&root)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}); install it: apt-get update && apt-get install -y python3")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "tests/gold/select.py --check failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("the 360 records are exactly the selection"), "{stdout}");
    assert!(stdout.contains("| **all** | 140 | 220 | 360 |"), "{stdout}");
}
