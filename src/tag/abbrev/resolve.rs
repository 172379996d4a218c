//! Local abbreviation definitions: which short forms a document defines, and what they mean there.
//!
//! Abstracts define their own short forms ("neutrophil extracellular traps (NETs)") and reuse
//! common ones in other senses ("TF" for transcription factor). Detection follows Schwartz &
//! Hearst (2003), "A simple algorithm for identifying abbreviation definitions in biomedical
//! text": for every parenthesis, the text inside is a short-form candidate and the words before
//! it (within the sentence) the long-form candidate; the long form is the shortest suffix of those
//! words in which every letter and digit of the short form occurs in order, the first one at the
//! start of a word. When the parenthesis holds the long form instead ("TF (tissue factor)"), the
//! word before it is the short form. Cases handled beyond the paper's pseudo-code:
//!
//! * detection runs on the case-preserving normal form of the text ([`crate::normalize`]), so
//!   Greek letters, dashes and ligatures read the same in both forms (`TNF-α` = `TNF-alpha`);
//! * nested parentheses: the candidate is the whole balanced group, cut at the first `;` or `,`
//!   ("(TF; CD142)" defines "TF"); a definition inside a parenthesis ("(interleukin (IL)-6)")
//!   takes its long form from inside that parenthesis only;
//! * plural short forms ("NETs") also stand for their singular ("NET") and the reverse;
//! * the title is the first section; a definition anywhere applies to the whole document.
//!
//! [`resolve`] then applies the definitions to the matcher's mentions (see its documentation).

use crate::document::Document;
use crate::normalize::{self, CharCounter, Normalized};
use crate::ontology::{ConceptId, Condition, Ontology, TermKind};
use crate::tag::matcher::{Mention, Via};

/// One abbreviation definition found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Index of the section that holds the definition.
    pub section: u32,
    /// The short form as written in the text.
    pub short: String,
    /// The long form as written in the text.
    pub long: String,
    /// Byte span of the short form in the section's text.
    pub short_span: (u32, u32),
    /// Byte span of the long form in the section's text.
    pub long_span: (u32, u32),
}

impl Definition {
    /// The key under which uses of the short form are looked up: its case-preserving normal
    /// form, with a plural `s` after an upper-case letter or digit removed (NETs -> NET).
    pub fn key(&self) -> String {
        short_key(&normalize::canonical(&self.short))
    }
}

fn short_key(canon: &str) -> String {
    singular(canon).unwrap_or(canon).to_string()
}

/// "NETs" -> "NET"; None when the form is not such a plural.
fn singular(canon: &str) -> Option<&str> {
    let stem = canon.strip_suffix('s')?;
    let last = stem.chars().next_back()?;
    (stem.chars().count() >= 2 && (last.is_uppercase() || last.is_ascii_digit())).then_some(stem)
}

/// Every definition in a document, in document order.
pub fn find_definitions(doc: &Document) -> Vec<Definition> {
    let mut out = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        find_in_text(&s.text, i as u32, &mut out);
    }
    out
}

/// The definitions in one text, appended to `out` in text order.
pub fn find_in_text(text: &str, section: u32, out: &mut Vec<Definition>) {
    if !has_candidate(text) {
        return;
    }
    // ASCII text is its own case-preserving normal form but for runs of white space, which the
    // algorithm reads the same; skipping the normalisation halves the cost of tagging
    let norm = (!text.is_ascii()).then(|| normalize::normalize(text, false));
    let folded = norm.as_ref().map_or(text, |n| n.text.as_str());
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    let cs: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    for open in 0..cs.len() {
        if cs[open] != '(' {
            continue;
        }
        let Some(close) = matching_close(&cs, open) else {
            continue;
        };
        // the parenthesis' content, cut at the first top-level `;` or `,`
        let mut inner_end = close;
        let mut depth = 0i32;
        for (k, &c) in cs.iter().enumerate().take(close).skip(open + 1) {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ';' | ',' | ':' if depth == 0 => {
                    inner_end = k;
                    break;
                }
                _ => {}
            }
        }
        let (is, ie) = trim(&cs, open + 1, inner_end);
        if is >= ie {
            continue;
        }
        let region_start = sentence_start(&cs, open);
        let (rs, re) = trim(&cs, region_start, open);
        if rs >= re {
            continue;
        }
        // long form (short form)
        let mut found = None;
        // a single letter defines a short form only after a space: "acid(A)" is a subscript
        if valid_short(&cs[is..ie])
            && (ie - is > 1 || open.checked_sub(1).is_some_and(|p| cs[p].is_whitespace()))
            && words(&cs[is..ie]) <= 2
            && let Some(ls) = best_long_form(&cs[is..ie], &cs[rs..re])
        {
            found = Some(((is, ie), (rs + ls, re)));
        }
        // short form (long form)
        if found.is_none() && words(&cs[is..ie]) >= 2 {
            let ss = cs[rs..re]
                .iter()
                .rposition(|c| c.is_whitespace())
                .map_or(rs, |p| rs + p + 1);
            let short = &cs[ss..re];
            if short.len() >= 2
                && valid_short(short)
                && short.iter().any(|c| c.is_uppercase())
                && let Some(ls) = best_long_form(short, &cs[is..ie])
            {
                found = Some(((ss, re), (is + ls, ie)));
            }
        }
        let Some(((ss, se), (ls, le))) = found else {
            continue;
        };
        // a long form that holds its own short form reaches back over an earlier use of it:
        // "MELD (AUROC: 0.759), CLIF-SOFA (AUROC: 0.767)" (pubmed21n1298, PMID 34092979)
        let short: String = cs[ss..se].iter().collect();
        let long: String = cs[ls..le].iter().collect();
        if contains_word(&long, &short) {
            continue;
        }
        let short_span = orig_span(norm.as_ref(), &chars, text, ss, se);
        let long_span = orig_span(norm.as_ref(), &chars, text, ls, le);
        out.push(Definition {
            section,
            short: text[short_span.0..short_span.1].to_string(),
            long: text[long_span.0..long_span.1].to_string(),
            short_span: (short_span.0 as u32, short_span.1 as u32),
            long_span: (long_span.0 as u32, long_span.1 as u32),
        });
    }
}

