//! The route model against its own geometry: path length over speed, the fly-by arc, the dive
//! angle, a finer flight, and the errors.

use super::*;
use crate::physics::trajectory::Sample;
use nalgebra::Vector3;
use rampart_core::frames::Coordinate;
use rampart_core::geodesy::wrap_pi;
use std::f64::consts::FRAC_PI_2;

const DEG: f64 = PI / 180.0;

/// A notional subsonic cruise missile: 250 m/s, 3 km cruise, 0.05 rad/s (5 km turn radius),
/// 10° climb, 30° dive.
fn missile() -> AirBreatherType {
    AirBreatherType {
        class: AirClass::Cruise,
        speed_mps: 250.0,
        cruise_alt_m: 3_000.0,
        max_range_m: 2_000e3,
        max_turn_rate_rad_s: 0.05,
        dive_angle_rad: 30.0 * DEG,
        climb_angle_rad: 10.0 * DEG,
    }
}

fn launch() -> Geodetic {
    Geodetic::from_degrees(32.0, 45.0, 50.0)
}

/// 400 km from the launch point, bearing 60°, 20 m high.
fn straight_aim() -> Geodetic {
    let mut aim = launch().destination(60.0 * DEG, 400e3);
    aim.alt_m = 20.0;
    aim
}

/// A waypoint 150 km north of the launch point and an aim 150 km on, 90° to the right.
fn dog_leg() -> (Geodetic, Geodetic) {
    let l = launch();
    let mut wp = l.destination(0.0, 150e3);
    wp.alt_m = 0.0;
    let course_in = l.geodesic_to(&wp).azimuth2_rad;
    let mut aim = wp.destination(course_in + FRAC_PI_2, 150e3);
    aim.alt_m = 20.0;
    (wp, aim)
}

fn geodetic(r: &Vector3<f64>) -> Geodetic {
    Geodetic::from_ecef(&Coordinate::from_vector3(*r))
}

/// Flight-path angle of a velocity at a position, rad (positive up).
fn path_angle(r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
    let up = *geodetic(r).local_frame().up().as_vector3();
    (v.dot(&up) / v.norm()).asin()
}

/// Azimuth of the horizontal velocity, rad.
fn course(r: &Vector3<f64>, v: &Vector3<f64>) -> f64 {
    let f = geodetic(r).local_frame();
    v.dot(f.east().as_vector3())
        .atan2(v.dot(f.north().as_vector3()))
}

/// Horizontal acceleration across the velocity, m/s².
fn lateral_accel(s: &Sample) -> f64 {
    let up = *geodetic(&s.r).local_frame().up().as_vector3();
    let right = s.v.cross(&up).normalize();
    s.a.dot(&right)
}

/// A straight route: the dive lands on the aim point (the dive is a straight line onto it,
/// and the impact is the root of the height on that line), the flight time is the length of
/// the climb-cruise-dive path over the constant speed (cruise at 3 km lengthens the ground
/// track by h/R ≈ 0.05 %, well inside 1 %), and the cruise height is held exactly (ḣ = 0
/// in level flight), both at the samples and between them.
#[test]
fn straight_route_hits_the_aim_in_path_length_over_speed_at_cruise_height() {
    let ty = missile();
    let (l, aim) = (launch(), straight_aim());
    let rf = fly_route(&ty, &l, &[], &aim).unwrap();
    let ground = rf.flight.ground.unwrap();
    let hit = geodetic(&ground.position);
    assert!(hit.geodesic_to(&aim).distance_m < 1.0, "{hit:?}");
    assert!((hit.alt_m - aim.alt_m).abs() < 1.0, "{hit:?}");
    assert_eq!(rf.flight.trajectory.end(), ground.t_s);

    let s = l.geodesic_to(&aim).distance_m;
    let (climb, dive) = (ty.cruise_alt_m - l.alt_m, ty.cruise_alt_m - aim.alt_m);
    let (gc, gd) = (ty.climb_angle_rad, ty.dive_angle_rad);
    let path = climb / gc.sin() + (s - climb / gc.tan() - dive / gd.tan()) + dive / gd.sin();
    let expected_s = path / ty.speed_mps;
    assert!(
        ((ground.t_s - expected_s) / expected_s).abs() < 0.01,
        "{} s vs {expected_s} s",
        ground.t_s
    );

    let tr = &rf.flight.trajectory;
    let mut max_alt = f64::NEG_INFINITY;
    for k in 0..=20_000 {
        let t = tr.end() * k as f64 / 20_000.0;
        max_alt = max_alt.max(geodetic(&tr.state_at(t).unwrap().0).alt_m);
    }
    for p in tr.samples() {
        max_alt = max_alt.max(geodetic(&p.r).alt_m);
    }
    assert!((max_alt - ty.cruise_alt_m).abs() < 1.0, "{max_alt}");
    let apogee = rf.flight.apogee.unwrap();
    assert!((apogee.alt_m - ty.cruise_alt_m).abs() < 1e-6);
    // The top of the climb: climb height over vertical speed.
    assert!((apogee.t_s - climb / (ty.speed_mps * gc.sin())).abs() < 1e-6);
    assert_eq!(rf.flight.max_speed_mps, ty.speed_mps);
    // Sparse on the cruise leg: about one sample per 5 s plus every 0.5 s step of the
    // climb (68 s) and the dive (24 s).
    let n = tr.samples().len() as f64;
    assert!(
        n < ground.t_s / 5.0 + (68.0 + 24.0) / 0.5 + 20.0,
        "{n} samples"
    );
    for p in tr.samples() {
        assert!((p.v.norm() - ty.speed_mps).abs() < 1e-6);
    }
}

