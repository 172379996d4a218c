//! The products open correctly in a real spreadsheet program: LibreOffice headless converts the
//! CSV products to workbooks and the workbook to CSV, and the cells that come out are checked.
//!
//! Needs `soffice` (Debian: `apt-get install -y libreoffice-calc-nogui`; `.ci/run` installs it).
//! The test fails, with that fix, where it is missing: a skipped check proves nothing.

mod common;

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{read_ragged_csv, root, run, unguard};

/// Run LibreOffice headless with its own profile (parallel runs must not share one).
fn soffice(profile: &Path, args: &[&str]) {
    let profile_url = format!("-env:UserInstallation=file://{}", profile.display());
    let out = Command::new("soffice")
        .arg(&profile_url)
        .arg("--headless")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run soffice ({e}); install LibreOffice Calc: \
                 apt-get update && apt-get install -y libreoffice-calc-nogui"
            )
        });
    assert!(
        out.status.success(),
        "soffice {}\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn libreoffice_reads_the_csv_products_and_the_workbook_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let input = dir.path().join("in.jsonl");
    let mut text = std::fs::read_to_string(root().join("fixtures/sepsis25.jsonl")).unwrap();
    for (id, title) in [
        ("=1+1", "=1+1 heparin"),
        ("@SUM", "@SUM(A1:A3) heparin"),
        ("SEPT2", "+A1*2 heparin"),
        ("00123", "-2+3 heparin"),
        ("MARCH1", "heparin with «non-ASCII» text: TNF-α, β-thromboglobulin"),
    ] {
        text.push_str(&(serde_json::json!({"id": id, "title": title}).to_string() + "\n"));
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    run(
        &[
            "tag",
            input.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
            "--excel",
            "-q",
        ],
        0,
    );

    // 1. the CSV products (Excel dialect: BOM, CRLF) imported by LibreOffice as comma-separated
    //    UTF-8, beside a control file whose raw formula LibreOffice does evaluate
    let control = dir.path().join("control.csv");
    std::fs::write(&control, "id\n=1+1\n").unwrap();
    let conv = dir.path().join("conv");
    let csvs = [
        "articles.csv",
        "evidence.csv",
        "matrix.csv",
        "summary.csv",
        "trends.csv",
    ];
    let mut args: Vec<String> = vec![
        "--infilter=CSV:44,34,76,1".into(),
        "--convert-to".into(),
        "xlsx".into(),
        "--outdir".into(),
        conv.to_str().unwrap().into(),
        control.to_str().unwrap().into(),
    ];
    args.extend(csvs.iter().map(|c| out.join(c).to_str().unwrap().to_string()));
    soffice(&profile, &args.iter().map(String::as_str).collect::<Vec<_>>());

    let mut wb: Xlsx<_> = open_workbook(conv.join("control.xlsx")).unwrap();
    let f = wb.worksheet_formula("control").unwrap();
    assert_eq!(
        f.get_value((1, 0)).map(String::as_str),
        Some("1+1"),
        "the control formula was not evaluated"
    );
    assert_eq!(
        wb.worksheet_range("control").unwrap().get_value((1, 0)),
        Some(&Data::Float(2.0))
    );

    for name in csvs {
        let stem = name.trim_end_matches(".csv");
        let mut wb: Xlsx<_> = open_workbook(conv.join(format!("{stem}.xlsx"))).unwrap();
        let sheet = wb.sheet_names()[0].clone();
        let formulas = wb.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name}: LibreOffice found a formula"
        );
        let range = wb.worksheet_range(&sheet).unwrap();
        let ours = read_ragged_csv(&out.join(name));
        assert_eq!(range.get_size().0, ours.len(), "{name}: rows");
        for (r, row) in ours.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let got = range.get_value((r as u32, c as u32)).unwrap_or(&Data::Empty);
                let ok = match got {
                    Data::Float(x) => cell.parse::<f64>().is_ok_and(|y| y == *x),
                    Data::Int(x) => cell.parse::<i64>().is_ok_and(|y| y == *x),
                    Data::String(s) => s == cell,
                    Data::Empty => cell.is_empty(),
                    _ => false,
                };
                assert!(
                    ok,
                    "{name} row {r} column {c}: LibreOffice shows {got:?}, the CSV has {cell:?}"
                );
            }
        }
    }
    // the guarded article ids arrive as text that shows the payload, not its result
    let mut wb: Xlsx<_> = open_workbook(conv.join("articles.xlsx")).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let arts = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(arts.get_value((26, 0)), Some(&Data::String("'=1+1".into())));
    assert_eq!(
        arts.get_value((27, 6)),
        Some(&Data::String("'@SUM(A1:A3) heparin".into()))
    );
    assert_eq!(
        arts.get_value((30, 6)),
        Some(&Data::String(
            "heparin with «non-ASCII» text: TNF-α, β-thromboglobulin".into()
        ))
    );

    // 2. the workbook exported by LibreOffice, every sheet to CSV: identifiers stay as written
    let back = dir.path().join("back");
    soffice(
        &profile,
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            back.to_str().unwrap(),
            out.join("matrix.xlsx").to_str().unwrap(),
        ],
    );
    for sheet in [
        "matrix",
        "categories",
        "evidence",
        "cooccurrence",
        "summary",
        "articles",
        "trends",
    ] {
        let theirs = read_ragged_csv(&back.join(format!("matrix-{sheet}.csv")));
        let ours = read_ragged_csv(&out.join(format!("{sheet}.csv")));
        // in the count matrices a zero is an empty cell of the workbook
        let zero_is_empty = matches!(sheet, "matrix" | "categories");
        let ours: Vec<Vec<&str>> = ours
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .map(|c| {
                        if zero_is_empty && r > 0 && c == "0" {
                            ""
                        } else {
                            unguard(c)
                        }
                    })
                    .collect()
            })
            .collect();
        let theirs: Vec<Vec<&str>> = theirs.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        assert_eq!(theirs.len(), ours.len(), "{sheet}: rows");
        for (r, (a, b)) in theirs.iter().zip(&ours).enumerate() {
            if sheet == "trends" && r > 0 {
                // a share is a number formatted as a percentage: 0.3333 is 33.33%
                let pct: f64 = a[7].strip_suffix('%').expect("a percentage").parse().unwrap();
                let share: f64 = b[7].parse().unwrap();
                assert!(
                    (pct / 100.0 - share).abs() < 1e-9,
                    "{sheet} row {r}: {pct}% for {share}"
                );
                assert_eq!(a[..7], b[..7], "{sheet} row {r}");
                continue;
            }
            assert_eq!(a, b, "{sheet}");
        }
    }
    let arts = read_ragged_csv(&back.join("matrix-articles.csv"));
    let ids: Vec<&str> = arts[26..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["=1+1", "@SUM", "SEPT2", "00123", "MARCH1"]);
}
