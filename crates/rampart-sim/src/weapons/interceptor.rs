//! Interceptor types, their 3-DoF flight and their flyout tables.
//!
//! **Flight.** A point mass in ECEF under the same Earth as the threats (J2 gravity, the
//! rotating frame's Coriolis and centrifugal terms, the 1976 atmosphere): a constant-thrust boost
//! along the velocity (thrust = Isp·g₀·ṁ, ṁ = propellant / burn time), drag
//! `½ρv²·C_D(M)·A/m` on the slender-body Mach profile, and the guidance command, held
//! constant over each step and limited to the airframe's lateral acceleration. The state is
//! stepped with classical fourth-order Runge–Kutta at fixed steps (the guidance rate).
//!
//! **Launch.** The interceptor leaves the launcher at [`LAUNCH_SPEED_MPS`] along the azimuth of
//! its aim point, at the aim point's elevation but never below [`MIN_LAUNCH_ELEVATION_RAD`]
//! (it clears the ground and pitches over under guidance).
//!
//! **Flyout table.** Built once per interceptor type from this same flight model: for
//! elevations from 0° to 90° every [`FLYOUT_ELEVATION_STEP_DEG`]°, the interceptor flies under
//! midcourse guidance toward a fixed point far along that elevation; the time at which it first
//! reaches each slant range is recorded until it runs out of flight time (at most
//! [`MAX_FLIGHT_TIME_S`]) or falls below [`MIN_USEFUL_SPEED_MPS`]. A query interpolates linearly in slant range along the two
//! neighbouring elevations, then between them.

use crate::physics::atmosphere::{self, G0};
use crate::physics::drag::{DragProfile, drag_acceleration};
use crate::physics::earth::EarthModel;
use crate::physics::integrator::{Dynamics, rk4_step};
use crate::sensors::detection::Swerling;
use crate::weapons::endgame::Lethality;
use crate::weapons::guidance::{Guidance, gravity_compensation};
use nalgebra::{SVector, Vector3};
use rampart_core::{Coordinate, Geodetic};

/// Speed at which an interceptor leaves its canister, m/s.
pub const LAUNCH_SPEED_MPS: f64 = 30.0;
/// The lowest launch elevation, rad (10°).
pub const MIN_LAUNCH_ELEVATION_RAD: f64 = 10.0 * std::f64::consts::PI / 180.0;
/// Elevation step of the flyout table, degrees.
pub const FLYOUT_ELEVATION_STEP_DEG: f64 = 2.5;
/// Below this speed after burn-out an interceptor can no longer manoeuvre to intercept, m/s.
pub const MIN_USEFUL_SPEED_MPS: f64 = 300.0;
/// Midcourse guidance and integration step, s.
pub const MIDCOURSE_STEP_S: f64 = 0.05;
/// Interceptors steer for the predicted intercept point until their seeker has acquired and
/// the time to go is below this; then they home by proportional navigation, s.
pub const HOMING_TIME_TO_GO_S: f64 = 3.0;
/// Homing guidance and integration step, s.
pub const HOMING_STEP_S: f64 = 0.02;
/// Endgame guidance and integration step (the last second), s.
pub const TERMINAL_STEP_S: f64 = 0.01;
/// The longest flight any interceptor makes, whatever its `max_flight_time_s` says, s: six
/// times the longest the scenario format allows (600 s). It bounds each flight of the flyout
/// table and each interceptor's flight in a run to a number of steps known in advance.
pub const MAX_FLIGHT_TIME_S: f64 = 3_600.0;

/// The kinematic envelope: where an interceptor may be aimed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Envelope {
    /// Lowest intercept altitude, m.
    pub min_altitude_m: f64,
    /// Highest intercept altitude, m.
    pub max_altitude_m: f64,
    /// Shortest intercept ground range from the launcher, m.
    pub min_range_m: f64,
    /// Longest intercept ground range from the launcher, m.
    pub max_range_m: f64,
}

impl Envelope {
    /// Whether a point at `alt_m` and ground range `range_m` lies inside.
    pub fn contains(&self, alt_m: f64, range_m: f64) -> bool {
        (self.min_altitude_m..=self.max_altitude_m).contains(&alt_m)
            && (self.min_range_m..=self.max_range_m).contains(&range_m)
    }
}

/// The interceptor's own seeker, for terminal homing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seeker {
    /// Range at which the seeker acquires its target, m.
    pub acquisition_range_m: f64,
    /// Angular noise of each seeker measurement (1σ), rad.
    pub angle_noise_rad: f64,
    /// How it sees its target.
    pub kind: SeekerKind,
}

