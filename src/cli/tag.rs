//! `coagtag tag`: read, tag, write the products (see the README's "Products" section).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use anyhow::Context;
use clap::ValueEnum;
use coagtag::SectionKind;
use coagtag::diagnostic::Repeats;
use coagtag::input::ahead::ReadAhead;
use coagtag::input::digest::ReadDigests;
use coagtag::input::{self, InputOptions};
use coagtag::ontology::OntologySource;
use coagtag::output::categories::{Rollup, RollupEvidence};
use coagtag::output::matrix::{Layout, MatrixOptions, Values};
use coagtag::output::products::{
    Exclude, ProductError, ProductKind, ProductOptions, ProductPaths, Products, RunInfo, Table, named_with_closest,
};
use coagtag::output::{Dialect, Notice};
use coagtag::pipeline;
use coagtag::tag::{Stages, Tagger};

use super::common::{InputArgs, OntologyArgs};
use super::merge;

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
    /// evidence.csv, cooccurrence.csv, summary.csv, articles.csv, trends.csv, directions.csv,
    /// matrix.xlsx (all of them as sheets), report.html, figures/, texts.jsonl.gz (what
    /// `coagtag report` rebuilds the report from) and manifest.json. A product's own flag
    /// overrides its path.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,

    /// With --out-dir, leave out the run's state (state.jsonl.gz): the run cannot be merged
    /// (`coagtag merge`) or updated (--update) then, and takes less time and disk.
    #[arg(long, requires = "out_dir")]
    no_state: bool,

    /// With --out-dir, write the run's state only (state.jsonl.gz), no product: a shard for
    /// `coagtag merge`, which writes the products (a third of the disk, and faster).
    #[arg(long, requires = "out_dir", conflicts_with_all = [
        "no_state", "output", "evidence", "category_matrix", "cooccurrence", "summary", "articles",
        "directions", "manifest", "jsonl", "xlsx", "trends", "report", "figures", "pubtator",
    ])]
    state_only: bool,

    /// Update the run directory DIR (written by --out-dir or `coagtag merge`) with INPUT, the
    /// new files (PubMed's daily update files), without reading its earlier inputs again: the
    /// products become those of one run over the earlier inputs and then the new ones. Give
    /// the same ontology and product options as the run had. The new run is built beside DIR
    /// and replaces it only when complete: if anything fails, DIR is left as it was.
    #[arg(long, value_name = "DIR", conflicts_with_all = [
        "out_dir", "output", "evidence", "category_matrix", "cooccurrence", "summary", "articles",
        "directions", "manifest", "jsonl", "xlsx", "trends", "report", "figures", "pubtator", "no_state",
        "state_only",
    ])]
    update: Option<PathBuf>,

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

    /// Write per article and category (see --rollup) and per article and concept how many
    /// mentions went up, went down, were negated or hedged.
    #[arg(long, value_name = "FILE")]
    directions: Option<PathBuf>,

    /// Leave these mentions out of every product (comma-separated): negated, hedged. The
    /// manifest records it.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "QUALIFIERS")]
    exclude: Vec<ExcludeArg>,

    /// Write the run's manifest (tool version, ontology hash, input checksums, options, counts).
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,

    /// Write one JSON object per article with its mentions.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,

    /// Write a workbook with one sheet per product (typed cells, frozen headers, filters).
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,

    /// Write articles and mentions per publication year, for each category and concept.
    #[arg(long, value_name = "FILE")]
    trends: Option<PathBuf>,

    /// Write the report: one self-contained HTML page (heatmaps, concepts, the articles with
    /// every mention highlighted) that opens in any browser without a network.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    /// Write the report's figures (SVG heatmaps and trend chart) into DIR.
    #[arg(long, value_name = "DIR")]
    figures: Option<PathBuf>,

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

    /// What the category-level products count (categories.csv, the category rows of
    /// summary.csv and cooccurrence.csv, articles.csv's categories, the workbook): `evidence`
    /// counts the mentions that evidence their category by its rules (a participant such as
    /// platelets only with a process in its sentence; evidence.csv's in_rollup column);
    /// `mentions` counts every mention (the plain roll-up).
    #[arg(long, value_enum, default_value_t = RollupEvidenceArg::Evidence)]
    rollup_evidence: RollupEvidenceArg,

    /// Count only mentions in these sections: section kinds (title, abstract, background,
    /// objective, introduction, methods, results, discussion, conclusions, caption, other) or
    /// names as the input writes them (any case, comma-separated), e.g. title,results.
    /// Applies to every product.
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

    /// Bytes per block when one PubMed XML file is parsed on several threads (for tests: tiny
    /// blocks put block edges everywhere; the output does not depend on it).
    #[arg(long, value_name = "BYTES", hide = true, value_parser = clap::value_parser!(u64).range(1..))]
    pubmed_block_bytes: Option<u64>,

    #[command(flatten)]
    ontology: OntologyArgs,

    #[command(flatten)]
    input: InputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ValuesArg {
    /// Number of mentions.
    Counts,
    /// 1 if mentioned at all, else 0.
    Binary,
    /// Mentions per 10,000 characters of the article's counted sections (full texts differ in
    /// length; two decimals).
    Density,
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
enum ExcludeArg {
    /// Mentions the sentence negates.
    Negated,
    /// Mentions the sentence hedges.
    Hedged,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RollupEvidenceArg {
    /// The mentions that evidence their category (roles and process cues).
    Evidence,
    /// Every mention.
    Mentions,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RollupArg {
    /// One row per top-level category.
    Top,
    /// One row per top-level category and per inner node.
    All,
}

/// The arguments resolved: what the run needs, checked, in the library's terms.
struct Options {
    inputs: Vec<PathBuf>,
    /// The ontologies to load, in order.
    ontology: Vec<OntologySource>,
    input: InputOptions,
    /// Live counts for the progress line (also in `input`).
    counters: Arc<input::Progress>,
    products: ProductOptions,
    paths: ProductPaths,
    out_dir: Option<PathBuf>,
    /// Without the run's state (--no-state).
    no_state: bool,
    /// The run's state alone (--state-only).
    state_only: bool,
    stream: pipeline::StreamOptions,
    strict: bool,
    quiet: bool,
    /// Every option that shapes the products, for the manifest.
    manifest: serde_json::Value,
}

impl Args {
    fn resolve(self, quiet: bool) -> Options {
        let counters = Arc::new(input::Progress::default());
        let input = InputOptions {
            progress: Some(Arc::clone(&counters)),
            pubmed_block_bytes: self
                .pubmed_block_bytes
                .map_or(coagtag::input::pubmed::DEFAULT_BLOCK_BYTES, |b| {
                    usize::try_from(b).unwrap_or(usize::MAX)
                }),
            ..self.input.options()
        };
        let products = product_options(&ProductArgs {
            excel: self.excel,
            values: self.values,
            layout: self.layout,
            matrix_metadata: self.matrix_metadata,
            min_mentions: self.min_mentions,
            rollup: self.rollup,
            sections: self.sections.clone(),
            categories: self.categories.clone(),
            rollup_evidence: self.rollup_evidence,
            exclude: self.exclude.clone(),
        });
        let manifest = serde_json::json!({
            "ontology": self.ontology.names(),
            "format": input.format.map(|f| f.name()),
            "id_field": input.id_field,
            "text_fields": input.text_fields,
            "include_other_abstracts": input.include_other_abstracts,
            "full_text_left_out": coagtag::input::fulltext::Part::left_out(input.full_text),
            "values": products.matrix.values.as_str(),
            "layout": products.matrix.layout.as_str(),
            "matrix_metadata": products.matrix.metadata,
            "rollup": products.rollup.as_str(),
            "rollup_evidence": products.rollup_evidence.as_str(),
            "sections": products.sections,
            "categories": products.categories,
            "min_mentions": products.matrix.min_mentions,
            "exclude": products.exclude.names(),
            "excel": products.dialect.excel,
            "strict": self.strict,
        });
        let threads = self
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Options {
            paths: self.product_paths(),
            ontology: self.ontology.sources(),
            inputs: self.inputs,
            input,
            counters,
            products,
            out_dir: self.out_dir,
            no_state: self.no_state,
            state_only: self.state_only,
            stream: pipeline::StreamOptions {
                threads,
                ..Default::default()
            },
            strict: self.strict,
            quiet,
            manifest,
        }
    }

    /// Where each product goes: --out-dir names them all, a product's own flag wins, and with no
    /// product asked for at all the matrix goes to standard output.
    fn product_paths(&self) -> ProductPaths {
        if self.state_only {
            return ProductPaths::default();
        }
        let mut p = match &self.out_dir {
            Some(dir) => ProductPaths::in_dir(dir),
            None => ProductPaths::default(),
        };
        let flags = [
            (ProductKind::Table(Table::Matrix), &self.output),
            (ProductKind::Table(Table::Evidence), &self.evidence),
            (ProductKind::Table(Table::Categories), &self.category_matrix),
            (ProductKind::Table(Table::Cooccurrence), &self.cooccurrence),
            (ProductKind::Table(Table::Summary), &self.summary),
            (ProductKind::Table(Table::Articles), &self.articles),
            (ProductKind::Table(Table::Trends), &self.trends),
            (ProductKind::Table(Table::Directions), &self.directions),
            (ProductKind::Manifest, &self.manifest),
            (ProductKind::Jsonl, &self.jsonl),
            (ProductKind::Xlsx, &self.xlsx),
            (ProductKind::Report, &self.report),
            (ProductKind::Figures, &self.figures),
        ];
        for (kind, path) in flags {
            if let Some(path) = path {
                p.set(kind, Some(path.clone()));
            }
        }
        if p.is_empty() {
            p.set(ProductKind::Table(Table::Matrix), Some(PathBuf::from("-")));
        }
        p.set(ProductKind::Pubtator, self.pubtator.clone());
        p
    }
}

/// The options that shape the products, as the command line gives them.
struct ProductArgs {
    excel: bool,
    values: ValuesArg,
    layout: LayoutArg,
    matrix_metadata: bool,
    min_mentions: u64,
    rollup: RollupArg,
    sections: Option<Vec<String>>,
    categories: Option<Vec<String>>,
    rollup_evidence: RollupEvidenceArg,
    exclude: Vec<ExcludeArg>,
}

fn product_options(a: &ProductArgs) -> ProductOptions {
    ProductOptions {
        dialect: Dialect { excel: a.excel },
        matrix: MatrixOptions {
            values: match a.values {
                ValuesArg::Counts => Values::Counts,
                ValuesArg::Binary => Values::Binary,
                ValuesArg::Density => Values::Density,
            },
            layout: match a.layout {
                LayoutArg::Auto => Layout::Auto,
                LayoutArg::Concepts => Layout::Concepts,
                LayoutArg::Articles => Layout::Articles,
            },
            metadata: a.matrix_metadata,
            min_mentions: a.min_mentions,
        },
        rollup: match a.rollup {
            RollupArg::Top => Rollup::Top,
            RollupArg::All => Rollup::All,
        },
        sections: a.sections.clone(),
        categories: a.categories.clone(),
        rollup_evidence: match a.rollup_evidence {
            RollupEvidenceArg::Evidence => RollupEvidence::Evidence,
            RollupEvidenceArg::Mentions => RollupEvidence::Mentions,
        },
        exclude: Exclude {
            negated: a.exclude.contains(&ExcludeArg::Negated),
            hedged: a.exclude.contains(&ExcludeArg::Hedged),
        },
    }
}

/// The product options a run recorded (its manifest's `options`, [`Args::resolve`]), for
/// `coagtag merge`; the error names the option that cannot be read.
pub fn product_options_of(o: &serde_json::Value) -> Result<ProductOptions, String> {
    fn get<'v>(o: &'v serde_json::Value, key: &str) -> Result<&'v serde_json::Value, String> {
        o.get(key).ok_or_else(|| format!("the option {key} is not recorded"))
    }
    fn pick<T: ValueEnum>(o: &serde_json::Value, key: &str) -> Result<T, String> {
        let v = get(o, key)?;
        v.as_str()
            .and_then(|s| T::from_str(s, false).ok())
            .ok_or_else(|| format!("the option {key} has an unknown value {v}"))
    }
    let flag = |key: &str| get(o, key).map(|v| v.as_bool() == Some(true));
    let list = |key: &str| -> Result<Option<Vec<String>>, String> {
        Ok(get(o, key)?
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()))
    };
    let exclude = get(o, "exclude")?
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| {
                    v.as_str()
                        .and_then(|s| ExcludeArg::from_str(s, false).ok())
                        .ok_or_else(|| format!("the option exclude has an unknown value {v}"))
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .transpose()?
        .unwrap_or_default();
    Ok(product_options(&ProductArgs {
        excel: flag("excel")?,
        values: pick(o, "values")?,
        layout: pick(o, "layout")?,
        matrix_metadata: flag("matrix_metadata")?,
        min_mentions: get(o, "min_mentions")?.as_u64().unwrap_or(0),
        rollup: pick(o, "rollup")?,
        sections: list("sections")?,
        categories: list("categories")?,
        rollup_evidence: pick(o, "rollup_evidence")?,
        exclude,
    }))
}

/// A product problem as the command line says it, with the flags that fix it.
fn product_error(e: &ProductError) -> String {
    match e {
        ProductError::Stdout { products } if products.iter().any(|k| !k.can_go_to_stdout()) => {
            let names: Vec<&str> = products
                .iter()
                .filter(|k| !k.can_go_to_stdout())
                .map(|k| k.name())
                .collect();
            format!(
                "{} cannot go to standard output (-): only a CSV or JSONL product can; give it a file name (a directory for --figures), or write every product with --out-dir DIR",
                names.join(" and ")
            )
        }
        ProductError::Stdout { products } => {
            let names: Vec<&str> = products.iter().map(|k| k.name()).collect();
            format!(
                "only one CSV or JSONL product can go to standard output (-), not {}; write the others to files, or all of them with --out-dir DIR",
                names.join(" and ")
            )
        }
        ProductError::MetadataNeedsArticleRows => {
            "metadata columns (year, journal, doi) need article rows; use --layout articles or auto with --matrix-metadata"
                .to_string()
        }
        ProductError::UnknownCategories { unknown, categories } => format!(
            "--categories: no concept {}; name top-level categories (or any concept ids), e.g. --categories {}",
            unknown.join(", "),
            categories.join(",")
        ),
        ProductError::UnknownSections { unknown } => {
            let kinds: Vec<&str> = SectionKind::ALL.iter().map(|k| k.name()).collect();
            format!(
                "--sections: no section is named {}; name section kinds ({}) or labels as the input writes them (e.g. BACKGROUND); nothing was written",
                named_with_closest(unknown),
                kinds.join(", ")
            )
        }
        other => other.to_string(),
    }
}

/// A notice as the command line says it, with the flags that change it.
pub fn notice(n: &Notice) -> String {
    match n {
        Notice::ArticleRows { .. } => format!("{n} (--layout concepts forces concept rows)"),
        Notice::TooManyColumns { .. } => {
            format!("{n}; use --layout articles (or auto) for a matrix a spreadsheet can show")
        }
        Notice::NoSectionOfKind { .. } => format!("--sections: {n}"),
        Notice::SheetCut { .. } => n.to_string(),
    }
}

/// `--update DIR`: tag the new inputs into a run beside DIR, merge DIR and it, and swap the
/// result in (see [`Args::update`]).
fn update(mut args: Args, dir: PathBuf, quiet: bool) -> anyhow::Result<ExitCode> {
    if let Err(e) = coagtag::output::run_state::StateReader::open(&dir) {
        eprintln!("coagtag: error: --update: {e}");
        eprintln!("coagtag: nothing written");
        return Ok(ExitCode::from(2));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned());
    // beside DIR (same file system: the swap is two renames); removed whatever happens
    let work = tempfile::Builder::new()
        .prefix(&format!(".{name}.update-"))
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a working directory in {}", parent.display()))?;
    let new = work.path().join("new");
    args.out_dir = Some(new.clone());
    // the merge reads the new run's state only: its products would be thrown away, and a
    // daily update file holding only deletions has a state but no article to write products of
    args.state_only = true;
    let tagged = run(args, quiet)?;
    if tagged == ExitCode::from(2) {
        eprintln!("coagtag: --update: {} left as it was", dir.display());
        return Ok(tagged);
    }
    let merged = work.path().join("merged");
    let labels = [dir.display().to_string(), "the new inputs".to_string()];
    let code = merge::merge(&[dir.clone(), new], &labels, &merged, quiet)?;
    if code != ExitCode::SUCCESS {
        eprintln!("coagtag: --update: {} left as it was", dir.display());
        return Ok(code);
    }
    let old = work.path().join("old");
    std::fs::rename(&dir, &old).with_context(|| format!("cannot move {} aside to replace it", dir.display()))?;
    if let Err(e) = std::fs::rename(&merged, &dir) {
        let back = match std::fs::rename(&old, &dir) {
            Ok(()) => " (the old run is back in place)".to_string(),
            Err(b) => {
                // the old run must outlive the working directory
                let _ = work.keep();
                format!("; the old run is in {} ({b}): move it back", old.display())
            }
        };
        return Err(anyhow::Error::new(e).context(format!(
            "cannot move the updated run into place as {}{back}",
            dir.display()
        )));
    }
    if let Err(e) = work.close() {
        eprintln!("coagtag: warning: cannot remove the old run's copy: {e}");
    }
    Ok(tagged)
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<ExitCode> {
    if let Some(dir) = args.update.clone() {
        let mut args = args;
        args.update = None;
        return update(args, dir, quiet);
    }
    let started = SystemTime::now();
    let opts = args.resolve(quiet);
    let quiet = opts.quiet;
    // before any work: every input readable and the ontology valid, every problem at once
    let files = super::common::checked_inputs(&opts.inputs, &opts.input);
    let keeps_state = opts.out_dir.is_some() && !opts.no_state;
    // the state ends with its inputs' checksums: taken from the bytes as they are read
    let digests = keeps_state.then(|| Arc::new(ReadDigests::default()));
    let mut input = InputOptions {
        digests: digests.clone(),
        ..opts.input.clone()
    };
    // With two threads or more, the first input is read ahead while the tagger is built
    // (decompressed and cut into blocks on the core the building leaves idle); it is read as
    // the run would read it, so nothing read changes.
    if let Ok(files) = &files
        && opts.stream.threads > 1
        && let Some(first) = files.first().filter(|f| f.is_file())
    {
        let ahead = ReadAhead::start(
            first,
            &InputOptions {
                decompress_thread: true,
                ..input.clone()
            },
        );
        input.ahead = Some(Arc::new(Mutex::new(Some(ahead))));
    }
    let tagger = Tagger::load(&opts.ontology);
    let (files, tagger) = match (files, tagger) {
        (Ok(f), Ok(t)) => {
            if !quiet {
                super::common::ontology_warnings(&t.ontology);
            }
            (f, t)
        }
        (files, tagger) => {
            if let Err(e) = &tagger {
                eprint!("coagtag: {e}");
            }
            match files {
                Err(closing) => eprintln!("coagtag: {closing}"),
                Ok(_) => eprintln!("coagtag: stopped before reading anything; nothing written"),
            }
            return Ok(ExitCode::from(2));
        }
    };
    // the stages the products read (a run's state records every annotation)
    let mut tagger = tagger;
    tagger.stages = match keeps_state {
        true => Stages::ALL,
        false => opts.paths.stages(&opts.products),
    };
    // a directory made for this run goes again if the run writes nothing
    let made_dir = opts.out_dir.as_ref().filter(|d| !d.exists());
    if let Some(dir) = &opts.out_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output directory {}", dir.display()))?;
    }
    let products = match Products::create(&tagger.ontology, opts.paths.clone(), opts.products.clone()) {
        Ok(p) => p,
        Err(e @ ProductError::Io { .. }) => return Err(e.into()),
        Err(e) => {
            eprintln!("coagtag: error: {}", product_error(&e));
            return Ok(ExitCode::from(2));
        }
    };
    let start = std::time::Instant::now();
    // the progress line (a terminal only, not with --quiet): files, MB, articles/s, ETA
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok().filter(|m| m.is_file()).map(|m| m.len()))
        .sum();
    let progress = super::progress::ProgressLine::start(&opts.counters, files.len(), total_bytes, quiet);
    // a run directory keeps the run's state, for `coagtag merge` and `tag --update`
    let header = match &opts.out_dir {
        Some(_) if keeps_state => Some(merge::state_header(
            &opts.ontology,
            &tagger.ontology,
            opts.manifest.clone(),
        )?),
        _ => None,
    };
    let mut products = merge::RunSink::new(products, opts.out_dir.as_deref().zip(header.as_ref()))?;
    // repeated warnings (replacements) become one line at the end
    let mut repeats = Repeats::default();
    let mut warnings = merge::Warnings::default();
    // the products take the articles as they come (streaming), replacements and deletions too
    let ran = pipeline::for_each_article(
        Some(&tagger),
        &files,
        &input,
        opts.stream,
        opts.strict,
        &mut |d| merge::keep_diagnostic(d, &mut repeats, &mut warnings, quiet, &|l| progress.println(l)),
        products.sink(),
    );
    progress.finish();
    merge::finish_diagnostics(repeats, &mut warnings, quiet);
    let nothing_written = |products: merge::RunSink| {
        drop(products);
        if let Some(dir) = made_dir {
            let _ = std::fs::remove_dir(dir);
        }
    };
    let summary = match ran {
        Ok(r) => r,
        Err(e) => {
            nothing_written(products);
            eprintln!("coagtag: error: {}", super::common::input_error(&e));
            if opts.strict {
                eprintln!("coagtag: stopped at the first problem (--strict); no output written");
            } else {
                eprintln!("coagtag: no output written");
            }
            return Ok(ExitCode::from(2));
        }
    };
    // a shard of deletions only (a daily update file can be one) is kept: its state is for a merge
    let deletions_to_merge = opts.state_only && summary.delete_ids > 0;
    if summary.documents == 0 && !deletions_to_merge {
        // an empty result must not replace a good one
        nothing_written(products);
        if summary.had_errors() {
            eprintln!("coagtag: {}", summary.problems());
        }
        eprintln!("coagtag: {}", super::common::NO_ARTICLE);
        if summary.delete_ids > 0 {
            eprintln!(
                "coagtag: the inputs hold only deletions ({} ids): to apply them to an earlier run, use `coagtag tag --update RUN_DIR FILE`, or write them as a shard with `--out-dir DIR --state-only` for `coagtag merge`",
                summary.delete_ids
            );
        }
        return Ok(ExitCode::from(2));
    }
    let products = products.into_products(&files, digests.as_deref(), warnings.into_lines())?;
    let run = RunInfo {
        started,
        inputs: files,
        options: opts.manifest.clone(),
        summary: summary.clone(),
    };
    let done = match products.finish(run) {
        Ok(d) => d,
        Err(e @ ProductError::Io { .. }) => return Err(e.into()),
        Err(e) => {
            eprintln!("coagtag: error: {}", product_error(&e));
            return Ok(ExitCode::from(2));
        }
    };
    for n in &done.notes {
        // a notice changes what the user gets, so it shows even with --quiet
        eprintln!("coagtag: note: {}", notice(n));
    }
    if !quiet {
        let secs = start.elapsed().as_secs_f64();
        let mb = opts.counters.bytes_decoded.load(Ordering::Relaxed) as f64 / 1e6;
        let mut line = format!(
            "coagtag: {} articles, {} mentions of {} concepts, {:.2} s, {:.1} MB of input at {:.1} MB/s",
            done.articles,
            done.mentions,
            tagger.ontology.concepts.len(),
            secs,
            mb,
            if secs > 0.0 { mb / secs } else { 0.0 }
        );
        line.push_str(&merge::replaced_and_deleted(&summary));
        eprintln!("{line}");
    }
    if summary.had_errors() {
        eprintln!("coagtag: {}; every other article is in the output", summary.problems());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
