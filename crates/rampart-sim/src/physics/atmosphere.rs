//! U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562, NOAA/NASA/USAF, October 1976), from
//! −5 km to its top at 1,000 km; vacuum above.
//!
//! Below 86 km the model is the 1976 standard's seven geopotential layers with linear
//! molecular-scale temperature, hydrostatic pressure and the ideal-gas law (its eqs. 23, 33a,
//! 33b, 42). Between 80 and 86 km the returned temperature is the kinetic one, the
//! molecular-scale temperature times the standard's M/M₀ (eq. 22, Table 8: at most 0.042 %
//! below it); pressure, density and speed of sound come from the molecular-scale temperature,
//! as in the standard.
//!
//! From 86 to 1,000 km (`atmosphere/upper.rs`) the standard is a diffusive model of six
//! species; here the kinetic temperature is its closed form (Table 5, eqs. 27–32) and density
//! and pressure are a cubic Hermite interpolant, in their logarithms, of the standard's values
//! at 117 altitudes (within 0.01 % of the standard at every altitude of its Table I). The
//! speed of sound, which the standard leaves undefined above 86 km, is √(γ p/ρ) = √(γ R* T / M)
//! with γ = 1.4 and the standard's own mean molecular weight M, continuous with the value
//! below. Above 1,000 km the air is vacuum: zero density and pressure, the temperature and
//! speed of sound held at their 1,000 km values.

mod upper;
mod upper_table;

/// Sea-level gravity, m/s² (USSA76 g₀).
pub const G0: f64 = 9.806_65;
/// Universal gas constant as the 1976 standard defines it, J/(kmol·K).
const R_STAR: f64 = 8_314.32;
/// Mean molecular weight of sea-level air, kg/kmol.
const M0: f64 = 28.964_4;
/// Effective Earth radius for geopotential altitude, m.
const R0: f64 = 6_356_766.0;
/// Ratio of specific heats of air.
const GAMMA: f64 = 1.4;

/// One layer of USSA76 Table 4: base geopotential altitude (m'), base molecular-scale
/// temperature (K), lapse rate (K/m') and base pressure (Pa, as the table lists it).
struct Layer {
    h_base: f64,
    t_base: f64,
    lapse: f64,
    p_base: f64,
}

#[rustfmt::skip]
const LAYERS: [Layer; 7] = [
    Layer { h_base: 0.0,      t_base: 288.15, lapse: -6.5e-3, p_base: 101_325.0 },
    Layer { h_base: 11_000.0, t_base: 216.65, lapse: 0.0,     p_base: 22_632.06 },
    Layer { h_base: 20_000.0, t_base: 216.65, lapse: 1.0e-3,  p_base: 5_474.889 },
    Layer { h_base: 32_000.0, t_base: 228.65, lapse: 2.8e-3,  p_base: 868.018_7 },
    Layer { h_base: 47_000.0, t_base: 270.65, lapse: 0.0,     p_base: 110.906_3 },
    Layer { h_base: 51_000.0, t_base: 270.65, lapse: -2.8e-3, p_base: 66.938_87 },
    Layer { h_base: 71_000.0, t_base: 214.65, lapse: -2.0e-3, p_base: 3.956_420 },
];

/// Geometric altitude of the 84.852 km' geopotential top of the tabulated layers, m.
pub const LOWER_TOP_M: f64 = 86_000.0;
/// Geometric altitude of the standard's top, above which the air is vacuum, m.
pub const TOP_M: f64 = upper::TOP_M;

/// M/M₀ from 80 to 86 km geometric altitude every 0.5 km (USSA76 Table 8): the kinetic
/// temperature is the molecular-scale one times this ratio (eq. 22).
const M_RATIO_80_TO_86_KM: [f64; 13] = [
    1.0, 0.999_996, 0.999_989, 0.999_971, 0.999_941, 0.999_909, 0.999_870, 0.999_829, 0.999_786,
    0.999_741, 0.999_694, 0.999_641, 0.999_579,
];

