//! Track continuity against truth, from per-scan truth-to-track associations.
//!
//! Input: for each scan in time order, every truth present with the track associated with it
//! (if any) — typically the GOSPA assignment, see [`ScanAssociation::from_assignment`] — and
//! every track present. Definitions, per truth, over the scans where that truth is present
//! (scans where it is absent are skipped: leaving coverage is neither a gap nor a break):
//!
//! - **Id switch**: the truth is associated with track b at a scan, and the last scan at which
//!   it was associated it was with track a ≠ b. This is the CLEAR-MOT convention (Bernardin &
//!   Stiefelhagen, "Evaluating multiple object tracking performance: the CLEAR MOT metrics",
//!   EURASIP J. Image and Video Processing, 2008): a → a → b is one switch, and so is
//!   a → none → b (which is also a fragmentation).
//! - **Fragmentation**: the truth is associated again after one or more scans at which it was
//!   present but unassociated, having been associated before: some → none⁺ → some, whether or
//!   not the track id is the same (Li, Huang & Nevatia, "Learning to associate: HybridBoosted
//!   multi-target tracker for crowded scene", CVPR 2009, "Frag").
//! - **Completeness**: associated truth-scans / truth-scans, i.e. Σₜ J_T(t) / Σₜ J(t) with J(t)
//!   truths present and J_T(t) those with a track — the time-pooled SIAP completeness
//!   (Votruba et al., "Single Integrated Air Picture (SIAP) metrics implementation", SIAP
//!   System Engineering Task Force, 29 Oct 2001, as used by Stone Soup's `SIAPMetrics`).
//!   `None` with no truth-scans.
//! - **Spuriousness**: track-scans associated with no truth / track-scans, i.e.
//!   Σₜ N_S(t) / Σₜ N(t) (time-pooled SIAP spuriousness). `None` with no track-scans.
//!
//! A track counts as present at a scan if it is listed in [`ScanAssociation::tracks`] or is
//! associated with a truth there. Ids should be unique within a scan; duplicates are
//! processed in order. Label-aware set metrics such as OSPA-T (Ristic, Vo, Clark & Vo,
//! "A metric for performance evaluation of multi-target tracking algorithms", IEEE TSP 59(7),
//! 2011) fold switches into a single distance instead; these counts keep them apart.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// Who was associated with whom at one scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScanAssociation {
    /// Every truth present at the scan, with the id of the track associated with it, if any.
    pub truths: Vec<(u64, Option<u64>)>,
    /// Every track present at the scan, associated or not.
    pub tracks: Vec<u64>,
}

impl ScanAssociation {
    /// Builds a scan's associations from an index assignment (truth index → track index, as
    /// in [`crate::metrics::GospaResult::assignment`]) and the ids behind the indices.
    /// Assignment entries missing or pointing past `track_ids` are read as unassociated.
    pub fn from_assignment(
        truth_ids: &[u64],
        track_ids: &[u64],
        assignment: &[Option<usize>],
    ) -> Self {
        let truths = truth_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                let track = assignment
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(|j| track_ids.get(j).copied());
                (id, track)
            })
            .collect();
        Self {
            truths,
            tracks: track_ids.to_vec(),
        }
    }
}

/// Continuity counts and ratios over a sequence of scans.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ContinuityResult {
    /// Number of id switches (see the module docs).
    pub id_switches: usize,
    /// Number of fragmentations (see the module docs).
    pub fragmentations: usize,
    /// Associated truth-scans / truth-scans, in [0, 1]; `None` with no truth-scans.
    pub completeness: Option<f64>,
    /// Unassociated track-scans / track-scans, in [0, 1]; `None` with no track-scans.
    pub spuriousness: Option<f64>,
    /// Number of distinct truth ids seen.
    pub num_truths: usize,
    /// Number of distinct track ids seen.
    pub num_tracks: usize,
    /// Σ over scans of truths present.
    pub truth_scans: usize,
    /// Σ over scans of truths present and associated.
    pub associated_truth_scans: usize,
    /// Σ over scans of tracks present.
    pub track_scans: usize,
    /// Σ over scans of tracks present and associated with no truth.
    pub spurious_track_scans: usize,
}

