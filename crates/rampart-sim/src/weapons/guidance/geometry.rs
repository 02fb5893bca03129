//! Line-of-sight kinematics shared by the guidance laws: the LOS rate, the closing speed, the
//! time to go, gravity compensation, and the robust unit vector every law forms its directions
//! with. Conventions are those of the parent module ([`super`]).

use nalgebra::Vector3;

/// Unit vector and norm of `v`, robust against underflow/overflow of the
/// squared norm. `None` if `v` is zero or not finite. The returned norm may be
/// `+inf` if |v| exceeds `f64::MAX` (components near the limit); the unit
/// vector is always finite.
pub(super) fn unit_and_norm(v: &Vector3<f64>) -> Option<(Vector3<f64>, f64)> {
    let m = v.amax();
    if !(m.is_finite() && m > 0.0) {
        return None;
    }
    let scaled = v / m;
    let n = scaled.norm(); // in [1, √3]
    let u = scaled / n;
    let norm = m * n;
    if norm.is_nan() || !u.iter().all(|c| c.is_finite()) {
        return None;
    }
    Some((u, norm))
}

/// Zero vector if any component is not finite, otherwise `v` unchanged.
pub(super) fn finite_or_zero(v: Vector3<f64>) -> Vector3<f64> {
    if v.iter().all(|c| c.is_finite()) {
        v
    } else {
        Vector3::zeros()
    }
}

/// Component of `v` perpendicular to the unit vector `u`: v − (v·u)u.
pub(super) fn reject(v: &Vector3<f64>, u: &Vector3<f64>) -> Vector3<f64> {
    v - u * v.dot(u)
}

/// Line-of-sight angular rate ω = (R × V)/|R|² in rad/s.
///
/// Computed as (R̂ × V)/|R| (algebraically identical, but free of the
/// overflow/underflow of |R|²). Returns zero when R = 0 (LOS undefined) or
/// the result is not finite.
pub fn los_rate(rel_pos: &Vector3<f64>, rel_vel: &Vector3<f64>) -> Vector3<f64> {
    match unit_and_norm(rel_pos) {
        Some((r_hat, r)) => finite_or_zero(r_hat.cross(rel_vel) / r),
        None => Vector3::zeros(),
    }
}

/// Closing speed Vc = −R·V/|R| in m/s (positive while the range decreases).
///
/// Returns 0 when R = 0 (LOS undefined) or the result is not finite.
pub fn closing_speed(rel_pos: &Vector3<f64>, rel_vel: &Vector3<f64>) -> f64 {
    match unit_and_norm(rel_pos) {
        Some((r_hat, _)) => {
            let vc = -rel_vel.dot(&r_hat);
            if vc.is_finite() { vc } else { 0.0 }
        }
        None => 0.0,
    }
}

/// Time to go t_go = |R|/Vc in seconds (the constant-closing-speed estimate
/// used by Zarchan ch. 2), or `None` if not closing (Vc ≤ 0) or the value is
/// not finite. At zero range it returns `Some(0.0)`.
pub fn time_to_go(rel_pos: &Vector3<f64>, rel_vel: &Vector3<f64>) -> Option<f64> {
    let (r_hat, r) = match unit_and_norm(rel_pos) {
        Some(x) => x,
        None => {
            // R = 0 exactly: already at the target. Non-finite R: unknown.
            return if rel_pos.iter().all(|c| *c == 0.0) {
                Some(0.0)
            } else {
                None
            };
        }
    };
    let vc = -rel_vel.dot(&r_hat);
    if vc.is_nan() || vc <= 0.0 {
        return None;
    }
    let t = r / vc;
    if t.is_finite() { Some(t) } else { None }
}

/// −(component of gravity perpendicular to the velocity): the lateral
/// acceleration an airframe must add to its guidance command so that a
/// guided flight does not sag under gravity ("gravity-compensated PN": the
/// PN command is augmented by the gravity term it would otherwise have to
/// generate through a growing LOS rate; cf. Zarchan, 6th ed., discussions of
/// gravity compensation of the guidance command, and Shneydor on
/// biased PN).
///
/// Only the perpendicular part is compensated because an aerodynamic
/// airframe can only turn its velocity vector (lift is perpendicular to the
/// velocity); the along-velocity part of gravity changes speed, which is the
/// propulsion/drag model's business, not guidance's. Add the result to
/// [`Guidance::command`](super::Guidance::command) and, if the total must respect the
/// airframe limit, pass the sum through [`Guidance::limit`](super::Guidance::limit).
///
/// Returns zero when the velocity is zero (no airspeed, no lift and no
/// defined "perpendicular") or any input is not finite.
pub fn gravity_compensation(g: &Vector3<f64>, missile_vel: &Vector3<f64>) -> Vector3<f64> {
    match unit_and_norm(missile_vel) {
        Some((v_hat, _)) => finite_or_zero(-reject(g, &v_hat)),
        None => Vector3::zeros(),
    }
}
