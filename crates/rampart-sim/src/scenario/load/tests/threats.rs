//! Threat types and raids.

use super::*;

#[test]
fn a_key_of_another_kind_says_which_kind_it_belongs_to() {
    let src = BASE.replace("max_range =", "launch_mass = \"3 t\"\nmax_range =");
    let e = assert_err(
        &src,
        "unknown key `launch_mass` for a uas threat type",
        "launch_mass",
    );
    assert!(
        e.label().is_some_and(|l| l.contains("ballistic")),
        "{}",
        e.render()
    );

    let src = format!("{BASE}{FATEH}").replace("diameter =", "turn_rate = \"3 deg/s\"\ndiameter =");
    let e = assert_err(
        &src,
        "unknown key `turn_rate` for a ballistic threat type",
        "turn_rate",
    );
    assert!(
        e.label().is_some_and(|l| l.contains("air-breathing")),
        "{}",
        e.render()
    );
}

#[test]
fn propellant_must_fit_in_the_launch_mass() {
    let src = format!("{BASE}{FATEH}").replace("\"2330 kg\"", "\"3450 kg\"");
    assert_err(
        &src,
        "propellant_mass (3450 kg) must be less than launch_mass (3450 kg)",
        "\"3450 kg\"\nburn",
    );

    let src = format!("{BASE}{FATEH}").replace(
        "diameter =",
        "reentry_vehicle = { mass = \"1200 kg\", ballistic_coefficient = \"1 t/m^2\" }\ndiameter =",
    );
    // The re-entry vehicle's units are checked first.
    assert_err(
        &src,
        "ballistic_coefficient: unknown unit `t/m^2`",
        "\"1 t/m^2\"",
    );
    let src = src.replace("\"1 t/m^2\"", "\"10000 kg/m^2\"");
    assert_err(
        &src,
        "must be less than launch_mass minus the re-entry vehicle's mass (3450 − 1200 = 2250 kg)",
        "\"2330 kg\"",
    );
}

#[test]
fn a_missile_that_cannot_lift_off_is_an_error_on_its_type() {
    let src = format!("{BASE}{FATEH}").replace("\"255 s\"", "\"20 s\"");
    assert_err(&src, "Fateh-313 cannot lift off", "Fateh-313]");
}

#[test]
fn bad_threat_kinds_trajectories_and_drag_profiles() {
    let src = BASE.replace("kind = \"uas\"", "kind = \"usa\"");
    let e = assert_err(&src, "unknown threat kind `usa`", "\"usa\"");
    assert_eq!(e.help(), Some("did you mean `uas`?"));

    let src = format!("{BASE}{FATEH}drag_profile = [[0.0, 1.0], [0.0, 1.2]]\n");
    assert_err(&src, "invalid drag_profile", "[[0.0, 1.0]");
    let src = format!("{BASE}{FATEH}drag_profile = [[0.0, 1.0], [2.0]]\n");
    assert_err(
        &src,
        "drag_profile entries are [Mach, Cd/Cd_ref] pairs",
        "[2.0]",
    );

    let raid = "\n[[raid]]\nthreat_type = \"Fateh-313\"\nlaunch_site = { lat = 34, lon = 47 }\naim = \"Al Asad Air Base\"\n";
    let src = format!("{BASE}{FATEH}{raid}trajectory = \"loftd\"\n");
    let e = assert_err(&src, "unknown trajectory `loftd`", "\"loftd\"");
    assert_eq!(e.help(), Some("did you mean `lofted`?"));
}

#[test]
fn raid_keys_of_the_wrong_kind_are_errors() {
    let drone = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = \"Al Asad Air Base\"\n";
    let src = format!("{BASE}{drone}trajectory = \"lofted\"\n");
    assert_err(
        &src,
        "`trajectory` applies only to ballistic threat types; Shahed-136 is uas",
        "trajectory =",
    );

    let missile = drone.replace("Shahed-136", "Fateh-313");
    let src = format!("{BASE}{FATEH}{missile}waypoints = [{{ lat = 34, lon = 45 }}]\n");
    assert_err(
        &src,
        "`waypoints` applies only to air-breathing",
        "waypoints =",
    );
}

