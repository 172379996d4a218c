//! Line numbers for concepts and terms, recovered from the file text.
//!
//! The parser gives each entry's line ([`super::shape`]); validation, which works on the terms as
//! text, finds each term's line within its entry's lines. A term written on its entry's line
//! (flow style) is found there.

/// The lines of a file, and where each entry under `concepts:` and `extend:` starts.
#[derive(Debug, Default)]
pub struct Locator {
    lines: Vec<String>,
    /// Sorted.
    entry_lines: Vec<usize>,
}

impl Locator {
    /// `entry_lines`: where the entries start, as the parser saw them.
    pub fn new(text: &str, mut entry_lines: Vec<usize>) -> Locator {
        entry_lines.sort_unstable();
        Locator {
            lines: text.lines().map(str::to_string).collect(),
            entry_lines,
        }
    }

    /// First line at or after `from` (and before the next entry) that contains `needle` after
    /// `key`, falling back to `from`.
    pub fn term(&self, from: Option<usize>, key: &str, needle: &str) -> Option<usize> {
        let from = from?;
        // the next entry by binary search (a linear scan per term made large vocabularies
        // quadratic to load)
        let next = self
            .entry_lines
            .get(self.entry_lines.partition_point(|&l| l <= from))
            .copied()
            .unwrap_or(self.lines.len() + 1)
            .min(self.lines.len() + 1);
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
    fn finds_terms_within_their_entry() {
        let text = "ontology: {id: x}\nconcepts:\n  - id: a\n    label: A\n    synonyms: [alpha thing]\n  - id: b\n    label: B\n    synonyms:\n      - beta thing\n      - gamma\nextend:\n  - id: c\n    synonyms: [more, gamma]\n";
        let l = Locator::new(text, vec![12, 3, 6]);
        assert_eq!(l.term(Some(3), "synonyms", "alpha thing"), Some(5));
        assert_eq!(l.term(Some(6), "synonyms", "gamma"), Some(10));
        assert_eq!(l.term(Some(12), "synonyms", "more"), Some(13));
        assert_eq!(l.term(Some(12), "synonyms", "gamma"), Some(13));
        assert_eq!(
            l.term(Some(3), "synonyms", "gamma"),
            Some(3),
            "not found within the entry: its first line"
        );
    }
}
