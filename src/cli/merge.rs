//! `coagtag merge`: the products of several runs as one run over all their inputs (see
//! docs/scale.md), and what `coagtag tag` shares with it: the run's state, the warnings the
//! manifest lists.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::Context;
use coagtag::diagnostic::{Diagnostic, Repeats, Severity};
use coagtag::input::digest::ReadDigests;
use coagtag::ontology::{self, Ontology, OntologySource};
use coagtag::output::manifest::{InputFile, ontology_sha256};
use coagtag::output::products::{ProductError, ProductPaths, Products, RunInfo, input_checksums};
use coagtag::output::run_state::{self, End, Header, OntologyFile, Recording, StateReader, StoredOntology};
use coagtag::pipeline::{self, ArticleSink, RunSummary};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run directories written by `coagtag tag --out-dir` (or by an earlier merge), in the order
    /// their inputs would be read: a later record replaces an earlier one with the same id, a
    /// delete record removes one, as in one run over all the inputs.
    #[arg(required = true, value_name = "RUN")]
    runs: Vec<PathBuf>,

    /// Write every product here (a run directory itself: it can be merged or updated again).
    #[arg(long, value_name = "DIR", required = true)]
    out_dir: PathBuf,
}

/// The warnings a manifest lists: every line the command said, up to a limit.
#[derive(Default)]
pub struct Warnings {
    lines: Vec<String>,
    more: usize,
}

impl Warnings {
    const KEPT: usize = 999;

    pub fn push(&mut self, line: String) {
        if self.lines.len() < Self::KEPT {
            self.lines.push(line);
        } else {
            self.more += 1;
        }
    }

    pub fn into_lines(mut self) -> Vec<String> {
        if self.more > 0 {
            self.lines.push(format!("... and {} more", self.more));
        }
        self.lines
    }
}

/// Show a diagnostic (unless quiet) and keep it for the manifest; replacements are counted and
/// shown at the end ([`Repeats`]).
pub fn keep_diagnostic(
    d: Diagnostic,
    repeats: &mut Repeats,
    warnings: &mut Warnings,
    quiet: bool,
    show: &dyn Fn(&str),
) {
    if let Some(d) = repeats.take(d) {
        let line = super::common::diagnostic(&d);
        if !quiet || d.severity == Severity::Error {
            show(&format!("coagtag: {line}"));
        }
        warnings.push(line);
    }
}

/// The repeated warnings' summary lines, shown and kept.
pub fn finish_diagnostics(repeats: Repeats, warnings: &mut Warnings, quiet: bool) {
    for d in repeats.finish() {
        let line = super::common::diagnostic(&d);
        if !quiet {
            eprintln!("coagtag: {line}");
        }
        warnings.push(line);
    }
}

/// The header of a run's state: the ontology's files and hash, the product options.
pub fn state_header(sources: &[OntologySource], ont: &Ontology, options: serde_json::Value) -> anyhow::Result<Header> {
    let files = ontology::read_texts(sources)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("reading the ontology's files again for the run's state")?;
    Ok(Header::new(
        StoredOntology {
            sha256: ontology_sha256(ont),
            files: files
                .into_iter()
                .map(|(name, text)| OntologyFile { name, text })
                .collect(),
        },
        options,
    ))
}

/// The products of a run, with its state recorded when it has one (a run directory).
pub enum RunSink<'o> {
    Plain(Box<Products<'o>>),
    Recorded(Box<Recording<Products<'o>>>),
}

impl<'o> RunSink<'o> {
    pub fn new(products: Products<'o>, state: Option<(&Path, &Header)>) -> anyhow::Result<RunSink<'o>> {
        Ok(match state {
            None => RunSink::Plain(Box::new(products)),
            Some((dir, header)) => {
                let path = dir.join(run_state::FILE_NAME);
                let r = Recording::create(&path, header, products)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                RunSink::Recorded(Box::new(r))
            }
        })
    }

    pub fn sink(&mut self) -> &mut dyn ArticleSink {
        match self {
            RunSink::Plain(p) => p.as_mut(),
            RunSink::Recorded(r) => r.as_mut(),
        }
    }

    /// The products, their inputs and warnings set, the state (if any) to be committed with them.
    /// (The inputs of a plain run are read again for their checksums only when the manifest
    /// needs them: `files` are its input files; those in `read` were hashed as they were read.)
    pub fn into_products(
        self,
        files: &[PathBuf],
        read: Option<&ReadDigests>,
        warnings: Vec<String>,
    ) -> anyhow::Result<Products<'o>> {
        let mut products = match self {
            RunSink::Plain(p) => *p,
            RunSink::Recorded(r) => {
                let inputs = input_checksums(files, read)?;
                return Self::Recorded(r).into_known(inputs, files.len(), warnings);
            }
        };
        products.set_warnings(warnings);
        Ok(products)
    }

    /// Like [`RunSink::into_products`], with the inputs known (a merge) and their number.
    pub fn into_known(
        self,
        inputs: Vec<InputFile>,
        files: usize,
        warnings: Vec<String>,
    ) -> anyhow::Result<Products<'o>> {
        let mut products = match self {
            RunSink::Plain(p) => *p,
            RunSink::Recorded(r) => {
                let end = End {
                    files,
                    inputs: inputs.clone(),
                };
                let (mut products, state) = r.finish(&end);
                let state = state.context("cannot write the run's state")?;
                products.commit_with(state);
                products
            }
        };
        products.set_inputs(inputs);
        products.set_warnings(warnings);
        Ok(products)
    }
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let labels: Vec<String> = args.runs.iter().map(|r| r.display().to_string()).collect();
    merge(&args.runs, &labels, &args.out_dir, quiet)
}

