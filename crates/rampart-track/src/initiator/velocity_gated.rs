//! Velocity-gated two-point initiation (the velocity gate of classical two-point initiation:
//! Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, Artech House, 1999,
//! §6.2).
//!
//! A detection no track used waits one scan as a candidate; a track starts only when a
//! detection of the next scan lies within reach of it (`max_speed` times the time between
//! them, plus three standard deviations of both positions), with the velocity by difference
//! of the two positions. Two scans' worth of evidence before any filter runs: false alarms
//! scattered over a large volume rarely pair, so they cost a list entry instead of a filter.
//! The new track counts both detections as hits.

use super::{Births, Initiator, MofNInitiator, Tentative, TrackStart};
use crate::hypothesiser::SpatialIndex;
use crate::models::measurement::{MeasurementModel, Screen};
use crate::types::{Converted, Scan};
use nalgebra::SVector;

/// Past this many candidates the previous scan's candidates are looked up in a grid (fewer: a
/// list sorted by key, which allocates nothing).
const GRID_MIN_CANDIDATES: usize = 1024;

/// Past this many candidates the previous scan's are sorted by key for the window (fewer: each
/// is tested against it).
const SORT_MIN_CANDIDATES: usize = 64;

/// An unused detection waiting one scan for a partner.
#[derive(Clone, Copy, Debug)]
struct Candidate<const M: usize> {
    /// Time of its scan, s.
    t: f64,
    /// The measurement.
    z: SVector<f64, M>,
    /// Its index in its scan's detections, for the sensor's pairing check.
    index: usize,
    /// What the model's screen tells of its position, if the model screens; its position is
    /// then converted only for a pair the screen lets through.
    screen: Option<Screen>,
    /// At least the trace of its position's covariance (the screen's bound, or the trace),
    /// m².
    trace: f64,
    /// Its converted position and trace, once worked out.
    converted: Option<Converted>,
}

impl<const M: usize> Candidate<M> {
    /// Detection `index` of `scan`, or `None` if it has no position.
    fn new<const N: usize, Mm: MeasurementModel<N, M>>(
        scan: &Scan<'_, M>,
        index: usize,
        model: &Mm,
    ) -> Option<Self> {
        let z = scan.detections[index];
        let screen = model.screen(&z);
        let (trace, converted) = match screen {
            Some(s) => (s.trace, None),
            None => {
                let (p, trace) = scan.position(index)?;
                (trace, Some(Some((p, trace))))
            }
        };
        Some(Self {
            t: scan.t,
            z,
            index,
            screen,
            trace,
            converted,
        })
    }

    /// Its key for the sorted list, and the rounding allowance on it: two candidates'
    /// positions are at least the difference of their keys less both allowances apart (the
    /// screen's key when `screened`, else the position's x, which must have been worked out).
    fn key(&self, screened: bool) -> (f64, f64) {
        match (self.screen, self.converted) {
            (Some(s), _) if screened => (s.key, s.slack),
            (_, Some(Some((p, _)))) => (p.x, 0.0),
            _ => (f64::NAN, 0.0),
        }
    }

    /// Its converted position and trace, worked out on first asking (through `scan` for one
    /// of this scan's detections, whose conversions the scan keeps for gating as well).
    fn position<const N: usize, Mm: MeasurementModel<N, M>>(
        &mut self,
        scan: Option<&Scan<'_, M>>,
        model: &Mm,
    ) -> Converted {
        *self.converted.get_or_insert_with(|| match scan {
            Some(scan) => scan.position(self.index),
            None => model.inverse_position(&self.z),
        })
    }
}

/// Pairs each scan's unused detections with the previous scan's within `max_speed`; confirmed
/// by `confirmation` (both detections of the pair count as hits).
#[derive(Debug)]
pub struct VelocityGatedInitiator<const M: usize> {
    /// The fastest target to be tracked, m/s.
    pub max_speed: f64,
    /// When a tentative track is confirmed.
    pub confirmation: MofNInitiator,
    /// Unused detections of the previous scan.
    candidates: Vec<Candidate<M>>,
    /// The scan before's candidate list, emptied, kept for its capacity; likewise the
    /// buffers below: a scan of false alarms alone allocates nothing.
    spare: Vec<Candidate<M>>,
    fresh: Vec<Candidate<M>>,
    /// The previous scan's candidates by key: (key, its place in the list).
    keys: Vec<(f64, usize)>,
    taken: Vec<bool>,
    near: Vec<usize>,
}

