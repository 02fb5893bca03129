//! A space-based early-warning sensor: it sees a ballistic missile's boost by its plume and
//! cues the network; it is not a fire-control sensor.
//!
//! Modelled only from what public descriptions give (the US Defense Support Program and its
//! successor, the Space-Based Infrared System): an infrared sensor in high orbit sees the hot
//! plume of a missile's motor once it is above the clouds, at the sensor's revisit (a Defense
//! Support Program satellite spins at 6 revolutions per minute, so its detector sweeps a point
//! every 10 s — Federation of American Scientists, "Defense Support Program"), and reports,
//! after a processing delay, the launch time, the launch point and the heading, and the
//! positions of the boosting missile, at far less than fire-control accuracy. Every figure is
//! the scenario's, notional.
//!
//! **Looks.** At `first_look + φ + k·revisit` (φ, the phase of its sweep, drawn per replication
//! in [0, revisit) by the engine) every threat whose motor burns and whose height is at
//! least `detection_altitude` is detected with probability `pd`; its measured position is the
//! true one plus independent Gaussian errors of `position_error` on each ECEF axis. The
//! detection is given in the [`Sensor`](super::Sensor) trait's polar form, range, azimuth and
//! elevation from a reference point of the theater (lossless: the position is all it means;
//! σ_R = σ, σ_θ = σ/R for both angles; no range rate, its σ 10⁹ m/s).
//!
//! **Its tracks** ([`CueTracker`]): a detection updates the track detected within the last 2.5
//! revisits (one look may miss) that it fits best, else starts one. It fits a track of known
//! velocity when it lies within [`CUE_GATE_M`] + ½·[`MAX_BOOST_ACCELERATION`]·Δt² of the
//! position the track predicts (its last position carried at its velocity: a motor
//! accelerates); a track of one detection when it has moved from it by at least
//! [`MIN_SPEED_MPS`]·Δt less 3√2·σ (the noise of two detections) and at most [`CUE_GATE_M`] +
//! [`MAX_SPEED_MPS`]·Δt (missiles of one salvo fly one path seconds apart: a plume where an
//! older one was seen is a new missile, when the sensor is precise enough to tell).
//! A track's position and velocity at its last detection come from a least-squares fit of its
//! detections (the last 16): constant velocity through two, constant acceleration through three
//! or more (a burning motor), with the fit's covariance σ²·(AᵀA)⁻¹; after one detection the
//! position is that detection (σ on each axis) and the velocity unknown (0 ± 2 km/s). A track
//! is never reported as updated (a cue makes no system track engageable). A track
//! not detected for 1.5 revisits has burnt out: one of known velocity is reported as it was last
//! seen, now on a ballistic path (the node predicts it under gravity), not updated (a cue, never
//! engaged on alone), until `cue_hold` after its last detection; one of a single detection,
//! whose path is unknown, is dropped.
//!
//! **Launch warnings.** A new track's launch time, launch point and heading are reported with
//! the stated errors: the truth plus Gaussian errors of `launch_time_error`,
//! `launch_point_error` (on east and north) and `heading_error` (the error model of a reported
//! quantity, drawn from the sensor's stream).

use super::{ScanOutput, TargetView};
use crate::network::fusion::{Covariance, LocalTrack, State};
use crate::sensors::radar::Detection;
use nalgebra::Vector3;
use rampart_core::random::StreamRng;
use rampart_core::{Coordinate, Ecef, Geodetic, LocalFrame, SimDuration, SimTime};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// The least distance from a track's predicted position at which a detection may start
/// another track, m.
pub const CUE_GATE_M: f64 = 10_000.0;
/// A burning motor's acceleration at most, for the association gate, m/s² (about 10 g).
pub const MAX_BOOST_ACCELERATION: f64 = 100.0;
/// A boosting missile's speed at least and at most, m/s, for a track of one detection.
pub const MIN_SPEED_MPS: f64 = 300.0;
/// See [`MIN_SPEED_MPS`].
pub const MAX_SPEED_MPS: f64 = 3_000.0;
/// The velocity standard deviation of a track of one detection, m/s.
const UNKNOWN_SPEED_MPS: f64 = 2_000.0;
/// The standard deviation given for the range rate it does not measure, m/s.
const NO_RANGE_RATE: f64 = 1e9;

