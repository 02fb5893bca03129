//! How a state is seen: `z = h(x) + v`, `v ~ N(0, R)`.
//!
//! States follow the interleaved layout of [`super::transition`] (`[x, vx, y, vy, z, vz]`,
//! `[x, vx, ax, …]`, `[x, vx, y, vy, z, vz, ω]`, …); position and velocity are located with
//! [`position_indices`] and [`velocity_indices`], so every model here works for any `N` with
//! that layout (N = 6, 7, 9, …).
//!
//! # Equations
//!
//! * [`LinearPosition`]: `z = (x, y, z)`, `R = diag(σx², σy², σz²)`.
//! * [`RadarPolar`]: with the sensor at `s` and `R_s` the rotation sensor ← world,
//!   `d = R_s (p − s)`, `r = |d|`, azimuth `az = atan2(d_x, d_y)` (clockwise from the sensor's
//!   +y axis — north for an ENU-aligned sensor — in (−π, π]), elevation
//!   `el = atan2(d_z, √(d_x² + d_y²))`. Jacobian with `ρ² = d_x² + d_y²`:
//!   `∂r/∂d = dᵀ/r`, `∂az/∂d = (d_y, −d_x, 0)/ρ²`,
//!   `∂el/∂d = (−d_x d_z/(r²ρ), −d_y d_z/(r²ρ), ρ/r²)`, then `∂/∂p = ∂/∂d · R_s`.
//!   The inverse is `p = s + R_sᵀ r (cos el sin az, cos el cos az, sin el)` with the
//!   converted-measurement covariance `J R Jᵀ`, `J = ∂p/∂(r, az, el)` (the standard linearised
//!   conversion of Lerro & Bar-Shalom, "Tracking with debiased consistent converted
//!   measurements versus EKF", IEEE TAES 29(3), 1993, without their debiasing — the bias is of
//!   order σ_angle², negligible below ~0.05 rad).
//! * [`RadarPolarRangeRate`]: adds `ṙ = (p − s)·v/|p − s|` for a stationary sensor, with
//!   `∂ṙ/∂p = (v − ṙ u)ᵀ/r`, `∂ṙ/∂v = uᵀ`, `u = (p − s)/r`.
//!
//! Residuals wrap azimuth and elevation into (−π, π]. At the sensor's zenith (`ρ = 0`) and at
//! its position (`r = 0`) the angles are undefined; the Jacobian rows that divide by ρ or r
//! are then returned as zeros rather than NaN.

use nalgebra::{Matrix3, SMatrix, SVector, Vector3};

pub use super::transition::{position_indices, velocity_indices};

/// A measurement model from states of dimension `N` to measurements of dimension `M`.
pub trait MeasurementModel<const N: usize, const M: usize> {
    /// The noise-free measurement h(x).
    fn function(&self, x: &SVector<f64, N>) -> SVector<f64, M>;
    /// ∂h/∂x at `x` (the measurement matrix H for a linear model).
    fn jacobian(&self, x: &SVector<f64, N>) -> SMatrix<f64, M, N>;
    /// Measurement-noise covariance R.
    fn covariance(&self) -> SMatrix<f64, M, M>;
    /// The difference `a − b` of two measurements, with angles wrapped into (−π, π].
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        a - b
    }
    /// The inverse h⁻¹(z) for position-like measurements, used to initiate tracks: the state
    /// components it fixes (`Some`) and its Jacobian-propagated covariance, or `None` if the
    /// model cannot be inverted.
    fn inverse(&self, _z: &SVector<f64, M>) -> Option<(SVector<f64, 3>, SMatrix<f64, 3, 3>)> {
        None
    }
    /// The position of [`MeasurementModel::inverse`] and the trace of its covariance: what
    /// gating and track initiation test every detection with. A model overrides it when that
    /// costs less than the full conversion.
    fn inverse_position(&self, z: &SVector<f64, M>) -> Option<(SVector<f64, 3>, f64)> {
        self.inverse(z).map(|(p, r)| (p, r.trace()))
    }
}

