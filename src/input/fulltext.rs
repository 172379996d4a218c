//! What full-text readers (JATS, BioC full text) share: the parts of a paper that are left out
//! unless asked for, the licence names, and the clean-up of citation markers.

use std::fmt;

/// A part of a full text that is not the paper's own prose, and is left out of the document
/// (so out of every product) unless `--include` asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The reference list: never read (a term in a cited title is not evidence).
    References,
    Acknowledgements,
    Funding,
    CompetingInterests,
    AuthorContributions,
    /// Other back matter: footnotes, notes, abbreviation lists, data availability and ethics
    /// statements, author information.
    Notes,
    /// Descriptions of supplementary files: never read (the files are not there).
    SupplementaryMaterial,
    /// Sub-articles: decision letters, author responses, commentaries.
    SubArticles,
    /// Translations: translated titles, abstracts and sub-articles.
    Translations,
    /// Table cells and table footnotes (captions are read).
    Tables,
    /// Keywords and other front matter: metadata, never read as text.
    Keywords,
}

impl Part {
    pub const ALL: [Part; 11] = [
        Part::References,
        Part::Acknowledgements,
        Part::Funding,
        Part::CompetingInterests,
        Part::AuthorContributions,
        Part::Notes,
        Part::SupplementaryMaterial,
        Part::SubArticles,
        Part::Translations,
        Part::Tables,
        Part::Keywords,
    ];

    /// The part's name in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Part::References => "reference list",
            Part::Acknowledgements => "acknowledgements",
            Part::Funding => "funding",
            Part::CompetingInterests => "competing interests",
            Part::AuthorContributions => "author contributions",
            Part::Notes => "notes and footnotes",
            Part::SupplementaryMaterial => "supplementary-material descriptions",
            Part::SubArticles => "sub-articles",
            Part::Translations => "translations",
            Part::Tables => "table cells",
            Part::Keywords => "keywords",
        }
    }

    /// Whether `include` reads this part.
    pub fn included(self, include: Include) -> bool {
        match self {
            Part::References | Part::SupplementaryMaterial | Part::Keywords => false,
            Part::Acknowledgements
            | Part::Funding
            | Part::CompetingInterests
            | Part::AuthorContributions
            | Part::Notes => include.back_matter,
            Part::SubArticles => include.sub_articles,
            Part::Translations => include.translations,
            Part::Tables => include.tables,
        }
    }

    /// The parts `include` leaves out, for the manifest.
    pub fn left_out(include: Include) -> Vec<&'static str> {
        Part::ALL
            .into_iter()
            .filter(|p| !p.included(include))
            .map(Part::name)
            .collect()
    }

    /// The part a back-matter heading or `sec-type` names ("Acknowledgements", "Competing
    /// interests", "Supporting information", `COI-statement`, ...).
    pub fn of_heading(heading: &str) -> Option<Part> {
        let h: String = heading
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '-' || *c == '|')
            .collect();
        let h = h.replace(['-', '|'], " ");
        let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
        // exact names, and phrases that start a heading ("Conflict of interest statement")
        let is = |names: &[&str]| names.contains(&h.as_str());
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| h == *p || h.starts_with(&format!("{p} ")));
        if is(&["ack"]) || h.starts_with("acknowledg") {
            return Some(Part::Acknowledgements);
        }
        if starts(&[
            "funding",
            "financial support",
            "financial disclosure",
            "grant support",
            "sources of funding",
            "source of funding",
            "role of the funding source",
        ]) {
            return Some(Part::Funding);
        }
        if is(&["conflict", "disclosure", "disclosures", "coi statement"])
            || starts(&[
                "competing interest",
                "competing interests",
                "conflict of interest",
                "conflicts of interest",
                "conflict of interests",
                "declaration of interest",
                "declaration of interests",
                "declaration of competing interest",
                "declaration of competing interests",
                "duality of interest",
            ])
        {
            return Some(Part::CompetingInterests);
        }
        if is(&["contributors", "contributions", "con"])
            || starts(&[
                "author contributions",
                "authors contributions",
                "author contribution",
                "authors contribution",
            ])
        {
            return Some(Part::AuthorContributions);
        }
        if starts(&[
            "supporting information",
            "supplementary material",
            "supplementary materials",
            "supplementary information",
            "supplementary data",
            "supplemental material",
            "supplemental data",
            "additional file",
            "additional files",
            "electronic supplementary material",
            "supplementary files",
        ]) {
            return Some(Part::SupplementaryMaterial);
        }
        if is(&[
            "glossary",
            "datasets",
            "ethics",
            "footnotes",
            "notes",
            "author information",
            "authors information",
            "additional information",
            "declarations",
            "consent for publication",
            "publisher s note",
            "publishers note",
        ]) || starts(&[
            "abbreviations",
            "list of abbreviations",
            "data availability",
            "availability of data",
            "data access",
            "ethics statement",
            "ethical approval",
            "ethics approval",
            "pre publication history",
        ]) {
            return Some(Part::Notes);
        }
        None
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What `--include` adds to a full text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Include {
    /// Table cells and table footnotes (`tables`).
    pub tables: bool,
    /// Translated titles, abstracts and articles (`translations`).
    pub translations: bool,
    /// Decision letters, author responses and other sub-articles (`sub-articles`).
    pub sub_articles: bool,
    /// Acknowledgements, funding, competing interests, author contributions, notes
    /// (`back-matter`); never the reference list.
    pub back_matter: bool,
}

