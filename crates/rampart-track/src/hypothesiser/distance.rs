//! Chi-square gating with a coarse spatial pre-gate.
//!
//! A detection z is a candidate for a track when its squared Mahalanobis distance
//! d² = νᵀ S⁻¹ ν from the track's predicted measurement is below the gate threshold γ, the
//! `gate_probability` quantile of χ² with M degrees of freedom (BLK §3.7.1;
//! [`crate::metrics::chi_square_quantile`]). Testing every
//! pair costs tracks × detections; the pre-gate first buckets detections in a uniform 3-D
//! grid of their Cartesian positions and offers a track only the detections in the grid cells
//! its gate can reach (a ball of radius √(γ·trace P_pos + noise) around its predicted
//! position), so the cost grows near-linearly with the number of tracks and detections
//! whatever the targets' spread in height.

use super::Hypothesiser;
use crate::models::measurement::MeasurementModel;
use crate::tracker::Track;
use crate::types::{Hypothesis, MeasurementPrediction, Scan, StateLayout};
use nalgebra::{SMatrix, SVector};
use rustc_hash::FxHashMap;

/// The squared Mahalanobis distance νᵀ S⁻¹ ν and ln det S, by Cholesky; `None` if S is not
/// positive definite.
pub fn mahalanobis2<const M: usize>(
    nu: &SVector<f64, M>,
    s: &SMatrix<f64, M, M>,
) -> Option<(f64, f64)> {
    let chol = s.cholesky()?;
    let x = chol.solve(nu);
    let ln_det = 2.0 * chol.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
    Some((nu.dot(&x), ln_det))
}

/// The squared Mahalanobis distance νᵀ S⁻¹ ν alone, the same number as [`mahalanobis2`]'s
/// (without ln det S, which costs a logarithm per dimension); `None` if S is not positive
/// definite.
pub(crate) fn mahalanobis2_only<const M: usize>(
    nu: &SVector<f64, M>,
    s: &SMatrix<f64, M, M>,
) -> Option<f64> {
    let chol = CholeskyFactor::new(s)?;
    Some(nu.dot(&chol.solve(*nu)))
}

/// A uniform 3-D grid over detection positions, for the pre-gate: cubes of side `cell_m`, so
/// a query reaches 27 cubes when the radius is within a cell, and the candidates per query
/// stay bounded at a given density in any geometry. (Square x–y columns, as it was, let the
/// candidates grow with the number of targets when targets spread in height as much as
/// across: 57 ms a scan at 10,000 targets against 2.5 ms at 1,000.)
///
/// Stored as stacks of cubes: the positions of a stack lie together in one list, ordered by
/// their cube's height. When the occupied x–y extent has at most
/// [`DENSE_COLUMNS_PER_POSITION`] columns per position, the stacks are a dense table laid out
/// row by row, each column of the extent cut into layers as thin as the table's size allows
/// (so that a query in a volume as tall as it is wide reads a few cubes' worth of each
/// column, not the column's whole height, which grows with the volume): the stacks a query
/// reaches in one row of one layer are one run of the list, read straight through (no
/// hashing, no per-cube look-up). Otherwise the stacks are whole columns in a hash map of the
/// occupied ones, hashed with Fx rather than SipHash (keys are not attacker-chosen; SipHash
/// cost 8 % of a scan). Building it allocates a few lists, not one per occupied cube.
#[derive(Debug, Default)]
pub struct SpatialIndex {
    cell_m: f64,
    columns: Columns,
    /// (height key, position index), column by column, each column in ascending order.
    entries: Vec<(i64, usize)>,
    /// Number of occupied cubes.
    cells: usize,
    /// Number of positions when there are at most [`SMALL`]: a query then returns them all,
    /// which is cheaper than hashing cells (the exact gate follows anyway).
    small: Option<usize>,
}

