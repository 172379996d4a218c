//! `explain`: each mention with the term and rule that produced it, and each rejected candidate
//! with the reason.

use std::fmt::Write as _;

use crate::document::Document;
use crate::matcher::Matcher;
use crate::matcher::trace::{Fate, Traced};
use crate::ontology::Ontology;

fn describe_term(ont: &Ontology, t: &Traced) -> String {
    let c = ont.concept(t.concept);
    let term = &c.terms[t.term as usize];
    format!(
        "{} {:?}{}",
        term.kind.as_str(),
        term.text,
        if t.variant { " (generated variant)" } else { "" }
    )
}

/// The explanation of one text, offsets in characters of `text`.
pub fn explain_text(ont: &Ontology, matcher: &Matcher, text: &str) -> String {
    let traced = matcher.trace(text);
    let mut out = String::new();
    let (kept, rejected): (Vec<&Traced>, Vec<&Traced>) = traced.iter().partition(|t| t.fate == Fate::Mention);
    let _ = writeln!(out, "mentions ({}):", kept.len());
    for t in &kept {
        let c = ont.concept(t.concept);
        let _ = writeln!(
            out,
            "  {}-{}  {:?} -> {} ({}) [{}] via {}",
            t.start,
            t.end,
            &text[t.byte_start as usize..t.byte_end as usize],
            c.id,
            c.label,
            ont.concept(c.category).id,
            describe_term(ont, t)
        );
    }
    let _ = writeln!(out, "rejected ({}):", rejected.len());
    for t in &rejected {
        let c = ont.concept(t.concept);
        let _ = writeln!(
            out,
            "  {}-{}  {:?} -> {}: {}; {}",
            t.start,
            t.end,
            &text[t.byte_start as usize..t.byte_end as usize],
            c.id,
            t.fate.describe(),
            describe_term(ont, t)
        );
    }
    out
}

/// The explanation of every section of a document (offsets within each section).
pub fn explain_document(ont: &Ontology, matcher: &Matcher, doc: &Document) -> String {
    let mut out = format!("article {}\n", doc.id);
    for s in &doc.sections {
        let _ = writeln!(out, "\n[{}] {}", s.name, s.text);
        for l in explain_text(ont, matcher, &s.text).lines() {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::load_texts;

    #[test]
    fn explains_mentions_and_rejections() {
        let o = load_texts(&[(
            "v.yaml",
            "concepts:\n  - {id: tf, label: Tissue factor, synonyms: [tissue factor], abbreviations: [TF]}\n  - {id: tfpi, label: TFPI, abbreviations: [TFPI]}\n",
        )])
        .unwrap();
        let m = Matcher::new(&o);
        assert_eq!(
            explain_text(&o, &m, "Tissue factors and TF, not Tf or TFPI."),
            "mentions (3):\n  0-14  \"Tissue factors\" -> tf (Tissue factor) [tf] via synonym \"tissue factor\" (generated variant)\n  19-21  \"TF\" -> tf (Tissue factor) [tf] via abbreviation \"TF\"\n  33-37  \"TFPI\" -> tfpi (TFPI) [tfpi] via abbreviation \"TFPI\"\nrejected (3):\n  0-13  \"Tissue factor\" -> tf: not a whole word ('s' after); synonym \"tissue factor\"\n  27-29  \"Tf\" -> tf: case differs: abbreviations match exactly (\"Tf\" in the text, \"TF\" in the ontology); abbreviation \"TF\"\n  33-35  \"TF\" -> tf: not a whole word ('P' after); abbreviation \"TF\"\n"
        );
    }
}
