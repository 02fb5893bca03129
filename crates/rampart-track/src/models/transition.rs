//! How a target's state evolves: `x(t+Δt) = f(x, Δt) + w`, `w ~ N(0, Q(x, Δt))`.
//!
//! # State layout (shared by every model in this crate)
//!
//! States are Cartesian, SI units (metres, seconds, radians), in whatever right-handed, z-up
//! frame the caller tracks in. Components are **interleaved per axis**: each of x, y, z
//! contributes a block of `K` derivatives (position, velocity, acceleration, …), the three
//! blocks come one after another, and any augmented parameters (a turn rate, an inverse
//! ballistic coefficient) trail at the end:
//!
//! | model                  | N | layout                                    |
//! |------------------------|---|-------------------------------------------|
//! | [`ConstantVelocity`]   | 6 | `[x, vx, y, vy, z, vz]`                   |
//! | [`ConstantAcceleration`], [`Singer`] | 9 | `[x, vx, ax, y, vy, ay, z, vz, az]` |
//! | [`CoordinatedTurn`]    | 7 | `[x, vx, y, vy, z, vz, ω]`                |
//! | [`Ballistic`]          | 7 | `[x, vx, y, vy, z, vz, b]`                |
//!
//! The per-axis stride is therefore `N / 3` (integer division) and
//! [`position_indices`] / [`velocity_indices`] give the indices every other component
//! (measurement models, initiators, metrics) should use rather than hard-coding them.
//!
//! # Equations
//!
//! With `T = Δt`:
//!
//! * **Constant velocity** (continuous white-noise acceleration, spectral density `q` per axis;
//!   Bar-Shalom, Li & Kirubarajan 2001, *Estimation with Applications to Tracking and
//!   Navigation* (BLK), §6.2.2), per axis
//!   `F = [[1, T], [0, 1]]`, `Q = q·[[T³/3, T²/2], [T²/2, T]]`.
//! * **Constant acceleration** (white-noise jerk, BLK §6.2.3), per axis
//!   `F = [[1, T, T²/2], [0, 1, T], [0, 0, 1]]`,
//!   `Q = q·[[T⁵/20, T⁴/8, T³/6], [T⁴/8, T³/3, T²/2], [T³/6, T²/2, T]]`.
//! * **Singer** (acceleration a first-order Gauss–Markov process `ȧ = −α a + w`, `α = 1/τ`,
//!   `E[w w] = 2ασ_a² δ`; Singer 1970, IEEE TAES AES-6(4) 473–483; BLK §8.2.3; Li & Jilkov 2003,
//!   "Survey of maneuvering target tracking, Part I", IEEE TAES 39(4), eq. (24)), per axis with
//!   `x = αT`
//!   `F = [[1, T, (x − 1 + e^{−x})/α²], [0, 1, (1 − e^{−x})/α], [0, 0, e^{−x}]]` and
//!   `Q = 2ασ_a²·q` with
//!   `q11 = [1 − e^{−2x} + 2x + 2x³/3 − 2x² − 4x e^{−x}]/(2α⁵)`,
//!   `q12 = [e^{−2x} + 1 − 2e^{−x} + 2x e^{−x} − 2x + x²]/(2α⁴)`,
//!   `q13 = [1 − e^{−2x} − 2x e^{−x}]/(2α³)`,
//!   `q22 = [4e^{−x} − 3 − e^{−2x} + 2x]/(2α³)`,
//!   `q23 = [e^{−2x} + 1 − 2e^{−x}]/(2α²)`,
//!   `q33 = [1 − e^{−2x}]/(2α)`.
//!   These brackets cancel catastrophically for small `x`; below `x = 1` they are evaluated
//!   from their Taylor series, so `τ → ∞` is exact (F becomes the CA matrix, Q → 0).
//! * **Coordinated turn** (Li & Jilkov 2003 §IV; BLK §11.7.2), horizontal plane, `ω > 0`
//!   counter-clockwise seen from above (turning from +x towards +y), with `s = sin ωT`,
//!   `c = cos ωT`:
//!   `x' = x + (s/ω) vx − ((1−c)/ω) vy`, `vx' = c vx − s vy`,
//!   `y' = y + ((1−c)/ω) vx + (s/ω) vy`, `vy' = s vx + c vy`, `z, vz` constant velocity,
//!   `ω' = ω`.
//! * **Ballistic** (flat Earth, exponential atmosphere), `ṗ = v`,
//!   `v̇ = −g e_z − ½ ρ(z) |v| v b`, `ρ(z) = ρ₀ e^{−z/H}`, `ḃ = 0`, integrated by RK4.
//!
//! Process noise for Δt < 0 (retrodiction) is not meaningful in these closed forms; callers
//! should only ask for `Q` with Δt ≥ 0.

use nalgebra::{SMatrix, SVector};

/// A motion model over states of dimension `N`.
pub trait TransitionModel<const N: usize> {
    /// The noise-free propagation f(x, Δt).
    fn function(&self, x: &SVector<f64, N>, dt: f64) -> SVector<f64, N>;
    /// ∂f/∂x at `x` (the transition matrix F for a linear model).
    fn jacobian(&self, x: &SVector<f64, N>, dt: f64) -> SMatrix<f64, N, N>;
    /// Process-noise covariance Q over Δt (may depend on the state for non-linear models).
    fn covariance(&self, x: &SVector<f64, N>, dt: f64) -> SMatrix<f64, N, N>;
    /// f(x, Δt) and ∂f/∂x together. Models that integrate numerically override it to
    /// propagate the state once, not once for each.
    fn function_and_jacobian(
        &self,
        x: &SVector<f64, N>,
        dt: f64,
    ) -> (SVector<f64, N>, SMatrix<f64, N, N>) {
        (self.function(x, dt), self.jacobian(x, dt))
    }
}

// ---------------------------------------------------------------------------------------------
// State layout
// ---------------------------------------------------------------------------------------------

/// The indices of (x, y, z) position in an interleaved state of dimension `N`: `[0, s, 2s]`
/// with the per-axis stride `s = N / 3` (integer division). `N = 3` → `[0, 1, 2]`,
/// `N = 6, 7` → `[0, 2, 4]`, `N = 9` → `[0, 3, 6]`. See the module docs for the layout.
pub const fn position_indices<const N: usize>() -> [usize; 3] {
    let s = N / 3;
    [0, s, 2 * s]
}

/// The indices of (vx, vy, vz) in an interleaved state of dimension `N` (which must carry
/// velocity, `N ≥ 6`): `[1, 1 + s, 1 + 2s]` with `s = N / 3`. `N = 6, 7` → `[1, 3, 5]`,
/// `N = 9` → `[1, 4, 7]`.
///
/// # Panics
/// At compile time (post-monomorphisation) if `N < 6`.
pub const fn velocity_indices<const N: usize>() -> [usize; 3] {
    const {
        assert!(
            N >= 6,
            "velocity_indices needs a state with velocity (N ≥ 6)"
        )
    };
    let s = N / 3;
    [1, 1 + s, 1 + 2 * s]
}

