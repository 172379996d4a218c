//! Checking a parsed file against the ontology's shape (`docs/ontology.md`), keeping going after
//! every problem: an unknown key ("did you mean `synonyms`?"), a value of the wrong kind, a
//! missing `id:` or `label:`, a key given twice, fields of a new concept under `extend:`. Each is
//! reported at its line, and everything that is right is kept, so that the validation after it
//! (duplicate ids, unknown parents, ...) still runs on the rest of the file.

use super::schema::{
    AbbreviationDef, ConceptDef, ConditionalAbbreviation, CueList, Examples, Extension, Header, NameWords,
    OntologyFile, StateOf,
};
use super::yaml::{Node, Value};
use super::{Loc, Problem};

const TOP_KEYS: &[&str] = &["ontology", "concepts", "extend", "process_cues", "qualifiers"];
const HEADER_KEYS: &[&str] = &["id", "name", "version", "description", "sources", "kinds_are_distinct"];
const CONCEPT_KEYS: &[&str] = &[
    "id",
    "label",
    "parent",
    "parents",
    "role",
    "definition",
    "synonyms",
    "abbreviations",
    "xrefs",
    "exclude",
    "ambiguous",
    "examples",
    "longer_name_words",
    "head_words",
    "state_of",
];
const EXTENSION_KEYS: &[&str] = &[
    "id",
    "synonyms",
    "abbreviations",
    "exclude",
    "ambiguous",
    "examples",
    "process_cues",
];
const EXAMPLE_KEYS: &[&str] = &["match", "no_match"];
const NAME_WORD_KEYS: &[&str] = &["before", "after"];
const STATE_OF_KEYS: &[&str] = &["concept", "before", "after"];
const ABBREVIATION_KEYS: &[&str] = &["term", "when", "context"];

const SHAPE_FIX: &str = "see docs/ontology.md for what each key holds";

/// A file's content as far as it has the right shape, with the line of every entry.
#[derive(Debug, Default)]
pub struct Shaped {
    pub file: OntologyFile,
    /// The line of each concept in `file.concepts`.
    pub concept_lines: Vec<usize>,
    /// The line of each extension in `file.extend`, and whether it holds fields of a new
    /// concept (already reported: its id need not be reported as unknown too).
    pub extend_lines: Vec<(usize, bool)>,
    /// The line of every entry under `concepts:` and `extend:`, the skipped ones included.
    pub entry_lines: Vec<usize>,
    /// The cues under `qualifiers:` (see [`super::cues`]).
    pub cues: Vec<super::cues::CueDef>,
}

struct Ctx<'a> {
    file: &'a str,
    problems: &'a mut Vec<Problem>,
    /// The keys the last [`Ctx::fields`] suggested for misspelt ones: a required key among
    /// them is not reported missing as well.
    suggested: Vec<&'static str>,
}

