//! Threats from a feed ([`crate::feed`]): each new entity enters the run as a threat of its
//! mapped type (a `launch` event where it was first seen); each state it reports replaces the
//! last, and it is dead-reckoned in between; it ends where dead reckoning takes it down through
//! the ground (an `impact`, with the leak record of a defended asset), when the feed removes it,
//! or when it has been silent for the time-out (a `removed` event, or an `impact` if it was
//! then coming down within [`LANDED_M`] of the ground). An entity that left and reports again
//! is a new threat, `<entity>#2`, `#3`, …; one the defense destroyed stays destroyed.

use super::threat_flight::{asset_hit, leak};
use super::{Ctx, latlon};
use crate::engine::{Action, EngineError};
use crate::events::EventKind;
use crate::feed::{FedFlight, FeedState, FeedUpdate, ThreatFeed};
use crate::scenario::Scenario;
use crate::world::{Threat, ThreatId, World};
use nalgebra::Vector3;
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

/// An entity that leaves while coming down within this height of the ground has landed
/// there, m.
pub const LANDED_M: f64 = 50.0;
/// Coming down is sinking faster than this, m/s: an entity at rest, or level, on ground lower
/// than the nearest asset's has not landed.
const SINKING_MPS: f64 = 1.0;
/// The most threats one feed may bring.
pub const MAX_FED_THREATS: usize = 100_000;
/// Step of the search for a dead-reckoned descent through the ground, s.
const GROUND_STEP_S: f64 = 0.25;
/// The ground crossing is found to this, s.
const GROUND_TOLERANCE_S: f64 = 1e-3;
/// How far ahead one search looks, s; a longer time-out searches on at a check there.
const SEARCH_S: f64 = 30.0;

/// The feed stage: the feed's entities and the threats they became.
#[derive(Debug, Default)]
pub struct FeedStage {
    /// Each entity's threat (while it is in the run, and after it ended until the feed says
    /// the entity is gone: late reports of a wreck are not a new threat).
    entities: HashMap<String, ThreatId>,
    /// Each threat's entity.
    entity_of: HashMap<ThreatId, String>,
    /// How many threats each entity has been.
    appearances: HashMap<String, u32>,
    /// Threats the feed brought.
    fed: usize,
    updates: Vec<FeedUpdate>,
}

