//! The report's data: what the page and the figures show, built from the products' own rows.
//!
//! [`ReportData`] takes the tables of `summary.csv`, `cooccurrence.csv` and `trends.csv` (as a
//! run writes them, or as they are read back from an `--out-dir`), the run's [`Facts`], and then
//! the articles with a mention one at a time ([`ArticleInput`]: the article's text record and
//! its `evidence.csv` rows). Columns are found by name, so a column added to a product later
//! (a mention's role, polarity, certainty, direction and their cues) reaches the page without a
//! change here: every evidence column from `via` on (and `term`) is a mention *attribute*, shown
//! on hover and offered as a filter.
//!
//! The page's data is one JSON object: `head` (the aggregates, small) and `articles`, each a
//! compact array (see [`ReportData::add_article`]). Offsets in it count UTF-16 code units, as
//! JavaScript strings do. The articles stop at [`ARTICLE_BUDGET`] bytes, so the file stays under
//! 20 MB whatever the run; the aggregates always cover every article.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::TextTable;
use crate::sentence::sentence_spans;

/// Bytes of article data the page holds at most (the rest are counted and named in a note).
pub const ARTICLE_BUDGET: usize = 16 * 1024 * 1024;
/// An article longer than this (characters; full text) keeps only the sentences with a mention.
pub const LONG_ARTICLE: usize = 20_000;

/// The evidence columns every run writes that are not attributes of a mention.
const CORE_COLUMNS: [&str; 9] = [
    "article_id",
    "concept_id",
    "label",
    "category",
    "text",
    "section",
    "start",
    "end",
    "sentence",
];

/// What the report says about the run: no times, no paths (the same input gives the same
/// bytes, wherever it was written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// `coagtag 0.1.0`.
    pub tool: String,
    /// `sic 0.2.0`, one per ontology file header.
    pub ontology: Vec<String>,
    pub ontology_sha256: String,
    pub ontology_concepts: u64,
    pub ontology_terms: u64,
    /// Input file names (without directories) and sizes.
    pub inputs: Vec<(String, u64)>,
    pub records_read: u64,
    pub skipped: u64,
    pub deleted: u64,
    pub replaced: u64,
    pub articles: u64,
    pub mentions: u64,
    /// The options that narrowed the products, as a reader would type them (`--sections
    /// title,results`).
    pub filters: Vec<String>,
}

impl Facts {
    /// The facts of a run as its `manifest.json` records them.
    pub fn from_manifest(m: &serde_json::Value) -> Facts {
        let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let n = |v: &serde_json::Value| v.as_u64().unwrap_or_default();
        let list = |v: &serde_json::Value| -> Vec<String> {
            v.as_array().map(|a| a.iter().map(s).collect()).unwrap_or_default()
        };
        let ont = &m["ontology"];
        let records = &m["records"];
        let options = &m["options"];
        Facts {
            tool: format!("{} {}", s(&m["tool"]["name"]), s(&m["tool"]["version"])),
            ontology: list(&ont["ids"])
                .into_iter()
                .zip(list(&ont["versions"]))
                .map(|(id, v)| format!("{id} {v}"))
                .collect(),
            ontology_sha256: s(&ont["sha256"]),
            ontology_concepts: n(&ont["concepts"]),
            ontology_terms: n(&ont["terms"]),
            inputs: m["inputs"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|i| (file_name(i["path"].as_str().unwrap_or("-")), n(&i["bytes"])))
                        .collect()
                })
                .unwrap_or_default(),
            records_read: n(&records["read"]),
            skipped: n(&records["skipped"]),
            deleted: n(&records["deleted"]),
            replaced: n(&records["replaced"]),
            articles: n(&records["articles"]),
            mentions: n(&records["mentions"]),
            filters: filters(
                options["sections"].as_array().map(|a| a.iter().map(s).collect()),
                options["categories"].as_array().map(|a| a.iter().map(s).collect()),
            ),
        }
    }
}

