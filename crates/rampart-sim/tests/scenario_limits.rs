//! Hostile and careless scenario files, made from the shipped ones: each is refused with its
//! line and column, or accepted with the warning an analyst needs; none hangs. Every case here
//! ran forever, took seconds, or was accepted without a word before the physical ranges, the
//! bounds on a run's work and the warnings existed.

use rampart_sim::scenario::{ScenarioError, WarningKind, load, parse};
use std::path::Path;

const SATURATION: &str = include_str!("../../../scenarios/saturation.toml");
const DEFENDED: &str = include_str!("../../../scenarios/al-asad-2020-defended.toml");
const UNDEFENDED: &str = include_str!("../../../scenarios/al-asad-2020.toml");
const DRONES: &str = include_str!("../../../scenarios/drone-swarm.toml");
const TUTORIAL: &str = include_str!("../../../scenarios/tutorial.toml");

/// `text` with the first `from` replaced by `to` (which must be there).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the scenario");
    text.replacen(from, to, 1)
}

fn refused(text: &str) -> ScenarioError {
    parse(text, "t.toml").expect_err("the edited scenario must be refused")
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"))
}

#[test]
fn a_range_max_beyond_its_physical_range_is_refused_at_the_value() {
    let text = edit(
        SATURATION,
        r#"range_max = "170 km""#,
        r#"range_max = "99999999999999999999 km""#,
    );
    let e = refused(&text);
    assert!(e.message().contains("physical range"), "{}", e.message());
    assert_eq!(
        e.line_col().unwrap().0,
        line_of(&text, "99999999999999999999")
    );
}

