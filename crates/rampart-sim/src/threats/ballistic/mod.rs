//! Ballistic missiles: a vertical rise and a steered pitch-over under thrust, then coast and
//! re-entry with Mach-dependent drag, aimed through the full physics.
//!
//! **Boost.** Constant vacuum thrust `T = ṁ·Isp·g₀` with `ṁ = propellant / burn time` (nozzle
//! back-pressure losses are ignored). The missile rises vertically for `vertical_rise_s`; from
//! then to cut-off its pitch program steers the flight path, in the vertical plane of the launch
//! azimuth, toward a commanded flight-path angle γc: the thrust is tilted off the velocity by
//! the angle of attack α that gives the turn rate γ̇ = −(γ − γc)/τ against gravity's own turn,
//! with sin α saturating smoothly at sin [`MAX_ANGLE_OF_ATTACK_RAD`] (see [`steer`]). So the
//! velocity does not lag the nose: the flight path settles on γc (within about 0.1°: the law's
//! vertical is geocentric, its gravity g₀) and holds it to cut-off, at the few degrees of angle
//! of attack that hold a path against gravity. The shapes solve for γc on the flown burnout
//! angle, so the difference never reaches a result. The body
//! drags with its own drag coefficient and diameter and its mass falls as propellant burns.
//!
//! (A zero-angle-of-attack gravity turn after a pitch-over kick cannot shape these flights: at
//! a thrust-to-weight ratio near 5 the speed grows so fast that gravity's turn rate g cos γ / v
//! dies within seconds, and a 4-second kick of 57° — far beyond any airframe's angle of attack
//! — still leaves a 520 km missile's burnout angle at 47°.)
//!
//! **Coast and re-entry.** After cut-off a separating re-entry vehicle (RV) flies on with its own
//! ballistic coefficient; without one the spent body re-enters. Drag follows the type's
//! [`DragProfile`] in Mach number.
//!
//! **Trajectory shape** ([`TrajectoryShape`]) chooses γc for a range; the cut-off time then
//! meets the range:
//! * *minimum energy*: the γc whose flight reaches the aim with the least Earth-relative
//!   specific energy at burnout, ½|v|² + U(r) (at a given burnout height, the least burnout
//!   speed). In vacuum over a non-rotating spherical Earth this is Kepler's minimum-energy
//!   trajectory, whose burnout flight-path angle is (π − Ψ)/4 for a free-flight range angle Ψ
//!   (burnout and re-entry at one radius; see [`crate::physics::kepler`]).
//! * *lofted* / *depressed*: the γc that gives an explicit burnout flight-path angle or apogee
//!   height, above / below the minimum-energy one.
//!
//! [`nominal_aim`] finds a raid's γc, launch azimuth and cut-off for its aim point, flying the
//! complete model (rotation, J2, drag) at every iteration, and the Jacobian of the impact with
//! respect to azimuth and cut-off. A member (its aim error displaces the point by metres) keeps
//! the raid's γc: within [`FIRST_ORDER_RADIUS_M`] of the raid's aim its flight is built to
//! first order from the nominal's ([`NominalFlights::member`]); farther, [`solve`] flies and
//! re-aims it from the Newton step.

mod aim;
mod linear;
mod shape;

pub use aim::{AIM_TOLERANCE_M, AimSolution, WarmStart, solve, solve_with_path_angle};
pub use linear::{FIRST_ORDER_RADIUS_M, NominalFlights, newton_step};
pub use shape::{NominalAim, RangeEnvelope, envelope, nominal_aim, shape_solve};

use crate::physics::atmosphere::{Air, G0};
use crate::physics::drag::{DragProfile, drag_in};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Flight, FlightError, FlightOptions, State, Vehicle, fly};
use nalgebra::Vector3;
use rampart_core::frames::Coordinate;
use rampart_core::geodesy::Geodetic;
use std::f64::consts::PI;

/// The largest angle of attack the pitch program commands, radians (20°, notional: the pitch-over
/// happens at low speed and dynamic pressure, where airframes tolerate it).
pub const MAX_ANGLE_OF_ATTACK_RAD: f64 = 20.0 * PI / 180.0;
/// Time constant of the pitch program's approach to its commanded flight-path angle, s.
pub const STEERING_TIME_CONSTANT_S: f64 = 2.0;

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
    /// The shortest cut-off time aiming uses, s: twice the vertical rise, at least 1 s, at most
    /// the burn time.
    pub fn shortest_cutoff_s(&self) -> f64 {
        (2.0 * self.vertical_rise_s).max(1.0).min(self.burn_time_s)
    }
    /// Drag reference area of the body, m².
    pub fn body_area_m2(&self) -> f64 {
        0.25 * PI * self.diameter_m * self.diameter_m
    }
}

