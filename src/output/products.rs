//! Running the products a command asked for, from one pass over the tagged articles.
//!
//! [`Products::create`] checks the options and opens every file (so a bad path fails before a
//! long run, not after); [`Products::add`] takes one article at a time, applies the filters and
//! feeds every product; [`Products::finish`] writes the aggregate products, the workbook and
//! the manifest, and only then moves every file into place.
//!
//! Memory stays bounded whatever the corpus size (see [`super::spool`]): the streaming products
//! (evidence, articles, JSONL, PubTator) write rows as articles arrive; the run tells at its end
//! which articles a later one replaced or a delete record removed (PubMed's update semantics,
//! [`ArticleSink::dead`]), and each streaming file is copied once without the dead articles'
//! rows (or committed as written when none died). The aggregate products are computed at the
//! end from a temporary file of per-article digests of the live articles. The workbook's sheets
//! keep one row in memory (rust_xlsxwriter's constant-memory mode). Temporary files go in the
//! directory of the first product file. [`Products`] is an
//! [`ArticleSink`], so a run feeds it directly. A failure or an interrupted run
//! leaves no file under a final name (see [`super::AtomicFile`]).
//!
//! Filters:
//!
//! * `sections` keeps only the mentions in sections with those kinds or names ([`Section::is_named`](crate::document::Section::is_named),
//!   any case), in every product; every article still appears in the matrix, `articles.csv`
//!   and JSONL. A name that is no kind and that no section of the run answered to is an error
//!   at the end, with the closest names, and nothing is written.
//! * `categories` keeps only the concepts under those categories (ids of any concept, usually
//!   top-level ones; a concept is kept when it or an ancestor is named), in every product: the
//!   other concepts' mentions are dropped and their rows omitted.
//! * `min_mentions` drops the concepts mentioned fewer times than that in the whole run from
//!   the matrix (`matrix.csv` and the workbook's matrix sheet) only: the other products keep them,
//!   so the evidence still explains every matrix cell.

use std::collections::BTreeSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::articles::ArticlesWriter;
use super::categories::{self, Rollup};
use super::cooccurrence::CooccurrenceWriter;
use super::directions::DirectionsWriter;
use super::evidence::EvidenceWriter;
use super::jsonl::JsonlWriter;
use super::manifest::{InputFile, Manifest, OntologyInfo, ProductFile, Records, Tool, rfc3339};
use super::matrix::{Layout, MatrixOptions, MatrixReport, MatrixWriter, Rows, Values};
use super::pubtator;
use super::report::{self, ReportCollector, ReportFiles, ReportPaths};
use super::spool::{CellReader, CellSpool, Dead, LiveReader, Ranges, ReadAt, Tally, temp_file};
use super::summary::SummaryWriter;
use super::trends::TrendsWriter;
use super::xlsx::{Book, SheetSink};
use super::{AtomicFile, CsvSink, Dialect, Digest, Mentioned, Notice, Sink, Tagged};
use crate::document::{Document, SectionKind};
use crate::input::digest::ReadDigests;
use crate::ontology::Ontology;
use crate::pipeline::{Article, ArticleSink, RunSummary};
use crate::tag::Stages;
use crate::tag::matcher::Mention;
use crate::tag::qualifiers::{Certainty, Polarity};

/// A table: a product written as CSV and as a sheet of the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// The concept-by-article matrix ([`super::matrix`]).
    Matrix,
    /// The matrix rolled up to categories ([`super::categories`]).
    Categories,
    /// One row per mention ([`super::evidence`]).
    Evidence,
    /// Articles mentioning both of two concepts ([`super::cooccurrence`]).
    Cooccurrence,
    /// Per-concept and per-category totals ([`super::summary`]).
    Summary,
    /// One row per article ([`super::articles`]).
    Articles,
    /// Articles and mentions per publication year ([`super::trends`]).
    Trends,
    /// Per article and category or concept, how its mentions are qualified
    /// ([`super::directions`]).
    Directions,
}

impl Table {
    /// Every table, in the order of the workbook's sheets.
    pub const ALL: [Table; 8] = [
        Table::Matrix,
        Table::Categories,
        Table::Evidence,
        Table::Cooccurrence,
        Table::Summary,
        Table::Articles,
        Table::Trends,
        Table::Directions,
    ];

    /// Its name (the workbook's sheet, the manifest's product).
    pub fn name(self) -> &'static str {
        match self {
            Table::Matrix => "matrix",
            Table::Categories => "categories",
            Table::Evidence => "evidence",
            Table::Cooccurrence => "cooccurrence",
            Table::Summary => "summary",
            Table::Articles => "articles",
            Table::Trends => "trends",
            Table::Directions => "directions",
        }
    }

    /// How many leading columns of its sheet identify a row, frozen with the header (the
    /// matrices say so themselves: their label columns come before the counts).
    pub fn label_columns(self) -> u16 {
        match self {
            Table::Matrix | Table::Categories | Table::Articles => 1,
            // article, concept
            Table::Evidence => 2,
            // level, id, label
            Table::Summary => 3,
            // level, a, b
            Table::Cooccurrence => 3,
            // year, level, id, label
            Table::Trends => 4,
            // article, level, id
            Table::Directions => 3,
        }
    }

    /// Rows written as articles arrive (else computed at the end from per-article digests).
    pub fn is_streaming(self) -> bool {
        matches!(self, Table::Evidence | Table::Articles | Table::Directions)
    }
}

/// Every product `tag` writes. A new product is a module of [`super`] with its writer, a variant
/// here, and its writer created in [`Products::create`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProductKind {
    /// A CSV table.
    Table(Table),
    /// One JSON object per article ([`super::jsonl`]).
    Jsonl,
    /// The workbook: every table as a sheet ([`super::xlsx`]).
    Xlsx,
    /// The report: one self-contained HTML page ([`super::report`]).
    Report,
    /// The report's figures, SVG files in a directory ([`super::figures`]).
    Figures,
    /// The texts the report is rebuilt from (`coagtag report`), gzipped JSON Lines.
    Texts,
    /// The run's manifest ([`super::manifest`]).
    Manifest,
    /// Every mention in PubTator format, unfiltered ([`super::pubtator`]).
    Pubtator,
}

impl ProductKind {
    /// Every product, in the order they are written (and listed in the manifest).
    pub const ALL: [ProductKind; 15] = [
        ProductKind::Table(Table::Matrix),
        ProductKind::Table(Table::Categories),
        ProductKind::Table(Table::Evidence),
        ProductKind::Table(Table::Cooccurrence),
        ProductKind::Table(Table::Summary),
        ProductKind::Table(Table::Articles),
        ProductKind::Table(Table::Trends),
        ProductKind::Table(Table::Directions),
        ProductKind::Jsonl,
        ProductKind::Xlsx,
        ProductKind::Report,
        ProductKind::Figures,
        ProductKind::Texts,
        ProductKind::Manifest,
        ProductKind::Pubtator,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ProductKind::Table(t) => t.name(),
            ProductKind::Jsonl => "jsonl",
            ProductKind::Xlsx => "xlsx",
            ProductKind::Report => "report",
            ProductKind::Figures => "figures",
            ProductKind::Texts => "texts",
            ProductKind::Manifest => "manifest",
            ProductKind::Pubtator => "pubtator",
        }
    }

    /// Its file name in an output directory of every product; `None`: written only when asked
    /// for by its own path.
    pub fn file_name(self) -> Option<&'static str> {
        match self {
            ProductKind::Table(Table::Matrix) => Some("matrix.csv"),
            ProductKind::Table(Table::Categories) => Some("categories.csv"),
            ProductKind::Table(Table::Evidence) => Some("evidence.csv"),
            ProductKind::Table(Table::Cooccurrence) => Some("cooccurrence.csv"),
            ProductKind::Table(Table::Summary) => Some("summary.csv"),
            ProductKind::Table(Table::Articles) => Some("articles.csv"),
            ProductKind::Table(Table::Trends) => Some("trends.csv"),
            ProductKind::Table(Table::Directions) => Some("directions.csv"),
            ProductKind::Xlsx => Some("matrix.xlsx"),
            ProductKind::Report => Some("report.html"),
            ProductKind::Figures => Some("figures"),
            ProductKind::Texts => Some("texts.jsonl.gz"),
            ProductKind::Manifest => Some("manifest.json"),
            ProductKind::Jsonl | ProductKind::Pubtator => None,
        }
    }

    /// Whether the path `-` sends it to standard output (a CSV table or JSONL; for PubTator `-`
    /// is a file name).
    pub fn can_go_to_stdout(self) -> bool {
        matches!(self, ProductKind::Table(_) | ProductKind::Jsonl)
    }

    /// Whether the manifest lists it.
    pub fn in_manifest(self) -> bool {
        self != ProductKind::Pubtator
    }

    /// Rows written as articles arrive, so a replaced or deleted article's rows are cut at the
    /// end.
    fn is_streaming(self) -> bool {
        match self {
            ProductKind::Table(t) => t.is_streaming(),
            ProductKind::Jsonl | ProductKind::Pubtator => true,
            ProductKind::Xlsx
            | ProductKind::Report
            | ProductKind::Figures
            | ProductKind::Texts
            | ProductKind::Manifest => false,
        }
    }

    fn index(self) -> usize {
        ProductKind::ALL
            .iter()
            .position(|&k| k == self)
            .expect("ALL lists every product")
    }
}

