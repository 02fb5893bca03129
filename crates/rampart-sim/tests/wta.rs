//! Tests for the weapon-target assignment module.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rampart_sim::bmc::wta::{WtaError, WtaOption, WtaProblem, WtaThreat, WtaUnit};
use rand::{RngExt, SeedableRng, rngs::ChaCha8Rng};

struct Shape {
    threats: (usize, usize),
    units: (usize, usize),
    rounds: (u32, u32),
    channels: (u32, u32),
    shots: (u32, u32),
    option_prob: f64,
    max_options: usize,
}

const SMALL: Shape = Shape {
    threats: (2, 5),
    units: (1, 3),
    rounds: (0, 4),
    channels: (0, 3),
    shots: (1, 2),
    option_prob: 0.7,
    max_options: usize::MAX,
};

const MEDIUM: Shape = Shape {
    threats: (8, 10),
    units: (3, 4),
    rounds: (1, 6),
    channels: (1, 4),
    shots: (1, 2),
    option_prob: 0.6,
    max_options: 22,
};

fn random_problem(rng: &mut ChaCha8Rng, s: &Shape) -> WtaProblem {
    let nt = rng.random_range(s.threats.0..=s.threats.1);
    let nu = rng.random_range(s.units.0..=s.units.1);
    let threats = (0..nt)
        .map(|_| WtaThreat {
            value: rng.random_range(0.1..10.0),
            survival: rng.random_range(0.2..=1.0),
        })
        .collect();
    let units = (0..nu)
        .map(|_| WtaUnit {
            rounds: rng.random_range(s.rounds.0..=s.rounds.1),
            channels: rng.random_range(s.channels.0..=s.channels.1),
        })
        .collect();
    let mut options = Vec::new();
    let mut pairs: Vec<(usize, usize)> = (0..nt)
        .flat_map(|i| (0..nu).map(move |j| (i, j)))
        .filter(|_| rng.random_bool(s.option_prob))
        .collect();
    // Shuffle so that option order is not sorted by pair.
    for k in (1..pairs.len()).rev() {
        let r = rng.random_range(0..=k);
        pairs.swap(k, r);
    }
    pairs.truncate(s.max_options);
    for (i, j) in pairs {
        options.push(WtaOption {
            threat: i,
            unit: j,
            shots: rng.random_range(s.shots.0..=s.shots.1),
            pk: rng.random_range(0.3..0.95),
            cost: 0.0,
        });
    }
    let max_units_per_threat = if rng.random_bool(0.3) { Some(1) } else { None };
    WtaProblem {
        threats,
        units,
        options,
        max_units_per_threat,
    }
}

fn brute_force(p: &WtaProblem) -> f64 {
    let n = p.options.len();
    assert!(n <= 20);
    let mut best = 0.0_f64;
    let mut set = Vec::with_capacity(n);
    for mask in 0_u32..(1 << n) {
        set.clear();
        set.extend((0..n).filter(|&o| mask & (1 << o) != 0));
        if p.is_feasible(&set) {
            best = best.max(p.value_of(&set));
        }
    }
    best
}

fn small_problems() -> Vec<WtaProblem> {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_0001);
    (0..500).map(|_| random_problem(&mut rng, &SMALL)).collect()
}

fn check_solution(p: &WtaProblem, s: &rampart_sim::bmc::wta::WtaSolution) {
    assert!(p.is_feasible(&s.chosen), "infeasible {s:?} for {p:?}");
    assert!(s.chosen.windows(2).all(|w| w[0] < w[1]), "not ascending");
    assert!((s.value - p.value_of(&s.chosen)).abs() < 1e-12);
    let shots: u64 = s
        .chosen
        .iter()
        .map(|&o| u64::from(p.options[o].shots))
        .sum();
    assert_eq!(s.shots, shots);
}

/// The exact solver's solution of `p`, checked to be feasible, proven optimal and worth the
/// brute-force optimum; with that optimum.
fn exact_checked(p: &WtaProblem) -> (f64, rampart_sim::bmc::wta::WtaSolution) {
    let bf = brute_force(p);
    let s = p.solve_exact(u64::MAX).unwrap();
    check_solution(p, &s);
    assert!(s.optimal);
    assert!(
        (s.value - bf).abs() <= 1e-9,
        "exact {} vs brute force {bf} on {p:?}",
        s.value
    );
    (bf, s)
}