/// How a given range is flown.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum TrajectoryShape {
    /// The least burnout energy that reaches the aim point.
    #[default]
    MinimumEnergy,
    /// Steeper and higher than minimum energy, to the given burnout angle or apogee.
    Lofted(ShapeTarget),
    /// Flatter and lower than minimum energy, to the given burnout angle or apogee.
    Depressed(ShapeTarget),
}

/// What a lofted or depressed flight is flown to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShapeTarget {
    /// Burnout flight-path angle above the local horizontal, Earth-relative, radians.
    BurnoutAngle(f64),
    /// Apogee height above the reference surface, m.
    Apogee(f64),
}

impl TrajectoryShape {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            TrajectoryShape::MinimumEnergy => "minimum-energy",
            TrajectoryShape::Lofted(_) => "lofted",
            TrajectoryShape::Depressed(_) => "depressed",
        }
    }

    /// The shape in words, with its target: `lofted (burnout angle 60.0°)`.
    pub fn describe(self) -> String {
        match self {
            TrajectoryShape::MinimumEnergy => self.name().to_string(),
            TrajectoryShape::Lofted(t) | TrajectoryShape::Depressed(t) => {
                format!("{} ({})", self.name(), t.describe())
            }
        }
    }
}

impl ShapeTarget {
    /// The target in words: `burnout angle 60.0°` or `apogee 250.0 km`.
    pub fn describe(self) -> String {
        match self {
            ShapeTarget::BurnoutAngle(g) => format!("burnout angle {:.1}°", g.to_degrees()),
            ShapeTarget::Apogee(h) => format!("apogee {:.1} km", h / 1e3),
        }
    }
}

/// What the launcher and flight computer set before launch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaunchControls {
    /// Launch azimuth, radians clockwise from north.
    pub azimuth_rad: f64,
    /// The flight-path angle the pitch program steers to and holds until cut-off, radians
    /// above the local horizontal.
    pub path_angle_rad: f64,
    /// Thrust cut-off time after lift-off, s (at most the burn time).
    pub cutoff_s: f64,
}

struct BoostVehicle<'a> {
    ty: &'a BallisticType,
    path_angle_rad: f64,
    horizontal: Vector3<f64>,
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
        let (sa, ca) = ctl.azimuth_rad.sin_cos();
        Self {
            ty,
            path_angle_rad: ctl.path_angle_rad,
            horizontal: f.east().as_vector3() * sa + f.north().as_vector3() * ca,
            up: *f.up().as_vector3(),
            ends: [rise, cutoff],
            coast_beta,
        }
    }
}

/// The pitch program's thrust direction at position `r` with velocity `v`, for a thrust
/// acceleration `thrust_accel` (m/s²), steering the flight-path angle toward `path_angle_rad`
/// in the vertical plane of the unit horizontal `horizontal`.
///
/// With γ the flight-path angle above the local (geocentric) horizontal, the specific force
/// normal to the velocity, toward the ground and downrange, turns the path at
/// γ̇ = −(a_d + g cos γ)/v (e.g. Zipfel, *Modeling and Simulation of Aerospace Vehicle
/// Dynamics*, 2nd ed., §8.2, point-mass flight-path equations). The program asks for
/// γ̇ = −(γ − γc)/τ, so a_d = v (γ − γc)/τ − g₀ cos γ, and tilts the thrust by the angle of
/// attack α with sin α = s·tanh((a_d/a_T)/s), s = sin α_max: the exact tilt while it is small,
/// bounded smoothly by α_max (a smooth law keeps the integrator's steps long).
pub fn steer(
    r: &Vector3<f64>,
    v: &Vector3<f64>,
    thrust_accel: f64,
    path_angle_rad: f64,
    horizontal: &Vector3<f64>,
) -> Option<Vector3<f64>> {
    let speed = v.norm();
    if speed < 1.0 || thrust_accel <= 0.0 {
        return None;
    }
    let vh = v / speed;
    let up = r.normalize();
    let sin_g = vh.dot(&up).clamp(-1.0, 1.0);
    let cos_g = (1.0 - sin_g * sin_g).sqrt();
    // Normal to the velocity in the vertical plane of the launch azimuth, toward the ground and
    // downrange: downrange when the path is vertical, down when it is level, at every angle.
    let d = up.cross(horizontal).cross(&vh);
    let dn = d.norm();
    if dn < 1e-9 {
        return Some(vh);
    }
    let d = d / dn;
    let a_d = speed * (sin_g.asin() - path_angle_rad) / STEERING_TIME_CONSTANT_S - G0 * cos_g;
    let s_max = MAX_ANGLE_OF_ATTACK_RAD.sin();
    let s = s_max * (a_d / thrust_accel / s_max).tanh();
    Some(vh * (1.0 - s * s).sqrt() + d * s)
}

