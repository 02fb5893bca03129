//! Helpers shared by the model tests.

use nalgebra::{SMatrix, SVector};

/// Central-difference Jacobian of `f` at `x` with per-component steps `step`.
pub(crate) fn central_difference<const N: usize, const M: usize>(
    f: impl Fn(&SVector<f64, N>) -> SVector<f64, M>,
    x: &SVector<f64, N>,
    step: &SVector<f64, N>,
) -> SMatrix<f64, M, N> {
    let mut j = SMatrix::<f64, M, N>::zeros();
    for k in 0..N {
        let mut xp = *x;
        let mut xm = *x;
        xp[k] += step[k];
        xm[k] -= step[k];
        j.set_column(k, &((f(&xp) - f(&xm)) / (2.0 * step[k])));
    }
    j
}

/// Asserts `|a − b| ≤ rel·max(|a|, |b|) + abs` entry by entry.
pub(crate) fn assert_close<const R: usize, const C: usize>(
    a: &SMatrix<f64, R, C>,
    b: &SMatrix<f64, R, C>,
    rel: f64,
    abs: f64,
    what: &str,
) {
    for i in 0..R {
        for j in 0..C {
            let (x, y) = (a[(i, j)], b[(i, j)]);
            let tol = rel * x.abs().max(y.abs()) + abs;
            assert!(
                (x - y).abs() <= tol,
                "{what}: ({i}, {j}): {x} vs {y} (tol {tol:e})\n{a}\n{b}"
            );
        }
    }
}