/// The last part of a path as written (`-` for standard input).
pub fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// The filter options as a reader would type them.
pub fn filters(sections: Option<Vec<String>>, categories: Option<Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = sections {
        out.push(format!("--sections {}", s.join(",")));
    }
    if let Some(c) = categories {
        out.push(format!("--categories {}", c.join(",")));
    }
    out
}

/// The text of an article with a mention, as `texts.jsonl.gz` keeps it (one line each).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRecord {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pmid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub year: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub journal: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doi: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// A full text: its categories follow the full-text rule (twice, or once outside the
    /// introduction), as in every category product.
    #[serde(default, skip_serializing_if = "is_false")]
    pub full_text: bool,
    /// `[name, text]` per section, in document order (offsets count over them joined by one
    /// character, see [`crate::document`]).
    pub sections: Vec<(String, String)>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One article with a mention: its text and its evidence rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleInput {
    pub text: TextRecord,
    /// Rows under the evidence header given to [`ReportData::new`].
    pub evidence: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
struct Category {
    id: String,
    label: String,
    color: String,
    articles: u64,
    mentions: u64,
}

#[derive(Debug, Clone, Serialize)]
struct Concept {
    id: String,
    label: String,
    /// Index of its (first) category; `cats` lists all of them when there are several.
    cat: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cats: Vec<usize>,
    xrefs: String,
    articles: u64,
    mentions: u64,
    /// `text (count)` joined by `; `, as `summary.csv` has them.
    forms: String,
}

/// Everything but the articles.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Head {
    facts: Facts,
    cats: Vec<Category>,
    concepts: Vec<Concept>,
    /// Publication years ascending, the empty year (unknown) last.
    years: Vec<String>,
    /// All the articles of each year, and those with a mention.
    year_articles: Vec<u64>,
    year_any: Vec<u64>,
    /// Per category, per year: articles, and mentions.
    cat_year: Vec<Vec<u64>>,
    cat_year_mentions: Vec<Vec<u64>>,
    /// `[concept, year, articles, mentions]` for each concept and year it is mentioned in.
    concept_year: Vec<[u64; 4]>,
    /// `[a, b, articles]`, a <= b, the diagonal included.
    cat_cooc: Vec<[u64; 3]>,
    concept_cooc: Vec<[u64; 3]>,
    /// Mention attributes: their names, and each distinct combination of values.
    attr_names: Vec<String>,
    attrs: Vec<Vec<String>>,
    journals: Vec<String>,
    /// Articles with a mention, and how many of them the page holds.
    with_mention: u64,
    shown: u64,
}

/// A report being built (see the module documentation).
pub struct ReportData {
    head: Head,
    concept_of: HashMap<String, usize>,
    year_of: HashMap<String, usize>,
    journal_of: HashMap<String, usize>,
    attr_of: HashMap<Vec<String>, usize>,
    /// Evidence columns: article, concept, start, end, and the attributes.
    ev_article: usize,
    ev_concept: usize,
    ev_start: usize,
    ev_end: usize,
    ev_attrs: Vec<usize>,
    articles: Vec<String>,
    bytes: usize,
    budget: usize,
}

/// A problem with the products a report is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError(pub String);

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DataError {}

/// The columns of a table, by name.
fn columns<const N: usize>(t: &TextTable, what: &str, names: [&str; N]) -> Result<[usize; N], DataError> {
    let mut out = [0; N];
    for (o, name) in out.iter_mut().zip(names) {
        *o = t
            .column(name)
            .ok_or_else(|| DataError(format!("{what} has no column {name:?}")))?;
    }
    Ok(out)
}

fn number(s: &str) -> u64 {
    s.parse().unwrap_or(0)
}

