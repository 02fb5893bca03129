//! The summary: what was run and the numbers a decision maker reads first.

use super::html::{cards, estimate, h3, num, para, table};
use super::{ReportInput, ReportKind, Sample};
use rampart_sim::montecarlo::McResult;
use rampart_sim::montecarlo::sweep::SweepResult;

/// The columns of a table of SIAP measures.
const SIAP_COLUMNS: [&str; 6] = [
    "Picture",
    "Completeness",
    "Ambiguity",
    "Spuriousness",
    "Positional accuracy (m)",
    "Track number changes",
];

/// What the SIAP measures mean.
const SIAP_NOTE: &str = "The air picture's quality (single integrated air picture measures, \
    docs/models.md): each radar's own tracks and, with a network, the fusion node's system \
    tracks, against the threats their radars could see. Completeness: the fraction of those \
    threats held by a track; ambiguity: tracks per threat held (1 is ideal); spuriousness: the \
    fraction of tracks of no threat; positional accuracy: the mean distance of a track from its \
    threat; track number changes: a threat held by a track of another number than before. The \
    first three are means over the picture's samples (after each of its radar's scans, or each \
    report's arrival at the node).";

/// What the casualty figures are, under every table of them.
const EFFECTS_NOTE: &str = "Expected killed, injured and aircraft destroyed come from a coarse, \
    notional model (docs/models.md, \"Warning and passive defense\"): people and aircraft spread \
    evenly over the asset, sheltering after the alarm, each impact's Carleton damage function \
    reduced by the shelter's protection factor. They compare warnings, shelters and defenses; \
    they are not a casualty prediction for any real place.";

/// What made the report, in words.
pub(super) fn kind_words(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Run => "Single run",
        ReportKind::MonteCarlo => "Monte Carlo",
        ReportKind::Sweep => "Parameter sweep",
    }
}

/// The body of the summary section.
pub(super) fn section(input: &ReportInput) -> String {
    let mut o = String::new();
    if !input.scenario.description.trim().is_empty() {
        o.push_str(&para(input.scenario.description.trim()));
    }
    if let Some(mc) = input.mc {
        o.push_str(&monte_carlo(input, mc));
    }
    if let Some(sw) = input.sweep {
        o.push_str(&sweep(sw));
    }
    if let Some(s) = &input.sample {
        if input.kind != ReportKind::Run {
            o.push_str(&h3(&format!(
                "Sample replication {} (drawn in the map, profiles and timeline)",
                s.replication
            )));
        }
        o.push_str(&run(input, s));
    }
    o
}

