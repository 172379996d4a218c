//! coagtag: tag biomedical literature by the mechanisms of sepsis-induced coagulopathy.
//!
//! The data flows through the modules in this order:
//!
//! ```text
//! input (one module per format) -> Document -> Tagger (normalize + matcher) -> Mentions -> output
//! ```
//!
//! * [`ontology`] loads and validates the YAML vocabulary (the embedded default or user files).
//! * [`normalize`] folds text (Unicode lower case, NFKC, Greek letters, dashes, quotes, white
//!   space) into a copy with an offset map back to the original.
//! * [`matcher`] compiles the ontology into an Aho-Corasick automaton with boundary, case and
//!   exclusion rules, and finds the mentions in a [`Document`].
//! * [`longer_name`] drops mentions that are only part of a longer name the ontology lacks
//!   (`longer_name_words:`).
//! * [`input`] reads documents from JSONL, CSV/TSV and plain text (gzip for all).
//! * [`output`] writes the products (the concept-by-article matrix) atomically.
//! * [`pipeline`] ties them together for a tagging run.
//!
//! The library never prints and never exits: problems come back as values (errors, or
//! [`diagnostic::Diagnostic`]s handed to a caller-supplied sink).

// Input errors carry their full location by value; they are rare, so their size does not matter.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

pub mod diagnostic;
pub mod document;
pub mod eval;
pub mod ids;
pub mod input;
pub mod normalize;
pub mod ontology;
pub mod output;
pub mod pipeline;
pub mod tag;
pub mod workbench;

pub use document::{Document, Metadata, Section};
pub use ontology::{ConceptId, Ontology};
pub use tag::matcher::{Matcher, Mention, Scratch};
