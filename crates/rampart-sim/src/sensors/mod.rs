//! Sensors: what the radars see of the truth.

/// A radar's own clock (exact, or the 1991 Patriot legacy clock) and the range gate it places.
pub mod clock;
/// Single-look probability of detection for Swerling 0, 1 and 3 targets.
pub mod detection;
/// Line of sight over a smooth 4/3-Earth.
pub mod horizon;
/// The search radar: coverage, sensitivity, measurements and false alarms of one scan.
pub mod radar;
