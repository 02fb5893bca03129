//! The 1976 standard from 86 to 1,000 km, and vacuum above.
//!
//! Kinetic temperature is the standard's closed form in geometric altitude Z (NOAA-S/T 76-1562,
//! Part 1, Table 5 and eqs. 27–32, with the ellipse constants of its Appendix B):
//!
//! - 86–91 km, isothermal: T = T₇ = 186.8673 K (Table 5);
//! - 91–110 km, elliptical: T = T_c + A √(1 − ((Z − 91)/a)²), T_c = 263.1905 K,
//!   A = −76.3232 K, a = −19.9429 km (eq. 27);
//! - 110–120 km, linear: T = 240 K + 12 K/km · (Z − 110) (eq. 29);
//! - 120–1,000 km, exponential: T = T∞ − (T∞ − 360 K) e^(−λξ), T∞ = 1,000 K,
//!   λ = 0.01875 /km, ξ = (Z − 120)(r₀ + 120)/(r₀ + Z), r₀ = 6,356.766 km (eq. 31).
//!
//! Density and pressure: the standard gets them from the number densities of N₂, O, O₂, Ar, He
//! and H, each integrated upward with its own diffusion (Part 1, Tables 6–9). That is done once,
//! offline (`tools/ussa76/make_upper_table.py`), at 117 nodes ([`super::upper_table`]): every
//! kilometre to 105 km, every 0.5 km to 112 km, every kilometre to 120 km, then every 2, 5, 10
//! and 25 km. Between nodes `ln ρ` and `ln p` are cubic Hermite polynomials whose slopes are
//! the three-point derivative of the node values; the slopes are one-sided at 100 km, where
//! the standard switches the molecular weight of its N₂ and eddy-diffusion terms from M₀ to
//! that of N₂ (a kink in ln ρ), and at 110 km, where the temperature's curvature jumps. The
//! interpolant is within 0.01 % of the standard at every altitude of its Table I (tested
//! against all 429 of them in `tests/atmosphere.rs`). A call costs a direct look-up of its
//! segment, two cubics and up to three exponentials; no species are integrated at run time.
//!
//! The 86 km node is the lower layers' own value, so density, pressure and the speed of sound
//! are continuous there (the standard's species at 86 km give the same to 2·10⁻⁵).

use super::upper_table::NODES;
use super::{Air, GAMMA, LOWER_TOP_M};
use std::sync::OnceLock;

/// Geometric altitude of the standard's top, m.
pub(super) const TOP_M: f64 = 1_000_000.0;

/// Effective Earth radius r₀, km.
const R0_KM: f64 = 6_356.766;
/// Temperature of the isothermal layer from 86 to 91 km, K (Table 5).
const T7: f64 = 186.867_3;
/// The ellipse from 91 to 110 km (Appendix B): T_c and A in K, a in km.
const T_C: f64 = 263.190_5;
const A_BIG: f64 = -76.323_2;
const A_SMALL: f64 = -19.942_9;
/// Exospheric temperature T∞, K, and the rate λ of the approach to it, 1/km (eq. 31).
const T_INF: f64 = 1_000.0;
const LAMBDA: f64 = 0.018_75;
/// Altitudes (km) where the node slopes are taken one-sided: a kink at 100 km, a jump in the
/// temperature's curvature at 110 km.
const BREAKS_KM: [f64; 2] = [100.0, 110.0];

/// Kinetic temperature of the standard at geometric altitude `z_km` from 86 to 1,000 km, K
/// (Table 5; eqs. 27, 29, 31).
pub(super) fn kinetic_temperature(z_km: f64) -> f64 {
    if z_km <= 91.0 {
        T7
    } else if z_km <= 110.0 {
        let x = (z_km - 91.0) / A_SMALL;
        T_C + A_BIG * (1.0 - x * x).max(0.0).sqrt()
    } else if z_km <= 120.0 {
        240.0 + 12.0 * (z_km - 110.0)
    } else {
        let xi = (z_km - 120.0) * (R0_KM + 120.0) / (R0_KM + z_km);
        T_INF - (T_INF - 360.0) * (-LAMBDA * xi).exp()
    }
}

/// One node: altitude, the logarithms of density and pressure, and the slopes (per km) of
/// each on the segment that ends here (`[0]`) and on the one that starts here (`[1]`).
#[derive(Clone, Copy, Debug)]
struct Node {
    z_km: f64,
    ln_rho: f64,
    ln_p: f64,
    d_ln_rho: [f64; 2],
    d_ln_p: [f64; 2],
}

