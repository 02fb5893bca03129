//! Homing guidance: true proportional navigation (PN) and augmented
//! proportional navigation (APN), plus line-of-sight (LOS) kinematics and
//! midcourse helpers.
//!
//! Conventions (used by every function here):
//!
//! * all vectors are in one Cartesian frame, SI units;
//! * `rel_pos` **R** = target position − interceptor position;
//! * `rel_vel` **V** = target velocity − interceptor velocity;
//! * LOS rate **ω** = (**R** × **V**) / |**R**|²  (rad/s);
//! * closing speed Vc = −**R**·**V** / |**R**|  (positive while closing).
//!
//! References:
//!
//! * P. Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.,
//!   AIAA Progress in Astronautics and Aeronautics vol. 239, 2012 —
//!   ch. 2 (proportional navigation, n_c = N'·Vc·λ̇, closed-form zero-lag
//!   responses) and ch. 8 (augmented proportional navigation,
//!   n_c = N'·Vc·λ̇ + N'·n_T/2).
//! * N. A. Shneydor, *Missile Guidance and Pursuit: Kinematics, Dynamics and
//!   Control*, Horwood, 1998 — ch. 5 (three-dimensional "true" PN, the
//!   command perpendicular to the LOS, a = N'·Vc·(ω × R̂)).
//!
//! Numerical robustness: no function here panics on any input. Unit vectors
//! are formed by first scaling by the largest absolute component, so tiny or
//! huge (but finite) vectors normalise without underflow/overflow. Whenever a
//! direction is undefined (zero range, zero interceptor velocity) or the
//! arithmetic overflows, the functions return a zero vector / `None` as
//! documented on each item.

use nalgebra::Vector3;

/// Which member of the proportional-navigation family [`Guidance`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuidanceLaw {
    /// True proportional navigation: a = N'·Vc·(ω × R̂), i.e. the command is
    /// perpendicular to the line of sight (Zarchan ch. 2; Shneydor).
    Proportional,
    /// Augmented proportional navigation: the PN term plus (N'/2)·a_T⊥, where
    /// a_T⊥ is the estimated target acceleration component perpendicular to
    /// the line of sight (Zarchan ch. 8).
    AugmentedProportional,
}

/// A proportional-navigation guidance law with an effective navigation
/// ratio and a lateral acceleration limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guidance {
    /// Which law to fly.
    pub law: GuidanceLaw,
    /// Effective navigation ratio N' (dimensionless; Zarchan's N', usually
    /// 3–5). PN is defined as n_c = N'·Vc·λ̇ with the *closing* speed Vc, as
    /// in Zarchan ch. 2.
    pub nav_constant: f64,
    /// Maximum magnitude of the commanded acceleration, m/s². The command
    /// vector is scaled down (direction kept) if it is larger. A negative or
    /// NaN limit yields a zero command; `f64::INFINITY` means no limit.
    pub max_accel_mps2: f64,
}

