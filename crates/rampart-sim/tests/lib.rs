//! Integration tests of rampart-sim: one binary, one module per area.

mod ballistic;
mod aiming;
