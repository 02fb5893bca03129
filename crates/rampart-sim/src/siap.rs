//! Scoring only: single integrated air picture (SIAP) measures of a picture — one radar's
//! confirmed tracks, or the fusion node's system tracks — against the truth.
//!
//! The definitions follow the SIAP measures of the US Joint SIAP System Engineering
//! Organization ("Single Integrated Air Picture (SIAP) Attributes", Technical Report 2003-029,
//! 2003), as Stone Soup implements them (`stonesoup.metricgenerator.tracktotruthmetrics.SIAPMetrics`):
//! at each sample, with J the true objects the picture's sensors could see, J_T of them
//! tracked, N tracks of which N_A are assigned to a true object and N_U = N − N_A are not,
//!
//! - completeness C = J_T / J (the fraction of objects held),
//! - ambiguity A = N_A / J_T (tracks per object held; 1 is ideal),
//! - spuriousness S = N_U / N (the fraction of tracks of nothing),
//! - positional accuracy PA = the mean distance between an assigned track and its object,
//! - track number changes: an object held by a track of another number than at the sample
//!   before (continuity's failures).
//!
//! A track is assigned to the nearest true object within [`ASSOCIATION_GATE_M`]; a track within
//! that gate of one of the defense's own interceptors, and no nearer to an object, is neither
//! assigned nor spurious (the defense knows its own missiles). Samples are taken after each scan
//! of a radar (its own picture) and after each report's arrival at the node (the network's
//! picture, against the threats any sensor could see); the run's completeness, ambiguity and
//! spuriousness are their means over the samples where each is defined, its positional accuracy
//! the mean over every assignment, its number changes their count.

use crate::world::ThreatId;
use nalgebra::Vector3;
use serde::Serialize;
use std::collections::BTreeMap;

/// A track further than this from every true object is assigned to none, m.
pub const ASSOCIATION_GATE_M: f64 = 5_000.0;

/// One picture's counts at one sample.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SiapSample {
    /// True objects the picture's sensors could see (J).
    pub truths: u32,
    /// Of them, those with at least one assigned track (J_T).
    pub tracked: u32,
    /// Tracks, those of the defense's own interceptors left out (N).
    pub tracks: u32,
    /// Tracks assigned to a true object (N_A).
    pub assigned: u32,
    /// The sum over the assigned tracks of the distance to their objects, m.
    pub error_sum_m: f64,
    /// Objects held by a track of another number than at the picture's sample before.
    pub number_changes: u32,
}

/// The state a picture's samples carry from one to the next: which track held each object.
#[derive(Clone, Debug, Default)]
pub struct SiapScorer {
    holder: BTreeMap<ThreatId, u64>,
}

impl SiapScorer {
    /// Scores `tracks` (number, ECEF position) against `truths` (threat, ECEF position) with
    /// `own` the positions of the defense's own interceptors.
    pub fn sample(
        &mut self,
        truths: &[(ThreatId, Vector3<f64>)],
        own: &[Vector3<f64>],
        tracks: &[(u64, Vector3<f64>)],
    ) -> SiapSample {
        let mut s = SiapSample {
            truths: truths.len() as u32,
            ..SiapSample::default()
        };
        // Each object's nearest assigned track: (number, distance).
        let mut nearest: BTreeMap<ThreatId, (u64, f64)> = BTreeMap::new();
        for &(number, p) in tracks {
            let to_truth = truths
                .iter()
                .map(|(id, q)| (*id, (q - p).norm()))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let to_own = own
                .iter()
                .map(|q| (q - p).norm())
                .fold(f64::INFINITY, f64::min);
            match to_truth {
                Some((id, d)) if d <= ASSOCIATION_GATE_M && d <= to_own => {
                    s.tracks += 1;
                    s.assigned += 1;
                    s.error_sum_m += d;
                    let e = nearest.entry(id).or_insert((number, d));
                    if d < e.1 {
                        *e = (number, d);
                    }
                }
                _ if to_own <= ASSOCIATION_GATE_M => {}
                _ => s.tracks += 1,
            }
        }
        s.tracked = nearest.len() as u32;
        for (id, (number, _)) in &nearest {
            if self
                .holder
                .insert(*id, *number)
                .is_some_and(|n| n != *number)
            {
                s.number_changes += 1;
            }
        }
        s
    }
}

/// A picture's measures over a run: the means over its samples.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct SiapSummary {
    /// `network` for the fusion node's system tracks, else the radar's name.
    pub picture: String,
    /// Samples taken.
    pub samples: u32,
    /// Mean completeness over the samples with an object to see (null if none).
    pub completeness: Option<f64>,
    /// Mean ambiguity over the samples with an object held (null if none).
    pub ambiguity: Option<f64>,
    /// Mean spuriousness over the samples with a track (null if none).
    pub spuriousness: Option<f64>,
    /// Mean distance of an assigned track from its object, m (null if none was assigned).
    pub positional_accuracy_m: Option<f64>,
    /// Track number changes over the run.
    pub track_number_changes: u32,
}

