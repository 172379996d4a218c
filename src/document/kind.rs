//! Section kinds: one table for every input format.
//!
//! Every section of every document has a kind, so that `--sections results` means the same for a
//! PubMed abstract, a MEDLINE record, a BioC passage and a PMC full text:
//!
//! | kind | PubMed XML (`NlmCategory`) | full text (JATS `sec-type` or heading; BioC `section_type`) | other formats (field, label) |
//! |---|---|---|---|
//! | `title` | `ArticleTitle`, `VernacularTitle` | `article-title`; `TITLE` | `title` |
//! | `abstract` | unlabelled `AbstractText`, `UNASSIGNED` labels | `abstract` without sections; `ABSTRACT` | `abstract`, MEDLINE `AB`, PubTator `a` |
//! | `background` | `BACKGROUND` | an abstract section "Background", "Introduction", "Context" | `background` |
//! | `objective` | `OBJECTIVE` | "Objective(s)", "Aim(s)", "Purpose" | `objective` |
//! | `introduction` | (none) | `intro`, "Introduction", a body "Background"; `INTRO` | `introduction` |
//! | `methods` | `METHODS` | `methods`, `materials\|methods`, "Patients and methods", ...; `METHODS` | `methods` |
//! | `results` | `RESULTS` | `results`, "Results", "Findings", case presentations; `RESULTS`, `CASE` | `results` |
//! | `discussion` | (none) | `discussion`, "Discussion"; `DISCUSS` | `discussion` |
//! | `conclusions` | `CONCLUSIONS` | `conclusions`, "Conclusion(s)", "Concluding remarks"; `CONCL` | `conclusions` |
//! | `caption` | (none) | figure and table captions (and table cells with `--include tables`); `FIG`, `TABLE` | (none) |
//! | `other` | (none) | any other section (a descriptive heading, an appendix, boxed text outside any section, a sub-article) | `text`, anything else |
//!
//! A heading maps to a kind when it is made only of known section names joined by "and", "&",
//! commas or slashes, once numbering ("2.1", "IV.") is taken off: "Materials and Methods" and
//! "Patients, materials and methods" are `methods`, "Results and Discussion" is `results` (the
//! first name decides), but "Patients with sepsis" or "Platelet activation in septic mice" name
//! no kind, and a body section so headed takes the kind of the section it is in, else `other`.
//! The place matters for one name: "Background" (and "Introduction") in an abstract is
//! `background`, in the body of a paper `introduction` (BioC-PMC does the same).

use std::fmt;

/// What a section of a document is, whatever the format it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
pub enum SectionKind {
    Title,
    /// Abstract text with no (known) label.
    Abstract,
    Background,
    Objective,
    Introduction,
    Methods,
    Results,
    Discussion,
    Conclusions,
    /// Figure and table captions (and table text).
    Caption,
    #[default]
    Other,
}

/// Where a heading or label stands, which decides what "Background" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A structured abstract's label or section heading.
    Abstract,
    /// A section heading in the body of a paper.
    Body,
    /// A field or column name, a passage type: taken as written.
    Label,
}

