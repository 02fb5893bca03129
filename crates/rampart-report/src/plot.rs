//! Axes, frames and legends, and the chart kinds several sections share: histograms and
//! estimates with their 95 % confidence intervals.
//!
//! A [`Chart`] describes a figure (title, axis labels, size, legend); [`Chart::frame`] draws
//! its grid, ticks, labels and legend and returns a [`Frame`] whose scales place the data.
//! Ticks fall on 1, 2 or 5 × 10^k.

use super::svg::{Fill, Mark, Shape, Stroke, Svg, Text, colour, text_width};
use rampart_sim::montecarlo::stats::Estimate;

/// Width of a full-width figure, px.
pub(super) const WIDTH: f64 = 800.0;
/// Width of a small-multiple panel (two to a row), px.
pub(super) const PANEL_WIDTH: f64 = 400.0;
/// Left margin of a chart with a numeric vertical axis, px.
pub(super) const LEFT: f64 = 66.0;
/// Right margin, px.
pub(super) const RIGHT: f64 = 20.0;
/// Height above the plot: the title, px.
const TOP: f64 = 36.0;
/// Height below the plot: tick labels and the axis label, px.
const BOTTOM: f64 = 46.0;
/// Height of a legend row, px.
const LEGEND_ROW: f64 = 18.0;

/// The step of about `target` ticks over `span`: 1, 2 or 5 × 10^k.
pub(super) fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span.abs() / target.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// The largest 1, 2 or 5 × 10^k not above `x` (`x` > 0).
pub(super) fn nice_floor(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(x.log10().floor());
    let f = x / mag;
    let m = if f >= 5.0 {
        5.0
    } else if f >= 2.0 {
        2.0
    } else {
        1.0
    };
    m * mag
}

/// `v` with as many decimals as a tick `step` needs.
pub(super) fn number(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        0
    } else {
        (-step.log10() - 1e-9).ceil() as usize
    };
    let s = format!("{:.*}", decimals, v + 0.0);
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s.replace('-', "−")
    }
}

/// The data range of an axis and how to fit it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Span {
    /// Lowest value.
    pub lo: f64,
    /// Highest value.
    pub hi: f64,
    /// Widen the ends to whole ticks.
    nice: bool,
    /// Ticks at whole numbers only.
    integer: bool,
}

impl Span {
    /// `lo ..= hi`, widened to whole ticks.
    pub fn nice(lo: f64, hi: f64) -> Self {
        Self::make(lo, hi, true)
    }
    /// Exactly `lo ..= hi`.
    pub fn exact(lo: f64, hi: f64) -> Self {
        Self::make(lo, hi, false)
    }
    /// The smallest nice span holding every finite value of `values` (0 ..= 1 if none).
    pub fn around(values: impl IntoIterator<Item = f64>) -> Self {
        let (lo, hi) = values
            .into_iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        if lo > hi {
            Self::nice(0.0, 1.0)
        } else {
            Self::nice(lo, hi)
        }
    }
    /// Widened by a fraction `f` of its length at each end, exactly (so that points at the
    /// ends stand off the axes).
    pub fn padded(self, f: f64) -> Self {
        let pad = f * (self.hi - self.lo);
        Self::exact(self.lo - pad, self.hi + pad)
    }
    /// With ticks at whole numbers only.
    pub fn integer(self) -> Self {
        Self {
            integer: true,
            ..self
        }
    }
    fn make(lo: f64, hi: f64, nice: bool) -> Self {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo.min(hi), lo.max(hi))
        } else {
            (0.0, 1.0)
        };
        if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
            let pad = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
            lo -= pad;
            hi += pad;
        }
        Self {
            lo,
            hi,
            nice,
            integer: false,
        }
    }
}

/// A linear map from data values to pixels, with its ticks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Scale {
    /// Data value at `p0`.
    pub lo: f64,
    /// Data value at `p1`.
    pub hi: f64,
    p0: f64,
    p1: f64,
    step: f64,
}

impl Scale {
    /// The scale of `span` over pixels `p0 ..= p1`, with about `target` ticks.
    pub fn new(span: Span, p0: f64, p1: f64, target: usize) -> Self {
        let mut step = nice_step(span.hi - span.lo, target);
        if span.integer {
            step = step.max(1.0);
        }
        let (lo, hi) = if span.nice {
            (
                (span.lo / step).floor() * step,
                (span.hi / step).ceil() * step,
            )
        } else {
            (span.lo, span.hi)
        };
        Self {
            lo,
            hi,
            p0,
            p1,
            step,
        }
    }
    /// The pixel of value `v`.
    pub fn px(&self, v: f64) -> f64 {
        self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)
    }
    /// Tick values within the scale.
    pub fn ticks(&self) -> Vec<f64> {
        let k0 = (self.lo / self.step - 1e-9).ceil() as i64;
        let k1 = (self.hi / self.step + 1e-9).floor() as i64;
        (k0..=k1.min(k0 + 60))
            .map(|k| k as f64 * self.step)
            .collect()
    }
    /// Tick label of `v`.
    pub fn label(&self, v: f64) -> String {
        number(v, self.step)
    }
}