/// The nodes with their slopes, and for every 0.5 km bin from 86 km the index of the node
/// that starts its segment (every node lies on a multiple of 0.5 km, so no bin straddles one):
/// a direct look-up, no search.
struct Table {
    nodes: Vec<Node>,
    bins: Vec<u8>,
}

/// Width of the look-up bins, km.
const BIN_KM: f64 = 0.5;
const _: () = assert!(
    NODES.len() <= u8::MAX as usize,
    "node indices are stored as u8"
);

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let base = super::lower(LOWER_TOP_M);
        let z: Vec<f64> = NODES.iter().map(|n| n[0]).collect();
        let mut ln_rho: Vec<f64> = NODES.iter().map(|n| n[1].ln()).collect();
        let mut ln_p: Vec<f64> = NODES.iter().map(|n| n[2].ln()).collect();
        ln_rho[0] = base.density_kg_m3.ln();
        ln_p[0] = base.pressure_pa.ln();
        let d_rho = slopes(&z, &ln_rho);
        let d_p = slopes(&z, &ln_p);
        let nodes: Vec<Node> = (0..z.len())
            .map(|i| Node {
                z_km: z[i],
                ln_rho: ln_rho[i],
                ln_p: ln_p[i],
                d_ln_rho: d_rho[i],
                d_ln_p: d_p[i],
            })
            .collect();
        let n_bins = ((z[z.len() - 1] - z[0]) / BIN_KM).round() as usize;
        let bins = (0..n_bins)
            .map(|b| {
                let mid = z[0] + (b as f64 + 0.5) * BIN_KM;
                let i = z.partition_point(|&zi| zi <= mid) - 1;
                u8::try_from(i).unwrap_or(u8::MAX)
            })
            .collect();
        Table { nodes, bins }
    })
}

