//! The lower tier's statistics over replications: what each counter-RAM gun fired and killed,
//! and the warning time the defense gave of the threats that landed.

use super::stats::{Estimate, Welford, wilson};
use crate::scenario::Scenario;
use crate::summary::RunSummary;
use serde::{Deserialize, Serialize};

/// Per gun, what it did in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GunCounts {
    /// Bursts fired.
    pub bursts: u32,
    /// Rounds fired.
    pub rounds: u32,
    /// Threats its bursts destroyed.
    pub kills: u32,
    /// Rounds that fell to the ground.
    pub rounds_fallen: u32,
    /// Rounds left at the end.
    pub left: u32,
}

impl GunCounts {
    /// Each gun's counts from a run summary, in scenario order.
    pub fn from_summary(s: &RunSummary) -> Vec<Self> {
        s.guns
            .iter()
            .map(|g| GunCounts {
                bursts: g.bursts,
                rounds: g.rounds_fired,
                kills: g.kills,
                rounds_fallen: g.rounds_fallen,
                left: g.rounds_left,
            })
            .collect()
    }
}

/// The statistics of one gun over the replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GunStats {
    /// Gun name.
    pub name: String,
    /// Bursts per replication (normal approximation).
    pub bursts: Estimate,
    /// Rounds fired per replication (normal approximation).
    pub rounds_fired: Estimate,
    /// Kills per replication (normal approximation).
    pub kills: Estimate,
    /// Rounds fired per kill, all replications pooled (null with no kill).
    pub rounds_per_kill: Option<f64>,
    /// Rounds that fell to the ground per replication (normal approximation).
    pub rounds_fallen: Estimate,
    /// Probability that it ends a replication with an empty magazine (Wilson).
    pub p_out_of_rounds: Estimate,
}

/// Folds the guns' counts of each replication.
#[derive(Clone, Debug)]
pub struct GunAggregator {
    names: Vec<String>,
    /// Per gun: bursts, rounds, kills and fallen rounds per replication; total rounds and kills;
    /// replications it ended empty.
    acc: Vec<([Welford; 4], u64, u64, u64)>,
    runs: u64,
}

impl GunAggregator {
    /// An empty aggregate of `scenario`'s guns.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            names: scenario.guns.iter().map(|g| g.name.clone()).collect(),
            acc: vec![([Welford::new(); 4], 0, 0, 0); scenario.guns.len()],
            runs: 0,
        }
    }

    /// Folds one replication's counts in.
    pub fn add(&mut self, guns: &[GunCounts]) {
        self.runs += 1;
        for (a, g) in self.acc.iter_mut().zip(guns) {
            for (w, x) in
                a.0.iter_mut()
                    .zip([g.bursts, g.rounds, g.kills, g.rounds_fallen])
            {
                w.push(f64::from(x));
            }
            a.1 += u64::from(g.rounds);
            a.2 += u64::from(g.kills);
            a.3 += u64::from(g.left == 0);
        }
    }

    /// The statistics so far.
    pub fn result(&self) -> Vec<GunStats> {
        self.names
            .iter()
            .zip(&self.acc)
            .map(|(name, (w, rounds, kills, empty))| GunStats {
                name: name.clone(),
                bursts: w[0].estimate(),
                rounds_fired: w[1].estimate(),
                kills: w[2].estimate(),
                rounds_per_kill: (*kills > 0).then(|| *rounds as f64 / *kills as f64),
                rounds_fallen: w[3].estimate(),
                p_out_of_rounds: wilson(*empty, self.runs),
            })
            .collect()
    }
}

/// The warning times of a run's threats that landed after an alarm, s.
pub fn warning_times(s: &RunSummary) -> Vec<f64> {
    s.threats.iter().filter_map(|t| t.warning_time_s).collect()
}
