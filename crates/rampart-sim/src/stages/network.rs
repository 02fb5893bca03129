//! The network: after each scan a radar's confirmed tracks go over its link to the fusion node
//! ([`crate::network`]), arriving late, out of order or not at all; the node's picture
//! changes only when a report arrives ([`crate::network::fusion::Node`]).

use super::Ctx;
use crate::engine::Action;
use crate::events::EventKind;
use crate::network::fusion::{Change, Fused, LocalTrack, SystemTrack, TrackReport};
use crate::scenario::Scenario;
use crate::siap::SiapScorer;
use crate::tracking::TrackEstimate;
use crate::world::{SensorId, ThreatId, TrackKey, UnitId, World};
use nalgebra::{Matrix3, SMatrix, Vector3};
use rampart_core::{Coordinate, LocalFrame, SimTime, Vector};

/// Track reports on their way to the node.
#[derive(Debug, Default)]
pub struct Network {
    in_flight: Vec<Option<TrackReport>>,
    free: Vec<usize>,
    /// Scoring only: the network picture's SIAP state.
    siap: SiapScorer,
}

impl Network {
    /// After scan `k` of sensor `s` at `t`: its confirmed tracks are sent to the node.
    pub fn after_scan(
        &mut self,
        world: &World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        s: SensorId,
        k: u64,
    ) {
        let net = &ctx.scenario.network;
        if !net.enabled {
            return;
        }
        let link = &net.radar_links[s.index()];
        let state = &world.sensors[s];
        let name = state.sensor.name();
        let mut rng = ctx.streams.stream_numbered("link/", name, "report/", k);
        let Some(at) = link.report_arrival(t, &mut rng) else {
            let reason = if link.is_up(t) { "loss" } else { "outage" };
            ctx.emit(
                t,
                EventKind::MessageLost {
                    link: name.to_string(),
                    reason: reason.to_string(),
                },
            );
            return;
        };
        let frame = *state.tracker.frame();
        let report = TrackReport {
            sensor: s,
            t_s: t.as_secs_f64(),
            tracks: state
                .tracker
                .confirmed()
                .iter()
                .map(|tr| to_local(tr, &frame))
                .collect(),
        };
        let slot = match self.free.pop() {
            Some(i) => {
                self.in_flight[i] = Some(report);
                i
            }
            None => {
                self.in_flight.push(Some(report));
                self.in_flight.len() - 1
            }
        };
        ctx.queue.schedule(at, Action::Deliver(slot));
    }

    /// Report `slot` reaches the node at `t`.
    pub fn deliver(&mut self, world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, slot: usize) {
        let Some(report) = self.in_flight.get_mut(slot).and_then(Option::take) else {
            return;
        };
        self.free.push(slot);
        let changes = world.node.receive(&report);
        emit_changes(world, ctx, t, &changes);
        // The network's picture, scored against the threats any radar could see.
        let now = t.as_secs_f64();
        let truths: Vec<(ThreatId, Vector3<f64>)> = world
            .threats
            .iter()
            .filter_map(|(id, th)| th.state_at(t).map(|(p, _)| (id, p)))
            .filter(|(_, p)| world.sensors.values().any(|s| s.sensor.covers(p)))
            .map(|(id, p)| (id, *p.as_vector3()))
            .collect();
        let tracks: Vec<(u64, Vector3<f64>)> = world
            .node
            .tracks()
            .iter()
            .filter_map(|sys| {
                let f = sys.estimate(now)?;
                Some((sys.id, f.x.fixed_rows::<3>(0).into_owned()))
            })
            .collect();
        let own = super::tracking::own_positions(&world.interceptors);
        let sample = self.siap.sample(&truths, &own, &tracks);
        ctx.emit(
            t,
            EventKind::Siap {
                picture: NETWORK_PICTURE.to_string(),
                sample,
            },
        );
    }
}

/// The name of the network's picture in `siap` events and summaries.
pub const NETWORK_PICTURE: &str = "network";

