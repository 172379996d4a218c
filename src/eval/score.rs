//! Precision, recall and F1 of predicted mentions against gold annotations.
//!
//! * **Strict**: a prediction is a true positive when a gold mention has the same span (start and
//!   end) and an id with an atom in common ([`super::gold::id_atoms`]: namespaces stripped, `|`
//!   alternatives each accepted). Each gold mention is matched at most once; unmatched predictions
//!   are false positives, unmatched gold mentions false negatives.
//! * **Document**: per document, the set of id atoms in the gold against the set in the
//!   predictions; counts are summed over documents (micro-average).
//! * **Per type**: a true positive and a false negative count under the gold mention's type, a
//!   false positive under the type of the predicted concept (its top-level category's label; for
//!   an ontology built by `ontology from-pubtator`, the type its annotations have most often), so
//!   the types' counts add up to the overall ones. Document-level sets are split the same way:
//!   gold atoms by gold type, predicted atoms by predicted type. Where a concept is annotated
//!   with several types (NCBI disease: `Modifier` and `SpecificDisease`), read the per-type
//!   document scores with that in mind.
//!
//! Gold mentions without an id (`-1` or empty) cannot be predicted with an id; they are left out
//! of the scores and counted in [`Evaluation::ignored`], and a prediction with exactly their span
//! is left out too.

use std::collections::{BTreeMap, BTreeSet};

use super::gold::{GoldDoc, id_atoms};

/// One predicted mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    pub start: u32,
    pub end: u32,
    pub text: String,
    /// The concept's type (its top-level category's label).
    pub kind: String,
    /// The id compared with the gold (see [`crate::ontology::Ontology::gold_id`]).
    pub gold_id: String,
    /// The concept's id in the ontology.
    pub concept: String,
    /// How the mention was found (`synonym`, `abbreviation`, `defined-abbreviation`).
    pub via: &'static str,
}

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Strict and document-level counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    pub strict: Counts,
    pub document: Counts,
}

/// A false positive or false negative, for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    pub document: String,
    /// `FP` or `FN`.
    pub error: &'static str,
    pub kind: String,
    pub start: u32,
    pub end: u32,
    pub text: String,
    /// The gold id (FN) or the predicted concept's gold id (FP).
    pub id: String,
    /// The predicted concept (FP only).
    pub concept: String,
    pub via: &'static str,
}

/// The result of scoring a corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    pub documents: usize,
    /// Gold mentions scored.
    pub gold_mentions: usize,
    /// Gold mentions without an id, left out.
    pub ignored: usize,
    pub overall: Scores,
    /// By type, sorted by name.
    pub by_type: BTreeMap<String, Scores>,
    /// Strict false positives and false negatives in document order.
    pub errors: Vec<ErrorRow>,
}

