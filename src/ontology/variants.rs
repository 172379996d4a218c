//! Spelling variants generated when an ontology is compiled.
//!
//! Curators list a term once; the literature spells it many ways. For every term we generate:
//!
//! * **separators**: each space or hyphen between two words may be a space or a hyphen, and
//!   nothing at all where the words are how short forms are written: one side a Greek letter name
//!   or containing a digit, or both sides three characters or fewer (`IL-6` / `IL 6` / `IL6`,
//!   `TNF-alpha` / `TNFalpha`, `NF-kB` / `NFkB`; but not `protein S` / "proteins"). Terms with
//!   more than three separators get only the all-space and all-hyphen forms;
//! * **plurals** of the last word by the regular English and Latin rules (`trap` -> `traps`,
//!   `glycocalyx` -> `glycocalyces`, `thrombus` -> `thrombi`, `thrombosis` -> `thromboses`,
//!   `NET` -> `NETs`);
//! * **British and American spellings** (`haemostasis` / `hemostasis`, `oedema` / `edema`,
//!   `tumour` / `tumor`, `ischaemia` / `ischemia`);
//! * **prefixes** written with or without a hyphen (`hypercoagulation` / `hyper-coagulation`,
//!   `anti-platelet` / `antiplatelet`) for the bound prefixes in [`PREFIXES`], not for
//!   abbreviations.
//!
//! Variants work on the case-preserving normal form (see [`crate::normalize::canonical`]), so
//! Greek letters are already names and dashes are already `-`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Greek letter names as produced by normalisation.
const GREEK: [&str; 24] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
    "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
];

/// All variants of a canonical term, the term itself first, without duplicates.
/// `abbreviation` terms get separator and plural variants but no spelling variants.
pub fn variants(canon: &str, abbreviation: bool) -> Vec<String> {
    variants_with(canon, abbreviation, &mut VariantCache::default())
}

/// [`variants`] with a cache of word respellings kept across terms: vocabularies reuse their
/// words, so compiling a large one respells each distinct word once.
pub fn variants_with(canon: &str, abbreviation: bool, cache: &mut VariantCache) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // a term has up to a few hundred forms: remember their hashes in a set, not by scanning
    // `out` (the forms themselves are compared only when two hashes are equal)
    let mut seen: HashSet<u64, BuildHasherDefault<Fnv>> = HashSet::default();
    let mut add = |s: String, out: &mut Vec<String>| {
        if s.is_empty() {
            return;
        }
        let mut h = Fnv::default();
        h.write(s.as_bytes());
        if seen.insert(h.finish()) || !out.contains(&s) {
            out.push(s);
        }
    };
    add(canon.to_string(), &mut out);
    for sep_form in separator_forms(canon) {
        add(sep_form, &mut out);
    }
    if let Some(split) = split_digit_greek(canon) {
        add(split.clone(), &mut out);
        for sep_form in separator_forms(&split) {
            add(sep_form, &mut out);
        }
    }
    if !abbreviation && let Some(other) = prefix_form(canon) {
        add(other.clone(), &mut out);
        for sep_form in separator_forms(&other) {
            add(sep_form, &mut out);
        }
    }
    // the forms so far, read by index while their variants are added after them
    for i in 0..out.len() {
        for p in plurals(&out[i], abbreviation) {
            add(p, &mut out);
        }
    }
    if !abbreviation {
        for i in 0..out.len() {
            // most forms have no word that respells either way: one look-up per word finds that
            // out for both directions
            if !alphabetic_words(&out[i]).any(|w| cache.respells(w)) {
                continue;
            }
            for d in [Direction::ToBritish, Direction::ToAmerican] {
                if let Some(alt) = respell(&out[i], d, cache) {
                    add(alt, &mut out);
                }
            }
        }
    }
    out
}

/// The runs of alphabetic characters of `form`: the words that [`respell`] respells.
fn alphabetic_words(form: &str) -> impl Iterator<Item = &str> {
    form.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty())
}

/// Respellings already worked out, by word.
#[derive(Debug, Default)]
pub struct VariantCache {
    /// By word: its place in `respelled`.
    index: HashMap<String, u32, BuildHasherDefault<Fnv>>,
    /// (to British, to American) of every word seen.
    respelled: Vec<[Option<String>; 2]>,
}

