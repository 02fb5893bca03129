//! The page around the figures: the HTML skeleton, its style sheet, sections, figures, tables,
//! key-number cards, and how numbers are written.

use super::svg::esc;
use rampart_core::{Geodetic, SimDuration};
use rampart_sim::montecarlo::stats::Estimate;
use std::fmt::Write as _;

/// The style sheet: print-friendly, system fonts, tabular figures.
const CSS: &str = "\
:root{color-scheme:light}\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;\
color:#1a1a1a;background:#fff;max-width:980px;margin:0 auto;padding:24px 28px 64px;line-height:1.45}\
h1{font-size:1.75rem;margin:0 0 .2rem}\
h2{font-size:1.3rem;border-bottom:2px solid #222;padding-bottom:4px;margin:2.4rem 0 .8rem}\
h3{font-size:1.05rem;margin:1.6rem 0 .5rem}\
.sub{color:#555;margin:0 0 1rem}\
nav{font-size:.9rem;margin:.6rem 0 1rem}nav a{margin-right:1rem;color:#0072B2}\
figure{margin:1.2rem 0 1.6rem;break-inside:avoid}\
figure svg{width:100%;height:auto;display:block}\
figcaption{font-size:.88rem;color:#444;margin-top:.3rem}\
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:0 16px}\
.panels figure{margin:.6rem 0}\
table{border-collapse:collapse;font-size:.86rem;font-variant-numeric:tabular-nums;margin:.4rem 0 1rem}\
th,td{padding:3px 9px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\
th{border-bottom:2px solid #999;font-weight:600}td.n{text-align:right;white-space:nowrap}\
.wide{overflow-x:auto}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:.8rem 0}\
.card{border:1px solid #d4d4d4;border-radius:6px;padding:8px 11px}\
.card .v{font-size:1.45rem;font-weight:600;font-variant-numeric:tabular-nums}\
.card .k{font-size:.8rem;color:#555}\
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}\
@media print{@page{margin:14mm 12mm}body{max-width:none;padding:0;font-size:10pt}nav{display:none}section+section{break-before:page}h2,h3{break-after:avoid}.wide{overflow:visible}table{max-width:100%;font-size:8pt}td,th{overflow-wrap:anywhere}td.n{white-space:normal}tr,.card{break-inside:avoid}.cards{grid-template-columns:repeat(4,1fr)}}";

/// One section of the report.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Section {
    /// Its `id` (the anchor other code and the tests look for).
    pub id: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Its HTML body.
    pub body: String,
}

/// The whole page: `heading` (HTML) above a table of contents and the sections.
pub(super) fn page(title: &str, heading: &str, sections: &[Section]) -> String {
    let mut o = String::with_capacity(sections.iter().map(|s| s.body.len()).sum::<usize>() + 8192);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head>\n<body>\n<header>{heading}<nav>",
        esc(title)
    );
    for s in sections {
        let _ = write!(o, "<a href=\"#{}\">{}</a>", s.id, esc(s.title));
    }
    o.push_str("</nav></header>\n");
    for s in sections {
        let _ = write!(
            o,
            "<section id=\"{}\">\n<h2>{}</h2>\n{}\n</section>\n",
            s.id,
            esc(s.title),
            s.body
        );
    }
    o.push_str(
        "<footer class=\"sub\"><p>Made by Rampart on notional, public parameters. \
         Coastlines and borders: Natural Earth 1:50m (public domain).</p></footer>\n\
         </body></html>\n",
    );
    o
}

/// A figure: an SVG picture and its caption (plain text, escaped here).
pub(super) fn figure(svg: &str, caption: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>\n",
        esc(caption)
    )
}

/// Figures laid out two to a row.
pub(super) fn panels(figures: &[String]) -> String {
    format!("<div class=\"panels\">{}</div>\n", figures.concat())
}

/// A sub-heading.
pub(super) fn h3(s: &str) -> String {
    format!("<h3>{}</h3>\n", esc(s))
}

/// A paragraph of plain text.
pub(super) fn para(s: &str) -> String {
    format!("<p>{}</p>\n", esc(s))
}

