//! The report: `report.html` (one self-contained page), `figures/` (SVG for papers) and
//! `texts.jsonl.gz` (what the page needs that no other product holds).
//!
//! The report is made from the products, never from the tagger's internals: the tables of
//! `summary.csv`, `cooccurrence.csv` and `trends.csv`, the rows of `evidence.csv`, and the text of
//! every article with a mention (kept compressed in `texts.jsonl.gz`: one JSON object per line,
//! `{"id", "pmid", "year", "journal", "doi", "title", "sections": [[name, text], ...]}`, empty
//! fields left out). Two ways lead there, to the same bytes:
//!
//! * during `coagtag tag`, [`ReportCollector`] runs the same product writers into memory
//!   ([`TextTable`]) beside the real ones and keeps each article's text and evidence rows in a
//!   temporary file (so replaced and deleted articles drop out as in every product);
//! * `coagtag report DIR` reads them back from an `--out-dir` ([`source`]) without tagging again.
//!
//! [`model::ReportData`] turns them into the page's data, [`html`] into the page and
//! [`crate::output::figures`] into the figures.

pub mod html;
pub mod model;
pub mod source;

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::categories::Rollup;
use super::cooccurrence::CooccurrenceWriter;
use super::evidence::EvidenceWriter;
use super::manifest::{InputFile, OntologyInfo, Records, Tool};
use super::spool::{Dead, LiveReader, Ranges, Tally, temp_file};
use super::summary::SummaryWriter;
use super::trends::TrendsWriter;
use super::{AtomicFile, Digest, Sink, Tagged, figures};
use crate::ontology::Ontology;
use model::{ArticleInput, DataError, Facts, ReportData, TextRecord};

/// A product's rows in memory, every cell as text (the same cells its CSV file holds, before
/// the spreadsheet guard).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    row: Vec<String>,
}

impl TextTable {
    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

impl Sink for TextTable {
    fn text(&mut self, s: &str) -> io::Result<()> {
        self.row.push(s.to_string());
        Ok(())
    }

    fn int(&mut self, n: u64) -> io::Result<()> {
        self.row.push(n.to_string());
        Ok(())
    }

