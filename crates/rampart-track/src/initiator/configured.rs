//! The initiator a configuration names, chosen at run time: `method = "one-point"`,
//! `"two-point"` or `"velocity-gated"` (see [`crate::config`]). A tracker built for one
//! initiator takes that type directly; this one exists for trackers whose initiator is read
//! from a file.
//!
//! A new initiator that a configuration file should be able to name gets a variant here and
//! in [`Initiation`]; one used only from code needs neither.

use super::{
    Births, Initiation, Initiator, MofNInitiator, OnePointInitiator, Tentative, TrackStart,
    TwoPointInitiator, VelocityGatedInitiator,
};
use crate::models::measurement::MeasurementModel;
use crate::tracker::Track;
use crate::types::{Scan, StateAt};
use nalgebra::SVector;

/// One-point, two-point or velocity-gated, as configured.
#[derive(Debug)]
pub enum ConfiguredInitiator<const M: usize> {
    /// One-point starts.
    OnePoint(OnePointInitiator),
    /// Two-point starts.
    TwoPoint(TwoPointInitiator),
    /// Velocity-gated pairs.
    VelocityGated(VelocityGatedInitiator<M>),
}

impl<const M: usize> ConfiguredInitiator<M> {
    /// The initiator `initiation` names, confirming by `confirmation`.
    pub fn new(initiation: Initiation, confirmation: MofNInitiator) -> Self {
        match initiation {
            Initiation::OnePoint { velocity_sigma } => Self::OnePoint(OnePointInitiator {
                velocity_sigma,
                confirmation,
            }),
            Initiation::TwoPoint { velocity_sigma } => Self::TwoPoint(TwoPointInitiator {
                velocity_sigma,
                confirmation,
            }),
            Initiation::VelocityGated { max_speed } => {
                Self::VelocityGated(VelocityGatedInitiator::new(max_speed, confirmation))
            }
        }
    }
}

impl<const N: usize, const M: usize> Initiator<N, M> for ConfiguredInitiator<M> {
    fn initiate<Mm: MeasurementModel<N, M>>(
        &mut self,
        scan: &Scan<'_, M>,
        used: &[bool],
        start: &TrackStart<'_, N, Mm>,
        pair_ok: &dyn Fn(usize, usize) -> bool,
        births: &mut impl Births<N>,
    ) {
        match self {
            Self::OnePoint(i) => i.initiate(scan, used, start, pair_ok, births),
            Self::TwoPoint(i) => i.initiate(scan, used, start, pair_ok, births),
            Self::VelocityGated(i) => i.initiate(scan, used, start, pair_ok, births),
        }
    }

    fn confirm(&self, hits: u32, scans: u32) -> Tentative {
        match self {
            Self::OnePoint(i) => Initiator::<N, M>::confirm(i, hits, scans),
            Self::TwoPoint(i) => Initiator::<N, M>::confirm(i, hits, scans),
            Self::VelocityGated(i) => Initiator::<N, M>::confirm(i, hits, scans),
        }
    }

    fn restart<S, Mm: MeasurementModel<N, M>>(
        &self,
        track: &Track<N, S>,
        z: &SVector<f64, M>,
        start: &TrackStart<'_, N, Mm>,
    ) -> Option<StateAt<N>> {
        match self {
            Self::TwoPoint(i) => i.restart(track, z, start),
            Self::OnePoint(_) | Self::VelocityGated(_) => None,
        }
    }

    fn wait_with<Mm: MeasurementModel<N, M>>(&mut self, scan: &Scan<'_, M>, model: &Mm) {
        match self {
            Self::VelocityGated(i) => Initiator::<N, M>::wait_with(i, scan, model),
            Self::OnePoint(_) | Self::TwoPoint(_) => {}
        }
    }
}
