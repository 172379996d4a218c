//! Gold-standard corpora in PubTator format, annotations included.
//!
//! The format (BC5CDR, NCBI disease, PubTator exports) is line-based; documents are separated by
//! blank lines:
//!
//! ```text
//! 6794356|t|Tricuspid valve regurgitation and lithium carbonate toxicity in a newborn infant.
//! 6794356|a|A newborn with massive tricuspid regurgitation, ...
//! 6794356<TAB>0<TAB>29<TAB>Tricuspid valve regurgitation<TAB>Disease<TAB>D014262
//! 6794356<TAB>CID<TAB>D016651<TAB>D003490
//! ```
//!
//! An annotation line holds the PMID, start and end (character offsets into the title, a
//! separator, and the abstract: the abstract starts at `len(title) + 1`), the mention text, its
//! type and its concept id, sometimes followed by more columns (BC5CDR lists the parts of a
//! composite mention). Ids may carry a namespace (`MESH:D003920`, `OMIM:312080`), list several
//! concepts (`D002318|D012131`: a coordination such as "cardiovascular, and respiratory
//! depression"), combine concepts into one (`D007153+D040181`, NCBI disease), or be `-1` or empty
//! (an entity the annotators could not normalise). Relation lines (`CID`) are skipped.
//!
//! The file is read by the one PubTator reader ([`crate::input::pubtator`]) with its
//! annotations; the first problem it reports refuses the corpus. This module then checks that
//! each annotation's text is the document text at its offsets (white space around it aside), so
//! a corpus with shifted offsets is refused with the line to look at rather than scored wrongly.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::document::{Document, Section};
use crate::input::pubtator::{Annotated, PubtatorReader};
use crate::input::{self, InputError, InputOptions};

/// One annotated mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldAnnotation {
    /// Character offsets in the document (title, one separator, abstract).
    pub start: u32,
    pub end: u32,
    pub text: String,
    /// The entity type (`Chemical`, `Disease`, `SpecificDisease`, ...).
    pub kind: String,
    /// The concept id as written (`D003920`, `MESH:D003920`, `D002318|D012131`, `-1`).
    pub id: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// One annotated document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldDoc {
    pub id: String,
    pub title: String,
    pub abstract_text: String,
    pub annotations: Vec<GoldAnnotation>,
    /// The file it came from, as named in messages.
    pub file: String,
    /// 1-based line of the title line.
    pub line: usize,
}

impl GoldDoc {
    /// The document to tag: a `title` and an `abstract` section, in PubTator's offset space.
    pub fn document(&self) -> Document {
        let mut doc = Document::new(
            self.id.clone(),
            vec![
                Section::new("title", self.title.clone()),
                Section::new("abstract", self.abstract_text.clone()),
            ],
        );
        doc.origin.path = PathBuf::from(&self.file);
        doc.origin.line = Some(self.line as u64);
        doc.meta.pmid = Some(self.id.clone());
        doc
    }
}

/// A gold file that cannot be used.
#[derive(Debug)]
pub enum GoldError {
    /// The file cannot be read, or is not well-formed PubTator: the reader's first problem.
    Read(InputError),
    /// An annotation whose text is not the document's at its offsets.
    Offsets {
        path: String,
        line: u64,
        message: String,
        fix: String,
    },
}

impl fmt::Display for GoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // the reader's error says it all (file, line, what, fix)
            GoldError::Read(e) => write!(f, "{e}"),
            GoldError::Offsets {
                path,
                line,
                message,
                fix,
            } => write!(f, "{path}:{line}: {message} (fix: {fix})"),
        }
    }
}

impl std::error::Error for GoldError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // transparent: the reader's error is displayed, its cause is the cause
            GoldError::Read(e) => std::error::Error::source(e),
            GoldError::Offsets { .. } => None,
        }
    }
}

/// Read a PubTator file (`.gz` works too).
pub fn read_file(path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    let reader = input::open_bytes(path).map_err(GoldError::Read)?;
    read(PubtatorReader::with_annotations(
        reader,
        input::display_path(path),
        &InputOptions::default(),
    ))
}

/// Parse PubTator text; `name` is used in messages.
pub fn parse(text: &str, name: &str) -> Result<Vec<GoldDoc>, GoldError> {
    read(PubtatorReader::with_annotations(
        text.as_bytes(),
        name,
        &InputOptions::default(),
    ))
}

