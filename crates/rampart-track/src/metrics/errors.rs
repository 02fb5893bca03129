//! Accuracy and consistency: RMSE over associated (truth, track) pairs, and the normalised
//! estimation error squared (NEES) with its chi-square confidence band.
//!
//! RMSE = √( (1/N) Σ ‖x − x̂‖² ) over N associated pairs (positions in metres, velocities in
//! m/s). Which pairs are associated is the caller's choice;
//! [`crate::metrics::GospaResult::assigned_pairs`] gives the GOSPA assignment.
//!
//! NEES ε = (x − x̂)ᵀ P⁻¹ (x − x̂) for a true state x, estimate x̂ and covariance P of dimension
//! n. If the filter is consistent, ε ~ χ²_n, and the average over K independent Monte Carlo
//! runs, ε̄ = (1/K) Σ εᵢ, satisfies K ε̄ ~ χ²_{nK}; the two-sided 1 − α acceptance region is
//!
//! ```text
//! [ χ²_{nK}(α/2) / K ,  χ²_{nK}(1 − α/2) / K ]
//! ```
//!
//! (Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to Tracking and Navigation*,
//! Wiley 2001, §5.4.2).

use nalgebra::{Cholesky, SMatrix, SVector, Vector3};
use serde::Serialize;

use super::MetricError;
use super::chi_square::chi_square_quantile;

/// Root-mean-square error over (truth, estimate) pairs of 3-vectors — positions (metres) or
/// velocities (m/s). Pairs whose error is not finite are skipped (use [`RmseAccumulator`] to
/// count them); `None` when no finite pair remains.
pub fn rmse<T, E>(pairs: impl IntoIterator<Item = (T, E)>) -> Option<f64>
where
    T: Into<Vector3<f64>>,
    E: Into<Vector3<f64>>,
{
    let mut acc = RmseAccumulator::default();
    for (t, e) in pairs {
        acc.add_position(t, e);
    }
    acc.position_rmse()
}

/// Running sums for position and velocity RMSE, to be fed pair by pair over scans and runs.
/// Pairs with a non-finite error are not summed but counted.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RmseAccumulator {
    position_sq_sum: f64,
    position_pairs: usize,
    velocity_sq_sum: f64,
    velocity_pairs: usize,
    non_finite_pairs: usize,
}

/// Position and velocity RMSE with the number of pairs behind each.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RmseResult {
    /// Position RMSE, in metres; `None` with no position pairs.
    pub position_m: Option<f64>,
    /// Velocity RMSE, in m/s; `None` with no velocity pairs.
    pub velocity_mps: Option<f64>,
    /// Number of position pairs summed.
    pub position_pairs: usize,
    /// Number of velocity pairs summed.
    pub velocity_pairs: usize,
    /// Number of pairs skipped because their error was NaN or infinite.
    pub non_finite_pairs: usize,
}

impl RmseAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    fn squared_error(&mut self, t: Vector3<f64>, e: Vector3<f64>) -> Option<f64> {
        let sq = (t - e).norm_squared();
        if sq.is_finite() {
            Some(sq)
        } else {
            self.non_finite_pairs += 1;
            None
        }
    }

    /// Adds a (true, estimated) position pair, in metres.
    pub fn add_position(
        &mut self,
        truth: impl Into<Vector3<f64>>,
        estimate: impl Into<Vector3<f64>>,
    ) {
        if let Some(sq) = self.squared_error(truth.into(), estimate.into()) {
            self.position_sq_sum += sq;
            self.position_pairs += 1;
        }
    }

    /// Adds a (true, estimated) velocity pair, in m/s.
    pub fn add_velocity(
        &mut self,
        truth: impl Into<Vector3<f64>>,
        estimate: impl Into<Vector3<f64>>,
    ) {
        if let Some(sq) = self.squared_error(truth.into(), estimate.into()) {
            self.velocity_sq_sum += sq;
            self.velocity_pairs += 1;
        }
    }

    /// Adds the sums of another accumulator (e.g. from another Monte Carlo run).
    pub fn merge(&mut self, other: &Self) {
        self.position_sq_sum += other.position_sq_sum;
        self.position_pairs += other.position_pairs;
        self.velocity_sq_sum += other.velocity_sq_sum;
        self.velocity_pairs += other.velocity_pairs;
        self.non_finite_pairs += other.non_finite_pairs;
    }

    /// Position RMSE in metres; `None` with no pairs.
    pub fn position_rmse(&self) -> Option<f64> {
        (self.position_pairs > 0)
            .then(|| (self.position_sq_sum / self.position_pairs as f64).sqrt())
    }

    /// Velocity RMSE in m/s; `None` with no pairs.
    pub fn velocity_rmse(&self) -> Option<f64> {
        (self.velocity_pairs > 0)
            .then(|| (self.velocity_sq_sum / self.velocity_pairs as f64).sqrt())
    }

    /// Both RMSEs and the pair counts.
    pub fn result(&self) -> RmseResult {
        RmseResult {
            position_m: self.position_rmse(),
            velocity_mps: self.velocity_rmse(),
            position_pairs: self.position_pairs,
            velocity_pairs: self.velocity_pairs,
            non_finite_pairs: self.non_finite_pairs,
        }
    }
}

