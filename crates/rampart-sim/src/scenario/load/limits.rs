//! The physical range of every quantity in the scenario format, in one table.
//!
//! Each key is checked twice: against the logical bound its reader asks for (greater than 0,
//! below `range_max`, …) and against the physical range here, which keeps every value a
//! scenario can hold inside what the models are built for, so that whatever validates runs to
//! its end in time proportional to the scenario. docs/scenario-format.md lists the same table
//! ("Physical ranges"); a test checks that the two agree.

use super::quantities::Bound;
use rampart_core::units::Dimension::{self, *};

const KM: f64 = 1e3;
const DEG: f64 = std::f64::consts::PI / 180.0;
const MIN: f64 = 60.0;
const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;
const G0: f64 = 9.806_65;

/// The longest scenario, s (30 days).
pub const MAX_DURATION_S: f64 = 30.0 * DAY;
/// The lowest and highest height of any position, m: the deepest ocean trench below the
/// ellipsoid, and the conventional edge of space (every site, aim point and waypoint of the
/// models is on or near the Earth).
pub const ALT_RANGE_M: (f64, f64) = (-11.0 * KM, 100.0 * KM);

/// (key, its physical range in SI units). A key absent here has only its logical bound.
pub const PHYSICAL: &[(&str, Option<Dimension>, Bound)] = &[
    ("duration", Some(Time), Bound::closed(0.0, MAX_DURATION_S)),
    (
        "alt",
        Some(Length),
        Bound::closed(ALT_RANGE_M.0, ALT_RANGE_M.1),
    ),
    // Assets.
    ("radius", Some(Length), Bound::closed(0.0, 1_000.0 * KM)),
    ("value", None, Bound::closed(0.0, 1e6)),
    // Prices, and what a unit of cost is worth in value.
    ("cost", None, Bound::closed(0.0, 1e12)),
    ("round_cost", None, Bound::closed(0.0, 1e12)),
    ("value_per_cost", None, Bound::closed(0.0, 1e6)),
    // Threat and interceptor types.
    ("rcs", Some(Area), Bound::closed(1e-6, 1e6)),
    ("launch_mass", Some(Mass), Bound::closed(0.0, 1e7)),
    ("propellant_mass", Some(Mass), Bound::closed(0.0, 1e7)),
    ("mass", Some(Mass), Bound::closed(0.0, 1e7)),
    ("burn_time", Some(Time), Bound::closed(0.1, 1_000.0)),
    ("isp", Some(Time), Bound::closed(1.0, 1_000.0)),
    ("diameter", Some(Length), Bound::closed(0.01, 20.0)),
    ("body_drag_coefficient", None, Bound::closed(0.01, 10.0)),
    ("drag_coefficient", None, Bound::closed(0.01, 10.0)),
    ("vertical_rise", Some(Time), Bound::closed(0.0, 10.0 * MIN)),
    (
        "ballistic_coefficient",
        Some(MassPerArea),
        Bound::closed(1.0, 1e6),
    ),
    ("speed", Some(Speed), Bound::closed(1.0, 10.0 * KM)),
    ("altitude", Some(Length), Bound::closed(0.0, 100.0 * KM)),
    ("max_range", Some(Length), Bound::closed(0.0, 20_000.0 * KM)),
    (
        "turn_rate",
        Some(AngularRate),
        Bound::closed(0.1 * DEG, 360.0 * DEG),
    ),
    (
        "max_acceleration",
        Some(Acceleration),
        Bound::closed(0.0, 1_000.0 * G0),
    ),
    (
        "min_altitude",
        Some(Length),
        Bound::closed(0.0, 2_000.0 * KM),
    ),
    (
        "max_altitude",
        Some(Length),
        Bound::closed(0.0, 2_000.0 * KM),
    ),
    ("min_range", Some(Length), Bound::closed(0.0, 20_000.0 * KM)),
    (
        "seeker_acquisition_range",
        Some(Length),
        Bound::closed(0.0, 1_000.0 * KM),
    ),
    ("seeker_noise", Some(Angle), Bound::closed(0.0, 10.0 * DEG)),
    ("lethal_radius", Some(Length), Bound::closed(0.0, 10.0 * KM)),
    // Raids.
    ("cep", Some(Length), Bound::closed(0.0, 100.0 * KM)),
    ("burnout_angle", Some(Angle), Bound::closed(0.0, 90.0 * DEG)),
    ("apogee", Some(Length), Bound::closed(0.0, 2_000.0 * KM)),
    ("interval", Some(Time), Bound::closed(0.0, MAX_DURATION_S)),
    // Radars.
    (
        "antenna_height",
        Some(Length),
        Bound::closed(0.0, 30.0 * KM),
    ),
    ("range_min", Some(Length), Bound::closed(0.0, 6_000.0 * KM)),
    ("range_max", Some(Length), Bound::closed(0.0, 6_000.0 * KM)),
    ("revisit", Some(Time), Bound::closed(1e-3, DAY)),
    ("track_revisit", Some(Time), Bound::closed(1e-3, DAY)),
    (
        "range_resolution",
        Some(Length),
        Bound::closed(0.01, 100.0 * KM),
    ),
    (
        "range_rate_resolution",
        Some(Speed),
        Bound::closed(0.001, 10.0 * KM),
    ),
    (
        "reference_range",
        Some(Length),
        Bound::closed(1.0, 100_000.0 * KM),
    ),
    ("reference_rcs", Some(Area), Bound::closed(1e-6, 1e6)),
    (
        "range_noise_floor",
        Some(Length),
        Bound::closed(0.0, 100.0 * KM),
    ),
    (
        "angle_noise_floor",
        Some(Angle),
        Bound::closed(0.0, 10.0 * DEG),
    ),
    (
        "range_rate_noise_floor",
        Some(Speed),
        Bound::closed(0.0, 10.0 * KM),
    ),
    ("monopulse_slope", None, Bound::closed(0.1, 10.0)),
    ("uptime", Some(Time), Bound::closed(0.0, 100_000.0 * HOUR)),
    ("range_gate", Some(Length), Bound::closed(0.0, 100.0 * KM)),
    // Fire units.
    ("salvo_interval", Some(Time), Bound::closed(0.0, HOUR)),
    (
        "reload_time",
        Some(Time),
        Bound::closed(0.0, MAX_DURATION_S),
    ),
    ("launch_delay", Some(Time), Bound::closed(0.0, HOUR)),
];