/// Where each x–y column's entries are.
#[derive(Debug, Default)]
enum Columns {
    /// Every stack of the box of `width` × `height` columns from (`x0`, `y0`), each cut into
    /// `layers` layers of `depth` cubes from height `z0`: the stack of column (x0 + i, y0 + k)
    /// in layer l is number c = (l·height + k)·width + i, and its entries are
    /// `bounds[c]..bounds[c + 1]`.
    Dense {
        x0: i64,
        y0: i64,
        z0: i64,
        width: usize,
        height: usize,
        layers: usize,
        depth: i64,
        bounds: Vec<usize>,
    },
    /// The occupied columns and their entries' range.
    Sparse(FxHashMap<(i64, i64), (usize, usize)>),
    /// No positions.
    #[default]
    Empty,
}

/// Up to this many positions the index is a plain list.
pub(crate) const SMALL: usize = 32;

/// The dense column table is used while it has at most this many columns per position (so
/// at most 64 bytes of table per position).
const DENSE_COLUMNS_PER_POSITION: usize = 8;

/// A run of entries longer than this is searched by bisection for the heights a query
/// reaches, rather than read through.
const SHORT_RUN: usize = 32;

impl SpatialIndex {
    /// Buckets `positions` (m) in cubes of side `cell_m`.
    pub fn new(positions: &[[f64; 3]], cell_m: f64) -> Self {
        let cell_m = if cell_m.is_finite() && cell_m > 0.0 {
            cell_m
        } else {
            1.0
        };
        if positions.len() <= SMALL {
            return Self {
                cell_m,
                small: Some(positions.len()),
                ..Self::default()
            };
        }
        let keys: Vec<(i64, i64, i64)> = positions.iter().map(|p| key(p, cell_m)).collect();
        let (mut x0, mut x1, mut y0, mut y1) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
        let (mut z0, mut z1) = (i64::MAX, i64::MIN);
        for &(x, y, z) in &keys {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            (z0, z1) = (z0.min(z), z1.max(z));
        }
        // Keys lie within ±9·10¹⁵, so the extents fit an i64 and their products a u128.
        let (width, height) = ((x1 - x0) as u128 + 1, (y1 - y0) as u128 + 1);
        let budget = (DENSE_COLUMNS_PER_POSITION * keys.len()) as u128;
        let dense = width * height <= budget;
        // Layers as thin as the budget allows: at most budget / (width·height) of them.
        let tall = (z1 - z0) as u128 + 1;
        let most = (budget / (width * height)).clamp(1, tall);
        let depth = tall.div_ceil(most);
        let layers = tall.div_ceil(depth);
        // Each position's column number, and the columns' sizes; then the entries placed
        // column by column (a counting sort, in index order), each column then sorted by
        // height key (and index).
        let mut numbers: FxHashMap<(i64, i64), usize> = FxHashMap::default();
        let mut bounds: Vec<usize> = if dense {
            vec![0; (width * height * layers) as usize + 1]
        } else {
            vec![0]
        };
        let column: Vec<usize> = keys
            .iter()
            .map(|&(x, y, z)| {
                let c = if dense {
                    let l = ((z - z0) as u128 / depth) as usize;
                    (l * height as usize + (y - y0) as usize) * width as usize + (x - x0) as usize
                } else {
                    *numbers.entry((x, y)).or_insert_with(|| {
                        bounds.push(0);
                        bounds.len() - 2
                    })
                };
                bounds[c + 1] += 1;
                c
            })
            .collect();
        for c in 1..bounds.len() {
            bounds[c] += bounds[c - 1];
        }
        // `bounds[c + 1]` is now column c's end. Placed from the last position back, each at
        // the end of its column's free part, it steps down to column c's start; shifted by
        // one place, the starts are then `bounds[c]` and the ends `bounds[c + 1]`.
        let mut entries = vec![(0, 0); keys.len()];
        for (i, (&c, &(_, _, z))) in column.iter().zip(&keys).enumerate().rev() {
            bounds[c + 1] -= 1;
            entries[bounds[c + 1]] = (z, i);
        }
        bounds.rotate_left(1);
        if let Some(last) = bounds.last_mut() {
            *last = keys.len();
        }
        let mut cells = 0;
        for w in bounds.windows(2) {
            let run = &mut entries[w[0]..w[1]];
            if !run.is_empty() {
                run.sort_unstable();
                cells += run.windows(2).filter(|w| w[0].0 != w[1].0).count() + 1;
            }
        }
        let columns = if dense {
            Columns::Dense {
                x0,
                y0,
                z0,
                width: width as usize,
                height: height as usize,
                layers: layers as usize,
                depth: depth as i64,
                bounds,
            }
        } else {
            Columns::Sparse(
                numbers
                    .into_iter()
                    .map(|(xy, c)| (xy, (bounds[c], bounds[c + 1])))
                    .collect(),
            )
        };
        Self {
            cell_m,
            columns,
            entries,
            cells,
            small: None,
        }
    }