#[test]
fn exact_matches_brute_force() {
    let mut nontrivial = 0;
    for p in small_problems() {
        let (bf, s) = exact_checked(&p);
        if bf > 0.0 {
            nontrivial += 1;
        }
        // solve() uses the exact solver for these sizes.
        assert_eq!(p.solve().unwrap(), s);
    }
    assert!(nontrivial > 300, "generator too degenerate: {nontrivial}");
}

fn ratio_stats(pairs: &[(f64, f64)]) -> (f64, f64) {
    let ratios: Vec<f64> = pairs
        .iter()
        .map(|&(h, o)| if o > 0.0 { h / o } else { 1.0 })
        .collect();
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    let worst = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    (mean, worst)
}

#[test]
fn heuristic_quality_small() {
    let mut pairs = Vec::new();
    let mut exact_hits = 0;
    for p in small_problems() {
        let opt = brute_force(&p);
        let h = p.solve_heuristic().unwrap();
        check_solution(&p, &h);
        assert!(h.value <= opt + 1e-9);
        if (h.value - opt).abs() <= 1e-9 {
            exact_hits += 1;
        }
        pairs.push((h.value, opt));
    }
    let (mean, worst) = ratio_stats(&pairs);
    println!(
        "small (500): heuristic/optimal mean {mean:.5} worst {worst:.5}, optimal on {exact_hits}/500"
    );
    assert!(mean >= 0.97, "mean ratio {mean}");
}

#[test]
fn heuristic_quality_medium() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_0002);
    let mut pairs = Vec::new();
    let mut exact_hits = 0;
    for _ in 0..200 {
        let p = random_problem(&mut rng, &MEDIUM);
        let e = p.solve_exact(u64::MAX).unwrap();
        let h = p.solve_heuristic().unwrap();
        check_solution(&p, &e);
        check_solution(&p, &h);
        assert!(e.optimal);
        assert!(h.value <= e.value + 1e-9);
        if (h.value - e.value).abs() <= 1e-9 {
            exact_hits += 1;
        }
        pairs.push((h.value, e.value));
    }
    let (mean, worst) = ratio_stats(&pairs);
    println!(
        "medium (200): heuristic/optimal mean {mean:.5} worst {worst:.5}, optimal on {exact_hits}/200"
    );
    assert!(mean >= 0.97, "mean ratio {mean}");
}

/// Medium problems small enough for brute force too: cross-checks the
/// exact solver where the cap and unit bounds interact more.
#[test]
fn exact_matches_brute_force_medium() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_0003);
    let shape = Shape {
        max_options: 16,
        ..MEDIUM
    };
    for _ in 0..60 {
        let p = random_problem(&mut rng, &shape);
        let bf = brute_force(&p);
        let s = p.solve_exact(u64::MAX).unwrap();
        check_solution(&p, &s);
        assert!((s.value - bf).abs() <= 1e-9, "{} vs {bf}", s.value);
    }
}

/// `p` with each option priced at a random share of its threat's weight, up to 0.6 of it per
/// shot: some options then cost more than they save, and cheap and dear shooters compete.
fn priced(mut p: WtaProblem, rng: &mut ChaCha8Rng) -> WtaProblem {
    for o in &mut p.options {
        let t = p.threats[o.threat];
        o.cost = rng.random_range(0.0..0.6) * t.value * t.survival * f64::from(o.shots);
    }
    p
}

/// With costs, the exact solver still finds the brute-force optimum of value saved less cost,
/// and the heuristic stays feasible, never negative, and close to it.
#[test]
fn costs_exact_matches_brute_force_and_heuristic_is_close() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_0C05);
    let mut pairs = Vec::new();
    let mut declined = 0;
    for p in small_problems() {
        let p = priced(p, &mut rng);
        let (bf, s) = exact_checked(&p);
        let h = p.solve_heuristic().unwrap();
        check_solution(&p, &h);
        assert!(h.value >= 0.0 && h.value <= bf + 1e-9);
        pairs.push((h.value, bf));
        // An option that could save more than it costs but is left out.
        declined += usize::from(p.options.iter().enumerate().any(|(o, opt)| {
            let t = p.threats[opt.threat];
            let kill = 1.0 - (1.0 - opt.pk).powi(opt.shots as i32);
            !s.chosen.contains(&o) && t.value * t.survival * kill > 2.0 * opt.cost
        }));
    }
    let (mean, worst) = ratio_stats(&pairs);
    println!("priced (500): heuristic/optimal mean {mean:.5} worst {worst:.5}");
    assert!(mean >= 0.97, "mean ratio {mean}");
    assert!(declined > 0, "the generator never makes cost matter");
}

