//! Integration tests of rampart-track.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod roles;
mod tracker;