    /// The indices of the positions that may lie within `radius_m` of `centre`, ascending
    /// (every one within it is there; some beyond it may be): those in the cubes up to
    /// ⌈radius / cell⌉ cubes away on each axis from the centre's cube or, when that block of
    /// cubes outnumbers the occupied ones fourfold, in the occupied cubes whose nearest point
    /// may be within the radius.
    pub fn near(&self, centre: &[f64; 3], radius_m: f64, out: &mut Vec<usize>) {
        out.clear();
        if let Some(n) = self.small {
            out.extend(0..n);
            return;
        }
        let span = (radius_m / self.cell_m).ceil().min(1e5) as i64;
        let (cx, cy, cz) = key(centre, self.cell_m);
        if (2 * span + 1).pow(3) as usize > 4 * self.cells.max(1) {
            self.walk(radius_m, (cx, cy, cz), out);
        } else {
            // The heights a query reaches, taken from a run of entries sorted by height
            // (one column) or not (a row of columns, read through).
            let (z0, z1) = (cz - span, cz + span);
            let take = |run: &[(i64, usize)], sorted: bool, out: &mut Vec<usize>| {
                if sorted && run.len() > SHORT_RUN {
                    let lo = run.partition_point(|e| e.0 < z0);
                    let hi = run.partition_point(|e| e.0 <= z1);
                    out.extend(run[lo..hi.max(lo)].iter().map(|e| e.1));
                } else {
                    out.extend(run.iter().filter(|e| e.0 >= z0 && e.0 <= z1).map(|e| e.1));
                }
            };
            match &self.columns {
                Columns::Dense {
                    x0,
                    y0,
                    z0: zb,
                    width,
                    height,
                    layers,
                    depth,
                    bounds,
                } => {
                    // The block's stacks within the table, row by row in each layer; a row's
                    // stacks are one run of entries. (Keys and spans are far from overflow.)
                    let (i0, i1) = (
                        (cx - span - x0).max(0),
                        (cx + span - x0).min(*width as i64 - 1),
                    );
                    let (k0, k1) = (
                        (cy - span - y0).max(0),
                        (cy + span - y0).min(*height as i64 - 1),
                    );
                    let (l0, l1) = (
                        (z0 - zb).max(0) / depth,
                        ((z1 - zb) / depth).min(*layers as i64 - 1),
                    );
                    if i0 <= i1 && k0 <= k1 && l0 <= l1 && z1 >= *zb {
                        let (i0, i1) = (i0 as usize, i1 as usize);
                        for l in l0 as usize..=l1 as usize {
                            for k in k0 as usize..=k1 as usize {
                                let row = (l * height + k) * width;
                                let (a, b) = (bounds[row + i0], bounds[row + i1 + 1]);
                                if b - a > SHORT_RUN {
                                    // A long run: stack by stack, each bisected.
                                    for c in row + i0..=row + i1 {
                                        take(&self.entries[bounds[c]..bounds[c + 1]], true, out);
                                    }
                                } else {
                                    take(&self.entries[a..b], false, out);
                                }
                            }
                        }
                    }
                }
                Columns::Sparse(map) => {
                    for x in cx - span..cx + span + 1 {
                        for y in cy - span..cy + span + 1 {
                            if let Some(&(a, b)) = map.get(&(x, y)) {
                                take(&self.entries[a..b], true, out);
                            }
                        }
                    }
                }
                Columns::Empty => {}
            }
        }
        // The cells are visited in no particular order; the callers gate (and break ties) in
        // the order of the positions.
        out.sort_unstable();
    }

