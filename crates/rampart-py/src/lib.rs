//! `rampart._native`: the simulator and the tracker for the Python package `rampart`.
//!
//! This layer hands plain data across (JSON and CSV text as the command line writes them,
//! little-endian `f64` buffers for numeric tables); the package's Python code turns it into
//! dicts and pandas DataFrames. Everything that takes long runs with the GIL released, on a
//! worker thread, while the calling thread checks for Ctrl-C and reports progress.

use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rampart_core::SimDuration;
use rampart_report::{Extras, Origin, REPORT_IMPACTS, ReportKind, Trace};
use rampart_sim::engine::{RunOptions, run as run_engine};
use rampart_sim::events::Event;
use rampart_sim::montecarlo::sweep::{Axis, SweepError, SweepResult, run_sweep};
use rampart_sim::montecarlo::{
    ImpactRecord, McError, McOptions, McResult, Replication, fold, run_range_with,
};
use rampart_sim::scenario::{Scenario, ScenarioError, parse, parse_tracker};
use rampart_sim::summary::RunSummary;
use rampart_track::cartesian::{CartesianTracker, Scorer};
use rampart_track::config::Host;
use rampart_track::io::{TrackRow, TruthRow};
use rampart_track::metrics::GospaMetric;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// The package's version: the workspace's.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `rampart.errors.ScenarioError` for a loader's error: message, file, line, column and the
/// rendered text with its snippet.
fn scenario_error(py: Python<'_>, e: &ScenarioError) -> PyErr {
    scenario_error_at(py, e, None)
}

/// [`scenario_error`], saying where in a sweep's grid it happened (`at`: `path=value, …`).
fn scenario_error_at(py: Python<'_>, e: &ScenarioError, at: Option<&str>) -> PyErr {
    let (line, column) = e
        .line_col()
        .map_or((None, None), |(l, c)| (Some(l), Some(c)));
    let (message, rendered) = match at {
        None => (e.message().to_owned(), e.render()),
        Some(point) => (
            format!("with {point}: {}", e.message()),
            format!("{}\nthe scenario does not load with {point}", e.render()),
        ),
    };
    let made = py
        .import("rampart.errors")
        .and_then(|m| m.getattr("ScenarioError"))
        .and_then(|cls| cls.call1((message, e.file(), line, column, rendered)));
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// A scenario as loaded: its text (what runs), the name its errors give, and the checked model.
#[pyclass(module = "rampart._native", frozen)]
struct NativeScenario {
    text: String,
    file: String,
    scenario: Scenario,
}

#[pymethods]
impl NativeScenario {
    /// Checks scenario text `text` from `file` with the `KEY=VALUE` settings `sets` applied
    /// (the key paths of `sweep --vary`), as `rampart mc FILE --set …` loads it.
    #[staticmethod]
    #[pyo3(signature = (text, file, sets=Vec::new()))]
    fn parse(py: Python<'_>, text: &str, file: &str, sets: Vec<String>) -> PyResult<Self> {
        let (text, label) = if sets.is_empty() {
            (text.to_owned(), file.to_owned())
        } else {
            let text = rampart_sim::scenario::overrides::apply_sets(text, &sets)
                .map_err(|e| PyValueError::new_err(format!("set {e}")))?;
            (text, format!("{file} (with {})", sets.join(", ")))
        };
        let scenario = parse(&text, &label).map_err(|e| scenario_error(py, &e))?;
        Ok(Self {
            text,
            file: file.to_owned(),
            scenario,
        })
    }

    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    #[getter]
    fn file(&self) -> &str {
        &self.file
    }

    #[getter]
    fn name(&self) -> &str {
        &self.scenario.name
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.scenario.seed
    }

    /// The loader's warnings, each rendered with its snippet.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.scenario
            .warnings
            .iter()
            .map(|w| w.rendered.clone())
            .collect()
    }

    /// Every key path holding a number or a quantity, with its value as written.
    fn keys(&self) -> PyResult<Vec<(String, String)>> {
        let doc: toml::Table = toml::from_str(&self.text)
            .map_err(|e| PyValueError::new_err(format!("{}: {e}", self.file)))?;
        Ok(rampart_sim::scenario::overrides::numeric_paths(&doc))
    }
}

/// One replication's events and summary.
#[pyclass(module = "rampart._native", frozen)]
struct NativeRun {
    scenario: Py<NativeScenario>,
    seed: u64,
    replication: u64,
    log_detections: bool,
    events: Vec<Event>,
    summary: RunSummary,
}

