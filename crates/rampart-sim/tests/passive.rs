//! Warning and passive defense, end to end: the warning chain's times against hand-computed
//! cases, the strategic warning, common random numbers across the warning comparisons, and the
//! Al Asad scenarios' outcome against the public record.

use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::montecarlo::sweep::{Axis, run_sweep};
use rampart_sim::montecarlo::{McOptions, Replication, run_mc};
use rampart_sim::scenario::parse;
use rampart_sim::summary::RunSummary;

/// The tutorial scenario (a standalone radar, two missiles at a depot) with `extra` appended to
/// the depot's table and `tail` at the end of the file.
fn tutorial(extra: &str, tail: &str) -> rampart_sim::scenario::Scenario {
    let text = std::fs::read_to_string(crate::common::shipped_path("tutorial")).unwrap();
    let text = text.replacen(
        "value = 1.0                                      # relative worth, for weighing assets\n",
        &format!("value = 1.0\n{extra}\n"),
        1,
    );
    parse(&format!("{text}\n{tail}\n"), "tutorial.toml").unwrap()
}

fn warnings(events: &[Event]) -> Vec<(&Event, &EventKind)> {
    events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Warning { .. }))
        .map(|e| (e, &e.kind))
        .collect()
}

/// A radar's warning: the alarm sounds the asset's fixed delay after the track's evaluation,
/// and the warning time is the predicted time to impact less that delay. The summary's warning
/// time of the asset is its first hit less its first alarm.
#[test]
fn a_radar_warning_sounds_after_the_dissemination_delay() {
    let s = tutorial("alarm_delay = \"20 s\"\npersonnel = { count = 100 }", "");
    let events = run(&s, RunOptions::seed(7)).unwrap();
    let w = warnings(&events);
    assert!(!w.is_empty(), "the depot radar warns");
    for (e, k) in &w {
        let EventKind::Warning {
            radar,
            alarm_t,
            warning_time_s,
            time_to_impact_s,
            ..
        } = k
        else {
            unreachable!()
        };
        assert_eq!(radar.as_deref(), Some("Depot radar"));
        assert!(
            (alarm_t - (e.t + 20.0)).abs() < 1e-9,
            "{alarm_t} vs {} + 20 s",
            e.t
        );
        let (tti, wt) = (time_to_impact_s.unwrap(), warning_time_s.unwrap());
        assert!((wt - (tti - 20.0)).abs() < 1e-9);
    }
    let summary = RunSummary::from_events(&s, 7, &events);
    let depot = &summary.assets[0];
    let first_alarm = w
        .iter()
        .map(|(e, _)| e.t + 20.0)
        .fold(f64::INFINITY, f64::min);
    assert_eq!(depot.alarm_t, Some(first_alarm));
    let first_hit = summary
        .threats
        .iter()
        .filter(|t| t.asset_hit.is_some())
        .filter_map(|t| t.impact_t)
        .fold(f64::INFINITY, f64::min);
    if first_hit.is_finite() && first_hit > first_alarm {
        let got = depot.warning_time_s.unwrap();
        assert!((got - (first_hit - first_alarm)).abs() < 1e-9);
    }
    assert!(depot.effects.is_some(), "the depot counts people");
    // `warning = "none"`: no alarm, so no warning time.
    let quiet = tutorial(
        "alarm_delay = \"20 s\"\npersonnel = { count = 100 }",
        "[passive_defense]\nwarning = \"none\"",
    );
    let events = run(&quiet, RunOptions::seed(7)).unwrap();
    assert!(warnings(&events).is_empty());
    let summary = RunSummary::from_events(&quiet, 7, &events);
    assert_eq!(summary.assets[0].alarm_t, None);
}