/// Everything a scenario says about one early-warning sensor (SI units, radians).
#[derive(Clone, Debug, PartialEq)]
pub struct EarlyWarningParams {
    /// Unique name among the scenario's sensors.
    pub name: String,
    /// Time of the first look after the epoch.
    pub first_look: SimDuration,
    /// Time between looks.
    pub revisit: SimDuration,
    /// A plume is seen from this height above the ellipsoid, m.
    pub detection_altitude_m: f64,
    /// Probability of detecting a plume in view at one look.
    pub pd: f64,
    /// Standard deviation of a reported position on each ECEF axis, m.
    pub position_error_m: f64,
    /// Processing delay from a look to its report.
    pub delay: SimDuration,
    /// Standard deviation of the reported launch time, s.
    pub launch_time_error_s: f64,
    /// Standard deviation of the reported launch point on east and north, m.
    pub launch_point_error_m: f64,
    /// Standard deviation of the reported heading, rad.
    pub heading_error_rad: f64,
    /// How long after its last detection a track is still reported (as a ballistic cue).
    pub cue_hold: SimDuration,
}

/// An early-warning sensor ready to look.
#[derive(Clone, Debug)]
pub struct EarlyWarning {
    params: EarlyWarningParams,
    /// The reference point its detections' polar coordinates are taken from.
    frame: LocalFrame,
}

impl EarlyWarning {
    /// The sensor, its detections given from `reference`.
    pub fn new(params: EarlyWarningParams, reference: Geodetic) -> Self {
        Self {
            params,
            frame: LocalFrame::new(reference),
        }
    }

    /// Its parameters.
    pub fn params(&self) -> &EarlyWarningParams {
        &self.params
    }

    /// The ECEF position a detection stands for.
    pub fn position(&self, d: &Detection) -> Vector3<f64> {
        let dir = self.frame.direction(d.azimuth_rad, d.elevation_rad);
        self.frame.origin_ecef().as_vector3() + dir.as_vector3() * d.range_m
    }
}

impl super::Sensor for EarlyWarning {
    fn name(&self) -> &str {
        &self.params.name
    }
    fn first_scan(&self) -> SimDuration {
        self.params.first_look
    }
    fn revisit(&self) -> SimDuration {
        self.params.revisit
    }
    fn mean_false_alarms(&self) -> f64 {
        0.0
    }
    /// It views the whole theater; what it sees there is a burning motor.
    fn covers(&self, _position: &Coordinate<Ecef>) -> bool {
        true
    }
    fn scan(
        &self,
        t: SimTime,
        targets: &mut dyn Iterator<Item = TargetView>,
        rng: &mut StreamRng,
        out: &mut ScanOutput,
    ) {
        let p = &self.params;
        for v in targets {
            if !v.plume {
                continue;
            }
            if Geodetic::from_ecef(&v.position).alt_m < p.detection_altitude_m {
                continue;
            }
            if rng.random::<f64>() >= p.pd {
                continue;
            }
            let noise = Vector3::from_fn(|_, _| {
                let z: f64 = StandardNormal.sample(rng);
                z * p.position_error_m
            });
            let measured = Coordinate::<Ecef>::from_vector3(v.position.as_vector3() + noise);
            let aer = self.frame.aer(&measured);
            let range = aer.range_m.max(1.0);
            out.push(
                Detection {
                    t,
                    range_m: aer.range_m,
                    azimuth_rad: aer.az_rad,
                    elevation_rad: aer.el_rad,
                    range_rate_mps: 0.0,
                    snr: 1.0,
                    sigma: [
                        p.position_error_m,
                        p.position_error_m / range,
                        p.position_error_m / range,
                        NO_RANGE_RATE,
                    ],
                },
                Some(v.truth),
            );
        }
    }
}

/// The most detections a track keeps for its fit.
const MAX_FIT: usize = 16;

/// One of the sensor's tracks: its latest detections, oldest first.
#[derive(Clone, Debug, PartialEq)]
struct CueTrack {
    id: u64,
    last: (f64, Vector3<f64>),
    seen: Vec<(f64, Vector3<f64>)>,
}

