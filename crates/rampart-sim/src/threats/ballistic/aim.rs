//! Aiming one missile: the launch azimuth and cut-off time that put it on an aim point, for a
//! fixed commanded flight-path angle.

use super::{AimError, BallisticType, LaunchControls, NominalAim, fly_missile, impact_point};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Flight, FlightOptions};
use rampart_core::geodesy::{Geodetic, wrap_pi};

/// A solved launch: the controls, the flight they give and its miss from the aim point.
#[derive(Clone, Debug)]
pub struct AimSolution {
    /// The launch controls.
    pub controls: LaunchControls,
    /// The flight they produce.
    pub flight: Flight,
    /// Geodesic distance from the impact to the aim point, m.
    pub miss_m: f64,
    /// Flights flown to find it.
    pub flights: u32,
    /// Estimated sensitivity of ground range to cut-off time at the solution, m/s (0 if
    /// unknown): lets a nearby solve start with a Newton step.
    pub range_per_cutoff_m_s: f64,
    /// The impact as seen from the launch site: (azimuth, rad; geodesic distance, m).
    pub impact_seen: (f64, f64),
}

/// A warm start for [`solve`]: a nearby solution's controls and range sensitivity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WarmStart {
    /// Controls of a nearby solution.
    pub controls: LaunchControls,
    /// Its range sensitivity to cut-off time, m/s (0 if unknown).
    pub range_per_cutoff_m_s: f64,
    /// Its impact as seen from the launch site (azimuth, rad; distance, m), if known: a
    /// nearby aim point then starts from controls moved by the aim's offset.
    pub impact_seen: Option<(f64, f64)>,
    /// The Jacobian ∂(impact azimuth, impact distance)/∂(launch azimuth, cut-off time) at these
    /// controls, if known: a nearby aim point then starts from the Newton step, which for an
    /// aim error of tens of metres lands within centimetres, so one flight does.
    pub sensitivity: Option<[[f64; 2]; 2]>,
}

impl AimSolution {
    /// This solution as a warm start for nearby aim points.
    pub fn warm_start(&self) -> WarmStart {
        WarmStart {
            controls: self.controls,
            range_per_cutoff_m_s: self.range_per_cutoff_m_s,
            impact_seen: Some(self.impact_seen),
            sensitivity: None,
        }
    }
}

/// How close a launch solution must put the impact to its aim point, m: far below any CEP
/// worth modelling.
pub const AIM_TOLERANCE_M: f64 = 0.5;

