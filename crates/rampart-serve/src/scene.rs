//! What the display draws before any event: the scenario's assets, sensors, launchers, guns
//! and launch sites, the colours and symbols, and each sensor's tracking frame (a radar's
//! `track_update` is in east-north-up metres at its antenna).

use rampart_core::Geodetic;
use rampart_sim::engine::{Engine, RunOptions};
use rampart_sim::scenario::Scenario;
use serde_json::{Value, json};

/// Whether the display runs the scenario or replays a finished run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A run paced to the wall clock.
    Live,
    /// A finished run's events.
    Replay,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Replay => "replay",
        }
    }
}

fn point(g: &Geodetic) -> Value {
    json!({"lat": g.lat_deg(), "lon": g.lon_deg(), "alt_m": g.alt_m})
}

/// The scene of `scenario` as JSON. `style` holds the colours and symbols (the report's, so
/// that the two pictures read alike); `title` names what is shown.
pub fn scene(scenario: &Scenario, mode: Mode, title: &str, style: &Value) -> Value {
    // The engine places every sensor and its tracker; building one runs nothing.
    let engine = Engine::new(scenario, RunOptions::seed(scenario.seed));
    let frames: serde_json::Map<String, Value> = engine
        .world()
        .sensors
        .values()
        .map(|s| {
            (
                s.sensor.name().to_owned(),
                point(&s.tracker.frame().origin()),
            )
        })
        .collect();
    let radars: Vec<Value> = scenario
        .radars
        .iter()
        .map(|r| {
            json!({
                "name": r.name,
                "site": point(&r.site),
                "boresight_deg": r.boresight_rad.to_degrees(),
                "span_deg": r.azimuth_span_rad.to_degrees(),
                "range_m": r.range_max_m,
                "observer": r.visual.is_some(),
            })
        })
        .collect();
    let launchers: Vec<Value> = scenario
        .fire_units
        .iter()
        .flat_map(|u| {
            u.launchers.iter().enumerate().map(|(k, l)| {
                json!({"name": format!("{}/L{}", u.name, k + 1), "fire_unit": u.name,
                       "site": point(&l.position)})
            })
        })
        .collect();
    let mut sites: Vec<(String, Geodetic)> = Vec::new();
    for (i, r) in scenario.raids.iter().enumerate() {
        let same = |g: &Geodetic| {
            (g.lat_rad - r.launch_site.lat_rad).abs() < 1e-9
                && (g.lon_rad - r.launch_site.lon_rad).abs() < 1e-9
        };
        match sites.iter_mut().find(|(_, g)| same(g)) {
            Some((name, _)) => name.push_str(&format!(", {}", i + 1)),
            None => sites.push((format!("Raid {}", i + 1), r.launch_site)),
        }
    }
    json!({
        "title": title,
        "mode": mode.word(),
        "scenario": scenario.name,
        "epoch": scenario.epoch,
        "duration_s": scenario.duration.as_secs_f64(),
        "assets": scenario.assets.iter().map(|a| json!({
            "name": a.name, "site": point(&a.position), "radius_m": a.radius_m,
        })).collect::<Vec<_>>(),
        "radars": radars,
        "frames": frames,
        "launchers": launchers,
        "guns": scenario.guns.iter().map(|g| json!({
            "name": g.name, "site": point(&g.position),
        })).collect::<Vec<_>>(),
        "sites": sites.iter().map(|(name, g)| {
            let name = if name.contains(',') { name.replacen("Raid", "Raids", 1) } else { name.clone() };
            json!({"name": name, "site": point(g)})
        }).collect::<Vec<_>>(),
        "threat_types": scenario.threat_types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "interceptor_types": scenario.interceptor_types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "style": style,
    })
}