/// Places the same per-axis `K×K` block on the x, y and z diagonal blocks (offsets 0, K, 2K)
/// of an otherwise zero `N×N` matrix.
fn per_axis<const K: usize, const N: usize>(block: &SMatrix<f64, K, K>) -> SMatrix<f64, N, N> {
    const { assert!(3 * K <= N) };
    let mut m = SMatrix::<f64, N, N>::zeros();
    for axis in 0..3 {
        m.fixed_view_mut::<K, K>(axis * K, axis * K)
            .copy_from(block);
    }
    m
}

/// Per-axis CV transition block `[[1, T], [0, 1]]`.
fn cv_f(dt: f64) -> SMatrix<f64, 2, 2> {
    SMatrix::<f64, 2, 2>::new(1.0, dt, 0.0, 1.0)
}

/// Per-axis CV process-noise block `q·[[T³/3, T²/2], [T²/2, T]]` (BLK §6.2.2).
fn cv_q(q: f64, dt: f64) -> SMatrix<f64, 2, 2> {
    let dt2 = dt * dt;
    let dt3 = dt2 * dt;
    SMatrix::<f64, 2, 2>::new(dt3 / 3.0, dt2 / 2.0, dt2 / 2.0, dt) * q
}

// ---------------------------------------------------------------------------------------------
// Constant velocity
// ---------------------------------------------------------------------------------------------

/// Nearly-constant-velocity motion in 3-D: continuous white-noise acceleration, exactly
/// discretised (BLK §6.2.2).
///
/// State (N = 6): `[x, vx, y, vy, z, vz]`, metres and m/s. Linear: `F` and `Q` depend only on
/// Δt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConstantVelocity {
    /// Power spectral density of the white acceleration on each axis, in m²/s³. A rule of
    /// thumb (BLK §6.2.2): the velocity changes by about `√(q·Δt)` over Δt.
    pub q: f64,
}

impl ConstantVelocity {
    /// A constant-velocity model with acceleration spectral density `q` (m²/s³, ≥ 0).
    pub const fn new(q: f64) -> Self {
        Self { q }
    }
}

impl TransitionModel<6> for ConstantVelocity {
    fn function(&self, x: &SVector<f64, 6>, dt: f64) -> SVector<f64, 6> {
        self.jacobian(x, dt) * x
    }
    fn jacobian(&self, _x: &SVector<f64, 6>, dt: f64) -> SMatrix<f64, 6, 6> {
        per_axis(&cv_f(dt))
    }
    fn covariance(&self, _x: &SVector<f64, 6>, dt: f64) -> SMatrix<f64, 6, 6> {
        per_axis(&cv_q(self.q, dt))
    }
}

/// Constant velocity on a 7-state `[x, vx, y, vy, z, vz, p]` whose seventh component (a
/// parameter another model estimates, e.g. the [`Ballistic`] model's b) is carried unchanged
/// and without noise, so that CV can share a state space with that model in an IMM.
impl TransitionModel<7> for ConstantVelocity {
    fn function(&self, x: &SVector<f64, 7>, dt: f64) -> SVector<f64, 7> {
        self.jacobian(x, dt) * x
    }
    fn jacobian(&self, _x: &SVector<f64, 7>, dt: f64) -> SMatrix<f64, 7, 7> {
        let mut f = SMatrix::<f64, 7, 7>::identity();
        f.fixed_view_mut::<6, 6>(0, 0)
            .copy_from(&per_axis(&cv_f(dt)));
        f
    }
    fn covariance(&self, _x: &SVector<f64, 7>, dt: f64) -> SMatrix<f64, 7, 7> {
        let mut q = SMatrix::<f64, 7, 7>::zeros();
        q.fixed_view_mut::<6, 6>(0, 0)
            .copy_from(&per_axis(&cv_q(self.q, dt)));
        q
    }
}

// ---------------------------------------------------------------------------------------------
// Constant acceleration
// ---------------------------------------------------------------------------------------------

/// Nearly-constant-acceleration motion in 3-D: continuous white-noise jerk, exactly
/// discretised (BLK §6.2.3).
///
/// State (N = 9): `[x, vx, ax, y, vy, ay, z, vz, az]`, metres, m/s, m/s². Linear.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConstantAcceleration {
    /// Power spectral density of the white jerk on each axis, in m²/s⁵.
    pub q: f64,
}

impl ConstantAcceleration {
    /// A constant-acceleration model with jerk spectral density `q` (m²/s⁵, ≥ 0).
    pub const fn new(q: f64) -> Self {
        Self { q }
    }
}

/// Per-axis CA transition block.
fn ca_f(dt: f64) -> SMatrix<f64, 3, 3> {
    SMatrix::<f64, 3, 3>::new(1.0, dt, dt * dt / 2.0, 0.0, 1.0, dt, 0.0, 0.0, 1.0)
}

impl TransitionModel<9> for ConstantAcceleration {
    fn function(&self, x: &SVector<f64, 9>, dt: f64) -> SVector<f64, 9> {
        self.jacobian(x, dt) * x
    }
    fn jacobian(&self, _x: &SVector<f64, 9>, dt: f64) -> SMatrix<f64, 9, 9> {
        per_axis(&ca_f(dt))
    }
    fn covariance(&self, _x: &SVector<f64, 9>, dt: f64) -> SMatrix<f64, 9, 9> {
        let t2 = dt * dt;
        let t3 = t2 * dt;
        let t4 = t3 * dt;
        let t5 = t4 * dt;
        #[rustfmt::skip]
        let block = SMatrix::<f64, 3, 3>::new(
            t5 / 20.0, t4 / 8.0, t3 / 6.0,
            t4 / 8.0,  t3 / 3.0, t2 / 2.0,
            t3 / 6.0,  t2 / 2.0, dt,
        ) * self.q;
        per_axis(&block)
    }
}

// ---------------------------------------------------------------------------------------------
// Singer
// ---------------------------------------------------------------------------------------------

/// Singer's exponentially correlated acceleration model in 3-D, exactly discretised (Singer
/// 1970, IEEE TAES AES-6(4); BLK §8.2.3; Li & Jilkov 2003 eq. (24)).
///
/// Each acceleration component is a first-order Gauss–Markov process with time constant `τ`
/// and stationary standard deviation `σ_a`. State (N = 9): `[x, vx, ax, y, vy, ay, z, vz, az]`,
/// metres, m/s, m/s². Linear. `τ → ∞` gives the constant-acceleration F with Q → 0;
/// `τ → 0` tends to constant velocity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Singer {
    /// Standard deviation of the target's acceleration on each axis, in m/s² (Singer's σ_m).
    pub sigma_a: f64,
    /// Manoeuvre time constant τ = 1/α, in seconds (> 0; `f64::INFINITY` allowed). Singer
    /// suggests ≈ 60 s for a lazy turn, 10–20 s for evasive manoeuvres.
    pub tau: f64,
}

