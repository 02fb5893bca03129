//! The loader's tests: whole files through [`parse`] and [`load`], each error checked for its
//! message and the line and column it points at. The shared fixtures and helpers are here,
//! with the tests of the entry points and of whole files; one file under `tests/` per part of
//! the loader holds the rest.

use super::*;
use crate::physics::drag::DragProfile;
use crate::scenario::model::{AimPoint, ThreatKind};
use crate::threats::airbreather::AirClass;
use crate::threats::ballistic::{ReentryVehicle, ShapeTarget, TrajectoryShape};
use rampart_core::{Geodetic, SimDuration};

mod dis_in;
mod network;
mod quantities;
mod reach;
mod sensors;
mod threats;

/// A valid file with no raids (so no range envelope is flown); tests append to it or
/// replace parts of it.
const BASE: &str = r#"[scenario]
name = "Test"
epoch = 2020-01-07T22:30:00Z
duration = "2 h"

[[asset]]
name = "Al Asad Air Base"
position = { lat = 33.7856, lon = 42.4412, alt = "188 m" }
radius = "1500 m"

[threat_type.Shahed-136]
kind = "uas"
speed = "185 km/h"
altitude = "1 km"
max_range = "2000 km"
"#;

/// A ballistic type (the shipped Al Asad scenario's Fateh-313, about 520 km at most).
const FATEH: &str = r#"
[threat_type.Fateh-313]
kind = "ballistic"
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "255 s"
diameter = "0.61 m"
"#;

/// A radar with only its required keys, 30 km from the asset of [`BASE`].
const RADAR: &str = r#"
[[radar]]
name = "TPY-2"
position = { lat = 33.9, lon = 42.7 }
range_max = "1000 km"
revisit = "2 s"
range_resolution = "15 m"
beamwidth = "0.5 deg"
reference_range = "870 km"
"#;

/// [`BASE`] with an `rcs` for its threat type and the [`RADAR`].
fn with_radar() -> String {
    let base = BASE.replace("kind = \"uas\"", "kind = \"uas\"\nrcs = \"0.1 m^2\"");
    format!("{base}{RADAR}")
}

/// The error `src` gives.
fn err(src: &str) -> ScenarioError {
    match parse(src, "test.toml") {
        Ok(_) => panic!("expected an error from:\n{src}"),
        Err(e) => e,
    }
}

