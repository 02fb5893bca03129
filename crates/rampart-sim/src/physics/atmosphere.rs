//! U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562, NOAA/NASA/USAF, October 1976), 0–86 km,
//! with a documented exponential extension above.
//!
//! Below 86 km the model is the 1976 standard's seven geopotential layers with linear
//! molecular-scale temperature, hydrostatic pressure and the ideal-gas law (its eqs. 23, 33a,
//! 33b, 42). Between 80 and 86 km the standard's kinetic temperature differs from the
//! molecular-scale temperature by the mean-molecular-weight ratio M/M₀ (at most 0.042 %); this
//! model returns the molecular-scale value there.
//!
//! Above 86 km (where the 1976 standard switches to a diffusive model that a missile's drag never
//! feels) density decays exponentially from its 86 km value with a scale height of 5,558 m,
//! fitted so that it equals the standard's 5.604e-7 kg/m³ at 100 km; temperature and speed of
//! sound are held at their 86 km values.

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
pub const TOP_M: f64 = 86_000.0;
const RHO_86: f64 = 6.957_8e-6;
const T_86: f64 = 186.946;
const SCALE_HEIGHT_ABOVE_86_M: f64 = 5_558.0;

/// The state of the air at one altitude.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Air {
    /// Temperature, K.
    pub temperature_k: f64,
    /// Pressure, Pa.
    pub pressure_pa: f64,
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Speed of sound, m/s.
    pub speed_of_sound_mps: f64,
}

/// The standard atmosphere at geometric altitude `alt_m` above mean sea level (taken as the
/// ellipsoid). Below sea level the lowest layer is extended down (to -5 km, then held).
pub fn air(alt_m: f64) -> Air {
    if alt_m >= TOP_M {
        let rho = RHO_86 * (-(alt_m - TOP_M) / SCALE_HEIGHT_ABOVE_86_M).exp();
        return Air {
            temperature_k: T_86,
            pressure_pa: rho * R_STAR * T_86 / M0,
            density_kg_m3: rho,
            speed_of_sound_mps: speed_of_sound(T_86),
        };
    }
    let z = alt_m.max(-5_000.0);
    let h = R0 * z / (R0 + z); // geopotential altitude, USSA76 eq. 18
    let layer = LAYERS
        .iter()
        .rev()
        .find(|l| h >= l.h_base)
        .unwrap_or(&LAYERS[0]);
    let dh = h - layer.h_base;
    let t = layer.t_base + layer.lapse * dh;
    let k = G0 * M0 / R_STAR; // K/m'
    let p = if layer.lapse == 0.0 {
        layer.p_base * (-k * dh / layer.t_base).exp()
    } else {
        layer.p_base * (layer.t_base / t).powf(k / layer.lapse)
    };
    Air {
        temperature_k: t,
        pressure_pa: p,
        density_kg_m3: p * M0 / (R_STAR * t),
        speed_of_sound_mps: speed_of_sound(t),
    }
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

/// The standard atmosphere from a table of [`air`] every 25 m from −5 km to 86 km,
/// interpolated linearly in density and temperature (exact at the nodes; between them the
/// density error is below 10⁻⁴ relative: for a local scale height H ≥ 6 km it is at most
/// (Δh/H)²/8 ≈ 2·10⁻⁵ for H ≥ 2 km). Above 86 km it is [`air`] itself. For the hot paths whose
/// results need not match the threat flights bit for bit: interceptor flight and track
/// prediction.
#[inline]
pub fn air_fast(alt_m: f64) -> Air {
    static TABLE: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    if alt_m >= TOP_M {
        return air(alt_m);
    }
    let table = TABLE.get_or_init(|| {
        let n = ((TOP_M - FAST_BOTTOM_M) / FAST_STEP_M).round() as usize;
        (0..=n)
            .map(|k| {
                let a = air(FAST_BOTTOM_M + k as f64 * FAST_STEP_M);
                (a.density_kg_m3, a.temperature_k)
            })
            .collect()
    });
    let x = (alt_m.max(FAST_BOTTOM_M) - FAST_BOTTOM_M) / FAST_STEP_M;
    let i = (x as usize).min(table.len() - 2);
    let f = x - i as f64;
    let (l0, t0) = table[i];
    let (l1, t1) = table[i + 1];
    let rho = l0 + f * (l1 - l0);
    let t = t0 + f * (t1 - t0);
    Air {
        temperature_k: t,
        pressure_pa: rho * R_STAR * t / M0,
        density_kg_m3: rho,
        speed_of_sound_mps: speed_of_sound(t),
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
            let s = air(z - 1e-6); // the 86 km row is the top of the tabulated layers
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

    #[test]
    fn extension_above_86_km_is_continuous_and_matches_100_km() {
        let below = air(TOP_M - 1e-3).density_kg_m3;
        let above = air(TOP_M).density_kg_m3;
        assert!(((below - above) / below).abs() < 1e-3);
        // USSA76 Table I at 100 km: 5.604e-7 kg/m3.
        assert!(((density(100_000.0) - 5.604e-7) / 5.604e-7).abs() < 1e-2);
        assert!(density(500_000.0) < 1e-30);
    }
}