/// Score the predictions for each gold document (`predictions[i]` belongs to `docs[i]`).
pub fn score(docs: &[GoldDoc], predictions: &[Vec<Prediction>]) -> Evaluation {
    let mut ev = Evaluation {
        documents: docs.len(),
        ..Evaluation::default()
    };
    for (doc, preds) in docs.iter().zip(predictions) {
        let mut gold: Vec<(&super::gold::GoldAnnotation, Vec<String>)> = Vec::new();
        let mut ignored_spans = BTreeSet::new();
        for a in &doc.annotations {
            let atoms = id_atoms(&a.id);
            if atoms.is_empty() {
                ev.ignored += 1;
                ignored_spans.insert((a.start, a.end));
            } else if !gold
                .iter()
                .any(|(g, _)| (g.start, g.end, &g.id) == (a.start, a.end, &a.id))
            {
                gold.push((a, atoms));
            }
        }
        ev.gold_mentions += gold.len();
        let preds: Vec<(&Prediction, Vec<String>)> = preds
            .iter()
            .filter(|p| !ignored_spans.contains(&(p.start, p.end)))
            .map(|p| (p, id_atoms(&p.gold_id)))
            .collect();
        // strict
        let mut used = vec![false; gold.len()];
        let mut strict: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut all = Counts::default();
        let mut fps = Vec::new();
        for (p, atoms) in &preds {
            let hit = gold.iter().enumerate().position(|(gi, (g, ga))| {
                !used[gi] && g.start == p.start && g.end == p.end && ga.iter().any(|x| atoms.contains(x))
            });
            match hit {
                Some(gi) => {
                    used[gi] = true;
                    all.tp += 1;
                    strict.entry(gold[gi].0.kind.as_str()).or_default().tp += 1;
                }
                None => {
                    all.fp += 1;
                    strict.entry(p.kind.as_str()).or_default().fp += 1;
                    fps.push(ErrorRow {
                        document: doc.id.clone(),
                        error: "FP",
                        kind: p.kind.clone(),
                        start: p.start,
                        end: p.end,
                        text: p.text.clone(),
                        id: p.gold_id.clone(),
                        concept: p.concept.clone(),
                        via: p.via,
                    });
                }
            }
        }
        let mut rows = fps;
        for (gi, (g, _)) in gold.iter().enumerate() {
            if !used[gi] {
                all.fn_ += 1;
                strict.entry(g.kind.as_str()).or_default().fn_ += 1;
                rows.push(ErrorRow {
                    document: doc.id.clone(),
                    error: "FN",
                    kind: g.kind.clone(),
                    start: g.start,
                    end: g.end,
                    text: g.text.clone(),
                    id: g.id.clone(),
                    concept: String::new(),
                    via: "",
                });
            }
        }
        rows.sort_by(|a, b| (a.start, a.end, a.error).cmp(&(b.start, b.end, b.error)));
        ev.errors.extend(rows);
        ev.overall.strict.add(all);
        for (k, c) in strict {
            ev.by_type.entry(k.to_string()).or_default().strict.add(c);
        }
        // document level
        let gold_set = |kind: Option<&str>| -> BTreeSet<&str> {
            gold.iter()
                .filter(|(g, _)| kind.is_none_or(|k| g.kind == k))
                .flat_map(|(_, a)| a.iter().map(String::as_str))
                .collect()
        };
        let pred_set = |kind: Option<&str>| -> BTreeSet<&str> {
            preds
                .iter()
                .filter(|(p, _)| kind.is_none_or(|k| p.kind == k))
                .flat_map(|(_, a)| a.iter().map(String::as_str))
                .collect()
        };
        let doc_counts = |g: BTreeSet<&str>, p: BTreeSet<&str>| Counts {
            tp: g.intersection(&p).count(),
            fp: p.difference(&g).count(),
            fn_: g.difference(&p).count(),
        };
        ev.overall.document.add(doc_counts(gold_set(None), pred_set(None)));
        let kinds: BTreeSet<&str> = gold
            .iter()
            .map(|(g, _)| g.kind.as_str())
            .chain(preds.iter().map(|(p, _)| p.kind.as_str()))
            .collect();
        for k in kinds {
            let c = doc_counts(gold_set(Some(k)), pred_set(Some(k)));
            ev.by_type.entry(k.to_string()).or_default().document.add(c);
        }
    }
    ev
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::gold::parse;

    fn pred(start: u32, end: u32, kind: &str, id: &str) -> Prediction {
        Prediction {
            start,
            end,
            text: String::new(),
            kind: kind.into(),
            gold_id: id.into(),
            concept: id.to_lowercase(),
            via: "synonym",
        }
    }

    #[test]
    fn strict_and_document_counts() {
        let text = "1|t|Aspirin and ASA.\n1|a|x\n1\t0\t7\tAspirin\tChemical\tD001241\n1\t12\t15\tASA\tChemical\tMESH:D001241\n1\t17\t18\tx\tDisease\t-1\n";
        let docs = parse(text, "g").unwrap();
        let preds = vec![vec![
            pred(0, 7, "Chemical", "D001241"),   // TP
            pred(12, 15, "Chemical", "D000001"), // FP (wrong id) + FN
            pred(17, 18, "Disease", "D1"),       // at an ignored span: left out
        ]];
        let ev = score(&docs, &preds);
        assert_eq!(ev.ignored, 1);
        assert_eq!(ev.gold_mentions, 2);
        assert_eq!(ev.overall.strict, Counts { tp: 1, fp: 1, fn_: 1 });
        assert_eq!(ev.overall.document, Counts { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(ev.errors.len(), 2);
        // same span: the missed gold mention first, then the wrong prediction
        assert_eq!(ev.errors[0].error, "FN");
        assert_eq!(ev.errors[1].error, "FP");
    }
}
