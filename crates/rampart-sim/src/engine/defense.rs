//! The defended engagement inside the engine: the battle-management cycle, launches,
//! interceptor flight and guidance, the endgame, kill assessment and reloads.
//!
//! **Battle-management cycle.** After every scan of a fire unit's radar, the battle manager
//! takes every fire unit's confirmed tracks, skips those assessed dead, those already engaged
//! and those that are the defense's own interceptors, evaluates the rest
//! ([`crate::bmc::evaluation`]; a track's evaluation is renewed when the track updates and the
//! last one is [`REEVALUATION_S`] old), merges tracks of the same threat held by several radars
//! (within [`CORRELATION_M`]), plans every launcher against every threat
//! ([`crate::bmc::planning`]) and assigns weapons ([`crate::bmc::wta`]) to maximise the
//! expected value of the defended assets saved. A unit may engage a threat only when its own
//! radar tracks it, the threat endangers an asset the unit defends, and a launch now (plus the
//! launch delay) lies inside the engagement window, and only on a track the latest scan
//! updated (a coasting track may be a threat already destroyed). Shoot-look-shoot reserves a
//! second round
//! where the kill assessment of the first shot comes before the window closes.
//!
//! **Flight and guidance.** An interceptor is launched toward the predicted intercept point
//! (PIP) and steers for it in midcourse (proportional navigation against the point, with
//! gravity compensation, every [`MIDCOURSE_STEP_S`]); each new estimate of the uplinked track
//! moves the PIP to the track's predicted position at the planned intercept time (ballistic
//! prediction for ballistic tracks, straight and level flight otherwise). From the acquisition
//! range its own seeker measures the line of sight to the object nearest the expected target
//! position (inside a 0.1 rad cone) with its angular noise, smoothed by an α-β filter
//! (α = 0.5, β = 0.2), and places the PIP; with under [`HOMING_TIME_TO_GO_S`] to go it homes
//! by proportional navigation on that estimate (every [`HOMING_STEP_S`], and every
//! [`TERMINAL_STEP_S`] in the last second). Steering for the point rather than homing all the
//! way keeps the flight on the straight path the flyout table was built from, so it arrives
//! when planned. Guidance never reads truth except through the seeker.
//!
//! **Endgame.** Each step compares the relative motion to the homed threat at both ends; when
//! it turns from closing to opening the closest approach is found on the step's cubic Hermite
//! interpolant ([`crate::weapons::endgame::closest_approach`]), so 3–5 km/s closing speeds
//! cannot tunnel. The kill is one draw against the lethality model's Pk at that miss, and a
//! dud (probability 1 − reliability) never kills. The unit's radar assesses the outcome at its
//! next scan, correctly with probability `kill_assessment`.

use super::{Action, Engine, EngineError, latlon, trace};
use crate::bmc::evaluation::{
    Evaluation, ThreatClass, evaluate, fast_altitude, predict_mean_until,
};
use crate::bmc::planning::{Intercept, intercept_for_launch, window};
use crate::bmc::wta::{WtaOption, WtaProblem, WtaThreat, WtaUnit};
use crate::events::EventKind;
use crate::scenario::{Doctrine, Scenario};
use crate::sensors::radar::TargetView;
use crate::tracking::TrackReport;
use crate::weapons::endgame::closest_approach;
use crate::weapons::guidance::gravity_compensation;
use crate::weapons::interceptor::{
    HOMING_STEP_S, HOMING_TIME_TO_GO_S, InterceptorType, MAX_FLIGHT_TIME_S, MIDCOURSE_STEP_S,
    MIN_USEFUL_SPEED_MPS, TERMINAL_STEP_S,
};
use nalgebra::{SVector, Vector3};
use rampart_core::{Coordinate, Geodetic, LocalFrame, SimDuration, SimTime, Vector};
use rand::RngExt;
use std::collections::{BTreeMap, BTreeSet};

/// Tracks of two radars closer than this are the same threat, m.
pub const CORRELATION_M: f64 = 2_000.0;
/// A track closer than this to one of the defense's own interceptors is that interceptor, m.
pub const OWN_MISSILE_M: f64 = 1_000.0;
/// A track's threat evaluation is renewed when it is at least this old, s.
pub const REEVALUATION_S: f64 = 5.0;
/// How long the remains of an ended interceptor are still known as its own, s.
pub const OWN_REMAINS_S: f64 = 10.0;
/// Terminal steps start this long before the predicted intercept, s.
const TERMINAL_LEAD_S: f64 = 3.0;
/// Seeker search cone half-angle about the predicted line of sight, rad.
const SEEKER_CONE_RAD: f64 = 0.1;

fn secs(s: f64) -> SimDuration {
    SimDuration::from_secs_f64(s.max(0.0)).unwrap_or(SimDuration::ZERO)
}

/// `t + d`, held at the last representable instant rather than overflowing (an action there
/// lies past the end of any run and never comes).
fn after(t: SimTime, d: SimDuration) -> SimTime {
    SimTime::from_nanos(t.as_nanos().saturating_add(d.as_nanos()))
}

