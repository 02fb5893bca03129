//! Threats from outside the run: a feed of entity states (another simulation's, over DIS —
//! `rampart-interop` — or a recording of one) whose entities of mapped kinds fly in the run as
//! threats the radars see and the defense engages.
//!
//! The engine polls the feed ([`ThreatFeed`]) at the times it names: a recording at each of
//! its packets' times, so the run is as repeatable as any other; a live feed every few tens of
//! milliseconds of simulated time, as the run is paced to the wall clock. Each state an entity
//! reports is dead-reckoned from then on by the motion it states ([`Motion`]) until the next
//! one replaces it, as a DIS receiver does (IEEE 1278.1-2012 §5.3.3.2 and Annex E).

use nalgebra::Vector3;
use rampart_core::{SimDuration, SimTime};

/// How a reported state is carried forward in time (the dead-reckoning algorithms of IEEE
/// 1278.1-2012 Annex E, by their effect on position).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// It stays where it is (DRM Static).
    Static,
    /// At its velocity (DRM FPW, RPW, FPB, RPB).
    ConstantVelocity,
    /// At its velocity and acceleration (DRM RVW, FVW, RVB, FVB).
    ConstantAcceleration,
}

/// One reported state of an external entity: ECEF position, velocity and acceleration, m,
/// m/s, m/s², at `t`, and how to carry it forward.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FeedState {
    /// When it was reported (the run's time of its arrival, or of its packet in a recording).
    pub t: SimTime,
    /// ECEF position, m.
    pub position: Vector3<f64>,
    /// ECEF velocity, m/s.
    pub velocity: Vector3<f64>,
    /// ECEF acceleration, m/s² (used by [`Motion::ConstantAcceleration`]).
    pub acceleration: Vector3<f64>,
    /// How it moves on.
    pub motion: Motion,
}

/// The states a flight can hold: within these bounds of the Earth's centre, m (from 6,000 km, a
/// few hundred kilometres under the ground, to 100,000 km, past the geostationary orbit) ...
pub const POSITION_BOUNDS_M: (f64, f64) = (6.0e6, 1.0e8);
/// ... no faster than this, m/s ...
pub const MAX_SPEED_MPS: f64 = 1.0e5;
/// ... and accelerating no more than this, m/s².
pub const MAX_ACCELERATION_MPS2: f64 = 1.0e4;

impl FeedState {
    /// Whether the state is one a flight can hold (finite, within [`POSITION_BOUNDS_M`],
    /// [`MAX_SPEED_MPS`] and [`MAX_ACCELERATION_MPS2`]): a sender's placeholder (the Earth's
    /// centre) or a damaged number is not.
    pub fn plausible(&self) -> bool {
        let r = self.position.norm();
        r >= POSITION_BOUNDS_M.0
            && r <= POSITION_BOUNDS_M.1
            && self.velocity.norm() <= MAX_SPEED_MPS
            && self.acceleration.norm() <= MAX_ACCELERATION_MPS2
    }

    /// Position and velocity dead-reckoned to `t` (the state itself before its time).
    pub fn at(&self, t: SimTime) -> (Vector3<f64>, Vector3<f64>) {
        let dt = (t - self.t).as_secs_f64().max(0.0);
        match self.motion {
            Motion::Static => (self.position, Vector3::zeros()),
            Motion::ConstantVelocity => (self.position + self.velocity * dt, self.velocity),
            Motion::ConstantAcceleration => (
                self.position + self.velocity * dt + self.acceleration * (0.5 * dt * dt),
                self.velocity + self.acceleration * dt,
            ),
        }
    }
}

