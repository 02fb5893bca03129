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
            vec![
                a.name.clone(),
                value,
                estimate(&a.p_hit, 3),
                estimate(&a.hits, 2),
            ]
        })
        .collect();
    o.push_str(&table(
        &[
            "Asset",
            "Value",
            "P(hit ≥ 1) [95 % CI]",
            "Hits per replication [95 % CI]",
        ],
        &rows,
    ));
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

/// Key numbers of a sweep.
fn sweep(sw: &SweepResult) -> String {
    let mut o = cards(&[
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
    let mut o = cards(&items);
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
            vec![a.name.clone(), num(a.value, 2), hits.to_string()]
        })
        .collect();
    o.push_str(&table(&["Asset", "Value", "Hits"], &assets));
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
