//! Threats from a feed ([`crate::feed`]): each new entity enters the run as a threat of its
//! mapped type (a `launch` event where it was first seen); each state it reports replaces the
//! last, and it is dead-reckoned in between; it ends where dead reckoning takes it to the
//! ground (an `impact`, with the leak record of a defended asset), when the feed removes it,
//! or when it has been silent for the time-out (a `removed` event, or an `impact` if it was
//! within [`LANDED_M`] of the ground).

use super::threat_flight::{asset_hit, leak};
use super::{Ctx, latlon};
use crate::engine::{Action, EngineError};
use crate::events::EventKind;
use crate::feed::{FedFlight, FeedState, FeedUpdate, ThreatFeed};
use crate::scenario::Scenario;
use crate::world::{Threat, ThreatId, World};
use rampart_core::{Coordinate, Geodetic, SimDuration, SimTime};
use std::collections::HashMap;

/// How long a feed's entity may be silent before it is taken to have left, when the scenario
/// does not say: 12 s, the standard's entity-state time-out (the 5 s heartbeat times the 2.4
/// time-out multiplier, IEEE 1278.1-2012 §5.2.5 and Table 4).
pub const DEFAULT_TIMEOUT_S: f64 = 12.0;
/// [`DEFAULT_TIMEOUT_S`] as a duration.
pub fn default_timeout() -> SimDuration {
    SimDuration::from_secs_f64(DEFAULT_TIMEOUT_S).unwrap_or(SimDuration::ZERO)
}

/// An entity that leaves within this height of the ground has landed there, m.
pub const LANDED_M: f64 = 50.0;
/// Step of the search for a dead-reckoned descent through the ground, s.
const GROUND_STEP_S: f64 = 0.25;
/// The ground crossing is found to this, s.
const GROUND_TOLERANCE_S: f64 = 1e-3;

/// The feed stage: the feed's entities and the threats they became.
#[derive(Debug, Default)]
pub struct FeedStage {
    entities: HashMap<String, ThreatId>,
    updates: Vec<FeedUpdate>,
}

impl FeedStage {
    /// Polls `feed` at `t`, takes what it brought, and schedules the next poll.
    ///
    /// # Errors
    /// The feed's error ([`EngineError::Feed`]).
    pub fn poll(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        feed: &mut dyn ThreatFeed,
    ) -> Result<(), EngineError> {
        let mut updates = std::mem::take(&mut self.updates);
        updates.clear();
        feed.poll(t, &mut updates)
            .map_err(|e| EngineError::Feed(e.to_string()))?;
        for u in updates.drain(..) {
            match u {
                FeedUpdate::State {
                    entity,
                    threat_type,
                    state,
                } => self.state(world, ctx, t, entity, threat_type, state),
                FeedUpdate::Remove { entity } => {
                    if let Some(&id) = self.entities.get(&entity) {
                        end(world, ctx, t, id, "removed");
                    }
                }
            }
        }
        self.updates = updates;
        match feed.next_poll(t).filter(|&n| n > t && n <= ctx.end) {
            Some(n) => ctx.queue.schedule(n, Action::Feed),
            None => world.feed_open = false,
        }
        Ok(())
    }

    /// A state of `entity` arrived at `t`.
    fn state(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        entity: String,
        threat_type: usize,
        mut state: FeedState,
    ) {
        let scenario = ctx.scenario;
        // A state is never dated after its arrival, nor before the one it follows.
        state.t = state.t.min(t);
        let id = match self.entities.get(&entity) {
            Some(&id) => id,
            None => {
                if threat_type >= scenario.threat_types.len() {
                    return;
                }
                let id = world.threats.push(Threat {
                    name: entity.clone(),
                    raid: None,
                    threat_type,
                    member: 0,
                    launch: state.t,
                    plan: None,
                    fed: Some(FedFlight::default()),
                    killed: None,
                    killed_by: None,
                });
                world.threats_left += 1;
                self.entities.insert(entity, id);
                let first = geodetic(&state.position);
                let ty = &scenario.threat_types[threat_type];
                ctx.emit(
                    state.t,
                    EventKind::Launch {
                        threat: world.threats[id].name.clone(),
                        threat_type: ty.name.clone(),
                        class: ty.kind.word().to_string(),
                        site: latlon(&first),
                        aim: latlon(&first),
                        aim_asset: None,
                    },
                );
                id
            }
        };
        let th = &mut world.threats[id];
        let Some(f) = th.fed.as_mut() else {
            return;
        };
        if th.killed.is_some() || f.ended.is_some() {
            return;
        }
        if let Some(last) = f.states.last() {
            state.t = state.t.max(last.t);
        }
        f.states.push(state);
        f.generation = f.generation.wrapping_add(1);
        let generation = f.generation;
        let timeout = scenario
            .dis_in
            .as_ref()
            .map_or_else(default_timeout, |d| d.timeout);
        let deadline = state.t.checked_add(timeout).unwrap_or(SimTime::MAX);
        let at = ground_crossing(scenario, &state, deadline).unwrap_or(deadline);
        if at <= ctx.end {
            ctx.queue.schedule(
                at.max(t),
                Action::FeedCheck {
                    threat: id,
                    generation,
                },
            );
        }
        ctx.threat_state(world, t, id);
    }

