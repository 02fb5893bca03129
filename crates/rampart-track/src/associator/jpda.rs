//! Joint probabilistic data association (JPDA): the marginal probability β_tj that detection j
//! came from track t, and β_t0 that track t was not detected, given every track's gated
//! likelihoods (Fortmann, Bar-Shalom & Scheffé, IEEE J. Oceanic Eng. 8(3), 1983; Bar-Shalom &
//! Fortmann, *Tracking and Data Association*, 1988; Bar-Shalom, Willett & Tian, *Tracking
//! and Data Fusion*, 2011 — the parametric JPDA).
//!
//! # Model
//!
//! A *joint event* gives each track at most one of its gated detections and each detection at
//! most one track; detections no track takes are clutter, Poisson with density λ. With
//! measurement likelihoods g_tj = N(ν_tj; 0, S_t), detection probability Pd_t and gate
//! probability Pg_t, the parametric JPDA weight of an event is
//!
//! ```text
//!   w(event) ∝ Π_{t assigned j} (Pd_t · g_tj / λ) · Π_{t unassigned} (1 − Pd_t · Pg_t)
//! ```
//!
//! and β_tj = Σ_{events with t→j} w / Σ_{events} w, β_t0 = Σ_{events with t unassigned} w / Σ w.
//! With one track this is the PDA (Bar-Shalom & Tse, Automatica 11(5), 1975).
//!
//! # Exact and approximate
//!
//! Tracks sharing no detection are independent, so the scan is split into
//! [clusters](super::clusters). A cluster with at most [`EXACT_MAX_TRACKS`] tracks and
//! [`EXACT_MAX_DETECTIONS`] detections is solved exactly by depth-first enumeration of its
//! joint events, O(1) work per partial event, when it has at most [`EXACT_DEPTH_FIRST_MAX`]
//! partial events (every cluster of ordinary tracking); beyond that — up to 8 tracks all
//! gating the same 10 detections, Σ_k C(8,k)·10!/(10−k)! = 12 975 561 joint events — the same
//! sums are taken by dynamic programming over the subsets of detections used, at most
//! 8 · 2¹⁰ · 11 = 90,112 steps, so a scan of many such clusters costs milliseconds each
//! rather than a tenth of a second. Larger clusters use loopy belief propagation on the
//! association graph (Williams & Lau, "Approximate evaluation of marginal association
//! probabilities with belief propagation", IEEE TAES 50(4), 2014, in its simplified
//! two-message form), which is O(edges) per iteration — at most [`BP_MAX_ITERATIONS`], and on
//! a cluster of more than 100,000 edges at most max([`BP_MIN_ITERATIONS`],
//! [`BP_WORK_BUDGET`] / edges), so no cluster costs more than about 10⁸ message updates plus
//! 20 per edge — provably convergent, and exact when the
//! gating graph is a tree (e.g. a single track: the PDA). On loops it is overconfident in the
//! favoured hypothesis: on random small sparse clusters the mean error in β is about 2·10⁻³,
//! but two tracks contending for the same two detections can be off by 0.05–0.1 (see the
//! tests).
//!
//! # Numerics
//!
//! Each track's weights are scaled by their maximum (β is invariant to a per-track factor,
//! since every event holds exactly one factor per track), and 1 − Pd·Pg is floored at
//! [`MISS_WEIGHT_FLOOR`] times that maximum, so that a cluster always has an event of positive
//! weight even when Pd·Pg = 1 and the data contradict the model.

use super::clusters::linked_clusters;
use super::{Associator, TrackUpdates};
use crate::types::{Gaussian, Hypothesis};
use nalgebra::{SMatrix, SVector};
use serde::{Deserialize, Serialize};

