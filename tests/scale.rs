//! PubMed at scale (docs/scale.md): runs merged (`coagtag merge`) and updated in place
//! (`coagtag tag --update`) give the bytes of one run over all their inputs, the manifest
//! aside; runs that cannot be merged are refused with the difference named.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_same, corpus, manifest, output_in, root, run, s, snapshot, stderr};

fn tag(inputs: &[&Path], out: &Path, extra: &[&str], want: i32) {
    let mut args = vec!["tag"];
    args.extend(inputs.iter().map(|p| s(p)));
    args.extend(["--out-dir", s(out), "--threads", "2", "-q"]);
    args.extend(extra);
    run(&args, want);
}

/// One run per input file, `run0`, `run1`, ... in `dir`.
fn tag_each(files: &[&Path], dir: &Path) -> Vec<PathBuf> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let r = dir.join(format!("run{i}"));
            tag(&[f], &r, &[], 0);
            r
        })
        .collect()
}

/// One shard of the state alone (`--state-only`: one file) per input file, `state0`, ... in `dir`.
fn state_each(files: &[&Path], dir: &Path) -> Vec<PathBuf> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let r = dir.join(format!("state{i}"));
            tag(&[f], &r, &["--state-only"], 0);
            assert_eq!(std::fs::read_dir(&r).unwrap().count(), 1);
            r
        })
        .collect()
}

/// `coagtag ARGS` with the environment variable `var` set to `value` (a spill forced early).
fn with_env(var: &'static str, value: &'static str) -> impl Fn(&[&str]) {
    move |args| {
        let mut c = common::coagtag();
        c.env(var, value).args(args);
        common::run_ok(&mut c);
    }
}

/// The arguments of a merge of `runs` into `out`.
fn merge_args<'a>(runs: &'a [PathBuf], out: &'a Path) -> Vec<&'a str> {
    let mut args = vec!["merge"];
    args.extend(runs.iter().map(|p| s(p)));
    args.extend(["--out-dir", s(out), "-q"]);
    args
}

/// The arguments of a run over `inputs` into the directory `out`.
fn tag_args<'a>(inputs: &[&'a Path], out: &'a Path) -> Vec<&'a str> {
    let mut args = vec!["tag"];
    args.extend(inputs.iter().map(|p| s(p)));
    args.extend(["--out-dir", s(out), "--threads", "2", "-q"]);
    args
}

fn merge(runs: &[&Path], out: &Path) {
    let mut args = vec!["merge"];
    args.extend(runs.iter().map(|p| s(p)));
    args.extend(["--out-dir", s(out), "-q"]);
    run(&args, 0);
}

/// The small PubMed files (three DTD years, baseline and update files, replacements within a
/// file; an old MEDLINE file with a DeleteCitation): one run per file, merged in several
/// groupings, is one run over all of them.
#[test]
fn runs_of_the_small_pubmed_files_merge_into_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = common::dtd_year_files();
    files.push(corpus("pubmed/medline16n0902.xml.gz"));
    assert_eq!(files.len(), 7);
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let all = dir.path().join("all");
    tag(&inputs, &all, &[], 0);
    let runs = tag_each(&inputs, dir.path());
    let runs: Vec<&Path> = runs.iter().map(PathBuf::as_path).collect();
    let merged = dir.path().join("merged");
    merge(&runs, &merged);
    assert_same(&all, &merged);
    // merged runs merge again: (1 2 3) (4 5) 6 7
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    merge(&runs[..3], &a);
    merge(&runs[3..5], &b);
    let again = dir.path().join("again");
    merge(&[&a, &b, runs[5], runs[6]], &again);
    assert_same(&all, &again);
    // shards of the state alone (--state-only) merge the same
    let states = state_each(&inputs, dir.path());
    let states: Vec<&Path> = states.iter().map(PathBuf::as_path).collect();
    let from_states = dir.path().join("from-states");
    merge(&states, &from_states);
    assert_same(&all, &from_states);
    // the counts of the merged manifest are those of the single run
    let (m, one) = (manifest(&again), manifest(&all));
    assert_eq!(m["records"], one["records"]);
    assert_eq!(m["inputs"], one["inputs"]);
    assert_eq!(m["options"], one["options"]);
    assert_eq!(m["ontology"], one["ontology"]);
    assert_eq!(one["records"]["replaced"], 14);
    assert_eq!(one["records"]["files"], 7);
    // and its warnings: the replacements, as the single run's
    assert_eq!(m["warnings"], one["warnings"]);
    assert!(
        one["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("warning: an id read again replaces the earlier record with that id (14 times)"),
        "{}",
        one["warnings"]
    );
}

