//! The multi-target tracker: predict, gate, associate, update, initiate, confirm, delete.
//!
//! A [`Tracker`] is a composition of roles, as in Stone Soup: a filter `F` (predictor and
//! updater), a measurement model `Mm`, a [`Hypothesiser`] `H`, an [`Associator`] `A`, an
//! [`Initiator`] `I` and a [`Deleter`] `D`. [`Tracker::step`] takes one scan of detections
//! and reads like the method it is:
//!
//! 1. every track is predicted to the scan time and its measurement predicted;
//! 2. the hypothesiser gates detections to tracks;
//! 3. the associator decides which detections update which tracks, and updates them;
//! 4. the initiator starts tentative tracks from the detections no track used;
//! 5. a tentative track sitting on a confirmed one is marked as its duplicate;
//! 6. the duplicates are dropped, the initiator confirms tentative tracks (or drops them), and
//!    the deleter ends tracks.
//!
//! The roles are type parameters, so each call is dispatched statically and inlined on the
//! hot path. [`Tracker::new`] builds the roles a configuration names ([`TrackerParams`]:
//! [`DistanceHypothesiser`], [`ConfiguredAssociator`], [`ConfiguredInitiator`],
//! [`MissedScansDeleter`]); [`Tracker::with_roles`] takes any others.
//!
//! Track ids are assigned at birth, kept for life and never reused.

use crate::associator::{Associator, ConfiguredAssociator, TrackUpdates};
use crate::deleter::{Deleter, MissedScansDeleter, TrackStatus};
use crate::filter::TrackFilter;
use crate::hypothesiser::distance::{mahalanobis2_only, percentile90};
use crate::hypothesiser::{DistanceHypothesiser, Hypothesiser, SpatialIndex};
use crate::initiator::{
    Birth, Births, ConfiguredInitiator, Initiator, MofNInitiator, Tentative, TrackStart,
};
use crate::models::measurement::MeasurementModel;
use crate::types::{Converted, Gaussian, MeasurementPrediction, Scan, StateAt};
use nalgebra::{SMatrix, SVector};
use std::cell::OnceCell;

pub use crate::associator::Association;
pub use crate::initiator::Initiation;
pub use crate::types::StateLayout;

/// The settings of the roles [`Tracker::new`] builds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackerParams {
    /// Probability of detection of a target per scan.
    pub pd: f64,
    /// Density of false detections per unit measurement volume per scan.
    pub clutter_density: f64,
    /// Probability that the gate holds a target's own detection.
    pub gate_probability: f64,
    /// GNN or JPDA.
    pub association: Association,
    /// Confirm a tentative track after `m` hits…
    pub m: u32,
    /// …within its first `n` scans (else drop it).
    pub n: u32,
    /// Delete a confirmed track after this many consecutive misses.
    pub max_misses: u32,
    /// Delete a track whose position variance (trace of the position covariance, m²) exceeds
    /// this.
    pub max_position_variance_m2: f64,
    /// Velocity initialisation.
    pub initiation: Initiation,
}

/// One track: its estimate and what its filter carries (`S`, e.g. an IMM's mode
/// probabilities).
#[derive(Clone, Debug, PartialEq)]
pub struct Track<const N: usize, S> {
    /// Id, unique for the tracker's life.
    pub id: u64,
    /// The latest estimate.
    pub state: StateAt<N>,
    /// What its filter carries besides the estimate (nothing for a Kalman filter; an IMM's
    /// modes and their probabilities).
    pub filter: S,
    /// Whether it has been confirmed.
    pub confirmed: bool,
    /// Scans since birth, the birth scan included.
    pub scans: u32,
    /// Scans in which it was updated, the birth detection included.
    pub hits: u32,
    /// Consecutive scans without an update.
    pub misses: u32,
    /// Whether the latest scan updated it.
    pub updated: bool,
    /// Time (s) and position (m) of the detection that started it.
    pub birth: (f64, [f64; 3]),
}

/// A track predicted ahead of a step by [`Tracker::predict_track`].
#[derive(Clone, Debug)]
struct Prediction<const N: usize, S> {
    id: u64,
    t: f64,
    estimate: StateAt<N>,
    filter: S,
}

/// What one step changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepReport {
    /// Tracks confirmed in this step.
    pub confirmed: Vec<u64>,
    /// Confirmed tracks deleted in this step.
    pub deleted: Vec<u64>,
}

