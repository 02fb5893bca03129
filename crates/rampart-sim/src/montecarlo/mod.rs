//! Monte Carlo: many replications of one scenario, run in parallel, folded into statistics with
//! 95 % confidence intervals as they finish.
//!
//! Replication `k` draws every random number from streams derived from (seed, `k`, entity,
//! purpose), so it is the same run as `rampart run --replication k`. Replications are run in
//! batches of [`BATCH`]: a batch is run in parallel (rayon) into a vector of small
//! [`Replication`] records in index order, then folded in that order. The result is therefore
//! bit-identical whatever the number of threads, and memory holds one batch of records, not the
//! whole run.
//!
//! The JSON form of [`McResult`] (`summary.json`) and the rows of `replications.csv` are
//! documented key by key in `docs/outputs.md`.

mod replication;
pub mod stats;
pub mod sweep;
pub mod tiers;

pub use replication::{ImpactRecord, Replication, TypeCounts, UnitCounts};

use crate::engine::EngineError;
use crate::scenario::Scenario;
use crate::siap::SiapSummary;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use stats::{BinnedHistogram, CountBin, Estimate, IntHistogram, RangeBin, Welford, wilson};
use std::sync::atomic::{AtomicBool, Ordering};
use tiers::{GunAggregator, GunStats};

/// Replications run in parallel before their records are folded.
pub const BATCH: u64 = 256;

/// Width of the intercept-altitude histogram bins, m.
pub const ALTITUDE_BIN_M: f64 = 1_000.0;

/// Width of the intercept ground-range histogram bins, m.
pub const RANGE_BIN_M: f64 = 2_000.0;

/// What to run.
#[derive(Clone, Copy, Debug)]
pub struct McOptions {
    /// Replications to run (at most, with `until_ci`).
    pub runs: u64,
    /// Worker threads [default: rayon's global pool, one per core].
    pub threads: Option<usize>,
    /// Stop after the first batch at which every reported probability's 95 % CI half-width is
    /// below this.
    pub until_ci: Option<f64>,
    /// Seed of every random stream.
    pub seed: u64,
    /// A flag that, once set (by a signal handler, say), stops the run after the replications
    /// already started; the result then covers the completed prefix 0 .. runs − 1 and is
    /// marked `interrupted`.
    pub stop: Option<&'static AtomicBool>,
}

/// Why a Monte Carlo run stopped without a result.
#[derive(Debug, thiserror::Error)]
pub enum McError {
    /// A replication failed.
    #[error("replication {replication}")]
    Engine {
        /// Its index.
        replication: u64,
        /// The cause.
        source: EngineError,
    },
    /// The worker threads could not be started.
    #[error("starting {threads} worker thread(s): {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The cause.
        message: String,
    },
    /// The record sink failed (for instance writing replications.csv).
    #[error("writing a replication record")]
    Sink(#[source] std::io::Error),
}

/// The statistics of one asset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssetStats {
    /// Asset name.
    pub name: String,
    /// Probability of at least one hit in a replication (Wilson).
    pub p_hit: Estimate,
    /// Expected number of hits per replication (normal approximation).
    pub hits: Estimate,
    /// Its warning time (its first hit less its first alarm), s, over the replications in
    /// which it was hit after an alarm (normal approximation).
    #[serde(default)]
    pub warning_time_s: Estimate,
    /// Expected people killed per replication (for an asset that counts people or aircraft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed: Option<Estimate>,
    /// Expected people injured per replication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured: Option<Estimate>,
    /// Expected aircraft destroyed per replication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aircraft_destroyed: Option<Estimate>,
}

/// A count per replication: its mean and distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountStats {
    /// Mean per replication (normal approximation).
    pub mean: Estimate,
    /// Replications per value.
    pub distribution: Vec<CountBin>,
}

/// Leakers per replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeakerStats {
    /// Mean per replication (normal approximation).
    pub mean: Estimate,
    /// Probability of no leaker at all: raid annihilation (Wilson).
    pub p_zero: Estimate,
    /// Replications per number of leakers.
    pub distribution: Vec<CountBin>,
}

