//! The optimal-assignment core shared by OSPA and GOSPA: the cut-off min(d, c) and a dense
//! minimum-cost assignment, solved by the associator's shortest-augmenting-path solver
//! ([`crate::associator::assignment::solve`]).

use nalgebra::Vector3;

/// Euclidean distance between two 3-D positions, in metres.
pub(super) fn euclidean<A, B>(a: A, b: B) -> f64
where
    A: Copy + Into<Vector3<f64>>,
    B: Copy + Into<Vector3<f64>>,
{
    (a.into() - b.into()).norm()
}

/// min(d, c), with NaN treated as `c` and negative distances as 0.
pub(super) fn cut_off(d: f64, c: f64) -> f64 {
    if d.is_nan() { c } else { d.clamp(0.0, c) }
}

/// Dense cost matrix, row-major, `rows × cols`.
#[derive(Clone, Debug)]
pub(super) struct CostMatrix {
    pub(super) rows: usize,
    pub(super) cols: usize,
    pub(super) data: Vec<f64>,
}

impl CostMatrix {
    /// Builds the matrix from a cost function of (row, column).
    pub(super) fn from_fn(
        rows: usize,
        cols: usize,
        mut f: impl FnMut(usize, usize) -> f64,
    ) -> Self {
        let mut data = Vec::with_capacity(rows * cols);
        for i in 0..rows {
            for j in 0..cols {
                data.push(f(i, j));
            }
        }
        Self { rows, cols, data }
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    /// Minimum-cost assignment that matches min(rows, cols) pairs, each row and column at most
    /// once. Returns, for every row, its column (or `None` when rows outnumber columns and the
    /// row is left over). Non-finite entries are treated as `f64::MAX / 4`: every pair of a
    /// metric is allowed.
    pub(super) fn solve(&self) -> Vec<Option<usize>> {
        use crate::associator::assignment::{CostMatrix as Dense, solve};
        let mut dense = Dense::new(self.rows, self.cols, 0.0);
        for i in 0..self.rows {
            for j in 0..self.cols {
                let v = self.at(i, j);
                dense.set(i, j, if v.is_finite() { v } else { f64::MAX / 4.0 });
            }
        }
        solve(&dense).row_to_col
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// Brute force over all injections of the smaller side into the larger.
    fn brute_force(c: &CostMatrix) -> f64 {
        fn rec(c: &CostMatrix, i: usize, used: &mut Vec<bool>, acc: f64, best: &mut f64) {
            if i == c.rows {
                *best = best.min(acc);
                return;
            }
            for j in 0..c.cols {
                if !used[j] {
                    used[j] = true;
                    rec(c, i + 1, used, acc + c.at(i, j), best);
                    used[j] = false;
                }
            }
        }
        let t;
        let c = if c.rows <= c.cols {
            c
        } else {
            t = CostMatrix::from_fn(c.cols, c.rows, |i, j| c.at(j, i));
            &t
        };
        let mut best = f64::INFINITY;
        rec(c, 0, &mut vec![false; c.cols], 0.0, &mut best);
        best
    }

    fn cost_of(c: &CostMatrix, a: &[Option<usize>]) -> f64 {
        a.iter()
            .enumerate()
            .filter_map(|(i, j)| j.map(|j| c.at(i, j)))
            .sum()
    }

    /// X-Val: exhaustive enumeration of all assignments on random matrices up to 6 × 6.
    #[test]
    fn solve_matches_brute_force() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..300 {
            let rows = rng.random_range(0..=6);
            let cols = rng.random_range(0..=6);
            let c = CostMatrix::from_fn(rows, cols, |_, _| {
                // Mix of ties and spread values to exercise degenerate cases.
                if rng.random_bool(0.3) {
                    4.0
                } else {
                    rng.random_range(0.0..10.0)
                }
            });
            let a = c.solve();
            assert_eq!(a.len(), rows);
            let assigned: Vec<usize> = a.iter().flatten().copied().collect();
            assert_eq!(assigned.len(), rows.min(cols));
            let mut sorted = assigned.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), assigned.len(), "a column used twice");
            if rows.min(cols) > 0 {
                let got = cost_of(&c, &a);
                let want = brute_force(&c);
                assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
            }
        }
    }

    #[test]
    fn non_finite_costs_do_not_stall() {
        let c = CostMatrix::from_fn(2, 3, |i, j| if i == j { f64::NAN } else { 1.0 });
        let a = c.solve();
        assert_eq!(a.iter().flatten().count(), 2);
    }

    #[test]
    fn cut_off_treats_nan_as_c() {
        assert_eq!(cut_off(f64::NAN, 5.0), 5.0);
        assert_eq!(cut_off(f64::INFINITY, 5.0), 5.0);
        assert_eq!(cut_off(3.0, 5.0), 3.0);
        assert_eq!(cut_off(-1.0, 5.0), 0.0);
    }
}