/// FNV-1a: the words are short and trusted (the ontology), so a cheap hash beats SipHash.
#[derive(Debug, Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

impl VariantCache {
    /// The respellings of `word` both ways, worked out the first time it is asked for (one hash
    /// look-up when it has been: the word's place, then the list).
    fn both(&mut self, word: &str) -> &[Option<String>; 2] {
        let k = match self.index.get(word) {
            Some(&k) => k as usize,
            None => {
                let k = self.respelled.len();
                self.respelled.push([
                    respell_word(word, Direction::ToBritish),
                    respell_word(word, Direction::ToAmerican),
                ]);
                self.index.insert(word.to_string(), k as u32);
                k
            }
        };
        &self.respelled[k]
    }

    fn get(&mut self, word: &str, dir: Direction) -> Option<&str> {
        self.both(word)[usize::from(matches!(dir, Direction::ToAmerican))].as_deref()
    }

    /// Whether `word` respells either way.
    fn respells(&mut self, word: &str) -> bool {
        self.both(word).iter().any(Option::is_some)
    }
}

fn is_greek_name(w: &str) -> bool {
    // the names are lower-case ASCII: the same as comparing the word's ASCII lower case
    GREEK.iter().any(|g| g.eq_ignore_ascii_case(w))
}

/// `IL-1beta` -> `IL-1 beta`: a Greek letter name written straight after a digit is a word of
/// its own, so that the separator rules apply to it.
fn split_digit_greek(canon: &str) -> Option<String> {
    let mut out = String::with_capacity(canon.len() + 2);
    let mut changed = false;
    let mut rest = canon;
    while !rest.is_empty() {
        let c = rest.chars().next()?;
        out.push(c);
        rest = &rest[c.len_utf8()..];
        if c.is_ascii_digit() {
            let name = GREEK
                .iter()
                .find(|g| rest.starts_with(*g) && !rest[g.len()..].chars().next().is_some_and(char::is_alphabetic));
            if let Some(g) = name {
                out.push(' ');
                out.push_str(g);
                rest = &rest[g.len()..];
                changed = true;
            }
        }
    }
    changed.then_some(out)
}

/// Bound prefixes that English writes joined to a word or with a hyphen ("hypercoagulation",
/// "hyper-coagulation"): the medical ones of degree, position and opposition.
pub const PREFIXES: [&str; 9] = ["anti", "hyper", "hypo", "macro", "micro", "non", "post", "pre", "pro"];

/// A joined word after a prefix needs this many letters to take a hyphen ("pro-thrombin", not
/// "pro-tein").
const PREFIXED_MIN: usize = 5;

