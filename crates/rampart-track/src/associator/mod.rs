//! Associators: which detection updates which track (GNN, JPDA).
//!
//! The solvers work on plain numbers, not filter types: the hypothesiser gates detections to
//! tracks and hands over sparse `(track, detection, value)` triples — a cost for GNN, a
//! measurement likelihood for JPDA. Both split the triples into independent [`clusters`] and
//! solve each one on its own, so a scan costs little more than its number of gated pairs when
//! clusters stay small. Small clusters are solved densely; a cluster too large for a dense
//! matrix is solved over its pairs only (GNN: [`assignment::solve_sparse`]; JPDA: belief
//! propagation with a bounded number of sweeps), so memory never grows with a cluster's square.
//!
//! The tracker's role is the [`Associator`] trait: hypotheses in, tracks updated through
//! [`TrackUpdates`]. [`GnnAssociator`] updates each track with the one detection it is
//! assigned; [`JpdaAssociator`] with the probability-weighted mixture of its gated detections;
//! [`ConfiguredAssociator`] is whichever of the two a configuration names.

/// Optimal rectangular assignment with forbidden pairs: shortest augmenting path, exact; dense
/// (O(n²m)) or sparse (over allowed pairs only).
pub mod assignment;
/// Independent clusters of tracks and detections linked by gated pairs (union–find); exact.
pub mod clusters;
/// The associator a configuration names (`gnn` or `jpda`), chosen at run time.
pub mod configured;
/// Global nearest neighbour: the cheapest one-to-one association, misses at a price; exact.
pub mod gnn;
/// JPDA probabilities: exact up to 8 tracks × 10 detections a cluster, belief propagation
/// beyond; and the JPDA update.
pub mod jpda;

pub use configured::ConfiguredAssociator;
pub use gnn::GnnAssociator;
pub use jpda::JpdaAssociator;

use crate::types::{Gaussian, Hypothesis, MeasurementPrediction};
use nalgebra::SVector;

/// Decides, from one scan's hypotheses, which detections update which tracks, and updates
/// them.
pub trait Associator<const N: usize, const M: usize> {
    /// Updates `tracks` from `hypotheses` (in track order, as a
    /// [`Hypothesiser`](crate::hypothesiser::Hypothesiser) gives them), and marks in `used`
    /// (all false on entry, one entry per detection) every detection that updated a track:
    /// the detections left unmarked may start tracks.
    fn associate<U: TrackUpdates<N, M>>(
        &mut self,
        hypotheses: &[Hypothesis],
        tracks: &mut U,
        used: &mut [bool],
    );
}

/// One scan's tracks as an associator sees and changes them: each predicted to the scan time
/// with its measurement prediction, the scan's detections, and the two ways to update a track.
pub trait TrackUpdates<const N: usize, const M: usize> {
    /// Number of tracks (tracks are `0..count()`).
    fn count(&self) -> usize;
    /// The scan's detections.
    fn detections(&self) -> &[SVector<f64, M>];
    /// Track `track`'s measurement prediction.
    fn prediction(&self, track: usize) -> &MeasurementPrediction<N, M>;
    /// Track `track`'s predicted state.
    fn predicted(&self, track: usize) -> &Gaussian<N>;
    /// `a − b` for two measurements, with angles wrapped.
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M>;
    /// Updates track `track` with detection `detection` by its filter (or as its initiator
    /// says, for a track's second detection under a two-point start), and counts the hit.
    fn update(&mut self, track: usize, detection: usize);
    /// Replaces track `track`'s estimate with `estimate` (an update the associator computed
    /// itself, such as a probabilistic mixture), and counts the hit.
    fn set_estimate(&mut self, track: usize, estimate: Gaussian<N>);
}

/// How detections are assigned to tracks, as a configuration names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Association {
    /// Global nearest neighbour: the most likely one-to-one assignment ([`GnnAssociator`]).
    Gnn,
    /// Joint probabilistic data association: every gated detection, weighted
    /// ([`JpdaAssociator`]).
    Jpda,
}