/// Where each product goes; a product without a path is not written. A path of `-` is standard
/// output (for one product at most).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductPaths {
    paths: [Option<PathBuf>; ProductKind::ALL.len()],
}

impl ProductPaths {
    /// Every product with a file name under that name in `dir` (JSONL and PubTator only when
    /// asked for).
    pub fn in_dir(dir: &Path) -> ProductPaths {
        let mut p = ProductPaths::default();
        for kind in ProductKind::ALL {
            if let Some(name) = kind.file_name() {
                p.set(kind, Some(dir.join(name)));
            }
        }
        p
    }

    pub fn get(&self, kind: ProductKind) -> Option<&PathBuf> {
        self.paths[kind.index()].as_ref()
    }

    /// Write `kind` to `path` (`None`: do not write it).
    pub fn set(&mut self, kind: ProductKind, path: Option<PathBuf>) {
        self.paths[kind.index()] = path;
    }

    /// The products asked for and their paths, in the order they are written.
    pub fn iter(&self) -> impl Iterator<Item = (ProductKind, &PathBuf)> {
        ProductKind::ALL.into_iter().filter_map(|k| self.get(k).map(|p| (k, p)))
    }

    /// Whether no product is asked for.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The tagging stages these products read, with `opts`. The concept matrix alone reads only
    /// which concepts each article mentions and how often, in which sections: no role, roll-up
    /// or qualifier, unless `--exclude` leaves mentions out by their qualifiers. Every other
    /// product shows roles or qualifiers, or rolls up by them, and needs every stage.
    /// (Without roles and qualifiers, plain-text tagging of pubmed21n1298's abstracts for the
    /// matrix alone took 0.26 G fewer of its 5.01 G instructions: BENCHMARKS.md, issue 19.)
    pub fn stages(&self, opts: &ProductOptions) -> Stages {
        let matrix_alone = !self.is_empty() && self.iter().all(|(kind, _)| kind == ProductKind::Table(Table::Matrix));
        let excluding = opts.exclude.negated || opts.exclude.hedged;
        if matrix_alone && !excluding {
            Stages::MENTIONS
        } else {
            Stages::ALL
        }
    }

    fn to_stdout(&self, kind: ProductKind) -> bool {
        kind.can_go_to_stdout() && self.get(kind).is_some_and(|p| p.as_os_str() == "-")
    }
}

/// Options that shape the products.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductOptions {
    pub dialect: Dialect,
    pub matrix: MatrixOptions,
    pub rollup: Rollup,
    /// Section names to keep (any case); `None` keeps all.
    pub sections: Option<Vec<String>>,
    /// Concept ids whose subtrees to keep; `None` keeps all.
    pub categories: Option<Vec<String>>,
    /// What the category-level products count ([`categories::RollupEvidence`]).
    pub rollup_evidence: categories::RollupEvidence,
    /// Mentions to leave out by their qualifiers.
    pub exclude: Exclude,
}

/// Mentions left out of every product (but PubTator's, which is unfiltered) by their qualifiers
/// ([`crate::tag::qualifiers`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exclude {
    pub negated: bool,
    pub hedged: bool,
}

impl Exclude {
    /// Whether a mention is left out.
    pub fn drops(self, m: &Mention) -> bool {
        (self.negated && m.qualifiers.polarity == Polarity::Negated)
            || (self.hedged && m.qualifiers.certainty == Certainty::Hedged)
    }

    /// What is left out, for the manifest: `["negated", "hedged"]`, or none.
    pub fn names(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.negated {
            out.push("negated");
        }
        if self.hedged {
            out.push("hedged");
        }
        out
    }
}

/// What the caller knows about the run, for the manifest.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub started: SystemTime,
    /// The input files read, after expanding directories.
    pub inputs: Vec<PathBuf>,
    /// Every option that changed the products, as the command names them.
    pub options: serde_json::Value,
    pub summary: RunSummary,
}

/// A problem writing products: options that cannot work together, or a file that cannot be
/// written.
#[derive(Debug)]
pub enum ProductError {
    /// More than one product for standard output, or one that cannot go there.
    Stdout {
        products: Vec<ProductKind>,
    },
    /// Metadata columns asked for in a matrix with concept rows.
    MetadataNeedsArticleRows,
    /// Categories to keep that are no concept of the ontology; `categories` are its top-level
    /// ones, for the message.
    UnknownCategories {
        unknown: Vec<String>,
        categories: Vec<String>,
    },
    /// Section names to keep that are no section kind and that no section of the run
    /// answered to, each with the closest names seen (nothing is written).
    UnknownSections {
        unknown: Vec<(String, Vec<String>)>,
    },
    /// More articles than the run can number.
    TooManyArticles,
    Io {
        path: String,
        source: io::Error,
    },
}

impl fmt::Display for ProductError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProductError::Stdout { products } => {
                let names: Vec<&str> = products.iter().map(|k| k.name()).collect();
                write!(
                    f,
                    "only one CSV or JSONL product can go to standard output (asked for: {})",
                    names.join(", ")
                )
            }
            ProductError::MetadataNeedsArticleRows => {
                write!(
                    f,
                    "metadata columns (year, journal, doi) need a matrix with article rows"
                )
            }
            ProductError::UnknownCategories { unknown, categories } => write!(
                f,
                "no concept {} (top-level categories: {})",
                unknown.join(", "),
                categories.join(", ")
            ),
            ProductError::UnknownSections { unknown } => {
                write!(f, "no section is named {}", named_with_closest(unknown))?;
                let kinds: Vec<&str> = SectionKind::ALL.iter().map(|k| k.name()).collect();
                write!(
                    f,
                    " (section kinds: {}; or labels as the input writes them, e.g. BACKGROUND); nothing was written",
                    kinds.join(", ")
                )
            }
            ProductError::TooManyArticles => {
                write!(
                    f,
                    "more than 4,294,967,295 articles in one run; split the input into several runs"
                )
            }
            // the cause follows through `source()`
            ProductError::Io { path, .. } => write!(f, "cannot write {path}"),
        }
    }
}

/// Names that matched nothing, each with the closest names: `"reslts" (closest: results)`.
pub fn named_with_closest(unknown: &[(String, Vec<String>)]) -> String {
    let parts: Vec<String> = unknown
        .iter()
        .map(|(w, close)| {
            if close.is_empty() {
                format!("{w:?}")
            } else {
                format!("{w:?} (closest: {})", close.join(", "))
            }
        })
        .collect();
    parts.join(", ")
}

impl std::error::Error for ProductError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProductError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err(path: &str) -> impl FnOnce(io::Error) -> ProductError + '_ {
    move |source| ProductError::Io {
        path: path.to_string(),
        source,
    }
}

/// A file product's destination.
enum Dest {
    File(AtomicFile),
    Stdout(io::Stdout),
    /// A streaming product for standard output: kept in a temporary file until the end, since
    /// a later record may replace or delete an article already written.
    Spill(BufWriter<File>, File),
}

impl Write for Dest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Dest::File(f) => f.write(buf),
            Dest::Stdout(s) => s.write(buf),
            Dest::Spill(w, _) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Dest::File(f) => f.write_all(buf),
            Dest::Stdout(s) => s.write_all(buf),
            Dest::Spill(w, _) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Dest::File(f) => f.flush(),
            Dest::Stdout(s) => s.flush(),
            Dest::Spill(w, _) => w.flush(),
        }
    }
}

/// A CSV file, a workbook sheet, or typed cells kept for a sheet until the end.
enum AnySink {
    Csv(Box<CsvSink<Tally<Dest>>>),
    Sheet(SheetSink),
    Spool(CellSpool),
}

impl AnySink {
    /// Bytes written so far (for the streaming products).
    fn position(&mut self) -> io::Result<u64> {
        match self {
            AnySink::Csv(c) => Ok(c.written()?.count()),
            AnySink::Sheet(_) => Ok(0),
            AnySink::Spool(s) => Ok(s.position()),
        }
    }
}

