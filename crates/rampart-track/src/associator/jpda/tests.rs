//! Tests of the parent module.

use super::*;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn run(
    nt: usize,
    nd: usize,
    g: &[(usize, usize, f64)],
    pd: &[f64],
    pg: &[f64],
    lambda: f64,
    m: JpdaMethod,
) -> AssociationProbabilities {
    let input = JpdaInput {
        n_tracks: nt,
        n_detections: nd,
        likelihoods: g,
        detection_probability: pd,
        gate_probability: pg,
        clutter_density: lambda,
    };
    jpda(&input, m)
}

fn assert_sums_to_one(b: &AssociationProbabilities) {
    for t in 0..b.n_tracks() {
        let s = b.miss_probability(t) + b.track(t).iter().map(|e| e.1).sum::<f64>();
        assert!((s - 1.0).abs() < 1e-12, "track {t}: Σβ = {s}");
        assert!(b.track(t).iter().all(|e| (0.0..=1.0).contains(&e.1)));
    }
}

/// Likelihood triples, Pd and Pg per track.
type Problem = (Vec<(usize, usize, f64)>, Vec<f64>, Vec<f64>);

fn random_problem(rng: &mut ChaCha8Rng, nt: usize, nd: usize, p_gate: f64) -> Problem {
    let mut g = Vec::new();
    for t in 0..nt {
        for j in 0..nd {
            if rng.random_bool(p_gate) {
                g.push((t, j, rng.random_range(0.01..1.0)));
            }
        }
    }
    let pd = (0..nt).map(|_| rng.random_range(0.5..0.99)).collect();
    let pg = (0..nt).map(|_| rng.random_range(0.9..1.0)).collect();
    (g, pd, pg)
}

#[test]
fn two_tracks_three_measurements_by_hand() {
    // The classic configuration of Bar-Shalom & Fortmann's JPDA chapter: z1 only in
    // track 1's gate, z2 in both, z3 only in track 2's gate. Pd = 0.8, Pg = 0.95, λ = 0.2,
    // g11 = 0.5, g12 = 0.25, g22 = 1, g23 = 0.125, so with a_tj = Pd·g_tj/λ and
    // b = 1 − Pd·Pg:  a11 = 2, a12 = 1, a22 = 4, a23 = 0.5, b = 0.24.
    // Joint events (track 1's detection, track 2's detection; 0 = none) and weights:
    //   (0,0) b·b     = 0.0576      (1,0) a11·b   = 0.48     (2,0) a12·b   = 0.24
    //   (0,2) b·a22   = 0.96        (1,2) a11·a22 = 8        (2,3) a12·a23 = 0.5
    //   (0,3) b·a23   = 0.12        (1,3) a11·a23 = 1        [(2,2) infeasible]
    // Total C = 11.3576.
    //   β10 = (0.0576 + 0.96 + 0.12)/C = 1.1376/C     β20 = (0.0576 + 0.48 + 0.24)/C = 0.7776/C
    //   β11 = (0.48 + 8 + 1)/C         = 9.48/C       β22 = (0.96 + 8)/C               = 8.96/C
    //   β12 = (0.24 + 0.5)/C           = 0.74/C       β23 = (0.12 + 1 + 0.5)/C         = 1.62/C
    let g = [(0, 0, 0.5), (0, 1, 0.25), (1, 1, 1.0), (1, 2, 0.125)];
    let c = 11.3576;
    let want = [
        (1.1376, [(0, 9.48), (1, 0.74)]),
        (0.7776, [(1, 8.96), (2, 1.62)]),
    ];
    let b = association_probabilities(2, 3, &g, 0.8, 0.95, 0.2);
    let bp = run(
        2,
        3,
        &g,
        &[0.8; 2],
        &[0.95; 2],
        0.2,
        JpdaMethod::BeliefPropagation,
    );
    assert_eq!(b.approximated_clusters(), 0);
    assert_eq!(bp.approximated_clusters(), 1);
    for (t, (w0, row)) in want.iter().enumerate() {
        // The gating graph is a tree (a chain), where belief propagation is exact too.
        for b in [&b, &bp] {
            assert!((b.miss_probability(t) - w0 / c).abs() < 1e-12, "β{t}0");
            for &(j, w) in row {
                assert!(
                    (b.probability(t, j) - w / c).abs() < 1e-12,
                    "β{t}{j}: {}",
                    b.probability(t, j)
                );
            }
        }
    }
    assert_eq!(b.probability(0, 2), 0.0);
    assert_sums_to_one(&b);
}

