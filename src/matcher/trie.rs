//! The automaton of large vocabularies: a byte trie of the patterns, walked only from word starts.
//!
//! The search in [`super::Matcher::find_in_text`] walks anchored from each position with no word
//! character before it and reports every pattern that starts exactly there. An anchored walk
//! never follows an Aho-Corasick failure transition, so a plain trie is all it needs: building one
//! skips the failure transitions and the merged match lists of an Aho-Corasick automaton (most of
//! the cost of building one over hundreds of thousands of patterns), and it is smaller, so more of
//! it stays in the cache while scanning.
//!
//! Layout: nodes are numbered breadth first, so the children of a node are consecutive nodes;
//! a node stores where its children start (they end where the next node's begin) and the pattern
//! that ends at it, and the byte leading into each node is kept apart, so a step reads one node
//! and a short run of sorted bytes. The root's children are found through a 256-entry table.

/// No node, or no pattern.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    /// The first child; the children are `first..` the next node's `first`.
    first: u32,
    /// The pattern that ends here, or [`NONE`].
    pattern: u32,
}

/// A trie of byte strings, each identified by its index in the list it was built from.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    /// The root's child for every byte, or [`NONE`].
    root: Box<[u32; 256]>,
    /// Breadth-first; node 0 is the root; one extra node closes the last node's children.
    nodes: Vec<Node>,
    /// The byte leading into each node, ascending among siblings.
    labels: Vec<u8>,
}

/// Lists of siblings longer than this are searched by bisection.
const LINEAR_MAX: usize = 16;

impl Trie {
    /// Build the trie of `patterns`; pattern `i` is reported as `i`. Empty patterns are left out
    /// (they cannot be whole words); of two equal patterns the first is kept.
    pub(crate) fn new<S: AsRef<[u8]> + Sync>(patterns: &[S]) -> Trie {
        let order = sorted_order(patterns);
        let dfs = DepthFirst::build(patterns, &order);
        dfs.breadth_first()
    }

    /// Call `f(s, e, pattern)` for every pattern that is a prefix of `bytes[s..]`, shortest first.
    #[inline(always)]
    pub(crate) fn walk_from(&self, bytes: &[u8], s: usize, f: &mut impl FnMut(usize, usize, usize)) {
        let Some(&b) = bytes.get(s) else {
            return;
        };
        let mut node = self.root[usize::from(b)];
        let mut e = s + 1;
        while node != NONE {
            let n = self.nodes[node as usize];
            if n.pattern != NONE {
                f(s, e, n.pattern as usize);
            }
            let Some(&b) = bytes.get(e) else {
                return;
            };
            node = self.child(node as usize, n.first as usize, b);
            e += 1;
        }
    }

    /// The child of `node` (whose children start at `first`) reached by byte `b`.
    #[inline(always)]
    fn child(&self, node: usize, first: usize, b: u8) -> u32 {
        let end = self.nodes[node + 1].first as usize;
        let labels = &self.labels[first..end];
        let at = if labels.len() <= LINEAR_MAX {
            labels.iter().position(|&l| l == b)
        } else {
            labels.binary_search(&b).ok()
        };
        at.map_or(NONE, |k| (first + k) as u32)
    }

    /// Number of nodes, the root included.
    #[cfg(test)]
    fn node_count(&self) -> usize {
        self.nodes.len() - 1
    }
}

/// Pattern indices in byte order (shorter before longer when one is a prefix of the other; equal
/// patterns by index). Large lists are sorted in two halves on two threads and merged.
fn sorted_order<S: AsRef<[u8]> + Sync>(patterns: &[S]) -> Vec<u32> {
    let key = |&i: &u32| (patterns[i as usize].as_ref(), i);
    let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || order.len() < PARALLEL_SORT_MIN {
        order.sort_unstable_by_key(key);
        return order;
    }
    let (a, b) = order.split_at_mut(patterns.len() / 2);
    std::thread::scope(|scope| {
        let h = scope.spawn(|| a.sort_unstable_by_key(key));
        b.sort_unstable_by_key(key);
        h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
    });
    let (a, b) = order.split_at(patterns.len() / 2);
    let mut merged = Vec::with_capacity(order.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if key(&a[i]) <= key(&b[j]) {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// Lists of at least this many patterns are sorted on two threads.
const PARALLEL_SORT_MIN: usize = 50_000;

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

    /// Renumber breadth first, so that siblings are consecutive.
    fn breadth_first(self) -> Trie {
        let n = self.label.len();
        let mut nodes = Vec::with_capacity(n + 1);
        let mut labels = Vec::with_capacity(n);
        // `queue[k]` is the depth-first number of breadth-first node `k`
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        queue.push(0);
        labels.push(0);
        let mut k = 0;
        while k < queue.len() {
            let old = queue[k] as usize;
            nodes.push(Node {
                first: queue.len() as u32,
                pattern: self.pattern[old],
            });
            let mut c = self.first_child[old];
            while c != NONE {
                queue.push(c);
                labels.push(self.label[c as usize]);
                c = self.next_sibling[c as usize];
            }
            k += 1;
        }
        nodes.push(Node {
            first: queue.len() as u32,
            pattern: NONE,
        });
        let mut root = Box::new([NONE; 256]);
        for child in nodes[0].first..nodes[1].first {
            root[usize::from(labels[child as usize])] = child;
        }
        Trie { root, nodes, labels }
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
        assert_eq!(t.node_count(), 62);
    }

    #[test]
    fn large_lists_sort_on_two_threads_like_one() {
        let pats: Vec<String> = (0..PARALLEL_SORT_MIN as u32 + 7)
            .map(|i| format!("{}", i.wrapping_mul(2_654_435_761) % 100_003))
            .collect();
        let order = sorted_order(&pats);
        let mut want: Vec<u32> = (0..pats.len() as u32).collect();
        want.sort_by_key(|&i| (pats[i as usize].as_bytes(), i));
        assert_eq!(order, want);
    }
}
