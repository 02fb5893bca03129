//! Monte Carlo: the interval formulas against published and hand-computed values, and the
//! replication scheme (thread-count independence, replication k alone, stopping on a CI target).

use crate::common::defended;
use rampart_sim::montecarlo::stats::{BinnedHistogram, IntHistogram, Welford, Z95, wilson};
use rampart_sim::montecarlo::{McOptions, Replication, run_mc, run_mc_with};
use rampart_sim::scenario::parse;
use std::sync::atomic::{AtomicU64, Ordering};

/// Wilson score intervals (without continuity correction) against Newcombe, "Two-sided
/// confidence intervals for the single proportion: comparison of seven methods", Statistics in
/// Medicine 17 (1998) 857–872, Table I, method 3, to the 4 decimals printed there:
/// 81/263 → 0.2553–0.3662, 15/148 → 0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718.
/// (The same figures follow from the closed form computed independently in double precision:
/// 0.25529, 0.36621; 0.06239, 0.16049; 0, 0.16113; 0.00611, 0.17176.)
#[test]
fn wilson_interval_matches_newcombe_table_1() {
    for (k, n, lo, hi) in [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ] {
        let e = wilson(k, n);
        assert!((e.ci_low - lo).abs() < 5e-5, "{k}/{n}: low {}", e.ci_low);
        assert!((e.ci_high - hi).abs() < 5e-5, "{k}/{n}: high {}", e.ci_high);
        assert_eq!(e.n, n);
        assert_eq!(e.mean, k as f64 / n as f64);
    }
    // All successes mirror no successes; no trials give the whole unit interval.
    let all = wilson(20, 20);
    assert_eq!(all.ci_high, 1.0);
    assert!((all.ci_low - (1.0 - 0.161_125_158_052_819_4)).abs() < 1e-12);
    let none = wilson(0, 0);
    assert_eq!((none.ci_low, none.ci_high, none.n), (0.0, 1.0, 0));
}

/// Mean CI by hand: 2, 4, 4, 4, 5, 5, 7, 9 has mean 5, sum of squared deviations 32, sample
/// variance 32/7, s = 2.138090, half-width 1.959964 · s / √8 = 1.481594.
#[test]
fn mean_interval_matches_a_hand_computed_case() {
    let mut w = Welford::new();
    for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
        w.push(x);
    }
    let e = w.estimate();
    assert_eq!(e.n, 8);
    assert!((e.mean - 5.0).abs() < 1e-12);
    assert!((w.variance() - 32.0 / 7.0).abs() < 1e-12);
    let half = Z95 * (32.0f64 / 7.0).sqrt() / 8f64.sqrt();
    assert!((half - 1.481_593_509_067_493).abs() < 1e-12);
    assert!((e.ci_low - 3.518_406_490_932_507).abs() < 1e-12);
    assert!((e.ci_high - 6.481_593_509_067_493).abs() < 1e-12);
    // One observation: the interval is the point.
    let mut one = Welford::new();
    one.push(3.0);
    let e = one.estimate();
    assert_eq!((e.mean, e.ci_low, e.ci_high), (3.0, 3.0, 3.0));
}

#[test]
fn histograms_count_per_value_and_per_bin() {
    let mut h = IntHistogram::new();
    for v in [0, 2, 2, 5] {
        h.add(v);
    }
    assert_eq!(h.total(), 4);
    let counts: Vec<u64> = h.bins().iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 0, 2, 0, 0, 1]);
    let mut b = BinnedHistogram::new(1000.0);
    for x in [0.0, 999.9, 1000.0, 25_500.0, f64::NAN] {
        b.add(x);
    }
    let bins = b.bins();
    assert_eq!(b.total(), 4);
    assert_eq!(bins.len(), 3);
    assert_eq!((bins[0].lo, bins[0].hi, bins[0].count), (0.0, 1000.0, 2));
    assert_eq!((bins[2].lo, bins[2].count), (25_000.0, 1));
}