/// The vertical axis of a chart.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum YAxis {
    /// Numbers.
    Linear(Span),
    /// One labelled row per item, top to bottom.
    Rows(Vec<String>),
}

/// What a legend entry shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Key {
    /// A line.
    Line(Stroke),
    /// A marker.
    Mark(Mark),
    /// A filled box.
    Swatch(Fill, Option<Stroke>),
    /// A line with a marker on it.
    LineMark(Stroke, Mark),
}

/// One entry of a legend.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct LegendEntry {
    /// What it shows.
    pub key: Key,
    /// What it means.
    pub label: String,
}

impl LegendEntry {
    /// An entry.
    pub fn new(key: Key, label: impl Into<String>) -> Self {
        Self {
            key,
            label: label.into(),
        }
    }
}

/// Column width, columns and rows of a legend of `entries` laid out in `width` px.
fn legend_layout(entries: &[LegendEntry], width: f64) -> (f64, usize, usize) {
    let widest = entries
        .iter()
        .map(|e| text_width(&e.label, 12.0) + 40.0)
        .fold(60.0, f64::max)
        .min(width);
    let cols = ((width / widest).floor() as usize).max(1);
    let rows = entries.len().div_ceil(cols);
    (width / cols as f64, cols, rows)
}

/// Height of a legend of `entries` laid out in `width` px (0 if there are none).
pub(super) fn legend_height(entries: &[LegendEntry], width: f64) -> f64 {
    if entries.is_empty() {
        return 0.0;
    }
    let (_, _, rows) = legend_layout(entries, width);
    rows as f64 * LEGEND_ROW + 8.0
}

/// Draws a legend of `entries` in columns, its top-left corner at (`x`, `y`).
pub(super) fn legend(svg: &mut Svg, x: f64, y: f64, width: f64, entries: &[LegendEntry]) {
    let (colw, cols, _) = legend_layout(entries, width);
    for (i, e) in entries.iter().enumerate() {
        let cx = x + (i % cols) as f64 * colw;
        let cy = y + (i / cols) as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        match e.key {
            Key::Line(s) => svg.line((cx, cy), (cx + 24.0, cy), s),
            Key::Mark(m) => svg.mark((cx + 12.0, cy), m, 8.0),
            Key::Swatch(f, s) => svg.rect(cx + 4.0, cy - 6.0, 16.0, 12.0, Some(f), s),
            Key::LineMark(s, m) => {
                svg.line((cx, cy), (cx + 24.0, cy), s);
                svg.mark((cx + 12.0, cy), m, 7.0);
            }
        }
        svg.text((cx + 30.0, cy + 4.0), &e.label, Text::new());
    }
}

/// A chart: its title, axis labels, size and legend.
#[derive(Clone, Copy, Debug)]
pub(super) struct Chart<'a> {
    /// Title, drawn above the plot and as the SVG `<title>`.
    pub title: &'a str,
    /// Horizontal axis label, with its unit.
    pub x_label: &'a str,
    /// Vertical axis label, with its unit (unused for rows).
    pub y_label: &'a str,
    /// Width of the whole figure, px.
    pub width: f64,
    /// Height of the plot area, px.
    pub plot_height: f64,
    /// Legend entries, drawn below the axis.
    pub legend: &'a [LegendEntry],
}

/// A chart with its axes drawn: place data with `x` and `y`.
#[derive(Debug)]
pub(super) struct Frame {
    /// The picture.
    pub svg: Svg,
    /// Horizontal scale.
    pub x: Scale,
    /// Vertical scale (for rows: row `i` spans `i .. i + 1`, top down).
    pub y: Scale,
    /// Plot area: left, top, right, bottom, px.
    pub area: [f64; 4],
}

