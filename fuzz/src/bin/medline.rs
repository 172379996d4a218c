//! Fuzz target `medline` (see `src/lib.rs`).
fn main() {
    afl::fuzz!(|data: &[u8]| coagtag_fuzz::run("medline", data));
}