#[test]
fn the_cheaper_of_two_shooters_that_save_about_the_same_fires() {
    // One threat worth 10; unit 0 kills it with 0.9 for a cost of 5, unit 1 with 0.8 for 0.5:
    // net 4 against 7.5, so unit 1, though unit 0 saves more value.
    let mut p = WtaProblem {
        threats: vec![one(10.0, 1.0)],
        units: vec![unit(4, 1), unit(4, 1)],
        options: vec![opt(0, 0, 1, 0.9), opt(0, 1, 1, 0.8)],
        max_units_per_threat: Some(1),
    };
    assert_eq!(
        p.solve().unwrap().chosen,
        [0],
        "value alone: the better shot"
    );
    p.options[0].cost = 5.0;
    p.options[1].cost = 0.5;
    for s in [
        p.solve_exact(u64::MAX).unwrap(),
        p.solve_heuristic().unwrap(),
    ] {
        assert_eq!(s.chosen, [1]);
        assert!(close(s.value, 8.0 - 0.5));
    }
}

#[test]
fn a_shot_that_costs_more_than_it_saves_is_not_fired() {
    let mut p = WtaProblem {
        threats: vec![one(10.0, 0.5), one(1.0, 1.0)],
        units: vec![unit(4, 2)],
        options: vec![opt(0, 0, 2, 0.5), opt(1, 0, 1, 0.5)],
        max_units_per_threat: None,
    };
    // Threat 0's salvo saves 5 × 0.75 = 3.75; threat 1's shot 0.5.
    p.options[0].cost = 3.7;
    p.options[1].cost = 0.6;
    for s in [
        p.solve_exact(u64::MAX).unwrap(),
        p.solve_heuristic().unwrap(),
    ] {
        assert_eq!(s.chosen, [0]);
        assert!(close(s.value, 3.75 - 3.7));
    }
    p.options[0].cost = 3.8;
    assert!(p.solve().unwrap().chosen.is_empty());
}

fn one(value: f64, survival: f64) -> WtaThreat {
    WtaThreat { value, survival }
}

fn unit(rounds: u32, channels: u32) -> WtaUnit {
    WtaUnit { rounds, channels }
}

