//! Sensing: each sensor's scan of the threats and interceptors in flight, and the range gates
//! its track dwells place. The detections go to the sensor's tracker
//! ([`super::tracking`]) without their truth labels, which stay beside them in
//! [`ScanOutput::truth`] for scoring and the detection log.

use super::{Ctx, tracking};
use crate::engine::Action;
use crate::sensors::{Detection, ScanOutput, TargetView};
use crate::world::{SensorId, SensorState, ThreatId, Truth, World};
use rampart_core::{Coordinate, Ecef, SimTime, Vector};

/// A detection of a real object that a clock-displaced range gate did not make.
#[derive(Clone, Copy, Debug)]
pub struct GateMiss {
    /// The track whose gate missed it.
    pub track: u64,
    /// How far the clock displaced the gate, m.
    pub offset_m: f64,
    /// Where the gate was centred, m.
    pub centre_m: f64,
    /// The detection.
    pub detection: Detection,
    /// What made it.
    pub truth: Truth,
}

/// An ECEF position and velocity.
type PositionVelocity = (Coordinate<Ecef>, Vector<Ecef>);

/// The sensing stage's buffers, kept between scans for their capacity.
#[derive(Debug, Default)]
pub struct Sensing {
    /// The threats in flight at a scan and their states.
    airborne: Vec<(ThreatId, PositionVelocity)>,
    /// The scan's detections and their truth.
    scan: ScanOutput,
}

impl Sensing {
    /// Sensor `s`'s scan number `k` at `t`: every threat and interceptor in flight is offered
    /// to it; its detections go to its tracker; the next scan is scheduled at its exact time.
    pub fn scan(
        &mut self,
        world: &mut World,
        ctx: &mut Ctx<'_, '_>,
        t: SimTime,
        s: SensorId,
        k: u64,
    ) {
        let scenario = ctx.scenario;
        // Every threat in flight, where it is now.
        let mut airborne = std::mem::take(&mut self.airborne);
        airborne.clear();
        airborne.extend(
            world
                .threats
                .iter()
                .filter_map(|(id, th)| th.state_at(t).map(|s| (id, s))),
        );
        let sensor = &world.sensors[s].sensor;
        let mut rng = ctx
            .streams
            .stream_numbered("radar/", sensor.name(), "scan/", k);
        let mut scan = std::mem::take(&mut self.scan);
        scan.clear();
        let cues = cues(world, scenario, t, s);
        let threats = airborne
            .iter()
            .map(|&(id, (position, velocity))| TargetView {
                cued: cues
                    .iter()
                    .any(|(c, gate)| (c - position.as_vector3()).norm() <= *gate),
                ..threat_view(world, scenario, id, t, position, velocity)
            });
        // The defense's own interceptors are echoes too.
        let interceptors = world
            .interceptors
            .iter()
            .filter(|(_, i)| i.alive)
            .map(|(id, i)| {
                let ty = &scenario.interceptor_types[i.ty];
                TargetView {
                    truth: Truth::Interceptor(id),
                    position: Coordinate::from_vector3(i.position()),
                    velocity: Vector::from_vector3(i.velocity()),
                    rcs_m2: ty.rcs_m2,
                    swerling: ty.swerling,
                    plume: false,
                    cued: false,
                }
            });
        sensor.scan(t, &mut threats.chain(interceptors), &mut rng, &mut scan);
        let (excluded, gate_misses) = range_gate(&mut world.sensors[s], t, &scan);
        // Scoring only: the threats this sensor could see.
        let in_coverage: Vec<(ThreatId, Coordinate<Ecef>)> = airborne
            .iter()
            .filter(|(_, (p, _))| world.sensors[s].sensor.covers(p))
            .map(|(id, (p, _))| (*id, *p))
            .collect();
        self.airborne = airborne;
        tracking::update(
            world,
            ctx,
            t,
            s,
            &scan,
            &excluded,
            &in_coverage,
            &gate_misses,
        );
        self.scan = scan; // kept for the buffer's capacity
        // Scans are placed at first + k·revisit exactly, never by accumulating. A scan past the
        // representable time never comes; nor does one that would not move time on (a revisit
        // that is not positive: the engine refuses it before the run).
        let sensor = &world.sensors[s].sensor;
        let next = k.checked_add(1).and_then(|k1| sensor.scan_time(k1));
        if let Some(next) = next.filter(|&n| n > t && n <= ctx.end) {
            ctx.queue.schedule(
                next,
                Action::Scan {
                    sensor: s,
                    k: k + 1,
                },
            );
        }
    }
}

