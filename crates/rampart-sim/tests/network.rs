//! The networked defense end to end: a crossing geometry where the fire unit's own radar sees
//! the threat only late and a forward radar sees it all the way, fought autonomously, launch on
//! remote, engage on remote, and with the links cut.

use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::parse;
use rampart_sim::summary::RunSummary;

/// A cruise missile flying due west along 32.00° N to the depot at 35.00° E, 94 km; the
/// battery 11 km north of its path, 19 km short of the depot, its radar facing south-south-west
/// over a 60° sector (it sees the missile only within about 2 km of abeam); a forward radar
/// south of the path sees the whole flight. `fire_control` and the `[network]` table vary.
fn scenario(fire_control: &str, network: &str) -> String {
    format!(
        r#"
[scenario]
name = "crossing"
epoch = 2025-01-01T00:00:00Z
duration = "15 min"
seed = 3

[[asset]]
name = "Depot"
position = {{ lat = 32.0, lon = 35.0, alt = "0 m" }}
radius = "500 m"

[threat_type.cruise]
kind = "cruise"
reliability = 1.0
speed = "250 m/s"
altitude = "3 km"
rcs = "0.5 m^2"
swerling = 1
max_range = "500 km"

[[raid]]
threat_type = "cruise"
launch_site = {{ lat = 32.0, lon = 36.0, alt = "0 m" }}
aim = "Depot"

[[radar]]
name = "Battery radar"
position = {{ lat = 32.1, lon = 35.2, alt = "0 m" }}
antenna_height = "5 m"
boresight = "200 deg"
azimuth_span = "60 deg"
elevation_max = "85 deg"
range_min = "1 km"
range_max = "100 km"
revisit = "2 s"
range_resolution = "50 m"
beamwidth = "1.5 deg"
pfa = 1e-7
reference_range = "120 km"
reference_rcs = "1 m^2"
reference_pd = 0.5
reference_swerling = 1

[[radar]]
name = "Forward radar"
position = {{ lat = 31.85, lon = 35.6, alt = "0 m" }}
antenna_height = "10 m"
boresight = "0 deg"
azimuth_span = "360 deg"
elevation_max = "85 deg"
range_min = "1 km"
range_max = "150 km"
revisit = "2 s"
range_resolution = "20 m"
beamwidth = "1 deg"
pfa = 1e-7
reference_range = "150 km"
reference_rcs = "1 m^2"
reference_pd = 0.5
reference_swerling = 1

[interceptor_type.SAM]
reliability = 1.0
launch_mass = "900 kg"
propellant_mass = "500 kg"
burn_time = "12 s"
isp = "240 s"
diameter = "0.41 m"
drag_coefficient = 0.3
max_acceleration = "25 g"
min_altitude = "50 m"
max_altitude = "24 km"
min_range = "2 km"
max_range = "40 km"
guidance = "pn"
navigation_constant = 4
seeker_acquisition_range = "15 km"
seeker_noise = "2 mrad"
lethality = "blast-fragmentation"
lethal_radius = "8 m"
pk_max = 0.85
planning_pk = 0.7

[[fire_unit]]
name = "Battery"
radar = "Battery radar"
doctrine = "shoot-look-shoot"
channels = 2
fire_control = "{fire_control}"

[[fire_unit.launchers]]
position = {{ lat = 32.1, lon = 35.2, alt = "0 m" }}
interceptor = "SAM"
count = 2
rounds = 4
launch_delay = "2 s"

{network}
"#
    )
}

const NETWORK: &str = r#"
[network]
latency = "0.5 s"
latency_spread = "0.25 s"
"#;

fn events(fire_control: &str, network: &str) -> Vec<Event> {
    let text = scenario(fire_control, network);
    let s = parse(&text, "crossing.toml").expect("the crossing scenario loads");
    run(&s, RunOptions::seed(s.seed)).expect("the run")
}

/// The first `engagement_planned` event: (time, range from the launcher, on remote, whether
/// on a system track).
fn first_engagement(events: &[Event]) -> Option<(f64, f64, bool, bool)> {
    events.iter().find_map(|e| match &e.kind {
        EventKind::EngagementPlanned {
            range_m,
            on_remote,
            system_track,
            ..
        } => Some((e.t, *range_m, *on_remote, *system_track)),
        _ => None,
    })
}