/// The statistics of one threat type, pooled over replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreatTypeStats {
    /// Threat type name.
    pub name: String,
    /// Threats of the type launched, all replications.
    pub launched: u64,
    /// Of those, threats engaged (an interceptor reached its closest approach).
    pub engaged: u64,
    /// Of those, threats killed.
    pub killed: u64,
    /// Threats of the type that hit an asset, all replications.
    #[serde(default)]
    pub leaked: u64,
    /// Probability that a launched threat of the type hits an asset: leaked / launched (Wilson
    /// over threats).
    #[serde(default)]
    pub p_leak: Estimate,
    /// The warning time of a threat of the type that landed after an alarm, s (normal
    /// approximation over all such threats).
    #[serde(default)]
    pub warning_time_s: Estimate,
    /// Probability of kill of an engaged threat: killed / engaged (Wilson over threats).
    pub p_kill: Estimate,
    /// Probability that a launched threat is intercepted: killed / launched (Wilson over threats).
    pub p_intercepted: Estimate,
}

/// The statistics of one fire unit's interceptors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FireUnitStats {
    /// Fire unit name.
    pub name: String,
    /// Interceptors launched per replication (normal approximation).
    pub interceptors_launched: Estimate,
    /// Interceptors lost without an intercept per replication (normal approximation).
    pub interceptors_lost: Estimate,
    /// Interceptors left at the end of a replication (normal approximation).
    pub interceptors_left: Estimate,
    /// Probability that it ends a replication with no interceptor left (Wilson).
    pub p_out_of_rounds: Estimate,
    /// Probability that all its fire channels are in use at once at some time in a
    /// replication (Wilson).
    pub p_channels_full: Estimate,
    /// Threats its interceptors destroyed per replication (normal approximation).
    #[serde(default)]
    pub kills: Estimate,
    /// Engagements it planned per replication (normal approximation).
    #[serde(default)]
    pub engagements: Estimate,
    /// What its interceptors cost per kill, all replications pooled (null without a `cost` on
    /// its interceptor types or without a kill).
    #[serde(default)]
    pub cost_per_kill: Option<f64>,
}

/// One picture's single integrated air picture measures over the replications: each the mean,
/// over the replications where it is defined, of the replication's mean (normal
/// approximation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiapStats {
    /// `network`, or the radar's name.
    pub picture: String,
    /// Completeness: the fraction of the objects it could see that the picture held.
    pub completeness: Estimate,
    /// Ambiguity: tracks per object held (1 is ideal).
    pub ambiguity: Estimate,
    /// Spuriousness: the fraction of tracks of no object.
    pub spuriousness: Estimate,
    /// Positional accuracy: the mean distance of an assigned track from its object, m.
    pub positional_accuracy_m: Estimate,
    /// Track number changes per replication.
    pub track_number_changes: Estimate,
}

/// A distribution of intercept positions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalStats {
    /// Mean over all kills (normal approximation), m.
    pub mean: Estimate,
    /// Bin width, m.
    pub bin_width: f64,
    /// Kills per bin (only bins with kills).
    pub histogram: Vec<RangeBin>,
}

/// The methods behind the intervals, stated in the output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Methods {
    /// Confidence level of every interval.
    pub confidence: f64,
    /// How probability intervals are computed.
    pub probability: String,
    /// How mean intervals are computed.
    pub mean: String,
}

