//! A run's events as DIS version 7 protocol data units (IEEE 1278.1-2012), built and written
//! with the `dis-rs` crate.
//!
//! * **Entity State** for every threat and interceptor, from the run's `entity_state` samples:
//!   its ECEF position and velocity (the DIS world frame is ECEF, so they pass unchanged), its
//!   orientation from its velocity (nose along it, wings level with the local horizontal), an
//!   entity type from the SISO-REF-010 enumerations, dead reckoning DRM(F,P,W) (constant
//!   velocity, world frame). A sample is sent when the receivers' dead-reckoned position would
//!   be off by more than [`POSITION_THRESHOLD_M`], the orientation by more than
//!   [`ORIENTATION_THRESHOLD_RAD`], or [`HEARTBEAT_S`] has passed since the last one sent: the
//!   standard's default thresholds and heartbeat. The check is made at each sample, so a run
//!   samples at least as often as it wants the thresholds kept (`--state-interval`).
//! * **Fire** at each interceptor launch: the fire unit as the firing entity, the interceptor as
//!   the munition, its target the threat the engagement was planned on (by the event log's
//!   truth label; the unknown id 0:0:0 when the track held none).
//! * **Entity State and Electromagnetic Emission** of each radar given with
//!   [`DisEncoder::with_emitters`]: a land platform at its antenna, oriented north-east-down,
//!   emitting one search beam; at the first event, then its state every [`HEARTBEAT_S`] and its
//!   emissions every [`EMISSION_HEARTBEAT_S`].
//! * **Detonation** at each intercept (the threat hit, `entity impact`, when it killed,
//!   `detonation` when it missed; the Fire PDU's event id and firing entity repeated) and at
//!   each threat's impact (`ground impact`, where its state at that time stands). No state of
//!   an entity follows its detonation.
//! * **Fire and Detonation** of each counter-rocket gun burst ([`guns`]).
//! * At an end without a detonation — a threat killed, broken up or removed, an interceptor
//!   lost — one last **Entity State**, at its state then, deactivated and destroyed.
//!
//! Entity numbers are given in the order entities first appear, from 1; fire units and guns,
//! which fire but send no state, take theirs likewise.

use dis_rs::detonation::model::{Detonation, DetonationDescriptor};
use dis_rs::electromagnetic_emission::model::{
    Beam, ElectromagneticEmission, EmitterSystem, FundamentalParameterData,
};
use dis_rs::entity_state::model::{DrParameters, EntityMarking, EntityState};
use dis_rs::enumerations::{
    BeamStatusBeamState, Country, DeadReckoningAlgorithm, DetonationResult,
    ElectromagneticEmissionBeamFunction, ElectromagneticEmissionStateUpdateIndicator,
    EmitterSystemFunction, EntityKind as DisKind, ForceId, PlatformDomain,
};
use dis_rs::fire::model::{Fire, FireDescriptor};
use dis_rs::model::{
    BeamData, EntityId, EntityType, EventId, Location, MunitionDescriptor, Orientation, Pdu,
    PduBody, PduHeader, SimulationAddress, TimeUnits, Timestamp, VectorF32,
};
use dis_rs::{BodyInfo, BodyRaw};
use nalgebra::Vector3;
use rampart_core::{Coordinate, Geodetic};
use rampart_sim::events::{Event, EventKind};
use std::collections::HashMap;
use std::time::Duration;

mod entities;
mod guns;
pub use crate::euler::{north_east_down, orientation};
use entities::{marking, munition};
pub use guns::{Gun, guns};

/// Dead-reckoning position threshold, m (the standard's default, `DRA_POS_THRSH`).
pub const POSITION_THRESHOLD_M: f64 = 1.0;
/// Dead-reckoning orientation threshold, rad (3°, the standard's default, `DRA_ORIENT_THRSH`).
pub const ORIENTATION_THRESHOLD_RAD: f64 = 3.0 * std::f64::consts::PI / 180.0;
/// The most time between two Entity State PDUs of one entity, s (the standard's default
/// heartbeat, `HBT_ESPDU`).
pub const HEARTBEAT_S: f64 = 5.0;
/// The most time between two Electromagnetic Emission PDUs of one emitter, s (the standard's
/// default heartbeat for emissions, `HBT_PDU_EE`); its platform's Entity State PDU goes with
/// each.
pub const EMISSION_HEARTBEAT_S: f64 = 10.0;
/// The frequency every radar is said to emit on, Hz: notional, in the C band.
pub const NOTIONAL_FREQUENCY_HZ: f32 = 5.5e9;

