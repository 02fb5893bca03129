//! Parameter sweeps: a Monte Carlo run at every point of a grid over scenario keys (numbers,
//! quantities, booleans or words).
//!
//! Each key is addressed by a path into the scenario file (see
//! [`crate::scenario::overrides`]). Every grid point runs the same replications (seed and
//! indices 0 .. runs − 1). A random number is drawn from a stream named by the entity and
//! purpose it serves (threat `R0-3`'s aim error, interceptor `Battery-1/I2`'s kill draw, radar
//! scan `k`'s noise), so the same threat meets the same draws at every grid point: common random
//! numbers, which make differences between points the effect of the change and not noise.

use super::stats::{Estimate, Welford};
use super::{McError, McOptions, McResult, Replication, SIAP_MEASURES, run_mc_with, siap_values};
use crate::scenario::overrides::{self, OverrideError};
use crate::scenario::{Scenario, ScenarioError, parse};
use rampart_core::units::{Quantity, parse_quantity};
use serde::{Deserialize, Serialize};

/// One varied key and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The key's path, e.g. `fire_unit.Battery-1.launchers.count`.
    pub path: String,
    /// The values as given (`4`, `150 km`).
    pub values: Vec<String>,
    /// The values as numbers for plotting: as written when all share a unit (or have none), in
    /// SI otherwise.
    pub x: Vec<f64>,
    /// The unit of `x` (empty for plain numbers).
    pub unit: String,
    /// Whether the values are words or booleans (`false,true`, `autonomous,engage-on-remote`):
    /// `x` is then their position, 0, 1, …
    #[serde(default)]
    pub categorical: bool,
}

impl Axis {
    /// An axis from `--vary PATH=V1,V2,…`.
    pub fn parse(spec: &str) -> Result<Self, SweepError> {
        let (path, list) = spec.split_once('=').ok_or_else(|| SweepError::Spec {
            spec: spec.to_string(),
            message: "expected PATH=V1,V2,… e.g. `raid.0.count=8,16,32`".into(),
        })?;
        let values: Vec<String> = list
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Err(SweepError::Spec {
                spec: spec.to_string(),
                message: "no values after `=`".into(),
            });
        }
        // Numbers and quantities plot at their values; words and booleans at their positions
        // (the scenario checks each value when the grid is built).
        let (x, unit, categorical) = match axis_numbers(&values) {
            Some((x, unit)) => (x, unit, false),
            None => (
                (0..values.len()).map(|i| i as f64).collect(),
                String::new(),
                true,
            ),
        };
        Ok(Self {
            path: path.trim().to_string(),
            values,
            x,
            unit,
            categorical,
        })
    }
}

/// Splits `"150 km"` into (150, "km"); `"4"` into (4, "").
fn number_and_unit(v: &str) -> Option<(f64, String)> {
    let v = v.trim();
    let end = v
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || ((c == '-' || c == '+') && (i == 0 || v[..i].ends_with(['e', 'E'])))
                || ((c == 'e' || c == 'E') && i > 0))
        })
        .map_or(v.len(), |(i, _)| i);
    let x: f64 = v[..end].parse().ok()?;
    Some((x, v[end..].trim().to_string()))
}

fn axis_numbers(values: &[String]) -> Option<(Vec<f64>, String)> {
    let parts: Vec<(f64, String)> = values
        .iter()
        .map(|v| number_and_unit(v))
        .collect::<Option<_>>()?;
    let unit = parts[0].1.clone();
    if parts.iter().all(|(_, u)| *u == unit) {
        if !unit.is_empty() {
            parse_quantity(&values[0]).ok()?;
        }
        return Some((parts.into_iter().map(|(x, _)| x).collect(), unit));
    }
    // Mixed units: SI.
    let mut si_unit = String::new();
    let x = values
        .iter()
        .map(|v| match parse_quantity(v).ok()? {
            Quantity::Si { value, dim } => {
                si_unit = dim.si_unit().to_string();
                Some(value)
            }
            Quantity::Mach(m) => Some(m),
        })
        .collect::<Option<_>>()?;
    Some((x, si_unit))
}

/// One point of the grid and its statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The index of each axis's value at this point.
    pub at: Vec<usize>,
    /// The Monte Carlo result there.
    pub result: McResult,
    /// Each per-replication statistic's paired difference from the first grid point.
    #[serde(default)]
    pub paired: Vec<Paired>,
}

