//! Optimal sub-pattern assignment (OSPA).
//!
//! Schuhmacher, Vo & Vo, "A consistent metric for performance evaluation of multi-object
//! filters", IEEE Trans. Signal Processing 56(8), 2008. For X = {x₁ … x_m}, Y = {y₁ … y_n}
//! with m ≤ n (swap otherwise), cut-off c > 0 and order p ≥ 1:
//!
//! ```text
//! OSPA(X, Y) = ( (1/n) · ( min_π Σᵢ min(d(xᵢ, y_π(i)), c)^p  +  c^p · (n − m) ) )^(1/p)
//! ```
//!
//! with OSPA = 0 when both sets are empty and OSPA = c when exactly one is. Its two components
//! (ibid., §IV) are
//!
//! ```text
//! localisation  e_loc  = ( (1/n) · min_π Σᵢ min(d, c)^p )^(1/p)
//! cardinality   e_card = ( (1/n) · c^p · (n − m) )^(1/p)
//! ```
//!
//! so that OSPA^p = e_loc^p + e_card^p and OSPA ≤ c. Unlike GOSPA, OSPA is normalised by the
//! larger cardinality, so it is a per-target average and does not grow with the number of
//! targets; GOSPA with α = 1 is n^(1/p) × OSPA.

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use super::assignment::{CostMatrix, cut_off, euclidean};
use super::{MetricError, pow_p, root_p};

/// OSPA configuration: order `p` and cut-off `c`. Validated on construction and on
/// deserialisation (keys `p`, `cutoff_m`; unknown keys are rejected).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "OspaParams")]
pub struct OspaMetric {
    p: f64,
    cutoff_m: f64,
}

/// The unchecked, deserialised form of [`OspaMetric`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OspaParams {
    #[serde(default = "default_p")]
    p: f64,
    #[serde(default = "default_cutoff_m")]
    cutoff_m: f64,
}

fn default_p() -> f64 {
    2.0
}
fn default_cutoff_m() -> f64 {
    1000.0
}

impl TryFrom<OspaParams> for OspaMetric {
    type Error = MetricError;
    fn try_from(raw: OspaParams) -> Result<Self, MetricError> {
        Self::new(raw.p, raw.cutoff_m)
    }
}

impl Default for OspaMetric {
    /// p = 2, c = 1000 m (the GOSPA defaults, for comparability).
    fn default() -> Self {
        Self {
            p: default_p(),
            cutoff_m: default_cutoff_m(),
        }
    }
}

/// The OSPA distance of one scan, its components, and the assignment that achieves it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OspaResult {
    /// OSPA distance, in metres (units of the base distance); 0 ≤ OSPA ≤ c.
    pub distance: f64,
    /// Localisation component e_loc, in metres.
    pub localisation: f64,
    /// Cardinality component e_card, in metres.
    pub cardinality: f64,
    /// For each truth (by index), the estimate assigned to it, if any; only pairs of the
    /// optimal assignment closer than the cut-off are listed.
    pub assignment: Vec<Option<usize>>,
}