impl Singer {
    /// A Singer model with acceleration standard deviation `sigma_a` (m/s²) and time constant
    /// `tau` (s).
    pub const fn new(sigma_a: f64, tau: f64) -> Self {
        Self { sigma_a, tau }
    }

    /// α = 1/τ, in 1/s.
    fn alpha(&self) -> f64 {
        1.0 / self.tau
    }
}

/// Below this `|x|`, the Singer brackets are summed as Taylor series instead of evaluated in
/// closed form (where cancellation would cost up to ~`x⁻⁵·ε`).
const SINGER_SERIES_BELOW: f64 = 1.0;
/// Series terms beyond the leading one: the remainder is below `2^n / n!` ≈ 1e-19 at `x = 1`.
const SINGER_SERIES_TERMS: usize = 28;

/// `B(x)/x^k` where `B(x) = e2·e^{−2x} + e1·e^{−x} + xe1·x·e^{−x} + Σ poly[i]·xⁱ` vanishes to
/// order `k` at 0: the building block of every Singer F and Q entry.
#[derive(Clone, Copy)]
struct ExpCombo {
    e2: f64,
    e1: f64,
    xe1: f64,
    poly: [f64; 4],
    k: usize,
}

impl ExpCombo {
    fn eval(&self, x: f64) -> f64 {
        if x.abs() < SINGER_SERIES_BELOW {
            // Taylor coefficients c_n of B: (−2)ⁿ/n!, (−1)ⁿ/n!, (−1)ⁿ⁻¹/(n−1)!; the terms of
            // order < k cancel analytically and are skipped.
            let mut sum = 0.0;
            let mut xp = 1.0;
            let mut m1 = 1.0; // (−1)^n / n!
            let mut m1_prev = 0.0; // (−1)^(n−1) / (n−1)!
            let mut m2 = 1.0; // (−2)^n / n!
            for n in 0..=self.k + SINGER_SERIES_TERMS {
                if n >= self.k {
                    let p = if n < 4 { self.poly[n] } else { 0.0 };
                    let c = self.e2 * m2 + self.e1 * m1 + self.xe1 * m1_prev + p;
                    sum += c * xp;
                    xp *= x;
                }
                let inv = 1.0 / (n as f64 + 1.0);
                m1_prev = m1;
                m1 *= -inv;
                m2 *= -2.0 * inv;
            }
            sum
        } else {
            let e = (-x).exp();
            let p = self.poly[0] + x * (self.poly[1] + x * (self.poly[2] + x * self.poly[3]));
            let b = self.e2 * e * e + self.e1 * e + self.xe1 * x * e + p;
            b / x.powi(self.k as i32)
        }
    }
}

/// `(1 − e^{−x})/x`.
const SINGER_F1: ExpCombo = ExpCombo {
    e2: 0.0,
    e1: -1.0,
    xe1: 0.0,
    poly: [1.0, 0.0, 0.0, 0.0],
    k: 1,
};
/// `(x − 1 + e^{−x})/x²`.
const SINGER_F2: ExpCombo = ExpCombo {
    e2: 0.0,
    e1: 1.0,
    xe1: 0.0,
    poly: [-1.0, 1.0, 0.0, 0.0],
    k: 2,
};
/// q11 bracket over x⁵.
const SINGER_Q11: ExpCombo = ExpCombo {
    e2: -1.0,
    e1: 0.0,
    xe1: -4.0,
    poly: [1.0, 2.0, -2.0, 2.0 / 3.0],
    k: 5,
};
/// q12 bracket over x⁴.
const SINGER_Q12: ExpCombo = ExpCombo {
    e2: 1.0,
    e1: -2.0,
    xe1: 2.0,
    poly: [1.0, -2.0, 1.0, 0.0],
    k: 4,
};
/// q13 bracket over x³.
const SINGER_Q13: ExpCombo = ExpCombo {
    e2: -1.0,
    e1: 0.0,
    xe1: -2.0,
    poly: [1.0, 0.0, 0.0, 0.0],
    k: 3,
};
/// q22 bracket over x³.
const SINGER_Q22: ExpCombo = ExpCombo {
    e2: -1.0,
    e1: 4.0,
    xe1: 0.0,
    poly: [-3.0, 2.0, 0.0, 0.0],
    k: 3,
};
/// q23 bracket over x².
const SINGER_Q23: ExpCombo = ExpCombo {
    e2: 1.0,
    e1: -2.0,
    xe1: 0.0,
    poly: [1.0, 0.0, 0.0, 0.0],
    k: 2,
};
/// q33 bracket over x.
const SINGER_Q33: ExpCombo = ExpCombo {
    e2: -1.0,
    e1: 0.0,
    xe1: 0.0,
    poly: [1.0, 0.0, 0.0, 0.0],
    k: 1,
};

impl Singer {
    /// Per-axis transition block.
    fn f_block(&self, dt: f64) -> SMatrix<f64, 3, 3> {
        let x = self.alpha() * dt;
        #[rustfmt::skip]
        let f = SMatrix::<f64, 3, 3>::new(
            1.0, dt,  dt * dt * SINGER_F2.eval(x),
            0.0, 1.0, dt * SINGER_F1.eval(x),
            0.0, 0.0, (-x).exp(),
        );
        f
    }

    /// Per-axis process-noise block: `Q_ij = 2ασ²·q_ij = ασ²·T^k·B_ij(x)/x^k`.
    fn q_block(&self, dt: f64) -> SMatrix<f64, 3, 3> {
        let alpha = self.alpha();
        let x = alpha * dt;
        let t2 = dt * dt;
        let t3 = t2 * dt;
        let t4 = t3 * dt;
        let t5 = t4 * dt;
        let q11 = t5 * SINGER_Q11.eval(x);
        let q12 = t4 * SINGER_Q12.eval(x);
        let q13 = t3 * SINGER_Q13.eval(x);
        let q22 = t3 * SINGER_Q22.eval(x);
        let q23 = t2 * SINGER_Q23.eval(x);
        let q33 = dt * SINGER_Q33.eval(x);
        #[rustfmt::skip]
        let q = SMatrix::<f64, 3, 3>::new(
            q11, q12, q13,
            q12, q22, q23,
            q13, q23, q33,
        );
        q * (alpha * self.sigma_a * self.sigma_a)
    }
}

impl TransitionModel<9> for Singer {
    fn function(&self, x: &SVector<f64, 9>, dt: f64) -> SVector<f64, 9> {
        self.jacobian(x, dt) * x
    }
    fn jacobian(&self, _x: &SVector<f64, 9>, dt: f64) -> SMatrix<f64, 9, 9> {
        per_axis(&self.f_block(dt))
    }
    fn covariance(&self, _x: &SVector<f64, 9>, dt: f64) -> SMatrix<f64, 9, 9> {
        per_axis(&self.q_block(dt))
    }
}

// ---------------------------------------------------------------------------------------------
// Coordinated turn
// ---------------------------------------------------------------------------------------------

