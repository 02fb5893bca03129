//! `rampart slurm mc`: the batch scripts it writes, and, on a Slurm cluster, a run submitted to
//! it whose merged result is byte-identical to the one-machine run.
//!
//! The cluster test needs `sbatch` and a cluster that answers (`tools/slurm/local-cluster.sh
//! start` brings one up on this machine); without them it says what is missing and passes,
//! unless `RAMPART_SLURM_REQUIRED` is set (as CI sets it), when it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn dry_run_writes_plain_batch_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("study");
    let stdout = common::rampart_ok(&[
        "slurm",
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        "100",
        "--tasks",
        "4",
        "--out",
        out.to_str().unwrap(),
        "--cpus-per-task",
        "2",
        "--partition",
        "short",
        "--time",
        "1:00:00",
        "--dry-run",
    ])
    .stdout;
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(stdout.contains("--dependency=afterok:"), "{stdout}");
    let array = std::fs::read_to_string(out.join("slurm/mc-array.sbatch")).unwrap();
    for line in [
        "#SBATCH --array=1-4",
        "#SBATCH --cpus-per-task=2",
        "#SBATCH --partition=short",
        "#SBATCH --time=1:00:00",
        "--shard \"$SLURM_ARRAY_TASK_ID/4\"",
        "--threads \"${SLURM_CPUS_PER_TASK:-1}\"",
        "--runs 100",
    ] {
        assert!(array.contains(line), "{line} missing from:\n{array}");
    }
    let merge = std::fs::read_to_string(out.join("slurm/merge.sbatch")).unwrap();
    assert!(
        merge.contains(" merge ") && merge.contains("/parts --out "),
        "{merge}"
    );
    assert!(out.join("parts").is_dir());
    // A partition that would break the script's line is refused.
    let bad = common::rampart(&[
        "slurm",
        "mc",
        "scenarios/tutorial.toml",
        "--tasks",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--partition",
        "a\n#SBATCH --x",
        "--dry-run",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--partition"));
    // A leftover part of an earlier, larger run would make the merge refuse: refused now.
    std::fs::create_dir_all(out.join("parts/9")).unwrap();
    let stale = common::rampart(&[
        "slurm",
        "mc",
        "scenarios/tutorial.toml",
        "--tasks",
        "4",
        "--out",
        out.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(String::from_utf8_lossy(&stale.stderr).contains("not a part 1..4"));
    // A sweep's scripts run `rampart sweep` with its axes.
    let sweep = tmp.path().join("grid");
    common::rampart_ok(&[
        "slurm",
        "sweep",
        "scenarios/tutorial.toml",
        "--vary",
        "asset.Depot.radius=500 m,2 km",
        "--tasks",
        "3",
        "--out",
        sweep.to_str().unwrap(),
        "--dry-run",
    ]);
    let array = std::fs::read_to_string(sweep.join("slurm/mc-array.sbatch")).unwrap();
    assert!(
        array.contains(" sweep ") && array.contains("--vary 'asset.Depot.radius=500 m,2 km'"),
        "{array}"
    );
}

/// Whether a Slurm cluster answers here; else why not.
/// Whether a cluster answers; without one the test is skipped with the reason, unless
/// `RAMPART_SLURM_REQUIRED` is set (as in CI), where it fails with it.
fn cluster_up() -> bool {
    match cluster() {
        Ok(()) => true,
        Err(why) if std::env::var_os("RAMPART_SLURM_REQUIRED").is_some() => {
            panic!("RAMPART_SLURM_REQUIRED is set, but {why}")
        }
        Err(why) => {
            eprintln!("skipped: {why}");
            false
        }
    }
}

fn cluster() -> Result<(), String> {
    for c in ["sbatch", "scontrol", "squeue"] {
        if Command::new(c).arg("--version").output().is_err() {
            return Err(format!(
                "`{c}` is missing (apt-get install slurm-wlm munge)"
            ));
        }
    }
    match Command::new("scontrol").arg("ping").output() {
        Ok(o) if o.status.success() && String::from_utf8_lossy(&o.stdout).contains("UP") => Ok(()),
        _ => Err("no Slurm controller answers (tools/slurm/local-cluster.sh start, then export the SLURM_CONF it prints)".into()),
    }
}

/// `scontrol show job -o ID`'s JobState of each of the job's lines (an array: one per task).
fn states(id: &str) -> Vec<String> {
    let o = Command::new("scontrol")
        .args(["show", "job", "-o", id])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| {
            l.split_whitespace()
                .find_map(|w| w.strip_prefix("JobState="))
                .map(String::from)
        })
        .collect()
}

/// The two job ids `rampart slurm mc` printed.
fn job_ids(stdout: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(stdout);
    let ids: Vec<String> = text
        .split("job ")
        .skip(1)
        .filter_map(|w| {
            w.split(|c: char| !c.is_ascii_digit())
                .next()
                .filter(|d| !d.is_empty())
                .map(String::from)
        })
        .collect();
    assert!(ids.len() >= 2, "no job ids in: {text}");
    (ids[0].clone(), ids[1].clone())
}

/// Waits until `done` holds of the jobs' states, failing after `limit` with the jobs' logs.
fn wait_for(
    out: &Path,
    ids: &[&str],
    limit: Duration,
    done: impl Fn(&[Vec<String>]) -> bool,
) -> Vec<Vec<String>> {
    let deadline = Instant::now() + limit;
    loop {
        let now: Vec<Vec<String>> = ids.iter().map(|id| states(id)).collect();
        if done(&now) {
            return now;
        }
        if Instant::now() > deadline {
            let logs = std::fs::read_dir(out.join("slurm/logs"))
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join("\n---\n")
                })
                .unwrap_or_default();
            panic!("the jobs {ids:?} are still {now:?} after {limit:?}\n{logs}");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn same_as_one_machine(tmp: &Path, out: &Path, runs: &str) {
    let whole = tmp.join("whole");
    common::rampart_ok(&[
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        runs,
        "--out",
        whole.to_str().unwrap(),
    ]);
    for f in ["summary.json", "replications.csv", "impacts.csv"] {
        assert!(
            std::fs::read(whole.join(f)).unwrap() == std::fs::read(out.join(f)).unwrap(),
            "{f}: the cluster's run differs from the one-machine run"
        );
    }
}

/// A failed part cancels the merge job rather than leaving it waiting, and the part run again
/// alone, then the merge, give the one-machine result (docs/cluster.md).
#[test]
fn a_failed_part_cancels_the_merge_and_reruns_alone() {
    if !cluster_up() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("study");
    // Part 2 cannot write its folder: a file stands in its place.
    std::fs::create_dir_all(out.join("parts")).unwrap();
    std::fs::write(out.join("parts/2"), "in the way").unwrap();
    let stdout = common::rampart_ok(&[
        "slurm",
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        "30",
        "--tasks",
        "3",
        "--out",
        out.to_str().unwrap(),
    ])
    .stdout;
    let (array, merge) = job_ids(&stdout);
    let end = wait_for(&out, &[&array, &merge], Duration::from_secs(180), |s| {
        s[1].iter().any(|x| x != "PENDING")
    });
    assert!(
        end[0].iter().any(|x| x == "FAILED"),
        "part 2 failed: {end:?}"
    );
    assert_eq!(
        end[1],
        vec!["CANCELLED".to_string()],
        "the merge is cancelled, not left waiting"
    );
    // The user's way back: the part alone, then the merge.
    std::fs::remove_file(out.join("parts/2")).unwrap();
    let script = |name: &str| out.join("slurm").join(name).to_str().unwrap().to_owned();
    let sbatch = |args: &[&str]| {
        let o = Command::new("sbatch")
            .arg("--parsable")
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout)
            .trim()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    };
    let rerun = sbatch(&["--array=2", &script("mc-array.sbatch")]);
    let dependency = format!("--dependency=afterok:{rerun}");
    let merge = sbatch(&[&dependency, &script("merge.sbatch")]);
    wait_for(&out, &[&merge], Duration::from_secs(180), |s| {
        s[0].iter().any(|x| x == "COMPLETED")
    });
    same_as_one_machine(tmp.path(), &out, "30");
}

#[test]
fn a_run_on_the_cluster_merges_to_the_one_machine_run() {
    if !cluster_up() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("study");
    let stdout = common::rampart_ok(&[
        "slurm",
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        "30",
        "--tasks",
        "3",
        "--out",
        out.to_str().unwrap(),
    ])
    .stdout;
    let (array, merge) = job_ids(&stdout);
    wait_for(&out, &[&array, &merge], Duration::from_secs(300), |s| {
        let failed = s.iter().flatten().any(|x| {
            [
                "FAILED",
                "CANCELLED",
                "TIMEOUT",
                "NODE_FAIL",
                "OUT_OF_MEMORY",
            ]
            .contains(&x.as_str())
        });
        assert!(!failed, "a job failed: {s:?}");
        s[1].iter().any(|x| x == "COMPLETED")
    });
    same_as_one_machine(tmp.path(), &out, "30");
    assert!(Path::new(&out.join("parts/3/part.jsonl")).is_file());
}
