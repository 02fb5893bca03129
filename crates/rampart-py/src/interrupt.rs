//! Long work off the GIL: Ctrl-C and progress on the calling thread.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use rampart_sim::montecarlo::McOptions;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Runs `work` on a worker thread with the GIL released, while this thread checks every
/// 50 ms for a signal (Ctrl-C: `stop` is set, the work winds down, and the signal's exception
/// is raised) and hands the growth of `done` to `progress`.
pub(crate) fn interruptible<T: Send>(
    py: Python<'_>,
    stop: &AtomicBool,
    done: &AtomicU64,
    progress: Option<&Py<PyAny>>,
    work: impl FnOnce() -> T + Send,
) -> PyResult<T> {
    let mut raised: Option<PyErr> = None;
    let out = py.detach(|| {
        std::thread::scope(|scope| {
            let worker = scope.spawn(work);
            let mut reported = 0;
            let mut poll = || {
                Python::attach(|py| {
                    if raised.is_some() {
                        return;
                    }
                    if let Err(e) = py.check_signals() {
                        stop.store(true, Ordering::Relaxed);
                        raised = Some(e);
                        return;
                    }
                    let now = done.load(Ordering::Relaxed);
                    if let Some(cb) = progress
                        && now > reported
                    {
                        if let Err(e) = cb.call1(py, (now - reported,)) {
                            stop.store(true, Ordering::Relaxed);
                            raised = Some(e);
                        }
                        reported = now;
                    }
                })
            };
            while !worker.is_finished() {
                std::thread::sleep(Duration::from_millis(50));
                poll();
            }
            poll();
            worker.join()
        })
    });
    // A signal (or the progress callback's exception) comes first: the work was told to stop.
    if let Some(e) = raised {
        return Err(e);
    }
    out.map_err(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        PyRuntimeError::new_err(format!("the run failed: {what}"))
    })
}

/// The options of a run of `runs` replications, and their stop flag.
pub(crate) fn options(
    runs: u64,
    threads: Option<usize>,
    until_ci: Option<f64>,
    seed: u64,
) -> (McOptions, &'static AtomicBool) {
    let stop = stop_flag();
    let opts = McOptions {
        runs,
        threads,
        until_ci,
        seed,
        stop: Some(stop),
    };
    (opts, stop)
}

/// A flag for [`McOptions::stop`], which takes a `'static` one (the command line's is set by
/// its signal handler): one byte leaked per run, a price too small to weigh against a lifetime
/// parameter through the Monte Carlo engine.
pub(crate) fn stop_flag() -> &'static AtomicBool {
    Box::leak(Box::new(AtomicBool::new(false)))
}
