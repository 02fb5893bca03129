//! The flight itself: climb, cruise and turns through the waypoints step by step, with the top
//! of the climb, the waypoint switches and the start of the dive located inside their steps,
//! then the straight-line dive onto the aim point.

use super::router::{Kin, Local, Rates, Router, Steer};
use super::{
    HEADING_TAU_S, MAX_DIVE_STEPS, MAX_ROUTE_STEPS, POLE_LIMIT_RAD, RouteError, RouteFlight,
    SPARSE_S, STEP_S, STRAIGHT_RAD, TURNING_MPS2,
};
use crate::physics::flight::{Apogee, Flight, GroundHit};
use crate::physics::trajectory::{Sample, Trajectory};
use nalgebra::Vector3;
use rampart_core::Geodetic;
use rampart_core::frames::Coordinate;
use rampart_core::geodesy::wrap_pi;

impl Router<'_> {
    pub(super) fn fly(
        &self,
        launch: &Geodetic,
        max_time_s: f64,
    ) -> Result<RouteFlight, RouteError> {
        let v = self.ty.speed_mps;
        let cruise = self.ty.cruise_alt_m;
        let climb_gamma = |alt: f64| {
            if alt < cruise {
                self.ty.climb_angle_rad
            } else if alt > cruise {
                -self.ty.climb_angle_rad
            } else {
                0.0
            }
        };
        let mut k = Kin {
            lat: launch.lat_rad,
            lon: launch.lon_rad,
            alt: launch.alt_m,
            heading: 0.0,
        };
        k.heading = self.sight(&Local::at(&k), 0).bearing;
        let mut gamma = climb_gamma(k.alt);
        let mut t = 0.0;
        let mut target = 0;
        let mut armed = false;
        let mut force_sample = false;
        let mut apogee = Apogee {
            t_s: 0.0,
            alt_m: k.alt,
        };
        let mut samples: Vec<Sample> = Vec::with_capacity(256);
        let mut here = self.eval(&k, gamma, target, Steer::Track, true);
        let stalled = |steps: u64, t: f64| RouteError::Stalled { steps, after_s: t };

        let mut steps: u64 = 0;
        loop {
            steps += 1;
            if steps > MAX_ROUTE_STEPS {
                return Err(stalled(steps - 1, t));
            }
            if k.lat.is_nan() || k.lat.abs() > POLE_LIMIT_RAD {
                return Err(RouteError::NearPole {
                    lat_deg: k.lat.to_degrees(),
                });
            }
            if t > max_time_s {
                return Err(RouteError::NoArrival { after_s: t });
            }
            if k.alt > apogee.alt_m {
                apogee = Apogee {
                    t_s: t,
                    alt_m: k.alt,
                };
            }
            if !armed && here.sight.along_m > 0.0 {
                armed = true;
            }
            let to_go = self.to_go(&k, &here.sight, target, armed);
            let event = to_go <= 0.0;
            let last_t = samples.last().map_or(f64::NEG_INFINITY, |s| s.t);
            let turning = v * here.rates.turn.abs() > TURNING_MPS2;
            if event || force_sample || gamma != 0.0 || turning || t - last_t >= SPARSE_S - 1e-9 {
                push(&mut samples, self.sample(t, &here, gamma));
                force_sample = false;
            }
            if event {
                if self.is_aim(target) {
                    break;
                }
                target += 1;
                armed = false;
                here = self.eval(&k, gamma, target, Steer::Track, true);
                force_sample = true;
                continue;
            }

            // The step: short while climbing, turning or near an event; long on straight legs.
            let last_t = samples.last().map_or(t, |s| s.t);
            let err = wrap_pi(here.sight.bearing - k.heading);
            let long_h = last_t + SPARSE_S - t;
            let (mut h, steer) = if gamma == 0.0
                && err.abs() < STRAIGHT_RAD
                && long_h > self.step_s
                && to_go > v * (long_h + 2.0 * STEP_S)
            {
                let hold = err * (1.0 - (-long_h / HEADING_TAU_S).exp()) / long_h;
                (long_h, Steer::Hold(hold))
            } else {
                (self.step_s, Steer::Track)
            };
            let mut tops_out = false;
            if gamma != 0.0 {
                let to_top = ((cruise - k.alt) / (v * gamma.sin())).max(0.0);
                if to_top <= h {
                    h = to_top;
                    tops_out = true;
                }
            }
            let k1 = match steer {
                Steer::Hold(w) => Rates {
                    heading: here.rates.heading - here.rates.turn + w,
                    turn: w,
                    ..here.rates
                },
                Steer::Track => here.rates,
            };
            let end_at = |tau: f64| {
                let kk = self.advance(&k, &k1, gamma, target, steer, tau);
                let e = self.eval(&kk, gamma, target, Steer::Track, true);
                let f = self.to_go(&kk, &e.sight, target, armed);
                (kk, e, f)
            };
            let (end, end_eval, end_to_go) = end_at(h);
            if end_to_go <= 0.0 {
                // The switch or dive falls inside the step: land on it.
                let tau = regula_falsi(0.0, to_go, h, end_to_go, 1e-7, |tau| end_at(tau).2);
                let (kk, e, _) = end_at(tau);
                k = kk;
                here = e;
                t += tau;
                continue;
            }
            let (t_before, alt_before) = (t, k.alt);
            k = end;
            t += h;
            // A step that moves neither the time nor, while climbing, the height (a height or a
            // time so large that the step is lost to rounding) would be taken for ever.
            if !tops_out && (t <= t_before || (gamma != 0.0 && k.alt == alt_before)) {
                return Err(stalled(steps, t));
            }
            if tops_out {
                // The top of the climb: the last climbing state, then level flight.
                k.alt = cruise;
                let top = self.eval(&k, gamma, target, Steer::Track, true);
                push(&mut samples, self.sample(t, &top, gamma));
                gamma = 0.0;
                here = self.eval(&k, gamma, target, Steer::Track, true);
                force_sample = true;
            } else {
                here = end_eval;
            }
        }

        // The dive: a straight line at speed V onto the aim point.
        let dive_start_s = t;
        let start = here.local.r;
        let chord = self.aim_ecef - start;
        let length_m = chord.norm();
        let before = self.sample(t, &here, gamma);
        let velocity = if length_m > 1e-6 {
            chord * (v / length_m)
        } else {
            before.v
        };
        let dir = velocity / v;
        let at = |s: f64| start + dir * s;
        let above =
            |s: f64| Geodetic::from_ecef(&Coordinate::from_vector3(at(s))).alt_m - self.aim.alt_m;
        let line = |s: f64| Sample {
            t: dive_start_s + s / v,
            r: at(s),
            v: velocity,
            a: Vector3::zeros(),
        };
        push(&mut samples, line(0.0));
        // At most MAX_DIVE_STEPS steps to the end of the line (and past it by two).
        let ds = (v * self.step_s).max(length_m / MAX_DIVE_STEPS as f64);
        let (mut s0, mut f0) = (0.0, above(0.0));
        let hit_s = if length_m <= 1e-6 || f0 <= 0.0 {
            length_m
        } else {
            let mut hit = None;
            for _ in 0..MAX_DIVE_STEPS + 4 {
                let s1 = s0 + ds;
                let f1 = above(s1);
                if f1 <= 0.0 {
                    hit = Some(regula_falsi(s0, f0, s1, f1, 1e-6, above));
                    break;
                }
                if s1 > length_m + 2.0 * ds {
                    hit = Some(length_m);
                    break;
                }
                push(&mut samples, line(s1));
                (s0, f0) = (s1, f1);
            }
            // Only a line that is not a number gets here.
            hit.ok_or_else(|| stalled(steps, dive_start_s))?
        };
        let impact = line(hit_s);
        push(&mut samples, impact);
        Ok(RouteFlight {
            flight: Flight {
                trajectory: Trajectory::new(samples),
                apogee: Some(apogee),
                ground: Some(GroundHit {
                    t_s: impact.t,
                    position: impact.r,
                    velocity: impact.v,
                }),
                max_speed_mps: v,
            },
            dive_start_s,
        })
    }
}

/// Appends `s` unless it repeats the last sample exactly.
fn push(samples: &mut Vec<Sample>, s: Sample) {
    if samples.last() != Some(&s) {
        samples.push(s);
    }
}

/// The root of `f` in `[a, b]` with `fa > 0 ≥ fb`, by the Illinois variant of regula falsi,
/// to `tol` in the argument; returns a point where `f ≤ 0` (at or just after the crossing).
fn regula_falsi(
    mut a: f64,
    mut fa: f64,
    mut b: f64,
    mut fb: f64,
    tol: f64,
    f: impl Fn(f64) -> f64,
) -> f64 {
    let mut side = 0;
    for _ in 0..100 {
        if b - a <= tol {
            break;
        }
        let mut c = (a * fb - b * fa) / (fb - fa);
        if c.is_nan() || c <= a || c >= b {
            c = 0.5 * (a + b);
        }
        let fc = f(c);
        if fc > 0.0 {
            (a, fa) = (c, fc);
            if side == 1 {
                fb *= 0.5;
            }
            side = 1;
        } else {
            (b, fb) = (c, fc);
            if side == -1 {
                fa *= 0.5;
            }
            side = -1;
            if fc > -1e-9 {
                break;
            }
        }
    }
    b
}