/// What a feed reports.
#[derive(Clone, Debug, PartialEq)]
pub enum FeedUpdate {
    /// An entity's state: the first makes it a threat of type `threat_type` (an index into
    /// the scenario's threat types), the later ones correct its flight.
    State {
        /// The entity's name in the run (unique in the feed).
        entity: String,
        /// Index into [`crate::scenario::Scenario::threat_types`].
        threat_type: usize,
        /// The state.
        state: FeedState,
    },
    /// The entity left the exercise.
    Remove {
        /// The entity's name in the run.
        entity: String,
    },
    /// The entity detonated at `position` (ECEF, m): on the ground (an impact there) or not
    /// (it ends in the air).
    Detonate {
        /// The entity's name in the run.
        entity: String,
        /// Where, ECEF, m.
        position: Vector3<f64>,
        /// Whether it met the ground.
        ground: bool,
    },
}

/// Why a feed could not go on.
pub type FeedError = Box<dyn std::error::Error + Send + Sync>;

/// A source of external threats.
pub trait ThreatFeed {
    /// The updates that arrived by `t` and were not yet taken, appended to `out` in the order
    /// they arrived.
    ///
    /// # Errors
    /// Whatever stops the feed; the run stops with it.
    fn poll(&mut self, t: SimTime, out: &mut Vec<FeedUpdate>) -> Result<(), FeedError>;

    /// When to poll next after a poll at `t` (later than `t`), or `None` when nothing more
    /// will come.
    fn next_poll(&self, t: SimTime) -> Option<SimTime>;
}

/// A feed given in advance: updates at known times, in time order (a recording, or a test's).
#[derive(Clone, Debug, Default)]
pub struct RecordedFeed {
    updates: Vec<(SimTime, FeedUpdate)>,
    next: usize,
}

impl RecordedFeed {
    /// A feed of `updates`, sorted by time (stably: the order of updates at one time stays).
    pub fn new(mut updates: Vec<(SimTime, FeedUpdate)>) -> Self {
        updates.sort_by_key(|(t, _)| *t);
        Self { updates, next: 0 }
    }

    /// The updates not yet taken.
    pub fn remaining(&self) -> usize {
        self.updates.len() - self.next
    }
}

impl ThreatFeed for RecordedFeed {
    fn poll(&mut self, t: SimTime, out: &mut Vec<FeedUpdate>) -> Result<(), FeedError> {
        while let Some((at, u)) = self.updates.get(self.next) {
            if *at > t {
                break;
            }
            out.push(u.clone());
            self.next += 1;
        }
        Ok(())
    }

    fn next_poll(&self, _: SimTime) -> Option<SimTime> {
        self.updates.get(self.next).map(|(t, _)| *t)
    }
}

/// How far back a fed flight keeps the states it was reported: the run asks where a threat was
/// only a little before now (an interceptor's step, a scan's truth label).
pub const HISTORY: SimDuration = SimDuration::from_secs(60);

/// An external threat's flight as the feed has reported it: its states of the last
/// [`HISTORY`] (at least the latest), in time order, and the highest height and speed of all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FedFlight {
    /// The states kept, in time order.
    pub states: Vec<FeedState>,
    /// Bumped by each state, so a check scheduled on an older one is known stale.
    pub generation: u32,
    /// When it left the run (impact, removal or time-out); from then on it is nowhere.
    pub ended: Option<SimTime>,
    /// When it times out unless another state comes.
    pub deadline: SimTime,
    /// The highest height reported, m.
    pub max_alt_m: f64,
    /// The highest speed reported, m/s.
    pub max_speed_mps: f64,
}

impl FedFlight {
    /// Takes a state (not before the latest), keeping the history bounded.
    pub fn push(&mut self, state: FeedState, alt_m: f64) {
        self.max_alt_m = if self.states.is_empty() {
            alt_m
        } else {
            self.max_alt_m.max(alt_m)
        };
        self.max_speed_mps = self.max_speed_mps.max(state.velocity.norm());
        self.states.push(state);
        self.generation = self.generation.wrapping_add(1);
        if self.states.len() > 256 {
            let cutoff = SimTime::from_nanos(state.t.as_nanos().saturating_sub(HISTORY.as_nanos()));
            // Keep the last state before the cutoff: it covers the times up to the next.
            let old = self.states.partition_point(|s| s.t < cutoff);
            if old > 1 {
                self.states.drain(..old - 1);
            }
        }
    }

