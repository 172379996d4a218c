//! coagtag: tag biomedical literature by the mechanisms of sepsis-induced coagulopathy.
//!
//! The data flows through the modules in this order; imports point down it only (a test,
//! `tests/module_graph.rs`, keeps it so):
//!
//! ```text
//! input (one module per format) -> Document -> tag (matcher -> abbrev -> longer_names -> qualifiers) -> Mentions -> output (one module per product)
//!                                  \______________ pipeline: parallel, ordered, streaming ______________/
//! ```
//!
//! * [`ontology`] loads and validates the YAML vocabulary (the embedded default or user files),
//!   reporting every problem at once; it also writes ontology files ([`ontology::emit`]).
//! * [`normalize`] folds text (Unicode lower case, NFKC, Greek letters, dashes, quotes, white
//!   space) into a copy with an offset map back to the original.
//! * [`document`] is what every reader yields: sections of text with metadata, in one offset
//!   space, each section of a kind from one table for every format ([`document::SectionKind`]).
//! * [`input`] reads PubMed XML (baseline, update and efetch files), MEDLINE text, PubTator,
//!   BioC XML and JSON, PMC full text (JATS, and tar packages of it: [`input::package`]), JSONL,
//!   CSV/TSV and plain text, gzip for all; [`input::check_inputs`] checks every input before a
//!   run; [`input::blocks`] lets one large file be parsed on several threads.
//! * [`tag`] turns a document into mentions through its stages, in the order they run:
//!   [`tag::matcher`] (the Aho-Corasick automaton and the whole-word, case and exclusion rules),
//!   [`tag::abbrev`] (the document's own abbreviation definitions, conditional abbreviations),
//!   [`tag::longer_names`] (mentions that are only part of a longer name), [`tag::qualifiers`]
//!   (negated, hedged, up or down, by the cue words of the ontology's `qualifiers:` section,
//!   [`ontology::cues`]). Each stage records what
//!   it decided and why ([`tag::stage`]); `explain` prints those records.
//! * [`pipeline`] reads and tags every input on several threads and hands the articles on in
//!   input order, with PubMed's replacement and deletion semantics; it says when one paper was
//!   read both from PubMed and from PMC.
//! * [`output`] writes the products (matrix, category matrix, evidence, co-occurrence, summary,
//!   articles, trends, JSON Lines, PubTator, workbook, the report with its figures and texts,
//!   manifest: [`output::products::ProductKind`]) atomically, every CSV in one dialect
//!   ([`output::dialect`]); [`output::report`] also rebuilds the report from an output directory.
//! * [`eval`] scores tagging against gold corpora and builds vocabularies from them;
//!   [`workbench`] shows what a vocabulary does on a corpus (explain, stats, suggest, diff) and
//!   imports OBO ontologies.
//! * [`diagnostic`], [`scratch`] and [`sentence`] are shared below everything: problems as
//!   values, the run's unnamed temporary files and their compact numbers, and the sentence
//!   splitter.
//!
//! The library never prints and never exits: problems come back as values (errors, or
//! [`diagnostic::Diagnostic`]s handed to a caller-supplied sink), and never name the command
//! line's flags (a fix names a [`diagnostic::Setting`]; the binary shows its flag).

// Input errors carry their full location by value; they are rare, so their size does not matter.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

pub mod diagnostic;
pub mod document;
pub mod eval;
pub mod input;
pub mod normalize;
pub mod ontology;
pub mod output;
pub mod pipeline;
pub mod scratch;
pub mod sentence;
pub mod tag;
pub mod workbench;

pub use document::{Document, Metadata, Section, SectionKind};
pub use ontology::{ConceptId, Ontology};
pub use tag::matcher::{Matcher, Mention, Scratch};
