//! Hypothesisers: which detections could belong to which track (gating).

pub mod distance;

pub use distance::*;
