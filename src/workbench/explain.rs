//! `explain`: each mention with the term and rule that produced it, and each rejected candidate
//! with the reason.
//!
//! Two layers are shown: the matcher's candidates (whole words, case, exclude phrases,
//! leftmost-longest; see [`crate::tag::matcher::trace`]) and the document-level abbreviation step
//! ([`crate::tag::abbrev`]): the definitions the document makes, the short forms that became mentions
//! through them, and the abbreviations it removed (defined as something else, `when: defined`
//! without a definition, `when: context` without a context term).

use std::fmt::Write as _;

use crate::document::{Document, Section};
use crate::normalize;
use crate::ontology::{Condition, Ontology};
use crate::tag::Tagger;
use crate::tag::abbrev::{self, Definition};
use crate::tag::matcher::trace::{Fate, Traced};
use crate::tag::matcher::{Mention, Scratch, Via};

fn describe_term(ont: &Ontology, concept: crate::ontology::ConceptId, term: u32, variant: bool) -> String {
    let t = &ont.concept(concept).terms[term as usize];
    format!(
        "{} {:?}{}",
        t.kind.as_str(),
        t.text,
        if variant { " (generated variant)" } else { "" }
    )
}

/// Why the abbreviation step removed a matcher mention.
fn removal_reason(ont: &Ontology, m: &Traced, text: &str, defs: &[Definition]) -> String {
    let short = &text[m.byte_start as usize..m.byte_end as usize];
    let key = normalize::canonical(short);
    let defined = defs.iter().find(|d| {
        let k = d.key();
        k == key || format!("{k}s") == key
    });
    let term = &ont.concept(m.concept).terms[m.term as usize];
    match (defined, &term.condition) {
        (Some(d), _) => {
            format!(
                "the document defines {:?} as {:?}, not as this concept",
                d.short, d.long
            )
        }
        (_, Some(Condition::Defined)) => "counts only where the document defines it (when: defined)".to_string(),
        (_, Some(Condition::Context(terms))) => {
            format!(
                "none of its context terms occurs in the document (when: context: {})",
                terms.join(", ")
            )
        }
        _ => "removed by the abbreviation step".to_string(),
    }
}

/// Why the longer-name step removed a mention (`longer_name_words:`), if it did.
fn longer_name_reason(t: &Tagger, doc: &Document, section: usize, x: &Traced, resolved: &[Mention]) -> Option<String> {
    let m = resolved.iter().find(|m| {
        m.section == section as u32
            && m.byte_start == x.byte_start
            && m.byte_end == x.byte_end
            && m.concept == x.concept
    })?;
    let why = t.longer_names.check(&t.ontology, doc, m, resolved)?;
    Some(format!(
        "part of a longer name ({:?} {} it, listed in longer_name_words of {})",
        why.word,
        why.side.as_str(),
        t.ontology.concept(why.listed_by).id
    ))
}

