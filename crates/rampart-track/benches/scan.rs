//! Tracker cost per scan against the number of targets: nearly-constant-velocity targets in
//! 3-D, Pd 0.9, as many clutter points per scan as targets, GNN and JPDA, steady state, in
//! two geometries at the same density of targets and clutter: flat (a layer 9 km deep over a
//! square that grows with the number of targets; `Gnn/1000`) and tall (a cube whose side
//! grows as n^(1/3), so targets spread in height as much as across; `Gnn-tall/1000`).
//!
//! `cargo bench -p rampart-track --bench scan` (`-- tall` for the tall cases only)

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use nalgebra::{SMatrix, SVector, Vector3};
use rampart_track::filter::KalmanFilter;
use rampart_track::models::measurement::{LinearPosition, position_indices, velocity_indices};
use rampart_track::models::transition::ConstantVelocity;
use rampart_track::predictor::KalmanPredictor;
use rampart_track::tracker::{Association, Initiation, StateLayout, Tracker, TrackerParams};
use rampart_track::types::Gaussian;
use rampart_track::updater::KalmanUpdater;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Poisson, StandardNormal};
use std::hint::black_box;

type Cv = Tracker<
    6,
    3,
    KalmanFilter<KalmanPredictor<ConstantVelocity>, KalmanUpdater<LinearPosition<6>>>,
    LinearPosition<6>,
>;

/// The volume the targets fly in.
#[derive(Clone, Copy, Debug)]
enum Geometry {
    /// Between 1 and 10 km up, over a square whose area grows with n (200 km a side at 1,000
    /// targets).
    Flat,
    /// A cube of the same volume per target (3.6·10¹¹ m³, 71 km a side at 1,000 targets,
    /// 153 km at 10,000): as much spread in height as across.
    Tall,
}

/// `scans` scans of `n` targets (200–300 m/s, level flight, spread over `geometry` at a
/// density of targets and clutter that does not depend on n) with Pd 0.9, σ = 50 m and
/// Poisson(n) clutter over the volume widened by 5 km across (flat: 0–11 km up; tall: 5 km
/// below and above too).
/// Returns the scans and the clutter density (m⁻³).
fn scene(n: usize, scans: usize, geometry: Geometry) -> (Vec<Vec<SVector<f64, 3>>>, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
    // The targets' heights, and the clutter's (the flat case's as before the tall one existed).
    let (side, floor, ceiling, low, high) = match geometry {
        Geometry::Flat => (
            6_325.0 * (n as f64).sqrt(),
            1_000.0,
            10_000.0,
            0.0,
            11_000.0,
        ),
        Geometry::Tall => {
            let side = (6_325.0f64.powi(2) * 9_000.0 * n as f64).cbrt();
            (side, 0.0, side, -5_000.0, side + 5_000.0)
        }
    };
    let box_volume = (side + 10_000.0).powi(2) * (high - low);
    let starts: Vec<(Vector3<f64>, Vector3<f64>)> = (0..n)
        .map(|_| {
            let p = Vector3::new(
                rng.random_range(0.0..side),
                rng.random_range(0.0..side),
                rng.random_range(floor..ceiling),
            );
            let h: f64 = rng.random_range(0.0..std::f64::consts::TAU);
            let s = rng.random_range(200.0..300.0);
            (p, Vector3::new(s * h.cos(), s * h.sin(), 0.0))
        })
        .collect();
    let clutter = Poisson::new(n as f64).expect("positive mean");
    let out = (0..scans)
        .map(|k| {
            let t = k as f64;
            let mut z = Vec::with_capacity(2 * n);
            for (p, v) in &starts {
                if rng.random::<f64>() < 0.9 {
                    let p = p + v * t;
                    let mut e = || -> f64 { StandardNormal.sample(&mut rng) };
                    z.push(SVector::<f64, 3>::new(
                        p.x + 50.0 * e(),
                        p.y + 50.0 * e(),
                        p.z + 50.0 * e(),
                    ));
                }
            }
            let nc: f64 = clutter.sample(&mut rng);
            for _ in 0..nc as usize {
                z.push(SVector::<f64, 3>::new(
                    rng.random_range(-5_000.0..side + 5_000.0),
                    rng.random_range(-5_000.0..side + 5_000.0),
                    rng.random_range(low..high),
                ));
            }
            z
        })
        .collect();
    (out, n as f64 / box_volume)
}

fn tracker(association: Association, clutter_density: f64) -> Cv {
    let m = LinearPosition::<6>::new([50.0; 3]);
    let cfg = TrackerParams {
        pd: 0.9,
        clutter_density,
        gate_probability: 0.999,
        association,
        m: 3,
        n: 3,
        max_misses: 3,
        max_position_variance_m2: 1e8,
        initiation: Initiation::OnePoint {
            velocity_sigma: 300.0,
        },
    };
    let layout = StateLayout {
        position: position_indices::<6>(),
        velocity: velocity_indices::<6>(),
    };
    Tracker::new(
        KalmanFilter::new(
            KalmanPredictor::new(ConstantVelocity::new(1.0)),
            KalmanUpdater::new(m),
        ),
        m,
        cfg,
        layout,
        Gaussian::new(SVector::zeros(), SMatrix::zeros()),
    )
}

fn per_scan(c: &mut Criterion) {
    let mut g = c.benchmark_group("tracker scan");
    g.sample_size(10);
    let cases = [10usize, 100, 1_000, 10_000]
        .map(|n| (Geometry::Flat, n))
        .into_iter()
        .chain([(Geometry::Tall, 1_000), (Geometry::Tall, 10_000)]);
    for (geometry, n) in cases {
        // Warm up 10 scans so the tracks exist, then time scans 10..40 cyclically.
        let (scans, density) = scene(n, 40, geometry);
        for association in [Association::Gnn, Association::Jpda] {
            let name = match geometry {
                Geometry::Flat => format!("{association:?}"),
                Geometry::Tall => format!("{association:?}-tall"),
            };
            let mut tr = tracker(association, density);
            for (k, z) in scans.iter().take(10).enumerate() {
                tr.step(k as f64, z);
            }
            let confirmed = tr.confirmed().count();
            eprintln!("{n} targets, {name}: {confirmed} confirmed tracks after 10 scans");
            let mut k = 10;
            g.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                b.iter(|| {
                    let z = &scans[10 + (k - 10) % 30];
                    tr.step(k as f64, black_box(z));
                    k += 1;
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, per_scan);
criterion_main!(benches);
