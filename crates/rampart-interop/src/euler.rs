//! DIS orientations: the Euler angles (ψ, θ, φ) of an entity's body axes from the world (ECEF)
//! axes — a z-y-x rotation (IEEE 1278.1-2012, the entity coordinate system) — made for an
//! entity's flight and a ground platform, compared, and turned back into a rotation.

use nalgebra::{Rotation3, Vector3};
use rampart_core::{Coordinate, Geodetic};

/// DIS Euler angles (ψ, θ, φ), rad, of a body whose nose points along `velocity` with its
/// wings level with the local horizontal at `position` (both ECEF): the z-y-x rotation from
/// the ECEF axes to the body axes (IEEE 1278.1-2012, the entity coordinate system). A body at
/// rest keeps the angles 0.
pub fn orientation(position: &Vector3<f64>, velocity: &Vector3<f64>) -> [f64; 3] {
    let speed = velocity.norm();
    if speed < 1e-9 {
        return [0.0; 3];
    }
    let x = velocity / speed;
    let psi = x.y.atan2(x.x);
    let theta = (-x.z).atan2(x.x.hypot(x.y));
    // The body y and z axes before the roll; the roll makes y horizontal, z downward.
    let y0 = Vector3::new(-psi.sin(), psi.cos(), 0.0);
    let z0 = x.cross(&y0);
    let up = position.normalize();
    // y = cos φ·y0 + sin φ·z0 is horizontal when tan φ = −(y0·up)/(z0·up); of the two such
    // rolls, the one that puts z = −sin φ·y0 + cos φ·z0 downward.
    let phi = y0.dot(&up).atan2(-z0.dot(&up));
    [psi, theta, phi]
}

/// DIS Euler angles (ψ, θ, φ), rad, of the north-east-down frame at `position` (ECEF): a
/// ground platform's body axes, nose north, right wing east.
pub fn north_east_down(position: &Vector3<f64>) -> [f64; 3] {
    let g = Geodetic::from_ecef(&Coordinate::from_vector3(*position));
    let (sl, cl) = g.lat_rad.sin_cos();
    let (so, co) = g.lon_rad.sin_cos();
    let north = Vector3::new(-sl * co, -sl * so, cl);
    let east = Vector3::new(-so, co, 0.0);
    let down = Vector3::new(-cl * co, -cl * so, -sl);
    let theta = (-north.z).clamp(-1.0, 1.0).asin();
    if north.x.hypot(north.y) < 1e-12 {
        // On the equator north is the z axis (θ = −90°): yaw and roll turn about the same axis,
        // and the yaw alone (the longitude) puts the wing east.
        return [g.lon_rad, theta, 0.0];
    }
    let psi = north.y.atan2(north.x);
    let phi = east.z.atan2(down.z);
    [psi, theta, phi]
}

/// The angle between the body x axes of two orientations, and their roll difference: the larger.
pub(crate) fn angle_between(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let nose = |o: &[f64; 3]| {
        Vector3::new(
            o[1].cos() * o[0].cos(),
            o[1].cos() * o[0].sin(),
            -o[1].sin(),
        )
    };
    let turn = nose(a).dot(&nose(b)).clamp(-1.0, 1.0).acos();
    let roll = (a[2] - b[2] + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
        - std::f64::consts::PI;
    turn.max(roll.abs())
}

/// The rotation from an entity's body axes to the world (ECEF) axes for its DIS Euler angles:
/// ψ about z, then θ about the new y, then φ about the new x (IEEE 1278.1-2012 §1.3.2 and
/// Annex E).
pub fn body_to_world(psi: f64, theta: f64, phi: f64) -> Rotation3<f64> {
    Rotation3::from_axis_angle(&Vector3::z_axis(), psi)
        * Rotation3::from_axis_angle(&Vector3::y_axis(), theta)
        * Rotation3::from_axis_angle(&Vector3::x_axis(), phi)
}
