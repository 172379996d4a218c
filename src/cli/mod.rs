//! Command-line parsing: one file per subcommand, each with its args struct and `run`.

mod check;
mod ontology;
mod tag;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tag biomedical abstracts by the mechanisms of sepsis-induced coagulopathy.
///
/// Reads articles (JSONL, CSV/TSV, plain text; gzip for all), finds every mention of the
/// ontology's concepts and writes a concept-by-article matrix. Without --ontology the embedded
/// default ontology of sepsis-induced coagulopathy mechanisms is used.
#[derive(Debug, Parser)]
#[command(name = "coagtag", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tag articles and write the concept-by-article matrix.
    Tag(tag::Args),
    /// Validate ontologies and print a summary (exit 1 on any problem).
    Check(check::Args),
    /// Work on the vocabulary: export it to TSV, JSON or OBO.
    Ontology(ontology::Args),
}

pub fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Tag(args) => tag::run(args),
        Command::Check(args) => check::run(args),
        Command::Ontology(args) => ontology::run(args),
    }
}

/// Ontology sources from `--ontology` values; none means the embedded default.
fn ontology_sources(args: &[String]) -> Vec<coagtag::ontology::OntologySource> {
    if args.is_empty() {
        vec![coagtag::ontology::OntologySource::Default]
    } else {
        args.iter()
            .map(|a| coagtag::ontology::OntologySource::from_arg(a))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
