//! Generalised optimal sub-pattern assignment (GOSPA).
//!
//! Rahmathullah, García-Fernández & Svensson, "Generalized optimal sub-pattern assignment
//! metric", FUSION 2017. For truths X = {x₁ … x_m} and estimates Y = {y₁ … y_n} with m ≤ n,
//! a base distance d, cut-off c > 0, order p ≥ 1 and α ∈ (0, 2],
//!
//! ```text
//! GOSPA(X, Y) = ( min_π Σᵢ min(d(xᵢ, y_π(i)), c)^p  +  c^p/α · (n − m) )^(1/p)
//! ```
//!
//! over injections π of X into Y (and symmetrically when m > n). For α = 2 — the value the
//! authors recommend and the default here — this equals
//!
//! ```text
//! ( Σ_{assigned} d^p  +  c^p/2 · #missed truths  +  c^p/2 · #false estimates )^(1/p)
//! ```
//!
//! minimised over partial assignments, which splits the error into localisation, missed and
//! false parts. A pair of the optimal π with d ≥ c is counted as one missed truth plus one false
//! estimate (cost c^p either way; d = c is a tie and is reported as unassigned).
//!
//! Units: the cut-off and the distance are in metres when computed from positions; the parts
//! of the decomposition are in metres^p (they add; their sum's p-th root is the distance).

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use super::assignment::{CostMatrix, cut_off, euclidean};
use super::{MetricError, pow_p, root_p};

/// Largest number of truth × estimate pairs for which [`GospaMetric::compute`] builds a dense
/// matrix of every pair (about 40 MB of working memory); larger scans are scored over the
/// pairs closer than the cut-off.
pub const DENSE_MAX_PAIRS: usize = 1 << 20;

/// GOSPA configuration: order `p`, cut-off `c` and `α`. Validated on construction and on
/// deserialisation (keys `p`, `cutoff_m`, `alpha`; unknown keys are rejected).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "GospaParams")]
pub struct GospaMetric {
    p: f64,
    cutoff_m: f64,
    alpha: f64,
}

/// The unchecked, deserialised form of [`GospaMetric`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GospaParams {
    #[serde(default = "default_p")]
    p: f64,
    #[serde(default = "default_cutoff_m")]
    cutoff_m: f64,
    #[serde(default = "default_alpha")]
    alpha: f64,
}

fn default_p() -> f64 {
    2.0
}
fn default_cutoff_m() -> f64 {
    1000.0
}
fn default_alpha() -> f64 {
    2.0
}

impl TryFrom<GospaParams> for GospaMetric {
    type Error = MetricError;
    fn try_from(raw: GospaParams) -> Result<Self, MetricError> {
        Self::new(raw.p, raw.cutoff_m, raw.alpha)
    }
}

impl Default for GospaMetric {
    /// p = 2, c = 1000 m, α = 2.
    fn default() -> Self {
        Self {
            p: default_p(),
            cutoff_m: default_cutoff_m(),
            alpha: default_alpha(),
        }
    }
}

/// The GOSPA distance of one scan, with the assignment that achieves it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GospaResult {
    /// GOSPA distance, in metres (units of the base distance).
    pub distance: f64,
    /// For each truth (by index), the estimate assigned to it, if any. Only pairs of the optimal
    /// assignment closer than the cut-off count as assigned.
    pub assignment: Vec<Option<usize>>,
    /// Number of truths with no estimate assigned.
    pub num_missed: usize,
    /// Number of estimates assigned to no truth.
    pub num_false: usize,
    /// Localisation / missed / false split; present only for α = 2, where the split is exact.
    pub decomposition: Option<GospaDecomposition>,
}

/// The α = 2 split of GOSPA^p into its three parts, each in metres^p.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct GospaDecomposition {
    /// Σ d^p over assigned (truth, estimate) pairs, in metres^p.
    pub localisation: f64,
    /// c^p/2 × number of missed truths, in metres^p.
    pub missed: f64,
    /// c^p/2 × number of false estimates, in metres^p.
    pub false_tracks: f64,
}

impl GospaDecomposition {
    /// localisation + missed + false = GOSPA^p, in metres^p.
    pub fn total(&self) -> f64 {
        self.localisation + self.missed + self.false_tracks
    }
}

impl GospaResult {
    /// The assigned (truth index, estimate index) pairs.
    pub fn assigned_pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.assignment
            .iter()
            .enumerate()
            .filter_map(|(i, j)| j.map(|j| (i, j)))
    }
}

