//! `coagtag tag`: read, tag, write the matrix.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use coagtag::diagnostic::Severity;
use coagtag::input::{Format, InputOptions};
use coagtag::output::AtomicFile;
use coagtag::output::matrix::{self, Layout, Values};
use coagtag::output::pubtator;
use coagtag::pipeline::{self, Tagger};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input files or directories (`-` for standard input, with --format).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Write the matrix here instead of standard output (written atomically).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Ontology file or directory; repeat to combine. `default` names the embedded ontology,
    /// so `--ontology default --ontology mine.yaml` extends it.
    #[arg(long, value_name = "FILE|DIR|default")]
    ontology: Vec<String>,

    /// What the cells hold.
    #[arg(long, value_enum, default_value_t = ValuesArg::Counts)]
    values: ValuesArg,

    /// Concept rows (one column per article) or article rows (one column per concept).
    #[arg(long, value_enum, default_value_t = LayoutArg::Concepts)]
    layout: LayoutArg,

    /// Input format; by default taken from each file name.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,

    /// The id field (JSONL) or column (CSV/TSV).
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,

    /// Text fields or columns, comma-separated, each one a section
    /// [default: title,abstract, or text].
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    text_fields: Option<Vec<String>>,

    /// Also write every mention in PubTator format to this file (document text lines, then one
    /// line per mention: PMID, start, end, text, type, concept id), for external scorers.
    #[arg(long, value_name = "FILE")]
    pubtator: Option<PathBuf>,

    /// Stop at the first bad record instead of reporting and skipping it.
    #[arg(long)]
    strict: bool,

    /// Worker threads for tagging [default: all cores]. The output is the same for any number.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Print no summary line and no warnings (errors are still printed).
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ValuesArg {
    /// Number of mentions.
    Counts,
    /// 1 if mentioned at all, else 0.
    Binary,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LayoutArg {
    /// One row per concept, one column per article.
    Concepts,
    /// One row per article, one column per concept.
    Articles,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// Plain text, one file one document.
    Text,
}

impl FormatArg {
    fn to_format(self) -> Format {
        match self {
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Text => Format::Text,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tagger = match Tagger::load(&super::ontology_sources(&args.ontology)) {
        Ok(t) => t,
        Err(e) => {
            eprint!("coagtag: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let opts = InputOptions {
        format: args.format.map(FormatArg::to_format),
        id_field: args.id_field.clone(),
        text_fields: args.text_fields.clone(),
    };
    let quiet = args.quiet;
    let start = std::time::Instant::now();
    let stderr = io::stderr();
    let mut diag = |d: coagtag::diagnostic::Diagnostic| {
        if !quiet || d.severity == Severity::Error {
            let _ = writeln!(stderr.lock(), "coagtag: {d}");
        }
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let sopts = pipeline::StreamOptions {
        threads,
        ..Default::default()
    };
    let (results, summary) = match pipeline::run_with(&tagger, &args.inputs, &opts, sopts, args.strict, &mut diag) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("coagtag: error: {e}");
            eprintln!("coagtag: stopped at the first problem (--strict); no output written");
            return Ok(ExitCode::from(2));
        }
    };
    let values = match args.values {
        ValuesArg::Counts => Values::Counts,
        ValuesArg::Binary => Values::Binary,
    };
    let layout = match args.layout {
        LayoutArg::Concepts => Layout::Concepts,
        LayoutArg::Articles => Layout::Articles,
    };
    let articles: Vec<_> = results.articles().map(|a| a.counts()).collect();
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let mut f = AtomicFile::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            matrix::write_matrix(&mut f, &tagger.ontology, &articles, values, layout)
                .with_context(|| format!("cannot write {}", path.display()))?;
            f.commit().with_context(|| format!("cannot write {}", path.display()))?;
        }
        _ => {
            let stdout = io::stdout();
            matrix::write_matrix(stdout.lock(), &tagger.ontology, &articles, values, layout)
                .context("cannot write the matrix")?;
        }
    }
    if let Some(path) = &args.pubtator {
        let mut f = AtomicFile::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        for a in results.articles() {
            pubtator::write_document(&mut f, &tagger.ontology, &a.doc, &a.mentions)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        f.commit().with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !quiet {
        let mut line = format!(
            "coagtag: {} articles, {} mentions of {} concepts, {:.2} s",
            articles.len(),
            summary.mentions,
            tagger.ontology.concepts.len(),
            start.elapsed().as_secs_f64()
        );
        if summary.replaced > 0 {
            line.push_str(&format!(", {} replaced by a later record", summary.replaced));
        }
        if summary.deleted > 0 {
            line.push_str(&format!(", {} deleted", summary.deleted));
        }
        eprintln!("{line}");
    }
    if summary.had_errors() {
        eprintln!(
            "coagtag: {} record{} skipped and {} file{} not fully read; every other article is in the output",
            summary.skipped,
            if summary.skipped == 1 { "" } else { "s" },
            summary.failed_files,
            if summary.failed_files == 1 { "" } else { "s" },
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
