//! Radars.

use super::*;
use crate::sensors::detection::Swerling;
use crate::sensors::radar::Sensitivity;
use std::f64::consts::TAU;

#[test]
fn a_full_radar_reads_into_si_values() {
    let src = r#"[scenario]
name = "Radars"
epoch = 2020-01-07T22:30:00Z
duration = "2 h"

[threat_type.Shahed-136]
kind = "uas"
rcs = "-10 dBsm"
swerling = 3
speed = "185 km/h"
altitude = "1 km"
max_range = "2000 km"

[threat_type.Fateh-313]
kind = "ballistic"
rcs = "0.05 m²"
swerling = 0
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "255 s"
diameter = "0.61 m"

[[radar]]
name = "AN/MPQ-65"
position = { lat = 33.79, lon = 42.44, alt = "190 m" }
antenna_height = "4 m"
boresight = "-30 deg"
azimuth_span = "120 deg"
elevation_min = "-2 deg"
elevation_max = "70 deg"
range_min = "3 km"
range_max = "170 km"
revisit = "2.2 s"
track_revisit = "100 ms"
first_scan = 2020-01-07T22:30:01.5Z
range_resolution = "30 m"
beamwidth = "1.7 deg"
range_rate_resolution = "2 m/s"
pfa = 1e-5
reference_range = "100 km"
reference_rcs = "-10 dBsm"
reference_pd = 0.9
reference_swerling = 3
range_noise_floor = "5 m"
angle_noise_floor = "0.1 mrad"
range_rate_noise_floor = "0.2 m/s"
monopulse_slope = 1.4

[[radar]]
name = "Sentinel"
position = { lat = 33.8, lon = 42.5 }
range_max = "75 km"
revisit = "3 s"
range_resolution = "150 m"
beamwidth = "2 deg"
reference_range = "40 km"
"#;
    let sc = parse(src, "radars.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    let uas = &sc.threat_types[0];
    // -10 dBsm = 10^(-10/10) m².
    assert!(close(uas.rcs_m2, 0.1), "{}", uas.rcs_m2);
    assert_eq!(uas.swerling, Swerling::Three);
    let fateh = &sc.threat_types[1];
    assert_eq!((fateh.rcs_m2, fateh.swerling), (0.05, Swerling::Zero));

    assert_eq!(sc.radars.len(), 2);
    let r = &sc.radars[0];
    assert_eq!(r.name, "AN/MPQ-65");
    assert_eq!(r.site, Geodetic::from_degrees(33.79, 42.44, 190.0));
    assert_eq!(r.antenna_height_m, 4.0);
    // -30 deg is 330 deg clockwise from north.
    assert!(
        close(r.boresight_rad, 330f64.to_radians()),
        "{}",
        r.boresight_rad
    );
    assert!(close(r.azimuth_span_rad, 120f64.to_radians()));
    assert!(close(r.elevation_min_rad, (-2f64).to_radians()));
    assert!(close(r.elevation_max_rad, 70f64.to_radians()));
    assert_eq!((r.range_min_m, r.range_max_m), (3_000.0, 170_000.0));
    // Times are exact nanoseconds.
    assert_eq!(r.revisit.as_nanos(), 2_200_000_000);
    assert_eq!(r.track_revisit.as_nanos(), 100_000_000);
    assert_eq!(r.first_scan.as_nanos(), 1_500_000_000);
    assert_eq!(r.range_resolution_m, 30.0);
    assert!(close(r.beamwidth_rad, 1.7f64.to_radians()));
    assert_eq!((r.range_rate_resolution_mps, r.pfa), (2.0, 1e-5));
    let s = &r.sensitivity;
    assert_eq!(s.range_m, 100_000.0);
    assert!(close(s.rcs_m2, 0.1), "{}", s.rcs_m2);
    assert_eq!((s.pd, s.swerling), (0.9, Swerling::Three));
    assert_eq!(r.range_noise_floor_m, 5.0);
    assert!(
        close(r.angle_noise_floor_rad, 1e-4),
        "{}",
        r.angle_noise_floor_rad
    );
    assert_eq!(
        (r.range_rate_noise_floor_mps, r.monopulse_slope),
        (0.2, 1.4)
    );

    // The defaults.
    let r = &sc.radars[1];
    assert_eq!(r.name, "Sentinel");
    assert_eq!(r.site, Geodetic::from_degrees(33.8, 42.5, 0.0));
    assert_eq!((r.antenna_height_m, r.boresight_rad), (0.0, 0.0));
    assert_eq!(r.azimuth_span_rad, TAU);
    assert_eq!(r.elevation_min_rad, 0.0);
    assert!(close(r.elevation_max_rad, 85f64.to_radians()));
    assert_eq!((r.range_min_m, r.range_max_m), (1_000.0, 75_000.0));
    assert_eq!(r.revisit, SimDuration::from_secs(3));
    assert_eq!(r.track_revisit, r.revisit);
    assert_eq!(r.first_scan, SimDuration::ZERO);
    assert_eq!(
        (r.range_resolution_m, r.range_rate_resolution_mps),
        (150.0, 5.0)
    );
    assert!(close(r.beamwidth_rad, 2f64.to_radians()));
    assert_eq!(r.pfa, 1e-6);
    assert_eq!(
        r.sensitivity,
        Sensitivity {
            range_m: 40_000.0,
            rcs_m2: 1.0,
            pd: 0.5,
            swerling: Swerling::One
        }
    );
    assert_eq!(
        (r.range_noise_floor_m, r.range_rate_noise_floor_mps),
        (1.0, 0.5)
    );
    assert!(close(r.angle_noise_floor_rad, 1e-4));
    assert_eq!(r.monopulse_slope, 1.6);
}

#[test]
fn rcs_is_required_only_when_there_are_radars() {
    let src = format!("{BASE}{RADAR}");
    let e = assert_err(
        &src,
        "missing required key `rcs` in [threat_type.Shahed-136] (every threat type needs a \
         radar cross-section when the scenario has radars)",
        "[threat_type.Shahed-136]",
    );
    assert_eq!(
        e.message(),
        "missing required key `rcs` in [threat_type.Shahed-136] (every threat type needs a \
         radar cross-section when the scenario has radars)"
    );

    // Without radars it defaults to 1 m², Swerling 1.
    let sc = parse(BASE, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(sc.radars.is_empty());
    let ty = &sc.threat_types[0];
    assert_eq!((ty.rcs_m2, ty.swerling), (1.0, Swerling::One));

    let sc = parse(&with_radar(), "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    let ty = &sc.threat_types[0];
    assert_eq!((ty.rcs_m2, ty.swerling), (0.1, Swerling::One));
    assert_eq!(sc.radars.len(), 1);

    let src = with_radar().replace("\"0.1 m^2\"", "\"0 m^2\"");
    assert_err(
        &src,
        "rcs must be greater than 0, found \"0 m^2\"",
        "\"0 m^2\"",
    );
    let src = with_radar().replace("\"0.1 m^2\"", "0.1");
    let e = assert_err(&src, "rcs needs a unit, e.g. \"0.1 m^2\"", "rcs = |0.1");
    assert_eq!(e.help(), Some("area units: m^2 or m², dBsm"));
    let src = with_radar().replace("\"0.1 m^2\"", "\"0.1 m\"");
    assert_err(
        &src,
        "rcs: expected an area (m^2), found a length",
        "\"0.1 m\"",
    );
}

#[test]
fn radar_coverage_must_be_consistent() {
    let radar = with_radar();
    let cases = [
        (
            "elevation_min = \"20 deg\"\nelevation_max = \"20 deg\"\n",
            "elevation_max must be in (20, 90] deg, found \"20 deg\"",
            "elevation_max = |\"20 deg\"",
        ),
        (
            "elevation_min = \"20 deg\"\nelevation_max = \"10 deg\"\n",
            "elevation_max must be in (20, 90] deg, found \"10 deg\"",
            "\"10 deg\"",
        ),
        (
            "elevation_min = \"86 deg\"\n",
            "elevation_min must be less than elevation_max (85 deg, its default), found \"86 deg\"",
            "\"86 deg\"",
        ),
        (
            "elevation_min = \"-11 deg\"\n",
            "elevation_min must be in [-10, 90) deg, found \"-11 deg\"",
            "\"-11 deg\"",
        ),
        (
            "range_min = \"1000000 m\"\n",
            "range_min must be in [0, 1000000) m, found \"1000000 m\"",
            "\"1000000 m\"",
        ),
        (
            "range_min = \"1200 km\"\n",
            "range_min must be in [0, 1000000) m, found \"1200 km\"",
            "\"1200 km\"",
        ),
        (
            "azimuth_span = \"0 deg\"\n",
            "azimuth_span must be in (0, 360] deg, found \"0 deg\"",
            "\"0 deg\"",
        ),
        (
            "azimuth_span = \"361 deg\"\n",
            "azimuth_span must be in (0, 360] deg, found \"361 deg\"",
            "\"361 deg\"",
        ),
        (
            "beamwidth = \"91 deg\"\n",
            "beamwidth must be in (0, 90] deg, found \"91 deg\"",
            "\"91 deg\"",
        ),
        (
            "first_scan = \"2 h\"\n",
            "this radar's first scan is at 7200 s after the epoch, not before the end of the scenario at 7200 s",
            "first_scan = |\"2 h\"",
        ),
        (
            "first_scan = 2020-01-07T22:00:00Z\n",
            "first_scan is 1800 s before the epoch 2020-01-07T22:30:00Z",
            "2020-01-07T22:00:00Z",
        ),
        (
            "revisit = \"0 s\"\n",
            "revisit must be greater than 0, found \"0 s\"",
            "\"0 s\"",
        ),
    ];
    for (keys, message, needle) in cases {
        // A later key replaces the radar's own (`beamwidth`, `revisit`).
        let mut src = radar.clone();
        for line in keys.lines() {
            let name = line.split(' ').next().unwrap_or("");
            src = src
                .lines()
                .filter(|l| !l.starts_with(&format!("{name} ")))
                .map(|l| format!("{l}\n"))
                .collect();
        }
        src.push_str(keys);
        let e = assert_err(&src, message, needle);
        assert_eq!(e.message(), message);
    }

    // The default range_min (1 km) must be below range_max.
    let src = radar.replace("range_max = \"1000 km\"", "range_max = \"800 m\"");
    assert_err(
        &src,
        "range_max must be greater than range_min (1000 m, its default), found \"800 m\"",
        "\"800 m\"",
    );
    // 360 deg is all round; boresights wrap.
    let src = format!("{radar}azimuth_span = \"360 deg\"\nboresight = \"725 deg\"\n");
    let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(sc.radars[0].azimuth_span_rad, TAU);
    assert!(close(sc.radars[0].boresight_rad, 5f64.to_radians()));
}

#[test]
fn radar_probabilities_must_be_in_range() {
    let radar = with_radar();
    let src = format!("{radar}pfa = 0\n");
    assert_err(&src, "pfa must be in (0, 0.1], found 0", "pfa = |0");
    let src = format!("{radar}pfa = 0.2\n");
    assert_err(&src, "pfa must be in (0, 0.1], found 0.2", "pfa = |0.2");
    let src = format!("{radar}pfa = \"1e-6 s\"\n");
    assert_err(&src, "pfa is a plain number without a unit", "\"1e-6 s\"");

    let src = format!("{radar}pfa = 0.01\nreference_pd = 0.01\n");
    assert_err(
        &src,
        "reference_pd must be in (0.01, 1), found 0.01",
        "reference_pd = |0.01",
    );
    let src = format!("{radar}pfa = 0.01\nreference_pd = 0.005\n");
    assert_err(
        &src,
        "reference_pd must be in (0.01, 1), found 0.005",
        "reference_pd = |0.005",
    );
    let src = format!("{radar}reference_pd = 1.0\n");
    assert_err(
        &src,
        "reference_pd must be in (0.000001, 1), found 1.0",
        "reference_pd = |1.0",
    );
    let src = format!("{radar}monopulse_slope = 0\n");
    assert_err(
        &src,
        "monopulse_slope must be greater than 0, found 0",
        "monopulse_slope = |0",
    );
}

#[test]
fn radar_names_are_unique_and_keys_known() {
    let second = RADAR.replace("lat = 33.9", "lat = 34.0");
    let src = format!("{}{second}", with_radar());
    let e = err(&src);
    assert_eq!(e.message(), "duplicate radar name `TPY-2`");
    assert_eq!(
        e.line_col(),
        Some(at_nth(&src, "\"TPY-2\"", 1)),
        "{}",
        e.render()
    );
    assert_eq!(
        e.help(),
        Some("[[radar]] #1 has this name; radar names must be unique")
    );

    let src = with_radar().replace("beamwidth =", "beamwidht =");
    let e = assert_err(&src, "unknown key `beamwidht`", "beamwidht");
    assert_eq!(e.help(), Some("did you mean `beamwidth`?"));

    let src = with_radar().replace("revisit = \"2 s\"\n", "");
    assert_err(
        &src,
        "missing required key `revisit` in [[radar]] #1",
        "[[radar]]",
    );
    let src = with_radar().replace(", lon = 42.7", "");
    assert_err(
        &src,
        "missing required key `lon` in `position` of [[radar]] #1",
        "{ lat = 33.9",
    );
    let src = with_radar().replace("\"TPY-2\"", "\" \"");
    assert_err(&src, "the radar name is empty", "\" \"");
}

/// An observer with only its required keys.
const OBSERVER: &str = r#"
[[radar]]
name = "Spotter"
kind = "observer"
position = { lat = 33.9, lon = 42.7 }
range_max = "8 km"
revisit = "2 s"
detection_range = "4 km"
"#;

#[test]
fn an_observer_reads_with_its_defaults_and_refuses_a_radars_keys() {
    let base = BASE.replace("kind = \"uas\"", "kind = \"uas\"\nrcs = \"0.1 m^2\"");
    let src = format!("{base}{OBSERVER}");
    let sc = parse(&src, "test.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    let r = &sc.radars[0];
    let v = r.visual.expect("an observer");
    assert!(close(v.detection_range_m, 4_000.0));
    assert!(close(r.range_min_m, 1.0) && close(r.range_max_m, 8_000.0));
    assert!(close(r.angle_noise_floor_rad, 1f64.to_radians()));
    assert!(close(r.range_noise_floor_m, 500.0));
    assert_eq!(r.pfa, 0.0, "no false alarms");
    // A radar has no `visual`.
    assert!(
        parse(&with_radar(), "test.toml").unwrap().radars[0]
            .visual
            .is_none()
    );

    let with = |extra: &str| format!("{base}{OBSERVER}{extra}");
    let src = with("bearing_error = \"2 deg\"\nrange_error = \"300 m\"\n");
    let r = &parse(&src, "test.toml").unwrap().radars[0];
    assert!(close(r.angle_noise_floor_rad, 2f64.to_radians()));
    assert!(close(r.range_noise_floor_m, 300.0));

    let e = assert_err(
        &with("beamwidth = \"1 deg\"\n"),
        "`beamwidth` is a radar's key",
        "\"1 deg\"",
    );
    assert!(e.help().is_some_and(|h| h.contains("detection_range")));
    assert_err(
        &with("clock = \"exact\"\n"),
        "`clock` is a radar's key",
        "\"exact\"",
    );
    assert_err(
        &format!(
            "{base}{}",
            OBSERVER.replace("detection_range = \"4 km\"\n", "")
        ),
        "an observer needs `detection_range`",
        "\"observer\"",
    );
    assert_err(
        &format!("{}detection_range = \"4 km\"\n", with_radar()),
        "`detection_range` is an observer's key, and this is a radar",
        "\"4 km\"",
    );
    assert_err(
        &format!("{base}{}", OBSERVER.replace("\"observer\"", "\"eye\"")),
        "kind",
        "\"eye\"",
    );
    assert_err(
        &with("range_error = \"0 m\"\n"),
        "range_error must be greater than 0",
        "range_error = |\"0 m\"",
    );
}
