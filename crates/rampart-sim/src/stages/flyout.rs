//! Weapons flight and seeker: interceptor launches, the uplink, the seeker, guidance, the
//! flight steps and reloads.
//!
//! An interceptor is launched toward the predicted intercept point (PIP) and steers for it in
//! midcourse (the interceptor type's midcourse command: guidance toward the point with gravity
//! compensation, the same command its flyout table was flown with, every
//! [`MIDCOURSE_STEP_S`]); each new estimate of the uplinked track moves the PIP to the track's
//! predicted position at the planned intercept time (ballistic prediction for ballistic
//! tracks, straight and level flight otherwise). From the acquisition range its own seeker
//! measures the line of sight to the object nearest the expected target position (inside a
//! [`SEEKER_CONE_RAD`] cone) with its angular noise, smoothed by an α-β filter
//! ([`SEEKER_ALPHA`], [`SEEKER_BETA`]), and places the PIP; with under
//! [`HOMING_TIME_TO_GO_S`] to go it homes with its guidance law on that estimate (every
//! [`HOMING_STEP_S`], and every [`TERMINAL_STEP_S`] in the last second). Steering for the
//! point rather than homing all the way keeps the flight on the straight path the flyout table
//! was built from, so it arrives when planned. Guidance never reads truth except through the
//! seeker.
//!
//! Each step compares the relative motion to the homed threat at both ends; when it turns from
//! closing to opening, the closest approach is found on the step's cubic Hermite interpolant
//! ([`crate::weapons::endgame::closest_approach`]) and handed to the endgame
//! ([`super::endgame`]) at its time, so 3–5 km/s closing speeds cannot tunnel.
//!
//! **Losses.** An interceptor ends without an intercept ([`endgame::lose`]) when its flight
//! time reaches its type's `max_flight_time`, it falls below the ellipsoid after its first
//! second, it has burnt out and slowed below [`MIN_USEFUL_SPEED_MPS`], the threat its seeker
//! homes on ends first, or its seeker has no lock at its planned intercept time plus its type's
//! `acquisition_grace` (`no_lock_past_intercept`: the battery's command destruct). An
//! interceptor that reaches the planned intercept point without finding the threat there has
//! flown past it, or the threat was not where the track (perhaps dropped since) predicted;
//! it could only chase an extrapolated track from behind. A dropped track needs no rule of its
//! own: the interceptor flies on toward the last predicted intercept point, where its seeker
//! may still find the threat, and is lost there if it does not. In the grace it chases the
//! uplinked track at the midcourse step (without a lock there is no closest approach to
//! resolve finely).

use super::battle::BattleManager;
use super::network::{engaged_estimate, own_track, sensor_names};
use super::{Ctx, after, endgame, latlon, secs};
use crate::bmc::evaluation::{fast_altitude, predict_mean_until};
use crate::bmc::planning::intercept_for_launch;
use crate::engine::Action;
use crate::events::EventKind;
use crate::scenario::Scenario;
use crate::weapons::endgame::closest_approach;
use crate::weapons::guidance::time_to_go;
use crate::weapons::interceptor::{
    HOMING_STEP_S, HOMING_TIME_TO_GO_S, InterceptorType, MAX_FLIGHT_TIME_S, MIDCOURSE_STEP_S,
    MIN_USEFUL_SPEED_MPS, TERMINAL_STEP_S,
};
use crate::world::{
    EngagementId, Interceptor, InterceptorId, Launcher, SeekerLock, SensorId, ThreatId, TrackKey,
    Unit, UnitId, Uplink, World,
};
use nalgebra::{SVector, Vector3};
use rampart_core::SimTime;
use rand::RngExt;

/// Terminal steps start this long before the predicted intercept, s.
const TERMINAL_LEAD_S: f64 = 3.0;
/// Seeker search cone half-angle about the predicted line of sight, rad.
pub const SEEKER_CONE_RAD: f64 = 0.1;
/// Gain of the seeker's α-β filter on the relative position.
pub const SEEKER_ALPHA: f64 = 0.5;
/// Gain of the seeker's α-β filter on the relative velocity.
pub const SEEKER_BETA: f64 = 0.2;