/// The result of a Monte Carlo run: the `summary.json` of `rampart mc`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct McResult {
    /// Scenario name.
    pub scenario: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replications run (0 .. runs − 1).
    pub runs: u64,
    /// Replications asked for.
    pub runs_requested: u64,
    /// The CI half-width target, if any.
    pub until_ci: Option<f64>,
    /// Whether the target was met before `runs_requested`.
    pub stopped_early: bool,
    /// Whether the run was interrupted (Ctrl-C): the statistics cover the `runs` replications
    /// finished before it, 0 .. runs − 1.
    #[serde(default)]
    pub interrupted: bool,
    /// Methods of the intervals.
    pub methods: Methods,
    /// Per asset, in scenario order.
    pub assets: Vec<AssetStats>,
    /// Leakers per replication.
    pub leakers: LeakerStats,
    /// Interceptors launched per replication.
    pub interceptors_launched: CountStats,
    /// Threats intercepted per replication.
    pub intercepted: CountStats,
    /// Per threat type, in scenario order.
    pub threat_types: Vec<ThreatTypeStats>,
    /// Per fire unit, in scenario order (empty in a summary written before they were kept).
    #[serde(default)]
    pub fire_units: Vec<FireUnitStats>,
    /// Heights of kills above the ellipsoid, m.
    pub intercept_altitude_m: IntervalStats,
    /// Ground ranges of kills from their launchers, m.
    pub intercept_ground_range_m: IntervalStats,
    /// Time from a threat's launch to its first engagement, s: the mean over the replications
    /// with an engagement of each one's mean over the threats it engaged.
    #[serde(default)]
    pub first_engagement_s: Estimate,
    /// The engaged track's slant range from the launcher then, m, averaged likewise.
    #[serde(default)]
    pub first_engagement_range_m: Estimate,
    /// Per picture (each radar's in scenario order, then the network's), its single
    /// integrated air picture measures (empty in a summary written before they were kept).
    #[serde(default)]
    pub siap: Vec<SiapStats>,
    /// Per counter-RAM gun, in scenario order.
    #[serde(default)]
    pub guns: Vec<GunStats>,
    /// The warning time of a threat that landed after an alarm, s: the mean over all such
    /// threats of all replications.
    #[serde(default)]
    pub warning_time_s: Estimate,
    /// Expected people killed per replication, all assets (when some asset counts people or
    /// aircraft; see docs/models.md, "Warning and passive defense").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed: Option<Estimate>,
    /// Expected people injured per replication, all assets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured: Option<Estimate>,
    /// Expected aircraft destroyed per replication, all assets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aircraft_destroyed: Option<Estimate>,
    /// The scenario's warnings (see docs/scenario-format.md, "Warnings").
    #[serde(default)]
    pub warnings: Vec<crate::scenario::ScenarioWarning>,
}

impl McResult {
    /// Every reported probability, named: `p_hit:<asset>`, `p_zero_leakers`,
    /// `p_kill:<type>`, `p_intercepted:<type>`. Those with no trials (a type never engaged)
    /// are left out.
    pub fn probabilities(&self) -> Vec<(String, Estimate)> {
        let mut v: Vec<(String, Estimate)> = self
            .assets
            .iter()
            .map(|a| (format!("p_hit:{}", a.name), a.p_hit))
            .collect();
        v.push(("p_zero_leakers".into(), self.leakers.p_zero));
        for t in &self.threat_types {
            v.push((format!("p_kill:{}", t.name), t.p_kill));
            v.push((format!("p_intercepted:{}", t.name), t.p_intercepted));
        }
        v.retain(|(_, e)| e.n > 0);
        v
    }
}

/// One fire unit's accumulators: launched, lost, left, kills and engagements per replication; replications
/// it ended with none left; replications with all its channels in use at once; its total cost
/// (when priced) and kills.
#[derive(Clone, Debug)]
struct UnitAcc {
    per_run: [Welford; 5],
    empty: u64,
    full: u64,
    cost: Option<f64>,
    kills: u64,
}

