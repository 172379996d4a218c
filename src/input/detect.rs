//! Telling the format from the first bytes, where the file name is not enough.
//!
//! Names decide most formats (`.jsonl`, `.csv`, `.nbib`, `.pubtator`, `.BioC.xml`). Two names are
//! ambiguous, and the first bytes settle them:
//!
//! * `.txt` is plain text, MEDLINE (a first line `PMID- 123`, after blank lines) or PubTator (a
//!   first line `123|t|Title`): PubMed's "Send to: File: MEDLINE" and the PubTator corpora are
//!   published as `.txt`;
//! * `.xml` is PubMed XML, or BioC XML (root `<collection>`).
//!
//! A file with no known extension is taken for what its first bytes show. A file whose content
//! clearly contradicts its name (JSON in a `.xml`, XML in a `.jsonl`) is an error that names both,
//! rather than a flood of parse errors. `--format` skips all of this.

use std::io::{BufRead, Cursor, Read};

use super::{Format, InputError};
use crate::diagnostic::Setting;

/// How many bytes are looked at.
const HEAD: usize = 8 * 1024;

/// What the first bytes show, if they show anything clearly.
pub fn sniff(head: &[u8]) -> Option<Format> {
    // a tar archive: "ustar" at byte 257 of its first header
    if head.get(257..262) == Some(b"ustar") {
        return Some(Format::Package);
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let body = &head[start..];
    match body[0] {
        b'<' => {
            let has = |needle: &[u8]| memchr::memmem::find(body, needle).is_some();
            let pubmed = has(b"<PubmedArticleSet") || has(b"<MedlineCitationSet");
            let jats = has(b"<pmc-articleset")
                || [
                    &b"<article "[..],
                    b"<article>",
                    b"<article\n",
                    b"<article\r",
                    b"<article\t",
                ]
                .iter()
                .any(|n| has(n));
            if has(b"<collection") && !pubmed {
                Some(Format::Bioc)
            } else if jats && !pubmed {
                Some(Format::Jats)
            } else {
                Some(Format::Pubmed)
            }
        }
        b'{' => {
            let has = |needle: &[u8]| memchr::memmem::find(body, needle).is_some();
            if has(b"\"passages\"") || has(b"\"documents\"") {
                Some(Format::BiocJson)
            } else {
                Some(Format::Jsonl)
            }
        }
        b'[' => Some(Format::BiocJson),
        _ if body.starts_with(b"PMID-") => Some(Format::Medline),
        _ => {
            let line = body.split(|&b| b == b'\n').next().unwrap_or(body);
            let bar = line.iter().position(|&b| b == b'|')?;
            let id_ok = line[..bar].iter().all(u8::is_ascii_alphanumeric);
            let rest = &line[bar..];
            (id_ok && (rest.starts_with(b"|t|") || rest.starts_with(b"|a|"))).then_some(Format::Pubtator)
        }
    }
}

/// Decide the format of an opened input and hand back a reader that still starts at byte 0.
///
/// `forced` is `--format`; `named` is what the file name says.
pub fn decide(
    mut reader: Box<dyn BufRead + Send>,
    shown: &str,
    forced: Option<Format>,
    named: Option<Format>,
) -> Result<(Box<dyn BufRead + Send>, Option<Format>), InputError> {
    if let Some(f) = forced {
        return Ok((reader, Some(f)));
    }
    let mut head = Vec::with_capacity(HEAD);
    (&mut reader)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| InputError::io(shown, &e))?;
    let sniffed = sniff(&head);
    let reader: Box<dyn BufRead + Send> = Box::new(Cursor::new(head).chain(reader));
    let format = match (named, sniffed) {
        (Some(n), Some(s)) if n == s => Some(n),
        (Some(Format::Text), Some(s @ (Format::Medline | Format::Pubtator))) => Some(s),
        // Plain text may start with anything.
        (Some(Format::Text), Some(_)) => Some(Format::Text),
        (Some(Format::Pubmed), Some(s @ (Format::Bioc | Format::Jats))) => Some(s),
        (Some(Format::Jats), Some(Format::Pubmed | Format::Bioc)) => Some(Format::Jats),
        (Some(Format::BiocJson | Format::Jsonl), Some(Format::BiocJson | Format::Jsonl)) => named,
        (_, Some(Format::Package)) => Some(Format::Package),
        (Some(n), Some(s)) => {
            return Err(InputError::new(
                shown,
                format!(
                    "the file name says {} but the content looks like {}",
                    n.description(),
                    s.description()
                ),
            )
            .fatal()
            .fix("rename the file, or name its format")
            .setting(Setting::Format(Some(s.name()))));
        }
        (Some(n), None) => Some(n),
        (None, s) => s,
    };
    Ok((reader, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_table() {
        let cases: [(&[u8], Option<Format>); 10] = [
            (b"\n\nPMID- 123\nTI  - x", Some(Format::Medline)),
            (b"123|t|Title\n123|a|Abs", Some(Format::Pubtator)),
            (b"|t|no id\n", Some(Format::Pubtator)),
            (
                b"<?xml version='1.0'?><!DOCTYPE collection SYSTEM 'BioC.dtd'>\n<collection>",
                Some(Format::Bioc),
            ),
            (
                b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<PubmedArticleSet>",
                Some(Format::Pubmed),
            ),
            (b"{\"id\": 1}", Some(Format::Jsonl)),
            (b"id,title\n1,x", None),
            (b"Sepsis | coagulation", None),
            (b"", None),
            (b"   \n", None),
        ];
        for (head, want) in cases {
            assert_eq!(sniff(head), want, "{:?}", String::from_utf8_lossy(head));
        }
    }

    fn decide_str(data: &'static [u8], named: Option<Format>) -> Result<(String, Option<Format>), InputError> {
        let (mut r, f) = decide(Box::new(data), "f", None, named)?;
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        Ok((s, f))
    }

    #[test]
    fn txt_and_xml_are_refined_and_contradictions_reported() {
        assert_eq!(
            decide_str(b"PMID- 1\n", Some(Format::Text)).unwrap(),
            ("PMID- 1\n".to_string(), Some(Format::Medline))
        );
        assert_eq!(decide_str(b"<x/>", Some(Format::Text)).unwrap().1, Some(Format::Text));
        assert_eq!(
            decide_str(b"<collection>", Some(Format::Pubmed)).unwrap().1,
            Some(Format::Bioc)
        );
        assert_eq!(decide_str(b"1|t|x\n", None).unwrap().1, Some(Format::Pubtator));
        let e = decide_str(b"{\"id\":1}\n", Some(Format::Pubmed)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: the file name says PubMed XML but the content looks like JSON Lines (fix: rename the file, or name its format (format jsonl))"
        );
        assert!(e.fatal);
    }
}
