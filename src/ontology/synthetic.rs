//! A deterministic, synthetic vocabulary of any size, for benchmarks and scale tests.
//!
//! Real biomedical vocabularies (MeSH, UMLS subsets) are large, multi-word and share many
//! prefixes and head words ("plasma ...", "... receptor", "... inhibitor 2"). The generator
//! builds terms of that shape from fixed word lists: an optional modifier, a root (real nouns such
//! as `fibrinogen` and pseudo-nouns such as `thrombokinase` made of two morphemes), an optional
//! head noun and an optional number or Greek letter. Many terms therefore really occur in
//! abstracts ("soluble thrombomodulin", "plasma fibrinogen level"), so scanning exercises the
//! automaton as a real large vocabulary would.
//!
//! Concepts hold nine synonyms and one abbreviation each (a short upper-case form), under twenty
//! top-level categories. Output depends only on the requested size: the same call always yields
//! the same YAML text, and every term is distinct after case folding, so the file validates.

use std::collections::HashSet;
use std::fmt::Write as _;

const MODIFIERS: &[&str] = &[
    "soluble",
    "plasma",
    "circulating",
    "endothelial",
    "platelet",
    "activated",
    "recombinant",
    "human",
    "serum",
    "neutrophil",
    "monocyte",
    "hepatic",
    "renal",
    "vascular",
    "microvascular",
    "membrane-bound",
    "mitochondrial",
    "cytosolic",
    "nuclear",
    "secreted",
    "truncated",
    "latent",
    "free",
    "total",
    "urinary",
    "cardiac",
    "pulmonary",
    "intravascular",
    "systemic",
    "tissue-type",
];

const ROOTS: &[&str] = &[
    "thrombin",
    "fibrinogen",
    "plasminogen",
    "antithrombin",
    "thrombomodulin",
    "protein C",
    "heparin",
    "fibrin",
    "histone",
    "interleukin",
    "cytokine",
    "selectin",
    "integrin",
    "collagen",
    "von Willebrand factor",
    "D-dimer",
    "lactate",
    "endotoxin",
    "complement",
    "prostacyclin",
];

const MORPH_A: &[&str] = &[
    "thrombo", "fibrino", "coagulo", "hemo", "endo", "cyto", "angio", "lipo", "glyco", "neuro", "myelo", "immuno",
    "plasmino", "proteo", "leuko", "erythro", "histo", "nucleo", "phospho", "kinino",
];

const MORPH_B: &[&str] = &[
    "modulin", "kinase", "statin", "lysin", "genin", "poietin", "tensin", "nectin", "plastin", "globulin", "phorin",
    "cidin", "ferrin", "tropin", "lectin", "sialin", "mucin", "spondin", "granin", "ketide",
];

const HEADS: &[&str] = &[
    "receptor",
    "inhibitor",
    "activator",
    "factor",
    "antagonist",
    "ligand",
    "complex",
    "precursor",
    "fragment",
    "domain",
    "binding protein",
    "pathway",
    "deficiency",
    "level",
    "activity",
    "expression",
    "release",
    "signaling",
    "cleavage",
    "antibody",
];

const TAILS: &[&str] = &["1", "2", "3", "4", "alpha", "beta", "gamma", "A", "B"];

/// SplitMix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

/// Number of top-level categories in a synthetic vocabulary.
pub const SYNTHETIC_CATEGORIES: usize = 20;
/// Terms per concept: nine synonyms and one abbreviation.
pub const SYNTHETIC_TERMS_PER_CONCEPT: usize = 10;

fn synonym(rng: &mut Rng) -> String {
    let mut words: Vec<String> = Vec::with_capacity(4);
    if rng.below(3) > 0 {
        words.push(rng.pick(MODIFIERS).to_string());
    }
    if rng.below(3) == 0 {
        words.push(rng.pick(ROOTS).to_string());
    } else {
        words.push(format!("{}{}", rng.pick(MORPH_A), rng.pick(MORPH_B)));
    }
    if rng.below(2) == 0 {
        words.push(rng.pick(HEADS).to_string());
    }
    if rng.below(4) == 0 {
        words.push(rng.pick(TAILS).to_string());
    }
    words.join(" ")
}

/// An abbreviation made of the synonym's initials and a serial number in base 36.
fn abbreviation(syn: &str, serial: usize) -> String {
    let mut s: String = syn
        .split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut n = serial;
    let mut digits = Vec::new();
    loop {
        let d = (n % 36) as u32;
        digits.push(char::from_digit(d, 36).unwrap_or('0').to_ascii_uppercase());
        n /= 36;
        if n == 0 {
            break;
        }
    }
    s.extend(digits.iter().rev());
    s
}

/// The YAML text of a synthetic ontology with `terms` terms (rounded up to whole concepts of
/// [`SYNTHETIC_TERMS_PER_CONCEPT`]), loadable with [`super::load_texts`].
pub fn synthetic_yaml(terms: usize) -> String {
    let concepts = terms.div_ceil(SYNTHETIC_TERMS_PER_CONCEPT);
    let mut rng = Rng(0x00C0_A67A_6000_0007);
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = String::with_capacity(terms * 40);
    out.push_str("ontology:\n  id: synthetic\n  name: Synthetic benchmark vocabulary\n  version: '1'\n");
    out.push_str("concepts:\n");
    for k in 0..SYNTHETIC_CATEGORIES {
        let _ = writeln!(out, "  - id: category_{k}\n    label: Category {k}");
    }
    for c in 0..concepts {
        let mut syns = Vec::with_capacity(SYNTHETIC_TERMS_PER_CONCEPT - 1);
        while syns.len() < SYNTHETIC_TERMS_PER_CONCEPT - 1 {
            let s = synonym(&mut rng);
            if seen.insert(s.to_lowercase()) {
                syns.push(s);
            }
        }
        let abbr = abbreviation(&syns[0], c);
        // abbreviations carry a unique serial, but one could still equal a synonym's fold
        let abbr = if seen.insert(abbr.to_lowercase()) {
            abbr
        } else {
            let a = format!("{abbr}X{c}");
            seen.insert(a.to_lowercase());
            a
        };
        let _ = writeln!(
            out,
            "  - id: concept_{c}\n    label: {}\n    parent: category_{}\n    synonyms: [{}]\n    abbreviations: [\"{abbr}\"]",
            syns[0],
            c % SYNTHETIC_CATEGORIES,
            syns.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", "),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_vocabulary_is_deterministic_and_valid() {
        let a = synthetic_yaml(1_000);
        assert_eq!(a, synthetic_yaml(1_000));
        let ont = super::super::load_texts(&[("synthetic.yaml", &a)]).expect("the synthetic vocabulary validates");
        assert_eq!(ont.concepts.len(), SYNTHETIC_CATEGORIES + 100);
        let terms: usize = ont.concepts.iter().map(|c| c.terms.len()).sum();
        assert_eq!(terms, 1_000);
    }

    #[test]
    fn abbreviations_are_initials_and_a_serial() {
        assert_eq!(abbreviation("soluble thrombomodulin receptor", 0), "STR0");
        assert_eq!(abbreviation("plasma D-dimer level", 37), "PDDL11");
    }
}
