//! Reader throughput on a complete PubMed update file (pubmed21n1298: 40 MB gzip, 233 MB XML,
//! 20,788 articles): MB/s of XML parsed from memory, from the .gz file (decompression included),
//! and gzip decompression alone for comparison. Every run checks the answer: 20,788 documents.
//!
//! `cargo bench --bench readers`; compare with `time gzip -dc FILE > /dev/null`.

use std::hint::black_box;
use std::io::{Read, Write};
use std::path::Path;

use coagtag::input::pubmed::PubmedReader;
use coagtag::input::{self, InputOptions, Record};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpora/pubmed/pubmed21n1298.xml.gz"
);
const ARTICLES: usize = 20_788;

fn count(records: impl Iterator<Item = Result<Record, input::InputError>>) -> usize {
    let mut n = 0;
    for r in records {
        match r {
            Ok(Record::Document(d)) => {
                black_box(&d);
                n += 1;
            }
            Ok(Record::Delete(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    n
}

fn readers(c: &mut Criterion) {
    let mut xml = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(FILE).expect("the shared corpus"))
        .read_to_end(&mut xml)
        .expect("valid gzip");
    let mut group = c.benchmark_group("pubmed21n1298");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("xml from memory", |b| {
        b.iter(|| {
            let n = count(PubmedReader::new(&xml[..], "bench", &InputOptions::default()));
            assert_eq!(n, ARTICLES);
        })
    });
    // The ceiling: quick-xml's events with nothing done with them.
    group.bench_function("quick-xml events only", |b| {
        b.iter(|| {
            let mut reader = quick_xml::Reader::from_reader(&xml[..]);
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut starts = 0usize;
            loop {
                buf.clear();
                match reader.read_event_into(&mut buf).expect("valid XML") {
                    quick_xml::events::Event::Start(e) if e.name().as_ref() == "PubmedArticle" => starts += 1,
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
            assert_eq!(starts, ARTICLES);
        })
    });
    group.bench_function("xml.gz from disk (decompress + parse)", |b| {
        b.iter(|| {
            let records = input::open(Path::new(FILE), &InputOptions::default()).expect("opens");
            assert_eq!(count(records), ARTICLES);
        })
    });
    group.bench_function("gzip -dc only (flate2)", |b| {
        b.iter(|| {
            let mut sink = std::io::sink();
            let mut dec = flate2::read::MultiGzDecoder::new(std::fs::File::open(FILE).expect("opens"));
            let n = std::io::copy(&mut dec, &mut sink).expect("valid gzip");
            sink.flush().expect("sink");
            assert_eq!(n, xml.len() as u64);
        })
    });
    group.finish();
}

criterion_group!(benches, readers);
criterion_main!(benches);
