//! Engagement planning: where and when an interceptor from a given launcher can meet a threat
//! on its predicted path.
//!
//! For an intercept at time `t` on the path, the interceptor must launch at
//! `L(t) = t − T(ρ(t), θ(t))`, where `T` is the flyout table's time to the point's slant range
//! ρ and elevation θ from the launcher. A point is a candidate when it lies inside the
//! interceptor's envelope and within reach of the table. The **engagement window** is the
//! range of `L` over the candidates; a launch is possible when the first possible launch time
//! (now plus the launch delay) lies inside it. The **predicted intercept point** for a launch at `L₀` is the earliest root of
//! `f(t) = t − L₀ − T(p(t))`, bracketed on the path's points and refined by bisection on the
//! path's cubic interpolation.

use crate::bmc::evaluation::{PredictedPath, fast_altitude};
use crate::weapons::interceptor::InterceptorType;
use nalgebra::Vector3;
use rampart_core::{Coordinate, LocalFrame};

/// A planned intercept.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Intercept {
    /// Launch time, s since the epoch.
    pub launch_s: f64,
    /// Intercept time, s since the epoch.
    pub intercept_s: f64,
    /// Predicted intercept point, ECEF, m.
    pub point: Vector3<f64>,
    /// Threat velocity there, ECEF, m/s.
    pub threat_velocity: Vector3<f64>,
    /// Altitude of the intercept point, m.
    pub altitude_m: f64,
    /// Ground range from the launcher, m.
    pub ground_range_m: f64,
}

impl Intercept {
    /// Interceptor flight time, s.
    pub fn flight_s(&self) -> f64 {
        self.intercept_s - self.launch_s
    }
}

/// The geometry of a point seen from a launcher, and whether it can be engaged.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Seen {
    altitude_m: f64,
    ground_range_m: f64,
    /// Flight time to it, if inside the envelope and in reach.
    flight_s: Option<f64>,
}

fn seen(r: &Vector3<f64>, frame: &LocalFrame, ty: &InterceptorType) -> Seen {
    let e = frame.to_enu(&Coordinate::from_vector3(*r));
    let ground = e.x().hypot(e.y());
    let slant = (ground * ground + e.z() * e.z()).sqrt();
    let el = e.z().atan2(ground);
    let alt = fast_altitude(r);
    let flight_s = ty
        .envelope
        .contains(alt, ground)
        .then(|| ty.flyout.flyout(slant, el).map(|f| f.time_s))
        .flatten();
    Seen {
        altitude_m: alt,
        ground_range_m: ground,
        flight_s,
    }
}

/// The engagement window `(earliest, latest)` launch times (s since the epoch) of a launcher
/// whose ENU frame is `frame` against `path`. A launch at a time inside it meets the threat
/// inside the envelope; the window may have opened in the past.
pub fn window(
    path: &PredictedPath,
    frame: &LocalFrame,
    ty: &InterceptorType,
) -> Option<(f64, f64)> {
    let mut out: Option<(f64, f64)> = None;
    for p in &path.points {
        let Some(tf) = seen(&p.r, frame, ty).flight_s else {
            continue;
        };
        let l = p.t_s - tf;
        out = Some(match out {
            None => (l, l),
            Some((a, b)) => (a.min(l), b.max(l)),
        });
    }
    out
}

/// The intercept of a launch at `launch_s`: the earliest point of `path` the interceptor
/// reaches exactly when the threat does, inside the envelope.
pub fn intercept_for_launch(
    path: &PredictedPath,
    frame: &LocalFrame,
    ty: &InterceptorType,
    launch_s: f64,
) -> Option<Intercept> {
    // f(t) = t − launch − T(p(t)); None where the point cannot be engaged.
    let f = |t: f64| -> Option<f64> {
        let (r, _) = path.at(t)?;
        let tf = seen(&r, frame, ty).flight_s?;
        Some(t - launch_s - tf)
    };
    let pts = &path.points;
    let mut prev: Option<(f64, f64)> = None;
    let mut last_t: Option<f64> = None;
    for p in pts.iter().filter(|p| p.t_s > launch_s) {
        let fv = f(p.t_s);
        if let (Some((ta, fa)), Some(fb)) = (prev, fv)
            && fa < 0.0
            && fb >= 0.0
        {
            let (mut lo, mut hi) = (ta, p.t_s);
            for _ in 0..40 {
                let mid = 0.5 * (lo + hi);
                match f(mid) {
                    Some(fm) if fm < 0.0 => lo = mid,
                    Some(_) => hi = mid,
                    // The envelope edge within the bracket: keep the engageable side.
                    None => lo = mid,
                }
                if hi - lo < 1e-4 {
                    break;
                }
            }
            let meet = meeting(path, frame, ty, launch_s, hi)?;
            return seen(&meet.point, frame, ty).flight_s.map(|_| meet);
        }
        // Entering the envelope with time to spare: meet it at the envelope's edge, found by
        // bisection between the last point outside and this one.
        if prev.is_none()
            && let Some(fb) = fv
            && fb >= 0.0
        {
            let mut hi = p.t_s;
            if let Some(lo_t) = last_t {
                let mut lo = lo_t;
                for _ in 0..40 {
                    let mid = 0.5 * (lo + hi);
                    match f(mid) {
                        Some(fm) if fm >= 0.0 => hi = mid,
                        _ => lo = mid,
                    }
                    if hi - lo < 1e-4 {
                        break;
                    }
                }
            }
            return meeting(path, frame, ty, launch_s, hi);
        }
        last_t = Some(p.t_s);
        prev = fv.map(|x| (p.t_s, x));
    }
    None
}

/// The intercept of a launch at `launch_s` meeting `path` at `t_s`.
fn meeting(
    path: &PredictedPath,
    frame: &LocalFrame,
    ty: &InterceptorType,
    launch_s: f64,
    t_s: f64,
) -> Option<Intercept> {
    let (r, v) = path.at(t_s)?;
    let s = seen(&r, frame, ty);
    Some(Intercept {
        launch_s,
        intercept_s: t_s,
        point: r,
        threat_velocity: v,
        altitude_m: s.altitude_m,
        ground_range_m: s.ground_range_m,
    })
}