impl Ctx<'_> {
    fn report(&mut self, line: usize, concept: Option<&str>, message: String, fix: impl Into<String>) {
        self.problems.push(Problem {
            loc: Loc {
                file: self.file.to_string(),
                line: Some(line),
            },
            concept: concept.map(str::to_string),
            message,
            fix: Some(fix.into()),
        });
    }

    /// The known keys of a mapping, first occurrence each; unknown and repeated keys are
    /// reported (`place` says where, for the list of allowed keys).
    fn fields<'n>(
        &mut self,
        entries: impl IntoIterator<Item = &'n (Node, Node)>,
        allowed: &[&'static str],
        concept: Option<&str>,
        place: &str,
    ) -> Vec<(&'n str, &'n Node)> {
        self.suggested.clear();
        let mut out: Vec<(&str, &Node)> = Vec::new();
        for (k, v) in entries {
            let key = match &k.value {
                Value::Scalar(s) => s.as_str(),
                _ => {
                    self.report(k.line, concept, "a key with no name".into(), SHAPE_FIX);
                    continue;
                }
            };
            if !allowed.contains(&key) {
                let fix = match crate::diagnostic::closest(key, allowed.iter().copied()) {
                    Some(near) => {
                        let near = allowed.iter().copied().find(|a| *a == near).unwrap_or("");
                        self.suggested.push(near);
                        format!("did you mean `{near}`?")
                    }
                    None => format!("the keys of {place} are: {}", allowed.join(", ")),
                };
                self.report(k.line, concept, format!("unknown key `{key}` in {place}"), fix);
                continue;
            }
            if let Some((_, first)) = out.iter().find(|(name, _)| *name == key) {
                let first = first.line;
                self.report(
                    k.line,
                    concept,
                    format!("`{key}:` is given twice (first at line {first}); the second is ignored"),
                    "merge the two into one",
                );
                continue;
            }
            out.push((key, v));
        }
        out
    }

    /// A text value; `None` for null, or (reported) for anything else.
    fn text(&mut self, v: &Node, key: &str, concept: Option<&str>) -> Option<String> {
        match &v.value {
            Value::Scalar(s) => Some(s.clone()),
            Value::Null => None,
            other => {
                self.report(
                    v.line,
                    concept,
                    format!("`{key}:` must be a text, not {}", other.kind()),
                    SHAPE_FIX,
                );
                None
            }
        }
    }

    /// A list of texts; a single text, a mapping or a non-text item is reported (the good items
    /// are kept).
    fn texts(&mut self, v: &Node, key: &str, concept: Option<&str>) -> Vec<String> {
        match &v.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::Scalar(s) => Some(s.clone()),
                    Value::Null => {
                        self.report(
                            item.line,
                            concept,
                            format!("an empty item in `{key}:`"),
                            "remove the empty item or write the term",
                        );
                        None
                    }
                    other => {
                        self.report(
                            item.line,
                            concept,
                            format!("an item of `{key}:` must be a text, not {}", other.kind()),
                            "write one text per item; quote a text that holds `: `, e.g. \"IL-6: a cytokine\"",
                        );
                        None
                    }
                })
                .collect(),
            other => {
                self.report(
                    v.line,
                    concept,
                    format!("`{key}:` must be a list, not {}", other.kind()),
                    format!("write `{key}: [first, second]`, or one `- item` per line"),
                );
                Vec::new()
            }
        }
    }

    fn flag(&mut self, v: &Node, key: &str, concept: Option<&str>) -> bool {
        match &v.value {
            Value::Null => false,
            Value::Scalar(s) if s.eq_ignore_ascii_case("true") => true,
            Value::Scalar(s) if s.eq_ignore_ascii_case("false") => false,
            other => {
                let shown = match other {
                    Value::Scalar(s) => format!("{s:?}"),
                    other => other.kind().to_string(),
                };
                self.report(
                    v.line,
                    concept,
                    format!("`{key}:` must be true or false, not {shown}"),
                    SHAPE_FIX,
                );
                false
            }
        }
    }

    /// The entries of a mapping value; null is an empty mapping, anything else is reported.
    fn map<'n>(&mut self, v: &'n Node, key: &str, concept: Option<&str>) -> Option<&'n [(Node, Node)]> {
        match &v.value {
            Value::Map(entries) => Some(entries),
            Value::Null => None,
            other => {
                self.report(
                    v.line,
                    concept,
                    format!(
                        "`{key}:` must hold keys ({}), not {}",
                        sub_keys(key).join(", "),
                        other.kind()
                    ),
                    SHAPE_FIX,
                );
                None
            }
        }
    }
}

fn sub_keys(key: &str) -> &'static [&'static str] {
    match key {
        "examples" => EXAMPLE_KEYS,
        "longer_name_words" => NAME_WORD_KEYS,
        "state_of" => STATE_OF_KEYS,
        "ontology" => HEADER_KEYS,
        _ => &[],
    }
}

