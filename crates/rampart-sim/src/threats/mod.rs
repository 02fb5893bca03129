//! Threats: what flies at the defended assets, and how.

/// Cruise missiles, aircraft and drones: routes at altitude with a turn-rate limit and a dive.
pub mod airbreather;
/// Ballistic missiles: boost, coast and re-entry, aimed through the full physics.
pub mod ballistic;
