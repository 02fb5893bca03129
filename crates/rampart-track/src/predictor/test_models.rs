//! Small test-only models and Monte Carlo helpers shared by the predictor and updater tests.
//! They stand alone so these tests never depend on the crate's concrete models.

use nalgebra::{Matrix2, Matrix4, SMatrix, SVector, Vector2, Vector4};
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::models::measurement::MeasurementModel;
use crate::models::transition::TransitionModel;
use crate::types::Gaussian;

/// 1-D constant velocity [x, v], discrete white-noise acceleration (piecewise-constant
/// acceleration of standard deviation `sigma_a` over each interval): Q = σₐ²[[T⁴/4, T³/2],
/// [T³/2, T²]] (BLK §6.3.2).
#[derive(Clone, Copy, Debug)]
pub struct DwnaCv1 {
    pub sigma_a: f64,
}

impl TransitionModel<2> for DwnaCv1 {
    fn function(&self, x: &Vector2<f64>, dt: f64) -> Vector2<f64> {
        Vector2::new(x[0] + dt * x[1], x[1])
    }
    fn jacobian(&self, _x: &Vector2<f64>, dt: f64) -> Matrix2<f64> {
        Matrix2::new(1.0, dt, 0.0, 1.0)
    }
    fn covariance(&self, _x: &Vector2<f64>, dt: f64) -> Matrix2<f64> {
        let g = Vector2::new(dt * dt / 2.0, dt);
        g * g.transpose() * self.sigma_a.powi(2)
    }
}

/// 1-D constant velocity [x, v], continuous white-noise acceleration of power spectral density
/// `q` (m²/s³): Q = q[[T³/3, T²/2], [T²/2, T]] (BLK §6.2.2).
#[derive(Clone, Copy, Debug)]
pub struct CwnaCv1 {
    pub q: f64,
}

impl TransitionModel<2> for CwnaCv1 {
    fn function(&self, x: &Vector2<f64>, dt: f64) -> Vector2<f64> {
        Vector2::new(x[0] + dt * x[1], x[1])
    }
    fn jacobian(&self, _x: &Vector2<f64>, dt: f64) -> Matrix2<f64> {
        Matrix2::new(1.0, dt, 0.0, 1.0)
    }
    fn covariance(&self, _x: &Vector2<f64>, dt: f64) -> Matrix2<f64> {
        cwna_block(self.q, dt)
    }
}

fn cwna_block(q: f64, dt: f64) -> Matrix2<f64> {
    Matrix2::new(dt.powi(3) / 3.0, dt * dt / 2.0, dt * dt / 2.0, dt) * q
}

/// 2-D constant velocity [x, vx, y, vy], continuous white-noise acceleration of spectral
/// density `q` (m²/s³) on each axis.
#[derive(Clone, Copy, Debug)]
pub struct CwnaCv2 {
    pub q: f64,
}

impl TransitionModel<4> for CwnaCv2 {
    fn function(&self, x: &Vector4<f64>, dt: f64) -> Vector4<f64> {
        Vector4::new(x[0] + dt * x[1], x[1], x[2] + dt * x[3], x[3])
    }
    fn jacobian(&self, _x: &Vector4<f64>, dt: f64) -> Matrix4<f64> {
        let mut f = Matrix4::identity();
        f[(0, 1)] = dt;
        f[(2, 3)] = dt;
        f
    }
    fn covariance(&self, _x: &Vector4<f64>, dt: f64) -> Matrix4<f64> {
        let b = cwna_block(self.q, dt);
        let mut m = Matrix4::zeros();
        m.fixed_view_mut::<2, 2>(0, 0).copy_from(&b);
        m.fixed_view_mut::<2, 2>(2, 2).copy_from(&b);
        m
    }
}

/// Position of a 1-D [x, v] state: H = [1, 0], R = σ².
#[derive(Clone, Copy, Debug)]
pub struct Position1 {
    pub sigma: f64,
}

