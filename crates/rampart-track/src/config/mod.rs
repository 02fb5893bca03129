//! The tracker's configuration: one format for `rampart track --config tracker.toml` and for a
//! radar's `[radar.tracker]` table in a scenario — the same tables, keys and units.
//!
//! - [`TrackerConfig`] (`file`) is the file as TOML gives it: every table and key optional,
//!   each value with its place in the file, unknown keys refused.
//! - [`TrackerConfig::resolve`] (`read`) reads each value through a [`SettingReader`] — the
//!   scenario loader's, so quantities carry units (`"4 km/s"`) and every refused value is
//!   named by file, line and column — and checks the keys that depend on one another.
//! - [`TrackerSettings`] (`settings`) is the checked result in SI units; its [`Default`] is
//!   the simulator's radar tracker. It gives the tracker's [`TrackerParams`] and, for the
//!   `imm` model, the filter and its prior.
//!
//! The key table (units, defaults, allowed values) is in docs/tracking.md.
//!
//! [`TrackerParams`]: crate::tracker::TrackerParams

mod file;
mod read;
mod settings;

pub use file::{
    AssociationConfig, DeletionConfig, DetectionConfig, InitiationConfig, MeasurementConfig,
    MetricsConfig, MotionConfig, Setting, TrackerConfig,
};
pub use read::{Host, Key, SettingReader};
pub use settings::*;