impl Vehicle for BoostVehicle<'_> {
    fn segment_ends(&self) -> &[f64] {
        &self.ends
    }

    fn specific_force(
        &self,
        segment: usize,
        t: f64,
        r: &Vector3<f64>,
        v: &Vector3<f64>,
        air: Option<&Air>,
    ) -> Vector3<f64> {
        let drag = |beta: f64| drag_in(air, v, beta, &self.ty.drag_profile);
        if segment >= 2 {
            return drag(self.coast_beta);
        }
        let ty = self.ty;
        let m = ty.launch_mass_kg - ty.mass_flow_kg_s() * t;
        let accel = ty.thrust_n() / m;
        let dir = match segment {
            0 => self.up,
            _ => steer(r, v, accel, self.path_angle_rad, &self.horizontal).unwrap_or(self.up),
        };
        dir * accel + drag(m / (ty.body_drag_coefficient * ty.body_area_m2()))
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

/// The state of a flight at thrust cut-off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Burnout {
    /// Time after lift-off, s.
    pub t_s: f64,
    /// ECEF position, m.
    pub position: Vector3<f64>,
    /// ECEF (Earth- and air-relative) velocity, m/s.
    pub velocity: Vector3<f64>,
    /// Height above the reference surface, m.
    pub alt_m: f64,
    /// Earth-relative flight-path angle above the local horizontal, radians.
    pub flight_path_angle_rad: f64,
    /// Earth-relative specific mechanical energy, ½|v|² + U(r) with U the gravity potential,
    /// J/kg: what the missile itself has supplied, less its losses.
    pub energy_j_kg: f64,
}

impl Burnout {
    /// The state of `flight` at `cutoff_s` (the trajectory holds a sample there).
    pub fn of(earth: &EarthModel, flight: &Flight, cutoff_s: f64) -> Option<Burnout> {
        let (r, v) = flight.trajectory.state_at(cutoff_s)?;
        let up = earth.up(&r);
        let speed = v.norm();
        let gamma = if speed > 0.0 {
            (up.dot(&v) / speed).clamp(-1.0, 1.0).asin()
        } else {
            std::f64::consts::FRAC_PI_2
        };
        Some(Burnout {
            t_s: cutoff_s,
            position: r,
            velocity: v,
            alt_m: earth.altitude(&r),
            flight_path_angle_rad: gamma,
            energy_j_kg: 0.5 * v.norm_squared() + earth.gravity.potential(&r),
        })
    }
}

/// Which of a shape's targets an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// The burnout flight-path angle, reported in degrees.
    BurnoutAngle,
    /// The apogee height, reported in km.
    Apogee,
}

fn shape_word(lofted: bool) -> &'static str {
    if lofted { "lofted" } else { "depressed" }
}
fn extreme_word(lofted: bool) -> &'static str {
    if lofted { "highest" } else { "lowest" }
}
fn side_word(lofted: bool) -> &'static str {
    if lofted { "above" } else { "below" }
}
fn what_word(t: TargetKind) -> &'static str {
    match t {
        TargetKind::BurnoutAngle => " burnout angle",
        TargetKind::Apogee => "n apogee",
    }
}
fn unit_word(t: TargetKind) -> &'static str {
    match t {
        TargetKind::BurnoutAngle => "°",
        TargetKind::Apogee => "km",
    }
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
    /// A lofted target at or below the minimum-energy flight, or a depressed one at or above it.
    #[error(
        "a {} trajectory to this range needs a{} {} the minimum-energy one of {minimum_energy:.1} {}; {asked:.1} {} is not",
        shape_word(*.lofted), what_word(*.target), side_word(*.lofted), unit_word(*.target), unit_word(*.target)
    )]
    WrongSide {
        /// Lofted (else depressed).
        lofted: bool,
        /// What was asked for.
        target: TargetKind,
        /// The value asked for, in ° or km.
        asked: f64,
        /// The minimum-energy flight's value, in ° or km.
        minimum_energy: f64,
    },
    /// No flight of this shape reaches the aim point: the target angle or apogee is too far
    /// from the minimum-energy one for the missile's energy.
    #[error(
        "no {} flight reaches this range with a{} of {asked:.1} {}: the {} this missile can fly to it is {reachable:.1} {}",
        shape_word(*.lofted), what_word(*.target), unit_word(*.target), extreme_word(*.lofted), unit_word(*.target)
    )]
    ShapeUnreachable {
        /// Lofted (else depressed).
        lofted: bool,
        /// What was asked for.
        target: TargetKind,
        /// The value asked for, in ° or km.
        asked: f64,
        /// The nearest value a flight reaching the aim point has, in ° or km.
        reachable: f64,
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
