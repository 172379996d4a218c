//! One test per ontology problem: each is reported with file:line, the concept and the fix,
//! and all problems of a load are reported together.

use coagtag::ontology::{OntologySource, load, load_texts};
use coagtag::tag::Tagger;

fn problems(texts: &[(&str, &str)]) -> Vec<String> {
    match load_texts(texts) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|p| p.to_string()).collect(),
    }
}

fn one(text: &str) -> Vec<String> {
    problems(&[("o.yaml", text)])
}

#[test]
fn unknown_key() {
    let p = one("concepts:\n  - id: a\n    label: A\n    synonym: [x]\n");
    assert_eq!(
        p,
        vec!["o.yaml:4: concept \"a\": unknown key `synonym` in a concept (fix: did you mean `synonyms`?)"]
    );
    let p = one("concepts:\n  - id: a\n    label: A\n    colour: red\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:4: concept \"a\": unknown key `colour` in a concept (fix: the keys of a concept are: id, label, parent, parents, role, definition, synonyms, abbreviations, xrefs, exclude, ambiguous, examples, longer_name_words, head_words, state_of)"
        ]
    );
    let p = one("concept:\n  - id: a\n    label: A\n");
    assert_eq!(
        p,
        vec!["o.yaml:1: unknown key `concept` in the top level (fix: did you mean `concepts`?)"]
    );
}

#[test]
fn yaml_syntax_error() {
    let p = one("concepts:\n  - id: a\n    label: \"unterminated\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:3: while scanning a quoted scalar, found unexpected end of stream (fix: check the YAML syntax near this line: quotes, indentation, colons)"
        ]
    );
}

#[test]
fn values_of_the_wrong_kind_are_located() {
    let p = one(
        "concepts:\n  - id: a\n    label: [A]\n  - id: b\n    label: B\n    synonyms: just one\n    examples: [x]\n    abbreviations:\n      - [TF]\n  - label: C\n  - id: d\n",
    );
    assert_eq!(
        p,
        vec![
            "o.yaml:3: concept \"a\": `label:` must be a text, not a list (fix: see docs/ontology.md for what each key holds)",
            "o.yaml:6: concept \"b\": `synonyms:` must be a list, not a text (fix: write `synonyms: [first, second]`, or one `- item` per line)",
            "o.yaml:7: concept \"b\": `examples:` must hold keys (match, no_match), not a list (fix: see docs/ontology.md for what each key holds)",
            "o.yaml:9: concept \"b\": an abbreviation must be a text, `{term: TF, when: defined}` or `{term: ER, when: context, context: [estrogen]}` (keys: term, when, context) (fix: see docs/abbreviations.md for conditional abbreviations)",
            "o.yaml:10: a concept has no `id:` (fix: start the entry with `- id: some_id` (lower-case letters, digits and _))",
            "o.yaml:11: concept \"d\": no `label:` (fix: write a human-readable label)",
        ]
    );
}

/// The case: one YAML mistake must not hide the others, in any file.
#[test]
fn a_misspelt_key_and_a_type_error_do_not_hide_the_rest() {
    let p = problems(&[
        (
            "a.yaml",
            "concepts:\n  - id: a\n    label: A\n    synonym: [alpha]\n  - id: b\n    label: [B]\n    parent: aa\n  - id: a\n    label: A again\n",
        ),
        (
            "b.yaml",
            "concepts:\n  - id: c\n    label: C\n    parent: nowhere\n    xrefs: MESH:D1\n",
        ),
    ]);
    assert_eq!(
        p,
        vec![
            "a.yaml:4: concept \"a\": unknown key `synonym` in a concept (fix: did you mean `synonyms`?)",
            "a.yaml:6: concept \"b\": `label:` must be a text, not a list (fix: see docs/ontology.md for what each key holds)",
            "a.yaml:8: concept \"a\": duplicate id, first defined at a.yaml:2 (fix: rename one of them, or use `extend:` to add terms to the first)",
            "b.yaml:5: concept \"c\": `xrefs:` must be a list, not a text (fix: write `xrefs: [first, second]`, or one `- item` per line)",
            "a.yaml:5: concept \"b\": parent \"aa\" is not a concept (fix: did you mean \"a\"?)",
            "b.yaml:2: concept \"c\": parent \"nowhere\" is not a concept (fix: name an existing concept id, or remove `parent:` for a top-level category)",
        ]
    );
}

