//! Line of sight over a smooth Earth with standard atmospheric refraction.
//!
//! # Model
//!
//! The Earth is a smooth sphere, locally fitted to the WGS-84 ellipsoid by its Gaussian mean
//! radius of curvature √(M·N) at the radar's latitude ([`gaussian_radius_m`]). Standard
//! refraction — a refractive index decreasing linearly with height at about 39 N-units per
//! kilometre — bends rays down; it is modelled, as is customary, by straight rays over an Earth
//! of effective radius k·R with k = 4/3 ([`K_STANDARD`]; Skolnik, *Introduction to Radar
//! Systems*, 3rd ed., 2001, §8.2; A. W. Doerry, "Earth curvature and atmospheric refraction
//! effects on radar signal propagation", Sandia report SAND2012-10690).
//!
//! From height h above that sphere, the ray tangent to it touches down at the ground (arc)
//! distance k·R·acos(k·R/(k·R + h)) ≈ √(2·k·R·h) ([`horizon_distance_m`]). Two points see each
//! other when their ground separation is at most the sum of their horizon distances
//! ([`line_of_sight`]): the classic d ≈ 4.12·(√h_r + √h_t) km with heights in metres.
//!
//! # Assumptions and limits
//!
//! * Heights are above the smooth surface, whichever the caller chooses. Ellipsoidal heights
//!   work where the geoid is near the ellipsoid; where it lies tens of metres below (the
//!   undulation ranges from −106 m to +85 m), a point at sea level has a negative ellipsoidal
//!   height and is hidden, so pass heights above mean sea level there. No terrain masking, no
//!   ducting or anomalous propagation, no multipath lobing, no diffraction beyond the horizon.
//! * k = 4/3 is a mid-latitude average of the lowest kilometre; it overstates refraction for
//!   targets high in the troposphere and above it (Doerry discusses height-dependent k).
//!   The horizon of a high-flying target is therefore slightly optimistic.
//! * One sphere per radar: the ellipsoid's curvature changes with azimuth and along the path.
//!   √(M·N) lies between the meridian radius M and the prime-vertical radius N, which bound the
//!   radius in every direction and differ by at most e²/(1 − e²) ≈ 0.67 %, so it is within
//!   0.34 % of the radius along any azimuth (0.17 % in horizon distance).
//!
//! [`gaussian_radius_m`]: crate::sensors::horizon::gaussian_radius_m
//! [`K_STANDARD`]: crate::sensors::horizon::K_STANDARD
//! [`horizon_distance_m`]: crate::sensors::horizon::horizon_distance_m
//! [`line_of_sight`]: crate::sensors::horizon::line_of_sight

use rampart_core::geodesy::wgs84::{A, E2};

/// The standard-atmosphere effective-Earth-radius factor, k = 4/3 (Skolnik 2001, §8.2).
pub const K_STANDARD: f64 = 4.0 / 3.0;

/// Ground (arc) distance, in metres, from the point below a viewer at `height_m` above a sphere
/// of radius `earth_radius_m` to where a ray from the viewer grazes the effective sphere of
/// radius k·R (`k` the effective-radius factor, [`K_STANDARD`] for standard refraction).
///
/// Exactly k·R·acos(k·R/(k·R + h)), computed as k·R·atan2(√(h·(2kR + h)), k·R), which is the
/// same angle without acos's loss of precision near 1; ≈ √(2·k·R·h) for h ≪ kR. Zero for
/// h ≤ 0 (and for NaN). Arc distances on the effective sphere are taken as ground distances on
/// the real one, the usual convention of the 4/3-Earth model.
pub fn horizon_distance_m(height_m: f64, earth_radius_m: f64, k: f64) -> f64 {
    if height_m.is_nan() || height_m <= 0.0 {
        return 0.0;
    }
    let ke = k * earth_radius_m;
    ke * (height_m * (2.0 * ke + height_m)).sqrt().atan2(ke)
}