/// Horizontal coordinated turn with unknown, nearly constant turn rate, plus constant-velocity
/// vertical motion (Li & Jilkov 2003 §IV; BLK §11.7.2). Non-linear (in ω).
///
/// State (N = 7): `[x, vx, y, vy, z, vz, ω]`, metres, m/s and rad/s; ω > 0 turns
/// counter-clockwise seen from above (from +x towards +y). Propagation is exact for constant ω;
/// ω → 0 is handled by Taylor series and reduces exactly to [`ConstantVelocity`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoordinatedTurn {
    /// Power spectral density of the white acceleration on x, y and z, in m²/s³ (as in
    /// [`ConstantVelocity`]).
    pub q: f64,
    /// Power spectral density of the turn-rate random walk, in rad²/s³: `Var[Δω] = q_omega·Δt`.
    pub q_omega: f64,
}

impl CoordinatedTurn {
    /// A coordinated-turn model: acceleration density `q` (m²/s³), turn-rate density
    /// `q_omega` (rad²/s³).
    pub const fn new(q: f64, q_omega: f64) -> Self {
        Self { q, q_omega }
    }
}

/// Below this |ωΔt| the turn functions are summed as series: at 0.5 the closed forms of their
/// ω-derivatives lose no more than ~1e-15 relative, and 12 series terms leave < 1e-25.
const CT_SERIES_BELOW: f64 = 0.5;
const CT_SERIES_TERMS: usize = 12;

/// The turn functions for `u = ωT`: `a = sin(u)/ω`, `b = (1 − cos u)/ω` and their derivatives
/// with respect to ω, `da = T²·d/du(sin u/u)`, `db = T²·d/du((1 − cos u)/u)`.
struct TurnTerms {
    sin: f64,
    cos: f64,
    a: f64,
    b: f64,
    da: f64,
    db: f64,
}

fn turn_terms(omega: f64, dt: f64) -> TurnTerms {
    let u = omega * dt;
    let (sin, cos) = u.sin_cos();
    if u.abs() < CT_SERIES_BELOW {
        // sin u/u = Σ (−1)^k u^{2k}/(2k+1)!,  (1 − cos u)/u = Σ (−1)^k u^{2k+1}/(2k+2)!
        // and their u-derivatives term by term.
        let u2 = u * u;
        let (mut sa, mut sb, mut sda, mut sdb) = (0.0, 0.0, 0.0, 0.0);
        let mut inv_fact = 1.0; // 1/(2k+1)!
        let mut u2k = 1.0; // u^{2k}
        let mut u2k_minus_1 = 0.0; // u^{2k−1} (0 for k = 0, whose derivative term vanishes)
        let mut sign = 1.0; // (−1)^k
        for k in 0..CT_SERIES_TERMS {
            let n = (2 * k + 1) as f64;
            let inv_fact_next = inv_fact / (n + 1.0); // 1/(2k+2)!
            sa += sign * u2k * inv_fact;
            sb += sign * u2k * u * inv_fact_next;
            sda += sign * (n - 1.0) * u2k_minus_1 * inv_fact;
            sdb += sign * n * u2k * inv_fact_next;
            inv_fact = inv_fact_next / (n + 2.0);
            u2k_minus_1 = u2k * u;
            u2k *= u2;
            sign = -sign;
        }
        TurnTerms {
            sin,
            cos,
            a: dt * sa,
            b: dt * sb,
            da: dt * dt * sda,
            db: dt * dt * sdb,
        }
    } else {
        let w2 = omega * omega;
        TurnTerms {
            sin,
            cos,
            a: sin / omega,
            b: 2.0 * (0.5 * u).sin().powi(2) / omega,
            da: (u * cos - sin) / w2,
            db: (u * sin - (1.0 - cos)) / w2,
        }
    }
}

impl TransitionModel<7> for CoordinatedTurn {
    fn function(&self, x: &SVector<f64, 7>, dt: f64) -> SVector<f64, 7> {
        let t = turn_terms(x[6], dt);
        let (vx, vy) = (x[1], x[3]);
        SVector::<f64, 7>::from([
            x[0] + t.a * vx - t.b * vy,
            t.cos * vx - t.sin * vy,
            x[2] + t.b * vx + t.a * vy,
            t.sin * vx + t.cos * vy,
            x[4] + dt * x[5],
            x[5],
            x[6],
        ])
    }
    fn jacobian(&self, x: &SVector<f64, 7>, dt: f64) -> SMatrix<f64, 7, 7> {
        let t = turn_terms(x[6], dt);
        let (vx, vy) = (x[1], x[3]);
        let mut j = SMatrix::<f64, 7, 7>::identity();
        // x'
        j[(0, 1)] = t.a;
        j[(0, 3)] = -t.b;
        j[(0, 6)] = t.da * vx - t.db * vy;
        // vx'
        j[(1, 1)] = t.cos;
        j[(1, 3)] = -t.sin;
        j[(1, 6)] = -dt * (t.sin * vx + t.cos * vy);
        // y'
        j[(2, 1)] = t.b;
        j[(2, 3)] = t.a;
        j[(2, 6)] = t.db * vx + t.da * vy;
        // vy'
        j[(3, 1)] = t.sin;
        j[(3, 3)] = t.cos;
        j[(3, 6)] = dt * (t.cos * vx - t.sin * vy);
        // z'
        j[(4, 5)] = dt;
        j
    }
    fn covariance(&self, _x: &SVector<f64, 7>, dt: f64) -> SMatrix<f64, 7, 7> {
        let mut q: SMatrix<f64, 7, 7> = per_axis(&cv_q(self.q, dt));
        q[(6, 6)] = self.q_omega * dt;
        q
    }
}

// ---------------------------------------------------------------------------------------------
// Ballistic
// ---------------------------------------------------------------------------------------------

/// Standard gravity g₀, m/s² (CGPM 1901; ISO 80000-3).
pub const STANDARD_GRAVITY: f64 = 9.806_65;
/// Sea-level air density of the ICAO / US Standard Atmosphere 1976, kg/m³.
pub const SEA_LEVEL_DENSITY: f64 = 1.225;
/// Density scale height of the single-exponential atmosphere, m (see [`Ballistic::standard`]).
pub const DENSITY_SCALE_HEIGHT: f64 = 7_200.0;

/// Longest RK4 sub-step of [`Ballistic`], s.
const BALLISTIC_MAX_STEP: f64 = 0.5;
/// Largest `h·λ` (λ = |b|·ρ·|v|, the drag's velocity-decay rate at the start of the interval)
/// allowed for an RK4 sub-step: keeps heavily decelerating objects (light decoys, debris)
/// accurate and stable (RK4 is unstable beyond h·λ ≈ 2.8).
const BALLISTIC_MAX_DRAG_STEP: f64 = 0.25;
/// Cap on the number of sub-steps in one call.
const BALLISTIC_MAX_SUBSTEPS: usize = 100_000;

