//! Values with units, numbers, ranges, Swerling cases and instants.

use super::*;

#[test]
fn decibels_relative_to_a_square_metre() {
    let rcs = |text: &str| {
        let src = with_radar().replace("\"0.1 m^2\"", text);
        parse(&src, "t.toml")
            .map(|sc| sc.threat_types[0].rcs_m2)
            .map_err(|e| e.render())
    };
    // X-Val: 10^(x/10) m²; -10 dBsm = 0.1 m², 0 dBsm = 1 m², 20 dBsm = 100 m².
    assert!(rcs("\"-10 dBsm\"").is_ok_and(|x| close(x, 0.1)));
    assert!(rcs("\"-10dBsm\"").is_ok_and(|x| close(x, 0.1)));
    assert_eq!(rcs("\"0 dBsm\""), Ok(1.0));
    assert!(rcs("\"20 dBsm\"").is_ok_and(|x| close(x, 100.0)));
    assert!(rcs("\"-13.5 dBsm\"").is_ok_and(|x| close(x, 10f64.powf(-1.35))));

    let src = with_radar().replace("\"0.1 m^2\"", "\"-10 dbsm\"");
    let e = assert_err(&src, "rcs: unknown unit `dbsm`", "\"-10 dbsm\"");
    assert_eq!(e.help(), Some("did you mean `dBsm`?"));
    let src = with_radar().replace("\"0.1 m^2\"", "\"-10 dB\"");
    let e = assert_err(&src, "rcs: unknown unit `dB`", "\"-10 dB\"");
    assert_eq!(e.help(), Some("did you mean `dBsm`?"));
    let src = with_radar().replace("\"0.1 m^2\"", "\"low dBsm\"");
    assert_err(
        &src,
        "rcs: expected a number of decibels before `dBsm`, found `low`",
        "\"low dBsm\"",
    );
    let src = with_radar().replace("\"0.1 m^2\"", "\"inf dBsm\"");
    assert_err(&src, "rcs: expected a number of decibels", "\"inf dBsm\"");
    let src = with_radar().replace("\"0.1 m^2\"", "\"dBsm\"");
    assert_err(
        &src,
        "rcs: expected a number of decibels before `dBsm`, found nothing",
        "\"dBsm\"",
    );
    // So small that it is 0 m².
    let src = with_radar().replace("\"0.1 m^2\"", "\"-4000 dBsm\"");
    assert_err(&src, "rcs must be greater than 0", "\"-4000 dBsm\"");
    let src = format!("{}reference_rcs = \"10 dBsm\"\n", with_radar());
    let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(close(sc.radars[0].sensitivity.rcs_m2, 10.0));
}

#[test]
fn swerling_cases_are_0_1_or_3() {
    let src = with_radar().replace("kind = \"uas\"", "kind = \"uas\"\nswerling = 2");
    let e = assert_err(&src, "swerling must be 0, 1 or 3, found 2", "swerling = |2");
    assert_eq!(e.message(), "swerling must be 0, 1 or 3, found 2");
    assert!(
        e.help().is_some_and(|h| h.contains("0 (no fluctuation)")),
        "{}",
        e.render()
    );

    let src = with_radar().replace("kind = \"uas\"", "kind = \"uas\"\nswerling = \"1\"");
    assert_err(
        &src,
        "swerling must be the whole number 0, 1 or 3, found a string",
        "\"1\"",
    );

    let src = format!("{}reference_swerling = 4\n", with_radar());
    assert_err(
        &src,
        "reference_swerling must be 0, 1 or 3, found 4",
        "reference_swerling = |4",
    );
}

#[test]
fn quantities_need_units_of_the_right_kind() {
    let src = BASE.replace("radius = \"1500 m\"", "radius = 1500");
    let e = assert_err(&src, "radius needs a unit, e.g. \"1500 m\"", "1500\n");
    assert_eq!(e.message(), "radius needs a unit, e.g. \"1500 m\"");

    let src = BASE.replace("radius = \"1500 m\"", "radius = \"1500\"");
    assert_err(&src, "radius needs a unit, e.g. \"1500 m\"", "\"1500\"");

    let src = BASE.replace("radius = \"1500 m\"", "radius = \"3 s\"");
    let e = assert_err(
        &src,
        "expected a length (m, km, nmi, ft), found a time",
        "\"3 s\"",
    );
    assert_eq!(
        e.message(),
        "radius: expected a length (m, km, nmi, ft), found a time"
    );

    let src = BASE.replace("duration = \"2 h\"", "duration = \"2 hr\"");
    let e = assert_err(&src, "duration: unknown unit `hr`", "\"2 hr\"");
    assert_eq!(e.help(), Some("did you mean `h`?"));

    let src = BASE.replace("radius = \"1500 m\"", "radius = \"1500 parsecs\"");
    let e = assert_err(&src, "radius: unknown unit `parsecs`", "\"1500 parsecs\"");
    assert_eq!(e.help(), Some("length units: m, km, nmi, ft"));

    let src = BASE.replace("radius = \"1500 m\"", "radius = true");
    assert_err(
        &src,
        "radius must be a length such as \"1500 m\", found a boolean",
        "true",
    );

    let src = BASE.replace("speed = \"185 km/h\"", "speed = \"Mach\"");
    assert_err(&src, "speed: ", "\"Mach\"");

    // A plain number must not carry a unit.
    let src = BASE.replace(
        "radius = \"1500 m\"",
        "radius = \"1500 m\"\nvalue = \"2 kg\"",
    );
    assert_err(&src, "value is a plain number without a unit", "\"2 kg\"");
}