/// The roles of a tracker besides its filter: hypothesiser, associator, initiator, deleter.
#[derive(Clone, Debug)]
pub struct Roles<H, A, I, D> {
    /// Gates detections to tracks.
    pub hypothesiser: H,
    /// Decides which detections update which tracks.
    pub associator: A,
    /// Starts and confirms tracks.
    pub initiator: I,
    /// Ends tracks.
    pub deleter: D,
}

/// A step's working buffers (see [`Tracker`]'s `scratch`).
#[derive(Debug, Default)]
struct Scratch {
    positions: Vec<OnceCell<Converted>>,
    used: Vec<bool>,
    drop: Vec<bool>,
}

/// A multi-target tracker over states of dimension `N` and measurements of dimension `M`,
/// with filter `F`, measurement model `Mm` (used to gate and to start tracks) and the roles
/// `H`, `A`, `I`, `D` (by default those a [`TrackerParams`] configures).
#[derive(Debug)]
pub struct Tracker<
    const N: usize,
    const M: usize,
    F: TrackFilter<N, M>,
    Mm,
    H = DistanceHypothesiser,
    A = ConfiguredAssociator,
    I = ConfiguredInitiator<M>,
    D = MissedScansDeleter,
> {
    filter: F,
    model: Mm,
    layout: StateLayout,
    prior: Gaussian<N>,
    hypothesiser: H,
    associator: A,
    initiator: I,
    deleter: D,
    tracks: Vec<Track<N, F::State>>,
    /// Buffers of a step, kept for their capacity: a scan of false alarms alone allocates
    /// little.
    scratch: Scratch,
    /// Predictions made by [`Tracker::predict_track`] since the last step: (track id, time,
    /// predicted estimate and filter state). The next step takes them rather than
    /// predicting again.
    predictions: Vec<Prediction<N, F::State>>,
    next_id: u64,
}

impl<const N: usize, const M: usize, F, Mm> Tracker<N, M, F, Mm>
where
    F: TrackFilter<N, M>,
    Mm: MeasurementModel<N, M>,
{
    /// A tracker with the roles `params` configures. `prior` gives the mean and covariance of
    /// the state components a detection does not fix (velocity is set by the initiation;
    /// accelerations, turn rate, …), and `layout` where position and velocity are.
    pub fn new(
        filter: F,
        model: Mm,
        params: TrackerParams,
        layout: StateLayout,
        prior: Gaussian<N>,
    ) -> Self {
        let p = params;
        let roles = Roles {
            hypothesiser: DistanceHypothesiser::new(p.gate_probability, M),
            associator: ConfiguredAssociator::new(
                p.association,
                p.pd,
                p.gate_probability,
                p.clutter_density,
            ),
            initiator: ConfiguredInitiator::new(p.initiation, MofNInitiator { m: p.m, n: p.n }),
            deleter: MissedScansDeleter {
                max_misses: p.max_misses,
                max_position_variance_m2: p.max_position_variance_m2,
            },
        };
        Self::with_roles(filter, model, layout, prior, roles)
    }
}

