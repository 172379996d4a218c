//! The automaton of large vocabularies: a byte trie of the patterns, walked only from word starts.
//!
//! The search in [`super::Matcher::find_in_text`] walks anchored from each position with no word
//! character before it and reports every pattern that starts exactly there. An anchored walk
//! never follows an Aho-Corasick failure transition, so a plain trie is all it needs: building one
//! skips the failure transitions and the merged match lists of an Aho-Corasick automaton (most of
//! the cost of building one over hundreds of thousands of patterns).
//!
//! Layout, for the cache: the states are packed into one byte array in depth-first order, each
//! holding what a step needs side by side (the pattern that ends there, the bytes that lead on,
//! where they lead), so a step reads one place. A path of nodes with one child each and no
//! pattern (the unique tail of a long term: "...-fibrinogen level") is one state holding the
//! path's bytes, compared with the text in one go; a state's first child follows it in memory.
//! The root's children are found through a 256-entry table.
//!
//! A state at byte offset `o`: a header word `len << 2 | kind`, the pattern that ends at the
//! state (or [`NONE`]), then by kind:
//!
//! * chain: `len` bytes and the offset of the state they lead to;
//! * branch: `len` bytes, ascending, and the offset of the child reached by each;
//! * dense (a branch of more than [`DENSE_MIN`] bytes, most of them near the root, where every
//!   walk passes): the offset of the child for every byte class (bytes that occur in no pattern
//!   are class 0), so the step is one lookup instead of a search.
//!
//! A leaf is a branch of no bytes. Words are little-endian `u32`.

use crate::tag::scan::sorted_order;

/// No state, or no pattern.
const NONE: u32 = u32::MAX;

/// A trie of byte strings, each identified by its index in the list it was built from.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    /// The offset of the root's child for every byte, or [`NONE`].
    root: Box<[u32; 256]>,
    /// The states (see the module documentation).
    data: Vec<u8>,
    /// The class of every byte for dense states: 0 for bytes in no pattern, else 1 and up.
    classes: Box<[u8; 256]>,
    /// The distinct non-empty prefixes of the patterns: the nodes besides the root before the
    /// paths of one child were packed into chains.
    prefixes: usize,
}

const BRANCH: u32 = 0;
const CHAIN: u32 = 1;
const DENSE: u32 = 2;

/// Branches with more bytes than this are dense.
const DENSE_MIN: usize = 6;

/// Branches with more bytes than this are searched by bisection.
const LINEAR_MAX: usize = 16;

/// The little-endian word at `at`.
#[inline(always)]
fn word(data: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&data[at..at + 4]);
    u32::from_le_bytes(w)
}

impl Trie {
    /// Build the trie of `patterns`; pattern `i` is reported as `i`. Empty patterns are left out
    /// (they cannot be whole words); of two equal patterns the first is kept.
    pub(crate) fn new<S: AsRef<[u8]> + Sync>(patterns: &[S]) -> Trie {
        let order = sorted_order(patterns);
        DepthFirst::build(patterns, &order).pack()
    }

    /// The distinct non-empty prefixes of the patterns (see [`super::super::scan::LazyDfa::with_prefixes`]).
    pub(crate) fn prefixes(&self) -> usize {
        self.prefixes
    }

    /// Call `f(s, e, pattern)` for every pattern that is a prefix of `bytes[s..]`, shortest first.
    /// Returns whether the walk ran out of bytes: true if some pattern might begin with all of
    /// `bytes[s..]` and go on (or ends at `bytes.len()`), so that more bytes could report more,
    /// or tell whether the last pattern reported ends a word; false if the trie leaves no path on.
    #[inline(always)]
    pub(crate) fn walk_from(&self, bytes: &[u8], s: usize, f: &mut impl FnMut(usize, usize, usize)) -> bool {
        let Some(&b) = bytes.get(s) else {
            return true;
        };
        let data = self.data.as_slice();
        let mut at = self.root[usize::from(b)];
        let mut e = s + 1;
        while at != NONE {
            let o = at as usize;
            let header = word(data, o);
            let pattern = word(data, o + 4);
            if pattern != NONE {
                f(s, e, pattern as usize);
            }
            let len = (header >> 2) as usize;
            let next = o + 8;
            if header & 3 == DENSE {
                let Some(&b) = bytes.get(e) else {
                    return true;
                };
                e += 1;
                at = word(data, next + 4 * usize::from(self.classes[usize::from(b)]));
                continue;
            }
            let labels = &data[next..next + len];
            let targets = next + len;
            if header & 3 == CHAIN {
                match bytes.get(e..e + len) {
                    Some(here) if here == labels => {}
                    // the bytes there are a prefix of the chain's: more could follow it
                    None => return labels.starts_with(&bytes[e.min(bytes.len())..]),
                    Some(_) => return false,
                }
                e += len;
                at = word(data, targets);
            } else {
                let Some(&b) = bytes.get(e) else {
                    return true;
                };
                let k = if len <= LINEAR_MAX {
                    labels.iter().position(|&l| l == b)
                } else {
                    labels.binary_search(&b).ok()
                };
                let Some(k) = k else {
                    return false;
                };
                e += 1;
                at = word(data, targets + 4 * k);
            }
        }
        false
    }