/// Check a parsed file (`None`: no document in it) and keep what has the right shape; every
/// problem goes to `problems`.
pub fn shape(root: Option<&Node>, file: &str, problems: &mut Vec<Problem>) -> Shaped {
    let mut ctx = Ctx {
        file,
        problems,
        suggested: Vec::new(),
    };
    let mut out = Shaped::default();
    let Some(root) = root else { return out };
    let entries = match &root.value {
        Value::Map(entries) => entries,
        Value::Seq(_) => {
            ctx.report(
                root.line,
                None,
                "the file is a list; an ontology file is a mapping with `concepts:` (and `ontology:`, `extend:`)"
                    .into(),
                "put the list under `concepts:` (new concepts) or `extend:` (terms for concepts defined elsewhere)",
            );
            return out;
        }
        other => {
            ctx.report(
                root.line,
                None,
                format!(
                    "the file holds {}; an ontology file is a mapping with `concepts:`",
                    other.kind()
                ),
                "see docs/ontology.md for the format",
            );
            return out;
        }
    };
    for (key, v) in top_fields(&mut ctx, entries) {
        match key {
            "ontology" => out.file.ontology = header(&mut ctx, v),
            "qualifiers" => out.cues = super::cues::shape(v, file, ctx.problems),
            "concepts" | "extend" => {
                let items = match &v.value {
                    Value::Seq(items) => items.as_slice(),
                    Value::Null => &[],
                    other => {
                        ctx.report(
                            v.line,
                            None,
                            format!("`{key}:` must be a list of entries, not {}", other.kind()),
                            "start each entry with `- id:` on a line of its own, indented under the key",
                        );
                        &[]
                    }
                };
                for item in items {
                    out.entry_lines.push(item.line);
                    let Value::Map(fields) = &item.value else {
                        ctx.report(
                            item.line,
                            None,
                            format!(
                                "an entry of `{key}:` must be keys (`id:`, ...), not {}",
                                item.value.kind()
                            ),
                            SHAPE_FIX,
                        );
                        continue;
                    };
                    if key == "concepts" {
                        if let Some(c) = concept(&mut ctx, item.line, fields) {
                            out.file.concepts.push(c);
                            out.concept_lines.push(item.line);
                        }
                    } else if let Some((e, new_concept)) = extension(&mut ctx, item.line, fields) {
                        out.file.extend.push(e);
                        out.extend_lines.push((item.line, new_concept));
                    }
                }
            }
            "process_cues" => out.file.process_cues = process_cues(&mut ctx, v),
            _ => unreachable!("top_fields returns known keys only"),
        }
    }
    out
}

/// `process_cues:`: a mapping from concept ids to lists of cue texts.
fn process_cues(ctx: &mut Ctx<'_>, v: &Node) -> Vec<CueList> {
    let entries = match &v.value {
        Value::Map(entries) => entries,
        Value::Null => return Vec::new(),
        other => {
            ctx.report(
                v.line,
                None,
                format!(
                    "`process_cues:` must map concept ids to lists of cues, not {}",
                    other.kind()
                ),
                "write `process_cues:` then, indented, `platelet_activation: [activation, aggregation]`",
            );
            return Vec::new();
        }
    };
    let mut out: Vec<CueList> = Vec::new();
    for (k, list) in entries {
        let Value::Scalar(id) = &k.value else {
            ctx.report(k.line, None, "a key with no name".into(), SHAPE_FIX);
            continue;
        };
        if let Some(first) = out.iter().find(|c| c.id == *id) {
            let first = first.line;
            ctx.report(
                k.line,
                Some(id),
                format!("`process_cues:` lists `{id}:` twice (first at line {first}); the second is ignored"),
                "merge the two lists into one",
            );
            continue;
        }
        let cues = ctx.texts(list, id, Some(id));
        out.push(CueList {
            id: id.clone(),
            cues,
            line: k.line,
        });
    }
    out
}

/// Whether a key is a field only a concept has.
fn concept_only(key: &Node, not_in: &[&str]) -> bool {
    matches!(&key.value, Value::Scalar(s) if CONCEPT_KEYS.contains(&s.as_str()) && !not_in.contains(&s.as_str()))
}

