//! The proportional-navigation family: true proportional navigation (`pn`) and augmented
//! proportional navigation (`apn`).
//!
//! Both are built from the interceptor type's navigation ratio N′ (`navigation_constant`).
//! References: Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., 2012, ch. 2 and
//! ch. 8; Shneydor, *Missile Guidance and Pursuit*, 1998, ch. 5.
//!
//! Steps and design choices:
//!
//! 1. True PN (Zarchan ch. 2; Shneydor): a = N′·Vc·(ω × R̂). Using ω × R̂ = V⊥/|R|, where V⊥
//!    is the component of the relative velocity perpendicular to the LOS, this is evaluated as
//!    N′·Vc·V⊥/|R|. In 2-D its magnitude is N′·Vc·|λ̇|, Zarchan's n_c = N′·Vc·λ̇.
//! 2. APN (Zarchan ch. 8) adds (N′/2)·a_T⊥, a_T⊥ = target acceleration component perpendicular
//!    to the LOS.
//! 3. Only the component perpendicular to `missile_vel` is kept: an aerodynamic airframe turns
//!    its velocity vector with lift; it cannot push along its axis with fins (axial
//!    acceleration is thrust/drag). For small lead angles this removes only a cos(lead)
//!    fraction.
//!
//! Degenerate cases return a zero command: zero range (LOS undefined); not closing (Vc ≤ 0 —
//! past closest approach, or an opening geometry in which PN's Vc-scaled command would have
//! the wrong sign; a caller needing to turn a missile around must use a separate turn-over or
//! pursuit phase); zero interceptor velocity (no airspeed, no lift, no defined lateral plane);
//! non-finite intermediate arithmetic.

use super::GuidanceLaw;
use super::geometry::{reject, unit_and_norm};
use nalgebra::Vector3;

/// True proportional navigation: a = N′·Vc·(ω × R̂), the command perpendicular to the line of
/// sight (Zarchan ch. 2; Shneydor ch. 5). The scenario's `guidance = "pn"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrueProportionalNavigation {
    /// Effective navigation ratio N′ (dimensionless, usually 3–5).
    pub nav_constant: f64,
}

/// Augmented proportional navigation: the true-PN term plus (N′/2)·a_T⊥, a_T⊥ the estimated
/// target acceleration across the line of sight (Zarchan ch. 8). The scenario's
/// `guidance = "apn"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AugmentedProportionalNavigation {
    /// Effective navigation ratio N′ (dimensionless, usually 3–5).
    pub nav_constant: f64,
}

impl GuidanceLaw for TrueProportionalNavigation {
    fn name(&self) -> &str {
        "pn"
    }

    /// See the [module documentation](crate::weapons::guidance::proportional).
    fn command(
        &self,
        rel_pos: &Vector3<f64>,
        rel_vel: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
        _target_accel: &Vector3<f64>,
    ) -> Vector3<f64> {
        proportional(self.nav_constant, rel_pos, rel_vel, missile_vel, None)
    }
}

impl GuidanceLaw for AugmentedProportionalNavigation {
    fn name(&self) -> &str {
        "apn"
    }

    /// See the [module documentation](crate::weapons::guidance::proportional).
    fn command(
        &self,
        rel_pos: &Vector3<f64>,
        rel_vel: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
        target_accel: &Vector3<f64>,
    ) -> Vector3<f64> {
        proportional(
            self.nav_constant,
            rel_pos,
            rel_vel,
            missile_vel,
            Some(target_accel),
        )
    }
}

/// The proportional-navigation command with navigation ratio `n`, before the airframe limit;
/// with `target_accel`, augmented. See the module documentation.
fn proportional(
    n: f64,
    rel_pos: &Vector3<f64>,
    rel_vel: &Vector3<f64>,
    missile_vel: &Vector3<f64>,
    target_accel: Option<&Vector3<f64>>,
) -> Vector3<f64> {
    let zero = Vector3::zeros();
    let Some((r_hat, r)) = unit_and_norm(rel_pos) else {
        return zero;
    };
    let Some((m_hat, _)) = unit_and_norm(missile_vel) else {
        return zero;
    };
    let vc = -rel_vel.dot(&r_hat);
    if !(vc.is_finite() && vc > 0.0) {
        return zero;
    }
    // ω × R̂ = ((R × V)/|R|²) × R̂ = V⊥/|R|  (vector triple product).
    let v_perp = reject(rel_vel, &r_hat);
    let mut a = v_perp * (n * vc / r);
    if let Some(target_accel) = target_accel {
        // Zarchan ch. 8: n_c = N'·Vc·λ̇ + N'·n_T/2, with n_T the target acceleration normal to
        // the LOS.
        a += reject(target_accel, &r_hat) * (0.5 * n);
    }
    let a = reject(&a, &m_hat);
    if !a.iter().all(|c| c.is_finite()) {
        return zero;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With no target acceleration APN flies exactly as PN (Zarchan ch. 8: the augmentation is
    /// the target-acceleration term alone); with one across the line of sight it adds N′/2 of it.
    #[test]
    fn apn_is_pn_plus_half_n_times_the_target_acceleration_across_the_los() {
        let (pn, apn) = (
            TrueProportionalNavigation { nav_constant: 4.0 },
            AugmentedProportionalNavigation { nav_constant: 4.0 },
        );
        let rel_pos = Vector3::new(10_000.0, 0.0, 0.0);
        let rel_vel = Vector3::new(-1_000.0, 50.0, 0.0);
        let missile_vel = Vector3::new(1_000.0, 0.0, 0.0);
        let none = Vector3::zeros();
        assert_eq!(
            pn.command(&rel_pos, &rel_vel, &missile_vel, &none),
            apn.command(&rel_pos, &rel_vel, &missile_vel, &none)
        );
        let across = Vector3::new(0.0, 0.0, 30.0);
        let extra = apn.command(&rel_pos, &rel_vel, &missile_vel, &across)
            - pn.command(&rel_pos, &rel_vel, &missile_vel, &across);
        assert!((extra - across * 2.0).norm() < 1e-12, "{extra:?}");
        assert_eq!((pn.name(), apn.name()), ("pn", "apn"));
    }
}
