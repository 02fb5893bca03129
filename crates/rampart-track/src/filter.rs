//! What a tracker needs of a filter, so that one tracker runs a Kalman-family filter or an
//! interacting multiple model filter alike.
//!
//! A [`TrackFilter`] carries its own per-track state (`State`: a Gaussian for a Kalman filter,
//! per-mode Gaussians and mode probabilities for an IMM), predicts it, predicts the measurement
//! the tracker gates and associates on, updates it, and reports one Gaussian estimate.

use crate::predictor::{Imm, ImmEstimate, ImmMeasurementPrediction, Predictor};
use crate::types::{Gaussian, MeasurementPrediction, StateAt};
use crate::updater::Updater;
use nalgebra::SVector;

/// A filter as a tracker uses it. A track keeps its estimate (a Gaussian at a time) and
/// whatever else its filter carries (`State`); every method takes both.
pub trait TrackFilter<const N: usize, const M: usize> {
    /// What the filter carries for one track besides its estimate: nothing for a Kalman
    /// filter, whose state is the estimate (so a track does not hold it twice); the modes
    /// and their probabilities for an IMM.
    type State: Clone + std::fmt::Debug;
    /// What a measurement prediction keeps for the update besides the prediction the tracker
    /// gates on: nothing for a Kalman filter; each mode's own prediction for an IMM (so an
    /// update does not predict them again).
    type Predicted: Clone + std::fmt::Debug;
    /// The state of a track that starts from `estimate`.
    fn start(&self, estimate: &StateAt<N>) -> Self::State;
    /// The track predicted to time `t` (s): its estimate and state.
    fn predict(
        &self,
        estimate: &StateAt<N>,
        state: &Self::State,
        t: f64,
    ) -> (StateAt<N>, Self::State);
    /// The measurement prediction the tracker gates and associates on, for a predicted track,
    /// and what the update needs of it besides.
    fn predict_measurement(
        &self,
        estimate: &StateAt<N>,
        state: &Self::State,
    ) -> (MeasurementPrediction<N, M>, Self::Predicted);
    /// The predicted track updated with measurement `z`, `mp` and `predicted` its measurement
    /// prediction (`predict_measurement`'s): its estimate and state.
    fn update(
        &self,
        estimate: &StateAt<N>,
        state: &Self::State,
        mp: &MeasurementPrediction<N, M>,
        predicted: &Self::Predicted,
        z: &SVector<f64, M>,
    ) -> (StateAt<N>, Self::State);
    /// The single Gaussian estimate the filter's state stands for (the estimate itself for a
    /// Kalman filter; the moment-matched mixture of an IMM's modes).
    fn estimate(&self, estimate: &StateAt<N>, state: &Self::State) -> StateAt<N>;
    /// The state that goes with a replaced estimate (a two-point start or a probabilistic-
    /// data-association update, which the tracker computes on the Gaussian estimate).
    fn with_estimate(&self, state: &Self::State, estimate: &StateAt<N>) -> Self::State;
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
    type State = ();
    type Predicted = ();
    fn start(&self, _estimate: &StateAt<N>) {}
    fn predict(&self, estimate: &StateAt<N>, _state: &(), t: f64) -> (StateAt<N>, ()) {
        (self.predictor.predict(estimate, t), ())
    }
    fn predict_measurement(
        &self,
        estimate: &StateAt<N>,
        _state: &(),
    ) -> (MeasurementPrediction<N, M>, ()) {
        (self.updater.predict_measurement(estimate), ())
    }
    fn update(
        &self,
        estimate: &StateAt<N>,
        _state: &(),
        mp: &MeasurementPrediction<N, M>,
        _predicted: &(),
        z: &SVector<f64, M>,
    ) -> (StateAt<N>, ()) {
        (self.updater.update(estimate, mp, z), ())
    }
    fn estimate(&self, estimate: &StateAt<N>, _state: &()) -> StateAt<N> {
        *estimate
    }
    fn with_estimate(&self, _state: &(), _estimate: &StateAt<N>) {}
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
    type Predicted = [MeasurementPrediction<N, M>; K];
    fn start(&self, estimate: &StateAt<N>) -> ImmEstimate<N, K> {
        let s = estimate.state;
        ImmEstimate {
            t: estimate.t,
            models: [s; K],
            probabilities: self.initial_probabilities,
        }
    }
    fn predict(
        &self,
        _estimate: &StateAt<N>,
        state: &ImmEstimate<N, K>,
        t: f64,
    ) -> (StateAt<N>, ImmEstimate<N, K>) {
        let predicted = self.imm.predict(state, t);
        (predicted.combined(), predicted)
    }
    /// The combined (moment-matched) measurement prediction of all modes, and each mode's.
    fn predict_measurement(
        &self,
        _estimate: &StateAt<N>,
        state: &ImmEstimate<N, K>,
    ) -> (
        MeasurementPrediction<N, M>,
        [MeasurementPrediction<N, M>; K],
    ) {
        let mp = self.imm.predict_measurement(state);
        (mp.combined, mp.models)
    }
    fn update(
        &self,
        _estimate: &StateAt<N>,
        state: &ImmEstimate<N, K>,
        mp: &MeasurementPrediction<N, M>,
        predicted: &[MeasurementPrediction<N, M>; K],
        z: &SVector<f64, M>,
    ) -> (StateAt<N>, ImmEstimate<N, K>) {
        // The IMM update needs every mode's own prediction, not only the combined one: the
        // ones predict_measurement made.
        let mp = ImmMeasurementPrediction {
            models: *predicted,
            combined: *mp,
        };
        let updated = self.imm.update(state, &mp, z);
        (updated.combined(), updated)
    }
    fn estimate(&self, _estimate: &StateAt<N>, state: &ImmEstimate<N, K>) -> StateAt<N> {
        state.combined()
    }
    /// Every mode takes the new estimate; the mode probabilities are kept. (An approximation
    /// for JPDA with an IMM: the weighted update is made on the combined estimate.)
    fn with_estimate(&self, state: &ImmEstimate<N, K>, estimate: &StateAt<N>) -> ImmEstimate<N, K> {
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
