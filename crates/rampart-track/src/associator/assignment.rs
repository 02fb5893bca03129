//! Optimal rectangular linear assignment with forbidden pairs, by the shortest augmenting path
//! method (Jonker & Volgenant, "A shortest augmenting path algorithm for dense and sparse linear
//! assignment problems", Computing 38, 1987; in the rectangular form of Crouse, "On implementing
//! 2D rectangular assignment algorithms", IEEE TAES 52(4), 2016, Algorithm 1 without the
//! initialisation heuristics).
//!
//! # What is solved
//!
//! Rows are tracks, columns are detections, `costs[r][c]` is the cost of giving column `c` to
//! row `r`, and any non-finite cost (`f64::INFINITY`, but also `NaN` and `-∞`) marks a
//! *forbidden* pair. A feasible assignment gives each row at most one column and each column at
//! most one row, using allowed pairs only. [`solve`] returns, among the feasible assignments
//! with the **largest number of assigned rows**, one of **least total cost**. With no forbidden
//! pairs that is the classical rectangular problem (every row assigned when rows ≤ columns,
//! every column when rows > columns); with forbidden pairs a row stays unassigned only when no
//! maximum-size assignment can serve it — for instance when all its entries are forbidden.
//!
//! Leaving a row unassigned is therefore never chosen *because it is cheaper*. When assignment
//! is optional — a track may miss — the caller says what a miss costs by adding one private
//! "miss" column per row, allowed only for that row; [`crate::associator::gnn::gnn`] does this
//! with the miss cost of each track.
//!
//! # How
//!
//! Forbidden pairs are not carried as `∞` (which would make `∞ − ∞` appear in the dual updates
//! and the path search stall). Instead every entry becomes a lexicographic pair
//! (number of forbidden pairs, finite cost): an allowed pair is `(0, c)`, a forbidden one
//! `(1, 0)`. Those pairs form an ordered abelian group, so the shortest augmenting path method
//! runs on them unchanged, and on a problem where every row can take any column it returns an
//! assignment that first minimises the number of forbidden pairs used and then the cost — which
//! is exactly "as many real assignments as possible, then the cheapest" once the forbidden pairs
//! are dropped. All values stay finite, so the algorithm terminates (proof at [`solve_lex`]).
//!
//! Cost: rows and columns with no allowed entry are removed first; if more rows than columns
//! remain the problem is transposed; the dense solve is then O(n²·m) time and O(n·m) memory for
//! n ≤ m. Deterministic: rows are augmented in index order and ties are broken by index.
//!
//! [`solve_sparse`] solves the same problem given only its allowed pairs, in memory linear in
//! them: for problems (a giant gate cluster) whose dense matrix would not fit.

use thiserror::Error;

/// Errors building a [`CostMatrix`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum AssignmentError {
    /// The data given for a matrix does not have rows × cols entries.
    #[error("building a {rows}×{cols} cost matrix from {len} values: expected rows × cols values")]
    LengthMismatch {
        /// Rows requested.
        rows: usize,
        /// Columns requested.
        cols: usize,
        /// Values supplied.
        len: usize,
    },
}

/// A dense cost matrix, stored row-major: rows are tracks, columns are detections (or any two
/// sets to be matched). Costs are in whatever unit the caller uses (often a negative log
/// likelihood, dimensionless); non-finite entries are forbidden pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct CostMatrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl CostMatrix {
    /// A `rows × cols` matrix with every entry `fill` (use `f64::INFINITY` to start with every
    /// pair forbidden).
    ///
    /// # Panics
    /// If `rows × cols` overflows `usize` or cannot be allocated.
    pub fn new(rows: usize, cols: usize, fill: f64) -> Self {
        let len = rows
            .checked_mul(cols)
            .expect("cost matrix size overflows usize");
        Self {
            rows,
            cols,
            data: vec![fill; len],
        }
    }

    /// A `rows × cols` matrix from row-major values.
    ///
    /// # Errors
    /// [`AssignmentError::LengthMismatch`] if `data.len() != rows × cols`.
    pub fn from_row_major(
        rows: usize,
        cols: usize,
        data: Vec<f64>,
    ) -> Result<Self, AssignmentError> {
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(AssignmentError::LengthMismatch {
                rows,
                cols,
                len: data.len(),
            });
        }
        Ok(Self { rows, cols, data })
    }

    /// Number of rows (tracks).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (detections).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The cost of pairing row `r` with column `c`.
    ///
    /// # Panics
    /// If `r` or `c` is out of range.
    pub fn get(&self, r: usize, c: usize) -> f64 {
        assert!(
            r < self.rows && c < self.cols,
            "cost matrix index ({r}, {c}) out of range {}×{}",
            self.rows,
            self.cols
        );
        self.data[r * self.cols + c]
    }

    /// Sets the cost of pairing row `r` with column `c` (non-finite = forbidden).
    ///
    /// # Panics
    /// If `r` or `c` is out of range.
    pub fn set(&mut self, r: usize, c: usize, cost: f64) {
        assert!(
            r < self.rows && c < self.cols,
            "cost matrix index ({r}, {c}) out of range {}×{}",
            self.rows,
            self.cols
        );
        self.data[r * self.cols + c] = cost;
    }

    /// Whether pairing row `r` with column `c` is allowed (its cost is finite); `false` out of
    /// range.
    pub fn is_allowed(&self, r: usize, c: usize) -> bool {
        r < self.rows && c < self.cols && self.data[r * self.cols + c].is_finite()
    }
}