#[test]
fn a_nanosecond_revisit_is_refused() {
    let text = edit(DEFENDED, r#"revisit = ""#, r#"revisit = "1e-9 s" #"#);
    let e = refused(&text);
    assert!(
        e.message()
            .starts_with("revisit must be in [0.001, 86400] s"),
        "{}",
        e.message()
    );
    assert_eq!(e.line_col().unwrap().0, line_of(&text, "1e-9 s"));
}

#[test]
fn an_altitude_of_minus_1e308_metres_is_refused_before_any_flight_is_solved() {
    let text = edit(DRONES, r#"alt = "0 m" }"#, r#"alt = "-1e308 m" }"#);
    let e = refused(&text);
    assert!(e.message().starts_with("alt must be in [-11000, 100000] m"));
    assert_eq!(e.line_col().unwrap().0, line_of(&text, "-1e308"));
}

#[test]
fn a_radar_that_would_drown_in_false_alarms_is_refused_at_its_pfa() {
    let text = edit(SATURATION, "pfa = 1e-6", "pfa = 0.1");
    let text = edit(
        &text,
        r#"range_resolution = "50 m""#,
        r#"range_resolution = "1 m""#,
    );
    let e = refused(&text);
    assert!(
        e.message().contains("false alarms per scan"),
        "{}",
        e.message()
    );
    assert_eq!(e.line_col().unwrap().0, line_of(&text, "pfa = 0.1"));
}

#[test]
fn more_scans_than_allowed_are_refused_at_revisit() {
    let text = edit(TUTORIAL, r#"duration = "30 min""#, r#"duration = "30 d""#);
    let text = edit(&text, r#"revisit = "2 s""#, r#"revisit = "1 ms""#);
    let e = refused(&text);
    assert!(e.message().contains("would scan"), "{}", e.message());
    assert_eq!(
        e.line_col().unwrap().0,
        line_of(&text, r#"revisit = "1 ms""#)
    );
}

#[test]
fn a_ten_megabyte_unit_is_refused_with_a_short_message() {
    let unit = "x".repeat(10_000_000);
    let text = edit(
        TUTORIAL,
        r#"radius = "400 m""#,
        &format!(r#"radius = "400 {unit}""#),
    );
    let e = refused(&text);
    assert!(e.message().len() < 200, "{} bytes", e.message().len());
    let shown = e.render();
    assert!(shown.len() < 2_000, "rendered {} bytes", shown.len());
    assert!(e.to_string().contains("t.toml:"), "{e}");
}

#[test]
fn a_unit_suggestion_has_the_keys_dimension() {
    let text = edit(TUTORIAL, r#"interval = "30 s""#, r#"interval = "30 sec""#);
    let e = refused(&text);
    assert_eq!(e.help(), Some("did you mean `s`?"), "{}", e.render());
}

#[test]
fn a_first_launch_past_the_end_is_pointed_at_itself() {
    let text = edit(
        TUTORIAL,
        r#"first_launch = "1 min""#,
        r#"first_launch = "40 min""#,
    );
    let e = refused(&text);
    assert_eq!(e.line_col().unwrap().0, line_of(&text, "40 min"));
    // When only the later launches are too late, the caret is on `interval`.
    let text = edit(TUTORIAL, r#"interval = "30 s""#, r#"interval = "29 min""#);
    let e = refused(&text);
    assert_eq!(e.line_col().unwrap().0, line_of(&text, "29 min"));
}

#[test]
fn launchers_written_at_the_top_level_name_the_right_table() {
    let text = edit(SATURATION, "[[fire_unit.launchers]]", "[[launchers]]");
    let e = refused(&text);
    let help = e.help().unwrap_or_default();
    assert!(help.contains("[[fire_unit.launchers]]"), "{help}");
}

#[test]
fn a_raid_count_is_capped_as_the_docs_say() {
    let docs = include_str!("../../../docs/scenario-format.md");
    assert!(docs.contains("| `count` | no | integer | `1` | 1 to 100 000,"));
    let ok = edit(TUTORIAL, "count = 2 ", "count = 100000 ");
    let ok = edit(&ok, r#"interval = "30 s""#, r#"interval = "0 s""#);
    assert!(parse(&ok, "t.toml").is_ok());
    let e = refused(&edit(&ok, "count = 100000 ", "count = 100001 "));
    assert!(e.message().contains("at most 100000"), "{}", e.message());
}

#[test]
fn a_million_threats_in_all_is_the_most() {
    let raid_start = TUTORIAL.find("\n[[raid]]").unwrap() + 1;
    let raid_end = TUTORIAL[raid_start..]
        .find("\n[[radar]]")
        .map_or(TUTORIAL.len(), |i| raid_start + i);
    let raid = edit(
        &TUTORIAL[raid_start..raid_end],
        "count = 2 ",
        "count = 100000 ",
    );
    let raid = edit(&raid, r#"interval = "30 s""#, r#"interval = "0 s""#);
    let mut text = TUTORIAL[..raid_start].to_string();
    for _ in 0..11 {
        text += &raid;
        text += "\n";
    }
    text += &TUTORIAL[raid_end..];
    let e = refused(&text);
    assert!(e.message().contains("1100000 threats"), "{}", e.message());
}

#[test]
fn an_endless_or_huge_file_is_refused_by_name() {
    let e = load(Path::new("/dev/zero")).unwrap_err();
    assert!(e.message().contains("device"), "{}", e.message());
    let dir = std::env::temp_dir().join(format!("rampart-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.toml");
    std::fs::write(&big, "#".repeat(17 * 1024 * 1024)).unwrap();
    let e = load(&big).unwrap_err();
    assert!(
        e.message().contains("larger than the 16 MiB"),
        "{}",
        e.message()
    );
    let e = load(&dir).unwrap_err();
    assert!(e.message().contains("folder"), "{}", e.message());
    std::fs::remove_dir_all(&dir).unwrap();
}

fn kinds(text: &str) -> Vec<WarningKind> {
    parse(text, "t.toml")
        .expect("the scenario loads")
        .warnings
        .iter()
        .map(|w| w.kind)
        .collect()
}

#[test]
fn the_shipped_undefended_scenario_has_no_warning() {
    assert_eq!(kinds(UNDEFENDED), []);
    assert_eq!(kinds(SATURATION), []);
    assert_eq!(kinds(DRONES), []);
}

#[test]
fn a_defense_without_fire_units_warns() {
    let cut = DEFENDED.find("[[fire_unit]]").unwrap();
    let text = &DEFENDED[..cut];
    let s = parse(text, "t.toml").unwrap();
    let k: Vec<_> = s.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        k.iter()
            .filter(|k| **k == WarningKind::UnusedInterceptorType)
            .count(),
        2
    );
    assert_eq!(
        k.iter()
            .filter(|k| **k == WarningKind::UndefendedAsset)
            .count(),
        2
    );
    let w = &s.warnings[0];
    assert_eq!(w.line, line_of(text, "name = \"Al Asad Air Base\""));
    assert!(w.rendered.starts_with("warning:"), "{}", w.rendered);
}

#[test]
fn a_radar_moved_two_thousand_km_away_warns_for_it_and_its_fire_unit() {
    let text = edit(
        DEFENDED,
        "position = { lat = 33.80, lon = 42.50, alt = \"190 m\" }",
        "position = { lat = 51.80, lon = 42.50, alt = \"190 m\" }",
    );
    let s = parse(&text, "t.toml").unwrap();
    let k: Vec<_> = s.warnings.iter().map(|w| w.kind).collect();
    assert!(k.contains(&WarningKind::RadarSeesNoThreat), "{k:?}");
    assert!(k.contains(&WarningKind::FireUnitSeesNoThreat), "{k:?}");
    let radar = s
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::RadarSeesNoThreat)
        .unwrap();
    assert!(
        radar.message.contains("Battery-1 radar"),
        "{}",
        radar.message
    );
    assert_eq!(radar.line, line_of(&text, "name = \"Battery-1 radar\""));
}

#[test]
fn a_raid_that_lands_after_the_end_warns() {
    // The tutorial's missiles fly about 270 s; the last launches at 90 s.
    let text = edit(TUTORIAL, r#"duration = "30 min""#, r#"duration = "2 min""#);
    assert_eq!(kinds(&text), [WarningKind::RaidEndsAfterScenario]);
}
