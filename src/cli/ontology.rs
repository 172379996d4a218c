//! `coagtag ontology ...`: work on the vocabulary itself. One function per subcommand.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use coagtag::eval::{self, GoldDoc};
use coagtag::ontology::{
    self,
    export::{ExportFormat, ExportOptions},
};
use coagtag::workbench::{obo, tree};

use super::common::{OntologyArgs, out, write_output};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: OntologyCommand,
}

#[derive(Debug, Subcommand)]
enum OntologyCommand {
    /// Draw the concept hierarchy as a tree.
    Tree(TreeArgs),
    /// Write the vocabulary as TSV (one row per term), JSON or OBO 1.4.
    ///
    /// TSV columns: concept_id, term, kind (synonym, abbreviation, variant, exclude),
    /// case_sensitive (yes/no), variant_of (for variants: the term they were generated from).
    /// Variant rows appear only with --variants.
    Export(ExportArgs),
    /// Turn an OBO subtree (GO, HPO, MONDO, ...) into an ontology file.
    ///
    /// One concept per term under --root (following is_a, obsolete terms skipped): the name
    /// and the EXACT and RELATED synonyms become terms, the OBO id an xref.
    Import(ImportArgs),
    /// Build an ontology from annotated PubTator corpora (one concept per annotated id).
    ///
    /// Each concept sits under one top-level concept per annotation type; its annotated surface
    /// forms become synonyms or, when they are short forms, abbreviations. See
    /// docs/evaluation.md.
    FromPubtator(FromPubtatorArgs),
}

#[derive(Debug, clap::Args)]
struct TreeArgs {
    #[command(flatten)]
    ontology: OntologyArgs,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Tsv)]
    format: FormatArg,

    /// Write here instead of standard output (written atomically).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    #[command(flatten)]
    ontology: OntologyArgs,

    /// Also export the spelling variants generated at compile time.
    #[arg(long)]
    variants: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Tab-separated, one row per term, with a header.
    Tsv,
    /// One JSON document with the headers and the concepts.
    Json,
    /// OBO 1.4 flat file, one [Term] stanza per concept.
    Obo,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The OBO 1.4 file (e.g. go-basic.obo, hp.obo, mondo.obo).
    file: PathBuf,

    /// The id of the subtree's root term, e.g. GO:0007596 (blood coagulation).
    #[arg(long, value_name = "ID")]
    root: String,

    /// Write the ontology here (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
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

    /// Learn `longer_name_words` per annotation type: words that start (or end) at least N
    /// annotated names and never stand just outside an annotation (0 learns none).
    #[arg(long, value_name = "N", default_value_t = eval::vocab::DEFAULT_MIN_LONGER_NAME_USES)]
    min_longer_name_uses: usize,

    /// Make an abbreviation conditional (`when: context` on its concept's names) when its
    /// matches in documents that name the concept in no other way are annotated mentions in
    /// less than this share of cases (0 makes none conditional).
    #[arg(long, value_name = "SHARE", default_value_t = eval::vocab::DEFAULT_MIN_BARE_SHARE,
          value_parser = share)]
    min_bare_share: f64,
}

fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("expected a share between 0 and 1, got {s:?}")),
    }
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<ExitCode> {
    match args.command {
        OntologyCommand::Tree(a) => tree(a),
        OntologyCommand::Export(a) => export(a),
        OntologyCommand::Import(a) => import(a, quiet),
        OntologyCommand::FromPubtator(a) => from_pubtator(a, quiet),
    }
}

fn tree(args: TreeArgs) -> anyhow::Result<ExitCode> {
    let ont = match args.ontology.load() {
        Ok(o) => o,
        Err(e) => {
            eprint!("coagtag: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    out(&tree::render(&ont))?;
    Ok(ExitCode::SUCCESS)
}

fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let ont = match args.ontology.load() {
        Ok(o) => o,
        Err(e) => {
            eprint!("coagtag: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let format = match args.format {
        FormatArg::Tsv => ExportFormat::Tsv,
        FormatArg::Json => ExportFormat::Json,
        FormatArg::Obo => ExportFormat::Obo,
    };
    let opts = ExportOptions {
        variants: args.variants,
    };
    write_output(args.output.as_ref(), |w| {
        let mut b = io::BufWriter::new(w);
        ontology::export::export(&ont, format, opts, &mut b)?;
        b.flush()
    })?;
    Ok(ExitCode::SUCCESS)
}

fn import(args: ImportArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map_or_else(|| args.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let imported = match obo::import(&text, &name, &args.root) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("coagtag: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    write_output(args.output.as_ref(), |w| w.write_all(imported.yaml.as_bytes()))?;
    if quiet {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "coagtag: {} concepts, {} terms under {}; {} terms dropped as an earlier concept has them; {} obsolete terms skipped",
        imported.concepts,
        imported.terms,
        args.root,
        imported.dropped.len(),
        imported.obsolete_skipped
    );
    Ok(ExitCode::SUCCESS)
}

fn from_pubtator(args: FromPubtatorArgs, quiet: bool) -> anyhow::Result<ExitCode> {
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
        min_longer_name_uses: args.min_longer_name_uses,
        min_bare_share: args.min_bare_share,
    };
    let (yaml, s) = eval::vocab::from_pubtator_with(&docs, &sources, &options);
    write_output(args.output.as_ref(), |w| w.write_all(yaml.as_bytes()))?;
    if quiet {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "coagtag: {} concepts ({} synonyms, {} abbreviations) from {} annotations in {} documents; left out for want of an id: {}; surface forms annotated with several ids (each given to its most frequent): {}; terms dropped as seldom annotated where they match: {}; abbreviations made conditional as seldom annotated where nothing else names their concept: {}; longer_name_words learned: {}",
        s.concepts,
        s.synonyms,
        s.abbreviations,
        s.annotations - s.without_id,
        s.documents,
        s.without_id,
        s.contested,
        s.pruned.len(),
        s.conditioned.len(),
        s.longer_name_words
    );
    for (id, term, n, annotated) in &s.pruned {
        eprintln!("coagtag: dropped {term:?} ({id}): {annotated} of its {n} matches annotated");
    }
    for (id, term, n, annotated) in &s.conditioned {
        eprintln!(
            "coagtag: made {term:?} ({id}) conditional: {annotated} of its {n} matches annotated where nothing else names the concept"
        );
    }
    Ok(ExitCode::SUCCESS)
}
