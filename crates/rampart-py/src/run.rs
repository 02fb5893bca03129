//! One replication: its events, summary and report.

use crate::scenario::NativeScenario;
use crate::{VERSION, json_pretty, to_value_error};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use rampart_core::SimDuration;
use rampart_report::{Extras, Origin, ReportKind, Trace};
use rampart_sim::engine::{RunOptions, run as run_engine};
use rampart_sim::events::Event;
use rampart_sim::summary::RunSummary;

/// One replication's events and summary.
#[pyclass(module = "rampart._native", frozen)]
pub(crate) struct NativeRun {
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
pub(crate) fn run(
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

pub(crate) fn state_interval(seconds: f64) -> PyResult<SimDuration> {
    SimDuration::from_secs_f64(seconds)
        .filter(|_| (0.001..=86_400.0).contains(&seconds))
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "state_interval must be between 0.001 s and 86400 s (a day), not {seconds}"
            ))
        })
}