fn orig_span(norm: Option<&Normalized>, chars: &[(usize, char)], text: &str, s: usize, e: usize) -> (usize, usize) {
    let bs = chars[s].0;
    match norm {
        Some(n) => {
            let be = chars.get(e).map_or(n.text.len(), |&(b, _)| b);
            n.original_span(text, bs, be)
        }
        None => (bs, chars.get(e).map_or(text.len(), |&(b, _)| b)),
    }
}

/// Whether any parenthesis could hold a definition: a short form inside (at most 16
/// characters with a capital letter), or a long form after a word with a capital letter. A
/// cheap test on the raw text that spares most abstracts the full scan.
fn has_candidate(text: &str) -> bool {
    let mut from = 0;
    while let Some(k) = text[from..].find('(') {
        let open = from + k;
        from = open + 1;
        let inner = &text[open + 1..];
        let inner = &inner[..inner.find([')', ',', ';', ':']).unwrap_or(inner.len())];
        let inner = inner.trim();
        if inner.chars().count() <= 16 && inner.chars().any(char::is_uppercase) {
            return true;
        }
        let before = text[..open].trim_end();
        let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
        if word.chars().any(char::is_uppercase) && inner.contains(' ') {
            return true;
        }
    }
    false
}

fn matching_close(cs: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, &c) in cs.iter().enumerate().skip(open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where the sentence (or the enclosing parenthesis) that holds position `at` starts.
fn sentence_start(cs: &[char], at: usize) -> usize {
    let mut depth = 0;
    let mut k = at;
    while k > 0 {
        k -= 1;
        match cs[k] {
            ')' => depth += 1,
            '(' if depth == 0 => return k + 1,
            '(' => depth -= 1,
            '.' | '!' | '?' | ';' if depth == 0 && cs.get(k + 1).is_some_and(|c| c.is_whitespace()) => {
                return k + 1;
            }
            ':' if depth == 0 => return k + 1,
            _ => {}
        }
    }
    0
}

fn trim(cs: &[char], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && cs[s].is_whitespace() {
        s += 1;
    }
    while e > s && cs[e - 1].is_whitespace() {
        e -= 1;
    }
    (s, e)
}

fn words(cs: &[char]) -> usize {
    cs.split(|c| c.is_whitespace()).filter(|w| !w.is_empty()).count()
}

/// A short form: 2 to 10 characters, a capital letter among them, starting with a letter or
/// digit. (Schwartz & Hearst ask only for a letter; without the capital, "(2 mg/kg)" and
/// "(ie)" pass as short forms.)
fn valid_short(cs: &[char]) -> bool {
    (1..=10).contains(&cs.len()) && cs.iter().any(|c| c.is_uppercase()) && cs[0].is_alphanumeric()
}

/// Schwartz & Hearst's `findBestLongForm`: the start (index into `long`) of the shortest suffix
/// of `long`, beginning at a word, that contains the short form's letters and digits in order,
/// the first one at a word start; None if there is none or it fails the paper's length checks.
fn best_long_form(short: &[char], long: &[char]) -> Option<usize> {
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let mut s = short.len() as isize - 1;
    let mut l = long.len() as isize - 1;
    while s >= 0 {
        let cur = lower(short[s as usize]);
        if !cur.is_alphanumeric() {
            s -= 1;
            continue;
        }
        while (l >= 0 && lower(long[l as usize]) != cur) || (s == 0 && l > 0 && long[l as usize - 1].is_alphanumeric())
        {
            l -= 1;
        }
        if l < 0 {
            return None;
        }
        l -= 1;
        s -= 1;
    }
    let start = long[..(l + 1) as usize]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |p| p + 1);
    let lf = &long[start..];
    let n_words = words(lf);
    if lf.len() <= short.len() || n_words > (short.len() + 5).min(short.len() * 2) {
        return None;
    }
    Some(start)
}

/// A short form's use in the document: where it stands and which definition governs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Use {
    section: u32,
    byte_start: u32,
    byte_end: u32,
    def: usize,
}