/// Known section names (lower case, white space single) and the kind each names.
/// `Background` stands for "background in an abstract, introduction in a body".
const NAMES: &[(&str, Name)] = &[
    ("title", Name::Kind(SectionKind::Title)),
    ("article title", Name::Kind(SectionKind::Title)),
    ("abstract", Name::Kind(SectionKind::Abstract)),
    ("synopsis", Name::Kind(SectionKind::Abstract)),
    ("summary", Name::Summary),
    ("background", Name::Background),
    ("backgrounds", Name::Background),
    ("context", Name::Background),
    ("rationale", Name::Background),
    ("introduction", Name::Introduction),
    ("intro", Name::Introduction),
    ("objective", Name::Kind(SectionKind::Objective)),
    ("objectives", Name::Kind(SectionKind::Objective)),
    ("study objective", Name::Kind(SectionKind::Objective)),
    ("study objectives", Name::Kind(SectionKind::Objective)),
    ("aim", Name::Kind(SectionKind::Objective)),
    ("aims", Name::Kind(SectionKind::Objective)),
    ("purpose", Name::Kind(SectionKind::Objective)),
    ("goal", Name::Kind(SectionKind::Objective)),
    ("goals", Name::Kind(SectionKind::Objective)),
    ("hypothesis", Name::Kind(SectionKind::Objective)),
    ("method", Name::Kind(SectionKind::Methods)),
    ("methods", Name::Kind(SectionKind::Methods)),
    ("methodology", Name::Kind(SectionKind::Methods)),
    ("material", Name::Kind(SectionKind::Methods)),
    ("materials", Name::Kind(SectionKind::Methods)),
    ("patients", Name::Kind(SectionKind::Methods)),
    ("subjects", Name::Kind(SectionKind::Methods)),
    ("participants", Name::Kind(SectionKind::Methods)),
    ("design", Name::Kind(SectionKind::Methods)),
    ("study design", Name::Kind(SectionKind::Methods)),
    ("experimental design", Name::Kind(SectionKind::Methods)),
    ("setting", Name::Kind(SectionKind::Methods)),
    ("settings", Name::Kind(SectionKind::Methods)),
    ("experimental", Name::Kind(SectionKind::Methods)),
    ("experimental procedures", Name::Kind(SectionKind::Methods)),
    ("experimental section", Name::Kind(SectionKind::Methods)),
    ("procedures", Name::Kind(SectionKind::Methods)),
    ("statistical analysis", Name::Kind(SectionKind::Methods)),
    ("statistical analyses", Name::Kind(SectionKind::Methods)),
    ("statistics", Name::Kind(SectionKind::Methods)),
    ("data analysis", Name::Kind(SectionKind::Methods)),
    ("data collection", Name::Kind(SectionKind::Methods)),
    ("data sources", Name::Kind(SectionKind::Methods)),
    ("data extraction", Name::Kind(SectionKind::Methods)),
    ("intervention", Name::Kind(SectionKind::Methods)),
    ("interventions", Name::Kind(SectionKind::Methods)),
    ("measurements", Name::Kind(SectionKind::Methods)),
    ("main outcome measures", Name::Kind(SectionKind::Methods)),
    ("outcome measures", Name::Kind(SectionKind::Methods)),
    ("animals", Name::Kind(SectionKind::Methods)),
    ("study population", Name::Kind(SectionKind::Methods)),
    ("population", Name::Kind(SectionKind::Methods)),
    ("search strategy", Name::Kind(SectionKind::Methods)),
    ("study selection", Name::Kind(SectionKind::Methods)),
    ("eligibility criteria", Name::Kind(SectionKind::Methods)),
    ("selection criteria", Name::Kind(SectionKind::Methods)),
    ("online methods", Name::Kind(SectionKind::Methods)),
    ("star methods", Name::Kind(SectionKind::Methods)),
    ("methods summary", Name::Kind(SectionKind::Methods)),
    ("result", Name::Kind(SectionKind::Results)),
    ("results", Name::Kind(SectionKind::Results)),
    ("main results", Name::Kind(SectionKind::Results)),
    ("key results", Name::Kind(SectionKind::Results)),
    ("findings", Name::Kind(SectionKind::Results)),
    ("case", Name::Kind(SectionKind::Results)),
    ("cases", Name::Kind(SectionKind::Results)),
    ("case report", Name::Kind(SectionKind::Results)),
    ("case reports", Name::Kind(SectionKind::Results)),
    ("case presentation", Name::Kind(SectionKind::Results)),
    ("case description", Name::Kind(SectionKind::Results)),
    ("discussion", Name::Kind(SectionKind::Discussion)),
    ("comment", Name::Kind(SectionKind::Discussion)),
    ("comments", Name::Kind(SectionKind::Discussion)),
    ("limitations", Name::Kind(SectionKind::Discussion)),
    ("strengths and limitations", Name::Kind(SectionKind::Discussion)),
    ("conclusion", Name::Kind(SectionKind::Conclusions)),
    ("conclusions", Name::Kind(SectionKind::Conclusions)),
    ("concluding remarks", Name::Kind(SectionKind::Conclusions)),
    ("final remarks", Name::Kind(SectionKind::Conclusions)),
    ("final considerations", Name::Kind(SectionKind::Conclusions)),
    ("implications", Name::Kind(SectionKind::Conclusions)),
    ("clinical implications", Name::Kind(SectionKind::Conclusions)),
    ("significance", Name::Kind(SectionKind::Conclusions)),
    ("interpretation", Name::Kind(SectionKind::Conclusions)),
    ("perspective", Name::Kind(SectionKind::Conclusions)),
    ("perspectives", Name::Kind(SectionKind::Conclusions)),
    ("outlook", Name::Kind(SectionKind::Conclusions)),
    ("future directions", Name::Kind(SectionKind::Conclusions)),
    ("caption", Name::Kind(SectionKind::Caption)),
    ("other", Name::Kind(SectionKind::Other)),
];