/// A 90° dog-leg: the turn rate never exceeds the limit (by construction ω = ω_max·tanh(·)
/// and the lateral acceleration is V·ω; checked on the samples' accelerations and on the
/// course change between samples), the turn is flown at the limit (max lateral acceleration
/// V·ω_max within 2 %), and the corner is cut on an arc of radius r = V/ω_max tangent to
/// both legs: its closest approach to the waypoint is r·(1/cos 45° − 1).
#[test]
fn dog_leg_turns_at_the_rate_limit_on_the_fly_by_arc() {
    let ty = missile();
    let (wp, aim) = dog_leg();
    let rf = fly_route(&ty, &launch(), &[wp], &aim).unwrap();
    let tr = &rf.flight.trajectory;
    let (v, w) = (ty.speed_mps, ty.max_turn_rate_rad_s);
    let level: Vec<&Sample> = tr
        .samples()
        .iter()
        .filter(|p| p.t < rf.dive_start_s)
        .collect();

    let max_lat = level
        .iter()
        .map(|p| lateral_accel(p).abs())
        .fold(0.0, f64::max);
    assert!(max_lat <= v * w * (1.0 + 1e-9), "{max_lat}");
    assert!(max_lat >= 0.98 * v * w, "{max_lat}");

    let mut max_rate: f64 = 0.0;
    for p in level.windows(2) {
        let dt = p[1].t - p[0].t;
        if dt > 0.0 {
            let dpsi = wrap_pi(course(&p[1].r, &p[1].v) - course(&p[0].r, &p[0].v));
            max_rate = max_rate.max(dpsi.abs() / dt);
        }
    }
    // Meridian convergence adds λ̇·sin φ ≈ 2e-5 rad/s to the heading rate here.
    assert!(max_rate <= w + 3e-5, "{max_rate}");
    assert!(max_rate >= 0.98 * w, "{max_rate}");

    let mut closest = f64::INFINITY;
    let mut t = 0.0;
    while t < rf.dive_start_s {
        let here = geodetic(&tr.state_at(t).unwrap().0);
        closest = closest.min(here.geodesic_to(&wp).distance_m);
        t += 0.05;
    }
    let r = v / w;
    let expected = r * (2f64.sqrt() - 1.0);
    assert!(
        ((closest - expected) / expected).abs() < 0.02,
        "{closest} m vs {expected} m"
    );

    let hit = geodetic(&rf.flight.ground.unwrap().position);
    assert!(hit.geodesic_to(&aim).distance_m < 1.0);
}

/// The dive: the straight line onto the aim starts where the ground distance left equals
/// (h − h_aim)/tan θ (the trigger is located inside its step), so its path angle is θ up to
/// the Earth's curvature over the dive, ±s/2R = ±0.02° for the 5.2 km dive here.
#[test]
fn dive_starts_at_the_dive_geometry_and_holds_the_dive_angle() {
    let ty = missile();
    let aim = straight_aim();
    let rf = fly_route(&ty, &launch(), &[], &aim).unwrap();
    let tr = &rf.flight.trajectory;
    let (r, _) = tr.state_at(rf.dive_start_s).unwrap();
    let start = geodetic(&r);
    assert!((start.alt_m - ty.cruise_alt_m).abs() < 1e-6);
    let left = start.geodesic_to(&aim).distance_m;
    let geometry = (start.alt_m - aim.alt_m) / ty.dive_angle_rad.tan();
    assert!(
        (left - geometry).abs() < 0.01,
        "{left} m left vs {geometry} m"
    );

    let dive: Vec<&Sample> = tr
        .samples()
        .iter()
        .filter(|p| p.t >= rf.dive_start_s)
        .collect();
    // The duplicate at the dive start is the level state; the rest are on the line.
    assert!(path_angle(&dive[0].r, &dive[0].v).abs() < 1e-9);
    assert!(dive.len() > 40);
    for p in &dive[1..] {
        let g = path_angle(&p.r, &p.v);
        assert!((g + ty.dive_angle_rad).abs() < 0.5 * DEG, "{} deg", g / DEG);
        assert!(
            (g + ty.dive_angle_rad).abs() < 0.05 * DEG,
            "{} deg",
            g / DEG
        );
    }
    let slant = (ty.cruise_alt_m - aim.alt_m) / ty.dive_angle_rad.sin();
    let dive_s = rf.flight.ground.unwrap().t_s - rf.dive_start_s;
    assert!((dive_s - slant / ty.speed_mps).abs() < 0.01, "{dive_s}");
}

