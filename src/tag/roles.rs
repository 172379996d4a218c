//! Roles: whether each mention evidences its categories (`role:` and `process_cues:` in the
//! ontology; the rules are those of `CATEGORY-GUIDELINES.md`).
//!
//! Every concept has a role ([`Role`]): its own `role:`, else the first parent's that has one,
//! else `mechanism`, so an ontology without roles rolls up as before. This stage sets each
//! mention's [`MentionEvidence`]: its role, and whether it counts in the category roll-up
//! (`in_rollup`):
//!
//! * a mention in an eligibility-criteria sentence ("patients with DIC were excluded",
//!   "exclusion criteria were ...") never counts ([`ELIGIBILITY`]);
//! * a `mechanism` or `molecule` counts;
//! * a `participant` (a cell, a lab value, a molecule with other common meanings) or an `agent`
//!   (a drug) counts only where its sentence states a process of it or links it to the
//!   mechanism: a process cue of one of its categories (`process_cues:` of the concept or of any
//!   concept above it, matched case-insensitively at the start of a word: `aggregat` matches
//!   "aggregation" and "aggregated"; not one inside the mention itself), or a mention of a
//!   mechanism or molecule that shares a category with it;
//! * a `context` concept (and so everything under a context root) never counts.
//!
//! The sentence is that of [`crate::sentence`]. A mention is never dropped here: the concept
//! matrix keeps every mention; `categories.csv` and the other category-level products count
//! those with `in_rollup` (unless the run asks for the plain roll-up).

use std::ops::Range;

use super::matcher::{Mention, MentionEvidence};
use super::phrases::{Hit, PhraseList};
use super::stage::{Context, Outcome, Recorder, Rule, Stage, StageId, decide};
use crate::normalize::is_word_char;
use crate::ontology::{ConceptId, Ontology, Role};
use crate::sentence;

/// Phrases that make a sentence a statement of eligibility criteria (compared ignoring case):
/// a mention there names who was excluded or included, not what the study found.
pub const ELIGIBILITY: &[&str] = &[
    "exclusion criteri",
    "inclusion criteri",
    "eligibility criteri",
    "criteria for exclusion",
    "criteria for inclusion",
    "were excluded",
    "was excluded",
    "were ineligible",
];

/// The role stage's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleRule {
    /// A mechanism or molecule: counts wherever it stands; a context concept: never counts.
    ByRole,
    /// Does not count: the sentence states eligibility criteria (`phrase`).
    Eligibility { phrase: String },
    /// Counts: the process cue `cue` of `listed_by` stands in its sentence (as `text`).
    Cue {
        cue: String,
        text: String,
        listed_by: ConceptId,
    },
    /// Counts: its sentence names `concept`, a mechanism or molecule of its category (as `text`).
    Linked { concept: ConceptId, text: String },
    /// Does not count: its sentence states no process of it and names no mechanism of its
    /// category.
    Unlinked,
}

impl RoleRule {
    pub fn describe(&self, ontology: &Ontology) -> String {
        match self {
            RoleRule::ByRole => "counts by its role".into(),
            RoleRule::Eligibility { phrase } => {
                format!("its sentence states eligibility criteria ({phrase:?}): not evidence")
            }
            RoleRule::Cue { cue, text, listed_by } => format!(
                "its sentence states a process of it: {text:?} (process cue {cue:?} of {})",
                ontology.concept(*listed_by).id
            ),
            RoleRule::Linked { concept, text } => format!(
                "its sentence links it to the mechanism: {text:?} ({})",
                ontology.concept(*concept).id
            ),
            RoleRule::Unlinked => {
                "its sentence states no process of it and names no mechanism of its category: not evidence".into()
            }
        }
    }
}