/// Key numbers of a Monte Carlo run.
fn monte_carlo(input: &ReportInput, mc: &McResult) -> String {
    let runs = if mc.stopped_early || mc.interrupted {
        format!("{} of {}", mc.runs, mc.runs_requested)
    } else {
        mc.runs.to_string()
    };
    let mut items = vec![
        (runs, "replications".into()),
        (
            estimate(&mc.leakers.p_zero, 2),
            "P(no leaker) [95 % CI]".into(),
        ),
        (
            estimate(&mc.leakers.mean, 2),
            "leakers per replication".into(),
        ),
        (
            estimate(&mc.interceptors_launched.mean, 1),
            "interceptors launched per replication".into(),
        ),
        (
            estimate(&mc.intercepted.mean, 1),
            "threats intercepted per replication".into(),
        ),
    ];
    if let (Some(k), Some(i), Some(d)) = (mc.killed, mc.injured, mc.aircraft_destroyed) {
        items.extend([
            (
                estimate(&k, 2),
                "expected killed per replication (notional model)".into(),
            ),
            (estimate(&i, 1), "expected injured per replication".into()),
            (
                estimate(&d, 2),
                "expected aircraft destroyed per replication".into(),
            ),
        ]);
    }
    if mc.first_engagement_s.n > 0 {
        items.push((
            format!("{} s", estimate(&mc.first_engagement_s, 1)),
            "from a threat's launch to its first engagement".into(),
        ));
        let km = |x: f64| x / 1e3;
        let e = &mc.first_engagement_range_m;
        let scaled = rampart_sim::montecarlo::stats::Estimate {
            mean: km(e.mean),
            ci_low: km(e.ci_low),
            ci_high: km(e.ci_high),
            n: e.n,
        };
        items.push((
            format!("{} km", estimate(&scaled, 1)),
            "range at the first engagement".into(),
        ));
    }
    let mut o = cards(&items);
    let rows: Vec<Vec<String>> = mc
        .assets
        .iter()
        .map(|a| {
            let value = input
                .scenario
                .assets
                .iter()
                .find(|s| s.name == a.name)
                .map_or("—".into(), |s| num(s.value, 2));
            let mut row = vec![
                a.name.clone(),
                value,
                estimate(&a.p_hit, 3),
                estimate(&a.hits, 2),
            ];
            if mc.killed.is_some() {
                let opt = |e: Option<rampart_sim::montecarlo::stats::Estimate>, d: usize| {
                    e.map_or("—".to_string(), |e| estimate(&e, d))
                };
                row.extend([
                    opt(a.killed, 2),
                    opt(a.injured, 1),
                    opt(a.aircraft_destroyed, 2),
                    if a.warning_time_s.n > 0 {
                        estimate(&a.warning_time_s, 0)
                    } else {
                        "—".into()
                    },
                ]);
            }
            row
        })
        .collect();
    let mut head = vec![
        "Asset",
        "Value",
        "P(hit ≥ 1) [95 % CI]",
        "Hits per replication [95 % CI]",
    ];
    if mc.killed.is_some() {
        head.extend([
            "Expected killed [95 % CI]",
            "Expected injured [95 % CI]",
            "Aircraft destroyed [95 % CI]",
            "Warning time (s) [95 % CI]",
        ]);
    }
    o.push_str(&table(&head, &rows));
    if mc.killed.is_some() {
        o.push_str(&para(&format!(
            "{EFFECTS_NOTE} Warning time: from the asset's first alarm to its first hit."
        )));
    }
    if !mc.siap.is_empty() {
        let rows: Vec<Vec<String>> = mc
            .siap
            .iter()
            .map(|p| {
                vec![
                    p.picture.clone(),
                    estimate(&p.completeness, 3),
                    estimate(&p.ambiguity, 3),
                    estimate(&p.spuriousness, 3),
                    estimate(&p.positional_accuracy_m, 0),
                    estimate(&p.track_number_changes, 1),
                ]
            })
            .collect();
        o.push_str(&table(&SIAP_COLUMNS, &rows));
        o.push_str(&para(&format!(
            "{SIAP_NOTE} Each is the mean over the replications of the replication's figure, with \
             its 95 % interval."
        )));
    }
    if mc.interrupted {
        o.push_str(&para(&format!(
            "Interrupted after {} of {} replications: every figure here covers replications 0 to {} only.",
            mc.runs,
            mc.runs_requested,
            mc.runs.saturating_sub(1)
        )));
    }
    if mc.stopped_early {
        o.push_str(&para(&format!(
            "Stopped after {} replications: every probability's 95 % CI half-width was below {}.",
            mc.runs,
            mc.until_ci.map_or("the target".into(), |h| num(h, 4))
        )));
    }
    o.push_str(&para(&format!(
        "Intervals are {} % confidence intervals. Probabilities: {}. Means: {}.",
        num(mc.methods.confidence * 100.0, 1),
        mc.methods.probability,
        mc.methods.mean
    )));
    o
}

