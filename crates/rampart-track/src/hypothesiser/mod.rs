//! Hypothesisers: which detections could belong to which track (gating).
//!
//! One trait, [`Hypothesiser`]; implementations by algorithm family:
//!
//! - [`distance`] — [`DistanceHypothesiser`]: a χ² gate on the squared Mahalanobis distance,
//!   behind a 3-D grid spatial pre-gate, and the [`mahalanobis2`] it is built from.
//! - [`spatial_index`] — [`SpatialIndex`]: the pre-gate's grid (the tracker's duplicate test
//!   and velocity-gated initiation use it too).

pub mod distance;
pub mod spatial_index;

pub use distance::*;
pub use spatial_index::SpatialIndex;

use crate::models::measurement::MeasurementModel;
use crate::tracker::Track;
use crate::types::{Hypothesis, MeasurementPrediction, Scan, StateLayout};

/// Gates one scan's detections to the tracks: the (track, detection) pairs an associator may
/// consider.
pub trait Hypothesiser<const N: usize, const M: usize> {
    /// The hypotheses of `scan`: every (track, detection) pair that passes the gate, in track
    /// order (each track's pairs one contiguous run, detections ascending). `tracks` are
    /// predicted to the scan time, and `predicted[t]` is track `t`'s measurement prediction;
    /// `model` converts and compares measurements and `layout` says where positions are.
    fn hypothesise<S, Mm: MeasurementModel<N, M>>(
        &mut self,
        tracks: &[Track<N, S>],
        predicted: &[MeasurementPrediction<N, M>],
        scan: &Scan<'_, M>,
        model: &Mm,
        layout: StateLayout,
    ) -> Vec<Hypothesis>;

    /// The gate γ: the largest squared Mahalanobis distance a hypothesis may have. The
    /// tracker also uses it to find a tentative track sitting on a confirmed one.
    fn gate(&self) -> f64;
}