/// Whether a radar at `radar_height_m` and a target at `target_height_m` (both above the smooth
/// surface, metres) separated by `ground_distance_m` (arc distance along the surface, ≥ 0) see
/// each other over a sphere of radius `earth_radius_m` with effective-radius factor `k`.
///
/// Visible iff the ground distance is at most the sum of the two horizon distances
/// ([`horizon_distance_m`]). A point strictly below the surface (negative height) is hidden
/// from everything except at zero ground distance (straight above or below it). A point exactly
/// on the surface sees, and is seen, out to the other end's horizon: the grazing limit of a
/// small positive height, which keeps the test symmetric and continuous. NaN inputs are never
/// visible.
pub fn line_of_sight(
    radar_height_m: f64,
    target_height_m: f64,
    ground_distance_m: f64,
    earth_radius_m: f64,
    k: f64,
) -> bool {
    if radar_height_m.is_nan() || target_height_m.is_nan() || ground_distance_m.is_nan() {
        return false;
    }
    if ground_distance_m <= 0.0 {
        return true;
    }
    if radar_height_m < 0.0 || target_height_m < 0.0 {
        return false;
    }
    ground_distance_m
        <= horizon_distance_m(radar_height_m, earth_radius_m, k)
            + horizon_distance_m(target_height_m, earth_radius_m, k)
}