/// The comparison a sweep over warning and defense is for: at every grid point, the expected
/// killed, injured and aircraft destroyed, each asset's warning time and the leakers, with
/// their intervals (empty when no asset counts people or aircraft).
fn casualty_table(sw: &SweepResult) -> String {
    if !sw.points.iter().any(|p| p.result.killed.is_some()) {
        return String::new();
    }
    let counted: Vec<&str> = sw.points[0]
        .result
        .assets
        .iter()
        .filter(|a| a.killed.is_some())
        .map(|a| a.name.as_str())
        .collect();
    let mut head: Vec<String> = sw
        .axes
        .iter()
        .map(|a| crate::sweep::key_words(&a.path))
        .collect();
    head.extend(["Expected killed", "Expected injured", "Aircraft destroyed"].map(String::from));
    head.extend(counted.iter().map(|n| format!("Warning time (s): {n}")));
    head.push("Leakers".into());
    let opt = |e: Option<rampart_sim::montecarlo::stats::Estimate>, d: usize| {
        e.map_or("—".to_string(), |e| estimate(&e, d))
    };
    let rows: Vec<Vec<String>> = sw
        .points
        .iter()
        .map(|p| {
            let mut row: Vec<String> = sw
                .axes
                .iter()
                .zip(&p.at)
                .map(|(a, &k)| a.values[k].clone())
                .collect();
            let r = &p.result;
            row.push(opt(r.killed, 2));
            row.push(opt(r.injured, 1));
            row.push(opt(r.aircraft_destroyed, 3));
            for n in &counted {
                let w = r
                    .assets
                    .iter()
                    .find(|a| a.name == *n)
                    .map(|a| a.warning_time_s);
                row.push(match w {
                    Some(w) if w.n > 0 => estimate(&w, 0),
                    _ => "—".into(),
                });
            }
            row.push(estimate(&r.leakers.mean, 2));
            row
        })
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut o = h3("Casualties, aircraft lost, warning time and leakers");
    o.push_str(&table(&head, &rows));
    o.push_str(&para(&format!(
        "Each cell: the mean per replication [its 95 % confidence interval]. {EFFECTS_NOTE} \
         Warning time: from the asset's first alarm to its first hit, over the replications in \
         which it was hit after an alarm (— when it never was). Leakers: threats that hit an \
         asset some fire unit defends, deployed or not."
    )));
    o
}

/// Key numbers of a sweep.
fn sweep(sw: &SweepResult) -> String {
    let mut o = casualty_table(sw);
    o += &cards(&[
        (sw.points.len().to_string(), "grid points".into()),
        (sw.runs.to_string(), "replications per point".into()),
        (sw.axes.len().to_string(), "varied keys".into()),
    ]);
    let rows: Vec<Vec<String>> = sw
        .axes
        .iter()
        .map(|a| {
            vec![
                a.path.clone(),
                a.values.join(", "),
                if a.unit.is_empty() {
                    "—".into()
                } else {
                    a.unit.clone()
                },
            ]
        })
        .collect();
    o.push_str(&table(&["Varied key", "Values", "Unit"], &rows));
    o.push_str(&para(
        "Every grid point runs the same replications (same seed and indices), so differences \
         between points are the effect of the change, not noise (common random numbers).",
    ));
    o
}

