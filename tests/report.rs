//! `trends.csv`, `report.html`, `figures/` and `coagtag report DIR`, checked against the other
//! products of the same run (every expected number is counted here from them) and on the whole
//! pubmed21n1298 update file. The page in a real browser: `tests/report_browser.rs`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;

use common::{corpus, read_csv_named as read_csv, root, run, s};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

const FIXTURE: &str = "fixtures/sepsis25.jsonl";
/// The evidence columns that are not a mention's attributes (the page shows the others).
const CORE: [&str; 9] = [
    "article_id",
    "concept_id",
    "label",
    "category",
    "text",
    "section",
    "start",
    "end",
    "sentence",
];

/// The data a page holds (the JSON in its `#data` element).
fn page_data(page: &Path) -> Value {
    let html = std::fs::read_to_string(page).unwrap();
    let start = html.find(r#"<script id="data" type="application/json">"#).unwrap();
    let rest = &html[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap()
}

fn texts_lines(path: &Path) -> usize {
    BufReader::new(flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap()))
        .lines()
        .count()
}

fn n(s: &str) -> u64 {
    s.parse().unwrap()
}

/// `coagtag report` on a run's directory writes the page the run wrote, byte for byte.
fn assert_rebuilt_the_same(out: &Path, scratch: &Path) {
    let again = scratch.join("again.html");
    let figures = scratch.join("again-figures");
    run(&["report", s(out), "-o", s(&again), "--figures", s(&figures), "-q"], 0);
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(out.join("report.html")).unwrap()
    );
}

/// `trends.csv` counted again from `articles.csv` and `evidence.csv`: every row, and nothing more.
fn assert_trends_add_up(dir: &Path) -> BTreeMap<String, u64> {
    let articles = read_csv(&dir.join("articles.csv"));
    let evidence = read_csv(&dir.join("evidence.csv"));
    let trends = read_csv(&dir.join("trends.csv"));
    let summary = read_csv(&dir.join("summary.csv"));
    let year_of: BTreeMap<&str, &str> = articles
        .iter()
        .map(|a| (a["article_id"].as_str(), a["year"].as_str()))
        .collect();
    let mut year_articles: BTreeMap<String, u64> = BTreeMap::new();
    let mut any: BTreeMap<String, u64> = BTreeMap::new();
    for a in &articles {
        *year_articles.entry(a["year"].clone()).or_default() += 1;
        if a["mentions"] != "0" {
            *any.entry(a["year"].clone()).or_default() += 1;
        }
    }
    // (level, id, year) -> (articles, mentions), from the evidence
    let mut want: BTreeMap<(String, String, String), (BTreeSet<String>, u64)> = BTreeMap::new();
    for r in &evidence {
        let year = year_of[r["article_id"].as_str()].to_string();
        // a concept row counts every mention; a category row the mentions that evidence it
        // (in_rollup yes), under each of the concept's categories
        let categories = r["category"].split("; ").filter(|_| r["in_rollup"] == "yes");
        let keys = std::iter::once(("concept", r["concept_id"].as_str())).chain(categories.map(|c| ("category", c)));
        for (level, id) in keys {
            let e = want.entry((level.into(), id.to_string(), year.clone())).or_default();
            e.0.insert(r["article_id"].clone());
            e.1 += 1;
        }
    }
    let categories: Vec<&str> = summary
        .iter()
        .filter(|r| r["level"] == "category")
        .map(|r| r["id"].as_str())
        .collect();
    let mut seen = BTreeSet::new();
    for r in &trends {
        let (year, level, id) = (r["year"].clone(), r["level"].clone(), r["id"].clone());
        assert_eq!(n(&r["year_articles"]), year_articles[&year], "year {year}");
        // four decimals, rounded half up: 1/32 is 0.0313
        let (part, whole) = (n(&r["articles"]), n(&r["year_articles"]));
        let tenths_of_thousandths = (part * 20_000 + whole) / (2 * whole);
        let share = format!(
            "{}.{:04}",
            tenths_of_thousandths / 10_000,
            tenths_of_thousandths % 10_000
        );
        assert_eq!(r["share"], share, "{r:?}");
        if level == "any" {
            assert_eq!(n(&r["articles"]), any.get(&year).copied().unwrap_or(0), "any, {year}");
            continue;
        }
        let (a, m) = want
            .get(&(level.clone(), id.clone(), year.clone()))
            .map_or((0, 0), |(a, m)| (a.len() as u64, *m));
        assert_eq!((n(&r["articles"]), n(&r["mentions"])), (a, m), "{level} {id} {year}");
        if level == "concept" {
            assert!(a > 0, "a concept row without mentions: {r:?}");
        }
        seen.insert((level, id, year));
    }
    // nothing left out: every concept and year of the evidence, every category in every year
    // (a context root such as related_context is listed in the category field but is no row)
    for key in want
        .keys()
        .filter(|(l, id, _)| l == "concept" || categories.contains(&id.as_str()))
    {
        assert!(seen.contains(key), "no trends row for {key:?}");
    }
    for c in &categories {
        for y in year_articles.keys() {
            assert!(seen.contains(&("category".into(), c.to_string(), y.clone())), "{c} {y}");
        }
    }
    // summed over the years, the totals of summary.csv
    assert_trends_sum_to_summary(dir);
    // every article is counted in one year, the empty one included
    assert_eq!(year_articles.values().sum::<u64>(), articles.len() as u64);
    year_articles
}

