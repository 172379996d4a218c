//! The document model every reader yields and every product consumes.
//!
//! A document is a list of named sections (title, abstract, BACKGROUND, ...). Character offsets
//! into a document count Unicode scalar values over the sections joined by one separator
//! character, as PubTator does for title and abstract: the first section starts at 0, the next
//! at `len(first) + 1`, and so on. Matching never crosses a section boundary.

use std::path::PathBuf;

mod kind;

pub use kind::{Place, SectionKind};

/// Where a record came from, for messages and audit trails.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    /// The input file (`-` for standard input).
    pub path: PathBuf,
    /// 1-based line of the record's start, where the format has lines.
    pub line: Option<u64>,
    /// 1-based record number within the file.
    pub record: u64,
}

/// Bibliographic metadata, kept where the input format provides it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Metadata {
    pub pmid: Option<String>,
    /// PMID version (PubMed XML `PMID Version="2"`).
    pub version: Option<String>,
    pub year: Option<String>,
    pub journal: Option<String>,
    pub doi: Option<String>,
    pub title: Option<String>,
    /// The licence a full text is published under (a Creative Commons name such as `CC BY 4.0`,
    /// else the licence's URL or text).
    pub licence: Option<String>,
    /// The document is a paper's full text (PMC JATS, BioC full text), not a title and abstract:
    /// its categories follow the full-text rule ([`crate::output::categories::full_text_rule`]).
    pub full_text: bool,
}

/// The publication year in a date as written: the first run of exactly four digits
/// (`2018`, `2018 Jul-Aug`, `Winter 1998-1999`, `2020-05-01`, `05/2019`); `None` when there is
/// none (`n.d.`, `20210601`, empty). Every reader stores years through this, so the products'
/// `year` column holds four digits or nothing.
pub fn year_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 4 {
            return Some(s[start..i].to_string());
        }
    }
    None
}

/// One named part of a document's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// The section as the input names it: `title`, `abstract`, `text`, a structured-abstract
    /// label as written (`BACKGROUND`, `Patients and methods`), or for full text the kind and
    /// the heading (`results: Platelet activation in septic mice`).
    pub name: String,
    /// What the section is, in the one table of kinds of every format ([`SectionKind`]).
    pub kind: SectionKind,
    pub text: String,
}

impl Section {
    /// A section whose kind follows from its name ([`SectionKind::of_label`]).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Section {
        let name = name.into();
        Section {
            kind: SectionKind::of_label(&name),
            name,
            text: text.into(),
        }
    }

    /// A section of a known kind.
    pub fn with_kind(name: impl Into<String>, kind: SectionKind, text: impl Into<String>) -> Section {
        Section {
            name: name.into(),
            kind,
            text: text.into(),
        }
    }

    /// The heading of a full-text section named `kind: heading`, else the whole name.
    pub fn heading(&self) -> &str {
        self.name
            .strip_prefix(self.kind.name())
            .and_then(|r| r.strip_prefix(": "))
            .unwrap_or(&self.name)
    }

    /// Whether `--sections` names this section: by its kind, its name as written, or (for full
    /// text) its heading, in any case.
    pub fn is_named(&self, wanted: &str) -> bool {
        let w = wanted.trim();
        self.kind.name().eq_ignore_ascii_case(w)
            || self.name.eq_ignore_ascii_case(w)
            || self.heading().eq_ignore_ascii_case(w)
    }
}

/// A document to tag: an id, its sections and what is known about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// The article id used in every product (PMID, or the id column/field, or the file stem).
    pub id: String,
    pub sections: Vec<Section>,
    pub meta: Metadata,
    pub origin: Origin,
}

impl Document {
    pub fn new(id: impl Into<String>, sections: Vec<Section>) -> Document {
        Document {
            id: id.into(),
            sections,
            ..Document::default()
        }
    }

    /// Character offset at which each section starts in the document's offset space.
    pub fn section_starts(&self) -> Vec<usize> {
        let mut starts = Vec::with_capacity(self.sections.len());
        let mut at = 0;
        for s in &self.sections {
            starts.push(at);
            at += s.text.chars().count() + 1;
        }
        starts
    }

    /// The document text in its offset space: sections joined by one space.
    pub fn joined_text(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.sections.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&s.text);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_dates_as_written() {
        for (date, want) in [
            ("2018", Some("2018")),
            ("2018 Jul-Aug", Some("2018")),
            ("Winter 1998-1999", Some("1998")),
            ("2020-05-01", Some("2020")),
            ("05/2019", Some("2019")),
            (" 2021 ", Some("2021")),
            ("20210601", None),
            ("21", None),
            ("n.d.", None),
            ("", None),
            ("12345 then 1999", Some("1999")),
        ] {
            assert_eq!(year_in(date).as_deref(), want, "{date:?}");
        }
    }

    #[test]
    fn section_starts_count_characters_and_one_separator() {
        let d = Document::new(
            "1",
            vec![Section::new("title", "TNF-α rises."), Section::new("abstract", "Yes.")],
        );
        assert_eq!(d.section_starts(), vec![0, 13]);
        assert_eq!(d.joined_text(), "TNF-α rises. Yes.");
        assert_eq!(d.joined_text().chars().nth(13), Some('Y'));
    }
}
