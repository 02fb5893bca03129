//! The unscented Kalman predictor (Julier & Uhlmann 2004; Wan & van der Merwe 2000).

use crate::models::transition::TransitionModel;
use crate::predictor::Predictor;
use crate::predictor::sigma_points::{
    DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_KAPPA, SigmaPoints, UnscentedWeights,
};
use crate::types::{Gaussian, StateAt};

/// Unscented prediction: the prior's 2N + 1 scaled sigma points are pushed through f(·, Δt); the
/// predicted mean and covariance are their weighted mean and scatter, plus Q evaluated at the
/// prior mean. No Jacobian is used.
///
/// The square root of the prior covariance is its Cholesky factor, or a clamped eigen-root if
/// it is only semi-definite ([`sigma_points::matrix_sqrt`](super::sigma_points::matrix_sqrt)).
/// With the default parameters every weight is non-negative, so the predicted covariance stays
/// positive semi-definite (positive definite once Q is added).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnscentedKalmanPredictor<T> {
    /// The transition model.
    pub model: T,
    /// Primary spread α (dimensionless, > 0). Default 1: see
    /// [`UnscentedWeights`] for why (Stone Soup uses 0.5).
    pub alpha: f64,
    /// Prior-knowledge parameter β (dimensionless). Default 2, optimal for Gaussians.
    pub beta: f64,
    /// Secondary spread κ (dimensionless, > −N). Default 0.
    pub kappa: f64,
}

impl<T> UnscentedKalmanPredictor<T> {
    /// A predictor for `model` with the defaults α = 1, β = 2, κ = 0.
    pub fn new(model: T) -> Self {
        Self::with_parameters(model, DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_KAPPA)
    }

    /// A predictor for `model` with the given sigma-point parameters. Values for which
    /// α²(N + κ) ≤ 0 are replaced by the defaults when used (see [`UnscentedWeights::new`]).
    pub fn with_parameters(model: T, alpha: f64, beta: f64, kappa: f64) -> Self {
        Self {
            model,
            alpha,
            beta,
            kappa,
        }
    }

    /// The sigma-point weights for dimension `n`.
    pub fn weights(&self, n: usize) -> UnscentedWeights {
        UnscentedWeights::new(n, self.alpha, self.beta, self.kappa)
    }
}

impl<const N: usize, T: TransitionModel<N>> Predictor<N> for UnscentedKalmanPredictor<T> {
    fn predict(&self, prior: &StateAt<N>, t: f64) -> StateAt<N> {
        let dt = t - prior.t;
        let w = self.weights(N);
        let chi = SigmaPoints::of(&prior.state, &w);
        let y = chi.map(|x| self.model.function(x, dt));
        let diff = |a: &nalgebra::SVector<f64, N>, b: &nalgebra::SVector<f64, N>| a - b;
        let mean = y.mean(&w, diff);
        let cov = y.cross_covariance(&mean, diff, &y, &mean, diff, &w)
            + self.model.covariance(&prior.state.mean, dt);
        StateAt {
            t,
            state: Gaussian::new(mean, cov).symmetrised(),
        }
    }
}
