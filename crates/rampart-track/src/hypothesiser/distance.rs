//! Chi-square gating with a coarse spatial pre-gate.
//!
//! A detection z is a candidate for a track when its squared Mahalanobis distance
//! d² = νᵀ S⁻¹ ν from the track's predicted measurement is below the gate threshold γ, the
//! `gate_probability` quantile of χ² with M degrees of freedom (BLK §3.7.1;
//! [`crate::metrics::chi_square_quantile`]). Testing every
//! pair costs tracks × detections; the pre-gate first buckets detections in a uniform 3-D
//! grid of their Cartesian positions and offers a track only the detections in the grid cells
//! its gate can reach (a ball of radius √(γ·trace P_pos + noise) around its predicted
//! position), so the cost grows near-linearly with the number of tracks and detections
//! whatever the targets' spread in height.

use super::Hypothesiser;
use super::spatial_index::{SMALL, SpatialIndex};
use crate::models::measurement::MeasurementModel;
use crate::tracker::Track;
use crate::types::{Hypothesis, MeasurementPrediction, Scan, StateLayout};
use nalgebra::{SMatrix, SVector};

/// The squared Mahalanobis distance νᵀ S⁻¹ ν and ln det S, by Cholesky; `None` if S is not
/// positive definite.
pub fn mahalanobis2<const M: usize>(
    nu: &SVector<f64, M>,
    s: &SMatrix<f64, M, M>,
) -> Option<(f64, f64)> {
    let chol = s.cholesky()?;
    let x = chol.solve(nu);
    let ln_det = 2.0 * chol.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
    Some((nu.dot(&x), ln_det))
}

/// The squared Mahalanobis distance νᵀ S⁻¹ ν alone, the same number as [`mahalanobis2`]'s
/// (without ln det S, which costs a logarithm per dimension); `None` if S is not positive
/// definite.
pub(crate) fn mahalanobis2_only<const M: usize>(
    nu: &SVector<f64, M>,
    s: &SMatrix<f64, M, M>,
) -> Option<f64> {
    let chol = CholeskyFactor::new(s)?;
    Some(nu.dot(&chol.solve(*nu)))
}

/// The χ² gate behind the spatial pre-gate (Stone Soup's `DistanceHypothesiser` with a
/// Mahalanobis measure and a gate): a detection is a hypothesis for a track when its squared
/// Mahalanobis distance from the track's predicted measurement is below [`Self::gate`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DistanceHypothesiser {
    gate: f64,
}

impl DistanceHypothesiser {
    /// The gate that holds a target's own detection with probability `gate_probability`,
    /// the χ² quantile with `dimension` (the measurement's) degrees of freedom. The
    /// probability is clamped to [10⁻⁹, 1 − 10⁻¹²].
    pub fn new(gate_probability: f64, dimension: usize) -> Self {
        let p = gate_probability.clamp(1e-9, 1.0 - 1e-12);
        // The quantile exists for every p in (0, 1) and dimension ≥ 1; the fallback is taken
        // only for a dimension of 0.
        let gate =
            crate::metrics::chi_square_quantile(p, dimension as f64).unwrap_or(f64::INFINITY);
        Self { gate }
    }

    /// A gate of `gate` on d² directly.
    pub fn with_gate(gate: f64) -> Self {
        Self { gate }
    }
}

