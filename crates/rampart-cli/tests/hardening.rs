//! The `rampart` command against misuse: links planted in an output folder, an interrupted
//! Monte Carlo run, a folder reused by another run, absurd options and hostile names. Each case
//! lost a file, hung, or printed a wrong number before it was fixed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rampart"));
    c.current_dir(repo());
    c
}

fn rampart(args: &[&str]) -> Output {
    bin().args(args).output().expect("the rampart binary runs")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rampart-hardening-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The files of `dir` whose names start with `.rampart-`: temporary files left behind.
fn litter(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".rampart-"))
        .collect()
}

#[cfg(unix)]
#[test]
fn no_command_writes_through_a_link_planted_in_its_output_folder() {
    use std::os::unix::fs::symlink;
    let d = tmp("links");
    let victim = d.join("victim.txt");
    fs::write(&victim, "precious\n").unwrap();
    let out = d.join("out");
    fs::create_dir_all(&out).unwrap();
    for f in [
        "summary.json",
        "events.jsonl",
        "report.html",
        "manifest.json",
    ] {
        symlink(&victim, out.join(f)).unwrap();
    }
    let o = rampart(&["run", "scenarios/tutorial.toml", "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mc = d.join("mc");
    fs::create_dir_all(&mc).unwrap();
    for f in ["replications.csv", "impacts.csv"] {
        symlink(&victim, mc.join(f)).unwrap();
    }
    let o = rampart(&[
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        "3",
        "--out",
        s(&mc),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    fs::remove_file(mc.join("report.html")).unwrap();
    symlink(&victim, mc.join("report.html")).unwrap();
    let o = rampart(&["report", s(&mc)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    for dir in [&out, &mc] {
        for e in fs::read_dir(dir).unwrap() {
            let m = fs::symlink_metadata(e.unwrap().path()).unwrap();
            assert!(!m.file_type().is_symlink());
        }
        assert_eq!(litter(dir), Vec::<String>::new());
    }
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_folder_reused_by_another_command_holds_one_runs_files() {
    let d = tmp("reuse");
    let o = rampart(&[
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        "2",
        "--out",
        s(&d),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(d.join("impacts.csv").exists());
    let o = rampart(&["run", "scenarios/tutorial.toml", "--out", s(&d)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(d.join("manifest.json")).unwrap()).unwrap();
    let mut listed: Vec<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    listed.sort();
    let mut present: Vec<String> = fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    assert_eq!(listed, present);
    assert!(!d.join("impacts.csv").exists() && !d.join("replications.csv").exists());
    fs::remove_dir_all(&d).unwrap();
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_mc_leaves_a_complete_set_marked_interrupted() {
    let d = tmp("sigint");
    // An earlier run's summary, with another seed: it must not survive beside the new files.
    let o = rampart(&[
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        "2",
        "--seed",
        "99",
        "--out",
        s(&d),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut child = bin()
        .args([
            "mc",
            "scenarios/al-asad-2020-defended.toml",
            "--runs",
            "100000",
            "--out",
            s(&d),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once some replications are done (the run needs many minutes to finish).
    std::thread::sleep(Duration::from_secs(4));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "mc did not stop after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(d.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["interrupted"], true);
    assert_ne!(summary["seed"], 99);
    let runs = summary["runs"].as_u64().unwrap();
    assert!(runs < 100_000);
    let csv = fs::read_to_string(d.join("replications.csv")).unwrap();
    assert!(csv.ends_with('\n'));
    let widths: Vec<usize> = csv.lines().map(|l| l.split(',').count()).collect();
    assert_eq!(
        widths.len() as u64,
        runs + 1,
        "a header and one row per replication"
    );
    assert!(widths.iter().all(|w| *w == widths[0]), "every row is whole");
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(d.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["interrupted"], true);
    assert_eq!(litter(&d), Vec::<String>::new());
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn absurd_thread_counts_are_refused_at_once() {
    let start = Instant::now();
    let o = rampart(&[
        "mc",
        "scenarios/tutorial.toml",
        "--runs",
        "8",
        "--threads",
        "100000",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--threads must be between 1 and 1024"),
        "{}",
        stderr(&o)
    );
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn clock_drift_refuses_non_finite_and_absurd_quantities() {
    for speed in ["nan", "inf", "-inf", "1e308", "NaN m/s"] {
        let o = rampart(&["clock-drift", "--uptime", "100h", "--speed", speed]);
        assert!(!o.status.success(), "--speed {speed} was accepted");
        assert!(!String::from_utf8_lossy(&o.stdout).contains("NaN"));
    }
    // Exponents are numbers, not units.
    let o = rampart(&["clock-drift", "--uptime", "1e-9 s", "--speed", "1676"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = rampart(&["clock-drift", "--uptime", "3.6e5s", "--speed", "1676 m/s"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // 100 h: 3,600,000 ticks of 0.1 s, 0.3433 s lost (GAO/IMTEC-92-26), 575 m at 1676 m/s.
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains("0.3433 s"), "{out}");
}

#[test]
fn names_cannot_drive_the_terminal() {
    let d = tmp("escapes");
    let text = fs::read_to_string(repo().join("scenarios/tutorial.toml")).unwrap();
    let evil = r"Depot\u001b]0;pwned\u0007\u001b[2J";
    let text = text
        .replacen(r#"name = "Depot""#, &format!(r#"name = "{evil}""#), 1)
        .replacen(r#"aim = "Depot""#, &format!(r#"aim = "{evil}""#), 1)
        .replacen(r#"name = "Tutorial"#, r#"name = "\u001b[31mTutorial"#, 1);
    let path = d.join("evil.toml");
    fs::write(&path, text).unwrap();
    for args in [
        vec!["validate", s(&path)],
        vec!["run", s(&path), "--out", s(&d.join("out"))],
    ] {
        let o = rampart(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        for stream in [&o.stdout, &o.stderr] {
            assert!(!stream.contains(&0x1b), "an escape reached the terminal");
            assert!(!stream.contains(&0x07));
        }
        assert!(String::from_utf8_lossy(&o.stdout).contains(r"\u{1b}"));
    }
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn deny_warnings_turns_a_defense_that_cannot_fight_into_an_error() {
    let d = tmp("warnings");
    let text = fs::read_to_string(repo().join("scenarios/al-asad-2020-defended.toml")).unwrap();
    let cut = text.find("[[fire_unit]]").unwrap();
    let path = d.join("no-fire-units.toml");
    fs::write(&path, &text[..cut]).unwrap();
    let o = rampart(&["validate", s(&path)]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("warning: interceptor type `PAC-3-like` is fired by no"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("4 warning(s)"));
    let o = rampart(&["validate", "--deny-warnings", s(&path)]);
    assert!(!o.status.success());
    let o = rampart(&["run", s(&path), "--out", s(&d.join("out"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(d.join("out/summary.json")).unwrap()).unwrap();
    let w = summary["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 4);
    assert_eq!(w[0]["kind"], "undefended_asset");
    assert!(w[0]["line"].as_u64().unwrap() > 0);
    fs::remove_dir_all(&d).unwrap();
}

#[cfg(unix)]
#[test]
fn endless_inputs_are_refused_at_once() {
    let start = Instant::now();
    let o = rampart(&["validate", "/dev/zero"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("device"), "{}", stderr(&o));
    // `report` of a folder whose scenario copy is a link to an endless file.
    let d = tmp("report-zero");
    let o = rampart(&["run", "scenarios/tutorial.toml", "--out", s(&d)]);
    assert!(o.status.success());
    fs::remove_file(d.join("scenario.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("scenario.toml")).unwrap();
    let o = rampart(&["report", s(&d)]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("device"), "{}", stderr(&o));
    assert!(start.elapsed() < Duration::from_secs(60));
    fs::remove_dir_all(&d).unwrap();
}