    /// A gate wider than most of the grid: the occupied cubes are walked instead, keeping
    /// those whose nearest point may be within the radius (the gap to a cube is at least one
    /// cube less than the difference of the keys, on each axis).
    fn walk(&self, radius_m: f64, c: (i64, i64, i64), out: &mut Vec<usize>) {
        let (cx, cy, cz) = c;
        let reach = radius_m + self.cell_m * 3f64.sqrt();
        let gap = |a: i64, b: i64| (a - b).abs().saturating_sub(1) as f64 * self.cell_m;
        let mut visit = |x: i64, y: i64, run: &[(i64, usize)]| {
            let (dx, dy) = (gap(x, cx), gap(y, cy));
            for &(z, i) in run {
                let dz = gap(z, cz);
                if (dx * dx + dy * dy + dz * dz).sqrt() <= reach {
                    out.push(i);
                }
            }
        };
        match &self.columns {
            Columns::Dense {
                x0,
                y0,
                width,
                height,
                bounds,
                ..
            } => {
                for (c, w) in bounds.windows(2).enumerate() {
                    if w[0] < w[1] {
                        let (i, k) = (c % width, (c / width) % height);
                        let (x, y) = (x0 + i as i64, y0 + k as i64);
                        visit(x, y, &self.entries[w[0]..w[1]]);
                    }
                }
            }
            Columns::Sparse(map) => {
                for (&(x, y), &(a, b)) in map {
                    visit(x, y, &self.entries[a..b]);
                }
            }
            Columns::Empty => {}
        }
    }
}

/// The cube of a position: ⌊coordinate / cell⌋ on each axis, within ±9·10¹⁵ (NaN: 0).
/// Truncated and corrected rather than by `f64::floor`, which on the baseline x86-64 target
/// is a library call, three per pre-gate query (measured: a tenth of a query's cost); the
/// same integers for every input.
fn key(p: &[f64; 3], cell: f64) -> (i64, i64, i64) {
    let k = |v: f64| {
        // Within ±9·10¹⁵ < 2⁵³ the truncation is exact, and the bounds are whole, so
        // clamping before or after the floor gives the same integer.
        let q = (v / cell).clamp(-9e15, 9e15);
        let t = q as i64;
        if (t as f64) > q { t - 1 } else { t }
    };
    (k(p[0]), k(p[1]), k(p[2]))
}

/// The χ² gate behind the spatial pre-gate (Stone Soup's `DistanceHypothesiser` with a
/// Mahalanobis measure and a gate): a detection is a hypothesis for a track when its squared
/// Mahalanobis distance from the track's predicted measurement is below [`Self::gate`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DistanceHypothesiser {
    gate: f64,
}

impl DistanceHypothesiser {
    /// The gate that holds a target's own detection with probability `gate_probability`,
    /// the χ² quantile with `dimension` (the measurement's) degrees of freedom. The
    /// probability is clamped to [10⁻⁹, 1 − 10⁻¹²].
    pub fn new(gate_probability: f64, dimension: usize) -> Self {
        let p = gate_probability.clamp(1e-9, 1.0 - 1e-12);
        // The quantile exists for every p in (0, 1) and dimension ≥ 1; the fallback is taken
        // only for a dimension of 0.
        let gate =
            crate::metrics::chi_square_quantile(p, dimension as f64).unwrap_or(f64::INFINITY);
        Self { gate }
    }

