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

/// The body of the sweep section: what changed across the grid, then each statistic that
/// varies against each varied key, then the grid.
pub(super) fn section(sw: &SweepResult) -> String {
    if sw.points.is_empty() {
        return para("The sweep has no grid point.");
    }
    let (names, _) = sw.column_names();
    let per_point: Vec<Vec<(String, Estimate)>> =
        sw.points.iter().map(|p| statistics(&p.result)).collect();
    let estimates =
        |name: &str| -> Vec<Estimate> { at_points(&per_point, name).map(|(_, e)| e).collect() };
    // A statistic varies when its estimate is not the same at every point that has trials.
    let (varying, flat): (Vec<&String>, Vec<&String>) = names
        .iter()
        .filter(|n| !estimates(n).is_empty())
        .partition(|n| {
            let es = estimates(n);
            es.iter().any(|e| e.mean != es[0].mean)
        });
    let mut o = para(&format!(
        "{} grid points of {} replications each, with common random numbers: every point runs \
         the same replications, so a difference between points owes much less to chance than \
         between independent runs.",
        sw.points.len(),
        sw.runs
    ));
    o.push_str(&h3("What changed"));
    o.push_str(&finding(sw, &varying, &per_point));
    if !flat.is_empty() {
        let titles: Vec<String> = flat.iter().map(|n| describe(n).title).collect();
        o.push_str(&para(&format!(
            "The same at every grid point (not charted): {}.",
            titles.join("; ")
        )));
    }
    o.push_str(&unchanged_steps(sw, &per_point));
    o.push_str(&paired_table(sw));
    for (i, axis) in sw.axes.iter().enumerate() {
        o.push_str(&h3(&format!("Against {}", key_words(&axis.path))));
        let figs: Vec<String> = varying
            .iter()
            .filter_map(|name| {
                let lines = lines(sw, &per_point, i, name);
                lines
                    .iter()
                    .any(|l| !l.1.is_empty())
                    .then(|| chart(sw, i, name, &lines))
            })
            .collect();
        o.push_str(&panels(&figs));
    }
    o.push_str(&h3("Grid"));
    o.push_str(&grid_table(sw, &per_point, &names));
    o
}

/// Each per-replication statistic's paired difference from the first grid point, at every
/// other point, for the statistics that differ somewhere: the comparison common random numbers
/// make sharp.
fn paired_table(sw: &SweepResult) -> String {
    if sw.points.len() < 2 {
        return String::new();
    }
    let (_, paired) = sw.column_names();
    let differs = |name: &str| {
        sw.points[1..].iter().any(|p| {
            p.paired
                .iter()
                .any(|d| d.statistic == name && d.difference.n > 0 && d.difference.mean != 0.0)
        })
    };
    let names: Vec<&String> = paired.iter().filter(|n| differs(n)).collect();
    if names.is_empty() {
        return String::new();
    }
    let labels: Vec<String> = (1..sw.points.len()).map(|k| point_words(sw, k)).collect();
    let mut head: Vec<&str> = vec!["Statistic"];
    head.extend(labels.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = names
        .iter()
        .map(|n| {
            let d = describe(n);
            let mut row = vec![d.title.clone()];
            row.extend(sw.points[1..].iter().map(|p| {
                p.paired
                    .iter()
                    .find(|x| &x.statistic == *n && x.difference.n > 0)
                    .map_or("—".into(), |x| {
                        let e = &x.difference;
                        let sure = if e.ci_low > 0.0 || e.ci_high < 0.0 {
                            " ●"
                        } else {
                            ""
                        };
                        format!("{}{sure}", shown(&d, e))
                    })
            }));
            row
        })
        .collect();
    let mut o = h3(&format!("Paired differences from {}", point_words(sw, 0)));
    o.push_str(&table(&head, &rows));
    o.push_str(&para(
        "Each cell is the mean, over the replications, of that point's value minus the first \
         point's in the same replication, with its 95 % interval; ● marks an interval that \
         excludes zero. Because the points share their random numbers, these intervals are \
         narrower than the points' own. Statistics pooled over threats or kills (kill \
         probabilities, intercept altitudes and ranges) have no per-replication value and are \
         not paired. The first-engagement time and range are each replication's mean over the \
         threats engaged there, which may differ between the points.",
    ));
    o
}

/// Statistic `name` at each grid point that has trials of it: (the point's index, its
/// estimate), from the points' statistics `per_point` (as [`statistics`] names them).
fn at_points<'a>(
    per_point: &'a [Vec<(String, Estimate)>],
    name: &'a str,
) -> impl Iterator<Item = (usize, Estimate)> + 'a {
    per_point.iter().enumerate().filter_map(move |(k, st)| {
        st.iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| (k, *e))
            .filter(|(_, e)| e.n > 0)
    })
}