#[pymethods]
impl NativeRun {
    /// `summary.json` as `rampart run` writes it.
    fn summary_json(&self) -> PyResult<String> {
        json_pretty(&self.summary)
    }

    /// `events.jsonl` as `rampart run` writes it (sensing events only with `log_detections`).
    fn events_jsonl(&self) -> PyResult<String> {
        let mut out = String::new();
        for e in &self.events {
            if !self.log_detections && e.kind.is_sensing() {
                continue;
            }
            out.push_str(&serde_json::to_string(e).map_err(to_value_error)?);
            out.push('\n');
        }
        Ok(out)
    }

    /// `report.html` of this run, recording `command` as what made it.
    fn report_html(&self, py: Python<'_>, command: &str) -> String {
        let s = self.scenario.get();
        let trace = Trace::from_events(&self.events);
        let origin = Origin {
            kind: ReportKind::Run,
            command,
            version: VERSION,
            scenario_file: &s.file,
            seed: self.seed,
            replication: self.replication,
        };
        py.detach(|| {
            rampart_report::render_sample(
                &origin,
                &s.scenario,
                (&self.events, &trace),
                Extras::default(),
            )
        })
    }
}

/// Runs one replication.
#[pyfunction]
#[pyo3(signature = (scenario, seed, replication, state_interval_s, log_detections))]
fn run(
    py: Python<'_>,
    scenario: Py<NativeScenario>,
    seed: u64,
    replication: u64,
    state_interval_s: f64,
    log_detections: bool,
) -> PyResult<NativeRun> {
    let interval = state_interval(state_interval_s)?;
    let s = scenario.get();
    let opts = RunOptions {
        replication,
        false_alarm_events: log_detections,
        track_events: log_detections,
        state_interval: Some(interval),
        ..RunOptions::seed(seed)
    };
    let events = py
        .detach(|| run_engine(&s.scenario, opts))
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    let summary = RunSummary::from_events(&s.scenario, seed, &events);
    Ok(NativeRun {
        scenario,
        seed,
        replication,
        log_detections,
        events,
        summary,
    })
}

fn state_interval(seconds: f64) -> PyResult<SimDuration> {
    SimDuration::from_secs_f64(seconds)
        .filter(|_| (0.001..=86_400.0).contains(&seconds))
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "state_interval must be between 0.001 s and 86400 s (a day), not {seconds}"
            ))
        })
}

fn json_pretty<T: serde::Serialize>(value: &T) -> PyResult<String> {
    Ok(serde_json::to_string_pretty(value).map_err(to_value_error)? + "\n")
}

