//! The counter-RAM guns ([`crate::weapons::gun`]): after each scan of a gun's own radar, the
//! gun picks, among that radar's confirmed tracks the scan updated, the most urgent one that
//! endangers an asset it defends and whose lead point lies within its reach, and fires a
//! burst there if its magazine and barrels allow. The burst is judged when it reaches the
//! aim point: against the threat nearest that point (the truth), with the fire-control error
//! (where the threat is against where the track put it) and the burst's aim error as its
//! offset. A gun fights on its own radar's picture, apart from the fire units' battle
//! management.

use super::{Ctx, latlon};
use crate::bmc::evaluation::{ThreatClass, evaluate, predict_mean};
use crate::engine::Action;
use crate::events::EventKind;
use crate::weapons::gun::{burst_kill_probability, drop_m, fall, lead, round_hit_probability};
use crate::world::{Burst, GunState, SensorId, ThreatId, World};
use nalgebra::Vector3;
use rampart_core::{Coordinate, Geodetic, SimDuration, SimTime};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// The guns' starting state: full magazines, cold barrels.
pub fn add_guns(scenario: &crate::scenario::Scenario, world: &mut World) {
    world.guns = scenario
        .guns
        .iter()
        .map(|g| GunState {
            rounds: g.magazine,
            free_at: SimTime::EPOCH,
            ..GunState::default()
        })
        .collect();
}

/// After a scan of sensor `s` at `t`: each gun whose radar it is may fire.
pub fn after_scan(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, s: SensorId) {
    let scenario = ctx.scenario;
    for (g, gun) in scenario.guns.iter().enumerate() {
        if gun.radar != s.index() {
            continue;
        }
        let state = &world.guns[g];
        if state.rounds == 0 || t < state.free_at {
            continue;
        }
        let now = t.as_secs_f64();
        // The barrels cool linearly; a burst that would pass their limit waits.
        let heat = (state.heat
            - (now - state.heat_s) * f64::from(gun.barrel_limit) / gun.cooling_s.max(1e-9))
        .max(0.0);
        let rounds = gun.burst_rounds.min(state.rounds);
        if heat + f64::from(rounds) > f64::from(gun.barrel_limit) {
            continue;
        }
        let frame = *world.sensors[s].tracker.frame();
        let site = gun.position.local_frame();
        let here = *site.origin_ecef().as_vector3();
        let flat = gun.rounds();
        // The middle round of the burst leaves this long from now.
        let mid_s = gun.reaction_s + gun.burst_s() / 2.0;
        let mut best: Option<(f64, Burst)> = None;
        for tr in world.sensors[s].tracker.confirmed() {
            if !tr.updated {
                continue;
            }
            let e = evaluate(&tr, &frame, scenario);
            let urgency = e.priority(scenario, &gun.defends);
            if urgency <= 0.0 || best.as_ref().is_some_and(|(u, _)| *u >= urgency) {
                continue;
            }
            // An unguided round is ballistic wherever it is: the lead follows the ballistic
            // prediction once the tracker's ballistic mode holds it, whatever the class.
            let ballistic = tr.ballistic_probability >= 0.5;
            let path = if ballistic && e.class != ThreatClass::Ballistic {
                predict_mean(&tr, &frame, ThreatClass::Ballistic)
            } else {
                e.path.clone()
            };
            let Some(l) = lead(&flat, &here, now + mid_s, |t| path.at(t).map(|(r, _)| r)) else {
                continue;
            };
            let aer = site.aer(&Coordinate::from_vector3(l.point));
            if l.range_m > gun.max_range_m || aer.el_rad < gun.min_elevation_rad {
                continue;
            }
            // Aimed above the point by the rounds' fall under gravity.
            let elevation = (aer.el_rad + drop_m(l.flight_s) / l.range_m).min(1.5);
            best = Some((
                urgency,
                Burst {
                    track: tr.id,
                    fired_s: now + gun.reaction_s,
                    rounds,
                    aim: l.point,
                    range_m: l.range_m,
                    elevation_rad: elevation,
                },
            ));
        }
        let Some((_, burst)) = best else {
            continue;
        };
        let flight_s = flat.time_to(burst.range_m).unwrap_or(0.0);
        let Some(arrival) =
            SimDuration::from_secs_f64(mid_s + flight_s).and_then(|d| t.checked_add(d))
        else {
            continue;
        };
        let free = SimDuration::from_secs_f64(gun.reaction_s + gun.burst_s())
            .and_then(|d| t.checked_add(d))
            .unwrap_or(SimTime::MAX);
        let state = &mut world.guns[g];
        state.rounds -= rounds;
        state.heat = heat + f64::from(rounds);
        state.heat_s = now;
        state.free_at = free;
        state.bursts.push(burst);
        world.outstanding += 1;
        ctx.queue.schedule(
            arrival,
            Action::GunBurst {
                gun: g,
                burst: state.bursts.len() - 1,
            },
        );
    }
}

