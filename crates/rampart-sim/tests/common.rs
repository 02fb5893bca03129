//! What several test modules share: the shipped scenarios.

use rampart_core::{Geodetic, SimDuration};
use rampart_sim::scenario::{Scenario, load};
use rampart_sim::sensors::detection::Swerling;
use rampart_sim::sensors::radar::{Radar, RadarParams, Sensitivity};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The path of the shipped scenario `scenarios/<stem>.toml`.
pub fn shipped_path(stem: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{stem}.toml"))
}

/// The shipped scenario `scenarios/<stem>.toml`, loaded (its rendered error on failure).
pub fn shipped(stem: &str) -> Scenario {
    load(&shipped_path(stem)).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// `al-asad-2020-defended`, loaded once for the whole test binary.
pub fn defended() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| shipped("al-asad-2020-defended"))
}

/// A notional search radar facing east: 120° sector, 1–200 km, 1.5° beam, 50 m range cells,
/// "detects 1 m² Swerling 1 at 150 km with Pd 0.5".
pub fn test_radar(pfa: f64) -> Radar {
    Radar::new(RadarParams {
        name: "test".into(),
        site: Geodetic::from_degrees(33.8, 42.4, 190.0),
        antenna_height_m: 10.0,
        boresight_rad: 90f64.to_radians(),
        azimuth_span_rad: 120f64.to_radians(),
        elevation_min_rad: 0.0,
        elevation_max_rad: 60f64.to_radians(),
        range_min_m: 1_000.0,
        range_max_m: 200_000.0,
        revisit: SimDuration::from_secs(2),
        track_revisit: SimDuration::from_millis(500),
        first_scan: SimDuration::ZERO,
        range_resolution_m: 50.0,
        beamwidth_rad: 1.5f64.to_radians(),
        range_rate_resolution_mps: 5.0,
        pfa,
        sensitivity: Sensitivity {
            range_m: 150_000.0,
            rcs_m2: 1.0,
            pd: 0.5,
            swerling: Swerling::One,
        },
        range_noise_floor_m: 1.0,
        angle_noise_floor_rad: 1e-4,
        range_rate_noise_floor_mps: 0.5,
        monopulse_slope: 1.6,
        clock: Default::default(),
        range_gate_m: 274.0,
        cued_gain_db: 0.0,
        tracker: Default::default(),
        visual: None,
    })
}