impl Sink for AnySink {
    fn text(&mut self, s: &str) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.text(s),
            AnySink::Sheet(x) => x.text(s),
            AnySink::Spool(x) => x.text(s),
        }
    }
    fn row(&mut self, texts: &[&str], counts: &[u32]) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.row(texts, counts),
            AnySink::Sheet(x) => x.row(texts, counts),
            AnySink::Spool(x) => x.row(texts, counts),
        }
    }
    fn int(&mut self, n: u64) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.int(n),
            AnySink::Sheet(x) => x.int(n),
            AnySink::Spool(x) => x.int(n),
        }
    }
    fn float(&mut self, x: f64) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.float(x),
            AnySink::Sheet(s) => s.float(x),
            AnySink::Spool(s) => s.float(x),
        }
    }
    fn end_row(&mut self) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.end_row(),
            AnySink::Sheet(x) => x.end_row(),
            AnySink::Spool(x) => x.end_row(),
        }
    }
    fn numeric_block(&mut self, first_row: u32, first_col: u16) {
        match self {
            AnySink::Csv(c) => c.numeric_block(first_row, first_col),
            AnySink::Sheet(x) => x.numeric_block(first_row, first_col),
            AnySink::Spool(x) => x.numeric_block(first_row, first_col),
        }
    }
    fn finish(&mut self) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.finish(),
            AnySink::Sheet(x) => x.finish(),
            AnySink::Spool(x) => x.finish(),
        }
    }
}

enum Writer<'o> {
    // aggregates: fed at the end from the ledger, with the live articles only
    Matrix(MatrixWriter<AnySink>),
    Categories(MatrixWriter<AnySink>),
    Cooccurrence(CooccurrenceWriter<'o, AnySink>),
    Summary(SummaryWriter<AnySink>),
    Trends(TrendsWriter<AnySink>),
    // streaming: fed as articles arrive
    Evidence(EvidenceWriter<'o, AnySink>),
    Articles(ArticlesWriter<'o, AnySink>),
    Directions(DirectionsWriter<AnySink>),
    Jsonl(JsonlWriter<'o, Tally<Dest>>),
    Pubtator(Tally<Dest>),
}

impl Writer<'_> {
    /// Bytes written so far, for a streaming product.
    fn position(&mut self) -> io::Result<u64> {
        match self {
            Writer::Evidence(w) => w.sink_mut().position(),
            Writer::Articles(w) => w.sink_mut().position(),
            Writer::Directions(w) => w.sink_mut().position(),
            Writer::Jsonl(w) => Ok(w.get_ref().count()),
            Writer::Pubtator(w) => Ok(w.count()),
            _ => Ok(0),
        }
    }

    fn is_streaming(&self) -> bool {
        matches!(
            self,
            Writer::Evidence(_) | Writer::Articles(_) | Writer::Directions(_) | Writer::Jsonl(_) | Writer::Pubtator(_)
        )
    }
}

struct Running<'o> {
    /// The file or `sheet NAME of FILE`, for messages.
    name: String,
    product: ProductKind,
    /// A sheet of the workbook (not a file of its own).
    in_book: bool,
    writer: Writer<'o>,
    /// Where each article's rows are (streaming products).
    ranges: Ranges,
    /// The sheet a streaming product's spooled cells go to at the end.
    sheet: Option<SheetSink>,
}

/// What a finished set of products reports.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    /// Things to tell the user (layout switches, filters that matched nothing).
    pub notes: Vec<Notice>,
    /// The matrix as written, when one was.
    pub matrix: Option<MatrixReport>,
    pub articles: usize,
    pub mentions: usize,
}

/// The products of one run (see the module documentation).
pub struct Products<'o> {
    ontology: &'o Ontology,
    paths: ProductPaths,
    opts: ProductOptions,
    keep: Vec<bool>,
    sections: Option<Vec<String>>,
    /// For each `--sections` name, whether some section of some article answered to it.
    sections_matched: Vec<bool>,
    /// Distinct section names and headings seen (up to [`NAMES_KEPT`]), for the closest names
    /// to a `--sections` name that matched nothing.
    names_seen: BTreeSet<String>,
    running: Vec<Running<'o>>,
    book: Option<(Book, AtomicFile, String)>,
    manifest: Option<(AtomicFile, String)>,
    scratch: Vec<Mention>,
    /// The sentence of each mention kept ([`Tagged::sentences`]) and the sentences of each
    /// section (scratch).
    sentences: Vec<String>,
    spans: Vec<Option<Vec<(usize, usize)>>>,
    /// Per-article digests for the aggregate products, in sequence order.
    ledger: CellSpool,
    ledger_ranges: Ranges,
    /// The articles replaced or deleted, known at the end of the run.
    dead: Dead,
    /// Where the temporary files go.
    spool_dir: Option<PathBuf>,
    seq: u32,
    /// The first error while streaming (see [`ArticleSink`]).
    failed: Option<ProductError>,
    /// The report, its figures and texts, when asked for.
    report: Option<ReportCollector<'o>>,
    /// What the caller adds to the run (see [`Products::commit_with`]).
    extra: Extra,
    /// Some product shows the characters of an article's counted sections: the densities of
    /// `--values density` (the matrices, from the digests) or the articles table. Else they
    /// are not counted (the digests say 0: 23.6 M instructions of the 2,180 M of tagging
    /// pubmed21n1298's text, BENCHMARKS.md, "areader").
    count_chars: bool,
}

/// What the caller adds to a run's products: files committed with them, the inputs' sizes
/// and checksums when they were taken earlier (a merged run: its inputs need not be there
/// any more), and warnings for the manifest.
#[derive(Default)]
struct Extra {
    files: Vec<AtomicFile>,
    inputs: Option<Vec<InputFile>>,
    warnings: Vec<String>,
}

