//! The scenario loader's defense tables: `[interceptor_type.NAME]`, `[[fire_unit]]` and
//! `[[fire_unit.launchers]]`. Every bad input is checked for its message and for the line and
//! column it points at; the good inputs for their values and defaults.

use rampart_core::SimDuration;
use rampart_sim::scenario::{Doctrine, ScenarioError, parse};
use rampart_sim::sensors::detection::Swerling;
use rampart_sim::weapons::endgame::Lethality;

/// A valid defended scenario: two assets, the Fateh-313 of the shipped Al Asad scenario, one
/// raid at Al Asad, one radar, one PAC-3-like interceptor type (only its required keys plus
/// the envelope minima) and one fire unit (only its required keys) with one launcher group.
/// The numbers are those of `scenarios/al-asad-2020-defended.toml`.
const BASE: &str = r#"[scenario]
name = "Defense test"
epoch = 2020-01-07T22:30:00Z
duration = "2 h"

[[asset]]
name = "Al Asad Air Base"
position = { lat = 33.7856, lon = 42.4412, alt = "188 m" }
radius = "2500 m"

[[asset]]
name = "Erbil Air Base"
position = { lat = 36.2375, lon = 43.9631, alt = "415 m" }
radius = "1500 m"

[threat_type.Fateh-313]
kind = "ballistic"
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "255 s"
diameter = "0.61 m"
rcs = "0.1 m^2"

[[raid]]
threat_type = "Fateh-313"
count = 2
launch_site = { lat = 34.40, lon = 46.95, alt = "1350 m" }
aim = "Al Asad Air Base"
interval = "20 s"

[[radar]]
name = "Battery-1 radar"
position = { lat = 33.80, lon = 42.50, alt = "190 m" }
boresight = "75 deg"
azimuth_span = "120 deg"
range_max = "170 km"
revisit = "2 s"
range_resolution = "50 m"
beamwidth = "1.5 deg"
reference_range = "150 km"

[interceptor_type.PAC-3-like]
launch_mass = "316 kg"
propellant_mass = "170 kg"
burn_time = "12 s"
isp = "250 s"
diameter = "0.255 m"
max_acceleration = "40 g"
min_altitude = "1 km"
max_altitude = "20 km"
min_range = "1 km"
max_range = "25 km"
seeker_acquisition_range = "10 km"
lethality = "hit-to-kill"
lethal_radius = "1.5 m"

[[fire_unit]]
name = "Battery-1"
radar = "Battery-1 radar"

[[fire_unit.launchers]]
position = { lat = 33.79, lon = 42.48, alt = "190 m" }
interceptor = "PAC-3-like"
count = 2
rounds = 8
"#;

/// A second radar, for a second fire unit.
const RADAR_2: &str = r#"
[[radar]]
name = "Battery-2 radar"
position = { lat = 33.76, lon = 42.40, alt = "185 m" }
range_max = "170 km"
revisit = "2 s"
range_resolution = "50 m"
beamwidth = "1.5 deg"
reference_range = "150 km"
"#;

/// A second fire unit named `name` on radar `radar`, with one launcher group.
fn second_unit(name: &str, radar: &str) -> String {
    format!(
        r#"
[[fire_unit]]
name = "{name}"
radar = "{radar}"

[[fire_unit.launchers]]
position = {{ lat = 33.77, lon = 42.41, alt = "185 m" }}
interceptor = "PAC-3-like"
rounds = 4
"#
    )
}

/// `src` with the one occurrence of `from` replaced by `to` (an edit that matches nothing, or
/// more than once, is a mistake in the test).
fn edit(src: &str, from: &str, to: &str) -> String {
    assert_eq!(
        src.matches(from).count(),
        1,
        "{from:?} must occur exactly once in the test scenario"
    );
    src.replacen(from, to, 1)
}

/// [`BASE`] with `from` replaced by `to`.
fn base_with(from: &str, to: &str) -> String {
    edit(BASE, from, to)
}

/// [`BASE`] without the line `line` (given without its newline).
fn base_without(line: &str) -> String {
    base_with(&format!("{line}\n"), "")
}

/// [`BASE`] with `lines` added to the interceptor type.
fn interceptor_with(lines: &str) -> String {
    base_with(
        "lethality = \"hit-to-kill\"\n",
        &format!("{lines}\nlethality = \"hit-to-kill\"\n"),
    )
}

/// [`BASE`] with `lines` added to the fire unit.
fn unit_with(lines: &str) -> String {
    base_with(
        "radar = \"Battery-1 radar\"\n",
        &format!("radar = \"Battery-1 radar\"\n{lines}\n"),
    )
}

/// [`BASE`] with `lines` added to the launcher group.
fn launcher_with(lines: &str) -> String {
    base_with("rounds = 8\n", &format!("rounds = 8\n{lines}\n"))
}

/// [`BASE`] cut just before its `[[fire_unit.launchers]]` table.
fn base_without_launchers() -> String {
    let cut = BASE
        .find("\n[[fire_unit.launchers]]")
        .expect("launchers table");
    BASE[..=cut].to_string()
}

/// The error `src` gives.
fn err(src: &str) -> ScenarioError {
    match parse(src, "test.toml") {
        Ok(_) => panic!("expected an error from:\n{src}"),
        Err(e) => e,
    }
}

/// The scenario `src` gives, or a panic with the rendered error.
fn ok(src: &str) -> rampart_sim::scenario::Scenario {
    parse(src, "test.toml").unwrap_or_else(|e| panic!("{}", e.render()))
}