#[allow(clippy::too_many_arguments)]
fn section_report(
    out: &mut String,
    t: &Tagger,
    doc: &Document,
    index: usize,
    final_mentions: &[Mention],
    resolved: &[Mention],
    defs: &[Definition],
    indent: &str,
) {
    let ont = &t.ontology;
    let text = &doc.sections[index].text;
    let traced = t.matcher.trace(text);
    let kept: Vec<&Mention> = final_mentions.iter().filter(|m| m.section == index as u32).collect();
    let survives = |x: &Traced| {
        kept.iter()
            .any(|m| m.byte_start == x.byte_start && m.byte_end == x.byte_end && m.concept == x.concept)
    };
    let mut counter = normalize::CharCounter::new(text);
    let mut lines: Vec<(u32, u32, String)> = Vec::new();
    let mut rejected: Vec<String> = Vec::new();
    for x in &traced {
        let c = ont.concept(x.concept);
        let shown = &text[x.byte_start as usize..x.byte_end as usize];
        match &x.fate {
            Fate::Mention if survives(x) => lines.push((
                x.start,
                x.end,
                format!(
                    "{}-{}  {shown:?} -> {} ({}) [{}] via {}",
                    x.start,
                    x.end,
                    c.id,
                    c.label,
                    ont.concept(c.category).id,
                    describe_term(ont, x.concept, x.term, x.variant)
                ),
            )),
            Fate::Mention => rejected.push(format!(
                "{}-{}  {shown:?} -> {}: {}; {}",
                x.start,
                x.end,
                c.id,
                longer_name_reason(t, doc, index, x, resolved).unwrap_or_else(|| removal_reason(ont, x, text, defs)),
                describe_term(ont, x.concept, x.term, x.variant)
            )),
            fate => rejected.push(format!(
                "{}-{}  {shown:?} -> {}: {}; {}",
                x.start,
                x.end,
                c.id,
                fate.describe(),
                describe_term(ont, x.concept, x.term, x.variant)
            )),
        }
    }
    for m in kept.iter().filter(|m| m.via == Via::Definition) {
        let c = ont.concept(m.concept);
        let start = counter.chars_at(m.byte_start as usize) as u32;
        let end = counter.chars_at(m.byte_end as usize) as u32;
        let shown = &text[m.byte_start as usize..m.byte_end as usize];
        let key = normalize::canonical(shown);
        let why = match defs.iter().find(|d| d.key() == key || format!("{}s", d.key()) == key) {
            Some(d) => format!("the document defines it as {:?}", d.long),
            // a long form that spells the name of the concept its short form is listed for
            None => match defs.iter().find(|d| d.long.eq_ignore_ascii_case(shown)) {
                Some(d) => format!(
                    "the document's long form of {:?}, which spells a name of the concept",
                    d.short
                ),
                None => "the document defines it".to_string(),
            },
        };
        lines.push((
            start,
            end,
            format!(
                "{start}-{end}  {shown:?} -> {} ({}) [{}] via defined-abbreviation: {why}",
                c.id,
                c.label,
                ont.concept(c.category).id
            ),
        ));
    }
    lines.sort_by_key(|l| (l.0, std::cmp::Reverse(l.1)));
    let _ = writeln!(out, "{indent}mentions ({}):", lines.len());
    for (_, _, l) in &lines {
        let _ = writeln!(out, "{indent}  {l}");
    }
    let _ = writeln!(out, "{indent}rejected ({}):", rejected.len());
    for l in &rejected {
        let _ = writeln!(out, "{indent}  {l}");
    }
}

