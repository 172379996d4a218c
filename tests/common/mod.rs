//! The one harness of the integration tests: where the repository, its fixtures and the shared
//! corpora are, how the real binary is run (and shown when it does not do as expected), golden
//! files, CSV read back into rows, inputs read through the library, gzip data, snapshots of
//! a directory (to show that a run left the files there untouched), and a WebDriver client for
//! the tests that open the report in a real browser (`webdriver`).
//!
//! Each test file includes it with `mod common;` and uses what it needs.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

pub use assert_cmd::Command;
use coagtag::Document;
use coagtag::input::{self, InputError, InputOptions, Record};

pub mod mutate;
pub mod webdriver;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A bundled fixture's path as an argument (`fixtures/NAME` under the repository root).
pub fn fixture(name: &str) -> String {
    root().join("fixtures").join(name).display().to_string()
}

/// A path as an argument of the binary.
pub fn s(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A file of the shared corpora (`../shared/corpora`), which the tests read where it lies.
pub fn corpus(rel: &str) -> PathBuf {
    let p = root().join("../shared/corpora").join(rel);
    assert!(
        p.exists(),
        "{} is missing: these tests need the shared corpora beside the checkout (../shared/corpora)",
        p.display()
    );
    p
}

/// The report's files under `--out-dir`: the page, the texts it is rebuilt from, its figures.
pub const REPORT_FILES: [&str; 6] = [
    "report.html",
    "texts.jsonl.gz",
    "figures/category_by_year.svg",
    "figures/trends.svg",
    "figures/category_cooccurrence.svg",
    "figures/concept_cooccurrence.svg",
];

/// The report's figures (file names in its figures directory).
pub fn figures() -> impl Iterator<Item = &'static str> {
    REPORT_FILES.iter().filter_map(|f| f.strip_prefix("figures/"))
}

/// The binary's path (to spawn it as a child process and talk to it).
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_coagtag")
}

/// The binary, to run in `dir`.
pub fn coagtag_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("coagtag").expect("the binary is built");
    c.current_dir(dir);
    c
}

/// The binary, to run in the repository root.
pub fn coagtag() -> Command {
    coagtag_in(&root())
}

/// Everything about a run: the command, its status, stdout and stderr.
pub fn show(what: &str, out: &Output) -> String {
    format!(
        "command: {what}\nstatus: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Run `coagtag ARGS` in `dir` with `stdin`, and check the exit code; on another, show
/// everything about the run.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>, want: i32) -> Output {
    let mut cmd = coagtag_in(dir);
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let out = cmd.output().expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(want),
        "{}",
        show(&format!("coagtag {}", args.join(" ")), &out)
    );
    out
}

/// Run `coagtag ARGS` in the repository root and check the exit code.
pub fn run(args: &[&str], want: i32) -> Output {
    run_in(&root(), args, None, want)
}

/// Run `coagtag ARGS` in `dir`, whatever its exit code (see [`code`] and [`stderr`]).
pub fn output_in(dir: &Path, args: &[&str]) -> Output {
    coagtag_in(dir).args(args).output().expect("the binary runs")
}

/// A run's exit code (-1 when a signal ended it).
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// A run's standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run a prepared command that must succeed; its standard output.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the binary runs");
    assert!(out.status.success(), "{}", show(&format!("{cmd:?}"), &out));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Whether golden files are to be rewritten: `COAGTAG_BLESS=1`, and never in CI (`CI` set),
/// where asking for it is an error.
fn blessing() -> bool {
    let bless = std::env::var_os("COAGTAG_BLESS").is_some_and(|v| v == "1");
    assert!(
        !(bless && std::env::var_os("CI").is_some()),
        "COAGTAG_BLESS is set in CI: golden files are never rewritten there"
    );
    bless
}

