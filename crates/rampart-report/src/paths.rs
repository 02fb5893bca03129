//! The flown paths the report draws, read from the run's `entity_state` events alone.

use rampart_sim::events::{EntityKind, Event, EventKind};
use std::collections::HashMap;

/// A point of a path.
#[derive(Clone, Copy, Debug, PartialEq)]
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

/// The path of one threat or interceptor.
#[derive(Clone, Debug, PartialEq)]
pub struct FlownPath {
    /// Threat id (`R<raid>-<n>`) or interceptor name (`<fire unit>/I<n>`).
    pub name: String,
    /// Threat type or interceptor type name.
    pub type_name: String,
    /// In time order: launch first, last known position last.
    pub points: Vec<PathPoint>,
}

/// Every path of a replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// Threats, in launch order.
    pub threats: Vec<FlownPath>,
    /// Interceptors, in launch order.
    pub interceptors: Vec<FlownPath>,
}

impl Trace {
    /// The paths of the `entity_state` events among `events` (in time order, as a run gives
    /// them); a second state of an entity at the same instant is left out.
    pub fn from_events(events: &[Event]) -> Self {
        let mut trace = Self::default();
        let mut index: HashMap<(bool, &str), usize> = HashMap::new();
        for e in events {
            let EventKind::EntityState {
                entity,
                entity_kind,
                entity_type,
                at,
                alt_m,
                ..
            } = &e.kind
            else {
                continue;
            };
            let threat = *entity_kind == EntityKind::Threat;
            let list = if threat {
                &mut trace.threats
            } else {
                &mut trace.interceptors
            };
            let k = *index.entry((threat, entity.as_str())).or_insert_with(|| {
                list.push(FlownPath {
                    name: entity.clone(),
                    type_name: entity_type.clone(),
                    points: Vec::new(),
                });
                list.len() - 1
            });
            let points = &mut list[k].points;
            if points.last().is_some_and(|p| p.t == e.t) {
                continue;
            }
            points.push(PathPoint {
                t: e.t,
                lat: at.lat,
                lon: at.lon,
                alt_m: *alt_m,
            });
        }
        trace
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_core::SimTime;
    use rampart_sim::events::LatLon;

    fn state(t_s: i64, name: &str, kind: EntityKind, alt_m: f64) -> Event {
        Event::new(
            SimTime::from_nanos(t_s * 1_000_000_000),
            EventKind::EntityState {
                entity: name.into(),
                entity_kind: kind,
                entity_type: "T".into(),
                position_m: [0.0; 3],
                velocity_mps: [0.0; 3],
                at: LatLon { lat: 1.0, lon: 2.0 },
                alt_m,
            },
        )
    }

    #[test]
    fn paths_gather_each_entitys_states_in_order() {
        let events = [
            state(0, "R1-1", EntityKind::Threat, 0.0),
            state(1, "R1-1", EntityKind::Threat, 10.0),
            state(1, "R1-1", EntityKind::Threat, 10.0), // the same instant again
            state(1, "B/I1", EntityKind::Interceptor, 5.0),
            state(2, "R1-2", EntityKind::Threat, 0.0),
            state(2, "R1-1", EntityKind::Threat, 20.0),
        ];
        let t = Trace::from_events(&events);
        assert_eq!(t.threats.len(), 2);
        assert_eq!(t.threats[0].name, "R1-1");
        let alts: Vec<f64> = t.threats[0].points.iter().map(|p| p.alt_m).collect();
        assert_eq!(alts, [0.0, 10.0, 20.0]);
        assert_eq!(t.interceptors.len(), 1);
        assert_eq!(t.interceptors[0].points.len(), 1);
    }
}