/// A radar as the exercise sees it: a ground platform that emits.
#[derive(Clone, Debug, PartialEq)]
pub struct Emitter {
    /// Its name (the platform's marking).
    pub name: String,
    /// Its antenna, ECEF, m.
    pub position: Vector3<f64>,
    /// Centre of its search sector, rad clockwise from north.
    pub boresight_rad: f64,
    /// Full width of the sector in azimuth, rad.
    pub azimuth_span_rad: f64,
    /// Its searched elevations, rad.
    pub elevation_rad: (f64, f64),
}

/// The scenario's radars as emitters.
pub fn emitters(scenario: &rampart_sim::scenario::Scenario) -> Vec<Emitter> {
    crate::radars(scenario)
        .map(|(r, antenna)| Emitter {
            name: r.name.clone(),
            position: *antenna.to_ecef().as_vector3(),
            boresight_rad: r.boresight_rad,
            azimuth_span_rad: r.azimuth_span_rad,
            elevation_rad: (r.elevation_min_rad, r.elevation_max_rad),
        })
        .collect()
}

/// Entity numbers 0, 0xFFFE and 0xFFFF are reserved (no entity, all entities): the most
/// entities one run may number.
pub const MAX_ENTITIES: u16 = 0xFFFD;

/// Who the run is in the exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisConfig {
    /// Exercise identifier (1–255).
    pub exercise_id: u8,
    /// Site identifier.
    pub site_id: u16,
    /// Application identifier.
    pub application_id: u16,
    /// The scenario's epoch, ns since 1970-01-01T00:00:00Z (for the PDUs' absolute timestamps).
    pub epoch_unix_ns: i128,
}

/// Why a run's events cannot all be put into PDUs.
#[derive(Debug, thiserror::Error)]
pub enum DisError {
    /// More entities than DIS can number.
    #[error(
        "the run has more than {MAX_ENTITIES} entities, more than one DIS application can number"
    )]
    TooManyEntities,
    /// `dis-rs` refused a PDU.
    #[error("a PDU could not be written: {0}")]
    Write(String),
}

/// A PDU's bytes and the time it describes.
#[derive(Clone, Debug, PartialEq)]
pub struct Datagram {
    /// ns since the scenario's epoch.
    pub t_ns: i64,
    /// The PDU, as it goes on the wire.
    pub bytes: Vec<u8>,
}

/// What was last sent of an entity: receivers dead-reckon from it.
#[derive(Clone, Copy, Debug)]
struct Sent {
    t: f64,
    position: Vector3<f64>,
    velocity: Vector3<f64>,
    orientation: [f64; 3],
}

/// An entity's last sampled state.
#[derive(Clone, Copy, Debug)]
struct State {
    t_ns: i64,
    position: Vector3<f64>,
    velocity: Vector3<f64>,
}