/// Largest number of tracks in a cluster solved by exact enumeration.
pub const EXACT_MAX_TRACKS: usize = 8;
/// Largest number of detections in a cluster solved by exact enumeration.
pub const EXACT_MAX_DETECTIONS: usize = 10;
/// Lower bound on a track's no-detection weight 1 − Pd·Pg, relative to its largest weight.
pub const MISS_WEIGHT_FLOOR: f64 = 1e-30;
/// Belief propagation stops when no message changes by more than this (messages are in (0, 1]).
pub const BP_TOLERANCE: f64 = 1e-13;
/// Belief propagation stops after this many iterations in any case.
pub const BP_MAX_ITERATIONS: usize = 1000;
/// Belief propagation on a cluster stops after `BP_WORK_BUDGET / edges` iterations (but at
/// least [`BP_MIN_ITERATIONS`]): clusters of up to 100,000 gated pairs get the full
/// [`BP_MAX_ITERATIONS`], a giant one (a hostile input) a bounded amount of work.
pub const BP_WORK_BUDGET: usize = 100_000_000;
/// The fewest iterations belief propagation is given on a cluster, however large.
pub const BP_MIN_ITERATIONS: usize = 20;
/// Exact clusters with at most this many partial joint events — the product over their tracks
/// of (1 + gated detections) — are enumerated depth first; the rest by dynamic programming
/// over subsets of detections (the same sums, exactly, in a bounded number of steps).
pub const EXACT_DEPTH_FIRST_MAX: usize = 1 << 16;

/// How clusters are evaluated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JpdaMethod {
    /// Exact enumeration for clusters within [`EXACT_MAX_TRACKS`] × [`EXACT_MAX_DETECTIONS`],
    /// belief propagation beyond.
    #[default]
    Auto,
    /// Belief propagation for every cluster (Williams & Lau 2014).
    BeliefPropagation,
}

/// One scan's JPDA inputs.
#[derive(Clone, Copy, Debug)]
pub struct JpdaInput<'a> {
    /// Number of tracks; tracks are `0..n_tracks`.
    pub n_tracks: usize,
    /// Number of detections; detections are `0..n_detections`.
    pub n_detections: usize,
    /// Gated `(track, detection, g)` triples, g = N(ν; 0, S) the measurement likelihood, in
    /// 1 / (unit of measurement space volume), e.g. m⁻³ for 3-D Cartesian positions. Triples
    /// out of range or with g not finite and > 0 are ignored (β = 0); of duplicated
    /// `(track, detection)` pairs only the first counts.
    pub likelihoods: &'a [(usize, usize, f64)],
    /// Detection probability Pd per track, in [0, 1]. Missing or NaN entries count as 0 (the
    /// track is never associated); others are clamped to [0, 1].
    pub detection_probability: &'a [f64],
    /// Gate probability Pg per track (probability that the true detection falls in the gate),
    /// in [0, 1]. Missing or NaN entries count as 1; others are clamped to [0, 1].
    pub gate_probability: &'a [f64],
    /// Clutter density λ, false detections per unit of measurement space volume (same unit as
    /// g's inverse). Non-positive or NaN values are taken as the smallest positive `f64`.
    pub clutter_density: f64,
}

/// Association probabilities of one scan: β_t0 per track and β_tj per gated pair.
#[derive(Clone, Debug, PartialEq)]
pub struct AssociationProbabilities {
    miss: Vec<f64>,
    /// `entries[start[t]..start[t + 1]]` are track t's `(detection, β)`, ascending detection.
    start: Vec<usize>,
    entries: Vec<(usize, f64)>,
    approximated_clusters: usize,
}

impl AssociationProbabilities {
    /// Number of tracks.
    pub fn n_tracks(&self) -> usize {
        self.miss.len()
    }

    /// β_tj: probability that detection `detection` came from track `track`; 0 for a pair that
    /// was not gated (or is out of range).
    pub fn probability(&self, track: usize, detection: usize) -> f64 {
        let row = self.track(track);
        row.binary_search_by_key(&detection, |e| e.0)
            .map_or(0.0, |k| row[k].1)
    }

