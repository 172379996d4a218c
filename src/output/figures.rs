//! `figures/`: the report's heatmaps and trend chart as SVG, for papers and slides.
//!
//! * `category_by_year.svg`: articles per category and publication year, coloured by their
//!   share of the year's articles (years with fewer than [`FEW`] articles faded: their shares rest
//!   on few articles), the year's articles in a last row;
//! * `trends.svg`: each category's share of the year's articles, year by year (years with at
//!   least [`FEW`] articles, or every year when fewer than two have that many), one evenly spaced
//!   slot per year; a line breaks where years are missing;
//! * `category_cooccurrence.svg`, `concept_cooccurrence.svg`: articles mentioning both, for the
//!   categories and for the [`TOP_CONCEPTS`] concepts in the most articles (one triangle: the
//!   matrix is symmetric; the diagonal, framed, holds each one's own articles).
//!
//! Drawn with plotters' SVG backend: text stays text (any viewer renders it, and it can be
//! edited), and the layout reserves room for every label from a deliberately wide estimate of
//! character widths, so labels never overlap. Every figure has its colour scale. The same data
//! gives the same bytes.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::report::model::ReportData;

/// The figures' file names, in the order [`render`] returns them.
pub const NAMES: [&str; 4] = [
    "category_by_year.svg",
    "trends.svg",
    "category_cooccurrence.svg",
    "concept_cooccurrence.svg",
];
/// Years with fewer articles than this are faded (heatmap) or left out (trend chart).
pub const FEW: u64 = 10;
/// Concepts in the concept co-occurrence figure.
pub const TOP_CONCEPTS: usize = 25;

/// Body text size (pixels).
const TEXT: f64 = 12.0;
/// A generous width of one character, in ems: real sans-serif text is narrower on average, so
/// the room reserved for a label always holds it.
const CHAR_EM: f64 = 0.62;
const MARGIN: i32 = 16;
const INK: RGBColor = RGBColor(29, 36, 48);
const MUTED: RGBColor = RGBColor(91, 101, 115);
const GRID: RGBColor = RGBColor(217, 222, 229);
/// The sequential scale, white to dark blue (the page uses the same).
const STOPS: [(u8, u8, u8); 6] = [
    (255, 255, 255),
    (222, 235, 247),
    (158, 202, 225),
    (66, 146, 198),
    (8, 81, 156),
    (8, 48, 107),
];

/// Every figure, as SVG text, in the order of [`NAMES`].
pub fn render(data: &ReportData) -> Vec<String> {
    vec![
        category_by_year(data),
        trends(data),
        category_cooccurrence(data),
        concept_cooccurrence(data),
    ]
}

/// A font of `px` pixels (the SVG backend writes sizes divided by 1.24).
fn font(px: f64) -> FontDesc<'static> {
    ("sans-serif", px * 1.24).into_font()
}

fn text_width(s: &str, px: f64) -> i32 {
    (s.chars().count() as f64 * px * CHAR_EM).ceil() as i32
}

fn hex(c: &str) -> RGBColor {
    let n = u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap_or(0x7f7f7f);
    RGBColor((n >> 16) as u8, (n >> 8) as u8, n as u8)
}

