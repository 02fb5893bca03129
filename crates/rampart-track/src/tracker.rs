//! The multi-target tracker: predict, gate, associate, update, initiate, confirm, delete.
//!
//! [`Tracker::step`] takes one scan of detections and reads like the method it is:
//!
//! 1. every track is predicted to the scan time and its measurement predicted;
//! 2. the hypothesiser gates detections to tracks (χ² gate behind a spatial pre-gate);
//! 3. the associator decides: global nearest neighbour (an optimal assignment per cluster of
//!    tracks that share detections) or JPDA (association probabilities per cluster);
//! 4. tracks are updated with their detection(s), or coast;
//! 5. detections no track took start tentative tracks;
//! 6. tentative tracks are confirmed after M hits in their first N scans or dropped; confirmed
//!    tracks are deleted after too many consecutive misses or when their position covariance
//!    grows past a bound.
//!
//! Track ids are assigned at birth, kept for life and never reused.

use crate::associator;
use crate::deleter::MissedScansDeleter;
use crate::filter::TrackFilter;
use crate::hypothesiser::{SpatialIndex, mahalanobis2};
use crate::initiator::{MofNInitiator, Tentative};
use crate::models::measurement::MeasurementModel;
use crate::types::{Gaussian, MeasurementPrediction, StateAt};
use nalgebra::{SMatrix, SVector};

/// How detections are assigned to tracks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Association {
    /// Global nearest neighbour: the most likely one-to-one assignment.
    Gnn,
    /// Joint probabilistic data association: every gated detection, weighted.
    Jpda,
}

/// How a new track's velocity is first estimated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Initiation {
    /// From one detection: zero velocity with standard deviation `velocity_sigma` (m/s) per axis.
    OnePoint {
        /// Velocity standard deviation per axis, m/s.
        velocity_sigma: f64,
    },
    /// As one-point, then the second detection sets the velocity by difference of positions.
    TwoPoint {
        /// Velocity standard deviation per axis before the second detection, m/s.
        velocity_sigma: f64,
    },
    /// A detection no track used waits one scan as a candidate; a track starts only when a
    /// detection of the next scan lies within reach of it (`max_speed` times the time between
    /// them, plus three standard deviations of both positions), with the velocity by
    /// difference of the two positions. Two scans' worth of evidence before any filter runs:
    /// false alarms scattered over a large volume rarely pair, so they cost a list entry
    /// instead of a filter (the velocity gate of classical two-point initiation: Blackman and
    /// Popoli, *Design and Analysis of Modern Tracking Systems*, Artech House, 1999, §6.2).
    /// The new track counts both detections as hits.
    VelocityGated {
        /// The fastest target to be tracked, m/s.
        max_speed: f64,
    },
}

/// A detection as a position and the trace of its covariance, if it converts. (Gating and
/// pairing need only the trace; the full covariance is converted for the few detections that
/// start a track.)
type Converted = Option<(SVector<f64, 3>, f64)>;

/// An unused detection waiting one scan for a partner (velocity-gated initiation).
#[derive(Clone, Copy, Debug)]
struct Candidate<const M: usize> {
    /// Time of its scan, s.
    t: f64,
    /// Converted position, m.
    p: SVector<f64, 3>,
    /// Trace of the converted position covariance, m².
    trace: f64,
    /// The measurement, converted in full only if it pairs.
    z: SVector<f64, M>,
    /// Its index in its scan's detections, for the caller's pairing check.
    index: usize,
}

/// A step's working buffers (see [`Tracker`]'s `scratch`).
#[derive(Debug, Default)]
struct Scratch<const M: usize> {
    converted: Vec<Converted>,
    used: Vec<bool>,
    fresh: Vec<Candidate<M>>,
    taken: Vec<bool>,
    near: Vec<usize>,
}

/// Velocity-gated initiation looks up the previous scan's candidates in a grid when there are
/// more than this many (fewer: a list sorted by x, which allocates nothing).
const GRID_MIN_CANDIDATES: usize = 1024;

/// Tracker settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackerConfig {
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

/// Where position and velocity sit in the state vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateLayout {
    /// Indices of x, y, z.
    pub position: [usize; 3],
    /// Indices of vx, vy, vz.
    pub velocity: [usize; 3],
}