    /// β_t0: probability that track `track` was not detected in this scan (1 out of range).
    pub fn miss_probability(&self, track: usize) -> f64 {
        self.miss.get(track).copied().unwrap_or(1.0)
    }

    /// Track `track`'s gated detections with their β, ascending by detection (empty out of
    /// range). With [`Self::miss_probability`] they sum to 1.
    pub fn track(&self, track: usize) -> &[(usize, f64)] {
        match (self.start.get(track), self.start.get(track + 1)) {
            (Some(&a), Some(&b)) => &self.entries[a..b],
            _ => &[],
        }
    }

    /// How many clusters were too large for exact enumeration and were approximated.
    pub fn approximated_clusters(&self) -> usize {
        self.approximated_clusters
    }
}

/// JPDA association probabilities with the same Pd, Pg for every track, by [`JpdaMethod::Auto`].
/// See [`JpdaInput`] for the meaning and units of the arguments.
pub fn association_probabilities(
    n_tracks: usize,
    n_detections: usize,
    likelihoods: &[(usize, usize, f64)],
    detection_probability: f64,
    gate_probability: f64,
    clutter_density: f64,
) -> AssociationProbabilities {
    let pd = vec![detection_probability; n_tracks];
    let pg = vec![gate_probability; n_tracks];
    let input = JpdaInput {
        n_tracks,
        n_detections,
        likelihoods,
        detection_probability: &pd,
        gate_probability: &pg,
        clutter_density,
    };
    jpda(&input, JpdaMethod::Auto)
}

