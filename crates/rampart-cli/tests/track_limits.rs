//! `rampart track` at its limits (issue "hardening"): inputs that once aborted, ran for minutes
//! or panicked. Each test failed before the fix: a dense assignment matrix of 160 GB, a truth
//! lookup quadratic in targets with a dense GOSPA matrix of 20,000², hostile settings that
//! were accepted or named no key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "rampart-track-limits-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the rampart binary runs")
}

/// Runs `rampart` with its address space capped at `limit_mb` megabytes where the platform
/// lets a shell do it (Linux), so a run that tries to allocate more fails the test rather
/// than the machine.
fn rampart_capped(limit_mb: u64, args: &[&str]) -> Output {
    if cfg!(target_os = "linux") && Path::new("/bin/sh").exists() {
        Command::new("/bin/sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {} && exec \"$0\" \"$@\"",
                limit_mb * 1024
            ))
            .arg(env!("CARGO_BIN_EXE_rampart"))
            .args(args)
            .current_dir(repo())
            .output()
            .expect("sh runs")
    } else {
        rampart(args)
    }
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn config(dir: &Path, association: &str) -> PathBuf {
    let text = fs::read_to_string(repo().join("scenarios/tracking/tracker.toml"))
        .unwrap()
        .replace("method = \"gnn\"", &format!("method = \"{association}\""));
    let p = dir.join(format!("{association}.toml"));
    fs::write(&p, text).unwrap();
    p
}

/// Two scans of 100,000 detections 100 m apart on a line: with σ = 50 m and a 500 m/s
/// velocity prior every track gates about 40 detections and all of them form one cluster of
/// 100,000 tracks. The dense k × (m + k) matrix of that cluster (160 GB) aborted the run; the
/// sparse solver needs memory in proportion to the 4 million gated pairs. Both associators
/// finish under a 3 GB address-space cap with one track per detection.
#[test]
fn two_scans_of_100000_detections_100_m_apart() {
    let dir = tmp("line");
    let mut text = String::from("t,x,y,z\n");
    for t in 0..2 {
        for i in 0..100_000 {
            writeln!(text, "{t},{},0,0", i * 100).unwrap();
        }
    }
    let det = dir.join("detections.csv");
    fs::write(&det, text).unwrap();
    for association in ["gnn", "jpda"] {
        let out = dir.join(format!("tracks-{association}.csv"));
        let run = rampart_capped(
            3000,
            &[
                "track",
                "--detections",
                s(&det),
                "--config",
                s(&config(&dir, association)),
                "--out",
                s(&out),
            ],
        );
        ok(&run);
        let tracks = fs::read_to_string(&out).unwrap();
        let rows: Vec<&str> = tracks.lines().skip(1).collect();
        // 2-of-3 confirmation: every track is confirmed by its second detection, at t = 1.
        assert_eq!(rows.len(), 100_000, "{association}");
        assert!(rows.iter().all(|r| r.starts_with("1,")), "{association}");
    }
    let _ = fs::remove_dir_all(dir);
}