/// Every whole-word, case-sensitive use of the defined short forms (and their plural or
/// singular), each with the definition that governs it: the nearest one before it with the
/// same short form, or the first one for uses before any (typically in the title).
fn find_uses(doc: &Document, defs: &[Definition]) -> Vec<Use> {
    let keys: Vec<String> = defs.iter().map(Definition::key).collect();
    let mut distinct: Vec<&str> = keys.iter().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut uses = Vec::new();
    let mut norm = Normalized::default();
    for (si, sec) in doc.sections.iter().enumerate() {
        let ascii = sec.text.is_ascii();
        if !ascii {
            normalize::normalize_into(&sec.text, false, &mut norm);
        }
        let hay = if ascii { sec.text.as_str() } else { norm.text.as_str() };
        for &key in &distinct {
            let plural = format!("{key}s");
            for form in [key, plural.as_str()] {
                for at in whole_word_matches(hay, form) {
                    let end = at + form.len();
                    let (os, oe) = if ascii {
                        (at, end)
                    } else {
                        norm.original_span(&sec.text, at, end)
                    };
                    let pos = (si as u32, os as u32);
                    let def = keys
                        .iter()
                        .enumerate()
                        .filter(|&(d, k)| k == key && (defs[d].section, defs[d].short_span.0) <= pos)
                        .map(|(d, _)| d)
                        .next_back()
                        .or_else(|| keys.iter().position(|k| k == key));
                    if let Some(def) = def {
                        uses.push(Use {
                            section: si as u32,
                            byte_start: os as u32,
                            byte_end: oe as u32,
                            def,
                        });
                    }
                }
            }
        }
    }
    uses.sort_by_key(|u| (u.section, u.byte_start, u.byte_end));
    uses.dedup_by_key(|u| (u.section, u.byte_start, u.byte_end));
    uses
}