/// The same replications give bit-identical statistics on 1 and 2 threads, and every record
/// arrives in replication order; replication k of the Monte Carlo run is `run` with
/// replication k.
#[test]
fn results_do_not_depend_on_threads_and_replication_k_reruns_alone() {
    let s = defended();
    let mut results = Vec::new();
    let mut records = Vec::new();
    for threads in [1, 2] {
        let done = AtomicU64::new(0);
        let mut recs = Vec::new();
        let opts = McOptions {
            runs: 6,
            threads: Some(threads),
            until_ci: None,
            seed: 11,
            stop: None,
        };
        let r = run_mc_with(
            s,
            &opts,
            |n| {
                done.fetch_add(n, Ordering::Relaxed);
            },
            |rec| {
                recs.push(rec.clone());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(done.load(Ordering::Relaxed), 6);
        assert_eq!(r.runs, 6);
        results.push(r);
        records.push(recs);
    }
    // Bit-identical, floats included: compare the serialised form too.
    assert_eq!(results[0], results[1]);
    assert_eq!(
        serde_json::to_string(&results[0]).unwrap(),
        serde_json::to_string(&results[1]).unwrap()
    );
    assert_eq!(records[0], records[1]);
    let order: Vec<u64> = records[0].iter().map(|r| r.replication).collect();
    assert_eq!(order, [0, 1, 2, 3, 4, 5]);
    // The replications differ from one another (the streams depend on the index).
    assert!(records[0].iter().any(|r| r != &records[0][0]
        && (r.interceptors_launched, r.intercept_alt_m.clone())
            != (
                records[0][0].interceptors_launched,
                records[0][0].intercept_alt_m.clone()
            )));
    // Replication 4 alone.
    let alone = Replication::run(s, 11, 4).unwrap();
    assert_eq!(alone, records[0][4]);
    // The statistics are those of the records.
    let leak_mean = records[0].iter().map(|r| f64::from(r.leakers)).sum::<f64>() / 6.0;
    assert!((results[0].leakers.mean.mean - leak_mean).abs() < 1e-12);
    assert_eq!(
        results[0]
            .leakers
            .distribution
            .iter()
            .map(|b| b.count)
            .sum::<u64>(),
        6
    );
    // Per fire unit: its launches add up to the total; launched and left add up to its rounds
    // (launchers × rounds × (1 + reloads)) in every replication, so their means do too; it is
    // out of rounds in as many replications as it has none left.
    let units = &results[0].fire_units;
    assert_eq!(units.len(), s.fire_units.len());
    let total: f64 = units.iter().map(|u| u.interceptors_launched.mean).sum();
    assert!((total - results[0].interceptors_launched.mean.mean).abs() < 1e-9);
    for (k, (u, fu)) in units.iter().zip(&s.fire_units).enumerate() {
        assert_eq!(u.name, fu.name);
        let stock: u32 = fu
            .launchers
            .iter()
            .map(|l| l.count * l.rounds * (1 + l.reloads))
            .sum();
        for r in &records[0] {
            assert_eq!(r.fire_units[k].launched + r.fire_units[k].left, stock);
        }
        let sum = u.interceptors_launched.mean + u.interceptors_left.mean;
        assert!((sum - f64::from(stock)).abs() < 1e-9, "{}", u.name);
        let empty = records[0]
            .iter()
            .filter(|r| r.fire_units[k].left == 0)
            .count();
        assert!((u.p_out_of_rounds.mean - empty as f64 / 6.0).abs() < 1e-12);
        let full = records[0]
            .iter()
            .filter(|r| r.fire_units[k].channels_full)
            .count();
        assert!((u.p_channels_full.mean - full as f64 / 6.0).abs() < 1e-12);
        assert!(u.interceptors_lost.mean <= u.interceptors_launched.mean);
    }
}

/// A run with no randomness in its outcome (one drone, no aim error, reliability 1): every
/// probability is 0 or 1, so the first batch of 256 already has every Wilson half-width below
/// 0.01 (z²/(256 + z²)/2 ≈ 0.0074) and `--until-ci 0.01` stops there, far short of the cap.
#[test]
fn until_ci_stops_early_on_an_easy_case() {
    let text = r#"
[scenario]
name = "one drone"
epoch = 2025-01-01T00:00:00Z
duration = "1 h"

[[asset]]
name = "Depot"
position = { lat = 31.0, lon = 35.0 }
radius = "200 m"

[threat_type.drone]
kind = "uas"
speed = "180 km/h"
altitude = "500 m"
max_range = "500 km"

[[raid]]
threat_type = "drone"
launch_site = { lat = 31.5, lon = 35.2 }
aim = "Depot"
"#;
    let s = parse(text, "drone.toml").unwrap();
    let opts = McOptions {
        runs: 100_000,
        threads: Some(2),
        until_ci: Some(0.01),
        seed: 3,
        stop: None,
    };
    let r = run_mc(&s, &opts, |_| {}).unwrap();
    assert_eq!(r.runs, 256);
    assert!(r.stopped_early);
    assert_eq!(r.assets[0].p_hit.mean, 1.0);
    assert!(r.probabilities().iter().all(|(_, e)| e.half_width() < 0.01));
    // Without a target it runs them all (a few only here).
    let all = run_mc(
        &s,
        &McOptions {
            runs: 3,
            until_ci: None,
            ..opts
        },
        |_| {},
    )
    .unwrap();
    assert_eq!((all.runs, all.stopped_early), (3, false));
}

/// The parts of a run (`rampart mc --shard K/M`) cover its replications once each, in order,
/// and their records, written as JSON and read back, fold to the one-machine statistics to the
/// bit (docs/cluster.md).
#[test]
fn parts_fold_to_the_whole_run_to_the_bit() {
    use rampart_sim::montecarlo::{fold, run_range_with, shard_range};
    for (n, m) in [(0, 1), (7, 1), (7, 3), (5, 8), (1000, 7), (u64::MAX, 3)] {
        let mut next = 0;
        for k in 1..=m {
            let r = shard_range(n, k, m);
            assert_eq!(r.start, next, "N = {n}, part {k} of {m}");
            assert!(r.end >= r.start && r.end - r.start <= n / m + 1);
            next = r.end;
        }
        assert_eq!(next, n, "N = {n}, M = {m}: the parts end at N");
    }
    let s = defended();
    let opts = McOptions {
        runs: 12,
        threads: Some(2),
        until_ci: None,
        seed: 11,
        stop: None,
    };
    let whole = run_mc(s, &opts, |_| {}).unwrap();
    let mut lines = Vec::new();
    for k in 1..=5 {
        run_range_with(
            s,
            &opts,
            shard_range(12, k, 5),
            |_| {},
            |r| {
                lines.push(serde_json::to_string(r).expect("a record is JSON"));
                Ok(())
            },
        )
        .unwrap();
    }
    let records: Vec<Replication> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("reads back"))
        .collect();
    assert_eq!(
        records.iter().map(|r| r.replication).collect::<Vec<_>>(),
        (0..12).collect::<Vec<_>>()
    );
    let merged = fold(s, 11, 12, &records);
    assert_eq!(
        serde_json::to_string(&merged).unwrap(),
        serde_json::to_string(&whole).unwrap(),
        "the merged statistics are the one-machine run's, to the last digit"
    );
}
