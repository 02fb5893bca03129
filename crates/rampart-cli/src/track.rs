//! `rampart track`: run the multi-target tracker over a detections file.

use anyhow::{Context, Result, bail};
use nalgebra::{SMatrix, SVector};
use rampart_track::filter::KalmanFilter;
use rampart_track::io::{Scan, TrackRow, TruthRow, read_detections, read_truth, write_tracks};
use rampart_track::metrics::{
    ContinuityResult, GospaMetric, GospaResult, GospaSummary, RmseAccumulator, RmseResult,
    ScanAssociation, continuity,
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
    let scans = read_detections(detections)?;
    let sigma = cfg.measurement.sigma;
    let m = &cfg.motion;
    let need = |v: Option<f64>, key: &str| {
        v.filter(|x| x.is_finite() && *x >= 0.0).ok_or_else(|| {
            anyhow::anyhow!(
                "{}: [motion] model \"{}\" needs `{key}` (a number ≥ 0)",
                config.display(),
                m.model
            )
        })
    };
    let rows = match m.model.as_str() {
        "cv" => track_all::<6, _>(
            ConstantVelocity::new(need(m.q, "q")?),
            sigma,
            tracker_cfg,
            &[],
            &scans,
        ),
        "ca" => track_all::<9, _>(
            ConstantAcceleration::new(need(m.q, "q")?),
            sigma,
            tracker_cfg,
            &[(2, 10.0), (5, 10.0), (8, 10.0)],
            &scans,
        ),
        "singer" => {
            let s = Singer::new(need(m.sigma_a, "sigma_a")?, need(m.tau, "tau")?);
            let a = need(m.sigma_a, "sigma_a")?;
            track_all::<9, _>(s, sigma, tracker_cfg, &[(2, a), (5, a), (8, a)], &scans)
        }
        "ct" => {
            let ct = CoordinatedTurn::new(need(m.q, "q")?, need(m.q_omega, "q_omega")?);
            track_all::<7, _>(ct, sigma, tracker_cfg, &[(6, 0.1)], &scans)
        }
        other => bail!(
            "{}: [motion] model = \"{other}\": expected cv, ca, singer or ct",
            config.display()
        ),
    };
    write_tracks(out, &rows)?;
    if let Some(truth_path) = truth {
        let truth = read_truth(truth_path)?;
        let result = evaluate(&cfg.metrics, &scans, &rows, &truth)?;
        let text = serde_json::to_string_pretty(&result)? + "\n";
        match metrics {
            Some(p) => {
                std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))?
            }
            None => print!("{text}"),
        }
    } else if metrics.is_some() {
        bail!("--metrics needs --truth");
    }
    Ok(())
}

