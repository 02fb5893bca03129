//! The tracker of Cartesian detections, and GOSPA.

use crate::scenario::scenario_error;
use crate::{interruptible, json_pretty, to_value_error};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rampart_sim::scenario::parse_tracker;
use rampart_track::cartesian::{CartesianTracker, PosVelCov, Scorer};
use rampart_track::config::Host;
use rampart_track::io::{TrackRow, TruthRow};
use rampart_track::metrics::GospaMetric;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The f64s of a little-endian buffer, `columns` to a row.
pub(crate) fn rows_of(data: &[u8], columns: usize, what: &str) -> PyResult<Vec<f64>> {
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
pub(crate) struct NativeTracker {
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
        let mut out = Vec::new();
        for (row, _) in scan(&mut guard, t, &xyz, "the scan")? {
            row_bytes(&mut out, &row);
        }
        Ok(PyBytes::new(py, &out))
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
        let mut out = Vec::new();
        for (row, cov) in scan(&mut guard, t, &xyz, "the scan")? {
            row_bytes(&mut out, &row);
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
                for (row, _) in scan(state, t, &xyz, &format!("row {start}"))? {
                    row_bytes(&mut out, &row);
                }
                start = end;
            }
            Ok(out)
        })??;
        Ok(PyBytes::new(py, &out))
    }
}

/// Steps the tracker with one scan: its confirmed tracks, each with its position and
/// velocity covariance. Refuses a time before the last scan's and numbers that are not finite.
fn scan(
    state: &mut (CartesianTracker, Option<f64>),
    t: f64,
    xyz: &[f64],
    at: &str,
) -> PyResult<Vec<(TrackRow, PosVelCov)>> {
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
    let positions: Vec<[f64; 3]> = xyz.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    state.1 = Some(t);
    Ok(state.0.step_with_covariance(t, &positions))
}

/// Appends a track row: t, id, x, y, z, vx, vy, vz as little-endian f64s.
fn row_bytes(out: &mut Vec<u8>, r: &TrackRow) {
    // Track ids are small counters: exact as f64 up to 2^53.
    for x in [r.t, r.id as f64]
        .into_iter()
        .chain(r.position)
        .chain(r.velocity)
    {
        out.extend_from_slice(&x.to_le_bytes());
    }
}

/// GOSPA of `tracks` against `truth` (float64 rows t, id, x, y, z, vx, vy, vz each) at each of
/// `times`: the scores as `rampart track --metrics` writes them, and per time the distance,
/// missed and false counts, and the localisation, missed and false parts (NaN unless α = 2).
#[pyfunction]
pub(crate) fn gospa(
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