impl<const N: usize, const M: usize, F, Mm, H, A, I, D> Tracker<N, M, F, Mm, H, A, I, D>
where
    F: TrackFilter<N, M>,
    Mm: MeasurementModel<N, M>,
    H: Hypothesiser<N, M>,
    A: Associator<N, M>,
    I: Initiator<N, M>,
    D: Deleter,
{
    /// A tracker of the given roles; `prior` and `layout` as for [`Tracker::new`].
    pub fn with_roles(
        filter: F,
        model: Mm,
        layout: StateLayout,
        prior: Gaussian<N>,
        roles: Roles<H, A, I, D>,
    ) -> Self {
        Self {
            filter,
            model,
            layout,
            prior,
            hypothesiser: roles.hypothesiser,
            associator: roles.associator,
            initiator: roles.initiator,
            deleter: roles.deleter,
            tracks: Vec::new(),
            scratch: Scratch::default(),
            predictions: Vec::new(),
            next_id: 1,
        }
    }

    /// All live tracks, tentative and confirmed.
    pub fn tracks(&self) -> &[Track<N, F::State>] {
        &self.tracks
    }

    /// Its initiator.
    pub fn initiator(&self) -> &I {
        &self.initiator
    }

    /// Its measurement model.
    pub fn model(&self) -> &Mm {
        &self.model
    }

    /// Makes the detections of a scan at `t` (s) wait for a partner in the next step, as if
    /// the tracker had taken that scan, without predicting, updating or starting any track
    /// ([`Initiator::wait_with`]): for a scan held back because it could change nothing else.
    pub fn wait_with(&mut self, t: f64, detections: &[SVector<f64, M>]) {
        let positions: Vec<OnceCell<Converted>> = std::iter::repeat_with(OnceCell::new)
            .take(detections.len())
            .collect();
        let model = &self.model;
        let convert = |z: &SVector<f64, M>| model.inverse_position(z);
        let scan = Scan::new(t, detections, &positions, &convert);
        self.initiator.wait_with(&scan, model);
    }

    /// The confirmed tracks.
    pub fn confirmed(&self) -> impl Iterator<Item = &Track<N, F::State>> {
        self.tracks.iter().filter(|t| t.confirmed)
    }

    /// Track `track` (by position in [`Tracker::tracks`]) predicted to `t` (s) by its own
    /// filter, without changing it.
    pub fn predicted_at(&self, track: usize, t: f64) -> Option<StateAt<N>> {
        let tr = self.tracks.get(track)?;
        Some(if t > tr.state.t {
            self.filter.predict(&tr.state, &tr.filter, t).0
        } else {
            self.filter.estimate(&tr.state, &tr.filter)
        })
    }

    /// As [`Tracker::predicted_at`], keeping the prediction: a step at the same `t` then uses
    /// it instead of predicting the track a second time (a sensor that places its dwells by
    /// the tracks' predictions before the scan is processed pays for one prediction, not two).
    pub fn predict_track(&mut self, track: usize, t: f64) -> Option<StateAt<N>> {
        let tr = self.tracks.get(track)?;
        if t <= tr.state.t {
            return Some(self.filter.estimate(&tr.state, &tr.filter));
        }
        let id = tr.id;
        if let Some(p) = self.predictions.iter().find(|p| p.id == id && p.t == t) {
            return Some(p.estimate);
        }
        let (estimate, filter) = self.filter.predict(&tr.state, &tr.filter, t);
        self.predictions.push(Prediction {
            id,
            t,
            estimate,
            filter,
        });
        Some(estimate)
    }

    /// The gate threshold γ on d².
    pub fn gate(&self) -> f64 {
        self.hypothesiser.gate()
    }

    /// Processes one scan of detections at time `t` (s).
    pub fn step(&mut self, t: f64, detections: &[SVector<f64, M>]) -> StepReport {
        self.step_excluding(t, detections, &|_, _| false, &|_, _| true)
    }

    /// As [`Tracker::step`], but detection `j` may never update the track with id `id` when
    /// `excluded(id, j)`: a sensor that looked for that track's target only elsewhere (a range
    /// gate) did not make that detection for it. An initiator that pairs detections of
    /// successive scans pairs detection `i` of the previous scan with detection `j` of this
    /// one only if also `pair_ok(i, j)`: a sensor's own consistency check on what the tracker
    /// does not see, such as measured range rates.
    pub fn step_excluding(
        &mut self,
        t: f64,
        detections: &[SVector<f64, M>],
        excluded: &dyn Fn(u64, usize) -> bool,
        pair_ok: &dyn Fn(usize, usize) -> bool,
    ) -> StepReport {
        // Allocated afresh each step: reusing the list measured slower (10 % of a scan of
        // 1,000 targets), though it saves the allocation.
        let (mut predicted, mut extra) = (Vec::with_capacity(self.tracks.len()), Vec::new());
        self.predict_all(t, &mut predicted, &mut extra);
        // Each detection's position, converted when gating or initiation first needs it, and
        // once only.
        let mut positions = std::mem::take(&mut self.scratch.positions);
        positions.clear();
        positions.resize_with(detections.len(), OnceCell::new);
        let mut used = std::mem::take(&mut self.scratch.used);
        used.clear();
        used.resize(detections.len(), false);
        {
            let Self {
                filter,
                model,
                layout,
                prior,
                hypothesiser,
                associator,
                initiator,
                tracks,
                next_id,
                ..
            } = self;
            let (model, layout) = (&*model, *layout);
            let convert = |z: &SVector<f64, M>| model.inverse_position(z);
            let scan = Scan::new(t, detections, &positions, &convert);
            // 2. Gating.
            let mut hypotheses = hypothesiser.hypothesise(tracks, &predicted, &scan, model, layout);
            hypotheses.retain(|h| !excluded(tracks[h.track].id, h.detection));
            // 3. The associator updates the tracks; `used` marks the detections it used.
            let mut updates = Updates {
                tracks,
                predicted: &predicted,
                extra: &extra,
                detections,
                filter,
                initiator,
                start: TrackStart {
                    model,
                    layout,
                    prior,
                },
            };
            associator.associate(&hypotheses, &mut updates, &mut used);
            // 4. Tentative tracks from the detections no track used.
            let start = TrackStart {
                model,
                layout,
                prior,
            };
            let mut births = NewTracks {
                t,
                tracks,
                filter,
                next_id,
            };
            initiator.initiate(&scan, &used, &start, pair_ok, &mut births);
        }
        self.scratch.positions = positions;
        self.scratch.used = used;
        let mut drop = std::mem::take(&mut self.scratch.drop);
        self.find_duplicates(&mut drop);
        let report = self.manage(&drop);
        self.scratch.drop = drop;
        report
    }

    /// The step's first part: every track predicted to `t`, with its predicted measurement.
    /// The predictions go to `out`, and what the update needs of each besides to `extra`.
    fn predict_all(
        &mut self,
        t: f64,
        out: &mut Vec<MeasurementPrediction<N, M>>,
        extra: &mut Vec<F::Predicted>,
    ) {
        out.clear();
        extra.clear();
        let mut kept = std::mem::take(&mut self.predictions);
        for track in &mut self.tracks {
            (track.state, track.filter) =
                match kept.iter().position(|p| p.id == track.id && p.t == t) {
                    Some(k) => {
                        let p = kept.swap_remove(k);
                        (p.estimate, p.filter)
                    }
                    None => self.filter.predict(&track.state, &track.filter, t),
                };
            track.scans += 1;
            track.updated = false;
            let (mp, more) = self.filter.predict_measurement(&track.state, &track.filter);
            out.push(mp);
            extra.push(more);
        }
        // Predictions not taken (of tracks since gone, or for another time) lapse; the list
        // is kept for its capacity.
        kept.clear();
        self.predictions = kept;
    }

    /// 5. Duplicates found: a tentative track that sits on a confirmed one (position
    ///    Mahalanobis distance under the gate, with both covariances) is a duplicate — JPDA
    ///    lets two tracks share a detection, so one born beside a confirmed track would
    ///    otherwise be confirmed with it. The confirmed tracks are found through the spatial
    ///    index. Marks them in `drop` (one entry per track), for [`Tracker::manage`] to drop.
    fn find_duplicates(&self, drop: &mut Vec<bool>) {
        drop.clear();
        drop.resize(self.tracks.len(), false);
        let lay = self.layout;
        let gate = self.hypothesiser.gate();
        let pos = |tr: &Track<N, F::State>| lay.position.map(|i| tr.state.state.mean[i]);
        let pos_cov = |tr: &Track<N, F::State>| {
            SMatrix::<f64, 3, 3>::from_fn(|a, b| {
                tr.state.state.cov[(lay.position[a], lay.position[b])]
            })
        };
        // One pass over the tracks: the confirmed ones' positions and position covariances,
        // kept in short lists that the test below reads (rather than the tracks themselves,
        // which past a few thousand no longer fit in the cache), and the tentative ones to
        // test.
        let mut positions: Vec<[f64; 3]> = Vec::new();
        let mut covariances: Vec<SMatrix<f64, 3, 3>> = Vec::new();
        let mut tentative: Vec<usize> = Vec::new();
        for (i, tr) in self.tracks.iter().enumerate() {
            if tr.confirmed {
                positions.push(pos(tr));
                covariances.push(pos_cov(tr));
            } else if tr.scans > 1 {
                tentative.push(i);
            }
        }
        if positions.is_empty() {
            return;
        }
        // A confirmed track with a wider covariance than 90 % of them may let a duplicate
        // survive a scan longer; it is caught once the two have converged.
        let traces: Vec<f64> = covariances.iter().map(|c| c.trace()).collect();
        let spread = percentile90(&traces);
        let radius = |tr: &Track<N, F::State>| (gate * (pos_cov(tr).trace() + spread)).sqrt();
        let query: Vec<f64> = tentative.iter().map(|&i| radius(&self.tracks[i])).collect();
        let index = SpatialIndex::new(&positions, percentile90(&query).max(1.0));
        let mut near = Vec::new();
        for (&ti, &r) in tentative.iter().zip(&query) {
            let tr = &self.tracks[ti];
            // A tentative track its initiator drops in this step goes whatever the test says
            // (its radius still counts towards the cells' size, which the candidates depend
            // on). In clutter that is most of them.
            if self.initiator.confirm(tr.hits, tr.scans) == Tentative::Drop {
                continue;
            }
            let (p, c) = (SVector::<f64, 3>::from(pos(tr)), pos_cov(tr));
            index.near(&pos(tr), r, &mut near);
            drop[ti] = near.iter().any(|&k| {
                let d = p - SVector::<f64, 3>::from(positions[k]);
                mahalanobis2_only(&d, &(c + covariances[k])).is_some_and(|d2| d2 < gate)
            });
        }
    }

    /// 6. Confirmation by the initiator and deletion by the deleter; the duplicates marked
    ///    in `drop` go too (in the same pass over the tracks, which moves each track once).
    fn manage(&mut self, drop: &[bool]) -> StepReport {
        let lay = self.layout;
        let (initiator, deleter) = (&self.initiator, &self.deleter);
        let mut report = StepReport::default();
        let mut k = 0;
        self.tracks.retain_mut(|tr| {
            k += 1;
            if drop[k - 1] {
                return false;
            }
            if !tr.updated {
                tr.misses += 1;
            }
            let var: f64 = lay
                .position
                .iter()
                .map(|&i| tr.state.state.cov[(i, i)])
                .sum();
            let status = TrackStatus {
                confirmed: tr.confirmed,
                scans: tr.scans,
                hits: tr.hits,
                misses: tr.misses,
                position_variance_m2: var,
            };
            let keep = if tr.confirmed {
                !deleter.deletes(&status)
            } else {
                match initiator.confirm(tr.hits, tr.scans) {
                    Tentative::Confirm => {
                        tr.confirmed = true;
                        report.confirmed.push(tr.id);
                        !deleter.deletes(&TrackStatus {
                            confirmed: true,
                            misses: 0,
                            ..status
                        })
                    }
                    Tentative::Wait => var.is_finite(),
                    Tentative::Drop => false,
                }
            };
            if !keep && tr.confirmed {
                report.deleted.push(tr.id);
            }
            keep
        });
        report
    }
}

