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
    files
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
    assert_eq!(one.iter().filter(|e| e.starts_with("article ")).count(), 26);
    assert_eq!(one.iter().filter(|e| e.starts_with("problem ")).count(), 2);
    assert_eq!(one.iter().filter(|e| e.starts_with("file ")).count(), 8);
    for (threads, batch) in [(2, 1), (2, 3), (3, 2), (8, 1), (4, 64)] {
        assert_eq!(
            events(&t, &files, threads, batch),
            one,
            "threads {threads}, batch {batch}"
        );
    }
}

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
    assert_eq!((s1.documents, s1.replaced, s1.skipped, s1.failed_files), (26, 1, 1, 1));
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
