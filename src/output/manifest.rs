//! `manifest.json`: what was run on what, to reproduce or audit a run.
//!
//! ```text
//! tool        {name, version}
//! started, finished   UTC times, RFC 3339 (2026-01-31T12:00:00Z)
//! ontology    {ids, versions, files, concepts, terms, sha256}: sha256 is the content hash of the
//!             compiled vocabulary (every concept's id, label, parent, terms and excludes, and
//!             the qualifier cues), so the same vocabulary has the same hash whatever files it
//!             was spread over
//! inputs      [{path, bytes, sha256}]: every input file read (null for standard input)
//! options     every option that changes the products (`full_text_left_out` names the parts
//!             of full texts not read: the reference list, acknowledgements, ...)
//! records     {files, failed_files, read, skipped, deleted, replaced, articles, mentions}:
//!             records read, records skipped as broken, articles removed by delete records,
//!             articles replaced by a later record with the same id, articles written, and
//!             mentions written (after the filters)
//! products    [{product, path}]: the files this run wrote
//! warnings    what the run warned about, as the command line said it (left out when nothing;
//!             at most 1,000 lines, the last one saying how many more there were)
//! ```

use std::io;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use crate::input::digest::file_sha256;
use crate::input::digest::hex;
use crate::ontology::Ontology;

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: Tool,
    pub started: String,
    pub finished: String,
    pub ontology: OntologyInfo,
    pub inputs: Vec<InputFile>,
    pub options: serde_json::Value,
    pub records: Records,
    pub products: Vec<ProductFile>,
    /// What the run warned about (records skipped, ids replaced, ...), as the command line
    /// said it; left out when there was nothing. A merged run lists its runs' warnings too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OntologyInfo {
    pub ids: Vec<String>,
    pub versions: Vec<String>,
    pub files: Vec<String>,
    pub concepts: usize,
    pub terms: usize,
    pub sha256: String,
}

impl OntologyInfo {
    pub fn of(ont: &Ontology) -> OntologyInfo {
        OntologyInfo {
            ids: ont.headers.iter().map(|h| h.id.clone()).collect(),
            versions: ont.headers.iter().map(|h| h.version.clone()).collect(),
            files: ont.files.clone(),
            concepts: ont.concepts.len(),
            terms: ont.concepts.iter().map(|c| c.terms.len()).sum(),
            sha256: ontology_sha256(ont),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InputFile {
    pub path: String,
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
}

impl InputFile {
    /// Size and checksum of an input file (`-` is standard input: neither is known).
    pub fn of(path: &Path) -> io::Result<InputFile> {
        let shown = path.display().to_string();
        if path.as_os_str() == "-" {
            return Ok(InputFile {
                path: shown,
                bytes: None,
                sha256: None,
            });
        }
        let (bytes, sha) = file_sha256(path)?;
        Ok(InputFile {
            path: shown,
            bytes: Some(bytes),
            sha256: Some(sha),
        })
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Records {
    pub files: usize,
    pub failed_files: usize,
    pub empty_files: usize,
    pub read: usize,
    pub skipped: usize,
    pub deleted: usize,
    pub replaced: usize,
    pub articles: usize,
    pub mentions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductFile {
    pub product: &'static str,
    pub path: String,
}

/// The content hash of a compiled vocabulary (see the module documentation).
pub fn ontology_sha256(ont: &Ontology) -> String {
    let mut h = Sha256::new();
    // fields separated by 0x1f, records by 0x1e: no term can contain them after validation
    // (they are control characters), so the encoding is unambiguous
    for c in &ont.concepts {
        h.update(b"concept\x1f");
        h.update(c.id.as_bytes());
        h.update(b"\x1f");
        h.update(c.label.as_bytes());
        h.update(b"\x1f");
        if let Some(p) = c.parent {
            h.update(ont.concept(p).id.as_bytes());
        }
        for t in &c.terms {
            h.update(b"\x1f");
            h.update(t.kind.as_str().as_bytes());
            h.update(if t.ambiguous { &b":ambiguous="[..] } else { &b":="[..] });
            h.update(t.text.as_bytes());
        }
        for x in &c.excludes {
            h.update(b"\x1fexclude:=");
            h.update(x.as_bytes());
        }
        for (side, words) in [
            ("before", &c.longer_name_words.before),
            ("after", &c.longer_name_words.after),
        ] {
            for w in words {
                h.update(b"\x1flonger_name_words:");
                h.update(side.as_bytes());
                h.update(b"=");
                h.update(w.as_bytes());
            }
        }
        h.update(b"\x1e");
    }
    // the qualifier cues decide the qualifier columns and `--exclude`
    for cue in &ont.cues {
        h.update(b"cue\x1f");
        h.update(crate::ontology::cues::list_name(cue.kind).as_bytes());
        h.update(b"\x1f");
        h.update(cue.side.as_str().as_bytes());
        h.update(b"\x1f");
        h.update(cue.text.as_bytes());
        h.update(b"\x1e");
    }
    hex(&h.finalize())
}

/// A time as RFC 3339 in UTC, to the second.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400 + 3_723)),
            "2000-02-29T01:02:03Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(1_798_761_599)),
            "2026-12-31T23:59:59Z"
        );
    }

    #[test]
    fn sha256_of_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        std::fs::write(&p, "abc").unwrap();
        assert_eq!(
            file_sha256(&p).unwrap(),
            (
                3,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".to_string()
            )
        );
    }

    #[test]
    fn ontology_hash_follows_content_not_files() {
        let a = crate::ontology::load_texts(&[("a.yaml", "concepts:\n  - {id: a, label: A, synonyms: [alpha]}\n")])
            .unwrap();
        let b = crate::ontology::load_texts(&[("b.yaml", "concepts:\n  - {id: a, label: A, synonyms: [alpha]}\n")])
            .unwrap();
        let c = crate::ontology::load_texts(&[("a.yaml", "concepts:\n  - {id: a, label: A, synonyms: [alphas]}\n")])
            .unwrap();
        assert_eq!(ontology_sha256(&a), ontology_sha256(&b));
        assert_ne!(ontology_sha256(&a), ontology_sha256(&c));
    }
}
