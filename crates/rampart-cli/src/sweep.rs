//! `rampart sweep`: a Monte Carlo run at every point of a grid over scenario keys.

use crate::mc::{check_counts, progress_bar};
use crate::output::OutDir;
use crate::text::{errln, outln};
use crate::{finite, folder, interrupt, load_or_report, load_with_sets};
use anyhow::{Context, Result};
use rampart_report::ReportKind;
use rampart_sim::montecarlo::McOptions;
use rampart_sim::montecarlo::stats::Estimate;
use rampart_sim::montecarlo::sweep::{Axis, SweepError, SweepResult, run_sweep};
use rampart_sim::scenario::Scenario;
use rampart_sim::scenario::overrides::numeric_paths;
use std::io::Write;
use std::path::{Path, PathBuf};

fn read_text(path: &Path) -> Result<String> {
    folder::scenario_text(path)
}

/// `--list-keys`: every numeric path of the scenario with its value.
pub fn list_keys(path: &Path) -> Result<()> {
    load_or_report(path)?;
    let doc: toml::Table = read_text(path)?
        .parse()
        .with_context(|| format!("reading {}", path.display()))?;
    let paths = numeric_paths(&doc);
    let width = paths.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
    let mut o = std::io::stdout().lock();
    for (p, v) in paths {
        // A closed pipe (`| head`) ends the listing quietly.
        if writeln!(o, "{p:<width$}  {v}").is_err() {
            break;
        }
    }
    Ok(())
}

/// `rampart sweep`'s arguments.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Set a scenario key for this command, KEY=VALUE with the paths of `sweep --vary`
    /// (`network.enabled=false`, `fire_unit.Battery-1.channels=4`); repeat for several.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// A key and its values, PATH=V1,V2,… e.g. `raid.0.count=8,16,32` or
    /// `fire_unit.Battery-1.launchers.count=2,4`. Repeat for a grid over several keys.
    /// `--list-keys` prints every path.
    #[arg(
        long,
        value_name = "PATH=V1,V2,…",
        required_unless_present = "list_keys"
    )]
    pub vary: Vec<String>,
    /// Print every numeric key path of the scenario with its value, and stop.
    #[arg(long)]
    pub list_keys: bool,
    /// Replications at each grid point.
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
    /// Worker threads [default: one per core]. The results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Seed of all random streams [default: the scenario's seed].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder [default: rampart-out/<scenario file stem>-sweep/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only the K-th of M parts of the grid's replications (numbered point by point) and
    /// write it as OUT/part.jsonl, for `rampart merge` (docs/cluster.md).
    #[arg(long, value_name = "K/M")]
    pub shard: Option<String>,
}

/// Runs the sweep (or one part of it) and writes grid.csv, sweep.json and report.html.
pub fn run(args: &SweepArgs) -> Result<()> {
    let (path, runs) = (&args.scenario, args.runs);
    check_counts(runs, args.threads)?;
    let (scenario, text) = load_with_sets(path, &args.set)?;
    let axes = args
        .vary
        .iter()
        .map(|v| Axis::parse(v))
        .collect::<Result<Vec<_>, SweepError>>()?;
    let seed = args.seed.unwrap_or(scenario.seed);
    if let Some(spec) = &args.shard {
        return crate::shard::run_sweep_part(args, spec, &text, &axes, seed);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| folder::default_out(path, "-sweep"));
    let points: u64 = axes.iter().map(|a| a.values.len() as u64).product();
    let opts = McOptions {
        runs,
        threads: args.threads,
        until_ci: None,
        seed,
        stop: Some(interrupt::watch()?),
    };
    let bar = progress_bar(points * runs);
    let file = path.display().to_string();
    let result = run_sweep(
        &text,
        &file,
        &axes,
        &opts,
        |i, n, point| bar.set_message(format!("point {}/{n}: {point}", i + 1)),
        |n| bar.inc(n),
        |_, _| Ok(()),
    );
    bar.finish_and_clear();
    let result = match result {
        Err(SweepError::Interrupted { point }) => {
            return Err(interrupt::Interrupted(format!(
                "interrupted at {point}: nothing written; the files already in {} are untouched",
                out.display()
            ))
            .into());
        }
        r => r.map_err(scenario_error)?,
    };
    let manifest = folder::Manifest::new(ReportKind::Sweep, path, seed);
    let paths = write_folder(&out, &manifest, (&scenario, &text), &result)?;
    print_result(&result, &paths);
    Ok(())
}