/// The top-level keys; a concept's field at the top level gets its own message.
fn top_fields<'n>(ctx: &mut Ctx<'_>, entries: &'n [(Node, Node)]) -> Vec<(&'n str, &'n Node)> {
    for (k, _) in entries.iter().filter(|(k, _)| concept_only(k, TOP_KEYS)) {
        let Value::Scalar(key) = &k.value else { continue };
        ctx.report(
            k.line,
            None,
            format!("`{key}:` at the top level: it is a field of a concept"),
            "write each concept as an entry under `concepts:` (`- id: ...` then its fields, indented)",
        );
    }
    ctx.fields(
        entries.iter().filter(|(k, _)| !concept_only(k, TOP_KEYS)),
        TOP_KEYS,
        None,
        "the top level",
    )
}

fn header(ctx: &mut Ctx<'_>, v: &Node) -> Option<Header> {
    let entries = ctx.map(v, "ontology", None)?;
    let mut h = Header::default();
    let mut id = None;
    for (key, v) in ctx.fields(entries, HEADER_KEYS, None, "`ontology:`") {
        match key {
            "id" => id = ctx.text(v, key, None),
            "name" => h.name = ctx.text(v, key, None).unwrap_or_default(),
            "version" => h.version = ctx.text(v, key, None).unwrap_or_default(),
            "description" => h.description = ctx.text(v, key, None).unwrap_or_default(),
            "sources" => h.sources = ctx.texts(v, key, None),
            "kinds_are_distinct" => h.kinds_are_distinct = ctx.flag(v, key, None),
            _ => unreachable!("fields returns known keys only"),
        }
    }
    match id {
        Some(id) => h.id = id,
        None => {
            ctx.report(
                v.line,
                None,
                "`ontology:` has no `id:`".into(),
                "name the vocabulary, e.g. `id: my_terms`",
            );
            return None;
        }
    }
    Some(h)
}

/// The entry's `id:`, reported when missing or not a text.
fn entry_id(ctx: &mut Ctx<'_>, line: usize, fields: &[(&str, &Node)], what: &str) -> Option<String> {
    let Some((_, v)) = fields.iter().find(|(k, _)| *k == "id") else {
        if ctx.suggested.contains(&"id") {
            return None;
        }
        ctx.report(
            line,
            None,
            format!("{what} has no `id:`"),
            "start the entry with `- id: some_id` (lower-case letters, digits and _)",
        );
        return None;
    };
    let id = ctx.text(v, "id", None);
    if id.is_none() && v.value == Value::Null {
        ctx.report(
            v.line,
            None,
            format!("{what} has an empty `id:`"),
            "write the concept's id",
        );
    }
    id
}

