//! What several test modules share: the shipped scenarios.

use rampart_sim::scenario::{Scenario, load};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The path of the shipped scenario `scenarios/<stem>.toml`.
pub fn shipped_path(stem: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{stem}.toml"))
}

/// The shipped scenario `scenarios/<stem>.toml`, loaded (its rendered error on failure).
pub fn shipped(stem: &str) -> Scenario {
    load(&shipped_path(stem)).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// `al-asad-2020-defended`, loaded once for the whole test binary.
pub fn defended() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| shipped("al-asad-2020-defended"))
}