/// A track's state at its last detection from a least-squares fit of its detections: position,
/// velocity, and per axis the variances of each and their covariance (in units of σ²).
struct Fit {
    position: Vector3<f64>,
    velocity: Vector3<f64>,
    var: [f64; 3],
}

impl CueTrack {
    /// The least-squares fit of its detections, with τ the time before the last: constant
    /// velocity through two, constant acceleration through three or more (a burning motor),
    /// the state at the last detection and its covariance σ²·(AᵀA)⁻¹ (the same on each axis).
    fn fit(&self) -> Option<Fit> {
        let n = self.seen.len();
        if n < 2 {
            return None;
        }
        let t1 = self.last.0;
        let terms = if n >= 3 { 3 } else { 2 };
        let row = |t: f64| {
            let tau = t - t1;
            [1.0, tau, 0.5 * tau * tau]
        };
        let mut ata = nalgebra::Matrix3::<f64>::zeros();
        let mut aty = nalgebra::Matrix3::<f64>::zeros(); // columns: the axes
        for &(t, p) in &self.seen {
            let a = row(t);
            for i in 0..terms {
                for j in 0..terms {
                    ata[(i, j)] += a[i] * a[j];
                }
                for k in 0..3 {
                    aty[(i, k)] += a[i] * p[k];
                }
            }
        }
        if terms == 2 {
            ata[(2, 2)] = 1.0;
        }
        let inv = ata.try_inverse()?;
        let coef = inv * aty;
        Some(Fit {
            position: coef.row(0).transpose(),
            velocity: coef.row(1).transpose(),
            var: [inv[(0, 0)], inv[(1, 1)], inv[(0, 1)]],
        })
    }

    fn velocity(&self) -> Option<Vector3<f64>> {
        self.fit().map(|f| f.velocity)
    }

    fn predict(&self, t: f64) -> Vector3<f64> {
        match self.fit() {
            Some(f) => f.position + f.velocity * (t - self.last.0),
            None => self.last.1,
        }
    }
}

/// The sensor's own tracks of the plumes it sees (see the module's notes).
#[derive(Clone, Debug, Default)]
pub struct CueTracker {
    tracks: Vec<CueTrack>,
    next_id: u64,
}

