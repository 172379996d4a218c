//! Build an ontology from annotated corpora (`coagtag ontology from-pubtator`).
//!
//! * One top-level concept per annotation type (`Chemical`, `Disease`, ...), id `type_` + its slug.
//! * One concept per annotated id, under the type its annotations have most often (ties: the
//!   first in name order). Its id is a slug of the corpus id (`D003920` -> `d003920`,
//!   `OMIM:312080` -> `omim_312080`), its first xref the corpus id as written, so evaluation
//!   compares it with the gold ([`crate::ontology::Ontology::gold_id`]); its label is its most frequent synonym (or,
//!   without synonyms, its most frequent surface form; ties go to fewer capitals).
//! * Composite ids: `A|B` (a coordination such as "breast and ovarian cancer") becomes its own
//!   concept `a_or_b`, and `A+B` (one combined concept, NCBI disease) becomes `a_and_b`; their
//!   surface forms name the combination, not either part.
//! * Annotations without an id (`-1` or empty) are left out and counted.
//! * Surface forms are grouped by their folded form (case, dashes, Greek letters and spaces
//!   normalised as the matcher does). A group goes to the concept it is annotated with most often
//!   (ties: the smaller id), so no term is claimed by two concepts.
//! * A group is written as abbreviations (case-sensitive, each spelling) when every spelling is a
//!   short form: the short form of a definition in its document (Schwartz & Hearst), or a single
//!   token of at most 10 characters with two capitals, or a capital after the first character
//!   ("NETs", "5-FU", "mRNA"), or a capital in at most 3 characters ("Mg", "T": as a synonym "Mg"
//!   would match the unit "mg"). Otherwise it is one synonym, its most frequent spelling.
//!
//! The output is YAML that [`crate::ontology::load`] reads back; strings are written double-quoted
//! (JSON string syntax, which YAML accepts), so any surface form survives the round trip.

use std::collections::{BTreeMap, BTreeSet};

use super::gold::{GoldDoc, id_atoms};
use crate::normalize::{self, is_word_char};
use crate::ontology::TermKind;
use crate::ontology::emit;
use crate::ontology::schema::{AbbreviationDef, ConceptDef, ConditionalAbbreviation, Header, NameWords};
use crate::tag::Tagger;
use crate::tag::abbrev;
use crate::tag::longer_names;
use crate::tag::matcher::{Mention, Scratch, Via};

/// What went into the vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VocabSummary {
    pub documents: usize,
    pub annotations: usize,
    /// Annotations without an id, left out.
    pub without_id: usize,
    pub concepts: usize,
    pub synonyms: usize,
    pub abbreviations: usize,
    /// Surface groups annotated with more than one id, given to the most frequent.
    pub contested: usize,
    /// Words learned for `longer_name_words` (all types, both sides).
    pub longer_name_words: usize,
    /// Terms dropped because their matches in the documents are seldom annotated: (corpus id,
    /// term, matches, annotated matches), in id order.
    pub pruned: Vec<(String, String, usize, usize)>,
    /// Abbreviations made conditional because their matches in documents that do not otherwise
    /// name their concept are seldom annotated: (corpus id, abbreviation, such matches,
    /// annotated ones), in id order.
    pub conditioned: Vec<(String, String, usize, usize)>,
}

#[derive(Default)]
struct Group {
    /// count per id key
    ids: BTreeMap<String, usize>,
    /// count per spelling
    spellings: BTreeMap<String, usize>,
    /// spellings seen as a defined short form
    defined: BTreeSet<String>,
}

#[derive(Default)]
struct IdInfo {
    raw: String,
    types: BTreeMap<String, usize>,
    spellings: BTreeMap<String, usize>,
}

/// The slug of a corpus id or type: lower-case letters, digits and `_`.
pub fn slug(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().chars() {
        match c {
            '|' => out.push_str("_or_"),
            '+' => out.push_str("_and_"),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => {
                if !out.ends_with('_') {
                    out.push('_');
                }
            }
        }
    }
    let s = out.trim_matches('_').to_string();
    if s.is_empty() { "x".into() } else { s }
}

