//! Battle management: after every scan of a fire unit's radar, the battle manager takes every
//! fire unit's confirmed tracks, skips those assessed dead, those already engaged and those
//! that are the defense's own interceptors, evaluates the rest ([`crate::bmc::evaluation`]; a
//! track's evaluation is renewed when the track updates and the last one is
//! [`REEVALUATION_S`] old), merges tracks of the same threat held by several radars (within
//! [`CORRELATION_M`]), plans every launcher against every threat ([`crate::bmc::planning`])
//! and assigns weapons with the scenario's solver ([`crate::bmc::wta`]) to maximise the
//! expected value of the defended assets saved. A unit may engage a threat only when its own
//! radar tracks it, the threat endangers an asset the unit defends, and a launch now (plus the
//! launch delay) lies inside the engagement window, and only on a track the latest scan
//! updated (a coasting track may be a threat already destroyed). Shoot-look-shoot reserves a
//! second round where the kill assessment of the first shot comes before the window closes.
//!
//! With the network enabled ([`crate::network`]), a fire unit whose link is up fights on the
//! fusion node's system tracks instead: each system track is one threat, and a unit may engage
//! it as its `fire_control` allows — `autonomous` only while its own radar holds the threat,
//! `launch-on-remote` also before, when the planned intercept lies within its radar's coverage,
//! `engage-on-remote` wherever. Its orders take its link's latency. A unit whose link is out
//! fights as without a network, on its own radar's tracks.
//!
//! Battle management reads tracks only as [`TrackEstimate`]s, never truth (the `truth` of an
//! `engagement_planned` event is a label for scoring, put on after the decision).

use super::{Ctx, latlon, truth_near};
use crate::bmc::evaluation::{Evaluation, ThreatClass, evaluate_after};
use crate::bmc::planning::{Intercept, intercept_for_launch, window};
use crate::bmc::wta::{WtaOption, WtaProblem, WtaThreat, WtaUnit};
use crate::engine::{Action, EngineError};
use crate::events::EventKind;
mod remote;

use crate::network::FireControl;
use crate::scenario::Doctrine;
use crate::scenario::model::Tier;
use crate::stages::network::{own_track, sensor_names, to_estimate};
use crate::tracking::TrackEstimate;
use crate::weapons::interceptor::SeekerKind;
use crate::world::{Engagement, SensorId, TrackKey, UnitId, World};
use nalgebra::Vector3;
use rampart_core::{Coordinate, Geodetic, LocalFrame, SimDuration, SimTime};
use remote::{dead, engaged};
use std::collections::{BTreeMap, BTreeSet};

/// Tracks of two radars closer than this are the same threat, m.
pub const CORRELATION_M: f64 = 2_000.0;
/// A track closer than this to one of the defense's own interceptors is that interceptor, m.
pub const OWN_MISSILE_M: f64 = 1_000.0;
/// A track's threat evaluation is renewed when it is at least this old, s.
pub const REEVALUATION_S: f64 = 5.0;
/// The truth label of an engaged track is the nearest threat within this distance, m.
pub const TRUTH_LABEL_M: f64 = 5_000.0;
/// How long the remains of an ended interceptor are still known as its own, s.
pub const OWN_REMAINS_S: f64 = 10.0;

/// The battle manager's own state: its evaluations and when it last ran.
#[derive(Clone, Debug, Default)]
pub struct BattleManager {
    /// Cached evaluations of the units' own tracks: (unit, track) → evaluation at the track
    /// time.
    evals: BTreeMap<(UnitId, TrackKey), Evaluation>,
    /// Cached evaluations of the node's system tracks, by number.
    system_evals: BTreeMap<u64, Evaluation>,
    /// The instant of the last cycle scheduled.
    cycle_at: Option<SimTime>,
}

/// A planned shot of one unit at one threat.
#[derive(Clone, Debug)]
struct Candidate {
    unit: UnitId,
    track: TrackKey,
    sensors: Vec<SensorId>,
    on_remote: bool,
    /// The track's position at the decision (ECEF).
    r: Vector3<f64>,
    launcher: usize,
    plan: Intercept,
    window: (f64, f64),
    shots: u32,
    pk: f64,
    /// What one of its interceptors costs (0 when unpriced).
    shot_cost: f64,
    class: ThreatClass,
}

