//! The readers over every real file in ../shared/corpora that their formats cover: exact record
//! counts, and exact texts for sample PMIDs.

use std::path::{Path, PathBuf};

use coagtag::input::{self, InputError, InputOptions, Record};
use coagtag::{Document, Section};

const CORPORA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora");

fn corpus(rel: &str) -> PathBuf {
    Path::new(CORPORA).join(rel)
}

struct Read {
    docs: Vec<Document>,
    deleted: Vec<String>,
    errors: Vec<InputError>,
}

fn read(rel: &str) -> Read {
    read_with(rel, &InputOptions::default())
}

fn read_with(rel: &str, opts: &InputOptions) -> Read {
    let mut out = Read {
        docs: Vec::new(),
        deleted: Vec::new(),
        errors: Vec::new(),
    };
    let records = match input::open(&corpus(rel), opts) {
        Ok(r) => r,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    for r in records {
        match r {
            Ok(Record::Document(d)) => out.docs.push(d),
            Ok(Record::Delete(ids)) => out.deleted.extend(ids),
            Err(e) => out.errors.push(e),
        }
    }
    out
}

fn find<'a>(docs: &'a [Document], id: &str) -> &'a Document {
    docs.iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no document {id}"))
}

fn clean(r: &Read, rel: &str) {
    assert!(
        r.errors.is_empty(),
        "{rel}: {:?}",
        r.errors.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}

#[test]
fn pubmed_update_file_reads_completely() {
    let rel = "pubmed/pubmed21n1298.xml.gz";
    let r = read(rel);
    clean(&r, rel);
    assert_eq!(r.docs.len(), 20_788);
    assert_eq!(r.deleted.len(), 20, "DeleteCitation PMIDs");
    let d = find(&r.docs, "10704411");
    assert_eq!(
        d.sections[0],
        Section::new(
            "title",
            "Dopamine modulates acute responses to cocaine, nicotine and ethanol in Drosophila."
        )
    );
    let names: Vec<&str> = d.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["title", "BACKGROUND", "RESULTS", "CONCLUSIONS"]);
    assert!(
        d.sections[1]
            .text
            .starts_with("Drugs of abuse have a common property in mammals")
    );
    assert_eq!(d.meta.year.as_deref(), Some("2000"));
    assert_eq!(d.meta.journal.as_deref(), Some("Current biology : CB"));
    assert_eq!(d.meta.version.as_deref(), Some("1"));
}
