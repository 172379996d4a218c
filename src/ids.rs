//! Maps keyed by article id, compact for PubMed-sized runs: an id written as a number (a PMID)
//! is kept as 8 bytes instead of a string.

use std::collections::HashMap;

/// The id as a number when it is the canonical decimal form of one (no sign, no leading zero,
/// so `00123` and `123` stay different ids).
pub fn numeric_id(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.is_empty() || b.len() > 19 || (b.len() > 1 && b[0] == b'0') || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    id.parse().ok()
}

/// A value per article id.
#[derive(Debug)]
pub struct IdMap<V> {
    numeric: HashMap<u64, V>,
    other: HashMap<Box<str>, V>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            numeric: HashMap::new(),
            other: HashMap::new(),
        }
    }
}

impl<V> IdMap<V> {
    /// Set the value of `id`; its previous value, if it had one.
    pub fn insert(&mut self, id: &str, value: V) -> Option<V> {
        match numeric_id(id) {
            Some(n) => self.numeric.insert(n, value),
            None => self.other.insert(id.into(), value),
        }
    }

    /// The value of `id`, if it has one.
    pub fn get(&self, id: &str) -> Option<&V> {
        match numeric_id(id) {
            Some(n) => self.numeric.get(&n),
            None => self.other.get(id),
        }
    }

    /// Whether `id` has a value.
    pub fn contains(&self, id: &str) -> bool {
        match numeric_id(id) {
            Some(n) => self.numeric.contains_key(&n),
            None => self.other.contains_key(id),
        }
    }

    /// Forget `id`; its value, if it had one.
    pub fn remove(&mut self, id: &str) -> Option<V> {
        match numeric_id(id) {
            Some(n) => self.numeric.remove(&n),
            None => self.other.remove(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_numbers() {
        for (id, want) in [
            ("12091962", Some(12091962)),
            ("0", Some(0)),
            ("00123", None),
            ("+123", None),
            ("-1", None),
            ("", None),
            ("PMC123", None),
            ("18446744073709551615", None),
            ("9999999999999999999", Some(9_999_999_999_999_999_999)),
        ] {
            assert_eq!(numeric_id(id), want, "{id:?}");
        }
    }

    #[test]
    fn numeric_and_other_ids_stay_apart() {
        let mut m = IdMap::default();
        assert_eq!(m.insert("123", 1), None);
        assert_eq!(m.insert("00123", 2), None);
        assert_eq!(m.insert("123", 3), Some(1));
        assert_eq!(m.remove("00123"), Some(2));
        assert_eq!(m.remove("00123"), None);
        assert_eq!(m.remove("123"), Some(3));
    }
}
