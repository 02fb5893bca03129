//! The [`WtaSolver`] trait: the seam a scenario chooses its weapon-target assignment solver
//! through (`[battle_management] wta_solver`), and the automatic choice, the default.

use super::{WtaError, WtaProblem, WtaSolution};
use std::fmt::Debug;

/// A weapon-target assignment solver: one battle-management cycle's problem in, the options to
/// commit out.
///
/// A solver must return a solution that [`WtaProblem::is_feasible`] accepts, with `value` and
/// `shots` those of its `chosen` options and `chosen` ascending (build it with
/// [`WtaProblem::solution`]), and refuse an invalid problem with the error of
/// [`WtaProblem::validate`]. It should be deterministic: the same problem always yields the
/// same solution, so a run is the same whatever the number of threads.
///
/// Implementations are registered by [`name`](Self::name) in
/// [`Registry`](crate::registry::Registry); a scenario names one in
/// `[battle_management] wta_solver`.
///
/// # Example
///
/// First come, first served: each threat takes the first of its options, in option order,
/// whose unit still has the rounds and a channel for it.
///
/// ```
/// use rampart_sim::bmc::wta::{WtaError, WtaProblem, WtaSolution, WtaSolver};
///
/// /// Each threat gets the first option whose unit can still fire it.
/// #[derive(Debug)]
/// pub struct FirstComeWtaSolver;
///
/// impl WtaSolver for FirstComeWtaSolver {
///     fn name(&self) -> &str {
///         "first-come"
///     }
///
///     fn solve(&self, p: &WtaProblem) -> Result<WtaSolution, WtaError> {
///         p.validate()?; // every index below is now in range
///         let mut rounds: Vec<u32> = p.units.iter().map(|u| u.rounds).collect();
///         let mut channels: Vec<u32> = p.units.iter().map(|u| u.channels).collect();
///         let mut engaged = vec![false; p.threats.len()];
///         let mut chosen = Vec::new();
///         for (o, opt) in p.options.iter().enumerate() {
///             let (t, u) = (opt.threat, opt.unit);
///             if !engaged[t] && p.max_units_per_threat != Some(0)
///                 && rounds[u] >= opt.shots && channels[u] > 0
///             {
///                 rounds[u] -= opt.shots;
///                 channels[u] -= 1;
///                 engaged[t] = true;
///                 chosen.push(o);
///             }
///         }
///         Ok(p.solution(chosen, false))
///     }
/// }
///
/// # use rampart_sim::bmc::wta::{WtaOption, WtaThreat, WtaUnit};
/// let threat = WtaThreat { value: 1.0, survival: 1.0 };
/// let option = |threat| WtaOption { threat, unit: 0, shots: 1, pk: 0.8, cost: 0.0 };
/// let p = WtaProblem {
///     threats: vec![threat, threat],
///     units: vec![WtaUnit { rounds: 1, channels: 2 }],
///     options: vec![option(0), option(1)],
///     max_units_per_threat: Some(1),
/// };
/// let s = FirstComeWtaSolver.solve(&p)?;
/// assert_eq!(s.chosen, [0]); // one round: the first threat takes it
/// assert!(p.is_feasible(&s.chosen));
/// # Ok::<(), WtaError>(())
/// ```
pub trait WtaSolver: Debug + Send + Sync {
    /// The name a scenario chooses the solver by (`wta_solver = "exact"`).
    fn name(&self) -> &str;

    /// Solves `problem`.
    ///
    /// # Errors
    /// The [`WtaError`] of an invalid problem.
    fn solve(&self, problem: &WtaProblem) -> Result<WtaSolution, WtaError>;
}

/// The automatic choice, `auto`, the default: the exact branch and bound when the problem has
/// at most [`EXACT_LIMIT`](super::EXACT_LIMIT) options, the heuristic otherwise ([`WtaProblem::solve`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AutoWtaSolver;

impl WtaSolver for AutoWtaSolver {
    fn name(&self) -> &str {
        "auto"
    }

    fn solve(&self, problem: &WtaProblem) -> Result<WtaSolution, WtaError> {
        problem.solve()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        DEFAULT_NODE_LIMIT, EXACT_LIMIT, ExactWtaSolver, HeuristicWtaSolver, WtaOption, WtaThreat,
        WtaUnit,
    };
    use super::*;

    /// `n` threats of value 1, 2, …, one unit with `rounds` rounds and `n` channels, one
    /// single-shot option of pk 0.5 per threat.
    fn problem(n: usize, rounds: u32) -> WtaProblem {
        WtaProblem {
            threats: (1..=n)
                .map(|v| WtaThreat {
                    value: v as f64,
                    survival: 1.0,
                })
                .collect(),
            units: vec![WtaUnit {
                rounds,
                channels: n as u32,
            }],
            options: (0..n)
                .map(|threat| WtaOption {
                    threat,
                    unit: 0,
                    shots: 1,
                    pk: 0.5,
                    cost: 0.0,
                })
                .collect(),
            max_units_per_threat: Some(1),
        }
    }

    /// Each built-in solver is its method of [`WtaProblem`], behind the trait, under the name
    /// the scenario format gives it; `auto` switches from exact to heuristic above
    /// [`EXACT_LIMIT`] options.
    #[test]
    fn the_built_in_solvers_are_the_problem_methods_behind_the_trait() {
        let solvers: [&dyn WtaSolver; 3] = [
            &AutoWtaSolver,
            &ExactWtaSolver::default(),
            &HeuristicWtaSolver,
        ];
        let names: Vec<&str> = solvers.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["auto", "exact", "heuristic"]);
        for n in [3, EXACT_LIMIT, EXACT_LIMIT + 5] {
            let p = problem(n, 2);
            let auto = AutoWtaSolver.solve(&p).unwrap();
            assert_eq!(auto, p.solve().unwrap());
            let exact = ExactWtaSolver::default().solve(&p).unwrap();
            assert_eq!(exact, p.solve_exact(DEFAULT_NODE_LIMIT).unwrap());
            assert_eq!(
                HeuristicWtaSolver.solve(&p).unwrap(),
                p.solve_heuristic().unwrap()
            );
            // Two rounds go to the two most valuable threats, whichever solver.
            assert_eq!(auto.chosen, [n - 2, n - 1]);
            assert!(exact.optimal);
            assert_eq!(auto.optimal, n <= EXACT_LIMIT);
        }
        let mut bad = problem(2, 1);
        bad.options[1].pk = 1.5;
        for s in solvers {
            assert!(matches!(
                s.solve(&bad),
                Err(WtaError::InvalidPk { option: 1, .. })
            ));
        }
    }
}