    /// Size of the packed states in bytes.
    #[cfg(test)]
    fn packed_len(&self) -> usize {
        self.data.len()
    }
}

/// The trie as built from the sorted patterns, numbered depth first.
struct DepthFirst {
    label: Vec<u8>,
    pattern: Vec<u32>,
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
}

impl DepthFirst {
    fn build<S: AsRef<[u8]>>(patterns: &[S], order: &[u32]) -> DepthFirst {
        let mut t = DepthFirst {
            label: vec![0],
            pattern: vec![NONE],
            first_child: vec![NONE],
            next_sibling: vec![NONE],
        };
        // the nodes on the path of the previous pattern (path[0] is the root), and the last child
        // of each of them
        let mut path: Vec<u32> = vec![0];
        let mut last_child: Vec<u32> = vec![NONE];
        let mut prev: &[u8] = &[];
        for &id in order {
            let p = patterns[id as usize].as_ref();
            if p.is_empty() {
                continue;
            }
            let common = prev.iter().zip(p).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            last_child.truncate(common + 1);
            for &b in &p[common..] {
                let node = t.label.len() as u32;
                t.label.push(b);
                t.pattern.push(NONE);
                t.first_child.push(NONE);
                t.next_sibling.push(NONE);
                let parent = path.len() - 1;
                match last_child[parent] {
                    NONE => t.first_child[path[parent] as usize] = node,
                    sibling => t.next_sibling[sibling as usize] = node,
                }
                last_child[parent] = node;
                path.push(node);
                last_child.push(NONE);
            }
            let end = path[p.len()] as usize;
            if t.pattern[end] == NONE {
                t.pattern[end] = id;
            }
            prev = p;
        }
        t
    }

