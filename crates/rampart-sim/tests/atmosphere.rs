//! The upper atmosphere against the 1976 standard at every altitude of its Table I above 86 km.

use rampart_sim::physics::atmosphere;

/// Universal gas constant as the 1976 standard defines it, J/(kmol·K).
const R_STAR: f64 = 8_314.32;

/// Source: `tests/data/ussa76_upper.csv`, the standard's Table I quantities at its own 429
/// altitudes from 86 to 1,000 km (every 0.5 km to 100 km, 1 km to 300 km, 2 km to 500 km, 5 km
/// to 1,000 km), computed from its defining equations by `tools/ussa76/make_upper_table.py`,
/// which reproduces the printed table within 0.03 % (its self-check). Only 117 of these
/// altitudes are interpolation nodes; the others test the interpolant between them.
/// Tolerances: 0.025 % on density and pressure (interpolation ≤ 0.015 % plus a half-unit in the
/// fifth figure of both the nodes and this file), 0.002 K on temperature (printed to 1 mK),
/// 0.1 % on the mean molecular weight M = ρ R* T / p.
#[test]
fn upper_atmosphere_matches_the_standard_at_every_table_altitude() {
    let csv = include_str!("data/ussa76_upper.csv");
    let mut rows = 0;
    let (mut worst_rho, mut worst_p): ((f64, f64), (f64, f64)) = ((0.0, 0.0), (0.0, 0.0));
    for line in csv.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let [z_km, t, p, rho, m] = v[..] else {
            panic!("bad row {line}")
        };
        // The 1,000 km row is the top; evaluate a millimetre below it.
        let a = atmosphere::air((z_km * 1_000.0).min(999_999.999));
        let e_rho = (a.density_kg_m3 / rho - 1.0).abs();
        let e_p = (a.pressure_pa / p - 1.0).abs();
        if e_rho > worst_rho.0 {
            worst_rho = (e_rho, z_km);
        }
        if e_p > worst_p.0 {
            worst_p = (e_p, z_km);
        }
        assert!(
            (a.temperature_k - t).abs() < 2e-3,
            "T at {z_km} km: {}",
            a.temperature_k
        );
        let m_model = a.density_kg_m3 * R_STAR * a.temperature_k / a.pressure_pa;
        assert!(
            (m_model / m - 1.0).abs() < 1e-3,
            "M at {z_km} km: {m_model}"
        );
        rows += 1;
    }
    assert_eq!(rows, 429);
    assert!(worst_rho.0 < 2.5e-4, "density off by {worst_rho:?}");
    assert!(worst_p.0 < 2.5e-4, "pressure off by {worst_p:?}");
}