fn to_value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// Runs `work` on a worker thread with the GIL released, while this thread checks every
/// 50 ms for a signal (Ctrl-C: `stop` is set, the work winds down, and the signal's exception
/// is raised) and hands the growth of `done` to `progress`.
fn interruptible<T: Send>(
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
fn options(
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
fn stop_flag() -> &'static AtomicBool {
    Box::leak(Box::new(AtomicBool::new(false)))
}

/// A Monte Carlo run's tables, as `rampart mc` writes them.
struct Tables {
    replications: csv::Writer<Vec<u8>>,
    impacts: csv::Writer<Vec<u8>>,
    report_impacts: Vec<ImpactRecord>,
}

impl Tables {
    fn new(scenario: &Scenario) -> PyResult<Self> {
        let mut replications = csv::Writer::from_writer(Vec::new());
        replications
            .write_record(Replication::csv_header(scenario))
            .map_err(to_value_error)?;
        Ok(Self {
            replications,
            impacts: csv::Writer::from_writer(Vec::new()),
            report_impacts: Vec::new(),
        })
    }

    fn add(&mut self, r: &Replication) -> std::io::Result<()> {
        self.replications
            .write_record(r.csv_row())
            .map_err(std::io::Error::other)?;
        for i in &r.impacts {
            self.impacts.serialize(i).map_err(std::io::Error::other)?;
            if self.report_impacts.len() < REPORT_IMPACTS {
                self.report_impacts.push(i.clone());
            }
        }
        Ok(())
    }
}

/// A Monte Carlo run's statistics and tables.
#[pyclass(module = "rampart._native", frozen)]
struct NativeMc {
    scenario: Py<NativeScenario>,
    seed: u64,
    result: McResult,
    replications_csv: Vec<u8>,
    impacts_csv: Vec<u8>,
    report_impacts: Vec<ImpactRecord>,
}

impl NativeMc {
    fn new(
        scenario: Py<NativeScenario>,
        seed: u64,
        result: McResult,
        tables: Tables,
    ) -> PyResult<Self> {
        let finish = |w: csv::Writer<Vec<u8>>| {
            w.into_inner()
                .map_err(|e| PyValueError::new_err(e.error().to_string()))
        };
        Ok(Self {
            scenario,
            seed,
            result,
            replications_csv: finish(tables.replications)?,
            impacts_csv: finish(tables.impacts)?,
            report_impacts: tables.report_impacts,
        })
    }
}

#[pymethods]
impl NativeMc {
    /// `summary.json` as `rampart mc` writes it.
    fn summary_json(&self) -> PyResult<String> {
        json_pretty(&self.result)
    }

    /// Every statistic, named as in `grid.csv` (`p_zero_leakers`, `p_hit:<asset>` …): name,
    /// mean, 95 % interval and number of observations.
    fn statistics(&self) -> Vec<(String, f64, f64, f64, u64)> {
        rampart_sim::montecarlo::sweep::statistics(&self.result)
            .into_iter()
            .map(|(name, e)| (name, e.mean, e.ci_low, e.ci_high, e.n))
            .collect()
    }

    /// `replications.csv`.
    fn replications_csv<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.replications_csv)
    }

    /// `impacts.csv`.
    fn impacts_csv<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.impacts_csv)
    }

    /// `report.html`, recording `command`; its sample replication (0) is run again.
    fn report_html(&self, py: Python<'_>, command: &str) -> PyResult<String> {
        let extras = Extras {
            mc: Some(&self.result),
            impacts: &self.report_impacts,
            sweep: None,
        };
        sample_report(
            py,
            &self.scenario,
            ReportKind::MonteCarlo,
            command,
            self.seed,
            extras,
        )
    }
}

fn sample_report(
    py: Python<'_>,
    scenario: &Py<NativeScenario>,
    kind: ReportKind,
    command: &str,
    seed: u64,
    extras: Extras,
) -> PyResult<String> {
    let s = scenario.get();
    let origin = Origin {
        kind,
        command,
        version: VERSION,
        scenario_file: &s.file,
        seed,
        replication: 0,
    };
    py.detach(|| {
        let (events, trace) = rampart_report::run_sample(
            &s.scenario,
            seed,
            0,
            rampart_report::DEFAULT_STATE_INTERVAL,
        )?;
        Ok(rampart_report::render_sample(
            &origin,
            &s.scenario,
            (&events, &trace),
            extras,
        ))
    })
    .map_err(|e: rampart_sim::engine::EngineError| PyRuntimeError::new_err(e.to_string()))
}

fn mc_error(e: McError) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}

fn check_runs(runs: u64, threads: Option<usize>) -> PyResult<()> {
    if runs == 0 || runs > 100_000_000 {
        return Err(PyValueError::new_err(format!(
            "runs must be between 1 and 100,000,000, not {runs}"
        )));
    }
    if threads.is_some_and(|t| t == 0 || t > 1024) {
        return Err(PyValueError::new_err(
            "threads must be between 1 and 1024 (None: one per core)",
        ));
    }
    Ok(())
}

/// A Monte Carlo run of `runs` replications.
#[pyfunction]
#[pyo3(signature = (scenario, runs, seed, threads=None, until_ci=None, progress=None))]
fn mc(
    py: Python<'_>,
    scenario: Py<NativeScenario>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
    until_ci: Option<f64>,
    progress: Option<Py<PyAny>>,
) -> PyResult<NativeMc> {
    check_runs(runs, threads)?;
    if let Some(h) = until_ci
        && !(h.is_finite() && h > 0.0 && h <= 0.5)
    {
        return Err(PyValueError::new_err(
            "until_ci must be a CI half-width in (0, 0.5], e.g. 0.01",
        ));
    }
    let (opts, stop) = options(runs, threads, until_ci, seed);
    let done = AtomicU64::new(0);
    let s = scenario.get();
    let mut tables = Tables::new(&s.scenario)?;
    let result = interruptible(py, stop, &done, progress.as_ref(), || {
        run_range_with(
            &s.scenario,
            &opts,
            0..runs,
            |n| {
                done.fetch_add(n, Ordering::Relaxed);
            },
            |r| tables.add(r),
        )
    })?
    .map_err(mc_error)?;
    if result.interrupted {
        return Err(PyKeyboardInterrupt::new_err(
            "interrupted: the replications stopped",
        ));
    }
    NativeMc::new(scenario, seed, result, tables)
}