impl<const M: usize> VelocityGatedInitiator<M> {
    /// An initiator pairing detections up to `max_speed` (m/s) apart per second, confirming
    /// by `confirmation`.
    pub fn new(max_speed: f64, confirmation: MofNInitiator) -> Self {
        Self {
            max_speed,
            confirmation,
            candidates: Vec::new(),
            spare: Vec::new(),
            fresh: Vec::new(),
            keys: Vec::new(),
            taken: Vec::new(),
            near: Vec::new(),
        }
    }
}

impl<const N: usize, const M: usize> Initiator<N, M> for VelocityGatedInitiator<M> {
    /// Pairs this scan's unused detections with the previous scan's candidates; the unpaired
    /// become the next scan's candidates.
    fn initiate<Mm: MeasurementModel<N, M>>(
        &mut self,
        scan: &Scan<'_, M>,
        used: &[bool],
        start: &TrackStart<'_, N, Mm>,
        pair_ok: &dyn Fn(usize, usize) -> bool,
        births: &mut impl Births<N>,
    ) {
        let (t, max_speed, model) = (scan.t, self.max_speed, start.model);
        let mut fresh = std::mem::take(&mut self.fresh);
        fresh.clear();
        fresh.extend(
            used.iter()
                .enumerate()
                .filter(|(_, u)| !**u)
                .filter_map(|(index, _)| Candidate::new(scan, index, model)),
        );
        let spare = std::mem::take(&mut self.spare);
        let mut old = std::mem::replace(&mut self.candidates, spare);
        let noise = old
            .iter()
            .chain(&fresh)
            .map(|c| c.trace)
            .fold(0.0, f64::max);
        let dt_max = old.iter().map(|c| t - c.t).fold(0.0, f64::max);
        let reach = reach_limit(max_speed, dt_max, noise, noise);
        // The candidates in order of key: a fresh detection looks only at those within
        // `reach` (and the rounding allowances) of it in key — a handful of the scan's false
        // alarms, not all of them — and, when the model screens, converts the positions of a
        // pair only if the screen cannot rule it out. Past `GRID_MIN_CANDIDATES` candidates,
        // it looks at those in the grid cells of side `reach` around it instead, so that
        // candidates sharing a key (a line of them along y) do not make the scan quadratic.
        // Either way the choice is the same: the nearest, then the first detected, among the
        // same candidates.
        // Screened keys and unscreened ones (a position's x) do not mix: should the model
        // screen some measurements only, every position is converted.
        let screened = old.iter().chain(&fresh).all(|c| c.screen.is_some());
        if !screened {
            for c in &mut old {
                c.position(None, model);
            }
            for c in &mut fresh {
                c.position(Some(scan), model);
            }
        }
        let mut keys = std::mem::take(&mut self.keys);
        keys.clear();
        keys.extend(old.iter().enumerate().map(|(k, c)| (c.key(screened).0, k)));
        // Few candidates (a scan of false alarms) are each tested against the window; more are
        // sorted by key and the window found by bisection.
        let sorted = old.len() > SORT_MIN_CANDIDATES;
        if sorted {
            keys.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        }
        let slack = old.iter().map(|c| c.key(screened).1).fold(0.0, f64::max);
        let grid =
            (old.len() > GRID_MIN_CANDIDATES && reach.is_finite() && reach > 0.0).then(|| {
                let positions: Vec<[f64; 3]> = old
                    .iter_mut()
                    .map(|c| match c.position(None, model) {
                        Some((p, _)) => [p.x, p.y, p.z],
                        None => [f64::NAN; 3],
                    })
                    .collect();
                SpatialIndex::new(&positions, reach)
            });
        let mut near = std::mem::take(&mut self.near);
        let mut taken = std::mem::take(&mut self.taken);
        taken.clear();
        taken.resize(old.len(), false);
        for new in &mut fresh {
            match &grid {
                Some(index) => match new.position(Some(scan), model) {
                    Some((p, _)) => index.near(&[p.x, p.y, p.z], reach, &mut near),
                    None => near.clear(),
                },
                None => {
                    let (key, own) = new.key(screened);
                    let margin = reach + own + slack;
                    let (lo, hi) = (key - margin, key + margin);
                    near.clear();
                    if sorted {
                        let first = keys.partition_point(|e| e.0 < lo);
                        let end = keys.partition_point(|e| e.0 <= hi).max(first);
                        near.extend(keys[first..end].iter().map(|e| e.1));
                    } else {
                        near.extend(keys.iter().filter(|e| e.0 >= lo && e.0 <= hi).map(|e| e.1));
                    }
                }
            }
            // The nearest untaken candidate within its own reach; of equally near ones, the
            // first detected.
            let mut best: Option<(usize, f64)> = None;
            for &k in &near {
                if taken[k] {
                    continue;
                }
                let dt = t - old[k].t;
                if dt <= 0.0 || dt.is_nan() {
                    continue;
                }
                // The screen: a lower bound on the pair's distance past a bound on its limit
                // rules the pair out unconverted.
                if screened
                    && model.surely_apart(
                        &new.z,
                        &old[k].z,
                        reach_limit(max_speed, dt, new.trace, old[k].trace),
                    )
                {
                    continue;
                }
                let Some((p, trace)) = new.position(Some(scan), model) else {
                    break;
                };
                let Some((q, c_trace)) = old[k].position(None, model) else {
                    continue;
                };
                // `reach` bounds every pair's own limit (dt ≤ dt_max, trace ≤ 2·noise): a
                // squared-distance test against it first rejects the far pairs without a
                // square root.
                let d2 = (p - q).norm_squared();
                if d2 <= reach * reach
                    && d2.sqrt() <= reach_limit(max_speed, dt, trace, c_trace)
                    && pair_ok(old[k].index, new.index)
                {
                    let d = (p - q).norm();
                    let nearer = best.is_none_or(|(b, db)| {
                        d.total_cmp(&db)
                            .then(old[k].index.cmp(&old[b].index))
                            .is_lt()
                    });
                    if nearer {
                        best = Some((k, d));
                    }
                }
            }
            let Some((k, _)) = best else {
                self.candidates.push(*new);
                continue;
            };
            taken[k] = true;
            let (Some(Some((p, _))), Some(Some((p0, _)))) = (new.converted, old[k].converted)
            else {
                continue;
            };
            let (Some((_, r)), Some((_, r0))) = (model.inverse(&new.z), model.inverse(&old[k].z))
            else {
                continue;
            };
            births.start(start.pair_birth((old[k].t, p0, r0), (t, p, r)));
        }
        old.clear();
        self.spare = old;
        self.fresh = fresh;
        self.keys = keys;
        self.taken = taken;
        self.near = near;
    }

