//! Running the products a command asked for, from one pass over the tagged articles.
//!
//! [`Products::create`] checks the options and opens every file (so a bad path fails before a
//! long run, not after); [`Products::add`] takes one article at a time, applies the filters and
//! feeds every product; [`Products::finish`] writes the aggregate products, the workbook and
//! the manifest, and only then moves every file into place. A failure or an interrupted run
//! leaves no file under a final name (see [`super::AtomicFile`]).
//!
//! Filters:
//!
//! * `sections` keeps only the mentions in sections with those names (compared case-insensitively),
//!   in every product; every article still appears in the matrix, `articles.csv` and JSONL.
//! * `categories` keeps only the concepts under those categories (ids of any concept, usually
//!   top-level ones; a concept is kept when it or an ancestor is named), in every product: the
//!   other concepts' mentions are dropped and their rows omitted.
//! * `min_mentions` drops the concepts mentioned fewer times than that in the whole run from
//!   the matrix (`matrix.csv` and the workbook's matrix sheet) only: the other products keep them,
//!   so the evidence still explains every matrix cell.

use std::collections::BTreeSet;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::articles::ArticlesWriter;
use super::categories::{self, Rollup};
use super::cooccurrence::CooccurrenceWriter;
use super::evidence::EvidenceWriter;
use super::jsonl::JsonlWriter;
use super::manifest::{InputFile, Manifest, OntologyInfo, ProductFile, Records, Tool, rfc3339};
use super::matrix::{Layout, MatrixOptions, MatrixReport, MatrixWriter, Rows};
use super::summary::SummaryWriter;
use super::xlsx::{Book, SheetSink};
use super::{AtomicFile, CsvSink, Dialect, Sink, Tagged};
use crate::document::Document;
use crate::matcher::Mention;
use crate::ontology::Ontology;
use crate::pipeline::RunSummary;

/// Where each product goes; `None` means not written. A path of `-` is standard output (for
/// one product at most).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductPaths {
    pub matrix: Option<PathBuf>,
    pub categories: Option<PathBuf>,
    pub evidence: Option<PathBuf>,
    pub cooccurrence: Option<PathBuf>,
    pub summary: Option<PathBuf>,
    pub articles: Option<PathBuf>,
    pub manifest: Option<PathBuf>,
    pub jsonl: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
}

impl ProductPaths {
    /// Every product under its standard name in `dir` (JSONL only when asked for).
    pub fn in_dir(dir: &Path) -> ProductPaths {
        ProductPaths {
            matrix: Some(dir.join("matrix.csv")),
            categories: Some(dir.join("categories.csv")),
            evidence: Some(dir.join("evidence.csv")),
            cooccurrence: Some(dir.join("cooccurrence.csv")),
            summary: Some(dir.join("summary.csv")),
            articles: Some(dir.join("articles.csv")),
            manifest: Some(dir.join("manifest.json")),
            jsonl: None,
            xlsx: Some(dir.join("matrix.xlsx")),
        }
    }

    /// Each product and its path, in the order they are written.
    fn list(&self) -> [(&'static str, &Option<PathBuf>); 9] {
        [
            ("matrix", &self.matrix),
            ("categories", &self.categories),
            ("evidence", &self.evidence),
            ("cooccurrence", &self.cooccurrence),
            ("summary", &self.summary),
            ("articles", &self.articles),
            ("jsonl", &self.jsonl),
            ("xlsx", &self.xlsx),
            ("manifest", &self.manifest),
        ]
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

/// A problem writing products: a bad option, or a file that cannot be written.
#[derive(Debug)]
pub enum ProductError {
    /// An option that cannot work, with the fix.
    Usage {
        message: String,
        fix: String,
    },
    Io {
        path: String,
        source: io::Error,
    },
}

impl fmt::Display for ProductError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProductError::Usage { message, fix } => write!(f, "{message}; {fix}"),
            // the cause follows through `source()`
            ProductError::Io { path, .. } => write!(f, "cannot write {path}"),
        }
    }
}

impl std::error::Error for ProductError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProductError::Io { source, .. } => Some(source),
            ProductError::Usage { .. } => None,
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
}

impl Write for Dest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Dest::File(f) => f.write(buf),
            Dest::Stdout(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Dest::File(f) => f.flush(),
            Dest::Stdout(s) => s.flush(),
        }
    }
}

/// A CSV file or a workbook sheet.
enum AnySink {
    Csv(Box<CsvSink<Dest>>),
    Sheet(SheetSink),
}

