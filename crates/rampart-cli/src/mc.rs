//! `rampart mc`: Monte Carlo replications with a progress bar, summary.json and replications.csv.

use crate::report::ReportKind;
use crate::{folder, load_or_report};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use rampart_sim::montecarlo::stats::Estimate;
use rampart_sim::montecarlo::{McOptions, Replication, run_mc_with};
use std::fmt;
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
    check_counts(runs, threads)?;
    if let Some(h) = until_ci
        && !(h.is_finite() && h > 0.0)
    {
        anyhow::bail!("--until-ci must be a positive number (a CI half-width, e.g. 0.01)");
    }
    let scenario = load_or_report(path)?;
    let seed = seed.unwrap_or(scenario.seed);
    let out = out.unwrap_or_else(|| folder::default_out(path, "-mc"));
    fs::create_dir_all(&out)
        .with_context(|| format!("creating the output folder {}", out.display()))?;
    let csv_path = out.join("replications.csv");
    let mut csv = csv::Writer::from_path(&csv_path)
        .with_context(|| format!("creating {}", csv_path.display()))?;
    csv.write_record(Replication::csv_header(&scenario))?;
    let impacts_path = out.join("impacts.csv");
    let mut impacts_csv = csv::Writer::from_path(&impacts_path)
        .with_context(|| format!("creating {}", impacts_path.display()))?;
    let mut impacts = Vec::new();

    let bar = progress_bar(runs);
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
        |r| {
            csv.write_record(r.csv_row())
                .map_err(std::io::Error::other)?;
            for i in &r.impacts {
                impacts_csv.serialize(i).map_err(std::io::Error::other)?;
                if impacts.len() < folder::REPORT_IMPACTS {
                    impacts.push(i.clone());
                }
            }
            Ok(())
        },
    )
    .context("running the replications")?;
    bar.finish_and_clear();
    csv.flush()
        .with_context(|| format!("writing {}", csv_path.display()))?;
    impacts_csv
        .flush()
        .with_context(|| format!("writing {}", impacts_path.display()))?;
    let summary_path = out.join("summary.json");
    fs::write(&summary_path, serde_json::to_string_pretty(&result)? + "\n")
        .with_context(|| format!("writing {}", summary_path.display()))?;
    let manifest = folder::Manifest::new(ReportKind::MonteCarlo, path, seed);
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    folder::write_manifest(&out, &manifest, &text)?;
    let extras = folder::Extras {
        mc: Some(&result),
        impacts: &impacts,
        sweep: None,
    };
    let report_path = folder::sample_and_report(&out, &manifest, &scenario, extras)?;

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
        "\nwrote {}, {}, {} and {}",
        summary_path.display(),
        csv_path.display(),
        impacts_path.display(),
        report_path.display()
    );
    Ok(())
}

/// `--runs` and `--threads` must each be at least 1.
pub fn check_counts(runs: u64, threads: Option<usize>) -> Result<()> {
    if runs == 0 {
        anyhow::bail!("--runs must be at least 1");
    }
    if threads == Some(0) {
        anyhow::bail!("--threads must be at least 1");
    }
    Ok(())
}

/// A bar with rate and ETA on a terminal; nothing when stderr is a file or a pipe.
pub fn progress_bar(runs: u64) -> ProgressBar {
    if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(runs);
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {pos}/{len} runs  {rate}  ETA {eta}  {msg}",
        ) {
            let style = style.with_key("rate", |s: &ProgressState, w: &mut dyn fmt::Write| {
                let _ = write!(w, "{:.1} runs/s", s.per_sec());
            });
            b.set_style(style.progress_chars("=> "));
        }
        b
    } else {
        ProgressBar::hidden()
    }
}
