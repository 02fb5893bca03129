//! The parameter sweep: each statistic against each varied key, with 95 % intervals, and the
//! grid as a table.
//!
//! With two or more varied keys, a chart against one key draws one line per combination of the
//! values of the others.

use super::html::{figure, h3, num, panels, para, table};
use super::montecarlo::{Stat, describe, shown};
use super::plot::{Chart, Key, LegendEntry, PANEL_WIDTH, Span, YAxis};
use super::svg::{Mark, SERIES, Shape, Stroke, pick};
use rampart_sim::montecarlo::stats::Estimate;
use rampart_sim::montecarlo::sweep::{SweepResult, statistics};
use std::collections::BTreeMap;

/// Marker shapes of successive lines (with the colour, so lines differ in two ways).
const SHAPES: [Shape; 4] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
];

/// The statistics shown in the grid table, by name or name prefix.
const TABLE_STATS: [&str; 4] = [
    "p_zero_leakers",
    "leakers",
    "interceptors_launched",
    "p_hit:",
];

/// One line of a chart: its label and its points (x, estimate), in increasing x.
type Line = (String, Vec<(f64, Estimate)>);

/// The body of the sweep section.
pub(super) fn section(sw: &SweepResult) -> String {
    let Some(first) = sw.points.first() else {
        return para("The sweep has no grid point.");
    };
    let names: Vec<String> = statistics(&first.result)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut o = para(&format!(
        "{} grid points of {} replications each. Each chart shows one statistic against one \
         varied key, with 95 % confidence intervals; statistics without trials at any point are \
         left out.",
        sw.points.len(),
        sw.runs
    ));
    for (i, axis) in sw.axes.iter().enumerate() {
        o.push_str(&h3(&format!("Against {}", axis.path)));
        let figs: Vec<String> = names
            .iter()
            .filter_map(|name| {
                let lines = lines(sw, i, name);
                lines
                    .iter()
                    .any(|l| !l.1.is_empty())
                    .then(|| chart(sw, i, name, &lines))
            })
            .collect();
        o.push_str(&panels(&figs));
    }
    o.push_str(&h3("Grid"));
    o.push_str(&grid_table(sw, &names));
    o
}

/// The lines of statistic `name` against axis `i`: one per combination of the other axes.
fn lines(sw: &SweepResult, i: usize, name: &str) -> Vec<Line> {
    let mut groups: BTreeMap<Vec<usize>, Vec<(f64, Estimate)>> = BTreeMap::new();
    for p in &sw.points {
        let Some(&k) = p.at.get(i) else { continue };
        let Some(&x) = sw.axes[i].x.get(k) else {
            continue;
        };
        let mut others = p.at.clone();
        others.remove(i);
        let group = groups.entry(others).or_default();
        let e = statistics(&p.result)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| e);
        if let Some(e) = e.filter(|e| e.n > 0) {
            group.push((x, e));
        }
    }
    groups
        .into_iter()
        .map(|(others, mut pts)| {
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let label = sw
                .axes
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .zip(&others)
                .filter_map(|((_, a), &k)| Some(format!("{}={}", a.path, a.values.get(k)?)))
                .collect::<Vec<_>>()
                .join(", ");
            (label, pts)
        })
        .collect()
}

/// The label of axis `i`: its path, and its unit.
fn axis_label(sw: &SweepResult, i: usize) -> String {
    let a = &sw.axes[i];
    if a.unit.is_empty() {
        a.path.clone()
    } else {
        format!("{} ({})", a.path, a.unit)
    }
}