/// Unpowered ballistic flight over a flat Earth through an exponential atmosphere, with the
/// inverse ballistic coefficient estimated as a state: the falling-object-with-unknown-drag
/// model of Zarchan & Musoff, *Fundamentals of Kalman Filtering: A Practical Approach* (AIAA),
/// chs 7–8, in three dimensions (see also Li & Jilkov, "Survey of maneuvering target tracking,
/// Part II: Motion models of ballistic and space targets", IEEE TAES 46(1), 2010).
///
/// State (N = 7): `[x, vx, y, vy, z, vz, b]`, metres and m/s in a local z-up frame, and
/// `b = 1/β = C_D·A/m` in m²/kg (`b = 0` is vacuum). Dynamics
/// `ṗ = v`, `v̇ = −g e_z − ½ ρ(z) |v| v b`, `ρ(z) = ρ₀ e^{−z/H}`, `ḃ = 0`.
///
/// Propagation is RK4 with equal sub-steps of at most 0.5 s, shortened further so that
/// `h·|b|·ρ(z₀)·|v₀| ≤ 0.25` at the start of the interval (the number of sub-steps is fixed
/// for the whole interval, so [`TransitionModel::jacobian`] is the exact derivative of
/// [`TransitionModel::function`]). It does not look ahead: an object diving through many scale
/// heights within one call may be under-resolved; predict in shorter steps then. The Jacobian
/// is the variational equation `Φ̇ = A(x)Φ` integrated alongside by the same RK4 steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ballistic {
    /// Power spectral density of white acceleration on x, y and z, in m²/s³ (as in
    /// [`ConstantVelocity`]); covers gravity and atmosphere model errors.
    pub q: f64,
    /// Power spectral density of the random walk on `b`, in (m²/kg)²/s: `Var[Δb] = q_beta·Δt`.
    pub q_beta: f64,
    /// Gravitational acceleration, m/s², acting along −z. Default [`STANDARD_GRAVITY`].
    pub g: f64,
    /// Air density at z = 0, kg/m³. Default [`SEA_LEVEL_DENSITY`].
    pub rho0: f64,
    /// Density scale height H, m. Default [`DENSITY_SCALE_HEIGHT`].
    pub scale_height: f64,
}

impl Ballistic {
    /// A ballistic model with the standard constants: g = 9.806 65 m/s², ρ₀ = 1.225 kg/m³ (the
    /// ISA / US Standard Atmosphere 1976 sea-level density) and H = 7 200 m.
    ///
    /// The single exponential `ρ = ρ₀ e^{−z/H}` is the usual atmosphere of re-entry tracking
    /// (Zarchan & Musoff, *Fundamentals of Kalman Filtering*, chs 7–8, use
    /// `0.0034·e^{−h/22 000}` slug/ft³, i.e. 1.75 kg/m³ and 6.7 km). With ρ₀ = 1.225 kg/m³ and
    /// H = 7.2 km it is within about 30 % of the US Standard Atmosphere 1976 from 0 to 80 km
    /// (−26 % at 10 km, +18 % at 40 km, −1 % at 80 km): adequate for a filter whose `b` absorbs
    /// the rest, not for truth simulation.
    pub const fn standard(q: f64, q_beta: f64) -> Self {
        Self {
            q,
            q_beta,
            g: STANDARD_GRAVITY,
            rho0: SEA_LEVEL_DENSITY,
            scale_height: DENSITY_SCALE_HEIGHT,
        }
    }

    /// Air density at altitude `z` (m), kg/m³.
    pub fn density(&self, z: f64) -> f64 {
        self.rho0 * (-z / self.scale_height).exp()
    }

    /// Terminal (drag = weight) speed at altitude `z` for inverse ballistic coefficient `b`,
    /// `√(2g/(ρ(z)·b))`, m/s.
    pub fn terminal_speed(&self, z: f64, b: f64) -> f64 {
        (2.0 * self.g / (self.density(z) * b)).sqrt()
    }

    /// The continuous-time dynamics ẋ.
    fn derivative(&self, x: &SVector<f64, 7>) -> SVector<f64, 7> {
        let v = nalgebra::Vector3::new(x[1], x[3], x[5]);
        let k = -0.5 * self.density(x[4]) * v.norm() * x[6];
        SVector::<f64, 7>::from([v.x, k * v.x, v.y, k * v.y, v.z, k * v.z - self.g, 0.0])
    }

    /// The non-zero blocks of `A(x) = ∂ẋ/∂x` below the position rows (whose only entries are
    /// ∂ṗ/∂v = I): ∂a/∂v, ∂a/∂z and ∂a/∂b of the drag acceleration a = −½ ρ b |v| v.
    fn drag_jacobian(&self, x: &SVector<f64, 7>) -> DragJacobian {
        let v = nalgebra::Vector3::new(x[1], x[3], x[5]);
        let speed = v.norm();
        let rho = self.density(x[4]);
        let b = x[6];
        // ∂a/∂v = −½ ρ b (|v| I + v vᵀ/|v|)
        let mut dadv = nalgebra::Matrix3::<f64>::identity() * speed;
        if speed > 0.0 {
            dadv += v * v.transpose() / speed;
        }
        dadv *= -0.5 * rho * b;
        // ∂a/∂z = ½ ρ b |v| v / H ;  ∂a/∂b = −½ ρ |v| v
        DragJacobian {
            dadv,
            dadz: v * (0.5 * rho * b * speed / self.scale_height),
            dadb: v * (-0.5 * rho * speed),
        }
    }

    /// `A(x) = ∂ẋ/∂x`.
    #[cfg(test)]
    fn derivative_jacobian(&self, x: &SVector<f64, 7>) -> SMatrix<f64, 7, 7> {
        let d = self.drag_jacobian(x);
        let vel = velocity_indices::<7>();
        let mut a = SMatrix::<f64, 7, 7>::zeros();
        for i in 0..3 {
            a[(vel[i] - 1, vel[i])] = 1.0;
            for j in 0..3 {
                a[(vel[i], vel[j])] = d.dadv[(i, j)];
            }
            a[(vel[i], 4)] = d.dadz[i];
            a[(vel[i], 6)] = d.dadb[i];
        }
        a
    }

    /// Number and length of the RK4 sub-steps over `dt` from `x`, or `None` for a non-finite
    /// `dt`.
    fn substeps(&self, x: &SVector<f64, 7>, dt: f64) -> Option<(usize, f64)> {
        if !dt.is_finite() {
            return None;
        }
        let speed = (x[1] * x[1] + x[3] * x[3] + x[5] * x[5]).sqrt();
        let rate = x[6].abs() * self.density(x[4]) * speed;
        let mut n = (dt.abs() / BALLISTIC_MAX_STEP).ceil();
        let by_drag = (dt.abs() * rate / BALLISTIC_MAX_DRAG_STEP).ceil();
        if by_drag > n {
            n = by_drag;
        }
        // NaN rates fall through the comparisons; clamp to [1, cap].
        let n = if n >= 1.0 {
            n.min(BALLISTIC_MAX_SUBSTEPS as f64) as usize
        } else {
            1
        };
        Some((n, dt / n as f64))
    }
}

