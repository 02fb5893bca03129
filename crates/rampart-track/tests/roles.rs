//! The tracker as a composition of roles: roles given explicitly track exactly as the ones a
//! configuration names, and a role written outside the crate plugs in without touching it.

use crate::tracker::{CvTracker, config, cv_tracker, scene};
use nalgebra::{SMatrix, SVector, Vector3};
use rampart_track::associator::{Associator, GnnAssociator, JpdaAssociator, TrackUpdates};
use rampart_track::deleter::MissedScansDeleter;
use rampart_track::filter::KalmanFilter;
use rampart_track::hypothesiser::DistanceHypothesiser;
use rampart_track::initiator::{
    Initiator, MofNInitiator, OnePointInitiator, TwoPointInitiator, VelocityGatedInitiator,
};
use rampart_track::metrics::GospaMetric;
use rampart_track::models::measurement::{LinearPosition, position_indices, velocity_indices};
use rampart_track::models::transition::ConstantVelocity;
use rampart_track::predictor::KalmanPredictor;
use rampart_track::tracker::{Association, Initiation, Roles, StateLayout, Tracker};
use rampart_track::types::{Gaussian, Hypothesis};
use rampart_track::updater::KalmanUpdater;

type Cv = KalmanFilter<KalmanPredictor<ConstantVelocity>, KalmanUpdater<LinearPosition<6>>>;

/// A tracker of the constant-velocity filter of `cv_tracker` (σ = 50 m) with `roles`.
fn with_roles<A: Associator<6, 3>, I: Initiator<6, 3>>(
    associator: A,
    initiator: I,
) -> Tracker<6, 3, Cv, LinearPosition<6>, DistanceHypothesiser, A, I, MissedScansDeleter> {
    let m = LinearPosition::<6>::new([50.0; 3]);
    Tracker::with_roles(
        KalmanFilter::new(
            KalmanPredictor::new(ConstantVelocity::new(1.0)),
            KalmanUpdater::new(m),
        ),
        m,
        StateLayout {
            position: position_indices::<6>(),
            velocity: velocity_indices::<6>(),
        },
        Gaussian::new(SVector::zeros(), SMatrix::zeros()),
        Roles {
            hypothesiser: DistanceHypothesiser::new(0.999, 3),
            associator,
            initiator,
            deleter: MissedScansDeleter {
                max_misses: 3,
                max_position_variance_m2: 1e8,
            },
        },
    )
}

/// Ten targets in clutter, every association and initiation: a tracker given its roles as
/// concrete types holds exactly the tracks (estimates, ids, counts, bit for bit) of the one
/// `Tracker::new` configures from the same settings.
#[test]
fn explicit_roles_track_exactly_as_configured_ones() {
    let s = scene(10, 30, 0.9, 20.0, 50.0, 5);
    let density = 20.0 / ((20_000.0 * 10f64.cbrt() + 10_000.0).powi(2) * 11_000.0);
    let confirmation = MofNInitiator { m: 3, n: 3 };
    let initiations = [
        Initiation::OnePoint {
            velocity_sigma: 300.0,
        },
        Initiation::TwoPoint {
            velocity_sigma: 300.0,
        },
        Initiation::VelocityGated { max_speed: 400.0 },
    ];
    for association in [Association::Gnn, Association::Jpda] {
        for initiation in initiations {
            let mut cfg = config(association, density);
            cfg.initiation = initiation;
            let mut configured: CvTracker = cv_tracker(cfg, 50.0);
            let (pd, pg) = (cfg.pd, cfg.gate_probability);
            let gnn = GnnAssociator {
                pd,
                gate_probability: pg,
                clutter_density: density,
            };
            let jpda = JpdaAssociator {
                pd,
                gate_probability: pg,
                clutter_density: density,
            };
            let confirmed;
            macro_rules! compare {
                ($explicit:expr) => {{
                    let mut explicit = $explicit;
                    for (k, z) in s.scans.iter().enumerate() {
                        configured.step(k as f64, z);
                        explicit.step(k as f64, z);
                        assert_eq!(
                            configured.tracks(),
                            explicit.tracks(),
                            "{association:?}, {initiation:?}, scan {k}"
                        );
                    }
                    confirmed = configured.confirmed().count();
                }};
            }
            let velocity_sigma = 300.0;
            match (association, initiation) {
                (Association::Gnn, Initiation::OnePoint { .. }) => compare!(with_roles(
                    gnn,
                    OnePointInitiator {
                        velocity_sigma,
                        confirmation
                    }
                )),
                (Association::Gnn, Initiation::TwoPoint { .. }) => compare!(with_roles(
                    gnn,
                    TwoPointInitiator {
                        velocity_sigma,
                        confirmation
                    }
                )),
                (Association::Gnn, Initiation::VelocityGated { .. }) => compare!(with_roles(
                    gnn,
                    VelocityGatedInitiator::<3>::new(400.0, confirmation)
                )),
                (Association::Jpda, Initiation::OnePoint { .. }) => compare!(with_roles(
                    jpda,
                    OnePointInitiator {
                        velocity_sigma,
                        confirmation
                    }
                )),
                (Association::Jpda, Initiation::TwoPoint { .. }) => compare!(with_roles(
                    jpda,
                    TwoPointInitiator {
                        velocity_sigma,
                        confirmation
                    }
                )),
                (Association::Jpda, Initiation::VelocityGated { .. }) => compare!(with_roles(
                    jpda,
                    VelocityGatedInitiator::<3>::new(400.0, confirmation)
                )),
            }
            assert!(
                confirmed >= 8,
                "{association:?}, {initiation:?}: {confirmed} confirmed tracks at the end"
            );
        }
    }
}