impl Chart<'_> {
    /// The left margin for `y`.
    fn left(&self, y: &YAxis) -> f64 {
        match y {
            YAxis::Linear(_) => LEFT,
            YAxis::Rows(labels) => labels
                .iter()
                .map(|l| text_width(l, 12.0) + 16.0)
                .fold(60.0, f64::max)
                .min(0.45 * self.width),
        }
    }

    /// The horizontal scale [`Chart::frame`] draws data spanning `x` on, beside axis `y`.
    pub fn x_scale(&self, x: Span, y: &YAxis) -> Scale {
        let (left, right) = (self.left(y), self.width - RIGHT);
        Scale::new(x, left, right, ((right - left) / 80.0).round() as usize)
    }

    /// Draws the title, grid, ticks, axis labels and legend for data spanning `x` and `y`.
    pub fn frame(&self, x: Span, y: YAxis) -> Frame {
        let left = self.left(&y);
        let right = self.width - RIGHT;
        let top = TOP;
        let bottom = top + self.plot_height;
        let legend_h = legend_height(self.legend, self.width - 24.0);
        let height = bottom + BOTTOM + legend_h;
        let mut svg = Svg::new(self.width, height, self.title);
        svg.text((12.0, 22.0), self.title, Text::new().size(15.0).bold());
        let xs = self.x_scale(x, &y);
        let ys = match &y {
            YAxis::Linear(span) => Scale::new(
                *span,
                bottom,
                top,
                (self.plot_height / 40.0).round() as usize,
            ),
            YAxis::Rows(labels) => {
                Scale::new(Span::exact(0.0, labels.len() as f64), top, bottom, 1)
            }
        };
        let grid = Stroke::solid(colour::GRID, 1.0);
        for t in xs.ticks() {
            let px = xs.px(t);
            svg.line((px, top), (px, bottom), grid);
            svg.line(
                (px, bottom),
                (px, bottom + 4.0),
                Stroke::solid(colour::INK, 1.0),
            );
            svg.text((px, bottom + 17.0), &xs.label(t), Text::new().middle());
        }
        match &y {
            YAxis::Linear(_) => {
                for t in ys.ticks() {
                    let py = ys.px(t);
                    svg.line((left, py), (right, py), grid);
                    svg.line(
                        (left - 4.0, py),
                        (left, py),
                        Stroke::solid(colour::INK, 1.0),
                    );
                    svg.text((left - 7.0, py + 4.0), &ys.label(t), Text::new().end());
                }
                let mid = (top + bottom) / 2.0;
                svg.text((15.0, mid), self.y_label, Text::new().middle().vertical());
            }
            YAxis::Rows(labels) => {
                for (i, l) in labels.iter().enumerate() {
                    let (y0, y1) = (ys.px(i as f64), ys.px(i as f64 + 1.0));
                    if i % 2 == 0 {
                        svg.rect(
                            left,
                            y0,
                            right - left,
                            y1 - y0,
                            Some(Fill::solid("#F6F6F6")),
                            None,
                        );
                    }
                    svg.text((left - 8.0, (y0 + y1) / 2.0 + 4.0), l, Text::new().end());
                }
            }
        }
        svg.text(
            ((left + right) / 2.0, bottom + 36.0),
            self.x_label,
            Text::new().middle(),
        );
        legend(
            &mut svg,
            12.0,
            bottom + BOTTOM + 2.0,
            self.width - 24.0,
            self.legend,
        );
        Frame {
            svg,
            x: xs,
            y: ys,
            area: [left, top, right, bottom],
        }
    }
}

impl Frame {
    /// The pixel of data point (`x`, `y`).
    pub fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (self.x.px(x), self.y.px(y))
    }

    /// The vertical centre of row `i`.
    pub fn row(&self, i: usize) -> f64 {
        self.y.px(i as f64 + 0.5)
    }

    /// A note in the middle of the plot (for a chart without data).
    pub fn note(&mut self, s: &str) {
        let [l, t, r, b] = self.area;
        self.svg.text(
            ((l + r) / 2.0, (t + b) / 2.0),
            s,
            Text::new().middle().size(14.0).colour(colour::MUTED),
        );
    }

    /// An error bar in data units from (`x`, `lo`) to (`x`, `hi`) with caps.
    pub fn whisker_v(&mut self, x: f64, lo: f64, hi: f64, c: &'static str) {
        let (px, a, b) = (self.x.px(x), self.y.px(lo), self.y.px(hi));
        let s = Stroke::solid(c, 1.4);
        self.svg.line((px, a), (px, b), s);
        self.svg.line((px - 4.0, a), (px + 4.0, a), s);
        self.svg.line((px - 4.0, b), (px + 4.0, b), s);
    }

    /// An error bar from `lo` to `hi` (data units) at pixel height `py`, with caps.
    pub fn whisker_h(&mut self, py: f64, lo: f64, hi: f64, c: &'static str) {
        let (a, b) = (self.x.px(lo), self.x.px(hi));
        let s = Stroke::solid(c, 1.6);
        self.svg.line((a, py), (b, py), s);
        self.svg.line((a, py - 5.0), (a, py + 5.0), s);
        self.svg.line((b, py - 5.0), (b, py + 5.0), s);
    }

    /// The finished picture (the axis lines drawn over the data).
    pub fn finish(mut self) -> String {
        let [l, t, r, b] = self.area;
        let ink = Stroke::solid(colour::INK, 1.2);
        self.svg.line((l, b), (r, b), ink);
        self.svg.line((l, t), (l, b), ink);
        self.svg.finish()
    }
}

