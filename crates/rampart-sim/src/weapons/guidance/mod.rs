//! Homing guidance: the [`GuidanceLaw`] trait, the laws built in (true proportional navigation,
//! `pn`, and augmented proportional navigation, `apn`, in [`proportional`]), the airframe limit
//! ([`Guidance`]) and line-of-sight (LOS) kinematics ([`geometry`]).
//!
//! Conventions (used by every function here):
//!
//! * all vectors are in one Cartesian frame, SI units;
//! * `rel_pos` **R** = target position − interceptor position;
//! * `rel_vel` **V** = target velocity − interceptor velocity;
//! * LOS rate **ω** = (**R** × **V**) / |**R**|²  (rad/s);
//! * closing speed Vc = −**R**·**V** / |**R**|  (positive while closing).
//!
//! A law is one file implementing [`GuidanceLaw`] and one line in
//! [`Registry::builtin`](crate::registry::Registry::builtin), which builds it from the
//! interceptor type's [`GuidanceParams`] under the name a scenario's `guidance` key gives.
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
use std::fmt::Debug;
use std::sync::Arc;

/// LOS rate, closing speed, time to go, gravity compensation.
pub mod geometry;
/// True and augmented proportional navigation (`pn`, `apn`).
pub mod proportional;

pub use geometry::{closing_speed, gravity_compensation, los_rate, time_to_go};
use geometry::{finite_or_zero, unit_and_norm};
pub use proportional::{AugmentedProportionalNavigation, TrueProportionalNavigation};

/// A homing guidance law: the lateral acceleration an interceptor asks of its airframe, from
/// the relative motion of its target.
///
/// Implementations hold their own parameters (a navigation ratio, a gain), built from the
/// interceptor type's [`GuidanceParams`] by the factory registered in
/// [`Registry`](crate::registry::Registry). [`Guidance`] applies the airframe limit to
/// whatever a law commands, and the engine adds gravity compensation before that limit, so a
/// law returns its own command only.
///
/// The family this covers: true PN (the command across the line of sight), pure PN (across
/// the interceptor's velocity, from `missile_vel` and the LOS rate), augmented PN (with
/// `target_accel`), pure pursuit (turning `missile_vel` onto `rel_pos`), and, through
/// [`command_to_point`](Self::command_to_point), steering to a fixed or moving point in
/// midcourse.
///
/// A law must not panic on any input, finite or not; a command with a non-finite component is
/// replaced by zero by [`Guidance`].
///
/// # Example
///
/// Pure proportional navigation, a = N′·(ω × v_m): the command across the interceptor's own
/// velocity rather than across the line of sight.
///
/// ```
/// use nalgebra::Vector3;
/// use rampart_sim::weapons::guidance::{GuidanceLaw, los_rate};
///
/// /// Pure proportional navigation: a = N′·(ω × v_m).
/// #[derive(Debug)]
/// pub struct PureProportionalNavigation {
///     /// Navigation ratio N′.
///     pub nav_constant: f64,
/// }
///
/// impl GuidanceLaw for PureProportionalNavigation {
///     fn name(&self) -> &str {
///         "ppn"
///     }
///
///     fn command(
///         &self,
///         rel_pos: &Vector3<f64>,
///         rel_vel: &Vector3<f64>,
///         missile_vel: &Vector3<f64>,
///         _target_accel: &Vector3<f64>,
///     ) -> Vector3<f64> {
///         let a = los_rate(rel_pos, rel_vel).cross(missile_vel) * self.nav_constant;
///         if a.iter().all(|c| c.is_finite()) { a } else { Vector3::zeros() }
///     }
/// }
///
/// // A target drifting left of a missile flying at it: the command turns the missile left.
/// let ppn = PureProportionalNavigation { nav_constant: 3.0 };
/// let a = ppn.command(
///     &Vector3::new(10_000.0, 0.0, 0.0),
///     &Vector3::new(-1_000.0, 100.0, 0.0),
///     &Vector3::new(800.0, 0.0, 0.0),
///     &Vector3::zeros(),
/// );
/// assert!(a.y > 0.0 && a.x == 0.0 && a.z == 0.0);
/// ```
pub trait GuidanceLaw: Debug + Send + Sync {
    /// The name the scenario file gives the law (`guidance = "pn"`); reports print it.
    fn name(&self) -> &str;

    /// Commanded acceleration, m/s², before the airframe limit.
    ///
    /// * `rel_pos` = target position − interceptor position, m;
    /// * `rel_vel` = target velocity − interceptor velocity, m/s;
    /// * `missile_vel` = interceptor velocity, m/s;
    /// * `target_accel` = estimated target acceleration, m/s² (zero when unknown).
    fn command(
        &self,
        rel_pos: &Vector3<f64>,
        rel_vel: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
        target_accel: &Vector3<f64>,
    ) -> Vector3<f64>;

