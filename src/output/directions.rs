//! `directions.csv`: what the articles say of each mechanism, by the qualifiers of its mentions
//! ([`crate::tag::qualifiers`]).
//!
//! Columns: `article_id`, `level` (`category` or `concept`), `id`, `mentions` (the article's
//! mentions of it: for a category, those of its subtree that evidence it, `in_rollup` yes, as
//! in `categories.csv`), `up` and `down` (affirmed mentions stated
//! with that direction, hedged ones included), `negated` and `hedged` (mentions with that
//! value). For each article, first its categories (as `--rollup` says: the top-level ones, or
//! every inner node too), then its concepts, each in ontology order, every pair with at least one
//! mention. Rows follow the input order of articles. "Which articles report NETs increased":
//! the rows of `neutrophil_extracellular_traps` with `up` > 0.

use std::io;

use super::categories::Rollup;
use super::matrix::Rows;
use super::{Sink, Tagged};
use crate::ontology::Ontology;
use crate::tag::qualifiers::{Certainty, Direction, Polarity};

pub const HEADER: [&str; 8] = [
    "article_id",
    "level",
    "id",
    "mentions",
    "up",
    "down",
    "negated",
    "hedged",
];

/// The counts of one row: mentions, up, down, negated, hedged.
type Counts = [u64; 5];

/// Streams the rows of each article.
pub struct DirectionsWriter<S: Sink> {
    sink: S,
    categories: Rows,
    concept_ids: Vec<String>,
    by_category: Vec<Counts>,
    by_concept: Vec<Counts>,
    /// The rows of `by_category` and `by_concept` this article counted in, so that only they
    /// are read and cleared (rather than every concept of the ontology for every article:
    /// 0.2 G instructions on pubmed21n1298, BENCHMARKS.md issue 19).
    touched: (Vec<u32>, Vec<u32>),
}

/// One row of `directions.csv`; its counts are cleared for the next article.
fn write_row<S: Sink>(sink: &mut S, id: &str, level: &str, name: &str, counts: &mut Counts) -> io::Result<()> {
    sink.text(id)?;
    sink.text(level)?;
    sink.text(name)?;
    for n in *counts {
        sink.int(n)?;
    }
    *counts = [0; 5];
    sink.end_row()
}

impl<S: Sink> DirectionsWriter<S> {
    pub fn new(mut sink: S, ontology: &Ontology, rollup: Rollup) -> io::Result<Self> {
        for h in HEADER {
            sink.text(h)?;
        }
        sink.end_row()?;
        let categories = Rows::rollup(ontology, rollup == Rollup::All);
        Ok(DirectionsWriter {
            sink,
            by_category: vec![[0; 5]; categories.rows.len()],
            categories,
            concept_ids: ontology.concepts.iter().map(|c| c.id.clone()).collect(),
            by_concept: vec![[0; 5]; ontology.concepts.len()],
            touched: (Vec::new(), Vec::new()),
        })
    }

    pub fn add(&mut self, art: Tagged<'_>) -> io::Result<()> {
        let (cats, cons) = &mut self.touched;
        for m in art.mentions {
            let q = m.qualifiers;
            let add = |c: &mut Counts, row: u32, touched: &mut Vec<u32>| {
                if c[0] == 0 {
                    touched.push(row);
                }
                c[0] += 1;
                if q.polarity == Polarity::Affirmed {
                    match q.direction {
                        Direction::Up => c[1] += 1,
                        Direction::Down => c[2] += 1,
                        Direction::None => {}
                    }
                } else {
                    c[3] += 1;
                }
                if q.certainty == Certainty::Hedged {
                    c[4] += 1;
                }
            };
            let i = m.concept.index();
            add(&mut self.by_concept[i], i as u32, cons);
            // a category row counts the mentions that evidence it, as categories.csv does
            if m.evidence.in_rollup {
                for &r in &self.categories.of_concept[i] {
                    add(&mut self.by_category[r as usize], r, cats);
                }
            }
        }
        // the categories, then the concepts, each in ontology order
        cats.sort_unstable();
        cons.sort_unstable();
        let id = &art.doc.id;
        for &r in cats.iter() {
            write_row(
                &mut self.sink,
                id,
                "category",
                &self.categories.rows[r as usize].id,
                &mut self.by_category[r as usize],
            )?;
        }
        for &c in cons.iter() {
            write_row(
                &mut self.sink,
                id,
                "concept",
                &self.concept_ids[c as usize],
                &mut self.by_concept[c as usize],
            )?;
        }
        cats.clear();
        cons.clear();
        Ok(())
    }

    /// The sink, to ask it how much was written.
    pub fn sink_mut(&mut self) -> &mut S {
        &mut self.sink
    }

    pub fn finish(mut self) -> io::Result<S> {
        self.sink.finish()?;
        Ok(self.sink)
    }
}