/// What a known section name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Kind(SectionKind),
    /// "Background": background in an abstract, introduction in a body.
    Background,
    /// "Introduction": background in an abstract, introduction elsewhere.
    Introduction,
    /// "Summary": the abstract in an abstract, the conclusions at the end of a body.
    Summary,
}

impl Name {
    fn kind(self, place: Place) -> SectionKind {
        match (self, place) {
            (Name::Kind(k), _) => k,
            (Name::Background, Place::Body) => SectionKind::Introduction,
            (Name::Background, _) => SectionKind::Background,
            (Name::Introduction, Place::Abstract) => SectionKind::Background,
            (Name::Introduction, _) => SectionKind::Introduction,
            (Name::Summary, Place::Body) => SectionKind::Conclusions,
            (Name::Summary, _) => SectionKind::Abstract,
        }
    }
}

impl SectionKind {
    /// Every kind, in document order.
    pub const ALL: [SectionKind; 11] = [
        SectionKind::Title,
        SectionKind::Abstract,
        SectionKind::Background,
        SectionKind::Objective,
        SectionKind::Introduction,
        SectionKind::Methods,
        SectionKind::Results,
        SectionKind::Discussion,
        SectionKind::Conclusions,
        SectionKind::Caption,
        SectionKind::Other,
    ];

