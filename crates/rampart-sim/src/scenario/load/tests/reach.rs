//! The reachability check.

use super::*;

#[test]
fn aim_points_beyond_the_maximum_range_state_it() {
    // Tehran to Al Asad is about 830 km, beyond a Fateh-313's 520 km or so.
    let raid = "\n[[raid]]\nthreat_type = \"Fateh-313\"\nlaunch_site = { lat = 35.69, lon = 51.39 }\naim = \"Al Asad Air Base\"\n";
    let src = format!("{BASE}{FATEH}{raid}");
    let e = assert_err(
        &src,
        "km from the launch site, beyond Fateh-313's maximum range of ",
        "aim = |\"Al Asad Air Base\"",
    );
    assert!(e.message().starts_with("aim point is 8"), "{}", e.message());
    assert!(
        e.message().ends_with("km for a minimum-energy trajectory"),
        "{}",
        e.message()
    );

    // A drone route through a far waypoint.
    let drone = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = { lat = 33.8, lon = 42.4 }\nwaypoints = [{ lat = 50, lon = 10 }]\n";
    let src = format!("{BASE}{drone}");
    assert_err(
        &src,
        "the route from the launch site through 1 waypoint to the aim point is",
        "{ lat = 33.8",
    );
    let e = err(&src);
    assert!(
        e.message()
            .ends_with("beyond Shahed-136's maximum range of 2000.0 km"),
        "{}",
        e.message()
    );
}

#[test]
fn aim_points_a_shape_cannot_reach_or_a_drone_cannot_dive_on() {
    // 5 km from the launcher is inside even the shortest burn's range.
    let raid = "\n[[raid]]\nthreat_type = \"Fateh-313\"\nlaunch_site = { lat = 33.80, lon = 42.50 }\naim = \"Al Asad Air Base\"\n";
    let src = format!("{BASE}{FATEH}{raid}");
    let e = assert_err(
        &src,
        "closer than Fateh-313's shortest minimum-energy range of ",
        "aim = |\"Al Asad Air Base\"",
    );
    assert!(
        e.message()
            .starts_with("aim point is 5.7 km from the launch site"),
        "{}",
        e.message()
    );

    // A drone cruising at 1 km cannot dive onto a point 1.5 km high.
    let drone = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = { lat = 33.8, lon = 42.4, alt = \"1.5 km\" }\n";
    let src = format!("{BASE}{drone}");
    assert_err(
        &src,
        "the aim point is 1500 m high, not below Shahed-136's cruise altitude of 1000 m",
        "{ lat = 33.8",
    );
}