/// Replications `first .. first + count` of a run of `runs`: their records as JSON Lines (one
/// `Replication` a line, numbers that read back to the bit), for [`mc_fold`] to fold with the
/// other parts (a run's parts on Ray workers).
#[pyfunction]
#[pyo3(signature = (scenario, runs, seed, first, count, threads=None))]
fn mc_part<'py>(
    py: Python<'py>,
    scenario: Py<NativeScenario>,
    runs: u64,
    seed: u64,
    first: u64,
    count: u64,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyBytes>> {
    check_runs(runs, threads)?;
    if first.checked_add(count).is_none_or(|end| end > runs) {
        return Err(PyValueError::new_err(format!(
            "replications {first}..{first}+{count} are not within the run's {runs}"
        )));
    }
    let (opts, stop) = options(runs, threads, None, seed);
    let done = AtomicU64::new(0);
    let s = scenario.get();
    let mut lines: Vec<u8> = Vec::new();
    let result = interruptible(py, stop, &done, None, || {
        run_range_with(
            &s.scenario,
            &opts,
            first..first + count,
            |_| {},
            |r| {
                serde_json::to_writer(&mut lines, r).map_err(std::io::Error::other)?;
                lines.push(b'\n');
                Ok(())
            },
        )
    })?
    .map_err(mc_error)?;
    if result.interrupted {
        return Err(PyKeyboardInterrupt::new_err("interrupted"));
    }
    Ok(PyBytes::new(py, &lines))
}

/// Part `k` of `m` (1-based) of `runs` replications, as `rampart mc --shard K/M` splits them:
/// (first, count).
#[pyfunction]
fn shard_range(runs: u64, k: u64, m: u64) -> PyResult<(u64, u64)> {
    if !(1..=m).contains(&k) {
        return Err(PyValueError::new_err(format!(
            "part {k} of {m}: K is 1 to M"
        )));
    }
    let r = rampart_sim::montecarlo::shard_range(runs, k, m);
    Ok((r.start, r.end - r.start))
}

/// Folds the records of a run's parts ([`mc_part`], in any order) into the whole run's
/// statistics and tables: the same as [`mc`] of the whole run, to the bit. Refuses records of
/// another seed, a replication missing or given twice.
#[pyfunction]
fn mc_fold(
    py: Python<'_>,
    scenario: Py<NativeScenario>,
    runs: u64,
    seed: u64,
    parts: Vec<Vec<u8>>,
) -> PyResult<NativeMc> {
    check_runs(runs, None)?;
    let s = scenario.get();
    let mut records: Vec<Replication> = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        for (n, line) in part.split(|&b| b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let r: Replication = serde_json::from_slice(line)
                .map_err(|e| PyValueError::new_err(format!("part {k}, record {}: {e}", n + 1)))?;
            if r.seed != seed {
                return Err(PyValueError::new_err(format!(
                    "part {k}, record {}: seed {} where the run's is {seed}",
                    n + 1,
                    r.seed
                )));
            }
            records.push(r);
        }
    }
    records.sort_by_key(|r| r.replication);
    for (want, r) in (0..runs).zip(&records) {
        if r.replication != want {
            let what = if r.replication < want {
                format!("replication {} is given twice", r.replication)
            } else {
                format!("replication {want} is missing")
            };
            return Err(PyValueError::new_err(what));
        }
    }
    if records.len() as u64 != runs {
        let first = records.len();
        return Err(PyValueError::new_err(if (first as u64) < runs {
            format!("replication {first} is missing (the parts hold {first} of the run's {runs})")
        } else {
            format!(
                "the parts hold {} replications, the run {runs}",
                records.len()
            )
        }));
    }
    let mut tables = Tables::new(&s.scenario)?;
    let result = py.detach(|| {
        for r in &records {
            tables.add(r)?;
        }
        Ok::<_, std::io::Error>(fold(&s.scenario, seed, runs, &records))
    });
    let result = result.map_err(to_value_error)?;
    NativeMc::new(scenario, seed, result, tables)
}