/// 20,000 targets 10 km apart at 100 m/s, seen exactly every second for four scans, with
/// truth given only at the first and last scans (interpolated between). Matching truth to a
/// scan was quadratic in targets and GOSPA built a dense 20,000 × 20,000 matrix; both are now
/// linear in the targets (and the close pairs). The scores are exact.
#[test]
fn truth_for_20000_targets() {
    let dir = tmp("truth");
    let n = 20_000;
    let side = 142; // targets on a 142 × 142 grid (the last row partly filled)
    let pos = |id: usize, t: f64| {
        let (i, j) = (id % side, id / side);
        (
            10_000.0 * i as f64 + 100.0 * t,
            10_000.0 * j as f64,
            5_000.0,
        )
    };
    let mut det = String::from("t,x,y,z\n");
    let mut truth = String::from("t,target_id,x,y,z,vx,vy,vz\n");
    for t in 0..4 {
        for id in 0..n {
            let (x, y, z) = pos(id, t as f64);
            writeln!(det, "{t},{x},{y},{z}").unwrap();
            if t == 0 || t == 3 {
                writeln!(truth, "{t},{id},{x},{y},{z},100,0,0").unwrap();
            }
        }
    }
    fs::write(dir.join("det.csv"), det).unwrap();
    fs::write(dir.join("truth.csv"), truth).unwrap();
    let run = rampart_capped(
        3000,
        &[
            "track",
            "--detections",
            s(&dir.join("det.csv")),
            "--config",
            s(&config(&dir, "gnn")),
            "--out",
            s(&dir.join("tracks.csv")),
            "--truth",
            s(&dir.join("truth.csv")),
            "--metrics",
            s(&dir.join("metrics.json")),
        ],
    );
    ok(&run);
    let m: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(m["tracks"]["truths"], n);
    assert_eq!(m["tracks"]["confirmed"], n);
    assert_eq!(m["tracks"]["scans"], 4);
    // Scan 0 has no confirmed track: every truth missed there, and found in the three others.
    assert_eq!(m["gospa"]["total_missed"], n);
    assert_eq!(m["gospa"]["total_false"], 0);
    assert_eq!(m["continuity"]["id_switches"], 0);
    assert_eq!(m["continuity"]["completeness"], 0.75);
    assert!(m["rmse"]["position_m"].as_f64().unwrap() < 1.0, "{m}");
    let _ = fs::remove_dir_all(dir);
}

/// Every hostile value in `tracker.toml` is refused with the file and the key named, and
/// nothing panics.
#[test]
fn hostile_tracker_settings_name_their_key() {
    let dir = tmp("toml");
    let base = one_point_example();
    let det = dir.join("det.csv");
    fs::write(&det, "t,x,y,z\n0,0,0,0\n1,10,0,0\n").unwrap();
    // (line to replace, replacement, key expected in the message)
    let cases: &[(&str, &str, &str)] = &[
        ("pd = 0.9", "pd = 0.0", "detection.pd"),
        ("pd = 0.9", "pd = 1.5", "detection.pd"),
        ("pd = 0.9", "pd = nan", "detection.pd"),
        ("pd = 0.9", "pd = -0.1", "detection.pd"),
        (
            "gate_probability = 0.999",
            "gate_probability = 1.0",
            "association.gate_probability",
        ),
        (
            "gate_probability = 0.999",
            "gate_probability = 0.0",
            "association.gate_probability",
        ),
        (
            "gate_probability = 0.999",
            "gate_probability = nan",
            "association.gate_probability",
        ),
        ("sigma = \"50 m\"", "sigma = \"-50 m\"", "measurement.sigma"),
        ("sigma = \"50 m\"", "sigma = \"nan m\"", "measurement.sigma"),
        ("sigma = \"50 m\"", "sigma = \"inf m\"", "measurement.sigma"),
        (
            "sigma = \"50 m\"",
            "sigma = \"1e200 m\"",
            "measurement.sigma",
        ),
        ("sigma = \"50 m\"", "sigma = \"0 m\"", "measurement.sigma"),
        (
            "clutter_density = 1.3e-14",
            "clutter_density = -1.0",
            "detection.clutter_density",
        ),
        (
            "clutter_density = 1.3e-14",
            "clutter_density = inf",
            "detection.clutter_density",
        ),
        ("m = 2 ", "m = 4 ", "initiation.m"),
        ("m = 2 ", "m = 0 ", "initiation.m"),
        ("n = 3", "n = 0", "initiation.n"),
        (
            "velocity_sigma = \"500 m/s\"",
            "velocity_sigma = \"0 m/s\"",
            "initiation.velocity_sigma",
        ),
        (
            "velocity_sigma = \"500 m/s\"",
            "velocity_sigma = \"-inf m/s\"",
            "initiation.velocity_sigma",
        ),
        ("max_misses = 3", "max_misses = 0", "deletion.max_misses"),
        (
            "max_position_sigma = \"10 km\"",
            "max_position_sigma = \"-5 m\"",
            "deletion.max_position_sigma",
        ),
        (
            "max_position_sigma = \"10 km\"",
            "max_position_sigma = \"nan m\"",
            "deletion.max_position_sigma",
        ),
        ("q = \"1 m^2/s^3\"", "q = \"-1 m^2/s^3\"", "motion.q"),
        ("q = \"1 m^2/s^3\"", "q = \"nan m^2/s^3\"", "motion.q"),
        ("p = 2.0", "p = 0.5", "metrics.p"),
        ("c = \"1 km\"", "c = \"0 km\"", "metrics.c"),
        ("alpha = 2.0", "alpha = 3.0", "metrics.alpha"),
        (
            "method = \"one-point\"",
            "method = \"velocity-gated\"\nmax_speed = \"-1 m/s\"",
            "initiation.max_speed",
        ),
        (
            "model = \"cv\"",
            "model = \"singer\"\nsigma_a = \"5 m/s^2\"\ntau = \"0 s\"",
            "motion.tau",
        ),
        ("model = \"cv\"", "model = \"warp\"", "model"),
        ("n = 3", "n = -3", "n"),
    ];
    for (k, &(from, to, key)) in cases.iter().enumerate() {
        assert!(base.contains(from), "case {k}: `{from}` not in the example");
        let cfg = dir.join(format!("bad{k}.toml"));
        fs::write(&cfg, base.replacen(from, to, 1)).unwrap();
        let out = rampart(&[
            "track",
            "--detections",
            s(&det),
            "--config",
            s(&cfg),
            "--out",
            s(&dir.join("tracks.csv")),
        ]);
        let err = stderr(&out);
        assert!(!out.status.success(), "case {k} ({to}) was accepted");
        assert!(
            err.contains(&format!("bad{k}.toml")) && err.contains(key) && !err.contains("panicked"),
            "case {k} ({to}): {err}"
        );
        assert!(!dir.join("tracks.csv").exists(), "case {k}: tracks written");
    }
    let _ = fs::remove_dir_all(dir);
}

