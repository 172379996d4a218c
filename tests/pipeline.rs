//! The streaming engine gives the same events in the same order whatever the thread count.

mod common;

use std::path::PathBuf;

use coagtag::input::InputOptions;
use coagtag::ontology::OntologySource;
use coagtag::pipeline::{Event, StreamOptions, run_with, stream::stream};
use coagtag::tag::Tagger;
use common::{coagtag, coagtag_in, corpus as shared, gzip, root};

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

fn events(t: &Tagger, files: &[PathBuf], threads: usize, batch: usize) -> Vec<String> {
    events_with(t, files, &InputOptions::default(), StreamOptions { threads, batch })
}

/// Every event of a run as a line: articles with their record number and mentions.
fn events_with(t: &Tagger, files: &[PathBuf], opts: &InputOptions, sopts: StreamOptions) -> Vec<String> {
    let mut out = Vec::new();
    stream(Some(t), files, opts, sopts, &mut |e| {
        out.push(match e {
            Event::Article(a) => {
                let m: Vec<String> = a
                    .mentions
                    .iter()
                    .map(|m| format!("{}:{}-{}", m.concept.0, m.start, m.end))
                    .collect();
                format!("article {} record {} [{}]", a.doc.id, a.doc.origin.record, m.join(" "))
            }
            Event::Delete(ids) => format!("delete {ids:?}"),
            Event::Problem(p) => format!("problem {p}"),
            Event::FileStart(p) => format!("file {}", p.file_name().unwrap().to_string_lossy()),
        });
        true
    });
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

/// Regression: a consumer that stops early must end every reader, dispatcher and worker thread,
/// or the run hangs. The run is on a thread of its own with a deadline, so a hang fails the test
/// instead of hanging it.
#[test]
fn stopping_early_ends_every_thread() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path());
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
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
        let _ = done.send(n);
    });
    let n = finished
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the run did not end within 120 s of being stopped");
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

// PubMed XML: one file's records are parsed on the workers, block by block.

