//! Threats from a feed: the defended scenario's raids, flown by one run and reported every
//! half second, supplied to a second run of the same defense without raids. The fed threats
//! must be detected, tracked and engaged; undefended, each must come down where the first run's
//! threat did (dead reckoning between reports, constant velocity over at most 0.5 s, is off by
//! ½·g·0.5² ≈ 1.2 m at most); and an entity that falls silent or is removed leaves the run.

use crate::common::defended;
use rampart_core::{SimDuration, SimTime};
use rampart_sim::engine::{Engine, RunOptions};
use rampart_sim::events::{EntityKind, Event, EventKind};
use rampart_sim::feed::{FeedState, FeedUpdate, Motion, RecordedFeed};
use rampart_sim::scenario::Scenario;
use std::collections::BTreeMap;

/// The scenario with no defense.
fn undefended(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.fire_units.clear();
    s.guns.clear();
    s
}

/// The scenario with no raids of its own.
fn without_raids(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.raids.clear();
    s
}

/// The threats' states every `every` in an undefended run of `s`, as a feed, with the run's
/// impacts (threat → (t, ECEF point)).
fn recorded(s: &Scenario, every: f64) -> (RecordedFeed, Vec<Event>) {
    let opts = RunOptions {
        state_interval: SimDuration::from_secs_f64(every),
        ..RunOptions::seed(7)
    };
    let events = Engine::new(s, opts).run().unwrap();
    let mut updates = Vec::new();
    for e in &events {
        if let EventKind::EntityState {
            entity,
            entity_kind: EntityKind::Threat,
            entity_type,
            position_m,
            velocity_mps,
            ..
        } = &e.kind
        {
            let threat_type = s
                .threat_types
                .iter()
                .position(|t| &t.name == entity_type)
                .unwrap();
            let t = SimTime::from_nanos(e.t_ns);
            updates.push((
                t,
                FeedUpdate::State {
                    entity: format!("ext-{entity}"),
                    threat_type,
                    state: FeedState {
                        t,
                        position: (*position_m).into(),
                        velocity: (*velocity_mps).into(),
                        acceleration: nalgebra::Vector3::zeros(),
                        motion: Motion::ConstantVelocity,
                    },
                },
            ));
        }
    }
    (RecordedFeed::new(updates), events)
}

fn fed_run(s: &Scenario, feed: &mut RecordedFeed) -> Vec<Event> {
    let mut events = Vec::new();
    Engine::new(s, RunOptions::seed(11))
        .run_fed(&mut events, Some(feed))
        .unwrap();
    events
}

fn impacts(events: &[Event]) -> BTreeMap<String, (f64, f64, f64)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Impact { threat, at, .. } => Some((
                threat.trim_start_matches("ext-").to_string(),
                (e.t, at.lat, at.lon),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn fed_threats_are_detected_tracked_and_engaged() {
    let s = defended();
    let (mut feed, truth) = recorded(&undefended(s), 0.5);
    let events = fed_run(&without_raids(s), &mut feed);
    let count =
        |evs: &[Event], f: fn(&EventKind) -> bool| evs.iter().filter(|e| f(&e.kind)).count();
    let launched: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Launch { threat, .. } => Some(threat.as_str()),
            _ => None,
        })
        .collect();
    let raid_threats: u32 = s.raids.iter().map(|r| r.count).sum();
    assert_eq!(launched.len(), raid_threats as usize);
    assert!(launched.iter().all(|t| t.starts_with("ext-")));
    let detected = events.iter().any(
        |e| matches!(&e.kind, EventKind::Detection { truth: Some(t), .. } if t.starts_with("ext-")),
    );
    let tracked = events
        .iter()
        .any(|e| matches!(e.kind, EventKind::TrackInitiated { .. }));
    let fired = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::InterceptorLaunch { .. }))
        .count();
    let kills: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Intercept {
                threat, kill: true, ..
            } => Some(threat.as_str()),
            _ => None,
        })
        .collect();
    assert!(detected && tracked, "the fed threats were not seen");
    assert!(fired > 0 && !kills.is_empty(), "{fired} fired, {kills:?}");
    // A killed threat's later reports change nothing: it never impacts.
    let hit = impacts(&events);
    for k in &kills {
        assert!(!hit.contains_key(k.trim_start_matches("ext-")), "{k}");
    }
    // Every fed threat ended: by an impact, a kill, or — those that broke up in the recorded
    // run, whose reports stop in the air — the time-out.
    let failed = count(&truth, |k| matches!(k, EventKind::Failure { .. }));
    let removed = count(
        &events,
        |k| matches!(k, EventKind::Removed { reason, .. } if reason == "timed_out"),
    );
    assert!(removed <= failed, "{removed} timed out, {failed} failed");
    assert_eq!(hit.len() + kills.len() + removed, launched.len());
    // As repeatable as any run.
    let (mut again, _) = recorded(&undefended(s), 0.5);
    assert_eq!(fed_run(&without_raids(s), &mut again), events);
}