#[test]
fn undefined_names_suggest_the_closest_one() {
    let raid = "\n[[raid]]\nthreat_type = \"Shahed136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = \"Al Asad Air Base\"\n";
    let src = format!("{BASE}{raid}");
    let e = assert_err(&src, "undefined threat type `Shahed136`", "\"Shahed136\"");
    assert_eq!(e.help(), Some("did you mean `Shahed-136`?"));

    let src = src
        .replace("\"Shahed136\"", "\"Shahed-136\"")
        .replace("aim = \"Al Asad Air Base\"", "aim = \"Al Asad\"");
    let e = assert_err(&src, "undefined asset `Al Asad`", "aim = |\"Al Asad\"");
    assert_eq!(e.help(), Some("did you mean `Al Asad Air Base`?"));

    let src = src.replace("\"Al Asad\"\n", "\"Erbil\"\n");
    let e = assert_err(&src, "undefined asset `Erbil`", "\"Erbil\"");
    assert_eq!(e.help(), Some("defined: `Al Asad Air Base`"));
}

#[test]
fn launches_must_fall_before_the_end_of_the_scenario() {
    let raid = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 43 }\naim = \"Al Asad Air Base\"\n";
    let src = format!("{BASE}{raid}count = 10\nfirst_launch = \"1 h\"\ninterval = \"10 min\"\n");
    assert_err(
        &src,
        "the last of this raid's 10 launches is at 9000 s after the epoch, not before the end of the scenario at 7200 s",
        "\"10 min\"",
    );

    let src = format!("{BASE}{raid}first_launch = 2020-01-08T00:30:00Z\n");
    assert_err(
        &src,
        "this raid launches at 7200 s after the epoch",
        "2020-01-08T00:30:00Z",
    );

    let src = format!("{BASE}{raid}first_launch = 2020-01-07T22:00:00Z\n");
    assert_err(
        &src,
        "first_launch is 1800 s before the epoch 2020-01-07T22:30:00Z",
        "2020-01-07T22:00:00Z",
    );

    let src = format!("{BASE}{raid}first_launch = \"-5 s\"\n");
    assert_err(&src, "first_launch must be 0 or more", "\"-5 s\"");
}

#[test]
fn lofted_and_depressed_raids_name_a_burnout_angle_or_an_apogee() {
    let raid = "\n[[raid]]\nthreat_type = \"Fateh-313\"\nlaunch_site = { lat = 34, lon = 47 }\naim = \"Al Asad Air Base\"\n";
    let with = |keys: &str| format!("{BASE}{FATEH}{raid}{keys}");

    let e = assert_err(
        &with("trajectory = \"lofted\"\n"),
        "a lofted trajectory needs `burnout_angle` or `apogee` to say how high",
        "\"lofted\"",
    );
    assert!(
        e.help().is_some_and(|h| h.contains("apogee = ")),
        "{}",
        e.render()
    );
    assert_err(
        &with("trajectory = \"lofted\"\nburnout_angle = \"60 deg\"\napogee = \"200 km\"\n"),
        "give `burnout_angle` or `apogee`, not both",
        "apogee",
    );
    assert_err(
        &with("trajectory = \"minimum-energy\"\napogee = \"200 km\"\n"),
        "`apogee` applies to lofted or depressed trajectories",
        "apogee",
    );
    assert_err(
        &with("burnout_angle = \"60 deg\"\n"),
        "`burnout_angle` shapes a lofted or depressed flight, but this raid names no `trajectory`",
        "burnout_angle",
    );
    assert_err(
        &with("trajectory = \"depressed\"\nburnout_angle = \"90 deg\"\n"),
        "burnout_angle must be",
        "\"90 deg\"",
    );
    // Below minimum energy's angle is not lofted: the error gives minimum energy's.
    let e = assert_err(
        &with("trajectory = \"lofted\"\nburnout_angle = \"30 deg\"\n"),
        "cannot fly Fateh-313 to this aim point: a lofted trajectory to this range needs a burnout angle above the minimum-energy one of",
        "aim = |\"Al Asad Air Base\"",
    );
    assert!(e.message().ends_with("°; 30.0 ° is not"), "{}", e.message());

    let sc = parse(
        &with("trajectory = \"lofted\"\napogee = \"200 km\"\n"),
        "t.toml",
    )
    .expect("loads");
    assert_eq!(
        sc.raids[0].trajectory,
        TrajectoryShape::Lofted(ShapeTarget::Apogee(200e3))
    );
    let sc = parse(
        &with("trajectory = \"depressed\"\nburnout_angle = \"38 deg\"\n"),
        "t.toml",
    )
    .expect("loads");
    assert_eq!(
        sc.raids[0].trajectory,
        TrajectoryShape::Depressed(ShapeTarget::BurnoutAngle(38f64.to_radians()))
    );
}
