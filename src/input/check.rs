//! Checking every input before a run does any work.
//!
//! A mistyped path must not cost a good result: [`check_inputs`] looks at every input named on
//! the command line (and every file of a named directory) before anything is read in earnest or
//! written, and returns every problem at once. A file passes when it exists, can be opened and
//! read, and its format is known: from `--format`, from its name, or from its first bytes, asked
//! of the same format detection the readers use ([`super::detect::decide`]), so a new format is
//! checked as soon as it can be read. What only a full read can show (a truncated `.gz`, a broken
//! record, a file that holds no articles) is left to the run.
//!
//! Standard input (`-`) and other streams (named pipes, devices) are not read ahead: their bytes
//! can be read only once.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use super::{Format, InputError, InputOptions, display_path, expand_inputs};
use crate::diagnostic::Setting;

/// How many bytes of a file's (decompressed) start are read to tell its format.
const HEAD: u64 = 8 * 1024;

/// Check every input; on success, the files to read in order (directories expanded). On failure,
/// one error per input that cannot be read, each naming its path.
pub fn check_inputs(inputs: &[PathBuf], opts: &InputOptions) -> Result<Vec<PathBuf>, Vec<InputError>> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for input in inputs {
        if input == Path::new("-") {
            files.push(input.clone());
            continue;
        }
        let meta = match std::fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                problems.push(missing(input, &e));
                continue;
            }
        };
        if meta.is_dir() {
            match expand_inputs(std::slice::from_ref(input), opts) {
                Ok(found) => {
                    for f in found {
                        match check_file(&f, opts) {
                            Ok(()) => files.push(f),
                            Err(e) => problems.push(e),
                        }
                    }
                }
                Err(e) => problems.push(e),
            }
            continue;
        }
        let checked = if meta.is_file() {
            check_file(input, opts)
        } else {
            // a named pipe or a device: opening is all that can be tried without losing bytes
            check_stream(input, opts)
        };
        match checked {
            Ok(()) => files.push(input.clone()),
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() { Ok(files) } else { Err(problems) }
}

/// A path that cannot be looked at: says why, and suggests a close file name in its directory.
fn missing(path: &Path, err: &io::Error) -> InputError {
    let shown = display_path(path);
    match err.kind() {
        io::ErrorKind::NotFound => {
            let e = InputError::new(&shown, "no such file or directory");
            match near_name(path) {
                Some(near) => e.fix(format!("did you mean {near}?")),
                None => e.fix("check the path"),
            }
        }
        io::ErrorKind::PermissionDenied => InputError::new(&shown, "cannot read it: permission denied")
            .fix("check the file's permissions (ls -l), or copy it somewhere readable"),
        _ => InputError::new(&shown, format!("cannot read it: {err}")).fix("check the path"),
    }
}

/// The file in `path`'s directory whose name is closest to `path`'s, if close enough to be a typo.
fn near_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    let near = crate::diagnostic::closest(name, names.iter().map(String::as_str))?;
    Some(display_path(&path.with_file_name(near)))
}

/// A regular file: open it, read its first bytes (decompressed for gzip) and tell its format.
fn check_file(path: &Path, opts: &InputOptions) -> Result<(), InputError> {
    let shown = display_path(path);
    let file = File::open(path).map_err(|e| missing(path, &e))?;
    let head = read_head(file, &shown)?;
    super::format_of(Box::new(Cursor::new(head)), path, opts).map(|_| ())
}

/// A stream that is not a regular file: it must open, and its format must be known without
/// reading it.
fn check_stream(path: &Path, opts: &InputOptions) -> Result<(), InputError> {
    File::open(path).map_err(|e| missing(path, &e))?;
    if opts.format.is_none() && Format::from_path(path).is_none() {
        return Err(
            InputError::new(&display_path(path), "cannot tell the format of a stream from its name")
                .fix(super::FORMAT_FIX)
                .setting(Setting::Format(None)),
        );
    }
    Ok(())
}