/// A statistic's difference from the first grid point, paired replication by replication:
/// the points share their random numbers, so replication k here and there differ only by the
/// change. Its interval is the normal one of the mean of the differences (mean ± 1.96·s/√n),
/// much narrower than the two points' own intervals would suggest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    /// The statistic, named as in `grid.csv`.
    pub statistic: String,
    /// This point's value minus the first point's, with its 95 % interval; `n` is the number of
    /// replications with a value at both points.
    pub difference: Estimate,
}

/// The value in one replication of each statistic that has one, named as in `grid.csv`: an
/// asset's hit indicator and hits, the zero-leaker indicator, leakers, the expected killed,
/// injured and aircraft destroyed (all assets, then each asset's) and each asset's warning
/// time, interceptors launched,
/// threats intercepted, each fire unit's interceptors left and out-of-rounds and
/// channels-full indicators, the first-engagement time and range, and each picture's SIAP
/// measures (`None` where the replication has none). The probabilities pooled over threats and the intercept altitudes
/// and ranges pooled over kills have no per-replication value.
pub fn per_replication(scenario: &Scenario, r: &Replication) -> Vec<(String, Option<f64>)> {
    let flag = |b: bool| Some(if b { 1.0 } else { 0.0 });
    let mut v = Vec::new();
    for (a, &h) in scenario.assets.iter().zip(&r.asset_hits) {
        v.push((format!("p_hit:{}", a.name), flag(h > 0)));
        v.push((format!("hits:{}", a.name), Some(f64::from(h))));
    }
    v.push(("p_zero_leakers".into(), flag(r.leakers == 0)));
    v.push(("leakers".into(), Some(f64::from(r.leakers))));
    if let Some(e) = r.total_effects() {
        v.push(("killed".into(), Some(e.killed)));
        v.push(("injured".into(), Some(e.injured)));
        v.push(("aircraft_destroyed".into(), Some(e.aircraft_destroyed)));
    }
    for (a, w) in scenario.assets.iter().zip(&r.asset_warning_s) {
        v.push((format!("asset_warning_time_s:{}", a.name), *w));
    }
    for (a, e) in scenario.assets.iter().zip(&r.effects) {
        if let Some(e) = e {
            v.push((format!("killed:{}", a.name), Some(e.killed)));
            v.push((format!("injured:{}", a.name), Some(e.injured)));
            v.push((
                format!("aircraft_destroyed:{}", a.name),
                Some(e.aircraft_destroyed),
            ));
        }
    }
    v.push((
        "interceptors_launched".into(),
        Some(f64::from(r.interceptors_launched)),
    ));
    v.push(("intercepted".into(), Some(f64::from(r.intercepted))));
    for (u, c) in scenario.fire_units.iter().zip(&r.fire_units) {
        v.push((
            format!("interceptors_left:{}", u.name),
            Some(f64::from(c.left)),
        ));
        v.push((format!("p_out_of_rounds:{}", u.name), flag(c.left == 0)));
        v.push((format!("p_channels_full:{}", u.name), flag(c.channels_full)));
    }
    v.push(("first_engagement_s".into(), r.first_engagement_s));
    v.push((
        "first_engagement_range_m".into(),
        r.first_engagement_range_m,
    ));
    for p in &r.siap {
        for (m, x) in SIAP_MEASURES.iter().zip(siap_values(p)) {
            v.push((format!("{m}:{}", p.picture), x));
        }
    }
    v
}

/// The result of a sweep: `sweep.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// Scenario name.
    pub scenario: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replications per point.
    pub runs: u64,
    /// The varied keys.
    pub axes: Vec<Axis>,
    /// Every grid point, the last axis varying fastest.
    pub points: Vec<SweepPoint>,
}

