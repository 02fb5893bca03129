//! The Earth a vehicle flies over: its gravity, its rotation, the surface heights are measured
//! from, and whether it has an atmosphere.
//!
//! States are integrated in ECEF. On a rotating Earth the frame adds the Coriolis and
//! centrifugal accelerations `−2ω×v − ω×(ω×r)` (Vallado, 4th ed., §3.7); the air rotates with the
//! Earth, so ECEF velocity is also air-relative velocity.

use super::atmosphere::{self, Air};
use super::gravity::Gravity;
use nalgebra::Vector3;
use rampart_core::frames::Coordinate;
use rampart_core::geodesy::{Geodetic, wgs84};

/// Above this height the air is vacuum: the top of the 1976 standard, m.
const AIR_TOP_M: f64 = atmosphere::TOP_M;

/// The surface altitudes are measured from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surface {
    /// The WGS-84 ellipsoid: altitude is geodetic height.
    Wgs84,
    /// A sphere of the given radius (m): altitude is `|r| − radius`.
    Sphere {
        /// Radius, m.
        radius_m: f64,
    },
}

/// The Earth model of a flight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarthModel {
    /// The gravity field.
    pub gravity: Gravity,
    /// Whether the frame rotates at the WGS-84 rate (adds Coriolis and centrifugal terms).
    pub rotating: bool,
    /// The reference surface.
    pub surface: Surface,
    /// Whether there is air (US Standard Atmosphere 1976); without it, no drag.
    pub atmosphere: bool,
}

impl Default for EarthModel {
    fn default() -> Self {
        Self::wgs84()
    }
}

impl EarthModel {
    /// The real Earth as Rampart models it: WGS-84 with J2, rotating, with the 1976 atmosphere.
    pub const fn wgs84() -> Self {
        Self {
            gravity: Gravity::J2,
            rotating: true,
            surface: Surface::Wgs84,
            atmosphere: true,
        }
    }

    /// A non-rotating spherical Earth of radius `radius_m` with point-mass gravity `mu` and no
    /// air: the world of the closed-form ballistic equations.
    pub const fn vacuum_sphere(mu: f64, radius_m: f64) -> Self {
        Self {
            gravity: Gravity::PointMass { mu },
            rotating: false,
            surface: Surface::Sphere { radius_m },
            atmosphere: false,
        }
    }

    /// Height above the reference surface, m.
    #[inline]
    pub fn altitude(&self, r: &Vector3<f64>) -> f64 {
        match self.surface {
            Surface::Wgs84 => Geodetic::height_from_ecef(&Coordinate::from_vector3(*r)),
            Surface::Sphere { radius_m } => r.norm() - radius_m,
        }
    }

    /// The local vertical (unit, up) at `r`.
    pub fn up(&self, r: &Vector3<f64>) -> Vector3<f64> {
        match self.surface {
            Surface::Wgs84 => {
                let g = Geodetic::from_ecef(&Coordinate::from_vector3(*r));
                let (sl, cl) = g.lat_rad.sin_cos();
                let (so, co) = g.lon_rad.sin_cos();
                Vector3::new(cl * co, cl * so, sl)
            }
            Surface::Sphere { .. } => r.normalize(),
        }
    }

    /// The air at altitude `alt_m`, or `None` in vacuum or above the standard's top at
    /// 1,000 km (where its density is 3.6e-15 kg/m³).
    #[inline]
    pub fn air(&self, alt_m: f64) -> Option<Air> {
        (self.atmosphere && alt_m < AIR_TOP_M).then(|| atmosphere::air(alt_m))
    }

    /// The air at position `r`, or `None` in vacuum or above 1,000 km.
    ///
    /// Uses a fast approximate height, `|r|` minus the ellipsoid radius at the geocentric
    /// latitude, which differs from the geodetic height by at most 0.6 m at 100 km, 1.6 m at
    /// 300 km and 4.9 m at 1,000 km (the angle between the two normals is at most 0.19°):
    /// negligible for density, whose scale height is kilometres. Altitudes that decide events
    /// use [`EarthModel::altitude`].
    #[inline]
    pub fn air_at(&self, r: &Vector3<f64>) -> Option<Air> {
        if !self.atmosphere {
            return None;
        }
        let alt = match self.surface {
            Surface::Sphere { radius_m } => r.norm() - radius_m,
            Surface::Wgs84 => fast_altitude(r),
        };
        self.air(alt)
    }

    /// Gravity plus, on a rotating Earth, the Coriolis and centrifugal accelerations, m/s².
    #[inline]
    pub fn field_acceleration(&self, r: &Vector3<f64>, v: &Vector3<f64>) -> Vector3<f64> {
        let g = self.gravity.acceleration(r);
        if !self.rotating {
            return g;
        }
        let w = wgs84::OMEGA;
        // ω = (0, 0, w): ω×v = (−w v_y, w v_x, 0); ω×(ω×r) = (−w² x, −w² y, 0).
        let coriolis = Vector3::new(2.0 * w * v.y, -2.0 * w * v.x, 0.0);
        let centrifugal = Vector3::new(w * w * r.x, w * w * r.y, 0.0);
        g + coriolis + centrifugal
    }

    /// Specific mechanical energy in the frame (J/kg): kinetic + gravitational, minus the
    /// centrifugal potential ½|ω×r|² on a rotating Earth (the Jacobi integral, conserved in
    /// vacuum).
    pub fn specific_energy(&self, r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
        let centrifugal = if self.rotating {
            0.5 * wgs84::OMEGA * wgs84::OMEGA * (r.x * r.x + r.y * r.y)
        } else {
            0.0
        };
        0.5 * v.norm_squared() + self.gravity.potential(r) - centrifugal
    }
}
/// Height above the WGS-84 ellipsoid approximated as `|r|` minus the ellipsoid radius at the
/// geocentric latitude: within 0.6 m of the geodetic height at 100 km, 1.6 m at 300 km and
/// 4.9 m at 1,000 km (the angle between the two normals is at most 0.19°), and far cheaper.
/// For densities and coarse checks; heights that decide events use [`EarthModel::altitude`].
#[inline]
pub fn fast_altitude(r: &Vector3<f64>) -> f64 {
    let rn2 = r.norm_squared();
    let rn = rn2.sqrt();
    let s2 = r.z * r.z / rn2; // sin² of geocentric latitude
    // Ellipsoid radius at geocentric latitude: a·b / √(b² cos² + a² sin²).
    let (a, b) = (wgs84::A, wgs84::B);
    rn - a * b / (b * b * (1.0 - s2) + a * a * s2).sqrt()
}
