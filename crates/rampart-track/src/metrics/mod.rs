//! Metrics: how good a set of tracks is against the truth.
//!
//! Everything here works on plain data — 3-D positions in metres (`[f64; 3]` or
//! `nalgebra::Vector3<f64>`), ids as `u64`, state vectors and covariances — and knows nothing
//! of filters. The per-scan set distances ([`GospaMetric`], [`OspaMetric`]) also yield the
//! truth-to-track assignment that feeds [`ScanAssociation`] and so the continuity counts;
//! [`RmseAccumulator`] and [`nees`] measure accuracy and consistency over associated pairs.
//!
//! Conventions shared by all metrics: a NaN or infinite distance is treated as the cut-off
//! `c`; empty inputs never panic (set distances have defined empty-set values, averages over
//! nothing are `None`).

use thiserror::Error;

mod assignment;
/// Chi-square distribution: CDF and quantile, exact to ~1e-12 via the incomplete gamma function.
pub mod chi_square;
/// Track continuity against truth: id switches, fragmentations, completeness, spuriousness.
pub mod continuity;
/// Position and velocity RMSE; NEES and its chi-square confidence band over Monte Carlo runs.
pub mod errors;
/// Generalised OSPA (GOSPA) with its localisation / missed / false decomposition for α = 2.
pub mod gospa;
/// OSPA with its localisation and cardinality components.
pub mod ospa;

pub use chi_square::{chi_square_cdf, chi_square_quantile};
pub use continuity::{ContinuityAccumulator, ContinuityResult, ScanAssociation, continuity};
pub use errors::{NeesBand, RmseAccumulator, RmseResult, average_nees, nees, nees_band, rmse};
pub use gospa::{GospaDecomposition, GospaMetric, GospaResult, GospaSummary};
pub use ospa::{OspaMetric, OspaResult};

/// x^p, with orders 1 and 2 worked out as written (x·x for p = 2). The metrics are generic
/// and compiled into their callers, where the optimiser may or may not see a constant p; it
/// turns `powf(x, 2.0)` into x·x when it does, and the C library's `pow` can differ from x·x in
/// the last bit, so without this a score's last digit would depend on inlining.
fn pow_p(x: f64, p: f64) -> f64 {
    if p == 2.0 {
        x * x
    } else if p == 1.0 {
        x
    } else {
        x.powf(p)
    }
}

/// x^(1/p), with orders 1 and 2 worked out as written (the square root for p = 2), for the
/// reason of [`pow_p`].
fn root_p(x: f64, p: f64) -> f64 {
    if p == 2.0 {
        x.sqrt()
    } else if p == 1.0 {
        x
    } else {
        x.powf(1.0 / p)
    }
}

/// What went wrong while configuring or computing a metric.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MetricError {
    /// A metric parameter is outside its domain.
    #[error("configuring {metric}: parameter {name} = {value} must be {requirement}")]
    InvalidParameter {
        /// The metric being configured, e.g. "GOSPA".
        metric: &'static str,
        /// The parameter's name, e.g. "p".
        name: &'static str,
        /// The offending value.
        value: f64,
        /// What the value must satisfy, e.g. "≥ 1 and finite".
        requirement: &'static str,
    },
    /// NEES needs a symmetric positive-definite covariance.
    #[error("computing NEES: covariance is not positive definite (Cholesky failed)")]
    NotPositiveDefinite,
    /// NEES input contains NaN or infinity.
    #[error("computing NEES: state, estimate or covariance is not finite")]
    NonFinite,
}
