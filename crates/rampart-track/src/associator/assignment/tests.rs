//! Tests of the parent module.

use super::*;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn matrix(rows: &[&[f64]]) -> CostMatrix {
    let cols = rows.first().map_or(0, |r| r.len());
    CostMatrix::from_row_major(rows.len(), cols, rows.concat()).unwrap()
}

/// Brute force over every partial injective map using allowed pairs: returns
/// (number assigned, least cost among maps of that size).
fn brute(c: &CostMatrix) -> (usize, f64) {
    fn rec(
        c: &CostMatrix,
        r: usize,
        used: &mut [bool],
        k: usize,
        cost: f64,
        best: &mut (usize, f64),
    ) {
        if r == c.rows() {
            if k > best.0 || (k == best.0 && cost < best.1) {
                *best = (k, cost);
            }
            return;
        }
        rec(c, r + 1, used, k, cost, best);
        for j in 0..c.cols() {
            if !used[j] && c.is_allowed(r, j) {
                used[j] = true;
                rec(c, r + 1, used, k + 1, cost + c.get(r, j), best);
                used[j] = false;
            }
        }
    }
    let mut best = (0, f64::INFINITY);
    rec(c, 0, &mut vec![false; c.cols()], 0, 0.0, &mut best);
    if best.0 == 0 { (0, 0.0) } else { best }
}

/// The assignment is feasible and its reported total is the sum of its pairs.
fn check_feasible(c: &CostMatrix, a: &Assignment) {
    assert_eq!(a.row_to_col.len(), c.rows());
    let mut used = vec![false; c.cols()];
    let mut sum = 0.0;
    for (r, col) in a.row_to_col.iter().enumerate() {
        if let Some(j) = *col {
            assert!(c.is_allowed(r, j), "forbidden pair ({r}, {j}) assigned");
            assert!(!used[j], "column {j} assigned twice");
            used[j] = true;
            sum += c.get(r, j);
        }
    }
    assert_eq!(sum, a.total_cost);
}

#[test]
fn optimal_against_brute_force_on_random_problems() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5A9);
    for case in 0..1000 {
        let rows = rng.random_range(0..=6);
        let cols = rng.random_range(0..=6);
        let mut c = CostMatrix::new(rows, cols, f64::INFINITY);
        for r in 0..rows {
            for j in 0..cols {
                let x: f64 = rng.random();
                if x < 0.1 {
                    c.set(r, j, f64::NAN);
                } else if x >= 0.3 {
                    // Negative costs too, and occasional exact ties.
                    let v = if rng.random_bool(0.2) {
                        1.0
                    } else {
                        rng.random_range(-10.0..10.0)
                    };
                    c.set(r, j, v);
                }
            }
        }
        let a = solve(&c);
        check_feasible(&c, &a);
        let (k, cost) = brute(&c);
        assert_eq!(a.assigned(), k, "case {case}: {c:?}");
        assert!(
            (a.total_cost - cost).abs() <= 1e-9,
            "case {case}: got {} want {cost}: {c:?}",
            a.total_cost
        );
    }
}

#[test]
fn textbook_square_example() {
    // X-Val: SciPy `linear_sum_assignment` documentation example — columns [1, 0, 2],
    // total 5.
    let c = matrix(&[&[4.0, 1.0, 3.0], &[2.0, 0.0, 5.0], &[3.0, 2.0, 2.0]]);
    let a = solve(&c);
    assert_eq!(a.row_to_col, vec![Some(1), Some(0), Some(2)]);
    assert_eq!(a.total_cost, 5.0);
}

#[test]
fn rectangular_both_ways() {
    // By hand: row 0 would like column 0 (1) but row 1 needs it more (2 vs 9 elsewhere):
    // {0→1, 1→0} costs 3 + 2 = 5 < {0→0, 1→2} = 1 + 9 = 10.
    let c = matrix(&[&[1.0, 3.0, 8.0], &[2.0, 9.0, 9.0]]);
    let a = solve(&c);
    assert_eq!(a.row_to_col, vec![Some(1), Some(0)]);
    assert_eq!(a.total_cost, 5.0);
    // The transpose: three rows, two columns; row 2 stays unassigned.
    let t = matrix(&[&[1.0, 2.0], &[3.0, 9.0], &[8.0, 9.0]]);
    let a = solve(&t);
    assert_eq!(a.row_to_col, vec![Some(1), Some(0), None]);
    assert_eq!(a.total_cost, 5.0);
    assert_eq!(a.col_to_row(2), vec![Some(1), Some(0)]);
}