#[test]
fn single_track_is_the_pda() {
    // PDA weights in Bar-Shalom's form (Bar-Shalom, Willett & Tian 2011, PDAF, Poisson
    // clutter): β_j = e_j / (b + Σe), β_0 = b / (b + Σe), with e_j = exp(−d²_j / 2) and
    // b = λ·|2πS|^½·(1 − Pd·Pg)/Pd. JPDA is fed g_j = e_j / |2πS|^½.
    let (pd, pg, lambda) = (0.9, 0.99, 1e-3);
    let det_2pi_s = (2.0 * std::f64::consts::PI).powi(2) * (100.0 * 25.0); // S = diag(100, 25) m²
    let d2 = [0.3, 2.5, 7.0];
    let e: Vec<f64> = d2.iter().map(|d: &f64| (-0.5 * d).exp()).collect();
    let b = lambda * det_2pi_s.sqrt() * (1.0 - pd * pg) / pd;
    let sum = b + e.iter().sum::<f64>();
    let g: Vec<(usize, usize, f64)> = e
        .iter()
        .enumerate()
        .map(|(j, e)| (0, j, e / det_2pi_s.sqrt()))
        .collect();
    for method in [JpdaMethod::Auto, JpdaMethod::BeliefPropagation] {
        let beta = run(1, 3, &g, &[pd], &[pg], lambda, method);
        assert!((beta.miss_probability(0) - b / sum).abs() < 1e-12);
        for (j, e) in e.iter().enumerate() {
            assert!((beta.probability(0, j) - e / sum).abs() < 1e-12);
        }
    }
    // One detection: β1 = a / (1 − Pd·Pg + a), a = Pd·g/λ.
    let beta = association_probabilities(1, 1, &[(0, 0, 0.02)], pd, pg, lambda);
    let a = pd * 0.02 / lambda;
    assert!((beta.probability(0, 0) - a / (1.0 - pd * pg + a)).abs() < 1e-12);
}

#[test]
fn probabilities_sum_to_one() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..300 {
        let nt = rng.random_range(0..7);
        let nd = rng.random_range(0..9);
        let (g, pd, pg) = random_problem(&mut rng, nt, nd, 0.4);
        for m in [JpdaMethod::Auto, JpdaMethod::BeliefPropagation] {
            assert_sums_to_one(&run(nt, nd, &g, &pd, &pg, rng.random_range(0.01..1.0), m));
        }
    }
}

#[test]
fn belief_propagation_close_to_exact_on_small_sparse_clusters() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let (mut worst, mut sum, mut n) = (0.0_f64, 0.0, 0);
    for _ in 0..300 {
        let (nt, nd) = (rng.random_range(1..6), rng.random_range(1..8));
        let (g, pd, pg) = random_problem(&mut rng, nt, nd, 0.35);
        let lambda = rng.random_range(0.05..1.0);
        let exact = run(nt, nd, &g, &pd, &pg, lambda, JpdaMethod::Auto);
        let bp = run(nt, nd, &g, &pd, &pg, lambda, JpdaMethod::BeliefPropagation);
        for t in 0..nt {
            let mut diffs = vec![(exact.miss_probability(t) - bp.miss_probability(t)).abs()];
            diffs.extend(
                exact
                    .track(t)
                    .iter()
                    .zip(bp.track(t))
                    .map(|(a, b)| (a.1 - b.1).abs()),
            );
            for d in diffs {
                worst = worst.max(d);
                sum += d;
                n += 1;
            }
        }
    }
    // Observed with this seed: mean 2.0e-3, worst 0.10 (a tight 2-track loop).
    let mean = sum / n as f64;
    assert!(worst < 0.15 && mean < 4e-3, "worst {worst}, mean {mean}");
}