/// A bad row anywhere in the detections — after good scans too — is an error naming the file,
/// line and column, never a panic, and leaves no half-written tracks file.
#[test]
fn bad_detection_rows_name_the_row() {
    let dir = tmp("rows");
    let cfg = repo().join("scenarios/tracking/tracker.toml");
    let good = "t,x,y,z\n0,0,0,0\n0,5000,0,0\n1,10,0,0\n1,5010,0,0\n2,20,0,0\n";
    let cases: &[(&str, &str, &str)] = &[
        ("3,nan,0,0\n", "det.csv:7:2", "not a finite number"),
        ("3,0,inf,0\n", "det.csv:7:3", "not a finite number"),
        ("3,0,0,1e999\n", "det.csv:7:4", "not a finite number"),
        ("3,0,0,abc\n", "det.csv:7:4", "not a number"),
        ("1.5,0,0,0\n", "det.csv:7:1", "sorted by time"),
        ("3,0,0\n", "det.csv:7", "expected 4 fields"),
        ("-inf,0,0,0\n", "det.csv:7:1", "not a finite number"),
    ];
    for (k, &(row, at, what)) in cases.iter().enumerate() {
        let det = dir.join("det.csv");
        fs::write(&det, format!("{good}{row}")).unwrap();
        let tracks = dir.join("tracks.csv");
        let out = rampart(&[
            "track",
            "--detections",
            s(&det),
            "--config",
            s(&cfg),
            "--out",
            s(&tracks),
        ]);
        let err = stderr(&out);
        assert!(!out.status.success(), "case {k} accepted");
        assert!(
            err.contains(at) && err.contains(what) && !err.contains("panicked"),
            "case {k}: {err}"
        );
        assert!(!tracks.exists(), "case {k}: a partial tracks file was left");
    }
    let _ = fs::remove_dir_all(dir);
}

