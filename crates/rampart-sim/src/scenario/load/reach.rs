//! The reachability check, the loader's last and most expensive pass: each ballistic raid's
//! aim point must lie within its type's range envelope (flown through the full physics), and
//! each air-breathing raid's route within its type's maximum range, and each projectile raid's
//! aim point within its type's reach (the laying is kept for the run).

use super::{Ctx, Result};
use crate::physics::earth::EarthModel;
use crate::physics::flight::FlightOptions;
use crate::scenario::model::{Scenario, ThreatKind};
use crate::threats::airbreather;
use crate::threats::ballistic::{self, AIM_TOLERANCE_M, AimError, NominalAim};
use crate::threats::projectile::{self, LayError};
use rampart_core::Geodetic;
use serde_spanned::Spanned;
use std::collections::HashMap;
use std::ops::Range;

impl Ctx<'_> {
    /// The reachability check, last: each raid's aim point must be within its threat type's
    /// range. Stores each ballistic raid's envelope. Envelopes are cached by (threat type,
    /// launch site, aim point).
    pub(super) fn check_reach(
        &self,
        sc: &mut Scenario,
        aim_spans: &[Range<usize>],
        type_spans: &[Range<usize>],
    ) -> Result<()> {
        let earth = EarthModel::wgs84();
        let opts = FlightOptions::default();
        let mut nominals: HashMap<(ReachKey, String), NominalAim> = HashMap::new();
        let types = &sc.threat_types;
        for (raid, aim_span) in sc.raids.iter_mut().zip(aim_spans) {
            let ty = &types[raid.threat_type];
            let (site, aim) = (raid.launch_site, raid.aim.point);
            let distance = site.geodesic_to(&aim).distance_m;
            let aim_error = |e: AimError| {
                match e {
                AimError::CannotLiftOff(tw) => {
                    let name = Spanned::new(type_spans[raid.threat_type].clone(), ty.name.clone());
                    self.cannot_lift_off(&name, tw)
                }
                AimError::OutOfRange { max_range_km, .. } => self
                    .error(
                        aim_span.clone(),
                        format!(
                            "aim point is {:.1} km from the launch site, beyond {}'s maximum range of {max_range_km:.1} km for a {} trajectory",
                            distance / 1e3,
                            ty.name,
                            raid.trajectory.describe()
                        ),
                    )
                    .with_label("out of range")
                    .with_help("move the launch site closer, or aim at something nearer"),
                AimError::TooClose { min_range_km, .. } => self
                    .error(
                        aim_span.clone(),
                        format!(
                            "aim point is {:.1} km from the launch site, closer than {}'s shortest {} range of {min_range_km:.1} km",
                            distance / 1e3,
                            ty.name,
                            raid.trajectory.name()
                        ),
                    )
                    .with_label("too close")
                    .with_help("move the launch site farther away, or aim at something farther"),
                AimError::WrongSide { .. } | AimError::ShapeUnreachable { .. } => self
                    .error(aim_span.clone(), format!("cannot fly {} to this aim point: {e}", ty.name))
                    .with_label(format!("{} unreachable", raid.trajectory.describe()))
                    .with_help("choose a burnout angle or apogee nearer the minimum-energy flight's, or another aim point"),
                e => self.error(
                    aim_span.clone(),
                    format!("cannot aim {} from this launch site at this point: {e}", ty.name),
                ),
            }
            };
            match &ty.kind {
                ThreatKind::Ballistic(b) => {
                    let key = (
                        ReachKey::new(raid.threat_type, &site, &aim),
                        // Debug prints an f64 target exactly: equal keys, equal shapes.
                        format!("{:?}", raid.trajectory),
                    );
                    let nominal = match nominals.get(&key) {
                        Some(n) => n.clone(),
                        None => {
                            let n = ballistic::nominal_aim(
                                &earth,
                                b,
                                &site,
                                &aim,
                                raid.trajectory,
                                AIM_TOLERANCE_M,
                                &opts,
                            )
                            .map_err(aim_error)?;
                            nominals.entry(key).or_insert(n).clone()
                        }
                    };
                    raid.ballistic_aim = Some(nominal);
                }
                ThreatKind::AirBreathing(a) => {
                    let length = airbreather::route_length_m(&site, &raid.waypoints, &aim);
                    if length > a.max_range_m {
                        let via = match raid.waypoints.len() {
                            0 => String::new(),
                            1 => " through 1 waypoint".to_string(),
                            n => format!(" through {n} waypoints"),
                        };
                        return Err(self
                            .error(
                                aim_span.clone(),
                                format!(
                                    "the route from the launch site{via} to the aim point is {:.1} km long, beyond {}'s maximum range of {:.1} km",
                                    length / 1e3,
                                    ty.name,
                                    a.max_range_m / 1e3
                                ),
                            )
                            .with_label("out of range")
                            .with_help("move the launch site closer, shorten the route, or aim at something nearer"));
                    }
                    if aim.alt_m >= a.cruise_alt_m {
                        return Err(self
                            .error(
                                aim_span.clone(),
                                format!(
                                    "the aim point is {:.0} m high, not below {}'s cruise altitude of {:.0} m: it cannot dive onto it",
                                    aim.alt_m, ty.name, a.cruise_alt_m
                                ),
                            )
                            .with_label("at or above the cruise altitude"));
                    }
                    // Fly the undisplaced route once: whatever else the flight model refuses
                    // (a route over a pole, say) is reported now, not halfway through a run.
                    airbreather::fly_route(a, &site, &raid.waypoints, &aim).map_err(|e| {
                        self.error(
                            aim_span.clone(),
                            format!("cannot fly {} on this route: {e}", ty.name),
                        )
                    })?;
                }
                ThreatKind::Projectile(p) => {
                    let solution = projectile::lay(&earth, p, &site, &aim).map_err(|e| {
                        let err = self.error(
                            aim_span.clone(),
                            format!("cannot lay {} on this aim point: {e}", ty.name),
                        );
                        match e {
                            LayError::OutOfRange { .. } => {
                                err.with_label("out of range").with_help(
                                    "move the firing site closer, or aim at something nearer",
                                )
                            }
                            LayError::TooClose { .. } => err.with_label("too close").with_help(
                                "move the firing site farther away, or change `angle_of_fire`",
                            ),
                            LayError::Flight(_) => err,
                        }
                    })?;
                    raid.fire_solution = Some(solution);
                }
            }
        }
        Ok(())
    }
}

/// The cache key of a range envelope: the threat type and the exact launch site and aim point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ReachKey(usize, [u64; 6]);

impl ReachKey {
    fn new(ty: usize, site: &Geodetic, aim: &Geodetic) -> Self {
        let bits = [
            site.lat_rad,
            site.lon_rad,
            site.alt_m,
            aim.lat_rad,
            aim.lon_rad,
            aim.alt_m,
        ]
        .map(f64::to_bits);
        ReachKey(ty, bits)
    }
}