/// A sweep's statistics at every point.
#[pyclass(module = "rampart._native", frozen)]
struct NativeSweep {
    scenario: Py<NativeScenario>,
    seed: u64,
    result: SweepResult,
}

#[pymethods]
impl NativeSweep {
    /// `sweep.json` as `rampart sweep` writes it.
    fn sweep_json(&self) -> PyResult<String> {
        json_pretty(&self.result)
    }

    /// `grid.csv`.
    fn grid_csv<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.result.csv_header())
            .map_err(to_value_error)?;
        for row in self.result.csv_rows() {
            w.write_record(&row).map_err(to_value_error)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| PyValueError::new_err(e.error().to_string()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// `report.html`, recording `command`.
    fn report_html(&self, py: Python<'_>, command: &str) -> PyResult<String> {
        let extras = Extras {
            sweep: Some(&self.result),
            ..Extras::default()
        };
        sample_report(
            py,
            &self.scenario,
            ReportKind::Sweep,
            command,
            self.seed,
            extras,
        )
    }
}

/// A sweep: `runs` replications at every point of the grid of `vary` (`PATH=V1,V2,…` each),
/// common random numbers across points.
#[pyfunction]
#[pyo3(signature = (scenario, vary, runs, seed, threads=None, progress=None))]
fn sweep(
    py: Python<'_>,
    scenario: Py<NativeScenario>,
    vary: Vec<String>,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
) -> PyResult<NativeSweep> {
    check_runs(runs, threads)?;
    let axes = vary
        .iter()
        .map(|v| Axis::parse(v))
        .collect::<Result<Vec<_>, SweepError>>()
        .map_err(to_value_error)?;
    let (opts, stop) = options(runs, threads, None, seed);
    let done = AtomicU64::new(0);
    let s = scenario.get();
    let result = interruptible(py, stop, &done, progress.as_ref(), || {
        run_sweep(
            &s.text,
            &s.file,
            &axes,
            &opts,
            |_, _, _| {},
            |n| {
                done.fetch_add(n, Ordering::Relaxed);
            },
            |_, _| Ok(()),
        )
    })?;
    let result = match result {
        Ok(r) => r,
        Err(SweepError::Interrupted { point }) => {
            return Err(PyKeyboardInterrupt::new_err(format!(
                "interrupted at {point}"
            )));
        }
        Err(SweepError::Scenario { point, source }) => {
            return Err(scenario_error_at(py, &source, Some(&point)));
        }
        Err(e) => return Err(to_value_error(e)),
    };
    Ok(NativeSweep {
        scenario,
        seed,
        result,
    })
}

/// The f64s of a little-endian buffer, `columns` to a row.
fn rows_of(data: &[u8], columns: usize, what: &str) -> PyResult<Vec<f64>> {
    if !data.len().is_multiple_of(8 * columns) {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of rows of {columns} float64",
            data.len()
        )));
    }
    Ok(data
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap_or_default()))
        .collect())
}

/// A tracker of Cartesian detections, built from tracker-file text.
#[pyclass(module = "rampart._native")]
struct NativeTracker {
    inner: Mutex<(CartesianTracker, Option<f64>)>,
    gospa: GospaMetric,
}

impl NativeTracker {
    /// The tracker's state, refused rather than waited for while another thread steps it (a
    /// wait holding the GIL could deadlock with that thread's wait for the GIL).
    fn lock(&self) -> PyResult<std::sync::MutexGuard<'_, (CartesianTracker, Option<f64>)>> {
        self.inner.try_lock().map_err(|e| match e {
            std::sync::TryLockError::WouldBlock => {
                PyRuntimeError::new_err("the tracker is in use by another thread")
            }
            std::sync::TryLockError::Poisoned(_) => {
                PyRuntimeError::new_err("the tracker failed in an earlier step")
            }
        })
    }
}

#[pymethods]
impl NativeTracker {
    /// The tracker `text` (a tracker file's TOML; `file` names it in errors) describes.
    #[new]
    fn new(py: Python<'_>, text: &str, file: &str) -> PyResult<Self> {
        let settings =
            parse_tracker(text, file, Host::Detections).map_err(|e| scenario_error(py, &e))?;
        let tracker = CartesianTracker::new(&settings)
            .map_err(|e| PyValueError::new_err(format!("{file}: {e}")))?;
        Ok(Self {
            inner: Mutex::new((tracker, None)),
            gospa: settings.gospa,
        })
    }