/// Summed over the years, the articles and mentions of every trends series are those of
/// summary.csv.
fn assert_trends_sum_to_summary(dir: &Path) {
    let mut totals: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for r in read_csv(&dir.join("trends.csv")).iter().filter(|r| r["level"] != "any") {
        let t = totals.entry((r["level"].clone(), r["id"].clone())).or_default();
        t.0 += n(&r["articles"]);
        t.1 += n(&r["mentions"]);
    }
    for r in read_csv(&dir.join("summary.csv")) {
        let t = totals
            .get(&(r["level"].clone(), r["id"].clone()))
            .copied()
            .unwrap_or((0, 0));
        assert_eq!(t, (n(&r["articles"]), n(&r["mentions"])), "{} {}", r["level"], r["id"]);
    }
}

/// Every mention of the page's articles is where evidence.csv says: same concept, same text.
fn assert_page_mentions_are_the_evidence(dir: &Path, data: &Value) {
    let evidence = read_csv(&dir.join("evidence.csv"));
    let concepts: Vec<&str> = data["head"]["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let mut rows: BTreeMap<&str, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    for r in &evidence {
        rows.entry(r["article_id"].as_str()).or_default().push(r);
    }
    let mut checked = 0;
    for art in data["articles"].as_array().unwrap() {
        let id = art[0].as_str().unwrap();
        let passages: Vec<Vec<u16>> = art[6]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[1].as_str().unwrap().encode_utf16().collect())
            .collect();
        let flat: Vec<usize> = art[7]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let want = &rows[id];
        assert_eq!(flat.len() / 5, want.len(), "article {id}");
        for (m, r) in flat.chunks(5).zip(want) {
            let text = String::from_utf16(&passages[m[0]][m[1]..m[2]]).unwrap();
            assert_eq!(
                (concepts[m[3]], text.as_str()),
                (r["concept_id"].as_str(), r["text"].as_str()),
                "article {id}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, evidence.len());
}

#[test]
fn trends_report_and_rebuild_on_the_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["tag", FIXTURE, "--out-dir", s(&out), "-q"], 0);
    let years = assert_trends_add_up(&out);
    // 25 articles: two without a year, counted under the empty one
    assert_eq!(
        years,
        BTreeMap::from(
            [
                ("", 2),
                ("1977", 3),
                ("1978", 3),
                ("1979", 7),
                ("2019", 1),
                ("2020", 2),
                ("2021", 7)
            ]
            .map(|(y, k)| (y.to_string(), k))
        )
    );
    let data = page_data(&out.join("report.html"));
    assert_eq!(data["head"]["withMention"], 25);
    assert_eq!(data["head"]["shown"], 25);
    assert_eq!(
        data["head"]["years"],
        serde_json::json!(["1977", "1978", "1979", "2019", "2020", "2021", ""])
    );
    assert_eq!(texts_lines(&out.join("texts.jsonl.gz")), 25);
    assert_page_mentions_are_the_evidence(&out, &data);
    // every evidence column after the core ones is a mention attribute on the page
    let attrs: Vec<String> = common::read_csv(&out.join("evidence.csv"))
        .swap_remove(0)
        .into_iter()
        .filter(|h| !CORE.contains(&h.as_str()))
        .collect();
    assert_eq!(data["head"]["attrNames"], serde_json::json!(attrs));
    for a in ["term", "via"] {
        assert!(attrs.iter().any(|x| x == a), "{attrs:?}");
    }

    // rebuilt from the directory: the same bytes, for the page and every figure
    let again = dir.path().join("again.html");
    let figures = dir.path().join("figs");
    let o = run(&["report", s(&out), "-o", s(&again), "--figures", s(&figures)], 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("25 articles with a mention"));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(out.join("report.html")).unwrap()
    );
    for name in common::figures() {
        assert_eq!(
            std::fs::read(figures.join(name)).unwrap(),
            std::fs::read(out.join("figures").join(name)).unwrap(),
            "{name}"
        );
    }
    // also from the products in Excel's dialect (byte-order mark, CRLF, guarded cells)
    let excel = dir.path().join("excel");
    run(&["tag", FIXTURE, "--out-dir", s(&excel), "--excel", "-q"], 0);
    run(&["report", s(&excel), "-o", s(&again), "-q"], 0);
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(out.join("report.html")).unwrap()
    );
}

