//! Ballistic flight against closed-form results.

use nalgebra::Vector3;
use rampart_core::geodesy::{Geodetic, wgs84};
use rampart_sim::physics::atmosphere;
use rampart_sim::physics::drag::{DragProfile, drag_acceleration};
use rampart_sim::physics::earth::EarthModel;
use rampart_sim::physics::flight::{FlightOptions, State, Vehicle, fly};
use rampart_sim::physics::integrator::Tolerances;
use rampart_sim::threats::ballistic::*;

/// A body with no thrust: coasting in vacuum, or with drag of reference ballistic coefficient β.
struct Coast {
    beta: Option<f64>,
    profile: DragProfile,
}
impl Vehicle for Coast {
    fn segment_ends(&self) -> &[f64] {
        &[]
    }
    fn specific_force(
        &self,
        _: usize,
        _: f64,
        _: &Vector3<f64>,
        v: &Vector3<f64>,
        air: Option<&atmosphere::Air>,
    ) -> Vector3<f64> {
        match (self.beta, air) {
            (Some(b), Some(a)) => {
                drag_acceleration(v, a.density_kg_m3, a.speed_of_sound_mps, b, &self.profile)
            }
            _ => Vector3::zeros(),
        }
    }
}

const MU: f64 = wgs84::GM;
const RE: f64 = 6_371_000.0;

/// Range angle of a vacuum ballistic flight on a spherical non-rotating Earth from and to radius
/// r0 with speed v and flight-path angle γ: tan(Φ/2) = ν sinγ cosγ / (1 − ν cos²γ), ν = v²r0/μ
/// (Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971, eq. 6.2-7 rearranged).
fn closed_form_range_angle(v: f64, gamma: f64, r0: f64) -> f64 {
    let nu = v * v * r0 / MU;
    2.0 * (nu * gamma.sin() * gamma.cos()).atan2(1.0 - nu * gamma.cos().powi(2))
}

fn vacuum_flight(
    v: f64,
    gamma: f64,
    tol: Tolerances,
) -> (f64, f64, rampart_sim::physics::flight::Flight, State) {
    let earth = EarthModel::vacuum_sphere(MU, RE);
    let y0 = State::new(RE, 0.0, 0.0, v * gamma.sin(), v * gamma.cos(), 0.0);
    let opts = FlightOptions {
        tolerances: tol,
        ground_alt_m: 0.0,
        max_time_s: 20_000.0,
    };
    let f = fly(
        &earth,
        &Coast {
            beta: None,
            profile: DragProfile::constant(),
        },
        y0,
        &opts,
    )
    .unwrap();
    let g = f.ground.unwrap();
    let angle = g.position.y.atan2(g.position.x);
    (angle, g.t_s, f, y0)
}

#[test]
fn vacuum_range_matches_closed_form_within_a_tenth_of_a_percent() {
    for &(v, gdeg) in &[
        (1_000.0, 45.0),
        (2_000.0, 40.0),
        (3_000.0, 30.0),
        (4_500.0, 60.0),
        (6_000.0, 20.0),
    ] {
        let g: f64 = f64::to_radians(gdeg);
        let (angle, _, _, _) = vacuum_flight(v, g, Tolerances::default());
        let want = closed_form_range_angle(v, g, RE);
        assert!(
            ((angle - want) / want).abs() < 1e-3,
            "v {v} γ {gdeg}: {angle} vs {want}"
        );
    }
}

/// Specific energy v²/2 − μ/r is conserved in vacuum (tight tolerances: 1e-6 relative required).
#[test]
fn vacuum_energy_is_conserved() {
    let (_, _, f, y0) = vacuum_flight(3_000.0, 0.6, Tolerances::default());
    let earth = EarthModel::vacuum_sphere(MU, RE);
    let e = |r: Vector3<f64>, v: Vector3<f64>| earth.specific_energy(&r, &v);
    let e0 = e(
        Vector3::new(y0[0], y0[1], y0[2]),
        Vector3::new(y0[3], y0[4], y0[5]),
    );
    let worst = f
        .trajectory
        .samples()
        .iter()
        .map(|s| ((e(s.r, s.v) - e0) / e0).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-6, "worst relative energy error {worst}");
}

/// The minimum-energy (maximum-range) flight-path angle is γ* = 45° − Φ/4 and the maximum range
/// satisfies sin(Φ/2) = ν/(2 − ν) (Bate, Mueller & White 1971, eqs. 6.2-15 and 6.2-16).
#[test]
fn minimum_energy_angle_and_range_match_closed_form() {
    let v = 3_000.0;
    let nu = v * v * RE / MU;
    let phi_max = 2.0 * (nu / (2.0 - nu)).asin();
    let gamma_star = std::f64::consts::FRAC_PI_4 - phi_max / 4.0;
    // Golden-section search over the flown (not closed-form) range.
    let range = |g: f64| vacuum_flight(v, g, Tolerances::default()).0;
    let (mut a, mut b) = (0.5_f64, 1.0_f64);
    let k = (5f64.sqrt() - 1.0) / 2.0;
    while b - a > 1e-6 {
        let (c, d) = (b - k * (b - a), a + k * (b - a));
        if range(c) > range(d) { b = d } else { a = c }
    }
    let g_best = 0.5 * (a + b);
    assert!(
        (g_best - gamma_star).abs() < 0.01_f64.to_radians(),
        "{} vs {}",
        g_best.to_degrees(),
        gamma_star.to_degrees()
    );
    assert!(((range(g_best) - phi_max) / phi_max).abs() < 1e-4);
}