/// Adds the scenario's fire units and their launchers to the World.
pub(crate) fn add_units(scenario: &Scenario, world: &mut World) {
    for u in &scenario.fire_units {
        let mut launchers = Vec::new();
        for (g, group) in u.launchers.iter().enumerate() {
            for _ in 0..group.count {
                launchers.push(Launcher {
                    group: g,
                    name: format!("{}/L{}", u.name, launchers.len() + 1),
                    frame: group.position.local_frame(),
                    ready: group.rounds,
                    reloads_left: group.reloads,
                    reloading: false,
                });
            }
        }
        world.units.push(Unit {
            launchers,
            fired: 0,
        });
    }
}

/// An interceptor leaves launcher `l` of unit `u` for engagement `e` at `t`.
pub fn launch(
    world: &mut World,
    battle: &BattleManager,
    ctx: &mut Ctx<'_, '_>,
    t: SimTime,
    u: UnitId,
    e: EngagementId,
    l: usize,
) {
    let scenario = ctx.scenario;
    let unit = &scenario.fire_units[u.index()];
    let ls = &world.units[u].launchers[l];
    let frame_l = ls.frame;
    let group = &unit.launchers[ls.group];
    let ty = &scenario.interceptor_types[group.interceptor];
    let track = world.engagements[e].track;
    // Where to send it: the track now, or its last evaluation.
    let engaged = engaged_estimate(world, scenario, u, track, t);
    let radar = SensorId::from_index(unit.radar);
    let sensors = engaged
        .as_ref()
        .map(|(_, _, s)| sensor_names(world, s.iter().copied()))
        .unwrap_or_default();
    let on_remote = !holds_own(world, track, radar);
    let target = engaged.map(|(tr, frame, _)| Uplink {
        position: *frame.to_ecef(&tr.position).as_vector3(),
        velocity: *frame.vector_to_ecef(&tr.velocity).as_vector3(),
        t_s: tr.t_s,
        inverse_beta: tr.inverse_beta.max(0.0),
    });
    let eval = battle.evaluation(u, track);
    let first = t.as_secs_f64();
    let plan = eval.and_then(|ev| intercept_for_launch(&ev.path, &frame_l, ty, first));
    let Some(target) = target.or_else(|| {
        eval.and_then(|ev| ev.path.at(first))
            .map(|(position, velocity)| Uplink {
                position,
                velocity,
                t_s: first,
                inverse_beta: 0.0,
            })
    }) else {
        // The track is gone before launch: the round goes back on the launcher.
        world.units[u].launchers[l].ready += 1;
        world.outstanding -= 1;
        endgame::finish_slot(world, e);
        return;
    };
    let aim = plan.map_or(target.position, |p| p.point);
    let (r0, v0) = ty.launch_state(&group.position, &aim);
    let mut y = SVector::<f64, 6>::zeros();
    y.fixed_rows_mut::<3>(0).copy_from(&r0);
    y.fixed_rows_mut::<3>(3).copy_from(&v0);
    let us = &mut world.units[u];
    us.fired += 1;
    let name = format!("{}/I{}", unit.name, us.fired);
    let launcher_name = us.launchers[l].name.clone();
    let mut rng = ctx
        .streams
        .stream(&format!("interceptor/{name}"), "reliability");
    let works = rng.random::<f64>() < ty.reliability;
    let i = world.interceptors.push(Interceptor {
        name: name.clone(),
        unit: u,
        engagement: e,
        ty: group.interceptor,
        launcher: l,
        launch: t,
        y,
        y_t: t,
        works,
        lock: None,
        target,
        planned_intercept_s: plan.map_or(first + 30.0, |p| p.intercept_s),
        pip: aim,
        alive: true,
        end_s: f64::INFINITY,
    });
    // An empty launcher reloads if it has spare loads.
    let ls = &mut world.units[u].launchers[l];
    if ls.ready == 0 && ls.reloads_left > 0 && !ls.reloading {
        ls.reloading = true;
        ctx.queue.schedule(
            after(t, group.reload_time),
            Action::Reload {
                unit: u,
                launcher: l,
            },
        );
    }
    ctx.emit(
        t,
        EventKind::InterceptorLaunch {
            interceptor: name,
            interceptor_type: ty.name.clone(),
            fire_unit: unit.name.clone(),
            launcher: launcher_name,
            site: latlon(&group.position),
            radar: scenario.radars[unit.radar].name.clone(),
            target_track: track.number(),
            system_track: track.is_system(),
            sensors,
            on_remote,
        },
    );
    ctx.interceptor_state(world, t, i);
    ctx.queue
        .schedule(after(t, secs(MIDCOURSE_STEP_S)), Action::InterceptorStep(i));
}

