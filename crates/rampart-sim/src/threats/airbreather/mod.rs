//! Air-breathing threats: cruise missiles, aircraft and one-way-attack drones, flown as kinematic
//! point masses along a route of waypoints to a terminal dive onto the aim point.
//!
//! # The model
//!
//! **Speed.** The threat flies at a constant true airspeed `V` from the first instant: there is
//! no boost, take-off or acceleration phase, no drag, thrust or fuel, and no wind, so the
//! airspeed is the speed relative to the rotating Earth and every velocity here is an
//! Earth-fixed (ECEF) velocity.
//!
//! **Vertical profile.** From the launch point (its height is the launch height) the threat
//! climbs at the constant flight-path angle `γc` to the cruise height (or descends at the same
//! angle if launched above it), then flies level at that height above the WGS-84 ellipsoid.
//! There is no terrain: heights are ellipsoidal and "the ground" is the aim point's height. The
//! pitch change at the top of the climb is taken instantaneously (the velocity has a kink there).
//!
//! **Lateral guidance.** The heading `ψ` (azimuth from true north) is steered toward the current
//! target — the next waypoint, then the aim point — along the bearing of the normal section
//! through the target (the chord to the target projected on the local horizontal plane). It
//! differs from Karney's geodesic azimuth by a few arc-seconds at 1,000 km and by less than
//! 0.05″ at 100 km (the normal-section/geodesic separation grows as `e²·(s/N)²/12`; Rapp,
//! *Geometric Geodesy Part I*, 1991), and the difference vanishes as the target nears, so the
//! track is the geodesic to every practical purpose. The turn rate — the heading rate relative to
//! a geodesic, i.e. lateral acceleration over horizontal speed — is
//! `ω = ω_max·tanh(ε / (ω_max·τ))` with `ε` the heading error and `τ` = 1 s: a turn at the full
//! rate `ω_max` (radius `V/ω_max`, lateral acceleration `V·ω_max`) while the error is large,
//! settling with a 1 s time constant as it closes, and never above `ω_max`. The heading obeys
//! `ψ̇ = λ̇·sin φ + ω`, where `λ̇·sin φ` is the meridian convergence that keeps `ω = 0` on a
//! geodesic (Clairaut's relation `(N + h)·cos φ·sin ψ = const`; Karney 2013, §2). The threat is
//! launched already heading for its first target.
//!
//! **Waypoints** are fly-by: the threat switches to the next target when its horizontal distance
//! to the waypoint falls to the turn anticipation distance `c = r·tan(Δ/2)` of a fly-by turn
//! (`r = V/ω_max`, `Δ` the course change at the waypoint, capped at 120°; ICAO Doc 8168
//! PANS-OPS, fly-by turns), but at least two nominal steps of travel (`2·V·0.5 s`), so the path
//! cuts the corner on an arc of radius `r` instead of overshooting and orbiting. A waypoint that
//! is passed abeam without coming that close (one inside the turning circle) is switched too.
//!
//! **Terminal dive.** Once on the last leg, the dive begins when the geodesic ground distance to
//! the aim point falls to `(h − h_aim)/tan θ` (`θ` the dive angle). From there the threat flies
//! pure pursuit of the aim point in three dimensions at speed `V`; for a fixed aim point that is a
//! straight ECEF line onto it (Shneydor, *Missile Guidance and Pursuit*, 1998), so it
//! arrives exactly. Its angle below the local horizontal is `θ + s/2R` at the start and
//! `θ − s/2R` at the end (`s` the ground distance of the dive, `R` the Earth's radius; 0.05° for
//! a 10 km dive). The pitch-over is instantaneous. If the aim is passed abeam before that
//! distance is reached (an aim inside the turning circle after the last waypoint), the dive
//! starts there, steeper than `θ`. The flight ends where the line descends through the aim
//! height, found by root-finding on the line between two dive steps: the aim point itself.
//!
//! # Integration
//!
//! The state `(φ, λ, h, ψ)` follows the geodetic navigation equations (Stevens, Lewis & Johnson,
//! *Aircraft Control and Simulation*, 3rd ed., 2016):
//! `φ̇ = V·cos γ·cos ψ / (M + h)`, `λ̇ = V·cos γ·sin ψ / ((N + h)·cos φ)`, `ḣ = V·sin γ`, with `M`
//! and `N` the meridian and prime-vertical radii of curvature of WGS-84 (NIMA TR8350.2). It is
//! integrated by the classical fourth-order Runge–Kutta method in fixed steps of 0.5 s with the
//! guidance evaluated in every stage; on straight level legs (heading error below 10⁻⁵ rad) the
//! turn rate is held and the step grows to 5 s. The top of the climb (analytic, since `ḣ` is
//! constant), the waypoint switches and the start of the dive are located inside their step by
//! regula falsi on exact partial steps, so they do not fall on the step grid. The integration
//! error is far below a metre (the tests compare against a flight with a quarter of the step).
//!
//! # The trajectory
//!
//! Samples are written at every step while climbing, turning or diving, at most 5 s apart on
//! straight level legs, and at the impact. Each carries the exact ECEF velocity of the model and
//! its exact time derivative (the centripetal `V²/R` of following the Earth, `V·ω` sideways in a
//! turn, zero in the straight-line dive), so the trajectory's quintic Hermite interpolation
//! reproduces the flight to centimetres. Where the velocity or acceleration jumps (top of the
//! climb, a waypoint switch, the dive) the trajectory holds two samples at the same instant, the
//! state just before and just after, so neither side is interpolated across the jump.
//!
//! **Milestones.** `apogee` is the highest point (the first time it is reached): the top of the
//! climb, or the launch point if the threat is launched above its cruise height, or the dive
//! start if the dive begins during the climb. `ground` is the impact on the aim point;
//! `max_speed_mps` is `V`; [`RouteFlight::dive_start_s`] is when the dive began.
//!
//! **Limits.** The range check compares the geodesic length of the planned route (launch,
//! waypoints, aim) with the maximum range; the flown path (climb, corner cuts, dive) is not
//! charged against it. Routes must keep 0.5° away from the poles.
//!
//! **Errors.** Non-finite or out-of-domain parameters and points (a height at or below
//! [`LOWEST_HEIGHT_M`], where `M + h` reaches zero), an aim point not below the
//! cruise height, a route too long or too near a pole are [`RouteError`]s, never panics. As a
//! last safety net a flight that has not arrived after twice the route length (plus a full turn
//! per leg) at `V` stops with [`RouteError::NoArrival`]; the abeam rules above make that
//! unreachable for the geometries tried in development. Whatever the input, the flight ends:
//! it takes at most [`MAX_ROUTE_STEPS`] steps before the dive and [`MAX_DIVE_STEPS`] in it,
//! and a step that moves neither the time nor, while climbing, the height (a height or time so
//! large that the step is lost to rounding) stops it at once, both with
//! [`RouteError::Stalled`].

