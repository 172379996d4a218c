//! The report in a real browser: headless Chromium, driven through chromedriver (WebDriver),
//! loads `report.html` with no console error; the page holds what the products say; a filter, a
//! heatmap cell, a co-occurrence cell and a concept lead to the right articles and sentences;
//! a screenshot is not blank. Every expected value is counted here from the CSV products.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install -y chromium chromium-driver`;
//! `.ci/run` installs them). The test fails, with that fix, where they are missing.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::webdriver::Browser;
use common::{corpus, read_csv_named as read_csv, run, s};
use serde_json::json;

const FIXTURE: &str = "fixtures/sepsis25.jsonl";

/// What the products say, to check the page against.
struct Products {
    articles: Vec<BTreeMap<String, String>>,
    evidence: Vec<BTreeMap<String, String>>,
    /// Top-level categories and concepts, in the order of summary.csv (the page's indices).
    categories: Vec<String>,
    concepts: Vec<(String, String, u64)>,
    years: Vec<String>,
    cooccurrence: Vec<BTreeMap<String, String>>,
}

impl Products {
    fn read(dir: &Path) -> Products {
        let summary = read_csv(&dir.join("summary.csv"));
        let trends = read_csv(&dir.join("trends.csv"));
        Products {
            articles: read_csv(&dir.join("articles.csv")),
            evidence: read_csv(&dir.join("evidence.csv")),
            categories: summary
                .iter()
                .filter(|r| r["level"] == "category" && r["category"].is_empty())
                .map(|r| r["id"].clone())
                .collect(),
            concepts: summary
                .iter()
                .filter(|r| r["level"] == "concept")
                .map(|r| (r["id"].clone(), r["category"].clone(), r["articles"].parse().unwrap()))
                .collect(),
            years: trends
                .iter()
                .filter(|r| r["level"] == "any")
                .map(|r| r["year"].clone())
                .collect(),
            cooccurrence: read_csv(&dir.join("cooccurrence.csv")),
        }
    }

    fn category(&self, id: &str) -> usize {
        self.categories.iter().position(|c| c == id).unwrap()
    }

