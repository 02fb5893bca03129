//! The exact solver: depth-first include/exclude branch and bound, seeded with the heuristic.

use super::model::{Model, better};
use super::{DEFAULT_NODE_LIMIT, WtaError, WtaProblem, WtaSolution, WtaSolver};

/// The exact solver, `exact`: branch and bound ([`WtaProblem::solve_exact`]) whatever the
/// problem's size, within a node budget.
///
/// Its work grows with the number of options: each search node costs a pass over the options
/// left, and the budget bounds the nodes, after which the best solution found (never worse
/// than the heuristic's) is kept with `optimal == false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExactWtaSolver {
    /// Most search nodes per problem ([`DEFAULT_NODE_LIMIT`] by default).
    pub node_limit: u64,
}

impl Default for ExactWtaSolver {
    fn default() -> Self {
        Self {
            node_limit: DEFAULT_NODE_LIMIT,
        }
    }
}

impl WtaSolver for ExactWtaSolver {
    fn name(&self) -> &str {
        "exact"
    }

    fn solve(&self, problem: &WtaProblem) -> Result<WtaSolution, WtaError> {
        problem.solve_exact(self.node_limit)
    }
}

/// Depth-first branch and bound over the useful options.
#[derive(Debug)]
pub(super) struct Exact<'a> {
    m: &'a Model,
    /// Useful options in branching order.
    order: Vec<usize>,
    leak: Vec<f64>,
    count: Vec<u64>,
    rounds_left: Vec<u64>,
    channels_left: Vec<u64>,
    /// Scratch for the bound.
    unit_gains: Vec<Vec<f64>>,
    unit_min_shots: Vec<u64>,
    threat_miss: Vec<Vec<f64>>,
    touched_units: Vec<usize>,
    touched_threats: Vec<usize>,
}

impl<'a> Exact<'a> {
    pub(super) fn new(m: &'a Model) -> Self {
        let mut order: Vec<usize> = (0..m.threat.len()).filter(|&o| m.useful[o]).collect();
        // Best single marginal gain net of cost first; ties: fewer shots, lower index.
        order.sort_by(|&x, &y| {
            let gx = m.weight[m.threat[x]] * m.kill[x] - m.cost[x];
            let gy = m.weight[m.threat[y]] * m.kill[y] - m.cost[y];
            gy.total_cmp(&gx)
                .then(m.shots[x].cmp(&m.shots[y]))
                .then(x.cmp(&y))
        });
        Self {
            m,
            order,
            leak: vec![1.0; m.weight.len()],
            count: vec![0; m.weight.len()],
            rounds_left: m.rounds.clone(),
            channels_left: m.channels.clone(),
            unit_gains: vec![Vec::new(); m.rounds.len()],
            unit_min_shots: vec![u64::MAX; m.rounds.len()],
            threat_miss: vec![Vec::new(); m.weight.len()],
            touched_units: Vec::new(),
            touched_threats: Vec::new(),
        }
    }

    fn feasible(&self, o: usize) -> bool {
        let m = self.m;
        let u = m.unit[o];
        self.rounds_left[u] >= m.shots[o]
            && self.channels_left[u] > 0
            && self.count[m.threat[o]] < m.cap
    }

    /// Marginal gain of `o` now, net of its cost.
    fn gain(&self, o: usize) -> f64 {
        let t = self.m.threat[o];
        self.m.weight[t] * self.leak[t] * self.m.kill[o] - self.m.cost[o]
    }

    /// Upper bound on the extra value (net of cost) any completion can add
    /// using the options at positions `depth..` of `order`.
    ///
    /// Let `R` be the remaining options that are individually feasible now
    /// (their unit has a channel and enough rounds, their threat is below
    /// the cap) with current net marginal gain `g_o = w_t L_t (1 - q_o) - c_o > 0`.
    /// Resources only shrink along a branch and marginal gains only fall as
    /// options are added (the kill value is submodular), so an option whose
    /// net gain is not positive now never raises a completion's value:
    /// the best completion picks some `S ⊆ R`. Its extra value is
    /// `Σ_t w_t L_t (1 - Π_{o∈S_t} q_o) - Σ_{o∈S} c_o`.
    ///
    /// * Threat bound: costs are `>= 0`, and `1 - Π_{o∈S_t} q_o` grows as
    ///   `S_t` grows and as its `q`s shrink, and `|S_t| <= cap - count_t`;
    ///   so taking, per threat, the `cap - count_t` smallest `q` in `R_t`
    ///   gives `B_T = Σ_t w_t L_t (1 - Π_{best} q) >= extra`.
    /// * Unit bound: `1 - Π q_o <= Σ (1 - q_o)` for `q ∈ [0, 1]` (union
    ///   bound), so `extra <= Σ_{o∈S} g_o = Σ_j Σ_{o∈S∩R_j} g_o`, each
    ///   option belonging to exactly one unit. Unit `j` can take at most
    ///   `m_j = min(channels_left_j, rounds_left_j / min_{o∈R_j} k_o)`
    ///   options (each uses one channel and at least the minimum salvo), so
    ///   `Σ_{o∈S∩R_j} g_o <=` the sum of the `m_j` largest `g` in `R_j`;
    ///   summing gives `B_U >= extra`.
    ///
    /// Both are admissible, hence so is `min(B_T, B_U)`.
    fn upper_bound(&mut self, depth: usize) -> f64 {
        let m = self.m;
        for &u in &self.touched_units {
            self.unit_gains[u].clear();
            self.unit_min_shots[u] = u64::MAX;
        }
        for &t in &self.touched_threats {
            self.threat_miss[t].clear();
        }
        self.touched_units.clear();
        self.touched_threats.clear();
        for pos in depth..self.order.len() {
            let o = self.order[pos];
            if !self.feasible(o) {
                continue;
            }
            let g = self.gain(o);
            if g <= 0.0 {
                continue;
            }
            let (t, u) = (m.threat[o], m.unit[o]);
            if self.unit_gains[u].is_empty() {
                self.touched_units.push(u);
            }
            self.unit_gains[u].push(g);
            self.unit_min_shots[u] = self.unit_min_shots[u].min(m.shots[o]);
            if self.threat_miss[t].is_empty() {
                self.touched_threats.push(t);
            }
            self.threat_miss[t].push(m.miss[o]);
        }
        let mut unit_bound = 0.0;
        for &u in &self.touched_units {
            let take = self.channels_left[u].min(self.rounds_left[u] / self.unit_min_shots[u]);
            let gains = &mut self.unit_gains[u];
            let take = usize::try_from(take).unwrap_or(usize::MAX);
            if take < gains.len() {
                gains.sort_unstable_by(|a, b| b.total_cmp(a));
                unit_bound += gains[..take].iter().sum::<f64>();
            } else {
                unit_bound += gains.iter().sum::<f64>();
            }
        }
        let mut threat_bound = 0.0;
        for &t in &self.touched_threats {
            let take = m.cap - self.count[t];
            let take = usize::try_from(take).unwrap_or(usize::MAX);
            let misses = &mut self.threat_miss[t];
            let prod: f64 = if take < misses.len() {
                misses.sort_unstable_by(f64::total_cmp);
                misses[..take].iter().product()
            } else {
                misses.iter().product()
            };
            threat_bound += m.weight[t] * self.leak[t] * (1.0 - prod);
        }
        unit_bound.min(threat_bound)
    }