/// The result of [`solve`]: which column each row took, and the total cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// For each row, the column assigned to it, or `None`.
    pub row_to_col: Vec<Option<usize>>,
    /// Sum of the costs of the assigned pairs (always finite; 0 if nothing is assigned), summed
    /// in row order.
    pub total_cost: f64,
}

impl Assignment {
    /// Number of assigned rows.
    pub fn assigned(&self) -> usize {
        self.row_to_col.iter().filter(|c| c.is_some()).count()
    }

    /// The inverse map for a problem with `cols` columns: for each column, the row assigned to
    /// it, or `None`. Columns ≥ `cols` in the assignment are ignored.
    pub fn col_to_row(&self, cols: usize) -> Vec<Option<usize>> {
        let mut inv = vec![None; cols];
        for (r, c) in self.row_to_col.iter().enumerate() {
            if let Some(slot) = c.and_then(|c| inv.get_mut(c)) {
                *slot = Some(r);
            }
        }
        inv
    }
}

/// The optimal assignment of `costs`: the most rows assigned over allowed (finite) pairs, and
/// among those the least total cost. See the [module docs](self) for the exact problem.
///
/// Never panics: an empty matrix, all-forbidden rows or columns and `NaN` entries (forbidden)
/// are all fine. Finite costs so large that sums of them overflow `f64` give an assignment that
/// is feasible but not necessarily optimal.
pub fn solve(costs: &CostMatrix) -> Assignment {
    let (rows, cols) = (costs.rows, costs.cols);
    let mut row_to_col = vec![None; rows];
    let allowed = |r: usize, c: usize| costs.data[r * cols + c].is_finite();

    // Rows and columns with at least one allowed entry; the others can never be assigned.
    let live_rows: Vec<usize> = (0..rows)
        .filter(|&r| (0..cols).any(|c| allowed(r, c)))
        .collect();
    let mut live_col = vec![false; cols];
    for &r in &live_rows {
        for (c, live) in live_col.iter_mut().enumerate() {
            *live |= allowed(r, c);
        }
    }
    let live_cols: Vec<usize> = (0..cols).filter(|&c| live_col[c]).collect();

    if !live_rows.is_empty() {
        // Solve with n ≤ m: transpose when more rows than columns remain.
        let transpose = live_rows.len() > live_cols.len();
        let (outer, inner) = if transpose {
            (&live_cols, &live_rows)
        } else {
            (&live_rows, &live_cols)
        };
        let (n, m) = (outer.len(), inner.len());
        let mut lex = Vec::with_capacity(n * m);
        for &a in outer {
            for &b in inner {
                let (r, c) = if transpose { (b, a) } else { (a, b) };
                lex.push(Lex::from_cost(costs.data[r * cols + c]));
            }
        }
        for (i, j) in solve_lex(n, m, &lex).into_iter().enumerate() {
            let Some(j) = j else { continue };
            let (r, c) = if transpose {
                (inner[j], outer[i])
            } else {
                (outer[i], inner[j])
            };
            if allowed(r, c) {
                row_to_col[r] = Some(c);
            }
        }
    }

    let total_cost = row_to_col
        .iter()
        .enumerate()
        .filter_map(|(r, c)| c.map(|c| costs.data[r * cols + c]))
        .sum();
    Assignment {
        row_to_col,
        total_cost,
    }
}