impl ReportData {
    /// Start a report from the aggregate products and the header of the evidence.
    pub fn new(
        facts: Facts,
        summary: &TextTable,
        cooccurrence: &TextTable,
        trends: &TextTable,
        evidence_header: &[String],
    ) -> Result<ReportData, DataError> {
        // the vocabulary: top-level categories and concepts, in ontology order
        let [level, id, label, category, xrefs, articles, mentions, forms] =
            columns(summary, "summary.csv", crate::output::summary::HEADER)?;
        let mut cats = Vec::new();
        for r in &summary.rows {
            if r[level] == "category" && r[category].is_empty() {
                cats.push(Category {
                    id: r[id].clone(),
                    label: r[label].clone(),
                    color: palette(cats.len()),
                    articles: number(&r[articles]),
                    mentions: number(&r[mentions]),
                });
            }
        }
        let cat_of: HashMap<&str, usize> = cats.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let mut concepts = Vec::new();
        for r in summary.rows.iter().filter(|r| r[level] == "concept") {
            // several categories are joined like the cross-references
            let all: Vec<usize> = r[category].split("; ").filter_map(|c| cat_of.get(c).copied()).collect();
            concepts.push(Concept {
                id: r[id].clone(),
                label: r[label].clone(),
                cat: all.first().copied().unwrap_or(0),
                cats: if all.len() > 1 { all } else { Vec::new() },
                xrefs: r[xrefs].clone(),
                articles: number(&r[articles]),
                mentions: number(&r[mentions]),
                forms: r[forms].clone(),
            });
        }
        let concept_of: HashMap<String, usize> = concepts.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();

        // years, and the counts per year
        let [year, tlevel, tid, _, tarticles, tmentions, tyear_articles, _] =
            columns(trends, "trends.csv", crate::output::trends::HEADER)?;
        let mut years = Vec::new();
        let mut year_articles = Vec::new();
        let mut year_any = Vec::new();
        for r in trends.rows.iter().filter(|r| r[tlevel] == "any") {
            years.push(r[year].clone());
            year_articles.push(number(&r[tyear_articles]));
            year_any.push(number(&r[tarticles]));
        }
        let year_of: HashMap<String, usize> = years.iter().enumerate().map(|(i, y)| (y.clone(), i)).collect();
        let mut cat_year = vec![vec![0; years.len()]; cats.len()];
        let mut cat_year_mentions = vec![vec![0; years.len()]; cats.len()];
        let mut concept_year = Vec::new();
        for r in &trends.rows {
            let Some(&y) = year_of.get(&r[year]) else { continue };
            match r[tlevel].as_str() {
                "category" => {
                    if let Some(&c) = cat_of.get(r[tid].as_str()) {
                        cat_year[c][y] = number(&r[tarticles]);
                        cat_year_mentions[c][y] = number(&r[tmentions]);
                    }
                }
                "concept" => {
                    if let Some(&c) = concept_of.get(&r[tid]) {
                        concept_year.push([c as u64, y as u64, number(&r[tarticles]), number(&r[tmentions])]);
                    }
                }
                _ => {}
            }
        }

        // co-occurrence
        let [clevel, a, b, carticles] = columns(cooccurrence, "cooccurrence.csv", crate::output::cooccurrence::HEADER)?;
        let (mut cat_cooc, mut concept_cooc) = (Vec::new(), Vec::new());
        for r in &cooccurrence.rows {
            let n = number(&r[carticles]);
            match r[clevel].as_str() {
                "category" => {
                    if let (Some(&x), Some(&y)) = (cat_of.get(r[a].as_str()), cat_of.get(r[b].as_str())) {
                        cat_cooc.push([x.min(y) as u64, x.max(y) as u64, n]);
                    }
                }
                "concept" => {
                    if let (Some(&x), Some(&y)) = (concept_of.get(&r[a]), concept_of.get(&r[b])) {
                        concept_cooc.push([x.min(y) as u64, x.max(y) as u64, n]);
                    }
                }
                _ => {}
            }
        }

        // the evidence columns
        let find = |name: &str| {
            evidence_header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| DataError(format!("evidence.csv has no column {name:?}")))
        };
        let (ev_article, ev_concept, ev_start, ev_end) =
            (find("article_id")?, find("concept_id")?, find("start")?, find("end")?);
        let ev_attrs: Vec<usize> = (0..evidence_header.len())
            .filter(|&i| !CORE_COLUMNS.contains(&evidence_header[i].as_str()))
            .collect();
        let attr_names = ev_attrs.iter().map(|&i| evidence_header[i].clone()).collect();

