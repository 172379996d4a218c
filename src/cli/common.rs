//! Arguments shared by the commands that read inputs or ontologies.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use coagtag::diagnostic::{Diagnostic, Repeats, Severity};
use coagtag::input::{Format, InputOptions};
use coagtag::pipeline::{RunSummary, Tagger};

#[derive(Debug, Clone, clap::Args)]
pub struct OntologyArgs {
    /// Ontology file or directory; repeat to combine (`default` is the embedded one).
    #[arg(long, value_name = "FILE|DIR|default")]
    pub ontology: Vec<String>,
}

impl OntologyArgs {
    /// Load and compile, printing every ontology problem (and, unless quiet, its warnings);
    /// `None` means exit 2.
    pub fn tagger(&self, quiet: bool) -> Option<Tagger> {
        match Tagger::load(&super::ontology_sources(&self.ontology)) {
            Ok(t) => {
                if !quiet {
                    ontology_warnings(&t.ontology);
                }
                Some(t)
            }
            Err(e) => {
                eprint!("coagtag: {e}");
                None
            }
        }
    }
}

/// Print what loaded but is worth knowing (an extension that adds nothing).
pub fn ontology_warnings(ontology: &coagtag::Ontology) {
    for w in &ontology.warnings {
        eprintln!("coagtag: warning: {w}");
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Input format (e.g. jsonl, csv, tsv, text); by default taken from each file name.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// The id field (JSONL) or column (CSV/TSV).
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// Text fields or columns, comma-separated [default: title,abstract, or text].
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub text_fields: Option<Vec<String>>,
}

impl InputArgs {
    pub fn options(&self) -> anyhow::Result<InputOptions> {
        let format = match &self.format {
            None => None,
            Some(name) => match Format::from_name(name) {
                Some(f) => Some(f),
                None => {
                    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                    bail!("unknown --format {name:?}; use one of: {}", names.join(", "));
                }
            },
        };
        Ok(InputOptions {
            format,
            id_field: self.id_field.clone(),
            text_fields: self.text_fields.clone(),
            ..InputOptions::default()
        })
    }
}

/// Print a diagnostic to stderr.
pub fn print_diagnostic(d: Diagnostic, quiet: bool) {
    if !quiet || d.severity == Severity::Error {
        let _ = writeln!(std::io::stderr().lock(), "coagtag: {d}");
    }
}

/// Check every input before any work ([`coagtag::input::check_inputs`]): the files to read, or
/// the closing message once every problem is printed.
pub fn checked_inputs(inputs: &[PathBuf], opts: &InputOptions) -> Result<Vec<PathBuf>, String> {
    coagtag::input::check_inputs(inputs, opts).map_err(|problems| {
        for p in &problems {
            eprintln!("coagtag: error: {p}");
        }
        let n = problems.len();
        format!(
            "stopped before reading anything: {n} input{} cannot be read; nothing written",
            if n == 1 { "" } else { "s" }
        )
    })
}

/// Read all documents of the inputs, printing problems (repeated warnings as one line each).
/// Inputs that cannot be read, or that hold no article at all, are an error.
pub fn read_all(
    inputs: &[PathBuf],
    args: &InputArgs,
    quiet: bool,
) -> anyhow::Result<(Vec<coagtag::Document>, RunSummary)> {
    let opts = args.options()?;
    let files = checked_inputs(inputs, &opts).map_err(anyhow::Error::msg)?;
    let mut repeats = Repeats::default();
    let read = coagtag::pipeline::read_documents(&files, &opts, false, &mut |d| {
        if let Some(d) = repeats.take(d) {
            print_diagnostic(d, quiet);
        }
    });
    for d in repeats.finish() {
        print_diagnostic(d, quiet);
    }
    let (docs, summary) = match read {
        Ok(r) => r,
        Err(e) => bail!("{e}"),
    };
    if summary.documents == 0 {
        bail!("{}", NO_ARTICLE);
    }
    if summary.had_errors() {
        eprintln!("coagtag: {}; every other article was read", summary.problems());
    }
    Ok((docs, summary))
}

/// The message of a run that read no article.
pub const NO_ARTICLE: &str =
    "error: no article was read from the inputs; nothing written (files already there are untouched)";

/// Write to a file atomically, or to standard output for `None` or `-`.
pub fn write_output(
    path: Option<&PathBuf>,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let mut file =
                coagtag::output::AtomicFile::create(p).with_context(|| format!("cannot create {}", p.display()))?;
            f(&mut file).with_context(|| format!("cannot write {}", p.display()))?;
            file.commit().with_context(|| format!("cannot write {}", p.display()))?;
        }
        _ => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            f(&mut lock).context("cannot write to standard output")?;
            lock.flush()?;
        }
    }
    Ok(())
}

/// Write text to standard output; a closed pipe comes back as an error that `main` treats as
/// success.
pub fn out(text: &str) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(text.as_bytes())?;
    lock.flush()
}
