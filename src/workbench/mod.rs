//! The vocabulary workbench: see what an ontology does on a corpus, and grow it.
//!
//! * [`explain`]: every mention of a text with the term and rule behind it, and every rejected
//!   candidate with the reason;
//! * [`stats`]: the yield of every term on a corpus;
//! * [`suggest`]: candidate additions mined from a corpus, written as an `extend:` file;
//! * [`diff`]: what changed between two runs, with the evidence behind each change;
//! * [`tree`] and [`obo`]: the hierarchy as a tree, and import from OBO ontologies.

pub mod diff;
pub mod explain;
pub mod obo;
pub mod stats;
pub mod suggest;
pub mod tree;
