//! Deletion after consecutive missed scans, or once the position covariance has grown past a
//! bound (Stone Soup's `UpdateTimeStepsDeleter` and `CovarianceBasedDeleter` in one).

use super::{Deleter, TrackStatus};

/// Deletes a track after `max_misses` consecutive scans without an update, or once the trace
/// of its position covariance exceeds `max_position_variance_m2` (it no longer says where the
/// target is).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MissedScansDeleter {
    /// Consecutive misses that end a track.
    pub max_misses: u32,
    /// Position variance (m², trace) that ends a track.
    pub max_position_variance_m2: f64,
}

impl Deleter for MissedScansDeleter {
    fn deletes(&self, track: &TrackStatus) -> bool {
        self.delete(track.misses, track.position_variance_m2)
    }
}

impl MissedScansDeleter {
    /// Whether a track with `misses` consecutive misses and position variance `var_m2` ends.
    pub fn delete(&self, misses: u32, var_m2: f64) -> bool {
        // NaN compares false: a track whose covariance is not a number is deleted too.
        let bounded = var_m2 <= self.max_position_variance_m2;
        misses >= self.max_misses || !bounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misses_or_growth_end_a_track() {
        let d = MissedScansDeleter {
            max_misses: 3,
            max_position_variance_m2: 1e6,
        };
        assert!(!d.delete(2, 1e5));
        assert!(d.delete(3, 1e5));
        assert!(d.delete(0, 2e6));
        assert!(d.delete(0, f64::NAN));
    }
}
