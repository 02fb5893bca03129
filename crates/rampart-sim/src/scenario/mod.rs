//! Scenario files: the TOML format, its loader and the typed [`Scenario`].
//!
//! [`load()`] reads a file and [`parse`] checks text; both give a [`Scenario`] in SI units and
//! WGS-84, or a [`ScenarioError`] that names the file, line and column and renders as a snippet.
//! [`load_with`] and [`parse_with`] take the [`Registry`](crate::registry::Registry) of the
//! guidance laws and WTA solvers a file may name.

/// The error of the loader, with its span into the file and a rustc-style rendering.
pub mod error;
/// The keys of each table, documented once: the source of the docs' key tables and the
/// report's parameters.
pub mod keys;
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
pub use load::{load, load_tracker, load_with, parse, parse_tracker, parse_with};
pub use model::*;
pub use warning::{ScenarioWarning, WarningKind};
