//! Ballistic missiles: boost on a pitch program, coast, and re-entry with Mach-dependent drag,
//! aimed through the full physics.
//!
//! **Boost.** Constant vacuum thrust `T = ṁ·Isp·g₀` with `ṁ = propellant / burn time` (nozzle
//! back-pressure losses are ignored). The missile rises vertically for `vertical_rise_s`, then the
//! thrust pitches over linearly in time, in the vertical plane of the launch azimuth of the launch
//! site's ENU frame, from 90° to a final pitch angle reached at thrust cut-off. The body drags
//! with its own drag coefficient and diameter and its mass falls as propellant burns.
//!
//! **Coast and re-entry.** After cut-off a separating re-entry vehicle (RV) flies on with its own
//! ballistic coefficient; without one the spent body re-enters. Drag follows the type's
//! [`DragProfile`] in Mach number.
//!
//! **Range control** depends on the trajectory shape ([`TrajectoryShape`]):
//! * *minimum energy*: the final pitch is the one that maximises range at full burn, and range is
//!   set by thrust termination (cut-off time) with the pitch program scaled to end at cut-off, so
//!   every range is flown at near the optimal flight-path angle with the least energy. (Liquid
//!   engines cut off; solid motors achieve the same by energy-management manoeuvres, which this
//!   model does not distinguish.)
//! * *lofted* / *depressed*: the same thrust-termination range control with a final pitch 15°
//!   above / 10° below the optimum: a higher, steeper or a lower, faster flight. Their longest
//!   range is therefore somewhat shorter than the minimum-energy maximum.
//!
//! [`solve`] finds the launch azimuth and control that put the ground crossing on an aim point,
//! flying the complete model (rotation, J2, drag) at every iteration.

use crate::physics::atmosphere::{Air, G0};
use crate::physics::drag::{DragProfile, drag_acceleration};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Flight, FlightError, FlightOptions, State, Vehicle, fly};
use nalgebra::Vector3;
use rampart_core::frames::Coordinate;
use rampart_core::geodesy::{Geodetic, wrap_pi};
use std::f64::consts::{FRAC_PI_2, PI};

/// The physical description of a ballistic missile type (SI units).
#[derive(Clone, Debug, PartialEq)]
pub struct BallisticType {
    /// Mass at lift-off, kg.
    pub launch_mass_kg: f64,
    /// Propellant burned over the full burn, kg.
    pub propellant_mass_kg: f64,
    /// Duration of the full burn, s.
    pub burn_time_s: f64,
    /// Specific impulse (vacuum), s.
    pub isp_s: f64,
    /// Body diameter (drag reference area `π d²/4`), m.
    pub diameter_m: f64,
    /// Body drag coefficient at the profile's reference.
    pub body_drag_coefficient: f64,
    /// Separating re-entry vehicle, if any.
    pub reentry_vehicle: Option<ReentryVehicle>,
    /// Vertical rise before pitch-over, s.
    pub vertical_rise_s: f64,
    /// `C_D(M)/C_D,ref` of body and RV.
    pub drag_profile: DragProfile,
}

/// A re-entry vehicle that separates at thrust cut-off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReentryVehicle {
    /// Mass, kg.
    pub mass_kg: f64,
    /// Reference ballistic coefficient `m / (C_D,ref · A)`, kg/m².
    pub ballistic_coefficient_kg_m2: f64,
}

impl BallisticType {
    /// Propellant mass flow, kg/s.
    pub fn mass_flow_kg_s(&self) -> f64 {
        self.propellant_mass_kg / self.burn_time_s
    }
    /// Thrust, N.
    pub fn thrust_n(&self) -> f64 {
        self.mass_flow_kg_s() * self.isp_s * G0
    }
    /// Thrust-to-weight ratio at lift-off.
    pub fn thrust_to_weight(&self) -> f64 {
        self.thrust_n() / (self.launch_mass_kg * G0)
    }
    /// Drag reference area of the body, m².
    pub fn body_area_m2(&self) -> f64 {
        0.25 * PI * self.diameter_m * self.diameter_m
    }
}

/// How a given range is flown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrajectoryShape {
    /// Near the optimal flight-path angle, range set by thrust termination.
    #[default]
    MinimumEnergy,
    /// Final pitch 15° above the optimum, range by cut-off: higher apogee, steeper re-entry,
    /// longer flight.
    Lofted,
    /// Final pitch 10° below the optimum, range by cut-off: lower apogee, shorter flight.
    Depressed,
}

