//! PMC's bulk packages: tar archives (`.tar`, `.tar.gz`, `.tgz`) of article files, read as they
//! stream, without unpacking.
//!
//! Each member that is an article file (`.nxml`, `.xml`, `.json`, optionally `.gz`) is read by the
//! reader its name and first bytes call for (JATS for PMC's OA packages, BioC XML or JSON for
//! BioC-PMC's), or by `--format` when it is given; other members (PDFs, images, supplementary
//! files) are passed over. Members are read in archive order, one at a time, each held in memory
//! up to [`InputOptions::max_record_bytes`]. The archive is read on a thread of its own, a bounded
//! number of records ahead of the caller.
//!
//! A member that is not an article, or a broken article in it, is reported with the package and
//! the member name (`oa_comm.tar.gz (member PMC000xxxxxx/PMC176545.xml): byte 1200: ...`) and
//! skipped; the rest of the package is read. A package that ends inside a member (a truncated
//! download) stops with a fatal error naming that member; the members before it stand.

use std::io::{BufRead, Cursor, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::limit::human_size;
use super::{Format, InputError, InputOptions, Record, detect, records_of};
use crate::diagnostic::Setting;

/// Records a package's thread may hold ready ahead of the caller.
const AHEAD: usize = 64;

/// The records of a package, read on a thread of its own.
pub struct PackageReader {
    rx: Receiver<Result<Record, InputError>>,
}

impl PackageReader {
    pub fn spawn(reader: Box<dyn BufRead + Send>, shown: String, opts: &InputOptions) -> PackageReader {
        let (tx, rx) = sync_channel(AHEAD);
        let opts = opts.clone();
        std::thread::spawn(move || read_package(reader, &shown, &opts, &tx));
        PackageReader { rx }
    }
}

impl Iterator for PackageReader {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rx.recv().ok()
    }
}

/// Whether a member's name says it holds articles.
fn is_article_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    [".nxml", ".xml", ".json"].iter().any(|e| lower.ends_with(e))
}

fn read_package(
    reader: Box<dyn BufRead + Send>,
    shown: &str,
    opts: &InputOptions,
    tx: &SyncSender<Result<Record, InputError>>,
) {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            let _ = tx.send(Err(InputError::io(shown, &e).fix("check that this is a tar package")));
            return;
        }
    };
    let mut articles = 0u64;
    let mut last_member = String::new();
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let msg = if last_member.is_empty() {
                    format!("not a readable tar package ({e})")
                } else {
                    format!("the package cannot be read after member {last_member} ({e}): it is truncated or corrupt")
                };
                let _ = tx.send(Err(InputError::new(shown, msg)
                    .fatal()
                    .fix("download the package again")));
                return;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = match entry.path() {
            Ok(p) => p.display().to_string(),
            Err(_) => String::from_utf8_lossy(&entry.path_bytes()).into_owned(),
        };
        last_member = name.clone();
        if !is_article_file(&name) {
            continue;
        }
        let member = format!("{shown} (member {name})");
        let size = entry.header().size().unwrap_or(0);
        if size > opts.max_record_bytes {
            let e = InputError::new(
                &member,
                format!(
                    "the member is larger than {}; skipped",
                    human_size(opts.max_record_bytes)
                ),
            )
            .fix("check the package");
            if tx.send(Err(e)).is_err() {
                return;
            }
            continue;
        }
        let mut bytes = Vec::with_capacity(size as usize);
        let read = entry.read_to_end(&mut bytes);
        if read.is_err() || (bytes.len() as u64) < size {
            let why = match read {
                Err(e) => format!(" ({e})"),
                Ok(_) => format!(" (after {} of its {size} bytes)", bytes.len()),
            };
            let _ = tx.send(Err(InputError::new(
                &member,
                format!("the package ends inside this member{why}: it is truncated"),
            )
            .fatal()
            .fix("download the package again")));
            return;
        }
        for rec in member_records(bytes, &name, &member, opts) {
            let rec = match rec {
                Ok(Record::Document(mut d)) => {
                    articles += 1;
                    d.origin.path = shown.into();
                    d.origin.record = articles;
                    Ok(Record::Document(d))
                }
                Err(mut e) => {
                    // a fatal error ends the member, not the package
                    e.fatal = false;
                    Err(e)
                }
                other => other,
            };
            if tx.send(rec).is_err() {
                return;
            }
        }
    }
}

/// The records of one member's bytes.
fn member_records(bytes: Vec<u8>, name: &str, member: &str, opts: &InputOptions) -> Vec<Result<Record, InputError>> {
    let gz = name.to_ascii_lowercase().ends_with(".gz");
    let reader: Box<dyn BufRead + Send> = if gz {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(Cursor::new(
            bytes,
        ))))
    } else {
        Box::new(Cursor::new(bytes))
    };
    let named = Format::from_path(Path::new(name)).filter(|f| *f != Format::Package);
    let forced = opts.format.filter(|f| *f != Format::Package);
    let mut out = Vec::new();
    let (reader, format) = match detect::decide(reader, member, forced, named) {
        Ok(x) => x,
        Err(e) => return vec![Err(e)],
    };
    let format = match format {
        Some(Format::Package) => {
            return vec![Err(
                InputError::new(member, "a package inside a package is not read").fix("unpack the outer package")
            )];
        }
        Some(f) => f,
        None => {
            return vec![Err(InputError::new(member, "cannot tell the format of this member")
                .fix("name its format")
                .setting(Setting::Format(None)))];
        }
    };
    match records_of(format, reader, member.to_string(), Path::new(name), opts) {
        Ok(records) => out.extend(records),
        Err(e) => out.push(Err(e)),
    }
    out
}
