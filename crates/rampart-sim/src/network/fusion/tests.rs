use super::*;
use rampart_core::random::RandomStreams;
use rand_distr::{Distribution, StandardNormal};

fn sensor(i: usize) -> SensorId {
    SensorId::from_index(i)
}

/// A covariance with standard deviations `pos` (m, per ECEF axis) and `vel` (m/s).
fn diag(pos: [f64; 3], vel: [f64; 3]) -> Covariance {
    let mut p = Covariance::zeros();
    for i in 0..3 {
        p[(i, i)] = pos[i] * pos[i];
        p[(i + 3, i + 3)] = vel[i] * vel[i];
    }
    p
}

/// A target 6,400 km from the Earth's centre (near the surface), moving at 1 km/s; not
/// ballistic, so the prediction is constant velocity.
fn truth() -> State {
    State::from([6.4e6, 1.0e5, 2.0e5, 100.0, 1_000.0, -50.0])
}

fn local(id: u64, t_s: f64, x: State, p: Covariance) -> LocalTrack {
    LocalTrack {
        id,
        t_s,
        x,
        p,
        updated: true,
        inverse_beta: 0.0,
        inverse_beta_var: 0.0,
        ballistic_probability: 0.0,
        process_noise: PREDICTION_NOISE,
        revisit_s: 1.0,
        received_s: t_s,
    }
}

/// Two radars looking at one target from the side: each is precise along its line of sight
/// and poor across it. Their errors share a common part (the target's manoeuvre both
/// trackers smoothed), with correlation `rho` on every component. Returns the mean NEES of
/// the covariance intersection, of the fusion that assumes independence, and the mean squared
/// position errors of A, B and the intersection.
fn fuse_trials(rho: f64, trials: usize) -> ([f64; 2], [f64; 3]) {
    let pa = diag([30.0, 600.0, 600.0], [3.0, 40.0, 40.0]);
    let pb = diag([600.0, 30.0, 600.0], [40.0, 3.0, 40.0]);
    let la = pa.cholesky().expect("positive definite").l();
    let lb = pb.cholesky().expect("positive definite").l();
    let mut rng = RandomStreams::new(7, 0).stream("fusion-test", "errors");
    let mut nees = [0.0; 2];
    let mut err2 = [0.0; 3];
    let x = truth();
    for _ in 0..trials {
        let mut draw = || State::from_fn(|_, _| StandardNormal.sample(&mut rng));
        let (common, ua, ub) = (draw(), draw(), draw());
        // Each error is N(0, P) with correlation rho between A's and B's standardised parts.
        let ea = la * (common * rho.sqrt() + ua * (1.0 - rho).sqrt());
        let eb = lb * (common * rho.sqrt() + ub * (1.0 - rho).sqrt());
        let (a, b) = (x + ea, x + eb);
        let (f, pf) = covariance_intersection(&a, &pa, &b, &pb).expect("fusable");
        let e = f - x;
        nees[0] += e.dot(&pf.cholesky().expect("pd").solve(&e));
        // The fusion that assumes independence: P = (A⁻¹ + B⁻¹)⁻¹.
        let ia = pa.try_inverse().expect("invertible");
        let ib = pb.try_inverse().expect("invertible");
        let pn = (ia + ib).try_inverse().expect("invertible");
        let en = pn * (ia * a + ib * b) - x;
        nees[1] += en.dot(&pn.cholesky().expect("pd").solve(&en));
        let pos2 = |e: &State| e.fixed_rows::<3>(0).norm_squared();
        err2[0] += pos2(&ea);
        err2[1] += pos2(&eb);
        err2[2] += pos2(&e);
    }
    let n = trials as f64;
    (nees.map(|v| v / n), err2.map(|v| v / n))
}

/// Upper 97.5 % bound of the mean NEES over `n` trials of a `dof`-dimensional state: the χ²
/// quantile with n·dof degrees of freedom over n, by the Wilson–Hilferty approximation
/// (Bar-Shalom, Li and Kirubarajan, "Estimation with Applications to Tracking and
/// Navigation", 2001, §5.4.2, for the test itself).
fn nees_upper(n: usize, dof: usize) -> f64 {
    let k = (n * dof) as f64;
    let z = 1.959_964;
    let c = 2.0 / (9.0 * k);
    k * (1.0 - c + z * c.sqrt()).powi(3) / n as f64
}

#[test]
fn intersection_of_two_radars_is_more_accurate_than_either_and_consistent() {
    let n = 2_000;
    let (nees, err2) = fuse_trials(0.0, n);
    // More accurate than either radar alone: each is poor across its line of sight.
    assert!(err2[2] < 0.5 * err2[0].min(err2[1]), "{err2:?}");
    // Consistent: the mean NEES is no more than its χ² bound (conservative: below 6).
    assert!(nees[0] <= nees_upper(n, 6), "CI NEES {}", nees[0]);
    assert!(nees[0] > 1.0, "CI NEES {} is implausibly small", nees[0]);
}

#[test]
fn intersection_stays_consistent_where_fusing_as_independent_does_not() {
    // Strongly correlated errors: the naive fusion claims more than it knows.
    let n = 2_000;
    let (nees, _) = fuse_trials(0.8, n);
    assert!(nees[0] <= nees_upper(n, 6), "CI NEES {}", nees[0]);
    assert!(nees[1] > nees_upper(n, 6), "independent NEES {}", nees[1]);
}

