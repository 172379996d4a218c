//! `trends.csv`: how often each category and concept is mentioned, publication year by year.
//!
//! Columns: `year` (four digits; empty for the articles without one, which are counted there,
//! never dropped), `level` (`any`, `category` or `concept`), `id`, `label`, `articles` (articles
//! of that year that mention it), `mentions`, `year_articles` (all the articles of that year,
//! with a mention or not) and `share` (`articles / year_articles`, four decimals).
//!
//! Rows come in three blocks, each one series after another with the years ascending (the empty
//! year last), so a series is a run of consecutive rows a chart can take as it is:
//!
//! * `any` (id `any`): the articles that mention any concept kept by the filters; one row per year;
//! * `category`: one series per category row of the roll-up (`--rollup`), every year, zeros
//!   included, so a category's series has no gaps (an article counts once per category however
//!   many of its concepts it mentions; a full text only where the full-text rule holds, as in
//!   `summary.csv`);
//! * `concept`: one series per concept, only the years it is mentioned in.
//!
//! The year is the one `articles.csv` shows (see [`crate::document::year_in`]). Summed over the
//! years, `articles` and `mentions` give the totals of `summary.csv`, and `year_articles` gives
//! every article of the run.

use std::collections::BTreeMap;
use std::io;

use super::categories::{self, Rollup};
use super::matrix::Rows;
use super::{Digest, Sink};
use crate::ontology::Ontology;

pub const HEADER: [&str; 8] = [
    "year",
    "level",
    "id",
    "label",
    "articles",
    "mentions",
    "year_articles",
    "share",
];

/// Articles and mentions of one row in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Count {
    articles: u64,
    mentions: u64,
}

/// One year's counts: the `any` row, then the category rows, then the concept rows.
#[derive(Debug, Clone, Default)]
struct Year {
    articles: u64,
    any: Count,
    rows: [Vec<Count>; 2],
}

/// Counts per year; writes at the end.
pub struct TrendsWriter<S: Sink> {
    sink: S,
    /// Category rows, then concept rows.
    levels: [Rows; 2],
    years: BTreeMap<String, Year>,
    scratch: Vec<(u32, u32)>,
}

impl<S: Sink> TrendsWriter<S> {
    /// `keep` marks the concepts the filters kept; the others get no row.
    pub fn new(sink: S, ontology: &Ontology, rollup: Rollup, keep: &[bool]) -> TrendsWriter<S> {
        let (concepts, categories) = categories::levels(ontology, rollup, keep);
        TrendsWriter {
            sink,
            levels: [categories, concepts],
            years: BTreeMap::new(),
            scratch: Vec::new(),
        }
    }

    /// Add an article by its digest.
    pub fn add_digest(&mut self, d: &Digest) {
        let sizes = [self.levels[0].rows.len(), self.levels[1].rows.len()];
        let year = match self.years.get_mut(&d.meta[0]) {
            Some(y) => y,
            None => self.years.entry(d.meta[0].clone()).or_insert_with(|| Year {
                rows: sizes.map(|n| vec![Count::default(); n]),
                ..Year::default()
            }),
        };
        year.articles += 1;
        if d.mentions.is_empty() {
            return;
        }
        year.any.articles += 1;
        // a full text's category rows count only when the full-text rule holds (as in summary.csv)
        let counting = d.full_text.then(|| self.levels[0].counting(d));
        for (level, rows) in self.levels.iter().enumerate() {
            let gate = if level == 0 { counting.as_deref() } else { None };
            // (row, mentions) of this article, then summed per row
            let v = &mut self.scratch;
            v.clear();
            // the category rows count only the mentions that evidence their category (as in
            // summary.csv and categories.csv); the concept rows count every mention
            for m in d.mentions.iter().filter(|m| level == 1 || m.in_rollup) {
                v.extend(
                    rows.of_concept[m.concept as usize]
                        .iter()
                        .filter(|r| gate.is_none_or(|keep| keep.binary_search(r).is_ok()))
                        .map(|&r| (r, m.count)),
                );
            }
            v.sort_unstable();
            let counts = &mut year.rows[level];
            let mut last = None;
            for &(r, k) in v.iter() {
                let c = &mut counts[r as usize];
                c.mentions += u64::from(k);
                if last != Some(r) {
                    c.articles += 1;
                    last = Some(r);
                }
            }
        }
        year.any.mentions += d.mentions.iter().map(|m| u64::from(m.count)).sum::<u64>();
    }

