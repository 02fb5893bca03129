//! The engagement timeline: one row per threat of the sample replication, from its launch through
//! each radar's first detection and track confirmation and the interceptors sent at it, to how it
//! ended.
//!
//! Events name threats by truth only where the simulation knows it (detections, intercepts);
//! tracks are the radar's own. A confirmed track is tied to a threat (a) through an interceptor
//! sent at that track whose intercept names the threat, or else (b) when the confirming scan of
//! that radar detected exactly one threat that had no live track on it. Confirmations that can be
//! tied neither way (false tracks among them) are not drawn.

use super::html::{figure, para};
use super::plot::{Chart, Key, LegendEntry, Span, WIDTH, YAxis};
use super::svg::symbol::{FAILURE, HIT, IMPACT, KILL, LAUNCHER, MISS, SITE};
use super::svg::{Mark, SERIES, Shape, Stroke, pick};
use super::{ReportInput, Sample};
use rampart_sim::events::EventKind;
use rampart_sim::summary::Outcome;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

/// The bar of a threat's flight.
const BAR: Stroke = Stroke::solid("#B8B8B8", 3.0);

/// Threat rows drawn at most.
const MAX_ROWS: usize = 200;

/// One threat's row: its span and its marks (time, symbol).
#[derive(Clone, Debug)]
struct Row {
    label: String,
    start: f64,
    end: f64,
    marks: Vec<(f64, Mark)>,
}

/// The colour of radar `i`'s marks.
fn radar_colour(i: usize) -> &'static str {
    pick(&SERIES, i + 2)
}

fn detected(i: usize) -> Mark {
    Mark::filled(Shape::Tick, radar_colour(i))
}

fn confirmed(i: usize) -> Mark {
    Mark::hollow(Shape::Circle, radar_colour(i))
}

/// Each threat's index in the summary, by id.
fn threat_index<'a>(s: &Sample<'a>) -> HashMap<&'a str, usize> {
    s.summary
        .threats
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect()
}

