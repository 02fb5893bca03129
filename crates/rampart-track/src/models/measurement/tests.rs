//! Tests of the parent module.

use super::*;
use crate::models::test_support::{assert_close, central_difference};
use nalgebra::Rotation3;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// A tilted, yawed radar: sensor frame ← world frame.
fn tilted() -> Matrix3<f64> {
    Rotation3::from_euler_angles(0.05, -0.1, 0.7).into_inner()
}

fn cv_state(p: [f64; 3], v: [f64; 3]) -> SVector<f64, 6> {
    SVector::<f64, 6>::from([p[0], v[0], p[1], v[1], p[2], v[2]])
}

#[test]
fn wrap_angle_lands_in_half_open_interval() {
    assert_eq!(wrap_angle(PI), PI);
    assert_eq!(wrap_angle(-PI), PI);
    assert!((wrap_angle(1.5 * PI) + FRAC_PI_2).abs() < 1e-15);
    assert!((wrap_angle(-1.5 * PI) - FRAC_PI_2).abs() < 1e-15);
    assert!((wrap_angle(7.0 * PI + 0.1) - (-PI + 0.1)).abs() < 1e-12);
    assert_eq!(wrap_angle(0.3), 0.3);
}

#[test]
fn linear_position_picks_position_for_every_layout() {
    let m6 = LinearPosition::<6>::new([1.0, 2.0, 3.0]);
    let x6 = SVector::<f64, 6>::from([1.0, 10.0, 2.0, 20.0, 3.0, 30.0]);
    assert_eq!(m6.function(&x6), Vector3::new(1.0, 2.0, 3.0));
    assert_eq!(m6.jacobian(&x6) * x6, m6.function(&x6));
    assert_eq!(
        m6.covariance(),
        Matrix3::from_diagonal(&Vector3::new(1.0, 4.0, 9.0))
    );

    let x7 = SVector::<f64, 7>::from([1.0, 10.0, 2.0, 20.0, 3.0, 30.0, 0.1]);
    let m7 = LinearPosition::<7>::new([1.0; 3]);
    assert_eq!(m7.function(&x7), Vector3::new(1.0, 2.0, 3.0));
    assert_eq!(m7.jacobian(&x7) * x7, m7.function(&x7));

    let x9 = SVector::<f64, 9>::from([1.0, 10.0, 100.0, 2.0, 20.0, 200.0, 3.0, 30.0, 300.0]);
    let m9 = LinearPosition::<9>::new([1.0; 3]);
    assert_eq!(m9.function(&x9), Vector3::new(1.0, 2.0, 3.0));
    assert_eq!(m9.jacobian(&x9) * x9, m9.function(&x9));

    let z = Vector3::new(4.0, 5.0, 6.0);
    assert_eq!(m6.inverse(&z), Some((z, m6.covariance())));
}

#[test]
fn radar_polar_known_geometry() {
    // Azimuth clockwise from +y (north): east is +90°, north 0°, west −90°.
    let m = RadarPolar::<6>::new([100.0, 200.0, 10.0], 1.0, 1e-3, 1e-3);
    let east = m.function(&cv_state([1100.0, 200.0, 10.0], [0.0; 3]));
    assert_close(
        &east,
        &Vector3::new(1000.0, FRAC_PI_2, 0.0),
        1e-15,
        0.0,
        "east",
    );
    let north = m.function(&cv_state([100.0, 1200.0, 10.0], [0.0; 3]));
    assert_close(&north, &Vector3::new(1000.0, 0.0, 0.0), 1e-15, 0.0, "north");
    let west_up = m.function(&cv_state([-900.0, 200.0, 1010.0], [0.0; 3]));
    assert_close(
        &west_up,
        &Vector3::new(1000.0 * 2f64.sqrt(), -FRAC_PI_2, FRAC_PI_4),
        1e-15,
        0.0,
        "west, 45° up",
    );
    // A radar whose +y axis faces west (its frame turned +90° about z) has sensor ← world
    // = rotation by −90°, and sees a target due west at azimuth 0.
    let yaw = Rotation3::from_axis_angle(&Vector3::z_axis(), -FRAC_PI_2).into_inner();
    let m = m.with_rotation(yaw);
    let west = m.function(&cv_state([-900.0, 200.0, 10.0], [0.0; 3]));
    assert_close(
        &west,
        &Vector3::new(1000.0, 0.0, 0.0),
        1e-15,
        1e-15,
        "west, yawed",
    );
}

