//! States written as phrases (`state_of:` in the ontology).
//!
//! A vocabulary lists "endothelial dysfunction", but writers also put the state next to any name
//! of the cells: "EC dysfunction" (with ECs defined as endothelial cells), "HUVEC injury",
//! "dysfunctional endothelium". Listing every combination by hand misses the names the document
//! defines itself. A concept's `state_of:` names the concept it is a state of and the words that
//! say so:
//!
//! ```yaml
//!   - id: endothelial_dysfunction
//!     state_of:
//!       concept: endothelial_cells
//!       before: [dysfunctional, injured]
//!       after: [dysfunction, injury]
//! ```
//!
//! After the abbreviation stage (so that the document's own short forms count), a mention of
//! `concept` or of a concept below it with a `before` word directly before it, or an `after` word
//! directly after it, becomes a mention of the state, its span grown over the word. Words are
//! found as in [`crate::tag::longer_names`]: separated by exactly one space, letters and digits
//! with inner `-` and `'`, compared case-insensitively; a word inside another mention does not
//! count.

use super::longer_names::{Side, span_is_free, word_after, word_before};
use super::matcher::Mention;
use super::stage::{Context, Outcome, Recorder, Rule, Stage, StageId, decide};
use crate::document::Document;
use crate::ontology::{ConceptId, Ontology};

/// The state stage's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateRule {
    /// Changed: `word`, written on `side` of a mention of `of`, makes it a mention of the state
    /// (the concept whose `state_of:` lists the word).
    StateWord { side: Side, word: String, of: ConceptId },
}

impl StateRule {
    /// The rule for people.
    pub fn describe(&self, ontology: &Ontology) -> String {
        match self {
            StateRule::StateWord { side, word, of } => format!(
                "{word:?} {} a mention of {} names a state of it (state_of)",
                side.as_str(),
                ontology.concept(*of).id
            ),
        }
    }
}

/// Per concept, the states that take it (from `state_of:` of concepts naming it or one above it).
#[derive(Debug, Clone, Default)]
pub struct States {
    /// Per concept: the state concepts whose `state_of` covers it.
    states: Vec<Vec<ConceptId>>,
    any: bool,
}

impl States {
    pub fn new(ontology: &Ontology) -> States {
        let any = ontology.concepts.iter().any(|c| c.state_of.is_some());
        if !any {
            return States::default();
        }
        let with_state: Vec<(ConceptId, ConceptId)> = ontology
            .ids()
            .filter_map(|id| Some((id, ontology.concept(id).state_of.as_ref()?.concept)))
            .collect();
        let states = ontology
            .ids()
            .map(|id| {
                let mut out = Vec::new();
                let mut cur = Some(id);
                // depth bounds the walk, so a malformed parent chain cannot loop forever
                for _ in 0..=ontology.concept(id).depth {
                    let Some(c) = cur else { break };
                    out.extend(with_state.iter().filter(|&&(_, of)| of == c).map(|&(s, _)| s));
                    cur = ontology.concept(c).parent;
                }
                out
            })
            .collect();
        States { states, any }
    }

    /// The state `m` is written as, with the rule: `None` when no state word stands beside it.
    pub fn state_of(
        &self,
        ontology: &Ontology,
        doc: &Document,
        m: &Mention,
        others: &[Mention],
    ) -> Option<(ConceptId, (usize, usize), StateRule)> {
        let states = self.states.get(m.concept.index())?;
        if states.is_empty() {
            return None;
        }
        let text = &doc.sections.get(m.section as usize)?.text;
        let (bs, be) = (m.byte_start as usize, m.byte_end as usize);
        let free = |s: usize, e: usize| span_is_free(others, m.section, s, e);
        for (side, span) in [
            (Side::After, word_after(text, be)),
            (Side::Before, word_before(text, bs)),
        ] {
            let Some((s, e)) = span else { continue };
            let word = text[s..e].to_lowercase();
            for &state in states {
                let Some(st) = &ontology.concept(state).state_of else {
                    continue;
                };
                let list = match side {
                    Side::Before => &st.words.before,
                    Side::After => &st.words.after,
                };
                if list.binary_search(&word).is_ok() && free(s, e) {
                    let grown = if side == Side::After { (bs, e) } else { (s, be) };
                    return Some((
                        state,
                        grown,
                        StateRule::StateWord {
                            side,
                            word,
                            of: st.concept,
                        },
                    ));
                }
            }
        }
        None
    }
}

impl Stage for States {
    const ID: StageId = StageId::States;

