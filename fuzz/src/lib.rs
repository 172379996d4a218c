//! What every fuzz target does with its input ([`run`]): a reader target reads every record of
//! the bytes as its format, then tags every document with the default ontology, as a run does;
//! the ontology target loads the bytes as an ontology file and compiles what loads. Any panic is
//! a crash for AFL; a loop that never ends is a hang.
//!
//! `tests/fuzz_regressions.rs` in the main package includes this file and runs every input kept
//! in `fuzz/regressions/TARGET/` through the same code.

use std::io::Cursor;
use std::path::Path;
use std::sync::OnceLock;

use coagtag::input::blocks::Block;
use coagtag::input::{self, Format, InputOptions, Record, Source};
use coagtag::tag::Tagger;
use coagtag::{Document, Scratch};

fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| Tagger::load(&[coagtag::ontology::OntologySource::Default]).expect("the default loads"))
}

/// Read `data` as `format` and tag what it holds. PubMed XML is cut into tiny blocks, so that
/// block edges fall everywhere, and its blocks parsed as the parallel pipeline parses them.
pub fn read_and_tag(data: &[u8], format: Format, name: &str) {
    let opts = InputOptions {
        format: Some(format),
        pubmed_block_bytes: 97,
        max_record_bytes: 64 * 1024,
        ..InputOptions::default()
    };
    let tagger = tagger();
    let mut scratch = Scratch::default();
    let mut tag = |d: &Document| {
        let mentions = tagger.tag(d, &mut scratch);
        // every mention lies inside its section, on character boundaries
        for m in &mentions {
            let text = &d.sections[m.section as usize].text;
            assert!(text.is_char_boundary(m.byte_start as usize) && text.is_char_boundary(m.byte_end as usize));
        }
    };
    let source = match input::source_from(Box::new(Cursor::new(data.to_vec())), Path::new(name), &opts) {
        Ok(s) => s,
        Err(_) => return,
    };
    match source {
        Source::Records(records) => {
            for r in records {
                if let Ok(Record::Document(d)) = r {
                    tag(&d);
                }
            }
        }
        Source::Blocks(blocks) => {
            for b in blocks.flatten() {
                for r in b.parse().records {
                    if let Ok(Record::Document(d)) = r {
                        tag(&d);
                    }
                }
            }
        }
    }
}

/// The targets, with the format each reads (`None`: the ontology loader) and the file name that
/// messages show.
pub const TARGETS: [(&str, Option<Format>, &str); 8] = [
    ("pubmed", Some(Format::Pubmed), "fuzz.xml"),
    ("medline", Some(Format::Medline), "fuzz.nbib"),
    ("pubtator", Some(Format::Pubtator), "fuzz.pubtator"),
    ("bioc", Some(Format::Bioc), "fuzz.BioC.xml"),
    ("jsonl", Some(Format::Jsonl), "fuzz.jsonl"),
    ("csv", Some(Format::Csv), "fuzz.csv"),
    ("text", Some(Format::Text), "fuzz.txt"),
    ("ontology", None, "fuzz.yaml"),
];

/// Run one input through the named target.
pub fn run(target: &str, data: &[u8]) {
    let (_, format, name) = TARGETS
        .iter()
        .find(|t| t.0 == target)
        .unwrap_or_else(|| panic!("no fuzz target {target:?}"));
    match format {
        Some(f) => read_and_tag(data, *f, name),
        None => load_ontology(data),
    }
}

/// Load the bytes as an ontology file (UTF-8 only, as the loader requires) and compile what loads.
pub fn load_ontology(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(ontology) = coagtag::ontology::load_texts(&[("fuzz.yaml", text)]) {
        let _ = Tagger::from_ontology(ontology);
    }
}
