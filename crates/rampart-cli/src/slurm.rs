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
    /// A sweep (`rampart sweep`) likewise: its grid's replications, numbered point by point,
    /// split into the array's parts.
    Sweep(SlurmSweepArgs),
}

/// `rampart slurm sweep`'s arguments.
#[derive(Debug, clap::Args)]
pub struct SlurmSweepArgs {
    /// A key and its values, PATH=V1,V2,…, as for `rampart sweep`; repeat for a grid.
    #[arg(long, value_name = "PATH=V1,V2,…", required = true)]
    pub vary: Vec<String>,
    #[command(flatten)]
    pub run: SlurmMcArgs,
}

/// `rampart slurm mc`'s arguments.
#[derive(Debug, clap::Args)]
pub struct SlurmMcArgs {
    /// The scenario file (TOML), on the file system the cluster's nodes share.
    pub scenario: PathBuf,
    /// Set a scenario key, KEY=VALUE as for `rampart mc`; repeat for several.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Replications in all (for a sweep: at each grid point).
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

/// A path or value a script names: refused if it holds what a batch script or Slurm's own
/// parsing would take apart (control characters, a backslash, Slurm's `%` patterns).
fn plain(what: &str, v: &str) -> Result<()> {
    if v.chars().any(|c| c.is_control() || c == '\\' || c == '%') {
        bail!(
            "{what} `{}`: a batch script cannot carry control characters, `\\` or `%`",
            rampart_core::units::excerpt(v, 60)
        );
    }
    Ok(())
}

/// The two batch scripts' text: (the array's, the merge's). `kind` is `mc` or `sweep`, and
/// `extra` a sweep's `--vary`s.
fn scripts(
    a: &SlurmMcArgs,
    (kind, extra): (&str, &[String]),
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
        .chain(extra.iter().map(|v| format!(" --vary {}", quote(v))))
        .collect();
    let (exe, out_q, cwd_q) = (
        quote(&exe.display().to_string()),
        quote(&out.display().to_string()),
        quote(&cwd.display().to_string()),
    );
    let array = format!(
        "#!/bin/bash
# Part $SLURM_ARRAY_TASK_ID of {m} of `rampart {kind}` of {scenario}: {runs} replications,
# seed {seed} (written by `rampart slurm {kind}`). Each task writes {out}/parts/K/{PART_FILE}.
# To run part K again alone: sbatch --array=K {array_path}
#SBATCH --job-name=rampart-{kind}
#SBATCH --array=1-{m}
#SBATCH --cpus-per-task={cpus}
#SBATCH --chdir={cwd_q}
#SBATCH --output={logs}/part-%a.out
{head}set -euo pipefail
exec {exe} {kind} {scenario_q}{sets} --runs {runs} --seed {seed} \\
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
# Folds the {m} parts in {out}/parts into {out}: the files `rampart {kind}` writes on one
# machine, byte for byte (written by `rampart slurm {kind}`; submitted to start once every
# array task has succeeded).
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
    match cmd {
        SlurmCommand::Mc(a) => submit(a, "mc", &[]),
        SlurmCommand::Sweep(a) => submit(&a.run, "sweep", &a.vary),
    }
}

fn submit(a: &SlurmMcArgs, kind: &str, vary: &[String]) -> Result<()> {
    crate::mc::check_counts(a.runs, None)?;
    if !(1..=MAX_PARTS).contains(&a.tasks) {
        bail!("--tasks must be from 1 to {MAX_PARTS}");
    }
    if a.cpus_per_task == 0 || a.cpus_per_task > 1024 {
        bail!("--cpus-per-task must be from 1 to 1024");
    }
    // Refused here rather than in every task: a scenario that does not load, or a grid.
    let (scenario, text) = crate::load_with_sets(&a.scenario, &a.set)?;
    if !vary.is_empty() {
        let axes = vary
            .iter()
            .map(|v| rampart_sim::montecarlo::sweep::Axis::parse(v))
            .collect::<Result<Vec<_>, _>>()?;
        rampart_sim::montecarlo::sweep::grid(&text, &a.scenario.display().to_string(), &axes)
            .map_err(crate::sweep::scenario_error)?;
    }
    let seed = a.seed.unwrap_or(scenario.seed);
    let out = absolute(&a.out)?;
    let cwd = std::env::current_dir().context("the current folder")?;
    let exe = std::env::current_exe().context("finding the rampart binary")?;
    for (what, v) in [
        ("the scenario's path", a.scenario.display().to_string()),
        ("--out", out.display().to_string()),
        ("the current folder", cwd.display().to_string()),
        ("the rampart binary's path", exe.display().to_string()),
    ]
    .into_iter()
    .chain(a.set.iter().map(|v| ("--set", v.clone())))
    .chain(vary.iter().map(|v| ("--vary", v.clone())))
    {
        plain(what, &v)?;
    }
    let (array, merge) = scripts(a, (kind, vary), seed, &exe, &out, &cwd)?;
    let dir = out.join("slurm");
    let parts = out.join("parts");
    // Parts of an earlier run with more tasks would make the merge refuse: say so now.
    if let Ok(entries) = std::fs::read_dir(&parts) {
        let stale: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.parse::<u64>()
                    .map_or(true, |k| !(1..=a.tasks).contains(&k))
            })
            .collect();
        if !stale.is_empty() {
            bail!(
                "{} holds what is not a part 1..{} of this run ({}): remove it or choose another --out",
                parts.display(),
                a.tasks,
                stale.join(", ")
            );
        }
    }
    std::fs::create_dir_all(dir.join("logs"))
        .with_context(|| format!("creating {}", dir.display()))?;
    std::fs::create_dir_all(&parts).with_context(|| format!("creating {}", parts.display()))?;
    let (array_path, merge_path) = (dir.join("mc-array.sbatch"), dir.join("merge.sbatch"));
    write_atomic(&array_path, array.as_bytes())?;
    write_atomic(&merge_path, merge.as_bytes())?;
    let (ap, mp) = (
        quote(&array_path.display().to_string()),
        quote(&merge_path.display().to_string()),
    );
    if a.dry_run {
        outln!("wrote {ap} and {mp}; to submit them:");
        outln!("  jobid=$(sbatch --parsable {ap})");
        outln!("  sbatch --dependency=afterok:${{jobid%%;*}} --kill-on-invalid-dep=yes {mp}");
        return Ok(());
    }
    let array_id = sbatch(&[&array_path.display().to_string()])?;
    let dependency = format!("--dependency=afterok:{array_id}");
    let merge_id = sbatch(&[
        &dependency,
        "--kill-on-invalid-dep=yes",
        &merge_path.display().to_string(),
    ])?;
    outln!(
        "submitted {} parts of `rampart {kind}` of {} ({} replications{}): array job {array_id}, merge job {merge_id}",
        a.tasks,
        scenario.name,
        a.runs,
        if vary.is_empty() {
            ""
        } else {
            " at each grid point"
        }
    );
    outln!("  watch:    squeue -j {array_id},{merge_id}");
    outln!(
        "  results:  {} once job {merge_id} ends",
        quote(&out.display().to_string())
    );
    outln!(
        "  logs:     {}",
        quote(&dir.join("logs").display().to_string())
    );
    outln!(
        "  a failed part cancels the merge job (reason DependencyNeverSatisfied); run it again alone and merge after it:\n            jobid=$(sbatch --parsable --array=K {ap})\n            sbatch --dependency=afterok:${{jobid%%;*}} {mp}"
    );
    Ok(())
}
