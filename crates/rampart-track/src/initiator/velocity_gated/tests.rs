//! Tests of the parent module: the initiator against the one it replaced, which converted
//! every detection and keyed candidates by x (kept here as the reference).

use super::*;
use crate::initiator::{Birth, TrackStart};
use crate::models::measurement::{LinearPosition, RadarPolar};
use crate::types::{Gaussian, StateLayout};
use nalgebra::{SMatrix, Vector3};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::cell::OnceCell;

/// A waiting detection of the reference initiator.
#[derive(Clone, Copy, Debug)]
struct Candidate<const M: usize> {
    t: f64,
    p: SVector<f64, 3>,
    trace: f64,
    z: SVector<f64, M>,
    index: usize,
}

/// The reference: velocity-gated initiation as it was (every detection converted, candidates
/// sorted by x).
#[derive(Debug, Default)]
struct Reference<const M: usize> {
    max_speed: f64,
    candidates: Vec<Candidate<M>>,
    spare: Vec<Candidate<M>>,
    fresh: Vec<Candidate<M>>,
    taken: Vec<bool>,
    near: Vec<usize>,
}

impl<const M: usize> Reference<M> {
    fn initiate<const N: usize, Mm: MeasurementModel<N, M>>(
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
            (0..detections.len())
                .map(|j| scan.position(j))
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
            births.start(start.pair_birth((old[k].t, old[k].p, r0), (t, p, r)));
        }
        old.clear();
        self.spare = old;
        self.fresh = fresh;
        self.taken = taken;
        self.near = near;
    }
}

/// Random scans of `targets` targets (flying 200–3,000 m/s) among `clutter` false alarms, some detections marked used
/// and a sensor check that refuses some pairs: both initiators start the same tracks, bit for
/// bit, scan after scan — with a radar's polar measurements (screened) and with Cartesian
/// ones, and with enough clutter for the grid.
fn same_births<const M: usize, Mm: MeasurementModel<6, M>>(
    model: Mm,
    detect: impl Fn(&Vector3<f64>, &mut ChaCha8Rng) -> SVector<f64, M>,
    seed: u64,
    (targets, clutter): (usize, usize),
    scans: usize,
) -> usize {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let layout = StateLayout {
        position: [0, 2, 4],
        velocity: [1, 3, 5],
    };
    let prior = Gaussian::new(SVector::zeros(), SMatrix::identity());
    let start = TrackStart {
        model: &model,
        layout,
        prior: &prior,
    };
    let mut new = VelocityGatedInitiator::<M>::new(4_000.0, MofNInitiator { m: 3, n: 3 });
    let mut reference = Reference::<M> {
        max_speed: 4_000.0,
        ..Reference::default()
    };
    let targets: Vec<(Vector3<f64>, Vector3<f64>)> = (0..targets)
        .map(|_| {
            let p = Vector3::new(
                rng.random_range(-1e5..1e5),
                rng.random_range(1e4..1.5e5),
                rng.random_range(1e3..3e4),
            );
            let s = rng.random_range(200.0..3_000.0);
            let h: f64 = rng.random_range(0.0..std::f64::consts::TAU);
            (
                p,
                Vector3::new(s * h.cos(), s * h.sin(), rng.random_range(-300.0..300.0)),
            )
        })
        .collect();
    let mut total = 0;
    for k in 0..scans {
        let t = 2.0 * k as f64;
        let mut zs: Vec<SVector<f64, M>> = targets
            .iter()
            .filter(|_| rng.random_bool(0.8))
            .map(|(p, v)| p + v * t)
            .collect::<Vec<_>>()
            .iter()
            .map(|p| detect(p, &mut rng))
            .collect();
        for _ in 0..clutter {
            let p = Vector3::new(
                rng.random_range(-1.7e5..1.7e5),
                rng.random_range(3e3..1.7e5),
                rng.random_range(0.0..6e4),
            );
            zs.push(detect(&p, &mut rng));
        }
        let used: Vec<bool> = zs.iter().map(|_| rng.random_bool(0.1)).collect();
        let pair_ok = |i: usize, j: usize| !(i * 7 + j * 3).is_multiple_of(11);
        let convert = |z: &SVector<f64, M>| model.inverse_position(z);
        let (cells_a, cells_b): (Vec<OnceCell<Converted>>, Vec<OnceCell<Converted>>) = (
            zs.iter().map(|_| OnceCell::new()).collect(),
            zs.iter().map(|_| OnceCell::new()).collect(),
        );
        let mut got: Vec<Birth<6>> = Vec::new();
        let mut want: Vec<Birth<6>> = Vec::new();
        Initiator::<6, M>::initiate(
            &mut new,
            &Scan::new(t, &zs, &cells_a, &convert),
            &used,
            &start,
            &pair_ok,
            &mut got,
        );
        reference.initiate(
            &Scan::new(t, &zs, &cells_b, &convert),
            &used,
            &start,
            &pair_ok,
            &mut want,
        );
        assert_eq!(got, want, "scan {k}");
        total += got.len();
    }
    total
}