/// Key numbers of one replication.
fn run(input: &ReportInput, s: &Sample) -> String {
    let t = &s.summary.totals;
    let defended = !input.scenario.fire_units.is_empty();
    let mut items = vec![
        (t.launched.to_string(), "threats launched".to_string()),
        (t.intercepted.to_string(), "intercepted".into()),
    ];
    if defended {
        items.push((t.leaked.to_string(), "leaked (hit an asset)".into()));
    }
    items.extend([
        (t.asset_hits.to_string(), "hits on assets".into()),
        (t.impacted.to_string(), "reached the ground".into()),
        (t.failed.to_string(), "failed in flight".into()),
        (t.in_flight.to_string(), "still flying at the end".into()),
        (
            t.interceptors_launched.to_string(),
            "interceptors launched".into(),
        ),
    ]);
    if let (Some(k), Some(i), Some(d)) = (t.killed, t.injured, t.aircraft_destroyed) {
        items.extend([
            (num(k, 2), "expected killed (notional model)".into()),
            (num(i, 1), "expected injured".into()),
            (num(d, 2), "expected aircraft destroyed".into()),
        ]);
    }
    let mut o = cards(&items);
    let counts_effects = s.summary.assets.iter().any(|a| a.effects.is_some());
    let assets: Vec<Vec<String>> = input
        .scenario
        .assets
        .iter()
        .map(|a| {
            let hits = s
                .summary
                .assets
                .iter()
                .find(|h| h.name == a.name)
                .map_or(0, |h| h.hits);
            let mut row = vec![a.name.clone(), num(a.value, 2), hits.to_string()];
            if counts_effects {
                let h = s.summary.assets.iter().find(|h| h.name == a.name);
                let opt = |x: Option<f64>, d: usize| x.map_or("—".to_string(), |v| num(v, d));
                let e = h.and_then(|h| h.effects);
                row.extend([
                    opt(h.and_then(|h| h.alarm_t), 0),
                    opt(h.and_then(|h| h.warning_time_s), 0),
                    opt(e.map(|e| e.personnel_present), 0),
                    opt(e.map(|e| e.killed), 2),
                    opt(e.map(|e| e.injured), 1),
                    opt(e.map(|e| e.aircraft_present), 0),
                    opt(e.map(|e| e.aircraft_destroyed), 2),
                ]);
            }
            row
        })
        .collect();
    let mut head = vec!["Asset", "Value", "Hits"];
    if counts_effects {
        head.extend([
            "First alarm (s)",
            "Warning time (s)",
            "People present",
            "Expected killed",
            "Expected injured",
            "Aircraft present",
            "Expected aircraft destroyed",
        ]);
    }
    o.push_str(&table(&head, &assets));
    if counts_effects {
        o.push_str(&para(&format!(
            "{EFFECTS_NOTE} First alarm: seconds after the epoch (negative: a strategic warning \
             before it). Warning time: from it to the asset's first hit."
        )));
    }
    if !s.summary.fire_units.is_empty() {
        let units: Vec<Vec<String>> = s
            .summary
            .fire_units
            .iter()
            .map(|u| {
                vec![
                    u.name.clone(),
                    u.engagements.to_string(),
                    u.interceptors_launched.to_string(),
                    u.intercepts.to_string(),
                    u.kills.to_string(),
                    u.interceptors_lost.to_string(),
                    u.interceptors_left.to_string(),
                ]
            })
            .collect();
        o.push_str(&table(
            &[
                "Fire unit",
                "Engagements",
                "Interceptors launched",
                "Intercepts",
                "Kills",
                "Lost",
                "Rounds left",
            ],
            &units,
        ));
    }
    if !s.summary.guns.is_empty() {
        let guns: Vec<Vec<String>> = s
            .summary
            .guns
            .iter()
            .map(|g| {
                vec![
                    g.name.clone(),
                    g.bursts.to_string(),
                    g.rounds_fired.to_string(),
                    g.kills.to_string(),
                    g.rounds_fallen.to_string(),
                    g.rounds_left.to_string(),
                ]
            })
            .collect();
        o.push_str(&table(
            &[
                "Gun",
                "Bursts",
                "Rounds fired",
                "Kills",
                "Rounds fallen",
                "Rounds left",
            ],
            &guns,
        ));
    }
    if !s.summary.siap.is_empty() {
        let opt = |x: Option<f64>, d: usize| x.map_or("—".to_string(), |v| num(v, d));
        let rows: Vec<Vec<String>> = s
            .summary
            .siap
            .iter()
            .map(|p| {
                vec![
                    p.picture.clone(),
                    opt(p.completeness, 3),
                    opt(p.ambiguity, 3),
                    opt(p.spuriousness, 3),
                    opt(p.positional_accuracy_m, 0),
                    p.track_number_changes.to_string(),
                ]
            })
            .collect();
        o.push_str(&table(&SIAP_COLUMNS, &rows));
        o.push_str(&para(SIAP_NOTE));
    }
    let engaged = crate::table::engagement_rows(s.summary);
    if !engaged.is_empty() {
        let head: Vec<String> = crate::table::ENGAGEMENT_COLUMNS
            .iter()
            .map(|c| capitalised(c))
            .collect();
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        o.push_str(&table(&head, &engaged));
        o.push_str(&para(&capitalised(crate::table::ENGAGEMENT_NOTE)));
    }
    if !defended {
        o.push_str(&para(
            "The scenario has no fire unit: nothing is intercepted, and a threat that hits an \
             asset is a hit, not a leaker.",
        ));
    }
    o
}

/// `s` with its first letter capitalised.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
