//! Each radar's own tracker: its detections, in its polar frame, fed to an interacting
//! multiple model filter over nearly-constant-velocity and ballistic motion, in the radar's
//! east-north-up frame at the antenna. The tracker sees detections only, never truth.
//!
//! **Filter.** IMM (`rampart-track`) over two modes sharing the state `[x, vx, y, vy, z, vz, b]`
//! (b = 1/β, m²/kg): constant velocity with q = 50 m²/s³ (b carried), and ballistic motion
//! (flat-Earth gravity on the ENU up axis, exponential air, drag through b) with q = 5 m²/s³;
//! mode switching 0.05 per scan. Extended Kalman predictors and updaters on the radar-polar
//! measurement (range, azimuth, elevation). The measurement noise is the radar's at the SNR of
//! its reference point (the weakest echo it is specified to detect), the conservative end of
//! what its detections report. Flat-Earth gravity in the ENU frame tilts by about 1° per
//! 110 km from the radar.
//!
//! **Track management.** GNN association, χ² gate 0.999; velocity-gated two-point initiation
//! (a detection no track used waits one scan, and a track starts only when the next scan has a
//! detection within 4 km/s·Δt of it, with the velocity by difference): false alarms, tens per
//! scan over the whole search volume, almost never pair, so they never cost a filter.
//! 3-of-3 confirmation counting both starting detections, deletion after 3 missed scans;
//! b ~ N(10⁻⁴, (10⁻⁴)²) at birth.

use crate::sensors::radar::{Detection, Radar};
use nalgebra::{SMatrix, SVector, Vector3};
use rampart_core::{Coordinate, Ecef, Enu, LocalFrame, Vector};
use rampart_track::filter::ImmFilter;
use rampart_track::models::measurement::{RadarPolar, position_indices, velocity_indices};
use rampart_track::models::transition::{Ballistic, ConstantVelocity};
use rampart_track::predictor::{Imm, KalmanPredictor};
use rampart_track::tracker::{
    Association, Initiation, StateLayout, StepReport, Tracker, TrackerConfig,
};
use rampart_track::types::Gaussian;
use rampart_track::updater::KalmanUpdater;

/// The fastest target a radar tracker starts a track on, m/s (above the re-entry speed of the
/// longest-range threats Rampart models).
pub const MAX_TARGET_SPEED_MPS: f64 = 4_000.0;

type RadarImm = Tracker<7, 3, ImmFilter<7, 3, 2>, RadarPolar<7>>;

/// A confirmed track as the simulation reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackReport {
    /// Track id (unique per radar).
    pub id: u64,
    /// Position in the radar's ENU frame, m.
    pub position: Coordinate<Enu>,
    /// Velocity in the radar's ENU frame, m/s.
    pub velocity: Vector<Enu>,
    /// Time of the estimate, s since the epoch.
    pub t_s: f64,
    /// The IMM's combined estimate `[x, vx, y, vy, z, vz, b]` (ENU, b = 1/β in m²/kg).
    pub mean: SVector<f64, 7>,
    /// Its covariance.
    pub covariance: SMatrix<f64, 7, 7>,
    /// Probability of the ballistic mode.
    pub ballistic_probability: f64,
    /// Whether the latest scan updated it.
    pub updated: bool,
}

/// Where a track dwell looks for a track's target: its direction and a window in range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeGate {
    /// Track id.
    pub track: u64,
    /// Whether the track is confirmed.
    pub confirmed: bool,
    /// Predicted azimuth, radians clockwise from north.
    pub azimuth_rad: f64,
    /// Predicted elevation, radians.
    pub elevation_rad: f64,
    /// Centre of the range window, m.
    pub centre_m: f64,
    /// How far the clock displaced the centre from the true prediction, m.
    pub offset_m: f64,
}

/// One radar's tracker.
#[derive(Debug)]
pub struct RadarTracker {
    tracker: RadarImm,
    frame: LocalFrame,
}

impl RadarTracker {
    /// The tracker of `radar`.
    pub fn new(radar: &Radar) -> Self {
        let p = radar.params();
        let s = &p.sensitivity;
        let sigma = radar.sigmas(radar.snr(s.rcs_m2, s.range_m));
        let model = RadarPolar::<7>::new([0.0; 3], sigma[0], sigma[1], sigma[2]);
        let imm = Imm::new(
            [
                Box::new(KalmanPredictor::new(ConstantVelocity::new(50.0))),
                Box::new(KalmanPredictor::new(Ballistic::standard(5.0, 1e-10))),
            ],
            [
                Box::new(KalmanUpdater::new(model)),
                Box::new(KalmanUpdater::new(model)),
            ],
            SMatrix::<f64, 2, 2>::new(0.95, 0.05, 0.05, 0.95),
        )
        .unwrap_or_else(|e| unreachable!("a fixed, valid IMM configuration: {e}"));
        let filter = ImmFilter {
            imm,
            initial_probabilities: SVector::<f64, 2>::new(0.5, 0.5),
        };
        // False alarms per scan over the measurement space (m·rad²).
        let volume = (p.range_max_m - p.range_min_m)
            * p.azimuth_span_rad
            * (p.elevation_max_rad - p.elevation_min_rad);
        let config = TrackerConfig {
            pd: s.pd.max(0.5),
            clutter_density: radar.mean_false_alarms() / volume.max(1e-9),
            gate_probability: 0.999,
            association: Association::Gnn,
            m: 3,
            n: 3,
            max_misses: 3,
            max_position_variance_m2: 1e10,
            initiation: Initiation::VelocityGated {
                max_speed: MAX_TARGET_SPEED_MPS,
            },
        };
        let layout = StateLayout {
            position: position_indices::<7>(),
            velocity: velocity_indices::<7>(),
        };
        let mut prior_mean = SVector::<f64, 7>::zeros();
        prior_mean[6] = 1e-4;
        let mut prior_cov = SMatrix::<f64, 7, 7>::zeros();
        prior_cov[(6, 6)] = 1e-8;
        let tracker = Tracker::new(
            filter,
            model,
            config,
            layout,
            Gaussian::new(prior_mean, prior_cov),
        );
        Self {
            tracker,
            frame: radar.antenna().local_frame(),
        }
    }

