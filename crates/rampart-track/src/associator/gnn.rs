//! Global nearest neighbour (GNN): the one-to-one association of tracks and detections of least
//! total cost, a track being allowed to miss at a price (Blackman & Popoli, *Design and Analysis
//! of Modern Tracking Systems*, 1999; Stone Soup's `GNNWith2DAssignment`).
//!
//! The gated pairs are split into independent [clusters](super::clusters); each cluster of k
//! tracks and m detections becomes a dense k × (m + k) matrix — the gated pair costs, then one
//! private "miss" column per track holding its miss cost, everything else forbidden — solved
//! exactly by [`assignment::solve`](super::assignment::solve). Cost: near-linear in the number
//! of pairs when clusters stay small, O(k²·(m + k)) for a cluster.
//!
//! A cluster whose dense matrix would exceed [`DENSE_MAX_ENTRIES`] entries (a crowd of
//! hundreds of tracks sharing detections, or a hostile input such as 100,000 detections 100 m
//! apart) is solved instead by [`assignment::solve_sparse`](super::assignment::solve_sparse)
//! over its gated pairs only: the same optimum, exactly, in memory linear in the pairs. Below
//! the threshold the dense path is kept, so results there are bit-for-bit what they were.

use super::assignment::{CostMatrix, solve, solve_sparse};
use super::clusters::linked_clusters;
use super::{Associator, TrackUpdates};
use crate::types::Hypothesis;
use std::borrow::Cow;

/// The tracker's GNN role (Stone Soup's `GNNWith2DAssignment`): each track takes the one
/// detection [`gnn`] assigns it, at a cost of −2 ln of the likelihood ratio of "this track
/// made this detection" against clutter, d² + ln det(2πS) − 2 ln(Pd/λ), and misses at
/// −2 ln(1 − Pd·Pg); it is then updated by its filter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GnnAssociator {
    /// Probability of detection of a target per scan, Pd.
    pub pd: f64,
    /// Probability that the gate holds a target's own detection, Pg.
    pub gate_probability: f64,
    /// Density of false detections per unit measurement volume per scan, λ.
    pub clutter_density: f64,
}

impl GnnAssociator {
    /// −2 ln of the likelihood ratio of "the track made the detection" against clutter, for a
    /// hypothesis at squared distance `d2` with ln det S = `ln_det`, in an `m`-dimensional
    /// measurement space: d² + ln det(2πS) − 2 ln(Pd/λ).
    pub fn cost(&self, d2: f64, ln_det: f64, m: usize) -> f64 {
        let lambda = self.clutter_density.max(1e-300);
        d2 + ln_det + m as f64 * (2.0 * std::f64::consts::PI).ln() - 2.0 * (self.pd / lambda).ln()
    }

    /// What it costs a track to take no detection: −2 ln(1 − Pd·Pg).
    pub fn miss_cost(&self) -> f64 {
        -2.0 * (1.0 - self.pd * self.gate_probability).max(1e-300).ln()
    }
}

impl<const N: usize, const M: usize> Associator<N, M> for GnnAssociator {
    fn associate<U: TrackUpdates<N, M>>(
        &mut self,
        hypotheses: &[Hypothesis],
        tracks: &mut U,
        used: &mut [bool],
    ) {
        let costs: Vec<(usize, usize, f64)> = hypotheses
            .iter()
            .map(|h| (h.track, h.detection, self.cost(h.distance2, h.ln_det_s, M)))
            .collect();
        let miss_costs = vec![self.miss_cost(); tracks.count()];
        let assignment = gnn(
            tracks.count(),
            tracks.detections().len(),
            &costs,
            &miss_costs,
        );
        for (ti, a) in assignment.iter().enumerate() {
            if let Some(j) = *a {
                used[j] = true;
                tracks.update(ti, j);
            }
        }
    }
}

/// The detection a cluster's only track takes: what [`solve`] gives its one-row matrix,
/// without the matrix. The row's search takes the least-cost live column, and of equal ones
/// the last (every column is free, and a free column wins a tie): the highest detection of
/// least cost, or the miss column after them all when its cost is finite and no greater.
/// Nearly every cluster of a scan has one track, and its matrix cost more than the choice.
fn single_track(
    pairs: impl Iterator<Item = (usize, usize, f64)>,
    miss_cost: Option<&f64>,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (_, j, c) in pairs {
        best = match best {
            Some((b, low)) if c > low || (c == low && j < b) => Some((b, low)),
            _ => Some((j, c)),
        };
    }
    let (j, low) = best?;
    match miss_cost.copied() {
        Some(miss) if miss.is_finite() && miss <= low => None,
        _ => Some(j),
    }
}

