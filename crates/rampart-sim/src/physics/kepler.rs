//! Closed-form Keplerian free flight: the minimum-energy trajectory between two points of a
//! point-mass field, the reference the ballistic trajectory shapes are checked against.
//!
//! For a transfer through the angle Ψ from radius r₁ to radius r₂ the chord is
//! c = √(r₁² + r₂² − 2 r₁ r₂ cos Ψ) and the least-energy ellipse has semi-major axis
//! a = (r₁ + r₂ + c)/4 and semi-latus rectum p = r₁ r₂ (1 − cos Ψ)/c (Bate, Mueller & White,
//! *Fundamentals of Astrodynamics*, 1971, §5.3). From them the speed at r₁ is the vis-viva
//! v₁ = √(μ (2/r₁ − 1/a)) and the flight-path angle γ₁ = arccos(√(μ p)/(r₁ v₁)). With r₁ = r₂ = r
//! these reduce to BMW's ch. 6 results: Q = v² r/μ = 2 sin(Ψ/2)/(1 + sin(Ψ/2)) and
//! γ = (π − Ψ)/4 (their eqs. 6.2-16 and 6.2-17).

/// The minimum-energy free flight between two radii.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MinimumEnergy {
    /// Speed at the first point, m/s.
    pub speed_mps: f64,
    /// Flight-path angle at the first point (above the local horizontal), radians.
    pub flight_path_angle_rad: f64,
    /// Semi-major axis, m.
    pub semi_major_axis_m: f64,
    /// Eccentricity.
    pub eccentricity: f64,
    /// Time from the first point to the second, s.
    pub time_of_flight_s: f64,
    /// Greatest radius reached between the points (the apoapsis if it lies between them), m.
    pub apogee_radius_m: f64,
}

