//! Air-breathing threats: cruise missiles, aircraft and one-way-attack drones.
//! (Implementation in progress.)

use crate::physics::flight::Flight;
use rampart_core::Geodetic;

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
    #[error("the route is {length_km:.1} km long, beyond the maximum range of {max_range_km:.1} km")]
    TooLong {
        /// Route length, km.
        length_km: f64,
        /// Maximum range, km.
        max_range_km: f64,
    },
}

/// Geodesic length of launch → waypoints → aim, m.
pub fn route_length_m(launch: &Geodetic, waypoints: &[Geodetic], aim: &Geodetic) -> f64 {
    let mut pts = vec![*launch];
    pts.extend_from_slice(waypoints);
    pts.push(*aim);
    pts.windows(2).map(|w| w[0].geodesic_to(&w[1]).distance_m).sum()
}

/// Flies `ty` from `launch` through `waypoints` and dives onto `aim`.
pub fn fly_route(ty: &AirBreatherType, launch: &Geodetic, waypoints: &[Geodetic], aim: &Geodetic) -> Result<RouteFlight, RouteError> {
    let _ = (ty, launch, waypoints, aim);
    unimplemented!("in progress")
}
