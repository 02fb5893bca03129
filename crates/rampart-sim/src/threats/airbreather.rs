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

use crate::physics::flight::{Apogee, Flight, GroundHit};
use crate::physics::trajectory::{Sample, Trajectory};
use nalgebra::Vector3;
use rampart_core::Geodetic;
use rampart_core::frames::Coordinate;
use rampart_core::geodesy::{wgs84, wrap_pi};
use std::f64::consts::{FRAC_PI_2, PI, TAU};

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

/// Checks the type and the points, so the flight never meets a NaN or a division by zero.
fn validate(
    ty: &AirBreatherType,
    launch: &Geodetic,
    waypoints: &[Geodetic],
    aim: &Geodetic,
) -> Result<(), RouteError> {
    let check = |name: &'static str, value: f64, ok: bool, expected: &'static str| {
        if ok {
            Ok(())
        } else {
            Err(RouteError::InvalidParameter {
                name,
                value,
                expected,
            })
        }
    };
    let v = ty.speed_mps;
    check("speed_mps", v, v.is_finite() && v > 0.0, "finite and > 0")?;
    let h = ty.cruise_alt_m;
    check("cruise_alt_m", h, h.is_finite(), "finite")?;
    let r = ty.max_range_m;
    check("max_range_m", r, r > 0.0, "> 0")?;
    let w = ty.max_turn_rate_rad_s;
    check(
        "max_turn_rate_rad_s",
        w,
        w.is_finite() && w > 0.0,
        "finite and > 0",
    )?;
    let d = ty.dive_angle_rad;
    check(
        "dive_angle_rad",
        d,
        d > 0.0 && d <= FRAC_PI_2,
        "in (0, π/2]",
    )?;
    let c = ty.climb_angle_rad;
    check(
        "climb_angle_rad",
        c,
        c > 0.0 && c < FRAC_PI_2,
        "in (0, π/2)",
    )?;

    let named = std::iter::once(("launch point".to_string(), launch))
        .chain(
            waypoints
                .iter()
                .enumerate()
                .map(|(i, w)| (format!("waypoint {}", i + 1), w)),
        )
        .chain(std::iter::once(("aim point".to_string(), aim)));
    for (point, p) in named {
        let finite = p.lat_rad.is_finite() && p.lon_rad.is_finite() && p.alt_m.is_finite();
        if !finite || p.lat_rad.abs() > FRAC_PI_2 || p.alt_m <= LOWEST_HEIGHT_M {
            return Err(RouteError::InvalidPoint {
                point,
                lat_deg: p.lat_rad.to_degrees(),
                lon_deg: p.lon_rad.to_degrees(),
                alt_m: p.alt_m,
            });
        }
        if p.lat_rad.abs() > POLE_LIMIT_RAD {
            return Err(RouteError::NearPole {
                lat_deg: p.lat_rad.to_degrees(),
            });
        }
    }
    if aim.alt_m >= ty.cruise_alt_m {
        return Err(RouteError::AimNotBelowCruise {
            aim_alt_m: aim.alt_m,
            cruise_alt_m: ty.cruise_alt_m,
        });
    }
    Ok(())
}

/// The kinematic state: geodetic latitude, longitude (rad), ellipsoidal height (m) and heading
/// (rad clockwise from north, not wrapped).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Kin {
    lat: f64,
    lon: f64,
    alt: f64,
    heading: f64,
}

/// The local geometry at a state: ECEF position, the ENU unit vectors, the radii of curvature
/// plus height, and the sines of latitude and heading.
#[derive(Clone, Copy, Debug)]
struct Local {
    sin_lat: f64,
    cos_lat: f64,
    sin_heading: f64,
    cos_heading: f64,
    /// `M + h`, m.
    meridian_m: f64,
    /// `N + h`, m.
    prime_m: f64,
    r: Vector3<f64>,
    east: Vector3<f64>,
    north: Vector3<f64>,
    up: Vector3<f64>,
}

impl Local {
    fn at(k: &Kin) -> Self {
        let (sl, cl) = k.lat.sin_cos();
        let (so, co) = k.lon.sin_cos();
        let (sh, ch) = k.heading.sin_cos();
        let w2 = 1.0 - wgs84::E2 * sl * sl;
        let w = w2.sqrt();
        let n = wgs84::A / w;
        let m = wgs84::A * (1.0 - wgs84::E2) / (w2 * w);
        Self {
            sin_lat: sl,
            cos_lat: cl,
            sin_heading: sh,
            cos_heading: ch,
            meridian_m: m + k.alt,
            prime_m: n + k.alt,
            r: Vector3::new(
                (n + k.alt) * cl * co,
                (n + k.alt) * cl * so,
                (n * (1.0 - wgs84::E2) + k.alt) * sl,
            ),
            east: Vector3::new(-so, co, 0.0),
            north: Vector3::new(-sl * co, -sl * so, cl),
            up: Vector3::new(cl * co, cl * so, sl),
        }
    }
}

