//! Ctrl-C (SIGINT) and SIGTERM during a long command: the first asks it to stop cleanly after
//! the work under way, the second abandons it at once (its half-written files are temporary
//! files that never replace an output).

use anyhow::{Result, anyhow};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);
static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();

/// Installs the handler (once) and returns the flag it sets.
pub fn watch() -> Result<&'static AtomicBool> {
    INSTALLED
        .get_or_init(|| {
            ctrlc::set_handler(|| {
                if STOP.swap(true, Ordering::SeqCst) {
                    eprintln!("\ninterrupted again: abandoning the run; no output was replaced");
                    std::process::exit(130);
                }
                eprintln!(
                    "\nstopping after the replications under way (interrupt again to abandon the run)"
                );
            })
            .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| anyhow!("cannot watch for Ctrl-C: {e}"))?;
    Ok(&STOP)
}

/// The error a command returns once it has stopped cleanly on an interrupt; the process exits
/// with status 130, as a shell reports a command ended by Ctrl-C.
#[derive(Debug)]
pub struct Interrupted(pub String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}
