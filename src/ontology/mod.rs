//! The vocabulary: concepts in a tree, each with terms, exclusions and example sentences.
//!
//! Ontologies are YAML files (format in `docs/ontology.md`). [`load`] reads any number of them,
//! directories included, applies `extend:` entries, and validates the whole: every problem is
//! collected and reported at once with its `file:line`, the concept and the fix.

pub mod cues;
pub mod emit;
pub mod export;
mod locate;
pub mod schema;
mod shape;
pub mod synthetic;
pub mod variants;
pub mod yaml;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::normalize;
use locate::Locator;
use schema::{ConceptDef, Header, NameWords};

/// The default ontology, embedded in the binary.
pub const DEFAULT_YAML: &str = include_str!("../../ontology/sepsis_coagulopathy.yaml");
/// How the embedded default is named in messages.
pub const DEFAULT_NAME: &str = "ontology/sepsis_coagulopathy.yaml (embedded default)";

/// Index of a concept in [`Ontology::concepts`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct ConceptId(pub u32);

impl ConceptId {
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Synonyms match case-insensitively, abbreviations case-sensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKind {
    Synonym,
    Abbreviation,
}

impl TermKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Synonym => "synonym",
            TermKind::Abbreviation => "abbreviation",
        }
    }
}

/// What a concept is to its category (`role:`, see `docs/ontology.md`): whether a mention of it
/// evidences the category by itself ([`crate::tag::roles`] decides).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// A process or state (platelet activation, DIC): always evidence. The default.
    #[default]
    Mechanism,
    /// A key molecule whose common meaning is the mechanism (tissue factor, IL-6): always evidence.
    Molecule,
    /// A cell, tissue component, lab value or molecule with other common meanings (platelets,
    /// D-dimer, ROS): evidence only where its sentence states a process of it or names the
    /// mechanism.
    Participant,
    /// A drug or intervention: evidence only where its sentence names the mechanism.
    Agent,
    /// Outside every mechanism category (VTE, surgical bleeding): never evidence.
    Context,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Mechanism,
        Role::Molecule,
        Role::Participant,
        Role::Agent,
        Role::Context,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Mechanism => "mechanism",
            Role::Molecule => "molecule",
            Role::Participant => "participant",
            Role::Agent => "agent",
            Role::Context => "context",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A place in an ontology file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loc {
    pub file: String,
    pub line: Option<usize>,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.file),
            None => write!(f, "{}", self.file),
        }
    }
}

/// One term of a concept as the curator wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub kind: TermKind,
    /// Shared with another concept on purpose: a match counts for both.
    pub ambiguous: bool,
    /// For a conditional abbreviation, when it counts (see `docs/abbreviations.md`).
    pub condition: Option<Condition>,
    pub loc: Loc,
}

/// When a conditional abbreviation counts as a mention of its concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Only where the document defines it with a long form that names the same concept.
    Defined,
    /// Only where at least one of these terms also occurs in the document.
    Context(Vec<String>),
}

/// A validated concept.
#[derive(Debug, Clone)]
pub struct Concept {
    pub id: String,
    pub label: String,
    /// The first parent (`parent:`, or the first of `parents:`).
    pub parent: Option<ConceptId>,
    /// Every parent, in the order written (empty at the top level).
    pub parents: Vec<ConceptId>,
    /// The top-level ancestor through the first parents (the concept itself at the top level).
    pub category: ConceptId,
    /// Every top-level ancestor, through every parent, `category` first, each once.
    pub categories: Vec<ConceptId>,
    /// Its own `role:`, else the first parent's that has one, else [`Role::Mechanism`].
    pub role: Role,
    /// Words that state a process of a participant of this concept or below it (`process_cues:`,
    /// lower case, as written).
    pub process_cues: Vec<String>,
    /// 0 at the top level; else one more than the first parent's.
    pub depth: u32,
    pub children: Vec<ConceptId>,
    pub definition: String,
    pub terms: Vec<Term>,
    pub xrefs: Vec<String>,
    pub excludes: Vec<String>,
    /// Words that, next to a mention of this concept or of one below it, show that the mention
    /// is part of a longer name (lower case, sorted; see [`crate::tag::longer_names`]).
    pub longer_name_words: NameWords,
    /// Words that may follow a term of this concept in an abbreviation's long form without
    /// changing what it names (lower case, sorted; see [`crate::tag::abbrev`]).
    pub head_words: Vec<String>,
    /// This concept as a state of another written as a phrase (see [`crate::tag::states`]).
    pub state_of: Option<StateOf>,
    pub examples_match: Vec<String>,
    pub examples_no_match: Vec<String>,
    pub loc: Loc,
}

/// `state_of:` of a concept, validated: a mention of `concept` (or of one below it) with one
/// of the `words` beside it is a mention of the concept that says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateOf {
    pub concept: ConceptId,
    /// Lower case, sorted.
    pub words: NameWords,
}

/// A validated vocabulary.
#[derive(Debug, Clone, Default)]
pub struct Ontology {
    /// The headers of the files, in load order.
    pub headers: Vec<Header>,
    /// Concepts in file order; [`ConceptId`] indexes this.
    pub concepts: Vec<Concept>,
    /// The files read, as named in messages.
    pub files: Vec<String>,
    /// Every file read, in load order, with what it brought.
    pub sources: Vec<SourceFile>,
    /// What is worth knowing but does not stop a load (an extension that adds nothing).
    pub warnings: Vec<Problem>,
    /// The qualifier cues of every file, in load order (see [`cues`]).
    pub cues: Vec<cues::Cue>,
    index: HashMap<String, ConceptId>,
}

/// One ontology file as loaded, and what it brought to the vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFile {
    /// As named in messages.
    pub name: String,
    pub header: Option<Header>,
    /// Concepts it defines (under `concepts:`).
    pub concepts: usize,
    /// Entries under `extend:`.
    pub extended: usize,
    /// Synonyms and abbreviations those entries added.
    pub terms: usize,
    /// Cues under `qualifiers:`.
    pub cues: usize,
}

impl Ontology {
    pub fn concept(&self, id: ConceptId) -> &Concept {
        &self.concepts[id.index()]
    }