/// Turns a run's events into PDUs, one event at a time, in time order.
#[derive(Debug)]
pub struct DisEncoder {
    config: DisConfig,
    ids: HashMap<String, u16>,
    /// Threat id → its class word (`ballistic`, `uas`, `rocket`, …) and its type's number
    /// (the entity type's subcategory), from its launch.
    classes: HashMap<String, (String, u8)>,
    /// The scenario's threat types, numbered from 1 in this order.
    threat_types: Vec<String>,
    /// (fire unit, track) → the threat its engagement was planned on.
    planned: HashMap<(String, u64), String>,
    /// Interceptor → (fire unit, target threat), launched and waiting for its first state.
    firing: HashMap<String, (String, Option<String>)>,
    sent: HashMap<u16, Sent>,
    last: HashMap<String, State>,
    /// The radars, and when each last sent its state and its emissions, s.
    emitters: Vec<(Emitter, Option<f64>, Option<f64>)>,
    /// The guns, for their bursts' Fire PDUs.
    guns: Vec<Gun>,
    /// Each entity's type, for the munition descriptors of its detonation.
    types: HashMap<String, EntityType>,
    /// Interceptor → the Fire PDU's event id and firing entity, which its Detonation repeats.
    fired: HashMap<String, (EventId, EntityId)>,
    /// Threat → the time of its impact and where it was reported, waiting for its state at that
    /// time to place the Detonation on the ground.
    impacts: HashMap<String, (i64, Vector3<f64>)>,
    /// Entities that ended (detonated, killed, broke up, lost): no state of theirs is sent
    /// again.
    done: std::collections::HashSet<String>,
    /// Entities whose end at this time waits for their state then, to be deactivated there
    /// (the next event's check deactivates one whose state never comes).
    ending: HashMap<String, i64>,
    next_event: u16,
}

impl DisEncoder {
    /// An encoder for one run.
    pub fn new(config: DisConfig) -> Self {
        Self {
            config,
            ids: HashMap::new(),
            classes: HashMap::new(),
            threat_types: Vec::new(),
            planned: HashMap::new(),
            firing: HashMap::new(),
            sent: HashMap::new(),
            last: HashMap::new(),
            emitters: Vec::new(),
            guns: Vec::new(),
            types: HashMap::new(),
            fired: HashMap::new(),
            impacts: HashMap::new(),
            done: std::collections::HashSet::new(),
            ending: HashMap::new(),
            next_event: 0,
        }
    }

    /// The encoder with `emitters`, whose Entity State PDUs go out at the run's first event
    /// and then every [`HEARTBEAT_S`], and their Electromagnetic Emission PDUs every
    /// [`EMISSION_HEARTBEAT_S`].
    #[must_use]
    pub fn with_emitters(mut self, emitters: Vec<Emitter>) -> Self {
        self.emitters = emitters.into_iter().map(|e| (e, None, None)).collect();
        self
    }

    /// The encoder numbering the threat types `names` 1, 2, … in the subcategory of their
    /// threats' entity types (0 for a type not listed, and past 255), so that a receiver can
    /// tell them apart.
    #[must_use]
    pub fn with_threat_types(mut self, names: Vec<String>) -> Self {
        self.threat_types = names;
        self
    }

    /// The encoder with `guns`, whose bursts it sends as Fire and Detonation PDUs.
    #[must_use]
    pub fn with_guns(mut self, guns: Vec<Gun>) -> Self {
        self.guns = guns;
        self
    }