/// The state of the air at one altitude.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Air {
    /// Kinetic temperature, K.
    pub temperature_k: f64,
    /// Pressure, Pa.
    pub pressure_pa: f64,
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Speed of sound, m/s: √(γ p/ρ) with γ = 1.4 (above 86 km a documented extension; see
    /// the module doc).
    pub speed_of_sound_mps: f64,
}

/// The standard atmosphere at geometric altitude `alt_m` above mean sea level (taken as the
/// ellipsoid). Below sea level the lowest layer is extended down (to -5 km, then held); above
/// [`TOP_M`] the air is vacuum. Finite for every finite altitude.
pub fn air(alt_m: f64) -> Air {
    if alt_m >= LOWER_TOP_M {
        upper::air(alt_m)
    } else {
        lower(alt_m)
    }
}

/// The seven geopotential layers, below 86 km.
fn lower(alt_m: f64) -> Air {
    let (t_m, p) = molecular_temperature_and_pressure(alt_m);
    Air {
        temperature_k: t_m * molecular_weight_ratio(alt_m),
        pressure_pa: p,
        density_kg_m3: p * M0 / (R_STAR * t_m),
        speed_of_sound_mps: speed_of_sound(t_m),
    }
}

/// Molecular-scale temperature (K) and pressure (Pa) of the seven layers at geometric
/// altitude `alt_m` below 86 km.
fn molecular_temperature_and_pressure(alt_m: f64) -> (f64, f64) {
    let z = alt_m.max(-5_000.0);
    let h = R0 * z / (R0 + z); // geopotential altitude, USSA76 eq. 18
    let layer = LAYERS
        .iter()
        .rev()
        .find(|l| h >= l.h_base)
        .unwrap_or(&LAYERS[0]);
    let dh = h - layer.h_base;
    let t_m = layer.t_base + layer.lapse * dh;
    let k = G0 * M0 / R_STAR; // K/m'
    let p = if layer.lapse == 0.0 {
        layer.p_base * (-k * dh / layer.t_base).exp()
    } else {
        layer.p_base * (layer.t_base / t_m).powf(k / layer.lapse)
    };
    (t_m, p)
}

/// M/M₀ at geometric altitude `z_m` below 86 km: 1 below 80 km, Table 8 interpolated
/// linearly above.
fn molecular_weight_ratio(z_m: f64) -> f64 {
    if z_m <= 80_000.0 {
        return 1.0;
    }
    let x = ((z_m - 80_000.0) / 500.0).min(12.0);
    let i = (x as usize).min(11);
    let f = x - i as f64;
    M_RATIO_80_TO_86_KM[i] + f * (M_RATIO_80_TO_86_KM[i + 1] - M_RATIO_80_TO_86_KM[i])
}

/// Density only, kg/m³: the hot path of drag.
#[inline]
pub fn density(alt_m: f64) -> f64 {
    air(alt_m).density_kg_m3
}

/// Spacing of the [`air_fast`] table, m.
const FAST_STEP_M: f64 = 25.0;
/// Lowest altitude of the [`air_fast`] table, m.
const FAST_BOTTOM_M: f64 = -5_000.0;

/// The standard atmosphere from a table every 25 m from −5 km to 86 km, interpolated linearly
/// in density and molecular-scale temperature (exact at the nodes; between them the density
/// error is below 10⁻⁴ relative: for a local scale height H it is at most (Δh/H)²/8 ≈ 2·10⁻⁵
/// for H ≥ 2 km). From 86 km up it is [`air`] itself, whose upper part is already a table
/// look-up. For the hot paths whose results need not match the threat flights bit for bit:
/// interceptor flight and track prediction.
#[inline]
pub fn air_fast(alt_m: f64) -> Air {
    static TABLE: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    if alt_m >= LOWER_TOP_M {
        return upper::air(alt_m);
    }
    let table = TABLE.get_or_init(|| {
        let n = ((LOWER_TOP_M - FAST_BOTTOM_M) / FAST_STEP_M).round() as usize;
        (0..=n)
            .map(|k| {
                let (t_m, p) =
                    molecular_temperature_and_pressure(FAST_BOTTOM_M + k as f64 * FAST_STEP_M);
                (p * M0 / (R_STAR * t_m), t_m)
            })
            .collect()
    });
    let x = (alt_m.max(FAST_BOTTOM_M) - FAST_BOTTOM_M) / FAST_STEP_M;
    let i = (x as usize).min(table.len() - 2);
    let f = x - i as f64;
    let (l0, t0) = table[i];
    let (l1, t1) = table[i + 1];
    let rho = l0 + f * (l1 - l0);
    let t_m = t0 + f * (t1 - t0);
    Air {
        temperature_k: t_m * molecular_weight_ratio(alt_m),
        pressure_pa: rho * R_STAR * t_m / M0,
        density_kg_m3: rho,
        speed_of_sound_mps: speed_of_sound(t_m),
    }
}

