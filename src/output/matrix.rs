//! The concept-by-article matrix (`matrix.csv`) and its roll-up to categories (`categories.csv`).
//!
//! Layout `concepts`: one row per concept with `concept_id`, `label`, `category` (the top-level
//! ancestor), then one column per article in input order. Layout `articles`: the transpose, one
//! row per article (`article_id`, with `metadata` also `year`, `journal`, `doi`, then one column
//! per concept id). Layout `auto` (the default) is `concepts` unless that would exceed Excel's
//! 16,384 columns, and then `articles`. Cells hold mention counts, or 0/1 with `binary`. Every
//! article read appears, also those with no mention.
//!
//! The same writer rolls the matrix up the ontology tree ([`Rows::rollup`]): one row per
//! category (`category_id`, `label`, `parent`), whose cell is the sum of its subtree's cells
//! with `counts` (so a category row is the sum of its concepts' rows in `matrix.csv`), and 1 if
//! the article mentions any concept of the subtree with `binary`: the article counts once
//! however many of the category's concepts it mentions.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use super::spool::{CellReader, CellSpool};
use super::{Digest, Notice, Sink, Tagged};
use crate::ontology::{ConceptId, Ontology, Role};

/// Excel's column limit (XFD).
pub const EXCEL_MAX_COLUMNS: usize = 16_384;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Values {
    #[default]
    Counts,
    Binary,
    /// Mentions per 10,000 characters of the article's counted sections (papers differ in
    /// length; an abstract's density compares with a full text's).
    Density,
}

impl Values {
    pub fn as_str(self) -> &'static str {
        match self {
            Values::Counts => "counts",
            Values::Binary => "binary",
            Values::Density => "density",
        }
    }
}

/// Which way round the matrix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Concept rows while they fit in a spreadsheet, else article rows.
    #[default]
    Auto,
    Concepts,
    Articles,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Auto => "auto",
            Layout::Concepts => "concepts",
            Layout::Articles => "articles",
        }
    }

    /// The layout to write for `articles` articles, and a notice for the user when the choice
    /// needs explaining. Metadata columns only fit article rows, so `auto` picks those.
    pub fn resolve(self, articles: usize, metadata: bool) -> (Layout, Option<Notice>) {
        let columns = articles + 3;
        match self {
            Layout::Auto if metadata => (Layout::Articles, None),
            Layout::Auto if columns > EXCEL_MAX_COLUMNS => (Layout::Articles, Some(Notice::ArticleRows { articles })),
            Layout::Auto => (Layout::Concepts, None),
            Layout::Concepts if columns > EXCEL_MAX_COLUMNS => {
                (Layout::Concepts, Some(Notice::TooManyColumns { columns }))
            }
            other => (other, None),
        }
    }
}

/// One row of a matrix: a concept, or a category of a roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub label: String,
    /// The third column: the category of a concept, the parent of a roll-up node.
    pub group: String,
}

/// The rows of a matrix and which rows each concept's mentions count towards.
#[derive(Debug, Clone)]
pub struct Rows {
    /// Header names of the first and third columns.
    pub id_header: &'static str,
    pub group_header: &'static str,
    pub rows: Vec<Row>,
    /// For each concept, the rows it counts towards.
    pub of_concept: Vec<Vec<u32>>,
    /// The rows are categories (a roll-up): for a full text, a row counts only when the
    /// full-text rule holds ([`super::categories::full_text_rule`]).
    pub categories: bool,
}

impl Rows {
    /// One row per concept, in ontology order.
    pub fn concepts(ont: &Ontology) -> Rows {
        Rows {
            id_header: "concept_id",
            group_header: "category",
            rows: ont
                .concepts
                .iter()
                .zip(ont.ids())
                .map(|(c, i)| Row {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    group: ont.category_ids(i),
                })
                .collect(),
            of_concept: (0..ont.concepts.len() as u32).map(|i| vec![i]).collect(),
            categories: false,
        }
    }

