//! `rampart mc`: Monte Carlo replications with a progress bar, summary.json and replications.csv.

use crate::output::{AtomicFile, OutDir};
use crate::text::{errln, outln};
use crate::{finite, folder, interrupt, load_with_sets};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use rampart_report::ReportKind;
use rampart_sim::montecarlo::stats::Estimate;
use rampart_sim::montecarlo::{ImpactRecord, McOptions, McResult, Replication, run_mc_with};
use rampart_sim::scenario::Scenario;
use std::fmt;
use std::io::IsTerminal;
use std::path::PathBuf;

/// `rampart mc`'s arguments.
#[derive(Debug, clap::Args)]
pub struct McArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Set a scenario key for this command, KEY=VALUE with the paths of `sweep --vary`
    /// (`network.enabled=false`, `fire_unit.Battery-1.channels=4`); repeat for several.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Replications to run (at most, with --until-ci).
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
    /// Worker threads [default: one per core]. The results do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Stop once every reported probability's 95 % CI half-width is below H (checked every
    /// 256 replications; never more than --runs).
    #[arg(long, value_name = "H")]
    pub until_ci: Option<f64>,
    /// Seed of all random streams [default: the scenario's seed].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder [default: rampart-out/<scenario file stem>-mc/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only the K-th of M parts of the replications and write it as OUT/part.jsonl, for
    /// `rampart merge` to fold with the others into the whole run's outputs (docs/cluster.md).
    #[arg(long, value_name = "K/M")]
    pub shard: Option<String>,
}

/// The tables written as the replications finish: `replications.csv`, `impacts.csv`, and the
/// first impacts the report draws.
pub struct Tables {
    csv: csv::Writer<AtomicFile>,
    impacts_csv: csv::Writer<AtomicFile>,
    impacts: Vec<ImpactRecord>,
}

impl Tables {
    /// Starts both files in `dir` (temporary until [`Tables::commit`]).
    pub fn start(dir: &OutDir, scenario: &Scenario) -> Result<Self> {
        let mut csv = csv::Writer::from_writer(dir.start("replications.csv")?);
        csv.write_record(Replication::csv_header(scenario))?;
        Ok(Self {
            csv,
            impacts_csv: csv::Writer::from_writer(dir.start("impacts.csv")?),
            impacts: Vec::new(),
        })
    }

    /// Adds one replication's rows.
    pub fn add(&mut self, r: &Replication) -> std::io::Result<()> {
        self.csv
            .write_record(r.csv_row())
            .map_err(std::io::Error::other)?;
        for i in &r.impacts {
            self.impacts_csv
                .serialize(i)
                .map_err(std::io::Error::other)?;
            if self.impacts.len() < folder::REPORT_IMPACTS {
                self.impacts.push(i.clone());
            }
        }
        Ok(())
    }
}

/// Writes a Monte Carlo run's folder from its statistics and tables: `summary.json`,
/// `replications.csv`, `impacts.csv`, `report.html`, then `scenario.toml` and
/// `manifest.json`. Returns the paths of the first four. Both `rampart mc` and `rampart merge`
/// end here, so a merged run's files are the one-machine run's.
pub fn write_folder(
    dir: &mut OutDir,
    manifest: &folder::Manifest,
    (scenario, text): (&Scenario, &str),
    result: &McResult,
    tables: Tables,
    earlier: &[String],
) -> Result<[PathBuf; 4]> {
    let finish_csv = |w: csv::Writer<AtomicFile>, name: &str| {
        w.into_inner()
            .map_err(|e| anyhow::anyhow!("writing {name}: {}", e.error()))
    };
    // Checked before anything is committed: a refused run leaves the folder as it was.
    finite::check(result, "summary.json")?;
    let csv_path = dir.commit(
        "replications.csv",
        finish_csv(tables.csv, "replications.csv")?,
    )?;
    let impacts_path = dir.commit(
        "impacts.csv",
        finish_csv(tables.impacts_csv, "impacts.csv")?,
    )?;
    let summary_path = dir.write(
        "summary.json",
        (serde_json::to_string_pretty(result)? + "\n").as_bytes(),
    )?;
    let extras = folder::Extras {
        mc: Some(result),
        impacts: &tables.impacts,
        sweep: None,
    };
    let report_path = folder::sample_and_report(dir, manifest, scenario, extras)?;
    folder::finish(dir, manifest, text, earlier)?;
    Ok([summary_path, csv_path, impacts_path, report_path])
}

