//! Threat flight: the raids' launch schedule, each threat's flight plan at its launch, and its
//! milestones — burn-out, apogee, dive, failure and impact, with the leak record of an impact
//! on a defended asset.

use super::{Ctx, latlon};
use crate::engine::{Action, EngineError, checked_times, queue::Scheduler};
use crate::events::EventKind;
use crate::scenario::Scenario;
use crate::threats::flight_plan::{RaidCache, geodetic_at, maxima_until, plan, threat_id};
use crate::world::{Threat, ThreatId, World};
use rampart_core::{Geodetic, SimDuration, SimTime};

/// A point of a threat's flight, scheduled at its exact time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Milestone {
    /// Thrust ends.
    Burnout,
    /// The highest point.
    Apogee,
    /// An air-breather's terminal dive begins.
    Dive,
    /// The threat breaks up (reliability).
    Failure,
    /// It reaches the ground.
    Impact,
}

/// Adds every threat of every raid to the World and schedules its launch.
pub(crate) fn schedule_raids(
    scenario: &Scenario,
    world: &mut World,
    queue: &mut Scheduler<Action>,
) {
    for (r, raid) in scenario.raids.iter().enumerate() {
        for k in 0..raid.count {
            // A launch past the representable time (a scenario near ±292 years) never comes.
            let launch = checked_times(raid.interval, i64::from(k))
                .and_then(|d| (SimTime::EPOCH + raid.first_launch).checked_add(d));
            let id = world.threats.push(Threat {
                name: threat_id(r, k),
                raid: Some(r),
                threat_type: raid.threat_type,
                member: k,
                launch: launch.unwrap_or(SimTime::MAX),
                plan: None,
                fed: None,
                killed: None,
                killed_by: None,
            });
            if let Some(launch) = launch {
                queue.schedule(launch, Action::Launch(id));
            }
        }
    }
    world.threats_left = world.threats.len();
}

/// The threat-flight stage: plans each flight at its launch.
#[derive(Clone, Debug)]
pub struct ThreatFlight {
    /// Each raid's nominal aim, found once.
    caches: Vec<RaidCache>,
}

impl ThreatFlight {
    /// The stage for `scenario`'s raids.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            caches: vec![RaidCache::default(); scenario.raids.len()],
        }
    }

    /// Threat `id` leaves its launcher at `t`: its flight is planned and its milestones
    /// scheduled.
    pub fn launch(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        id: ThreatId,
    ) -> Result<(), EngineError> {
        let scenario = ctx.scenario;
        let threat = &world.threats[id];
        let Some(r) = threat.raid else {
            return Ok(());
        };
        let k = threat.member;
        let raid = &scenario.raids[r];
        let ty = &scenario.threat_types[raid.threat_type];
        let p = plan(scenario, r, k, ctx.streams, &mut self.caches[r]).map_err(|source| {
            EngineError::Plan {
                threat: threat.name.clone(),
                source,
            }
        })?;
        let name = threat.name.clone();
        let end_s = p.failure_s.unwrap_or(p.impact_s);
        let end_kind = if p.failure_s.is_some() {
            Milestone::Failure
        } else {
            Milestone::Impact
        };
        let milestones = [
            (p.burnout_s.filter(|b| *b < end_s), Milestone::Burnout),
            (
                p.apogee.map(|a| a.t_s).filter(|a| *a < end_s),
                Milestone::Apogee,
            ),
            (p.dive_s.filter(|d| *d < end_s), Milestone::Dive),
            (Some(end_s), end_kind),
        ];
        for (when, m) in milestones {
            // A milestone past the representable time (a scenario near ±292 years) never comes.
            if let Some(at) = when
                .and_then(SimDuration::from_secs_f64)
                .and_then(|d| t.checked_add(d))
            {
                ctx.queue.schedule(at, Action::Milestone(id, m));
            }
        }
        world.threats[id].plan = Some(p);
        let class = ty.kind.word();
        ctx.emit(
            t,
            EventKind::Launch {
                threat: name,
                threat_type: ty.name.clone(),
                class: class.to_string(),
                site: latlon(&raid.launch_site),
                aim: latlon(&raid.aim.point),
                aim_asset: raid.aim.asset.map(|a| scenario.assets[a].name.clone()),
            },
        );
        ctx.threat_state(world, t, id);
        Ok(())
    }
}

/// Threat `id` reaches milestone `m` at `t`.
pub fn milestone(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, id: ThreatId, m: Milestone) {
    let scenario = ctx.scenario;
    let threat = &world.threats[id];
    let (Some(p), Some(r)) = (threat.plan.as_ref(), threat.raid) else {
        return;
    };
    if threat.killed.is_some() {
        return;
    }
    let s = (t - threat.launch).as_secs_f64();
    let name = threat.name.clone();
    let here = geodetic_at(&p.trajectory, s);
    let raid = &scenario.raids[r];
    let (pos, speed) = here.unwrap_or((raid.launch_site, 0.0));
    let kind = match m {
        Milestone::Burnout => EventKind::Burnout {
            threat: name,
            alt_m: pos.alt_m,
            speed_mps: speed,
        },
        Milestone::Apogee => EventKind::Apogee {
            threat: name,
            alt_m: p.apogee.map_or(pos.alt_m, |a| a.alt_m),
        },
        Milestone::Dive => EventKind::Dive {
            threat: name,
            alt_m: pos.alt_m,
        },
        Milestone::Failure | Milestone::Impact => {
            let (mut max_alt, max_speed) = maxima_until(&p.trajectory, s);
            if let Some(a) = p.apogee.filter(|a| a.t_s <= s) {
                max_alt = max_alt.max(a.alt_m);
            }
            if m == Milestone::Failure {
                EventKind::Failure {
                    threat: name,
                    at: latlon(&pos),
                    alt_m: pos.alt_m,
                    max_alt_m: max_alt,
                    max_speed_mps: max_speed,
                }
            } else {
                EventKind::Impact {
                    threat: name,
                    at: latlon(&pos),
                    miss_m: pos.geodesic_to(&raid.aim.point).distance_m,
                    asset: asset_hit(scenario, &pos).map(|a| scenario.assets[a].name.clone()),
                    speed_mps: speed,
                    max_alt_m: max_alt,
                    max_speed_mps: max_speed,
                }
            }
        }
    };
    let leak = leak(world, scenario, id, &kind);
    if matches!(m, Milestone::Failure | Milestone::Impact) {
        world.threats_left = world.threats_left.saturating_sub(1);
    }
    ctx.emit(t, kind);
    ctx.threat_state(world, t, id);
    if let Some(leak) = leak {
        ctx.emit(t, leak);
    }
}

/// The leak record of threat `id`'s `impact`: when it hit an asset some fire unit defends.
pub(crate) fn leak(
    world: &World,
    scenario: &Scenario,
    id: ThreatId,
    impact: &EventKind,
) -> Option<EventKind> {
    match impact {
        EventKind::Impact {
            threat,
            asset: Some(asset),
            ..
        } if scenario
            .fire_units
            .iter()
            .any(|u| u.defends.iter().any(|&a| scenario.assets[a].name == *asset)) =>
        {
            Some(EventKind::Leak {
                threat: threat.clone(),
                asset: asset.clone(),
                engaged: world.engaged.contains(&id),
            })
        }
        _ => None,
    }
}

/// The asset whose radius contains `p` (the nearest centre if several do).
pub fn asset_hit(scenario: &Scenario, p: &Geodetic) -> Option<usize> {
    scenario
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| (i, p.geodesic_to(&a.position).distance_m, a.radius_m))
        .filter(|(_, d, r)| d <= r)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _, _)| i)
}