fn speed_of_sound(t: f64) -> f64 {
    (GAMMA * R_STAR * t / M0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table agrees with the exact model everywhere below 86 km.
    #[test]
    fn fast_table_matches_the_exact_atmosphere() {
        let mut worst: f64 = 0.0;
        let mut worst_c: f64 = 0.0;
        for k in 0..9_100 {
            let h = -5_000.0 + k as f64 * 10.0 + 3.7;
            let (a, b) = (air(h), air_fast(h));
            worst = worst.max((b.density_kg_m3 / a.density_kg_m3 - 1.0).abs());
            worst_c = worst_c.max((b.speed_of_sound_mps - a.speed_of_sound_mps).abs());
        }
        assert!(worst < 1e-4, "density {worst}");
        // Layer bases are geopotential heights, so kinks in T fall between nodes.
        assert!(worst_c < 0.05, "speed of sound {worst_c}");
    }

    /// Source: U.S. Standard Atmosphere, 1976, Table I (geometric altitude): temperature,
    /// pressure, density and speed of sound. X-Val: the `ambiance` package agrees to 1e-5.
    #[test]
    fn matches_the_published_table_within_a_tenth_of_a_percent() {
        #[rustfmt::skip]
        let table: [(f64, f64, f64, f64, f64); 13] = [
            // z (m),   T (K),    p (Pa),     rho (kg/m3),  a (m/s)
            (0.0,      288.150, 101_325.0,  1.2250,       340.294),
            (1_000.0,  281.651,  89_876.0,  1.1117,       336.435),
            (5_000.0,  255.676,  54_048.0,  7.3643e-1,    320.545),
            (10_000.0, 223.252,  26_500.0,  4.1351e-1,    299.532),
            (11_000.0, 216.774,  22_700.0,  3.6480e-1,    295.154),
            (20_000.0, 216.650,   5_529.3,  8.8910e-2,    295.069),
            (30_000.0, 226.509,   1_197.0,  1.8410e-2,    301.709),
            (40_000.0, 250.350,     287.14, 3.9957e-3,    317.189),
            (50_000.0, 270.650,      79.779,1.0269e-3,    329.799),
            (60_000.0, 247.021,      21.958,3.0968e-4,    315.073),
            (70_000.0, 219.585,       5.2209,8.2829e-5,   297.061),
            (80_000.0, 198.639,       1.0524,1.8458e-5,   282.538),
            (86_000.0, 186.870,       0.37338,6.958e-6,   274.096),
        ];
        for (z, t, p, rho, a) in table {
            let s = air(z - 1e-6); // the 86 km row is the top of the lower layers
            let rel = |x: f64, y: f64| ((x - y) / y).abs();
            assert!(
                rel(s.temperature_k, t) < 1e-3,
                "T at {z}: {}",
                s.temperature_k
            );
            assert!(rel(s.pressure_pa, p) < 1e-3, "p at {z}: {}", s.pressure_pa);
            assert!(
                rel(s.density_kg_m3, rho) < 1e-3,
                "rho at {z}: {}",
                s.density_kg_m3
            );
            assert!(
                rel(s.speed_of_sound_mps, a) < 1e-3,
                "a at {z}: {}",
                s.speed_of_sound_mps
            );
        }
    }
}
