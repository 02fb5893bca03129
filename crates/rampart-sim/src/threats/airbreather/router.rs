//! The route's kinematics and lateral guidance: the state `(φ, λ, h, ψ)`, its local geometry,
//! the navigation equations and their Runge–Kutta step, steering toward the current target,
//! the distance to the next event (a waypoint switch or the dive), and the trajectory sample of
//! a state.

use super::{AirBreatherType, HEADING_TAU_S, MAX_CORNER_RAD, STEP_S};
use crate::physics::trajectory::Sample;
use nalgebra::Vector3;
use rampart_core::Geodetic;
use rampart_core::geodesy::{wgs84, wrap_pi};

/// The kinematic state: geodetic latitude, longitude (rad), ellipsoidal height (m) and heading
/// (rad clockwise from north, not wrapped).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Kin {
    pub(super) lat: f64,
    pub(super) lon: f64,
    pub(super) alt: f64,
    pub(super) heading: f64,
}

/// The local geometry at a state: ECEF position, the ENU unit vectors, the radii of curvature
/// plus height, and the sines of latitude and heading.
#[derive(Clone, Copy, Debug)]
pub(super) struct Local {
    pub(super) sin_lat: f64,
    pub(super) cos_lat: f64,
    pub(super) sin_heading: f64,
    pub(super) cos_heading: f64,
    /// `M + h`, m.
    pub(super) meridian_m: f64,
    /// `N + h`, m.
    pub(super) prime_m: f64,
    pub(super) r: Vector3<f64>,
    pub(super) east: Vector3<f64>,
    pub(super) north: Vector3<f64>,
    pub(super) up: Vector3<f64>,
}

impl Local {
    pub(super) fn at(k: &Kin) -> Self {
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
pub(super) struct Sight {
    /// Normal-section bearing, rad clockwise from north.
    pub(super) bearing: f64,
    /// Horizontal distance (the chord projected on the local horizontal), m.
    pub(super) horizontal_m: f64,
    /// Its component along the heading: negative once the target is abeam or behind, m.
    pub(super) along_m: f64,
}

/// How the turn rate is set during a step.
#[derive(Clone, Copy, Debug)]
pub(super) enum Steer {
    /// Toward the target, evaluated continuously.
    Track,
    /// Held at this value (rad/s) through the step.
    Hold(f64),
}

/// The time derivatives of [`Kin`] and the turn rate relative to a geodesic.
#[derive(Clone, Copy, Debug)]
pub(super) struct Rates {
    pub(super) lat: f64,
    pub(super) lon: f64,
    pub(super) alt: f64,
    pub(super) heading: f64,
    pub(super) turn: f64,
}

/// A state with its derivatives and sight of the target, evaluated once.
#[derive(Clone, Copy, Debug)]
pub(super) struct Eval {
    pub(super) local: Local,
    pub(super) rates: Rates,
    pub(super) sight: Sight,
}

/// A target of the lateral guidance.
#[derive(Clone, Copy, Debug)]
pub(super) struct Target {
    pub(super) ecef: Vector3<f64>,
    /// Turn anticipation distance (waypoints), m.
    pub(super) capture_m: f64,
}

#[derive(Debug)]
pub(super) struct Router<'a> {
    pub(super) ty: &'a AirBreatherType,
    /// Waypoints, then the aim point.
    pub(super) targets: Vec<Target>,
    pub(super) aim: Geodetic,
    pub(super) aim_ecef: Vector3<f64>,
    pub(super) tan_dive: f64,
    /// Turn radius `V/ω_max`, m.
    pub(super) radius_m: f64,
    pub(super) step_s: f64,
}
impl<'a> Router<'a> {
    pub(super) fn new(
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

    pub(super) fn is_aim(&self, target: usize) -> bool {
        target + 1 == self.targets.len()
    }

    pub(super) fn sight(&self, local: &Local, target: usize) -> Sight {
        let d = self.targets[target].ecef - local.r;
        let (de, dn) = (d.dot(&local.east), d.dot(&local.north));
        Sight {
            bearing: de.atan2(dn),
            horizontal_m: de.hypot(dn),
            along_m: de * local.sin_heading + dn * local.cos_heading,
        }
    }

    /// The turn rate that steers the heading onto `bearing`.
    pub(super) fn turn_toward(&self, bearing: f64, heading: f64) -> f64 {
        let w = self.ty.max_turn_rate_rad_s;
        w * (wrap_pi(bearing - heading) / (w * HEADING_TAU_S)).tanh()
    }

    /// Derivatives at `k`; the sight is computed only when steering needs it or `with_sight`.
    pub(super) fn eval(
        &self,
        k: &Kin,
        gamma: f64,
        target: usize,
        steer: Steer,
        with_sight: bool,
    ) -> Eval {
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
    pub(super) fn advance(
        &self,
        k: &Kin,
        k1: &Rates,
        gamma: f64,
        target: usize,
        steer: Steer,
        h: f64,
    ) -> Kin {
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
    pub(super) fn to_go(&self, k: &Kin, sight: &Sight, target: usize, armed: bool) -> f64 {
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
    pub(super) fn sample(&self, t: f64, e: &Eval, gamma: f64) -> Sample {
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
}

/// `sin γ` and `cos γ`, exact and free in level flight.
pub(super) fn pitch_sin_cos(gamma: f64) -> (f64, f64) {
    if gamma == 0.0 {
        (0.0, 1.0)
    } else {
        gamma.sin_cos()
    }
}
