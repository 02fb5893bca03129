//! Tracking Cartesian position detections `t, x, y, z` in one frame with a tracker built from a
//! tracker file's settings, whatever its motion model, and scoring the tracks against truth.
//!
//! [`CartesianTracker`] takes one scan at a time and returns its confirmed tracks, so the same
//! code serves `rampart track` (a file read a scan at a time) and the Python module (a frame of
//! detections, or a Stone Soup detector feeding it scan by scan). [`Scorer`] scores each scan's
//! tracks as they come, so memory is the truth and a few numbers a scan.

use crate::config::{ImmMotion, Implied, Motion, TrackerSettings};
use crate::filter::{KalmanFilter, TrackFilter};
use crate::io::{TrackRow, TruthRow, TruthTable};
use crate::metrics::{
    ContinuityAccumulator, ContinuityResult, GospaMetric, GospaResult, GospaSummary,
    RmseAccumulator, RmseResult, ScanAssociation,
};
use crate::models::measurement::{LinearPosition, position_indices, velocity_indices};
use crate::models::transition::{
    ConstantAcceleration, ConstantVelocity, CoordinatedTurn, Singer, TransitionModel,
};
use crate::predictor::KalmanPredictor;
use crate::tracker::{StateLayout, Tracker, TrackerParams};
use crate::types::Gaussian;
use crate::updater::KalmanUpdater;
use nalgebra::{SMatrix, SVector, Vector3};
use serde::Serialize;
use std::collections::BTreeSet;

/// Why settings cannot track Cartesian detections on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotStandalone {
    /// The settings leave the measurement noise, the detection probability or the clutter
    /// density to a radar (a scenario's tracker table may; a tracker file for detections may not).
    #[error(
        "the tracker settings give no measurement noise or detection model \
         ([measurement] sigma, [detection] pd and clutter_density)"
    )]
    SensorModelMissing,
}

/// A track's position and velocity covariance, rows and columns in the order x, y, z, vx, vy,
/// vz (m², m²/s, m²/s²).
pub type PosVelCov = [[f64; 6]; 6];

/// One scan's step of a tracker of any state size: the confirmed tracks, sorted by id, each
/// with its position and velocity covariance.
trait Step: Send {
    fn step(&mut self, t: f64, positions: &[[f64; 3]]) -> Vec<(TrackRow, PosVelCov)>;
}

/// A tracker of one state size `N`, and the state's position and velocity indices.
struct Sized<const N: usize, F: TrackFilter<N, 3>> {
    tracker: Tracker<N, 3, F, LinearPosition<N>>,
    layout: StateLayout,
    zs: Vec<SVector<f64, 3>>,
}

impl<const N: usize, F: TrackFilter<N, 3> + Send> Step for Sized<N, F>
where
    Tracker<N, 3, F, LinearPosition<N>>: Send,
{
    fn step(&mut self, t: f64, positions: &[[f64; 3]]) -> Vec<(TrackRow, PosVelCov)> {
        self.zs.clear();
        self.zs.extend(
            positions
                .iter()
                .map(|p| SVector::<f64, 3>::new(p[0], p[1], p[2])),
        );
        self.tracker.step(t, &self.zs);
        let layout = self.layout;
        let index: Vec<usize> = layout.position.into_iter().chain(layout.velocity).collect();
        let mut rows: Vec<(TrackRow, PosVelCov)> = self
            .tracker
            .confirmed()
            .map(|tr| {
                let g = &tr.state.state;
                let row = TrackRow {
                    t,
                    id: tr.id,
                    position: layout.position.map(|i| g.mean[i]),
                    velocity: layout.velocity.map(|i| g.mean[i]),
                };
                let mut cov = [[0.0; 6]; 6];
                for (a, &i) in index.iter().enumerate() {
                    for (b, &j) in index.iter().enumerate() {
                        cov[a][b] = g.cov[(i, j)];
                    }
                }
                (row, cov)
            })
            .collect();
        rows.sort_by_key(|(r, _)| r.id);
        rows
    }
}

/// A multi-target tracker of Cartesian position detections, built from tracker settings (a
/// tracker file's: docs/tracking.md), with any of their motion models.
pub struct CartesianTracker {
    inner: Box<dyn Step>,
}

impl std::fmt::Debug for CartesianTracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CartesianTracker").finish_non_exhaustive()
    }
}

impl CartesianTracker {
    /// The tracker `settings` describe. They must give the measurement noise, the detection
    /// probability and the clutter density (no radar stands behind them to imply these).
    pub fn new(settings: &TrackerSettings) -> Result<Self, NotStandalone> {
        let (Some(sigma), Some(pd), Some(clutter_density)) = (
            settings.noise.sigma_m,
            settings.pd,
            settings.clutter_density,
        ) else {
            return Err(NotStandalone::SensorModelMissing);
        };
        let params = settings.params(Implied {
            pd,
            clutter_density,
        });
        let inner: Box<dyn Step> = match settings.motion {
            Motion::Cv { q } => sized(
                kalman::<6, _>(ConstantVelocity::new(q), sigma),
                params,
                prior(&[]),
            ),
            Motion::Ca { q } => sized(
                kalman::<9, _>(ConstantAcceleration::new(q), sigma),
                params,
                prior(&[(2, 10.0), (5, 10.0), (8, 10.0)]),
            ),
            Motion::Singer { sigma_a, tau } => sized(
                kalman::<9, _>(Singer::new(sigma_a, tau), sigma),
                params,
                prior(&[(2, sigma_a), (5, sigma_a), (8, sigma_a)]),
            ),
            Motion::Ct { q, q_omega } => sized(
                kalman::<7, _>(CoordinatedTurn::new(q, q_omega), sigma),
                params,
                prior(&[(6, 0.1)]),
            ),
            Motion::Imm(imm) => {
                let m = LinearPosition::<7>::new([sigma; 3]);
                sized((imm.filter(m), m), params, ImmMotion::prior())
            }
        };
        Ok(Self { inner })
    }

