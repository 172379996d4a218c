//! `qualifiers:`, the cue words of the qualifier stage ([`crate::tag::qualifiers`]): which words
//! negate, hedge or state a change of a mention, which only look as if they did (pseudo-triggers),
//! which name an agent rather than a change, and which end a clause. Any ontology file may hold
//! the section; the lists of every file loaded are merged, so an extension file adds cues as it
//! adds terms (format in `docs/qualifiers.md`).
//!
//! A cue is one or more words, matched case-insensitively as whole words; a final `*` matches any
//! word that starts with what precedes it (`suggest*`: suggest, suggests, suggested, ...).
//! Punctuation is written as it stands (`anti-`, `-induced`, `;`, `−/−`).

use std::collections::HashMap;

use super::yaml::{Node, Value};
use super::{Loc, Problem};

/// What a cue says of a mention in its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CueKind {
    /// Looks like a trigger and is none ("not only", "no doubt"): the words it covers are no cue.
    Pseudo,
    /// Names an agent next to the mention ("inhibitor of X", "anti-X", "X antagonist"): the
    /// mention's direction is `none`.
    Agent,
    /// The mention is negated.
    Negation,
    /// The mention is hedged.
    Hedge,
    /// The mention went up.
    Up,
    /// The mention went down.
    Down,
    /// Ends a clause: no cue scopes over it ("but", "however", ";").
    Terminator,
}

/// Where a cue stands relative to the mention it qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// Before the mention ("no DIC", "increased D-dimer").
    Before,
    /// After the mention ("D-dimer did not increase", "thrombin was elevated").
    After,
    /// Before the mention, governing only the noun phrase that follows the cue ("no DIC",
    /// "without bleeding", "potential role of NETs"): a verb, a subordinate or comparison word,
    /// a condition phrase or a new coordinated clause ends its scope.
    Phrase,
    /// Wherever it stands (pseudo-triggers and terminators).
    Anywhere,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Before => "before",
            Side::After => "after",
            Side::Phrase => "phrase",
            Side::Anywhere => "anywhere",
        }
    }
}

/// One cue as validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub kind: CueKind,
    pub side: Side,
    /// As written, trimmed (a final `*` included).
    pub text: String,
    pub loc: Loc,
}

/// A cue as the shape check read it: its list and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueDef {
    pub kind: CueKind,
    pub side: Side,
    pub text: String,
    pub line: usize,
}

/// The keys of `qualifiers:` and what each holds: `(key, kind, has before/after lists)`.
const LISTS: &[(&str, CueKind, bool)] = &[
    ("negation", CueKind::Negation, true),
    ("hedge", CueKind::Hedge, true),
    ("up", CueKind::Up, true),
    ("down", CueKind::Down, true),
    ("agent", CueKind::Agent, true),
    ("pseudo", CueKind::Pseudo, false),
    ("terminators", CueKind::Terminator, false),
];
const SIDE_KEYS: &[&str] = &["before", "after", "phrase"];

/// The name of a kind's list, for messages.
pub fn list_name(kind: CueKind) -> &'static str {
    LISTS
        .iter()
        .find(|(_, k, _)| *k == kind)
        .map_or("", |(name, _, _)| name)
}

fn problem(file: &str, line: usize, message: String, fix: impl Into<String>) -> Problem {
    Problem {
        loc: Loc {
            file: file.to_string(),
            line: Some(line),
        },
        concept: None,
        message,
        fix: Some(fix.into()),
    }
}

/// Did-you-mean for a key among `allowed`.
fn unknown_key(file: &str, line: usize, key: &str, allowed: &[&str], place: &str) -> Problem {
    let fix = match crate::diagnostic::closest(key, allowed.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("the keys of {place} are: {}", allowed.join(", ")),
    };
    problem(file, line, format!("unknown key `{key}` in {place}"), fix)
}