#[test]
fn radar_polar_jacobian_matches_central_differences() {
    for rotation in [Matrix3::identity(), tilted()] {
        let m = RadarPolar::<9>::new([1e3, -2e3, 30.0], 5.0, 1e-3, 1e-3).with_rotation(rotation);
        for p in [[3e4, 4e4, 5e3], [-2e4, -1e3, 800.0], [100.0, -5e3, 2e4]] {
            let x = SVector::<f64, 9>::from([p[0], 100.0, 1.0, p[1], -50.0, 0.0, p[2], 3.0, -1.0]);
            let step = SVector::<f64, 9>::repeat(1e-2);
            let fd = central_difference(|s| m.function(s), &x, &step);
            assert_close(&m.jacobian(&x), &fd, 1e-6, 1e-12, "RadarPolar Jacobian");
        }
    }
}

#[test]
fn radar_polar_residual_wraps_across_pi() {
    let m = RadarPolar::<6>::new([0.0; 3], 1.0, 1e-3, 1e-3);
    let a = Vector3::new(1000.0, PI - 0.1, 0.2);
    let b = Vector3::new(990.0, -PI + 0.1, -0.1);
    let r = m.residual(&a, &b);
    assert_close(&r, &Vector3::new(10.0, -0.2, 0.3), 1e-12, 1e-12, "residual");
    let r = m.residual(&b, &a);
    assert_close(
        &r,
        &Vector3::new(-10.0, 0.2, -0.3),
        1e-12,
        1e-12,
        "residual reversed",
    );
    // A target just either side of south: its predicted and measured azimuths straddle ±π.
    let x = cv_state([-1.0, -1e4, 0.0], [0.0; 3]);
    let zhat = m.function(&x);
    let z = m.function(&cv_state([1.0, -1e4, 0.0], [0.0; 3]));
    assert!(zhat[1] < -3.0 && z[1] > 3.0);
    // Moving east while south of the sensor turns the azimuth anticlockwise: −2e-4 rad.
    assert!((m.residual(&z, &zhat)[1] + 2e-4).abs() < 1e-9);
}

#[test]
fn radar_polar_inverse_recovers_position() {
    for rotation in [Matrix3::identity(), tilted()] {
        let m = RadarPolar::<7>::new([1e3, -2e3, 30.0], 5.0, 1e-3, 1e-3).with_rotation(rotation);
        for p in [
            [3e4, 4e4, 5e3],
            [-2e4, -1e3, 800.0],
            [100.0, -5e3, 2e4],
            [-5e3, -5e3, -20.0],
        ] {
            let x = SVector::<f64, 7>::from([p[0], 1.0, p[1], 2.0, p[2], 3.0, 0.01]);
            let Some((q, cov)) = m.inverse(&m.function(&x)) else {
                panic!("invertible")
            };
            assert_close(&q, &Vector3::from(p), 1e-12, 1e-8, "inverse ∘ function");
            assert_eq!(cov, cov.transpose());
            // The converted covariance is the inverse of the linearisation: J_conv = H_pos⁻¹.
            let h = m.jacobian(&x);
            let hp = Matrix3::from_columns(&[h.column(0), h.column(2), h.column(4)]);
            let back = hp * cov * hp.transpose();
            assert_close(&back, &m.covariance(), 1e-8, 1e-14, "H P Hᵀ = R");
            // The cheap conversion gives the same position and the covariance's trace.
            let Some((q2, trace)) = m.inverse_position(&m.function(&x)) else {
                panic!("invertible")
            };
            assert_eq!(q2, q);
            assert!(
                (trace / cov.trace() - 1.0).abs() < 1e-12,
                "{trace} vs {}",
                cov.trace()
            );
        }
    }
}

/// X-Val: the linearised converted-measurement covariance against the sample covariance
/// of 10 000 converted noisy measurements (moderate noise: σ_az = σ_el = 10 mrad at 30 km
/// gives 300 m cross-range, where the linearisation bias ~σ²/2 is 5e-5; the sampling error
/// of a variance from 10 000 draws is √(2/10 000) ≈ 1.4 %).
fn check_converted_covariance(
    z: Vector3<f64>,
    polar_cov: Matrix3<f64>,
    cov: Matrix3<f64>,
    invert: impl Fn(&Vector3<f64>) -> Vector3<f64>,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(20_240_601);
    let n = 10_000;
    let sd = polar_cov.map(f64::sqrt);
    let mut samples = [Vector3::zeros(); 10_000];
    for s in samples.iter_mut() {
        let e = Vector3::new(
            rng.sample::<f64, _>(StandardNormal) * sd[(0, 0)],
            rng.sample::<f64, _>(StandardNormal) * sd[(1, 1)],
            rng.sample::<f64, _>(StandardNormal) * sd[(2, 2)],
        );
        *s = invert(&(z + e));
    }
    let mean = samples.iter().sum::<Vector3<f64>>() / n as f64;
    let mc = samples
        .iter()
        .map(|s| (s - mean) * (s - mean).transpose())
        .sum::<Matrix3<f64>>()
        / (n as f64 - 1.0);
    for i in 0..3 {
        for j in 0..3 {
            let scale = (cov[(i, i)] * cov[(j, j)]).sqrt();
            assert!(
                (mc[(i, j)] - cov[(i, j)]).abs() <= 0.05 * scale,
                "({i}, {j}): Monte Carlo {} vs linearised {}\n{mc}\n{cov}",
                mc[(i, j)],
                cov[(i, j)]
            );
        }
    }
}