/// The roles and cues of the ontology, resolved per concept.
#[derive(Debug, Clone)]
pub struct Roles {
    /// Per concept: its role.
    role: Vec<Role>,
    /// Per concept: (cue pattern, concept that lists it) of itself and every concept above it,
    /// sorted by pattern.
    cues: Vec<Vec<(u32, ConceptId)>>,
    /// Every cue of the ontology, once (pattern ids index it). They are searched, ignoring
    /// ASCII case, with the eligibility phrases and the qualifier cues in one pass over each
    /// sentence ([`crate::tag::phrases`]; a cue at a time cost 24 M instructions of 69 M for the
    /// stage on the sepsis subset, see BENCHMARKS.md).
    cue_texts: Vec<String>,
    /// Per concept: its roll-up categories (sorted), to tell whether two mentions share one.
    categories: Vec<Vec<ConceptId>>,
}

impl Roles {
    pub fn new(ontology: &Ontology) -> Roles {
        let mut cues = Vec::with_capacity(ontology.concepts.len());
        let mut categories = Vec::with_capacity(ontology.concepts.len());
        let mut cue_texts: Vec<String> = Vec::new();
        let mut cue_ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        for c in ontology.ids() {
            for cue in &ontology.concept(c).process_cues {
                cue_ids.entry(cue.clone()).or_insert_with(|| {
                    cue_texts.push(cue.clone());
                    (cue_texts.len() - 1) as u32
                });
            }
        }
        for c in ontology.ids() {
            let mut v: Vec<(u32, ConceptId)> = Vec::new();
            for a in ontology.ancestors(c) {
                for cue in &ontology.concept(a).process_cues {
                    let id = cue_ids[cue];
                    if !v.iter().any(|(x, _)| *x == id) {
                        v.push((id, a));
                    }
                }
            }
            v.sort_unstable_by_key(|(id, _)| *id);
            cues.push(v);
            let mut cats: Vec<ConceptId> = ontology.concept(c).categories.clone();
            cats.sort_unstable();
            categories.push(cats);
        }
        Roles {
            role: ontology.concepts.iter().map(|c| c.role).collect(),
            cues,
            cue_texts,
            categories,
        }
    }

    /// The process cues, for [`crate::tag::phrases::Phrases`] (the list [`PhraseList::ProcessCues`]).
    pub fn cue_texts(&self) -> &[String] {
        &self.cue_texts
    }

    fn shares_category(&self, a: ConceptId, b: ConceptId) -> bool {
        let (x, y) = (&self.categories[a.index()], &self.categories[b.index()]);
        x.iter().any(|c| y.binary_search(c).is_ok())
    }

    /// The first process cue among the phrases `hits` of `sentence` (in the order found) that
    /// starts a word, is a cue of `concept` and is not inside `skip` (the mention's bytes,
    /// relative to the sentence): (its index in the concept's cues, its start). `cues` holds the
    /// process cues' pattern ids.
    fn cue_of(
        &self,
        concept: ConceptId,
        sentence: &str,
        (hits, cues): (&[Hit], Range<u32>),
        skip: (usize, usize),
    ) -> Option<(usize, usize)> {
        let own = &self.cues[concept.index()];
        hits.iter().find_map(|&(p, at, end)| {
            if !cues.contains(&p) || (at > 0 && sentence[..at].chars().next_back().is_some_and(is_word_char)) {
                return None;
            }
            // a cue inside the mention is part of its name; one that runs past it is not
            let outside = at < skip.0 || end > skip.1;
            let i = own.binary_search_by_key(&(p - cues.start), |(id, _)| *id).ok()?;
            outside.then_some((i, at))
        })
    }
}

/// The eligibility phrase among the phrases `hits` (pattern ids `list`), as the first of
/// [`ELIGIBILITY`] found leftmost (an overlapping search reports every occurrence, so this is
/// the phrase a leftmost-first search would find): its start and end.
fn eligibility_in(hits: &[Hit], list: Range<u32>) -> Option<(usize, usize)> {
    hits.iter()
        .filter(|(p, _, _)| list.contains(p))
        .min_by_key(|&&(p, start, _)| (start, p))
        .map(|&(_, start, end)| (start, end))
}

