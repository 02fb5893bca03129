//! Tracking: a scan's detections update the sensor's tracker (which never sees their truth);
//! its confirmed tracks are scored against the threats the sensor could see (GOSPA), and the
//! scan, track and detection events are recorded.

use super::Ctx;
use super::sensing::GateMiss;
use crate::events::{Accuracy, EventKind};
use crate::sensors::ScanOutput;
use crate::world::{Interceptor, InterceptorId, SensorId, Store, ThreatId, Truth, World};
use nalgebra::Vector3;
use rampart_core::{Coordinate, Ecef, Enu, SimTime};

/// Sensor `s`'s tracker takes the scan at `t` (false alarms and all: it cannot tell them
/// apart), detection `j` kept from track `id` for each `(id, j)` in `excluded`. `in_coverage`:
/// the threats the sensor could see, for scoring only; `gate_misses`: detections that
/// clock-displaced range gates did not make, for the record.
#[allow(clippy::too_many_arguments)]
pub fn update(
    world: &mut World,
    ctx: &mut Ctx<'_, '_>,
    t: SimTime,
    s: SensorId,
    scan: &ScanOutput,
    excluded: &[(u64, usize)],
    in_coverage: &[(ThreatId, Coordinate<Ecef>)],
    gate_misses: &[GateMiss],
) {
    let state = &mut world.sensors[s];
    let report = state
        .tracker
        .step_gated(t.as_secs_f64(), &scan.detections, excluded);
    state.last_scan_s = Some(t.as_secs_f64());
    let tracks = state.tracker.confirmed();
    let truth_enu: Vec<Coordinate<Enu>> = in_coverage
        .iter()
        .map(|(_, p)| state.tracker.to_enu(p))
        .collect();
    let gospa_m = state.tracker.gospa(&truth_enu, &tracks);
    let false_alarms = scan.truth.iter().filter(|t| t.is_none()).count();
    let own_echoes = scan
        .truth
        .iter()
        .filter(|t| matches!(t, Some(Truth::Interceptor(_))))
        .count();
    // The radar's picture, scored.
    let frame = *state.tracker.frame();
    let truths: Vec<(ThreatId, Vector3<f64>)> = in_coverage
        .iter()
        .map(|(id, p)| (*id, *p.as_vector3()))
        .collect();
    let positions: Vec<(u64, Vector3<f64>)> = tracks
        .iter()
        .map(|tr| (tr.id, *frame.to_ecef(&tr.position).as_vector3()))
        .collect();
    let own = own_positions(&world.interceptors);
    let state = &mut world.sensors[s];
    let sample = state.siap.sample(&truths, &own, &positions);
    let name = state.sensor.name().to_string();
    ctx.emit(
        t,
        EventKind::Siap {
            picture: name.clone(),
            sample,
        },
    );
    ctx.emit(
        t,
        EventKind::Scan {
            radar: name.clone(),
            detections: (scan.detections.len() - false_alarms - own_echoes) as u32,
            false_alarms: false_alarms as u32,
            tracks: tracks.len() as u32,
            threats_in_coverage: in_coverage.len() as u32,
            gospa_m,
        },
    );
    for id in report.confirmed {
        ctx.emit(
            t,
            EventKind::TrackInitiated {
                radar: name.clone(),
                track: id,
            },
        );
    }
    for id in report.deleted {
        ctx.emit(
            t,
            EventKind::TrackDropped {
                radar: name.clone(),
                track: id,
            },
        );
    }
    if ctx.out.track_events {
        for tr in &tracks {
            let (p, v) = (tr.position.as_vector3(), tr.velocity.as_vector3());
            // The covariance's order is (x, vx, y, vy, z, vz, 1/β), in the radar's axes; turned
            // to ECEF axes, then to those at the track.
            let to_ecef = frame.ecef_to_enu_matrix().transpose();
            let block = |o: usize| {
                let enu = nalgebra::Matrix3::from_fn(|i, j| tr.covariance[(2 * i + o, 2 * j + o)]);
                to_ecef * enu * to_ecef.transpose()
            };
            let at = frame.to_ecef(&tr.position);
            ctx.emit(
                t,
                EventKind::TrackUpdate {
                    radar: name.clone(),
                    track: tr.id,
                    position_m: [p.x, p.y, p.z],
                    velocity_mps: [v.x, v.y, v.z],
                    accuracy: Accuracy::at(&at, &block(0), &block(1)),
                },
            );
        }
    }
    for (d, truth) in scan.detections.iter().zip(&scan.truth) {
        if truth.is_none() && !ctx.out.false_alarm_events {
            continue;
        }
        ctx.emit(
            t,
            EventKind::Detection {
                radar: name.clone(),
                range_m: d.range_m,
                azimuth_rad: d.azimuth_rad,
                elevation_rad: d.elevation_rad,
                range_rate_mps: d.range_rate_mps,
                snr_db: d.snr_db(),
                sigma_range_m: d.sigma[0],
                sigma_angle_rad: d.sigma[1],
                sigma_range_rate_mps: d.sigma[3],
                truth: truth.map(|x| world.truth_name(x)),
            },
        );
    }
    for m in gate_misses {
        ctx.emit(
            t,
            EventKind::RangeGateMiss {
                radar: name.clone(),
                track: m.track,
                gate_centre_m: m.centre_m,
                offset_m: m.offset_m,
                range_m: m.detection.range_m,
                truth: Some(world.truth_name(m.truth)),
            },
        );
    }
}

/// Scoring only: where the defense's flying interceptors are (ECEF).
pub(crate) fn own_positions(interceptors: &Store<InterceptorId, Interceptor>) -> Vec<Vector3<f64>> {
    interceptors
        .values()
        .filter(|i| i.alive)
        .map(Interceptor::position)
        .collect()
}
