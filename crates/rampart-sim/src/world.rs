//! The World: everything that exists in a run, behind typed handles.
//!
//! Each kind of thing lives in its own [`Store`] and is named by its own handle type
//! ([`ThreatId`], [`InterceptorId`], [`SensorId`], [`UnitId`], [`EngagementId`]), so a threat's
//! index can never be used for an interceptor. The stages ([`crate::stages`]) read the World
//! and change it; the engine ([`crate::engine`]) owns it and the clock.

use crate::feed::FedFlight;
use crate::network::fusion::{Node, SystemTrack};
use crate::sensors::Sensor;
use crate::sensors::early_warning::{CueTracker, EarlyWarning};
use crate::siap::SiapScorer;
use crate::threats::flight_plan::FlightPlan;
use crate::tracking::RadarTracker;
use nalgebra::{SVector, Vector3};
use rampart_core::{Coordinate, Ecef, LocalFrame, SimTime, Vector};
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The handle of the `i`-th entry of its store.
            pub fn from_index(i: usize) -> Self {
                Self(u32::try_from(i).unwrap_or(u32::MAX))
            }
            /// Its position in its store.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

handle!(
    /// A threat: one member of one raid.
    ThreatId
);
handle!(
    /// An interceptor, in launch order.
    InterceptorId
);
handle!(
    /// A sensor (radar), in scenario order.
    SensorId
);
handle!(
    /// A fire unit, in scenario order.
    UnitId
);
handle!(
    /// Interceptors committed against one track.
    EngagementId
);

/// What a sensor actually saw: truth, kept on the far side of the tracker (see
/// [`crate::sensors::ScanOutput`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Truth {
    /// A threat.
    Threat(ThreatId),
    /// One of the defense's own interceptors.
    Interceptor(InterceptorId),
}

/// A track held by a sensor's tracker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackRef {
    /// The sensor whose tracker holds it.
    pub sensor: SensorId,
    /// The track's id in that tracker.
    pub track: u64,
}

/// Entries of one kind, named by handles of type `I`.
#[derive(Clone, Debug)]
pub struct Store<I, T> {
    items: Vec<T>,
    id: PhantomData<I>,
}

impl<I, T> Default for Store<I, T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            id: PhantomData,
        }
    }
}

/// The handles of a store.
pub trait Handle: Copy {
    /// The handle of entry `i`.
    fn from_index(i: usize) -> Self;
    /// The entry's position.
    fn index(self) -> usize;
}

macro_rules! impl_handle {
    ($($name:ident),*) => {$(
        impl Handle for $name {
            fn from_index(i: usize) -> Self {
                $name::from_index(i)
            }
            fn index(self) -> usize {
                $name::index(self)
            }
        }
    )*};
}
impl_handle!(ThreatId, InterceptorId, SensorId, UnitId, EngagementId);

impl<I: Handle, T> Store<I, T> {
    /// Adds `item`, returning its handle.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::from_index(self.items.len() - 1)
    }
    /// The entry of `id`, if there is one.
    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Every entry with its handle, in order.
    pub fn iter(&self) -> impl Iterator<Item = (I, &T)> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, t)| (I::from_index(i), t))
    }
    /// Every entry, mutably, with its handle.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (I, &mut T)> {
        self.items
            .iter_mut()
            .enumerate()
            .map(|(i, t)| (I::from_index(i), t))
    }
    /// The entries alone.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.items.iter()
    }
}

impl<I: Handle, T> std::ops::Index<I> for Store<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Handle, T> std::ops::IndexMut<I> for Store<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

/// How far past its end, s, a threat's end instant may fall by the rounding of its milestone
/// to the nanosecond.
const END_ROUNDING_S: f64 = 1e-9;

