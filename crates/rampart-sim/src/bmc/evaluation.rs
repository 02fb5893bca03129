//! Threat evaluation from a track: what kind of threat it is, where it is going, and the
//! probability that it hits each asset.
//!
//! **Classification** is kinematic: a track is ballistic when it flies above
//! [`BALLISTIC_MIN_ALTITUDE_M`] or faster than [`BALLISTIC_MIN_SPEED_MPS`]. Below and slower, a
//! track whose IMM puts at least [`RAM_MODE_PROBABILITY`] on the ballistic mode while it
//! climbs faster than [`RAM_MIN_CLIMB_MPS`] or sinks faster than [`BALLISTIC_MIN_SINK_MPS`] is a
//! rocket, artillery shell or mortar bomb (`ram`) when it is no faster than
//! [`RAM_MAX_SPEED_MPS`] (faster, it is a ballistic missile slowed in the low atmosphere, as
//! before): the air-breathing threats Rampart models (cruise missiles, aircraft, drones) fly
//! level, lower and slower, and neither climbs nor dives that steeply. A class holds as the track
//! goes on ([`evaluate_after`]): a ballistic missile stays ballistic as it slows in the low
//! atmosphere, and a rocket or mortar round stays `ram` through the top of its arc (where it
//! neither climbs nor sinks) while the ballistic mode still holds it. A `ram` track is
//! predicted as a ballistic one.
//!
//! **Ballistic prediction.** The track's estimate `[x, vx, y, vy, z, vz, b]` (radar ENU, b = 1/β)
//! is represented by the 2n + 1 = 15 symmetric sigma points of the unscented transform with
//! κ = 0 (Julier and Uhlmann, Proc. IEEE 92(3), 2004): the mean, and mean ± √n·Lᵢ for the
//! columns Lᵢ of the covariance's Cholesky factor, the outer 14 weighted 1/(2n). Each point is
//! flown to the ground in ECEF with J2 gravity, the rotating frame's terms and drag ½ρv²·b in
//! the 1976 atmosphere, by fourth-order Runge–Kutta (4 s steps above 60 km, 2 s to 20 km,
//! 1 s below; the mean's kept path, sampled at its steps, takes half those), its ground
//! crossing found on the step's cubic Hermite interpolant. The impact points give the mean and covariance of the impact point on the
//! ground (east/north about the mean impact); the probability that the impact falls within an
//! asset's radius is integrated over that Gaussian with a fixed set of 256 quasi-random normal
//! points (Halton bases 2 and 3 through Box–Muller), so the same track always gives the same
//! probability. The mean point's flight is the predicted path used for planning intercepts.
//!
//! **Air-breathing prediction.** Straight, level flight at the track's velocity. The
//! probability of hitting an asset ahead is the probability that the cross-track miss
//! `d ~ N(d̂, σ²)` is within the asset's radius, with σ² the track's cross-track position
//! variance plus (cross-track velocity variance)·(time to the asset)²: an air-breather is
//! assumed to hold its course, which is the best a tracker can say before it turns.

use crate::physics::atmosphere;
use crate::physics::earth::EarthModel;
use crate::physics::hermite::Hermite;
use crate::physics::integrator::{Dynamics, rk4_step};
use crate::scenario::Scenario;
use crate::tracking::TrackEstimate;
use nalgebra::{Matrix2, SMatrix, SVector, Vector2, Vector3};
use rampart_core::{Coordinate, Enu, Geodetic, LocalFrame, Vector};