    /// The PDUs `event` gives (often none), appended to `out`.
    ///
    /// # Errors
    /// [`DisError`] when an entity cannot be numbered or a PDU written.
    pub fn encode(&mut self, event: &Event, out: &mut Vec<Datagram>) -> Result<(), DisError> {
        let t_ns = event.t_ns;
        self.emissions(t_ns, event.t, out)?;
        self.overdue_impacts(t_ns, out)?;
        match &event.kind {
            EventKind::Launch {
                threat,
                class,
                threat_type,
                ..
            } => {
                let number = self
                    .threat_types
                    .iter()
                    .position(|n| n == threat_type)
                    .and_then(|i| u8::try_from(i + 1).ok())
                    .unwrap_or(0);
                self.classes.insert(threat.clone(), (class.clone(), number));
            }
            EventKind::EngagementPlanned {
                fire_unit,
                track,
                truth: Some(truth),
                ..
            } => {
                self.planned
                    .insert((fire_unit.clone(), *track), truth.clone());
            }
            EventKind::InterceptorLaunch {
                interceptor,
                fire_unit,
                target_track,
                ..
            } => {
                let target = self
                    .planned
                    .get(&(fire_unit.clone(), *target_track))
                    .cloned();
                self.firing
                    .insert(interceptor.clone(), (fire_unit.clone(), target));
                if self.last.get(interceptor).is_some_and(|s| s.t_ns == t_ns) {
                    self.fire(interceptor, out)?;
                }
            }
            EventKind::EntityState {
                entity,
                entity_kind,
                position_m,
                velocity_mps,
                ..
            } => {
                let state = State {
                    t_ns,
                    position: Vector3::from(*position_m),
                    velocity: Vector3::from(*velocity_mps),
                };
                self.last.insert(entity.clone(), state);
                if self.firing.contains_key(entity) {
                    self.fire(entity, out)?;
                }
                // A threat's impact waits for its state at that time: the point on the ground.
                if self.impacts.get(entity).is_some_and(|i| i.0 == t_ns) {
                    self.impacts.remove(entity);
                    let at = state.position;
                    self.detonation(t_ns, entity, None, at, DetonationResult::GroundImpact, out)?;
                }
                // A threat that broke up or left, an interceptor lost: its state at its end is
                // its last, deactivated (not a regular update as well).
                if self.ending.get(entity) == Some(&t_ns) {
                    self.ending.remove(entity);
                    self.deactivate(entity, true, out)?;
                } else if !self.done.contains(entity) {
                    self.entity_state(entity, *entity_kind, event, out)?;
                }
            }
            EventKind::Intercept {
                interceptor,
                threat,
                kill,
                at,
                alt_m,
                ..
            } => {
                let result = if *kill {
                    DetonationResult::EntityImpact
                } else {
                    DetonationResult::Detonation
                };
                let at = Geodetic::from_degrees(at.lat, at.lon, *alt_m).to_ecef();
                let at = *at.as_vector3();
                self.detonation(t_ns, interceptor, Some(threat), at, result, out)?;
                if *kill {
                    self.end(threat, t_ns, out)?;
                }
            }
            EventKind::GunBurst {
                gun,
                fired_t,
                rounds,
                range_m,
                alt_m,
                at,
                threat,
                kill,
                ..
            } => {
                let burst = guns::Burst {
                    gun,
                    fired_ns: (fired_t * 1e9).round() as i64,
                    rounds: *rounds,
                    range_m: *range_m,
                    aim: Geodetic::from_degrees(at.lat, at.lon, *alt_m),
                    threat: threat.as_deref(),
                    kill: *kill,
                };
                self.burst(t_ns, &burst, out)?;
            }
            EventKind::Failure { threat, .. } | EventKind::Removed { threat, .. } => {
                self.end(threat, t_ns, out)?;
            }
            EventKind::InterceptorLost { interceptor, .. } => {
                self.end(interceptor, t_ns, out)?;
            }
            EventKind::Impact { threat, at, .. } => {
                // Where the event puts it, at the height its last state carried on to the
                // impact's time reaches: used only if no state at the impact's time follows.
                let alt = self.last.get(threat).map_or(0.0, |s| {
                    let dt = (t_ns - s.t_ns) as f64 * 1e-9;
                    let p = s.position + s.velocity * dt;
                    Geodetic::from_ecef(&Coordinate::from_vector3(p)).alt_m
                });
                let at = Geodetic::from_degrees(at.lat, at.lon, alt).to_ecef();
                self.impacts
                    .insert(threat.clone(), (t_ns, *at.as_vector3()));
            }
            _ => {}
        }
        Ok(())
    }

    /// The Detonation PDUs of impacts before `t_ns` whose state at that time never came.
    fn overdue_impacts(&mut self, t_ns: i64, out: &mut Vec<Datagram>) -> Result<(), DisError> {
        let mut overdue: Vec<(String, i64, Vector3<f64>)> = self
            .impacts
            .iter()
            .filter(|(_, i)| i.0 < t_ns)
            .map(|(name, i)| (name.clone(), i.0, i.1))
            .collect();
        overdue.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        for (name, at_ns, at) in overdue {
            self.impacts.remove(&name);
            self.detonation(at_ns, &name, None, at, DetonationResult::GroundImpact, out)?;
        }
        // Ends whose state at their time never came: the last state stands.
        let mut ends: Vec<(i64, String)> = self
            .ending
            .iter()
            .filter(|(_, at)| **at < t_ns)
            .map(|(name, at)| (*at, name.clone()))
            .collect();
        ends.sort();
        for (_, name) in ends {
            self.ending.remove(&name);
            self.deactivate(&name, true, out)?;
        }
        Ok(())
    }