/// Read the `qualifiers:` section of one file (its shape: keys, lists, texts); every problem goes
/// to `problems`, everything right is kept.
pub fn shape(v: &Node, file: &str, problems: &mut Vec<Problem>) -> Vec<CueDef> {
    let mut out = Vec::new();
    let entries = match &v.value {
        Value::Map(entries) => entries,
        Value::Null => return out,
        other => {
            let keys: Vec<&str> = LISTS.iter().map(|(k, _, _)| *k).collect();
            problems.push(problem(
                file,
                v.line,
                format!(
                    "`qualifiers:` must hold keys ({}), not {}",
                    keys.join(", "),
                    other.kind()
                ),
                "see docs/qualifiers.md",
            ));
            return out;
        }
    };
    let keys: Vec<&str> = LISTS.iter().map(|(k, _, _)| *k).collect();
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (k, val) in entries {
        let Value::Scalar(key) = &k.value else {
            problems.push(problem(
                file,
                k.line,
                "a key with no name".into(),
                "see docs/qualifiers.md",
            ));
            continue;
        };
        let Some(&(name, kind, sided)) = LISTS.iter().find(|(n, _, _)| n == key) else {
            problems.push(unknown_key(file, k.line, key, &keys, "`qualifiers:`"));
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            problems.push(problem(
                file,
                k.line,
                format!("`{name}:` is given twice in `qualifiers:` (first at line {first}); the second is ignored"),
                "merge the two into one",
            ));
            continue;
        }
        seen.push((name, k.line));
        if !sided {
            items(val, name, kind, Side::Anywhere, file, problems, &mut out);
            continue;
        }
        match &val.value {
            Value::Map(sides) => {
                let mut seen_side: Vec<(&str, usize)> = Vec::new();
                for (sk, sv) in sides {
                    let side = match &sk.value {
                        Value::Scalar(s) if s == "before" => Side::Before,
                        Value::Scalar(s) if s == "after" => Side::After,
                        Value::Scalar(s) if s == "phrase" => Side::Phrase,
                        Value::Scalar(s) => {
                            problems.push(unknown_key(file, sk.line, s, SIDE_KEYS, &format!("`{name}:`")));
                            continue;
                        }
                        _ => {
                            problems.push(problem(file, sk.line, "a key with no name".into(), "see docs/qualifiers.md"));
                            continue;
                        }
                    };
                    let side_name = side.as_str();
                    if let Some((_, first)) = seen_side.iter().find(|(n, _)| *n == side_name) {
                        problems.push(problem(
                            file,
                            sk.line,
                            format!("`{side_name}:` is given twice in `{name}:` (first at line {first}); the second is ignored"),
                            "merge the two into one",
                        ));
                        continue;
                    }
                    seen_side.push((side_name, sk.line));
                    items(sv, &format!("{name}: {side_name}"), kind, side, file, problems, &mut out);
                }
            }
            Value::Null => {}
            other => problems.push(problem(
                file,
                val.line,
                format!("`{name}:` must hold `before:` and `after:` lists, not {}", other.kind()),
                format!("write `{name}:` then, indented, `before: [...]` (cues before the mention) and `after: [...]` (cues after it)"),
            )),
        }
    }
    out
}

fn items(
    v: &Node,
    list: &str,
    kind: CueKind,
    side: Side,
    file: &str,
    problems: &mut Vec<Problem>,
    out: &mut Vec<CueDef>,
) {
    match &v.value {
        Value::Null => {}
        Value::Seq(items) => {
            for item in items {
                match &item.value {
                    Value::Scalar(s) => out.push(CueDef {
                        kind,
                        side,
                        text: s.clone(),
                        line: item.line,
                    }),
                    Value::Null => problems.push(problem(
                        file,
                        item.line,
                        format!("an empty item in `{list}:`"),
                        "remove the empty item or write the cue",
                    )),
                    other => problems.push(problem(
                        file,
                        item.line,
                        format!("an item of `{list}:` must be a text, not {}", other.kind()),
                        "write one cue per item; quote a cue that holds `: ` or starts with `-`, e.g. \"-induced\"",
                    )),
                }
            }
        }
        other => problems.push(problem(
            file,
            v.line,
            format!("`{list}:` must be a list, not {}", other.kind()),
            format!("write `{list}: [first, second]`, or one `- item` per line"),
        )),
    }
}

