//! Abbreviations: the document's own definitions and the ontology's conditional abbreviations.

mod resolve;

pub use resolve::*;
