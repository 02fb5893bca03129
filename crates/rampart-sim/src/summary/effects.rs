//! The expected effect of a run's impacts on the assets' people and aircraft, folded into the
//! summary at its end (see [`crate::passive`]).

use super::{AssetSummary, Totals};
use crate::events::LatLon;
use crate::passive::{Effects, Impact, WarningMode, asset_effects};
use crate::scenario::Scenario;

/// The expected effect of `impacts` on each asset's people and aircraft (those that count
/// either), and their totals.
pub(super) fn effects(
    scenario: &Scenario,
    assets: &mut [AssetSummary],
    impacts: &[(f64, LatLon, Option<usize>)],
    totals: &mut Totals,
) {
    let p = &scenario.passive;
    let removed = (p.warning == WarningMode::Strategic).then_some((p.evacuate, p.disperse));
    let mut total: Option<Effects> = None;
    for (summary, asset) in assets.iter_mut().zip(&scenario.assets) {
        if asset.personnel.is_none() && asset.aircraft.is_none() {
            continue;
        }
        let near: Vec<Impact> = impacts
            .iter()
            .filter_map(|&(t, at, ty)| {
                let point = rampart_core::Geodetic::from_degrees(at.lat, at.lon, 0.0);
                let ground = rampart_core::Geodetic::from_degrees(
                    asset.position.lat_deg(),
                    asset.position.lon_deg(),
                    0.0,
                );
                let line = ground.geodesic_to(&point);
                Some(Impact {
                    t,
                    east_m: line.distance_m * line.azimuth1_rad.sin(),
                    north_m: line.distance_m * line.azimuth1_rad.cos(),
                    warhead: scenario.threat_types.get(ty?)?.warhead,
                })
            })
            .collect();
        let e = asset_effects(
            asset.radius_m,
            asset.personnel.as_ref(),
            asset.aircraft.as_ref(),
            &p.protection,
            summary.alarm_t,
            removed,
            &near,
        );
        summary.effects = Some(e);
        total = Some(total.unwrap_or_default().plus(e));
    }
    if let Some(t) = total {
        totals.killed = Some(t.killed);
        totals.injured = Some(t.injured);
        totals.aircraft_destroyed = Some(t.aircraft_destroyed);
    }
}
