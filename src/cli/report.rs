//! `coagtag report DIR`: rebuild the report and its figures from an `--out-dir`, without tagging
//! again (after editing the page's script, or with a newer coagtag).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use coagtag::output::products::ProductKind;
use coagtag::output::report::{self, ReportPaths};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A directory written by `coagtag tag ... --out-dir DIR` (it holds manifest.json,
    /// summary.csv, cooccurrence.csv, trends.csv, evidence.csv and texts.jsonl.gz).
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// Write the page here [default: DIR/report.html].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Write the figures into this directory [default: DIR/figures].
    #[arg(long, value_name = "DIR")]
    figures: Option<PathBuf>,
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let standard = |kind: ProductKind| args.dir.join(kind.file_name().expect("--out-dir writes it"));
    let paths = ReportPaths {
        report: Some(args.output.clone().unwrap_or_else(|| standard(ProductKind::Report))),
        figures: Some(args.figures.clone().unwrap_or_else(|| standard(ProductKind::Figures))),
        texts: None,
    };
    let (files, (with_mention, shown)) = match report::rebuild(&args.dir, &paths) {
        Ok(done) => done,
        Err(e) => {
            eprintln!("coagtag: error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    for f in files {
        let shown = f.target().display().to_string();
        f.commit().with_context(|| format!("cannot write {shown}"))?;
    }
    if !quiet {
        let page = paths.report.as_ref().expect("set above").display();
        let figures = paths.figures.as_ref().expect("set above").display();
        if shown < with_mention {
            eprintln!(
                "coagtag: {page}: {shown} of the {with_mention} articles with a mention (the page stays under 20 MB); figures in {figures}"
            );
        } else {
            eprintln!("coagtag: {page}: {with_mention} articles with a mention; figures in {figures}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
