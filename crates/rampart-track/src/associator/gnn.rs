//! Global nearest neighbour (GNN): the one-to-one association of tracks and detections of least
//! total cost, a track being allowed to miss at a price (Blackman & Popoli, *Design and Analysis
//! of Modern Tracking Systems*, 1999; Stone Soup's `GNNWith2DAssignment`).
//!
//! The gated pairs are split into independent [clusters](super::clusters); each cluster of k
//! tracks and m detections becomes a dense k × (m + k) matrix — the gated pair costs, then one
//! private "miss" column per track holding its miss cost, everything else forbidden — solved
//! exactly by [`assignment::solve`](super::assignment::solve). Cost: near-linear in the number
//! of pairs when clusters stay small, O(k²·(m + k)) for a cluster.

use super::assignment::{CostMatrix, solve};
use super::clusters::clusters;

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
    let mut out = vec![None; n_tracks];
    let valid: Vec<(usize, usize, f64)> = pairs
        .iter()
        .copied()
        .filter(|&(t, j, c)| t < n_tracks && j < n_dets && c.is_finite())
        .collect();
    if valid.is_empty() {
        // Nothing gated: every track misses (the common scan of false alarms alone).
        return out;
    }
    let links: Vec<(usize, usize)> = valid.iter().map(|&(t, j, _)| (t, j)).collect();

    // Local indices of tracks and detections within their cluster.
    let mut local_track = vec![0; n_tracks];
    let mut local_det = vec![0; n_dets];
    for cluster in clusters(n_tracks, n_dets, &links) {
        if cluster.pairs.is_empty() {
            continue;
        }
        let (k, m) = (cluster.tracks.len(), cluster.detections.len());
        for (i, &t) in cluster.tracks.iter().enumerate() {
            local_track[t] = i;
        }
        for (i, &j) in cluster.detections.iter().enumerate() {
            local_det[j] = i;
        }
        let mut costs = CostMatrix::new(k, m + k, f64::INFINITY);
        for &p in &cluster.pairs {
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