    /// A gate of `gate` on d² directly.
    pub fn with_gate(gate: f64) -> Self {
        Self { gate }
    }
}

impl<const N: usize, const M: usize> Hypothesiser<N, M> for DistanceHypothesiser {
    fn hypothesise<S, Mm: MeasurementModel<N, M>>(
        &mut self,
        tracks: &[Track<N, S>],
        predicted: &[MeasurementPrediction<N, M>],
        scan: &Scan<'_, M>,
        model: &Mm,
        layout: StateLayout,
    ) -> Vec<Hypothesis> {
        if tracks.is_empty() {
            return Vec::new();
        }
        let detections = scan.detections;
        // Up to `SMALL` detections every track is offered them all, which the index would do
        // anyway: their positions are then not needed (nor converted).
        let pre_gate = (detections.len() > SMALL).then(|| {
            let converted: Vec<_> = (0..detections.len()).map(|j| scan.position(j)).collect();
            let positions: Vec<[f64; 3]> = converted
                .iter()
                .map(|c| c.map_or([f64::NAN; 3], |(p, _)| [p.x, p.y, p.z]))
                .collect();
            let noise = converted
                .iter()
                .flatten()
                .map(|&(_, trace)| trace)
                .fold(0.0, f64::max);
            // Each track's pre-gate ball, its predicted position and radius, read from the
            // tracks in one pass into a short list (past a few thousand tracks the tracks are
            // read from memory, not the cache: a second pass over them cost as much).
            let balls: Vec<([f64; 3], f64)> = tracks
                .iter()
                .map(|tr| {
                    let (x, p) = (&tr.state.state.mean, &tr.state.state.cov);
                    let var: f64 = layout.position.iter().map(|&i| p[(i, i)]).sum();
                    (
                        layout.position.map(|i| x[i]),
                        (self.gate * (var + noise)).sqrt(),
                    )
                })
                .collect();
            // Grid cells the size of the 90th-percentile gate: most tracks then look in 27
            // cells, and the few with much wider gates (long coasts) in more, rather than
            // every track paying for the widest.
            let radii: Vec<f64> = balls.iter().map(|b| b.1).collect();
            let index = SpatialIndex::new(&positions, percentile90(&radii).max(1.0));
            // A detection with no position could be any track's: all are then candidates.
            converted
                .iter()
                .all(Option::is_some)
                .then_some((index, balls))
        });
        let mut candidates = Vec::new();
        let mut pairs = Vec::new();
        for ti in 0..tracks.len() {
            if let Some(Some((index, balls))) = &pre_gate {
                let (centre, radius) = &balls[ti];
                index.near(centre, *radius, &mut candidates);
            } else {
                candidates.clear();
                candidates.extend(0..detections.len());
            }
            if candidates.is_empty() {
                // Most tracks in clutter: nothing to gate, so nothing to factor.
                continue;
            }
            let mp = &predicted[ti];
            // S's Cholesky factor, once for all the track's candidates, and ln det S once
            // one passes (the same numbers as `mahalanobis2` gives for each pair). A track
            // whose S is not positive definite gates nothing.
            let Some(chol) = CholeskyFactor::new(&mp.s) else {
                continue;
            };
            let mut ln_det = None;
            for &j in &candidates {
                let nu = model.residual(&detections[j], &mp.z);
                let d2 = nu.dot(&chol.solve(nu));
                if d2 < self.gate {
                    pairs.push(Hypothesis {
                        track: ti,
                        detection: j,
                        distance2: d2,
                        ln_det_s: *ln_det.get_or_insert_with(|| chol.ln_det()),
                    });
                }
            }
        }
        pairs
    }

    fn gate(&self) -> f64 {
        self.gate
    }
}