/// A launch cue without a network: the cue's warning comes the sensor's delay after its look,
/// its alarm the asset's delay later: with the first look in [0, revisit) of a launch at
/// 60 s and every height detectable, the warning falls in [60 s + 15 s, 60 s + 15 s + 2 s)
/// and the alarm 20 s after it.
#[test]
fn a_launch_cue_warns_after_the_sensor_and_dissemination_delays() {
    let s = tutorial(
        "alarm_delay = \"20 s\"",
        "[[early_warning]]\nname = \"EW\"\nrevisit = \"2 s\"\ndetection_altitude = \"0 m\"\npd = 1.0\n\
         delay = \"15 s\"\nheading_error = \"2 deg\"",
    );
    let events = run(&s, RunOptions::seed(7)).unwrap();
    let cues: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Warning { radar: Some(r), .. } if r == "EW"))
        .collect();
    assert!(!cues.is_empty(), "the cue warns the depot");
    let first = cues[0];
    assert!(
        (75.0..77.0 + 1e-9).contains(&first.t),
        "first cue warning at {} s",
        first.t
    );
    for e in &cues {
        let EventKind::Warning {
            alarm_t,
            warning_time_s,
            asset,
            ..
        } = &e.kind
        else {
            unreachable!()
        };
        assert_eq!(asset, "Depot");
        assert!((alarm_t - (e.t + 20.0)).abs() < 1e-9);
        assert_eq!(*warning_time_s, None, "a cue predicts no impact time");
        // The launch warning it came from is in the log at the same time.
        assert!(events.iter().any(|x| x.t == e.t
            && matches!(&x.kind, EventKind::LaunchWarning { sensor, .. } if sensor == "EW")));
    }
    // A cue whose heading points elsewhere warns nothing: move the depot's aim away from the
    // radar's sector is not needed — a second asset far to the side is never warned.
    let s = tutorial(
        "",
        "[[asset]]\nname = \"Elsewhere\"\nposition = { lat = 32.8, lon = 37.5 }\nradius = \"1 km\"\n\
         [[early_warning]]\nname = \"EW\"\nrevisit = \"2 s\"\ndetection_altitude = \"0 m\"\npd = 1.0\n\
         heading_error = \"2 deg\"",
    );
    let events = run(&s, RunOptions::seed(7)).unwrap();
    assert!(events.iter().all(|e| !matches!(
        &e.kind,
        EventKind::Warning { asset, radar: Some(r), .. } if asset == "Elsewhere" && r == "EW"
    )));
}

/// The strategic warning: one event per asset at the start, the alarm `strategic_lead` before
/// the epoch; the evacuation takes its share of the people away.
#[test]
fn the_strategic_warning_comes_before_the_epoch() {
    let s = tutorial(
        "personnel = { count = 400 }\naircraft = { count = 10 }",
        "[passive_defense]\nwarning = \"strategic\"\nstrategic_lead = \"3 h\"\nevacuate = 0.25\ndisperse = 0.5",
    );
    let events = run(&s, RunOptions::seed(7)).unwrap();
    let strategic: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Warning { radar: None, .. }))
        .collect();
    assert_eq!(strategic.len(), 1);
    assert_eq!(strategic[0].t, 0.0);
    let EventKind::Warning { alarm_t, .. } = &strategic[0].kind else {
        unreachable!()
    };
    assert_eq!(*alarm_t, -10_800.0);
    let summary = RunSummary::from_events(&s, 7, &events);
    let depot = &summary.assets[0];
    assert_eq!(depot.alarm_t, Some(-10_800.0));
    let e = depot.effects.unwrap();
    assert_eq!(e.personnel_present, 300.0);
    assert_eq!(e.aircraft_present, 5.0);
    assert_eq!(summary.totals.killed, Some(e.killed));
}

fn records_by_point(text: &str, file: &str, axis: &str, runs: u64) -> Vec<Vec<Replication>> {
    let axes = [Axis::parse(axis).unwrap()];
    let opts = McOptions {
        runs,
        threads: None,
        until_ci: None,
        seed: 3,
        stop: None,
    };
    let n = axes[0].values.len();
    let mut records: Vec<Vec<Replication>> = vec![Vec::new(); n];
    run_sweep(
        text,
        file,
        &axes,
        &opts,
        |_, _, _| {},
        |_| {},
        |i, r| {
            records[i].push(r.clone());
            Ok(())
        },
    )
    .unwrap();
    for r in &mut records {
        r.sort_by_key(|r| r.replication);
    }
    records
}