/// Wraps an angle (rad) into (−π, π].
pub fn wrap_angle(a: f64) -> f64 {
    use std::f64::consts::{PI, TAU};
    // The remainder only when needed: most residuals are already within a turn.
    let w = if (0.0..TAU).contains(&a) {
        a
    } else {
        a.rem_euclid(TAU)
    };
    if w > PI { w - TAU } else { w }
}

/// Position (x, y, z) of an interleaved state, m.
fn position<const N: usize>(x: &SVector<f64, N>) -> Vector3<f64> {
    let [i, j, k] = position_indices::<N>();
    Vector3::new(x[i], x[j], x[k])
}

/// Velocity (vx, vy, vz) of an interleaved state, m/s.
fn velocity<const N: usize>(x: &SVector<f64, N>) -> Vector3<f64> {
    let [i, j, k] = velocity_indices::<N>();
    Vector3::new(x[i], x[j], x[k])
}

// ---------------------------------------------------------------------------------------------
// Linear position
// ---------------------------------------------------------------------------------------------

/// A Cartesian position measurement `z = (x, y, z)` in the tracking frame, metres, with
/// independent per-axis errors: `H` picks [`position_indices::<N>()`](position_indices) out of
/// the state, `R = diag(σ²)`. Works for any interleaved state (N = 3, 6, 7, 9, …).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearPosition<const N: usize> {
    /// Standard deviations of the x, y and z errors, m.
    pub sigma: [f64; 3],
}

impl<const N: usize> LinearPosition<N> {
    /// A position measurement with per-axis standard deviations `sigma` (m).
    pub const fn new(sigma: [f64; 3]) -> Self {
        Self { sigma }
    }

    /// The constant measurement matrix H (3×N): ones at the position indices.
    pub fn matrix(&self) -> SMatrix<f64, 3, N> {
        let mut h = SMatrix::<f64, 3, N>::zeros();
        for (row, col) in position_indices::<N>().into_iter().enumerate() {
            h[(row, col)] = 1.0;
        }
        h
    }
}

impl<const N: usize> MeasurementModel<N, 3> for LinearPosition<N> {
    fn function(&self, x: &SVector<f64, N>) -> SVector<f64, 3> {
        position(x)
    }
    fn jacobian(&self, _x: &SVector<f64, N>) -> SMatrix<f64, 3, N> {
        self.matrix()
    }
    fn covariance(&self) -> SMatrix<f64, 3, 3> {
        let [a, b, c] = self.sigma;
        Matrix3::from_diagonal(&Vector3::new(a * a, b * b, c * c))
    }
    fn inverse(&self, z: &SVector<f64, 3>) -> Option<(SVector<f64, 3>, SMatrix<f64, 3, 3>)> {
        Some((*z, self.covariance()))
    }
}

// ---------------------------------------------------------------------------------------------
// Polar geometry shared by the radar models
// ---------------------------------------------------------------------------------------------

/// (range, azimuth, elevation) of a sensor-frame offset `d`.
fn polar(d: &Vector3<f64>) -> Vector3<f64> {
    let rho = d.x.hypot(d.y);
    Vector3::new(d.norm(), d.x.atan2(d.y), d.z.atan2(rho))
}

/// ∂(r, az, el)/∂d, with the undefined rows zeroed at r = 0 / ρ = 0.
fn polar_jacobian(d: &Vector3<f64>) -> Matrix3<f64> {
    let rho2 = d.x * d.x + d.y * d.y;
    let rho = rho2.sqrt();
    let r2 = rho2 + d.z * d.z;
    let r = r2.sqrt();
    let mut j = Matrix3::zeros();
    if r > 0.0 {
        j.set_row(0, &(d / r).transpose());
    }
    if rho > 0.0 {
        j[(1, 0)] = d.y / rho2;
        j[(1, 1)] = -d.x / rho2;
        j[(2, 0)] = -d.x * d.z / (r2 * rho);
        j[(2, 1)] = -d.y * d.z / (r2 * rho);
        j[(2, 2)] = rho / r2;
    }
    j
}