impl<'o> Products<'o> {
    /// Check the options and open every product file.
    pub fn create(ontology: &'o Ontology, paths: ProductPaths, opts: ProductOptions) -> Result<Self, ProductError> {
        let keep = concept_filter(ontology, opts.categories.as_deref())?;
        // `-` is standard output for a CSV or JSONL product, and for one only
        let stdout: Vec<ProductKind> = paths
            .iter()
            .filter(|(k, p)| k.in_manifest() && p.as_os_str() == "-")
            .map(|(k, _)| k)
            .collect();
        if stdout.len() > 1 || stdout.iter().any(|k| !k.can_go_to_stdout()) {
            return Err(ProductError::Stdout { products: stdout });
        }
        if opts.matrix.layout == Layout::Concepts && opts.matrix.metadata {
            return Err(ProductError::MetadataNeedsArticleRows);
        }
        // temporary files go next to the products, so they never fill a memory-backed /tmp
        let spool_dir: Option<PathBuf> =
            paths
                .iter()
                .map(|(_, p)| p)
                .find(|p| p.as_os_str() != "-")
                .map(|p| match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                });
        let spool = |what: &str| -> Result<CellSpool, ProductError> {
            CellSpool::new(spool_dir.as_deref()).map_err(|e| ProductError::Io {
                path: format!(
                    "a temporary file for {what} in {}",
                    spool_dir
                        .as_deref()
                        .map_or_else(|| "the temporary directory".into(), |d| d.display().to_string())
                ),
                source: e,
            })
        };
        let mut p = Products {
            ontology,
            keep,
            sections: opts.sections.as_ref().map(|v| {
                v.iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }),
            sections_matched: vec![false; opts.sections.as_ref().map_or(0, Vec::len)],
            names_seen: BTreeSet::new(),
            paths: paths.clone(),
            opts,
            running: Vec::new(),
            book: None,
            manifest: None,
            scratch: Vec::new(),
            sentences: Vec::new(),
            spans: Vec::new(),
            ledger: spool("the per-article counts")?,
            ledger_ranges: Ranges::new(spool_dir.as_deref()),
            dead: Dead::default(),
            spool_dir: spool_dir.clone(),
            seq: 0,
            failed: None,
            report: None,
            extra: Extra::default(),
            count_chars: false,
        };
        for (kind, path) in paths.iter() {
            let shown = path.display().to_string();
            match kind {
                ProductKind::Xlsx => {
                    let f = create_file(path)?;
                    let book = Book::with_constant_memory(spool_dir.as_deref());
                    for (i, table) in Table::ALL.into_iter().enumerate() {
                        let name = table.name();
                        let (sink, sheet) = if table.is_streaming() {
                            (
                                AnySink::Spool(spool(&format!("sheet {name} of {shown}"))?),
                                Some(book.sheet(name, i).with_label_columns(table.label_columns())),
                            )
                        } else {
                            (
                                AnySink::Sheet(book.sheet(name, i).with_label_columns(table.label_columns())),
                                None,
                            )
                        };
                        let mut w = p.writer(table, sink, spool_dir.as_deref()).map_err(io_err(&shown))?;
                        if let Writer::Matrix(m) | Writer::Categories(m) = &mut w {
                            // a sheet cannot hold more columns than Excel: let `auto` decide
                            m.relayout_for_sheet();
                        }
                        let mut ranges = Ranges::new(spool_dir.as_deref());
                        ranges.header_done(w.position().map_err(io_err(&shown))?);
                        p.running.push(Running {
                            name: format!("sheet {name} of {shown}"),
                            product: ProductKind::Table(table),
                            in_book: true,
                            writer: w,
                            ranges,
                            sheet,
                        });
                    }
                    p.book = Some((book, f, shown));
                }
                ProductKind::Manifest => {
                    let f = create_file(path)?;
                    p.manifest = Some((f, shown));
                }
                // made by the report collector below
                ProductKind::Report | ProductKind::Figures | ProductKind::Texts => {}
                ProductKind::Table(_) | ProductKind::Jsonl | ProductKind::Pubtator => {
                    let dest = if paths.to_stdout(kind) {
                        if kind.is_streaming() {
                            let file = spool_file(spool_dir.as_deref())?;
                            let w = BufWriter::with_capacity(256 * 1024, file.try_clone().map_err(io_err(&shown))?);
                            Dest::Spill(w, file)
                        } else {
                            Dest::Stdout(io::stdout())
                        }
                    } else {
                        Dest::File(create_file(path)?)
                    };
                    let dest = Tally::new(dest);
                    let mut w = if let ProductKind::Table(table) = kind {
                        let sink = CsvSink::new(dest, p.opts.dialect).map_err(io_err(&shown))?;
                        p.writer(table, AnySink::Csv(Box::new(sink)), spool_dir.as_deref())
                            .map_err(io_err(&shown))?
                    } else if kind == ProductKind::Jsonl {
                        Writer::Jsonl(JsonlWriter::new(dest, ontology))
                    } else {
                        Writer::Pubtator(dest)
                    };
                    let mut ranges = Ranges::new(spool_dir.as_deref());
                    ranges.header_done(w.position().map_err(io_err(&shown))?);
                    p.running.push(Running {
                        name: shown,
                        product: kind,
                        in_book: false,
                        writer: w,
                        ranges,
                        sheet: None,
                    });
                }
            }
        }
        let report = ReportPaths {
            report: paths.get(ProductKind::Report).cloned(),
            figures: paths.get(ProductKind::Figures).cloned(),
            texts: paths.get(ProductKind::Texts).cloned(),
        };
        if report.any() {
            let files = ReportFiles::create(&report).map_err(|(path, e)| ProductError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            let collector = ReportCollector::new(ontology, p.opts.rollup, &p.keep, files, spool_dir.as_deref())
                .map_err(io_err("a temporary file for the report"))?;
            p.report = Some(collector);
        }
        p.count_chars = p.opts.matrix.values == Values::Density
            || p.running.iter().any(|r| matches!(r.writer, Writer::Articles(_)));
        Ok(p)
    }