#[test]
fn undefended_fed_threats_come_down_where_the_recorded_ones_did() {
    let s = undefended(defended());
    let (mut feed, truth) = recorded(&s, 0.5);
    let events = fed_run(&without_raids(&s), &mut feed);
    let (want, got) = (impacts(&truth), impacts(&events));
    assert_eq!(want.len(), got.len());
    assert!(!want.is_empty());
    for (name, (t, lat, lon)) in &want {
        let (t2, lat2, lon2) = got[name];
        let d = rampart_core::Geodetic::from_degrees(*lat, *lon, 0.0)
            .geodesic_to(&rampart_core::Geodetic::from_degrees(lat2, lon2, 0.0))
            .distance_m;
        // Constant-velocity dead reckoning over ≤ 0.5 s under gravity: ≤ ½·9.8·0.25 ≈ 1.2 m of
        // drop, met at the dive angle; and the crossing found to 1 ms.
        assert!(d < 5.0, "{name}: {d:.1} m from the recorded impact");
        assert!(
            (t - t2).abs() < 0.1,
            "{name}: impact at {t2} s, recorded {t} s"
        );
    }
}

#[test]
fn a_silent_or_removed_entity_leaves_the_run() {
    let s = without_raids(&undefended(defended()));
    let at = |secs: f64| SimTime::EPOCH + SimDuration::from_secs_f64(secs).unwrap();
    // Two entities 20 km up over the base, climbing slowly; one removed at 30 s, the other
    // silent after 10 s (so gone at 10 s + the 12 s default time-out).
    let site = s.assets[0].position;
    let up = rampart_core::Geodetic {
        alt_m: 20_000.0,
        ..site
    };
    let p = *up.to_ecef().as_vector3();
    let state = |t: f64| FeedState {
        t: at(t),
        position: p,
        velocity: p.normalize() * 10.0,
        acceleration: nalgebra::Vector3::zeros(),
        motion: Motion::ConstantVelocity,
    };
    let upd = |name: &str, t: f64| {
        (
            at(t),
            FeedUpdate::State {
                entity: name.into(),
                threat_type: 0,
                state: state(t),
            },
        )
    };
    let mut feed = RecordedFeed::new(vec![
        upd("a", 1.0),
        upd("b", 1.0),
        upd("a", 10.0),
        upd("b", 10.0),
        upd("a", 20.0),
        (at(30.0), FeedUpdate::Remove { entity: "a".into() }),
        // A placeholder at the Earth's centre is no threat.
        (
            at(5.0),
            FeedUpdate::State {
                entity: "nowhere".into(),
                threat_type: 0,
                state: FeedState {
                    position: nalgebra::Vector3::zeros(),
                    ..state(5.0)
                },
            },
        ),
    ]);
    let events = fed_run(&s, &mut feed);
    let removed: Vec<(f64, &str, &str)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Removed { threat, reason, .. } => {
                Some((e.t, threat.as_str(), reason.as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        removed,
        vec![(22.0, "b", "timed_out"), (30.0, "a", "removed")]
    );
    let summary = rampart_sim::summary::RunSummary::from_events(&s, 11, &events);
    assert_eq!(summary.totals.launched, 2);
    assert_eq!(summary.totals.removed, 2);
}

/// One state of entity `name` at `secs`, `alt_m` above the first asset, moving at `v_up` m/s up
/// and 100 m/s east.
fn report(s: &Scenario, name: &str, secs: f64, alt_m: f64, v_up: f64) -> (SimTime, FeedUpdate) {
    let t = SimTime::EPOCH + SimDuration::from_secs_f64(secs).unwrap();
    let site = s.assets[0].position;
    let g = rampart_core::Geodetic {
        alt_m: site.alt_m + alt_m,
        ..site
    };
    let frame = rampart_core::LocalFrame::new(g);
    let v = frame.up().as_vector3() * v_up + frame.east().as_vector3() * 100.0;
    (
        t,
        FeedUpdate::State {
            entity: name.into(),
            threat_type: 0,
            state: FeedState {
                t,
                position: *g.to_ecef().as_vector3(),
                velocity: v,
                acceleration: nalgebra::Vector3::zeros(),
                motion: Motion::ConstantVelocity,
            },
        },
    )
}

#[test]
fn ends_come_where_they_should_and_a_returning_entity_is_new() {
    let s = without_raids(&undefended(defended()));
    let mut feed = RecordedFeed::new(vec![
        // Reported already 20 m under the ground, coming down: it impacts on arrival.
        report(&s, "under", 5.0, -20.0, -300.0),
        // Level at 30 m when it falls silent: it left in flight, not an impact.
        report(&s, "low", 5.0, 30.0, 0.0),
        // Level on ground 10 m lower than the asset's: not an impact on arrival either.
        report(&s, "parked", 5.0, -10.0, 0.0),
        // Coming down at 30 m when it falls silent: it landed.
        report(&s, "diving", 5.0, 3_000.0, -100.0),
        report(&s, "diving", 10.0, 30.0, -100.0),
        // Removed, then back: a new threat.
        report(&s, "back", 5.0, 5_000.0, 0.0),
        (
            SimTime::EPOCH + SimDuration::from_secs(8),
            FeedUpdate::Remove {
                entity: "back".into(),
            },
        ),
        report(&s, "back", 20.0, 5_000.0, 0.0),
        // Detonations: on the ground an impact where the PDU says, in the air an end there.
        report(&s, "boom", 5.0, 3_000.0, -100.0),
        report(&s, "air", 5.0, 3_000.0, -100.0),
        (
            SimTime::EPOCH + SimDuration::from_secs(9),
            FeedUpdate::Detonate {
                entity: "boom".into(),
                position: *s.assets[0].position.to_ecef().as_vector3(),
                ground: true,
            },
        ),
        (
            SimTime::EPOCH + SimDuration::from_secs(9),
            FeedUpdate::Detonate {
                entity: "air".into(),
                position: *rampart_core::Geodetic {
                    alt_m: 2_000.0,
                    ..s.assets[0].position
                }
                .to_ecef()
                .as_vector3(),
                ground: false,
            },
        ),
    ]);
    let events = fed_run(&s, &mut feed);
    let ends: BTreeMap<&str, (f64, &str)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Impact { threat, .. } => Some((threat.as_str(), (e.t, "impact"))),
            EventKind::Removed { threat, reason, .. } => {
                Some((threat.as_str(), (e.t, reason.as_str())))
            }
            _ => None,
        })
        .collect();
    assert_eq!(ends["under"], (5.0, "impact"));
    assert_eq!(ends["low"], (17.0, "timed_out"));
    assert_eq!(ends["parked"], (17.0, "timed_out"));
    // Dead-reckoned from 30 m at 100 m/s down it meets the ground 0.3 s later.
    let (t, how) = ends["diving"];
    assert!((t - 10.3).abs() < 2e-3 && how == "impact", "{t} {how}");
    assert_eq!(ends["back"], (8.0, "removed"));
    assert_eq!(ends["boom"], (9.0, "impact"));
    assert_eq!(ends["air"], (9.0, "detonated"));
    let hit = events.iter().find_map(|e| match &e.kind {
        EventKind::Impact {
            threat,
            asset,
            miss_m,
            ..
        } if threat == "boom" => Some((asset.clone(), *miss_m)),
        _ => None,
    });
    assert_eq!(hit, Some((Some(s.assets[0].name.clone()), 0.0)));
    assert_eq!(ends["back#2"], (32.0, "timed_out"));
}

#[test]
fn a_feed_that_asks_to_be_polled_in_the_past_stops_the_run() {
    struct Stuck;
    impl rampart_sim::feed::ThreatFeed for Stuck {
        fn poll(
            &mut self,
            _: SimTime,
            _: &mut Vec<FeedUpdate>,
        ) -> Result<(), rampart_sim::feed::FeedError> {
            Ok(())
        }
        fn next_poll(&self, t: SimTime) -> Option<SimTime> {
            Some(t)
        }
    }
    let s = without_raids(defended());
    let mut events = Vec::new();
    let e = Engine::new(&s, RunOptions::seed(1))
        .run_fed(&mut events, Some(&mut Stuck))
        .unwrap_err();
    assert!(e.to_string().contains("threat feed"), "{e}");
}
