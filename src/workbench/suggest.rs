//! `suggest`: candidate additions to the vocabulary, mined from a corpus.
//!
//! For every synonym, coagtag already matches hyphen/space/joined, plural and British/American
//! forms. `suggest` looks for the spellings the generator cannot know and counts them in the
//! corpus:
//!
//! * Greek letters written as Latin letters (`TNF-a`, `IL-1b`, `NF-kB` for `TNF-alpha`, ...);
//! * the word order of two-word terms (`activation of platelets` for `platelet activation`);
//! * words joined that the generator keeps apart (`tissuefactor`);
//! * misspellings: corpus words one edit away from a one-word term of seven letters or more
//!   (`glycocalix`).
//!
//! Short forms that documents define for a long form matching a concept, and that the ontology
//! lacks, are suggested as `when: defined` abbreviations (they then count only in documents that
//! define them), since a short form is often ambiguous outside its own paper.
//!
//! A form is suggested when it occurs at least `min_count` times and no concept matches it yet.
//! Suggestions are written as an `extend:` ontology file with counts and example contexts in
//! comments, for review and then `--ontology default --ontology candidates.yaml`.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};

use super::stats::context;
use crate::document::Document;
use crate::normalize::{self, is_word_char};
use crate::ontology::schema::{AbbreviationDef, ConditionalAbbreviation, Extension};
use crate::ontology::{ConceptId, Ontology, TermKind, emit};
use crate::tag::matcher::Matcher;

/// Why a form is suggested.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    GreekAsLatin {
        term: String,
    },
    WordOrder {
        term: String,
    },
    Joined {
        term: String,
    },
    Misspelling {
        term: String,
    },
    /// Defined in the text as the short form of a long form that matches the concept.
    DefinedAbbreviation {
        long_form: String,
    },
}

impl Reason {
    pub fn describe(&self) -> String {
        match self {
            Reason::GreekAsLatin { term } => format!("Greek letter written as a Latin letter, like {term:?}"),
            Reason::WordOrder { term } => format!("word order of {term:?}"),
            Reason::Joined { term } => format!("words of {term:?} written together"),
            Reason::Misspelling { term } => format!("one letter away from {term:?}"),
            Reason::DefinedAbbreviation { long_form } => {
                format!("defined in the text as the short form of {long_form:?}")
            }
        }
    }

    fn is_abbreviation(&self) -> bool {
        matches!(self, Reason::DefinedAbbreviation { .. })
    }
}

/// One suggested addition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub concept: ConceptId,
    /// The form as first seen in the corpus.
    pub form: String,
    pub reason: Reason,
    pub count: u64,
    pub articles: u64,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone)]
struct Pending {
    concept: ConceptId,
    reason: Reason,
    form: Option<String>,
    count: u64,
    articles: u64,
    last_doc: u64,
    examples: Vec<String>,
}

/// Options for mining.
#[derive(Debug, Clone, Copy)]
pub struct SuggestOptions {
    pub min_count: u64,
    pub examples: usize,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            min_count: 2,
            examples: 3,
        }
    }
}

/// Mines a corpus document by document.
pub struct Suggester<'a> {
    ont: &'a Ontology,
    matcher: &'a Matcher,
    opts: SuggestOptions,
    ac: Option<AhoCorasick>,
    forms: Vec<Pending>,
    words: HashMap<String, (u64, String)>,
    doc: u64,
}

/// A corpus word, its count and its first context.
type WordCount<'w> = (&'w String, &'w (u64, String));

const GREEK_SHORT: [(&str, &str); 5] = [
    ("alpha", "a"),
    ("beta", "b"),
    ("gamma", "g"),
    ("kappa", "k"),
    ("delta", "d"),
];