/// The 1-based line and column of the `nth` (0-based) occurrence of `needle` in `src`; a `|`
/// in `needle` marks the place within it (`"max_range = |25"`).
fn at_nth(src: &str, needle: &str, nth: usize) -> (usize, usize) {
    let offset = needle.find('|').unwrap_or(0);
    let needle = needle.replace('|', "");
    let (i, _) = src
        .match_indices(&needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} (#{nth}) not in the source"));
    let before = &src[..i + offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |j| j + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// Asserts that `src` fails with a message containing `message`, pointing at the `nth`
/// occurrence of `needle`, in the one-line form and in the rendered snippet alike.
fn assert_err_nth(src: &str, message: &str, needle: &str, nth: usize) -> ScenarioError {
    let e = err(src);
    assert!(
        e.message().contains(message),
        "message {:?} lacks {message:?}\n{}",
        e.message(),
        e.render()
    );
    let (line, col) = at_nth(src, needle, nth);
    assert_eq!(
        e.line_col(),
        Some((line, col)),
        "wrong place:\n{}",
        e.render()
    );
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

/// [`assert_err_nth`] at the first occurrence of `needle`.
fn assert_err(src: &str, message: &str, needle: &str) -> ScenarioError {
    assert_err_nth(src, message, needle, 0)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

// ── Good input ──────────────────────────────────────────────────────────────────────────────

#[test]
fn the_base_scenario_loads_and_optional_keys_take_their_defaults() {
    let sc = ok(BASE);
    assert_eq!(sc.interceptor_types.len(), 1);
    assert_eq!(sc.fire_units.len(), 1);

    let ty = &sc.interceptor_types[0];
    assert_eq!(ty.name, "PAC-3-like");
    assert_eq!(ty.reliability, 1.0);
    assert!(close(ty.rcs_m2, 0.1), "rcs {}", ty.rcs_m2);
    assert_eq!(ty.swerling, Swerling::One);
    assert_eq!(ty.drag_coefficient, 0.3);
    assert_eq!(ty.guidance.law.name(), "pn");
    assert_eq!(ty.guidance.params.nav_constant, 4.0);
    assert!(close(ty.guidance.params.max_accel_mps2, 40.0 * 9.80665));
    assert!(close(ty.seeker.angle_noise_rad, 1e-3));
    assert!(close(ty.seeker.acquisition_range_m, 10_000.0));
    assert_eq!(ty.max_flight_time_s, 90.0);
    assert!(close(ty.planning_pk, 0.8), "planning_pk {}", ty.planning_pk);
    assert_eq!(
        ty.lethality,
        Lethality::HitToKill {
            lethal_radius_m: 1.5
        }
    );
    assert_eq!(ty.envelope.min_altitude_m, 1000.0);
    assert_eq!(ty.envelope.max_altitude_m, 20_000.0);
    assert_eq!(ty.envelope.min_range_m, 1000.0);
    assert_eq!(ty.envelope.max_range_m, 25_000.0);

    let unit = &sc.fire_units[0];
    assert_eq!(unit.name, "Battery-1");
    assert_eq!(unit.radar, 0);
    assert_eq!(unit.doctrine, Doctrine::ShootLookShoot);
    assert_eq!(unit.doctrine.salvo(), 1);
    assert_eq!(unit.channels, 3);
    assert_eq!(unit.kill_assessment, 0.9);
    assert_eq!(unit.salvo_interval, SimDuration::from_secs(1));
    // Without `defends`, the unit defends every asset.
    assert_eq!(unit.defends, vec![0, 1]);

    assert_eq!(unit.launchers.len(), 1);
    let l = &unit.launchers[0];
    assert_eq!(l.interceptor, 0);
    assert_eq!((l.count, l.rounds, l.reloads), (2, 8, 0));
    assert_eq!(l.reload_time, SimDuration::from_secs(3600));
    assert_eq!(l.launch_delay, SimDuration::from_secs(3));
}

#[test]
fn every_optional_key_is_read() {
    let src = interceptor_with(
        "reliability = 0.9\nrcs = \"-15 dBsm\"\nswerling = 3\ndrag_coefficient = 0.25\n\
         guidance = \"apn\"\nnavigation_constant = 3.5\nseeker_noise = \"2 mrad\"\n\
         max_flight_time = \"60 s\"",
    );
    let src = edit(
        &src,
        "radar = \"Battery-1 radar\"\n",
        "radar = \"Battery-1 radar\"\ndoctrine = \"shoot-shoot\"\nsalvo = 3\n\
         salvo_interval = \"0.5 s\"\nchannels = 5\nkill_assessment = 0.75\n\
         defends = [\"Erbil Air Base\", \"Al Asad Air Base\", \"Erbil Air Base\"]\n",
    );
    let src = edit(
        &src,
        "rounds = 8\n",
        "rounds = 8\nreloads = 2\nreload_time = \"20 min\"\nlaunch_delay = \"5 s\"\n",
    );
    let sc = ok(&src);
    let ty = &sc.interceptor_types[0];
    assert_eq!(ty.reliability, 0.9);
    assert!(close(ty.rcs_m2, 10f64.powf(-1.5)), "rcs {}", ty.rcs_m2);
    assert_eq!(ty.swerling, Swerling::Three);
    assert_eq!(ty.drag_coefficient, 0.25);
    assert_eq!(ty.guidance.law.name(), "apn");
    assert_eq!(ty.guidance.params.nav_constant, 3.5);
    assert!(close(ty.seeker.angle_noise_rad, 2e-3));
    assert_eq!(ty.max_flight_time_s, 60.0);
    // planning_pk defaults to 0.8 × reliability.
    assert!(
        close(ty.planning_pk, 0.72),
        "planning_pk {}",
        ty.planning_pk
    );

    let unit = &sc.fire_units[0];
    assert_eq!(unit.doctrine, Doctrine::ShootShoot { salvo: 3 });
    assert_eq!(unit.doctrine.salvo(), 3);
    assert_eq!(unit.salvo_interval, SimDuration::from_millis(500));
    assert_eq!(unit.channels, 5);
    assert_eq!(unit.kill_assessment, 0.75);
    // In the order written, each asset once.
    assert_eq!(unit.defends, vec![1, 0]);
    let l = &unit.launchers[0];
    assert_eq!(l.reloads, 2);
    assert_eq!(l.reload_time, SimDuration::from_secs(1200));
    assert_eq!(l.launch_delay, SimDuration::from_secs(5));

    // An explicit planning_pk wins over the default; shoot-shoot's salvo defaults to 2.
    let src = interceptor_with("reliability = 0.9\nplanning_pk = 0.6");
    let src = edit(
        &src,
        "radar = \"Battery-1 radar\"\n",
        "radar = \"Battery-1 radar\"\ndoctrine = \"shoot-shoot\"\n",
    );
    let sc = ok(&src);
    assert_eq!(sc.interceptor_types[0].planning_pk, 0.6);
    assert_eq!(sc.fire_units[0].doctrine, Doctrine::ShootShoot { salvo: 2 });
}

#[test]
fn a_blast_fragmentation_type_reads_pk_max() {
    let src = base_with(
        "lethality = \"hit-to-kill\"\nlethal_radius = \"1.5 m\"\n",
        "lethality = \"blast-fragmentation\"\nlethal_radius = \"8 m\"\npk_max = 0.85\n",
    );
    let sc = ok(&src);
    assert_eq!(
        sc.interceptor_types[0].lethality,
        Lethality::BlastFragmentation {
            pk_max: 0.85,
            lethal_radius_m: 8.0
        }
    );
}

#[test]
fn interceptor_type_names_may_be_quoted_and_need_not_differ_from_threat_types() {
    let src = base_with(
        "[interceptor_type.PAC-3-like]",
        "[interceptor_type.\"PAC 3\"]",
    );
    let src = edit(
        &src,
        "interceptor = \"PAC-3-like\"",
        "interceptor = \"PAC 3\"",
    );
    assert_eq!(ok(&src).interceptor_types[0].name, "PAC 3");

    // Threat types and interceptor types are separate namespaces.
    let src = base_with(
        "[interceptor_type.PAC-3-like]",
        "[interceptor_type.Fateh-313]",
    );
    let src = edit(
        &src,
        "interceptor = \"PAC-3-like\"",
        "interceptor = \"Fateh-313\"",
    );
    assert_eq!(ok(&src).interceptor_types[0].name, "Fateh-313");
}

#[test]
fn the_shipped_defended_scenario_loads_as_it_says() {
    let sc = crate::common::defended();
    assert_eq!(sc.assets.len(), 2);
    assert_eq!(sc.radars.len(), 2);

    let names: Vec<&str> = sc
        .interceptor_types
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["PAC-3-like", "PAC-2-GEM-like"]);
    let (pac3, pac2) = (&sc.interceptor_types[0], &sc.interceptor_types[1]);
    assert!(
        matches!(pac3.lethality, Lethality::HitToKill { lethal_radius_m } if lethal_radius_m == 1.5)
    );
    assert_eq!(
        pac2.lethality,
        Lethality::BlastFragmentation {
            pk_max: 0.85,
            lethal_radius_m: 8.0
        }
    );
    assert_eq!(pac3.guidance.law.name(), "apn");
    assert_eq!(pac2.guidance.law.name(), "pn");
    assert_eq!((pac3.planning_pk, pac2.planning_pk), (0.7, 0.5));
    assert_eq!((pac3.reliability, pac2.reliability), (0.9, 0.9));
    assert_eq!(pac3.envelope.max_range_m, 25_000.0);
    assert_eq!(pac2.envelope.max_range_m, 40_000.0);

    assert_eq!(sc.fire_units.len(), 2);
    let (b1, b2) = (&sc.fire_units[0], &sc.fire_units[1]);
    assert_eq!(
        (b1.name.as_str(), b2.name.as_str()),
        ("Battery-1", "Battery-2")
    );
    // One radar per fire unit.
    assert_eq!((b1.radar, b2.radar), (0, 1));
    assert_eq!(sc.radars[b1.radar].name, "Battery-1 radar");
    assert_eq!(sc.radars[b2.radar].name, "Battery-2 radar");

    assert_eq!(b1.doctrine, Doctrine::ShootLookShoot);
    assert_eq!(b1.doctrine.salvo(), 1);
    assert_eq!(b2.doctrine, Doctrine::ShootShoot { salvo: 2 });
    assert_eq!(b2.doctrine.salvo(), 2);
    assert_eq!(b2.salvo_interval, SimDuration::from_secs(1));
    for u in [b1, b2] {
        assert_eq!(u.channels, 3);
        assert_eq!(u.kill_assessment, 0.9);
        // Al Asad only: Erbil is the undefended control.
        assert_eq!(u.defends, vec![0]);
        assert_eq!(u.launchers.len(), 1);
        assert_eq!(u.launchers[0].launch_delay, SimDuration::from_secs(3));
        assert_eq!(u.launchers[0].reloads, 0);
    }
    assert_eq!(sc.assets[0].name, "Al Asad Air Base");
    let l1 = &b1.launchers[0];
    assert_eq!((l1.interceptor, l1.count, l1.rounds), (0, 2, 8));
    let l2 = &b2.launchers[0];
    assert_eq!((l2.interceptor, l2.count, l2.rounds), (1, 4, 4));
}

#[test]
fn shipped_flyout_tables_grow_with_range_and_reach_the_maximum_range() {
    let sc = crate::common::defended();
    let el = 45f64.to_radians();
    for ty in &sc.interceptor_types {
        let max_range = ty.envelope.max_range_m;
        let reach = ty.flyout.reach(el);
        assert!(
            reach >= max_range,
            "{}: reaches {reach:.0} m at 45°, short of its max_range {max_range:.0} m",
            ty.name
        );
        let mut last = 0.0;
        let mut range = 500.0;
        while range <= max_range {
            let f = ty
                .flyout
                .flyout(range, el)
                .unwrap_or_else(|| panic!("{}: no flyout to {range} m at 45°", ty.name));
            assert!(
                f.time_s > last,
                "{}: {range} m takes {} s, not more than {last} s for the range before",
                ty.name,
                f.time_s
            );
            assert!(
                f.speed_mps > 0.0,
                "{}: speed {} at {range} m",
                ty.name,
                f.speed_mps
            );
            last = f.time_s;
            range += 500.0;
        }
        // Beyond its reach there is no flyout.
        assert!(
            ty.flyout.flyout(reach + 1000.0, el).is_none(),
            "{}",
            ty.name
        );
    }
}

// ── [interceptor_type.NAME] ────────────────────────────────────────────────────────────────

#[test]
fn missing_required_interceptor_keys_name_the_key_and_the_table() {
    for line in [
        "launch_mass = \"316 kg\"",
        "propellant_mass = \"170 kg\"",
        "burn_time = \"12 s\"",
        "isp = \"250 s\"",
        "diameter = \"0.255 m\"",
        "max_acceleration = \"40 g\"",
        "max_altitude = \"20 km\"",
        "max_range = \"25 km\"",
        "seeker_acquisition_range = \"10 km\"",
        "lethality = \"hit-to-kill\"",
        "lethal_radius = \"1.5 m\"",
    ] {
        let key = line.split(' ').next().unwrap_or("");
        // `launch_mass` and friends also appear in the threat type: cut the interceptor's.
        let cut = BASE.find("[interceptor_type").expect("interceptor table");
        let (head, tail) = BASE.split_at(cut);
        let src = format!("{head}{}", edit(tail, &format!("{line}\n"), ""));
        let e = assert_err(
            &src,
            &format!("missing required key `{key}` in [interceptor_type.PAC-3-like]"),
            "[interceptor_type.PAC-3-like]",
        );
        assert_eq!(
            e.label(),
            Some(format!("`{key}` is required here").as_str())
        );
    }
}

#[test]
fn interceptor_quantities_need_units_of_the_right_kind() {
    let src = base_with("max_range = \"25 km\"", "max_range = 25");
    let e = assert_err(
        &src,
        "max_range needs a unit, e.g. \"25 m\"",
        "max_range = |25",
    );
    assert_eq!(e.message(), "max_range needs a unit, e.g. \"25 m\"");
    assert_eq!(e.help(), Some("length units: m, km, nmi, ft"));

    let src = base_with("max_range = \"25 km\"", "max_range = \"25 s\"");
    let e = assert_err(
        &src,
        "max_range: expected a length (m, km, nmi, ft), found a time",
        "\"25 s\"",
    );
    assert_eq!(e.label(), Some("not a length"));

    let src = base_with("max_acceleration = \"40 g\"", "max_acceleration = 40");
    let e = assert_err(
        &src,
        "max_acceleration needs a unit, e.g. \"40 m/s^2\"",
        "max_acceleration = |40",
    );
    assert_eq!(e.help(), Some("acceleration units: m/s^2, g"));

    let src = base_with(
        "max_acceleration = \"40 g\"",
        "max_acceleration = \"40 m/s\"",
    );
    assert_err(
        &src,
        "max_acceleration: expected an acceleration (m/s^2, g), found a speed",
        "\"40 m/s\"",
    );

    // A plain number written with a unit.
    let src = interceptor_with("navigation_constant = \"4 s\"");
    assert_err(
        &src,
        "navigation_constant is a plain number without a unit",
        "\"4 s\"",
    );
}

#[test]
fn max_altitude_must_exceed_min_altitude() {
    for (max, needle) in [
        ("\"500 m\"", "\"500 m\""),
        ("\"1 km\"", "max_altitude = |\"1 km\""),
    ] {
        let src = base_with("max_altitude = \"20 km\"", &format!("max_altitude = {max}"));
        let e = assert_err(&src, "max_altitude must be ", needle);
        assert!(
            e.message().contains("1000") && e.message().ends_with(&format!("found {max}")),
            "{}",
            e.render()
        );
    }
    // With min_altitude at its default of 0, max_altitude must still be above 0.
    let src = base_without("min_altitude = \"1 km\"");
    let src = edit(&src, "max_altitude = \"20 km\"", "max_altitude = \"0 m\"");
    assert_err(&src, "max_altitude must be ", "\"0 m\"");
}

#[test]
fn max_range_must_exceed_min_range() {
    for (max, needle) in [
        ("\"800 m\"", "\"800 m\""),
        ("\"1 km\"", "max_range = |\"1 km\""),
    ] {
        let src = base_with("max_range = \"25 km\"", &format!("max_range = {max}"));
        let e = assert_err(&src, "max_range must be ", needle);
        assert!(
            e.message().contains("1000") && e.message().ends_with(&format!("found {max}")),
            "{}",
            e.render()
        );
    }
}

#[test]
fn max_altitude_and_max_range_errors_name_the_minimum_they_must_exceed() {
    let src = base_with("max_altitude = \"20 km\"", "max_altitude = \"500 m\"");
    let e = assert_err(
        &src,
        "max_altitude must be greater than min_altitude (1000 m), found \"500 m\"",
        "\"500 m\"",
    );
    assert!(!e.message().contains("inf"), "{}", e.render());

    let src = base_with("max_range = \"25 km\"", "max_range = \"800 m\"");
    let e = assert_err(
        &src,
        "max_range must be greater than min_range (1000 m), found \"800 m\"",
        "\"800 m\"",
    );
    assert!(!e.message().contains("inf"), "{}", e.render());

    // The default minimum is named as a default, as for a radar's range_min.
    let src = base_without("min_range = \"1 km\"");
    let src = edit(&src, "max_range = \"25 km\"", "max_range = \"0 m\"");
    assert_err(
        &src,
        "max_range must be greater than min_range (0 m, its default), found \"0 m\"",
        "\"0 m\"",
    );
}

#[test]
fn interceptor_probabilities_must_be_in_range() {
    let src = interceptor_with("reliability = 1.2");
    let e = assert_err(
        &src,
        "reliability must be in [0, 1], found 1.2",
        "reliability = |1.2",
    );
    assert_eq!(e.label(), Some("out of range"));

    let src = interceptor_with("planning_pk = 1.1");
    assert_err(&src, "planning_pk must be in [0, 1], found 1.1", "1.1");

    let src = base_with(
        "lethality = \"hit-to-kill\"",
        "lethality = \"blast-fragmentation\"\npk_max = 0",
    );
    assert_err(&src, "pk_max must be in (0, 1], found 0", "pk_max = |0");
}

#[test]
fn navigation_constant_is_in_2_exclusive_to_10_inclusive() {
    let src = interceptor_with("navigation_constant = 2");
    let e = assert_err(
        &src,
        "navigation_constant must be in (2, 10], found 2",
        "navigation_constant = |2",
    );
    assert_eq!(
        e.message(),
        "navigation_constant must be in (2, 10], found 2"
    );

    let src = interceptor_with("navigation_constant = 10.5");
    assert_err(
        &src,
        "navigation_constant must be in (2, 10], found 10.5",
        "10.5",
    );

    let src = interceptor_with("navigation_constant = 10");
    assert_eq!(
        ok(&src).interceptor_types[0].guidance.params.nav_constant,
        10.0
    );
}

#[test]
fn interceptor_times_are_bounded() {
    let src = interceptor_with("max_flight_time = \"700 s\"");
    assert_err(
        &src,
        "max_flight_time must be in [1, 600] s, found \"700 s\"",
        "\"700 s\"",
    );
}

#[test]
fn an_unknown_guidance_law_suggests_the_closest() {
    let src = interceptor_with("guidance = \"apnn\"");
    let e = assert_err(&src, "unknown guidance law `apnn`", "\"apnn\"");
    assert_eq!(e.message(), "unknown guidance law `apnn`");
    assert_eq!(e.help(), Some("did you mean `apn`?"));
    assert_eq!(e.label(), Some("unknown guidance law"));

    // Words are case-sensitive.
    let src = interceptor_with("guidance = \"APN\"");
    let e = assert_err(&src, "unknown guidance law `APN`", "\"APN\"");
    assert_eq!(e.help(), Some("did you mean `apn`?"));

    let src = interceptor_with("guidance = \"lqr\"");
    let e = assert_err(&src, "unknown guidance law `lqr`", "\"lqr\"");
    assert_eq!(e.help(), Some("guidance law is one of `pn`, `apn`"));
}

#[test]
fn an_unknown_lethality_suggests_the_closest() {
    let src = base_with("\"hit-to-kill\"", "\"blast-frag\"");
    let e = assert_err(&src, "unknown lethality `blast-frag`", "\"blast-frag\"");
    assert_eq!(e.help(), Some("did you mean `blast-fragmentation`?"));

    let src = base_with("\"hit-to-kill\"", "\"nuclear\"");
    let e = assert_err(&src, "unknown lethality `nuclear`", "\"nuclear\"");
    assert_eq!(
        e.help(),
        Some("lethality is one of `hit-to-kill`, `blast-fragmentation`")
    );
}

#[test]
fn pk_max_belongs_to_blast_fragmentation_only() {
    // On a hit-to-kill type it is an error at the key.
    let src = base_with(
        "lethal_radius = \"1.5 m\"\n",
        "lethal_radius = \"1.5 m\"\npk_max = 0.9\n",
    );
    let e = assert_err(
        &src,
        "`pk_max` applies only to blast-fragmentation warheads",
        "pk_max = 0.9",
    );
    assert_eq!(e.label(), Some("not for hit-to-kill"));
    assert!(
        e.help().is_some_and(|h| h.contains("remove `pk_max`")),
        "{}",
        e.render()
    );

    // A blast-fragmentation type needs it.
    let src = base_with("\"hit-to-kill\"", "\"blast-fragmentation\"");
    assert_err(
        &src,
        "missing required key `pk_max` in [interceptor_type.PAC-3-like]",
        "[interceptor_type.PAC-3-like]",
    );
}

#[test]
fn propellant_must_be_lighter_than_the_interceptor() {
    let src = base_with(
        "propellant_mass = \"170 kg\"",
        "propellant_mass = \"316 kg\"",
    );
    let e = assert_err(
        &src,
        "propellant_mass (316 kg) must be less than launch_mass (316 kg)",
        "propellant_mass = |\"316 kg\"",
    );
    assert_eq!(e.label(), Some("too heavy"));

    let src = base_with(
        "propellant_mass = \"170 kg\"",
        "propellant_mass = \"0.4 t\"",
    );
    assert_err(
        &src,
        "propellant_mass (400 kg) must be less than launch_mass (316 kg)",
        "\"0.4 t\"",
    );
}

#[test]
fn an_interceptor_that_cannot_lift_off_is_an_error_on_its_name() {
    // 20 s · 170 kg / 12 s = 283 kg of thrust for 316 kg.
    let src = base_with("isp = \"250 s\"", "isp = \"20 s\"");
    let e = assert_err(
        &src,
        "interceptor type `PAC-3-like` cannot lift off: its thrust is 0.896624 of its launch weight",
        "[interceptor_type.|PAC-3-like]",
    );
    assert_eq!(e.label(), Some("thrust ≤ weight"));
    assert!(
        e.help().is_some_and(|h| h.contains("raise isp")),
        "{}",
        e.render()
    );
}

/// [`BASE`] with a motor that burns 10 kg in 0.5 s: it never reaches 300 m/s and flies a few
/// tens of metres, short of its 5 km minimum range.
fn too_weak() -> String {
    let src = base_with(
        "propellant_mass = \"170 kg\"",
        "propellant_mass = \"10 kg\"",
    );
    let src = edit(&src, "burn_time = \"12 s\"", "burn_time = \"0.5 s\"");
    edit(&src, "min_range = \"1 km\"", "min_range = \"5 km\"")
}

#[test]
fn an_interceptor_too_weak_to_reach_its_minimum_range_is_an_error() {
    let e = err(&too_weak());
    assert!(
        e.message()
            .starts_with("interceptor type `PAC-3-like` flies only 0.0")
            && e.message()
                .ends_with(" km before it slows below 300 m/s, short of its minimum range"),
        "{}",
        e.render()
    );
    assert_eq!(e.label(), Some("out of reach"));
    assert_eq!(
        e.help(),
        Some("check launch_mass, propellant_mass, isp, burn_time and diameter")
    );
    // It points into the interceptor type (at present at its max_range; see the next test).
    let (line, _) = e.line_col().expect("a position");
    let (header, _) = at_nth(&too_weak(), "[interceptor_type", 0);
    let (unit, _) = at_nth(&too_weak(), "[[fire_unit]]", 0);
    assert!(header < line && line < unit, "{}", e.render());
}

#[test]
fn an_interceptor_too_weak_to_reach_its_minimum_range_points_at_min_range() {
    let src = too_weak();
    assert_err(&src, "short of its minimum range", "min_range = |\"5 km\"");
}

#[test]
fn unknown_keys_in_an_interceptor_type_suggest_the_closest() {
    let src = interceptor_with("letal_radius = \"1 m\"");
    let e = assert_err(&src, "unknown key `letal_radius`", "letal_radius");
    assert_eq!(e.help(), Some("did you mean `lethal_radius`?"));

    // A threat-type key is not an interceptor key.
    let src = interceptor_with("body_drag_coefficient = 0.3");
    let e = assert_err(
        &src,
        "unknown key `body_drag_coefficient`",
        "body_drag_coefficient = 0.3",
    );
    assert_eq!(e.help(), Some("did you mean `drag_coefficient`?"));

    // `[[interceptor_type]]` is not the form.
    let src = base_with("[interceptor_type.PAC-3-like]", "[[interceptor_type]]");
    assert_err(
        &src,
        "invalid type: sequence, expected a table",
        "[[interceptor_type]]",
    );
}

// ── [[fire_unit]] ──────────────────────────────────────────────────────────────────────────

#[test]
fn a_fire_unit_needs_a_name() {
    let src = base_without("name = \"Battery-1\"");
    let e = assert_err(
        &src,
        "missing required key `name` in [[fire_unit]] #1",
        "[[fire_unit]]",
    );
    assert_eq!(e.label(), Some("`name` is required here"));

    let src = base_with("name = \"Battery-1\"", "name = \" \"");
    assert_err(&src, "the fire unit name is empty", "\" \"");

    let src = base_without("radar = \"Battery-1 radar\"");
    assert_err(
        &src,
        "missing required key `radar` in [[fire_unit]] #1",
        "[[fire_unit]]",
    );
}

#[test]
fn fire_unit_names_are_unique() {
    let src = format!(
        "{BASE}{RADAR_2}{}",
        second_unit("Battery-1", "Battery-2 radar")
    );
    let e = assert_err_nth(
        &src,
        "duplicate fire unit name `Battery-1`",
        "\"Battery-1\"",
        1,
    );
    assert_eq!(e.label(), Some("already used"));
    assert_eq!(
        e.help(),
        Some("[[fire_unit]] #1 has this name; fire unit names must be unique")
    );
    // With distinct names the same file loads.
    let src = format!(
        "{BASE}{RADAR_2}{}",
        second_unit("Battery-2", "Battery-2 radar")
    );
    let sc = ok(&src);
    assert_eq!(sc.fire_units.len(), 2);
    assert_eq!(sc.fire_units[1].radar, 1);
}

#[test]
fn a_fire_unit_radar_must_be_defined() {
    let src = base_with("radar = \"Battery-1 radar\"", "radar = \"Battery-1 radr\"");
    let e = assert_err(
        &src,
        "undefined radar `Battery-1 radr`",
        "\"Battery-1 radr\"",
    );
    assert_eq!(e.help(), Some("did you mean `Battery-1 radar`?"));
    assert_eq!(e.label(), Some("no [[radar]] of this name"));

    let src = base_with("radar = \"Battery-1 radar\"", "radar = \"TPY-2\"");
    let e = assert_err(&src, "undefined radar `TPY-2`", "\"TPY-2\"");
    assert_eq!(e.help(), Some("defined: `Battery-1 radar`"));

    // A file with no radar at all.
    let start = BASE.find("[[radar]]").expect("radar");
    let end = BASE.find("[interceptor_type").expect("interceptor type");
    let src = format!("{}{}", &BASE[..start], &BASE[end..]);
    let e = assert_err(
        &src,
        "undefined radar `Battery-1 radar`",
        "\"Battery-1 radar\"",
    );
    assert_eq!(e.help(), Some("the file defines no radar"));
}

#[test]
fn each_fire_unit_has_its_own_radar() {
    let src = format!(
        "{BASE}{RADAR_2}{}",
        second_unit("Battery-2", "Battery-1 radar")
    );
    let e = assert_err_nth(
        &src,
        "radar `Battery-1 radar` already serves fire unit `Battery-1`",
        "radar = |\"Battery-1 radar\"",
        1,
    );
    assert_eq!(e.label(), Some("taken"));
    assert_eq!(e.help(), Some("each fire unit has its own radar"));
}

#[test]
fn an_unknown_doctrine_suggests_the_closest() {
    let src = unit_with("doctrine = \"shoot-shot\"");
    let e = assert_err(&src, "unknown doctrine `shoot-shot`", "\"shoot-shot\"");
    assert_eq!(e.message(), "unknown doctrine `shoot-shot`");
    assert_eq!(e.help(), Some("did you mean `shoot-shoot`?"));

    let src = unit_with("doctrine = \"fire-at-will\"");
    let e = assert_err(&src, "unknown doctrine `fire-at-will`", "\"fire-at-will\"");
    assert_eq!(
        e.help(),
        Some("doctrine is one of `shoot-shoot`, `shoot-look-shoot`")
    );
}

#[test]
fn salvo_belongs_to_shoot_shoot_only() {
    // Explicit shoot-look-shoot, and the default doctrine.
    for lines in ["doctrine = \"shoot-look-shoot\"\nsalvo = 2", "salvo = 2"] {
        let src = unit_with(lines);
        let e = assert_err(
            &src,
            "`salvo` applies only to the shoot-shoot doctrine",
            "salvo = 2",
        );
        assert_eq!(e.label(), Some("not for shoot-look-shoot"));
        assert_eq!(
            e.help(),
            Some("shoot-look-shoot fires one interceptor, then looks")
        );
    }

    let src = unit_with("doctrine = \"shoot-shoot\"\nsalvo = 0");
    assert_err(&src, "salvo must be at least 1, found 0", "salvo = |0");

    let src = unit_with("doctrine = \"shoot-shoot\"\nsalvo = 16");
    assert_eq!(
        ok(&src).fire_units[0].doctrine,
        Doctrine::ShootShoot { salvo: 16 }
    );
}

#[test]
fn a_salvo_above_the_limit_is_an_error() {
    let src = unit_with("doctrine = \"shoot-shoot\"\nsalvo = 17");
    let e = assert_err(&src, "salvo must be at most 16, found 17", "salvo = |17");
    assert_eq!(e.label(), Some("out of range"));
}

#[test]
fn fire_unit_numbers_must_be_in_range() {
    let src = unit_with("channels = 0");
    assert_err(
        &src,
        "channels must be at least 1, found 0",
        "channels = |0",
    );

    let src = unit_with("channels = 2.5");
    assert_err(
        &src,
        "channels must be a whole number, found a number",
        "channels = |2.5",
    );

    let src = unit_with("kill_assessment = 1.5");
    assert_err(
        &src,
        "kill_assessment must be in [0, 1], found 1.5",
        "kill_assessment = |1.5",
    );

    let src = unit_with("salvo_interval = \"-1 s\"");
    assert_err(
        &src,
        "salvo_interval must be 0 or more, found \"-1 s\"",
        "\"-1 s\"",
    );

    let src = unit_with("salvo_interval = 1");
    assert_err(
        &src,
        "salvo_interval needs a unit, e.g. \"1 s\"",
        "salvo_interval = |1",
    );
}

#[test]
fn defends_names_assets() {
    let src = unit_with("defends = [\"Al Asad Airbase\"]");
    let e = assert_err(
        &src,
        "undefined asset `Al Asad Airbase`",
        "\"Al Asad Airbase\"",
    );
    assert_eq!(e.help(), Some("did you mean `Al Asad Air Base`?"));
    assert_eq!(e.label(), Some("no [[asset]] of this name"));

    // The second name is the wrong one.
    let src = unit_with("defends = [\"Erbil Air Base\", \"Baghdad\"]");
    let e = assert_err(&src, "undefined asset `Baghdad`", "\"Baghdad\"");
    assert_eq!(
        e.help(),
        Some("defined: `Al Asad Air Base`, `Erbil Air Base`")
    );

    let src = unit_with("defends = []");
    let e = assert_err(&src, "`defends` lists no asset", "defends = |[]");
    assert_eq!(
        e.help(),
        Some("name at least one [[asset]], or leave `defends` out to defend them all")
    );

    let src = unit_with("defends = \"Al Asad Air Base\"");
    let e = err(&src);
    assert!(
        e.message().contains("expected an array") || e.message().contains("expected a sequence"),
        "{}",
        e.render()
    );
}

#[test]
fn a_fire_unit_needs_launchers() {
    let src = base_without_launchers();
    let e = assert_err(
        &src,
        "missing required key `launchers` in [[fire_unit]] #1",
        "[[fire_unit]]",
    );
    assert_eq!(e.label(), Some("`launchers` is required here"));

    let src = format!("{}launchers = []\n", base_without_launchers());
    let e = assert_err(&src, "the fire unit has no launchers", "launchers = |[]");
    assert_eq!(
        e.help(),
        Some("add at least one [[fire_unit.launchers]] table")
    );

    // `[fire_unit.launchers]` with single brackets.
    let src = base_with("[[fire_unit.launchers]]", "[fire_unit.launchers]");
    let e = assert_err(
        &src,
        "invalid type: table, expected an array",
        "[fire_unit.launchers]",
    );
    assert_eq!(
        e.help(),
        Some(
            "each entry is a table of an array: write [[fire_unit.launchers]] with double brackets"
        )
    );

    let src = base_with("[[fire_unit]]", "[fire_unit]");
    let e = assert_err(
        &src,
        "invalid type: table, expected an array",
        "[fire_unit]",
    );
    assert_eq!(
        e.help(),
        Some("each entry is a table of an array: write [[fire_unit]] with double brackets")
    );
}

#[test]
fn unknown_keys_in_a_fire_unit_suggest_the_closest() {
    let src = unit_with("chanels = 3");
    let e = assert_err(&src, "unknown key `chanels`", "chanels");
    assert_eq!(e.help(), Some("did you mean `channels`?"));
}

// ── [[fire_unit.launchers]] ────────────────────────────────────────────────────────────────

#[test]
fn a_launcher_interceptor_must_be_defined() {
    let src = base_with(
        "interceptor = \"PAC-3-like\"",
        "interceptor = \"PAC3-like\"",
    );
    let e = assert_err(
        &src,
        "undefined interceptor type `PAC3-like`",
        "\"PAC3-like\"",
    );
    assert_eq!(e.help(), Some("did you mean `PAC-3-like`?"));
    assert_eq!(e.label(), Some("no [interceptor_type] of this name"));

    let src = base_with("interceptor = \"PAC-3-like\"", "interceptor = \"THAAD\"");
    let e = assert_err(&src, "undefined interceptor type `THAAD`", "\"THAAD\"");
    assert_eq!(e.help(), Some("defined: `PAC-3-like`"));
}

#[test]
fn missing_launcher_keys_point_at_their_own_table() {
    for line in [
        "position = { lat = 33.79, lon = 42.48, alt = \"190 m\" }",
        "interceptor = \"PAC-3-like\"",
        "rounds = 8",
    ] {
        let key = line.split(' ').next().unwrap_or("");
        let src = base_without(line);
        assert_err(
            &src,
            &format!("missing required key `{key}` in launcher group #1 of [[fire_unit]] #1"),
            "[[fire_unit.launchers]]",
        );
    }

    // The second launcher group of the second fire unit.
    let src = format!(
        "{BASE}{RADAR_2}{}\n[[fire_unit.launchers]]\nposition = {{ lat = 33.77, lon = 42.42 }}\n\
         interceptor = \"PAC-3-like\"\n",
        second_unit("Battery-2", "Battery-2 radar")
    );
    assert_err_nth(
        &src,
        "missing required key `rounds` in launcher group #2 of [[fire_unit]] #2",
        "[[fire_unit.launchers]]",
        2,
    );

    let src = base_with("lat = 33.79, lon", "lat = 93.79, lon");
    assert_err(&src, "lat must be in [-90, 90] deg, found 93.79", "93.79");
}

#[test]
fn reloads_need_a_reload_time() {
    let src = launcher_with("reloads = 2");
    let e = assert_err(
        &src,
        "missing required key `reload_time` in launcher group #1 of [[fire_unit]] #1",
        "[[fire_unit.launchers]]",
    );
    assert_eq!(
        e.help(),
        Some("launchers with `reloads` need a `reload_time`, e.g. `reload_time = \"1 h\"`")
    );

    let src = launcher_with("reloads = 2\nreload_time = \"0 s\"");
    assert_err(
        &src,
        "reload_time must be greater than 0, found \"0 s\"",
        "\"0 s\"",
    );

    // No reloads, no reload time needed; a reload time alone is accepted.
    let src = launcher_with("reloads = 0\nreload_time = \"30 min\"");
    let l = &ok(&src).fire_units[0].launchers[0];
    assert_eq!(
        (l.reloads, l.reload_time),
        (0, SimDuration::from_secs(1800))
    );
}

#[test]
fn launcher_counts_must_be_in_range() {
    let cases = [
        (
            "count = 2\nrounds",
            "count = 10001\nrounds",
            "count must be at most 10000, found 10001",
            "10001",
        ),
        (
            "count = 2\nrounds",
            "count = 0\nrounds",
            "count must be at least 1, found 0",
            "count = |0",
        ),
        (
            "rounds = 8",
            "rounds = 0",
            "rounds must be at least 1, found 0",
            "rounds = |0",
        ),
        (
            "rounds = 8",
            "rounds = 20000",
            "rounds must be at most 10000, found 20000",
            "20000",
        ),
        (
            "rounds = 8",
            "rounds = 99999999999",
            "rounds must be at most 10000, found 99999999999",
            "99999999999",
        ),
        (
            "rounds = 8",
            "rounds = 8\nreloads = 10001\nreload_time = \"1 h\"",
            "reloads must be at most 10000, found 10001",
            "10001",
        ),
        (
            "rounds = 8",
            "rounds = 8\nreloads = -1",
            "reloads must be at least 0, found -1",
            "reloads = |-1",
        ),
        (
            "rounds = 8",
            "rounds = \"8\"",
            "rounds must be a whole number, found a string",
            "\"8\"",
        ),
    ];
    for (from, to, message, needle) in cases {
        let src = base_with(from, to);
        let e = assert_err(&src, message, needle);
        assert_eq!(e.message(), message);
    }
    // The limits themselves are allowed.
    let src = base_with("count = 2\nrounds", "count = 10000\nrounds");
    assert_eq!(ok(&src).fire_units[0].launchers[0].count, 10_000);
    let src = base_with("count = 2\nrounds", "count = 1\nrounds");
    assert_eq!(ok(&src).fire_units[0].launchers[0].count, 1);
}

#[test]
fn launcher_times_are_checked() {
    let src = launcher_with("launch_delay = \"-1 s\"");
    assert_err(
        &src,
        "launch_delay must be 0 or more, found \"-1 s\"",
        "\"-1 s\"",
    );

    let src = launcher_with("launch_delay = \"3 km\"");
    assert_err(&src, "launch_delay: expected a time", "\"3 km\"");
}

#[test]
fn unknown_keys_in_a_launcher_suggest_the_closest() {
    let src = launcher_with("reload_tme = \"1 h\"");
    let e = assert_err(&src, "unknown key `reload_tme`", "reload_tme");
    assert_eq!(e.message(), "unknown key `reload_tme`");
    assert_eq!(e.help(), Some("did you mean `reload_time`?"));
    assert_eq!(e.label(), Some("not a key here"));

    let src = launcher_with("magazine = 4");
    let e = assert_err(&src, "unknown key `magazine`", "magazine");
    assert_eq!(
        e.help(),
        Some(
            "expected one of `position`, `interceptor`, `count`, `rounds`, `reloads`, \
             `reload_time`, `launch_delay`"
        )
    );
}
