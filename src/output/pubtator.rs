//! Mentions in PubTator format, so any external scorer can check coagtag's output.
//!
//! ```text
//! 6794356|t|Tricuspid valve regurgitation and lithium carbonate toxicity in a newborn infant.
//! 6794356|a|A newborn with massive tricuspid regurgitation, ...
//! 6794356<TAB>0<TAB>29<TAB>Tricuspid valve regurgitation<TAB>Disease<TAB>D014262
//!
//! ```
//!
//! The first section is the `|t|` line and the others, joined by one space, the `|a|` line, so
//! the offsets (characters, the abstract starting at `len(title) + 1`) are the document's own.
//! Line breaks and tabs inside the text become spaces (one character each, so offsets hold).
//! A mention line holds the PMID (document id), start, end, text, type (the label of the
//! concept's top-level category) and id (the concept's gold id: its first xref, or its id; see
//! [`Ontology::gold_id`]). Each document ends with a blank line.

use std::io::{self, Write};

use crate::document::Document;
use crate::ontology::Ontology;
use crate::tag::matcher::Mention;

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c })
        .collect()
}

/// Write one document and its mentions.
pub fn write_document<W: Write>(mut w: W, ontology: &Ontology, doc: &Document, mentions: &[Mention]) -> io::Result<()> {
    let id = clean(&doc.id);
    let title = doc.sections.first().map(|s| s.text.as_str()).unwrap_or("");
    let rest: Vec<&str> = doc.sections.iter().skip(1).map(|s| s.text.as_str()).collect();
    writeln!(w, "{id}|t|{}", clean(title))?;
    writeln!(w, "{id}|a|{}", clean(&rest.join(" ")))?;
    for m in mentions {
        writeln!(
            w,
            "{id}\t{}\t{}\t{}\t{}\t{}",
            m.start,
            m.end,
            clean(m.text(doc)),
            clean(ontology.concept_type(m.concept)),
            clean(ontology.gold_id(m.concept))
        )?;
    }
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;

    #[test]
    fn writes_text_lines_and_mentions_in_document_offsets() {
        let yaml = "concepts:\n  - id: disease\n    label: Disease\n  - id: d1\n    label: Sepsis\n    parent: disease\n    synonyms: [sepsis]\n    xrefs: [MESH:D018805]\n";
        let ontology = crate::ontology::load_texts(&[("v.yaml", yaml)]).unwrap();
        let tagger = crate::tag::Tagger::from_ontology(ontology).unwrap();
        let doc = Document::new(
            "42",
            vec![
                Section::new("title", "Sepsis\tmortality"),
                Section::new("BACKGROUND", "Septic"),
                Section::new("RESULTS", "sepsis\nkills."),
            ],
        );
        let mentions = tagger.tag(&doc, &mut crate::tag::matcher::Scratch::default());
        let mut out = Vec::new();
        write_document(&mut out, &tagger.ontology, &doc, &mentions).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "42|t|Sepsis mortality\n42|a|Septic sepsis kills.\n42\t0\t6\tSepsis\tDisease\tMESH:D018805\n42\t24\t30\tsepsis\tDisease\tMESH:D018805\n\n"
        );
    }
}