use crate::physics::flight::Flight;
use rampart_core::Geodetic;
use rampart_core::geodesy::wgs84;
use std::f64::consts::{PI, TAU};

// One file per responsibility: `validate` (the checks before a flight), `router` (the
// kinematics and the lateral guidance), `flight` (the flight loop and the dive), `tests`.
mod flight;
mod router;
#[cfg(test)]
mod tests;
mod validate;

use router::Router;
use validate::validate;

/// Which air-breathing class a threat type is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AirClass {
    /// A cruise missile.
    Cruise,
    /// A crewed aircraft (its attack is modelled as a terminal dive onto the aim point).
    Aircraft,
    /// An uncrewed aerial system: a one-way-attack drone.
    Uas,
}

impl AirClass {
    /// The `kind` word of the scenario file.
    pub fn word(self) -> &'static str {
        match self {
            AirClass::Cruise => "cruise",
            AirClass::Aircraft => "aircraft",
            AirClass::Uas => "uas",
        }
    }
}

/// The kinematic description of an air-breathing threat type (SI units).
#[derive(Clone, Debug, PartialEq)]
pub struct AirBreatherType {
    /// Class.
    pub class: AirClass,
    /// True airspeed in cruise, m/s.
    pub speed_mps: f64,
    /// Cruise height above the ellipsoid, m.
    pub cruise_alt_m: f64,
    /// Longest route it can fly, m.
    pub max_range_m: f64,
    /// Largest heading rate, rad/s.
    pub max_turn_rate_rad_s: f64,
    /// Flight-path angle of the terminal dive below the horizontal, rad.
    pub dive_angle_rad: f64,
    /// Flight-path angle of the climb from the launch site to cruise height, rad.
    pub climb_angle_rad: f64,
}

