//! `[battle_management]`: how the defense as a whole decides — the weapon-target assignment
//! solver of every cycle, by its registered name.

use super::diagnostics::{ECHO_CHARS, backticked, did_you_mean};
use super::key;
use super::quantities::Bound;
use super::{Ctx, Result};
use crate::bmc::wta::WtaSolver;
use crate::registry::DEFAULT_WTA_SOLVER;
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::model::Scenario;
use crate::scenario::raw::{RawBattleManagement, RawFile};
use rampart_core::units::excerpt;
use serde_spanned::Spanned;
use std::sync::Arc;

impl Ctx<'_> {
    /// The WTA solver `[battle_management] wta_solver` names, or the default (`auto`) when the
    /// table or the key is left out. An unknown name is an error at the name, listing the
    /// registered solvers.
    pub(super) fn battle_management(
        &self,
        table: Option<&Spanned<RawBattleManagement>>,
    ) -> Result<Arc<dyn WtaSolver>> {
        let names = self.registry.wta_solver_names();
        let Some(name) = table.and_then(|t| t.get_ref().wta_solver.as_ref()) else {
            return self.registry.wta_solver(DEFAULT_WTA_SOLVER).ok_or_else(|| {
                self.error(
                    table.map_or(0..0, Spanned::span),
                    format!("the default WTA solver `{DEFAULT_WTA_SOLVER}` is not registered"),
                )
                .with_help(format!("the WTA solvers are {}", backticked(names)))
            });
        };
        let got = name.get_ref().trim();
        if let Some(solver) = self.registry.wta_solver(got) {
            return Ok(solver);
        }
        let known = backticked(names.iter().copied());
        let help = match did_you_mean(got, names.iter().copied()) {
            Some(w) => format!("did you mean `{w}`? The WTA solvers are {known}"),
            None => format!("the WTA solvers are {known}"),
        };
        Err(self
            .error(
                name.span(),
                format!("unknown WTA solver `{}`", excerpt(got, ECHO_CHARS)),
            )
            .with_label("unknown WTA solver")
            .with_help(help))
    }
}

impl Ctx<'_> {
    /// `[battle_management] lower_tier_first`.
    pub(super) fn lower_tier_first(
        &self,
        table: Option<&Spanned<RawBattleManagement>>,
    ) -> Result<bool> {
        match table.and_then(|t| t.get_ref().lower_tier_first.as_ref()) {
            None => Ok(true),
            Some(v) => match v.get_ref() {
                toml::Value::Boolean(b) => Ok(*b),
                other => Err(self.type_error(
                    super::Key {
                        name: "lower_tier_first",
                        value: v,
                    },
                    "true or false",
                    other,
                )),
            },
        }
    }
}

impl Ctx<'_> {
    /// `[battle_management] value_per_cost`. Weighing cost needs every interceptor type a fire
    /// unit fires to be priced: an unpriced one is an error at its name, not a free round.
    pub(super) fn value_per_cost(
        &self,
        table: Option<&Spanned<RawBattleManagement>>,
        raw: &RawFile,
        scenario: &Scenario,
    ) -> Result<f64> {
        let Some(k) = table.and_then(|t| key(&t.get_ref().value_per_cost, "value_per_cost")) else {
            return Ok(0.0);
        };
        let weight = self.number(k, Bound::NonNegative)?;
        if weight == 0.0 {
            return Ok(0.0);
        }
        let mut names: Vec<_> = raw.interceptor_type.keys().collect();
        names.sort_by_key(|n| n.span().start);
        for (i, name) in names.into_iter().enumerate() {
            let fired = scenario
                .fire_units
                .iter()
                .flat_map(|u| &u.launchers)
                .any(|l| l.interceptor == i);
            if fired && scenario.interceptor_types[i].cost.is_none() {
                return Err(self
                    .error(
                        name.span(),
                        format!(
                            "interceptor type `{}` has no `cost`, which `[battle_management] value_per_cost` needs",
                            excerpt(name.get_ref(), ECHO_CHARS)
                        ),
                    )
                    .with_label("unpriced")
                    .with_help("give it a `cost` in the scenario's cost unit, or leave `value_per_cost` out to weigh value alone"));
            }
        }
        Ok(weight)
    }
}

/// `[battle_management]`: the rows of its key table in docs/scenario-format.md (see
/// [`crate::scenario::keys`]).
pub static BATTLE_MANAGEMENT: &[KeyDoc] = &[
    KeyDoc {
        key: "wta_solver",
        required: Is("no"),
        kind: Is("string"),
        default: Made(|| format!("`\"{DEFAULT_WTA_SOLVER}\"`")),
        allowed: Is(
            "`auto`, `exact`, `heuristic`, or a solver the program loading the file has registered (docs/extending.md)",
        ),
        meaning: Is(
            "The weapon-target assignment solver of every battle-management cycle (docs/models.md, \"Weapon-target assignment\"). `exact`: branch and bound, the optimum unless its budget of 5 × 10⁶ search nodes runs out (then the best found, never worse than `heuristic`'s); its work grows quickly with the number of options (pairs of a threat and a unit that can engage it), so on a large raid a cycle may run up to that budget. `heuristic`: maximum marginal return and local search, a few milliseconds for 200 threats × 10 units, not proven optimal. `auto`: `exact` up to 24 options, `heuristic` above.",
        ),
        value: None,
    },
    KeyDoc {
        key: "lower_tier_first",
        required: Is("no"),
        kind: Is("boolean"),
        default: Is("`true`"),
        allowed: Is("`true`, `false`"),
        meaning: Is(
            "Battle management across tiers (docs/models.md): an upper-tier fire unit does not engage a threat that a lower-tier weapon can take — a `[[gun]]` whose radar holds it, that engages its class, has rounds left, whose reach its predicted path enters before impact and that has the time to engage it among the targets due before it, or a fire unit with `tier = \"lower\"` that can engage it now. `false`: every unit engages whatever its `engages` allows.",
        ),
        value: None,
    },
    KeyDoc {
        key: "value_per_cost",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0`"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "What one unit of cost (an interceptor type's `cost`) is worth in asset `value`. The assignment then maximises the value saved less `value_per_cost` × the interceptors' cost, so a shot is fired only for what it saves beyond its cost, and of two shooters that save about the same, the cheaper one (docs/models.md, \"Weapon-target assignment\"). Every interceptor type a fire unit fires must then have a `cost`. `0`: value alone.",
        ),
        value: None,
    },
];