/// A route longer than the maximum range is refused with its length.
#[test]
fn too_long_route_is_refused() {
    let ty = AirBreatherType {
        max_range_m: 300e3,
        ..missile()
    };
    let (wp, aim) = dog_leg();
    match check_range(&ty, &launch(), &[wp], &aim) {
        Err(RouteError::TooLong {
            length_km,
            max_range_km,
        }) => {
            assert!((length_km - 300.0).abs() < 1.0, "{length_km}");
            assert_eq!(max_range_km, 300.0);
        }
        other => panic!("{other:?}"),
    }
    assert!(check_range(&ty, &launch(), &[], &straight_aim()).is_err());
    // Flying is a separate matter: the model flies whatever route it is given.
    assert!(fly_route(&ty, &launch(), &[wp], &aim).is_ok());
}

/// Bad input is an error, never a panic or a NaN trajectory.
#[test]
fn bad_input_is_an_error() {
    let aim = straight_aim();
    let nan_speed = AirBreatherType {
        speed_mps: f64::NAN,
        ..missile()
    };
    assert!(matches!(
        fly_route(&nan_speed, &launch(), &[], &aim),
        Err(RouteError::InvalidParameter {
            name: "speed_mps",
            ..
        })
    ));
    let no_turn = AirBreatherType {
        max_turn_rate_rad_s: 0.0,
        ..missile()
    };
    assert!(matches!(
        fly_route(&no_turn, &launch(), &[], &aim),
        Err(RouteError::InvalidParameter { .. })
    ));
    let bad_wp = Geodetic::from_degrees(f64::NAN, 45.0, 0.0);
    assert!(matches!(
        fly_route(&missile(), &launch(), &[bad_wp], &aim),
        Err(RouteError::InvalidPoint { ref point, .. }) if point == "waypoint 1"
    ));
    let high_aim = Geodetic {
        alt_m: 3_500.0,
        ..aim
    };
    assert!(matches!(
        fly_route(&missile(), &launch(), &[], &high_aim),
        Err(RouteError::AimNotBelowCruise { .. })
    ));
    let polar = Geodetic::from_degrees(89.9, 45.0, 0.0);
    assert!(matches!(
        fly_route(&missile(), &launch(), &[polar], &aim),
        Err(RouteError::NearPole { .. })
    ));
}

/// The trajectory is the model's own flight: interpolated between samples it stays within
/// 1 m of a flight integrated with a quarter of the step (whose samples are its exact
/// states), its velocity is the derivative of its position, and consecutive samples agree
/// with each other (the end-corrected trapezoidal rule on their velocities and
/// accelerations gives their position difference).
#[test]
fn trajectory_is_consistent_with_a_finer_flight() {
    let ty = missile();
    let (wp, aim) = dog_leg();
    let coarse = fly_route(&ty, &launch(), &[wp], &aim).unwrap();
    let fine = fly_route_with_step(&ty, &launch(), &[wp], &aim, STEP_S / 4.0).unwrap();
    let (tc, tf) = (&coarse.flight.trajectory, &fine.flight.trajectory);
    assert!(
        (tc.end() - tf.end()).abs() < 1e-3,
        "{} vs {}",
        tc.end(),
        tf.end()
    );

    let mut worst: f64 = 0.0;
    for p in tf.samples().iter().filter(|p| p.t <= tc.end()) {
        worst = worst.max((tc.state_at(p.t).unwrap().0 - p.r).norm());
    }
    for p in tc.samples().windows(2).filter(|p| p[1].t > p[0].t) {
        let t = 0.5 * (p[0].t + p[1].t);
        if t <= tf.end() {
            worst = worst.max((tc.state_at(t).unwrap().0 - tf.state_at(t).unwrap().0).norm());
        }
    }
    assert!(worst < 1.0, "{worst} m");

    for p in tc.samples().windows(2) {
        let h = p[1].t - p[0].t;
        if h <= 0.0 {
            continue;
        }
        let mean = (p[1].r - p[0].r) / h;
        let trapezoid = (p[0].v + p[1].v) * 0.5 - (p[1].a - p[0].a) * (h / 12.0);
        assert!(
            (mean - trapezoid).norm() < 0.01,
            "at {}: {}",
            p[0].t,
            (mean - trapezoid).norm()
        );
        let t = 0.5 * (p[0].t + p[1].t);
        let d = 1e-3f64.min(h / 4.0);
        let (_, v) = tc.state_at(t).unwrap();
        let diff = (tc.state_at(t + d).unwrap().0 - tc.state_at(t - d).unwrap().0) / (2.0 * d);
        assert!((diff - v).norm() < 1e-3, "at {t}: {}", (diff - v).norm());
        assert!(
            (v.norm() - ty.speed_mps).abs() < 0.05,
            "at {t}: {}",
            v.norm()
        );
    }
}

