//! WGS-84 geodesy: geodetic ⇄ ECEF ⇄ local ENU, azimuth/elevation/range, and geodesics.
//!
//! Conventions: latitude and longitude in radians inside (degrees only at the edges, in the
//! `*_deg` constructors and accessors); altitude is height above the WGS-84 ellipsoid in metres;
//! azimuth is measured clockwise from true north; elevation above the local horizontal plane
//! (normal to the ellipsoid).
//!
//! ECEF → geodetic uses Heikkinen's exact closed form (Heikkinen 1982; Zhu 1993), accurate to well
//! under a millimetre from the Earth's interior out past geostationary altitude. Geodesic distance
//! and azimuth use Karney's algorithm (C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87,
//! 2013) through the `geographiclib-rs` crate.

use crate::frames::{Coordinate, Ecef, Enu, Vector};
use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use nalgebra::{Matrix3, Vector3};
use std::sync::OnceLock;

/// The WGS-84 defining and derived constants (NIMA TR8350.2, 3rd ed., tables 3.1 and 3.3).
pub mod wgs84 {
    /// Semi-major axis, m.
    pub const A: f64 = 6_378_137.0;
    /// Flattening.
    pub const F: f64 = 1.0 / 298.257_223_563;
    /// Semi-minor axis, m.
    pub const B: f64 = A * (1.0 - F);
    /// First eccentricity squared.
    pub const E2: f64 = F * (2.0 - F);
    /// Second eccentricity squared.
    pub const EP2: f64 = E2 / (1.0 - E2);
    /// Earth's gravitational parameter GM including the atmosphere, m³/s².
    pub const GM: f64 = 3.986_004_418e14;
    /// Nominal mean angular velocity of the Earth, rad/s.
    pub const OMEGA: f64 = 7.292_115e-5;
    /// Second zonal harmonic J2 = -√5·C̄₂₀ with C̄₂₀ = -4.841 667 749 85e-4 (EGM96).
    pub const J2: f64 = 1.082_629_821_313_8e-3;
}

/// A point given by WGS-84 geodetic latitude, longitude (radians) and ellipsoidal height (m).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geodetic {
    /// Geodetic latitude, radians, positive north.
    pub lat_rad: f64,
    /// Longitude, radians, positive east.
    pub lon_rad: f64,
    /// Height above the WGS-84 ellipsoid, metres.
    pub alt_m: f64,
}

