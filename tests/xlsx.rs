//! The workbook, read back with calamine (cell types and values) and unzipped (frozen header and
//! label columns, column widths, filters, colour scale, row heights).

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{read_csv, run, unguard};

const FIXTURE: &str = "fixtures/sepsis25.jsonl";
const SHEETS: [&str; 8] = [
    "matrix",
    "categories",
    "evidence",
    "cooccurrence",
    "summary",
    "articles",
    "trends",
    "directions",
];

/// The columns of each product that hold numbers (the others are text); a year is a number.
fn numeric(sheet: &str, col: usize, header: &[String]) -> bool {
    if header[col] == "year" {
        return true;
    }
    match sheet {
        "matrix" | "categories" => {
            if header[0] == "article_id" {
                col >= 1 && !["journal", "doi"].contains(&header[col].as_str())
            } else {
                col >= 3
            }
        }
        "evidence" => col == 8 || col == 9,
        "cooccurrence" => col == 3,
        "summary" => col == 5 || col == 6,
        "articles" => col >= 7,
        "trends" => col >= 4,
        "directions" => col >= 3,
        other => panic!("no sheet {other}"),
    }
}

/// Every sheet holds its CSV product's cells, numbers as numbers and everything else as text.
fn assert_sheets_equal_csvs(xlsx: &Path, csv_dir: &Path) {
    let wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    assert_eq!(wb.sheet_names(), SHEETS);
    for sheet in SHEETS {
        assert_sheets_equal_csv(xlsx, sheet, &csv_dir.join(format!("{sheet}.csv")));
    }
}