    pub fn lookup(&self, id: &str) -> Option<ConceptId> {
        self.index.get(id).copied()
    }

    pub fn ids(&self) -> impl Iterator<Item = ConceptId> + '_ {
        (0..self.concepts.len() as u32).map(ConceptId)
    }

    /// Top-level concepts in file order.
    pub fn categories(&self) -> Vec<ConceptId> {
        self.ids().filter(|&c| self.concept(c).parent.is_none()).collect()
    }

    /// Whether a concept rolls up to categories: not under a context root (a top-level concept
    /// whose role is `context`), whose concepts never reach a mechanism category.
    pub fn is_context_root(&self, c: ConceptId) -> bool {
        let k = self.concept(c);
        k.parent.is_none() && k.role == Role::Context
    }

    /// The categories a concept's mentions count towards in roll-ups: its top-level ancestors
    /// but context roots.
    pub fn rollup_categories(&self, c: ConceptId) -> impl Iterator<Item = ConceptId> + '_ {
        self.concept(c)
            .categories
            .iter()
            .copied()
            .filter(|&k| !self.is_context_root(k))
    }

    /// The ids of a concept's categories, joined as xrefs are (`; `).
    pub fn category_ids(&self, c: ConceptId) -> String {
        let k = self.concept(c);
        if k.categories.len() <= 1 {
            return self.concept(k.category).id.clone();
        }
        let ids: Vec<&str> = k.categories.iter().map(|&x| self.concept(x).id.as_str()).collect();
        ids.join("; ")
    }

    /// Every ancestor of a concept through every parent, itself first, each once.
    pub fn ancestors(&self, c: ConceptId) -> Vec<ConceptId> {
        let mut out = vec![c];
        let mut i = 0;
        while i < out.len() {
            for &p in &self.concept(out[i]).parents {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            i += 1;
        }
        out
    }

    /// The id a concept stands for outside coagtag (gold corpora, PubTator output): its first
    /// xref, or its id.
    pub fn gold_id(&self, concept: ConceptId) -> &str {
        let c = self.concept(concept);
        c.xrefs.first().map_or(c.id.as_str(), String::as_str)
    }

    /// The type a concept reports (PubTator output, evaluation): the label of its top-level
    /// category.
    pub fn concept_type(&self, concept: ConceptId) -> &str {
        &self.concept(self.concept(concept).category).label
    }

    /// The embedded default ontology.
    pub fn default_ontology() -> Result<Ontology, OntologyErrors> {
        load(&[OntologySource::Default])
    }
}

/// Where an ontology comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OntologySource {
    /// The embedded default (`--ontology default`).
    Default,
    /// A YAML file, or a directory whose `.yaml`/`.yml` files are read in sorted order.
    Path(PathBuf),
}

impl OntologySource {
    /// `default` names the embedded ontology; anything else is a path.
    pub fn from_arg(arg: &str) -> OntologySource {
        if arg == "default" {
            OntologySource::Default
        } else {
            OntologySource::Path(PathBuf::from(arg))
        }
    }
}

/// One problem in an ontology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub loc: Loc,
    pub concept: Option<String>,
    pub message: String,
    pub fix: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.loc)?;
        if let Some(c) = &self.concept {
            write!(f, "concept \"{c}\": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " (fix: {fix})")?;
        }
        Ok(())
    }
}

/// Every problem found in an ontology, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OntologyErrors(pub Vec<Problem>);

impl fmt::Display for OntologyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "the ontology has {n} problem{}:", if n == 1 { "" } else { "s" })?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OntologyErrors {}

struct RawFile {
    name: String,
    text: String,
}

fn read_sources(sources: &[OntologySource], problems: &mut Vec<Problem>) -> Vec<RawFile> {
    let mut files = Vec::new();
    for src in sources {
        match src {
            OntologySource::Default => files.push(RawFile {
                name: DEFAULT_NAME.to_string(),
                text: DEFAULT_YAML.to_string(),
            }),
            OntologySource::Path(p) if p.is_dir() => {
                let mut found = Vec::new();
                collect_yaml(p, &mut found, problems);
                found.sort();
                if found.is_empty() {
                    problems.push(Problem {
                        loc: Loc {
                            file: p.display().to_string(),
                            line: None,
                        },
                        concept: None,
                        message: "the directory holds no .yaml or .yml file".into(),
                        fix: Some("name an ontology file, or a directory with ontology files".into()),
                    });
                }
                for f in found {
                    read_one(&f, &mut files, problems);
                }
            }
            OntologySource::Path(p) => read_one(p, &mut files, problems),
        }
    }
    files
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem {
                loc: Loc {
                    file: dir.display().to_string(),
                    line: None,
                },
                concept: None,
                message: format!("cannot read the directory: {e}"),
                fix: None,
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml(&path, out, problems);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(path);
        }
    }
}

fn read_one(path: &Path, files: &mut Vec<RawFile>, problems: &mut Vec<Problem>) {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => files.push(RawFile { name, text }),
            Err(e) => {
                let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
                problems.push(Problem {
                    loc: Loc {
                        file: name,
                        line: Some(line),
                    },
                    concept: None,
                    message: "the file is not valid UTF-8".into(),
                    fix: Some("save the file as UTF-8".into()),
                });
            }
        },
        Err(e) => problems.push(Problem {
            loc: Loc { file: name, line: None },
            concept: None,
            message: format!("cannot read the ontology file: {e}"),
            fix: Some("check the path".into()),
        }),
    }
}

/// Read, merge and validate ontology files. All problems are returned together.
pub fn load(sources: &[OntologySource]) -> Result<Ontology, OntologyErrors> {
    let mut problems = Vec::new();
    let raw = read_sources(sources, &mut problems);
    build(&raw, problems)
}

/// The texts of ontology sources as (name, text) pairs, as [`load`] reads them: what
/// [`load_texts`] builds the same ontology from (a run's state keeps them,
/// [`crate::output::run_state`]).
pub fn read_texts(sources: &[OntologySource]) -> Result<Vec<(String, String)>, OntologyErrors> {
    let mut problems = Vec::new();
    let raw = read_sources(sources, &mut problems);
    if !problems.is_empty() {
        return Err(OntologyErrors(problems));
    }
    Ok(raw.into_iter().map(|f| (f.name, f.text)).collect())
}