    /// The kind's name in every product (`section_kind`) and in `--sections`.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Title => "title",
            SectionKind::Abstract => "abstract",
            SectionKind::Background => "background",
            SectionKind::Objective => "objective",
            SectionKind::Introduction => "introduction",
            SectionKind::Methods => "methods",
            SectionKind::Results => "results",
            SectionKind::Discussion => "discussion",
            SectionKind::Conclusions => "conclusions",
            SectionKind::Caption => "caption",
            SectionKind::Other => "other",
        }
    }

    /// The kind with this exact name (any case).
    pub fn from_name(name: &str) -> Option<SectionKind> {
        SectionKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The kind of a PubMed `NlmCategory` (`BACKGROUND`, `OBJECTIVE`, `METHODS`, `RESULTS`,
    /// `CONCLUSIONS`); `UNASSIGNED` and anything else name none.
    pub fn of_nlm_category(category: &str) -> Option<SectionKind> {
        match category.trim().to_ascii_uppercase().as_str() {
            "BACKGROUND" => Some(SectionKind::Background),
            "OBJECTIVE" | "OBJECTIVES" => Some(SectionKind::Objective),
            "METHODS" => Some(SectionKind::Methods),
            "RESULTS" => Some(SectionKind::Results),
            "CONCLUSIONS" => Some(SectionKind::Conclusions),
            _ => None,
        }
    }

    /// The kind a heading, a label or a JATS `sec-type` names, if it names one (see the module
    /// documentation). A `sec-type` such as `materials|methods` is split at `|`.
    pub fn of_heading(heading: &str, place: Place) -> Option<SectionKind> {
        let norm = normalize(heading);
        if norm.is_empty() {
            return None;
        }
        if let Some(name) = lookup(&norm) {
            return Some(name.kind(place));
        }
        // several names: "materials and methods", "results/discussion", "patients, materials and methods"
        let mut first = None;
        for part in split_names(&norm) {
            let name = lookup(part)?;
            first.get_or_insert(name);
        }
        first.map(|n| n.kind(place))
    }

    /// The kind of a section named by a reader that knows no better: a JSONL field or CSV
    /// column, a MEDLINE or PubTator part, a BioC passage type. Unknown names are `other`.
    pub fn of_label(label: &str) -> SectionKind {
        let base = label.split(':').next().unwrap_or(label);
        match base.trim().to_ascii_lowercase().as_str() {
            "vernacular_title" | "trans_title" => SectionKind::Title,
            "other_abstract" | "trans_abstract" => SectionKind::Abstract,
            _ => SectionKind::of_heading(label, Place::Label).unwrap_or(SectionKind::Other),
        }
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn lookup(name: &str) -> Option<Name> {
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// The names in "a and b", "a, b and c", "a & b", "a/b", "a|b".
fn split_names(norm: &str) -> impl Iterator<Item = &str> {
    norm.split([',', '/', '|', '&', ';'])
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().strip_prefix("and ").unwrap_or(p.trim()).trim())
        .filter(|p| !p.is_empty())
}

/// Lower case, numbering and end punctuation off, white space single, hyphens as spaces:
/// "2.1. Statistical Analysis:" -> "statistical analysis".
fn normalize(heading: &str) -> String {
    let lower = heading.trim().to_lowercase();
    let mut s = lower.as_str();
    // numbering: "2", "2.1.", "IV.", "A." at the start, followed by white space
    if let Some((first, rest)) = s.split_once(char::is_whitespace) {
        let digits = first.trim_end_matches(['.', ')']);
        let numbering = !digits.is_empty()
            && (digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                || (first.ends_with(['.', ')'])
                    && (digits.chars().all(|c| matches!(c, 'i' | 'v' | 'x')) || digits.chars().count() == 1)));
        if numbering {
            s = rest;
        }
    }
    let s = s.trim().trim_end_matches([':', '.', ';', ' ']).trim();
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2013}') {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w.trim_matches(['\'', '\u{2019}', '"']));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_table() {
        use SectionKind::*;
        let cases: &[(&str, Place, Option<SectionKind>)] = &[
            ("Introduction", Place::Body, Some(Introduction)),
            ("1. Introduction", Place::Body, Some(Introduction)),
            ("Background", Place::Body, Some(Introduction)),
            ("Background", Place::Abstract, Some(Background)),
            ("INTRODUCTION:", Place::Abstract, Some(Background)),
            ("Materials and Methods", Place::Body, Some(Methods)),
            ("2.3 Statistical analysis", Place::Body, Some(Methods)),
            ("Patients, materials and methods", Place::Body, Some(Methods)),
            ("materials|methods", Place::Body, Some(Methods)),
            ("Results and Discussion", Place::Body, Some(Results)),
            ("results|discussion", Place::Body, Some(Results)),
            ("Discussion", Place::Body, Some(Discussion)),
            ("IV. CONCLUSIONS", Place::Body, Some(Conclusions)),
            ("Concluding remarks", Place::Body, Some(Conclusions)),
            ("Summary", Place::Abstract, Some(Abstract)),
            ("Summary", Place::Body, Some(Conclusions)),
            ("Aims and objectives", Place::Abstract, Some(Objective)),
            ("Design, setting, and participants", Place::Abstract, Some(Methods)),
            ("Case presentation", Place::Body, Some(Results)),
            ("Methods and Findings", Place::Abstract, Some(Methods)),
            ("Patients with sepsis", Place::Body, None),
            ("Platelet activation in septic mice", Place::Body, None),
            ("Results of the trial", Place::Body, None),
            ("", Place::Body, None),
            ("Anti-inflammatory effects", Place::Body, None),
        ];
        for (h, place, want) in cases {
            assert_eq!(SectionKind::of_heading(h, *place), *want, "{h:?} {place:?}");
        }
    }

    #[test]
    fn labels_and_categories() {
        use SectionKind::*;
        let cases = [
            ("title", Title),
            ("abstract", Abstract),
            ("text", Other),
            ("body", Other),
            ("passage", Other),
            ("RESULTS", Results),
            ("vernacular_title", Title),
            ("other_abstract:Objetivo", Abstract),
            ("introduction", Introduction),
            ("background", Background),
        ];
        for (l, want) in cases {
            assert_eq!(SectionKind::of_label(l), want, "{l}");
        }
        assert_eq!(SectionKind::of_nlm_category("METHODS"), Some(Methods));
        assert_eq!(SectionKind::of_nlm_category("UNASSIGNED"), None);
        assert_eq!(SectionKind::from_name("Results"), Some(Results));
        assert_eq!(SectionKind::from_name("result"), None);
        let names: Vec<&str> = SectionKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "title",
                "abstract",
                "background",
                "objective",
                "introduction",
                "methods",
                "results",
                "discussion",
                "conclusions",
                "caption",
                "other"
            ]
        );
    }
}