/// The optimal assignment of a **sparse** problem: `rows` rows, `cols` columns, the allowed
/// pairs listed as `(row, column, cost)` entries, and for each row the cost of leaving it
/// unassigned. Memory and work per augmentation grow with the entries, never with
/// `rows × cols`: this is the solver for clusters too large for a dense matrix.
///
/// * `entries` — allowed pairs. Entries out of range or with a non-finite cost are ignored; of
///   a pair given twice, the lower cost counts.
/// * `miss_cost[r]` — what leaving row `r` unassigned costs. A missing or non-finite entry
///   means the row *cannot* miss: it is left unassigned only when no assignment serves it.
///
/// The result minimises, lexicographically, (number of rows left unassigned that cannot miss,
/// Σ costs of the assigned pairs + Σ miss costs of the rows left unassigned). With every miss
/// cost infinite that is exactly the problem of [`solve`] (the most rows assigned, then the
/// least total cost), so the two return assignments of equal size and cost, though on ties
/// not necessarily the same assignment.
///
/// # How
///
/// Each row gets one private "miss" column, allowed for it alone, costing `(0, miss)` in the
/// lexicographic group of [`solve`] (or `(1, 0)` when it cannot miss), so every row always has
/// an augmenting path and the problem is feasible. Rows are then augmented one by one in index
/// order along a shortest alternating path (Jonker & Volgenant 1987, the sparse form: a
/// Dijkstra search with a binary heap over the allowed entries only, stopped at the first free
/// column reached), with the dual update of Crouse (2016), Algorithm 1. Reduced costs are
/// non-negative on every allowed entry, so each search is exact; it visits only the columns
/// nearer than the nearest free one, which for tracking's gated clusters is a handful.
///
/// Cost: O(E + R + C) memory for E entries, R rows and C columns, and per row
/// O(E_s · log E_s) time, E_s the entries of the rows its search reaches (at worst all of
/// them). Deterministic: ties in the search are broken towards free columns, then by index.
/// Never panics.
pub fn solve_sparse<I>(
    rows: usize,
    cols: usize,
    entries: I,
    miss_cost: &[f64],
) -> Vec<Option<usize>>
where
    I: IntoIterator<Item = (usize, usize, f64)>,
    I::IntoIter: Clone,
{
    // Entries per row (compressed rows), sorted by column, duplicates at their least cost:
    // counted in a first pass and placed in a second, so nothing but the rows is stored.
    let entries = entries
        .into_iter()
        .filter(|&(r, c, x)| r < rows && c < cols && x.is_finite());
    let mut start = vec![0usize; rows + 1];
    for (r, _, _) in entries.clone() {
        start[r + 1] += 1;
    }
    for r in 0..rows {
        start[r + 1] += start[r];
    }
    let mut edges: Vec<(usize, f64)> = vec![(0, 0.0); start[rows]];
    let mut fill = start.clone();
    for (r, c, x) in entries {
        edges[fill[r]] = (c, x);
        fill[r] += 1;
    }
    drop(fill);
    let mut kept = 0;
    for r in 0..rows {
        let (a, b) = (start[r], start[r + 1]);
        edges[a..b].sort_unstable_by(|p, q| p.0.cmp(&q.0).then(p.1.total_cmp(&q.1)));
        start[r] = kept;
        for k in a..b {
            if k == a || edges[k].0 != edges[k - 1].0 {
                edges[kept] = edges[k];
                kept += 1;
            }
        }
    }
    start[rows] = kept;
    edges.truncate(kept);
    let miss: Vec<Lex> = (0..rows)
        .map(|r| Lex::from_cost(miss_cost.get(r).copied().unwrap_or(f64::INFINITY)))
        .collect();

    // Columns 0..cols are real; column cols + r is row r's private miss column.
    let n_cols = cols + rows;
    const FREE: usize = usize::MAX;
    let mut u = vec![Lex::ZERO; rows];
    let mut v = vec![Lex::ZERO; n_cols];
    let mut col4row = vec![FREE; rows];
    let mut row4col = vec![FREE; n_cols];
    // Per-search state, reset through `touched` only (a search must not cost O(columns)).
    let mut dist = vec![Lex::UNREACHED; n_cols];
    let mut path = vec![FREE; n_cols];
    let mut done = vec![false; n_cols];
    let mut touched: Vec<usize> = Vec::new();
    let mut scanned_rows: Vec<usize> = Vec::new();
    let mut scanned_cols: Vec<usize> = Vec::new();
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<HeapEntry>> =
        std::collections::BinaryHeap::new();

    for cur in 0..rows {
        for &j in &touched {
            dist[j] = Lex::UNREACHED;
            path[j] = FREE;
            done[j] = false;
        }
        touched.clear();
        scanned_rows.clear();
        scanned_cols.clear();
        heap.clear();

        let mut min_val = Lex::ZERO;
        let mut i = cur;
        let sink = loop {
            scanned_rows.push(i);
            let row = edges[start[i]..start[i + 1]]
                .iter()
                .map(|&(j, x)| (j, Lex::from_cost(x)))
                .chain(std::iter::once((cols + i, miss[i])));
            for (j, cost) in row {
                if done[j] {
                    continue;
                }
                let r = min_val + cost - u[i] - v[j];
                if r.lt(dist[j]) {
                    if dist[j] == Lex::UNREACHED {
                        touched.push(j);
                    }
                    dist[j] = r;
                    path[j] = i;
                    heap.push(std::cmp::Reverse(HeapEntry {
                        dist: r,
                        assigned: row4col[j] != FREE,
                        col: j,
                    }));
                }
            }
            // The nearest column not yet scanned (stale heap entries are skipped).
            let next = loop {
                match heap.pop() {
                    None => break None,
                    Some(std::cmp::Reverse(e)) if !done[e.col] && e.dist == dist[e.col] => {
                        break Some(e.col);
                    }
                    Some(_) => {}
                }
            };
            // Row `i`'s own miss column is always reachable, so the heap never runs dry
            // before a free column is found; stop cleanly if it somehow does.
            let Some(j) = next else { break None };
            done[j] = true;
            min_val = dist[j];
            scanned_cols.push(j);
            match row4col[j] {
                FREE => break Some(j),
                next_row => i = next_row,
            }
        };
        let Some(sink) = sink else { continue };

        // Dual update (Crouse 2016, Algorithm 1), as in `solve_lex`.
        u[cur] = u[cur] + min_val;
        for &i in &scanned_rows {
            if i != cur && col4row[i] != FREE {
                u[i] = u[i] + min_val - dist[col4row[i]];
            }
        }
        for &j in &scanned_cols {
            v[j] = v[j] - (min_val - dist[j]);
        }

        // Flip the alternating path from the sink back to `cur` (at most one step per
        // scanned row).
        let mut j = sink;
        for _ in 0..scanned_rows.len() {
            let i = path[j];
            if i == FREE {
                break;
            }
            row4col[j] = i;
            let prev = std::mem::replace(&mut col4row[i], j);
            if i == cur || prev == FREE {
                break;
            }
            j = prev;
        }
    }
    col4row
        .into_iter()
        .map(|j| (j < cols).then_some(j))
        .collect()
}