/// Where the current target lies.
#[derive(Clone, Copy, Debug, Default)]
struct Sight {
    /// Normal-section bearing, rad clockwise from north.
    bearing: f64,
    /// Horizontal distance (the chord projected on the local horizontal), m.
    horizontal_m: f64,
    /// Its component along the heading: negative once the target is abeam or behind, m.
    along_m: f64,
}

/// How the turn rate is set during a step.
#[derive(Clone, Copy, Debug)]
enum Steer {
    /// Toward the target, evaluated continuously.
    Track,
    /// Held at this value (rad/s) through the step.
    Hold(f64),
}

/// The time derivatives of [`Kin`] and the turn rate relative to a geodesic.
#[derive(Clone, Copy, Debug)]
struct Rates {
    lat: f64,
    lon: f64,
    alt: f64,
    heading: f64,
    turn: f64,
}

/// A state with its derivatives and sight of the target, evaluated once.
#[derive(Clone, Copy, Debug)]
struct Eval {
    local: Local,
    rates: Rates,
    sight: Sight,
}

/// A target of the lateral guidance.
#[derive(Clone, Copy, Debug)]
struct Target {
    ecef: Vector3<f64>,
    /// Turn anticipation distance (waypoints), m.
    capture_m: f64,
}

#[derive(Debug)]
struct Router<'a> {
    ty: &'a AirBreatherType,
    /// Waypoints, then the aim point.
    targets: Vec<Target>,
    aim: Geodetic,
    aim_ecef: Vector3<f64>,
    tan_dive: f64,
    /// Turn radius `V/ω_max`, m.
    radius_m: f64,
    step_s: f64,
}

impl<'a> Router<'a> {
    fn new(
        ty: &'a AirBreatherType,
        launch: &Geodetic,
        waypoints: &[Geodetic],
        aim: &Geodetic,
        step_s: f64,
    ) -> Self {
        let radius_m = ty.speed_mps / ty.max_turn_rate_rad_s;
        let min_capture_m = 2.0 * ty.speed_mps * STEP_S;
        let mut targets = Vec::with_capacity(waypoints.len() + 1);
        for (i, wp) in waypoints.iter().enumerate() {
            let prev = if i == 0 { launch } else { &waypoints[i - 1] };
            let next = waypoints.get(i + 1).unwrap_or(aim);
            let course_in = prev.geodesic_to(wp).azimuth2_rad;
            let course_out = wp.geodesic_to(next).azimuth1_rad;
            let change = wrap_pi(course_out - course_in).abs().min(MAX_CORNER_RAD);
            targets.push(Target {
                ecef: *wp.to_ecef().as_vector3(),
                capture_m: (radius_m * (0.5 * change).tan()).max(min_capture_m),
            });
        }
        let aim_ecef = *aim.to_ecef().as_vector3();
        targets.push(Target {
            ecef: aim_ecef,
            capture_m: 0.0,
        });
        Self {
            ty,
            targets,
            aim: *aim,
            aim_ecef,
            tan_dive: ty.dive_angle_rad.tan(),
            radius_m,
            step_s,
        }
    }

    fn is_aim(&self, target: usize) -> bool {
        target + 1 == self.targets.len()
    }

    fn sight(&self, local: &Local, target: usize) -> Sight {
        let d = self.targets[target].ecef - local.r;
        let (de, dn) = (d.dot(&local.east), d.dot(&local.north));
        Sight {
            bearing: de.atan2(dn),
            horizontal_m: de.hypot(dn),
            along_m: de * local.sin_heading + dn * local.cos_heading,
        }
    }

    /// The turn rate that steers the heading onto `bearing`.
    fn turn_toward(&self, bearing: f64, heading: f64) -> f64 {
        let w = self.ty.max_turn_rate_rad_s;
        w * (wrap_pi(bearing - heading) / (w * HEADING_TAU_S)).tanh()
    }

    /// Derivatives at `k`; the sight is computed only when steering needs it or `with_sight`.
    fn eval(&self, k: &Kin, gamma: f64, target: usize, steer: Steer, with_sight: bool) -> Eval {
        let local = Local::at(k);
        let sight = match (steer, with_sight) {
            (Steer::Hold(_), false) => Sight::default(),
            _ => self.sight(&local, target),
        };
        let turn = match steer {
            Steer::Track => self.turn_toward(sight.bearing, k.heading),
            Steer::Hold(w) => w,
        };
        let v = self.ty.speed_mps;
        let (sg, cg) = pitch_sin_cos(gamma);
        let (sh, ch) = (local.sin_heading, local.cos_heading);
        let lon = v * cg * sh / (local.prime_m * local.cos_lat);
        let rates = Rates {
            lat: v * cg * ch / local.meridian_m,
            lon,
            alt: v * sg,
            heading: lon * local.sin_lat + turn,
            turn,
        };
        Eval {
            local,
            rates,
            sight,
        }
    }

