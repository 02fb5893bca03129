//! The event engine end to end: scan timing, determinism, common random numbers.

use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::parse;
use rampart_sim::summary::RunSummary;

const BASE: &str = r#"
[scenario]
name = "engine test"
epoch = 2025-01-01T00:00:00Z
duration = "10 min"
seed = 3

[[asset]]
name = "Depot"
position = { lat = 31.0, lon = 35.0, alt = "300 m" }
radius = "400 m"

[threat_type.SRBM]
kind = "ballistic"
reliability = 0.8
launch_mass = "2000 kg"
propellant_mass = "1300 kg"
burn_time = "25 s"
isp = "240 s"
diameter = "0.6 m"
rcs = "0.1 m^2"

[[raid]]
threat_type = "SRBM"
count = 6
launch_site = { lat = 32.6, lon = 35.3, alt = "200 m" }
aim = "Depot"
interval = "10 s"
cep = "50 m"
"#;

const RADARS: &str = r#"
[[radar]]
name = "A"
position = { lat = 31.02, lon = 35.0, alt = "300 m" }
range_max = "250 km"
revisit = "1.5 s"
first_scan = "0.25 s"
range_resolution = "30 m"
beamwidth = "2 deg"
reference_range = "120 km"

[[radar]]
name = "B"
position = { lat = 31.5, lon = 35.1, alt = "500 m" }
boresight = "0 deg"
azimuth_span = "90 deg"
range_max = "200 km"
revisit = "2 s"
range_resolution = "50 m"
beamwidth = "1.5 deg"
reference_range = "150 km"
"#;

fn kinds_without_sensing(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter(|e| {
            !e.kind.is_sensing()
                && !matches!(
                    e.kind,
                    EventKind::TrackInitiated { .. }
                        | EventKind::TrackDropped { .. }
                        | EventKind::Warning { .. }
                )
        })
        .map(|e| serde_json::to_string(e).unwrap())
        .collect()
}

/// Each radar scans at first_scan + k·revisit exactly, on its own clock, until the run ends
/// with the last threat.
#[test]
fn several_radars_scan_on_their_own_clocks() {
    let scenario = parse(&format!("{BASE}{RADARS}"), "engine.toml").unwrap();
    let events = run(&scenario, RunOptions::seed(3)).unwrap();
    let last_end = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Impact { .. } | EventKind::Failure { .. }))
        .map(|e| e.t_ns)
        .max()
        .unwrap();
    assert!(
        last_end < 600_000_000_000,
        "the raid ends before the scenario"
    );
    assert_eq!(
        events.last().unwrap().t_ns,
        last_end,
        "the run ends with the raid"
    );
    for (name, first_ns, revisit_ns) in [
        ("A", 250_000_000i64, 1_500_000_000i64),
        ("B", 0, 2_000_000_000),
    ] {
        let times: Vec<i64> = events
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::Scan { radar, .. } if radar == name))
            .map(|e| e.t_ns)
            .collect();
        let expected: Vec<i64> = (0..)
            .map(|k| first_ns + k * revisit_ns)
            .take_while(|t| *t <= last_end)
            .collect();
        assert_eq!(times, expected, "radar {name}");
    }
    // Events come out in time order.
    assert!(events.windows(2).all(|w| w[0].t_ns <= w[1].t_ns));
    // Both radars see the raid; the summary holds each threat's first detection per radar.
    let summary = RunSummary::from_events(&scenario, 3, &events);
    assert_eq!(summary.radars.len(), 2);
    for r in &summary.radars {
        assert!(r.detections > 0, "{} saw nothing", r.name);
    }
    let flew = summary
        .threats
        .iter()
        .filter(|t| t.impact_t.is_some())
        .count();
    assert!(flew > 0);
    for t in summary.threats.iter().filter(|t| t.impact_t.is_some()) {
        assert!(
            t.first_detection
                .iter()
                .all(|d| d.t.is_some() && d.range_m.is_some()),
            "{t:?}"
        );
    }
}

