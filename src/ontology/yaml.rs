//! The one place that parses YAML, so the YAML crate can be swapped (serde_yaml is no longer
//! maintained; serde_yml or saphyr-serde would drop in here).

use super::schema::OntologyFile;

/// A YAML syntax or shape error with its 1-based line, when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

/// Parse one ontology file's text.
pub fn parse_ontology_file(text: &str) -> Result<OntologyFile, YamlError> {
    if text.trim().is_empty() {
        return Ok(OntologyFile::default());
    }
    serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        let mut message = e.to_string();
        // serde_yaml appends " at line L column C"; the location is reported separately
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        if message.contains("untagged enum AbbreviationDef") {
            message = "an abbreviation must be a string, `{term: TF, when: defined}` or \
                       `{term: ER, when: context, context: [estrogen]}` (keys: term, when, context)"
                .into();
        }
        YamlError { line, message }
    })
}