/// Apply a document's abbreviation definitions and the ontology's conditional abbreviations to
/// the matcher's mentions (in document order); returns the mentions in document order.
///
/// * A definition whose long form is a mention of a concept ("neutrophil extracellular traps
///   (NETs)") makes every use of its short form a mention of that concept, [`Via::Definition`],
///   even when the ontology does not list the short form. When a mention covers only the end of
///   the long form (its head: "heparin-induced *thrombocytopenia* (HIT)"), the short form's uses
///   become mentions of the head's concept only where the ontology does not read them otherwise.
///   Where the ontology's header says `kinds_are_distinct`, only a head of more than half the
///   long form's words does so ("ribavirin-induced *hemolytic anemia* (RIHA)", not
///   "low-molecular-weight *heparin* (LMWH)").
/// * A long form that names no concept but spells a name of the concept its short form is
///   listed for ("torsade de pointes (TdP)") confirms the short form; when it spells it closely
///   it is a mention too, wherever the document repeats it (see `docs/abbreviations.md`).
/// * A use of a defined short form is never a mention of another concept: a listed abbreviation
///   that the document defines as something else ("TF (transcription factor)") is dropped there
///   (unless the long form is named only by its head, as above).
/// * A conditional abbreviation is never the long form of a definition.
/// * An abbreviation marked `when: defined` counts only at uses of a short form the document
///   defines with a long form of the same concept; `when: context` only where one of its context
///   terms occurs in the document (whole words, case-insensitive).
///
/// `alone[i]` holds what definition `i`'s long form names when matched on its own (whole long
/// form, unconditional terms; see [`crate::tag::Tagger::tag`]); it is used when no mention
/// in the text covers the long form, as where an exclude phrase of the concept encloses it
/// ("receptor activator of *nuclear factor κB* (NF-κB) ligand": NF-κB still means NF-κB).
pub fn resolve(
    doc: &Document,
    ontology: &Ontology,
    defs: &[Definition],
    alone: &[Vec<(ConceptId, u32)>],
    mentions: Vec<Mention>,
) -> Vec<Mention> {
    let conditional = mentions.iter().any(|m| condition(ontology, m).is_some());
    if defs.is_empty() && !conditional {
        return mentions;
    }
    // the concepts each definition's long form names, and whether a mention covers all of it:
    // one that starts where the long form does, or before it ("*mitochondrial reactive oxygen
    // species* (ROS)": the long form found is the shortest, "reactive oxygen species")
    // where kinds of a concept are distinct concepts, a head that is at most half the long
    // form's words names a kind the vocabulary does not list: "low-molecular-weight heparin
    // (LMWH)" is no plain heparin
    let kinds_are_distinct = ontology.headers.iter().any(|h| h.kinds_are_distinct);
    let mut minor_head = vec![false; defs.len()];
    let mut meaning: Vec<(Vec<(ConceptId, u32)>, bool)> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let head: Vec<&Mention> = mentions
                .iter()
                .filter(|m| {
                    m.section == d.section
                        && m.via != Via::Definition
                        // a conditional abbreviation does not name a long form: in "therapeutic
                        // TFs (TTs)" the TFs are not tissue factor unless the document says so
                        && condition(ontology, m).is_none()
                        && m.byte_end == d.long_span.1
                })
                .collect();
            let whole = head.iter().any(|m| m.byte_start <= d.long_span.0);
            let mut v: Vec<(ConceptId, u32)> = head
                .iter()
                .filter(|m| !whole || m.byte_start <= d.long_span.0)
                .map(|m| (m.concept, m.term))
                .collect();
            v.sort_unstable();
            v.dedup_by_key(|x| x.0);
            if kinds_are_distinct && !whole && !v.is_empty() {
                // the words of the long form the longest head covers
                let from = head
                    .iter()
                    .map(|m| m.byte_start.saturating_sub(d.long_span.0) as usize)
                    .min()
                    .unwrap_or(0)
                    .min(d.long.len());
                let covered = d.long.get(from..).map_or(0, |h| h.split_whitespace().count());
                minor_head[i] = 2 * covered <= d.long.split_whitespace().count();
            }
            match alone.get(i) {
                Some(named) if !whole && !named.is_empty() => (named.clone(), true),
                _ => (v, whole),
            }
        })
        .collect();
    let uses = if defs.is_empty() {
        Vec::new()
    } else {
        find_uses(doc, defs)
    };
    // a long form that names no concept but spells the name of the concept its short form is
    // listed for ("torsade de pointes (TdP)", the ontology's "torsades de pointes" / "TdP")
    // confirms that reading: the short form keeps it, and a long form that spells the name
    // closely (or names a concept the ontology has no long name for) becomes a mention too
    let mut respelled: Vec<Option<(ConceptId, u32, bool)>> = vec![None; defs.len()];
    for u in &uses {
        if !meaning[u.def].0.is_empty() || respelled[u.def].is_some() {
            continue;
        }
        let long = &defs[u.def].long;
        respelled[u.def] = mentions
            .iter()
            .filter(|m| {
                m.section == u.section
                    && (m.byte_start, m.byte_end) == (u.byte_start, u.byte_end)
                    && m.via != Via::Definition
            })
            .find_map(|m| {
                let c = ontology.concept(m.concept);
                let term = c.terms.get(m.term as usize)?;
                let mut names = c.terms.iter().filter(|t| t.kind == TermKind::Synonym).peekable();
                let emit_long = match term.kind {
                    // an abbreviation the ontology gives no long name for, or one it spells
                    TermKind::Abbreviation if names.peek().is_none() => true,
                    TermKind::Abbreviation => match names.map(|t| resemblance(long, &t.text)).max()? {
                        Resemblance::None => return None,
                        Resemblance::Loose => false,
                        Resemblance::Close => true,
                    },
                    // a word the document writes as a short form: "sodium 2-mercaptoethane
                    // sulphonate (MESNA)" for the ontology's "mesna"
                    TermKind::Synonym if !term.text.chars().any(char::is_uppercase) => false,
                    TermKind::Synonym => return None,
                };
                Some((m.concept, m.term, emit_long))
            });
    }
    for (i, r) in respelled.iter().enumerate() {
        if let Some((concept, term, _)) = *r {
            meaning[i] = (vec![(concept, term)], true);
        }
    }
    let use_at = |m: &Mention| {
        uses.iter()
            .find(|u| u.section == m.section && u.byte_start == m.byte_start && u.byte_end == m.byte_end)
    };
    let mut context_cache: Vec<(usize, usize, bool)> = Vec::new();
    let mut folded: Option<String> = None;
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if m.via == Via::Definition {
            out.push(m);
            continue;
        }
        let governed = use_at(&m).map(|u| meaning[u.def].0.iter().any(|&(c, _)| c == m.concept));
        let weak = use_at(&m).is_some_and(|u| !meaning[u.def].1 && !meaning[u.def].0.is_empty());
        if governed == Some(false) && !weak {
            // the document defines this short form as something else
            continue;
        }
        match condition(ontology, &m) {
            Some(Condition::Defined) if governed != Some(true) => continue,
            Some(Condition::Context(terms)) => {
                let key = (m.concept.index(), m.term as usize);
                let ok = match context_cache.iter().find(|c| (c.0, c.1) == key) {
                    Some(c) => c.2,
                    None => {
                        let text = folded.get_or_insert_with(|| {
                            doc.sections
                                .iter()
                                .map(|s| normalize::fold(&s.text))
                                .collect::<Vec<_>>()
                                .join("\n")
                        });
                        let ok = terms.iter().any(|t| contains_word(text, &normalize::fold(t)));
                        context_cache.push((key.0, key.1, ok));
                        ok
                    }
                };
                if !ok {
                    continue;
                }
            }
            _ => {}
        }
        out.push(m);
    }
    // uses of defined short forms that name a concept and are not yet mentions of it
    let starts = doc.section_starts();
    // a mention found through a definition, at a byte span of a section
    let definition_mention = |section: u32, (bs, be): (u32, u32), concept, term, variant| {
        let mut counter = CharCounter::new(&doc.sections[section as usize].text);
        let base = starts[section as usize] as u32;
        Mention {
            start: base + counter.chars_at(bs as usize) as u32,
            end: base + counter.chars_at(be as usize) as u32,
            concept,
            term,
            section,
            byte_start: bs,
            byte_end: be,
            variant,
            via: Via::Definition,
        }
    };
    for u in &uses {
        let inside_other = out.iter().any(|m| {
            m.section == u.section
                && m.byte_start < u.byte_end
                && u.byte_start < m.byte_end
                && (m.byte_start, m.byte_end) != (u.byte_start, u.byte_end)
        });
        if inside_other {
            continue;
        }
        if minor_head[u.def] {
            continue;
        }
        let (concepts, whole) = &meaning[u.def];
        for &(concept, term) in concepts {
            // a long form named only by its head yields to the ontology's own reading
            let present = out.iter().any(|m| {
                m.section == u.section
                    && m.byte_start == u.byte_start
                    && m.byte_end == u.byte_end
                    && (m.concept == concept || !whole)
            });
            if present {
                continue;
            }
            out.push(definition_mention(
                u.section,
                (u.byte_start, u.byte_end),
                concept,
                term,
                false,
            ));
        }
    }
    // the respelled long forms: where they are defined and wherever the document repeats them
    for (d, named) in defs.iter().zip(&respelled) {
        let Some((concept, term, true)) = *named else { continue };
        let mut spans = vec![(d.section, d.long_span.0, d.long_span.1)];
        let long = d.long.to_ascii_lowercase();
        for (si, sec) in doc.sections.iter().enumerate() {
            if !sec.text.is_ascii() || !long.is_ascii() {
                continue;
            }
            let hay = sec.text.to_ascii_lowercase();
            for at in whole_word_matches(&hay, &long) {
                spans.push((si as u32, at as u32, (at + long.len()) as u32));
            }
        }
        spans.sort_unstable();
        spans.dedup();
        for (section, bs, be) in spans {
            // a long form holding a mention of something else is more than a respelling:
            // "programmed cell death protein 1 (PD-1), and its ligand (PD-L1)"
            if out
                .iter()
                .any(|m| m.section == section && m.byte_start < be && bs < m.byte_end)
            {
                continue;
            }
            out.push(definition_mention(section, (bs, be), concept, term, true));
        }
    }
    out.sort_by_key(|m| (m.start, m.end, m.concept));
    out
}