fn opt(threat: usize, unit: usize, shots: u32, pk: f64) -> WtaOption {
    WtaOption {
        threat,
        unit,
        shots,
        pk,
        cost: 0.0,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn single_threat_salvo() {
    let p = WtaProblem {
        threats: vec![one(5.0, 1.0)],
        units: vec![unit(4, 1)],
        options: vec![opt(0, 0, 2, 0.8)],
        max_units_per_threat: None,
    };
    for s in [p.solve().unwrap(), p.solve_heuristic().unwrap()] {
        assert_eq!(s.chosen, vec![0]);
        assert_eq!(s.shots, 2);
        assert!(close(s.value, 5.0 * (1.0 - 0.2 * 0.2)), "{}", s.value);
    }
}

#[test]
fn inventory_limit_respected() {
    // One round left: the 2-shot option is unaffordable, the 1-shot one
    // (lower pk) is taken instead.
    let p = WtaProblem {
        threats: vec![one(5.0, 1.0), one(5.0, 1.0)],
        units: vec![unit(1, 3)],
        options: vec![opt(0, 0, 2, 0.9), opt(1, 0, 1, 0.5)],
        max_units_per_threat: None,
    };
    assert!(!p.is_feasible(&[0]));
    for s in [p.solve().unwrap(), p.solve_heuristic().unwrap()] {
        assert_eq!(s.chosen, vec![1]);
        assert!(close(s.value, 2.5));
    }
}

#[test]
fn channel_limit_respected() {
    // Plenty of rounds, two channels, three threats: the two most valuable
    // engagements are chosen.
    let p = WtaProblem {
        threats: vec![one(1.0, 1.0), one(3.0, 1.0), one(2.0, 1.0)],
        units: vec![unit(10, 2)],
        options: vec![opt(0, 0, 1, 0.9), opt(1, 0, 1, 0.9), opt(2, 0, 1, 0.9)],
        max_units_per_threat: None,
    };
    assert!(!p.is_feasible(&[0, 1, 2]));
    for s in [p.solve().unwrap(), p.solve_heuristic().unwrap()] {
        assert_eq!(s.chosen, vec![1, 2]);
        assert!(close(s.value, 0.9 * 5.0));
    }
    // Zero channels: nothing can be engaged.
    let mut q = p.clone();
    q.units[0].channels = 0;
    let s = q.solve().unwrap();
    assert!(s.chosen.is_empty() && s.value == 0.0 && s.optimal);
}

#[test]
fn scarce_round_goes_to_higher_value() {
    let p = WtaProblem {
        threats: vec![one(2.0, 1.0), one(7.0, 1.0)],
        units: vec![unit(1, 2)],
        options: vec![opt(0, 0, 1, 0.9), opt(1, 0, 1, 0.6)],
        max_units_per_threat: None,
    };
    // 7 * 0.6 = 4.2 > 2 * 0.9 = 1.8.
    for s in [p.solve().unwrap(), p.solve_heuristic().unwrap()] {
        assert_eq!(s.chosen, vec![1]);
        assert!(close(s.value, 4.2));
    }
}

#[test]
fn survival_scales_value() {
    let base = WtaProblem {
        threats: vec![one(10.0, 1.0)],
        units: vec![unit(2, 2)],
        options: vec![opt(0, 0, 1, 0.5)],
        max_units_per_threat: None,
    };
    let mut half = base.clone();
    half.threats[0].survival = 0.5;
    let a = base.solve().unwrap().value;
    let b = half.solve().unwrap().value;
    assert!(close(a, 5.0) && close(b, 2.5), "{a} {b}");
    // A threat already certain to be killed is not engaged at all.
    let mut dead = base.clone();
    dead.threats[0].survival = 0.0;
    let s = dead.solve().unwrap();
    assert!(s.chosen.is_empty() && s.value == 0.0);
}

#[test]
fn per_threat_cap() {
    // Two units, one threat: without the cap both fire, with cap 1 only the
    // better one.
    let p = WtaProblem {
        threats: vec![one(4.0, 1.0)],
        units: vec![unit(1, 1), unit(1, 1)],
        options: vec![opt(0, 0, 1, 0.5), opt(0, 1, 1, 0.7)],
        max_units_per_threat: None,
    };
    let s = p.solve().unwrap();
    assert_eq!(s.chosen, vec![0, 1]);
    assert!(close(s.value, 4.0 * (1.0 - 0.5 * 0.3)));
    let mut capped = p.clone();
    capped.max_units_per_threat = Some(1);
    for s in [capped.solve().unwrap(), capped.solve_heuristic().unwrap()] {
        assert_eq!(s.chosen, vec![1]);
        assert!(close(s.value, 2.8));
    }
}

#[test]
fn ties_prefer_fewer_shots_then_lower_index() {
    // pk 1 with one shot saves as much as pk 1 with two shots.
    let p = WtaProblem {
        threats: vec![one(3.0, 1.0)],
        units: vec![unit(5, 5), unit(5, 5), unit(5, 5)],
        options: vec![opt(0, 0, 2, 1.0), opt(0, 1, 1, 1.0), opt(0, 2, 1, 1.0)],
        max_units_per_threat: None,
    };
    for s in [p.solve().unwrap(), p.solve_heuristic().unwrap()] {
        assert_eq!(s.chosen, vec![1]);
        assert_eq!(s.shots, 1);
        assert!(close(s.value, 3.0));
    }
}

#[test]
fn empty_problem() {
    let p = WtaProblem::default();
    for s in [
        p.solve().unwrap(),
        p.solve_heuristic().unwrap(),
        p.solve_exact(0).unwrap(),
    ] {
        assert!(s.chosen.is_empty());
        assert_eq!(s.value, 0.0);
        assert_eq!(s.shots, 0);
        assert!(s.optimal);
    }
    assert!(p.is_feasible(&[]));
    assert!(!p.is_feasible(&[0]));
    assert_eq!(p.value_of(&[3]), 0.0);
}

#[test]
fn node_limit_reports_not_optimal() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let p = random_problem(&mut rng, &MEDIUM);
    let s = p.solve_exact(1).unwrap();
    assert!(!s.optimal);
    check_solution(&p, &s);
    let h = p.solve_heuristic().unwrap();
    assert!(s.value >= h.value - 1e-12);
}

fn valid() -> WtaProblem {
    WtaProblem {
        threats: vec![one(1.0, 1.0), one(2.0, 0.5)],
        units: vec![unit(2, 2)],
        options: vec![opt(0, 0, 1, 0.5), opt(1, 0, 1, 0.5)],
        max_units_per_threat: None,
    }
}

fn all_solvers_err(p: &WtaProblem) -> WtaError {
    let e = p.validate().unwrap_err();
    // Debug formatting compares NaN payloads too (NaN != NaN under ==).
    let dbg = format!("{e:?}");
    assert_eq!(format!("{:?}", p.solve().unwrap_err()), dbg);
    assert_eq!(format!("{:?}", p.solve_exact(100).unwrap_err()), dbg);
    assert_eq!(format!("{:?}", p.solve_heuristic().unwrap_err()), dbg);
    // The evaluation helpers must not panic on invalid input either.
    let _ = p.value_of(&[0, 1, 2, 99]);
    let _ = p.is_feasible(&[0, 1, 2, 99]);
    assert!(!e.to_string().is_empty());
    e
}

#[test]
fn validation_errors() {
    assert!(valid().validate().is_ok());

    let mut p = valid();
    p.options[1].threat = 2;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::ThreatIndex {
            option: 1,
            threat: 2
        }
    ));

    let mut p = valid();
    p.options[0].unit = 1;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::UnitIndex { option: 0, unit: 1 }
    ));

    let mut p = valid();
    p.options[1].pk = f64::NAN;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::InvalidPk { option: 1, pk } if pk.is_nan()
    ));

    let mut p = valid();
    p.options[0].pk = 1.5;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::InvalidPk { option: 0, pk } if pk == 1.5
    ));

    let mut p = valid();
    p.options[0].pk = -0.1;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::InvalidPk { option: 0, .. }
    ));

    let mut p = valid();
    p.threats[1].value = -1.0;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::InvalidValue { threat: 1, .. }
    ));

    let mut p = valid();
    p.threats[0].value = f64::INFINITY;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::InvalidValue { threat: 0, .. }
    ));

    let mut p = valid();
    p.threats[0].survival = f64::NAN;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::InvalidSurvival { threat: 0, .. }
    ));

    let mut p = valid();
    p.options[1].shots = 0;
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::ZeroShots { option: 1 }
    ));

    for cost in [f64::NAN, f64::INFINITY, -1.0] {
        let mut p = valid();
        p.options[1].cost = cost;
        assert!(matches!(
            all_solvers_err(&p),
            WtaError::InvalidCost { option: 1, .. }
        ));
    }

    let mut p = valid();
    p.options.push(opt(1, 0, 2, 0.9));
    assert!(matches!(
        all_solvers_err(&p),
        WtaError::DuplicatePair {
            first: 1,
            second: 2,
            threat: 1,
            unit: 0
        }
    ));
}

