//! The loader's last pass: warnings about a defense that cannot fight (see
//! [`crate::scenario::warning`]). Each is located at the table or key it is about.
//!
//! Coverage is judged on each raid's nominal flight (the undisplaced aim, no failure), sampled
//! every [`SAMPLE_S`] seconds, against each radar's searched volume and horizon
//! ([`Radar::covers`]): geometry only, not the detection probability.

use super::{Ctx, RawFile};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Flight, FlightOptions};
use crate::physics::trajectory::Trajectory;
use crate::scenario::model::{Scenario, ThreatKind};
use crate::scenario::warning::{ScenarioWarning, WarningKind};
use crate::sensors::radar::Radar;
use crate::threats::{airbreather, ballistic};
use rampart_core::{Coordinate, Ecef};
use std::ops::Range;

/// Spacing of the samples of a nominal flight, s.
const SAMPLE_S: f64 = 1.0;

impl Ctx<'_> {
    /// Every warning about `sc`, read from `raw`, in file order of the tables they are about.
    pub(super) fn warnings(&self, sc: &Scenario, raw: &RawFile) -> Vec<ScenarioWarning> {
        let mut out = Vec::new();
        let mut warn = |kind: WarningKind, span: Range<usize>, message: String, help: &str| {
            let e = self
                .error(span, message)
                .with_label(kind.code())
                .with_help(help)
                .as_warning();
            let (line, column) = e.line_col().unwrap_or((1, 1));
            out.push(ScenarioWarning {
                kind,
                message: e.message().to_string(),
                file: self.file.to_string(),
                line,
                column,
                rendered: e.render(),
            });
        };

        // Raids: nominal flights, and whether each ends before the scenario does.
        let paths: Vec<Option<Trajectory>> = sc.raids.iter().map(|r| nominal(sc, r)).collect();
        for ((i, raid), path) in sc.raids.iter().enumerate().zip(&paths) {
            let Some(path) = path else { continue };
            let last_launch_s = raid.first_launch.as_secs_f64()
                + f64::from(raid.count.saturating_sub(1)) * raid.interval.as_secs_f64();
            let arrival_s = last_launch_s + (path.end() - path.start());
            if arrival_s > sc.duration.as_secs_f64() {
                warn(
                    WarningKind::RaidEndsAfterScenario,
                    raw.raid[i].span(),
                    format!(
                        "[[raid]] #{}: its last threat would reach its aim point {:.0} s after the epoch, after the scenario ends at {:.0} s",
                        i + 1,
                        arrival_s,
                        sc.duration.as_secs_f64()
                    ),
                    "lengthen `duration` in [scenario], or launch earlier; threats still flying at the end are reported `in_flight`",
                );
            }
        }

        // Radars: which raids' nominal flights each covers.
        let radars: Vec<Radar> = sc.radars.iter().cloned().map(Radar::new).collect();
        let sees: Vec<bool> = radars
            .iter()
            .map(|radar| paths.iter().flatten().any(|p| covered(radar, p)))
            .collect();
        for (i, seen) in sees.iter().enumerate() {
            let name_span = raw.radar[i]
                .get_ref()
                .name
                .as_ref()
                .map_or(raw.radar[i].span(), |n| n.span());
            if !seen && !paths.iter().all(Option::is_none) {
                warn(
                    WarningKind::RadarSeesNoThreat,
                    name_span,
                    format!(
                        "radar `{}` never sees any threat: no raid's nominal flight passes through its searched volume above its horizon",
                        sc.radars[i].name
                    ),
                    "check its position, `range_max`, `boresight`, `azimuth_span` and elevations",
                );
            }
        }

        // Interceptor types no launcher fires.
        let mut types: Vec<_> = raw.interceptor_type.keys().collect();
        types.sort_by_key(|n| n.span().start);
        for (k, name) in types.into_iter().enumerate() {
            let used = sc
                .fire_units
                .iter()
                .flat_map(|u| &u.launchers)
                .any(|l| l.interceptor == k);
            if !used {
                warn(
                    WarningKind::UnusedInterceptorType,
                    name.span(),
                    format!(
                        "interceptor type `{}` is fired by no fire unit's launchers",
                        name.get_ref()
                    ),
                    "name it in a [[fire_unit.launchers]] table's `interceptor`, or remove it",
                );
            }
        }

        // Fire units that can never engage.
        for (i, unit) in sc.fire_units.iter().enumerate() {
            if !sees[unit.radar] && !paths.iter().all(Option::is_none) {
                let span = raw.fire_unit[i]
                    .get_ref()
                    .radar
                    .as_ref()
                    .map_or(raw.fire_unit[i].span(), |r| r.span());
                warn(
                    WarningKind::FireUnitSeesNoThreat,
                    span,
                    format!(
                        "fire unit `{}` can never engage: its radar `{}` covers no point of any threat's nominal flight",
                        unit.name, sc.radars[unit.radar].name
                    ),
                    "move the radar or its launchers nearer the threat, or widen its coverage",
                );
            }
        }

        // Assets left undefended, when the scenario describes a defense at all.
        let has_defense = !sc.fire_units.is_empty() || !sc.interceptor_types.is_empty();
        if has_defense {
            for (i, asset) in sc.assets.iter().enumerate() {
                if !sc.fire_units.iter().any(|u| u.defends.contains(&i)) {
                    let span = raw.asset[i]
                        .get_ref()
                        .name
                        .as_ref()
                        .map_or(raw.asset[i].span(), |n| n.span());
                    warn(
                        WarningKind::UndefendedAsset,
                        span,
                        format!("asset `{}` is defended by no fire unit", asset.name),
                        "add it to a fire unit's `defends`, or leave `defends` out to defend every asset",
                    );
                }
            }
        }
        out.sort_by_key(|w| (w.line, w.column));
        out
    }
}

/// The nominal flight of `raid`'s undisplaced threat, or `None` when it cannot be flown.
fn nominal(sc: &Scenario, raid: &crate::scenario::model::Raid) -> Option<Trajectory> {
    let flight: Flight = match &sc.threat_types[raid.threat_type].kind {
        ThreatKind::Ballistic(b) => {
            let aim = raid.ballistic_aim.as_ref()?;
            match &aim.flights {
                // Flown already when the launch was solved.
                Some(f) => f.nominal.clone(),
                None => ballistic::fly_missile(
                    &EarthModel::wgs84(),
                    b,
                    &raid.launch_site,
                    aim.warm_start.controls,
                    raid.aim.point.alt_m,
                    &FlightOptions::default(),
                )
                .ok()?,
            }
        }
        ThreatKind::AirBreathing(a) => {
            airbreather::fly_route(a, &raid.launch_site, &raid.waypoints, &raid.aim.point)
                .ok()?
                .flight
        }
        ThreatKind::Projectile(p) => crate::threats::projectile::fly_projectile(
            &EarthModel::wgs84(),
            p,
            &raid.launch_site,
            raid.fire_solution?.laying,
            raid.aim.point.alt_m,
        )
        .ok()?,
    };
    Some(flight.trajectory)
}

/// Whether `radar` covers any sample of `path`.
fn covered(radar: &Radar, path: &Trajectory) -> bool {
    let (t0, t1) = (path.start(), path.end());
    let n = ((t1 - t0) / SAMPLE_S).ceil().clamp(1.0, 1e6) as usize;
    (0..=n).any(|k| {
        let t = (t0 + k as f64 * SAMPLE_S).min(t1);
        path.state_at(t)
            .is_some_and(|(p, _)| radar.covers(&Coordinate::<Ecef>::from_vector3(p)).is_some())
    })
}