impl OspaMetric {
    /// An OSPA metric of order `p` ≥ 1 and cut-off `cutoff_m` > 0 (metres); both finite.
    pub fn new(p: f64, cutoff_m: f64) -> Result<Self, MetricError> {
        let bad = |name, value, requirement| MetricError::InvalidParameter {
            metric: "OSPA",
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
        Ok(Self { p, cutoff_m })
    }

    /// Order p.
    pub fn p(&self) -> f64 {
        self.p
    }
    /// Cut-off c, in metres.
    pub fn cutoff_m(&self) -> f64 {
        self.cutoff_m
    }

    /// OSPA between truth and estimated 3-D positions (metres), Euclidean base distance.
    pub fn compute<T, E>(&self, truths: &[T], estimates: &[E]) -> OspaResult
    where
        T: Copy + Into<Vector3<f64>>,
        E: Copy + Into<Vector3<f64>>,
    {
        self.compute_with_distance(truths.len(), estimates.len(), |i, j| {
            euclidean(truths[i], estimates[j])
        })
    }

    /// OSPA for any base distance: `distance(i, j)` between truth `i` < `num_truths` and
    /// estimate `j` < `num_estimates`. NaN distances are treated as the cut-off.
    pub fn compute_with_distance(
        &self,
        num_truths: usize,
        num_estimates: usize,
        distance: impl Fn(usize, usize) -> f64,
    ) -> OspaResult {
        let (p, c) = (self.p, self.cutoff_m);
        let n = num_truths.max(num_estimates);
        if n == 0 {
            return OspaResult {
                distance: 0.0,
                localisation: 0.0,
                cardinality: 0.0,
                assignment: Vec::new(),
            };
        }
        let cut = CostMatrix::from_fn(num_truths, num_estimates, |i, j| cut_off(distance(i, j), c));
        let cost = CostMatrix {
            data: cut.data.iter().map(|d| pow_p(*d, p)).collect(),
            ..cut
        };
        let optimal = cost.solve();
        let mut loc_sum = 0.0;
        let mut assignment = vec![None; num_truths];
        for (i, j) in optimal.iter().enumerate() {
            if let Some(j) = *j {
                loc_sum += cost.data[i * num_estimates + j];
                if cut.data[i * num_estimates + j] < c {
                    assignment[i] = Some(j);
                }
            }
        }
        let n_f = n as f64;
        let loc_p = loc_sum / n_f;
        let card_p = pow_p(c, p) * num_truths.abs_diff(num_estimates) as f64 / n_f;
        // Clamp: rounding must never push OSPA above its bound c.
        OspaResult {
            distance: root_p(loc_p + card_p, p).min(c),
            localisation: root_p(loc_p, p).min(c),
            cardinality: root_p(card_p, p).min(c),
            assignment,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::GospaMetric;
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
                    0.0,
                ]
            })
            .collect()
    }

    const TRUTHS: [[f64; 3]; 2] = [[0.0, 0.0, 0.0], [10.0, 0.0, 0.0]];
    const ESTIMATES: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [500.0, 0.0, 0.0], [2000.0, 0.0, 0.0]];

    /// Source: hand computation from Schuhmacher et al. 2008, eq. (3), c = 100, p = 2.
    /// m = 2, n = 3. min_π Σ min(d, c)² = 1 (x₁→y₁) + 10⁴ (x₂ cut off) = 10001.
    /// e_loc² = 10001/3, e_card² = 10⁴ · 1/3, OSPA² = 20001/3.
    /// X-Val (Python math.sqrt): OSPA = 81.65169930871004, e_loc = 57.73791359814335,
    /// e_card = 57.735026918962575.
    #[test]
    fn hand_example_c100_p2() {
        let o = OspaMetric::new(2.0, 100.0).expect("valid");
        let r = o.compute(&TRUTHS, &ESTIMATES);
        assert!(close(r.distance, 81.651_699_308_710_04, 1e-12));
        assert!(close(r.localisation, 57.737_913_598_143_35, 1e-12));
        assert!(close(r.cardinality, 57.735_026_918_962_575, 1e-12));
        assert_eq!(r.assignment, vec![Some(0), None]);
    }

    /// Source: Schuhmacher et al. 2008, §III: OSPA is a metric bounded by c; and
    /// Rahmathullah et al. 2017, §III: GOSPA with α = 1 is the unnormalised OSPA,
    /// GOSPA^p = max(m, n) · OSPA^p.
    #[test]
    fn axioms_bound_and_gospa_alpha1_link() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let c = 40.0;
        let o = OspaMetric::new(2.0, c).expect("valid");
        let g = GospaMetric::new(2.0, c, 1.0).expect("valid");
        for _ in 0..300 {
            let x = random_set(&mut rng, 6);
            let y = random_set(&mut rng, 6);
            let z = random_set(&mut rng, 6);
            let xy = o.compute(&x, &y);
            assert!(xy.distance <= c && xy.distance >= 0.0);
            assert!(close(xy.distance, o.compute(&y, &x).distance, 1e-10));
            assert_eq!(o.compute(&x, &x).distance, 0.0);
            let xz = o.compute(&x, &z).distance;
            let yz = o.compute(&y, &z).distance;
            assert!(xz <= xy.distance + yz + 1e-9, "triangle inequality");
            assert!(close(
                xy.distance.powi(2),
                xy.localisation.powi(2) + xy.cardinality.powi(2),
                1e-10
            ));
            let n = x.len().max(y.len()) as f64;
            let gospa = g.compute(&x, &y).distance;
            assert!(close(gospa.powi(2), n * xy.distance.powi(2), 1e-10));
        }
    }

    /// Source: Schuhmacher et al. 2008, eq. (3) conventions: both empty → 0, one empty → c.
    #[test]
    fn empty_sets() {
        let o = OspaMetric::new(2.0, 100.0).expect("valid");
        let none: [[f64; 3]; 0] = [];
        assert_eq!(o.compute(&none, &none).distance, 0.0);
        let r = o.compute(&none, &ESTIMATES);
        assert!(close(r.distance, 100.0, 1e-12));
        assert!(close(r.cardinality, 100.0, 1e-12));
        assert_eq!(r.localisation, 0.0);
        assert!(close(o.compute(&TRUTHS, &none).distance, 100.0, 1e-12));
    }

    /// Source: the module's NaN convention (NaN distance = c): every pair cut off → OSPA = c.
    #[test]
    fn nan_is_cut_off() {
        let o = OspaMetric::new(1.0, 100.0).expect("valid");
        let r = o.compute(&[[f64::NAN; 3]], &[[0.0; 3], [1.0; 3]]);
        assert!(close(r.distance, 100.0, 1e-12));
        assert_eq!(r.assignment, vec![None]);
    }

    #[test]
    fn parameters_are_validated() {
        assert!(OspaMetric::new(0.9, 1.0).is_err());
        assert!(OspaMetric::new(1.0, -1.0).is_err());
        assert!(OspaMetric::new(1.0, f64::NAN).is_err());
        let d = OspaMetric::default();
        assert_eq!((d.p(), d.cutoff_m()), (2.0, 1000.0));
    }
}
