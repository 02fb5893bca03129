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

mod ballistic;
pub use ballistic::Ballistic;

#[cfg(test)]
mod tests;