impl Stage for Roles {
    const ID: StageId = StageId::Roles;

    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mut mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention> {
        let doc = cx.doc;
        let snapshot: Vec<(u32, u32, ConceptId)> =
            mentions.iter().map(|m| (m.section, m.byte_start, m.concept)).collect();
        let (cue_ids, eligibility) = (
            cx.phrases.range(PhraseList::ProcessCues),
            cx.phrases.range(PhraseList::Eligibility),
        );
        for m in &mut mentions {
            let role = self.role[m.concept.index()];
            let text = doc.sections[m.section as usize].text.as_str();
            let span = sentence::span_at(cx.sentences(m.section as usize), m.byte_start as usize);
            // the phrases of the sentence, searched once (with the qualifier stage's cues). Only
            // the sentences that hold a mention are searched (an eligibility phrase never spans
            // two: it holds no sentence end); searching every section with a mention whole cost
            // 20.8 M instructions on the sepsis subset (BENCHMARKS.md).
            let hits: &[Hit] = match span {
                Some(span) => cx.phrases(m.section, span),
                None => &[],
            };
            let eligible = span.and_then(|(start, _)| {
                eligibility_in(hits, eligibility.clone()).map(|(s, e)| &text[start + s..start + e])
            });
            let (in_rollup, rule) = if let Some(phrase) = eligible {
                (
                    false,
                    RoleRule::Eligibility {
                        phrase: phrase.to_string(),
                    },
                )
            } else {
                match role {
                    Role::Mechanism | Role::Molecule => (true, RoleRule::ByRole),
                    Role::Context => (false, RoleRule::ByRole),
                    Role::Participant | Role::Agent => {
                        let (start, end) = span.unwrap_or((0, 0));
                        let text = &doc.sections[m.section as usize].text;
                        let skip = (
                            (m.byte_start as usize).saturating_sub(start),
                            (m.byte_end as usize).saturating_sub(start),
                        );
                        // a mention of a mechanism or molecule of its category in its sentence
                        let linked = || {
                            snapshot
                                .iter()
                                .find(|&&(sec, b, c)| {
                                    sec == m.section
                                        && (b as usize) >= start
                                        && (b as usize) < end
                                        && c != m.concept
                                        && matches!(self.role[c.index()], Role::Mechanism | Role::Molecule)
                                        && self.shares_category(c, m.concept)
                                })
                                .map(|&(_, b, c)| {
                                    let shown = text[b as usize..]
                                        .split(|ch: char| !is_word_char(ch))
                                        .next()
                                        .unwrap_or("")
                                        .to_string();
                                    (
                                        true,
                                        RoleRule::Linked {
                                            concept: c,
                                            text: shown,
                                        },
                                    )
                                })
                        };
                        // Records off, only `in_rollup` is kept, and it is the same whichever
                        // test passes: the link, a look at the mentions so far, goes before the
                        // cues, a search of the sentence (BENCHMARKS.md). With records on, a cue
                        // is the reason recorded when there is one.
                        let link_first = if rec.on() { None } else { Some(linked()) };
                        if let Some(Some(found)) = link_first {
                            found
                        } else {
                            self.cue_of(m.concept, &text[start..end], (hits, cue_ids.clone()), skip)
                                .map(|(i, at)| {
                                    let (p, listed_by) = self.cues[m.concept.index()][i];
                                    let shown = text[start + at..]
                                        .split(|c: char| !is_word_char(c))
                                        .next()
                                        .unwrap_or("")
                                        .to_string();
                                    (
                                        true,
                                        RoleRule::Cue {
                                            cue: self.cue_texts[p as usize].clone(),
                                            text: shown,
                                            listed_by,
                                        },
                                    )
                                })
                                .or_else(|| match link_first {
                                    // already looked for: none
                                    Some(None) => None,
                                    _ => linked(),
                                })
                                .unwrap_or((false, RoleRule::Unlinked))
                        }
                    }
                }
            };
            m.evidence = MentionEvidence { role, in_rollup };
            // a mechanism or molecule that counts needs no record: its role says why
            if rule != RoleRule::ByRole || !in_rollup {
                decide(rec, m, Outcome::Kept, || Rule::Roles(rule));
            }
        }
        mentions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Section};
    use crate::tag::Tagger;
    use crate::tag::matcher::Scratch;