/// An aim closer than the climb-and-dive needs: the dive begins during the climb, which is
/// then the highest point, and still lands on the aim.
#[test]
fn short_route_dives_out_of_the_climb() {
    let ty = missile();
    let l = launch();
    let mut aim = l.destination(200.0 * DEG, 5e3);
    aim.alt_m = l.alt_m;
    let rf = fly_route(&ty, &l, &[], &aim).unwrap();
    let apogee = rf.flight.apogee.unwrap();
    assert_eq!(apogee.t_s, rf.dive_start_s);
    // Climb 10° over x, then dive 30° over 5 km − x: x·tan 10° = (5 km − x)·tan 30°.
    let (tc, td) = (ty.climb_angle_rad.tan(), ty.dive_angle_rad.tan());
    let x = 5e3 * td / (tc + td);
    assert!((apogee.alt_m - l.alt_m - x * tc).abs() < 1.0, "{apogee:?}");
    let hit = geodetic(&rf.flight.ground.unwrap().position);
    assert!(hit.geodesic_to(&aim).distance_m < 1.0);
}

/// The shipped drone raid's route (three legs, a slow drone descending onto a raised aim)
/// flies to its aim, with the waypoints passed close by.
#[test]
fn drone_route_with_waypoints() {
    let ty = AirBreatherType {
        class: AirClass::Uas,
        speed_mps: 185.0 / 3.6,
        cruise_alt_m: 900.0,
        max_range_m: 2_000e3,
        max_turn_rate_rad_s: 3.0 * DEG,
        dive_angle_rad: 40.0 * DEG,
        climb_angle_rad: 10.0 * DEG,
    };
    let l = Geodetic::from_degrees(33.90, 43.10, 100.0);
    let wps = [
        Geodetic::from_degrees(33.20, 42.20, 0.0),
        Geodetic::from_degrees(32.60, 41.00, 0.0),
    ];
    let aim = Geodetic::from_degrees(32.50, 40.00, 600.0);
    let rf = fly_route(&ty, &l, &wps, &aim).unwrap();
    let tr = &rf.flight.trajectory;
    let hit = geodetic(&rf.flight.ground.unwrap().position);
    assert!(hit.geodesic_to(&aim).distance_m < 1.0);
    let length = route_length_m(&l, &wps, &aim);
    let t_end = tr.end();
    assert!(
        t_end > length / ty.speed_mps && t_end < 1.02 * length / ty.speed_mps,
        "{t_end}"
    );
    for wp in &wps {
        let mut closest = f64::INFINITY;
        let mut t = 0.0;
        while t < t_end {
            closest = closest.min(
                geodetic(&tr.state_at(t).unwrap().0)
                    .geodesic_to(wp)
                    .distance_m,
            );
            t += 1.0;
        }
        // Course changes of ~10° cut the corner by r·(1/cos(Δ/2) − 1), a few metres.
        assert!(closest < 60.0, "{closest}");
    }
    assert!(tr.samples().len() < 3_000, "{}", tr.samples().len());
}

/// Launched above its cruise height, the threat descends at the climb angle to it.
#[test]
fn launched_above_cruise_descends_to_it() {
    let ty = missile();
    let l = Geodetic {
        alt_m: 4_000.0,
        ..launch()
    };
    let rf = fly_route(&ty, &l, &[], &straight_aim()).unwrap();
    let apogee = rf.flight.apogee.unwrap();
    assert_eq!((apogee.t_s, apogee.alt_m), (0.0, 4_000.0));
    let first = &rf.flight.trajectory.samples()[0];
    assert!((path_angle(&first.r, &first.v) + ty.climb_angle_rad).abs() < 1e-9);
    let t_level = 1_000.0 / (ty.speed_mps * ty.climb_angle_rad.sin()) + 1.0;
    let (r, _) = rf.flight.trajectory.state_at(t_level).unwrap();
    assert!((geodetic(&r).alt_m - ty.cruise_alt_m).abs() < 1e-3);
}