fn concept(ctx: &mut Ctx<'_>, line: usize, entries: &[(Node, Node)]) -> Option<ConceptDef> {
    // the id first, so that every other problem names the concept
    let id_guess = entries.iter().find_map(|(k, v)| match (&k.value, &v.value) {
        (Value::Scalar(k), Value::Scalar(id)) if k == "id" => Some(id.clone()),
        _ => None,
    });
    let named = id_guess.as_deref();
    let fields = ctx.fields(entries, CONCEPT_KEYS, named, "a concept");
    let label_misspelt = ctx.suggested.contains(&"label");
    let id = entry_id(ctx, line, &fields, "a concept")?;
    let mut c = ConceptDef {
        id: id.clone(),
        ..ConceptDef::default()
    };
    let named = Some(id.as_str());
    let mut label = None;
    for (key, v) in fields {
        match key {
            "id" => {}
            "label" => label = ctx.text(v, key, named),
            "parent" | "parents" => {
                let given = if key == "parent" {
                    ctx.text(v, key, named).into_iter().collect()
                } else {
                    ctx.texts(v, key, named)
                };
                if !c.parents.is_empty() {
                    ctx.report(
                        v.line,
                        named,
                        "both `parent:` and `parents:` are given".into(),
                        "list every parent once, under `parents: [a, b]`",
                    );
                }
                c.parents.extend(given);
            }
            "role" => c.role = ctx.text(v, key, named),
            "definition" => c.definition = ctx.text(v, key, named).unwrap_or_default(),
            "synonyms" => c.synonyms = ctx.texts(v, key, named),
            "abbreviations" => c.abbreviations = abbreviations(ctx, v, named),
            "xrefs" => c.xrefs = ctx.texts(v, key, named),
            "exclude" => c.exclude = ctx.texts(v, key, named),
            "ambiguous" => c.ambiguous = ctx.texts(v, key, named),
            "examples" => c.examples = examples(ctx, v, named),
            "longer_name_words" => c.longer_name_words = name_words(ctx, v, named),
            "head_words" => c.head_words = ctx.texts(v, key, named),
            "state_of" => c.state_of = state_of(ctx, v, named),
            _ => unreachable!("fields returns known keys only"),
        }
    }
    c.label = match label {
        Some(l) => l,
        None => {
            if !label_misspelt && !entries.iter().any(|(k, _)| k.value == Value::Scalar("label".into())) {
                ctx.report(line, named, "no `label:`".into(), "write a human-readable label");
            }
            // reported; the id stands in so that the label is not reported blank as well
            id
        }
    };
    Some(c)
}

/// An `extend:` entry, and whether it holds fields of a new concept (reported here).
fn extension(ctx: &mut Ctx<'_>, line: usize, entries: &[(Node, Node)]) -> Option<(Extension, bool)> {
    let id_guess = entries.iter().find_map(|(k, v)| match (&k.value, &v.value) {
        (Value::Scalar(k), Value::Scalar(id)) if k == "id" => Some(id.clone()),
        _ => None,
    });
    let named = id_guess.as_deref();
    // fields only a new concept has: one message for all of them
    let new_fields: Vec<&Node> = entries
        .iter()
        .filter(|(k, _)| concept_only(k, EXTENSION_KEYS))
        .map(|(k, _)| k)
        .collect();
    if let Some(first) = new_fields.first() {
        let keys: Vec<String> = new_fields
            .iter()
            .filter_map(|k| match &k.value {
                Value::Scalar(s) => Some(format!("`{s}:`")),
                _ => None,
            })
            .collect();
        ctx.report(
            first.line,
            named,
            format!(
                "{} under `extend:`: new concepts belong under `concepts:`",
                keys.join(", ")
            ),
            "move the entry under `concepts:` to add a concept; an `extend:` entry only adds synonyms, \
             abbreviations, exclude, ambiguous and examples to a concept defined in another file",
        );
    }
    let fields = ctx.fields(
        entries.iter().filter(|(k, _)| !concept_only(k, EXTENSION_KEYS)),
        EXTENSION_KEYS,
        named,
        "an `extend:` entry",
    );
    let id = entry_id(ctx, line, &fields, "an `extend:` entry")?;
    let named = Some(id.as_str());
    let mut e = Extension {
        id: id.clone(),
        ..Extension::default()
    };
    for (key, v) in fields {
        match key {
            "id" => {}
            "synonyms" => e.synonyms = ctx.texts(v, key, named),
            "process_cues" => e.process_cues = ctx.texts(v, key, named),
            "abbreviations" => e.abbreviations = abbreviations(ctx, v, named),
            "exclude" => e.exclude = ctx.texts(v, key, named),
            "ambiguous" => e.ambiguous = ctx.texts(v, key, named),
            "examples" => e.examples = examples(ctx, v, named),
            _ => unreachable!("fields returns known keys only"),
        }
    }
    Some((e, !new_fields.is_empty()))
}

const ABBREVIATION_SHAPE: &str = "an abbreviation must be a text, `{term: TF, when: defined}` or \
     `{term: ER, when: context, context: [estrogen]}` (keys: term, when, context)";