/// For each (radar, track) that can be tied to a threat, the threat's index in the summary.
fn track_owners(input: &ReportInput, s: &Sample) -> HashMap<(usize, u64), usize> {
    let threat = threat_index(s);
    let radar = |name: &str| input.scenario.radars.iter().position(|r| r.name == name);
    let mut owners = HashMap::new();
    let mut detections: HashMap<(usize, i64), Vec<usize>> = HashMap::new();
    for e in s.events {
        match &e.kind {
            EventKind::Detection {
                radar: r,
                truth: Some(id),
                ..
            } => {
                if let (Some(r), Some(&i)) = (radar(r), threat.get(id.as_str())) {
                    detections.entry((r, e.t_ns)).or_default().push(i);
                }
            }
            EventKind::InterceptorLaunch {
                interceptor,
                radar: r,
                target_track,
                ..
            } => {
                let target = interceptor_target(s, interceptor).and_then(|id| threat.get(id));
                if let (Some(r), Some(&i)) = (radar(r), target) {
                    owners.insert((r, *target_track), i);
                }
            }
            _ => {}
        }
    }
    // Live tracks per (radar, threat), to tie a new track only to an untracked threat.
    let mut live: HashMap<(usize, usize), u32> = HashMap::new();
    for e in s.events {
        match &e.kind {
            EventKind::TrackInitiated { radar: r, track } => {
                let Some(r) = radar(r) else { continue };
                if let Entry::Vacant(slot) = owners.entry((r, *track)) {
                    let untracked = |i: &usize| live.get(&(r, *i)).copied().unwrap_or(0) == 0;
                    let candidates: Vec<usize> = detections
                        .get(&(r, e.t_ns))
                        .map(|v| v.iter().copied().filter(untracked).collect())
                        .unwrap_or_default();
                    if let [only] = candidates[..] {
                        slot.insert(only);
                    }
                }
                if let Some(&i) = owners.get(&(r, *track)) {
                    *live.entry((r, i)).or_default() += 1;
                }
            }
            EventKind::TrackDropped { radar: r, track } => {
                let Some(r) = radar(r) else { continue };
                if let Some(&i) = owners.get(&(r, *track)) {
                    let n = live.entry((r, i)).or_default();
                    *n = n.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    owners
}

/// The threat that interceptor `name` met, from its intercept event.
fn interceptor_target<'a>(s: &'a Sample, name: &str) -> Option<&'a str> {
    s.events.iter().find_map(|e| match &e.kind {
        EventKind::Intercept {
            interceptor,
            threat,
            ..
        } if interceptor == name => Some(threat.as_str()),
        _ => None,
    })
}

/// The rows, in launch order.
fn rows(input: &ReportInput, s: &Sample) -> Vec<Row> {
    let owners = track_owners(input, s);
    let radar = |name: &str| input.scenario.radars.iter().position(|r| r.name == name);
    let end_of_run = input.scenario.duration.as_secs_f64();
    let mut rows: Vec<Row> = s
        .summary
        .threats
        .iter()
        .map(|t| {
            let mut marks = vec![(t.launch_t, SITE)];
            for (i, d) in t.first_detection.iter().enumerate() {
                if let Some(dt) = d.t {
                    marks.push((dt, detected(i)));
                }
            }
            let end = t.end_t().unwrap_or(end_of_run);
            let last = match t.outcome {
                Outcome::Impact if t.asset_hit.is_some() => Some(HIT),
                Outcome::Impact => Some(IMPACT),
                Outcome::Failed => Some(FAILURE),
                Outcome::Intercepted | Outcome::InFlight | Outcome::Removed => None,
            };
            marks.extend(last.map(|m| (end, m)));
            Row {
                label: format!("{} · {}", t.id, t.threat_type),
                start: t.launch_t,
                end,
                marks,
            }
        })
        .collect();
    let index = threat_index(s);
    // First confirmation per (threat, radar), in time order.
    let mut first_track: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for e in s.events {
        match &e.kind {
            EventKind::TrackInitiated { radar: r, track } => {
                if let Some(r) = radar(r)
                    && let Some(&i) = owners.get(&(r, *track))
                {
                    first_track.entry((i, r)).or_insert(e.t);
                }
            }
            EventKind::InterceptorLaunch {
                interceptor,
                radar: r,
                target_track,
                ..
            } => {
                let by_truth = interceptor_target(s, interceptor).and_then(|id| index.get(id));
                let by_track = radar(r).and_then(|r| owners.get(&(r, *target_track)));
                if let Some(&i) = by_truth.or(by_track) {
                    rows[i].marks.push((e.t, LAUNCHER));
                }
            }
            EventKind::Intercept { threat, kill, .. } => {
                if let Some(&i) = index.get(threat.as_str()) {
                    rows[i].marks.push((e.t, if *kill { KILL } else { MISS }));
                }
            }
            // A gun's kill (its many bursts that missed are left out).
            EventKind::GunBurst {
                threat: Some(threat),
                kill: true,
                ..
            } => {
                if let Some(&i) = index.get(threat.as_str()) {
                    rows[i].marks.push((e.t, KILL));
                }
            }
            _ => {}
        }
    }
    for ((i, r), t) in first_track {
        rows[i].marks.push((t, confirmed(r)));
    }
    rows
}

/// The size of a mark, px, and the gap kept between two marks of a row.
const MARK_PX: f64 = 8.0;
const MARK_GAP_PX: f64 = 1.5;
/// The most a mark reaches across, px: a tick and a star stand 1.3 × its size.
const MARK_EXTENT_PX: f64 = 1.3 * MARK_PX;

/// The body of the timeline section: the whole run on one clock (each threat's launch and end),
/// then every threat's last minutes on a common clock of the time before its end, where the
/// seconds between detection, track, launch and intercept can be told apart.
pub(super) fn section(input: &ReportInput, s: &Sample) -> String {
    let mut rows = rows(input, s);
    if rows.is_empty() {
        return para("No threat was launched in this replication.");
    }
    let total = rows.len();
    rows.truncate(MAX_ROWS);
    let mut note = String::new();
    if total > rows.len() {
        note.push_str(&format!(
            " The first {} of {total} threats are shown.",
            rows.len()
        ));
    }
    let mut o = figure(
        &chart(input, s, &rows, Clock::Run),
        &format!(
            "One row per threat, in launch order: the grey bar runs from its launch to its end \
             (kill, impact, failure, or the end of the run).{note}"
        ),
    );
    o.push_str(&figure(
        &chart(input, s, &rows, Clock::BeforeEnd),
        &format!(
            "The same rows on the time before each threat's end, so that every wave shares one \
             scale: each radar's first detection, its first confirmed track where the track can \
             be tied to the threat (through an interceptor sent at the track, or a single \
             detection of the threat in the confirming scan), each interceptor sent at it and \
             the intercept. Marks closer than their size are stacked in the row; a launch \
             earlier than the axis is left out.{note}"
        ),
    ));
    o
}

/// The clock of a timeline chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clock {
    /// The time after the epoch; launches and ends only.
    Run,
    /// The time before each threat's end; every mark.
    BeforeEnd,
}

/// Whether a mark is drawn on the whole-run chart: a launch or an end (an intercept, kill or
/// miss, an impact, a failure).
fn on_run_chart(m: Mark) -> bool {
    [SITE, HIT, IMPACT, FAILURE, KILL, MISS].contains(&m)
}

/// Each mark's lane in its row (0, then 1, −1, 2, −2 …: below the row's line, then above, the
/// y axis pointing down), so that
/// marks less than a mark and a gap apart in `xs` (px) sit in different lanes; greedy, in order
/// of x.
fn lanes(xs: &[f64]) -> Vec<i32> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut last: Vec<(i32, f64)> = Vec::new();
    let mut lane = vec![0; xs.len()];
    for k in order {
        let free = last
            .iter_mut()
            .find(|(_, x)| xs[k] - *x >= MARK_EXTENT_PX + MARK_GAP_PX);
        match free {
            Some(slot) => {
                slot.1 = xs[k];
                lane[k] = slot.0;
            }
            None => {
                let n = last.len() as i32;
                let l = if n % 2 == 1 {
                    n.div_euclid(2) + 1
                } else {
                    -(n / 2)
                };
                last.push((l, xs[k]));
                lane[k] = l;
            }
        }
    }
    lane
}