/// The minimum-energy transfer through `range_angle_rad` from radius `r1_m` to radius `r2_m` in
/// a field of gravitational parameter `mu` (m³/s²), travelling prograde; `None` unless
/// 0 < Ψ < π and the radii and μ are positive (at Ψ = 0 and Ψ = π the transfer plane is not
/// defined).
pub fn minimum_energy(
    mu: f64,
    r1_m: f64,
    r2_m: f64,
    range_angle_rad: f64,
) -> Option<MinimumEnergy> {
    let valid = range_angle_rad > 0.0
        && range_angle_rad < std::f64::consts::PI
        && r1_m > 0.0
        && r2_m > 0.0
        && mu > 0.0;
    if !valid {
        return None;
    }
    let psi = range_angle_rad;
    let chord = (r1_m * r1_m + r2_m * r2_m - 2.0 * r1_m * r2_m * psi.cos()).sqrt();
    let a = 0.25 * (r1_m + r2_m + chord);
    let p = r1_m * r2_m * (1.0 - psi.cos()) / chord;
    let e = (1.0 - p / a).max(0.0).sqrt();
    let v1 = (mu * (2.0 / r1_m - 1.0 / a)).sqrt();
    let cos_gamma = ((mu * p).sqrt() / (r1_m * v1)).min(1.0);
    // Outbound (climbing) at the first point: the flight-path angle is positive.
    let gamma = cos_gamma.acos();
    // True anomalies from the conic equation r = p/(1 + e cos ν): the first point climbs
    // (ν₁ ∈ [0, π]), the second lies Ψ further on.
    let nu1 = ((p / r1_m - 1.0) / e).clamp(-1.0, 1.0).acos();
    let nu2 = nu1 + psi;
    // Mean anomaly from the true anomaly, continuous on [0, 2π): the eccentric anomaly
    // E = 2 atan2(√(1−e) sin(ν/2), √(1+e) cos(ν/2)) and Kepler's equation M = E − e sin E.
    let mean_anomaly = |nu: f64| {
        let big_e =
            2.0 * ((1.0 - e).sqrt() * (0.5 * nu).sin()).atan2((1.0 + e).sqrt() * (0.5 * nu).cos());
        big_e - e * big_e.sin()
    };
    let tof = (mean_anomaly(nu2) - mean_anomaly(nu1)) * (a * a * a / mu).sqrt();
    let apogee = if nu1 <= std::f64::consts::PI && nu2 >= std::f64::consts::PI {
        a * (1.0 + e)
    } else {
        r1_m.max(r2_m)
    };
    Some(MinimumEnergy {
        speed_mps: v1,
        flight_path_angle_rad: gamma,
        semi_major_axis_m: a,
        eccentricity: e,
        time_of_flight_s: tof,
        apogee_radius_m: apogee,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bate, Mueller & White's constants for their ch. 6 examples: one Earth radius
    /// 6,378.145 km and μ = 3.986012e14 m³/s² (their Appendix A).
    const MU: f64 = 3.986_012e14;
    const R: f64 = 6_378_145.0;

    /// The minimum-energy table of the ballistic-missile chapter (BMW ch. 6, burnout and
    /// re-entry at the surface of a spherical Earth): ground range → burnout speed, flight-path
    /// angle, free-flight time and apogee height.
    #[test]
    fn reproduces_the_minimum_energy_table() {
        let table = [
            (290.0, 1_667.0, 44.3, 247.0, 72.0),
            (350.0, 1_827.0, 44.2, 272.0, 86.0),
            (430.0, 2_019.0, 44.0, 303.0, 106.0),
            (500.0, 2_171.0, 43.9, 328.0, 123.0),
            (590.0, 2_350.0, 43.7, 358.0, 144.0),
        ];
        for (km, v, gdeg, tof, apo_km) in table {
            let psi = km * 1e3 / R;
            let me = minimum_energy(MU, R, R, psi).unwrap();
            assert!((me.speed_mps - v).abs() < 1.0, "{km} km: {me:?}");
            assert!(
                (me.flight_path_angle_rad.to_degrees() - gdeg).abs() < 0.06,
                "{km} km: {me:?}"
            );
            assert!((me.time_of_flight_s - tof).abs() < 1.0, "{km} km: {me:?}");
            assert!(
                ((me.apogee_radius_m - R) / 1e3 - apo_km).abs() < 1.0,
                "{km} km: {me:?}"
            );
            // The equal-radius forms: Q = 2 sin(Ψ/2)/(1 + sin(Ψ/2)), γ = (π − Ψ)/4.
            let s = (0.5 * psi).sin();
            let q = me.speed_mps * me.speed_mps * R / MU;
            assert!((q - 2.0 * s / (1.0 + s)).abs() < 1e-12);
            assert!((me.flight_path_angle_rad - 0.25 * (std::f64::consts::PI - psi)).abs() < 1e-12);
        }
        assert!(minimum_energy(MU, R, R, 0.0).is_none());
        assert!(minimum_energy(MU, R, R, std::f64::consts::PI).is_none());
    }

    /// Burnout above the impact height: the least-energy angle is flatter than (π − Ψ)/4, and
    /// the flat-Earth limit sin θ = v/√(2(v² + g h)) of a throw from height h agrees.
    #[test]
    fn a_higher_start_flattens_the_optimum() {
        let psi = 400e3 / R;
        let equal = minimum_energy(MU, R, R, psi).unwrap();
        let high = minimum_energy(MU, R + 40e3, R, psi).unwrap();
        assert!(high.flight_path_angle_rad < equal.flight_path_angle_rad);
        assert!(high.speed_mps < equal.speed_mps);
        // Small range on a big sphere ≈ flat Earth with uniform g.
        let (mu, r) = (9.81 * 1e14, 1e7); // g = μ/r² = 9.81
        let h = 100.0;
        let me = minimum_energy(mu, r + h, r, 1_000.0 / r).unwrap();
        let v = me.speed_mps;
        let flat = (v / (2.0 * (v * v + 9.81 * h)).sqrt()).asin();
        assert!(
            (me.flight_path_angle_rad - flat).abs() < 2e-3,
            "{} vs {}",
            me.flight_path_angle_rad.to_degrees(),
            flat.to_degrees()
        );
    }
}