/// A grid point in words: each varied key and its value there.
fn point_words(sw: &SweepResult, k: usize) -> String {
    let Some(p) = sw.points.get(k) else {
        return String::new();
    };
    sw.axes
        .iter()
        .zip(&p.at)
        .filter_map(|(a, &v)| Some(format!("{} {}", key_words(&a.path), a.values.get(v)?)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lead: for each statistic that varies, its lowest and highest estimates across the grid,
/// where they occur, and whether their 95 % intervals are apart (a change beyond the noise of
/// either estimate; with common random numbers the paired difference is surer still).
fn finding(sw: &SweepResult, varying: &[&String], per_point: &[Vec<(String, Estimate)>]) -> String {
    if varying.is_empty() {
        return para("No statistic changed across the grid: every point gave the same results.");
    }
    let mut rows = Vec::new();
    let mut apart = Vec::new();
    for name in varying {
        let at: Vec<(usize, Estimate)> = at_points(per_point, name).collect();
        // The first point of each, in grid order, where several tie.
        let lowest = at.iter().min_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
        let highest = at.iter().rev().max_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
        let (Some(&(lo_k, lo)), Some(&(hi_k, hi))) = (lowest, highest) else {
            continue;
        };
        let stat = describe(name);
        let beyond = lo.ci_high < hi.ci_low;
        if beyond {
            apart.push(stat.title.clone());
        }
        rows.push(vec![
            stat.title.clone(),
            format!("{} at {}", shown(&stat, &lo), point_words(sw, lo_k)),
            format!("{} at {}", shown(&stat, &hi), point_words(sw, hi_k)),
            if beyond { "yes" } else { "no" }.to_string(),
        ]);
    }
    let lead = if apart.is_empty() {
        "No statistic moved beyond its 95 % intervals across the grid.".to_string()
    } else {
        format!(
            "Beyond the 95 % intervals of its lowest and highest points: {}.",
            apart.join("; ")
        )
    };
    let mut o = para(&lead);
    o.push_str(&table(
        &["Statistic", "Lowest", "Highest", "Intervals apart"],
        &rows,
    ));
    o
}

/// Whether a key is an amount of the defense's resources (launchers, rounds, reloads, fire
/// channels): more of it can only help, so a step up that changes nothing means another limit
/// binds.
fn resource(path: &str) -> bool {
    let leaf = path.rsplit('.').next().unwrap_or_default();
    matches!(leaf, "rounds" | "reloads" | "channels")
        || (leaf == "count" && path.split('.').any(|p| p == "launchers"))
}

/// For each varied key, the steps between successive values along which no statistic of the
/// outcome changed at any combination of the other keys; for a step up in a resource of the
/// defense, that more of it bought nothing, and what ran short there.
fn unchanged_steps(sw: &SweepResult, per_point: &[Vec<(String, Estimate)>]) -> String {
    let mut notes = Vec::new();
    let mut more_bought_nothing = false;
    for (i, axis) in sw.axes.iter().enumerate() {
        for v in 1..axis.values.len() {
            let same = sw.points.iter().enumerate().all(|(k, p)| {
                if p.at.get(i) != Some(&v) {
                    return true;
                }
                let mut below = p.at.clone();
                below[i] = v - 1;
                sw.points
                    .iter()
                    .position(|q| q.at == below)
                    .is_some_and(|j| outcomes(&per_point[j]).eq(outcomes(&per_point[k])))
            });
            if same {
                let up = resource(&axis.path)
                    && axis
                        .x
                        .get(v)
                        .zip(axis.x.get(v - 1))
                        .is_some_and(|(b, a)| b > a);
                more_bought_nothing |= up;
                let mut note = format!(
                    "{} from {} to {}",
                    key_words(&axis.path),
                    axis.values[v - 1],
                    axis.values[v]
                );
                if up && let Some(rounds) = rounds_at(sw, per_point, i, v - 1) {
                    note.push_str(&rounds);
                }
                notes.push(note);
            }
        }
    }
    if notes.is_empty() {
        return String::new();
    }
    let mut text = format!(
        "Changed no statistic of the outcome at all: {}.",
        notes.join("; ")
    );
    if more_bought_nothing {
        text.push_str(
            " Where that is more of a resource of the defense, it bought nothing: another \
             limit binds first (in brackets, what ran short at the lower value).",
        );
    }
    para(&text)
}

/// A point's statistics of the engagement's outcome: all but the fire units' own stocks and
/// loads (`interceptors_left`, `p_out_of_rounds`, `p_channels_full`), which more of a
/// resource changes by itself.
fn outcomes(stats: &[(String, Estimate)]) -> impl Iterator<Item = &(String, Estimate)> {
    stats.iter().filter(|(n, _)| {
        !n.starts_with("interceptors_left:")
            && !n.starts_with("p_out_of_rounds:")
            && !n.starts_with("p_channels_full:")
    })
}

/// For a step up in a fire unit's resource along axis `i` from value `from`, what bound that
/// unit there: how often it ran out of rounds and how often all its fire channels were in use
/// at once, the highest over the points of that value (the other keys at any of theirs); if
/// neither ever happened, the threats within its reach bound it. `None` if the key names no
/// fire unit or the sweep has no such statistics.
fn rounds_at(
    sw: &SweepResult,
    per_point: &[Vec<(String, Estimate)>],
    i: usize,
    from: usize,
) -> Option<String> {
    let path = &sw.axes.get(i)?.path;
    let mut parts = path.split('.');
    if parts.next()? != "fire_unit" {
        return None;
    }
    let unit = parts.next()?;
    // A unit is named, or addressed by its place in the scenario (the statistics' order).
    let names: Vec<&str> = per_point
        .first()?
        .iter()
        .filter_map(|(n, _)| n.strip_prefix("p_out_of_rounds:"))
        .collect();
    let name = match unit.parse::<usize>() {
        Ok(k) => *names.get(k)?,
        Err(_) => *names.iter().find(|n| **n == unit)?,
    };
    let worst = |key: &str| {
        at_points(per_point, key)
            .filter(|&(k, _)| sw.points[k].at.get(i) == Some(&from))
            .map(|(_, e)| e)
            .max_by(|a, b| a.mean.total_cmp(&b.mean))
    };
    let (rounds_key, channels_key) = (
        format!("p_out_of_rounds:{name}"),
        format!("p_channels_full:{name}"),
    );
    let (rounds, channels) = (worst(&rounds_key)?, worst(&channels_key)?);
    let said = |key: &str, e: &Estimate| {
        let stat = describe(key);
        format!("{} {}", stat.title, shown(&stat, e))
    };
    let facts = format!(
        "{}; {}",
        said(&rounds_key, &rounds),
        said(&channels_key, &channels)
    );
    Some(match (rounds.mean > 0.0, channels.mean > 0.0) {
        (false, false) => format!(
            " ({facts} there: neither its rounds nor its channels ran short, so the threats \
             within its reach bound it)"
        ),
        (true, false) => format!(
            " ({facts} there: its rounds ran out at times, its channels were never all in use)"
        ),
        (false, true) => {
            format!(
                " ({facts} there: all its channels were in use at times, its rounds never ran out)"
            )
        }
        (true, true) => {
            format!(" ({facts} there: both its rounds and its channels ran short at times)")
        }
    })
}

/// A key path in words: `fire_unit.Battery-1.launchers.count` → "Battery-1 launchers",
/// `raid.0.count` → "raid 1 size", `radar.0.range_max` → "radar 1 range max"; a path not
/// recognised is given as written.
pub(super) fn key_words(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let words = |s: &str| match s {
        "count" => "number".to_string(),
        "pfa" => "Pfa".into(),
        "cep" => "CEP".into(),
        "rcs" => "RCS".into(),
        "channels" => "fire channels".into(),
        "rounds" => "rounds per launcher".into(),
        other => match other.parse::<usize>() {
            // Lists are addressed from 0; people count from 1.
            Ok(k) => (k + 1).to_string(),
            Err(_) => other.replace('_', " "),
        },
    };
    // The table and the name (or index) of what the key belongs to.
    let owner = |table: &str, name: &str| {
        let kind = match table {
            "fire_unit" => "fire unit",
            "raid" => "raid",
            "radar" => "radar",
            "asset" => "asset",
            "threat_type" => "threat type",
            "interceptor_type" => "interceptor type",
            _ => return None,
        };
        Some(match name.parse::<usize>() {
            Ok(k) => format!("{kind} {}", k + 1),
            Err(_) => name.to_string(),
        })
    };
    let owned = |t: &str, n: &str, what: String| {
        owner(t, n).map_or_else(|| path.to_string(), |o| format!("{o} {what}"))
    };
    match parts.as_slice() {
        ["passive_defense", k] => words(k),
        ["fire_unit", "enabled"] => "fire units deployed".into(),
        ["raid", n, "count"] => owned("raid", n, "size".into()),
        [t, n, "launchers", "count"] => owned(t, n, "launchers".into()),
        [t, n, "launchers", g, "count"] => owned(t, n, format!("launchers (group {})", words(g))),
        [t, n, rest @ ..] if !rest.is_empty() => {
            let tail: Vec<String> = rest.iter().map(|s| words(s)).collect();
            owned(t, n, tail.join(" "))
        }
        _ => path.into(),
    }
}

/// The lines of statistic `name` against axis `i`: one per combination of the other axes.
fn lines(
    sw: &SweepResult,
    per_point: &[Vec<(String, Estimate)>],
    i: usize,
    name: &str,
) -> Vec<Line> {
    let mut groups: BTreeMap<Vec<usize>, Vec<(f64, Estimate)>> = BTreeMap::new();
    for (p, st) in sw.points.iter().zip(per_point) {
        let Some(&k) = p.at.get(i) else { continue };
        let Some(&x) = sw.axes[i].x.get(k) else {
            continue;
        };
        let mut others = p.at.clone();
        others.remove(i);
        let group = groups.entry(others).or_default();
        let e = st.iter().find(|(n, _)| n == name).map(|(_, e)| *e);
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
                .filter_map(|((_, a), &k)| {
                    Some(format!("{} {}", key_words(&a.path), a.values.get(k)?))
                })
                .collect::<Vec<_>>()
                .join(", ");
            (label, pts)
        })
        .collect()
}

/// The label of axis `i`: its path, and its unit.
fn axis_label(sw: &SweepResult, i: usize) -> String {
    let a = &sw.axes[i];
    if a.categorical {
        let at: Vec<String> = a
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{i} = {v}"))
            .collect();
        format!("{} ({})", key_words(&a.path), at.join(", "))
    } else if a.unit.is_empty() {
        key_words(&a.path)
    } else {
        format!("{} ({})", key_words(&a.path), a.unit)
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
            key_words(&sw.axes[i].path),
            if lines.len() > 1 {
                ", one line per combination of the other varied keys"
            } else {
                ""
            }
        ),
    )
}

/// Grid points per table of the grid: a wider grid is split over several tables, each a
/// column per point, so that a printed page holds every column.
const POINTS_PER_TABLE: usize = 5;

/// The grid: one column per point (its values of the varied keys, its runs, and the main
/// statistics), at most [`POINTS_PER_TABLE`] points to a table.
fn grid_table(sw: &SweepResult, per_point: &[Vec<(String, Estimate)>], names: &[String]) -> String {
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
                let mut row = vec![key_words(&a.path)];
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
        let stats = &per_point[first..first + chunk.len()];
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
