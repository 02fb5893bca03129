//! The parameters: what the scenario said, table by table, and what made the report.

use super::ReportInput;
use super::html::{degrees, duration, h3, length, num, position, table};
use super::summary::kind_words;
use rampart_sim::scenario::{Doctrine, Scenario, ThreatKind};
use rampart_sim::sensors::detection::Swerling;
use rampart_sim::weapons::endgame::Lethality;

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
    o
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
                Some(ThreatKind::Ballistic(_)) => r.trajectory.name().to_string(),
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
    let rows: Vec<Vec<String>> = sc
        .radars
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                position(&r.site),
                degrees(r.boresight_rad),
                degrees(r.azimuth_span_rad),
                format!(
                    "{} – {}",
                    degrees(r.elevation_min_rad),
                    degrees(r.elevation_max_rad)
                ),
                format!("{} – {}", length(r.range_min_m), length(r.range_max_m)),
                duration(r.revisit),
                format!(
                    "Pd {} on {} m² at {}",
                    num(r.sensitivity.pd, 2),
                    num(r.sensitivity.rcs_m2, 3),
                    length(r.sensitivity.range_m)
                ),
                format!("{:e}", r.pfa),
            ]
        })
        .collect();
    table(
        &[
            "Radar",
            "Site",
            "Boresight",
            "Azimuth span",
            "Elevation",
            "Range",
            "Revisit",
            "Sensitivity",
            "Pfa",
        ],
        &rows,
    )
}

fn interceptor_types(sc: &Scenario) -> String {
    let rows: Vec<Vec<String>> = sc
        .interceptor_types
        .iter()
        .map(|t| {
            let e = &t.envelope;
            let law = t.guidance.law.name().to_uppercase();
            let lethality = match t.lethality {
                Lethality::HitToKill { lethal_radius_m } => {
                    format!("hit-to-kill, lethal radius {}", length(lethal_radius_m))
                }
                Lethality::BlastFragmentation {
                    pk_max,
                    lethal_radius_m,
                } => format!(
                    "blast-fragmentation, Pk max {}, σ {}",
                    num(pk_max, 2),
                    length(lethal_radius_m)
                ),
            };
            vec![
                t.name.clone(),
                format!(
                    "altitude {} – {}, range {} – {}",
                    length(e.min_altitude_m),
                    length(e.max_altitude_m),
                    length(e.min_range_m),
                    length(e.max_range_m)
                ),
                format!(
                    "{law}, N′ {}, {} g",
                    num(t.guidance.params.nav_constant, 1),
                    num(t.guidance.params.max_accel_mps2 / G0, 0)
                ),
                length(t.seeker.acquisition_range_m),
                lethality,
                num(t.planning_pk, 2),
                num(t.reliability, 3),
                format!("{} s", num(t.max_flight_time_s, 0)),
            ]
        })
        .collect();
    table(
        &[
            "Interceptor type",
            "Envelope",
            "Guidance",
            "Seeker acquisition",
            "Lethality",
            "Planning Pk",
            "Reliability",
            "Longest flight",
        ],
        &rows,
    )
}

fn fire_units(sc: &Scenario) -> String {
    let rows: Vec<Vec<String>> = sc
        .fire_units
        .iter()
        .map(|u| {
            let doctrine = match u.doctrine {
                Doctrine::ShootShoot { salvo } => format!(
                    "shoot-shoot, salvo {salvo}, {} apart",
                    duration(u.salvo_interval)
                ),
                Doctrine::ShootLookShoot => "shoot-look-shoot".into(),
            };
            let launchers = u
                .launchers
                .iter()
                .map(|l| {
                    let ty = sc
                        .interceptor_types
                        .get(l.interceptor)
                        .map_or("—", |t| t.name.as_str());
                    format!(
                        "{} × {ty}, {} rounds + {} reloads each, at {}",
                        l.count,
                        l.rounds,
                        l.reloads,
                        position(&l.position)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let defends = u
                .defends
                .iter()
                .filter_map(|&k| sc.assets.get(k).map(|a| a.name.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                u.name.clone(),
                sc.radars
                    .get(u.radar)
                    .map_or("—".into(), |r| r.name.clone()),
                doctrine,
                u.channels.to_string(),
                launchers,
                defends,
            ]
        })
        .collect();
    if rows.is_empty() {
        return "<p>None: the scenario is undefended.</p>\n".into();
    }
    table(
        &[
            "Fire unit",
            "Radar",
            "Doctrine",
            "Channels",
            "Launchers",
            "Defends",
        ],
        &rows,
    )
}
