//! Entity State PDUs of the run's threats and interceptors: each sent when a receiver's dead
//! reckoning would be off by the standard's thresholds or the heartbeat is due, and a last one
//! at the entity's end with its appearance deactivated (destroyed), as an entity leaves an
//! exercise; and the entities' SISO-REF-010 types.

use super::{
    DisEncoder, DisError, HEARTBEAT_S, ORIENTATION_THRESHOLD_RAD, POSITION_THRESHOLD_M, Sent,
    State, location, vector,
};
use crate::dis::Datagram;
use crate::euler::{angle_between, orientation};
use dis_rs::BodyRaw;
use dis_rs::entity_state::model::{DrParameters, EntityAppearance, EntityMarking, EntityState};
use dis_rs::enumerations::{
    Country, DeadReckoningAlgorithm, EntityKind as DisKind, ForceId, PlatformDomain,
};
use dis_rs::model::{EntityId, EntityType, Orientation, PduBody};
use rampart_sim::events::{EntityKind, Event};

impl DisEncoder {
    /// The entity's last Entity State PDU, at its last state: its appearance deactivated and,
    /// when `destroyed`, its damage destroyed (SISO-REF-010's appearance records: bit 23 the
    /// state, bits 3–4 the damage), so that receivers remove it at once rather than at their
    /// time-out; no state of it follows. An entity never sent is only marked ended.
    pub(super) fn deactivate(
        &mut self,
        entity: &str,
        destroyed: bool,
        out: &mut Vec<Datagram>,
    ) -> Result<(), DisError> {
        if !self.done.insert(entity.to_owned()) {
            return Ok(());
        }
        let (Some(state), Some(&entity_type)) =
            (self.last.get(entity).copied(), self.types.get(entity))
        else {
            return Ok(());
        };
        let id = self.entity_id(entity)?;
        let bits = (1 << 23) | if destroyed { 3 << 3 } else { 0 };
        let force = if self.classes.contains_key(entity) {
            ForceId::Opposing
        } else {
            ForceId::Friendly
        };
        let o = orientation(&state.position, &state.velocity);
        let appearance = EntityAppearance::from_bytes(bits, &entity_type);
        let body = state_pdu(id, force, entity_type, &state, o, appearance, entity);
        out.push(self.datagram(state.t_ns, body)?);
        self.sent.remove(&id.entity_id);
        Ok(())
    }

    /// An Entity State PDU for `entity` if the receivers' dead reckoning has drifted past the
    /// thresholds or the heartbeat is due.
    pub(super) fn entity_state(
        &mut self,
        entity: &str,
        kind: EntityKind,
        event: &Event,
        out: &mut Vec<Datagram>,
    ) -> Result<(), DisError> {
        let Some(state) = self.last.get(entity).copied() else {
            return Ok(());
        };
        let id = self.id(entity)?;
        let t = event.t;
        let orientation = orientation(&state.position, &state.velocity);
        let due = match self.sent.get(&id) {
            None => true,
            Some(s) => {
                let reckoned = s.position + s.velocity * (t - s.t);
                t - s.t >= HEARTBEAT_S
                    || (reckoned - state.position).norm() > POSITION_THRESHOLD_M
                    || angle_between(&s.orientation, &orientation) > ORIENTATION_THRESHOLD_RAD
            }
        };
        if !due {
            return Ok(());
        }
        let entity_type = self.entity_type(entity, kind);
        let force = match kind {
            EntityKind::Threat => ForceId::Opposing,
            EntityKind::Interceptor => ForceId::Friendly,
        };
        let entity_id = self.entity_id(entity)?;
        let body = state_pdu(
            entity_id,
            force,
            entity_type,
            &state,
            orientation,
            EntityAppearance::default(),
            entity,
        );
        out.push(self.datagram(state.t_ns, body)?);
        self.sent.insert(
            id,
            Sent {
                t,
                position: state.position,
                velocity: state.velocity,
                orientation,
            },
        );
        Ok(())
    }

    /// The SISO-REF-010 type of an entity: kind, domain, country (0, other: the types are
    /// notional) and category; a threat's subcategory numbers its threat type.
    pub(super) fn entity_type(&mut self, entity: &str, kind: EntityKind) -> EntityType {
        let ty = match kind {
            // Munition, anti-air, guided.
            EntityKind::Interceptor => munition(1, 1),
            EntityKind::Threat => {
                let (class, number) = self
                    .classes
                    .get(entity)
                    .map_or(("", 0), |(c, n)| (c.as_str(), *n));
                let ty = match class {
                    // Munition, tactical, guided.
                    "ballistic" | "cruise" => munition(11, 1),
                    // Munition, battlefield support, ballistic (unguided).
                    "rocket" | "artillery" | "mortar" => munition(9, 2),
                    // Platform, air: attack/strike (2) for aircraft, unmanned (50) for drones.
                    "aircraft" => platform_air(2),
                    "uas" => platform_air(50),
                    _ => munition(0, 0),
                };
                ty.with_subcategory(number)
            }
        };
        self.types.insert(entity.to_owned(), ty);
        ty
    }
}

/// An Entity State PDU of `entity` (numbered `id`) at `state`, oriented `o`, with
/// `appearance`, dead-reckoned at constant velocity.
fn state_pdu(
    id: EntityId,
    force: ForceId,
    entity_type: EntityType,
    state: &State,
    o: [f64; 3],
    appearance: EntityAppearance,
    entity: &str,
) -> PduBody {
    EntityState::builder()
        .with_entity_id(id)
        .with_force_id(force)
        .with_entity_type(entity_type)
        .with_location(location(&state.position))
        .with_velocity(vector(&state.velocity))
        .with_orientation(Orientation::new(o[0] as f32, o[1] as f32, o[2] as f32))
        .with_appearance(appearance)
        .with_dead_reckoning_parameters(DrParameters::default().with_algorithm(
            DeadReckoningAlgorithm::DRM_FPW_ConstantVelocityLowAccelerationLinearMotionEntity,
        ))
        .with_marking(EntityMarking::new_ascii(marking(entity)))
        .build()
        .into_pdu_body()
}

/// A munition type of `domain` and `category` (country 0: notional).
pub(super) fn munition(domain: u8, category: u8) -> EntityType {
    EntityType::default()
        .with_kind(DisKind::Munition)
        .with_domain(PlatformDomain::from(domain))
        .with_country(Country::Other)
        .with_category(category)
}

/// An air platform of `category` (country 0: notional).
fn platform_air(category: u8) -> EntityType {
    EntityType::default()
        .with_kind(DisKind::Platform)
        .with_domain(PlatformDomain::Air)
        .with_country(Country::Other)
        .with_category(category)
}

/// An entity's marking: its id in the 11 ASCII characters the record holds — its last 11 when
/// longer, which keep the number that tells `Battery-1/I12` from `Battery-1/I13`.
pub(super) fn marking(name: &str) -> String {
    let ascii: Vec<char> = name.chars().filter(char::is_ascii).collect();
    ascii[ascii.len().saturating_sub(11)..].iter().collect()
}