    /// The writer of a table; a large matrix spills its columns to a file in `spill_dir`.
    fn writer(&self, table: Table, sink: AnySink, spill_dir: Option<&Path>) -> io::Result<Writer<'o>> {
        let ont = self.ontology;
        Ok(match table {
            Table::Matrix => {
                let mut rows = Rows::concepts(ont);
                rows.retain_concepts(&self.keep);
                let mut w = MatrixWriter::new(sink, rows, self.opts.matrix);
                w.spill_in(spill_dir);
                Writer::Matrix(w)
            }
            Table::Categories => {
                let mut w = categories::writer(sink, ont, self.opts.rollup, &self.keep, self.opts.matrix);
                w.spill_in(spill_dir);
                Writer::Categories(w)
            }
            Table::Evidence => Writer::Evidence(EvidenceWriter::new(sink, ont)?),
            Table::Cooccurrence => Writer::Cooccurrence(CooccurrenceWriter::new(sink, ont)),
            Table::Summary => Writer::Summary(SummaryWriter::new(sink, ont, self.opts.rollup, &self.keep)),
            Table::Articles => Writer::Articles(ArticlesWriter::new(sink, ont)?),
            Table::Trends => Writer::Trends(TrendsWriter::new(sink, ont, self.opts.rollup, &self.keep)),
            Table::Directions => Writer::Directions(DirectionsWriter::new(sink, ont, self.opts.rollup)?),
        })
    }

    /// Feed one article (in input order) to every product. Which articles a later one replaced
    /// or a delete record removed is told at the end ([`ArticleSink::dead`]).
    pub fn add(&mut self, doc: &Document, mentions: &[Mention]) -> Result<(), ProductError> {
        let seq = self.seq;
        self.seq = seq.checked_add(1).ok_or(ProductError::TooManyArticles)?;
        self.scratch.clear();
        // which sections count: all, or those --sections names (by kind, name or heading)
        let counted: Vec<bool> = match &self.sections {
            None => vec![true; doc.sections.len()],
            Some(want) => {
                for sec in &doc.sections {
                    if self.names_seen.len() < NAMES_KEPT && !self.names_seen.contains(&sec.name) {
                        self.names_seen.insert(sec.name.clone());
                        self.names_seen.insert(sec.heading().to_string());
                    }
                }
                doc.sections
                    .iter()
                    .map(|sec| {
                        let mut any = false;
                        for (w, matched) in want.iter().zip(self.sections_matched.iter_mut()) {
                            if sec.is_named(w) {
                                *matched = true;
                                any = true;
                            }
                        }
                        any
                    })
                    .collect()
            }
        };
        let chars: u64 = if self.count_chars {
            doc.sections
                .iter()
                .zip(&counted)
                .filter(|(_, c)| **c)
                .map(|(sec, _)| sec.text.chars().count() as u64)
                .sum()
        } else {
            0
        };
        self.scratch.extend(
            mentions
                .iter()
                .filter(|m| self.keep[m.concept.index()] && counted[m.section as usize] && !self.opts.exclude.drops(m)),
        );
        if self.opts.rollup_evidence == categories::RollupEvidence::Mentions {
            // the plain roll-up: every mention counts, and its evidence row says so
            for m in &mut self.scratch {
                m.evidence.in_rollup = true;
            }
        }
        // the evidence's sentences once, for every product that shows them
        let shown = self.report.is_some() || self.running.iter().any(|r| matches!(r.writer, Writer::Evidence(_)));
        if shown {
            super::evidence::sentences(
                Tagged {
                    doc,
                    mentions: &self.scratch,
                    sentences: &[],
                },
                &mut self.spans,
                &mut self.sentences,
            );
        } else {
            self.sentences.clear();
        }
        let art = Tagged {
            doc,
            mentions: &self.scratch,
            sentences: &self.sentences,
        };
        write_digest(&mut self.ledger, &Digest::of(art, chars))
            .and_then(|_| self.ledger_ranges.push(self.ledger.position()))
            .map_err(|e| ProductError::Io {
                path: "a temporary file of per-article counts".into(),
                source: e,
            })?;
        if let Some(r) = &mut self.report {
            r.add(art).map_err(io_err("the report's temporary file"))?;
        }
        for r in &mut self.running {
            if !r.writer.is_streaming() {
                continue;
            }
            let res = match &mut r.writer {
                Writer::Evidence(w) => w.add(art),
                Writer::Articles(w) => w.add(art, chars),
                Writer::Directions(w) => w.add(art),
                Writer::Jsonl(w) => w.add(art),
                Writer::Pubtator(w) => pubtator::write_document(w, self.ontology, doc, mentions),
                _ => Ok(()),
            };
            res.and_then(|_| r.writer.position())
                .and_then(|at| r.ranges.push(at))
                .map_err(io_err(&r.name))?;
        }
        Ok(())
    }

    /// Commit `file` together with the products, after them (a run's state,
    /// [`super::run_state`]).
    pub fn commit_with(&mut self, file: AtomicFile) {
        self.extra.files.push(file);
    }

    /// The inputs as they were when read (size and checksum), for the manifest and the report,
    /// instead of reading them again at the end.
    pub fn set_inputs(&mut self, inputs: Vec<InputFile>) {
        self.extra.inputs = Some(inputs);
    }

    /// The warnings the manifest lists.
    pub fn set_warnings(&mut self, warnings: Vec<String>) {
        self.extra.warnings = warnings;
    }

    /// Write the rest, the workbook and the manifest, then move every file into place.
    pub fn finish(mut self, run: RunInfo) -> Result<Finished, ProductError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let mut done = Finished::default();
        if let Some(want) = &self.sections {
            let unknown: Vec<&String> = want
                .iter()
                .zip(&self.sections_matched)
                .filter(|(w, matched)| !**matched && SectionKind::from_name(w).is_none())
                .map(|(w, _)| w)
                .collect();
            if !unknown.is_empty() {
                return Err(unknown_sections(&unknown, &self.names_seen));
            }
            for (w, matched) in want.iter().zip(&self.sections_matched) {
                if !matched {
                    done.notes.push(Notice::NoSectionOfKind { kind: w.to_lowercase() });
                }
            }
        }
        let report = self.report.take();
        let ledger = std::mem::replace(
            &mut self.ledger,
            CellSpool::new(None).map_err(io_err("a temporary file"))?,
        );
        let ledger_err = io_err("a temporary file of per-article counts");
        let file = ledger.into_file().map_err(ledger_err)?;
        // Each product is finished on a thread of its own (the matrices of a large run take a
        // while to write); results are taken in product order, so notes and files come out in
        // the same order whatever finishes first. The manifest's input checksums are read at
        // the same time.
        let dead = &self.dead;
        let ledger_ranges = &self.ledger_ranges;
        let ontology = self.ontology;
        let want_checksums = self.manifest.is_some();
        let known = self.extra.inputs.take();
        let extra = std::mem::take(&mut self.extra.files);
        let book = self.book.take();
        // the aggregates read the digests first; the streaming products have all they need
        let (aggregates, streaming): (Vec<_>, Vec<_>) = self
            .running
            .into_iter()
            .enumerate()
            .partition(|(_, r)| !r.writer.is_streaming());
        let s = &run.summary;
        let records = |articles, mentions| Records {
            files: s.files,
            failed_files: s.failed_files,
            empty_files: s.empty_files,
            read: s.documents,
            skipped: s.skipped,
            deleted: s.deleted,
            replaced: s.replaced,
            articles,
            mentions,
        };
        let (parts, checksums, report, saved, extra) = std::thread::scope(|scope| {
            let file = &file;
            // The report first, the longest work of the end: it reads the digests itself (its
            // texts are compressed meanwhile).
            let run = &run;
            let report = report.map(|mut r| {
                let known = known.clone();
                scope.spawn(move || {
                    let (articles, mentions) = replay_digests(file, ledger_ranges, dead, &mut |d| r.add_digest(d))?;
                    let records = records(articles, mentions);
                    let facts = match &known {
                        Some(k) => report::facts_of_inputs(k, &run.options, &records, ontology),
                        None => report::facts_of_run(&run.inputs, &run.options, &records, ontology),
                    };
                    r.finish(dead, facts).and_then(synced)
                })
            });
            // the files the caller added (the run's state) go to disk meanwhile
            let extra = scope.spawn(move || synced(extra));
            let mut handles = Vec::new();
            let mut sheets = Vec::new();
            let mut spawn = |(i, r): (usize, Running<'o>)| {
                let to = if r.in_book { &mut sheets } else { &mut handles };
                to.push((i, scope.spawn(move || finish_running(r, dead))));
            };
            // The streaming products start at once: the workbook's sheets replayed from their
            // spools (the evidence, the articles) are the longest work of the end, and the
            // workbook is zipped after them. Meanwhile the aggregates are handed the digests
            // of the live articles, and start once they have them all.
            streaming.into_iter().for_each(&mut spawn);
            // The digests are read by two threads at once (three with the report's): one hands
            // them to the matrices (the most work), this one to the other aggregates. When only
            // the matrices take them, they are read once, and counted on the matrices' thread
            // (a second reading only to count the articles and mentions took 46 M instructions
            // of the 2,180 M of tagging pubmed21n1298's text, BENCHMARKS.md, "areader").
            let (mut matrices, mut others): (Vec<_>, Vec<_>) = aggregates
                .into_iter()
                .partition(|(_, r)| matches!(r.writer, Writer::Matrix(_) | Writer::Categories(_)));
            let matrices = (!matrices.is_empty()).then(|| {
                scope.spawn(move || {
                    replay_digests(file, ledger_ranges, dead, &mut |d| {
                        for (_, r) in &mut matrices {
                            if let Writer::Matrix(w) | Writer::Categories(w) = &mut r.writer {
                                w.add_digest(d);
                            }
                        }
                    })
                    .map(|counted| (matrices, counted))
                })
            });
            let counted = (matrices.is_none() || !others.is_empty()).then(|| {
                replay_digests(file, ledger_ranges, dead, &mut |d| {
                    for (_, r) in &mut others {
                        match &mut r.writer {
                            Writer::Cooccurrence(w) => w.add_digest(d),
                            Writer::Summary(w) => w.add_digest(d),
                            Writer::Trends(w) => w.add_digest(d),
                            _ => {}
                        }
                    }
                })
            });
            let ledger_err = || io_err("a temporary file of per-article counts");
            let counted = counted.transpose().map_err(ledger_err())?;
            let (mut aggregates, counted_there) = match matrices {
                Some(h) => {
                    let (matrices, counted) = join(h).map_err(ledger_err())?;
                    (matrices, Some(counted))
                }
                None => (Vec::new(), None),
            };
            let (articles, mentions) = counted
                .or(counted_there)
                .expect("the digests are read on one thread or the other");
            aggregates.append(&mut others);
            let records = records(articles, mentions);
            let checksums = want_checksums.then(|| {
                scope.spawn(|| match known {
                    Some(k) => Ok(k),
                    None => input_checksums(&run.inputs, None),
                })
            });
            aggregates.into_iter().for_each(&mut spawn);
            // The workbook is zipped as soon as its sheets are done, beside the products still
            // being finished (the report, the matrices), not after them all.
            let book = book.map(|(book, mut f, shown)| {
                scope.spawn(move || {
                    let parts: Vec<(usize, Result<Part, ProductError>)> =
                        sheets.into_iter().map(|(i, h)| (i, join(h))).collect();
                    let saved = parts.iter().all(|(_, p)| p.is_ok()).then(|| {
                        // the notes once every sheet is finished
                        let notes = book.notes();
                        book.save_to(&mut f)
                            .and_then(|_| f.sync())
                            .map(|_| (notes, f))
                            .map_err(io_err(&shown))
                    });
                    (parts, saved)
                })
            });
            let mut parts: Vec<(usize, Result<Part, ProductError>)> =
                handles.into_iter().map(|(i, h)| (i, join(h))).collect();
            let checksums = checksums.map(join);
            let report = report.map(join);
            let saved = book.map(|h| {
                let (sheet_parts, saved) = join(h);
                parts.extend(sheet_parts);
                saved
            });
            // in product order, whatever finished first
            parts.sort_by_key(|(i, _)| *i);
            done.articles = articles;
            done.mentions = mentions;
            Ok((parts, checksums, report, saved.flatten(), (join(extra), records)))
        })?;
        let (extra, records) = extra;
        let mut files: Vec<AtomicFile> = Vec::new();
        for (_, part) in parts {
            let part = part?;
            done.notes.extend(part.note);
            if part.matrix.is_some() {
                done.matrix = part.matrix;
            }
            files.extend(part.files);
        }
        if let Some(r) = report {
            files.extend(r.map_err(io_err("the report"))?);
        }
        if let Some(saved) = saved {
            let (notes, f) = saved?;
            done.notes.extend(notes);
            files.push(f);
        }
        if let Some((mut f, shown)) = self.manifest {
            let inputs = checksums.expect("read when there is a manifest")?;
            let manifest = Manifest {
                tool: Tool::default(),
                started: rfc3339(run.started),
                finished: rfc3339(SystemTime::now()),
                ontology: OntologyInfo::of(self.ontology),
                inputs,
                options: run.options,
                records,
                products: self
                    .paths
                    .iter()
                    .filter(|(kind, _)| kind.in_manifest())
                    .map(|(kind, p)| ProductFile {
                        product: kind.name(),
                        path: p.display().to_string(),
                    })
                    .collect(),
                warnings: std::mem::take(&mut self.extra.warnings),
            };
            serde_json::to_writer_pretty(&mut f, &manifest)
                .map_err(io::Error::other)
                .and_then(|_| f.write_all(b"\n"))
                .map_err(io_err(&shown))?;
            files.push(f);
        }
        files.extend(extra.map_err(io_err("the run's state"))?);
        // every product is complete: now they appear, together
        AtomicFile::commit_all(files).map_err(|(target, source)| ProductError::Io {
            path: target.display().to_string(),
            source,
        })?;
        Ok(done)
    }
}