#[test]
fn engage_on_remote_engages_earlier_and_further_out_than_autonomous() {
    let auto = first_engagement(&events("autonomous", NETWORK)).expect("autonomous engages");
    let eor = first_engagement(&events("engage-on-remote", NETWORK)).expect("EOR engages");
    // Autonomous waits for its own radar (about abeam); on remote it engages once the missile
    // is within the interceptor's reach on the forward radar's track.
    assert!(!auto.2 && eor.2 && eor.3, "auto {auto:?}, EOR {eor:?}");
    assert!(
        eor.0 + 30.0 < auto.0,
        "EOR at {} s, autonomous at {} s",
        eor.0,
        auto.0
    );
    assert!(
        eor.1 > auto.1 + 10_000.0,
        "EOR at {} m, autonomous at {} m",
        eor.1,
        auto.1
    );
    // Without a network, autonomous is what the unit does whatever its fire control says.
    let alone = first_engagement(&events("engage-on-remote", "")).expect("engages alone");
    assert!((alone.0 - auto.0).abs() < 1e-9 && !alone.2 && !alone.3);
}

#[test]
fn launch_on_remote_waits_for_an_intercept_its_radar_can_take_over() {
    let eor = first_engagement(&events("engage-on-remote", NETWORK)).expect("EOR engages");
    let evs = events("launch-on-remote", NETWORK);
    let lor = first_engagement(&evs).expect("LOR engages");
    let auto = first_engagement(&events("autonomous", NETWORK)).expect("autonomous engages");
    // Its radar's sector is narrow: the intercept must lie in it, so no earlier than engaging
    // on remote, no later than autonomous.
    assert!(
        lor.0 >= eor.0 && lor.0 <= auto.0 + 1e-9,
        "{eor:?} {lor:?} {auto:?}"
    );
    // Every launch's planned intercept point lies in the battery radar's sector
    // (azimuth 170°–230° from the battery at 32.1° N, 35.2° E).
    for e in &evs {
        if let EventKind::EngagementPlanned { pip, .. } = &e.kind {
            let (dn, de) = (
                (pip.lat - 32.1) * 111_000.0,
                (pip.lon - 35.2) * 111_000.0 * 32.1f64.to_radians().cos(),
            );
            let az = de.atan2(dn).to_degrees().rem_euclid(360.0);
            assert!((169.0..=231.0).contains(&az), "PIP at azimuth {az:.1}°");
        }
    }
}

#[test]
fn a_cut_link_degrades_to_autonomous_without_errors() {
    let auto = first_engagement(&events("autonomous", NETWORK)).expect("autonomous engages");
    // The battery's link is out for the whole run: it is out of the network.
    let cut_unit = format!(
        "{NETWORK}\n[[network.link]]\nfire_unit = \"Battery\"\noutages = [[\"0 s\", \"1 h\"]]\n"
    );
    let evs = events("engage-on-remote", &cut_unit);
    let e = first_engagement(&evs).expect("engages on its own radar");
    assert!(
        (e.0 - auto.0).abs() < 1e-9 && !e.2 && !e.3,
        "{e:?} vs {auto:?}"
    );
    // The forward radar's link is out: nothing remote to fight on; every report is lost.
    let cut_radar = format!(
        "{NETWORK}\n[[network.link]]\nsensor = \"Forward radar\"\noutages = [[\"0 s\", \"1 h\"]]\n"
    );
    let evs = events("engage-on-remote", &cut_radar);
    let e = first_engagement(&evs).expect("engages on its own radar");
    assert!(!e.2, "{e:?}");
    assert!(evs.iter().any(|e| matches!(
        &e.kind,
        EventKind::MessageLost { link, reason } if link == "Forward radar" && reason == "outage"
    )));
    // The link comes back: the node has the forward radar's tracks again and the unit
    // engages on remote, later than with the link up throughout.
    let eor = first_engagement(&events("engage-on-remote", NETWORK)).expect("EOR engages");
    let back = format!(
        "{NETWORK}\n[[network.link]]\nsensor = \"Forward radar\"\noutages = [[\"0 s\", \"{} s\"]]\n",
        eor.0 + 20.0
    );
    let e = first_engagement(&events("engage-on-remote", &back)).expect("engages");
    assert!(e.2 && e.0 > eor.0 && e.0 < auto.0, "{e:?} {eor:?} {auto:?}");
}

