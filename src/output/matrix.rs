//! The concept-by-article matrix.
//!
//! Layout `concepts` (default): one row per concept with `concept_id`, `label`, `category` (the
//! top-level ancestor), then one column per article in input order. Layout `articles`: the
//! transpose, one row per article (`article_id`, then one column per concept id). Cells hold
//! mention counts, or 0/1 with `binary`. Every article read appears, also those with no mention.

use std::io::{self, Write};

use super::csv_writer;
use crate::ontology::Ontology;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Values {
    #[default]
    Counts,
    Binary,
}

/// Which way round the matrix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    #[default]
    Concepts,
    Articles,
}

/// One article's column: its id and sparse (concept index, count) pairs sorted by concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleCounts {
    pub id: String,
    pub counts: Vec<(u32, u32)>,
}

impl ArticleCounts {
    /// Count mentions per concept.
    pub fn from_concepts(id: String, concepts: impl Iterator<Item = u32>) -> ArticleCounts {
        let mut v: Vec<u32> = concepts.collect();
        v.sort_unstable();
        let mut counts: Vec<(u32, u32)> = Vec::new();
        for c in v {
            match counts.last_mut() {
                Some((last, n)) if *last == c => *n += 1,
                _ => counts.push((c, 1)),
            }
        }
        ArticleCounts { id, counts }
    }
}

fn cell(n: u32, values: Values) -> u32 {
    match values {
        Values::Counts => n,
        Values::Binary => u32::from(n > 0),
    }
}

/// Write the matrix for `articles` (in order) to `w`.
pub fn write_matrix<W: Write>(
    w: W,
    ontology: &Ontology,
    articles: &[ArticleCounts],
    values: Values,
    layout: Layout,
) -> io::Result<()> {
    let mut out = csv_writer(w);
    let n = ontology.concepts.len();
    match layout {
        Layout::Concepts => {
            let mut header = vec!["concept_id".to_string(), "label".into(), "category".into()];
            header.extend(articles.iter().map(|a| a.id.clone()));
            out.write_record(&header)?;
            // dense per concept row, filled from the sparse columns
            let mut rows: Vec<Vec<u32>> = vec![vec![0; articles.len()]; n];
            for (j, a) in articles.iter().enumerate() {
                for &(c, k) in &a.counts {
                    rows[c as usize][j] = cell(k, values);
                }
            }
            let mut rec: Vec<String> = Vec::with_capacity(articles.len() + 3);
            for (i, row) in rows.iter().enumerate() {
                let c = &ontology.concepts[i];
                rec.clear();
                rec.push(c.id.clone());
                rec.push(c.label.clone());
                rec.push(ontology.concepts[c.category.index()].id.clone());
                rec.extend(row.iter().map(u32::to_string));
                out.write_record(&rec)?;
            }
        }
        Layout::Articles => {
            let mut header = vec!["article_id".to_string()];
            header.extend(ontology.concepts.iter().map(|c| c.id.clone()));
            out.write_record(&header)?;
            let mut row = vec![0u32; n];
            let mut rec: Vec<String> = Vec::with_capacity(n + 1);
            for a in articles {
                row.iter_mut().for_each(|x| *x = 0);
                for &(c, k) in &a.counts {
                    row[c as usize] = cell(k, values);
                }
                rec.clear();
                rec.push(a.id.clone());
                rec.extend(row.iter().map(u32::to_string));
                out.write_record(&rec)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::load_texts;

    fn ont() -> Ontology {
        load_texts(&[(
            "t.yaml",
            "concepts:\n  - {id: a, label: \"A, first\", synonyms: [alpha]}\n  - {id: b, label: B, parent: a, synonyms: [beta]}\n",
        )])
        .unwrap()
    }

    #[test]
    fn both_layouts_and_values() {
        let o = ont();
        let arts = vec![
            ArticleCounts::from_concepts("p1".into(), [1, 0, 1].into_iter()),
            ArticleCounts::from_concepts("p2".into(), std::iter::empty()),
        ];
        let mut buf = Vec::new();
        write_matrix(&mut buf, &o, &arts, Values::Counts, Layout::Concepts).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "concept_id,label,category,p1,p2\na,\"A, first\",a,1,0\nb,B,a,2,0\n"
        );
        let mut buf = Vec::new();
        write_matrix(&mut buf, &o, &arts, Values::Binary, Layout::Articles).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "article_id,a,b\np1,1,1\np2,0,0\n");
    }
}
