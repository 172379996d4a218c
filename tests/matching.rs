//! Table tests for every matching rule in docs/matching.md, through the public API.

use coagtag::ontology::{Ontology, load_texts};
use coagtag::tag::matcher::{CompileOptions, Matcher, Via};
use coagtag::{Document, Section};

const VOCAB: &str = r#"
ontology: {id: test, name: Matching rules, version: "1"}
concepts:
  - id: tissue_factor
    label: Tissue factor
    synonyms: [tissue factor, thromboplastin]
    abbreviations: [TF]
    exclude: [TF binding site]
  - id: tfpi
    label: TFPI
    synonyms: [tissue factor pathway inhibitor]
    abbreviations: [TFPI]
  - id: nets
    label: Neutrophil extracellular traps
    synonyms: [neutrophil extracellular trap, NETosis]
    abbreviations: [NET]
  - id: tnf
    label: TNF-alpha
    synonyms: [TNF-α, tumor necrosis factor alpha]
  - id: il1b
    label: IL-1beta
    abbreviations: [IL-1β]
  - id: p_selectin
    label: P-selectin
    synonyms: [P-selectin]
  - id: glycocalyx
    label: Glycocalyx
    synonyms: [glycocalyx]
  - id: haemostasis
    label: Haemostasis
    synonyms: [haemostasis]
  - id: factor_v
    label: Factor V
    synonyms: [factor V]
  - id: factor_v_leiden
    label: Factor V Leiden
    synonyms: [factor V Leiden]
  - id: p2y12
    label: P2Y12
    synonyms: ["P2Y(12)"]
  - id: protein_c
    label: Protein C
    synonyms: [protein C]
  - id: apc
    label: Activated protein C
    synonyms: [activated protein C]
  - id: strasse
    label: Non-ASCII term
    synonyms: [Straßenbahn]
  - id: shared_a
    label: Shared A
    synonyms: [shared term]
    ambiguous: [shared term]
  - id: shared_b
    label: Shared B
    synonyms: [shared term]
    ambiguous: [shared term]
"#;

fn setup() -> (Ontology, Matcher) {
    let o = load_texts(&[("vocab.yaml", VOCAB)]).expect("test vocabulary loads");
    let m = Matcher::new(&o);
    (o, m)
}

/// (concept id, matched text, char start, char end) for every mention.
fn tag(o: &Ontology, m: &Matcher, text: &str) -> Vec<(String, String, u32, u32)> {
    m.find(text)
        .into_iter()
        .map(|x| {
            let s: String = text
                .chars()
                .skip(x.start as usize)
                .take((x.end - x.start) as usize)
                .collect();
            assert_eq!(
                s,
                &text[x.byte_start as usize..x.byte_end as usize],
                "char and byte offsets agree"
            );
            (o.concept(x.concept).id.clone(), s, x.start, x.end)
        })
        .collect()
}

fn ids(found: &[(String, String, u32, u32)]) -> Vec<&str> {
    found.iter().map(|f| f.0.as_str()).collect()
}

