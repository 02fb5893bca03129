use super::*;
use crate::physics::earth::Surface;
use crate::physics::gravity::Gravity;

const MU: f64 = 3.986_004_418e14;
const R_E: f64 = 6_378_137.0;

fn shell(mass: f64, diameter: f64, cd: f64, v0: f64) -> ProjectileType {
    ProjectileType {
        class: ProjectileClass::Mortar,
        launch_mass_kg: mass,
        diameter_m: diameter,
        drag_coefficient: cd,
        drag_profile: DragProfile::constant(),
        muzzle_velocity_mps: v0,
        motor: None,
        high_angle: false,
    }
}

fn equator() -> Geodetic {
    Geodetic::from_degrees(0.0, 0.0, 0.0)
}

/// The range and time of flight of a projectile in vacuum over flat ground under uniform
/// gravity: R = v² sin 2θ / g, T = 2 v sin θ / g (any mechanics text, e.g. Marion and
/// Thornton, *Classical Dynamics*, §2.5). Over a 4 km arc the sphere's curvature and the
/// fall of gravity with height move them by under 0.1 %.
#[test]
fn vacuum_flight_meets_the_flat_earth_closed_form() {
    let earth = EarthModel::vacuum_sphere(MU, R_E);
    let g = MU / (R_E * R_E);
    let ty = shell(10.0, 0.1, 0.3, 200.0);
    for deg in [20.0_f64, 45.0, 70.0] {
        let th = deg.to_radians();
        let f = fly_projectile(
            &earth,
            &ty,
            &equator(),
            Laying {
                azimuth_rad: FRAC_PI_2,
                elevation_rad: th,
            },
            0.0,
        )
        .unwrap();
        let hit = f.ground.unwrap();
        let arc = R_E * hit.position.normalize().dot(&Vector3::x()).acos();
        let range = 200.0_f64.powi(2) * (2.0 * th).sin() / g;
        let time = 2.0 * 200.0 * th.sin() / g;
        assert!((arc / range - 1.0).abs() < 1e-3, "{deg}°: {arc} vs {range}");
        assert!(
            (hit.t_s / time - 1.0).abs() < 1e-3,
            "{deg}°: {} vs {time}",
            hit.t_s
        );
    }
}

/// Vertical ascent against quadratic drag, `m dv/dt = −mg − ½ρ C_D A v²`, reaches
/// h = (v_t² / 2g) ln(1 + v₀²/v_t²) at t = (v_t / g) atan(v₀ / v_t), with the terminal speed
/// v_t = √(2mg / ρ C_D A) (Marion and Thornton, *Classical Dynamics*, §2.4). The density is
/// taken at a third of the height: it falls by 0.6 % over the climb.
#[test]
fn vertical_climb_meets_the_quadratic_drag_closed_form() {
    let earth = EarthModel {
        gravity: Gravity::PointMass { mu: MU },
        rotating: false,
        surface: Surface::Sphere { radius_m: R_E },
        atmosphere: true,
    };
    let g = MU / (R_E * R_E);
    let ty = shell(1.0, 0.1, 0.5, 40.0);
    let f = fly_projectile(
        &earth,
        &ty,
        &equator(),
        Laying {
            azimuth_rad: 0.0,
            elevation_rad: FRAC_PI_2,
        },
        0.0,
    )
    .unwrap();
    let apogee = f.apogee.unwrap();
    let v0: f64 = 40.0;
    let vacuum = v0 * v0 / (2.0 * g);
    let rho = crate::physics::atmosphere::density(vacuum / 3.0);
    let vt = (2.0 * g / (rho * 0.5 * ty.area_m2())).sqrt();
    let h = vt * vt / (2.0 * g) * (1.0 + v0 * v0 / (vt * vt)).ln();
    let t = vt / g * (v0 / vt).atan();
    assert!(vacuum / h > 1.15, "drag must matter here: {vacuum} vs {h}");
    assert!(
        (apogee.alt_m / h - 1.0).abs() < 3e-3,
        "{} vs {h}",
        apogee.alt_m
    );
    assert!((apogee.t_s / t - 1.0).abs() < 3e-3, "{} vs {t}", apogee.t_s);
}

/// A notional 120 mm mortar bomb (13.2 kg, 320 m/s) laid on a point 5 km away.
fn mortar() -> ProjectileType {
    ProjectileType {
        high_angle: true,
        drag_profile: DragProfile::slender_body(),
        ..shell(13.2, 0.12, 0.25, 320.0)
    }
}

#[test]
fn laying_puts_the_round_on_the_aim_point_on_either_branch() {
    let earth = EarthModel::wgs84();
    let site = Geodetic::from_degrees(33.70, 42.40, 150.0);
    let aim = site.destination(0.8, 5_000.0);
    let aim = Geodetic {
        alt_m: 190.0,
        ..aim
    };
    for high in [true, false] {
        let ty = ProjectileType {
            high_angle: high,
            ..mortar()
        };
        let s = lay(&earth, &ty, &site, &aim).unwrap();
        let f = fly_projectile(&earth, &ty, &site, s.laying, aim.alt_m).unwrap();
        let p = Geodetic::from_ecef(&rampart_core::Coordinate::from_vector3(
            f.ground.unwrap().position,
        ));
        assert!(p.geodesic_to(&aim).distance_m < 2.0, "{high}: {p:?}");
        assert_eq!(s.laying.elevation_rad > FRAC_PI_4, high);
        // On the high branch range falls as the elevation rises.
        assert_eq!(
            s.range_per_elevation < 0.0,
            high,
            "{}",
            s.range_per_elevation
        );
        assert!((f.ground.unwrap().t_s - s.flight_time_s).abs() < 0.05);
    }
    // Beyond reach, a clear error.
    let far = site.destination(0.8, 40_000.0);
    assert!(matches!(
        lay(&earth, &mortar(), &site, &far),
        Err(LayError::OutOfRange { .. })
    ));
}

#[test]
fn a_dispersed_laying_moves_the_impact_by_the_drawn_errors() {
    let earth = EarthModel::wgs84();
    let site = Geodetic::from_degrees(33.70, 42.40, 150.0);
    let aim = Geodetic {
        alt_m: 150.0,
        ..site.destination(0.3, 4_000.0)
    };
    let ty = mortar();
    let s = lay(&earth, &ty, &site, &aim).unwrap();
    let f = fly_projectile(&earth, &ty, &site, dispersed(&s, 80.0, -30.0), aim.alt_m).unwrap();
    let p = Geodetic::from_ecef(&rampart_core::Coordinate::from_vector3(
        f.ground.unwrap().position,
    ));
    let frame = aim.local_frame();
    let d = frame.to_enu(&p.to_ecef());
    let az = site.geodesic_to(&aim).azimuth1_rad;
    let along = d.x() * az.sin() + d.y() * az.cos();
    let across = d.x() * az.cos() - d.y() * az.sin();
    assert!((along - 80.0).abs() < 4.0, "{along}");
    assert!((across + 30.0).abs() < 2.0, "{across}");
}

use std::f64::consts::FRAC_PI_4;
