//! One-point initiation: a tentative track from every detection no track used, at the
//! detection's position with zero velocity and a wide velocity prior (Blackman & Popoli,
//! *Design and Analysis of Modern Tracking Systems*, 1999, §6.2).

use super::{Birth, Births, Initiator, MofNInitiator, Tentative, TrackStart};
use crate::models::measurement::MeasurementModel;
use crate::types::Scan;
use nalgebra::{SMatrix, SVector};

/// A track from each unused detection: position and its covariance from the measurement,
/// velocity zero with standard deviation `velocity_sigma` per axis; confirmed by
/// `confirmation`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OnePointInitiator {
    /// Velocity standard deviation per axis of a new track, m/s.
    pub velocity_sigma: f64,
    /// When a tentative track is confirmed.
    pub confirmation: MofNInitiator,
}

impl<const N: usize, const M: usize> Initiator<N, M> for OnePointInitiator {
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
}

/// One-point births of `scan`'s unused detections, with velocity standard deviation
/// `velocity_sigma` (m/s) per axis.
pub(super) fn one_point_births<const N: usize, const M: usize, Mm: MeasurementModel<N, M>>(
    velocity_sigma: f64,
    scan: &Scan<'_, M>,
    used: &[bool],
    start: &TrackStart<'_, N, Mm>,
    births: &mut impl Births<N>,
) {
    let t = scan.t;
    for (j, z) in scan.detections.iter().enumerate() {
        if used[j] {
            continue;
        }
        let Some((p, r)) = start.model.inverse(z) else {
            continue;
        };
        let zero = SVector::<f64, 3>::zeros();
        let vv = SMatrix::<f64, 3, 3>::identity() * (velocity_sigma * velocity_sigma);
        births.start(Birth {
            state: start.state(&p, &zero, &r, &vv, &SMatrix::zeros()),
            hits: 1,
            origin: (t, [p.x, p.y, p.z]),
        });
    }
}
