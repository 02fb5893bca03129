//! The small record of one replication that the statistics are folded from, and its row of
//! `replications.csv`.

use super::stats::Welford;
use super::tiers::GunCounts;
use crate::engine::{EngineError, RunOptions, run_with};
use crate::passive::Effects;
use crate::scenario::Scenario;
use crate::siap::SiapSummary;
use crate::summary::{Outcome, RunSummary, SummaryFold};
use serde::{Deserialize, Serialize};

/// Per threat type, what happened in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeCounts {
    /// Threats of the type launched.
    pub launched: u32,
    /// Threats at which at least one interceptor reached its closest approach or a gun's burst
    /// was judged.
    pub engaged: u32,
    /// Threats destroyed by an interceptor or a gun.
    pub killed: u32,
    /// Threats that hit an asset.
    pub leaked: u32,
}

/// Per fire unit, what happened to its interceptors in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitCounts {
    /// Interceptors launched.
    pub launched: u32,
    /// Interceptors lost without an intercept.
    pub lost: u32,
    /// Interceptors left at the end (ready rounds and spare loads).
    pub left: u32,
    /// Whether all its fire channels were in use at once at some time.
    pub channels_full: bool,
    /// Threats its interceptors destroyed.
    pub kills: u32,
    /// Engagements it planned.
    pub engagements: u32,
    /// What its interceptors launched cost, if priced.
    pub cost: Option<f64>,
}

/// The small record of one replication that the statistics are folded from. It is the whole
/// of what the statistics need, so a Monte Carlo run's parts keep their records (`rampart mc
/// --shard`) and folding them again, in replication order, gives the statistics to the bit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    /// Replication index.
    pub replication: u64,
    /// Seed of the run.
    pub seed: u64,
    /// Threats that hit an asset although the scenario has a defense (`totals.leaked`).
    pub leakers: u32,
    /// Hits per asset, in scenario order.
    pub asset_hits: Vec<u32>,
    /// Threats launched.
    pub launched: u32,
    /// Threats that reached the ground.
    pub impacted: u32,
    /// Threats destroyed by interceptors or guns.
    pub intercepted: u32,
    /// Interceptors launched.
    pub interceptors_launched: u32,
    /// Per threat type, in scenario order.
    pub threat_types: Vec<TypeCounts>,
    /// Per fire unit, in scenario order.
    pub fire_units: Vec<UnitCounts>,
    /// Heights of the interceptors' kills above the ellipsoid, m.
    pub intercept_alt_m: Vec<f64>,
    /// Ground ranges of the interceptors' kills from their launchers, m.
    pub intercept_range_m: Vec<f64>,
    /// The mean, over the threats engaged, of the time from a threat's launch to the first
    /// engagement planned on it, s (`None` when nothing was engaged).
    pub first_engagement_s: Option<f64>,
    /// The mean, over the threats engaged, of the engaged track's slant range from the launcher
    /// at that first engagement, m (`None` when nothing was engaged).
    pub first_engagement_range_m: Option<f64>,
    /// Each picture's single integrated air picture measures (see [`crate::siap`]), in the
    /// order of the run summary's `siap`.
    pub siap: Vec<SiapSummary>,
    /// Where threats reached the ground.
    pub impacts: Vec<ImpactRecord>,
    /// Per gun, in scenario order.
    pub guns: Vec<GunCounts>,
    /// The warning times of the threats that landed after an alarm: (threat type index, s).
    pub warning_times_s: Vec<(usize, f64)>,
    /// Per asset, in scenario order: its warning time (its first hit less its first alarm),
    /// s, if it was hit after an alarm.
    #[serde(default)]
    pub asset_warning_s: Vec<Option<f64>>,
    /// Per asset, in scenario order: the expected effect on its people and aircraft (`None`
    /// for an asset with neither).
    #[serde(default)]
    pub effects: Vec<Option<Effects>>,
}

/// A threat that reached the ground in a replication (a row of `impacts.csv`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactRecord {
    /// Replication index.
    pub replication: u64,
    /// Threat id.
    pub threat: String,
    /// Geodetic latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// The asset whose radius it fell in, if any.
    pub asset_hit: Option<String>,
}