/// Greedy nearest neighbour, written here, outside the crate, as docs/extending.md writes
/// it: hypotheses in order of distance, each track and detection used at most once.
#[derive(Clone, Copy, Debug, Default)]
struct NearestNeighbourAssociator;

impl<const N: usize, const M: usize> Associator<N, M> for NearestNeighbourAssociator {
    fn associate<U: TrackUpdates<N, M>>(
        &mut self,
        hypotheses: &[Hypothesis],
        tracks: &mut U,
        used: &mut [bool],
    ) {
        let mut order: Vec<&Hypothesis> = hypotheses.iter().collect();
        order.sort_by(|a, b| a.distance2.total_cmp(&b.distance2));
        let mut taken = vec![false; tracks.count()];
        for h in order {
            if !taken[h.track] && !used[h.detection] {
                taken[h.track] = true;
                used[h.detection] = true;
                tracks.update(h.track, h.detection);
            }
        }
    }
}

/// The twenty well-separated targets in clutter that GNN and JPDA hold (tests/tracker.rs),
/// with the associator above: after the confirmation delay the mean GOSPA (c = 1 km, p = 2)
/// stays well below what one missed target costs (c/√2 ≈ 707 m), and the tracks are the
/// targets' (at least 18 of 20 held at the end).
#[test]
fn an_associator_written_outside_the_crate_plugs_in() {
    let s = scene(20, 60, 0.9, 20.0, 50.0, 7);
    let mut tracker = with_roles(
        NearestNeighbourAssociator,
        OnePointInitiator {
            velocity_sigma: 300.0,
            confirmation: MofNInitiator { m: 3, n: 3 },
        },
    );
    let gospa = GospaMetric::new(2.0, 1_000.0, 2.0).unwrap();
    let mut total = 0.0;
    let mut held = 0;
    for (k, z) in s.scans.iter().enumerate() {
        tracker.step(k as f64, z);
        let est: Vec<Vector3<f64>> = tracker
            .confirmed()
            .map(|t| {
                let x = &t.state.state.mean;
                Vector3::new(x[0], x[2], x[4])
            })
            .collect();
        let truth: Vec<Vector3<f64>> = s.truth[k].iter().map(|(p, _)| *p).collect();
        if k >= 5 {
            total += gospa.compute(&truth, &est).distance;
        }
        held = truth
            .iter()
            .filter(|p| est.iter().any(|e| (e - *p).norm() < 200.0))
            .count();
    }
    let mean = total / 55.0;
    assert!(mean < 400.0, "mean GOSPA {mean} m");
    assert!(held >= 18, "{held} of 20 targets held at the end");
}