/// One timeline chart.
fn chart(input: &ReportInput, s: &Sample, rows: &[Row], clock: Clock) -> String {
    let origin = |r: &Row| match clock {
        Clock::Run => 0.0,
        Clock::BeforeEnd => r.end,
    };
    let shown = |m: Mark| clock == Clock::BeforeEnd || on_run_chart(m);
    let (lo, hi) = match clock {
        Clock::Run => (
            rows.iter().map(|r| r.start).fold(f64::INFINITY, f64::min),
            rows.iter().map(|r| r.end).fold(f64::NEG_INFINITY, f64::max),
        ),
        // From the earliest mark after a launch, at least 30 s before the end.
        Clock::BeforeEnd => (
            rows.iter()
                .flat_map(|r| {
                    r.marks
                        .iter()
                        .filter(|(_, m)| *m != SITE)
                        .map(move |(t, _)| t - r.end)
                })
                .fold(-30.0, f64::min)
                - 5.0,
            5.0,
        ),
    };
    let (unit, div) = if hi - lo > 1200.0 {
        ("min", 60.0)
    } else {
        ("s", 1.0)
    };
    let (title, x_label) = match clock {
        Clock::BeforeEnd => (
            format!("The last minutes of each threat{}", super::drawn(input, s)),
            format!("Time relative to the threat's end ({unit})"),
        ),
        Clock::Run => (
            format!("Engagement timeline{}", super::drawn(input, s)),
            format!("Time after the epoch {} ({unit})", input.scenario.epoch),
        ),
    };
    let span = Span::nice(lo / div, hi / div);
    let mut chart = Chart {
        title: &title,
        x_label: &x_label,
        y_label: "",
        width: WIDTH,
        plot_height: 0.0,
        legend: &[],
    };
    let labels = YAxis::Rows(rows.iter().map(|r| r.label.clone()).collect());
    let axis = chart.x_scale(span, &labels);
    let value = |r: &Row, t: f64| (t - origin(r)) / div;
    // Each row's marks on the axis and their lanes, and so the height a row needs.
    let placed: Vec<Vec<(f64, Mark, i32)>> = rows
        .iter()
        .map(|r| {
            let marks: Vec<(f64, Mark)> = r
                .marks
                .iter()
                .filter(|(t, m)| shown(*m) && (axis.lo..=axis.hi).contains(&value(r, *t)))
                .copied()
                .collect();
            let xs: Vec<f64> = marks.iter().map(|(t, _)| axis.px(value(r, *t))).collect();
            marks
                .iter()
                .zip(lanes(&xs))
                .map(|(&(t, m), l)| (t, m, l))
                .collect()
        })
        .collect();
    let widest = placed
        .iter()
        .flat_map(|r| r.iter().map(|m| m.2.abs()))
        .max()
        .unwrap_or(0);
    let pitch = MARK_EXTENT_PX + MARK_GAP_PX;
    let row_height = (pitch * f64::from(2 * widest + 1) + 4.0).max(20.0);
    chart.plot_height = row_height * rows.len() as f64;
    let legend = legend(input, &placed);
    chart.legend = &legend;
    let mut f = chart.frame(span, labels);
    for (i, (r, marks)) in rows.iter().zip(&placed).enumerate() {
        let y = f.row(i);
        let x = |t: f64| f.x.px(value(r, t).max(f.x.lo));
        let (a, b) = (x(r.start), x(r.end));
        f.svg.line((a, y), (b, y), BAR);
        for &(t, m, lane) in marks {
            f.svg
                .raw(&format!("<g class=\"tl-mark\" data-row=\"{i}\">"));
            f.svg.mark((x(t), y + pitch * f64::from(lane)), m, MARK_PX);
            f.svg.end_group();
        }
    }
    f.finish()
}

