//! `rampart track`: run the multi-target tracker over a detections file.
//!
//! Detections are read a scan at a time and each scan's confirmed tracks written as they
//! come (to a temporary file renamed over `--out` at the end), so memory is bounded by the
//! largest scan and the tracker's state, not by the file; truth, when given, is held whole and
//! indexed by target.

use crate::ExitError;
use crate::output::{AtomicFile, write_atomic};
use crate::text::{errln, out};
use anyhow::{Result, bail};
use nalgebra::{SMatrix, SVector};
use rampart_sim::scenario::load_tracker;
use rampart_track::config::{Host, ImmMotion, Implied, Motion};
use rampart_track::filter::{KalmanFilter, TrackFilter};
use rampart_track::io::{
    CsvError, Scan, TrackRow, TrackWriter, TruthTable, read_detection_scans, read_truth,
};
use rampart_track::metrics::{
    ContinuityAccumulator, ContinuityResult, GospaMetric, GospaResult, GospaSummary,
    RmseAccumulator, RmseResult, ScanAssociation,
};
use rampart_track::models::measurement::{LinearPosition, position_indices, velocity_indices};
use rampart_track::models::transition::{
    ConstantAcceleration, ConstantVelocity, CoordinatedTurn, Singer, TransitionModel,
};
use rampart_track::predictor::KalmanPredictor;
use rampart_track::tracker::{StateLayout, Tracker, TrackerParams};
use rampart_track::types::Gaussian;
use rampart_track::updater::KalmanUpdater;
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;

/// `metrics.json`.
#[derive(Debug, Serialize)]
struct MetricsFile {
    gospa: GospaOut,
    rmse: RmseResult,
    tracks: TrackCounts,
    continuity: ContinuityResult,
}

#[derive(Debug, Serialize)]
struct GospaOut {
    p: f64,
    c: f64,
    alpha: f64,
    #[serde(flatten)]
    summary: Option<GospaSummary>,
}

#[derive(Debug, Serialize)]
struct TrackCounts {
    /// Distinct confirmed track ids written.
    confirmed: usize,
    /// Distinct truth ids.
    truths: usize,
    /// Scans processed.
    scans: usize,
}

/// Runs `rampart track`.
pub fn run(
    detections: &Path,
    config: &Path,
    out: &Path,
    truth: Option<&Path>,
    metrics: Option<&Path>,
) -> Result<()> {
    // The tracker file is read as a scenario's tracker table is, and its errors are shown the
    // same way: file, line, column and the offending text.
    let settings = load_tracker(config, Host::Detections).map_err(|e| {
        errln!("{}", e.render());
        ExitError
    })?;
    // `Host::Detections` makes these three required, so none is left to a sensor model.
    let (Some(sigma), Some(pd), Some(clutter_density)) = (
        settings.noise.sigma_m,
        settings.pd,
        settings.clutter_density,
    ) else {
        bail!(
            "{}: the tracker file gives no measurement noise or detection model",
            config.display()
        );
    };
    let params = settings.params(Implied {
        pd,
        clutter_density,
    });
    if metrics.is_some() && truth.is_none() {
        bail!("--metrics needs --truth");
    }
    let mut evaluator = match truth {
        Some(path) => Some(Evaluator::new(settings.gospa, read_truth(path)?)),
        None => None,
    };
    refuse_radar_detections(detections)?;
    let scans = read_detection_scans(detections)?;
    let mut writer = TrackWriter::new(AtomicFile::create(out)?, out)?;
    let mut counts = (0_usize, 0_usize, BTreeSet::new());
    let mut sink = |t: f64, detections: usize, rows: &[TrackRow]| -> Result<()> {
        writer.write(rows)?;
        counts.0 += 1;
        counts.1 += detections;
        counts.2.extend(rows.iter().map(|r| r.id));
        if let Some(e) = evaluator.as_mut() {
            e.scan(t, rows);
        }
        Ok(())
    };
    match settings.motion {
        Motion::Cv { q } => {
            let (f, m) = kalman::<6, _>(ConstantVelocity::new(q), sigma);
            track_all(f, m, params, prior(&[]), scans, &mut sink)?;
        }
        Motion::Ca { q } => {
            let (f, m) = kalman::<9, _>(ConstantAcceleration::new(q), sigma);
            let p = prior(&[(2, 10.0), (5, 10.0), (8, 10.0)]);
            track_all(f, m, params, p, scans, &mut sink)?;
        }
        Motion::Singer { sigma_a, tau } => {
            let (f, m) = kalman::<9, _>(Singer::new(sigma_a, tau), sigma);
            let p = prior(&[(2, sigma_a), (5, sigma_a), (8, sigma_a)]);
            track_all(f, m, params, p, scans, &mut sink)?;
        }
        Motion::Ct { q, q_omega } => {
            let (f, m) = kalman::<7, _>(CoordinatedTurn::new(q, q_omega), sigma);
            track_all(f, m, params, prior(&[(6, 0.1)]), scans, &mut sink)?;
        }
        Motion::Imm(imm) => {
            let m = LinearPosition::<7>::new([sigma; 3]);
            track_all(
                imm.filter(m),
                m,
                params,
                ImmMotion::prior(),
                scans,
                &mut sink,
            )?;
        }
    }
    writer.finish()?.commit()?;
    let (scans, detections, confirmed) = counts;
    let mut summary = format!(
        "tracked {scans} scans of {detections} detections: {} tracks confirmed, written to {}",
        confirmed.len(),
        out.display()
    );
    if let Some(e) = evaluator {
        let result = e.finish();
        if let Some(g) = &result.gospa.summary {
            summary.push_str(&format!(
                "; mean GOSPA {:.1} m over {} scans against {} true targets",
                g.mean_distance, result.tracks.scans, result.tracks.truths
            ));
        }
        let text = serde_json::to_string_pretty(&result)? + "\n";
        match metrics {
            Some(p) => write_atomic(p, text.as_bytes())?,
            None => out!("{text}"),
        }
    }
    errln!("{summary}");
    Ok(())
}