/// Folds replication records, in replication order, into the statistics.
#[derive(Clone, Debug)]
pub struct Aggregator {
    scenario: String,
    seed: u64,
    asset_names: Vec<String>,
    type_names: Vec<String>,
    runs: u64,
    asset_any_hit: Vec<u64>,
    asset_hits: Vec<Welford>,
    leakers: Welford,
    leakers_hist: IntHistogram,
    interceptors: Welford,
    interceptors_hist: IntHistogram,
    intercepted: Welford,
    intercepted_hist: IntHistogram,
    types: Vec<[u64; 4]>,
    unit_names: Vec<String>,
    /// Per fire unit: launched, lost and left per replication, replications it ended with none
    /// left, and replications in which all its channels were in use at once.
    units: Vec<UnitAcc>,
    alt: Welford,
    alt_hist: BinnedHistogram,
    range: Welford,
    range_hist: BinnedHistogram,
    engagement_s: Welford,
    engagement_m: Welford,
    /// Per picture: its name and the Welford of each measure.
    siap: Vec<(String, [Welford; 5])>,
    guns: GunAggregator,
    warning_s: Welford,
    type_warning_s: Vec<Welford>,
    /// Per asset: its warning time.
    asset_warning_s: Vec<Welford>,
    /// Per asset: killed, injured and aircraft destroyed (None for an asset that counts
    /// neither people nor aircraft).
    asset_effects: Vec<Option<[Welford; 3]>>,
    /// The same, summed over the assets.
    effects: Option<[Welford; 3]>,
}

impl Aggregator {
    /// An empty aggregate for `scenario` run with `seed`.
    pub fn new(scenario: &Scenario, seed: u64) -> Self {
        Self {
            scenario: scenario.name.clone(),
            seed,
            asset_names: scenario.assets.iter().map(|a| a.name.clone()).collect(),
            type_names: scenario
                .threat_types
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            runs: 0,
            asset_any_hit: vec![0; scenario.assets.len()],
            asset_hits: vec![Welford::new(); scenario.assets.len()],
            leakers: Welford::new(),
            leakers_hist: IntHistogram::new(),
            interceptors: Welford::new(),
            interceptors_hist: IntHistogram::new(),
            intercepted: Welford::new(),
            intercepted_hist: IntHistogram::new(),
            types: vec![[0; 4]; scenario.threat_types.len()],
            unit_names: scenario.fire_units.iter().map(|u| u.name.clone()).collect(),
            units: vec![
                UnitAcc {
                    per_run: [Welford::new(); 5],
                    empty: 0,
                    full: 0,
                    // Priced while every replication's record is (the run summary decides).
                    cost: Some(0.0),
                    kills: 0,
                };
                scenario.fire_units.len()
            ],
            alt: Welford::new(),
            alt_hist: BinnedHistogram::new(ALTITUDE_BIN_M),
            range: Welford::new(),
            range_hist: BinnedHistogram::new(RANGE_BIN_M),
            engagement_s: Welford::new(),
            engagement_m: Welford::new(),
            siap: Vec::new(),
            guns: GunAggregator::new(scenario),
            warning_s: Welford::new(),
            type_warning_s: vec![Welford::new(); scenario.threat_types.len()],
            asset_warning_s: vec![Welford::new(); scenario.assets.len()],
            asset_effects: scenario
                .assets
                .iter()
                .map(|a| {
                    (a.personnel.is_some() || a.aircraft.is_some()).then(|| [Welford::new(); 3])
                })
                .collect(),
            effects: scenario
                .assets
                .iter()
                .any(|a| a.personnel.is_some() || a.aircraft.is_some())
                .then(|| [Welford::new(); 3]),
        }
    }