/// One chart: statistic `name` against axis `i`.
fn chart(sw: &SweepResult, i: usize, name: &str, lines: &[Line]) -> String {
    let stat: Stat = describe(name);
    let style = |g: usize| {
        (
            Stroke::solid(pick(&SERIES, g), 1.6),
            Mark::filled(SHAPES[g % SHAPES.len()], pick(&SERIES, g)),
        )
    };
    let legend: Vec<LegendEntry> = if lines.len() > 1 {
        lines
            .iter()
            .enumerate()
            .map(|(g, (label, _))| {
                let (s, m) = style(g);
                LegendEntry::new(Key::LineMark(s, m), label.clone())
            })
            .collect()
    } else {
        Vec::new()
    };
    let x = Span::around(sw.axes[i].x.iter().copied()).padded(0.06);
    let y = if stat.probability {
        Span::exact(0.0, 1.0)
    } else {
        let all = lines.iter().flat_map(|l| l.1.iter());
        Span::around(all.flat_map(|(_, e)| [e.ci_low * stat.factor, e.ci_high * stat.factor]))
    };
    let x_label = axis_label(sw, i);
    let c = Chart {
        title: &stat.title,
        x_label: &x_label,
        y_label: &stat.axis,
        width: PANEL_WIDTH,
        plot_height: 220.0,
        legend: &legend,
    };
    let mut f = c.frame(x, YAxis::Linear(y));
    let spread = lines.len() as f64 - 1.0;
    for (g, (_, pts)) in lines.iter().enumerate() {
        let (line, mark) = style(g);
        // Lines side by side by a few pixels, so their error bars do not hide each other.
        let dx = (g as f64 - spread / 2.0) * 3.0 * (f.x.hi - f.x.lo) / (f.area[2] - f.area[0]);
        let px: Vec<(f64, f64)> = pts
            .iter()
            .map(|(x, e)| f.at(x + dx, e.mean * stat.factor))
            .collect();
        f.svg.polyline(&px, line);
        for (x, e) in pts {
            let (lo, hi) = (e.ci_low * stat.factor, e.ci_high * stat.factor);
            f.whisker_v(x + dx, lo, hi, line.colour);
            f.svg.mark(f.at(x + dx, e.mean * stat.factor), mark, 7.0);
        }
    }
    figure(
        &f.finish(),
        &format!(
            "{} against {}: estimate and 95 % confidence interval at each grid point{}.",
            stat.title,
            sw.axes[i].path,
            if lines.len() > 1 {
                ", one line per combination of the other varied keys"
            } else {
                ""
            }
        ),
    )
}

/// The grid as a table: each point's axis values and main statistics.
/// Grid points per table of the grid: a wider grid is split over several tables, each a
/// column per point, so that a printed page holds every column.
const POINTS_PER_TABLE: usize = 5;

/// The grid: one column per point (its values of the varied keys, its runs, and the main
/// statistics), at most [`POINTS_PER_TABLE`] points to a table.
fn grid_table(sw: &SweepResult, names: &[String]) -> String {
    let shown_names: Vec<&String> = names
        .iter()
        .filter(|n| {
            TABLE_STATS.iter().any(|s| {
                if s.ends_with(':') {
                    n.starts_with(s)
                } else {
                    n == s
                }
            })
        })
        .collect();
    // As many points to each table as the fewest tables allow.
    let tables = sw.points.len().div_ceil(POINTS_PER_TABLE).max(1);
    let per_table = sw.points.len().div_ceil(tables).max(1);
    let mut o = String::new();
    for (c, chunk) in sw.points.chunks(per_table).enumerate() {
        let first = c * per_table;
        let labels: Vec<String> = (first..first + chunk.len())
            .map(|k| format!("Point {}", k + 1))
            .collect();
        let mut head: Vec<&str> = vec![""];
        head.extend(labels.iter().map(String::as_str));
        let mut rows: Vec<Vec<String>> = sw
            .axes
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut row = vec![a.path.clone()];
                row.extend(chunk.iter().map(|p| {
                    p.at.get(i)
                        .and_then(|&k| a.values.get(k))
                        .cloned()
                        .unwrap_or_default()
                }));
                row
            })
            .collect();
        let mut runs = vec!["Runs".to_string()];
        runs.extend(chunk.iter().map(|p| num(p.result.runs as f64, 0)));
        rows.push(runs);
        let stats: Vec<_> = chunk.iter().map(|p| statistics(&p.result)).collect();
        for n in &shown_names {
            let d = describe(n);
            let mut row = vec![d.title.clone()];
            row.extend(stats.iter().map(|st| {
                st.iter()
                    .find(|(m, _)| m == *n)
                    .map_or("—".into(), |(m, e)| shown(&describe(m), e))
            }));
            rows.push(row);
        }
        o.push_str(&table(&head, &rows));
    }
    o
}
