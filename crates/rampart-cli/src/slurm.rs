//! `rampart slurm mc`: a Monte Carlo run on a Slurm cluster, as plain batch scripts a cluster's
//! users can read and adapt: a job array whose task K runs `rampart mc --shard K/M` into
//! `OUT/parts/K/`, and a merge job, submitted to start only when every task has succeeded, that
//! folds the parts into `OUT/` (docs/cluster.md).

use crate::output::write_atomic;
use crate::shard::{MAX_PARTS, PART_FILE};
use crate::text::outln;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `rampart slurm …`.
#[derive(Debug, clap::Subcommand)]
pub enum SlurmCommand {
    /// A Monte Carlo run (`rampart mc`) as a job array of its parts and a merge job after them.
    Mc(SlurmMcArgs),
}

/// `rampart slurm mc`'s arguments.
#[derive(Debug, clap::Args)]
pub struct SlurmMcArgs {
    /// The scenario file (TOML), on the file system the cluster's nodes share.
    pub scenario: PathBuf,
    /// Set a scenario key, KEY=VALUE as for `rampart mc`; repeat for several.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Replications in all.
    #[arg(long, default_value_t = 1000)]
    pub runs: u64,
    /// Array tasks: the parts the replications are split into.
    #[arg(long, value_name = "M")]
    pub tasks: u64,
    /// Output folder on the shared file system: the merged outputs at its top, the parts in
    /// `parts/`, the batch scripts and the jobs' logs in `slurm/`.
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of all random streams [default: the scenario's seed].
    #[arg(long)]
    pub seed: Option<u64>,
    /// The partition to run in [default: the cluster's].
    #[arg(long)]
    pub partition: Option<String>,
    /// Each job's time limit, in Slurm's forms (`30`, `2:00:00`, `1-00:00:00`) [default: the
    /// partition's].
    #[arg(long)]
    pub time: Option<String>,
    /// Cores per array task; each task runs that many worker threads.
    #[arg(long, default_value_t = 1)]
    pub cpus_per_task: u32,
    /// Write the scripts and print how to submit them, without submitting.
    #[arg(long)]
    pub dry_run: bool,
}

/// One argument for a shell script, single-quoted unless plainly safe.
fn quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// A value for an `#SBATCH` line: Slurm's own words and numbers only.
fn slurm_word(what: &str, v: &str) -> Result<String> {
    if v.is_empty()
        || v.len() > 64
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:,".contains(c))
    {
        bail!(
            "--{what} `{}`: give a Slurm {what} (letters, digits, - _ . : ,)",
            rampart_core::units::excerpt(v, 40)
        );
    }
    Ok(v.to_owned())
}

fn absolute(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p).with_context(|| format!("resolving {}", p.display()))
}

/// The two batch scripts' text: (the array's, the merge's).
fn scripts(
    a: &SlurmMcArgs,
    seed: u64,
    exe: &Path,
    out: &Path,
    cwd: &Path,
) -> Result<(String, String)> {
    let m = a.tasks;
    let mut head = String::new();
    if let Some(p) = &a.partition {
        head.push_str(&format!(
            "#SBATCH --partition={}\n",
            slurm_word("partition", p)?
        ));
    }
    if let Some(t) = &a.time {
        head.push_str(&format!("#SBATCH --time={}\n", slurm_word("time", t)?));
    }
    let logs = out.join("slurm").join("logs");
    let sets: String = a
        .set
        .iter()
        .map(|s| format!(" --set {}", quote(s)))
        .collect();
    let (exe, out_q, cwd_q) = (
        quote(&exe.display().to_string()),
        quote(&out.display().to_string()),
        quote(&cwd.display().to_string()),
    );
    let array = format!(
        "#!/bin/bash
# Part $SLURM_ARRAY_TASK_ID of {m} of a Monte Carlo run of {scenario}: {runs} replications,
# seed {seed} (written by `rampart slurm mc`). Each task writes {out}/parts/K/{PART_FILE}.
# To run part K again alone: sbatch --array=K {array_path}
#SBATCH --job-name=rampart-mc
#SBATCH --array=1-{m}
#SBATCH --cpus-per-task={cpus}
#SBATCH --chdir={cwd_q}
#SBATCH --output={logs}/part-%a.out
{head}set -euo pipefail
exec {exe} mc {scenario_q}{sets} --runs {runs} --seed {seed} \\
  --shard \"$SLURM_ARRAY_TASK_ID/{m}\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" \\
  --out {out_q}/parts/\"$SLURM_ARRAY_TASK_ID\"
",
        scenario = a.scenario.display(),
        scenario_q = quote(&a.scenario.display().to_string()),
        runs = a.runs,
        out = out.display(),
        array_path = out.join("slurm").join("mc-array.sbatch").display(),
        cpus = a.cpus_per_task,
        logs = quote(&logs.display().to_string()),
    );
    let merge = format!(
        "#!/bin/bash
# Folds the {m} parts in {out}/parts into {out}: summary.json, replications.csv,
# impacts.csv and report.html, as `rampart mc` gives on one machine (written by
# `rampart slurm mc`; submitted to start once every array task has succeeded).
#SBATCH --job-name=rampart-merge
#SBATCH --cpus-per-task=1
#SBATCH --chdir={cwd_q}
#SBATCH --output={logs}/merge.out
{head}set -euo pipefail
exec {exe} merge {out_q}/parts --out {out_q}
",
        out = out.display(),
        logs = quote(&logs.display().to_string()),
    );
    Ok((array, merge))
}