fn abbreviations(ctx: &mut Ctx<'_>, v: &Node, concept: Option<&str>) -> Vec<AbbreviationDef> {
    let items = match &v.value {
        Value::Seq(items) => items.as_slice(),
        Value::Null => return Vec::new(),
        other => {
            ctx.report(
                v.line,
                concept,
                format!("`abbreviations:` must be a list, not {}", other.kind()),
                "write `abbreviations: [TF, TFPI]`, or one `- item` per line",
            );
            return Vec::new();
        }
    };
    let fix = "see docs/abbreviations.md for conditional abbreviations";
    let mut out = Vec::new();
    for item in items {
        match &item.value {
            Value::Scalar(s) => out.push(AbbreviationDef::Plain(s.clone())),
            Value::Null => ctx.report(
                item.line,
                concept,
                "an empty item in `abbreviations:`".into(),
                "remove the empty item or write the term",
            ),
            Value::Seq(_) => ctx.report(item.line, concept, ABBREVIATION_SHAPE.into(), fix),
            Value::Map(entries) => {
                let fields = ctx.fields(entries, ABBREVIATION_KEYS, concept, "a conditional abbreviation");
                let misspelt = ctx.suggested.clone();
                let mut term = None;
                let mut when = None;
                let mut context = Vec::new();
                for (key, v) in fields {
                    match key {
                        "term" => term = ctx.text(v, key, concept),
                        "when" => when = ctx.text(v, key, concept),
                        "context" => context = ctx.texts(v, key, concept),
                        _ => unreachable!("fields returns known keys only"),
                    }
                }
                match (term, when) {
                    (Some(term), Some(when)) => out.push(AbbreviationDef::Conditional(ConditionalAbbreviation {
                        term,
                        when,
                        context,
                    })),
                    (None, _) if misspelt.contains(&"term") => {}
                    (Some(_), None) if misspelt.contains(&"when") => {}
                    (None, _) => ctx.report(
                        item.line,
                        concept,
                        "a conditional abbreviation has no `term:`".into(),
                        fix,
                    ),
                    (Some(term), None) => ctx.report(
                        item.line,
                        concept,
                        format!("the conditional abbreviation {term:?} has no `when:` (defined or context)"),
                        fix,
                    ),
                }
            }
        }
    }
    out
}

fn examples(ctx: &mut Ctx<'_>, v: &Node, concept: Option<&str>) -> Examples {
    let [matches, no_match] = two_lists(ctx, v, "examples", EXAMPLE_KEYS, concept);
    Examples { matches, no_match }
}

fn name_words(ctx: &mut Ctx<'_>, v: &Node, concept: Option<&str>) -> NameWords {
    let [before, after] = two_lists(ctx, v, "longer_name_words", NAME_WORD_KEYS, concept);
    NameWords { before, after }
}

fn state_of(ctx: &mut Ctx<'_>, v: &Node, concept: Option<&str>) -> Option<StateOf> {
    let entries = ctx.map(v, "state_of", concept)?;
    let mut out = StateOf::default();
    for (k, v) in ctx.fields(entries, STATE_OF_KEYS, concept, "`state_of:`") {
        match k {
            "concept" => out.concept = ctx.text(v, k, concept).unwrap_or_default(),
            "before" => out.before = ctx.texts(v, k, concept),
            _ => out.after = ctx.texts(v, k, concept),
        }
    }
    Some(out)
}

/// A mapping of two lists of texts (`examples:`, `longer_name_words:`), in the order of `keys`.
fn two_lists(
    ctx: &mut Ctx<'_>,
    v: &Node,
    key: &str,
    keys: &'static [&'static str],
    concept: Option<&str>,
) -> [Vec<String>; 2] {
    let mut out = [Vec::new(), Vec::new()];
    let Some(entries) = ctx.map(v, key, concept) else {
        return out;
    };
    for (k, v) in ctx.fields(entries, keys, concept, &format!("`{key}:`")) {
        let i = usize::from(k == keys[1]);
        out[i] = ctx.texts(v, k, concept);
    }
    out
}