        Ok(ReportData {
            head: Head {
                facts,
                cats,
                concepts,
                years,
                year_articles,
                year_any,
                cat_year,
                cat_year_mentions,
                concept_year,
                cat_cooc,
                concept_cooc,
                attr_names,
                attrs: Vec::new(),
                journals: Vec::new(),
                with_mention: 0,
                shown: 0,
            },
            concept_of,
            year_of,
            journal_of: HashMap::new(),
            attr_of: HashMap::new(),
            ev_article,
            ev_concept,
            ev_start,
            ev_end,
            ev_attrs,
            articles: Vec::new(),
            bytes: 0,
            budget: ARTICLE_BUDGET,
        })
    }

    /// Add the next article with a mention. It becomes
    /// `[id, pmid, year, journal, doi, title, passages, mentions, full text (1 or 0)]`: `year` and `journal` are
    /// indices into `head.years` and `head.journals`; `title` is the metadata title when the
    /// text has no `title` section (else empty); each passage is `[section name, text,
    /// [sentence starts], excerpt]` (an excerpt is a run of sentences cut from a long text);
    /// `mentions` is flat, five numbers each: passage, start, end (UTF-16 units in the passage),
    /// concept, attributes (an index into `head.attrs`).
    pub fn add_article(&mut self, art: &ArticleInput) -> Result<(), DataError> {
        self.head.with_mention += 1;
        if self.bytes >= self.budget {
            return Ok(());
        }
        let t = &art.text;
        if art.evidence.is_empty() {
            return Err(DataError(format!(
                "article {} has a text but no mention in evidence.csv: were evidence.csv and texts.jsonl.gz written by the same run?",
                t.id
            )));
        }
        for row in &art.evidence {
            if row.get(self.ev_article) != Some(&t.id) {
                return Err(DataError(format!(
                    "the evidence of article {} is not where its text is: were evidence.csv and texts.jsonl.gz written by the same run?",
                    t.id
                )));
            }
        }
        // the mentions: concept, document offsets (characters), attributes
        let mut mentions = Vec::with_capacity(art.evidence.len());
        for row in &art.evidence {
            let concept = *self.concept_of.get(&row[self.ev_concept]).ok_or_else(|| {
                DataError(format!(
                    "evidence.csv names concept {:?} (article {}), which summary.csv does not list",
                    row[self.ev_concept], t.id
                ))
            })?;
            let attrs: Vec<String> = self.ev_attrs.iter().map(|&i| row[i].clone()).collect();
            let attr = match self.attr_of.get(&attrs) {
                Some(&a) => a,
                None => {
                    self.head.attrs.push(attrs.clone());
                    self.attr_of.insert(attrs, self.head.attrs.len() - 1);
                    self.head.attrs.len() - 1
                }
            };
            let offset = |i: usize| -> Result<usize, DataError> {
                row[i]
                    .parse()
                    .map_err(|_| DataError(format!("evidence.csv: bad offset {:?} (article {})", row[i], t.id)))
            };
            mentions.push((offset(self.ev_start)?, offset(self.ev_end)?, concept, attr));
        }
        mentions.sort_unstable();

        // the sections in the document's offset space
        let mut starts = Vec::with_capacity(t.sections.len());
        let mut at = 0;
        for (_, text) in &t.sections {
            let len = text.chars().count();
            starts.push((at, len));
            at += len + 1;
        }
        let long = at > LONG_ARTICLE;
        let mut passages: Vec<serde_json::Value> = Vec::new();
        let mut flat: Vec<u64> = Vec::with_capacity(mentions.len() * 5);
        let mut m = 0;
        for (s, (name, text)) in t.sections.iter().enumerate() {
            let (s0, s1) = (starts[s].0, starts[s].0 + starts[s].1);
            let first = m;
            while m < mentions.len() && mentions[m].0 < s1 {
                m += 1;
            }
            let here: Vec<_> = mentions[first..m].iter().filter(|x| x.0 >= s0).collect();
            // a long text keeps only the sentences with a mention, but always its title
            let whole = !long || name == "title";
            if here.is_empty() {
                // no mention: the text as it is (a long text leaves it out)
                if whole {
                    passages.push(serde_json::json!([name, text, [], 0]));
                }
                continue;
            }
            let chars = Chars::new(text);
            let spans = sentence_spans(text);
            // the passages of this section: all of it, or the sentences with a mention
            let mut cuts: Vec<(usize, usize)> = Vec::new();
            if whole {
                cuts.push((0, text.len()));
            } else {
                for x in &here {
                    let b = chars.byte(x.0 - s0);
                    let (ps, pe) = spans
                        .iter()
                        .find(|&&(a, e)| a <= b && b < e)
                        .copied()
                        .unwrap_or((b, chars.byte((x.1 - s0).min(chars.len()))));
                    match cuts.last_mut() {
                        Some(last) if ps <= last.1 => last.1 = last.1.max(pe),
                        _ => cuts.push((ps, pe)),
                    }
                }
            }
            for (cs, ce) in cuts {
                let p = passages.len() as u64;
                let base = chars.utf16_at_byte(cs);
                let sentences: Vec<u64> = spans
                    .iter()
                    .filter(|&&(a, _)| a > cs && a < ce)
                    .map(|&(a, _)| (chars.utf16_at_byte(a) - base) as u64)
                    .collect();
                passages.push(serde_json::json!([name, &text[cs..ce], sentences, u8::from(!whole)]));
                for x in &here {
                    let b = chars.byte(x.0 - s0);
                    if b < cs || b >= ce.max(cs + 1) {
                        continue;
                    }
                    let end = chars.utf16_at_char((x.1 - s0).min(chars.len()));
                    let start = chars.utf16_at_char(x.0 - s0);
                    flat.extend([
                        p,
                        (start - base) as u64,
                        (end.min(chars.utf16_at_byte(ce)) - base) as u64,
                    ]);
                    flat.extend([x.2 as u64, x.3 as u64]);
                }
            }
        }
        let has_title = t.sections.first().is_some_and(|(n, _)| n == "title");
        let year = match self.year_of.get(&t.year) {
            Some(&y) => y,
            None => {
                self.head.years.push(t.year.clone());
                self.head.year_articles.push(0);
                self.head.year_any.push(0);
                self.year_of.insert(t.year.clone(), self.head.years.len() - 1);
                self.head.years.len() - 1
            }
        };
        let journal = match self.journal_of.get(&t.journal) {
            Some(&j) => j,
            None => {
                self.head.journals.push(t.journal.clone());
                self.journal_of.insert(t.journal.clone(), self.head.journals.len() - 1);
                self.head.journals.len() - 1
            }
        };
        let json = serde_json::json!([
            t.id,
            t.pmid,
            year,
            journal,
            t.doi,
            if has_title { "" } else { t.title.as_str() },
            passages,
            flat,
            u8::from(t.full_text)
        ])
        .to_string();
        let json = script_safe(&json).into_owned();
        self.bytes += json.len() + 1;
        self.articles.push(json);
        self.head.shown += 1;
        Ok(())
    }

    /// Hold at most `bytes` of article data (the default is [`ARTICLE_BUDGET`]).
    pub fn set_budget(&mut self, bytes: usize) {
        self.budget = bytes;
    }

    /// The page's data as one JSON text, written into `w` piece by piece (the articles are not
    /// copied again). Every `<` is written as `\u003c`, the same JSON, so no text can close the
    /// page's script element.
    pub fn write_json<W: std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        let head = serde_json::to_string(&self.head).expect("plain data serialises");
        w.write_all(b"{\"head\":")?;
        w.write_all(script_safe(&head).as_bytes())?;
        w.write_all(b",\"articles\":[")?;
        for (i, a) in self.articles.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(a.as_bytes())?;
        }
        w.write_all(b"]}")
    }

    /// The page's data as one JSON text (see [`ReportData::write_json`]).
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(self.bytes + 4096);
        self.write_json(&mut out).expect("writing to memory");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    /// The categories: id, label, colour.
    pub fn categories(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.head
            .cats
            .iter()
            .map(|c| (c.id.as_str(), c.label.as_str(), c.color.as_str()))
    }

    /// The concepts: id, label, category index, articles.
    pub fn concepts(&self) -> impl Iterator<Item = (&str, &str, usize, u64)> {
        self.head
            .concepts
            .iter()
            .map(|c| (c.id.as_str(), c.label.as_str(), c.cat, c.articles))
    }

    /// The years, the articles of each, and the articles per category and year.
    pub fn years(&self) -> (&[String], &[u64], &[Vec<u64>]) {
        (&self.head.years, &self.head.year_articles, &self.head.cat_year)
    }

    /// Co-occurring pairs `[a, b, articles]` of categories and of concepts.
    pub fn cooccurrence(&self) -> (&[[u64; 3]], &[[u64; 3]]) {
        (&self.head.cat_cooc, &self.head.concept_cooc)
    }

    /// Articles with a mention, and how many the page holds.
    pub fn article_counts(&self) -> (u64, u64) {
        (self.head.with_mention, self.head.shown)
    }
}