/// Refuses, with what to do instead, a file of radar detections in polar form (`rampart run
/// --detections-csv` writes range, azimuth and elevation per radar) given with `--config`:
/// those go with `--scenario` ([`crate::track_radar`]).
fn refuse_radar_detections(path: &Path) -> Result<()> {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(()); // the reader reports it, naming the file
    };
    let mut header = String::new();
    if std::io::BufReader::new(file.take(64 * 1024))
        .read_line(&mut header)
        .is_err()
    {
        return Ok(());
    }
    let columns: Vec<&str> = header.trim().split(',').map(str::trim).collect();
    if ["range_m", "azimuth_rad", "elevation_rad"]
        .iter()
        .all(|c| columns.contains(c))
    {
        bail!(
            "{}: these are radar detections (range, azimuth and elevation, one radar's frame \
             each, as `rampart run --detections-csv` writes them); --config tracks Cartesian \
             detections `t,x,y,z` in one frame. Give --scenario SCENARIO instead of --config: \
             each radar's own tracker then takes its detections (docs/tracking.md)",
            path.display()
        );
    }
    Ok(())
}

/// A Kalman filter on transition model `model` with position noise `sigma` (m) per axis, and
/// its measurement model.
fn kalman<const N: usize, T: TransitionModel<N>>(
    model: T,
    sigma: f64,
) -> (
    KalmanFilter<KalmanPredictor<T>, KalmanUpdater<LinearPosition<N>>>,
    LinearPosition<N>,
) {
    let measurement = LinearPosition::<N>::new([sigma; 3]);
    (
        KalmanFilter::new(KalmanPredictor::new(model), KalmanUpdater::new(measurement)),
        measurement,
    )
}

/// The prior of a new track: zero mean, and the standard deviation of the state components
/// other than position and velocity (index, σ) in `extra`.
fn prior<const N: usize>(extra: &[(usize, f64)]) -> Gaussian<N> {
    let mut prior_cov = SMatrix::<f64, N, N>::zeros();
    for &(i, s) in extra {
        prior_cov[(i, i)] = s * s;
    }
    Gaussian::new(SVector::<f64, N>::zeros(), prior_cov)
}

/// Where each scan's confirmed tracks go: (time, detections in the scan, the tracks).
type ScanSink<'a> = dyn FnMut(f64, usize, &[TrackRow]) -> Result<()> + 'a;

