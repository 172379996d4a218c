//! The library's modules import downwards only: the data's path is input -> document -> tag
//! stages -> products, and no module reaches up to one that builds on it.
//!
//! The imports are read from the sources (`crate::module` paths in the library, `coagtag::module`
//! in the binary), per top-level module. The test fails on an import cycle, on an import that
//! points up the layers below, and on a module the layers do not name yet (add it where it
//! belongs).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::root;

/// The layers, lowest first: a module may import only from layers below its own.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundations",
        &["diagnostic", "document", "normalize", "scratch", "sentence"],
    ),
    ("vocabulary and readers", &["ontology", "input"]),
    ("tagging stages", &["tag"]),
    ("the run: read, tag, hand on in order", &["pipeline"]),
    ("products", &["output"]),
    ("tools on tagging", &["eval", "workbench"]),
    ("the binary", &["cli"]),
];

/// Imports that the layers allow but that must not exist.
const FORBIDDEN: &[(&str, &str, &str)] = &[
    (
        "eval",
        "pipeline",
        "evaluation tags documents itself: it depends on tag",
    ),
    (
        "workbench",
        "pipeline",
        "the workbench tags documents itself: it depends on tag",
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/tag/matcher.rs` -> `tag`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    if name == "main" { "cli".to_string() } else { name }
}

/// The top-level modules named after `prefix::` in `code` (comments removed), including every
/// item of a group `prefix::{a::x, b}`. Capitalised names are the root's re-exports.
fn imports(code: &str, prefix: &str) -> BTreeSet<String> {
    let code: String = code
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let head = format!("{prefix}::");
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    let mut from = 0;
    while let Some(k) = code[from..].find(&head) {
        let at = from + k;
        from = at + head.len();
        // `coagtag::` inside a longer identifier is not a path
        if code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            out.insert(ident(&item));
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && m.chars().next().is_some_and(|c| c.is_lowercase()) && m != "self");
    out
}

/// Every top-level module and the modules it imports, with one file that does it.
fn graph() -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut g: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for f in files {
        let module = module_of(&src, &f);
        if module == "lib" {
            continue;
        }
        let code = std::fs::read_to_string(&f).unwrap();
        let prefix = if module == "cli" { "coagtag" } else { "crate" };
        let deps = g.entry(module.clone()).or_default();
        for m in imports(&code, prefix) {
            if m != module {
                deps.entry(m).or_insert_with(|| f.clone());
            }
        }
    }
    g
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&module))
}

#[test]
fn imports_point_down_the_layers() {
    let g = graph();
    let mut problems = Vec::new();
    for (module, deps) in &g {
        let Some(own) = layer_of(module) else {
            problems.push(format!(
                "module {module} is in no layer: add it to LAYERS in tests/module_graph.rs"
            ));
            continue;
        };
        for (dep, file) in deps {
            match layer_of(dep) {
                None => problems.push(format!("{}: imports {dep}, which is in no layer", file.display())),
                Some(l) if l >= own => problems.push(format!(
                    "{}: {module} ({}) imports {dep} ({}), which is not below it",
                    file.display(),
                    LAYERS[own].0,
                    LAYERS[l].0
                )),
                Some(_) => {}
            }
        }
    }
    for (from, to, why) in FORBIDDEN {
        if let Some(file) = g.get(*from).and_then(|d| d.get(*to)) {
            problems.push(format!("{}: {from} imports {to}: {why}", file.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_import_cycle() {
    let g = graph();
    // depth-first search; a module met again on the current path closes a cycle
    fn visit<'a>(
        g: &'a BTreeMap<String, BTreeMap<String, PathBuf>>,
        m: &'a str,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| *p == m) {
            let mut cycle: Vec<String> = path[i..].iter().map(|s| s.to_string()).collect();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for dep in g.get(m).into_iter().flat_map(|d| d.keys()) {
            if let Some(c) = visit(g, dep, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in g.keys() {
        if let Some(cycle) = visit(&g, m, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

/// The engine streams any input; what is PubMed about a file stays in `input::pubmed`.
#[test]
fn the_stream_does_not_know_pubmed() {
    let mut files = Vec::new();
    rust_files(&root().join("src/pipeline"), &mut files);
    files.push(root().join("src/pipeline.rs"));
    for f in files {
        let code = std::fs::read_to_string(&f).unwrap();
        assert!(!code.contains("pubmed::"), "{} names the PubMed reader", f.display());
    }
}

#[test]
fn imports_are_read_from_paths_and_groups() {
    let code = "use crate::{document::Document, tag::{Tagger, matcher::Mention}, Scratch};\n\
                use crate::output::csv; // crate::eval is a comment\n\
                let x = crate::input::open(p); let y = mycrate::ontology::x;";
    let got: Vec<String> = imports(code, "crate").into_iter().collect();
    assert_eq!(got, ["document", "input", "output", "tag"]);
}