/// Like [`load`] for texts already in memory, as (name, text) pairs.
pub fn load_texts(texts: &[(&str, &str)]) -> Result<Ontology, OntologyErrors> {
    let raw: Vec<RawFile> = texts
        .iter()
        .map(|(name, text)| RawFile {
            name: name.to_string(),
            text: text.to_string(),
        })
        .collect();
    build(&raw, Vec::new())
}

fn build(raw: &[RawFile], mut problems: Vec<Problem>) -> Result<Ontology, OntologyErrors> {
    let mut b = Builder::default();
    for file in raw {
        b.files.push(file.name.clone());
        b.sources.push(SourceFile {
            name: file.name.clone(),
            ..SourceFile::default()
        });
        let root = match yaml::parse(&file.text) {
            Ok(root) => root,
            Err(e) => {
                syntax_problems(&file.name, &file.text, e, &mut problems);
                continue;
            }
        };
        let shaped = shape::shape(root.as_ref(), &file.name, &mut problems);
        let locator = std::rc::Rc::new(Locator::new(&file.text, shaped.entry_lines));
        let source = b.sources.last_mut().expect("pushed above");
        source.header = shaped.file.ontology.clone();
        source.concepts = shaped.file.concepts.len();
        source.cues = shaped.cues.len();
        b.cue_defs
            .extend(shaped.cues.into_iter().map(|d| (file.name.clone(), d)));
        if let Some(h) = shaped.file.ontology {
            b.headers.push(h);
        }
        for (def, line) in shaped.file.concepts.into_iter().zip(shaped.concept_lines) {
            let loc = Loc {
                file: file.name.clone(),
                line: Some(line),
            };
            b.add_concept(def, loc, &locator, &mut problems);
        }
        for list in shaped.file.process_cues {
            b.pending_cues.push((list, file.name.clone()));
        }
        for (ext, (line, new_concept)) in shaped.file.extend.into_iter().zip(shaped.extend_lines) {
            let loc = Loc {
                file: file.name.clone(),
                line: Some(line),
            };
            b.pending_ext.push(PendingExtension {
                ext,
                loc,
                locator: locator.clone(),
                new_concept,
                source: b.sources.len() - 1,
            });
        }
    }
    b.apply_extensions(&mut problems);
    let cues = cues::validate(std::mem::take(&mut b.cue_defs), &mut problems);
    if b.concepts.is_empty() && problems.is_empty() {
        problems.push(Problem {
            loc: Loc {
                file: b.files.join(", "),
                line: None,
            },
            concept: None,
            message: "no concept: the ontology files define none".into(),
            fix: Some(
                "define concepts under `concepts:`, or load the default ontology first and this file after it, to extend it".into(),
            ),
        });
    }
    let mut ontology = b.finish(&mut problems);
    ontology.cues = cues;
    if problems.is_empty() {
        Ok(ontology)
    } else {
        Err(OntologyErrors(problems))
    }
}

/// A file the parser cannot read: its message at its line, or, where the indentation holds tabs
/// at or before that line, one clear message per such line instead.
fn syntax_problems(file: &str, text: &str, e: yaml::YamlError, problems: &mut Vec<Problem>) {
    let tabs = yaml::tab_indented_lines(text);
    let caused_by_tabs = !tabs.is_empty() && (e.message.contains("tab") || e.line.is_some_and(|l| tabs[0] <= l));
    if caused_by_tabs {
        for line in tabs {
            problems.push(Problem {
                loc: Loc {
                    file: file.to_string(),
                    line: Some(line),
                },
                concept: None,
                message: "a tab in the indentation: YAML indents with spaces only".into(),
                fix: Some("replace the tab with spaces (editors: \"convert indentation to spaces\")".into()),
            });
        }
        return;
    }
    problems.push(Problem {
        loc: Loc {
            file: file.to_string(),
            line: e.line,
        },
        concept: None,
        message: e.message,
        fix: Some("check the YAML syntax near this line: quotes, indentation, colons".into()),
    });
}

struct PendingExtension {
    ext: schema::Extension,
    loc: Loc,
    locator: std::rc::Rc<Locator>,
    /// It holds fields of a new concept (reported by the shape check already).
    new_concept: bool,
    /// Index in [`Builder::sources`].
    source: usize,
}

struct Concept0 {
    def_parents: Vec<String>,
    def_role: Option<String>,
    state_of: Option<StateOf0>,
    concept: Concept,
    ambiguous: Vec<(String, Loc)>,
}

#[derive(Default)]
struct Builder {
    headers: Vec<Header>,
    files: Vec<String>,
    sources: Vec<SourceFile>,
    warnings: Vec<Problem>,
    concepts: Vec<Concept0>,
    index: HashMap<String, usize>,
    pending_ext: Vec<PendingExtension>,
    /// `process_cues:` entries, with the file they stand in, applied with the extensions.
    pending_cues: Vec<(schema::CueList, String)>,
    cue_defs: Vec<(String, cues::CueDef)>,
}