    /// The GOSPA parameters the tracker file sets (p, c, α).
    #[getter]
    fn gospa(&self) -> (f64, f64, f64) {
        (self.gospa.p(), self.gospa.cutoff_m(), self.gospa.alpha())
    }

    /// One scan at time `t` (s) of `positions` (float64 rows x, y, z as little-endian bytes):
    /// the confirmed tracks after it as rows t, id, x, y, z, vx, vy, vz.
    fn step<'py>(
        &self,
        py: Python<'py>,
        t: f64,
        positions: &[u8],
    ) -> PyResult<Bound<'py, PyBytes>> {
        let xyz = rows_of(positions, 3, "positions")?;
        let mut guard = self.lock()?;
        let rows = scan(&mut guard, t, &xyz, "the scan")?;
        Ok(PyBytes::new(py, &track_bytes(&rows)))
    }

    /// [`NativeTracker::step`], each track row followed by its position and velocity
    /// covariance (36 values, row by row, in the order x, y, z, vx, vy, vz).
    fn step_with_covariance<'py>(
        &self,
        py: Python<'py>,
        t: f64,
        positions: &[u8],
    ) -> PyResult<Bound<'py, PyBytes>> {
        let xyz = rows_of(positions, 3, "positions")?;
        let mut guard = self.lock()?;
        let state: &mut (CartesianTracker, Option<f64>) = &mut guard;
        check_scan(state, t, &xyz, "the scan")?;
        let positions: Vec<[f64; 3]> = xyz.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
        state.1 = Some(t);
        let mut out = Vec::new();
        for (row, cov) in state.0.step_with_covariance(t, &positions) {
            out.extend(track_bytes(std::slice::from_ref(&row)));
            for x in cov.iter().flatten() {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        Ok(PyBytes::new(py, &out))
    }

    /// Every scan of `data` (float64 rows t, x, y, z, t never decreasing; rows of one t are
    /// one scan): the confirmed tracks after each scan, rows t, id, x, y, z, vx, vy, vz.
    fn track<'py>(&self, py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let v = rows_of(data, 4, "detections")?;
        let mut guard = self.lock()?;
        let state: &mut (CartesianTracker, Option<f64>) = &mut guard;
        let (stop, done) = (AtomicBool::new(false), AtomicU64::new(0));
        let out = interruptible(py, &stop, &done, None, || -> PyResult<Vec<u8>> {
            let mut out = Vec::new();
            let mut start = 0;
            let n = v.len() / 4;
            let mut xyz = Vec::new();
            while start < n && !stop.load(Ordering::Relaxed) {
                let t = v[start * 4];
                let mut end = start;
                xyz.clear();
                while end < n && v[end * 4] == t {
                    xyz.extend_from_slice(&v[end * 4 + 1..end * 4 + 4]);
                    end += 1;
                }
                let rows = scan(state, t, &xyz, &format!("row {start}"))?;
                out.extend(track_bytes(&rows));
                start = end;
            }
            Ok(out)
        })??;
        Ok(PyBytes::new(py, &out))
    }
}

/// Steps the tracker with one scan, refusing a time before the last one and numbers that
/// are not finite.
fn scan(
    state: &mut (CartesianTracker, Option<f64>),
    t: f64,
    xyz: &[f64],
    at: &str,
) -> PyResult<Vec<TrackRow>> {
    check_scan(state, t, xyz, at)?;
    let positions: Vec<[f64; 3]> = xyz.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    state.1 = Some(t);
    Ok(state.0.step(t, &positions))
}

/// Refuses a scan at a time before the last one, and numbers that are not finite.
fn check_scan(
    state: &(CartesianTracker, Option<f64>),
    t: f64,
    xyz: &[f64],
    at: &str,
) -> PyResult<()> {
    if !t.is_finite() {
        return Err(PyValueError::new_err(format!(
            "{at}: time {t} is not a finite number"
        )));
    }
    if let Some(last) = state.1
        && t < last
    {
        return Err(PyValueError::new_err(format!(
            "{at}: time {t} s comes before the previous scan's {last} s; detections go in time order"
        )));
    }
    if let Some(bad) = xyz.iter().find(|x| !x.is_finite()) {
        return Err(PyValueError::new_err(format!(
            "{at}: position {bad} is not a finite number"
        )));
    }
    Ok(())
}