/// Re-aims a raid member at `aim`, a point near the raid's own: the raid's commanded
/// flight-path angle, with the launch
/// azimuth and cut-off time solved from the raid's nominal solution ([`nominal_aim`]), flying
/// the full model each iteration, to `tolerance_m`.
///
/// [`nominal_aim`]: super::nominal_aim
pub fn solve(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    nominal: &NominalAim,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<AimSolution, AimError> {
    let steering = Steering {
        path_angle_rad: nominal.path_angle_rad,
        max_range_m: Some(nominal.max_range_m),
        shape: nominal.shape.name(),
    };
    solve_cutoff(
        earth,
        ty,
        site,
        aim,
        &steering,
        Some(&nominal.warm_start),
        tolerance_m,
        opts,
    )
}

/// Aims with a given commanded flight-path angle, from scratch: the launch azimuth and cut-off time that put the
/// missile on `aim`, to `tolerance_m`: what [`solve`] does from a raid's nominal solution, for
/// any angle.
pub fn solve_with_path_angle(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    path_angle_rad: f64,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<AimSolution, AimError> {
    let steering = Steering {
        path_angle_rad,
        max_range_m: None,
        shape: "fixed-angle",
    };
    solve_cutoff(earth, ty, site, aim, &steering, None, tolerance_m, opts)
}

/// A fixed commanded flight-path angle and what is known of its reach.
pub(super) struct Steering {
    /// The commanded flight-path angle, radians.
    pub path_angle_rad: f64,
    /// The full-burn range with this angle along the aim's azimuth, m, if known.
    pub max_range_m: Option<f64>,
    /// The shape's name, for errors.
    pub shape: &'static str,
}

/// Finds the launch azimuth and cut-off time that put a missile from `site`, steered as
/// `steering` says, on `aim`, to `tolerance_m`.
///
/// The azimuth is corrected by the azimuth error of each impact seen from the site; the cut-off
/// time by a safeguarded secant on the range error. `guess` warm-starts from a nearby solution
/// ([`AimSolution::warm_start`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn solve_cutoff(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    steering: &Steering,
    guess: Option<&WarmStart>,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<AimSolution, AimError> {
    let line = site.geodesic_to(aim);
    let target = line.distance_m;
    if let Some(max_range_m) = steering.max_range_m
        && target > max_range_m
    {
        return Err(AimError::OutOfRange {
            distance_km: target / 1e3,
            max_range_km: max_range_m / 1e3,
        });
    }
    let shortest = ty.shortest_cutoff_s();
    // g(c) = range(c) − target grows with the cut-off time c; g(burn time) ≥ 0.
    let (mut c_lo, mut c_hi) = (shortest, ty.burn_time_s);
    let mut g_lo: Option<f64> = None;
    let mut g_hi: Option<f64> = steering.max_range_m.map(|m| m - target);
    let (mut az, mut c) = match guess {
        // First-order move from the guess's impact to this aim point: turn by the azimuth
        // difference, burn longer or shorter by the range difference over dR/dc; with the
        // Jacobian, the full Newton step.
        Some(g) if let Some((d_az, d_c)) = super::newton_step(site, aim, g) => (
            g.controls.azimuth_rad + d_az,
            (g.controls.cutoff_s + d_c).clamp(c_lo, c_hi),
        ),
        Some(WarmStart {
            controls,
            range_per_cutoff_m_s: slope,
            impact_seen: Some((seen_az, seen_range)),
            ..
        }) if *slope > 0.0 => (
            controls.azimuth_rad + wrap_pi(line.azimuth1_rad - seen_az),
            (controls.cutoff_s + (target - seen_range) / slope).clamp(c_lo, c_hi),
        ),
        Some(g) => (
            g.controls.azimuth_rad,
            g.controls.cutoff_s.clamp(c_lo, c_hi),
        ),
        None => (
            line.azimuth1_rad,
            shortest
                + (ty.burn_time_s - shortest)
                    * steering.max_range_m.map_or(0.7, |m| (target / m).sqrt()),
        ),
    };
    let mut prev: Option<(f64, f64)> = None;
    let mut slope = guess.map_or(0.0, |g| g.range_per_cutoff_m_s);
    let mut best: Option<AimSolution> = None;
    let mut flights = 0;
    let mut full_burn_flown = false;
    for _ in 0..40 {
        let ctl = LaunchControls {
            azimuth_rad: az,
            path_angle_rad: steering.path_angle_rad,
            cutoff_s: c,
        };
        let flight = fly_missile(earth, ty, site, ctl, aim.alt_m, opts)?;
        flights += 1;
        let Some(p) = impact_point(&flight) else {
            // Never rose above the aim height: far too short. Burn longer.
            (c_lo, g_lo) = (c, Some(-target));
            prev = None;
            c = 0.5 * (c_lo + c_hi);
            continue;
        };
        let miss = p.geodesic_to(aim).distance_m;
        let seen = site.geodesic_to(&p);
        let g = seen.distance_m - target;
        if best.as_ref().is_none_or(|b| miss < b.miss_m) {
            best = Some(AimSolution {
                controls: ctl,
                flight,
                miss_m: miss,
                flights,
                range_per_cutoff_m_s: slope,
                impact_seen: (seen.azimuth1_rad, seen.distance_m),
            });
        }
        if miss <= tolerance_m {
            break;
        }
        if g > 0.0 && c <= shortest {
            return Err(AimError::TooClose {
                distance_km: target / 1e3,
                min_range_km: seen.distance_m / 1e3,
                shape: steering.shape,
            });
        }
        // The full burn falls short along this azimuth (the envelope's maximum was for the
        // nominal azimuth; rotation and J2 make range depend on it): out of range.
        if g < 0.0 && c >= ty.burn_time_s {
            return Err(AimError::OutOfRange {
                distance_km: target / 1e3,
                max_range_km: seen.distance_m / 1e3,
            });
        }
        // Steer by the impact's azimuth error, but only from flights of about the right range:
        // the Earth turns under a much longer or shorter flight by a different amount.
        if g.abs() < 0.05 * target {
            az += wrap_pi(line.azimuth1_rad - seen.azimuth1_rad);
        }
        if g < 0.0 {
            (c_lo, g_lo) = (c, Some(g));
        } else {
            (c_hi, g_hi) = (c, Some(g));
        }
        // The range also moves a little with the azimuth, so a bracket end measured at an
        // earlier azimuth can be stale; once the bracket has collapsed without converging,
        // reopen the side the root has escaped to.
        if c_hi - c_lo < 1e-9 * ty.burn_time_s {
            if g < 0.0 {
                (c_hi, g_hi) = (ty.burn_time_s, None);
            } else {
                (c_lo, g_lo) = (shortest, None);
            }
        }
        let regula_falsi = || match (g_lo, g_hi) {
            (Some(a), Some(b)) if b > a => c_lo - a * (c_hi - c_lo) / (b - a),
            _ => 0.5 * (c_lo + c_hi),
        };
        let mut next = match prev {
            Some((c0, g0)) if (g - g0).abs() > 1e-9 && c != c0 => {
                slope = (g - g0) / (c - c0);
                c - g / slope
            }
            None if slope > 0.0 => c - g / slope,
            _ => regula_falsi(),
        };
        if !(next.is_finite() && (c_lo..=c_hi).contains(&next)) {
            // Still too long with the shortest burn never tried (or too short with the full
            // burn never tried): try that end, to learn whether the aim point can be reached at
            // all; otherwise fall back on the bracket.
            next = if g > 0.0 && g_lo.is_none() {
                c_lo
            } else if g < 0.0 && !full_burn_flown && c_hi >= ty.burn_time_s {
                ty.burn_time_s
            } else {
                regula_falsi()
            };
        }
        full_burn_flown |= c >= ty.burn_time_s;
        prev = Some((c, g));
        c = next;
    }
    let best = best.ok_or(AimError::NoImpact)?;
    if best.miss_m <= tolerance_m {
        Ok(AimSolution {
            flights,
            range_per_cutoff_m_s: slope,
            ..best
        })
    } else {
        Err(AimError::NoConvergence {
            miss_m: best.miss_m,
        })
    }
}