fn check(cfg: &TrackerFile, path: &Path) -> Result<TrackerConfig> {
    let f = path.display();
    let prob = |v: f64, key: &str, lo_open: bool| {
        let ok = v.is_finite() && v <= 1.0 && if lo_open { v > 0.0 } else { v >= 0.0 };
        if ok {
            Ok(v)
        } else {
            Err(anyhow::anyhow!(
                "{f}: `{key}` must be a probability in (0, 1], found {v}"
            ))
        }
    };
    let pd = prob(cfg.detection.pd, "detection.pd", true)?;
    let gate = prob(
        cfg.association.gate_probability,
        "association.gate_probability",
        true,
    )?;
    if gate >= 1.0 {
        bail!(
            "{f}: `association.gate_probability` must be below 1 (a gate holding every detection is infinite)"
        );
    }
    if !(cfg.detection.clutter_density.is_finite() && cfg.detection.clutter_density >= 0.0) {
        bail!("{f}: `detection.clutter_density` must be ≥ 0");
    }
    if !(cfg.measurement.sigma.is_finite() && cfg.measurement.sigma > 0.0) {
        bail!("{f}: `measurement.sigma` must be > 0 (metres)");
    }
    let i = &cfg.initiation;
    if i.m == 0 || i.n == 0 || i.m > i.n {
        bail!(
            "{f}: [initiation] needs 1 ≤ m ≤ n, found m = {}, n = {}",
            i.m,
            i.n
        );
    }
    if !(i.velocity_sigma.is_finite() && i.velocity_sigma > 0.0) {
        bail!("{f}: `initiation.velocity_sigma` must be > 0 (m/s)");
    }
    let initiation = match i.method.as_str() {
        "one-point" => Initiation::OnePoint {
            velocity_sigma: i.velocity_sigma,
        },
        "two-point" => Initiation::TwoPoint {
            velocity_sigma: i.velocity_sigma,
        },
        "velocity-gated" => match i.max_speed {
            Some(v) if v.is_finite() && v > 0.0 => Initiation::VelocityGated { max_speed: v },
            Some(_) => bail!("{f}: `initiation.max_speed` must be > 0 (m/s)"),
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
    GospaMetric::new(cfg.metrics.p, cfg.metrics.c, cfg.metrics.alpha)
        .map_err(|e| anyhow::anyhow!("{f}: [metrics] {e}"))?;
    let max_sigma = cfg.deletion.max_position_sigma;
    Ok(TrackerConfig {
        pd,
        clutter_density: cfg.detection.clutter_density,
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
        let before = &text[..s.start.min(text.len())];
        (
            before.matches('\n').count() + 1,
            before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        )
    });
    format!("{}:{line}:{col}: {}", path.display(), e.message())
}

/// Tracks every scan with a Kalman filter on `model`; `extra` gives the prior standard
/// deviation of state components other than position and velocity (index, σ).
fn track_all<const N: usize, T: TransitionModel<N>>(
    model: T,
    sigma: f64,
    cfg: TrackerConfig,
    extra: &[(usize, f64)],
    scans: &[Scan],
) -> Vec<TrackRow> {
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
    let mut rows = Vec::new();
    let mut zs: Vec<SVector<f64, 3>> = Vec::new();
    for scan in scans {
        zs.clear();
        zs.extend(
            scan.positions
                .iter()
                .map(|p| SVector::<f64, 3>::new(p[0], p[1], p[2])),
        );
        tracker.step(scan.t, &zs);
        let mut confirmed: Vec<TrackRow> = tracker
            .confirmed()
            .map(|tr| {
                let x = &tr.state.state.mean;
                TrackRow {
                    t: scan.t,
                    id: tr.id,
                    position: layout.position.map(|i| x[i]),
                    velocity: layout.velocity.map(|i| x[i]),
                }
            })
            .collect();
        confirmed.sort_by_key(|r| r.id);
        rows.extend(confirmed);
    }
    rows
}

/// Truth at time `t`: each target's rows interpolated linearly in time (targets whose rows do
/// not span `t` are absent).
fn truth_at(truth: &[TruthRow], t: f64) -> Vec<TruthRow> {
    let mut ids: Vec<u64> = truth.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let rows: Vec<&TruthRow> = truth.iter().filter(|r| r.id == id).collect();
        if let Some(exact) = rows.iter().find(|r| r.t == t) {
            out.push(**exact);
            continue;
        }
        let after = rows.iter().position(|r| r.t > t);
        if let Some(k) = after.filter(|k| *k > 0) {
            let (a, b) = (rows[k - 1], rows[k]);
            let w = (t - a.t) / (b.t - a.t);
            let lerp = |x: [f64; 3], y: [f64; 3]| [0, 1, 2].map(|i| x[i] + w * (y[i] - x[i]));
            out.push(TruthRow {
                t,
                id,
                position: lerp(a.position, b.position),
                velocity: lerp(a.velocity, b.velocity),
            });
        }
    }
    out
}

fn evaluate(
    m: &MetricsSection,
    scans: &[Scan],
    rows: &[TrackRow],
    truth: &[TruthRow],
) -> Result<MetricsFile> {
    let metric = GospaMetric::new(m.p, m.c, m.alpha)?;
    let mut results: Vec<GospaResult> = Vec::with_capacity(scans.len());
    let mut assoc: Vec<ScanAssociation> = Vec::with_capacity(scans.len());
    let mut rmse = RmseAccumulator::new();
    let mut confirmed_ids: Vec<u64> = rows.iter().map(|r| r.id).collect();
    confirmed_ids.sort_unstable();
    confirmed_ids.dedup();
    let mut truth_ids: Vec<u64> = truth.iter().map(|r| r.id).collect();
    truth_ids.sort_unstable();
    truth_ids.dedup();
    for scan in scans {
        let truths = truth_at(truth, scan.t);
        let tracks: Vec<&TrackRow> = rows.iter().filter(|r| r.t == scan.t).collect();
        let tp: Vec<nalgebra::Vector3<f64>> = truths.iter().map(|r| r.position.into()).collect();
        let ep: Vec<nalgebra::Vector3<f64>> = tracks.iter().map(|r| r.position.into()).collect();
        let g = metric.compute(&tp, &ep);
        for (i, j) in g.assigned_pairs() {
            rmse.add_position(tp[i], ep[j]);
            rmse.add_velocity(truths[i].velocity, tracks[j].velocity);
        }
        let t_ids: Vec<u64> = truths.iter().map(|r| r.id).collect();
        let k_ids: Vec<u64> = tracks.iter().map(|r| r.id).collect();
        assoc.push(ScanAssociation::from_assignment(
            &t_ids,
            &k_ids,
            &g.assignment,
        ));
        results.push(g);
    }
    Ok(MetricsFile {
        gospa: GospaOut {
            p: m.p,
            c: m.c,
            alpha: m.alpha,
            summary: GospaSummary::from_results(&results),
        },
        rmse: rmse.result(),
        tracks: TrackCounts {
            confirmed: confirmed_ids.len(),
            truths: truth_ids.len(),
            scans: scans.len(),
        },
        continuity: continuity(&assoc),
    })
}