#[test]
fn radar_polar_converted_covariance_matches_monte_carlo() {
    let m = RadarPolar::<6>::new([500.0, -300.0, 20.0], 20.0, 0.01, 0.01).with_rotation(tilted());
    let z = Vector3::new(3e4, 40f64.to_radians(), 20f64.to_radians());
    let Some((_, cov)) = m.inverse(&z) else {
        panic!("invertible")
    };
    let invert = |z: &Vector3<f64>| m.inverse(z).map(|(p, _)| p).unwrap_or_default();
    check_converted_covariance(z, m.covariance(), cov, invert);
}

#[test]
fn radar_range_rate_values_and_jacobian() {
    let m = RadarPolarRangeRate::<6>::new([1e3, 2e3, 0.0], 5.0, 1e-3, 1e-3, 0.5);
    // Receding along the line of sight at 300 m/s, plus crossing motion that adds nothing.
    let x = cv_state(
        [4e3, 6e3, 0.0],
        [0.6 * 300.0 - 0.8 * 50.0, 0.8 * 300.0 + 0.6 * 50.0, 0.0],
    );
    let z = m.function(&x);
    assert!(
        (z[0] - 5e3).abs() < 1e-9 && (z[3] - 300.0).abs() < 1e-9,
        "{z}"
    );
    // The first three components are those of the polar radar.
    let polar = m.polar().function(&x);
    assert_eq!(z.fixed_rows::<3>(0).into_owned(), polar);
    for rotation in [Matrix3::identity(), tilted()] {
        let m = m.with_rotation(rotation);
        for (p, v) in [
            ([3e4, 4e4, 5e3], [-200.0, 100.0, -30.0]),
            ([-2e4, -1e3, 800.0], [250.0, 0.0, 0.0]),
        ] {
            let x6 = cv_state(p, v);
            let step = SVector::<f64, 6>::repeat(1e-2);
            let fd = central_difference(|s| m.function(s), &x6, &step);
            assert_close(
                &m.jacobian(&x6),
                &fd,
                1e-6,
                1e-12,
                "range-rate Jacobian (N = 6)",
            );
            // CA layout: acceleration columns are zero, the rest moves with the layout.
            let x9 = SVector::<f64, 9>::from([p[0], v[0], 1.0, p[1], v[1], 2.0, p[2], v[2], 3.0]);
            let m9 = RadarPolarRangeRate::<9> {
                ..RadarPolarRangeRate::new(m.sensor, 5.0, 1e-3, 1e-3, 0.5)
            }
            .with_rotation(rotation);
            let step = SVector::<f64, 9>::repeat(1e-2);
            let fd = central_difference(|s| m9.function(s), &x9, &step);
            assert_close(
                &m9.jacobian(&x9),
                &fd,
                1e-6,
                1e-12,
                "range-rate Jacobian (N = 9)",
            );
        }
    }
}

#[test]
fn radar_range_rate_residual_inverse_and_covariance() {
    let m = RadarPolarRangeRate::<6>::new([0.0; 3], 5.0, 2e-3, 3e-3, 0.5).with_rotation(tilted());
    let r = m.residual(
        &SVector::<f64, 4>::new(1.0, -PI + 0.05, 0.0, 3.0),
        &SVector::<f64, 4>::new(0.5, PI - 0.05, 0.0, 1.0),
    );
    assert_close(
        &r,
        &SVector::<f64, 4>::new(0.5, 0.1, 0.0, 2.0),
        1e-12,
        1e-12,
        "residual",
    );
    assert_eq!(
        m.covariance(),
        SMatrix::<f64, 4, 4>::from_diagonal(&SVector::<f64, 4>::new(25.0, 4e-6, 9e-6, 0.25))
    );
    let x = cv_state([-7e3, 2e4, 3e3], [10.0, -200.0, 0.0]);
    let Some((p, cov)) = m.inverse(&m.function(&x)) else {
        panic!("invertible")
    };
    assert_close(
        &p,
        &Vector3::new(-7e3, 2e4, 3e3),
        1e-12,
        1e-8,
        "inverse ∘ function",
    );
    assert_eq!(Some((p, cov)), m.polar().inverse(&m.polar().function(&x)));
    let z = m.function(&x);
    let zp = Vector3::new(z[0], z[1], z[2]);
    let invert = |z: &Vector3<f64>| m.polar().inverse(z).map(|(p, _)| p).unwrap_or_default();
    check_converted_covariance(zp, m.polar().covariance(), cov, invert);
}