/// A column waiting in the search heap: ordered by distance, then free before assigned, then
/// by index.
#[derive(Clone, Copy, Debug, PartialEq)]
struct HeapEntry {
    dist: Lex,
    assigned: bool,
    col: usize,
}

impl Eq for HeapEntry {}

impl Ord for HeapEntry {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.dist
            .forbidden
            .cmp(&o.dist.forbidden)
            .then(self.dist.cost.total_cmp(&o.dist.cost))
            .then(self.assigned.cmp(&o.assigned))
            .then(self.col.cmp(&o.col))
    }
}

impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// A cost in the lexicographic group ℤ × ℝ: first the number of forbidden pairs, then the
/// finite cost. Both components stay finite through the algorithm.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Lex {
    forbidden: i64,
    cost: f64,
}

impl Lex {
    const ZERO: Lex = Lex {
        forbidden: 0,
        cost: 0.0,
    };
    /// Larger than any value the algorithm forms (counts are bounded by the matrix size).
    const UNREACHED: Lex = Lex {
        forbidden: i64::MAX,
        cost: 0.0,
    };

    fn from_cost(c: f64) -> Lex {
        if c.is_finite() {
            Lex {
                forbidden: 0,
                cost: c,
            }
        } else {
            Lex {
                forbidden: 1,
                cost: 0.0,
            }
        }
    }

    fn lt(self, o: Lex) -> bool {
        self.forbidden < o.forbidden || (self.forbidden == o.forbidden && self.cost < o.cost)
    }
}

impl std::ops::Add for Lex {
    type Output = Lex;
    fn add(self, o: Lex) -> Lex {
        Lex {
            forbidden: self.forbidden + o.forbidden,
            cost: self.cost + o.cost,
        }
    }
}

