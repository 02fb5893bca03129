//! Point-mass flight from a state to the ground: the integrator, the Earth model and a
//! vehicle's own forces composed, with apogee and ground crossing found between steps.
//!
//! A [`Vehicle`] supplies only its non-field specific force (thrust and drag) and the times at
//! which that force jumps (ignition phases, burnout); the integrator restarts at each such time so
//! no step straddles a discontinuity. Gravity and the rotating-frame terms come from
//! [`EarthModel`]. The apogee is located inside its step by bisection on the step's cubic
//! Hermite interpolant; the ground crossing by a secant iteration on exact Dormand–Prince
//! sub-steps from the start of its step. Neither is taken from the last step.
//!
//! A flight that never climbs above the ground height (a launch site lower than the aim point
//! and too little energy) ends without a ground crossing once it sinks 100 m below both its
//! start and the ground height.

use super::atmosphere::Air;
use super::earth::EarthModel;
use super::integrator::{DormandPrince45, Dynamics, Flow, IntegrationError, Step, Tolerances};
use super::trajectory::{Sample, Trajectory};
use nalgebra::{SVector, Vector3};

/// The state of a point mass: ECEF position (m) then ECEF velocity (m/s).
pub type State = SVector<f64, 6>;

/// What a vehicle adds to gravity.
pub trait Vehicle {
    /// Times (s after the start of the flight, increasing) at which the specific force jumps;
    /// segment `k` runs from `ends[k-1]` (or 0) to `ends[k]`, the last segment to the ground.
    fn segment_ends(&self) -> &[f64];
    /// Thrust plus drag per unit mass (m/s², ECEF) in segment `segment` at time `t` (s after the
    /// start), position `r`, velocity `v` and the local air (`None` in vacuum).
    fn specific_force(
        &self,
        segment: usize,
        t: f64,
        r: &Vector3<f64>,
        v: &Vector3<f64>,
        air: Option<&Air>,
    ) -> Vector3<f64>;
}

/// How a flight is integrated and when it ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlightOptions {
    /// Integrator error control.
    pub tolerances: Tolerances,
    /// The flight ends when it descends through this height above the reference surface, m.
    pub ground_alt_m: f64,
    /// Give up after this long, s.
    pub max_time_s: f64,
}

impl Default for FlightOptions {
    fn default() -> Self {
        Self {
            tolerances: Tolerances::default(),
            ground_alt_m: 0.0,
            max_time_s: 7_200.0,
        }
    }
}

/// The highest point of a flight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Apogee {
    /// Time after the start, s.
    pub t_s: f64,
    /// Height above the reference surface, m.
    pub alt_m: f64,
}

/// Where and when a flight met the ground.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroundHit {
    /// Time after the start, s.
    pub t_s: f64,
    /// ECEF position, m.
    pub position: Vector3<f64>,
    /// ECEF velocity, m/s.
    pub velocity: Vector3<f64>,
}

/// A flown trajectory and its milestones.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    /// Dense trajectory from the start to the ground (or to `max_time_s`).
    pub trajectory: Trajectory,
    /// The apogee, if the flight passed one.
    pub apogee: Option<Apogee>,
    /// The ground crossing, if it came before `max_time_s`.
    pub ground: Option<GroundHit>,
    /// Highest speed at any step boundary (segment ends included), m/s.
    pub max_speed_mps: f64,
}

/// Why a flight could not be computed.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum FlightError {
    /// The integrator failed.
    #[error(transparent)]
    Integration(#[from] IntegrationError),
}

struct PointMass<'a, V> {
    earth: &'a EarthModel,
    vehicle: &'a V,
    segment: usize,
}

impl<V: Vehicle> Dynamics<6> for PointMass<'_, V> {
    #[inline]
    fn eom(&self, t: f64, y: &State) -> State {
        let r = Vector3::new(y[0], y[1], y[2]);
        let v = Vector3::new(y[3], y[4], y[5]);
        let air = self.earth.air_at(&r);
        let a = self.earth.field_acceleration(&r, &v)
            + self
                .vehicle
                .specific_force(self.segment, t, &r, &v, air.as_ref());
        State::new(v.x, v.y, v.z, a.x, a.y, a.z)
    }
}