/// Where the initiator's births become tracks, with their ids, in the order they come.
struct NewTracks<'a, const N: usize, const M: usize, F: TrackFilter<N, M>> {
    t: f64,
    tracks: &'a mut Vec<Track<N, F::State>>,
    filter: &'a F,
    next_id: &'a mut u64,
}

impl<const N: usize, const M: usize, F: TrackFilter<N, M>> Births<N> for NewTracks<'_, N, M, F> {
    fn start(&mut self, birth: Birth<N>) {
        let state = StateAt {
            t: self.t,
            state: birth.state,
        };
        self.tracks.push(Track {
            id: *self.next_id,
            state,
            filter: self.filter.start(&state),
            confirmed: false,
            scans: birth.hits,
            hits: birth.hits,
            misses: 0,
            updated: true,
            birth: birth.origin,
        });
        *self.next_id += 1;
    }
}

/// One scan's tracks as the associator changes them (see [`TrackUpdates`]).
struct Updates<'a, const N: usize, const M: usize, F: TrackFilter<N, M>, Mm, I> {
    tracks: &'a mut [Track<N, F::State>],
    predicted: &'a [MeasurementPrediction<N, M>],
    extra: &'a [F::Predicted],
    detections: &'a [SVector<f64, M>],
    filter: &'a F,
    initiator: &'a I,
    start: TrackStart<'a, N, Mm>,
}