#[test]
fn degenerate_geometry_gives_finite_jacobians() {
    let m = RadarPolarRangeRate::<6>::new([0.0; 3], 5.0, 1e-3, 1e-3, 0.5);
    let zenith = cv_state([0.0, 0.0, 1e4], [1.0, 2.0, 3.0]);
    assert!(m.jacobian(&zenith).iter().all(|v| v.is_finite()));
    let at_sensor = cv_state([0.0; 3], [1.0, 2.0, 3.0]);
    assert!(m.jacobian(&at_sensor).iter().all(|v| v.is_finite()));
    assert!(m.function(&at_sensor).iter().all(|v| v.is_finite()));
}

/// The polar screen's bounds hold for the positions as converted: random pairs of
/// measurements (close and far, negative ranges, elevations past ±π/2) from radars at random
/// places and attitudes, against `inverse_position`.
#[test]
fn radar_polar_screens_bound_the_converted_positions() {
    let mut rng = ChaCha8Rng::seed_from_u64(41);
    let mut useful = 0;
    for round in 0..20_000 {
        let sensor = [
            rng.random_range(-1e6..1e6),
            rng.random_range(-1e6..1e6),
            rng.random_range(-1e3..1e4),
        ];
        let m = RadarPolar::<6>::new(sensor, 30.0, 1e-3, 2e-3).with_rotation(if round % 2 == 0 {
            Matrix3::identity()
        } else {
            tilted()
        });
        let r = rng.random_range(-1e3..4e5);
        let z = |rng: &mut ChaCha8Rng, r: f64| {
            Vector3::new(r, rng.random_range(-4.0..4.0), rng.random_range(-2.0..2.0))
        };
        let a = z(&mut rng, r);
        let near = rng.random_range(-1e4..1e4);
        let far = rng.random_range(-1e3..4e5);
        let b = if round % 3 == 0 {
            z(&mut rng, far)
        } else {
            Vector3::new(
                a.x + near,
                a.y + rng.random_range(-0.05..0.05),
                a.z + rng.random_range(-0.05..0.05),
            )
        };
        let (pa, ta) = MeasurementModel::<6, 3>::inverse_position(&m, &a).unwrap();
        let (pb, tb) = MeasurementModel::<6, 3>::inverse_position(&m, &b).unwrap();
        let (sa, sb) = (
            MeasurementModel::<6, 3>::screen(&m, &a).unwrap(),
            MeasurementModel::<6, 3>::screen(&m, &b).unwrap(),
        );
        let d = (pa - pb).norm();
        assert!(
            d >= (sa.key - sb.key).abs() - sa.slack - sb.slack,
            "{a} {b}"
        );
        // Apart by more than their distance: never.
        let apart = |x: f64| MeasurementModel::<6, 3>::surely_apart(&m, &a, &b, x);
        assert!(!apart(d), "{a} {b}: {d}");
        assert!(ta <= sa.trace && tb <= sb.trace);
        useful += usize::from(apart(0.5 * d));
    }
    assert!(useful > 10_000, "the bound is rarely close: {useful}");
}

/// The wrapped angle is the remainder's, bit for bit, on and off its shortcuts (within a turn
/// either side, the turns themselves, signed zeros, far angles, non-finite ones).
#[test]
fn wrap_angle_is_the_remainders() {
    use std::f64::consts::TAU;
    let reference = |a: f64| {
        let w = a.rem_euclid(TAU);
        if w > PI { w - TAU } else { w }
    };
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let mut values = vec![
        0.0,
        -0.0,
        TAU,
        -TAU,
        PI,
        -PI,
        1e-300,
        -1e-300,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    values.extend((0..100_000).map(|_| rng.random_range(-3.0 * TAU..3.0 * TAU)));
    values.extend((0..1_000).map(|_| rng.random_range(-1e6..1e6)));
    for a in values {
        assert_eq!(wrap_angle(a).to_bits(), reference(a).to_bits(), "{a}");
    }
}