/// A flown route.
#[derive(Clone, Debug)]
pub struct RouteFlight {
    /// The trajectory, with `ground` set at the impact.
    pub flight: Flight,
    /// When the terminal dive began, s after launch.
    pub dive_start_s: f64,
}

/// Why a route could not be flown.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RouteError {
    /// The route is longer than the type can fly.
    #[error(
        "the route is {length_km:.1} km long, beyond the maximum range of {max_range_km:.1} km"
    )]
    TooLong {
        /// Route length, km.
        length_km: f64,
        /// Maximum range, km.
        max_range_km: f64,
    },
    /// A parameter of the threat type is out of its domain.
    #[error("cannot fly the route: the threat type's {name} is {value}, but it must be {expected}")]
    InvalidParameter {
        /// The field of [`AirBreatherType`].
        name: &'static str,
        /// Its value (SI).
        value: f64,
        /// What it must be.
        expected: &'static str,
    },
    /// A point of the route has a non-finite coordinate, a latitude beyond ±90°, or a height
    /// at or below [`LOWEST_HEIGHT_M`] (where the navigation equations are singular).
    #[error(
        "cannot fly the route: the {point} has an invalid coordinate ({lat_deg}°, {lon_deg}°, {alt_m} m)"
    )]
    InvalidPoint {
        /// Which point ("launch point", "waypoint 2", "aim point").
        point: String,
        /// Latitude, degrees.
        lat_deg: f64,
        /// Longitude, degrees.
        lon_deg: f64,
        /// Height, m.
        alt_m: f64,
    },
    /// The aim point is not below the cruise height, so there is nothing to dive onto.
    #[error(
        "cannot fly the route: the aim point is {aim_alt_m:.0} m high, not below the cruise height of {cruise_alt_m:.0} m"
    )]
    AimNotBelowCruise {
        /// Height of the aim point above the ellipsoid, m.
        aim_alt_m: f64,
        /// Cruise height above the ellipsoid, m.
        cruise_alt_m: f64,
    },
    /// The route comes too close to a pole for the geodetic equations of motion.
    #[error("cannot fly the route: it reaches latitude {lat_deg:.2}°, within 0.5° of a pole")]
    NearPole {
        /// The latitude reached, degrees.
        lat_deg: f64,
    },
    /// The threat had not reached its aim point after a generous time.
    #[error(
        "the threat had not reached its aim point after {after_s:.0} s of flight; is the aim inside its turning circle?"
    )]
    NoArrival {
        /// Flight time when the attempt stopped, s.
        after_s: f64,
    },
    /// The flight stopped making progress (a step that moved neither the time nor, while
    /// climbing, the height), or took more than [`MAX_ROUTE_STEPS`] steps: heights or distances
    /// far beyond what the model is built for.
    #[error(
        "cannot fly the route: the flight stopped making progress after {steps} steps and {after_s:.0} s of flight (heights or distances far beyond what the model flies)"
    )]
    Stalled {
        /// Steps taken.
        steps: u64,
        /// Flight time when the attempt stopped, s.
        after_s: f64,
    },
}

/// The most integration steps of one flight (climb, cruise and turns; the dive is counted
/// apart): at 0.5 s each, more than eleven days of climbing or turning, and more on straight
/// legs. A bound on the work of any route, whatever its heights and lengths.
pub const MAX_ROUTE_STEPS: u64 = 2_000_000;

