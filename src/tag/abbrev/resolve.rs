//! What a document's abbreviation definitions mean for its mentions, decided in phases (see
//! [`resolve`]).

use super::AbbreviationRule;
use super::definitions::{Definition, KeyAndPlural, WholeWord, contains_word};
use crate::document::Document;
use crate::normalize::{self, CharCounter};
use crate::ontology::{ConceptId, Condition, Ontology, TermKind};
use crate::tag::longer_names::word_after;
use crate::tag::matcher::{Mention, MentionEvidence, Scratch, Via};
use crate::tag::stage::{CaseForms, Context, Decision, Outcome, Recorder, Rule, decide};

/// Apply a document's abbreviation definitions and the ontology's conditional abbreviations to
/// the matcher's mentions (in document order); returns the mentions in document order.
///
/// * A definition whose long form is a mention of a concept ("neutrophil extracellular traps
///   (NETs)") makes every use of its short form a mention of that concept, [`Via::Definition`],
///   even when the ontology does not list the short form. When a mention covers only the end of
///   the long form (its head: "heparin-induced *thrombocytopenia* (HIT)"), the short form's uses
///   become mentions of the head's concept only where the ontology does not read them otherwise.
///   Where the ontology's header says `kinds_are_distinct`, only a head of more than half the
///   long form's words does so ("ribavirin-induced *hemolytic anemia* (RIHA)", not
///   "low-molecular-weight *heparin* (LMWH)"). When no mention in the text covers the long form
///   (an exclude phrase or an overlapping match took it), the long form is matched on its own:
///   "receptor activator of *nuclear factor κB* (NF-κB) ligand": NF-κB still means NF-κB.
/// * A long form that names no concept but spells a name of the concept its short form is
///   listed for ("torsade de pointes (TdP)") confirms the short form; when it spells it closely
///   it is a mention too, wherever the document repeats it (see `docs/abbreviations.md`).
/// * A use of a defined short form is never a mention of another concept: a listed abbreviation
///   that the document defines as something else ("TF (transcription factor)") is dropped there
///   (unless the long form is named only by its head, as above).
/// * A conditional abbreviation is never the long form of a definition.
/// * An abbreviation marked `when: defined` counts only at uses of a short form the document
///   defines with a long form of the same concept; `when: context` only where one of its context
///   terms occurs in the document (whole words, case-insensitive).
///
/// The phases, in order: what each definition means ([`meanings`]); where its short form is used
/// ([`find_uses`]); long forms that respell a name ([`respellings`]); the matcher's mentions the
/// definitions and conditions drop ([`filter`]); the uses of short forms that become mentions
/// ([`add_uses`]); the respelled long forms, where defined and repeated ([`add_long_forms`]).
pub(super) fn resolve<R: Recorder>(
    cx: &Context<'_>,
    defs: &[Definition],
    forms: &mut CaseForms,
    kinds_are_distinct: bool,
    mentions: Vec<Mention>,
    rec: &mut R,
) -> Vec<Mention> {
    // the matcher's buffers for the long forms matched alone: allocated once per document, not
    // once per long form (BENCHMARKS.md)
    let mut scratch = Scratch::default();
    let mut meanings = meanings(cx, defs, &mentions, kinds_are_distinct, &mut scratch);
    let uses = if defs.is_empty() {
        Vec::new()
    } else {
        find_uses(cx.doc, defs, forms)
    };
    let respelled = respellings(cx.ontology, defs, &uses, &mentions, &mut meanings);
    let mut out = filter(cx, defs, &uses, &meanings, mentions, rec);
    let starts = &cx.section_starts;
    add_uses(cx.doc, starts, defs, &uses, &meanings, &mut out, rec);
    add_long_forms(cx.doc, starts, defs, &respelled, &mut out, rec);
    add_bracketed_terms(cx, starts, defs, &mut out, &mut scratch, rec);
    out.sort_by_key(|m| (m.start, m.end, m.concept));
    out
}

/// What a definition's long form names.
#[derive(Debug, Clone, Default)]
struct Meaning {
    /// The concepts it names, each with the term that matched; one entry per concept.
    concepts: Vec<(ConceptId, u32)>,
    /// A mention covers the whole long form (else only its head).
    whole: bool,
    /// Where kinds are distinct: the head covers at most half of the long form's words, a kind
    /// of the concept the vocabulary does not list; the short form's uses are no mentions.
    minor_head: bool,
    /// The long form ends with this word after the concept's term, one of the concept's
    /// `head_words` ("endothelial glycocalyx layer (GCX)").
    head_word: Option<String>,
    /// The short form abbreviates only the words before the long form's head, which alone names
    /// the concept ("gastrointestinal bleeding (GI)"): a use of it followed by another word is
    /// that modifier in another name ("GI tract").
    modifier_only: bool,
}

/// Phase 1: what each definition's long form names. A mention that ends where the long form
/// ends names it: one that starts where it starts or before ("*mitochondrial reactive oxygen
/// species* (ROS)": the long form found is the shortest, "reactive oxygen species") names all of
/// it; otherwise the mentions name its head. Conditional abbreviations and mentions found
/// through a definition name nothing (in "therapeutic TFs (TTs)" the TFs are not tissue factor
/// unless the document says so). A long form that no mention covers is matched on its own.
fn meanings(
    cx: &Context<'_>,
    defs: &[Definition],
    mentions: &[Mention],
    kinds_are_distinct: bool,
    scratch: &mut Scratch,
) -> Vec<Meaning> {
    defs.iter()
        .map(|d| {
            let candidate = |m: &&Mention| {
                m.section == d.section && m.via != Via::Definition && condition(cx.ontology, m).is_none()
            };
            let mut head: Vec<&Mention> = mentions
                .iter()
                .filter(candidate)
                .filter(|m| m.byte_end == d.long_span.1)
                .collect();
            // no mention ends where the long form ends: one may end a head word before it
            let mut head_word = None;
            if head.is_empty() {
                let text = &cx.doc.sections[d.section as usize].text;
                head = mentions
                    .iter()
                    .filter(candidate)
                    .filter(|m| m.byte_end > d.long_span.0 && m.byte_end < d.long_span.1)
                    .filter(|m| {
                        let Some((s, e)) = word_after(text, m.byte_end as usize) else {
                            return false;
                        };
                        let word = text[s..e].to_lowercase();
                        let listed = e == d.long_span.1 as usize && lists_head_word(cx.ontology, m.concept, &word);
                        if listed {
                            head_word = Some(word);
                        }
                        listed
                    })
                    .collect();
            }
            let modifier_only = head_word.is_none()
                && !head.is_empty()
                && head.iter().all(|m| m.byte_start > d.long_span.0)
                && !abbreviates_last_word(&d.short, &d.long);
            let whole = head.iter().any(|m| m.byte_start <= d.long_span.0);
            let mut concepts: Vec<(ConceptId, u32)> = head
                .iter()
                .filter(|m| !whole || m.byte_start <= d.long_span.0)
                .map(|m| (m.concept, m.term))
                .collect();
            concepts.sort_unstable();
            concepts.dedup_by_key(|x| x.0);
            // where kinds of a concept are distinct concepts, a head that is at most half the
            // long form's words names a kind the vocabulary does not list: "low-molecular-weight
            // heparin (LMWH)" is no plain heparin
            let mut minor_head = false;
            if kinds_are_distinct && !whole && !concepts.is_empty() {
                // the words of the long form the longest head covers
                let from = head
                    .iter()
                    .map(|m| m.byte_start.saturating_sub(d.long_span.0) as usize)
                    .min()
                    .unwrap_or(0)
                    .min(d.long.len());
                let covered = d.long.get(from..).map_or(0, |h| h.split_whitespace().count());
                minor_head = 2 * covered <= d.long.split_whitespace().count();
            }
            if !whole {
                let named = named_alone(cx, d, mentions, scratch);
                if !named.is_empty() {
                    return Meaning {
                        concepts: named,
                        whole: true,
                        minor_head,
                        head_word: None,
                        modifier_only: false,
                    };
                }
            }
            Meaning {
                concepts,
                whole: whole || head_word.is_some(),
                minor_head,
                head_word,
                modifier_only: modifier_only && !whole,
            }
        })
        .collect()
}