/// A sweep's error, a scenario's rendered with its snippet.
pub fn scenario_error(e: SweepError) -> anyhow::Error {
    match e {
        SweepError::Scenario { point, source } => {
            errln!("{}", source.render());
            anyhow::anyhow!("the scenario does not load with {point}")
        }
        e => e.into(),
    }
}

/// Writes a sweep's folder: `grid.csv`, `sweep.json`, `report.html`, then `scenario.toml` and
/// `manifest.json`; returns the paths of the first three. Both `rampart sweep` and `rampart
/// merge` end here, so a merged sweep's files are the one-machine sweep's.
pub fn write_folder(
    out: &Path,
    manifest: &folder::Manifest,
    (scenario, text): (&Scenario, &str),
    result: &SweepResult,
) -> Result<[PathBuf; 3]> {
    // Checked before anything is written: a refused sweep leaves the folder as it was.
    finite::check(result, "sweep.json")?;
    let mut dir = OutDir::create(out)?;
    let earlier = folder::earlier_files(out);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(result.csv_header())?;
    for row in result.csv_rows() {
        w.write_record(&row)?;
    }
    let grid = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing grid.csv: {}", e.error()))?;
    let grid_path = dir.write("grid.csv", &grid)?;
    let json_path = dir.write(
        "sweep.json",
        (serde_json::to_string_pretty(result)? + "\n").as_bytes(),
    )?;
    let extras = folder::Extras {
        sweep: Some(result),
        ..folder::Extras::default()
    };
    let report_path = folder::sample_and_report(&mut dir, manifest, scenario, extras)?;
    folder::finish(&mut dir, manifest, text, &earlier)?;
    Ok([grid_path, json_path, report_path])
}

/// Prints the grid's main statistics and where they were written.
pub fn print_result(result: &SweepResult, paths: &[PathBuf; 3]) {
    let (axes, seed, runs, points) = (&result.axes, result.seed, result.runs, result.points.len());

    outln!(
        "{} — seed {seed}, {runs} replication(s) at each of {points} point(s), common random numbers\n",
        result.scenario
    );
    let p = |e: &Estimate| format!("{:.3} [{:.3}, {:.3}]", e.mean, e.ci_low, e.ci_high);
    let head: Vec<String> = axes.iter().map(|a| a.path.clone()).collect();
    // A point's values of the varied keys, each under its key.
    let at = |pt: &rampart_sim::montecarlo::sweep::SweepPoint| -> String {
        axes.iter()
            .zip(&pt.at)
            .map(|(a, &k)| format!("{:>w$}", a.values[k], w = a.path.len()))
            .collect::<Vec<_>>()
            .join("  ")
    };
    outln!(
        "{}  | P(no leaker)          | leakers               | interceptors",
        head.join("  ")
    );
    for pt in &result.points {
        let r = &pt.result;
        outln!(
            "{}  | {:<21} | {:<21} | {}",
            at(pt),
            p(&r.leakers.p_zero),
            p(&r.leakers.mean),
            p(&r.interceptors_launched.mean)
        );
    }
    if result
        .points
        .first()
        .is_some_and(|pt| pt.result.killed.is_some())
    {
        outln!(
            "\n{}  | expected killed       | expected injured      | aircraft destroyed",
            head.join("  ")
        );
        for pt in &result.points {
            let r = &pt.result;
            let q = |e: Option<Estimate>| e.map_or("—".to_string(), |e| p(&e));
            outln!(
                "{}  | {:<21} | {:<21} | {}",
                at(pt),
                q(r.killed),
                q(r.injured),
                q(r.aircraft_destroyed)
            );
        }
    }
    if result.points.len() > 1 {
        outln!("\npaired difference from the first point, mean [95 % CI]:");
        for pt in &result.points[1..] {
            let diff = |name: &str| {
                pt.paired
                    .iter()
                    .find(|d| d.statistic == name && d.difference.n > 0)
                    .map_or("—".to_string(), |d| p(&d.difference))
            };
            outln!(
                "{}  | {:<21} | {:<21} | {}",
                at(pt),
                diff("p_zero_leakers"),
                diff("leakers"),
                diff("interceptors_launched")
            );
        }
    }
    outln!(
        "\nwrote {}, {} and {}",
        paths[0].display(),
        paths[1].display(),
        paths[2].display()
    );
}