/// GOSPA averaged over scans.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GospaSummary {
    /// Number of scans averaged.
    pub scans: usize,
    /// Mean of the per-scan GOSPA distances, in metres.
    pub mean_distance: f64,
    /// Per-part means of the decompositions, in metres^p; present only if every scan has one.
    /// Note (mean of parts).total()^(1/p) is not the mean distance.
    pub mean_decomposition: Option<GospaDecomposition>,
    /// Total missed truths over all scans.
    pub total_missed: usize,
    /// Total false estimates over all scans.
    pub total_false: usize,
}

impl GospaSummary {
    /// Averages per-scan results; `None` when there are no scans.
    pub fn from_results(results: &[GospaResult]) -> Option<Self> {
        if results.is_empty() {
            return None;
        }
        let k = results.len() as f64;
        let mean_distance = results.iter().map(|r| r.distance).sum::<f64>() / k;
        let mean_decomposition = results.iter().map(|r| r.decomposition).try_fold(
            GospaDecomposition::default(),
            |acc, d| {
                d.map(|d| GospaDecomposition {
                    localisation: acc.localisation + d.localisation / k,
                    missed: acc.missed + d.missed / k,
                    false_tracks: acc.false_tracks + d.false_tracks / k,
                })
            },
        );
        Some(Self {
            scans: results.len(),
            mean_distance,
            mean_decomposition,
            total_missed: results.iter().map(|r| r.num_missed).sum(),
            total_false: results.iter().map(|r| r.num_false).sum(),
        })
    }
}

impl GospaMetric {
    /// A GOSPA metric of order `p` ≥ 1, cut-off `cutoff_m` > 0 (metres) and `alpha` ∈ (0, 2];
    /// all finite.
    pub fn new(p: f64, cutoff_m: f64, alpha: f64) -> Result<Self, MetricError> {
        let bad = |name, value, requirement| MetricError::InvalidParameter {
            metric: "GOSPA",
            name,
            value,
            requirement,
        };
        if !(p >= 1.0 && p.is_finite()) {
            return Err(bad("p", p, "≥ 1 and finite"));
        }
        if !(cutoff_m > 0.0 && cutoff_m.is_finite()) {
            return Err(bad("cutoff_m", cutoff_m, "> 0 and finite"));
        }
        if !(alpha > 0.0 && alpha <= 2.0) {
            return Err(bad("alpha", alpha, "in (0, 2]"));
        }
        Ok(Self { p, cutoff_m, alpha })
    }

    /// Order p.
    pub fn p(&self) -> f64 {
        self.p
    }
    /// Cut-off c, in metres.
    pub fn cutoff_m(&self) -> f64 {
        self.cutoff_m
    }
    /// α.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// GOSPA between truth and estimated 3-D positions (metres), Euclidean base distance.
    ///
    /// Up to [`DENSE_MAX_PAIRS`] truth–estimate pairs this is [`Self::compute_with_distance`]
    /// (a dense matrix of every pair); beyond, only the pairs closer than the cut-off are
    /// found (a grid of cells the size of the cut-off) and assigned by
    /// [`crate::associator::assignment::solve_sparse`], so memory grows with the close pairs,
    /// not with truths × estimates. The distance is the same (up to rounding); where several
    /// assignments are optimal the two paths may choose different ones.
    pub fn compute<T, E>(&self, truths: &[T], estimates: &[E]) -> GospaResult
    where
        T: Copy + Into<Vector3<f64>>,
        E: Copy + Into<Vector3<f64>>,
    {
        let dense = truths
            .len()
            .checked_mul(estimates.len())
            .is_some_and(|n| n <= DENSE_MAX_PAIRS);
        if !dense {
            return self.compute_sparse(truths, estimates);
        }
        self.compute_with_distance(truths.len(), estimates.len(), |i, j| {
            euclidean(truths[i], estimates[j])
        })
    }