/// Launcher `l` of unit `u` is reloaded.
pub fn reload(world: &mut World, scenario: &Scenario, u: UnitId, l: usize) {
    let ls = &mut world.units[u].launchers[l];
    let rounds = scenario.fire_units[u.index()].launchers[ls.group].rounds;
    ls.reloading = false;
    if ls.reloads_left > 0 {
        ls.reloads_left -= 1;
        ls.ready = rounds;
    }
}

/// The guidance target of interceptor `i` at `t`: the uplinked track extrapolated, refreshed
/// from the track when it has a newer estimate.
fn uplinked_target(
    world: &mut World,
    ctx: &Ctx<'_, '_>,
    i: InterceptorId,
    t: SimTime,
) -> (Vector3<f64>, Vector3<f64>) {
    let now = t.as_secs_f64();
    let ic = &world.interceptors[i];
    let eng = &world.engagements[ic.engagement];
    let class = eng.class;
    // The uplink changes only when the track has a new estimate (every scan, updated or
    // coasting); between scans the interceptor steps on the one it has.
    let newer = match eng.track {
        TrackKey::Local(id) => {
            let radar = ctx.scenario.fire_units[ic.unit.index()].radar;
            let tracker = &world.sensors[SensorId::from_index(radar)].tracker;
            tracker
                .track_unless_at(id, ic.target.t_s)
                .map(|tr| (tr, *tracker.frame()))
        }
        TrackKey::System(s) => {
            // Only a newer estimate moves the uplink (the fused one is worked out only then).
            let radar = SensorId::from_index(ctx.scenario.fire_units[ic.unit.index()].radar);
            let newer_report = world
                .node
                .track(s)
                .is_some_and(|sys| sys.newest_s() > ic.target.t_s);
            let newer_scan = world.sensors[radar]
                .last_scan_s
                .is_some_and(|l| l > ic.target.t_s);
            if newer_report || newer_scan {
                engaged_estimate(world, ctx.scenario, ic.unit, eng.track, t)
                    .filter(|(tr, _, _)| tr.t_s > ic.target.t_s)
                    .map(|(tr, frame, _)| (tr, frame))
            } else {
                None
            }
        }
    };
    if let Some((tr, frame)) = newer {
        let ic = &mut world.interceptors[i];
        if tr.t_s > ic.target.t_s {
            // A new track estimate: move the predicted intercept point with it.
            let path = predict_mean_until(&tr, &frame, class, ic.planned_intercept_s);
            if let Some((p, _)) = path.at(ic.planned_intercept_s) {
                ic.pip = p;
            }
        }
        ic.target = Uplink {
            position: *frame.to_ecef(&tr.position).as_vector3(),
            velocity: *frame.vector_to_ecef(&tr.velocity).as_vector3(),
            t_s: tr.t_s,
            inverse_beta: tr.inverse_beta.max(0.0),
        };
    }
    let Uplink {
        position: r,
        velocity: v,
        t_s,
        ..
    } = world.interceptors[i].target;
    super::carry(&r, &v, now - t_s, class.is_ballistic())
}