/// What the launcher and flight computer set before launch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaunchControls {
    /// Launch azimuth, radians clockwise from north.
    pub azimuth_rad: f64,
    /// Thrust pitch above the launch site's horizontal plane at cut-off, radians.
    pub pitch_final_rad: f64,
    /// Thrust cut-off time after lift-off, s (at most the burn time).
    pub cutoff_s: f64,
}

struct BoostVehicle<'a> {
    ty: &'a BallisticType,
    ctl: LaunchControls,
    east: Vector3<f64>,
    north: Vector3<f64>,
    up: Vector3<f64>,
    ends: [f64; 2],
    coast_beta: f64,
}

impl<'a> BoostVehicle<'a> {
    fn new(ty: &'a BallisticType, site: &Geodetic, ctl: LaunchControls) -> Self {
        let f = site.local_frame();
        let cutoff = ctl.cutoff_s.min(ty.burn_time_s);
        let rise = ty.vertical_rise_s.min(0.5 * cutoff);
        let coast_beta = match ty.reentry_vehicle {
            Some(rv) => rv.ballistic_coefficient_kg_m2,
            None => {
                let m = ty.launch_mass_kg - ty.mass_flow_kg_s() * cutoff;
                m / (ty.body_drag_coefficient * ty.body_area_m2())
            }
        };
        Self {
            ty,
            ctl: LaunchControls {
                cutoff_s: cutoff,
                ..ctl
            },
            east: *f.east().as_vector3(),
            north: *f.north().as_vector3(),
            up: *f.up().as_vector3(),
            ends: [rise, cutoff],
            coast_beta,
        }
    }
}

impl Vehicle for BoostVehicle<'_> {
    fn segment_ends(&self) -> &[f64] {
        &self.ends
    }

    fn specific_force(
        &self,
        segment: usize,
        t: f64,
        _r: &Vector3<f64>,
        v: &Vector3<f64>,
        air: Option<&Air>,
    ) -> Vector3<f64> {
        let drag = |beta: f64| match air {
            Some(a) => drag_acceleration(
                v,
                a.density_kg_m3,
                a.speed_of_sound_mps,
                beta,
                &self.ty.drag_profile,
            ),
            None => Vector3::zeros(),
        };
        if segment >= 2 {
            return drag(self.coast_beta);
        }
        let ty = self.ty;
        let m = ty.launch_mass_kg - ty.mass_flow_kg_s() * t;
        let pitch = if segment == 0 {
            FRAC_PI_2
        } else {
            let [rise, cut] = self.ends;
            FRAC_PI_2 + (self.ctl.pitch_final_rad - FRAC_PI_2) * ((t - rise) / (cut - rise))
        };
        let (sa, ca) = self.ctl.azimuth_rad.sin_cos();
        let (sp, cp) = pitch.sin_cos();
        let dir = (self.east * sa + self.north * ca) * cp + self.up * sp;
        dir * (ty.thrust_n() / m) + drag(m / (ty.body_drag_coefficient * ty.body_area_m2()))
    }
}

/// Flies one missile from `site` with `controls` until it descends through `ground_alt_m`.
pub fn fly_missile(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    controls: LaunchControls,
    ground_alt_m: f64,
    opts: &FlightOptions,
) -> Result<Flight, FlightError> {
    let vehicle = BoostVehicle::new(ty, site, controls);
    let r0 = site.to_ecef();
    let y0 = State::new(r0.x(), r0.y(), r0.z(), 0.0, 0.0, 0.0);
    fly(
        earth,
        &vehicle,
        y0,
        &FlightOptions {
            ground_alt_m,
            ..*opts
        },
    )
}

/// The geodetic point where a flight met the ground, if it did.
pub fn impact_point(flight: &Flight) -> Option<Geodetic> {
    flight
        .ground
        .map(|g| Geodetic::from_ecef(&Coordinate::from_vector3(g.position)))
}

/// The greatest range of a type from a site along an azimuth, and the final pitch that gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeEnvelope {
    /// Ground (geodesic) range at full burn and optimal pitch, m.
    pub max_range_m: f64,
    /// The final pitch that maximises range, radians.
    pub best_pitch_rad: f64,
    /// The azimuth the envelope was computed for, radians.
    pub azimuth_rad: f64,
}

