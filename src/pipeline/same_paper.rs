//! The same paper read from PubMed (its id the PMID) and from PMC full text (its id the PMCID,
//! its PMID known) in one run: both rows are kept, and the run says so once.

use crate::document::Document;
use crate::ids::IdMap;

/// Papers seen both ways, and one of them to show.
#[derive(Debug, Default)]
pub struct SamePaper {
    /// The PMIDs of the full texts read, with the full text's id.
    full_texts: IdMap<Box<str>>,
    /// The PMIDs of the records read under their PMID.
    by_pmid: IdMap<()>,
    pub count: usize,
    pub example: Option<(String, String)>,
}

impl SamePaper {
    /// Note an article; counts it when its other form was read before.
    pub fn add(&mut self, doc: &Document) {
        let Some(pmid) = doc.meta.pmid.as_deref().filter(|p| !p.is_empty()) else {
            return;
        };
        if doc.id == pmid {
            if self.by_pmid.insert(pmid, ()).is_none()
                && let Some(other) = self.full_texts.get(pmid).map(|o| o.to_string())
            {
                self.found(pmid, &other);
            }
        } else if doc.meta.full_text
            && self.full_texts.insert(pmid, doc.id.as_str().into()).is_none()
            && self.by_pmid.contains(pmid)
        {
            let id = doc.id.clone();
            self.found(pmid, &id);
        }
    }

    fn found(&mut self, pmid: &str, full_text: &str) {
        self.count += 1;
        if self.example.is_none() {
            self.example = Some((pmid.to_string(), full_text.to_string()));
        }
    }

    /// The one message for the run, if any paper was read both ways.
    pub fn message(&self) -> Option<String> {
        let (pmid, id) = self.example.as_ref()?;
        Some(format!(
            "{} paper{} read both from PubMed and as PMC full text (e.g. PMID {pmid} is also {id}); both rows are kept, \
             and articles.csv joins them through its pmid column",
            self.count,
            if self.count == 1 { " was" } else { "s were" }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, pmid: &str, full_text: bool) -> Document {
        let mut d = Document::new(id, vec![]);
        d.meta.pmid = Some(pmid.into());
        d.meta.full_text = full_text;
        d
    }

    #[test]
    fn either_order_counts_once() {
        let mut s = SamePaper::default();
        s.add(&doc("34527728", "34527728", false));
        s.add(&doc("PMC8435807", "34527728", true));
        s.add(&doc("PMC1", "11", true));
        s.add(&doc("11", "11", false));
        s.add(&doc("11", "11", false));
        s.add(&doc("22", "22", false));
        assert_eq!(s.count, 2);
        assert_eq!(
            s.message().unwrap(),
            "2 papers were read both from PubMed and as PMC full text (e.g. PMID 34527728 is also PMC8435807); \
             both rows are kept, and articles.csv joins them through its pmid column"
        );
        assert_eq!(SamePaper::default().message(), None);
    }
}
