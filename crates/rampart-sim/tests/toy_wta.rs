//! Adding a weapon-target assignment solver from outside the crate: a toy solver that holds
//! fire (assigns nothing), registered in a [`Registry`] under `hold-fire` and chosen by the
//! shipped defended Al Asad scenario with `[battle_management] wta_solver = "hold-fire"`.

use crate::common::shipped_path;
use rampart_sim::bmc::wta::{
    AutoWtaSolver, WtaError, WtaOption, WtaProblem, WtaSolution, WtaSolver, WtaThreat, WtaUnit,
};
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::EventKind;
use rampart_sim::registry::Registry;
use rampart_sim::scenario::{parse, parse_with};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Assigns nothing, whatever the problem (after checking it, as every solver must); counts the
/// problems it is given.
#[derive(Debug, Default)]
struct HoldFire {
    calls: Arc<AtomicU64>,
}

impl WtaSolver for HoldFire {
    fn name(&self) -> &str {
        "hold-fire"
    }

    fn solve(&self, problem: &WtaProblem) -> Result<WtaSolution, WtaError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        problem.validate()?;
        Ok(problem.solution(Vec::new(), false))
    }
}

/// The builtin registry plus `hold-fire`, which adds to `calls`.
fn registry(calls: &Arc<AtomicU64>) -> Registry {
    let mut registry = Registry::builtin();
    registry.add_wta_solver(HoldFire {
        calls: Arc::clone(calls),
    });
    registry
}

/// `al-asad-2020-defended.toml` with a `[battle_management]` table naming `solver` at its end.
fn defended_with(solver: &str) -> String {
    let text = std::fs::read_to_string(shipped_path("al-asad-2020-defended")).unwrap();
    format!("{text}\n[battle_management]\nwta_solver = \"{solver}\"\n")
}

/// One threat, one unit with one round, one sure option.
fn one_shot() -> WtaProblem {
    WtaProblem {
        threats: vec![WtaThreat {
            value: 1.0,
            survival: 1.0,
        }],
        units: vec![WtaUnit {
            rounds: 1,
            channels: 1,
        }],
        options: vec![WtaOption {
            threat: 0,
            unit: 0,
            shots: 1,
            pk: 1.0,
            cost: 0.0,
        }],
        max_units_per_threat: Some(1),
    }
}

#[test]
fn a_registered_solver_is_chosen_by_name_and_exposed_by_the_scenario() {
    let calls = Arc::new(AtomicU64::new(0));
    let sc = parse_with(
        &defended_with("hold-fire"),
        "defended-hold-fire.toml",
        &registry(&calls),
    )
    .unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(sc.wta_solver.name(), "hold-fire");
    // It is the registered solver itself: it counts, and it holds fire where `auto` fires.
    let p = one_shot();
    assert!(sc.wta_solver.solve(&p).unwrap().chosen.is_empty());
    assert_eq!(calls.load(Ordering::Relaxed), 1);
    assert_eq!(AutoWtaSolver.solve(&p).unwrap().chosen, [0]);

    // Without the table the scenario keeps the automatic choice; the built-in names load.
    let shipped = parse(
        &std::fs::read_to_string(shipped_path("al-asad-2020-defended")).unwrap(),
        "defended.toml",
    )
    .unwrap();
    assert_eq!(shipped.wta_solver.name(), "auto");
    for name in ["auto", "exact", "heuristic"] {
        let sc = parse(&defended_with(name), "defended.toml").unwrap();
        assert_eq!(sc.wta_solver.name(), name);
    }
}

/// The engine asks the scenario's solver at every battle-management cycle: with one that
/// assigns nothing, no engagement is planned and no interceptor flies, where the shipped
/// solver plans several.
#[test]
fn the_engine_assigns_with_the_scenario_solver() {
    let planned = |sc: &rampart_sim::scenario::Scenario| {
        run(sc, RunOptions::seed(sc.seed))
            .unwrap()
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::EngagementPlanned { .. } | EventKind::InterceptorLaunch { .. }
                )
            })
            .count()
    };
    let calls = Arc::new(AtomicU64::new(0));
    let registry = registry(&calls);
    let held = parse_with(&defended_with("hold-fire"), "defended.toml", &registry).unwrap();
    assert_eq!(planned(&held), 0);
    assert!(
        calls.load(Ordering::Relaxed) > 0,
        "the engine never asked the solver"
    );
    let auto = parse_with(&defended_with("auto"), "defended.toml", &registry).unwrap();
    assert!(planned(&auto) > 0);
}

#[test]
fn an_unknown_solver_is_refused_at_its_value_listing_the_known_ones() {
    let text = defended_with("hold-fire");
    let e = parse(&text, "defended-hold-fire.toml").unwrap_err();
    assert_eq!(e.message(), "unknown WTA solver `hold-fire`");
    assert_eq!(e.label(), Some("unknown WTA solver"));
    assert_eq!(
        e.help(),
        Some("the WTA solvers are `auto`, `exact`, `heuristic`")
    );
    let line = text.lines().count();
    assert_eq!(e.line_col(), Some((line, 14)));

    // A near miss is suggested, and the list still given.
    let e = parse(&defended_with("exakt"), "defended.toml").unwrap_err();
    assert_eq!(
        e.help(),
        Some("did you mean `exact`? The WTA solvers are `auto`, `exact`, `heuristic`")
    );

    // The table takes no other key.
    let text = defended_with("auto").replace("wta_solver", "wta_solvr");
    let e = parse(&text, "defended.toml").unwrap_err();
    assert_eq!(e.message(), "unknown key `wta_solvr`");
    assert_eq!(e.help(), Some("did you mean `wta_solver`?"));
}
