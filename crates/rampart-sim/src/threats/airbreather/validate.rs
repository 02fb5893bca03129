//! The checks on a type and its route points before a flight, so the flight never meets a NaN
//! or a division by zero.

use super::{AirBreatherType, LOWEST_HEIGHT_M, POLE_LIMIT_RAD, RouteError};
use rampart_core::Geodetic;
use std::f64::consts::FRAC_PI_2;

/// Checks the type and the points, so the flight never meets a NaN or a division by zero.
pub(super) fn validate(
    ty: &AirBreatherType,
    launch: &Geodetic,
    waypoints: &[Geodetic],
    aim: &Geodetic,
) -> Result<(), RouteError> {
    let check = |name: &'static str, value: f64, ok: bool, expected: &'static str| {
        if ok {
            Ok(())
        } else {
            Err(RouteError::InvalidParameter {
                name,
                value,
                expected,
            })
        }
    };
    let v = ty.speed_mps;
    check("speed_mps", v, v.is_finite() && v > 0.0, "finite and > 0")?;
    let h = ty.cruise_alt_m;
    check("cruise_alt_m", h, h.is_finite(), "finite")?;
    let r = ty.max_range_m;
    check("max_range_m", r, r > 0.0, "> 0")?;
    let w = ty.max_turn_rate_rad_s;
    check(
        "max_turn_rate_rad_s",
        w,
        w.is_finite() && w > 0.0,
        "finite and > 0",
    )?;
    let d = ty.dive_angle_rad;
    check(
        "dive_angle_rad",
        d,
        d > 0.0 && d <= FRAC_PI_2,
        "in (0, π/2]",
    )?;
    let c = ty.climb_angle_rad;
    check(
        "climb_angle_rad",
        c,
        c > 0.0 && c < FRAC_PI_2,
        "in (0, π/2)",
    )?;

    let named = std::iter::once(("launch point".to_string(), launch))
        .chain(
            waypoints
                .iter()
                .enumerate()
                .map(|(i, w)| (format!("waypoint {}", i + 1), w)),
        )
        .chain(std::iter::once(("aim point".to_string(), aim)));
    for (point, p) in named {
        let finite = p.lat_rad.is_finite() && p.lon_rad.is_finite() && p.alt_m.is_finite();
        if !finite || p.lat_rad.abs() > FRAC_PI_2 || p.alt_m <= LOWEST_HEIGHT_M {
            return Err(RouteError::InvalidPoint {
                point,
                lat_deg: p.lat_rad.to_degrees(),
                lon_deg: p.lon_rad.to_degrees(),
                alt_m: p.alt_m,
            });
        }
        if p.lat_rad.abs() > POLE_LIMIT_RAD {
            return Err(RouteError::NearPole {
                lat_deg: p.lat_rad.to_degrees(),
            });
        }
    }
    if aim.alt_m >= ty.cruise_alt_m {
        return Err(RouteError::AimNotBelowCruise {
            aim_alt_m: aim.alt_m,
            cruise_alt_m: ty.cruise_alt_m,
        });
    }
    Ok(())
}
