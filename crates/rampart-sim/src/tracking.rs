//! Each radar's own tracker: its detections, in its polar frame, fed to an interacting
//! multiple model filter over nearly-constant-velocity and ballistic motion, in the radar's
//! east-north-up frame at the antenna. The tracker sees detections only, never truth.
//!
//! A radar's `[radar.tracker]` table ([`rampart_track::config`], the same keys as
//! `rampart track`'s `tracker.toml`) sets it; the defaults, used when the table is absent, are
//! below.
//!
//! **Filter.** IMM (`rampart-track`) over two modes sharing the state `[x, vx, y, vy, z, vz, b]`
//! (b = 1/β, m²/kg): constant velocity with q = 50 m²/s³ (b carried), and ballistic motion
//! (flat-Earth gravity on the ENU up axis, exponential air, drag through b) with q = 5 m²/s³;
//! mode switching 0.05 per scan. Extended Kalman predictors and updaters on the radar-polar
//! measurement (range, azimuth, elevation). The measurement noise is the radar's at the SNR of
//! its reference point (the weakest echo it is specified to detect), the conservative end of
//! what its detections report; the detection probability is the reference one (at least 0.5)
//! and the clutter density the radar's false alarms per scan over its searched volume.
//! Flat-Earth gravity in the ENU frame tilts by about 1° per 110 km from the radar.
//!
//! **Track management.** GNN association, χ² gate 0.999; velocity-gated two-point initiation
//! (a detection no track used waits one scan, and a track starts only when the next scan has a
//! detection within 4 km/s·Δt of it, with the velocity by difference): false alarms, tens per
//! scan over the whole search volume, almost never pair, so they never cost a filter. A pair
//! must also agree in Doppler: the change of range over the interval must match the mean of
//! the two measured range rates (within 4σ plus 50 m/s: exact for any constant line-of-sight
//! acceleration), which false alarms, with range rates spread over ±2 km/s, rarely do.
//! 3-of-3 confirmation counting both starting detections, deletion after 3 missed scans or
//! past a position standard deviation of 100 km; b ~ N(10⁻⁴, (10⁻⁴)²) at birth. GOSPA with
//! p = 2, c = 1 km, α = 2.

use crate::sensors::radar::{Detection, Radar};

mod idle;
use nalgebra::{SMatrix, SVector, Vector3};
use rampart_core::{Coordinate, Ecef, Enu, LocalFrame, Vector};
use rampart_track::config::{DEFAULT_MAX_SPEED_MPS, ImmMotion, Implied, Motion};
use rampart_track::filter::ImmFilter;
use rampart_track::initiator::ConfiguredInitiator;
use rampart_track::metrics::GospaMetric;
use rampart_track::models::measurement::{RadarPolar, position_indices, velocity_indices};
use rampart_track::predictor::ImmEstimate;
use rampart_track::tracker::{StateLayout, StepReport, Tracker};

/// The fastest target a radar tracker starts a track on by default, m/s (above the re-entry
/// speed of the longest-range threats Rampart models; `initiation.max_speed` sets it).
pub const MAX_TARGET_SPEED_MPS: f64 = DEFAULT_MAX_SPEED_MPS;

/// Slack on the Doppler check of a new pair for a line-of-sight acceleration that changes
/// over the scan interval (the check is exact for a constant one), m/s.
pub const PAIR_RANGE_RATE_SLACK_MPS: f64 = 50.0;

type RadarImm = Tracker<7, 3, ImmFilter<7, 3, 2>, RadarPolar<7>>;

/// A confirmed track's estimate as battle management and guidance read it: frame-typed
/// position and velocity, the time, the covariance and the model's extra quantities. Any
/// tracker model provides it; no reader indexes a tracker's state vector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackEstimate {
    /// Track id (unique per radar).
    pub id: u64,
    /// Position in the radar's ENU frame, m.
    pub position: Coordinate<Enu>,
    /// Velocity in the radar's ENU frame, m/s.
    pub velocity: Vector<Enu>,
    /// Time of the estimate, s since the epoch.
    pub t_s: f64,
    /// The estimated inverse ballistic coefficient 1/β, m²/kg (0 for a model without drag).
    pub inverse_beta: f64,
    /// Covariance of [`TrackEstimate::state`], the ENU order (x, vx, y, vy, z, vz, 1/β) (a
    /// model without 1/β leaves its row and column zero).
    pub covariance: SMatrix<f64, 7, 7>,
    /// Probability that the target flies ballistically (the ballistic mode's probability).
    pub ballistic_probability: f64,
    /// Whether the latest scan updated it.
    pub updated: bool,
}