/// The Cholesky factor L of a positive definite S = L Lᵀ, with the solve and ln det S that
/// gating needs. It does what nalgebra's `Cholesky::new`, `solve` and `l` do, operation for
/// operation, so its numbers are bit for bit nalgebra's ([`mahalanobis2`]'s; a test checks
/// it); written out so that it is inlined into the gating loop for every track, which the
/// compiler does not reliably do with nalgebra's generic decomposition.
struct CholeskyFactor<const M: usize> {
    /// L in the lower triangle (the upper triangle holds S's entries, unused).
    l: SMatrix<f64, M, M>,
}

impl<const M: usize> CholeskyFactor<M> {
    /// The factor of `s` (its lower triangle read), or `None` if it is not positive definite.
    #[inline]
    fn new(s: &SMatrix<f64, M, M>) -> Option<Self> {
        let mut m = *s;
        for j in 0..M {
            for k in 0..j {
                let factor = -m[(j, k)];
                for i in j..M {
                    m[(i, j)] += factor * m[(i, k)];
                }
            }
            let diag = m[(j, j)];
            // Zero, negative or NaN: not positive definite.
            if diag == 0.0 || diag.is_nan() || diag < 0.0 {
                return None;
            }
            let denom = diag.sqrt();
            m[(j, j)] = denom;
            for i in j + 1..M {
                m[(i, j)] /= denom;
            }
        }
        Some(Self { l: m })
    }

    /// x with S x = b: forward substitution with L, then back substitution with Lᵀ.
    #[inline]
    fn solve(&self, mut b: SVector<f64, M>) -> SVector<f64, M> {
        let l = &self.l;
        for i in 0..M {
            let coeff = b[i] / l[(i, i)];
            b[i] = coeff;
            for r in i + 1..M {
                b[r] += -coeff * l[(r, i)];
            }
        }
        for i in (0..M).rev() {
            let mut dot = 0.0;
            for k in i + 1..M {
                dot += l[(k, i)] * b[k];
            }
            b[i] = (b[i] - dot) / l[(i, i)];
        }
        b
    }

    /// ln det S = 2 Σ ln Lᵢᵢ.
    #[inline]
    fn ln_det(&self) -> f64 {
        2.0 * (0..M).map(|i| self.l[(i, i)].ln()).sum::<f64>()
    }
}

