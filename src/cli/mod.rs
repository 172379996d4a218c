//! The command line: one file per subcommand, each with its arguments, their resolution into the
//! library's options, and `run`; the flags several subcommands share are declared once in
//! [`common`], which also shows the library's problems with the flags that fix them.

mod check;
mod common;
mod eval;
mod merge;
mod ontology;
mod progress;
mod report;
mod tag;
mod workbench;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tag biomedical literature by the mechanisms of sepsis-induced coagulopathy.
///
/// Reads articles (PubMed XML, MEDLINE text, PubTator, BioC XML and JSON, PMC full text as JATS
/// XML and tar packages of it, JSONL, CSV/TSV, plain text; gzip for all), finds every mention of the ontology's concepts and writes a
/// concept-by-article matrix and the evidence behind every cell. Without --ontology the
/// embedded default ontology of sepsis-induced coagulopathy mechanisms is used.
#[derive(Debug, Parser)]
#[command(name = "coagtag", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Print no summary lines, notes or warnings (errors are still printed).
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tag articles and write the matrix and the other products.
    Tag(Box<tag::Args>),
    /// Validate ontologies and print a summary (exit 1 on any problem).
    Check(check::Args),
    /// Score tagging against a gold corpus in PubTator format (precision, recall, F1).
    Eval(eval::Args),
    /// Work on the vocabulary: its tree, flat exports, imports from OBO and annotated corpora.
    Ontology(ontology::Args),
    /// Show each mention of a text (or article) with what every tagging stage decided about it,
    /// and each candidate a stage rejected, with the stage and the rule.
    Explain(workbench::ExplainArgs),
    /// The yield of every term on a corpus, with sampled contexts.
    Stats(workbench::StatsArgs),
    /// Mine a corpus for candidate additions, written as an `extend:` ontology file.
    Suggest(workbench::SuggestArgs),
    /// Compare two runs (matrices or output directories) cell by cell, with evidence.
    Diff(workbench::DiffArgs),
    /// Merge run directories (`tag --out-dir`) into one, as one run over all their inputs.
    Merge(merge::Args),
    /// Rebuild report.html and figures/ from an --out-dir, without tagging again.
    Report(report::Args),
}

pub fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    match cli.command {
        Command::Tag(args) => tag::run(*args, quiet),
        Command::Check(args) => check::run(args, quiet),
        Command::Eval(args) => eval::run(args, quiet),
        Command::Ontology(args) => ontology::run(args, quiet),
        Command::Explain(args) => workbench::explain(args, quiet),
        Command::Stats(args) => workbench::stats(args, quiet),
        Command::Suggest(args) => workbench::suggest(args, quiet),
        Command::Diff(args) => workbench::diff(args, quiet),
        Command::Report(args) => report::run(args, quiet),
        Command::Merge(args) => merge::run(args, quiet),
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
