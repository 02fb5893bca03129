//! The commanded flight-path angle a trajectory shape flies: the range envelope, the
//! minimum-energy angle for a range, and the angle of a lofted or depressed flight to a given
//! burnout angle or apogee.

use super::aim::{Steering, solve_cutoff};
use super::linear::NominalFlights;
use super::{
    AimError, AimSolution, BallisticType, Burnout, LaunchControls, ShapeTarget, TargetKind,
    TrajectoryShape, WarmStart, fly_missile, impact_point,
};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Flight, FlightOptions};
use rampart_core::geodesy::{Geodetic, wrap_pi};
use rampart_core::search::golden_min;
use std::sync::Arc;

/// The smallest and largest commanded flight-path angles searched, radians.
const ANGLE_MIN: f64 = 5.0 * std::f64::consts::PI / 180.0;
const ANGLE_MAX: f64 = 89.0 * std::f64::consts::PI / 180.0;
/// The golden-section searches stop when the angle is known to this, radians (0.06°): the
/// 0.5 m aiming tolerance is worth a few J/kg of burnout energy, which resolves the
/// minimum-energy angle to about this and no better.
const ANGLE_TOLERANCE: f64 = 1e-3;

/// The greatest range of a type from a site along an azimuth, and the commanded flight-path
/// angle that gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeEnvelope {
    /// Ground (geodesic) range at full burn with the best angle, m.
    pub max_range_m: f64,
    /// The commanded flight-path angle that maximises range at full burn, radians.
    pub best_path_angle_rad: f64,
    /// The azimuth the envelope was computed for, radians.
    pub azimuth_rad: f64,
}

/// Ground range of a full-burn flight steered to `path_angle_rad` along `azimuth_rad`.
fn full_burn_range(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    azimuth_rad: f64,
    path_angle_rad: f64,
    ground_alt_m: f64,
    opts: &FlightOptions,
) -> Result<f64, AimError> {
    let ctl = LaunchControls {
        azimuth_rad,
        path_angle_rad,
        cutoff_s: ty.burn_time_s,
    };
    let f = fly_missile(earth, ty, site, ctl, ground_alt_m, opts)?;
    let p = impact_point(&f).ok_or(AimError::NoImpact)?;
    Ok(site.geodesic_to(&p).distance_m)
}

/// The maximum range along `azimuth_rad`: a golden-section search on the commanded
/// flight-path angle at full burn.
pub fn envelope(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    azimuth_rad: f64,
    ground_alt_m: f64,
    opts: &FlightOptions,
) -> Result<RangeEnvelope, AimError> {
    if ty.thrust_to_weight() <= 1.0 {
        return Err(AimError::CannotLiftOff(ty.thrust_to_weight()));
    }
    let (best_path_angle_rad, neg_range) =
        golden_min(ANGLE_MIN, ANGLE_MAX, ANGLE_TOLERANCE, |k| {
            full_burn_range(earth, ty, site, azimuth_rad, k, ground_alt_m, opts).map(|r| -r)
        })?;
    Ok(RangeEnvelope {
        max_range_m: -neg_range,
        best_path_angle_rad,
        azimuth_rad,
    })
}

/// One flight of a shape search: the solution for a commanded angle, and its burnout.
struct Probe {
    path_angle_rad: f64,
    solution: AimSolution,
    burnout: Burnout,
}

