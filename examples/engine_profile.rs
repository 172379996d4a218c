//! A fixed workload for profilers (callgrind counts instructions repeatably, see BENCHMARKS.md):
//! compile a vocabulary, then scan the fixture's documents `ROUNDS` times.
//!
//! ```sh
//! cargo build --release --example engine_profile
//! valgrind --tool=callgrind ./target/release/examples/engine_profile default 20
//! valgrind --tool=callgrind ./target/release/examples/engine_profile synthetic 20
//! valgrind --tool=callgrind ./target/release/examples/engine_profile compile-synthetic 0 20000
//! ```
//!
//! `TERMS` (default 100,000) sets the size of the synthetic vocabulary.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use coagtag::input::{self, InputOptions, Record};
use coagtag::ontology::{self, Ontology, synthetic};
use coagtag::tag::matcher::{Matcher, Scratch};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(which), Some(rounds)) = (args.get(1), args.get(2).and_then(|r| r.parse::<usize>().ok())) else {
        eprintln!("usage: engine_profile default|synthetic|compile-synthetic ROUNDS [TERMS]");
        return ExitCode::from(2);
    };
    let t = Instant::now();
    let ont = match which.as_str() {
        "default" => Ontology::default_ontology().expect("default ontology loads"),
        "synthetic" | "compile-synthetic" => {
            let terms = args.get(3).and_then(|t| t.parse().ok()).unwrap_or(100_000);
            let yaml = synthetic::synthetic_yaml(terms);
            ontology::load_texts(&[("synthetic.yaml", &yaml)]).expect("synthetic ontology loads")
        }
        other => {
            eprintln!("unknown workload {other}");
            return ExitCode::from(2);
        }
    };
    let loaded = t.elapsed();
    let t = Instant::now();
    let m = Matcher::new(&ont);
    let compiled = t.elapsed();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sepsis25.jsonl");
    let docs: Vec<_> = input::open(&path, &InputOptions::default())
        .expect("fixture opens")
        .filter_map(|r| match r {
            Ok(Record::Document(d)) => Some(d),
            _ => None,
        })
        .collect();
    let bytes: usize = docs.iter().flat_map(|d| &d.sections).map(|s| s.text.len()).sum();
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    let mut mentions = 0;
    let t = Instant::now();
    for _ in 0..rounds {
        for d in &docs {
            out.clear();
            m.find_in_document(d, &mut scratch, &mut out);
            mentions += out.len();
        }
    }
    let scanned = t.elapsed();
    println!(
        "{which}: load {:.3} s, compile {:.3} s, {} patterns; {rounds} rounds of {bytes} bytes: {mentions} mentions, {:.1} MB/s",
        loaded.as_secs_f64(),
        compiled.as_secs_f64(),
        m.pattern_count(),
        (bytes * rounds) as f64 / 1e6 / scanned.as_secs_f64().max(1e-9)
    );
    ExitCode::SUCCESS
}
