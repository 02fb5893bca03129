//! A small SVG writer: escaped text, coordinates rounded to 0.1 px, the colour palette and the
//! markers every figure shares.
//!
//! Every picture of the report is written by hand with this module rather than with `plotters`:
//! a map is a domain picture no plotting crate draws, and one writer gives every chart the
//! same fonts, colours and markers, escapes every string in one place, writes presentation
//! attributes (so each `<svg>` also stands alone outside the page) and adds nothing to the build.
//! plotters without its font features can only guess text extents, and with them it pulls in a
//! font stack the report does not need.

use std::fmt::Write as _;

/// The font stack of every text (system sans-serif fonts; nothing is downloaded).
pub(super) const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design"), with
/// the neutrals the figures use.
pub(super) mod colour {
    /// Black.
    pub const BLACK: &str = "#000000";
    /// Orange.
    pub const ORANGE: &str = "#E69F00";
    /// Sky blue.
    pub const SKY: &str = "#56B4E9";
    /// Bluish green.
    pub const GREEN: &str = "#009E73";
    /// Blue.
    pub const BLUE: &str = "#0072B2";
    /// Vermillion.
    pub const VERMILLION: &str = "#D55E00";
    /// Reddish purple.
    pub const PURPLE: &str = "#CC79A7";
    /// Neutral grey for secondary marks.
    pub const GREY: &str = "#7A7A7A";
    /// Grid lines.
    pub const GRID: &str = "#E3E3E3";
    /// Axis lines and text.
    pub const INK: &str = "#222222";
    /// Secondary text.
    pub const MUTED: &str = "#555555";
}

/// The symbols of the map, the profiles and the timeline (one meaning, one symbol).
pub(super) mod symbol {
    use super::{Mark, Shape, colour};
    /// A defended asset's centre.
    pub const ASSET: Mark = Mark::filled(Shape::Circle, colour::GREEN);
    /// A radar.
    pub const RADAR: Mark = Mark::filled(Shape::Diamond, colour::BLUE);
    /// A visual observer.
    pub const OBSERVER: Mark = Mark::hollow(Shape::Diamond, colour::BLUE);
    /// An interceptor launcher (or an interceptor's launch).
    pub const LAUNCHER: Mark = Mark::hollow(Shape::Square, colour::BLUE);
    /// A counter-RAM gun.
    pub const GUN: Mark = Mark::filled(Shape::Square, colour::BLUE);
    /// A threat launch site (or a threat's launch).
    pub const SITE: Mark = Mark::filled(Shape::Triangle, colour::BLACK);
    /// An intercept that killed its threat.
    pub const KILL: Mark = Mark::filled(Shape::Star, colour::PURPLE);
    /// An intercept that missed.
    pub const MISS: Mark = Mark::hollow(Shape::Star, colour::PURPLE);
    /// An impact on an asset.
    pub const HIT: Mark = Mark::filled(Shape::Cross, colour::VERMILLION);
    /// An impact off every asset.
    pub const IMPACT: Mark = Mark::hollow(Shape::Cross, colour::BLACK);
    /// A threat that failed in flight.
    pub const FAILURE: Mark = Mark::filled(Shape::Plus, colour::GREY);
}

/// Colours of threat types, in scenario order.
pub(super) const THREAT_COLOURS: [&str; 4] = [
    colour::VERMILLION,
    colour::ORANGE,
    colour::PURPLE,
    colour::BLACK,
];

/// Colours of interceptor types, in scenario order.
pub(super) const DEFENCE_COLOURS: [&str; 3] = [colour::BLUE, colour::GREEN, colour::SKY];

/// Colours of general series (lines of a sweep, radars of the timeline).
pub(super) const SERIES: [&str; 7] = [
    colour::BLUE,
    colour::VERMILLION,
    colour::GREEN,
    colour::ORANGE,
    colour::PURPLE,
    colour::SKY,
    colour::BLACK,
];