/// The first bytes of a file, decompressed when it is gzip data; a `.gz` name on other data is
/// an error, as when the file is read ([`super::gzip_mismatch`]).
fn read_head(file: File, shown: &str) -> Result<Vec<u8>, InputError> {
    let mut raw = BufReader::with_capacity(16 * 1024, file);
    let magic = io::BufRead::fill_buf(&mut raw).map_err(|e| InputError::io(shown, &e))?;
    let is_gzip = magic.starts_with(&[0x1f, 0x8b]);
    if let Some(e) = super::gzip_mismatch(shown, magic, is_gzip) {
        return Err(e);
    }
    let mut head = Vec::new();
    let read = if is_gzip {
        flate2::bufread::MultiGzDecoder::new(raw)
            .take(HEAD)
            .read_to_end(&mut head)
    } else {
        raw.take(HEAD).read_to_end(&mut head)
    };
    match read {
        Ok(_) => Ok(head),
        // a short gzip file still tells its format from what it holds; the run reports the end
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && !head.is_empty() => Ok(head),
        Err(e) => Err(InputError::io(shown, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(inputs: &[&Path], opts: &InputOptions) -> Vec<String> {
        let inputs: Vec<PathBuf> = inputs.iter().map(|p| p.to_path_buf()).collect();
        match check_inputs(&inputs, opts) {
            Ok(_) => Vec::new(),
            Err(es) => es.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn every_bad_input_is_named_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = |name: &str| dir.path().join(name);
        std::fs::write(p("good.jsonl"), "{\"id\":\"1\",\"text\":\"x\"}\n").unwrap();
        std::fs::write(p("fake.xml.gz"), "<PubmedArticleSet/>").unwrap();
        std::fs::write(p("notes"), "some words").unwrap();
        std::fs::write(p("json.xml"), "{\"id\": 1}").unwrap();
        std::fs::write(p("empty.csv"), "").unwrap();
        std::fs::create_dir(p("nothing")).unwrap();
        let shown = |name: &str| p(name).display().to_string();
        let got = messages(
            &[
                &p("good.jsonl"),
                &p("goud.jsonl"),
                &p("fake.xml.gz"),
                &p("notes"),
                &p("json.xml"),
                &p("empty.csv"),
                &p("nothing"),
                &p("zzzzzzzzzz.txt"),
            ],
            &InputOptions::default(),
        );
        assert_eq!(
            got,
            vec![
                format!(
                    "{}: no such file or directory (fix: did you mean {}?)",
                    shown("goud.jsonl"),
                    shown("good.jsonl")
                ),
                format!(
                    "{}: the name ends in .gz but the file is not gzip data (fix: rename the file without .gz, or compress it with gzip)",
                    shown("fake.xml.gz")
                ),
                format!(
                    "{}: cannot tell the format from the file name or its first bytes (fix: {})",
                    shown("notes"),
                    super::super::FORMAT_FIX
                ),
                format!(
                    "{}: the file name says PubMed XML but the content looks like JSON Lines (fix: rename the file, or name its format (format jsonl))",
                    shown("json.xml")
                ),
                format!(
                    "{}: the directory holds no input files (fix: give files with a known extension (.jsonl, .csv, .tsv, .txt, .xml, .nxml, .json, .nbib, .pubtator, optionally .gz; .tar.gz packages))",
                    shown("nothing")
                ),
                format!(
                    "{}: no such file or directory (fix: check the path)",
                    shown("zzzzzzzzzz.txt")
                ),
            ]
        );
    }

    #[test]
    fn good_inputs_come_back_expanded_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::fs::write(dir.path().join("d/b.txt"), "text b").unwrap();
        std::fs::write(dir.path().join("d/a.txt"), "text a").unwrap();
        std::fs::write(dir.path().join("x.csv"), "id,text\n1,x\n").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"PMID- 1\nTI  - x\n").unwrap();
        std::fs::write(dir.path().join("m.txt.gz"), gz.finish().unwrap()).unwrap();
        let inputs = vec![
            dir.path().join("x.csv"),
            dir.path().join("d"),
            dir.path().join("m.txt.gz"),
            PathBuf::from("-"),
        ];
        let files = check_inputs(&inputs, &InputOptions::default()).unwrap();
        assert_eq!(
            files,
            vec![
                dir.path().join("x.csv"),
                dir.path().join("d/a.txt"),
                dir.path().join("d/b.txt"),
                dir.path().join("m.txt.gz"),
                PathBuf::from("-"),
            ]
        );
    }

    #[test]
    fn format_given_skips_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("export");
        std::fs::write(&f, "anything at all").unwrap();
        let opts = InputOptions {
            format: Some(Format::Text),
            ..InputOptions::default()
        };
        assert_eq!(messages(&[&f], &opts), Vec::<String>::new());
    }
}