/// Tracks every scan with `filter` (position measurements `measurement`), handing each scan's
/// confirmed tracks (sorted by id) to `sink`; `prior` gives the state components a detection
/// does not fix. Stops at the first bad row of the detections.
fn track_all<const N: usize, F: TrackFilter<N, 3>>(
    filter: F,
    measurement: LinearPosition<N>,
    params: TrackerParams,
    prior: Gaussian<N>,
    scans: impl Iterator<Item = Result<Scan, CsvError>>,
    sink: &mut ScanSink<'_>,
) -> Result<()> {
    let layout = StateLayout {
        position: position_indices::<N>(),
        velocity: velocity_indices::<N>(),
    };
    let mut tracker = Tracker::new(filter, measurement, params, layout, prior);
    let mut zs: Vec<SVector<f64, 3>> = Vec::new();
    let mut confirmed: Vec<TrackRow> = Vec::new();
    for scan in scans {
        let scan = scan?;
        zs.clear();
        zs.extend(
            scan.positions
                .iter()
                .map(|p| SVector::<f64, 3>::new(p[0], p[1], p[2])),
        );
        drop(scan.positions);
        tracker.step(scan.t, &zs);
        confirmed.clear();
        confirmed.extend(tracker.confirmed().map(|tr| {
            let x = &tr.state.state.mean;
            TrackRow {
                t: scan.t,
                id: tr.id,
                position: layout.position.map(|i| x[i]),
                velocity: layout.velocity.map(|i| x[i]),
            }
        }));
        confirmed.sort_by_key(|r| r.id);
        sink(scan.t, zs.len(), &confirmed)?;
    }
    Ok(())
}

/// The scores of `--truth`, built a scan at a time: memory is the truth, one scan's tracks
/// and a few numbers per scan, not the tracks of every scan.
struct Evaluator {
    params: (f64, f64, f64),
    metric: GospaMetric,
    truth: TruthTable,
    /// Per scan, GOSPA without its assignment (the summary needs only the numbers).
    results: Vec<GospaResult>,
    rmse: RmseAccumulator,
    continuity: ContinuityAccumulator,
    confirmed_ids: BTreeSet<u64>,
    scans: usize,
}

impl Evaluator {
    fn new(metric: GospaMetric, truth: Vec<rampart_track::io::TruthRow>) -> Self {
        Self {
            params: (metric.p(), metric.cutoff_m(), metric.alpha()),
            metric,
            truth: TruthTable::new(truth),
            results: Vec::new(),
            rmse: RmseAccumulator::new(),
            continuity: ContinuityAccumulator::new(),
            confirmed_ids: BTreeSet::new(),
            scans: 0,
        }
    }

    /// Scores the confirmed tracks `tracks` of the scan at `t` against the truth there.
    fn scan(&mut self, t: f64, tracks: &[TrackRow]) {
        let truths = self.truth.at(t);
        let tp: Vec<nalgebra::Vector3<f64>> = truths.iter().map(|r| r.position.into()).collect();
        let ep: Vec<nalgebra::Vector3<f64>> = tracks.iter().map(|r| r.position.into()).collect();
        let mut g = self.metric.compute(&tp, &ep);
        for (i, j) in g.assigned_pairs() {
            self.rmse.add_position(tp[i], ep[j]);
            self.rmse
                .add_velocity(truths[i].velocity, tracks[j].velocity);
        }
        let t_ids: Vec<u64> = truths.iter().map(|r| r.id).collect();
        let k_ids: Vec<u64> = tracks.iter().map(|r| r.id).collect();
        self.continuity.add(&ScanAssociation::from_assignment(
            &t_ids,
            &k_ids,
            &g.assignment,
        ));
        g.assignment = Vec::new();
        self.results.push(g);
        self.confirmed_ids.extend(k_ids);
        self.scans += 1;
    }

    fn finish(self) -> MetricsFile {
        let (p, c, alpha) = self.params;
        MetricsFile {
            gospa: GospaOut {
                p,
                c,
                alpha,
                summary: GospaSummary::from_results(&self.results),
            },
            rmse: self.rmse.result(),
            tracks: TrackCounts {
                confirmed: self.confirmed_ids.len(),
                truths: self.truth.len(),
                scans: self.scans,
            },
            continuity: self.continuity.result(),
        }
    }
}