impl<const N: usize, const M: usize, F, Mm, I> TrackUpdates<N, M> for Updates<'_, N, M, F, Mm, I>
where
    F: TrackFilter<N, M>,
    Mm: MeasurementModel<N, M>,
    I: Initiator<N, M>,
{
    fn count(&self) -> usize {
        self.tracks.len()
    }

    fn detections(&self) -> &[SVector<f64, M>] {
        self.detections
    }

    fn prediction(&self, track: usize) -> &MeasurementPrediction<N, M> {
        &self.predicted[track]
    }

    fn predicted(&self, track: usize) -> &Gaussian<N> {
        &self.tracks[track].state.state
    }

    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        self.start.model.residual(a, b)
    }

    fn update(&mut self, track: usize, detection: usize) {
        let (mp, z) = (&self.predicted[track], &self.detections[detection]);
        let tr = &mut self.tracks[track];
        (tr.state, tr.filter) = match self.initiator.restart(tr, z, &self.start) {
            Some(start) => {
                let filter = self.filter.with_estimate(&tr.filter, &start);
                (self.filter.estimate(&start, &filter), filter)
            }
            None => self
                .filter
                .update(&tr.state, &tr.filter, mp, &self.extra[track], z),
        };
        tr.hits += 1;
        tr.misses = 0;
        tr.updated = true;
    }

    fn set_estimate(&mut self, track: usize, estimate: Gaussian<N>) {
        let tr = &mut self.tracks[track];
        tr.state.state = estimate;
        tr.filter = self.filter.with_estimate(&tr.filter, &tr.state);
        tr.hits += 1;
        tr.misses = 0;
        tr.updated = true;
    }
}
