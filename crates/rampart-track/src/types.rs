//! The values that flow through a tracker: Gaussian states, detections, hypotheses.
//!
//! A state of dimension `N` is an `SVector<f64, N>` in SI units (metres, m/s, …) of whatever
//! Cartesian frame the caller uses (right-handed, z up); time is seconds as `f64` on the
//! caller's own clock. Fixed sizes keep the hot path free of allocation.

use nalgebra::{SMatrix, SVector};

/// A Gaussian belief: mean and covariance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gaussian<const N: usize> {
    /// Mean.
    pub mean: SVector<f64, N>,
    /// Covariance (symmetric, positive definite).
    pub cov: SMatrix<f64, N, N>,
}

impl<const N: usize> Gaussian<N> {
    /// A Gaussian from mean and covariance.
    pub fn new(mean: SVector<f64, N>, cov: SMatrix<f64, N, N>) -> Self {
        Self { mean, cov }
    }
    /// The covariance made exactly symmetric, (P + Pᵀ)/2: applied after every update so that
    /// round-off never accumulates into asymmetry.
    pub fn symmetrised(mut self) -> Self {
        self.cov = (self.cov + self.cov.transpose()) * 0.5;
        self
    }
}

/// A state estimate at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StateAt<const N: usize> {
    /// Time, s.
    pub t: f64,
    /// The estimate.
    pub state: Gaussian<N>,
}

/// A measurement of dimension `M` at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection<const M: usize> {
    /// Time, s.
    pub t: f64,
    /// The measured vector.
    pub z: SVector<f64, M>,
}

/// A predicted measurement with its innovation covariance and cross-covariance: everything a
/// gate, an associator and an update need (Stone Soup's `MeasurementPrediction`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasurementPrediction<const N: usize, const M: usize> {
    /// Predicted measurement ẑ.
    pub z: SVector<f64, M>,
    /// Innovation covariance S.
    pub s: SMatrix<f64, M, M>,
    /// Cross-covariance between state and measurement, P Hᵀ.
    pub cross: SMatrix<f64, N, M>,
}