fn track_bytes(rows: &[TrackRow]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 64);
    for r in rows {
        // Track ids are small counters: exact as f64 up to 2^53.
        for x in [r.t, r.id as f64]
            .into_iter()
            .chain(r.position)
            .chain(r.velocity)
        {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    out
}

/// GOSPA of `tracks` against `truth` (float64 rows t, id, x, y, z, vx, vy, vz each) at each of
/// `times`: the scores as `rampart track --metrics` writes them, and per time the distance,
/// missed and false counts, and the localisation, missed and false parts (NaN unless α = 2).
#[pyfunction]
fn gospa(
    py: Python<'_>,
    truth: &[u8],
    tracks: &[u8],
    times: Vec<f64>,
    c: f64,
    p: f64,
    alpha: f64,
) -> PyResult<(String, Vec<[f64; 7]>)> {
    let metric = GospaMetric::new(p, c, alpha).map_err(to_value_error)?;
    let truth = rows_of(truth, 8, "truth")?;
    let tracks = rows_of(tracks, 8, "tracks")?;
    let row = |v: &[f64]| -> PyResult<(f64, u64, [f64; 3], [f64; 3])> {
        if let Some(bad) = v.iter().find(|x| !x.is_finite()) {
            return Err(PyValueError::new_err(format!(
                "{bad} is not a finite number"
            )));
        }
        let id = v[1];
        // Ids are whole numbers up to 2^53, the largest every one of which an f64 holds.
        if id < 0.0 || id.fract() != 0.0 || id > 9_007_199_254_740_992.0 {
            return Err(PyValueError::new_err(format!(
                "id {id} is not a whole number ≥ 0"
            )));
        }
        Ok((v[0], id as u64, [v[2], v[3], v[4]], [v[5], v[6], v[7]]))
    };
    let mut truth_rows = Vec::with_capacity(truth.len() / 8);
    for v in truth.chunks_exact(8) {
        let (t, id, position, velocity) = row(v)?;
        truth_rows.push(TruthRow {
            t,
            id,
            position,
            velocity,
        });
    }
    truth_rows.sort_by(|a, b| a.t.total_cmp(&b.t));
    let mut track_rows = Vec::with_capacity(tracks.len() / 8);
    for v in tracks.chunks_exact(8) {
        let (t, id, position, velocity) = row(v)?;
        track_rows.push(TrackRow {
            t,
            id,
            position,
            velocity,
        });
    }
    track_rows.sort_by(|a, b| a.t.total_cmp(&b.t).then(a.id.cmp(&b.id)));
    let mut times = times;
    if let Some(bad) = times.iter().find(|x| !x.is_finite()) {
        return Err(PyValueError::new_err(format!(
            "time {bad} is not a finite number"
        )));
    }
    times.sort_by(f64::total_cmp);
    times.dedup();
    let (stop, done) = (AtomicBool::new(false), AtomicU64::new(0));
    interruptible(py, &stop, &done, None, || {
        let mut scorer = Scorer::new(metric, truth_rows);
        let mut k = 0;
        for &t in &times {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            while k < track_rows.len() && track_rows[k].t < t {
                k += 1;
            }
            let start = k;
            while k < track_rows.len() && track_rows[k].t == t {
                k += 1;
            }
            scorer.scan(t, &track_rows[start..k]);
        }
        let per_scan: Vec<[f64; 7]> = scorer
            .per_scan()
            .map(|(t, g)| {
                let d = g.decomposition;
                [
                    t,
                    g.distance,
                    g.num_missed as f64,
                    g.num_false as f64,
                    d.map_or(f64::NAN, |d| d.localisation),
                    d.map_or(f64::NAN, |d| d.missed),
                    d.map_or(f64::NAN, |d| d.false_tracks),
                ]
            })
            .collect();
        Ok((json_pretty(&scorer.finish())?, per_scan))
    })?
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add_class::<NativeScenario>()?;
    m.add_class::<NativeRun>()?;
    m.add_class::<NativeMc>()?;
    m.add_class::<NativeSweep>()?;
    m.add_class::<NativeTracker>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(mc, m)?)?;
    m.add_function(wrap_pyfunction!(mc_part, m)?)?;
    m.add_function(wrap_pyfunction!(mc_fold, m)?)?;
    m.add_function(wrap_pyfunction!(shard_range, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(gospa, m)?)?;
    Ok(())
}