#[test]
fn trends_and_report_on_pubmed21n1298() {
    let input = corpus("pubmed/pubmed21n1298.xml.gz");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["tag", s(&input), "--out-dir", s(&out), "-q"], 0);
    let years = assert_trends_add_up(&out);
    assert_eq!(years.values().sum::<u64>(), 20_783);
    assert_eq!(years["2021"], 19_370);
    assert_eq!(years["2020"], 1_170);
    assert!(!years.contains_key(""), "every record of the file has a year");
    let trends = read_csv(&out.join("trends.csv"));
    let any_2021 = trends
        .iter()
        .find(|r| r["level"] == "any" && r["year"] == "2021")
        .unwrap();
    assert_eq!((n(&any_2021["articles"]), &any_2021["share"][..]), (3_600, "0.1859"));

    // the whole file's report: under 20 MB, every article with a mention in it
    let page = out.join("report.html");
    let bytes = std::fs::metadata(&page).unwrap().len();
    assert!(bytes < 20_000_000, "{bytes} bytes");
    let data = page_data(&page);
    assert_eq!(
        (data["head"]["withMention"].as_u64(), data["head"]["shown"].as_u64()),
        (Some(3_757), Some(3_757))
    );
    assert_eq!(data["articles"].as_array().unwrap().len(), 3_757);
    assert_eq!(texts_lines(&out.join("texts.jsonl.gz")), 3_757);
    assert_page_mentions_are_the_evidence(&out, &data);
    assert_rebuilt_the_same(&out, dir.path());
}

