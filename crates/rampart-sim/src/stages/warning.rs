//! The warning chain: an asset is warned when the defense first knows that a threat endangers
//! it — a radar's track whose evaluation predicts, with probability at least
//! [`WARNING_P_HIT`], that it will strike the asset, or an early-warning launch cue whose
//! heading points at the asset — or, with `[passive_defense] warning = "strategic"`, by the
//! scenario's strategic warning before the raid. The alarm sounds at the asset after its
//! dissemination delay (`alarm_delay` plus a uniform draw on [0, `alarm_delay_spread`]). Each
//! (asset, sensor, track) warns once; the `warning` event records when the defense knew (its
//! time), when the alarm sounded (`alarm_t`) and the time left then. With `warning = "none"` no
//! alarm sounds. What the alarm does for the people at the asset is [`crate::passive`]'s.

use super::{Ctx, truth_near};
use crate::bmc::evaluation::{Evaluation, evaluate_after};
use crate::events::{EventKind, LatLon};
use crate::passive::WarningMode;
use crate::world::{SensorId, World};
use nalgebra::Vector3;
use rampart_core::Geodetic;
use rampart_core::SimTime;
use rand::RngExt;

/// The probability of striking an asset at which a track's evaluation sounds its alarm.
pub const WARNING_P_HIT: f64 = 0.5;

/// How many standard deviations of a launch cue's heading it takes to warn an asset: an asset
/// within this many of the reported heading (plus its own angular half-width from the launch
/// point) is warned.
pub const CUE_HEADING_SIGMAS: f64 = 3.0;

/// The dissemination delay of a warning to asset `a` from `source`'s track `track`, s: the
/// asset's fixed delay plus a uniform draw on its spread, from the stream of that asset,
/// sensor and track number (so variants of a scenario whose tracks are numbered alike — the
/// warning settings, say — draw the same delays).
fn delay(ctx: &Ctx<'_, '_>, a: usize, source: &str, track: u64) -> f64 {
    let asset = &ctx.scenario.assets[a];
    if asset.alarm_delay_spread_s <= 0.0 {
        return asset.alarm_delay_s;
    }
    let mut rng = ctx.streams.stream(
        &format!("alarm/{}", asset.name),
        &format!("{source}/{track}"),
    );
    asset.alarm_delay_s + rng.random::<f64>() * asset.alarm_delay_spread_s
}

/// Whether tactical alarms sound.
fn tactical(ctx: &Ctx<'_, '_>) -> bool {
    ctx.scenario.passive.warning != WarningMode::None
}

/// After `radar`'s track `track` (at `r`, ECEF, now) was evaluated as `e` at `t`.
pub fn after_evaluation(
    world: &mut World,
    ctx: &mut Ctx<'_, '_>,
    t: SimTime,
    radar: &str,
    track: u64,
    r: &Vector3<f64>,
    e: &Evaluation,
) {
    if !tactical(ctx) {
        return;
    }
    for (a, &p) in e.p_hit.iter().enumerate() {
        if p < WARNING_P_HIT || !world.alarms.insert((a, radar.to_string(), track)) {
            continue;
        }
        let truth = truth_near(world, t, r);
        let d = delay(ctx, a, radar, track);
        let time_to_impact_s = e.t_hit_s[a] - t.as_secs_f64();
        ctx.emit(
            t,
            EventKind::Warning {
                asset: ctx.scenario.assets[a].name.clone(),
                radar: Some(radar.to_string()),
                track: Some(track),
                class: Some(e.class.word().to_string()),
                p_hit: Some(p),
                time_to_impact_s: Some(time_to_impact_s),
                alarm_t: t.as_secs_f64() + d,
                warning_time_s: Some(time_to_impact_s - d),
                truth,
            },
        );
    }
}

