//! `categories.csv`: the matrix rolled up the ontology tree.
//!
//! One row per top-level category (with `--rollup all` also per inner node: every concept that
//! has children), columns `category_id`, `label`, `parent` (empty for the top level), then the
//! articles as in `matrix.csv`, in the same layout. With `--values counts` a cell is the sum of
//! the subtree's concept counts for the article; with `binary` it is 1 when the article
//! mentions any concept of the subtree: an article counts once per category however many of its
//! concepts it mentions. `--min-mentions` does not apply here (it narrows the concept matrix).

use super::Sink;
use super::matrix::{MatrixOptions, MatrixWriter, Rows};
use crate::ontology::Ontology;

/// Which nodes become rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rollup {
    /// The top-level categories.
    #[default]
    Top,
    /// The top-level categories and every inner node.
    All,
}

impl Rollup {
    pub fn as_str(self) -> &'static str {
        match self {
            Rollup::Top => "top",
            Rollup::All => "all",
        }
    }
}

/// The rows of the two levels the totals products (summary, trends) count: one per concept, and
/// the category rows `rollup` asks for; `keep` marks the concepts the filters kept.
pub fn levels(ontology: &Ontology, rollup: Rollup, keep: &[bool]) -> (Rows, Rows) {
    let mut concepts = Rows::concepts(ontology);
    concepts.retain_concepts(keep);
    let mut categories = Rows::rollup(ontology, rollup == Rollup::All);
    categories.retain_concepts(keep);
    (concepts, categories)
}

/// A matrix writer for the roll-up; `keep` marks the concepts the filters kept.
pub fn writer<S: Sink>(
    sink: S,
    ontology: &Ontology,
    rollup: Rollup,
    keep: &[bool],
    opts: MatrixOptions,
) -> MatrixWriter<S> {
    let mut rows = Rows::rollup(ontology, rollup == Rollup::All);
    rows.retain_concepts(keep);
    MatrixWriter::new(
        sink,
        rows,
        MatrixOptions {
            min_mentions: 0,
            ..opts
        },
    )
}
