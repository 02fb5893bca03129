//! The counter-RAM guns ([`crate::weapons::gun`]): after each scan of a gun's own radar, the
//! gun picks, among that radar's confirmed tracks the scan updated, the most urgent one that
//! endangers an asset it defends and whose lead point lies within its reach, and fires a
//! burst there if its magazine and barrels allow. The burst is judged when it reaches the
//! aim point: against the threat nearest that point (the truth), with the fire-control error
//! (where the threat is against where the track put it) and the burst's aim error as its
//! offset. A gun fights on its own radar's picture, apart from the fire units' battle
//! management.

use super::{Ctx, latlon};
use crate::bmc::evaluation::{Evaluation, ThreatClass, evaluate_after, predict_mean};
use crate::engine::Action;
use crate::events::EventKind;
use crate::tracking::TrackEstimate;
use crate::weapons::gun::{
    GunParams, Lead, burst_kill_probability, drop_m, fall, lead, round_hit_probability,
};
use crate::world::{Burst, GunState, SensorId, ThreatId, World};
use nalgebra::Vector3;
use rampart_core::{Coordinate, Geodetic, SimDuration, SimTime};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// How far along the line of fire from the aim point a threat may be and still meet the burst's
/// rounds, beyond the distance it flies while the burst lasts, m.
pub const ALONG_LINE_M: f64 = 10.0;

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

/// The kill probability a gun expects of a burst of `rounds` at lead `l` on `track`: the burst's
/// offset taken at the median of its expected spread — the track's position error carried to
/// the lead point, and the aim error — against the gun's planning vulnerable area.
fn planned_pk(gun: &GunParams, track: &TrackEstimate, l: &Lead, rounds: u32, now_s: f64) -> f64 {
    let p = &track.covariance;
    let position = (p[(0, 0)] + p[(2, 2)] + p[(4, 4)]) / 3.0;
    let velocity = (p[(1, 1)] + p[(3, 3)] + p[(5, 5)]) / 3.0;
    // From the estimate to the middle round's arrival.
    let go = (now_s - track.t_s) + gun.reaction_s + gun.burst_s() / 2.0 + l.flight_s;
    let aim = gun.aim_error_rad * l.range_m;
    let sigma_offset = (position + velocity * go * go + aim * aim).max(0.0).sqrt();
    // The median of a Rayleigh distribution of scale σ is σ √(2 ln 2).
    let offset = sigma_offset * (2.0 * std::f64::consts::LN_2).sqrt();
    let radius = (gun.planning_vulnerable_area_m2 / std::f64::consts::PI).sqrt();
    let p = round_hit_probability(offset, gun.dispersion_rad * l.range_m, radius);
    burst_kill_probability(p, rounds)
}

/// The class whose prediction a gun leads on: an unguided round is ballistic wherever it is, so
/// the ballistic prediction once the tracker's ballistic mode holds the track (probability at
/// least 0.5), whatever its class.
fn lead_class(track: &TrackEstimate, class: ThreatClass) -> ThreatClass {
    if track.ballistic_probability >= 0.5 && !class.is_ballistic() {
        ThreatClass::Ballistic
    } else {
        class
    }
}

/// After a scan of sensor `s` at `t`, when it is a gun's radar: the radar's updated tracks are
/// evaluated once (their classes carried from scan to scan, the alarms sounded), then each gun
/// on it may fire.
pub fn after_scan(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, s: SensorId) {
    let scenario = ctx.scenario;
    if !scenario.guns.iter().any(|g| g.radar == s.index()) {
        return;
    }
    let frame = *world.sensors[s].tracker.frame();
    let tracks = world.sensors[s].tracker.confirmed();
    let radar = &scenario.radars[s.index()].name;
    let mut evaluated: Vec<(&TrackEstimate, Evaluation)> = Vec::new();
    for tr in tracks.iter().filter(|tr| tr.updated) {
        let previous = world.track_classes.get(&(s, tr.id)).copied();
        let e = evaluate_after(tr, &frame, scenario, previous);
        world.track_classes.insert((s, tr.id), e.class);
        let (r, _) = tr.ecef_at(&frame, tr.t_s);
        super::warning::after_evaluation(world, ctx, t, radar, tr.id, &r, &e);
        evaluated.push((tr, e));
    }
    // Forget the classes of tracks that are gone.
    world
        .track_classes
        .retain(|(r, id), _| *r != s || tracks.iter().any(|t| t.id == *id));
    for (g, gun) in scenario.guns.iter().enumerate() {
        if gun.radar == s.index() {
            fire(world, ctx, t, g, &frame, &evaluated);
        }
    }
}