    /// One classical Runge–Kutta step of length `h` from `k`, whose derivatives are `k1`.
    fn advance(&self, k: &Kin, k1: &Rates, gamma: f64, target: usize, steer: Steer, h: f64) -> Kin {
        let at = |r: &Rates, c: f64| Kin {
            lat: k.lat + c * r.lat,
            lon: k.lon + c * r.lon,
            alt: k.alt + c * r.alt,
            heading: k.heading + c * r.heading,
        };
        let k2 = self
            .eval(&at(k1, 0.5 * h), gamma, target, steer, false)
            .rates;
        let k3 = self
            .eval(&at(&k2, 0.5 * h), gamma, target, steer, false)
            .rates;
        let k4 = self.eval(&at(&k3, h), gamma, target, steer, false).rates;
        let sum = |f: fn(&Rates) -> f64| f(k1) + 2.0 * f(&k2) + 2.0 * f(&k3) + f(&k4);
        Kin {
            lat: k.lat + h / 6.0 * sum(|r| r.lat),
            lon: k.lon + h / 6.0 * sum(|r| r.lon),
            alt: k.alt + h / 6.0 * sum(|r| r.alt),
            heading: k.heading + h / 6.0 * sum(|r| r.heading),
        }
    }

    /// How far the current target still is from its event (switch or dive); the event happens
    /// when this reaches zero. `armed`: the target has been ahead, so passing it abeam counts.
    fn to_go(&self, k: &Kin, sight: &Sight, target: usize, armed: bool) -> f64 {
        let distance = if self.is_aim(target) {
            let dive_m = (k.alt - self.aim.alt_m) / self.tan_dive;
            // The horizontal chord is within 0.1 % of the ground distance near the aim; use
            // Karney's geodesic only where the comparison is close.
            let d = if sight.horizontal_m > 1.01 * dive_m.max(0.0) + 100.0 {
                sight.horizontal_m
            } else {
                let here = Geodetic {
                    lat_rad: k.lat,
                    lon_rad: k.lon,
                    alt_m: k.alt,
                };
                here.geodesic_to(&self.aim).distance_m
            };
            d - dive_m
        } else {
            sight.horizontal_m - self.targets[target].capture_m
        };
        if armed {
            distance.min(sight.along_m)
        } else {
            distance
        }
    }

    /// The trajectory sample of a state in level or climbing flight.
    fn sample(&self, t: f64, e: &Eval, gamma: f64) -> Sample {
        let v = self.ty.speed_mps;
        let (l, r) = (&e.local, &e.rates);
        let (sg, cg) = pitch_sin_cos(gamma);
        let (sh, ch) = (l.sin_heading, l.cos_heading);
        let velocity = (l.east * (cg * sh) + l.north * (cg * ch) + l.up * sg) * v;
        // Rates of the ENU triad carried along the path.
        let east_dot = l.north * (r.lon * l.sin_lat) - l.up * (r.lon * l.cos_lat);
        let north_dot = -l.up * r.lat - l.east * (r.lon * l.sin_lat);
        let up_dot = l.north * r.lat + l.east * (r.lon * l.cos_lat);
        let accel = ((l.east * ch - l.north * sh) * (cg * r.heading)
            + east_dot * (cg * sh)
            + north_dot * (cg * ch)
            + up_dot * sg)
            * v;
        Sample {
            t,
            r: l.r,
            v: velocity,
            a: accel,
        }
    }