/// Whether a spelling looks like a short form on its own.
pub fn looks_like_abbreviation(s: &str) -> bool {
    let n = s.chars().count();
    if !(1..=10).contains(&n) || s.chars().any(char::is_whitespace) {
        return false;
    }
    let caps = s.chars().filter(|c| c.is_uppercase()).count();
    // "Mg", "Hg", "T": short capitalised tokens are symbols; as synonyms they would match "mg"
    caps >= 2 || s.chars().skip(1).any(char::is_uppercase) || (n <= 3 && caps >= 1)
}

/// The most frequent spelling; ties go to the one with fewer capitals, then the first in order.
fn most_frequent(counts: &BTreeMap<String, usize>) -> Option<&str> {
    let caps = |s: &str| s.chars().filter(|c| c.is_uppercase()).count();
    counts
        .iter()
        .min_by(|a, b| {
            b.1.cmp(a.1)
                .then_with(|| caps(a.0).cmp(&caps(b.0)))
                .then_with(|| a.0.cmp(b.0))
        })
        .map(|(s, _)| s.as_str())
}

/// How [`from_pubtator_with`] prunes the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VocabOptions {
    /// Drop a term whose matches in the training documents are annotated mentions in less than
    /// this share of cases (0 keeps every term).
    pub min_annotated_share: f64,
    /// ... but only when it matches at least this often (fewer matches say too little).
    pub min_occurrences: usize,
    /// Learn `longer_name_words` for each annotation type: a word that starts (ends) at least
    /// this many annotated names of the type and never stands directly before (after) an
    /// annotation of the type (0 learns none).
    pub min_longer_name_uses: usize,
    /// Make an abbreviation conditional (`when: context` on its concept's names) when its
    /// matches in documents that do not otherwise name its concept are annotated mentions in
    /// less than this share of cases (0 makes none conditional).
    pub min_bare_share: f64,
}

impl Default for VocabOptions {
    fn default() -> Self {
        VocabOptions {
            min_annotated_share: DEFAULT_MIN_ANNOTATED_SHARE,
            min_occurrences: DEFAULT_MIN_OCCURRENCES,
            min_longer_name_uses: DEFAULT_MIN_LONGER_NAME_USES,
            min_bare_share: DEFAULT_MIN_BARE_SHARE,
        }
    }
}

/// The default of `--min-annotated-share`.
pub const DEFAULT_MIN_ANNOTATED_SHARE: f64 = 0.2;
/// The default of `--min-occurrences`.
pub const DEFAULT_MIN_OCCURRENCES: usize = 3;
/// The default of `--min-longer-name-uses`.
pub const DEFAULT_MIN_LONGER_NAME_USES: usize = 3;
/// The default of `--min-bare-share`.
pub const DEFAULT_MIN_BARE_SHARE: f64 = 0.5;

/// Build the YAML text of an ontology from annotated documents with the default options;
/// `sources` are named in its header.
pub fn from_pubtator(docs: &[GoldDoc], sources: &[String]) -> (String, VocabSummary) {
    from_pubtator_with(docs, sources, &VocabOptions::default())
}