/// Validate the cues of every file, in load order: a blank cue, a `*` not at the end, a cue
/// given twice in one list (the second is reported), a cue in the lists of two kinds (it could
/// not say which it is).
pub fn validate(defs: Vec<(String, CueDef)>, problems: &mut Vec<Problem>) -> Vec<Cue> {
    let mut out: Vec<Cue> = Vec::new();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for (file, d) in defs {
        let text = d.text.trim().to_string();
        let loc = Loc {
            file: file.clone(),
            line: Some(d.line),
        };
        let list = match d.side {
            Side::Anywhere => list_name(d.kind).to_string(),
            side => format!("{}: {}", list_name(d.kind), side.as_str()),
        };
        let report = |problems: &mut Vec<Problem>, message: String, fix: &str| {
            problems.push(Problem {
                loc: loc.clone(),
                concept: None,
                message,
                fix: Some(fix.into()),
            })
        };
        let body = text.strip_suffix('*').unwrap_or(&text);
        if body.trim().is_empty() {
            report(
                problems,
                format!("a blank cue in `qualifiers: {list}`"),
                "remove it or write the cue",
            );
            continue;
        }
        if body.contains('*') {
            report(
                problems,
                format!("the cue {text:?} in `qualifiers: {list}` has a `*` that is not at its end"),
                "a `*` may only end a cue (`suggest*` matches suggest, suggests, suggested)",
            );
            continue;
        }
        let key = text.to_lowercase();
        if let Some(&i) = by_text.get(&key) {
            let first = &out[i];
            if first.kind == d.kind && (first.side == d.side) {
                report(
                    problems,
                    format!(
                        "the cue {text:?} is listed twice in `qualifiers: {list}` (first at {})",
                        first.loc
                    ),
                    "remove the second copy",
                );
                continue;
            }
            if first.kind != d.kind {
                report(
                    problems,
                    format!(
                        "the cue {text:?} is in `qualifiers: {list}` and in `{}` (at {}): a cue is of one kind",
                        list_name(first.kind),
                        first.loc
                    ),
                    "keep it in one list; a longer cue that holds it can say the other (\"no doubt\" under pseudo)",
                );
                continue;
            }
        } else {
            by_text.insert(key, out.len());
        }
        out.push(Cue {
            kind: d.kind,
            side: d.side,
            text,
            loc,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> (Vec<Cue>, Vec<String>) {
        let root = super::super::yaml::parse(yaml).unwrap().unwrap();
        let Value::Map(entries) = &root.value else { panic!() };
        let (_, v) = entries
            .iter()
            .find(|(k, _)| k.value == Value::Scalar("qualifiers".into()))
            .unwrap();
        let mut problems = Vec::new();
        let defs = shape(v, "q.yaml", &mut problems);
        let cues = validate(
            defs.into_iter().map(|d| ("q.yaml".to_string(), d)).collect(),
            &mut problems,
        );
        (cues, problems.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn shapes_and_problems() {
        let table: &[(&str, &[&str])] = &[
            (
                "qualifiers:\n  negation:\n    before: [no, not]\n    after: [not]\n  pseudo: [not only]\n",
                &[],
            ),
            (
                "qualifiers:\n  negaton:\n    before: [no]\n",
                &["q.yaml:2: unknown key `negaton` in `qualifiers:` (fix: did you mean `negation`?)"],
            ),
            (
                "qualifiers:\n  hedge:\n    befor: [may]\n",
                &["q.yaml:3: unknown key `befor` in `hedge:` (fix: did you mean `before`?)"],
            ),
            (
                "qualifiers:\n  hedge: [may]\n",
                &[
                    "q.yaml:2: `hedge:` must hold `before:` and `after:` lists, not a list (fix: write `hedge:` then, indented, `before: [...]` (cues before the mention) and `after: [...]` (cues after it))",
                ],
            ),
            (
                "qualifiers:\n  up:\n    before:\n      - increased\n      - increased\n",
                &[
                    "q.yaml:5: the cue \"increased\" is listed twice in `qualifiers: up: before` (first at q.yaml:4) (fix: remove the second copy)",
                ],
            ),
            (
                "qualifiers:\n  up:\n    before: [loss]\n  down:\n    before: [loss]\n",
                &[
                    "q.yaml:5: the cue \"loss\" is in `qualifiers: down: before` and in `up` (at q.yaml:3): a cue is of one kind (fix: keep it in one list; a longer cue that holds it can say the other (\"no doubt\" under pseudo))",
                ],
            ),
            (
                "qualifiers:\n  pseudo: [\"n*t\", \" \", \"*\"]\n",
                &[
                    "q.yaml:2: the cue \"n*t\" in `qualifiers: pseudo` has a `*` that is not at its end (fix: a `*` may only end a cue (`suggest*` matches suggest, suggests, suggested))",
                    "q.yaml:2: a blank cue in `qualifiers: pseudo` (fix: remove it or write the cue)",
                    "q.yaml:2: a blank cue in `qualifiers: pseudo` (fix: remove it or write the cue)",
                ],
            ),
            (
                "qualifiers: [no]\n",
                &[
                    "q.yaml:1: `qualifiers:` must hold keys (negation, hedge, up, down, agent, pseudo, terminators), not a list (fix: see docs/qualifiers.md)",
                ],
            ),
            (
                "qualifiers:\n  terminators: but\n",
                &[
                    "q.yaml:2: `terminators:` must be a list, not a text (fix: write `terminators: [first, second]`, or one `- item` per line)",
                ],
            ),
        ];
        for (yaml, want) in table {
            let (_, got) = load(yaml);
            assert_eq!(got, *want, "{yaml}");
        }
        let (cues, _) =
            load("qualifiers:\n  negation:\n    before: [no, not]\n    after: [not]\n  pseudo: [not only]\n");
        let got: Vec<(CueKind, Side, &str, Option<usize>)> = cues
            .iter()
            .map(|c| (c.kind, c.side, c.text.as_str(), c.loc.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (CueKind::Negation, Side::Before, "no", Some(3)),
                (CueKind::Negation, Side::Before, "not", Some(3)),
                (CueKind::Negation, Side::After, "not", Some(4)),
                (CueKind::Pseudo, Side::Anywhere, "not only", Some(5)),
            ]
        );
    }
}
