//! The workbook, read back with calamine (cell types and values) and unzipped (frozen headers,
//! filters, colour scale).

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{read_csv, run, unguard};

const FIXTURE: &str = "fixtures/sepsis25.jsonl";
const SHEETS: [&str; 7] = [
    "matrix",
    "categories",
    "evidence",
    "cooccurrence",
    "summary",
    "articles",
    "directions",
];

/// The columns of each product that hold numbers (the others are text).
fn numeric(sheet: &str, col: usize, header: &[String]) -> bool {
    match sheet {
        "matrix" | "categories" => {
            if header[0] == "article_id" {
                col >= 1 && !["year", "journal", "doi"].contains(&header[col].as_str())
            } else {
                col >= 3
            }
        }
        "evidence" => col == 8 || col == 9,
        "cooccurrence" => col == 3,
        "summary" => col == 5 || col == 6,
        "articles" => col >= 7,
        "directions" => col >= 3,
        other => panic!("no sheet {other}"),
    }
}

/// Every sheet holds its CSV product's cells, numbers as numbers and everything else as text.
fn assert_sheets_equal_csvs(xlsx: &Path, csv_dir: &Path) {
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    assert_eq!(wb.sheet_names(), SHEETS);
    for sheet in SHEETS {
        let range = wb.worksheet_range(sheet).unwrap();
        let csv = read_csv(&csv_dir.join(format!("{sheet}.csv")));
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), csv.len(), "{sheet}: rows");
        for (r, (row, want)) in rows.iter().zip(&csv).enumerate() {
            assert_eq!(row.len(), want.len(), "{sheet} row {r}: columns");
            for (c, (cell, w)) in row.iter().zip(want).enumerate() {
                let ok = if r > 0 && numeric(sheet, c, &csv[0]) {
                    if w == "0" && matches!(sheet, "matrix" | "categories") {
                        // a zero count is an empty cell of a matrix sheet
                        matches!(cell, Data::Empty)
                    } else {
                        *cell == Data::Float(w.parse().unwrap())
                    }
                } else if w.is_empty() {
                    matches!(cell, Data::Empty) || *cell == Data::String(String::new())
                } else {
                    *cell == Data::String(unguard(w).to_string())
                };
                assert!(ok, "{sheet} row {r} column {c}: {cell:?}, CSV has {w:?}");
            }
        }
        let formulas = wb.worksheet_formula(sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has formulas"
        );
    }
}

fn zip_entry(xlsx: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn workbook_sheets_hold_the_csv_products_with_types() {
    let dir = tempfile::tempdir().unwrap();
    run(&["tag", FIXTURE, "--out-dir", dir.path().to_str().unwrap(), "-q"], 0);
    let xlsx = dir.path().join("matrix.xlsx");
    assert_sheets_equal_csvs(&xlsx, dir.path());
    // PMIDs are text, counts numbers
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let m = wb.worksheet_range("matrix").unwrap();
    assert_eq!(m.get_value((0, 3)), Some(&Data::String("400581".into())));
    assert_eq!(m.get_value((0, 0)), Some(&Data::String("concept_id".into())));
    // sepsis in the first three articles: 0, 0, 2 (a zero count is an empty cell)
    assert_eq!(m.get_value((1, 3)), Some(&Data::Empty));
    assert_eq!(m.get_value((1, 5)), Some(&Data::Float(2.0)));
    // MeSH ids are text
    let s = wb.worksheet_range("summary").unwrap();
    assert_eq!(s.get_value((0, 4)), Some(&Data::String("xrefs".into())));
    let tf = (1..s.get_size().0 as u32)
        .find(|&r| s.get_value((r, 1)) == Some(&Data::String("tissue_factor".into())))
        .unwrap();
    assert_eq!(
        s.get_value((tf, 4)),
        Some(&Data::String("UniProt:P13726; MESH:D013923".into()))
    );
    // frozen header, filters on every sheet, a colour scale on the matrices
    for (i, sheet) in SHEETS.iter().enumerate() {
        let xml = zip_entry(&xlsx, &format!("xl/worksheets/sheet{}.xml", i + 1));
        assert!(
            xml.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#),
            "{sheet}"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:"), "{sheet}");
        assert_eq!(xml.contains("<colorScale>"), i < 2, "{sheet}");
    }
    let matrix = zip_entry(&xlsx, "xl/worksheets/sheet1.xml");
    let cols = read_csv(&dir.path().join("matrix.csv"))[0].len();
    let rows = read_csv(&dir.path().join("matrix.csv")).len();
    // the scale covers exactly the counts: D2 to the last cell (25 articles: column AB)
    assert_eq!(cols, 28);
    assert!(
        matrix.contains(&format!("<conditionalFormatting sqref=\"D2:AB{rows}\">")),
        "{matrix}"
    );
}

#[test]
fn identifiers_and_hostile_text_stay_text_in_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let rows = [
        ("SEPT2", "SEPT2 and MARCH1 rise with heparin"),
        ("MARCH1", "heparin"),
        ("00123", "heparin"),
        ("1e5", "heparin"),
        ("=1+1", "=SUM(A1:A2) heparin"),
        ("@cmd", "-2+3 heparin"),
    ];
    let text: String = rows
        .iter()
        .map(|(id, t)| {
            serde_json::json!({"id": id, "title": t, "year": "2021", "journal": "MARCH1"}).to_string() + "\n"
        })
        .collect();
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    run(
        &["tag", input.to_str().unwrap(), "--out-dir", out.to_str().unwrap(), "-q"],
        0,
    );
    let xlsx = out.join("matrix.xlsx");
    assert_sheets_equal_csvs(&xlsx, &out);
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let arts = wb.worksheet_range("articles").unwrap();
    let ids: Vec<&Data> = (1..=6).map(|r| arts.get_value((r, 0)).unwrap()).collect();
    let want: Vec<Data> = ["SEPT2", "MARCH1", "00123", "1e5", "=1+1", "@cmd"]
        .iter()
        .map(|s| Data::String(s.to_string()))
        .collect();
    assert_eq!(ids, want.iter().collect::<Vec<_>>());
    assert_eq!(
        arts.get_value((5, 6)),
        Some(&Data::String("=SUM(A1:A2) heparin".into()))
    );
    assert_eq!(arts.get_value((1, 3)), Some(&Data::String("MARCH1".into())));
    assert_eq!(arts.get_value((1, 2)), Some(&Data::String("2021".into())));
    assert_eq!(arts.get_value((1, 8)), Some(&Data::Float(1.0)));
}

#[test]
fn xlsx_alone_and_a_matrix_too_wide_for_a_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let text: String = (0..16_382)
        .map(|i| format!("{{\"id\":\"a{i}\",\"text\":\"heparin\"}}\n"))
        .collect();
    std::fs::write(&input, text).unwrap();
    let xlsx = dir.path().join("w.xlsx");
    // concept rows forced: the CSV would warn, the sheet turns to article rows since it must fit
    run(
        &[
            "tag",
            input.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--layout",
            "concepts",
            "-q",
        ],
        0,
    );
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let m = wb.worksheet_range("matrix").unwrap();
    assert_eq!(m.get_value((0, 0)), Some(&Data::String("article_id".into())));
    assert_eq!(m.get_size().0, 16_383);
    assert_eq!(m.get_value((16_382, 0)), Some(&Data::String("a16381".into())));
}
