//! Writing ontology files: the one YAML writer, for everything that produces ontologies
//! (`ontology import`, `ontology from-pubtator`, `suggest`).
//!
//! Strings are written double-quoted with JSON escapes, which YAML reads identically, so any
//! term survives the round trip.

use std::fmt::Write as _;

use super::schema::{AbbreviationDef, ConceptDef, Extension, Header};

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn list(out: &mut String, indent: &str, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for i in items {
        let _ = writeln!(out, "{indent}  - {}", q(i));
    }
}

/// The `abbreviations:` list: strings, and conditional ones as flow mappings.
fn abbreviations(out: &mut String, indent: &str, items: &[AbbreviationDef]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}abbreviations:");
    for a in items {
        match a {
            AbbreviationDef::Plain(t) => {
                let _ = writeln!(out, "{indent}  - {}", q(t));
            }
            AbbreviationDef::Conditional(c) if c.context.is_empty() => {
                let _ = writeln!(out, "{indent}  - {{term: {}, when: {}}}", q(&c.term), q(&c.when));
            }
            AbbreviationDef::Conditional(c) => {
                let ctx: Vec<String> = c.context.iter().map(|t| q(t)).collect();
                let _ = writeln!(
                    out,
                    "{indent}  - {{term: {}, when: {}, context: [{}]}}",
                    q(&c.term),
                    q(&c.when),
                    ctx.join(", ")
                );
            }
        }
    }
}

/// A YAML comment block (each line prefixed with `# `).
pub fn comment(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "#\n".to_string()
            } else {
                format!("# {l}\n")
            }
        })
        .collect()
}

/// The `ontology:` header.
pub fn header(h: &Header) -> String {
    let mut out = String::from("ontology:\n");
    let _ = writeln!(out, "  id: {}", q(&h.id));
    for (k, v) in [
        ("name", &h.name),
        ("version", &h.version),
        ("description", &h.description),
    ] {
        if !v.is_empty() {
            let _ = writeln!(out, "  {k}: {}", q(v));
        }
    }
    list(&mut out, "  ", "sources", &h.sources);
    if h.kinds_are_distinct {
        out.push_str("  kinds_are_distinct: true\n");
    }
    out
}

/// One concept as a `concepts:` list item.
pub fn concept(c: &ConceptDef) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "  - id: {}", q(&c.id));
    let _ = writeln!(out, "    label: {}", q(&c.label));
    match c.parents.as_slice() {
        [] => {}
        [p] => {
            let _ = writeln!(out, "    parent: {}", q(p));
        }
        ps => list(&mut out, "    ", "parents", ps),
    }
    if let Some(r) = &c.role {
        let _ = writeln!(out, "    role: {}", q(r));
    }
    if !c.definition.is_empty() {
        let _ = writeln!(out, "    definition: {}", q(&c.definition));
    }
    list(&mut out, "    ", "synonyms", &c.synonyms);
    abbreviations(&mut out, "    ", &c.abbreviations);
    list(&mut out, "    ", "xrefs", &c.xrefs);
    list(&mut out, "    ", "exclude", &c.exclude);
    list(&mut out, "    ", "ambiguous", &c.ambiguous);
    if !c.longer_name_words.is_empty() {
        out.push_str("    longer_name_words:\n");
        list(&mut out, "      ", "before", &c.longer_name_words.before);
        list(&mut out, "      ", "after", &c.longer_name_words.after);
    }
    list(&mut out, "    ", "head_words", &c.head_words);
    if let Some(st) = &c.state_of {
        out.push_str("    state_of:\n");
        let _ = writeln!(out, "      concept: {}", q(&st.concept));
        list(&mut out, "      ", "before", &st.before);
        list(&mut out, "      ", "after", &st.after);
    }
    out
}

/// One `extend:` list item, with an optional comment above it.
pub fn extension(e: &Extension, note: &str) -> String {
    let mut out = String::new();
    for l in note.lines() {
        let _ = writeln!(out, "  # {l}");
    }
    let _ = writeln!(out, "  - id: {}", q(&e.id));
    list(&mut out, "    ", "synonyms", &e.synonyms);
    abbreviations(&mut out, "    ", &e.abbreviations);
    list(&mut out, "    ", "exclude", &e.exclude);
    out
}