/// JSON with every `<` as `\u003c` (it stands only inside strings).
fn script_safe(json: &str) -> std::borrow::Cow<'_, str> {
    if json.contains('<') {
        std::borrow::Cow::Owned(json.replace('<', "\\u003c"))
    } else {
        std::borrow::Cow::Borrowed(json)
    }
}

/// A text's characters, with byte and UTF-16 positions (the same three for ASCII text, most
/// abstracts, which needs no table).
enum Chars {
    Ascii(usize),
    Mapped {
        /// Byte offset of each character, and the text's length at the end.
        bytes: Vec<usize>,
        /// UTF-16 offset of each character, and the length at the end.
        utf16: Vec<usize>,
    },
}

impl Chars {
    fn new(text: &str) -> Chars {
        if text.is_ascii() {
            return Chars::Ascii(text.len());
        }
        let mut bytes = Vec::with_capacity(text.len() + 1);
        let mut utf16 = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for (b, c) in text.char_indices() {
            bytes.push(b);
            utf16.push(u);
            u += c.len_utf16();
        }
        bytes.push(text.len());
        utf16.push(u);
        Chars::Mapped { bytes, utf16 }
    }

    /// Characters.
    fn len(&self) -> usize {
        match self {
            Chars::Ascii(n) => *n,
            Chars::Mapped { bytes, .. } => bytes.len() - 1,
        }
    }