/// JPDA association probabilities for one scan. Never panics; deterministic (independent of
/// the order of `likelihoods` up to duplicates).
pub fn jpda(input: &JpdaInput<'_>, method: JpdaMethod) -> AssociationProbabilities {
    let (nt, nd) = (input.n_tracks, input.n_detections);
    let lambda = if input.clutter_density > 0.0 {
        input.clutter_density.min(f64::MAX)
    } else {
        f64::MIN_POSITIVE
    };
    let ln_lambda = lambda.ln();

    // Valid pairs, sorted by (track, detection), first occurrence of each kept.
    let mut valid: Vec<(usize, usize, usize)> = input
        .likelihoods
        .iter()
        .enumerate()
        .filter(|&(_, &(t, j, g))| t < nt && j < nd && g.is_finite() && g > 0.0)
        .map(|(k, &(t, j, _))| (t, j, k))
        .collect();
    valid.sort_unstable();
    valid.dedup_by_key(|p| (p.0, p.1));

    // Per-track log weights: ln w_tj = ln(Pd·g/λ), ln w_t0 = ln(1 − Pd·Pg); then scaled.
    let pd = |t: usize| {
        input
            .detection_probability
            .get(t)
            .copied()
            .filter(|p| !p.is_nan())
            .unwrap_or(0.0)
            .clamp(0.0, 1.0)
    };
    let pg = |t: usize| {
        input
            .gate_probability
            .get(t)
            .copied()
            .filter(|p| !p.is_nan())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0)
    };
    let mut weight: Vec<f64> = valid
        .iter()
        .map(|&(t, _, k)| pd(t).ln() + input.likelihoods[k].2.ln() - ln_lambda)
        .collect();
    let mut miss_weight: Vec<f64> = (0..nt).map(|t| (1.0 - pd(t) * pg(t)).ln()).collect();
    let mut start = vec![0; nt + 1];
    for &(t, _, _) in &valid {
        start[t + 1] += 1;
    }
    for t in 0..nt {
        start[t + 1] += start[t];
        let w = &mut weight[start[t]..start[t + 1]];
        let top = w.iter().copied().fold(miss_weight[t], f64::max);
        if top.is_finite() {
            w.iter_mut().for_each(|x| *x = (*x - top).exp());
            miss_weight[t] = (miss_weight[t] - top).exp().max(MISS_WEIGHT_FLOOR);
        } else {
            // Pd·Pg = 1 and no usable pair: the track can only miss.
            miss_weight[t] = 1.0;
        }
    }

    let mut miss = vec![1.0; nt];
    let mut beta = vec![0.0; valid.len()];
    let mut approximated_clusters = 0;
    let links = valid.iter().map(|&(t, j, _)| (t, j));
    let mut local_det = vec![0; nd];
    for cluster in linked_clusters(nt, nd, links).iter() {
        if method == JpdaMethod::Auto
            && cluster.tracks.len() == 1
            && cluster.detections.len() <= EXACT_MAX_DETECTIONS
        {
            // One track (nearly every cluster): the PDA, the enumeration's sums in closed
            // form — the same sums in the same order, so the same numbers — without building
            // the cluster's lists. If they are not usable, the general path below decides.
            let t = cluster.tracks[0];
            let w = &weight[start[t]..start[t + 1]];
            let total = w
                .iter()
                .filter(|&&x| x != 0.0)
                .fold(miss_weight[t], |sum, &x| sum + x);
            if total > 0.0 && total.is_finite() {
                // An option of weight zero takes no event: its β is 0 / total.
                let share = |x: f64| (if x == 0.0 { 0.0 } else { x }) / total;
                let b0 = miss_weight[t] / total;
                if b0.is_finite() && w.iter().all(|&x| share(x).is_finite()) {
                    miss[t] = b0;
                    for (b, &x) in beta[start[t]..start[t + 1]].iter_mut().zip(w) {
                        *b = share(x);
                    }
                }
                continue;
            }
        }
        for (i, &j) in cluster.detections.iter().enumerate() {
            local_det[j] = i;
        }
        // Cluster pairs come in `valid` order, hence grouped by track.
        let tracks: Vec<TrackOptions> = cluster
            .tracks
            .iter()
            .map(|&t| TrackOptions {
                miss: miss_weight[t],
                options: (start[t]..start[t + 1])
                    .map(|e| (local_det[valid[e].1], weight[e]))
                    .collect(),
            })
            .collect();
        let exact = method == JpdaMethod::Auto
            && cluster.tracks.len() <= EXACT_MAX_TRACKS
            && cluster.detections.len() <= EXACT_MAX_DETECTIONS;
        let result = if exact { enumerate(&tracks) } else { None };
        let result = result.unwrap_or_else(|| {
            approximated_clusters += 1;
            belief_propagation(&tracks, cluster.detections.len())
        });
        for ((&t, track), (b0, b)) in cluster.tracks.iter().zip(&tracks).zip(result) {
            if b0.is_finite() && b.iter().all(|x| x.is_finite()) && b.len() == track.options.len() {
                miss[t] = b0;
                beta[start[t]..start[t + 1]].copy_from_slice(&b);
            }
        }
    }

    let entries = valid
        .iter()
        .zip(&beta)
        .map(|(&(_, j, _), &b)| (j, b))
        .collect();
    AssociationProbabilities {
        miss,
        start,
        entries,
        approximated_clusters,
    }
}

/// One track of a cluster: its scaled no-detection weight and its `(local detection, weight)`
/// options.
#[derive(Debug)]
struct TrackOptions {
    miss: f64,
    options: Vec<(usize, f64)>,
}

/// Per track of a cluster: (β_t0, β_tj for each option).
type ClusterBeta = Vec<(f64, Vec<f64>)>;

/// Exact β by depth-first enumeration of the joint events — or, when the cluster has more
/// than [`EXACT_DEPTH_FIRST_MAX`] partial events, by [`subset_sums`] — or `None` if the
/// cluster is too wide for the detection bit mask or the total weight is not a positive finite
/// number.
fn enumerate(tracks: &[TrackOptions]) -> Option<ClusterBeta> {
    if tracks.iter().flat_map(|t| &t.options).any(|o| o.0 >= 64) {
        return None;
    }
    let small = tracks
        .iter()
        .try_fold(1usize, |p, t| p.checked_mul(t.options.len() + 1))
        .is_some_and(|p| p <= EXACT_DEPTH_FIRST_MAX);
    if !small {
        return subset_sums(tracks);
    }
    depth_first(tracks)
}

