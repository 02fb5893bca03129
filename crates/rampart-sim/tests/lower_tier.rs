//! The lower tier end to end: mortar rounds at a base defended by a SAM battery (upper tier)
//! and a counter-RAM gun (lower tier). Battle management leaves the rounds to the gun; a
//! round's predicted impact point converges as its track grows.

use rampart_core::Geodetic;
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind, LatLon};
use rampart_sim::scenario::parse;

/// The keys of the battery's radar after its name (shared with a second battery's).
const RADAR_KEYS: &str = r#"position = { lat = 33.79, lon = 42.45, alt = "190 m" }
antenna_height = "5 m"
boresight = "0 deg"
azimuth_span = "360 deg"
elevation_max = "85 deg"
range_min = "500 m"
range_max = "60 km"
revisit = "1 s"
range_resolution = "10 m"
beamwidth = "1 deg"
pfa = 1e-7
reference_range = "40 km"
reference_rcs = "0.01 m^2"
reference_pd = 0.5
reference_swerling = 1
"#;

/// The keys of the battery's interceptor type after its name (shared with a second's).
const SAM_KEYS: &str = r#"reliability = 1.0
launch_mass = "316 kg"
propellant_mass = "170 kg"
burn_time = "12 s"
isp = "250 s"
diameter = "0.255 m"
drag_coefficient = 0.3
max_acceleration = "40 g"
min_altitude = "200 m"
max_altitude = "20 km"
min_range = "500 m"
max_range = "25 km"
guidance = "apn"
navigation_constant = 4
seeker_acquisition_range = "10 km"
seeker_noise = "1 mrad"
lethality = "hit-to-kill"
lethal_radius = "1.5 m"
planning_pk = 0.7
"#;

/// Four 120 mm mortar rounds fired from 4 km west of the base; a SAM battery at the base whose
/// radar sees them, engaging `engages`; with `gun`, a C-RAM gun on its own radar; `extra`
/// appended (a `[battle_management]` table).
fn scenario(engages: &str, gun: bool, count: u32, extra: &str) -> String {
    let gun = if gun {
        r#"
[[radar]]
name = "C-RAM radar"
position = { lat = 33.7856, lon = 42.4412, alt = "190 m" }
antenna_height = "5 m"
boresight = "0 deg"
azimuth_span = "360 deg"
elevation_max = "85 deg"
range_min = "200 m"
range_max = "15 km"
revisit = "0.5 s"
range_resolution = "3 m"
beamwidth = "0.6 deg"
pfa = 1e-8
reference_range = "10 km"
reference_rcs = "0.01 m^2"
reference_pd = 0.9
reference_swerling = 1

[[gun]]
name = "C-RAM"
radar = "C-RAM radar"
position = { lat = 33.7880, lon = 42.4330, alt = "190 m" }
"#
    } else {
        ""
    };
    format!(
        r#"
[scenario]
name = "mortars"
epoch = 2020-01-07T22:30:00Z
duration = "5 min"
seed = 4

[[asset]]
name = "Base"
position = {{ lat = 33.7856, lon = 42.4412, alt = "188 m" }}
radius = "600 m"
value = 10.0

[threat_type.Mortar-120]
kind = "mortar"
launch_mass = "13.6 kg"
diameter = "120 mm"
muzzle_velocity = "318 m/s"
body_drag_coefficient = 0.2
rcs = "0.01 m^2"
vulnerable_area = "0.05 m^2"

[[raid]]
threat_type = "Mortar-120"
count = {count}
launch_site = {{ lat = 33.77, lon = 42.40, alt = "180 m" }}
aim = "Base"
first_launch = "10 s"
interval = "10 s"
range_error = "40 m"
deflection_error = "15 m"

[[radar]]
name = "Battery radar"
{RADAR_KEYS}
[interceptor_type.SAM]
{SAM_KEYS}
[[fire_unit]]
name = "Battery"
radar = "Battery radar"
doctrine = "shoot-shoot"
salvo = 1
channels = 4
engages = {engages}

[[fire_unit.launchers]]
position = {{ lat = 33.79, lon = 42.45, alt = "190 m" }}
interceptor = "SAM"
count = 4
rounds = 4
launch_delay = "1 s"
{gun}
{extra}
"#
    )
}