/// How a seeker sees its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekerKind {
    /// An active or semi-active radar seeker: the interceptor flies out on the fire unit's
    /// track and its seeker acquires near the target.
    Radar,
    /// A passive infrared seeker that locks on before launch (Stinger-class, fire and forget):
    /// the unit launches only when the target is within the seeker's acquisition range of the
    /// launcher.
    Infrared,
}

impl SeekerKind {
    /// The word of the scenario file.
    pub fn word(self) -> &'static str {
        match self {
            SeekerKind::Radar => "radar",
            SeekerKind::Infrared => "infrared",
        }
    }
}

/// A named kind of interceptor.
#[derive(Clone, Debug)]
pub struct InterceptorType {
    /// Unique name (the key of `[interceptor_type.NAME]`).
    pub name: String,
    /// Probability that a launched interceptor works, in [0, 1].
    pub reliability: f64,
    /// Mean radar cross-section, m².
    pub rcs_m2: f64,
    /// How the radar cross-section fluctuates.
    pub swerling: Swerling,
    /// Mass at launch, kg.
    pub launch_mass_kg: f64,
    /// Propellant burned during the boost, kg.
    pub propellant_mass_kg: f64,
    /// Boost duration, s.
    pub burn_time_s: f64,
    /// Specific impulse, s.
    pub isp_s: f64,
    /// Body diameter (reference area π d²/4), m.
    pub diameter_m: f64,
    /// Zero-lift drag coefficient at the reference area, scaled by the slender-body Mach profile.
    pub drag_coefficient: f64,
    /// Guidance law, navigation constant and lateral acceleration limit.
    pub guidance: Guidance,
    /// Terminal seeker.
    pub seeker: Seeker,
    /// Where it may be aimed.
    pub envelope: Envelope,
    /// Kill probability against miss distance.
    pub lethality: Lethality,
    /// Longest flight before the interceptor destroys itself, s.
    pub max_flight_time_s: f64,
    /// How long past its planned intercept time an interceptor whose seeker has not acquired
    /// keeps flying before it is destroyed, s (see [`crate::stages::flyout`]).
    pub acquisition_grace_s: f64,
    /// The single-shot kill probability the battle manager assumes when it assigns weapons.
    pub planning_pk: f64,
    /// What one costs, in the scenario's cost unit, if given.
    pub cost: Option<f64>,
    /// Flight time against slant range and elevation, from this type's own flight model.
    pub flyout: FlyoutTable,
}

impl InterceptorType {
    /// Propellant mass flow during the boost, kg/s.
    pub fn mass_flow(&self) -> f64 {
        self.propellant_mass_kg / self.burn_time_s
    }

    /// Mass `t` seconds after launch, kg.
    pub fn mass(&self, t: f64) -> f64 {
        self.launch_mass_kg - self.mass_flow() * t.clamp(0.0, self.burn_time_s)
    }

    /// Thrust during the boost, N.
    pub fn thrust(&self) -> f64 {
        self.isp_s * G0 * self.mass_flow()
    }

    /// Thrust over launch weight.
    pub fn thrust_to_weight(&self) -> f64 {
        self.thrust() / (self.launch_mass_kg * G0)
    }

    fn reference_area(&self) -> f64 {
        std::f64::consts::FRAC_PI_4 * self.diameter_m * self.diameter_m
    }

    /// Position and velocity (ECEF) of an interceptor leaving `site` toward `aim` (ECEF).
    pub fn launch_state(
        &self,
        site: &Geodetic,
        aim: &Vector3<f64>,
    ) -> (Vector3<f64>, Vector3<f64>) {
        let frame = site.local_frame();
        let aer = frame.aer(&Coordinate::from_vector3(*aim));
        let el = aer.el_rad.max(MIN_LAUNCH_ELEVATION_RAD);
        let dir = frame.direction(aer.az_rad, el);
        (
            *site.to_ecef().as_vector3(),
            dir.as_vector3() * LAUNCH_SPEED_MPS,
        )
    }

    /// One step of `dt` seconds from `y = (r, v)` at `t` seconds after launch, with the lateral
    /// command `a_cmd` (ECEF, m/s²; limited by the caller) held over the step.
    pub fn step(
        &self,
        t: f64,
        y: &SVector<f64, 6>,
        a_cmd: &Vector3<f64>,
        dt: f64,
    ) -> SVector<f64, 6> {
        let dynamics = |thrusting: bool| InterceptorDynamics {
            ty: self,
            a_cmd: *a_cmd,
            thrusting,
        };
        // The motor stops at burn-out: a step across it is two steps, so that no Runge–Kutta
        // stage sees a fraction of the thrust (a stage past burn-out by a rounding error would
        // otherwise drop a sixth of a step's thrust, a first-order error in the step).
        let burn = self.burn_time_s;
        if t < burn && burn < t + dt {
            let y1 = rk4_step(&dynamics(true), t, y, burn - t);
            return rk4_step(&dynamics(false), burn, &y1, t + dt - burn);
        }
        rk4_step(&dynamics(t < burn), t, y, dt)
    }

