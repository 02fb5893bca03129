//! The associator a configuration names, chosen at run time: `method = "gnn"` or `"jpda"`
//! (see [`crate::config`]). A tracker built for one associator takes that type directly; this
//! one exists for trackers whose associator is read from a file.
//!
//! A new associator that a configuration file should be able to name gets a variant here and
//! in [`Association`] (the one registration line each); one used only from code needs neither.

use super::{Association, Associator, GnnAssociator, JpdaAssociator, TrackUpdates};
use crate::types::Hypothesis;

/// GNN or JPDA, as configured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConfiguredAssociator {
    /// Global nearest neighbour.
    Gnn(GnnAssociator),
    /// Joint probabilistic data association.
    Jpda(JpdaAssociator),
}

impl ConfiguredAssociator {
    /// The associator `association` names, with detection probability `pd`, gate probability
    /// `gate_probability` and clutter density `clutter_density` (false detections per unit
    /// measurement volume per scan).
    pub fn new(
        association: Association,
        pd: f64,
        gate_probability: f64,
        clutter_density: f64,
    ) -> Self {
        match association {
            Association::Gnn => Self::Gnn(GnnAssociator {
                pd,
                gate_probability,
                clutter_density,
            }),
            Association::Jpda => Self::Jpda(JpdaAssociator {
                pd,
                gate_probability,
                clutter_density,
            }),
        }
    }
}

impl<const N: usize, const M: usize> Associator<N, M> for ConfiguredAssociator {
    fn associate<U: TrackUpdates<N, M>>(
        &mut self,
        hypotheses: &[Hypothesis],
        tracks: &mut U,
        used: &mut [bool],
    ) {
        match self {
            Self::Gnn(a) => Associator::<N, M>::associate(a, hypotheses, tracks, used),
            Self::Jpda(a) => Associator::<N, M>::associate(a, hypotheses, tracks, used),
        }
    }
}
