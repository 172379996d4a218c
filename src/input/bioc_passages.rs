//! From BioC passages to a document: what the BioC XML and BioC JSON readers share.
//!
//! # Abstracts (PubTator, BioCreative)
//!
//! A passage's `type` infon names its section (`title`, `abstract`, ...; `passage` when absent),
//! and its kind follows from the name ([`SectionKind::of_label`]). An all-digit document id is
//! the PMID.
//!
//! # Full text (BioC-PMC)
//!
//! BioC-PMC (the PMC text-mining subset in BioC, which PubTator serves) marks every passage with
//! a `section_type` infon and a `type` infon:
//!
//! | `section_type` | kind or part |
//! |---|---|
//! | `TITLE` | `title` |
//! | `ABSTRACT` | `abstract`, or the kind its `abstract_title_1` heading names (`background`, ...) |
//! | `INTRO`, `METHODS`, `RESULTS`, `DISCUSS`, `CONCL` | `introduction`, `methods`, `results`, `discussion`, `conclusions` |
//! | `CASE` | `results` |
//! | `FIG`, `TABLE` (captions) | `caption`; `TABLE` passages of type `table` or `table_footnote` are table cells ([`Part::Tables`]) |
//! | `APPENDIX` | `other` |
//! | `REF` | the reference list, never read |
//! | `SUPPL` | supplementary material, never read |
//! | `ACK_FUND`, `COMP_INT`, `AUTH_CONT`, `ABBR` | back matter (`--include back-matter`) |
//! | `REVIEW_INFO` | peer review (`--include sub-articles`) |
//! | `KEYWORD` | keywords, never read |
//!
//! Passages of type `title_1`, `title_2`, ... (and `abstract_title_1`) are headings: each is a
//! section itself and names the passages after it in the same `section_type`: `kind: heading`
//! as for JATS. The `front` passage's infons give the ids (`article-id_pmc`, `article-id_pmid`,
//! `article-id_doi`), `year`, the journal (`journal`, else `source`) and the `license`
//! (also a document infon). The article id is `PMC` + the PMC digits, as for JATS.

use super::fulltext::{Include, Part, licence_from_text, licence_from_url};
use super::jats::pmcid;
use crate::document::{Document, Metadata, Place, Section, SectionKind};

/// What one `section_type` is.
enum Class {
    Kind(SectionKind),
    Part(Part),
}

fn classify(section_type: &str, passage_type: &str) -> Class {
    let t = passage_type.to_ascii_lowercase();
    match section_type.to_ascii_uppercase().as_str() {
        "TITLE" => Class::Kind(SectionKind::Title),
        "ABSTRACT" => Class::Kind(SectionKind::Abstract),
        "INTRO" => Class::Kind(SectionKind::Introduction),
        "METHODS" => Class::Kind(SectionKind::Methods),
        "RESULTS" | "CASE" => Class::Kind(SectionKind::Results),
        "DISCUSS" => Class::Kind(SectionKind::Discussion),
        "CONCL" => Class::Kind(SectionKind::Conclusions),
        "FIG" => Class::Kind(SectionKind::Caption),
        "TABLE" if t == "table" || t == "table_footnote" => Class::Part(Part::Tables),
        "TABLE" => Class::Kind(SectionKind::Caption),
        "REF" => Class::Part(Part::References),
        "SUPPL" => Class::Part(Part::SupplementaryMaterial),
        "ACK_FUND" => Class::Part(Part::Acknowledgements),
        "COMP_INT" => Class::Part(Part::CompetingInterests),
        "AUTH_CONT" => Class::Part(Part::AuthorContributions),
        "ABBR" => Class::Part(Part::Notes),
        "REVIEW_INFO" => Class::Part(Part::SubArticles),
        "KEYWORD" => Class::Part(Part::Keywords),
        // APPENDIX and any type BioC-PMC may add
        other => Class::Kind(SectionKind::of_heading(other, Place::Body).unwrap_or(SectionKind::Other)),
    }
}

