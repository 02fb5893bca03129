//! Speed of one radar scan over 1,000 targets in its sector.
//!
//! `cargo bench -p rampart-sim --bench sensors`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rampart_core::random::RandomStreams;
use rampart_core::{Geodetic, SimDuration, SimTime};
use rampart_sim::sensors::ScanOutput;
use rampart_sim::sensors::detection::Swerling;
use rampart_sim::sensors::radar::{Radar, RadarParams, Sensitivity, TargetView};
use rampart_sim::world::{ThreatId, Truth};
use std::hint::black_box;

fn scan(c: &mut Criterion) {
    let radar = Radar::new(RadarParams {
        name: "bench".into(),
        site: Geodetic::from_degrees(33.8, 42.5, 190.0),
        antenna_height_m: 5.0,
        boresight_rad: 75f64.to_radians(),
        azimuth_span_rad: 120f64.to_radians(),
        elevation_min_rad: 0.0,
        elevation_max_rad: 60f64.to_radians(),
        range_min_m: 3_000.0,
        range_max_m: 170_000.0,
        revisit: SimDuration::from_secs(2),
        track_revisit: SimDuration::from_millis(500),
        first_scan: SimDuration::ZERO,
        range_resolution_m: 50.0,
        beamwidth_rad: 1.5f64.to_radians(),
        range_rate_resolution_mps: 5.0,
        pfa: 1e-6,
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
    });
    // 1,000 targets spread over the sector: 20-160 km, ±55° off boresight, 1-30° elevation,
    // a mix of Swerling cases and RCS from 0.01 to 10 m².
    let f = radar.antenna().local_frame();
    let targets: Vec<TargetView> = (0..1000)
        .map(|i| {
            let x = i as f64 / 1000.0;
            let az = (75.0 + (x * 7.0).fract() * 110.0 - 55.0f64).to_radians();
            let el = (1.0 + (x * 13.0).fract() * 29.0f64).to_radians();
            let range = 20_000.0 + (x * 3.0).fract() * 140_000.0;
            let dir = f.direction(az, el);
            TargetView {
                truth: Truth::Threat(ThreatId::from_index(i)),
                position: f.origin_ecef() + dir * range,
                velocity: dir * -1_500.0,
                rcs_m2: 10f64.powf(-2.0 + 3.0 * (x * 5.0).fract()),
                swerling: [Swerling::Zero, Swerling::One, Swerling::Three][i % 3],
                plume: false,
                cued: false,
            }
        })
        .collect();
    let streams = RandomStreams::new(1, 0);
    let mut out = ScanOutput::default();
    let mut rng = streams.stream("radar/bench", "scan/0");
    radar.scan(SimTime::EPOCH, targets.iter().copied(), &mut rng, &mut out);
    let detected = out.truth.iter().filter(|t| t.is_some()).count();
    eprintln!(
        "one scan: {detected} of 1,000 targets detected, {} false alarms",
        out.detections.len() - detected
    );
    let mut g = c.benchmark_group("radar scan");
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("1,000 targets in sector (targets per second)", |b| {
        b.iter(|| {
            out.clear();
            radar.scan(
                SimTime::EPOCH,
                black_box(&targets).iter().copied(),
                &mut rng,
                &mut out,
            );
            out.detections.len()
        })
    });
    g.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
