//! The cubic Hermite interpolant of a position over one integration step, from the position and
//! velocity at both ends: the end game's closest approach and the threat evaluation's ground
//! crossing both search it.

use nalgebra::Vector3;

/// Cubic Hermite interpolant of a position over one step, in the normalised time s = τ/dt ∈ [0, 1]:
///
/// p(s) = c0 + c1·s + c2·s² + c3·s³ with
/// c0 = r0, c1 = dt·v0, c2 = 3(r1 − r0) − dt(2v0 + v1),
/// c3 = 2(r0 − r1) + dt(v0 + v1)
///
/// (standard cubic Hermite basis h00 = 2s³−3s²+1, h10 = s³−2s²+s,
/// h01 = −2s³+3s², h11 = s³−s²; e.g. Burden & Faires, *Numerical Analysis*,
/// §3.4). It matches position and velocity at both ends and is therefore
/// exact for any motion that is a cubic polynomial in time — constant jerk,
/// which includes constant acceleration and constant velocity.
pub(crate) struct Hermite {
    c: [Vector3<f64>; 4],
}

impl Hermite {
    pub(crate) fn new(
        r0: &Vector3<f64>,
        v0: &Vector3<f64>,
        r1: &Vector3<f64>,
        v1: &Vector3<f64>,
        dt: f64,
    ) -> Self {
        let d = r1 - r0;
        let c0 = *r0;
        let c1 = v0 * dt;
        let c2 = d * 3.0 - (v0 * 2.0 + v1) * dt;
        let c3 = -d * 2.0 + (v0 + v1) * dt;
        Self {
            c: [c0, c1, c2, c3],
        }
    }

    /// p(s).
    pub(crate) fn pos(&self, s: f64) -> Vector3<f64> {
        let [c0, c1, c2, c3] = &self.c;
        c0 + (c1 + (c2 + c3 * s) * s) * s
    }

    /// dp/ds.
    pub(crate) fn deriv(&self, s: f64) -> Vector3<f64> {
        let [_, c1, c2, c3] = &self.c;
        c1 + (c2 * 2.0 + c3 * (3.0 * s)) * s
    }

    /// g(s) = p·dp/ds = ½ d|p|²/ds, a quintic in s. g < 0 means closing.
    pub(crate) fn g(&self, s: f64) -> f64 {
        self.pos(s).dot(&self.deriv(s))
    }
}