impl FeedStage {
    /// Polls `feed` at `t`, takes what it brought, and schedules the next poll.
    ///
    /// # Errors
    /// The feed's error, a next poll not after `t`, or more than [`MAX_FED_THREATS`] threats
    /// ([`EngineError::Feed`]).
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
                } => self.state(world, ctx, t, entity, threat_type, state)?,
                FeedUpdate::Remove { entity } => {
                    if let Some(&id) = self.entities.get(&entity) {
                        self.end(world, ctx, t, id, End::Judge("removed"));
                        // Gone from the exercise: its id may come back as a new entity.
                        self.entities.remove(&entity);
                    }
                }
                FeedUpdate::Detonate {
                    entity,
                    position,
                    ground,
                } => {
                    if let Some(&id) = self.entities.get(&entity) {
                        self.detonate(world, ctx, t, id, position, ground);
                    }
                }
            }
        }
        self.updates = updates;
        match feed.next_poll(t) {
            Some(n) if n <= t => {
                return Err(EngineError::Feed(format!(
                    "the feed asked to be polled again at {n}, not after {t}"
                )));
            }
            Some(n) if n <= ctx.end => ctx.queue.schedule(n, Action::Feed),
            _ => world.feed_open = false,
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
    ) -> Result<(), EngineError> {
        let scenario = ctx.scenario;
        // NaN fails every comparison, so an unbounded or non-finite state is left out here.
        if !state.plausible() {
            return Ok(());
        }
        let id = match self.entities.get(&entity) {
            Some(&id) => id,
            None => {
                let Some(ty) = scenario.threat_types.get(threat_type) else {
                    return Ok(());
                };
                if self.fed >= MAX_FED_THREATS {
                    return Err(EngineError::Feed(format!(
                        "more than {MAX_FED_THREATS} threats from the feed"
                    )));
                }
                self.fed += 1;
                let n = self.appearances.entry(entity.clone()).or_insert(0);
                *n += 1;
                let name = if *n == 1 {
                    entity.clone()
                } else {
                    format!("{entity}#{n}")
                };
                let id = world.threats.push(Threat {
                    name: name.clone(),
                    raid: None,
                    threat_type,
                    member: 0,
                    launch: t,
                    plan: None,
                    fed: Some(FedFlight::default()),
                    killed: None,
                    killed_by: None,
                });
                world.threats_left += 1;
                self.entities.insert(entity.clone(), id);
                self.entity_of.insert(id, entity);
                let first = geodetic(&state.position);
                ctx.emit(
                    t,
                    EventKind::Launch {
                        threat: name,
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
            return Ok(());
        };
        if th.killed.is_some() || f.ended.is_some() {
            return Ok(());
        }
        // A state is never dated after its arrival, nor before the one it follows.
        state.t = state.t.min(t);
        if let Some(last) = f.states.last() {
            state.t = state.t.max(last.t);
        }
        f.push(state, geodetic(&state.position).alt_m);
        let timeout = scenario
            .dis_in
            .as_ref()
            .map_or_else(default_timeout, |d| d.timeout);
        f.deadline = state.t.checked_add(timeout).unwrap_or(SimTime::MAX);
        schedule_check(world, ctx, id, t);
        ctx.threat_state(world, t, id);
        Ok(())
    }

    /// Threat `id` reached the time of a check set by its flight's `generation`: it has come
    /// down through the ground, been silent for the time-out, or searched as far as one search
    /// looks (and searches on).
    pub fn check(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        id: ThreatId,
        generation: u32,
    ) {
        let th = &world.threats[id];
        let Some(f) = th.fed.as_ref() else {
            return;
        };
        if f.generation != generation || f.ended.is_some() || th.killed.is_some() {
            return;
        }
        let Some((r, v)) = f.state_at(t) else {
            return;
        };
        let (h, climb) = Ground::of(ctx.scenario).height_and_climb(&r, &v);
        if h <= 0.0 && climb < -SINKING_MPS {
            self.end(world, ctx, t, id, End::Judge("landed"));
        } else if t >= f.deadline {
            self.end(world, ctx, t, id, End::Judge("timed_out"));
        } else {
            schedule_check(world, ctx, id, t);
        }
    }

    /// Threat `id` from the feed detonated at `t` at `position` (ECEF): it ends there, an
    /// impact when on the ground.
    fn detonate(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        id: ThreatId,
        position: Vector3<f64>,
        ground: bool,
    ) {
        let th = &mut world.threats[id];
        let Some(f) = th.fed.as_mut() else {
            return;
        };
        if th.killed.is_some() || f.ended.is_some() {
            return;
        }
        let velocity = f.state_at(t).map_or(Vector3::zeros(), |s| s.1);
        let at = FeedState {
            t: t.max(f.states.last().map_or(t, |s| s.t)),
            position,
            velocity,
            acceleration: Vector3::zeros(),
            motion: crate::feed::Motion::ConstantVelocity,
        };
        if !at.plausible() {
            return;
        }
        f.push(at, geodetic(&position).alt_m);
        self.end(world, ctx, t, id, End::Detonated { ground });
    }

    /// Threat `id` from the feed ends at `t`, as `how` says; one that left in flight may come
    /// back as a new threat.
    fn end(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        id: ThreatId,
        how: End,
    ) {
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
        let ground = Ground::of(scenario);
        let (h, climb) = ground.height_and_climb(&r, &v);
        let (landed, reason) = match how {
            End::Judge(reason) => (h <= LANDED_M && climb < -SINKING_MPS, reason),
            End::Detonated { ground } => (ground, "detonated"),
        };
        let kind = if landed {
            EventKind::Impact {
                threat: name,
                at: latlon(&pos),
                miss_m: ground.nearest(&r).map_or(0.0, |a| {
                    pos.geodesic_to(&scenario.assets[a].position).distance_m
                }),
                asset: asset_hit(scenario, &pos).map(|a| scenario.assets[a].name.clone()),
                speed_mps: v.norm(),
                max_alt_m: f.max_alt_m.max(pos.alt_m),
                max_speed_mps: f.max_speed_mps.max(v.norm()),
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
        // Silent or removed in flight, it may report again: a new threat then.
        if !landed
            && matches!(how, End::Judge(_))
            && let Some(entity) = self.entity_of.get(&id)
        {
            self.entities.remove(entity);
        }
    }
}

/// How a fed threat ends.
#[derive(Clone, Copy, Debug)]
enum End {
    /// By its height: an impact if it is at or under the ground, or coming down within
    /// [`LANDED_M`] of it; else it left in flight for this reason.
    Judge(&'static str),
    /// A Detonation PDU: an impact when on the ground, else it ended in the air.
    Detonated {
        /// Whether on the ground.
        ground: bool,
    },
}

/// Schedules threat `id`'s next check after `now`: where its dead reckoning from its latest
/// state comes down through the ground within the next search, else at the search's end or
/// its time-out, whichever is first.
fn schedule_check(world: &World, ctx: &mut Ctx<'_, '_>, id: ThreatId, now: SimTime) {
    let Some(f) = world.threats[id].fed.as_ref() else {
        return;
    };
    let Some(state) = f.states.last() else {
        return;
    };
    let from = now.max(state.t);
    let until = SimDuration::from_secs_f64(SEARCH_S)
        .and_then(|s| from.checked_add(s))
        .unwrap_or(SimTime::MAX)
        .min(f.deadline);
    let at = descent(ctx.scenario, state, from, until).unwrap_or(until);
    if at <= ctx.end {
        ctx.queue.schedule(
            at.max(now),
            Action::FeedCheck {
                threat: id,
                generation: f.generation,
            },
        );
    }
}

/// The first time in [`from`, `until`] at which `state`'s dead reckoning is at or under the
/// ground coming down (`from` itself when it already is), to [`GROUND_TOLERANCE_S`].
fn descent(
    scenario: &Scenario,
    state: &FeedState,
    from: SimTime,
    until: SimTime,
) -> Option<SimTime> {
    let ground = Ground::of(scenario);
    let down = |t: SimTime| {
        let (r, v) = state.at(t);
        let (h, climb) = ground.height_and_climb(&r, &v);
        h <= 0.0 && climb < -SINKING_MPS
    };
    if down(from) {
        return Some(from);
    }
    let step = SimDuration::from_secs_f64(GROUND_STEP_S)?;
    let mut lo = from;
    while lo < until {
        let hi = lo.checked_add(step).unwrap_or(until).min(until);
        if down(hi) {
            let (mut a, mut b) = (lo, hi);
            while (b - a).as_secs_f64() > GROUND_TOLERANCE_S {
                let mid = a + SimDuration::from_nanos((b - a).as_nanos() / 2);
                if down(mid) {
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

/// The ground under a fed threat: the height of the nearest asset (the ellipsoid without
/// assets), from the assets' ECEF positions, found once per use rather than at every step of
/// a search.
struct Ground {
    /// Each asset's ECEF position and height, m.
    assets: Vec<(Vector3<f64>, f64)>,
}

impl Ground {
    fn of(scenario: &Scenario) -> Self {
        Self {
            assets: scenario
                .assets
                .iter()
                .map(|a| (*a.position.to_ecef().as_vector3(), a.position.alt_m))
                .collect(),
        }
    }

    /// Height above the ground of ECEF point `r`, m, and the rate of climb of velocity `v`
    /// there, m/s.
    fn height_and_climb(&self, r: &Vector3<f64>, v: &Vector3<f64>) -> (f64, f64) {
        let g = geodetic(r);
        let ground = self.nearest(r).map_or(0.0, |a| self.assets[a].1);
        let (sl, cl) = g.lat_rad.sin_cos();
        let (so, co) = g.lon_rad.sin_cos();
        let up = Vector3::new(cl * co, cl * so, sl);
        (g.alt_m - ground, v.dot(&up))
    }

    /// The index of the asset nearest ECEF point `r` (by straight-line distance).
    fn nearest(&self, r: &Vector3<f64>) -> Option<usize> {
        self.assets
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (i, (p - r).norm_squared()))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }
}

fn geodetic(r: &Vector3<f64>) -> Geodetic {
    Geodetic::from_ecef(&Coordinate::from_vector3(*r))
}