/// A track one unit may fight on, as of the cycle: its own radar's, or a system track.
struct Held {
    unit: UnitId,
    key: TrackKey,
    track: TrackEstimate,
    /// Its position extrapolated to the cycle's time (ECEF).
    r: Vector3<f64>,
    /// The sensors whose data formed it.
    sensors: Vec<SensorId>,
    /// Whether the unit's own radar does not hold it.
    on_remote: bool,
    /// The system track it is, or is part of, in the network.
    system: Option<u64>,
}

impl BattleManager {
    /// The latest evaluation of `track` for `unit`.
    pub fn evaluation(&self, unit: UnitId, track: TrackKey) -> Option<&Evaluation> {
        match track {
            TrackKey::System(id) => self.system_evals.get(&id),
            TrackKey::Local(_) => self.evals.get(&(unit, track)),
        }
    }

    /// Evaluates `tr` (in `frame`) unless the last evaluation of `slot` is recent or the track
    /// was not updated, and records the evaluation as threatening `defends`; the event names
    /// `radar` and the track number `number`.
    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        slot: &mut Option<Evaluation>,
        number: u64,
        tr: &TrackEstimate,
        frame: &LocalFrame,
        defends: &[usize],
        radar: &str,
    ) {
        // Re-evaluated as the track updates, at most every REEVALUATION_S: the predicted path
        // is in absolute time, so a few seconds' old one still plans.
        let fresh = slot
            .as_ref()
            .is_some_and(|e| tr.t_s - e.t_s < REEVALUATION_S);
        if fresh || !tr.updated {
            return;
        }
        let scenario = ctx.scenario;
        let e = evaluate_after(tr, frame, scenario, slot.as_ref().map(|e| e.class));
        let (asset, p_hit) = e.most_threatened().map_or((None, 0.0), |(a, p)| {
            (Some(scenario.assets[a].name.clone()), p)
        });
        let kind = EventKind::ThreatEvaluated {
            radar: radar.to_string(),
            track: number,
            class: e.class.word().to_string(),
            asset,
            p_hit,
            value_at_risk: e.value_at_risk(scenario, defends),
            priority: e.priority(scenario, defends),
            time_to_go_s: e.time_to_go_s(),
            impact: e.impact.map(|(g, _)| latlon(&g)),
        };
        ctx.emit(t, kind);
        *slot = Some(e);
    }

    /// The node's system tracks as candidates of the units in the network (`in_net`) whose
    /// own radars do not hold them and whose fire control lets them fight on remote, each
    /// evaluated once (its event names the radar `network`).
    fn system_tracks(
        &mut self,
        world: &World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        in_net: &[bool],
        own: &[Vector3<f64>],
        held: &mut Vec<Held>,
    ) {
        let scenario = ctx.scenario;
        let now = t.as_secs_f64();
        let units: Vec<UnitId> = (0..in_net.len())
            .filter(|&u| in_net[u])
            .map(UnitId::from_index)
            .collect();
        let frame_of = |u: UnitId| {
            *world.sensors[SensorId::from_index(scenario.fire_units[u.index()].radar)]
                .tracker
                .frame()
        };
        let all_assets: Vec<usize> = (0..scenario.assets.len()).collect();
        let mut alive = BTreeSet::new();
        for sys in world.node.tracks() {
            let key = TrackKey::System(sys.id);
            if dead(world, scenario, sys) || !world.held_by_radar(sys) {
                continue;
            }
            // The units that may fight it on remote.
            let remote: Vec<UnitId> = units
                .iter()
                .copied()
                .filter(|&u| {
                    let unit = &scenario.fire_units[u.index()];
                    unit.fire_control != FireControl::Autonomous
                        && own_track(world, sys, SensorId::from_index(unit.radar)).is_none()
                })
                .collect();
            if remote.is_empty() {
                continue;
            }
            let Some(f) = sys.latest_estimate() else {
                continue;
            };
            let (r, _) = super::carry(
                &f.x.fixed_rows::<3>(0).into_owned(),
                &f.x.fixed_rows::<3>(3).into_owned(),
                now - f.t_s,
                f.ballistic_probability >= 0.5,
            );
            if own.iter().any(|m| (m - r).norm() < OWN_MISSILE_M) {
                continue;
            }
            alive.insert(sys.id);
            if !world.active.keys().any(|(_, k)| *k == key) {
                let frame = frame_of(remote[0]);
                let mut slot = self.system_evals.remove(&sys.id);
                let est = to_estimate(&f, &frame);
                Self::evaluate(
                    ctx,
                    t,
                    &mut slot,
                    sys.id,
                    &est,
                    &frame,
                    &all_assets,
                    "network",
                );
                if let Some(e) = slot {
                    self.system_evals.insert(sys.id, e);
                }
            }
            for &u in &remote {
                held.push(Held {
                    unit: u,
                    key,
                    track: to_estimate(&f, &frame_of(u)),
                    r,
                    sensors: f.sensors.clone(),
                    on_remote: true,
                    system: Some(sys.id),
                });
            }
        }
        // An engaged system track keeps its evaluation (its launch plans on it) even when no
        // unit could take it up on remote now.
        alive.extend(world.active.keys().filter_map(|(_, k)| match k {
            TrackKey::System(id) => Some(*id),
            TrackKey::Local(_) => None,
        }));
        self.system_evals.retain(|id, _| alive.contains(id));
    }

    /// After a scan of sensor `s` at `t`: one cycle per instant, after every scan at that
    /// instant (scans already queued for `t` come before it), when a fire unit uses the
    /// sensor.
    pub fn after_scan(&mut self, ctx: &mut Ctx<'_, '_>, t: SimTime, s: SensorId) {
        if ctx.scenario.fire_units.iter().any(|u| u.radar == s.index()) {
            self.schedule(ctx, t);
        }
    }

    /// After a report reaches the fusion node at `t`: one cycle per instant.
    pub fn after_delivery(&mut self, ctx: &mut Ctx<'_, '_>, t: SimTime) {
        self.schedule(ctx, t);
    }

    fn schedule(&mut self, ctx: &mut Ctx<'_, '_>, t: SimTime) {
        if self.cycle_at != Some(t) {
            self.cycle_at = Some(t);
            ctx.queue.schedule(t, Action::BattleManagement);
        }
    }

    /// The battle-management cycle at `t`.
    ///
    /// # Errors
    /// [`EngineError::Assignment`] when the weapon-target assignment is refused (a malformed
    /// problem: a non-finite value or kill probability); no engagement is silently dropped.
    pub fn cycle(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
    ) -> Result<(), EngineError> {
        let scenario = ctx.scenario;
        let now = t.as_secs_f64();
        let own = own_missiles(world, now);
        let net = &scenario.network;
        // The units in the network now: deployed, the network on and their links up.
        let in_net: Vec<bool> = (0..scenario.fire_units.len())
            .map(|u| scenario.fire_units[u].enabled && net.enabled && net.unit_links[u].is_up(t))
            .collect();
        if net.enabled {
            super::network::prune(world, ctx, t);
        }
        // Each radar's local tracks as the node has associated them: (radar, track) → system
        // track.
        let associated: BTreeMap<(SensorId, u64), (u64, Vec<SensorId>)> = world
            .node
            .tracks()
            .iter()
            .flat_map(|sys| {
                let sensors: Vec<SensorId> = sys.sources.keys().copied().collect();
                sys.sources
                    .iter()
                    .map(move |(s, l)| ((*s, l.id), (sys.id, sensors.clone())))
            })
            .collect();
        // 1. Candidate tracks of every unit, evaluated: its own radar's (fought on at once,
        // and, in the network, known to be the system track the node associated them with),
        // then, for the units in the network, the node's system tracks their own radars do not
        // hold.
        let mut held: Vec<Held> = Vec::new();
        for (u, unit) in scenario.fire_units.iter().enumerate() {
            if !unit.enabled {
                continue;
            }
            let net = in_net[u];
            let u = UnitId::from_index(u);
            let radar = SensorId::from_index(unit.radar);
            let tracker = &world.sensors[radar].tracker;
            let frame = *tracker.frame();
            for tr in tracker.confirmed() {
                let key = TrackKey::Local(tr.id);
                if world.assessed_dead.contains(&(u, key)) {
                    continue;
                }
                // Every track extrapolated to now, so radars scanning at different times
                // compare.
                let (r, _) = tr.ecef_at(&frame, now);
                if own.iter().any(|m| (m - r).norm() < OWN_MISSILE_M) {
                    continue;
                }
                if !world.active.contains_key(&(u, key)) {
                    let mut slot = self.evals.remove(&(u, key));
                    let radar_name = &scenario.radars[unit.radar].name;
                    Self::evaluate(
                        ctx,
                        t,
                        &mut slot,
                        tr.id,
                        &tr,
                        &frame,
                        &unit.defends,
                        radar_name,
                    );
                    if let Some(e) = slot {
                        super::warning::after_evaluation(world, ctx, t, radar_name, tr.id, &r, &e);
                        self.evals.insert((u, key), e);
                    }
                }
                let (system, sensors) = match associated.get(&(radar, tr.id)) {
                    Some((sid, sensors)) if net => (Some(*sid), sensors.clone()),
                    _ => (None, vec![radar]),
                };
                // Part of a system track a kill assessment judged destroyed.
                if system.is_some_and(|sid| {
                    world
                        .assessed_dead
                        .iter()
                        .any(|(_, k)| *k == TrackKey::System(sid))
                }) {
                    continue;
                }
                held.push(Held {
                    unit: u,
                    key,
                    track: tr,
                    r,
                    sensors,
                    on_remote: false,
                    system,
                });
            }
        }
        if in_net.iter().any(|&b| b) {
            self.system_tracks(world, ctx, t, &in_net, &own, &mut held);
        }
        // Forget evaluations of tracks that are gone.
        let alive: BTreeSet<(UnitId, TrackKey)> = held.iter().map(|h| (h.unit, h.key)).collect();
        self.evals.retain(|k, _| alive.contains(k));

        // 2. Threats. In the network: a system track, every unit's own track the node
        // associated with it, and any other track in the network this close (an own track whose
        // report has not reached the node yet), but never two own tracks of one radar (its
        // tracker holds them apart). Out of it, as without a network: tracks merged across
        // radars by distance, never two of one radar, among the units out of the network only
        // (they do not know its picture). A threat with any active engagement is being dealt
        // with.
        let mut threats: Vec<Vec<usize>> = Vec::new();
        for (i, h) in held.iter().enumerate() {
            let same = |g: &&mut Vec<usize>| {
                let h_net = in_net[h.unit.index()];
                if in_net[held[g[0]].unit.index()] != h_net {
                    return false;
                }
                if !h_net {
                    return !g.iter().any(|&j| held[j].unit == h.unit)
                        && g.iter().any(|&j| (held[j].r - h.r).norm() < CORRELATION_M);
                }
                g.iter().any(|&j| {
                    let o = &held[j];
                    let one_radar = o.unit == h.unit && !o.key.is_system() && !h.key.is_system();
                    (h.system.is_some() && o.system == h.system)
                        || (!one_radar && (o.r - h.r).norm() < CORRELATION_M)
                })
            };
            match threats.iter_mut().find(same) {
                Some(g) => g.push(i),
                None => threats.push(vec![i]),
            }
        }
        // Most urgent first (value at risk per second left): the order in which the assignment
        // breaks ties.
        let urgency = |g: &Vec<usize>| -> f64 {
            g.iter()
                .filter_map(|&i| {
                    let h = &held[i];
                    let e = self.evaluation(h.unit, h.key)?;
                    Some(e.priority(scenario, &scenario.fire_units[h.unit.index()].defends))
                })
                .fold(0.0, f64::max)
        };
        let mut ranked: Vec<(f64, Vec<usize>)> =
            threats.into_iter().map(|g| (urgency(&g), g)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut threats: Vec<Vec<usize>> = ranked.into_iter().map(|(_, g)| g).collect();
        let (engaged_systems, engaged_at) = if net.enabled {
            engaged(world, scenario, t, &associated)
        } else {
            (BTreeSet::new(), Vec::new())
        };
        threats.retain(|g| {
            !g.iter().any(|&i| {
                let h = &held[i];
                // Near an engaged threat, unless the unit's own radar holds the two apart.
                let near = |&(u, k, p): &remote::EngagedAt| {
                    let one_radar = u == h.unit && !k.is_system() && !h.key.is_system();
                    !one_radar && (p - h.r).norm() < CORRELATION_M
                };
                world.active.contains_key(&(h.unit, h.key))
                    || (in_net[h.unit.index()]
                        && (h.system.is_some_and(|s| engaged_systems.contains(&s))
                            || engaged_at.iter().any(near)))
            })
        });
        if threats.is_empty() {
            return Ok(());
        }

        // 3. Options: every unit holding the threat, defending what it threatens, with a
        // launcher whose window is open now.
        let mut wta = WtaProblem::default();
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut threat_values = Vec::new();
        // The guns' picture, worked out when first needed in the cycle.
        let mut guns: Option<super::guns::GunPicture> = None;
        for g in &threats {
            let mut value: f64 = 0.0;
            let mut opts = Vec::new();
            for &i in g {
                let h = &held[i];
                // Only a track the last scan updated is engaged: a coasting track may be a
                // threat already destroyed.
                if !h.track.updated {
                    continue;
                }
                let Some(e) = self.evaluation(h.unit, h.key) else {
                    continue;
                };
                let unit = &scenario.fire_units[h.unit.index()];
                let v = e.value_at_risk(scenario, &unit.defends);
                // A gun's radar that classes the threat a rocket or mortar round overrules the
                // unit's own radar's class, unless that radar knows it for a ballistic missile.
                let class = if e.class != ThreatClass::Ballistic
                    && super::guns::ram_nearby(world, scenario, now, &h.r, CORRELATION_M)
                {
                    ThreatClass::Ram
                } else {
                    e.class
                };
                if v <= 1e-6 || !unit.engages.contains(&class) {
                    continue;
                }
                value = value.max(v);
                if opts.iter().any(|c: &Candidate| c.unit == h.unit) {
                    continue;
                }
                if let Some(c) = best_launcher(world, ctx, h, e, now) {
                    opts.push(c);
                }
            }
            if value <= 1e-6 || opts.is_empty() {
                continue;
            }
            // Lower tier first: an upper-tier unit leaves the threat to a lower-tier weapon
            // that can take it.
            if scenario.lower_tier_first {
                let lower = |c: &Candidate| scenario.fire_units[c.unit.index()].tier == Tier::Lower;
                let picture =
                    guns.get_or_insert_with(|| super::guns::GunPicture::new(world, scenario, now));
                let gun = g.iter().any(|&i| {
                    let h = &held[i];
                    self.evaluation(h.unit, h.key)
                        .is_some_and(|e| picture.can_take(scenario, now, &h.r, e, CORRELATION_M))
                });
                if gun || opts.iter().any(lower) {
                    opts.retain(lower);
                }
                if opts.is_empty() {
                    continue;
                }
            }
            let ti = wta.threats.len();
            wta.threats.push(WtaThreat {
                value,
                survival: 1.0,
            });
            threat_values.push(value);
            for c in opts {
                wta.options.push(WtaOption {
                    threat: ti,
                    unit: c.unit.index(),
                    shots: c.shots,
                    pk: c.pk,
                    // The salvo's cost in value (`[battle_management] value_per_cost`).
                    cost: scenario.value_per_cost * f64::from(c.shots) * c.shot_cost,
                });
                candidates.push(c);
            }
        }
        if candidates.is_empty() {
            return Ok(());
        }
        for (u, unit) in scenario.fire_units.iter().enumerate() {
            let u = UnitId::from_index(u);
            let ready: u32 = world.units[u]
                .launchers
                .iter()
                .filter(|l| !l.reloading)
                .map(|l| l.ready)
                .sum();
            let reserved: u32 = world
                .active
                .values()
                .map(|&e| &world.engagements[e])
                .filter(|e| e.unit == u)
                .map(|e| e.reserved)
                .sum();
            let busy = world
                .active
                .values()
                .filter(|&&e| world.engagements[e].unit == u)
                .count() as u32;
            wta.units.push(WtaUnit {
                rounds: if unit.enabled {
                    ready.saturating_sub(reserved)
                } else {
                    0
                },
                channels: unit.channels.saturating_sub(busy),
            });
        }
        wta.max_units_per_threat = Some(1);
        // The scenario's solver (`[battle_management] wta_solver`); a refusal stops the run.
        let solution = scenario
            .wta_solver
            .solve(&wta)
            .map_err(|source| EngineError::Assignment { t, source })?;
        for k in solution.chosen {
            let c = candidates[k].clone();
            let o = &wta.options[k];
            let value = threat_values[o.threat] * (1.0 - (1.0 - o.pk).powi(o.shots as i32));
            commit(world, ctx, t, c, value);
        }
        Ok(())
    }
}