fn events(text: &str) -> Vec<Event> {
    let s = parse(text, "mortars.toml").expect("the mortar scenario loads");
    run(&s, RunOptions::seed(s.seed)).expect("the run")
}

/// The engagements the battery planned on the mortar rounds (by their scoring labels).
fn battery_engagements(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| {
            matches!(&e.kind, EventKind::EngagementPlanned { fire_unit, truth: Some(t), .. }
                if fire_unit == "Battery" && t.starts_with("R1-"))
        })
        .count()
}

const ALL: &str = r#"["ballistic", "ram", "air_breathing"]"#;

#[test]
fn no_upper_tier_interceptor_goes_to_a_round_the_gun_can_take() {
    // With the gun, the battery (which engages every class) leaves the rounds to it, and the
    // gun fires at them.
    let with_gun = events(&scenario(ALL, true, 4, ""));
    assert_eq!(battery_engagements(&with_gun), 0);
    let bursts = with_gun
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::GunBurst { threat: Some(t), .. } if t.starts_with("R1-")))
        .count();
    assert!(bursts > 0, "the gun fires at the rounds");
    // The same defense without the rule, or without the gun, spends interceptors on them: the
    // test above could fail.
    let no_rule = events(&scenario(
        ALL,
        true,
        4,
        "[battle_management]\nlower_tier_first = false\n",
    ));
    assert!(battery_engagements(&no_rule) > 0);
    let no_gun = events(&scenario(ALL, false, 4, ""));
    assert!(battery_engagements(&no_gun) > 0);
    // A battery told not to engage rounds does not, gun or none.
    let upper_only = events(&scenario(r#"["ballistic", "air_breathing"]"#, false, 4, ""));
    assert_eq!(battery_engagements(&upper_only), 0);
}

fn distance_m(a: &LatLon, b: &LatLon) -> f64 {
    Geodetic::from_degrees(a.lat, a.lon, 0.0)
        .geodesic_to(&Geodetic::from_degrees(b.lat, b.lon, 0.0))
        .distance_m
}

#[test]
fn a_mortar_rounds_predicted_impact_converges_as_its_track_grows() {
    // One round; the battery watches but never engages it.
    let ev = events(&scenario(r#"["ballistic"]"#, false, 1, ""));
    let impact = ev
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Impact { at, .. } => Some(*at),
            _ => None,
        })
        .expect("the round lands");
    let predicted: Vec<(f64, f64)> = ev
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ThreatEvaluated {
                class,
                impact: Some(p),
                ..
            } if class == "ram" => Some((e.t, distance_m(p, &impact))),
            _ => None,
        })
        .collect();
    assert!(predicted.len() >= 4, "{predicted:?}");
    let n = predicted.len();
    let early: f64 = predicted[..n / 3].iter().map(|p| p.1).sum::<f64>() / (n / 3) as f64;
    let late: f64 = predicted[n - n / 3..].iter().map(|p| p.1).sum::<f64>() / (n / 3) as f64;
    assert!(late < early, "{predicted:?}");
    assert!(predicted[n - 1].1 < 30.0, "{predicted:?}");
}