    const ONTOLOGY: &str = "concepts:
  - {id: plt, label: Platelet activation, synonyms: [platelet activation]}
  - {id: platelets, label: Platelets, parent: plt, role: participant, synonyms: [platelets, platelet count]}
  - {id: pf4, label: PF4, parent: plt, role: molecule, synonyms: [platelet factor 4]}
  - {id: drug, label: Therapy, synonyms: [anticoagulation]}
  - {id: ffp, label: Plasma, parent: drug, role: agent, synonyms: [fresh frozen plasma]}
  - {id: ctx, label: Other, role: context, synonyms: [venous thromboembolism]}
  - {id: dvt, label: DVT, parent: ctx, synonyms: [deep vein thrombosis]}
process_cues:
  plt: [aggregat, activat]
  drug: [bleeding]
";

    fn tagged(text: &str) -> Vec<(String, &'static str, bool)> {
        let ont = crate::ontology::load_texts(&[("t.yaml", ONTOLOGY)]).unwrap();
        let tagger = Tagger::from_ontology(ont).unwrap();
        let doc = Document::new("d", vec![Section::new("text", text)]);
        tagger
            .tag(&doc, &mut Scratch::default())
            .iter()
            .map(|m| {
                (
                    tagger.ontology.concept(m.concept).id.clone(),
                    m.evidence.role.as_str(),
                    m.evidence.in_rollup,
                )
            })
            .collect()
    }

    /// (concept, role, in the roll-up) of each mention.
    type Want<'a> = &'a [(&'a str, &'a str, bool)];

    #[test]
    fn participants_count_with_a_process_or_a_link() {
        let cases: &[(&str, Want<'_>)] = &[
            ("Platelets aggregated.", &[("platelets", "participant", true)]),
            ("Platelets were counted.", &[("platelets", "participant", false)]),
            // the cue must start a word
            ("Platelets were disaggregated.", &[("platelets", "participant", false)]),
            (
                "Platelets were counted. Then they aggregated.",
                &[("platelets", "participant", false)],
            ),
            (
                "Platelet factor 4 and platelets were measured.",
                &[("pf4", "molecule", true), ("platelets", "participant", true)],
            ),
            ("Platelet activation was high.", &[("plt", "mechanism", true)]),
            ("Fresh frozen plasma was given.", &[("ffp", "agent", false)]),
            ("Fresh frozen plasma was given for bleeding.", &[("ffp", "agent", true)]),
            (
                "Fresh frozen plasma was given with anticoagulation.",
                &[("ffp", "agent", true), ("drug", "mechanism", true)],
            ),
            (
                "Deep vein thrombosis and venous thromboembolism occurred.",
                &[("dvt", "context", false), ("ctx", "context", false)],
            ),
            (
                "Patients with platelet activation were excluded. Platelet activation rose.",
                &[("plt", "mechanism", false), ("plt", "mechanism", true)],
            ),
            (
                "Exclusion criteria were platelets aggregating in vitro.",
                &[("platelets", "participant", false)],
            ),
        ];
        for (text, want) in cases {
            let got = tagged(text);
            let want: Vec<(String, &str, bool)> = want.iter().map(|(c, r, b)| (c.to_string(), *r, *b)).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn an_ontology_without_roles_counts_every_mention() {
        let ont = crate::ontology::load_texts(&[(
            "t.yaml",
            "concepts:\n  - {id: a, label: A, synonyms: [alpha]}\n  - {id: b, label: B, parent: a, synonyms: [beta]}\n",
        )])
        .unwrap();
        let tagger = Tagger::from_ontology(ont).unwrap();
        let doc = Document::new(
            "d",
            vec![Section::new("text", "Alpha and beta. Patients were excluded for beta.")],
        );
        let m = tagger.tag(&doc, &mut Scratch::default());
        let flags: Vec<(Role, bool)> = m.iter().map(|m| (m.evidence.role, m.evidence.in_rollup)).collect();
        // eligibility applies whatever the roles
        assert_eq!(
            flags,
            vec![
                (Role::Mechanism, true),
                (Role::Mechanism, true),
                (Role::Mechanism, false)
            ]
        );
    }
}