/// Per-truth memory while walking the scans.
#[derive(Default)]
struct TruthHistory {
    last_track: Option<u64>,
    in_gap: bool,
}

/// Continuity of tracks against truth over `scans`, given in time order.
pub fn continuity(scans: &[ScanAssociation]) -> ContinuityResult {
    let mut acc = ContinuityAccumulator::new();
    for scan in scans {
        acc.add(scan);
    }
    acc.result()
}

/// [`continuity`] a scan at a time: memory is the distinct truth and track ids, not the scans.
#[derive(Default)]
pub struct ContinuityAccumulator {
    histories: BTreeMap<u64, TruthHistory>,
    all_tracks: BTreeSet<u64>,
    id_switches: usize,
    fragmentations: usize,
    truth_scans: usize,
    associated_truth_scans: usize,
    track_scans: usize,
    spurious_track_scans: usize,
}

impl std::fmt::Debug for ContinuityAccumulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContinuityAccumulator")
            .field("truths", &self.histories.len())
            .field("tracks", &self.all_tracks.len())
            .finish_non_exhaustive()
    }
}

impl ContinuityAccumulator {
    /// Nothing seen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next scan (scans must come in time order).
    pub fn add(&mut self, scan: &ScanAssociation) {
        let mut associated = BTreeSet::new();
        for &(truth, track) in &scan.truths {
            self.truth_scans += 1;
            let h = self.histories.entry(truth).or_default();
            match track {
                Some(track) => {
                    self.associated_truth_scans += 1;
                    associated.insert(track);
                    if h.last_track.is_some_and(|last| last != track) {
                        self.id_switches += 1;
                    }
                    if h.in_gap {
                        self.fragmentations += 1;
                        h.in_gap = false;
                    }
                    h.last_track = Some(track);
                }
                None => h.in_gap = h.last_track.is_some(),
            }
        }
        let present: BTreeSet<u64> = scan
            .tracks
            .iter()
            .copied()
            .chain(associated.iter().copied())
            .collect();
        self.track_scans += present.len();
        self.spurious_track_scans += present.len() - associated.len();
        self.all_tracks.extend(present);
    }