/// Build the YAML text of an ontology from annotated documents; `sources` are named in its
/// header. With a positive `min_annotated_share`, the vocabulary is first built whole, then used
/// to tag the same documents as `coagtag tag` does, and every term whose matches are annotated
/// mentions (same span) in less than that share of cases is dropped ([`VocabSummary::pruned`]).
pub fn from_pubtator_with(docs: &[GoldDoc], sources: &[String], options: &VocabOptions) -> (String, VocabSummary) {
    let mut summary = VocabSummary {
        documents: docs.len(),
        ..VocabSummary::default()
    };
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut ids: BTreeMap<String, IdInfo> = BTreeMap::new();
    for doc in docs {
        let defined: BTreeSet<String> = abbrev::find_definitions(&doc.document())
            .into_iter()
            .map(|d| d.short)
            .collect();
        for a in &doc.annotations {
            summary.annotations += 1;
            let atoms = id_atoms(&a.id);
            let text = a.text.trim();
            if atoms.is_empty() || normalize::fold(text).trim().is_empty() {
                summary.without_id += 1;
                continue;
            }
            let key = atoms.join("|");
            let info = ids.entry(key.clone()).or_insert_with(|| IdInfo {
                raw: a.id.trim().to_string(),
                ..IdInfo::default()
            });
            *info.types.entry(a.kind.clone()).or_default() += 1;
            *info.spellings.entry(text.to_string()).or_default() += 1;
            let g = groups.entry(normalize::fold(text)).or_default();
            *g.ids.entry(key).or_default() += 1;
            *g.spellings.entry(text.to_string()).or_default() += 1;
            if defined.contains(text) {
                g.defined.insert(text.to_string());
            }
        }
    }
    // terms per id key
    let mut synonyms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut abbreviations: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for g in groups.values() {
        if g.ids.len() > 1 {
            summary.contested += 1;
        }
        let (winner, _) = g
            .ids
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .expect("a group has at least one id");
        let all_short = g
            .spellings
            .keys()
            .all(|s| g.defined.contains(s) || looks_like_abbreviation(s));
        if all_short {
            abbreviations
                .entry(winner.clone())
                .or_default()
                .extend(g.spellings.keys().cloned());
        } else {
            let best = most_frequent(&g.spellings).expect("a group has at least one spelling");
            synonyms.entry(winner.clone()).or_default().push(best.to_string());
        }
    }
    let name_words = longer_name_words(docs, options.min_longer_name_uses);
    summary.longer_name_words = name_words.values().map(|w| w.before.len() + w.after.len()).sum();
    // the YAML of the vocabulary as it stands, with these abbreviations conditional
    let emit = |synonyms: &BTreeMap<String, Vec<String>>,
                abbreviations: &BTreeMap<String, Vec<String>>,
                conditional: &BTreeSet<(String, String)>,
                summary: &mut VocabSummary| {
        render(
            &ids,
            synonyms,
            abbreviations,
            conditional,
            &name_words,
            sources,
            summary,
        )
    };
    let mut yaml = emit(&synonyms, &abbreviations, &BTreeSet::new(), &mut summary);
    if options.min_annotated_share > 0.0 {
        let dropped = low_share_terms(docs, &yaml, options);
        if !dropped.is_empty() {
            for (key, text, _, _) in &dropped {
                for terms in [&mut synonyms, &mut abbreviations] {
                    if let Some(v) = terms.get_mut(key) {
                        v.retain(|t| t != text);
                    }
                }
            }
            summary.pruned = dropped.into_iter().collect();
            yaml = emit(&synonyms, &abbreviations, &BTreeSet::new(), &mut summary);
        }
    }
    if options.min_bare_share > 0.0 {
        let bare = seldom_annotated_bare(docs, &yaml, options.min_bare_share);
        if !bare.is_empty() {
            let conditional: BTreeSet<(String, String)> =
                bare.iter().map(|(k, t, _, _)| (k.clone(), t.clone())).collect();
            summary.conditioned = bare.into_iter().collect();
            yaml = emit(&synonyms, &abbreviations, &conditional, &mut summary);
        }
    }
    (yaml, summary)
}

/// The abbreviations (id key, text) of the vocabulary `yaml` whose "bare" matches in `docs`,
/// those in documents that name the abbreviation's concept in no other way, are annotated
/// mentions in less than `share` of cases: "SD" for sexual dysfunction where it is a standard
/// deviation, "MAP" in "MAP kinase". They are made conditional on the concept's names.
fn seldom_annotated_bare(docs: &[GoldDoc], yaml: &str, share: f64) -> BTreeSet<(String, String, usize, usize)> {
    seldom_annotated(docs, yaml, 1, share, |ontology, mentions| {
        let kind = |m: &Mention| ontology.concept(m.concept).terms.get(m.term as usize).map(|t| t.kind);
        let named: BTreeSet<u32> = mentions
            .iter()
            .filter(|m| m.via == Via::Definition || kind(m) == Some(TermKind::Synonym))
            .map(|m| m.concept.0)
            .collect();
        mentions
            .iter()
            .map(|m| {
                m.via != Via::Definition && kind(m) == Some(TermKind::Abbreviation) && !named.contains(&m.concept.0)
            })
            .collect()
    })
}