impl MeasurementModel<2, 1> for Position1 {
    fn function(&self, x: &Vector2<f64>) -> SVector<f64, 1> {
        SVector::<f64, 1>::new(x[0])
    }
    fn jacobian(&self, _x: &Vector2<f64>) -> SMatrix<f64, 1, 2> {
        SMatrix::<f64, 1, 2>::new(1.0, 0.0)
    }
    fn covariance(&self) -> SMatrix<f64, 1, 1> {
        SMatrix::<f64, 1, 1>::new(self.sigma * self.sigma)
    }
}

/// Position (x, y) of a [x, vx, y, vy] state with full 2×2 noise covariance `r`.
#[derive(Clone, Copy, Debug)]
pub struct Position2 {
    pub r: Matrix2<f64>,
}

impl MeasurementModel<4, 2> for Position2 {
    fn function(&self, x: &Vector4<f64>) -> Vector2<f64> {
        Vector2::new(x[0], x[2])
    }
    fn jacobian(&self, _x: &Vector4<f64>) -> SMatrix<f64, 2, 4> {
        SMatrix::<f64, 2, 4>::new(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    }
    fn covariance(&self) -> Matrix2<f64> {
        self.r
    }
}

/// Range (m) and bearing (rad, from +x towards +y) of a [x, vx, y, vy] state from the origin.
#[derive(Clone, Copy, Debug)]
pub struct RangeBearing {
    pub sigma_r: f64,
    pub sigma_b: f64,
}

impl MeasurementModel<4, 2> for RangeBearing {
    fn function(&self, x: &Vector4<f64>) -> Vector2<f64> {
        Vector2::new(x[0].hypot(x[2]), x[2].atan2(x[0]))
    }
    fn jacobian(&self, x: &Vector4<f64>) -> SMatrix<f64, 2, 4> {
        let r2 = (x[0] * x[0] + x[2] * x[2]).max(1e-12);
        let r = r2.sqrt();
        SMatrix::<f64, 2, 4>::new(
            x[0] / r,
            0.0,
            x[2] / r,
            0.0,
            -x[2] / r2,
            0.0,
            x[0] / r2,
            0.0,
        )
    }
    fn covariance(&self) -> Matrix2<f64> {
        Matrix2::new(self.sigma_r.powi(2), 0.0, 0.0, self.sigma_b.powi(2))
    }
    fn residual(&self, a: &Vector2<f64>, b: &Vector2<f64>) -> Vector2<f64> {
        let d = a - b;
        Vector2::new(d[0], wrap(d[1]))
    }
}

/// An angle wrapped into (−π, π].
pub fn wrap(a: f64) -> f64 {
    use std::f64::consts::PI;
    let w = a.rem_euclid(2.0 * PI);
    if w > PI { w - 2.0 * PI } else { w }
}

/// A draw from N(mean, cov).
pub fn sample<const N: usize>(
    rng: &mut ChaCha8Rng,
    mean: &SVector<f64, N>,
    cov: &SMatrix<f64, N, N>,
) -> SVector<f64, N> {
    let l = super::sigma_points::matrix_sqrt(cov);
    let e = SVector::<f64, N>::from_fn(|_, _| StandardNormal.sample(rng));
    mean + l * e
}

/// The normalised estimation error squared (x − x̂)ᵀ P⁻¹ (x − x̂).
pub fn nees<const N: usize>(est: &Gaussian<N>, truth: &SVector<f64, N>) -> f64 {
    let e = truth - est.mean;
    let chol = est
        .cov
        .cholesky()
        .expect("estimate covariance is positive definite");
    e.dot(&chol.solve(&e))
}

/// The p-quantile of χ² with ν degrees of freedom by the Wilson–Hilferty cube-root normal
/// approximation, χ²ₚ ≈ ν(1 − 2/(9ν) + zₚ√(2/(9ν)))³; its relative error is below 10⁻⁴ for
/// ν in the thousands (Johnson, Kotz & Balakrishnan 1994, ch. 18). `z` is the standard normal
/// p-quantile.
pub fn chi2_quantile_wilson_hilferty(nu: f64, z: f64) -> f64 {
    let c = 2.0 / (9.0 * nu);
    nu * (1.0 - c + z * c.sqrt()).powi(3)
}
