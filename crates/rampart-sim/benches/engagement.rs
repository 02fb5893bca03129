//! Speed of the defended engagement: one replication of the shipped defended Al Asad scenario
//! (epoch to the end: radars, trackers, battle management, interceptors), and the
//! weapon-target assignment on its own.
//!
//! `cargo bench -p rampart-sim --bench engagement`

use criterion::{Criterion, criterion_group, criterion_main};
use rampart_sim::bmc::wta::{WtaOption, WtaProblem, WtaThreat, WtaUnit};
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::scenario::load;
use std::hint::black_box;
use std::path::Path;

fn defended_replication(c: &mut Criterion) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/al-asad-2020-defended.toml");
    let scenario = load(&path).expect("shipped scenario loads");
    let mut g = c.benchmark_group("defended");
    g.sample_size(20);
    g.bench_function("al-asad-2020-defended, one replication", |b| {
        let mut k = 0;
        b.iter(|| {
            k += 1;
            let mut opts = RunOptions::seed(scenario.seed);
            opts.replication = k % 16;
            black_box(run(&scenario, opts).expect("run").len())
        })
    });
    g.bench_function("al-asad-2020-defended, load and flyout tables", |b| {
        b.iter(|| black_box(load(&path).expect("load").interceptor_types.len()))
    });
    g.finish();
}

/// A 200-threat, 10-unit problem with every pair an option: the heuristic's size.
fn wta(c: &mut Criterion) {
    let mut p = WtaProblem::default();
    for i in 0..200 {
        p.threats.push(WtaThreat {
            value: 1.0 + (i % 7) as f64,
            survival: 1.0,
        });
    }
    for u in 0..10 {
        p.units.push(WtaUnit {
            rounds: 16,
            channels: 6,
        });
        for i in 0..200 {
            p.options.push(WtaOption {
                threat: i,
                unit: u,
                shots: 1 + (u % 2) as u32,
                pk: 0.5 + 0.04 * ((i + u) % 10) as f64,
                cost: 0.0,
            });
        }
    }
    p.max_units_per_threat = Some(1);
    c.bench_function("wta heuristic, 200 threats x 10 units", |b| {
        b.iter(|| black_box(p.solve().expect("solve").value))
    });
}

criterion_group!(benches, defended_replication, wta);
criterion_main!(benches);
