//! Integration tests of rampart-core against independent implementations.
//!
//! X-Val: `tests/data/geodesy_golden.json` was generated once by
//! `tools/golden/make_geodesy_golden.py` with pyproj 3.7.2 (PROJ 9.5.1, whose geodesics are
//! GeographicLib's) and pymap3d 3.2.0; see that file's `generated_by`.

use rampart_core::prelude::*;
use serde_json::Value;

fn golden() -> Value {
    let text = include_str!("data/geodesy_golden.json");
    serde_json::from_str(text).expect("golden file is valid JSON")
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64()
        .unwrap_or_else(|| panic!("missing {k} in {v}"))
}

#[test]
fn geodetic_to_ecef_matches_proj() {
    for c in golden()["geodetic_to_ecef"].as_array().unwrap() {
        let g = Geodetic::from_degrees(f(c, "lat_deg"), f(c, "lon_deg"), f(c, "alt_m"));
        let p = g.to_ecef();
        let want = Coordinate::<Ecef>::new(f(c, "x"), f(c, "y"), f(c, "z"));
        assert!(p.distance(&want) < 1e-4, "{c}: got {p:?}");
        // And back: better than 1 mm in position.
        let back = Geodetic::from_ecef(&want);
        assert!(back.to_ecef().distance(&want) < 1e-3, "{c}: back {back:?}");
        assert!(
            (back.alt_m - g.alt_m).abs() < 1e-3,
            "{c}: alt {}",
            back.alt_m
        );
    }
}

#[test]
fn geodesic_inverse_matches_geographiclib() {
    for c in golden()["geodesic_inverse"].as_array().unwrap() {
        let a = Geodetic::from_degrees(f(c, "lat1"), f(c, "lon1"), 0.0);
        let b = Geodetic::from_degrees(f(c, "lat2"), f(c, "lon2"), 0.0);
        let g = a.geodesic_to(&b);
        assert!(
            (g.distance_m - f(c, "s12_m")).abs() < 1e-6 * f(c, "s12_m").max(1.0),
            "{c}: {g:?}"
        );
        let dazi = |x: f64, y: f64| ((x - y + 540.0).rem_euclid(360.0) - 180.0).abs();
        assert!(
            dazi(g.azimuth1_rad.to_degrees(), f(c, "azi1_deg")) < 1e-6,
            "{c}: {g:?}"
        );
        assert!(
            dazi(g.azimuth2_rad.to_degrees(), f(c, "azi2_deg")) < 1e-6,
            "{c}: {g:?}"
        );
    }
}

#[test]
fn aer_and_enu_match_pymap3d() {
    for c in golden()["aer"].as_array().unwrap() {
        let site = Geodetic::from_degrees(f(c, "site_lat"), f(c, "site_lon"), f(c, "site_alt"));
        let target = Geodetic::from_degrees(f(c, "lat"), f(c, "lon"), f(c, "alt")).to_ecef();
        let frame = site.local_frame();
        let enu = frame.to_enu(&target);
        let want = Coordinate::<Enu>::new(f(c, "e"), f(c, "n"), f(c, "u"));
        assert!(enu.distance(&want) < 1e-4, "{c}: {enu:?}");
        let aer = frame.aer(&target);
        assert!((aer.range_m - f(c, "range_m")).abs() < 1e-4, "{c}: {aer:?}");
        assert!(
            (aer.az_rad.to_degrees() - f(c, "az_deg")).abs() < 1e-8,
            "{c}: {aer:?}"
        );
        assert!(
            (aer.el_rad.to_degrees() - f(c, "el_deg")).abs() < 1e-8,
            "{c}: {aer:?}"
        );
    }
}
