//! Scenario files: the TOML format, its loader and the typed [`Scenario`].

pub mod model;

pub use model::*;
