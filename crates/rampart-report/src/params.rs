//! The parameters: what the scenario said, table by table, and what made the report.

use super::ReportInput;
use super::html::{degrees, duration, h3, length, num, position, table};
use super::summary::kind_words;
use rampart_sim::scenario::keys::{
    FIRE_UNIT, INTERCEPTOR_TYPE, KeyDoc, KeyValue, LAUNCHERS, RADAR,
};
use rampart_sim::scenario::{Scenario, ThreatKind};
use rampart_sim::sensors::detection::Swerling;

/// Standard gravity, m/s² (for accelerations in g).
const G0: f64 = 9.806_65;

/// The body of the parameters section.
pub(super) fn section(input: &ReportInput) -> String {
    let sc = input.scenario;
    let mut o = run_table(input);
    let parts = [
        ("Assets", assets(sc)),
        ("Threat types", threat_types(sc)),
        ("Raids", raids(sc)),
        ("Radars", radars(sc)),
        ("Interceptor types", interceptor_types(sc)),
        ("Fire units", fire_units(sc)),
    ];
    for (title, body) in parts {
        o.push_str(&h3(title));
        o.push_str(&body);
    }
    if !sc.guns.is_empty() {
        o.push_str(&h3("Counter-RAM guns"));
        o.push_str(&guns(sc));
    }
    o
}

fn guns(sc: &Scenario) -> String {
    let rows: Vec<Vec<String>> = sc
        .guns
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                sc.radars
                    .get(g.radar)
                    .map_or("—".into(), |r| r.name.clone()),
                position(&g.position),
                format!(
                    "{} rounds/min, bursts of {}, {} m/s",
                    num(g.rate_of_fire * 60.0, 0),
                    g.burst_rounds,
                    num(g.muzzle_velocity_mps, 0)
                ),
                format!(
                    "{} mrad, aim {} mrad",
                    num(g.dispersion_rad * 1e3, 2),
                    num(g.aim_error_rad * 1e3, 2)
                ),
                length(g.max_range_m),
                g.magazine.to_string(),
                g.engages
                    .iter()
                    .map(|c| c.word())
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    table(
        &[
            "Gun",
            "Radar",
            "Position",
            "Fire",
            "Dispersion (1σ)",
            "Max range",
            "Magazine",
            "Engages",
        ],
        &rows,
    )
}

fn run_table(input: &ReportInput) -> String {
    let sc = input.scenario;
    let mut rows = vec![
        vec!["Scenario".into(), sc.name.clone()],
        vec!["Scenario file".into(), input.scenario_file.into()],
        vec!["Report of".into(), kind_words(input.kind).into()],
        vec!["Seed".into(), input.seed.to_string()],
    ];
    if let Some(s) = &input.sample {
        rows.push(vec!["Sample replication".into(), s.replication.to_string()]);
    }
    rows.extend([
        vec!["Epoch".into(), sc.epoch.clone()],
        vec!["Duration".into(), duration(sc.duration)],
    ]);
    if !sc.fire_units.is_empty() {
        rows.push(vec![
            "Weapon-target assignment".into(),
            format!("{} solver", sc.wta_solver.name()),
        ]);
    }
    rows.extend([
        vec!["Rampart version".into(), input.version.into()],
        vec!["Command".into(), input.command.into()],
    ]);
    table(&["Run", ""], &rows)
}

fn swerling(s: Swerling) -> &'static str {
    match s {
        Swerling::Zero => "0",
        Swerling::One => "1",
        Swerling::Three => "3",
    }
}

fn assets(sc: &Scenario) -> String {
    let rows: Vec<Vec<String>> = sc
        .assets
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                position(&a.position),
                length(a.position.alt_m),
                length(a.radius_m),
                num(a.value, 3),
            ]
        })
        .collect();
    table(
        &["Asset", "Position", "Height", "Hit radius", "Value"],
        &rows,
    )
}

fn threat_types(sc: &Scenario) -> String {
    let rows: Vec<Vec<String>> = sc
        .threat_types
        .iter()
        .map(|t| {
            let figures = match &t.kind {
                ThreatKind::Ballistic(b) => {
                    let rv = b.reentry_vehicle.map_or("no separating RV".into(), |rv| {
                        format!(
                            "RV {} kg, β {} kg/m²",
                            num(rv.mass_kg, 0),
                            num(rv.ballistic_coefficient_kg_m2, 0)
                        )
                    });
                    format!(
                        "{} kg at launch, {} kg propellant, burn {} s, Isp {} s, diameter {}; {rv}",
                        num(b.launch_mass_kg, 0),
                        num(b.propellant_mass_kg, 0),
                        num(b.burn_time_s, 1),
                        num(b.isp_s, 0),
                        length(b.diameter_m),
                    )
                }
                ThreatKind::AirBreathing(a) => format!(
                    "{} m/s at {}, range {}, dive {}",
                    num(a.speed_mps, 0),
                    length(a.cruise_alt_m),
                    length(a.max_range_m),
                    degrees(a.dive_angle_rad)
                ),
                ThreatKind::Projectile(p) => {
                    let motor = p.motor.map_or(String::new(), |m| {
                        format!(
                            ", motor {} kg burning {} s",
                            num(m.propellant_mass_kg, 1),
                            num(m.burn_time_s, 2)
                        )
                    });
                    format!(
                        "{} kg, calibre {}, {} m/s leaving the {}{motor}; {}-angle fire",
                        num(p.launch_mass_kg, 1),
                        length(p.diameter_m),
                        num(p.muzzle_velocity_mps, 0),
                        if p.motor.is_some() { "rail" } else { "tube" },
                        if p.high_angle { "high" } else { "low" },
                    )
                }
            };
            vec![
                t.name.clone(),
                t.kind.word().into(),
                num(t.reliability, 3),
                format!("{} m², Swerling {}", num(t.rcs_m2, 3), swerling(t.swerling)),
                figures,
            ]
        })
        .collect();
    table(
        &["Threat type", "Kind", "Reliability", "RCS", "Main figures"],
        &rows,
    )
}