    /// Entity `name` ended at `t_ns` (broke up, left, was lost): deactivated at its state of
    /// that time, now if it came before the event, else when it comes (or at the next event).
    fn end(&mut self, name: &str, t_ns: i64, out: &mut Vec<Datagram>) -> Result<(), DisError> {
        if self.last.get(name).is_some_and(|s| s.t_ns == t_ns) {
            self.deactivate(name, true, out)
        } else {
            self.ending.insert(name.to_owned(), t_ns);
            Ok(())
        }
    }

    /// The radars' Entity State and Electromagnetic Emission PDUs due by `t` (s; `t_ns` ns).
    fn emissions(&mut self, t_ns: i64, t: f64, out: &mut Vec<Datagram>) -> Result<(), DisError> {
        for k in 0..self.emitters.len() {
            let state_due = self.emitters[k]
                .1
                .is_none_or(|last| t - last >= HEARTBEAT_S);
            let emission_due = self.emitters[k]
                .2
                .is_none_or(|last| t - last >= EMISSION_HEARTBEAT_S);
            if !state_due && !emission_due {
                continue;
            }
            let first = self.emitters[k].2.is_none();
            let e = self.emitters[k].0.clone();
            let id = self.entity_id(&e.name)?;
            if state_due {
                self.emitters[k].1 = Some(t);
                self.platform(&e, id, t_ns, out)?;
            }
            if emission_due {
                self.emitters[k].2 = Some(t);
                self.emission(&e, id, first, t_ns, out)?;
            }
        }
        Ok(())
    }

    /// A radar's Entity State PDU: a land platform standing at its antenna.
    fn platform(
        &mut self,
        e: &Emitter,
        id: EntityId,
        t_ns: i64,
        out: &mut Vec<Datagram>,
    ) -> Result<(), DisError> {
        {
            let ned = north_east_down(&e.position);
            let body = EntityState::builder()
                .with_entity_id(id)
                .with_force_id(ForceId::Friendly)
                // Platform, land, air defense / missile defense unit equipment (28).
                .with_entity_type(
                    EntityType::default()
                        .with_kind(DisKind::Platform)
                        .with_domain(PlatformDomain::Land)
                        .with_country(Country::Other)
                        .with_category(28),
                )
                .with_location(location(&e.position))
                .with_orientation(Orientation::new(
                    ned[0] as f32,
                    ned[1] as f32,
                    ned[2] as f32,
                ))
                .with_dead_reckoning_parameters(
                    DrParameters::default()
                        .with_algorithm(DeadReckoningAlgorithm::StaticNonmovingEntity),
                )
                .with_marking(EntityMarking::new_ascii(marking(&e.name)))
                .build()
                .into_pdu_body();
            out.push(self.datagram(t_ns, body)?);
        }
        Ok(())
    }

    /// A radar's Electromagnetic Emission PDU: one search beam, in its platform's frame, which
    /// is north-east-down (azimuth from north, elevation up; centres and half-widths).
    fn emission(
        &mut self,
        e: &Emitter,
        id: EntityId,
        first: bool,
        t_ns: i64,
        out: &mut Vec<Datagram>,
    ) -> Result<(), DisError> {
        {
            let (lo, hi) = e.elevation_rad;
            let beam = Beam::default()
                .with_number(1)
                .with_parameter_data(
                    FundamentalParameterData::default().with_frequency(NOTIONAL_FREQUENCY_HZ),
                )
                .with_beam_data(
                    BeamData::new()
                        .with_azimuth_center(e.boresight_rad as f32)
                        .with_azimuth_sweep((e.azimuth_span_rad / 2.0) as f32)
                        .with_elevation_center(((lo + hi) / 2.0) as f32)
                        .with_elevation_sweep(((hi - lo) / 2.0) as f32),
                )
                .with_beam_function(ElectromagneticEmissionBeamFunction::Search)
                .with_beam_status(BeamStatusBeamState::Active);
            let system = EmitterSystem::new()
                .with_function(EmitterSystemFunction::Multifunction_1)
                .with_number(1)
                .with_beam(beam);
            let event_id = self.event_id();
            let body = ElectromagneticEmission::builder()
                .with_emitting_entity_id(id)
                .with_event_id(event_id)
                .with_state_update_indicator(if first {
                    ElectromagneticEmissionStateUpdateIndicator::ChangedDataUpdate
                } else {
                    ElectromagneticEmissionStateUpdateIndicator::HeartbeatUpdate
                })
                .with_emitter_system(system)
                .build()
                .into_pdu_body();
            out.push(self.datagram(t_ns, body)?);
        }
        Ok(())
    }

