//! Deleters: when a track ends.
//!
//! One trait, [`Deleter`]; implementations by algorithm family:
//!
//! - [`missed_scans`] — [`MissedScansDeleter`]: after consecutive missed scans, or once the
//!   position covariance has grown past a bound.

pub mod missed_scans;

pub use missed_scans::MissedScansDeleter;

/// What a deleter may judge a track by, after a scan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackStatus {
    /// Whether it is confirmed (a tentative track is judged when it is confirmed, as if it had
    /// missed no scan).
    pub confirmed: bool,
    /// Scans since birth, the birth scan included.
    pub scans: u32,
    /// Scans in which it was updated, the birth detection included.
    pub hits: u32,
    /// Consecutive scans without an update.
    pub misses: u32,
    /// Trace of its position covariance, m².
    pub position_variance_m2: f64,
}

/// Decides when a confirmed track ends.
pub trait Deleter {
    /// Whether `track` ends now.
    fn deletes(&self, track: &TrackStatus) -> bool;
}