fn read(reader: impl Iterator<Item = Result<Annotated, InputError>>) -> Result<Vec<GoldDoc>, GoldError> {
    let mut docs = Vec::new();
    for entry in reader {
        let Annotated { doc, annotations } = entry.map_err(GoldError::Read)?;
        let file = doc.origin.path.display().to_string();
        let title = doc.sections.first().map_or(String::new(), |s| s.text.clone());
        let abstract_text = doc.sections.get(1).map_or(String::new(), |s| s.text.clone());
        let mut gold = Vec::with_capacity(annotations.len());
        for a in annotations {
            let span = doc_slice(&title, &abstract_text, a.start, a.end);
            // NCBI disease has annotation texts with trailing spaces the span does not cover
            if span.as_deref().map(str::trim) != Some(a.text.trim()) {
                return Err(GoldError::Offsets {
                    path: file,
                    line: a.line,
                    message: format!(
                        "annotation {}-{} says {:?} but the document has {:?} there",
                        a.start,
                        a.end,
                        a.text,
                        span.unwrap_or_default()
                    ),
                    fix: "offsets must count characters (not bytes) from the start of the title, the abstract starting at len(title) + 1".into(),
                });
            }
            gold.push(GoldAnnotation {
                start: a.start,
                end: a.end,
                text: a.text,
                kind: a.kind,
                id: a.id,
                line: a.line as usize,
            });
        }
        docs.push(GoldDoc {
            id: doc.id,
            title,
            abstract_text,
            annotations: gold,
            file,
            line: doc.origin.line.unwrap_or(0) as usize,
        });
    }
    Ok(docs)
}

fn doc_slice(title: &str, abstract_text: &str, start: u32, end: u32) -> Option<String> {
    if start > end {
        return None;
    }
    let t = title.chars().count() as u32;
    let pick = |text: &str, s: u32, e: u32| -> Option<String> {
        let len = text.chars().count() as u32;
        (e <= len).then(|| text.chars().skip(s as usize).take((e - s) as usize).collect())
    };
    if end <= t {
        pick(title, start, end)
    } else if start > t {
        pick(abstract_text, start - t - 1, end - t - 1)
    } else {
        None
    }
}

/// The atoms of an id for comparison: `|` separates alternatives (any one may match), `+`
/// joins parts of one combined concept; each part loses its namespace (`MESH:D003920` ->
/// `D003920`) and is upper-cased. `-1` and empty ids have no atoms.
pub fn id_atoms(id: &str) -> Vec<String> {
    let mut out: Vec<String> = id
        .split('|')
        .map(|alt| {
            alt.split('+')
                .map(|p| {
                    let p = p.trim();
                    p.rsplit_once(':').map_or(p, |(_, local)| local).to_uppercase()
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .filter(|a| !a.is_empty() && a != "-1")
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents_annotations_and_skips_relations() {
        let text = "1|t|Aspirin hurts.\n1|a|Aspirin (ASA) caused ulcers.\n1\t0\t7\tAspirin\tChemical\tD001241\n1\t24\t27\tASA\tChemical\tMESH:D001241\n1\tCID\tD001241\tD014456\n\n2|t|No.\n2|a|\n";
        let docs = parse(text, "g.txt").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].annotations.len(), 2);
        assert_eq!(docs[0].annotations[1].line, 4);
        assert_eq!(docs[0].annotations[1].id, "MESH:D001241");
        assert_eq!(docs[1].abstract_text, "");
        let d = docs[0].document();
        assert_eq!(d.section_starts(), vec![0, 15]);
    }

    #[test]
    fn refuses_annotations_whose_text_is_not_at_their_offsets() {
        let text = "1|t|Aspirin hurts.\n1|a|x\n1\t1\t8\tAspirin\tChemical\tD001241\n";
        let e = parse(text, "g.txt").unwrap_err().to_string();
        assert_eq!(
            e,
            "g.txt:3: annotation 1-8 says \"Aspirin\" but the document has \"spirin \" there (fix: offsets must count characters (not bytes) from the start of the title, the abstract starting at len(title) + 1)"
        );
    }

    #[test]
    fn id_atoms_strip_namespaces_and_split_alternatives() {
        assert_eq!(id_atoms("MESH:D003920"), vec!["D003920"]);
        assert_eq!(id_atoms("D002318|D012131"), vec!["D002318", "D012131"]);
        assert_eq!(id_atoms("OMIM:312080+OMIM:312920"), vec!["312080+312920"]);
        assert_eq!(id_atoms("-1"), Vec::<String>::new());
        assert_eq!(id_atoms(""), Vec::<String>::new());
        assert_eq!(id_atoms("d003920"), vec!["D003920"]);
    }
}
