//! The defended engagement: intercept planning against brute force, a planned launch meeting
//! its threat, and invariants of whole runs (inventory, envelope, outcomes, determinism).

use crate::common::defended;
use nalgebra::{SVector, Vector3};
use rampart_core::random::RandomStreams;
use rampart_core::{Coordinate, Geodetic};
use rampart_sim::bmc::evaluation::{PathPoint, PredictedPath};
use rampart_sim::bmc::planning::{intercept_for_launch, window};
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::Scenario;
use rampart_sim::summary::{Outcome, RunSummary};
use rampart_sim::threats::flight_plan::{RaidCache, plan};
use rampart_sim::weapons::endgame::{Lethality, closest_approach};
use rampart_sim::weapons::guidance::gravity_compensation;
use rampart_sim::weapons::interceptor::{
    HOMING_TIME_TO_GO_S, InterceptorType, MIDCOURSE_STEP_S, TERMINAL_STEP_S,
};
use std::collections::HashMap;

/// The true flight of threat `member` of raid `raid` as a predicted path (a perfect track),
/// sampled every `dt` seconds, times since the epoch.
fn true_path(s: &Scenario, raid: usize, member: u32, seed: u64, dt: f64) -> PredictedPath {
    let streams = RandomStreams::new(seed, 0);
    let mut cache = RaidCache::default();
    let p = plan(s, raid, member, &streams, &mut cache).expect("flight plan");
    let r = &s.raids[raid];
    let launch = (r.first_launch + r.interval * i64::from(member)).as_secs_f64();
    let n = (p.impact_s / dt) as usize;
    PredictedPath {
        points: (0..=n)
            .filter_map(|k| {
                let ts = k as f64 * dt;
                let (r, v) = p.trajectory.state_at(ts)?;
                Some(PathPoint {
                    t_s: launch + ts,
                    r,
                    v,
                })
            })
            .collect(),
    }
}

/// A raid member that flies as planned with this seed (reliability draws may fail others).
fn flying_member(s: &Scenario, raid: usize, seed: u64) -> u32 {
    let streams = RandomStreams::new(seed, 0);
    (0..s.raids[raid].count)
        .find(|&k| {
            plan(s, raid, k, &streams, &mut RaidCache::default())
                .is_ok_and(|p| p.failure_s.is_none())
        })
        .expect("a member that flies")
}

/// The predicted intercept point for a launch time L is the earliest engageable point p(t)
/// the interceptor reaches in time, L + T(p(t)) ≤ t: the root of t − L − T(p(t)) = 0, or the
/// point where the threat re-enters the envelope if the interceptor would be early there. It
/// must agree with a brute-force search over the path in 1 ms steps.
#[test]
fn predicted_intercept_agrees_with_brute_force() {
    let s = defended();
    let member = flying_member(s, 0, s.seed);
    let path = true_path(s, 0, member, s.seed, 0.5);
    let mut roots = 0;
    for unit in &s.fire_units {
        let group = &unit.launchers[0];
        let ty = &s.interceptor_types[group.interceptor];
        let frame = group.position.local_frame();
        let (w0, w1) = window(&path, &frame, ty).expect("an engagement window");
        assert!(w0 < w1, "window [{w0}, {w1}]");
        // The window's last instant is a single tangent point; stop just short of it.
        for k in 0..10 {
            let launch = w0 + (w1 - w0) * f64::from(k) / 10.0;
            let plan = intercept_for_launch(&path, &frame, ty, launch).expect("intercept");
            // Brute force: the first millisecond of the path at which an engageable point is
            // reached in time.
            let (t_first, t_last) = path.span().unwrap();
            let mut t = t_first.max(launch);
            let mut found = None;
            while t <= t_last {
                let (r, _) = path.at(t).unwrap();
                let e = frame.to_enu(&Coordinate::from_vector3(r));
                let ground = e.x().hypot(e.y());
                let alt = Geodetic::from_ecef(&Coordinate::from_vector3(r)).alt_m;
                if ty.envelope.contains(alt, ground)
                    && let Some(f) = ty.flyout.flyout(e.as_vector3().norm(), e.z().atan2(ground))
                    && launch + f.time_s <= t
                {
                    found = Some((t, t - launch - f.time_s));
                    break;
                }
                t += 1e-3;
            }
            let (t_brute, slack) = found.expect("brute force finds an intercept");
            if slack < 2e-3 {
                roots += 1;
            }
            assert!(
                (plan.intercept_s - t_brute).abs() < 2e-3,
                "{}: launch {launch:.2}: planned intercept {:.4} s, brute force {:.4} s",
                ty.name,
                plan.intercept_s,
                t_brute
            );
        }
    }
    // Both kinds must be exercised: most launches meet the threat at a root of the flyout
    // equation, the rest where it enters the envelope.
    assert!(roots >= 10, "only {roots} exact roots");
}

