//! The network: after each scan a radar's confirmed tracks go over its link to the fusion node
//! ([`crate::network`]), arriving late, out of order or not at all; the node's picture
//! changes only when a report arrives ([`crate::network::fusion::Node`]).

use super::Ctx;
use super::sensing::threat_view;
use super::{after, latlon};
use crate::engine::Action;
use crate::events::{Accuracy, EventKind};
use crate::network::Lost;
use crate::network::fusion::{Change, Fused, LocalTrack, SystemTrack, TrackReport};
use crate::scenario::Scenario;
use crate::sensors::early_warning::EarlyWarningParams;
use crate::sensors::{ScanOutput, Sensor, TargetView};
use crate::siap::SiapScorer;
use crate::tracking::TrackEstimate;
use crate::world::{SensorId, ThreatId, TrackKey, Truth, UnitId, World};
use nalgebra::{Matrix3, SMatrix, Vector3};
use rampart_core::geodesy::wrap_tau;
use rampart_core::{Coordinate, Enu, Geodetic, LocalFrame, SimTime, Vector};
use rand_distr::{Distribution, StandardNormal};

/// Track reports on their way to the node.
#[derive(Debug, Default)]
pub struct Network {
    /// Each report with the events it brings to the node (an early-warning sensor's launch
    /// warnings).
    in_flight: Vec<Option<(TrackReport, Vec<EventKind>)>>,
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
        let link = &net.sensor_links[s.index()];
        let state = &world.sensors[s];
        let name = state.sensor.name();
        let mut rng = ctx.streams.stream_numbered("link/", name, "report/", k);
        let at = match link.report_arrival(t, &mut rng) {
            Ok(at) => at,
            Err(reason) => return message_lost(ctx, t, name, reason),
        };
        let frame = *state.tracker.frame();
        let revisit_s = state.sensor.revisit().as_secs_f64();
        let report = TrackReport {
            sensor: s,
            t_s: t.as_secs_f64(),
            tracks: state
                .tracker
                .confirmed()
                .iter()
                .map(|tr| to_local(tr, &frame, revisit_s))
                .collect(),
        };
        self.send(ctx, at, report, Vec::new());
    }

    /// Puts `report` (with `events`) on its way to arrive at `at`.
    fn send(
        &mut self,
        ctx: &mut Ctx<'_, '_>,
        at: SimTime,
        report: TrackReport,
        events: Vec<EventKind>,
    ) {
        let message = Some((report, events));
        let slot = match self.free.pop() {
            Some(i) => {
                self.in_flight[i] = message;
                i
            }
            None => {
                self.in_flight.push(message);
                self.in_flight.len() - 1
            }
        };
        ctx.queue.schedule(at, Action::Deliver(slot));
    }

    /// Look `k` of early-warning sensor `i` at `t`: the plumes it sees go to its own tracks,
    /// and its tracks (with a launch warning for each new one) to the node, after its delay
    /// and over its link (without a network, after its delay alone, to the assets' warning
    /// chain); its next look is scheduled.
    pub fn look(&mut self, world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, i: usize, k: u64) {
        let scenario = ctx.scenario;
        let views: Vec<TargetView> = world
            .threats
            .iter()
            .filter_map(|(id, th)| {
                let (position, velocity) = th.state_at(t)?;
                Some(threat_view(world, scenario, id, t, position, velocity))
            })
            .collect();
        let w = &world.warning[i];
        let p = w.sensor.params().clone();
        let mut rng = ctx.streams.stream_numbered("warning/", &p.name, "look/", k);
        let mut seen = ScanOutput::default();
        w.sensor
            .scan(t, &mut views.into_iter(), &mut rng, &mut seen);
        let positions: Vec<Vector3<f64>> = seen
            .detections
            .iter()
            .map(|d| w.sensor.position(d))
            .collect();
        let t_s = t.as_secs_f64();
        let tracks = world.warning[i].cue.update(
            t_s,
            p.revisit.as_secs_f64(),
            p.cue_hold.as_secs_f64(),
            p.position_error_m,
            &positions,
        );
        let warnings: Vec<EventKind> = tracks
            .iter()
            .zip(&seen.truth)
            .filter(|((_, new), _)| *new)
            .filter_map(|((track, _), truth)| match truth {
                Some(Truth::Threat(th)) => {
                    launch_warning(world, scenario, &p, *th, *track, &mut rng)
                }
                _ => None,
            })
            .collect();
        let sensor = &world.warning[i].sensor;
        if let Some(next) = k
            .checked_add(1)
            .and_then(|k1| sensor.scan_time(k1))
            .filter(|&n| n > t && n <= ctx.end)
        {
            ctx.queue.schedule(
                next,
                Action::Look {
                    sensor: i,
                    k: k + 1,
                },
            );
        }
        let id = world.warning_id(i);
        let report = TrackReport {
            sensor: id,
            t_s,
            tracks: world.warning[i]
                .cue
                .tracks(t_s, p.revisit.as_secs_f64(), p.position_error_m),
        };
        // Without a network the cues reach the assets' warning chain alone, after the
        // sensor's own delay.
        if !scenario.network.enabled {
            return self.send(ctx, after(t, p.delay), report, warnings);
        }
        let link = &scenario.network.sensor_links[id.index()];
        match link.report_arrival(after(t, p.delay), &mut rng) {
            Ok(at) => self.send(ctx, at, report, warnings),
            Err(reason) => message_lost(ctx, t, &p.name, reason),
        }
    }

    /// Report `slot` reaches the node at `t`.
    pub fn deliver(&mut self, world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime, slot: usize) {
        let Some((report, events)) = self.in_flight.get_mut(slot).and_then(Option::take) else {
            return;
        };
        self.free.push(slot);
        for kind in events {
            let cue = match &kind {
                EventKind::LaunchWarning {
                    sensor,
                    track,
                    launch_point,
                    heading_deg,
                    heading_sigma_deg,
                    truth,
                    ..
                } => Some((
                    sensor.clone(),
                    *track,
                    *launch_point,
                    *heading_deg,
                    *heading_sigma_deg,
                    truth.clone(),
                )),
                _ => None,
            };
            ctx.emit(t, kind);
            if let Some((sensor, track, launch_point, heading_deg, heading_sigma_deg, truth)) = cue
            {
                let cue = super::warning::Cue {
                    sensor: &sensor,
                    track,
                    launch_point,
                    heading_deg,
                    heading_sigma_deg,
                    truth: truth.as_deref(),
                };
                super::warning::after_cue(world, ctx, t, &cue);
            }
        }
        if !ctx.scenario.network.enabled {
            return;
        }
        let changes = world.node.receive(&report, t.as_secs_f64());
        emit_changes(world, ctx, t, &changes);
        // The network's picture, scored against the threats any radar could see (an
        // early-warning sensor's cues are not tracks of the picture).
        let now = t.as_secs_f64();
        let truths: Vec<(ThreatId, Vector3<f64>)> = world
            .threats
            .iter()
            .filter_map(|(id, th)| th.state_at(t).map(|(p, _)| (id, p)))
            .filter(|(_, p)| world.sensors.values().any(|s| s.sensor.covers(p)))
            .map(|(id, p)| (id, *p.as_vector3()))
            .collect();
        // A system track no radar holds is an early-warning cue, not a track of the picture.
        let tracks: Vec<(u64, Vector3<f64>)> = world
            .node
            .tracks()
            .iter()
            .filter(|sys| world.held_by_radar(sys))
            .filter_map(|sys| {
                let f = sys.estimate(now)?;
                Some((sys.id, f.x.fixed_rows::<3>(0).into_owned()))
            })
            .collect();
        if ctx.out.track_events {
            for sys in world
                .node
                .tracks()
                .iter()
                .filter(|s| world.held_by_radar(s))
            {
                let Some(f) = sys.estimate(now) else { continue };
                let at = Coordinate::from_vector3(Vector3::new(f.x[0], f.x[1], f.x[2]));
                let block =
                    |o: usize| -> Matrix3<f64> { f.p.fixed_view::<3, 3>(o, o).into_owned() };
                ctx.emit(
                    t,
                    EventKind::SystemTrackUpdate {
                        track: sys.id,
                        position_m: [f.x[0], f.x[1], f.x[2]],
                        velocity_mps: [f.x[3], f.x[4], f.x[5]],
                        sensors: sys.sources.len() as u32,
                        accuracy: Accuracy::at(&at, &block(0), &block(3)),
                    },
                );
            }
        }
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

/// The launch warning of early-warning sensor `p`'s new track `track` of threat `th`: its
/// launch time, launch point and heading, each the truth plus a Gaussian error of the stated
/// standard deviation (the error model of a reported quantity). None for a threat from a
/// feed: its launch was not seen.
fn launch_warning(
    world: &World,
    scenario: &Scenario,
    p: &EarlyWarningParams,
    th: ThreatId,
    track: u64,
    rng: &mut rampart_core::random::StreamRng,
) -> Option<EventKind> {
    let threat = &world.threats[th];
    let mut normal = || -> f64 { StandardNormal.sample(&mut *rng) };
    let r = threat.raid?;
    let site = scenario.raids[r].launch_site;
    let frame = LocalFrame::new(site);
    let heading = threat
        .plan
        .as_ref()
        .map_or(0.0, |plan| frame.aer(&plan.aimed_at.to_ecef()).az_rad);
    let (de, dn) = (
        normal() * p.launch_point_error_m,
        normal() * p.launch_point_error_m,
    );
    let point = Geodetic::from_ecef(&frame.to_ecef(&Coordinate::<Enu>::new(de, dn, 0.0)));
    Some(EventKind::LaunchWarning {
        sensor: p.name.clone(),
        track,
        launch_t: threat.launch.as_secs_f64() + normal() * p.launch_time_error_s,
        launch_t_sigma_s: p.launch_time_error_s,
        launch_point: latlon(&point),
        launch_point_sigma_m: p.launch_point_error_m,
        heading_deg: wrap_tau(heading + normal() * p.heading_error_rad).to_degrees(),
        heading_sigma_deg: p.heading_error_rad.to_degrees(),
        truth: Some(threat.name.clone()),
    })
}

/// The name of the network's picture in `siap` events and summaries.
pub const NETWORK_PICTURE: &str = "network";

/// Records at `t` that a message on `link`'s link was lost, and why.
pub(crate) fn message_lost(ctx: &mut Ctx<'_, '_>, t: SimTime, link: &str, reason: Lost) {
    ctx.emit(
        t,
        EventKind::MessageLost {
            link: link.to_string(),
            reason: reason.word().to_string(),
        },
    );
}

/// Forgets, at `t`, the local tracks the node has had no report of within the timeout: the
/// network's `track_timeout`, or 2.5 of the sensor's revisits if that is longer (a slow sensor's
/// tracks are not forgotten between its reports).
pub fn prune(world: &mut World, ctx: &mut Ctx<'_, '_>, t: SimTime) {
    let timeout = ctx.scenario.network.track_timeout.as_secs_f64();
    // Each sensor's timeout, by handle (the node is changed while they are read).
    let n = world.sensors.len() + world.warning.len();
    let timeouts: Vec<f64> = (0..n)
        .map(|i| {
            let revisit = world
                .sensor(SensorId::from_index(i))
                .map_or(0.0, |x| x.revisit().as_secs_f64());
            timeout.max(2.5 * revisit)
        })
        .collect();
    let changes = world.node.prune(t.as_secs_f64(), |s| {
        timeouts.get(s.index()).copied().unwrap_or(timeout)
    });
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
                sensor: sensor.map(|s| world.sensor_name(s).to_string()),
                sensors,
            },
        );
    }
}