#[test]
fn tabs_in_the_indentation_are_named() {
    let p = problems(&[
        ("tabs.yaml", "concepts:\n  - id: a\n\tlabel: A\n\tsynonyms: [x]\n"),
        ("fine.yaml", "concepts:\n  - id: b\n    label: B\n    parent: nowhere\n"),
    ]);
    assert_eq!(
        p,
        vec![
            "tabs.yaml:3: a tab in the indentation: YAML indents with spaces only (fix: replace the tab with spaces (editors: \"convert indentation to spaces\"))",
            "tabs.yaml:4: a tab in the indentation: YAML indents with spaces only (fix: replace the tab with spaces (editors: \"convert indentation to spaces\"))",
            "fine.yaml:2: concept \"b\": parent \"nowhere\" is not a concept (fix: name an existing concept id, or remove `parent:` for a top-level category)",
        ]
    );
}

#[test]
fn concept_fields_under_extend_say_where_new_concepts_go() {
    let p = problems(&[
        ("base.yaml", "concepts:\n  - {id: tissue_factor, label: TF}\n"),
        (
            "ext.yaml",
            "extend:\n  - id: glycocalyx_shedding\n    label: Glycocalyx shedding\n    parent: tissue_factor\n    synonyms: [syndecan-1 shedding]\n  - id: tissue_factor\n    definition: changed\n    synonyms: [CD142]\n",
        ),
    ]);
    assert_eq!(
        p,
        vec![
            "ext.yaml:3: concept \"glycocalyx_shedding\": `label:`, `parent:` under `extend:`: new concepts belong under `concepts:` (fix: move the entry under `concepts:` to add a concept; an `extend:` entry only adds synonyms, abbreviations, exclude, ambiguous and examples to a concept defined in another file)",
            "ext.yaml:7: concept \"tissue_factor\": `definition:` under `extend:`: new concepts belong under `concepts:` (fix: move the entry under `concepts:` to add a concept; an `extend:` entry only adds synonyms, abbreviations, exclude, ambiguous and examples to a concept defined in another file)",
        ]
    );
}

#[test]
fn a_key_given_twice_and_a_list_at_the_top() {
    let p = one("concepts:\n  - id: a\n    label: A\n    synonyms: [x]\n    synonyms: [y]\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:5: concept \"a\": `synonyms:` is given twice (first at line 4); the second is ignored (fix: merge the two into one)"
        ]
    );
    let p = one("- id: a\n  label: A\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:1: the file is a list; an ontology file is a mapping with `concepts:` (and `ontology:`, `extend:`) (fix: put the list under `concepts:` (new concepts) or `extend:` (terms for concepts defined elsewhere))"
        ]
    );
}

#[test]
fn an_extension_that_adds_nothing_is_a_warning() {
    let o = load_texts(&[
        ("base.yaml", "concepts:\n  - {id: a, label: A}\n"),
        ("empty.yaml", ""),
        ("idle.yaml", "extend:\n  - id: a\n"),
    ])
    .unwrap();
    let w: Vec<String> = o.warnings.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        w,
        vec![
            "idle.yaml:2: concept \"a\": this `extend:` entry adds nothing (fix: list synonyms:, abbreviations:, exclude: or examples: under it, or remove it)",
            "empty.yaml: the file adds nothing: it defines no concept and extends none (fix: check that it is the file you meant; see docs/ontology.md for the format)",
        ]
    );
    assert_eq!(
        problems(&[("empty.yaml", "# nothing yet\n")]),
        vec![
            "empty.yaml: no concept: the ontology files define none (fix: define concepts under `concepts:`, or load the default ontology first and this file after it, to extend it)"
        ]
    );
}

#[test]
fn duplicate_id() {
    let p = one("concepts:\n  - id: a\n    label: A\n  - id: a\n    label: Again\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:4: concept \"a\": duplicate id, first defined at o.yaml:2 (fix: rename one of them, or use `extend:` to add terms to the first)"
        ]
    );
}

#[test]
fn bad_slug() {
    let p = one("concepts:\n  - id: Tissue Factor\n    label: A\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:2: concept \"Tissue Factor\": the id is not a slug of lower-case letters, digits and _ (fix: use an id like \"tissue_factor\")"
        ]
    );
}