/// Above this altitude a track is ballistic, m.
pub const BALLISTIC_MIN_ALTITUDE_M: f64 = 25_000.0;
/// Faster than this a track is ballistic, m/s.
pub const BALLISTIC_MIN_SPEED_MPS: f64 = 850.0;
/// The IMM ballistic-mode probability above which a sinking track is ballistic.
pub const BALLISTIC_MODE_PROBABILITY: f64 = 0.8;
/// The sink rate that, with the ballistic mode, makes a track ballistic, m/s.
pub const BALLISTIC_MIN_SINK_MPS: f64 = 150.0;
/// The climb rate that, with the ballistic mode, makes a low, slow track a rocket, shell or
/// mortar bomb, m/s (air-breathing threats climb far more gently).
pub const RAM_MIN_CLIMB_MPS: f64 = 50.0;
/// Faster than this a low track is not a rocket, shell or mortar bomb but a ballistic missile
/// slowed in the low atmosphere, m/s (a 122 mm artillery rocket peaks near 690 m/s).
pub const RAM_MAX_SPEED_MPS: f64 = 700.0;
/// The IMM ballistic-mode probability from which a low, slow track climbing or sinking that
/// steeply is a rocket, shell or mortar bomb (and below which a `ram` track stops being one).
pub const RAM_MODE_PROBABILITY: f64 = 0.5;
/// How far ahead a path is predicted, s.
pub const HORIZON_S: f64 = 900.0;
/// Sample spacing of an air-breathing path, s.
const LEVEL_STEP_S: f64 = 1.0;

/// What kind of threat a track is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreatClass {
    /// A ballistic missile or re-entry vehicle.
    Ballistic,
    /// A cruise missile, aircraft or drone.
    AirBreathing,
    /// A rocket, artillery shell or mortar bomb: ballistic, low and slow.
    Ram,
}

impl ThreatClass {
    /// The word used in events.
    pub fn word(self) -> &'static str {
        match self {
            ThreatClass::Ballistic => "ballistic",
            ThreatClass::AirBreathing => "air_breathing",
            ThreatClass::Ram => "ram",
        }
    }

    /// Whether it flies a ballistic path (a missile, or a rocket, shell or mortar bomb).
    pub fn is_ballistic(self) -> bool {
        matches!(self, ThreatClass::Ballistic | ThreatClass::Ram)
    }

    /// The class of the word (as [`ThreatClass::word`] writes it).
    pub fn from_word(word: &str) -> Option<Self> {
        [
            ThreatClass::Ballistic,
            ThreatClass::AirBreathing,
            ThreatClass::Ram,
        ]
        .into_iter()
        .find(|c| c.word() == word)
    }
}

/// One point of a predicted path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathPoint {
    /// Time, s since the epoch.
    pub t_s: f64,
    /// ECEF position, m.
    pub r: Vector3<f64>,
    /// ECEF velocity, m/s.
    pub v: Vector3<f64>,
}

/// A threat's predicted path, from the track's time to the ground (ballistic) or the horizon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PredictedPath {
    /// Points in time order.
    pub points: Vec<PathPoint>,
}

impl PredictedPath {
    /// Position and velocity at `t_s` (linear in between points), if within the path.
    pub fn at(&self, t_s: f64) -> Option<(Vector3<f64>, Vector3<f64>)> {
        let p = &self.points;
        let first = p.first()?;
        let last = p.last()?;
        if t_s < first.t_s || t_s > last.t_s {
            return None;
        }
        let i = p.partition_point(|q| q.t_s < t_s);
        if i == 0 {
            return Some((first.r, first.v));
        }
        let (a, b) = (&p[i - 1], &p[i]);
        let h = b.t_s - a.t_s;
        if h <= 0.0 {
            return Some((b.r, b.v));
        }
        // Cubic Hermite in position (exact for constant acceleration), linear in velocity.
        let s = (t_s - a.t_s) / h;
        let (h00, h10, h01, h11) = (
            2.0 * s * s * s - 3.0 * s * s + 1.0,
            s * s * s - 2.0 * s * s + s,
            -2.0 * s * s * s + 3.0 * s * s,
            s * s * s - s * s,
        );
        let r = a.r * h00 + a.v * (h10 * h) + b.r * h01 + b.v * (h11 * h);
        Some((r, a.v + (b.v - a.v) * s))
    }

    /// First and last times, s.
    pub fn span(&self) -> Option<(f64, f64)> {
        Some((self.points.first()?.t_s, self.points.last()?.t_s))
    }
}