    fn end_row(&mut self) -> io::Result<()> {
        let row = std::mem::take(&mut self.row);
        if self.header.is_empty() {
            self.header = row;
        } else {
            self.rows.push(row);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Where the report's files go; `None` is not written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportPaths {
    pub report: Option<PathBuf>,
    /// A directory for the SVG figures.
    pub figures: Option<PathBuf>,
    pub texts: Option<PathBuf>,
}

impl ReportPaths {
    pub fn any(&self) -> bool {
        self.report.is_some() || self.figures.is_some() || self.texts.is_some()
    }
}

/// The report's files, open (under temporary names) before the run so a bad path fails early.
/// The figures' directory is made only when they are written, so an interrupted run leaves
/// nothing under a final name.
pub struct ReportFiles {
    report: Option<AtomicFile>,
    figures: Option<PathBuf>,
    texts: Option<AtomicFile>,
}

impl ReportFiles {
    /// Open every file `paths` names; check that the figures' directory can be made.
    pub fn create(paths: &ReportPaths) -> Result<ReportFiles, (PathBuf, io::Error)> {
        let open = |p: &Path| AtomicFile::create(p).map_err(|e| (p.to_path_buf(), e));
        if let Some(dir) = &paths.figures {
            let parent = match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let problem = if dir.exists() && !dir.is_dir() {
                Some("it exists and is not a directory")
            } else if !dir.exists() && !parent.is_dir() {
                Some("the directory it would go in does not exist")
            } else {
                None
            };
            if let Some(why) = problem {
                return Err((dir.clone(), io::Error::new(io::ErrorKind::InvalidInput, why)));
            }
        }
        Ok(ReportFiles {
            report: paths.report.as_deref().map(open).transpose()?,
            figures: paths.figures.clone(),
            texts: paths.texts.as_deref().map(open).transpose()?,
        })
    }

    /// The page and the figures written from `data` (not yet moved into place); the texts file
    /// is the caller's to fill.
    fn render(mut self, data: &ReportData, title: &str) -> io::Result<(Vec<AtomicFile>, Option<AtomicFile>)> {
        let mut done = Vec::new();
        if let Some(mut f) = self.report.take() {
            html::render(data, title, &mut f)?;
            done.push(f);
        }
        if let Some(dir) = &self.figures {
            std::fs::create_dir_all(dir)?;
            for (name, svg) in figures::NAMES.iter().zip(figures::render(data)) {
                let mut f = AtomicFile::create(&dir.join(name))?;
                f.write_all(svg.as_bytes())?;
                done.push(f);
            }
        }
        Ok((done, self.texts))
    }
}

/// The facts of a run being finished, by the same reading as a manifest's
/// ([`Facts::from_manifest`]), so a report rebuilt from the manifest says the same.
pub fn facts_of_run(inputs: &[PathBuf], options: &serde_json::Value, records: &Records, ontology: &Ontology) -> Facts {
    let inputs: Vec<InputFile> = inputs
        .iter()
        .map(|p| InputFile {
            path: p.display().to_string(),
            bytes: Some(std::fs::metadata(p).map_or(0, |m| m.len())),
            sha256: None,
        })
        .collect();
    facts_of_inputs(&inputs, options, records, ontology)
}

/// Like [`facts_of_run`], with the inputs' sizes as they were when read (a merged run).
pub fn facts_of_inputs(
    inputs: &[InputFile],
    options: &serde_json::Value,
    records: &Records,
    ontology: &Ontology,
) -> Facts {
    let inputs: Vec<serde_json::Value> = inputs
        .iter()
        .map(|f| serde_json::json!({"path": f.path, "bytes": f.bytes.unwrap_or(0)}))
        .collect();
    Facts::from_manifest(&serde_json::json!({
        "tool": Tool::default(),
        "ontology": OntologyInfo::of(ontology),
        "inputs": inputs,
        "options": options,
        "records": records,
    }))
}

/// The title of a run's page: its input files.
pub fn title(facts: &Facts) -> String {
    let names: Vec<&str> = facts.inputs.iter().map(|(n, _)| n.as_str()).collect();
    match names.len() {
        0 => "coagtag report".into(),
        1..=3 => format!("coagtag report: {}", names.join(", ")),
        n => format!("coagtag report: {} and {} more files", names[..2].join(", "), n - 2),
    }
}

/// A texts file: one JSON line per article, gzip with no name and no time in its header, at
/// level 1 (as the workbook's zip): on pubmed21n1298's 6.6 MB of texts, `gzip -6` takes 0.27 s
/// of CPU for 2.09 MB and `gzip -1` 0.08 s for 2.49 MB.
pub fn texts_writer<W: Write>(w: W) -> GzEncoder<W> {
    flate2::GzBuilder::new().mtime(0).write(w, Compression::fast())
}

/// The report made during a run, from the same product writers, into memory (see the module
/// documentation).
pub struct ReportCollector<'o> {
    files: ReportFiles,
    summary: SummaryWriter<TextTable>,
    cooccurrence: CooccurrenceWriter<'o, TextTable>,
    trends: TrendsWriter<TextTable>,
    evidence: EvidenceWriter<'o, TextTable>,
    /// Two lines per article with a mention: its [`TextRecord`] and its evidence rows (JSON).
    spool: Tally<BufWriter<File>>,
    spool_file: File,
    ranges: Ranges,
}

impl<'o> ReportCollector<'o> {
    /// `keep` marks the concepts the filters kept; temporary data goes to `spool_dir`.
    pub fn new(
        ontology: &'o Ontology,
        rollup: Rollup,
        keep: &[bool],
        files: ReportFiles,
        spool_dir: Option<&Path>,
    ) -> io::Result<ReportCollector<'o>> {
        let spool_file = temp_file(spool_dir)?;
        let mut ranges = Ranges::new(spool_dir);
        ranges.header_done(0);
        Ok(ReportCollector {
            files,
            summary: SummaryWriter::new(TextTable::default(), ontology, rollup, keep),
            cooccurrence: CooccurrenceWriter::new(TextTable::default(), ontology),
            trends: TrendsWriter::new(TextTable::default(), ontology, rollup, keep),
            evidence: EvidenceWriter::new(TextTable::default(), ontology)?,
            spool: Tally::new(BufWriter::with_capacity(256 * 1024, spool_file.try_clone()?)),
            spool_file,
            ranges,
        })
    }

    /// The next article (in sequence order, as the products number them), its mentions after
    /// the filters.
    pub fn add(&mut self, art: Tagged<'_>) -> io::Result<()> {
        self.evidence.add(art)?;
        let rows = std::mem::take(&mut self.evidence.sink_mut().rows);
        if !rows.is_empty() {
            let d = art.doc;
            let rec = TextRecord {
                id: d.id.clone(),
                pmid: d.meta.pmid.clone().unwrap_or_default(),
                year: d.meta.year.clone().unwrap_or_default(),
                journal: d.meta.journal.clone().unwrap_or_default(),
                doi: d.meta.doi.clone().unwrap_or_default(),
                title: super::articles::title(d).to_string(),
                full_text: d.meta.full_text,
                sections: d.sections.iter().map(|s| (s.name.clone(), s.text.clone())).collect(),
            };
            serde_json::to_writer(&mut self.spool, &rec)?;
            self.spool.write_all(b"\n")?;
            serde_json::to_writer(&mut self.spool, &rows)?;
            self.spool.write_all(b"\n")?;
        }
        self.ranges.push(self.spool.count())
    }