#[test]
fn values_out_of_range_name_the_field_and_the_range() {
    let src = BASE.replace("radius = \"1500 m\"", "radius = \"-1.5 km\"");
    let e = assert_err(
        &src,
        "radius must be greater than 0, found \"-1.5 km\"",
        "\"-1.5 km\"",
    );
    assert_eq!(
        e.message(),
        "radius must be greater than 0, found \"-1.5 km\""
    );

    let src = BASE.replace("duration = \"2 h\"", "duration = \"0 s\"");
    assert_err(&src, "duration must be greater than 0", "\"0 s\"");

    let src = BASE.replace("lat = 33.7856", "lat = 95");
    assert_err(&src, "lat must be in [-90, 90] deg, found 95", "95");

    let src = BASE.replace("lon = 42.4412", "lon = \"-181 deg\"");
    assert_err(
        &src,
        "lon must be in [-180, 180] deg, found \"-181 deg\"",
        "\"-181 deg\"",
    );

    let src = BASE.replace("kind = \"uas\"", "kind = \"uas\"\nreliability = 1.2");
    assert_err(&src, "reliability must be in [0, 1], found 1.2", "1.2");
    let src = BASE.replace("radius = \"1500 m\"", "radius = \"1500 m\"\nvalue = inf");
    assert_err(&src, "value must be greater than 0, found inf", "inf");

    let src = BASE.replace("max_range =", "dive_angle = \"95 deg\"\nmax_range =");
    assert_err(
        &src,
        "dive_angle must be in (0, 90] deg, found \"95 deg\"",
        "\"95 deg\"",
    );

    let src = BASE.replace("max_range =", "climb_angle = \"90 deg\"\nmax_range =");
    assert_err(&src, "climb_angle must be in (0, 90) deg", "\"90 deg\"");

    let src = BASE.replace("duration = \"2 h\"", "duration = \"2 h\"\nseed = -3");
    assert_err(&src, "seed must be at least 0, found -3", "-3");

    let src = format!("{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\ncount = 0\n");
    assert_err(&src, "count must be at least 1, found 0", "0\n");

    let src = format!("{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\ncount = 2.5\n");
    assert_err(&src, "count must be a whole number, found a number", "2.5");
}

#[test]
fn the_epoch_must_be_a_utc_instant() {
    let src = BASE.replace("2020-01-07T22:30:00Z", "2020-01-07T22:30:00");
    let e = assert_err(
        &src,
        "epoch must be a date, a time and a UTC offset",
        "2020-01-07T22:30:00",
    );
    assert!(e.help().is_some_and(|h| h.contains('Z')));

    let src = BASE.replace("2020-01-07T22:30:00Z", "\"7 Jan 2020\"");
    assert_err(
        &src,
        "epoch: `7 Jan 2020` is not an RFC 3339 date and time",
        "\"7 Jan",
    );

    let src = BASE.replace("2020-01-07T22:30:00Z", "\"2020-01-07T23:30:00.250+01:00\"");
    let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(sc.epoch, "2020-01-07T22:30:00.25Z");
}

#[test]
fn a_revisit_that_rounds_to_zero_and_a_huge_count_are_errors() {
    let src = format!(
        "{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\ncount = 100001\nlaunch_site = {{ lat = 34, lon = 47 }}\naim = \"Al Asad Air Base\"\n"
    );
    assert_err(&src, "count must be at most 100000, found 100001", "100001");
    let src = BASE.replace("duration = \"2 h\"", "duration = \"0.1 ns\"");
    assert_err(
        &src,
        "duration must be at least 1 ns, found \"0.1 ns\"",
        "\"0.1 ns\"",
    );
}
