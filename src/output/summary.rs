//! `summary.csv`: one row per concept, then one per category, with totals for the run.
//!
//! Columns: `level` (`concept` or `category`), `id`, `label`, `category` (top-level ancestor;
//! for a category row its parent, empty at the top level), `xrefs` (the ontology's cross-references
//! such as `MESH:D013923`, joined by `; `), `articles` (articles that mention it
//! at least once: for a category, an article counts once however many of its concepts it
//! mentions; a full text counts for a category only when the full-text rule holds,
//! [`super::categories::full_text_rule`]), `mentions` (all its mentions; a category's are its
//! subtree's, in the articles it counts for), and `top_forms`:
//! the five most frequent matched texts as written, `text (count)` joined by `; `, most
//! frequent first, ties in text order. Every concept of the ontology has a row, also those never
//! mentioned; category rows follow `--rollup`.

use std::collections::HashMap;
use std::io;

use super::Sink;
use super::categories::Rollup;
use super::matrix::Rows;
use super::{Digest, Tagged};
use crate::ontology::Ontology;

pub const HEADER: [&str; 8] = [
    "level",
    "id",
    "label",
    "category",
    "xrefs",
    "articles",
    "mentions",
    "top_forms",
];
/// How many surface forms `top_forms` lists.
pub const TOP_FORMS: usize = 5;

#[derive(Debug, Default, Clone)]
struct Stat {
    articles: u64,
    mentions: u64,
    forms: HashMap<String, u64>,
}

/// Totals per concept and category; writes at the end.
pub struct SummaryWriter<S: Sink> {
    sink: S,
    concepts: Rows,
    categories: Rows,
    /// Cross-references of the concept rows, then of the category rows.
    xrefs: [Vec<String>; 2],
    stats: Vec<Stat>,
    cat_stats: Vec<Stat>,
    seen: Vec<u32>,
    cat_seen: Vec<u32>,
    articles: u32,
}

impl<S: Sink> SummaryWriter<S> {
    /// `keep` marks the concepts the filters kept; the others get no row.
    pub fn new(sink: S, ontology: &Ontology, rollup: Rollup, keep: &[bool]) -> SummaryWriter<S> {
        let (concepts, categories) = super::categories::levels(ontology, rollup, keep);
        let xrefs_of = |rows: &Rows| -> Vec<String> {
            rows.rows
                .iter()
                .map(|r| {
                    ontology
                        .lookup(&r.id)
                        .map(|c| ontology.concept(c).xrefs.join("; "))
                        .unwrap_or_default()
                })
                .collect()
        };
        SummaryWriter {
            xrefs: [xrefs_of(&concepts), xrefs_of(&categories)],
            sink,
            stats: vec![Stat::default(); concepts.rows.len()],
            cat_stats: vec![Stat::default(); categories.rows.len()],
            seen: vec![u32::MAX; concepts.rows.len()],
            cat_seen: vec![u32::MAX; categories.rows.len()],
            concepts,
            categories,
            articles: 0,
        }
    }

    pub fn add(&mut self, art: Tagged<'_>) {
        self.add_digest(&Digest::of(art, 0));
    }

    /// Add an article by its digest (the same as [`SummaryWriter::add`] on the article). A full
    /// text's category rows count only when the full-text rule holds.
    pub fn add_digest(&mut self, d: &Digest) {
        let a = self.articles;
        self.articles += 1;
        let counting = d.full_text.then(|| self.categories.counting(d));
        for m in &d.mentions {
            let (text, k) = (m.text.as_str(), u64::from(m.count));
            let no_category = (!m.in_rollup).then_some(&[][..]);
            for (rows, stats, seen, gate) in [
                (&self.concepts, &mut self.stats, &mut self.seen, None),
                (
                    &self.categories,
                    &mut self.cat_stats,
                    &mut self.cat_seen,
                    no_category.or(counting.as_deref()),
                ),
            ] {
                for &r in &rows.of_concept[m.concept as usize] {
                    if gate.is_some_and(|keep: &[u32]| keep.binary_search(&r).is_err()) {
                        continue;
                    }
                    let st = &mut stats[r as usize];
                    st.mentions += k;
                    if seen[r as usize] != a {
                        seen[r as usize] = a;
                        st.articles += 1;
                    }
                    match st.forms.get_mut(text) {
                        Some(n) => *n += k,
                        None => {
                            st.forms.insert(text.to_string(), k);
                        }
                    }
                }
            }
        }
    }

    pub fn finish(mut self) -> io::Result<S> {
        let s = &mut self.sink;
        for h in HEADER {
            s.text(h)?;
        }
        s.end_row()?;
        for (level, rows, stats, xrefs) in [
            ("concept", &self.concepts, &self.stats, &self.xrefs[0]),
            ("category", &self.categories, &self.cat_stats, &self.xrefs[1]),
        ] {
            for ((row, st), x) in rows.rows.iter().zip(stats).zip(xrefs) {
                s.text(level)?;
                s.text(&row.id)?;
                s.text(&row.label)?;
                s.text(&row.group)?;
                s.text(x)?;
                s.int(st.articles)?;
                s.int(st.mentions)?;
                s.text(&top_forms(&st.forms))?;
                s.end_row()?;
            }
        }
        s.finish()?;
        Ok(self.sink)
    }
}

fn top_forms(forms: &HashMap<String, u64>) -> String {
    let mut v: Vec<(&String, &u64)> = forms.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    v.iter()
        .take(TOP_FORMS)
        .map(|(t, n)| format!("{t} ({n})"))
        .collect::<Vec<_>>()
        .join("; ")
}