#[test]
fn the_same_births_as_the_reference_from_a_radar() {
    let model = RadarPolar::<6>::new([0.0; 3], 30.0, 2e-3, 2e-3);
    let detect = |p: &Vector3<f64>, rng: &mut ChaCha8Rng| {
        let z = MeasurementModel::<6, 3>::function(
            &model,
            &SVector::<f64, 6>::new(p.x, 0.0, p.y, 0.0, p.z, 0.0),
        );
        z + Vector3::new(
            30.0 * rng.random_range(-1.0..1.0),
            2e-3 * rng.random_range(-1.0..1.0),
            2e-3 * rng.random_range(-1.0..1.0),
        )
    };
    assert!(same_births(model, detect, 1, (40, 30), 200) > 100);
    assert!(same_births(model, detect, 5, (10, 15), 300) > 50);
    assert!(same_births(model, detect, 2, (40, 1_500), 4) > 0);
}

#[test]
fn the_same_births_as_the_reference_from_positions() {
    let model = LinearPosition::<6>::new([50.0; 3]);
    let detect = |p: &Vector3<f64>, rng: &mut ChaCha8Rng| {
        p + Vector3::new(
            50.0 * rng.random_range(-1.0..1.0),
            50.0 * rng.random_range(-1.0..1.0),
            50.0 * rng.random_range(-1.0..1.0),
        )
    };
    assert!(same_births(model, detect, 3, (40, 30), 200) > 100);
    assert!(same_births(model, detect, 6, (10, 15), 300) > 50);
    assert!(same_births(model, detect, 4, (40, 1_500), 4) > 0);
}

/// The measurements of `points` by a radar at the origin, with uniform noise.
fn radar_scan(
    rng: &mut ChaCha8Rng,
    model: &RadarPolar<6>,
    points: &[Vector3<f64>],
) -> Vec<Vector3<f64>> {
    points
        .iter()
        .map(|p| {
            let z = MeasurementModel::<6, 3>::function(
                model,
                &SVector::<f64, 6>::new(p.x, 0.0, p.y, 0.0, p.z, 0.0),
            );
            z + Vector3::new(
                30.0 * rng.random_range(-1.0..1.0),
                2e-3 * rng.random_range(-1.0..1.0),
                2e-3 * rng.random_range(-1.0..1.0),
            )
        })
        .collect()
}

/// Births of `initiator` from `zs` at `t`, every detection unused.
fn births_of(
    initiator: &mut VelocityGatedInitiator<3>,
    model: &RadarPolar<6>,
    t: f64,
    zs: &[Vector3<f64>],
    pair_ok: &dyn Fn(usize, usize) -> bool,
) -> Vec<Birth<6>> {
    let layout = StateLayout {
        position: [0, 2, 4],
        velocity: [1, 3, 5],
    };
    let prior = Gaussian::new(SVector::zeros(), SMatrix::identity());
    let start = TrackStart {
        model,
        layout,
        prior: &prior,
    };
    let convert = |z: &SVector<f64, 3>| MeasurementModel::<6, 3>::inverse_position(model, z);
    let cells: Vec<OnceCell<Converted>> = zs.iter().map(|_| OnceCell::new()).collect();
    let mut births = Vec::new();
    Initiator::<6, 3>::initiate(
        initiator,
        &Scan::new(t, zs, &cells, &convert),
        &vec![false; zs.len()],
        &start,
        pair_ok,
        &mut births,
    );
    births
}