/// A threat evaluation of one track.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Time of the track estimate, s since the epoch.
    pub t_s: f64,
    /// Kinematic class.
    pub class: ThreatClass,
    /// The mean predicted path.
    pub path: PredictedPath,
    /// Predicted impact point (ballistic) and its time, s since the epoch.
    pub impact: Option<(Geodetic, f64)>,
    /// Probability of hitting each asset, in scenario order.
    pub p_hit: Vec<f64>,
    /// For each asset, the predicted time it is reached, s since the epoch.
    pub t_hit_s: Vec<f64>,
}

impl Evaluation {
    /// Expected value destroyed among `assets` (indices): Σ P(hit a)·value(a).
    pub fn value_at_risk(&self, scenario: &Scenario, assets: &[usize]) -> f64 {
        assets
            .iter()
            .map(|&a| self.p_hit[a] * scenario.assets[a].value)
            .sum()
    }

    /// Priority: the expected value lost per second of time left, value at risk over time to
    /// go (at least 1 s); 0 for a track that threatens nothing. Higher is more urgent.
    pub fn priority(&self, scenario: &Scenario, assets: &[usize]) -> f64 {
        let v = self.value_at_risk(scenario, assets);
        if v <= 0.0 {
            return 0.0;
        }
        v / self.time_to_go_s().unwrap_or(f64::INFINITY).max(1.0)
    }

    /// The asset most likely hit, with its probability.
    pub fn most_threatened(&self) -> Option<(usize, f64)> {
        self.p_hit
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, p)| *p > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// Time to the most threatened asset (or to impact), s after the estimate.
    pub fn time_to_go_s(&self) -> Option<f64> {
        match (self.most_threatened(), self.impact) {
            (Some((a, _)), _) => Some(self.t_hit_s[a] - self.t_s),
            (None, Some((_, t))) => Some(t - self.t_s),
            _ => None,
        }
    }
}

/// The kinematic class of a track, given its class at its last evaluation, if any.
pub fn classify(
    track: &TrackEstimate,
    frame: &LocalFrame,
    previous: Option<ThreatClass>,
) -> ThreatClass {
    let r = frame.to_ecef(&track.position);
    let alt = fast_altitude(r.as_vector3());
    let v = track.velocity.as_vector3();
    let ballistic_mode = track.ballistic_probability > BALLISTIC_MODE_PROBABILITY;
    if alt > BALLISTIC_MIN_ALTITUDE_M || v.norm() > BALLISTIC_MIN_SPEED_MPS {
        return ThreatClass::Ballistic;
    }
    match previous {
        Some(ThreatClass::Ballistic) if ballistic_mode && -v.z > BALLISTIC_MIN_SINK_MPS => {
            ThreatClass::Ballistic
        }
        Some(ThreatClass::Ram) if track.ballistic_probability >= RAM_MODE_PROBABILITY => {
            ThreatClass::Ram
        }
        _ if v.norm() > RAM_MAX_SPEED_MPS => {
            if ballistic_mode && -v.z > BALLISTIC_MIN_SINK_MPS {
                ThreatClass::Ballistic
            } else {
                ThreatClass::AirBreathing
            }
        }
        _ if track.ballistic_probability >= RAM_MODE_PROBABILITY
            && (v.z > RAM_MIN_CLIMB_MPS || -v.z > BALLISTIC_MIN_SINK_MPS) =>
        {
            ThreatClass::Ram
        }
        _ => ThreatClass::AirBreathing,
    }
}

/// Evaluates `track` (of the radar whose ENU frame is `frame`) against the scenario's assets.
pub fn evaluate(track: &TrackEstimate, frame: &LocalFrame, scenario: &Scenario) -> Evaluation {
    evaluate_after(track, frame, scenario, None)
}

/// [`evaluate`], for a track whose last evaluation classed it `previous`.
pub fn evaluate_after(
    track: &TrackEstimate,
    frame: &LocalFrame,
    scenario: &Scenario,
    previous: Option<ThreatClass>,
) -> Evaluation {
    let class = classify(track, frame, previous);
    let mut e = if class.is_ballistic() {
        evaluate_ballistic(track, frame, scenario)
    } else {
        evaluate_level(track, frame, scenario)
    };
    e.class = class;
    e
}