    fn fly(&self, launch: &Geodetic, max_time_s: f64) -> Result<RouteFlight, RouteError> {
        let v = self.ty.speed_mps;
        let cruise = self.ty.cruise_alt_m;
        let climb_gamma = |alt: f64| {
            if alt < cruise {
                self.ty.climb_angle_rad
            } else if alt > cruise {
                -self.ty.climb_angle_rad
            } else {
                0.0
            }
        };
        let mut k = Kin {
            lat: launch.lat_rad,
            lon: launch.lon_rad,
            alt: launch.alt_m,
            heading: 0.0,
        };
        k.heading = self.sight(&Local::at(&k), 0).bearing;
        let mut gamma = climb_gamma(k.alt);
        let mut t = 0.0;
        let mut target = 0;
        let mut armed = false;
        let mut force_sample = false;
        let mut apogee = Apogee {
            t_s: 0.0,
            alt_m: k.alt,
        };
        let mut samples: Vec<Sample> = Vec::with_capacity(256);
        let mut here = self.eval(&k, gamma, target, Steer::Track, true);
        let stalled = |steps: u64, t: f64| RouteError::Stalled { steps, after_s: t };

        let mut steps: u64 = 0;
        loop {
            steps += 1;
            if steps > MAX_ROUTE_STEPS {
                return Err(stalled(steps - 1, t));
            }
            if k.lat.is_nan() || k.lat.abs() > POLE_LIMIT_RAD {
                return Err(RouteError::NearPole {
                    lat_deg: k.lat.to_degrees(),
                });
            }
            if t > max_time_s {
                return Err(RouteError::NoArrival { after_s: t });
            }
            if k.alt > apogee.alt_m {
                apogee = Apogee {
                    t_s: t,
                    alt_m: k.alt,
                };
            }
            if !armed && here.sight.along_m > 0.0 {
                armed = true;
            }
            let to_go = self.to_go(&k, &here.sight, target, armed);
            let event = to_go <= 0.0;
            let last_t = samples.last().map_or(f64::NEG_INFINITY, |s| s.t);
            let turning = v * here.rates.turn.abs() > TURNING_MPS2;
            if event || force_sample || gamma != 0.0 || turning || t - last_t >= SPARSE_S - 1e-9 {
                push(&mut samples, self.sample(t, &here, gamma));
                force_sample = false;
            }
            if event {
                if self.is_aim(target) {
                    break;
                }
                target += 1;
                armed = false;
                here = self.eval(&k, gamma, target, Steer::Track, true);
                force_sample = true;
                continue;
            }

            // The step: short while climbing, turning or near an event; long on straight legs.
            let last_t = samples.last().map_or(t, |s| s.t);
            let err = wrap_pi(here.sight.bearing - k.heading);
            let long_h = last_t + SPARSE_S - t;
            let (mut h, steer) = if gamma == 0.0
                && err.abs() < STRAIGHT_RAD
                && long_h > self.step_s
                && to_go > v * (long_h + 2.0 * STEP_S)
            {
                let hold = err * (1.0 - (-long_h / HEADING_TAU_S).exp()) / long_h;
                (long_h, Steer::Hold(hold))
            } else {
                (self.step_s, Steer::Track)
            };
            let mut tops_out = false;
            if gamma != 0.0 {
                let to_top = ((cruise - k.alt) / (v * gamma.sin())).max(0.0);
                if to_top <= h {
                    h = to_top;
                    tops_out = true;
                }
            }
            let k1 = match steer {
                Steer::Hold(w) => Rates {
                    heading: here.rates.heading - here.rates.turn + w,
                    turn: w,
                    ..here.rates
                },
                Steer::Track => here.rates,
            };
            let end_at = |tau: f64| {
                let kk = self.advance(&k, &k1, gamma, target, steer, tau);
                let e = self.eval(&kk, gamma, target, Steer::Track, true);
                let f = self.to_go(&kk, &e.sight, target, armed);
                (kk, e, f)
            };
            let (end, end_eval, end_to_go) = end_at(h);
            if end_to_go <= 0.0 {
                // The switch or dive falls inside the step: land on it.
                let tau = regula_falsi(0.0, to_go, h, end_to_go, 1e-7, |tau| end_at(tau).2);
                let (kk, e, _) = end_at(tau);
                k = kk;
                here = e;
                t += tau;
                continue;
            }
            let (t_before, alt_before) = (t, k.alt);
            k = end;
            t += h;
            // A step that moves neither the time nor, while climbing, the height (a height or a
            // time so large that the step is lost to rounding) would be taken for ever.
            if !tops_out && (t <= t_before || (gamma != 0.0 && k.alt == alt_before)) {
                return Err(stalled(steps, t));
            }
            if tops_out {
                // The top of the climb: the last climbing state, then level flight.
                k.alt = cruise;
                let top = self.eval(&k, gamma, target, Steer::Track, true);
                push(&mut samples, self.sample(t, &top, gamma));
                gamma = 0.0;
                here = self.eval(&k, gamma, target, Steer::Track, true);
                force_sample = true;
            } else {
                here = end_eval;
            }
        }

        // The dive: a straight line at speed V onto the aim point.
        let dive_start_s = t;
        let start = here.local.r;
        let chord = self.aim_ecef - start;
        let length_m = chord.norm();
        let before = self.sample(t, &here, gamma);
        let velocity = if length_m > 1e-6 {
            chord * (v / length_m)
        } else {
            before.v
        };
        let dir = velocity / v;
        let at = |s: f64| start + dir * s;
        let above =
            |s: f64| Geodetic::from_ecef(&Coordinate::from_vector3(at(s))).alt_m - self.aim.alt_m;
        let line = |s: f64| Sample {
            t: dive_start_s + s / v,
            r: at(s),
            v: velocity,
            a: Vector3::zeros(),
        };
        push(&mut samples, line(0.0));
        // At most MAX_DIVE_STEPS steps to the end of the line (and past it by two).
        let ds = (v * self.step_s).max(length_m / MAX_DIVE_STEPS as f64);
        let (mut s0, mut f0) = (0.0, above(0.0));
        let hit_s = if length_m <= 1e-6 || f0 <= 0.0 {
            length_m
        } else {
            let mut hit = None;
            for _ in 0..MAX_DIVE_STEPS + 4 {
                let s1 = s0 + ds;
                let f1 = above(s1);
                if f1 <= 0.0 {
                    hit = Some(regula_falsi(s0, f0, s1, f1, 1e-6, above));
                    break;
                }
                if s1 > length_m + 2.0 * ds {
                    hit = Some(length_m);
                    break;
                }
                push(&mut samples, line(s1));
                (s0, f0) = (s1, f1);
            }
            // Only a line that is not a number gets here.
            hit.ok_or_else(|| stalled(steps, dive_start_s))?
        };
        let impact = line(hit_s);
        push(&mut samples, impact);
        Ok(RouteFlight {
            flight: Flight {
                trajectory: Trajectory::new(samples),
                apogee: Some(apogee),
                ground: Some(GroundHit {
                    t_s: impact.t,
                    position: impact.r,
                    velocity: impact.v,
                }),
                max_speed_mps: v,
            },
            dive_start_s,
        })
    }
}

