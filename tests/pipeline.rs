//! The streaming engine gives the same events in the same order whatever the thread count.

use std::path::PathBuf;

use coagtag::input::InputOptions;
use coagtag::ontology::OntologySource;
use coagtag::pipeline::{Event, StreamOptions, Tagger, run_with, stream::stream};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A corpus of several files: fixture chunks, a broken record, a missing file, an empty file.
fn corpus(dir: &std::path::Path) -> Vec<PathBuf> {
    let lines: Vec<String> = std::fs::read_to_string(root().join("fixtures/sepsis25.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut files = Vec::new();
    for (i, chunk) in lines.chunks(4).enumerate() {
        let p = dir.join(format!("part{i:02}.jsonl"));
        let mut text = chunk.join("\n");
        text.push('\n');
        if i == 2 {
            text.push_str("{broken json\n");
            text.push_str(&lines[0]); // a replacement of an earlier article
            text.push('\n');
        }
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    files.insert(3, dir.join("missing.jsonl"));
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    files.push(empty);
    // gzip input (decompressed on a thread of its own when the run has threads): whole, in two
    // members, and cut off part-way
    let all = lines.join("\n") + "\n";
    let whole = dir.join("whole.jsonl.gz");
    std::fs::write(&whole, gzip(all.as_bytes())).unwrap();
    files.push(whole);
    let two = dir.join("two_members.jsonl.gz");
    let half = all.len() / 2;
    let cut = all[..half].rfind('\n').unwrap() + 1;
    let mut bytes = gzip(&all.as_bytes()[..cut]);
    bytes.extend(gzip(&all.as_bytes()[cut..]));
    std::fs::write(&two, bytes).unwrap();
    files.push(two);
    let truncated = dir.join("truncated.jsonl.gz");
    let z = gzip(all.as_bytes());
    std::fs::write(&truncated, &z[..z.len() * 2 / 3]).unwrap();
    files.push(truncated);
    files
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn events(t: &Tagger, files: &[PathBuf], threads: usize, batch: usize) -> Vec<String> {
    let mut out = Vec::new();
    stream(
        Some(t),
        files,
        &InputOptions::default(),
        StreamOptions { threads, batch },
        &mut |e| {
            out.push(match e {
                Event::Article(a) => {
                    let m: Vec<String> = a
                        .mentions
                        .iter()
                        .map(|m| format!("{}:{}-{}", m.concept.0, m.start, m.end))
                        .collect();
                    format!("article {} [{}]", a.doc.id, m.join(" "))
                }
                Event::Delete(ids) => format!("delete {ids:?}"),
                Event::Problem(p) => format!("problem {p}"),
                Event::FileStart(p) => format!("file {}", p.file_name().unwrap().to_string_lossy()),
            });
            true
        },
    );
    out
}

#[test]
fn same_events_in_the_same_order_for_any_thread_count() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path());
    let one = events(&t, &files, 1, 64);
    assert_eq!(
        one.iter().filter(|e| e.starts_with("article ")).count(),
        26 + 25 + 25 + TRUNCATED_ARTICLES
    );
    let problems: Vec<&String> = one.iter().filter(|e| e.starts_with("problem ")).collect();
    assert_eq!(problems.len(), 3);
    assert!(
        problems[2].ends_with(
            "the gzip data ends early (truncated file) (fix: download the file again; `gzip -t FILE` checks it)"
        ),
        "{}",
        problems[2]
    );
    assert_eq!(one.iter().filter(|e| e.starts_with("file ")).count(), 11);
    for (threads, batch) in [(2, 1), (2, 3), (3, 2), (8, 1), (4, 64)] {
        assert_eq!(
            events(&t, &files, threads, batch),
            one,
            "threads {threads}, batch {batch}"
        );
    }
}

/// Articles read from the truncated gzip file before its end.
const TRUNCATED_ARTICLES: usize = 16;

#[test]
fn runs_with_threads_give_the_same_results_and_counts() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path());
    let go = |threads| {
        let mut problems = Vec::new();
        let (results, summary) = run_with(
            &t,
            &files,
            &InputOptions::default(),
            StreamOptions { threads, batch: 2 },
            false,
            &mut |d| problems.push(d.to_string()),
        )
        .unwrap();
        let arts: Vec<(String, usize)> = results
            .articles()
            .map(|a| (a.doc.id.clone(), a.mentions.len()))
            .collect();
        (arts, summary, problems)
    };
    let (a1, s1, p1) = go(1);
    assert_eq!(a1.len(), 25);
    assert_eq!(
        (s1.documents, s1.replaced, s1.skipped, s1.failed_files),
        (26 + 50 + TRUNCATED_ARTICLES, 1 + 50 + TRUNCATED_ARTICLES, 1, 2)
    );
    assert_eq!(go(2), (a1.clone(), s1.clone(), p1.clone()));
    assert_eq!(go(5), (a1, s1, p1));
}