    fn byte(&self, char: usize) -> usize {
        let char = char.min(self.len());
        match self {
            Chars::Ascii(_) => char,
            Chars::Mapped { bytes, .. } => bytes[char],
        }
    }

    fn utf16_at_char(&self, char: usize) -> usize {
        let char = char.min(self.len());
        match self {
            Chars::Ascii(_) => char,
            Chars::Mapped { utf16, .. } => utf16[char],
        }
    }

    fn utf16_at_byte(&self, byte: usize) -> usize {
        match self {
            Chars::Ascii(n) => byte.min(*n),
            Chars::Mapped { bytes, utf16 } => utf16[bytes.partition_point(|&b| b < byte)],
        }
    }
}

/// The colour of the `i`th category: twenty hues, the first fourteen (the default ontology's
/// categories) dark enough to underline text and far enough apart to tell at a glance.
pub fn palette(i: usize) -> String {
    const COLOURS: [&str; 20] = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
        "#393b79", "#ad494a", "#006d5b", "#8c6d31", "#ff9896", "#c5b0d5", "#98df8a", "#9edae5", "#c49c94", "#f7b6d2",
    ];
    COLOURS[i % COLOURS.len()].into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> TextTable {
        TextTable {
            header: rows[0].iter().map(|s| s.to_string()).collect(),
            rows: rows[1..]
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            ..TextTable::default()
        }
    }

    fn data() -> ReportData {
        let summary = table(&[
            &crate::output::summary::HEADER,
            &[
                "concept",
                "coag",
                "Coagulation",
                "coag",
                "",
                "1",
                "1",
                "coagulation (1)",
            ],
            &["concept", "tf", "Tissue factor", "coag", "", "1", "2", "TF (2)"],
            &["category", "coag", "Coagulation", "", "", "1", "3", "TF (2)"],
        ]);
        let cooc = table(&[
            &crate::output::cooccurrence::HEADER,
            &["concept", "coag", "tf", "1"],
            &["category", "coag", "coag", "1"],
        ]);
        let trends = table(&[
            &crate::output::trends::HEADER,
            &["2020", "any", "any", "any concept", "1", "3", "4", "0.2500"],
            &["", "any", "any", "any concept", "0", "0", "1", "0.0000"],
            &["2020", "category", "coag", "Coagulation", "1", "3", "4", "0.2500"],
            &["", "category", "coag", "Coagulation", "0", "0", "1", "0.0000"],
            &["2020", "concept", "tf", "Tissue factor", "1", "2", "4", "0.2500"],
        ]);
        // the evidence with every attribute column (role, in_rollup, the qualifiers)
        let header: Vec<String> = crate::output::evidence::HEADER.iter().map(|h| h.to_string()).collect();
        ReportData::new(Facts::default(), &summary, &cooc, &trends, &header).unwrap()
    }

    /// An evidence row under the header of [`data`], by column name.
    fn row(concept: &str, start: usize, end: usize, via: &str, polarity: &str) -> Vec<String> {
        crate::output::evidence::HEADER
            .iter()
            .map(|h| match *h {
                "article_id" => "p1".to_string(),
                "concept_id" => concept.to_string(),
                "category" => "coag".to_string(),
                "term" => "TF".to_string(),
                "section_kind" => "abstract".to_string(),
                "start" => start.to_string(),
                "end" => end.to_string(),
                "via" => via.to_string(),
                "role" => "molecule".to_string(),
                "in_rollup" => "yes".to_string(),
                "polarity" => polarity.to_string(),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn articles_in_utf16_passages_with_attributes() {
        let mut d = data();
        let art = ArticleInput {
            text: TextRecord {
                id: "p1".into(),
                pmid: "p1".into(),
                year: "2020".into(),
                journal: "J".into(),
                sections: vec![
                    ("title".into(), "TF in 𝛼 coagulation.".into()),
                    ("RESULTS".into(), "TF rose. TF did not fall.".into()),
                ],
                ..TextRecord::default()
            },
            evidence: vec![
                row("tf", 0, 2, "abbreviation", "affirmed"),
                row("coag", 8, 19, "synonym", "affirmed"),
                row("tf", 21, 23, "abbreviation", "affirmed"),
                row("tf", 30, 32, "abbreviation", "negated"),
            ],
        };
        d.add_article(&art).unwrap();
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        let head = &json["head"];
        assert_eq!(
            head["attrNames"],
            serde_json::json!([
                "term",
                "section_kind",
                "via",
                "role",
                "in_rollup",
                "polarity",
                "certainty",
                "direction",
                "polarity_cue",
                "certainty_cue",
                "direction_cue"
            ])
        );
        assert_eq!(
            head["attrs"],
            serde_json::json!([
                [
                    "TF",
                    "abstract",
                    "abbreviation",
                    "molecule",
                    "yes",
                    "affirmed",
                    "",
                    "",
                    "",
                    "",
                    ""
                ],
                [
                    "TF", "abstract", "synonym", "molecule", "yes", "affirmed", "", "", "", "", ""
                ],
                [
                    "TF",
                    "abstract",
                    "abbreviation",
                    "molecule",
                    "yes",
                    "negated",
                    "",
                    "",
                    "",
                    "",
                    ""
                ]
            ])
        );
        assert_eq!(head["years"], serde_json::json!(["2020", ""]));
        assert_eq!(head["catYear"], serde_json::json!([[1, 0]]));
        assert_eq!(head["conceptYear"], serde_json::json!([[1, 0, 1, 2]]));
        assert_eq!(head["conceptCooc"], serde_json::json!([[0, 1, 1]]));
        assert_eq!(head["withMention"], 1);
        // 𝛼 is two UTF-16 units: "coagulation" starts at 9 in the title, not 8
        assert_eq!(
            json["articles"][0],
            serde_json::json!([
                "p1",
                "p1",
                0,
                0,
                "",
                "",
                [
                    ["title", "TF in 𝛼 coagulation.", [], 0],
                    ["RESULTS", "TF rose. TF did not fall.", [9], 0]
                ],
                [0, 0, 2, 1, 0, 0, 9, 20, 0, 1, 1, 0, 2, 1, 0, 1, 9, 11, 1, 2],
                0
            ])
        );
    }

    #[test]
    fn long_texts_keep_the_sentences_with_a_mention() {
        let mut d = data();
        let filler = "Nothing to see here. ".repeat(1200);
        let body = format!("{filler}TF rose. {filler}");
        // the body starts after the title and its separator
        let at = "A long one".len() + 1 + filler.chars().count();
        let art = ArticleInput {
            text: TextRecord {
                id: "p1".into(),
                title: "A long one".into(),
                sections: vec![("title".into(), "A long one".into()), ("body".into(), body)],
                ..TextRecord::default()
            },
            evidence: vec![row("tf", at, at + 2, "abbreviation", "affirmed")],
        };
        d.add_article(&art).unwrap();
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(
            json["articles"][0],
            serde_json::json!([
                "p1",
                "",
                1,
                0,
                "",
                "",
                [["title", "A long one", [], 0], ["body", "TF rose.", [], 1]],
                [1, 0, 2, 1, 0],
                0
            ])
        );
    }

    #[test]
    fn past_the_budget_articles_are_counted_not_held() {
        let mut d = data();
        d.set_budget(1);
        for id in ["p1", "p2"] {
            let mut ev = row("tf", 0, 2, "abbreviation", "affirmed");
            ev[0] = id.into(); // article_id comes first
            d.add_article(&ArticleInput {
                text: TextRecord {
                    id: id.into(),
                    sections: vec![("title".into(), "TF".into())],
                    ..TextRecord::default()
                },
                evidence: vec![ev],
            })
            .unwrap();
        }
        assert_eq!(d.article_counts(), (2, 1));
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(json["articles"].as_array().unwrap().len(), 1);
        assert_eq!(json["articles"][0][0], "p1");
    }

    #[test]
    fn evidence_of_another_article_is_an_error() {
        let mut d = data();
        let art = ArticleInput {
            text: TextRecord {
                id: "p2".into(),
                sections: vec![("title".into(), "TF".into())],
                ..TextRecord::default()
            },
            evidence: vec![row("tf", 0, 2, "abbreviation", "affirmed")],
        };
        assert!(d.add_article(&art).unwrap_err().0.contains("article p2"));
    }

    #[test]
    fn facts_from_a_manifest() {
        let m = serde_json::json!({
            "tool": {"name": "coagtag", "version": "9.9"},
            "started": "2026-01-01T00:00:00Z",
            "ontology": {"ids": ["sic"], "versions": ["0.2.0"], "concepts": 3, "terms": 7, "sha256": "ab"},
            "inputs": [{"path": "../data/x.xml.gz", "bytes": 12, "sha256": "cd"}],
            "options": {"sections": ["title", "results"], "categories": null},
            "records": {"read": 5, "skipped": 1, "deleted": 0, "replaced": 2, "articles": 3, "mentions": 9}
        });
        let f = Facts::from_manifest(&m);
        assert_eq!(f.tool, "coagtag 9.9");
        assert_eq!(f.ontology, ["sic 0.2.0"]);
        assert_eq!(f.inputs, [("x.xml.gz".to_string(), 12)]);
        assert_eq!(
            (f.records_read, f.skipped, f.replaced, f.articles, f.mentions),
            (5, 1, 2, 3, 9)
        );
        assert_eq!(f.filters, ["--sections title,results"]);
    }
}
