//! The flown paths of one replication, for pictures (the report's map and altitude profile).
//!
//! Recording is off in Monte Carlo replications; [`run_traced`] turns it on for the one
//! replication a report draws. Threat paths are sampled from their flight plans after the run;
//! interceptor positions are recorded as they fly, at most every [`INTERCEPTOR_SAMPLE_S`].

use super::{Engine, EngineError, RunOptions};
use crate::events::Event;
use crate::scenario::Scenario;
use rampart_core::{Coordinate, Ecef, Geodetic, SimDuration, SimTime};
use serde::Serialize;

/// Spacing of the samples of a threat's path, s.
pub const THREAT_SAMPLE_S: i64 = 2;

/// Least spacing of the recorded samples of an interceptor's path, s.
pub const INTERCEPTOR_SAMPLE_S: f64 = 0.5;

/// A point of a path.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PathPoint {
    /// Seconds since the epoch.
    pub t: f64,
    /// Geodetic latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Height above the ellipsoid, m.
    pub alt_m: f64,
}

impl PathPoint {
    /// The point at ECEF position `p` at `t` s.
    pub fn at(t: f64, p: &Coordinate<Ecef>) -> Self {
        let g = Geodetic::from_ecef(p);
        Self {
            t,
            lat: g.lat_deg(),
            lon: g.lon_deg(),
            alt_m: g.alt_m,
        }
    }
}

/// The path of one threat or interceptor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlownPath {
    /// Threat id (`R<raid>-<n>`) or interceptor name (`<fire unit>/I<n>`).
    pub name: String,
    /// Threat type or interceptor type name.
    pub type_name: String,
    /// Launch point first, last known position last.
    pub points: Vec<PathPoint>,
}

/// Every path of a replication.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trace {
    /// Threats, in launch-schedule order (those that never launched are left out).
    pub threats: Vec<FlownPath>,
    /// Interceptors, in launch order.
    pub interceptors: Vec<FlownPath>,
}

/// Runs one replication of `scenario`, returning its events and the paths flown.
pub fn run_traced(
    scenario: &Scenario,
    opts: RunOptions,
) -> Result<(Vec<Event>, Trace), EngineError> {
    let mut engine = Engine::new(scenario, opts);
    engine.trace = Some(Trace::default());
    let end = engine.run_to_end()?;
    let mut trace = engine.trace.take().unwrap_or_default();
    let step = SimDuration::from_secs(THREAT_SAMPLE_S);
    for th in &engine.world.threats {
        let Some(plan) = th.plan.as_ref() else {
            continue;
        };
        let flight_s = plan.failure_s.unwrap_or(plan.impact_s);
        let flight_end = th
            .launch
            .checked_add(SimDuration::from_secs_f64(flight_s).unwrap_or_default())
            .unwrap_or(SimTime::MAX);
        let last = th.killed.map_or(flight_end, |k| k.min(flight_end)).min(end);
        let mut points = Vec::new();
        let mut t = th.launch;
        while t < last {
            if let Some((p, _)) = th.state_at(t) {
                points.push(PathPoint::at(t.as_secs_f64(), &p));
            }
            // (Ends at the representable time rather than wrapping round.)
            let Some(next) = t.checked_add(step) else {
                break;
            };
            t = next;
        }
        // The last point: just before a kill, at the impact or break-up otherwise.
        let at = if th.killed.is_some() {
            last - SimDuration::from_nanos(1)
        } else {
            last
        };
        if let Some((p, _)) = th.state_at(at) {
            points.push(PathPoint::at(at.as_secs_f64(), &p));
        }
        trace.threats.push(FlownPath {
            name: th.name.clone(),
            type_name: scenario.threat_types[scenario.raids[th.raid].threat_type]
                .name
                .clone(),
            points,
        });
    }
    Ok((engine.events, trace))
}

/// Records interceptor `name`'s position `p` at `t` s, if it is at least
/// [`INTERCEPTOR_SAMPLE_S`] after its last recorded point (or `force`).
pub(super) fn record_interceptor(
    trace: &mut Trace,
    name: &str,
    type_name: &str,
    t: f64,
    p: &Coordinate<Ecef>,
    force: bool,
) {
    match trace.interceptors.iter_mut().rev().find(|f| f.name == name) {
        Some(path) => {
            if force
                || path
                    .points
                    .last()
                    .is_none_or(|q| t - q.t >= INTERCEPTOR_SAMPLE_S)
            {
                path.points.push(PathPoint::at(t, p));
            }
        }
        None => trace.interceptors.push(FlownPath {
            name: name.to_string(),
            type_name: type_name.to_string(),
            points: vec![PathPoint::at(t, p)],
        }),
    }
}