    /// Ids of the articles (in input order) with an evidence row that passes `keep`.
    fn articles_with(&self, keep: impl Fn(&BTreeMap<String, String>) -> bool) -> Vec<String> {
        let hit: BTreeSet<&str> = self
            .evidence
            .iter()
            .filter(|r| keep(r))
            .map(|r| r["article_id"].as_str())
            .collect();
        self.articles
            .iter()
            .filter(|a| hit.contains(a["article_id"].as_str()))
            .map(|a| a["article_id"].clone())
            .collect()
    }
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// The page's result count and the ids of the cards shown.
fn results(b: &Browser) -> (u64, Vec<String>) {
    let v = b.script(
        "return [+document.querySelector('#result-count').getAttribute('data-n'),
                 Array.from(document.querySelectorAll('#article-list article.card')).map(c => c.getAttribute('data-id'))];",
        json!([]),
    );
    let ids = v[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    (v[0].as_u64().unwrap(), ids)
}

fn no_console_errors(b: &Browser) {
    let severe: Vec<(String, String)> = b.console().into_iter().filter(|(l, _)| l == "SEVERE").collect();
    assert!(severe.is_empty(), "console errors: {severe:?}");
}

/// A PNG that shows something: many colours, and a good part of it not white.
fn assert_not_blank(png_bytes: &[u8], path: &Path) {
    std::fs::write(path, png_bytes).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let (mut colours, mut ink, mut total) = (BTreeSet::new(), 0u64, 0u64);
    for p in pixels {
        total += 1;
        colours.insert(p[..3].to_vec());
        if p[..3].iter().any(|&c| c < 235) {
            ink += 1;
        }
    }
    assert!(
        info.width >= 1000 && info.height >= 700,
        "{}x{}",
        info.width,
        info.height
    );
    assert!(colours.len() > 50, "{} colours in {}", colours.len(), path.display());
    assert!(
        ink * 20 > total,
        "only {ink} of {total} pixels are not white: {}",
        path.display()
    );
}

/// Whitespace runs as one space, trimmed (as evidence.csv writes sentences).
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_fixture_report_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["tag", FIXTURE, "--out-dir", s(&out), "-q"], 0);
    let p = Products::read(&out);
    let b = Browser::start(&dir.path().join("profile"), 1400, 1000);
    b.goto(&file_url(&out.join("report.html")));
    b.wait_for("document.body.getAttribute('data-ready') === '1'", "the page to draw");
    no_console_errors(&b);

    // the headline, the heatmaps and the tables hold what the products hold
    let with_mention: Vec<&BTreeMap<String, String>> = p.articles.iter().filter(|a| a["mentions"] != "0").collect();
    let mentions: u64 = p.articles.iter().map(|a| a["mentions"].parse::<u64>().unwrap()).sum();
    let dom = b.script(
        "const n = s => document.querySelector(s).textContent;
         const all = s => document.querySelectorAll(s).length;
         return {articles: n('[data-k=articles] .n'), withMention: n('[data-k=with-mention] .n'),
                 mentions: n('[data-k=mentions] .n'), heat: all('#heat-year td[data-cat]'),
                 catCooc: all('#heat-cat td[data-a]'), conceptCooc: all('#heat-concept td[data-a]'),
                 conceptRows: all('#concept-table tbody tr'), cards: all('#article-list article.card'),
                 marked: Array.from(document.querySelectorAll('#article-list mark.m'))
                   .map(m => m.getAttribute('data-m').split(',').length).reduce((a, b) => a + b, 0)};",
        json!([]),
    );
    let mentioned_concepts = p.concepts.iter().filter(|c| c.2 > 0).count();
    let mentioned_categories = p
        .cooccurrence
        .iter()
        .filter(|r| r["level"] == "category" && r["a"] == r["b"])
        .count();
    let first_page: BTreeSet<&str> = with_mention.iter().take(20).map(|a| a["article_id"].as_str()).collect();
    let rows_on_page = p
        .evidence
        .iter()
        .filter(|r| first_page.contains(r["article_id"].as_str()))
        .count();
    assert_eq!(
        dom,
        json!({
            "articles": p.articles.len().to_string(),
            "withMention": with_mention.len().to_string(),
            "mentions": mentions.to_string(),
            "heat": p.categories.len() * p.years.len(),
            "catCooc": mentioned_categories * mentioned_categories,
            "conceptCooc": 25 * 25,
            "conceptRows": mentioned_concepts,
            "cards": 20,
            // every mention of the page's articles is highlighted (overlapping ones share a mark)
            "marked": rows_on_page,
        })
    );
    assert_eq!((p.articles.len(), with_mention.len(), mentions), (25, 25, 472));
    let (n, ids) = results(&b);
    assert_eq!(n, 25);
    let want: Vec<String> = with_mention.iter().take(20).map(|a| a["article_id"].clone()).collect();
    assert_eq!(ids, want);

    // a filter: the articles with a mention that evidences platelet activation (in_rollup yes:
    // a platelet named without a process of it does not count, as in categories.csv)
    let platelets = p.category("platelet_activation");
    b.click(&format!("#f-cat option[value=\"{platelets}\"]"));
    let want =
        p.articles_with(|r| r["in_rollup"] == "yes" && r["category"].split("; ").any(|c| c == "platelet_activation"));
    assert_eq!(want.len(), 4);
    assert_eq!(results(&b), (want.len() as u64, want));
    b.click("#f-clear");
    assert_eq!(results(&b).0, 25);

    // a heatmap cell: coagulation activation in 1979, the articles and the sentences behind it
    let coag = p.category("coagulation_activation");
    let y1979 = p.years.iter().position(|y| y == "1979").unwrap();
    b.click(&format!("#heat-year td[data-cat=\"{coag}\"][data-year=\"{y1979}\"]"));
    let year_of: BTreeMap<&str, &str> = p
        .articles
        .iter()
        .map(|a| (a["article_id"].as_str(), a["year"].as_str()))
        .collect();
    let counts_for =
        |r: &BTreeMap<String, String>, c: &str| r["in_rollup"] == "yes" && r["category"].split("; ").any(|x| x == c);
    let want =
        p.articles_with(|r| counts_for(r, "coagulation_activation") && year_of[r["article_id"].as_str()] == "1979");
    assert_eq!(want.len(), 7);
    assert_eq!(results(&b), (want.len() as u64, want.clone()));
    let shown = b.script(
        "return Array.from(document.querySelectorAll('#article-list article.card')).map(c => [
           c.getAttribute('data-id'),
           Array.from(c.querySelectorAll('ul.evidence li')).map(li => li.textContent),
           Array.from(c.querySelectorAll('mark.m.focus')).map(m => +m.getAttribute('data-c'))]);",
        json!([]),
    );
    let concept_category: Vec<&str> = p.concepts.iter().map(|c| c.1.as_str()).collect();
    for card in shown.as_array().unwrap() {
        let id = card[0].as_str().unwrap();
        // the sentences behind the cell: those evidence.csv gives for the category's mentions
        // outside the title, each once, in order
        let mut behind: Vec<String> = Vec::new();
        for r in p
            .evidence
            .iter()
            .filter(|r| r["article_id"] == id && counts_for(r, "coagulation_activation") && r["section"] != "title")
        {
            if !behind.contains(&r["sentence"]) {
                behind.push(r["sentence"].clone());
            }
        }
        let sentences: Vec<String> = card[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| collapse(s.as_str().unwrap()))
            .collect();
        assert_eq!(sentences, behind, "article {id}");
        let focus = card[2].as_array().unwrap();
        assert!(!focus.is_empty(), "article {id}: no mention in focus");
        for c in focus {
            assert_eq!(
                concept_category[c.as_u64().unwrap() as usize],
                "coagulation_activation",
                "article {id}"
            );
        }
    }

    // a co-occurrence cell: articles mentioning both coagulation activation and clinical coagulopathy
    let clinical = p.category("clinical_coagulopathy");
    b.click(&format!("#heat-cat td[data-a=\"{coag}\"][data-b=\"{clinical}\"]"));
    let both = p
        .cooccurrence
        .iter()
        .find(|r| r["level"] == "category" && r["a"] == "coagulation_activation" && r["b"] == "clinical_coagulopathy")
        .unwrap()["articles"]
        .parse::<u64>()
        .unwrap();
    let a: BTreeSet<String> = p
        .articles_with(|r| counts_for(r, "coagulation_activation"))
        .into_iter()
        .collect();
    let want: Vec<String> = p
        .articles_with(|r| counts_for(r, "clinical_coagulopathy"))
        .into_iter()
        .filter(|id| a.contains(id))
        .collect();
    assert_eq!(want.len() as u64, both);
    assert_eq!(results(&b), (both, want));

    // a concept of the table: its articles
    let (k, (tf, _, tf_articles)) = p
        .concepts
        .iter()
        .enumerate()
        .find(|(_, c)| c.0 == "tissue_factor")
        .unwrap();
    b.click(&format!("#concept-table tr[data-concept=\"{k}\"] button"));
    let want = p.articles_with(|r| r["concept_id"] == *tf);
    assert_eq!(want.len() as u64, *tf_articles);
    assert_eq!(results(&b), (*tf_articles, want));

    // hovering a mention shows its concept and the rule that found it
    b.click("#f-clear");
    let tip = b.script(
        "const m = document.querySelector('#article-list mark.m');
         m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, clientX: 100, clientY: 100}));
         const t = document.getElementById('tip');
         return [t.style.display, t.textContent, m.getAttribute('data-c')];",
        json!([]),
    );
    let c = &p.concepts[tip[2].as_str().unwrap().parse::<usize>().unwrap()];
    assert_eq!(tip[0], "block");
    let text = tip[1].as_str().unwrap();
    assert!(text.contains(&c.0) && text.contains("via: "), "{text}");

    b.script("window.scrollTo(0, 0);", json!([]));
    assert_not_blank(
        &b.screenshot(),
        &PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-fixture.png"),
    );
    no_console_errors(&b);
}