#[test]
fn the_summary_names_the_sensors_the_system_track_and_the_shooter() {
    let text = scenario("engage-on-remote", NETWORK);
    let s = parse(&text, "crossing.toml").expect("loads");
    let evs = run(&s, RunOptions::seed(s.seed)).expect("the run");
    let summary = RunSummary::from_events(&s, s.seed, &evs);
    let e = summary.threats[0]
        .first_engagement
        .as_ref()
        .expect("the missile was engaged");
    assert_eq!(e.fire_unit, "Battery");
    assert!(e.system_track && e.on_remote);
    assert_eq!(e.sensors, ["Forward radar"]);
    assert!(e.after_launch_s > 0.0 && e.range_m > 20_000.0, "{e:?}");
    assert_eq!(
        evs.iter()
            .filter(|ev| matches!(
                &ev.kind,
                EventKind::SystemTrack { track, change, .. } if *track == e.track && change == "initiated"
            ))
            .count(),
        1
    );
    // Fought autonomously in the network, the missile flies on into the battery radar's
    // sector: its track joins the forward radar's system track. The battery engages on its
    // own track at once, before its report has reached the node.
    let text = scenario("autonomous", NETWORK);
    let s = parse(&text, "crossing.toml").expect("loads");
    let evs = run(&s, RunOptions::seed(s.seed)).expect("the run");
    let joined = evs.iter().find_map(|ev| match &ev.kind {
        EventKind::SystemTrack {
            track,
            change,
            sensor,
            sensors,
        } if change == "joined" && sensor.as_deref() == Some("Battery radar") => {
            Some((*track, sensors.clone()))
        }
        _ => None,
    });
    let (track, sensors) = joined.expect("the battery radar's track joins a system track");
    assert_eq!(sensors, ["Battery radar", "Forward radar"]);
    assert!(evs.iter().any(|ev| matches!(
        &ev.kind,
        EventKind::SystemTrack { track: t, change, sensor, .. }
            if *t == track && change == "initiated" && sensor.as_deref() == Some("Forward radar")
    )));
    let summary = RunSummary::from_events(&s, s.seed, &evs);
    let e = summary.threats[0]
        .first_engagement
        .as_ref()
        .expect("engaged");
    assert!(!e.system_track && !e.on_remote);
    assert_eq!(e.sensors, ["Battery radar"]);
}

#[test]
fn the_air_picture_is_scored_for_each_radar_and_the_network() {
    let text = scenario("autonomous", NETWORK);
    let s = parse(&text, "crossing.toml").expect("loads");
    let evs = run(&s, RunOptions::seed(s.seed)).expect("the run");
    let summary = RunSummary::from_events(&s, s.seed, &evs);
    let pictures: Vec<&str> = summary.siap.iter().map(|p| p.picture.as_str()).collect();
    assert_eq!(pictures, ["Battery radar", "Forward radar", "network"]);
    let [battery, forward, network] = &summary.siap[..] else {
        unreachable!()
    };
    for p in &summary.siap {
        let c = p.completeness.expect("something to see");
        assert!((0.0..=1.0).contains(&c), "{p:?}");
        assert!(p.ambiguity.expect("something held") >= 1.0, "{p:?}");
        assert!(p.positional_accuracy_m.expect("assigned") < 500.0, "{p:?}");
    }
    // The forward radar sees the whole flight; the battery's radar only about abeam, and its
    // completeness counts the whole of its coverage, so the network holds more than it.
    assert!(
        network.completeness > battery.completeness,
        "{network:?} {battery:?}"
    );
    assert!(forward.samples > 0 && network.samples > 0);
    // Without a network there is no network picture.
    let alone = parse(&scenario("autonomous", ""), "crossing.toml").expect("loads");
    let evs = run(&alone, RunOptions::seed(alone.seed)).expect("the run");
    let summary = RunSummary::from_events(&alone, alone.seed, &evs);
    assert_eq!(summary.siap.len(), 2);
}

