//! # rampart-sim
//!
//! The simulation: scenario files, flight physics, threats, the discrete-event engine, its
//! events and the run summary.
//!
//! ## Primer
//!
//! * **Truth** lives in WGS-84 ECEF ([`rampart_core::Ecef`]); every flight is integrated there,
//!   with gravity (J2), the Coriolis and centrifugal terms of the rotating Earth, drag in the 1976
//!   standard atmosphere and the vehicle's own thrust ([`physics`]).
//! * **Time** is exact: integer nanoseconds since the scenario epoch ([`rampart_core::SimTime`]).
//!   Flights are integrated with adaptive steps in seconds-since-launch and their milestones are
//!   placed on the event queue at the nearest nanosecond.
//! * **The engine** ([`engine`]) is a discrete-event scheduler: a launch computes the threat's
//!   whole flight once, keeps it as a dense trajectory, and schedules its milestones. There is no
//!   global time step.
//! * **Events** ([`events`]) are the one record of a run; the [`summary`] is folded from them.
//! * **Randomness** comes only from named streams of [`rampart_core::random::RandomStreams`]: a
//!   threat's aim error and reliability draws depend on the seed, the replication and the
//!   threat's id, nothing else.
//!
//! ## Pitfalls
//!
//! Heights are above the WGS-84 ellipsoid, not mean sea level or terrain: give assets and launch
//! sites ellipsoidal heights. A threat "hits" an asset when its impact lies within the asset's
//! radius; there is no damage model yet.
//!
//! ## Example
//!
//! ```
//! use rampart_sim::engine::{RunOptions, run};
//! use rampart_sim::scenario::parse;
//! use rampart_sim::summary::RunSummary;
//!
//! let text = r#"
//! [scenario]
//! name = "one drone"
//! epoch = 2025-01-01T00:00:00Z
//! duration = "1 h"
//!
//! [[asset]]
//! name = "Depot"
//! position = { lat = 31.0, lon = 35.0 }
//! radius = "200 m"
//!
//! [threat_type.drone]
//! kind = "uas"
//! speed = "180 km/h"
//! altitude = "500 m"
//! max_range = "500 km"
//!
//! [[raid]]
//! threat_type = "drone"
//! launch_site = { lat = 31.5, lon = 35.2 }
//! aim = "Depot"
//! "#;
//! let scenario = parse(text, "example.toml").expect("a valid scenario");
//! let events = run(&scenario, RunOptions::seed(1)).expect("the run");
//! let summary = RunSummary::from_events(&scenario, 1, &events);
//! assert_eq!(summary.totals.launched, 1);
//! assert_eq!(summary.assets[0].hits, 1); // no aim error given, reliability 1
//! ```

#![warn(missing_docs)]

/// Battle management: threat evaluation, engagement planning, weapon-target assignment.
pub mod bmc;
/// The discrete-event engine: the clock, the queue and dispatch to the stages.
pub mod engine;
/// Events, the one record of what happened, serialised as JSON Lines.
pub mod events;
/// Threats from outside the run: a feed of another simulation's entity states.
pub mod feed;
/// Monte Carlo: parallel replications folded into statistics with 95 % confidence intervals.
pub mod montecarlo;
/// The networked defense: links to a fusion node, and its composite tracks.
pub mod network;
/// Passive defense: warning, shelter, evacuation and dispersal, and the expected effect of
/// impacts on the people and aircraft at the assets.
pub mod passive;
/// Flight physics: atmosphere, gravity, rotating Earth, drag, integration, trajectories.
pub mod physics;
/// The guidance laws and WTA solvers a scenario names, by name: the built-in ones and yours.
pub mod registry;
/// Scenario files: TOML format, loader with located errors, and the typed model.
pub mod scenario;
/// Sensors: radar coverage, horizon, detection probability, measurement noise, false alarms.
pub mod sensors;
/// Scoring only: single integrated air picture measures of each radar's and the network's
/// picture against the truth.
pub mod siap;
/// Event sinks: where a run's events go as they happen.
pub mod sink;
/// The stages of the engagement chain: threat flight, sensing, tracking, battle management,
/// weapons flight and seeker, endgame, observation.
pub mod stages;
/// The run summary, folded from the events.
pub mod summary;
/// Threat flight models: ballistic missiles and air-breathing threats.
pub mod threats;
/// Each radar's tracker: IMM over constant-velocity and ballistic motion, from detections only.
pub mod tracking;
/// Interceptors: their flight, flyout tables, guidance and endgame.
pub mod weapons;
/// The World: everything that exists in a run, behind typed handles.
pub mod world;