/// The term with its prefixes written the other way: every word that starts with one of
/// [`PREFIXES`] and has at least [`PREFIXED_MIN`] letters after it gets a hyphen there, and every
/// prefix written as a word of its own before a hyphen or space is joined to the next word.
/// `None` when the term has no prefix.
fn prefix_form(canon: &str) -> Option<String> {
    let mut out = String::with_capacity(canon.len() + 4);
    let mut changed = false;
    let mut rest = canon;
    let mut at_word_start = true;
    while let Some(c) = rest.chars().next() {
        if at_word_start && c.is_alphabetic() {
            let end = rest.find([' ', '-']).unwrap_or(rest.len());
            let word = &rest[..end];
            let lower = word.to_ascii_lowercase();
            let prefix = PREFIXES.iter().find(|p| lower.starts_with(*p));
            if let Some(p) = prefix {
                let after = &word[p.len()..];
                let next = &rest[end..];
                if after.is_empty() && next.len() > 1 && next[1..].starts_with(char::is_alphabetic) {
                    // "anti-platelet" -> "antiplatelet"
                    out.push_str(word);
                    rest = &next[1..];
                    changed = true;
                    continue;
                }
                if after.chars().count() >= PREFIXED_MIN && after.chars().all(char::is_alphabetic) {
                    // "hypercoagulation" -> "hyper-coagulation"
                    out.push_str(&word[..p.len()]);
                    out.push('-');
                    out.push_str(after);
                    rest = next;
                    changed = true;
                    at_word_start = false;
                    continue;
                }
            }
        }
        at_word_start = c == ' ' || c == '-';
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    changed.then_some(out)
}

fn separator_forms(canon: &str) -> Vec<String> {
    let mut tokens: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = 0;
    for (i, c) in canon.char_indices() {
        if c == ' ' || c == '-' {
            tokens.push(&canon[start..i]);
            seps.push(c);
            start = i + 1;
        }
    }
    tokens.push(&canon[start..]);
    if seps.is_empty() || tokens.iter().any(|t| t.is_empty()) {
        return Vec::new();
    }
    // Joining is how short forms are written (IL6, TNFalpha, NFkB, tPA); joining a plain word
    // with a single letter makes English words instead ("protein S" -> "proteins").
    let has_digit = |t: &str| t.chars().any(|c| c.is_ascii_digit());
    let short = |t: &str| t.chars().count() <= 3;
    let joinable = |a: &str, b: &str| {
        is_greek_name(a) || is_greek_name(b) || has_digit(a) || has_digit(b) || (short(a) && short(b))
    };
    // the term with separator `sep(i)` after token `i`
    let build = |sep: &dyn Fn(usize) -> &'static str| {
        let mut s = String::with_capacity(canon.len());
        s.push_str(tokens[0]);
        for (i, token) in tokens[1..].iter().enumerate() {
            s.push_str(sep(i));
            s.push_str(token);
        }
        s
    };
    if seps.len() > 3 {
        return vec![build(&|_| " "), build(&|_| "-")];
    }
    const SEPARATORS: [&str; 3] = [" ", "-", ""];
    // the separators each place may take: the first two of SEPARATORS, or all three
    let options: Vec<usize> = (0..seps.len())
        .map(|i| if joinable(tokens[i], tokens[i + 1]) { 3 } else { 2 })
        .collect();
    let mut out = Vec::with_capacity(options.iter().product());
    let mut idx = vec![0usize; seps.len()];
    loop {
        out.push(build(&|i| SEPARATORS[idx[i]]));
        let mut pos = 0;
        loop {
            if pos == idx.len() {
                return out;
            }
            idx[pos] += 1;
            if idx[pos] < options[pos] {
                break;
            }
            idx[pos] = 0;
            pos += 1;
        }
    }
}

/// Words whose plural is irregular or that are plural already: no plural is generated.
const IRREGULAR_OR_PLURAL: [&str; 12] = [
    "mice", "mouse", "men", "women", "children", "feet", "teeth", "data", "media", "criteria", "bacteria", "species",
];

/// Plural forms of the last word of `form`.
fn plurals(form: &str, abbreviation: bool) -> Vec<String> {
    let cut = form.rfind([' ', '-']).map_or(0, |i| i + 1);
    let (head, last) = form.split_at(cut);
    if !last.chars().all(|c| c.is_alphabetic()) || is_greek_name(last) {
        return Vec::new();
    }
    let has_upper = last.chars().any(|c| c.is_uppercase());
    let n = last.chars().count();
    let lower = last.to_lowercase();
    if IRREGULAR_OR_PLURAL.contains(&lower.as_str()) {
        return Vec::new();
    }
    // an abbreviation whose last word is a plain word ("CLP mice", "TAT complex") follows the
    // word rules below
    let short_form = if abbreviation {
        has_upper
    } else {
        has_upper && n <= 6 && last.chars().filter(|c| c.is_uppercase()).count() >= 2
    };
    if short_form {
        // short forms: NET -> NETs, MP -> MPs; a short form already ending in s stays.
        if last.ends_with('s') || last.ends_with('S') {
            return Vec::new();
        }
        return vec![format!("{head}{last}s")];
    }
    if n < 3 {
        return Vec::new();
    }
    let stem = |k: usize| &last[..last.len() - k];
    let mut out: Vec<String> = Vec::new();
    let ends = |s: &str| lower.ends_with(s);
    if ends("yx") || ends("ix") {
        out.push(format!("{head}{}ces", stem(1)));
        out.push(format!("{head}{last}es"));
    } else if ends("sis") {
        out.push(format!("{head}{}es", stem(2)));
    } else if ends("us") {
        out.push(format!("{head}{}i", stem(2)));
        out.push(format!("{head}{last}es"));
    } else if ends("um") {
        out.push(format!("{head}{}a", stem(2)));
    } else if ends("ss") || ends("x") || ends("z") || ends("ch") || ends("sh") {
        out.push(format!("{head}{last}es"));
    } else if ends("s") || ends("ae") || ends("i") {
        // most likely plural already
    } else if ends("y") && !lower[..lower.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']) {
        out.push(format!("{head}{}ies", stem(1)));
    } else {
        out.push(format!("{head}{last}s"));
    }
    out
}

