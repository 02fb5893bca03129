//! Composite tracking at the fusion node: track-to-track fusion by covariance intersection.
//!
//! Each sensor's tracker sends its confirmed tracks (ECEF state and covariance) after every
//! scan. The node keeps, for each system track, the latest report of each sensor's local
//! track associated with it; the system track's estimate at any time is the covariance
//! intersection of those reports, each predicted to that time.
//!
//! **Why track-to-track fusion, and why covariance intersection.** The node receives what a
//! real network of this kind carries — tracks, not plots — and the local tracks of two radars
//! on one target are correlated by the target's common manoeuvres (the process noise both
//! trackers model) and, once a cue from the node has started a radar's track, by the node's
//! own information. Their cross-covariance is not known at the node. Fusing them as if
//! independent would count that common information twice and make the system track
//! over-confident; covariance intersection (Julier and Uhlmann, "A non-divergent estimation
//! algorithm in the presence of unknown correlations", Proc. ACC 1997) is consistent for any
//! cross-correlation. Its price is that it is conservative: with independent errors its
//! covariance is larger than the true error's, so the normalised estimation error squared
//! (NEES) falls below its χ² mean rather than on it.
//!
//! **Out-of-sequence reports.** A report is the latest state of each of its sensor's tracks,
//! and the node keeps only the latest of each: one older than what the node already holds
//! from that sensor carries nothing new and is set aside. What the node holds of each source
//! once all reports have arrived, and so the estimate of a system track whose association
//! the order did not change, is therefore the same whatever order they arrived in (the
//! numbering of system tracks, and which local tracks were associated while reports were
//! missing, may differ).

use crate::world::SensorId;
use nalgebra::{Cholesky, SMatrix, SVector, Vector3};
use rampart_core::search::golden_min;
use std::collections::BTreeMap;

/// A state: ECEF position (m) then velocity (m/s).
pub type State = SVector<f64, 6>;
/// Its covariance.
pub type Covariance = SMatrix<f64, 6, 6>;

/// Earth's gravitational parameter, m³/s² (WGS-84).
const MU: f64 = 3.986_004_418e14;
/// Power spectral density of the white acceleration noise with which the node predicts a
/// radar's report to a later time, m²/s³: a 10 m/s² manoeuvre over a second. Notional; it
/// covers what the mean prediction leaves out (drag, a turn, the rotating frame's terms).
pub const PREDICTION_NOISE: f64 = 100.0;
/// The same for a track of a burning motor (an early-warning sensor's), m²/s³: its unknown
/// thrust acceleration, up to about 10 g, as white noise over a second. Notional.
pub const BOOST_NOISE: f64 = 10_000.0;
/// The association gate: the 99.9 % point of the χ² distribution with 6 degrees of freedom
/// (position and velocity).
pub const GATE_CHI2: f64 = 22.458;
/// Position and velocity variances added to both estimates when a local track is compared
/// with a system track, m² and (m/s)²: the sensors' registration errors (notional: 100 m and
/// 10 m/s, one standard deviation).
const REGISTRATION: [f64; 2] = [100.0 * 100.0, 10.0 * 10.0];

/// A source counts as updated for the system track when its report is no older than this many
/// of its sensor's revisits beside the newest (notional): an old report from a sensor gone
/// silent does not keep a coasting system track engageable.
pub const RECENT_REVISITS: f64 = 1.5;
/// A system track whose predicted position has a larger standard deviation (per axis) than
/// this takes no new local track, m (notional): an old cue says too little to be sure two
/// reports are of one object.
pub const MAX_ASSOCIATION_SIGMA_M: f64 = 10_000.0;

