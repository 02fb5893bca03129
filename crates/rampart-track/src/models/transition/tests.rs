//! Tests of the parent module.

use super::*;
use crate::models::test_support::{assert_close, central_difference};
use std::f64::consts::FRAC_PI_2;

/// `∫₀ᵀ F(s) g gᵀ F(s)ᵀ ds` by composite Simpson with `n` (even) intervals: an independent
/// check of closed-form process noise (Van Loan 1978, IEEE TAC 23(3), the integral
/// definition of Q).
fn q_by_quadrature<const K: usize>(
    f: impl Fn(f64) -> SMatrix<f64, K, K>,
    g: &SVector<f64, K>,
    t: f64,
    n: usize,
) -> SMatrix<f64, K, K> {
    let h = t / n as f64;
    let mut sum = SMatrix::<f64, K, K>::zeros();
    for i in 0..=n {
        let w = if i == 0 || i == n {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let fg = f(i as f64 * h) * g;
        sum += fg * fg.transpose() * w;
    }
    sum * (h / 3.0)
}

#[test]
fn layout_indices() {
    assert_eq!(position_indices::<3>(), [0, 1, 2]);
    assert_eq!(position_indices::<6>(), [0, 2, 4]);
    assert_eq!(position_indices::<7>(), [0, 2, 4]);
    assert_eq!(position_indices::<9>(), [0, 3, 6]);
    assert_eq!(velocity_indices::<6>(), [1, 3, 5]);
    assert_eq!(velocity_indices::<7>(), [1, 3, 5]);
    assert_eq!(velocity_indices::<9>(), [1, 4, 7]);
}

#[test]
fn constant_velocity_moves_each_axis_and_q_is_the_integral() {
    let m = ConstantVelocity::new(2.0);
    let x = SVector::<f64, 6>::from([1.0, 10.0, 2.0, -20.0, 3.0, 5.0]);
    let y = m.function(&x, 2.0);
    assert_eq!(
        y,
        SVector::<f64, 6>::from([21.0, 10.0, -38.0, -20.0, 13.0, 5.0])
    );
    // Q = q ∫ F(s) [0 1]ᵀ[0 1] F(s)ᵀ ds (BLK §6.2.2 derivation).
    let t = 3.0;
    let block = q_by_quadrature(cv_f, &SVector::<f64, 2>::new(0.0, 1.0), t, 200) * 2.0;
    let q = m.covariance(&x, t);
    for axis in 0..3 {
        let b = q.fixed_view::<2, 2>(2 * axis, 2 * axis).into_owned();
        assert_close(&b, &block, 1e-12, 0.0, "CV Q block");
    }
    // No cross-axis terms.
    assert_eq!(q[(0, 2)], 0.0);
    assert_eq!(q[(1, 4)], 0.0);
}

#[test]
fn constant_acceleration_f_is_the_exponential_and_q_is_the_integral() {
    let m = ConstantAcceleration::new(0.7);
    let t = 2.5;
    let a = SMatrix::<f64, 3, 3>::new(0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0);
    let x = SVector::<f64, 9>::zeros();
    let f = m.jacobian(&x, t);
    assert_close(
        &f.fixed_view::<3, 3>(3, 3).into_owned(),
        &(a * t).exp(),
        1e-14,
        1e-15,
        "CA F",
    );
    let block = q_by_quadrature(ca_f, &SVector::<f64, 3>::new(0.0, 0.0, 1.0), t, 2000) * 0.7;
    let q = m.covariance(&x, t);
    for axis in 0..3 {
        let b = q.fixed_view::<3, 3>(3 * axis, 3 * axis).into_owned();
        assert_close(&b, &block, 1e-12, 0.0, "CA Q block");
    }
}

#[test]
fn singer_f_is_the_exponential_and_q_is_the_integral_on_both_branches() {
    // x = αT on either side of the series/closed-form switch at 1, and far beyond.
    let sigma_a = 3.0;
    for (tau, t) in [
        (100.0, 1.0),
        (4.0, 2.0),
        (2.0, 1.999_999),
        (2.0, 2.000_001),
        (1.0, 3.0),
        (0.1, 5.0),
    ] {
        let m = Singer::new(sigma_a, tau);
        let alpha = 1.0 / tau;
        let a = SMatrix::<f64, 3, 3>::new(0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, -alpha);
        // X-Val: nalgebra's Padé matrix exponential of A·T.
        assert_close(&m.f_block(t), &(a * t).exp(), 1e-12, 1e-14, "Singer F");
        // X-Val: Q = 2ασ² ∫ e^{As} e₃ e₃ᵀ e^{Aᵀs} ds by Simpson on the exponential (20 000
        // intervals: Simpson's error (αh)⁴/180 stays below 1e-12 even at αT = 50).
        let q_ref = q_by_quadrature(
            |s| (a * s).exp(),
            &SVector::<f64, 3>::new(0.0, 0.0, 1.0),
            t,
            20_000,
        ) * (2.0 * alpha * sigma_a * sigma_a);
        assert_close(&m.q_block(t), &q_ref, 1e-9, 0.0, "Singer Q");
    }
}

#[test]
fn singer_is_continuous_across_the_series_switch() {
    let m = Singer::new(1.0, 1.0);
    let below = m.q_block(1.0 - 1e-12);
    let above = m.q_block(1.0 + 1e-12);
    assert_close(&below, &above, 1e-10, 0.0, "Q across x = 1");
    let below = m.f_block(1.0 - 1e-12);
    let above = m.f_block(1.0 + 1e-12);
    assert_close(&below, &above, 1e-10, 0.0, "F across x = 1");
}

#[test]
fn singer_tends_to_constant_acceleration_as_tau_grows() {
    let x = SVector::<f64, 9>::zeros();
    let ca = ConstantAcceleration::new(0.0).jacobian(&x, 4.0);
    for tau in [1e6, 1e12, f64::INFINITY] {
        let f = Singer::new(5.0, tau).jacobian(&x, 4.0);
        assert_close(&f, &ca, 1e-5, 1e-12, "Singer F → CA F");
    }
    assert_eq!(Singer::new(5.0, f64::INFINITY).jacobian(&x, 4.0), ca);
    assert_eq!(
        Singer::new(5.0, f64::INFINITY).covariance(&x, 4.0),
        SMatrix::<f64, 9, 9>::zeros()
    );
    // Small α: Q ≈ 2ασ² × (white-jerk CA Q), the leading term of the series.
    let (sigma_a, tau, t) = (5.0, 1e6, 4.0);
    let q = Singer::new(sigma_a, tau).covariance(&x, t);
    let q_ca = ConstantAcceleration::new(2.0 * sigma_a * sigma_a / tau).covariance(&x, t);
    assert_close(&q, &q_ca, 1e-5, 0.0, "Singer Q → 2ασ²·CA Q");
}

#[test]
fn singer_q_vanishes_with_dt_and_is_symmetric_psd() {
    let x = SVector::<f64, 9>::zeros();
    let m = Singer::new(10.0, 20.0);
    // Q33 ≈ 2ασ²Δt dominates as Δt → 0.
    for dt in [1e-3, 1e-6, 1e-9] {
        let q = m.covariance(&x, dt);
        let bound = 2.0 * m.sigma_a * m.sigma_a / m.tau * dt * 1.000_001;
        assert!(q.abs().max() <= bound, "Δt = {dt}: {}", q.abs().max());
    }
    assert_eq!(m.covariance(&x, 0.0), SMatrix::<f64, 9, 9>::zeros());
    for tau in [0.01, 0.5, 3.0, 20.0, 1e4] {
        for dt in [0.01, 0.3, 1.0, 7.0, 60.0] {
            let q = Singer::new(10.0, tau).covariance(&x, dt);
            assert_eq!(q, q.transpose());
            let scale = q.abs().max();
            let min = q.symmetric_eigenvalues().min();
            assert!(
                min >= -1e-12 * scale,
                "τ = {tau}, Δt = {dt}: λmin = {min}, max = {scale}"
            );
        }
    }
}

#[test]
fn coordinated_turn_quarter_circle() {
    // ω = 0.1 rad/s, speed 200 m/s: radius 2 km, centre (0, R) for a left (CCW) turn.
    // After π/2 the target is at (R, R) heading +y (closed-form circle).
    let (omega, speed) = (0.1, 200.0);
    let r = speed / omega;
    let x = SVector::<f64, 7>::from([0.0, speed, 0.0, 0.0, 1000.0, 10.0, omega]);
    let dt = FRAC_PI_2 / omega;
    let y = CoordinatedTurn::new(1.0, 1e-4).function(&x, dt);
    let expect = SVector::<f64, 7>::from([r, 0.0, r, speed, 1000.0 + 10.0 * dt, 10.0, omega]);
    assert_close(&y, &expect, 1e-12, 1e-9, "quarter circle");
}

#[test]
fn coordinated_turn_without_turn_is_constant_velocity() {
    let ct = CoordinatedTurn::new(3.0, 1e-4);
    let cv = ConstantVelocity::new(3.0);
    let x6 = SVector::<f64, 6>::from([1.0, 100.0, -2.0, 50.0, 3000.0, -5.0]);
    let x7 = SVector::<f64, 7>::from([1.0, 100.0, -2.0, 50.0, 3000.0, -5.0, 0.0]);
    for dt in [0.0, 0.5, 10.0] {
        let y = ct.function(&x7, dt);
        assert_eq!(y.fixed_rows::<6>(0).into_owned(), cv.function(&x6, dt));
        assert_eq!(y[6], 0.0);
        let f = ct.jacobian(&x7, dt);
        assert_eq!(
            f.fixed_view::<6, 6>(0, 0).into_owned(),
            cv.jacobian(&x6, dt)
        );
        let q = ct.covariance(&x7, dt);
        assert_eq!(
            q.fixed_view::<6, 6>(0, 0).into_owned(),
            cv.covariance(&x6, dt)
        );
        assert_eq!(q[(6, 6)], 1e-4 * dt);
    }
}

#[test]
fn coordinated_turn_jacobian_matches_central_differences() {
    let m = CoordinatedTurn::new(1.0, 1e-3);
    for omega in [0.2, -0.05, 0.01, 1e-5, 1e-9, 0.0] {
        for dt in [0.1, 1.0, 4.0] {
            let x = SVector::<f64, 7>::from([1e4, 250.0, -3e3, -120.0, 5e3, 8.0, omega]);
            let h = SVector::<f64, 7>::from([1.0, 1e-2, 1.0, 1e-2, 1.0, 1e-2, 1e-4]);
            let fd = central_difference(|s| m.function(s, dt), &x, &h);
            let j = m.jacobian(&x, dt);
            assert_close(
                &j,
                &fd,
                1e-6,
                1e-7,
                &format!("CT Jacobian ω = {omega}, Δt = {dt}"),
            );
        }
    }
}

#[test]
fn coordinated_turn_series_matches_closed_form_at_the_switch() {
    // |ωΔt| just below and above 0.5 must give the same terms.
    let (lo, hi) = (turn_terms(0.5 - 1e-13, 1.0), turn_terms(0.5 + 1e-13, 1.0));
    for (a, b) in [(lo.a, hi.a), (lo.b, hi.b), (lo.da, hi.da), (lo.db, hi.db)] {
        assert!((a - b).abs() <= 1e-12 * a.abs().max(1e-3), "{a} vs {b}");
    }
}

#[test]
fn ballistic_in_vacuum_is_a_parabola() {
    let m = Ballistic::standard(1.0, 1e-8);
    let x = SVector::<f64, 7>::from([100.0, 700.0, -50.0, 300.0, 2e4, 1500.0, 0.0]);
    let t = 37.3;
    let y = m.function(&x, t);
    let g = STANDARD_GRAVITY;
    let expect = SVector::<f64, 7>::from([
        100.0 + 700.0 * t,
        700.0,
        -50.0 + 300.0 * t,
        300.0,
        2e4 + 1500.0 * t - 0.5 * g * t * t,
        1500.0 - g * t,
        0.0,
    ]);
    // RK4 integrates a quadratic in t exactly; only round-off remains.
    assert_close(&y, &expect, 1e-12, 1e-9, "vacuum parabola");
}

#[test]
fn ballistic_slows_to_terminal_speed() {
    // b = 0.05 m²/kg (β = 20 kg/m²): v_t = √(2g/(ρ b)) ≈ 17.9 m/s near the ground. Started
    // fast and falling, the speed must settle to the local terminal speed; the lag of the
    // quasi-steady state behind the slowly rising density is ~ v_t²/(2gH) ≈ 0.2 %.
    let m = Ballistic::standard(0.0, 0.0);
    let b = 0.05;
    let mut x = SVector::<f64, 7>::from([0.0, 60.0, 0.0, -30.0, 3000.0, -40.0, b]);
    for _ in 0..60 {
        x = m.function(&x, 1.0);
    }
    let speed = (x[1] * x[1] + x[3] * x[3] + x[5] * x[5]).sqrt();
    let vt = m.terminal_speed(x[4], b);
    assert!(x[4] > 500.0, "still airborne: z = {}", x[4]);
    assert!(
        (speed / vt - 1.0).abs() < 0.01,
        "speed {speed} vs terminal {vt}"
    );
    assert!(
        x[1].abs() < 1e-3 * vt && x[3].abs() < 1e-3 * vt,
        "horizontal motion decays"
    );
    // Constant-density check: the steady state is exactly the terminal speed.
    let flat = Ballistic {
        scale_height: 1e15,
        ..m
    };
    let mut x = SVector::<f64, 7>::from([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, b]);
    x = flat.function(&x, 60.0);
    let vt = flat.terminal_speed(0.0, b);
    assert!((-x[5] / vt - 1.0).abs() < 1e-6, "{} vs {vt}", -x[5]);
}

#[test]
fn ballistic_sparse_jacobian_product_equals_the_dense_one() {
    let m = Ballistic::standard(1.0, 1e-8);
    let x = SVector::<f64, 7>::from([1e4, 1500.0, 2e3, -600.0, 4e4, -2500.0, 2e-4]);
    let phi = SMatrix::<f64, 7, 7>::from_fn(|i, j| ((i * 7 + j) as f64 * 0.37).sin() + 0.1);
    let dense = m.derivative_jacobian(&x) * phi;
    let sparse = m.drag_jacobian(&x).times(&phi);
    // Same terms summed in the same order: equal to the last bit.
    assert_eq!(dense, sparse);
}

#[test]
fn ballistic_jacobian_matches_central_differences() {
    let m = Ballistic::standard(1.0, 1e-8);
    // (state, Δt, step in b): the b step is sized so that the change it makes in the
    // trajectory stands well above round-off.
    let cases = [
        // Re-entry vehicle at 40 km, β ≈ 5000 kg/m², 3 km/s.
        ([1e4, 1500.0, 2e3, -600.0, 4e4, -2500.0, 2e-4], 2.0, 1e-7),
        // Low, slow and draggy: several drag-limited sub-steps.
        ([0.0, 80.0, 0.0, 20.0, 2000.0, -60.0, 0.02], 1.5, 1e-6),
        // Vacuum (ρ ≈ 1e-12 kg/m³ at 200 km: the map is linear in b).
        ([0.0, 800.0, 0.0, 0.0, 2e5, 1000.0, 0.0], 3.0, 1e-1),
    ];
    for (x, dt, hb) in cases {
        let x = SVector::<f64, 7>::from(x);
        let h = SVector::<f64, 7>::from([1e-1, 1e-3, 1e-1, 1e-3, 1e-1, 1e-3, hb]);
        let fd = central_difference(|s| m.function(s, dt), &x, &h);
        let j = m.jacobian(&x, dt);
        assert_close(&j, &fd, 1e-6, 1e-8, &format!("ballistic Jacobian at {x:?}"));
    }
}

#[test]
fn ballistic_q_layout() {
    let m = Ballistic::standard(2.0, 1e-6);
    let x = SVector::<f64, 7>::zeros();
    let q = m.covariance(&x, 3.0);
    let cv = ConstantVelocity::new(2.0).covariance(&SVector::<f64, 6>::zeros(), 3.0);
    assert_eq!(q.fixed_view::<6, 6>(0, 0).into_owned(), cv);
    assert_eq!(q[(6, 6)], 3e-6);
    assert_eq!(q.row(6).iter().filter(|v| **v != 0.0).count(), 1);
    assert!(m.function(&x, f64::NAN).iter().all(|v| v.is_nan()));
}