    /// `mentions` with those written as a state replaced by a mention of the state.
    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention> {
        if !self.any {
            return mentions;
        }
        let mut out = Vec::with_capacity(mentions.len());
        let starts = &cx.section_starts;
        for m in &mentions {
            // `m` itself never overlaps a word beside it, so it may stay among the others
            let Some((state, (s, e), rule)) = self.state_of(cx.ontology, cx.doc, m, &mentions) else {
                out.push(*m);
                continue;
            };
            let text = &cx.doc.sections[m.section as usize].text;
            let base = starts[m.section as usize] as u32;
            let chars = |b: usize| base + text[..b].chars().count() as u32;
            let grown = Mention {
                start: chars(s),
                end: chars(e),
                concept: state,
                term: 0,
                byte_start: s as u32,
                byte_end: e as u32,
                variant: true,
                ..*m
            };
            decide(rec, &grown, Outcome::Changed { from: *m }, || Rule::States(rule));
            out.push(grown);
        }
        out.sort_by_key(|m| (m.start, m.end, m.concept));
        out.dedup_by_key(|m| (m.start, m.end, m.concept));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::ontology::load_texts;
    use crate::tag::Tagger;

    const ONTOLOGY: &str = r#"
ontology: {id: t}
concepts:
  - id: endo
    label: Endothelium
    synonyms: [endothelial cell, endothelium]
    abbreviations: [HUVEC]
  - id: endo_dysfunction
    label: Endothelial dysfunction
    synonyms: [endothelial dysfunction]
    state_of:
      concept: endo
      before: [dysfunctional, injured]
      after: [dysfunction, injury]
  - id: injury
    label: Injury
    synonyms: [injury of the kidney]
"#;

    fn tagger() -> Tagger {
        Tagger::from_ontology(load_texts(&[("t.yaml", ONTOLOGY)]).expect("loads")).expect("compiles")
    }

    /// (text, expected mentions as "text=concept").
    const CASES: &[(&str, &[&str])] = &[
        (
            "EC dysfunction was seen in endothelial cells (ECs).",
            &["EC dysfunction=endo_dysfunction", "endothelial cells=endo", "ECs=endo"],
        ),
        (
            "Endothelial cells (ECs) were studied; EC dysfunction followed.",
            &["Endothelial cells=endo", "ECs=endo", "EC dysfunction=endo_dysfunction"],
        ),
        (
            "The dysfunctional endothelium leaks.",
            &["dysfunctional endothelium=endo_dysfunction"],
        ),
        ("HUVEC injury rose.", &["HUVEC injury=endo_dysfunction"]),
        (
            "Endothelial dysfunction rose.",
            &["Endothelial dysfunction=endo_dysfunction"],
        ),
        // no state word beside the mention; a comma ends the phrase
        ("Endothelium, dysfunction and repair.", &["Endothelium=endo"]),
        ("The endothelium was intact.", &["endothelium=endo"]),
        // EC is not defined: no mention at all
        ("EC dysfunction was seen.", &[]),
        // the word belongs to another mention
        (
            "endothelium injury of the kidney",
            &["endothelium=endo", "injury of the kidney=injury"],
        ),
    ];

    #[test]
    fn states_written_as_phrases() {
        let t = tagger();
        for (text, want) in CASES {
            let doc = Document::new("x", vec![Section::new("text", *text)]);
            let got: Vec<String> = t
                .tag(&doc, &mut Default::default())
                .iter()
                .map(|m| format!("{}={}", m.text(&doc), t.ontology.concept(m.concept).id))
                .collect();
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn explain_records_the_state_word() {
        let t = tagger();
        let doc = Document::new("x", vec![Section::new("text", "The dysfunctional endothelium leaks.")]);
        let ex = t.explain(&doc);
        let d = ex
            .decisions
            .iter()
            .find(|d| d.stage() == StageId::States)
            .expect("a state decision");
        assert_eq!(d.outcome.as_str(), "changed");
        assert_eq!(
            d.rule.describe(&t.ontology),
            "\"dysfunctional\" before a mention of endo names a state of it (state_of)"
        );
    }

    #[test]
    fn the_loader_checks_state_of() {
        let bad = r#"
ontology: {id: t}
concepts:
  - id: a
    label: A
    synonyms: [alpha]
    head_words: [layer, two words]
  - id: b
    label: B
    synonyms: [beta]
    state_of:
      concept: aa
      after: [dysfunction]
  - id: c
    label: C
    synonyms: [gamma]
    state_of:
      concept: c
      after: [two words]
"#;
        let errs = load_texts(&[("t.yaml", bad)]).expect_err("bad state_of");
        let msgs: Vec<String> = errs.0.iter().map(|p| format!("{}: {}", p.loc, p.message)).collect();
        assert_eq!(
            msgs,
            [
                "t.yaml:7: head_words: \"two words\" is not one word",
                "t.yaml:19: state_of: after: \"two words\" is not one word",
                "t.yaml:12: state_of: concept \"aa\" is not a concept",
                "t.yaml:18: state_of: names the concept itself",
            ]
        );
    }
}
