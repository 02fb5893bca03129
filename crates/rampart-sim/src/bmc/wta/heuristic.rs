//! The heuristic: maximum-marginal-return greedy, run with two rankings, each followed by
//! local search.

use super::model::{Model, better};
use super::{WtaError, WtaProblem, WtaSolution, WtaSolver};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The heuristic solver, `heuristic`: maximum marginal return and local search
/// ([`WtaProblem::solve_heuristic`]) whatever the problem's size: about 2–3 ms for 200
/// threats × 10 units; not proven optimal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeuristicWtaSolver;

impl WtaSolver for HeuristicWtaSolver {
    fn name(&self) -> &str {
        "heuristic"
    }

    fn solve(&self, problem: &WtaProblem) -> Result<WtaSolution, WtaError> {
        problem.solve_heuristic()
    }
}

/// Ranking rule of the greedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    Gain,
    GainPerShot,
}

/// Mutable partial assignment used by the heuristic.
#[derive(Debug)]
pub(super) struct Search<'a> {
    m: &'a Model,
    leak: Vec<f64>,
    count: Vec<u64>,
    rounds_left: Vec<u64>,
    channels_left: Vec<u64>,
    chosen: Vec<bool>,
    on_threat: Vec<Vec<usize>>,
    value: f64,
    shots: u64,
    /// Option that may not be added (the one just ejected).
    banned: usize,
    /// Scratch journal for ejection trials: (option, leak before adding).
    journal: Vec<(usize, f64)>,
}

impl<'a> Search<'a> {
    fn new(m: &'a Model) -> Self {
        Self {
            m,
            leak: vec![1.0; m.weight.len()],
            count: vec![0; m.weight.len()],
            rounds_left: m.rounds.clone(),
            channels_left: m.channels.clone(),
            chosen: vec![false; m.threat.len()],
            on_threat: vec![Vec::new(); m.weight.len()],
            value: 0.0,
            shots: 0,
            banned: usize::MAX,
            journal: Vec::new(),
        }
    }

    /// Runs both greedy rankings with local search and returns the better
    /// chosen set (unsorted).
    pub(super) fn heuristic(m: &Model) -> Vec<usize> {
        let mut best: Option<(f64, u64, Vec<usize>)> = None;
        for rank in [Rank::Gain, Rank::GainPerShot] {
            let mut s = Search::new(m);
            s.greedy(rank);
            s.local_search(rank);
            let set = s.chosen_set();
            let cand = (s.value, s.shots, set);
            best = Some(match best {
                None => cand,
                Some(b) => {
                    if better(m.tol, (cand.0, cand.1, &cand.2), (b.0, b.1, &b.2)) {
                        cand
                    } else {
                        b
                    }
                }
            });
        }
        best.map(|b| b.2).unwrap_or_default()
    }

    fn chosen_set(&self) -> Vec<usize> {
        (0..self.chosen.len()).filter(|&o| self.chosen[o]).collect()
    }

    fn can_add(&self, o: usize) -> bool {
        let m = self.m;
        let u = m.unit[o];
        m.useful[o]
            && !self.chosen[o]
            && o != self.banned
            && self.rounds_left[u] >= m.shots[o]
            && self.channels_left[u] > 0
            && self.count[m.threat[o]] < m.cap
    }

    /// Marginal gain of `o` now, net of its cost.
    fn gain(&self, o: usize) -> f64 {
        let t = self.m.threat[o];
        self.m.weight[t] * self.leak[t] * self.m.kill[o] - self.m.cost[o]
    }

    fn key(&self, o: usize, rank: Rank) -> f64 {
        match rank {
            Rank::Gain => self.gain(o),
            Rank::GainPerShot => self.gain(o) / self.m.shots_f64[o],
        }
    }

    fn add(&mut self, o: usize) {
        let m = self.m;
        let (t, u) = (m.threat[o], m.unit[o]);
        self.value += self.gain(o);
        self.leak[t] *= m.miss[o];
        self.count[t] += 1;
        self.rounds_left[u] -= m.shots[o];
        self.channels_left[u] -= 1;
        self.chosen[o] = true;
        self.on_threat[t].push(o);
        self.shots += m.shots[o];
    }