/// Builds one document from its passages, in order.
#[derive(Debug, Default)]
pub struct Passages {
    include: Include,
    sections: Vec<Section>,
    meta: Metadata,
    pmc: Option<String>,
    /// The latest heading of each section type (a figure between two paragraphs of the
    /// results does not end the results' heading).
    headings: Vec<(String, String)>,
    full_text: bool,
}

impl Passages {
    pub fn new(include: Include) -> Passages {
        Passages {
            include,
            ..Passages::default()
        }
    }

    /// A document-level infon (`license`).
    pub fn document_infon(&mut self, key: &str, value: &str) {
        if key == "license" && self.meta.licence.is_none() && !value.trim().is_empty() {
            self.meta.licence = Some(licence_name(value));
        }
    }

    /// A passage: its infons (`infon(key)`) and text.
    pub fn add<'a>(&mut self, infon: impl Fn(&str) -> Option<&'a str>, text: String) {
        let passage_type = infon("type").unwrap_or("").trim().to_string();
        let Some(section_type) = infon("section_type").map(str::trim).filter(|s| !s.is_empty()) else {
            // an abstract corpus: the passage type names the section
            if !text.is_empty() {
                let name = if passage_type.is_empty() {
                    "passage".to_string()
                } else {
                    passage_type
                };
                self.sections.push(Section::new(name, text));
            }
            return;
        };
        if passage_type == "front" || section_type.eq_ignore_ascii_case("TITLE") {
            self.front(&infon);
        }
        let kind = match classify(section_type, &passage_type) {
            Class::Part(p) if !p.included(self.include) => return,
            Class::Part(_) => SectionKind::Other,
            Class::Kind(k) => k,
        };
        if !matches!(kind, SectionKind::Title | SectionKind::Abstract) {
            self.full_text = true;
        }
        let is_heading = passage_type.starts_with("title_") || passage_type.starts_with("abstract_title");
        if is_heading {
            self.headings.retain(|(st, _)| st != section_type);
            self.headings.push((section_type.to_string(), text.trim().to_string()));
        }
        let heading = self
            .headings
            .iter()
            .find(|(st, _)| st == section_type)
            .map(|(_, h)| h.as_str());
        let kind = match (kind, heading) {
            (SectionKind::Abstract, Some(h)) => SectionKind::of_heading(h, Place::Abstract).unwrap_or(kind),
            _ => kind,
        };
        if text.is_empty() {
            return;
        }
        let name = match heading {
            Some(h)
                if !h.trim_end_matches([':', '.']).eq_ignore_ascii_case(kind.name()) && kind != SectionKind::Title =>
            {
                format!("{}: {}", kind.name(), h.trim_end_matches([':', '.']))
            }
            _ => kind.name().to_string(),
        };
        self.sections.push(Section::with_kind(name, kind, text));
    }

    /// The front passage's infons: ids, year, journal, licence.
    fn front<'a>(&mut self, infon: &impl Fn(&str) -> Option<&'a str>) {
        let get = |k: &str| infon(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        if self.pmc.is_none() {
            self.pmc = get("article-id_pmc").and_then(|p| pmcid(&p));
        }
        self.meta.pmid = self.meta.pmid.take().or_else(|| get("article-id_pmid"));
        self.meta.doi = self.meta.doi.take().or_else(|| get("article-id_doi"));
        self.meta.year = self
            .meta
            .year
            .take()
            .or_else(|| get("year").and_then(|y| crate::document::year_in(&y)));
        self.meta.journal = self
            .meta
            .journal
            .take()
            .or_else(|| get("journal").or_else(|| get("source")));
        if self.meta.licence.is_none() {
            self.meta.licence = get("license").map(|l| licence_name(&l));
        }
    }

    /// The document, with its id: `PMC` + the PMC digits of a full text, else `id`.
    pub fn finish(mut self, id: String) -> Document {
        let pmc = self
            .pmc
            .take()
            .or_else(|| if self.full_text { pmcid(&id) } else { None });
        let id = match pmc {
            Some(p) if self.full_text || id.trim_start_matches("PMC") == p.trim_start_matches("PMC") => p,
            _ => id,
        };
        if self.meta.pmid.is_none() && !self.full_text && id.bytes().all(|b| b.is_ascii_digit()) {
            self.meta.pmid = Some(id.clone());
        }
        let mut doc = Document::new(id, self.sections);
        self.meta.title = doc
            .sections
            .iter()
            .find(|s| s.kind == SectionKind::Title)
            .map(|s| s.text.clone());
        self.meta.full_text = self.full_text;
        doc.meta = self.meta;
        doc
    }
}