/// The products as the sink of a run ([`crate::pipeline::for_each_article`]): the first error
/// stops the run and is returned by [`Products::finish`].
impl ArticleSink for Products<'_> {
    fn add(&mut self, article: Article) {
        self.add_ref(&article);
    }

    fn add_ref(&mut self, article: &Article) {
        if self.failed.is_none()
            && let Err(e) = Products::add(self, &article.doc, &article.mentions)
        {
            self.failed = Some(e);
        }
    }

    fn dead(&mut self, dead: Dead) {
        self.dead = dead;
    }

    fn spill_dir(&self) -> Option<&Path> {
        self.spool_dir.as_deref()
    }

    fn keep_going(&self) -> bool {
        self.failed.is_none()
    }
}

/// The result of a scoped thread; its panic goes on.
fn join<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// A streaming product's file, complete: committed as written when no article died, else
/// copied once without the dead articles' rows; standard output gets the live rows.
/// What finishing one product gives back to [`Products::finish`].
#[derive(Default)]
struct Part {
    files: Vec<AtomicFile>,
    note: Option<Notice>,
    matrix: Option<MatrixReport>,
}

/// Write the rest of one product (the aggregates from their digests, the spooled rows of a
/// streaming one without the replaced and deleted articles) and hand back its file.
fn finish_running(r: Running<'_>, dead: &Dead) -> Result<Part, ProductError> {
    let name = r.name.clone();
    let mut part = write_rest(r, dead)?;
    part.files = synced(part.files).map_err(io_err(&name))?;
    Ok(part)
}

/// Hand every digest of the live articles in `file` (the ledger) to `each`, in sequence
/// order; the articles and mentions counted.
fn replay_digests(
    file: &File,
    ranges: &Ranges,
    dead: &Dead,
    each: &mut dyn FnMut(&Digest),
) -> io::Result<(usize, usize)> {
    let mut cells = CellReader::new(BufReader::with_capacity(
        64 * 1024,
        LiveReader::new(ReadAt::new(file), ranges, dead),
    ));
    let (mut articles, mut mentions) = (0, 0);
    let mut d = Digest::default();
    while read_digest(&mut cells, &mut d)? {
        articles += 1;
        mentions += d.mentions.iter().map(|m| m.count as usize).sum::<usize>();
        each(&d);
    }
    Ok((articles, mentions))
}

/// The files, each flushed and synced ([`AtomicFile::sync`]): on the thread that finished
/// them, beside the products still being written, so that the commit only renames.
///
/// Several files are synced at once, each on a thread: the file system can commit their data
/// together instead of one after the other (the report's six files, synced in turn, took
/// 0.026-0.032 s at the end of pubmed21n1298's run, its last work).
fn synced(mut files: Vec<AtomicFile>) -> io::Result<Vec<AtomicFile>> {
    if files.len() < 2 {
        files.iter_mut().try_for_each(AtomicFile::sync)?;
        return Ok(files);
    }
    std::thread::scope(|scope| {
        let syncs: Vec<_> = files.iter_mut().map(|f| scope.spawn(move || f.sync())).collect();
        syncs.into_iter().try_for_each(join)
    })?;
    Ok(files)
}

/// [`finish_running`] without the sync: the rest of the product written.
fn write_rest(r: Running<'_>, dead: &Dead) -> Result<Part, ProductError> {
    let mut part = Part::default();
    let name = r.name;
    let ranges = &r.ranges;
    let streaming = r.writer.is_streaming();
    let sink = match r.writer {
        Writer::Matrix(w) | Writer::Categories(w) => {
            let (sink, report) = w.finish().map_err(io_err(&name))?;
            if r.product == ProductKind::Table(Table::Matrix) && !r.in_book {
                part.note = report.note.clone();
                part.matrix = Some(report);
            }
            sink
        }
        Writer::Evidence(w) => w.finish().map_err(io_err(&name))?,
        Writer::Cooccurrence(w) => w.finish().map_err(io_err(&name))?,
        Writer::Summary(w) => w.finish().map_err(io_err(&name))?,
        Writer::Trends(w) => w.finish().map_err(io_err(&name))?,
        Writer::Articles(w) => w.finish().map_err(io_err(&name))?,
        Writer::Directions(w) => w.finish().map_err(io_err(&name))?,
        Writer::Jsonl(w) => {
            let dest = w.finish().map_err(io_err(&name))?;
            settle(dest.into_inner(), ranges, dead, &mut part.files).map_err(io_err(&name))?;
            return Ok(part);
        }
        Writer::Pubtator(w) => {
            settle(w.into_inner(), ranges, dead, &mut part.files).map_err(io_err(&name))?;
            return Ok(part);
        }
    };
    match sink {
        AnySink::Csv(c) => {
            let dest = c.into_inner().map_err(io_err(&name))?.into_inner();
            if streaming {
                settle(dest, ranges, dead, &mut part.files).map_err(io_err(&name))?;
            } else {
                // an aggregate, written from the live articles only
                settle(dest, ranges, &Dead::default(), &mut part.files).map_err(io_err(&name))?;
            }
        }
        AnySink::Spool(spool) => {
            let mut sheet = r.sheet.expect("a spooled product has a sheet");
            let file = spool.into_file().map_err(io_err(&name))?;
            CellReader::new(BufReader::with_capacity(64 * 1024, LiveReader::new(file, ranges, dead)))
                .replay(&mut sheet)
                .and_then(|_| sheet.finish())
                .map_err(io_err(&name))?;
        }
        AnySink::Sheet(_) => {}
    }
    Ok(part)
}

/// The manifest's record of each input: its path as given, size and SHA-256 (for the manifest,
/// and for the end of a run's state): as hashed while the run read it (`read`), or else read
/// again from disk.
pub fn input_checksums(inputs: &[PathBuf], read: Option<&ReadDigests>) -> Result<Vec<InputFile>, ProductError> {
    inputs
        .iter()
        .map(|p| {
            if let Some((bytes, sha)) = read.and_then(|r| r.get(p)) {
                return Ok(InputFile {
                    path: p.display().to_string(),
                    bytes: Some(bytes),
                    sha256: Some(sha),
                });
            }
            InputFile::of(p).map_err(|source| ProductError::Io {
                path: format!("{} (reading it again for its checksum)", p.display()),
                source,
            })
        })
        .collect()
}

fn settle(dest: Dest, ranges: &Ranges, dead: &Dead, files: &mut Vec<AtomicFile>) -> io::Result<()> {
    match dest {
        Dest::File(f) if dead.count() == 0 => files.push(f),
        Dest::File(mut f) => {
            let src = f.reopen()?;
            let mut g = AtomicFile::create(f.target())?;
            io::copy(&mut LiveReader::new(src, ranges, dead), &mut g)?;
            files.push(g);
            // dropping `f` removes its temporary file
        }
        Dest::Spill(mut w, mut file) => {
            w.flush()?;
            drop(w);
            file.seek(SeekFrom::Start(0))?;
            let out = io::stdout();
            let mut out = out.lock();
            io::copy(&mut LiveReader::new(file, ranges, dead), &mut out)?;
            out.flush()?;
        }
        Dest::Stdout(mut s) => s.flush()?,
    }
    Ok(())
}

/// A digest in the ledger: id, year, journal, DOI, full text (0/1), characters, then (concept,
/// text, section kind, count) per distinct mention.
fn write_digest(w: &mut CellSpool, d: &Digest) -> io::Result<()> {
    w.text(&d.id)?;
    for m in &d.meta {
        w.text(m)?;
    }
    w.int(u64::from(d.full_text))?;
    w.int(d.chars)?;
    w.int(d.mentions.len() as u64)?;
    for m in &d.mentions {
        w.int(u64::from(m.concept))?;
        w.text(&m.text)?;
        w.int(m.kind as u64)?;
        w.int(u64::from(m.in_rollup))?;
        w.int(u64::from(m.count))?;
    }
    w.end_row()
}

/// Read the next digest of the ledger into `d`, its strings and mentions reused (a digest
/// made anew for each article, a string for each text: 31 M instructions of the 109 M the
/// ledger's two readings took for pubmed21n1298's text, BENCHMARKS.md, "areader"); false at
/// the end.
fn read_digest<R: io::BufRead>(r: &mut CellReader<R>, d: &mut Digest) -> io::Result<bool> {
    fn corrupt() -> io::Error {
        io::Error::other("the temporary file of per-article counts is corrupt")
    }
    let text = |r: &mut CellReader<R>, to: &mut String| match r.text_into(to, corrupt)? {
        true => Ok(()),
        false => Err(corrupt()),
    };
    if !r.text_into(&mut d.id, corrupt)? {
        return Ok(false);
    }
    for m in &mut d.meta {
        text(r, m)?;
    }
    d.full_text = r.int(corrupt)? == 1;
    d.chars = r.int(corrupt)?;
    let n = usize::try_from(r.int(corrupt)?).map_err(|_| corrupt())?;
    for i in 0..n {
        let concept = r.int(corrupt)? as u32;
        if i == d.mentions.len() {
            d.mentions.push(Mentioned {
                concept,
                text: String::new(),
                kind: SectionKind::ALL[0],
                in_rollup: false,
                count: 0,
            });
        }
        let m = &mut d.mentions[i];
        m.concept = concept;
        text(r, &mut m.text)?;
        m.kind = *SectionKind::ALL.get(r.int(corrupt)? as usize).ok_or_else(corrupt)?;
        m.in_rollup = r.int(corrupt)? == 1;
        m.count = r.int(corrupt)? as u32;
    }
    d.mentions.truncate(n);
    r.end_row(corrupt)?;
    Ok(true)
}

