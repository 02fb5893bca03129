//! What the command's test binaries share: running `rampart` from the repository.

#![allow(dead_code, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository (the tests run the shipped scenarios from it).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `rampart args` in the repository.
pub fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the rampart binary runs")
}

/// Runs `rampart` and checks it succeeded, showing its stderr if not.
pub fn rampart_ok(args: &[&str]) -> Output {
    let out = rampart(args);
    assert!(
        out.status.success(),
        "rampart {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