    /// The acceleration of gravity and of the rotating frame at `r`, m/s².
    pub fn field(r: &Vector3<f64>, v: &Vector3<f64>) -> Vector3<f64> {
        EarthModel::wgs84().field_acceleration(r, v)
    }

    /// The midcourse command toward a point `aim` moving at `aim_vel` (ECEF), with gravity
    /// compensation: what the interceptor does on uplinked track data.
    pub fn midcourse_command(
        &self,
        y: &SVector<f64, 6>,
        aim: &Vector3<f64>,
        aim_vel: &Vector3<f64>,
    ) -> Vector3<f64> {
        let r = y.fixed_rows::<3>(0).into_owned();
        let v = y.fixed_rows::<3>(3).into_owned();
        let a = self.guidance.command_to_point(aim, aim_vel, &r, &v)
            + gravity_compensation(&Self::field(&r, &v), &v);
        self.guidance.limit(&a)
    }

    /// The homing command on a target at `rel_pos` moving at `rel_vel` relative to the
    /// interceptor (ECEF axes) and accelerating at `target_accel`: the guidance law, with
    /// gravity compensation, within the airframe limit.
    pub fn homing_command(
        &self,
        y: &SVector<f64, 6>,
        rel_pos: &Vector3<f64>,
        rel_vel: &Vector3<f64>,
        target_accel: &Vector3<f64>,
    ) -> Vector3<f64> {
        let r = y.fixed_rows::<3>(0).into_owned();
        let v = y.fixed_rows::<3>(3).into_owned();
        let a = self.guidance.command(rel_pos, rel_vel, &v, target_accel)
            + gravity_compensation(&Self::field(&r, &v), &v);
        self.guidance.limit(&a)
    }
}

struct InterceptorDynamics<'a> {
    ty: &'a InterceptorType,
    a_cmd: Vector3<f64>,
    /// The motor burns over the whole step.
    thrusting: bool,
}

impl Dynamics<6> for InterceptorDynamics<'_> {
    fn eom(&self, t: f64, y: &SVector<f64, 6>) -> SVector<f64, 6> {
        let earth = EarthModel::wgs84();
        let r = y.fixed_rows::<3>(0).into_owned();
        let v = y.fixed_rows::<3>(3).into_owned();
        let ty = self.ty;
        let m = ty.mass(t);
        let speed = v.norm();
        let mut a = earth.field_acceleration(&r, &v) + self.a_cmd;
        if self.thrusting && speed > 0.0 {
            a += v * (ty.thrust() / (m * speed));
        }
        let alt = crate::physics::earth::fast_altitude(&r);
        if alt < 100_000.0 {
            let air = atmosphere::air_fast(alt);
            let beta = m / (ty.drag_coefficient * ty.reference_area());
            a += drag_acceleration(
                &v,
                air.density_kg_m3,
                air.speed_of_sound_mps,
                beta,
                slender_body(),
            );
        }
        let mut d = SVector::<f64, 6>::zeros();
        d.fixed_rows_mut::<3>(0).copy_from(&v);
        d.fixed_rows_mut::<3>(3).copy_from(&a);
        d
    }
}

fn slender_body() -> &'static DragProfile {
    static PROFILE: std::sync::OnceLock<DragProfile> = std::sync::OnceLock::new();
    PROFILE.get_or_init(DragProfile::slender_body)
}

/// One elevation's row of the flyout table.
#[derive(Clone, Debug, Default, PartialEq)]
struct FlyoutRow {
    /// Slant ranges, strictly increasing, m.
    range_m: Vec<f64>,
    /// Flight time to each range, s.
    time_s: Vec<f64>,
    /// Speed at each range, m/s.
    speed_mps: Vec<f64>,
}

impl FlyoutRow {
    fn reach(&self) -> f64 {
        self.range_m.last().copied().unwrap_or(0.0)
    }