/// The `i`-th colour of `palette`, cycling.
pub(super) fn pick(palette: &[&'static str], i: usize) -> &'static str {
    palette[i % palette.len()]
}

/// `s` escaped for XML text and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A coordinate rounded to 0.1 px (non-finite values become 0, so the markup stays valid).
pub(super) fn n(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    // Adding 0.0 turns −0 into 0.
    format!("{}", (v * 10.0).round() / 10.0 + 0.0)
}

/// The rough width of `s` in a sans-serif font of `size` px (for layout only).
pub(super) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// How a line is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Stroke {
    /// Colour.
    pub colour: &'static str,
    /// Width, px.
    pub width: f64,
    /// Dash pattern, if dashed.
    pub dash: Option<&'static str>,
    /// Opacity in [0, 1].
    pub opacity: f64,
}

impl Stroke {
    /// A solid line.
    pub const fn solid(colour: &'static str, width: f64) -> Self {
        Self {
            colour,
            width,
            dash: None,
            opacity: 1.0,
        }
    }
    /// A dashed line.
    pub const fn dashed(colour: &'static str, width: f64, dash: &'static str) -> Self {
        Self {
            colour,
            width,
            dash: Some(dash),
            opacity: 1.0,
        }
    }
    /// This line with opacity `opacity`.
    pub const fn faded(self, opacity: f64) -> Self {
        Self { opacity, ..self }
    }
    fn attrs(&self) -> String {
        let mut a = format!(
            " stroke=\"{}\" stroke-width=\"{}\"",
            self.colour,
            n(self.width)
        );
        if let Some(d) = self.dash {
            let _ = write!(a, " stroke-dasharray=\"{d}\"");
        }
        if self.opacity < 1.0 {
            let _ = write!(a, " stroke-opacity=\"{}\"", self.opacity);
        }
        a
    }
}

/// How an area is filled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Fill {
    /// Colour.
    pub colour: &'static str,
    /// Opacity in [0, 1].
    pub opacity: f64,
}

impl Fill {
    /// An opaque fill.
    pub const fn solid(colour: &'static str) -> Self {
        Self {
            colour,
            opacity: 1.0,
        }
    }
    /// A translucent fill.
    pub const fn translucent(colour: &'static str, opacity: f64) -> Self {
        Self { colour, opacity }
    }
    fn attrs(fill: Option<Fill>) -> String {
        match fill {
            None => " fill=\"none\"".into(),
            Some(f) if f.opacity < 1.0 => {
                format!(" fill=\"{}\" fill-opacity=\"{}\"", f.colour, f.opacity)
            }
            Some(f) => format!(" fill=\"{}\"", f.colour),
        }
    }
}

/// A marker's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// A circle.
    Circle,
    /// A square.
    Square,
    /// A triangle, point up.
    Triangle,
    /// A diamond.
    Diamond,
    /// A five-pointed star.
    Star,
    /// A diagonal cross (×).
    Cross,
    /// An upright cross (+).
    Plus,
    /// A short vertical bar.
    Tick,
}

/// A marker: a shape, its colour, and whether it is filled or drawn in outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Mark {
    /// Shape.
    pub shape: Shape,
    /// Colour.
    pub colour: &'static str,
    /// Filled (else outlined on white).
    pub filled: bool,
}

impl Mark {
    /// A filled marker.
    pub const fn filled(shape: Shape, colour: &'static str) -> Self {
        Self {
            shape,
            colour,
            filled: true,
        }
    }
    /// An outlined marker.
    pub const fn hollow(shape: Shape, colour: &'static str) -> Self {
        Self {
            shape,
            colour,
            filled: false,
        }
    }
}

/// How a text is set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Text {
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// Size, px.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Colour.
    pub colour: &'static str,
    /// Rotated a quarter turn anticlockwise (for a vertical axis label).
    pub vertical: bool,
    /// With a white outline, to stay legible over lines.
    pub halo: bool,
}

