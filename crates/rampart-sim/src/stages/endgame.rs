//! The endgame: at an interceptor's closest approach to the threat its seeker homes on, the
//! kill is one draw against the lethality model's Pk at that miss (a dud, probability
//! 1 − reliability, never kills). The unit's radar assesses the outcome at its next scan,
//! correctly with probability `kill_assessment`. An interceptor that ends without an intercept
//! (time out, ground, out of energy, target gone, no seeker lock past its planned intercept) is
//! lost, and the engagement's reserve is released so the threat can be engaged again.

use super::{Ctx, after, latlon};
use crate::engine::Action;
use crate::events::EventKind;
use crate::world::{EngagementId, InterceptorId, ThreatId, World};
use rampart_core::{Coordinate, Ecef, Geodetic, SimDuration, SimTime};
use rand::RngExt;

/// Interceptor `i` passed its closest approach to threat `k` at `t`, missing by `miss_m` at a
/// closing speed of `closing` m/s.
pub fn closest_approach(
    world: &mut World,
    ctx: &mut Ctx<'_, '_>,
    t: SimTime,
    i: InterceptorId,
    k: ThreatId,
    miss_m: f64,
    closing: f64,
) {
    let scenario = ctx.scenario;
    ctx.interceptor_state(world, t, i);
    let Some((pos, _)) = world.threats[k].state_at(t) else {
        // Another interceptor destroyed it (or it struck) within the last step.
        lose(world, ctx, t, i, "target_gone");
        return;
    };
    let ic = &world.interceptors[i];
    let ty = &scenario.interceptor_types[ic.ty];
    let unit = &scenario.fire_units[ic.unit.index()];
    let pk = if ic.works {
        ty.lethality.pk(miss_m)
    } else {
        0.0
    };
    let mut rng = ctx
        .streams
        .stream(&format!("interceptor/{}", ic.name), "kill");
    let kill = rng.random::<f64>() < pk;
    let g = Geodetic::from_ecef(&pos);
    let ls = &world.units[ic.unit].launchers[ic.launcher];
    let e = ls.frame.to_enu(&pos);
    let name = ic.name.clone();
    let flight_s = (t - ic.launch).as_secs_f64();
    ctx.threat_state(world, t, k);
    let ic = &mut world.interceptors[i];
    ic.alive = false;
    ic.end_s = t.as_secs_f64();
    if kill {
        world.threats_left = world.threats_left.saturating_sub(1);
        world.threats[k].killed = Some(t);
        world.threats[k].killed_by = Some(i);
    }
    ctx.emit(
        t,
        EventKind::Intercept {
            interceptor: name,
            fire_unit: unit.name.clone(),
            threat: world.threats[k].name.clone(),
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
    ctx.queue.schedule(
        at.max(t),
        Action::KillAssessment {
            interceptor: i,
            kill,
        },
    );
}

/// Interceptor `i` ends at `t` without an intercept, for `reason`.
pub fn lose(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, i: InterceptorId, reason: &str) {
    ctx.interceptor_state(world, t, i);
    let ic = &mut world.interceptors[i];
    ic.alive = false;
    ic.end_s = t.as_secs_f64();
    let reason = if !ic.works && reason != "ground" {
        "dud"
    } else {
        reason
    };
    let g = Geodetic::from_ecef(&Coordinate::<Ecef>::from_vector3(ic.position_at(t)));
    let flight_s = (t - ic.launch).as_secs_f64();
    let (name, unit, e) = (ic.name.clone(), ic.unit, ic.engagement);
    world.outstanding -= 1;
    ctx.emit(
        t,
        EventKind::InterceptorLost {
            interceptor: name,
            fire_unit: ctx.scenario.fire_units[unit.index()].name.clone(),
            track: world.engagements[e].track.number(),
            system_track: world.engagements[e].track.is_system(),
            reason: reason.to_string(),
            at: latlon(&g),
            alt_m: g.alt_m,
            flight_s,
        },
    );
    // The threat is still flying as far as the unit knows: release the reserve with the
    // engagement so it can be engaged again.
    finish_slot(world, e);
}

/// The unit's radar judges interceptor `i`'s intercept at `t` (`kill`: the truth).
pub fn kill_assessment(
    world: &mut World,
    ctx: &mut Ctx<'_, '_>,
    t: SimTime,
    i: InterceptorId,
    kill: bool,
) {
    let ic = &world.interceptors[i];
    let unit = &ctx.scenario.fire_units[ic.unit.index()];
    let e = ic.engagement;
    let track = world.engagements[e].track;
    let mut rng = ctx
        .streams
        .stream(&format!("interceptor/{}", ic.name), "assessment");
    let correct = rng.random::<f64>() < unit.kill_assessment;
    let assessed_kill = if correct { kill } else { !kill };
    let u = ic.unit;
    ctx.emit(
        t,
        EventKind::KillAssessed {
            fire_unit: unit.name.clone(),
            interceptor: ic.name.clone(),
            track: track.number(),
            system_track: track.is_system(),
            assessed_kill,
            correct,
        },
    );
    if assessed_kill {
        world.assessed_dead.insert((u, track));
    }
    world.outstanding -= 1;
    finish_slot(world, e);
}

/// One interceptor slot of engagement `e` is over; the engagement ends with its last.
pub fn finish_slot(world: &mut World, e: EngagementId) {
    let eng = &mut world.engagements[e];
    eng.pending = eng.pending.saturating_sub(1);
    if eng.pending == 0 {
        let key = (eng.unit, eng.track);
        if world.active.get(&key) == Some(&e) {
            world.active.remove(&key);
        }
    }
}
