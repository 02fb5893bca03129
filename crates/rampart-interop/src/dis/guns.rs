//! The counter-rocket guns' bursts as DIS: at each burst's arrival a Fire PDU (the gun firing
//! its rounds at the threat, stamped at the burst's firing) and a Detonation PDU (the rounds at
//! the aim point: entity impact when the burst killed, detonation — the rounds self-destruct —
//! when it missed). The rounds are not entities of their own (munition id 0:0:0, as the
//! standard allows for munitions that are not tracked); the gun is numbered as an entity, like
//! a fire unit, when it first fires.

use super::{DisEncoder, DisError, location, munition, vector};
use crate::dis::Datagram;
use dis_rs::BodyRaw;
use dis_rs::detonation::model::{Detonation, DetonationDescriptor};
use dis_rs::enumerations::DetonationResult;
use dis_rs::fire::model::{Fire, FireDescriptor};
use dis_rs::model::{EntityId, MunitionDescriptor};
use nalgebra::Vector3;
use rampart_core::Geodetic;

/// A gun as the exercise sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Gun {
    /// Its name.
    pub name: String,
    /// Where it stands, ECEF, m.
    pub position: Vector3<f64>,
    /// Its rounds' muzzle velocity, m/s.
    pub muzzle_velocity_mps: f64,
    /// Rounds per second.
    pub rate_of_fire: f64,
}

/// The scenario's guns.
pub fn guns(scenario: &rampart_sim::scenario::Scenario) -> Vec<Gun> {
    scenario
        .guns
        .iter()
        .map(|g| Gun {
            name: g.name.clone(),
            position: *g.position.to_ecef().as_vector3(),
            muzzle_velocity_mps: g.muzzle_velocity_mps,
            rate_of_fire: g.rate_of_fire,
        })
        .collect()
}

/// One burst, as its `gun_burst` event gives it.
pub(super) struct Burst<'e> {
    pub gun: &'e str,
    pub fired_ns: i64,
    pub rounds: u32,
    pub range_m: f64,
    pub aim: Geodetic,
    pub threat: Option<&'e str>,
    pub kill: bool,
}

impl DisEncoder {
    /// The Fire and Detonation PDUs of burst `b`, which arrived at `t_ns`.
    pub(super) fn burst(
        &mut self,
        t_ns: i64,
        b: &Burst<'_>,
        out: &mut Vec<Datagram>,
    ) -> Result<(), DisError> {
        let gun = self.guns.iter().find(|g| g.name == b.gun).cloned();
        let firing = self.entity_id(b.gun)?;
        let target = match b.threat {
            Some(t) => self.entity_id(t)?,
            None => EntityId::new(0, 0, 0),
        };
        let aim = *b.aim.to_ecef().as_vector3();
        let from = gun.as_ref().map_or(aim, |g| g.position);
        let muzzle = (aim - from)
            .try_normalize(1e-9)
            .zip(gun.as_ref())
            .map_or(Vector3::zeros(), |(d, g)| d * g.muzzle_velocity_mps);
        let descriptor = || {
            MunitionDescriptor::default()
                // Munition, anti-air, unguided.
                .with_entity_type(munition(1, 2))
                .with_quantity(u16::try_from(b.rounds).unwrap_or(u16::MAX))
                .with_rate(gun.as_ref().map_or(0, |g| {
                    (g.rate_of_fire * 60.0).round().clamp(0.0, 65_535.0) as u16
                }))
        };
        let event_id = self.event_id();
        let fire = Fire::builder()
            .with_firing_entity_id(firing)
            .with_target_entity_id(target)
            .with_entity_id(EntityId::new(0, 0, 0))
            .with_event_id(event_id)
            .with_location_in_world(location(&from))
            .with_descriptor(FireDescriptor::Munition(descriptor()))
            .with_velocity(vector(&muzzle))
            .with_range(b.range_m as f32)
            .build()
            .into_pdu_body();
        // Stamped at the firing; sent when the run records the burst, at its arrival.
        let mut d = self.datagram(b.fired_ns, fire)?;
        d.t_ns = t_ns;
        out.push(d);
        let result = if b.kill {
            DetonationResult::EntityImpact
        } else {
            DetonationResult::Detonation
        };
        let detonation = Detonation::builder()
            .with_source_entity_id(firing)
            .with_target_entity_id(target)
            .with_exploding_entity_id(EntityId::new(0, 0, 0))
            .with_event_id(event_id)
            .with_velocity(vector(&muzzle))
            .with_world_location(location(&aim))
            .with_descriptor(DetonationDescriptor::Munition(descriptor()))
            .with_detonation_result(result)
            .build()
            .into_pdu_body();
        out.push(self.datagram(t_ns, detonation)?);
        if b.kill
            && let Some(t) = b.threat
        {
            self.end(t, t_ns, out)?;
        }
        Ok(())
    }
}