/// Unit vector and norm of `v`, robust against underflow/overflow of the
/// squared norm. `None` if `v` is zero or not finite. The returned norm may be
/// `+inf` if |v| exceeds `f64::MAX` (components near the limit); the unit
/// vector is always finite.
pub(crate) fn unit_and_norm(v: &Vector3<f64>) -> Option<(Vector3<f64>, f64)> {
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
fn finite_or_zero(v: Vector3<f64>) -> Vector3<f64> {
    if v.iter().all(|c| c.is_finite()) {
        v
    } else {
        Vector3::zeros()
    }
}

/// Component of `v` perpendicular to the unit vector `u`: v − (v·u)u.
fn reject(v: &Vector3<f64>, u: &Vector3<f64>) -> Vector3<f64> {
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
/// [`Guidance::command`] and, if the total must respect the airframe limit,
/// pass the sum through [`Guidance::limit`].
///
/// Returns zero when the velocity is zero (no airspeed, no lift and no
/// defined "perpendicular") or any input is not finite.
pub fn gravity_compensation(g: &Vector3<f64>, missile_vel: &Vector3<f64>) -> Vector3<f64> {
    match unit_and_norm(missile_vel) {
        Some((v_hat, _)) => finite_or_zero(-reject(g, &v_hat)),
        None => Vector3::zeros(),
    }
}

impl Guidance {
    /// Commanded acceleration of the interceptor, m/s².
    ///
    /// * `rel_pos` = target position − interceptor position;
    /// * `rel_vel` = target velocity − interceptor velocity;
    /// * `missile_vel` = interceptor velocity;
    /// * `target_accel` = estimated target acceleration (used by APN only).
    ///
    /// Steps and design choices:
    ///
    /// 1. True PN (Zarchan ch. 2; Shneydor):
    ///    a = N'·Vc·(ω × R̂). Using ω × R̂ = V⊥/|R|, where V⊥ is the
    ///    component of the relative velocity perpendicular to the LOS, this is
    ///    evaluated as N'·Vc·V⊥/|R|. In 2-D its magnitude is N'·Vc·|λ̇|,
    ///    Zarchan's n_c = N'·Vc·λ̇.
    /// 2. APN (Zarchan ch. 8) adds (N'/2)·a_T⊥, a_T⊥ = target acceleration
    ///    component perpendicular to the LOS.
    /// 3. Only the component perpendicular to `missile_vel` is kept: an
    ///    aerodynamic airframe turns its velocity vector with lift; it cannot
    ///    push along its axis with fins (axial acceleration is thrust/drag).
    ///    For small lead angles this removes only a cos(lead) fraction.
    /// 4. The magnitude is limited to `max_accel_mps2` by scaling the whole
    ///    vector (direction kept), see [`Guidance::limit`].
    ///
    /// Degenerate cases return a zero command: zero range (LOS undefined);
    /// not closing (Vc ≤ 0 — past closest approach, or an opening geometry
    /// in which PN's Vc-scaled command would have the wrong sign; a caller
    /// needing to turn a missile around must use a separate turn-over or
    /// pursuit phase); zero interceptor velocity (no airspeed, no lift, no
    /// defined lateral plane); non-finite intermediate arithmetic.
    pub fn command(
        &self,
        rel_pos: &Vector3<f64>,
        rel_vel: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
        target_accel: &Vector3<f64>,
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
        let n = self.nav_constant;
        // ω × R̂ = ((R × V)/|R|²) × R̂ = V⊥/|R|  (vector triple product).
        let v_perp = reject(rel_vel, &r_hat);
        let mut a = v_perp * (n * vc / r);
        if self.law == GuidanceLaw::AugmentedProportional {
            // Zarchan ch. 8: n_c = N'·Vc·λ̇ + N'·n_T/2, with n_T the target
            // acceleration normal to the LOS.
            a += reject(target_accel, &r_hat) * (0.5 * n);
        }
        let a = reject(&a, &m_hat);
        if !a.iter().all(|c| c.is_finite()) {
            return zero;
        }
        self.limit(&a)
    }

    /// Same law as [`Guidance::command`] flown against a point (a stationary
    /// or predicted intercept point) moving with constant velocity
    /// `point_vel`; no point acceleration is assumed, so PN and APN coincide.
    /// Intended for midcourse guidance toward a predicted intercept point.
    pub fn command_to_point(
        &self,
        point: &Vector3<f64>,
        point_vel: &Vector3<f64>,
        missile_pos: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
    ) -> Vector3<f64> {
        let rel_pos = point - missile_pos;
        let rel_vel = point_vel - missile_vel;
        self.command(&rel_pos, &rel_vel, missile_vel, &Vector3::zeros())
    }

    /// Scale `accel` down (keeping its direction) so that its magnitude does
    /// not exceed `max_accel_mps2`. A negative or NaN limit, or a non-finite
    /// `accel`, yields zero.
    pub fn limit(&self, accel: &Vector3<f64>) -> Vector3<f64> {
        let max = self.max_accel_mps2;
        if max.is_nan() || max < 0.0 {
            return Vector3::zeros();
        }
        match unit_and_norm(accel) {
            Some((u, norm)) if norm > max => finite_or_zero(u * max),
            Some(_) => *accel,
            None => Vector3::zeros(),
        }
    }
}