/// Exact β by depth-first enumeration of the joint events (see [`enumerate`]).
fn depth_first(tracks: &[TrackOptions]) -> Option<ClusterBeta> {
    let mut acc: ClusterBeta = tracks
        .iter()
        .map(|t| (0.0, vec![0.0; t.options.len()]))
        .collect();
    let total = descend(tracks, 0, 0, 1.0, &mut acc);
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    for (b0, b) in &mut acc {
        *b0 /= total;
        b.iter_mut().for_each(|x| *x /= total);
    }
    Some(acc)
}

/// Exact β by dynamic programming over the set of detections already taken (the depth-first
/// enumeration with its sub-results remembered): F_t(S), the total weight of the events of
/// tracks `..t` that take exactly the detections S, forwards; B_t(S), the total weight of the
/// completions by tracks `t..` avoiding S, backwards; then β_t0 ∝ Σ_S F_t(S)·w_t0·B_{t+1}(S) and
/// β_tj ∝ Σ_{S ∌ j} F_t(S)·w_tj·B_{t+1}(S ∪ {j}). O(T·2^D·(options + 1)) for T tracks and D
/// detections — 90,112 steps for the worst exact cluster (8 tracks × 10 detections, all
/// gated) against its 12,975,561 joint events. `None` as for [`enumerate`], or beyond 2²⁰
/// subsets.
fn subset_sums(tracks: &[TrackOptions]) -> Option<ClusterBeta> {
    let d = tracks
        .iter()
        .flat_map(|t| &t.options)
        .map(|o| o.0 + 1)
        .max()
        .unwrap_or(0);
    if d > 20 {
        return None;
    }
    let size = 1usize << d;
    let nt = tracks.len();
    // forward[t·size + S] = F_t(S).
    let mut forward = vec![0.0; (nt + 1) * size];
    forward[0] = 1.0;
    for (t, track) in tracks.iter().enumerate() {
        let (done, rest) = forward.split_at_mut((t + 1) * size);
        let (cur, next) = (&done[t * size..], &mut rest[..size]);
        for (set, &f) in cur.iter().enumerate() {
            if f == 0.0 {
                continue;
            }
            next[set] += f * track.miss;
            for &(j, w) in &track.options {
                let bit = 1usize << j;
                if set & bit == 0 && w != 0.0 {
                    next[set | bit] += f * w;
                }
            }
        }
    }
    let mut acc: ClusterBeta = tracks
        .iter()
        .map(|t| (0.0, vec![0.0; t.options.len()]))
        .collect();
    // after[S] = B_{t+1}(S), here[S] = B_t(S).
    let mut after = vec![1.0; size];
    let mut here = vec![0.0; size];
    for (t, track) in tracks.iter().enumerate().rev() {
        let f = &forward[t * size..(t + 1) * size];
        for set in 0..size {
            let miss = track.miss * after[set];
            let mut b = miss;
            acc[t].0 += f[set] * miss;
            for (k, &(j, w)) in track.options.iter().enumerate() {
                let bit = 1usize << j;
                if set & bit != 0 || w == 0.0 {
                    continue;
                }
                let x = w * after[set | bit];
                b += x;
                acc[t].1[k] += f[set] * x;
            }
            here[set] = b;
        }
        std::mem::swap(&mut here, &mut after);
    }
    let total = after[0];
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    for (b0, b) in &mut acc {
        *b0 /= total;
        b.iter_mut().for_each(|x| *x /= total);
    }
    Some(acc)
}