/// Sensor-frame offset of (range, azimuth, elevation) and its Jacobian ∂d/∂(r, az, el).
fn from_polar(r: f64, az: f64, el: f64) -> (Vector3<f64>, Matrix3<f64>) {
    let (sa, ca) = az.sin_cos();
    let (se, ce) = el.sin_cos();
    let d = Vector3::new(r * ce * sa, r * ce * ca, r * se);
    #[rustfmt::skip]
    let j = Matrix3::new(
        ce * sa, r * ce * ca, -r * se * sa,
        ce * ca, -r * ce * sa, -r * se * ca,
        se,      0.0,          r * ce,
    );
    (d, j)
}

/// The converted (Cartesian, world-frame) position of a polar measurement (as
/// [`polar_inverse`]'s) and the trace of its covariance. The trace is rotation-invariant:
/// with `R = diag(σ_r², σ_az², σ_el²)`, `tr(J R Jᵀ) = Σ_k σ_k² |∂d/∂z_k|²`
/// (`= σ_r² + (r cos el)² σ_az² + r² σ_el²`), without the matrix products.
fn polar_inverse_position(
    sensor: &[f64; 3],
    rotation: &Matrix3<f64>,
    z: &Vector3<f64>,
    sigmas: [f64; 3],
) -> (Vector3<f64>, f64) {
    let (d, jd) = from_polar(z.x, z.y, z.z);
    let p = Vector3::from(*sensor) + rotation.transpose() * d;
    let trace = (0..3)
        .map(|k| (sigmas[k] * sigmas[k]) * jd.column(k).norm_squared())
        .sum();
    (p, trace)
}

/// The converted (Cartesian, world-frame) position and covariance of a polar measurement.
fn polar_inverse(
    sensor: &[f64; 3],
    rotation: &Matrix3<f64>,
    z: &Vector3<f64>,
    polar_cov: &Matrix3<f64>,
) -> (Vector3<f64>, Matrix3<f64>) {
    let (d, jd) = from_polar(z.x, z.y, z.z);
    let rt = rotation.transpose();
    let p = Vector3::from(*sensor) + rt * d;
    let j = rt * jd;
    let cov = j * polar_cov * j.transpose();
    (p, (cov + cov.transpose()) * 0.5)
}

// ---------------------------------------------------------------------------------------------
// Radar: range, azimuth, elevation
// ---------------------------------------------------------------------------------------------

/// A 3-D radar measuring range, azimuth and elevation of the target relative to its own
/// position and orientation.
///
/// `z = (r, az, el)`: slant range in metres, azimuth in radians clockwise from the sensor's +y
/// axis (`atan2(d_x, d_y)`, in (−π, π]; north for an ENU-aligned sensor), elevation in radians
/// above the sensor's x-y plane (`atan2(d_z, ρ)`), where `d = rotation·(p − sensor)`. States use
/// the interleaved layout ([`position_indices`]). `R = diag(σ_r², σ_az², σ_el²)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RadarPolar<const N: usize> {
    /// Sensor position in the tracking (world) frame, m.
    pub sensor: [f64; 3],
    /// Rotation sensor frame ← world frame (`d_sensor = rotation·d_world`); identity means the
    /// sensor axes are the world axes (x east, y north, z up for ENU).
    pub rotation: Matrix3<f64>,
    /// Standard deviation of the range error, m.
    pub sigma_range: f64,
    /// Standard deviation of the azimuth error, rad.
    pub sigma_azimuth: f64,
    /// Standard deviation of the elevation error, rad.
    pub sigma_elevation: f64,
}

impl<const N: usize> RadarPolar<N> {
    /// A radar at `sensor` (m, world frame) aligned with the world axes, with range (m),
    /// azimuth (rad) and elevation (rad) error standard deviations.
    pub fn new(
        sensor: [f64; 3],
        sigma_range: f64,
        sigma_azimuth: f64,
        sigma_elevation: f64,
    ) -> Self {
        Self {
            sensor,
            rotation: Matrix3::identity(),
            sigma_range,
            sigma_azimuth,
            sigma_elevation,
        }
    }

    /// The same radar with orientation `rotation` (sensor frame ← world frame).
    pub fn with_rotation(mut self, rotation: Matrix3<f64>) -> Self {
        self.rotation = rotation;
        self
    }

