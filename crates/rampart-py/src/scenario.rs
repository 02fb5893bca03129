//! Scenarios: loading with settings applied, and their errors as `rampart.ScenarioError`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rampart_sim::scenario::{Scenario, ScenarioError, parse};

/// `rampart.errors.ScenarioError` for a loader's error: message, file, line, column and the
/// rendered text with its snippet.
pub(crate) fn scenario_error(py: Python<'_>, e: &ScenarioError) -> PyErr {
    scenario_error_at(py, e, None)
}

/// [`scenario_error`], saying where in a sweep's grid it happened (`at`: `path=value, …`).
pub(crate) fn scenario_error_at(py: Python<'_>, e: &ScenarioError, at: Option<&str>) -> PyErr {
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
pub(crate) struct NativeScenario {
    pub(crate) text: String,
    pub(crate) file: String,
    pub(crate) scenario: Scenario,
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