impl Geodetic {
    /// A point from latitude and longitude in degrees and height in metres.
    pub fn from_degrees(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Self {
        Self {
            lat_rad: lat_deg.to_radians(),
            lon_rad: lon_deg.to_radians(),
            alt_m,
        }
    }
    /// Latitude in degrees.
    pub fn lat_deg(&self) -> f64 {
        self.lat_rad.to_degrees()
    }
    /// Longitude in degrees, in (-180, 180].
    pub fn lon_deg(&self) -> f64 {
        let d = self.lon_rad.to_degrees();
        let w = (d + 180.0).rem_euclid(360.0) - 180.0;
        if w == -180.0 { 180.0 } else { w }
    }

    /// The ECEF position of this point.
    pub fn to_ecef(&self) -> Coordinate<Ecef> {
        let (sl, cl) = self.lat_rad.sin_cos();
        let (so, co) = self.lon_rad.sin_cos();
        let n = wgs84::A / (1.0 - wgs84::E2 * sl * sl).sqrt();
        Coordinate::new(
            (n + self.alt_m) * cl * co,
            (n + self.alt_m) * cl * so,
            (n * (1.0 - wgs84::E2) + self.alt_m) * sl,
        )
    }

    /// The geodetic position of an ECEF point (Heikkinen's closed form).
    ///
    /// Valid everywhere except within about 43 km of the Earth's centre, where the closed form
    /// degenerates; no point a simulation places comes near it.
    pub fn from_ecef(p: &Coordinate<Ecef>) -> Self {
        let (x, y, z) = (p.x(), p.y(), p.z());
        let (r, zn, alt_m) = heikkinen(x, y, z);
        Self {
            lat_rad: zn.atan2(r),
            lon_rad: y.atan2(x),
            alt_m,
        }
    }

    /// The height above the ellipsoid of an ECEF point: [`Geodetic::from_ecef`]'s `alt_m`, to
    /// the bit, without working out the latitude and longitude (for the hot loops that test
    /// heights only).
    pub fn height_from_ecef(p: &Coordinate<Ecef>) -> f64 {
        heikkinen(p.x(), p.y(), p.z()).2
    }

    /// Geodesic (shortest path on the ellipsoid) from this point to `other`, heights ignored.
    pub fn geodesic_to(&self, other: &Geodetic) -> GeodesicLine {
        let (s12, azi1, azi2, _a12): (f64, f64, f64, f64) = wgs84_geodesic().inverse(
            self.lat_deg(),
            self.lon_deg(),
            other.lat_deg(),
            other.lon_deg(),
        );
        GeodesicLine {
            distance_m: s12,
            azimuth1_rad: azi1.to_radians(),
            azimuth2_rad: azi2.to_radians(),
        }
    }

    /// The point reached by travelling `distance_m` along the geodesic leaving this point at
    /// azimuth `azimuth_rad`; the height is kept.
    pub fn destination(&self, azimuth_rad: f64, distance_m: f64) -> Geodetic {
        let (lat2, lon2): (f64, f64) = wgs84_geodesic().direct(
            self.lat_deg(),
            self.lon_deg(),
            azimuth_rad.to_degrees(),
            distance_m,
        );
        Geodetic::from_degrees(lat2, lon2, self.alt_m)
    }

    /// The local east-north-up frame at this point.
    pub fn local_frame(&self) -> LocalFrame {
        LocalFrame::new(*self)
    }
}

/// Heikkinen's closed form for the ECEF point (x, y, z): the distance from the polar axis, the
/// numerator of the latitude's tangent (its denominator is that distance), and the height.
fn heikkinen(x: f64, y: f64, z: f64) -> (f64, f64, f64) {
    let a = wgs84::A;
    let b = wgs84::B;
    let e2 = wgs84::E2;
    let a2 = a * a;
    let b2 = b * b;
    let r2 = x * x + y * y;
    let r = r2.sqrt();
    let z2 = z * z;
    let f = 54.0 * b2 * z2;
    let g = r2 + (1.0 - e2) * z2 - e2 * (a2 - b2);
    let c = e2 * e2 * f * r2 / (g * g * g);
    let s = (1.0 + c + (c * c + 2.0 * c).sqrt()).cbrt();
    let k = s + 1.0 + 1.0 / s;
    let pp = f / (3.0 * k * k * g * g);
    let q = (1.0 + 2.0 * e2 * e2 * pp).sqrt();
    let r0 = -(pp * e2 * r) / (1.0 + q)
        + (0.5 * a2 * (1.0 + 1.0 / q) - pp * (1.0 - e2) * z2 / (q * (1.0 + q)) - 0.5 * pp * r2)
            .max(0.0)
            .sqrt();
    let t = r - e2 * r0;
    let u = (t * t + z2).sqrt();
    let v = (t * t + (1.0 - e2) * z2).sqrt();
    let z0 = b2 * z / (a * v);
    (r, z + wgs84::EP2 * z0, u * (1.0 - b2 / (a * v)))
}

/// The solution of the geodesic inverse problem between two points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeodesicLine {
    /// Length of the geodesic on the ellipsoid, m.
    pub distance_m: f64,
    /// Azimuth of the geodesic at the first point, radians clockwise from north.
    pub azimuth1_rad: f64,
    /// Forward azimuth of the geodesic at the second point, radians clockwise from north.
    pub azimuth2_rad: f64,
}

fn wgs84_geodesic() -> &'static Geodesic {
    static G: OnceLock<Geodesic> = OnceLock::new();
    G.get_or_init(Geodesic::wgs84)
}

/// Azimuth, elevation and slant range of a target seen from a site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Aer {
    /// Azimuth, radians clockwise from true north, in [0, 2π).
    pub az_rad: f64,
    /// Elevation above the site's local horizontal plane, radians.
    pub el_rad: f64,
    /// Straight-line (slant) range, m.
    pub range_m: f64,
}

/// A local east-north-up frame tied to a site; the only way to move between [`Ecef`] and [`Enu`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalFrame {
    origin: Geodetic,
    origin_ecef: Coordinate<Ecef>,
    /// Rotation taking ECEF components to ENU components.
    ecef_to_enu: Matrix3<f64>,
}