/// The shipped layered scenario: each tier takes its own threats. The Patriot-class units
/// plan nothing on the rockets (raid 5) or mortar rounds (raid 6), nor does the short-range
/// section (it engages air-breathing threats only, and the guns' radar classes those rounds);
/// the short-range section launches only on targets within its infrared seekers' reach; and
/// both tiers kill.
#[test]
fn the_layered_scenario_engages_each_threat_with_its_tier() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/al-asad-2020-layered.toml"
    );
    let s = rampart_sim::scenario::load(std::path::Path::new(path)).expect("it loads");
    let ev = run(&s, RunOptions::seed(s.seed)).expect("the run");
    let mut kills = std::collections::BTreeMap::<String, u32>::new();
    for e in &ev {
        match &e.kind {
            EventKind::EngagementPlanned {
                fire_unit,
                truth,
                range_m,
                ..
            } => {
                let lower_tier_threat = truth
                    .as_deref()
                    .is_some_and(|t| t.starts_with("R5-") || t.starts_with("R6-"));
                assert!(!lower_tier_threat, "{fire_unit} engaged {truth:?}");
                if fire_unit == "Avenger section" {
                    assert!(*range_m <= 5_000.0, "lock-on before launch at {range_m} m");
                }
            }
            EventKind::Intercept {
                fire_unit,
                kill: true,
                ..
            } => *kills.entry(fire_unit.clone()).or_default() += 1,
            EventKind::GunBurst {
                gun, kill: true, ..
            } => {
                *kills.entry(gun.clone()).or_default() += 1;
            }
            _ => {}
        }
    }
    let upper =
        kills.get("Battery-1").copied().unwrap_or(0) + kills.get("Battery-2").copied().unwrap_or(0);
    let guns =
        kills.get("C-RAM 1").copied().unwrap_or(0) + kills.get("C-RAM 2").copied().unwrap_or(0);
    assert!(upper > 0 && guns > 0, "{kills:?}");
    assert!(kills.contains_key("Avenger section"), "{kills:?}");
}

/// A range error so large that a round laid that low never climbs to the aim point's height:
/// whatever the loader accepts runs to its end (the round is then flown as laid on the aim).
#[test]
fn a_round_dispersed_beyond_its_reach_still_flies() {
    let text =
        scenario(ALL, false, 4, "").replace("range_error = \"40 m\"", "range_error = \"9999 m\"");
    let ev = events(&text);
    let ended = ev
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Impact { .. }
                    | EventKind::Failure { .. }
                    | EventKind::Intercept { kill: true, .. }
            )
        })
        .count();
    assert_eq!(ended, 4);
}

/// The engagements each fire unit planned on the mortar rounds.
fn engagements_by_unit(events: &[Event]) -> std::collections::BTreeMap<String, usize> {
    let mut by = std::collections::BTreeMap::new();
    for e in events {
        if let EventKind::EngagementPlanned {
            fire_unit,
            truth: Some(t),
            ..
        } = &e.kind
            && t.starts_with("R1-")
        {
            *by.entry(fire_unit.clone()).or_default() += 1;
        }
    }
    by
}

/// A second battery beside the first, alike but for its interceptor's price.
fn cheap_unit() -> String {
    format!(
        "\n[[radar]]\nname = \"Cheap radar\"\n{RADAR_KEYS}\n[interceptor_type.Cheap]\n{SAM_KEYS}cost = 0.5\n{}",
        CHEAP_FIRE_UNIT
    )
}

/// The cheap battery's fire unit and launchers.
const CHEAP_FIRE_UNIT: &str = r#"[[fire_unit]]
name = "Cheap battery"
radar = "Cheap radar"
doctrine = "shoot-shoot"
salvo = 1
channels = 4
engages = ["ram"]

[[fire_unit.launchers]]
position = { lat = 33.79, lon = 42.45, alt = "190 m" }
interceptor = "Cheap"
count = 4
rounds = 4
launch_delay = "1 s"
"#;

/// `[battle_management] value_per_cost` weighs an engagement's cost against the value it saves:
/// of two batteries that save the same, the cheaper fires; a shot dearer than what it saves is
/// not fired; value alone (the default) fires the dear battery too, so the test could fail.
#[test]
fn cost_weighs_against_value_saved_in_the_assignment() {
    let priced = |sam_cost: f64, value_per_cost: &str| {
        scenario(
            ALL,
            false,
            4,
            &format!("{}\n[battle_management]\n{value_per_cost}", cheap_unit()),
        )
        .replace(
            "planning_pk = 0.7\n\n[[fire_unit]]\nname = \"Battery\"",
            &format!("planning_pk = 0.7\ncost = {sam_cost}\n\n[[fire_unit]]\nname = \"Battery\""),
        )
    };
    // Value alone: the two save the same, and the dear battery fires too.
    let by = engagements_by_unit(&events(&priced(5.0, "")));
    assert!(by.get("Battery").copied().unwrap_or(0) > 0, "{by:?}");
    // Weighing cost, the cheap battery takes every round.
    let by = engagements_by_unit(&events(&priced(5.0, "value_per_cost = 1.0\n")));
    assert!(!by.contains_key("Battery"), "{by:?}");
    assert!(by.get("Cheap battery").copied().unwrap_or(0) > 0, "{by:?}");
    // A round puts at most the base's value (10) at risk; a cheap shot weighed at 20 × 0.5 =
    // 10 saves at most 0.7 of it: nothing fires.
    let by = engagements_by_unit(&events(&priced(50.0, "value_per_cost = 20.0\n")));
    assert!(by.is_empty(), "{by:?}");
}