/// The colour at `t` in [0, 1] of the sequential scale.
fn heat(t: f64) -> RGBColor {
    if t.is_nan() || t <= 0.0 {
        return WHITE;
    }
    let x = t.min(1.0) * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Text on a cell of shade `t`.
fn ink(t: f64) -> RGBColor {
    if t > 0.55 { WHITE } else { INK }
}

fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// What one heatmap shows.
struct Heat {
    title: String,
    subtitle: String,
    rows: Vec<(String, RGBColor)>,
    cols: Vec<String>,
    /// Shade of each cell in [0, 1]; `None` leaves the cell out.
    shade: Vec<Vec<Option<f64>>>,
    text: Vec<Vec<String>>,
    faded: Vec<bool>,
    /// Framed cells (the diagonal of a co-occurrence matrix), shaded grey.
    diagonal: bool,
    /// A last row of totals.
    footer: Option<(String, Vec<String>)>,
    legend: (String, String, String),
}

fn draw_heat(h: &Heat) -> String {
    let label_w = h
        .rows
        .iter()
        .map(|(l, _)| text_width(l, TEXT))
        .max()
        .unwrap_or(0)
        .max(h.footer.as_ref().map_or(0, |(l, _)| text_width(l, TEXT)))
        + 22;
    let widest_cell = h
        .text
        .iter()
        .flatten()
        .chain(h.footer.iter().flat_map(|(_, v)| v))
        .map(|t| text_width(t, TEXT - 1.0))
        .max()
        .unwrap_or(0);
    let cell_w = (widest_cell + 10).max(34);
    let cell_h = 22;
    let col_label = h.cols.iter().map(|c| text_width(c, TEXT)).max().unwrap_or(0);
    let vertical = col_label > cell_w - 4;
    let head_h = if vertical { col_label + 10 } else { 20 };
    let grid_x = MARGIN + label_w;
    let grid_y = 58 + head_h;
    let rows = h.rows.len() as i32 + i32::from(h.footer.is_some());
    let grid_w = cell_w * h.cols.len() as i32;
    let legend_y = grid_y + rows * cell_h + 26;
    let legend_w = 230 + text_width(&h.legend.0, TEXT) + text_width(&h.legend.2, TEXT) + 40;
    let width = (grid_x + grid_w + MARGIN)
        .max(MARGIN * 2 + legend_w)
        .max(MARGIN * 2 + text_width(&h.subtitle, TEXT))
        .max(MARGIN * 2 + text_width(&h.title, 16.0));
    let height = legend_y + 40;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        draw_heat_on(&root, h, (label_w, cell_w, cell_h, vertical, grid_x, grid_y, legend_y))
            .expect("drawing into a string does not fail");
        root.present().expect("drawing into a string does not fail");
    }
    svg
}

type Layout = (i32, i32, i32, bool, i32, i32, i32);

fn draw_heat_on<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    h: &Heat,
    (_label_w, cell_w, cell_h, vertical, grid_x, grid_y, legend_y): Layout,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let left = Pos::new(HPos::Left, VPos::Center);
    let centre = Pos::new(HPos::Center, VPos::Center);
    root.draw(&Text::new(
        h.title.clone(),
        (MARGIN, 20),
        font(16.0).style(FontStyle::Bold).color(&INK).pos(left),
    ))?;
    root.draw(&Text::new(
        h.subtitle.clone(),
        (MARGIN, 42),
        font(TEXT).color(&MUTED).pos(left),
    ))?;
    for (c, name) in h.cols.iter().enumerate() {
        let cx = grid_x + c as i32 * cell_w + cell_w / 2;
        let style = if vertical {
            font(TEXT).color(&INK).pos(left).transform(FontTransform::Rotate270)
        } else {
            font(TEXT).color(&INK).pos(centre)
        };
        let at = if vertical { (cx, grid_y - 6) } else { (cx, grid_y - 10) };
        root.draw(&Text::new(name.clone(), at, style))?;
    }
    for (r, (label, colour)) in h.rows.iter().enumerate() {
        let y = grid_y + r as i32 * cell_h;
        root.draw(&Circle::new((MARGIN + 5, y + cell_h / 2), 4, colour.filled()))?;
        root.draw(&Text::new(
            label.clone(),
            (MARGIN + 16, y + cell_h / 2),
            font(TEXT).color(&INK).pos(left),
        ))?;
        for c in 0..h.cols.len() {
            let Some(t) = h.shade[r][c] else { continue };
            let x = grid_x + c as i32 * cell_w;
            let diag = h.diagonal && r == c;
            let fill = if diag { RGBColor(238, 241, 245) } else { heat(t) };
            let faded = h.faded[c];
            let fill = if faded { mix_white(fill, 0.55) } else { fill };
            root.draw(&Rectangle::new(
                [(x + 1, y + 1), (x + cell_w - 1, y + cell_h - 1)],
                fill.filled(),
            ))?;
            if diag {
                root.draw(&Rectangle::new(
                    [(x + 1, y + 1), (x + cell_w - 1, y + cell_h - 1)],
                    INK.stroke_width(1),
                ))?;
            }
            let colour = if diag || faded { INK } else { ink(t) };
            root.draw(&Text::new(
                h.text[r][c].clone(),
                (x + cell_w / 2, y + cell_h / 2),
                font(TEXT - 1.0).color(&colour).pos(centre),
            ))?;
        }
    }
    if let Some((label, values)) = &h.footer {
        let y = grid_y + h.rows.len() as i32 * cell_h;
        root.draw(&PathElement::new(
            vec![(grid_x, y + 1), (grid_x + cell_w * h.cols.len() as i32, y + 1)],
            GRID.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            label.clone(),
            (MARGIN + 16, y + cell_h / 2 + 2),
            font(TEXT).style(FontStyle::Italic).color(&MUTED).pos(left),
        ))?;
        for (c, v) in values.iter().enumerate() {
            root.draw(&Text::new(
                v.clone(),
                (grid_x + c as i32 * cell_w + cell_w / 2, y + cell_h / 2 + 2),
                font(TEXT - 1.0).style(FontStyle::Italic).color(&MUTED).pos(centre),
            ))?;
        }
    }
    draw_legend(root, &h.legend, (MARGIN, legend_y))
}

