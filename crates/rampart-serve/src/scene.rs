//! What the display draws before any event: the scenario's assets, sensors, launchers, guns
//! and launch sites, the colours and symbols, and each sensor's tracking frame (a radar's
//! `track_update` is in east-north-up metres at its antenna).

use rampart_core::Geodetic;
use rampart_sim::engine::{Engine, RunOptions};
use rampart_sim::scenario::Scenario;
use rampart_sim::sensors::horizon;
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
    /// `live` or `replay`.
    pub fn word(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Replay => "replay",
        }
    }
}

fn point(g: &Geodetic) -> Value {
    json!({"lat": g.lat_deg(), "lon": g.lon_deg(), "alt_m": g.alt_m})
}

/// The height above a radar's ground of the low flier whose horizon the map draws, m.
pub const LOW_FLIER_M: f64 = 100.0;

/// How far a radar sees a target [`LOW_FLIER_M`] above its site's ground over the smooth 4/3
/// Earth of its model ([`horizon`]: both heights above the ellipsoid, the antenna's included),
/// when that is short of its range; none for a visual observer, whose horizon the model does
/// not apply, or when the horizon lies beyond the range.
fn low_flier_horizon_m(r: &rampart_sim::sensors::radar::RadarParams) -> Option<f64> {
    let earth = horizon::gaussian_radius_m(r.site.lat_rad);
    let d = horizon::horizon_distance_m(
        r.site.alt_m + r.antenna_height_m,
        earth,
        horizon::K_STANDARD,
    ) + horizon::horizon_distance_m(r.site.alt_m + LOW_FLIER_M, earth, horizon::K_STANDARD);
    (r.visual.is_none() && d < r.range_max_m).then_some(d)
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
                "horizon_m": low_flier_horizon_m(r),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn defended() -> Scenario {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scenarios/al-asad-2020-defended.toml"
        );
        rampart_sim::scenario::load(std::path::Path::new(path)).expect("loads")
    }

    #[test]
    fn places_what_the_scenario_places() {
        let sc = defended();
        let v = scene(&sc, Mode::Live, "t", &json!({}));
        assert_eq!(v["mode"], "live");
        assert_eq!(v["assets"].as_array().map(Vec::len), Some(sc.assets.len()));
        for r in &sc.radars {
            // A radar's tracks are in east-north-up metres at its antenna.
            let f = &v["frames"][&r.name];
            let up = f["alt_m"].as_f64().expect("height");
            assert!(
                (up - (r.site.alt_m + r.antenna_height_m)).abs() < 1e-6,
                "{f}"
            );
            assert!((f["lat"].as_f64().expect("lat") - r.site.lat_deg()).abs() < 1e-12);
        }
        let launchers: usize = sc.fire_units.iter().map(|u| u.launchers.len()).sum();
        assert_eq!(v["launchers"].as_array().map(Vec::len), Some(launchers));
        assert_eq!(
            v["launchers"][0]["name"],
            format!("{}/L1", sc.fire_units[0].name)
        );
    }

    #[test]
    fn a_low_fliers_horizon_is_the_sum_of_two_horizons_over_the_4_3_earth() {
        let sc = defended();
        let v = scene(&sc, Mode::Live, "t", &json!({}));
        for (r, j) in sc
            .radars
            .iter()
            .zip(v["radars"].as_array().expect("radars"))
        {
            // Skolnik 2001, §8.2: d = kR·acos(kR/(kR + h)) for each end, k = 4/3.
            let kr = 4.0 / 3.0 * horizon::gaussian_radius_m(r.site.lat_rad);
            let d = |h: f64| kr * (kr / (kr + h)).acos();
            let want = d(r.site.alt_m + r.antenna_height_m) + d(r.site.alt_m + LOW_FLIER_M);
            let got = j["horizon_m"]
                .as_f64()
                .expect("a horizon short of the range");
            assert!((got - want).abs() < 0.5, "{}: {got} against {want}", r.name);
            assert!(got < r.range_max_m);
        }
    }
}