    /// Replications folded so far.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Folds one record in.
    pub fn add(&mut self, r: &Replication) {
        self.runs += 1;
        for (i, &h) in r.asset_hits.iter().enumerate().take(self.asset_hits.len()) {
            self.asset_any_hit[i] += u64::from(h > 0);
            self.asset_hits[i].push(f64::from(h));
        }
        self.leakers.push(f64::from(r.leakers));
        self.leakers_hist.add(r.leakers);
        self.interceptors.push(f64::from(r.interceptors_launched));
        self.interceptors_hist.add(r.interceptors_launched);
        self.intercepted.push(f64::from(r.intercepted));
        self.intercepted_hist.add(r.intercepted);
        for (acc, c) in self.types.iter_mut().zip(&r.threat_types) {
            acc[0] += u64::from(c.launched);
            acc[1] += u64::from(c.engaged);
            acc[2] += u64::from(c.killed);
            acc[3] += u64::from(c.leaked);
        }
        self.guns.add(&r.guns);
        for (acc, w) in self.asset_warning_s.iter_mut().zip(&r.asset_warning_s) {
            if let Some(w) = w {
                acc.push(*w);
            }
        }
        let push = |acc: &mut [Welford; 3], e: &crate::passive::Effects| {
            for (w, x) in acc
                .iter_mut()
                .zip([e.killed, e.injured, e.aircraft_destroyed])
            {
                w.push(x);
            }
        };
        for (acc, e) in self.asset_effects.iter_mut().zip(&r.effects) {
            if let (Some(acc), Some(e)) = (acc, e) {
                push(acc, e);
            }
        }
        if let (Some(acc), Some(e)) = (&mut self.effects, r.total_effects()) {
            push(acc, &e);
        }
        for &(ty, w) in &r.warning_times_s {
            self.warning_s.push(w);
            if let Some(acc) = self.type_warning_s.get_mut(ty) {
                acc.push(w);
            }
        }
        for (acc, u) in self.units.iter_mut().zip(&r.fire_units) {
            for (w, x) in
                acc.per_run
                    .iter_mut()
                    .zip([u.launched, u.lost, u.left, u.kills, u.engagements])
            {
                w.push(f64::from(x));
            }
            acc.empty += u64::from(u.left == 0);
            acc.full += u64::from(u.channels_full);
            acc.cost = acc.cost.zip(u.cost).map(|(a, c)| a + c);
            acc.kills += u64::from(u.kills);
        }
        for &a in &r.intercept_alt_m {
            self.alt.push(a);
            self.alt_hist.add(a);
        }
        for &g in &r.intercept_range_m {
            self.range.push(g);
            self.range_hist.add(g);
        }
        if let Some(x) = r.first_engagement_s {
            self.engagement_s.push(x);
        }
        if let Some(x) = r.first_engagement_range_m {
            self.engagement_m.push(x);
        }
        for p in &r.siap {
            let at = match self.siap.iter().position(|(n, _)| *n == p.picture) {
                Some(i) => i,
                None => {
                    self.siap.push((p.picture.clone(), [Welford::new(); 5]));
                    self.siap.len() - 1
                }
            };
            let acc = &mut self.siap[at].1;
            for (w, x) in acc.iter_mut().zip(siap_values(p)) {
                if let Some(x) = x {
                    w.push(x);
                }
            }
        }
    }

