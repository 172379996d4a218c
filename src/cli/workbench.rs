//! The vocabulary workbench commands: explain, stats, suggest, diff.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use coagtag::workbench::{diff, explain, stats, suggest};

use super::common::{InputArgs, OntologyArgs, read_all, write_output};

/// `coagtag explain "TEXT"` or `coagtag explain --pmid ID INPUT...`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The text to explain, or with --pmid the input files to look the article up in.
    #[arg(required = true, value_name = "TEXT|INPUT")]
    args: Vec<String>,

    /// Explain this article (by id) from the inputs instead of a text.
    #[arg(long, value_name = "ID")]
    pmid: Option<String>,

    #[command(flatten)]
    ontology: OntologyArgs,

    #[command(flatten)]
    input: InputArgs,
}

pub fn explain(a: ExplainArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    if a.pmid.is_none()
        && let Some(file) = a.args.iter().find(|t| Path::new(t.as_str()).exists())
    {
        // a path is not a text to explain: the user meant an article in it
        let what = if Path::new(file.as_str()).is_dir() {
            "a directory"
        } else {
            "a file"
        };
        bail!(
            "error: {file:?} is {what}, not a text; to explain an article in it, name the article: coagtag explain --pmid ID {file}"
        );
    }
    let Some(t) = a.ontology.tagger(quiet) else {
        return Ok(ExitCode::from(2));
    };
    match &a.pmid {
        None => {
            if a.args.len() != 1 {
                bail!(
                    "explain takes one text (quote it: coagtag explain \"TF rose in sepsis\"); to explain an article use --pmid ID INPUT..."
                );
            }
            super::common::out(&explain::explain_text(&t, &a.args[0]))?;
        }
        Some(id) => {
            let inputs: Vec<PathBuf> = a.args.iter().map(PathBuf::from).collect();
            let (docs, summary) = read_all(&inputs, &a.input, quiet)?;
            let Some(doc) = docs.iter().find(|d| &d.id == id) else {
                eprintln!(
                    "coagtag: article {id} is not in the inputs ({} articles read)",
                    docs.len()
                );
                return Ok(ExitCode::from(2));
            };
            super::common::out(&explain::explain_document(&t, doc))?;
            if summary.had_errors() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `coagtag stats INPUT...`: the yield of every term.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Input files or directories.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Also write one CSV row per term here.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// How many of the most frequent terms to show with sample contexts.
    #[arg(long, default_value_t = 20)]
    top: usize,

    /// Sample contexts per term.
    #[arg(long, default_value_t = 3)]
    samples: usize,

    /// Seed of the context sample (the same seed gives the same sample).
    #[arg(long, default_value_t = 42)]
    seed: u64,

    #[command(flatten)]
    ontology: OntologyArgs,

    #[command(flatten)]
    input: InputArgs,
}

pub fn stats(a: StatsArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let Some(t) = a.ontology.tagger(quiet) else {
        return Ok(ExitCode::from(2));
    };
    let (docs, summary) = read_all(&a.inputs, &a.input, quiet)?;
    let mut b = stats::StatsBuilder::new(&t.ontology, a.seed, a.samples);
    for d in &docs {
        b.add(&t.matcher, d);
    }
    let articles = b.articles;
    let s = b.finish();
    super::common::out(&stats::render(&t.ontology, &s, articles, a.top))?;
    if let Some(path) = &a.output {
        write_output(Some(path), |w| stats::write_csv(w, &t.ontology, &s))?;
    }
    Ok(if summary.had_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `coagtag suggest INPUT... -o candidates.yaml`.
#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    /// Input files or directories.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Write the `extend:` file here (standard output if not given).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Suggest a form only if it occurs at least this often.
    #[arg(long, default_value_t = 2)]
    min_count: u64,

    /// Example contexts per suggestion.
    #[arg(long, default_value_t = 3)]
    examples: usize,

    #[command(flatten)]
    ontology: OntologyArgs,

    #[command(flatten)]
    input: InputArgs,
}

pub fn suggest(a: SuggestArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let Some(t) = a.ontology.tagger(quiet) else {
        return Ok(ExitCode::from(2));
    };
    let (docs, summary) = read_all(&a.inputs, &a.input, quiet)?;
    let opts = suggest::SuggestOptions {
        min_count: a.min_count,
        examples: a.examples,
    };
    let mut s = suggest::Suggester::new(&t.ontology, &t.matcher, opts);
    for d in &docs {
        s.add(d);
        for def in coagtag::tag::abbrev::find_definitions(d) {
            let text = &d.sections[def.section as usize].text;
            let (a, b) = (def.long_span.0 as usize, def.short_span.1 as usize);
            let ctx = coagtag::workbench::stats::context(text, a.min(b), a.max(b), 30);
            s.add_definition(&d.id, &def.short, &def.long, &ctx);
        }
    }
    let found = s.finish();
    let source: Vec<String> = a.inputs.iter().map(|p| p.display().to_string()).collect();
    let yaml = suggest::to_yaml(&t.ontology, &found, &source.join(", "));
    write_output(a.output.as_ref(), |w| w.write_all(yaml.as_bytes()))?;
    if !quiet {
        eprintln!(
            "coagtag: {} candidate additions from {} articles",
            found.len(),
            docs.len()
        );
    }
    Ok(if summary.had_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `coagtag diff OLD NEW`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier run: a matrix CSV or an --out-dir directory.
    old: PathBuf,
    /// The later run.
    new: PathBuf,

    /// Also write every changed cell with its evidence as CSV here.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Changes shown per concept in the report.
    #[arg(long, default_value_t = 10)]
    show: usize,
}

pub fn diff(a: DiffArgs, _quiet: bool) -> anyhow::Result<ExitCode> {
    // diff prints its report on standard output and nothing else on standard error
    let old = diff::load_run(&a.old)?;
    let new = diff::load_run(&a.new)?;
    let d = diff::diff(&old, &new);
    super::common::out(&diff::render(&d, &old, &new, a.show))?;
    if let Some(p) = &a.output {
        write_output(Some(p), |w| diff::write_csv(w, &d, &old, &new))?;
    }
    Ok(ExitCode::SUCCESS)
}