/// Why a sweep could not run.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The stop flag was set before the sweep's last point was done.
    #[error("interrupted at the point {point}")]
    Interrupted {
        /// The point under way, as `path=value, …`.
        point: String,
    },
    /// A `--vary` argument is malformed.
    #[error("--vary `{spec}`: {message}")]
    Spec {
        /// The argument.
        spec: String,
        /// What is wrong.
        message: String,
    },
    /// A path or value does not fit the scenario file.
    #[error("--vary {0}")]
    Override(OverrideError),
    /// The same key is varied twice.
    #[error("--vary {0}: the key is varied twice")]
    Duplicate(String),
    /// The scenario file is not TOML (it is checked in full by the loader).
    #[error("{0}")]
    Toml(String),
    /// The scenario at a grid point does not load.
    #[error("the scenario with {point}")]
    Scenario {
        /// The point, as `path=value, …`.
        point: String,
        /// The loader's error.
        #[source]
        source: Box<ScenarioError>,
    },
    /// A Monte Carlo run failed.
    #[error("running the replications with {point}")]
    Mc {
        /// The point, as `path=value, …`.
        point: String,
        /// The cause.
        #[source]
        source: McError,
    },
}

impl From<OverrideError> for SweepError {
    fn from(e: OverrideError) -> Self {
        Self::Override(e)
    }
}

/// The scenarios of a grid: for each point its axis indices, its description and its scenario.
pub fn grid(
    text: &str,
    file_name: &str,
    axes: &[Axis],
) -> Result<Vec<(Vec<usize>, String, Scenario)>, SweepError> {
    for (i, a) in axes.iter().enumerate() {
        if axes[..i].iter().any(|b| b.path == a.path) {
            return Err(SweepError::Duplicate(a.path.clone()));
        }
    }
    let doc: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| SweepError::Toml(format!("{file_name}: {e}")))?;
    // Each value checked on its own first, so a bad path is reported before any run.
    for a in axes {
        for v in &a.values {
            overrides::apply(&mut doc.clone(), &a.path, v)?;
        }
    }
    let n: usize = axes.iter().map(|a| a.values.len()).product();
    let mut out = Vec::with_capacity(n);
    for flat in 0..n {
        let mut at = vec![0; axes.len()];
        let mut rest = flat;
        for (i, a) in axes.iter().enumerate().rev() {
            at[i] = rest % a.values.len();
            rest /= a.values.len();
        }
        let mut d = doc.clone();
        let mut desc = Vec::new();
        for (a, &k) in axes.iter().zip(&at) {
            overrides::apply(&mut d, &a.path, &a.values[k])?;
            desc.push(format!("{}={}", a.path, a.values[k]));
        }
        let point = desc.join(", ");
        let changed = toml::to_string(&d).map_err(|e| SweepError::Toml(e.to_string()))?;
        let label = format!("{file_name} (with {point})");
        let scenario = parse(&changed, &label).map_err(|e| SweepError::Scenario {
            point: point.clone(),
            source: Box::new(e),
        })?;
        out.push((at, point, scenario));
    }
    Ok(out)
}

/// Runs `opts.runs` replications at every point of the grid of `axes` over the scenario text
/// `text` (from `file_name`). `on_point(i, n, description)` is called before point `i` of `n`;
/// `on_progress` and `sink` are as for [`run_mc_with`], `sink` also given the point's index.
pub fn run_sweep(
    text: &str,
    file_name: &str,
    axes: &[Axis],
    opts: &McOptions,
    mut on_point: impl FnMut(usize, usize, &str),
    on_progress: impl Fn(u64) + Sync,
    mut sink: impl FnMut(usize, &Replication) -> std::io::Result<()> + Send,
) -> Result<SweepResult, SweepError> {
    let points = grid(text, file_name, axes)?;
    let n = points.len();
    let mut out = Vec::with_capacity(n);
    let mut name = String::new();
    let mut pairs = Pairing::default();
    for (i, (at, point, scenario)) in points.into_iter().enumerate() {
        on_point(i, n, &point);
        name.clone_from(&scenario.name);
        let opts = McOptions {
            until_ci: None,
            ..*opts
        };
        pairs.start_point(i);
        let result = run_mc_with(&scenario, &opts, &on_progress, |r| {
            pairs.add(&scenario, r);
            sink(i, r)
        })
        .map_err(|source| SweepError::Mc {
            point: point.clone(),
            source,
        })?;
        if result.interrupted {
            return Err(SweepError::Interrupted { point });
        }
        out.push(SweepPoint {
            at,
            result,
            paired: pairs.finish_point(),
        });
    }
    Ok(SweepResult {
        scenario: name,
        seed: opts.seed,
        runs: opts.runs,
        axes: axes.to_vec(),
        points: out,
    })
}