#[test]
fn the_pubmed_update_file_report_in_chromium() {
    let input = corpus("pubmed/pubmed21n1298.xml.gz");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["tag", s(&input), "--out-dir", s(&out), "-q"], 0);
    let page = out.join("report.html");
    let bytes = std::fs::metadata(&page).unwrap().len();
    assert!(bytes < 20_000_000, "{bytes} bytes");
    let p = Products::read(&out);
    let with_mention = p.articles.iter().filter(|a| a["mentions"] != "0").count();
    assert_eq!((p.articles.len(), with_mention), (20_783, 3_757));

    let b = Browser::start(&dir.path().join("profile"), 1400, 1000);
    let start = Instant::now();
    b.goto(&file_url(&page));
    b.wait_for("document.body.getAttribute('data-ready') === '1'", "the page to draw");
    // for BENCHMARKS.md (not asserted: timings depend on the machine)
    eprintln!(
        "report.html: {bytes} bytes, drawn {:.2} s after navigation",
        start.elapsed().as_secs_f64()
    );
    no_console_errors(&b);
    assert_eq!(results(&b).0, with_mention as u64);
    let pages = b.script("return document.querySelector('.pager span').textContent;", json!([]));
    assert_eq!(pages, json!(format!("Page 1 of {}", with_mention.div_ceil(20))));

    // a concept typed into the filter: its articles, all of them in the page
    let (_, (id, _, n)) = p
        .concepts
        .iter()
        .enumerate()
        .find(|(_, c)| c.0 == "oxidative_stress")
        .unwrap();
    b.script(
        "const i = document.getElementById('f-concept'); i.value = arguments[0];
         i.dispatchEvent(new Event('change'));",
        json!([id]),
    );
    let want = p.articles_with(|r| r["concept_id"] == *id);
    assert_eq!(want.len() as u64, *n);
    let (count, ids) = results(&b);
    assert_eq!(count, *n);
    assert_eq!(ids, want[..20]);
    b.click(".pager .next");
    assert_eq!(results(&b).1, want[20..40]);
    no_console_errors(&b);
    assert_not_blank(
        &b.screenshot(),
        &PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-pubmed21n1298.png"),
    );
}