/// One launcher's state.
#[derive(Clone, Debug)]
pub(super) struct LauncherState {
    group: usize,
    name: String,
    frame: LocalFrame,
    ready: u32,
    reloads_left: u32,
    reloading: bool,
}

/// One fire unit's state.
#[derive(Clone, Debug)]
pub(super) struct UnitState {
    launchers: Vec<LauncherState>,
    fired_names: u32,
}

/// Interceptors committed against one track.
#[derive(Clone, Debug)]
struct Engagement {
    unit: usize,
    track: u64,
    /// Interceptors (indices) still flying or awaiting assessment.
    pending: u32,
    /// Rounds reserved for a shoot-look-shoot second shot.
    reserved: u32,
    class: ThreatClass,
}

#[derive(Clone, Debug)]
struct InterceptorState {
    name: String,
    unit: usize,
    engagement: usize,
    ty: usize,
    launcher: usize,
    launch: SimTime,
    y: SVector<f64, 6>,
    works: bool,
    /// The threat its seeker homes on, with the α-β estimate of relative position and
    /// velocity.
    lock: Option<(usize, Vector3<f64>, Vector3<f64>)>,
    /// Last known target estimate (ECEF position, velocity, time s) from the track.
    target: (Vector3<f64>, Vector3<f64>, f64),
    /// The track's estimate of the threat's 1/β (m²/kg), for its drag deceleration.
    target_b: f64,
    planned_intercept_s: f64,
    /// The predicted intercept point it steers for in midcourse (ECEF), moved as the track
    /// updates.
    pip: Vector3<f64>,
    alive: bool,
    /// When it ended, s since the epoch (infinite while alive).
    end_s: f64,
}

/// Battle-management and weapon state of a run.
#[derive(Clone, Debug, Default)]
pub(super) struct Defense {
    units: Vec<UnitState>,
    interceptors: Vec<InterceptorState>,
    engagements: Vec<Engagement>,
    /// (unit, track) → engagement index, while active.
    active: BTreeMap<(usize, u64), usize>,
    /// (unit, track) assessed killed.
    dead: BTreeSet<(usize, u64)>,
    /// Cached evaluations: (unit, track) → evaluation at the track time.
    evals: BTreeMap<(usize, u64), Evaluation>,
    /// Threats (truth) that have had an interceptor fired at them, for the leak record.
    pub(super) engaged_threats: BTreeSet<usize>,
    /// Launches scheduled, interceptors flying and assessments awaited: the defense still has
    /// something to do.
    pub(super) outstanding: u32,
}

impl Defense {
    pub(super) fn new(scenario: &Scenario) -> Self {
        let units = scenario
            .fire_units
            .iter()
            .map(|u| {
                let mut launchers = Vec::new();
                for (g, group) in u.launchers.iter().enumerate() {
                    for _ in 0..group.count {
                        launchers.push(LauncherState {
                            group: g,
                            name: format!("{}/L{}", u.name, launchers.len() + 1),
                            frame: group.position.local_frame(),
                            ready: group.rounds,
                            reloads_left: group.reloads,
                            reloading: false,
                        });
                    }
                }
                UnitState {
                    launchers,
                    fired_names: 0,
                }
            })
            .collect();
        Self {
            units,
            ..Self::default()
        }
    }

    /// The live interceptors as radar targets, indexed from `first`.
    pub(super) fn target_views<'a>(
        &'a self,
        scenario: &'a Scenario,
        first: usize,
    ) -> impl Iterator<Item = TargetView> + 'a {
        self.interceptors
            .iter()
            .enumerate()
            .filter(|(_, i)| i.alive)
            .map(move |(k, i)| {
                let ty = &scenario.interceptor_types[i.ty];
                TargetView {
                    index: first + k,
                    position: Coordinate::from_vector3(i.y.fixed_rows::<3>(0).into_owned()),
                    velocity: Vector::from_vector3(i.y.fixed_rows::<3>(3).into_owned()),
                    rcs_m2: ty.rcs_m2,
                    swerling: ty.swerling,
                }
            })
    }

    /// The name of interceptor `k`.
    pub(super) fn interceptor_name(&self, k: usize) -> String {
        self.interceptors
            .get(k)
            .map_or_else(String::new, |i| i.name.clone())
    }
}

/// A planned shot of one unit at one threat.
#[derive(Clone, Debug)]
struct Candidate {
    unit: usize,
    track: u64,
    launcher: usize,
    plan: Intercept,
    window: (f64, f64),
    shots: u32,
    pk: f64,
    class: ThreatClass,
}

