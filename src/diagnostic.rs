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
    /// A warning that may repeat many times in a run: what every one of them says. A
    /// [`Repeats`] turns them into one line per run (see [`Diagnostic::repeated`]).
    pub group: Option<&'static str>,
}

impl Diagnostic {
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            fix: None,
            group: None,
        }
    }

    /// One occurrence of a warning that may repeat: `what` is the same for all of them, `example`
    /// says where this one is (it may be left empty once enough examples were given).
    pub fn repeated(what: &'static str, example: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: example.into(),
            fix: None,
            group: Some(what),
        }
    }

    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            fix: None,
            group: None,
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

/// How many examples of a repeated warning the summary line shows.
pub const EXAMPLES: usize = 3;

/// Gathers repeated warnings ([`Diagnostic::repeated`]) into one line per kind and run:
/// `what (N times): example; example; example; and N-3 more`. Other diagnostics pass through.
#[derive(Debug, Default)]
pub struct Repeats {
    groups: Vec<(&'static str, usize, Vec<String>)>,
}

impl Repeats {
    /// Keep a repeated warning for the summary; any other diagnostic comes back, to be shown now.
    pub fn take(&mut self, d: Diagnostic) -> Option<Diagnostic> {
        let Some(what) = d.group else {
            return Some(d);
        };
        let i = match self.groups.iter().position(|g| g.0 == what) {
            Some(i) => i,
            None => {
                self.groups.push((what, 0, Vec::new()));
                self.groups.len() - 1
            }
        };
        let g = &mut self.groups[i];
        g.1 += 1;
        if g.2.len() < EXAMPLES && !d.message.is_empty() {
            g.2.push(d.message);
        }
        None
    }

    /// One warning per kind seen, in the order the kinds first came.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.groups
            .into_iter()
            .map(|(what, n, examples)| {
                let times = if n == 1 {
                    "once".to_string()
                } else {
                    format!("{n} times")
                };
                let mut line = format!("{what} ({times}): {}", examples.join("; "));
                if n > examples.len() {
                    line.push_str(&format!("; and {} more", n - examples.len()));
                }
                Diagnostic::warning(line)
            })
            .collect()
    }
}

/// The candidate closest to `target` by edit distance, if it is close enough to be a typo of it
/// (for "did you mean ...?"); ties go to the alphabetically first.
pub fn closest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = target.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == target {
            continue;
        }
        let d = strsim::osa_distance(target, c);
        if d <= (len / 3).max(1) && d < len && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_warnings_become_one_line() {
        let mut r = Repeats::default();
        assert_eq!(r.take(Diagnostic::error("bad")), Some(Diagnostic::error("bad")));
        for i in 0..5 {
            let example = if i < EXAMPLES { format!("at {i}") } else { String::new() };
            assert_eq!(r.take(Diagnostic::repeated("an id read again", example)), None);
        }
        assert_eq!(r.take(Diagnostic::repeated("other", "x")), None);
        let lines: Vec<String> = r.finish().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            lines,
            vec![
                "warning: an id read again (5 times): at 0; at 1; at 2; and 2 more",
                "warning: other (once): x",
            ]
        );
    }

    #[test]
    fn closest_names() {
        let keys = ["synonyms", "abbreviations", "label", "id"];
        let cases = [
            ("synonym", Some("synonyms")),
            ("abreviations", Some("abbreviations")),
            ("lable", Some("label")),
            ("xyz", None),
            ("i", None),
            ("synonyms", None),
        ];
        for (typo, want) in cases {
            assert_eq!(closest(typo, keys), want, "{typo}");
        }
    }
}