/// What a long form names matched on its own (the whole long form, unconditional terms), when
/// no mention in the text covers it: an exclude phrase or an overlapping match took it there.
fn named_alone(cx: &Context<'_>, d: &Definition, mentions: &[Mention], scratch: &mut Scratch) -> Vec<(ConceptId, u32)> {
    let covered = mentions
        .iter()
        .any(|m| m.section == d.section && m.byte_end == d.long_span.1 && m.byte_start <= d.long_span.0);
    if covered {
        return Vec::new();
    }
    let mut named: Vec<(ConceptId, u32)> = cx
        .matcher
        .find_with(&d.long, scratch)
        .into_iter()
        .filter(|m| m.byte_start == 0 && m.byte_end as usize == d.long.len() && condition(cx.ontology, m).is_none())
        .map(|m| (m.concept, m.term))
        .collect();
    named.sort_unstable();
    named.dedup_by_key(|x| x.0);
    named
}

/// Whether `word` is one of the `head_words` of `concept` or of a concept above it.
fn lists_head_word(ontology: &Ontology, concept: ConceptId, word: &str) -> bool {
    let mut cur = Some(concept);
    // depth bounds the walk, so a malformed parent chain cannot loop forever
    for _ in 0..=ontology.concept(concept).depth {
        let Some(c) = cur else { break };
        if ontology
            .concept(c)
            .head_words
            .binary_search_by(|w| w.as_str().cmp(word))
            .is_ok()
        {
            return true;
        }
        cur = ontology.concept(c).parent;
    }
    false
}

/// Whether the short form takes a letter from the long form's last word: the first letter of
/// that word (or of a part of it after `-`) occurs in the short form, case-insensitively.
/// "gastrointestinal bleeding (GI)" abbreviates only "gastrointestinal"; "neutrophil
/// extracellular traps (NETs)" takes the T of "traps".
fn abbreviates_last_word(short: &str, long: &str) -> bool {
    let Some(last) = long.split_whitespace().next_back() else {
        return true;
    };
    let letters: Vec<char> = short.chars().flat_map(char::to_lowercase).collect();
    last.split(['-', '/'])
        .filter_map(|part| part.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_lowercase)
        .any(|c| letters.contains(&c))
}

/// A short form's use in the document: where it stands and which definition governs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Use {
    section: u32,
    byte_start: u32,
    byte_end: u32,
    def: usize,
}

/// Phase 2: every whole-word, case-sensitive use of the defined short forms (and their plural or
/// singular), each with the definition that governs it: the nearest one before it with the
/// same short form, or the first one for uses before any (typically in the title).
fn find_uses(doc: &Document, defs: &[Definition], forms: &mut CaseForms) -> Vec<Use> {
    // the keys borrowed from the short forms where they can be, and the definitions grouped by
    // key (ascending, the sort being stable) in one list, not a copy of each key, a sorted copy
    // of the distinct keys and a list of definitions for each (with the byte comparisons at each
    // stop, this function 128 M -> 112 M instructions of target (a) of issue 19; BENCHMARKS.md,
    // "abbrev2")
    let keys: Vec<std::borrow::Cow<'_, str>> = defs.iter().map(Definition::key_ref).collect();
    let mut by_key: Vec<usize> = (0..defs.len()).collect();
    by_key.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    // each distinct key's search, in the keys' order, and its definitions (indices into `defs`,
    // ascending): the keys are not compared again at every use (BENCHMARKS.md, "aabbrev")
    let searches: Vec<(KeyAndPlural<'_>, &[usize])> = by_key
        .chunk_by(|&a, &b| keys[a] == keys[b])
        .map(|of_key| (KeyAndPlural::new(&keys[of_key[0]]), of_key))
        .collect();
    // room for the uses of a typical document (10 on average in target (a) of issue 19): grown
    // from nothing, the list was reallocated 31,000 times there, 5.6 M instructions
    // (BENCHMARKS.md, "abbrev2")
    let mut uses = Vec::with_capacity(16);
    for (si, sec) in doc.sections.iter().enumerate() {
        let norm = forms.get(si, &sec.text);
        let hay = norm.map_or(sec.text.as_str(), |n| n.text.as_str());
        for (forms, of_key) in &searches {
            forms.in_text(hay, |at, len| {
                let end = at + len;
                let (os, oe) = norm.map_or((at, end), |n| n.original_span(&sec.text, at, end));
                let pos = (si as u32, os as u32);
                let def = of_key
                    .iter()
                    .copied()
                    .rfind(|&d| (defs[d].section, defs[d].short_span.0) <= pos)
                    .or_else(|| of_key.first().copied());
                if let Some(def) = def {
                    uses.push(Use {
                        section: si as u32,
                        byte_start: os as u32,
                        byte_end: oe as u32,
                        def,
                    });
                }
            });
        }
    }
    // the same span from two keys (a key and another's plural: "A" and "As"): the first key's
    // stays, the sort being stable
    uses.sort_by_key(|u| (u.section, u.byte_start, u.byte_end));
    uses.dedup_by_key(|u| (u.section, u.byte_start, u.byte_end));
    uses
}

/// A long form that spells the name of the concept its short form is listed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Respelled {
    concept: ConceptId,
    term: u32,
    /// It spells the name closely (or the concept has no long name): the long form is a
    /// mention too.
    long_is_mention: bool,
}

