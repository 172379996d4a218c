//! Mentions that are only part of a longer name (`longer_name_words:` in the ontology).
//!
//! A vocabulary lists "rigidity" but not "muscle rigidity", "toxicity" but not "hepatic
//! toxicity": in "masseter muscle rigidity" the matcher finds "rigidity", a mention of a broader
//! concept than the text names. A concept's `longer_name_words` lists the words that, written
//! directly before (`before:`) or after (`after:`) a mention of it or of a concept below it, show
//! that the mention is the head or the start of such a longer name; the mention then does not
//! count. `coagtag ontology from-pubtator` learns these words per annotation type from the
//! training annotations (words that annotated names include and that never stand just outside
//! an annotation of that type).
//!
//! A neighbouring word is the run of letters and digits (with inner `-` and `'`) separated from
//! the mention by exactly one space; a word that is itself part of another mention does not
//! count ("lithium carbonate toxicity" keeps "toxicity" when "carbonate" is in a mention).

use super::matcher::Mention;
use super::stage::{Context, Outcome, Recorder, Rule, Stage, StageId, decide};
use crate::document::Document;
use crate::normalize::is_word_char;
use crate::ontology::schema::NameWords;
use crate::ontology::{ConceptId, Ontology};

/// Which side of the mention the word stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Before => "before",
            Side::After => "after",
        }
    }
}

/// The longer-name stage's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LongerNameRule {
    /// Dropped: `word`, written on `side` of the mention, is listed in the `longer_name_words`
    /// of `listed_by` (the mention's concept or one above it): the mention is part of a longer
    /// name.
    PartOfLongerName {
        side: Side,
        word: String,
        listed_by: ConceptId,
    },
    /// Kept: the listed `word` beside it belongs to another mention.
    WordOfAnotherMention { side: Side, word: String },
    /// Kept: no listed word stands beside it.
    NoListedWord,
}

impl LongerNameRule {
    /// The rule for people.
    pub fn describe(&self, ontology: &Ontology) -> String {
        match self {
            LongerNameRule::PartOfLongerName { side, word, listed_by } => format!(
                "part of a longer name ({word:?} {} it, listed in longer_name_words of {})",
                side.as_str(),
                ontology.concept(*listed_by).id
            ),
            LongerNameRule::WordOfAnotherMention { side, word } => format!(
                "the listed word {word:?} {} it belongs to another mention",
                side.as_str()
            ),
            LongerNameRule::NoListedWord => "no word of its longer_name_words beside it".to_string(),
        }
    }
}

/// Each concept's own and inherited `longer_name_words`, ready for lookups.
#[derive(Debug, Clone, Default)]
pub struct LongerNames {
    /// Per concept: the concepts (itself and its ancestors) that list words.
    listing: Vec<Vec<ConceptId>>,
    any: bool,
}

impl LongerNames {
    pub fn new(ontology: &Ontology) -> LongerNames {
        let any = ontology.concepts.iter().any(|c| !c.longer_name_words.is_empty());
        if !any {
            return LongerNames::default();
        }
        let listing = ontology
            .ids()
            .map(|id| {
                // itself and every ancestor through every parent (a validated ontology has no cycle)
                ontology
                    .ancestors(id)
                    .into_iter()
                    .filter(|&c| !ontology.concept(c).longer_name_words.is_empty())
                    .collect()
            })
            .collect();
        LongerNames { listing, any }
    }

    /// Whether any concept lists words (if not, the stage keeps every mention untouched).
    pub fn is_empty(&self) -> bool {
        !self.any
    }

    /// What the stage decides about `m` in `doc`: `None` when neither its concept nor one above
    /// it lists words (the mention passes untouched). `others` are the document's mentions (a
    /// neighbouring word inside one of them does not count).
    pub fn decide(
        &self,
        ontology: &Ontology,
        doc: &Document,
        m: &Mention,
        others: &[Mention],
    ) -> Option<LongerNameRule> {
        let listing = self.listing.get(m.concept.index())?;
        if listing.is_empty() {
            return None;
        }
        let text = &doc.sections.get(m.section as usize)?.text;
        let (bs, be) = (m.byte_start as usize, m.byte_end as usize);
        // a word inside another mention belongs to that name; checked last, as it scans
        let free = |s: usize, e: usize| span_is_free(others, m.section, s, e);
        let sides = [
            (Side::Before, word_before(text, bs)),
            (Side::After, word_after(text, be)),
        ];
        let mut taken = None;
        for (side, span) in sides {
            let Some((s, e)) = span else { continue };
            let word = text[s..e].to_lowercase();
            let listed_by = listing.iter().copied().find(|&c| {
                let words: &NameWords = &ontology.concept(c).longer_name_words;
                let list = if side == Side::Before {
                    &words.before
                } else {
                    &words.after
                };
                list.binary_search(&word).is_ok()
            });
            if let Some(listed_by) = listed_by {
                if free(s, e) {
                    return Some(LongerNameRule::PartOfLongerName { side, word, listed_by });
                }
                taken.get_or_insert((side, word));
            }
        }
        Some(match taken {
            Some((side, word)) => LongerNameRule::WordOfAnotherMention { side, word },
            None => LongerNameRule::NoListedWord,
        })
    }
}