impl LocalFrame {
    /// The ENU frame at `origin`.
    pub fn new(origin: Geodetic) -> Self {
        let (sl, cl) = origin.lat_rad.sin_cos();
        let (so, co) = origin.lon_rad.sin_cos();
        #[rustfmt::skip]
        let r = Matrix3::new(
            -so,       co,       0.0,
            -sl * co, -sl * so,  cl,
             cl * co,  cl * so,  sl,
        );
        Self {
            origin,
            origin_ecef: origin.to_ecef(),
            ecef_to_enu: r,
        }
    }
    /// The site this frame is attached to.
    pub fn origin(&self) -> Geodetic {
        self.origin
    }
    /// The site in ECEF.
    pub fn origin_ecef(&self) -> Coordinate<Ecef> {
        self.origin_ecef
    }
    /// Local up (the ellipsoid normal) as an ECEF unit vector.
    pub fn up(&self) -> Vector<Ecef> {
        Vector::from_vector3(self.ecef_to_enu.row(2).transpose())
    }
    /// Local east as an ECEF unit vector.
    pub fn east(&self) -> Vector<Ecef> {
        Vector::from_vector3(self.ecef_to_enu.row(0).transpose())
    }
    /// Local north as an ECEF unit vector.
    pub fn north(&self) -> Vector<Ecef> {
        Vector::from_vector3(self.ecef_to_enu.row(1).transpose())
    }
    /// The rotation taking ECEF components to this frame's east-north-up components (rows:
    /// east, north, up); its transpose takes them back.
    pub fn ecef_to_enu_matrix(&self) -> Matrix3<f64> {
        self.ecef_to_enu
    }
    /// An ECEF point in this frame.
    pub fn to_enu(&self, p: &Coordinate<Ecef>) -> Coordinate<Enu> {
        Coordinate::from_vector3(
            self.ecef_to_enu * (p.as_vector3() - self.origin_ecef.as_vector3()),
        )
    }
    /// An ENU point of this frame in ECEF.
    pub fn to_ecef(&self, p: &Coordinate<Enu>) -> Coordinate<Ecef> {
        Coordinate::from_vector3(
            self.ecef_to_enu.transpose() * p.as_vector3() + self.origin_ecef.as_vector3(),
        )
    }
    /// An ECEF vector's components in this frame.
    pub fn vector_to_enu(&self, v: &Vector<Ecef>) -> Vector<Enu> {
        Vector::from_vector3(self.ecef_to_enu * v.as_vector3())
    }
    /// An ENU vector of this frame in ECEF components.
    pub fn vector_to_ecef(&self, v: &Vector<Enu>) -> Vector<Ecef> {
        Vector::from_vector3(self.ecef_to_enu.transpose() * v.as_vector3())
    }
    /// Azimuth, elevation and range of an ECEF point seen from this site.
    pub fn aer(&self, p: &Coordinate<Ecef>) -> Aer {
        enu_to_aer(self.to_enu(p).as_vector3())
    }
    /// The ECEF unit vector along azimuth `az_rad` and elevation `el_rad` from this site.
    pub fn direction(&self, az_rad: f64, el_rad: f64) -> Vector<Ecef> {
        let (sa, ca) = az_rad.sin_cos();
        let (se, ce) = el_rad.sin_cos();
        self.vector_to_ecef(&Vector::new(ce * sa, ce * ca, se))
    }
}

/// An angle wrapped into [−π, π), radians.
pub fn wrap_pi(angle_rad: f64) -> f64 {
    wrap_tau(angle_rad + std::f64::consts::PI) - std::f64::consts::PI
}

/// `angle_rad.rem_euclid(2π)`, to the bit, without the remainder's cost when the angle is
/// already in [0, 2π) (as nearly every angle a scan or a tracker wraps is).
#[inline]
pub fn wrap_tau(angle_rad: f64) -> f64 {
    use std::f64::consts::TAU;
    if (0.0..TAU).contains(&angle_rad) {
        angle_rad
    } else {
        angle_rad.rem_euclid(TAU)
    }
}