/// The evidence as a later run will write it: the columns of "Mechanism evidence" (`role`,
/// `in_rollup`) and "Qualifiers" (`polarity`, `certainty`, `direction` and their cues) after
/// `via`. Platelets are a participant that does not count for its category; every third mention
/// is negated, every fourth hedged.
fn add_future_columns(evidence: &Path) {
    let rows = read_csv(evidence);
    let old: Vec<String> = csv::Reader::from_path(evidence)
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let via = old.iter().position(|h| h == "via").unwrap();
    let new = [
        "role",
        "in_rollup",
        "polarity",
        "certainty",
        "direction",
        "polarity_cue",
        "certainty_cue",
        "direction_cue",
    ];
    // the columns the run did not write go right after `via`; those it wrote get the values below
    let missing = new.iter().copied().filter(|n| !old.iter().any(|h| h == n));
    let header: Vec<&str> = old[..=via]
        .iter()
        .map(String::as_str)
        .chain(missing)
        .chain(old[via + 1..].iter().map(String::as_str))
        .collect();
    let mut w = csv::Writer::from_path(evidence).unwrap();
    w.write_record(&header).unwrap();
    for (i, r) in rows.iter().enumerate() {
        let participant = r["concept_id"] == "platelets";
        let (negated, hedged) = (i % 3 == 0, i % 4 == 0);
        let value = |h: &str| -> String {
            match h {
                "role" => if participant { "participant" } else { "mechanism" }.into(),
                "in_rollup" => if participant { "no" } else { "yes" }.into(),
                "polarity" => if negated { "negated" } else { "affirmed" }.into(),
                "certainty" => if hedged { "hedged" } else { "stated" }.into(),
                "direction" => "none".into(),
                "polarity_cue" => if negated { "not" } else { "" }.into(),
                "certainty_cue" => if hedged { "may" } else { "" }.into(),
                "direction_cue" => String::new(),
                h => r[h].clone(),
            }
        };
        w.write_record(header.iter().map(|h| value(h))).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn columns_a_later_run_adds_reach_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["tag", FIXTURE, "--out-dir", s(&out), "-q"], 0);
    add_future_columns(&out.join("evidence.csv"));
    run(&["report", s(&out), "-q"], 0);
    let p = Products::read(&out);
    let b = Browser::start(&dir.path().join("profile"), 1400, 1000);
    b.goto(&file_url(&out.join("report.html")));
    b.wait_for("document.body.getAttribute('data-ready') === '1'", "the page to draw");
    no_console_errors(&b);
    // a filter for each new attribute with few values; none for the cues
    let filters = b.script(
        "return Array.from(document.querySelectorAll('select[data-attr]')).map(s => s.getAttribute('data-attr'));",
        json!([]),
    );
    let mut want = vec!["via", "role", "in_rollup", "polarity", "certainty"];
    if p.evidence[0].contains_key("section_kind") {
        want.insert(0, "section_kind");
    }
    assert_eq!(filters, json!(want));
    // negated mentions only
    b.script(
        "const s = document.querySelector('select[data-attr=polarity]'); s.value = 'negated';
         s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let want = p.articles_with(|r| r["polarity"] == "negated");
    assert_eq!(results(&b).0, want.len() as u64);
    // their marks are struck through, and the hover says why, with the cue
    let tip = b.script(
        "const m = document.querySelector('#article-list mark.m.neg.focus');
         m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, clientX: 50, clientY: 50}));
         return document.getElementById('tip').textContent;",
        json!([]),
    );
    let tip = tip.as_str().unwrap();
    assert!(
        tip.contains("polarity: negated (“not”)") && tip.contains("role: "),
        "{tip}"
    );
    b.click("#f-clear");
    // a category counts only the mentions that count for it: platelets alone do not
    let platelets = p.category("platelet_activation");
    b.click(&format!("#f-cat option[value=\"{platelets}\"]"));
    let want = p.articles_with(|r| r["category"] == "platelet_activation" && r["in_rollup"] == "yes");
    let only_participants = p.articles_with(|r| r["category"] == "platelet_activation").len() - want.len();
    assert!(
        only_participants > 0,
        "the fixture has articles where only platelets are named"
    );
    assert_eq!(results(&b), (want.len() as u64, want.into_iter().take(20).collect()));
    no_console_errors(&b);
}