    /// One row per top-level category, or with `all` per concept that has children (the
    /// top-level categories and the inner nodes), in ontology order.
    pub fn rollup(ont: &Ontology, all: bool) -> Rows {
        let nodes: Vec<ConceptId> = ont
            .ids()
            .filter(|&c| {
                let k = ont.concept(c);
                // a context root and the concepts under it are no category
                k.role != Role::Context && (k.parent.is_none() || (all && !k.children.is_empty()))
            })
            .collect();
        let mut row_of = vec![None; ont.concepts.len()];
        for (r, &c) in nodes.iter().enumerate() {
            row_of[c.index()] = Some(r as u32);
        }
        let of_concept = ont
            .ids()
            .map(|c| {
                let mut v: Vec<u32> = ont.ancestors(c).iter().filter_map(|x| row_of[x.index()]).collect();
                v.sort_unstable();
                v
            })
            .collect();
        Rows {
            id_header: "category_id",
            group_header: "parent",
            rows: nodes
                .iter()
                .map(|&c| {
                    let k = ont.concept(c);
                    Row {
                        id: k.id.clone(),
                        label: k.label.clone(),
                        group: {
                            let ps: Vec<&str> = k.parents.iter().map(|&p| ont.concept(p).id.as_str()).collect();
                            ps.join("; ")
                        },
                    }
                })
                .collect(),
            of_concept,
            categories: true,
        }
    }

    /// The rows that count for an article by its digest: every row a mention counts towards,
    /// or for a full text on category rows, those passing the full-text rule. Sorted.
    pub fn counting(&self, d: &Digest) -> Vec<u32> {
        let gated = self.categories && d.full_text;
        super::categories::counting_keys(
            gated,
            d.evidence()
                .flat_map(|(c, e)| self.of_concept[c as usize].iter().map(move |&r| (r, e))),
        )
    }

    /// Keep only the rows that some concept in `keep` counts towards.
    pub fn retain_concepts(&mut self, keep: &[bool]) {
        let mut used = vec![false; self.rows.len()];
        for (c, rows) in self.of_concept.iter().enumerate() {
            if keep[c] {
                rows.iter().for_each(|&r| used[r as usize] = true);
            }
        }
        let mut new_index = vec![None; self.rows.len()];
        let mut n = 0u32;
        for (r, &u) in used.iter().enumerate() {
            if u {
                new_index[r] = Some(n);
                n += 1;
            }
        }
        let mut i = 0;
        self.rows.retain(|_| {
            i += 1;
            used[i - 1]
        });
        for (c, rows) in self.of_concept.iter_mut().enumerate() {
            if keep[c] {
                *rows = rows.iter().filter_map(|&r| new_index[r as usize]).collect();
            } else {
                rows.clear();
            }
        }
    }
}

/// How to write a matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MatrixOptions {
    pub values: Values,
    pub layout: Layout,
    /// `year`, `journal`, `doi` after `article_id` (article rows only).
    pub metadata: bool,
    /// Drop rows with fewer mentions than this in the whole run (0 and 1 keep every row).
    pub min_mentions: u64,
}

/// What a finished matrix looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixReport {
    pub layout: Layout,
    /// Rows of data (without the header).
    pub rows: usize,
    pub columns: usize,
    /// Something the user should be told (the layout switched, or exceeds spreadsheets).
    pub note: Option<Notice>,
}

#[derive(Debug, Clone, Default)]
struct Column {
    id: String,
    meta: [String; 3],
    /// Characters of the counted sections (for density).
    chars: u64,
    /// (row, value) sorted by row.
    cells: Vec<(u32, u32)>,
}

/// Columns kept in memory before they go to a temporary file: the most a concept-rows matrix
/// holds in a spreadsheet, so `auto` never spills a matrix it writes with concept rows.
pub const SPILL_AFTER: usize = EXCEL_MAX_COLUMNS;

/// Overrides [`SPILL_AFTER`] (for tests that exercise the temporary file on small inputs).
pub const SPILL_AFTER_VAR: &str = "COAGTAG_MATRIX_SPILL_AFTER";