/// Add process cues to a concept's list (lower case; blank ones and repeats reported).
fn push_cues(out: &mut Vec<String>, cues: &[String], loc: &Loc, concept: &str, problems: &mut Vec<Problem>) {
    for c in cues {
        let cue = c.trim().to_lowercase();
        if cue.is_empty() {
            problems.push(Problem {
                loc: loc.clone(),
                concept: Some(concept.into()),
                message: "a blank process cue".into(),
                fix: Some("remove the empty item or write the cue".into()),
            });
        } else if out.contains(&cue) {
            problems.push(Problem {
                loc: loc.clone(),
                concept: Some(concept.into()),
                message: format!("process cue {c:?} is listed twice for this concept"),
                fix: Some("remove the second copy".into()),
            });
        } else {
            out.push(cue);
        }
    }
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[allow(clippy::too_many_arguments)]
fn push_terms(
    out: &mut Vec<Term>,
    items: &[String],
    kind: TermKind,
    key: &str,
    loc: &Loc,
    locator: &Locator,
    concept: &str,
    problems: &mut Vec<Problem>,
) {
    for t in items {
        let tloc = Loc {
            file: loc.file.clone(),
            line: locator.term(loc.line, key, t),
        };
        if t.trim().is_empty() {
            problems.push(Problem {
                loc: tloc,
                concept: Some(concept.into()),
                message: format!("blank entry in {key}"),
                fix: Some("remove the empty item or write the term".into()),
            });
            continue;
        }
        if normalize::fold(t).trim().is_empty() {
            problems.push(Problem {
                loc: tloc,
                concept: Some(concept.into()),
                message: format!("{} {t:?} has no visible characters after normalisation", kind.as_str()),
                fix: Some("remove it".into()),
            });
            continue;
        }
        if out.iter().any(|o| o.kind == kind && o.text == *t) {
            problems.push(Problem {
                loc: tloc,
                concept: Some(concept.into()),
                message: format!("{} {t:?} is listed twice", kind.as_str()),
                fix: Some("remove the second copy".into()),
            });
            continue;
        }
        out.push(Term {
            text: t.trim().to_string(),
            kind,
            ambiguous: false,
            condition: None,
            loc: tloc,
        });
    }
}

/// Validate the conditional abbreviations and attach their conditions to the terms.
fn apply_conditions(
    terms: &mut [Term],
    defs: &[schema::AbbreviationDef],
    loc: &Loc,
    locator: &Locator,
    concept: &str,
    problems: &mut Vec<Problem>,
) {
    for d in defs {
        let schema::AbbreviationDef::Conditional(c) = d else {
            continue;
        };
        let tloc = Loc {
            file: loc.file.clone(),
            line: locator.term(loc.line, "abbreviations", &c.term),
        };
        let mut problem = |message: String, fix: &str| {
            problems.push(Problem {
                loc: tloc.clone(),
                concept: Some(concept.into()),
                message,
                fix: Some(fix.into()),
            })
        };
        let condition = match c.when.trim() {
            "defined" => {
                if !c.context.is_empty() {
                    problem(
                        format!("abbreviation {:?} has `when: defined` and a `context:` list", c.term),
                        "use `when: context` to require the context terms, or remove `context:`",
                    );
                    continue;
                }
                Condition::Defined
            }
            "context" => {
                let terms: Vec<String> = c
                    .context
                    .iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !normalize::fold(t).trim().is_empty())
                    .collect();
                if terms.len() != c.context.len() || terms.is_empty() {
                    problem(
                        format!(
                            "abbreviation {:?} has `when: context` but {} context term",
                            c.term,
                            if terms.is_empty() { "no" } else { "a blank" }
                        ),
                        "list the words that must also occur in the document, e.g. `context: [estrogen, breast cancer]`",
                    );
                    continue;
                }
                Condition::Context(terms)
            }
            other => {
                problem(
                    format!("abbreviation {:?} has `when: {other}`", c.term),
                    "write `when: defined` (counts only where the document defines it) or `when: context` with a `context:` list",
                );
                continue;
            }
        };
        if let Some(t) = terms
            .iter_mut()
            .find(|t| t.kind == TermKind::Abbreviation && t.text == c.term.trim())
        {
            t.condition = Some(condition);
        }
    }
}

fn push_excludes(
    out: &mut Vec<String>,
    items: &[String],
    loc: &Loc,
    locator: &Locator,
    concept: &str,
    problems: &mut Vec<Problem>,
) {
    for x in items {
        if normalize::fold(x).trim().is_empty() {
            problems.push(Problem {
                loc: Loc {
                    file: loc.file.clone(),
                    line: locator.term(loc.line, "exclude", x),
                },
                concept: Some(concept.into()),
                message: "blank entry in exclude".into(),
                fix: Some("remove the empty item or write the phrase".into()),
            });
        } else {
            out.push(x.trim().to_string());
        }
    }
}

/// Validate `longer_name_words:`: each item one word (no white space); kept lower-cased,
/// sorted and without repeats, so the tagger can look words up by binary search.
fn name_words(def: &NameWords, loc: &Loc, locator: &Locator, concept: &str, problems: &mut Vec<Problem>) -> NameWords {
    let mut one =
        |items: &[String], side: &str| single_words(items, "longer_name_words", side, loc, locator, concept, problems);
    NameWords {
        before: one(&def.before, "before"),
        after: one(&def.after, "after"),
    }
}

/// The items of a list of single words (`key: side:` in messages), lower-cased, sorted and
/// without repeats; an item that is not one word is reported at its line.
fn single_words(
    items: &[String],
    key: &str,
    side: &str,
    loc: &Loc,
    locator: &Locator,
    concept: &str,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let mut out = Vec::new();
    for w in items {
        let word = w.trim();
        if word.is_empty() || word.chars().any(char::is_whitespace) {
            let place = if side == key {
                key.to_string()
            } else {
                format!("{key}: {side}")
            };
            problems.push(Problem {
                loc: Loc {
                    file: loc.file.clone(),
                    line: locator.term(loc.line, side, w),
                },
                concept: Some(concept.into()),
                message: format!("{place}: {w:?} is not one word"),
                fix: Some("write single words; a phrase belongs in `exclude:`".into()),
            });
            continue;
        }
        out.push(word.to_lowercase());
    }
    out.sort();
    out.dedup();
    out
}

/// A concept's `state_of:`, as written (the concept it names is resolved once every concept is
/// known).
#[derive(Debug, Clone, Default)]
struct StateOf0 {
    concept: String,
    line: usize,
    words: NameWords,
}