/// The most steps of a terminal dive. A dive longer than this many nominal steps is sampled
/// more coarsely (it is a straight line at constant speed, which the trajectory's
/// interpolation reproduces exactly at any spacing); the normal dives of a few kilometres take
/// tens.
pub const MAX_DIVE_STEPS: u64 = 100_000;

/// The lowest height a point of a route may have, m: the centre of curvature of the meridian
/// at the equator, `a·(1 − e²)` ≈ −6,335 km below the ellipsoid, where the geodetic navigation
/// equations divide by zero.
pub const LOWEST_HEIGHT_M: f64 = -wgs84::A * (1.0 - wgs84::E2);

/// Geodesic length of launch → waypoints → aim, m.
pub fn route_length_m(launch: &Geodetic, waypoints: &[Geodetic], aim: &Geodetic) -> f64 {
    let mut pts = vec![*launch];
    pts.extend_from_slice(waypoints);
    pts.push(*aim);
    pts.windows(2)
        .map(|w| w[0].geodesic_to(&w[1]).distance_m)
        .sum()
}

/// Whether the planned route (to the undisplaced aim point) is within the type's maximum range.
/// A planning check: [`fly_route`] itself flies whatever it is given, so an aim error that
/// lengthens the route a little does not stop a threat.
pub fn check_range(
    ty: &AirBreatherType,
    launch: &Geodetic,
    waypoints: &[Geodetic],
    aim: &Geodetic,
) -> Result<(), RouteError> {
    let length_m = route_length_m(launch, waypoints, aim);
    if length_m > ty.max_range_m {
        return Err(RouteError::TooLong {
            length_km: length_m / 1e3,
            max_range_km: ty.max_range_m / 1e3,
        });
    }
    Ok(())
}

/// Flies `ty` from `launch` through `waypoints` and dives onto `aim` (see the module
/// documentation for the model).
pub fn fly_route(
    ty: &AirBreatherType,
    launch: &Geodetic,
    waypoints: &[Geodetic],
    aim: &Geodetic,
) -> Result<RouteFlight, RouteError> {
    fly_route_with_step(ty, launch, waypoints, aim, STEP_S)
}

/// Nominal integration step, s.
const STEP_S: f64 = 0.5;
/// Longest interval between samples (and longest step) on straight level legs, s.
const SPARSE_S: f64 = 5.0;
/// Time constant of the heading controller once out of the saturated turn, s.
const HEADING_TAU_S: f64 = 1.0;
/// Heading error below which a level leg counts as straight, rad.
const STRAIGHT_RAD: f64 = 1e-5;
/// Lateral acceleration above which the flight counts as turning (samples every step), m/s².
const TURNING_MPS2: f64 = 1e-3;
/// The largest course change the turn anticipation distance is computed for, rad.
const MAX_CORNER_RAD: f64 = 2.0 * PI / 3.0;
/// Largest latitude the route may reach, rad (89.5°).
const POLE_LIMIT_RAD: f64 = 89.5 * PI / 180.0;

/// `fly_route` with an integration step of `step_s` (≤ [`STEP_S`]); the model itself does not
/// depend on the step.
fn fly_route_with_step(
    ty: &AirBreatherType,
    launch: &Geodetic,
    waypoints: &[Geodetic],
    aim: &Geodetic,
    step_s: f64,
) -> Result<RouteFlight, RouteError> {
    validate(ty, launch, waypoints, aim)?;
    let length_m = route_length_m(launch, waypoints, aim);
    let router = Router::new(ty, launch, waypoints, aim, step_s);
    let climb_s =
        (ty.cruise_alt_m - launch.alt_m).abs() / (ty.speed_mps * ty.climb_angle_rad.sin());
    let turns_m = TAU * router.radius_m * (waypoints.len() + 1) as f64;
    let max_time_s = 2.0 * (length_m + turns_m) / ty.speed_mps + 2.0 * climb_s + 600.0;
    router.fly(launch, max_time_s)
}