/// Collects articles, writes the matrix at the end (a concept-rows matrix needs every article
/// before its first row, and `--min-mentions` the totals before the first article row).
/// Memory: up to [`SPILL_AFTER`] columns (ids, metadata and non-zero cells); beyond that every
/// column goes to an unnamed temporary file (compact binary: about 20 bytes plus the metadata
/// an article) read back once for article rows, once per block of rows for concept rows.
pub struct MatrixWriter<S: Sink> {
    sink: S,
    rows: Rows,
    opts: MatrixOptions,
    columns: Vec<Column>,
    /// Columns beyond [`SPILL_AFTER`]: all of them, in order, once spilling started.
    spill: Option<CellSpool>,
    spill_after: usize,
    spill_dir: Option<PathBuf>,
    /// Cells of a concept-rows matrix filled per pass ([`BLOCK_CELLS`]).
    block_cells: usize,
    count: usize,
    failed: Option<io::Error>,
    totals: Vec<u64>,
    scratch: Vec<(u32, u32)>,
}

impl<S: Sink> MatrixWriter<S> {
    pub fn new(sink: S, rows: Rows, opts: MatrixOptions) -> MatrixWriter<S> {
        let n = rows.rows.len();
        let spill_after = std::env::var(SPILL_AFTER_VAR)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(SPILL_AFTER);
        MatrixWriter {
            sink,
            rows,
            opts,
            columns: Vec::new(),
            spill: None,
            spill_after,
            spill_dir: None,
            block_cells: BLOCK_CELLS,
            count: 0,
            failed: None,
            totals: vec![0; n],
            scratch: Vec::new(),
        }
    }

    /// Where the temporary file of a large matrix goes (the system's temporary directory
    /// without it).
    pub fn spill_in(&mut self, dir: Option<&Path>) {
        self.spill_dir = dir.map(Path::to_path_buf);
    }

    /// For a workbook sheet: a forced concept-rows layout falls back to `auto`, since a sheet
    /// cannot hold more columns than Excel's limit.
    pub fn relayout_for_sheet(&mut self) {
        if self.opts.layout == Layout::Concepts {
            self.opts.layout = Layout::Auto;
        }
    }

    pub fn add(&mut self, art: Tagged<'_>) {
        let chars = art.doc.sections.iter().map(|s| s.text.chars().count() as u64).sum();
        self.add_digest(&Digest::of(art, chars));
    }

    /// Add an article by its digest (the same as [`MatrixWriter::add`] on the article).
    pub fn add_digest(&mut self, d: &Digest) {
        if self.rows.categories {
            // a category counts the mentions that evidence it
            let counting = d.full_text.then(|| self.rows.counting(d));
            self.add_column(
                d.id.clone(),
                d.meta.clone(),
                d.chars,
                d.evidencing_concepts(),
                counting.as_deref(),
            );
        } else {
            self.add_column(d.id.clone(), d.meta.clone(), d.chars, d.concepts(), None);
        }
    }

    /// Add an article by its concepts' mentions (one item per mention).
    pub fn add_counts(&mut self, id: String, meta: [String; 3], concepts: impl Iterator<Item = u32>) {
        self.add_column(id, meta, 0, concepts, None);
    }

    /// Add an article's column; with `counting`, only those rows get their counts.
    fn add_column(
        &mut self,
        id: String,
        meta: [String; 3],
        chars: u64,
        concepts: impl Iterator<Item = u32>,
        counting: Option<&[u32]>,
    ) {
        self.scratch.clear();
        for c in concepts {
            for &r in &self.rows.of_concept[c as usize] {
                if counting.is_none_or(|keep| keep.binary_search(&r).is_ok()) {
                    self.scratch.push((r, 1));
                }
            }
        }
        self.scratch.sort_unstable();
        let mut cells: Vec<(u32, u32)> = Vec::new();
        for &(r, k) in &self.scratch {
            self.totals[r as usize] += u64::from(k);
            match cells.last_mut() {
                Some((last, n)) if *last == r => *n += k,
                _ => cells.push((r, k)),
            }
        }
        self.count += 1;
        let col = Column { id, meta, chars, cells };
        if self.spill.is_none() && self.columns.len() < self.spill_after {
            self.columns.push(col);
        } else if self.failed.is_none()
            && let Err(e) = self.spill_column(&col)
        {
            self.failed = Some(e);
        }
    }