impl Text {
    /// 12 px, left-aligned, ink.
    pub const fn new() -> Self {
        Self {
            anchor: "start",
            size: 12.0,
            bold: false,
            colour: colour::INK,
            vertical: false,
            halo: false,
        }
    }
    /// Centred.
    pub const fn middle(self) -> Self {
        Self {
            anchor: "middle",
            ..self
        }
    }
    /// Right-aligned.
    pub const fn end(self) -> Self {
        Self {
            anchor: "end",
            ..self
        }
    }
    /// Of size `size`.
    pub const fn size(self, size: f64) -> Self {
        Self { size, ..self }
    }
    /// Bold.
    pub const fn bold(self) -> Self {
        Self { bold: true, ..self }
    }
    /// In `colour`.
    pub const fn colour(self, colour: &'static str) -> Self {
        Self { colour, ..self }
    }
    /// Rotated to read bottom to top.
    pub const fn vertical(self) -> Self {
        Self {
            vertical: true,
            ..self
        }
    }
    /// With a white outline.
    pub const fn halo(self) -> Self {
        Self { halo: true, ..self }
    }
}

/// One SVG picture being written.
#[derive(Debug)]
pub(super) struct Svg {
    out: String,
}

impl Svg {
    /// A picture `width` × `height` px (its viewBox), titled `title` (the `<title>` element that
    /// screen readers and tooltips show), on a white background.
    pub fn new(width: f64, height: f64, title: &str) -> Self {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
             height=\"{h}\" role=\"img\" font-family=\"{FONT}\" font-size=\"12\">\
             <title>{}</title><rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
            esc(title),
            w = n(width),
            h = n(height),
        );
        Self { out }
    }

    /// Appends markup as is (the caller escapes).
    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// A straight line.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), s: Stroke) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>",
            n(a.0),
            n(a.1),
            n(b.0),
            n(b.1),
            s.attrs()
        );
    }

    /// A polyline through `pts` (points closer than half a pixel to the last kept one are
    /// dropped; the last point is always kept).
    pub fn polyline(&mut self, pts: &[(f64, f64)], s: Stroke) {
        if pts.len() < 2 {
            return;
        }
        let _ = write!(
            self.out,
            "<polyline points=\"{}\" fill=\"none\"{} stroke-linejoin=\"round\"/>",
            points(pts),
            s.attrs()
        );
    }

    /// A closed polygon through `pts`.
    pub fn polygon(&mut self, pts: &[(f64, f64)], fill: Option<Fill>, s: Option<Stroke>) {
        if pts.len() < 3 {
            return;
        }
        let _ = write!(
            self.out,
            "<polygon points=\"{}\"{}{}/>",
            points(pts),
            Fill::attrs(fill),
            s.map_or_else(String::new, |s| s.attrs())
        );
    }

    /// A rectangle with its top-left corner at (`x`, `y`).
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: Option<Fill>, s: Option<Stroke>) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}{}/>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            Fill::attrs(fill),
            s.map_or_else(String::new, |s| s.attrs())
        );
    }

    /// A circle of radius `r` at `c`.
    pub fn circle(&mut self, c: (f64, f64), r: f64, fill: Option<Fill>, s: Option<Stroke>) {
        let _ = write!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{}{}/>",
            n(c.0),
            n(c.1),
            n(r.max(0.0)),
            Fill::attrs(fill),
            s.map_or_else(String::new, |s| s.attrs())
        );
    }

    /// A path from its `d` data (already in pixels), with a class naming what it is.
    pub fn path(&mut self, class: &str, d: &str, fill: Option<Fill>, s: Stroke) {
        if d.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<path class=\"{}\" d=\"{d}\"{}{} stroke-linejoin=\"round\"/>",
            esc(class),
            Fill::attrs(fill),
            s.attrs()
        );
    }

    /// Text `s` (escaped here) at `p`.
    pub fn text(&mut self, p: (f64, f64), s: &str, t: Text) {
        let _ = write!(
            self.out,
            "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{}\" fill=\"{}\"",
            t.anchor,
            t.colour,
            x = n(p.0),
            y = n(p.1)
        );
        if t.size != 12.0 {
            let _ = write!(self.out, " font-size=\"{}\"", n(t.size));
        }
        if t.bold {
            self.out.push_str(" font-weight=\"600\"");
        }
        if t.vertical {
            let _ = write!(self.out, " transform=\"rotate(-90 {} {})\"", n(p.0), n(p.1));
        }
        if t.halo {
            self.out.push_str(
                " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" \
                 paint-order=\"stroke\"",
            );
        }
        let _ = write!(self.out, ">{}</text>", esc(s));
    }

    /// Marker `m` of size `size` px (about its width) centred at `p`.
    pub fn mark(&mut self, p: (f64, f64), m: Mark, size: f64) {
        let r = size / 2.0;
        let (x, y) = p;
        let fill = if m.filled {
            Some(Fill::solid(m.colour))
        } else {
            Some(Fill::solid("#ffffff"))
        };
        let line = Stroke::solid(m.colour, if m.filled { 0.8 } else { 1.4 });
        match m.shape {
            Shape::Circle => self.circle(p, r, fill, Some(line)),
            Shape::Square => self.rect(x - r, y - r, size, size, fill, Some(line)),
            Shape::Triangle => self.polygon(
                &[
                    (x, y - r * 1.15),
                    (x + r * 1.05, y + r * 0.8),
                    (x - r * 1.05, y + r * 0.8),
                ],
                fill,
                Some(line),
            ),
            Shape::Diamond => self.polygon(
                &[(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)],
                fill,
                Some(line),
            ),
            Shape::Star => {
                let pts: Vec<(f64, f64)> = (0..10)
                    .map(|k| {
                        let a = std::f64::consts::PI * k as f64 / 5.0;
                        let rr = if k % 2 == 0 { r * 1.3 } else { r * 0.55 };
                        (x + rr * a.sin(), y - rr * a.cos())
                    })
                    .collect();
                self.polygon(&pts, fill, Some(line));
            }
            Shape::Cross => {
                let s = Stroke::solid(m.colour, if m.filled { 2.2 } else { 1.5 });
                self.line((x - r, y - r), (x + r, y + r), s);
                self.line((x - r, y + r), (x + r, y - r), s);
            }
            Shape::Plus => {
                let s = Stroke::solid(m.colour, 1.6);
                self.line((x - r, y), (x + r, y), s);
                self.line((x, y - r), (x, y + r), s);
            }
            Shape::Tick => {
                self.line(
                    (x, y - r * 1.3),
                    (x, y + r * 1.3),
                    Stroke::solid(m.colour, 2.4),
                );
            }
        }
    }

    /// Opens a group `<g class="…">` (closed by [`Svg::end_group`]).
    pub fn group(&mut self, class: &str) {
        let _ = write!(self.out, "<g class=\"{}\">", esc(class));
    }

    /// Closes the last group.
    pub fn end_group(&mut self) {
        self.out.push_str("</g>");
    }

    /// The finished `<svg>` element.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// `x,y x,y …`, thinned to points at least half a pixel apart (the last always kept).