#[test]
fn stopping_early_ends_every_thread() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path());
    let mut n = 0;
    stream(
        Some(&t),
        &files,
        &InputOptions::default(),
        StreamOptions { threads: 2, batch: 1 },
        &mut |_| {
            n += 1;
            n < 3
        },
    );
    assert_eq!(n, 3);
}

#[test]
fn progress_counts_files_bytes_and_articles() {
    use std::sync::Arc;
    use std::sync::atomic::Ordering;
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = corpus(dir.path())
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            !n.starts_with("missing") && !n.starts_with("truncated")
        })
        .collect();
    let stored: u64 = files.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    let plain = std::fs::read(root().join("fixtures/sepsis25.jsonl")).unwrap().len() as u64;
    let decoded: u64 = files
        .iter()
        .filter(|p| p.extension().unwrap() == "jsonl")
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum::<u64>()
        + 2 * plain;
    for threads in [1, 2, 3] {
        let progress = Arc::new(coagtag::input::Progress::default());
        let opts = InputOptions {
            progress: Some(Arc::clone(&progress)),
            ..InputOptions::default()
        };
        let mut articles = 0u64;
        stream(Some(&t), &files, &opts, StreamOptions { threads, batch: 3 }, &mut |e| {
            if matches!(e, Event::Article(_)) {
                articles += 1;
            }
            true
        });
        assert_eq!(articles, 76, "threads {threads}");
        assert_eq!(progress.articles.load(Ordering::Relaxed), 76, "threads {threads}");
        assert_eq!(progress.files_started.load(Ordering::Relaxed), 10, "threads {threads}");
        assert_eq!(progress.bytes_read.load(Ordering::Relaxed), stored, "threads {threads}");
        assert_eq!(
            progress.bytes_decoded.load(Ordering::Relaxed),
            decoded,
            "threads {threads}"
        );
    }
}

/// A record read again replaces the first, and the warning says where each was read: a line
/// for line-based formats, a record number for XML.
#[test]
fn replacement_warnings_name_both_places() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let xml = std::fs::read_to_string(root().join("fixtures/pubmed_efetch2.xml")).unwrap();
    let (a, b) = (dir.path().join("a.xml"), dir.path().join("b.xml"));
    std::fs::write(&a, &xml).unwrap();
    std::fs::write(&b, &xml).unwrap();
    let first = std::fs::read_to_string(root().join("fixtures/sepsis25.jsonl")).unwrap();
    let first = first.lines().next().unwrap();
    let j = dir.path().join("c.jsonl");
    std::fs::write(&j, format!("{first}\n{first}\n")).unwrap();
    let mut problems = Vec::new();
    let (results, summary) = run_with(
        &t,
        &[a.clone(), b.clone(), j.clone()],
        &InputOptions::default(),
        StreamOptions::default(),
        false,
        &mut |d| problems.push(d.to_string()),
    )
    .unwrap();
    assert_eq!(
        (summary.documents, summary.replaced, results.articles().count()),
        (6, 3, 3)
    );
    let (a, b, j) = (a.display(), b.display(), j.display());
    let end = "the later record replaces the earlier one";
    assert_eq!(
        problems,
        [
            format!("warning: {b}, record 1: id 12091962 was already read at {a}, record 1; {end}"),
            format!("warning: {b}, record 2: id 9997 was already read at {a}, record 2; {end}"),
            format!("warning: {j}:2: id 400581 was already read at {j}:1; {end}"),
        ]
    );
}