    /// Write a column to the temporary file, moving the columns in memory there first.
    fn spill_column(&mut self, col: &Column) -> io::Result<()> {
        if self.spill.is_none() {
            let mut spill = CellSpool::new(self.spill_dir.as_deref())?;
            for c in std::mem::take(&mut self.columns) {
                write_column(&mut spill, &c, self.opts)?;
            }
            self.spill = Some(spill);
        }
        let spill = self.spill.as_mut().expect("made above");
        write_column(spill, col, self.opts)
    }

    pub fn finish(mut self) -> io::Result<(S, MatrixReport)> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let mut columns = match self.spill.take() {
            Some(spill) => Columns::Spilled(spill.into_file()?),
            None => Columns::Memory(std::mem::take(&mut self.columns)),
        };
        let ncols = self.count;
        let (layout, note) = self.opts.layout.resolve(ncols, self.opts.metadata);
        let kept: Vec<usize> = (0..self.rows.rows.len())
            .filter(|&r| self.opts.min_mentions <= 1 || self.totals[r] >= self.opts.min_mentions)
            .collect();
        // position of each row among the kept ones
        let mut pos = vec![None; self.rows.rows.len()];
        for (i, &r) in kept.iter().enumerate() {
            pos[r] = Some(i);
        }
        let values = self.opts.values;
        let cell = |n: u32| -> u32 {
            match values {
                Values::Counts | Values::Density => n,
                Values::Binary => u32::from(n > 0),
            }
        };
        let density = values == Values::Density;
        let opts = self.opts;
        let s = &mut self.sink;
        let report;
        match layout {
            Layout::Articles => {
                let meta = self.opts.metadata;
                s.text("article_id")?;
                if meta {
                    for h in ["year", "journal", "doi"] {
                        s.text(h)?;
                    }
                }
                for &r in &kept {
                    s.text(&self.rows.rows[r].id)?;
                }
                s.end_row()?;
                let first_col = if meta { 4 } else { 1 };
                s.numeric_block(1, first_col);
                let mut dense = vec![0u32; kept.len()];
                columns.each(opts, |col| {
                    dense.iter_mut().for_each(|x| *x = 0);
                    for &(r, k) in &col.cells {
                        if let Some(p) = pos[r as usize] {
                            dense[p] = cell(k);
                        }
                    }
                    let mut texts: Vec<&str> = vec![&col.id];
                    if meta {
                        texts.extend(col.meta.iter().map(String::as_str));
                    }
                    if density {
                        for t in texts {
                            s.text(t)?;
                        }
                        for &k in &dense {
                            s.float(super::density(u64::from(k), col.chars))?;
                        }
                        s.end_row()
                    } else {
                        s.row(&texts, &dense)
                    }
                })?;
                report = MatrixReport {
                    layout,
                    rows: ncols,
                    columns: first_col as usize + kept.len(),
                    note,
                };
            }
            Layout::Concepts | Layout::Auto => {
                s.text(self.rows.id_header)?;
                s.text("label")?;
                s.text(self.rows.group_header)?;
                columns.each(opts, |col| s.text(&col.id))?;
                s.end_row()?;
                s.numeric_block(1, 3);
                // dense rows, filled from the sparse columns: a block of rows at a time, as
                // many as fit in BLOCK_CELLS (one pass over the columns per block)
                let block = (self.block_cells / ncols.max(1)).max(1);
                let mut chars: Vec<u64> = Vec::new();
                for first in (0..kept.len()).step_by(block) {
                    let end = (first + block).min(kept.len());
                    let mut dense: Vec<Vec<u32>> = vec![vec![0; ncols]; end - first];
                    let mut j = 0;
                    let keep_chars = density && first == 0;
                    columns.each(opts, |col| {
                        for &(r, k) in &col.cells {
                            if let Some(p) = pos[r as usize]
                                && (first..end).contains(&p)
                            {
                                dense[p - first][j] = cell(k);
                            }
                        }
                        if keep_chars {
                            chars.push(col.chars);
                        }
                        j += 1;
                        Ok(())
                    })?;
                    for (i, &r) in kept[first..end].iter().enumerate() {
                        let row = &self.rows.rows[r];
                        if density {
                            s.text(&row.id)?;
                            s.text(&row.label)?;
                            s.text(&row.group)?;
                            for (j, &k) in dense[i].iter().enumerate() {
                                s.float(super::density(u64::from(k), chars[j]))?;
                            }
                            s.end_row()?;
                        } else {
                            s.row(&[&row.id, &row.label, &row.group], &dense[i])?;
                        }
                    }
                }
                report = MatrixReport {
                    layout: Layout::Concepts,
                    rows: kept.len(),
                    columns: 3 + ncols,
                    note,
                };
            }
        }
        s.finish()?;
        Ok((self.sink, report))
    }
}