    /// The PDUs still held at the end of a run (an impact whose state at that time never
    /// came), appended to `out`.
    ///
    /// # Errors
    /// [`DisError`] when a PDU cannot be written.
    pub fn finish(&mut self, out: &mut Vec<Datagram>) -> Result<(), DisError> {
        self.overdue_impacts(i64::MAX, out)
    }

    /// The entity number given to `name`, if it has one yet.
    pub fn entity_number(&self, name: &str) -> Option<u16> {
        self.ids.get(name).copied()
    }

    /// The entity number of `name`, given on first sight.
    fn id(&mut self, name: &str) -> Result<u16, DisError> {
        if let Some(&id) = self.ids.get(name) {
            return Ok(id);
        }
        let id = u16::try_from(self.ids.len() + 1)
            .ok()
            .filter(|&n| n <= MAX_ENTITIES)
            .ok_or(DisError::TooManyEntities)?;
        self.ids.insert(name.to_owned(), id);
        Ok(id)
    }

    fn entity_id(&mut self, name: &str) -> Result<EntityId, DisError> {
        Ok(EntityId::new(
            self.config.site_id,
            self.config.application_id,
            self.id(name)?,
        ))
    }

    /// The Fire PDU of `interceptor`'s launch, from its first state.
    fn fire(&mut self, interceptor: &str, out: &mut Vec<Datagram>) -> Result<(), DisError> {
        let Some((fire_unit, target)) = self.firing.remove(interceptor) else {
            return Ok(());
        };
        let Some(state) = self.last.get(interceptor).copied() else {
            return Ok(());
        };
        let target = match target {
            Some(t) => self.entity_id(&t)?,
            None => EntityId::new(0, 0, 0),
        };
        let event_id = self.event_id();
        let firing = self.entity_id(&fire_unit)?;
        self.fired
            .insert(interceptor.to_owned(), (event_id, firing));
        let body = Fire::builder()
            .with_firing_entity_id(firing)
            .with_target_entity_id(target)
            .with_entity_id(self.entity_id(interceptor)?)
            .with_event_id(event_id)
            .with_location_in_world(location(&state.position))
            .with_descriptor(FireDescriptor::Munition(
                MunitionDescriptor::default()
                    .with_entity_type(munition(1, 1))
                    .with_quantity(1)
                    .with_rate(0),
            ))
            .with_velocity(vector(&state.velocity))
            .build()
            .into_pdu_body();
        out.push(self.datagram(state.t_ns, body)?);
        Ok(())
    }

