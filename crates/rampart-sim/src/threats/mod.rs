//! Threats: what flies at the defended assets, and how.

/// Ballistic missiles: boost, coast and re-entry, aimed through the full physics.
pub mod ballistic;