/// A threat: launched or waiting to be.
#[derive(Clone, Debug)]
pub struct Threat {
    /// Display id, `R<raid>-<n>`.
    pub name: String,
    /// Raid index in the scenario (none for a threat from a feed).
    pub raid: Option<usize>,
    /// Index into the scenario's threat types.
    pub threat_type: usize,
    /// Member index in the raid.
    pub member: u32,
    /// Launch time.
    pub launch: SimTime,
    /// The flight, once launched.
    pub plan: Option<FlightPlan>,
    /// The flight a feed reports, for a threat from outside the run ([`crate::feed`]).
    pub fed: Option<FedFlight>,
    /// When an interceptor destroyed it.
    pub killed: Option<SimTime>,
    /// The interceptor that destroyed it.
    pub killed_by: Option<InterceptorId>,
}

impl Threat {
    /// Whether its motor burns at `t` (launched, before burn-out, still flying).
    pub fn burning(&self, t: SimTime) -> bool {
        let Some(p) = self.plan.as_ref() else {
            return false;
        };
        let s = (t - self.launch).as_secs_f64();
        s >= 0.0
            && p.burnout_s.is_some_and(|b| s < b)
            && p.failure_s.is_none_or(|f| s <= f)
            && self.killed.is_none_or(|k| t < k)
    }

    /// ECEF position and velocity at `t`, while in flight.
    pub fn state_at(&self, t: SimTime) -> Option<(Coordinate<Ecef>, Vector<Ecef>)> {
        if self.killed.is_some_and(|k| t >= k) {
            return None;
        }
        if let Some(f) = &self.fed {
            return f
                .state_at(t)
                .map(|(r, v)| (Coordinate::from_vector3(r), Vector::from_vector3(v)));
        }
        let p = self.plan.as_ref()?;
        let s = (t - self.launch).as_secs_f64();
        let end = p.failure_s.unwrap_or(p.impact_s);
        // The end's milestone is scheduled at its time rounded to the nanosecond: within that
        // of the end is the end, where the threat still is (its last state).
        if s > end + END_ROUNDING_S {
            return None;
        }
        p.trajectory
            .state_at(s.min(end).min(p.trajectory.end()))
            .map(|(r, v)| (Coordinate::from_vector3(r), Vector::from_vector3(v)))
    }
}

/// What an interceptor's seeker holds: the threat it homes on and its α-β estimate of the
/// relative position and velocity (ECEF axes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeekerLock {
    /// The threat.
    pub threat: ThreatId,
    /// Estimated position of the threat relative to the interceptor, m.
    pub relative_position: Vector3<f64>,
    /// Estimated velocity of the threat relative to the interceptor, m/s.
    pub relative_velocity: Vector3<f64>,
}

/// The last target estimate an interceptor received by uplink (ECEF).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uplink {
    /// Position, m.
    pub position: Vector3<f64>,
    /// Velocity, m/s.
    pub velocity: Vector3<f64>,
    /// Time of the estimate, s since the epoch.
    pub t_s: f64,
    /// The track's estimate of the threat's 1/β, m²/kg (0 when the track has none).
    pub inverse_beta: f64,
}

/// An interceptor: flying, or ended.
#[derive(Clone, Debug)]
pub struct Interceptor {
    /// Display name, `<fire unit>/I<n>`.
    pub name: String,
    /// Its fire unit.
    pub unit: UnitId,
    /// The engagement it was fired for.
    pub engagement: EngagementId,
    /// Interceptor type (index into the scenario's interceptor types).
    pub ty: usize,
    /// The launcher (index in its unit) that fired it.
    pub launcher: usize,
    /// Launch time.
    pub launch: SimTime,
    /// ECEF position and velocity `[x, y, z, vx, vy, vz]` at `y_t`.
    pub y: SVector<f64, 6>,
    /// The time of `y`: a flight step computes the state at its end.
    pub y_t: SimTime,
    /// Whether it works (a dud never kills).
    pub works: bool,
    /// What its seeker homes on.
    pub lock: Option<SeekerLock>,
    /// The target as last uplinked.
    pub target: Uplink,
    /// The planned intercept time, s since the epoch.
    pub planned_intercept_s: f64,
    /// The predicted intercept point it steers for in midcourse (ECEF), moved as the track
    /// updates.
    pub pip: Vector3<f64>,
    /// Whether it is still flying.
    pub alive: bool,
    /// When it ended, s since the epoch (infinite while alive).
    pub end_s: f64,
}

