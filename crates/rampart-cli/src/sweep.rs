//! `rampart sweep`: a Monte Carlo run at every point of a grid over scenario keys.

use crate::mc::{check_counts, progress_bar};
use crate::output::OutDir;
use crate::report::ReportKind;
use crate::text::{errln, outln};
use crate::{finite, folder, interrupt, load_or_report, load_with_sets};
use anyhow::{Context, Result};
use rampart_sim::montecarlo::McOptions;
use rampart_sim::montecarlo::stats::Estimate;
use rampart_sim::montecarlo::sweep::{Axis, SweepError, run_sweep};
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

/// Runs the sweep and writes grid.csv, sweep.json and report.html.
pub fn run(
    path: &Path,
    sets: &[String],
    vary: &[String],
    runs: u64,
    threads: Option<usize>,
    seed: Option<u64>,
    out: Option<PathBuf>,
) -> Result<()> {
    check_counts(runs, threads)?;
    let (scenario, text) = load_with_sets(path, sets)?;
    let axes = vary
        .iter()
        .map(|v| Axis::parse(v))
        .collect::<Result<Vec<_>, SweepError>>()?;
    let seed = seed.unwrap_or(scenario.seed);
    let out = out.unwrap_or_else(|| folder::default_out(path, "-sweep"));
    let points: u64 = axes.iter().map(|a| a.values.len() as u64).product();
    let opts = McOptions {
        runs,
        threads,
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
        Err(SweepError::Scenario { point, source }) => {
            errln!("{}", source.render());
            anyhow::bail!("the scenario does not load with {point}");
        }
        r => r?,
    };

    // Checked before anything is written: a refused sweep leaves the folder as it was.
    finite::check(&result, "sweep.json")?;
    let mut dir = OutDir::create(&out)?;
    let earlier = folder::earlier_files(&out);
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
        (serde_json::to_string_pretty(&result)? + "\n").as_bytes(),
    )?;
    let manifest = folder::Manifest::new(ReportKind::Sweep, path, seed);
    let extras = folder::Extras {
        sweep: Some(&result),
        ..folder::Extras::default()
    };
    let report_path = folder::sample_and_report(&mut dir, &manifest, &scenario, extras)?;
    folder::finish(&mut dir, &manifest, &text, &earlier)?;

    outln!(
        "{} — seed {seed}, {runs} replication(s) at each of {points} point(s), common random numbers\n",
        result.scenario
    );
    let p = |e: &Estimate| format!("{:.3} [{:.3}, {:.3}]", e.mean, e.ci_low, e.ci_high);
    let head: Vec<String> = axes.iter().map(|a| a.path.clone()).collect();
    outln!(
        "{}  | P(no leaker)          | leakers               | interceptors",
        head.join("  ")
    );
    for pt in &result.points {
        let at: Vec<String> = axes
            .iter()
            .zip(&pt.at)
            .map(|(a, &k)| format!("{:>w$}", a.values[k], w = a.path.len()))
            .collect();
        let r = &pt.result;
        outln!(
            "{}  | {:<21} | {:<21} | {}",
            at.join("  "),
            p(&r.leakers.p_zero),
            p(&r.leakers.mean),
            p(&r.interceptors_launched.mean)
        );
    }
    if result.points.len() > 1 {
        outln!("\npaired difference from the first point, mean [95 % CI]:");
        for pt in &result.points[1..] {
            let at: Vec<String> = axes
                .iter()
                .zip(&pt.at)
                .map(|(a, &k)| format!("{:>w$}", a.values[k], w = a.path.len()))
                .collect();
            let diff = |name: &str| {
                pt.paired
                    .iter()
                    .find(|d| d.statistic == name && d.difference.n > 0)
                    .map_or("—".to_string(), |d| p(&d.difference))
            };
            outln!(
                "{}  | {:<21} | {:<21} | {}",
                at.join("  "),
                diff("p_zero_leakers"),
                diff("leakers"),
                diff("interceptors_launched")
            );
        }
    }
    outln!(
        "\nwrote {}, {} and {}",
        grid_path.display(),
        json_path.display(),
        report_path.display()
    );
    Ok(())
}
