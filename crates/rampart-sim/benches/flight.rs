//! Speed of the flight physics and of a whole undefended raid.
//!
//! `cargo bench -p rampart-sim --bench flight`

use criterion::{Criterion, criterion_group, criterion_main};
use rampart_core::Geodetic;
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::physics::atmosphere;
use rampart_sim::physics::earth::EarthModel;
use rampart_sim::physics::flight::FlightOptions;
use rampart_sim::scenario::{Scenario, ThreatKind, load};
use rampart_sim::threats::ballistic::{LaunchControls, envelope, fly_missile, impact_point};
use std::hint::black_box;
use std::path::Path;

fn shipped_scenario() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/al-asad-2020.toml");
    load(&path).expect("shipped scenario loads")
}

fn one_flight(c: &mut Criterion) {
    // The shipped Fateh-313 type (maximum range about 520 km).
    let scenario = shipped_scenario();
    let Some(ThreatKind::Ballistic(ty)) = scenario
        .threat_types
        .iter()
        .map(|t| &t.kind)
        .find(|k| matches!(k, ThreatKind::Ballistic(_)))
        .cloned()
    else {
        panic!("the shipped scenario has a ballistic type")
    };
    let earth = EarthModel::wgs84();
    let site = Geodetic::from_degrees(34.4, 46.95, 1350.0);
    let opts = FlightOptions::default();
    // Full burn at the range-optimal flight-path angle: about 520 km.
    let azimuth_rad = 260f64.to_radians();
    let env = envelope(&earth, &ty, &site, azimuth_rad, 0.0, &opts).expect("envelope");
    let ctl = LaunchControls {
        azimuth_rad,
        path_angle_rad: env.best_path_angle_rad,
        cutoff_s: 32.0,
    };
    let f = fly_missile(&earth, &ty, &site, ctl, 0.0, &opts).expect("flight");
    let range_km = site
        .geodesic_to(&impact_point(&f).expect("impact"))
        .distance_m
        / 1e3;
    eprintln!(
        "benchmark flight: {range_km:.0} km, {} samples",
        f.trajectory.samples().len()
    );
    c.bench_function("ballistic flight ~500 km, launch to impact", |b| {
        b.iter(|| fly_missile(&earth, &ty, black_box(&site), black_box(ctl), 0.0, &opts))
    });
}

fn al_asad(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/al-asad-2020.toml");
    let scenario = shipped_scenario();
    let mut g = c.benchmark_group("al-asad-2020 undefended");
    g.sample_size(20);
    g.bench_function("run (15 missiles, aimed and flown)", |b| {
        b.iter(|| run(black_box(&scenario), RunOptions::seed(scenario.seed)))
    });
    g.bench_function("load and validate (range envelopes)", |b| {
        b.iter(|| load(black_box(&path)))
    });
    g.finish();
}

/// One evaluation of the standard atmosphere: the lower layers, and the upper table where
/// coasting threats spend most of their calls (altitudes spread so no branch is predicted).
fn atmosphere_call(c: &mut Criterion) {
    let mut g = c.benchmark_group("atmosphere, one call");
    for (name, lo, hi) in [("0-86 km", 0.0, 86_000.0), ("86-1000 km", 86_000.0, 1e6)] {
        let alts: Vec<f64> = (0..1024)
            .map(|k| lo + (hi - lo) * ((k * 619) % 1024) as f64 / 1024.0)
            .collect();
        g.bench_function(format!("air, {name}"), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) & 1023;
                atmosphere::air(black_box(alts[k]))
            })
        });
        g.bench_function(format!("air_fast, {name}"), |b| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) & 1023;
                atmosphere::air_fast(black_box(alts[k]))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, one_flight, al_asad, atmosphere_call);
criterion_main!(benches);