/// Gun `g` fires a burst at `t` at the most urgent of its radar's `evaluated` tracks it can
/// reach, if its magazine and barrels allow.
fn fire(
    world: &mut World,
    ctx: &mut Ctx<'_, '_>,
    t: SimTime,
    g: usize,
    frame: &rampart_core::LocalFrame,
    evaluated: &[(&TrackEstimate, Evaluation)],
) {
    let scenario = ctx.scenario;
    let gun = &scenario.guns[g];
    let state = &world.guns[g];
    if state.rounds == 0 || t < state.free_at {
        return;
    }
    let now = t.as_secs_f64();
    // The barrels cool linearly; a burst that would pass their limit waits.
    let heat = (state.heat
        - (now - state.heat_s) * f64::from(gun.barrel_limit) / gun.cooling_s.max(1e-9))
    .max(0.0);
    let rounds = gun.burst_rounds.min(state.rounds);
    if heat + f64::from(rounds) > f64::from(gun.barrel_limit) {
        return;
    }
    let site = gun.position.local_frame();
    let here = *site.origin_ecef().as_vector3();
    let flat = gun.rounds();
    // The middle round of the burst leaves this long from now.
    let mid_s = gun.reaction_s + gun.burst_s() / 2.0;
    // Tracks another gun has a burst on its way to: fired at only when nothing else is.
    let taken: Vec<u64> = scenario
        .guns
        .iter()
        .zip(&world.guns)
        .enumerate()
        .filter(|(o, (og, _))| *o != g && og.radar == gun.radar)
        .flat_map(|(_, (_, os))| os.bursts.iter().filter(|b| b.arrives_s > now))
        .map(|b| b.track)
        .collect();
    let mut best: Option<((bool, f64), Burst)> = None;
    for (tr, e) in evaluated {
        if !gun.engages.contains(&e.class)
            || tr.velocity.as_vector3().norm() > gun.max_target_speed_mps
        {
            continue;
        }
        let urgency = e.priority(scenario, &gun.defends);
        let rank = (!taken.contains(&tr.id), urgency);
        if urgency <= 0.0 || best.as_ref().is_some_and(|(r, _)| *r >= rank) {
            continue;
        }
        let ballistic_path;
        let path = if lead_class(tr, e.class) != e.class {
            ballistic_path = predict_mean(tr, frame, ThreatClass::Ballistic);
            &ballistic_path
        } else {
            &e.path
        };
        let Some(l) = lead(&flat, &here, now + mid_s, |t| path.at(t).map(|(r, _)| r)) else {
            continue;
        };
        let aer = site.aer(&Coordinate::from_vector3(l.point));
        if l.range_m > gun.max_range_m
            || aer.el_rad < gun.min_elevation_rad
            || l.flight_s > gun.self_destruct_s
        {
            continue;
        }
        let planned = planned_pk(gun, tr, &l, rounds, now);
        if planned < gun.min_pk {
            continue;
        }
        // Aimed above the point by the rounds' fall under gravity.
        let elevation = (aer.el_rad + drop_m(l.flight_s) / l.range_m).min(1.5);
        best = Some((
            rank,
            Burst {
                track: tr.id,
                fired_s: now + gun.reaction_s,
                arrives_s: now + mid_s + l.flight_s,
                planned_pk: planned,
                rounds,
                aim: l.point,
                range_m: l.range_m,
                elevation_rad: elevation,
            },
        ));
    }
    let Some((_, burst)) = best else {
        return;
    };
    let Some(arrival) =
        SimDuration::from_secs_f64(burst.arrives_s - now).and_then(|d| t.checked_add(d))
    else {
        return;
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

/// Burst `b` of gun `g` reaches its aim point at `t`.
pub fn burst(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, g: usize, b: usize) {
    let scenario = ctx.scenario;
    let gun = &scenario.guns[g];
    let burst = world.guns[g].bursts[b];
    world.outstanding = world.outstanding.saturating_sub(1);
    let here = gun.position.to_ecef();
    let here = *here.as_vector3();
    let los = (burst.aim - here).normalize();
    // The threat nearest the aim point now: its offset across the line of fire, and whether it
    // is where the burst's rounds pass (along the line of fire, within the distance it flies
    // while the burst lasts, and ALONG_LINE_M).
    let nearest: Option<(ThreatId, Vector3<f64>, bool)> = world
        .threats
        .iter()
        .filter_map(|(id, th)| {
            let (r, v) = th.state_at(t)?;
            let d = r.as_vector3() - burst.aim;
            let along = d.dot(&los).abs();
            let reach = ALONG_LINE_M + v.norm() * gun.burst_s() / 2.0;
            Some((id, d, along <= reach))
        })
        .min_by(|a, b| a.1.norm().total_cmp(&b.1.norm()))
        .map(|(id, d, on_line)| (id, d - los * d.dot(&los), on_line));
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
        Some((k, off, on_line)) => {
            let miss = off + (e1 * a1 + e2 * a2) * aim_sigma;
            let ty = &scenario.threat_types[world.threats[k].threat_type];
            let radius = (ty.vulnerable_area_m2 / std::f64::consts::PI).sqrt();
            let m = miss.norm();
            let p = if on_line {
                round_hit_probability(m, sigma, radius)
            } else {
                0.0
            };
            (Some(k), m, p)
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
            planned_pk: burst.planned_pk,
            pk,
            kill,
            rounds_fallen,
            fall_range_m: fall_range_m.filter(|_| rounds_fallen > 0),
            rounds_left: world.guns[g].rounds,
        },
    );
}

/// The guns' picture at one battle-management cycle, for deciding which threats the lower tier
/// can take: for each gun with rounds left, the confirmed tracks of its radar it would fire at
/// (a class it engages, as it last evaluated them, no faster than it can follow) whose
/// predicted path enters its reach, each with where it is now and the last time its path lies
/// in reach.
#[derive(Debug)]
pub struct GunPicture {
    guns: Vec<Vec<InReach>>,
    /// Each gun's rounds left.
    rounds: Vec<u32>,
}

/// A track a gun would fire at.
#[derive(Debug)]
struct InReach {
    /// Where it is at the cycle (ECEF, m).
    r: Vector3<f64>,
    /// The last time a burst fired at it can still meet it within the gun's reach: over the
    /// points of its predicted path in reach, the point's time less the rounds' flight to it,
    /// s since the epoch.
    deadline_s: f64,
}

impl GunPicture {
    /// The picture at `now_s` (s since the epoch).
    pub fn new(world: &World, scenario: &crate::scenario::Scenario, now_s: f64) -> Self {
        let guns = scenario
            .guns
            .iter()
            .enumerate()
            .map(|(g, gun)| {
                if world.guns[g].rounds == 0 {
                    return Vec::new();
                }
                let radar = SensorId::from_index(gun.radar);
                let tracker = &world.sensors[radar].tracker;
                let frame = tracker.frame();
                let site = gun.position.local_frame();
                // Its reach: its longest range, and no farther than its rounds fly before they
                // self-destruct.
                let rounds = gun.rounds();
                let reach_m = gun.max_range_m.min(rounds.distance_at(gun.self_destruct_s));
                tracker
                    .confirmed()
                    .iter()
                    .filter_map(|tr| {
                        let &class = world.track_classes.get(&(radar, tr.id))?;
                        if !gun.engages.contains(&class)
                            || tr.velocity.as_vector3().norm() > gun.max_target_speed_mps
                        {
                            return None;
                        }
                        let lead = lead_class(tr, class);
                        let path = predict_mean(tr, frame, lead);
                        let ranges: Vec<(f64, f64, f64)> = path
                            .points
                            .iter()
                            .map(|q| {
                                let aer = site.aer(&Coordinate::from_vector3(q.r));
                                (q.t_s, aer.range_m, aer.el_rad)
                            })
                            .collect();
                        // A level path runs on past its target: it ends, for this purpose,
                        // where it passes nearest the gun.
                        let end_s = if lead.is_ballistic() {
                            f64::INFINITY
                        } else {
                            ranges
                                .iter()
                                .min_by(|a, b| a.1.total_cmp(&b.1))
                                .map_or(f64::INFINITY, |p| p.0)
                        };
                        let deadline_s = ranges
                            .iter()
                            .filter(|&&(t, range, el)| {
                                t <= end_s && range <= reach_m && el >= gun.min_elevation_rad
                            })
                            .filter_map(|&(t, range, _)| Some(t - rounds.time_to(range)?))
                            .reduce(f64::max)?;
                        // A burst can no longer meet it: it takes no engagement of the gun's.
                        (deadline_s > now_s).then(|| InReach {
                            r: tr.ecef_at(frame, now_s).0,
                            deadline_s,
                        })
                    })
                    .collect()
            })
            .collect();
        Self {
            guns,
            rounds: world.guns.iter().map(|s| s.rounds).collect(),
        }
    }

    /// Whether some gun can take the threat at `r` (ECEF, at `now_s`) that battle management
    /// evaluated as `e`: the gun defends what `e` says the threat endangers, holds it (its
    /// nearest track within `gate_m` of `r` in the picture), and has the time and the rounds
    /// to. A gun engages one target at a time, each for at least one cycle — its reaction and
    /// one burst, rounded up to whole scans of its radar, as it decides only after a scan —
    /// and one burst's rounds. Were its targets taken in order of their deadlines (earliest
    /// deadline first, which serves every target when any order can: J. R. Jackson,
    /// "Scheduling a production line to minimize maximum tardiness", Research Report 43,
    /// Management Science Research Project, UCLA, 1955), the `n` whose deadlines come no later
    /// than this one's would all be served only if `n` engagements fit before that deadline,
    /// shared by the guns on the same radar that hold the threat and defend what it
    /// endangers. So this is a necessary condition: a gun that fails it cannot take the
    /// threat; one that meets it may still not (it picks by urgency, and counts every track it
    /// could reach).
    pub fn can_take(
        &self,
        scenario: &crate::scenario::Scenario,
        now_s: f64,
        r: &Vector3<f64>,
        e: &Evaluation,
        gate_m: f64,
    ) -> bool {
        let held = |g: usize| {
            self.guns[g]
                .iter()
                .map(|x| ((x.r - r).norm(), x))
                .filter(|(d, _)| *d < gate_m)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, x)| x)
        };
        let defends = |gun: &GunParams| e.value_at_risk(scenario, &gun.defends) > 1e-6;
        let rounds_left = &self.rounds;
        scenario.guns.iter().enumerate().any(|(g, gun)| {
            if !defends(gun) {
                return false;
            }
            let Some(x) = held(g) else {
                return false;
            };
            let before = self.guns[g]
                .iter()
                .filter(|y| y.deadline_s <= x.deadline_s)
                .count();
            // The guns on its radar that would take the threat, and the engagements each has
            // the time and the rounds for.
            let engagements: f64 = scenario
                .guns
                .iter()
                .enumerate()
                .filter(|(k, other)| {
                    other.radar == gun.radar && defends(other) && held(*k).is_some()
                })
                .map(|(k, other)| {
                    let revisit_s = scenario.radars[other.radar].revisit.as_secs_f64();
                    let scans = ((other.reaction_s + other.burst_s()) / revisit_s).ceil();
                    let cycle_s = scans.max(1.0) * revisit_s;
                    let time = ((x.deadline_s - now_s) / cycle_s).floor().max(0.0);
                    let bursts = f64::from(rounds_left[k] / other.burst_rounds.max(1));
                    time.min(bursts)
                })
                .sum();
            before as f64 <= engagements
        })
    }
}

/// Whether a gun's radar, the defense's authority on rockets, artillery and mortars, holds a
/// confirmed track within `gate_m` of `r` (ECEF, at `now_s`) that it last classed `ram`.
pub fn ram_nearby(
    world: &World,
    scenario: &crate::scenario::Scenario,
    now_s: f64,
    r: &Vector3<f64>,
    gate_m: f64,
) -> bool {
    let mut radars: Vec<usize> = scenario.guns.iter().map(|g| g.radar).collect();
    radars.sort_unstable();
    radars.dedup();
    radars.into_iter().any(|radar| {
        let s = SensorId::from_index(radar);
        let tracker = &world.sensors[s].tracker;
        let frame = tracker.frame();
        tracker.confirmed().iter().any(|tr| {
            world.track_classes.get(&(s, tr.id)) == Some(&ThreatClass::Ram)
                && (tr.ecef_at(frame, now_s).0 - r).norm() < gate_m
        })
    })
}