    /// Threat `id` reached the time of a check set by its flight's `generation`: it has come
    /// down to the ground, or been silent for the time-out.
    pub fn check(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        id: ThreatId,
        generation: u32,
    ) {
        let th = &world.threats[id];
        if th
            .fed
            .as_ref()
            .is_some_and(|f| f.generation == generation && f.ended.is_none())
        {
            end(world, ctx, t, id, "timed_out");
        }
    }
}

/// Threat `id` from the feed ends at `t`: an impact if it is within [`LANDED_M`] of the
/// ground, else it left the run in flight for `reason`.
fn end(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, id: ThreatId, reason: &str) {
    let scenario = ctx.scenario;
    let th = &world.threats[id];
    let Some(f) = th.fed.as_ref() else {
        return;
    };
    if th.killed.is_some() || f.ended.is_some() {
        return;
    }
    let Some((r, v)) = f.state_at(t) else {
        return;
    };
    let name = th.name.clone();
    let pos = geodetic(&r);
    let kind = if pos.alt_m - ground_alt(scenario, &pos) <= LANDED_M {
        let (max_alt, max_speed) = f.states.iter().fold((pos.alt_m, v.norm()), |(a, s), x| {
            (a.max(geodetic(&x.position).alt_m), s.max(x.velocity.norm()))
        });
        EventKind::Impact {
            threat: name,
            at: latlon(&pos),
            miss_m: nearest_asset(scenario, &pos).map_or(0.0, |(_, d)| d),
            asset: asset_hit(scenario, &pos).map(|a| scenario.assets[a].name.clone()),
            speed_mps: v.norm(),
            max_alt_m: max_alt,
            max_speed_mps: max_speed,
        }
    } else {
        EventKind::Removed {
            threat: name,
            at: latlon(&pos),
            alt_m: pos.alt_m,
            reason: reason.to_string(),
        }
    };
    let leak = leak(world, scenario, id, &kind);
    ctx.emit(t, kind);
    ctx.threat_state(world, t, id);
    if let Some(f) = world.threats[id].fed.as_mut() {
        f.ended = Some(t);
    }
    world.threats_left = world.threats_left.saturating_sub(1);
    if let Some(leak) = leak {
        ctx.emit(t, leak);
    }
}

/// The first time after `state` and by `until` at which its dead reckoning descends through
/// the ground, to [`GROUND_TOLERANCE_S`]; `None` if it does not (or starts on the ground).
fn ground_crossing(scenario: &Scenario, state: &FeedState, until: SimTime) -> Option<SimTime> {
    let height = |t: SimTime| {
        let g = geodetic(&state.at(t).0);
        g.alt_m - ground_alt(scenario, &g)
    };
    if height(state.t) <= 0.0 {
        return None;
    }
    let step = SimDuration::from_secs_f64(GROUND_STEP_S)?;
    let mut lo = state.t;
    while lo < until {
        let hi = lo.checked_add(step).unwrap_or(until).min(until);
        if height(hi) <= 0.0 {
            let (mut a, mut b) = (lo, hi);
            while (b - a).as_secs_f64() > GROUND_TOLERANCE_S {
                let mid = a + SimDuration::from_nanos((b - a).as_nanos() / 2);
                if height(mid) <= 0.0 {
                    b = mid;
                } else {
                    a = mid;
                }
            }
            return Some(b);
        }
        lo = hi;
    }
    None
}

/// The ground's height under `p`: the height of the nearest asset (the ellipsoid without
/// assets), m.
fn ground_alt(scenario: &Scenario, p: &Geodetic) -> f64 {
    nearest_asset(scenario, p).map_or(0.0, |(a, _)| scenario.assets[a].position.alt_m)
}

/// The asset nearest `p` and its distance, m.
fn nearest_asset(scenario: &Scenario, p: &Geodetic) -> Option<(usize, f64)> {
    scenario
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| (i, p.geodesic_to(&a.position).distance_m))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

fn geodetic(r: &nalgebra::Vector3<f64>) -> Geodetic {
    Geodetic::from_ecef(&Coordinate::from_vector3(*r))
}
