//! One-dimensional searches.

/// The most steps of [`golden_min`]: the interval shrinks by 0.618 per step, so 200 steps take
/// any finite interval below the spacing of `f64`.
pub const MAX_STEPS: usize = 200;

/// The point in `[a, b]` where `f` is least, by golden-section search to `tol` (> 0; at most
/// [`MAX_STEPS`] steps, so a `tol` below the numbers' spacing still ends), with its value. `f`
/// must be unimodal on the interval; its first error stops the search.
///
/// # Errors
/// The first error `f` returns.
pub fn golden_min<E>(
    mut a: f64,
    mut b: f64,
    tol: f64,
    mut f: impl FnMut(f64) -> Result<f64, E>,
) -> Result<(f64, f64), E> {
    let phi = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - phi * (b - a);
    let mut d = a + phi * (b - a);
    let (mut fc, mut fd) = (f(c)?, f(d)?);
    for _ in 0..MAX_STEPS {
        if b - a <= tol {
            break;
        }
        if fc < fd {
            b = d;
            (d, fd) = (c, fc);
            c = b - phi * (b - a);
            fc = f(c)?;
        } else {
            a = c;
            (c, fc) = (d, fd);
            d = a + phi * (b - a);
            fd = f(d)?;
        }
    }
    Ok(if fc < fd { (c, fc) } else { (d, fd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_least_point_of_a_parabola() {
        let (x, fx) =
            golden_min(-3.0, 5.0, 1e-10, |x| Ok::<_, ()>((x - 1.25).powi(2) + 2.0)).unwrap();
        // Near its least point a parabola is flat to within rounding over about √ε of it.
        assert!(
            (x - 1.25).abs() < 1e-6 && (fx - 2.0).abs() < 1e-12,
            "{x} {fx}"
        );
        assert_eq!(
            golden_min(0.0, 1.0, 1e-6, |_| Err::<f64, _>("stop")),
            Err("stop")
        );
    }
}