/// A sensor's local track as it reports it to the node.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalTrack {
    /// The track's id in its sensor's tracker.
    pub id: u64,
    /// The time of the estimate, s since the epoch.
    pub t_s: f64,
    /// ECEF position and velocity.
    pub x: State,
    /// Their covariance.
    pub p: Covariance,
    /// Whether the sensor's latest scan updated it (otherwise it coasts).
    pub updated: bool,
    /// The tracker's estimate of 1/β, m²/kg (0 without one).
    pub inverse_beta: f64,
    /// Its variance.
    pub inverse_beta_var: f64,
    /// The probability that the target flies ballistically.
    pub ballistic_probability: f64,
    /// The power spectral density of the white acceleration noise it is predicted with,
    /// m²/s³ ([`PREDICTION_NOISE`] for a radar's track, [`BOOST_NOISE`] for a plume's).
    pub process_noise: f64,
    /// Its sensor's revisit, s.
    pub revisit_s: f64,
    /// When the node received it, s since the epoch (set by [`Node::receive`]).
    pub received_s: f64,
}

impl LocalTrack {
    /// The track predicted to `t_s`: constant velocity plus the gravity a ballistic target
    /// would feel, weighted by the probability that it is ballistic (the mean of the two
    /// motion models), with white acceleration noise of its `process_noise`.
    pub fn predict(&self, t_s: f64) -> (State, Covariance) {
        let dt = t_s - self.t_s;
        let r = self.x.fixed_rows::<3>(0).into_owned();
        let v = self.x.fixed_rows::<3>(3).into_owned();
        let n = r.norm();
        let g: Vector3<f64> = if n > 0.0 {
            -r * (MU / (n * n * n))
        } else {
            Vector3::zeros()
        };
        let a = g * self.ballistic_probability;
        let mut x = State::zeros();
        x.fixed_rows_mut::<3>(0)
            .copy_from(&(r + v * dt + a * (0.5 * dt * dt)));
        x.fixed_rows_mut::<3>(3).copy_from(&(v + a * dt));
        let mut f = Covariance::identity();
        let mut q = Covariance::zeros();
        let h = dt.abs();
        for i in 0..3 {
            f[(i, i + 3)] = dt;
            let q_s = self.process_noise;
            q[(i, i)] = q_s * h * h * h / 3.0;
            q[(i, i + 3)] = q_s * h * h / 2.0 * dt.signum();
            q[(i + 3, i)] = q[(i, i + 3)];
            q[(i + 3, i + 3)] = q_s * h;
        }
        (x, f * self.p * f.transpose() + q)
    }
}

/// The covariance intersection of two estimates: the weight `ω` of the first in
/// `P⁻¹ = ω·A⁻¹ + (1 − ω)·B⁻¹`, `x = P·(ω·A⁻¹·a + (1 − ω)·B⁻¹·b)`, chosen to minimise the
/// determinant of `P` (scale-free, unlike the trace of a state mixing metres and metres per
/// second). `None` when a covariance is not positive definite.
pub fn covariance_intersection(
    a: &State,
    pa: &Covariance,
    b: &State,
    pb: &Covariance,
) -> Option<(State, Covariance)> {
    let ia = Cholesky::new(*pa)?.inverse();
    let ib = Cholesky::new(*pb)?.inverse();
    // −ln det P = ln det (ω·A⁻¹ + (1 − ω)·B⁻¹) is concave in ω: a golden-section search for
    // its maximum on [0, 1].
    let log_det = |w: f64| {
        Cholesky::new(ia * w + ib * (1.0 - w)).map_or(f64::NEG_INFINITY, |c| {
            c.l_dirty().diagonal().iter().map(|d| 2.0 * d.ln()).sum()
        })
    };
    let Ok((best, _)) = golden_min(0.0, 1.0, 1e-9, |w| {
        Ok::<f64, std::convert::Infallible>(-log_det(w))
    });
    // The ends are candidates too: one estimate may make the other worthless.
    let w = [0.0, best, 1.0]
        .into_iter()
        .max_by(|x, y| log_det(*x).total_cmp(&log_det(*y)))
        .unwrap_or(0.5);
    let info = Cholesky::new(ia * w + ib * (1.0 - w))?;
    let p = info.inverse();
    let x = p * (ia * a * w + ib * b * (1.0 - w));
    Some((x, p))
}

/// The squared Mahalanobis distance between two estimates of one time, with the sensors'
/// registration errors added.
fn distance2(a: &State, pa: &Covariance, b: &State, pb: &Covariance) -> f64 {
    let mut s = pa + pb;
    for i in 0..3 {
        s[(i, i)] += 2.0 * REGISTRATION[0];
        s[(i + 3, i + 3)] += 2.0 * REGISTRATION[1];
    }
    let d = a - b;
    Cholesky::new(s).map_or(f64::INFINITY, |c| d.dot(&c.solve(&d)))
}

