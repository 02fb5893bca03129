//! Raid members to first order: a member's aim error moves its impact by tens of metres, so its
//! flight is the raid's nominal flight plus the first-order change that the launch azimuth and
//! cut-off time that meet its aim point make, taken from two neighbouring flights flown once
//! per raid. The flight model is not touched; only the perturbation is linearised. Its error is
//! second order in the control change: for the aim errors this is used for (points within
//! [`FIRST_ORDER_RADIUS_M`] of the raid's aim) the path is within 0.2 m of the same controls
//! flown in full and the impact within 5 cm of the aim point, against the 0.5 m to which a
//! flown member is aimed (`tests/aiming.rs`). Farther aim errors are flown in full.

use super::{BallisticType, LaunchControls, WarmStart};
use crate::physics::earth::EarthModel;
use crate::physics::flight::{Apogee, Flight, GroundHit};
use crate::physics::trajectory::{Sample, Trajectory};
use rampart_core::geodesy::{Geodetic, wrap_pi};

/// Aim points farther than this from the raid's own are flown in full, m.
pub const FIRST_ORDER_RADIUS_M: f64 = 200.0;

/// The raid's nominal flight and its two neighbours: launch azimuth turned by `d_az_rad`, and
/// cut-off moved by `d_cutoff_s` (earlier: a full burn cannot be lengthened).
#[derive(Clone, Debug, PartialEq)]
pub struct NominalFlights {
    /// The nominal flight.
    pub nominal: Flight,
    /// The flight with the launch azimuth turned by `d_az_rad`.
    pub turned: Flight,
    /// The flight with the cut-off moved by `d_cutoff_s`.
    pub shorter: Flight,
    /// Azimuth step, rad.
    pub d_az_rad: f64,
    /// Cut-off step, s (negative).
    pub d_cutoff_s: f64,
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
        let (ka, kc) = (d_az_rad / self.d_az_rad, d_cutoff_s / self.d_cutoff_s);
        let (turned, shorter) = (&self.turned.trajectory, &self.shorter.trajectory);
        let moved = |p: &Sample| -> Option<Sample> {
            let (tu, sh) = (turned.sample_at(p.t)?, shorter.sample_at(p.t)?);
            Some(Sample {
                t: p.t,
                r: p.r + (tu.r - p.r) * ka + (sh.r - p.r) * kc,
                v: p.v + (tu.v - p.v) * ka + (sh.v - p.v) * kc,
                a: p.a + (tu.a - p.a) * ka + (sh.a - p.a) * kc,
            })
        };
        let samples = self
            .nominal
            .trajectory
            .samples()
            .iter()
            .map(moved)
            .collect::<Option<Vec<_>>>()?;
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
        let apogee = self.nominal.apogee.and_then(|a| {
            // Where the vertical speed changes sign, near the nominal apogee.
            let climb = |t: f64| {
                trajectory
                    .state_at(t)
                    .map_or(0.0, |(r, v)| earth.up(&r).dot(&v))
            };
            let (mut lo, mut hi) = (a.t_s - 5.0, a.t_s + 5.0);
            if climb(lo) <= 0.0 || climb(hi) >= 0.0 {
                return None;
            }
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if climb(mid) > 0.0 { lo = mid } else { hi = mid }
            }
            let (r, _) = trajectory.state_at(0.5 * (lo + hi))?;
            Some(Apogee {
                t_s: 0.5 * (lo + hi),
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
