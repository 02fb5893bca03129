//! Battle management's view of what the network and the truth hold: which system tracks a
//! kill assessment judged destroyed, what is being engaged, and (for scoring only) the threat an
//! engaged track follows.

use crate::network::fusion::SystemTrack;
use crate::scenario::Scenario;
use crate::stages::carry;
use crate::stages::network::engaged_estimate;
use crate::world::{SensorId, TrackKey, UnitId, World};
use nalgebra::Vector3;
use rampart_core::SimTime;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a kill assessment judged the object of system track `sys` destroyed: an
/// assessment of the system track itself, or of a unit's own track that is part of it.
pub(super) fn dead(world: &World, scenario: &Scenario, sys: &SystemTrack) -> bool {
    world.assessed_dead.iter().any(|&(u, k)| match k {
        TrackKey::System(id) => id == sys.id,
        TrackKey::Local(id) => sys
            .local(SensorId::from_index(scenario.fire_units[u.index()].radar))
            .is_some_and(|l| l.id == id),
    })
}

/// Where an active engagement's threat is now: the engaging unit, its track, and the position.
pub(super) type EngagedAt = (UnitId, TrackKey, Vector3<f64>);

/// For the network's threats: the system tracks engaged (as such, or through an engaged own
/// track the node associated with one), and where each active engagement's threat is now (its
/// track, and its interceptors' uplinked target, carried to now as the uplink is), so a threat
/// is not engaged again under another track number.
pub(super) fn engaged(
    world: &World,
    scenario: &Scenario,
    t: SimTime,
    associated: &BTreeMap<(SensorId, u64), (u64, Vec<SensorId>)>,
) -> (BTreeSet<u64>, Vec<EngagedAt>) {
    let now = t.as_secs_f64();
    let mut systems = BTreeSet::new();
    let mut at = Vec::new();
    for (&(u, key), &e) in &world.active {
        let radar = SensorId::from_index(scenario.fire_units[u.index()].radar);
        match key {
            TrackKey::System(s) => {
                systems.insert(s);
            }
            TrackKey::Local(l) => {
                if let Some((s, _)) = associated.get(&(radar, l)) {
                    systems.insert(*s);
                }
            }
        }
        let ballistic = world.engagements[e].class.is_ballistic();
        if let Some((tr, frame, _)) = engaged_estimate(world, scenario, u, key, t) {
            let (r, v) = tr.ecef_at(&frame, tr.t_s);
            at.push((u, key, carry(&r, &v, now - tr.t_s, ballistic).0));
        }
        at.extend(
            world
                .interceptors
                .values()
                .filter(|i| i.alive && i.engagement == e)
                .map(|i| {
                    let p = i.target;
                    (
                        u,
                        key,
                        carry(&p.position, &p.velocity, now - p.t_s, ballistic).0,
                    )
                }),
        );
    }
    (systems, at)
}