fn raids(sc: &Scenario) -> String {
    let rows: Vec<Vec<String>> = sc
        .raids
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let ty = sc.threat_types.get(r.threat_type);
            let aim = match r.aim.asset.and_then(|k| sc.assets.get(k)) {
                Some(a) => a.name.clone(),
                None => position(&r.aim.point),
            };
            let route = match ty.map(|t| &t.kind) {
                Some(ThreatKind::Ballistic(_)) => r.trajectory.describe(),
                Some(ThreatKind::Projectile(_)) => format!(
                    "σ {} in range, {} in deflection",
                    length(r.range_error_m),
                    length(r.deflection_error_m)
                ),
                _ if r.waypoints.is_empty() => "direct".into(),
                _ => format!("{} waypoints", r.waypoints.len()),
            };
            vec![
                (i + 1).to_string(),
                ty.map_or("—".into(), |t| t.name.clone()),
                r.count.to_string(),
                position(&r.launch_site),
                aim,
                duration(r.first_launch),
                duration(r.interval),
                length(r.cep_m),
                route,
            ]
        })
        .collect();
    table(
        &[
            "Raid",
            "Threat type",
            "Count",
            "Launch site",
            "Aim",
            "First launch",
            "Interval",
            "CEP",
            "Trajectory / route",
        ],
        &rows,
    )
}

fn radars(sc: &Scenario) -> String {
    let columns: Vec<_> = sc.radars.iter().map(|r| (r.name.clone(), r)).collect();
    by_key(sc, RADAR, &columns)
}

fn interceptor_types(sc: &Scenario) -> String {
    let columns: Vec<_> = sc
        .interceptor_types
        .iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    by_key(sc, INTERCEPTOR_TYPE, &columns)
}

fn fire_units(sc: &Scenario) -> String {
    if sc.fire_units.is_empty() {
        return "<p>None: the scenario is undefended.</p>\n".into();
    }
    let units: Vec<_> = sc.fire_units.iter().map(|u| (u.name.clone(), u)).collect();
    let groups: Vec<_> = sc
        .fire_units
        .iter()
        .flat_map(|u| {
            u.launchers
                .iter()
                .enumerate()
                .map(move |(i, l)| (format!("{} group {}", u.name, i + 1), l))
        })
        .collect();
    let mut o = by_key(sc, FIRE_UNIT, &units);
    o.push_str(&h3("Launcher groups"));
    o.push_str(&by_key(sc, LAUNCHERS, &groups));
    o
}

/// A table of one component kind with a row per key of its spec (the keys the report lists)
/// and a column per instance (`columns`: its heading and its model): what the loader read,
/// defaults filled in.
fn by_key<T>(sc: &Scenario, spec: &[KeyDoc<T>], columns: &[(String, &T)]) -> String {
    let mut head = vec!["Key"];
    head.extend(columns.iter().map(|(name, _)| name.as_str()));
    let rows: Vec<Vec<String>> = spec
        .iter()
        // The name heads the column.
        .filter(|k| k.key != "name")
        .filter_map(|k| {
            let value = k.value?;
            let mut row = vec![k.key.to_string()];
            row.extend(columns.iter().map(|(_, item)| written(&value(sc, item))));
            Some(row)
        })
        .collect();
    table(&head, &rows)
}

/// A loaded value in the report's units.
fn written(v: &KeyValue) -> String {
    match v {
        KeyValue::Text(s) if s.is_empty() => "—".into(),
        KeyValue::Text(s) => s.clone(),
        KeyValue::Number(x) if *x != 0.0 && x.abs() < 1e-3 => format!("{x:e}"),
        KeyValue::Number(x) => num(*x, 4),
        KeyValue::Integer(n) => n.to_string(),
        KeyValue::Length(m) => length(*m),
        KeyValue::Angle(rad) if *rad != 0.0 && rad.abs() < 1f64.to_radians() => {
            format!("{} mrad", num(rad * 1e3, 3))
        }
        KeyValue::Angle(rad) => degrees(*rad),
        KeyValue::Seconds(s) => format!("{} s", num(*s, 2)),
        KeyValue::Duration(d) => duration(*d),
        KeyValue::Speed(v) => format!("{} m/s", num(*v, 2)),
        KeyValue::Mass(kg) => format!("{} kg", num(*kg, 2)),
        KeyValue::Area(a) => format!("{} m²", num(*a, 4)),
        KeyValue::Acceleration(a) => format!("{} g", num(a / G0, 1)),
        KeyValue::Position(g) => format!("{}, {}", position(g), length(g.alt_m)),
        KeyValue::Absent => "—".into(),
    }
}
