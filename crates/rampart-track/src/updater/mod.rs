//! Updaters: a predicted state corrected by a measurement.
//!
//! One trait, [`Updater`]; implementations by algorithm family:
//!
//! - [`kalman`] — [`KalmanUpdater`] (alias [`ExtendedKalmanUpdater`]): S = H P Hᵀ + R,
//!   K = P Hᵀ S⁻¹, x⁺ = x + K ν and the Joseph-form covariance. Exact for linear models, first
//!   order (EKF) for non-linear ones.
//! - [`unscented`] — [`UnscentedKalmanUpdater`]: ẑ, S and P Hᵀ from sigma points.
//!
//! and the Gaussian gating/association quantities of a [`MeasurementPrediction`]:
//! [`mahalanobis2`], [`log_likelihood`], [`likelihood`].
//!
//! Innovations are always `model.residual(z, ẑ)`, so bearing-like components wrap. A
//! measurement prediction whose S is not positive definite carries no usable information: its
//! distance is +∞, its likelihood 0, and updating with it returns the prediction unchanged.
//! (The IMM filter, which also updates, lives in [`crate::predictor::imm`].)

pub mod kalman;
pub mod unscented;

pub use kalman::{ExtendedKalmanUpdater, KalmanUpdater};
pub use unscented::UnscentedKalmanUpdater;

use nalgebra::{SMatrix, SVector};

use crate::types::{MeasurementPrediction, StateAt};

/// Corrects a predicted state with a measurement of dimension `M`.
///
/// The split into [`predict_measurement`](Updater::predict_measurement) and
/// [`update`](Updater::update) lets a tracker gate and associate on the measurement prediction
/// before committing to an update; [`residual`](Updater::residual) is needed because only the
/// measurement model knows which components are angles.
pub trait Updater<const N: usize, const M: usize> {
    /// The predicted measurement ẑ, innovation covariance S and cross-covariance P Hᵀ of
    /// `predicted`.
    fn predict_measurement(&self, predicted: &StateAt<N>) -> MeasurementPrediction<N, M>;

    /// The posterior given measurement `z`, where `mp` is this updater's
    /// [`predict_measurement`](Updater::predict_measurement) of `predicted`. The posterior keeps
    /// `predicted.t`. If `mp.s` is not positive definite `predicted` is returned unchanged.
    fn update(
        &self,
        predicted: &StateAt<N>,
        mp: &MeasurementPrediction<N, M>,
        z: &SVector<f64, M>,
    ) -> StateAt<N>;

    /// The innovation ν = z − ẑ, with angles wrapped into (−π, π] (the measurement model's
    /// [`residual`](crate::models::measurement::MeasurementModel::residual)).
    fn residual(&self, z: &SVector<f64, M>, z_hat: &SVector<f64, M>) -> SVector<f64, M>;

    /// The squared Mahalanobis distance νᵀ S⁻¹ ν of `z` from `mp`, for gating; +∞ if S is not
    /// positive definite.
    fn mahalanobis2(&self, mp: &MeasurementPrediction<N, M>, z: &SVector<f64, M>) -> f64 {
        mahalanobis2(mp, &self.residual(z, &mp.z))
    }

    /// ln N(z; ẑ, S), for association weights and IMM mode probabilities; −∞ if S is not
    /// positive definite.
    fn log_likelihood(&self, mp: &MeasurementPrediction<N, M>, z: &SVector<f64, M>) -> f64 {
        log_likelihood(mp, &self.residual(z, &mp.z))
    }
}

/// The squared Mahalanobis distance d² = νᵀ S⁻¹ ν of an innovation ν (already a
/// [`residual`](Updater::residual)) under `mp.s`, by a Cholesky solve; +∞ if S is not positive
/// definite. Under the model d² ~ χ²(M) (BLK §3.7.1).
pub fn mahalanobis2<const N: usize, const M: usize>(
    mp: &MeasurementPrediction<N, M>,
    residual: &SVector<f64, M>,
) -> f64 {
    match mp.s.cholesky() {
        Some(chol) => residual.dot(&chol.solve(residual)),
        None => f64::INFINITY,
    }
}

/// The Gaussian log-density ln N(ν; 0, S) = −½(d² + ln det S + M ln 2π) of an innovation ν;
/// −∞ if S is not positive definite. Prefer this to [`likelihood`] when combining many
/// hypotheses: the density underflows for d² ≳ 1,400.
pub fn log_likelihood<const N: usize, const M: usize>(
    mp: &MeasurementPrediction<N, M>,
    residual: &SVector<f64, M>,
) -> f64 {
    let Some(chol) = mp.s.cholesky() else {
        return f64::NEG_INFINITY;
    };
    let d2 = residual.dot(&chol.solve(residual));
    let ln_det: f64 = 2.0
        * chol
            .l_dirty()
            .diagonal()
            .iter()
            .map(|d| d.ln())
            .sum::<f64>();
    -0.5 * (d2 + ln_det + M as f64 * (2.0 * std::f64::consts::PI).ln())
}

/// The Gaussian density N(ν; 0, S) of an innovation ν, in the inverse units of the
/// measurement; 0 if S is not positive definite.
pub fn likelihood<const N: usize, const M: usize>(
    mp: &MeasurementPrediction<N, M>,
    residual: &SVector<f64, M>,
) -> f64 {
    log_likelihood(mp, residual).exp()
}

/// The Kalman gain K = (P Hᵀ) S⁻¹ by a Cholesky solve of S Kᵀ = (P Hᵀ)ᵀ; `None` if S is not
/// positive definite.
pub(crate) fn kalman_gain<const N: usize, const M: usize>(
    mp: &MeasurementPrediction<N, M>,
) -> Option<SMatrix<f64, N, M>> {
    let chol = mp.s.cholesky()?;
    Some(chol.solve(&mp.cross.transpose()).transpose())
}
