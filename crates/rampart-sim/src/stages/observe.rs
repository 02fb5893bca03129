//! Observation: every threat in flight and every flying interceptor, sampled as an
//! `entity_state` event at `k·interval` from the epoch (the other stages add one at each of an
//! entity's own events). It reads the World and changes nothing, so the other events of a run
//! are the same with and without it.

use super::Ctx;
use crate::engine::{Action, checked_times};
use crate::world::World;
use rampart_core::{SimDuration, SimTime};

/// Sample number `k` at `t`; the next is scheduled at `(k + 1)·every`.
pub fn sample(world: &World, ctx: &mut Ctx<'_, '_>, t: SimTime, k: u64, every: SimDuration) {
    for (id, _) in world.threats.iter() {
        ctx.threat_state(world, t, id);
    }
    for (id, _) in world.interceptors.iter().filter(|(_, i)| i.alive) {
        ctx.interceptor_state(world, t, id);
    }
    let next = i64::try_from(k)
        .ok()
        .and_then(|k| k.checked_add(1))
        .and_then(|k1| checked_times(every, k1))
        .and_then(|d| SimTime::EPOCH.checked_add(d));
    if let Some(next) = next.filter(|&n| n > t && n <= ctx.end) {
        ctx.queue.schedule(next, Action::SampleStates(k + 1));
    }
}
