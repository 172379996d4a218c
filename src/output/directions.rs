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
        })
    }

    pub fn add(&mut self, art: Tagged<'_>) -> io::Result<()> {
        for m in art.mentions {
            let q = m.qualifiers;
            let add = |c: &mut Counts| {
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
            add(&mut self.by_concept[m.concept.index()]);
            // a category row counts the mentions that evidence it, as categories.csv does
            if m.evidence.in_rollup {
                for &r in &self.categories.of_concept[m.concept.index()] {
                    add(&mut self.by_category[r as usize]);
                }
            }
        }
        let id = &art.doc.id;
        let rows = self
            .categories
            .rows
            .iter()
            .map(|r| ("category", &r.id))
            .zip(self.by_category.iter_mut())
            .chain(
                self.concept_ids
                    .iter()
                    .map(|c| ("concept", c))
                    .zip(self.by_concept.iter_mut()),
            );
        for ((level, name), counts) in rows {
            if counts[0] == 0 {
                continue;
            }
            self.sink.text(id)?;
            self.sink.text(level)?;
            self.sink.text(name)?;
            for n in *counts {
                self.sink.int(n)?;
            }
            self.sink.end_row()?;
            *counts = [0; 5];
        }
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