/// A system track: one object as the node knows it from every sensor.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemTrack {
    /// Its number, unique in the run, kept while any sensor holds the object.
    pub id: u64,
    /// The latest report of each sensor's local track on the object.
    pub sources: BTreeMap<SensorId, LocalTrack>,
}

/// A system track's estimate at one time.
#[derive(Clone, Debug, PartialEq)]
pub struct Fused {
    /// The system track.
    pub id: u64,
    /// The time of the estimate, s since the epoch.
    pub t_s: f64,
    /// ECEF position and velocity.
    pub x: State,
    /// Their covariance.
    pub p: Covariance,
    /// 1/β, its variance and the ballistic probability of the most precise source.
    pub inverse_beta: f64,
    /// See [`LocalTrack::inverse_beta_var`].
    pub inverse_beta_var: f64,
    /// See [`LocalTrack::ballistic_probability`].
    pub ballistic_probability: f64,
    /// Whether a recent source's latest report (within [`RECENT_REVISITS`] of its sensor's
    /// revisits of the newest) was updated by its sensor's scan.
    pub updated: bool,
    /// The sensors whose reports formed it.
    pub sensors: Vec<SensorId>,
}

impl SystemTrack {
    /// The estimate at `t_s`: the covariance intersection of every source predicted to `t_s`
    /// (folded pairwise, in sensor order: each step is consistent, so the whole is).
    pub fn estimate(&self, t_s: f64) -> Option<Fused> {
        let mut acc: Option<(State, Covariance)> = None;
        // The most precise source at `t_s` gives 1/β and the ballistic probability.
        let mut best: Option<(f64, &LocalTrack)> = None;
        for src in self.sources.values() {
            let (x, p) = src.predict(t_s);
            let trace = p.fixed_view::<3, 3>(0, 0).trace();
            if best.is_none_or(|(b, _)| trace < b) {
                best = Some((trace, src));
            }
            acc = Some(match acc {
                None => (x, p),
                Some((a, pa)) => covariance_intersection(&a, &pa, &x, &p).unwrap_or((a, pa)),
            });
        }
        let (x, p) = acc?;
        let (_, best) = best?;
        let newest = self.newest_s();
        Some(Fused {
            id: self.id,
            t_s,
            x,
            p,
            inverse_beta: best.inverse_beta,
            inverse_beta_var: best.inverse_beta_var,
            ballistic_probability: best.ballistic_probability,
            updated: self
                .sources
                .values()
                .any(|s| s.updated && newest - s.t_s <= RECENT_REVISITS * s.revisit_s),
            sensors: self.sources.keys().copied().collect(),
        })
    }

    /// The time of its newest report, s.
    pub fn newest_s(&self) -> f64 {
        self.sources
            .values()
            .map(|l| l.t_s)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Its estimate at the time of its newest report.
    pub fn latest_estimate(&self) -> Option<Fused> {
        self.estimate(self.newest_s())
    }

    /// The sensor's local track on this object, if it holds one.
    pub fn local(&self, sensor: SensorId) -> Option<&LocalTrack> {
        self.sources.get(&sensor)
    }
}

/// One sensor's confirmed tracks after one scan.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackReport {
    /// The sensor.
    pub sensor: SensorId,
    /// The scan's time, s since the epoch.
    pub t_s: f64,
    /// Its confirmed tracks.
    pub tracks: Vec<LocalTrack>,
}

/// What changed in a system track.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new system track, from this sensor's local track.
    Initiated(SensorId),
    /// A sensor's local track joined it.
    Joined(SensorId),
    /// A sensor's local track left it (dropped by its tracker, or no report within the
    /// node's timeout).
    Left(SensorId),
    /// No sensor holds it any longer.
    Dropped,
}

/// The fusion node's picture.
#[derive(Clone, Debug, Default)]
pub struct Node {
    tracks: Vec<SystemTrack>,
    next_id: u64,
    /// The latest scan received from each sensor, s.
    latest: BTreeMap<SensorId, f64>,
}