/// Common random numbers across the warning comparison: in every replication the impacts are
/// the same at every point (the warning changes no flight), and with bunkers stopping more than
/// light shelters and light shelters more than the open, a warning can only lower the expected
/// killed: none ≥ tactical ≥ strategic, replication by replication.
#[test]
fn warning_modes_share_their_random_numbers() {
    let path = crate::common::shipped_path("al-asad-2020");
    let text = std::fs::read_to_string(&path).unwrap();
    let records = records_by_point(
        &text,
        &path.display().to_string(),
        "passive_defense.warning=none,tactical,strategic",
        12,
    );
    assert!(records.iter().all(|r| r.len() == 12));
    let points = records[0].iter().zip(&records[1]).zip(&records[2]);
    for (k, ((none, tactical), strategic)) in points.enumerate() {
        assert_eq!(none.impacts, tactical.impacts, "replication {k}");
        assert_eq!(none.impacts, strategic.impacts, "replication {k}");
        let killed = |r: &Replication| r.total_effects().unwrap().killed;
        assert!(killed(none) >= killed(tactical) - 1e-12, "replication {k}");
        assert!(
            killed(tactical) >= killed(strategic) - 1e-12,
            "replication {k}"
        );
        if !none.impacts.is_empty() {
            assert!(killed(none) > killed(strategic), "replication {k}");
        }
    }
}

/// The batteries taken away (`fire_unit.enabled = false`): no interceptor flies, their radars
/// do not scan, and the threats fly as in the undefended run.
#[test]
fn an_undeployed_battery_takes_no_part() {
    let path = crate::common::shipped_path("al-asad-2020-defended");
    let text = std::fs::read_to_string(&path).unwrap();
    let records = records_by_point(
        &text,
        &path.display().to_string(),
        "fire_unit.enabled=true,false",
        6,
    );
    for (with, without) in records[0].iter().zip(&records[1]) {
        assert_eq!(without.interceptors_launched, 0);
        assert_eq!(without.intercepted, 0);
        assert!(without.impacts.len() >= with.impacts.len());
        assert!(
            without.total_effects().unwrap().killed >= with.total_effects().unwrap().killed - 1e-12
        );
    }
    let undefended = crate::common::shipped("al-asad-2020");
    let off = rampart_sim::scenario::parse(
        &rampart_sim::scenario::overrides::apply_sets(&text, &["fire_unit.enabled=false".into()])
            .unwrap(),
        "defended.toml",
    )
    .unwrap();
    let a = RunSummary::from_events(
        &undefended,
        2,
        &run(&undefended, RunOptions::seed(2)).unwrap(),
    );
    let b = RunSummary::from_events(&off, 2, &run(&off, RunOptions::seed(2)).unwrap());
    let impacts =
        |s: &RunSummary| -> Vec<Option<f64>> { s.threats.iter().map(|t| t.impact_t).collect() };
    assert_eq!(
        impacts(&a),
        impacts(&b),
        "the same flights as the undefended base"
    );
    assert!(
        b.radars.iter().take(2).all(|r| r.scans == 0),
        "the batteries' radars are off"
    );
}

/// The 2020 case against the public record: with the strategic warning, no one expected killed
/// (the mean and its interval below one person) and about the 110 brain injuries reported
/// [DoD-TBI in scenarios/al-asad-2020.toml]; without it, far more killed.
#[test]
fn al_asad_shows_the_historical_outcome_and_the_counterfactual() {
    let opts = McOptions {
        runs: 200,
        threads: None,
        until_ci: None,
        seed: 2,
        stop: None,
    };
    let warned = crate::common::shipped("al-asad-2020");
    let r = run_mc(&warned, &opts, |_| {}).unwrap();
    let (killed, injured) = (r.killed.unwrap(), r.injured.unwrap());
    assert!(killed.ci_high < 0.5, "expected killed {killed:?}");
    assert!(
        (60.0..160.0).contains(&injured.mean),
        "expected injured {injured:?}"
    );
    let unwarned = crate::common::shipped("al-asad-2020-no-warning");
    let c = run_mc(&unwarned, &opts, |_| {}).unwrap();
    let k = c.killed.unwrap();
    assert!(k.ci_low > 10.0 * killed.ci_high, "{k:?} against {killed:?}");
}