/// A text element of an SVG figure: its box by the layout's own estimate of text widths.
#[derive(Debug)]
struct Label {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn labels(svg: &str) -> Vec<Label> {
    let mut r = Reader::from_str(svg);
    let mut out = Vec::new();
    let mut open: Option<BTreeMap<String, String>> = None;
    let mut text = String::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "text" => {
                text.clear();
                open = Some(
                    e.attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap();
                            (a.key.as_ref().to_string(), v.into_owned())
                        })
                        .collect(),
                );
            }
            Event::Text(t) if open.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if open.is_some() => text.push(match &*g.xml10_content() {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" | "#39" => '\'',
                other => panic!("entity {other}"),
            }),
            Event::End(e) if e.name().as_ref() == "text" => {
                let attrs = open.take().unwrap();
                let text = text.trim().to_string();
                let f = |k: &str| attrs[k].parse::<f64>().unwrap();
                let (x, y, size) = (f("x"), f("y"), f("font-size"));
                // the figures reserve 0.62 em per character
                let w = text.chars().count() as f64 * size * 0.62;
                let (a, b) = match attrs["text-anchor"].as_str() {
                    "start" => (0.0, w),
                    "end" => (-w, 0.0),
                    _ => (-w / 2.0, w / 2.0),
                };
                let (c, d) = match attrs.get("dy").map(String::as_str) {
                    Some("0.76em") => (0.0, size),
                    Some("-0.5ex") => (-size, 0.0),
                    _ => (-size / 2.0, size / 2.0),
                };
                out.push(if attrs.get("transform").is_some_and(|t| t.starts_with("rotate(270")) {
                    // turned a quarter left around (x, y): along the text is up the page
                    Label {
                        text,
                        x0: x + c,
                        x1: x + d,
                        y0: y - b,
                        y1: y - a,
                    }
                } else {
                    Label {
                        text,
                        x0: x + a,
                        x1: x + b,
                        y0: y + c,
                        y1: y + d,
                    }
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn assert_readable(svg: &str, name: &str, must_have: &[&str]) {
    let ls = labels(svg);
    let texts: BTreeSet<&str> = ls.iter().map(|l| l.text.as_str()).collect();
    for m in must_have {
        assert!(texts.contains(m), "{name}: no label {m:?}");
    }
    for (i, a) in ls.iter().enumerate() {
        for b in &ls[i + 1..] {
            // one pixel of slack for rounding
            let apart = a.x1 <= b.x0 + 1.0 || b.x1 <= a.x0 + 1.0 || a.y1 <= b.y0 + 1.0 || b.y1 <= a.y0 + 1.0;
            assert!(apart, "{name}: {:?} overlaps {:?}", a, b);
        }
    }
}

#[test]
fn figures_have_a_legend_and_no_overlapping_labels() {
    let dir = tempfile::tempdir().unwrap();
    for (name, input) in [
        ("fixture", root().join(FIXTURE)),
        ("sepsis", corpus("sepsis/sepsis_coag_subset.xml.gz")),
    ] {
        let out = dir.path().join(name);
        run(&["tag", s(&input), "--out-dir", s(&out), "-q"], 0);
        let fig = |f: &str| std::fs::read_to_string(out.join("figures").join(f)).unwrap();
        let categories: Vec<String> = read_csv(&out.join("summary.csv"))
            .into_iter()
            .filter(|r| r["level"] == "category")
            .map(|r| r["label"].clone())
            .collect();
        let cats: Vec<&str> = categories.iter().map(String::as_str).collect();
        let mut want = cats.clone();
        want.extend(["Share of the year's articles", "articles that year", "0%"]);
        assert_readable(&fig("category_by_year.svg"), "category_by_year", &want);
        let mut want = cats.clone();
        want.extend(["Publication year", "Share of the year's articles"]);
        assert_readable(&fig("trends.svg"), "trends", &want);
        assert_readable(
            &fig("category_cooccurrence.svg"),
            "category_cooccurrence",
            &["Articles mentioning both", "Sepsis", "Clinical coagulopathy"],
        );
        assert_readable(
            &fig("concept_cooccurrence.svg"),
            "concept_cooccurrence",
            &["Articles mentioning both"],
        );
        // a colour scale: the legend's gradient
        assert!(fig("category_by_year.svg").matches("fill=\"#").count() > 46);
    }
}

#[test]
fn a_rebuild_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["tag", FIXTURE, "--out-dir", s(&out), "-q"], 0);
    // an older directory without the texts
    let old = dir.path().join("old");
    std::fs::create_dir(&old).unwrap();
    for f in [
        "manifest.json",
        "summary.csv",
        "cooccurrence.csv",
        "trends.csv",
        "evidence.csv",
    ] {
        std::fs::copy(out.join(f), old.join(f)).unwrap();
    }
    let o = run(&["report", s(&old)], 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("old/texts.jsonl.gz: no texts product here") && err.contains("coagtag tag --out-dir DIR"),
        "{err}"
    );
    assert!(!old.join("report.html").exists());
    // the evidence of another run
    std::fs::copy(out.join("texts.jsonl.gz"), old.join("texts.jsonl.gz")).unwrap();
    let other = dir.path().join("other");
    run(&["tag", "fixtures/medline4.txt", "--out-dir", s(&other), "-q"], 0);
    std::fs::copy(other.join("evidence.csv"), old.join("evidence.csv")).unwrap();
    let err = String::from_utf8_lossy(&run(&["report", s(&old)], 2).stderr).to_string();
    assert!(err.contains("written by the same run?"), "{err}");
    // not an output directory at all
    let err = String::from_utf8_lossy(&run(&["report", "fixtures"], 2).stderr).to_string();
    assert!(
        err.contains("manifest.json") && err.contains("coagtag tag --out-dir DIR"),
        "{err}"
    );
}

#[test]
fn the_page_names_its_filters_and_holds_no_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run(&["tag", FIXTURE, "--sections", "title", "--out-dir", s(&out), "-q"], 0);
    let page = out.join("report.html");
    let data = page_data(&page);
    assert_eq!(
        data["head"]["facts"]["filters"],
        serde_json::json!(["--sections title"])
    );
    // only titles: every passage with a mention is a title
    for art in data["articles"].as_array().unwrap() {
        for m in art[7].as_array().unwrap().chunks(5) {
            assert_eq!(art[6][m[0].as_u64().unwrap() as usize][0], "title");
        }
    }
    // the run's day (from its manifest) is nowhere in the page or the figures
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let day = &manifest["started"].as_str().unwrap()[..10];
    assert!(!std::fs::read_to_string(&page).unwrap().contains(day));
    for f in std::fs::read_dir(out.join("figures")).unwrap() {
        assert!(!std::fs::read_to_string(f.unwrap().path()).unwrap().contains(day));
    }
}