/// The non-zero blocks of the [`Ballistic`] model's `A(x)` (see [`Ballistic::drag_jacobian`]).
struct DragJacobian {
    dadv: nalgebra::Matrix3<f64>,
    dadz: nalgebra::Vector3<f64>,
    dadb: nalgebra::Vector3<f64>,
}

impl DragJacobian {
    /// `A·m`, using A's sparsity: the position rows are m's velocity rows, the velocity rows
    /// combine m's rows 1, 3, 4, 5, 6 (in that order, so the sums are those of the dense
    /// product), and the `b` row is zero. A third of the dense product's work, in the
    /// tracker's hottest loop.
    fn times(&self, m: &SMatrix<f64, 7, 7>) -> SMatrix<f64, 7, 7> {
        let mut out = SMatrix::<f64, 7, 7>::zeros();
        for c in 0..7 {
            for i in 0..3 {
                let (p, v) = (2 * i, 2 * i + 1);
                out[(p, c)] = m[(v, c)];
                out[(v, c)] = self.dadv[(i, 0)] * m[(1, c)]
                    + self.dadv[(i, 1)] * m[(3, c)]
                    + self.dadz[i] * m[(4, c)]
                    + self.dadv[(i, 2)] * m[(5, c)]
                    + self.dadb[i] * m[(6, c)];
            }
        }
        out
    }
}

impl TransitionModel<7> for Ballistic {
    fn function(&self, x: &SVector<f64, 7>, dt: f64) -> SVector<f64, 7> {
        let Some((n, h)) = self.substeps(x, dt) else {
            return SVector::repeat(f64::NAN);
        };
        let mut s = *x;
        for _ in 0..n {
            let k1 = self.derivative(&s);
            let k2 = self.derivative(&(s + k1 * (0.5 * h)));
            let k3 = self.derivative(&(s + k2 * (0.5 * h)));
            let k4 = self.derivative(&(s + k3 * h));
            s += (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0);
        }
        s
    }

    fn jacobian(&self, x: &SVector<f64, 7>, dt: f64) -> SMatrix<f64, 7, 7> {
        self.function_and_jacobian(x, dt).1
    }

    /// One RK4 pass over (x, Φ) gives both the propagated state and its exact derivative.
    fn function_and_jacobian(
        &self,
        x: &SVector<f64, 7>,
        dt: f64,
    ) -> (SVector<f64, 7>, SMatrix<f64, 7, 7>) {
        let Some((n, h)) = self.substeps(x, dt) else {
            return (SVector::repeat(f64::NAN), SMatrix::repeat(f64::NAN));
        };
        // RK4 applied to (x, Φ) with Φ̇ = A(x)Φ: the exact derivative of the RK4 map.
        let mut s = *x;
        let mut phi = SMatrix::<f64, 7, 7>::identity();
        for _ in 0..n {
            let k1 = self.derivative(&s);
            let p1 = self.drag_jacobian(&s).times(&phi);
            let s2 = s + k1 * (0.5 * h);
            let k2 = self.derivative(&s2);
            let p2 = self.drag_jacobian(&s2).times(&(phi + p1 * (0.5 * h)));
            let s3 = s + k2 * (0.5 * h);
            let k3 = self.derivative(&s3);
            let p3 = self.drag_jacobian(&s3).times(&(phi + p2 * (0.5 * h)));
            let s4 = s + k3 * h;
            let k4 = self.derivative(&s4);
            let p4 = self.drag_jacobian(&s4).times(&(phi + p3 * h));
            s += (k1 + (k2 + k3) * 2.0 + k4) * (h / 6.0);
            phi += (p1 + (p2 + p3) * 2.0 + p4) * (h / 6.0);
        }
        (s, phi)
    }