/// The paired differences of every point's statistics from the first point's, replication by
/// replication (common random numbers), folded as the records come, point by point.
#[derive(Debug, Default)]
struct Pairing {
    /// The point being folded.
    point: usize,
    /// The first point's statistic names, and its per-replication values by replication.
    base_names: Vec<String>,
    base: Vec<Vec<Option<f64>>>,
    /// This point's statistics (the same names in every replication of a point), each with its
    /// place among the first point's and the Welford of its differences.
    diffs: Vec<(String, Option<usize>, Welford)>,
}

impl Pairing {
    fn start_point(&mut self, i: usize) {
        self.point = i;
        self.diffs.clear();
    }

    fn add(&mut self, scenario: &Scenario, r: &Replication) {
        let values = per_replication(scenario, r);
        if self.diffs.is_empty() {
            if self.point == 0 {
                self.base_names = values.iter().map(|(n, _)| n.clone()).collect();
            }
            let base_names = &self.base_names;
            self.diffs = values
                .iter()
                .map(|(n, _)| {
                    let at = base_names.iter().position(|b| b == n);
                    (n.clone(), at, Welford::new())
                })
                .collect();
        }
        let k = usize::try_from(r.replication).unwrap_or(usize::MAX);
        if self.point == 0 {
            if self.base.len() <= k {
                self.base.resize(k.saturating_add(1), Vec::new());
            }
            self.base[k] = values.iter().map(|(_, x)| *x).collect();
        }
        let first = self.base.get(k);
        for ((_, at, w), (_, x)) in self.diffs.iter_mut().zip(&values) {
            let y = at.and_then(|j| first.and_then(|f| f.get(j).copied().flatten()));
            if let (Some(x), Some(y)) = (x, y) {
                w.push(x - y);
            }
        }
    }

    fn finish_point(&mut self) -> Vec<Paired> {
        std::mem::take(&mut self.diffs)
            .into_iter()
            .map(|(statistic, _, w)| Paired {
                statistic,
                difference: w.estimate(),
            })
            .collect()
    }
}

/// Runs the sweep's replications `range` only, numbered across the grid point by point (point
/// `i`'s replication `k` is `i · runs + k`; a part of a sweep, [`super::shard_range`] over
/// points × runs), handing each record and its point to `sink` in that order.
///
/// # Errors
/// As [`run_sweep`].
pub fn run_sweep_range(
    text: &str,
    file_name: &str,
    axes: &[Axis],
    opts: &McOptions,
    range: std::ops::Range<u64>,
    on_progress: impl Fn(u64) + Sync,
    mut sink: impl FnMut(usize, &Replication) -> std::io::Result<()> + Send,
) -> Result<(), SweepError> {
    let runs = opts.runs;
    for (i, (_, point, scenario)) in grid(text, file_name, axes)?.into_iter().enumerate() {
        let start = i as u64 * runs;
        let lo = range.start.clamp(start, start + runs) - start;
        let hi = range.end.clamp(start, start + runs) - start;
        if lo >= hi {
            continue;
        }
        let opts = McOptions {
            until_ci: None,
            ..*opts
        };
        let result = super::run_range_with(&scenario, &opts, lo..hi, &on_progress, |r| sink(i, r))
            .map_err(|source| SweepError::Mc {
                point: point.clone(),
                source,
            })?;
        if result.interrupted {
            return Err(SweepError::Interrupted { point });
        }
    }
    Ok(())
}

/// A whole sweep from its records, each point's replications 0 .. runs in order (a sweep's
/// parts merged, `rampart merge`): the same folds as [`run_sweep`]'s, so the same records give
/// the same result to the bit.
///
/// # Errors
/// The grid's scenarios do not load, or a point's records are not `runs`.
pub fn fold_sweep(
    text: &str,
    file_name: &str,
    axes: &[Axis],
    seed: u64,
    runs: u64,
    records: &[Vec<Replication>],
) -> Result<SweepResult, SweepError> {
    let points = grid(text, file_name, axes)?;
    if points.len() != records.len() {
        return Err(SweepError::Toml(format!(
            "{} points' records for a grid of {}",
            records.len(),
            points.len()
        )));
    }
    let mut out = Vec::with_capacity(points.len());
    let mut name = String::new();
    let mut pairs = Pairing::default();
    for (i, ((at, _, scenario), recs)) in points.into_iter().zip(records).enumerate() {
        name.clone_from(&scenario.name);
        pairs.start_point(i);
        for r in recs {
            pairs.add(&scenario, r);
        }
        out.push(SweepPoint {
            at,
            result: super::fold(&scenario, seed, runs, recs),
            paired: pairs.finish_point(),
        });
    }
    Ok(SweepResult {
        scenario: name,
        seed,
        runs,
        axes: axes.to_vec(),
        points: out,
    })
}