/// Largest dense matrix, in entries (k × (m + k) for k tracks and m detections), that a
/// cluster is solved with; larger clusters use the sparse solver. 2²⁰ entries is about 25 MB
/// of working memory (8 bytes per entry for the costs, 16 for the solver's copy).
pub const DENSE_MAX_ENTRIES: usize = 1 << 20;

/// Global nearest neighbour association: for each track, the detection it takes, or `None`.
///
/// * `pairs` — gated `(track, detection, cost)` triples. The cost is any additive score to
///   minimise, typically the squared Mahalanobis distance d² or, better, −2 ln of the
///   likelihood ratio of "this track made this detection" against clutter,
///   d² + ln|2πS| − 2 ln(Pd/λ) (dimensionless). Negative costs are fine. Pairs out of range or
///   with a non-finite cost are ignored; for a pair given twice, the lower cost counts.
/// * `miss_cost[t]` — what it costs track `t` to take no detection, on the same scale: the gate
///   threshold d²_max with d² costs, or −2 ln(1 − Pd·Pg) with likelihood-ratio costs. A missing
///   or non-finite entry means the track must take a detection if the others leave it one.
///
/// The result minimises Σ(pair costs taken) + Σ(miss costs of tracks left out) over one-to-one
/// associations; when some tracks cannot miss, it first maximises how many of them are served
/// (see [`super::assignment`]). Detections no track takes are free (for initiation). Never
/// panics; deterministic.
pub fn gnn(
    n_tracks: usize,
    n_dets: usize,
    pairs: &[(usize, usize, f64)],
    miss_cost: &[f64],
) -> Vec<Option<usize>> {
    gnn_with_threshold(n_tracks, n_dets, pairs, miss_cost, DENSE_MAX_ENTRIES)
}

/// How a cluster of `tracks` tracks and `detections` detections is solved by [`gnn`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClusterSolver {
    /// A dense `tracks × (detections + tracks)` matrix.
    Dense,
    /// The sparse solver over the gated pairs.
    Sparse,
}

/// The solver [`gnn`] uses for a cluster of `tracks` tracks and `detections` detections, and
/// the dense matrix it would need, in entries (`usize::MAX` if that overflows).
pub fn cluster_solver(tracks: usize, detections: usize) -> (ClusterSolver, usize) {
    solver_for(tracks, detections, DENSE_MAX_ENTRIES)
}

fn solver_for(tracks: usize, detections: usize, dense_max: usize) -> (ClusterSolver, usize) {
    let entries = detections
        .checked_add(tracks)
        .and_then(|c| c.checked_mul(tracks))
        .unwrap_or(usize::MAX);
    let solver = if entries <= dense_max {
        ClusterSolver::Dense
    } else {
        ClusterSolver::Sparse
    };
    (solver, entries)
}