impl Stage for LongerNames {
    const ID: StageId = StageId::LongerNames;

    /// `mentions` without those that are part of a longer name.
    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention> {
        if self.is_empty() {
            return mentions;
        }
        let drop: Vec<bool> = mentions
            .iter()
            .map(|m| {
                let Some(rule) = self.decide(cx.ontology, cx.doc, m, &mentions) else {
                    return false;
                };
                let dropped = matches!(rule, LongerNameRule::PartOfLongerName { .. });
                let outcome = if dropped { Outcome::Dropped } else { Outcome::Kept };
                decide(rec, m, outcome, || Rule::LongerNames(rule));
                dropped
            })
            .collect();
        mentions
            .into_iter()
            .zip(drop)
            .filter_map(|(m, d)| (!d).then_some(m))
            .collect()
    }
}

/// The byte span of the word separated from `at` by exactly one space before it.
pub(crate) fn word_before(text: &str, at: usize) -> Option<(usize, usize)> {
    let head = text.get(..at)?.strip_suffix(' ')?;
    let end = head.len();
    let mut start = end;
    for (i, c) in head.char_indices().rev() {
        if is_word_char(c) || c == '-' || c == '\'' {
            start = i;
        } else {
            break;
        }
    }
    // the word starts with a letter or digit and ends with one
    let word = &head[start..end];
    let lead = word.find(is_word_char)?;
    let word = &word[lead..];
    if !word.ends_with(is_word_char) {
        return None;
    }
    Some((start + lead, end))
}

/// The byte span of the word separated from `at` by exactly one space after it.
pub(crate) fn word_after(text: &str, at: usize) -> Option<(usize, usize)> {
    let tail = text.get(at..)?.strip_prefix(' ')?;
    let start = at + 1;
    if !tail.starts_with(is_word_char) {
        return None;
    }
    let mut len = 0;
    for (i, c) in tail.char_indices() {
        if is_word_char(c) || c == '-' || c == '\'' {
            len = i + c.len_utf8();
        } else {
            break;
        }
    }
    // trailing `-` or `'` ("patients'") are not part of the word
    let word = tail[..len].trim_end_matches(['-', '\'']);
    Some((start, start + word.len()))
}