/// Sum of the weights of all completions of a partial event over tracks `t..` avoiding the
/// detections in `used`; on the way, adds to `acc` the weight of every event through each
/// (track, option), as prefix weight × option weight × completions.
fn descend(
    tracks: &[TrackOptions],
    t: usize,
    used: u64,
    prefix: f64,
    acc: &mut ClusterBeta,
) -> f64 {
    let Some(track) = tracks.get(t) else {
        return 1.0;
    };
    let rest = descend(tracks, t + 1, used, prefix * track.miss, acc);
    acc[t].0 += prefix * track.miss * rest;
    let mut total = track.miss * rest;
    for (k, &(j, w)) in track.options.iter().enumerate() {
        let bit = 1u64 << j;
        if used & bit != 0 || w == 0.0 {
            continue;
        }
        let rest = descend(tracks, t + 1, used | bit, prefix * w, acc);
        acc[t].1[k] += prefix * w * rest;
        total += w * rest;
    }
    total
}

/// Loopy belief propagation on the association graph (Williams & Lau 2014, simplified form):
///
/// ```text
///   μ_{t→j} = w_tj / (w_t0 + Σ_{j'≠j} w_tj' ν_{j'→t})       (track to detection)
///   ν_{j→t} = 1 / (1 + Σ_{t'≠t} μ_{t'→j})                     (detection to track)
///   β_tj ∝ w_tj ν_{j→t},  β_t0 ∝ w_t0
/// ```
///
/// from ν = 1 until no ν moves by more than [`BP_TOLERANCE`], or after [`BP_MAX_ITERATIONS`]
/// iterations, or fewer on a cluster of more than 100,000 edges (see [`BP_WORK_BUDGET`]).
/// Exclusive sums use prefix and suffix sums, so each iteration is O(edges) with no
/// cancellation.
fn belief_propagation(tracks: &[TrackOptions], n_dets: usize) -> ClusterBeta {
    // Edges numbered track by track; per detection, the edges incident to it.
    let mut first = Vec::with_capacity(tracks.len() + 1);
    let mut det_edges: Vec<Vec<usize>> = vec![Vec::new(); n_dets];
    let mut n_edges = 0;
    for track in tracks {
        first.push(n_edges);
        for &(j, _) in &track.options {
            if let Some(list) = det_edges.get_mut(j) {
                list.push(n_edges);
            }
            n_edges += 1;
        }
    }
    first.push(n_edges);
    let mut nu = vec![1.0; n_edges];
    let mut mu = vec![0.0; n_edges];
    let mut terms = Vec::new();
    let mut excl = Vec::new();
    let iterations = (BP_WORK_BUDGET / n_edges.max(1)).clamp(BP_MIN_ITERATIONS, BP_MAX_ITERATIONS);
    for _ in 0..iterations {
        for (t, track) in tracks.iter().enumerate() {
            terms.clear();
            terms.extend(
                track
                    .options
                    .iter()
                    .zip(&nu[first[t]..first[t + 1]])
                    .map(|(o, n)| o.1 * n),
            );
            exclusive_sums(&terms, &mut excl);
            for (k, o) in track.options.iter().enumerate() {
                mu[first[t] + k] = o.1 / (track.miss + excl[k]);
            }
        }
        let mut change: f64 = 0.0;
        for edges in &det_edges {
            terms.clear();
            terms.extend(edges.iter().map(|&e| mu[e]));
            exclusive_sums(&terms, &mut excl);
            for (k, &e) in edges.iter().enumerate() {
                let new = 1.0 / (1.0 + excl[k]);
                change = change.max((new - nu[e]).abs());
                nu[e] = new;
            }
        }
        if change.is_nan() || change <= BP_TOLERANCE {
            break;
        }
    }
    tracks
        .iter()
        .enumerate()
        .map(|(t, track)| {
            let b: Vec<f64> = track
                .options
                .iter()
                .zip(&nu[first[t]..first[t + 1]])
                .map(|(o, n)| o.1 * n)
                .collect();
            let norm = track.miss + b.iter().sum::<f64>();
            (track.miss / norm, b.iter().map(|x| x / norm).collect())
        })
        .collect()
}