#[test]
fn loopy_two_by_two() {
    // Two tracks both gating two detections: the smallest loop. Exact by hand with
    // a = Pd·g/λ: track 1 (a11 = 4, a12 = 1), track 2 (a21 = 1, a22 = 4), b = 0.1:
    // events (0,0) .01, (0,1) .1, (0,2) .4, (1,0) .4, (1,2) 16, (2,0) .1, (2,1) 1; C = 18.01.
    // β11 = 16.4/C, β12 = 1.1/C, β10 = 0.51/C.
    let g = [(0, 0, 4.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, 4.0)];
    let exact = association_probabilities(2, 2, &g, 0.9, 1.0, 0.9);
    let c = 18.01;
    assert!((exact.probability(0, 0) - 16.4 / c).abs() < 1e-12);
    assert!((exact.probability(0, 1) - 1.1 / c).abs() < 1e-12);
    assert!((exact.miss_probability(0) - 0.51 / c).abs() < 1e-12);
    // Belief propagation is overconfident on this tight loop: 0.958 against 0.911.
    // X-Val: the fixed point of the Williams & Lau iteration run to convergence in a
    // ten-line Python script (floats), β11 = 0.9583011673997351, β12 = 0.010091855538214173,
    // β10 = 0.0316069770620507.
    let bp = run(
        2,
        2,
        &g,
        &[0.9; 2],
        &[1.0; 2],
        0.9,
        JpdaMethod::BeliefPropagation,
    );
    assert!((bp.probability(0, 0) - 0.9583011673997351).abs() < 1e-9);
    assert!((bp.probability(0, 1) - 0.010091855538214173).abs() < 1e-9);
    assert!((bp.miss_probability(0) - 0.0316069770620507).abs() < 1e-9);
    assert!((bp.probability(0, 0) - 16.4 / c).abs() < 0.05);
    assert_sums_to_one(&bp);
}

#[test]
fn largest_exact_cluster_and_beyond() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    // 8 tracks all gating the same 10 detections: the worst case for enumeration.
    let (g, pd, pg) = random_problem(&mut rng, EXACT_MAX_TRACKS, EXACT_MAX_DETECTIONS, 1.0);
    let exact = run(
        EXACT_MAX_TRACKS,
        EXACT_MAX_DETECTIONS,
        &g,
        &pd,
        &pg,
        0.1,
        JpdaMethod::Auto,
    );
    assert_eq!(exact.approximated_clusters(), 0);
    assert_sums_to_one(&exact);
    // One more track: approximated.
    let (g, pd, pg) = random_problem(&mut rng, EXACT_MAX_TRACKS + 1, 4, 1.0);
    let approx = run(EXACT_MAX_TRACKS + 1, 4, &g, &pd, &pg, 0.1, JpdaMethod::Auto);
    assert_eq!(approx.approximated_clusters(), 1);
    assert_sums_to_one(&approx);
}

/// The subset dynamic programme gives the depth-first enumeration's β (up to rounding) on
/// random clusters up to the largest exact one, and is what that one uses.
#[test]
fn subset_sums_equal_depth_first_enumeration() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let mut cases: Vec<(usize, usize, f64)> = (0..200)
        .map(|_| {
            (
                rng.random_range(1..=EXACT_MAX_TRACKS),
                rng.random_range(1..=EXACT_MAX_DETECTIONS),
                rng.random_range(0.1..1.0),
            )
        })
        .collect();
    cases.push((EXACT_MAX_TRACKS, EXACT_MAX_DETECTIONS, 1.0));
    for (case, &(nt, nd, p)) in cases.iter().enumerate() {
        let mut tracks = Vec::new();
        for _ in 0..nt {
            let mut options = Vec::new();
            for j in 0..nd {
                if rng.random_bool(p) {
                    options.push((j, rng.random_range(0.0..1.0)));
                }
            }
            let miss = rng.random_range(1e-3..1.0);
            tracks.push(TrackOptions { miss, options });
        }
        let a = depth_first(&tracks).expect("positive weights");
        let b = subset_sums(&tracks).expect("positive weights");
        for ((a0, a), (b0, b)) in a.iter().zip(&b) {
            assert!((a0 - b0).abs() < 1e-12, "case {case}: {a0} vs {b0}");
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() < 1e-12, "case {case}: {x} vs {y}");
            }
        }
    }
    // The worst exact cluster has 11⁸ partial events: past the depth-first limit.
    assert!(11_usize.pow(8) > EXACT_DEPTH_FIRST_MAX);
    // A single option per track stays depth first (2⁸ partial events).
    assert!(2_usize.pow(8) <= EXACT_DEPTH_FIRST_MAX);
}

/// A giant cluster (50,000 tracks on a line, each gating its 21 nearest detections, about
/// a million edges) gets a bounded number of belief-propagation iterations, and its β are
/// still probabilities that favour each track's own detection.
#[test]
fn a_giant_cluster_is_approximated_with_bounded_work() {
    let n: usize = 50_000;
    let mut g: Vec<(usize, usize, f64)> = Vec::new();
    for t in 0..n {
        for j in t.saturating_sub(10)..(t + 11).min(n) {
            let d = t.abs_diff(j) as f64;
            g.push((t, j, (-0.5 * d * d).exp()));
        }
    }
    assert!(BP_WORK_BUDGET / g.len() < BP_MAX_ITERATIONS);
    let b = association_probabilities(n, n, &g, 0.9, 0.99, 1e-3);
    assert_eq!(b.approximated_clusters(), 1);
    assert_sums_to_one(&b);
    for t in [0, 1, n / 2, n - 1] {
        let own = b.probability(t, t);
        assert!(b.track(t).iter().all(|e| e.1 <= own), "track {t}");
    }
}