/// Why a launch could not be solved.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum AimError {
    /// The aim point is beyond the type's maximum range from the site.
    #[error(
        "the aim point is {distance_km:.1} km away, beyond the maximum range of {max_range_km:.1} km"
    )]
    OutOfRange {
        /// Distance to the aim point, km.
        distance_km: f64,
        /// Maximum range, km.
        max_range_km: f64,
    },
    /// The aim point is closer than the shape can fly.
    #[error(
        "the aim point is {distance_km:.1} km away, closer than the shortest {shape} range of {min_range_km:.1} km"
    )]
    TooClose {
        /// Distance to the aim point, km.
        distance_km: f64,
        /// Shortest achievable range, km.
        min_range_km: f64,
        /// The shape asked for.
        shape: &'static str,
    },
    /// The missile cannot lift off.
    #[error("thrust-to-weight ratio {0:.2} at lift-off is below 1: the missile cannot lift off")]
    CannotLiftOff(f64),
    /// A flight never came down.
    #[error("the missile did not come down within the flight time limit")]
    NoImpact,
    /// The iteration did not converge.
    #[error("aiming did not converge (closest miss {miss_m:.1} m)")]
    NoConvergence {
        /// Best miss distance reached, m.
        miss_m: f64,
    },
    /// The integrator failed.
    #[error(transparent)]
    Flight(#[from] FlightError),
}

const MIN_PITCH: f64 = 8.0 * PI / 180.0;
const MAX_PITCH: f64 = 88.0 * PI / 180.0;

/// Ground range of a full-burn flight with final pitch `pitch` along `azimuth`.
fn full_burn_range(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    azimuth_rad: f64,
    pitch: f64,
    ground_alt_m: f64,
    opts: &FlightOptions,
) -> Result<f64, AimError> {
    let ctl = LaunchControls {
        azimuth_rad,
        pitch_final_rad: pitch,
        cutoff_s: ty.burn_time_s,
    };
    let f = fly_missile(earth, ty, site, ctl, ground_alt_m, opts)?;
    let p = impact_point(&f).ok_or(AimError::NoImpact)?;
    Ok(site.geodesic_to(&p).distance_m)
}

/// The maximum range along `azimuth_rad` (golden-section search on the final pitch to 0.01°).
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
    let phi = (5f64.sqrt() - 1.0) / 2.0;
    let range = |p: f64| full_burn_range(earth, ty, site, azimuth_rad, p, ground_alt_m, opts);
    let (mut a, mut b) = (15f64.to_radians(), 75f64.to_radians());
    let mut c = b - phi * (b - a);
    let mut d = a + phi * (b - a);
    let (mut fc, mut fd) = (range(c)?, range(d)?);
    while b - a > 1e-4 {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - phi * (b - a);
            fc = range(c)?;
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + phi * (b - a);
            fd = range(d)?;
        }
    }
    let (best_pitch_rad, max_range_m) = if fc > fd { (c, fc) } else { (d, fd) };
    Ok(RangeEnvelope {
        max_range_m,
        best_pitch_rad,
        azimuth_rad,
    })
}

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
}

impl AimSolution {
    /// This solution as a warm start for nearby aim points.
    pub fn warm_start(&self) -> WarmStart {
        WarmStart {
            controls: self.controls,
            range_per_cutoff_m_s: self.range_per_cutoff_m_s,
            impact_seen: Some(self.impact_seen),
        }
    }
}

/// How close a launch solution must put the impact to its aim point, m: far below any CEP
/// worth modelling.
pub const AIM_TOLERANCE_M: f64 = 0.5;

/// Final pitch above (lofted) or below (depressed) the range-optimal one.
pub const LOFT_OFFSET_RAD: f64 = 15.0 * PI / 180.0;
/// See [`LOFT_OFFSET_RAD`].
pub const DEPRESS_OFFSET_RAD: f64 = 10.0 * PI / 180.0;