/// Every statistic of a Monte Carlo result, named as in `grid.csv`: `p_hit:<asset>`,
/// `hits:<asset>`, `p_zero_leakers`, `leakers`, with people or aircraft `killed`, `injured`,
/// `aircraft_destroyed`, then per asset `asset_warning_time_s:<asset>` and, with people or
/// aircraft, `killed:<asset>`, `injured:<asset>`, `aircraft_destroyed:<asset>`, `interceptors_launched`, `intercepted`,
/// `p_kill:<type>`, `p_intercepted:<type>`, `interceptors_left:<fire unit>`,
/// `p_out_of_rounds:<fire unit>`, `p_channels_full:<fire unit>`, `intercept_altitude_m`,
/// `intercept_ground_range_m`, `first_engagement_s`, `first_engagement_range_m`, then per
/// picture `siap_completeness:<picture>`, `siap_ambiguity:…`, `siap_spuriousness:…`,
/// `siap_positional_accuracy_m:…` and `siap_track_number_changes:…`.
pub fn statistics(r: &McResult) -> Vec<(String, Estimate)> {
    let mut v = Vec::new();
    for a in &r.assets {
        v.push((format!("p_hit:{}", a.name), a.p_hit));
        v.push((format!("hits:{}", a.name), a.hits));
    }
    v.push(("p_zero_leakers".into(), r.leakers.p_zero));
    v.push(("leakers".into(), r.leakers.mean));
    for (name, e) in [
        ("killed", r.killed),
        ("injured", r.injured),
        ("aircraft_destroyed", r.aircraft_destroyed),
    ] {
        if let Some(e) = e {
            v.push((name.into(), e));
        }
    }
    for a in &r.assets {
        v.push((format!("asset_warning_time_s:{}", a.name), a.warning_time_s));
        for (m, e) in [
            ("killed", a.killed),
            ("injured", a.injured),
            ("aircraft_destroyed", a.aircraft_destroyed),
        ] {
            if let Some(e) = e {
                v.push((format!("{m}:{}", a.name), e));
            }
        }
    }
    v.push(("interceptors_launched".into(), r.interceptors_launched.mean));
    v.push(("intercepted".into(), r.intercepted.mean));
    for t in &r.threat_types {
        v.push((format!("p_kill:{}", t.name), t.p_kill));
        v.push((format!("p_intercepted:{}", t.name), t.p_intercepted));
        v.push((format!("p_leak:{}", t.name), t.p_leak));
        v.push((format!("warning_time_s:{}", t.name), t.warning_time_s));
    }
    for g in &r.guns {
        v.push((format!("gun_kills:{}", g.name), g.kills));
        v.push((format!("gun_rounds:{}", g.name), g.rounds_fired));
    }
    v.push(("warning_time_s".into(), r.warning_time_s));
    for u in &r.fire_units {
        v.push((format!("interceptors_left:{}", u.name), u.interceptors_left));
        v.push((format!("p_out_of_rounds:{}", u.name), u.p_out_of_rounds));
        v.push((format!("p_channels_full:{}", u.name), u.p_channels_full));
    }
    v.push(("intercept_altitude_m".into(), r.intercept_altitude_m.mean));
    v.push((
        "intercept_ground_range_m".into(),
        r.intercept_ground_range_m.mean,
    ));
    v.push(("first_engagement_s".into(), r.first_engagement_s));
    v.push((
        "first_engagement_range_m".into(),
        r.first_engagement_range_m,
    ));
    for p in &r.siap {
        let e = [
            p.completeness,
            p.ambiguity,
            p.spuriousness,
            p.positional_accuracy_m,
            p.track_number_changes,
        ];
        for (m, e) in SIAP_MEASURES.iter().zip(e) {
            v.push((format!("{m}:{}", p.picture), e));
        }
    }
    v
}

