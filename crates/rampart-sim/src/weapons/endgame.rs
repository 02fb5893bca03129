//! End game: closest point of approach (CPA) inside one integration step and
//! warhead lethality versus miss distance.
//!
//! At 3–5 km/s closing speed an interceptor moves 30–50 m per 10 ms step, so
//! comparing ranges only at step ends "tunnels" through the target and
//! overstates the miss by up to half a step's travel. [`crosses`] detects the
//! step in which the range stops decreasing, and [`closest_approach`] finds
//! the minimum range inside it from the cubic Hermite interpolant of the
//! relative position built from both step ends (position and velocity).
//!
//! Conventions: relative quantities are target − interceptor, SI units.

use crate::physics::hermite::Hermite;
use nalgebra::Vector3;

/// Closest point of approach within one integration step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Approach {
    /// Time of closest approach after the step start, s, in [0, dt].
    pub tau_s: f64,
    /// Miss distance |r(τ)| at closest approach, m.
    pub miss_m: f64,
    /// Relative position (target − interceptor) at closest approach, m.
    pub rel_pos: Vector3<f64>,
}

/// Number of uniform sub-intervals used to bracket the roots of d|r|²/ds.
const SAMPLES: usize = 128;

/// `true` if `a` is a strictly better (smaller) squared range than `b`,
/// treating NaN as worse than anything.
fn better(a: f64, b: f64) -> bool {
    a < b || (b.is_nan() && !a.is_nan())
}

