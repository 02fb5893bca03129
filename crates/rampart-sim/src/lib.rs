//! # rampart-sim
//!
//! The simulation: scenarios, flight physics, threats, the discrete-event engine and its events.
//! Truth lives in WGS-84 ECEF; time is exact ([`rampart_core::SimTime`]); every random draw comes
//! from a named stream of [`rampart_core::random::RandomStreams`].

pub mod engine;
pub mod events;
pub mod physics;
pub mod scenario;
pub mod summary;
pub mod threats;