/// The mean predicted path of `track` alone (no uncertainty): ballistic flight to the ground
/// for a ballistic track, straight and level flight otherwise. What midcourse guidance uses to
/// move the predicted intercept point as the track updates.
pub fn predict_mean(
    track: &TrackEstimate,
    frame: &LocalFrame,
    class: ThreatClass,
) -> PredictedPath {
    predict_mean_until(track, frame, class, f64::INFINITY)
}

/// [`predict_mean`], a ballistic flight stopped at its first point at or after `until_s` (s
/// since the epoch): the path's [`PredictedPath::at`] any time up to `until_s` is the same.
pub fn predict_mean_until(
    track: &TrackEstimate,
    frame: &LocalFrame,
    class: ThreatClass,
    until_s: f64,
) -> PredictedPath {
    if class.is_ballistic() {
        let (r, v) = to_ecef(&track.state(), frame);
        fly_ballistic(
            r,
            v,
            track.inverse_beta,
            track.t_s,
            Keep::Until(until_s),
            0.0,
        )
        .0
    } else {
        level_path(track, frame)
    }
}

/// Which points of a flight [`fly_ballistic`] keeps.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Keep {
    /// None: only the impact is wanted.
    Nothing,
    /// Every point, stopping at the first at or after this time (s since the epoch).
    Until(f64),
}

/// Height above the ellipsoid, fast (see [`crate::physics::earth::fast_altitude`]).
pub use crate::physics::earth::fast_altitude;

/// Ballistic flight with drag `½ρv²·b` in ECEF: state `(r, v)`, `b` fixed.
struct BallisticEcef {
    b: f64,
}

impl Dynamics<6> for BallisticEcef {
    fn eom(&self, _t: f64, y: &SVector<f64, 6>) -> SVector<f64, 6> {
        let r = y.fixed_rows::<3>(0).into_owned();
        let v = y.fixed_rows::<3>(3).into_owned();
        let mut a = EarthModel::wgs84().field_acceleration(&r, &v);
        let alt = fast_altitude(&r);
        if alt < 100_000.0 && self.b > 0.0 {
            let rho = atmosphere::air_fast(alt).density_kg_m3;
            a -= v * (0.5 * rho * v.norm() * self.b);
        }
        let mut d = SVector::<f64, 6>::zeros();
        d.fixed_rows_mut::<3>(0).copy_from(&v);
        d.fixed_rows_mut::<3>(3).copy_from(&a);
        d
    }
}

/// RK4 step lengths of a kept path (above 60 km, from 60 to 20 km, below 20 km), s. The path
/// is sampled at its steps and interpolated between them, so it takes these finer steps.
const PATH_STEPS_S: [f64; 3] = [2.0, 1.0, 0.5];
/// Step lengths of a flight wanted for its impact only (the sigma points), s. RK4 at these
/// is within a few centimetres of a 0.02 s reference at impact (see the tests): drag changes
/// over a step by at most a few per cent even in the lowest kilometres.
const IMPACT_STEPS_S: [f64; 3] = [4.0, 2.0, 1.0];

/// The step from `y0` to `y1` (length `h`) as its cubic Hermite interpolant: fourth-order
/// accurate, like the RK4 step it joins.
fn step_interpolant(y0: &SVector<f64, 6>, y1: &SVector<f64, 6>, h: f64) -> Hermite {
    let part = |y: &SVector<f64, 6>, i: usize| y.fixed_rows::<3>(i).into_owned();
    Hermite::new(&part(y0, 0), &part(y0, 3), &part(y1, 0), &part(y1, 3), h)
}

/// The fraction of a step (interpolant `step`, from altitude `alt0` > 0 to `alt1` ≤ 0) at which
/// it meets the ground: regula falsi (Illinois variant) on the altitude, to a millimetre.
fn ground_crossing(step: &Hermite, alt0: f64, alt1: f64, ground_m: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    let (mut f_lo, mut f_hi) = (alt0, alt1);
    let mut s = 1.0;
    for _ in 0..30 {
        if f_lo - f_hi <= 0.0 {
            break;
        }
        s = (lo + f_lo / (f_lo - f_hi) * (hi - lo)).clamp(lo, hi);
        let f = fast_altitude(&step.pos(s)) - ground_m;
        if f.abs() < 1e-3 || !f.is_finite() {
            break;
        }
        if f > 0.0 {
            (lo, f_lo) = (s, f);
            f_hi *= 0.5;
        } else {
            (hi, f_hi) = (s, f);
            f_lo *= 0.5;
        }
    }
    s
}

