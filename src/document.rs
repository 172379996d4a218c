//! The document model every reader yields and every product consumes.
//!
//! A document is a list of named sections (title, abstract, BACKGROUND, ...). Character offsets
//! into a document count Unicode scalar values over the sections joined by one separator
//! character, as PubTator does for title and abstract: the first section starts at 0, the next
//! at `len(first) + 1`, and so on. Matching never crosses a section boundary.

use std::path::PathBuf;

/// Where a record came from, for messages and audit trails.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The input file (`-` for standard input).
    pub path: PathBuf,
    /// 1-based line of the record's start, where the format has lines.
    pub line: Option<u64>,
    /// 1-based record number within the file.
    pub record: u64,
}

/// Bibliographic metadata, kept where the input format provides it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub pmid: Option<String>,
    /// PMID version (PubMed XML `PMID Version="2"`).
    pub version: Option<String>,
    pub year: Option<String>,
    pub journal: Option<String>,
    pub doi: Option<String>,
    pub title: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `title`, `abstract`, `text`, or a structured-abstract label such as `RESULTS`.
    pub name: String,
    pub text: String,
}

impl Section {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Section {
        Section {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A document to tag: an id, its sections and what is known about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