/// How many distinct section names a run keeps for the closest-name suggestions.
const NAMES_KEPT: usize = 10_000;

/// The error for section names that are no kind and that no section answered to, with the
/// closest names (kinds, section names and headings seen) for each.
fn unknown_sections(unknown: &[&String], seen: &BTreeSet<String>) -> ProductError {
    let kinds: Vec<&str> = SectionKind::ALL.iter().map(|k| k.name()).collect();
    let candidates: BTreeSet<&str> = kinds.iter().copied().chain(seen.iter().map(String::as_str)).collect();
    ProductError::UnknownSections {
        unknown: unknown
            .iter()
            .map(|w| {
                let close = closest(w, candidates.iter().copied(), 3);
                (w.to_string(), close.into_iter().map(String::from).collect())
            })
            .collect(),
    }
}

/// The `n` names closest to `word` (case-insensitive edit distance, at most a third of the
/// longer one's length), closest first, ties in name order.
fn closest<'a>(word: &str, names: impl Iterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let w = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|name| {
            let d = strsim::levenshtein(&w, &name.to_lowercase());
            let longer = w.chars().count().max(name.chars().count());
            (d * 3 <= longer.max(3)).then_some((d, name))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1.eq_ignore_ascii_case(b.1));
    scored.into_iter().take(n).map(|(_, name)| name).collect()
}

/// An unnamed temporary file for a streaming product to standard output.
fn spool_file(dir: Option<&Path>) -> Result<File, ProductError> {
    temp_file(dir).map_err(|e| ProductError::Io {
        path: format!(
            "a temporary file in {}",
            dir.map_or_else(|| "the temporary directory".into(), |d| d.display().to_string())
        ),
        source: e,
    })
}

/// Open a product file, with a message that says what to check.
fn create_file(path: &Path) -> Result<AtomicFile, ProductError> {
    AtomicFile::create(path).map_err(|e| ProductError::Io {
        path: path.display().to_string(),
        source: io::Error::new(
            e.kind(),
            format!(
                "{} (check that the directory {} exists and is writable)",
                e.kind(),
                match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
                    _ => ".".into(),
                }
            ),
        ),
    })
}

