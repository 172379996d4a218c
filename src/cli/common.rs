//! What the subcommands share: the flags declared once (`--ontology`, the input flags) and
//! resolved the same way everywhere, and how the library's problems are shown. The library does
//! not know the flags; the fixes it gives name settings ([`Setting`]), shown here as the flags
//! that set them.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::ValueEnum;
use coagtag::diagnostic::{Diagnostic, Fix, Repeats, Setting, Severity};
use coagtag::input::fulltext::Include;
use coagtag::input::{Format, InputError, InputOptions};
use coagtag::ontology::{Ontology, OntologyErrors, OntologySource};
use coagtag::pipeline::RunSummary;
use coagtag::tag::Tagger;

/// `--ontology`, for every command that reads an ontology.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Ontology")]
pub struct OntologyArgs {
    /// Ontology file or directory; repeat to combine. `default` names the embedded ontology,
    /// so `--ontology default --ontology mine.yaml` extends it [default: default].
    #[arg(long, value_name = "FILE|DIR|default")]
    pub ontology: Vec<String>,
}

impl OntologyArgs {
    /// The sources named; none means the embedded default.
    pub fn sources(&self) -> Vec<OntologySource> {
        if self.ontology.is_empty() {
            vec![OntologySource::Default]
        } else {
            self.ontology.iter().map(|a| OntologySource::from_arg(a)).collect()
        }
    }

    /// The ontologies as named (`default` when none is), for the manifest.
    pub fn names(&self) -> Vec<String> {
        if self.ontology.is_empty() {
            vec!["default".to_string()]
        } else {
            self.ontology.clone()
        }
    }

    /// Load and validate.
    pub fn load(&self) -> Result<Ontology, OntologyErrors> {
        coagtag::ontology::load(&self.sources())
    }

