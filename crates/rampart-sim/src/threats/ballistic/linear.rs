//! Raid members to first order: a member's aim error moves its impact by tens of metres, so its
//! flight is the raid's nominal flight plus the first-order change that the launch azimuth and
//! cut-off time that meet its aim point make, taken from two neighbouring flights flown once
//! per raid. The flight model is not touched; only the perturbation is linearised. Its error is
//! second order in the control change: for the aim errors this is used for (points within
//! [`FIRST_ORDER_RADIUS_M`] of the raid's aim) the velocity is within 1.3 cm/s and the path
//! within 0.32 m of the same controls flown in full, and the impact within 5 cm of the aim
//! point, against the 0.5 m to which a flown member is aimed (`tests/aiming.rs`). Farther aim
//! errors, and any member that would miss by more than that, are flown in full.

use super::{BallisticType, LaunchControls, WarmStart};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Apogee, Flight, GroundHit};
use crate::physics::trajectory::{Sample, Trajectory};
use nalgebra::Vector3;
use rampart_core::geodesy::{Geodetic, wrap_pi};

/// Aim points farther than this from the raid's own are flown in full, m.
pub const FIRST_ORDER_RADIUS_M: f64 = 200.0;

/// The raid's nominal flight and, at each of its samples, the derivatives of the state with
/// respect to the launch azimuth and the cut-off time, by forward differences with two
/// neighbouring flights.
#[derive(Clone, Debug, PartialEq)]
pub struct NominalFlights {
    /// The nominal flight.
    pub nominal: Flight,
    /// ∂(r, v, a)/∂(launch azimuth) at each nominal sample (per radian).
    per_azimuth: Vec<Sample>,
    /// ∂(r, v, a)/∂(cut-off time) at each nominal sample (per second).
    per_cutoff: Vec<Sample>,
}

impl NominalFlights {
    /// The derivatives from `turned` (launch azimuth changed by `d_az_rad`) and `moved`
    /// (cut-off changed by `d_cutoff_s`), read at the nominal's sample times; `cutoff_s` is the
    /// nominal's cut-off.
    ///
    /// The boost's samples, up to and including its last one at the cut-off instant (the
    /// trajectory holds two samples there, one with the thrust and one without), are not
    /// changed by the cut-off time, so their cut-off derivatives are zero; and at every jump of
    /// the forces the neighbours are read on the sample's own side, so no jump enters a
    /// derivative.
    pub fn new(
        nominal: Flight,
        cutoff_s: f64,
        (turned, d_az_rad): (&Flight, f64),
        (moved, d_cutoff_s): (&Flight, f64),
    ) -> Option<Self> {
        let samples = nominal.trajectory.samples();
        // The boost's last sample (at the cut-off, with the thrust).
        let boost_end = samples.iter().position(|p| p.t >= cutoff_s)?;
        // A sample followed by one at the same instant is the last before a jump of the forces
        // (the end of the vertical rise, the cut-off): its neighbours are read just before the
        // jump too.
        let at = |other: &Flight, i: usize, p: &Sample| {
            let before_jump = samples.get(i + 1).is_some_and(|q| q.t == p.t);
            let t = if before_jump { p.t - 1e-9 } else { p.t };
            other.trajectory.sample_at(t)
        };
        let derivative = |other: &Flight, step: f64, boost_too: bool| -> Option<Vec<Sample>> {
            samples
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    if i <= boost_end && !boost_too {
                        return Some(Sample {
                            t: p.t,
                            r: Vector3::zeros(),
                            v: Vector3::zeros(),
                            a: Vector3::zeros(),
                        });
                    }
                    let q = at(other, i, p)?;
                    Some(Sample {
                        t: p.t,
                        r: (q.r - p.r) / step,
                        v: (q.v - p.v) / step,
                        a: (q.a - p.a) / step,
                    })
                })
                .collect()
        };
        Some(Self {
            per_azimuth: derivative(turned, d_az_rad, true)?,
            per_cutoff: derivative(moved, d_cutoff_s, false)?,
            nominal,
        })
    }
}