#[test]
fn forbidden_pairs_prefer_more_assignments_over_cheaper_ones() {
    // Both rows can only use column 0; row 1 is cheaper there. Row 0 processed first must be
    // displaced, not kept.
    let inf = f64::INFINITY;
    let c = matrix(&[&[100.0, inf], &[1.0, inf]]);
    let a = solve(&c);
    assert_eq!(a.row_to_col, vec![None, Some(0)]);
    assert_eq!(a.total_cost, 1.0);
    // Two assignments (3 + 100) beat one cheap one (1).
    let c = matrix(&[&[1.0, 3.0], &[100.0, inf]]);
    let a = solve(&c);
    assert_eq!(a.row_to_col, vec![Some(1), Some(0)]);
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let inf = f64::INFINITY;
    for c in [
        CostMatrix::new(0, 0, 0.0),
        CostMatrix::new(0, 5, 1.0),
        CostMatrix::new(4, 0, 1.0),
        CostMatrix::new(3, 3, inf),
        CostMatrix::new(3, 2, f64::NAN),
        CostMatrix::new(2, 3, f64::NEG_INFINITY),
        matrix(&[&[inf, inf], &[f64::NAN, 2.0]]),
        matrix(&[&[1e308, 1e308], &[1e308, -1e308]]),
    ] {
        let a = solve(&c);
        assert_eq!(a.row_to_col.len(), c.rows());
        check_feasible(&c, &a);
    }
    let a = solve(&matrix(&[&[inf, inf], &[f64::NAN, 2.0]]));
    assert_eq!(a.row_to_col, vec![None, Some(1)]);
}

/// The sparse problem of a dense matrix: its finite entries.
fn entries_of(c: &CostMatrix) -> Vec<(usize, usize, f64)> {
    let mut e = Vec::new();
    for r in 0..c.rows() {
        for j in 0..c.cols() {
            if c.is_allowed(r, j) {
                e.push((r, j, c.get(r, j)));
            }
        }
    }
    e
}

/// Checks a sparse result against the entries and returns (assigned, cost of the pairs).
fn check_sparse(c: &CostMatrix, a: &[Option<usize>]) -> (usize, f64) {
    assert_eq!(a.len(), c.rows());
    let mut used = vec![false; c.cols()];
    let (mut k, mut sum) = (0, 0.0);
    for (r, col) in a.iter().enumerate() {
        if let Some(j) = *col {
            assert!(c.is_allowed(r, j), "forbidden pair ({r}, {j}) assigned");
            assert!(!used[j], "column {j} assigned twice");
            used[j] = true;
            k += 1;
            sum += c.get(r, j);
        }
    }
    (k, sum)
}

#[test]
fn sparse_equals_dense_and_brute_force_on_random_problems() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5BA25E);
    for case in 0..1000 {
        let rows = rng.random_range(0..=6);
        let cols = rng.random_range(0..=6);
        let mut c = CostMatrix::new(rows, cols, f64::INFINITY);
        for r in 0..rows {
            for j in 0..cols {
                if rng.random_bool(0.5) {
                    let v = if rng.random_bool(0.2) {
                        1.0
                    } else {
                        rng.random_range(-10.0..10.0)
                    };
                    c.set(r, j, v);
                }
            }
        }
        // Every row must be served if it can be: the problem of `solve`.
        let a = solve_sparse(rows, cols, entries_of(&c), &[]);
        let (k, cost) = check_sparse(&c, &a);
        let d = solve(&c);
        let want = brute(&c);
        assert_eq!((k, d.assigned()), (want.0, want.0), "case {case}: {c:?}");
        assert!(
            (cost - want.1).abs() <= 1e-9 && (d.total_cost - want.1).abs() <= 1e-9,
            "case {case}: sparse {cost}, dense {}, brute {}: {c:?}",
            d.total_cost,
            want.1
        );
    }
}