#[test]
fn feasibility_and_value_helpers() {
    let p = valid();
    assert!(p.is_feasible(&[0, 1]));
    assert!(!p.is_feasible(&[0, 0]), "repeated index");
    assert!(!p.is_feasible(&[5]), "out of range");
    // value_of treats indices as a set.
    assert!(close(p.value_of(&[1, 0, 1]), p.value_of(&[0, 1])));
    assert!(close(p.value_of(&[0, 1]), 0.5 + 0.5));
}

fn large_problem(seed: u64) -> WtaProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let threats = (0..200)
        .map(|_| one(rng.random_range(0.1..10.0), rng.random_range(0.2..=1.0)))
        .collect();
    let units = (0..10)
        .map(|_| unit(rng.random_range(10..=40), rng.random_range(5..=20)))
        .collect();
    let mut options = Vec::new();
    for i in 0..200 {
        for j in 0..10 {
            options.push(opt(
                i,
                j,
                rng.random_range(1..=2),
                rng.random_range(0.3..0.95),
            ));
        }
    }
    WtaProblem {
        threats,
        units,
        options,
        max_units_per_threat: Some(2),
    }
}

#[test]
fn determinism() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    for _ in 0..50 {
        let p = random_problem(&mut rng, &MEDIUM);
        assert_eq!(p.solve().unwrap(), p.solve().unwrap());
        assert_eq!(p.solve_heuristic().unwrap(), p.solve_heuristic().unwrap());
        // A clone solves identically too (no hidden state).
        assert_eq!(p.clone().solve().unwrap(), p.solve().unwrap());
    }
    let big = large_problem(1);
    let a = big.solve().unwrap();
    let b = big.solve().unwrap();
    assert_eq!(a.chosen, b.chosen);
    assert_eq!(a.value.to_bits(), b.value.to_bits());
}