/// A short licence name for a licence URL: `CC BY 4.0`, `CC BY-NC-ND 3.0`, `CC0 1.0`; any other
/// URL as it is.
pub fn licence_from_url(url: &str) -> String {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if let Some(i) = lower.find("creativecommons.org/licenses/") {
        let rest = &lower[i + "creativecommons.org/licenses/".len()..];
        let mut parts = rest.split('/').filter(|p| !p.is_empty());
        if let Some(kind) = parts.next() {
            let version = parts
                .next()
                .filter(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
            let name = format!("CC {}", kind.to_ascii_uppercase());
            return match version {
                Some(v) => format!("{name} {v}"),
                None => name,
            };
        }
    }
    if let Some(i) = lower.find("creativecommons.org/publicdomain/zero/") {
        let v = lower[i + "creativecommons.org/publicdomain/zero/".len()..].trim_end_matches('/');
        return if v.is_empty() { "CC0".into() } else { format!("CC0 {v}") };
    }
    if lower.contains("creativecommons.org/publicdomain/mark") {
        return "public domain".into();
    }
    u.to_string()
}

/// A short licence name from a licence's text, where the text names a Creative Commons licence
/// or the public domain ("... distributed under the terms of the Creative Commons Attribution
/// License ..." is `CC BY`).
pub fn licence_from_text(text: &str) -> Option<String> {
    let t = text.to_lowercase();
    if let Some(i) = t.find("creativecommons.org/") {
        let end = t[i..]
            .find(|c: char| c.is_whitespace() || c == ')' || c == '"')
            .map_or(t.len(), |e| i + e);
        return Some(licence_from_url(&t[i..end]));
    }
    if t.contains("cc0") || t.contains("public domain dedication") {
        return Some("CC0".into());
    }
    let i = t.find("creative commons attribution")?;
    let rest = &t[i + "creative commons attribution".len()..];
    let mut name = String::from("CC BY");
    let words: String = rest.chars().take(60).collect();
    let w = words.replace(['-', '\u{2010}'], " ");
    if w.trim_start().starts_with("non commercial") || w.trim_start().starts_with("noncommercial") {
        name.push_str("-NC");
    }
    if w.contains("no derivatives") || w.contains("noderivatives") || w.contains("no derivs") || w.contains("noderivs")
    {
        name.push_str("-ND");
    } else if w.contains("share alike") || w.contains("sharealike") {
        name.push_str("-SA");
    }
    if let Some(v) = ["4.0", "3.0", "2.5", "2.0", "1.0"].iter().find(|v| w.contains(*v)) {
        name.push(' ');
        name.push_str(v);
    }
    Some(name)
}

/// The private-use character a reader puts where it removed a citation marker, for
/// [`clean_citations`].
pub const CITATION: char = '\u{E000}';

/// Remove the places of removed citation markers ([`CITATION`]) and the debris they leave:
/// brackets that held only citations (`[1, 2]`, `(Smith et al., 2010; Jones, 2011)`, `(see 3)`),
/// runs of markers (`factor1,2` as superscripts), separators next to a marker inside brackets
/// that also hold other text (`(12; Fig. 2)` is `(Fig. 2)`), and the space before what was
/// removed when punctuation follows.
pub fn clean_citations(text: &str) -> String {
    if !text.contains(CITATION) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // 1. a bracket group that holds only citations, separators and a few words becomes one marker
    let mut v: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '(' | '[')
            && let Some(end) = matching(&chars, i)
            && only_citations(&chars[i + 1..end])
        {
            v.push(CITATION);
            i = end + 1;
            continue;
        }
        v.push(c);
        i += 1;
    }
    // 2. runs of markers (with separators between them) are removed, with the separators
    //    that would be left dangling
    let is_sep =
        |c: char| matches!(c, ',' | ';' | '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}') || c.is_whitespace();
    let mut out: Vec<char> = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] != CITATION {
            out.push(v[i]);
            i += 1;
            continue;
        }
        // the run: markers joined by separators
        let mut end = i + 1;
        loop {
            let mut j = end;
            while j < v.len() && is_sep(v[j]) && v[j] != CITATION {
                j += 1;
            }
            if j < v.len() && v[j] == CITATION {
                end = j + 1;
            } else {
                break;
            }
        }
        let next = v.get(end).copied();
        let prev_open = out
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .is_some_and(|c| matches!(c, '(' | '['));
        let mut after = end;
        if prev_open {
            // "(12; Fig. 2)": the separator after the run goes too
            while after < v.len() && is_sep(v[after]) {
                after += 1;
            }
            while out.last().is_some_and(|c| c.is_whitespace()) {
                out.pop();
            }
        } else if next.is_some_and(|c| matches!(c, ')' | ']')) {
            // "(Fig. 2; 12)": the separator before the run goes too
            while out.last().is_some_and(|&c| is_sep(c)) {
                out.pop();
            }
        } else if next.is_none_or(|c| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?')) {
            // "factor [1]." and "factor [1] expression": no space before what was removed
            while out.last().is_some_and(|c| c.is_whitespace()) {
                out.pop();
            }
        }
        i = after;
    }
    let s: String = out.into_iter().collect();
    s.trim().to_string()
}