impl<const N: usize, const M: usize> Hypothesiser<N, M> for DistanceHypothesiser {
    fn hypothesise<S, Mm: MeasurementModel<N, M>>(
        &mut self,
        tracks: &[Track<N, S>],
        predicted: &[MeasurementPrediction<N, M>],
        scan: &Scan<'_, M>,
        model: &Mm,
        layout: StateLayout,
    ) -> Vec<Hypothesis> {
        if tracks.is_empty() {
            return Vec::new();
        }
        let detections = scan.detections;
        // Up to `SMALL` detections every track is offered them all, which the index would do
        // anyway: their positions are then not needed (nor converted).
        let pre_gate = (detections.len() > SMALL).then(|| {
            let converted: Vec<_> = (0..detections.len()).map(|j| scan.position(j)).collect();
            let positions: Vec<[f64; 3]> = converted
                .iter()
                .map(|c| c.map_or([f64::NAN; 3], |(p, _)| [p.x, p.y, p.z]))
                .collect();
            let noise = converted
                .iter()
                .flatten()
                .map(|&(_, trace)| trace)
                .fold(0.0, f64::max);
            // Each track's pre-gate ball, its predicted position and radius, read from the
            // tracks in one pass into a short list (past a few thousand tracks the tracks are
            // read from memory, not the cache: a second pass over them cost as much).
            let balls: Vec<([f64; 3], f64)> = tracks
                .iter()
                .map(|tr| {
                    let (x, p) = (&tr.state.state.mean, &tr.state.state.cov);
                    let var: f64 = layout.position.iter().map(|&i| p[(i, i)]).sum();
                    (
                        layout.position.map(|i| x[i]),
                        (self.gate * (var + noise)).sqrt(),
                    )
                })
                .collect();
            // Grid cells the size of the 90th-percentile gate: most tracks then look in 27
            // cells, and the few with much wider gates (long coasts) in more, rather than
            // every track paying for the widest.
            let radii: Vec<f64> = balls.iter().map(|b| b.1).collect();
            let index = SpatialIndex::new(&positions, percentile90(&radii).max(1.0));
            // A detection with no position could be any track's: all are then candidates.
            converted
                .iter()
                .all(Option::is_some)
                .then_some((index, balls))
        });
        let mut candidates = Vec::new();
        let mut pairs = Vec::new();
        for ti in 0..tracks.len() {
            if let Some(Some((index, balls))) = &pre_gate {
                let (centre, radius) = &balls[ti];
                index.near(centre, *radius, &mut candidates);
            } else {
                candidates.clear();
                candidates.extend(0..detections.len());
            }
            if candidates.is_empty() {
                // Most tracks in clutter: nothing to gate, so nothing to factor.
                continue;
            }
            let mp = &predicted[ti];
            // S's Cholesky factor, once for all the track's candidates, and ln det S once
            // one passes (the same numbers as `mahalanobis2` gives for each pair). A track
            // whose S is not positive definite gates nothing.
            let Some(chol) = CholeskyFactor::new(&mp.s) else {
                continue;
            };
            let mut ln_det = None;
            for &j in &candidates {
                let nu = model.residual(&detections[j], &mp.z);
                let d2 = nu.dot(&chol.solve(nu));
                if d2 < self.gate {
                    pairs.push(Hypothesis {
                        track: ti,
                        detection: j,
                        distance2: d2,
                        ln_det_s: *ln_det.get_or_insert_with(|| chol.ln_det()),
                    });
                }
            }
        }
        pairs
    }

    fn gate(&self) -> f64 {
        self.gate
    }
}

/// The Cholesky factor L of a positive definite S = L Lᵀ, with the solve and ln det S that
/// gating needs. It does what nalgebra's `Cholesky::new`, `solve` and `l` do, operation for
/// operation, so its numbers are bit for bit nalgebra's ([`mahalanobis2`]'s; a test checks
/// it); written out so that it is inlined into the gating loop for every track, which the
/// compiler does not reliably do with nalgebra's generic decomposition.
struct CholeskyFactor<const M: usize> {
    /// L in the lower triangle (the upper triangle holds S's entries, unused).
    l: SMatrix<f64, M, M>,
}

impl<const M: usize> CholeskyFactor<M> {
    /// The factor of `s` (its lower triangle read), or `None` if it is not positive definite.
    #[inline]
    fn new(s: &SMatrix<f64, M, M>) -> Option<Self> {
        let mut m = *s;
        for j in 0..M {
            for k in 0..j {
                let factor = -m[(j, k)];
                for i in j..M {
                    m[(i, j)] += factor * m[(i, k)];
                }
            }
            let diag = m[(j, j)];
            // Zero, negative or NaN: not positive definite.
            if diag == 0.0 || diag.is_nan() || diag < 0.0 {
                return None;
            }
            let denom = diag.sqrt();
            m[(j, j)] = denom;
            for i in j + 1..M {
                m[(i, j)] /= denom;
            }
        }
        Some(Self { l: m })
    }

