//! The vocabulary in other formats, for other tools: TSV (one row per term), JSON and OBO 1.4.
//!
//! **TSV** has a header and the columns `concept_id`, `term`, `kind`, `case_sensitive`,
//! `variant_of`. `kind` is one of
//!
//! * `synonym`: a term as the curator wrote it, matched case-insensitively (`case_sensitive` = no);
//! * `abbreviation`: a term as written, matched case-sensitively (`case_sensitive` = yes);
//! * `variant`: a spelling generated when the ontology is compiled (hyphen/space/joined forms,
//!   plurals, British/American spellings), with the term it comes from in `variant_of` and that
//!   term's case rule; only with `variants` on;
//! * `exclude`: a phrase inside which the concept's terms do not count.
//!
//! Rows follow the ontology: concepts in file order, each concept's terms in order (synonyms,
//! then abbreviations, then terms added by `extend:`), each term followed by its variants, then
//! the concept's exclude phrases. Tabs and line breaks inside a value become spaces.
//!
//! **JSON** is one object: `headers` (the files' `ontology:` headers) and `concepts`, each with
//! `id`, `label`, `parent`, `category`, `depth`, `definition`, `synonyms`, `abbreviations`,
//! `xrefs`, `exclude`, and with `variants` on, `variants`: `[{"of": term, "text": variant}]`.
//!
//! **OBO 1.4** writes a header (`format-version`, `ontology`, `data-version`, the synonym types)
//! and one `[Term]` stanza per concept: `id` (`PREFIX:concept_id`, the prefix being the first
//! header's id in upper case), `name`, `def`, `synonym` lines (`EXACT`, typed `ABBREVIATION`
//! or `VARIANT`), `xref`, `is_a` and the exclude phrases as `property_value: coagtag:exclude`.

use std::io::{self, Write};

use serde::Serialize;

use super::schema::NameWords;
use super::{Ontology, TermKind, variants};
use crate::normalize;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Tsv,
    Json,
    Obo,
}

/// What to export besides the terms as written.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Also the variants generated at compile time.
    pub variants: bool,
}

/// Write `ontology` to `out` in `format`.
pub fn export(ontology: &Ontology, format: ExportFormat, opts: ExportOptions, out: &mut dyn Write) -> io::Result<()> {
    match format {
        ExportFormat::Tsv => tsv(ontology, opts, out),
        ExportFormat::Json => json(ontology, opts, out),
        ExportFormat::Obo => obo(ontology, opts, out),
    }
}

/// The generated variants of a term (not the term itself), as `check --variants` lists them.
fn term_variants(text: &str, kind: TermKind) -> Vec<String> {
    let canon = normalize::canonical(text);
    variants::variants(&canon, kind == TermKind::Abbreviation)
        .into_iter()
        .skip(1)
        .collect()
}

fn tsv_field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn tsv(ont: &Ontology, opts: ExportOptions, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "concept_id\tterm\tkind\tcase_sensitive\tvariant_of")?;
    for c in &ont.concepts {
        for t in &c.terms {
            let case = if t.kind == TermKind::Abbreviation { "yes" } else { "no" };
            writeln!(out, "{}\t{}\t{}\t{case}\t", c.id, tsv_field(&t.text), t.kind.as_str())?;
            if opts.variants {
                for v in term_variants(&t.text, t.kind) {
                    writeln!(
                        out,
                        "{}\t{}\tvariant\t{case}\t{}",
                        c.id,
                        tsv_field(&v),
                        tsv_field(&t.text)
                    )?;
                }
            }
        }
        for x in &c.excludes {
            writeln!(out, "{}\t{}\texclude\tno\t", c.id, tsv_field(x))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonOntology<'a> {
    headers: Vec<JsonHeader<'a>>,
    concepts: Vec<JsonConcept<'a>>,
}

#[derive(Serialize)]
struct JsonHeader<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    description: &'a str,
    sources: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    kinds_are_distinct: bool,
}

#[derive(Serialize)]
struct JsonConcept<'a> {
    id: &'a str,
    label: &'a str,
    parent: Option<&'a str>,
    /// Every parent (`parent` is the first).
    parents: Vec<&'a str>,
    category: &'a str,
    /// Every top-level ancestor (`category` is the first).
    categories: Vec<&'a str>,
    role: &'static str,
    depth: u32,
    definition: &'a str,
    synonyms: Vec<&'a str>,
    abbreviations: Vec<&'a str>,
    xrefs: &'a [String],
    exclude: &'a [String],
    #[serde(skip_serializing_if = "no_words")]
    longer_name_words: &'a NameWords,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    head_words: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    state_of: Option<JsonStateOf<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variants: Option<Vec<JsonVariant<'a>>>,
}