/// Bisect g on [a, b] given g(a) < 0 ≤ g(b); returns the bracketed root.
fn bisect(h: &Hermite, mut a: f64, mut b: f64) -> f64 {
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        if h.g(m) < 0.0 {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

/// Golden-section minimisation of |p(s)|² on [a, b].
fn golden(h: &Hermite, mut a: f64, mut b: f64) -> f64 {
    const INV_PHI: f64 = 0.618_033_988_749_894_8;
    let f = |s: f64| h.pos(s).norm_squared();
    let mut x1 = b - INV_PHI * (b - a);
    let mut x2 = a + INV_PHI * (b - a);
    let mut f1 = f(x1);
    let mut f2 = f(x2);
    for _ in 0..120 {
        if b - a <= 1e-15 || (b - a).is_nan() {
            break;
        }
        if f1 < f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - INV_PHI * (b - a);
            f1 = f(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + INV_PHI * (b - a);
            f2 = f(x2);
        }
    }
    0.5 * (a + b)
}

/// Closest point of approach within one integration step [0, dt].
///
/// Inputs are the relative position and velocity (target − interceptor) at
/// the step start (`r0`, `v0`) and end (`r1`, `v1`). The relative position
/// inside the step is the cubic Hermite interpolant of those four vectors,
/// which is exact whenever the relative motion is a cubic polynomial in time
/// over the step (constant relative jerk; in particular constant relative
/// acceleration and constant relative velocity). For general motion its
/// position error is O(dt⁴) (standard Hermite interpolation error bound).
///
/// |r(τ)|² is minimised on the closed interval [0, dt], endpoints included:
/// its derivative 2 r·ṙ is a quintic; the quintic is sampled on 128 uniform
/// sub-intervals, every closing-to-opening sign change is refined by
/// bisection to machine precision, the best sample is additionally refined
/// by golden-section search (catching a pair of roots closer together than
/// one sub-interval), and the smallest range among all candidates and both
/// endpoints wins. The endpoints use the given `r0`/`r1` exactly.
///
/// Degenerate step (`dt` ≤ 0 or not finite): both ends are the same instant,
/// so the result is `tau_s = 0` with the smaller-range end point. Never
/// panics; NaN inputs give NaN/undefined fields but no panic.
pub fn closest_approach(
    r0: &Vector3<f64>,
    v0: &Vector3<f64>,
    r1: &Vector3<f64>,
    v1: &Vector3<f64>,
    dt: f64,
) -> Approach {
    if !(dt.is_finite() && dt > 0.0) {
        let rel_pos = if better(r1.norm_squared(), r0.norm_squared()) {
            *r1
        } else {
            *r0
        };
        return Approach {
            tau_s: 0.0,
            miss_m: rel_pos.norm(),
            rel_pos,
        };
    }
    let h = Hermite::new(r0, v0, r1, v1, dt);

    // (s, p(s), |p(s)|²) of the best candidate so far; start with s = 0.
    let mut best_s = 0.0;
    let mut best_p = *r0;
    let mut best_f = r0.norm_squared();
    let mut consider = |s: f64, p: Vector3<f64>| {
        let f = p.norm_squared();
        if better(f, best_f) {
            best_s = s;
            best_p = p;
            best_f = f;
        }
    };
    consider(1.0, *r1);

    let mut best_sample = 0usize;
    let mut best_sample_f = r0.norm_squared();
    let mut s_prev = 0.0;
    let mut g_prev = r0.dot(&(v0 * dt));
    for i in 1..=SAMPLES {
        let s = i as f64 / SAMPLES as f64;
        let (p, g) = if i == SAMPLES {
            (*r1, r1.dot(&(v1 * dt)))
        } else {
            (h.pos(s), h.g(s))
        };
        let f = p.norm_squared();
        if better(f, best_sample_f) {
            best_sample = i;
            best_sample_f = f;
        }
        if g_prev < 0.0 && g >= 0.0 {
            // Local minimum of |p|² bracketed in [s_prev, s].
            let root = bisect(&h, s_prev, s);
            consider(root, h.pos(root));
        }
        s_prev = s;
        g_prev = g;
    }
    // Golden-section refinement around the best sample.
    let lo = best_sample.saturating_sub(1) as f64 / SAMPLES as f64;
    let hi = (best_sample + 1).min(SAMPLES) as f64 / SAMPLES as f64;
    let s_g = golden(&h, lo, hi);
    consider(s_g, h.pos(s_g));

    let tau_s = (best_s * dt).clamp(0.0, dt);
    Approach {
        tau_s,
        miss_m: best_p.norm(),
        rel_pos: best_p,
    }
}

/// Whether the closest point of approach lies inside the step (0, dt]: the
/// range rate of the Hermite interpolant (see [`closest_approach`]) changes
/// from closing (r·ṙ < 0) to not closing (r·ṙ ≥ 0) somewhere in the step,
/// including the case where the step ends exactly at the minimum.
///
/// A caller integrating an engagement checks this after every step and, when
/// it is `true`, calls [`closest_approach`] on the same step to get the miss
/// distance — so an intercept is detected even when the interceptor passes
/// the target by tens of metres per step (no tunnelling). A step that starts
/// exactly at the minimum returns `false` (the previous step reported it).
/// `dt` ≤ 0 or not finite returns `false`.
pub fn crosses(
    r0: &Vector3<f64>,
    v0: &Vector3<f64>,
    r1: &Vector3<f64>,
    v1: &Vector3<f64>,
    dt: f64,
) -> bool {
    if !(dt.is_finite() && dt > 0.0) {
        return false;
    }
    let h = Hermite::new(r0, v0, r1, v1, dt);
    let mut g_prev = r0.dot(v0);
    for i in 1..=SAMPLES {
        let g = if i == SAMPLES {
            r1.dot(v1)
        } else {
            h.g(i as f64 / SAMPLES as f64)
        };
        if g_prev < 0.0 && g >= 0.0 {
            return true;
        }
        g_prev = g;
    }
    false
}

/// Warhead lethality: probability of kill as a function of miss distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lethality {
    /// Hit-to-kill (kinetic) interceptor modelled as a cookie cutter:
    /// Pk = 1 for miss ≤ `lethal_radius_m` (boundary inclusive), else 0.
    HitToKill {
        /// Lethal radius, m (sum of effective body radii).
        lethal_radius_m: f64,
    },
    /// Blast-fragmentation warhead with a circular Carleton (Gaussian)
    /// damage function Pk(m) = pk_max·exp(−m²/(2σ²)), σ = `lethal_radius_m`.
    BlastFragmentation {
        /// Pk at zero miss (Carleton's D0), clamped to [0, 1].
        pk_max: f64,
        /// Gaussian width σ, m (Pk falls to pk_max·e^(−1/2) ≈ 0.61·pk_max
        /// at this miss distance).
        lethal_radius_m: f64,
    },
}

impl Lethality {
    /// Probability of kill for miss distance `miss_m` (m; its absolute value
    /// is used). Always in [0, 1]; NaN miss gives 0.
    ///
    /// * Hit-to-kill: cookie-cutter damage function (Driels, *Weaponeering:
    ///   Conventional Weapon System Effectiveness*, AIAA Education Series,
    ///   2004, ch. on damage functions): 1 inside the lethal radius, 0
    ///   outside.
    /// * Blast-fragmentation: Carleton damage function (Driels 2004, same
    ///   chapter):
    ///   P = D0·exp[−(π·D0/LA)·(x²·RDR + y²/RDR)]. For a circularly
    ///   symmetric pattern (RDR = 1) this is the Gaussian
    ///   pk_max·exp(−m²/(2σ²)) with pk_max = D0 and σ² = LA/(2π·D0), i.e. the
    ///   lethal area is LA = 2π·D0·σ². A σ ≤ 0 degenerates to pk_max at zero
    ///   miss and 0 elsewhere.
    pub fn pk(&self, miss_m: f64) -> f64 {
        let m = miss_m.abs();
        if m.is_nan() {
            return 0.0;
        }
        match *self {
            Lethality::HitToKill { lethal_radius_m } => {
                if m <= lethal_radius_m {
                    1.0
                } else {
                    0.0
                }
            }
            Lethality::BlastFragmentation {
                pk_max,
                lethal_radius_m,
            } => {
                let d0 = if pk_max.is_nan() {
                    0.0
                } else {
                    pk_max.clamp(0.0, 1.0)
                };
                if m == 0.0 {
                    return d0;
                }
                if lethal_radius_m.is_nan() || lethal_radius_m <= 0.0 {
                    return 0.0;
                }
                let x = m / lethal_radius_m; // may be +inf → exp(−inf) = 0
                let p = d0 * (-0.5 * x * x).exp();
                if p.is_finite() {
                    p.clamp(0.0, 1.0)
                } else {
                    0.0
                }
            }
        }
    }
}