/// The 1-based line and column of the `nth` (0-based) occurrence of `needle` in `src`; a `|`
/// in `needle` marks the place within it (`"aim = |\"Base\""`).
fn at_nth(src: &str, needle: &str, nth: usize) -> (usize, usize) {
    let offset = needle.find('|').unwrap_or(0);
    let needle = needle.replace('|', "");
    let (i, _) = src
        .match_indices(&needle)
        .nth(nth)
        .expect("needle in source");
    let before = &src[..i + offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |j| j + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The first occurrence of `needle`.
fn at(src: &str, needle: &str) -> (usize, usize) {
    at_nth(src, needle, 0)
}

/// Asserts that `src` fails with a message containing `message`, pointing at `needle`.
fn assert_err(src: &str, message: &str, needle: &str) -> ScenarioError {
    let e = err(src);
    assert!(
        e.message().contains(message),
        "message {:?} lacks {message:?}\n{}",
        e.message(),
        e.render()
    );
    assert_eq!(
        e.line_col(),
        Some(at(src, needle)),
        "wrong place:\n{}",
        e.render()
    );
    // The one-line form names the file, line and column.
    let (line, col) = at(src, needle);
    assert!(
        e.to_string()
            .starts_with(&format!("test.toml:{line}:{col}: ")),
        "{e}"
    );
    assert!(
        e.render().contains(&format!("test.toml:{line}:{col}")),
        "{}",
        e.render()
    );
    e
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn a_full_scenario_reads_into_si_values() {
    let src = r#"
[scenario]
name = "Al Asad, 8 January 2020"
description = "Every key, once."
epoch = 2020-01-08T01:30:00+03:00
duration = "2 h"
seed = 2020

[[asset]]
name = "Al Asad Air Base"
position = { lat = 33.7856, lon = 42.4412, alt = "188 m" }
radius = "1.5 km"
value = 10.0

[[asset]]
name = "Erbil Air Base"
position = { lat = "36.2375 deg", lon = 43.9631 }
radius = "1500 m"

[threat_type.Shahed-136]
kind = "uas"
reliability = 0.85
speed = "Mach 0.8"
altitude = "10 km"
max_range = "2000 km"
turn_rate = "5 deg/s"
dive_angle = "40 deg"
climb_angle = "15 deg"

[threat_type.Fateh-313]
kind = "ballistic"
reliability = 0.73
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "255 s"
diameter = "0.61 m"
body_drag_coefficient = 0.25
vertical_rise = "4 s"
reentry_vehicle = { mass = "500 kg", ballistic_coefficient = "12000 kg/m^2" }
drag_profile = [[0.0, 1.0], [1.2, 1.7], [5.0, 1.0]]

[[raid]]
threat_type = "Fateh-313"
count = 4
launch_site = { lat = 34.31, lon = 47.07, alt = "1320 m" }
aim = "Al Asad Air Base"
first_launch = "2020-01-07T22:35:00Z"
interval = "20 s"
cep = "30 m"
trajectory = "minimum-energy"

[[raid]]
threat_type = "Shahed-136"
count = 3
launch_site = { lat = 34.31, lon = 47.07 }
aim = { lat = 36.0, lon = 44.0, alt = "400 m" }
first_launch = "10 min"
interval = "3 min"
cep = "10 m"
waypoints = [{ lat = 35.0, lon = 46.0 }, { lat = 35.5, lon = 45.0, alt = "1 km" }]
"#;
    let sc = parse(src, "full.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(sc.name, "Al Asad, 8 January 2020");
    assert_eq!(sc.description, "Every key, once.");
    // 01:30 at UTC+3 is 22:30 UTC the day before.
    assert_eq!(sc.epoch, "2020-01-07T22:30:00Z");
    assert_eq!(sc.duration, SimDuration::from_secs(7200));
    assert_eq!(sc.seed, 2020);

    assert_eq!(sc.assets.len(), 2);
    let base = &sc.assets[0];
    assert_eq!(base.name, "Al Asad Air Base");
    assert_eq!(
        base.position,
        Geodetic::from_degrees(33.7856, 42.4412, 188.0)
    );
    assert_eq!(base.radius_m, 1500.0);
    assert_eq!(base.value, 10.0);
    let erbil = &sc.assets[1];
    assert!(close(erbil.position.lat_rad, 36.2375f64.to_radians()));
    assert!(close(erbil.position.lon_rad, 43.9631f64.to_radians()));
    assert_eq!(erbil.position.alt_m, 0.0);
    assert_eq!((erbil.radius_m, erbil.value), (1500.0, 1.0));

    // File order, not name order.
    let names: Vec<_> = sc.threat_types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Shahed-136", "Fateh-313"]);
    let uas = &sc.threat_types[0];
    assert_eq!(uas.reliability, 0.85);
    let ThreatKind::AirBreathing(a) = &uas.kind else {
        panic!("{:?}", uas.kind)
    };
    assert_eq!(a.class, AirClass::Uas);
    // X-Val: US Standard Atmosphere 1976, speed of sound at 10 km = 299.532 m/s.
    assert!(
        (a.speed_mps - 0.8 * 299.532).abs() < 1e-3,
        "{}",
        a.speed_mps
    );
    assert_eq!((a.cruise_alt_m, a.max_range_m), (10_000.0, 2_000_000.0));
    assert!(close(a.max_turn_rate_rad_s, 5f64.to_radians()));
    assert!(close(a.dive_angle_rad, 40f64.to_radians()));
    assert!(close(a.climb_angle_rad, 15f64.to_radians()));

    let fateh = &sc.threat_types[1];
    assert_eq!(fateh.reliability, 0.73);
    let ThreatKind::Ballistic(b) = &fateh.kind else {
        panic!("{:?}", fateh.kind)
    };
    assert_eq!((b.launch_mass_kg, b.propellant_mass_kg), (3450.0, 2330.0));
    assert_eq!((b.burn_time_s, b.isp_s, b.diameter_m), (32.0, 255.0, 0.61));
    assert_eq!((b.body_drag_coefficient, b.vertical_rise_s), (0.25, 4.0));
    assert_eq!(
        b.reentry_vehicle,
        Some(ReentryVehicle {
            mass_kg: 500.0,
            ballistic_coefficient_kg_m2: 12_000.0
        })
    );
    assert_eq!(
        b.drag_profile.points(),
        [(0.0, 1.0), (1.2, 1.7), (5.0, 1.0)]
    );

    assert_eq!(sc.raids.len(), 2);
    let r = &sc.raids[0];
    assert_eq!((r.threat_type, r.count), (1, 4));
    assert_eq!(r.launch_site, Geodetic::from_degrees(34.31, 47.07, 1320.0));
    assert_eq!(
        r.aim,
        AimPoint {
            point: base.position,
            asset: Some(0)
        }
    );
    assert_eq!(r.first_launch, SimDuration::from_secs(300));
    assert_eq!(r.interval, SimDuration::from_secs(20));
    assert_eq!(r.cep_m, 30.0);
    assert_eq!(r.trajectory, TrajectoryShape::MinimumEnergy);
    assert!(r.waypoints.is_empty());
    let nominal = r
        .ballistic_aim
        .as_ref()
        .expect("a ballistic raid has its nominal aim");
    let (env, max) = (nominal.envelope, nominal.max_range_m);
    let line = r.launch_site.geodesic_to(&r.aim.point);
    // The longest range with the raid's own flight-path angle: within 1 % of the envelope's
    // (minimum energy to a point near the edge of reach flies nearly the range-optimal angle).
    assert!(
        max >= line.distance_m && max <= env.max_range_m && max > 0.99 * env.max_range_m,
        "{max} {env:?}"
    );
    assert!(close(env.azimuth_rad, line.azimuth1_rad));

    let r = &sc.raids[1];
    assert_eq!((r.threat_type, r.count), (0, 3));
    assert_eq!(r.launch_site, Geodetic::from_degrees(34.31, 47.07, 0.0));
    assert_eq!(
        r.aim,
        AimPoint {
            point: Geodetic::from_degrees(36.0, 44.0, 400.0),
            asset: None
        }
    );
    assert_eq!(r.first_launch, SimDuration::from_secs(600));
    assert_eq!(r.interval, SimDuration::from_secs(180));
    assert_eq!(r.cep_m, 10.0);
    assert_eq!(
        r.waypoints,
        [
            Geodetic::from_degrees(35.0, 46.0, 0.0),
            Geodetic::from_degrees(35.5, 45.0, 1000.0)
        ]
    );
    assert_eq!(r.ballistic_aim, None);
}

#[test]
fn defaults_fill_in_optional_keys() {
    let sc = parse(BASE, "base.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!((sc.description.as_str(), sc.seed), ("", 1));
    assert_eq!(sc.assets[0].value, 1.0);
    let ty = &sc.threat_types[0];
    assert_eq!(ty.reliability, 1.0);
    let ThreatKind::AirBreathing(a) = &ty.kind else {
        panic!()
    };
    assert!(close(a.speed_mps, 185.0 / 3.6));
    assert!(close(a.max_turn_rate_rad_s, 3f64.to_radians()));
    assert!(close(a.dive_angle_rad, 30f64.to_radians()));
    assert!(close(a.climb_angle_rad, 10f64.to_radians()));

    let src = format!(
        "{BASE}{FATEH}\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = {{ lat = 34, lon = 47 }}\naim = \"Al Asad Air Base\"\n"
    );
    let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    let ThreatKind::Ballistic(b) = &sc.threat_types[1].kind else {
        panic!()
    };
    assert_eq!((b.body_drag_coefficient, b.vertical_rise_s), (0.3, 5.0));
    assert_eq!(
        (b.reentry_vehicle, &b.drag_profile),
        (None, &DragProfile::slender_body())
    );
    let r = &sc.raids[0];
    assert_eq!(
        (r.count, r.first_launch, r.interval, r.cep_m),
        (1, SimDuration::ZERO, SimDuration::ZERO, 0.0)
    );
    assert_eq!(r.trajectory, TrajectoryShape::MinimumEnergy);
}

#[test]
fn the_shipped_scenarios_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    for name in ["tutorial.toml", "al-asad-2020.toml", "drone-swarm.toml"] {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        if let Err(e) = load(&path) {
            panic!("{}", e.render());
        }
    }
}

#[test]
fn malformed_toml_is_reported_where_the_parser_stopped() {
    let src = format!("{BASE}\n[raid]\nthreat_type = \"Shahed-136\"\n");
    let e = assert_err(&src, "invalid type: table, expected an array", "[raid]");
    assert_eq!(
        e.help(),
        Some("each entry is a table of an array: write [[raid]] with double brackets")
    );

    let src = "[scenario]\nname = \"x\nepoch = 2020-01-07T22:30:00Z\n";
    let e = err(src);
    assert!(e.message().contains("string"), "{}", e.render());
    assert_eq!(e.line_col(), Some((2, 10)), "{}", e.render());
    let src = "[scenario]\nname = \"x\"\n[scenario]\n";
    assert_err(src, "duplicate key", "name = \"x\"\n[|scenario]");
}

#[test]
fn unknown_keys_suggest_the_closest_one() {
    let src = BASE.replace("radius =", "radus =");
    let e = assert_err(&src, "unknown key `radus`", "radus");
    assert_eq!(e.help(), Some("did you mean `radius`?"));

    let src = format!("{BASE}\n[[battery]]\nname = \"Patriot\"\n");
    let e = assert_err(&src, "unknown key `battery`", "battery");
    assert_eq!(
        e.help(),
        Some(
            "expected one of `scenario`, `asset`, `threat_type`, `raid`, `radar`, \
             `interceptor_type`, `fire_unit`, `battle_management`, `network`, `early_warning`, `gun`, \
             `passive_defense`, `dis`, `dis_in`"
        )
    );

    let src = format!("{BASE}\n[[fire_units]]\nname = \"Patriot\"\n");
    let e = assert_err(&src, "unknown key `fire_units`", "fire_units");
    assert_eq!(e.help(), Some("did you mean `fire_unit`?"));

    let src = BASE.replace("alt = \"188 m\"", "altitude = \"188 m\"");
    let e = assert_err(&src, "unknown key `altitude`", "altitude = \"188");
    assert_eq!(e.help(), Some("did you mean `alt`?"));
}

#[test]
fn missing_keys_name_the_key_and_the_section() {
    let src = BASE.replace("radius = \"1500 m\"\n", "");
    assert_err(
        &src,
        "missing required key `radius` in [[asset]] #1",
        "[[asset]]",
    );

    let src = BASE.replace("epoch = 2020-01-07T22:30:00Z\n", "");
    assert_err(
        &src,
        "missing required key `epoch` in [scenario]",
        "[scenario]",
    );

    let src = BASE.replace("lon = 42.4412, ", "");
    assert_err(
        &src,
        "missing required key `lon` in `position` of [[asset]] #1",
        "{ lat = 33",
    );

    let src = format!("{BASE}{FATEH}").replace("isp = \"255 s\"\n", "");
    assert_err(
        &src,
        "missing required key `isp` in [threat_type.Fateh-313]",
        "[threat_type.Fateh",
    );

    let src =
        format!("{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\naim = \"Al Asad Air Base\"\n");
    assert_err(
        &src,
        "missing required key `launch_site` in [[raid]] #1",
        "[[raid]]",
    );
}

#[test]
fn duplicate_asset_names_are_errors() {
    let asset = "\n[[asset]]\nname = \"Al Asad Air Base\"\nposition = { lat = 33, lon = 42 }\nradius = \"1 km\"\n";
    let src = BASE.replace("\n[threat_type", &format!("{asset}\n[threat_type"));
    let e = err(&src);
    assert_eq!(e.message(), "duplicate asset name `Al Asad Air Base`");
    assert_eq!(
        e.line_col(),
        Some(at_nth(&src, "\"Al Asad Air Base\"", 1)),
        "{}",
        e.render()
    );
    assert_eq!(
        e.help(),
        Some("[[asset]] #1 has this name; asset names must be unique")
    );
}

#[test]
fn empty_files_and_files_without_a_scenario_section() {
    let e = err("");
    assert_eq!(
        (e.message(), e.line_col()),
        ("the scenario file is empty", Some((1, 1)))
    );
    assert!(e.render().contains("test.toml"), "{}", e.render());
    let e = err("  \n\t\n");
    assert_eq!(e.message(), "the scenario file is empty");

    let src = "# just a comment\n\n[[asset]]\nname = \"x\"\n";
    let e = err(src);
    assert_eq!(
        (e.message(), e.line_col()),
        ("the file has no [scenario] section", Some((1, 1)))
    );
    assert!(e.help().is_some_and(|h| h.contains("epoch")));
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);
impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("rampart-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).expect("write a temporary file");
        TempFile(path)
    }
}
impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn load_rejects_files_that_are_not_text() {
    let f = TempFile::new("latin1.toml", b"[scenario]\nname = \"Caf\xe9\"\n");
    let e = load(&f.0).expect_err("not UTF-8");
    assert!(
        e.message().contains("not UTF-8 text: byte 22 (0xe9)"),
        "{}",
        e.render()
    );
    assert_eq!(e.line_col(), Some((2, 12)));
    assert!(
        e.to_string()
            .starts_with(&format!("{}:2:12: ", f.0.display())),
        "{e}"
    );

    let f = TempFile::new("nul.toml", b"[scenario]\nname = \"a\0b\"\n");
    let e = load(&f.0).expect_err("NUL");
    assert!(
        e.message().contains("contains a NUL byte at byte 20"),
        "{}",
        e.render()
    );
    assert_eq!(e.line_col(), Some((2, 10)));

    let f = TempFile::new("empty.toml", b"");
    let e = load(&f.0).expect_err("empty");
    assert!(
        e.to_string().ends_with(":1:1: the scenario file is empty"),
        "{e}"
    );

    let f = TempFile::new(
        "bad.toml",
        BASE.replace("radius = \"1500 m\"", "radius = 1500")
            .as_bytes(),
    );
    let e = load(&f.0).expect_err("needs a unit");
    assert_eq!(e.file(), f.0.display().to_string());

    let missing = std::env::temp_dir().join("rampart-no-such-file.toml");
    let e = load(&missing).expect_err("unreadable");
    assert!(
        e.message().starts_with("cannot read the scenario file"),
        "{e}"
    );
    assert!(
        e.to_string().starts_with(&missing.display().to_string()),
        "{e}"
    );
    let _ = e.render();
}

#[test]
fn rendered_errors_show_the_snippet_and_the_help() {
    let src = BASE.replace("radius = \"1500 m\"", "radius = 1500");
    let r = err(&src).render();
    let expected = "\
error: radius needs a unit, e.g. \"1500 m\"
 --> test.toml:9:10
  |
9 | radius = 1500
  |          ^^^^ an integer without a unit
  |
help: length units: m, km, nmi, ft";
    assert_eq!(r.trim_end(), expected.trim_end(), "\n{r}");
}

#[test]
fn hostile_input_never_panics() {
    let inputs = [
        "[scenario]\nname = \"x\"\nepoch = 0000-01-01T00:00:00+23:59\nduration = \"1 s\"\n",
        "[scenario]\nname = \"x\"\nepoch = 9999-12-31T23:59:59-23:59\nduration = \"1 s\"\n",
        "[scenario]\nname = \"x\"\nepoch = 2020-01-01T00:00:00Z\nduration = \"1e300 s\"\n",
        "[scenario]\nname = \"x\"\nepoch = 2020-01-01T00:00:00Z\nduration = \"inf s\"\n",
        "[scenario]\nname = \"\"\n",
        "scenario = 3",
        "[threat_type]\nX = 3\n",
        "[[asset]]\nposition = \"here\"\n",
        "[[raid]]\naim = 3\n",
        "\u{feff}[scenario]\n",
        "[scenario]\nname = \"é\"\nepoch = 2020-01-07T22:30:00Z\nduration = \"1 ħ\"\n",
    ];
    for src in inputs {
        let e = err(src);
        let _ = (e.render(), e.line_col(), e.to_string());
    }
    let src = BASE.replace(
        "duration = \"2 h\"",
        "duration = \"2 h\"\nseed = 9223372036854775807",
    );
    assert_eq!(parse(&src, "t").map(|s| s.seed).ok(), Some(i64::MAX as u64));
    let raid = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 43 }\naim = \"Al Asad Air Base\"\n";
    let src = format!("{BASE}{raid}count = 4294967295\ninterval = \"292 y\"\n");
    let _ = err(&src).render();
    let src = format!("{BASE}{raid}count = 4294967295\ninterval = \"100000 d\"\n");
    let _ = err(&src).render();
}

/// Bad people, shelters, warheads and warnings are errors naming the value.
#[test]
fn passive_defense_inputs_are_checked() {
    let with = |asset: &str, tail: &str| {
        format!(
            "{}\n{tail}\n",
            BASE.replacen(
                "radius = \"1500 m\"\n",
                &format!("radius = \"1500 m\"\n{asset}\n"),
                1
            )
        )
    };
    let src = with(
        "personnel = { count = 10, light_shelter = 0.7, hardened = 0.5 }",
        "",
    );
    assert_err(&src, "add up to more than 1", "{ count = 10, light");
    let src = with(
        "personnel = { count = 100, hardened = 0.5, hardened_places = 20 }",
        "",
    );
    assert_err(&src, "fewer than the 50 people", "20 }");
    let src = with("personnel = { count = -1 }", "");
    assert_err(&src, "count must be at least 0", "-1");
    let src = with("personnel = { count = 10, time_to_shelter = \"0 s\" }", "");
    assert_err(&src, "time_to_shelter", "\"0 s\"");
    let src = with("aircraft = { count = 4, sheltered = 1.5 }", "");
    assert_err(&src, "sheltered", "1.5");
    let src = with("alarm_delay = \"-3 s\"", "");
    assert_err(&src, "alarm_delay", "\"-3 s\"");
    let src = with("", "[passive_defense]\nwarning = \"strategc\"");
    assert_err(&src, "unknown warning `strategc`", "\"strategc\"");
    let src = with("", "[passive_defense]\nhardened_protection = 0.5");
    assert_err(&src, "hardened_protection", "0.5");
    let src = BASE.replacen(
        "kind = \"uas\"\n",
        "kind = \"uas\"\nlethal_radius = \"30 m\"\ninjury_radius = \"10 m\"\n",
        1,
    );
    assert_err(&src, "injury_radius is smaller", "\"10 m\"");
    // And a good one loads, with its defaults.
    let src = with("personnel = { count = 100, light_shelter = 0.2 }", "");
    let s = crate::scenario::parse(&src, "ok.toml").unwrap();
    let p = s.assets[0].personnel.as_ref().unwrap();
    assert_eq!((p.light_places, p.hardened_places), (20, 100));
    assert_eq!(p.radius_m, 1500.0);
    assert_eq!(s.passive.warning, crate::passive::WarningMode::Tactical);
    assert_eq!(
        s.threat_types[0].warhead,
        crate::passive::Warhead::scaled(40.0)
    );
}