/// Phase 3: long forms that name no concept but spell the name of the concept their short form
/// is listed for ("torsade de pointes (TdP)", the ontology's "torsades de pointes" / "TdP"). They
/// confirm that reading: the definition now means that concept.
fn respellings(
    ontology: &Ontology,
    defs: &[Definition],
    uses: &[Use],
    mentions: &[Mention],
    meanings: &mut [Meaning],
) -> Vec<Option<Respelled>> {
    let mut respelled: Vec<Option<Respelled>> = vec![None; defs.len()];
    for u in uses {
        if !meanings[u.def].concepts.is_empty() || respelled[u.def].is_some() {
            continue;
        }
        let long = &defs[u.def].long;
        respelled[u.def] = mentions
            .iter()
            .filter(|m| {
                m.section == u.section
                    && (m.byte_start, m.byte_end) == (u.byte_start, u.byte_end)
                    && m.via != Via::Definition
            })
            .find_map(|m| {
                let c = ontology.concept(m.concept);
                let term = c.terms.get(m.term as usize)?;
                let mut names = c.terms.iter().filter(|t| t.kind == TermKind::Synonym).peekable();
                let long_is_mention = match term.kind {
                    // an abbreviation the ontology gives no long name for, or one it spells
                    TermKind::Abbreviation if names.peek().is_none() => true,
                    TermKind::Abbreviation => match names.map(|t| resemblance(long, &t.text)).max()? {
                        Resemblance::None => return None,
                        Resemblance::Loose => false,
                        Resemblance::Close => true,
                    },
                    // a word the document writes as a short form: "sodium 2-mercaptoethane
                    // sulphonate (MESNA)" for the ontology's "mesna"
                    TermKind::Synonym if !term.text.chars().any(char::is_uppercase) => false,
                    TermKind::Synonym => return None,
                };
                Some(Respelled {
                    concept: m.concept,
                    term: m.term,
                    long_is_mention,
                })
            });
    }
    for (meaning, r) in meanings.iter_mut().zip(&respelled) {
        if let Some(r) = r {
            meaning.concepts = vec![(r.concept, r.term)];
            meaning.whole = true;
        }
    }
    respelled
}

/// Phase 4: the matcher's mentions that the definitions and conditions keep. A use of a short
/// form the document defines as something else is dropped (listed abbreviations the document
/// defines otherwise, "TF (transcription factor)"), unless the long form is named only by its
/// head; a `when: defined` abbreviation needs a definition as its concept, a `when: context` one
/// a context term in the document.
fn filter<R: Recorder>(
    cx: &Context<'_>,
    defs: &[Definition],
    uses: &[Use],
    meanings: &[Meaning],
    mentions: Vec<Mention>,
    rec: &mut R,
) -> Vec<Mention> {
    let rule = |r: AbbreviationRule| Rule::Abbreviations(r);
    let definition = |u: &Use| (defs[u.def].short.clone(), defs[u.def].long.clone());
    // per (concept, term) of a `when: context` abbreviation: its first context term found
    let mut context_cache: Vec<(usize, usize, Option<usize>)> = Vec::new();
    let mut folded: Option<String> = None;
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if m.via == Via::Definition {
            out.push(m);
            continue;
        }
        let at = uses
            .iter()
            .find(|u| u.section == m.section && u.byte_start == m.byte_start && u.byte_end == m.byte_end);
        let governed = at.map(|u| meanings[u.def].concepts.iter().any(|&(c, _)| c == m.concept));
        let weak = at.is_some_and(|u| !meanings[u.def].whole && !meanings[u.def].concepts.is_empty());
        if governed == Some(false) && !weak {
            decide(rec, &m, Outcome::Dropped, || {
                let (short, long) = definition(at.expect("a governed mention has a use"));
                rule(AbbreviationRule::DefinedOtherwise { short, long })
            });
            continue;
        }
        let mut context_term = None;
        match condition(cx.ontology, &m) {
            Some(Condition::Defined) if governed != Some(true) => {
                decide(rec, &m, Outcome::Dropped, || rule(AbbreviationRule::NotDefined));
                continue;
            }
            Some(Condition::Context(terms)) => {
                let key = (m.concept.index(), m.term as usize);
                let found = match context_cache.iter().find(|c| (c.0, c.1) == key) {
                    Some(c) => c.2,
                    None => {
                        let text = folded.get_or_insert_with(|| {
                            cx.doc
                                .sections
                                .iter()
                                .map(|s| normalize::fold(&s.text))
                                .collect::<Vec<_>>()
                                .join("\n")
                        });
                        let found = terms.iter().position(|t| contains_word(text, &normalize::fold(t)));
                        context_cache.push((key.0, key.1, found));
                        found
                    }
                };
                let Some(found) = found else {
                    decide(rec, &m, Outcome::Dropped, || {
                        rule(AbbreviationRule::NoContextTerm { terms: terms.clone() })
                    });
                    continue;
                };
                context_term = Some(&terms[found]);
            }
            _ => {}
        }
        match (context_term, at) {
            (Some(term), _) => decide(rec, &m, Outcome::Kept, || {
                rule(AbbreviationRule::ContextTerm { term: term.clone() })
            }),
            (None, Some(u)) if governed == Some(true) => decide(rec, &m, Outcome::Kept, || {
                let (short, long) = definition(u);
                rule(AbbreviationRule::DefinedAsConcept { short, long })
            }),
            (None, Some(u)) => decide(rec, &m, Outcome::Kept, || {
                let (short, long) = definition(u);
                rule(AbbreviationRule::HeadOnly { short, long })
            }),
            // not a use of a defined short form, no condition: untouched
            (None, None) => {}
        }
        out.push(m);
    }
    out
}

/// A mention found through a definition, at a byte span of a section.
fn definition_mention(
    doc: &Document,
    starts: &[usize],
    section: u32,
    (bs, be): (u32, u32),
    (concept, term): (ConceptId, u32),
    variant: bool,
) -> Mention {
    let mut counter = CharCounter::new(&doc.sections[section as usize].text);
    let base = starts[section as usize] as u32;
    Mention {
        start: base + counter.chars_at(bs as usize) as u32,
        end: base + counter.chars_at(be as usize) as u32,
        concept,
        term,
        section,
        byte_start: bs,
        byte_end: be,
        variant,
        via: Via::Definition,
        evidence: MentionEvidence::default(),
        qualifiers: Default::default(),
    }
}