impl TrackEstimate {
    /// Its ECEF position and velocity (`frame` is its radar's), the position carried at
    /// constant velocity to `t_s` (s since the epoch).
    pub fn ecef_at(&self, frame: &LocalFrame, t_s: f64) -> (Vector3<f64>, Vector3<f64>) {
        let v = *frame.vector_to_ecef(&self.velocity).as_vector3();
        let r = *frame.to_ecef(&self.position).as_vector3() + v * (t_s - self.t_s);
        (r, v)
    }

    /// The estimate as the vector (x, vx, y, vy, z, vz, 1/β), ENU, in the order of
    /// [`TrackEstimate::covariance`].
    pub fn state(&self) -> SVector<f64, 7> {
        let (p, v) = (self.position, self.velocity);
        SVector::<f64, 7>::from([p.x(), v.x(), p.y(), v.y(), p.z(), v.z(), self.inverse_beta])
    }
}

/// A detection as the tracker measures it: (range, azimuth, elevation).
fn measurement(d: &Detection) -> SVector<f64, 3> {
    SVector::<f64, 3>::new(d.range_m, d.azimuth_rad, d.elevation_rad)
}

/// The Doppler check on a new pair, detection `a` then `b`, `dt` seconds later: the change in
/// range over the interval must agree with the mean of the two measured range rates (exact for
/// a constant line-of-sight acceleration, by the trapezoid rule), within 4σ of their noise plus
/// [`PAIR_RANGE_RATE_SLACK_MPS`] for a changing acceleration. (Not a pair in time order: no
/// check.)
fn doppler_agrees(a: &Detection, b: &Detection, dt: f64) -> bool {
    if dt <= 0.0 {
        return true;
    }
    let implied = (b.range_m - a.range_m) / dt;
    let measured = 0.5 * (a.range_rate_mps + b.range_rate_mps);
    let sigma = (a.sigma[3].powi(2) + b.sigma[3].powi(2)).sqrt() * 0.5
        + (a.sigma[0].powi(2) + b.sigma[0].powi(2)).sqrt() / dt;
    (implied - measured).abs() <= 4.0 * sigma + PAIR_RANGE_RATE_SLACK_MPS
}

/// A tracker's track as the simulation reports it.
fn report(t: &rampart_track::tracker::Track<7, ImmEstimate<7, 2>>) -> TrackEstimate {
    let (p, v) = (position_indices::<7>(), velocity_indices::<7>());
    let x = &t.state.state.mean;
    TrackEstimate {
        id: t.id,
        position: Coordinate::new(x[p[0]], x[p[1]], x[p[2]]),
        velocity: Vector::new(x[v[0]], x[v[1]], x[v[2]]),
        t_s: t.state.t,
        inverse_beta: x[6],
        covariance: t.state.state.cov,
        ballistic_probability: t.filter.probabilities[1],
        updated: t.updated,
    }
}

/// Where a track dwell looks for a track's target: its direction and a window in range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeGate {
    /// Track id.
    pub track: u64,
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
    /// The previous scan's detections and time, for the Doppler check on new pairs.
    previous: Vec<Detection>,
    previous_t: f64,
    /// Whether the previous scan was held back, its detections not yet handed to the tracker.
    held: bool,
    /// Whether a scan that can change nothing but which detections wait for a partner is held
    /// back rather than stepped through (the default; the results are the same either way).
    pub hold_idle_scans: bool,
    /// The idle screen of the previous scan's detections, when worked out (else empty), and
    /// the buffer for the current scan's.
    previous_screen: idle::Screened,
    fresh_screen: idle::Screened,
    /// The scan's (range, azimuth, elevation), kept for the buffer's capacity.
    measurements: Vec<SVector<f64, 3>>,
    /// How its tracks are scored.
    gospa: GospaMetric,
}

