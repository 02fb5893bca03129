//! The optimal-assignment core shared by OSPA and GOSPA: a dense minimum-cost assignment
//! (Hungarian method in its shortest-augmenting-path form) and the cut-off min(d, c).
//!
//! This is deliberately self-contained so that the metrics do not depend on the tracker's
//! associator; once the associator's 2-D assignment solver settles, the two could share it.

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
    /// row is left over). Costs must be finite; non-finite entries are treated as `f64::MAX / 4`
    /// rather than allowed to stall the search.
    pub(super) fn solve(&self) -> Vec<Option<usize>> {
        if self.rows == 0 || self.cols == 0 {
            return vec![None; self.rows];
        }
        if self.rows <= self.cols {
            hungarian(self.rows, self.cols, |i, j| self.at(i, j))
                .into_iter()
                .map(Some)
                .collect()
        } else {
            // Transpose so that rows ≤ columns, then invert the matching.
            let col_to_row = hungarian(self.cols, self.rows, |j, i| self.at(i, j));
            let mut row_to_col = vec![None; self.rows];
            for (j, i) in col_to_row.into_iter().enumerate() {
                row_to_col[i] = Some(j);
            }
            row_to_col
        }
    }
}

/// Hungarian method, shortest-augmenting-path form with row and column potentials, O(n² m)
/// for `n ≤ m` (Kuhn 1955, Munkres 1957; this formulation after Jonker & Volgenant 1987).
/// Assigns every one of the `n` rows to a distinct column and returns the column of each row.
fn hungarian(n: usize, m: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<usize> {
    debug_assert!(n <= m);
    const BIG: f64 = f64::MAX / 4.0;
    let a = |i: usize, j: usize| {
        let v = cost(i - 1, j - 1);
        if v.is_finite() { v } else { BIG }
    };
    // 1-based; index 0 is the virtual root column / row.
    let mut u = vec![0.0_f64; n + 1];
    let mut v = vec![0.0_f64; m + 1];
    let mut row_of_col = vec![0_usize; m + 1];
    let mut way = vec![0_usize; m + 1];
    for i in 1..=n {
        row_of_col[0] = i;
        let mut j0 = 0_usize;
        let mut min_v = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = row_of_col[j0];
            let mut delta = f64::INFINITY;
            // Any unused column will do as a fallback; with n ≤ m one always exists.
            let mut j1 = (1..=m).find(|&j| !used[j]).unwrap_or(0);
            for j in 1..=m {
                if used[j] {
                    continue;
                }
                let cur = a(i0, j) - u[i0] - v[j];
                if cur < min_v[j] {
                    min_v[j] = cur;
                    way[j] = j0;
                }
                if min_v[j] < delta {
                    delta = min_v[j];
                    j1 = j;
                }
            }
            if !delta.is_finite() {
                delta = 0.0;
            }
            for j in 0..=m {
                if used[j] {
                    u[row_of_col[j]] += delta;
                    v[j] -= delta;
                } else {
                    min_v[j] -= delta;
                }
            }
            j0 = j1;
            if j0 == 0 || row_of_col[j0] == 0 {
                break;
            }
        }
        // Augment along the alternating path back to the root.
        while j0 != 0 {
            let j1 = way[j0];
            row_of_col[j0] = row_of_col[j1];
            j0 = j1;
        }
    }
    let mut col_of_row = vec![0_usize; n];
    for j in 1..=m {
        if row_of_col[j] != 0 {
            col_of_row[row_of_col[j] - 1] = j - 1;
        }
    }
    col_of_row
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
    fn hungarian_matches_brute_force() {
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
