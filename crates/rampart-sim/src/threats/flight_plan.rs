//! What happens when a threat is launched: its aim point is perturbed by the raid's aim error,
//! its flight is computed through the full physics, and its reliability decides whether and
//! when it fails.

use crate::physics::earth::EarthModel;
use crate::physics::flight::FlightError;
use crate::physics::flight::{Apogee, FlightOptions};
use crate::physics::trajectory::Trajectory;
use crate::scenario::{Raid, Scenario, ThreatKind};
use crate::threats::airbreather::{RouteError, fly_route};
use crate::threats::ballistic::{
    self, AIM_TOLERANCE_M, AimError, FIRST_ORDER_RADIUS_M, NominalAim, newton_step,
};
use crate::threats::projectile::{self, LayError};
use rampart_core::random::RandomStreams;
use rampart_core::{Coordinate, Geodetic};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// A threat's planned flight, in seconds after its launch.
#[derive(Clone, Debug)]
pub struct FlightPlan {
    /// Dense trajectory to the ground.
    pub trajectory: Trajectory,
    /// Thrust cut-off (ballistic).
    pub burnout_s: Option<f64>,
    /// Highest point, if passed.
    pub apogee: Option<Apogee>,
    /// Start of the terminal dive (air-breathing).
    pub dive_s: Option<f64>,
    /// Ground crossing.
    pub impact_s: f64,
    /// When the threat breaks up, if it fails.
    pub failure_s: Option<f64>,
    /// The perturbed aim point the threat was sent to.
    pub aimed_at: Geodetic,
}

