//! Battle management: threat evaluation from tracks, engagement planning, and weapon-target
//! assignment.

pub mod evaluation;
pub mod planning;
pub mod wta;
