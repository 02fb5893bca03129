//! Hardening: every iterative solver ends, whatever its input.
//!
//! Each solver is called directly with hostile but finite (or plainly invalid) input: spans
//! that are huge, not finite or below the resolution of the time, steps that cannot move time
//! on, forces that turn to NaN, launch points ten million metres underground or a billion
//! metres up, a radar that rescans without time passing. Each call must return, an error or a
//! finite, bounded result, within a watchdog's time limit, and never panic. Before these
//! bounds, the calls marked "spun" below never returned (or ran out of memory), and the one
//! marked "panicked" overflowed `SimTime` arithmetic.

use nalgebra::{SVector, Vector3};
use rampart_core::{Geodetic, SimDuration};
use rampart_sim::engine::{EngineError, RunOptions, run};
use rampart_sim::physics::atmosphere::Air;
use rampart_sim::physics::drag::DragProfile;
use rampart_sim::physics::earth::EarthModel;
use rampart_sim::physics::flight::{FlightError, FlightOptions, State, Vehicle, fly};
use rampart_sim::physics::integrator::{
    DormandPrince45, Dynamics, Flow, IntegrationError, Tolerances,
};
use rampart_sim::scenario::{Scenario, parse};
use rampart_sim::threats::airbreather::{
    AirBreatherType, AirClass, MAX_DIVE_STEPS, MAX_ROUTE_STEPS, RouteError, fly_route,
};
use rampart_sim::threats::ballistic::{self, BallisticType, TrajectoryShape};
use rampart_sim::weapons::interceptor::FlyoutTable;
use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on its own thread and returns its result, failing the test if it has not returned
/// within `secs` seconds (an unbounded solver would never return) or if it panicked.
fn within<T: Send + 'static>(what: &str, secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: no answer after {secs} s: the solver is not bounded")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

/// How long a bounded call may take here, s: the slowest takes a few seconds on a loaded
/// machine.
const LIMIT_S: u64 = 120;

/// The harmonic oscillator.
struct Oscillator;
impl Dynamics<2> for Oscillator {
    fn eom(&self, _t: f64, y: &SVector<f64, 2>) -> SVector<f64, 2> {
        SVector::<f64, 2>::new(y[1], -y[0])
    }
}

/// The oscillator until `t = after`, then a force that is not a number.
struct NanAfter(f64);
impl Dynamics<2> for NanAfter {
    fn eom(&self, t: f64, y: &SVector<f64, 2>) -> SVector<f64, 2> {
        if t > self.0 {
            SVector::<f64, 2>::new(f64::NAN, f64::NAN)
        } else {
            SVector::<f64, 2>::new(y[1], -y[0])
        }
    }
}

fn integrate_oscillator(
    tol: Tolerances,
    t0: f64,
    t_end: f64,
) -> Result<(f64, SVector<f64, 2>), IntegrationError> {
    DormandPrince45::new(tol).integrate(
        &Oscillator,
        t0,
        SVector::<f64, 2>::new(1.0, 0.0),
        t_end,
        0.0,
        |_| Flow::Continue,
    )
}

/// An end (or start) that is not finite is refused at once. (Spun: a NaN or infinite end was
/// never reached.)
#[test]
fn integrator_refuses_a_span_that_is_not_finite() {
    for (t0, t_end) in [
        (0.0, f64::NAN),
        (0.0, f64::INFINITY),
        (0.0, f64::NEG_INFINITY),
        (f64::NAN, 10.0),
        (f64::NEG_INFINITY, 10.0),
    ] {
        let r = within("integrating to a non-finite end", LIMIT_S, move || {
            integrate_oscillator(Tolerances::default(), t0, t_end)
        });
        assert!(
            matches!(r, Err(IntegrationError::InvalidSpan { .. })),
            "{t0} → {t_end}: {r:?}"
        );
    }
}

/// A finite but enormous span gives up after the step cap. (Spun: 10³⁰⁰ s at 30 s a step.)
#[test]
fn integrator_gives_up_on_a_huge_span() {
    let r = within("integrating over 1e300 s", LIMIT_S, || {
        integrate_oscillator(Tolerances::default(), 0.0, 1e300)
    });
    assert!(
        matches!(r, Err(IntegrationError::TooManySteps { t }) if t.is_finite() && t > 0.0),
        "{r:?}"
    );
}