    fn apply(&mut self, o: usize) {
        let m = self.m;
        let (t, u) = (m.threat[o], m.unit[o]);
        self.leak[t] *= m.miss[o];
        self.count[t] += 1;
        self.rounds_left[u] -= m.shots[o];
        self.channels_left[u] -= 1;
    }

    fn undo(&mut self, o: usize, saved_leak: f64) {
        let m = self.m;
        let (t, u) = (m.threat[o], m.unit[o]);
        self.leak[t] = saved_leak;
        self.count[t] -= 1;
        self.rounds_left[u] += m.shots[o];
        self.channels_left[u] += 1;
    }

    /// Runs the search from incumbent `seed`; returns the best chosen set
    /// and whether the search completed.
    pub(super) fn run(mut self, mut seed: Vec<usize>, node_limit: u64) -> (Vec<usize>, bool) {
        let m = self.m;
        let n = self.order.len();
        seed.sort_unstable();
        let mut best_value = {
            let mut leak = vec![1.0; m.weight.len()];
            for &o in &seed {
                leak[m.threat[o]] *= m.miss[o];
            }
            let saved: f64 = m.weight.iter().zip(&leak).map(|(w, l)| w * (1.0 - l)).sum();
            saved - seed.iter().map(|&o| m.cost[o]).sum::<f64>()
        };
        let mut best_shots: u64 = seed.iter().map(|&o| m.shots[o]).sum();
        let mut best_set = seed;
        if n == 0 {
            return (best_set, true);
        }

        // Explicit DFS stack (no recursion, so no stack overflow on large
        // inputs). stage[d]: 0 = enter node d, 1 = include child done,
        // 2 = exclude child done.
        let mut stage = vec![0_u8; n + 1];
        let mut included = vec![false; n];
        let mut saved_leak = vec![0.0_f64; n];
        let mut saved_value = vec![0.0_f64; n];
        let mut value = 0.0_f64;
        let mut shots: u64 = 0;
        let mut nodes: u64 = 0;
        let mut scratch: Vec<usize> = Vec::with_capacity(n);
        let mut d = 0_usize;
        loop {
            match stage[d] {
                0 => {
                    if nodes >= node_limit {
                        return (best_set, false);
                    }
                    nodes += 1;
                    let prune = d == n || {
                        let ub = value + self.upper_bound(d);
                        ub < best_value - 2.0 * m.tol || (ub <= best_value && shots > best_shots)
                    };
                    if prune {
                        if d == 0 {
                            break;
                        }
                        d -= 1;
                        continue;
                    }
                    let o = self.order[d];
                    let g = if self.feasible(o) { self.gain(o) } else { 0.0 };
                    if g > 0.0 {
                        // Include branch.
                        saved_leak[d] = self.leak[m.threat[o]];
                        saved_value[d] = value;
                        self.apply(o);
                        value += g;
                        shots += m.shots[o];
                        included[d] = true;
                        scratch.clear();
                        scratch.extend((0..=d).filter(|&p| included[p]).map(|p| self.order[p]));
                        scratch.sort_unstable();
                        if better(
                            m.tol,
                            (value, shots, &scratch),
                            (best_value, best_shots, &best_set),
                        ) {
                            best_value = value;
                            best_shots = shots;
                            best_set.clone_from(&scratch);
                        }
                        stage[d] = 1;
                    } else {
                        // Including adds nothing (or is infeasible): only
                        // the exclude branch can be optimal.
                        stage[d] = 2;
                    }
                    d += 1;
                    stage[d] = 0;
                }
                1 => {
                    let o = self.order[d];
                    self.undo(o, saved_leak[d]);
                    value = saved_value[d];
                    shots -= m.shots[o];
                    included[d] = false;
                    stage[d] = 2;
                    d += 1;
                    stage[d] = 0;
                }
                _ => {
                    if d == 0 {
                        break;
                    }
                    d -= 1;
                }
            }
        }
        (best_set, true)
    }
}