/// The physical range of `key`, if it has one.
pub fn physical(key: &str) -> Option<Bound> {
    PHYSICAL.iter().find(|(k, ..)| *k == key).map(|(.., b)| *b)
}

/// The most false alarms a radar may expect per scan (Pfa × resolution cells): a wide-area
/// search radar at Pfa 1e-6 expects tens.
pub const MAX_FALSE_ALARMS_PER_SCAN: f64 = 10_000.0;
/// The most search scans one radar may make in a run (duration / revisit).
pub const MAX_SCANS_PER_RADAR: f64 = 10_000_000.0;
/// The most threats a scenario may launch, all raids together.
pub const MAX_THREATS: u64 = 1_000_000;

/// The "Physical ranges" table of docs/scenario-format.md, made from [`PHYSICAL`].
#[cfg(test)]
fn markdown_table() -> String {
    let mut t = String::from("| Key | Physical range |\n|---|---|\n");
    for (key, dim, bound) in PHYSICAL {
        t += &format!(
            "| `{key}` | {} |\n",
            bound.describe(*dim).trim_start_matches("in ")
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_list_every_physical_range_as_the_loader_checks_it() {
        let docs = include_str!("../../../../../docs/scenario-format.md");
        let table = markdown_table();
        assert!(
            docs.contains(&table),
            "docs/scenario-format.md must hold this table under \"Physical ranges\":\n{table}"
        );
    }
}