impl Interceptor {
    /// ECEF position, m.
    pub fn position(&self) -> Vector3<f64> {
        self.y.fixed_rows::<3>(0).into_owned()
    }
    /// ECEF velocity, m/s.
    pub fn velocity(&self) -> Vector3<f64> {
        self.y.fixed_rows::<3>(3).into_owned()
    }
    /// ECEF position at `t`, m: its last computed state carried to `t` at its velocity (a
    /// flight step computes the state at its end).
    pub fn position_at(&self, t: SimTime) -> Vector3<f64> {
        let ahead_s = (self.y_t - t).as_secs_f64();
        self.position() - self.velocity() * ahead_s
    }
}

/// One launcher of a fire unit.
#[derive(Clone, Debug)]
pub struct Launcher {
    /// The launcher group (index in the unit's scenario entry).
    pub group: usize,
    /// Display name, `<fire unit>/L<n>`.
    pub name: String,
    /// Its local frame.
    pub frame: LocalFrame,
    /// Rounds ready to fire.
    pub ready: u32,
    /// Reloads left.
    pub reloads_left: u32,
    /// Whether it is being reloaded.
    pub reloading: bool,
}

/// One fire unit's launchers.
#[derive(Clone, Debug)]
pub struct Unit {
    /// Its launchers.
    pub launchers: Vec<Launcher>,
    /// Interceptors fired so far (their names count from 1).
    pub fired: u32,
}

/// The battle manager's classification of a threat, as an engagement keeps it.
pub use crate::bmc::evaluation::ThreatClass;

/// The track an engagement is fought on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrackKey {
    /// A track of the engaging unit's own radar.
    Local(u64),
    /// A system track of the fusion node.
    System(u64),
}

impl TrackKey {
    /// The track's number (in its radar's tracker, or the node's).
    pub fn number(self) -> u64 {
        match self {
            TrackKey::Local(n) | TrackKey::System(n) => n,
        }
    }
    /// Whether it is a system track.
    pub fn is_system(self) -> bool {
        matches!(self, TrackKey::System(_))
    }
}

/// Interceptors committed against one track.
#[derive(Clone, Debug)]
pub struct Engagement {
    /// The engaging unit.
    pub unit: UnitId,
    /// The track engaged.
    pub track: TrackKey,
    /// Interceptors still flying or awaiting assessment.
    pub pending: u32,
    /// Rounds reserved for a shoot-look-shoot second shot.
    pub reserved: u32,
    /// The threat's class at the decision.
    pub class: ThreatClass,
}

/// One sensor: the model and the tracker fed by it.
#[derive(Debug)]
pub struct SensorState {
    /// What it measures.
    pub sensor: Box<dyn Sensor>,
    /// Its tracker.
    pub tracker: RadarTracker,
    /// Its latest scan, s since the epoch: the time of every live track's estimate.
    pub last_scan_s: Option<f64>,
    /// Scoring only: its picture's SIAP state.
    pub siap: SiapScorer,
}

/// A space-based early-warning sensor and its own tracks of the plumes it sees.
#[derive(Debug)]
pub struct WarningState {
    /// What it sees.
    pub sensor: EarlyWarning,
    /// Its tracks.
    pub cue: CueTracker,
}

/// A gun's state: its magazine, its barrels' heat and its bursts.
#[derive(Clone, Debug, Default)]
pub struct GunState {
    /// Rounds left.
    pub rounds: u32,
    /// Heat in the barrels, in rounds, as of `heat_s`.
    pub heat: f64,
    /// When `heat` was last brought up to date, s since the epoch.
    pub heat_s: f64,
    /// When it may begin its next burst.
    pub free_at: SimTime,
    /// Its bursts, in firing order.
    pub bursts: Vec<Burst>,
}

/// One burst of a gun, as fired.
#[derive(Clone, Copy, Debug)]
pub struct Burst {
    /// The track fired on.
    pub track: u64,
    /// When the first round left, s since the epoch.
    pub fired_s: f64,
    /// When its middle round reaches the aim point, s since the epoch.
    pub arrives_s: f64,
    /// The kill probability the gun expected of it when it fired.
    pub planned_pk: f64,
    /// Rounds fired.
    pub rounds: u32,
    /// The lead point (ECEF), m.
    pub aim: nalgebra::Vector3<f64>,
    /// Slant range to it, m.
    pub range_m: f64,
    /// Elevation of the line of fire, rad.
    pub elevation_rad: f64,
}