impl CueTracker {
    /// Takes one look's detected positions (ECEF) at `t_s`; drops the tracks not detected for
    /// `hold_s`; returns, for each position, the track it went to and whether it started it.
    pub fn update(
        &mut self,
        t_s: f64,
        revisit_s: f64,
        hold_s: f64,
        sigma_m: f64,
        positions: &[Vector3<f64>],
    ) -> Vec<(u64, bool)> {
        let noise = 3.0 * std::f64::consts::SQRT_2 * sigma_m;
        let mut out = Vec::with_capacity(positions.len());
        let mut taken: Vec<u64> = Vec::new();
        for p in positions {
            let best = self
                .tracks
                .iter_mut()
                .filter(|tr| !taken.contains(&tr.id) && t_s - tr.last.0 <= 2.5 * revisit_s)
                .map(|tr| ((tr.predict(t_s) - p).norm(), tr))
                .filter(|(d, tr)| {
                    let dt = t_s - tr.last.0;
                    match tr.velocity() {
                        Some(_) => *d <= CUE_GATE_M + 0.5 * MAX_BOOST_ACCELERATION * dt * dt,
                        None => {
                            *d >= MIN_SPEED_MPS * dt - noise
                                && *d <= CUE_GATE_M + MAX_SPEED_MPS * dt
                        }
                    }
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            match best {
                Some((_, tr)) => {
                    tr.last = (t_s, *p);
                    tr.seen.push((t_s, *p));
                    if tr.seen.len() > MAX_FIT {
                        tr.seen.remove(0);
                    }
                    taken.push(tr.id);
                    out.push((tr.id, false));
                }
                None => {
                    self.next_id += 1;
                    let id = self.next_id;
                    self.tracks.push(CueTrack {
                        id,
                        last: (t_s, *p),
                        seen: vec![(t_s, *p)],
                    });
                    taken.push(id);
                    out.push((id, true));
                }
            }
        }
        self.tracks.retain(|tr| {
            let since = t_s - tr.last.0;
            let burning = since <= 1.5 * revisit_s;
            since <= hold_s && (burning || tr.velocity().is_some())
        });
        out
    }

    /// Its tracks as the node takes them at `t_s`, with `sigma_m` the position error on each
    /// axis.
    pub fn tracks(&self, t_s: f64, revisit_s: f64, sigma_m: f64) -> Vec<LocalTrack> {
        self.tracks
            .iter()
            .map(|tr| {
                let s2 = sigma_m * sigma_m;
                let (r, v, [pos_var, vel_var, cross]) = match tr.fit() {
                    Some(f) => (
                        f.position,
                        f.velocity,
                        [f.var[0] * s2, f.var[1] * s2, f.var[2] * s2],
                    ),
                    None => (
                        tr.last.1,
                        Vector3::zeros(),
                        [s2, UNKNOWN_SPEED_MPS * UNKNOWN_SPEED_MPS, 0.0],
                    ),
                };
                let mut x = State::zeros();
                x.fixed_rows_mut::<3>(0).copy_from(&r);
                x.fixed_rows_mut::<3>(3).copy_from(&v);
                let mut p = Covariance::zeros();
                for i in 0..3 {
                    p[(i, i)] = pos_var;
                    p[(i + 3, i + 3)] = vel_var;
                    p[(i, i + 3)] = cross;
                    p[(i + 3, i)] = cross;
                }
                // Seen lately: a burning motor, accelerating; else burnt out, ballistic.
                let burning = t_s - tr.last.0 <= 1.5 * revisit_s;
                LocalTrack {
                    id: tr.id,
                    t_s: tr.last.0,
                    x,
                    p,
                    // A cue is never fire-control data: it makes no system track engageable.
                    updated: false,
                    inverse_beta: 0.0,
                    inverse_beta_var: 0.0,
                    ballistic_probability: if burning { 0.0 } else { 1.0 },
                    process_noise: if burning {
                        crate::network::fusion::BOOST_NOISE
                    } else {
                        crate::network::fusion::PREDICTION_NOISE
                    },
                    revisit_s,
                    received_s: tr.last.0,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensors::Sensor;
    use crate::sensors::detection::Swerling;
    use crate::world::{ThreatId, Truth};
    use rampart_core::Vector;
    use rampart_core::random::RandomStreams;

    fn params() -> EarlyWarningParams {
        EarlyWarningParams {
            name: "EW".into(),
            first_look: SimDuration::ZERO,
            revisit: SimDuration::from_secs(10),
            detection_altitude_m: 10_000.0,
            pd: 1.0,
            position_error_m: 1_000.0,
            delay: SimDuration::from_secs(20),
            launch_time_error_s: 2.0,
            launch_point_error_m: 2_000.0,
            heading_error_rad: 0.03,
            cue_hold: SimDuration::from_secs(25),
        }
    }

    fn view(alt_m: f64, plume: bool) -> TargetView {
        TargetView {
            truth: Truth::Threat(ThreatId::from_index(0)),
            position: Geodetic::from_degrees(34.0, 46.0, alt_m).to_ecef(),
            velocity: Vector::zeros(),
            rcs_m2: 0.1,
            swerling: Swerling::One,
            plume,
            cued: false,
        }
    }

    #[test]
    fn it_sees_a_burning_motor_above_the_clouds_and_nothing_else() {
        let ew = EarlyWarning::new(params(), Geodetic::from_degrees(33.0, 44.0, 0.0));
        let mut rng = RandomStreams::new(1, 0).stream("ew", "test");
        let mut out = ScanOutput::default();
        let mut targets = vec![
            view(5_000.0, true),
            view(30_000.0, false),
            view(30_000.0, true),
        ]
        .into_iter();
        ew.scan(SimTime::EPOCH, &mut targets, &mut rng, &mut out);
        assert_eq!(out.detections.len(), 1);
        // The polar form stands for the measured position, within a few σ of the truth.
        let truth = *view(30_000.0, true).position.as_vector3();
        let err = (ew.position(&out.detections[0]) - truth).norm();
        assert!(err < 5_000.0, "{err}");
        // Over many looks the error on each axis has the stated σ (χ² with 3n degrees of
        // freedom: the mean squared error per axis within 10 % of σ² for n = 2,000).
        let mut sum2 = 0.0;
        let n = 2_000;
        for _ in 0..n {
            out.clear();
            ew.scan(
                SimTime::EPOCH,
                &mut std::iter::once(view(30_000.0, true)),
                &mut rng,
                &mut out,
            );
            sum2 += (ew.position(&out.detections[0]) - truth).norm_squared();
        }
        let per_axis = sum2 / (3.0 * n as f64);
        assert!((per_axis / 1e6 - 1.0).abs() < 0.1, "{per_axis}");
    }

    #[test]
    fn its_tracks_follow_each_plume_and_end_after_burnout() {
        let mut cue = CueTracker::default();
        let hold = 25.0;
        let a = Vector3::new(5.0e6, 3.0e6, 3.5e6);
        let b = a + Vector3::new(50_000.0, 0.0, 0.0);
        let v = Vector3::new(0.0, 300.0, 400.0);
        assert_eq!(
            cue.update(0.0, 10.0, hold, 100.0, &[a, b]),
            [(1, true), (2, true)]
        );
        let tracks = cue.tracks(0.0, 10.0, 1_000.0);
        assert_eq!(tracks[0].p[(3, 3)], UNKNOWN_SPEED_MPS * UNKNOWN_SPEED_MPS);
        // Ten seconds on, both moved 5 km: within the gate, each goes to its own track.
        assert_eq!(
            cue.update(10.0, 10.0, hold, 100.0, &[b + v * 10.0, a + v * 10.0]),
            [(2, false), (1, false)]
        );
        let t1 = &cue.tracks(10.0, 10.0, 1_000.0)[0];
        assert!((t1.x.fixed_rows::<3>(3) - v).norm() < 1e-9);
        assert!((t1.p[(3, 3)] - 2.0 * 1e6 / 100.0).abs() < 1e-9);
        // The second plume is not seen at 20 s: one miss, still a burning motor, not updated;
        // not at 30 s either: burnt out, a ballistic cue; past the hold it is dropped.
        cue.update(20.0, 10.0, hold, 100.0, &[a + v * 20.0]);
        let missed = &cue.tracks(20.0, 10.0, 1_000.0)[1];
        assert!(missed.ballistic_probability == 0.0);
        cue.update(30.0, 10.0, hold, 100.0, &[a + v * 30.0]);
        let coasting = &cue.tracks(30.0, 10.0, 1_000.0)[1];
        assert!(coasting.ballistic_probability == 1.0);
        assert!(cue.update(40.0, 10.0, hold, 100.0, &[]).is_empty());
        let left: Vec<u64> = cue
            .tracks(40.0, 10.0, 1_000.0)
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(left, [1]);
        // Its tracks are cues: never updated.
        assert!(cue.tracks(40.0, 10.0, 1_000.0).iter().all(|t| !t.updated));
        // A plume seen once whose motor is not seen again has no known path: dropped.
        let mut cue = CueTracker::default();
        cue.update(0.0, 10.0, 300.0, 100.0, &[a]);
        cue.update(20.0, 10.0, 300.0, 100.0, &[]);
        assert!(cue.tracks(20.0, 10.0, 1_000.0).is_empty());
        // Missiles of one salvo fly one path: a plume where a track was last seen, ten seconds
        // on, is a new missile, not that track.
        let mut cue = CueTracker::default();
        cue.update(0.0, 10.0, 300.0, 100.0, &[a]);
        assert_eq!(cue.update(10.0, 10.0, 300.0, 100.0, &[a]), [(2, true)]);
        // One missed look: the motor seen again 20 s on is the same track.
        let mut cue = CueTracker::default();
        cue.update(0.0, 10.0, 300.0, 100.0, &[a]);
        cue.update(10.0, 10.0, 300.0, 100.0, &[a + v * 10.0]);
        cue.update(20.0, 10.0, 300.0, 100.0, &[]);
        assert_eq!(
            cue.update(30.0, 10.0, 300.0, 100.0, &[a + v * 30.0]),
            [(1, false)]
        );
    }
}