/// The index of the bracket closing the one at `open`, within 600 characters.
fn matching(chars: &[char], open: usize) -> Option<usize> {
    let (o, c) = match chars[open] {
        '(' => ('(', ')'),
        _ => ('[', ']'),
    };
    let mut depth = 0usize;
    for (k, &ch) in chars.iter().enumerate().skip(open).take(600) {
        if ch == o {
            depth += 1;
        } else if ch == c {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Bracket content that is citations only: markers, separators and words such as "see", "and",
/// "e.g.", "reviewed in".
fn only_citations(inner: &[char]) -> bool {
    if !inner.contains(&CITATION) {
        return false;
    }
    let s: String = inner
        .iter()
        .map(|&c| if c == CITATION { ' ' } else { c })
        .collect::<String>()
        .to_lowercase();
    s.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';' | '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' | '&'
            )
    })
    .filter(|w| !w.is_empty())
    .all(|w| {
        matches!(
            w.trim_end_matches(['.', ':']),
            "and"
                | "e.g"
                | "eg"
                | "see"
                | "also"
                | "ref"
                | "refs"
                | "reference"
                | "references"
                | "reviewed"
                | "review"
                | "reviews"
                | "recent"
                | "in"
                | "for"
                | "a"
                | "cf"
                | "i.e"
                | "ie"
                | "but"
                | "or"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_debris_table() {
        let m = CITATION;
        let cases = [
            (format!("tissue factor{m} expression"), "tissue factor expression"),
            (format!("tissue factor [{m}] expression"), "tissue factor expression"),
            (format!("as reported [{m}, {m}]."), "as reported."),
            (format!("as reported [{m}\u{2013}{m}], and"), "as reported, and"),
            (format!("as reported [{m}]\u{2013}[{m}]."), "as reported."),
            (format!("in mice ({m}; {m})."), "in mice."),
            (format!("in mice ({m}, {m}; reviewed in {m})."), "in mice."),
            (format!("in mice (see {m})."), "in mice."),
            (format!("in mice ({m}, Figure 2)."), "in mice (Figure 2)."),
            (format!("in mice (Figure 2; {m})."), "in mice (Figure 2)."),
            (format!("shown{m},{m} that"), "shown that"),
            (format!("shown{m}\u{2013}{m}."), "shown."),
            (format!("{m} Sepsis"), "Sepsis"),
            ("no markers (1, 2)".to_string(), "no markers (1, 2)"),
            (format!("nested (a (b) {m})"), "nested (a (b))"),
        ];
        for (input, want) in cases {
            assert_eq!(clean_citations(&input), want, "{input:?}");
        }
    }

    #[test]
    fn licence_names() {
        assert_eq!(
            licence_from_url("http://creativecommons.org/licenses/by/4.0/"),
            "CC BY 4.0"
        );
        assert_eq!(
            licence_from_url("https://creativecommons.org/licenses/by-nc-nd/3.0"),
            "CC BY-NC-ND 3.0"
        );
        assert_eq!(
            licence_from_url("http://creativecommons.org/publicdomain/zero/1.0/"),
            "CC0 1.0"
        );
        assert_eq!(
            licence_from_url("https://example.org/terms"),
            "https://example.org/terms"
        );
        let plos = "This is an open-access article distributed under the terms of the Creative Commons Attribution License, which permits unrestricted use";
        assert_eq!(licence_from_text(plos).as_deref(), Some("CC BY"));
        assert_eq!(
            licence_from_text("under a Creative Commons Attribution-NonCommercial 4.0 International License")
                .as_deref(),
            Some("CC BY-NC 4.0")
        );
        assert_eq!(
            licence_from_text("made available under the Creative Commons CC0 public domain dedication").as_deref(),
            Some("CC0")
        );
        assert_eq!(licence_from_text("All rights reserved."), None);
    }

    #[test]
    fn back_matter_headings() {
        let cases = [
            ("Acknowledgments", Some(Part::Acknowledgements)),
            ("Competing interests", Some(Part::CompetingInterests)),
            ("Authors' contributions", Some(Part::AuthorContributions)),
            ("Supporting Information", Some(Part::SupplementaryMaterial)),
            ("COI-statement", Some(Part::CompetingInterests)),
            ("supplementary-material", Some(Part::SupplementaryMaterial)),
            ("Funding", Some(Part::Funding)),
            ("Abbreviations", Some(Part::Notes)),
            ("Results", None),
            ("Noteworthy findings", None),
            ("Contributions of platelets to thrombosis", None),
            ("Conflict resolution in teams", None),
        ];
        for (h, want) in cases {
            assert_eq!(Part::of_heading(h), want, "{h}");
        }
    }
}