/// The names of `sensors`.
pub fn sensor_names(world: &World, sensors: impl IntoIterator<Item = SensorId>) -> Vec<String> {
    sensors
        .into_iter()
        .map(|s| world.sensor_name(s).to_string())
        .collect()
}

/// J, the 6 × 7 map from a tracker's ENU state (x, vx, y, vy, z, vz, 1/β) in `frame` to ECEF
/// position and velocity: the rotation ENU → ECEF on each. Its transpose maps back (the
/// rotation is orthonormal), 1/β left out.
fn jacobian(frame: &LocalFrame) -> SMatrix<f64, 6, 7> {
    let r = frame.ecef_to_enu_matrix().transpose();
    let mut j = SMatrix::<f64, 6, 7>::zeros();
    for row in 0..6 {
        for axis in 0..3 {
            // ENU state index of axis `axis`: position at 2·axis, velocity at 2·axis + 1.
            j[(row, 2 * axis + row / 3)] = r[(row % 3, axis)];
        }
    }
    j
}

/// A tracker's track as the node takes it: ECEF position and velocity with their covariance.
pub fn to_local(tr: &TrackEstimate, frame: &LocalFrame, revisit_s: f64) -> LocalTrack {
    let j = jacobian(frame);
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
        process_noise: crate::network::fusion::PREDICTION_NOISE,
        revisit_s,
        received_s: tr.t_s,
    }
}

/// A fused estimate as a track in `frame`, for threat evaluation and guidance.
pub fn to_estimate(f: &Fused, frame: &LocalFrame) -> TrackEstimate {
    let k = jacobian(frame).transpose();
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

/// What unit `u` knows at `t` of the track `key` it engages: its own radar's track where it has
/// one (for a system track, its radar's local track in it while the radar still holds it), else
/// the node's estimate as of its latest report — while the unit's link is up (out of the
/// network it has its own radar's tracks only). With the track's estimate come the frame it is
/// given in and the sensors whose data formed it.
pub fn engaged_estimate(
    world: &World,
    scenario: &Scenario,
    u: UnitId,
    key: TrackKey,
    t: SimTime,
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
            if !scenario.network.unit_links[u.index()].is_up(t) {
                return None;
            }
            let f = sys.latest_estimate()?;
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
        let l = to_local(&tr, &frame, 2.0);
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
