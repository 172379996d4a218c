//! `stats`: the yield of every term on a corpus.
//!
//! For each term of each concept: mentions (and how many through a generated variant), articles,
//! and how often its candidates were rejected, by rule: swallowed by another concept's match,
//! not a whole word, case differs, inside an exclude phrase. A term is `hit` when it has mentions,
//! `always swallowed` when every valid candidate lost to another concept's match, `rejected` when
//! its candidates all failed a rule, and `no hit` when the corpus never contains it. For the
//! terms with mentions, a few contexts are sampled (reservoir sampling with a fixed seed, so the
//! same corpus always gives the same sample) for a precision spot check.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::document::Document;
use crate::ontology::{ConceptId, Ontology};
use crate::output::Dialect;
use crate::tag::matcher::Matcher;
use crate::tag::matcher::trace::MatchRule;

/// The yield of one term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermStats {
    pub concept: ConceptId,
    pub term: u32,
    pub mentions: u64,
    pub variant_mentions: u64,
    pub articles: u64,
    pub swallowed: u64,
    pub not_whole_word: u64,
    pub case_mismatch: u64,
    pub excluded: u64,
    /// Sampled contexts: `article id: ...left «match» right...`.
    pub samples: Vec<String>,
}

impl TermStats {
    pub fn status(&self) -> &'static str {
        if self.mentions > 0 {
            "hit"
        } else if self.swallowed > 0 {
            "always swallowed"
        } else if self.not_whole_word + self.case_mismatch + self.excluded > 0 {
            "rejected"
        } else {
            "no hit"
        }
    }
}

/// Deterministic pseudo-random numbers (splitmix64) for sampling.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// A window of `text` around a byte span, with the match marked «like this».
pub fn context(text: &str, s: usize, e: usize, width: usize) -> String {
    let mut a = s;
    let mut n = 0;
    while a > 0 && n < width {
        a -= 1;
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        n += 1;
    }
    let mut b = e;
    n = 0;
    while b < text.len() && n < width {
        b += 1;
        while !text.is_char_boundary(b) {
            b += 1;
        }
        n += 1;
    }
    format!(
        "{}{}«{}»{}{}",
        if a > 0 { "…" } else { "" },
        collapse(&text[a..s]),
        &text[s..e],
        collapse(&text[e..b]),
        if b < text.len() { "…" } else { "" }
    )
}

/// Runs of white space to one space, keeping a leading or trailing one.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Collects term statistics document by document.
#[derive(Debug)]
pub struct StatsBuilder {
    offsets: Vec<usize>,
    stats: Vec<TermStats>,
    last_article: Vec<u64>,
    seen: Vec<u64>,
    rng: SplitMix,
    samples: usize,
    article: u64,
    pub articles: u64,
}

impl StatsBuilder {
    /// `samples` contexts per term, drawn with `seed`.
    pub fn new(ont: &Ontology, seed: u64, samples: usize) -> StatsBuilder {
        let mut offsets = Vec::with_capacity(ont.concepts.len());
        let mut stats = Vec::new();
        for (ci, c) in ont.concepts.iter().enumerate() {
            offsets.push(stats.len());
            for ti in 0..c.terms.len() {
                stats.push(TermStats {
                    concept: ConceptId(ci as u32),
                    term: ti as u32,
                    ..TermStats::default()
                });
            }
        }
        let n = stats.len();
        StatsBuilder {
            offsets,
            stats,
            last_article: vec![0; n],
            seen: vec![0; n],
            rng: SplitMix::new(seed),
            samples,
            article: 0,
            articles: 0,
        }
    }

    /// Add one document.
    pub fn add(&mut self, matcher: &Matcher, doc: &Document) {
        self.article += 1;
        self.articles += 1;
        for s in &doc.sections {
            for t in matcher.trace(&s.text) {
                let i = self.offsets[t.concept.index()] + t.term as usize;
                let st = &mut self.stats[i];
                match &t.rule {
                    MatchRule::Matched => {
                        st.mentions += 1;
                        st.variant_mentions += u64::from(t.variant);
                        if self.last_article[i] != self.article {
                            self.last_article[i] = self.article;
                            st.articles += 1;
                        }
                        self.seen[i] += 1;
                        let n = self.seen[i];
                        let ctx = || {
                            format!(
                                "{}: {}",
                                doc.id,
                                context(&s.text, t.byte_start as usize, t.byte_end as usize, 60)
                            )
                        };
                        if (n as usize) <= self.samples {
                            st.samples.push(ctx());
                        } else {
                            let j = self.rng.below(n) as usize;
                            if j < self.samples {
                                st.samples[j] = ctx();
                            }
                        }
                    }
                    MatchRule::Overlapped { by, .. } if *by != t.concept => st.swallowed += 1,
                    MatchRule::Overlapped { .. } => {}
                    MatchRule::NotWholeWord { .. } => st.not_whole_word += 1,
                    MatchRule::CaseMismatch { .. } => st.case_mismatch += 1,
                    MatchRule::Excluded { .. } => st.excluded += 1,
                }
            }
        }
    }