/// Runs of other options or another ontology are refused, naming the difference and both
/// values; nothing is written.
#[test]
fn runs_of_other_options_or_ontologies_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = corpus("pubmed/dtd-years/pubmed22n1114.xml.gz");
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    tag(&[&file], &a, &[], 0);
    tag(&[&file], &b, &["--values", "binary", "--exclude", "negated"], 0);
    let ontology = root().join("ontology/sepsis_coagulopathy.yaml");
    let extra = dir.path().join("extra.yaml");
    std::fs::write(
        &extra,
        "concepts:\n  - {id: extra_test, label: Extra test concept, synonyms: [zz extra test term]}\n",
    )
    .unwrap();
    let out = output_in(
        &root(),
        &[
            "tag",
            s(&file),
            "--out-dir",
            s(&c),
            "--ontology",
            s(&ontology),
            "--ontology",
            s(&extra),
            "-q",
        ],
    );
    let merged = dir.path().join("m");
    let out_b = output_in(&root(), &["merge", s(&a), s(&b), "--out-dir", s(&merged)]);
    assert_eq!(common::code(&out_b), 2, "{}", stderr(&out_b));
    assert_eq!(
        stderr(&out_b),
        format!(
            "coagtag: error: {a} and {b} were tagged with different options (exclude: [] in {a}, [\"negated\"] in {b}; values: \"counts\" in {a}, \"binary\" in {b}); tag both with the same options\ncoagtag: nothing written\n",
            a = a.display(),
            b = b.display()
        )
    );
    assert!(!merged.exists());
    if common::code(&out) == 0 {
        let out_c = output_in(&root(), &["merge", s(&a), s(&c), "--out-dir", s(&merged)]);
        assert_eq!(common::code(&out_c), 2);
        assert_eq!(
            stderr(&out_c),
            format!(
                "coagtag: error: {} and {} were tagged with different ontologies: sha256 {} (ontology/sepsis_coagulopathy.yaml (embedded default)) and {} ({}, {}); tag both with the same ontology\ncoagtag: nothing written\n",
                a.display(),
                c.display(),
                manifest(&a)["ontology"]["sha256"].as_str().unwrap(),
                manifest(&c)["ontology"]["sha256"].as_str().unwrap(),
                ontology.display(),
                extra.display()
            )
        );
        assert!(!merged.exists());
    } else {
        panic!("{}", stderr(&out));
    }
    // a directory without a state says so, with the fix
    let out = output_in(&root(), &["merge", s(&a), s(dir.path()), "--out-dir", s(&merged)]);
    assert_eq!(common::code(&out), 2);
    assert_eq!(
        stderr(&out),
        format!(
            "coagtag: error: {}: not found: this directory holds no run state (name directories written by `coagtag tag --out-dir` (without --no-state) or `coagtag merge`, or tag the inputs again)\ncoagtag: nothing written\n",
            dir.path().join("state.jsonl.gz").display()
        )
    );
}