/// The Gaussian mean radius of curvature of the WGS-84 ellipsoid at geodetic latitude
/// `lat_rad`, in metres: √(M·N) = a·√(1 − e²)/(1 − e²·sin²φ), with M the meridian and N the
/// prime-vertical radius of curvature. The radius of the local sphere for [`line_of_sight`].
///
/// b = 6 356 752.3 m at the equator, a²/b = 6 399 593.6 m at the poles (NIMA TR8350.2).
pub fn gaussian_radius_m(lat_rad: f64) -> f64 {
    let s = lat_rad.sin();
    A * (1.0 - E2).sqrt() / (1.0 - E2 * s * s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mean Earth radius (IUGG R₁), m.
    const R_MEAN: f64 = 6_371_000.0;

    const HEIGHTS: [f64; 9] = [
        5.0, 10.0, 30.0, 100.0, 300.0, 1_000.0, 3_000.0, 10_000.0, 15_000.0,
    ];

    #[test]
    fn matches_the_4_12_km_rule() {
        // Skolnik, Introduction to Radar Systems, 3rd ed. (2001), §8.2: with k = 4/3,
        // d ≈ √(2kRh) ≈ 4.12·√h km for h in metres (√(2·4/3·6 371 000) = 4 121.8 m/√m), and
        // the two-way line of sight is 4.12·(√h_r + √h_t) km. Within 0.5 % from 5 m to 15 km.
        for &hr in &HEIGHTS {
            for &ht in &HEIGHTS {
                let exact = horizon_distance_m(hr, R_MEAN, K_STANDARD)
                    + horizon_distance_m(ht, R_MEAN, K_STANDARD);
                let rule = 4_120.0 * (hr.sqrt() + ht.sqrt());
                assert!(
                    (exact / rule - 1.0).abs() < 5e-3,
                    "{hr} m, {ht} m: {exact} vs {rule}"
                );
            }
        }
        // The small-height limit √(2kRh) to 1e-6 at 1 m.
        let d = horizon_distance_m(1.0, R_MEAN, K_STANDARD);
        assert!((d / (2.0 * K_STANDARD * R_MEAN).sqrt() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn equals_the_acos_form() {
        // The definition k·R·acos(kR/(kR + h)); acos is well-conditioned enough at these heights.
        for &h in &HEIGHTS {
            let ke = K_STANDARD * R_MEAN;
            let by_acos = ke * (ke / (ke + h)).acos();
            let d = horizon_distance_m(h, R_MEAN, K_STANDARD);
            assert!((d / by_acos - 1.0).abs() < 1e-7, "{h} m");
        }
        // And on the true Earth (k = 1) from geostationary height: acos(R/(R+h)) ≈ 81.3°.
        let h = 35_786_000.0;
        let d = horizon_distance_m(h, R_MEAN, 1.0);
        assert!((d - R_MEAN * (R_MEAN / (R_MEAN + h)).acos()).abs() < 1e-6);
    }

    #[test]
    fn low_target_hidden_high_target_seen() {
        // By hand with the 4.12 km rule: radar at 10 m (√10 = 3.162) and target at 50 m
        // (√50 = 7.071) see each other to 4.12 × 10.233 = 42.2 km < 60 km: hidden. A target at
        // 500 m (√500 = 22.36) is seen to 4.12 × 25.52 = 105.2 km > 60 km: visible.
        let r = R_MEAN;
        assert!(!line_of_sight(10.0, 50.0, 60_000.0, r, K_STANDARD));
        assert!(line_of_sight(10.0, 500.0, 60_000.0, r, K_STANDARD));
        let d50 = horizon_distance_m(10.0, r, K_STANDARD) + horizon_distance_m(50.0, r, K_STANDARD);
        assert!((d50 - 42_180.0).abs() < 200.0, "{d50}");
        let d500 =
            horizon_distance_m(10.0, r, K_STANDARD) + horizon_distance_m(500.0, r, K_STANDARD);
        assert!((d500 - 105_180.0).abs() < 500.0, "{d500}");
    }

    #[test]
    fn symmetric_and_monotonic() {
        let r = gaussian_radius_m(45f64.to_radians());
        let mut last = 0.0;
        for i in 0..=400 {
            let h = 50.0 * f64::from(i);
            let d = horizon_distance_m(h, r, K_STANDARD);
            assert!(d >= last, "{h} m");
            last = d;
        }
        for &hr in &HEIGHTS {
            for &ht in &HEIGHTS {
                for i in 0..=100 {
                    let d = 5_000.0 * f64::from(i);
                    let los = line_of_sight(hr, ht, d, r, K_STANDARD);
                    assert_eq!(los, line_of_sight(ht, hr, d, r, K_STANDARD));
                    // Visible at d implies visible nearer and from higher up.
                    if los {
                        assert!(line_of_sight(hr, ht, 0.5 * d, r, K_STANDARD));
                        assert!(line_of_sight(hr, 2.0 * ht, d, r, K_STANDARD));
                    }
                }
            }
        }
    }

    #[test]
    fn surface_and_below() {
        let r = R_MEAN;
        assert_eq!(horizon_distance_m(0.0, r, K_STANDARD), 0.0);
        assert_eq!(horizon_distance_m(-10.0, r, K_STANDARD), 0.0);
        // Below the surface: hidden at any distance but zero.
        assert!(!line_of_sight(1_000.0, -1.0, 1.0, r, K_STANDARD));
        assert!(!line_of_sight(-1.0, 1_000.0, 1.0, r, K_STANDARD));
        assert!(line_of_sight(1_000.0, -1.0, 0.0, r, K_STANDARD));
        // On the surface: the grazing limit, out to the other end's horizon.
        let h = horizon_distance_m(1_000.0, r, K_STANDARD);
        assert!(line_of_sight(1_000.0, 0.0, 0.99 * h, r, K_STANDARD));
        assert!(!line_of_sight(1_000.0, 0.0, 1.01 * h, r, K_STANDARD));
        assert!(!line_of_sight(f64::NAN, 10.0, 1.0, r, K_STANDARD));
    }

    #[test]
    fn gaussian_radius_at_equator_and_pole() {
        // NIMA TR8350.2 (3rd ed.), Table 3.3: semi-minor axis b = 6 356 752.3142 m (the
        // Gaussian radius at the equator, √(M·N) = √(b²/a · a)) and polar radius of curvature
        // c = a²/b = 6 399 593.6258 m.
        assert!((gaussian_radius_m(0.0) - 6_356_752.314_2).abs() < 1e-3);
        assert!((gaussian_radius_m(90f64.to_radians()) - 6_399_593.625_8).abs() < 1e-3);
        assert!((gaussian_radius_m(-90f64.to_radians()) - 6_399_593.625_8).abs() < 1e-3);
        // Between the two, increasing with |latitude|.
        let r45 = gaussian_radius_m(45f64.to_radians());
        assert!(r45 > 6_356_752.3 && r45 < 6_399_593.7);
    }
}
