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
    /// What can be told of a measurement's [`MeasurementModel::inverse_position`] without
    /// working it out, to screen pairs of measurements before converting them (velocity-gated
    /// initiation pairs every unused detection with the last scan's). `None` (the default):
    /// the positions are converted.
    fn screen(&self, _z: &SVector<f64, M>) -> Option<Screen> {
        None
    }
    /// Whether the positions of `a` and `b` ([`MeasurementModel::inverse_position`], as
    /// computed) are surely more than `distance` apart, told from the measurements alone
    /// (`false` when it cannot be told, as by default).
    fn surely_apart(&self, _a: &SVector<f64, M>, _b: &SVector<f64, M>, _distance: f64) -> bool {
        false
    }
}

/// A measurement's position as far as [`MeasurementModel::screen`] can tell without working it
/// out: the distance between the positions of two measurements a and b (as computed) is at
/// least |a.key − b.key| − a.slack − b.slack, and the trace of a position's covariance is at
/// most `trace`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Screen {
    /// A coordinate that changes no faster than position (a radar's range), m.
    pub key: f64,
    /// Allowance for rounding, m.
    pub slack: f64,
    /// An upper bound on the trace of the position's covariance, m².
    pub trace: f64,
}

/// The relative allowance of the screens' bounds for rounding: a converted position is a few
/// units in the last place (10⁻¹⁶ relative) off its exact value, far below it.
const SCREEN_TOLERANCE: f64 = 1e-9;

/// Wraps an angle (rad) into (−π, π].
pub fn wrap_angle(a: f64) -> f64 {
    use std::f64::consts::{PI, TAU};
    // The remainder only when needed: most residuals are within a turn either side, where it
    // is `a` or `a + 2π` (for −2π < a < 0 the remainder is `a` itself, and `rem_euclid`
    // adds 2π to it: the same operation; −2π itself gives −0, so it takes the general way).
    // The remainder is a library call costing more than the rest of a gate test.
    let w = if (0.0..TAU).contains(&a) {
        a
    } else if a < 0.0 && a > -TAU {
        a + TAU
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

    /// How far rounding may move a converted position at range `r` (m), with room to spare:
    /// it is the sensor's offset plus the rotated polar offset, each a few units in the last
    /// place off.
    fn slack(&self, r: f64) -> f64 {
        SCREEN_TOLERANCE * (1.0 + r + Vector3::from(self.sensor).norm())
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
    /// Key: |range| (the distance of the position from the sensor, so two positions are at
    /// least the difference apart). Trace: σ_r² + (r cos el)² σ_az² + r² σ_el² is at most
    /// σ_r² + r²(σ_az² + σ_el²).
    fn screen(&self, z: &SVector<f64, 3>) -> Option<Screen> {
        let r = z.x.abs();
        let (sr, sa, se) = (self.sigma_range, self.sigma_azimuth, self.sigma_elevation);
        let trace = sr * sr + r * r * (sa * sa + se * se);
        Some(Screen {
            key: r,
            slack: self.slack(r),
            trace: trace * (1.0 + SCREEN_TOLERANCE),
        })
    }
    /// With ranges r₁, r₂ ≥ 0 and θ the angle between the two directions,
    /// |p₁ − p₂|² = (r₁ − r₂)² + 4 r₁ r₂ sin²(θ/2), and by the haversine formula (elevation
    /// as latitude, azimuth as longitude, elevations within ±π/2)
    /// 4 sin²(θ/2) = 4 sin²(Δel/2) + cos el₁ cos el₂ · 4 sin²(Δaz/2); bounded below without
    /// trigonometry by 2 sin(x/2) ≥ x (1 − x²/24) on [0, π] and cos e ≥ 1 − e²/2. The terms
    /// are tried cheapest first.
    fn surely_apart(&self, a: &SVector<f64, 3>, b: &SVector<f64, 3>, distance: f64) -> bool {
        let (ra, rb) = (a.x, b.x);
        // The distances from the sensor are |r|; the rounding allowance is added to the
        // distance to beat.
        let d = distance + self.slack(ra.abs()) + self.slack(rb.abs());
        let dr = (ra.abs() - rb.abs()).abs();
        if dr > d {
            return true;
        }
        let half_pi = std::f64::consts::FRAC_PI_2;
        if !(ra >= 0.0 && rb >= 0.0 && a.z.abs() <= half_pi && b.z.abs() <= half_pi && d >= 0.0) {
            return false;
        }
        let chord = |x: f64| x * (1.0 - x * x / 24.0);
        let ce = chord((a.z - b.z).abs());
        let known = dr * dr + ra * rb * ce * ce;
        let d2 = d * d;
        if known > d2 {
            return true;
        }
        let daz = match (a.y - b.y).abs() {
            x if x <= std::f64::consts::PI => x,
            _ => wrap_angle(a.y - b.y).abs(),
        };
        let cos_lower = |e: f64| (1.0 - 0.5 * e * e).max(0.0);
        let ca = chord(daz);
        known + ra * rb * cos_lower(a.z) * cos_lower(b.z) * ca * ca > d2
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
mod tests;
