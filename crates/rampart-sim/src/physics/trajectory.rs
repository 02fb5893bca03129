//! A flown trajectory kept densely, so any later stage (a radar dwell, a tracker's truth metric)
//! can ask for the state at any instant without re-integrating.
//!
//! Samples are the integrator's own step boundaries: time, ECEF position, velocity and
//! acceleration. Between two samples position is the quintic Hermite interpolant matching
//! position, velocity and acceleration at both ends, and velocity its derivative, so the error
//! is of the integrator's own order. Where the forces jump (burn-out, a waypoint) two samples
//! share one time, one with the acceleration on each side.

use nalgebra::{SVector, Vector3};

/// One sample of a trajectory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// Time after the trajectory's start, s.
    pub t: f64,
    /// ECEF position, m.
    pub r: Vector3<f64>,
    /// ECEF velocity, m/s.
    pub v: Vector3<f64>,
    /// ECEF acceleration (in the rotating frame), m/s².
    pub a: Vector3<f64>,
}

impl Sample {
    /// A sample from a 6-state `(r, v)` and its derivative `(v, a)`.
    pub fn from_state(t: f64, y: &SVector<f64, 6>, f: &SVector<f64, 6>) -> Self {
        Self {
            t,
            r: Vector3::new(y[0], y[1], y[2]),
            v: Vector3::new(y[3], y[4], y[5]),
            a: Vector3::new(f[3], f[4], f[5]),
        }
    }
}

/// A time-ordered list of samples with dense interpolation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trajectory {
    samples: Vec<Sample>,
}

impl Trajectory {
    /// A trajectory from samples in non-decreasing time order.
    pub fn new(samples: Vec<Sample>) -> Self {
        debug_assert!(samples.windows(2).all(|w| w[1].t >= w[0].t));
        Self { samples }
    }
    /// The samples.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }
    /// Start time, s.
    pub fn start(&self) -> f64 {
        self.samples.first().map_or(0.0, |s| s.t)
    }
    /// End time, s.
    pub fn end(&self) -> f64 {
        self.samples.last().map_or(0.0, |s| s.t)
    }

    /// Position and velocity at `t` (s after the start); `None` outside the trajectory.
    pub fn state_at(&self, t: f64) -> Option<(Vector3<f64>, Vector3<f64>)> {
        let s = &self.samples;
        if s.is_empty() || t < s[0].t || t > s[s.len() - 1].t {
            return None;
        }
        // First sample strictly after t; the pair (i-1, i) brackets t.
        let i = s.partition_point(|p| p.t <= t);
        if i == 0 {
            return Some((s[0].r, s[0].v));
        }
        if i == s.len() {
            let p = &s[s.len() - 1];
            return Some((p.r, p.v));
        }
        let (p0, p1) = (&s[i - 1], &s[i]);
        let h = p1.t - p0.t;
        if h <= 0.0 {
            return Some((p1.r, p1.v));
        }
        let u = (t - p0.t) / h;
        Some(hermite5(p0, p1, u, h))
    }
}

impl Trajectory {
    /// The full sample (position, velocity and acceleration) at `t`: interpolated inside the
    /// trajectory (the acceleration is the interpolant's second derivative), extrapolated at
    /// constant acceleration from the nearer end outside it. `None` only when empty.
    pub fn sample_at(&self, t: f64) -> Option<Sample> {
        let s = &self.samples;
        let (first, last) = (s.first()?, s.last()?);
        let from = |p: &Sample| {
            let dt = t - p.t;
            Sample {
                t,
                r: p.r + p.v * dt + p.a * (0.5 * dt * dt),
                v: p.v + p.a * dt,
                a: p.a,
            }
        };
        if t <= first.t {
            return Some(from(first));
        }
        if t >= last.t {
            return Some(from(last));
        }
        let i = s.partition_point(|p| p.t <= t);
        let (p0, p1) = (&s[i - 1], &s[i]);
        let h = p1.t - p0.t;
        if h <= 0.0 {
            return Some(from(p1));
        }
        let u = (t - p0.t) / h;
        let (r, v) = hermite5(p0, p1, u, h);
        let (u2, u3) = (u * u, u * u * u);
        // Second derivatives in u of the quintic Hermite basis of `hermite5`.
        let a = (p0.r * (-60.0 * u + 180.0 * u2 - 120.0 * u3)
            + p1.r * (60.0 * u - 180.0 * u2 + 120.0 * u3))
            / (h * h)
            + (p0.v * (-36.0 * u + 96.0 * u2 - 60.0 * u3)
                + p1.v * (-24.0 * u + 84.0 * u2 - 60.0 * u3))
                / h
            + p0.a * (1.0 - 9.0 * u + 18.0 * u2 - 10.0 * u3)
            + p1.a * (3.0 * u - 12.0 * u2 + 10.0 * u3);
        Some(Sample { t, r, v, a })
    }
}

