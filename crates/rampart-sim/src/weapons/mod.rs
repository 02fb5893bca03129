//! Weapons: interceptor types and their flight, guidance, and the endgame; counter-rocket,
//! artillery and mortar guns.

pub mod endgame;
pub mod guidance;
pub mod gun;
pub mod interceptor;