/// NEES ε = (x − x̂)ᵀ P⁻¹ (x − x̂) of a true state `truth`, estimate `estimate` and covariance
/// `covariance` (symmetrised, then Cholesky-factorised; P⁻¹ is never formed).
pub fn nees<const N: usize>(
    truth: &SVector<f64, N>,
    estimate: &SVector<f64, N>,
    covariance: &SMatrix<f64, N, N>,
) -> Result<f64, MetricError> {
    let error = truth - estimate;
    if !error.iter().chain(covariance.iter()).all(|v| v.is_finite()) {
        return Err(MetricError::NonFinite);
    }
    let p = (covariance + covariance.transpose()) * 0.5;
    let chol = Cholesky::new(p).ok_or(MetricError::NotPositiveDefinite)?;
    // ε = ‖L⁻¹ e‖² with P = L Lᵀ.
    let w = chol
        .l_dirty()
        .solve_lower_triangular(&error)
        .ok_or(MetricError::NotPositiveDefinite)?;
    Ok(w.norm_squared())
}

/// Average NEES ε̄ over runs (or scans); `None` when `values` is empty.
pub fn average_nees(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Two-sided acceptance region for the average NEES over K runs of an n-dimensional state.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NeesBand {
    /// χ²_{nK}(α/2) / K.
    pub lower: f64,
    /// χ²_{nK}(1 − α/2) / K.
    pub upper: f64,
    /// State dimension n.
    pub dim: usize,
    /// Number of runs K.
    pub runs: usize,
    /// Significance level α (0.05 for a 95 % band).
    pub significance: f64,
}

impl NeesBand {
    /// Whether an average NEES lies inside the band (NaN never does).
    pub fn contains(&self, average_nees: f64) -> bool {
        (self.lower..=self.upper).contains(&average_nees)
    }
}

/// The band [χ²_{nK}(α/2)/K, χ²_{nK}(1 − α/2)/K] (BLK §5.4.2) for state dimension `dim` = n ≥ 1,
/// `runs` = K ≥ 1 and `significance` = α ∈ (0, 1).
pub fn nees_band(dim: usize, runs: usize, significance: f64) -> Result<NeesBand, MetricError> {
    let bad = |name, value, requirement| MetricError::InvalidParameter {
        metric: "NEES band",
        name,
        value,
        requirement,
    };
    if dim == 0 {
        return Err(bad("dim", 0.0, "≥ 1"));
    }
    if runs == 0 {
        return Err(bad("runs", 0.0, "≥ 1"));
    }
    if !(significance > 0.0 && significance < 1.0) {
        return Err(bad("significance", significance, "in (0, 1)"));
    }
    let dof = (dim * runs) as f64;
    let k = runs as f64;
    Ok(NeesBand {
        lower: chi_square_quantile(significance / 2.0, dof)? / k,
        upper: chi_square_quantile(1.0 - significance / 2.0, dof)? / k,
        dim,
        runs,
        significance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{Matrix2, Matrix3, Vector2};
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    /// Source: hand computation. Errors (3,4,0) and (0,0,0): RMSE = √((25 + 0)/2) = √12.5.
    #[test]
    fn rmse_by_hand() {
        let pairs = [
            ([3.0, 4.0, 0.0], [0.0, 0.0, 0.0]),
            ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0]),
        ];
        let r = rmse(pairs).expect("two pairs");
        assert!((r - 12.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(rmse(Vec::<([f64; 3], [f64; 3])>::new()), None);
    }

    /// Source: hand computation. Position errors 3 and NaN (skipped); velocity errors 1 and 0:
    /// position RMSE 3, velocity RMSE √(1/2).
    #[test]
    fn accumulator_counts_and_skips_non_finite() {
        let mut a = RmseAccumulator::new();
        a.add_position([3.0, 0.0, 0.0], [0.0, 0.0, 0.0]);
        a.add_position([f64::NAN, 0.0, 0.0], [0.0, 0.0, 0.0]);
        let mut b = RmseAccumulator::new();
        b.add_velocity(Vector3::new(1.0, 0.0, 0.0), Vector3::zeros());
        b.add_velocity([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]);
        a.merge(&b);
        let r = a.result();
        assert_eq!(r.position_m, Some(3.0));
        assert!((r.velocity_mps.expect("two pairs") - 0.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(
            (r.position_pairs, r.velocity_pairs, r.non_finite_pairs),
            (1, 2, 1)
        );
        assert_eq!(RmseAccumulator::new().result().position_m, None);
    }

    /// Source: hand computation. P = diag(1, 4), e = (1, 2): ε = 1 + 4/4 = 2.
    /// P = [[2, 1], [1, 2]], e = (1, 0): P⁻¹ = ⅓[[2, −1], [−1, 2]], ε = 2/3.
    #[test]
    fn nees_by_hand() {
        let zero = Vector2::zeros();
        let e = nees(
            &Vector2::new(1.0, 2.0),
            &zero,
            &Matrix2::new(1.0, 0.0, 0.0, 4.0),
        );
        assert!((e.expect("SPD") - 2.0).abs() < 1e-12);
        let e = nees(
            &Vector2::new(1.0, 0.0),
            &zero,
            &Matrix2::new(2.0, 1.0, 1.0, 2.0),
        );
        assert!((e.expect("SPD") - 2.0 / 3.0).abs() < 1e-12);
        let singular = Matrix2::new(1.0, 1.0, 1.0, 1.0);
        assert_eq!(
            nees(&zero, &zero, &singular),
            Err(MetricError::NotPositiveDefinite)
        );
        let nan = Vector2::new(f64::NAN, 0.0);
        assert_eq!(
            nees(&nan, &zero, &Matrix2::identity()),
            Err(MetricError::NonFinite)
        );
    }

    /// Source: BLK §5.4.2 example (n = 2, K = 50, 95 %): [74.22/50, 129.56/50] ≈ [1.5, 2.6].
    /// X-Val: scipy.stats.chi2.ppf(0.025, 100)/50 = 1.4844385494984746,
    /// chi2.ppf(0.975, 100)/50 = 2.5912239437167317.
    #[test]
    fn band_matches_blk_example() {
        let b = nees_band(2, 50, 0.05).expect("valid");
        assert!((b.lower - 1.484_438_549_498_474_6).abs() < 1e-10);
        assert!((b.upper - 2.591_223_943_716_731_7).abs() < 1e-10);
        assert!(b.contains(2.0) && !b.contains(2.7) && !b.contains(f64::NAN));
        assert!(nees_band(0, 50, 0.05).is_err());
        assert!(nees_band(2, 0, 0.05).is_err());
        assert!(nees_band(2, 50, 1.0).is_err());
    }

    /// Source: BLK §5.4.2: for x ~ N(x̂, P), ε ~ χ²₃, so the mean of K = 1000 NEES values lies in
    /// [χ²₃₀₀₀(0.025), χ²₃₀₀₀(0.975)]/1000 = [2.8501, 3.1537] (scipy) with probability 0.95;
    /// the seed is fixed, so this is deterministic. An estimator that reports P/2 instead of P
    /// has mean NEES ≈ 6 and must fall outside.
    #[test]
    fn nees_of_gaussian_sample_averages_to_n() {
        let p = Matrix3::new(4.0, 1.0, 0.5, 1.0, 2.0, 0.3, 0.5, 0.3, 1.0);
        let l = Cholesky::new(p).expect("SPD").l();
        let x_hat = Vector3::new(100.0, -50.0, 10.0);
        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let mut honest = Vec::new();
        let mut overconfident = Vec::new();
        for _ in 0..1000 {
            let z = Vector3::from_fn(|_, _| StandardNormal.sample(&mut rng));
            let x = x_hat + l * z;
            honest.push(nees(&x, &x_hat, &p).expect("SPD"));
            overconfident.push(nees(&x, &x_hat, &(p * 0.5)).expect("SPD"));
        }
        let band = nees_band(3, 1000, 0.05).expect("valid");
        assert!((band.lower - 2.850_084_936_519_792_7).abs() < 1e-9);
        assert!((band.upper - 3.153_703_493_598_981_4).abs() < 1e-9);
        let mean = average_nees(&honest).expect("1000 values");
        assert!(band.contains(mean), "mean NEES {mean} outside {band:?}");
        let mean = average_nees(&overconfident).expect("1000 values");
        assert!(
            !band.contains(mean),
            "overconfident mean NEES {mean} inside band"
        );
        assert_eq!(average_nees(&[]), None);
    }
}
