//! Engine benchmarks: ontology compile time and scan throughput (MB/s of text), for the default
//! ontology and for a generated 100,000-term vocabulary, and the throughput of the whole of
//! tagging (every stage, `Tagger::tag`) with the default ontology.
//!
//! The text is the bundled fixture of 25 real sepsis/coagulation abstracts (titles and
//! abstracts as documents, scanned the way `coagtag tag` scans them). Every benchmark first
//! checks the number of mentions it finds against the expected count, so a fast wrong result
//! cannot pass. Run with `cargo bench --bench engine`; see BENCHMARKS.md ("Engine").

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use coagtag::document::Document;
use coagtag::input::{self, InputOptions, Record};
use coagtag::ontology::{self, Ontology, synthetic};
use coagtag::tag::Tagger;
use coagtag::tag::matcher::{Matcher, Scratch};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Mentions of the default ontology in the fixture (variants on).
const EXPECTED_DEFAULT: usize = 442;
/// Mentions the default ontology's tagger keeps in the fixture, every stage run (the rows of
/// `coagtag tag fixtures/sepsis25.jsonl --out-dir D`'s evidence.csv).
const EXPECTED_TAGGED: usize = 449;
/// Mentions of the 100,000-term synthetic vocabulary in the fixture (variants on).
const EXPECTED_SYNTHETIC: usize = 178;
/// Terms in the synthetic vocabulary.
const SYNTHETIC_TERMS: usize = 100_000;

fn fixture() -> Vec<Document> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sepsis25.jsonl");
    let records = input::open(&path, &InputOptions::default()).expect("fixture opens");
    records
        .map(|r| match r.expect("fixture record reads") {
            Record::Document(d) => d,
            other => panic!("unexpected record {other:?}"),
        })
        .collect()
}

fn text_bytes(docs: &[Document]) -> u64 {
    docs.iter().flat_map(|d| &d.sections).map(|s| s.text.len() as u64).sum()
}

fn scan(m: &Matcher, docs: &[Document], scratch: &mut Scratch, out: &mut Vec<coagtag::Mention>) -> usize {
    let mut n = 0;
    for d in docs {
        out.clear();
        m.find_in_document(d, scratch, out);
        n += out.len();
    }
    n
}

fn default_ontology() -> Ontology {
    Ontology::default_ontology().expect("default ontology loads")
}

fn synthetic_yaml() -> String {
    synthetic::synthetic_yaml(SYNTHETIC_TERMS)
}

fn synthetic_ontology(yaml: &str) -> Ontology {
    ontology::load_texts(&[("synthetic.yaml", yaml)]).expect("synthetic ontology loads")
}

fn check_count(name: &str, m: &Matcher, docs: &[Document], expected: usize) {
    let n = scan(m, docs, &mut Scratch::default(), &mut Vec::new());
    assert_eq!(n, expected, "{name}: wrong number of mentions in the fixture");
}

fn compile(c: &mut Criterion) {
    let docs = fixture();
    let mut g = c.benchmark_group("compile");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    let def = default_ontology();
    g.bench_function("default", |b| b.iter(|| Matcher::new(black_box(&def))));
    check_count("default", &Matcher::new(&def), &docs, EXPECTED_DEFAULT);
    let yaml = synthetic_yaml();
    g.bench_function("synthetic_100k_load", |b| {
        b.iter(|| synthetic_ontology(black_box(&yaml)))
    });
    let syn = synthetic_ontology(&yaml);
    g.bench_function("synthetic_100k", |b| b.iter(|| Matcher::new(black_box(&syn))));
    check_count("synthetic_100k", &Matcher::new(&syn), &docs, EXPECTED_SYNTHETIC);
    g.finish();
}

fn scan_throughput(c: &mut Criterion) {
    let docs = fixture();
    let bytes = text_bytes(&docs);
    let mut g = c.benchmark_group("scan");
    g.throughput(Throughput::Bytes(bytes))
        .measurement_time(Duration::from_secs(5));
    let def = Matcher::new(&default_ontology());
    let syn = Matcher::new(&synthetic_ontology(&synthetic_yaml()));
    for (name, m, expected) in [
        ("default", &def, EXPECTED_DEFAULT),
        ("synthetic_100k", &syn, EXPECTED_SYNTHETIC),
    ] {
        check_count(name, m, &docs, expected);
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        g.bench_function(name, |b| b.iter(|| scan(m, black_box(&docs), &mut scratch, &mut out)));
    }
    g.finish();
}

/// Every stage of tagging on the fixture with the default ontology: what `coagtag tag` does for
/// each document once it is read (issue 19 states its plain-text speed target on this).
fn tag_throughput(c: &mut Criterion) {
    let docs = fixture();
    let tagger = Tagger::from_ontology(default_ontology()).expect("default ontology compiles");
    let tag_all = |scratch: &mut Scratch| docs.iter().map(|d| tagger.tag(d, scratch).len()).sum::<usize>();
    assert_eq!(
        tag_all(&mut Scratch::default()),
        EXPECTED_TAGGED,
        "tag: wrong number of mentions in the fixture"
    );
    let mut g = c.benchmark_group("tag");
    g.throughput(Throughput::Bytes(text_bytes(&docs)))
        .measurement_time(Duration::from_secs(5));
    let mut scratch = Scratch::default();
    g.bench_function("default", |b| b.iter(|| tag_all(black_box(&mut scratch))));
    g.finish();
}

criterion_group!(benches, scan_throughput, tag_throughput, compile);
criterion_main!(benches);