/// Flies `(r, v)` with `b` from `t0_s` down to `ground_m` above the ellipsoid, or to the
/// horizon. Returns the path (when `keep`) and the impact (ECEF point, time), if reached.
fn fly_ballistic(
    r: Vector3<f64>,
    v: Vector3<f64>,
    b: f64,
    t0_s: f64,
    keep: Keep,
    ground_m: f64,
) -> (PredictedPath, Option<(Vector3<f64>, f64)>) {
    let steps = match keep {
        Keep::Nothing => IMPACT_STEPS_S,
        Keep::Until(_) => PATH_STEPS_S,
    };
    fly_ballistic_by(r, v, b, t0_s, keep, steps, ground_m)
}

/// [`fly_ballistic`] with the given step lengths.
fn fly_ballistic_by(
    r: Vector3<f64>,
    v: Vector3<f64>,
    b: f64,
    t0_s: f64,
    keep: Keep,
    steps: [f64; 3],
    ground_m: f64,
) -> (PredictedPath, Option<(Vector3<f64>, f64)>) {
    let (keep, until_s) = match keep {
        Keep::Nothing => (false, f64::INFINITY),
        Keep::Until(u) => (true, u),
    };
    let dynamics = BallisticEcef { b: b.max(0.0) };

    let mut y = SVector::<f64, 6>::zeros();
    y.fixed_rows_mut::<3>(0).copy_from(&r);
    y.fixed_rows_mut::<3>(3).copy_from(&v);
    let mut path = PredictedPath::default();
    let mut t = 0.0;
    let mut alt = fast_altitude(&r) - ground_m;
    // A flight that starts below the ground height (a round rising from a site lower than the
    // asset) meets the ground only once it has been above it; one that starts below it and
    // sinks is on the ground now.
    let mut above = alt > 0.0;
    if keep {
        path.points.push(PathPoint { t_s: t0_s, r, v });
    }
    if !above && v.dot(&r.normalize()) <= 0.0 {
        return (path, Some((r, t0_s)));
    }
    while t < HORIZON_S {
        let h = if alt > 60_000.0 {
            steps[0]
        } else if alt > 20_000.0 {
            steps[1]
        } else {
            steps[2]
        };
        let y1 = rk4_step(&dynamics, t, &y, h);
        let r1 = y1.fixed_rows::<3>(0).into_owned();
        let alt1 = fast_altitude(&r1) - ground_m;
        if !above && alt1 > 0.0 {
            above = true;
        }
        if above && alt1 <= 0.0 {
            // The ground lies within this step.
            let step = step_interpolant(&y, &y1, h);
            let f = if alt > alt1 {
                ground_crossing(&step, alt, alt1, ground_m)
            } else {
                1.0
            };
            let (r_hit, v_hit) = (step.pos(f), step.deriv(f) / h);
            let t_hit = t0_s + t + f * h;
            if keep {
                path.points.push(PathPoint {
                    t_s: t_hit,
                    r: r_hit,
                    v: v_hit,
                });
            }
            return (path, Some((r_hit, t_hit)));
        }
        y = y1;
        t += h;
        alt = alt1;
        if keep {
            path.points.push(PathPoint {
                t_s: t0_s + t,
                r: r1,
                v: y.fixed_rows::<3>(3).into_owned(),
            });
        }
        if !alt.is_finite() || t0_s + t >= until_s {
            break;
        }
    }
    (path, None)
}

/// The ENU state vector `[x, vx, y, vy, z, vz, b]` as ECEF position and velocity.
fn to_ecef(x: &SVector<f64, 7>, frame: &LocalFrame) -> (Vector3<f64>, Vector3<f64>) {
    let p = frame.to_ecef(&Coordinate::<Enu>::new(x[0], x[2], x[4]));
    let v = frame.vector_to_ecef(&Vector::<Enu>::new(x[1], x[3], x[5]));
    (*p.as_vector3(), *v.as_vector3())
}