/// Weighing cost with an unpriced interceptor type is an error at its name, not a free round.
#[test]
fn value_per_cost_needs_every_fired_interceptor_priced() {
    let text = scenario(ALL, false, 4, "[battle_management]\nvalue_per_cost = 1.0\n");
    let e = parse(&text, "mortars.toml").expect_err("SAM has no cost");
    let shown = e.to_string();
    assert!(
        shown.contains("interceptor type `SAM` has no `cost`"),
        "{shown}"
    );
    let at = text.find("[interceptor_type.SAM]").expect("present") + "[interceptor_type.".len();
    let line = text[..at].lines().count();
    assert_eq!(e.line_col().map(|(l, _)| l), Some(line), "{shown}");
}

/// The layered scenario's short-range section cued by a visual observer beside its launchers
/// instead of its Sentinel-class radar: it still engages the drones, each within its seekers'
/// reach, and kills some; the observer's reports made the tracks it fought on.
#[test]
fn an_observer_cues_the_short_range_section() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/al-asad-2020-layered.toml"
    );
    let text = std::fs::read_to_string(path).expect("the layered scenario");
    let start = text
        .find("[[radar]]\nname = \"Sentinel radar\"")
        .expect("its radar");
    let end = text
        .find("[interceptor_type.Stinger-like]")
        .expect("its missile");
    let observer = r#"[[radar]]
name = "Avenger observer"
kind = "observer"
position = { lat = 33.7930, lon = 42.4250, alt = "190 m" }
antenna_height = "3 m"
range_max = "8 km"
revisit = "2 s"
detection_range = "4 km"
bearing_error = "1 deg"
range_error = "300 m"

"#;
    let text = format!("{}{observer}{}", &text[..start], &text[end..])
        .replace("radar = \"Sentinel radar\"", "radar = \"Avenger observer\"");
    let s = parse(&text, "observer.toml").unwrap_or_else(|e| panic!("{}", e.render()));
    let ev = run(&s, RunOptions::seed(s.seed)).expect("the run");
    let mut planned = 0;
    let mut kills = 0;
    for e in &ev {
        match &e.kind {
            EventKind::EngagementPlanned {
                fire_unit,
                truth,
                range_m,
                radar,
                ..
            } if fire_unit == "Avenger section" => {
                planned += 1;
                assert_eq!(radar, "Avenger observer");
                assert!(
                    truth.as_deref().is_some_and(|t| t.starts_with("R7-")),
                    "{truth:?}"
                );
                assert!(*range_m <= 5_000.0, "lock-on before launch at {range_m} m");
            }
            EventKind::Intercept {
                fire_unit,
                kill: true,
                ..
            } if fire_unit == "Avenger section" => kills += 1,
            _ => {}
        }
    }
    assert!(planned > 0 && kills > 0, "planned {planned}, kills {kills}");
}

/// A gun engages one target at a time: a salvo of rounds a second apart is more than one gun
/// can take before they land, so the battery takes those the gun has no time for, while it
/// leaves every round of the spaced fire to the gun (above).
#[test]
fn the_upper_tier_takes_the_rounds_a_busy_gun_has_no_time_for() {
    let salvo = scenario(ALL, true, 12, "").replace("interval = \"10 s\"", "interval = \"1 s\"");
    let ev = events(&salvo);
    let battery = battery_engagements(&ev);
    let bursts = ev
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::GunBurst { threat: Some(t), .. } if t.starts_with("R1-")))
        .count();
    assert!(
        battery > 0 && bursts > 0,
        "battery {battery}, bursts {bursts}"
    );
    assert!(battery < 12, "the gun keeps some: battery {battery}");
}