/// Burst `b` of gun `g` reaches its aim point at `t`.
pub fn burst(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, g: usize, b: usize) {
    let scenario = ctx.scenario;
    let gun = &scenario.guns[g];
    let burst = world.guns[g].bursts[b];
    world.outstanding = world.outstanding.saturating_sub(1);
    let here = gun.position.to_ecef();
    let here = *here.as_vector3();
    let los = (burst.aim - here).normalize();
    // The threat nearest the aim point now, and its offset across the line of fire.
    let nearest: Option<(ThreatId, Vector3<f64>)> = world
        .threats
        .iter()
        .filter_map(|(id, th)| {
            let (r, _) = th.state_at(t)?;
            let d = r.as_vector3() - burst.aim;
            Some((id, d - los * d.dot(&los)))
        })
        .min_by(|a, b| a.1.norm().total_cmp(&b.1.norm()));
    let mut rng = ctx
        .streams
        .stream_numbered("gun/", &gun.name, "burst/", b as u64);
    // The burst's aim error, across the line of fire.
    let e1 = los
        .cross(&Vector3::z())
        .try_normalize(1e-9)
        .unwrap_or_else(Vector3::x);
    let e2 = los.cross(&e1);
    let aim_sigma = gun.aim_error_rad * burst.range_m;
    let (a1, a2): (f64, f64) = (
        StandardNormal.sample(&mut rng),
        StandardNormal.sample(&mut rng),
    );
    let u: f64 = rng.random();
    let sigma = gun.dispersion_rad * burst.range_m;
    let (threat, miss_m, p_round) = match nearest {
        Some((k, off)) => {
            let miss = off + (e1 * a1 + e2 * a2) * aim_sigma;
            let ty = &scenario.threat_types[scenario.raids[world.threats[k].raid].threat_type];
            let radius = (ty.vulnerable_area_m2 / std::f64::consts::PI).sqrt();
            let m = miss.norm();
            (Some(k), m, round_hit_probability(m, sigma, radius))
        }
        None => (None, f64::INFINITY, 0.0),
    };
    let pk = burst_kill_probability(p_round, burst.rounds);
    let kill = threat.is_some() && u < pk;
    let fall_range_m = fall(&gun.rounds(), burst.elevation_rad, gun.self_destruct_s);
    let rounds_fallen = if fall_range_m.is_some() {
        burst.rounds - u32::from(kill)
    } else {
        0
    };
    if let Some(k) = threat {
        ctx.threat_state(world, t, k);
        if kill {
            world.threats_left = world.threats_left.saturating_sub(1);
            world.threats[k].killed = Some(t);
        }
    }
    let g_at = Geodetic::from_ecef(&Coordinate::from_vector3(burst.aim));
    ctx.emit(
        t,
        EventKind::GunBurst {
            gun: gun.name.clone(),
            track: burst.track,
            fired_t: burst.fired_s,
            rounds: burst.rounds,
            range_m: burst.range_m,
            alt_m: g_at.alt_m,
            at: latlon(&g_at),
            threat: threat.map(|k| world.threats[k].name.clone()),
            miss_m: if miss_m.is_finite() { miss_m } else { -1.0 },
            p_round,
            pk,
            kill,
            rounds_fallen,
            fall_range_m: fall_range_m.filter(|_| rounds_fallen > 0),
            rounds_left: world.guns[g].rounds,
        },
    );
}