/// The tracker file is read by the scenario loader's readers: an unknown key, a number
/// without its unit, a unit of the wrong dimension and a key the chosen method does not use
/// are each refused with the file, line and column of the offending text, and a snippet.
#[test]
fn tracker_file_errors_name_line_and_column() {
    let dir = tmp("located");
    let base = one_point_example();
    let det = dir.join("det.csv");
    fs::write(&det, "t,x,y,z\n0,0,0,0\n1,10,0,0\n").unwrap();
    // (text to replace, replacement, where the error points, what it says)
    let cases: &[(&str, &str, (usize, usize), &str)] = &[
        ("n = 3", "nn = 3", (0, 1), "unknown key `nn`"),
        (
            "sigma = \"50 m\"",
            "sigma = 50",
            (0, 9),
            "measurement.sigma needs a unit",
        ),
        (
            "velocity_sigma = \"500 m/s\"",
            "velocity_sigma = \"500 m\"",
            (0, 18),
            "expected a speed",
        ),
        (
            "method = \"one-point\"",
            "method = \"velocity-gated\"",
            (0, 18),
            "does not apply to initiation method `velocity-gated`",
        ),
    ];
    for (k, &(from, to, (_, col), what)) in cases.iter().enumerate() {
        assert!(base.contains(from), "case {k}: `{from}` not in the example");
        let text = base.replacen(from, to, 1);
        // The line of the replacement, or for the last case the line of `velocity_sigma`.
        let needle = if k == 3 { "velocity_sigma" } else { to };
        let line = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let cfg = dir.join(format!("bad{k}.toml"));
        fs::write(&cfg, text).unwrap();
        let out = rampart(&[
            "track",
            "--detections",
            s(&det),
            "--config",
            s(&cfg),
            "--out",
            s(&dir.join("tracks.csv")),
        ]);
        let err = stderr(&out);
        assert!(!out.status.success(), "case {k} ({to}) was accepted");
        assert!(
            err.contains(&format!("bad{k}.toml:{line}:{col}")) && err.contains(what),
            "case {k} ({to}): {err}"
        );
        assert!(
            err.contains(&format!("{line} | ")),
            "case {k}: no snippet: {err}"
        );
    }
    let _ = fs::remove_dir_all(dir);
}

/// `rampart track` runs the simulator's radar tracker model too: `model = "imm"` (constant
/// velocity and ballistic modes) holds the two targets of the example as the `cv` model does:
/// each held on all but its first scan, by one track, within 100 m.
#[test]
fn the_imm_motion_model_tracks_the_example() {
    let dir = tmp("imm");
    let base = one_point_example();
    let cfg = dir.join("imm.toml");
    fs::write(
        &cfg,
        base.replacen("model = \"cv\"", "model = \"imm\"", 1)
            .replacen(
                "q = \"1 m^2/s^3\"",
                "q = \"1 m^2/s^3\"\nq_ballistic = \"1 m^2/s^3\"",
                1,
            ),
    )
    .unwrap();
    let tracks = dir.join("tracks.csv");
    let metrics = dir.join("metrics.json");
    let run = rampart(&[
        "track",
        "--detections",
        "scenarios/tracking/two-targets-detections.csv",
        "--config",
        s(&cfg),
        "--out",
        s(&tracks),
        "--truth",
        "scenarios/tracking/two-targets-truth.csv",
        "--metrics",
        s(&metrics),
    ]);
    ok(&run);
    let m: Value = serde_json::from_str(&fs::read_to_string(&metrics).unwrap()).unwrap();
    assert_eq!(m["continuity"]["associated_truth_scans"], 60, "{m}");
    assert_eq!(m["continuity"]["id_switches"], 0, "{m}");
    assert_eq!(m["continuity"]["fragmentations"], 0, "{m}");
    assert!(m["rmse"]["position_m"].as_f64().unwrap() < 100.0, "{m}");
    let _ = fs::remove_dir_all(dir);
}

/// The example `tracker.toml` with one-point starts (a velocity prior of 500 m/s) in place of
/// its velocity-gated ones: the cases above change the one-point keys.
fn one_point_example() -> String {
    let text = fs::read_to_string(repo().join("scenarios/tracking/tracker.toml")).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("method = \"velocity-gated\"") {
            out.push_str("velocity_sigma = \"500 m/s\"  # velocity prior of a one-point start\n");
            out.push_str("method = \"one-point\"\n");
        } else if !line.starts_with("max_speed") {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(
        out.contains("method = \"one-point\""),
        "the example's initiation changed"
    );
    out
}
