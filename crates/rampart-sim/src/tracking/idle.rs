//! Scans that can change nothing in a radar's tracker but which detections wait for a partner,
//! told apart cheaply so that they can be held back ([`super::RadarTracker::hold_idle_scans`]).
//!
//! Between waves a radar sees false alarms alone, tens per scan scattered over its whole search
//! volume. With no live track and velocity-gated initiation, the tracker's step would only
//! pair them with the previous scan's waiting detections, and they almost never pair. Whether
//! any pair can is told here as the initiator tells it, at less cost: each scan's detections
//! are screened once (their range and the measurement model's bounds) and sorted by range,
//! kept for the next scan; a pair further apart in range than the widest reach is never
//! looked at, one the model's screen puts surely beyond its own reach is ruled out, and any
//! other goes to the initiator's full test and the sensor's Doppler check. The screens only
//! ever err towards a step, never away from one, so holding changes no result.

use super::{doppler_agrees, measurement};
use crate::sensors::radar::Detection;
use rampart_track::initiator::VelocityGatedInitiator;
use rampart_track::models::measurement::{MeasurementModel, RadarPolar};

/// One scan's detections as the screen sees them, in order of distance from the sensor.
#[derive(Clone, Debug, Default)]
pub(super) struct Screened {
    /// (distance from the sensor, bound on the trace of the position's covariance, the
    /// detection's index in its scan), sorted by distance.
    by_range: Vec<(f64, f64, usize)>,
    /// The largest trace bound and rounding allowance among them.
    trace: f64,
    slack: f64,
}

impl Screened {
    /// Screens `detections` (replacing what it held); false if the model cannot screen one.
    pub(super) fn screen(&mut self, model: &RadarPolar<7>, detections: &[Detection]) -> bool {
        self.by_range.clear();
        (self.trace, self.slack) = (0.0, 0.0);
        for (index, d) in detections.iter().enumerate() {
            let Some(s) = MeasurementModel::<7, 3>::screen(model, &measurement(d)) else {
                self.by_range.clear();
                return false;
            };
            self.by_range.push((s.key, s.trace, index));
            self.trace = self.trace.max(s.trace);
            self.slack = self.slack.max(s.slack);
        }
        self.by_range.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        true
    }

    /// How many detections it holds.
    pub(super) fn len(&self) -> usize {
        self.by_range.len()
    }

    /// Forgets them.
    pub(super) fn clear(&mut self) {
        self.by_range.clear();
    }
}

/// Whether a detection of `fresh` (at `t_s`, screened as `fresh_screen`) may pair with one of
/// `previous` (at `t_prev`, screened as `previous_screen`) through `initiator`'s gate and the
/// Doppler check. False only if no pair can.
pub(super) fn any_pair(
    initiator: &VelocityGatedInitiator<3>,
    model: &RadarPolar<7>,
    (t_prev, previous, previous_screen): (f64, &[Detection], &Screened),
    (t_s, fresh, fresh_screen): (f64, &[Detection], &Screened),
) -> bool {
    let dt = t_s - t_prev;
    let (old, new) = (&previous_screen.by_range, &fresh_screen.by_range);
    // Two positions are at least their difference in distance from the sensor apart: no pair
    // further apart in it than the widest reach (and both rounding allowances) can pair.
    let margin = initiator.reach(dt, previous_screen.trace, fresh_screen.trace)
        + previous_screen.slack
        + fresh_screen.slack;
    let mut first = 0;
    for &(key, trace, j) in new {
        while first < old.len() && old[first].0 < key - margin {
            first += 1;
        }
        let z_new = measurement(&fresh[j]);
        for &(old_key, old_trace, i) in &old[first..] {
            if old_key > key + margin {
                break;
            }
            let z_old = measurement(&previous[i]);
            // The initiator's own screen, with its bounds: a sound test, so it never rules
            // out a pair the full one accepts.
            if model.surely_apart(&z_new, &z_old, initiator.reach(dt, trace, old_trace)) {
                continue;
            }
            if initiator.within_reach::<7, _>(model, (t_prev, &z_old), (t_s, &z_new))
                && doppler_agrees(&previous[i], &fresh[j], dt)
            {
                return true;
            }
        }
    }
    false
}