impl Engine<'_> {
    /// Positions (ECEF) at `now` (s) of the defense's own interceptors, and of the remains of
    /// those that ended less than [`OWN_REMAINS_S`] ago (the system knows where its missiles
    /// are; their tracks coast on for a few scans after they end).
    fn own_missiles(&self, now: f64) -> Vec<Vector3<f64>> {
        self.defense
            .interceptors
            .iter()
            .filter(|i| i.alive || now - i.end_s < OWN_REMAINS_S)
            .map(|i| {
                let r = i.y.fixed_rows::<3>(0).into_owned();
                let v = i.y.fixed_rows::<3>(3).into_owned();
                let since = if i.alive { 0.0 } else { now - i.end_s };
                r + v * since
            })
            .collect()
    }

    /// The battle-management cycle, after a scan of a fire unit's radar.
    ///
    /// # Errors
    /// [`EngineError::Assignment`] when the weapon-target assignment is refused (a malformed
    /// problem: a non-finite value or kill probability); no engagement is silently dropped.
    pub(super) fn battle_manage(&mut self, t: SimTime) -> Result<(), EngineError> {
        let scenario = self.scenario;
        let now = t.as_secs_f64();
        let own = self.own_missiles(now);
        // 1. Candidate tracks of every unit, evaluated.
        struct Held {
            unit: usize,
            track: TrackReport,
            r: Vector3<f64>,
        }
        let mut held: Vec<Held> = Vec::new();
        for (u, unit) in scenario.fire_units.iter().enumerate() {
            let frame = *self.trackers[unit.radar].frame();
            for tr in self.trackers[unit.radar].confirmed() {
                let key = (u, tr.id);
                if self.defense.dead.contains(&key) {
                    continue;
                }
                // Every track extrapolated to now, so radars scanning at different times
                // compare.
                let v = *frame.vector_to_ecef(&tr.velocity).as_vector3();
                let r = *frame.to_ecef(&tr.position).as_vector3() + v * (now - tr.t_s);
                if own.iter().any(|m| (m - r).norm() < OWN_MISSILE_M) {
                    continue;
                }
                // Re-evaluated as the track updates, at most every REEVALUATION_S: the
                // predicted path is in absolute time, so a few seconds' old one still plans.
                let fresh = self
                    .defense
                    .evals
                    .get(&key)
                    .is_some_and(|e| tr.t_s - e.t_s < REEVALUATION_S);
                // Evaluated when the latest scan updated it and it is not already engaged.
                if !fresh && tr.updated && !self.defense.active.contains_key(&key) {
                    let e = evaluate(&tr, &frame, scenario);
                    let (asset, p_hit) = e.most_threatened().map_or((None, 0.0), |(a, p)| {
                        (Some(scenario.assets[a].name.clone()), p)
                    });
                    let value_at_risk = e.value_at_risk(scenario, &unit.defends);
                    let kind = EventKind::ThreatEvaluated {
                        radar: scenario.radars[unit.radar].name.clone(),
                        track: tr.id,
                        class: e.class.word().to_string(),
                        asset,
                        p_hit,
                        value_at_risk,
                        priority: e.priority(scenario, &unit.defends),
                        time_to_go_s: e.time_to_go_s(),
                        impact: e.impact.map(|(g, _)| latlon(&g)),
                    };
                    self.emit(t, kind);
                    self.defense.evals.insert(key, e);
                }
                held.push(Held {
                    unit: u,
                    track: tr,
                    r,
                });
            }
        }
        // Forget evaluations of tracks that are gone.
        let alive: BTreeSet<(usize, u64)> = held.iter().map(|h| (h.unit, h.track.id)).collect();
        self.defense.evals.retain(|k, _| alive.contains(k));

        // 2. Threats: tracks merged across radars. A threat with any active engagement is
        // being dealt with.
        let mut threats: Vec<Vec<usize>> = Vec::new();
        for (i, h) in held.iter().enumerate() {
            match threats.iter_mut().find(|g| {
                // One radar's tracks are distinct threats; another radar's track this
                // close is one of them.
                !g.iter().any(|&j| held[j].unit == h.unit)
                    && g.iter().any(|&j| (held[j].r - h.r).norm() < CORRELATION_M)
            }) {
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
                    let e = self.defense.evals.get(&(h.unit, h.track.id))?;
                    Some(e.priority(scenario, &scenario.fire_units[h.unit].defends))
                })
                .fold(0.0, f64::max)
        };
        let mut ranked: Vec<(f64, Vec<usize>)> =
            threats.into_iter().map(|g| (urgency(&g), g)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut threats: Vec<Vec<usize>> = ranked.into_iter().map(|(_, g)| g).collect();
        threats.retain(|g| {
            !g.iter().any(|&i| {
                self.defense
                    .active
                    .contains_key(&(held[i].unit, held[i].track.id))
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
                let Some(e) = self.defense.evals.get(&(h.unit, h.track.id)) else {
                    continue;
                };
                let unit = &scenario.fire_units[h.unit];
                let v = e.value_at_risk(scenario, &unit.defends);
                if v <= 1e-6 {
                    continue;
                }
                value = value.max(v);
                if opts.iter().any(|c: &Candidate| c.unit == h.unit) {
                    continue;
                }
                if let Some(c) = self.best_launcher(h.unit, h.track.id, e, now) {
                    opts.push(c);
                }
            }
            if value <= 1e-6 || opts.is_empty() {
                continue;
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
                    unit: c.unit,
                    shots: c.shots,
                    pk: c.pk,
                });
                candidates.push(c);
            }
        }
        if candidates.is_empty() {
            return Ok(());
        }
        for (u, unit) in scenario.fire_units.iter().enumerate() {
            let ready: u32 = self.defense.units[u]
                .launchers
                .iter()
                .filter(|l| !l.reloading)
                .map(|l| l.ready)
                .sum();
            let reserved: u32 = self
                .defense
                .active
                .values()
                .map(|&e| &self.defense.engagements[e])
                .filter(|e| e.unit == u)
                .map(|e| e.reserved)
                .sum();
            let busy = self
                .defense
                .active
                .values()
                .filter(|&&e| self.defense.engagements[e].unit == u)
                .count() as u32;
            wta.units.push(WtaUnit {
                rounds: ready.saturating_sub(reserved),
                channels: unit.channels.saturating_sub(busy),
            });
        }
        wta.max_units_per_threat = Some(1);
        let solution = wta
            .solve()
            .map_err(|source| EngineError::Assignment { t, source })?;
        for k in solution.chosen {
            let c = candidates[k].clone();
            let o = &wta.options[k];
            let value = threat_values[o.threat] * (1.0 - (1.0 - o.pk).powi(o.shots as i32));
            self.commit(t, c, value);
        }
        Ok(())
    }

    /// The best launcher of unit `u` against an evaluated track: the earliest intercept among
    /// launchers with rounds whose engagement window holds a launch now.
    fn best_launcher(&self, u: usize, track: u64, e: &Evaluation, now: f64) -> Option<Candidate> {
        let scenario = self.scenario;
        let unit = &scenario.fire_units[u];
        let state = &self.defense.units[u];
        let mut best: Option<Candidate> = None;
        for (li, l) in state.launchers.iter().enumerate() {
            if l.reloading || l.ready == 0 {
                continue;
            }
            let group = &unit.launchers[l.group];
            let ty = &scenario.interceptor_types[group.interceptor];
            let first = now + group.launch_delay.as_secs_f64();
            let Some(w) = window(&e.path, &l.frame, ty) else {
                continue;
            };
            if first < w.0 || first > w.1 {
                continue; // the window opens later, or has closed
            }
            let Some(plan) = intercept_for_launch(&e.path, &l.frame, ty, first) else {
                continue;
            };
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
                track,
                launcher: li,
                plan,
                window: w,
                shots,
                pk,
                class: e.class,
            });
        }
        best
    }

    /// Commits unit `c.unit` against `c.track`: reserves the rounds and schedules launches.
    fn commit(&mut self, t: SimTime, c: Candidate, value: f64) {
        let scenario = self.scenario;
        let unit = &scenario.fire_units[c.unit];
        let fire_now = unit.doctrine.salvo();
        let reserved = c.shots.saturating_sub(fire_now);
        let e = self.defense.engagements.len();
        self.defense.engagements.push(Engagement {
            unit: c.unit,
            track: c.track,
            pending: 0,
            reserved,
            class: c.class,
        });
        self.defense.active.insert((c.unit, c.track), e);
        // Rounds: the chosen launcher first, then the unit's others with the same interceptor.
        let ty = unit.launchers[self.defense.units[c.unit].launchers[c.launcher].group].interceptor;
        let mut order: Vec<usize> = vec![c.launcher];
        order.extend(
            (0..self.defense.units[c.unit].launchers.len())
                .filter(|&l| l != c.launcher)
                .filter(|&l| {
                    unit.launchers[self.defense.units[c.unit].launchers[l].group].interceptor == ty
                }),
        );
        let delay =
            unit.launchers[self.defense.units[c.unit].launchers[c.launcher].group].launch_delay;
        let mut k = 0;
        for l in order {
            while k < fire_now {
                let ls = &mut self.defense.units[c.unit].launchers[l];
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
                self.defense.engagements[e].pending += 1;
                self.defense.outstanding += 1;
                self.queue.schedule(
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
        // The salvo fires from launchers holding the same interceptor; the event says how
        // many could be fired.
        let g = Geodetic::from_ecef(&Coordinate::from_vector3(c.plan.point));
        let launcher_name = self.defense.units[c.unit].launchers[c.launcher]
            .name
            .clone();
        self.emit(
            t,
            EventKind::EngagementPlanned {
                fire_unit: unit.name.clone(),
                radar: scenario.radars[unit.radar].name.clone(),
                track: c.track,
                launcher: launcher_name,
                shots: k,
                launch_s: c.plan.launch_s,
                intercept_s: c.plan.intercept_s,
                window_s: [c.window.0, c.window.1],
                pip: latlon(&g),
                alt_m: c.plan.altitude_m,
                ground_range_m: c.plan.ground_range_m,
                value,
            },
        );
    }

    /// An interceptor leaves launcher `l` of unit `u` for engagement `e`.
    pub(super) fn launch_interceptor(&mut self, t: SimTime, u: usize, e: usize, l: usize) {
        let scenario = self.scenario;
        let unit = &scenario.fire_units[u];
        let ls = &self.defense.units[u].launchers[l];
        let group = &unit.launchers[ls.group];
        let ty = &scenario.interceptor_types[group.interceptor];
        let track = self.defense.engagements[e].track;
        let radar = unit.radar;
        // Where to send it: the track now, or its last evaluation.
        let frame = *self.trackers[radar].frame();
        let held = self.trackers[radar].track(track);
        let target_b = held.as_ref().map_or(0.0, |tr| tr.mean[6].max(0.0));
        let target = held.map(|tr| {
            (
                *frame.to_ecef(&tr.position).as_vector3(),
                *frame.vector_to_ecef(&tr.velocity).as_vector3(),
                tr.t_s,
            )
        });
        let eval = self.defense.evals.get(&(u, track));
        let first = t.as_secs_f64();
        let plan = eval.and_then(|ev| intercept_for_launch(&ev.path, &ls.frame, ty, first));
        let Some(target) = target.or_else(|| {
            eval.and_then(|ev| ev.path.at(first))
                .map(|(r, v)| (r, v, first))
        }) else {
            // The track is gone before launch: the round goes back on the launcher.
            self.defense.units[u].launchers[l].ready += 1;
            self.defense.outstanding -= 1;
            self.finish_interceptor_slot(e);
            return;
        };
        let aim = plan.map_or(target.0, |p| p.point);
        let (r0, v0) = ty.launch_state(&group.position, &aim);
        let mut y = SVector::<f64, 6>::zeros();
        y.fixed_rows_mut::<3>(0).copy_from(&r0);
        y.fixed_rows_mut::<3>(3).copy_from(&v0);
        let us = &mut self.defense.units[u];
        us.fired_names += 1;
        let name = format!("{}/I{}", unit.name, us.fired_names);
        let launcher_name = us.launchers[l].name.clone();
        let mut rng = self
            .streams
            .stream(&format!("interceptor/{name}"), "reliability");
        let works = rng.random::<f64>() < ty.reliability;
        let i = self.defense.interceptors.len();
        self.defense.interceptors.push(InterceptorState {
            name: name.clone(),
            unit: u,
            engagement: e,
            ty: group.interceptor,
            launcher: l,
            launch: t,
            y,
            works,
            lock: None,
            target,
            target_b,
            planned_intercept_s: plan.map_or(first + 30.0, |p| p.intercept_s),
            pip: aim,
            alive: true,
            end_s: f64::INFINITY,
        });
        // An empty launcher reloads if it has spare loads.
        let ls = &mut self.defense.units[u].launchers[l];
        if ls.ready == 0 && ls.reloads_left > 0 && !ls.reloading {
            ls.reloading = true;
            self.queue.schedule(
                after(t, group.reload_time),
                Action::Reload {
                    unit: u,
                    launcher: l,
                },
            );
        }
        self.emit(
            t,
            EventKind::InterceptorLaunch {
                interceptor: name,
                interceptor_type: ty.name.clone(),
                fire_unit: unit.name.clone(),
                launcher: launcher_name,
                site: latlon(&group.position),
                radar: scenario.radars[radar].name.clone(),
                target_track: track,
            },
        );
        self.queue
            .schedule(after(t, secs(MIDCOURSE_STEP_S)), Action::InterceptorStep(i));
    }

    /// Launcher `l` of unit `u` is reloaded.
    pub(super) fn reload(&mut self, u: usize, l: usize) {
        let rounds = {
            let g = self.defense.units[u].launchers[l].group;
            self.scenario.fire_units[u].launchers[g].rounds
        };
        let ls = &mut self.defense.units[u].launchers[l];
        ls.reloading = false;
        if ls.reloads_left > 0 {
            ls.reloads_left -= 1;
            ls.ready = rounds;
        }
    }

    /// One interceptor slot of engagement `e` is over; the engagement ends with its last.
    fn finish_interceptor_slot(&mut self, e: usize) {
        let eng = &mut self.defense.engagements[e];
        eng.pending = eng.pending.saturating_sub(1);
        if eng.pending == 0 {
            let key = (eng.unit, eng.track);
            if self.defense.active.get(&key) == Some(&e) {
                self.defense.active.remove(&key);
            }
        }
    }

    /// The guidance target of interceptor `i` at `now` (s): the uplinked track extrapolated,
    /// refreshed from the tracker when the track is still held.
    fn uplinked_target(&mut self, i: usize, now: f64) -> (Vector3<f64>, Vector3<f64>) {
        let scenario = self.scenario;
        let ic = &self.defense.interceptors[i];
        let eng = &self.defense.engagements[ic.engagement];
        let radar = scenario.fire_units[ic.unit].radar;
        let frame = *self.trackers[radar].frame();
        // The uplink changes only when the track has a new estimate (every scan, updated or
        // coasting); between scans the interceptor steps on the one it has.
        if let Some(tr) = self.trackers[radar].track_unless_at(eng.track, ic.target.2) {
            let r = *frame.to_ecef(&tr.position).as_vector3();
            let v = *frame.vector_to_ecef(&tr.velocity).as_vector3();
            let ic = &mut self.defense.interceptors[i];
            if tr.t_s > ic.target.2 {
                // A new track estimate: move the predicted intercept point with it.
                let class = self.defense.engagements[ic.engagement].class;
                let path = predict_mean_until(&tr, &frame, class, ic.planned_intercept_s);
                if let Some((p, _)) = path.at(ic.planned_intercept_s) {
                    ic.pip = p;
                }
            }
            ic.target = (r, v, tr.t_s);
            ic.target_b = tr.mean[6].max(0.0);
        }
        let (r, v, ts) = self.defense.interceptors[i].target;
        let dt = now - ts;
        let g = if self.defense.engagements[self.defense.interceptors[i].engagement].class
            == ThreatClass::Ballistic
        {
            InterceptorType::field(&r, &v)
        } else {
            Vector3::zeros()
        };
        (r + v * dt + g * (0.5 * dt * dt), v + g * dt)
    }

    /// One guidance and flight step of interceptor `i` at `t`.
    pub(super) fn interceptor_step(&mut self, t: SimTime, i: usize) {
        let scenario = self.scenario;
        let now = t.as_secs_f64();
        let (ty_idx, launch) = {
            let ic = &self.defense.interceptors[i];
            (ic.ty, ic.launch)
        };
        let ty = &scenario.interceptor_types[ty_idx];
        let tf = (t - launch).as_secs_f64();
        let y = self.defense.interceptors[i].y;
        let rm = y.fixed_rows::<3>(0).into_owned();
        let vm = y.fixed_rows::<3>(3).into_owned();

        // End of flight without an intercept.
        // (The flight is never longer than MAX_FLIGHT_TIME_S, whatever the type says: a step
        // loop with an end.)
        let lost = if tf >= ty.max_flight_time_s.min(MAX_FLIGHT_TIME_S) {
            Some("time_out")
        } else if tf > 1.0 && fast_altitude(&rm) < 0.0 {
            Some("ground")
        } else if tf > ty.burn_time_s && vm.norm() < MIN_USEFUL_SPEED_MPS {
            Some("out_of_energy")
        } else {
            None
        };
        if let Some(trace) = self.trace.as_mut() {
            let ic = &self.defense.interceptors[i];
            trace::record_interceptor(
                trace,
                &ic.name,
                &ty.name,
                now,
                &Coordinate::from_vector3(rm),
                lost.is_some(),
            );
        }
        if let Some(reason) = lost {
            self.lose_interceptor(t, i, reason);
            return;
        }

        let (target_r, target_v) = self.uplinked_target(i, now);
        // Seeker acquisition.
        if self.defense.interceptors[i].lock.is_none()
            && (target_r - rm).norm() <= ty.seeker.acquisition_range_m
        {
            let los = (target_r - rm).normalize();
            let acq = ty.seeker.acquisition_range_m;
            let found = self
                .world
                .threats
                .iter()
                .enumerate()
                .filter_map(|(k, th)| th.state_at(t).map(|(p, _)| (k, p)))
                .filter(|(_, p)| {
                    let d = p.as_vector3() - rm;
                    d.norm() <= acq && d.normalize().dot(&los) >= SEEKER_CONE_RAD.cos()
                })
                .min_by(|a, b| {
                    let da = (a.1.as_vector3() - target_r).norm();
                    let db = (b.1.as_vector3() - target_r).norm();
                    da.total_cmp(&db)
                });
            if let Some((k, p)) = found {
                let rel = p.as_vector3() - rm;
                self.defense.interceptors[i].lock = Some((k, rel, target_v - vm));
                self.defense.engaged_threats.insert(k);
            }
        }

        let planned = self.defense.interceptors[i].planned_intercept_s;
        let locked = self.defense.interceptors[i].lock;
        // Finest steps in the last second (the endgame), medium ones while homing or close to
        // the planned intercept, coarse ones in midcourse.
        let tgo = match locked {
            Some((_, r, v)) => crate::weapons::guidance::time_to_go(&r, &v).unwrap_or(0.0),
            None => planned - now,
        };
        let dt = if tgo < 1.0 {
            TERMINAL_STEP_S
        } else if locked.is_some() || tgo < TERMINAL_LEAD_S {
            HOMING_STEP_S
        } else {
            MIDCOURSE_STEP_S
        };
        let g = InterceptorType::field(&rm, &vm);
        let command = match locked {
            Some((k, est_r, est_v)) => {
                // Seeker measurement: the true line of sight with angular noise.
                let truth = self.world.threats[k].state_at(t);
                let Some((p, _)) = truth else {
                    self.lose_interceptor(t, i, "target_gone");
                    return;
                };
                let rel = p.as_vector3() - rm;
                let range = rel.norm();
                let (e1, e2) = perpendiculars(&rel);
                // The stream of `interceptor/<name>`, `seeker/<t in ns>`, keyed without
                // formatting strings at every homing step (times are never before the epoch).
                let name = &self.defense.interceptors[i].name;
                let nanos = u64::try_from(t.as_nanos()).unwrap_or(0);
                let mut rng = self
                    .streams
                    .stream_numbered("interceptor/", name, "seeker/", nanos);
                let s = ty.seeker.angle_noise_rad * range;
                let n1: f64 =
                    rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
                let n2: f64 =
                    rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
                let measured = rel + e1 * (s * n1) + e2 * (s * n2);
                // α-β filter on relative position.
                let (alpha, beta) = (0.5, 0.2);
                let residual = measured - est_r;
                let new_r = est_r + residual * alpha;
                let new_v = est_v + residual * (beta / dt);
                let (next_r, next_v) = (new_r + new_v * dt, new_v);
                self.defense.interceptors[i].lock = Some((k, next_r, next_v));
                let ballistic = self.defense.engagements[self.defense.interceptors[i].engagement]
                    .class
                    == ThreatClass::Ballistic;
                // A ballistic threat's acceleration: gravity at its estimated position, and its
                // drag from the track's 1/β, which below 10 km is several g.
                let t_acc = if ballistic {
                    let rt = rm + new_r;
                    let vt = vm + new_v;
                    let b = self.defense.interceptors[i].target_b;
                    let rho =
                        crate::physics::atmosphere::air_fast(fast_altitude(&rt)).density_kg_m3;
                    InterceptorType::field(&rt, &vt) - vt * (0.5 * rho * vt.norm() * b)
                } else {
                    Vector3::zeros()
                };
                let ahead = planned - now;
                if tgo < HOMING_TIME_TO_GO_S || ahead <= 0.0 {
                    // Homing: proportional navigation on the seeker's estimate.
                    ty.guidance.command(&new_r, &new_v, &vm, &t_acc)
                } else {
                    // Still steering for the intercept point, now placed by the seeker.
                    let pip = rm + new_r + (new_v + vm) * ahead + t_acc * (0.5 * ahead * ahead);
                    self.defense.interceptors[i].pip = pip;
                    ty.guidance
                        .command_to_point(&pip, &Vector3::zeros(), &rm, &vm)
                }
            }
            None if now < planned => {
                // Midcourse: steer for the predicted intercept point.
                let pip = self.defense.interceptors[i].pip;
                ty.guidance
                    .command_to_point(&pip, &Vector3::zeros(), &rm, &vm)
            }
            // Past the planned intercept without a seeker lock: chase the uplinked track.
            None => ty
                .guidance
                .command(&(target_r - rm), &(target_v - vm), &vm, &Vector3::zeros()),
        } + gravity_compensation(&g, &vm);
        let command = ty.guidance.limit(&command);
        let y1 = ty.step(tf, &y, &command, dt);
        let t1 = after(t, secs(dt));
        self.defense.interceptors[i].y = y1;

        // Endgame against the homed threat.
        if let Some((k, _, _)) = self.defense.interceptors[i].lock {
            let th = &self.world.threats[k];
            if let (Some((p0, v0)), Some((p1, v1))) = (th.state_at(t), th.state_at(t1)) {
                let r0 = p0.as_vector3() - rm;
                let w0 = v0.as_vector3() - vm;
                let rm1 = y1.fixed_rows::<3>(0).into_owned();
                let vm1 = y1.fixed_rows::<3>(3).into_owned();
                let r1 = p1.as_vector3() - rm1;
                let w1 = v1.as_vector3() - vm1;
                // Closing at the start, opening at the end: the closest approach is inside.
                if r0.dot(&w0) < 0.0 && r1.dot(&w1) >= 0.0 {
                    let cpa = closest_approach(&r0, &w0, &r1, &w1, dt);
                    // The endgame happens at the closest approach, on the queue, so events
                    // stay in time order.
                    self.queue.schedule(
                        after(t, secs(cpa.tau_s)),
                        Action::Endgame {
                            interceptor: i,
                            threat: k,
                            miss_m: cpa.miss_m,
                            closing_mps: (w0 + w1).norm() * 0.5,
                        },
                    );
                    return;
                }
            } else if th.state_at(t1).is_none() {
                // The threat it homed on ended (impact or kill by another interceptor).
                self.lose_interceptor(t, i, "target_gone");
                return;
            }
        }
        self.queue.schedule(t1, Action::InterceptorStep(i));
    }

    /// Interceptor `i` passed its closest approach to threat `k` at `t`, missing by `miss_m`.
    pub(super) fn endgame(&mut self, t: SimTime, i: usize, k: usize, miss_m: f64, closing: f64) {
        let scenario = self.scenario;
        if let Some(trace) = self.trace.as_mut() {
            let ic = &self.defense.interceptors[i];
            let ty = &scenario.interceptor_types[ic.ty];
            let r = ic.y.fixed_rows::<3>(0).into_owned();
            let now = t.as_secs_f64();
            trace::record_interceptor(
                trace,
                &ic.name,
                &ty.name,
                now,
                &Coordinate::from_vector3(r),
                true,
            );
        }
        if self.world.threats[k].state_at(t).is_none() {
            // Another interceptor destroyed it (or it struck) within the last step.
            self.lose_interceptor(t, i, "target_gone");
            return;
        }
        let ic = &self.defense.interceptors[i];
        let ty = &scenario.interceptor_types[ic.ty];
        let unit = &scenario.fire_units[ic.unit];
        let pk = if ic.works {
            ty.lethality.pk(miss_m)
        } else {
            0.0
        };
        let mut rng = self
            .streams
            .stream(&format!("interceptor/{}", ic.name), "kill");
        let kill = rng.random::<f64>() < pk;
        let pos = self.world.threats[k]
            .state_at(t)
            .map(|(p, _)| p)
            .unwrap_or_else(|| Coordinate::from_vector3(ic.y.fixed_rows::<3>(0).into_owned()));
        let g = Geodetic::from_ecef(&pos);
        let ls = &self.defense.units[ic.unit].launchers[ic.launcher];
        let e = ls.frame.to_enu(&pos);
        let name = ic.name.clone();
        let flight_s = (t - ic.launch).as_secs_f64();
        self.defense.interceptors[i].alive = false;
        self.defense.interceptors[i].end_s = t.as_secs_f64();
        if kill {
            self.threats_left = self.threats_left.saturating_sub(1);
            self.world.threats[k].killed = Some(t);
            self.world.threats[k].killed_by = Some(name.clone());
        }
        self.emit(
            t,
            EventKind::Intercept {
                interceptor: name,
                fire_unit: unit.name.clone(),
                threat: self.world.threats[k].name.clone(),
                miss_m,
                pk,
                kill,
                at: latlon(&g),
                alt_m: g.alt_m,
                ground_range_m: e.x().hypot(e.y()),
                closing_speed_mps: closing,
                flight_s,
            },
        );
        // The radar looks at its next scan.
        let radar = &scenario.radars[unit.radar];
        let since = (t - SimTime::EPOCH) - radar.first_scan;
        let rv = radar.revisit.as_nanos().max(1);
        let n = since.as_nanos().div_euclid(rv) + 1;
        let at = after(
            SimTime::EPOCH + radar.first_scan,
            SimDuration::from_nanos(rv.saturating_mul(n)),
        );
        self.queue.schedule(
            at.max(t),
            Action::KillAssessment {
                interceptor: i,
                kill,
            },
        );
    }

    /// Interceptor `i` ends without an intercept.
    fn lose_interceptor(&mut self, t: SimTime, i: usize, reason: &str) {
        let scenario = self.scenario;
        let ic = &mut self.defense.interceptors[i];
        ic.alive = false;
        ic.end_s = t.as_secs_f64();
        let reason = if !ic.works && reason != "ground" {
            "dud"
        } else {
            reason
        };
        let (name, unit, e) = (ic.name.clone(), ic.unit, ic.engagement);
        self.defense.outstanding -= 1;
        self.emit(
            t,
            EventKind::InterceptorLost {
                interceptor: name,
                fire_unit: scenario.fire_units[unit].name.clone(),
                reason: reason.to_string(),
            },
        );
        // The threat is still flying as far as the unit knows: release the reserve with the
        // engagement so it can be engaged again.
        self.finish_interceptor_slot(e);
    }

    /// The unit's radar judges interceptor `i`'s intercept.
    pub(super) fn kill_assessment(&mut self, t: SimTime, i: usize, kill: bool) {
        let scenario = self.scenario;
        let ic = &self.defense.interceptors[i];
        let unit = &scenario.fire_units[ic.unit];
        let e = ic.engagement;
        let track = self.defense.engagements[e].track;
        let mut rng = self
            .streams
            .stream(&format!("interceptor/{}", ic.name), "assessment");
        let correct = rng.random::<f64>() < unit.kill_assessment;
        let assessed_kill = if correct { kill } else { !kill };
        let name = ic.name.clone();
        let u = ic.unit;
        self.emit(
            t,
            EventKind::KillAssessed {
                fire_unit: unit.name.clone(),
                interceptor: name,
                track,
                assessed_kill,
                correct,
            },
        );
        if assessed_kill {
            self.defense.dead.insert((u, track));
        }
        self.defense.outstanding -= 1;
        self.finish_interceptor_slot(e);
    }
}

/// Two unit vectors perpendicular to `v` and to each other.
fn perpendiculars(v: &Vector3<f64>) -> (Vector3<f64>, Vector3<f64>) {
    let u = v.normalize();
    let a = if u.x.abs() < 0.9 {
        Vector3::x()
    } else {
        Vector3::y()
    };
    let e1 = u.cross(&a).normalize();
    let e2 = u.cross(&e1);
    (e1, e2)
}
