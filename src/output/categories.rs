//! `categories.csv`: the matrix rolled up the ontology tree.
//!
//! One row per top-level category (with `--rollup all` also per inner node: every concept that
//! has children), columns `category_id`, `label`, `parent` (empty for the top level), then the
//! articles as in `matrix.csv`, in the same layout. With `--values counts` a cell is the sum of
//! the subtree's concept counts for the article; with `binary` it is 1 when the article
//! mentions any concept of the subtree: an article counts once per category however many of its
//! concepts it mentions. `--min-mentions` does not apply here (it narrows the concept matrix).
//!
//! A full-text article's category (every roll-up row) counts only when the full-text rule holds
//! ([`full_text_rule`]): a row that fails it is 0 for that article, here and at every category
//! level (the category rows of `summary.csv` and `cooccurrence.csv`, `articles.csv`'s
//! `categories`).

use super::Sink;
use super::matrix::{MatrixOptions, MatrixWriter, Rows};
use crate::document::SectionKind;
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

/// What the category-level products count (`categories.csv`, the category rows of
/// `summary.csv` and `cooccurrence.csv`, `articles.csv`'s `categories`, the workbook).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RollupEvidence {
    /// The mentions that evidence their categories ([`crate::tag::roles`]): `in_rollup` yes.
    #[default]
    Evidence,
    /// Every mention (the plain roll-up of the concept matrix).
    Mentions,
}

impl RollupEvidence {
    pub fn as_str(self) -> &'static str {
        match self {
            RollupEvidence::Evidence => "evidence",
            RollupEvidence::Mentions => "mentions",
        }
    }
}

/// The categories (roll-up keys: top-level concept indexes, context roots left out) that count
/// for one article, given each mention's concept and evidence; see [`counting_keys`].
pub fn counting_categories(
    ontology: &Ontology,
    full_text: bool,
    mentions: impl IntoIterator<Item = (u32, Evidence)>,
) -> Vec<u32> {
    counting_keys(
        full_text,
        mentions.into_iter().flat_map(|(c, e)| {
            ontology
                .rollup_categories(crate::ontology::ConceptId(c))
                .map(move |k| (k.0, e))
        }),
    )
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

/// One mention as the category roll-up sees it: the facts the full-text rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    /// The kind of section the mention stands in.
    pub kind: SectionKind,
    /// Whether the mention counts at all: false for a mention in a reference list or in a
    /// section `--sections` leaves out.
    pub counted: bool,
}

/// The full-text category rule (`CATEGORY-GUIDELINES.md`, "Full text"): a category counts for
/// a full-text article when it is evidenced at least twice, or once outside the introduction;
/// a mention that is not counted (the reference list) never evidences it. `mentions` are the
/// article's mentions of the category's concepts (of a roll-up row's subtree).
///
/// Titles and abstracts are not subject to it: one mention there evidences a category.
pub fn full_text_rule(mentions: impl IntoIterator<Item = Evidence>) -> bool {
    let mut n = 0;
    for m in mentions.into_iter().filter(|m| m.counted) {
        n += 1;
        if n >= 2 || m.kind != SectionKind::Introduction {
            return true;
        }
    }
    false
}

/// The keys (roll-up rows, categories) that count for one article, sorted: every key mentioned,
/// or for a full text those that pass [`full_text_rule`]. `mentions` pairs each mention's key
/// with its evidence; a mention may count towards several keys (a concept under nested rows).
pub fn counting_keys(full_text: bool, mentions: impl IntoIterator<Item = (u32, Evidence)>) -> Vec<u32> {
    let mut v: Vec<(u32, Evidence)> = mentions.into_iter().filter(|(_, e)| e.counted).collect();
    v.sort_unstable_by_key(|(k, e)| (*k, e.kind));
    let mut out = Vec::new();
    for group in v.chunk_by(|a, b| a.0 == b.0) {
        if !full_text || full_text_rule(group.iter().map(|(_, e)| *e)) {
            out.push(group[0].0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: SectionKind) -> Evidence {
        Evidence { kind, counted: true }
    }

    #[test]
    fn the_full_text_rule() {
        use SectionKind::*;
        let not_counted = Evidence {
            kind: Results,
            counted: false,
        };
        let cases: &[(&[Evidence], bool)] = &[
            (&[], false),
            (&[ev(Introduction)], false),
            (&[ev(Introduction), ev(Introduction)], true),
            (&[ev(Results)], true),
            (&[ev(Caption)], true),
            (&[ev(Abstract)], true),
            (&[not_counted], false),
            (&[ev(Introduction), not_counted], false),
            (&[not_counted, not_counted], false),
        ];
        for (mentions, want) in cases {
            assert_eq!(full_text_rule(mentions.iter().copied()), *want, "{mentions:?}");
        }
    }

    #[test]
    fn counting_keys_groups_by_key() {
        use SectionKind::*;
        let m = [
            (3, ev(Introduction)),
            (1, ev(Introduction)),
            (3, ev(Introduction)),
            (2, ev(Methods)),
        ];
        assert_eq!(counting_keys(true, m), vec![2, 3]);
        assert_eq!(counting_keys(false, m), vec![1, 2, 3]);
    }
}