    /// The statistics so far (`runs_requested`, `until_ci` and `stopped_early` as given).
    pub fn result(&self, runs_requested: u64, until_ci: Option<f64>) -> McResult {
        McResult {
            scenario: self.scenario.clone(),
            seed: self.seed,
            runs: self.runs,
            runs_requested,
            until_ci,
            stopped_early: self.runs < runs_requested,
            interrupted: false,
            methods: Methods {
                confidence: 0.95,
                probability: "Wilson score interval, z = 1.96 (the normal 97.5 % point)".into(),
                mean: "normal approximation: mean ± z·s/√n, s the sample standard deviation \
                       (n − 1 divisor), z = 1.96"
                    .into(),
            },
            assets: self
                .asset_names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let fx = self.asset_effects[i].as_ref();
                    AssetStats {
                        name: name.clone(),
                        p_hit: wilson(self.asset_any_hit[i], self.runs),
                        hits: self.asset_hits[i].estimate(),
                        warning_time_s: self.asset_warning_s[i].estimate(),
                        killed: fx.map(|w| w[0].estimate()),
                        injured: fx.map(|w| w[1].estimate()),
                        aircraft_destroyed: fx.map(|w| w[2].estimate()),
                    }
                })
                .collect(),
            leakers: LeakerStats {
                mean: self.leakers.estimate(),
                p_zero: wilson(self.leakers_hist.count(0), self.runs),
                distribution: self.leakers_hist.bins(),
            },
            interceptors_launched: CountStats {
                mean: self.interceptors.estimate(),
                distribution: self.interceptors_hist.bins(),
            },
            intercepted: CountStats {
                mean: self.intercepted.estimate(),
                distribution: self.intercepted_hist.bins(),
            },
            threat_types: self
                .type_names
                .iter()
                .zip(&self.types)
                .zip(&self.type_warning_s)
                .map(
                    |((name, &[launched, engaged, killed, leaked]), w)| ThreatTypeStats {
                        name: name.clone(),
                        launched,
                        engaged,
                        killed,
                        leaked,
                        p_leak: wilson(leaked, launched),
                        warning_time_s: w.estimate(),
                        p_kill: wilson(killed, engaged),
                        p_intercepted: wilson(killed, launched),
                    },
                )
                .collect(),
            fire_units: self
                .unit_names
                .iter()
                .zip(&self.units)
                .map(|(name, a)| {
                    let [launched, lost, left, kills, engagements] = &a.per_run;
                    FireUnitStats {
                        name: name.clone(),
                        interceptors_launched: launched.estimate(),
                        interceptors_lost: lost.estimate(),
                        interceptors_left: left.estimate(),
                        p_out_of_rounds: wilson(a.empty, self.runs),
                        p_channels_full: wilson(a.full, self.runs),
                        kills: kills.estimate(),
                        engagements: engagements.estimate(),
                        cost_per_kill: a.cost.filter(|_| a.kills > 0).map(|c| c / a.kills as f64),
                    }
                })
                .collect(),
            intercept_altitude_m: IntervalStats {
                mean: self.alt.estimate(),
                bin_width: self.alt_hist.width(),
                histogram: self.alt_hist.bins(),
            },
            intercept_ground_range_m: IntervalStats {
                mean: self.range.estimate(),
                bin_width: self.range_hist.width(),
                histogram: self.range_hist.bins(),
            },
            first_engagement_s: self.engagement_s.estimate(),
            first_engagement_range_m: self.engagement_m.estimate(),
            siap: self
                .siap
                .iter()
                .map(|(picture, w)| SiapStats {
                    picture: picture.clone(),
                    completeness: w[0].estimate(),
                    ambiguity: w[1].estimate(),
                    spuriousness: w[2].estimate(),
                    positional_accuracy_m: w[3].estimate(),
                    track_number_changes: w[4].estimate(),
                })
                .collect(),
            guns: self.guns.result(),
            warning_time_s: self.warning_s.estimate(),
            killed: self.effects.as_ref().map(|w| w[0].estimate()),
            injured: self.effects.as_ref().map(|w| w[1].estimate()),
            aircraft_destroyed: self.effects.as_ref().map(|w| w[2].estimate()),
            warnings: Vec::new(),
        }
    }
}

/// Runs up to `opts.runs` replications of `scenario` and folds them into statistics.
///
/// `on_progress(n)` is called, from worker threads, each time `n` more replications finish.
pub fn run_mc(
    scenario: &Scenario,
    opts: &McOptions,
    on_progress: impl Fn(u64) + Sync,
) -> Result<McResult, McError> {
    run_mc_with(scenario, opts, on_progress, |_| Ok(()))
}

/// [`run_mc`], also handing every record, in replication order, to `sink` (to write
/// `replications.csv` as the run goes).
pub fn run_mc_with(
    scenario: &Scenario,
    opts: &McOptions,
    on_progress: impl Fn(u64) + Sync,
    sink: impl FnMut(&Replication) -> std::io::Result<()> + Send,
) -> Result<McResult, McError> {
    run_range_with(scenario, opts, 0..opts.runs, on_progress, sink)
}