#[test]
fn unknown_parent_suggests_the_closest_id() {
    let p = one("concepts:\n  - id: coagulation\n    label: C\n  - id: b\n    label: B\n    parent: coagulaton\n");
    assert_eq!(
        p,
        vec!["o.yaml:4: concept \"b\": parent \"coagulaton\" is not a concept (fix: did you mean \"coagulation\"?)"]
    );
}

#[test]
fn parent_cycle() {
    let p = one(
        "concepts:\n  - id: a\n    label: A\n    parent: c\n  - id: b\n    label: B\n    parent: a\n  - id: c\n    label: C\n    parent: b\n",
    );
    assert_eq!(
        p,
        vec![
            "o.yaml:2: concept \"a\": parent cycle: a -> c -> b -> a (fix: one concept in the cycle must have another parent or none)"
        ]
    );
}

#[test]
fn blank_and_empty_terms() {
    let p = one("concepts:\n  - id: a\n    label: A\n    synonyms:\n      - \"  \"\n      - \"\u{00AD}\"\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:5: concept \"a\": blank entry in synonyms (fix: remove the empty item or write the term)",
            "o.yaml:6: concept \"a\": synonym \"\\u{ad}\" has no visible characters after normalisation (fix: remove it)",
        ]
    );
}

#[test]
fn blank_label() {
    let p = one("concepts:\n  - id: a\n    label: \" \"\n");
    assert_eq!(
        p,
        vec!["o.yaml:2: concept \"a\": the label is blank (fix: write a human-readable label)"]
    );
}

#[test]
fn term_claimed_by_two_concepts() {
    let p = one(
        "concepts:\n  - id: tf\n    label: TF\n    abbreviations: [TF]\n  - id: transcription_factor\n    label: T\n    synonyms:\n      - tf\n",
    );
    assert_eq!(
        p,
        vec![
            "o.yaml:8: concept \"transcription_factor\": synonym \"tf\" is also an abbreviation of \"tf\" (o.yaml:4) (fix: remove it from one of them, or list \"tf\" under `ambiguous:` in both to count it for both)"
        ]
    );
}

#[test]
fn abbreviations_differing_in_case_do_not_clash() {
    let p = one(
        "concepts:\n  - id: tissue_factor\n    label: TF\n    abbreviations: [TF]\n  - id: transferrin\n    label: Tf\n    abbreviations: [Tf]\n",
    );
    assert_eq!(p, Vec::<String>::new());
}

#[test]
fn a_term_shared_on_purpose_is_allowed_only_when_both_say_so() {
    let both = "concepts:\n  - {id: a, label: A, synonyms: [x y], ambiguous: [x y]}\n  - {id: b, label: B, synonyms: [x y], ambiguous: [x y]}\n";
    assert_eq!(one(both), Vec::<String>::new());
    let only_one =
        "concepts:\n  - {id: a, label: A, synonyms: [x y], ambiguous: [x y]}\n  - {id: b, label: B, synonyms: [x y]}\n";
    assert_eq!(one(only_one).len(), 1);
    let stray = "concepts:\n  - {id: a, label: A, synonyms: [x y], ambiguous: [z]}\n";
    assert_eq!(
        one(stray),
        vec![
            "o.yaml:2: concept \"a\": `ambiguous:` lists \"z\", which is not a synonym or abbreviation of this concept (fix: list only terms the concept has)"
        ]
    );
}

#[test]
fn term_listed_twice() {
    let p = one("concepts:\n  - id: a\n    label: A\n    synonyms: [x, x]\n");
    assert_eq!(
        p,
        vec!["o.yaml:4: concept \"a\": synonym \"x\" is listed twice (fix: remove the second copy)"]
    );
}

#[test]
fn examples_that_do_not_tag_as_they_say() {
    let text = "concepts:\n  - id: tissue_factor\n    label: TF\n    synonyms: [tissue factor]\n    abbreviations: [TF]\n    examples:\n      match: [\"Thromboplastin rose.\"]\n      no_match: [\"The TF binding site.\"]\n";
    let o = load_texts(&[("o.yaml", text)]).unwrap();
    let err = Tagger::from_ontology(o).unwrap_err();
    let p: Vec<String> = err.0.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        p,
        vec![
            "o.yaml:2: concept \"tissue_factor\": example \"Thromboplastin rose.\" should tag as this concept but finds no mentions (fix: add the missing term (or fix the sentence))",
            "o.yaml:2: concept \"tissue_factor\": example \"The TF binding site.\" must not tag as this concept but finds \"TF\" -> tissue_factor (fix: add an `exclude:` phrase, make the term an abbreviation, or fix the sentence)",
        ]
    );
}