/// pubmed21n1298 cut in three, as a baseline and two update files: the second repeats 2,000
/// articles of the first (one with a new title) and deletes three of it and one id never
/// read; the third is the rest with the file's own DeleteCitation. Runs merged, and a run
/// updated in place, give the bytes of one run over the three.
#[test]
fn pubmed21n1298_in_pieces_merged_and_updated_is_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let xml = {
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(std::fs::File::open(corpus("pubmed/pubmed21n1298.xml.gz")).unwrap()),
            &mut text,
        )
        .unwrap();
        text
    };
    let open = "<PubmedArticle>";
    let starts: Vec<usize> = xml.match_indices(open).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), 20_788);
    let head = &xml[..starts[0]];
    let tail_at = xml.find("<DeleteCitation>").unwrap();
    let article = |i: usize| &xml[starts[i]..*starts.get(i + 1).unwrap_or(&tail_at)];
    let pmid = |i: usize| {
        let a = article(i);
        let at = a.find("<PMID Version=\"1\">").unwrap() + "<PMID Version=\"1\">".len();
        a[at..at + a[at..].find('<').unwrap()].to_string()
    };
    let piece = |name: &str, body: String| {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            common::gzip(format!("{head}{body}</PubmedArticleSet>\n").as_bytes()),
        )
        .unwrap();
        p
    };
    let one = piece("one.xml.gz", (0..8_000).map(article).collect());
    let mut second: String = (6_000..14_000)
        .map(|i| {
            if i == 6_001 {
                article(i).replacen(
                    "<ArticleTitle>",
                    "<ArticleTitle>Sepsis-induced coagulopathy, revised: ",
                    1,
                )
            } else {
                article(i).to_string()
            }
        })
        .collect();
    second.push_str(&format!(
        "<DeleteCitation>\n<PMID Version=\"1\">{}</PMID>\n<PMID Version=\"1\">{}</PMID>\n<PMID Version=\"1\">{}</PMID>\n<PMID Version=\"1\">1</PMID>\n</DeleteCitation>\n",
        pmid(10),
        pmid(2_000),
        pmid(7_000)
    ));
    let two = piece("two.xml.gz", second);
    let mut third: String = (14_000..starts.len()).map(article).collect();
    third.push_str(&xml[tail_at..xml.rfind("</PubmedArticleSet>").unwrap()]);
    let three = piece("three.xml.gz", third);
    drop(xml);

    let all = dir.path().join("all");
    tag(&[&one, &two, &three], &all, &[], 0);
    let m = manifest(&all);
    assert_eq!(m["records"]["read"], 20_788 + 2_000);
    assert_eq!(m["records"]["replaced"], 2_000 + 5);
    let runs = tag_each(&[&one, &two, &three], dir.path());
    let merged = dir.path().join("merged");
    merge(&[&runs[0], &runs[1], &runs[2]], &merged);
    assert_same(&all, &merged);
    assert_eq!(manifest(&merged)["records"], m["records"]);
    // the baseline and the first update, then the second update in place
    let updated = dir.path().join("updated");
    let mut args = vec!["merge", s(&runs[0]), s(&runs[1]), "--out-dir", s(&updated), "-q"];
    run(&args, 0);
    args.clear();
    run(&["tag", "--update", s(&updated), s(&three), "--threads", "2", "-q"], 0);
    assert_same(&all, &updated);
    assert_eq!(manifest(&updated)["records"], m["records"]);
    // nothing left beside it
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// An update with other options is refused and the run is left as it was, byte for byte.
#[test]
fn a_refused_update_leaves_the_run_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let d = corpus("pubmed/dtd-years");
    let run_dir = dir.path().join("run");
    tag(&[&d.join("pubmed21n1062.xml.gz")], &run_dir, &[], 0);
    let before = snapshot(&run_dir);
    let out = output_in(
        &root(),
        &[
            "tag",
            "--update",
            s(&run_dir),
            s(&d.join("pubmed21n1063.xml.gz")),
            "--values",
            "density",
            "-q",
        ],
    );
    assert_eq!(common::code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "coagtag: error: {r} and the new inputs were tagged with different options (values: \"counts\" in {r}, \"density\" in the new inputs); tag both with the same options\ncoagtag: nothing written\ncoagtag: --update: {r} left as it was\n",
            r = run_dir.display()
        )
    );
    assert_eq!(snapshot(&run_dir), before);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["run"]);
    // with the same options it goes through
    run(
        &["tag", "--update", s(&run_dir), s(&d.join("pubmed21n1063.xml.gz")), "-q"],
        0,
    );
    let both = dir.path().join("both");
    tag(
        &[&d.join("pubmed21n1062.xml.gz"), &d.join("pubmed21n1063.xml.gz")],
        &both,
        &[],
        0,
    );
    assert_same(&both, &run_dir);
}