/// Whether bytes `s..e` of a section hold no part of any of `others` (a word inside another
/// mention belongs to that name).
pub(crate) fn span_is_free(others: &[Mention], section: u32, s: usize, e: usize) -> bool {
    !others
        .iter()
        .any(|o| o.section == section && (o.byte_start as usize) < e && s < o.byte_end as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::ontology::load_texts;
    use crate::tag::Tagger;
    use crate::tag::matcher::Scratch;

    const VOCAB: &str = r#"
concepts:
  - id: type_disease
    label: Disease
    longer_name_words:
      before: [cardiac, Muscle, myelo-optic, carbonate]
      after: [syndrome]
  - {id: toxicity, label: toxicity, parent: type_disease, synonyms: [toxicity]}
  - {id: hypotension, label: hypotension, parent: type_disease, synonyms: [hypotension]}
  - {id: rigidity, label: rigidity, parent: type_disease, synonyms: [rigidity]}
  - {id: neuropathy, label: neuropathy, parent: type_disease, synonyms: [neuropathy]}
  - {id: reye, label: Reye, parent: type_disease, synonyms: [Reye]}
  - id: type_chemical
    label: Chemical
    longer_name_words:
      after: [hydrochloride]
  - {id: bupropion, label: bupropion, parent: type_chemical, synonyms: [bupropion]}
  - {id: lithium_carbonate, label: lithium carbonate, parent: type_chemical, synonyms: [lithium carbonate]}
"#;

    /// (sentence, the mentions' texts and concepts that remain)
    const CASES: &[(&str, &[(&str, &str)])] = &[
        // a listed word before the mention: "toxicity" is the head of "cardiac toxicity"
        (
            "Twin preterm neonates with cardiac toxicity related to lopinavir/ritonavir therapy.",
            &[],
        ),
        // the list is matched case-insensitively, also at the start of a sentence
        ("Cardiac toxicity was seen in two neonates.", &[]),
        // an unlisted word before the mention: "severe" is not part of the name
        (
            "AV block, severe hypotension, and impairment of ventricular function.",
            &[("hypotension", "hypotension")],
        ),
        // words listed on the category apply to every concept under it
        ("Masseter muscle rigidity developed after induction.", &[]),
        // a word with an inner hyphen is one word
        (
            "The full syndrome of subacute myelo-optic neuropathy was more frequent in women.",
            &[],
        ),
        // an `after:` word: "bupropion" is the start of "bupropion hydrochloride"
        (
            "Zyban, a sustained-release formulation of bupropion hydrochloride, was recently released.",
            &[],
        ),
        // the words of one category do not apply to another: "hydrochloride" is listed for
        // chemicals, and "syndrome" after "Reye" removes the disease mention only
        (
            "Reye syndrome followed the bupropion dose.",
            &[("bupropion", "bupropion")],
        ),
        // a neighbouring word inside another mention does not count: "carbonate" belongs to
        // "lithium carbonate", so "toxicity" stays
        (
            "Tricuspid valve regurgitation and lithium carbonate toxicity in a newborn infant.",
            &[("lithium carbonate", "lithium_carbonate"), ("toxicity", "toxicity")],
        ),
        // punctuation between the words: not one name
        (
            "Findings were cardiac: toxicity was not observed.",
            &[("toxicity", "toxicity")],
        ),
    ];

    #[test]
    fn mentions_inside_longer_names_do_not_count() {
        let t = Tagger::from_ontology(load_texts(&[("v.yaml", VOCAB)]).unwrap()).unwrap();
        for (sentence, want) in CASES {
            let doc = Document::new("d", vec![Section::new("text", *sentence)]);
            let got: Vec<(&str, &str)> = t
                .tag(&doc, &mut Scratch::default())
                .iter()
                .map(|m| (m.text(&doc), t.ontology.concept(m.concept).id.as_str()))
                .collect();
            assert_eq!(&got, want, "{sentence}");
        }
    }

    /// Each mention with the rule the stage decided it by (`None`: its concept lists no words).
    #[test]
    fn each_mention_gets_the_rule_that_decided_it() {
        let vocab = format!("{VOCAB}  - {{id: fever, label: fever, synonyms: [fever]}}\n");
        let t = Tagger::from_ontology(load_texts(&[("v.yaml", &vocab)]).unwrap()).unwrap();
        type Case<'a> = (&'a str, &'a [(&'a str, Option<&'a str>)]);
        let cases: &[Case] = &[
            (
                "Masseter muscle rigidity.",
                &[(
                    "rigidity",
                    Some("part of a longer name (\"muscle\" before it, listed in longer_name_words of type_disease)"),
                )],
            ),
            (
                "Lithium carbonate toxicity.",
                &[
                    ("Lithium carbonate", Some("no word of its longer_name_words beside it")),
                    (
                        "toxicity",
                        Some("the listed word \"carbonate\" before it belongs to another mention"),
                    ),
                ],
            ),
            ("Cardiac fever.", &[("fever", None)]),
        ];
        for (sentence, want) in cases {
            let doc = Document::new("d", vec![Section::new("text", *sentence)]);
            let mut found = Vec::new();
            t.matcher.find_in_document(&doc, &mut Scratch::default(), &mut found);
            let got: Vec<(&str, Option<String>)> = found
                .iter()
                .map(|m| {
                    let rule = t.longer_names.decide(&t.ontology, &doc, m, &found);
                    (m.text(&doc), rule.map(|r| r.describe(&t.ontology)))
                })
                .collect();
            let want: Vec<(&str, Option<String>)> = want.iter().map(|(m, r)| (*m, r.map(String::from))).collect();
            assert_eq!(got, want, "{sentence}");
        }
    }

    #[test]
    fn an_ontology_without_the_words_keeps_every_mention() {
        let ont = load_texts(&[("v.yaml", "concepts:\n  - {id: tox, label: tox, synonyms: [toxicity]}\n")]).unwrap();
        assert!(LongerNames::new(&ont).is_empty());
    }

    #[test]
    fn longer_name_words_are_single_words() {
        let yaml = "concepts:\n  - id: d\n    label: D\n    longer_name_words:\n      before: [\"muscle\", \"heart muscle\"]\n";
        let err = load_texts(&[("v.yaml", yaml)]).unwrap_err().to_string();
        assert!(
            err.contains("longer_name_words: before: \"heart muscle\" is not one word"),
            "{err}"
        );
        assert!(err.contains("v.yaml:5"), "{err}");
    }

    #[test]
    fn neighbouring_words() {
        let t = "masseter muscle rigidity, (HIV)-infected and  x";
        let at = t.find("rigidity").unwrap();
        assert_eq!(word_before(t, at).map(|(s, e)| &t[s..e]), Some("muscle"));
        assert_eq!(word_after(t, at + "rigidity".len()), None, "a comma is not a space");
        assert_eq!(word_after(t, "masseter".len()).map(|(s, e)| &t[s..e]), Some("muscle"));
        let and = t.find("and").unwrap();
        assert_eq!(word_after(t, and + 3), None, "two spaces are not one");
        assert_eq!(word_before(t, and).map(|(s, e)| &t[s..e]), Some("infected"));
        assert_eq!(word_before(t, 0), None);
        let s = "patients' liver-biopsy";
        assert_eq!(word_after(s, "patients'".len() - 1), None);
        assert_eq!(
            word_after("x liver- y", 1).map(|(s, e)| &"x liver- y"[s..e]),
            Some("liver")
        );
    }
}