/// Words that follow a short form without making a longer name of it ("GI was treated"): the
/// English auxiliaries, conjunctions, prepositions and determiners (sorted).
const FUNCTION_WORDS: &[&str] = &[
    "a", "after", "an", "and", "are", "as", "at", "be", "been", "before", "but", "by", "can", "could", "did", "do",
    "does", "during", "for", "from", "had", "has", "have", "in", "into", "is", "may", "might", "must", "nor", "not",
    "of", "on", "or", "over", "should", "than", "that", "the", "then", "to", "under", "was", "were", "when", "which",
    "while", "who", "will", "with", "within", "without", "would",
];

/// Phase 5: the uses of defined short forms that name a concept and are not yet mentions of it
/// become mentions of it ([`Via::Definition`]); a use inside another mention does not, nor one
/// whose long form is a kind of what its head names (`minor_head`). A long form named only by its
/// head yields to the ontology's own reading of the short form.
fn add_uses<R: Recorder>(
    doc: &Document,
    starts: &[usize],
    defs: &[Definition],
    uses: &[Use],
    meanings: &[Meaning],
    out: &mut Vec<Mention>,
    rec: &mut R,
) {
    let short_long = |u: &Use| (defs[u.def].short.clone(), defs[u.def].long.clone());
    for u in uses {
        let span = (u.byte_start, u.byte_end);
        let meaning = &meanings[u.def];
        let inside = out.iter().find(|m| {
            m.section == u.section
                && m.byte_start < u.byte_end
                && u.byte_start < m.byte_end
                && (m.byte_start, m.byte_end) != span
        });
        let text = &doc.sections[u.section as usize].text;
        let modifier = meaning
            .modifier_only
            .then(|| word_after(text, u.byte_end as usize))
            .flatten()
            .map(|(s, e)| text[s..e].to_string())
            .filter(|w| FUNCTION_WORDS.binary_search(&w.to_lowercase().as_str()).is_err());
        if let Some(word) = modifier {
            for &named in &meaning.concepts {
                rec.decide(|| {
                    let (short, long) = short_long(u);
                    Decision {
                        mention: definition_mention(doc, starts, u.section, span, named, false),
                        outcome: Outcome::Dropped,
                        rule: Rule::Abbreviations(AbbreviationRule::ModifierUse {
                            short,
                            long,
                            word: word.clone(),
                        }),
                    }
                });
            }
            continue;
        }
        if inside.is_some() || meaning.minor_head {
            for &named in &meaning.concepts {
                rec.decide(|| {
                    let (short, long) = short_long(u);
                    let rule = match inside {
                        Some(m) => AbbreviationRule::InsideMention {
                            short,
                            mention: m.text(doc).to_string(),
                        },
                        None => AbbreviationRule::MinorHead { short, long },
                    };
                    Decision {
                        mention: definition_mention(doc, starts, u.section, span, named, false),
                        outcome: Outcome::Dropped,
                        rule: Rule::Abbreviations(rule),
                    }
                });
            }
            continue;
        }
        for &(concept, term) in &meaning.concepts {
            let present = out.iter().any(|m| {
                m.section == u.section
                    && m.byte_start == u.byte_start
                    && m.byte_end == u.byte_end
                    && (m.concept == concept || !meaning.whole)
            });
            if present {
                continue;
            }
            let m = definition_mention(doc, starts, u.section, span, (concept, term), false);
            decide(rec, &m, Outcome::Added, || {
                let (short, long) = short_long(u);
                Rule::Abbreviations(match &meaning.head_word {
                    Some(word) => AbbreviationRule::HeadWordUse {
                        short,
                        long,
                        word: word.clone(),
                    },
                    None => AbbreviationRule::ShortFormUse { short, long },
                })
            });
            out.push(m);
        }
    }
}

/// Phase 6: the respelled long forms that spell their name closely are mentions where they are
/// defined and wherever the document repeats them (ASCII case-insensitive, whole words), unless
/// a mention of something else stands there: a long form holding one is more than a respelling
/// ("programmed cell death protein 1 (PD-1), and its ligand (PD-L1)").
fn add_long_forms<R: Recorder>(
    doc: &Document,
    starts: &[usize],
    defs: &[Definition],
    respelled: &[Option<Respelled>],
    out: &mut Vec<Mention>,
    rec: &mut R,
) {
    for (d, r) in defs.iter().zip(respelled) {
        let Some(r) = r.filter(|r| r.long_is_mention) else {
            continue;
        };
        let mut spans = vec![(d.section, d.long_span.0, d.long_span.1)];
        let long = d.long.to_ascii_lowercase();
        let search = WholeWord::new(&long);
        for (si, sec) in doc.sections.iter().enumerate() {
            if !sec.text.is_ascii() || !long.is_ascii() {
                continue;
            }
            let hay = sec.text.to_ascii_lowercase();
            for at in search.in_text(&hay) {
                spans.push((si as u32, at as u32, (at + long.len()) as u32));
            }
        }
        spans.sort_unstable();
        spans.dedup();
        let rule = |respelled: bool| {
            let (short, long) = (d.short.clone(), d.long.clone());
            Rule::Abbreviations(if respelled {
                AbbreviationRule::RespelledLongForm { short, long }
            } else {
                AbbreviationRule::LongFormHoldsMention { short, long }
            })
        };
        for (section, bs, be) in spans {
            let mention = || definition_mention(doc, starts, section, (bs, be), (r.concept, r.term), true);
            if out
                .iter()
                .any(|o| o.section == section && o.byte_start < be && bs < o.byte_end)
            {
                rec.decide(|| Decision {
                    mention: mention(),
                    outcome: Outcome::Dropped,
                    rule: rule(false),
                });
                continue;
            }
            let m = mention();
            decide(rec, &m, Outcome::Added, || rule(true));
            out.push(m);
        }
    }
}

/// How far past a definition a term written around it is looked for, in bytes.
const BRACKETED_TAIL: usize = 80;