    /// Load, validate and compile, printing every ontology problem (and, unless quiet, its
    /// warnings); `None` means exit 2.
    pub fn tagger(&self, quiet: bool) -> Option<Tagger> {
        match Tagger::load(&self.sources()) {
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

/// How inputs are read, for every command that reads them.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Input format; by default taken from each file name and, for .txt, .xml and unknown
    /// names, from the first bytes.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// The id field (JSONL) or column (CSV/TSV).
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// Text fields or columns, comma-separated, each one a section
    /// [default: title,abstract, or text].
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub text_fields: Option<Vec<String>>,

    /// Also read text that is not the article's own English title and abstract or body (PubMed
    /// XML: `other-abstracts` reads VernacularTitle and OtherAbstract as sections; full text:
    /// `tables`, `translations`, `sub-articles`, `back-matter`; the reference list is never read).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "WHAT")]
    pub include: Vec<IncludeArg>,
}

impl InputArgs {
    /// The reading options these flags ask for.
    pub fn options(&self) -> InputOptions {
        InputOptions {
            format: self.format.map(FormatArg::to_format),
            id_field: self.id_field.clone(),
            text_fields: self.text_fields.clone(),
            include_other_abstracts: self.include.contains(&IncludeArg::OtherAbstracts),
            full_text: self.full_text(),
            ..InputOptions::default()
        }
    }

    /// What `--include` adds to a full text.
    pub fn full_text(&self) -> Include {
        Include {
            tables: self.include.contains(&IncludeArg::Tables),
            translations: self.include.contains(&IncludeArg::Translations),
            sub_articles: self.include.contains(&IncludeArg::SubArticles),
            back_matter: self.include.contains(&IncludeArg::BackMatter),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IncludeArg {
    /// PubMed `VernacularTitle` and `OtherAbstract` (translations and publisher abstracts).
    OtherAbstracts,
    /// Full text: table cells and table footnotes (captions are always read).
    Tables,
    /// Full text: translated titles, abstracts and articles.
    Translations,
    /// Full text: decision letters, author responses and other sub-articles.
    SubArticles,
    /// Full text: acknowledgements, funding, competing interests, author contributions and
    /// notes (never the reference list).
    BackMatter,
}

/// An input format as `--format` takes it: every format the library reads, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatArg(pub Format);

impl FormatArg {
    pub fn to_format(self) -> Format {
        self.0
    }
}

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::LazyLock<Vec<FormatArg>> =
            std::sync::LazyLock::new(|| Format::ALL.iter().map(|&f| FormatArg(f)).collect());
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.description()))
    }
}

/// The flag that sets a setting, with its value: `--format pubmed`, `--id-field NAME`.
pub fn flag(setting: &Setting) -> String {
    match setting {
        Setting::Format(Some(name)) => format!("--format {name}"),
        Setting::Format(None) => {
            let names: Vec<String> = FormatArg::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
                .collect();
            format!("--format {}", names.join("|"))
        }
        Setting::IdField(Some(name)) => format!("--id-field {name}"),
        Setting::IdField(None) => "--id-field NAME".to_string(),
        Setting::TextFields => "--text-fields NAMES".to_string(),
    }
}

/// A fix as the command line gives it: the advice, then the flag that does it.
pub fn fix(f: &Fix) -> String {
    match &f.setting {
        Some(s) => format!("{}: {}", f.text, flag(s)),
        None => f.text.clone(),
    }
}

/// A diagnostic as the command line shows it (`error: ... (fix: ...: --format pubmed)`).
pub fn diagnostic(d: &Diagnostic) -> String {
    match &d.fix {
        Some(f) => format!("{}: {} (fix: {})", d.level(), d.message, fix(f)),
        None => format!("{}: {}", d.level(), d.message),
    }
}

/// An input error as the command line shows it.
pub fn input_error(e: &InputError) -> String {
    let d = e.to_diagnostic();
    diagnostic(&d)
        .strip_prefix("error: ")
        .map(String::from)
        .unwrap_or_default()
}

/// Print a diagnostic to stderr.
pub fn print_diagnostic(d: Diagnostic, quiet: bool) {
    if !quiet || d.severity == Severity::Error {
        let _ = writeln!(std::io::stderr().lock(), "coagtag: {}", diagnostic(&d));
    }
}

/// Check every input before any work ([`coagtag::input::check_inputs`]): the files to read, or
/// the closing message once every problem is printed.
pub fn checked_inputs(inputs: &[PathBuf], opts: &InputOptions) -> Result<Vec<PathBuf>, String> {
    coagtag::input::check_inputs(inputs, opts).map_err(|problems| {
        for p in &problems {
            eprintln!("coagtag: error: {}", input_error(p));
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
    let opts = args.options();
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
        Err(e) => bail!("{}", input_error(&e)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_name_the_flags() {
        let cases = [
            (Setting::Format(Some("pubmed")), "--format pubmed"),
            (
                Setting::Format(None),
                "--format jsonl|csv|tsv|text|pubmed|medline|pubtator|bioc|jats|bioc-json",
            ),
            (Setting::IdField(Some("pmid".into())), "--id-field pmid"),
            (Setting::IdField(None), "--id-field NAME"),
            (Setting::TextFields, "--text-fields NAMES"),
        ];
        for (setting, want) in cases {
            assert_eq!(flag(&setting), want);
        }
        let e = InputError::new("a.csv", "no id column")
            .at_line(1)
            .fix("name the id column")
            .setting(Setting::IdField(Some("pmid".into())));
        assert_eq!(
            input_error(&e),
            "a.csv:1: no id column (fix: name the id column: --id-field pmid)"
        );
        assert_eq!(e.to_string(), "a.csv:1: no id column (fix: name the id column (pmid))");
    }

    /// `--format` takes every input format the library reads, by its name.
    #[test]
    fn every_format_is_a_format_value() {
        for &f in &Format::ALL {
            assert_eq!(FormatArg::from_str(f.name(), false), Ok(FormatArg(f)));
        }
        assert!(FormatArg::from_str("xml", false).is_err());
    }
}
