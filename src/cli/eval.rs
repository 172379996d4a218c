//! `coagtag eval`: tag gold-standard documents and score the mentions against their annotations.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use coagtag::eval::score::Scores;
use coagtag::eval::{self, Evaluation, GoldDoc, System};
use coagtag::output::{AtomicFile, Dialect};

use super::common::OntologyArgs;

/// Scores are printed as percentages; `--errors` writes the false positives and negatives.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold corpus in PubTator format (`.gz` works); repeat to pool several files. Build the
    /// ontology to score from its training split with `coagtag ontology from-pubtator`.
    #[arg(long, required = true, value_name = "FILE")]
    gold: Vec<PathBuf>,

    #[command(flatten)]
    ontology: OntologyArgs,

    /// Also score the plain exact-match dictionary baseline (same terms, case-insensitive whole
    /// words, no variants, no abbreviation handling) and print it beside coagtag.
    #[arg(long)]
    baseline: bool,

    /// Write the strict false positives and false negatives to this CSV file (with --baseline,
    /// the baseline's too; the `system` column tells them apart).
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
}

pub fn run(args: Args, _quiet: bool) -> anyhow::Result<ExitCode> {
    // eval prints its scores on standard output and only errors on standard error
    let Some(tagger) = args.ontology.tagger(true) else {
        return Ok(ExitCode::from(2));
    };
    let mut docs: Vec<GoldDoc> = Vec::new();
    for g in &args.gold {
        match eval::gold::read_file(g) {
            Ok(d) => docs.extend(d),
            Err(e) => {
                eprintln!("coagtag: {e}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    let mut systems = vec![(System::Full, eval::evaluate(&tagger, System::Full, &docs))];
    if args.baseline {
        systems.push((System::Baseline, eval::evaluate(&tagger, System::Baseline, &docs)));
    }
    super::common::out(&report(&args.gold, tagger.ontology.concepts.len(), &systems))?;
    if let Some(path) = &args.errors {
        let mut f = AtomicFile::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        write_errors(&mut f, &systems).with_context(|| format!("cannot write {}", path.display()))?;
        f.commit().with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The printed table: one row per measure, one P/R/F1 block per system.
pub fn report(gold: &[PathBuf], concepts: usize, systems: &[(System, Evaluation)]) -> String {
    let ev = &systems[0].1;
    let names: Vec<String> = gold.iter().map(|g| g.display().to_string()).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "gold: {} ({} documents, {} mentions with an id; {} without an id left out)",
        names.join(", "),
        ev.documents,
        ev.gold_mentions,
        ev.ignored
    );
    let _ = writeln!(out, "ontology: {concepts} concepts");
    let mut head = format!("{:<28}", "");
    let mut sub = format!("{:<28}", "");
    for (s, _) in systems {
        let _ = write!(head, "  {:<22}", s.name());
        let _ = write!(sub, "  {:>6} {:>6} {:>6}  ", "P", "R", "F1");
    }
    let _ = writeln!(out, "{}", head.trim_end());
    let _ = writeln!(out, "{}", sub.trim_end());
    let mut row = |label: &str, pick: &dyn Fn(&Evaluation) -> Option<Scores>, strict: bool| {
        let mut line = format!("{label:<28}");
        for (_, e) in systems {
            let c = pick(e)
                .map(|s| if strict { s.strict } else { s.document })
                .unwrap_or_default();
            let _ = write!(
                line,
                "  {:>6.2} {:>6.2} {:>6.2}  ",
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1()
            );
        }
        let _ = writeln!(out, "{}", line.trim_end());
    };
    row("strict", &|e| Some(e.overall), true);
    row("document", &|e| Some(e.overall), false);
    let mut types: Vec<&String> = systems.iter().flat_map(|(_, e)| e.by_type.keys()).collect();
    types.sort();
    types.dedup();
    for t in types {
        row(&format!("strict {t}"), &|e| e.by_type.get(t).copied(), true);
        row(&format!("document {t}"), &|e| e.by_type.get(t).copied(), false);
    }
    out
}

fn write_errors<W: std::io::Write>(w: W, systems: &[(System, Evaluation)]) -> std::io::Result<()> {
    let mut w = Dialect::default().writer(w)?;
    w.write_record([
        "system", "document", "error", "type", "start", "end", "text", "id", "concept", "via",
    ])?;
    for e in systems
        .iter()
        .flat_map(|(s, ev)| ev.errors.iter().map(move |e| (s.name(), e)))
    {
        let (system, e) = e;
        w.write_record([
            system,
            e.document.as_str(),
            e.error,
            &e.kind,
            &e.start.to_string(),
            &e.end.to_string(),
            &e.text,
            &e.id,
            &e.concept,
            e.via,
        ])?;
    }
    w.flush()?;
    Ok(())
}