    /// Position and velocity at `t`: the latest state reported by `t`, dead-reckoned to `t`;
    /// `None` before the first state kept, and from its end on.
    pub fn state_at(&self, t: SimTime) -> Option<(Vector3<f64>, Vector3<f64>)> {
        if self.ended.is_some_and(|e| t >= e) {
            return None;
        }
        let i = self.states.partition_point(|s| s.t <= t);
        i.checked_sub(1).map(|i| self.states[i].at(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_core::SimDuration;

    fn at(s: f64) -> SimTime {
        SimTime::EPOCH + SimDuration::from_secs_f64(s).unwrap()
    }

    #[test]
    fn dead_reckoning_follows_each_algorithm() {
        let s = FeedState {
            t: at(10.0),
            position: Vector3::new(1.0, 2.0, 3.0),
            velocity: Vector3::new(10.0, 0.0, -5.0),
            acceleration: Vector3::new(0.0, 2.0, 0.0),
            motion: Motion::ConstantAcceleration,
        };
        let (p, v) = s.at(at(12.0));
        assert_eq!(p, Vector3::new(21.0, 6.0, -7.0));
        assert_eq!(v, Vector3::new(10.0, 4.0, -5.0));
        let cv = FeedState {
            motion: Motion::ConstantVelocity,
            ..s
        };
        assert_eq!(cv.at(at(12.0)).0, Vector3::new(21.0, 2.0, -7.0));
        let st = FeedState {
            motion: Motion::Static,
            ..s
        };
        assert_eq!(st.at(at(12.0)), (s.position, Vector3::zeros()));
    }

    #[test]
    fn a_flight_takes_the_latest_state_and_ends() {
        let first = FeedState {
            t: at(1.0),
            position: Vector3::zeros(),
            velocity: Vector3::new(1.0, 0.0, 0.0),
            acceleration: Vector3::zeros(),
            motion: Motion::ConstantVelocity,
        };
        let second = FeedState {
            t: at(3.0),
            position: Vector3::new(100.0, 0.0, 0.0),
            ..first
        };
        let mut f = FedFlight::default();
        f.push(first, 10.0);
        f.push(second, 5.0);
        assert_eq!((f.max_alt_m, f.max_speed_mps), (10.0, 1.0));
        assert_eq!(f.state_at(at(0.5)), None);
        assert_eq!(f.state_at(at(2.0)).unwrap().0.x, 1.0);
        assert_eq!(f.state_at(at(4.0)).unwrap().0.x, 101.0);
        f.ended = Some(at(5.0));
        assert!(f.state_at(at(4.9)).is_some());
        assert_eq!(f.state_at(at(5.0)), None);
        // A long flight keeps its last minute of states (and the one before), not all.
        let mut long = FedFlight::default();
        for k in 0..1_000 {
            long.push(
                FeedState {
                    t: at(f64::from(k)),
                    ..first
                },
                0.0,
            );
        }
        assert!(long.states.len() <= 256 + 62, "{}", long.states.len());
        assert!(long.state_at(at(999.5)).is_some() && long.state_at(at(940.0)).is_some());
    }

    #[test]
    fn a_recorded_feed_gives_each_update_once_in_time_order() {
        let up = |e: &str| FeedUpdate::Remove { entity: e.into() };
        let mut feed = RecordedFeed::new(vec![(at(2.0), up("b")), (at(1.0), up("a"))]);
        assert_eq!(feed.next_poll(SimTime::EPOCH), Some(at(1.0)));
        let mut out = Vec::new();
        feed.poll(at(1.5), &mut out).unwrap();
        assert_eq!(out, vec![up("a")]);
        assert_eq!(feed.next_poll(at(1.5)), Some(at(2.0)));
        feed.poll(at(9.0), &mut out).unwrap();
        assert_eq!(out, vec![up("a"), up("b")]);
        assert_eq!(feed.next_poll(at(9.0)), None);
        assert_eq!(feed.remaining(), 0);
    }
}
