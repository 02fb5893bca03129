//! The values that flow through a tracker: Gaussian states, detections, hypotheses.
//!
//! A state of dimension `N` is an `SVector<f64, N>` in SI units (metres, m/s, …) of whatever
//! Cartesian frame the caller uses (right-handed, z up); time is seconds as `f64` on the
//! caller's own clock. Fixed sizes keep the hot path free of allocation.

use nalgebra::{SMatrix, SVector};
use std::cell::OnceCell;

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

/// Where position and velocity sit in the state vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateLayout {
    /// Indices of x, y, z.
    pub position: [usize; 3],
    /// Indices of vx, vy, vz.
    pub velocity: [usize; 3],
}

/// A detection's Cartesian position (m) and the trace of its covariance (m²), if its
/// measurement converts to one ([`crate::models::measurement::MeasurementModel::inverse_position`]).
pub type Converted = Option<(SVector<f64, 3>, f64)>;

/// One scan as the tracker's roles see it: its time, its detections and each detection's
/// Cartesian position ([`Scan::position`]), converted when a role first asks for it and
/// kept for the others (a scan of false alarms far from any track and from each other need
/// convert none).
#[derive(Clone, Copy)]
pub struct Scan<'a, const M: usize> {
    /// Time of the scan, s.
    pub t: f64,
    /// The measurements, in the scan's order (a detection is known by its index here).
    pub detections: &'a [SVector<f64, M>],
    positions: &'a [OnceCell<Converted>],
    convert: &'a dyn Fn(&SVector<f64, M>) -> Converted,
}

impl<'a, const M: usize> Scan<'a, M> {
    /// The scan at `t` of `detections`, whose positions `convert` gives, each kept in its
    /// cell of `positions` (empty cells, one per detection) once asked for.
    pub fn new(
        t: f64,
        detections: &'a [SVector<f64, M>],
        positions: &'a [OnceCell<Converted>],
        convert: &'a dyn Fn(&SVector<f64, M>) -> Converted,
    ) -> Self {
        Self {
            t,
            detections,
            positions,
            convert,
        }
    }

    /// Detection `j`'s Cartesian position and the trace of its covariance
    /// ([`crate::models::measurement::MeasurementModel::inverse_position`]), converted on
    /// first asking.
    ///
    /// # Panics
    /// If there is no detection `j`.
    pub fn position(&self, j: usize) -> Converted {
        let z = &self.detections[j];
        match self.positions.get(j) {
            Some(cell) => *cell.get_or_init(|| (self.convert)(z)),
            None => (self.convert)(z),
        }
    }
}

impl<const M: usize> std::fmt::Debug for Scan<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scan")
            .field("t", &self.t)
            .field("detections", &self.detections)
            .field("positions", &self.positions)
            .finish_non_exhaustive()
    }
}

/// A gated (track, detection) pair: the hypothesis that the track made the detection, as a
/// hypothesiser hands it to an associator (Stone Soup's `SingleHypothesis`, reduced to the
/// numbers association needs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hypothesis {
    /// The track, by its position in the tracker's track list.
    pub track: usize,
    /// The detection, by its index in the scan.
    pub detection: usize,
    /// Squared Mahalanobis distance d² = νᵀ S⁻¹ ν of the detection from the track's predicted
    /// measurement (dimensionless).
    pub distance2: f64,
    /// ln det S of the innovation covariance S (S in the measurement's units squared).
    pub ln_det_s: f64,
}
