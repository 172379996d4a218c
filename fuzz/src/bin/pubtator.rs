//! Fuzz target `pubtator` (see `src/lib.rs`).
fn main() {
    afl::fuzz!(|data: &[u8]| coagtag_fuzz::run("pubtator", data));
}