/// One track: its estimate and what its filter carries (`S`, e.g. an IMM's mode
/// probabilities).
#[derive(Clone, Debug, PartialEq)]
pub struct Track<const N: usize, S> {
    /// Id, unique for the tracker's life.
    pub id: u64,
    /// The latest estimate.
    pub state: StateAt<N>,
    /// The filter's own state.
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

/// The 90th percentile of the finite values (1 if there are none).
fn percentile90(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 1.0;
    }
    let k = (v.len() * 9 / 10).min(v.len() - 1);
    *v.select_nth_unstable_by(k, f64::total_cmp).1
}

/// What one step changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepReport {
    /// Tracks confirmed in this step.
    pub confirmed: Vec<u64>,
    /// Confirmed tracks deleted in this step.
    pub deleted: Vec<u64>,
}

/// A multi-target tracker over states of dimension `N` and measurements of dimension `M`,
/// with filter `F` and measurement model `Mm` (used to gate and to start tracks).
#[derive(Debug)]
pub struct Tracker<const N: usize, const M: usize, F: TrackFilter<N, M>, Mm> {
    filter: F,
    model: Mm,
    config: TrackerConfig,
    layout: StateLayout,
    prior: Gaussian<N>,
    gate: f64,
    tracks: Vec<Track<N, F::State>>,
    /// Unused detections of the previous scan (velocity-gated initiation).
    candidates: Vec<Candidate<M>>,
    /// The previous scan's candidate list, emptied, kept for its capacity.
    spare: Vec<Candidate<M>>,
    /// Buffers of a step, kept for their capacity: a scan of false alarms alone allocates
    /// nothing.
    scratch: Scratch<M>,
    /// Predictions made by [`Tracker::predict_track`] since the last step: (track id, time,
    /// predicted filter state). The next step takes them rather than predicting again.
    predictions: Vec<(u64, f64, F::State)>,
    next_id: u64,
}