fn gunzip(path: &std::path::Path) -> String {
    use std::io::Read;
    let mut s = String::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn pubmed(rel: &str) -> PathBuf {
    shared(&format!("pubmed/{rel}"))
}

/// Byte offsets of every `<PubmedArticle>` record start.
fn record_starts(xml: &str) -> Vec<usize> {
    xml.match_indices("<PubmedArticle>").map(|(i, _)| i).collect()
}

/// The PMID of the record starting at `at`.
fn pmid_at(xml: &str, at: usize) -> String {
    let from = at + xml[at..].find("<PMID").unwrap();
    let from = from + xml[from..].find('>').unwrap() + 1;
    xml[from..from + xml[from..].find('<').unwrap()].to_string()
}

/// A real file (29 articles) with its 10th record broken (a misspelt end tag) and its 20th never
/// closed; returns the file and the two messages expected for them.
fn broken_pubmed(dir: &std::path::Path) -> (PathBuf, [String; 2]) {
    let mut xml = gunzip(&pubmed("dtd-years/pubmed20n1015.xml.gz"));
    let starts = record_starts(&xml);
    assert_eq!(starts.len(), 29);
    // record 20 first, so that the offsets before it stay put
    let end20 = starts[19] + xml[starts[19]..].find("</PubmedArticle>").unwrap();
    xml.replace_range(end20..end20 + "</PubmedArticle>".len(), "");
    let bad = starts[9] + xml[starts[9]..].find("</ArticleTitle>").unwrap();
    xml.replace_range(bad..bad + "</ArticleTitle>".len(), "</ArticleTitl>");
    let starts = record_starts(&xml);
    let path = dir.join("broken.xml");
    std::fs::write(&path, &xml).unwrap();
    let shown = path.display();
    (
        path.clone(),
        [
            format!(
                "{shown}: byte {bad}: record 10 (id {}): malformed XML: </ArticleTitl> closes <ArticleTitle>",
                pmid_at(&xml, starts[9])
            ),
            format!(
                "{shown}: byte {}: record 20 (id {}): <PubmedArticle> is not closed before the next record starts; skipped (fix: check the file; every record ends with its end tag)",
                starts[20],
                pmid_at(&xml, starts[19])
            ),
        ],
    )
}

/// The first five records of a real file, a `DeleteCitation` of the second, and the third again
/// (a replacement); returns the file and the PMIDs of the five records.
fn deletes_pubmed(dir: &std::path::Path) -> (PathBuf, Vec<String>) {
    let xml = gunzip(&pubmed("dtd-years/pubmed20n1016.xml.gz"));
    let starts = record_starts(&xml);
    let record = |k: usize| &xml[starts[k]..starts[k + 1]];
    let pmids: Vec<String> = (0..5).map(|k| pmid_at(&xml, starts[k])).collect();
    let mut out = xml[..starts[0]].to_string();
    for k in 0..5 {
        out.push_str(record(k));
    }
    out.push_str(&format!(
        "<DeleteCitation><PMID Version=\"1\">{}</PMID></DeleteCitation>\n",
        pmids[1]
    ));
    out.push_str(record(2));
    out.push_str("</PubmedArticleSet>\n");
    let path = dir.join("deletes.xml");
    std::fs::write(&path, out).unwrap();
    (path, pmids)
}

/// Block sizes that put block edges everywhere: every record start, inside records, and none.
const BLOCK_SIZES: [usize; 4] = [1, 777, 5000, 1 << 20];

fn pubmed_events(t: &Tagger, files: &[PathBuf], threads: usize, block: usize) -> Vec<String> {
    let opts = InputOptions {
        pubmed_block_bytes: block,
        ..InputOptions::default()
    };
    events_with(t, files, &opts, StreamOptions { threads, batch: 64 })
}

#[test]
fn pubmed_blocks_give_the_same_events_for_any_thread_count_and_block_size() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (broken, messages) = broken_pubmed(dir.path());
    let (deletes, pmids) = deletes_pubmed(dir.path());
    // cut off inside record 25: plain (the file ends inside the record) and gzip (the gzip
    // data ends early)
    let whole = gunzip(&pubmed("dtd-years/pubmed20n1015.xml.gz"));
    let cut = &whole.as_bytes()[..record_starts(&whole)[24] + 2000];
    let truncated = dir.path().join("truncated.xml");
    std::fs::write(&truncated, cut).unwrap();
    let truncated_gz = dir.path().join("truncated.xml.gz");
    let z = gzip(whole.as_bytes());
    std::fs::write(&truncated_gz, &z[..z.len() / 2]).unwrap();
    // MedlineCitationSet: records are bare MedlineCitations
    let medline = pubmed("medline16n0902.xml.gz");
    let mut files = vec![broken, deletes, truncated, truncated_gz, medline];
    let mut years: Vec<PathBuf> = std::fs::read_dir(pubmed("dtd-years"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    years.sort();
    files.extend(years);
    let one = pubmed_events(&t, &files, 1, 1 << 20);
    // the broken file: 27 articles numbered 1..29 without 10 and 20, a problem in place of each
    assert_eq!(one[0], "file broken.xml");
    assert_eq!(one[10], format!("problem {}", messages[0]));
    assert_eq!(one[20], format!("problem {}", messages[1]));
    let records: Vec<&str> = one[1..30]
        .iter()
        .filter(|e| e.starts_with("article "))
        .map(|e| e.split(' ').nth(3).unwrap())
        .collect();
    let want: Vec<String> = (1..=29u64)
        .filter(|r| *r != 10 && *r != 20)
        .map(|r| r.to_string())
        .collect();
    assert_eq!(records, want);
    let tr = one.iter().position(|e| e == "file truncated.xml").unwrap();
    assert_eq!(
        one[tr + 25],
        format!(
            "problem {}: byte {}: record 25 (id {}): the file ends inside this <PubmedArticle>: it is truncated (fix: download the file again)",
            dir.path().join("truncated.xml").display(),
            cut.len(),
            pmid_at(&whole, record_starts(&whole)[24])
        )
    );
    assert_eq!(one[tr + 26], "file truncated.xml.gz");
    let z = one.iter().position(|e| e == "file truncated.xml.gz").unwrap();
    let gz_problem = one[z + 1..].iter().find(|e| e.starts_with("problem ")).unwrap();
    assert!(
        gz_problem.contains("the gzip data ends early (truncated file)"),
        "{gz_problem}"
    );
    assert_eq!(one.iter().filter(|e| e.starts_with("problem ")).count(), 4);
    // the deletes file: five articles, the delete, the replacement (record 7)
    let d = one.iter().position(|e| e == "file deletes.xml").unwrap();
    let ids: Vec<String> = one[d + 1..d + 8]
        .iter()
        .map(|e| e.split(' ').take(4).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        ids,
        [
            format!("article {} record 1", pmids[0]),
            format!("article {} record 2", pmids[1]),
            format!("article {} record 3", pmids[2]),
            format!("article {} record 4", pmids[3]),
            format!("article {} record 5", pmids[4]),
            format!("delete [\"{}\"]", pmids[1]),
            format!("article {} record 7", pmids[2]),
        ]
    );
    assert_eq!(one.iter().filter(|e| e.starts_with("file ")).count(), 12);
    assert_eq!(
        one.iter().filter(|e| e.starts_with("article ")).count(),
        27 + 6 + 24 + 15 + 604 + 29 + 28 + 29 + 33 + 33 + 30 + 2
    );
    for threads in [1, 2, 3, 8] {
        for block in BLOCK_SIZES {
            assert!(
                pubmed_events(&t, &files, threads, block) == one,
                "threads {threads}, blocks of {block} bytes"
            );
        }
    }
}

/// `coagtag tag` on PubMed XML: matrix, evidence, messages and exit code are the same bytes for
/// any thread count and block size (the summary line's timing aside).
#[test]
fn pubmed_tag_output_and_exit_code_do_not_depend_on_threads_or_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let (_, messages) = broken_pubmed(dir.path());
    deletes_pubmed(dir.path());
    let run = |threads: usize, block: usize| {
        let out_dir = dir.path().join(format!("out-{threads}-{block}"));
        std::fs::create_dir_all(&out_dir).unwrap();
        let out = coagtag_in(dir.path())
            .args(["tag", "broken.xml", "deletes.xml", "--threads", &threads.to_string()])
            .args(["--pubmed-block-bytes", &block.to_string(), "--layout", "articles"])
            .arg("-o")
            .arg(out_dir.join("matrix.csv"))
            .arg("--evidence")
            .arg(out_dir.join("evidence.csv"))
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        // the summary line holds timings
        let messages: Vec<String> = stderr
            .lines()
            .map(|l| match (l.find(" concepts, "), l.find(" MB/s")) {
                (Some(a), Some(b)) => format!("{}TIMING{}", &l[..a + 11], &l[b + 5..]),
                _ => l.to_string(),
            })
            .collect();
        (
            out.status.code(),
            messages,
            std::fs::read(out_dir.join("matrix.csv")).unwrap(),
            std::fs::read(out_dir.join("evidence.csv")).unwrap(),
        )
    };
    let one = run(1, 1 << 20);
    assert_eq!(one.0, Some(1));
    let shown = |m: &str| {
        format!(
            "coagtag: error: {}",
            m.replace(&dir.path().join("").display().to_string(), "")
        )
    };
    assert_eq!(
        one.1,
        [
            shown(&messages[0]),
            shown(&messages[1]),
            "coagtag: warning: an id read again replaces the earlier record with that id (4 times): \
             id 31814964 at broken.xml, record 12 replaces record 4; \
             id 31814964 at broken.xml, record 13 replaces record 12; \
             id 31814965 at broken.xml, record 14 replaces record 5; and 1 more"
                .to_string(),
            "coagtag: 28 articles, 13 mentions of 246 concepts, TIMING, 4 replaced by a later record, 1 deleted"
                .to_string(),
            "coagtag: 2 records skipped; every other article is in the output".to_string(),
        ]
    );
    // header + 24 distinct ids in the broken file + 5 - 1 deleted in the other
    assert_eq!(one.2.iter().filter(|&&b| b == b'\n').count(), 1 + 24 + 4);
    for threads in [1, 2, 3, 8] {
        for block in BLOCK_SIZES {
            assert!(run(threads, block) == one, "threads {threads}, blocks of {block} bytes");
        }
    }
}

/// The whole 233 MB update file: the same matrix for any thread count and block size.
#[test]
fn pubmed_update_file_matrix_does_not_depend_on_threads() {
    use sha2::Digest;
    let file = pubmed("pubmed21n1298.xml.gz");
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: usize, block: usize| {
        let m = dir.path().join(format!("m-{threads}-{block}.csv"));
        let out = coagtag()
            .arg("tag")
            .arg(&file)
            .args([
                "--threads",
                &threads.to_string(),
                "--pubmed-block-bytes",
                &block.to_string(),
            ])
            .args(["--layout", "articles", "-q", "-o"])
            .arg(&m)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&m).unwrap();
        std::fs::remove_file(&m).unwrap();
        (
            bytes.iter().filter(|&&b| b == b'\n').count(),
            sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        )
    };
    let one = run(1, 1 << 20);
    assert_eq!(one.0, 1 + 20_783);
    for (threads, block) in [(2, 1 << 20), (3, 1 << 20), (8, 1 << 20), (2, 100_000), (3, 3333)] {
        assert_eq!(run(threads, block), one, "threads {threads}, blocks of {block} bytes");
    }
}