impl RadarTracker {
    /// The tracker of `radar`, as its settings (`radar.params().tracker`) say; what they
    /// leave out — the measurement noise, the detection probability, the clutter density — as
    /// the radar implies.
    pub fn new(radar: &Radar) -> Self {
        let p = radar.params();
        let settings = &p.tracker;
        let s = &p.sensitivity;
        let sigma = radar.sigmas(radar.snr(s.rcs_m2, s.range_m));
        let noise = settings.noise;
        let angle = |implied: f64| noise.angle_sigma_rad.unwrap_or(implied);
        let model = RadarPolar::<7>::new(
            [0.0; 3],
            noise.range_sigma_m.unwrap_or(sigma[0]),
            angle(sigma[1]),
            angle(sigma[2]),
        );
        // The scenario loader takes the `imm` model only for a radar.
        let motion = match settings.motion {
            Motion::Imm(imm) => imm,
            _ => ImmMotion::default(),
        };
        let filter: ImmFilter<7, 3, 2> = motion.filter(model);
        // False alarms per scan over the measurement space (m·rad²).
        let volume = (p.range_max_m - p.range_min_m)
            * p.azimuth_span_rad
            * (p.elevation_max_rad - p.elevation_min_rad);
        let params = settings.params(Implied {
            pd: s.pd.max(0.5),
            clutter_density: radar.mean_false_alarms() / volume.max(1e-9),
        });
        let layout = StateLayout {
            position: position_indices::<7>(),
            velocity: velocity_indices::<7>(),
        };
        let tracker = Tracker::new(filter, model, params, layout, ImmMotion::prior());
        Self {
            tracker,
            frame: radar.antenna().local_frame(),
            previous: Vec::new(),
            previous_t: f64::NEG_INFINITY,
            held: false,
            hold_idle_scans: true,
            previous_screen: idle::Screened::default(),
            fresh_screen: idle::Screened::default(),
            measurements: Vec::new(),
            gospa: settings.gospa,
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
        if !self.hold_idle_scans {
            // The idle screen is kept only from one idle test to the next.
            self.previous_screen.clear();
        } else if self.idle(t_s, detections) {
            // Nothing to predict, update, delete or start: a step would only make this scan's
            // detections the ones that wait for a partner. They are kept here instead, and
            // handed over before the next step that can change more.
            self.held = true;
            self.keep_as_previous(t_s, detections);
            return StepReport::default();
        }
        let mut zs = std::mem::take(&mut self.measurements);
        if std::mem::take(&mut self.held) {
            zs.clear();
            zs.extend(self.previous.iter().map(measurement));
            self.tracker.wait_with(self.previous_t, &zs);
        }
        zs.clear();
        zs.extend(detections.iter().map(measurement));
        let t_prev = self.previous_t;
        let prev = &self.previous;
        let pair_ok = |i: usize, j: usize| -> bool {
            match (prev.get(i), detections.get(j)) {
                (Some(a), Some(b)) => doppler_agrees(a, b, t_s - t_prev),
                _ => true,
            }
        };
        let report =
            self.tracker
                .step_excluding(t_s, &zs, &|id, j| excluded.contains(&(id, j)), &pair_ok);
        self.measurements = zs;
        self.keep_as_previous(t_s, detections);
        report
    }

    /// Whether the latest scan was held back ([`RadarTracker::hold_idle_scans`]).
    pub fn holding(&self) -> bool {
        self.held
    }

    /// Makes `detections`, at `t_s`, the previous scan's (the buffer is kept for its
    /// capacity).
    fn keep_as_previous(&mut self, t_s: f64, detections: &[Detection]) {
        self.previous.clear();
        self.previous.extend_from_slice(detections);
        self.previous_t = t_s;
    }

    /// Whether the scan at `t_s` of `detections` can change nothing in the tracker but which
    /// detections wait for a partner: no live track, an initiator that pairs detections of
    /// successive scans, and none of this scan within that initiator's reach of one of the
    /// previous scan's with agreeing range rates ([`idle`]; those waiting for a partner are
    /// among them, so testing them all can only err towards a step).
    fn idle(&mut self, t_s: f64, detections: &[Detection]) -> bool {
        let ConfiguredInitiator::VelocityGated(initiator) = self.tracker.initiator() else {
            return false;
        };
        let model = self.tracker.model();
        // The previous scan's screen is kept only when worked out for it (as the fresh one of
        // the step before); this scan then becomes the previous one, held or stepped.
        let ready = self.tracker.tracks().is_empty()
            && (self.previous_screen.len() == self.previous.len()
                || self.previous_screen.screen(model, &self.previous))
            && self.fresh_screen.screen(model, detections);
        if !ready {
            self.previous_screen.clear();
            return false;
        }
        let pairs = idle::any_pair(
            initiator,
            model,
            (self.previous_t, &self.previous, &self.previous_screen),
            (t_s, detections, &self.fresh_screen),
        );
        std::mem::swap(&mut self.previous_screen, &mut self.fresh_screen);
        !pairs
    }

    /// The confirmed tracks, in id order.
    pub fn confirmed(&self) -> Vec<TrackEstimate> {
        let mut out: Vec<TrackEstimate> = self.tracker.confirmed().map(report).collect();
        out.sort_by_key(|r| r.id);
        out
    }

    /// Confirmed track `id`, if the tracker holds it with an estimate of another time than
    /// `t_s` (s since the epoch): a reader that has the `t_s` estimate pays for no copy.
    pub fn track_unless_at(&self, id: u64, t_s: f64) -> Option<TrackEstimate> {
        self.tracker
            .confirmed()
            .find(|t| t.id == id)
            .filter(|t| t.state.t != t_s)
            .map(report)
    }

    /// Confirmed track `id`, if the tracker holds it.
    pub fn track(&self, id: u64) -> Option<TrackEstimate> {
        self.tracker.confirmed().find(|t| t.id == id).map(report)
    }

    /// The range gate of every live track (tentative and confirmed) with a detection in its
    /// beam (within `cone_rad` of its predicted direction) for a dwell at `t_s` (seconds since
    /// the epoch), placed by a clock that reads `clock_error_s` behind the true time: each
    /// track's own filter predicts it to the time the clock reads. The direction is the true
    /// prediction's (angles barely move in a clock error); the range is the clock's. A track
    /// with no detection near its beam needs no gate and is skipped before the filter runs
    /// (a straight-line extrapolation screens it, with a margin of 0.05 rad).
    pub fn range_gates(
        &mut self,
        t_s: f64,
        clock_error_s: f64,
        detections: &[Detection],
        cone_rad: f64,
    ) -> Vec<RangeGate> {
        let direction = |e: f64, n: f64, u: f64| (e.atan2(n), u.atan2(e.hypot(n)));
        let near = |az: f64, el: f64, cone: f64| {
            detections.iter().any(|d| {
                rampart_core::geodesy::wrap_pi(d.azimuth_rad - az).abs() < cone
                    && (d.elevation_rad - el).abs() < cone
            })
        };
        let mut out = Vec::new();
        for k in 0..self.tracker.tracks().len() {
            let tr = &self.tracker.tracks()[k];
            let id = tr.id;
            let x = &tr.state.state.mean;
            let dt = t_s - tr.state.t;
            let (az0, el0) = direction(x[0] + x[1] * dt, x[2] + x[3] * dt, x[4] + x[5] * dt);
            if !near(az0, el0, cone_rad + 0.05) {
                continue;
            }
            // Kept: the scan's step at t_s takes this prediction rather than making it again.
            let Some(exact) = self.tracker.predict_track(k, t_s) else {
                continue;
            };
            let x = exact.state.mean;
            let g = if clock_error_s == 0.0 {
                x
            } else {
                match self.tracker.predicted_at(k, t_s - clock_error_s) {
                    Some(s) => s.state.mean,
                    None => continue,
                }
            };
            let (azimuth_rad, elevation_rad) = direction(x[0], x[2], x[4]);
            let true_range = (x[0] * x[0] + x[2] * x[2] + x[4] * x[4]).sqrt();
            let centre_m = (g[0] * g[0] + g[2] * g[2] + g[4] * g[4]).sqrt();
            out.push(RangeGate {
                track: id,
                azimuth_rad,
                elevation_rad,
                centre_m,
                offset_m: centre_m - true_range,
            });
        }
        out
    }

    /// The radar's ENU frame.
    pub fn frame(&self) -> &LocalFrame {
        &self.frame
    }

    /// An ECEF point in this tracker's ENU frame.
    pub fn to_enu(&self, p: &Coordinate<Ecef>) -> Coordinate<Enu> {
        self.frame.to_enu(p)
    }

    /// GOSPA (by default p = 2, c = 1 km, α = 2; `[radar.tracker.metrics]`) of `tracks` (this
    /// tracker's confirmed tracks, as [`RadarTracker::confirmed`] gives them) against `truth`
    /// (ENU positions).
    pub fn gospa(&self, truth: &[Coordinate<Enu>], tracks: &[TrackEstimate]) -> f64 {
        if truth.is_empty() && tracks.is_empty() {
            return 0.0; // nothing to miss and nothing false: most scans between waves
        }
        let metric = self.gospa;
        let t: Vec<Vector3<f64>> = truth.iter().map(|c| *c.as_vector3()).collect();
        let e: Vec<Vector3<f64>> = tracks.iter().map(|r| *r.position.as_vector3()).collect();
        metric.compute(&t, &e).distance
    }
}