    /// Commanded acceleration, m/s², before the airframe limit, toward a point (a stationary
    /// or predicted intercept point) at `point` moving with constant velocity `point_vel`,
    /// from an interceptor at `missile_pos` flying at `missile_vel`: midcourse guidance.
    ///
    /// By default the law's own [`command`](Self::command) flown against the point, with no
    /// point acceleration (so PN and APN coincide); a law with a midcourse phase of its own
    /// overrides it.
    fn command_to_point(
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
}

/// The guidance parameters of an interceptor type, from which a law is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GuidanceParams {
    /// Effective navigation ratio N' (dimensionless; Zarchan's N', usually
    /// 3–5; the scenario's `navigation_constant`). PN is defined as n_c = N'·Vc·λ̇ with the
    /// *closing* speed Vc, as in Zarchan ch. 2.
    pub nav_constant: f64,
    /// Maximum magnitude of the commanded acceleration, m/s² (the scenario's
    /// `max_acceleration`). The command vector is scaled down (direction kept) if it is
    /// larger. A negative or NaN limit yields a zero command; `f64::INFINITY` means no limit.
    pub max_accel_mps2: f64,
}

/// A guidance law flown within an airframe's lateral acceleration limit.
#[derive(Debug, Clone)]
pub struct Guidance {
    /// The law (built from `params` by its registered factory).
    pub law: Arc<dyn GuidanceLaw>,
    /// The parameters the law was built from, and the acceleration limit.
    pub params: GuidanceParams,
}

impl Guidance {
    /// `law` within the limit of `params`.
    pub fn new(law: Arc<dyn GuidanceLaw>, params: GuidanceParams) -> Self {
        Self { law, params }
    }

    /// True proportional navigation (`pn`) with the navigation ratio and limit of `params`.
    pub fn proportional(params: GuidanceParams) -> Self {
        let law = TrueProportionalNavigation {
            nav_constant: params.nav_constant,
        };
        Self::new(Arc::new(law), params)
    }

    /// Augmented proportional navigation (`apn`) with the navigation ratio and limit of
    /// `params`.
    pub fn augmented_proportional(params: GuidanceParams) -> Self {
        let law = AugmentedProportionalNavigation {
            nav_constant: params.nav_constant,
        };
        Self::new(Arc::new(law), params)
    }

    /// Commanded acceleration of the interceptor, m/s²: the law's
    /// [`command`](GuidanceLaw::command), limited to `max_accel_mps2` by scaling the whole
    /// vector (direction kept), see [`Guidance::limit`].
    ///
    /// * `rel_pos` = target position − interceptor position;
    /// * `rel_vel` = target velocity − interceptor velocity;
    /// * `missile_vel` = interceptor velocity;
    /// * `target_accel` = estimated target acceleration (used by APN only among the built-in
    ///   laws).
    ///
    /// For the built-in laws (see [`proportional`]) the command is perpendicular to
    /// `missile_vel`, and zero at zero range, when not closing, at zero interceptor velocity or
    /// on non-finite arithmetic.
    pub fn command(
        &self,
        rel_pos: &Vector3<f64>,
        rel_vel: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
        target_accel: &Vector3<f64>,
    ) -> Vector3<f64> {
        let a = self
            .law
            .command(rel_pos, rel_vel, missile_vel, target_accel);
        self.limit(&a)
    }

    /// Same law as [`Guidance::command`] flown against a point (a stationary
    /// or predicted intercept point) moving with constant velocity
    /// `point_vel` (the law's [`command_to_point`](GuidanceLaw::command_to_point)); no point
    /// acceleration is assumed, so PN and APN coincide. Intended for midcourse guidance toward
    /// a predicted intercept point. Limited as [`Guidance::command`].
    pub fn command_to_point(
        &self,
        point: &Vector3<f64>,
        point_vel: &Vector3<f64>,
        missile_pos: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
    ) -> Vector3<f64> {
        let a = self
            .law
            .command_to_point(point, point_vel, missile_pos, missile_vel);
        self.limit(&a)
    }

    /// Scale `accel` down (keeping its direction) so that its magnitude does
    /// not exceed `max_accel_mps2`. A negative or NaN limit, or a non-finite
    /// `accel`, yields zero.
    pub fn limit(&self, accel: &Vector3<f64>) -> Vector3<f64> {
        let max = self.params.max_accel_mps2;
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
