//! Gravity models: WGS-84 point mass plus the J2 zonal harmonic, or a plain point mass.
//!
//! J2 acceleration in an Earth-centred frame whose z axis is the rotation axis (Vallado,
//! *Fundamentals of Astrodynamics and Applications*, 4th ed., eq. 8-30). J2 is axially
//! symmetric, so the same expression holds in ECEF and in an inertial frame sharing its z axis.

use nalgebra::Vector3;
use rampart_core::geodesy::wgs84;

/// A gravity field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gravity {
    /// WGS-84 GM with the J2 oblateness term (the default).
    J2,
    /// A point mass of gravitational parameter `mu` (m³/s²); used by closed-form tests.
    PointMass {
        /// GM, m³/s².
        mu: f64,
    },
}

impl Gravity {
    /// Gravitational acceleration (m/s²) at position `r` (m) from the Earth's centre.
    #[inline]
    pub fn acceleration(&self, r: &Vector3<f64>) -> Vector3<f64> {
        let r2 = r.norm_squared();
        let rn = r2.sqrt();
        match *self {
            Gravity::PointMass { mu } => -mu / (r2 * rn) * r,
            Gravity::J2 => {
                let mu = wgs84::GM;
                let k = 1.5 * wgs84::J2 * wgs84::A * wgs84::A / r2;
                let z2r2 = r.z * r.z / r2;
                let c = -mu / (r2 * rn);
                Vector3::new(
                    c * r.x * (1.0 + k * (1.0 - 5.0 * z2r2)),
                    c * r.y * (1.0 + k * (1.0 - 5.0 * z2r2)),
                    c * r.z * (1.0 + k * (3.0 - 5.0 * z2r2)),
                )
            }
        }
    }

    /// Gravitational potential energy per unit mass (J/kg, zero at infinity).
    pub fn potential(&self, r: &Vector3<f64>) -> f64 {
        let rn = r.norm();
        match *self {
            Gravity::PointMass { mu } => -mu / rn,
            Gravity::J2 => {
                let s = r.z / rn;
                let p2 = 0.5 * (3.0 * s * s - 1.0);
                -wgs84::GM / rn * (1.0 - wgs84::J2 * (wgs84::A / rn).powi(2) * p2)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The acceleration is minus the gradient of the potential (central differences).
    #[test]
    fn acceleration_is_the_gradient_of_the_potential() {
        let g = Gravity::J2;
        let r = Vector3::new(3.1e6, 2.2e6, 5.0e6);
        let a = g.acceleration(&r);
        let h = 1.0;
        for i in 0..3 {
            let mut dp = r;
            let mut dm = r;
            dp[i] += h;
            dm[i] -= h;
            let grad = (g.potential(&dp) - g.potential(&dm)) / (2.0 * h);
            assert!(
                (a[i] + grad).abs() < 1e-7,
                "axis {i}: {} vs {}",
                a[i],
                -grad
            );
        }
    }

    /// Normal gravity magnitude on the equator is 9.7803 m/s² (WGS-84, NIMA TR8350.2 table 3.4,
    /// γe = 9.7803253359), of which the centrifugal part ω²a = 0.0339 m/s² is not gravitation;
    /// GM/a²·(1 + 1.5 J2) − ω²a must reproduce it to the neglected higher harmonics (~1e-5).
    #[test]
    fn equatorial_surface_gravity() {
        let a = Gravity::J2.acceleration(&Vector3::new(wgs84::A, 0.0, 0.0));
        let effective = a.norm() - wgs84::OMEGA.powi(2) * wgs84::A;
        assert!((effective - 9.780_325_335_9).abs() < 2e-4, "{effective}");
    }
}