/// The legend: every symbol drawn.
fn legend(input: &ReportInput, drawn: &[Vec<(f64, Mark, i32)>]) -> Vec<LegendEntry> {
    let present = |m: Mark| drawn.iter().any(|r| r.iter().any(|x| x.1 == m));
    let mut v = vec![LegendEntry::new(Key::Line(BAR), "Threat in flight")];
    let mut fixed = vec![(SITE, "Launch".to_string())];
    for (i, r) in input.scenario.radars.iter().enumerate() {
        fixed.push((detected(i), format!("First detection: {}", r.name)));
        fixed.push((confirmed(i), format!("Track confirmed: {}", r.name)));
    }
    fixed.extend([
        (LAUNCHER, "Interceptor launched at it".to_string()),
        (KILL, "Intercept: kill".into()),
        (MISS, "Intercept: miss".into()),
        (HIT, "Impact on an asset".into()),
        (IMPACT, "Impact elsewhere".into()),
        (FAILURE, "Failed in flight".into()),
    ]);
    for (m, label) in fixed {
        if present(m) {
            v.push(LegendEntry::new(Key::Mark(m), label));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_closer_than_their_size_take_different_lanes() {
        // Two at one place, one just apart, three within a mark of each other, one far away.
        let apart = MARK_EXTENT_PX + MARK_GAP_PX;
        let xs = [100.0, 100.0, 100.1 + apart, 300.0, 303.0, 306.0, 500.0];
        let lanes = lanes(&xs);
        for i in 0..xs.len() {
            for j in i + 1..xs.len() {
                if lanes[i] == lanes[j] {
                    assert!((xs[i] - xs[j]).abs() >= apart, "{i}, {j}");
                }
            }
        }
        // Lanes fill from the middle, alternately below and above; a mark with room keeps
        // the middle.
        assert_eq!(lanes, vec![0, 1, 0, 0, 1, -1, 0]);
    }
}