#[test]
fn intersection_keeps_the_better_estimate_when_the_other_adds_nothing() {
    let x = truth();
    let pa = diag([10.0; 3], [1.0; 3]);
    let pb = diag([10_000.0; 3], [1_000.0; 3]);
    let (f, pf) = covariance_intersection(&x, &pa, &(x * 1.001), &pb).expect("fusable");
    assert!((pf.determinant() / pa.determinant() - 1.0).abs() < 1e-3);
    assert!((f - x).norm() < 1.0);
    // A covariance that is not positive definite is refused.
    assert!(covariance_intersection(&x, &Covariance::zeros(), &x, &pb).is_none());
}

#[test]
fn prediction_carries_the_state_and_grows_the_covariance() {
    let mut l = local(1, 10.0, truth(), diag([50.0; 3], [5.0; 3]));
    let (x, p) = l.predict(12.0);
    assert!((x[0] - (6.4e6 + 200.0)).abs() < 1e-6);
    assert!((x[1] - (1.0e5 + 2_000.0)).abs() < 1e-6);
    // Position variance: 50² + 5²·2² + q·2³/3.
    let want = 2_500.0 + 100.0 + PREDICTION_NOISE * 8.0 / 3.0;
    assert!((p[(0, 0)] - want).abs() < 1e-6, "{}", p[(0, 0)]);
    // A ballistic target falls: 9.74 m/s² at this radius, 19.5 m in 2 s.
    l.ballistic_probability = 1.0;
    let (xb, _) = l.predict(12.0);
    let r = truth().fixed_rows::<3>(0).norm();
    let g = MU / (r * r);
    let fall = (x - xb).fixed_rows::<3>(0).norm();
    assert!((fall - 0.5 * g * 4.0).abs() < 1e-6, "{fall}");
}

fn report(s: usize, t_s: f64, tracks: Vec<LocalTrack>) -> TrackReport {
    TrackReport {
        sensor: sensor(s),
        t_s,
        tracks,
    }
}

#[test]
fn tracks_of_two_sensors_on_one_object_form_one_system_track() {
    let p = diag([100.0; 3], [10.0; 3]);
    let x = truth();
    let far = x + State::from([50_000.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let mut node = Node::default();
    let c1 = node.receive(
        &report(0, 1.0, vec![local(4, 1.0, x, p), local(5, 1.0, far, p)]),
        1.5,
    );
    assert_eq!(
        c1,
        vec![
            (1, Change::Initiated(sensor(0))),
            (2, Change::Initiated(sensor(0)))
        ]
    );
    // Sensor 1 sees the first object 300 m off, a second later.
    let (x1, _) = local(4, 1.0, x, p).predict(2.0);
    let near = x1 + State::from([300.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let c2 = node.receive(&report(1, 2.0, vec![local(9, 2.0, near, p)]), 2.5);
    assert_eq!(c2, vec![(1, Change::Joined(sensor(1)))]);
    let fused = node
        .track(1)
        .expect("held")
        .estimate(2.0)
        .expect("an estimate");
    assert_eq!(fused.sensors, vec![sensor(0), sensor(1)]);
    // Sensor 0 drops its first track: the system track keeps its number on sensor 1.
    let c3 = node.receive(&report(0, 3.0, vec![local(5, 3.0, far, p)]), 3.5);
    assert_eq!(c3, vec![(1, Change::Left(sensor(0)))]);
    assert_eq!(node.track(1).expect("kept").sources.len(), 1);
    // The timeout counts from a report's arrival, not from its estimate's time: a report
    // 9 s old on arrival is kept for the timeout after it.
    assert!(node.prune(12.4, |_| 10.0).is_empty());
    // Nothing from sensor 1 for longer than the timeout: the system track is dropped.
    let c4 = node.prune(12.6, |_| 10.0);
    assert!(c4.contains(&(1, Change::Left(sensor(1)))));
    assert!(c4.contains(&(1, Change::Dropped)));
    assert!(node.track(1).is_none());
}

#[test]
fn reports_arriving_out_of_order_give_the_same_picture() {
    let x = truth();
    let at = |t: f64, pos: f64| {
        let (y, _) = local(1, 0.0, x, diag([1.0; 3], [1.0; 3])).predict(t);
        y + State::from([pos, -pos, 0.5 * pos, 0.0, 0.0, 0.0])
    };
    let reports = [
        report(
            0,
            1.0,
            vec![local(
                1,
                1.0,
                at(1.0, 40.0),
                diag([200.0, 30.0, 300.0], [20.0; 3]),
            )],
        ),
        report(
            1,
            1.5,
            vec![local(
                7,
                1.5,
                at(1.5, -60.0),
                diag([30.0, 250.0, 200.0], [15.0; 3]),
            )],
        ),
        report(
            0,
            2.0,
            vec![local(
                1,
                2.0,
                at(2.0, 25.0),
                diag([150.0, 25.0, 250.0], [18.0; 3]),
            )],
        ),
        report(
            1,
            2.5,
            vec![local(
                7,
                2.5,
                at(2.5, -10.0),
                diag([25.0, 200.0, 150.0], [12.0; 3]),
            )],
        ),
    ];
    let picture = |order: &[usize]| {
        let mut node = Node::default();
        for &i in order {
            node.receive(&reports[i], reports[i].t_s);
        }
        let ids: Vec<u64> = node.tracks().iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![1], "one system track, order {order:?}");
        node.tracks()[0].estimate(3.0).expect("an estimate")
    };
    let in_order = picture(&[0, 1, 2, 3]);
    for order in [[1, 0, 3, 2], [2, 0, 3, 1], [3, 2, 1, 0], [0, 3, 1, 2]] {
        let f = picture(&order);
        assert!((f.x - in_order.x).norm() < 1e-9, "order {order:?}");
        assert!((f.p - in_order.p).norm() < 1e-9, "order {order:?}");
        assert_eq!(f.sensors, in_order.sensors);
    }
}
