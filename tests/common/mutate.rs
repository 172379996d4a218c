//! Mutations of real input files for the readers' property tests: delete, insert (a piece of the
//! format's markup or random bytes), duplicate and truncate, anywhere.

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum Edit {
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Duplicate(usize, usize),
    Truncate(usize),
}

/// One edit: deletions of up to `max_delete` bytes, insertions of one of `markup` or of 1-19
/// random bytes, duplications of up to `max_duplicate` bytes, truncation.
pub fn edit(markup: Vec<Vec<u8>>, max_delete: usize, max_duplicate: usize) -> impl Strategy<Value = Edit> {
    let markup = prop::sample::select(markup);
    prop_oneof![
        (any::<usize>(), 0usize..max_delete).prop_map(|(at, n)| Edit::Delete(at, n)),
        (
            any::<usize>(),
            prop_oneof![markup, prop::collection::vec(any::<u8>(), 1..20)]
        )
            .prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1usize..max_duplicate).prop_map(|(at, n)| Edit::Duplicate(at, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// `seed` with the edits applied in order (positions taken modulo the current length).
pub fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for e in edits {
        let len = v.len().max(1);
        match e {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(v.len());
                if at < end {
                    v.drain(at..end);
                }
            }
            Edit::Insert(at, b) => {
                let at = (at % len).min(v.len());
                v.splice(at..at, b.iter().copied());
            }
            Edit::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(v.len());
                if at < end {
                    let piece = v[at..end].to_vec();
                    v.splice(end..end, piece);
                }
            }
            Edit::Truncate(at) => v.truncate(at % len),
        }
    }
    v
}