    /// A Detonation PDU of `exploding` at `at` (ECEF), on `target` if any.
    fn detonation(
        &mut self,
        t_ns: i64,
        exploding: &str,
        target: Option<&str>,
        at: Vector3<f64>,
        result: DetonationResult,
        out: &mut Vec<Datagram>,
    ) -> Result<(), DisError> {
        let velocity = self
            .last
            .get(exploding)
            .map_or(Vector3::zeros(), |s| s.velocity);
        let munition_type = self
            .types
            .get(exploding)
            .copied()
            .unwrap_or_else(|| munition(0, 0));
        let target = match target {
            Some(t) => self.entity_id(t)?,
            None => EntityId::new(0, 0, 0),
        };
        let exploding_id = self.entity_id(exploding)?;
        // A munition's detonation repeats its Fire PDU's event id and firing entity; a threat,
        // whose launch sends no Fire PDU, is its own source.
        let (event_id, source) = match self.fired.get(exploding) {
            Some(&f) => f,
            None => (self.event_id(), exploding_id),
        };
        let body = Detonation::builder()
            .with_source_entity_id(source)
            .with_target_entity_id(target)
            .with_exploding_entity_id(exploding_id)
            .with_event_id(event_id)
            .with_velocity(vector(&velocity))
            .with_world_location(location(&at))
            .with_descriptor(DetonationDescriptor::Munition(
                MunitionDescriptor::default()
                    .with_entity_type(munition_type)
                    .with_quantity(1),
            ))
            .with_detonation_result(result)
            .build()
            .into_pdu_body();
        out.push(self.datagram(t_ns, body)?);
        // The detonation is the munition's end: receivers drop it with it, so no deactivated
        // state follows (one stamped at its last state could reach a replay before it).
        self.sent.remove(&exploding_id.entity_id);
        self.done.insert(exploding.to_owned());
        Ok(())
    }

    fn event_id(&mut self) -> EventId {
        self.next_event = self.next_event.wrapping_add(1).max(1);
        EventId::new_sim_address(
            SimulationAddress::new(self.config.site_id, self.config.application_id),
            self.next_event,
        )
    }

    /// `body` in a version 7 PDU stamped with the absolute time of `t_ns`, as bytes.
    fn datagram(&self, t_ns: i64, body: PduBody) -> Result<Datagram, DisError> {
        let header = PduHeader::new_v7(self.config.exercise_id, body.body_type());
        let pdu = Pdu::finalize_from_parts(header, body, self.timestamp(t_ns));
        let mut buf = bytes::BytesMut::with_capacity(usize::from(pdu.pdu_length()));
        pdu.serialize(&mut buf)
            .map_err(|e| DisError::Write(format!("{e:?}")))?;
        Ok(Datagram {
            t_ns,
            bytes: buf.to_vec(),
        })
    }

    /// The absolute DIS timestamp of `t_ns` after the epoch: UTC time past the hour, in units
    /// of 3600 s / 2³¹.
    fn timestamp(&self, t_ns: i64) -> Timestamp {
        const HOUR_NS: i128 = 3_600_000_000_000;
        let past_hour = (self.config.epoch_unix_ns + i128::from(t_ns)).rem_euclid(HOUR_NS);
        let past_hour = u64::try_from(past_hour).unwrap_or(0);
        // The last 838 ns of an hour round past its end: held at its last unit.
        let units = TimeUnits::from_duration(Duration::from_nanos(past_hour))
            .or_else(|| TimeUnits::from_duration(Duration::from_nanos(3_599_999_998_000)))
            .unwrap_or_default();
        Timestamp::Absolute(units)
    }
}

/// Every PDU of a run's `events` (in time order), with the encoder that numbered its entities
/// (its threats' subcategories 0: give [`encode_with`] an encoder
/// [`DisEncoder::with_threat_types`] to number them).
///
/// # Errors
/// [`DisError`] when an entity cannot be numbered or a PDU written.
pub fn encode_run(
    events: &[Event],
    config: DisConfig,
) -> Result<(Vec<Datagram>, DisEncoder), DisError> {
    encode_with(DisEncoder::new(config), events)
}

/// Every PDU `encoder` makes of a run's `events` (in time order), and the encoder.
///
/// # Errors
/// [`DisError`] when an entity cannot be numbered or a PDU written.
pub fn encode_with(
    mut encoder: DisEncoder,
    events: &[Event],
) -> Result<(Vec<Datagram>, DisEncoder), DisError> {
    let mut out = Vec::new();
    for e in events {
        encoder.encode(e, &mut out)?;
    }
    encoder.finish(&mut out)?;
    Ok((out, encoder))
}

fn location(p: &Vector3<f64>) -> Location {
    Location::new(p.x, p.y, p.z)
}

fn vector(v: &Vector3<f64>) -> VectorF32 {
    VectorF32::new(v.x as f32, v.y as f32, v.z as f32)
}
