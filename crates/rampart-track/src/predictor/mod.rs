//! Predictors: a state estimate carried forward in time through a transition model.
//!
//! One trait, [`Predictor`], with one required method; implementations by algorithm family:
//!
//! - [`kalman`] — [`KalmanPredictor`] (alias [`ExtendedKalmanPredictor`]): x⁻ = f(x, Δt),
//!   P⁻ = F P Fᵀ + Q with F the model's Jacobian. Exact for linear-Gaussian models (the Kalman
//!   filter); first-order for non-linear ones (the EKF).
//! - [`unscented`] — [`UnscentedKalmanPredictor`]: the scaled unscented transform; second-order
//!   accurate in the mean for any smooth f, no Jacobian used.
//! - [`imm`] — [`Imm`], the interacting multiple model filter. It lives here because its
//!   distinctive step (mixing) precedes prediction, but it owns the whole cycle: predict,
//!   predict the measurement (for gating), update, coast.
//! - [`sigma_points`] — the sigma points, weights and covariance square-root/repair shared by
//!   the unscented predictor and updater.
//!
//! Time is the caller's `f64` seconds; Δt = t − prior.t is passed to the model unchecked, sign
//! included (Δt = 0 should give F = I, Q = 0 in any well-formed model).

pub mod imm;
pub mod kalman;
pub mod sigma_points;
#[cfg(test)]
pub(crate) mod test_models;
pub mod unscented;

pub use imm::{BoxedPredictor, BoxedUpdater, Imm, ImmError, ImmEstimate, ImmMeasurementPrediction};
pub use kalman::{ExtendedKalmanPredictor, KalmanPredictor};
pub use unscented::UnscentedKalmanPredictor;

use crate::types::StateAt;

/// Carries a state estimate forward to a later time.
pub trait Predictor<const N: usize> {
    /// The prediction of `prior` at time `t` (s); the result is stamped `t`.
    fn predict(&self, prior: &StateAt<N>, t: f64) -> StateAt<N>;
}
