//! Two-point initiation: one-point starts whose second detection sets the velocity by the
//! difference of the two positions, with the covariance of two position errors over the
//! interval (Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, 1999, §6.2).

use super::one_point::one_point_births;
use super::{Births, Initiator, MofNInitiator, Tentative, TrackStart};
use crate::models::measurement::MeasurementModel;
use crate::tracker::Track;
use crate::types::{Scan, StateAt};
use nalgebra::SVector;

/// As [`super::OnePointInitiator`]; then a track's second detection, rather than its filter,
/// sets its state: position from the detection, velocity by difference from the first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TwoPointInitiator {
    /// Velocity standard deviation per axis before the second detection, m/s.
    pub velocity_sigma: f64,
    /// When a tentative track is confirmed.
    pub confirmation: MofNInitiator,
}

impl<const N: usize, const M: usize> Initiator<N, M> for TwoPointInitiator {
    fn initiate<Mm: MeasurementModel<N, M>>(
        &mut self,
        scan: &Scan<'_, M>,
        used: &[bool],
        start: &TrackStart<'_, N, Mm>,
        _pair_ok: &dyn Fn(usize, usize) -> bool,
        births: &mut impl Births<N>,
    ) {
        one_point_births(self.velocity_sigma, scan, used, start, births);
    }

    fn confirm(&self, hits: u32, scans: u32) -> Tentative {
        self.confirmation.decide(hits, scans)
    }

    fn restart<S, Mm: MeasurementModel<N, M>>(
        &self,
        track: &Track<N, S>,
        z: &SVector<f64, M>,
        start: &TrackStart<'_, N, Mm>,
    ) -> Option<StateAt<N>> {
        second_point(track, z, start)
    }
}

/// The state of a one-point track at its second detection `z`: position from `z`, velocity
/// by difference from its first detection, covariances from the measurement's (the first
/// detection's taken equal to the second's). `None` for any other update, or when the two
/// detections share a time.
pub(super) fn second_point<const N: usize, const M: usize, S, Mm: MeasurementModel<N, M>>(
    track: &Track<N, S>,
    z: &SVector<f64, M>,
    start: &TrackStart<'_, N, Mm>,
) -> Option<StateAt<N>> {
    if track.hits != 1 {
        return None;
    }
    let (p, r) = start.model.inverse(z)?;
    let mut s = track.state.state;
    let (t0, p0) = track.birth;
    let dt = track.state.t - t0;
    if dt <= 0.0 || dt.is_nan() {
        return None;
    }
    let lay = start.layout;
    for k in 0..3 {
        let (pi, vi) = (lay.position[k], lay.velocity[k]);
        s.mean[vi] = (p[k] - p0[k]) / dt;
        s.mean[pi] = p[k];
    }
    for a in 0..3 {
        for b in 0..3 {
            let (pa, pb) = (lay.position[a], lay.position[b]);
            let (va, vb) = (lay.velocity[a], lay.velocity[b]);
            s.cov[(pa, pb)] = r[(a, b)];
            // Two position errors of covariance R over dt.
            s.cov[(va, vb)] = 2.0 * r[(a, b)] / (dt * dt);
            s.cov[(pa, vb)] = r[(a, b)] / dt;
            s.cov[(va, pb)] = r[(a, b)] / dt;
        }
    }
    Some(StateAt {
        t: track.state.t,
        state: s.symmetrised(),
    })
}