#[test]
fn extend_adds_terms_to_a_concept_in_another_file() {
    let base = "ontology: {id: base}\nconcepts:\n  - id: tissue_factor\n    label: TF\n    synonyms: [tissue factor]\n";
    let ext = "extend:\n  - id: tissue_factor\n    synonyms: [CD142]\n    exclude: [CD142 antibody]\n";
    let o = load_texts(&[("base.yaml", base), ("ext.yaml", ext)]).unwrap();
    let t = Tagger::from_ontology(o).unwrap();
    assert_eq!(t.matcher.find("CD142 was high").len(), 1);
    assert_eq!(t.matcher.find("a CD142 antibody").len(), 0);
}

#[test]
fn extend_of_an_unknown_concept() {
    let p = problems(&[
        ("base.yaml", "concepts:\n  - {id: tissue_factor, label: TF}\n"),
        ("ext.yaml", "extend:\n  - id: tissue_facor\n    synonyms: [CD142]\n"),
    ]);
    assert_eq!(
        p,
        vec![
            "ext.yaml:2: concept \"tissue_facor\": `extend:` names a concept that no ontology file defines (fix: did you mean \"tissue_factor\"? Also load the file that defines it)"
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let p = one(
        "concepts:\n  - id: a\n    label: A\n    parent: nowhere\n  - id: a\n    label: A2\n  - id: b\n    label: \"\"\n    synonyms: [\"\"]\n",
    );
    assert_eq!(p.len(), 4, "{p:#?}");
}

#[test]
fn files_and_directories_load_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "extend:\n  - id: x\n    synonyms: [more x]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.yml"),
        "concepts:\n  - {id: x, label: X, synonyms: [x thing]}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not an ontology").unwrap();
    let o = load(&[OntologySource::Path(dir.path().to_path_buf())]).unwrap();
    assert_eq!(o.concepts.len(), 1);
    let terms: Vec<&str> = o.concepts[0].terms.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(terms, vec!["x thing", "more x"]);
}

#[test]
fn missing_file_and_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = load(&[
        OntologySource::Path(dir.path().join("nope.yaml")),
        OntologySource::Path(dir.path().into()),
    ])
    .unwrap_err();
    let p: Vec<String> = err.0.iter().map(|p| p.to_string()).collect();
    assert_eq!(p.len(), 2);
    assert!(p[0].contains("nope.yaml: cannot read the ontology file:"), "{p:?}");
    assert!(p[1].ends_with(
        "the directory holds no .yaml or .yml file (fix: name an ontology file, or a directory with ontology files)"
    ));
}

#[test]
fn the_default_ontology_loads_and_its_examples_pass() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let cats: Vec<&str> = t
        .ontology
        .categories()
        .iter()
        .map(|&c| t.ontology.concept(c).id.as_str())
        .collect();
    let mut sorted = cats.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "anticoagulant_impairment",
            "clinical_coagulopathy",
            "coagulation_activation",
            "endothelial_dysfunction",
            "er_stress",
            "fibrinolysis",
            "immune_dysregulation",
            "inflammation",
            "mitochondrial_damage",
            "nets_immunothrombosis",
            "neuroendocrine_disruption",
            "platelet_activation",
            "related_context",
            "sepsis",
            "therapy",
        ]
    );
}

#[test]
fn roles_are_checked_and_inherited() {
    let p = one("concepts:\n  - id: a\n    label: A\n    role: participnt\n  - id: b\n    label: B\n    role: cell\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:2: concept \"a\": unknown role \"participnt\" (fix: did you mean \"participant\"?)",
            "o.yaml:5: concept \"b\": unknown role \"cell\" (fix: a role is one of: mechanism, molecule, participant, agent, context)",
        ]
    );
    // inherited from the first parent that has one (several parents), else mechanism
    let o = load_texts(&[(
        "o.yaml",
        "concepts:\n  - {id: a, label: A}\n  - {id: x, label: X, role: context}\n  - {id: b, label: B, parents: [a, x]}\n  - {id: c, label: C, parent: b}\n  - {id: d, label: D, parent: a}\n  - {id: e, label: E, parent: c, role: molecule}\n",
    )])
    .unwrap();
    let roles: Vec<(&str, &str)> = o.concepts.iter().map(|c| (c.id.as_str(), c.role.as_str())).collect();
    assert_eq!(
        roles,
        [
            ("a", "mechanism"),
            ("x", "context"),
            ("b", "context"),
            ("c", "context"),
            ("d", "mechanism"),
            ("e", "molecule"),
        ]
    );
}

