//! # rampart-track
//!
//! A multi-target tracking library that knows nothing of missiles or scenarios: motion and
//! measurement models, Kalman-family filters, gating, assignment, probabilistic data
//! association, track initiation and deletion, and metrics. It follows Stone Soup's
//! vocabulary — one module per role (`predictor`, `updater`, `hypothesiser`, `associator`,
//! `initiator`, `deleter`, `metrics`), types named algorithm + role — with static dispatch and
//! fixed-size `nalgebra` matrices on the hot path.
//!
//! See `docs/tracking.md` for the roles, file formats and validation; `rampart-sim` runs one
//! IMM tracker per radar on it.

#![warn(missing_docs)]

/// Which detection updates which track: global nearest neighbour and JPDA.
pub mod associator;
pub mod cartesian;
/// The tracker's configuration file, shared by `rampart track` and a scenario's radars.
pub mod config;
/// When a track ends: after missed scans or an unbounded covariance.
pub mod deleter;
/// What a tracker needs of a filter: Kalman-family or IMM.
pub mod filter;
/// Gating: which detections could belong to which track.
pub mod hypothesiser;
/// New tracks from detections no track claimed.
pub mod initiator;
/// CSV input and output.
pub mod io;
/// How good a set of tracks is: GOSPA, OSPA, RMSE, NEES, continuity.
pub mod metrics;
/// Motion and measurement models.
pub mod models;
/// Kalman, extended and unscented predictors, and the IMM.
pub mod predictor;
/// The tracker: predict, gate, associate, update, initiate, confirm, delete.
pub mod tracker;
/// Gaussian states, detections and measurement predictions.
pub mod types;
/// Kalman (Joseph form), extended and unscented updaters.
pub mod updater;