/// Solves the cut-off and azimuth for `path_angle_rad`, warm-starting from the last probe.
#[allow(clippy::too_many_arguments)]
fn probe(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    path_angle_rad: f64,
    shape: &'static str,
    last: Option<WarmStart>,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<Probe, AimError> {
    let steering = Steering {
        path_angle_rad,
        max_range_m: None,
        shape,
    };
    let solution = solve_cutoff(
        earth,
        ty,
        site,
        aim,
        &steering,
        last.as_ref(),
        tolerance_m,
        opts,
    )?;
    let burnout = Burnout::of(earth, &solution.flight, solution.controls.cutoff_s)
        .ok_or(AimError::NoImpact)?;
    Ok(Probe {
        path_angle_rad,
        solution,
        burnout,
    })
}

/// Whether an aiming failure means only that this commanded angle cannot reach the aim point
/// (so another may), not that the aim point or the missile is wrong.
fn unreachable_with_this_angle(e: &AimError) -> bool {
    matches!(e, AimError::OutOfRange { .. } | AimError::TooClose { .. })
}

/// Solves the launch for the raid's shape: the commanded flight-path angle the shape asks for,
/// and the azimuth and cut-off that put the missile on `aim` with it. Returns the solution and
/// its commanded angle.
#[allow(clippy::too_many_arguments)]
pub fn shape_solve(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    shape: TrajectoryShape,
    env: &RangeEnvelope,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<(AimSolution, f64), AimError> {
    let target = site.geodesic_to(aim).distance_m;
    if target > env.max_range_m {
        return Err(AimError::OutOfRange {
            distance_km: target / 1e3,
            max_range_km: env.max_range_m / 1e3,
        });
    }
    let me = minimum_energy(earth, ty, site, aim, env, tolerance_m, opts)?;
    let (asked_target, lofted) = match shape {
        TrajectoryShape::MinimumEnergy => return Ok((me.solution, me.path_angle_rad)),
        TrajectoryShape::Lofted(t) => (t, true),
        TrajectoryShape::Depressed(t) => (t, false),
    };
    let (target_kind, scale, asked, tol) = match asked_target {
        ShapeTarget::BurnoutAngle(g) => (
            TargetKind::BurnoutAngle,
            180.0 / std::f64::consts::PI,
            g,
            1e-4,
        ),
        ShapeTarget::Apogee(h) => (TargetKind::Apogee, 1e-3, h, 5.0),
    };
    let measure = |p: &Probe| -> f64 {
        match asked_target {
            ShapeTarget::BurnoutAngle(_) => p.burnout.flight_path_angle_rad,
            ShapeTarget::Apogee(_) => p.solution.flight.apogee.map_or(f64::NAN, |a| a.alt_m),
        }
    };
    let m_me = measure(&me);
    if !m_me.is_finite() {
        // No apogee on the minimum-energy flight (it never climbed above the aim point).
        return Err(AimError::NoImpact);
    }
    if !(if lofted { asked > m_me } else { asked < m_me }) {
        return Err(AimError::WrongSide {
            lofted,
            target: target_kind,
            asked: asked * scale,
            minimum_energy: m_me * scale,
        });
    }
    // The measure grows with the commanded angle: a lofted flight is commanded above the
    // minimum-energy one, a depressed flight below. Bisect (Illinois false position where
    // both ends are flown) between the minimum-energy angle and the search's end; an angle
    // that cannot reach the aim point counts as beyond the target.
    let far_end = if lofted { ANGLE_MAX } else { ANGLE_MIN };
    // Signed so that the near end (minimum energy) is negative.
    let sign = if lofted { 1.0 } else { -1.0 };
    let (mut near_k, mut near_g) = (me.path_angle_rad, sign * (m_me - asked));
    let mut near = me;
    let (mut far_k, mut far_g): (f64, Option<f64>) = (far_end, None);
    // Which end the last probe replaced: Illinois halves the other end's value when the same
    // end is replaced twice running.
    let mut replaced_near = None;
    for _ in 0..80 {
        let k = match far_g {
            Some(fg) => near_k - near_g * (far_k - near_k) / (fg - near_g),
            None => 0.5 * (near_k + far_k),
        };
        let last = Some(near.solution.warm_start());
        match probe(
            earth,
            ty,
            site,
            aim,
            k,
            shape.name(),
            last,
            tolerance_m,
            opts,
        ) {
            // A flight without an apogee cannot be shaped by one: beyond the target.
            Ok(p) if !measure(&p).is_finite() => {
                (far_k, far_g) = (k, None);
                replaced_near = None;
            }
            Ok(p) => {
                let g = sign * (measure(&p) - asked);
                if g.abs() <= tol {
                    return Ok((p.solution, p.path_angle_rad));
                }
                if g < 0.0 {
                    if replaced_near == Some(true) {
                        far_g = far_g.map(|f| 0.5 * f);
                    }
                    (near_k, near_g, near) = (k, g, p);
                    replaced_near = Some(true);
                } else {
                    if replaced_near == Some(false) {
                        near_g *= 0.5;
                    }
                    (far_k, far_g) = (k, Some(g));
                    replaced_near = Some(false);
                }
            }
            Err(e) if unreachable_with_this_angle(&e) => {
                (far_k, far_g) = (k, None);
                replaced_near = None;
            }
            Err(e) => return Err(e),
        }
        if (far_k - near_k).abs() < 1e-9 {
            break;
        }
    }
    Err(AimError::ShapeUnreachable {
        lofted,
        target: target_kind,
        asked: asked * scale,
        reachable: measure(&near) * scale,
    })
}

/// The minimum-energy flight to the aim point: a golden-section search on the commanded angle
/// for the least Earth-relative specific energy at burnout ([`Burnout::energy_j_kg`]) among
/// flights that reach it. Angles that cannot reach the aim point count as worse than any that
/// can, the more so the farther from the envelope's best angle, so the search closes on the
/// reachable interval around it.
fn minimum_energy(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    env: &RangeEnvelope,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<Probe, AimError> {
    // Too close for minimum energy: the shortest burn at the range-optimal angle already flies
    // past the aim point (only a steeper lob, or a flatter flight, lands shorter).
    let line = site.geodesic_to(aim);
    let shortest = LaunchControls {
        azimuth_rad: line.azimuth1_rad,
        path_angle_rad: env.best_path_angle_rad,
        cutoff_s: ty.shortest_cutoff_s(),
    };
    let f = fly_missile(earth, ty, site, shortest, aim.alt_m, opts)?;
    if let Some(p) = impact_point(&f) {
        let min_range_m = site.geodesic_to(&p).distance_m;
        if min_range_m >= line.distance_m {
            return Err(AimError::TooClose {
                distance_km: line.distance_m / 1e3,
                min_range_km: min_range_m / 1e3,
                shape: TrajectoryShape::MinimumEnergy.name(),
            });
        }
    }
    let mut best: Option<Probe> = None;
    let mut last: Option<WarmStart> = None;
    let mut first_error: Option<AimError> = None;
    // Above any energy a missile has (|U| < 7e7 J/kg), and scaled so that the distance to the
    // best angle still orders the penalties.
    const UNREACHABLE: f64 = 1e12;
    golden_min(ANGLE_MIN, ANGLE_MAX, ANGLE_TOLERANCE, |k| {
        match probe(
            earth,
            ty,
            site,
            aim,
            k,
            TrajectoryShape::MinimumEnergy.name(),
            last,
            tolerance_m,
            opts,
        ) {
            Ok(p) => {
                let e = p.burnout.energy_j_kg;
                last = Some(p.solution.warm_start());
                if best.as_ref().is_none_or(|b| e < b.burnout.energy_j_kg) {
                    best = Some(p);
                }
                Ok(e)
            }
            Err(e) if unreachable_with_this_angle(&e) => {
                first_error.get_or_insert(e);
                Ok(UNREACHABLE * (1.0 + (k - env.best_path_angle_rad).abs()))
            }
            Err(e) => Err(e),
        }
    })?;
    best.ok_or(first_error.unwrap_or(AimError::NoImpact))
}

/// Everything a raid's launches share: the range envelope along the launch-to-aim azimuth, the
/// shape and its commanded angle, the longest range with it, and the solution for the undisplaced
/// aim point, from which every member's own solution starts, with the flights that give each
/// member's flight to first order.
#[derive(Clone, Debug, PartialEq)]
pub struct NominalAim {
    /// Range envelope along the launch-to-aim azimuth.
    pub envelope: RangeEnvelope,
    /// The raid's trajectory shape.
    pub shape: TrajectoryShape,
    /// The commanded flight-path angle the shape flies to the undisplaced aim point, radians.
    pub path_angle_rad: f64,
    /// Full-burn range with that angle along the solved azimuth, m.
    pub max_range_m: f64,
    /// The solution for the undisplaced aim point.
    pub warm_start: WarmStart,
    /// The nominal flight and its neighbours ([`NominalFlights::member`]).
    pub flights: Option<Arc<NominalFlights>>,
}

/// Computes a raid's [`NominalAim`]: envelope, the shape's commanded angle, its reach and the
/// nominal
/// solution. Fails with [`AimError::OutOfRange`], [`AimError::TooClose`],
/// [`AimError::WrongSide`] or [`AimError::ShapeUnreachable`] when the aim point cannot be
/// reached with the shape.
pub fn nominal_aim(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    shape: TrajectoryShape,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<NominalAim, AimError> {
    let az = site.geodesic_to(aim).azimuth1_rad;
    let envelope = self::envelope(earth, ty, site, az, aim.alt_m, opts)?;
    let (sol, path_angle_rad) =
        shape_solve(earth, ty, site, aim, shape, &envelope, tolerance_m, opts)?;
    let max_range_m = full_burn_range(
        earth,
        ty,
        site,
        sol.controls.azimuth_rad,
        path_angle_rad,
        aim.alt_m,
        opts,
    )?;
    // The impact's sensitivity to the launch azimuth and cut-off time, by forward differences
    // over steps big enough to rise above the integrator's noise (tens of metres at the
    // impact) and small enough that the curvature is centimetres.
    let (d_az, d_c) = (1e-4, 1e-3);
    let fly = |ctl: LaunchControls| -> Result<(Flight, (f64, f64)), AimError> {
        let f = fly_missile(earth, ty, site, ctl, aim.alt_m, opts)?;
        let p = impact_point(&f).ok_or(AimError::NoImpact)?;
        let l = site.geodesic_to(&p);
        Ok((f, (l.azimuth1_rad, l.distance_m)))
    };
    let c0 = sol.controls;
    let (az0, r0) = sol.impact_seen;
    let (turned_flight, turned) = fly(LaunchControls {
        azimuth_rad: c0.azimuth_rad + d_az,
        ..c0
    })?;
    let (shorter_flight, shorter) = fly(LaunchControls {
        cutoff_s: c0.cutoff_s - d_c,
        ..c0
    })?;
    let sensitivity = [
        [
            wrap_pi(turned.0 - az0) / d_az,
            wrap_pi(az0 - shorter.0) / d_c,
        ],
        [(turned.1 - r0) / d_az, (r0 - shorter.1) / d_c],
    ];
    let warm_start = WarmStart {
        sensitivity: Some(sensitivity),
        ..sol.warm_start()
    };
    let flights = NominalFlights::new(
        sol.flight,
        c0.cutoff_s,
        (&turned_flight, d_az),
        (&shorter_flight, -d_c),
    );
    Ok(NominalAim {
        envelope,
        shape,
        path_angle_rad,
        max_range_m,
        warm_start,
        flights: flights.map(Arc::new),
    })
}