/// `state_of:` with the concept named by its id.
#[derive(Serialize)]
struct JsonStateOf<'a> {
    concept: &'a str,
    before: &'a [String],
    after: &'a [String],
}

fn no_words(w: &&NameWords) -> bool {
    w.is_empty()
}

#[derive(Serialize)]
struct JsonVariant<'a> {
    of: &'a str,
    text: String,
}

fn json(ont: &Ontology, opts: ExportOptions, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonOntology {
        headers: ont
            .headers
            .iter()
            .map(|h| JsonHeader {
                id: &h.id,
                name: &h.name,
                version: &h.version,
                description: &h.description,
                sources: &h.sources,
                kinds_are_distinct: h.kinds_are_distinct,
            })
            .collect(),
        concepts: ont
            .concepts
            .iter()
            .map(|c| {
                let of_kind = |k: TermKind| {
                    c.terms
                        .iter()
                        .filter(|t| t.kind == k)
                        .map(|t| t.text.as_str())
                        .collect()
                };
                JsonConcept {
                    id: &c.id,
                    label: &c.label,
                    parent: c.parent.map(|p| ont.concept(p).id.as_str()),
                    parents: c.parents.iter().map(|&p| ont.concept(p).id.as_str()).collect(),
                    category: &ont.concept(c.category).id,
                    categories: c.categories.iter().map(|&k| ont.concept(k).id.as_str()).collect(),
                    role: c.role.as_str(),
                    depth: c.depth,
                    definition: &c.definition,
                    synonyms: of_kind(TermKind::Synonym),
                    abbreviations: of_kind(TermKind::Abbreviation),
                    xrefs: &c.xrefs,
                    exclude: &c.excludes,
                    longer_name_words: &c.longer_name_words,
                    head_words: &c.head_words,
                    state_of: c.state_of.as_ref().map(|st| JsonStateOf {
                        concept: &ont.concept(st.concept).id,
                        before: &st.words.before,
                        after: &st.words.after,
                    }),
                    variants: opts.variants.then(|| {
                        c.terms
                            .iter()
                            .flat_map(|t| {
                                term_variants(&t.text, t.kind)
                                    .into_iter()
                                    .map(|v| JsonVariant { of: &t.text, text: v })
                            })
                            .collect()
                    }),
                }
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

/// An OBO quoted string: backslash, double quote and line breaks escaped.
fn obo_quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '\\' => q.push_str("\\\\"),
            '"' => q.push_str("\\\""),
            '\n' => q.push_str("\\n"),
            '\r' => {}
            _ => q.push(c),
        }
    }
    q.push('"');
    q
}

/// An OBO tag value outside quotes: one line, `!` (which starts a comment) escaped.
fn obo_value(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace('!', "\\!")
}

fn obo(ont: &Ontology, opts: ExportOptions, out: &mut dyn Write) -> io::Result<()> {
    let (prefix, version) = match ont.headers.first() {
        Some(h) => (h.id.to_uppercase(), h.version.as_str()),
        None => ("COAGTAG".to_string(), ""),
    };
    let oid = ont.headers.first().map_or("coagtag", |h| h.id.as_str());
    writeln!(out, "format-version: 1.4")?;
    if !version.is_empty() {
        writeln!(out, "data-version: {}", obo_value(version))?;
    }
    writeln!(
        out,
        "synonymtypedef: ABBREVIATION \"abbreviation, matched case-sensitively\""
    )?;
    if opts.variants {
        writeln!(out, "synonymtypedef: VARIANT \"spelling variant generated by coagtag\"")?;
    }
    writeln!(out, "ontology: {}", obo_value(oid))?;
    for c in &ont.concepts {
        writeln!(out, "\n[Term]")?;
        writeln!(out, "id: {prefix}:{}", c.id)?;
        writeln!(out, "name: {}", obo_value(&c.label))?;
        if !c.definition.is_empty() {
            writeln!(out, "def: {} []", obo_quoted(&c.definition))?;
        }
        for t in &c.terms {
            match t.kind {
                TermKind::Synonym => writeln!(out, "synonym: {} EXACT []", obo_quoted(&t.text))?,
                TermKind::Abbreviation => writeln!(out, "synonym: {} EXACT ABBREVIATION []", obo_quoted(&t.text))?,
            }
            if opts.variants {
                for v in term_variants(&t.text, t.kind) {
                    writeln!(out, "synonym: {} EXACT VARIANT []", obo_quoted(&v))?;
                }
            }
        }
        for x in &c.xrefs {
            writeln!(out, "xref: {}", obo_value(x))?;
        }
        for &p in &c.parents {
            let parent = ont.concept(p);
            writeln!(out, "is_a: {prefix}:{} ! {}", parent.id, obo_value(&parent.label))?;
        }
        for x in &c.excludes {
            writeln!(out, "property_value: coagtag:exclude {} xsd:string", obo_quoted(x))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::load_texts;

    const YAML: &str = r#"ontology: {id: sic, name: Test, version: "0.2"}
concepts:
  - id: coagulation
    label: Coagulation
    definition: The "cascade".
    synonyms: [coagulation]
  - id: tissue_factor
    label: Tissue factor
    parent: coagulation
    definition: Starts it!
    synonyms: [tissue factor]
    abbreviations: [TF]
    xrefs: [MESH:D013923]
    exclude: [TF binding site]
"#;

    fn run(format: ExportFormat, variants: bool) -> String {
        let ont = load_texts(&[("t.yaml", YAML)]).expect("valid");
        let mut out = Vec::new();
        export(&ont, format, ExportOptions { variants }, &mut out).expect("writes to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn tsv_terms_as_written() {
        assert_eq!(
            run(ExportFormat::Tsv, false),
            "concept_id\tterm\tkind\tcase_sensitive\tvariant_of\n\
             coagulation\tcoagulation\tsynonym\tno\t\n\
             tissue_factor\ttissue factor\tsynonym\tno\t\n\
             tissue_factor\tTF\tabbreviation\tyes\t\n\
             tissue_factor\tTF binding site\texclude\tno\t\n"
        );
    }

    #[test]
    fn tsv_with_variants_follows_each_term() {
        assert_eq!(
            run(ExportFormat::Tsv, true),
            "concept_id\tterm\tkind\tcase_sensitive\tvariant_of\n\
             coagulation\tcoagulation\tsynonym\tno\t\n\
             coagulation\tcoagulations\tvariant\tno\tcoagulation\n\
             tissue_factor\ttissue factor\tsynonym\tno\t\n\
             tissue_factor\ttissue-factor\tvariant\tno\ttissue factor\n\
             tissue_factor\ttissue factors\tvariant\tno\ttissue factor\n\
             tissue_factor\ttissue-factors\tvariant\tno\ttissue factor\n\
             tissue_factor\tTF\tabbreviation\tyes\t\n\
             tissue_factor\tTFs\tvariant\tyes\tTF\n\
             tissue_factor\tTF binding site\texclude\tno\t\n"
        );
    }

    #[test]
    fn obo_stanzas() {
        assert_eq!(
            run(ExportFormat::Obo, false),
            "format-version: 1.4\n\
             data-version: 0.2\n\
             synonymtypedef: ABBREVIATION \"abbreviation, matched case-sensitively\"\n\
             ontology: sic\n\
             \n\
             [Term]\n\
             id: SIC:coagulation\n\
             name: Coagulation\n\
             def: \"The \\\"cascade\\\".\" []\n\
             synonym: \"coagulation\" EXACT []\n\
             \n\
             [Term]\n\
             id: SIC:tissue_factor\n\
             name: Tissue factor\n\
             def: \"Starts it!\" []\n\
             synonym: \"tissue factor\" EXACT []\n\
             synonym: \"TF\" EXACT ABBREVIATION []\n\
             xref: MESH:D013923\n\
             is_a: SIC:coagulation ! Coagulation\n\
             property_value: coagtag:exclude \"TF binding site\" xsd:string\n"
        );
    }

    #[test]
    fn json_document() {
        let v: serde_json::Value = serde_json::from_str(&run(ExportFormat::Json, true)).expect("valid JSON");
        assert_eq!(v["headers"][0]["id"], "sic");
        let tf = &v["concepts"][1];
        assert_eq!(tf["id"], "tissue_factor");
        assert_eq!(tf["parent"], "coagulation");
        assert_eq!(tf["category"], "coagulation");
        assert_eq!(tf["depth"], 1);
        assert_eq!(tf["synonyms"], serde_json::json!(["tissue factor"]));
        assert_eq!(tf["abbreviations"], serde_json::json!(["TF"]));
        assert_eq!(tf["exclude"], serde_json::json!(["TF binding site"]));
        assert_eq!(
            tf["variants"][0],
            serde_json::json!({"of": "tissue factor", "text": "tissue-factor"})
        );
        assert_eq!(tf["variants"].as_array().map(Vec::len), Some(4));
        let plain: serde_json::Value = serde_json::from_str(&run(ExportFormat::Json, false)).expect("valid JSON");
        assert!(plain["concepts"][1].get("variants").is_none());
    }
}
