//! Fuzz target `jsonl` (see `src/lib.rs`).
fn main() {
    afl::fuzz!(|data: &[u8]| coagtag_fuzz::run("jsonl", data));
}
