//! A radar's `[radar.tracker]` table: the tracker file format of `rampart track`, read by the
//! scenario loader with its own checks and diagnostics, and what it changes in a run.

use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::{Scenario, parse};
use rampart_track::config::TrackerSettings;

/// The tutorial, whose one radar is its last table: a tracker table appended to it is that
/// radar's.
const TUTORIAL: &str = include_str!("../../../scenarios/tutorial.toml");

fn with_tracker(table: &str) -> String {
    format!("{TUTORIAL}\n{table}")
}

fn scenario(text: &str) -> Scenario {
    parse(text, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()))
}

/// Every event of a run, false alarms and track updates included, as JSON lines.
fn events(s: &Scenario) -> Vec<String> {
    let opts = RunOptions {
        false_alarm_events: true,
        track_events: true,
        ..RunOptions::seed(s.seed)
    };
    let events = run(s, opts).expect("the scenario runs");
    events
        .iter()
        .map(|e| serde_json::to_string(e).expect("an event serialises"))
        .collect()
}

fn first_track(events: &[Event]) -> f64 {
    events
        .iter()
        .find(|e| matches!(e.kind, EventKind::TrackInitiated { .. }))
        .map(|e| e.t)
        .expect("the radar confirms a track")
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"))
}

#[test]
fn an_unknown_key_in_a_radar_tracker_table_is_refused_at_its_line_and_column() {
    let text = with_tracker("[radar.tracker.initiation]\nm = 2\nnn = 3\n");
    let e = parse(&text, "t.toml").expect_err("an unknown key is refused");
    assert!(e.message().contains("unknown key `nn`"), "{}", e.message());
    assert_eq!(e.line_col(), Some((line_of(&text, "nn = 3"), 1)));
    assert_eq!(e.help(), Some("did you mean `n`?"));
    assert!(
        e.render()
            .contains(&format!("t.toml:{}:1", line_of(&text, "nn = 3")))
    );
    // An unknown table too.
    let text = with_tracker("[radar.tracker.initiaton]\nm = 2\n");
    let e = parse(&text, "t.toml").expect_err("an unknown table is refused");
    assert!(
        e.message().contains("unknown key `initiaton`"),
        "{}",
        e.message()
    );
    assert_eq!(e.help(), Some("did you mean `initiation`?"));
}

#[test]
fn a_bad_value_in_a_radar_tracker_table_is_refused_at_the_value() {
    let cases = [
        // (table, the value pointed at, what the message says)
        (
            "[radar.tracker.initiation]\nmax_speed = 4000\n",
            "4000",
            "initiation.max_speed needs a unit",
        ),
        (
            "[radar.tracker.initiation]\nmax_speed = \"4 km\"\n",
            "\"4 km\"",
            "expected a speed",
        ),
        (
            "[radar.tracker.association]\ngate_probability = 1.0\n",
            "1.0",
            "association.gate_probability must be in (0, 1)",
        ),
        (
            "[radar.tracker.initiation]\nm = 4\n",
            "4",
            "initiation.m = 4 is more than initiation.n = 3",
        ),
        (
            "[radar.tracker.motion]\nmodel = \"cv\"\nq = \"1 m^2/s^3\"\n",
            "\"cv\"",
            "runs the `imm` motion model only",
        ),
        (
            "[radar.tracker.measurement]\nsigma = \"50 m\"\n",
            "\"50 m\"",
            "does not apply",
        ),
    ];
    for (table, value, message) in cases {
        let text = with_tracker(table);
        let e = parse(&text, "t.toml").expect_err(table);
        assert!(e.message().contains(message), "{table}: {}", e.message());
        let (line, col) = e.line_col().expect("a position");
        let at = text.lines().nth(line - 1).expect("the line");
        assert_eq!(
            at.chars().skip(col - 1).collect::<String>().trim_end(),
            value,
            "{table}: pointed at line {line}, column {col}"
        );
    }
}

/// 2 of the first 3 scans instead of 3 of 3: a velocity-gated pair, which counts two hits,
/// is confirmed on the scan that makes it, so tracks are confirmed earlier — and more of them,
/// as the odd pair of false alarms now becomes a track — and the run changes.
#[test]
fn a_tracker_table_that_changes_the_confirmation_changes_the_run() {
    let plain = scenario(TUTORIAL);
    let quick = scenario(&with_tracker("[radar.tracker.initiation]\nm = 2\n"));
    assert_eq!(quick.radars[0].tracker.confirmation.m, 2);
    let opts = |s: &Scenario| RunOptions::seed(s.seed);
    let (a, b) = (
        run(&plain, opts(&plain)).expect("runs"),
        run(&quick, opts(&quick)).expect("runs"),
    );
    let (ta, tb) = (first_track(&a), first_track(&b));
    assert!(
        tb < ta,
        "first track confirmed at {ta} s with 3-of-3, {tb} s with 2-of-3"
    );
    let confirmed = |events: &[Event]| {
        events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::TrackInitiated { .. }))
            .count()
    };
    assert!(
        confirmed(&b) > confirmed(&a),
        "{} tracks confirmed with 3-of-3, {} with 2-of-3",
        confirmed(&a),
        confirmed(&b)
    );
    assert_ne!(events(&plain), events(&quick));
}

/// A table that spells out every default (and the detection probability the radar implies:
/// its `reference_pd` of 0.5) gives the very same events as no table at all.
#[test]
fn a_tracker_table_of_the_defaults_changes_nothing() {
    let defaults = with_tracker(
        r#"[radar.tracker.motion]
model = "imm"
q = "50 m^2/s^3"
q_ballistic = "5 m^2/s^3"
switch_probability = 0.05
[radar.tracker.detection]
pd = 0.5
[radar.tracker.association]
method = "gnn"
gate_probability = 0.999
[radar.tracker.initiation]
method = "velocity-gated"
m = 3
n = 3
max_speed = "4 km/s"
[radar.tracker.deletion]
max_misses = 3
max_position_sigma = "100 km"
[radar.tracker.metrics]
p = 2
c = "1 km"
alpha = 2
"#,
    );
    let plain = scenario(TUTORIAL);
    let spelled = scenario(&defaults);
    assert_eq!(plain.radars[0].tracker, TrackerSettings::default());
    assert_eq!(
        spelled.radars[0].tracker,
        TrackerSettings {
            pd: Some(0.5),
            ..TrackerSettings::default()
        }
    );
    let (a, b) = (events(&plain), events(&spelled));
    assert!(a.len() > 1000, "only {} events", a.len());
    assert_eq!(a, b);
}
