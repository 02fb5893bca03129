//! Initiators: new tracks from unassociated detections, confirmed by M-of-N logic.

pub mod mofn;

pub use mofn::*;