/// How closely a long form spells a concept's name, comparing letters and digits only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Resemblance {
    None,
    /// Letter trigrams shared at a Dice coefficient of at least 0.55, and lengths within a
    /// factor of 0.6: "3'-azido-3'-deoxythymidine" / "azidothymidine" (0.61), "reactive
    /// oxidative species" / "reactive oxygen species" (0.63); not "transcription factor" /
    /// "tissue factor" (0.30), nor "protein carbonyl" / "protein C" (0.63, but half the length).
    Loose,
    /// The same letters and digits, or a Dice coefficient of at least 0.8 (lengths as above):
    /// "torsade de pointes" / "torsades de pointes" (0.83).
    Close,
}

fn resemblance(long: &str, name: &str) -> Resemblance {
    let squash = |s: &str| -> Vec<char> { normalize::fold(s).chars().filter(|c| c.is_alphanumeric()).collect() };
    let (a, b) = (squash(long), squash(name));
    if a == b {
        return Resemblance::Close;
    }
    let (short, longer) = (a.len().min(b.len()), a.len().max(b.len()));
    if short < 3 || short * 10 < longer * 6 {
        return Resemblance::None;
    }
    let grams = |v: &[char]| -> Vec<[char; 3]> {
        let mut g: Vec<[char; 3]> = v.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
        g.sort_unstable();
        g
    };
    let (ga, gb) = (grams(&a), grams(&b));
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < ga.len() && j < gb.len() {
        match ga[i].cmp(&gb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let dice_percent = 200 * shared / (ga.len() + gb.len());
    if dice_percent >= 80 {
        Resemblance::Close
    } else if dice_percent >= 55 {
        Resemblance::Loose
    } else {
        Resemblance::None
    }
}

pub(crate) fn condition<'o>(ontology: &'o Ontology, m: &Mention) -> Option<&'o Condition> {
    let t = ontology.concept(m.concept).terms.get(m.term as usize)?;
    if t.kind == TermKind::Abbreviation && m.via == Via::Abbreviation {
        t.condition.as_ref()
    } else {
        None
    }
}

/// Whether `needle` occurs in `hay` with no word character on either side.
fn contains_word(hay: &str, needle: &str) -> bool {
    whole_word_matches(hay, needle).next().is_some()
}

