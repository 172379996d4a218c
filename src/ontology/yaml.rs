//! The one place that parses YAML: yaml-rust2's event parser, built into a small tree whose every
//! node knows its line. The ontology's shape is then checked on the tree (`shape`), so
//! that every unknown key and every value of the wrong kind is reported at its own line, and one
//! mistake does not hide the others (a typed deserializer stops at the first).
//!
//! The tree is built with an explicit stack (no recursion: deeply nested input cannot overflow
//! the stack) and limited to [`MAX_DEPTH`] levels, far more than an ontology needs.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// Deeper nesting than this is an error (an ontology file needs five levels).
pub const MAX_DEPTH: usize = 64;

/// A YAML node and the line (1-based) where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub line: usize,
    pub value: Value,
}

/// What a node holds. Scalars are kept as written: what a field means decides how they are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `~`, `null`, or nothing at all after a key.
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    /// Keys in file order, repeated keys included (the shape check reports them).
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What the value is, for messages: "a text", "a list", ...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "empty",
            Value::Scalar(_) => "a text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping (key: value lines)",
        }
    }
}

/// A YAML syntax error with its 1-based line, when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

enum Frame {
    Seq(usize, Vec<Node>),
    Map(usize, Vec<(Node, Node)>, Option<Node>),
}

/// Parse one file's text. `Ok(None)`: the file holds no document (empty, or comments only).
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError {
            line: Some(e.marker().line()),
            message: e.info().to_string(),
        })?;
        let line = mark.line();
        let node = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    // the start event is marked where the first document ended: say where the
                    // second one's content begins
                    let at = parser.peek().map_or(line, |(_, m)| m.line());
                    return Err(YamlError {
                        line: Some(at),
                        message: "a second YAML document (`---`) in one file; an ontology file holds one".into(),
                    });
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(YamlError {
                    line: Some(line),
                    message: "an alias (`*name`): anchors and aliases are not read in ontology files".into(),
                });
            }
            Event::Scalar(text, style, _, _) => {
                let null = style == TScalarStyle::Plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL");
                Node {
                    line,
                    value: if null { Value::Null } else { Value::Scalar(text) },
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        line: Some(line),
                        message: format!("nested more than {MAX_DEPTH} levels deep"),
                    });
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq(line, Vec::new()),
                    _ => Frame::Map(line, Vec::new(), None),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(line, items)) => Node {
                    line,
                    value: Value::Seq(items),
                },
                Some(Frame::Map(line, entries, _)) => Node {
                    line,
                    value: Value::Map(entries),
                },
                None => continue,
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, key)) => match key.take() {
                Some(k) => entries.push((k, node)),
                None if matches!(node.value, Value::Seq(_) | Value::Map(_)) => {
                    return Err(YamlError {
                        line: Some(node.line),
                        message: "a key must be a word, not a list or a mapping".into(),
                    });
                }
                None => *key = Some(node),
            },
        }
    }
    Ok(root.filter(|n| n.value != Value::Null))
}

/// The lines (1-based) whose indentation holds a tab (YAML indents with spaces only).
pub fn tab_indented_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let indent = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
            let rest = l.trim_start_matches([' ', '\t']);
            indent.contains('\t') && !rest.is_empty() && !rest.starts_with('#')
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(line: usize, s: &str) -> Node {
        Node {
            line,
            value: Value::Scalar(s.into()),
        }
    }

    #[test]
    fn nodes_know_their_lines() {
        let text = "concepts:\n  - id: a\n    synonyms: [x, \"\"]\n    parent:\n";
        let root = parse(text).unwrap().unwrap();
        let Value::Map(top) = &root.value else {
            panic!("{root:?}")
        };
        assert_eq!(top[0].0, scalar(1, "concepts"));
        let Value::Seq(items) = &top[0].1.value else { panic!() };
        let Value::Map(c) = &items[0].value else { panic!() };
        assert_eq!(items[0].line, 2);
        assert_eq!(c[0], (scalar(2, "id"), scalar(2, "a")));
        assert_eq!(c[1].0, scalar(3, "synonyms"));
        assert_eq!(
            c[1].1.value,
            Value::Seq(vec![scalar(3, "x"), scalar(3, "")]),
            "a quoted empty text is a text, not null"
        );
        assert_eq!(c[2].1.value, Value::Null);
    }

    #[test]
    fn empty_and_broken_texts() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
        assert_eq!(parse("---\n...\n").unwrap(), None);
        let err = |t: &str| parse(t).unwrap_err();
        assert_eq!(err("a: 1\n---\nb: 2\n").line, Some(3));
        assert_eq!(err("a: &x 1\nb: *x\n").line, Some(2));
        assert_eq!(err("a: \"open\n").line, Some(1), "where the quote opens");
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(err(&deep).message, "nested more than 64 levels deep");
        assert_eq!(
            err("? [a]\n: b\n").message,
            "a key must be a word, not a list or a mapping"
        );
    }

    #[test]
    fn tabs_in_indentation() {
        assert_eq!(
            tab_indented_lines("a:\n\t- b\n  - c\n \t# note\nd: \"x\ty\"\n"),
            vec![2]
        );
    }
}