impl Builder {
    fn add_concept(&mut self, def: ConceptDef, loc: Loc, locator: &Locator, problems: &mut Vec<Problem>) {
        let id = def.id.trim().to_string();
        if !is_slug(&id) {
            problems.push(Problem {
                loc: loc.clone(),
                concept: Some(def.id.clone()),
                message: "the id is not a slug of lower-case letters, digits and _".into(),
                fix: Some(format!("use an id like {:?}", slugify(&def.id))),
            });
        }
        if let Some(&first) = self.index.get(&id) {
            problems.push(Problem {
                loc: loc.clone(),
                concept: Some(id.clone()),
                message: format!("duplicate id, first defined at {}", self.concepts[first].concept.loc),
                fix: Some("rename one of them, or use `extend:` to add terms to the first".into()),
            });
            return;
        }
        if def.label.trim().is_empty() {
            problems.push(Problem {
                loc: loc.clone(),
                concept: Some(id.clone()),
                message: "the label is blank".into(),
                fix: Some("write a human-readable label".into()),
            });
        }
        let mut terms = Vec::new();
        push_terms(
            &mut terms,
            &def.synonyms,
            TermKind::Synonym,
            "synonyms",
            &loc,
            locator,
            &id,
            problems,
        );
        let abbreviations: Vec<String> = def.abbreviations.iter().map(|a| a.term().to_string()).collect();
        push_terms(
            &mut terms,
            &abbreviations,
            TermKind::Abbreviation,
            "abbreviations",
            &loc,
            locator,
            &id,
            problems,
        );
        apply_conditions(&mut terms, &def.abbreviations, &loc, locator, &id, problems);
        let mut excludes = Vec::new();
        push_excludes(&mut excludes, &def.exclude, &loc, locator, &id, problems);
        let longer_name_words = name_words(&def.longer_name_words, &loc, locator, &id, problems);
        let head_words = single_words(
            &def.head_words,
            "head_words",
            "head_words",
            &loc,
            locator,
            &id,
            problems,
        );
        let state_of = def.state_of.as_ref().map(|st| {
            let mut one =
                |items: &[String], side: &str| single_words(items, "state_of", side, &loc, locator, &id, problems);
            StateOf0 {
                concept: st.concept.trim().to_string(),
                line: locator.term(loc.line, "concept", &st.concept).or(loc.line).unwrap_or(0),
                words: NameWords {
                    before: one(&st.before, "before"),
                    after: one(&st.after, "after"),
                },
            }
        });
        let ambiguous = def
            .ambiguous
            .iter()
            .map(|a| {
                (
                    a.clone(),
                    Loc {
                        file: loc.file.clone(),
                        line: locator.term(loc.line, "ambiguous", a),
                    },
                )
            })
            .collect();
        let concept = Concept {
            id: id.clone(),
            label: def.label.trim().to_string(),
            parent: None,
            parents: Vec::new(),
            category: ConceptId(0),
            categories: Vec::new(),
            role: Role::Mechanism,
            process_cues: Vec::new(),
            depth: 0,
            children: Vec::new(),
            definition: def.definition.trim().to_string(),
            terms,
            xrefs: def.xrefs,
            excludes,
            longer_name_words,
            head_words,
            state_of: None,
            examples_match: def.examples.matches,
            examples_no_match: def.examples.no_match,
            loc,
        };
        self.index.insert(id, self.concepts.len());
        self.concepts.push(Concept0 {
            def_parents: def.parents.iter().map(|p| p.trim().to_string()).collect(),
            def_role: def.role.map(|r| r.trim().to_string()),
            state_of,
            concept,
            ambiguous,
        });
    }

    fn apply_extensions(&mut self, problems: &mut Vec<Problem>) {
        for pending in std::mem::take(&mut self.pending_ext) {
            let PendingExtension {
                ext,
                loc,
                locator,
                new_concept,
                source,
            } = pending;
            let id = ext.id.trim().to_string();
            self.sources[source].extended += 1;
            let adds = ext.process_cues.len()
                + ext.synonyms.len()
                + ext.abbreviations.len()
                + ext.exclude.len()
                + ext.ambiguous.len()
                + ext.examples.matches.len()
                + ext.examples.no_match.len();
            if adds == 0 && !new_concept {
                self.warnings.push(Problem {
                    loc: loc.clone(),
                    concept: Some(id.clone()),
                    message: "this `extend:` entry adds nothing".into(),
                    fix: Some("list synonyms:, abbreviations:, exclude: or examples: under it, or remove it".into()),
                });
            }
            let Some(&i) = self.index.get(&id) else {
                if new_concept {
                    // reported as a new concept under `extend:` already
                    continue;
                }
                let near = closest(&id, self.index.keys());
                problems.push(Problem {
                    loc,
                    concept: Some(id.clone()),
                    message: "`extend:` names a concept that no ontology file defines".into(),
                    fix: Some(match near {
                        Some(n) => format!("did you mean \"{n}\"? Also load the file that defines it"),
                        None => {
                            "load the ontology that defines it first, then this one (the default ontology, then this file)"
                                .into()
                        }
                    }),
                });
                continue;
            };
            let c0 = &mut self.concepts[i];
            let mut extra = Vec::new();
            push_terms(
                &mut extra,
                &ext.synonyms,
                TermKind::Synonym,
                "synonyms",
                &loc,
                &locator,
                &id,
                problems,
            );
            let abbreviations: Vec<String> = ext.abbreviations.iter().map(|a| a.term().to_string()).collect();
            push_terms(
                &mut extra,
                &abbreviations,
                TermKind::Abbreviation,
                "abbreviations",
                &loc,
                &locator,
                &id,
                problems,
            );
            apply_conditions(&mut extra, &ext.abbreviations, &loc, &locator, &id, problems);
            for t in extra {
                if c0.concept.terms.iter().any(|o| o.kind == t.kind && o.text == t.text) {
                    problems.push(Problem {
                        loc: t.loc.clone(),
                        concept: Some(id.clone()),
                        message: format!(
                            "{} {:?} is already a term of the concept (at {})",
                            t.kind.as_str(),
                            t.text,
                            c0.concept.loc
                        ),
                        fix: Some("remove it from the extension".into()),
                    });
                } else {
                    c0.concept.terms.push(t);
                    self.sources[source].terms += 1;
                }
            }
            push_excludes(&mut c0.concept.excludes, &ext.exclude, &loc, &locator, &id, problems);
            for a in &ext.ambiguous {
                c0.ambiguous.push((
                    a.clone(),
                    Loc {
                        file: loc.file.clone(),
                        line: locator.term(loc.line, "ambiguous", a),
                    },
                ));
            }
            c0.concept.examples_match.extend(ext.examples.matches);
            c0.concept.examples_no_match.extend(ext.examples.no_match);
            push_cues(&mut c0.concept.process_cues, &ext.process_cues, &loc, &id, problems);
        }
        for (list, file) in std::mem::take(&mut self.pending_cues) {
            let loc = Loc {
                file,
                line: Some(list.line),
            };
            let Some(&i) = self.index.get(&list.id) else {
                let near = closest(&list.id, self.index.keys());
                problems.push(Problem {
                    loc,
                    concept: Some(list.id.clone()),
                    message: "`process_cues:` names a concept that no ontology file defines".into(),
                    fix: Some(match near {
                        Some(n) => format!("did you mean \"{n}\"?"),
                        None => "name a concept id (usually a top-level category)".into(),
                    }),
                });
                continue;
            };
            push_cues(
                &mut self.concepts[i].concept.process_cues,
                &list.cues,
                &loc,
                &list.id,
                problems,
            );
        }
    }