/// The control change that moves the nominal impact onto `aim`: the Newton step through the
/// warm start's Jacobian, if it has one.
pub fn newton_step(site: &Geodetic, aim: &Geodetic, warm: &WarmStart) -> Option<(f64, f64)> {
    let [[a, b], [c, d]] = warm.sensitivity?;
    let (seen_az, seen_range) = warm.impact_seen?;
    let det = a * d - b * c;
    if det == 0.0 || !det.is_finite() {
        return None;
    }
    let line = site.geodesic_to(aim);
    let (d_az, d_r) = (
        wrap_pi(line.azimuth1_rad - seen_az),
        line.distance_m - seen_range,
    );
    Some(((d * d_az - b * d_r) / det, (a * d_r - c * d_az) / det))
}

impl NominalFlights {
    /// The flight of a member whose controls differ from the nominal by `d_az_rad` and
    /// `d_cutoff_s`, landing at `ground_alt_m`, to first order; `None` if it leaves the burn
    /// (cut-off past the burn time or before the shortest) or never meets the ground.
    pub fn member(
        &self,
        earth: &EarthModel,
        ty: &BallisticType,
        nominal: &LaunchControls,
        ground_alt_m: f64,
        (d_az_rad, d_cutoff_s): (f64, f64),
    ) -> Option<(Flight, LaunchControls)> {
        let cutoff = nominal.cutoff_s + d_cutoff_s;
        if !(ty.shortest_cutoff_s()..=ty.burn_time_s).contains(&cutoff) {
            return None;
        }
        let samples: Vec<Sample> = self
            .nominal
            .trajectory
            .samples()
            .iter()
            .zip(self.per_azimuth.iter().zip(&self.per_cutoff))
            .map(|(p, (da, dc))| Sample {
                t: p.t,
                r: p.r + da.r * d_az_rad + dc.r * d_cutoff_s,
                v: p.v + da.v * d_az_rad + dc.v * d_cutoff_s,
                a: p.a + da.a * d_az_rad + dc.a * d_cutoff_s,
            })
            .collect();
        let height = |p: &Sample| earth.altitude(&p.r) - ground_alt_m;
        // The ground crossing: the nominal's last sample is on the ground; the member's is
        // centimetres above or below it. Newton on the height along the member's interpolant
        // (at constant acceleration past its last sample).
        let whole = Trajectory::new(samples);
        let mut t = whole.end();
        for _ in 0..8 {
            let p = whole.sample_at(t)?;
            let climb = earth.up(&p.r).dot(&p.v);
            if climb >= 0.0 {
                return None;
            }
            let dt = -height(&p) / climb;
            t += dt;
            if dt.abs() < 1e-9 {
                break;
            }
        }
        let hit = whole.sample_at(t)?;
        let mut samples: Vec<Sample> = whole
            .samples()
            .iter()
            .copied()
            .filter(|p| p.t < t)
            .collect();
        samples.push(hit);
        let trajectory = Trajectory::new(samples);
        // The apogee: where the vertical speed is zero, a Newton step from the nominal's (the
        // vertical speed there is the member's small change; its rate, the vertical
        // acceleration).
        let apogee = self.nominal.apogee.and_then(|a| {
            let mut t = a.t_s;
            for _ in 0..3 {
                let p = trajectory.sample_at(t)?;
                let up = earth.up(&p.r);
                let rate = up.dot(&p.a);
                if rate >= 0.0 {
                    return None;
                }
                t -= up.dot(&p.v) / rate;
            }
            let (r, _) = trajectory.state_at(t)?;
            Some(Apogee {
                t_s: t,
                alt_m: earth.altitude(&r),
            })
        });
        let max_speed_mps = trajectory
            .samples()
            .iter()
            .map(|p| p.v.norm())
            .fold(0.0, f64::max);
        let flight = Flight {
            trajectory,
            apogee,
            ground: Some(GroundHit {
                t_s: hit.t,
                position: hit.r,
                velocity: hit.v,
            }),
            max_speed_mps,
        };
        let controls = LaunchControls {
            azimuth_rad: nominal.azimuth_rad + d_az_rad,
            cutoff_s: cutoff,
            ..*nominal
        };
        Some((flight, controls))
    }
}
