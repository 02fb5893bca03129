//! Interceptors lost by rule: one whose seeker has no lock `acquisition_grace` after its
//! planned intercept time is destroyed (`interceptor_lost`, `no_lock_past_intercept`), flies
//! no further, and its engagement ends as a miss's does; until the rule fires, a run is
//! exactly the run without it.

use crate::common::defended;
use rampart_core::SimDuration;
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{EntityKind, Event, EventKind};
use rampart_sim::scenario::Scenario;
use rampart_sim::summary::RunSummary;
use std::collections::HashMap;

/// The defended scenario with seekers that never acquire (an acquisition range of 1 m: the
/// uplinked target is never that close) and interceptors that always work, so every
/// interceptor reaches its planned intercept point without a lock.
fn blind(grace_s: f64) -> Scenario {
    let mut s = defended().clone();
    for ty in &mut s.interceptor_types {
        ty.seeker.acquisition_range_m = 1.0;
        ty.reliability = 1.0;
        ty.acquisition_grace_s = grace_s;
    }
    s
}

fn states(s: &Scenario) -> Vec<Event> {
    run(
        s,
        RunOptions {
            state_interval: Some(SimDuration::from_secs(1)),
            ..RunOptions::seed(s.seed)
        },
    )
    .expect("the scenario runs")
}

/// (time of the loss, reason, track, flight time) of each interceptor lost.
fn losses(events: &[Event]) -> HashMap<String, (f64, String, u64, f64)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::InterceptorLost {
                interceptor,
                reason,
                track,
                flight_s,
                ..
            } => Some((
                interceptor.clone(),
                (e.t, reason.clone(), *track, *flight_s),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn an_interceptor_without_a_lock_past_its_intercept_is_lost_and_flies_no_further() {
    let s = blind(2.0);
    let events = states(&s);
    let lost = losses(&events);
    let mut launched = 0;
    for e in &events {
        match &e.kind {
            EventKind::InterceptorLaunch {
                interceptor,
                target_track,
                ..
            } => {
                launched += 1;
                let (t, reason, track, flight_s) = lost
                    .get(interceptor)
                    .unwrap_or_else(|| panic!("{interceptor} was never lost"));
                assert_eq!(reason, "no_lock_past_intercept", "{interceptor}");
                assert_eq!(track, target_track, "{interceptor}");
                assert!((t - e.t - flight_s).abs() < 1e-9, "{interceptor}");
                // Long before its longest flight: the rule, not the time-out, ended it.
                let ty = &s.interceptor_types[0];
                assert!(*flight_s < ty.max_flight_time_s - 30.0, "{interceptor}");
            }
            EventKind::Intercept { .. } => panic!("a blind seeker made an intercept"),
            // No step after the loss: no state of it is sampled later.
            EventKind::EntityState {
                entity,
                entity_kind: EntityKind::Interceptor,
                ..
            } => {
                if let Some((t, ..)) = lost.get(entity) {
                    assert!(e.t <= *t, "{entity} still flying at {} after {t}", e.t);
                }
            }
            _ => {}
        }
    }
    assert!(launched >= 4, "only {launched} interceptors launched");
    assert_eq!(lost.len(), launched);

    // The losses are counted, and every interceptor is accounted for.
    let summary = RunSummary::from_events(&s, s.seed, &events);
    for u in &summary.fire_units {
        assert_eq!(u.intercepts, 0, "{}", u.name);
        assert_eq!(u.interceptors_lost, u.interceptors_launched, "{}", u.name);
    }

    // The engagement ends as after a miss: a unit engages the same track again.
    let first_loss = lost.values().map(|l| l.0).fold(f64::INFINITY, f64::min);
    let reengaged = events.iter().any(|e| match &e.kind {
        EventKind::EngagementPlanned { track, .. } => {
            e.t > first_loss && lost.values().any(|l| l.2 == *track && l.0 < e.t)
        }
        _ => false,
    });
    assert!(
        reengaged,
        "no track engaged again after its interceptors were lost"
    );

    // The loss comes `acquisition_grace` after the planned intercept: 3 s more grace, 3 s
    // later (within a midcourse step), for the first interceptor lost.
    let later = losses(&states(&blind(5.0)));
    let (first, (t2, ..)) = lost
        .iter()
        .min_by(|a, b| a.1.0.total_cmp(&b.1.0))
        .expect("a loss");
    let (t5, ..) = later[first];
    assert!(
        (t5 - t2 - 3.0).abs() <= 0.05 + 1e-9,
        "{first}: lost at {t2} s with 2 s of grace, {t5} s with 5 s"
    );
}

/// Until an interceptor is lost by the rule, a run is event for event the run without it
/// (a grace longer than any flight): intercepts are untouched. Where the rule fires, the
/// interceptor would otherwise have flown on until its `max_flight_time`.
#[test]
fn the_rule_changes_nothing_before_it_fires() {
    let s = defended();
    let mut without = s.clone();
    for ty in &mut without.interceptor_types {
        ty.acquisition_grace_s = 600.0;
    }
    let mut fired = 0;
    let mut intercepts = 0;
    for k in 0..6 {
        let opts = RunOptions {
            replication: k,
            ..RunOptions::seed(s.seed)
        };
        let with_rule = run(s, opts).expect("run");
        let without_rule = run(&without, opts).expect("run");
        let same = with_rule
            .iter()
            .zip(&without_rule)
            .take_while(|(a, b)| a == b)
            .count();
        intercepts += with_rule[..same]
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Intercept { .. }))
            .count();
        if same == with_rule.len() && same == without_rule.len() {
            continue;
        }
        // The first difference is a loss by the rule (reported `dud` for a failed
        // interceptor); without the rule the same interceptor flew on to its time-out.
        let EventKind::InterceptorLost {
            interceptor,
            reason,
            flight_s,
            ..
        } = &with_rule[same].kind
        else {
            panic!("replication {k}: first difference {:?}", with_rule[same]);
        };
        assert!(
            reason == "no_lock_past_intercept" || reason == "dud",
            "replication {k}: {reason}"
        );
        let (_, late_reason, _, late_flight_s) = &losses(&without_rule)[interceptor];
        assert!(
            late_reason == "time_out" || late_reason == "dud",
            "replication {k}: {interceptor} {late_reason}"
        );
        assert!(late_flight_s > flight_s, "replication {k}: {interceptor}");
        fired += 1;
    }
    assert!(fired > 0, "the rule never fired in 6 replications");
    assert!(
        intercepts > 20,
        "only {intercepts} intercepts before the rule fired"
    );
}