    pub fn finish(self) -> Vec<TermStats> {
        self.stats
    }
}

/// The statistics as CSV, one row per term in ontology order.
pub fn write_csv<W: Write>(w: W, ont: &Ontology, stats: &[TermStats]) -> io::Result<()> {
    let mut out = Dialect::default().writer(w)?;
    out.write_record([
        "concept_id",
        "term",
        "kind",
        "status",
        "mentions",
        "via_variant",
        "articles",
        "swallowed_by_other_concept",
        "not_whole_word",
        "case_mismatch",
        "excluded",
        "sample_contexts",
    ])?;
    for s in stats {
        let c = ont.concept(s.concept);
        let t = &c.terms[s.term as usize];
        out.write_record([
            c.id.as_str(),
            &t.text,
            t.kind.as_str(),
            s.status(),
            &s.mentions.to_string(),
            &s.variant_mentions.to_string(),
            &s.articles.to_string(),
            &s.swallowed.to_string(),
            &s.not_whole_word.to_string(),
            &s.case_mismatch.to_string(),
            &s.excluded.to_string(),
            &s.samples.join(" | "),
        ])?;
    }
    out.flush()
}

/// A readable report: totals, the top terms with sampled contexts, and the terms that never
/// yield a mention.
pub fn render(ont: &Ontology, stats: &[TermStats], articles: u64, top: usize) -> String {
    let mut out = String::new();
    let hit = stats.iter().filter(|s| s.status() == "hit").count();
    let _ = writeln!(
        out,
        "{articles} articles, {} terms: {hit} with mentions, {} never in the corpus, {} always swallowed by another concept, {} always rejected by a rule\n",
        stats.len(),
        stats.iter().filter(|s| s.status() == "no hit").count(),
        stats.iter().filter(|s| s.status() == "always swallowed").count(),
        stats.iter().filter(|s| s.status() == "rejected").count(),
    );
    let mut order: Vec<&TermStats> = stats.iter().filter(|s| s.mentions > 0).collect();
    order.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then(a.concept.cmp(&b.concept))
            .then(a.term.cmp(&b.term))
    });
    let name = |s: &TermStats| {
        let c = ont.concept(s.concept);
        format!("{} / {}", c.id, c.terms[s.term as usize].text)
    };
    let width = order
        .iter()
        .take(top)
        .map(|s| name(s).chars().count())
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        out,
        "{:<width$}  {:>8}  {:>8}  {:>9}",
        "concept / term", "mentions", "articles", "swallowed"
    );
    for s in order.iter().take(top) {
        let _ = writeln!(
            out,
            "{:<width$}  {:>8}  {:>8}  {:>9}",
            name(s),
            s.mentions,
            s.articles,
            s.swallowed
        );
        for ctx in &s.samples {
            let _ = writeln!(out, "    {ctx}");
        }
    }
    for (label, status) in [
        ("always swallowed by another concept", "always swallowed"),
        ("always rejected by a rule", "rejected"),
    ] {
        let list: Vec<String> = stats.iter().filter(|s| s.status() == status).map(&name).collect();
        if !list.is_empty() {
            let _ = writeln!(out, "\n{label} ({}):", list.len());
            for l in list {
                let _ = writeln!(out, "  {l}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::ontology::load_texts;

    #[test]
    fn counts_by_rule_and_status() {
        let o = load_texts(&[(
            "v.yaml",
            "concepts:\n  - {id: tf, label: TF, synonyms: [tissue factor], abbreviations: [TF]}\n  - {id: tfpi, label: TFPI, synonyms: [tissue factor pathway inhibitor]}\n  - {id: none, label: N, synonyms: [never seen]}\n",
        )])
        .unwrap();
        let m = Matcher::new(&o);
        let mut b = StatsBuilder::new(&o, 42, 2);
        b.add(
            &m,
            &Document::new("1", vec![Section::new("text", "TF and tissue factors; Tf. TFPI")]),
        );
        b.add(
            &m,
            &Document::new("2", vec![Section::new("text", "tissue factor pathway inhibitor")]),
        );
        let s = b.finish();
        let row = |i: usize| {
            (
                s[i].status(),
                s[i].mentions,
                s[i].variant_mentions,
                s[i].articles,
                s[i].swallowed,
                s[i].not_whole_word,
                s[i].case_mismatch,
            )
        };
        assert_eq!(row(0), ("hit", 1, 1, 1, 1, 1, 0)); // tissue factor
        assert_eq!(row(1), ("hit", 1, 0, 1, 0, 1, 1)); // TF
        assert_eq!(row(2), ("hit", 1, 0, 1, 0, 0, 0)); // TFPI long form
        assert_eq!(row(3), ("no hit", 0, 0, 0, 0, 0, 0));
        assert_eq!(s[1].samples, vec!["1: «TF» and tissue factors; Tf. TFPI"]);
    }

    #[test]
    fn context_windows() {
        assert_eq!(context("a b  c TF d e", 7, 9, 3), "… c «TF» d …");
        assert_eq!(context("TF", 0, 2, 3), "«TF»");
    }
}