    /// Target offset from the sensor in the sensor frame, m.
    fn offset(&self, x: &SVector<f64, N>) -> Vector3<f64> {
        self.rotation * (position(x) - Vector3::from(self.sensor))
    }

    /// `R` of the three polar components.
    fn polar_covariance(&self) -> Matrix3<f64> {
        Matrix3::from_diagonal(&Vector3::new(
            self.sigma_range * self.sigma_range,
            self.sigma_azimuth * self.sigma_azimuth,
            self.sigma_elevation * self.sigma_elevation,
        ))
    }
}

impl<const N: usize> MeasurementModel<N, 3> for RadarPolar<N> {
    fn function(&self, x: &SVector<f64, N>) -> SVector<f64, 3> {
        polar(&self.offset(x))
    }
    fn jacobian(&self, x: &SVector<f64, N>) -> SMatrix<f64, 3, N> {
        let jp = polar_jacobian(&self.offset(x)) * self.rotation;
        let mut h = SMatrix::<f64, 3, N>::zeros();
        for (k, col) in position_indices::<N>().into_iter().enumerate() {
            h.set_column(col, &jp.column(k));
        }
        h
    }
    fn covariance(&self) -> SMatrix<f64, 3, 3> {
        self.polar_covariance()
    }
    fn residual(&self, a: &SVector<f64, 3>, b: &SVector<f64, 3>) -> SVector<f64, 3> {
        let d = a - b;
        Vector3::new(d.x, wrap_angle(d.y), wrap_angle(d.z))
    }
    fn inverse(&self, z: &SVector<f64, 3>) -> Option<(SVector<f64, 3>, SMatrix<f64, 3, 3>)> {
        Some(polar_inverse(
            &self.sensor,
            &self.rotation,
            z,
            &self.polar_covariance(),
        ))
    }
    fn inverse_position(&self, z: &SVector<f64, 3>) -> Option<(SVector<f64, 3>, f64)> {
        Some(polar_inverse_position(
            &self.sensor,
            &self.rotation,
            z,
            [self.sigma_range, self.sigma_azimuth, self.sigma_elevation],
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Radar: range, azimuth, elevation, range rate
// ---------------------------------------------------------------------------------------------

/// A 3-D Doppler radar: [`RadarPolar`] plus range rate, for a stationary sensor.
///
/// `z = (r, az, el, ṙ)` with `ṙ = (p − s)·v/|p − s|` in m/s (positive opening), `r`, `az`,
/// `el` as in [`RadarPolar`]. Needs a state with velocity ([`velocity_indices`], N ≥ 6).
/// `R = diag(σ_r², σ_az², σ_el², σ_ṙ²)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RadarPolarRangeRate<const N: usize> {
    /// Sensor position in the tracking (world) frame, m. The sensor is assumed not to move.
    pub sensor: [f64; 3],
    /// Rotation sensor frame ← world frame; identity means sensor axes = world axes.
    pub rotation: Matrix3<f64>,
    /// Standard deviation of the range error, m.
    pub sigma_range: f64,
    /// Standard deviation of the azimuth error, rad.
    pub sigma_azimuth: f64,
    /// Standard deviation of the elevation error, rad.
    pub sigma_elevation: f64,
    /// Standard deviation of the range-rate error, m/s.
    pub sigma_range_rate: f64,
}

impl<const N: usize> RadarPolarRangeRate<N> {
    /// A Doppler radar at `sensor` (m, world frame) aligned with the world axes, with range
    /// (m), azimuth (rad), elevation (rad) and range-rate (m/s) error standard deviations.
    pub fn new(
        sensor: [f64; 3],
        sigma_range: f64,
        sigma_azimuth: f64,
        sigma_elevation: f64,
        sigma_range_rate: f64,
    ) -> Self {
        Self {
            sensor,
            rotation: Matrix3::identity(),
            sigma_range,
            sigma_azimuth,
            sigma_elevation,
            sigma_range_rate,
        }
    }

    /// The same radar with orientation `rotation` (sensor frame ← world frame).
    pub fn with_rotation(mut self, rotation: Matrix3<f64>) -> Self {
        self.rotation = rotation;
        self
    }

    /// The range/azimuth/elevation part of this radar.
    pub fn polar(&self) -> RadarPolar<N> {
        RadarPolar {
            sensor: self.sensor,
            rotation: self.rotation,
            sigma_range: self.sigma_range,
            sigma_azimuth: self.sigma_azimuth,
            sigma_elevation: self.sigma_elevation,
        }
    }
}

impl<const N: usize> MeasurementModel<N, 4> for RadarPolarRangeRate<N> {
    fn function(&self, x: &SVector<f64, N>) -> SVector<f64, 4> {
        let los = position(x) - Vector3::from(self.sensor);
        let z = polar(&(self.rotation * los));
        let rdot = if z.x > 0.0 {
            los.dot(&velocity(x)) / z.x
        } else {
            0.0
        };
        SVector::<f64, 4>::new(z.x, z.y, z.z, rdot)
    }
    fn jacobian(&self, x: &SVector<f64, N>) -> SMatrix<f64, 4, N> {
        let los = position(x) - Vector3::from(self.sensor);
        let v = velocity(x);
        let jp = polar_jacobian(&(self.rotation * los)) * self.rotation;
        let r = los.norm();
        let (drdp, drdv) = if r > 0.0 {
            let u = los / r;
            let rdot = u.dot(&v);
            ((v - u * rdot) / r, u)
        } else {
            (Vector3::zeros(), Vector3::zeros())
        };
        let mut h = SMatrix::<f64, 4, N>::zeros();
        let pos = position_indices::<N>();
        let vel = velocity_indices::<N>();
        for k in 0..3 {
            for row in 0..3 {
                h[(row, pos[k])] = jp[(row, k)];
            }
            h[(3, pos[k])] = drdp[k];
            h[(3, vel[k])] = drdv[k];
        }
        h
    }
    fn covariance(&self) -> SMatrix<f64, 4, 4> {
        SMatrix::<f64, 4, 4>::from_diagonal(&SVector::<f64, 4>::new(
            self.sigma_range * self.sigma_range,
            self.sigma_azimuth * self.sigma_azimuth,
            self.sigma_elevation * self.sigma_elevation,
            self.sigma_range_rate * self.sigma_range_rate,
        ))
    }
    fn residual(&self, a: &SVector<f64, 4>, b: &SVector<f64, 4>) -> SVector<f64, 4> {
        let d = a - b;
        SVector::<f64, 4>::new(d[0], wrap_angle(d[1]), wrap_angle(d[2]), d[3])
    }
    fn inverse(&self, z: &SVector<f64, 4>) -> Option<(SVector<f64, 3>, SMatrix<f64, 3, 3>)> {
        let zp = Vector3::new(z[0], z[1], z[2]);
        Some(polar_inverse(
            &self.sensor,
            &self.rotation,
            &zp,
            &self.polar().polar_covariance(),
        ))
    }
}

#[cfg(test)]
mod tests {
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
            let m =
                RadarPolar::<9>::new([1e3, -2e3, 30.0], 5.0, 1e-3, 1e-3).with_rotation(rotation);
            for p in [[3e4, 4e4, 5e3], [-2e4, -1e3, 800.0], [100.0, -5e3, 2e4]] {
                let x =
                    SVector::<f64, 9>::from([p[0], 100.0, 1.0, p[1], -50.0, 0.0, p[2], 3.0, -1.0]);
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
            let m =
                RadarPolar::<7>::new([1e3, -2e3, 30.0], 5.0, 1e-3, 1e-3).with_rotation(rotation);
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
        let m =
            RadarPolar::<6>::new([500.0, -300.0, 20.0], 20.0, 0.01, 0.01).with_rotation(tilted());
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
                let x9 =
                    SVector::<f64, 9>::from([p[0], v[0], 1.0, p[1], v[1], 2.0, p[2], v[2], 3.0]);
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
        let m =
            RadarPolarRangeRate::<6>::new([0.0; 3], 5.0, 2e-3, 3e-3, 0.5).with_rotation(tilted());
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
}