/// Merge `runs` (called `labels` in messages) into `out_dir`; exit 2 (and nothing written)
/// when they cannot be merged.
pub fn merge(runs: &[PathBuf], labels: &[String], out_dir: &Path, quiet: bool) -> anyhow::Result<ExitCode> {
    let started = SystemTime::now();
    let fail = |message: String| {
        eprintln!("coagtag: error: {message}");
        eprintln!("coagtag: nothing written");
        Ok(ExitCode::from(2))
    };
    let mut readers = Vec::new();
    for dir in runs {
        match StateReader::open(dir) {
            Ok(r) => readers.push(r),
            Err(e) => return fail(e.to_string()),
        }
    }
    let first = &readers[0];
    for (r, label) in readers.iter().zip(labels).skip(1) {
        if let Some(why) = run_state::incompatibility(&first.header, &labels[0], &r.header, label) {
            return fail(why);
        }
    }
    let header = first.header.clone();
    let texts: Vec<(&str, &str)> = header
        .ontology
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    let ont = match ontology::load_texts(&texts) {
        Ok(o) if ontology_sha256(&o) == header.ontology.sha256 => o,
        Ok(o) => {
            return fail(format!(
                "{}: the ontology kept in the state has sha256 {}, not {} as recorded (this coagtag reads it otherwise); tag the inputs again",
                first.path().display(),
                ontology_sha256(&o),
                header.ontology.sha256
            ));
        }
        Err(e) => {
            return fail(format!(
                "{}: the ontology kept in the state: {e}",
                first.path().display()
            ));
        }
    };
    let popts = match super::tag::product_options_of(&header.options) {
        Ok(o) => o,
        Err(e) => return fail(format!("{}: {e}; tag the inputs again", first.path().display())),
    };
    let made_dir = !out_dir.exists();
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create the output directory {}", out_dir.display()))?;
    let products = Products::create(&ont, ProductPaths::in_dir(out_dir), popts)?;
    let mut run = RunSink::new(products, Some((out_dir, &header)))?;
    let mut repeats = Repeats::default();
    let mut warnings = Warnings::default();
    let mut ends: Vec<End> = Vec::new();
    let mut failure = None;
    let mut summary = pipeline::for_each_event(
        &mut |d| keep_diagnostic(d, &mut repeats, &mut warnings, quiet, &|l| eprintln!("{l}")),
        run.sink(),
        &mut |on| {
            for r in readers.drain(..) {
                match r.events(on) {
                    Ok(end) => ends.push(end),
                    Err(e) => {
                        failure = Some(e);
                        return;
                    }
                }
            }
        },
    );
    finish_diagnostics(repeats, &mut warnings, quiet);
    let nothing_written = |run: RunSink| {
        drop(run);
        if made_dir {
            let _ = std::fs::remove_dir(out_dir);
        }
    };
    if let Some(e) = failure {
        nothing_written(run);
        return fail(e.to_string());
    }
    if !run.sink().keep_going() {
        // the products stopped taking articles: their error comes with finish
        let products = run.into_known(Vec::new(), 0, Vec::new())?;
        return Err(match products.finish(run_info(started, Vec::new(), &header, summary)) {
            Err(e) => e.into(),
            Ok(_) => anyhow::anyhow!("the merge stopped early"),
        });
    }
    summary.files = ends.iter().map(|e| e.files).sum();
    if summary.documents == 0 {
        nothing_written(run);
        return fail("the runs hold no article".into());
    }
    let inputs: Vec<InputFile> = ends.into_iter().flat_map(|e| e.inputs).collect();
    let paths: Vec<PathBuf> = inputs.iter().map(|f| PathBuf::from(&f.path)).collect();
    let products = run.into_known(inputs, summary.files, warnings.into_lines())?;
    let done = match products.finish(run_info(started, paths, &header, summary.clone())) {
        Ok(d) => d,
        Err(e @ ProductError::Io { .. }) => return Err(e.into()),
        Err(e) => return fail(e.to_string()),
    };
    for n in &done.notes {
        eprintln!("coagtag: note: {}", super::tag::notice(n));
    }
    if !quiet {
        eprintln!(
            "coagtag: merged {} runs: {} articles, {} mentions{}",
            runs.len(),
            done.articles,
            done.mentions,
            replaced_and_deleted(&summary)
        );
        if summary.had_errors() {
            eprintln!(
                "coagtag: the runs' inputs had problems ({}); the manifest lists them",
                summary.problems()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `, 6 replaced by a later record, 2 deleted` for a run's last line (empty when neither).
pub fn replaced_and_deleted(summary: &RunSummary) -> String {
    let mut line = String::new();
    if summary.replaced > 0 {
        line.push_str(&format!(", {} replaced by a later record", summary.replaced));
    }
    if summary.deleted > 0 {
        line.push_str(&format!(", {} deleted", summary.deleted));
    }
    line
}

fn run_info(started: SystemTime, inputs: Vec<PathBuf>, header: &Header, summary: RunSummary) -> RunInfo {
    RunInfo {
        started,
        inputs,
        options: header.options.clone(),
        summary,
    }
}