/// Flies `ty` from `site` at `launch_s` against the true trajectory `truth` with perfect
/// information, as the engine guides: toward the predicted intercept point `aim` in
/// midcourse, then proportional navigation on the true relative state once the seeker has
/// acquired and the time to go is under `HOMING_TIME_TO_GO_S`, with gravity compensation
/// throughout. Returns the time and miss of the
/// closest approach.
fn fly_with_perfect_track(
    ty: &InterceptorType,
    site: &Geodetic,
    launch_s: f64,
    aim: &Vector3<f64>,
    truth: &PredictedPath,
) -> Option<(f64, f64)> {
    let dt = TERMINAL_STEP_S;
    let (r0, v0) = ty.launch_state(site, aim);
    let mut y = SVector::<f64, 6>::zeros();
    y.fixed_rows_mut::<3>(0).copy_from(&r0);
    y.fixed_rows_mut::<3>(3).copy_from(&v0);
    let mut tf = 0.0;
    while tf < ty.max_flight_time_s {
        let t = launch_s + tf;
        let (pt, vt) = truth.at(t)?;
        let (pt1, vt1) = truth.at(t + dt)?;
        let rm = y.fixed_rows::<3>(0).into_owned();
        let vm = y.fixed_rows::<3>(3).into_owned();
        let g = InterceptorType::field(&rm, &vm);
        let tgo = (pt - rm).norm() / (vt - vm).norm().max(1.0);
        let homing = (pt - rm).norm() <= ty.seeker.acquisition_range_m && tgo < HOMING_TIME_TO_GO_S;
        let a = if homing {
            ty.guidance
                .command(&(pt - rm), &(vt - vm), &vm, &Vector3::zeros())
        } else {
            ty.guidance
                .command_to_point(aim, &Vector3::zeros(), &rm, &vm)
        } + gravity_compensation(&g, &vm);
        let y1 = ty.step(tf, &y, &ty.guidance.limit(&a), dt);
        let rm1 = y1.fixed_rows::<3>(0).into_owned();
        let vm1 = y1.fixed_rows::<3>(3).into_owned();
        let (a0, w0, a1, w1) = (pt - rm, vt - vm, pt1 - rm1, vt1 - vm1);
        if a0.dot(&w0) < 0.0 && a1.dot(&w1) >= 0.0 {
            let c = closest_approach(&a0, &w0, &a1, &w1, dt);
            return Some((t + c.tau_s, c.miss_m));
        }
        y = y1;
        tf += dt;
    }
    None
}

/// An interceptor flown under midcourse guidance toward the fixed point `aim` at guidance and
/// integration step `dt`: its position after `until_s` seconds.
fn midcourse_position(
    ty: &InterceptorType,
    site: &Geodetic,
    aim: &Vector3<f64>,
    dt: f64,
    until_s: f64,
) -> Vector3<f64> {
    let (r0, v0) = ty.launch_state(site, aim);
    let mut y = SVector::<f64, 6>::zeros();
    y.fixed_rows_mut::<3>(0).copy_from(&r0);
    y.fixed_rows_mut::<3>(3).copy_from(&v0);
    let steps = (until_s / dt).round() as usize;
    for k in 0..steps {
        let a = ty.midcourse_command(&y, aim, &Vector3::zeros());
        y = ty.step(k as f64 * dt, &y, &a, dt);
    }
    y.fixed_rows::<3>(0).into_owned()
}

