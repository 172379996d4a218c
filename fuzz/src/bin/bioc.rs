//! Fuzz target `bioc` (see `src/lib.rs`).
fn main() {
    afl::fuzz!(|data: &[u8]| coagtag_fuzz::run("bioc", data));
}