/// Flies `vehicle` from state `y0` at time 0 until it descends through `opts.ground_alt_m`.
pub fn fly<V: Vehicle>(
    earth: &EarthModel,
    vehicle: &V,
    y0: State,
    opts: &FlightOptions,
) -> Result<Flight, FlightError> {
    let dp = DormandPrince45::new(opts.tolerances);
    let mut samples: Vec<Sample> = Vec::with_capacity(128);
    let mut apogee: Option<Apogee> = None;
    let mut ground: Option<GroundHit> = None;
    let mut max_speed: f64 = speed(&y0);
    let alt_of = |y: &State| earth.altitude(&Vector3::new(y[0], y[1], y[2])) - opts.ground_alt_m;
    let vertical_speed = |y: &State| {
        let r = Vector3::new(y[0], y[1], y[2]);
        earth.up(&r).dot(&Vector3::new(y[3], y[4], y[5]))
    };

    let ends = vehicle.segment_ends();
    let floor = alt_of(&y0).min(0.0) - 100.0;
    let mut t = 0.0;
    let mut y = y0;
    let mut h0 = 0.0;
    for segment in 0..=ends.len() {
        let t_end = ends
            .get(segment)
            .copied()
            .unwrap_or(opts.max_time_s)
            .min(opts.max_time_s);
        let dyn_ = PointMass {
            earth,
            vehicle,
            segment,
        };
        let mut last_h = 0.0;
        // Altitude and vertical speed at the end of the previous step (= start of this one).
        let mut at_start: Option<(f64, f64)> = None;
        let (t1, y1) = dp.integrate(&dyn_, t, y, t_end, h0, |s: &Step<6>| {
            if at_start.is_none() {
                // A segment's first sample: the same state as the previous segment's last,
                // with this segment's acceleration (the forces jump here), so interpolation on
                // either side uses the right one.
                samples.push(Sample::from_state(s.t0, &s.y0, &s.f0));
            }
            last_h = s.t1 - s.t0;
            max_speed = max_speed.max(speed(&s.y1));
            let (h_a, vs_a) = at_start.unwrap_or_else(|| (alt_of(&s.y0), vertical_speed(&s.y0)));
            let (h_b, vs_b) = (alt_of(&s.y1), vertical_speed(&s.y1));
            at_start = Some((h_b, vs_b));
            if apogee.is_none() && vs_a > 0.0 && vs_b <= 0.0 {
                let tm = bisect(s.t0, s.t1, |tt| vertical_speed(&s.interpolate(tt)) > 0.0);
                apogee = Some(Apogee {
                    t_s: tm,
                    alt_m: alt_of(&s.interpolate(tm)) + opts.ground_alt_m,
                });
            }
            if h_a >= 0.0 && h_b < 0.0 {
                // Bracket on the interpolant, then land on the crossing with exact sub-steps
                // from the step's start (secant on the altitude), so the impact point is a
                // smooth function of the launch controls.
                let t_guess = bisect(s.t0, s.t1, |tt| alt_of(&s.interpolate(tt)) >= 0.0);
                let (tg, yg) = land_on_ground(&dyn_, s, t_guess, &alt_of);
                samples.push(Sample::from_state(tg, &yg, &dyn_.eom(tg, &yg)));
                ground = Some(GroundHit {
                    t_s: tg,
                    position: Vector3::new(yg[0], yg[1], yg[2]),
                    velocity: Vector3::new(yg[3], yg[4], yg[5]),
                });
                return Flow::Stop;
            }
            samples.push(Sample::from_state(s.t1, &s.y1, &s.f1));
            if h_b < floor && vs_b < 0.0 {
                return Flow::Stop; // sinking without ever having crossed the ground height
            }
            Flow::Continue
        })?;
        t = t1;
        y = y1;
        h0 = last_h;
        if ground.is_some() || t >= opts.max_time_s || alt_of(&y) < floor {
            break;
        }
    }
    Ok(Flight {
        trajectory: Trajectory::new(samples),
        apogee,
        ground,
        max_speed_mps: max_speed,
    })
}

/// The time and state at which `alt_of` crosses zero inside step `s`, starting from `t_guess`,
/// by a secant iteration on exact single steps from the step's start.
fn land_on_ground<D: Dynamics<6>>(
    dyn_: &D,
    s: &Step<6>,
    t_guess: f64,
    alt_of: &impl Fn(&State) -> f64,
) -> (f64, State) {
    let at = |t: f64| {
        let y = if t <= s.t0 {
            s.y0
        } else {
            DormandPrince45::single_step(dyn_, s.t0, &s.y0, &s.f0, t - s.t0)
        };
        (alt_of(&y), y)
    };
    let (mut t0, mut t1) = (t_guess, (t_guess + 1e-3).min(s.t1));
    if t1 <= t0 {
        t0 = (t_guess - 1e-3).max(s.t0);
        t1 = t_guess;
    }
    let (mut a0, _) = at(t0);
    let (mut a1, mut y1) = at(t1);
    for _ in 0..12 {
        if (a1 - a0).abs() < 1e-15 || a1.abs() < 1e-7 {
            break;
        }
        let t2 = (t1 - a1 * (t1 - t0) / (a1 - a0)).clamp(s.t0, s.t1);
        (t0, a0) = (t1, a1);
        t1 = t2;
        (a1, y1) = at(t1);
    }
    (t1, y1)
}

fn speed(y: &State) -> f64 {
    (y[3] * y[3] + y[4] * y[4] + y[5] * y[5]).sqrt()
}

/// The boundary in `[a, b]` where `pred` turns from true to false, to 1e-9 s or 60 halvings.
fn bisect(mut a: f64, mut b: f64, pred: impl Fn(f64) -> bool) -> f64 {
    for _ in 0..60 {
        if b - a < 1e-9 {
            break;
        }
        let m = 0.5 * (a + b);
        if pred(m) {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}
