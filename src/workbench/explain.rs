//! `explain`: every mention of a text or article with the stage decisions that made it, and
//! every candidate a stage rejected, with the stage and the rule.
//!
//! Nothing here decides anything: the tagger runs with a [`crate::tag::Log`]
//! ([`Tagger::explain`]) and this module prints what each stage recorded ([`crate::tag::stage`]):
//! the matcher's candidates (whole words, case, exclude phrases, leftmost-longest; see
//! [`crate::tag::matcher::trace`]), the abbreviation stage's definitions and decisions (a use of a
//! defined short form added, a listed abbreviation defined as something else dropped, `when:`
//! conditions), the longer-name stage's and the qualifier stage's (each cue that decided a value,
//! its side and distance, and the clause it was looked for in).

use std::fmt::Write as _;

use crate::document::{Document, Section};
use crate::ontology::Ontology;
use crate::tag::matcher::{Mention, Via};
use crate::tag::{Decision, Explained, Note, Outcome, Tagger};

/// How a mention was found, with its term: `synonym "tissue factor" (generated variant)`.
fn describe_via(ont: &Ontology, m: &Mention) -> String {
    let t = &ont.concept(m.concept).terms[m.term as usize];
    let term = format!(
        "{} {:?}{}",
        t.kind.as_str(),
        t.text,
        if m.variant { " (generated variant)" } else { "" }
    );
    match m.via {
        // the term of the concept the definition names; "generated variant" says nothing here
        Via::Definition => format!("{} of {} {:?}", m.via.as_str(), t.kind.as_str(), t.text),
        Via::Synonym | Via::Abbreviation => term,
    }
}

/// One mention or candidate and the decisions about it, in the order the stages made them.
struct Subject<'a> {
    mention: Mention,
    decisions: Vec<&'a Decision>,
}

/// Whether two records are about the same mention: same place, same concept.
fn same(a: &Mention, b: &Mention) -> bool {
    (a.section, a.byte_start, a.byte_end, a.concept) == (b.section, b.byte_start, b.byte_end, b.concept)
}

fn section_report(out: &mut String, t: &Tagger, doc: &Document, ex: &Explained, index: usize, indent: &str) {
    let ont = &t.ontology;
    let section = index as u32;
    let base = doc.section_starts()[index] as u32;
    let mut subjects: Vec<Subject<'_>> = Vec::new();
    for d in ex.decisions.iter().filter(|d| d.mention.section == section) {
        // a change is a decision about the mention as it was and as it is now
        let from = match &d.outcome {
            Outcome::Changed { from } => Some(*from),
            _ => None,
        };
        // (a change of what a mention is, not where or which concept, is one subject: record it once)
        let moved = from.filter(|f| !same(f, &d.mention));
        for about in moved.into_iter().chain([d.mention]) {
            match subjects.iter_mut().find(|s| same(&s.mention, &about)) {
                Some(s) => s.decisions.push(d),
                None => subjects.push(Subject {
                    mention: about,
                    decisions: vec![d],
                }),
            }
        }
    }
    for m in ex.mentions.iter().filter(|m| m.section == section) {
        if !subjects.iter().any(|s| same(&s.mention, m)) {
            subjects.push(Subject {
                mention: *m,
                decisions: Vec::new(),
            });
        }
    }
    subjects.sort_by_key(|s| (s.mention.start, std::cmp::Reverse(s.mention.end)));
    let kept = |s: &Subject<'_>| ex.mentions.iter().any(|m| same(m, &s.mention));
    let (mentions, rejected): (Vec<&Subject<'_>>, Vec<&Subject<'_>>) = subjects.iter().partition(|s| kept(s));
    for (title, list) in [("mentions", &mentions), ("rejected", &rejected)] {
        let _ = writeln!(out, "{indent}{title} ({}):", list.len());
        for s in list {
            // the mention as it finally is: the last record of a change, or the final mention
            let m = ex
                .mentions
                .iter()
                .find(|m| same(m, &s.mention))
                .copied()
                .unwrap_or(s.mention);
            let c = ont.concept(m.concept);
            let _ = writeln!(
                out,
                "{indent}  {}-{}  {:?} -> {} ({}) [{}] via {}{}",
                m.start - base,
                m.end - base,
                m.text(doc),
                c.id,
                c.label,
                ont.category_ids(m.concept),
                describe_via(ont, &m),
                if !kept(s) {
                    String::new()
                } else {
                    let counts = if m.evidence.in_rollup { "in" } else { "not in" };
                    format!("; role {}, {counts} the roll-up", m.evidence.role.as_str())
                }
            );
            for d in &s.decisions {
                let _ = writeln!(
                    out,
                    "{indent}      {}: {}: {}",
                    d.stage().name(),
                    d.outcome.as_str(),
                    d.rule.describe(ont)
                );
            }
        }
    }
}