/// After a scan of sensor `s` at `t`, when it is a radar that neither a fire unit nor a gun
/// uses (their stages evaluate their radars' tracks): its updated tracks are evaluated (their
/// classes carried from scan to scan; each at most every 5 s of its estimate's time, as battle
/// management does) for the alarms alone, so a radar standing on its own warns the assets too.
pub fn after_scan(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, s: SensorId) {
    let scenario = ctx.scenario;
    if !tactical(ctx)
        || s.index() >= scenario.radars.len()
        || scenario.fire_units.iter().any(|u| u.radar == s.index())
        || scenario.guns.iter().any(|g| g.radar == s.index())
    {
        return;
    }
    let frame = *world.sensors[s].tracker.frame();
    let tracks = world.sensors[s].tracker.confirmed();
    let radar = &scenario.radars[s.index()].name;
    // The defense's own interceptors sound no alarm (as battle management leaves their tracks).
    let own = super::battle::own_missiles(world, t.as_secs_f64());
    for tr in tracks.iter().filter(|tr| tr.updated) {
        // Re-evaluated as the track updates, at most every REEVALUATION_S (as battle
        // management does).
        if world
            .alarm_evaluated
            .get(&(s, tr.id))
            .is_some_and(|&e| tr.t_s - e < super::battle::REEVALUATION_S)
        {
            continue;
        }
        let (r, _) = tr.ecef_at(&frame, tr.t_s);
        if own
            .iter()
            .any(|m| (m - r).norm() < super::battle::OWN_MISSILE_M)
        {
            continue;
        }
        let previous = world.track_classes.get(&(s, tr.id)).copied();
        let e = evaluate_after(tr, &frame, scenario, previous);
        world.track_classes.insert((s, tr.id), e.class);
        world.alarm_evaluated.insert((s, tr.id), tr.t_s);
        after_evaluation(world, ctx, t, radar, tr.id, &r, &e);
    }
    let kept = |(r, id): &(SensorId, u64)| *r != s || tracks.iter().any(|t| t.id == *id);
    world.track_classes.retain(|k, _| kept(k));
    world.alarm_evaluated.retain(|k, _| kept(k));
}

/// A launch cue as the node received it.
#[derive(Debug)]
pub struct Cue<'e> {
    /// The early-warning sensor.
    pub sensor: &'e str,
    /// Its track.
    pub track: u64,
    /// The reported launch point.
    pub launch_point: LatLon,
    /// The reported heading, degrees clockwise from north.
    pub heading_deg: f64,
    /// Its standard deviation, degrees.
    pub heading_sigma_deg: f64,
    /// The threat (truth, for scoring only).
    pub truth: Option<&'e str>,
}

/// After the node received launch cue `cue` at `t`: warns each asset that lies within
/// [`CUE_HEADING_SIGMAS`] of the reported heading from the reported launch point.
pub fn after_cue(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, cue: &Cue<'_>) {
    if !tactical(ctx) {
        return;
    }
    let site = Geodetic::from_degrees(cue.launch_point.lat, cue.launch_point.lon, 0.0);
    for (a, asset) in ctx.scenario.assets.iter().enumerate() {
        let g = site.geodesic_to(&asset.position);
        let half_width = (asset.radius_m / g.distance_m.max(1.0)).atan().to_degrees();
        let off = (g.azimuth1_rad.to_degrees() - cue.heading_deg + 540.0).rem_euclid(360.0) - 180.0;
        if off.abs() > CUE_HEADING_SIGMAS * cue.heading_sigma_deg + half_width
            || !world.alarms.insert((a, cue.sensor.to_string(), cue.track))
        {
            continue;
        }
        let d = delay(ctx, a, cue.sensor, cue.track);
        ctx.emit(
            t,
            EventKind::Warning {
                asset: asset.name.clone(),
                radar: Some(cue.sensor.to_string()),
                track: Some(cue.track),
                class: Some("ballistic".to_string()),
                p_hit: None,
                time_to_impact_s: None,
                alarm_t: t.as_secs_f64() + d,
                warning_time_s: None,
                truth: cue.truth.map(str::to_string),
            },
        );
    }
}

/// The strategic warning, at the start of a run with `warning = "strategic"`: one `warning`
/// event per asset, the alarm `strategic_lead` before the epoch.
pub fn strategic(ctx: &mut Ctx<'_, '_>) {
    let p = &ctx.scenario.passive;
    if p.warning != WarningMode::Strategic {
        return;
    }
    for asset in &ctx.scenario.assets {
        ctx.emit(
            SimTime::EPOCH,
            EventKind::Warning {
                asset: asset.name.clone(),
                radar: None,
                track: None,
                class: None,
                p_hit: None,
                time_to_impact_s: None,
                alarm_t: -p.strategic_lead_s,
                warning_time_s: None,
                truth: None,
            },
        );
    }
}