/// Appends `s` unless it repeats the last sample exactly.
fn push(samples: &mut Vec<Sample>, s: Sample) {
    if samples.last() != Some(&s) {
        samples.push(s);
    }
}

/// `sin γ` and `cos γ`, exact and free in level flight.
fn pitch_sin_cos(gamma: f64) -> (f64, f64) {
    if gamma == 0.0 {
        (0.0, 1.0)
    } else {
        gamma.sin_cos()
    }
}

/// The root of `f` in `[a, b]` with `fa > 0 ≥ fb`, by the Illinois variant of regula falsi,
/// to `tol` in the argument; returns a point where `f ≤ 0` (at or just after the crossing).
fn regula_falsi(
    mut a: f64,
    mut fa: f64,
    mut b: f64,
    mut fb: f64,
    tol: f64,
    f: impl Fn(f64) -> f64,
) -> f64 {
    let mut side = 0;
    for _ in 0..100 {
        if b - a <= tol {
            break;
        }
        let mut c = (a * fb - b * fa) / (fb - fa);
        if c.is_nan() || c <= a || c >= b {
            c = 0.5 * (a + b);
        }
        let fc = f(c);
        if fc > 0.0 {
            (a, fa) = (c, fc);
            if side == 1 {
                fb *= 0.5;
            }
            side = 1;
        } else {
            (b, fb) = (c, fc);
            if side == -1 {
                fa *= 0.5;
            }
            side = -1;
            if fc > -1e-9 {
                break;
            }
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEG: f64 = PI / 180.0;

    /// A notional subsonic cruise missile: 250 m/s, 3 km cruise, 0.05 rad/s (5 km turn radius),
    /// 10° climb, 30° dive.
    fn missile() -> AirBreatherType {
        AirBreatherType {
            class: AirClass::Cruise,
            speed_mps: 250.0,
            cruise_alt_m: 3_000.0,
            max_range_m: 2_000e3,
            max_turn_rate_rad_s: 0.05,
            dive_angle_rad: 30.0 * DEG,
            climb_angle_rad: 10.0 * DEG,
        }
    }

    fn launch() -> Geodetic {
        Geodetic::from_degrees(32.0, 45.0, 50.0)
    }

    /// 400 km from the launch point, bearing 60°, 20 m high.
    fn straight_aim() -> Geodetic {
        let mut aim = launch().destination(60.0 * DEG, 400e3);
        aim.alt_m = 20.0;
        aim
    }

    /// A waypoint 150 km north of the launch point and an aim 150 km on, 90° to the right.
    fn dog_leg() -> (Geodetic, Geodetic) {
        let l = launch();
        let mut wp = l.destination(0.0, 150e3);
        wp.alt_m = 0.0;
        let course_in = l.geodesic_to(&wp).azimuth2_rad;
        let mut aim = wp.destination(course_in + FRAC_PI_2, 150e3);
        aim.alt_m = 20.0;
        (wp, aim)
    }

    fn geodetic(r: &Vector3<f64>) -> Geodetic {
        Geodetic::from_ecef(&Coordinate::from_vector3(*r))
    }

    /// Flight-path angle of a velocity at a position, rad (positive up).
    fn path_angle(r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
        let up = *geodetic(r).local_frame().up().as_vector3();
        (v.dot(&up) / v.norm()).asin()
    }

    /// Azimuth of the horizontal velocity, rad.
    fn course(r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
        let f = geodetic(r).local_frame();
        v.dot(f.east().as_vector3())
            .atan2(v.dot(f.north().as_vector3()))
    }

    /// Horizontal acceleration across the velocity, m/s².
    fn lateral_accel(s: &Sample) -> f64 {
        let up = *geodetic(&s.r).local_frame().up().as_vector3();
        let right = s.v.cross(&up).normalize();
        s.a.dot(&right)
    }

    /// A straight route: the dive lands on the aim point (the dive is a straight line onto it,
    /// and the impact is the root of the height on that line), the flight time is the length of
    /// the climb-cruise-dive path over the constant speed (cruise at 3 km lengthens the ground
    /// track by h/R ≈ 0.05 %, well inside 1 %), and the cruise height is held exactly (ḣ = 0
    /// in level flight), both at the samples and between them.
    #[test]
    fn straight_route_hits_the_aim_in_path_length_over_speed_at_cruise_height() {
        let ty = missile();
        let (l, aim) = (launch(), straight_aim());
        let rf = fly_route(&ty, &l, &[], &aim).unwrap();
        let ground = rf.flight.ground.unwrap();
        let hit = geodetic(&ground.position);
        assert!(hit.geodesic_to(&aim).distance_m < 1.0, "{hit:?}");
        assert!((hit.alt_m - aim.alt_m).abs() < 1.0, "{hit:?}");
        assert_eq!(rf.flight.trajectory.end(), ground.t_s);

        let s = l.geodesic_to(&aim).distance_m;
        let (climb, dive) = (ty.cruise_alt_m - l.alt_m, ty.cruise_alt_m - aim.alt_m);
        let (gc, gd) = (ty.climb_angle_rad, ty.dive_angle_rad);
        let path = climb / gc.sin() + (s - climb / gc.tan() - dive / gd.tan()) + dive / gd.sin();
        let expected_s = path / ty.speed_mps;
        assert!(
            ((ground.t_s - expected_s) / expected_s).abs() < 0.01,
            "{} s vs {expected_s} s",
            ground.t_s
        );

        let tr = &rf.flight.trajectory;
        let mut max_alt = f64::NEG_INFINITY;
        for k in 0..=20_000 {
            let t = tr.end() * k as f64 / 20_000.0;
            max_alt = max_alt.max(geodetic(&tr.state_at(t).unwrap().0).alt_m);
        }
        for p in tr.samples() {
            max_alt = max_alt.max(geodetic(&p.r).alt_m);
        }
        assert!((max_alt - ty.cruise_alt_m).abs() < 1.0, "{max_alt}");
        let apogee = rf.flight.apogee.unwrap();
        assert!((apogee.alt_m - ty.cruise_alt_m).abs() < 1e-6);
        // The top of the climb: climb height over vertical speed.
        assert!((apogee.t_s - climb / (ty.speed_mps * gc.sin())).abs() < 1e-6);
        assert_eq!(rf.flight.max_speed_mps, ty.speed_mps);
        // Sparse on the cruise leg: about one sample per 5 s plus every 0.5 s step of the
        // climb (68 s) and the dive (24 s).
        let n = tr.samples().len() as f64;
        assert!(
            n < ground.t_s / 5.0 + (68.0 + 24.0) / 0.5 + 20.0,
            "{n} samples"
        );
        for p in tr.samples() {
            assert!((p.v.norm() - ty.speed_mps).abs() < 1e-6);
        }
    }

    /// A 90° dog-leg: the turn rate never exceeds the limit (by construction ω = ω_max·tanh(·)
    /// and the lateral acceleration is V·ω; checked on the samples' accelerations and on the
    /// course change between samples), the turn is flown at the limit (max lateral acceleration
    /// V·ω_max within 2 %), and the corner is cut on an arc of radius r = V/ω_max tangent to
    /// both legs: its closest approach to the waypoint is r·(1/cos 45° − 1).
    #[test]
    fn dog_leg_turns_at_the_rate_limit_on_the_fly_by_arc() {
        let ty = missile();
        let (wp, aim) = dog_leg();
        let rf = fly_route(&ty, &launch(), &[wp], &aim).unwrap();
        let tr = &rf.flight.trajectory;
        let (v, w) = (ty.speed_mps, ty.max_turn_rate_rad_s);
        let level: Vec<&Sample> = tr
            .samples()
            .iter()
            .filter(|p| p.t < rf.dive_start_s)
            .collect();

        let max_lat = level
            .iter()
            .map(|p| lateral_accel(p).abs())
            .fold(0.0, f64::max);
        assert!(max_lat <= v * w * (1.0 + 1e-9), "{max_lat}");
        assert!(max_lat >= 0.98 * v * w, "{max_lat}");

        let mut max_rate: f64 = 0.0;
        for p in level.windows(2) {
            let dt = p[1].t - p[0].t;
            if dt > 0.0 {
                let dpsi = wrap_pi(course(&p[1].r, &p[1].v) - course(&p[0].r, &p[0].v));
                max_rate = max_rate.max(dpsi.abs() / dt);
            }
        }
        // Meridian convergence adds λ̇·sin φ ≈ 2e-5 rad/s to the heading rate here.
        assert!(max_rate <= w + 3e-5, "{max_rate}");
        assert!(max_rate >= 0.98 * w, "{max_rate}");

        let mut closest = f64::INFINITY;
        let mut t = 0.0;
        while t < rf.dive_start_s {
            let here = geodetic(&tr.state_at(t).unwrap().0);
            closest = closest.min(here.geodesic_to(&wp).distance_m);
            t += 0.05;
        }
        let r = v / w;
        let expected = r * (2f64.sqrt() - 1.0);
        assert!(
            ((closest - expected) / expected).abs() < 0.02,
            "{closest} m vs {expected} m"
        );

        let hit = geodetic(&rf.flight.ground.unwrap().position);
        assert!(hit.geodesic_to(&aim).distance_m < 1.0);
    }

    /// The dive: the straight line onto the aim starts where the ground distance left equals
    /// (h − h_aim)/tan θ (the trigger is located inside its step), so its path angle is θ up to
    /// the Earth's curvature over the dive, ±s/2R = ±0.02° for the 5.2 km dive here.
    #[test]
    fn dive_starts_at_the_dive_geometry_and_holds_the_dive_angle() {
        let ty = missile();
        let aim = straight_aim();
        let rf = fly_route(&ty, &launch(), &[], &aim).unwrap();
        let tr = &rf.flight.trajectory;
        let (r, _) = tr.state_at(rf.dive_start_s).unwrap();
        let start = geodetic(&r);
        assert!((start.alt_m - ty.cruise_alt_m).abs() < 1e-6);
        let left = start.geodesic_to(&aim).distance_m;
        let geometry = (start.alt_m - aim.alt_m) / ty.dive_angle_rad.tan();
        assert!(
            (left - geometry).abs() < 0.01,
            "{left} m left vs {geometry} m"
        );

        let dive: Vec<&Sample> = tr
            .samples()
            .iter()
            .filter(|p| p.t >= rf.dive_start_s)
            .collect();
        // The duplicate at the dive start is the level state; the rest are on the line.
        assert!(path_angle(&dive[0].r, &dive[0].v).abs() < 1e-9);
        assert!(dive.len() > 40);
        for p in &dive[1..] {
            let g = path_angle(&p.r, &p.v);
            assert!((g + ty.dive_angle_rad).abs() < 0.5 * DEG, "{} deg", g / DEG);
            assert!(
                (g + ty.dive_angle_rad).abs() < 0.05 * DEG,
                "{} deg",
                g / DEG
            );
        }
        let slant = (ty.cruise_alt_m - aim.alt_m) / ty.dive_angle_rad.sin();
        let dive_s = rf.flight.ground.unwrap().t_s - rf.dive_start_s;
        assert!((dive_s - slant / ty.speed_mps).abs() < 0.01, "{dive_s}");
    }

    /// A route longer than the maximum range is refused with its length.
    #[test]
    fn too_long_route_is_refused() {
        let ty = AirBreatherType {
            max_range_m: 300e3,
            ..missile()
        };
        let (wp, aim) = dog_leg();
        match check_range(&ty, &launch(), &[wp], &aim) {
            Err(RouteError::TooLong {
                length_km,
                max_range_km,
            }) => {
                assert!((length_km - 300.0).abs() < 1.0, "{length_km}");
                assert_eq!(max_range_km, 300.0);
            }
            other => panic!("{other:?}"),
        }
        assert!(check_range(&ty, &launch(), &[], &straight_aim()).is_err());
        // Flying is a separate matter: the model flies whatever route it is given.
        assert!(fly_route(&ty, &launch(), &[wp], &aim).is_ok());
    }

    /// Bad input is an error, never a panic or a NaN trajectory.
    #[test]
    fn bad_input_is_an_error() {
        let aim = straight_aim();
        let nan_speed = AirBreatherType {
            speed_mps: f64::NAN,
            ..missile()
        };
        assert!(matches!(
            fly_route(&nan_speed, &launch(), &[], &aim),
            Err(RouteError::InvalidParameter {
                name: "speed_mps",
                ..
            })
        ));
        let no_turn = AirBreatherType {
            max_turn_rate_rad_s: 0.0,
            ..missile()
        };
        assert!(matches!(
            fly_route(&no_turn, &launch(), &[], &aim),
            Err(RouteError::InvalidParameter { .. })
        ));
        let bad_wp = Geodetic::from_degrees(f64::NAN, 45.0, 0.0);
        assert!(matches!(
            fly_route(&missile(), &launch(), &[bad_wp], &aim),
            Err(RouteError::InvalidPoint { ref point, .. }) if point == "waypoint 1"
        ));
        let high_aim = Geodetic {
            alt_m: 3_500.0,
            ..aim
        };
        assert!(matches!(
            fly_route(&missile(), &launch(), &[], &high_aim),
            Err(RouteError::AimNotBelowCruise { .. })
        ));
        let polar = Geodetic::from_degrees(89.9, 45.0, 0.0);
        assert!(matches!(
            fly_route(&missile(), &launch(), &[polar], &aim),
            Err(RouteError::NearPole { .. })
        ));
    }

    /// The trajectory is the model's own flight: interpolated between samples it stays within
    /// 1 m of a flight integrated with a quarter of the step (whose samples are its exact
    /// states), its velocity is the derivative of its position, and consecutive samples agree
    /// with each other (the end-corrected trapezoidal rule on their velocities and
    /// accelerations gives their position difference).
    #[test]
    fn trajectory_is_consistent_with_a_finer_flight() {
        let ty = missile();
        let (wp, aim) = dog_leg();
        let coarse = fly_route(&ty, &launch(), &[wp], &aim).unwrap();
        let fine = fly_route_with_step(&ty, &launch(), &[wp], &aim, STEP_S / 4.0).unwrap();
        let (tc, tf) = (&coarse.flight.trajectory, &fine.flight.trajectory);
        assert!(
            (tc.end() - tf.end()).abs() < 1e-3,
            "{} vs {}",
            tc.end(),
            tf.end()
        );

        let mut worst: f64 = 0.0;
        for p in tf.samples().iter().filter(|p| p.t <= tc.end()) {
            worst = worst.max((tc.state_at(p.t).unwrap().0 - p.r).norm());
        }
        for p in tc.samples().windows(2).filter(|p| p[1].t > p[0].t) {
            let t = 0.5 * (p[0].t + p[1].t);
            if t <= tf.end() {
                worst = worst.max((tc.state_at(t).unwrap().0 - tf.state_at(t).unwrap().0).norm());
            }
        }
        assert!(worst < 1.0, "{worst} m");

        for p in tc.samples().windows(2) {
            let h = p[1].t - p[0].t;
            if h <= 0.0 {
                continue;
            }
            let mean = (p[1].r - p[0].r) / h;
            let trapezoid = (p[0].v + p[1].v) * 0.5 - (p[1].a - p[0].a) * (h / 12.0);
            assert!(
                (mean - trapezoid).norm() < 0.01,
                "at {}: {}",
                p[0].t,
                (mean - trapezoid).norm()
            );
            let t = 0.5 * (p[0].t + p[1].t);
            let d = 1e-3f64.min(h / 4.0);
            let (_, v) = tc.state_at(t).unwrap();
            let diff = (tc.state_at(t + d).unwrap().0 - tc.state_at(t - d).unwrap().0) / (2.0 * d);
            assert!((diff - v).norm() < 1e-3, "at {t}: {}", (diff - v).norm());
            assert!(
                (v.norm() - ty.speed_mps).abs() < 0.05,
                "at {t}: {}",
                v.norm()
            );
        }
    }

    /// An aim closer than the climb-and-dive needs: the dive begins during the climb, which is
    /// then the highest point, and still lands on the aim.
    #[test]
    fn short_route_dives_out_of_the_climb() {
        let ty = missile();
        let l = launch();
        let mut aim = l.destination(200.0 * DEG, 5e3);
        aim.alt_m = l.alt_m;
        let rf = fly_route(&ty, &l, &[], &aim).unwrap();
        let apogee = rf.flight.apogee.unwrap();
        assert_eq!(apogee.t_s, rf.dive_start_s);
        // Climb 10° over x, then dive 30° over 5 km − x: x·tan 10° = (5 km − x)·tan 30°.
        let (tc, td) = (ty.climb_angle_rad.tan(), ty.dive_angle_rad.tan());
        let x = 5e3 * td / (tc + td);
        assert!((apogee.alt_m - l.alt_m - x * tc).abs() < 1.0, "{apogee:?}");
        let hit = geodetic(&rf.flight.ground.unwrap().position);
        assert!(hit.geodesic_to(&aim).distance_m < 1.0);
    }

    /// The shipped drone raid's route (three legs, a slow drone descending onto a raised aim)
    /// flies to its aim, with the waypoints passed close by.
    #[test]
    fn drone_route_with_waypoints() {
        let ty = AirBreatherType {
            class: AirClass::Uas,
            speed_mps: 185.0 / 3.6,
            cruise_alt_m: 900.0,
            max_range_m: 2_000e3,
            max_turn_rate_rad_s: 3.0 * DEG,
            dive_angle_rad: 40.0 * DEG,
            climb_angle_rad: 10.0 * DEG,
        };
        let l = Geodetic::from_degrees(33.90, 43.10, 100.0);
        let wps = [
            Geodetic::from_degrees(33.20, 42.20, 0.0),
            Geodetic::from_degrees(32.60, 41.00, 0.0),
        ];
        let aim = Geodetic::from_degrees(32.50, 40.00, 600.0);
        let rf = fly_route(&ty, &l, &wps, &aim).unwrap();
        let tr = &rf.flight.trajectory;
        let hit = geodetic(&rf.flight.ground.unwrap().position);
        assert!(hit.geodesic_to(&aim).distance_m < 1.0);
        let length = route_length_m(&l, &wps, &aim);
        let t_end = tr.end();
        assert!(
            t_end > length / ty.speed_mps && t_end < 1.02 * length / ty.speed_mps,
            "{t_end}"
        );
        for wp in &wps {
            let mut closest = f64::INFINITY;
            let mut t = 0.0;
            while t < t_end {
                closest = closest.min(
                    geodetic(&tr.state_at(t).unwrap().0)
                        .geodesic_to(wp)
                        .distance_m,
                );
                t += 1.0;
            }
            // Course changes of ~10° cut the corner by r·(1/cos(Δ/2) − 1), a few metres.
            assert!(closest < 60.0, "{closest}");
        }
        assert!(tr.samples().len() < 3_000, "{}", tr.samples().len());
    }

    /// Launched above its cruise height, the threat descends at the climb angle to it.
    #[test]
    fn launched_above_cruise_descends_to_it() {
        let ty = missile();
        let l = Geodetic {
            alt_m: 4_000.0,
            ..launch()
        };
        let rf = fly_route(&ty, &l, &[], &straight_aim()).unwrap();
        let apogee = rf.flight.apogee.unwrap();
        assert_eq!((apogee.t_s, apogee.alt_m), (0.0, 4_000.0));
        let first = &rf.flight.trajectory.samples()[0];
        assert!((path_angle(&first.r, &first.v) + ty.climb_angle_rad).abs() < 1e-9);
        let t_level = 1_000.0 / (ty.speed_mps * ty.climb_angle_rad.sin()) + 1.0;
        let (r, _) = rf.flight.trajectory.state_at(t_level).unwrap();
        assert!((geodetic(&r).alt_m - ty.cruise_alt_m).abs() < 1e-3);
    }
}