    /// x with S x = b: forward substitution with L, then back substitution with Lᵀ.
    #[inline]
    fn solve(&self, mut b: SVector<f64, M>) -> SVector<f64, M> {
        let l = &self.l;
        for i in 0..M {
            let coeff = b[i] / l[(i, i)];
            b[i] = coeff;
            for r in i + 1..M {
                b[r] += -coeff * l[(r, i)];
            }
        }
        for i in (0..M).rev() {
            let mut dot = 0.0;
            for k in i + 1..M {
                dot += l[(k, i)] * b[k];
            }
            b[i] = (b[i] - dot) / l[(i, i)];
        }
        b
    }

    /// ln det S = 2 Σ ln Lᵢᵢ.
    #[inline]
    fn ln_det(&self) -> f64 {
        2.0 * (0..M).map(|i| self.l[(i, i)].ln()).sum::<f64>()
    }
}

/// The 90th percentile of the finite values (1 if there are none): the size of grid cells
/// that suits most queries.
pub(crate) fn percentile90(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 1.0;
    }
    let k = (v.len() * 9 / 10).min(v.len() - 1);
    *v.select_nth_unstable_by(k, f64::total_cmp).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mahalanobis_of_a_diagonal_covariance() {
        let s = SMatrix::<f64, 3, 3>::from_diagonal(&SVector::<f64, 3>::new(4.0, 9.0, 1.0));
        let (d2, ln_det) = mahalanobis2(&SVector::<f64, 3>::new(2.0, 3.0, 1.0), &s).unwrap();
        assert!((d2 - 3.0).abs() < 1e-12 && (ln_det - 36f64.ln()).abs() < 1e-12);
        assert!(
            mahalanobis2(&SVector::<f64, 3>::zeros(), &SMatrix::<f64, 3, 3>::zeros()).is_none()
        );
    }

    /// The inlined factor gives nalgebra's numbers bit for bit: d² and ln det S of
    /// `mahalanobis2` on 20,000 random covariances (well and badly conditioned, 3 × 3 and
    /// 4 × 4) and innovations, and `None` on the same matrices made indefinite or NaN.
    #[test]
    fn the_inlined_factor_is_nalgebras_bit_for_bit() {
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        fn check<const M: usize>(rng: &mut ChaCha8Rng) {
            let a = SMatrix::<f64, M, M>::from_fn(|_, _| rng.random_range(-1.0..1.0));
            let scale = 10f64.powf(rng.random_range(-3.0..6.0));
            let s = (a * a.transpose()) * scale
                + SMatrix::<f64, M, M>::identity() * rng.random_range(0.0..1e-3);
            let nu = SVector::<f64, M>::from_fn(|_, _| rng.random_range(-1e3..1e3));
            let f = CholeskyFactor::new(&s).expect("positive definite");
            let (d2, ln_det) = mahalanobis2(&nu, &s).expect("positive definite");
            assert_eq!(nu.dot(&f.solve(nu)).to_bits(), d2.to_bits(), "{s}");
            assert_eq!(
                mahalanobis2_only(&nu, &s).map(f64::to_bits),
                Some(d2.to_bits())
            );
            assert_eq!(f.ln_det().to_bits(), ln_det.to_bits(), "{s}");
            let mut bad = s;
            bad[(M - 1, M - 1)] = -bad[(M - 1, M - 1)];
            assert_eq!(
                mahalanobis2_only(&nu, &bad).is_some(),
                mahalanobis2(&nu, &bad).is_some()
            );
            assert_eq!(
                CholeskyFactor::new(&bad).is_some(),
                bad.cholesky().is_some()
            );
            bad[(0, 0)] = f64::NAN;
            assert_eq!(
                CholeskyFactor::new(&bad).is_some(),
                bad.cholesky().is_some()
            );
        }
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        for _ in 0..10_000 {
            check::<3>(&mut rng);
            check::<4>(&mut rng);
        }
    }
}