/// The height of the scenario's asset nearest `r` (ECEF), or 0 without assets, m.
fn ground_height(scenario: &Scenario, r: &Vector3<f64>) -> f64 {
    let p = Geodetic::from_ecef(&Coordinate::from_vector3(*r));
    scenario
        .assets
        .iter()
        .map(|a| (a.position.geodesic_to(&p).distance_m, a.position.alt_m))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(0.0, |(_, h)| h)
}

fn evaluate_ballistic(
    track: &TrackEstimate,
    frame: &LocalFrame,
    scenario: &Scenario,
) -> Evaluation {
    const N: usize = 7;
    let t0 = track.t_s;
    let (r, v) = to_ecef(&track.state(), frame);
    // Rampart has no terrain: the ground is taken at the height of the asset nearest where the
    // mean flight meets the ellipsoid.
    let (path, mean_impact) = fly_ballistic(
        r,
        v,
        track.inverse_beta,
        t0,
        Keep::Until(f64::INFINITY),
        0.0,
    );
    let ground_m = mean_impact.map_or(0.0, |(ri, _)| ground_height(scenario, &ri));
    let (path, mean_impact) = if ground_m == 0.0 {
        (path, mean_impact)
    } else {
        fly_ballistic(
            r,
            v,
            track.inverse_beta,
            t0,
            Keep::Until(f64::INFINITY),
            ground_m,
        )
    };
    let mut eval = Evaluation {
        t_s: t0,
        class: ThreatClass::Ballistic,
        path,
        impact: None,
        p_hit: vec![0.0; scenario.assets.len()],
        t_hit_s: vec![f64::INFINITY; scenario.assets.len()],
    };
    let Some((r_imp, t_imp)) = mean_impact else {
        return eval;
    };
    let g_imp = Geodetic::from_ecef(&Coordinate::from_vector3(r_imp));
    eval.impact = Some((g_imp, t_imp));
    // Sigma points: mean ± √n · columns of the Cholesky factor.
    let p: SMatrix<f64, N, N> = (track.covariance + track.covariance.transpose()) * 0.5;
    let l = match p.cholesky() {
        Some(c) => c.l(),
        None => rampart_track::predictor::sigma_points::matrix_sqrt(&p),
    };
    let ground = LocalFrame::new(Geodetic::from_ecef(&Coordinate::from_vector3(r_imp)));
    let scale = (N as f64).sqrt();
    let mut pts: Vec<Vector2<f64>> = Vec::with_capacity(2 * N);
    let mut times = Vec::with_capacity(2 * N);
    for i in 0..N {
        for sign in [1.0, -1.0] {
            let x = track.state() + l.column(i) * (sign * scale);
            let (ri, vi) = to_ecef(&x, frame);
            let (_, hit) = fly_ballistic(ri, vi, x[6], t0, Keep::Nothing, ground_m);
            let (rh, th) = hit.unwrap_or((r_imp, t_imp));
            let e = ground.to_enu(&Coordinate::from_vector3(rh));
            pts.push(Vector2::new(e.x(), e.y()));
            times.push(th);
        }
    }
    let w = 1.0 / (2 * N) as f64;
    let mean: Vector2<f64> = pts.iter().fold(Vector2::zeros(), |s, p| s + p * w);
    let cov: Matrix2<f64> = pts.iter().fold(Matrix2::zeros(), |s, p| {
        s + (p - mean) * (p - mean).transpose() * w
    });
    for (a, asset) in scenario.assets.iter().enumerate() {
        let c = ground.to_enu(&asset.position.to_ecef());
        let centre = Vector2::new(c.x(), c.y());
        eval.p_hit[a] = probability_in_circle(&mean, &cov, &centre, asset.radius_m);
        eval.t_hit_s[a] = t_imp;
    }
    eval
}