#[derive(Clone, Copy)]
enum Direction {
    ToBritish,
    ToAmerican,
}

#[derive(Clone, Copy, PartialEq)]
enum Anchor {
    Start,
    Anywhere,
    End,
}

/// (American, British, where in the word).
const SPELLINGS: &[(&str, &str, Anchor)] = &[
    ("hem", "haem", Anchor::Start),
    ("emia", "aemia", Anchor::Anywhere),
    ("emic", "aemic", Anchor::Anywhere),
    ("ischem", "ischaem", Anchor::Start),
    ("anem", "anaem", Anchor::Start),
    ("leukem", "leukaem", Anchor::Start),
    ("edem", "oedem", Anchor::Start),
    ("esophag", "oesophag", Anchor::Start),
    ("estr", "oestr", Anchor::Start),
    ("fetal", "foetal", Anchor::Start),
    ("fetus", "foetus", Anchor::Start),
    ("pediatr", "paediatr", Anchor::Start),
    ("orthoped", "orthopaed", Anchor::Start),
    ("tumor", "tumour", Anchor::Start),
    ("behavior", "behaviour", Anchor::Start),
    ("color", "colour", Anchor::Start),
    ("rrhea", "rrhoea", Anchor::Anywhere),
    ("ization", "isation", Anchor::Anywhere),
    ("izations", "isations", Anchor::End),
    ("ize", "ise", Anchor::End),
    ("ized", "ised", Anchor::End),
    ("izing", "ising", Anchor::End),
    ("yze", "yse", Anchor::End),
    ("center", "centre", Anchor::Start),
    ("fiber", "fibre", Anchor::Start),
    ("liter", "litre", Anchor::End),
];