    /// The counts and ratios over the scans added so far.
    pub fn result(&self) -> ContinuityResult {
        let ratio = |num: usize, den: usize| (den > 0).then(|| num as f64 / den as f64);
        ContinuityResult {
            id_switches: self.id_switches,
            fragmentations: self.fragmentations,
            completeness: ratio(self.associated_truth_scans, self.truth_scans),
            spuriousness: ratio(self.spurious_track_scans, self.track_scans),
            num_truths: self.histories.len(),
            num_tracks: self.all_tracks.len(),
            truth_scans: self.truth_scans,
            associated_truth_scans: self.associated_truth_scans,
            track_scans: self.track_scans,
            spurious_track_scans: self.spurious_track_scans,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::GospaMetric;

    fn scan(truths: &[(u64, Option<u64>)], tracks: &[u64]) -> ScanAssociation {
        ScanAssociation {
            truths: truths.to_vec(),
            tracks: tracks.to_vec(),
        }
    }

    /// Source: hand-made sequence, counted by hand against the module definitions.
    ///
    /// ```text
    /// scan | truth 1 | truth 2 | tracks present  | spurious
    ///   0  |   10    |   20    | 10 20           | —
    ///   1  |   10    |  none   | 10 30           | 30
    ///   2  |   11 ⇐  |   20 ⇐  | 11 20 30        | 30
    ///   3  |   11    | absent  | 11 20           | 20
    /// ```
    /// Truth 1 switches 10 → 11 at scan 2 (one switch); truth 2 goes 20 → none → 20 (one
    /// fragmentation, no switch); its absence at scan 3 is neither.
    /// Truth-scans 2 + 2 + 2 + 1 = 7, associated 2 + 1 + 2 + 1 = 6 → completeness 6/7.
    /// Track-scans 2 + 2 + 3 + 2 = 9, spurious 0 + 1 + 1 + 1 = 3 → spuriousness 1/3.
    /// Truths {1, 2} = 2; tracks {10, 11, 20, 30} = 4.
    #[test]
    fn one_switch_and_one_fragmentation() {
        let scans = [
            scan(&[(1, Some(10)), (2, Some(20))], &[10, 20]),
            scan(&[(1, Some(10)), (2, None)], &[10, 30]),
            scan(&[(1, Some(11)), (2, Some(20))], &[11, 20, 30]),
            scan(&[(1, Some(11))], &[11, 20]),
        ];
        let r = continuity(&scans);
        assert_eq!((r.id_switches, r.fragmentations), (1, 1));
        assert_eq!((r.truth_scans, r.associated_truth_scans), (7, 6));
        assert_eq!((r.track_scans, r.spurious_track_scans), (9, 3));
        assert_eq!(r.completeness, Some(6.0 / 7.0));
        assert_eq!(r.spuriousness, Some(3.0 / 9.0));
        assert_eq!((r.num_truths, r.num_tracks), (2, 4));
    }

    /// Source: module definitions. a → none → b is one switch and one fragmentation;
    /// a → absent → a is neither; none → a (never associated before) is neither.
    #[test]
    fn switch_across_a_gap_and_absence() {
        let r = continuity(&[
            scan(&[(1, Some(5)), (2, Some(7)), (3, None)], &[5, 7]),
            scan(&[(1, None)], &[]),
            scan(&[(1, Some(6)), (2, Some(7)), (3, Some(8))], &[6, 7, 8]),
        ]);
        assert_eq!((r.id_switches, r.fragmentations), (1, 1));
    }

    /// Source: module conventions: no scans → no counts and undefined ratios; a track only
    /// named in an association is still counted present.
    #[test]
    fn empty_and_implicit_tracks() {
        let r = continuity(&[]);
        assert_eq!((r.id_switches, r.fragmentations, r.num_truths), (0, 0, 0));
        assert_eq!((r.completeness, r.spuriousness), (None, None));
        let r = continuity(&[scan(&[(1, Some(9))], &[])]);
        assert_eq!(
            (r.track_scans, r.spurious_track_scans, r.num_tracks),
            (1, 0, 1)
        );
        assert_eq!((r.completeness, r.spuriousness), (Some(1.0), Some(0.0)));
    }

    /// Source: the GOSPA hand example (gospa.rs): truths {0, 10} m, estimates {1, 500, 2000} m,
    /// c = 100 → truth 0 ↔ estimate 0 only.
    #[test]
    fn from_gospa_assignment() {
        let g = GospaMetric::new(2.0, 100.0, 2.0).expect("valid");
        let truths = [[0.0, 0.0, 0.0], [10.0, 0.0, 0.0]];
        let tracks = [[1.0, 0.0, 0.0], [500.0, 0.0, 0.0], [2000.0, 0.0, 0.0]];
        let r = g.compute(&truths, &tracks);
        let s = ScanAssociation::from_assignment(&[101, 102], &[7, 8, 9], &r.assignment);
        assert_eq!(s.truths, vec![(101, Some(7)), (102, None)]);
        assert_eq!(s.tracks, vec![7, 8, 9]);
        // Out-of-range and missing entries are unassociated, never a panic.
        let s = ScanAssociation::from_assignment(&[1, 2], &[7], &[Some(3)]);
        assert_eq!(s.truths, vec![(1, None), (2, None)]);
    }
}