    /// `state_of:`: the concept it names must exist and be another one, and words must be
    /// given.
    fn resolve_states(&mut self, problems: &mut Vec<Problem>) {
        for i in 0..self.concepts.len() {
            let Some(st) = self.concepts[i].state_of.take() else {
                continue;
            };
            let c = &self.concepts[i].concept;
            let at = Loc {
                file: c.loc.file.clone(),
                line: Some(st.line).filter(|&l| l > 0).or(c.loc.line),
            };
            let mut problem = |message: String, fix: String| {
                problems.push(Problem {
                    loc: at.clone(),
                    concept: Some(c.id.clone()),
                    message,
                    fix: Some(fix),
                })
            };
            let target = match self.index.get(&st.concept) {
                None => {
                    let fix = match closest(&st.concept, self.index.keys()) {
                        Some(n) => format!("did you mean \"{n}\"?"),
                        None => "name an existing concept id".into(),
                    };
                    problem(format!("state_of: concept \"{}\" is not a concept", st.concept), fix);
                    continue;
                }
                Some(&t) if t == i => {
                    problem(
                        "state_of: names the concept itself".into(),
                        "name the concept this one is a state of".into(),
                    );
                    continue;
                }
                Some(&t) => t,
            };
            if st.words.is_empty() {
                problem(
                    "state_of: gives no `before:` or `after:` words".into(),
                    "list the words that make a mention of the other concept one of this concept".into(),
                );
                continue;
            }
            self.concepts[i].concept.state_of = Some(StateOf {
                concept: ConceptId(target as u32),
                words: st.words,
            });
        }
    }