fn mix_white(c: RGBColor, keep: f64) -> RGBColor {
    let m = |v: u8| (255.0 - (255.0 - f64::from(v)) * keep).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// `title: lo [bar] hi` at `(x, y)` (the bar's vertical centre).
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (title, lo, hi): &(String, String, String),
    (x, y): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let left = Pos::new(HPos::Left, VPos::Center);
    root.draw(&Text::new(title.clone(), (x, y), font(TEXT).color(&MUTED).pos(left)))?;
    let mut at = x + text_width(title, TEXT) + 10;
    root.draw(&Text::new(lo.clone(), (at, y), font(TEXT).color(&MUTED).pos(left)))?;
    at += text_width(lo, TEXT) + 8;
    const STEPS: i32 = 46;
    for i in 0..STEPS {
        let t = f64::from(i) / f64::from(STEPS - 1);
        root.draw(&Rectangle::new(
            [(at + i * 5, y - 6), (at + i * 5 + 5, y + 6)],
            heat(t).filled(),
        ))?;
    }
    root.draw(&Rectangle::new(
        [(at, y - 6), (at + STEPS * 5, y + 6)],
        GRID.stroke_width(1),
    ))?;
    at += STEPS * 5 + 8;
    root.draw(&Text::new(hi.clone(), (at, y), font(TEXT).color(&MUTED).pos(left)))?;
    Ok(())
}

fn year_label(y: &str) -> String {
    if y.is_empty() { "no year".into() } else { y.into() }
}

fn category_by_year(data: &ReportData) -> String {
    let cats: Vec<_> = data.categories().collect();
    let (years, totals, per_cat) = data.years();
    let faded: Vec<bool> = if totals.iter().any(|&t| t >= FEW) {
        totals.iter().map(|&t| t < FEW).collect()
    } else {
        vec![false; totals.len()]
    };
    let share = |k: usize, y: usize| {
        if totals[y] == 0 {
            0.0
        } else {
            per_cat[k][y] as f64 / totals[y] as f64
        }
    };
    let max = (0..cats.len())
        .flat_map(|k| (0..years.len()).filter(|&y| !faded[y]).map(move |y| (k, y)))
        .map(|(k, y)| share(k, y))
        .fold(0.0, f64::max);
    let h = Heat {
        title: "Mechanism categories by publication year".into(),
        subtitle: format!(
            "Cells: articles mentioning the category; colour: their share of the year's articles{}",
            if faded.iter().any(|&f| f) {
                format!(" (faded: years with fewer than {FEW} articles)")
            } else {
                String::new()
            }
        ),
        rows: cats.iter().map(|(_, l, c)| (l.to_string(), hex(c))).collect(),
        cols: years.iter().map(|y| year_label(y)).collect(),
        shade: (0..cats.len())
            .map(|k| {
                (0..years.len())
                    .map(|y| Some(if max > 0.0 { share(k, y) / max } else { 0.0 }))
                    .collect()
            })
            .collect(),
        text: per_cat
            .iter()
            .map(|row| row.iter().map(|&n| count(n)).collect())
            .collect(),
        faded,
        diagonal: false,
        footer: Some(("articles that year".into(), totals.iter().map(|&n| count(n)).collect())),
        legend: ("Share of the year's articles".into(), "0%".into(), percent(max)),
    };
    draw_heat(&h)
}