    /// The aggregates, article by article, from the digests of the live articles.
    pub fn add_digest(&mut self, d: &Digest) {
        self.summary.add_digest(d);
        self.cooccurrence.add_digest(d);
        self.trends.add_digest(d);
    }

    /// Write the report's files (not yet moved into place) from the live articles.
    pub fn finish(mut self, dead: &Dead, facts: Facts) -> io::Result<Vec<AtomicFile>> {
        self.spool.get_mut().flush()?;
        // the writer shares the file's position: read from the start
        self.spool_file.seek(SeekFrom::Start(0))?;
        let header = self.evidence.sink_mut().header.clone();
        let summary = self.summary.finish()?;
        let cooccurrence = self.cooccurrence.finish()?;
        let trends = self.trends.finish()?;
        let title = title(&facts);
        let mut data = ReportData::new(facts, &summary, &cooccurrence, &trends, &header).map_err(io::Error::other)?;
        let texts = self.files.texts.take();
        let mut live = BufReader::new(LiveReader::new(&mut self.spool_file, &self.ranges, dead));
        let files = std::thread::scope(|scope| {
            // The texts file is compressed (and synced) on a thread of its own, beside the
            // reading of the articles and the page's rendering (on pubmed21n1298 the report
            // was the last product to finish, its gzip part of it).
            let (to_gzip, lines) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
            let gzip = texts.map(|f| {
                scope.spawn(move || -> io::Result<AtomicFile> {
                    let mut w = texts_writer(f);
                    // a line a write, as the page's thread read them: the compressed bytes
                    // depend on how the input is cut into writes
                    for buf in lines {
                        for line in buf.split_inclusive(|&b| b == b'\n') {
                            w.write_all(line)?;
                        }
                    }
                    let mut f = w.finish()?;
                    f.sync()?;
                    Ok(f)
                })
            });
            let mut pending: Vec<u8> = Vec::new();
            let corrupt = || io::Error::other("the temporary file of the report's articles is corrupt");
            let mut line = String::new();
            let read = (|| -> io::Result<()> {
                loop {
                    line.clear();
                    if live.read_line(&mut line)? == 0 {
                        break;
                    }
                    if gzip.is_some() {
                        pending.extend_from_slice(line.as_bytes());
                        // a failed send: the thread stopped, its error comes at the join
                        if pending.len() >= 256 * 1024 {
                            let _ = to_gzip.send(std::mem::take(&mut pending));
                        }
                    }
                    let text: TextRecord = serde_json::from_str(&line).map_err(|_| corrupt())?;
                    line.clear();
                    live.read_line(&mut line)?;
                    let evidence: Vec<Vec<String>> = serde_json::from_str(&line).map_err(|_| corrupt())?;
                    data.add_article(&ArticleInput { text, evidence })
                        .map_err(io::Error::other)?;
                }
                if !pending.is_empty() {
                    let _ = to_gzip.send(pending);
                }
                Ok(())
            })();
            drop(to_gzip);
            let rendered = read.and_then(|_| self.files.render(&data, &title));
            let texts = gzip.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            let (mut files, _) = rendered?;
            if let Some(t) = texts {
                files.push(t?);
            }
            Ok::<_, io::Error>(files)
        })?;
        Ok(files)
    }
}

/// Build the report from an `--out-dir` (see [`source`]) and write its files, returning them
/// not yet moved into place, with the articles with a mention and those the page holds.
pub fn rebuild(dir: &Path, paths: &ReportPaths) -> Result<(Vec<AtomicFile>, (u64, u64)), RebuildError> {
    let files = ReportFiles::create(paths).map_err(|(p, e)| RebuildError::Write(p, e))?;
    let source::Source {
        title,
        mut data,
        articles,
    } = source::read(dir)?;
    for art in articles {
        data.add_article(&art?)?;
    }
    let counts = data.article_counts();
    let (done, _) = files
        .render(&data, &title)
        .map_err(|e| RebuildError::Write(paths.report.clone().unwrap_or_default(), e))?;
    Ok((done, counts))
}

/// Why a report could not be rebuilt.
#[derive(Debug)]
pub enum RebuildError {
    /// A product is missing or unreadable (path, what went wrong, how to fix it).
    Read {
        path: PathBuf,
        message: String,
        fix: String,
    },
    /// The products disagree or hold something unexpected.
    Data(DataError),
    Write(PathBuf, io::Error),
}

impl From<DataError> for RebuildError {
    fn from(e: DataError) -> Self {
        RebuildError::Data(e)
    }
}

impl std::fmt::Display for RebuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RebuildError::Read { path, message, fix } => write!(f, "{}: {message}; {fix}", path.display()),
            RebuildError::Data(e) => write!(f, "{e}"),
            RebuildError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for RebuildError {}