/// The whole form respelled in one direction, if any word changes.
fn respell(form: &str, dir: Direction, cache: &mut VariantCache) -> Option<String> {
    // most forms have no word to respell: find that out before building anything
    if !alphabetic_words(form).any(|w| cache.get(w, dir).is_some()) {
        return None;
    }
    let mut out = String::with_capacity(form.len() + 4);
    let mut rest = form;
    while let Some(start) = rest.find(|c: char| c.is_alphabetic()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        let word = &rest[..end];
        out.push_str(cache.get(word, dir).unwrap_or(word));
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

/// The respelling of one word, if a rule applies to it.
fn respell_word(word: &str, dir: Direction) -> Option<String> {
    // only plain lower-case words and Capitalised words; short forms keep their spelling
    let mut chars = word.chars();
    let first = chars.next()?;
    if !chars.all(|c| c.is_lowercase()) || word.chars().count() < 4 {
        return None;
    }
    let capital = first.is_uppercase();
    let lower = word.to_lowercase();
    // the rules apply in turn to the word as the earlier ones left it; nothing is allocated
    // until one applies (most words match no rule)
    let mut changed: Option<String> = None;
    for &(us, uk, anchor) in SPELLINGS {
        let w: &str = changed.as_deref().unwrap_or(&lower);
        let (from, to) = match dir {
            Direction::ToBritish => (us, uk),
            Direction::ToAmerican => (uk, us),
        };
        let hit = match anchor {
            Anchor::Start => w.starts_with(from).then_some(0),
            Anchor::End => w.ends_with(from).then(|| w.len() - from.len()),
            Anchor::Anywhere => super::find_short(w, from),
        };
        let Some(at) = hit else { continue };
        // "emia" inside "aemia" is already British; "ise" rules only on longer words
        if matches!(dir, Direction::ToBritish) && at > 0 && to.starts_with('a') && w[..at].ends_with('a') {
            continue;
        }
        if anchor == Anchor::End && w.len() < 7 {
            continue;
        }
        if matches!(dir, Direction::ToBritish) && from == "hem" && w.starts_with("hemi") {
            continue;
        }
        changed = Some(format!("{}{}{}", &w[..at], to, &w[at + from.len()..]));
    }
    let w = changed?;
    if w == lower {
        return None;
    }
    if capital {
        let mut c = w.chars();
        let f = c.next()?;
        return Some(f.to_uppercase().chain(c).collect());
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_table() {
        // (term, abbreviation?, variants that must be present)
        let cases: &[(&str, bool, &[&str])] = &[
            ("P-selectin", false, &["P-selectin", "P selectin", "P-selectins"]),
            ("IL-6", true, &["IL-6", "IL 6", "IL6"]),
            (
                "neutrophil extracellular trap",
                false,
                &["neutrophil extracellular traps", "neutrophil-extracellular-trap"],
            ),
            ("glycocalyx", false, &["glycocalyces", "glycocalyxes"]),
            ("hypercoagulation", false, &["hyper-coagulation", "hyper-coagulations"]),
            (
                "hypercoagulable state",
                false,
                &["hyper-coagulable state", "hyper-coagulable-state"],
            ),
            (
                "antiplatelet agent",
                false,
                &["anti-platelet agent", "anti-platelet agents"],
            ),
            (
                "anti-platelet agent",
                false,
                &["antiplatelet agent", "antiplatelet agents"],
            ),
            ("procoagulant state", false, &["pro-coagulant state"]),
            (
                "hypofibrinogenemia",
                false,
                &["hypo-fibrinogenemia", "hypo-fibrinogenaemia"],
            ),
            ("platelet hyperreactivity", false, &["platelet hyper-reactivity"]),
            ("NET", true, &["NETs"]),
            ("thrombus", false, &["thrombi"]),
            ("thrombosis", false, &["thromboses"]),
            ("antibody", false, &["antibodies"]),
            ("haemostasis", false, &["hemostasis"]),
            ("hemostasis", false, &["haemostasis"]),
            ("oedema", false, &["edema", "oedemas"]),
            ("anemia", false, &["anaemia"]),
            ("ischemic stroke", false, &["ischaemic stroke", "ischaemic strokes"]),
            ("tumor necrosis factor", false, &["tumour necrosis factor"]),
            ("TNF-alpha", true, &["TNF alpha", "TNFalpha"]),
            ("IL-1beta", true, &["IL-1 beta", "IL-1-beta", "IL1beta", "IL 1 beta"]),
            ("endothelium", false, &["endothelia"]),
        ];
        for (term, abbr, expected) in cases {
            let v = variants(term, *abbr);
            assert_eq!(v[0], *term);
            for e in *expected {
                assert!(v.contains(&e.to_string()), "{term}: missing {e} in {v:?}");
            }
        }
    }

    #[test]
    fn variants_that_must_not_appear() {
        let cases: &[(&str, bool, &[&str])] = &[
            ("tissue factor", false, &["tissuefactor"]),
            ("histones", false, &["histoneses"]),
            ("NETs", true, &["NETss"]),
            ("IL-6", true, &["IL-6s"]),
            ("TNF-alpha", true, &["TNF-alphas"]),
            ("hemisphere", false, &["haemisphere"]),
            ("anaemia", false, &["anaaemia"]),
            ("TF", true, &["tf"]),
            ("factor V", false, &["factor Vs", "factorV"]),
            ("protein S", false, &["proteins", "proteinS"]),
            // too few letters after the prefix, or an abbreviation
            ("protein C", false, &["pro-tein C"]),
            ("PROS1", true, &["PRO-S1"]),
            ("P-selectin", false, &["Pselectin"]),
            ("CLP mice", true, &["CLP mices"]),
            ("TAT complex", true, &["TAT complexs"]),
        ];
        for (term, abbr, absent) in cases {
            let v = variants(term, *abbr);
            for a in *absent {
                assert!(!v.contains(&a.to_string()), "{term}: unexpected {a} in {v:?}");
            }
        }
    }

    /// Separators, a prefix, plurals and respellings together, in the order the compiler has
    /// always generated them (the list as written before the word cache was reworked).
    #[test]
    fn exact_variant_list_with_every_rule() {
        let want = [
            "microangiopathic hemolytic anemia",
            "microangiopathic-hemolytic anemia",
            "microangiopathic hemolytic-anemia",
            "microangiopathic-hemolytic-anemia",
            "micro-angiopathic hemolytic anemia",
            "micro angiopathic hemolytic anemia",
            "micro angiopathic-hemolytic anemia",
            "micro-angiopathic-hemolytic anemia",
            "micro angiopathic hemolytic-anemia",
            "micro-angiopathic hemolytic-anemia",
            "micro angiopathic-hemolytic-anemia",
            "micro-angiopathic-hemolytic-anemia",
            "microangiopathic hemolytic anemias",
            "microangiopathic-hemolytic anemias",
            "microangiopathic hemolytic-anemias",
            "microangiopathic-hemolytic-anemias",
            "micro-angiopathic hemolytic anemias",
            "micro angiopathic hemolytic anemias",
            "micro angiopathic-hemolytic anemias",
            "micro-angiopathic-hemolytic anemias",
            "micro angiopathic hemolytic-anemias",
            "micro-angiopathic hemolytic-anemias",
            "micro angiopathic-hemolytic-anemias",
            "micro-angiopathic-hemolytic-anemias",
            "microangiopathic haemolytic anaemia",
            "microangiopathic-haemolytic anaemia",
            "microangiopathic haemolytic-anaemia",
            "microangiopathic-haemolytic-anaemia",
            "micro-angiopathic haemolytic anaemia",
            "micro angiopathic haemolytic anaemia",
            "micro angiopathic-haemolytic anaemia",
            "micro-angiopathic-haemolytic anaemia",
            "micro angiopathic haemolytic-anaemia",
            "micro-angiopathic haemolytic-anaemia",
            "micro angiopathic-haemolytic-anaemia",
            "micro-angiopathic-haemolytic-anaemia",
            "microangiopathic haemolytic anaemias",
            "microangiopathic-haemolytic anaemias",
            "microangiopathic haemolytic-anaemias",
            "microangiopathic-haemolytic-anaemias",
            "micro-angiopathic haemolytic anaemias",
            "micro angiopathic haemolytic anaemias",
            "micro angiopathic-haemolytic anaemias",
            "micro-angiopathic-haemolytic anaemias",
            "micro angiopathic haemolytic-anaemias",
            "micro-angiopathic haemolytic-anaemias",
            "micro angiopathic-haemolytic-anaemias",
            "micro-angiopathic-haemolytic-anaemias",
        ];
        assert_eq!(variants("microangiopathic hemolytic anemia", false), want);
    }

    proptest::proptest! {
        /// A cache shared across terms (as the compiler keeps one) changes no term's variants.
        #[test]
        fn a_shared_cache_gives_what_a_fresh_one_gives(
            terms in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        proptest::sample::select(vec![
                            "hemolytic", "Anemia", "tumor", "oedema", "ischaemic", "stroke", "IL", "6",
                            "alpha", "hyperfibrinolysis", "NET", "haem", "colour", "factor", "anti",
                        ]),
                        1..5,
                    ),
                    proptest::sample::select(vec![" ", "-"]),
                    proptest::bool::ANY,
                ),
                1..8,
            )
        ) {
            let mut cache = VariantCache::default();
            for (words, sep, abbreviation) in &terms {
                let term = words.join(sep);
                proptest::prop_assert_eq!(
                    variants_with(&term, *abbreviation, &mut cache),
                    variants(&term, *abbreviation)
                );
            }
        }
    }

    #[test]
    fn exact_variant_list_of_a_two_word_term() {
        assert_eq!(
            variants("tissue factor", false),
            vec!["tissue factor", "tissue-factor", "tissue factors", "tissue-factors"]
        );
    }
}