/// The 90th percentile of the finite values (1 if there are none): the size of grid cells
/// that suits most queries.
pub(crate) fn percentile90(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 1.0;
    }
    let k = (v.len() * 9 / 10).min(v.len() - 1);
    *v.select_nth_unstable_by(k, f64::total_cmp).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mahalanobis_of_a_diagonal_covariance() {
        let s = SMatrix::<f64, 3, 3>::from_diagonal(&SVector::<f64, 3>::new(4.0, 9.0, 1.0));
        let (d2, ln_det) = mahalanobis2(&SVector::<f64, 3>::new(2.0, 3.0, 1.0), &s).unwrap();
        assert!((d2 - 3.0).abs() < 1e-12 && (ln_det - 36f64.ln()).abs() < 1e-12);
        assert!(
            mahalanobis2(&SVector::<f64, 3>::zeros(), &SMatrix::<f64, 3, 3>::zeros()).is_none()
        );
    }

    #[test]
    fn the_pre_gate_finds_every_point_within_the_radius() {
        let pts: Vec<[f64; 3]> = (0..500)
            .map(|i| {
                let x = i as f64;
                [(x * 37.0) % 1000.0, (x * 91.0) % 1000.0, (x * 13.0) % 200.0]
            })
            .collect();
        let idx = SpatialIndex::new(&pts, 50.0);
        let mut out = Vec::new();
        let c = [500.0, 500.0, 100.0];
        idx.near(&c, 120.0, &mut out);
        for (i, p) in pts.iter().enumerate() {
            let d = ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2) + (p[2] - c[2]).powi(2)).sqrt();
            if d <= 120.0 {
                assert!(out.binary_search(&i).is_ok(), "point {i} at {d} m missed");
            }
        }
        assert!(out.len() < pts.len(), "the pre-gate pruned nothing");
    }

    /// Against brute force: random points in a tall volume (as deep as it is wide), random
    /// centres and radii from a fraction of a cell to wider than the volume (the walk over
    /// occupied cells), every point within the radius is returned, once, in ascending order.
    #[test]
    fn the_3d_pre_gate_finds_every_point_within_the_radius_in_a_tall_volume() {
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let pts: Vec<[f64; 3]> = (0..4_000)
            .map(|_| {
                [
                    rng.random_range(0.0..10_000.0),
                    rng.random_range(0.0..10_000.0),
                    rng.random_range(-5_000.0..5_000.0),
                ]
            })
            .collect();
        let mut out = Vec::new();
        let mut pruned = false;
        for cell in [100.0, 700.0, 3_000.0] {
            let idx = SpatialIndex::new(&pts, cell);
            for _ in 0..200 {
                let c = [
                    rng.random_range(-1_000.0..11_000.0),
                    rng.random_range(-1_000.0..11_000.0),
                    rng.random_range(-6_000.0..6_000.0),
                ];
                let r = 10f64.powf(rng.random_range(1.0..4.5));
                idx.near(&c, r, &mut out);
                assert!(
                    out.windows(2).all(|w| w[0] < w[1]),
                    "not ascending and unique"
                );
                for (i, p) in pts.iter().enumerate() {
                    let d = ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2) + (p[2] - c[2]).powi(2))
                        .sqrt();
                    if d <= r {
                        assert!(
                            out.binary_search(&i).is_ok(),
                            "point {i} at {d} m of {r} missed"
                        );
                    }
                }
                pruned |= out.len() < pts.len();
            }
        }
        // Height prunes too: a query at the bottom of a 500 m cell grid misses the top.
        let idx = SpatialIndex::new(&pts, 500.0);
        idx.near(&[5_000.0, 5_000.0, -5_000.0], 400.0, &mut out);
        assert!(
            out.iter().all(|&i| pts[i][2] < -3_500.0),
            "a column, not a cube"
        );
        assert!(pruned, "the pre-gate pruned nothing");
    }

    /// The candidates are exactly those of the grid of cubes it replaced (a hash map from
    /// cube to its positions): the cubes up to ⌈r / cell⌉ away on each axis, or, past four
    /// times the occupied cubes, the occupied cubes within reach — so the gate, which sees
    /// the candidates only, decides as it did. Random points, some in lines and stacks (many
    /// in one column or one cube), random centres and radii.
    #[test]
    fn the_candidates_are_the_cube_grids() {
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        use std::collections::BTreeSet;
        let mut rng = ChaCha8Rng::seed_from_u64(29);
        for round in 0..40 {
            let n = rng.random_range(33..600);
            let pts: Vec<[f64; 3]> = (0..n)
                .map(|i| match (round % 3, i % 4) {
                    (1, 0) => [500.0, 500.0, rng.random_range(0.0..5_000.0)],
                    (2, 0) => [10.0, 20.0, 30.0],
                    _ => [
                        rng.random_range(-3_000.0..3_000.0),
                        rng.random_range(-3_000.0..3_000.0),
                        rng.random_range(0.0..8_000.0),
                    ],
                })
                .collect();
            let cell = 10f64.powf(rng.random_range(1.5..3.5));
            let idx = SpatialIndex::new(&pts, cell);
            let keys: Vec<_> = pts.iter().map(|p| key(p, cell)).collect();
            let cubes: BTreeSet<_> = keys.iter().copied().collect();
            let mut out = Vec::new();
            for _ in 0..50 {
                let c = [
                    rng.random_range(-4_000.0..4_000.0),
                    rng.random_range(-4_000.0..4_000.0),
                    rng.random_range(-1_000.0..9_000.0),
                ];
                let r = 10f64.powf(rng.random_range(0.5..4.0));
                idx.near(&c, r, &mut out);
                let span = (r / cell).ceil().min(1e5) as i64;
                let (cx, cy, cz) = key(&c, cell);
                let walk = (2 * span + 1).pow(3) as usize > 4 * cubes.len();
                let reach = r + cell * 3f64.sqrt();
                let gap = |a: i64, b: i64| (a - b).abs().saturating_sub(1) as f64 * cell;
                let expect: Vec<usize> = (0..n)
                    .filter(|&i| {
                        let (x, y, z) = keys[i];
                        if walk {
                            let (dx, dy, dz) = (gap(x, cx), gap(y, cy), gap(z, cz));
                            (dx * dx + dy * dy + dz * dz).sqrt() <= reach
                        } else {
                            (x - cx).abs() <= span
                                && (y - cy).abs() <= span
                                && (z - cz).abs() <= span
                        }
                    })
                    .collect();
                assert_eq!(out, expect, "centre {c:?}, radius {r}, cell {cell}");
            }
        }
    }

    /// The cube keys are ⌊v / cell⌋ clamped to ±9·10¹⁵ (NaN: 0), as `f64::floor` gives them.
    #[test]
    fn keys_are_the_floor() {
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        let floor = |v: f64, cell: f64| (v / cell).floor().clamp(-9e15, 9e15) as i64;
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            9e15,
            -9e15,
            9e15 + 2.0,
            -9e15 - 2.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
        ];
        values.extend((0..20_000).map(|_| {
            let m: f64 = rng.random_range(-1.0..1.0);
            m * 10f64.powi(rng.random_range(-3..18))
        }));
        for &v in &values {
            for cell in [1.0, 0.3, 7.0, 1234.5, 1e-9] {
                let k = key(&[v, -v, v * 0.5], cell);
                assert_eq!(
                    k,
                    (floor(v, cell), floor(-v, cell), floor(v * 0.5, cell)),
                    "{v} {cell}"
                );
            }
        }
    }

    /// The inlined factor gives nalgebra's numbers bit for bit: d² and ln det S of
    /// `mahalanobis2` on 20,000 random covariances (well and badly conditioned, 3 × 3 and
    /// 4 × 4) and innovations, and `None` on the same matrices made indefinite or NaN.
    #[test]
    fn the_inlined_factor_is_nalgebras_bit_for_bit() {
        use rand::rngs::ChaCha8Rng;
        use rand::{RngExt, SeedableRng};
        fn check<const M: usize>(rng: &mut ChaCha8Rng) {
            let a = SMatrix::<f64, M, M>::from_fn(|_, _| rng.random_range(-1.0..1.0));
            let scale = 10f64.powf(rng.random_range(-3.0..6.0));
            let s = (a * a.transpose()) * scale
                + SMatrix::<f64, M, M>::identity() * rng.random_range(0.0..1e-3);
            let nu = SVector::<f64, M>::from_fn(|_, _| rng.random_range(-1e3..1e3));
            let f = CholeskyFactor::new(&s).expect("positive definite");
            let (d2, ln_det) = mahalanobis2(&nu, &s).expect("positive definite");
            assert_eq!(nu.dot(&f.solve(nu)).to_bits(), d2.to_bits(), "{s}");
            assert_eq!(
                mahalanobis2_only(&nu, &s).map(f64::to_bits),
                Some(d2.to_bits())
            );
            assert_eq!(f.ln_det().to_bits(), ln_det.to_bits(), "{s}");
            let mut bad = s;
            bad[(M - 1, M - 1)] = -bad[(M - 1, M - 1)];
            assert_eq!(
                mahalanobis2_only(&nu, &bad).is_some(),
                mahalanobis2(&nu, &bad).is_some()
            );
            assert_eq!(
                CholeskyFactor::new(&bad).is_some(),
                bad.cholesky().is_some()
            );
            bad[(0, 0)] = f64::NAN;
            assert_eq!(
                CholeskyFactor::new(&bad).is_some(),
                bad.cholesky().is_some()
            );
        }
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        for _ in 0..10_000 {
            check::<3>(&mut rng);
            check::<4>(&mut rng);
        }
    }
}
