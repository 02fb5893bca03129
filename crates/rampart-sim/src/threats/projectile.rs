//! Rockets, artillery and mortars: unguided projectiles fired from a tube or a rail at a
//! set elevation and azimuth, flying a point-mass path with Mach-dependent drag.
//!
//! **Flight.** The projectile leaves the tube or rail at `muzzle_velocity` along the laid
//! elevation and azimuth (ENU at the firing site), Earth-relative. A rocket's motor then
//! thrusts along the velocity (`T = ṁ·Isp·g₀`, `ṁ = propellant / burn time`, mass falling
//! as it burns) until burn-out; a shell or mortar bomb has no motor. Drag is
//! `a = −½ ρ |v| v · C_D(M) A / m` in the 1976 atmosphere, with the type's [`DragProfile`]
//! (the modified point-mass model less its yaw-of-repose and spin-drift terms: a
//! spin-stabilised shell's drift is metres at these ranges, inside the dispersion). Gravity,
//! Earth rotation and the ground crossing are those of every flight ([`crate::physics::flight`]).
//!
//! **Laying.** [`lay`] finds the elevation that puts the undisturbed projectile at the aim
//! point's range — on the low-angle branch (below the elevation of greatest range) for rockets
//! and guns, the high-angle branch for mortars — by bisection on the flown range, and the
//! azimuth that corrects the Coriolis drift, by fixed-point iteration on the landing bearing.
//!
//! **Dispersion.** A fire mission's rounds fall about the aim point with independent normal
//! errors in range (σ_R) and deflection (σ_D), the way firing tables state a weapon's
//! probable errors (one probable error is 0.6745 σ). Each round's elevation and azimuth are
//! the laid ones moved by `δR / (∂R/∂θ)` and `δD / R`, so its flown impact lies, to first
//! order, where the draw put it.

use crate::physics::atmosphere::{Air, G0};
use crate::physics::drag::{DragProfile, drag_in};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Flight, FlightError, FlightOptions, State, Vehicle, fly};
use nalgebra::Vector3;
use rampart_core::geodesy::{Geodetic, wrap_pi};
use rampart_core::search::golden_min;
use std::f64::consts::{FRAC_PI_2, PI};

/// The lowest elevation a projectile is laid at, rad (2°).
pub const MIN_ELEVATION_RAD: f64 = 2.0 * PI / 180.0;
/// The highest elevation a projectile is laid at, rad (88°).
pub const MAX_ELEVATION_RAD: f64 = 88.0 * PI / 180.0;
/// The laying ends when the flown range is this close to the aim's, m.
pub const LAYING_TOLERANCE_M: f64 = 0.5;
/// The most flights one laying may fly (each bisection halves the elevation interval, so
/// 60 take 86° below a nano-radian).
const MAX_LAYING_FLIGHTS: usize = 60;

/// Which kind of unguided projectile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectileClass {
    /// A free-flight artillery rocket (107 mm, 122 mm).
    Rocket,
    /// A gun or howitzer shell.
    Artillery,
    /// A mortar bomb.
    Mortar,
}

impl ProjectileClass {
    /// The `kind` word of the scenario file.
    pub fn word(self) -> &'static str {
        match self {
            ProjectileClass::Rocket => "rocket",
            ProjectileClass::Artillery => "artillery",
            ProjectileClass::Mortar => "mortar",
        }
    }
}

/// A rocket motor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Motor {
    /// Propellant burned, kg.
    pub propellant_mass_kg: f64,
    /// Burn duration, s.
    pub burn_time_s: f64,
    /// Specific impulse, s.
    pub isp_s: f64,
}

/// The physical description of a projectile type (SI units).
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectileType {
    /// Rocket, shell or mortar bomb.
    pub class: ProjectileClass,
    /// Mass as fired (a rocket's with its propellant), kg.
    pub launch_mass_kg: f64,
    /// Calibre (drag reference area `π d²/4`), m.
    pub diameter_m: f64,
    /// Drag coefficient at the profile's reference.
    pub drag_coefficient: f64,
    /// `C_D(M) / C_D,ref`.
    pub drag_profile: DragProfile,
    /// Speed leaving the tube or rail, m/s.
    pub muzzle_velocity_mps: f64,
    /// A rocket's motor.
    pub motor: Option<Motor>,
    /// Fired on the high-angle branch (above the elevation of greatest range).
    pub high_angle: bool,
}