/// Why a threat's flight could not be planned.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// A ballistic launch solution failed.
    #[error(transparent)]
    Aim(#[from] AimError),
    /// A route could not be flown.
    #[error(transparent)]
    Route(#[from] RouteError),
    /// A projectile could not be laid.
    #[error(transparent)]
    Lay(#[from] LayError),
    /// A projectile's flight failed.
    #[error(transparent)]
    Flight(#[from] FlightError),
    /// The flight never reached the ground.
    #[error("the flight did not reach the ground")]
    NoImpact,
}

/// Draws the aim error: a circular normal offset whose CEP is `cep_m`.
///
/// For a circular normal distribution with standard deviation σ per axis the radial miss is
/// Rayleigh distributed and CEP = σ·√(2 ln 2) ≈ 1.1774 σ (e.g. Driels, *Weaponeering*, 2nd ed.,
/// §6.3). Returns the point `aim` displaced by (east, north) offsets.
pub fn perturbed_aim(
    aim: &Geodetic,
    cep_m: f64,
    streams: &RandomStreams,
    entity: &str,
) -> Geodetic {
    if cep_m <= 0.0 {
        return *aim;
    }
    let sigma = cep_m / (2.0 * std::f64::consts::LN_2).sqrt();
    let mut rng = streams.stream(entity, "aim_error");
    let e: f64 = StandardNormal.sample(&mut rng);
    let n: f64 = StandardNormal.sample(&mut rng);
    let (east, north) = (e * sigma, n * sigma);
    let d = east.hypot(north);
    if d == 0.0 {
        return *aim;
    }
    aim.destination(east.atan2(north), d)
}

/// Draws a projectile's impact errors along and across the line of fire: independent normals
/// of standard deviations `range_m` and `deflection_m`, m.
pub fn dispersion(
    range_m: f64,
    deflection_m: f64,
    streams: &RandomStreams,
    entity: &str,
) -> (f64, f64) {
    let mut rng = streams.stream(entity, "aim_error");
    let r: f64 = StandardNormal.sample(&mut rng);
    let d: f64 = StandardNormal.sample(&mut rng);
    (r * range_m, d * deflection_m)
}

/// A raid's nominal launch solution, when the scenario did not carry one, computed once and
/// reused to warm-start each member's own solution.
#[derive(Clone, Debug, Default)]
pub struct RaidCache {
    nominal: Option<NominalAim>,
}

/// Plans the flight of member `member` (0-based) of raid `raid_index`.
pub fn plan(
    scenario: &Scenario,
    raid_index: usize,
    member: u32,
    streams: &RandomStreams,
    cache: &mut RaidCache,
) -> Result<FlightPlan, PlanError> {
    let raid: &Raid = &scenario.raids[raid_index];
    let ty = &scenario.threat_types[raid.threat_type];
    let entity = threat_id(raid_index, member);
    let aimed_at = perturbed_aim(&raid.aim.point, raid.cep_m, streams, &entity);
    let earth = EarthModel::wgs84();
    let opts = FlightOptions::default();
    let mut plan = match &ty.kind {
        ThreatKind::Ballistic(bt) => {
            let nominal = match raid.ballistic_aim.clone().or_else(|| cache.nominal.clone()) {
                Some(n) => n,
                None => {
                    let n = ballistic::nominal_aim(
                        &earth,
                        bt,
                        &raid.launch_site,
                        &raid.aim.point,
                        raid.trajectory,
                        AIM_TOLERANCE_M,
                        &opts,
                    )?;
                    cache.nominal = Some(n.clone());
                    n
                }
            };
            let site = &raid.launch_site;
            // Near the raid's aim point, the member's flight to first order from the raid's
            // nominal flights (docs/models.md, "Aiming"); otherwise flown and aimed in full.
            let first_order = nominal.flights.as_ref().filter(|_| {
                aimed_at.alt_m == raid.aim.point.alt_m
                    && aimed_at.geodesic_to(&raid.aim.point).distance_m <= FIRST_ORDER_RADIUS_M
            });
            let linear = first_order
                .and_then(|f| {
                    let step = newton_step(site, &aimed_at, &nominal.warm_start)?;
                    f.member(
                        &earth,
                        bt,
                        &nominal.warm_start.controls,
                        aimed_at.alt_m,
                        step,
                    )
                })
                // As close to its aim point as a flown member, or flown after all.
                .filter(|(f, _)| {
                    ballistic::impact_point(f)
                        .is_some_and(|p| p.geodesic_to(&aimed_at).distance_m <= AIM_TOLERANCE_M)
                });
            let (flight, controls) = match linear {
                Some(fc) => fc,
                None => {
                    let solve = |aim: &Geodetic| {
                        ballistic::solve(&earth, bt, site, aim, &nominal, AIM_TOLERANCE_M, &opts)
                    };
                    // An aim error that puts the point beyond the missile's reach (or inside
                    // its shortest range) leaves it at the edge of its reach, along the same
                    // azimuth.
                    let edge = |km: f64, shrink: f64| {
                        site.destination(
                            site.geodesic_to(&aimed_at).azimuth1_rad,
                            km * 1e3 * shrink,
                        )
                    };
                    let sol = match solve(&aimed_at) {
                        Err(AimError::OutOfRange { max_range_km, .. }) => solve(&Geodetic {
                            alt_m: aimed_at.alt_m,
                            ..edge(max_range_km, 1.0 - 1e-4)
                        }),
                        Err(AimError::TooClose { min_range_km, .. }) => solve(&Geodetic {
                            alt_m: aimed_at.alt_m,
                            ..edge(min_range_km, 1.0 + 1e-4)
                        }),
                        r => r,
                    }?;
                    (sol.flight, sol.controls)
                }
            };
            let impact_s = flight.ground.ok_or(PlanError::NoImpact)?.t_s;
            FlightPlan {
                burnout_s: Some(controls.cutoff_s),
                apogee: flight.apogee,
                dive_s: None,
                impact_s,
                trajectory: flight.trajectory,
                failure_s: None,
                aimed_at,
            }
        }
        ThreatKind::Projectile(pt) => {
            let solution = match raid.fire_solution {
                Some(s) => s,
                None => projectile::lay(&earth, pt, &raid.launch_site, &raid.aim.point)?,
            };
            let (range_error, deflection_error) = dispersion(
                raid.range_error_m,
                raid.deflection_error_m,
                streams,
                &entity,
            );
            let laying = projectile::dispersed(&solution, range_error, deflection_error);
            let fly = |l| {
                projectile::fly_projectile(&earth, pt, &raid.launch_site, l, raid.aim.point.alt_m)
            };
            let mut flight = fly(laying)?;
            if flight.ground.is_none() {
                // An error so large that the round, laid that low, never climbs to the aim
                // point's height: it is flown as laid on the aim point (which the loader flew).
                flight = fly(solution.laying)?;
            }
            let impact_s = flight.ground.ok_or(PlanError::NoImpact)?.t_s;
            let aimed_at = raid
                .aim
                .point
                .destination(solution.laying.azimuth_rad, range_error);
            FlightPlan {
                burnout_s: pt.motor.map(|m| m.burn_time_s),
                apogee: flight.apogee,
                dive_s: None,
                impact_s,
                trajectory: flight.trajectory,
                failure_s: None,
                aimed_at: Geodetic {
                    alt_m: raid.aim.point.alt_m,
                    ..aimed_at.destination(
                        solution.laying.azimuth_rad + std::f64::consts::FRAC_PI_2,
                        deflection_error,
                    )
                },
            }
        }
        ThreatKind::AirBreathing(at) => {
            let rf = fly_route(at, &raid.launch_site, &raid.waypoints, &aimed_at)?;
            let impact_s = rf.flight.ground.ok_or(PlanError::NoImpact)?.t_s;
            FlightPlan {
                burnout_s: None,
                apogee: rf.flight.apogee,
                dive_s: Some(rf.dive_start_s),
                impact_s,
                trajectory: rf.flight.trajectory,
                failure_s: None,
                aimed_at,
            }
        }
    };
    // Reliability: a failed threat breaks up at a time uniform over its planned flight.
    let mut rng = streams.stream(&entity, "reliability");
    let works: f64 = rng.random();
    let when: f64 = rng.random();
    if works >= ty.reliability {
        plan.failure_s = Some(when * plan.impact_s);
    }
    Ok(plan)
}

/// The id of member `member` of raid `raid_index`: `R<raid>-<n>`, both counted from 1.
pub fn threat_id(raid_index: usize, member: u32) -> String {
    format!("R{}-{}", raid_index + 1, member + 1)
}

/// Geodetic position and speed of a trajectory at `t_s`, if inside it. Times within a
/// microsecond of either end (a milestone time rounded to the nanosecond) read the end.
pub fn geodetic_at(trajectory: &Trajectory, t_s: f64) -> Option<(Geodetic, f64)> {
    let (a, b) = (trajectory.start(), trajectory.end());
    let t = if (a - 1e-6..a).contains(&t_s) {
        a
    } else if (b..b + 1e-6).contains(&t_s) {
        b
    } else {
        t_s
    };
    trajectory
        .state_at(t)
        .map(|(r, v)| (Geodetic::from_ecef(&Coordinate::from_vector3(r)), v.norm()))
}

/// Highest height and speed over the trajectory up to `t_s` (sample points and `t_s` itself).
pub fn maxima_until(trajectory: &Trajectory, t_s: f64) -> (f64, f64) {
    let mut alt = f64::NEG_INFINITY;
    let mut speed: f64 = 0.0;
    for s in trajectory.samples().iter().take_while(|s| s.t <= t_s) {
        alt = alt.max(Geodetic::from_ecef(&Coordinate::from_vector3(s.r)).alt_m);
        speed = speed.max(s.v.norm());
    }
    if let Some((g, v)) = geodetic_at(trajectory, t_s) {
        alt = alt.max(g.alt_m);
        speed = speed.max(v);
    }
    (alt, speed)
}