/// [`gnn`] with the dense-matrix limit given (tests force the sparse path with a small one).
pub(crate) fn gnn_with_threshold(
    n_tracks: usize,
    n_dets: usize,
    pairs: &[(usize, usize, f64)],
    miss_cost: &[f64],
    dense_max: usize,
) -> Vec<Option<usize>> {
    let mut out = vec![None; n_tracks];
    let ok = |&(t, j, c): &(usize, usize, f64)| t < n_tracks && j < n_dets && c.is_finite();
    // The pairs themselves when all are usable (the tracker's always are), else a copy of
    // the usable ones.
    let valid: Cow<'_, [(usize, usize, f64)]> = if pairs.iter().all(ok) {
        Cow::Borrowed(pairs)
    } else {
        Cow::Owned(pairs.iter().copied().filter(ok).collect())
    };
    if valid.is_empty() {
        // Nothing gated: every track misses (the common scan of false alarms alone).
        return out;
    }
    let links = valid.iter().map(|&(t, j, _)| (t, j));

    // Local indices of tracks and detections within their cluster.
    let mut local_track = vec![0; n_tracks];
    let mut local_det = vec![0; n_dets];
    for cluster in linked_clusters(n_tracks, n_dets, links).iter() {
        let (k, m) = (cluster.tracks.len(), cluster.detections.len());
        if k == 1 {
            let t = cluster.tracks[0];
            out[t] = single_track(cluster.pairs.iter().map(|&p| valid[p]), miss_cost.get(t));
            continue;
        }
        for (i, &t) in cluster.tracks.iter().enumerate() {
            local_track[t] = i;
        }
        for (i, &j) in cluster.detections.iter().enumerate() {
            local_det[j] = i;
        }
        if solver_for(k, m, dense_max).0 == ClusterSolver::Sparse {
            let entries = cluster.pairs.iter().map(|&p| {
                let (t, j, c) = valid[p];
                (local_track[t], local_det[j], c)
            });
            let miss: Vec<f64> = cluster
                .tracks
                .iter()
                .map(|&t| miss_cost.get(t).copied().unwrap_or(f64::INFINITY))
                .collect();
            let a = solve_sparse(k, m, entries, &miss);
            for (r, &t) in cluster.tracks.iter().enumerate() {
                out[t] = a[r].and_then(|c| cluster.detections.get(c).copied());
            }
            continue;
        }
        let mut costs = CostMatrix::new(k, m + k, f64::INFINITY);
        for &p in cluster.pairs {
            let (t, j, c) = valid[p];
            let (r, col) = (local_track[t], local_det[j]);
            if c < costs.get(r, col) {
                costs.set(r, col, c);
            }
        }
        for (r, &t) in cluster.tracks.iter().enumerate() {
            costs.set(r, m + r, miss_cost.get(t).copied().unwrap_or(f64::INFINITY));
        }
        let a = solve(&costs);
        for (r, &t) in cluster.tracks.iter().enumerate() {
            out[t] = a.row_to_col[r].and_then(|c| cluster.detections.get(c).copied());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// Total cost of an association; the first component counts tracks left out that could not
    /// miss (infinite miss cost).
    fn score(pairs: &[(usize, usize, f64)], miss: &[f64], a: &[Option<usize>]) -> (usize, f64) {
        let mut unserved = 0;
        let mut cost = 0.0;
        for (t, j) in a.iter().enumerate() {
            match j {
                Some(j) => {
                    cost += pairs
                        .iter()
                        .filter(|p| p.0 == t && p.1 == *j)
                        .map(|p| p.2)
                        .fold(f64::INFINITY, f64::min)
                }
                None if miss[t].is_finite() => cost += miss[t],
                None => unserved += 1,
            }
        }
        (unserved, cost)
    }

    /// Brute force: every one-to-one association over the gated pairs.
    fn brute(nt: usize, nd: usize, pairs: &[(usize, usize, f64)], miss: &[f64]) -> (usize, f64) {
        fn rec(
            t: usize,
            a: &mut Vec<Option<usize>>,
            used: &mut [bool],
            ctx: (&[(usize, usize, f64)], &[f64]),
            best: &mut (usize, f64),
        ) {
            if t == a.len() {
                let s = score(ctx.0, ctx.1, a);
                if s.0 < best.0 || (s.0 == best.0 && s.1 < best.1) {
                    *best = s;
                }
                return;
            }
            a[t] = None;
            rec(t + 1, a, used, ctx, best);
            for p in ctx.0.iter().filter(|p| p.0 == t) {
                if !used[p.1] {
                    used[p.1] = true;
                    a[t] = Some(p.1);
                    rec(t + 1, a, used, ctx, best);
                    used[p.1] = false;
                }
            }
            a[t] = None;
        }
        let mut best = (usize::MAX, f64::INFINITY);
        rec(
            0,
            &mut vec![None; nt],
            &mut vec![false; nd],
            (pairs, miss),
            &mut best,
        );
        best
    }

    #[test]
    fn optimal_against_brute_force_on_random_sparse_problems() {
        let mut rng = ChaCha8Rng::seed_from_u64(0x6E6E);
        for case in 0..1000 {
            let nt = rng.random_range(0..=6);
            let nd = rng.random_range(0..=7);
            let mut pairs = Vec::new();
            for t in 0..nt {
                for j in 0..nd {
                    if rng.random_bool(0.35) {
                        pairs.push((t, j, rng.random_range(0.0..9.0)));
                    }
                }
            }
            // Shuffle the pair order: the result must not depend on it.
            for i in (1..pairs.len()).rev() {
                pairs.swap(i, rng.random_range(0..=i));
            }
            let miss: Vec<f64> = (0..nt)
                .map(|_| {
                    if rng.random_bool(0.15) {
                        f64::INFINITY
                    } else {
                        rng.random_range(2.0..9.0)
                    }
                })
                .collect();
            let a = gnn(nt, nd, &pairs, &miss);
            let mut used = vec![false; nd];
            for (t, j) in a.iter().enumerate() {
                if let Some(j) = *j {
                    assert!(
                        pairs.iter().any(|p| p.0 == t && p.1 == j),
                        "case {case}: ungated pair"
                    );
                    assert!(!used[j], "case {case}: detection {j} used twice");
                    used[j] = true;
                }
            }
            let got = score(&pairs, &miss, &a);
            let want = brute(nt, nd, &pairs, &miss);
            assert_eq!(got.0, want.0, "case {case}");
            assert!(
                (got.1 - want.1).abs() <= 1e-9,
                "case {case}: got {got:?} want {want:?}"
            );
        }
    }

    #[test]
    fn sparse_path_is_optimal_against_brute_force() {
        // The same random problems as above, every cluster forced onto the sparse solver.
        let mut rng = ChaCha8Rng::seed_from_u64(0x6E6F);
        for case in 0..1000 {
            let nt = rng.random_range(0..=6);
            let nd = rng.random_range(0..=7);
            let mut pairs = Vec::new();
            for t in 0..nt {
                for j in 0..nd {
                    if rng.random_bool(0.35) {
                        pairs.push((t, j, rng.random_range(0.0..9.0)));
                    }
                }
            }
            let miss: Vec<f64> = (0..nt)
                .map(|_| {
                    if rng.random_bool(0.15) {
                        f64::INFINITY
                    } else {
                        rng.random_range(2.0..9.0)
                    }
                })
                .collect();
            let sparse = gnn_with_threshold(nt, nd, &pairs, &miss, 0);
            let dense = gnn(nt, nd, &pairs, &miss);
            let want = brute(nt, nd, &pairs, &miss);
            for a in [&sparse, &dense] {
                let got = score(&pairs, &miss, a);
                assert_eq!(got.0, want.0, "case {case}");
                assert!(
                    (got.1 - want.1).abs() <= 1e-9,
                    "case {case}: got {got:?} want {want:?}"
                );
            }
        }
    }

    #[test]
    fn sparse_and_dense_agree_on_larger_clusters() {
        // Clusters of up to 80 tracks, too large for brute force: equal optimal costs.
        let mut rng = ChaCha8Rng::seed_from_u64(0xC1A5);
        for case in 0..100 {
            let nt = rng.random_range(1..=80);
            let nd = rng.random_range(1..=90);
            let mut pairs = Vec::new();
            for t in 0..nt {
                for j in 0..nd {
                    if rng.random_bool(0.08) {
                        pairs.push((t, j, rng.random_range(-5.0..20.0)));
                    }
                }
            }
            let miss: Vec<f64> = (0..nt)
                .map(|_| {
                    if rng.random_bool(0.1) {
                        f64::INFINITY
                    } else {
                        rng.random_range(2.0..16.0)
                    }
                })
                .collect();
            let sparse = score(&pairs, &miss, &gnn_with_threshold(nt, nd, &pairs, &miss, 0));
            let dense = score(&pairs, &miss, &gnn(nt, nd, &pairs, &miss));
            assert_eq!(sparse.0, dense.0, "case {case}");
            assert!(
                (sparse.1 - dense.1).abs() <= 1e-9 * (1.0 + dense.1.abs()),
                "case {case}: sparse {sparse:?} dense {dense:?}"
            );
        }
    }

    /// Issue "hardening": 100,000 tracks and 100,000 detections 100 m apart on a line, each
    /// track gating the detections within 500 m, make one cluster whose dense matrix would
    /// have 2·10¹⁰ entries (160 GB: the old code aborted allocating it). The sparse path
    /// solves it over the 1.1 million gated pairs.
    #[test]
    fn a_cluster_of_100000_tracks_is_solved_over_its_pairs() {
        let n = 100_000;
        let (solver, entries) = cluster_solver(n, n);
        assert_eq!(solver, ClusterSolver::Sparse);
        assert_eq!(entries, 20_000_000_000);
        assert_eq!(cluster_solver(8, 10), (ClusterSolver::Dense, 144));
        let mut pairs = Vec::new();
        for t in 0..n {
            for j in t.saturating_sub(5)..(t + 6).min(n) {
                let d = (t as f64 - j as f64) * 100.0;
                pairs.push((t, j, d * d / 2500.0));
            }
        }
        let a = gnn(n, n, &pairs, &vec![16.0; n]);
        assert!(a.iter().enumerate().all(|(t, j)| *j == Some(t)));
        // Shifted by one: track t's own detection is t + 1, and the last track has none.
        let shifted: Vec<_> = pairs
            .iter()
            .map(|&(t, j, _)| {
                let d = (t as f64 + 1.0 - j as f64) * 100.0;
                (t, j, d * d / 2500.0)
            })
            .collect();
        let a = gnn(n, n, &shifted, &vec![16.0; n]);
        assert!(
            a[..n - 1]
                .iter()
                .enumerate()
                .all(|(t, j)| *j == Some(t + 1))
        );
        assert_eq!(a[n - 1], None);
    }

    /// A one-track cluster is decided without a matrix, exactly as the dense solve decides
    /// it: random costs from a handful of values (so ties are common), duplicated pairs,
    /// finite and non-finite miss costs.
    #[test]
    fn a_single_track_is_decided_as_the_dense_solve_decides() {
        let mut rng = ChaCha8Rng::seed_from_u64(0x5171);
        let values = [-1.0, 0.0, -0.0, 2.5, 3.0, 7.0];
        for _ in 0..5_000 {
            let m = rng.random_range(1..7);
            let pairs: Vec<(usize, usize, f64)> = (0..rng.random_range(1..9))
                .map(|_| {
                    let c = values[rng.random_range(0..values.len())];
                    (0, rng.random_range(0..m), c)
                })
                .collect();
            let miss = match rng.random_range(0..3) {
                0 => f64::INFINITY,
                _ => values[rng.random_range(0..values.len())],
            };
            let mut costs = CostMatrix::new(1, m + 1, f64::INFINITY);
            for &(_, j, c) in &pairs {
                if c < costs.get(0, j) {
                    costs.set(0, j, c);
                }
            }
            costs.set(0, m, miss);
            let dense = solve(&costs).row_to_col[0].filter(|&c| c < m);
            assert_eq!(
                single_track(pairs.iter().copied(), Some(&miss)),
                dense,
                "{pairs:?} miss {miss}"
            );
        }
    }

    #[test]
    fn beats_greedy_nearest_neighbour() {
        // Costs (d²):      D0   D1
        //            T0     1    2
        //            T1     2   10
        // Greedy NN takes the cheapest pair first, T0–D0 (1), leaving T1–D1 (10): total 11.
        // GNN takes T0–D1 + T1–D0 = 2 + 2 = 4. Miss cost 16 (a χ² gate) for both.
        let pairs = [(0, 0, 1.0), (0, 1, 2.0), (1, 0, 2.0), (1, 1, 10.0)];
        assert_eq!(gnn(2, 2, &pairs, &[16.0, 16.0]), vec![Some(1), Some(0)]);
        // With a miss cost of 5 the swap still wins: 2 + 2 = 4 < T0–D0 with T1 coasting, 1 + 5.
        assert_eq!(gnn(2, 2, &pairs, &[5.0, 5.0]), vec![Some(1), Some(0)]);
        // With a miss cost of 1.5 for T1, T1 coasts: 1 + 1.5 = 2.5 < 4.
        assert_eq!(gnn(2, 2, &pairs, &[16.0, 1.5]), vec![Some(0), None]);
    }

    #[test]
    fn duplicates_out_of_range_and_bad_costs() {
        let pairs = [
            (0, 0, 5.0),
            (0, 0, 1.0),
            (0, 1, f64::NAN),
            (3, 0, 0.0),
            (0, 7, 0.0),
            (1, 1, f64::INFINITY),
        ];
        // T0–D0 at its lower cost 1 beats the miss (3); T1 has no valid pair.
        assert_eq!(gnn(2, 2, &pairs, &[3.0, 3.0]), vec![Some(0), None]);
        // Miss costs shorter than the track list: the missing one cannot miss.
        assert_eq!(
            gnn(2, 2, &[(0, 0, 9.0), (1, 1, 1.0)], &[3.0]),
            vec![None, Some(1)]
        );
        assert_eq!(gnn(2, 2, &[(0, 0, 9.0)], &[]), vec![Some(0), None]);
        assert!(gnn(0, 0, &[], &[]).is_empty());
        assert_eq!(gnn(3, 0, &[(0, 0, 1.0)], &[1.0; 3]), vec![None; 3]);
    }
}