/// Compare `actual` with the golden file `tests/golden/NAME` byte for byte, or rewrite it when
/// blessing (see `tests/golden/README.md`).
pub fn golden(name: &str, actual: &[u8]) {
    let path = root().join("tests/golden").join(name);
    if blessing() {
        std::fs::create_dir_all(path.parent().expect("a golden file is in a directory")).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with COAGTAG_BLESS=1 cargo test", path.display()));
    if want != actual {
        let (w, a) = (String::from_utf8_lossy(&want), String::from_utf8_lossy(actual));
        let diffs: Vec<String> = w
            .lines()
            .zip(a.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .take(5)
            .map(|(i, (x, y))| format!("line {}:\n  golden: {x}\n  actual: {y}", i + 1))
            .collect();
        panic!(
            "{name} differs from its golden file ({} vs {} lines); first differences:\n{}\n\
             if the change is intended: COAGTAG_BLESS=1 cargo test",
            w.lines().count(),
            a.lines().count(),
            diffs.join("\n")
        );
    }
}

/// A CSV file as rows of cells, every row as long as the header (the first row). The Excel
/// dialect's byte-order mark belongs to the file, not to the first cell.
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    read_csv_from(open(path), false)
}

/// A CSV file whose rows may differ in length (as a spreadsheet program writes them).
pub fn read_ragged_csv(path: &Path) -> Vec<Vec<String>> {
    read_csv_from(open(path), true)
}

/// Every cell of a matrix with concept rows, as (article, concept) -> count.
pub fn matrix_cells(path: &Path) -> BTreeMap<(String, String), u64> {
    let rows = read_csv(path);
    let header = &rows[0];
    assert_eq!(&header[..3], ["concept_id", "label", "category"], "{}", path.display());
    let mut cells = BTreeMap::new();
    for row in &rows[1..] {
        for (j, v) in row.iter().enumerate().skip(3) {
            let n: u64 = v.parse().unwrap_or_else(|e| panic!("{}: {v:?}: {e}", path.display()));
            cells.insert((header[j].clone(), row[0].clone()), n);
        }
    }
    cells
}

/// A CSV file as rows of cells named by the header.
pub fn read_csv_named(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut rows = read_csv(path).into_iter();
    let header = rows.next().unwrap_or_else(|| panic!("{}: no header", path.display()));
    rows.map(|row| header.iter().cloned().zip(row).collect()).collect()
}

/// CSV text as rows of cells.
pub fn read_csv_str(text: &str) -> Vec<Vec<String>> {
    read_csv_from(text.as_bytes(), false)
}

fn open(path: &Path) -> std::fs::File {
    std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_csv_from(r: impl std::io::Read, ragged: bool) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(ragged)
        .from_reader(r)
        .records()
        .map(|rec| rec.expect("a CSV record").iter().map(String::from).collect())
        .collect();
    if let Some(first) = rows.first_mut().and_then(|r| r.first_mut())
        && let Some(rest) = first.strip_prefix('\u{feff}')
    {
        *first = rest.to_string();
    }
    rows
}

/// A CSV cell without the spreadsheet guard the products put before a formula-like text.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// What reading one input through the library gave: its documents, the ids it deleted, and its
/// problems (an input that cannot be opened is its one problem).
#[derive(Debug, Default)]
pub struct Read {
    pub docs: Vec<Document>,
    pub deleted: Vec<String>,
    pub errors: Vec<InputError>,
}

/// Read every record of one input as `tag` would.
pub fn read_input(path: &Path, opts: &InputOptions) -> Read {
    let mut out = Read::default();
    match input::open(path, opts) {
        Ok(records) => {
            for r in records {
                match r {
                    Ok(Record::Document(d)) => out.docs.push(d),
                    Ok(Record::Delete(ids)) => out.deleted.extend(ids),
                    Err(e) => out.errors.push(e),
                }
            }
        }
        Err(e) => out.errors.push(e),
    }
    out
}

/// `data` as gzip data.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("gzip into memory");
    e.finish().expect("gzip into memory")
}

/// Every file under `dir` (recursively, by its path relative to `dir`) with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_file() {
            out.insert(e.file_name().to_string_lossy().into_owned(), std::fs::read(&p).unwrap());
        } else if p.is_dir() {
            for (k, v) in snapshot(&p) {
                out.insert(format!("{}/{k}", e.file_name().to_string_lossy()), v);
            }
        }
    }
    out
}

/// The files that differ between two snapshots, by name (the bytes are too long to show).
pub fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| before.get(*n) != after.get(*n))
        .map(|n| match (before.contains_key(n), after.contains_key(n)) {
            (true, true) => format!("{n} (changed)"),
            (false, _) => format!("{n} (new)"),
            (_, false) => format!("{n} (gone)"),
        })
        .collect()
}

/// A copy of a small PubMed file whose second record has no PMID (skipped, exit 1).
pub fn broken_pubmed(dir: &Path) -> PathBuf {
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(
            std::fs::File::open(corpus("pubmed/dtd-years/pubmed22n1114.xml.gz")).unwrap(),
        ),
        &mut xml,
    )
    .unwrap();
    let second = xml.match_indices("<PubmedArticle>").nth(1).unwrap().0;
    let at = second + xml[second..].find("<PMID").unwrap();
    let end = at + xml[at..].find("</PMID>").unwrap() + "</PMID>".len();
    xml.replace_range(at..end, "");
    let p = dir.join("broken.xml");
    std::fs::write(&p, xml).unwrap();
    p
}

/// Every file of a run directory (`--out-dir`) but the manifest (which says when and how the run was made).
pub fn run_products(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut all = snapshot(dir);
    all.remove("manifest.json");
    all
}

/// The two directories hold the same products, byte for byte (the manifest aside).
pub fn assert_same(expected: &Path, got: &Path) {
    let (a, b) = (run_products(expected), run_products(got));
    let names = |m: &std::collections::BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "{} vs {}", expected.display(), got.display());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between {} and {}",
            expected.display(),
            got.display()
        );
    }
}

pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// The PubMed files of three DTD years (`pubmed/dtd-years/*.xml.gz`), in name order.
pub fn dtd_year_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus("pubmed/dtd-years"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".xml.gz"))
        .collect();
    files.sort();
    files
}
