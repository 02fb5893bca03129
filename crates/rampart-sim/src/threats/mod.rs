//! Threats: what flies at the defended assets, and how.

/// Cruise missiles, aircraft and drones: routes at altitude with a turn-rate limit and a dive.
pub mod airbreather;
/// Ballistic missiles: boost, coast and re-entry, aimed through the full physics.
pub mod ballistic;
/// What happens at a launch: the aim error, the flight through the full physics, and the
/// reliability draw.
pub mod flight_plan;
/// Rockets, artillery and mortars: unguided projectiles laid on an aim point.
pub mod projectile;