impl SweepResult {
    /// The header of `grid.csv`: each axis path, `runs`, then `<statistic>:mean`, `:ci_low`,
    /// `:ci_high` and `:n` for every statistic, then `<statistic>:diff_mean`, `:diff_ci_low`,
    /// `:diff_ci_high` and `:diff_n` for every statistic with a paired difference from the
    /// first point.
    pub fn csv_header(&self) -> Vec<String> {
        let (stats, paired) = self.column_names();
        let mut h: Vec<String> = self.axes.iter().map(|a| a.path.clone()).collect();
        h.push("runs".into());
        for name in stats {
            for part in ["mean", "ci_low", "ci_high", "n"] {
                h.push(format!("{name}:{part}"));
            }
        }
        for name in paired {
            for part in ["diff_mean", "diff_ci_low", "diff_ci_high", "diff_n"] {
                h.push(format!("{name}:{part}"));
            }
        }
        h
    }

    /// The statistics and the paired differences of every point (as `grid.csv` names them),
    /// each name once in the order first met: points may differ (a grid over
    /// `network.enabled` has the network's picture at one point only), and a point without a
    /// statistic leaves its columns empty.
    pub fn column_names(&self) -> (Vec<String>, Vec<String>) {
        let mut stats: Vec<String> = Vec::new();
        let mut paired: Vec<String> = Vec::new();
        for p in &self.points {
            for (name, _) in statistics(&p.result) {
                if !stats.contains(&name) {
                    stats.push(name);
                }
            }
            for d in &p.paired {
                if !paired.contains(&d.statistic) {
                    paired.push(d.statistic.clone());
                }
            }
        }
        (stats, paired)
    }

    /// The rows of `grid.csv`, one per point (an estimate with no trials, or a statistic the
    /// point does not have, is written empty).
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        let (stats, paired) = self.column_names();
        let cells = |e: Option<Estimate>| -> Vec<String> {
            let Some(e) = e else {
                return vec![String::new(); 4];
            };
            let mut c: Vec<String> = if e.n == 0 {
                vec![String::new(); 3]
            } else {
                [e.mean, e.ci_low, e.ci_high]
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            };
            c.push(e.n.to_string());
            c
        };
        self.points
            .iter()
            .map(|p| {
                let mut row: Vec<String> = self
                    .axes
                    .iter()
                    .zip(&p.at)
                    .map(|(a, &k)| a.values[k].clone())
                    .collect();
                row.push(p.result.runs.to_string());
                let own = statistics(&p.result);
                for name in &stats {
                    let e = own.iter().find(|(n, _)| n == name).map(|(_, e)| *e);
                    row.extend(cells(e));
                }
                for name in &paired {
                    let e = p
                        .paired
                        .iter()
                        .find(|d| &d.statistic == name)
                        .map(|d| d.difference);
                    row.extend(cells(e));
                }
                row
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse_numbers_and_units() {
        let a = Axis::parse("raid.0.count=8, 16,32").unwrap();
        assert_eq!(a.values, ["8", "16", "32"]);
        assert_eq!(a.x, [8.0, 16.0, 32.0]);
        assert_eq!(a.unit, "");
        let a = Axis::parse("radar.0.range_max=150 km,170 km").unwrap();
        assert_eq!(a.x, [150.0, 170.0]);
        assert_eq!(a.unit, "km");
        let a = Axis::parse("radar.0.range_max=150 km,170000 m").unwrap();
        assert_eq!(a.x, [150_000.0, 170_000.0]);
        assert_eq!(a.unit, "m");
        let a = Axis::parse("x=1e-6,2.5E-6").unwrap();
        assert_eq!(a.x, [1e-6, 2.5e-6]);
        assert!(!a.categorical);
        for bad in ["raid.0.count", "raid.0.count="] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
        // Words and booleans lie at their positions; the scenario checks them when the grid
        // is built.
        let a = Axis::parse("network.enabled=false,true").unwrap();
        assert!(a.categorical);
        assert_eq!(a.x, [0.0, 1.0]);
        assert_eq!(a.values, ["false", "true"]);
    }
}