/// Folds a picture's samples into its [`SiapSummary`].
#[derive(Clone, Debug, Default)]
pub struct SiapFold {
    picture: String,
    samples: u32,
    sums: [f64; 3],
    counts: [u32; 3],
    error_sum_m: f64,
    assigned: u64,
    changes: u32,
}

impl SiapFold {
    /// An empty fold for `picture`.
    pub fn new(picture: &str) -> Self {
        Self {
            picture: picture.to_string(),
            ..Self::default()
        }
    }

    /// The picture's name.
    pub fn picture(&self) -> &str {
        &self.picture
    }

    /// Folds in one sample.
    pub fn add(&mut self, s: &SiapSample) {
        self.samples += 1;
        let ratios = [
            (s.truths > 0).then(|| f64::from(s.tracked) / f64::from(s.truths)),
            (s.tracked > 0).then(|| f64::from(s.assigned) / f64::from(s.tracked)),
            (s.tracks > 0).then(|| f64::from(s.tracks - s.assigned) / f64::from(s.tracks)),
        ];
        for (i, r) in ratios.into_iter().enumerate() {
            if let Some(r) = r {
                self.sums[i] += r;
                self.counts[i] += 1;
            }
        }
        self.error_sum_m += s.error_sum_m;
        self.assigned += u64::from(s.assigned);
        self.changes += s.number_changes;
    }

    /// The measures so far.
    pub fn summary(&self) -> SiapSummary {
        let mean =
            |i: usize| (self.counts[i] > 0).then(|| self.sums[i] / f64::from(self.counts[i]));
        SiapSummary {
            picture: self.picture.clone(),
            samples: self.samples,
            completeness: mean(0),
            ambiguity: mean(1),
            spuriousness: mean(2),
            positional_accuracy_m: (self.assigned > 0)
                .then(|| self.error_sum_m / self.assigned as f64),
            track_number_changes: self.changes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64) -> Vector3<f64> {
        Vector3::new(6.4e6 + x, 0.0, 0.0)
    }

    fn id(i: usize) -> ThreatId {
        ThreatId::from_index(i)
    }

    /// Three objects; two tracks on the first (one 100 m off, one 300 m), one on the second
    /// (200 m), none on the third; one track of nothing; one track of an interceptor. By hand:
    /// J = 3, J_T = 2, N = 4, N_A = 3, N_U = 1; C = 2/3, A = 3/2, S = 1/4, PA = 200 m.
    #[test]
    fn a_hand_computed_picture() {
        let truths = [
            (id(0), at(0.0)),
            (id(1), at(100_000.0)),
            (id(2), at(200_000.0)),
        ];
        let own = [at(50_000.0)];
        let tracks = [
            (1, at(100.0)),
            (2, at(-300.0)),
            (3, at(100_200.0)),
            (4, at(150_000.0)),
            (5, at(50_020.0)),
        ];
        let mut scorer = SiapScorer::default();
        let s = scorer.sample(&truths, &own, &tracks);
        assert_eq!(
            (s.truths, s.tracked, s.tracks, s.assigned, s.number_changes),
            (3, 2, 4, 3, 0)
        );
        assert!((s.error_sum_m - 600.0).abs() < 1e-6);
        let mut fold = SiapFold::new("radar");
        fold.add(&s);
        let m = fold.summary();
        assert!((m.completeness.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.ambiguity.unwrap() - 1.5).abs() < 1e-12);
        assert!((m.spuriousness.unwrap() - 0.25).abs() < 1e-12);
        assert!((m.positional_accuracy_m.unwrap() - 200.0).abs() < 1e-6);
        // Next sample: object 0 is now held only by track 2 (a number change), object 1 still
        // by 3; object 2 gone from view. C = 1, A = 1, S = 0, PA = (300 + 200)/2.
        let s2 = scorer.sample(&truths[..2], &[], &[(2, at(-300.0)), (3, at(100_200.0))]);
        assert_eq!((s2.tracked, s2.assigned, s2.number_changes), (2, 2, 1));
        fold.add(&s2);
        let m = fold.summary();
        assert_eq!(m.samples, 2);
        assert!((m.completeness.unwrap() - (2.0 / 3.0 + 1.0) / 2.0).abs() < 1e-12);
        assert!((m.ambiguity.unwrap() - (1.5 + 1.0) / 2.0).abs() < 1e-12);
        assert!((m.spuriousness.unwrap() - 0.125).abs() < 1e-12);
        assert!((m.positional_accuracy_m.unwrap() - 1_100.0 / 5.0).abs() < 1e-6);
        assert_eq!(m.track_number_changes, 1);
    }

    #[test]
    fn nothing_to_see_leaves_the_measures_undefined() {
        let mut fold = SiapFold::new("network");
        fold.add(&SiapScorer::default().sample(&[], &[], &[]));
        let m = fold.summary();
        assert_eq!(m.samples, 1);
        assert!(m.completeness.is_none() && m.ambiguity.is_none() && m.spuriousness.is_none());
        assert!(m.positional_accuracy_m.is_none());
    }
}