/// Part `k` of `m` (1-based) of `runs` replications: the `k`-th of `m` consecutive ranges of
/// nearly equal size, together 0 .. runs in order (`rampart mc --shard K/M`).
pub fn shard_range(runs: u64, k: u64, m: u64) -> std::ops::Range<u64> {
    let at = |j: u64| {
        u64::try_from(u128::from(runs) * u128::from(j) / u128::from(m.max(1))).unwrap_or(runs)
    };
    at(k.saturating_sub(1))..at(k)
}

/// [`run_mc_with`] over the replications `range` only (a part of a run, [`shard_range`]); the
/// result's statistics are those of the part, and `sink` gets its records in order.
pub fn run_range_with(
    scenario: &Scenario,
    opts: &McOptions,
    range: std::ops::Range<u64>,
    on_progress: impl Fn(u64) + Sync,
    mut sink: impl FnMut(&Replication) -> std::io::Result<()> + Send,
) -> Result<McResult, McError> {
    let mut body = || -> Result<McResult, McError> {
        let mut agg = Aggregator::new(scenario, opts.seed);
        let mut start = range.start;
        while start < range.end {
            let end = (start + BATCH).min(range.end);
            let stopped = || opts.stop.is_some_and(|s| s.load(Ordering::Relaxed));
            let records: Vec<Option<Result<Replication, EngineError>>> = (start..end)
                .into_par_iter()
                .map(|k| {
                    if stopped() {
                        return None;
                    }
                    let r = Replication::run(scenario, opts.seed, k);
                    on_progress(1);
                    Some(r)
                })
                .collect();
            // Only the unbroken prefix of finished replications counts, so an interrupted
            // result is exactly that of a shorter run.
            for (k, r) in (start..end).zip(records) {
                let Some(r) = r else { break };
                let r = r.map_err(|source| McError::Engine {
                    replication: k,
                    source,
                })?;
                sink(&r).map_err(McError::Sink)?;
                agg.add(&r);
            }
            if stopped() {
                let mut result = agg.result(opts.runs, opts.until_ci);
                result.interrupted = true;
                result.stopped_early = false;
                result.warnings.clone_from(&scenario.warnings);
                return Ok(result);
            }
            start = end;
            if let Some(h) = opts.until_ci
                && start < range.end
                && agg
                    .result(opts.runs, opts.until_ci)
                    .probabilities()
                    .iter()
                    .all(|(_, e)| e.half_width() < h)
            {
                break;
            }
        }
        let mut result = agg.result(opts.runs, opts.until_ci);
        result.warnings.clone_from(&scenario.warnings);
        Ok(result)
    };
    match opts.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| McError::Threads {
                threads,
                message: e.to_string(),
            })?
            .install(body),
        None => body(),
    }
}

/// The statistics of a whole run from its records, every replication 0 .. runs in order (a
/// run's parts merged, `rampart merge`): the same fold as [`run_mc`]'s, so the same records
/// give the same result to the bit.
pub fn fold<'a>(
    scenario: &Scenario,
    seed: u64,
    runs_requested: u64,
    records: impl IntoIterator<Item = &'a Replication>,
) -> McResult {
    let mut agg = Aggregator::new(scenario, seed);
    for r in records {
        agg.add(r);
    }
    let mut result = agg.result(runs_requested, None);
    result.warnings.clone_from(&scenario.warnings);
    result
}

/// A picture's measures in one replication, in the order of [`SIAP_MEASURES`] (`None` where
/// undefined).
pub fn siap_values(p: &SiapSummary) -> [Option<f64>; 5] {
    [
        p.completeness,
        p.ambiguity,
        p.spuriousness,
        p.positional_accuracy_m,
        Some(f64::from(p.track_number_changes)),
    ]
}

/// The names of the SIAP measures as statistics (`siap_<measure>:<picture>`), in the order of
/// [`siap_values`].
pub const SIAP_MEASURES: [&str; 5] = [
    "siap_completeness",
    "siap_ambiguity",
    "siap_spuriousness",
    "siap_positional_accuracy_m",
    "siap_track_number_changes",
];
