//! `coagtag tag`: read, tag, write the products (see the README's "Products" section).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::SystemTime;

use anyhow::Context;
use clap::ValueEnum;
use coagtag::diagnostic::Severity;
use coagtag::input::{self, Format, InputOptions};
use coagtag::output::Dialect;
use coagtag::output::categories::Rollup;
use coagtag::output::matrix::{Layout, MatrixOptions, Values};
use coagtag::output::products::{ProductError, ProductOptions, ProductPaths, Products, RunInfo};
use coagtag::pipeline;
use coagtag::tag::Tagger;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input files or directories (`-` for standard input, with --format).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Write the matrix here (`-` for standard output, the default when no other product is
    /// asked for). Every file is written atomically.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Write every product into DIR under its standard name: matrix.csv, categories.csv,
    /// evidence.csv, cooccurrence.csv, summary.csv, articles.csv, matrix.xlsx (all of them as
    /// sheets) and manifest.json. A product's own flag overrides its path.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,

    /// Write the evidence: one row per mention with its sentence.
    #[arg(long, value_name = "FILE")]
    evidence: Option<PathBuf>,

    /// Write the matrix rolled up to categories (see --rollup).
    #[arg(long, value_name = "FILE")]
    category_matrix: Option<PathBuf>,

    /// Write concept-by-concept and category-by-category counts of articles mentioning both.
    #[arg(long, value_name = "FILE")]
    cooccurrence: Option<PathBuf>,

    /// Write per-concept and per-category totals and the most frequent surface forms.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,

    /// Write one row per article: metadata and mention totals.
    #[arg(long, value_name = "FILE")]
    articles: Option<PathBuf>,

    /// Write the run's manifest (tool version, ontology hash, input checksums, options, counts).
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,

    /// Write one JSON object per article with its mentions.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,

    /// Write a workbook with one sheet per product (typed cells, frozen headers, filters).
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,

    /// Ontology file or directory; repeat to combine. `default` names the embedded ontology,
    /// so `--ontology default --ontology mine.yaml` extends it.
    #[arg(long, value_name = "FILE|DIR|default")]
    ontology: Vec<String>,

    /// What the cells of the matrix and the category matrix hold.
    #[arg(long, value_enum, default_value_t = ValuesArg::Counts)]
    values: ValuesArg,

    /// Concept rows (one column per article) or article rows (one column per concept).
    ///
    /// `auto` writes concept rows unless there are more articles than a spreadsheet has
    /// columns (16,384 with the three label columns), and then article rows, saying so.
    #[arg(long, value_enum, default_value_t = LayoutArg::Auto)]
    layout: LayoutArg,

    /// Put year, journal and doi after article_id in the matrix (implies article rows).
    #[arg(long)]
    matrix_metadata: bool,

    /// Category rows of the roll-up: the top-level categories, or all inner nodes too.
    #[arg(long, value_enum, default_value_t = RollupArg::Top)]
    rollup: RollupArg,

    /// Count only mentions in these sections (names in any case, comma-separated), e.g.
    /// title,results,conclusions. Applies to every product.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    sections: Option<Vec<String>>,

    /// Keep only the concepts under these categories (comma-separated ids). Applies to every
    /// product.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    categories: Option<Vec<String>>,

    /// Leave out of the matrix the concepts with fewer mentions than N in the whole run (the
    /// other products keep them).
    #[arg(long, value_name = "N", default_value_t = 0)]
    min_mentions: u64,

    /// CSV for Excel: a UTF-8 byte-order mark and CRLF line ends.
    #[arg(long)]
    excel: bool,

    /// Input format; by default taken from each file name and, for .txt, .xml and unknown
    /// names, from the first bytes.
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

    /// Also read text that is not the article's own English title and abstract (PubMed XML:
    /// `other-abstracts` reads VernacularTitle and OtherAbstract as sections).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "WHAT")]
    include: Vec<IncludeArg>,

    /// Stop at the first bad record instead of reporting and skipping it.
    #[arg(long)]
    strict: bool,

    /// Worker threads for tagging [default: all cores]. The output is the same for any number.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Bytes per block when one PubMed XML file is parsed on several threads (for tests: tiny
    /// blocks put block edges everywhere; the output does not depend on it).
    #[arg(long, value_name = "BYTES", hide = true, value_parser = clap::value_parser!(u64).range(1..))]
    pubmed_block_bytes: Option<u64>,

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
    /// Concept rows while they fit in a spreadsheet, else article rows.
    Auto,
    /// One row per concept, one column per article (warns beyond 16,384 columns).
    Concepts,
    /// One row per article, one column per concept.
    Articles,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum IncludeArg {
    /// PubMed `VernacularTitle` and `OtherAbstract` (translations and publisher abstracts).
    OtherAbstracts,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RollupArg {
    /// One row per top-level category.
    Top,
    /// One row per top-level category and per inner node.
    All,
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
    /// PubMed XML (PubmedArticleSet or MedlineCitationSet), one article per record.
    Pubmed,
    /// MEDLINE text (PMID-, TI  -, AB  - lines), records separated by blank lines.
    Medline,
    /// PubTator (PMID|t|title, PMID|a|abstract; annotation lines ignored).
    Pubtator,
    /// BioC XML, one document per <document>, passages as sections.
    Bioc,
}

impl FormatArg {
    fn to_format(self) -> Format {
        match self {
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Text => Format::Text,
            FormatArg::Pubmed => Format::Pubmed,
            FormatArg::Medline => Format::Medline,
            FormatArg::Pubtator => Format::Pubtator,
            FormatArg::Bioc => Format::Bioc,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = SystemTime::now();
    let counters = Arc::new(input::Progress::default());
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
        include_other_abstracts: args.include.contains(&IncludeArg::OtherAbstracts),
        progress: Some(Arc::clone(&counters)),
        pubmed_block_bytes: args
            .pubmed_block_bytes
            .map_or(coagtag::input::pubmed::DEFAULT_BLOCK_BYTES, |b| {
                usize::try_from(b).unwrap_or(usize::MAX)
            }),
        ..InputOptions::default()
    };
    let product_opts = ProductOptions {
        dialect: Dialect { excel: args.excel },
        matrix: MatrixOptions {
            values: match args.values {
                ValuesArg::Counts => Values::Counts,
                ValuesArg::Binary => Values::Binary,
            },
            layout: match args.layout {
                LayoutArg::Auto => Layout::Auto,
                LayoutArg::Concepts => Layout::Concepts,
                LayoutArg::Articles => Layout::Articles,
            },
            metadata: args.matrix_metadata,
            min_mentions: args.min_mentions,
        },
        rollup: match args.rollup {
            RollupArg::Top => Rollup::Top,
            RollupArg::All => Rollup::All,
        },
        sections: args.sections.clone(),
        categories: args.categories.clone(),
    };
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output directory {}", dir.display()))?;
    }
    let paths = product_paths(&args);
    let mut products = match Products::create(&tagger.ontology, paths, product_opts.clone()) {
        Ok(p) => p,
        Err(e @ ProductError::Usage { .. }) => {
            eprintln!("coagtag: error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    let quiet = args.quiet;
    let start = std::time::Instant::now();
    let stderr = io::stderr();
    let diag = |d: coagtag::diagnostic::Diagnostic| {
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
    // directories walked once, for the progress line and the manifest
    let expanded = input::expand_inputs(&args.inputs, &opts).ok();
    // the progress line (a terminal only, not with --quiet): files, MB, articles/s, ETA
    let (n_files, total_bytes) = match &expanded {
        Some(files) => {
            let sizes: Option<u64> = files
                .iter()
                .map(|f| std::fs::metadata(f).ok().filter(|m| m.is_file()).map(|m| m.len()))
                .sum();
            (files.len(), sizes.unwrap_or(0))
        }
        None => (args.inputs.len(), 0),
    };
    let progress = super::progress::ProgressLine::start(&counters, n_files, total_bytes, quiet);
    let mut diag = |d: coagtag::diagnostic::Diagnostic| {
        progress.clear_for_message();
        diag(d)
    };
    // the products take the articles as they come (streaming), replacements and deletions too
    let ran = pipeline::for_each_article(
        Some(&tagger),
        &args.inputs,
        &opts,
        sopts,
        args.strict,
        &mut diag,
        &mut products,
    );
    progress.finish();
    let summary = match ran {
        Ok(r) => r,
        Err(e) => {
            eprintln!("coagtag: error: {e}");
            eprintln!("coagtag: stopped at the first problem (--strict); no output written");
            return Ok(ExitCode::from(2));
        }
    };
    let inputs = expanded.unwrap_or_else(|| args.inputs.clone());
    let run = RunInfo {
        started,
        inputs,
        options: options_json(&args, &product_opts),
        summary: summary.clone(),
    };
    let done = products.finish(run)?;
    for note in &done.notes {
        // a note changes what the user gets, so it shows even with --quiet
        eprintln!("coagtag: note: {note}");
    }
    if !quiet {
        let secs = start.elapsed().as_secs_f64();
        let mb = counters.bytes_decoded.load(Ordering::Relaxed) as f64 / 1e6;
        let mut line = format!(
            "coagtag: {} articles, {} mentions of {} concepts, {:.2} s, {:.1} MB of input at {:.1} MB/s",
            done.articles,
            done.mentions,
            tagger.ontology.concepts.len(),
            secs,
            mb,
            if secs > 0.0 { mb / secs } else { 0.0 }
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

/// Where each product goes: --out-dir names them all, a product's own flag wins, and with no
/// product asked for at all the matrix goes to standard output.
fn product_paths(args: &Args) -> ProductPaths {
    let mut p = match &args.out_dir {
        Some(dir) => ProductPaths::in_dir(dir),
        None => ProductPaths::default(),
    };
    let set = |slot: &mut Option<PathBuf>, flag: &Option<PathBuf>| {
        if let Some(f) = flag {
            *slot = Some(f.clone());
        }
    };
    set(&mut p.matrix, &args.output);
    set(&mut p.evidence, &args.evidence);
    set(&mut p.categories, &args.category_matrix);
    set(&mut p.cooccurrence, &args.cooccurrence);
    set(&mut p.summary, &args.summary);
    set(&mut p.articles, &args.articles);
    set(&mut p.manifest, &args.manifest);
    set(&mut p.jsonl, &args.jsonl);
    set(&mut p.xlsx, &args.xlsx);
    if p == ProductPaths::default() {
        p.matrix = Some(PathBuf::from("-"));
    }
    p.pubtator = args.pubtator.clone();
    p
}

/// The options that shape the products, for the manifest.
fn options_json(args: &Args, p: &ProductOptions) -> serde_json::Value {
    serde_json::json!({
        "ontology": if args.ontology.is_empty() { vec!["default".to_string()] } else { args.ontology.clone() },
        "format": args.format.map(|f| f.to_format().name()),
        "id_field": args.id_field,
        "text_fields": args.text_fields,
        "include_other_abstracts": args.include.contains(&IncludeArg::OtherAbstracts),
        "values": p.matrix.values.as_str(),
        "layout": p.matrix.layout.as_str(),
        "matrix_metadata": p.matrix.metadata,
        "rollup": p.rollup.as_str(),
        "sections": p.sections,
        "categories": p.categories,
        "min_mentions": p.matrix.min_mentions,
        "excel": p.dialect.excel,
        "strict": args.strict,
    })
}