/// A triangle of articles mentioning both, for `items` (index, label, colour).
fn cooccurrence(title: &str, subtitle: String, items: &[(usize, String, RGBColor)], pairs: &[[u64; 3]]) -> String {
    let get = |a: usize, b: usize| {
        let (a, b) = (a.min(b) as u64, a.max(b) as u64);
        pairs.iter().find(|p| p[0] == a && p[1] == b).map_or(0, |p| p[2])
    };
    let n = items.len();
    let values: Vec<Vec<u64>> = items
        .iter()
        .map(|a| items.iter().map(|b| get(a.0, b.0)).collect())
        .collect();
    let max = (0..n)
        .flat_map(|r| (0..r).map(move |c| (r, c)))
        .map(|(r, c)| values[r][c])
        .max()
        .unwrap_or(0);
    let shade = |v: u64| {
        if max == 0 {
            0.0
        } else {
            (1.0 + v as f64).ln() / (1.0 + max as f64).ln()
        }
    };
    let h = Heat {
        title: title.into(),
        subtitle,
        rows: items.iter().map(|(_, l, c)| (l.clone(), *c)).collect(),
        cols: items.iter().map(|(_, l, _)| l.clone()).collect(),
        shade: (0..n)
            .map(|r| (0..n).map(|c| (c <= r).then(|| shade(values[r][c]))).collect())
            .collect(),
        text: values
            .iter()
            .map(|row| row.iter().map(|&v| count(v)).collect())
            .collect(),
        faded: vec![false; n],
        diagonal: true,
        footer: None,
        legend: (
            "Articles mentioning both".into(),
            "0".into(),
            format!("{} (log scale)", count(max)),
        ),
    };
    draw_heat(&h)
}

fn category_cooccurrence(data: &ReportData) -> String {
    let (pairs, _) = data.cooccurrence();
    let items: Vec<(usize, String, RGBColor)> = data
        .categories()
        .enumerate()
        .map(|(k, (_, l, c))| (k, l.to_string(), hex(c)))
        .collect();
    cooccurrence(
        "Categories mentioned together",
        "Cells: articles mentioning both; the framed diagonal: the category's own articles".into(),
        &items,
        pairs,
    )
}

fn concept_cooccurrence(data: &ReportData) -> String {
    let (_, pairs) = data.cooccurrence();
    let colours: Vec<RGBColor> = data.categories().map(|(_, _, c)| hex(c)).collect();
    let mut concepts: Vec<(usize, String, usize, u64)> = data
        .concepts()
        .enumerate()
        .filter(|(_, c)| c.3 > 0)
        .map(|(k, (_, l, cat, n))| (k, l.to_string(), cat, n))
        .collect();
    concepts.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.cmp(&b.0)));
    concepts.truncate(TOP_CONCEPTS);
    let items: Vec<(usize, String, RGBColor)> = concepts
        .into_iter()
        .map(|(k, l, cat, _)| (k, l, colours.get(cat).copied().unwrap_or(MUTED)))
        .collect();
    cooccurrence(
        &format!("The {} concepts in the most articles, mentioned together", items.len()),
        "Cells: articles mentioning both; the framed diagonal: the concept's own articles; dots: the concept's category"
            .into(),
        &items,
        pairs,
    )
}