    /// Leak probability of `o`'s threat if `o` were removed.
    fn leak_without(&self, o: usize) -> f64 {
        let t = self.m.threat[o];
        self.on_threat[t]
            .iter()
            .filter(|&&x| x != o)
            .map(|&x| self.m.miss[x])
            .product()
    }

    fn remove(&mut self, o: usize) {
        let m = self.m;
        let (t, u) = (m.threat[o], m.unit[o]);
        let l = self.leak_without(o);
        self.value -= m.weight[t] * (l - self.leak[t]) - m.cost[o];
        self.leak[t] = l;
        self.count[t] -= 1;
        self.rounds_left[u] += m.shots[o];
        self.channels_left[u] += 1;
        self.chosen[o] = false;
        self.on_threat[t].retain(|&x| x != o);
        self.shots -= m.shots[o];
    }

    /// Best addable option among `lists` by `rank` (ties: smaller index).
    fn best_addable(&self, lists: &[&[usize]], rank: Rank) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for list in lists {
            for &o in *list {
                if !self.can_add(o) {
                    continue;
                }
                let k = self.key(o, rank);
                if k <= 0.0 {
                    continue;
                }
                let take = match best {
                    None => true,
                    Some((bk, bo)) => k > bk || (k == bk && o < bo),
                };
                if take {
                    best = Some((k, o));
                }
            }
        }
        best.map(|(_, o)| o)
    }

    /// Greedy over all options: repeatedly add the addable option with the
    /// largest key (ties: smaller index) until none adds value.
    ///
    /// Implemented lazily with a max-heap: during this phase resources only
    /// shrink and leak probabilities only fall, so keys only decrease and an
    /// option that becomes infeasible stays so. A popped entry whose threat
    /// has not changed since it was pushed is exact and at least every other
    /// option's current key, so it is the option a full scan would pick;
    /// stale entries are re-keyed and pushed back.
    fn greedy(&mut self, rank: Rank) {
        let m = self.m;
        let mut version = vec![0_u64; m.weight.len()];
        let mut heap: BinaryHeap<Entry> = (0..m.threat.len())
            .filter(|&o| m.useful[o])
            .map(|o| Entry {
                key: self.key(o, rank),
                option: o,
                version: 0,
            })
            .collect();
        while let Some(e) = heap.pop() {
            let o = e.option;
            if !self.can_add(o) {
                continue;
            }
            let t = m.threat[o];
            if e.version != version[t] {
                let key = self.key(o, rank);
                if key > 0.0 {
                    heap.push(Entry {
                        key,
                        option: o,
                        version: version[t],
                    });
                }
                continue;
            }
            if e.key <= 0.0 {
                continue;
            }
            self.add(o);
            version[t] += 1;
        }
    }

    /// Greedy restricted to options of unit `u` and threat `t` (the only
    /// ones that can become addable after removing an option on `(t, u)`).
    fn refill(&mut self, t: usize, u: usize, rank: Rank) {
        let m = self.m;
        let lists = [m.by_unit[u].as_slice(), m.by_threat[t].as_slice()];
        while let Some(o) = self.best_addable(&lists, rank) {
            self.add(o);
        }
    }

    /// Ejection move: remove chosen `r` and refill greedily without it;
    /// keep the result if it improves (value up by more than the
    /// tolerance, or value not lower and fewer shots), otherwise restore
    /// the previous state exactly.
    fn try_eject(&mut self, r: usize, rank: Rank) -> bool {
        let m = self.m;
        let (a, u) = (m.threat[r], m.unit[r]);
        let (old_value, old_shots, old_leak) = (self.value, self.shots, self.leak[a]);
        self.remove(r);
        self.banned = r;
        self.journal.clear();
        let lists = [m.by_unit[u].as_slice(), m.by_threat[a].as_slice()];
        while let Some(o) = self.best_addable(&lists, rank) {
            self.journal.push((o, self.leak[m.threat[o]]));
            self.add(o);
        }
        self.banned = usize::MAX;
        if self.value > old_value + m.tol || (self.value >= old_value && self.shots < old_shots) {
            return true;
        }
        while let Some((o, leak)) = self.journal.pop() {
            self.remove(o);
            self.leak[m.threat[o]] = leak;
        }
        self.add(r);
        self.leak[a] = old_leak;
        self.value = old_value;
        self.shots = old_shots;
        false
    }

    /// Local search from a greedy-saturated state (no option is addable
    /// with positive gain). Invariant kept: the state stays saturated, so an
    /// improving 1-swap removing `r` can only add an option that shares
    /// `r`'s unit or threat (other options' gain and feasibility are
    /// unaffected by removing `r`, and they were not worth adding).
    ///
    /// Moves, tried per chosen option `r` in cyclic index order:
    /// * drop `r` if it adds no value (saves shots);
    /// * swap `r` for the best unchosen `o` sharing its unit or threat if
    ///   that gains more than the tolerance, or keeps the value and saves
    ///   shots; then refill greedily;
    /// * otherwise eject `r` and refill greedily without it (catches e.g. one
    ///   2-shot salvo replaced by two 1-shot engagements); kept only if it
    ///   improves, else the state is restored.
    ///
    /// Stops after a full cycle without improvement (or a safety cap on the
    /// number of moves).
    fn local_search(&mut self, rank: Rank) {
        let m = self.m;
        let n = m.threat.len();
        if n == 0 {
            return;
        }
        let max_moves = 64 * n + 1024;
        let mut moves = 0;
        let mut idle = 0;
        let mut r = 0;
        while idle < n && moves < max_moves {
            if self.chosen[r] && self.try_improve(r, rank) {
                moves += 1;
                idle = 0;
            } else {
                idle += 1;
            }
            r = if r + 1 == n { 0 } else { r + 1 };
        }
    }

    /// Tries the moves for chosen option `r`; applies the best improving
    /// one and returns whether it did.
    fn try_improve(&mut self, r: usize, rank: Rank) -> bool {
        let m = self.m;
        let (a, u) = (m.threat[r], m.unit[r]);
        let l_wo = self.leak_without(r);
        // Value net of cost lost by dropping `r`.
        let loss = m.weight[a] * (l_wo - self.leak[a]) - m.cost[r];
        // Best move: (delta value, shots after, option to add or None).
        let mut best: Option<(f64, u64, Option<usize>)> = None;
        if loss <= 0.0 {
            best = Some((-loss, self.shots - m.shots[r], None));
        }
        let lists = [m.by_unit[u].as_slice(), m.by_threat[a].as_slice()];
        for list in lists {
            for &o in list {
                if o == r || self.chosen[o] {
                    continue;
                }
                let (ot, ou) = (m.threat[o], m.unit[o]);
                let freed_rounds = if ou == u { m.shots[r] } else { 0 };
                let freed_channel = u64::from(ou == u);
                let count = self.count[ot] - u64::from(ot == a);
                if self.rounds_left[ou] + freed_rounds < m.shots[o]
                    || self.channels_left[ou] + freed_channel == 0
                    || count >= m.cap
                {
                    continue;
                }
                let delta = if ot == a {
                    m.weight[a] * (self.leak[a] - l_wo * m.miss[o]) + m.cost[r] - m.cost[o]
                } else {
                    m.weight[ot] * self.leak[ot] * m.kill[o] - m.cost[o] - loss
                };
                let shots_after = self.shots - m.shots[r] + m.shots[o];
                let improving = delta > m.tol || (delta >= 0.0 && shots_after < self.shots);
                if !improving {
                    continue;
                }
                let take = match best {
                    None => true,
                    Some((bd, bs, bo)) => {
                        delta > bd + m.tol
                            || (delta >= bd - m.tol
                                && (shots_after < bs
                                    || (shots_after == bs && bo.is_some_and(|b| o < b))))
                    }
                };
                if take {
                    best = Some((delta, shots_after, Some(o)));
                }
            }
        }
        let Some((_, _, add)) = best else {
            return self.try_eject(r, rank);
        };
        self.remove(r);
        if let Some(o) = add {
            self.add(o);
        }
        self.refill(a, u, rank);
        true
    }
}

/// Lazy-greedy heap entry: ordered by key, then smaller option index first.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: f64,
    option: usize,
    /// Threat version the key was computed at.
    version: u64,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then_with(|| other.option.cmp(&self.option))
            .then_with(|| self.version.cmp(&other.version))
    }
}
