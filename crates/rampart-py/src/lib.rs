//! `rampart._native`: the simulator and the tracker for the Python package `rampart`.
//!
//! This layer hands plain data across (JSON and CSV text as the command line writes them,
//! little-endian `f64` buffers for numeric tables); the package's Python code turns it into
//! dicts and pandas DataFrames. Everything that takes long runs with the GIL released, on a
//! worker thread, while the calling thread checks for Ctrl-C and reports progress.

mod interrupt;
mod montecarlo;
mod run;
mod scenario;
mod tracking;

pub(crate) use interrupt::{interruptible, options};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The package's version: the workspace's.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `value` as pretty JSON with a closing newline, as the command line writes its files.
pub(crate) fn json_pretty<T: serde::Serialize>(value: &T) -> PyResult<String> {
    Ok(serde_json::to_string_pretty(value).map_err(to_value_error)? + "\n")
}

/// A `ValueError` saying `e`.
pub(crate) fn to_value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add_class::<scenario::NativeScenario>()?;
    m.add_class::<run::NativeRun>()?;
    m.add_class::<montecarlo::NativeMc>()?;
    m.add_class::<montecarlo::NativeSweep>()?;
    m.add_class::<tracking::NativeTracker>()?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add_function(wrap_pyfunction!(montecarlo::mc, m)?)?;
    m.add_function(wrap_pyfunction!(montecarlo::mc_part, m)?)?;
    m.add_function(wrap_pyfunction!(montecarlo::mc_fold, m)?)?;
    m.add_function(wrap_pyfunction!(montecarlo::shard_range, m)?)?;
    m.add_function(wrap_pyfunction!(montecarlo::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(tracking::gospa, m)?)?;
    Ok(())
}
