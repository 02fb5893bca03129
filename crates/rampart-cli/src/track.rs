//! `rampart track`: run the multi-target tracker over a detections file.
//!
//! Detections are read a scan at a time and each scan's confirmed tracks written as they
//! come (to a temporary file renamed over `--out` at the end), so memory is bounded by the
//! largest scan and the tracker's state, not by the file; truth, when given, is held whole and
//! indexed by target.

use crate::output::{AtomicFile, write_atomic};
use crate::text::out;
use anyhow::{Context, Result, bail};
use nalgebra::{SMatrix, SVector};
use rampart_track::filter::KalmanFilter;
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
use rampart_track::tracker::{Association, Initiation, StateLayout, Tracker, TrackerConfig};
use rampart_track::types::Gaussian;
use rampart_track::updater::KalmanUpdater;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// `tracker.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackerFile {
    motion: Motion,
    measurement: Measurement,
    detection: DetectionSection,
    association: AssociationSection,
    initiation: InitiationSection,
    deletion: Deletion,
    #[serde(default)]
    metrics: MetricsSection,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Motion {
    /// cv | ca | singer | ct
    model: String,
    /// Process-noise spectral density, m²/s³ (cv) or m²/s⁵ (ca); for ct, on the linear part.
    #[serde(default)]
    q: Option<f64>,
    /// Singer: acceleration standard deviation, m/s².
    #[serde(default)]
    sigma_a: Option<f64>,
    /// Singer: manoeuvre time constant, s.
    #[serde(default)]
    tau: Option<f64>,
    /// ct: turn-rate noise, rad²/s³.
    #[serde(default)]
    q_omega: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Measurement {
    /// Position noise standard deviation per axis, m.
    sigma: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectionSection {
    pd: f64,
    /// False measurements per m³ per scan.
    clutter_density: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssociationSection {
    method: Association,
    gate_probability: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InitiationSection {
    m: u32,
    n: u32,
    /// m/s, for one-point initialisation.
    velocity_sigma: f64,
    /// one-point | two-point | velocity-gated
    #[serde(default = "one_point")]
    method: String,
    /// m/s, the fastest target (velocity-gated initiation only).
    max_speed: Option<f64>,
}

fn one_point() -> String {
    "one-point".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Deletion {
    max_misses: u32,
    /// Delete a track whose position standard deviation (√ of the covariance trace) exceeds
    /// this, m. Default 10 km.
    #[serde(default = "max_position_sigma")]
    max_position_sigma: f64,
}

fn max_position_sigma() -> f64 {
    10_000.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricsSection {
    #[serde(default = "two")]
    p: f64,
    #[serde(default = "thousand")]
    c: f64,
    #[serde(default = "two")]
    alpha: f64,
}

impl Default for MetricsSection {
    fn default() -> Self {
        Self {
            p: 2.0,
            c: 1000.0,
            alpha: 2.0,
        }
    }
}

fn two() -> f64 {
    2.0
}
fn thousand() -> f64 {
    1000.0
}

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

/// The motion model of `[motion]`, checked.
#[derive(Clone, Copy, Debug)]
enum MotionModel {
    Cv { q: f64 },
    Ca { q: f64 },
    Singer { sigma_a: f64, tau: f64 },
    Ct { q: f64, q_omega: f64 },
}

/// Runs `rampart track`.
pub fn run(
    detections: &Path,
    config: &Path,
    out: &Path,
    truth: Option<&Path>,
    metrics: Option<&Path>,
) -> Result<()> {
    let text =
        std::fs::read_to_string(config).with_context(|| format!("reading {}", config.display()))?;
    let cfg: TrackerFile =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!(toml_error(config, &text, &e)))?;
    let tracker_cfg = check(&cfg, config)?;
    let motion = motion_model(&cfg.motion, config)?;
    if metrics.is_some() && truth.is_none() {
        bail!("--metrics needs --truth");
    }
    let mut evaluator = match truth {
        Some(path) => Some(Evaluator::new(&cfg.metrics, read_truth(path)?)?),
        None => None,
    };
    let scans = read_detection_scans(detections)?;
    let mut writer = TrackWriter::new(AtomicFile::create(out)?, out)?;
    let mut sink = |t: f64, rows: &[TrackRow]| -> Result<()> {
        writer.write(rows)?;
        if let Some(e) = evaluator.as_mut() {
            e.scan(t, rows);
        }
        Ok(())
    };
    let sigma = cfg.measurement.sigma;
    match motion {
        MotionModel::Cv { q } => track_all::<6, _>(
            ConstantVelocity::new(q),
            sigma,
            tracker_cfg,
            &[],
            scans,
            &mut sink,
        )?,
        MotionModel::Ca { q } => track_all::<9, _>(
            ConstantAcceleration::new(q),
            sigma,
            tracker_cfg,
            &[(2, 10.0), (5, 10.0), (8, 10.0)],
            scans,
            &mut sink,
        )?,
        MotionModel::Singer { sigma_a, tau } => track_all::<9, _>(
            Singer::new(sigma_a, tau),
            sigma,
            tracker_cfg,
            &[(2, sigma_a), (5, sigma_a), (8, sigma_a)],
            scans,
            &mut sink,
        )?,
        MotionModel::Ct { q, q_omega } => track_all::<7, _>(
            CoordinatedTurn::new(q, q_omega),
            sigma,
            tracker_cfg,
            &[(6, 0.1)],
            scans,
            &mut sink,
        )?,
    }
    writer.finish()?.commit()?;
    if let Some(e) = evaluator {
        let text = serde_json::to_string_pretty(&e.finish())? + "\n";
        match metrics {
            Some(p) => write_atomic(p, text.as_bytes())?,
            None => out!("{text}"),
        }
    }
    Ok(())
}

/// `[motion]`: the model and the keys it needs, each a finite number ≥ 0 (τ > 0).
fn motion_model(m: &Motion, path: &Path) -> Result<MotionModel> {
    let f = path.display();
    let model = m.model.as_str();
    let need = |v: Option<f64>, key: &str| -> Result<f64> {
        match v {
            Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
            Some(x) => bail!("{f}: `motion.{key}` must be a finite number ≥ 0, found {x}"),
            None => bail!("{f}: [motion] model \"{model}\" needs `{key}` (a number ≥ 0)"),
        }
    };
    Ok(match model {
        "cv" => MotionModel::Cv { q: need(m.q, "q")? },
        "ca" => MotionModel::Ca { q: need(m.q, "q")? },
        "singer" => {
            let sigma_a = need(m.sigma_a, "sigma_a")?;
            let tau = need(m.tau, "tau")?;
            if tau <= 0.0 {
                bail!("{f}: `motion.tau` must be > 0 (seconds), found {tau}");
            }
            MotionModel::Singer { sigma_a, tau }
        }
        "ct" => MotionModel::Ct {
            q: need(m.q, "q")?,
            q_omega: need(m.q_omega, "q_omega")?,
        },
        other => bail!("{f}: [motion] model = \"{other}\": expected cv, ca, singer or ct"),
    })
}

fn check(cfg: &TrackerFile, path: &Path) -> Result<TrackerConfig> {
    let f = path.display();
    let prob = |v: f64, key: &str| {
        if v.is_finite() && v > 0.0 && v <= 1.0 {
            Ok(v)
        } else {
            Err(anyhow::anyhow!(
                "{f}: `{key}` must be a probability in (0, 1], found {v}"
            ))
        }
    };
    // A standard deviation: finite, > 0, and with a square that is a normal number (the
    // filters work with variances).
    let sigma = |v: f64, key: &str, unit: &str| {
        if v.is_finite() && v > 0.0 && (v * v).is_normal() {
            Ok(v)
        } else {
            Err(anyhow::anyhow!(
                "{f}: `{key}` must be a finite number > 0 ({unit}) whose square is finite and \
                 not zero, found {v}"
            ))
        }
    };
    let pd = prob(cfg.detection.pd, "detection.pd")?;
    let gate = cfg.association.gate_probability;
    if !(gate.is_finite() && gate > 0.0 && gate < 1.0) {
        bail!(
            "{f}: `association.gate_probability` must be a probability in (0, 1), found {gate} \
             (a gate holding every detection is infinite)"
        );
    }
    let clutter = cfg.detection.clutter_density;
    if !(clutter.is_finite() && clutter >= 0.0) {
        bail!("{f}: `detection.clutter_density` must be a finite number ≥ 0, found {clutter}");
    }
    sigma(cfg.measurement.sigma, "measurement.sigma", "metres")?;
    let i = &cfg.initiation;
    if i.m == 0 {
        bail!("{f}: `initiation.m` must be at least 1");
    }
    if i.n == 0 {
        bail!("{f}: `initiation.n` must be at least 1");
    }
    if i.m > i.n {
        bail!(
            "{f}: `initiation.m` = {} is more than `initiation.n` = {}: a track cannot have more \
             hits than scans (need 1 ≤ m ≤ n)",
            i.m,
            i.n
        );
    }
    sigma(i.velocity_sigma, "initiation.velocity_sigma", "m/s")?;
    let initiation = match i.method.as_str() {
        "one-point" => Initiation::OnePoint {
            velocity_sigma: i.velocity_sigma,
        },
        "two-point" => Initiation::TwoPoint {
            velocity_sigma: i.velocity_sigma,
        },
        "velocity-gated" => match i.max_speed {
            Some(v) if v.is_finite() && v > 0.0 => Initiation::VelocityGated { max_speed: v },
            Some(v) => {
                bail!("{f}: `initiation.max_speed` must be a finite number > 0 (m/s), found {v}")
            }
            None => bail!(
                "{f}: `initiation.method` = \"velocity-gated\" needs `initiation.max_speed` (m/s)"
            ),
        },
        other => bail!(
            "{f}: `initiation.method` = \"{other}\": expected one-point, two-point or velocity-gated"
        ),
    };
    if cfg.deletion.max_misses == 0 {
        bail!("{f}: `deletion.max_misses` must be at least 1");
    }
    let max_sigma = sigma(
        cfg.deletion.max_position_sigma,
        "deletion.max_position_sigma",
        "metres",
    )?;
    let m = &cfg.metrics;
    if !(m.p.is_finite() && m.p >= 1.0) {
        bail!(
            "{f}: `metrics.p` must be a finite number ≥ 1, found {}",
            m.p
        );
    }
    if !(m.c.is_finite() && m.c > 0.0) {
        bail!(
            "{f}: `metrics.c` must be a finite number > 0 (metres), found {}",
            m.c
        );
    }
    if !(m.alpha > 0.0 && m.alpha <= 2.0) {
        bail!("{f}: `metrics.alpha` must be in (0, 2], found {}", m.alpha);
    }
    GospaMetric::new(m.p, m.c, m.alpha).map_err(|e| anyhow::anyhow!("{f}: [metrics] {e}"))?;
    Ok(TrackerConfig {
        pd,
        clutter_density: clutter,
        gate_probability: gate,
        association: cfg.association.method,
        m: i.m,
        n: i.n,
        max_misses: cfg.deletion.max_misses,
        max_position_variance_m2: max_sigma * max_sigma,
        initiation,
    })
}

/// Renders a TOML error as `file:line:col: message`.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> String {
    let (line, col) = e.span().map_or((0, 0), |s| {
        let before = text.get(..s.start).unwrap_or(text);
        (
            before.matches('\n').count() + 1,
            before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        )
    });
    format!("{}:{line}:{col}: {}", path.display(), e.message())
}

/// Tracks every scan with a Kalman filter on `model`, handing each scan's confirmed tracks
/// (sorted by id) to `sink`; `extra` gives the prior standard deviation of state components
/// other than position and velocity (index, σ). Stops at the first bad row of the detections.
fn track_all<const N: usize, T: TransitionModel<N>>(
    model: T,
    sigma: f64,
    cfg: TrackerConfig,
    extra: &[(usize, f64)],
    scans: impl Iterator<Item = Result<Scan, CsvError>>,
    sink: &mut dyn FnMut(f64, &[TrackRow]) -> Result<()>,
) -> Result<()> {
    let measurement = LinearPosition::<N>::new([sigma; 3]);
    let layout = StateLayout {
        position: position_indices::<N>(),
        velocity: velocity_indices::<N>(),
    };
    let mut prior_cov = SMatrix::<f64, N, N>::zeros();
    for &(i, s) in extra {
        prior_cov[(i, i)] = s * s;
    }
    let prior = Gaussian::new(SVector::<f64, N>::zeros(), prior_cov);
    let mut tracker = Tracker::new(
        KalmanFilter::new(KalmanPredictor::new(model), KalmanUpdater::new(measurement)),
        measurement,
        cfg,
        layout,
        prior,
    );
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
        sink(scan.t, &confirmed)?;
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
    fn new(m: &MetricsSection, truth: Vec<rampart_track::io::TruthRow>) -> Result<Self> {
        Ok(Self {
            params: (m.p, m.c, m.alpha),
            metric: GospaMetric::new(m.p, m.c, m.alpha)?,
            truth: TruthTable::new(truth),
            results: Vec::new(),
            rmse: RmseAccumulator::new(),
            continuity: ContinuityAccumulator::new(),
            confirmed_ids: BTreeSet::new(),
            scans: 0,
        })
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