#[test]
fn degenerate_inputs() {
    // Pd·Pg = 1 with two tracks fighting over one detection; no clutter; bad values.
    let g = [
        (0, 0, 1.0),
        (1, 0, 1.0),
        (1, 0, 5.0),
        (2, 0, f64::NAN),
        (0, 9, 1.0),
        (9, 0, 1.0),
        (2, 1, 0.0),
    ];
    for lambda in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300, 1e300] {
        for m in [JpdaMethod::Auto, JpdaMethod::BeliefPropagation] {
            let b = run(3, 2, &g, &[1.0, 1.0, f64::NAN], &[1.0], lambda, m);
            assert_sums_to_one(&b);
            assert_eq!(b.miss_probability(2), 1.0);
        }
    }
    // Pd·Pg = 1, two tracks, one detection, moderate clutter: exactly one of them took it,
    // and by symmetry each with probability ½.
    let b = association_probabilities(2, 1, &[(0, 0, 1.0), (1, 0, 1.0)], 1.0, 1.0, 0.5);
    assert!((b.probability(0, 0) - 0.5).abs() < 1e-12);
    let empty = association_probabilities(0, 0, &[], 0.9, 0.99, 1.0);
    assert_eq!(empty.n_tracks(), 0);
    assert_eq!(empty.miss_probability(3), 1.0);
    assert_eq!(empty.probability(3, 3), 0.0);
    let alone = association_probabilities(2, 0, &[], 1.0, 1.0, 1.0);
    assert_eq!(alone.miss_probability(1), 1.0);
    assert!(alone.track(1).is_empty());
}

/// A one-track cluster is solved in closed form: the same β, bit for bit, as the depth-first
/// enumeration gives on the same weights — random likelihoods over 1 to 10 detections (some
/// so small that their weight underflows to zero), random Pd and Pg (Pd·Pg = 1 included).
#[test]
fn a_single_track_is_the_enumeration_bit_for_bit() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x9DA);
    for _ in 0..2_000 {
        let nd = rng.random_range(1..=EXACT_MAX_DETECTIONS);
        let mut g = Vec::new();
        for j in 0..nd {
            if rng.random_bool(0.8) {
                g.push((0, j, 10f64.powf(rng.random_range(-330.0..2.0))));
            }
        }
        let pd = if rng.random_bool(0.1) {
            1.0
        } else {
            rng.random_range(0.05..1.0)
        };
        let pg = if rng.random_bool(0.1) {
            1.0
        } else {
            rng.random_range(0.5..1.0)
        };
        let lambda = 10f64.powf(rng.random_range(-12.0..0.0));
        let b = run(1, nd, &g, &[pd], &[pg], lambda, JpdaMethod::Auto);
        // The weights as `jpda` forms them, then the enumeration.
        let ln_w: Vec<f64> = g
            .iter()
            .filter(|p| p.2 > 0.0)
            .map(|p| pd.ln() + p.2.ln() - lambda.ln())
            .collect();
        let ln_miss = (1.0 - pd * pg).ln();
        let top = ln_w.iter().copied().fold(ln_miss, f64::max);
        let (miss, options): (f64, Vec<(usize, f64)>) = if top.is_finite() {
            (
                (ln_miss - top).exp().max(MISS_WEIGHT_FLOOR),
                g.iter()
                    .filter(|p| p.2 > 0.0)
                    .zip(&ln_w)
                    .map(|(p, x)| (p.1, (x - top).exp()))
                    .collect(),
            )
        } else {
            continue;
        };
        let Some(exact) = depth_first(&[TrackOptions { miss, options }]) else {
            continue;
        };
        assert_eq!(b.miss_probability(0).to_bits(), exact[0].0.to_bits());
        let got: Vec<u64> = b.track(0).iter().map(|e| e.1.to_bits()).collect();
        let want: Vec<u64> = exact[0].1.iter().map(|x| x.to_bits()).collect();
        assert_eq!(got, want, "{g:?}");
    }
}