    fn finish(mut self, problems: &mut Vec<Problem>) -> Ontology {
        let n = self.concepts.len();
        // parents
        for i in 0..n {
            for p in self.concepts[i].def_parents.clone() {
                match self.index.get(&p) {
                    Some(&pi) if self.concepts[i].concept.parents.contains(&ConceptId(pi as u32)) => {
                        let c = &self.concepts[i].concept;
                        problems.push(Problem {
                            loc: c.loc.clone(),
                            concept: Some(c.id.clone()),
                            message: format!("parent \"{p}\" is listed twice"),
                            fix: Some("list each parent once".into()),
                        });
                    }
                    Some(&pi) => self.concepts[i].concept.parents.push(ConceptId(pi as u32)),
                    None => {
                        let near = closest(&p, self.index.keys());
                        let c = &self.concepts[i].concept;
                        problems.push(Problem {
                            loc: c.loc.clone(),
                            concept: Some(c.id.clone()),
                            message: format!("parent \"{p}\" is not a concept"),
                            fix: Some(match near {
                                Some(n) => format!("did you mean \"{n}\"?"),
                                None => {
                                    "name an existing concept id, or remove `parent:` for a top-level category".into()
                                }
                            }),
                        });
                    }
                }
            }
            self.concepts[i].concept.parent = self.concepts[i].concept.parents.first().copied();
        }
        self.resolve_states(problems);
        // roles
        for i in 0..n {
            if let Some(r) = self.concepts[i].def_role.clone() {
                match Role::parse(&r) {
                    Some(role) => self.concepts[i].concept.role = role,
                    None => {
                        let names = Role::ALL.map(Role::as_str);
                        let c = &self.concepts[i].concept;
                        problems.push(Problem {
                            loc: c.loc.clone(),
                            concept: Some(c.id.clone()),
                            message: format!("unknown role \"{r}\""),
                            fix: Some(match crate::diagnostic::closest(&r, names.iter().copied()) {
                                Some(n) => format!("did you mean \"{n}\"?"),
                                None => format!("a role is one of: {}", names.join(", ")),
                            }),
                        });
                        self.concepts[i].def_role = None;
                    }
                }
            }
        }
        // cycles (through every parent), depth, categories and inherited roles
        let cycles = find_cycles(
            &self
                .concepts
                .iter()
                .map(|c| c.concept.parents.clone())
                .collect::<Vec<_>>(),
        );
        let mut reported = vec![false; n];
        for cycle in &cycles {
            for &c in cycle {
                reported[c] = true;
            }
            let names: Vec<&str> = cycle.iter().map(|&c| self.concepts[c].concept.id.as_str()).collect();
            let c = &self.concepts[cycle[0]].concept;
            problems.push(Problem {
                loc: c.loc.clone(),
                concept: Some(c.id.clone()),
                message: format!("parent cycle: {} -> {}", names.join(" -> "), names[0]),
                fix: Some("one concept in the cycle must have another parent or none".into()),
            });
        }
        if cycles.is_empty() {
            // parents before children
            let mut order = Vec::with_capacity(n);
            let mut placed = vec![false; n];
            fn place(i: usize, cs: &[Concept0], placed: &mut [bool], order: &mut Vec<usize>) {
                if placed[i] {
                    return;
                }
                placed[i] = true;
                for p in &cs[i].concept.parents {
                    place(p.index(), cs, placed, order);
                }
                order.push(i);
            }
            for i in 0..n {
                place(i, &self.concepts, &mut placed, &mut order);
            }
            for i in order {
                let parents = self.concepts[i].concept.parents.clone();
                let (category, categories, depth) = match parents.first() {
                    None => (ConceptId(i as u32), vec![ConceptId(i as u32)], 0),
                    Some(first) => {
                        let f = &self.concepts[first.index()].concept;
                        let mut cats: Vec<ConceptId> = Vec::new();
                        for p in &parents {
                            for &k in &self.concepts[p.index()].concept.categories {
                                if !cats.contains(&k) {
                                    cats.push(k);
                                }
                            }
                        }
                        (f.category, cats, f.depth + 1)
                    }
                };
                if self.concepts[i].def_role.is_none() {
                    let inherited = parents
                        .iter()
                        .find(|p| self.concepts[p.index()].def_role.is_some())
                        .map(|p| self.concepts[p.index()].concept.role);
                    if let Some(r) = inherited {
                        self.concepts[i].concept.role = r;
                        self.concepts[i].def_role = Some(r.as_str().into());
                    }
                }
                let c = &mut self.concepts[i].concept;
                c.category = category;
                c.categories = categories;
                c.depth = depth;
            }
            for i in 0..n {
                for p in self.concepts[i].concept.parents.clone() {
                    self.concepts[p.index()].concept.children.push(ConceptId(i as u32));
                }
            }
        }
        // ambiguous markers
        for c0 in &mut self.concepts {
            for (a, loc) in &c0.ambiguous {
                let mut hit = false;
                for t in &mut c0.concept.terms {
                    if t.text == *a {
                        t.ambiguous = true;
                        hit = true;
                    }
                }
                if !hit {
                    problems.push(Problem {
                        loc: loc.clone(),
                        concept: Some(c0.concept.id.clone()),
                        message: format!(
                            "`ambiguous:` lists {a:?}, which is not a synonym or abbreviation of this concept"
                        ),
                        fix: Some("list only terms the concept has".into()),
                    });
                }
            }
        }
        // a term claimed by two concepts
        let mut claims: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (ci, c0) in self.concepts.iter().enumerate() {
            for (ti, t) in c0.concept.terms.iter().enumerate() {
                claims.entry(normalize::fold(&t.text)).or_default().push((ci, ti));
            }
        }
        let mut keys: Vec<&String> = claims.keys().collect();
        keys.sort();
        for k in keys {
            let list = &claims[k];
            for (a_i, &(ca, ta)) in list.iter().enumerate() {
                for &(cb, tb) in &list[a_i + 1..] {
                    if ca == cb {
                        continue;
                    }
                    let a = &self.concepts[ca].concept;
                    let b = &self.concepts[cb].concept;
                    let (x, y) = (&a.terms[ta], &b.terms[tb]);
                    if !terms_overlap(x, y) || (x.ambiguous && y.ambiguous) {
                        continue;
                    }
                    problems.push(Problem {
                        loc: y.loc.clone(),
                        concept: Some(b.id.clone()),
                        message: format!(
                            "{} {:?} is also {} {} of \"{}\" ({})",
                            y.kind.as_str(),
                            y.text,
                            if x.kind == TermKind::Abbreviation { "an" } else { "a" },
                            x.kind.as_str(),
                            a.id,
                            x.loc
                        ),
                        fix: Some(format!(
                            "remove it from one of them, or list {:?} under `ambiguous:` in both to count it for both",
                            y.text
                        )),
                    });
                }
            }
        }
        let index = self
            .index
            .iter()
            .map(|(k, &v)| (k.clone(), ConceptId(v as u32)))
            .collect();
        let mut warnings = self.warnings;
        for f in self
            .sources
            .iter()
            .filter(|f| f.concepts == 0 && f.extended == 0 && f.cues == 0)
        {
            warnings.push(Problem {
                loc: Loc {
                    file: f.name.clone(),
                    line: None,
                },
                concept: None,
                message: "the file adds nothing: it defines no concept and extends none".into(),
                fix: Some("check that it is the file you meant; see docs/ontology.md for the format".into()),
            });
        }
        Ontology {
            headers: self.headers,
            concepts: self.concepts.into_iter().map(|c| c.concept).collect(),
            files: self.files,
            sources: self.sources,
            warnings,
            cues: Vec::new(),
            index,
        }
    }
}