/// Positions (ECEF) at `now` (s) of the defense's own interceptors, and of the remains of
/// those that ended less than [`OWN_REMAINS_S`] ago (the system knows where its missiles are;
/// their tracks coast on for a few scans after they end).
pub(crate) fn own_missiles(world: &World, now: f64) -> Vec<Vector3<f64>> {
    world
        .interceptors
        .values()
        .filter(|i| i.alive || now - i.end_s < OWN_REMAINS_S)
        .map(|i| {
            let since = if i.alive { 0.0 } else { now - i.end_s };
            i.position() + i.velocity() * since
        })
        .collect()
}

/// The best launcher of unit `h.unit` against an evaluated track: the earliest intercept
/// among launchers with rounds whose engagement window holds a launch now (after the order's
/// fixed latency, for a system track). Launching on remote, the intercept must lie within the
/// unit's own radar's coverage.
fn best_launcher(
    world: &World,
    ctx: &Ctx<'_, '_>,
    h: &Held,
    e: &Evaluation,
    now: f64,
) -> Option<Candidate> {
    let scenario = ctx.scenario;
    let u = h.unit;
    let unit = &scenario.fire_units[u.index()];
    let state = &world.units[u];
    let order_s = if h.key.is_system() {
        scenario.network.unit_links[u.index()].latency.as_secs_f64()
    } else {
        0.0
    };
    let radar = &world.sensors[SensorId::from_index(unit.radar)].sensor;
    let mut best: Option<Candidate> = None;
    for (li, l) in state.launchers.iter().enumerate() {
        if l.reloading || l.ready == 0 {
            continue;
        }
        let group = &unit.launchers[l.group];
        let ty = &scenario.interceptor_types[group.interceptor];
        let first = now + order_s + group.launch_delay.as_secs_f64();
        let Some(w) = window(&e.path, &l.frame, ty) else {
            continue;
        };
        if first < w.0 || first > w.1 {
            continue; // the window opens later, or has closed
        }
        let Some(plan) = intercept_for_launch(&e.path, &l.frame, ty, first) else {
            continue;
        };
        // An infrared seeker locks on before launch: the target must be within its reach.
        if ty.seeker.kind == SeekerKind::Infrared
            && (h.r - l.frame.origin_ecef().as_vector3()).norm() > ty.seeker.acquisition_range_m
        {
            continue;
        }
        if h.on_remote
            && unit.fire_control == FireControl::LaunchOnRemote
            && !radar.covers(&Coordinate::from_vector3(plan.point))
        {
            continue; // its radar could not take the engagement over
        }
        if best
            .as_ref()
            .is_some_and(|b| b.plan.intercept_s <= plan.intercept_s)
        {
            continue;
        }
        let (shots, pk) = match unit.doctrine {
            Doctrine::ShootShoot { salvo } => (salvo, ty.planning_pk),
            Doctrine::ShootLookShoot => {
                // A second shot counts only if the assessment of the first comes in time.
                let revisit = scenario.radars[unit.radar].revisit.as_secs_f64();
                let second = plan.intercept_s + revisit + group.launch_delay.as_secs_f64();
                (if second <= w.1 { 2 } else { 1 }, ty.planning_pk)
            }
        };
        best = Some(Candidate {
            unit: u,
            track: h.key,
            sensors: h.sensors.clone(),
            on_remote: h.on_remote,
            r: h.r,
            launcher: li,
            plan,
            window: w,
            shots,
            pk,
            shot_cost: ty.cost.unwrap_or(0.0),
            class: e.class,
        });
    }
    best
}