/// The byte offsets where `needle` occurs in `hay` as a whole word (no word character just
/// before or after it).
fn whole_word_matches<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(needle).map(|(at, _)| at).filter(move |&at| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !needle.is_empty()
            && !before.is_some_and(normalize::is_word_char)
            && !after.is_some_and(normalize::is_word_char)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        find_in_text(text, 0, &mut out);
        out.into_iter().map(|d| (d.short, d.long)).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(s, l)| (s.to_string(), l.to_string())).collect()
    }

    /// Real sentences from the shared corpora (BC5CDR, NCBI disease, the sepsis subset).
    #[test]
    fn detects_definitions_in_real_sentences() {
        let table: &[(&str, &[(&str, &str)])] = &[
            // BC5CDR 20003049: plain definition
            (
                "BACKGROUND: Direct thrombin inhibitors (DTIs) provide an alternative method of anticoagulation.",
                &[("DTIs", "Direct thrombin inhibitors")],
            ),
            // BC5CDR: plural short form
            (
                "Neuromuscular blocking agents (NMBAs) are often used for patients requiring mechanical ventilation.",
                &[("NMBAs", "Neuromuscular blocking agents")],
            ),
            // BC5CDR 14659530: definition in a title, hyphenated long form
            (
                "NO-induced migraine attack: strong increase in plasma calcitonin gene-related peptide (CGRP) concentration and negative correlation with platelet serotonin release.",
                &[("CGRP", "calcitonin gene-related peptide")],
            ),
            // NCBI disease 8808605: hyphens and digits in the long form
            (
                "In most people with red-blood-cell glucose-6-phosphate dehydrogenase (G6PD) deficiency, the enzyme-deficient phenotype is only moderately expressed.",
                &[("G6PD", "glucose-6-phosphate dehydrogenase")],
            ),
            // two definitions in one sentence
            (
                "Sarin and soman are potent inhibitors of acetylcholinesterases (AChEs) and butyrylcholinesterases (BChEs).",
                &[("AChEs", "acetylcholinesterases"), ("BChEs", "butyrylcholinesterases")],
            ),
            // reverse order: short form (long form)
            ("Patients received CCNU (lomustine) and vincristine.", &[]),
            (
                "Sera were tested by RAST (radioallergosorbent test) for specific IgE.",
                &[("RAST", "radioallergosorbent test")],
            ),
            // Greek letters: the short form's letter reads as its name in the long form
            (
                "Serum tumor necrosis factor-α (TNF-α) rose after LPS.",
                &[("TNF-α", "tumor necrosis factor-α")],
            ),
            // nested parentheses: the definition inside a parenthesis
            (
                "Levels of cytokines (interleukin (IL)-6 and IL-8) were measured.",
                &[("IL", "interleukin")],
            ),
            // the parenthesis holds a list: cut at the first comma
            (
                "Monocytes expressed tissue factor (TF, CD142) after LPS.",
                &[("TF", "tissue factor")],
            ),
            // no definition: numbers, statistics, and words that do not spell the short form
            (
                "Large parenteral doses of vitamin D3 (15 to 17.5 x 10(6) IU vitamin D3) were given.",
                &[],
            ),
            (
                "A 30% decrease in platelet count or thrombocytopenia (<150 x 10(9)/L) occurred.",
                &[],
            ),
            ("Mortality was lower (p < 0.05) in treated rats.", &[]),
            // BC5CDR 3780814: a colon ends the short form like a comma
            (
                "It is administered simultaneously with diethylnitrosamine (DEN: 10 mg/kg/day).",
                &[("DEN", "diethylnitrosamine")],
            ),
            // ... but a long form holding its own short form reaches back over an earlier use
            // (pubmed21n1298, PMID 34092979)
            (
                "Its accuracy (AUROC: 0.830) beat MELD (AUROC: 0.759), CLIF-SOFA (AUROC: 0.767).",
                &[],
            ),
            // a short form may be the start of its long form (pubmed21n1298, PMID 33345328)
            (
                "Hirudin (Hiru) can inhibit the activity of thrombin.",
                &[("Hiru", "Hirudin")],
            ),
            // BC5CDR 15638391: a single letter after a space is a short form ...
            (
                "Serum concentrations of prolactin (PRL) and testosterone (T) were measured.",
                &[("PRL", "prolactin"), ("T", "testosterone")],
            ),
            // ... but not a letter written against the word, a subscript (BC5CDR 11860495)
            ("A negative modulator of gamma-aminobutyric acid(A) receptors.", &[]),
        ];
        for (text, want) in table {
            assert_eq!(defs(text), pairs(want), "in {text:?}");
        }
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Serum tumor necrosis factor-α (TNF-α) rose.";
        let mut out = Vec::new();
        find_in_text(text, 3, &mut out);
        let d = &out[0];
        assert_eq!(d.section, 3);
        assert_eq!(&text[d.short_span.0 as usize..d.short_span.1 as usize], "TNF-α");
        assert_eq!(
            &text[d.long_span.0 as usize..d.long_span.1 as usize],
            "tumor necrosis factor-α"
        );
        assert_eq!(d.key(), "TNF-alpha");
    }

    #[test]
    fn long_forms_resemble_names_spelled_another_way() {
        use Resemblance::*;
        for (long, name, want) in [
            ("torsade de pointes", "torsades de pointes", Close),
            ("pentylenetetrazole", "pentylenetetrazol", Close),
            ("Tissue-Factor", "tissue factor", Close),
            ("3'-azido-3'dideoxythymidine", "azidothymidine", Loose),
            ("reactive oxidative species", "reactive oxygen species", Loose),
            ("transcription factor", "tissue factor", None),
            ("estrogen receptor", "endoplasmic reticulum stress", None),
            ("sodium 2-mercaptoethane sulphonate", "mesna", None),
            // pubmed21n1298, PMID 34091938: "protein carbonyl (PC)" is not protein C
            ("protein carbonyl", "protein C", None),
            ("ab", "ab", Close),
            ("ab", "abc", None),
        ] {
            assert_eq!(resemblance(long, name), want, "{long:?} / {name:?}");
        }
    }

    #[test]
    fn plural_short_forms_share_the_singular_key() {
        for (short, key) in [
            ("NETs", "NET"),
            ("DTIs", "DTI"),
            ("TF", "TF"),
            ("Ts", "Ts"),
            ("IL-6s", "IL-6"),
        ] {
            assert_eq!(short_key(short), key, "{short}");
        }
    }
    const VOCAB: &str = "concepts:
  - id: tissue_factor
    label: Tissue factor
    synonyms: [tissue factor]
    abbreviations: [TF]
  - id: nets
    label: Neutrophil extracellular traps
    synonyms: [neutrophil extracellular trap]
    exclude: [receptor activator of neutrophil extracellular trap]
  - id: endoplasmic_reticulum
    label: ER stress
    synonyms: [endoplasmic reticulum stress]
    abbreviations:
      - {term: ER, when: context, context: [unfolded protein response, UPR]}
  - id: reactive_oxygen_species
    label: Reactive oxygen species
    synonyms: [reactive oxygen species, mitochondrial reactive oxygen species]
    abbreviations: [ROS]
  - id: cell_free_dna
    label: Cell-free DNA
    synonyms: [cell-free DNA, plasma cell-free DNA]
  - id: activated_protein_c
    label: Activated protein C
    synonyms: [activated protein C]
    abbreviations:
      - {term: APC, when: defined}
  - id: torsades
    label: Torsades de pointes
    synonyms: [torsades de pointes]
    abbreviations: [TdP]
  - id: testosterone
    label: testosterone
    synonyms: [testosterone]
  - id: mesna
    label: mesna
    synonyms: [mesna]
  - id: mptp
    label: MPTP
    abbreviations: [MPTP]
  - id: heparin
    label: heparin
    synonyms: [heparin]
  - id: hemolytic_anemia
    label: hemolytic anemia
    synonyms: [hemolytic anemia]
