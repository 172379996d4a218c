//! `coagtag ontology ...`: work on the vocabulary itself. One function per subcommand.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use coagtag::ontology::{
    self,
    export::{ExportFormat, ExportOptions},
};
use coagtag::output::AtomicFile;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: OntologyCommand,
}

#[derive(Debug, Subcommand)]
enum OntologyCommand {
    /// Write the vocabulary as TSV (one row per term), JSON or OBO 1.4.
    ///
    /// TSV columns: concept_id, term, kind (synonym, abbreviation, variant, exclude),
    /// case_sensitive (yes/no), variant_of (for variants: the term they were generated from).
    /// Variant rows appear only with --variants.
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Tsv)]
    format: FormatArg,

    /// Write here instead of standard output (written atomically).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Ontology file or directory; repeat to combine (`default` is the embedded one).
    #[arg(long, value_name = "FILE|DIR|default")]
    ontology: Vec<String>,

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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        OntologyCommand::Export(a) => export(a),
    }
}

fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let ont = match ontology::load(&super::ontology_sources(&args.ontology)) {
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
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let mut f = AtomicFile::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            ontology::export::export(&ont, format, opts, &mut f)
                .with_context(|| format!("cannot write {}", path.display()))?;
            f.commit().with_context(|| format!("cannot write {}", path.display()))?;
        }
        _ => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            ontology::export::export(&ont, format, opts, &mut out).context("cannot write the export")?;
            out.flush().context("cannot write the export")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