fn trends(data: &ReportData) -> String {
    let cats: Vec<_> = data.categories().collect();
    let (years, totals, per_cat) = data.years();
    // the named years with enough articles for a share to mean something
    let named: Vec<usize> = (0..years.len())
        .filter(|&y| !years[y].is_empty() && years[y].parse::<i32>().is_ok())
        .collect();
    let enough: Vec<usize> = named.iter().copied().filter(|&y| totals[y] >= FEW).collect();
    let (shown, note) = if enough.len() >= 2 {
        (enough, format!("years with at least {FEW} articles"))
    } else {
        (named, "every year".into())
    };
    let year = |y: usize| years[y].parse::<i32>().unwrap_or(0);
    let share = |k: usize, y: usize| per_cat[k][y] as f64 / totals[y].max(1) as f64;
    let ymax = cats
        .iter()
        .enumerate()
        .flat_map(|(k, _)| shown.iter().map(move |&y| (k, y)))
        .map(|(k, y)| share(k, y))
        .fold(0.0, f64::max)
        .max(0.01)
        * 1.08;
    let legend_w = cats.iter().map(|(_, l, _)| text_width(l, TEXT)).max().unwrap_or(0) + 50;
    let (width, height) = (900 + legend_w, 520);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        let drawn: Result<(), Box<dyn std::error::Error>> =
            (|| {
                root.fill(&WHITE)?;
                let left = Pos::new(HPos::Left, VPos::Center);
                root.draw(&Text::new(
                    "Mechanism categories over the years".to_string(),
                    (MARGIN, 20),
                    font(16.0).style(FontStyle::Bold).color(&INK).pos(left),
                ))?;
                root.draw(&Text::new(
                    format!("Share of each year's articles that mention the category ({note})"),
                    (MARGIN, 42),
                    font(TEXT).color(&MUTED).pos(left),
                ))?;
                let (plot, legend) = root.split_horizontally(width - legend_w);
                let plot = plot.margin(56, 10, 10, 20);
                // one evenly spaced slot per year shown, so years missing from the corpus take no room
                // (a line breaks across them)
                let slots = shown.len().max(1) as i32;
                let mut chart = ChartBuilder::on(&plot)
                    .x_label_area_size(44)
                    .y_label_area_size(64)
                    .build_cartesian_2d((0..slots - 1).into_segmented(), 0f64..ymax)?;
                let every = (shown.len() / 16).max(1);
                let label_of = |v: &SegmentValue<i32>| match v {
                    SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => shown
                        .get(*i as usize)
                        .filter(|_| (*i as usize).is_multiple_of(every))
                        .map(|&y| years[y].clone())
                        .unwrap_or_default(),
                    SegmentValue::Last => String::new(),
                };
                chart
                    .configure_mesh()
                    .x_labels(shown.len() + 1)
                    .x_label_formatter(&label_of)
                    .y_labels(8)
                    .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
                    .x_desc("Publication year")
                    .y_desc("Share of the year's articles")
                    .label_style(font(TEXT).color(&INK))
                    .axis_desc_style(font(TEXT).color(&MUTED))
                    .disable_x_mesh()
                    .light_line_style(WHITE)
                    .bold_line_style(GRID)
                    .draw()?;
                for (k, (_, _, c)) in cats.iter().enumerate() {
                    let colour = hex(c);
                    // a line through consecutive years; a gap in the years breaks it
                    let mut run: Vec<(SegmentValue<i32>, f64)> = Vec::new();
                    let mut last_year = None;
                    for (i, &y) in shown.iter().enumerate() {
                        if last_year.is_some_and(|l| year(y) != l + 1) {
                            chart.draw_series(LineSeries::new(std::mem::take(&mut run), colour.stroke_width(2)))?;
                        }
                        run.push((SegmentValue::CenterOf(i as i32), share(k, y)));
                        last_year = Some(year(y));
                    }
                    chart.draw_series(LineSeries::new(run, colour.stroke_width(2)))?;
                    chart.draw_series(shown.iter().enumerate().map(|(i, &y)| {
                        Circle::new((SegmentValue::CenterOf(i as i32), share(k, y)), 3, colour.filled())
                    }))?;
                }
                for (k, (_, label, c)) in cats.iter().enumerate() {
                    let y = 80 + k as i32 * 22;
                    legend.draw(&PathElement::new(vec![(4, y), (26, y)], hex(c).stroke_width(3)))?;
                    legend.draw(&Text::new(label.to_string(), (34, y), font(TEXT).color(&INK).pos(left)))?;
                }
                Ok(())
            })();
        drawn.expect("drawing into a string does not fail");
        root.present().expect("drawing into a string does not fail");
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_and_numbers() {
        assert_eq!(heat(0.0), WHITE);
        assert_eq!(heat(1.0), RGBColor(8, 48, 107));
        assert_eq!(heat(2.0), RGBColor(8, 48, 107));
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(999), "999");
        assert_eq!(percent(0.126), "13%");
        assert_eq!(hex("#1f77b4"), RGBColor(0x1f, 0x77, 0xb4));
    }
}
