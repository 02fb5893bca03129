//! Scenario files: the TOML format, its loader and the typed [`Scenario`].
//!
//! [`load()`] reads a file and [`parse`] checks text; both give a [`Scenario`] in SI units and
//! WGS-84, or a [`ScenarioError`] that names the file, line and column and renders as a snippet.

/// The error of the loader, with its span into the file and a rustc-style rendering.
pub mod error;
/// TOML → checked [`Scenario`]: units, ranges, names, launch times, then reachability.
pub mod load;
/// The typed scenario every engine stage reads.
pub mod model;
/// Setting one numeric value of a scenario file by its path (for sweeps).
pub mod overrides;
mod raw;
/// Warnings: what a scenario says that an analyst would not mean.
pub mod warning;

pub use error::ScenarioError;
pub use load::{load, load_tracker, parse, parse_tracker};
pub use model::*;
pub use warning::{ScenarioWarning, WarningKind};
