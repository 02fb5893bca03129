//! The stages of the engagement chain. Each reads the [`World`], changes it, schedules what
//! comes next on the engine's queue and emits events; where a decision is made is where its
//! stage's file is:
//!
//! | stage | file | decides |
//! |---|---|---|
//! | threat flight | [`threat_flight`] | launches, flight plans, milestones, impacts, leaks |
//! | threats from a feed | [`feed`] | their entry, dead reckoning, impacts, removals |
//! | sensing | [`sensing`] | each sensor's scan, range gates |
//! | tracking | [`tracking`] | each sensor's tracker update, scoring, track events |
//! | network | [`network`] | track reports over the links, the fusion node's system tracks |
//! | battle management | [`battle`] | threat evaluation, correlation, weapon-target assignment, commitments |
//! | weapons flight and seeker | [`flyout`] | interceptor launch, uplink, seeker, guidance, reloads |
//! | endgame | [`endgame`] | closest approach, kill, kill assessment, losses |
//! | observation | [`observe`] | `entity_state` samples |
//!
//! The engine ([`crate::engine`]) only keeps the clock and the queue and dispatches each action
//! to its stage.

pub mod battle;
pub mod endgame;
pub mod feed;
pub mod flyout;
pub mod guns;
pub mod network;
pub mod observe;
pub mod sensing;
pub mod threat_flight;
pub mod tracking;
pub mod warning;

use crate::engine::Action;
use crate::engine::queue::Scheduler;
use crate::events::{EntityKind, Event, EventKind, LatLon};
use crate::scenario::Scenario;
use crate::sink::{EventSink, SinkError};
use crate::world::{InterceptorId, ThreatId, World};
use rampart_core::random::RandomStreams;
use rampart_core::{Coordinate, Ecef, Geodetic, SimDuration, SimTime, Vector};

/// Where a stage's events go, and which optional ones are wanted.
pub struct Output<'k> {
    sink: &'k mut dyn EventSink,
    /// The first error of the sink: the engine stops the run with it.
    pub(crate) error: Option<SinkError>,
    /// Record each false alarm as a `detection` event.
    pub false_alarm_events: bool,
    /// Record every confirmed track after every scan as a `track_update` event.
    pub track_events: bool,
    /// Record an `entity_state` at each event of a threat or interceptor.
    pub states: bool,
}

impl std::fmt::Debug for Output<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("error", &self.error)
            .field("false_alarm_events", &self.false_alarm_events)
            .field("track_events", &self.track_events)
            .field("states", &self.states)
            .finish_non_exhaustive()
    }
}

impl<'k> Output<'k> {
    /// Events to `sink`, none of the optional ones.
    pub fn new(sink: &'k mut dyn EventSink) -> Self {
        Self {
            sink,
            error: None,
            false_alarm_events: false,
            track_events: false,
            states: false,
        }
    }

    /// Hands an event to the sink (after a sink error, none: the run is stopping).
    pub fn emit(&mut self, t: SimTime, kind: EventKind) {
        if self.error.is_none()
            && let Err(e) = self.sink.event(Event::new(t, kind))
        {
            self.error = Some(e);
        }
    }

    /// An `entity_state` event of `entity` at ECEF position `p` and velocity `v`.
    pub fn state(
        &mut self,
        t: SimTime,
        entity: &str,
        entity_kind: EntityKind,
        entity_type: &str,
        p: &Coordinate<Ecef>,
        v: &Vector<Ecef>,
    ) {
        let g = Geodetic::from_ecef(p);
        let (r, w) = (p.as_vector3(), v.as_vector3());
        self.emit(
            t,
            EventKind::EntityState {
                entity: entity.to_string(),
                entity_kind,
                entity_type: entity_type.to_string(),
                position_m: [r.x, r.y, r.z],
                velocity_mps: [w.x, w.y, w.z],
                at: latlon(&g),
                alt_m: g.alt_m,
            },
        );
    }
}

/// What every stage works with besides the World: the scenario, the random streams, the
/// queue and the events' output.
#[derive(Debug)]
pub struct Ctx<'a, 'k> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The run's random streams.
    pub streams: &'a RandomStreams,
    /// The engine's queue.
    pub queue: &'a mut Scheduler<Action>,
    /// Where events go.
    pub out: &'a mut Output<'k>,
    /// The end of the run.
    pub end: SimTime,
}

impl Ctx<'_, '_> {
    /// Emits an event at `t`.
    pub fn emit(&mut self, t: SimTime, kind: EventKind) {
        self.out.emit(t, kind);
    }

    /// Records where threat `id` is at `t`, if states are recorded and it is in flight.
    pub fn threat_state(&mut self, world: &World, t: SimTime, id: ThreatId) {
        if !self.out.states {
            return;
        }
        let th = &world.threats[id];
        if let Some((p, v)) = th.state_at(t) {
            let ty = &self.scenario.threat_types[th.threat_type];
            self.out
                .state(t, &th.name, EntityKind::Threat, &ty.name, &p, &v);
        }
    }

    /// Records where interceptor `id` is at `t`, if states are recorded (its last computed
    /// state, carried to `t` at its velocity: a flight step computes the state at its end).
    pub fn interceptor_state(&mut self, world: &World, t: SimTime, id: InterceptorId) {
        if !self.out.states {
            return;
        }
        let ic = &world.interceptors[id];
        let ty = &self.scenario.interceptor_types[ic.ty];
        let p = Coordinate::from_vector3(ic.position_at(t));
        let v = Vector::from_vector3(ic.velocity());
        self.out
            .state(t, &ic.name, EntityKind::Interceptor, &ty.name, &p, &v);
    }
}

/// A target at ECEF `r` moving at `v`, carried `dt` seconds on: in a straight line, or for a
/// ballistic one under the Earth's field (gravity and the rotating frame's terms) held at its
/// value at `r` — how the defense extrapolates a track or an uplink between updates.
pub(crate) fn carry(
    r: &nalgebra::Vector3<f64>,
    v: &nalgebra::Vector3<f64>,
    dt: f64,
    ballistic: bool,
) -> (nalgebra::Vector3<f64>, nalgebra::Vector3<f64>) {
    let g = if ballistic {
        crate::weapons::interceptor::InterceptorType::field(r, v)
    } else {
        nalgebra::Vector3::zeros()
    };
    (r + v * dt + g * (0.5 * dt * dt), v + g * dt)
}

/// A duration of `s` seconds (none below zero).
pub(crate) fn secs(s: f64) -> SimDuration {
    SimDuration::from_secs_f64(s.max(0.0)).unwrap_or(SimDuration::ZERO)
}

/// `t + d`, held at the last representable instant rather than overflowing (an action there
/// lies past the end of any run and never comes).
pub(crate) fn after(t: SimTime, d: SimDuration) -> SimTime {
    SimTime::from_nanos(t.as_nanos().saturating_add(d.as_nanos()))
}

/// A point as events report it.
pub(crate) fn latlon(g: &Geodetic) -> LatLon {
    LatLon {
        lat: g.lat_deg(),
        lon: g.lon_deg(),
    }
}

/// Scoring only: the threat in flight nearest `r` (ECEF) at `t`, within
/// [`battle::TRUTH_LABEL_M`].
pub fn truth_near(world: &World, t: SimTime, r: &nalgebra::Vector3<f64>) -> Option<String> {
    world
        .threats
        .values()
        .filter_map(|th| {
            let (p, _) = th.state_at(t)?;
            let d = (p.as_vector3() - r).norm();
            (d < battle::TRUTH_LABEL_M).then_some((d, th))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, th)| th.name.clone())
}