    pub fn finish(mut self) -> io::Result<S> {
        let s = &mut self.sink;
        for h in HEADER {
            s.text(h)?;
        }
        s.end_row()?;
        // the years ascending (four digits sort as numbers), the empty year last
        let years: Vec<(&String, &Year)> = self
            .years
            .iter()
            .filter(|(y, _)| !y.is_empty())
            .chain(self.years.iter().filter(|(y, _)| y.is_empty()))
            .collect();
        let row = |s: &mut S, year: &str, level: &str, id: &str, label: &str, c: Count, total: u64| {
            s.text(year)?;
            s.text(level)?;
            s.text(id)?;
            s.text(label)?;
            s.int(c.articles)?;
            s.int(c.mentions)?;
            s.int(total)?;
            s.text(&share(c.articles, total))?;
            s.end_row()
        };
        for (y, stats) in &years {
            row(s, y, "any", "any", "any concept", stats.any, stats.articles)?;
        }
        for (level, name) in [(0, "category"), (1, "concept")] {
            for (r, info) in self.levels[level].rows.iter().enumerate() {
                for (y, stats) in &years {
                    let c = stats.rows[level][r];
                    if level == 1 && c.articles == 0 {
                        continue;
                    }
                    row(s, y, name, &info.id, &info.label, c, stats.articles)?;
                }
            }
        }
        s.finish()?;
        Ok(self.sink)
    }
}

/// `part / whole` with four decimals (`0.0425`); `whole` is never 0 for a year that has a row.
pub fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0000".into();
    }
    // integer arithmetic, rounded half up, so the text never depends on float formatting
    let (part, whole) = (u128::from(part), u128::from(whole));
    let scaled = (2 * part * 10_000 + whole) / (2 * whole);
    format!("{}.{:04}", scaled / 10_000, scaled % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::CsvSink;

    #[test]
    fn share_table() {
        for (part, whole, want) in [
            (0, 5, "0.0000"),
            (1, 3, "0.3333"),
            (2, 3, "0.6667"),
            (1, 1, "1.0000"),
            (1, 8, "0.1250"),
            (1, 20_000, "0.0001"),
            (1, 30_000, "0.0000"),
            // half up, not to even
            (1, 32, "0.0313"),
            (3, 32, "0.0938"),
            (1, 0, "0.0000"),
        ] {
            assert_eq!(share(part, whole), want, "{part}/{whole}");
        }
    }

    #[test]
    fn years_levels_and_the_empty_year_last() {
        let ont = crate::ontology::load_texts(&[(
            "t.yaml",
            "concepts:
  - {id: coag, label: Coagulation, synonyms: [coagulation]}
  - {id: tf, label: Tissue factor, parent: coag, synonyms: [tissue factor]}
  - {id: infl, label: Inflammation, synonyms: [inflammation]}
",
        )])
        .unwrap();
        let keep = vec![true; 3];
        let mut out = Vec::new();
        let mut w = TrendsWriter::new(
            CsvSink::new(&mut out, Default::default()).unwrap(),
            &ont,
            Rollup::Top,
            &keep,
        );
        let digest = |year: &str, mentions: &[(u32, u32, bool)]| Digest {
            id: "x".into(),
            meta: [year.into(), String::new(), String::new()],
            mentions: mentions
                .iter()
                .map(|&(concept, count, in_rollup)| crate::output::Mentioned {
                    concept,
                    text: "t".into(),
                    kind: crate::document::SectionKind::Abstract,
                    count,
                    in_rollup,
                })
                .collect(),
            ..Digest::default()
        };
        // 2020: tf twice and coag once in one article, nothing in another; 2019: inflammation;
        // no year: tissue factor; 2019 also: tissue factor once, not evidence of its category
        // (a participant without a process cue): counted as a concept, not as coagulation
        for d in [
            digest("2020", &[(0, 1, true), (1, 2, true)]),
            digest("2020", &[]),
            digest("", &[(1, 1, true)]),
            digest("2019", &[(2, 3, true)]),
            digest("2019", &[(1, 1, false)]),
        ] {
            w.add_digest(&d);
        }
        w.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "year,level,id,label,articles,mentions,year_articles,share\n\
             2019,any,any,any concept,2,4,2,1.0000\n\
             2020,any,any,any concept,1,3,2,0.5000\n\
             ,any,any,any concept,1,1,1,1.0000\n\
             2019,category,coag,Coagulation,0,0,2,0.0000\n\
             2020,category,coag,Coagulation,1,3,2,0.5000\n\
             ,category,coag,Coagulation,1,1,1,1.0000\n\
             2019,category,infl,Inflammation,1,3,2,0.5000\n\
             2020,category,infl,Inflammation,0,0,2,0.0000\n\
             ,category,infl,Inflammation,0,0,1,0.0000\n\
             2020,concept,coag,Coagulation,1,1,2,0.5000\n\
             2019,concept,tf,Tissue factor,1,1,2,0.5000\n\
             2020,concept,tf,Tissue factor,1,2,2,0.5000\n\
             ,concept,tf,Tissue factor,1,1,1,1.0000\n\
             2019,concept,infl,Inflammation,1,3,2,0.5000\n"
        );
    }
}
