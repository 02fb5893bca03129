//! Truth looked up by time: each target's samples interpolated linearly to a scan time.

use super::TruthRow;

/// Truth samples grouped by target, each target's in time order, for [`TruthTable::at`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TruthTable {
    /// All samples, sorted by target id and, within a target, in the order given (time order
    /// for a file read by [`super::read_truth`]).
    rows: Vec<TruthRow>,
    /// `(id, first, end)`: target `id`'s samples are `rows[first..end]`; ascending id.
    targets: Vec<(u64, usize, usize)>,
}

impl TruthTable {
    /// Groups `rows` (sorted by time, as [`super::read_truth`] returns them) by target.
    /// O(n log n) for n rows, no copy.
    pub fn new(mut rows: Vec<TruthRow>) -> Self {
        // Stable: each target's samples keep their time order.
        rows.sort_by_key(|r| r.id);
        let mut targets: Vec<(u64, usize, usize)> = Vec::new();
        for (k, r) in rows.iter().enumerate() {
            match targets.last_mut() {
                Some(last) if last.0 == r.id => last.2 = k + 1,
                _ => targets.push((r.id, k, k + 1)),
            }
        }
        Self { rows, targets }
    }

    /// The target ids, ascending.
    pub fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.targets.iter().map(|t| t.0)
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there are no targets.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Truth at time `t` (s), ascending by id: for each target, its first sample at exactly
    /// `t`, else its samples on either side of `t` interpolated linearly (position and
    /// velocity); targets whose samples do not span `t` are absent. O(targets · log samples).
    pub fn at(&self, t: f64) -> Vec<TruthRow> {
        let mut out = Vec::new();
        for &(id, first, end) in &self.targets {
            let rows = &self.rows[first..end];
            let k = rows.partition_point(|r| r.t < t);
            if let Some(exact) = rows.get(k).filter(|r| r.t == t) {
                out.push(*exact);
                continue;
            }
            // rows[k] is the first sample after t, rows[k − 1] the last before it.
            if k == 0 || k == rows.len() {
                continue;
            }
            let (a, b) = (rows[k - 1], rows[k]);
            let w = (t - a.t) / (b.t - a.t);
            let lerp = |x: [f64; 3], y: [f64; 3]| [0, 1, 2].map(|i| x[i] + w * (y[i] - x[i]));
            out.push(TruthRow {
                t,
                id,
                position: lerp(a.position, b.position),
                velocity: lerp(a.velocity, b.velocity),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(t: f64, id: u64, x: f64) -> TruthRow {
        TruthRow {
            t,
            id,
            position: [x, 0.0, 0.0],
            velocity: [x / 10.0, 0.0, 0.0],
        }
    }

    /// The linear scan of every row per target (the old `rampart track` code) as the oracle.
    fn oracle(truth: &[TruthRow], t: f64) -> Vec<TruthRow> {
        let mut ids: Vec<u64> = truth.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::new();
        for id in ids {
            let rows: Vec<&TruthRow> = truth.iter().filter(|r| r.id == id).collect();
            if let Some(exact) = rows.iter().find(|r| r.t == t) {
                out.push(**exact);
                continue;
            }
            let after = rows.iter().position(|r| r.t > t);
            if let Some(k) = after.filter(|k| *k > 0) {
                let (a, b) = (rows[k - 1], rows[k]);
                let w = (t - a.t) / (b.t - a.t);
                let lerp = |x: [f64; 3], y: [f64; 3]| [0, 1, 2].map(|i| x[i] + w * (y[i] - x[i]));
                out.push(TruthRow {
                    t,
                    id,
                    position: lerp(a.position, b.position),
                    velocity: lerp(a.velocity, b.velocity),
                });
            }
        }
        out
    }

    #[test]
    fn interpolates_and_matches_the_linear_scan() {
        // Target 7 sampled at 0, 2, 2 (a repeated time), 4; target 3 at 1 and 3; target 9 once.
        let truth = vec![
            row(0.0, 7, 0.0),
            row(1.0, 3, 100.0),
            row(2.0, 7, 20.0),
            row(2.0, 7, 25.0),
            row(3.0, 3, 300.0),
            row(4.0, 7, 40.0),
            row(4.0, 9, 5.0),
        ];
        let table = TruthTable::new(truth.clone());
        assert_eq!(table.ids().collect::<Vec<_>>(), vec![3, 7, 9]);
        assert_eq!(table.len(), 3);
        for t in [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0] {
            assert_eq!(table.at(t), oracle(&truth, t), "t = {t}");
        }
        // By hand: at 1.5, target 3 is a quarter of the way from x = 100 to 300 (150 m),
        // target 7 three quarters of the way from 0 to 20 (15 m).
        let at = table.at(1.5);
        assert_eq!(at[0].position[0], 150.0);
        assert_eq!(at[1].position[0], 15.0);
        assert!(TruthTable::new(Vec::new()).at(0.0).is_empty());
    }
}
