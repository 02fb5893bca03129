//! Initiators: new tracks from the detections no track used, and when a tentative track is
//! confirmed.
//!
//! One trait, [`Initiator`]; implementations by algorithm family, each confirming by
//! [`MofNInitiator`] logic:
//!
//! - [`one_point`] — [`OnePointInitiator`]: a track from every unused detection, velocity zero
//!   with a wide prior.
//! - [`two_point`] — [`TwoPointInitiator`]: as one-point, then the second detection sets the
//!   velocity by difference of positions.
//! - [`velocity_gated`] — [`VelocityGatedInitiator`]: an unused detection waits one scan, and a
//!   track starts only when the next scan has a detection within reach of it.
//! - [`configured`] — [`ConfiguredInitiator`]: whichever of the three a configuration names.

pub mod configured;
pub mod mofn;
pub mod one_point;
pub mod two_point;
pub mod velocity_gated;

pub use configured::ConfiguredInitiator;
pub use mofn::*;
pub use one_point::OnePointInitiator;
pub use two_point::TwoPointInitiator;
pub use velocity_gated::VelocityGatedInitiator;

use crate::models::measurement::MeasurementModel;
use crate::tracker::Track;
use crate::types::{Gaussian, Scan, StateAt, StateLayout};
use nalgebra::{SMatrix, SVector};

/// Starts tentative tracks and decides when they are confirmed.
pub trait Initiator<const N: usize, const M: usize> {
    /// Hands to `births` the tracks to start from `scan`, whose detection `j` no track used
    /// when `used[j]` is false. `start` gives the measurement model and the prior of a new
    /// state; `pair_ok(i, j)` is the sensor's own check that detection `i` of the previous scan
    /// and detection `j` of this one may be one target (for initiators that pair them).
    fn initiate<Mm: MeasurementModel<N, M>>(
        &mut self,
        scan: &Scan<'_, M>,
        used: &[bool],
        start: &TrackStart<'_, N, Mm>,
        pair_ok: &dyn Fn(usize, usize) -> bool,
        births: &mut impl Births<N>,
    );

    /// What becomes of a tentative track with `hits` updates over `scans` scans since birth.
    fn confirm(&self, hits: u32, scans: u32) -> Tentative;

    /// The estimate `track` takes from detection `z` instead of its filter's update, when this
    /// initiator sets it (a two-point start sets the velocity on the second detection). `None`
    /// (the default): the filter updates it.
    fn restart<S, Mm: MeasurementModel<N, M>>(
        &self,
        _track: &Track<N, S>,
        _z: &SVector<f64, M>,
        _start: &TrackStart<'_, N, Mm>,
    ) -> Option<StateAt<N>> {
        None
    }

    /// Makes every detection of `scan` wait for a partner, forgetting those that waited
    /// before, for an initiator that keeps detections between scans (by default it keeps
    /// none). A caller that held back from the tracker a scan which could start and update
    /// nothing (no live track, and no detection within reach of a waiting one) hands it over
    /// this way before the next step, and the tracker then stands exactly as if it had taken
    /// that scan.
    fn wait_with<Mm: MeasurementModel<N, M>>(&mut self, _scan: &Scan<'_, M>, _model: &Mm) {}
}

/// Where an initiator's new tracks go: the tracker makes each a track as it comes (ids in the
/// order of birth); a `Vec` collects them.
pub trait Births<const N: usize> {
    /// Starts the track `birth`.
    fn start(&mut self, birth: Birth<N>);
}

impl<const N: usize> Births<N> for Vec<Birth<N>> {
    fn start(&mut self, birth: Birth<N>) {
        self.push(birth);
    }
}

/// A track to start: its first estimate, the detections it counts as hits, and where and when
/// its first detection was.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Birth<const N: usize> {
    /// The first estimate, at the scan time.
    pub state: Gaussian<N>,
    /// Detections it starts with (1, or 2 for a pair).
    pub hits: u32,
    /// Time (s) and position (m) of its first detection.
    pub origin: (f64, [f64; 3]),
}