    /// Processes one scan's detections (false alarms included: the tracker cannot tell).
    pub fn step(&mut self, t_s: f64, detections: &[Detection]) -> StepReport {
        self.step_gated(t_s, detections, &[])
    }

    /// As [`RadarTracker::step`], where detection `j` may not update track `id` for each
    /// `(id, j)` in `excluded` (it lay outside that track's range gate).
    pub fn step_gated(
        &mut self,
        t_s: f64,
        detections: &[Detection],
        excluded: &[(u64, usize)],
    ) -> StepReport {
        let zs: Vec<SVector<f64, 3>> = detections
            .iter()
            .map(|d| SVector::<f64, 3>::new(d.range_m, d.azimuth_rad, d.elevation_rad))
            .collect();
        if excluded.is_empty() {
            return self.tracker.step(t_s, &zs);
        }
        self.tracker
            .step_excluding(t_s, &zs, &|id, j| excluded.contains(&(id, j)))
    }

    /// The confirmed tracks, in id order.
    pub fn confirmed(&self) -> Vec<TrackReport> {
        let lay_p = position_indices::<7>();
        let lay_v = velocity_indices::<7>();
        let mut out: Vec<TrackReport> = self
            .tracker
            .confirmed()
            .map(|t| {
                let x = &t.state.state.mean;
                TrackReport {
                    id: t.id,
                    position: Coordinate::new(x[lay_p[0]], x[lay_p[1]], x[lay_p[2]]),
                    velocity: Vector::new(x[lay_v[0]], x[lay_v[1]], x[lay_v[2]]),
                    t_s: t.state.t,
                    mean: *x,
                    covariance: t.state.state.cov,
                    ballistic_probability: t.filter.probabilities[1],
                    updated: t.updated,
                }
            })
            .collect();
        out.sort_by_key(|r| r.id);
        out
    }

    /// The range gate of every live track (tentative and confirmed) for a dwell at `t_s`
    /// (seconds since the epoch), placed by a clock that reads `clock_error_s` behind the true
    /// time: each track's own filter predicts it to the time the clock reads. The direction is
    /// the true prediction's (angles barely move in a clock error); the range is the clock's.
    pub fn range_gates(&self, t_s: f64, clock_error_s: f64) -> Vec<RangeGate> {
        let exact: Vec<(u64, bool, SVector<f64, 7>)> = self
            .tracker
            .predicted(t_s)
            .map(|(id, c, s)| (id, c, s.state.mean))
            .collect();
        let placed: Vec<SVector<f64, 7>> = if clock_error_s == 0.0 {
            exact.iter().map(|e| e.2).collect()
        } else {
            self.tracker
                .predicted(t_s - clock_error_s)
                .map(|(_, _, s)| s.state.mean)
                .collect()
        };
        exact
            .iter()
            .zip(placed)
            .map(|(&(track, confirmed, x), g)| {
                let (e, n, u) = (x[0], x[2], x[4]);
                let true_range = (e * e + n * n + u * u).sqrt();
                let centre_m = (g[0] * g[0] + g[2] * g[2] + g[4] * g[4]).sqrt();
                RangeGate {
                    track,
                    confirmed,
                    azimuth_rad: e.atan2(n),
                    elevation_rad: u.atan2(e.hypot(n)),
                    centre_m,
                    offset_m: centre_m - true_range,
                }
            })
            .collect()
    }

    /// The radar's ENU frame.
    pub fn frame(&self) -> &LocalFrame {
        &self.frame
    }

    /// An ECEF point in this tracker's ENU frame.
    pub fn to_enu(&self, p: &Coordinate<Ecef>) -> Coordinate<Enu> {
        self.frame.to_enu(p)
    }

    /// GOSPA (p = 2, c = 1 km, α = 2) of the confirmed tracks against `truth` (ENU positions).
    pub fn gospa(&self, truth: &[Coordinate<Enu>]) -> f64 {
        let metric = rampart_track::metrics::GospaMetric::default();
        let t: Vec<Vector3<f64>> = truth.iter().map(|c| *c.as_vector3()).collect();
        let e: Vec<Vector3<f64>> = self
            .confirmed()
            .iter()
            .map(|r| *r.position.as_vector3())
            .collect();
        metric.compute(&t, &e).distance
    }
}