#[test]
fn full_texts_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    // a short full text (the cut-down fixture): whole, with its sections' headings
    let out = dir.path().join("short");
    run(&["tag", "fixtures/PMC1617083.nxml", "--out-dir", s(&out), "-q"], 0);
    let data = page_data(&out.join("report.html"));
    assert_eq!(data["head"]["withMention"], 1);
    let art = &data["articles"][0];
    assert_eq!(
        (&art[0], &art[8]),
        (&Value::from("PMC1617083"), &Value::from(1)),
        "a full text"
    );
    let passages = art[6].as_array().unwrap();
    assert_eq!(passages[0][0], "title");
    assert!(passages.iter().all(|p| p[3] == 0), "whole sections");
    assert!(
        passages
            .iter()
            .any(|p| p[0] == "results: Plg and PAI-1 higher in A/J than B6 mice"),
        "headings kept"
    );
    assert_page_mentions_are_the_evidence(&out, &data);
    // the totals per year add up to summary.csv's (the full-text rule in both)
    assert_trends_sum_to_summary(&out);

    // a long one (157,344 characters): its title, then only the sentences with a mention
    let input = corpus("jats/allofplos/journal.pone.0012262.xml");
    let out = dir.path().join("long");
    run(&["tag", s(&input), "--out-dir", s(&out), "-q"], 0);
    let data = page_data(&out.join("report.html"));
    let art = &data["articles"][0];
    let passages = art[6].as_array().unwrap();
    assert_eq!(
        (&passages[0][0], &passages[0][3]),
        (&Value::from("title"), &Value::from(0))
    );
    assert!(passages[1..].iter().all(|p| p[3] == 1), "excerpts");
    let kept: usize = passages.iter().map(|p| p[1].as_str().unwrap().chars().count()).sum();
    assert!(kept < 20_000, "{kept} characters kept of 157,344");
    assert_page_mentions_are_the_evidence(&out, &data);
    assert_rebuilt_the_same(&out, dir.path());
}