    /// [`Self::compute`] over the close pairs only. With M the pairs of the assignment closer
    /// than c, Σ_π min(d, c)^p = Σ_M d^p + c^p·(min(m, n) − |M|) (every other pair of π costs
    /// c^p, and any pair can be made up of the unmatched), so the optimal π gives the M that
    /// minimises Σ_M (d^p − c^p) over one-to-one matchings of close pairs — an assignment in
    /// which leaving a truth out costs 0 and every close pair is a gain.
    fn compute_sparse<T, E>(&self, truths: &[T], estimates: &[E]) -> GospaResult
    where
        T: Copy + Into<Vector3<f64>>,
        E: Copy + Into<Vector3<f64>>,
    {
        use crate::associator::assignment::solve_sparse;
        use std::collections::HashMap;

        let (p, c) = (self.p, self.cutoff_m);
        let c_p = pow_p(c, p);
        let (num_truths, num_estimates) = (truths.len(), estimates.len());
        // Cells of side c: a pair closer than c lies in neighbouring cells.
        let cell = |v: &Vector3<f64>| -> Option<[i64; 3]> {
            v.iter()
                .all(|x| x.is_finite())
                .then(|| [0, 1, 2].map(|k| (v[k] / c).floor().clamp(-9e15, 9e15) as i64))
        };
        let mut grid: HashMap<[i64; 3], Vec<usize>> = HashMap::new();
        for (j, e) in estimates.iter().enumerate() {
            if let Some(k) = cell(&(*e).into()) {
                grid.entry(k).or_default().push(j);
            }
        }
        let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
        for (i, x) in truths.iter().enumerate() {
            let x: Vector3<f64> = (*x).into();
            let Some(k) = cell(&x) else { continue };
            for dx in -1..=1_i64 {
                for dy in -1..=1_i64 {
                    for dz in -1..=1_i64 {
                        let key = [k[0] + dx, k[1] + dy, k[2] + dz];
                        for &j in grid.get(&key).map_or(&[][..], Vec::as_slice) {
                            let d = euclidean(x, estimates[j]);
                            if d < c {
                                pairs.push((i, j, pow_p(d, p) - c_p));
                            }
                        }
                    }
                }
            }
        }
        drop(grid);
        let optimal = solve_sparse(
            num_truths,
            num_estimates,
            pairs.iter().copied(),
            &vec![0.0; num_truths],
        );
        drop(pairs);

        let mut localisation = 0.0; // Σ d^p over the assigned pairs, all closer than c
        for (i, j) in optimal.iter().enumerate() {
            if let Some(j) = *j {
                localisation += pow_p(euclidean(truths[i], estimates[j]), p);
            }
        }
        let num_assigned = optimal.iter().flatten().count();
        let num_missed = num_truths - num_assigned;
        let num_false = num_estimates - num_assigned;
        let unassigned_pairs = num_truths.min(num_estimates) - num_assigned;
        let assigned_cost = localisation + c_p * unassigned_pairs as f64;
        let unmatched = num_truths.abs_diff(num_estimates) as f64;
        let total = assigned_cost + c_p / self.alpha * unmatched;
        let decomposition = (self.alpha == 2.0).then(|| GospaDecomposition {
            localisation,
            missed: c_p / 2.0 * num_missed as f64,
            false_tracks: c_p / 2.0 * num_false as f64,
        });
        GospaResult {
            distance: root_p(total.max(0.0), p),
            assignment: optimal,
            num_missed,
            num_false,
            decomposition,
        }
    }

    /// GOSPA for any base distance: `distance(i, j)` between truth `i` < `num_truths` and
    /// estimate `j` < `num_estimates`. NaN distances are treated as the cut-off.
    pub fn compute_with_distance(
        &self,
        num_truths: usize,
        num_estimates: usize,
        distance: impl Fn(usize, usize) -> f64,
    ) -> GospaResult {
        let (p, c) = (self.p, self.cutoff_m);
        let c_p = pow_p(c, p);
        let cut = CostMatrix::from_fn(num_truths, num_estimates, |i, j| cut_off(distance(i, j), c));
        let cost = CostMatrix {
            data: cut.data.iter().map(|d| pow_p(*d, p)).collect(),
            ..cut
        };
        let optimal = cost.solve();

        let mut assigned_cost = 0.0; // Σ min(d, c)^p over the optimal π
        let mut localisation = 0.0; // Σ d^p over pairs with d < c
        let mut assignment = vec![None; num_truths];
        for (i, j) in optimal.iter().enumerate() {
            if let Some(j) = *j {
                let d = cut.data[i * num_estimates + j];
                let d_p = cost.data[i * num_estimates + j];
                assigned_cost += d_p;
                if d < c {
                    localisation += d_p;
                    assignment[i] = Some(j);
                }
            }
        }
        let num_assigned = assignment.iter().flatten().count();
        let num_missed = num_truths - num_assigned;
        let num_false = num_estimates - num_assigned;
        let unmatched = num_truths.abs_diff(num_estimates) as f64;
        let total = assigned_cost + c_p / self.alpha * unmatched;
        let decomposition = (self.alpha == 2.0).then(|| GospaDecomposition {
            localisation,
            missed: c_p / 2.0 * num_missed as f64,
            false_tracks: c_p / 2.0 * num_false as f64,
        });
        GospaResult {
            distance: root_p(total.max(0.0), p),
            assignment,
            num_missed,
            num_false,
            decomposition,
        }
    }