/// Steps that cannot move the time on are refused: a start so late that a 30 s step is lost to
/// rounding, a largest step of zero. (Both spun: accepted steps of zero length.)
#[test]
fn integrator_refuses_steps_that_do_not_move_time() {
    let r = within("integrating from t = 1e20 s", LIMIT_S, || {
        integrate_oscillator(Tolerances::default(), 1e20, 1e20 + 1e9)
    });
    assert!(
        matches!(r, Err(IntegrationError::StepTooSmall { .. })),
        "{r:?}"
    );
    let r = within("integrating with max_step 0", LIMIT_S, || {
        integrate_oscillator(
            Tolerances {
                max_step: 0.0,
                ..Tolerances::default()
            },
            0.0,
            10.0,
        )
    });
    assert!(
        matches!(r, Err(IntegrationError::StepTooSmall { .. })),
        "{r:?}"
    );
}

/// A force that turns to NaN, or tolerances of zero, with no smallest step: the step shrinks
/// until it no longer moves the time, then the integrator stops. (Both spun: with
/// `min_step = 0` the step shrank to zero and was retried for ever.)
#[test]
fn integrator_stops_on_a_nan_force_without_a_smallest_step() {
    let no_floor = Tolerances {
        min_step: 0.0,
        ..Tolerances::default()
    };
    let r = within("a NaN force with min_step 0", LIMIT_S, move || {
        DormandPrince45::new(no_floor).integrate(
            &NanAfter(1.0),
            0.0,
            SVector::<f64, 2>::new(1.0, 0.0),
            10.0,
            0.0,
            |_| Flow::Continue,
        )
    });
    assert!(
        matches!(r, Err(IntegrationError::NotFinite { t }) if (0.9..=1.0).contains(&t)),
        "{r:?}"
    );
    let exact = Tolerances {
        rtol: 0.0,
        atol: 0.0,
        min_step: 0.0,
        ..Tolerances::default()
    };
    let r = within("zero tolerances with min_step 0", LIMIT_S, move || {
        integrate_oscillator(exact, 0.0, 10.0)
    });
    assert!(r.is_err(), "{r:?}");
    // The same integrator on ordinary input still lands on the end.
    let (t, y) = within("the oscillator", LIMIT_S, || {
        integrate_oscillator(Tolerances::default(), 0.0, 20.0)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t, 20.0);
    assert!((y[0] - 20f64.cos()).abs() < 1e-5, "{y}");
}

/// A body with no force of its own.
struct Coasting;
impl Vehicle for Coasting {
    fn segment_ends(&self) -> &[f64] {
        &[]
    }
    fn specific_force(
        &self,
        _segment: usize,
        _t: f64,
        _r: &Vector3<f64>,
        _v: &Vector3<f64>,
        _air: Option<&Air>,
    ) -> Vector3<f64> {
        Vector3::zeros()
    }
}

/// A body thrown up at 20 km/s escapes and never comes down: with a flight time limit of
/// 10³⁰⁰ s, or none, the flight still ends with an error. (Both spun.)
#[test]
fn a_flight_that_never_lands_ends() {
    let site = Geodetic::from_degrees(30.0, 45.0, 0.0);
    let r0 = *site.to_ecef().as_vector3();
    let up = *site.local_frame().up().as_vector3();
    let y0 = State::new(r0.x, r0.y, r0.z, up.x * 2e4, up.y * 2e4, up.z * 2e4);
    for max_time_s in [1e300, f64::INFINITY] {
        let r = within("an escaping flight", LIMIT_S, move || {
            let opts = FlightOptions {
                max_time_s,
                ..FlightOptions::default()
            };
            fly(&EarthModel::wgs84(), &Coasting, y0, &opts).map(|f| f.ground.is_some())
        });
        assert!(
            matches!(
                r,
                Err(FlightError::Integration(
                    IntegrationError::TooManySteps { .. } | IntegrationError::InvalidSpan { .. }
                ))
            ),
            "max_time_s {max_time_s}: {r:?}"
        );
    }
}

/// A Scud-class missile (the Dhahran scenario's figures).
fn scud() -> BallisticType {
    BallisticType {
        launch_mass_kg: 5_900.0,
        propellant_mass_kg: 3_700.0,
        burn_time_s: 70.0,
        isp_s: 226.0,
        diameter_m: 0.88,
        body_drag_coefficient: 0.3,
        reentry_vehicle: None,
        vertical_rise_s: 5.0,
        drag_profile: DragProfile::slender_body(),
    }
}

/// Ballistic aiming from ten million metres underground, a billion metres up and beyond: an
/// error or a bounded answer, even with no practical flight time limit. (Spun: from a billion
/// metres up the missile escapes, and a 10³⁰⁰ s limit was never reached.)
#[test]
fn ballistic_aiming_from_hostile_launch_heights_ends() {
    for alt_m in [-1e308, -1e7, 1e9, 1e12, 1e308] {
        for max_time_s in [7_200.0, 1e300] {
            let r = within("ballistic aiming", LIMIT_S, move || {
                let site = Geodetic::from_degrees(32.0, 45.0, alt_m);
                let aim = Geodetic::from_degrees(32.0, 45.0, 0.0).destination(0.5, 300e3);
                let opts = FlightOptions {
                    max_time_s,
                    ..FlightOptions::default()
                };
                ballistic::nominal_aim(
                    &EarthModel::wgs84(),
                    &scud(),
                    &site,
                    &aim,
                    TrajectoryShape::MinimumEnergy,
                    ballistic::AIM_TOLERANCE_M,
                    &opts,
                )
                .map(|n| n.max_range_m)
            });
            if let Ok(max_range_m) = r {
                assert!(
                    max_range_m.is_finite(),
                    "{alt_m} m, limit {max_time_s} s: {max_range_m} m"
                );
            }
        }
    }
}

/// A notional subsonic cruise missile: 250 m/s, 3 km cruise, 5 km turn radius.
fn cruise_missile() -> AirBreatherType {
    AirBreatherType {
        class: AirClass::Cruise,
        speed_mps: 250.0,
        cruise_alt_m: 3_000.0,
        max_range_m: 2_000e3,
        max_turn_rate_rad_s: 0.05,
        dive_angle_rad: 30f64.to_radians(),
        climb_angle_rad: 10f64.to_radians(),
    }
}

/// Flies `ty` from a launch point at `launch_alt_m` to an aim 400 km away, through `waypoints`
/// waypoints on the way; returns the trajectory's sample count.
fn fly_cruise(
    ty: AirBreatherType,
    launch_alt_m: f64,
    waypoints: usize,
) -> Result<usize, RouteError> {
    let launch = Geodetic::from_degrees(32.0, 45.0, launch_alt_m);
    let ground = Geodetic::from_degrees(32.0, 45.0, 0.0);
    let mut aim = ground.destination(1.0, 400e3);
    aim.alt_m = 20.0;
    let wps: Vec<Geodetic> = (1..=waypoints)
        .map(|k| ground.destination(1.0, 400e3 * k as f64 / (waypoints + 1) as f64))
        .collect();
    fly_route(&ty, &launch, &wps, &aim).map(|f| f.flight.trajectory.samples().len())
}

/// The drone-swarm hang: a cruise launch 10³⁰⁸ m below the ellipsoid, where each 21 m of
/// climb is lost to rounding. Refused as a point below the ellipsoid's centre of curvature, as
/// is a launch ten million metres down. (Spun: 10³⁰⁸ m down; ten million metres down flew a
/// path through the Earth's centre.)
#[test]
fn cruise_launch_far_underground_is_refused() {
    for alt_m in [-1e308, -1e7] {
        let r = within("a cruise launch underground", LIMIT_S, move || {
            fly_cruise(cruise_missile(), alt_m, 0)
        });
        assert!(
            matches!(r, Err(RouteError::InvalidPoint { .. })),
            "{alt_m} m: {r:?}"
        );
    }
}

/// Launched a billion metres up or more, the cruise missile dives at once onto its aim: the
/// dive is sampled at most `MAX_DIVE_STEPS` times. Launched 10¹² m up with a waypoint first,
/// its ground track crawls at 250 m/s × R/(R + h) ≈ 2 mm/s towards the waypoint and the step
/// cap stops it. (Spun from 10¹² m, both ways; from 10⁹ m the dive wrote 8 million samples.)
#[test]
fn cruise_launch_far_up_is_bounded() {
    for alt_m in [1e9, 1e12, 1e300] {
        let r = within("a cruise launch far up", LIMIT_S, move || {
            fly_cruise(cruise_missile(), alt_m, 0)
        });
        match r {
            Ok(n) => assert!(n as u64 <= MAX_DIVE_STEPS + 16, "{alt_m} m: {n} samples"),
            Err(e) => assert!(matches!(e, RouteError::Stalled { .. }), "{alt_m} m: {e}"),
        }
    }
    let r = within("a descent from 1e12 m to a waypoint", LIMIT_S, || {
        fly_cruise(cruise_missile(), 1e12, 1)
    });
    assert!(
        matches!(r, Err(RouteError::Stalled { steps, .. }) if steps <= MAX_ROUTE_STEPS),
        "{r:?}"
    );
}

/// A shipped scenario, parsed from its text.
fn shipped(text: &str, name: &str) -> Scenario {
    parse(text, name).unwrap_or_else(|e| panic!("{}", e.render()))
}

const TUTORIAL: &str = include_str!("../../../scenarios/tutorial.toml");
const DEFENDED: &str = include_str!("../../../scenarios/al-asad-2020-defended.toml");

/// The flyout table of an interceptor with an endless flight time, and enough energy to
/// escape, is still built in a bounded number of steps. (Spun, then ran out of memory.)
#[test]
fn flyout_table_with_an_endless_flight_time_is_bounded() {
    for max_flight_time_s in [1e9, f64::INFINITY, f64::NAN] {
        let reach = within("a flyout table", LIMIT_S, move || {
            let s = shipped(DEFENDED, "al-asad-2020-defended.toml");
            let mut ty = s.interceptor_types[0].clone();
            ty.max_flight_time_s = max_flight_time_s;
            ty.isp_s = 1_000.0;
            ty.propellant_mass_kg = 0.9 * ty.launch_mass_kg;
            FlyoutTable::build(&ty).reach(0.5)
        });
        assert!(reach.is_finite(), "{max_flight_time_s} s: reach {reach}");
    }
}

/// A radar that rescans without time passing, or every nanosecond for half an hour, is refused
/// before the run. (Both spun.)
#[test]
fn a_radar_that_never_lets_time_pass_is_refused() {
    for revisit in [
        SimDuration::ZERO,
        SimDuration::from_nanos(1),
        SimDuration::from_nanos(-5),
    ] {
        let r = within("a run with a degenerate revisit", LIMIT_S, move || {
            let mut s = shipped(TUTORIAL, "tutorial.toml");
            s.radars[0].revisit = revisit;
            run(&s, RunOptions::seed(s.seed)).map(|e| e.len())
        });
        assert!(
            matches!(r, Err(EngineError::ScanSchedule { .. })),
            "{revisit}: {r:?}"
        );
    }
}

/// A radar expecting 10¹⁵ false alarms a scan is refused before the run. (Ran out of memory.)
#[test]
fn a_radar_drowning_in_false_alarms_is_refused() {
    let r = within("a run with 1e15 false alarms a scan", LIMIT_S, || {
        let mut s = shipped(TUTORIAL, "tutorial.toml");
        s.radars[0].pfa = 0.3;
        s.radars[0].beamwidth_rad = 1e-6;
        run(&s, RunOptions::seed(s.seed)).map(|e| e.len())
    });
    assert!(matches!(r, Err(EngineError::FalseAlarms { .. })), "{r:?}");
}

/// Launch times past the representable time (20,000 launches 30 days apart: 1,644 years) do
/// not overflow: those launches never come. (Panicked: `SimDuration` multiplication overflow.)
#[test]
fn launch_times_past_the_representable_time_do_not_overflow() {
    let r = within("a raid spread over 1,644 years", LIMIT_S, || {
        let mut s = shipped(TUTORIAL, "tutorial.toml");
        s.raids[0].interval = SimDuration::from_secs(30 * 86_400);
        s.raids[0].count = 20_000;
        run(&s, RunOptions::seed(s.seed)).map(|events| {
            events
                .iter()
                .filter(|e| matches!(e.kind, rampart_sim::events::EventKind::Launch { .. }))
                .count()
        })
    });
    // Only the first launch falls inside the 30-minute run.
    assert!(matches!(r, Ok(1)), "{r:?}");
}