/// Cells of a concept-rows matrix filled at a time (u32 each: 64 MB).
const BLOCK_CELLS: usize = 16 << 20;

/// The columns at the end: in memory, or all of them in a temporary file.
enum Columns {
    Memory(Vec<Column>),
    Spilled(File),
}

impl Columns {
    /// Call `f` on every column in order (a pass over the temporary file).
    fn each(&mut self, opts: MatrixOptions, mut f: impl FnMut(&Column) -> io::Result<()>) -> io::Result<()> {
        match self {
            Columns::Memory(v) => v.iter().try_for_each(f),
            Columns::Spilled(file) => {
                use std::io::{Seek, SeekFrom};
                file.seek(SeekFrom::Start(0))?;
                let mut r = CellReader::new(BufReader::with_capacity(256 * 1024, &*file));
                let mut col = Column::default();
                while read_column(&mut r, &mut col, opts)? {
                    f(&col)?;
                }
                Ok(())
            }
        }
    }
}

/// A column in the temporary file: id, the metadata when written, the characters with
/// density, the number of cells, then (row, value) per cell.
fn write_column(w: &mut CellSpool, c: &Column, opts: MatrixOptions) -> io::Result<()> {
    w.text(&c.id)?;
    if opts.metadata {
        for m in &c.meta {
            w.text(m)?;
        }
    }
    if opts.values == Values::Density {
        w.int(c.chars)?;
    }
    w.int(c.cells.len() as u64)?;
    for &(r, k) in &c.cells {
        w.int(u64::from(r))?;
        w.int(u64::from(k))?;
    }
    w.end_row()
}

