//! Weapons: interceptor types and their flight, guidance, and the endgame.

pub mod endgame;
pub mod guidance;
pub mod interceptor;