#[test]
fn several_parents() {
    let o = load_texts(&[(
        "o.yaml",
        "concepts:\n  - {id: a, label: A}\n  - {id: b, label: B}\n  - {id: ctx, label: Ctx, role: context}\n  - {id: a1, label: A1, parent: a}\n  - {id: h, label: H, parents: [a1, b, ctx]}\n",
    )])
    .unwrap();
    let h = o.lookup("h").unwrap();
    let ids = |v: &[coagtag::ontology::ConceptId]| v.iter().map(|&c| o.concept(c).id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&o.concept(h).parents), ["a1", "b", "ctx"]);
    assert_eq!(ids(&o.concept(h).categories), ["a", "b", "ctx"]);
    assert_eq!(o.category_ids(h), "a; b; ctx");
    // a context root is no roll-up category
    let rolled: Vec<coagtag::ontology::ConceptId> = o.rollup_categories(h).collect();
    assert_eq!(ids(&rolled), ["a", "b"]);
    assert_eq!(o.concept(h).depth, 2);
    assert_eq!(ids(&o.concept(o.lookup("b").unwrap()).children), ["h"]);

    let p = one(
        "concepts:\n  - id: a\n    label: A\n    parent: b\n    parents: [c]\n  - {id: b, label: B}\n  - {id: c, label: C, parents: [b, b]}\n",
    );
    assert_eq!(
        p,
        vec![
            "o.yaml:5: concept \"a\": both `parent:` and `parents:` are given (fix: list every parent once, under `parents: [a, b]`)",
            "o.yaml:7: concept \"c\": parent \"b\" is listed twice (fix: list each parent once)",
        ]
    );
    // a cycle through a second parent
    let p = one(
        "concepts:\n  - {id: a, label: A}\n  - {id: b, label: B, parents: [a, c]}\n  - {id: c, label: C, parent: b}\n",
    );
    assert_eq!(
        p,
        vec![
            "o.yaml:3: concept \"b\": parent cycle: b -> c -> b (fix: one concept in the cycle must have another parent or none)"
        ]
    );
}

#[test]
fn process_cues_are_checked() {
    let p = one(
        "concepts:\n  - {id: plt, label: P}\nprocess_cues:\n  plt: [aggregat, \"\", aggregat]\n  pl: [x]\n  plt: [y]\n",
    );
    assert_eq!(
        p,
        vec![
            "o.yaml:6: concept \"plt\": `process_cues:` lists `plt:` twice (first at line 4); the second is ignored (fix: merge the two lists into one)",
            "o.yaml:4: concept \"plt\": a blank process cue (fix: remove the empty item or write the cue)",
            "o.yaml:4: concept \"plt\": process cue \"aggregat\" is listed twice for this concept (fix: remove the second copy)",
            "o.yaml:5: concept \"pl\": `process_cues:` names a concept that no ontology file defines (fix: did you mean \"plt\"?)",
        ]
    );
    let p = one("concepts:\n  - {id: plt, label: P}\nprocess_cues: [a, b]\n");
    assert_eq!(
        p,
        vec![
            "o.yaml:3: `process_cues:` must map concept ids to lists of cues, not a list (fix: write `process_cues:` then, indented, `platelet_activation: [activation, aggregation]`)"
        ]
    );
    // users extend them like terms: in their own `process_cues:` or in an `extend:` entry
    let o = load_texts(&[
        (
            "base.yaml",
            "concepts:\n  - {id: plt, label: P}\nprocess_cues:\n  plt: [aggregat]\n",
        ),
        (
            "mine.yaml",
            "extend:\n  - id: plt\n    process_cues: [Adhesion]\nprocess_cues:\n  plt: [spreading]\n",
        ),
    ])
    .unwrap();
    assert_eq!(o.concepts[0].process_cues, ["adhesion", "aggregat", "spreading"]);
}
