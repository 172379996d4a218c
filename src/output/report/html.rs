//! `report.html`: one self-contained file. The page is drawn by the hand-written script in
//! `assets/report.js` from the data in a `<script type="application/json">` element; the style
//! sheet and the script are inline, so the file opens from a disk, a mail or a USB stick, with
//! no network. Nothing in it depends on the time it was written.

use std::io::{self, Write};

use super::model::ReportData;

const TEMPLATE: &str = include_str!("assets/report.html");
const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");

/// The whole page, written into `w`.
pub fn render<W: Write>(data: &ReportData, title: &str, w: &mut W) -> io::Result<()> {
    let mut rest = TEMPLATE;
    while let Some(at) = rest.find("{{") {
        w.write_all(&rest.as_bytes()[..at])?;
        let end = rest[at..].find("}}").expect("the template's placeholders are closed") + at;
        match &rest[at + 2..end] {
            "GENERATOR" => w.write_all(concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")).as_bytes())?,
            "TITLE" => w.write_all(escape(title).as_bytes())?,
            "CSS" => w.write_all(CSS.as_bytes())?,
            "JS" => w.write_all(JS.as_bytes())?,
            "DATA" => data.write_json(w)?,
            other => unreachable!("no placeholder {other} in the template"),
        }
        rest = &rest[end + 2..];
    }
    w.write_all(rest.as_bytes())
}

/// Text for HTML element content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    }

    #[test]
    fn the_assets_hold_no_network_reference() {
        // the page must open offline: no URL it would fetch (links to open are built in the script)
        for (name, text) in [("css", CSS), ("js", JS), ("html", TEMPLATE)] {
            for bad in [
                "http://",
                "@import",
                "url(",
                "src=",
                "fetch(",
                "XMLHttpRequest",
                "<link",
            ] {
                let allowed = |at: usize| {
                    // the two link targets and the SVG namespace are not requests
                    let around = &text[at.saturating_sub(40)..(at + 60).min(text.len())];
                    around.contains("www.w3.org/2000/svg")
                };
                for (at, _) in text.match_indices(bad) {
                    assert!(allowed(at), "{name} has {bad:?}");
                }
            }
        }
    }
}
