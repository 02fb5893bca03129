//! The Kalman and extended Kalman predictor (BLK §5.2, §10.3).

use crate::models::transition::TransitionModel;
use crate::predictor::Predictor;
use crate::types::{Gaussian, StateAt};

/// Kalman prediction through a transition model: x⁻ = f(x, Δt), P⁻ = F P Fᵀ + Q, with
/// F = ∂f/∂x and Q both evaluated at the prior mean, then symmetrised.
///
/// For a linear model this is the Kalman filter's prediction; for a non-linear one it is the
/// extended Kalman filter's (see [`ExtendedKalmanPredictor`]) — the code is the same.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KalmanPredictor<T> {
    /// The transition model.
    pub model: T,
}

/// The extended Kalman predictor: [`KalmanPredictor`] over a non-linear model (the mean goes
/// through f itself, the covariance through its Jacobian).
pub type ExtendedKalmanPredictor<T> = KalmanPredictor<T>;

impl<T> KalmanPredictor<T> {
    /// A predictor for `model`.
    pub fn new(model: T) -> Self {
        Self { model }
    }
}

impl<const N: usize, T: TransitionModel<N>> Predictor<N> for KalmanPredictor<T> {
    fn predict(&self, prior: &StateAt<N>, t: f64) -> StateAt<N> {
        let dt = t - prior.t;
        let x = &prior.state.mean;
        let (mean, f) = self.model.function_and_jacobian(x, dt);
        let cov = f * prior.state.cov * f.transpose() + self.model.covariance(x, dt);
        StateAt {
            t,
            state: Gaussian::new(mean, cov).symmetrised(),
        }
    }
}
