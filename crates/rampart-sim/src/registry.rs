//! The models a scenario file can name, by the name it uses: guidance laws (an interceptor
//! type's `guidance`) and weapon-target assignment solvers (`[battle_management]
//! wta_solver`).
//!
//! [`Registry::builtin`] holds the models Rampart ships; a new one is one registration line
//! there, or, from outside the crate, one `add_…` call on a registry handed to
//! [`parse_with`](crate::scenario::parse_with) or [`load_with`](crate::scenario::load_with):
//!
//! ```
//! use nalgebra::Vector3;
//! use rampart_sim::registry::Registry;
//! use rampart_sim::weapons::guidance::{GuidanceLaw, GuidanceParams, los_rate};
//! use std::sync::Arc;
//!
//! /// Pure proportional navigation: a = N′·(ω × v_m).
//! #[derive(Debug)]
//! struct PureProportionalNavigation {
//!     nav_constant: f64,
//! }
//!
//! impl GuidanceLaw for PureProportionalNavigation {
//!     fn name(&self) -> &str {
//!         "ppn"
//!     }
//!     fn command(
//!         &self,
//!         rel_pos: &Vector3<f64>,
//!         rel_vel: &Vector3<f64>,
//!         missile_vel: &Vector3<f64>,
//!         _target_accel: &Vector3<f64>,
//!     ) -> Vector3<f64> {
//!         let a = los_rate(rel_pos, rel_vel).cross(missile_vel) * self.nav_constant;
//!         if a.iter().all(|c| c.is_finite()) { a } else { Vector3::zeros() }
//!     }
//! }
//!
//! let mut registry = Registry::builtin();
//! registry.add_guidance_law("ppn", |p: &GuidanceParams| {
//!     Arc::new(PureProportionalNavigation { nav_constant: p.nav_constant }) as Arc<dyn GuidanceLaw>
//! });
//! assert_eq!(registry.guidance_law_names(), ["pn", "apn", "ppn"]);
//! // `rampart_sim::scenario::load_with(path, &registry)` now reads `guidance = "ppn"`.
//! ```

use crate::bmc::wta::{AutoWtaSolver, ExactWtaSolver, HeuristicWtaSolver, WtaSolver};
use crate::weapons::guidance::{
    AugmentedProportionalNavigation, Guidance, GuidanceLaw, GuidanceParams,
    TrueProportionalNavigation,
};
use std::fmt;
use std::sync::Arc;

/// Builds a guidance law from an interceptor type's guidance parameters.
pub type GuidanceFactory = Arc<dyn Fn(&GuidanceParams) -> Arc<dyn GuidanceLaw> + Send + Sync>;

/// The guidance law an interceptor type flies when its `guidance` key is left out.
pub const DEFAULT_GUIDANCE_LAW: &str = "pn";

/// The weapon-target assignment solver of a scenario without `[battle_management]
/// wta_solver`.
pub const DEFAULT_WTA_SOLVER: &str = "auto";

/// The guidance laws and weapon-target assignment solvers a scenario may name, each under its
/// name, in the order they were added (the order error messages list them in).
#[derive(Clone)]
pub struct Registry {
    guidance_laws: Vec<(String, GuidanceFactory)>,
    wta_solvers: Vec<Arc<dyn WtaSolver>>,
}

impl Registry {
    /// The models Rampart ships: the guidance laws `pn` and `apn`, the solvers `auto`,
    /// `exact` and `heuristic`.
    pub fn builtin() -> Self {
        let mut r = Self {
            guidance_laws: Vec::new(),
            wta_solvers: Vec::new(),
        };
        // Guidance laws (weapons/guidance/): name in the scenario file → law from its parameters.
        r.add_guidance_law("pn", |p| {
            Arc::new(TrueProportionalNavigation {
                nav_constant: p.nav_constant,
            })
        });
        r.add_guidance_law("apn", |p| {
            Arc::new(AugmentedProportionalNavigation {
                nav_constant: p.nav_constant,
            })
        });
        // Weapon-target assignment solvers (bmc/wta/), each under its own name.
        r.add_wta_solver(AutoWtaSolver);
        r.add_wta_solver(ExactWtaSolver::default());
        r.add_wta_solver(HeuristicWtaSolver);
        r
    }

