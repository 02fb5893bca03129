//! Flight physics: the air, gravity, the rotating Earth, drag, integration and trajectories.

/// US Standard Atmosphere 1976 to 86 km, exponential above: exact to the table.
pub mod atmosphere;
/// Drag of a point mass with a Mach-dependent profile; no lift.
pub mod drag;
/// Gravity, rotation, reference surface and air in one model; ECEF with Coriolis and centrifugal.
pub mod earth;
/// Point-mass flight to the ground with apogee and impact found between steps.
pub mod flight;
/// WGS-84 gravity with J2, or a point mass for closed-form checks.
pub mod gravity;
/// The cubic Hermite interpolant of a position over one step.
pub(crate) mod hermite;
/// Dormand–Prince 5(4) adaptive and classical RK4; the physics never sees step sizes.
pub mod integrator;
/// Closed-form Keplerian free flight: the minimum-energy transfer between two radii.
pub mod kepler;
/// Dense trajectories with quintic Hermite interpolation.
pub mod trajectory;