    fn confirm(&self, hits: u32, scans: u32) -> Tentative {
        self.confirmation.decide(hits, scans)
    }

    fn wait_with<Mm: MeasurementModel<N, M>>(&mut self, scan: &Scan<'_, M>, model: &Mm) {
        self.candidates.clear();
        self.candidates.extend(
            (0..scan.detections.len()).filter_map(|index| Candidate::new(scan, index, model)),
        );
    }
}

impl<const M: usize> VelocityGatedInitiator<M> {
    /// The velocity gate: the farthest apart two detections `dt` seconds apart may lie and be
    /// one target's, for position covariances of traces `trace_a` and `trace_b` (m²), m.
    pub fn reach(&self, dt: f64, trace_a: f64, trace_b: f64) -> f64 {
        reach_limit(self.max_speed, dt, trace_a, trace_b)
    }

    /// Whether detection `new` (measured at `t_new`, s) is within reach of `old` (at `t_old`),
    /// as this initiator's gate tests a pair, before the sensor's own check: true for every
    /// pair the initiator would start a track from (and, as it is told without the other
    /// detections, for some it would not, such as one whose partner a nearer detection took).
    pub fn within_reach<const N: usize, Mm: MeasurementModel<N, M>>(
        &self,
        model: &Mm,
        (t_old, old): (f64, &SVector<f64, M>),
        (t_new, new): (f64, &SVector<f64, M>),
    ) -> bool {
        let dt = t_new - t_old;
        if dt <= 0.0 || dt.is_nan() {
            return false;
        }
        // The full test alone: the initiator's screen (`surely_apart` on the screen's bounds)
        // only spares it, never changes its answer, and a caller with many pairs screens
        // them first itself.
        match (model.inverse_position(new), model.inverse_position(old)) {
            (Some((p, trace)), Some((q, c_trace))) => {
                (p - q).norm_squared().sqrt() <= reach_limit(self.max_speed, dt, trace, c_trace)
            }
            _ => false,
        }
    }
}

/// The velocity gate: the farthest apart two detections `dt` seconds apart may lie and be one
/// target's, m — `max_speed`·dt plus three standard deviations of the difference of their
/// positions, whose covariances have traces `trace_a` and `trace_b` (m²).
fn reach_limit(max_speed: f64, dt: f64, trace_a: f64, trace_b: f64) -> f64 {
    max_speed * dt + 3.0 * (trace_a + trace_b).sqrt()
}

#[cfg(test)]
mod tests;