/// One Fateh-313 from western Iran at Al Asad (as in the shipped scenarios), a radar under its
/// midcourse (150 km instrumented range: without a cue it first detects the 0.1 m² missile at
/// about 125 km), a staring early-warning sensor (2 s revisit, 300 m accuracy), and a network;
/// `cued_gain` on the radar.
fn ballistic(cued_gain: f64) -> String {
    format!(
        r#"
[scenario]
name = "cue"
epoch = 2020-01-07T22:30:00Z
duration = "15 min"
seed = 2

[[asset]]
name = "Al Asad Air Base"
position = {{ lat = 33.7856, lon = 42.4412, alt = "188 m" }}
radius = "2500 m"

[threat_type.Fateh-313]
kind = "ballistic"
reliability = 1.0
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "250 s"
diameter = "0.61 m"
body_drag_coefficient = 0.3
rcs = "0.1 m^2"
swerling = 1

[[raid]]
threat_type = "Fateh-313"
launch_site = {{ lat = 34.40, lon = 46.95, alt = "1350 m" }}
aim = "Al Asad Air Base"

[[radar]]
name = "Midcourse radar"
position = {{ lat = 34.10, lon = 44.70, alt = "100 m" }}
antenna_height = "5 m"
boresight = "75 deg"
azimuth_span = "120 deg"
elevation_max = "85 deg"
range_min = "3 km"
range_max = "150 km"
revisit = "2 s"
range_resolution = "50 m"
beamwidth = "1.5 deg"
pfa = 1e-6
reference_range = "150 km"
cued_gain = {cued_gain}

[[early_warning]]
name = "Early warning"
revisit = "2 s"
detection_altitude = "5 km"
position_error = "300 m"
delay = "5 s"

[network]
"#
    )
}

#[test]
fn an_early_warning_cue_starts_a_system_track_the_radar_then_confirms() {
    // Cued (10 dB), the radar holds the missile long enough to confirm a track (uncued it
    // sees it too late and too briefly).
    let s = parse(&ballistic(10.0), "cue.toml").expect("loads");
    let evs = run(&s, RunOptions::seed(s.seed)).expect("the run");
    let warning = evs
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::LaunchWarning {
                launch_t,
                launch_point,
                heading_deg,
                truth,
                ..
            } => Some((e.t, *launch_t, *launch_point, *heading_deg, truth.clone())),
            _ => None,
        })
        .expect("a launch warning");
    // Reported after the plume rose above the clouds, the look's processing delay (5 s) and
    // the link; within 5σ of the truth (launch at 0 s, 3 s; site 2 km; heading 3°).
    assert_eq!(warning.4.as_deref(), Some("R1-1"));
    assert!(warning.0 > 5.0 && warning.0 < 40.0, "{warning:?}");
    assert!(warning.1.abs() < 15.0, "{warning:?}");
    let dlat_km = (warning.2.lat - 34.40) * 111.0;
    let dlon_km = (warning.2.lon - 46.95) * 111.0 * 34.4f64.to_radians().cos();
    assert!(
        dlat_km.hypot(dlon_km) < 10.0 * 2.0_f64.sqrt(),
        "{warning:?}"
    );
    // West-south-west, towards Al Asad (about 262°).
    assert!((warning.3 - 262.0).abs() < 15.0, "{warning:?}");
    let changes: Vec<(u64, String, Option<String>)> = evs
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SystemTrack {
                track,
                change,
                sensor,
                ..
            } => Some((*track, change.clone(), sensor.clone())),
            _ => None,
        })
        .collect();
    let first = &changes[0];
    assert_eq!(
        (first.1.as_str(), first.2.as_deref()),
        ("initiated", Some("Early warning")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&(first.0, "joined".into(), Some("Midcourse radar".into()))),
        "the radar's track joins the cue's system track: {changes:?}"
    );
}

#[test]
fn a_cued_radar_detects_sooner() {
    let first = |gain: f64| {
        let s = parse(&ballistic(gain), "cue.toml").expect("loads");
        let evs = run(&s, RunOptions::seed(s.seed)).expect("the run");
        let summary = RunSummary::from_events(&s, s.seed, &evs);
        let d = &summary.threats[0].first_detection[0];
        (d.t.expect("detected"), d.range_m.expect("detected"))
    };
    let (plain, cued) = (first(0.0), first(10.0));
    // 10 dB more on a cued dwell: the radar equation's range grows by 10^(10/40) = 1.78 for
    // the same detection probability (here up to the instrumented 150 km), so the first
    // detection comes well before.
    assert!(cued.0 + 20.0 < plain.0, "cued {cued:?}, plain {plain:?}");
    assert!(
        cued.1 > plain.1 + 10_000.0,
        "cued {cued:?}, plain {plain:?}"
    );
}
