//! # rampart-core
//!
//! The foundations every other Rampart crate stands on: exact simulation time, frame-typed
//! geometry on the WGS-84 ellipsoid, quantities with units as scenario files write them, and
//! seeded random streams.
//!
//! ## Primer
//!
//! * **Time** is [`SimTime`], an integer count of nanoseconds since the scenario epoch. It is never
//!   accumulated in floating point, so a clock left running for 1,000 hours is as exact as at
//!   hour zero (the 1991 Dhahran Patriot failure was a clock kept in 24-bit fixed point).
//! * **Frames.** World truth lives in WGS-84 ECEF ([`frames::Ecef`]): origin at the Earth's centre,
//!   z through the north pole, x through the prime meridian, rotating with the Earth. Each site has
//!   its own local east-north-up frame ([`frames::Enu`]), built by [`geodesy::LocalFrame`].
//!   Positions and vectors carry their frame in their type ([`Coordinate`], [`Vector`]), so ECEF
//!   cannot be mixed with ENU by accident.
//! * **Units.** SI and radians inside, `f64`, the unit in the name (`range_m`, `az_rad`). Strings
//!   such as `"160 km"` are parsed once, by [`units::parse_quantity`], at the edge.
//! * **Randomness.** Every draw comes from a stream of [`random::RandomStreams`] named by entity and
//!   purpose, so adding an entity never changes another's draws.
//!
//! ## What the types don't protect you from
//!
//! Two ENU values from different sites share a type; the site lives in the `LocalFrame` that
//! made them. Nothing carries a time tag. Latitude and longitude are radians in [`Geodetic`]
//! fields; use the `*_deg` helpers at the edges.
//!
//! ## Example
//!
//! ```
//! use rampart_core::prelude::*;
//!
//! // Kermanshah to Al Asad air base: the geodesic and the view from the base.
//! let launch = Geodetic::from_degrees(34.314, 47.065, 1_320.0);
//! let base = Geodetic::from_degrees(33.7856, 42.4412, 188.0);
//! let line = launch.geodesic_to(&base);
//! assert!((line.distance_m - 430e3).abs() < 5e3);
//!
//! let view = base.local_frame().aer(&launch.to_ecef());
//! assert!(view.el_rad < 0.0); // 430 km away, the launch site is below the base's horizon
//!
//! let t = SimTime::EPOCH + SimDuration::from_secs(3_600);
//! assert_eq!(t.as_nanos(), 3_600_000_000_000);
//! ```

#![warn(missing_docs)]

pub mod calendar;
pub mod frames;
pub mod geodesy;
pub mod input;
pub mod random;
pub mod search;
pub mod time;
pub mod units;

pub use frames::{Coordinate, Ecef, Enu, Frame, Vector};
pub use geodesy::{Aer, Geodetic, LocalFrame};
pub use time::{SimDuration, SimTime};

/// The names most users of the crate need.
pub mod prelude {
    pub use crate::frames::{Coordinate, Ecef, Enu, Vector};
    pub use crate::geodesy::{Aer, Geodetic, LocalFrame, wgs84};
    pub use crate::random::RandomStreams;
    pub use crate::time::{SimDuration, SimTime};
    pub use crate::units::{Dimension, Quantity, parse_quantity};
}