/// A table of plain-text cells (escaped here); cells that read as numbers are right-aligned.
pub(super) fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut o = String::from("<div class=\"wide\"><table><thead><tr>");
    for h in head {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead><tbody>");
    for r in rows {
        o.push_str("<tr>");
        for c in r {
            let class = if numeric(c) { " class=\"n\"" } else { "" };
            let _ = write!(o, "<td{class}>{}</td>", esc(c));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table></div>\n");
    o
}

/// Cells longer than this are text even when they start with a digit.
const NUMBER_MAX_CHARS: usize = 32;

/// Whether a cell reads as a number: short, and starting with a digit, a sign then a digit, or
/// `—` (a long cell that starts with a digit is text, and wraps).
fn numeric(c: &str) -> bool {
    if c.chars().count() > NUMBER_MAX_CHARS {
        return false;
    }
    let mut ch = c.chars();
    match ch.next() {
        Some(d) if d.is_ascii_digit() => true,
        Some('−' | '-') => ch.next().is_some_and(|d| d.is_ascii_digit()),
        Some('—') => c.chars().count() == 1,
        _ => false,
    }
}

/// Key numbers as cards: (value, what it is).
pub(super) fn cards(items: &[(String, String)]) -> String {
    let mut o = String::from("<div class=\"cards\">");
    for (v, k) in items {
        let _ = write!(
            o,
            "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div>",
            esc(v),
            esc(k)
        );
    }
    o.push_str("</div>\n");
    o
}

/// `v` with at most `decimals` decimals, trailing zeros dropped, a true minus sign.
pub(super) fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let mut s = format!("{:.*}", decimals, v);
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".into();
    }
    s.replace('-', "−")
}

/// An estimate and its 95 % interval: `0.62 [0.55, 0.69]`; `—` without trials.
pub(super) fn estimate(e: &Estimate, decimals: usize) -> String {
    if e.n == 0 {
        return "—".into();
    }
    format!(
        "{:.d$} [{:.d$}, {:.d$}]",
        e.mean,
        e.ci_low,
        e.ci_high,
        d = decimals
    )
    .replace('-', "−")
}

/// A length in metres written in km from 1 km (`2.5 km`, `170 km`), else in m (`0.61 m`).
pub(super) fn length(m: f64) -> String {
    if m.abs() >= 1_000.0 {
        format!("{} km", num(m / 1000.0, 2))
    } else {
        format!("{} m", num(m, 2))
    }
}

/// An angle in radians written in degrees.
pub(super) fn degrees(rad: f64) -> String {
    format!("{}°", num(rad.to_degrees(), 1))
}

/// A position: `33.7856° N, 42.4412° E`.
pub(super) fn position(g: &Geodetic) -> String {
    let (lat, lon) = (g.lat_deg(), g.lon_deg());
    format!(
        "{}° {}, {}° {}",
        num(lat.abs(), 4),
        if lat < 0.0 { 'S' } else { 'N' },
        num(lon.abs(), 4),
        if lon < 0.0 { 'W' } else { 'E' }
    )
}

/// A duration: seconds below two minutes, else minutes (`20 s`, `15 min`).
pub(super) fn duration(d: SimDuration) -> String {
    seconds(d.as_secs_f64())
}

/// A time in seconds: seconds below two minutes, else minutes.
pub(super) fn seconds(s: f64) -> String {
    if s.abs() >= 120.0 {
        format!("{} min", num(s / 60.0, 2))
    } else {
        format!("{} s", num(s, 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers() {
        assert_eq!(num(2.500, 3), "2.5");
        assert_eq!(num(-0.0001, 2), "0");
        assert_eq!(num(-3.0, 0), "−3");
        assert_eq!(length(2500.0), "2.5 km");
        assert_eq!(length(0.61), "0.61 m");
        assert_eq!(length(170_000.0), "170 km");
        assert_eq!(seconds(900.0), "15 min");
        assert_eq!(seconds(20.0), "20 s");
        let e = Estimate {
            mean: 0.5,
            ci_low: 0.25,
            ci_high: 0.75,
            n: 4,
        };
        assert_eq!(estimate(&e, 2), "0.50 [0.25, 0.75]");
    }

    #[test]
    fn tables_escape_and_align() {
        let t = table(&["a<b"], &[vec!["<x>".into()], vec!["12".into()]]);
        assert!(t.contains("<th>a&lt;b</th>"));
        assert!(t.contains("<td>&lt;x&gt;</td>"));
        assert!(t.contains("<td class=\"n\">12</td>"));
    }
}
