//! Issue 14's senses on real abstracts: terms written around their definition, states written
//! as phrases, head words of long forms, modifier-only short forms, receptor names and local
//! senses of sepsis words, counted exactly in the shared corpora through the real binary.

mod common;

use common::{coagtag, corpus, read_csv, run_ok, s};

/// An evidence row: (concept, text, article, the rest of the sentence after the text's first
/// occurrence).
type Row = (String, String, String, String);

/// How many rows pass `f`.
fn count(rows: &[Row], f: impl Fn(&Row) -> bool) -> usize {
    rows.iter().filter(|r| f(r)).count()
}

/// The evidence rows of a shared corpus.
fn evidence(rel: &str) -> Vec<Row> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("evidence.csv");
    run_ok(coagtag().args(["tag", "-q", "--evidence", s(&out), s(&corpus(rel))]));
    let rows = read_csv(&out);
    let col = |name: &str| rows[0].iter().position(|c| c == name).expect("an evidence column");
    let (concept, text, article, sentence) = (col("concept_id"), col("text"), col("article_id"), col("sentence"));
    rows[1..]
        .iter()
        .map(|r| {
            let after = r[sentence]
                .find(r[text].as_str())
                .map_or(String::new(), |i| r[sentence][i + r[text].len()..].to_string());
            (r[concept].clone(), r[text].clone(), r[article].clone(), after)
        })
        .collect()
}

#[test]
fn senses_in_pubmed21n1298() {
    let rows = evidence("pubmed/pubmed21n1298.xml.gz");
    // "endoplasmic reticulum (ER) stress" stands 16 times in abstracts (twice more in reference
    // citations, which are not tagged): every one is a mention of ER stress
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "er_stress" && r.1.contains("(ER) stress")),
        16
    );
    // "endothelial glycocalyx layer (GCX)" defines GCX: its five uses are glycocalyx mentions
    let gcx: Vec<&String> = rows.iter().filter(|r| r.1 == "GCX").map(|r| &r.2).collect();
    assert_eq!(gcx, ["34086745"; 5]);
    assert!(rows.iter().filter(|r| r.1 == "GCX").all(|r| r.0 == "glycocalyx_damage"));
    // EC dysfunction, dysfunctional endothelium, activated endothelial cells
    let states = |r: &Row| {
        r.0 == "endothelial_dysfunction"
            && (r.1.contains("EC")
                || ["dysfunctional ", "activated ", "injured ", "damaged "]
                    .iter()
                    .any(|w| r.1.starts_with(w)))
    };
    assert_eq!(count(&rows, states), 11);
    // no plain endothelial-cell mention is left before "dysfunction"
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "endothelial_cells"
            && r.3.starts_with(" dysfunction")),
        0
    );
    // "gastrointestinal bleeding (GI)": the GI of "GI tract" is not bleeding; one use stays
    assert_eq!(count(&rows, |r: &Row| r.0 == "bleeding" && r.1 == "GI"), 1);
    // a ligand's name before "receptor" names the receptor
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "tnf_alpha" && r.3.starts_with(" receptor")),
        0
    );
    // hyphenated prefixes
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "coagulation_activation"
            && r.1 == "hyper-coagulation"),
        1
    );
}

#[test]
fn senses_in_the_sepsis_subset() {
    let rows = evidence("sepsis/sepsis_coag_subset.xml.gz");
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "er_stress" && r.1.contains("(ER) stress")),
        2
    );
    assert_eq!(count(&rows, |r: &Row| r.1 == "GCX" && r.0 == "glycocalyx_damage"), 5);
    // local infections and the fish disease are not sepsis
    let local = ["emboli", "wound", "non-unions", "metastasis", "pulmonary emboli"];
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "sepsis"
            && local.iter().any(|w| r.3.starts_with(&format!(" {w}")))),
        0
    );
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "sepsis"
            && r.1.to_lowercase().starts_with("septic")
            && r.3.starts_with(" virus")),
        0
    );
    assert_eq!(count(&rows, |r: &Row| r.0 == "sepsis" && r.1 == "VHS"), 0);
    // "anti-thrombin III" is antithrombin, not thrombin
    assert_eq!(
        count(&rows, |r: &Row| r.0 == "antithrombin" && r.1 == "anti-thrombin III"),
        3
    );
    // PMID 409028 names thrombin only inside "anti-thrombin III"
    assert_eq!(count(&rows, |r: &Row| r.0 == "thrombin" && r.2 == "409028"), 0);
}
