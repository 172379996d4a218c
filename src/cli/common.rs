//! Arguments shared by the commands that read inputs or ontologies.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use coagtag::diagnostic::{Diagnostic, Severity};
use coagtag::input::{Format, InputOptions};
use coagtag::pipeline::RunSummary;
use coagtag::tag::Tagger;

#[derive(Debug, Clone, clap::Args)]
pub struct OntologyArgs {
    /// Ontology file or directory; repeat to combine (`default` is the embedded one).
    #[arg(long, value_name = "FILE|DIR|default")]
    pub ontology: Vec<String>,
}

impl OntologyArgs {
    /// Load and compile, printing every ontology problem; `None` means exit 2.
    pub fn tagger(&self) -> Option<Tagger> {
        match Tagger::load(&super::ontology_sources(&self.ontology)) {
            Ok(t) => Some(t),
            Err(e) => {
                eprint!("coagtag: {e}");
                None
            }
        }
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

/// Read all documents of the inputs, printing problems.
pub fn read_all(inputs: &[PathBuf], args: &InputArgs) -> anyhow::Result<(Vec<coagtag::Document>, RunSummary)> {
    let opts = args.options()?;
    match coagtag::pipeline::read_documents(inputs, &opts, false, &mut |d| print_diagnostic(d, false)) {
        Ok(r) => Ok(r),
        Err(e) => bail!("{e}"),
    }
}

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