/// One bar of a histogram: observations in `lo .. hi`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Observations.
    pub count: u64,
}

/// A histogram to draw.
#[derive(Clone, Copy, Debug)]
pub(super) struct Histogram<'a> {
    /// Title.
    pub title: &'a str,
    /// What the bins count, with unit.
    pub x_label: &'a str,
    /// What the heights count.
    pub y_label: &'a str,
    /// The bins (empty ones may be left out).
    pub bins: &'a [Bin],
    /// Bins are whole numbers (ticks on integers).
    pub integer: bool,
    /// Bar colour.
    pub fill: &'static str,
    /// Said in the plot when there are no observations.
    pub empty: &'a str,
}

/// Draws a histogram: bars on a frame, counts from zero.
pub(super) fn histogram(h: &Histogram) -> String {
    let chart = Chart {
        title: h.title,
        x_label: h.x_label,
        y_label: h.y_label,
        width: WIDTH,
        plot_height: 220.0,
        legend: &[],
    };
    let bins: Vec<&Bin> = h.bins.iter().filter(|b| b.count > 0).collect();
    let lo = bins.iter().map(|b| b.lo).fold(f64::INFINITY, f64::min);
    let hi = bins.iter().map(|b| b.hi).fold(f64::NEG_INFINITY, f64::max);
    let top = bins.iter().map(|b| b.count).max().unwrap_or(0);
    let x = match (bins.is_empty(), h.integer) {
        (true, _) => Span::nice(0.0, 1.0),
        // Whole-number bins are already a unit wide about their value.
        (false, true) => Span::exact(lo, hi).integer(),
        (false, false) => Span::nice(lo, hi),
    };
    let mut f = chart.frame(
        x,
        YAxis::Linear(Span::nice(0.0, top.max(1) as f64).integer()),
    );
    if bins.is_empty() {
        f.note(h.empty);
        return f.finish();
    }
    for b in bins {
        let (x0, y0) = f.at(b.lo, b.count as f64);
        let (x1, y1) = f.at(b.hi, 0.0);
        let gap = if x1 - x0 > 4.0 { 1.0 } else { 0.0 };
        f.svg.rect(
            x0 + gap,
            y0,
            x1 - x0 - 2.0 * gap,
            y1 - y0,
            Some(Fill::solid(h.fill)),
            None,
        );
    }
    f.finish()
}

/// Draws estimates (probabilities) with their 95 % confidence intervals, one row each: a dot at
/// the estimate and a bar from the interval's lower to its upper end, on 0 … 1.
pub(super) fn estimates(title: &str, x_label: &str, rows: &[(String, Estimate)]) -> String {
    let legend = [
        LegendEntry::new(
            Key::Mark(Mark::filled(Shape::Circle, colour::BLUE)),
            "estimate",
        ),
        LegendEntry::new(
            Key::Line(Stroke::solid(colour::BLUE, 1.6)),
            "95 % confidence interval",
        ),
    ];
    let chart = Chart {
        title,
        x_label,
        y_label: "",
        width: WIDTH,
        plot_height: 26.0 * rows.len().max(1) as f64,
        legend: &legend,
    };
    let labels = rows.iter().map(|(l, _)| l.clone()).collect();
    let mut f = chart.frame(Span::exact(0.0, 1.0), YAxis::Rows(labels));
    for (i, (_, e)) in rows.iter().enumerate() {
        let y = f.row(i);
        f.whisker_h(y, e.ci_low, e.ci_high, colour::BLUE);
        f.svg.mark(
            (f.x.px(e.mean), y),
            Mark::filled(Shape::Circle, colour::BLUE),
            8.0,
        );
    }
    if rows.is_empty() {
        f.note("No estimate has any trials");
    }
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_one_two_five() {
        // X-Val: by hand.
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(0.7, 5), 0.2);
        assert_eq!(nice_step(430.0, 8), 100.0);
        assert_eq!(nice_step(3.0, 10), 0.5);
        assert_eq!(nice_floor(87.0), 50.0);
        assert_eq!(nice_floor(0.3), 0.2);
        let s = Scale::new(Span::nice(0.13, 0.92), 0.0, 100.0, 5);
        assert_eq!(s.ticks(), [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        assert_eq!(s.label(0.6000000000000001), "0.6");
        assert_eq!(number(-0.0001, 0.1), "0.0");
        assert_eq!(number(-2.0, 1.0), "−2");
    }

    #[test]
    fn degenerate_spans_widen() {
        let s = Scale::new(Span::nice(5.0, 5.0), 0.0, 100.0, 5);
        assert!(s.lo < 5.0 && s.hi > 5.0);
        let s = Scale::new(Span::nice(f64::NAN, 1.0), 0.0, 100.0, 5);
        assert_eq!((s.lo, s.hi), (0.0, 1.0));
    }
}
