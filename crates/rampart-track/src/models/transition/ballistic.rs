//! Ballistic motion with drag in a local flat-Earth frame: the 7-state model
//! (x, vx, y, vy, z, vz, 1/β).

use super::*;

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
    pub(super) fn drag_jacobian(&self, x: &SVector<f64, 7>) -> DragJacobian {
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
    pub(super) fn derivative_jacobian(&self, x: &SVector<f64, 7>) -> SMatrix<f64, 7, 7> {
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
pub(super) struct DragJacobian {
    dadv: nalgebra::Matrix3<f64>,
    dadz: nalgebra::Vector3<f64>,
    dadb: nalgebra::Vector3<f64>,
}

impl DragJacobian {
    /// `A·m`, using A's sparsity: the position rows are m's velocity rows, the velocity rows
    /// combine m's rows 1, 3, 4, 5, 6 (in that order, so the sums are those of the dense
    /// product), and the `b` row is zero. A third of the dense product's work, in the
    /// tracker's hottest loop.
    pub(super) fn times(&self, m: &SMatrix<f64, 7, 7>) -> SMatrix<f64, 7, 7> {
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