impl Replication {
    /// The record of replication `replication` from its run summary.
    pub fn from_summary(scenario: &Scenario, replication: u64, s: &RunSummary) -> Self {
        let mut types = vec![TypeCounts::default(); scenario.threat_types.len()];
        let mut alt = Vec::new();
        let mut range = Vec::new();
        let mut impacts = Vec::new();
        let mut warnings = Vec::new();
        let (mut eng_s, mut eng_m) = (Welford::new(), Welford::new());
        for t in &s.threats {
            if let Some(e) = &t.first_engagement {
                eng_s.push(e.after_launch_s);
                eng_m.push(e.range_m);
            }
            if let Some(i) = scenario
                .threat_types
                .iter()
                .position(|tt| tt.name == t.threat_type)
            {
                let c = &mut types[i];
                c.launched += 1;
                c.engaged += u32::from(t.interceptors_at > 0 || t.bursts_at > 0);
                c.killed += u32::from(t.outcome == Outcome::Intercepted);
                c.leaked += u32::from(t.asset_hit.is_some());
                if let Some(w) = t.warning_time_s {
                    warnings.push((i, w));
                }
            }
            if let Some(p) = &t.impact {
                impacts.push(ImpactRecord {
                    replication,
                    threat: t.id.clone(),
                    lat: p.lat,
                    lon: p.lon,
                    asset_hit: t.asset_hit.clone(),
                });
            }
            if let Some(k) = t.intercept.as_ref().filter(|k| !k.by_gun) {
                alt.push(k.alt_m);
                range.push(k.ground_range_m);
            }
        }
        Self {
            replication,
            seed: s.seed,
            leakers: s.totals.leaked,
            asset_hits: s.assets.iter().map(|a| a.hits).collect(),
            launched: s.totals.launched,
            impacted: s.totals.impacted,
            intercepted: s.totals.intercepted,
            interceptors_launched: s.totals.interceptors_launched,
            threat_types: types,
            fire_units: s
                .fire_units
                .iter()
                .map(|u| UnitCounts {
                    launched: u.interceptors_launched,
                    lost: u.interceptors_lost,
                    left: u.interceptors_left,
                    channels_full: u.channels > 0 && u.peak_channels_busy >= u.channels,
                    kills: u.kills,
                    engagements: u.engagements,
                    cost: u.cost,
                })
                .collect(),
            intercept_alt_m: alt,
            intercept_range_m: range,
            first_engagement_s: (eng_s.count() > 0).then(|| eng_s.mean()),
            first_engagement_range_m: (eng_m.count() > 0).then(|| eng_m.mean()),
            siap: s.siap.clone(),
            impacts,
            guns: GunCounts::from_summary(s),
            warning_times_s: warnings,
            asset_warning_s: s.assets.iter().map(|a| a.warning_time_s).collect(),
            effects: s.assets.iter().map(|a| a.effects).collect(),
        }
    }

    /// The expected effect summed over the assets, if any asset counts people or aircraft.
    pub fn total_effects(&self) -> Option<Effects> {
        self.effects
            .iter()
            .flatten()
            .fold(None, |acc: Option<Effects>, e| {
                Some(acc.unwrap_or_default().plus(*e))
            })
    }

    /// Runs replication `replication` of `scenario` with `seed` and returns its record.
    pub fn run(scenario: &Scenario, seed: u64, replication: u64) -> Result<Self, EngineError> {
        // The events are folded into the summary as they come; none is kept.
        let mut fold = SummaryFold::new(scenario, seed);
        let opts = RunOptions {
            replication,
            ..RunOptions::seed(seed)
        };
        run_with(scenario, opts, &mut fold)?;
        Ok(Self::from_summary(scenario, replication, &fold.finish()))
    }

    /// The header of `replications.csv` for `scenario`.
    pub fn csv_header(scenario: &Scenario) -> Vec<String> {
        let mut h: Vec<String> = ["replication", "seed", "leakers"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        h.extend(scenario.assets.iter().map(|a| format!("hits:{}", a.name)));
        h.extend(
            [
                "interceptors_launched",
                "intercepted",
                "launched",
                "impacted",
                "first_engagement_s",
                "first_engagement_range_m",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        if scenario
            .assets
            .iter()
            .any(|a| a.personnel.is_some() || a.aircraft.is_some())
        {
            h.extend(
                ["killed", "injured", "aircraft_destroyed"]
                    .iter()
                    .map(|s| s.to_string()),
            );
        }
        h
    }

    /// This record as a row of `replications.csv` (see [`Replication::csv_header`]).
    pub fn csv_row(&self) -> Vec<String> {
        let mut r = vec![
            self.replication.to_string(),
            self.seed.to_string(),
            self.leakers.to_string(),
        ];
        r.extend(self.asset_hits.iter().map(|h| h.to_string()));
        r.extend(
            [
                self.interceptors_launched,
                self.intercepted,
                self.launched,
                self.impacted,
            ]
            .iter()
            .map(|v| v.to_string()),
        );
        for x in [self.first_engagement_s, self.first_engagement_range_m] {
            r.push(x.map(|v| v.to_string()).unwrap_or_default());
        }
        if let Some(e) = self.total_effects() {
            for x in [e.killed, e.injured, e.aircraft_destroyed] {
                r.push(x.to_string());
            }
        }
        r
    }
}
