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

/// The US 155 mm M107 HE shell against its firing table. The drag (zero-yaw C_D against Mach)
/// is that of Khalil, Abdalla and Kamal, "Dispersion Analysis for Spinning Artillery
/// Projectile", ASAT-13-FM-03, Military Technical College, Cairo, 2009, Table 1; the ranges and
/// times of flight are those of firing table FT 155-AM-2 for charges 4 to 8, as W. Y. Lim,
/// "Predicting the Accuracy of Unguided Artillery Projectiles", M.S. thesis, Naval Postgraduate
/// School, 2016, Tables 11 and 15–19, reproduces both. Mass 43.45 kg (95.8 lb), calibre
/// 155 mm. A firing table's standard conditions leave the Earth's rotation to a separate
/// correction, so the Earth here does not rotate; the point mass leaves out yaw drag and spin
/// drift, which firing tables fold in. Over 2–16 km the modelled range is within 1 % of the
/// table's and the time of flight within 0.35 s.
#[test]
fn the_m107_shell_flies_its_firing_table() {
    const DRAG: [(f64, f64); 13] = [
        (0.01, 0.144),
        (0.60, 0.144),
        (0.80, 0.146),
        (0.90, 0.167),
        (0.95, 0.221),
        (1.00, 0.327),
        (1.05, 0.383),
        (1.10, 0.381),
        (1.20, 0.370),
        (1.35, 0.353),
        (1.50, 0.338),
        (1.75, 0.314),
        (2.00, 0.294),
    ];
    // (muzzle velocity m/s, quadrant elevation in mils of 6400, range m, time of flight s).
    const TABLE: [(f64, f64, f64, f64); 15] = [
        (337.0, 97.2, 2000.0, 6.4),
        (337.0, 152.0, 3000.0, 9.8),
        (337.0, 211.6, 4000.0, 13.5),
        (397.0, 118.1, 3000.0, 8.8),
        (397.0, 280.4, 6000.0, 19.6),
        (397.0, 420.6, 8000.0, 28.2),
        (474.0, 258.4, 7000.0, 20.8),
        (474.0, 378.6, 9000.0, 28.9),
        (474.0, 539.9, 11000.0, 39.1),
        (568.0, 177.6, 7000.0, 17.6),
        (568.0, 319.8, 10000.0, 28.6),
        (568.0, 520.7, 13000.0, 42.6),
        (684.0, 141.6, 8000.0, 17.0),
        (684.0, 248.4, 11000.0, 27.2),
        (684.0, 525.3, 16000.0, 48.9),
    ];
    let earth = EarthModel {
        rotating: false,
        ..EarthModel::wgs84()
    };
    let site = Geodetic::from_degrees(33.8, 42.4, 0.0);
    for (v, mils, range, time) in TABLE {
        let ty = ProjectileType {
            drag_profile: DragProfile::new(DRAG.to_vec()).unwrap(),
            ..shell(43.45, 0.155, 1.0, v)
        };
        let laying = Laying {
            azimuth_rad: 0.0,
            elevation_rad: (mils * 360.0 / 6400.0_f64).to_radians(),
        };
        let f = fly_projectile(&earth, &ty, &site, laying, 0.0).unwrap();
        let (r, _, t) = landing(&site, &f).unwrap();
        assert!(
            (r / range - 1.0).abs() < 0.01,
            "{v} m/s at {mils} mils: {r:.0} m against {range} m"
        );
        assert!(
            (t - time).abs() < 0.35,
            "{v} m/s at {mils} mils: {t:.2} s against {time} s"
        );
    }
}