/// Phase 7: terms written with a definition inside them, "endoplasmic reticulum (ER) stress":
/// the words of a term with the parenthesised short form inserted after a prefix of them. Where
/// the definition's parenthesis is followed by a space and a word, the long form (from its first
/// word on, the longest reading first) and the words after the parenthesis are matched as one
/// text; a term that begins at the reading's start and ends past the parenthesis is a mention
/// over the whole span, and the mentions inside that span give way to it. The definition itself
/// stands ("ER" = "endoplasmic reticulum").
fn add_bracketed_terms<R: Recorder>(
    cx: &Context<'_>,
    starts: &[usize],
    defs: &[Definition],
    out: &mut Vec<Mention>,
    scratch: &mut Scratch,
    rec: &mut R,
) {
    // the reading matched: a prefix of the long form, a space, the words after the bracket
    // (one buffer: `format!` per reading cost 80 M instructions on pubmed21n1298, BENCHMARKS.md)
    let mut joined = String::new();
    for d in defs {
        let text = &cx.doc.sections[d.section as usize].text;
        let (ls, le, se) = (d.long_span.0 as usize, d.long_span.1 as usize, d.short_span.1 as usize);
        // the short form must be the whole parenthesis, after the long form, with a word after it
        let Some(after) = text.get(se..).and_then(|t| t.strip_prefix(") ")) else {
            continue;
        };
        if le > d.short_span.0 as usize || !after.starts_with(crate::normalize::is_word_char) {
            continue;
        }
        let tail_start = se + 2;
        let mut tail_end = (tail_start + BRACKETED_TAIL).min(text.len());
        while !text.is_char_boundary(tail_end) {
            tail_end -= 1;
        }
        let tail = &text[tail_start..tail_end];
        // each word start of the long form, the longest reading first
        let word_starts = std::iter::once(ls).chain(
            text[ls..le]
                .char_indices()
                .filter(|&(i, c)| i > 0 && c == ' ')
                .map(|(i, _)| ls + i + 1),
        );
        for from in word_starts {
            // a mention across the reading's start makes the long form a name of its own
            // ("non-vitamin K antagonist oral anticoagulant (NOAC) treatment")
            let straddled = out
                .iter()
                .any(|o| o.section == d.section && (o.byte_start as usize) < from && from < o.byte_end as usize);
            if straddled {
                break;
            }
            let prefix = &text[from..le];
            joined.clear();
            joined.push_str(prefix);
            joined.push(' ');
            joined.push_str(tail);
            let cut = prefix.len() + 1;
            let found = cx
                .matcher
                .find_at_start(&joined, scratch)
                .into_iter()
                .filter(|m| m.byte_end as usize > cut && condition(cx.ontology, m).is_none())
                .max_by_key(|m| (m.byte_end, std::cmp::Reverse(m.concept)));
            let Some(found) = found else { continue };
            let end = tail_start + found.byte_end as usize - cut;
            // the term ends where a word ends in the text too (the tail may be cut inside one)
            if text[end..].starts_with(crate::normalize::is_word_char) {
                continue;
            }
            let term = joined[..found.byte_end as usize].to_string();
            let mut m = definition_mention(
                cx.doc,
                starts,
                d.section,
                (from as u32, end as u32),
                (found.concept, found.term),
                found.variant,
            );
            m.via = found.via;
            let rule = || {
                Rule::Abbreviations(AbbreviationRule::BracketedTerm {
                    short: d.short.clone(),
                    term: term.clone(),
                })
            };
            out.retain(|o| {
                let inside = o.section == m.section && o.byte_start < m.byte_end && m.byte_start < o.byte_end;
                if inside {
                    decide(rec, o, Outcome::Dropped, rule);
                }
                !inside
            });
            decide(rec, &m, Outcome::Added, rule);
            out.push(m);
            break;
        }
    }
}

/// How closely a long form spells a concept's name, comparing letters and digits only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Resemblance {
    None,
    /// Letter trigrams shared at a Dice coefficient of at least 0.55, and lengths within a
    /// factor of 0.6: "3'-azido-3'-deoxythymidine" / "azidothymidine" (0.61), "reactive
    /// oxidative species" / "reactive oxygen species" (0.63); not "transcription factor" /
    /// "tissue factor" (0.30), nor "protein carbonyl" / "protein C" (0.63, but half the length).
    Loose,
    /// The same letters and digits, or a Dice coefficient of at least 0.8 (lengths as above):
    /// "torsade de pointes" / "torsades de pointes" (0.83).
    Close,
}