#[test]
fn within_reach_is_true_of_every_pair_the_initiator_starts() {
    // One waiting detection and one new one, from 0 to 20 km apart over a 2 s scan (the
    // reach is 8 km plus the noise): the initiator starts a track exactly when the pair is
    // within reach, and both outcomes occur.
    let model = RadarPolar::<6>::new([0.0; 3], 30.0, 2e-3, 2e-3);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let (mut paired, mut apart) = (0, 0);
    for _ in 0..2_000 {
        let p = Vector3::new(
            rng.random_range(-1e5..1e5),
            rng.random_range(5e3..1.5e5),
            rng.random_range(1e3..4e4),
        );
        let dir = Vector3::new(
            rng.random_range(-1.0..1.0),
            rng.random_range(-1.0..1.0),
            rng.random_range(-1.0..1.0),
        )
        .normalize();
        let q = p + dir * rng.random_range(0.0..2e4);
        let zs = radar_scan(&mut rng, &model, &[p, q]);
        let mut init = VelocityGatedInitiator::<3>::new(4_000.0, MofNInitiator { m: 3, n: 3 });
        births_of(&mut init, &model, 0.0, &zs[..1], &|_, _| true);
        let born = births_of(&mut init, &model, 2.0, &zs[1..], &|_, _| true).len();
        let reach = init.within_reach::<6, _>(&model, (0.0, &zs[0]), (2.0, &zs[1]));
        assert_eq!(born == 1, reach, "{p:?} → {q:?}");
        if reach {
            paired += 1;
        } else {
            apart += 1;
        }
        // Never within reach backwards in time or at the same instant.
        assert!(!init.within_reach::<6, _>(&model, (2.0, &zs[0]), (2.0, &zs[1])));
    }
    assert!(
        paired > 200 && apart > 200,
        "{paired} paired, {apart} apart"
    );
}

#[test]
fn a_held_scan_handed_over_starts_the_same_tracks_as_one_taken() {
    // Scan 1 is taken by one initiator and handed over to the other by `wait_with` (after
    // both took scan 0, whose waiting detections the hand-over must forget); scan 2 then
    // starts the same tracks in both.
    let model = RadarPolar::<6>::new([0.0; 3], 30.0, 2e-3, 2e-3);
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut started = 0;
    for round in 0..50 {
        let targets: Vec<(Vector3<f64>, Vector3<f64>)> = (0..20)
            .map(|_| {
                (
                    Vector3::new(
                        rng.random_range(-1e5..1e5),
                        rng.random_range(1e4..1.5e5),
                        rng.random_range(1e3..3e4),
                    ),
                    Vector3::new(
                        rng.random_range(-2e3..2e3),
                        rng.random_range(-2e3..2e3),
                        rng.random_range(-3e2..3e2),
                    ),
                )
            })
            .collect();
        let scan = |rng: &mut ChaCha8Rng, t: f64| {
            let points: Vec<Vector3<f64>> = targets
                .iter()
                .filter(|_| rng.random_bool(0.7))
                .map(|(p, v)| p + v * t)
                .collect();
            radar_scan(rng, &model, &points)
        };
        let (z0, z1, z2) = (
            scan(&mut rng, 0.0),
            scan(&mut rng, 2.0),
            scan(&mut rng, 4.0),
        );
        let pair_ok = |i: usize, j: usize| !(i * 5 + j).is_multiple_of(7);
        let mut taken = VelocityGatedInitiator::<3>::new(4_000.0, MofNInitiator { m: 3, n: 3 });
        let mut held = VelocityGatedInitiator::<3>::new(4_000.0, MofNInitiator { m: 3, n: 3 });
        births_of(&mut taken, &model, 0.0, &z0, &pair_ok);
        births_of(&mut held, &model, 0.0, &z0, &pair_ok);
        // A scan is held back only when it could start nothing: here an empty scan first
        // makes scan 1 start nothing in the initiator that takes it.
        births_of(&mut taken, &model, 2.0, &[], &pair_ok);
        births_of(&mut taken, &model, 2.0, &z1, &pair_ok);
        let convert = |z: &SVector<f64, 3>| MeasurementModel::<6, 3>::inverse_position(&model, z);
        let cells: Vec<OnceCell<Converted>> = z1.iter().map(|_| OnceCell::new()).collect();
        Initiator::<6, 3>::wait_with(&mut held, &Scan::new(2.0, &z1, &cells, &convert), &model);
        let want = births_of(&mut taken, &model, 4.0, &z2, &pair_ok);
        let got = births_of(&mut held, &model, 4.0, &z2, &pair_ok);
        assert_eq!(got, want, "round {round}");
        started += got.len();
    }
    assert!(started > 100, "{started} tracks started");
}
