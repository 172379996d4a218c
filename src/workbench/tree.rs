//! `ontology tree`: the hierarchy drawn like the `tree` command.

use std::fmt::Write as _;

use crate::ontology::{ConceptId, Ontology};

/// The hierarchy, top-level categories in file order, children in file order.
pub fn render(ont: &Ontology) -> String {
    let mut out = String::new();
    for c in ont.categories() {
        line(&mut out, ont, c, "", None);
        walk(&mut out, ont, c, "");
    }
    out
}

fn line(out: &mut String, ont: &Ontology, c: ConceptId, prefix: &str, last: Option<bool>) {
    let concept = ont.concept(c);
    let branch = match last {
        None => "",
        Some(true) => "└── ",
        Some(false) => "├── ",
    };
    let _ = writeln!(
        out,
        "{prefix}{branch}{} ({}, {} terms)",
        concept.id,
        concept.label,
        concept.terms.len()
    );
}

fn walk(out: &mut String, ont: &Ontology, c: ConceptId, prefix: &str) {
    let kids = &ont.concept(c).children;
    for (i, &k) in kids.iter().enumerate() {
        let last = i + 1 == kids.len();
        line(out, ont, k, prefix, Some(last));
        let next = format!("{prefix}{}", if last { "    " } else { "│   " });
        walk(out, ont, k, &next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::load_texts;

    #[test]
    fn draws_the_tree() {
        let o = load_texts(&[(
            "t.yaml",
            "concepts:\n  - {id: a, label: A, synonyms: [x1]}\n  - {id: b, label: B, parent: a}\n  - {id: c, label: C, parent: b, synonyms: [x2, x3]}\n  - {id: d, label: D, parent: a}\n  - {id: e, label: E}\n",
        )])
        .unwrap();
        assert_eq!(
            render(&o),
            "a (A, 1 terms)\n├── b (B, 0 terms)\n│   └── c (C, 2 terms)\n└── d (D, 0 terms)\ne (E, 0 terms)\n"
        );
    }
}