/// Forgets, at `t`, the local tracks the node has had no report of within the timeout.
pub fn prune(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime) {
    let timeout = ctx.scenario.network.track_timeout.as_secs_f64();
    let changes = world.node.prune(t.as_secs_f64(), timeout);
    emit_changes(world, ctx, t, &changes);
}

fn emit_changes(world: &World, ctx: &mut Ctx<'_, '_>, t: SimTime, changes: &[(u64, Change)]) {
    for &(track, change) in changes {
        let (word, sensor) = match change {
            Change::Initiated(s) => ("initiated", Some(s)),
            Change::Joined(s) => ("joined", Some(s)),
            Change::Left(s) => ("left", Some(s)),
            Change::Dropped => ("dropped", None),
        };
        let sensors = world
            .node
            .track(track)
            .map(|sys| sensor_names(world, sys.sources.keys().copied()))
            .unwrap_or_default();
        ctx.emit(
            t,
            EventKind::SystemTrack {
                track,
                change: word.to_string(),
                sensor: sensor.map(|s| world.sensors[s].sensor.name().to_string()),
                sensors,
            },
        );
    }
}

/// The names of `sensors`.
pub fn sensor_names(world: &World, sensors: impl IntoIterator<Item = SensorId>) -> Vec<String> {
    sensors
        .into_iter()
        .map(|s| world.sensors[s].sensor.name().to_string())
        .collect()
}

/// The rotation taking ECEF components to `frame`'s ENU components.
fn ecef_to_enu(frame: &LocalFrame) -> Matrix3<f64> {
    let (e, n, u) = (frame.east(), frame.north(), frame.up());
    Matrix3::from_rows(&[
        e.as_vector3().transpose(),
        n.as_vector3().transpose(),
        u.as_vector3().transpose(),
    ])
}

/// The ENU state index (x, vx, y, vy, z, vz) of ECEF state component `i` (position 0–2,
/// velocity 3–5) along axis `i % 3`.
fn enu_index(i: usize) -> usize {
    2 * (i % 3) + i / 3
}

/// A tracker's track as the node takes it: ECEF position and velocity with their covariance.
pub fn to_local(tr: &TrackEstimate, frame: &LocalFrame) -> LocalTrack {
    let r = ecef_to_enu(frame).transpose();
    // J: the 6 × 7 map from (x, vx, y, vy, z, vz, 1/β) ENU to ECEF (position, velocity).
    let mut j = SMatrix::<f64, 6, 7>::zeros();
    for row in 0..6 {
        for axis in 0..3 {
            j[(row, enu_index(3 * (row / 3) + axis))] = r[(row % 3, axis)];
        }
    }
    let mut x = nalgebra::SVector::<f64, 6>::zeros();
    x.fixed_rows_mut::<3>(0)
        .copy_from(frame.to_ecef(&tr.position).as_vector3());
    x.fixed_rows_mut::<3>(3)
        .copy_from(frame.vector_to_ecef(&tr.velocity).as_vector3());
    let p = j * tr.covariance * j.transpose();
    LocalTrack {
        id: tr.id,
        t_s: tr.t_s,
        x,
        p: (p + p.transpose()) * 0.5,
        updated: tr.updated,
        inverse_beta: tr.inverse_beta,
        inverse_beta_var: tr.covariance[(6, 6)],
        ballistic_probability: tr.ballistic_probability,
    }
}

/// A fused estimate as a track in `frame`, for threat evaluation and guidance.
pub fn to_estimate(f: &Fused, frame: &LocalFrame) -> TrackEstimate {
    let r = ecef_to_enu(frame);
    let mut k = SMatrix::<f64, 7, 6>::zeros();
    for col in 0..6 {
        for axis in 0..3 {
            k[(enu_index(3 * (col / 3) + axis), col)] = r[(axis, col % 3)];
        }
    }
    let mut covariance = k * f.p * k.transpose();
    covariance[(6, 6)] = f.inverse_beta_var;
    let pos = Coordinate::from_vector3(f.x.fixed_rows::<3>(0).into_owned());
    let vel = Vector::from_vector3(f.x.fixed_rows::<3>(3).into_owned());
    TrackEstimate {
        id: f.id,
        position: frame.to_enu(&pos),
        velocity: frame.vector_to_enu(&vel),
        t_s: f.t_s,
        inverse_beta: f.inverse_beta,
        covariance,
        ballistic_probability: f.ballistic_probability,
        updated: f.updated,
    }
}