impl ProjectileType {
    /// Mass at `t` s after firing, kg.
    fn mass_at(&self, t: f64) -> f64 {
        match self.motor {
            Some(m) if t < m.burn_time_s => {
                self.launch_mass_kg - m.propellant_mass_kg * t / m.burn_time_s
            }
            Some(m) => self.launch_mass_kg - m.propellant_mass_kg,
            None => self.launch_mass_kg,
        }
    }

    /// Drag reference area, m².
    pub fn area_m2(&self) -> f64 {
        PI * self.diameter_m * self.diameter_m / 4.0
    }

    /// The motor's thrust, N (0 without one).
    pub fn thrust_n(&self) -> f64 {
        self.motor
            .map_or(0.0, |m| m.propellant_mass_kg / m.burn_time_s * m.isp_s * G0)
    }
}

/// A projectile in flight: the type and its segment ends.
struct Round<'a> {
    ty: &'a ProjectileType,
    ends: Vec<f64>,
}

impl Vehicle for Round<'_> {
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
        let m = self.ty.mass_at(t);
        let beta = m / (self.ty.drag_coefficient * self.ty.area_m2());
        let mut a = drag_in(air, v, beta, &self.ty.drag_profile);
        if segment == 0 && !self.ends.is_empty() {
            let speed = v.norm();
            if speed > 0.0 {
                a += v * (self.ty.thrust_n() / m / speed);
            }
        }
        a
    }
}

/// How a projectile is laid: azimuth and elevation, rad.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Laying {
    /// Azimuth, clockwise from north.
    pub azimuth_rad: f64,
    /// Elevation above the horizontal.
    pub elevation_rad: f64,
}

/// Flies one projectile of type `ty` from `site` laid as `laying`, until it descends through
/// `ground_alt_m`.
///
/// # Errors
/// When the integrator fails.
pub fn fly_projectile(
    earth: &EarthModel,
    ty: &ProjectileType,
    site: &Geodetic,
    laying: Laying,
    ground_alt_m: f64,
) -> Result<Flight, FlightError> {
    let round = Round {
        ty,
        ends: ty.motor.map(|m| vec![m.burn_time_s]).unwrap_or_default(),
    };
    let r0 = site.to_ecef();
    let v0 = *site
        .local_frame()
        .direction(laying.azimuth_rad, laying.elevation_rad)
        .as_vector3()
        * ty.muzzle_velocity_mps;
    let y0 = State::new(r0.x(), r0.y(), r0.z(), v0.x, v0.y, v0.z);
    let opts = FlightOptions {
        ground_alt_m,
        max_time_s: 600.0,
        ..FlightOptions::default()
    };
    fly(earth, &round, y0, &opts)
}

/// Why a projectile cannot be laid on a point.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum LayError {
    /// Beyond the greatest range.
    #[error(
        "the aim point is {distance_km:.2} km away, beyond the maximum range of {max_range_km:.2} km"
    )]
    OutOfRange {
        /// Distance to the aim point, km.
        distance_km: f64,
        /// Greatest range at the aim point's height, km.
        max_range_km: f64,
    },
    /// Nearer than the branch's shortest range (the lowest or highest elevation).
    #[error(
        "the aim point is {distance_km:.2} km away, nearer than the shortest range of {min_range_km:.2} km at the {branch} elevation"
    )]
    TooClose {
        /// Distance to the aim point, km.
        distance_km: f64,
        /// Shortest range of the branch, km.
        min_range_km: f64,
        /// `lowest` or `highest`.
        branch: &'static str,
    },
    /// A flight failed.
    #[error(transparent)]
    Flight(#[from] FlightError),
}

/// A laid fire mission: the laying on the aim point and how range moves with elevation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FireSolution {
    /// The laying that puts the undisturbed round on the aim point.
    pub laying: Laying,
    /// Ground range to the aim point, m.
    pub range_m: f64,
    /// ∂R/∂θ at the laying, m/rad.
    pub range_per_elevation: f64,
    /// Time of flight, s.
    pub flight_time_s: f64,
}

