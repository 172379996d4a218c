//! Line numbers for concepts and terms, recovered from the file text.
//!
//! The YAML parser gives positions only for syntax errors, so validation finds the line of
//! each `id:` under `concepts:` and `extend:` in block style, and each term's line within its
//! concept's lines. Flow-style files still validate; their lines are approximate.

/// Where each concept (or extension) entry of a file starts.
#[derive(Debug, Default)]
pub struct Locator {
    lines: Vec<String>,
    concept_lines: Vec<usize>,
    extend_lines: Vec<usize>,
}

impl Locator {
    pub fn new(text: &str) -> Locator {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut concept_lines = Vec::new();
        let mut extend_lines = Vec::new();
        let mut section = "";
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty() {
                section = if line.starts_with("concepts:") {
                    "concepts"
                } else if line.starts_with("extend:") {
                    "extend"
                } else {
                    ""
                };
                continue;
            }
            let t = line.trim_start();
            let t = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
            let t = t.strip_prefix('{').map(str::trim_start).unwrap_or(t);
            if t.starts_with("id:") && line.trim_start().starts_with('-') {
                match section {
                    "concepts" => concept_lines.push(i + 1),
                    "extend" => extend_lines.push(i + 1),
                    _ => {}
                }
            }
        }
        Locator {
            lines,
            concept_lines,
            extend_lines,
        }
    }

    /// Line of the `index`-th concept (1-based), if found.
    pub fn concept(&self, index: usize) -> Option<usize> {
        self.concept_lines.get(index).copied()
    }

    /// Line of the `index`-th extension (1-based), if found.
    pub fn extension(&self, index: usize) -> Option<usize> {
        self.extend_lines.get(index).copied()
    }

    /// First line at or after `from` (and before the next entry) that contains `needle` after
    /// `key`, falling back to `from`.
    pub fn term(&self, from: Option<usize>, key: &str, needle: &str) -> Option<usize> {
        let from = from?;
        // both lists are in file order, so the next entry is found by binary search (a linear
        // scan per term made large vocabularies quadratic to load)
        let after = |lines: &[usize]| lines.get(lines.partition_point(|&l| l <= from)).copied();
        let next = [after(&self.concept_lines), after(&self.extend_lines)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.lines.len() + 1);
        let key_colon = format!("{key}:");
        let space_key_colon = format!(" {key}:");
        let mut in_key = false;
        for n in from..next {
            let line = &self.lines[n - 1];
            let t = line.trim_start().trim_start_matches("- ");
            if t.starts_with(&key_colon) || line.contains(&space_key_colon) {
                in_key = true;
            } else if t.contains(':')
                && !t.starts_with('"')
                && !t.starts_with('\'')
                && !t.starts_with('[')
                && !t.starts_with('{')
            {
                // a `{term: .., when: ..}` item stays in its list
                in_key = false;
            }
            let hit = if needle.trim().is_empty() {
                // a blank item: `- ""` or `- "  "`
                let item = t.trim();
                item.len() >= 2
                    && item.trim_matches(['"', '\'']).trim().is_empty()
                    && line.trim_start().starts_with('-')
            } else {
                line.contains(needle)
            };
            if in_key && hit {
                return Some(n);
            }
        }
        Some(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_concepts_extensions_and_terms() {
        let text = "ontology: {id: x}\nconcepts:\n  - id: a\n    label: A\n    synonyms: [alpha thing]\n  - id: b\n    label: B\n    synonyms:\n      - beta thing\n      - gamma\nextend:\n  - id: c\n    synonyms: [more]\n";
        let l = Locator::new(text);
        assert_eq!(l.concept(0), Some(3));
        assert_eq!(l.concept(1), Some(6));
        assert_eq!(l.extension(0), Some(12));
        assert_eq!(l.term(Some(3), "synonyms", "alpha thing"), Some(5));
        assert_eq!(l.term(Some(6), "synonyms", "gamma"), Some(10));
        assert_eq!(l.term(Some(12), "synonyms", "more"), Some(13));
    }
}
