//! `ontology import`: turn an OBO subtree (GO, HPO, MONDO, ...) into a coagtag ontology file.
//!
//! OBO 1.4 files are parsed with the fastobo crate. The subtree under `--root` (following
//! `is_a` links downwards, root included; obsolete terms skipped) becomes one concept per term:
//! id = the OBO id as a slug (`GO:0007596` -> `go_0007596`), label = `name`, definition =
//! `def`, xrefs = the OBO id, parent = the first `is_a` parent inside the subtree. The name and
//! the EXACT and RELATED synonyms become terms (BROAD and NARROW ones are left out: they name
//! other concepts); a synonym without lower-case letters and at most eight characters long
//! becomes an abbreviation (matched case-sensitively). A term that an earlier concept (in tree
//! order) already has is dropped from the later one and reported, so the file always validates.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use fastobo::ast::{SynonymScope, TermClause};

use crate::normalize;
use crate::ontology::emit;
use crate::ontology::schema::{ConceptDef, Header};

/// A problem with the OBO input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub message: String,
    pub fix: Option<String>,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " (fix: {fix})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The ontology file text.
    pub yaml: String,
    pub concepts: usize,
    pub terms: usize,
    /// (term, OBO id it was dropped from, OBO id that keeps it).
    pub dropped: Vec<(String, String, String)>,
    pub obsolete_skipped: usize,
}

#[derive(Debug, Default)]
struct OboTerm {
    name: String,
    def: String,
    synonyms: Vec<String>,
    parents: Vec<String>,
    obsolete: bool,
}

/// The slug form of an OBO id.
pub fn slug(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

fn is_abbreviation(s: &str) -> bool {
    let n = s.chars().count();
    n <= 8 && !s.chars().any(|c| c.is_lowercase()) && s.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// Import the subtree under `root` from OBO text; `source` names the file in the output.
pub fn import(text: &str, source: &str, root: &str) -> Result<Imported, ImportError> {
    let doc = fastobo::from_str(text).map_err(|e| ImportError {
        message: format!("{source}: not a valid OBO 1.4 file: {e}"),
        fix: Some("check the file is OBO (not OWL or JSON); GO, HPO and MONDO publish .obo files".into()),
    })?;
    let mut order: Vec<String> = Vec::new();
    let mut terms: HashMap<String, OboTerm> = HashMap::new();
    for entity in doc.entities() {
        let Some(frame) = entity.as_term() else { continue };
        let id = frame.id().as_inner().to_string();
        let mut t = OboTerm::default();
        for line in frame.clauses() {
            match line.as_inner() {
                TermClause::Name(n) => t.name = n.as_str().to_string(),
                TermClause::Def(d) => t.def = d.text().as_str().to_string(),
                TermClause::Synonym(s) => {
                    if matches!(s.scope(), SynonymScope::Exact | SynonymScope::Related) {
                        t.synonyms.push(s.description().as_str().to_string());
                    }
                }
                TermClause::IsA(p) => t.parents.push(p.to_string()),
                TermClause::IsObsolete(b) => t.obsolete = *b,
                _ => {}
            }
        }
        order.push(id.clone());
        terms.insert(id, t);
    }
    let Some(root_term) = terms.get(root) else {
        let hint = order.iter().find(|id| id.eq_ignore_ascii_case(root)).cloned();
        return Err(ImportError {
            message: format!(
                "{source}: the root {root} is not a term of the file ({} terms read)",
                order.len()
            ),
            fix: Some(match hint {
                Some(h) => format!("did you mean {h}?"),
                None => "give the id exactly as in the file's `id:` lines, e.g. GO:0007596".into(),
            }),
        });
    };
    let root_name = root_term.name.clone();
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for id in &order {
        for p in &terms[id].parents {
            children.entry(p.as_str()).or_default().push(id.as_str());
        }
    }
    // depth-first from the root, children in file order; each term once
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut tree: Vec<(&str, Option<&str>)> = Vec::new();
    let mut stack: Vec<(&str, Option<&str>)> = vec![(root, None)];
    let mut obsolete_skipped = 0;
    while let Some((id, parent)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if terms[id].obsolete {
            obsolete_skipped += 1;
            continue;
        }
        tree.push((id, parent));
        if let Some(kids) = children.get(id) {
            for k in kids.iter().rev() {
                stack.push((k, Some(id)));
            }
        }
    }
    let mut claimed: HashMap<String, String> = HashMap::new();
    let mut dropped = Vec::new();
    let mut defs = Vec::new();
    let mut n_terms = 0;
    for (id, parent) in &tree {
        let t = &terms[*id];
        let mut c = ConceptDef {
            id: slug(id),
            label: if t.name.is_empty() {
                id.to_string()
            } else {
                t.name.clone()
            },
            parents: parent.map(slug).into_iter().collect(),
            definition: t.def.clone(),
            xrefs: vec![id.to_string()],
            ..ConceptDef::default()
        };
        let candidates = std::iter::once(&t.name).chain(t.synonyms.iter());
        for s in candidates {
            let s = s.trim();
            let key = normalize::fold(s);
            if key.trim().is_empty() {
                continue;
            }
            match claimed.get(&key) {
                Some(owner) if owner == id => continue,
                Some(owner) => {
                    dropped.push((s.to_string(), id.to_string(), owner.clone()));
                    continue;
                }
                None => {}
            }
            claimed.insert(key, id.to_string());
            n_terms += 1;
            if is_abbreviation(s) {
                c.abbreviations.push(s.to_string().into());
            } else {
                c.synonyms.push(s.to_string());
            }
        }
        defs.push(c);
    }
    let header = Header {
        id: slug(root),
        name: format!("{root_name} ({root} subtree)"),
        version: String::new(),
        description: format!("Imported from {source}: the is_a subtree under {root}."),
        sources: vec![source.to_string()],
        kinds_are_distinct: false,
    };
    let mut yaml = emit::comment(&format!(
        "Made by `coagtag ontology import {source} --root {root}`: {} concepts, {n_terms} terms.\n{} terms dropped as an earlier concept has them; {obsolete_skipped} obsolete terms skipped.\nReview before use: OBO synonyms are written for curators, not for text matching.",
        defs.len(),
        dropped.len()
    ));
    yaml.push_str(&emit::header(&header));
    yaml.push_str("\nconcepts:\n");
    for c in &defs {
        yaml.push_str(&emit::concept(c));
    }
    Ok(Imported {
        yaml,
        concepts: defs.len(),
        terms: n_terms,
        dropped,
        obsolete_skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_abbreviations() {
        assert_eq!(slug("GO:0007596"), "go_0007596");
        assert_eq!(slug("HP:0001892"), "hp_0001892");
        assert!(is_abbreviation("DIC"));
        assert!(is_abbreviation("IL-1B"));
        assert!(!is_abbreviation("blood clotting"));
        assert!(!is_abbreviation("X"));
    }
}