/// Quintic Hermite interpolation of position (matching r, v, a at both ends) and its derivative.
fn hermite5(p0: &Sample, p1: &Sample, u: f64, h: f64) -> (Vector3<f64>, Vector3<f64>) {
    let u2 = u * u;
    let u3 = u2 * u;
    let u4 = u3 * u;
    let u5 = u4 * u;
    // Quintic Hermite basis functions and their derivatives in u.
    let h0 = 1.0 - 10.0 * u3 + 15.0 * u4 - 6.0 * u5;
    let h1 = u - 6.0 * u3 + 8.0 * u4 - 3.0 * u5;
    let h2 = 0.5 * u2 - 1.5 * u3 + 1.5 * u4 - 0.5 * u5;
    let h3 = 0.5 * u3 - u4 + 0.5 * u5;
    let h4 = -4.0 * u3 + 7.0 * u4 - 3.0 * u5;
    let h5 = 10.0 * u3 - 15.0 * u4 + 6.0 * u5;
    let d0 = -30.0 * u2 + 60.0 * u3 - 30.0 * u4;
    let d1 = 1.0 - 18.0 * u2 + 32.0 * u3 - 15.0 * u4;
    let d2 = u - 4.5 * u2 + 6.0 * u3 - 2.5 * u4;
    let d3 = 1.5 * u2 - 4.0 * u3 + 2.5 * u4;
    let d4 = -12.0 * u2 + 28.0 * u3 - 15.0 * u4;
    let d5 = 30.0 * u2 - 60.0 * u3 + 30.0 * u4;
    let r = p0.r * h0
        + p0.v * (h * h1)
        + p0.a * (h * h * h2)
        + p1.a * (h * h * h3)
        + p1.v * (h * h4)
        + p1.r * h5;
    let v = (p0.r * d0 + p1.r * d5) / h + p0.v * d1 + p1.v * d4 + (p0.a * d2 + p1.a * d3) * h;
    (r, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quintic Hermite interpolant reproduces any polynomial of degree ≤ 5 exactly.
    #[test]
    fn reproduces_a_quintic_exactly() {
        let r = |t: f64| Vector3::new(t.powi(5) - 2.0 * t * t, 3.0 * t.powi(4), 7.0 - t);
        let v = |t: f64| Vector3::new(5.0 * t.powi(4) - 4.0 * t, 12.0 * t.powi(3), -1.0);
        let a = |t: f64| Vector3::new(20.0 * t.powi(3) - 4.0, 36.0 * t * t, 0.0);
        let mk = |t: f64| Sample {
            t,
            r: r(t),
            v: v(t),
            a: a(t),
        };
        let tr = Trajectory::new(vec![mk(1.0), mk(2.5)]);
        for k in 0..=10 {
            let t = 1.0 + 1.5 * k as f64 / 10.0;
            let (ri, vi) = tr.state_at(t).unwrap();
            assert!((ri - r(t)).norm() < 1e-9, "r at {t}");
            assert!((vi - v(t)).norm() < 1e-9, "v at {t}");
        }
        assert!(tr.state_at(0.5).is_none() && tr.state_at(2.6).is_none());
        for k in 0..=10 {
            let t = 1.0 + 1.5 * k as f64 / 10.0;
            let p = tr.sample_at(t).unwrap();
            assert!(
                (p.r - r(t)).norm() < 1e-9 && (p.v - v(t)).norm() < 1e-9,
                "at {t}"
            );
            assert!((p.a - a(t)).norm() < 1e-9, "a at {t}: {} vs {}", p.a, a(t));
        }
        // Outside: constant acceleration from the nearer end.
        let p = tr.sample_at(3.0).unwrap();
        assert!((p.r - (r(2.5) + v(2.5) * 0.5 + a(2.5) * 0.125)).norm() < 1e-9);
    }
}