/// Runs `sbatch --parsable ARGS` and returns the job id it prints.
fn sbatch(args: &[&str]) -> Result<String> {
    let output = Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .output()
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot run sbatch ({e}): is this a Slurm cluster's login node? (--dry-run writes the scripts without submitting them)"
            )
        })?;
    if !output.status.success() {
        bail!(
            "sbatch {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    // `--parsable` prints "id" or "id;cluster".
    let id = text.trim().split(';').next().unwrap_or("").to_owned();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        bail!("sbatch printed `{}`, not a job id", text.trim());
    }
    Ok(id)
}

/// Runs `rampart slurm …`.
pub fn run(cmd: &SlurmCommand) -> Result<()> {
    let SlurmCommand::Mc(a) = cmd;
    crate::mc::check_counts(a.runs, None)?;
    if !(1..=MAX_PARTS).contains(&a.tasks) {
        bail!("--tasks must be from 1 to {MAX_PARTS}");
    }
    if a.cpus_per_task == 0 || a.cpus_per_task > 1024 {
        bail!("--cpus-per-task must be from 1 to 1024");
    }
    // Refused here rather than in every task: a scenario that does not load.
    let (scenario, _) = crate::load_with_sets(&a.scenario, &a.set)?;
    let seed = a.seed.unwrap_or(scenario.seed);
    let out = absolute(&a.out)?;
    let cwd = std::env::current_dir().context("the current folder")?;
    let exe = std::env::current_exe().context("finding the rampart binary")?;
    let (array, merge) = scripts(a, seed, &exe, &out, &cwd)?;
    let dir = out.join("slurm");
    std::fs::create_dir_all(dir.join("logs"))
        .with_context(|| format!("creating {}", dir.display()))?;
    std::fs::create_dir_all(out.join("parts"))
        .with_context(|| format!("creating {}", out.join("parts").display()))?;
    let (array_path, merge_path) = (dir.join("mc-array.sbatch"), dir.join("merge.sbatch"));
    write_atomic(&array_path, array.as_bytes())?;
    write_atomic(&merge_path, merge.as_bytes())?;
    let (ap, mp) = (array_path.display(), merge_path.display());
    if a.dry_run {
        outln!("wrote {ap} and {mp}; to submit them:");
        outln!("  jobid=$(sbatch --parsable {ap})");
        outln!("  sbatch --dependency=afterok:${{jobid%%;*}} --kill-on-invalid-dep=yes {mp}");
        return Ok(());
    }
    let array_id = sbatch(&[&ap.to_string()])?;
    let dependency = format!("--dependency=afterok:{array_id}");
    let merge_id = sbatch(&[&dependency, "--kill-on-invalid-dep=yes", &mp.to_string()])?;
    outln!(
        "submitted {} parts of {} replications of {}: array job {array_id}, merge job {merge_id}",
        a.tasks,
        a.runs,
        scenario.name
    );
    outln!("  watch:    squeue -j {array_id},{merge_id}");
    outln!(
        "  results:  {} (summary.json, replications.csv, impacts.csv, report.html) once job {merge_id} ends",
        out.display()
    );
    outln!("  logs:     {}", dir.join("logs").display());
    outln!(
        "  a failed part cancels the merge job (its reason: DependencyNeverSatisfied); rerun it with\n            sbatch --array=K {ap}\n          then merge: sbatch {mp}  (or rampart merge {} --out {})",
        out.join("parts").display(),
        out.display()
    );
    Ok(())
}