fn evaluate_level(track: &TrackEstimate, frame: &LocalFrame, scenario: &Scenario) -> Evaluation {
    let t0 = track.t_s;
    let mut eval = Evaluation {
        t_s: t0,
        class: ThreatClass::AirBreathing,
        path: level_path(track, frame),
        impact: None,
        p_hit: vec![0.0; scenario.assets.len()],
        t_hit_s: vec![f64::INFINITY; scenario.assets.len()],
    };
    // Horizontal geometry in the radar's ENU frame.
    let x = &track.state();
    let pos = Vector2::new(x[0], x[2]);
    let vel = Vector2::new(x[1], x[3]);
    let speed = vel.norm();
    if speed < 1.0 {
        return eval;
    }
    let along = vel / speed;
    let across = Vector2::new(-along.y, along.x);
    let pc = &track.covariance;
    let pos_cov = Matrix2::new(pc[(0, 0)], pc[(0, 2)], pc[(2, 0)], pc[(2, 2)]);
    let vel_cov = Matrix2::new(pc[(1, 1)], pc[(1, 3)], pc[(3, 1)], pc[(3, 3)]);
    let var_pos = (across.transpose() * pos_cov * across)[(0, 0)].max(0.0);
    let var_vel = (across.transpose() * vel_cov * across)[(0, 0)].max(0.0);
    for (a, asset) in scenario.assets.iter().enumerate() {
        let c = frame.to_enu(&asset.position.to_ecef());
        let d = Vector2::new(c.x(), c.y()) - pos;
        let s = d.dot(&along);
        if s <= 0.0 {
            continue;
        }
        let tgo = s / speed;
        let miss = d.dot(&across);
        let sigma = (var_pos + var_vel * tgo * tgo).sqrt().max(1.0);
        let r = asset.radius_m;
        eval.p_hit[a] = normal_cdf((r - miss) / sigma) - normal_cdf((-r - miss) / sigma);
        eval.t_hit_s[a] = t0 + tgo;
    }
    eval
}

/// Straight, level flight at the track's velocity, sampled every second to the horizon.
fn level_path(track: &TrackEstimate, frame: &LocalFrame) -> PredictedPath {
    let t0 = track.t_s;
    let (r0, v0) = to_ecef(&track.state(), frame);
    let alt0 = fast_altitude(&r0);
    let n = (HORIZON_S / LEVEL_STEP_S) as usize;
    let points = (0..=n)
        .map(|k| {
            let dt = k as f64 * LEVEL_STEP_S;
            let mut r = r0 + v0 * dt;
            // Hold the altitude: lower the straight line onto the curved Earth.
            let up = r.normalize();
            r -= up * (fast_altitude(&r) - alt0);
            PathPoint {
                t_s: t0 + dt,
                r,
                v: v0,
            }
        })
        .collect();
    PredictedPath { points }
}

/// Φ(x), the standard normal distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Number of points of the fixed quasi-random normal set.
const QMC_POINTS: usize = 256;

/// The fixed set of standard bivariate normal points (Halton 2, 3 → Box–Muller).
fn normal_points() -> &'static [Vector2<f64>] {
    static POINTS: std::sync::OnceLock<Vec<Vector2<f64>>> = std::sync::OnceLock::new();
    POINTS.get_or_init(|| {
        (1..=QMC_POINTS)
            .map(|i| {
                let u1 = halton(i, 2);
                let u2 = halton(i, 3);
                let rad = (-2.0 * u1.ln()).sqrt();
                let th = std::f64::consts::TAU * u2;
                Vector2::new(rad * th.cos(), rad * th.sin())
            })
            .collect()
    })
}

fn halton(mut i: usize, base: usize) -> f64 {
    let mut f = 1.0;
    let mut r = 0.0;
    while i > 0 {
        f /= base as f64;
        r += f * (i % base) as f64;
        i /= base;
    }
    r
}

