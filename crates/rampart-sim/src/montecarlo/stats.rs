//! Statistics for Monte Carlo aggregates: 95 % confidence intervals for probabilities (Wilson
//! score) and means (normal approximation), a streaming mean and variance (Welford), and
//! histograms that stay small however many replications are folded in.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The 97.5 % quantile of the standard normal distribution: a two-sided 95 % interval.
pub const Z95: f64 = 1.959963984540054;

/// A statistic with its 95 % confidence interval and the number of observations behind it
/// (the default: none, all zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Point estimate (a proportion or a sample mean).
    pub mean: f64,
    /// Lower end of the 95 % confidence interval.
    pub ci_low: f64,
    /// Upper end of the 95 % confidence interval.
    pub ci_high: f64,
    /// Number of observations (trials for a probability, samples for a mean).
    pub n: u64,
}

impl Estimate {
    /// Half the width of the confidence interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.ci_high - self.ci_low)
    }
}

/// The Wilson score interval (Wilson 1927) at 95 % for `k` successes in `n` trials:
///
/// centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²),
///
/// with p̂ = k/n and z = [`Z95`]. Unlike the Wald interval it stays inside [0, 1] and does not
/// collapse to a point at k = 0 or k = n. With no trials the estimate is 0 and the interval is
/// the whole of [0, 1].
pub fn wilson(k: u64, n: u64) -> Estimate {
    if n == 0 {
        return Estimate {
            mean: 0.0,
            ci_low: 0.0,
            ci_high: 1.0,
            n: 0,
        };
    }
    let nf = n as f64;
    let p = k.min(n) as f64 / nf;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Estimate {
        mean: p,
        // The interval reaches 0 exactly at k = 0 and 1 at k = n; clamp the rounding.
        ci_low: if k == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        ci_high: if k >= n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
        n,
    }
}

/// A streaming mean and variance (Welford 1962): numerically stable in one pass, constant memory.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one observation.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Sample mean (0 with no observations).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Sample variance with the n − 1 divisor (0 with fewer than two observations).
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// Sample standard deviation (n − 1 divisor).
    pub fn std_dev(&self) -> f64 {
        self.variance().sqrt()
    }

    /// The mean with a 95 % confidence interval by the normal approximation:
    /// mean ± z · s / √n, s the sample standard deviation (n − 1 divisor) and z = [`Z95`].
    /// Good for the many replications of a Monte Carlo run (the central limit theorem); with
    /// fewer than two observations the interval is the point itself.
    pub fn estimate(&self) -> Estimate {
        let half = if self.n < 2 {
            0.0
        } else {
            Z95 * self.std_dev() / (self.n as f64).sqrt()
        };
        Estimate {
            mean: self.mean,
            ci_low: self.mean - half,
            ci_high: self.mean + half,
            n: self.n,
        }
    }
}

/// One bin of a histogram of counts: how many replications had `value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountBin {
    /// The value.
    pub value: u64,
    /// Replications with that value.
    pub count: u64,
}

/// A histogram of non-negative integers: one bin per value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntHistogram {
    counts: Vec<u64>,
}

impl IntHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one observation of `v`.
    pub fn add(&mut self, v: u32) {
        let i = v as usize;
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
    }

    /// Observations of `v`.
    pub fn count(&self, v: u32) -> u64 {
        self.counts.get(v as usize).copied().unwrap_or(0)
    }

    /// Total observations.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The bins from 0 to the largest value seen, empty ones included.
    pub fn bins(&self) -> Vec<CountBin> {
        self.counts
            .iter()
            .enumerate()
            .map(|(v, &count)| CountBin {
                value: v as u64,
                count,
            })
            .collect()
    }
}

/// One bin of a fixed-width histogram: observations x with `lo ≤ x < hi`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RangeBin {
    /// Lower edge, included.
    pub lo: f64,
    /// Upper edge, excluded.
    pub hi: f64,
    /// Observations in the bin.
    pub count: u64,
}

/// A histogram with bins of a fixed width aligned on multiples of it (`[k·w, (k+1)·w)`); only
/// bins that have observations are kept, so its size is bounded by the spread of the data.
#[derive(Clone, Debug, PartialEq)]
pub struct BinnedHistogram {
    width: f64,
    counts: BTreeMap<i64, u64>,
}

impl BinnedHistogram {
    /// An empty histogram with bins `width` wide (must be positive).
    pub fn new(width: f64) -> Self {
        Self {
            width,
            counts: BTreeMap::new(),
        }
    }

    /// Bin width.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Counts one observation (non-finite values are ignored).
    pub fn add(&mut self, x: f64) {
        if x.is_finite() {
            *self
                .counts
                .entry((x / self.width).floor() as i64)
                .or_default() += 1;
        }
    }

    /// Total observations.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The bins that have observations, in increasing order.
    pub fn bins(&self) -> Vec<RangeBin> {
        self.counts
            .iter()
            .map(|(&k, &count)| RangeBin {
                lo: k as f64 * self.width,
                hi: (k + 1) as f64 * self.width,
                count,
            })
            .collect()
    }
}