fn definitions_report(out: &mut String, doc: &Document, defs: &[Definition]) {
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

/// The mentions before the longer-name step (the matcher's, with the abbreviation step applied)
/// and the mentions tagging keeps, from one pass of the matcher.
fn mentions_and_resolved(t: &Tagger, doc: &Document) -> (Vec<Mention>, Vec<Mention>) {
    let resolved = t.tag_before_longer_names(doc, &mut Scratch::default());
    let mentions = t.longer_names.filter(&t.ontology, doc, resolved.clone());
    (mentions, resolved)
}

/// The explanation of one text (a one-section document; offsets in characters of `text`).
pub fn explain_text(t: &Tagger, text: &str) -> String {
    let doc = Document::new("text", vec![Section::new("text", text)]);
    let defs = abbrev::find_definitions(&doc);
    let (mentions, resolved) = mentions_and_resolved(t, &doc);
    let mut out = String::new();
    definitions_report(&mut out, &doc, &defs);
    section_report(&mut out, t, &doc, 0, &mentions, &resolved, &defs, "");
    out
}

/// The explanation of every section of a document (offsets within each section).
pub fn explain_document(t: &Tagger, doc: &Document) -> String {
    let defs = abbrev::find_definitions(doc);
    let (mentions, resolved) = mentions_and_resolved(t, doc);
    let mut out = format!("article {}\n", doc.id);
    definitions_report(&mut out, doc, &defs);
    for (i, s) in doc.sections.iter().enumerate() {
        let _ = writeln!(out, "\n[{}] {}", s.name, s.text);
        section_report(&mut out, t, doc, i, &mentions, &resolved, &defs, "  ");
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

    #[test]
    fn explains_mentions_and_rejections() {
        let t = tagger(
            "concepts:\n  - {id: tf, label: Tissue factor, synonyms: [tissue factor], abbreviations: [TF]}\n  - {id: tfpi, label: TFPI, abbreviations: [TFPI]}\n",
        );
        assert_eq!(
            explain_text(&t, "Tissue factors and TF, not Tf or TFPI."),
            "mentions (3):\n  0-14  \"Tissue factors\" -> tf (Tissue factor) [tf] via synonym \"tissue factor\" (generated variant)\n  19-21  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"\n  33-37  \"TFPI\" -> tfpi (TFPI) [tfpi] via abbreviation \"TFPI\"\nrejected (3):\n  0-13  \"Tissue factor\" -> tf: not a whole word ('s' after); synonym \"tissue factor\"\n  27-29  \"Tf\" -> tf: case differs: abbreviations match exactly (\"Tf\" in the text, \"TF\" in the ontology); abbreviation \"TF\"\n  33-35  \"TF\" -> tf: not a whole word ('P' after); abbreviation \"TF\"\n"
        );
    }

    #[test]
    fn explains_the_abbreviation_step() {
        let t = tagger(
            "concepts:\n  - {id: tf, label: Tissue factor, synonyms: [tissue factor], abbreviations: [TF]}\n  - {id: nets, label: NETs, synonyms: [neutrophil extracellular trap]}\n  - {id: dic, label: DIC, abbreviations: [{term: DIC, when: defined}]}\n",
        );
        assert_eq!(
            explain_text(
                &t,
                "The transcription factor (TF) bound; TF rose. Neutrophil extracellular traps (NETs) grew; NETs and DIC."
            ),
            "abbreviations defined (2):\n  \"TF\" = \"transcription factor\" [text]\n  \"NETs\" = \"Neutrophil extracellular traps\" [text]\nmentions (3):\n  46-76  \"Neutrophil extracellular traps\" -> nets (NETs) [nets] via synonym \"neutrophil extracellular trap\" (generated variant)\n  78-82  \"NETs\" -> nets (NETs) [nets] via defined-abbreviation: the document defines it as \"Neutrophil extracellular traps\"\n  90-94  \"NETs\" -> nets (NETs) [nets] via defined-abbreviation: the document defines it as \"Neutrophil extracellular traps\"\nrejected (4):\n  26-28  \"TF\" -> tf: the document defines \"TF\" as \"transcription factor\", not as this concept; abbreviation \"TF\"\n  37-39  \"TF\" -> tf: the document defines \"TF\" as \"transcription factor\", not as this concept; abbreviation \"TF\"\n  46-75  \"Neutrophil extracellular trap\" -> nets: not a whole word ('s' after); synonym \"neutrophil extracellular trap\"\n  99-102  \"DIC\" -> dic: counts only where the document defines it (when: defined); abbreviation \"DIC\"\n"
        );
    }

    #[test]
    fn explains_a_long_form_that_spells_the_name() {
        let t = tagger(
            "concepts:\n  - {id: torsades, label: Torsades de pointes, synonyms: [torsades de pointes], abbreviations: [TdP]}\n",
        );
        assert_eq!(
            explain_text(&t, "Patients with torsade de pointes (TdP) were treated; TdP recurred."),
            "abbreviations defined (1):\n  \"TdP\" = \"torsade de pointes\" [text]\nmentions (3):\n  14-32  \"torsade de pointes\" -> torsades (Torsades de pointes) [torsades] via defined-abbreviation: the document's long form of \"TdP\", which spells a name of the concept\n  34-37  \"TdP\" -> torsades (Torsades de pointes) [torsades] via abbreviation \"TdP\"\n  53-56  \"TdP\" -> torsades (Torsades de pointes) [torsades] via abbreviation \"TdP\"\nrejected (0):\n"
        );
    }

    #[test]
    fn explains_a_mention_inside_a_longer_name() {
        let t = tagger(
            "concepts:\n  - id: type_disease\n    label: Disease\n    longer_name_words: {before: [muscle]}\n  - {id: rigidity, label: rigidity, parent: type_disease, synonyms: [rigidity]}\n",
        );
        assert_eq!(
            explain_text(&t, "Masseter muscle rigidity and rigidity."),
            "mentions (1):\n  29-37  \"rigidity\" -> rigidity (rigidity) [type_disease] via synonym \"rigidity\"\nrejected (1):\n  16-24  \"rigidity\" -> rigidity: part of a longer name (\"muscle\" before it, listed in longer_name_words of type_disease); synonym \"rigidity\"\n"
        );
    }
}
