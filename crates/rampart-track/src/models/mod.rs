//! Motion (transition) and measurement models.

pub mod measurement;
pub mod transition;