impl Sink for AnySink {
    fn text(&mut self, s: &str) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.text(s),
            AnySink::Sheet(x) => x.text(s),
        }
    }
    fn int(&mut self, n: u64) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.int(n),
            AnySink::Sheet(x) => x.int(n),
        }
    }
    fn end_row(&mut self) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.end_row(),
            AnySink::Sheet(x) => x.end_row(),
        }
    }
    fn numeric_block(&mut self, first_row: u32, first_col: u16) {
        match self {
            AnySink::Csv(c) => c.numeric_block(first_row, first_col),
            AnySink::Sheet(x) => x.numeric_block(first_row, first_col),
        }
    }
    fn finish(&mut self) -> io::Result<()> {
        match self {
            AnySink::Csv(c) => c.finish(),
            AnySink::Sheet(x) => x.finish(),
        }
    }
}

enum Writer<'o> {
    Matrix(MatrixWriter<AnySink>),
    Categories(MatrixWriter<AnySink>),
    Evidence(EvidenceWriter<'o, AnySink>),
    Cooccurrence(CooccurrenceWriter<'o, AnySink>),
    Summary(SummaryWriter<AnySink>),
    Articles(ArticlesWriter<'o, AnySink>),
    Jsonl(JsonlWriter<'o, Dest>),
}

struct Running<'o> {
    /// The file or `sheet NAME in FILE`, for messages.
    name: String,
    product: &'static str,
    writer: Writer<'o>,
}

/// What a finished set of products reports.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    /// Things to tell the user (layout switches, filters that matched nothing).
    pub notes: Vec<String>,
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
    sections_seen: BTreeSet<String>,
    running: Vec<Running<'o>>,
    book: Option<(Book, AtomicFile, String)>,
    manifest: Option<(AtomicFile, String)>,
    scratch: Vec<Mention>,
    articles: usize,
    mentions: usize,
}

impl<'o> Products<'o> {
    /// Check the options and open every product file.
    pub fn create(ontology: &'o Ontology, paths: ProductPaths, opts: ProductOptions) -> Result<Self, ProductError> {
        let keep = concept_filter(ontology, opts.categories.as_deref())?;
        let stdout_count = paths.list().iter().filter(|(_, p)| is_stdout(p)).count();
        if stdout_count > 1 || is_stdout(&paths.xlsx) || is_stdout(&paths.manifest) {
            return Err(ProductError::Usage {
                message: "only one CSV or JSONL product can go to standard output (-)".into(),
                fix: "write the others to files, or all of them with --out-dir DIR".into(),
            });
        }
        if opts.matrix.layout == Layout::Concepts && opts.matrix.metadata {
            return Err(ProductError::Usage {
                message: "metadata columns (year, journal, doi) need article rows".into(),
                fix: "use --layout articles or auto with --matrix-metadata".into(),
            });
        }
        let mut p = Products {
            ontology,
            keep,
            sections: opts
                .sections
                .as_ref()
                .map(|v| v.iter().map(|s| s.trim().to_lowercase()).collect()),
            sections_seen: BTreeSet::new(),
            paths: paths.clone(),
            opts,
            running: Vec::new(),
            book: None,
            manifest: None,
            scratch: Vec::new(),
            articles: 0,
            mentions: 0,
        };
        for (product, path) in paths.list() {
            let Some(path) = path else { continue };
            let shown = path.display().to_string();
            match product {
                "xlsx" => {
                    let f = create_file(path)?;
                    let book = Book::new();
                    for (i, name) in [
                        "matrix",
                        "categories",
                        "evidence",
                        "cooccurrence",
                        "summary",
                        "articles",
                    ]
                    .into_iter()
                    .enumerate()
                    {
                        let sink = AnySink::Sheet(book.sheet(name, i));
                        let mut w = p.writer(name, sink).map_err(io_err(&shown))?;
                        if let Writer::Matrix(m) | Writer::Categories(m) = &mut w {
                            // a sheet cannot hold more columns than Excel: let `auto` decide
                            m.relayout_for_sheet();
                        }
                        p.running.push(Running {
                            name: format!("sheet {name} of {shown}"),
                            product: name,
                            writer: w,
                        });
                    }
                    p.book = Some((book, f, shown));
                }
                "manifest" => {
                    let f = create_file(path)?;
                    p.manifest = Some((f, shown));
                }
                _ => {
                    let dest = if is_stdout(&Some(path.clone())) {
                        Dest::Stdout(io::stdout())
                    } else {
                        Dest::File(create_file(path)?)
                    };
                    let w = if product == "jsonl" {
                        Writer::Jsonl(JsonlWriter::new(dest, ontology))
                    } else {
                        let sink = CsvSink::new(dest, p.opts.dialect).map_err(io_err(&shown))?;
                        p.writer(product, AnySink::Csv(Box::new(sink)))
                            .map_err(io_err(&shown))?
                    };
                    p.running.push(Running {
                        name: shown,
                        product,
                        writer: w,
                    });
                }
            }
        }
        Ok(p)
    }

    fn writer(&self, product: &str, sink: AnySink) -> io::Result<Writer<'o>> {
        let ont = self.ontology;
        Ok(match product {
            "matrix" => {
                let mut rows = Rows::concepts(ont);
                rows.retain_concepts(&self.keep);
                Writer::Matrix(MatrixWriter::new(sink, rows, self.opts.matrix))
            }
            "categories" => Writer::Categories(categories::writer(
                sink,
                ont,
                self.opts.rollup,
                &self.keep,
                self.opts.matrix,
            )),
            "evidence" => Writer::Evidence(EvidenceWriter::new(sink, ont)?),
            "cooccurrence" => Writer::Cooccurrence(CooccurrenceWriter::new(sink, ont)),
            "summary" => Writer::Summary(SummaryWriter::new(sink, ont, self.opts.rollup, &self.keep)),
            "articles" => Writer::Articles(ArticlesWriter::new(sink, ont)?),
            other => unreachable!("no product {other}"),
        })
    }

    /// Feed one article (in input order) to every product.
    pub fn add(&mut self, doc: &Document, mentions: &[Mention]) -> Result<(), ProductError> {
        self.scratch.clear();
        for s in &doc.sections {
            if !self.sections_seen.contains(&s.name) {
                self.sections_seen.insert(s.name.clone());
            }
        }
        let sections = self.sections.as_ref();
        self.scratch.extend(mentions.iter().filter(|m| {
            self.keep[m.concept.index()]
                && sections.is_none_or(|want| {
                    let name = &doc.sections[m.section as usize].name;
                    want.iter().any(|w| w.eq_ignore_ascii_case(name))
                })
        }));
        let art = Tagged {
            doc,
            mentions: &self.scratch,
        };
        self.articles += 1;
        self.mentions += art.mentions.len();
        for r in &mut self.running {
            let res = match &mut r.writer {
                Writer::Matrix(w) | Writer::Categories(w) => {
                    w.add(art);
                    Ok(())
                }
                Writer::Evidence(w) => w.add(art),
                Writer::Cooccurrence(w) => {
                    w.add(art);
                    Ok(())
                }
                Writer::Summary(w) => {
                    w.add(art);
                    Ok(())
                }
                Writer::Articles(w) => w.add(art),
                Writer::Jsonl(w) => w.add(art),
            };
            res.map_err(io_err(&r.name))?;
        }
        Ok(())
    }

    /// Write the rest, the workbook and the manifest, then move every file into place.
    pub fn finish(self, run: RunInfo) -> Result<Finished, ProductError> {
        let mut done = Finished {
            articles: self.articles,
            mentions: self.mentions,
            ..Finished::default()
        };
        if let Some(want) = &self.sections {
            for w in want {
                if !self.sections_seen.iter().any(|s| s.eq_ignore_ascii_case(w)) {
                    done.notes.push(format!(
                        "--sections: no article has a section named {w:?} (sections seen: {})",
                        self.sections_seen.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        let mut files: Vec<AtomicFile> = Vec::new();
        let mut collect = |dest: Dest| {
            if let Dest::File(f) = dest {
                files.push(f);
            }
        };
        for r in self.running {
            let name = r.name;
            let sink = match r.writer {
                Writer::Matrix(w) | Writer::Categories(w) => {
                    let (sink, report) = w.finish().map_err(io_err(&name))?;
                    if r.product == "matrix" && !name.starts_with("sheet ") {
                        if let Some(note) = &report.note {
                            done.notes.push(note.clone());
                        }
                        done.matrix = Some(report);
                    }
                    sink
                }
                Writer::Evidence(w) => w.finish().map_err(io_err(&name))?,
                Writer::Cooccurrence(w) => w.finish().map_err(io_err(&name))?,
                Writer::Summary(w) => w.finish().map_err(io_err(&name))?,
                Writer::Articles(w) => w.finish().map_err(io_err(&name))?,
                Writer::Jsonl(w) => {
                    collect(w.finish().map_err(io_err(&name))?);
                    continue;
                }
            };
            if let AnySink::Csv(c) = sink {
                collect(c.into_inner().map_err(io_err(&name))?);
            }
        }
        if let Some((book, mut f, shown)) = self.book {
            done.notes.extend(book.notes());
            let bytes = book.to_bytes().map_err(io_err(&shown))?;
            f.write_all(&bytes).map_err(io_err(&shown))?;
            files.push(f);
        }
        if let Some((mut f, shown)) = self.manifest {
            let mut inputs = Vec::with_capacity(run.inputs.len());
            for p in &run.inputs {
                let shown = p.display().to_string();
                inputs.push(InputFile::of(p).map_err(|source| ProductError::Io {
                    path: format!("{shown} (reading it again for its checksum)"),
                    source,
                })?);
            }
            let s = &run.summary;
            let manifest = Manifest {
                tool: Tool::default(),
                started: rfc3339(run.started),
                finished: rfc3339(SystemTime::now()),
                ontology: OntologyInfo::of(self.ontology),
                inputs,
                options: run.options,
                records: Records {
                    files: s.files,
                    failed_files: s.failed_files,
                    read: s.documents,
                    skipped: s.skipped,
                    deleted: s.deleted,
                    replaced: s.replaced,
                    articles: done.articles,
                    mentions: done.mentions,
                },
                products: self
                    .paths
                    .list()
                    .iter()
                    .filter_map(|(product, p)| {
                        p.as_ref().map(|p| ProductFile {
                            product,
                            path: p.display().to_string(),
                        })
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut f, &manifest)
                .map_err(io::Error::other)
                .and_then(|_| f.write_all(b"\n"))
                .map_err(io_err(&shown))?;
            files.push(f);
        }
        // every product is complete: now they appear, together
        for f in files {
            let shown = f.target().display().to_string();
            f.commit().map_err(io_err(&shown))?;
        }
        Ok(done)
    }
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

fn is_stdout(p: &Option<PathBuf>) -> bool {
    p.as_ref().is_some_and(|p| p.as_os_str() == "-")
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
        return Err(ProductError::Usage {
            message: format!("--categories: no concept {}", unknown.join(", ")),
            fix: format!(
                "name top-level categories (or any concept ids), e.g. --categories {}",
                cats.join(",")
            ),
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
    use crate::pipeline::Tagger;

    const ONT: &str = "concepts:
  - {id: coag, label: Coagulation, synonyms: [coagulation]}
  - {id: tf, label: Tissue factor, parent: coag, synonyms: [tissue factor], abbreviations: [TF], xrefs: [MESH:D013923, UniProt:P13726]}
  - {id: thr, label: Thrombin, parent: coag, synonyms: [thrombin]}
  - {id: infl, label: Inflammation, synonyms: [inflammation]}
";

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
        paths.xlsx = None;
        paths.manifest = None;
        paths.jsonl = Some(dir.path().join("a.jsonl"));
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
            "article_id,concept_id,label,category,text,term,section,start,end,sentence,via\n\
             p1,tf,Tissue factor,coag,Tissue factor,tissue factor,title,0,13,Tissue factor and thrombin.,synonym\n\
             p1,thr,Thrombin,coag,thrombin,thrombin,title,18,26,Tissue factor and thrombin.,synonym\n\
             p1,tf,Tissue factor,coag,TF,TF,RESULTS,28,30,\"TF rose, e.g. in sepsis.\",abbreviation\n\
             p1,tf,Tissue factor,coag,TF,TF,RESULTS,53,55,TF fell.,abbreviation\n\
             p2,infl,Inflammation,infl,Inflammation,inflammation,title,0,12,Inflammation without coagulation.,synonym\n\
             p2,coag,Coagulation,coag,coagulation,coagulation,title,21,32,Inflammation without coagulation.,synonym\n"
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
            "article_id,year,journal,doi,title,mentions,concepts,categories\n\
             p1,2020,,10.1/x,Tissue factor and thrombin.,4,2,1\n\
             p2,,,,Inflammation without coagulation.,2,2,2\n\
             p3,,,,Nothing here.,0,0,0\n"
        );
        assert_eq!(
            out["jsonl"].lines().nth(2).unwrap(),
            r#"{"id":"p3","year":null,"journal":null,"doi":null,"title":"Nothing here.","mentions":[]}"#
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