fn points(pts: &[(f64, f64)]) -> String {
    let mut s = String::with_capacity(pts.len() * 12);
    let mut last: Option<(f64, f64)> = None;
    for (i, &p) in pts.iter().enumerate() {
        let keep = i + 1 == pts.len()
            || last.is_none_or(|q| (p.0 - q.0).abs() >= 0.5 || (p.1 - q.1).abs() >= 0.5);
        if keep {
            if last.is_some() {
                s.push(' ');
            }
            let _ = write!(s, "{},{}", n(p.0), n(p.1));
            last = Some(p);
        }
    }
    s
}

/// SVG path data `M x y L x y …` for each run of `runs` (runs of fewer than two points are
/// skipped; points are thinned as for [`Svg::polyline`]).
pub(super) fn path_data(runs: &[Vec<(f64, f64)>]) -> String {
    let mut d = String::new();
    for run in runs.iter().filter(|r| r.len() >= 2) {
        let pts = points(run);
        let mut first = true;
        for p in pts.split(' ') {
            d.push_str(if first { "M" } else { "L" });
            d.push_str(p);
            first = false;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
    }

    #[test]
    fn rounds_coordinates() {
        assert_eq!(n(1.25), "1.3");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(12.0), "12");
        assert_eq!(n(f64::NAN), "0");
    }

    #[test]
    fn thins_points() {
        let d = path_data(&[vec![(0.0, 0.0), (0.1, 0.1), (5.0, 5.0)]]);
        assert_eq!(d, "M0,0L5,5");
    }
}
