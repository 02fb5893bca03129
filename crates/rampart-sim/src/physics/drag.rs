//! Aerodynamic drag of a point mass: `a = −½ ρ |v| v · C_D(M) A / m`.
//!
//! A body is described by its reference ballistic coefficient `β = m / (C_D,ref · A)` (kg/m²) and a
//! [`DragProfile`] giving `C_D(M) / C_D,ref` against Mach number. Velocity is relative to the air,
//! which rotates with the Earth (no wind).

use super::atmosphere::Air;
use nalgebra::Vector3;

/// Drag coefficient relative to its reference value, piecewise linear in Mach number and held
/// constant beyond the last point.
#[derive(Clone, Debug, PartialEq)]
pub struct DragProfile {
    points: Vec<(f64, f64)>,
}

impl DragProfile {
    /// A profile from (Mach, C_D/C_D,ref) points with strictly increasing Mach numbers and positive
    /// factors; `None` otherwise.
    pub fn new(points: Vec<(f64, f64)>) -> Option<Self> {
        let ok = !points.is_empty()
            && points
                .iter()
                .all(|&(m, k)| m >= 0.0 && m.is_finite() && k > 0.0 && k.is_finite())
            && points.windows(2).all(|w| w[1].0 > w[0].0);
        ok.then_some(Self { points })
    }

    /// A Mach-independent drag coefficient.
    pub fn constant() -> Self {
        Self {
            points: vec![(0.0, 1.0)],
        }
    }

    /// The default for a slender cone-cylinder missile body or re-entry vehicle: flat subsonic,
    /// a transonic rise peaking near 1.7× at Mach 1.1–1.2, falling back towards the reference
    /// value at hypersonic speed. The shape follows the zero-lift drag of slender bodies of
    /// revolution (Hoerner, *Fluid-Dynamic Drag*, 1965, ch. 16 and 18); the numbers are notional.
    pub fn slender_body() -> Self {
        Self {
            points: vec![
                (0.0, 1.00),
                (0.6, 1.00),
                (0.8, 1.05),
                (0.9, 1.20),
                (1.0, 1.55),
                (1.1, 1.72),
                (1.2, 1.72),
                (1.5, 1.60),
                (2.0, 1.40),
                (3.0, 1.20),
                (5.0, 1.05),
                (8.0, 1.00),
            ],
        }
    }

    /// `C_D(M) / C_D,ref`.
    #[inline]
    pub fn factor(&self, mach: f64) -> f64 {
        let p = &self.points;
        if mach <= p[0].0 {
            return p[0].1;
        }
        // The first point above `mach` (the Mach numbers strictly increase); none above it,
        // or a NaN Mach number (0 here), gives the last factor.
        match p.partition_point(|&(m, _)| m <= mach) {
            i if i == 0 || i == p.len() => p[p.len() - 1].1,
            i => {
                let (m0, k0) = p[i - 1];
                let (m1, k1) = p[i];
                k0 + (k1 - k0) * (mach - m0) / (m1 - m0)
            }
        }
    }

    /// The (Mach, factor) points.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }
}

/// Drag acceleration (m/s²) for air-relative velocity `v` (m/s), air density `rho` (kg/m³),
/// speed of sound `a` (m/s) and reference ballistic coefficient `beta` (kg/m²).
#[inline]
pub fn drag_acceleration(
    v: &Vector3<f64>,
    rho: f64,
    a: f64,
    beta: f64,
    profile: &DragProfile,
) -> Vector3<f64> {
    let speed = v.norm();
    if speed == 0.0 || rho == 0.0 {
        return Vector3::zeros();
    }
    let k = profile.factor(speed / a);
    v * (-0.5 * rho * speed * k / beta)
}

/// [`drag_acceleration`] in `air` (none in vacuum): what a vehicle's specific force adds.
#[inline]
pub fn drag_in(
    air: Option<&Air>,
    v: &Vector3<f64>,
    beta: f64,
    profile: &DragProfile,
) -> Vector3<f64> {
    air.map_or_else(Vector3::zeros, |a| {
        drag_acceleration(v, a.density_kg_m3, a.speed_of_sound_mps, beta, profile)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_interpolates_and_holds_at_the_ends() {
        let p = DragProfile::slender_body();
        assert_eq!(p.factor(0.0), 1.0);
        assert!((p.factor(0.95) - 1.375).abs() < 1e-12);
        assert_eq!(p.factor(20.0), 1.0);
        assert!(DragProfile::new(vec![(1.0, 1.0), (0.5, 1.0)]).is_none());
        assert!(DragProfile::new(vec![(0.0, -1.0)]).is_none());
    }

    #[test]
    fn drag_opposes_motion_with_the_dynamic_pressure() {
        let v = Vector3::new(100.0, 0.0, 0.0);
        let a = drag_acceleration(&v, 1.225, 340.0, 1000.0, &DragProfile::constant());
        // q = ½ρv² = 6125 Pa; a = q/β = 6.125 m/s², against v.
        assert!((a.x + 6.125).abs() < 1e-12 && a.y == 0.0);
    }
}