    /// Pack into states, depth first (see the module documentation).
    fn pack(self) -> Trie {
        let DepthFirst {
            label,
            pattern,
            first_child,
            next_sibling,
        } = self;
        let prefixes = label.len() - 1;
        let mut root = Box::new([NONE; 256]);
        let mut classes = Box::new([0u8; 256]);
        for &b in &label[1..] {
            classes[usize::from(b)] = 1;
        }
        // valid UTF-8 uses at most 243 byte values, so the classes fit in a byte
        let mut class_count = 1;
        for c in classes.iter_mut().filter(|c| **c == 1) {
            *c = class_count as u8;
            class_count += 1;
        }
        let mut data: Vec<u8> = Vec::with_capacity(label.len() * 4);
        // states still to write: (node, where to write the offset it gets; NONE for the root)
        let mut todo: Vec<(u32, u32)> = Vec::new();
        let mut kids: Vec<u32> = Vec::new();
        let children = |v: u32, kids: &mut Vec<u32>| {
            kids.clear();
            let mut c = first_child[v as usize];
            while c != NONE {
                kids.push(c);
                c = next_sibling[c as usize];
            }
        };
        children(0, &mut kids);
        todo.extend(kids.iter().map(|&c| (c, NONE)));
        let mut bytes: Vec<u8> = Vec::new();
        let mut head = 0;
        while let Some(&(v, slot)) = todo.get(head) {
            head += 1;
            let at = u32::try_from(data.len()).expect("a trie of under 4 GB: vocabularies are far smaller");
            if slot == NONE {
                root[usize::from(label[v as usize])] = at;
            } else {
                let slot = slot as usize;
                data[slot..slot + 4].copy_from_slice(&at.to_le_bytes());
            }
            children(v, &mut kids);
            bytes.clear();
            let chain = kids.len() == 1;
            if chain {
                // follow the path while its nodes have one child and end no pattern
                let mut c = kids[0];
                bytes.push(label[c as usize]);
                loop {
                    let next = first_child[c as usize];
                    if pattern[c as usize] != NONE || next == NONE || next_sibling[next as usize] != NONE {
                        break;
                    }
                    c = next;
                    bytes.push(label[c as usize]);
                }
                kids[0] = c;
            } else {
                bytes.extend(kids.iter().map(|&c| label[c as usize]));
            }
            let kind = if chain {
                CHAIN
            } else if bytes.len() > DENSE_MIN {
                DENSE
            } else {
                BRANCH
            };
            let header = (bytes.len() as u32) << 2 | kind;
            data.extend_from_slice(&header.to_le_bytes());
            data.extend_from_slice(&pattern[v as usize].to_le_bytes());
            let targets = data.len() as u32;
            if kind == DENSE {
                // every class leads nowhere but those of the children
                for _ in 0..class_count {
                    data.extend_from_slice(&NONE.to_le_bytes());
                }
                todo.extend(
                    bytes
                        .iter()
                        .zip(&kids)
                        .map(|(&b, &c)| (c, targets + 4 * u32::from(classes[usize::from(b)]))),
                );
                continue;
            }
            data.extend_from_slice(&bytes);
            let targets = data.len() as u32;
            data.resize(data.len() + 4 * kids.len(), 0);
            todo.extend(kids.iter().enumerate().map(|(k, &c)| (c, targets + 4 * k as u32)));
        }
        data.shrink_to_fit();
        Trie {
            root,
            data,
            classes,
            prefixes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes(t: &Trie, hay: &str, s: usize) -> Vec<(usize, usize, usize)> {
        let mut got = Vec::new();
        t.walk_from(hay.as_bytes(), s, &mut |s, e, p| got.push((s, e, p)));
        got
    }

    #[test]
    fn reports_every_pattern_that_starts_at_the_position() {
        let pats = [
            "tissue factor",
            "tissue",
            "tissue factor pathway inhibitor",
            "ti",
            "factor",
            "tissue",
        ];
        let t = Trie::new(&pats);
        let hay = "tissue factor pathway inhibitory";
        assert_eq!(prefixes(&t, hay, 0), vec![(0, 2, 3), (0, 6, 1), (0, 13, 0), (0, 31, 2)]);
        assert_eq!(prefixes(&t, hay, 7), vec![(7, 13, 4)]);
        assert_eq!(prefixes(&t, hay, 1), vec![]);
        assert_eq!(prefixes(&t, hay, hay.len()), vec![]);
    }

    /// (text, whether the walk from 0 runs out of bytes): it does where a pattern could go on
    /// past the text's end, or ends there; not where the trie leaves no path.
    #[test]
    fn walks_that_run_out_of_bytes() {
        let t = Trie::new(&["tissue factor", "tissue", "ti", "tf"]);
        let table = [
            ("", true),
            ("t", true),
            ("ti", true),
            ("tiss", true),
            ("tissue", true),
            ("tissue f", true),
            ("tissue factor", true),
            ("tissue factor x", false),
            ("tissue x", false),
            ("tissux", false),
            ("tissue fx", false),
            ("tf", true),
            ("tfx", false),
            ("x", false),
        ];
        for (text, want) in table {
            assert_eq!(t.walk_from(text.as_bytes(), 0, &mut |_, _, _| {}), want, "{text:?}");
        }
    }

    #[test]
    fn wide_nodes_and_empty_patterns() {
        // more siblings than the linear search handles, so the bisection is used
        let pats: Vec<String> = (0u8..60)
            .map(|i| format!("x{}", char::from(b'0' + i)))
            .chain([String::new()])
            .collect();
        let t = Trie::new(&pats);
        for (i, p) in pats.iter().enumerate().filter(|(_, p)| !p.is_empty()) {
            assert_eq!(prefixes(&t, &format!("{p} y"), 0), vec![(0, 2, i)]);
        }
        assert_eq!(prefixes(&t, "xz", 0), vec![]);
        // one dense state below `x` (62 classes: `x`, the 60 bytes after it, and class 0), and
        // 60 leaves
        assert_eq!(t.packed_len(), (8 + 4 * 62) + 60 * 8);
    }

    /// (patterns, distinct non-empty prefixes).
    #[test]
    fn prefixes_table() {
        let table: &[(&[&str], usize)] = &[
            (&[], 0),
            (&[""], 0),
            (&["a"], 1),
            (&["ab", "ab", "abc", "b"], 4),
            (&["TF", "tf"], 4),
            (&["tissue factor", "tissue", "factor"], 19),
        ];
        for &(pats, want) in table {
            assert_eq!(Trie::new(pats).prefixes(), want, "{pats:?}");
        }
    }

    proptest::proptest! {
        /// The count of prefixes is that of a set of every prefix (the naive reference).
        #[test]
        fn prefixes_as_a_set_counts_them(pats in proptest::collection::vec("[abc ]{0,6}", 0..40)) {
            let set: std::collections::HashSet<&[u8]> = pats
                .iter()
                .flat_map(|p| (1..=p.len()).map(move |n| &p.as_bytes()[..n]))
                .collect();
            proptest::prop_assert_eq!(Trie::new(&pats).prefixes(), set.len());
        }
    }
}
