//! `coagtag ontology ...`: commands that make or transform ontology files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use coagtag::eval::{self, GoldDoc};
use coagtag::output::AtomicFile;
use std::io::Write as _;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: OntologyCommand,
}

#[derive(Debug, Subcommand)]
enum OntologyCommand {
    /// Build an ontology from annotated PubTator corpora (one concept per annotated id).
    ///
    /// Each concept sits under one top-level concept per annotation type; its annotated surface
    /// forms become synonyms or, when they are short forms, abbreviations. See
    /// docs/evaluation.md.
    FromPubtator(FromPubtatorArgs),
}

#[derive(Debug, clap::Args)]
struct FromPubtatorArgs {
    /// Annotated PubTator files (`.gz` works).
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<PathBuf>,

    /// Write the YAML here (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Precision pruning: tag the input documents with the vocabulary and drop every term whose
    /// matches are annotated mentions in less than this share of cases (0 keeps every term).
    #[arg(long, value_name = "SHARE", default_value_t = eval::vocab::DEFAULT_MIN_ANNOTATED_SHARE,
          value_parser = share)]
    min_annotated_share: f64,

    /// Prune only terms that match at least this many times in the input documents.
    #[arg(long, value_name = "N", default_value_t = eval::vocab::DEFAULT_MIN_OCCURRENCES)]
    min_occurrences: usize,
}

fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("expected a share between 0 and 1, got {s:?}")),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        OntologyCommand::FromPubtator(a) => from_pubtator(a),
    }
}

fn from_pubtator(args: FromPubtatorArgs) -> anyhow::Result<ExitCode> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    for p in &args.inputs {
        match eval::gold::read_file(p) {
            Ok(d) => docs.extend(d),
            Err(e) => {
                eprintln!("coagtag: {e}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    let sources: Vec<String> = args
        .inputs
        .iter()
        .map(|p| {
            p.file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let options = eval::vocab::VocabOptions {
        min_annotated_share: args.min_annotated_share,
        min_occurrences: args.min_occurrences,
    };
    let (yaml, s) = eval::vocab::from_pubtator_with(&docs, &sources, &options);
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let mut f = AtomicFile::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            f.write_all(yaml.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            f.commit().with_context(|| format!("cannot write {}", path.display()))?;
        }
        _ => std::io::stdout()
            .write_all(yaml.as_bytes())
            .context("cannot write the ontology")?,
    }
    eprintln!(
        "coagtag: {} concepts ({} synonyms, {} abbreviations) from {} annotations in {} documents; left out for want of an id: {}; surface forms annotated with several ids (each given to its most frequent): {}; terms dropped as seldom annotated where they match: {}",
        s.concepts,
        s.synonyms,
        s.abbreviations,
        s.annotations - s.without_id,
        s.documents,
        s.without_id,
        s.contested,
        s.pruned.len()
    );
    for (id, term, n, annotated) in &s.pruned {
        eprintln!("coagtag: dropped {term:?} ({id}): {annotated} of its {n} matches annotated");
    }
    Ok(ExitCode::SUCCESS)
}
