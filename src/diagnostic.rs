//! Problems found while running, handed to the caller instead of printed.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; the output is complete.
    Warning,
    /// Something was skipped; the run goes on but must end with a failing exit code.
    Error,
}

/// A setting that fixes a problem. The library names it in words; the binary shows the flag
/// that sets it (`--format pubmed`), which the library does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// The input format; `Some` is the one to give.
    Format(Option<&'static str>),
    /// The id field (JSONL) or column (CSV/TSV); `Some` is an example.
    IdField(Option<String>),
    /// The text fields or columns.
    TextFields,
}

/// What to do about a problem, and the setting that does it, if one does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub text: String,
    pub setting: Option<Setting>,
}

impl fmt::Display for Fix {
    /// The fix in words: the text, and the value to set where the setting has one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.text)?;
        match &self.setting {
            Some(Setting::Format(Some(name))) => write!(f, " (format {name})"),
            Some(Setting::IdField(Some(name))) => write!(f, " ({name})"),
            _ => Ok(()),
        }
    }
}

/// One problem with its location already written into the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The fix, shown after the message.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            fix: None,
        }
    }

    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Diagnostic {
        self.fix = fix;
        self
    }

    pub fn level(&self) -> &'static str {
        match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.level(), self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " (fix: {fix})")?;
        }
        Ok(())
    }
}
