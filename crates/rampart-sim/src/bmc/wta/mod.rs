//! Weapon-target assignment (WTA) for one battle-management cycle.
//!
//! # Problem
//!
//! * Threats `i` carry a `value` `V_i >= 0` (asset value destroyed if the
//!   threat leaks) and a `survival` `s_i` in `[0, 1]` (probability that it
//!   survives the interceptors already in flight at it; `1` if none).
//! * Fire units `j` have `rounds` `n_j` (interceptors left) and `channels`
//!   `c_j` (how many more threats they can engage at once).
//! * An option `(i, j, k, p)` says that unit `j` can fire a salvo of `k`
//!   shots, each with kill probability `p`, at threat `i`. There is at most
//!   one option per `(i, j)` pair.
//!
//! A decision is a subset of options such that, for every unit, the shots
//! of its chosen options sum to at most `rounds` and it has at most
//! `channels` chosen options; optionally every threat may be engaged by at
//! most `max_units_per_threat` options (= units, as pairs are unique).
//!
//! Each option may carry a `cost` `C_o >= 0` in the same unit as the values (what firing its
//! salvo costs, weighed against value saved; `0` by default). The objective is the expected
//! value saved less what the chosen options cost
//!
//! ```text
//! sum_i V_i * s_i * (1 - prod_{chosen o on i} (1 - p_o)^k_o) - sum_{chosen o} C_o
//! ```
//!
//! so an option is chosen only for what it saves beyond its cost, and of two shooters that save
//! about the same, the cheaper one.
//!
//! # Tie-break
//!
//! Two solutions whose values differ by at most
//! `TIE_TOLERANCE * max(1, sum_i V_i s_i)` are considered equally valuable;
//! among those the one with fewer shots wins, then the lexicographically
//! smallest ascending list of option indices. All solvers are deterministic:
//! the same problem always yields the same solution.
//!
//! # Solvers
//!
//! * [`WtaProblem::solve_exact`]: depth-first include/exclude branch and
//!   bound over options sorted by best single marginal gain, seeded with
//!   the heuristic solution. The bound is the smaller of (a) per threat, the
//!   kill value of its best remaining options up to the per-threat cap, and
//!   (b) per unit, the sum of the largest current marginal gains of its
//!   remaining options, counting at most `min(channels left, rounds left /
//!   smallest salvo)` of them; both are admissible (proof in the source, at
//!   `Exact::upper_bound`).
//! * [`WtaProblem::solve_heuristic`]: maximum-marginal-return greedy
//!   followed by local search.
//! * [`WtaProblem::solve`]: exact when the problem has at most
//!   [`EXACT_LIMIT`] options, heuristic otherwise.
//!
//! Behind the [`WtaSolver`] trait, which a scenario chooses by name, they are
//! [`ExactWtaSolver`] (`exact`), [`HeuristicWtaSolver`] (`heuristic`) and
//! [`AutoWtaSolver`] (`auto`, the default).
//!
//! # Files
//!
//! `problem` (the problem, its validation and objective), `error`, `model` (the dense view the
//! solvers search), `heuristic`, `exact`, and `solver` (the [`WtaSolver`] trait a scenario
//! chooses an implementation of by name).

mod error;
mod exact;
mod heuristic;
mod model;
mod problem;
mod solver;

pub use error::WtaError;
pub use exact::ExactWtaSolver;
pub use heuristic::HeuristicWtaSolver;
pub use problem::{WtaOption, WtaProblem, WtaSolution, WtaThreat, WtaUnit};
pub use solver::{AutoWtaSolver, WtaSolver};

/// Largest number of options for which [`WtaProblem::solve`] runs the exact
/// branch and bound (with [`DEFAULT_NODE_LIMIT`]); larger problems use the
/// heuristic.
pub const EXACT_LIMIT: usize = 24;

/// Node budget used by [`WtaProblem::solve`] for the exact solver. Problems
/// with at most [`EXACT_LIMIT`] options normally need a few hundred to a few
/// thousand nodes; if the budget is ever hit, the best solution found (never
/// worse than the heuristic) is returned with `optimal == false`.
pub const DEFAULT_NODE_LIMIT: u64 = 5_000_000;

/// Relative tolerance under which two objective values count as equal for
/// the tie-break (scaled by `max(1, sum_i V_i s_i)`).
pub const TIE_TOLERANCE: f64 = 1e-12;