fn definitions_report(out: &mut String, doc: &Document, notes: &[Note]) {
    let defs: Vec<_> = notes
        .iter()
        .map(|n| match n {
            Note::Definition(d) => d,
        })
        .collect();
    if defs.is_empty() {
        return;
    }
    let _ = writeln!(out, "abbreviations defined ({}):", defs.len());
    for d in defs {
        let _ = writeln!(
            out,
            "  {:?} = {:?} [{}]",
            d.short, d.long, doc.sections[d.section as usize].name
        );
    }
}

/// The explanation of one text (a one-section document; offsets in characters of `text`).
pub fn explain_text(t: &Tagger, text: &str) -> String {
    let doc = Document::new("text", vec![Section::new("text", text)]);
    let ex = t.explain(&doc);
    let mut out = String::new();
    definitions_report(&mut out, &doc, &ex.notes);
    section_report(&mut out, t, &doc, &ex, 0, "");
    out
}

/// The explanation of every section of a document (offsets within each section).
pub fn explain_document(t: &Tagger, doc: &Document) -> String {
    let ex = t.explain(doc);
    let mut out = format!("article {}\n", doc.id);
    definitions_report(&mut out, doc, &ex.notes);
    for (i, s) in doc.sections.iter().enumerate() {
        let _ = writeln!(out, "\n[{}] {}", s.name, s.text);
        section_report(&mut out, t, doc, &ex, i, "  ");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::load_texts;

    fn tagger(yaml: &str) -> Tagger {
        Tagger::from_ontology(load_texts(&[("v.yaml", yaml)]).unwrap()).unwrap()
    }

    /// The explanation's lines.
    fn lines(t: &Tagger, text: &str) -> Vec<String> {
        explain_text(t, text).lines().map(String::from).collect()
    }

    const KEPT_BY_MATCH: &str = "      match: kept: a whole word, and no other match took its place";

    /// The qualifier stage: each cue with its side, its distance and the clause it scoped over;
    /// a mention with no cue is recorded as kept, one with a cue as changed.
    #[test]
    fn explains_the_qualifier_stage() {
        let t = tagger(
            "concepts:\n  - {id: il6, label: IL-6, abbreviations: [IL-6]}\n  - {id: tnf, label: TNF, abbreviations: [TNF]}\n  - {id: crp, label: CRP, abbreviations: [CRP]}\nqualifiers:\n  negation: {after: [not]}\n  hedge: {before: [may]}\n  up: {after: [rose]}\n  terminators: [but]\n",
        );
        assert_eq!(
            lines(&t, "IL-6 rose but TNF did not. CRP was measured. It may be TNF."),
            [
                "mentions (4):",
                "  0-4  \"IL-6\" -> il6 (IL-6) [il6] via abbreviation \"IL-6\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      qualifiers: changed: affirmed, stated, direction up; direction cue \"rose\" after it (0 words away); scope: \"IL-6 rose\"",
                "  14-17  \"TNF\" -> tnf (TNF) [tnf] via abbreviation \"TNF\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      qualifiers: changed: negated, stated, direction none; polarity cue \"not\" after it (1 word away); scope: \"TNF did not.\"",
                "  27-30  \"CRP\" -> crp (CRP) [crp] via abbreviation \"CRP\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      qualifiers: kept: affirmed, stated, direction none (no cue in its clause); scope: \"CRP was measured.\"",
                "  55-58  \"TNF\" -> tnf (TNF) [tnf] via abbreviation \"TNF\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      qualifiers: changed: affirmed, hedged, direction none; certainty cue \"may\" before it (1 word away); scope: \"It may be TNF.\"",
                "rejected (0):",
            ]
        );
    }

    /// The match stage: a kept mention and candidates dropped by each of its rules.
    #[test]
    fn explains_the_match_stage() {
        let t = tagger(
            "concepts:\n  - {id: tf, label: Tissue factor, synonyms: [tissue factor], abbreviations: [TF], exclude: [TF binding site]}\n  - {id: tfpi, label: TFPI, abbreviations: [TFPI]}\n",
        );
        assert_eq!(
            lines(&t, "Tissue factors and TF, not Tf, TFPI or a TF binding site."),
            [
                "mentions (3):",
                "  0-14  \"Tissue factors\" -> tf (Tissue factor) [tf] via synonym \"tissue factor\" (generated variant); role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "  19-21  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "  31-35  \"TFPI\" -> tfpi (TFPI) [tfpi] via abbreviation \"TFPI\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "rejected (4):",
                "  0-13  \"Tissue factor\" -> tf (Tissue factor) [tf] via synonym \"tissue factor\"",
                "      match: dropped: not a whole word ('s' after)",
                "  27-29  \"Tf\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"",
                "      match: dropped: case differs: abbreviations match exactly (\"Tf\" in the text, \"TF\" in the ontology)",
                "  31-33  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"",
                "      match: dropped: not a whole word ('P' after)",
                "  41-43  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"",
                "      match: dropped: inside the exclude phrase \"TF binding site\"",
            ]
        );
    }

    /// The state stage: the mention as it now is and as it was both show the change.
    #[test]
    fn explains_the_state_stage() {
        let t = tagger(
            "concepts:\n  - {id: ec, label: Endothelium, synonyms: [endothelium]}\n  - id: ed\n    label: Endothelial dysfunction\n    synonyms: [endothelial dysfunction]\n    state_of: {concept: ec, before: [dysfunctional]}\n",
        );
        let change = "      states: changed: \"dysfunctional\" before a mention of ec names a state of it (state_of)";
        assert_eq!(
            lines(&t, "A dysfunctional endothelium."),
            [
                "mentions (1):",
                "  2-27  \"dysfunctional endothelium\" -> ed (Endothelial dysfunction) [ed] via synonym \"endothelial dysfunction\" (generated variant); role mechanism, in the roll-up",
                change,
                "rejected (1):",
                "  16-27  \"endothelium\" -> ec (Endothelium) [ec] via synonym \"endothelium\"",
                KEPT_BY_MATCH,
                change,
            ]
        );
    }

    /// The abbreviation stage: a listed abbreviation kept where the document defines it as its
    /// concept and dropped where it defines it otherwise, uses of a defined short form added, a
    /// `when: defined` abbreviation dropped.
    #[test]
    fn explains_the_abbreviation_stage() {
        let t = tagger(
            "concepts:\n  - {id: tf, label: Tissue factor, synonyms: [tissue factor], abbreviations: [TF]}\n  - {id: nets, label: NETs, synonyms: [neutrophil extracellular trap]}\n  - {id: dic, label: DIC, abbreviations: [{term: DIC, when: defined}]}\n",
        );
        assert_eq!(
            lines(
                &t,
                "The transcription factor (TF) bound; TF rose. Tissue factor (TF) rose. Neutrophil extracellular traps (NETs) grew; NETs and DIC."
            ),
            [
                "abbreviations defined (3):",
                "  \"TF\" = \"transcription factor\" [text]",
                "  \"TF\" = \"Tissue factor\" [text]",
                "  \"NETs\" = \"Neutrophil extracellular traps\" [text]",
                "mentions (5):",
                "  46-59  \"Tissue factor\" -> tf (Tissue factor) [tf] via synonym \"tissue factor\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "  61-63  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      abbreviations: kept: the document defines \"TF\" as \"Tissue factor\"",
                "  71-101  \"Neutrophil extracellular traps\" -> nets (NETs) [nets] via synonym \"neutrophil extracellular trap\" (generated variant); role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "  103-107  \"NETs\" -> nets (NETs) [nets] via defined-abbreviation of synonym \"neutrophil extracellular trap\"; role mechanism, in the roll-up",
                "      abbreviations: added: the document defines \"NETs\" as \"Neutrophil extracellular traps\"",
                "  115-119  \"NETs\" -> nets (NETs) [nets] via defined-abbreviation of synonym \"neutrophil extracellular trap\"; role mechanism, in the roll-up",
                "      abbreviations: added: the document defines \"NETs\" as \"Neutrophil extracellular traps\"",
                "rejected (4):",
                "  26-28  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"",
                KEPT_BY_MATCH,
                "      abbreviations: dropped: the document defines \"TF\" as \"transcription factor\", not as this concept",
                "  37-39  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"",
                KEPT_BY_MATCH,
                "      abbreviations: dropped: the document defines \"TF\" as \"transcription factor\", not as this concept",
                "  71-100  \"Neutrophil extracellular trap\" -> nets (NETs) [nets] via synonym \"neutrophil extracellular trap\"",
                "      match: dropped: not a whole word ('s' after)",
                "  124-127  \"DIC\" -> dic (DIC) [dic] via abbreviation \"DIC\"",
                KEPT_BY_MATCH,
                "      abbreviations: dropped: counts only where the document defines it (when: defined)",
            ]
        );
    }

    /// The roles stage: why a participant did or did not evidence its category.
    #[test]
    fn explains_the_roles_stage() {
        let t = tagger(
            "concepts:\n  - {id: plt, label: Platelet activation, synonyms: [platelet activation]}\n  - {id: platelets, label: Platelets, parent: plt, role: participant, synonyms: [platelets]}\nprocess_cues:\n  plt: [aggregat]\n",
        );
        assert_eq!(
            lines(&t, "Platelets were counted. Platelets aggregated."),
            [
                "mentions (2):",
                "  0-9  \"Platelets\" -> platelets (Platelets) [plt] via synonym \"platelets\"; role participant, not in the roll-up",
                KEPT_BY_MATCH,
                "      roles: kept: its sentence states no process of it and names no mechanism of its category: not evidence",
                "  24-33  \"Platelets\" -> platelets (Platelets) [plt] via synonym \"platelets\"; role participant, in the roll-up",
                KEPT_BY_MATCH,
                "      roles: kept: its sentence states a process of it: \"aggregated\" (process cue \"aggregat\" of plt)",
                "rejected (0):",
            ]
        );
    }

    #[test]
    fn explains_a_long_form_that_spells_the_name() {
        let t = tagger(
            "concepts:\n  - {id: torsades, label: Torsades de pointes, synonyms: [torsades de pointes], abbreviations: [TdP]}\n",
        );
        assert_eq!(
            lines(&t, "Patients with torsade de pointes (TdP) were treated; TdP recurred."),
            [
                "abbreviations defined (1):",
                "  \"TdP\" = \"torsade de pointes\" [text]",
                "mentions (3):",
                "  14-32  \"torsade de pointes\" -> torsades (Torsades de pointes) [torsades] via defined-abbreviation of abbreviation \"TdP\"; role mechanism, in the roll-up",
                "      abbreviations: added: the document's long form of \"TdP\", which spells a name of the concept",
                "  34-37  \"TdP\" -> torsades (Torsades de pointes) [torsades] via abbreviation \"TdP\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      abbreviations: kept: the document defines \"TdP\" as \"torsade de pointes\"",
                "  53-56  \"TdP\" -> torsades (Torsades de pointes) [torsades] via abbreviation \"TdP\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      abbreviations: kept: the document defines \"TdP\" as \"torsade de pointes\"",
                "rejected (0):",
            ]
        );
    }

    /// The longer-name stage: a mention kept with no listed word beside it, one dropped as part
    /// of a longer name.
    #[test]
    fn explains_the_longer_name_stage() {
        let t = tagger(
            "concepts:\n  - id: type_disease\n    label: Disease\n    longer_name_words: {before: [muscle]}\n  - {id: rigidity, label: rigidity, parent: type_disease, synonyms: [rigidity]}\n",
        );
        assert_eq!(
            lines(&t, "Masseter muscle rigidity and rigidity."),
            [
                "mentions (1):",
                "  29-37  \"rigidity\" -> rigidity (rigidity) [type_disease] via synonym \"rigidity\"; role mechanism, in the roll-up",
                KEPT_BY_MATCH,
                "      longer names: kept: no word of its longer_name_words beside it",
                "rejected (1):",
                "  16-24  \"rigidity\" -> rigidity (rigidity) [type_disease] via synonym \"rigidity\"",
                KEPT_BY_MATCH,
                "      longer names: dropped: part of a longer name (\"muscle\" before it, listed in longer_name_words of type_disease)",
            ]
        );
    }

    /// A document's sections are explained one by one, with offsets within each section.
    #[test]
    fn explains_every_section_of_an_article() {
        let t = tagger("concepts:\n  - {id: tf, label: Tissue factor, synonyms: [tissue factor]}\n");
        let doc = Document::new(
            "7",
            vec![
                Section::new("title", "Tissue factor"),
                Section::new("abstract", "Then tissue factor."),
            ],
        );
        assert_eq!(
            explain_document(&t, &doc),
            format!(
                "article 7\n\n[title] Tissue factor\n  mentions (1):\n    0-13  \"Tissue factor\" -> tf (Tissue factor) [tf] via synonym \"tissue factor\"; role mechanism, in the roll-up\n  {KEPT_BY_MATCH}\n  rejected (0):\n\n[abstract] Then tissue factor.\n  mentions (1):\n    5-18  \"tissue factor\" -> tf (Tissue factor) [tf] via synonym \"tissue factor\"; role mechanism, in the roll-up\n  {KEPT_BY_MATCH}\n  rejected (0):\n"
            )
        );
    }
}
