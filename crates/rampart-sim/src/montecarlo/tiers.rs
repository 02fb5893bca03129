//! The lower tier's statistics over replications: what each counter-RAM gun fired and killed.

use super::stats::{Estimate, Welford, wilson};
use crate::scenario::Scenario;
use crate::summary::RunSummary;
use serde::{Deserialize, Serialize};

/// Per gun, what it did in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// What its rounds cost, if priced.
    pub cost: Option<f64>,
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
                cost: g.cost,
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
    /// What its rounds cost per kill, all replications pooled (null without a `round_cost` or
    /// a kill).
    pub cost_per_kill: Option<f64>,
}

/// One gun's accumulators.
#[derive(Clone, Debug)]
struct GunAcc {
    /// Bursts, rounds, kills and fallen rounds per replication.
    per_run: [Welford; 4],
    /// Rounds and kills, all replications.
    rounds: u64,
    kills: u64,
    /// Replications it ended with an empty magazine.
    empty: u64,
    /// What its rounds cost, all replications, when priced.
    cost: Option<f64>,
}

/// Folds the guns' counts of each replication.
#[derive(Clone, Debug)]
pub struct GunAggregator {
    names: Vec<String>,
    acc: Vec<GunAcc>,
    runs: u64,
}

impl GunAggregator {
    /// An empty aggregate of `scenario`'s guns.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            names: scenario.guns.iter().map(|g| g.name.clone()).collect(),
            acc: vec![
                GunAcc {
                    per_run: [Welford::new(); 4],
                    rounds: 0,
                    kills: 0,
                    empty: 0,
                    // Priced while every replication's record is.
                    cost: Some(0.0),
                };
                scenario.guns.len()
            ],
            runs: 0,
        }
    }

    /// Folds one replication's counts in.
    pub fn add(&mut self, guns: &[GunCounts]) {
        self.runs += 1;
        for (a, g) in self.acc.iter_mut().zip(guns) {
            let values = [g.bursts, g.rounds, g.kills, g.rounds_fallen];
            for (w, x) in a.per_run.iter_mut().zip(values) {
                w.push(f64::from(x));
            }
            a.rounds += u64::from(g.rounds);
            a.kills += u64::from(g.kills);
            a.empty += u64::from(g.left == 0);
            a.cost = a.cost.zip(g.cost).map(|(x, c)| x + c);
        }
    }

    /// The statistics so far.
    pub fn result(&self) -> Vec<GunStats> {
        self.names
            .iter()
            .zip(&self.acc)
            .map(|(name, a)| GunStats {
                name: name.clone(),
                bursts: a.per_run[0].estimate(),
                rounds_fired: a.per_run[1].estimate(),
                kills: a.per_run[2].estimate(),
                rounds_per_kill: (a.kills > 0).then(|| a.rounds as f64 / a.kills as f64),
                rounds_fallen: a.per_run[3].estimate(),
                p_out_of_rounds: wilson(a.empty, self.runs),
                cost_per_kill: a.cost.filter(|_| a.kills > 0).map(|c| c / a.kills as f64),
            })
            .collect()
    }
}