    /// (time, speed) at slant range `rho`, if reached.
    fn at(&self, rho: f64) -> Option<(f64, f64)> {
        let r = &self.range_m;
        if r.is_empty() || rho > self.reach() {
            return None;
        }
        let i = r.partition_point(|&x| x < rho);
        if i == 0 {
            return Some((
                self.time_s[0] * rho.max(0.0) / r[0].max(1e-9),
                self.speed_mps[0],
            ));
        }
        let f = (rho - r[i - 1]) / (r[i] - r[i - 1]);
        Some((
            self.time_s[i - 1] + f * (self.time_s[i] - self.time_s[i - 1]),
            self.speed_mps[i - 1] + f * (self.speed_mps[i] - self.speed_mps[i - 1]),
        ))
    }
}

/// Flight time of an interceptor against slant range and elevation of the aim point.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlyoutTable {
    step_rad: f64,
    rows: Vec<FlyoutRow>,
}

/// A flyout table entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flyout {
    /// Flight time from launch, s.
    pub time_s: f64,
    /// Speed on arrival, m/s.
    pub speed_mps: f64,
}

impl FlyoutTable {
    /// Builds the table of `ty` by flying it (its `flyout` field is not read).
    pub fn build(ty: &InterceptorType) -> Self {
        let site = Geodetic::from_degrees(30.0, 45.0, 0.0);
        let frame = site.local_frame();
        let step_rad = FLYOUT_ELEVATION_STEP_DEG.to_radians();
        let n = (90.0 / FLYOUT_ELEVATION_STEP_DEG).round() as usize;
        let r0 = *site.to_ecef().as_vector3();
        let rows = (0..=n)
            .map(|k| {
                let el = k as f64 * step_rad;
                let dir = *frame.direction(0.0, el).as_vector3();
                let aim = r0 + dir * 2_000_000.0;
                fly_row(ty, &site, &aim)
            })
            .collect();
        Self { step_rad, rows }
    }

    /// Flight time and arrival speed to a point at slant range `range_m` and elevation
    /// `elevation_rad` from the launcher, or `None` beyond the interceptor's reach.
    pub fn flyout(&self, range_m: f64, elevation_rad: f64) -> Option<Flyout> {
        if self.rows.is_empty() {
            return None;
        }
        let x = (elevation_rad.clamp(0.0, std::f64::consts::FRAC_PI_2)) / self.step_rad;
        let i = (x.floor() as usize).min(self.rows.len() - 1);
        let j = (i + 1).min(self.rows.len() - 1);
        let f = x - i as f64;
        let (t0, s0) = self.rows[i].at(range_m)?;
        let (t1, s1) = self.rows[j].at(range_m)?;
        Some(Flyout {
            time_s: t0 + f * (t1 - t0),
            speed_mps: s0 + f * (s1 - s0),
        })
    }

    /// The longest slant range reached at `elevation_rad`, m.
    pub fn reach(&self, elevation_rad: f64) -> f64 {
        if self.rows.is_empty() {
            return 0.0;
        }
        let x = (elevation_rad.clamp(0.0, std::f64::consts::FRAC_PI_2)) / self.step_rad;
        let i = (x.floor() as usize).min(self.rows.len() - 1);
        let j = (i + 1).min(self.rows.len() - 1);
        self.rows[i].reach().min(self.rows[j].reach())
    }
}

/// Flies `ty` from `site` toward the fixed point `aim` under midcourse guidance and records
/// its flight time to each slant range.
fn fly_row(ty: &InterceptorType, site: &Geodetic, aim: &Vector3<f64>) -> FlyoutRow {
    let (r0, v0) = ty.launch_state(site, aim);
    let mut y = SVector::<f64, 6>::zeros();
    y.fixed_rows_mut::<3>(0).copy_from(&r0);
    y.fixed_rows_mut::<3>(3).copy_from(&v0);
    let mut row = FlyoutRow::default();
    let dt = MIDCOURSE_STEP_S;
    // (`min` also turns a flight time that is not a number into the cap.)
    let steps = (ty.max_flight_time_s.min(MAX_FLIGHT_TIME_S) / dt).ceil() as usize;
    let earth = EarthModel::wgs84();
    for k in 0..steps {
        let t = k as f64 * dt;
        let a = ty.midcourse_command(&y, aim, &Vector3::zeros());
        y = ty.step(t, &y, &a, dt);
        let r = y.fixed_rows::<3>(0).into_owned();
        let speed = y.fixed_rows::<3>(3).norm();
        let rho = (r - r0).norm();
        let t1 = t + dt;
        if (t1 > ty.burn_time_s && speed < MIN_USEFUL_SPEED_MPS)
            || (t1 > 1.0 && earth.altitude(&r) < 0.0)
            || !rho.is_finite()
        {
            break;
        }
        if row.range_m.last().is_none_or(|&last| rho > last) {
            row.range_m.push(rho);
            row.time_s.push(t1);
            row.speed_mps.push(speed);
        }
    }
    row
}
