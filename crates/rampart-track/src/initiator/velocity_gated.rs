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

use super::{Birth, Births, Initiator, MofNInitiator, Tentative, TrackStart};
use crate::hypothesiser::SpatialIndex;
use crate::models::measurement::MeasurementModel;
use crate::types::Scan;
use nalgebra::SVector;

/// Past this many candidates the previous scan's candidates are looked up in a grid (fewer: a
/// list sorted by x, which allocates nothing).
const GRID_MIN_CANDIDATES: usize = 1024;

/// An unused detection waiting one scan for a partner.
#[derive(Clone, Copy, Debug)]
struct Candidate<const M: usize> {
    /// Time of its scan, s.
    t: f64,
    /// Converted position, m.
    p: SVector<f64, 3>,
    /// Trace of the converted position covariance, m².
    trace: f64,
    /// The measurement, converted in full only if it pairs.
    z: SVector<f64, M>,
    /// Its index in its scan's detections, for the sensor's pairing check.
    index: usize,
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
        let (t, detections, max_speed) = (scan.t, scan.detections, self.max_speed);
        let mut fresh = std::mem::take(&mut self.fresh);
        fresh.clear();
        fresh.extend(
            scan.positions
                .iter()
                .zip(used)
                .enumerate()
                .filter(|(_, (_, u))| !**u)
                .filter_map(|(index, (c, _))| {
                    c.map(|(p, trace)| Candidate {
                        t,
                        p,
                        trace,
                        z: detections[index],
                        index,
                    })
                }),
        );
        let spare = std::mem::take(&mut self.spare);
        let mut old = std::mem::replace(&mut self.candidates, spare);
        let noise = old
            .iter()
            .chain(&fresh)
            .map(|c| c.trace)
            .fold(0.0, f64::max);
        let dt_max = old.iter().map(|c| t - c.t).fold(0.0, f64::max);
        let reach = max_speed * dt_max + 3.0 * (2.0 * noise).sqrt();
        // The candidates in order of x: a fresh detection looks only at those within `reach`
        // of it in x (a handful of the scan's false alarms, not all of them). Past
        // `GRID_MIN_CANDIDATES` candidates, at those in the grid cells of side `reach` around
        // it instead, so that candidates sharing an x (a line of them along y) do not make the
        // scan quadratic. Either way the choice is the same: the nearest, then the first
        // detected, among the same candidates.
        old.sort_unstable_by(|a, b| a.p.x.total_cmp(&b.p.x));
        let grid =
            (old.len() > GRID_MIN_CANDIDATES && reach.is_finite() && reach > 0.0).then(|| {
                let positions: Vec<[f64; 3]> = old.iter().map(|c| [c.p.x, c.p.y, c.p.z]).collect();
                SpatialIndex::new(&positions, reach)
            });
        let mut near = std::mem::take(&mut self.near);
        let mut taken = std::mem::take(&mut self.taken);
        taken.clear();
        taken.resize(old.len(), false);
        for &new in &fresh {
            let p = new.p;
            match &grid {
                Some(index) => index.near(&[p.x, p.y, p.z], reach, &mut near),
                None => {
                    let first = old.partition_point(|c| c.p.x < p.x - reach);
                    let end = old.partition_point(|c| c.p.x <= p.x + reach).max(first);
                    near.clear();
                    near.extend(first..end);
                }
            }
            // The nearest untaken candidate within its own reach; of equally near ones, the
            // first detected.
            let best = near
                .iter()
                .copied()
                .filter(|&k| !taken[k])
                .filter(|&k| {
                    let c = &old[k];
                    let dt = t - c.t;
                    // `reach` bounds every pair's own limit (dt ≤ dt_max, trace ≤ 2·noise):
                    // a squared-distance test against it first rejects the far pairs (most
                    // pairs of false alarms) without a square root.
                    let d2 = (p - c.p).norm_squared();
                    dt > 0.0
                        && d2 <= reach * reach
                        && d2.sqrt() <= max_speed * dt + 3.0 * (new.trace + c.trace).sqrt()
                        && pair_ok(c.index, new.index)
                })
                .min_by(|&a, &b| {
                    let (da, db) = ((p - old[a].p).norm(), (p - old[b].p).norm());
                    da.total_cmp(&db).then(old[a].index.cmp(&old[b].index))
                });
            let Some(k) = best else {
                self.candidates.push(new);
                continue;
            };
            taken[k] = true;
            let (Some((_, r)), Some((_, r0))) =
                (start.model.inverse(&new.z), start.model.inverse(&old[k].z))
            else {
                continue;
            };
            let (t0, p0) = (old[k].t, old[k].p);
            let dt = t - t0;
            let v = (p - p0) / dt;
            let pv = (r + r0) / (dt * dt);
            let rv = r / dt;
            // cov(p, v) = cov(p, (p − p0)/dt) = R/dt.
            births.start(Birth {
                state: start.state(&p, &v, &r, &pv, &rv),
                hits: 2,
                origin: (t0, [p0.x, p0.y, p0.z]),
            });
        }
        old.clear();
        self.spare = old;
        self.fresh = fresh;
        self.taken = taken;
        self.near = near;
    }

    fn confirm(&self, hits: u32, scans: u32) -> Tentative {
        self.confirmation.decide(hits, scans)
    }
}