impl TrajectoryShape {
    /// The final pitch this shape flies, given the range-optimal one.
    pub fn final_pitch(self, best_pitch_rad: f64) -> f64 {
        match self {
            TrajectoryShape::MinimumEnergy => best_pitch_rad,
            TrajectoryShape::Lofted => (best_pitch_rad + LOFT_OFFSET_RAD).min(MAX_PITCH),
            TrajectoryShape::Depressed => (best_pitch_rad - DEPRESS_OFFSET_RAD).max(MIN_PITCH),
        }
    }
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            TrajectoryShape::MinimumEnergy => "minimum-energy",
            TrajectoryShape::Lofted => "lofted",
            TrajectoryShape::Depressed => "depressed",
        }
    }
}

/// The longest range a shape can fly along the envelope's azimuth: the envelope's maximum for
/// minimum energy, one full-burn flight at the shape's pitch otherwise.
pub fn shape_max_range(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    shape: TrajectoryShape,
    env: &RangeEnvelope,
    ground_alt_m: f64,
    opts: &FlightOptions,
) -> Result<f64, AimError> {
    match shape {
        TrajectoryShape::MinimumEnergy => Ok(env.max_range_m),
        _ => full_burn_range(
            earth,
            ty,
            site,
            env.azimuth_rad,
            shape.final_pitch(env.best_pitch_rad),
            ground_alt_m,
            opts,
        ),
    }
}

/// Finds the controls that put a missile from `site` on `aim` with the given shape, flying the
/// full model each iteration, to `tolerance_m`.
///
/// The final pitch is fixed by the shape ([`TrajectoryShape::final_pitch`]); the unknowns are
/// the launch azimuth (corrected by the azimuth error of each impact seen from the site) and the
/// cut-off time (a safeguarded secant on the range error). `max_range_m` is the shape's longest
/// range ([`shape_max_range`]); `guess` warm-starts from a nearby solution
/// ([`AimSolution::warm_start`]).
#[allow(clippy::too_many_arguments)]
pub fn solve(
    earth: &EarthModel,
    ty: &BallisticType,
    site: &Geodetic,
    aim: &Geodetic,
    shape: TrajectoryShape,
    env: &RangeEnvelope,
    max_range_m: f64,
    guess: Option<&WarmStart>,
    tolerance_m: f64,
    opts: &FlightOptions,
) -> Result<AimSolution, AimError> {
    let line = site.geodesic_to(aim);
    let target = line.distance_m;
    if target > max_range_m {
        return Err(AimError::OutOfRange {
            distance_km: target / 1e3,
            max_range_km: max_range_m / 1e3,
        });
    }
    let pitch = shape.final_pitch(env.best_pitch_rad);
    let shortest = (2.0 * ty.vertical_rise_s).max(1.0).min(ty.burn_time_s);
    // g(c) = range(c) − target grows with the cut-off time c; g(burn time) ≥ 0.
    let (mut c_lo, mut c_hi) = (shortest, ty.burn_time_s);
    let mut g_lo: Option<f64> = None;
    let mut g_hi: Option<f64> = Some(max_range_m - target);
    let (mut az, mut c) = match guess {
        // First-order move from the guess's impact to this aim point: turn by the azimuth
        // difference, burn longer or shorter by the range difference over dR/dc.
        Some(WarmStart {
            controls,
            range_per_cutoff_m_s: slope,
            impact_seen: Some((seen_az, seen_range)),
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
            shortest + (ty.burn_time_s - shortest) * (target / max_range_m).sqrt(),
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
            pitch_final_rad: pitch,
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
                shape: shape.name(),
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

/// Everything a raid's launches share: the range envelope along the launch-to-aim azimuth, the
/// chosen shape's longest range, and the solution for the undisplaced aim point, from which
/// every member's own solution starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NominalAim {
    /// Range envelope along the launch-to-aim azimuth.
    pub envelope: RangeEnvelope,
    /// Longest range of the raid's trajectory shape, m.
    pub max_range_m: f64,
    /// The solution for the undisplaced aim point.
    pub warm_start: WarmStart,
}

/// Computes a raid's [`NominalAim`]: envelope, shape maximum and the nominal solution. Fails
/// with [`AimError::OutOfRange`] or [`AimError::TooClose`] when the aim point cannot be reached.
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
    let max_range_m = shape_max_range(earth, ty, site, shape, &envelope, aim.alt_m, opts)?;
    let sol = solve(
        earth,
        ty,
        site,
        aim,
        shape,
        &envelope,
        max_range_m,
        None,
        tolerance_m,
        opts,
    )?;
    Ok(NominalAim {
        envelope,
        max_range_m,
        warm_start: sol.warm_start(),
    })
}