    /// Registers the guidance law `name`, built by `factory` from each interceptor type's
    /// [`GuidanceParams`]; it replaces a law of the same name, keeping its place.
    pub fn add_guidance_law<F>(&mut self, name: impl Into<String>, factory: F) -> &mut Self
    where
        F: Fn(&GuidanceParams) -> Arc<dyn GuidanceLaw> + Send + Sync + 'static,
    {
        let name = name.into();
        let factory: GuidanceFactory = Arc::new(factory);
        match self.guidance_laws.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = factory,
            None => self.guidance_laws.push((name, factory)),
        }
        self
    }

    /// Registers `solver` under its [`name`](WtaSolver::name); it replaces a solver of the same
    /// name, keeping its place.
    pub fn add_wta_solver(&mut self, solver: impl WtaSolver + 'static) -> &mut Self {
        let solver: Arc<dyn WtaSolver> = Arc::new(solver);
        match self
            .wta_solvers
            .iter_mut()
            .find(|s| s.name() == solver.name())
        {
            Some(slot) => *slot = solver,
            None => self.wta_solvers.push(solver),
        }
        self
    }

    /// The guidance law `name` built from `params`, within the limit of `params`; `None` if no
    /// law of that name is registered.
    pub fn guidance(&self, name: &str, params: GuidanceParams) -> Option<Guidance> {
        self.guidance_laws
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, factory)| Guidance::new(factory(&params), params))
    }

    /// The names of the registered guidance laws, in the order they were added.
    pub fn guidance_law_names(&self) -> Vec<&str> {
        self.guidance_laws.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The solver `name`; `None` if none of that name is registered.
    pub fn wta_solver(&self, name: &str) -> Option<Arc<dyn WtaSolver>> {
        self.wta_solvers.iter().find(|s| s.name() == name).cloned()
    }

    /// The names of the registered solvers, in the order they were added.
    pub fn wta_solver_names(&self) -> Vec<&str> {
        self.wta_solvers.iter().map(|s| s.name()).collect()
    }
}

impl Default for Registry {
    /// [`Registry::builtin`].
    fn default() -> Self {
        Self::builtin()
    }
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("guidance_laws", &self.guidance_law_names())
            .field("wta_solvers", &self.wta_solver_names())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bmc::wta::{WtaError, WtaProblem, WtaSolution};

    /// A solver that assigns nothing, under a built-in name or its own.
    #[derive(Debug)]
    struct Idle(&'static str);

    impl WtaSolver for Idle {
        fn name(&self) -> &str {
            self.0
        }
        fn solve(&self, problem: &WtaProblem) -> Result<WtaSolution, WtaError> {
            problem.validate()?;
            Ok(problem.solution(Vec::new(), false))
        }
    }

    #[test]
    fn builtin_holds_the_shipped_models_under_their_scenario_names() {
        let r = Registry::builtin();
        assert_eq!(r.guidance_law_names(), ["pn", "apn"]);
        assert_eq!(r.wta_solver_names(), ["auto", "exact", "heuristic"]);
        assert!(r.guidance_law_names().contains(&DEFAULT_GUIDANCE_LAW));
        assert!(r.wta_solver_names().contains(&DEFAULT_WTA_SOLVER));
        let params = GuidanceParams {
            nav_constant: 3.5,
            max_accel_mps2: 100.0,
        };
        let g = r.guidance("apn", params).expect("apn is built in");
        assert_eq!((g.law.name(), g.params), ("apn", params));
        assert!(r.guidance("APN", params).is_none());
        assert_eq!(
            r.wta_solver("exact")
                .map(|s| s.name().to_owned())
                .as_deref(),
            Some("exact")
        );
        assert!(r.wta_solver("greedy").is_none());
    }

    #[test]
    fn adding_a_model_appends_it_and_a_known_name_replaces_in_place() {
        let mut r = Registry::builtin();
        r.add_wta_solver(Idle("idle")).add_wta_solver(Idle("exact"));
        assert_eq!(r.wta_solver_names(), ["auto", "exact", "heuristic", "idle"]);
        let p = WtaProblem {
            threats: vec![crate::bmc::wta::WtaThreat {
                value: 1.0,
                survival: 1.0,
            }],
            units: vec![crate::bmc::wta::WtaUnit {
                rounds: 1,
                channels: 1,
            }],
            options: vec![crate::bmc::wta::WtaOption {
                threat: 0,
                unit: 0,
                shots: 1,
                pk: 0.9,
                cost: 0.0,
            }],
            max_units_per_threat: None,
        };
        // "exact" is now the idle solver: it assigns nothing where branch and bound would fire.
        let exact = r.wta_solver("exact").expect("registered");
        assert!(exact.solve(&p).expect("valid").chosen.is_empty());
        assert_eq!(p.solve_exact(10).expect("valid").chosen, [0]);

        r.add_guidance_law("pn", |p| {
            Arc::new(AugmentedProportionalNavigation {
                nav_constant: p.nav_constant,
            })
        });
        assert_eq!(r.guidance_law_names(), ["pn", "apn"]);
        let params = GuidanceParams {
            nav_constant: 4.0,
            max_accel_mps2: f64::INFINITY,
        };
        let g = r.guidance("pn", params).expect("registered");
        assert_eq!(g.law.name(), "apn");
        assert!(format!("{r:?}").contains("idle"));
    }
}