/// A file with a broken record (skipped: exit 1) still makes a run that merges; its warnings
/// reach the merged manifest as the single run's do.
#[test]
fn a_run_with_skipped_records_merges_with_its_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let broken = common::broken_pubmed(dir.path());
    let good = corpus("pubmed/dtd-years/pubmed22n1115.xml.gz");
    let all = dir.path().join("all");
    tag(&[&broken, &good], &all, &[], 1);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    tag(&[&broken], &a, &[], 1);
    tag(&[&good], &b, &[], 0);
    let merged = dir.path().join("merged");
    // the merge itself went well: exit 0
    merge(&[&a, &b], &merged);
    assert_same(&all, &merged);
    let (m, one) = (manifest(&merged), manifest(&all));
    assert_eq!(m["records"], one["records"]);
    assert_eq!(one["records"]["skipped"], 1);
    assert_eq!(m["warnings"], one["warnings"]);
    assert_eq!(
        m["warnings"][0],
        format!(
            "error: {}: byte 5857: record 2: the record has no PMID (fix: every PubmedArticle needs <MedlineCitation><PMID>)",
            broken.display()
        )
    );
}

/// Past a number of articles (`COAGTAG_MATRIX_SPILL_AFTER`, 16,384 by default) the matrix
/// writers keep their columns in a temporary file instead of memory: forced down to a few
/// articles, the small PubMed files merged, tagged in one run, and written as concept rows
/// (one pass over the file per block of rows) give the bytes of the run that kept them all.
#[test]
fn matrices_spilled_to_disk_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let files = common::dtd_year_files();
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let all = dir.path().join("all");
    tag(&inputs, &all, &[], 0);
    let states = state_each(&inputs, dir.path());
    let spilling = with_env("COAGTAG_MATRIX_SPILL_AFTER", "7");
    let merged = dir.path().join("merged");
    spilling(&merge_args(&states, &merged));
    assert_same(&all, &merged);
    let one = dir.path().join("one");
    spilling(&tag_args(&inputs, &one));
    assert_same(&all, &one);
    // concept rows of more articles than the spill keeps, with densities
    let m = dir.path().join("m.csv");
    for (i, spill) in [false, true].into_iter().enumerate() {
        let out = dir.path().join(format!("concepts{i}.csv"));
        let mut args = vec!["tag"];
        args.extend(inputs.iter().map(|p| s(p)));
        args.extend(["--layout", "concepts", "--values", "density", "-o", s(&out), "-q"]);
        if spill {
            spilling(&args);
        } else {
            run(&args, 0);
        }
        if i == 0 {
            std::fs::copy(&out, &m).unwrap();
        } else {
            assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&m).unwrap());
        }
    }
}

/// Past a number of entries (`COAGTAG_IDS_SPILL_AFTER`, 262,144 by default) a run's ids
/// (which article a later one replaces, which a delete record removes) go to temporary files
/// beside the products, sorted in batches and merged at the end: forced down to a few entries,
/// the small PubMed files, deletions of two of their articles and the first file again (read,
/// replaced, deleted and read again) tagged in one run, merged from shards and updated in place
/// give the bytes, counts and warnings of the run that kept them in memory, and leave no file
/// behind.
#[test]
fn ids_spilled_to_disk_decide_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = common::dtd_year_files();
    files.push(corpus("pubmed/medline16n0902.xml.gz"));
    files.push(deletions_of(&files[0], dir.path()));
    files.push(files[0].clone());
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let all = dir.path().join("all");
    tag(&inputs, &all, &[], 0);
    let states = state_each(&inputs, dir.path());
    let spilling = with_env("COAGTAG_IDS_SPILL_AFTER", "3");
    let one = dir.path().join("one");
    spilling(&tag_args(&inputs, &one));
    let merged = dir.path().join("merged");
    spilling(&merge_args(&states, &merged));
    let updated = dir.path().join("updated");
    spilling(&merge_args(&states[..4], &updated));
    let mut args = vec!["tag", "--update", s(&updated)];
    args.extend(inputs[4..].iter().map(|p| s(p)));
    args.extend(["--threads", "2", "-q"]);
    spilling(&args);
    let want = manifest(&all);
    assert_eq!(want["records"]["deleted"], 2);
    // the first file's 29 articles read again: 27 replace, 2 come back after their deletion
    assert_eq!(want["records"]["replaced"], 14 + 27);
    for got in [&one, &merged, &updated] {
        assert_same(&all, got);
        let m = manifest(got);
        assert_eq!(m["records"], want["records"], "{}", got.display());
        assert_eq!(m["warnings"], want["warnings"], "{}", got.display());
    }
    // the temporary files are gone: only the runs are left
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("state"))
        .collect();
    left.sort();
    assert_eq!(left, ["all", "deletions.xml", "merged", "one", "updated"]);
}