impl<const N: usize, const M: usize, F, Mm> Tracker<N, M, F, Mm>
where
    F: TrackFilter<N, M>,
    Mm: MeasurementModel<N, M>,
{
    /// A tracker. `prior` gives the mean and covariance of the state components a detection
    /// does not fix (velocity is set by the initiation; accelerations, turn rate, …), and
    /// `layout` where position and velocity are.
    pub fn new(
        filter: F,
        model: Mm,
        config: TrackerConfig,
        layout: StateLayout,
        prior: Gaussian<N>,
    ) -> Self {
        let p = config.gate_probability.clamp(1e-9, 1.0 - 1e-12);
        // The quantile exists for every p in (0, 1) and M ≥ 1; the fallback is never taken.
        let gate = crate::metrics::chi_square_quantile(p, M as f64).unwrap_or(f64::INFINITY);
        Self {
            filter,
            model,
            config,
            layout,
            prior,
            gate,
            tracks: Vec::new(),
            candidates: Vec::new(),
            spare: Vec::new(),
            predictions: Vec::new(),
            scratch: Scratch::default(),
            next_id: 1,
        }
    }

    /// All live tracks, tentative and confirmed.
    pub fn tracks(&self) -> &[Track<N, F::State>] {
        &self.tracks
    }

    /// The confirmed tracks.
    pub fn confirmed(&self) -> impl Iterator<Item = &Track<N, F::State>> {
        self.tracks.iter().filter(|t| t.confirmed)
    }

    /// Track `track` (by position in [`Tracker::tracks`]) predicted to `t` (s) by its own
    /// filter, without changing it.
    pub fn predicted_at(&self, track: usize, t: f64) -> Option<StateAt<N>> {
        let tr = self.tracks.get(track)?;
        let f = if t > tr.state.t {
            self.filter.predict(&tr.filter, t)
        } else {
            tr.filter.clone()
        };
        Some(self.filter.estimate(&f))
    }

    /// As [`Tracker::predicted_at`], keeping the prediction: a step at the same `t` then uses
    /// it instead of predicting the track a second time (a sensor that places its dwells by
    /// the tracks' predictions before the scan is processed pays for one prediction, not two).
    pub fn predict_track(&mut self, track: usize, t: f64) -> Option<StateAt<N>> {
        let tr = self.tracks.get(track)?;
        if t <= tr.state.t {
            return Some(self.filter.estimate(&tr.filter));
        }
        let id = tr.id;
        if let Some((_, _, f)) = self.predictions.iter().find(|p| p.0 == id && p.1 == t) {
            return Some(self.filter.estimate(f));
        }
        let f = self.filter.predict(&tr.filter, t);
        let estimate = self.filter.estimate(&f);
        self.predictions.push((id, t, f));
        Some(estimate)
    }

    /// The gate threshold γ on d².
    pub fn gate(&self) -> f64 {
        self.gate
    }

    /// Processes one scan of detections at time `t` (s).
    pub fn step(&mut self, t: f64, detections: &[SVector<f64, M>]) -> StepReport {
        self.step_excluding(t, detections, &|_, _| false, &|_, _| true)
    }

    /// As [`Tracker::step`], but detection `j` may never update the track with id `id` when
    /// `excluded(id, j)`: a sensor that looked for that track's target only elsewhere (a range
    /// gate) did not make that detection for it. With velocity-gated initiation, a candidate
    /// (detection `i` of the previous scan) pairs with detection `j` of this one only if also
    /// `pair_ok(i, j)`: a sensor's own consistency check on what the tracker does not see, such
    /// as measured range rates.
    pub fn step_excluding(
        &mut self,
        t: f64,
        detections: &[SVector<f64, M>],
        excluded: &dyn Fn(u64, usize) -> bool,
        pair_ok: &dyn Fn(usize, usize) -> bool,
    ) -> StepReport {
        let predicted = self.predict_all(t);
        // Each detection's position, converted once for gating and initiation.
        let mut converted = std::mem::take(&mut self.scratch.converted);
        converted.clear();
        converted.extend(detections.iter().map(|z| self.model.inverse_position(z)));
        let mut pairs = self.gate_pairs(&predicted, detections, &converted);
        pairs.retain(|&(ti, j, _, _)| !excluded(self.tracks[ti].id, j));
        let mut used = std::mem::take(&mut self.scratch.used);
        used.clear();
        used.resize(detections.len(), false);
        match self.config.association {
            Association::Gnn => self.update_gnn(&predicted, &pairs, detections, &mut used),
            Association::Jpda => self.update_jpda(&predicted, &pairs, detections, &mut used),
        }
        self.initiate(t, detections, &converted, &used, pair_ok);
        self.scratch.converted = converted;
        self.scratch.used = used;
        self.drop_duplicates();
        self.manage()
    }

    /// A tentative track that sits on a confirmed one (position Mahalanobis distance under the
    /// gate, with both covariances) is a duplicate — JPDA lets two tracks share a detection,
    /// so one born beside a confirmed track would otherwise be confirmed with it. It is
    /// dropped. The confirmed tracks are found through the spatial index.
    fn drop_duplicates(&mut self) {
        let lay = self.layout;
        let pos = |tr: &Track<N, F::State>| lay.position.map(|i| tr.state.state.mean[i]);
        let pos_cov = |tr: &Track<N, F::State>| {
            SMatrix::<f64, 3, 3>::from_fn(|a, b| {
                tr.state.state.cov[(lay.position[a], lay.position[b])]
            })
        };
        let confirmed: Vec<usize> = (0..self.tracks.len())
            .filter(|&i| self.tracks[i].confirmed)
            .collect();
        if confirmed.is_empty() {
            return;
        }
        let positions: Vec<[f64; 3]> = confirmed.iter().map(|&i| pos(&self.tracks[i])).collect();
        // A confirmed track with a wider covariance than 90 % of them may let a duplicate
        // survive a scan longer; it is caught once the two have converged.
        let traces: Vec<f64> = confirmed
            .iter()
            .map(|&i| pos_cov(&self.tracks[i]).trace())
            .collect();
        let spread = percentile90(&traces);
        let radius = |tr: &Track<N, F::State>| (self.gate * (pos_cov(tr).trace() + spread)).sqrt();
        let query: Vec<f64> = self
            .tracks
            .iter()
            .filter(|t| !t.confirmed && t.scans > 1)
            .map(radius)
            .collect();
        let index = SpatialIndex::new(&positions, percentile90(&query).max(1.0));
        let mut near = Vec::new();
        let mut drop = vec![false; self.tracks.len()];
        for (ti, tr) in self
            .tracks
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.confirmed && t.scans > 1)
        {
            index.near(&pos(tr), radius(tr), &mut near);
            drop[ti] = near.iter().any(|&k| {
                let other = &self.tracks[confirmed[k]];
                let d = SVector::<f64, 3>::from(pos(tr)) - SVector::<f64, 3>::from(pos(other));
                mahalanobis2(&d, &(pos_cov(tr) + pos_cov(other)))
                    .is_some_and(|(d2, _)| d2 < self.gate)
            });
        }
        let mut k = 0;
        self.tracks.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
    }

    /// 1. Every track predicted to `t`, with its predicted measurement.
    fn predict_all(&mut self, t: f64) -> Vec<MeasurementPrediction<N, M>> {
        let mut out = Vec::with_capacity(self.tracks.len());
        let mut kept = std::mem::take(&mut self.predictions);
        for track in &mut self.tracks {
            track.filter = match kept.iter().position(|p| p.0 == track.id && p.1 == t) {
                Some(k) => kept.swap_remove(k).2,
                None => self.filter.predict(&track.filter, t),
            };
            track.state = self.filter.estimate(&track.filter);
            track.scans += 1;
            track.updated = false;
            out.push(self.filter.predict_measurement(&track.filter));
        }
        out
    }

    /// 2. Gated (track, detection, d², ln det S) candidates, via the spatial pre-gate.
    fn gate_pairs(
        &self,
        predicted: &[MeasurementPrediction<N, M>],
        detections: &[SVector<f64, M>],
        converted: &[Converted],
    ) -> Vec<(usize, usize, f64, f64)> {
        if self.tracks.is_empty() {
            return Vec::new();
        }
        let positions: Vec<[f64; 3]> = converted
            .iter()
            .map(|c| c.map_or([f64::NAN; 3], |(p, _)| [p.x, p.y, p.z]))
            .collect();
        let noise = converted
            .iter()
            .flatten()
            .map(|&(_, trace)| trace)
            .fold(0.0, f64::max);
        let radius = |tr: &Track<N, F::State>| {
            let p = &tr.state.state.cov;
            let var: f64 = self.layout.position.iter().map(|&i| p[(i, i)]).sum();
            (self.gate * (var + noise)).sqrt()
        };
        // Grid cells the size of the 90th-percentile gate: most tracks then look in nine
        // cells, and the few with much wider gates (long coasts) in more, rather than every
        // track paying for the widest.
        let radii: Vec<f64> = self.tracks.iter().map(radius).collect();
        let index = SpatialIndex::new(&positions, percentile90(&radii).max(1.0));
        let all_convertible = converted.iter().all(Option::is_some);
        let mut candidates = Vec::new();
        let mut pairs = Vec::new();
        for (ti, track) in self.tracks.iter().enumerate() {
            let mp = &predicted[ti];
            if all_convertible {
                let c = self.layout.position.map(|i| track.state.state.mean[i]);
                index.near(&c, radius(track), &mut candidates);
            } else {
                candidates.clear();
                candidates.extend(0..detections.len());
            }
            for &j in &candidates {
                let nu = self.model.residual(&detections[j], &mp.z);
                if let Some((d2, ln_det)) = mahalanobis2(&nu, &mp.s)
                    && d2 < self.gate
                {
                    pairs.push((ti, j, d2, ln_det));
                }
            }
        }
        pairs
    }

    /// −2 ln of the likelihood ratio of "track t made detection j" against clutter:
    /// d² + ln det(2πS) − 2 ln(Pd/λ).
    fn pair_cost(&self, d2: f64, ln_det: f64) -> f64 {
        let lambda = self.config.clutter_density.max(1e-300);
        d2 + ln_det + M as f64 * (2.0 * std::f64::consts::PI).ln()
            - 2.0 * (self.config.pd / lambda).ln()
    }

    /// 3–4 (GNN). Marks in `used` (all false on entry) the detections it used.
    fn update_gnn(
        &mut self,
        predicted: &[MeasurementPrediction<N, M>],
        pairs: &[(usize, usize, f64, f64)],
        detections: &[SVector<f64, M>],
        used: &mut [bool],
    ) {
        let miss = -2.0
            * (1.0 - self.config.pd * self.config.gate_probability)
                .max(1e-300)
                .ln();
        let costs: Vec<(usize, usize, f64)> = pairs
            .iter()
            .map(|&(t, j, d2, ld)| (t, j, self.pair_cost(d2, ld)))
            .collect();
        let miss_costs = vec![miss; self.tracks.len()];
        let assignment =
            associator::gnn::gnn(self.tracks.len(), detections.len(), &costs, &miss_costs);
        for (ti, a) in assignment.iter().enumerate() {
            if let Some(j) = *a {
                used[j] = true;
                self.update_track(ti, &predicted[ti], &detections[j]);
            }
        }
    }

    /// 3–4 (JPDA): each track updated with the probability-weighted combination of its gated
    /// detections (BLK §6.4, the PDAF update with JPDA weights).
    fn update_jpda(
        &mut self,
        predicted: &[MeasurementPrediction<N, M>],
        pairs: &[(usize, usize, f64, f64)],
        detections: &[SVector<f64, M>],
        used: &mut [bool],
    ) {
        let two_pi = 2.0 * std::f64::consts::PI;
        let likelihoods: Vec<(usize, usize, f64)> = pairs
            .iter()
            .map(|&(t, j, d2, ld)| (t, j, (-0.5 * (d2 + ld + M as f64 * two_pi.ln())).exp()))
            .collect();
        let beta = associator::jpda::association_probabilities(
            self.tracks.len(),
            detections.len(),
            &likelihoods,
            self.config.pd,
            self.config.gate_probability,
            self.config.clutter_density,
        );
        // Pairs come out of the gate in track order: each track's are one contiguous run.
        let mut start = 0;
        for (ti, mp) in predicted.iter().enumerate() {
            let end = start
                + likelihoods[start..]
                    .iter()
                    .take_while(|p| p.0 == ti)
                    .count();
            let gated: Vec<(usize, f64)> = likelihoods[start..end]
                .iter()
                .map(|p| (p.1, beta.probability(ti, p.1)))
                .collect();
            start = end;
            if gated.is_empty() {
                continue;
            }
            for (j, _) in &gated {
                used[*j] = true;
            }
            let b0 = beta.miss_probability(ti);
            let Some(s_inv) = mp.s.try_inverse() else {
                continue;
            };
            let k = mp.cross * s_inv;
            let mut nu = SVector::<f64, M>::zeros();
            let mut spread = SMatrix::<f64, M, M>::zeros();
            for (j, b) in &gated {
                let v = self.model.residual(&detections[*j], &mp.z);
                nu += v * *b;
                spread += v * v.transpose() * *b;
            }
            let track = &mut self.tracks[ti];
            let prior = track.state.state;
            let pc = prior.cov - k * mp.s * k.transpose();
            let cov = prior.cov * b0
                + pc * (1.0 - b0)
                + k * (spread - nu * nu.transpose()) * k.transpose();
            track.state.state = Gaussian::new(prior.mean + k * nu, cov).symmetrised();
            track.filter = self.filter.with_estimate(&track.filter, track.state);
            track.hits += 1;
            track.misses = 0;
            track.updated = true;
        }
    }

    fn update_track(&mut self, ti: usize, mp: &MeasurementPrediction<N, M>, z: &SVector<f64, M>) {
        let two_point = matches!(self.config.initiation, Initiation::TwoPoint { .. });
        let track = &self.tracks[ti];
        let new_filter = match (two_point && track.hits == 1, self.model.inverse(z)) {
            // Second detection of a two-point track: velocity by difference of positions.
            (true, Some((p, r))) => {
                let mut s = track.state.state;
                let (t0, p0) = track.birth;
                let dt = track.state.t - t0;
                let lay = self.layout;
                if dt > 0.0 {
                    for k in 0..3 {
                        let (pi, vi) = (lay.position[k], lay.velocity[k]);
                        s.mean[vi] = (p[k] - p0[k]) / dt;
                        s.mean[pi] = p[k];
                    }
                    for a in 0..3 {
                        for b in 0..3 {
                            let (pa, pb) = (lay.position[a], lay.position[b]);
                            let (va, vb) = (lay.velocity[a], lay.velocity[b]);
                            s.cov[(pa, pb)] = r[(a, b)];
                            // Two position errors of covariance R over dt (the first
                            // detection's R is taken equal to the second's).
                            s.cov[(va, vb)] = 2.0 * r[(a, b)] / (dt * dt);
                            s.cov[(pa, vb)] = r[(a, b)] / dt;
                            s.cov[(va, pb)] = r[(a, b)] / dt;
                        }
                    }
                    let start = StateAt {
                        t: track.state.t,
                        state: s.symmetrised(),
                    };
                    self.filter.with_estimate(&track.filter, start)
                } else {
                    self.filter.update(&track.filter, mp, z)
                }
            }
            _ => self.filter.update(&track.filter, mp, z),
        };
        let track = &mut self.tracks[ti];
        track.state = self.filter.estimate(&new_filter);
        track.filter = new_filter;
        track.hits += 1;
        track.misses = 0;
        track.updated = true;
    }

    /// 5. A tentative track for every detection no track used (velocity-gated: for each that
    ///    pairs with a candidate of the previous scan).
    fn initiate(
        &mut self,
        t: f64,
        detections: &[SVector<f64, M>],
        converted: &[Converted],
        used: &[bool],
        pair_ok: &dyn Fn(usize, usize) -> bool,
    ) {
        let v_sigma = match self.config.initiation {
            Initiation::OnePoint { velocity_sigma } | Initiation::TwoPoint { velocity_sigma } => {
                velocity_sigma
            }
            Initiation::VelocityGated { max_speed } => {
                self.initiate_gated(t, detections, converted, used, max_speed, pair_ok);
                return;
            }
        };
        for (j, z) in detections.iter().enumerate() {
            if used[j] {
                continue;
            }
            let Some((p, r)) = self.model.inverse(z) else {
                continue;
            };
            let zero = SVector::<f64, 3>::zeros();
            let vv = SMatrix::<f64, 3, 3>::identity() * (v_sigma * v_sigma);
            let state = self.kinematic_state(&p, &zero, &r, &vv, &SMatrix::zeros());
            self.start_track(t, state, 1, (t, [p.x, p.y, p.z]));
        }
    }

    /// Velocity-gated initiation: pairs this scan's unused detections with the previous
    /// scan's candidates; the unpaired become the next scan's candidates.
    fn initiate_gated(
        &mut self,
        t: f64,
        detections: &[SVector<f64, M>],
        converted: &[Converted],
        used: &[bool],
        max_speed: f64,
        pair_ok: &dyn Fn(usize, usize) -> bool,
    ) {
        let mut fresh = std::mem::take(&mut self.scratch.fresh);
        fresh.clear();
        fresh.extend(
            converted
                .iter()
                .zip(used)
                .enumerate()
                .filter(|(_, (_, u))| !**u)
                .filter_map(|(index, (c, _))| {
                    c.map(|(p, trace)| Candidate {
                        t,
                        p,
                        trace,
                        z: detections[index],
                        index,
                    })
                }),
        );
        let spare = std::mem::take(&mut self.spare);
        let mut old = std::mem::replace(&mut self.candidates, spare);
        let noise = old
            .iter()
            .chain(&fresh)
            .map(|c| c.trace)
            .fold(0.0, f64::max);
        let dt_max = old.iter().map(|c| t - c.t).fold(0.0, f64::max);
        let reach = max_speed * dt_max + 3.0 * (2.0 * noise).sqrt();
        // The candidates in order of x: a fresh detection looks only at those within `reach`
        // of it in x (a handful of the scan's false alarms, not all of them). Past
        // `GRID_MIN_CANDIDATES` candidates, at those in the grid cells of side `reach` around
        // it instead, so that candidates sharing an x (a line of them along y) do not make the
        // scan quadratic. Either way the choice is the same: the nearest, then the first
        // detected, among the same candidates.
        old.sort_unstable_by(|a, b| a.p.x.total_cmp(&b.p.x));
        let grid =
            (old.len() > GRID_MIN_CANDIDATES && reach.is_finite() && reach > 0.0).then(|| {
                let positions: Vec<[f64; 3]> = old.iter().map(|c| [c.p.x, c.p.y, c.p.z]).collect();
                SpatialIndex::new(&positions, reach)
            });
        let mut near = std::mem::take(&mut self.scratch.near);
        let mut taken = std::mem::take(&mut self.scratch.taken);
        taken.clear();
        taken.resize(old.len(), false);
        for &new in &fresh {
            let p = new.p;
            match &grid {
                Some(index) => index.near(&[p.x, p.y, p.z], reach, &mut near),
                None => {
                    let first = old.partition_point(|c| c.p.x < p.x - reach);
                    let end = old.partition_point(|c| c.p.x <= p.x + reach).max(first);
                    near.clear();
                    near.extend(first..end);
                }
            }
            // The nearest untaken candidate within its own reach; of equally near ones, the
            // first detected.
            let best = near
                .iter()
                .copied()
                .filter(|&k| !taken[k])
                .filter(|&k| {
                    let c = &old[k];
                    let dt = t - c.t;
                    // `reach` bounds every pair's own limit (dt ≤ dt_max, trace ≤ 2·noise):
                    // a squared-distance test against it first rejects the far pairs (most
                    // pairs of false alarms) without a square root.
                    let d2 = (p - c.p).norm_squared();
                    dt > 0.0
                        && d2 <= reach * reach
                        && d2.sqrt() <= max_speed * dt + 3.0 * (new.trace + c.trace).sqrt()
                        && pair_ok(c.index, new.index)
                })
                .min_by(|&a, &b| {
                    let (da, db) = ((p - old[a].p).norm(), (p - old[b].p).norm());
                    da.total_cmp(&db).then(old[a].index.cmp(&old[b].index))
                });
            let Some(k) = best else {
                self.candidates.push(new);
                continue;
            };
            taken[k] = true;
            let (Some((_, r)), Some((_, r0))) =
                (self.model.inverse(&new.z), self.model.inverse(&old[k].z))
            else {
                continue;
            };
            let (t0, p0) = (old[k].t, old[k].p);
            let dt = t - t0;
            let v = (p - p0) / dt;
            let pv = (r + r0) / (dt * dt);
            let rv = r / dt;
            // cov(p, v) = cov(p, (p − p0)/dt) = R/dt.
            let state = self.kinematic_state(&p, &v, &r, &pv, &rv);
            self.start_track(t, state, 2, (t0, [p0.x, p0.y, p0.z]));
        }
        old.clear();
        self.spare = old;
        self.scratch.fresh = fresh;
        self.scratch.taken = taken;
        self.scratch.near = near;
    }

    /// The prior with its position and velocity replaced: mean `p`, `v`; covariances `pp`
    /// (position), `vv` (velocity) and `pv` (position–velocity), every other cross term of
    /// position and velocity zero.
    fn kinematic_state(
        &self,
        p: &SVector<f64, 3>,
        v: &SVector<f64, 3>,
        pp: &SMatrix<f64, 3, 3>,
        vv: &SMatrix<f64, 3, 3>,
        pv: &SMatrix<f64, 3, 3>,
    ) -> Gaussian<N> {
        let mut s = self.prior;
        let lay = self.layout;
        for a in 0..3 {
            s.mean[lay.position[a]] = p[a];
            s.mean[lay.velocity[a]] = v[a];
            for b in 0..N {
                for &i in &[lay.position[a], lay.velocity[a]] {
                    s.cov[(i, b)] = 0.0;
                    s.cov[(b, i)] = 0.0;
                }
            }
        }
        for a in 0..3 {
            for b in 0..3 {
                let (pa, pb) = (lay.position[a], lay.position[b]);
                let (va, vb) = (lay.velocity[a], lay.velocity[b]);
                s.cov[(pa, pb)] = pp[(a, b)];
                s.cov[(va, vb)] = vv[(a, b)];
                s.cov[(pa, vb)] = pv[(a, b)];
                s.cov[(vb, pa)] = pv[(a, b)];
            }
        }
        s
    }

    /// A new tentative track at `t` with `hits` detections, born at `birth`.
    fn start_track(&mut self, t: f64, s: Gaussian<N>, hits: u32, birth: (f64, [f64; 3])) {
        let state = StateAt { t, state: s };
        self.tracks.push(Track {
            id: self.next_id,
            state,
            filter: self.filter.start(state),
            confirmed: false,
            scans: hits,
            hits,
            misses: 0,
            updated: true,
            birth,
        });
        self.next_id += 1;
    }

    /// 6. M-of-N confirmation and deletion.
    fn manage(&mut self) -> StepReport {
        let c = self.config;
        let lay = self.layout;
        let initiator = MofNInitiator { m: c.m, n: c.n };
        let deleter = MissedScansDeleter {
            max_misses: c.max_misses,
            max_position_variance_m2: c.max_position_variance_m2,
        };
        let mut report = StepReport::default();
        self.tracks.retain_mut(|tr| {
            if !tr.updated {
                tr.misses += 1;
            }
            let var: f64 = lay
                .position
                .iter()
                .map(|&i| tr.state.state.cov[(i, i)])
                .sum();
            let keep = if tr.confirmed {
                !deleter.delete(tr.misses, var)
            } else {
                match initiator.decide(tr.hits, tr.scans) {
                    Tentative::Confirm => {
                        tr.confirmed = true;
                        report.confirmed.push(tr.id);
                        !deleter.delete(0, var)
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