/// Commits unit `c.unit` against `c.track`: reserves the rounds and schedules launches.
fn commit(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, c: Candidate, value: f64) {
    let scenario = ctx.scenario;
    let unit = &scenario.fire_units[c.unit.index()];
    let fire_now = unit.doctrine.salvo();
    let reserved = c.shots.saturating_sub(fire_now);
    // An engagement on a system track is the node's order to the unit, over its link; one that
    // never arrives (the link goes out, or every try is lost) commits nothing.
    let order_delay = if c.track.is_system() {
        // One stream per order: the unit, the track and the decision's time.
        let mut rng = ctx.streams.stream_numbered(
            "order/",
            &format!("{}/{}", unit.name, c.track.number()),
            "at/",
            t.as_nanos().unsigned_abs(),
        );
        let link = &scenario.network.unit_links[c.unit.index()];
        match link.order_delay(t, &mut rng) {
            Ok(d) => d,
            Err(reason) => return super::network::message_lost(ctx, t, &unit.name, reason),
        }
    } else {
        SimDuration::ZERO
    };
    let e = world.engagements.push(Engagement {
        unit: c.unit,
        track: c.track,
        pending: 0,
        reserved,
        class: c.class,
    });
    world.active.insert((c.unit, c.track), e);
    // Rounds: the chosen launcher first, then the unit's others with the same interceptor.
    let launchers = &world.units[c.unit].launchers;
    let group_of = |l: usize| &unit.launchers[launchers[l].group];
    let ty = group_of(c.launcher).interceptor;
    let mut order: Vec<usize> = vec![c.launcher];
    order.extend(
        (0..launchers.len())
            .filter(|&l| l != c.launcher)
            .filter(|&l| group_of(l).interceptor == ty),
    );
    let delay = SimDuration::from_nanos(
        group_of(c.launcher)
            .launch_delay
            .as_nanos()
            .saturating_add(order_delay.as_nanos()),
    );
    let mut k = 0;
    for l in order {
        while k < fire_now {
            let ls = &mut world.units[c.unit].launchers[l];
            if ls.reloading || ls.ready == 0 {
                break;
            }
            // A ripple past the representable time is not fired.
            let Some(at) = unit
                .salvo_interval
                .as_nanos()
                .checked_mul(i64::from(k))
                .and_then(|ns| {
                    t.checked_add(delay)?
                        .checked_add(SimDuration::from_nanos(ns))
                })
            else {
                break;
            };
            ls.ready -= 1;
            world.engagements[e].pending += 1;
            world.outstanding += 1;
            ctx.queue.schedule(
                at,
                Action::InterceptorLaunch {
                    unit: c.unit,
                    engagement: e,
                    launcher: l,
                },
            );
            k += 1;
        }
    }
    // The salvo fires from launchers holding the same interceptor; the event says how many
    // could be fired.
    let g = Geodetic::from_ecef(&Coordinate::from_vector3(c.plan.point));
    let launcher = &world.units[c.unit].launchers[c.launcher];
    let launcher_name = launcher.name.clone();
    let range_m = (c.r - launcher.frame.origin_ecef().as_vector3()).norm();
    let channels_busy = world
        .active
        .values()
        .filter(|&&e| world.engagements[e].unit == c.unit)
        .count() as u32;
    ctx.emit(
        t,
        EventKind::EngagementPlanned {
            fire_unit: unit.name.clone(),
            radar: scenario.radars[unit.radar].name.clone(),
            track: c.track.number(),
            launcher: launcher_name,
            shots: k,
            launch_s: c.plan.launch_s,
            intercept_s: c.plan.intercept_s,
            window_s: [c.window.0, c.window.1],
            pip: latlon(&g),
            alt_m: c.plan.altitude_m,
            ground_range_m: c.plan.ground_range_m,
            value,
            channels_busy,
            channels: unit.channels,
            system_track: c.track.is_system(),
            sensors: sensor_names(world, c.sensors.iter().copied()),
            on_remote: c.on_remote,
            range_m,
            truth: truth_near(world, t, &c.r),
        },
    );
}