#[test]
fn sparse_with_miss_costs_is_optimal() {
    // Brute force over partial maps with a price per unassigned row (∞ = must be served).
    fn brute_miss(c: &CostMatrix, miss: &[f64]) -> (usize, f64) {
        fn rec(
            c: &CostMatrix,
            miss: &[f64],
            r: usize,
            used: &mut [bool],
            acc: (usize, f64),
            best: &mut (usize, f64),
        ) {
            if r == c.rows() {
                if acc.0 < best.0 || (acc.0 == best.0 && acc.1 < best.1) {
                    *best = acc;
                }
                return;
            }
            let skip = if miss[r].is_finite() {
                (acc.0, acc.1 + miss[r])
            } else {
                (acc.0 + 1, acc.1)
            };
            rec(c, miss, r + 1, used, skip, best);
            for j in 0..c.cols() {
                if !used[j] && c.is_allowed(r, j) {
                    used[j] = true;
                    rec(c, miss, r + 1, used, (acc.0, acc.1 + c.get(r, j)), best);
                    used[j] = false;
                }
            }
        }
        let mut best = (usize::MAX, f64::INFINITY);
        rec(c, miss, 0, &mut vec![false; c.cols()], (0, 0.0), &mut best);
        best
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x3155);
    for case in 0..1000 {
        let rows = rng.random_range(0..=6);
        let cols = rng.random_range(0..=6);
        let mut c = CostMatrix::new(rows, cols, f64::INFINITY);
        for r in 0..rows {
            for j in 0..cols {
                if rng.random_bool(0.4) {
                    c.set(r, j, rng.random_range(0.0..9.0));
                }
            }
        }
        let miss: Vec<f64> = (0..rows)
            .map(|_| {
                if rng.random_bool(0.2) {
                    f64::INFINITY
                } else {
                    rng.random_range(1.0..9.0)
                }
            })
            .collect();
        let a = solve_sparse(rows, cols, entries_of(&c), &miss);
        check_sparse(&c, &a);
        let unserved = (0..rows)
            .filter(|&r| a[r].is_none() && !miss[r].is_finite())
            .count();
        // Pairs taken plus the price of the rows that missed (those that cannot miss
        // are counted above instead).
        let cost: f64 = (0..rows)
            .map(|r| a[r].map_or(miss[r], |j| c.get(r, j)))
            .filter(|x| x.is_finite())
            .sum();
        let want = brute_miss(&c, &miss);
        assert_eq!(unserved, want.0, "case {case}");
        assert!(
            (cost - want.1).abs() <= 1e-9,
            "case {case}: got {cost} want {}",
            want.1
        );
    }
}

#[test]
fn sparse_degenerate_inputs_do_not_panic() {
    assert!(solve_sparse(0, 0, std::iter::empty(), &[]).is_empty());
    assert_eq!(solve_sparse(2, 0, [(0, 0, 1.0)], &[1.0]), vec![None, None]);
    assert_eq!(
        solve_sparse(
            2,
            2,
            [
                (0, 0, f64::NAN),
                (0, 1, f64::INFINITY),
                (5, 0, 1.0),
                (1, 1, 3.0),
                (1, 1, 2.0),
                (1, 0, f64::NEG_INFINITY),
            ],
            &[f64::NAN],
        ),
        vec![None, Some(1)]
    );
    let huge = [(0, 0, 1e308), (0, 1, 1e308), (1, 0, 1e308), (1, 1, -1e308)];
    let a = solve_sparse(2, 2, huge, &[]);
    assert_eq!(a.len(), 2);
    // A row displaced by a cheaper one (the dense test of the same name).
    assert_eq!(
        solve_sparse(2, 2, [(0, 0, 100.0), (1, 0, 1.0)], &[]),
        vec![None, Some(0)]
    );
}

/// A chain: row r may take column r (cost 1) or r + 1 (cost 0). Rows 0…n−2 first take the
/// free column to their right; the last row has only its own column, already taken, so its
/// search walks back the whole chain to the free column 0 and every row ends on its own
/// column (the only perfect assignment). One search of n steps, memory linear in the
/// entries.
#[test]
fn sparse_solves_a_long_chain() {
    let n = 20_000;
    let mut e = Vec::new();
    for r in 0..n {
        e.push((r, r, 1.0));
        if r + 1 < n {
            e.push((r, r + 1, 0.0));
        }
    }
    let a = solve_sparse(n, n, e, &[]);
    assert!(a.iter().enumerate().all(|(r, j)| *j == Some(r)));
}

#[test]
fn from_row_major_checks_length() {
    assert_eq!(
        CostMatrix::from_row_major(2, 3, vec![0.0; 5]),
        Err(AssignmentError::LengthMismatch {
            rows: 2,
            cols: 3,
            len: 5
        })
    );
}