/// Runs the replications (or one part of them) and writes the outputs.
pub fn run(args: &McArgs) -> Result<()> {
    let (path, runs, until_ci) = (&args.scenario, args.runs, args.until_ci);
    check_counts(runs, args.threads)?;
    if let Some(h) = until_ci
        && !(h.is_finite() && h > 0.0 && h <= 0.5)
    {
        anyhow::bail!(
            "--until-ci must be a CI half-width in (0, 0.5] (a probability's interval is never wider), e.g. 0.01"
        );
    }
    let (scenario, text) = load_with_sets(path, &args.set)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    if let Some(spec) = &args.shard {
        return crate::shard::run_part(args, spec, (&scenario, &text), seed);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| folder::default_out(path, "-mc"));
    let mut dir = OutDir::create(&out)?;
    let earlier = folder::earlier_files(&out);
    // The tables are written as the replications finish, into temporary files that become
    // replications.csv and impacts.csv only when the run ends (or is interrupted) cleanly.
    let mut tables = Tables::start(&dir, &scenario)?;
    let stop = interrupt::watch()?;
    let bar = progress_bar(runs);
    let opts = McOptions {
        runs,
        threads: args.threads,
        until_ci,
        seed,
        stop: Some(stop),
    };
    let result = run_mc_with(&scenario, &opts, |n| bar.inc(n), |r| tables.add(r))
        .context("running the replications")?;
    bar.finish_and_clear();
    if result.interrupted && result.runs == 0 {
        // Nothing to report: the temporary files go, the earlier ones stay.
        return Err(interrupt::Interrupted(format!(
            "interrupted before any replication finished: nothing written; the files already in {} are untouched",
            out.display()
        ))
        .into());
    }
    if result.interrupted {
        errln!(
            "interrupted after {} of {} replication(s): writing their statistics to {}, marked \"interrupted\": true",
            result.runs,
            runs,
            out.display()
        );
    }
    let manifest = folder::Manifest {
        interrupted: result.interrupted,
        ..folder::Manifest::new(ReportKind::MonteCarlo, path, seed)
    };
    let paths = write_folder(
        &mut dir,
        &manifest,
        (&scenario, &text),
        &result,
        tables,
        &earlier,
    )?;
    print_result(&scenario, &result, until_ci, &paths);
    if result.interrupted {
        return Err(interrupt::Interrupted(format!(
            "interrupted: {} holds the {} replication(s) finished, marked \"interrupted\": true",
            out.display(),
            result.runs
        ))
        .into());
    }
    Ok(())
}

/// Prints the statistics and where they were written.
pub fn print_result(
    scenario: &Scenario,
    result: &McResult,
    until_ci: Option<f64>,
    paths: &[PathBuf; 4],
) {
    let seed = result.seed;
    outln!(
        "{} — seed {seed}, {} replication(s){}\n",
        scenario.name,
        result.runs,
        match until_ci {
            _ if result.interrupted => " — interrupted".to_string(),
            Some(h) if result.stopped_early => format!(" (every CI half-width < {h})"),
            Some(h) => format!(" (CI half-width target {h} not reached)"),
            None => String::new(),
        }
    );
    let p = |e: &Estimate| format!("{:.4}  [{:.4}, {:.4}]", e.mean, e.ci_low, e.ci_high);
    outln!("{:<40} estimate  [95 % CI]", "statistic");
    for a in &result.assets {
        outln!("{:<40} {}", format!("P(hit ≥ 1) {}", a.name), p(&a.p_hit));
        outln!("{:<40} {}", format!("hits {}", a.name), p(&a.hits));
        for (what, e) in [
            ("killed", a.killed),
            ("injured", a.injured),
            ("aircraft destroyed", a.aircraft_destroyed),
        ] {
            if let Some(e) = e {
                outln!("{:<40} {}", format!("expected {what} {}", a.name), p(&e));
            }
        }
    }
    if let (Some(k), Some(i), Some(d)) = (result.killed, result.injured, result.aircraft_destroyed)
    {
        outln!("{:<40} {}", "expected killed, all assets", p(&k));
        outln!("{:<40} {}", "expected injured, all assets", p(&i));
        outln!(
            "{:<40} {}",
            "expected aircraft destroyed, all assets",
            p(&d)
        );
    }
    if !scenario.fire_units.is_empty() {
        outln!("{:<40} {}", "P(no leaker)", p(&result.leakers.p_zero));
        outln!("{:<40} {}", "leakers", p(&result.leakers.mean));
        outln!(
            "{:<40} {}",
            "interceptors launched",
            p(&result.interceptors_launched.mean)
        );
        for t in &result.threat_types {
            if t.engaged > 0 {
                outln!(
                    "{:<40} {}",
                    format!("P(kill | engaged) {}", t.name),
                    p(&t.p_kill)
                );
            }
        }
    }
    for g in &result.guns {
        outln!("{:<40} {}", format!("kills {}", g.name), p(&g.kills));
        outln!(
            "{:<40} {}",
            format!("rounds fired {}", g.name),
            p(&g.rounds_fired)
        );
    }
    for t in &result.threat_types {
        if t.leaked > 0 || !scenario.guns.is_empty() {
            outln!("{:<40} {}", format!("P(leak) {}", t.name), p(&t.p_leak));
        }
    }
    let costs = result
        .fire_units
        .iter()
        .map(|u| (&u.name, u.cost_per_kill))
        .chain(result.guns.iter().map(|g| (&g.name, g.cost_per_kill)));
    for (name, c) in costs {
        if let Some(c) = c {
            outln!("{:<40} {c:.4}", format!("cost per kill {name}"));
        }
    }
    for t in result
        .threat_types
        .iter()
        .filter(|t| t.warning_time_s.n > 0)
    {
        outln!(
            "{:<40} {}",
            format!("warning time, s {}", t.name),
            p(&t.warning_time_s)
        );
    }
    outln!(
        "\nwrote {}, {}, {} and {}",
        paths[0].display(),
        paths[1].display(),
        paths[2].display(),
        paths[3].display()
    );
}

/// The most worker threads `--threads` may ask for: more than any machine's cores by far, and
/// few enough to start at once.
pub const MAX_THREADS: usize = 1_024;

/// `--runs` must be at least 1 and `--threads` between 1 and [`MAX_THREADS`].
pub fn check_counts(runs: u64, threads: Option<usize>) -> Result<()> {
    if runs == 0 {
        anyhow::bail!("--runs must be at least 1");
    }
    if let Some(t) = threads
        && !(1..=MAX_THREADS).contains(&t)
    {
        anyhow::bail!(
            "--threads must be between 1 and {MAX_THREADS}, found {t} (this machine has {} core(s))",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
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