/// Per annotation type, the words that mark a match as part of a longer name: a word that is
/// the first (last) word of at least `min_uses` annotated names of the type, separated from the
/// rest by a space, and never the word directly before (after) an annotation of the type. The
/// title and the abstract are separate texts here, as they are for the matcher.
fn longer_name_words(docs: &[GoldDoc], min_uses: usize) -> BTreeMap<String, NameWords> {
    if min_uses == 0 {
        return BTreeMap::new();
    }
    // (type, word) -> (names it starts or ends, annotations it stands just outside of)
    let mut before: BTreeMap<(&str, String), (usize, usize)> = BTreeMap::new();
    let mut after: BTreeMap<(&str, String), (usize, usize)> = BTreeMap::new();
    for doc in docs {
        let title_chars = doc.title.chars().count() as u32;
        for a in &doc.annotations {
            let ty = a.kind.as_str();
            let words: Vec<&str> = a.text.trim().split(' ').collect();
            if words.len() > 1 {
                if let Some(w) = whole_word(words[0]) {
                    before.entry((ty, w)).or_default().0 += 1;
                }
                if let Some(w) = whole_word(words[words.len() - 1]) {
                    after.entry((ty, w)).or_default().0 += 1;
                }
            }
            // the section the annotation stands in, and its byte span there
            let (text, offset) = if a.start < title_chars {
                (doc.title.as_str(), 0)
            } else {
                (doc.abstract_text.as_str(), title_chars + 1)
            };
            let byte = |c: u32| {
                text.char_indices()
                    .nth((c.saturating_sub(offset)) as usize)
                    .map_or(text.len(), |(b, _)| b)
            };
            let (bs, be) = (byte(a.start), byte(a.end));
            if let Some((s, e)) = longer_names::word_before(text, bs) {
                before.entry((ty, text[s..e].to_lowercase())).or_default().1 += 1;
            }
            if let Some((s, e)) = longer_names::word_after(text, be) {
                after.entry((ty, text[s..e].to_lowercase())).or_default().1 += 1;
            }
        }
    }
    let mut out: BTreeMap<String, NameWords> = BTreeMap::new();
    for (side, counts) in [(0, before), (1, after)] {
        for ((ty, w), (inside, outside)) in counts {
            if inside >= min_uses && outside == 0 {
                let words = out.entry(ty.to_string()).or_default();
                if side == 0 { &mut words.before } else { &mut words.after }.push(w);
            }
        }
    }
    out
}

/// `w` lower-cased when it is one word as [`longer_names`] reads words next to a mention.
fn whole_word(w: &str) -> Option<String> {
    let ok = w.starts_with(is_word_char)
        && w.ends_with(is_word_char)
        && w.chars().all(|c| is_word_char(c) || c == '-' || c == '\'');
    ok.then(|| w.to_lowercase())
}

/// The terms (id key, text) of the vocabulary `yaml` whose matches in `docs` are annotated in
/// less than the options' share of cases, among those matching at least `min_occurrences` times.
fn low_share_terms(docs: &[GoldDoc], yaml: &str, options: &VocabOptions) -> BTreeSet<(String, String, usize, usize)> {
    seldom_annotated(
        docs,
        yaml,
        options.min_occurrences,
        options.min_annotated_share,
        |_, mentions| mentions.iter().map(|m| m.via != Via::Definition).collect(),
    )
}

/// Tag `docs` with the vocabulary `yaml` as `coagtag tag` does and count, per term, the matches
/// that `counted` selects (one flag per mention of a document) and how many of them are
/// annotated mentions (an annotation with the same span). The terms (id key, text, matches,
/// annotated) with at least `min_matches` counted matches, annotated in less than `share` of
/// them.
fn seldom_annotated(
    docs: &[GoldDoc],
    yaml: &str,
    min_matches: usize,
    share: f64,
    counted: impl Fn(&crate::ontology::Ontology, &[Mention]) -> Vec<bool>,
) -> BTreeSet<(String, String, usize, usize)> {
    let Ok(ontology) = crate::ontology::load_texts(&[("vocab.yaml", yaml)]) else {
        return BTreeSet::new();
    };
    let Ok(tagger) = Tagger::from_ontology(ontology) else {
        return BTreeSet::new();
    };
    // (concept index, term index) -> (counted matches, annotated ones)
    let mut counts: BTreeMap<(u32, u32), (usize, usize)> = BTreeMap::new();
    let mut scratch = Scratch::default();
    for doc in docs {
        let spans: BTreeSet<(u32, u32)> = doc.annotations.iter().map(|a| (a.start, a.end)).collect();
        let mentions = tagger.tag(&doc.document(), &mut scratch);
        for (m, _) in mentions
            .iter()
            .zip(counted(&tagger.ontology, &mentions))
            .filter(|(_, c)| *c)
        {
            let c = counts.entry((m.concept.0, m.term)).or_default();
            c.0 += 1;
            if spans.contains(&(m.start, m.end)) {
                c.1 += 1;
            }
        }
    }
    let mut out = BTreeSet::new();
    for ((concept, term), (n, annotated)) in counts {
        if n >= min_matches.max(1) && (annotated as f64) < share * n as f64 {
            let c = tagger.ontology.concept(crate::ontology::ConceptId(concept));
            if let (Some(raw), Some(t)) = (c.xrefs.first(), c.terms.get(term as usize)) {
                out.insert((id_atoms(raw).join("|"), t.text.clone(), n, annotated));
            }
        }
    }
    out
}

