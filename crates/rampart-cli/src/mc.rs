//! `rampart mc`: Monte Carlo replications with a progress bar, summary.json and replications.csv.

use crate::load_or_report;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rampart_sim::montecarlo::stats::Estimate;
use rampart_sim::montecarlo::{McOptions, Replication, run_mc_with};
use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Runs the replications and writes the outputs.
pub fn run(
    path: &Path,
    runs: u64,
    threads: Option<usize>,
    until_ci: Option<f64>,
    seed: Option<u64>,
    out: Option<PathBuf>,
) -> Result<()> {
    if runs == 0 {
        anyhow::bail!("--runs must be at least 1");
    }
    if threads == Some(0) {
        anyhow::bail!("--threads must be at least 1");
    }
    if let Some(h) = until_ci
        && !(h.is_finite() && h > 0.0)
    {
        anyhow::bail!("--until-ci must be a positive number (a CI half-width, e.g. 0.01)");
    }
    let scenario = load_or_report(path)?;
    let seed = seed.unwrap_or(scenario.seed);
    let out = out.unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into());
        Path::new("rampart-out").join(format!("{stem}-mc"))
    });
    fs::create_dir_all(&out)
        .with_context(|| format!("creating the output folder {}", out.display()))?;
    let csv_path = out.join("replications.csv");
    let mut csv = csv::Writer::from_path(&csv_path)
        .with_context(|| format!("creating {}", csv_path.display()))?;
    csv.write_record(Replication::csv_header(&scenario))?;

    // A bar with rate and ETA on a terminal; nothing when stderr is a file or a pipe.
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(runs);
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {pos}/{len} runs  {per_sec}  ETA {eta}",
        ) {
            b.set_style(style.progress_chars("=> "));
        }
        b
    } else {
        ProgressBar::hidden()
    };
    let opts = McOptions {
        runs,
        threads,
        until_ci,
        seed,
    };
    let result = run_mc_with(
        &scenario,
        &opts,
        |n| bar.inc(n),
        |r| csv.write_record(r.csv_row()).map_err(std::io::Error::other),
    )
    .context("running the replications")?;
    bar.finish_and_clear();
    csv.flush()
        .with_context(|| format!("writing {}", csv_path.display()))?;
    let summary_path = out.join("summary.json");
    fs::write(&summary_path, serde_json::to_string_pretty(&result)? + "\n")
        .with_context(|| format!("writing {}", summary_path.display()))?;

    println!(
        "{} — seed {seed}, {} replication(s){}\n",
        scenario.name,
        result.runs,
        match until_ci {
            Some(h) if result.stopped_early => format!(" (every CI half-width < {h})"),
            Some(h) => format!(" (CI half-width target {h} not reached)"),
            None => String::new(),
        }
    );
    let p = |e: &Estimate| format!("{:.4}  [{:.4}, {:.4}]", e.mean, e.ci_low, e.ci_high);
    println!("{:<40} estimate  [95 % CI]", "statistic");
    for a in &result.assets {
        println!("{:<40} {}", format!("P(hit ≥ 1) {}", a.name), p(&a.p_hit));
        println!("{:<40} {}", format!("hits {}", a.name), p(&a.hits));
    }
    if !scenario.fire_units.is_empty() {
        println!("{:<40} {}", "P(no leaker)", p(&result.leakers.p_zero));
        println!("{:<40} {}", "leakers", p(&result.leakers.mean));
        println!(
            "{:<40} {}",
            "interceptors launched",
            p(&result.interceptors_launched.mean)
        );
        for t in &result.threat_types {
            if t.engaged > 0 {
                println!(
                    "{:<40} {}",
                    format!("P(kill | engaged) {}", t.name),
                    p(&t.p_kill)
                );
            }
        }
    }
    println!(
        "\nwrote {} and {}",
        summary_path.display(),
        csv_path.display()
    );
    Ok(())
}