impl<'a> Suggester<'a> {
    pub fn new(ont: &'a Ontology, matcher: &'a Matcher, opts: SuggestOptions) -> Suggester<'a> {
        let mut by_form: BTreeMap<String, Pending> = BTreeMap::new();
        for cid in ont.ids() {
            let c = ont.concept(cid);
            for t in c.terms.iter().filter(|t| t.kind == TermKind::Synonym) {
                let folded = normalize::fold(&t.text);
                for (form, reason) in candidate_forms(&folded, &t.text) {
                    if already_matched(matcher, &form) {
                        continue;
                    }
                    by_form.entry(form).or_insert(Pending {
                        concept: cid,
                        reason,
                        form: None,
                        count: 0,
                        articles: 0,
                        last_doc: 0,
                        examples: Vec::new(),
                    });
                }
            }
        }
        let patterns: Vec<String> = by_form.keys().cloned().collect();
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("non-empty patterns build")
        });
        Suggester {
            ont,
            matcher,
            opts,
            ac,
            forms: by_form.into_values().collect(),
            words: HashMap::new(),
            doc: 0,
        }
    }

    /// Mine one document.
    pub fn add(&mut self, doc: &Document) {
        self.doc += 1;
        for s in &doc.sections {
            let norm = normalize::normalize(&s.text, true);
            let hay = norm.text.as_str();
            if let Some(ac) = &self.ac {
                for m in ac.find_overlapping_iter(hay) {
                    let (a, b) = (m.start(), m.end());
                    let before = hay[..a].chars().next_back().is_some_and(is_word_char);
                    let after = hay[b..].chars().next().is_some_and(is_word_char);
                    if before || after {
                        continue;
                    }
                    let (os, oe) = norm.original_span(&s.text, a, b);
                    let p = &mut self.forms[m.pattern().as_usize()];
                    p.count += 1;
                    if p.last_doc != self.doc {
                        p.last_doc = self.doc;
                        p.articles += 1;
                    }
                    p.form.get_or_insert_with(|| s.text[os..oe].to_string());
                    if p.examples.len() < self.opts.examples {
                        p.examples.push(format!("{}: {}", doc.id, context(&s.text, os, oe, 50)));
                    }
                }
            }
            // word counts for misspellings
            let mut start = None;
            for (i, c) in hay.char_indices().chain(std::iter::once((hay.len(), ' '))) {
                match (start, is_word_char(c)) {
                    (None, true) => start = Some(i),
                    (Some(st), false) => {
                        let w = &hay[st..i];
                        if w.len() >= 6 {
                            let e = self.words.entry(w.to_string()).or_insert((0, String::new()));
                            e.0 += 1;
                            if e.1.is_empty() {
                                let (os, oe) = norm.original_span(&s.text, st, i);
                                e.1 = format!("{}: {}", doc.id, context(&s.text, os, oe, 50));
                            }
                        }
                        start = None;
                    }
                    _ => {}
                }
            }
        }
    }

    /// Add definitions found by an abbreviation detector: (short form, long form, context).
    pub fn add_definition(&mut self, doc_id: &str, short: &str, long: &str, ctx: &str) {
        let found = self.matcher.find(long);
        let [m] = found.as_slice() else { return };
        if m.byte_start != 0 || m.byte_end as usize != long.len() {
            return;
        }
        let c = self.ont.concept(m.concept);
        if c.terms
            .iter()
            .any(|t| normalize::fold(&t.text) == normalize::fold(short))
            || already_matched(self.matcher, short)
        {
            return;
        }
        let entry = self
            .forms
            .iter_mut()
            .find(|p| p.concept == m.concept && p.form.as_deref() == Some(short) && p.reason.is_abbreviation());
        match entry {
            Some(p) => {
                p.count += 1;
                if p.examples.len() < self.opts.examples {
                    p.examples.push(format!("{doc_id}: {ctx}"));
                }
            }
            None => self.forms.push(Pending {
                concept: m.concept,
                reason: Reason::DefinedAbbreviation {
                    long_form: long.to_string(),
                },
                form: Some(short.to_string()),
                count: 1,
                articles: 1,
                last_doc: self.doc,
                examples: vec![format!("{doc_id}: {ctx}")],
            }),
        }
    }

    /// The suggestions, most frequent first.
    pub fn finish(self) -> Vec<Suggestion> {
        let mut out: Vec<Suggestion> = self
            .forms
            .into_iter()
            .filter(|p| p.count >= self.opts.min_count)
            .filter_map(|p| {
                Some(Suggestion {
                    concept: p.concept,
                    form: p.form?,
                    reason: p.reason,
                    count: p.count,
                    articles: p.articles,
                    examples: p.examples,
                })
            })
            .collect();
        // misspellings: corpus words one edit away from a long one-word term
        let mut by_len: HashMap<usize, Vec<WordCount>> = HashMap::new();
        for (w, v) in &self.words {
            if v.0 >= self.opts.min_count {
                by_len.entry(w.chars().count()).or_default().push((w, v));
            }
        }
        for cid in self.ont.ids() {
            for t in self
                .ont
                .concept(cid)
                .terms
                .iter()
                .filter(|t| t.kind == TermKind::Synonym)
            {
                let folded = normalize::fold(&t.text);
                let n = folded.chars().count();
                if n < 7 || !folded.chars().all(char::is_alphabetic) {
                    continue;
                }
                for len in n - 1..=n + 1 {
                    for (w, (count, ex)) in by_len.get(&len).map_or(&[][..], Vec::as_slice) {
                        if w.chars().next() != folded.chars().next() || strsim::levenshtein(w, &folded) != 1 {
                            continue;
                        }
                        if already_matched(self.matcher, w) {
                            continue;
                        }
                        out.push(Suggestion {
                            concept: cid,
                            form: w.to_string(),
                            reason: Reason::Misspelling { term: t.text.clone() },
                            count: *count,
                            articles: 0,
                            examples: vec![ex.clone()],
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.concept.cmp(&b.concept))
                .then(a.form.cmp(&b.form))
        });
        out.dedup_by(|b, a| a.concept == b.concept && normalize::fold(&a.form) == normalize::fold(&b.form));
        out
    }
}

/// Whether any concept already matches the whole form.
fn already_matched(matcher: &Matcher, form: &str) -> bool {
    matcher
        .find(form)
        .iter()
        .any(|m| m.byte_start == 0 && m.byte_end as usize == form.len())
}

/// Forms of a folded synonym that the variant generator does not produce.
fn candidate_forms(folded: &str, original: &str) -> Vec<(String, Reason)> {
    let mut out = Vec::new();
    // Greek letter names as Latin letters, where the name is its own token or follows a digit
    let mut greek = folded.to_string();
    for (name, letter) in GREEK_SHORT {
        let mut s = String::new();
        let mut rest = greek.as_str();
        while let Some(i) = rest.find(name) {
            let before = rest[..i].chars().next_back();
            let after = rest[i + name.len()..].chars().next();
            let ok_before = before.is_none_or(|c| c == '-' || c == ' ' || c.is_ascii_digit());
            let ok_after = after.is_none_or(|c| !c.is_alphabetic() || name == "kappa");
            s.push_str(&rest[..i]);
            s.push_str(if ok_before && ok_after { letter } else { name });
            rest = &rest[i + name.len()..];
        }
        s.push_str(rest);
        greek = s;
    }
    if greek != folded {
        out.push((
            greek,
            Reason::GreekAsLatin {
                term: original.to_string(),
            },
        ));
    }
    let words: Vec<&str> = folded.split(' ').collect();
    if words.len() == 2
        && words
            .iter()
            .all(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
    {
        let (a, b) = (words[0], words[1]);
        for form in [format!("{b} of {a}"), format!("{b} of the {a}"), format!("{b} of {a}s")] {
            out.push((
                form,
                Reason::WordOrder {
                    term: original.to_string(),
                },
            ));
        }
        out.push((
            format!("{a}{b}"),
            Reason::Joined {
                term: original.to_string(),
            },
        ));
    }
    out
}

/// The suggestions as an `extend:` ontology file.
pub fn to_yaml(ont: &Ontology, suggestions: &[Suggestion], source: &str) -> String {
    let mut out = emit::comment(&format!(
        "Candidate additions mined by `coagtag suggest` from {source}.\nReview each entry, delete what is wrong, then use it with\n  coagtag tag ... --ontology default --ontology THIS_FILE"
    ));
    if suggestions.is_empty() {
        out.push_str("# No candidates were found.\nextend: []\n");
        return out;
    }
    out.push_str("extend:\n");
    let mut by_concept: BTreeMap<ConceptId, Vec<&Suggestion>> = BTreeMap::new();
    for s in suggestions {
        by_concept.entry(s.concept).or_default().push(s);
    }
    for (cid, list) in by_concept {
        let c = ont.concept(cid);
        let mut ext = Extension {
            id: c.id.clone(),
            ..Extension::default()
        };
        let mut note = format!("{} ({})", c.label, c.id);
        for s in &list {
            if s.reason.is_abbreviation() {
                // found through a definition, so suggested to count only where one is made
                ext.abbreviations
                    .push(AbbreviationDef::Conditional(ConditionalAbbreviation {
                        term: s.form.clone(),
                        when: "defined".to_string(),
                        context: Vec::new(),
                    }));
            } else {
                ext.synonyms.push(s.form.clone());
            }
            note.push_str(&format!("\n{:?}: {} times; {}", s.form, s.count, s.reason.describe()));
            for e in &s.examples {
                note.push_str(&format!("\n    e.g. {e}"));
            }
        }
        out.push_str(&emit::extension(&ext, &note));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::ontology::load_texts;

    #[test]
    fn candidate_forms_table() {
        let forms = |t: &str| -> Vec<String> {
            candidate_forms(&normalize::fold(t), t)
                .into_iter()
                .map(|f| f.0)
                .collect()
        };
        assert_eq!(forms("TNF-α"), vec!["tnf-a"]);
        assert_eq!(forms("IL-1β"), vec!["il-1b"]);
        assert_eq!(forms("NF-κB"), vec!["nf-kb"]);
        assert_eq!(
            forms("platelet activation"),
            vec![
                "activation of platelet",
                "activation of the platelet",
                "activation of platelets",
                "plateletactivation"
            ]
        );
        assert_eq!(
            forms("alphabet soup"),
            vec![
                "soup of alphabet",
                "soup of the alphabet",
                "soup of alphabets",
                "alphabetsoup"
            ]
        );
    }

    #[test]
    fn mines_a_small_corpus_into_a_loadable_extension() {
        let base = "concepts:\n  - {id: tnf, label: TNF-alpha, synonyms: [TNF-α]}\n  - {id: pa, label: Platelet activation, synonyms: [platelet activation]}\n  - {id: gx, label: Glycocalyx, synonyms: [glycocalyx]}\n";
        let o = load_texts(&[("base.yaml", base)]).unwrap();
        let m = Matcher::new(&o);
        let mut s = Suggester::new(
            &o,
            &m,
            SuggestOptions {
                min_count: 2,
                examples: 1,
            },
        );
        let docs = [
            "TNF-a and activation of platelets in the glycocalix.",
            "Serum TNF-a rose; activation of platelets; glycocalix shedding.",
            "TNF-alpha was measured once.",
        ];
        for (i, d) in docs.iter().enumerate() {
            s.add(&Document::new(format!("d{i}"), vec![Section::new("text", *d)]));
        }
        s.add_definition("d9", "PLA", "platelet activation", "platelet activation (PLA)");
        let got = s.finish();
        let summary: Vec<(&str, &str, u64)> = got
            .iter()
            .map(|x| (o.concept(x.concept).id.as_str(), x.form.as_str(), x.count))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("tnf", "TNF-a", 2),
                ("pa", "activation of platelets", 2),
                ("gx", "glycocalix", 2)
            ]
        );
        let yaml = to_yaml(&o, &got, "corpus");
        let ext = load_texts(&[("base.yaml", base), ("cand.yaml", &yaml)]).expect("suggestions load back");
        assert_eq!(ext.concepts[0].terms.len(), 2);
        let m2 = Matcher::new(&ext);
        assert_eq!(m2.find("TNF-a, activation of platelets, glycocalix").len(), 3);
    }
}