fn resemblance(long: &str, name: &str) -> Resemblance {
    let squash = |s: &str| -> Vec<char> { normalize::fold(s).chars().filter(|c| c.is_alphanumeric()).collect() };
    let (a, b) = (squash(long), squash(name));
    if a == b {
        return Resemblance::Close;
    }
    let (short, longer) = (a.len().min(b.len()), a.len().max(b.len()));
    if short < 3 || short * 10 < longer * 6 {
        return Resemblance::None;
    }
    let grams = |v: &[char]| -> Vec<[char; 3]> {
        let mut g: Vec<[char; 3]> = v.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
        g.sort_unstable();
        g
    };
    let (ga, gb) = (grams(&a), grams(&b));
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < ga.len() && j < gb.len() {
        match ga[i].cmp(&gb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let dice_percent = 200 * shared / (ga.len() + gb.len());
    if dice_percent >= 80 {
        Resemblance::Close
    } else if dice_percent >= 55 {
        Resemblance::Loose
    } else {
        Resemblance::None
    }
}

/// The condition (`when:`) of a mention's term, if it is a conditional abbreviation found as one.
pub(super) fn condition<'o>(ontology: &'o Ontology, m: &Mention) -> Option<&'o Condition> {
    let t = ontology.concept(m.concept).terms.get(m.term as usize)?;
    if t.kind == TermKind::Abbreviation && m.via == Via::Abbreviation {
        t.condition.as_ref()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_sorted() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn short_forms_that_abbreviate_the_last_word() {
        for (short, long, want) in [
            ("GI", "gastrointestinal bleeding", false),
            ("GCX", "glycocalyx layer", false),
            ("NETs", "neutrophil extracellular traps", true),
            ("ER", "endoplasmic reticulum", true),
            // not the last word, but the rule needs a mention of the last word alone as well
            ("TAT", "thrombin-antithrombin complex", false),
            ("LPS", "lipopolysaccharide", true),
            ("NF-kB", "nuclear factor kappa B", true),
            ("MMP-9", "matrix metalloproteinase 9", true),
        ] {
            assert_eq!(abbreviates_last_word(short, long), want, "{short} = {long}");
        }
    }

    #[test]
    fn long_forms_resemble_names_spelled_another_way() {
        use Resemblance::*;
        for (long, name, want) in [
            ("torsade de pointes", "torsades de pointes", Close),
            ("pentylenetetrazole", "pentylenetetrazol", Close),
            ("Tissue-Factor", "tissue factor", Close),
            ("3'-azido-3'dideoxythymidine", "azidothymidine", Loose),
            ("reactive oxidative species", "reactive oxygen species", Loose),
            ("transcription factor", "tissue factor", None),
            ("estrogen receptor", "endoplasmic reticulum stress", None),
            ("sodium 2-mercaptoethane sulphonate", "mesna", None),
            // pubmed21n1298, PMID 34091938: "protein carbonyl (PC)" is not protein C
            ("protein carbonyl", "protein C", None),
            ("ab", "ab", Close),
            ("ab", "abc", None),
        ] {
            assert_eq!(resemblance(long, name), want, "{long:?} / {name:?}");
        }
    }

    const VOCAB: &str = "concepts:
  - id: tissue_factor
    label: Tissue factor
    synonyms: [tissue factor]
    abbreviations: [TF]
  - id: nets
    label: Neutrophil extracellular traps
    synonyms: [neutrophil extracellular trap]
    exclude: [receptor activator of neutrophil extracellular trap]
  - id: endoplasmic_reticulum
    label: ER stress
    synonyms: [endoplasmic reticulum stress]
    abbreviations:
      - {term: ER, when: context, context: [unfolded protein response, UPR]}
  - id: reactive_oxygen_species
    label: Reactive oxygen species
    synonyms: [reactive oxygen species, mitochondrial reactive oxygen species]
    abbreviations: [ROS]
  - id: cell_free_dna
    label: Cell-free DNA
    synonyms: [cell-free DNA, plasma cell-free DNA]
  - id: activated_protein_c
    label: Activated protein C
    synonyms: [activated protein C]
    abbreviations:
      - {term: APC, when: defined}
  - id: torsades
    label: Torsades de pointes
    synonyms: [torsades de pointes]
    abbreviations: [TdP]
  - id: testosterone
    label: testosterone
    synonyms: [testosterone]
  - id: mesna
    label: mesna
    synonyms: [mesna]
  - id: mptp
    label: MPTP
    abbreviations: [MPTP]
  - id: heparin
    label: heparin
    synonyms: [heparin]
  - id: hemolytic_anemia
    label: hemolytic anemia
    synonyms: [hemolytic anemia]
";

    /// (text, expected mentions as (text, concept id, via)).
    fn tagged(title: &str, body: &str) -> Vec<(String, String, &'static str)> {
        tagged_with(VOCAB, title, body)
    }

    fn tagged_with(vocab: &str, title: &str, body: &str) -> Vec<(String, String, &'static str)> {
        let ontology = crate::ontology::load_texts(&[("v.yaml", vocab)]).unwrap();
        let tagger = crate::tag::Tagger::from_ontology(ontology).unwrap();
        let doc = Document::new(
            "1",
            vec![
                crate::document::Section::new("title", title),
                crate::document::Section::new("abstract", body),
            ],
        );
        let joined: Vec<char> = doc.joined_text().chars().collect();
        tagger
            .tag(&doc, &mut crate::tag::matcher::Scratch::default())
            .iter()
            .map(|m| {
                let by_chars: String = joined[m.start as usize..m.end as usize].iter().collect();
                assert_eq!(by_chars, m.text(&doc), "character offsets agree with byte offsets");
                (
                    m.text(&doc).to_string(),
                    tagger.ontology.concept(m.concept).id.clone(),
                    m.via.as_str(),
                )
            })
            .collect()
    }

    fn want(list: &[(&str, &str, &'static str)]) -> Vec<(String, String, &'static str)> {
        list.iter()
            .map(|&(t, c, v)| (t.to_string(), c.to_string(), v))
            .collect()
    }

    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str, &'a str)]);

    #[test]
    fn resolves_defined_reused_redefined_and_plural_short_forms() {
        let table: &[Case] = &[
            // define and reuse: the short form is not in the ontology
            (
                "NETs in sepsis",
                "Neutrophil extracellular traps (NETs) trap bacteria. NETs and a single NET were seen.",
                &[
                    ("NETs", "nets", "defined-abbreviation"),
                    ("Neutrophil extracellular traps", "nets", "synonym"),
                    ("NETs", "nets", "defined-abbreviation"),
                    ("NETs", "nets", "defined-abbreviation"),
                    ("NET", "nets", "defined-abbreviation"),
                ],
            ),
            // a listed abbreviation defined as something else is not the concept here
            (
                "SP1 binding",
                "The transcription factor (TF) SP1 binds DNA; TF activity rose.",
                &[],
            ),
            // the reverse order, "short (long)", redefines it too
            ("", "TF (transcription factor) binding rose.", &[]),
            // defined with its own long form: the listed abbreviation keeps counting
            (
                "",
                "Monocytes expressed tissue factor (TF). TF rose.",
                &[
                    ("tissue factor", "tissue_factor", "synonym"),
                    ("TF", "tissue_factor", "abbreviation"),
                    ("TF", "tissue_factor", "abbreviation"),
                ],
            ),
            // no definition: the plain listed abbreviation counts
            ("", "TF rose after LPS.", &[("TF", "tissue_factor", "abbreviation")]),
            // a redefinition later in the document governs the uses after it
            (
                "",
                "Tissue factor (TF) rose. Later, the transcription factor (TF) fell. TF was silenced.",
                &[
                    ("Tissue factor", "tissue_factor", "synonym"),
                    ("TF", "tissue_factor", "abbreviation"),
                ],
            ),
            // `when: defined`: only where the document defines it as the concept
            ("", "APC was given.", &[]),
            (
                "",
                "Activated protein C (APC) was given. APC helped.",
                &[
                    ("Activated protein C", "activated_protein_c", "synonym"),
                    ("APC", "activated_protein_c", "abbreviation"),
                    ("APC", "activated_protein_c", "abbreviation"),
                ],
            ),
            ("", "Antigen-presenting cells (APC) were counted. APC rose.", &[]),
            // a conditional abbreviation is not a long form: the aAPCs are not activated protein C
            // (pubmed21n1298, PMID 34096117)
            (
                "",
                "Dendritic cells were turned into artificial APCs (aAPCs). The aAPCs expanded T cells.",
                &[],
            ),
            // `when: context`: only with a context term in the document
            ("", "ER was measured in breast cancer.", &[]),
            (
                "ER and the UPR",
                "ER was measured.",
                &[
                    ("ER", "endoplasmic_reticulum", "abbreviation"),
                    ("ER", "endoplasmic_reticulum", "abbreviation"),
                ],
            ),
            // a mention that covers the long form and starts before it names it: the long form
            // found is the shortest that spells the short form (pubmed21n1298, PMIDs 33957094 and
            // 34093743 lost every ROS and cfDNA as "defined as something else")
            (
                "",
                "Mitochondrial reactive oxygen species (ROS) rose. ROS fell.",
                &[
                    (
                        "Mitochondrial reactive oxygen species",
                        "reactive_oxygen_species",
                        "synonym",
                    ),
                    ("ROS", "reactive_oxygen_species", "abbreviation"),
                    ("ROS", "reactive_oxygen_species", "abbreviation"),
                ],
            ),
            (
                "",
                "Plasma cell-free DNA (cfDNA) was measured; cfDNA rose.",
                &[
                    ("Plasma cell-free DNA", "cell_free_dna", "synonym"),
                    ("cfDNA", "cell_free_dna", "defined-abbreviation"),
                    ("cfDNA", "cell_free_dna", "defined-abbreviation"),
                ],
            ),
            // an exclude phrase around the long form does not stop it naming the concept: the
            // long form on its own is the concept's term (pubmed21n1298, PMID 34052656 lost every
            // NF-κB as defined as something else)
            (
                "",
                "The receptor activator of neutrophil extracellular trap (NET) ligand. NET rose.",
                &[
                    ("NET", "nets", "defined-abbreviation"),
                    ("NET", "nets", "defined-abbreviation"),
                ],
            ),
            // a definition in the title governs the abstract
            (
                "Neutrophil extracellular traps (NETs) in sepsis",
                "NETs rose.",
                &[
                    ("Neutrophil extracellular traps", "nets", "synonym"),
                    ("NETs", "nets", "defined-abbreviation"),
                    ("NETs", "nets", "defined-abbreviation"),
                ],
            ),
            // a long form that names nothing but spells the name of the concept its listed
            // short form stands for confirms that reading, and is a mention wherever the
            // document repeats it (BC5CDR 17344330)
            (
                "",
                "Patients with torsade de pointes (TdP) were treated; TdP and torsade de pointes recurred.",
                &[
                    ("torsade de pointes", "torsades", "defined-abbreviation"),
                    ("TdP", "torsades", "abbreviation"),
                    ("TdP", "torsades", "abbreviation"),
                    ("torsade de pointes", "torsades", "defined-abbreviation"),
                ],
            ),
            // ... and so does a long form for an abbreviation the ontology gives no long name
            (
                "",
                "1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine (MPTP) causes parkinsonism; MPTP-treated monkeys.",
                &[
                    (
                        "1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine",
                        "mptp",
                        "defined-abbreviation",
                    ),
                    ("MPTP", "mptp", "abbreviation"),
                    ("MPTP", "mptp", "abbreviation"),
                ],
            ),
            // a word of the ontology written as a short form keeps its reading (BC5CDR 6402369)
            (
                "",
                "Oral sodium 2-mercaptoethane sulphonate (MESNA) was given. MESNA protects the bladder.",
                &[("MESNA", "mesna", "synonym"), ("MESNA", "mesna", "synonym")],
            ),
            // a single letter defined after a space (BC5CDR 15638391)
            (
                "",
                "Serum testosterone (T) fell; T rose after withdrawal.",
                &[
                    ("testosterone", "testosterone", "synonym"),
                    ("T", "testosterone", "defined-abbreviation"),
                    ("T", "testosterone", "defined-abbreviation"),
                ],
            ),
            // a head names the short form, here where a kind of a concept is that concept
            (
                "",
                "Low-molecular-weight heparin (LMWH) replaced heparin. LMWH was safe.",
                &[
                    ("heparin", "heparin", "synonym"),
                    ("LMWH", "heparin", "defined-abbreviation"),
                    ("heparin", "heparin", "synonym"),
                    ("LMWH", "heparin", "defined-abbreviation"),
                ],
            ),
        ];
        for (title, body, expected) in table {
            assert_eq!(tagged(title, body), want(expected), "in {title:?} / {body:?}");
        }
    }
    /// Where kinds of a concept are distinct concepts (`kinds_are_distinct`, as in
    /// vocabularies built from annotated corpora), a head names the short form only when it is
    /// more than half of the long form's words.
    #[test]
    fn minor_heads_do_not_name_short_forms_where_kinds_are_distinct() {
        let vocab = format!("ontology:\n  id: v\n  kinds_are_distinct: true\n{VOCAB}");
        let table: &[Case] = &[
            (
                "",
                "Ribavirin-induced hemolytic anemia (RIHA) is common; RIHA resolved.",
                &[
                    ("hemolytic anemia", "hemolytic_anemia", "synonym"),
                    ("RIHA", "hemolytic_anemia", "defined-abbreviation"),
                    ("RIHA", "hemolytic_anemia", "defined-abbreviation"),
                ],
            ),
            // a kind of heparin the ontology does not list (BC5CDR 12109865)
            (
                "",
                "Low-molecular-weight heparin (LMWH) replaced heparin. LMWH was safe.",
                &[("heparin", "heparin", "synonym"), ("heparin", "heparin", "synonym")],
            ),
        ];
        for (title, body, expected) in table {
            assert_eq!(
                tagged_with(&vocab, title, body),
                want(expected),
                "in {title:?} / {body:?}"
            );
        }
    }

    const SENSES: &str = "concepts:
  - id: er_stress
    label: ER stress
    synonyms: [endoplasmic reticulum stress]
    abbreviations: [ER stress]
  - id: tissue_factor
    label: Tissue factor
    synonyms: [tissue factor]
  - id: tfpi
    label: TFPI
    synonyms: [tissue factor pathway inhibitor]
  - id: glycocalyx
    label: Glycocalyx
    synonyms: [glycocalyx, endothelial glycocalyx]
    head_words: [layer]
  - id: bleeding
    label: Bleeding
    synonyms: [bleeding]
  - id: oral_anticoagulant
    label: Oral anticoagulant
    synonyms: [oral anticoagulant]
  - id: anticoagulant_treatment
    label: Anticoagulant treatment
    synonyms: [anticoagulant treatment]
";

    #[test]
    fn bracketed_terms_head_words_and_modifier_uses() {
        let table: &[Case] = &[
            // pubmed21n1298: a term written around its own definition
            (
                "",
                "LPS induced endoplasmic reticulum (ER) stress in cells. ER stress rose.",
                &[
                    ("endoplasmic reticulum (ER) stress", "er_stress", "synonym"),
                    ("ER stress", "er_stress", "abbreviation"),
                ],
            ),
            // the mentions inside give way to the longer term
            (
                "",
                "Tissue factor (TF) pathway inhibitor fell.",
                &[("Tissue factor (TF) pathway inhibitor", "tfpi", "synonym")],
            ),
            // a term inside the long form's last words does not take the long form apart
            (
                "",
                "Oral anticoagulant (OAC) treatment was stopped.",
                &[
                    ("Oral anticoagulant", "oral_anticoagulant", "synonym"),
                    ("OAC", "oral_anticoagulant", "defined-abbreviation"),
                ],
            ),
            // no term continues past the parenthesis: the definition's reading stands
            (
                "",
                "Tissue factor (TF) expression rose; TF fell.",
                &[
                    ("Tissue factor", "tissue_factor", "synonym"),
                    ("TF", "tissue_factor", "defined-abbreviation"),
                    ("TF", "tissue_factor", "defined-abbreviation"),
                ],
            ),
            // a long form "term + head word" names the concept: its uses are mentions
            (
                "",
                "The endothelial glycocalyx layer (GCX) is shed; GCX shedding rose.",
                &[
                    ("endothelial glycocalyx", "glycocalyx", "synonym"),
                    ("GCX", "glycocalyx", "defined-abbreviation"),
                    ("GCX", "glycocalyx", "defined-abbreviation"),
                ],
            ),
            // a head word the concept does not list: no reading
            (
                "",
                "The glycocalyx coat (GCX) is shed; GCX rose.",
                &[("glycocalyx", "glycocalyx", "synonym")],
            ),
            // the short form abbreviates only the modifier: in another name it is the modifier
            (
                "",
                "Gastrointestinal bleeding (GI) occurred. The GI tract was intact, and GI was treated.",
                &[
                    ("bleeding", "bleeding", "synonym"),
                    ("GI", "bleeding", "defined-abbreviation"),
                    ("GI", "bleeding", "defined-abbreviation"),
                ],
            ),
        ];
        for (title, body, expected) in table {
            assert_eq!(tagged_with(SENSES, title, body), want(expected), "{title} | {body}");
        }
    }

    #[test]
    fn conditional_abbreviations_are_validated_with_their_line() {
        let bad = "concepts:\n  - id: a\n    label: A\n    abbreviations:\n      - {term: TF, when: sometimes}\n      - {term: ER, when: context}\n      - {term: APC, when: defined, context: [x]}\n";
        let err = crate::ontology::load_texts(&[("v.yaml", bad)]).unwrap_err();
        let lines: Vec<String> = err.0.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            lines,
            vec![
                "v.yaml:5: concept \"a\": abbreviation \"TF\" has `when: sometimes` (fix: write `when: defined` (counts only where the document defines it) or `when: context` with a `context:` list)",
                "v.yaml:6: concept \"a\": abbreviation \"ER\" has `when: context` but no context term (fix: list the words that must also occur in the document, e.g. `context: [estrogen, breast cancer]`)",
                "v.yaml:7: concept \"a\": abbreviation \"APC\" has `when: defined` and a `context:` list (fix: use `when: context` to require the context terms, or remove `context:`)",
            ]
        );
        let unknown = "concepts:\n  - id: a\n    label: A\n    abbreviations:\n      - {term: TF, wen: defined}\n";
        let err = crate::ontology::load_texts(&[("v.yaml", unknown)]).unwrap_err();
        assert_eq!(
            err.0[0].to_string(),
            "v.yaml:5: concept \"a\": unknown key `wen` in a conditional abbreviation (fix: did you mean `when`?)"
        );
        assert_eq!(
            err.0.len(),
            1,
            "the misspelt `when:` is not reported missing as well: {err}"
        );
    }

    /// [`find_uses`] as it was before the keys were borrowed and grouped in one sorted list
    /// (BENCHMARKS.md, "abbrev2"): a copy of each key, the distinct keys sorted, and each key's
    /// definitions collected apart.
    fn find_uses_by_key_lists(doc: &Document, defs: &[Definition], forms: &mut CaseForms) -> Vec<Use> {
        let keys: Vec<String> = defs.iter().map(Definition::key).collect();
        let mut distinct: Vec<&str> = keys.iter().map(String::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let searches: Vec<(KeyAndPlural<'_>, Vec<usize>)> = distinct
            .iter()
            .map(|&key| {
                let of_key = (0..defs.len()).filter(|&d| keys[d] == key).collect();
                (KeyAndPlural::new(key), of_key)
            })
            .collect();
        let mut uses = Vec::new();
        for (si, sec) in doc.sections.iter().enumerate() {
            let norm = forms.get(si, &sec.text);
            let hay = norm.map_or(sec.text.as_str(), |n| n.text.as_str());
            for (forms, of_key) in &searches {
                forms.in_text(hay, |at, len| {
                    let end = at + len;
                    let (os, oe) = norm.map_or((at, end), |n| n.original_span(&sec.text, at, end));
                    let pos = (si as u32, os as u32);
                    let def = of_key
                        .iter()
                        .copied()
                        .rfind(|&d| (defs[d].section, defs[d].short_span.0) <= pos)
                        .or_else(|| of_key.first().copied());
                    if let Some(def) = def {
                        uses.push(Use {
                            section: si as u32,
                            byte_start: os as u32,
                            byte_end: oe as u32,
                            def,
                        });
                    }
                });
            }
        }
        uses.sort_by_key(|u| (u.section, u.byte_start, u.byte_end));
        uses.dedup_by_key(|u| (u.section, u.byte_start, u.byte_end));
        uses
    }

    proptest::proptest! {
        /// The uses of the short forms a document defines, found as they were with a list of
        /// definitions for each key.
        #[test]
        fn uses_as_with_a_list_for_each_key(
            sections in proptest::collection::vec(
                proptest::collection::vec(
                    "(tissue factor \\(TF\\)|Tissue Factors \\(TFs\\)|TF|TFs|\\(T\tF\\)|T F|Tumour Factor \\(T  F\\)|Alpha Actin \\(AA\\)|AA|AAs|A|α|é|IL-6|interleukin six \\(IL-6\\)|x|\\. | |,)",
                    0..24,
                ),
                1..4,
            ),
        ) {
            let doc = Document::new(
                "1",
                sections.iter().map(|words| crate::document::Section::new("abstract", words.concat())).collect(),
            );
            let defs = super::super::definitions::find_definitions(&doc);
            let (mut forms, mut old_forms) = (CaseForms::default(), CaseForms::default());
            proptest::prop_assert_eq!(
                find_uses(&doc, &defs, &mut forms),
                find_uses_by_key_lists(&doc, &defs, &mut old_forms)
            );
        }
    }
}