/// Read the next column into `c` (its strings reused); false at the end.
fn read_column<R: io::BufRead>(r: &mut CellReader<R>, c: &mut Column, opts: MatrixOptions) -> io::Result<bool> {
    fn corrupt() -> io::Error {
        io::Error::other("the temporary file of a matrix is corrupt")
    }
    if !r.text_into(&mut c.id, corrupt)? {
        return Ok(false);
    }
    if opts.metadata {
        for m in &mut c.meta {
            if !r.text_into(m, corrupt)? {
                return Err(corrupt());
            }
        }
    }
    if opts.values == Values::Density {
        c.chars = r.int(corrupt)?;
    }
    let n = r.int(corrupt)?;
    c.cells.clear();
    for _ in 0..n {
        let row = u32::try_from(r.int(corrupt)?).map_err(|_| corrupt())?;
        let k = u32::try_from(r.int(corrupt)?).map_err(|_| corrupt())?;
        c.cells.push((row, k));
    }
    r.end_row(corrupt)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::output::{CsvSink, Dialect};

    /// One article's column: its id and sparse (concept index, count) pairs sorted by concept.
    #[derive(Debug, Clone, PartialEq, Eq, Default)]
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

    /// Write the concept matrix for `articles` (in order) to `w` in the plain dialect.
    pub fn write_matrix<W: Write>(
        w: W,
        ontology: &Ontology,
        articles: &[ArticleCounts],
        values: Values,
        layout: Layout,
    ) -> io::Result<()> {
        let sink = CsvSink::new(w, Dialect::default())?;
        let opts = MatrixOptions {
            values,
            layout,
            ..MatrixOptions::default()
        };
        let mut m = MatrixWriter::new(sink, Rows::concepts(ontology), opts);
        for a in articles {
            let concepts = a.counts.iter().flat_map(|&(c, k)| std::iter::repeat_n(c, k as usize));
            m.add_counts(a.id.clone(), Default::default(), concepts);
        }
        m.finish()?;
        Ok(())
    }
    use crate::ontology::load_texts;

    fn ont() -> Ontology {
        load_texts(&[(
            "t.yaml",
            "concepts:\n  - {id: a, label: \"A, first\", synonyms: [alpha]}\n  - {id: b, label: B, parent: a, synonyms: [beta]}\n  - {id: c, label: C, parent: b, synonyms: [gamma]}\n  - {id: d, label: D, synonyms: [delta]}\n",
        )])
        .unwrap()
    }

    fn arts() -> Vec<ArticleCounts> {
        vec![
            ArticleCounts::from_concepts("p1".into(), [1, 0, 1].into_iter()),
            ArticleCounts::from_concepts("p2".into(), std::iter::empty()),
            ArticleCounts::from_concepts("p3".into(), [2, 2, 3].into_iter()),
        ]
    }

    fn write(rows: Rows, opts: MatrixOptions) -> (String, MatrixReport) {
        let mut buf = Vec::new();
        let mut m = MatrixWriter::new(CsvSink::new(&mut buf, Dialect::default()).unwrap(), rows, opts);
        for a in arts() {
            let concepts = a.counts.iter().flat_map(|&(c, k)| std::iter::repeat_n(c, k as usize));
            m.add_counts(a.id, [String::from("2001"), "J".into(), String::new()], concepts);
        }
        let (_, report) = m.finish().unwrap();
        (String::from_utf8(buf).unwrap(), report)
    }

    /// The matrix written with its columns in memory, and with them spilled to a temporary
    /// file after `spill_after` columns, filled `block_cells` cells a pass.
    fn write_spilled(rows: Rows, opts: MatrixOptions, spill_after: usize, block_cells: usize) -> (String, bool) {
        let mut buf = Vec::new();
        let mut m = MatrixWriter::new(CsvSink::new(&mut buf, Dialect::default()).unwrap(), rows, opts);
        m.spill_after = spill_after;
        m.block_cells = block_cells;
        for (i, a) in arts().into_iter().enumerate() {
            let concepts = a.counts.iter().flat_map(|&(c, k)| std::iter::repeat_n(c, k as usize));
            let meta = [format!("{}", 2000 + i), format!("J{i}"), format!("10.1/{i}")];
            m.add_column(a.id, meta, 100 * i as u64 + 7, concepts, None);
        }
        let spilled = m.spill.is_some();
        m.finish().unwrap();
        (String::from_utf8(buf).unwrap(), spilled)
    }

    #[test]
    fn spilled_columns_write_the_same_matrix() {
        let o = ont();
        for layout in [Layout::Concepts, Layout::Articles] {
            for values in [Values::Counts, Values::Binary, Values::Density] {
                for (metadata, min_mentions) in [(false, 0), (false, 2), (true, 0), (true, 3)] {
                    if metadata && layout == Layout::Concepts {
                        continue;
                    }
                    let opts = MatrixOptions {
                        values,
                        layout,
                        metadata,
                        min_mentions,
                    };
                    for rows in [Rows::concepts(&o), Rows::rollup(&o, true)] {
                        let (want, spilled) = write_spilled(rows.clone(), opts, SPILL_AFTER, BLOCK_CELLS);
                        assert!(!spilled);
                        for (after, block) in [(0, 1), (1, 4), (2, 5), (3, BLOCK_CELLS)] {
                            let (got, spilled) = write_spilled(rows.clone(), opts, after, block);
                            assert_eq!(spilled, after < 3, "{opts:?} after {after}");
                            assert_eq!(got, want, "{opts:?} after {after} block {block}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn both_layouts_and_values() {
        let o = ont();
        let mut buf = Vec::new();
        write_matrix(&mut buf, &o, &arts(), Values::Counts, Layout::Concepts).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "concept_id,label,category,p1,p2,p3\na,\"A, first\",a,1,0,0\nb,B,a,2,0,0\nc,C,a,0,0,2\nd,D,d,0,0,1\n"
        );
        let mut buf = Vec::new();
        write_matrix(&mut buf, &o, &arts(), Values::Binary, Layout::Articles).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "article_id,a,b,c,d\np1,1,1,0,0\np2,0,0,0,0\np3,0,0,1,1\n"
        );
    }

    #[test]
    fn metadata_columns_and_min_mentions() {
        let opts = MatrixOptions {
            metadata: true,
            min_mentions: 2,
            ..MatrixOptions::default()
        };
        let (text, report) = write(Rows::concepts(&ont()), opts);
        assert_eq!(
            text,
            "article_id,year,journal,doi,b,c\np1,2001,J,,2,0\np2,2001,J,,0,0\np3,2001,J,,0,2\n"
        );
        assert_eq!(report.layout, Layout::Articles);
        assert_eq!((report.rows, report.columns), (3, 6));
    }

    #[test]
    fn several_parents_count_under_each_category_and_a_context_root_is_no_row() {
        let o = load_texts(&[(
            "t.yaml",
            "concepts:\n  - {id: a, label: A}\n  - {id: b, label: B}\n  - {id: ctx, label: Ctx, role: context}\n  - {id: h, label: H, parents: [a, b, ctx]}\n  - {id: v, label: V, parent: ctx}\n",
        )])
        .unwrap();
        let rows = Rows::rollup(&o, true);
        let ids: Vec<&str> = rows.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        // h counts under a and b; v under no row
        assert_eq!(rows.of_concept, [vec![0], vec![1], vec![], vec![0, 1], vec![]]);
        let concepts = Rows::concepts(&o);
        let groups: Vec<&str> = concepts.rows.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(groups, ["a", "b", "ctx", "a; b; ctx", "ctx"]);
    }

    #[test]
    fn rollup_counts_subtrees() {
        let o = ont();
        let (text, _) = write(Rows::rollup(&o, false), MatrixOptions::default());
        assert_eq!(
            text,
            "category_id,label,parent,p1,p2,p3\na,\"A, first\",,3,0,2\nd,D,,0,0,1\n"
        );
        let opts = MatrixOptions {
            values: Values::Binary,
            ..MatrixOptions::default()
        };
        let (text, _) = write(Rows::rollup(&o, true), opts);
        assert_eq!(
            text,
            "category_id,label,parent,p1,p2,p3\na,\"A, first\",,1,0,1\nb,B,a,1,0,1\nd,D,,0,0,1\n"
        );
        let mut rows = Rows::rollup(&o, true);
        rows.retain_concepts(&[false, false, false, true]);
        let (text, _) = write(rows, MatrixOptions::default());
        assert_eq!(text, "category_id,label,parent,p1,p2,p3\nd,D,,0,0,1\n");
    }

    #[test]
    fn layout_resolution_respects_the_column_limit() {
        assert_eq!(Layout::Auto.resolve(16_381, false), (Layout::Concepts, None));
        let (l, note) = Layout::Auto.resolve(16_382, false);
        assert_eq!(l, Layout::Articles);
        assert_eq!(note, Some(Notice::ArticleRows { articles: 16_382 }));
        let (l, note) = Layout::Concepts.resolve(16_382, false);
        assert_eq!(l, Layout::Concepts);
        assert_eq!(note, Some(Notice::TooManyColumns { columns: 16_385 }));
        assert_eq!(Layout::Auto.resolve(3, true), (Layout::Articles, None));
        assert_eq!(Layout::Articles.resolve(20_000, false), (Layout::Articles, None));
    }
}