/// Probability that a point distributed N(`mean`, `cov`) lies within `radius` of `centre`.
pub fn probability_in_circle(
    mean: &Vector2<f64>,
    cov: &Matrix2<f64>,
    centre: &Vector2<f64>,
    radius: f64,
) -> f64 {
    let sym = (cov + cov.transpose()) * 0.5;
    let eig = sym.symmetric_eigen();
    let sd = eig.eigenvalues.map(|l| l.max(0.0).sqrt());
    let d = mean - centre;
    // Far outside six standard deviations plus the radius: no chance.
    let reach = 6.0 * sd.max() + radius;
    if d.norm() > reach {
        return 0.0;
    }
    let m = eig.eigenvectors * Matrix2::from_diagonal(&sd);
    let r2 = radius * radius;
    let inside = normal_points()
        .iter()
        .filter(|z| (d + m * *z).norm_squared() <= r2)
        .count();
    inside as f64 / QMC_POINTS as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A re-entering object 50–80 km up over Iraq, falling at 1.2–2.5 km/s: (ECEF position and
    /// velocity, b in m²/kg).
    fn reentry(alt_m: f64, speed: f64, b: f64) -> (Vector3<f64>, Vector3<f64>, f64) {
        let g = Geodetic::from_degrees(33.8, 43.5, alt_m);
        let frame = LocalFrame::new(g);
        let r = *frame
            .to_ecef(&Coordinate::<Enu>::new(0.0, 0.0, 0.0))
            .as_vector3();
        // 50° below the horizon, heading west.
        let (c, s) = (50_f64.to_radians().cos(), 50_f64.to_radians().sin());
        let v = *frame
            .vector_to_ecef(&Vector::<Enu>::new(-speed * c, 0.0, -speed * s))
            .as_vector3();
        (r, v, b)
    }

    /// The impact of the step lengths the evaluation uses, against RK4 at 0.02 s (whose own
    /// error is below a micrometre): the sigma points' long steps and the kept path's short ones
    /// both land within 5 cm, for bodies from a heavy re-entry vehicle (β = 10 000 kg/m²) to a
    /// light, draggy one (β = 500 kg/m²) that slows to a few hundred m/s.
    #[test]
    fn impacts_of_the_step_lengths_match_a_fine_reference() {
        for (alt, speed, b) in [
            (80e3, 2500.0, 1e-4),
            (60e3, 2000.0, 2.6e-4),
            (50e3, 1200.0, 2e-3),
            (70e3, 1500.0, 0.0),
        ] {
            let (r, v, b) = reentry(alt, speed, b);
            let (_, reference) = fly_ballistic_by(r, v, b, 0.0, Keep::Nothing, [0.02; 3], 0.0);
            let Some((r_ref, t_ref)) = reference else {
                panic!("the reference lands")
            };
            for steps in [IMPACT_STEPS_S, PATH_STEPS_S] {
                let (_, hit) = fly_ballistic_by(r, v, b, 0.0, Keep::Nothing, steps, 0.0);
                let Some((r_hit, t_hit)) = hit else {
                    panic!("lands")
                };
                let miss = (r_hit - r_ref).norm();
                assert!(
                    miss < 0.05,
                    "{steps:?}, b = {b}: {miss} m from the reference"
                );
                assert!((t_hit - t_ref).abs() < 1e-3, "{t_hit} vs {t_ref}");
                assert!(fast_altitude(&r_hit).abs() < 0.01, "on the ground");
            }
        }
    }

    /// The Hermite interpolant reproduces constant-acceleration motion exactly, and its
    /// derivative the velocity.
    #[test]
    fn hermite_is_exact_for_constant_acceleration() {
        let a = Vector3::new(1.0, -9.8, 0.5);
        let (r0, v0) = (
            Vector3::new(10.0, 20.0, 30.0),
            Vector3::new(100.0, 5.0, -50.0),
        );
        let h = 2.0;
        let at = |t: f64| (r0 + v0 * t + a * (0.5 * t * t), v0 + a * t);
        let pack = |(r, v): (Vector3<f64>, Vector3<f64>)| {
            SVector::<f64, 6>::from_iterator(r.iter().chain(v.iter()).copied())
        };
        let (y0, y1) = (pack(at(0.0)), pack(at(h)));
        let step = step_interpolant(&y0, &y1, h);
        for s in [0.0, 0.25, 0.5, 0.9, 1.0] {
            let (r, v) = (step.pos(s), step.deriv(s) / h);
            let (re, ve) = at(s * h);
            assert!((r - re).norm() < 1e-9 && (v - ve).norm() < 1e-9, "s = {s}");
        }
    }
}