/// Falling through the atmosphere the speed approaches the terminal velocity
/// v_t = √(2βg/ρ) of a body of constant ballistic coefficient β (Zarchan, *Tactical and Strategic
/// Missile Guidance*, 6th ed., ch. 29). With β = 100 kg/m² the lag behind the slowly changing
/// local v_t is v_t²/(4gH) ≈ 0.5 % (H = 8.5 km density scale height), inside the 2 % asked.
#[test]
fn drag_brings_the_speed_to_terminal_velocity() {
    let earth = EarthModel {
        rotating: false,
        ..EarthModel::wgs84()
    };
    let site = Geodetic::from_degrees(0.0, 0.0, 20_000.0).to_ecef();
    let y0 = State::new(site.x(), site.y(), site.z(), 0.0, 0.0, 0.0);
    let beta = 100.0;
    let body = Coast {
        beta: Some(beta),
        profile: DragProfile::constant(),
    };
    let f = fly(&earth, &body, y0, &FlightOptions::default()).unwrap();
    let impact_speed = f.ground.unwrap().velocity.norm();
    let g = earth
        .field_acceleration(&f.ground.unwrap().position, &Vector3::zeros())
        .norm();
    let vt = (2.0 * beta * g / atmosphere::density(0.0)).sqrt();
    assert!(
        ((impact_speed - vt) / vt).abs() < 0.02,
        "{impact_speed} vs {vt}"
    );
    // And drag makes a real ballistic flight land slower than the same flight in vacuum.
    let p = Geodetic::from_degrees(0.0, 0.0, 0.0).to_ecef();
    let launch = State::new(p.x(), p.y(), p.z(), 1500.0, 1500.0, 0.0);
    let with_drag = fly(
        &earth,
        &Coast {
            beta: Some(5_000.0),
            profile: DragProfile::slender_body(),
        },
        launch,
        &FlightOptions::default(),
    )
    .unwrap();
    let vacuum = fly(
        &EarthModel {
            atmosphere: false,
            ..earth
        },
        &Coast {
            beta: None,
            profile: DragProfile::constant(),
        },
        launch,
        &FlightOptions::default(),
    )
    .unwrap();
    assert!(
        with_drag.ground.unwrap().velocity.norm() < vacuum.ground.unwrap().velocity.norm() - 100.0
    );
}

fn scud_like() -> BallisticType {
    BallisticType {
        launch_mass_kg: 6_000.0,
        propellant_mass_kg: 4_600.0,
        burn_time_s: 70.0,
        isp_s: 255.0,
        diameter_m: 0.88,
        body_drag_coefficient: 0.25,
        reentry_vehicle: Some(ReentryVehicle {
            mass_kg: 900.0,
            ballistic_coefficient_kg_m2: 12_000.0,
        }),
        vertical_rise_s: 5.0,
        drag_profile: DragProfile::slender_body(),
    }
}

#[test]
fn eastward_shot_flies_farther_than_westward() {
    let earth = EarthModel::wgs84();
    let ty = scud_like();
    let site = Geodetic::from_degrees(34.3, 47.1, 1_300.0);
    let opts = FlightOptions::default();
    let range = |az: f64| {
        let ctl = LaunchControls {
            azimuth_rad: az,
            path_angle_rad: 40f64.to_radians(),
            cutoff_s: ty.burn_time_s,
        };
        let f = fly_missile(&earth, &ty, &site, ctl, 0.0, &opts).unwrap();
        site.geodesic_to(&impact_point(&f).unwrap()).distance_m
    };
    let east = range(90f64.to_radians());
    let west = range(270f64.to_radians());
    assert!(east > west + 1_000.0, "east {east} west {west}");
}

/// Each trajectory shape hits the aim point, and they are ordered as their names say: the
/// lofted flight climbs highest and takes longest, the depressed one stays lowest and arrives
/// first (e.g. Wright, Gronlund & Postol, "The depressed trajectory", Science & Global
/// Security, 1990: lower apogee, shorter flight time than minimum energy).
#[test]
fn every_shape_hits_and_lofted_climbs_higher_than_depressed() {
    let earth = EarthModel::wgs84();
    let ty = scud_like();
    let site = Geodetic::from_degrees(34.3, 47.1, 1_300.0);
    let aim = Geodetic::from_degrees(33.7856, 42.4412, 188.0);
    let opts = FlightOptions::default();
    let fly_shape = |shape| {
        let n = nominal_aim(&earth, &ty, &site, &aim, shape, 0.5, &opts).unwrap();
        let sol = solve(&earth, &ty, &site, &aim, &n, 0.5, &opts).unwrap();
        assert!(sol.miss_m < 0.5, "{shape:?} missed by {} m", sol.miss_m);
        (
            sol.flight.apogee.unwrap().alt_m,
            sol.flight.ground.unwrap().t_s,
        )
    };
    let (apo_me, tof_me) = fly_shape(TrajectoryShape::MinimumEnergy);
    let (apo_lo, tof_lo) = fly_shape(TrajectoryShape::Lofted(ShapeTarget::BurnoutAngle(
        60f64.to_radians(),
    )));
    let (apo_de, tof_de) = fly_shape(TrajectoryShape::Depressed(ShapeTarget::BurnoutAngle(
        30f64.to_radians(),
    )));
    assert!(
        apo_lo > apo_me && apo_me > apo_de,
        "apogees {apo_lo} {apo_me} {apo_de}"
    );
    assert!(
        tof_lo > tof_me && tof_me > tof_de,
        "flight times {tof_lo} {tof_me} {tof_de}"
    );
}