/// Everything that exists in a run.
#[derive(Debug, Default)]
pub struct World {
    /// All threats of all raids, in raid then member order.
    pub threats: Store<ThreatId, Threat>,
    /// The interceptors, in launch order.
    pub interceptors: Store<InterceptorId, Interceptor>,
    /// The sensors, in scenario order.
    pub sensors: Store<SensorId, SensorState>,
    /// The fire units, in scenario order.
    pub units: Store<UnitId, Unit>,
    /// Every engagement so far.
    pub engagements: Store<EngagementId, Engagement>,
    /// The engagement in progress of each (unit, track).
    pub active: BTreeMap<(UnitId, TrackKey), EngagementId>,
    /// The (unit, track) pairs a kill assessment judged destroyed.
    pub assessed_dead: BTreeSet<(UnitId, TrackKey)>,
    /// The fusion node's picture (empty without a network).
    pub node: Node,
    /// The early-warning sensors (with a network), in scenario order; sensor `i`'s handle is
    /// `SensorId::from_index(sensors.len() + i)`.
    pub warning: Vec<WarningState>,
    /// The guns, in scenario order.
    pub guns: Vec<GunState>,
    /// The class of each gun radar's tracks at their last evaluation.
    pub track_classes: BTreeMap<(SensorId, u64), crate::bmc::evaluation::ThreatClass>,
    /// The alarms sounded: (asset, radar, track).
    pub alarms: BTreeSet<(usize, String, u64)>,
    /// When each standalone radar's tracks were last evaluated for alarms (their estimates'
    /// times, s).
    pub alarm_evaluated: BTreeMap<(SensorId, u64), f64>,
    /// Threats (truth) a seeker has locked on, for the leak record.
    pub engaged: BTreeSet<ThreatId>,
    /// Threats not yet ended (impact, failure or kill).
    pub threats_left: usize,
    /// A feed of external threats may still bring more.
    pub feed_open: bool,
    /// Launches scheduled, interceptors flying and assessments awaited: the defense still has
    /// something to do.
    pub outstanding: u32,
}

impl World {
    /// The name of sensor `s`: a radar, or an early-warning sensor (their handles follow the
    /// radars').
    pub fn sensor_name(&self, s: SensorId) -> &str {
        self.sensor(s).map_or("", Sensor::name)
    }

    /// The handle of early-warning sensor `i` (in scenario order).
    pub fn warning_id(&self, i: usize) -> SensorId {
        SensorId::from_index(self.sensors.len() + i)
    }

    /// Whether a radar holds system track `sys` (else it is an early-warning cue alone: never
    /// engaged, and not a track of the network's picture).
    pub fn held_by_radar(&self, sys: &SystemTrack) -> bool {
        sys.sources.keys().any(|s| s.index() < self.sensors.len())
    }

    /// Sensor `s`, a radar or an early-warning sensor (their handles follow the radars').
    pub fn sensor(&self, s: SensorId) -> Option<&dyn Sensor> {
        match self.sensors.get(s) {
            Some(st) => Some(&*st.sensor),
            None => s
                .index()
                .checked_sub(self.sensors.len())
                .and_then(|i| self.warning.get(i))
                .map(|w| &w.sensor as &dyn Sensor),
        }
    }

    /// The name of a sensor's target.
    pub fn truth_name(&self, truth: Truth) -> String {
        match truth {
            Truth::Threat(id) => self.threats[id].name.clone(),
            Truth::Interceptor(id) => self.interceptors[id].name.clone(),
        }
    }

    /// Past the last impact, failure or kill, with nothing of the defense still in the air or
    /// waiting on an assessment, only false alarms remain: the run may end.
    pub fn finished(&self) -> bool {
        self.threats_left == 0
            && self.outstanding == 0
            && !self.threats.is_empty()
            && !self.feed_open
    }
}