/// The midcourse step is converged: through boost, burn-out and the turn toward points low
/// and high, near and far, a flight at `MIDCOURSE_STEP_S` stays within a metre of the same
/// flight at a twentieth of it (a step-refinement convergence check; the guidance command is
/// held over each step, so this bounds the guidance sampling error as well as the integration
/// error; the worst case is a few centimetres). A metre is under a millisecond of flight at the interceptors' speeds, against the
/// 1 % timing accuracy of the flyout table and a seeker basket of kilometres.
#[test]
fn the_midcourse_step_is_converged() {
    let s = defended();
    let mut checked = 0;
    for unit in &s.fire_units {
        let group = &unit.launchers[0];
        let ty = &s.interceptor_types[group.interceptor];
        let frame = group.position.local_frame();
        for (range_m, el_deg) in [(8_000.0, 15.0), (20_000.0, 40.0), (30_000.0, 70.0)] {
            let el: f64 = f64::to_radians(el_deg);
            let aim = *frame
                .to_ecef(&Coordinate::new(
                    range_m * el.cos() * 0.6,
                    range_m * el.cos() * 0.8,
                    range_m * el.sin(),
                ))
                .as_vector3();
            for until_s in [4.0, 10.0, 16.0] {
                let coarse =
                    midcourse_position(ty, &group.position, &aim, MIDCOURSE_STEP_S, until_s);
                let fine =
                    midcourse_position(ty, &group.position, &aim, MIDCOURSE_STEP_S / 20.0, until_s);
                let d = (coarse - fine).norm();
                assert!(
                    d < 1.0,
                    "{} toward {range_m} m at {el_deg}°, {until_s} s: {d:.3} m apart",
                    ty.name
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 18);
}

/// With perfect tracks, an interceptor launched at the planned time meets the threat within
/// 1 % of the planned flight time (the flyout table is built from the same flight model), and
/// with a small miss.
#[test]
fn a_planned_launch_meets_its_threat_on_time() {
    let s = defended();
    let member = flying_member(s, 0, s.seed);
    let path = true_path(s, 0, member, s.seed, 0.05);
    let mut checked = 0;
    for unit in &s.fire_units {
        let group = &unit.launchers[0];
        let ty = &s.interceptor_types[group.interceptor];
        let frame = group.position.local_frame();
        let (w0, w1) = window(&path, &frame, ty).expect("an engagement window");
        for k in 0..6 {
            let launch = w0 + (w1 - w0) * (0.05 + 0.9 * f64::from(k) / 5.0);
            let Some(p) = intercept_for_launch(&path, &frame, ty, launch) else {
                continue;
            };
            // A launch whose intercept falls where the threat re-enters the envelope (past
            // the minimum-range hole over the launcher) arrives early by design: not a root.
            let e = frame.to_enu(&Coordinate::from_vector3(p.point));
            let ground = e.x().hypot(e.y());
            let table = ty
                .flyout
                .flyout(e.as_vector3().norm(), e.z().atan2(ground))
                .unwrap();
            if (table.time_s - p.flight_s()).abs() > 0.01 {
                continue;
            }
            let (t_cpa, miss) =
                fly_with_perfect_track(ty, &group.position, launch, &p.point, &path)
                    .expect("the interceptor reaches its threat");
            let planned = p.flight_s();
            let flown = t_cpa - launch;
            assert!(
                (flown - planned).abs() <= 0.01 * planned,
                "{}: planned {planned:.2} s, flown {flown:.2} s (launch {launch:.1})",
                ty.name
            );
            // Homing starts 3 s before the intercept; a flight much shorter than that (a late
            // launch at the edge of the window) has too little of it to null the last tens of
            // metres.
            if planned > 10.0 {
                assert!(miss < 1.0, "{}: miss {miss:.2} m", ty.name);
            }
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} launches checked");
}

fn runs(s: &Scenario, n: u64) -> Vec<Vec<Event>> {
    (0..n)
        .map(|k| {
            let mut o = RunOptions::seed(s.seed);
            o.replication = k;
            run(s, o).expect("run")
        })
        .collect()
}

/// Over many replications: no launcher fires more rounds than it holds, every planned
/// intercept lies inside the interceptor's envelope, every interceptor launch follows a plan,
/// a destroyed threat never impacts, leaks are impacts on defended assets, and hit-to-kill
/// kills happen exactly inside the lethal radius.
#[test]
fn runs_respect_inventory_envelope_and_lethality() {
    let s = defended();
    let mut intercepts = 0;
    for events in runs(s, 12) {
        let mut launched: HashMap<String, u32> = HashMap::new();
        let mut planned: HashMap<String, u32> = HashMap::new();
        let mut killed: Vec<String> = Vec::new();
        for e in &events {
            match &e.kind {
                EventKind::EngagementPlanned {
                    fire_unit,
                    launcher,
                    shots,
                    alt_m,
                    ground_range_m,
                    launch_s,
                    window_s,
                    ..
                } => {
                    let unit = s.fire_units.iter().find(|u| &u.name == fire_unit).unwrap();
                    let ty = &s.interceptor_types[unit.launchers[0].interceptor];
                    assert!(
                        ty.envelope.contains(*alt_m, *ground_range_m),
                        "planned outside the envelope: {alt_m} m, {ground_range_m} m"
                    );
                    assert!(
                        window_s[0] <= *launch_s && *launch_s <= window_s[1],
                        "launch outside the window"
                    );
                    *planned.entry(fire_unit.clone()).or_default() += shots;
                    assert!(launcher.starts_with(fire_unit.as_str()));
                }
                EventKind::InterceptorLaunch {
                    launcher,
                    fire_unit,
                    ..
                } => {
                    *launched.entry(launcher.clone()).or_default() += 1;
                    let before = planned.get(fire_unit).copied().unwrap_or(0);
                    assert!(before > 0, "a launch without a plan");
                }
                EventKind::Intercept {
                    interceptor,
                    threat,
                    miss_m,
                    pk,
                    kill,
                    ..
                } => {
                    intercepts += 1;
                    assert!(*miss_m >= 0.0);
                    let unit = s
                        .fire_units
                        .iter()
                        .find(|u| interceptor.starts_with(&format!("{}/", u.name)))
                        .unwrap();
                    let ty = &s.interceptor_types[unit.launchers[0].interceptor];
                    if let Lethality::HitToKill { lethal_radius_m } = ty.lethality {
                        // Pk is 1 inside the radius for a working interceptor, 0 outside.
                        if *miss_m > lethal_radius_m {
                            assert_eq!(*pk, 0.0);
                        }
                        if *kill {
                            assert!(*miss_m <= lethal_radius_m);
                        }
                    }
                    if *kill {
                        assert!(*pk > 0.0);
                        killed.push(threat.clone());
                    }
                }
                EventKind::Impact { threat, .. } => {
                    assert!(!killed.contains(threat), "{threat} impacted after its kill");
                }
                EventKind::Leak { asset, .. } => {
                    let a = s.assets.iter().position(|x| &x.name == asset).unwrap();
                    assert!(s.fire_units.iter().any(|u| u.defends.contains(&a)));
                }
                _ => {}
            }
        }
        // Inventory: no launcher fires more than it holds.
        for unit in &s.fire_units {
            for (k, g) in unit
                .launchers
                .iter()
                .flat_map(|g| std::iter::repeat_n(g, g.count as usize))
                .enumerate()
            {
                let name = format!("{}/L{}", unit.name, k + 1);
                let n = launched.get(&name).copied().unwrap_or(0);
                assert!(n <= g.rounds * (1 + g.reloads), "{name} fired {n}");
            }
        }
        let summary = RunSummary::from_events(s, s.seed, &events);
        for t in &summary.threats {
            assert_eq!(t.outcome == Outcome::Intercepted, t.intercept.is_some());
        }
        for (u, fu) in summary.fire_units.iter().zip(&s.fire_units) {
            let held: u32 = fu
                .launchers
                .iter()
                .map(|l| l.count * l.rounds * (1 + l.reloads))
                .sum();
            assert_eq!(u.interceptors_launched + u.interceptors_left, held);
        }
    }
    assert!(intercepts > 20, "only {intercepts} intercepts in 12 runs");
}

/// The defense saves the base: over replications, far fewer hits on Al Asad than the
/// undefended raid's, and runs are reproducible.
#[test]
fn the_defense_saves_the_base_and_runs_repeat() {
    let s = defended();
    let all = runs(s, 8);
    let mut hits = 0;
    let mut threats_at_base = 0;
    for events in &all {
        let summary = RunSummary::from_events(s, s.seed, events);
        hits += summary.assets[0].hits;
        threats_at_base += summary
            .threats
            .iter()
            .filter(|t| t.aim.lat > 33.7 && t.aim.lat < 33.9)
            .filter(|t| t.outcome != Outcome::Failed)
            .count();
    }
    assert!(threats_at_base > 40);
    assert!(
        f64::from(hits) < 0.3 * threats_at_base as f64,
        "{hits} hits of {threats_at_base} flying threats"
    );
    let again = run(s, RunOptions::seed(s.seed)).unwrap();
    assert_eq!(again, all[0], "same seed and replication, same events");
    assert_ne!(all[0], all[1], "replications differ");
}

/// Priority is the value at risk per second left: a threat twice as close in time to the
/// same asset is twice as urgent; one threatening nothing has none.
#[test]
fn priority_is_value_at_risk_per_second_left() {
    use rampart_sim::bmc::evaluation::{Evaluation, ThreatClass};
    let s = defended();
    let assets: Vec<usize> = (0..s.assets.len()).collect();
    let eval = |p: f64, tgo: f64| {
        let mut p_hit = vec![0.0; s.assets.len()];
        p_hit[0] = p;
        let mut t_hit_s = vec![f64::INFINITY; s.assets.len()];
        t_hit_s[0] = 100.0 + tgo;
        Evaluation {
            t_s: 100.0,
            class: ThreatClass::Ballistic,
            path: PredictedPath::default(),
            impact: None,
            p_hit,
            t_hit_s,
        }
    };
    let v0 = s.assets[0].value;
    let far = eval(0.5, 40.0).priority(s, &assets);
    let near = eval(0.5, 20.0).priority(s, &assets);
    assert!((far - 0.5 * v0 / 40.0).abs() < 1e-12);
    assert!((near - 2.0 * far).abs() < 1e-12);
    // At most the value at risk per second, however close.
    assert!((eval(0.5, 0.1).priority(s, &assets) - 0.5 * v0).abs() < 1e-12);
    assert_eq!(eval(0.0, 10.0).priority(s, &assets), 0.0);
}