impl std::ops::Sub for Lex {
    type Output = Lex;
    fn sub(self, o: Lex) -> Lex {
        Lex {
            forbidden: self.forbidden - o.forbidden,
            cost: self.cost - o.cost,
        }
    }
}

/// Shortest augmenting path on a dense `n × m` lexicographic cost matrix with `n ≤ m`:
/// returns the column of each row (all `Some` barring numerical overflow).
///
/// Duals: `u` (rows), `v` (columns, ≤ 0, and 0 on every unassigned column), with reduced costs
/// `c[i][j] − u[i] − v[j] ≥ 0` everywhere and `= 0` on assigned pairs. Each row in turn grows a
/// Dijkstra tree over alternating paths until it reaches an unassigned column, then the duals
/// are updated and the path is flipped (Crouse 2016, Algorithm 1).
///
/// **Termination.** Every entry is a finite `Lex` (a forbidden pair is `(1, 0)`, never ∞), so
/// every reduced cost is finite and strictly below `UNREACHED`. Row `cur` is augmented after
/// `cur` rows have been, each holding exactly one column, so `m − cur ≥ 1` columns are free.
/// Each pass of the inner loop removes one column from `remaining`, and because every column
/// in `remaining` has a finite tentative distance after the first pass, the pass always selects
/// one; the loop stops at the first free column selected. Free columns never leave `remaining`
/// before that, so the loop runs at most `cur + 1 ≤ n` passes, each O(m). Path reversal follows
/// `path` back to `cur` through distinct rows, at most `cur + 1` steps (and is capped at that
/// count besides). Hence O(n²·m) in all, with no data-dependent loop.
fn solve_lex(n: usize, m: usize, c: &[Lex]) -> Vec<Option<usize>> {
    debug_assert!(n <= m && c.len() == n * m);
    let mut u = vec![Lex::ZERO; n];
    let mut v = vec![Lex::ZERO; m];
    let mut col4row: Vec<Option<usize>> = vec![None; n];
    let mut row4col: Vec<Option<usize>> = vec![None; m];
    // Per-augmentation scratch, reused.
    let mut dist = vec![Lex::UNREACHED; m];
    let mut path: Vec<Option<usize>> = vec![None; m];
    let mut scanned_rows: Vec<usize> = Vec::with_capacity(n);
    let mut scanned_cols: Vec<usize> = Vec::with_capacity(m);
    let mut remaining: Vec<usize> = Vec::with_capacity(m);

    for cur in 0..n {
        dist.fill(Lex::UNREACHED);
        path.fill(None);
        scanned_rows.clear();
        scanned_cols.clear();
        remaining.clear();
        remaining.extend(0..m);

        let mut min_val = Lex::ZERO;
        let mut i = cur;
        let mut sink = None;
        while sink.is_none() {
            scanned_rows.push(i);
            let row = &c[i * m..(i + 1) * m];
            let mut best: Option<(usize, Lex)> = None;
            for (k, &j) in remaining.iter().enumerate() {
                let r = min_val + row[j] - u[i] - v[j];
                if r.lt(dist[j]) {
                    path[j] = Some(i);
                    dist[j] = r;
                }
                let better = match best {
                    None => true,
                    // On ties prefer a free column: it ends the search sooner.
                    Some((_, low)) => dist[j].lt(low) || (dist[j] == low && row4col[j].is_none()),
                };
                if better {
                    best = Some((k, dist[j]));
                }
            }
            let Some((k, low)) = best else { break };
            min_val = low;
            let j = remaining.swap_remove(k);
            scanned_cols.push(j);
            match row4col[j] {
                None => sink = Some(j),
                Some(next) => i = next,
            }
        }
        let Some(sink) = sink else { continue };

        // Dual update (Crouse 2016, Algorithm 1): keeps reduced costs ≥ 0 and tight on the tree.
        u[cur] = u[cur] + min_val;
        for &i in &scanned_rows {
            if i != cur
                && let Some(j) = col4row[i]
            {
                u[i] = u[i] + min_val - dist[j];
            }
        }
        for &j in &scanned_cols {
            v[j] = v[j] - (min_val - dist[j]);
        }

        // Flip the alternating path from the sink back to `cur`.
        let mut j = sink;
        for _ in 0..=cur {
            let Some(i) = path[j] else { break };
            row4col[j] = Some(i);
            let prev = col4row[i].replace(j);
            match prev {
                Some(p) if i != cur => j = p,
                _ => break,
            }
        }
    }
    col4row
}

#[cfg(test)]
mod tests;