/// The YAML text of the vocabulary; counts synonyms, abbreviations and concepts into `summary`.
fn render(
    ids: &BTreeMap<String, IdInfo>,
    synonyms: &BTreeMap<String, Vec<String>>,
    abbreviations: &BTreeMap<String, Vec<String>>,
    conditional: &BTreeSet<(String, String)>,
    name_words: &BTreeMap<String, NameWords>,
    sources: &[String],
    summary: &mut VocabSummary,
) -> String {
    summary.synonyms = 0;
    summary.abbreviations = 0;
    // concepts: types first, then ids
    let mut types: BTreeSet<&str> = BTreeSet::new();
    let mut concepts: Vec<(String, &str, &IdInfo)> = Vec::new();
    for (key, info) in ids {
        let ty = info
            .types
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(t, _)| t.as_str())
            .unwrap_or("");
        types.insert(ty);
        concepts.push((slug(&info.raw), ty, info));
        let _ = key;
    }
    concepts.sort_by(|a, b| a.0.cmp(&b.0));
    let mut y = emit::comment("Built by `coagtag ontology from-pubtator`: one concept per annotated id.");
    y.push_str(&emit::header(&Header {
        id: "pubtator".into(),
        name: "Vocabulary from annotated corpora".into(),
        description: format!(
            "{} concepts from {} annotations in {} documents",
            concepts.len(),
            summary.annotations - summary.without_id,
            summary.documents
        ),
        sources: sources.to_vec(),
        // corpus ids are fine-grained: a kind of a concept has an id of its own
        kinds_are_distinct: true,
        ..Header::default()
    }));
    y.push_str("concepts:\n");
    let type_slugs: BTreeMap<&str, String> = types.iter().map(|t| (*t, format!("type_{}", slug(t)))).collect();
    for t in &types {
        y.push_str(&emit::concept(&ConceptDef {
            id: type_slugs[t].clone(),
            label: t.to_string(),
            longer_name_words: name_words.get(*t).cloned().unwrap_or_default(),
            ..ConceptDef::default()
        }));
    }
    for (id, ty, info) in &concepts {
        let key = id_atoms(&info.raw).join("|");
        let mut syn = synonyms.get(key.as_str()).cloned().unwrap_or_default();
        syn.sort();
        let mut abbr = abbreviations.get(key.as_str()).cloned().unwrap_or_default();
        abbr.sort();
        // the most frequent spelling among the synonyms, else among all its annotations
        let own: BTreeMap<String, usize> = info
            .spellings
            .iter()
            .filter(|(s, _)| syn.iter().any(|t| normalize::fold(t) == normalize::fold(s)))
            .map(|(s, n)| (s.clone(), *n))
            .collect();
        let label = most_frequent(&own)
            .or_else(|| most_frequent(&info.spellings))
            .unwrap_or(id);
        summary.synonyms += syn.len();
        summary.abbreviations += abbr.len();
        // a conditional abbreviation counts where the document names its concept otherwise
        let abbreviations = abbr
            .iter()
            .map(|a| {
                if !conditional.contains(&(key.clone(), a.clone())) {
                    AbbreviationDef::Plain(a.clone())
                } else {
                    AbbreviationDef::Conditional(ConditionalAbbreviation {
                        term: a.clone(),
                        when: if syn.is_empty() { "defined" } else { "context" }.into(),
                        context: syn.clone(),
                    })
                }
            })
            .collect();
        y.push_str(&emit::concept(&ConceptDef {
            id: id.clone(),
            label: label.to_string(),
            parents: vec![type_slugs[ty].clone()],
            synonyms: syn,
            abbreviations,
            xrefs: vec![info.raw.clone()],
            ..ConceptDef::default()
        }));
    }
    summary.concepts = concepts.len();
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_short_forms() {
        assert_eq!(slug("D003920"), "d003920");
        assert_eq!(slug("OMIM:312080"), "omim_312080");
        assert_eq!(slug("D001943|D010051"), "d001943_or_d010051");
        assert_eq!(slug("D007153+D040181"), "d007153_and_d040181");
        for (s, want) in [
            ("NETs", true),
            ("5-FU", true),
            ("mRNA", true),
            ("HIV", true),
            ("Aspirin", false),
            ("L-dopa", false),
            ("heart failure", false),
            ("Mg", true),
            ("T", true),
            ("mg", false),
        ] {
            assert_eq!(looks_like_abbreviation(s), want, "{s}");
        }
    }

    /// "salt" is annotated once but occurs unannotated three more times: 1 of 4 matches is
    /// annotated, below 0.3, so it is dropped; "aspirin" (2 of 2) stays.
    #[test]
    fn prunes_terms_seldom_annotated_where_they_match() {
        let text = "1|t|Aspirin and salt.\n\
1|a|Salt water, salt pans and aspirin.\n\
1\t0\t7\tAspirin\tChemical\tD001241\n\
1\t12\t16\tsalt\tChemical\tD017673\n\
1\t44\t51\taspirin\tChemical\tD001241\n\
\n\
2|t|More salt.\n\
2|a|No annotation here.\n";
        let docs = crate::eval::gold::parse(text, "t.PubTator").unwrap();
        let (kept, s) = from_pubtator_with(
            &docs,
            &[],
            &VocabOptions {
                min_annotated_share: 0.0,
                min_occurrences: 3,
                min_longer_name_uses: 0,
                min_bare_share: 0.0,
            },
        );
        assert!(kept.contains("synonyms:\n      - \"salt\"\n"), "{kept}");
        assert_eq!((s.synonyms, s.pruned.len()), (2, 0));
        let (pruned, s) = from_pubtator_with(
            &docs,
            &[],
            &VocabOptions {
                min_annotated_share: 0.3,
                min_occurrences: 3,
                min_longer_name_uses: 0,
                min_bare_share: 0.0,
            },
        );
        assert!(!pruned.contains("- \"salt\"\n"), "{pruned}");
        assert!(pruned.contains("synonyms:\n      - \"aspirin\"\n"), "{pruned}");
        assert_eq!(s.pruned, vec![("D017673".to_string(), "salt".to_string(), 4, 1)]);
        assert_eq!(s.synonyms, 1);
        // with at least 5 matches required, 4 say too little: kept
        let (_, s) = from_pubtator_with(
            &docs,
            &[],
            &VocabOptions {
                min_annotated_share: 0.3,
                min_occurrences: 5,
                min_longer_name_uses: 0,
                min_bare_share: 0.0,
            },
        );
        assert!(s.pruned.is_empty());
    }

    /// "SD" is annotated where the document names sexual dysfunction, and matches twice
    /// unannotated where nothing else names it (a standard deviation): 0 of 2 bare matches,
    /// below a half, so it counts only with one of the concept's names. "AZT", annotated in
    /// both its bare matches, stays plain.
    #[test]
    fn makes_abbreviations_conditional_that_are_seldom_annotated_bare() {
        let text = "1|t|Sexual dysfunction and AZT.\n\
1|a|SD was common with AZT.\n\
1\t0\t18\tSexual dysfunction\tDisease\tD012735\n\
1\t23\t26\tAZT\tChemical\tD015215\n\
1\t28\t30\tSD\tDisease\tD012735\n\
1\t47\t50\tAZT\tChemical\tD015215\n\
\n\
2|t|Weight in rats.\n\
2|a|Mean weight +/- SD rose with AZT.\n\
2\t45\t48\tAZT\tChemical\tD015215\n\
\n\
3|t|Body mass.\n\
3|a|Values are mean and SD.\n";
        let docs = crate::eval::gold::parse(text, "t.PubTator").unwrap();
        let options = VocabOptions {
            min_annotated_share: 0.0,
            min_occurrences: 3,
            min_longer_name_uses: 0,
            min_bare_share: 0.5,
        };
        let (yaml, s) = from_pubtator_with(&docs, &[], &options);
        assert_eq!(s.conditioned, vec![("D012735".to_string(), "SD".to_string(), 2, 0)]);
        assert!(
            yaml.contains(
                "    abbreviations:\n      - {term: \"SD\", when: \"context\", context: [\"Sexual dysfunction\"]}\n"
            ),
            "{yaml}"
        );
        assert!(yaml.contains("    abbreviations:\n      - \"AZT\"\n"), "{yaml}");
        // the conditional vocabulary tags SD only where sexual dysfunction is named
        let ontology = crate::ontology::load_texts(&[("v.yaml", yaml.as_str())]).unwrap();
        let tagger = Tagger::from_ontology(ontology).unwrap();
        let sd: Vec<usize> = docs
            .iter()
            .map(|d| {
                let doc = d.document();
                tagger
                    .tag(&doc, &mut Scratch::default())
                    .iter()
                    .filter(|m| m.text(&doc) == "SD")
                    .count()
            })
            .collect();
        assert_eq!(sd, vec![1, 0, 0]);
        // 0 makes none conditional
        let (yaml, s) = from_pubtator_with(
            &docs,
            &[],
            &VocabOptions {
                min_bare_share: 0.0,
                ..options
            },
        );
        assert!(s.conditioned.is_empty());
        assert!(yaml.contains("    abbreviations:\n      - \"SD\"\n"), "{yaml}");
    }

    /// "muscle" starts three annotated disease names and never stands just before one: learned.
    /// "severe" stands just before an annotation once: not learned, however often it starts a
    /// name. Words of chemical names are learned for chemicals only.
    #[test]
    fn learns_longer_name_words_per_type() {
        let text = "1|t|Muscle rigidity and muscle weakness.\n\
1|a|Severe muscle cramps, severe hypotension and bupropion hydrochloride.\n\
1\t0\t15\tMuscle rigidity\tDisease\tD009127\n\
1\t20\t35\tmuscle weakness\tDisease\tD018908\n\
1\t37\t57\tSevere muscle cramps\tDisease\tD009120\n\
1\t66\t77\thypotension\tDisease\tD007022\n\
1\t82\t105\tbupropion hydrochloride\tChemical\tD016642\n\
\n\
2|t|Severe pain.\n\
2|a|Muscle pain and severe muscle damage.\n\
2\t0\t11\tSevere pain\tDisease\tD010146\n\
2\t13\t24\tMuscle pain\tDisease\tD063806\n\
2\t36\t49\tmuscle damage\tDisease\tD009135\n";
        let docs = crate::eval::gold::parse(text, "t.PubTator").unwrap();
        let words = longer_name_words(&docs, 3);
        assert_eq!(words["Disease"].before, vec!["muscle".to_string()]);
        assert!(words["Disease"].after.is_empty());
        assert!(!words.contains_key("Chemical"), "one use is below 3");
        let words = longer_name_words(&docs, 1);
        assert_eq!(
            words["Disease"].before,
            vec!["muscle".to_string()],
            "severe: 2 in, 2 out"
        );
        assert_eq!(words["Chemical"].before, vec!["bupropion".to_string()]);
        assert_eq!(words["Chemical"].after, vec!["hydrochloride".to_string()]);
        assert!(longer_name_words(&docs, 0).is_empty());
        let opts = VocabOptions {
            min_annotated_share: 0.0,
            ..VocabOptions::default()
        };
        let (yaml, s) = from_pubtator_with(&docs, &[], &opts);
        assert!(
            yaml.contains("  - id: \"type_disease\"\n    label: \"Disease\"\n    longer_name_words:\n      before:\n        - \"muscle\"\n"),
            "{yaml}"
        );
        assert_eq!(s.longer_name_words, 1);
    }
}