/// The seeker of interceptor `i` (at `rm`) looks for the object nearest the expected target
/// position `target_r` within its acquisition range and search cone.
fn acquire(
    world: &World,
    t: SimTime,
    ty: &InterceptorType,
    rm: &Vector3<f64>,
    target_r: &Vector3<f64>,
) -> Option<(ThreatId, Vector3<f64>)> {
    let los = (target_r - rm).normalize();
    let acq = ty.seeker.acquisition_range_m;
    world
        .threats
        .iter()
        .filter_map(|(k, th)| th.state_at(t).map(|(p, _)| (k, *p.as_vector3())))
        .filter(|(_, p)| {
            let d = p - rm;
            d.norm() <= acq && d.normalize().dot(&los) >= SEEKER_CONE_RAD.cos()
        })
        .min_by(|a, b| {
            let da = (a.1 - target_r).norm();
            let db = (b.1 - target_r).norm();
            da.total_cmp(&db)
        })
        .map(|(k, p)| (k, p - rm))
}

/// One guidance and flight step of interceptor `i` at `t`.
pub fn step(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, i: InterceptorId) {
    let scenario = ctx.scenario;
    let now = t.as_secs_f64();
    let (ty_idx, launch) = {
        let ic = &world.interceptors[i];
        (ic.ty, ic.launch)
    };
    let ty = &scenario.interceptor_types[ty_idx];
    let tf = (t - launch).as_secs_f64();
    let y = world.interceptors[i].y;
    let rm = y.fixed_rows::<3>(0).into_owned();
    let vm = y.fixed_rows::<3>(3).into_owned();

    // End of flight without an intercept.
    // (The flight is never longer than MAX_FLIGHT_TIME_S, whatever the type says: a step loop
    // with an end.)
    let lost = if tf >= ty.max_flight_time_s.min(MAX_FLIGHT_TIME_S) {
        Some("time_out")
    } else if tf > 1.0 && fast_altitude(&rm) < 0.0 {
        Some("ground")
    } else if tf > ty.burn_time_s && vm.norm() < MIN_USEFUL_SPEED_MPS {
        Some("out_of_energy")
    } else if world.interceptors[i].lock.is_none()
        && now >= world.interceptors[i].planned_intercept_s + ty.acquisition_grace_s
    {
        // Past the point where it was to meet the threat with nothing in its seeker: the
        // battery destroys it (see the module documentation).
        Some("no_lock_past_intercept")
    } else {
        None
    };
    if let Some(reason) = lost {
        endgame::lose(world, ctx, t, i, reason);
        return;
    }

    let (target_r, target_v) = uplinked_target(world, ctx, i, t);
    // Seeker acquisition.
    if world.interceptors[i].lock.is_none()
        && (target_r - rm).norm() <= ty.seeker.acquisition_range_m
        && let Some((k, rel)) = acquire(world, t, ty, &rm, &target_r)
    {
        world.interceptors[i].lock = Some(SeekerLock {
            threat: k,
            relative_position: rel,
            relative_velocity: target_v - vm,
        });
        world.engaged.insert(k);
    }

    let ic = &world.interceptors[i];
    let planned = ic.planned_intercept_s;
    let locked = ic.lock;
    // Finest steps in the last second (the endgame), medium ones while homing or close to the
    // planned intercept, coarse ones in midcourse. Without a lock the time to go is that to
    // the planned intercept; past it (the grace before the interceptor is destroyed) there is
    // no closest approach to resolve, so the steps are midcourse ones.
    let tgo = match locked {
        Some(l) => time_to_go(&l.relative_position, &l.relative_velocity).unwrap_or(0.0),
        None => planned - now,
    };
    let dt = if locked.is_none() && tgo <= 0.0 {
        MIDCOURSE_STEP_S
    } else if tgo < 1.0 {
        TERMINAL_STEP_S
    } else if locked.is_some() || tgo < TERMINAL_LEAD_S {
        HOMING_STEP_S
    } else {
        MIDCOURSE_STEP_S
    };
    let zero = Vector3::zeros();
    let command = match locked {
        Some(lock) => {
            // Seeker measurement: the true line of sight with angular noise.
            let Some((p, _)) = world.threats[lock.threat].state_at(t) else {
                endgame::lose(world, ctx, t, i, "target_gone");
                return;
            };
            let rel = p.as_vector3() - rm;
            let range = rel.norm();
            let (e1, e2) = perpendiculars(&rel);
            // The stream of `interceptor/<name>`, `seeker/<t in ns>`, keyed without formatting
            // strings at every homing step (times are never before the epoch).
            let nanos = u64::try_from(t.as_nanos()).unwrap_or(0);
            let mut rng = ctx
                .streams
                .stream_numbered("interceptor/", &ic.name, "seeker/", nanos);
            let s = ty.seeker.angle_noise_rad * range;
            let n1: f64 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
            let n2: f64 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
            let measured = rel + e1 * (s * n1) + e2 * (s * n2);
            // α-β filter on relative position.
            let residual = measured - lock.relative_position;
            let new_r = lock.relative_position + residual * SEEKER_ALPHA;
            let new_v = lock.relative_velocity + residual * (SEEKER_BETA / dt);
            let ballistic = world.engagements[ic.engagement].class.is_ballistic();
            // A ballistic threat's acceleration: gravity at its estimated position, and its
            // drag from the track's 1/β, which below 10 km is several g.
            let t_acc = if ballistic {
                let rt = rm + new_r;
                let vt = vm + new_v;
                let b = ic.target.inverse_beta;
                let rho = crate::physics::atmosphere::air_fast(fast_altitude(&rt)).density_kg_m3;
                InterceptorType::field(&rt, &vt) - vt * (0.5 * rho * vt.norm() * b)
            } else {
                zero
            };
            let ahead = planned - now;
            let ic = &mut world.interceptors[i];
            ic.lock = Some(SeekerLock {
                threat: lock.threat,
                relative_position: new_r + new_v * dt,
                relative_velocity: new_v,
            });
            if tgo < HOMING_TIME_TO_GO_S || ahead <= 0.0 {
                // Homing: the guidance law on the seeker's estimate.
                ty.homing_command(&y, &new_r, &new_v, &t_acc)
            } else {
                // Still steering for the intercept point, now placed by the seeker.
                let pip = rm + new_r + (new_v + vm) * ahead + t_acc * (0.5 * ahead * ahead);
                ic.pip = pip;
                ty.midcourse_command(&y, &pip, &zero)
            }
        }
        // Midcourse: steer for the predicted intercept point.
        None if now < planned => ty.midcourse_command(&y, &ic.pip, &zero),
        // Past the planned intercept without a seeker lock: chase the uplinked track.
        None => ty.homing_command(&y, &(target_r - rm), &(target_v - vm), &zero),
    };
    let y1 = ty.step(tf, &y, &command, dt);
    let t1 = after(t, secs(dt));
    world.interceptors[i].y = y1;
    world.interceptors[i].y_t = t1;

    // Endgame against the homed threat.
    if let Some(lock) = world.interceptors[i].lock {
        let th = &world.threats[lock.threat];
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
                // The endgame happens at the closest approach, on the queue, so events stay
                // in time order.
                ctx.queue.schedule(
                    after(t, secs(cpa.tau_s)),
                    Action::Endgame {
                        interceptor: i,
                        threat: lock.threat,
                        miss_m: cpa.miss_m,
                        closing_mps: (w0 + w1).norm() * 0.5,
                    },
                );
                return;
            }
        } else if th.state_at(t1).is_none() {
            // The threat it homed on ended (impact or kill by another interceptor).
            endgame::lose(world, ctx, t, i, "target_gone");
            return;
        }
    }
    ctx.queue.schedule(t1, Action::InterceptorStep(i));
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

/// Whether radar `radar` holds the threat of track `key` itself: its own track, or its local
/// track in the system track, still held by its tracker.
fn holds_own(world: &World, key: TrackKey, radar: SensorId) -> bool {
    match key {
        TrackKey::Local(_) => true,
        TrackKey::System(id) => world
            .node
            .track(id)
            .is_some_and(|sys| own_track(world, sys, radar).is_some()),
    }
}