/// What unit `u` knows of the track `key` it engages: its own radar's track where it has one
/// (for a system track, its radar's local track in it while the radar still holds it), else
/// the node's estimate as of its latest report. With the track's estimate come the frame it is
/// given in and the sensors whose data formed it.
pub fn engaged_estimate(
    world: &World,
    scenario: &Scenario,
    u: UnitId,
    key: TrackKey,
) -> Option<(TrackEstimate, LocalFrame, Vec<SensorId>)> {
    let radar = SensorId::from_index(scenario.fire_units[u.index()].radar);
    let tracker = &world.sensors[radar].tracker;
    let frame = *tracker.frame();
    match key {
        TrackKey::Local(id) => tracker.track(id).map(|tr| (tr, frame, vec![radar])),
        TrackKey::System(id) => {
            let sys = world.node.track(id)?;
            if let Some(tr) = own_track(world, sys, radar) {
                return Some((tr, frame, sys.sources.keys().copied().collect()));
            }
            let latest = sys.sources.values().map(|l| l.t_s).fold(f64::MIN, f64::max);
            let f = sys.estimate(latest)?;
            let sensors = f.sensors.clone();
            Some((to_estimate(&f, &frame), frame, sensors))
        }
    }
}

/// Radar `radar`'s own track in system track `sys`, while its tracker still holds it.
pub fn own_track(world: &World, sys: &SystemTrack, radar: SensorId) -> Option<TrackEstimate> {
    let local = sys.local(radar)?;
    world.sensors[radar].tracker.track(local.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_core::{Enu, Geodetic};

    #[test]
    fn a_track_goes_to_ecef_and_back_unchanged() {
        let frame = LocalFrame::new(Geodetic::from_degrees(33.8, 42.4, 100.0));
        let mut cov = SMatrix::<f64, 7, 7>::zeros();
        for i in 0..7 {
            for j in 0..7 {
                cov[(i, j)] = if i == j {
                    100.0 + i as f64
                } else {
                    1.0 / (1.0 + (i + j) as f64)
                };
            }
        }
        let tr = TrackEstimate {
            id: 3,
            position: Coordinate::<Enu>::new(1_000.0, 20_000.0, 5_000.0),
            velocity: Vector::<Enu>::new(-100.0, -900.0, -300.0),
            t_s: 12.5,
            inverse_beta: 1e-4,
            covariance: cov,
            ballistic_probability: 0.9,
            updated: true,
        };
        let l = to_local(&tr, &frame);
        let f = Fused {
            id: 3,
            t_s: l.t_s,
            x: l.x,
            p: l.p,
            inverse_beta: l.inverse_beta,
            inverse_beta_var: l.inverse_beta_var,
            ballistic_probability: l.ballistic_probability,
            updated: true,
            sensors: Vec::new(),
        };
        let back = to_estimate(&f, &frame);
        assert!((back.position.as_vector3() - tr.position.as_vector3()).norm() < 1e-6);
        assert!((back.velocity.as_vector3() - tr.velocity.as_vector3()).norm() < 1e-9);
        // The 6 × 6 block survives the rotation both ways; the cross terms with 1/β do not
        // travel.
        for i in 0..6 {
            for j in 0..6 {
                assert!(
                    (back.covariance[(i, j)] - cov[(i, j)]).abs() < 1e-9,
                    "({i}, {j})"
                );
            }
        }
        assert_eq!(back.covariance[(6, 6)], cov[(6, 6)]);
        // Position variance is the same in any frame: the trace of the position block.
        let enu_trace = cov[(0, 0)] + cov[(2, 2)] + cov[(4, 4)];
        let ecef_trace = l.p[(0, 0)] + l.p[(1, 1)] + l.p[(2, 2)];
        assert!((enu_trace - ecef_trace).abs() < 1e-9);
    }
}