/// A licence infon as a short name: BioC-PMC writes `CC BY`, a URL, or the licence's text.
fn licence_name(value: &str) -> String {
    let v = value.trim();
    if v.contains("://") {
        licence_from_url(v)
    } else if v.len() > 40 {
        licence_from_text(v).unwrap_or_else(|| v.to_string())
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(p: &mut Passages, infons: &[(&str, &str)], text: &str) {
        let owned: Vec<(String, String)> = infons.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        p.add(
            |k| owned.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str()),
            text.to_string(),
        );
    }

    #[test]
    fn bioc_pmc_passages_become_kinds_and_headings() {
        let mut p = Passages::new(Include::default());
        add(
            &mut p,
            &[
                ("section_type", "TITLE"),
                ("type", "front"),
                ("article-id_pmc", "1234"),
                ("article-id_pmid", "999"),
                ("year", "2020"),
                ("license", "CC BY"),
            ],
            "A title",
        );
        add(
            &mut p,
            &[("section_type", "ABSTRACT"), ("type", "abstract_title_1")],
            "Background",
        );
        add(&mut p, &[("section_type", "ABSTRACT"), ("type", "abstract")], "Sepsis.");
        add(
            &mut p,
            &[("section_type", "INTRO"), ("type", "title_1")],
            "Introduction",
        );
        add(
            &mut p,
            &[("section_type", "INTRO"), ("type", "paragraph")],
            "Intro text.",
        );
        add(
            &mut p,
            &[("section_type", "RESULTS"), ("type", "title_2")],
            "Platelets in mice",
        );
        add(
            &mut p,
            &[("section_type", "RESULTS"), ("type", "paragraph")],
            "They rose.",
        );
        add(
            &mut p,
            &[("section_type", "FIG"), ("type", "fig_caption")],
            "Figure text.",
        );
        add(&mut p, &[("section_type", "TABLE"), ("type", "table")], "cell cell");
        add(&mut p, &[("section_type", "REF"), ("type", "ref")], "A cited title.");
        add(
            &mut p,
            &[("section_type", "ACK_FUND"), ("type", "paragraph")],
            "Thanks.",
        );
        let d = p.finish("1234".into());
        assert_eq!(d.id, "PMC1234");
        assert_eq!(d.meta.pmid.as_deref(), Some("999"));
        assert_eq!(d.meta.licence.as_deref(), Some("CC BY"));
        assert!(d.meta.full_text);
        let got: Vec<(&str, SectionKind)> = d.sections.iter().map(|s| (s.name.as_str(), s.kind)).collect();
        assert_eq!(
            got,
            [
                ("title", SectionKind::Title),
                ("background", SectionKind::Background),
                ("background", SectionKind::Background),
                ("introduction", SectionKind::Introduction),
                ("introduction", SectionKind::Introduction),
                ("results: Platelets in mice", SectionKind::Results),
                ("results: Platelets in mice", SectionKind::Results),
                ("caption", SectionKind::Caption),
            ]
        );
    }

    #[test]
    fn abstract_passages_keep_their_type_names_and_pmid_ids() {
        let mut p = Passages::new(Include::default());
        add(&mut p, &[("type", "title")], "T");
        add(&mut p, &[("type", "abstract")], "A");
        let d = p.finish("227508".into());
        assert_eq!(d.id, "227508");
        assert_eq!(d.meta.pmid.as_deref(), Some("227508"));
        assert!(!d.meta.full_text);
        assert_eq!(
            d.sections,
            vec![Section::new("title", "T"), Section::new("abstract", "A")]
        );
    }
}
