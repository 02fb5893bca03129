//! Adding a guidance law from outside the crate: a toy pure-pursuit law, registered in a
//! [`Registry`] under the name `pursuit`, flown by the shipped defended Al Asad scenario with its
//! interceptor types' `guidance` set to it. The law is measurably what flies: its calls are
//! counted, and the run differs from the shipped laws' run.

use crate::common::shipped_path;
use nalgebra::Vector3;
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::registry::Registry;
use rampart_sim::scenario::{Scenario, parse, parse_with};
use rampart_sim::weapons::guidance::{GuidanceLaw, GuidanceParams};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Pure pursuit (Shneydor, *Missile Guidance and Pursuit*, 1998): turn the velocity
/// onto the line of sight, at a rate `gain_per_s` times the sine of the angle between them —
/// the lateral acceleration `gain_per_s · |v| · (R̂ − (R̂·v̂)v̂)`. It counts its calls.
#[derive(Debug)]
struct PurePursuit {
    gain_per_s: f64,
    calls: Arc<AtomicU64>,
}

impl GuidanceLaw for PurePursuit {
    fn name(&self) -> &str {
        "pursuit"
    }

    fn command(
        &self,
        rel_pos: &Vector3<f64>,
        _rel_vel: &Vector3<f64>,
        missile_vel: &Vector3<f64>,
        _target_accel: &Vector3<f64>,
    ) -> Vector3<f64> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let (range, speed) = (rel_pos.norm(), missile_vel.norm());
        if !(range > 0.0 && speed > 0.0 && range.is_finite() && speed.is_finite()) {
            return Vector3::zeros();
        }
        let (los, heading) = (rel_pos / range, missile_vel / speed);
        (los - heading * los.dot(&heading)) * (self.gain_per_s * speed)
    }
}

/// The builtin registry plus `pursuit`, whose laws add to `calls`.
fn registry(calls: &Arc<AtomicU64>) -> Registry {
    let mut registry = Registry::builtin();
    let calls = Arc::clone(calls);
    registry.add_guidance_law("pursuit", move |p: &GuidanceParams| {
        Arc::new(PurePursuit {
            gain_per_s: p.nav_constant,
            calls: Arc::clone(&calls),
        }) as Arc<dyn GuidanceLaw>
    });
    registry
}

/// `al-asad-2020-defended.toml` with every interceptor type's `guidance` set to `law`.
fn defended_with(law: &str) -> String {
    let text = std::fs::read_to_string(shipped_path("al-asad-2020-defended")).unwrap();
    assert_eq!(text.matches("\nguidance = \"").count(), 2);
    text.replace("\nguidance = \"apn\"", &format!("\nguidance = \"{law}\""))
        .replace("\nguidance = \"pn\"", &format!("\nguidance = \"{law}\""))
}

fn engagement_events(scenario: &Scenario) -> Vec<Event> {
    run(scenario, RunOptions::seed(scenario.seed))
        .unwrap()
        .into_iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::InterceptorLaunch { .. }
                    | EventKind::Intercept { .. }
                    | EventKind::InterceptorLost { .. }
            )
        })
        .collect()
}

#[test]
fn a_registered_guidance_law_is_named_in_a_scenario_and_flies_its_interceptors() {
    let calls = Arc::new(AtomicU64::new(0));
    let registry = registry(&calls);
    let text = defended_with("pursuit");
    let pursuit = parse_with(&text, "defended-pursuit.toml", &registry)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    for ty in &pursuit.interceptor_types {
        assert_eq!(ty.guidance.law.name(), "pursuit", "{}", ty.name);
        assert_eq!(ty.guidance.params.nav_constant, 4.0);
    }
    // Loading already flew the flyout tables with it.
    let at_load = calls.load(Ordering::Relaxed);
    assert!(at_load > 0);

    let with_pursuit = engagement_events(&pursuit);
    assert!(
        calls.load(Ordering::Relaxed) > at_load,
        "the run never asked the law"
    );
    assert!(
        with_pursuit
            .iter()
            .any(|e| matches!(e.kind, EventKind::InterceptorLaunch { .. })),
        "no interceptor flew"
    );

    // The same scenario with the shipped laws flies differently.
    let shipped = parse(&defended_with("pn"), "defended-pn.toml").unwrap();
    assert_ne!(with_pursuit, engagement_events(&shipped));
}

#[test]
fn an_unregistered_guidance_law_is_refused_at_its_value() {
    let text = defended_with("pursuit");
    let e = parse(&text, "defended-pursuit.toml").unwrap_err();
    assert_eq!(e.message(), "unknown guidance law `pursuit`");
    assert_eq!(e.help(), Some("guidance law is one of `pn`, `apn`"));
    let line = text
        .lines()
        .position(|l| l.starts_with("guidance = \"pursuit\""))
        .unwrap();
    assert_eq!(e.line_col(), Some((line + 1, 12)));
}
