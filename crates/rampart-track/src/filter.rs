//! What a tracker needs of a filter, so that one tracker runs a Kalman-family filter or an
//! interacting multiple model filter alike.
//!
//! A [`TrackFilter`] carries its own per-track state (`State`: a Gaussian for a Kalman filter,
//! per-mode Gaussians and mode probabilities for an IMM), predicts it, predicts the measurement
//! the tracker gates and associates on, updates it, and reports one Gaussian estimate.

use crate::predictor::{Imm, ImmEstimate, Predictor};
use crate::types::{Gaussian, MeasurementPrediction, StateAt};
use crate::updater::Updater;
use nalgebra::SVector;

/// A filter as a tracker uses it.
pub trait TrackFilter<const N: usize, const M: usize> {
    /// What the filter carries for one track.
    type State: Clone + std::fmt::Debug;
    /// A state from an initial Gaussian estimate.
    fn start(&self, estimate: StateAt<N>) -> Self::State;
    /// The state predicted to time `t` (s).
    fn predict(&self, state: &Self::State, t: f64) -> Self::State;
    /// The measurement prediction the tracker gates and associates on.
    fn predict_measurement(&self, predicted: &Self::State) -> MeasurementPrediction<N, M>;
    /// The state updated with measurement `z`; `mp` is `predict_measurement(predicted)`.
    fn update(
        &self,
        predicted: &Self::State,
        mp: &MeasurementPrediction<N, M>,
        z: &SVector<f64, M>,
    ) -> Self::State;
    /// The single Gaussian estimate the state stands for.
    fn estimate(&self, state: &Self::State) -> StateAt<N>;
    /// The state with its estimate replaced (by a two-point start or a probabilistic-data-
    /// association update, which the tracker computes on the Gaussian estimate).
    fn with_estimate(&self, state: &Self::State, estimate: StateAt<N>) -> Self::State;
    /// `a − b` for two measurements, with angles wrapped.
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M>;
}

/// A Kalman-family filter (Kalman, extended or unscented): a predictor and an updater.
#[derive(Clone, Copy, Debug)]
pub struct KalmanFilter<P, U> {
    /// The predictor.
    pub predictor: P,
    /// The updater.
    pub updater: U,
}

impl<P, U> KalmanFilter<P, U> {
    /// A filter from a predictor and an updater.
    pub fn new(predictor: P, updater: U) -> Self {
        Self { predictor, updater }
    }
}

impl<const N: usize, const M: usize, P: Predictor<N>, U: Updater<N, M>> TrackFilter<N, M>
    for KalmanFilter<P, U>
{
    type State = StateAt<N>;
    fn start(&self, estimate: StateAt<N>) -> StateAt<N> {
        estimate
    }
    fn predict(&self, state: &StateAt<N>, t: f64) -> StateAt<N> {
        self.predictor.predict(state, t)
    }
    fn predict_measurement(&self, predicted: &StateAt<N>) -> MeasurementPrediction<N, M> {
        self.updater.predict_measurement(predicted)
    }
    fn update(
        &self,
        predicted: &StateAt<N>,
        mp: &MeasurementPrediction<N, M>,
        z: &SVector<f64, M>,
    ) -> StateAt<N> {
        self.updater.update(predicted, mp, z)
    }
    fn estimate(&self, state: &StateAt<N>) -> StateAt<N> {
        *state
    }
    fn with_estimate(&self, _state: &StateAt<N>, estimate: StateAt<N>) -> StateAt<N> {
        estimate
    }
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        self.updater.residual(a, b)
    }
}

/// An IMM with its initial mode probabilities.
#[derive(Debug)]
pub struct ImmFilter<const N: usize, const M: usize, const K: usize> {
    /// The interacting multiple model filter.
    pub imm: Imm<N, M, K>,
    /// Mode probabilities of a new track.
    pub initial_probabilities: SVector<f64, K>,
}

impl<const N: usize, const M: usize, const K: usize> TrackFilter<N, M> for ImmFilter<N, M, K> {
    type State = ImmEstimate<N, K>;
    fn start(&self, estimate: StateAt<N>) -> ImmEstimate<N, K> {
        let s = estimate.state;
        ImmEstimate {
            t: estimate.t,
            models: [s; K],
            probabilities: self.initial_probabilities,
        }
    }
    fn predict(&self, state: &ImmEstimate<N, K>, t: f64) -> ImmEstimate<N, K> {
        self.imm.predict(state, t)
    }
    /// The combined (moment-matched) measurement prediction of all modes.
    fn predict_measurement(&self, predicted: &ImmEstimate<N, K>) -> MeasurementPrediction<N, M> {
        self.imm.predict_measurement(predicted).combined
    }
    fn update(
        &self,
        predicted: &ImmEstimate<N, K>,
        _mp: &MeasurementPrediction<N, M>,
        z: &SVector<f64, M>,
    ) -> ImmEstimate<N, K> {
        // The IMM update needs every mode's own prediction, not only the combined one.
        let mp = self.imm.predict_measurement(predicted);
        self.imm.update(predicted, &mp, z)
    }
    fn estimate(&self, state: &ImmEstimate<N, K>) -> StateAt<N> {
        state.combined()
    }
    /// Every mode takes the new estimate; the mode probabilities are kept. (An approximation
    /// for JPDA with an IMM: the weighted update is made on the combined estimate.)
    fn with_estimate(&self, state: &ImmEstimate<N, K>, estimate: StateAt<N>) -> ImmEstimate<N, K> {
        let g: Gaussian<N> = estimate.state;
        ImmEstimate {
            t: estimate.t,
            models: [g; K],
            probabilities: state.probabilities,
        }
    }
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        self.imm.residual(a, b)
    }
}
