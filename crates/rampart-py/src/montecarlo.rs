//! Monte Carlo runs, their shards and their folding, and sweeps.

use crate::scenario::{NativeScenario, scenario_error_at};
use crate::{VERSION, interruptible, json_pretty, options, to_value_error};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rampart_report::{Extras, Origin, REPORT_IMPACTS, ReportKind};
use rampart_sim::montecarlo::sweep::{Axis, SweepError, SweepResult, run_sweep};
use rampart_sim::montecarlo::{ImpactRecord, McError, McResult, Replication, fold, run_range_with};
use rampart_sim::scenario::Scenario;
use std::sync::atomic::{AtomicU64, Ordering};

/// A Monte Carlo run's tables, as `rampart mc` writes them.
pub(crate) struct Tables {
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
pub(crate) struct NativeMc {
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

pub(crate) fn sample_report(
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

pub(crate) fn mc_error(e: McError) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}

pub(crate) fn check_runs(runs: u64, threads: Option<usize>) -> PyResult<()> {
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
pub(crate) fn mc(
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
pub(crate) fn mc_part<'py>(
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
pub(crate) fn shard_range(runs: u64, k: u64, m: u64) -> PyResult<(u64, u64)> {
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
pub(crate) fn mc_fold(
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
pub(crate) struct NativeSweep {
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
pub(crate) fn sweep(
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