#[test]
fn large_problems_are_solved_feasibly() {
    for seed in 1..=5 {
        let p = large_problem(seed);
        let s = p.solve().unwrap();
        check_solution(&p, &s);
        assert!(!s.chosen.is_empty());
        // The heuristic's answer is a local optimum: no single option can be added.
        for (k, _) in p.options.iter().enumerate() {
            if s.chosen.contains(&k) {
                continue;
            }
            let mut more = s.chosen.clone();
            more.push(k);
            more.sort_unstable();
            if p.is_feasible(&more) {
                assert!(
                    p.value_of(&more) <= s.value + 1e-9,
                    "adding option {k} improves"
                );
            }
        }
    }
}

#[test]
fn exact_on_24_options_is_proven_optimal() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_0024);
    let shapes = [
        Shape {
            max_options: 24,
            option_prob: 0.8,
            ..MEDIUM
        },
        // Knapsack-like: two units, tight rounds, salvos of 1-3.
        Shape {
            threats: (12, 12),
            units: (2, 2),
            rounds: (5, 9),
            channels: (3, 8),
            shots: (1, 3),
            option_prob: 1.0,
            max_options: 24,
        },
    ];
    for shape in &shapes {
        for _ in 0..100 {
            let p = random_problem(&mut rng, shape);
            assert!(p.options.len() <= 24);
            let s = p.solve().unwrap();
            assert!(s.optimal);
            check_solution(&p, &s);
            let h = p.solve_heuristic().unwrap();
            assert!(h.value <= s.value + 1e-9);
        }
    }
}

/// Edge values (pk 0 or 1, survival 0, zero/huge inventories, huge salvos,
/// cap 0) never panic and give feasible solutions with exact >= heuristic.
#[test]
fn edge_values_no_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xED6E);
    let pks = [0.0, 1.0, 0.5, 1e-300];
    let counts = [0, 1, 2, u32::MAX];
    for _ in 0..300 {
        let mut p = random_problem(&mut rng, &SMALL);
        for t in &mut p.threats {
            if rng.random_bool(0.2) {
                t.survival = 0.0;
            }
            if rng.random_bool(0.1) {
                t.value = 0.0;
            }
        }
        for u in &mut p.units {
            u.rounds = counts[rng.random_range(0..4)];
            u.channels = counts[rng.random_range(0..4)];
        }
        for o in &mut p.options {
            if rng.random_bool(0.3) {
                o.pk = pks[rng.random_range(0..4)];
            }
            if rng.random_bool(0.1) {
                o.shots = u32::MAX;
            }
        }
        p.max_units_per_threat = [None, Some(0), Some(1), Some(usize::MAX)][rng.random_range(0..4)];
        let e = p.solve_exact(u64::MAX).unwrap();
        let h = p.solve_heuristic().unwrap();
        check_solution(&p, &e);
        check_solution(&p, &h);
        assert!(e.value >= h.value - 1e-9);
        assert!(e.value.is_finite());
        let bf = brute_force(&p);
        assert!((e.value - bf).abs() <= 1e-9, "{} vs {bf}", e.value);
    }
}