/// `out[k] = Σ_{i≠k} xs[i]`, via prefix and suffix sums.
fn exclusive_sums(xs: &[f64], out: &mut Vec<f64>) {
    out.clear();
    let mut prefix = 0.0;
    for &x in xs {
        out.push(prefix);
        prefix += x;
    }
    let mut suffix = 0.0;
    for (o, &x) in out.iter_mut().zip(xs).rev() {
        *o += suffix;
        suffix += x;
    }
}

/// The tracker's JPDA role: association probabilities β by [`association_probabilities`]
/// from the hypotheses' Gaussian likelihoods, then each track updated with the
/// probability-weighted mixture of its gated detections (the PDAF update with JPDA weights:
/// Bar-Shalom, Willett & Tian 2011, §6.4): with K = P Hᵀ S⁻¹, ν = Σⱼ βⱼ νⱼ,
///
/// ```text
///   x⁺ = x + K ν
///   P⁺ = β₀ P + (1 − β₀)(P − K S Kᵀ) + K (Σⱼ βⱼ νⱼ νⱼᵀ − ν νᵀ) Kᵀ
/// ```
///
/// A track with no gated detection coasts; every gated detection counts as used.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JpdaAssociator {
    /// Probability of detection of a target per scan, Pd.
    pub pd: f64,
    /// Probability that the gate holds a target's own detection, Pg.
    pub gate_probability: f64,
    /// Density of false detections per unit measurement volume per scan, λ.
    pub clutter_density: f64,
}

impl<const N: usize, const M: usize> Associator<N, M> for JpdaAssociator {
    fn associate<U: TrackUpdates<N, M>>(
        &mut self,
        hypotheses: &[Hypothesis],
        tracks: &mut U,
        used: &mut [bool],
    ) {
        let two_pi = 2.0 * std::f64::consts::PI;
        let likelihoods: Vec<(usize, usize, f64)> = hypotheses
            .iter()
            .map(|h| {
                let (d2, ld) = (h.distance2, h.ln_det_s);
                (
                    h.track,
                    h.detection,
                    (-0.5 * (d2 + ld + M as f64 * two_pi.ln())).exp(),
                )
            })
            .collect();
        let beta = association_probabilities(
            tracks.count(),
            tracks.detections().len(),
            &likelihoods,
            self.pd,
            self.gate_probability,
            self.clutter_density,
        );
        // Hypotheses come in track order: each track's are one contiguous run.
        let mut start = 0;
        for ti in 0..tracks.count() {
            let end = start
                + likelihoods[start..]
                    .iter()
                    .take_while(|p| p.0 == ti)
                    .count();
            let gated = &likelihoods[start..end];
            start = end;
            if gated.is_empty() {
                continue;
            }
            for &(_, j, _) in gated {
                used[j] = true;
            }
            let b0 = beta.miss_probability(ti);
            let estimate = {
                let mp = tracks.prediction(ti);
                let Some(s_inv) = mp.s.try_inverse() else {
                    continue;
                };
                let k = mp.cross * s_inv;
                let mut nu = SVector::<f64, M>::zeros();
                let mut spread = SMatrix::<f64, M, M>::zeros();
                for &(_, j, _) in gated {
                    let b = beta.probability(ti, j);
                    let v = tracks.residual(&tracks.detections()[j], &mp.z);
                    nu += v * b;
                    spread += v * v.transpose() * b;
                }
                let prior = tracks.predicted(ti);
                let pc = prior.cov - k * mp.s * k.transpose();
                let cov = prior.cov * b0
                    + pc * (1.0 - b0)
                    + k * (spread - nu * nu.transpose()) * k.transpose();
                Gaussian::new(prior.mean + k * nu, cov).symmetrised()
            };
            tracks.set_estimate(ti, estimate);
        }
    }
}

#[cfg(test)]
mod tests;