/// Common random numbers: adding radars changes no threat's flight, failure or impact (only
/// what they sense: their tracks and the warnings those give).
#[test]
fn adding_radars_changes_no_threat_draw() {
    let without = parse(BASE, "a.toml").unwrap();
    let with = parse(&format!("{BASE}{RADARS}"), "b.toml").unwrap();
    let a = run(&without, RunOptions::seed(11)).unwrap();
    let b = run(&with, RunOptions::seed(11)).unwrap();
    assert_eq!(kinds_without_sensing(&a), kinds_without_sensing(&b));
    // And a different seed does change them.
    let c = run(&without, RunOptions::seed(12)).unwrap();
    assert_ne!(kinds_without_sensing(&a), kinds_without_sensing(&c));
}

/// False alarms are counted in every scan event, and written one by one only when asked.
#[test]
fn false_alarms_are_counted_and_recorded_on_request() {
    let scenario = parse(&format!("{BASE}{RADARS}"), "engine.toml").unwrap();
    let quiet = run(&scenario, RunOptions::seed(5)).unwrap();
    let loud = run(
        &scenario,
        RunOptions {
            false_alarm_events: true,
            ..RunOptions::seed(5)
        },
    )
    .unwrap();
    let fa_events = |ev: &[Event]| {
        ev.iter()
            .filter(|e| matches!(&e.kind, EventKind::Detection { truth: None, .. }))
            .count() as u64
    };
    assert_eq!(fa_events(&quiet), 0);
    let counted: u64 = RunSummary::from_events(&scenario, 5, &quiet)
        .radars
        .iter()
        .map(|r| r.false_alarms)
        .sum();
    assert!(counted > 0);
    assert_eq!(
        fa_events(&loud),
        counted,
        "same draws whether recorded or not"
    );
}

/// issue 4: each radar's tracker turns its detections into confirmed tracks that follow the
/// threats — from detections only — and the run reports them as events and in the summary.
#[test]
fn radar_trackers_confirm_tracks_on_the_threats() {
    let scenario = parse(&format!("{BASE}{RADARS}"), "engine.toml").unwrap();
    let events = run(
        &scenario,
        RunOptions {
            track_events: true,
            ..RunOptions::seed(3)
        },
    )
    .unwrap();
    let summary = RunSummary::from_events(&scenario, 3, &events);
    let impacted = summary
        .threats
        .iter()
        .filter(|t| t.impact_t.is_some())
        .count() as u64;
    for r in &summary.radars {
        assert!(r.tracks_initiated >= 1, "{}: no track confirmed", r.name);
        // Few spurious or broken tracks: at most two per threat over the run.
        assert!(
            r.tracks_initiated <= 2 * impacted,
            "{}: {} tracks for {impacted} threats",
            r.name,
            r.tracks_initiated
        );
    }
    // Where a radar holds exactly as many confirmed tracks as it has threats in coverage, the
    // tracks sit on the threats: GOSPA (c = 1 km) is then pure localisation error.
    let mut matched: Vec<f64> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Scan {
                tracks,
                threats_in_coverage,
                gospa_m,
                ..
            } if *tracks > 0 && tracks == threats_in_coverage => Some(*gospa_m),
            _ => None,
        })
        .collect();
    assert!(
        matched.len() > 20,
        "only {} fully tracked scans",
        matched.len()
    );
    matched.sort_by(f64::total_cmp);
    let median = matched[matched.len() / 2];
    eprintln!(
        "fully tracked scans: {}, median GOSPA {median:.0} m, 90th pct {:.0} m",
        matched.len(),
        matched[matched.len() * 9 / 10]
    );
    assert!(
        median < 300.0,
        "median GOSPA {median} m with every threat tracked"
    );
    let updates = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TrackUpdate { .. }))
        .count();
    assert!(updates > 0);
    let initiated = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TrackInitiated { .. }))
        .count() as u64;
    assert_eq!(
        initiated,
        summary
            .radars
            .iter()
            .map(|r| r.tracks_initiated)
            .sum::<u64>()
    );
}
