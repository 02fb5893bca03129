//! Integration tests of rampart-sim: one binary, one module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aiming;
mod atmosphere;
mod ballistic;
mod common;
mod defense;
mod dhahran;
mod engine;
mod feed;
mod golden;
mod guidance;
mod hardening_clock;
mod hardening_solvers;
mod held_scans;
mod interceptor_lost;
mod lower_tier;
mod montecarlo;
mod network;
mod passive;
mod radar;
mod radar_tracker;
mod scenario_defense;
mod scenario_limits;
mod sweep;
mod toy_guidance;
mod toy_sink;
mod toy_wta;
mod trajectory_shape;
mod wta;