/// What an initiator needs to start a track: the measurement model (to convert a detection
/// to a position and its covariance), where position and velocity sit in the state, and the
/// prior of the other state components.
#[derive(Debug)]
pub struct TrackStart<'a, const N: usize, Mm> {
    /// The measurement model.
    pub model: &'a Mm,
    /// Where position and velocity are.
    pub layout: StateLayout,
    /// Mean and covariance of the state components a detection does not fix (accelerations,
    /// turn rate, …); its position and velocity parts are replaced.
    pub prior: &'a Gaussian<N>,
}

impl<const N: usize, Mm> TrackStart<'_, N, Mm> {
    /// A track born of two detections: the earlier at `t0` (position `p0`, covariance `r0`),
    /// the later at `t` (`p`, `r`); velocity by difference, cov(p, v) = cov(p, (p − p0)/dt) =
    /// R/dt.
    pub fn pair_birth(
        &self,
        (t0, p0, r0): (f64, SVector<f64, 3>, SMatrix<f64, 3, 3>),
        (t, p, r): (f64, SVector<f64, 3>, SMatrix<f64, 3, 3>),
    ) -> Birth<N> {
        let dt = t - t0;
        Birth {
            state: self.state(&p, &((p - p0) / dt), &r, &((r + r0) / (dt * dt)), &(r / dt)),
            hits: 2,
            origin: (t0, [p0.x, p0.y, p0.z]),
        }
    }

    /// The prior with its position and velocity replaced: mean `p`, `v`; covariances `pp`
    /// (position), `vv` (velocity) and `pv` (position–velocity), every other cross term of
    /// position and velocity zero.
    pub fn state(
        &self,
        p: &SVector<f64, 3>,
        v: &SVector<f64, 3>,
        pp: &SMatrix<f64, 3, 3>,
        vv: &SMatrix<f64, 3, 3>,
        pv: &SMatrix<f64, 3, 3>,
    ) -> Gaussian<N> {
        let mut s = *self.prior;
        let lay = self.layout;
        for a in 0..3 {
            s.mean[lay.position[a]] = p[a];
            s.mean[lay.velocity[a]] = v[a];
            for b in 0..N {
                for &i in &[lay.position[a], lay.velocity[a]] {
                    s.cov[(i, b)] = 0.0;
                    s.cov[(b, i)] = 0.0;
                }
            }
        }
        for a in 0..3 {
            for b in 0..3 {
                let (pa, pb) = (lay.position[a], lay.position[b]);
                let (va, vb) = (lay.velocity[a], lay.velocity[b]);
                s.cov[(pa, pb)] = pp[(a, b)];
                s.cov[(va, vb)] = vv[(a, b)];
                s.cov[(pa, vb)] = pv[(a, b)];
                s.cov[(vb, pa)] = pv[(a, b)];
            }
        }
        s
    }
}

/// How a new track's velocity is first estimated, as a configuration names it (see
/// [`ConfiguredInitiator`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Initiation {
    /// From one detection: zero velocity with standard deviation `velocity_sigma` (m/s) per
    /// axis ([`OnePointInitiator`]).
    OnePoint {
        /// Velocity standard deviation per axis, m/s.
        velocity_sigma: f64,
    },
    /// As one-point, then the second detection sets the velocity by difference of positions
    /// ([`TwoPointInitiator`]).
    TwoPoint {
        /// Velocity standard deviation per axis before the second detection, m/s.
        velocity_sigma: f64,
    },
    /// A detection no track used waits one scan as a candidate; a track starts only when a
    /// detection of the next scan lies within reach of it ([`VelocityGatedInitiator`]).
    VelocityGated {
        /// The fastest target to be tracked, m/s.
        max_speed: f64,
    },
}