/// Which concepts `--categories` keeps.
fn concept_filter(ont: &Ontology, categories: Option<&[String]>) -> Result<Vec<bool>, ProductError> {
    let Some(names) = categories else {
        return Ok(vec![true; ont.concepts.len()]);
    };
    let mut chosen = vec![false; ont.concepts.len()];
    let mut unknown = Vec::new();
    for n in names {
        match ont.lookup(n.trim()) {
            Some(c) => chosen[c.index()] = true,
            None => unknown.push(n.trim().to_string()),
        }
    }
    if !unknown.is_empty() {
        let cats: Vec<&str> = ont.categories().iter().map(|&c| ont.concept(c).id.as_str()).collect();
        return Err(ProductError::UnknownCategories {
            unknown,
            categories: cats.into_iter().map(String::from).collect(),
        });
    }
    Ok(ont
        .ids()
        .map(|c| {
            let mut at = Some(c);
            while let Some(x) = at {
                if chosen[x.index()] {
                    return true;
                }
                at = ont.concept(x).parent;
            }
            false
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::ontology::load_texts;
    use crate::tag::Tagger;

    const ONT: &str = "concepts:
  - {id: coag, label: Coagulation, synonyms: [coagulation]}
  - {id: tf, label: Tissue factor, parent: coag, synonyms: [tissue factor], abbreviations: [TF], xrefs: [MESH:D013923, UniProt:P13726]}
  - {id: thr, label: Thrombin, parent: coag, synonyms: [thrombin]}
  - {id: infl, label: Inflammation, synonyms: [inflammation]}
qualifiers:
  negation: {before: [without]}
  hedge: {before: [and]}  # a cue for the test only
  up: {after: [rose]}
  down: {after: [fell]}
";

    /// The ledger's digests come back as written, each whole, whatever the one before it held
    /// (its strings and mentions are reused): more mentions, fewer, none, non-ASCII text.
    #[test]
    fn digests_come_back_from_the_ledger() {
        let mention = |concept: u32, text: &str, kind: usize, in_rollup: bool, count: u32| Mentioned {
            concept,
            text: text.into(),
            kind: SectionKind::ALL[kind],
            in_rollup,
            count,
        };
        let digests = vec![
            Digest {
                id: "1".into(),
                meta: ["2020".into(), "J Thromb".into(), "10.1/x".into()],
                full_text: false,
                chars: 120,
                mentions: vec![mention(3, "tissue factor", 1, true, 2), mention(7, "TF", 2, false, 1)],
            },
            Digest {
                id: "PMC9".into(),
                meta: [String::new(), "Blood".into(), String::new()],
                full_text: true,
                chars: 0,
                mentions: vec![
                    mention(1, "thrombin", 0, true, 1),
                    mention(2, "α-thrombin", 3, true, 300),
                    mention(u32::MAX, "", 0, false, 1),
                ],
            },
            Digest {
                id: "3".into(),
                ..Digest::default()
            },
            Digest {
                id: "4".into(),
                meta: ["1999".into(), String::new(), String::new()],
                chars: u64::MAX,
                mentions: vec![mention(0, "coagulation", 1, true, 1)],
                ..Digest::default()
            },
        ];
        let mut spool = CellSpool::new(None).unwrap();
        for d in &digests {
            write_digest(&mut spool, d).unwrap();
        }
        let mut r = CellReader::new(BufReader::new(spool.into_file().unwrap()));
        let mut d = Digest::default();
        let mut got = Vec::new();
        while read_digest(&mut r, &mut d).unwrap() {
            got.push(d.clone());
        }
        assert_eq!(got, digests);
    }

    fn run(opts: ProductOptions) -> BTreeMap<&'static str, String> {
        let tagger = Tagger::from_ontology(load_texts(&[("t.yaml", ONT)]).unwrap()).unwrap();
        let mut docs = vec![
            Document::new(
                "p1",
                vec![
                    Section::new("title", "Tissue factor and thrombin."),
                    Section::new("RESULTS", "TF rose, e.g. in sepsis. TF fell."),
                ],
            ),
            Document::new("p2", vec![Section::new("title", "Inflammation without coagulation.")]),
            Document::new("p3", vec![Section::new("title", "Nothing here.")]),
        ];
        docs[0].meta.year = Some("2020".into());
        docs[0].meta.doi = Some("10.1/x".into());
        let dir = tempfile::tempdir().unwrap();
        let mut paths = ProductPaths::in_dir(dir.path());
        paths.set(ProductKind::Xlsx, None);
        paths.set(ProductKind::Manifest, None);
        paths.set(ProductKind::Jsonl, Some(dir.path().join("a.jsonl")));
        let mut p = Products::create(&tagger.ontology, paths, opts).unwrap();
        let mut scratch = crate::Scratch::default();
        for d in &docs {
            let m = tagger.tag(d, &mut scratch);
            p.add(d, &m).unwrap();
        }
        let done = p
            .finish(RunInfo {
                started: SystemTime::UNIX_EPOCH,
                inputs: vec![],
                options: serde_json::Value::Null,
                summary: RunSummary::default(),
            })
            .unwrap();
        assert_eq!(done.articles, 3);
        let mut out = BTreeMap::new();
        for name in [
            "matrix",
            "categories",
            "evidence",
            "cooccurrence",
            "summary",
            "articles",
            "directions",
        ] {
            out.insert(
                name,
                std::fs::read_to_string(dir.path().join(format!("{name}.csv"))).unwrap(),
            );
        }
        out.insert("jsonl", std::fs::read_to_string(dir.path().join("a.jsonl")).unwrap());
        out
    }

    use std::collections::BTreeMap;

    #[test]
    fn every_product_on_three_documents() {
        let out = run(ProductOptions::default());
        assert_eq!(
            out["matrix"],
            "concept_id,label,category,p1,p2,p3\ncoag,Coagulation,coag,0,1,0\ntf,Tissue factor,coag,3,0,0\nthr,Thrombin,coag,1,0,0\ninfl,Inflammation,infl,0,1,0\n"
        );
        assert_eq!(
            out["categories"],
            "category_id,label,parent,p1,p2,p3\ncoag,Coagulation,,4,1,0\ninfl,Inflammation,,0,1,0\n"
        );
        assert_eq!(
            out["evidence"],
            "article_id,concept_id,label,category,text,term,section,section_kind,start,end,sentence,via,role,in_rollup,\
             polarity,certainty,direction,polarity_cue,certainty_cue,direction_cue\n\
             p1,tf,Tissue factor,coag,Tissue factor,tissue factor,title,title,0,13,Tissue factor and thrombin.,synonym,mechanism,yes,\
             affirmed,stated,none,,,\n\
             p1,thr,Thrombin,coag,thrombin,thrombin,title,title,18,26,Tissue factor and thrombin.,synonym,mechanism,yes,\
             affirmed,hedged,none,,and,\n\
             p1,tf,Tissue factor,coag,TF,TF,RESULTS,results,28,30,\"TF rose, e.g. in sepsis.\",abbreviation,mechanism,yes,\
             affirmed,stated,up,,,rose\n\
             p1,tf,Tissue factor,coag,TF,TF,RESULTS,results,53,55,TF fell.,abbreviation,mechanism,yes,affirmed,stated,down,,,fell\n\
             p2,infl,Inflammation,infl,Inflammation,inflammation,title,title,0,12,Inflammation without coagulation.,synonym,mechanism,yes,\
             affirmed,stated,none,,,\n\
             p2,coag,Coagulation,coag,coagulation,coagulation,title,title,21,32,Inflammation without coagulation.,synonym,mechanism,yes,\
             negated,stated,none,without,,\n"
        );
        // per article: categories, then concepts; up and down count affirmed mentions
        assert_eq!(
            out["directions"],
            "article_id,level,id,mentions,up,down,negated,hedged\n\
             p1,category,coag,4,1,1,0,1\n\
             p1,concept,tf,3,1,1,0,0\n\
             p1,concept,thr,1,0,0,0,1\n\
             p2,category,coag,1,0,0,1,0\n\
             p2,category,infl,1,0,0,0,0\n\
             p2,concept,coag,1,0,0,1,0\n\
             p2,concept,infl,1,0,0,0,0\n"
        );
        assert_eq!(
            out["cooccurrence"],
            "level,a,b,articles\nconcept,coag,coag,1\nconcept,coag,infl,1\nconcept,tf,tf,1\nconcept,tf,thr,1\n\
             concept,thr,thr,1\nconcept,infl,infl,1\ncategory,coag,coag,2\ncategory,coag,infl,1\ncategory,infl,infl,1\n"
        );
        assert_eq!(
            out["summary"],
            "level,id,label,category,xrefs,articles,mentions,top_forms\n\
             concept,coag,Coagulation,coag,,1,1,coagulation (1)\n\
             concept,tf,Tissue factor,coag,MESH:D013923; UniProt:P13726,1,3,TF (2); Tissue factor (1)\n\
             concept,thr,Thrombin,coag,,1,1,thrombin (1)\n\
             concept,infl,Inflammation,infl,,1,1,Inflammation (1)\n\
             category,coag,Coagulation,,,2,5,TF (2); Tissue factor (1); coagulation (1); thrombin (1)\n\
             category,infl,Inflammation,,,1,1,Inflammation (1)\n"
        );
        assert_eq!(
            out["articles"],
            "article_id,pmid,year,journal,doi,licence,title,characters,mentions,concepts,categories\n\
             p1,,2020,,10.1/x,,Tissue factor and thrombin.,60,4,2,1\n\
             p2,,,,,,Inflammation without coagulation.,33,2,2,2\n\
             p3,,,,,,Nothing here.,13,0,0,0\n"
        );
        assert_eq!(
            out["jsonl"].lines().nth(2).unwrap(),
            r#"{"id":"p3","pmid":null,"year":null,"journal":null,"doi":null,"licence":null,"title":"Nothing here.","mentions":[]}"#
        );
    }

    /// Roles and qualifiers are left out only for the concept matrix alone, and not when
    /// `--exclude` reads the qualifiers.
    #[test]
    fn stages_follow_the_products_and_the_exclusions() {
        let matrix = ProductKind::Table(Table::Matrix);
        let excluding = ProductOptions {
            exclude: Exclude {
                negated: true,
                hedged: false,
            },
            ..ProductOptions::default()
        };
        let cases: [(&[ProductKind], &ProductOptions, Stages); 7] = [
            (&[matrix], &ProductOptions::default(), Stages::MENTIONS),
            (&[matrix], &excluding, Stages::ALL),
            (&[], &ProductOptions::default(), Stages::ALL),
            (
                &[matrix, ProductKind::Table(Table::Evidence)],
                &ProductOptions::default(),
                Stages::ALL,
            ),
            (
                &[ProductKind::Table(Table::Categories)],
                &ProductOptions::default(),
                Stages::ALL,
            ),
            (&[matrix, ProductKind::Jsonl], &ProductOptions::default(), Stages::ALL),
            (
                &[matrix, ProductKind::Pubtator],
                &ProductOptions::default(),
                Stages::ALL,
            ),
        ];
        for (kinds, opts, want) in cases {
            let mut paths = ProductPaths::default();
            for &k in kinds {
                paths.set(k, Some(PathBuf::from("x")));
            }
            assert_eq!(paths.stages(opts), want, "{kinds:?}");
        }
    }

    #[test]
    fn exclude_drops_negated_and_hedged_mentions_from_every_product() {
        let out = run(ProductOptions {
            exclude: Exclude {
                negated: true,
                hedged: true,
            },
            ..ProductOptions::default()
        });
        assert_eq!(
            out["matrix"],
            "concept_id,label,category,p1,p2,p3\ncoag,Coagulation,coag,0,0,0\ntf,Tissue factor,coag,3,0,0\nthr,Thrombin,coag,0,0,0\ninfl,Inflammation,infl,0,1,0\n"
        );
        assert_eq!(
            out["directions"],
            "article_id,level,id,mentions,up,down,negated,hedged\n\
             p1,category,coag,3,1,1,0,0\n\
             p1,concept,tf,3,1,1,0,0\n\
             p2,category,infl,1,0,0,0,0\n\
             p2,concept,infl,1,0,0,0,0\n"
        );
        assert_eq!(out["evidence"].lines().count(), 1 + 4);
        let out = run(ProductOptions {
            exclude: Exclude {
                negated: true,
                hedged: false,
            },
            ..ProductOptions::default()
        });
        assert_eq!(out["evidence"].lines().count(), 1 + 5);
        assert!(!out["evidence"].contains("negated") && out["evidence"].contains("hedged"));
        assert_eq!(Exclude::default().names(), Vec::<&str>::new());
        assert_eq!(
            Exclude {
                negated: true,
                hedged: true
            }
            .names(),
            ["negated", "hedged"]
        );
    }

    #[test]
    fn filters_on_three_documents() {
        let out = run(ProductOptions {
            sections: Some(vec!["results".into()]),
            ..ProductOptions::default()
        });
        assert_eq!(
            out["matrix"],
            "concept_id,label,category,p1,p2,p3\ncoag,Coagulation,coag,0,0,0\ntf,Tissue factor,coag,2,0,0\nthr,Thrombin,coag,0,0,0\ninfl,Inflammation,infl,0,0,0\n"
        );
        let out = run(ProductOptions {
            categories: Some(vec!["infl".into()]),
            rollup: Rollup::All,
            ..ProductOptions::default()
        });
        assert_eq!(
            out["matrix"],
            "concept_id,label,category,p1,p2,p3\ninfl,Inflammation,infl,0,1,0\n"
        );
        assert_eq!(
            out["categories"],
            "category_id,label,parent,p1,p2,p3\ninfl,Inflammation,,0,1,0\n"
        );
        assert_eq!(
            out["cooccurrence"],
            "level,a,b,articles\nconcept,infl,infl,1\ncategory,infl,infl,1\n"
        );
        let out = run(ProductOptions {
            matrix: MatrixOptions {
                min_mentions: 2,
                values: crate::output::matrix::Values::Binary,
                ..MatrixOptions::default()
            },
            ..ProductOptions::default()
        });
        assert_eq!(
            out["matrix"],
            "concept_id,label,category,p1,p2,p3\ntf,Tissue factor,coag,1,0,0\n"
        );
        // the roll-up ignores --min-mentions and follows --values
        assert_eq!(
            out["categories"],
            "category_id,label,parent,p1,p2,p3\ncoag,Coagulation,,1,1,0\ninfl,Inflammation,,0,1,0\n"
        );
    }
}