    /// GOSPA for each scan of (truths, estimates) positions, in order.
    pub fn compute_scans<'a, T, E>(
        &self,
        scans: impl IntoIterator<Item = (&'a [T], &'a [E])>,
    ) -> Vec<GospaResult>
    where
        T: Copy + Into<Vector3<f64>> + 'a,
        E: Copy + Into<Vector3<f64>> + 'a,
    {
        scans
            .into_iter()
            .map(|(truths, estimates)| self.compute(truths, estimates))
            .collect()
    }

    /// Mean GOSPA over scans of (truths, estimates) positions; `None` when there are no scans.
    pub fn mean_over_scans<'a, T, E>(
        &self,
        scans: impl IntoIterator<Item = (&'a [T], &'a [E])>,
    ) -> Option<GospaSummary>
    where
        T: Copy + Into<Vector3<f64>> + 'a,
        E: Copy + Into<Vector3<f64>> + 'a,
    {
        GospaSummary::from_results(&self.compute_scans(scans))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
    }

    fn random_set(rng: &mut ChaCha8Rng, max: usize) -> Vec<[f64; 3]> {
        let n = rng.random_range(0..=max);
        (0..n)
            .map(|_| {
                [
                    rng.random_range(-150.0..150.0),
                    rng.random_range(-150.0..150.0),
                    rng.random_range(-20.0..20.0),
                ]
            })
            .collect()
    }

    const TRUTHS: [[f64; 3]; 2] = [[0.0, 0.0, 0.0], [10.0, 0.0, 0.0]];
    const ESTIMATES: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [500.0, 0.0, 0.0], [2000.0, 0.0, 0.0]];

    /// Source: hand computation from the GOSPA definition (Rahmathullah et al. 2017, eq. 1/2).
    /// c = 100, p = 2, α = 2. Cut-off squared distances min(d, c)²:
    ///   x₁ = 0:  y₁ 1² = 1,   y₂ 100² = 10⁴, y₃ 10⁴
    ///   x₂ = 10: y₁ 9² = 81,  y₂ 10⁴,        y₃ 10⁴
    /// Best π: x₁→y₁ (1) + x₂→y₂ or y₃ (10⁴) = 10001 (vs 81 + 10⁴ = 10081).
    /// x₂'s pair is at the cut-off, so x₂ is missed: localisation 1, missed 10⁴/2 · 1 = 5000,
    /// false 10⁴/2 · 2 = 10000; total 15001 = 10001 + 10⁴/2 · (3 − 2). GOSPA = √15001.
    /// X-Val: √15001 = 122.47856955402443 (Python math.sqrt).
    #[test]
    fn hand_example_c100_p2_alpha2() {
        let g = GospaMetric::new(2.0, 100.0, 2.0).expect("valid");
        let r = g.compute(&TRUTHS, &ESTIMATES);
        assert_eq!(r.assignment, vec![Some(0), None]);
        assert_eq!((r.num_missed, r.num_false), (1, 2));
        let d = r.decomposition.expect("α = 2 decomposes");
        assert!(close(d.localisation, 1.0, 1e-12));
        assert!(close(d.missed, 5000.0, 1e-12));
        assert!(close(d.false_tracks, 10000.0, 1e-12));
        assert!(close(r.distance, 122.478_569_554_024_43, 1e-12));
        assert_eq!(r.assigned_pairs().collect::<Vec<_>>(), vec![(0, 0)]);
    }

    /// Source: hand computation, same sets with α = 1: 10001 + 10⁴/1 · (3 − 2) = 20001,
    /// GOSPA = √20001 = 141.42489172702236 (Python). No decomposition for α ≠ 2.
    #[test]
    fn hand_example_alpha1() {
        let g = GospaMetric::new(2.0, 100.0, 1.0).expect("valid");
        let r = g.compute(&TRUTHS, &ESTIMATES);
        assert!(close(r.distance, 141.424_891_727_022_36, 1e-12));
        assert!(r.decomposition.is_none());
        assert_eq!(r.assignment, vec![Some(0), None]);
    }

    /// Source: Rahmathullah et al. 2017, Prop. 1 (α = 2 ⇔ minimum over partial assignments of
    /// localisation + c^p/2 · (missed + false)). The parts must add up to GOSPA^p.
    #[test]
    fn alpha2_equals_sum_of_parts() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for &p in &[1.0, 2.0, 3.5] {
            let g = GospaMetric::new(p, 60.0, 2.0).expect("valid");
            for _ in 0..200 {
                let x = random_set(&mut rng, 7);
                let y = random_set(&mut rng, 7);
                let r = g.compute(&x, &y);
                let d = r.decomposition.expect("α = 2");
                assert!(close(r.distance.powf(p), d.total(), 1e-10));
            }
        }
    }

    /// Source: metric axioms (Rahmathullah et al. 2017, Prop. 1: GOSPA is a metric).
    /// Symmetry, identity, and the triangle inequality on random sets.
    #[test]
    fn metric_axioms_on_random_sets() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for &alpha in &[2.0, 1.0, 0.5] {
            let g = GospaMetric::new(2.0, 50.0, alpha).expect("valid");
            for _ in 0..200 {
                let x = random_set(&mut rng, 6);
                let y = random_set(&mut rng, 6);
                let z = random_set(&mut rng, 6);
                let xy = g.compute(&x, &y);
                let yx = g.compute(&y, &x);
                assert!(close(xy.distance, yx.distance, 1e-10));
                assert_eq!((xy.num_missed, xy.num_false), (yx.num_false, yx.num_missed));
                assert_eq!(g.compute(&x, &x).distance, 0.0);
                let xz = g.compute(&x, &z).distance;
                let yz = g.compute(&y, &z).distance;
                assert!(xz <= xy.distance + yz + 1e-9, "triangle inequality");
            }
        }
    }

    /// Source: definition with one set empty: GOSPA = (c^p/α · n)^(1/p); both empty → 0.
    /// c = 100, p = 2, α = 2, n = 3: √(5000 · 3) = √15000 = 122.47448713915891 (Python).
    #[test]
    fn close_pairs_only_equal_the_dense_matrix() {
        let mut rng = ChaCha8Rng::seed_from_u64(0x6051);
        for case in 0..300 {
            let truths = random_set(&mut rng, 40);
            let estimates = random_set(&mut rng, 40);
            let p = [1.0, 2.0, 3.0][case % 3];
            let alpha = [2.0, 1.0, 0.5][case % 3];
            let c = rng.random_range(5.0..200.0);
            let g = GospaMetric::new(p, c, alpha).expect("valid");
            let dense = g.compute_with_distance(truths.len(), estimates.len(), |i, j| {
                euclidean(truths[i], estimates[j])
            });
            let sparse = g.compute_sparse(&truths, &estimates);
            assert!(
                close(dense.distance, sparse.distance, 1e-9),
                "case {case}: dense {} sparse {}",
                dense.distance,
                sparse.distance
            );
            // Random real positions: the optimum is unique, so the parts agree too.
            assert_eq!(
                (dense.num_missed, dense.num_false),
                (sparse.num_missed, sparse.num_false),
                "case {case}"
            );
        }
    }

    /// 2,000 truths and 2,000 estimates, each 3 m from its truth, 1 km apart: 4 million pairs,
    /// past the dense limit, scored over the 2,000 close ones.
    #[test]
    fn a_large_scan_is_scored_over_its_close_pairs() {
        let n = 2000;
        assert!(n * n > DENSE_MAX_PAIRS);
        let truths: Vec<[f64; 3]> = (0..n).map(|i| [1000.0 * i as f64, 0.0, 0.0]).collect();
        let estimates: Vec<[f64; 3]> = truths.iter().map(|t| [t[0], 3.0, 0.0]).collect();
        let r = GospaMetric::new(2.0, 100.0, 2.0)
            .expect("valid")
            .compute(&truths, &estimates[1..]);
        // Truth 0's estimate is gone: n − 1 pairs at 3 m and one missed truth, c²/2 = 5000.
        let want = (9.0 * (n - 1) as f64 + 5000.0).sqrt();
        assert!(close(r.distance, want, 1e-12), "{} vs {want}", r.distance);
        assert_eq!((r.num_missed, r.num_false), (1, 0));
        assert_eq!(r.assignment[0], None);
        assert!((1..n).all(|i| r.assignment[i] == Some(i - 1)));
    }

    #[test]
    fn empty_sets() {
        let g = GospaMetric::new(2.0, 100.0, 2.0).expect("valid");
        let none: [[f64; 3]; 0] = [];
        let r = g.compute(&none, &none);
        assert_eq!(r.distance, 0.0);
        assert_eq!(r.decomposition, Some(GospaDecomposition::default()));
        let r = g.compute(&none, &ESTIMATES);
        assert!(close(r.distance, 122.474_487_139_158_91, 1e-12));
        assert_eq!((r.num_missed, r.num_false), (0, 3));
        let r = g.compute(&ESTIMATES, &none);
        assert!(close(r.distance, 122.474_487_139_158_91, 1e-12));
        assert_eq!(r.assignment, vec![None; 3]);
        let d = r.decomposition.expect("α = 2");
        assert_eq!((d.missed, d.false_tracks), (15000.0, 0.0));
    }

    /// Source: the NaN convention of this module: a NaN distance counts as c.
    /// One truth, one NaN estimate, c = 100, p = 2: missed 5000 + false 5000 → √10⁴ = 100.
    #[test]
    fn nan_distance_is_cut_off() {
        let g = GospaMetric::new(2.0, 100.0, 2.0).expect("valid");
        let r = g.compute(&[[0.0, 0.0, 0.0]], &[[f64::NAN, 0.0, 0.0]]);
        assert!(close(r.distance, 100.0, 1e-12));
        assert_eq!(r.assignment, vec![None]);
        let r = g.compute_with_distance(2, 2, |_, _| f64::NAN);
        assert!(close(r.distance, 100.0 * 2f64.sqrt(), 1e-12));
    }

    #[test]
    fn vector3_positions_work_too() {
        let g = GospaMetric::default();
        let x = [Vector3::new(0.0, 0.0, 0.0)];
        let y = [[3.0, 4.0, 0.0]];
        let r = g.compute(&x, &y);
        assert!(close(r.distance, 5.0, 1e-12));
    }

    #[test]
    fn parameters_are_validated() {
        assert!(GospaMetric::new(0.5, 10.0, 2.0).is_err());
        assert!(GospaMetric::new(f64::NAN, 10.0, 2.0).is_err());
        assert!(GospaMetric::new(2.0, 0.0, 2.0).is_err());
        assert!(GospaMetric::new(2.0, f64::INFINITY, 2.0).is_err());
        assert!(GospaMetric::new(2.0, 10.0, 0.0).is_err());
        assert!(GospaMetric::new(2.0, 10.0, 2.5).is_err());
        let d = GospaMetric::default();
        assert_eq!((d.p(), d.cutoff_m(), d.alpha()), (2.0, 1000.0, 2.0));
    }

    #[test]
    fn deserialisation_validates_and_rejects_unknown_keys() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, MapDeserializer};
        let de = |kv: Vec<(&'static str, f64)>| {
            let m: MapDeserializer<'_, _, Error> =
                MapDeserializer::new(kv.into_iter().map(|(k, v)| (k, v.into_deserializer())));
            GospaMetric::deserialize(m)
        };
        let g = de(vec![("cutoff_m", 50.0)]).expect("defaults fill in p and alpha");
        assert_eq!((g.p(), g.cutoff_m(), g.alpha()), (2.0, 50.0, 2.0));
        assert!(de(vec![("alpha", 3.0)]).is_err());
        assert!(de(vec![("c", 50.0)]).is_err());
    }

    /// Source: arithmetic mean of the hand example (√15001) and an exact match (0).
    #[test]
    fn mean_over_scans() {
        let g = GospaMetric::new(2.0, 100.0, 2.0).expect("valid");
        let t: &[[f64; 3]] = &TRUTHS;
        let e: &[[f64; 3]] = &ESTIMATES;
        let s = g.mean_over_scans([(t, e), (t, t)]).expect("two scans");
        assert_eq!(s.scans, 2);
        assert!(close(s.mean_distance, 122.478_569_554_024_43 / 2.0, 1e-12));
        let d = s.mean_decomposition.expect("α = 2");
        assert!(close(d.localisation, 0.5, 1e-12));
        assert!(close(d.missed, 2500.0, 1e-12));
        assert!(close(d.false_tracks, 5000.0, 1e-12));
        assert_eq!((s.total_missed, s.total_false), (1, 2));
        assert!(GospaSummary::from_results(&[]).is_none());
    }
}