#[test]
fn pubmed_progress_counts_are_the_same_for_any_thread_count() {
    use std::sync::Arc;
    use std::sync::atomic::Ordering;
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(pubmed("dtd-years"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let stored: u64 = files.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    let decoded: u64 = files
        .iter()
        .map(|p| {
            if p.extension().unwrap() == "gz" {
                gunzip(p).len() as u64
            } else {
                std::fs::metadata(p).unwrap().len()
            }
        })
        .sum();
    for threads in [1, 2, 3, 8] {
        for block in BLOCK_SIZES {
            let progress = Arc::new(coagtag::input::Progress::default());
            let opts = InputOptions {
                progress: Some(Arc::clone(&progress)),
                pubmed_block_bytes: block,
                ..InputOptions::default()
            };
            stream(
                Some(&t),
                &files,
                &opts,
                StreamOptions { threads, batch: 64 },
                &mut |_| true,
            );
            let counts = [
                progress.articles.load(Ordering::Relaxed),
                progress.files_started.load(Ordering::Relaxed),
                progress.bytes_read.load(Ordering::Relaxed),
                progress.bytes_decoded.load(Ordering::Relaxed),
            ];
            assert_eq!(
                counts,
                [29 + 28 + 29 + 33 + 33 + 30 + 2, 7, stored, decoded],
                "threads {threads}, blocks of {block} bytes"
            );
        }
    }
}

/// A record past the record limit stops its file with the same error, and the records before it
/// stand, for any thread count and block size.
#[test]
fn pubmed_record_limit_is_the_same_for_any_thread_count() {
    let t = Tagger::load(&[OntologySource::Default]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let record = |pmid: u32, title: &str| {
        format!(
            "<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
        )
    };
    let mut xml = String::from("<PubmedArticleSet>\n");
    xml.push_str(&record(1, "sepsis"));
    xml.push_str(&record(2, &"x".repeat(5000)));
    xml.push_str(&record(3, "after"));
    xml.push_str("</PubmedArticleSet>\n");
    let path = dir.path().join("big.xml");
    std::fs::write(&path, &xml).unwrap();
    let files = vec![path.clone()];
    let run = |threads: usize, block: usize| {
        let opts = InputOptions {
            max_record_bytes: 1024,
            pubmed_block_bytes: block,
            ..InputOptions::default()
        };
        events_with(&t, &files, &opts, StreamOptions { threads, batch: 64 })
    };
    let one = run(1, 1 << 20);
    assert_eq!(one.len(), 3, "{one:?}");
    assert_eq!(one[0], "file big.xml");
    assert!(one[1].starts_with("article 1 record 1 ["), "{}", one[1]);
    let problem = one[2].strip_prefix("problem ").unwrap();
    assert!(problem.starts_with(&format!("{}: byte ", path.display())), "{problem}");
    assert!(
        problem.ends_with(": record 2 (id 2): the record is larger than 1 KiB (is this really PubMed XML?) (fix: check the file; no real PubMed record comes near this size)"),
        "{problem}"
    );
    for threads in [1, 2, 3, 8] {
        for block in BLOCK_SIZES {
            assert_eq!(run(threads, block), one, "threads {threads}, blocks of {block} bytes");
        }
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
    // each one a repeated warning: a front end shows them as one line (`diagnostic::Repeats`)
    assert_eq!(
        problems,
        [
            format!("warning: id 12091962 at {b}, record 1 replaces {a}, record 1"),
            format!("warning: id 9997 at {b}, record 2 replaces {a}, record 2"),
            format!("warning: id 400581 at {j}:2 replaces line 1"),
        ]
    );
}