impl Node {
    /// The system tracks, oldest first.
    pub fn tracks(&self) -> &[SystemTrack] {
        &self.tracks
    }

    /// System track `id`, if it is held.
    pub fn track(&self, id: u64) -> Option<&SystemTrack> {
        self.tracks.iter().find(|s| s.id == id)
    }

    /// Takes a report arriving at `now_s`; returns what changed. A report no newer than the
    /// latest already taken from its sensor is set aside (see the module's notes).
    pub fn receive(&mut self, report: &TrackReport, now_s: f64) -> Vec<(u64, Change)> {
        let s = report.sensor;
        if self.latest.get(&s).is_some_and(|&t| report.t_s <= t) {
            return Vec::new();
        }
        self.latest.insert(s, report.t_s);
        let mut changes = Vec::new();
        // Local tracks already associated: updated, or gone from the sensor's tracker.
        let mut placed = vec![false; report.tracks.len()];
        for sys in &mut self.tracks {
            let Some(held) = sys.sources.get(&s).map(|l| l.id) else {
                continue;
            };
            match report.tracks.iter().position(|l| l.id == held) {
                Some(i) => {
                    let mut l = report.tracks[i].clone();
                    l.received_s = now_s;
                    sys.sources.insert(s, l);
                    placed[i] = true;
                }
                None => {
                    sys.sources.remove(&s);
                    changes.push((sys.id, Change::Left(s)));
                }
            }
        }
        // New local tracks: to the nearest system track within the gate that this sensor
        // does not already hold, else a new system track.
        for (l, _) in report.tracks.iter().zip(&placed).filter(|(_, p)| !**p) {
            let best = self
                .tracks
                .iter_mut()
                .filter(|sys| !sys.sources.contains_key(&s) && !sys.sources.is_empty())
                .filter_map(|sys| {
                    let f = sys.estimate(l.t_s)?;
                    let sigma2 = f.p.fixed_view::<3, 3>(0, 0).trace() / 3.0;
                    if sigma2 > MAX_ASSOCIATION_SIGMA_M * MAX_ASSOCIATION_SIGMA_M {
                        return None;
                    }
                    let d2 = distance2(&l.x, &l.p, &f.x, &f.p);
                    (d2 < GATE_CHI2).then_some((d2, sys))
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            let mut l = l.clone();
            l.received_s = now_s;
            match best {
                Some((_, sys)) => {
                    sys.sources.insert(s, l);
                    changes.push((sys.id, Change::Joined(s)));
                }
                None => {
                    self.next_id += 1;
                    let id = self.next_id;
                    self.tracks.push(SystemTrack {
                        id,
                        sources: BTreeMap::from([(s, l)]),
                    });
                    changes.push((id, Change::Initiated(s)));
                }
            }
        }
        changes.extend(self.drop_empty());
        changes
    }

    /// Forgets every local track the node has received no report of for longer than its
    /// sensor's `timeout_s` at `now_s` (its sensor's link is down, or its sensor has stopped
    /// reporting it); returns what changed.
    pub fn prune(&mut self, now_s: f64, timeout_s: impl Fn(SensorId) -> f64) -> Vec<(u64, Change)> {
        let mut changes = Vec::new();
        for sys in &mut self.tracks {
            let stale: Vec<SensorId> = sys
                .sources
                .iter()
                .filter(|(s, l)| now_s - l.received_s > timeout_s(**s))
                .map(|(s, _)| *s)
                .collect();
            for s in stale {
                sys.sources.remove(&s);
                changes.push((sys.id, Change::Left(s)));
            }
        }
        changes.extend(self.drop_empty());
        changes
    }

    fn drop_empty(&mut self) -> Vec<(u64, Change)> {
        let gone: Vec<(u64, Change)> = self
            .tracks
            .iter()
            .filter(|s| s.sources.is_empty())
            .map(|s| (s.id, Change::Dropped))
            .collect();
        self.tracks.retain(|s| !s.sources.is_empty());
        gone
    }
}

#[cfg(test)]
mod tests;