    fn covariance(&self, _x: &SVector<f64, 7>, dt: f64) -> SMatrix<f64, 7, 7> {
        let mut q: SMatrix<f64, 7, 7> = per_axis(&cv_q(self.q, dt));
        q[(6, 6)] = self.q_beta * dt;
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::test_support::{assert_close, central_difference};
    use std::f64::consts::FRAC_PI_2;

    /// `∫₀ᵀ F(s) g gᵀ F(s)ᵀ ds` by composite Simpson with `n` (even) intervals: an independent
    /// check of closed-form process noise (Van Loan 1978, IEEE TAC 23(3), the integral
    /// definition of Q).
    fn q_by_quadrature<const K: usize>(
        f: impl Fn(f64) -> SMatrix<f64, K, K>,
        g: &SVector<f64, K>,
        t: f64,
        n: usize,
    ) -> SMatrix<f64, K, K> {
        let h = t / n as f64;
        let mut sum = SMatrix::<f64, K, K>::zeros();
        for i in 0..=n {
            let w = if i == 0 || i == n {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            };
            let fg = f(i as f64 * h) * g;
            sum += fg * fg.transpose() * w;
        }
        sum * (h / 3.0)
    }

    #[test]
    fn layout_indices() {
        assert_eq!(position_indices::<3>(), [0, 1, 2]);
        assert_eq!(position_indices::<6>(), [0, 2, 4]);
        assert_eq!(position_indices::<7>(), [0, 2, 4]);
        assert_eq!(position_indices::<9>(), [0, 3, 6]);
        assert_eq!(velocity_indices::<6>(), [1, 3, 5]);
        assert_eq!(velocity_indices::<7>(), [1, 3, 5]);
        assert_eq!(velocity_indices::<9>(), [1, 4, 7]);
    }

    #[test]
    fn constant_velocity_moves_each_axis_and_q_is_the_integral() {
        let m = ConstantVelocity::new(2.0);
        let x = SVector::<f64, 6>::from([1.0, 10.0, 2.0, -20.0, 3.0, 5.0]);
        let y = m.function(&x, 2.0);
        assert_eq!(
            y,
            SVector::<f64, 6>::from([21.0, 10.0, -38.0, -20.0, 13.0, 5.0])
        );
        // Q = q ∫ F(s) [0 1]ᵀ[0 1] F(s)ᵀ ds (BLK §6.2.2 derivation).
        let t = 3.0;
        let block = q_by_quadrature(cv_f, &SVector::<f64, 2>::new(0.0, 1.0), t, 200) * 2.0;
        let q = m.covariance(&x, t);
        for axis in 0..3 {
            let b = q.fixed_view::<2, 2>(2 * axis, 2 * axis).into_owned();
            assert_close(&b, &block, 1e-12, 0.0, "CV Q block");
        }
        // No cross-axis terms.
        assert_eq!(q[(0, 2)], 0.0);
        assert_eq!(q[(1, 4)], 0.0);
    }

    #[test]
    fn constant_acceleration_f_is_the_exponential_and_q_is_the_integral() {
        let m = ConstantAcceleration::new(0.7);
        let t = 2.5;
        let a = SMatrix::<f64, 3, 3>::new(0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0);
        let x = SVector::<f64, 9>::zeros();
        let f = m.jacobian(&x, t);
        assert_close(
            &f.fixed_view::<3, 3>(3, 3).into_owned(),
            &(a * t).exp(),
            1e-14,
            1e-15,
            "CA F",
        );
        let block = q_by_quadrature(ca_f, &SVector::<f64, 3>::new(0.0, 0.0, 1.0), t, 2000) * 0.7;
        let q = m.covariance(&x, t);
        for axis in 0..3 {
            let b = q.fixed_view::<3, 3>(3 * axis, 3 * axis).into_owned();
            assert_close(&b, &block, 1e-12, 0.0, "CA Q block");
        }
    }

    #[test]
    fn singer_f_is_the_exponential_and_q_is_the_integral_on_both_branches() {
        // x = αT on either side of the series/closed-form switch at 1, and far beyond.
        let sigma_a = 3.0;
        for (tau, t) in [
            (100.0, 1.0),
            (4.0, 2.0),
            (2.0, 1.999_999),
            (2.0, 2.000_001),
            (1.0, 3.0),
            (0.1, 5.0),
        ] {
            let m = Singer::new(sigma_a, tau);
            let alpha = 1.0 / tau;
            let a = SMatrix::<f64, 3, 3>::new(0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, -alpha);
            // X-Val: nalgebra's Padé matrix exponential of A·T.
            assert_close(&m.f_block(t), &(a * t).exp(), 1e-12, 1e-14, "Singer F");
            // X-Val: Q = 2ασ² ∫ e^{As} e₃ e₃ᵀ e^{Aᵀs} ds by Simpson on the exponential (20 000
            // intervals: Simpson's error (αh)⁴/180 stays below 1e-12 even at αT = 50).
            let q_ref = q_by_quadrature(
                |s| (a * s).exp(),
                &SVector::<f64, 3>::new(0.0, 0.0, 1.0),
                t,
                20_000,
            ) * (2.0 * alpha * sigma_a * sigma_a);
            assert_close(&m.q_block(t), &q_ref, 1e-9, 0.0, "Singer Q");
        }
    }

    #[test]
    fn singer_is_continuous_across_the_series_switch() {
        let m = Singer::new(1.0, 1.0);
        let below = m.q_block(1.0 - 1e-12);
        let above = m.q_block(1.0 + 1e-12);
        assert_close(&below, &above, 1e-10, 0.0, "Q across x = 1");
        let below = m.f_block(1.0 - 1e-12);
        let above = m.f_block(1.0 + 1e-12);
        assert_close(&below, &above, 1e-10, 0.0, "F across x = 1");
    }

    #[test]
    fn singer_tends_to_constant_acceleration_as_tau_grows() {
        let x = SVector::<f64, 9>::zeros();
        let ca = ConstantAcceleration::new(0.0).jacobian(&x, 4.0);
        for tau in [1e6, 1e12, f64::INFINITY] {
            let f = Singer::new(5.0, tau).jacobian(&x, 4.0);
            assert_close(&f, &ca, 1e-5, 1e-12, "Singer F → CA F");
        }
        assert_eq!(Singer::new(5.0, f64::INFINITY).jacobian(&x, 4.0), ca);
        assert_eq!(
            Singer::new(5.0, f64::INFINITY).covariance(&x, 4.0),
            SMatrix::<f64, 9, 9>::zeros()
        );
        // Small α: Q ≈ 2ασ² × (white-jerk CA Q), the leading term of the series.
        let (sigma_a, tau, t) = (5.0, 1e6, 4.0);
        let q = Singer::new(sigma_a, tau).covariance(&x, t);
        let q_ca = ConstantAcceleration::new(2.0 * sigma_a * sigma_a / tau).covariance(&x, t);
        assert_close(&q, &q_ca, 1e-5, 0.0, "Singer Q → 2ασ²·CA Q");
    }

    #[test]
    fn singer_q_vanishes_with_dt_and_is_symmetric_psd() {
        let x = SVector::<f64, 9>::zeros();
        let m = Singer::new(10.0, 20.0);
        // Q33 ≈ 2ασ²Δt dominates as Δt → 0.
        for dt in [1e-3, 1e-6, 1e-9] {
            let q = m.covariance(&x, dt);
            let bound = 2.0 * m.sigma_a * m.sigma_a / m.tau * dt * 1.000_001;
            assert!(q.abs().max() <= bound, "Δt = {dt}: {}", q.abs().max());
        }
        assert_eq!(m.covariance(&x, 0.0), SMatrix::<f64, 9, 9>::zeros());
        for tau in [0.01, 0.5, 3.0, 20.0, 1e4] {
            for dt in [0.01, 0.3, 1.0, 7.0, 60.0] {
                let q = Singer::new(10.0, tau).covariance(&x, dt);
                assert_eq!(q, q.transpose());
                let scale = q.abs().max();
                let min = q.symmetric_eigenvalues().min();
                assert!(
                    min >= -1e-12 * scale,
                    "τ = {tau}, Δt = {dt}: λmin = {min}, max = {scale}"
                );
            }
        }
    }

    #[test]
    fn coordinated_turn_quarter_circle() {
        // ω = 0.1 rad/s, speed 200 m/s: radius 2 km, centre (0, R) for a left (CCW) turn.
        // After π/2 the target is at (R, R) heading +y (closed-form circle).
        let (omega, speed) = (0.1, 200.0);
        let r = speed / omega;
        let x = SVector::<f64, 7>::from([0.0, speed, 0.0, 0.0, 1000.0, 10.0, omega]);
        let dt = FRAC_PI_2 / omega;
        let y = CoordinatedTurn::new(1.0, 1e-4).function(&x, dt);
        let expect = SVector::<f64, 7>::from([r, 0.0, r, speed, 1000.0 + 10.0 * dt, 10.0, omega]);
        assert_close(&y, &expect, 1e-12, 1e-9, "quarter circle");
    }

    #[test]
    fn coordinated_turn_without_turn_is_constant_velocity() {
        let ct = CoordinatedTurn::new(3.0, 1e-4);
        let cv = ConstantVelocity::new(3.0);
        let x6 = SVector::<f64, 6>::from([1.0, 100.0, -2.0, 50.0, 3000.0, -5.0]);
        let x7 = SVector::<f64, 7>::from([1.0, 100.0, -2.0, 50.0, 3000.0, -5.0, 0.0]);
        for dt in [0.0, 0.5, 10.0] {
            let y = ct.function(&x7, dt);
            assert_eq!(y.fixed_rows::<6>(0).into_owned(), cv.function(&x6, dt));
            assert_eq!(y[6], 0.0);
            let f = ct.jacobian(&x7, dt);
            assert_eq!(
                f.fixed_view::<6, 6>(0, 0).into_owned(),
                cv.jacobian(&x6, dt)
            );
            let q = ct.covariance(&x7, dt);
            assert_eq!(
                q.fixed_view::<6, 6>(0, 0).into_owned(),
                cv.covariance(&x6, dt)
            );
            assert_eq!(q[(6, 6)], 1e-4 * dt);
        }
    }

    #[test]
    fn coordinated_turn_jacobian_matches_central_differences() {
        let m = CoordinatedTurn::new(1.0, 1e-3);
        for omega in [0.2, -0.05, 0.01, 1e-5, 1e-9, 0.0] {
            for dt in [0.1, 1.0, 4.0] {
                let x = SVector::<f64, 7>::from([1e4, 250.0, -3e3, -120.0, 5e3, 8.0, omega]);
                let h = SVector::<f64, 7>::from([1.0, 1e-2, 1.0, 1e-2, 1.0, 1e-2, 1e-4]);
                let fd = central_difference(|s| m.function(s, dt), &x, &h);
                let j = m.jacobian(&x, dt);
                assert_close(
                    &j,
                    &fd,
                    1e-6,
                    1e-7,
                    &format!("CT Jacobian ω = {omega}, Δt = {dt}"),
                );
            }
        }
    }

    #[test]
    fn coordinated_turn_series_matches_closed_form_at_the_switch() {
        // |ωΔt| just below and above 0.5 must give the same terms.
        let (lo, hi) = (turn_terms(0.5 - 1e-13, 1.0), turn_terms(0.5 + 1e-13, 1.0));
        for (a, b) in [(lo.a, hi.a), (lo.b, hi.b), (lo.da, hi.da), (lo.db, hi.db)] {
            assert!((a - b).abs() <= 1e-12 * a.abs().max(1e-3), "{a} vs {b}");
        }
    }

    #[test]
    fn ballistic_in_vacuum_is_a_parabola() {
        let m = Ballistic::standard(1.0, 1e-8);
        let x = SVector::<f64, 7>::from([100.0, 700.0, -50.0, 300.0, 2e4, 1500.0, 0.0]);
        let t = 37.3;
        let y = m.function(&x, t);
        let g = STANDARD_GRAVITY;
        let expect = SVector::<f64, 7>::from([
            100.0 + 700.0 * t,
            700.0,
            -50.0 + 300.0 * t,
            300.0,
            2e4 + 1500.0 * t - 0.5 * g * t * t,
            1500.0 - g * t,
            0.0,
        ]);
        // RK4 integrates a quadratic in t exactly; only round-off remains.
        assert_close(&y, &expect, 1e-12, 1e-9, "vacuum parabola");
    }

    #[test]
    fn ballistic_slows_to_terminal_speed() {
        // b = 0.05 m²/kg (β = 20 kg/m²): v_t = √(2g/(ρ b)) ≈ 17.9 m/s near the ground. Started
        // fast and falling, the speed must settle to the local terminal speed; the lag of the
        // quasi-steady state behind the slowly rising density is ~ v_t²/(2gH) ≈ 0.2 %.
        let m = Ballistic::standard(0.0, 0.0);
        let b = 0.05;
        let mut x = SVector::<f64, 7>::from([0.0, 60.0, 0.0, -30.0, 3000.0, -40.0, b]);
        for _ in 0..60 {
            x = m.function(&x, 1.0);
        }
        let speed = (x[1] * x[1] + x[3] * x[3] + x[5] * x[5]).sqrt();
        let vt = m.terminal_speed(x[4], b);
        assert!(x[4] > 500.0, "still airborne: z = {}", x[4]);
        assert!(
            (speed / vt - 1.0).abs() < 0.01,
            "speed {speed} vs terminal {vt}"
        );
        assert!(
            x[1].abs() < 1e-3 * vt && x[3].abs() < 1e-3 * vt,
            "horizontal motion decays"
        );
        // Constant-density check: the steady state is exactly the terminal speed.
        let flat = Ballistic {
            scale_height: 1e15,
            ..m
        };
        let mut x = SVector::<f64, 7>::from([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, b]);
        x = flat.function(&x, 60.0);
        let vt = flat.terminal_speed(0.0, b);
        assert!((-x[5] / vt - 1.0).abs() < 1e-6, "{} vs {vt}", -x[5]);
    }

    #[test]
    fn ballistic_sparse_jacobian_product_equals_the_dense_one() {
        let m = Ballistic::standard(1.0, 1e-8);
        let x = SVector::<f64, 7>::from([1e4, 1500.0, 2e3, -600.0, 4e4, -2500.0, 2e-4]);
        let phi = SMatrix::<f64, 7, 7>::from_fn(|i, j| ((i * 7 + j) as f64 * 0.37).sin() + 0.1);
        let dense = m.derivative_jacobian(&x) * phi;
        let sparse = m.drag_jacobian(&x).times(&phi);
        // Same terms summed in the same order: equal to the last bit.
        assert_eq!(dense, sparse);
    }

    #[test]
    fn ballistic_jacobian_matches_central_differences() {
        let m = Ballistic::standard(1.0, 1e-8);
        // (state, Δt, step in b): the b step is sized so that the change it makes in the
        // trajectory stands well above round-off.
        let cases = [
            // Re-entry vehicle at 40 km, β ≈ 5000 kg/m², 3 km/s.
            ([1e4, 1500.0, 2e3, -600.0, 4e4, -2500.0, 2e-4], 2.0, 1e-7),
            // Low, slow and draggy: several drag-limited sub-steps.
            ([0.0, 80.0, 0.0, 20.0, 2000.0, -60.0, 0.02], 1.5, 1e-6),
            // Vacuum (ρ ≈ 1e-12 kg/m³ at 200 km: the map is linear in b).
            ([0.0, 800.0, 0.0, 0.0, 2e5, 1000.0, 0.0], 3.0, 1e-1),
        ];
        for (x, dt, hb) in cases {
            let x = SVector::<f64, 7>::from(x);
            let h = SVector::<f64, 7>::from([1e-1, 1e-3, 1e-1, 1e-3, 1e-1, 1e-3, hb]);
            let fd = central_difference(|s| m.function(s, dt), &x, &h);
            let j = m.jacobian(&x, dt);
            assert_close(&j, &fd, 1e-6, 1e-8, &format!("ballistic Jacobian at {x:?}"));
        }
    }

    #[test]
    fn ballistic_q_layout() {
        let m = Ballistic::standard(2.0, 1e-6);
        let x = SVector::<f64, 7>::zeros();
        let q = m.covariance(&x, 3.0);
        let cv = ConstantVelocity::new(2.0).covariance(&SVector::<f64, 6>::zeros(), 3.0);
        assert_eq!(q.fixed_view::<6, 6>(0, 0).into_owned(), cv);
        assert_eq!(q[(6, 6)], 3e-6);
        assert_eq!(q.row(6).iter().filter(|v| **v != 0.0).count(), 1);
        assert!(m.function(&x, f64::NAN).iter().all(|v| v.is_nan()));
    }
}