/// The parent cycles of a graph given as each node's parents: each cycle once, as the nodes in
/// order from the first concept of the cycle met in file order.
fn find_cycles(parents: &[Vec<ConceptId>]) -> Vec<Vec<usize>> {
    // 0 unvisited, 1 on the path, 2 done
    let mut state = vec![0u8; parents.len()];
    let mut cycles = Vec::new();
    for root in 0..parents.len() {
        if state[root] != 0 {
            continue;
        }
        // iterative depth-first search: (node, next parent to look at)
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            if let Some(p) = parents[node].get(*next) {
                *next += 1;
                let p = p.index();
                match state[p] {
                    0 => {
                        state[p] = 1;
                        path.push((p, 0));
                    }
                    1 => {
                        let from = path.iter().position(|&(x, _)| x == p).unwrap_or(0);
                        cycles.push(path[from..].iter().map(|&(x, _)| x).collect());
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                path.pop();
            }
        }
    }
    cycles
}

/// Two terms with the same folded form collide unless both are case-sensitive and differ in case.
fn terms_overlap(a: &Term, b: &Term) -> bool {
    if a.kind == TermKind::Abbreviation && b.kind == TermKind::Abbreviation {
        normalize::canonical(&a.text) == normalize::canonical(&b.text)
    } else {
        true
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The candidate closest to `target`, if close enough to be a typo ([`crate::diagnostic::closest`]).
fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    crate::diagnostic::closest(target, candidates.map(String::as_str))
}

/// The first byte offset of `needle` in `hay`, for the short words and lines of loading an
/// ontology (`str::find`, `str::contains` and `memmem::find` set up a searcher per call, which
/// cost more than the search itself here: respelling the default ontology's words took 2,400
/// instructions a word, locating its terms' lines 13 M instructions; BENCHMARKS.md, `aload`).
fn find_short(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return None;
    }
    let Some(&first) = n.first() else {
        return Some(0);
    };
    // the first byte compared before the rest: most places differ there, and comparing slices
    // calls `memcmp`
    (0..=h.len() - n.len()).find(|&i| h[i] == first && &h[i..i + n.len()] == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (hay, needle), against `str::find`.
    #[test]
    fn find_short_table() {
        let table: &[(&str, &str)] = &[
            ("hypofibrinogenemia", "emia"),
            ("anaemia", "emia"),
            ("emia", "emia"),
            ("emi", "emia"),
            ("eemia", "emia"),
            ("", ""),
            ("abc", ""),
            ("", "x"),
            ("diarrhea", "rrhea"),
            ("organization", "ization"),
            ("x", "y"),
            ("aab", "ab"),
            ("synonyms: [alpha thing]", "thing]"),
            ("- tissue factor", "factors"),
            ("α-granule", "-granule"),
        ];
        for &(hay, needle) in table {
            assert_eq!(find_short(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
        }
    }

    const TREE: &str = "ontology: {id: t}
concepts:
  - {id: coag, label: Coagulation, synonyms: [coagulation]}
  - {id: tf, label: Tissue factor, parent: coag, synonyms: [tissue factor], abbreviations: [TF], xrefs: [MESH:D013923, UniProt:P13726]}
  - {id: tf_complex, label: TF-FVIIa, parent: tf, synonyms: [TF-FVIIa complex]}
  - {id: infl, label: Inflammation}
  - {id: il_6, label: Interleukin-6, parent: infl, abbreviations: [{term: IL-6, when: context, context: [cytokine]}]}
";

    fn tree() -> Ontology {
        load_texts(&[("t.yaml", TREE)]).unwrap()
    }

    /// Each concept's place in the hierarchy: (id, parent, category, depth, children).
    #[test]
    fn the_hierarchy_of_every_concept() {
        let o = tree();
        let id = |c: Option<ConceptId>| c.map(|c| o.concept(c).id.as_str());
        type Place<'a> = (&'a str, Option<&'a str>, &'a str, u32, Vec<&'a str>);
        let got: Vec<Place> = o
            .ids()
            .map(|c| {
                let x = o.concept(c);
                (
                    x.id.as_str(),
                    id(x.parent),
                    o.concept(x.category).id.as_str(),
                    x.depth,
                    x.children.iter().map(|&k| o.concept(k).id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("coag", None, "coag", 0, vec!["tf"]),
                ("tf", Some("coag"), "coag", 1, vec!["tf_complex"]),
                ("tf_complex", Some("tf"), "coag", 2, vec![]),
                ("infl", None, "infl", 0, vec!["il_6"]),
                ("il_6", Some("infl"), "infl", 1, vec![]),
            ]
        );
        let cats: Vec<&str> = o.categories().iter().map(|&c| o.concept(c).id.as_str()).collect();
        assert_eq!(cats, ["coag", "infl"]);
    }

    #[test]
    fn lookup_ids_terms_and_what_a_concept_stands_for_outside() {
        let o = tree();
        let tf = o.lookup("tf").unwrap();
        assert_eq!(tf, ConceptId(1));
        assert_eq!(o.lookup("TF"), None, "ids are looked up as written");
        let terms: Vec<(&str, &str, Option<&Condition>)> = o
            .ids()
            .flat_map(|c| o.concept(c).terms.iter())
            .map(|t| (t.text.as_str(), t.kind.as_str(), t.condition.as_ref()))
            .collect();
        assert_eq!(
            terms,
            vec![
                ("coagulation", "synonym", None),
                ("tissue factor", "synonym", None),
                ("TF", "abbreviation", None),
                ("TF-FVIIa complex", "synonym", None),
                (
                    "IL-6",
                    "abbreviation",
                    Some(&Condition::Context(vec!["cytokine".to_string()]))
                ),
            ]
        );
        // the first xref, else the id; the label of the top-level category
        let table = [
            ("tf", "MESH:D013923", "Coagulation"),
            ("tf_complex", "tf_complex", "Coagulation"),
            ("il_6", "il_6", "Inflammation"),
        ];
        for (id, gold, kind) in table {
            let c = o.lookup(id).unwrap();
            assert_eq!((o.gold_id(c), o.concept_type(c)), (gold, kind), "{id}");
        }
    }

    #[test]
    fn sources_slugs_and_typo_suggestions() {
        assert_eq!(OntologySource::from_arg("default"), OntologySource::Default);
        assert_eq!(
            OntologySource::from_arg("mine.yaml"),
            OntologySource::Path(PathBuf::from("mine.yaml"))
        );
        for (id, ok) in [
            ("tissue_factor", true),
            ("il_6", true),
            ("Tissue", false),
            ("a-b", false),
            ("", false),
        ] {
            assert_eq!(is_slug(id), ok, "{id:?}");
        }
        for (label, slug) in [
            ("Tissue factor", "tissue_factor"),
            (" IL-6 (human) ", "il_6_human"),
            ("--", ""),
        ] {
            assert_eq!(slugify(label), slug, "{label:?}");
        }
        let ids: Vec<String> = ["tissue_factor", "thrombin", "tfpi"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (typo, want) in [
            ("tissue_facter", Some("tissue_factor")),
            ("thrombn", Some("thrombin")),
            ("tfp", Some("tfpi")),
            ("fibrin", None),
            ("t", None),
        ] {
            assert_eq!(closest(typo, ids.iter()), want, "{typo}");
        }
    }

    /// Abbreviations differing only in case are different terms; anything else with the same
    /// folded form is the same term.
    #[test]
    fn when_two_terms_overlap() {
        let term = |text: &str, kind| Term {
            text: text.to_string(),
            kind,
            ambiguous: false,
            condition: None,
            loc: Loc::default(),
        };
        use TermKind::{Abbreviation as A, Synonym as S};
        for (a, b, overlap) in [
            (term("TF", A), term("Tf", A), false),
            (term("TF", A), term("TF", A), true),
            (term("TF", A), term("tf", S), true),
            (term("tissue factor", S), term("Tissue Factor", S), true),
        ] {
            assert_eq!(terms_overlap(&a, &b), overlap, "{} / {}", a.text, b.text);
        }
    }
}
