//! Local warning: the alarm sounds at an asset when a radar's track first predicts, with
//! probability at least [`WARNING_P_HIT`], that the threat will strike it — the capability a
//! counter-RAM radar is mostly known for, seconds before a rocket or mortar round lands. Each
//! (asset, radar, track) sounds once; the `warning` event records the predicted time left to
//! impact, and the summary the true warning time (impact less alarm). The alarm sounds when
//! the evaluation is made; the delay of passing it on is not modelled.

use super::{Ctx, truth_near};
use crate::bmc::evaluation::Evaluation;
use crate::events::EventKind;
use crate::world::World;
use nalgebra::Vector3;
use rampart_core::SimTime;

/// The probability of striking an asset at which a track's evaluation sounds its alarm.
pub const WARNING_P_HIT: f64 = 0.5;

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
    for (a, &p) in e.p_hit.iter().enumerate() {
        if p < WARNING_P_HIT || !world.alarms.insert((a, radar.to_string(), track)) {
            continue;
        }
        let truth = truth_near(world, t, r);
        ctx.emit(
            t,
            EventKind::Warning {
                asset: ctx.scenario.assets[a].name.clone(),
                radar: radar.to_string(),
                track,
                class: e.class.word().to_string(),
                p_hit: p,
                time_to_impact_s: e.t_hit_s[a] - t.as_secs_f64(),
                truth,
            },
        );
    }
}
