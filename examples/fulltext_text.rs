//! Write the counted text of every article of the inputs as JSON Lines (`{"id", "text"}`, the
//! sections joined by blank lines), for the full-text benchmark (`scripts/bench_fulltext.sh`):
//! tagging this JSONL is the baseline the JATS path is compared with.
//!
//! Usage: cargo run --release --example fulltext_text -- INPUT... > text.jsonl

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use coagtag::input::{self, InputOptions, Record};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let opts = InputOptions::default();
    let files = input::expand_inputs(&inputs, &opts)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    for f in files {
        for rec in input::open(&f, &opts)? {
            if let Record::Document(d) = rec? {
                let text: Vec<&str> = d.sections.iter().map(|s| s.text.as_str()).collect();
                serde_json::to_writer(&mut out, &serde_json::json!({"id": d.id, "text": text.join("\n\n")}))?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