fn enu_to_aer(v: &Vector3<f64>) -> Aer {
    let horiz = v.x.hypot(v.y);
    Aer {
        az_rad: wrap_tau(v.x.atan2(v.y)),
        el_rad: v.z.atan2(horiz),
        range_m: v.norm(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_to_a_turn_is_the_euclidean_remainder() {
        use std::f64::consts::TAU;
        for a in [
            0.0,
            -0.0,
            1.0,
            TAU - 1e-15,
            TAU,
            -1e-300,
            -3.0,
            7.0,
            1e6,
            -1e6,
        ] {
            assert_eq!(wrap_tau(a).to_bits(), a.rem_euclid(TAU).to_bits(), "{a}");
        }
    }

    #[test]
    fn the_height_alone_is_the_full_conversion_s_height() {
        for (lat, lon, alt) in [
            (27.99, 86.93, 8820.0),
            (33.8, 42.4, 150e3),
            (-60.0, -120.0, -50.0),
        ] {
            let p = Geodetic::from_degrees(lat, lon, alt).to_ecef();
            let h = Geodetic::height_from_ecef(&p);
            assert_eq!(h, Geodetic::from_ecef(&p).alt_m);
            assert!((h - alt).abs() < 1e-6, "{h} vs {alt}");
        }
    }

    /// X-Val: GeographicLib CartConvert documentation example (Mt Everest):
    /// 27.99 86.93 8820 → 302271.4 5635928.4 2979666.1 (printed to 0.1 m).
    #[test]
    fn cartconvert_documentation_example() {
        let p = Geodetic::from_degrees(27.99, 86.93, 8820.0).to_ecef();
        assert!((p.x() - 302_271.4).abs() < 0.06, "{p:?}");
        assert!((p.y() - 5_635_928.4).abs() < 0.06, "{p:?}");
        assert!((p.z() - 2_979_666.1).abs() < 0.06, "{p:?}");
    }

    #[test]
    fn poles_and_equator_are_exact() {
        let np = Geodetic::from_degrees(90.0, 0.0, 0.0).to_ecef();
        assert!((np.z() - wgs84::B).abs() < 1e-6);
        let back = Geodetic::from_ecef(&Coordinate::new(0.0, 0.0, wgs84::B + 1000.0));
        assert!((back.lat_deg() - 90.0).abs() < 1e-12 && (back.alt_m - 1000.0).abs() < 1e-6);
        let eq = Geodetic::from_ecef(&Coordinate::new(wgs84::A + 5.0, 0.0, 0.0));
        assert!(eq.lat_rad.abs() < 1e-15 && (eq.alt_m - 5.0).abs() < 1e-9);
    }

    /// issue 2: round trips better than 1 mm from -1 km to 2,000 km altitude, all latitudes.
    #[test]
    fn round_trip_below_a_millimetre() {
        let mut worst = 0.0_f64;
        for i in 0..=180 {
            let lat = -90.0 + i as f64;
            for &alt in &[
                -1_000.0,
                0.0,
                10_000.0,
                100_000.0,
                500_000.0,
                1_000_000.0,
                2_000_000.0,
            ] {
                for &lon in &[-179.5, -45.0, 0.0, 42.44, 120.0] {
                    let g = Geodetic::from_degrees(lat, lon, alt);
                    let p = g.to_ecef();
                    let back = Geodetic::from_ecef(&p).to_ecef();
                    worst = worst.max(p.distance(&back));
                }
            }
        }
        assert!(worst < 1e-3, "worst round-trip error {worst} m");
    }

    #[test]
    fn enu_round_trip_and_aer_of_overhead_point() {
        let site = Geodetic::from_degrees(33.7856, 42.4412, 188.0);
        let f = site.local_frame();
        let above = Geodetic::from_degrees(33.7856, 42.4412, 10_188.0).to_ecef();
        let aer = f.aer(&above);
        assert!((aer.el_rad - std::f64::consts::FRAC_PI_2).abs() < 1e-9);
        assert!((aer.range_m - 10_000.0).abs() < 1e-6);
        let p = Geodetic::from_degrees(34.0, 43.0, 5_000.0).to_ecef();
        let back = f.to_ecef(&f.to_enu(&p));
        assert!(back.distance(&p) < 1e-6);
        // A point due north along the meridian has azimuth 0 (or 2π).
        let n = f.aer(&Geodetic::from_degrees(34.0, 42.4412, 188.0).to_ecef());
        assert!(n.az_rad.min(std::f64::consts::TAU - n.az_rad) < 1e-9);
        let d = f.direction(std::f64::consts::FRAC_PI_2, 0.0);
        assert!((d - f.east()).norm() < 1e-12);
    }

    /// X-Val: GeographicLib GeodSolve documentation example, JFK (40.6, -73.8) to LHR (51.6, -0.5):
    /// azi1 51.198883°, azi2 107.821776°, s12 5551759.400 m.
    #[test]
    fn geodsolve_documentation_example() {
        let g = Geodetic::from_degrees(40.6, -73.8, 0.0)
            .geodesic_to(&Geodetic::from_degrees(51.6, -0.5, 0.0));
        assert!((g.distance_m - 5_551_759.400).abs() < 1e-3);
        assert!((g.azimuth1_rad.to_degrees() - 51.198_883).abs() < 1e-6);
        assert!((g.azimuth2_rad.to_degrees() - 107.821_776).abs() < 1e-6);
        let dest =
            Geodetic::from_degrees(40.6, -73.8, 0.0).destination(g.azimuth1_rad, g.distance_m);
        assert!((dest.lat_deg() - 51.6).abs() < 1e-9 && (dest.lon_deg() + 0.5).abs() < 1e-9);
    }
}