/// A PubMed file of one DeleteCitation (`deletions.xml` in `dir`): the PMIDs of `base`'s first
/// and third articles, and one it does not have.
fn deletions_of(base: &Path, dir: &Path) -> PathBuf {
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(base).unwrap()),
        &mut xml,
    )
    .unwrap();
    let pmids: Vec<String> = xml
        .match_indices("<PubmedArticle>")
        .map(|(i, _)| {
            let at = i + xml[i..].find("<PMID").unwrap();
            let at = at + xml[at..].find('>').unwrap() + 1;
            xml[at..at + xml[at..].find('<').unwrap()].to_string()
        })
        .collect();
    let deletions = dir.join("deletions.xml");
    std::fs::write(
        &deletions,
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PubmedArticleSet>\n<DeleteCitation>\n<PMID Version=\"1\">{}</PMID>\n<PMID Version=\"1\">{}</PMID>\n<PMID Version=\"1\">1</PMID>\n</DeleteCitation>\n</PubmedArticleSet>\n",
            pmids[0], pmids[2]
        ),
    )
    .unwrap();
    deletions
}

/// A daily update file may hold only deletions. As a shard (`--state-only`) or through
/// `--update`, its deletions reach the run, as in one run over all the files; as a plain run it
/// writes nothing (exit 2: no article) and says how to apply it.
#[test]
fn an_update_file_of_deletions_only_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let base = common::dtd_year_files().remove(0);
    // the PMIDs of the file's first and third articles, and one the file does not have
    let deletions = deletions_of(&base, dir.path());

    let all = dir.path().join("all");
    tag(&[&base, &deletions], &all, &[], 0);
    assert_eq!(manifest(&all)["records"]["deleted"], 2);
    // through --update
    let updated = dir.path().join("updated");
    tag(&[&base], &updated, &[], 0);
    run(&["tag", "--update", s(&updated), s(&deletions), "-q"], 0);
    assert_same(&all, &updated);
    assert_eq!(manifest(&updated)["records"], manifest(&all)["records"]);
    // as a shard for a merge
    let shard = dir.path().join("shard");
    tag(&[&deletions], &shard, &["--state-only"], 0);
    let baseline = dir.path().join("baseline");
    tag(&[&base], &baseline, &[], 0);
    let merged = dir.path().join("merged");
    merge(&[&baseline, &shard], &merged);
    assert_same(&all, &merged);
    // alone, as a plain run: nothing to write, and the way to apply it
    let out = run(&["tag", s(&deletions), "-o", s(&dir.path().join("m.csv"))], 2);
    assert_eq!(
        stderr(&out),
        "coagtag: error: no article was read from the inputs; nothing written (files already there are untouched)\n\
         coagtag: the inputs hold only deletions (3 ids): to apply them to an earlier run, use `coagtag tag --update RUN_DIR FILE`, or write them as a shard with `--out-dir DIR --state-only` for `coagtag merge`\n"
    );
    assert!(!dir.path().join("m.csv").exists());
}