/// One sheet holds the cells of a CSV product.
fn assert_sheets_equal_csv(xlsx: &Path, sheet: &str, csv_path: &Path) {
    let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    {
        let range = wb.worksheet_range(sheet).unwrap();
        let csv = read_csv(csv_path);
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), csv.len(), "{sheet}: rows");
        for (r, (row, want)) in rows.iter().zip(&csv).enumerate() {
            assert_eq!(row.len(), want.len(), "{sheet} row {r}: columns");
            for (c, (cell, w)) in row.iter().zip(want).enumerate() {
                let ok = if r > 0 && numeric(sheet, c, &csv[0]) {
                    if w == "0" && matches!(sheet, "matrix" | "categories") {
                        // a zero count is an empty cell of a matrix sheet
                        matches!(cell, Data::Empty)
                    } else if w.is_empty() {
                        // no year
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
    // years are numbers, an unknown year an empty cell
    let a = wb.worksheet_range("articles").unwrap();
    assert_eq!(a.get_value((0, 2)), Some(&Data::String("year".into())));
    assert_eq!(a.get_value((1, 2)), Some(&Data::Float(1979.0)));
    assert_eq!(a.get_value((3, 0)), Some(&Data::String("399369".into())));
    assert_eq!(a.get_value((3, 2)), Some(&Data::Empty));
    // the trends sheet: numeric years and shares, the articles of a year summed over its rows
    let t = wb.worksheet_range("trends").unwrap();
    let header: Vec<&Data> = (0..8).map(|c| t.get_value((0, c)).unwrap()).collect();
    assert_eq!(
        header,
        [
            "year",
            "level",
            "id",
            "label",
            "articles",
            "mentions",
            "year_articles",
            "share"
        ]
        .map(|h| Data::String(h.into()))
        .iter()
        .collect::<Vec<_>>()
    );
    assert_eq!(
        (0..8).map(|c| t.get_value((1, c)).unwrap().clone()).collect::<Vec<_>>(),
        [
            Data::Float(1977.0),
            Data::String("any".into()),
            Data::String("any".into()),
            Data::String("any concept".into()),
            Data::Float(3.0),
            Data::Float(22.0),
            Data::Float(3.0),
            Data::Float(1.0),
        ]
    );
    let any_rows: Vec<u32> = (1..t.get_size().0 as u32)
        .filter(|&r| t.get_value((r, 1)) == Some(&Data::String("any".into())))
        .collect();
    let year_articles: f64 = any_rows
        .iter()
        .map(|&r| match t.get_value((r, 6)) {
            Some(Data::Float(x)) => *x,
            other => panic!("{other:?}"),
        })
        .sum();
    assert_eq!(
        year_articles, 25.0,
        "every article is counted under a year or the empty one"
    );

    // frozen header and label columns, filters on every sheet, a colour scale on the matrices
    for (i, (sheet, frozen)) in SHEETS.iter().zip([3, 3, 2, 3, 3, 1, 4, 3]).enumerate() {
        let xml = zip_entry(&xlsx, &format!("xl/worksheets/sheet{}.xml", i + 1));
        assert_eq!(pane(&xml), (frozen, 1), "{sheet}");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "{sheet}");
        assert_eq!(xml.contains("<colorScale>"), i < 2, "{sheet}");
        // every row one line high: a wrapped cell does not grow its row
        assert!(
            xml.contains(r#"<sheetFormatPr defaultRowHeight="15.75" customHeight="1"/>"#),
            "{sheet}"
        );
        assert!(!xml.contains("<row r=\"2\">"), "{sheet}: row 2 has no fixed height");
    }
    let matrix = zip_entry(&xlsx, "xl/worksheets/sheet1.xml");
    let cols = read_csv(&dir.path().join("matrix.csv"))[0].len();
    let rows = read_csv(&dir.path().join("matrix.csv")).len();
    // the scale covers exactly the counts: D2 to the last cell (25 articles: column AB); it
    // separates one mention from many, with a log midpoint (the largest count is 12: 3)
    assert_eq!(cols, 28);
    assert!(
        matrix.contains(&format!(
            "<conditionalFormatting sqref=\"D2:AB{rows}\"><cfRule type=\"colorScale\" priority=\"1\"><colorScale>\
             <cfvo type=\"num\" val=\"1\"/><cfvo type=\"num\" val=\"3\"/><cfvo type=\"num\" val=\"12\"/>\
             <color rgb=\"FFFDDBC7\"/><color rgb=\"FFEF8A62\"/><color rgb=\"FFB2182B\"/></colorScale>"
        )),
        "{matrix}"
    );
    // column widths follow the content: the concept ids are as wide as the longest, the PMID
    // columns as wide as their header and its filter button, long text stops at 60 characters
    let summary_csv = read_csv(&dir.path().join("summary.csv"));
    let longest_id = summary_csv.iter().skip(1).map(|r| r[1].chars().count()).max().unwrap();
    let w = widths(&matrix);
    assert_eq!(w[0], excel_width(longest_id));
    assert_eq!(w[3], excel_width("400581".len() + 3));
    let articles = widths(&zip_entry(&xlsx, "xl/worksheets/sheet6.xml"));
    let longest_title = read_csv(&dir.path().join("articles.csv"))
        .iter()
        .skip(1)
        .map(|r| r[6].chars().count())
        .max()
        .unwrap();
    assert!(longest_title > 60);
    assert_eq!(articles[6], excel_width(60), "title");
    assert_eq!(articles[2], excel_width("year".len() + 3), "year");
    // the text cells wrap, from the top, in the cell (so they do not spill over empty cells)
    let styles = zip_entry(&xlsx, "xl/styles.xml");
    assert!(
        styles.contains(r#"<alignment vertical="top" wrapText="1"/>"#),
        "{styles}"
    );
}

/// The frozen columns and rows of a sheet's XML.
fn pane(xml: &str) -> (u32, u32) {
    let at = xml.find("<pane ").expect("a frozen pane");
    let tag = &xml[at..at + xml[at..].find("/>").unwrap()];
    let attr = |name: &str| {
        tag.split_once(&format!(" {name}=\""))
            .map_or(0, |(_, rest)| rest.split('"').next().unwrap().parse().unwrap())
    };
    (attr("xSplit"), attr("ySplit"))
}

/// Each column's width as the sheet's XML stores it, column by column.
fn widths(xml: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for col in xml.split("<col ").skip(1) {
        let num = |name: &str| -> f64 {
            let v = col.split_once(&format!("{name}=\"")).unwrap().1;
            v.split('"').next().unwrap().parse().unwrap()
        };
        for _ in num("min") as usize..=num("max") as usize {
            out.push(num("width"));
        }
    }
    out
}

/// The width the XML stores for a column of `chars` characters with the writer's padding (1.5):
/// Excel's 7 pixels per character and 5 of margin, in 1/256 of a character.
fn excel_width(chars: usize) -> f64 {
    let pixels = ((chars as f64 + 1.5) * 7.0 + 0.5).trunc() + 5.0;
    (pixels / 7.0 * 256.0).trunc() / 256.0
}

#[test]
fn matrix_with_metadata_has_numeric_years_and_frozen_labels() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("m.xlsx");
    let csv = dir.path().join("m.csv");
    run(
        &[
            "tag",
            FIXTURE,
            "--matrix-metadata",
            "--xlsx",
            xlsx.to_str().unwrap(),
            "-o",
            csv.to_str().unwrap(),
            "-q",
        ],
        0,
    );
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let m = wb.worksheet_range("matrix").unwrap();
    let header: Vec<Data> = (0..4).map(|c| m.get_value((0, c)).unwrap().clone()).collect();
    assert_eq!(
        header,
        ["article_id", "year", "journal", "doi"].map(|h| Data::String(h.into()))
    );
    assert_eq!(m.get_value((1, 0)), Some(&Data::String("400581".into())));
    assert_eq!(m.get_value((1, 1)), Some(&Data::Float(1979.0)));
    assert_eq!(
        m.get_value((1, 2)),
        Some(&Data::String("Advances in shock research".into()))
    );
    // the id and its metadata stay in view
    let xml = zip_entry(&xlsx, "xl/worksheets/sheet1.xml");
    assert_eq!(pane(&xml), (4, 1));
    // a journal name longer than a column gets wraps in place: it does not spill over an empty
    // DOI or zero counts; a shorter one fits its column and needs no style
    let style_of = |cell: &str| {
        xml.split(&format!("<c r=\"{cell}\""))
            .nth(1)
            .map(|c| &c[..c.find('>').unwrap()])
            .and_then(|c| c.split_once(" s=\""))
            .map(|(_, s)| s.split('"').next().unwrap().parse::<usize>().unwrap())
    };
    let styles = zip_entry(&xlsx, "xl/styles.xml");
    let xfs: Vec<&str> = styles.split("<cellXfs").nth(1).unwrap().split("<xf ").skip(1).collect();
    // row 9: 34091123, "Journal of trace elements in medicine and biology : organ of the ..."
    assert_eq!(m.get_value((8, 0)), Some(&Data::String("34091123".into())));
    let long = style_of("C9").expect("the long journal name has a style");
    assert!(xfs[long].contains(r#"wrapText="1""#), "{}", xfs[long]);
    assert_eq!(style_of("C2"), None);
    assert_sheets_equal_csv(&xlsx, "matrix", &csv);
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
    assert_eq!(arts.get_value((1, 2)), Some(&Data::Float(2021.0)));
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