/// Range gating of a sensor's scan at `t` (`state`: the sensor and its tracker). A track dwell looks for each live track's
/// target only within the track's range gate, centred where the track's filter predicts it
/// for the time the sensor's clock reads. A detection in a track's beam (within the gating
/// cone of its predicted direction) but outside its range window was not made by that dwell:
/// it may not update that track (it remains a search detection, free to start or update other
/// tracks). Returns those (track, detection index) pairs, and the misses to record: the pairs
/// whose gate the clock displaced by a metre or more, with the detection of a real object.
///
/// Every live track's estimate is at the sensor's previous scan (each scan predicts all
/// tracks to its time), and the tracker predicts only forward from it. A clock error longer
/// than the time since that scan (at a 2 s revisit, from about 583 hours of uptime) places
/// the gate before the estimate: the gate is then extrapolated along the track's range,
/// through its estimate at the previous scan and its prediction for this one, to the time the
/// clock reads. (Asked for a time before the estimate, the tracker would give the estimate
/// itself, and every gate would lag by one revisit's travel at most, whatever the uptime.)
pub fn range_gate(
    state: &mut SensorState,
    t: SimTime,
    scan: &ScanOutput,
) -> (Vec<(u64, usize)>, Vec<GateMiss>) {
    let Some(gating) = state.sensor.range_gating(t) else {
        return (Vec::new(), Vec::new());
    };
    let half = 0.5 * gating.window_m;
    let cone = gating.cone_rad;
    let t_s = t.as_secs_f64();
    let error_s = gating.clock_error_s;
    let since_s = state.last_scan_s.map_or(0.0, |prev| t_s - prev);
    let beyond_estimate = since_s > 0.0 && error_s > since_s;
    let asked_s = if beyond_estimate { since_s } else { error_s };
    let mut gates = state
        .tracker
        .range_gates(t_s, asked_s, &scan.detections, cone);
    if beyond_estimate {
        // Each gate is at the previous scan's estimate: its offset is the track's range
        // change over `since_s`; carried on at that rate to the clock's reading.
        let scale = error_s / since_s;
        for g in &mut gates {
            let predicted_m = g.centre_m - g.offset_m;
            g.offset_m *= scale;
            g.centre_m = predicted_m + g.offset_m;
        }
    }
    let mut excluded = Vec::new();
    let mut missed = Vec::new();
    for g in &gates {
        for (j, (d, truth)) in scan.detections.iter().zip(&scan.truth).enumerate() {
            let in_beam = rampart_core::geodesy::wrap_pi(d.azimuth_rad - g.azimuth_rad).abs()
                < cone
                && (d.elevation_rad - g.elevation_rad).abs() < cone;
            if in_beam && (d.range_m - g.centre_m).abs() > half {
                excluded.push((g.track, j));
                if let Some(truth) = truth.filter(|_| g.offset_m.abs() >= 1.0) {
                    missed.push(GateMiss {
                        track: g.track,
                        offset_m: g.offset_m,
                        centre_m: g.centre_m,
                        detection: *d,
                        truth,
                    });
                }
            }
        }
    }
    (excluded, missed)
}

/// What a sensor may see of threat `id` at `t`, at `position` and `velocity` (not cued).
pub(crate) fn threat_view(
    world: &World,
    scenario: &crate::scenario::Scenario,
    id: ThreatId,
    t: SimTime,
    position: Coordinate<Ecef>,
    velocity: Vector<Ecef>,
) -> TargetView {
    let th = &world.threats[id];
    let ty = &scenario.threat_types[th.threat_type];
    TargetView {
        truth: Truth::Threat(id),
        position,
        velocity,
        rcs_m2: ty.rcs_m2,
        swerling: ty.swerling,
        plume: th.burning(t),
        cued: false,
    }
}

/// The least radius of a cued dwell's volume, m.
pub const MIN_CUE_GATE_M: f64 = 1_000.0;

/// The largest radius of a cued dwell's volume, m (notional: what a radar's cued search of a
/// few beams at long range covers); a cue less precise than this cues nothing.
pub const MAX_CUE_GATE_M: f64 = 30_000.0;

/// Where the network cues radar `s` to look at `t` (with `[network]` enabled, its link up and a
/// `cued_gain`): each system track its radar does not hold, predicted to `t` as the node
/// predicts it, with the radius of the volume the cued dwell searches — three standard
/// deviations of the predicted position (averaged over the axes), at least
/// [`MIN_CUE_GATE_M`]; cues wider than [`MAX_CUE_GATE_M`] are left out.
fn cues(
    world: &World,
    scenario: &crate::scenario::Scenario,
    t: SimTime,
    s: SensorId,
) -> Vec<(nalgebra::Vector3<f64>, f64)> {
    let net = &scenario.network;
    let gain = scenario
        .radars
        .get(s.index())
        .map_or(0.0, |r| r.cued_gain_db);
    if !net.enabled || gain <= 0.0 || !net.sensor_links[s.index()].is_up(t) {
        return Vec::new();
    }
    let now = t.as_secs_f64();
    world
        .node
        .tracks()
        .iter()
        .filter(|sys| sys.local(s).is_none())
        .filter_map(|sys| {
            let f = sys.estimate(now)?;
            let var = f.p.fixed_view::<3, 3>(0, 0).trace() / 3.0;
            let gate = (3.0 * var.max(0.0).sqrt()).max(MIN_CUE_GATE_M);
            (gate <= MAX_CUE_GATE_M).then(|| (f.x.fixed_rows::<3>(0).into_owned(), gate))
        })
        .collect()
}