/// Three-point derivatives of `y(x)` at every node, on runs split at [`BREAKS_KM`]: central
/// inside a run, one-sided (second order) at its ends. `[0]` is the slope for the segment on
/// the left, `[1]` for the one on the right.
fn slopes(x: &[f64], y: &[f64]) -> Vec<[f64; 2]> {
    let n = x.len();
    let secant = |i: usize| (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
    let is_break = |i: usize| i == 0 || i == n - 1 || BREAKS_KM.contains(&x[i]);
    (0..n)
        .map(|i| {
            let central = || {
                let (h0, h1) = (x[i] - x[i - 1], x[i + 1] - x[i]);
                (h1 * secant(i - 1) + h0 * secant(i)) / (h0 + h1)
            };
            let left = if i == 0 {
                f64::NAN // never used: no segment ends at the first node
            } else if is_break(i) {
                let (h0, h1) = (x[i - 1] - x[i - 2], x[i] - x[i - 1]);
                let (d0, d1) = (secant(i - 2), secant(i - 1));
                d1 + (d1 - d0) * h1 / (h0 + h1)
            } else {
                central()
            };
            let right = if i == n - 1 {
                f64::NAN // never used: no segment starts at the last node
            } else if is_break(i) {
                let (h0, h1) = (x[i + 1] - x[i], x[i + 2] - x[i + 1]);
                let (d0, d1) = (secant(i), secant(i + 1));
                d0 - (d1 - d0) * h0 / (h0 + h1)
            } else {
                central()
            };
            [left, right]
        })
        .collect()
}

/// The cubic Hermite polynomial on `[z0, z0 + h]` with values `y0, y1` and slopes `s0, s1`,
/// at fraction `t` of the way.
#[inline]
fn hermite(h: f64, t: f64, y0: f64, y1: f64, s0: f64, s1: f64) -> f64 {
    let t2 = t * t;
    let t3 = t2 * t;
    (2.0 * t3 - 3.0 * t2 + 1.0) * y0
        + (t3 - 2.0 * t2 + t) * h * s0
        + (3.0 * t2 - 2.0 * t3) * y1
        + (t3 - t2) * h * s1
}

/// The standard atmosphere at geometric altitude `alt_m` from 86 km up; vacuum above
/// [`TOP_M`] (zero density and pressure, temperature and speed of sound held at their
/// 1,000 km values).
pub(super) fn air(alt_m: f64) -> Air {
    let Table { nodes, bins } = table();
    let z_km = alt_m.max(LOWER_TOP_M) / 1_000.0;
    if z_km >= TOP_M / 1_000.0 {
        return top_of_the_standard(nodes);
    }
    let bin = (((z_km - nodes[0].z_km) / BIN_KM) as usize).min(bins.len() - 1);
    let i = usize::from(bins[bin]);
    let (a, b) = (&nodes[i], &nodes[i + 1]);
    let h = b.z_km - a.z_km;
    let t = (z_km - a.z_km) / h;
    let rho = hermite(h, t, a.ln_rho, b.ln_rho, a.d_ln_rho[1], b.d_ln_rho[0]).exp();
    let p = hermite(h, t, a.ln_p, b.ln_p, a.d_ln_p[1], b.d_ln_p[0]).exp();
    Air {
        temperature_k: kinetic_temperature(z_km),
        pressure_pa: p,
        density_kg_m3: rho,
        speed_of_sound_mps: (GAMMA * p / rho).sqrt(),
    }
}

/// Above the standard: vacuum, with the 1,000 km temperature and speed of sound.
fn top_of_the_standard(nodes: &[Node]) -> Air {
    let last = &nodes[nodes.len() - 1];
    Air {
        temperature_k: kinetic_temperature(last.z_km),
        pressure_pa: 0.0,
        density_kg_m3: 0.0,
        speed_of_sound_mps: (GAMMA * (last.ln_p - last.ln_rho).exp()).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{air, air_fast};
    use super::*;

    fn rel(x: f64, y: f64) -> f64 {
        (x / y - 1.0).abs()
    }

    /// Source: U.S. Standard Atmosphere, 1976, Table I (geometric altitude): kinetic
    /// temperature (two decimals), pressure and density. The five-figure values are those the
    /// Atmosphere1976 module of Public Domain Aeronautical Software (R. Carmichael) lists from
    /// the table; the four-figure ones at 90, 110 and 120 km are the table's as reproduced in
    /// other public 1976-standard codes, and agree with the PDAS list's neighbours.
    /// X-Val: `tools/ussa76/make_upper_table.py`, an independent integration of the standard's
    /// species equations, matches every value here within 0.03 %.
    /// Tolerances: half a unit in the last printed figure (≤ 0.05 % for four figures) plus the
    /// interpolation (≤ 0.02 %): 0.1 % on density, 0.05 % on pressure, 0.006 K on temperature.
    #[rustfmt::skip]
    const TABLE_I: [(f64, f64, f64, f64); 10] = [
        // z (km), T (K),   p (Pa),     rho (kg/m3)
        (90.0,    186.87,  1.8359e-1,  3.416e-6),
        (100.0,   195.08,  3.2011e-2,  5.6041e-7),
        (110.0,   240.00,  7.1042e-3,  9.708e-8),
        (120.0,   360.00,  2.5382e-3,  2.222e-8),
        (150.0,   634.39,  4.5422e-4,  2.0757e-9),
        (200.0,   854.56,  8.4743e-5,  2.5409e-10),
        (300.0,   976.01,  8.7704e-6,  1.9160e-11),
        (500.0,   999.24,  3.0236e-7,  5.2159e-13),
        (700.0,   999.97,  3.1908e-8,  3.0698e-14),
        (1000.0,  1000.00, 7.5138e-9,  3.5614e-15),
    ];

    #[test]
    fn matches_the_standards_table_from_90_to_1000_km() {
        for (z_km, t, p, rho) in TABLE_I {
            // The 1,000 km row is the top; evaluate a millimetre below it.
            let a = air(z_km * 1_000.0 - 1e-3);
            assert!(
                (a.temperature_k - t).abs() < 0.006,
                "T at {z_km} km: {}",
                a.temperature_k
            );
            assert!(
                rel(a.pressure_pa, p) < 5e-4,
                "p at {z_km} km: {}",
                a.pressure_pa
            );
            assert!(
                rel(a.density_kg_m3, rho) < 1e-3,
                "rho at {z_km} km: {}",
                a.density_kg_m3
            );
        }
    }

    /// The single exponential this model replaced was 31 % low here; the standard's value is
    /// 2.222e-8 kg/m³ (Table I, as above).
    #[test]
    fn density_at_120_km_is_the_standards() {
        assert!(rel(air(120_000.0).density_kg_m3, 2.222e-8) < 0.01);
    }

    /// The defining points of the temperature profile (Part 1, Table 5): 186.8673 K from 86 to
    /// 91 km, 240 K at 110 km, 360 K at 120 km, and T∞ = 1,000 K approached from below.
    #[test]
    fn temperature_profile_passes_through_its_defining_points() {
        assert_eq!(kinetic_temperature(86.0), 186.867_3);
        assert_eq!(kinetic_temperature(91.0), 186.867_3);
        assert!((kinetic_temperature(110.0) - 240.0).abs() < 1e-3);
        assert!((kinetic_temperature(120.0) - 360.0).abs() < 1e-12);
        // The ellipse meets the linear layer with its slope, 12 K/km (Appendix B).
        let slope = (kinetic_temperature(110.0) - kinetic_temperature(109.999)) / 0.001;
        assert!((slope - 12.0).abs() < 0.01, "{slope}");
        let t_1000 = kinetic_temperature(1_000.0);
        assert!(t_1000 < 1_000.0 && t_1000 > 999.99, "{t_1000}");
    }

    /// Density, pressure, temperature and speed of sound are continuous at 86 km, where the
    /// lower layers give 6.958e-6 kg/m³ (Table I).
    #[test]
    fn continuous_at_86_km() {
        let below = air(LOWER_TOP_M - 1e-3);
        let above = air(LOWER_TOP_M);
        assert!(rel(below.density_kg_m3, above.density_kg_m3) < 1e-6);
        assert!(rel(below.pressure_pa, above.pressure_pa) < 1e-6);
        assert!(rel(below.speed_of_sound_mps, above.speed_of_sound_mps) < 1e-6);
        assert!((below.temperature_k - above.temperature_k).abs() < 1e-3);
        assert!(rel(above.density_kg_m3, 6.958e-6) < 1e-4);
    }

    /// Finite at every finite altitude (and at ±∞); from 86 km up density never increases and
    /// is zero above the standard's top.
    #[test]
    fn finite_everywhere_and_density_never_rises_above_86_km() {
        let extremes = [
            f64::MIN,
            -1e12,
            -6_371_000.0,
            -5_001.0,
            0.0,
            85_999.999,
            86_000.0,
            999_999.999,
            1_000_000.0,
            1e7,
            1e12,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let sweep: Vec<f64> = (0..=12_000)
            .map(|k| 86_000.0 + k as f64 * 100.0 + 0.37)
            .collect();
        for &z in extremes.iter().chain(&sweep) {
            for a in [air(z), air_fast(z)] {
                let fields = [
                    a.temperature_k,
                    a.pressure_pa,
                    a.density_kg_m3,
                    a.speed_of_sound_mps,
                ];
                assert!(
                    fields.iter().all(|x| x.is_finite() && *x >= 0.0),
                    "{z}: {a:?}"
                );
                assert!(
                    a.speed_of_sound_mps > 200.0 && a.temperature_k > 150.0,
                    "{z}: {a:?}"
                );
            }
        }
        for pair in sweep.windows(2) {
            let (lo, hi) = (air(pair[0]), air(pair[1]));
            assert!(
                hi.density_kg_m3 <= lo.density_kg_m3,
                "density rises at {} m",
                pair[1]
            );
            assert!(
                hi.pressure_pa <= lo.pressure_pa,
                "pressure rises at {} m",
                pair[1]
            );
        }
        assert_eq!(air(1_000_000.0).density_kg_m3, 0.0);
        assert_eq!(air(1e9).pressure_pa, 0.0);
    }

    /// The speed of sound is √(γ R* T / M) with the standard's T and M: at 300 km Table I gives
    /// T = 976.01 K, p = 8.7704e-6 Pa and ρ = 1.9160e-11 kg/m³, so M = ρ R* T / p = 17.73
    /// kg/kmol.
    #[test]
    fn speed_of_sound_uses_the_standards_molecular_weight() {
        let a = air(300_000.0);
        let expected = (GAMMA * 8_314.32 * 976.01 / 17.73).sqrt();
        assert!(
            rel(a.speed_of_sound_mps, expected) < 1e-3,
            "{}",
            a.speed_of_sound_mps
        );
    }

    /// Every bin points at the segment that holds it.
    #[test]
    fn look_up_bins_find_the_segment() {
        let Table { nodes, bins } = table();
        assert_eq!(nodes.len(), NODES.len());
        for (b, &i) in bins.iter().enumerate() {
            let (lo, hi) = (86.0 + b as f64 * BIN_KM, 86.0 + (b + 1) as f64 * BIN_KM);
            let i = usize::from(i);
            assert!(nodes[i].z_km <= lo && hi <= nodes[i + 1].z_km, "bin {b}");
        }
    }

    #[test]
    fn fast_path_is_the_same_above_86_km() {
        for z in [86_000.0, 100_000.0, 123_456.0, 300_000.0, 999_000.0, 2e6] {
            assert_eq!(air(z), air_fast(z));
        }
    }
}