/// The ground range (m) and landing bearing (rad) of a flight from `site`, or `None` when it
/// never met the ground.
fn landing(site: &Geodetic, flight: &Flight) -> Option<(f64, f64, f64)> {
    let g = flight.ground?;
    let p = Geodetic::from_ecef(&rampart_core::Coordinate::from_vector3(g.position));
    let line = site.geodesic_to(&p);
    Some((line.distance_m, line.azimuth1_rad, g.t_s))
}

/// Lays a projectile of type `ty` from `site` on `aim` ([module docs](self)).
///
/// # Errors
/// [`LayError`] when the point is out of the type's reach or a flight fails.
pub fn lay(
    earth: &EarthModel,
    ty: &ProjectileType,
    site: &Geodetic,
    aim: &Geodetic,
) -> Result<FireSolution, LayError> {
    let line = site.geodesic_to(aim);
    let target = line.distance_m;
    let mut azimuth = line.azimuth1_rad;
    let range_at = |az: f64, el: f64| -> Result<(f64, f64, f64), LayError> {
        let f = fly_projectile(
            earth,
            ty,
            site,
            Laying {
                azimuth_rad: az,
                elevation_rad: el,
            },
            aim.alt_m,
        )?;
        Ok(landing(site, &f).unwrap_or((0.0, az, f64::NAN)))
    };
    // The elevation of greatest range splits the two branches.
    let (best_el, neg_max) = golden_min(MIN_ELEVATION_RAD, MAX_ELEVATION_RAD, 1e-4, |el| {
        range_at(azimuth, el).map(|(r, ..)| -r)
    })?;
    let max_range = -neg_max;
    if target > max_range {
        return Err(LayError::OutOfRange {
            distance_km: target / 1e3,
            max_range_km: max_range / 1e3,
        });
    }
    let (mut lo, mut hi, branch) = if ty.high_angle {
        (MAX_ELEVATION_RAD, best_el, "highest")
    } else {
        (MIN_ELEVATION_RAD, best_el, "lowest")
    };
    let shortest = range_at(azimuth, lo)?.0;
    if target < shortest {
        return Err(LayError::TooClose {
            distance_km: target / 1e3,
            min_range_km: shortest / 1e3,
            branch,
        });
    }
    // Bisection between the branch's end (short) and the elevation of greatest range (long);
    // the azimuth is corrected for the landing bearing's drift as the elevation converges.
    let mut el = best_el;
    let mut flown = (max_range, azimuth, f64::NAN);
    for _ in 0..MAX_LAYING_FLIGHTS {
        el = 0.5 * (lo + hi);
        flown = range_at(azimuth, el)?;
        azimuth = wrap_pi(azimuth + wrap_pi(line.azimuth1_rad - flown.1));
        if (flown.0 - target).abs() <= LAYING_TOLERANCE_M {
            break;
        }
        if flown.0 < target {
            lo = el;
        } else {
            hi = el;
        }
    }
    let laying = Laying {
        azimuth_rad: azimuth,
        elevation_rad: el,
    };
    // ∂R/∂θ by a central difference of 0.1 mrad.
    let h = 1e-4;
    let slope = (range_at(azimuth, el + h)?.0 - range_at(azimuth, el - h)?.0) / (2.0 * h);
    Ok(FireSolution {
        laying,
        range_m: target,
        range_per_elevation: slope,
        flight_time_s: flown.2,
    })
}

/// The laying of one round whose impact is displaced `range_error_m` along and
/// `deflection_error_m` across the line of fire (to the right positive), to first order.
pub fn dispersed(solution: &FireSolution, range_error_m: f64, deflection_error_m: f64) -> Laying {
    let el = solution.laying.elevation_rad
        + if solution.range_per_elevation.abs() > 1e-6 {
            range_error_m / solution.range_per_elevation
        } else {
            0.0
        };
    Laying {
        azimuth_rad: wrap_pi(
            solution.laying.azimuth_rad + deflection_error_m / solution.range_m.max(1.0),
        ),
        elevation_rad: el.clamp(MIN_ELEVATION_RAD * 0.5, FRAC_PI_2 - 1e-3),
    }
}

#[cfg(test)]
mod tests;