#[test]
fn rule_table() {
    let (o, m) = setup();
    // (rule, text, expected concept ids in order)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "synonyms ignore case",
            "TISSUE FACTOR and Tissue Factor",
            &["tissue_factor", "tissue_factor"],
        ),
        (
            "abbreviations keep case",
            "TF rose but tf and Tf did not",
            &["tissue_factor"],
        ),
        ("NETs is not nets", "NETs formed; fishing nets did not", &["nets"]),
        ("whole words: TF not inside TFPI", "TFPI fell", &["tfpi"]),
        (
            "whole words: NET not inside NETosis",
            "NETosis and NET",
            &["nets", "nets"],
        ),
        (
            "whole words: no match inside a longer word",
            "thromboplastins? rethromboplastin",
            &["tissue_factor"],
        ),
        (
            "longest match wins",
            "tissue factor pathway inhibitor levels",
            &["tfpi"],
        ),
        (
            "boundaries before choosing the longest (MATCHING-NOTES 1)",
            "tissue factor pathway inhibitory activity",
            &["tissue_factor"],
        ),
        (
            "factor V Leiden beats factor V (MATCHING-NOTES 5)",
            "factor V Leiden and factor V.",
            &["factor_v_leiden", "factor_v"],
        ),
        (
            "terms ending in punctuation (MATCHING-NOTES 2)",
            "P2Y(12) inhibitors",
            &["p2y12"],
        ),
        (
            "sentence end keeps the term (MATCHING-NOTES 4)",
            "We measured protein C.",
            &["protein_c"],
        ),
        (
            "activated protein C is one mention",
            "activated protein C was given",
            &["apc"],
        ),
        (
            "Greek letters equal their names",
            "TNF-α, TNF-alpha, TNF alpha, TNFα",
            &["tnf", "tnf", "tnf", "tnf"],
        ),
        ("capital Greek alpha folds (MATCHING-NOTES 6)", "TNF-Α", &["tnf"]),
        (
            "Greek in an abbreviation",
            "IL-1β and IL-1beta and IL1β",
            &["il1b", "il1b", "il1b"],
        ),
        (
            "every dash is a hyphen",
            "P‐selectin P–selectin P−selectin",
            &["p_selectin", "p_selectin", "p_selectin"],
        ),
        (
            "hyphen, space and joined variants",
            "P selectin, Pselectin, IL-1 beta, IL1β",
            &["p_selectin", "il1b", "il1b"],
        ),
        (
            "plural variants",
            "glycocalyces and glycocalyxes, NETs",
            &["glycocalyx", "glycocalyx", "nets"],
        ),
        (
            "spelling variants",
            "hemostasis and haemostasis",
            &["haemostasis", "haemostasis"],
        ),
        ("white space runs", "tissue \n\t factor", &["tissue_factor"]),
        (
            "exclude phrases",
            "The TF binding site was mutated; TF was expressed",
            &["tissue_factor"],
        ),
        ("non-ASCII terms", "die STRASSENBAHN, die Straßenbahn", &["strasse"]),
        (
            "a shared term counts for both concepts",
            "the shared term",
            &["shared_a", "shared_b"],
        ),
        ("no partial match at text end", "tissue facto", &[]),
    ];
    for (rule, text, expected) in cases {
        let found = tag(&o, &m, text);
        assert_eq!(ids(&found), *expected, "rule: {rule}; text: {text:?}; found {found:?}");
    }
}

#[test]
fn offsets_are_characters_of_the_original_text() {
    let (o, m) = setup();
    // İ lower-cases to two characters, ﬁ expands, α becomes five letters: offsets never drift
    let text = "İİ ﬁﬁ α TNF-α and TF — tissue factor";
    let found = tag(&o, &m, text);
    assert_eq!(
        found,
        vec![
            ("tnf".to_string(), "TNF-α".to_string(), 8, 13),
            ("tissue_factor".to_string(), "TF".to_string(), 18, 20),
            ("tissue_factor".to_string(), "tissue factor".to_string(), 23, 36),
        ]
    );
}

#[test]
fn document_offsets_span_sections_joined_by_one_character() {
    let (o, m) = setup();
    let doc = Document::new(
        "1",
        vec![
            Section::new("title", "TNF-α in sepsis"),
            Section::new("abstract", "Tissue factor rose."),
        ],
    );
    let mut out = Vec::new();
    m.find_in_document(&doc, &mut Default::default(), &mut out);
    let joined = doc.joined_text();
    let got: Vec<(&str, u32, u32, u32, String)> = out
        .iter()
        .map(|x| {
            let s: String = joined
                .chars()
                .skip(x.start as usize)
                .take((x.end - x.start) as usize)
                .collect();
            (o.concept(x.concept).id.as_str(), x.section, x.start, x.end, s)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("tnf", 0, 0, 5, "TNF-α".to_string()),
            ("tissue_factor", 1, 16, 29, "Tissue factor".to_string())
        ]
    );
}

#[test]
fn mentions_say_how_they_matched() {
    let (o, m) = setup();
    let found = m.find("TF and tissue factors");
    let got: Vec<(&str, Via, bool, &str)> = found
        .iter()
        .map(|x| {
            let c = o.concept(x.concept);
            (c.id.as_str(), x.via, x.variant, c.terms[x.term as usize].text.as_str())
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("tissue_factor", Via::Abbreviation, false, "TF"),
            ("tissue_factor", Via::Synonym, true, "tissue factor")
        ]
    );
}

#[test]
fn variants_can_be_switched_off() {
    let o = load_texts(&[("vocab.yaml", VOCAB)]).unwrap();
    let m = Matcher::with_options(&o, CompileOptions { variants: false });
    assert!(m.find("P selectin, glycocalyces, hemostasis").is_empty());
    assert_eq!(m.find("P-selectin").len(), 1);
}