    /// Takes the scan at time `t` (s, never earlier than the last) with its detected positions
    /// (m), and returns the confirmed tracks after it, sorted by id.
    pub fn step(&mut self, t: f64, positions: &[[f64; 3]]) -> Vec<TrackRow> {
        self.inner
            .step(t, positions)
            .into_iter()
            .map(|(row, _)| row)
            .collect()
    }

    /// [`CartesianTracker::step`], each track with its position and velocity covariance.
    pub fn step_with_covariance(
        &mut self,
        t: f64,
        positions: &[[f64; 3]],
    ) -> Vec<(TrackRow, PosVelCov)> {
        self.inner.step(t, positions)
    }
}

fn sized<const N: usize, F: TrackFilter<N, 3> + Send + 'static>(
    (filter, measurement): (F, LinearPosition<N>),
    params: TrackerParams,
    prior: Gaussian<N>,
) -> Box<dyn Step>
where
    Tracker<N, 3, F, LinearPosition<N>>: Send,
{
    let layout = StateLayout {
        position: position_indices::<N>(),
        velocity: velocity_indices::<N>(),
    };
    Box::new(Sized {
        tracker: Tracker::new(filter, measurement, params, layout, prior),
        layout,
        zs: Vec::new(),
    })
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

/// The scores of tracks against truth (`metrics.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Scores {
    /// GOSPA: its parameters and its summary over the scans.
    pub gospa: GospaScores,
    /// Position and velocity RMSE over the pairs GOSPA assigned.
    pub rmse: RmseResult,
    /// How many tracks, truths and scans.
    pub tracks: TrackCounts,
    /// Track continuity.
    pub continuity: ContinuityResult,
}

/// GOSPA's parameters and its summary (none without scans).
#[derive(Clone, Debug, Serialize)]
pub struct GospaScores {
    /// Order p.
    pub p: f64,
    /// Cut-off distance c, m.
    pub c: f64,
    /// α.
    pub alpha: f64,
    /// Mean and parts over the scans.
    #[serde(flatten)]
    pub summary: Option<GospaSummary>,
}

/// Counts of what was scored.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TrackCounts {
    /// Distinct confirmed track ids.
    pub confirmed: usize,
    /// Distinct truth ids.
    pub truths: usize,
    /// Scans scored.
    pub scans: usize,
}

/// Scores tracks a scan at a time against truth held whole and indexed by target: memory is
/// the truth, one scan's tracks and a few numbers per scan.
#[derive(Debug)]
pub struct Scorer {
    params: (f64, f64, f64),
    metric: GospaMetric,
    truth: TruthTable,
    /// Per scan, its time and GOSPA without its assignment (the summary needs only the numbers).
    times: Vec<f64>,
    results: Vec<GospaResult>,
    rmse: RmseAccumulator,
    continuity: ContinuityAccumulator,
    confirmed_ids: BTreeSet<u64>,
}

impl Scorer {
    /// A scorer with `metric` against `truth`.
    pub fn new(metric: GospaMetric, truth: Vec<TruthRow>) -> Self {
        Self {
            params: (metric.p(), metric.cutoff_m(), metric.alpha()),
            metric,
            truth: TruthTable::new(truth),
            times: Vec::new(),
            results: Vec::new(),
            rmse: RmseAccumulator::new(),
            continuity: ContinuityAccumulator::new(),
            confirmed_ids: BTreeSet::new(),
        }
    }

    /// Scores the confirmed tracks `tracks` of the scan at `t` against the truth there.
    pub fn scan(&mut self, t: f64, tracks: &[TrackRow]) {
        let truths = self.truth.at(t);
        let tp: Vec<Vector3<f64>> = truths.iter().map(|r| r.position.into()).collect();
        let ep: Vec<Vector3<f64>> = tracks.iter().map(|r| r.position.into()).collect();
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
        self.times.push(t);
        self.results.push(g);
        self.confirmed_ids.extend(k_ids);
    }

    /// Each scored scan's time and GOSPA, in order.
    pub fn per_scan(&self) -> impl Iterator<Item = (f64, &GospaResult)> {
        self.times.iter().copied().zip(&self.results)
    }

    /// The scores of every scan given.
    pub fn finish(&self) -> Scores {
        let (p, c, alpha) = self.params;
        Scores {
            gospa: GospaScores {
                p,
                c,
                alpha,
                summary: GospaSummary::from_results(&self.results),
            },
            rmse: self.rmse.result(),
            tracks: TrackCounts {
                confirmed: self.confirmed_ids.len(),
                truths: self.truth.len(),
                scans: self.results.len(),
            },
            continuity: self.continuity.result(),
        }
    }
}