";

    /// (text, expected mentions as (text, concept id, via)).
    fn tagged(title: &str, body: &str) -> Vec<(String, String, &'static str)> {
        tagged_with(VOCAB, title, body)
    }

    fn tagged_with(vocab: &str, title: &str, body: &str) -> Vec<(String, String, &'static str)> {
        let ontology = crate::ontology::load_texts(&[("v.yaml", vocab)]).unwrap();
        let tagger = crate::tag::Tagger::from_ontology(ontology).unwrap();
        let doc = Document::new(
            "1",
            vec![
                crate::document::Section::new("title", title),
                crate::document::Section::new("abstract", body),
            ],
        );
        let joined: Vec<char> = doc.joined_text().chars().collect();
        tagger
            .tag(&doc, &mut crate::tag::matcher::Scratch::default())
            .iter()
            .map(|m| {
                let by_chars: String = joined[m.start as usize..m.end as usize].iter().collect();
                assert_eq!(by_chars, m.text(&doc), "character offsets agree with byte offsets");
                (
                    m.text(&doc).to_string(),
                    tagger.ontology.concept(m.concept).id.clone(),
                    m.via.as_str(),
                )
            })
            .collect()
    }

    fn want(list: &[(&str, &str, &'static str)]) -> Vec<(String, String, &'static str)> {
        list.iter()
            .map(|&(t, c, v)| (t.to_string(), c.to_string(), v))
            .collect()
    }

    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str, &'a str)]);

    #[test]
    fn resolves_defined_reused_redefined_and_plural_short_forms() {
        let table: &[Case] = &[
            // define and reuse: the short form is not in the ontology
            (
                "NETs in sepsis",
                "Neutrophil extracellular traps (NETs) trap bacteria. NETs and a single NET were seen.",
                &[
                    ("NETs", "nets", "defined-abbreviation"),
                    ("Neutrophil extracellular traps", "nets", "synonym"),
                    ("NETs", "nets", "defined-abbreviation"),
                    ("NETs", "nets", "defined-abbreviation"),
                    ("NET", "nets", "defined-abbreviation"),
                ],
            ),
            // a listed abbreviation defined as something else is not the concept here
            (
                "SP1 binding",
                "The transcription factor (TF) SP1 binds DNA; TF activity rose.",
                &[],
            ),
            // the reverse order, "short (long)", redefines it too
            ("", "TF (transcription factor) binding rose.", &[]),
            // defined with its own long form: the listed abbreviation keeps counting
            (
                "",
                "Monocytes expressed tissue factor (TF). TF rose.",
                &[
                    ("tissue factor", "tissue_factor", "synonym"),
                    ("TF", "tissue_factor", "abbreviation"),
                    ("TF", "tissue_factor", "abbreviation"),
                ],
            ),
            // no definition: the plain listed abbreviation counts
            ("", "TF rose after LPS.", &[("TF", "tissue_factor", "abbreviation")]),
            // a redefinition later in the document governs the uses after it
            (
                "",
                "Tissue factor (TF) rose. Later, the transcription factor (TF) fell. TF was silenced.",
                &[
                    ("Tissue factor", "tissue_factor", "synonym"),
                    ("TF", "tissue_factor", "abbreviation"),
                ],
            ),
            // `when: defined`: only where the document defines it as the concept
            ("", "APC was given.", &[]),
            (
                "",
                "Activated protein C (APC) was given. APC helped.",
                &[
                    ("Activated protein C", "activated_protein_c", "synonym"),
                    ("APC", "activated_protein_c", "abbreviation"),
                    ("APC", "activated_protein_c", "abbreviation"),
                ],
            ),
            ("", "Antigen-presenting cells (APC) were counted. APC rose.", &[]),
            // a conditional abbreviation is not a long form: the aAPCs are not activated protein C
            // (pubmed21n1298, PMID 34096117)
            (
                "",
                "Dendritic cells were turned into artificial APCs (aAPCs). The aAPCs expanded T cells.",
                &[],
            ),
            // `when: context`: only with a context term in the document
            ("", "ER was measured in breast cancer.", &[]),
            (
                "ER and the UPR",
                "ER was measured.",
                &[
                    ("ER", "endoplasmic_reticulum", "abbreviation"),
                    ("ER", "endoplasmic_reticulum", "abbreviation"),
                ],
            ),
            // a mention that covers the long form and starts before it names it: the long form
            // found is the shortest that spells the short form (pubmed21n1298, PMIDs 33957094 and
            // 34093743 lost every ROS and cfDNA as "defined as something else")
            (
                "",
                "Mitochondrial reactive oxygen species (ROS) rose. ROS fell.",
                &[
                    (
                        "Mitochondrial reactive oxygen species",
                        "reactive_oxygen_species",
                        "synonym",
                    ),
                    ("ROS", "reactive_oxygen_species", "abbreviation"),
                    ("ROS", "reactive_oxygen_species", "abbreviation"),
                ],
            ),
            (
                "",
                "Plasma cell-free DNA (cfDNA) was measured; cfDNA rose.",
                &[
                    ("Plasma cell-free DNA", "cell_free_dna", "synonym"),
                    ("cfDNA", "cell_free_dna", "defined-abbreviation"),
                    ("cfDNA", "cell_free_dna", "defined-abbreviation"),
                ],
            ),
            // an exclude phrase around the long form does not stop it naming the concept: the
            // long form on its own is the concept's term (pubmed21n1298, PMID 34052656 lost every
            // NF-κB as defined as something else)
            (
                "",
                "The receptor activator of neutrophil extracellular trap (NET) ligand. NET rose.",
                &[
                    ("NET", "nets", "defined-abbreviation"),
                    ("NET", "nets", "defined-abbreviation"),
                ],
            ),
            // a definition in the title governs the abstract
            (
                "Neutrophil extracellular traps (NETs) in sepsis",
                "NETs rose.",
                &[
                    ("Neutrophil extracellular traps", "nets", "synonym"),
                    ("NETs", "nets", "defined-abbreviation"),
                    ("NETs", "nets", "defined-abbreviation"),
                ],
            ),
            // a long form that names nothing but spells the name of the concept its listed
            // short form stands for confirms that reading, and is a mention wherever the
            // document repeats it (BC5CDR 17344330)
            (
                "",
                "Patients with torsade de pointes (TdP) were treated; TdP and torsade de pointes recurred.",
                &[
                    ("torsade de pointes", "torsades", "defined-abbreviation"),
                    ("TdP", "torsades", "abbreviation"),
                    ("TdP", "torsades", "abbreviation"),
                    ("torsade de pointes", "torsades", "defined-abbreviation"),
                ],
            ),
            // ... and so does a long form for an abbreviation the ontology gives no long name
            (
                "",
                "1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine (MPTP) causes parkinsonism; MPTP-treated monkeys.",
                &[
                    (
                        "1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine",
                        "mptp",
                        "defined-abbreviation",
                    ),
                    ("MPTP", "mptp", "abbreviation"),
                    ("MPTP", "mptp", "abbreviation"),
                ],
            ),
            // a word of the ontology written as a short form keeps its reading (BC5CDR 6402369)
            (
                "",
                "Oral sodium 2-mercaptoethane sulphonate (MESNA) was given. MESNA protects the bladder.",
                &[("MESNA", "mesna", "synonym"), ("MESNA", "mesna", "synonym")],
            ),
            // a single letter defined after a space (BC5CDR 15638391)
            (
                "",
                "Serum testosterone (T) fell; T rose after withdrawal.",
                &[
                    ("testosterone", "testosterone", "synonym"),
                    ("T", "testosterone", "defined-abbreviation"),
                    ("T", "testosterone", "defined-abbreviation"),
                ],
            ),
            // a head names the short form, here where a kind of a concept is that concept
            (
                "",
                "Low-molecular-weight heparin (LMWH) replaced heparin. LMWH was safe.",
                &[
                    ("heparin", "heparin", "synonym"),
                    ("LMWH", "heparin", "defined-abbreviation"),
                    ("heparin", "heparin", "synonym"),
                    ("LMWH", "heparin", "defined-abbreviation"),
                ],
            ),
        ];
        for (title, body, expected) in table {
            assert_eq!(tagged(title, body), want(expected), "in {title:?} / {body:?}");
        }
    }
    /// Where kinds of a concept are distinct concepts (`kinds_are_distinct`, as in
    /// vocabularies built from annotated corpora), a head names the short form only when it is
    /// more than half of the long form's words.
    #[test]
    fn minor_heads_do_not_name_short_forms_where_kinds_are_distinct() {
        let vocab = format!("ontology:\n  id: v\n  kinds_are_distinct: true\n{VOCAB}");
        let table: &[Case] = &[
            (
                "",
                "Ribavirin-induced hemolytic anemia (RIHA) is common; RIHA resolved.",
                &[
                    ("hemolytic anemia", "hemolytic_anemia", "synonym"),
                    ("RIHA", "hemolytic_anemia", "defined-abbreviation"),
                    ("RIHA", "hemolytic_anemia", "defined-abbreviation"),
                ],
            ),
            // a kind of heparin the ontology does not list (BC5CDR 12109865)
            (
                "",
                "Low-molecular-weight heparin (LMWH) replaced heparin. LMWH was safe.",
                &[("heparin", "heparin", "synonym"), ("heparin", "heparin", "synonym")],
            ),
        ];
        for (title, body, expected) in table {
            assert_eq!(
                tagged_with(&vocab, title, body),
                want(expected),
                "in {title:?} / {body:?}"
            );
        }
    }

    #[test]
    fn conditional_abbreviations_are_validated_with_their_line() {
        let bad = "concepts:\n  - id: a\n    label: A\n    abbreviations:\n      - {term: TF, when: sometimes}\n      - {term: ER, when: context}\n      - {term: APC, when: defined, context: [x]}\n";
        let err = crate::ontology::load_texts(&[("v.yaml", bad)]).unwrap_err();
        let lines: Vec<String> = err.0.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            lines,
            vec![
                "v.yaml:5: concept \"a\": abbreviation \"TF\" has `when: sometimes` (fix: write `when: defined` (counts only where the document defines it) or `when: context` with a `context:` list)",
                "v.yaml:6: concept \"a\": abbreviation \"ER\" has `when: context` but no context term (fix: list the words that must also occur in the document, e.g. `context: [estrogen, breast cancer]`)",
                "v.yaml:7: concept \"a\": abbreviation \"APC\" has `when: defined` and a `context:` list (fix: use `when: context` to require the context terms, or remove `context:`)",
            ]
        );
        let unknown = "concepts:\n  - id: a\n    label: A\n    abbreviations:\n      - {term: TF, wen: defined}\n";
        let err = crate::ontology::load_texts(&[("v.yaml", unknown)]).unwrap_err();
        assert_eq!(
            err.0[0].to_string(),
            "v.yaml:5: an abbreviation must be a string, `{term: TF, when: defined}` or `{term: ER, when: context, context: [estrogen]}` (keys: term, when, context) (fix: see docs/abbreviations.md for conditional abbreviations)"
        );
    }
}
