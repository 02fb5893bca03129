//! The `rampart` command as a user runs it.

mod common;

use common::{rampart, rampart_ok, repo};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rampart-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn every_shipped_scenario_validates() {
    for entry in std::fs::read_dir(repo().join("scenarios")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            let out = rampart(&["validate", p.to_str().unwrap()]);
            assert!(
                out.status.success(),
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));
        }
    }
}

/// issue 2: `run` writes events.jsonl and summary.json with the documented keys, and the same
/// seed gives a byte-identical event log while another seed does not.
#[test]
fn run_writes_the_documented_outputs_and_is_deterministic() {
    let a = tmp("a");
    let b = tmp("b");
    let c = tmp("c");
    let scenario = "scenarios/al-asad-2020.toml";
    for (dir, seed) in [(&a, "5"), (&b, "5"), (&c, "6")] {
        let out = rampart_ok(&[
            "run",
            scenario,
            "--out",
            dir.to_str().unwrap(),
            "--seed",
            seed,
        ]);
        let table = String::from_utf8_lossy(&out.stdout);
        assert!(
            table.contains("R1-1") && table.contains("Fateh-313") && table.contains("launched"),
            "{table}"
        );
    }
    let ea = std::fs::read(a.join("events.jsonl")).unwrap();
    assert_eq!(
        ea,
        std::fs::read(b.join("events.jsonl")).unwrap(),
        "same seed, different log"
    );
    assert_ne!(
        ea,
        std::fs::read(c.join("events.jsonl")).unwrap(),
        "another seed, same log"
    );

    let mut kinds = std::collections::BTreeSet::new();
    for line in String::from_utf8(ea).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["t_ns"].is_i64() && v["t"].is_f64(), "{line}");
        let kind = v["kind"].as_str().unwrap().to_string();
        if kind == "impact" {
            for k in ["threat", "lat", "lon", "miss_m", "asset"] {
                assert!(v.get(k).is_some(), "impact without {k}: {line}");
            }
        }
        kinds.insert(kind);
    }
    for k in ["launch", "burnout", "apogee", "impact"] {
        assert!(kinds.contains(k), "no {k} event in {kinds:?}");
    }

    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["seed"], 5);
    assert!(s["scenario"].is_string());
    let threats = s["threats"].as_array().unwrap();
    assert_eq!(threats.len(), 15);
    for t in threats {
        for k in [
            "id",
            "type",
            "launch_t",
            "impact_t",
            "apogee_m",
            "max_speed_mps",
            "impact",
            "aim",
            "miss_m",
            "asset_hit",
            "outcome",
        ] {
            assert!(t.get(k).is_some(), "threat without {k}: {t}");
        }
        let outcome = t["outcome"].as_str().unwrap();
        assert!(outcome == "impact" || outcome == "failed", "{outcome}");
        if outcome == "impact" {
            // Aim error is 30 m CEP: an impact further than 200 m (6.8 CEP) off is a bug.
            assert!(t["miss_m"].as_f64().unwrap() < 200.0, "{t}");
        }
    }
    let totals = &s["totals"];
    assert_eq!(totals["launched"], 15);
    let impacted = totals["impacted"].as_u64().unwrap();
    let failed = totals["failed"].as_u64().unwrap();
    assert_eq!(impacted + failed, 15);
    let hits: u64 = s["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["hits"].as_u64().unwrap())
        .sum();
    assert_eq!(hits, totals["asset_hits"].as_u64().unwrap());
    for d in [a, b, c] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Bad input exits non-zero with the file, line and column and a snippet; never a panic.
#[test]
fn a_bad_scenario_is_reported_with_file_line_and_column() {
    let dir = tmp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    let good = std::fs::read_to_string(repo().join("scenarios/tutorial.toml")).unwrap();
    std::fs::write(&bad, good.replace("radius = \"400 m\"", "radius = 400")).unwrap();
    for cmd in ["validate", "run"] {
        let out = rampart(&[cmd, bad.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bad.toml:"), "{err}");
        assert!(err.contains("radius"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let missing = rampart(&["validate", "no/such/file.toml"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.toml"));
    let _ = std::fs::remove_dir_all(dir);
}

/// issue 3: detections stay out of the log by default; `--log-detections` writes `scan` and
/// `detection` events with the documented fields, `--detections-csv` the documented CSV, and
/// the summary holds first detections and per-radar counts.
#[test]
fn detections_on_request_as_events_and_csv() {
    let quiet = tmp("quiet");
    let loud = tmp("loud");
    let scenario = "scenarios/al-asad-2020.toml";
    rampart_ok(&["run", scenario, "--out", quiet.to_str().unwrap()]);
    let log = std::fs::read_to_string(quiet.join("events.jsonl")).unwrap();
    assert!(!log.contains("\"kind\":\"detection\"") && !log.contains("\"kind\":\"scan\""));

    let csv = loud.join("detections.csv");
    std::fs::create_dir_all(&loud).unwrap();
    rampart_ok(&[
        "run",
        scenario,
        "--out",
        loud.to_str().unwrap(),
        "--log-detections",
        "--detections-csv",
        csv.to_str().unwrap(),
        "--tracks-csv",
        loud.join("tracks.csv").to_str().unwrap(),
    ]);
    let log = std::fs::read_to_string(loud.join("events.jsonl")).unwrap();
    let mut true_dets = 0;
    let mut false_dets = 0;
    for line in log.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["kind"] == "detection" {
            for k in [
                "radar",
                "range_m",
                "azimuth_rad",
                "elevation_rad",
                "range_rate_mps",
                "snr_db",
                "truth",
            ] {
                assert!(v.get(k).is_some(), "detection without {k}: {line}");
            }
            if v["truth"].is_null() {
                false_dets += 1
            } else {
                true_dets += 1
            }
        }
    }
    assert!(true_dets > 0 && false_dets > 0);

    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("t,radar,range_m,azimuth_rad,elevation_rad,range_rate_mps,snr_db,truth_id")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), true_dets + false_dets);
    assert!(rows.iter().any(|r| r.ends_with(",R1-1")));

    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(loud.join("summary.json")).unwrap()).unwrap();
    let radar = &s["radars"][0];
    assert_eq!(radar["name"], "Patriot-class radar");
    assert_eq!(radar["detections"].as_u64().unwrap(), true_dets as u64);
    assert_eq!(radar["false_alarms"].as_u64().unwrap(), false_dets as u64);
    // issue 4: the radar's tracker confirmed tracks, reported as events, CSV and summary.
    let initiated = log
        .lines()
        .filter(|l| l.contains("\"kind\":\"track_initiated\""))
        .count() as u64;
    assert!(initiated > 0);
    assert_eq!(radar["tracks_initiated"].as_u64().unwrap(), initiated);
    assert!(radar["mean_gospa_m"].as_f64().unwrap() < 1_000.0);
    let tracks = std::fs::read_to_string(loud.join("tracks.csv")).unwrap();
    let mut lines = tracks.lines();
    assert_eq!(
        lines.next(),
        Some("t,radar,track_id,east_m,north_m,up_m,v_east_mps,v_north_mps,v_up_mps")
    );
    assert!(
        lines.count() as u64 >= 3 * initiated,
        "every track reported on every scan it lived"
    );
    let first = &s["threats"][0]["first_detection"][0];
    assert_eq!(first["radar"], "Patriot-class radar");
    assert!(first["t"].as_f64().unwrap() > 0.0 && first["range_m"].as_f64().unwrap() > 10_000.0);
    for d in [quiet, loud] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// issue 4: `rampart track` reads detections, writes confirmed tracks sorted by time then id,
/// and scores them against truth; bad CSV and config input is reported with file and line.
#[test]
fn track_command_tracks_and_scores() {
    let dir = tmp("track");
    std::fs::create_dir_all(&dir).unwrap();
    // Three targets on straight lines, every scan detected, no clutter: a clean case whose
    // tracks must all be found and kept.
    let mut det = String::from("t,x,y,z\n");
    let mut truth = String::from("t,target_id,x,y,z,vx,vy,vz\n");
    for k in 0..30 {
        let t = k as f64;
        for (id, (x0, vx)) in [(0.0, 200.0), (20_000.0, -150.0), (40_000.0, 100.0)]
            .iter()
            .enumerate()
        {
            let (x, y, z) = (x0 + vx * t, 5_000.0 * id as f64, 3_000.0);
            // Deterministic small "noise": ±30 m.
            let n = ((k * 7 + id * 3) % 5) as f64 * 15.0 - 30.0;
            det += &format!("{t},{},{},{}\n", x + n, y - n, z + n / 2.0);
            truth += &format!("{t},{id},{x},{y},{z},{vx},0,0\n");
        }
    }
    std::fs::write(dir.join("detections.csv"), det).unwrap();
    std::fs::write(dir.join("truth.csv"), truth).unwrap();
    let config = repo().join("scenarios/tracking/tracker.toml");
    rampart_ok(&[
        "track",
        "--detections",
        dir.join("detections.csv").to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--out",
        dir.join("tracks.csv").to_str().unwrap(),
        "--truth",
        dir.join("truth.csv").to_str().unwrap(),
        "--metrics",
        dir.join("metrics.json").to_str().unwrap(),
    ]);
    let tracks = std::fs::read_to_string(dir.join("tracks.csv")).unwrap();
    let mut lines = tracks.lines();
    assert_eq!(lines.next(), Some("t,track_id,x,y,z,vx,vy,vz"));
    let rows: Vec<(f64, u64)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].parse().unwrap(), f[1].parse().unwrap())
        })
        .collect();
    assert!(
        rows.windows(2).all(|w| w[0] <= w[1]),
        "sorted by time then id"
    );
    let ids: std::collections::BTreeSet<u64> = rows.iter().map(|r| r.1).collect();
    assert_eq!(ids.len(), 3, "one track per target, ids kept: {ids:?}");
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap();
    assert!(m["gospa"]["mean_distance"].as_f64().unwrap() < 300.0, "{m}");
    assert!(m["rmse"]["position_m"].as_f64().unwrap() < 60.0, "{m}");
    assert_eq!(m["continuity"]["id_switches"], 0);
    assert_eq!(m["tracks"]["confirmed"], 3);
    // The one-line summary on success.
    let out = rampart_ok(&[
        "track",
        "--detections",
        dir.join("detections.csv").to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--out",
        dir.join("tracks.csv").to_str().unwrap(),
        "--truth",
        dir.join("truth.csv").to_str().unwrap(),
        "--metrics",
        dir.join("metrics.json").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tracked 30 scans of 90 detections: 3 tracks confirmed")
            && err.contains("mean GOSPA")
            && err.contains("against 3 true targets"),
        "{err}"
    );

    // A radar's polar detections, as `run --detections-csv` writes them, are refused with
    // what to do instead.
    std::fs::write(
        dir.join("polar.csv"),
        "t,radar,range_m,azimuth_rad,elevation_rad,range_rate_mps,snr_db,truth_id\n\
         2,R,1000,0.1,0.2,-5,14,\n",
    )
    .unwrap();
    let out = rampart(&[
        "track",
        "--detections",
        dir.join("polar.csv").to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--out",
        dir.join("t4.csv").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("polar.csv: these are radar detections") && err.contains("--scenario"),
        "{err}"
    );
    assert!(!dir.join("t4.csv").exists());

    // With --scenario, a run's own detections replayed through its radars' trackers give the
    // run's tracks, each with its latitude, longitude and height.
    rampart_ok(&[
        "run",
        "scenarios/tutorial.toml",
        "--out",
        dir.join("run").to_str().unwrap(),
        "--detections-csv",
        dir.join("run-detections.csv").to_str().unwrap(),
        "--tracks-csv",
        dir.join("run-tracks.csv").to_str().unwrap(),
    ]);
    let out = rampart_ok(&[
        "track",
        "--detections",
        dir.join("run-detections.csv").to_str().unwrap(),
        "--scenario",
        "scenarios/tutorial.toml",
        "--out",
        dir.join("replayed.csv").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("replayed 156 scans") && err.contains("1 tracks confirmed"),
        "{err}"
    );
    let read = |name: &str| -> Vec<Vec<String>> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let (run_tracks, replayed) = (read("run-tracks.csv"), read("replayed.csv"));
    assert_eq!(replayed[0][9..], ["lat", "lon", "alt_m"]);
    assert_eq!(replayed[0][..9], run_tracks[0][..]);
    assert!(run_tracks.len() > 10);
    for (a, b) in run_tracks.iter().zip(&replayed) {
        assert_eq!(a[..], b[..9]);
    }
    assert_eq!(run_tracks.len(), replayed.len());
    // The tutorial's target flies near 34° N, 44° E.
    let lat: f64 = replayed[1][9].parse().unwrap();
    assert!((30.0..40.0).contains(&lat), "{lat}");
    // A detection at no scan time of its radar is refused with its line.
    let mut text = std::fs::read_to_string(dir.join("run-detections.csv")).unwrap();
    let second = text.lines().nth(1).unwrap().to_string();
    let shifted = second.replacen(',', ".5,", 1);
    text = text.replacen(&second, &shifted, 1);
    std::fs::write(dir.join("off-schedule.csv"), text).unwrap();
    let out = rampart(&[
        "track",
        "--detections",
        dir.join("off-schedule.csv").to_str().unwrap(),
        "--scenario",
        "scenarios/tutorial.toml",
        "--out",
        dir.join("t5.csv").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("off-schedule.csv:2: column `t`") && err.contains("not a scan time"),
        "{err}"
    );

    // The ballistic sample, with its configuration: one track per missile.
    let out = rampart_ok(&[
        "track",
        "--detections",
        "scenarios/tracking/ballistic-detections.csv",
        "--truth",
        "scenarios/tracking/ballistic-truth.csv",
        "--config",
        "scenarios/tracking/ballistic-tracker.toml",
        "--out",
        dir.join("ballistic-tracks.csv").to_str().unwrap(),
        "--metrics",
        dir.join("ballistic-metrics.json").to_str().unwrap(),
    ]);
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ballistic-metrics.json")).unwrap())
            .unwrap();
    assert_eq!(m["tracks"]["truths"], 5, "{m}");
    assert_eq!(m["tracks"]["confirmed"], 5, "{m}");
    assert_eq!(m["continuity"]["id_switches"], 0, "{m}");
    assert_eq!(m["continuity"]["fragmentations"], 0, "{m}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("5 tracks confirmed"));

    // Bad input: each names the file and where.
    std::fs::write(dir.join("bad.csv"), "t,x,y,z\n0,1,2,3\n1,x,2,3\n").unwrap();
    let out = rampart(&[
        "track",
        "--detections",
        dir.join("bad.csv").to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--out",
        dir.join("t2.csv").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv:3:2") && err.contains("not a number"),
        "{err}"
    );
    std::fs::write(dir.join("bad.toml"), "[motion]\nmodel = \"cv\"\nqq = 1.0\n").unwrap();
    let out = rampart(&[
        "track",
        "--detections",
        dir.join("detections.csv").to_str().unwrap(),
        "--config",
        dir.join("bad.toml").to_str().unwrap(),
        "--out",
        dir.join("t3.csv").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:3:1") && err.contains("qq"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

/// issue 5: a defended run prints who was intercepted and who leaked, each fire unit's
/// interceptors, and writes the defense's events and summary keys.
#[test]
fn a_defended_run_reports_intercepts_leaks_and_fire_units() {
    let dir = tmp("saturation");
    let out = rampart_ok(&[
        "run",
        "scenarios/saturation.toml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("intercepted by "), "{table}");
    assert!(table.contains(" leaked"), "{table}");
    assert!(table.contains("interceptors launched"), "{table}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let totals = &summary["totals"];
    let intercepted = totals["intercepted"].as_u64().unwrap();
    let leaked = totals["leaked"].as_u64().unwrap();
    assert!(intercepted > 0 && leaked > 0, "{totals}");
    let units = summary["fire_units"].as_array().unwrap();
    assert!(!units.is_empty());
    let launched: u64 = units
        .iter()
        .map(|u| u["interceptors_launched"].as_u64().unwrap())
        .sum();
    assert_eq!(launched, totals["interceptors_launched"].as_u64().unwrap());
    // The raid outnumbers the inventory: some unit ends empty.
    assert!(
        units.iter().any(|u| u["interceptors_left"] == 0),
        "{units:?}"
    );
    let n_intercepted = summary["threats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["outcome"] == "intercepted")
        .inspect(|t| assert!(t["intercept"]["interceptor"].is_string()))
        .count() as u64;
    assert_eq!(n_intercepted, intercepted);
    let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    for kind in [
        "threat_evaluated",
        "engagement_planned",
        "intercept",
        "kill_assessed",
        "leak",
    ] {
        assert!(
            events.contains(&format!("\"kind\":\"{kind}\"")),
            "no {kind} event"
        );
    }
    assert!(events.contains("\"kind\":\"launch\",\"interceptor\""));
}

/// issue 7: `clock-drift` prints the legacy clock's time error and range-gate shift, and a
/// Dhahran run prints the gate's offset and loses the Scud unless the clock is exact.
#[test]
fn clock_drift_and_the_dhahran_run() {
    let out = rampart(&["clock-drift", "--uptime", "100h", "--speed", "2000"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("0.3433 s") && text.contains("687 m"),
        "{text}"
    );
    let bad = rampart(&["clock-drift", "--uptime", "100 parsecs", "--speed", "2000"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--uptime"));

    let dir = tmp("dhahran");
    let legacy = rampart(&[
        "run",
        "scenarios/dhahran-1991.toml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&legacy.stdout);
    assert!(
        text.contains("clock legacy-24bit, uptime 100.0 h"),
        "{text}"
    );
    assert!(text.contains("range-gate offset"), "{text}");
    assert!(text.contains("0 intercepted"), "{text}");
    let exact = rampart(&[
        "run",
        "scenarios/dhahran-1991.toml",
        "--clock",
        "exact",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&exact.stdout);
    assert!(text.contains("clock exact"), "{text}");
    assert!(text.contains("1 engagements"), "{text}");
}

/// `rampart mc` writes summary.json (every statistic with mean, ci_low, ci_high, n) and one
/// replications.csv row per replication; `rampart run --replication k` reruns row k alone.
#[test]
fn mc_writes_statistics_and_replication_k_reruns_alone() {
    let dir = tmp("mc");
    let scenario = "scenarios/al-asad-2020-defended.toml";
    let out = rampart_ok(&[
        "mc",
        scenario,
        "--runs",
        "4",
        "--threads",
        "2",
        "--seed",
        "9",
        "--out",
        dir.to_str().unwrap(),
    ]);
    // Not a terminal: no progress bar; stderr holds the scenario's one warning (Erbil is
    // defended by no fire unit) and nothing else.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("warning: asset `Erbil Air Base` is defended by no fire unit")
            && err.matches("warning:").count() == 1
            && !err.contains('\r'),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("P(no leaker)"));
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["runs"], 4);
    assert_eq!(summary["seed"], 9);
    for stat in [
        &summary["assets"][0]["p_hit"],
        &summary["assets"][0]["hits"],
        &summary["leakers"]["p_zero"],
        &summary["leakers"]["mean"],
        &summary["interceptors_launched"]["mean"],
        &summary["threat_types"][0]["p_kill"],
        &summary["intercept_altitude_m"]["mean"],
        &summary["intercept_ground_range_m"]["mean"],
    ] {
        for key in ["mean", "ci_low", "ci_high", "n"] {
            assert!(!stat[key].is_null(), "{key} missing in {stat}");
        }
    }
    let csv = std::fs::read_to_string(dir.join("replications.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 5);
    // One impacts.csv row per impact, as many as the replications' `impacted` column.
    let impacts = std::fs::read_to_string(dir.join("impacts.csv")).unwrap();
    let impacted: usize = rows[1..]
        .iter()
        .map(|r| {
            r[rows[0].iter().position(|h| *h == "impacted").unwrap()]
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(impacts.lines().count(), impacted + 1);
    assert!(impacts.starts_with("replication,threat,lat,lon,asset_hit"));
    assert_report_regenerates(&dir, &["montecarlo", "map"]);
    assert_eq!(&rows[0][..3], ["replication", "seed", "leakers"]);
    let col = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();
    // Replication 2 alone gives the same totals.
    let one = tmp("mc-one");
    let out = rampart(&[
        "run",
        scenario,
        "--seed",
        "9",
        "--replication",
        "2",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(one.join("summary.json")).unwrap()).unwrap();
    let row = &rows[3];
    assert_eq!(row[0], "2");
    assert_eq!(row[col("leakers")], s["totals"]["leaked"].to_string());
    assert_eq!(
        row[col("interceptors_launched")],
        s["totals"]["interceptors_launched"].to_string()
    );
    assert_eq!(
        row[col("intercepted")],
        s["totals"]["intercepted"].to_string()
    );
}

/// `report.html` is in `dir` with each of `sections`, and `rampart report DIR` writes it again
/// byte for byte.
fn assert_report_regenerates(dir: &Path, sections: &[&str]) {
    let first = std::fs::read_to_string(dir.join("report.html")).expect("report.html written");
    for id in ["summary", "parameters"].iter().chain(sections) {
        assert!(
            first.contains(&format!("id=\"{id}\"")),
            "section {id} missing from {}",
            dir.display()
        );
    }
    std::fs::remove_file(dir.join("report.html")).expect("report.html removed");
    rampart_ok(&["report", dir.to_str().expect("a UTF-8 path")]);
    let again = std::fs::read_to_string(dir.join("report.html")).expect("report.html redrawn");
    assert!(first == again, "the regenerated report differs");
}

#[test]
fn run_writes_a_report_that_report_dir_redraws() {
    let dir = tmp("report-run");
    rampart_ok(&[
        "run",
        "scenarios/al-asad-2020-defended.toml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["kind"], "run");
    assert_eq!(m["seed"], 2);
    assert!(m["command"].as_str().unwrap().starts_with("rampart run "));
    assert_report_regenerates(&dir, &["map", "profile", "timeline"]);
    // The clock override is kept: the Dhahran report redraws the legacy-clock run.
    let dh = tmp("report-dhahran");
    rampart_ok(&[
        "run",
        "scenarios/dhahran-1991.toml",
        "--clock",
        "exact",
        "--out",
        dh.to_str().unwrap(),
    ]);
    assert_report_regenerates(&dh, &["map", "timeline"]);
}

#[test]
fn report_of_a_folder_without_a_manifest_is_a_clear_error() {
    let dir = tmp("report-empty");
    std::fs::create_dir_all(&dir).unwrap();
    let out = rampart(&["report", dir.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.json"), "{err}");
}

#[test]
fn sweep_writes_the_grid_and_lists_keys() {
    let dir = tmp("sweep");
    let scenario = "scenarios/al-asad-2020-defended.toml";
    rampart_ok(&[
        "sweep",
        scenario,
        "--vary",
        "fire_unit.Battery-1.launchers.count=1,2",
        "--vary",
        "raid.0.count=2,3,4",
        "--runs",
        "2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let mut r = csv::Reader::from_path(dir.join("grid.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "fire_unit.Battery-1.launchers.count");
    assert_eq!(&header[1], "raid.0.count");
    assert_eq!(&header[2], "runs");
    for stat in [
        "p_hit:Al Asad Air Base",
        "p_zero_leakers",
        "interceptors_launched",
    ] {
        for part in ["mean", "ci_low", "ci_high", "n"] {
            let col = format!("{stat}:{part}");
            assert!(header.iter().any(|h| h == col), "{col} missing");
        }
    }
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    let grid: Vec<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[1])).collect();
    assert_eq!(
        grid,
        [
            ("1", "2"),
            ("1", "3"),
            ("1", "4"),
            ("2", "2"),
            ("2", "3"),
            ("2", "4")
        ]
    );
    assert!(rows.iter().all(|r| r.len() == header.len() && &r[2] == "2"));
    let sweep: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(sweep["points"].as_array().unwrap().len(), 6);
    assert_report_regenerates(&dir, &["sweep", "map"]);

    let out = rampart(&["sweep", scenario, "--list-keys"]);
    assert!(out.status.success());
    let keys = String::from_utf8_lossy(&out.stdout);
    for k in [
        "fire_unit.Battery-1.launchers.0.count",
        "raid.0.count",
        "threat_type.Fateh-313.reliability",
        "radar.Battery-1 radar.range_max",
    ] {
        assert!(keys.contains(k), "{k} not listed");
    }
}

#[test]
fn sweep_errors_name_the_key_and_what_exists() {
    let scenario = "scenarios/al-asad-2020-defended.toml";
    let cases: [(&str, &[&str]); 5] = [
        (
            "fire_unit.Battery-3.channels=1,2",
            &["Battery-3", "Battery-1, Battery-2"],
        ),
        ("raid.0.cout=1", &["no key `cout`", "count"]),
        ("raid.0.count=2.5", &["not an integer"]),
        ("raid.0.count", &["PATH=V1,V2"]),
        (
            "fire_unit.Battery-1.launchers.count=0",
            &["count = 0", "fire_unit.Battery-1.launchers.count=0"],
        ),
    ];
    for (vary, needles) in cases {
        let out = rampart(&[
            "sweep",
            scenario,
            "--vary",
            vary,
            "--runs",
            "1",
            "--out",
            tmp("sweep-bad").to_str().unwrap(),
        ]);
        assert!(!out.status.success(), "{vary} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        for n in needles {
            assert!(err.contains(n), "{vary}: `{n}` not in {err}");
        }
    }
}

/// `--events -` streams the event log on standard output, line for line what the folder's
/// events.jsonl holds, with the table on standard error; the report's paths come from the
/// `entity_state` events, whose interval `--state-interval` sets.
#[test]
fn events_stream_to_standard_output() {
    let dir = tmp("stream");
    let d = dir.to_str().unwrap();
    let out = rampart_ok(&[
        "run",
        "scenarios/tutorial.toml",
        "--out",
        d,
        "--events",
        "-",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let file = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    assert_eq!(stdout, file, "the stream is the log");
    assert!(
        stdout
            .lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok())
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("launched"),
        "the table is on stderr: {stderr}"
    );
    let states = |text: &str| {
        text.lines()
            .filter(|l| l.contains(r#""kind":"entity_state""#))
            .count()
    };
    let at_1s = states(&file);
    assert!(at_1s > 10, "{at_1s} entity states");

    // Twice as often: about twice the states, and the same other events.
    let dir2 = tmp("stream-half");
    let d2 = dir2.to_str().unwrap();
    rampart_ok(&[
        "run",
        "scenarios/tutorial.toml",
        "--out",
        d2,
        "--state-interval",
        "0.5 s",
    ]);
    let file2 = std::fs::read_to_string(dir2.join("events.jsonl")).unwrap();
    let ratio = states(&file2) as f64 / at_1s as f64;
    assert!((1.6..2.1).contains(&ratio), "{ratio}");
    let others = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.contains(r#""kind":"entity_state""#))
            .map(String::from)
            .collect()
    };
    assert_eq!(others(&file), others(&file2));
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir2.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["state_interval_ns"], 500_000_000);
    // The report is redrawn byte for byte at that interval.
    let before = std::fs::read(dir2.join("report.html")).unwrap();
    rampart_ok(&["report", d2]);
    assert_eq!(std::fs::read(dir2.join("report.html")).unwrap(), before);

    for bad in [
        ["--events", "out.jsonl"],
        ["--state-interval", "0 s"],
        ["--state-interval", "3 km"],
    ] {
        let out = rampart(&["run", "scenarios/tutorial.toml", "--out", d, bad[0], bad[1]]);
        assert!(!out.status.success(), "{bad:?} is refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(bad[0]), "{bad:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

/// The networked scenario against itself fought autonomously, in one command: `--set` on `run`,
/// a boolean sweep axis, and each statistic's paired difference from the first point.
#[test]
fn networked_against_autonomous_in_one_command() {
    let scenario = "scenarios/iraq-2020-networked.toml";
    let dir = tmp("net-run");
    let out = rampart_ok(&[
        "run",
        scenario,
        "--set",
        "network.enabled=false",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    // Without the network the Erbil battery fights only on its own radar's tracks.
    assert!(!table.contains("system track"), "{table}");
    let kept = std::fs::read_to_string(dir.join("scenario.toml")).unwrap();
    let kept: toml::Table = kept.parse().unwrap();
    assert_eq!(kept["network"]["enabled"].as_bool(), Some(false));
    // The folder's report is redrawn from the scenario it ran.
    assert_report_regenerates(&dir, &["map"]);
    let out = rampart_ok(&["run", scenario, "--out", tmp("net-run-2").to_str().unwrap()]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("seen by") && table.contains("system track") && table.contains("on remote"),
        "{table}"
    );
    for (set, needle) in [
        ("network.enabled=yes", "not `true` or `false`"),
        ("network.enable=true", "no key `enable`"),
        ("network.enabled", "KEY=VALUE"),
    ] {
        let out = rampart(&["run", scenario, "--set", set]);
        assert!(!out.status.success(), "{set} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{set}: `{needle}` not in {err}");
    }

    let dir = tmp("net-sweep");
    rampart_ok(&[
        "sweep",
        scenario,
        "--vary",
        "network.enabled=false,true",
        "--runs",
        "6",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let mut r = csv::Reader::from_path(dir.join("grid.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!((&rows[0][0], &rows[1][0]), ("false", "true"));
    // The first point differs from itself by nothing; the second's difference is the mean of
    // the paired differences, which is the difference of the means where every replication
    // has a value at both points.
    let d = col("leakers:diff_mean");
    assert_eq!(&rows[0][d], "0");
    let mean = |row: &csv::StringRecord, c: &str| row[col(c)].parse::<f64>().unwrap();
    let want = mean(&rows[1], "leakers:mean") - mean(&rows[0], "leakers:mean");
    assert!((mean(&rows[1], "leakers:diff_mean") - want).abs() < 1e-9);
    assert_eq!(&rows[1][col("leakers:diff_n")], "6");
    assert!(header.iter().any(|h| h == "first_engagement_s:diff_ci_low"));
    assert_report_regenerates(&dir, &["sweep"]);
}

#[test]
fn run_records_the_run_as_dis_in_a_pcap_capture() {
    let dir = tmp("dis");
    let pcap = dir.join("run.pcap");
    let out = rampart_ok(&[
        "run",
        "scenarios/al-asad-2020-defended.toml",
        "--out",
        dir.join("out").to_str().unwrap(),
        "--dis-pcap",
        pcap.to_str().unwrap(),
        "--dis-exercise",
        "9",
        "--asterix-file",
        dir.join("picture.ast").to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("DIS PDUs"), "{stdout}");
    assert!(stdout.contains("ASTERIX data blocks"), "{stdout}");
    // The recording starts with the first radar's first north marker: CAT034, 3 + 1 + 2 + 1 +
    // 3 octets, FSPEC 0xE0 (items 1 to 3), SAC 0, SIC 1, message type 1, and the time of day
    // of the epoch, 22:30:00 UTC, 81,000 s in 1/128 s.
    let ast = std::fs::read(dir.join("picture.ast")).unwrap();
    assert_eq!(ast[..10], [34, 0, 10, 0xE0, 0, 1, 1, 0x9E, 0x34, 0x00]);
    let bytes = std::fs::read(&pcap).unwrap();
    // The libpcap magic number (nanosecond timestamps), little-endian, then Ethernet.
    assert_eq!(bytes[..4], [0x4d, 0x3c, 0xb2, 0xa1]);
    assert_eq!(bytes[20..24], [1, 0, 0, 0]);
    // The first packet's UDP payload is a version 7 Entity State PDU of exercise 9: after the
    // 24-byte file header, the 16-byte record header and 14 + 20 + 8 bytes of Ethernet, IPv4
    // and UDP.
    let pdu = &bytes[24 + 16 + 42..];
    assert_eq!(pdu[..3], [7, 9, 1]);
    // An exercise of 0 is refused before anything runs.
    let bad = rampart(&[
        "run",
        "scenarios/al-asad-2020-defended.toml",
        "--out",
        dir.join("bad").to_str().unwrap(),
        "--dis-pcap",
        pcap.to_str().unwrap(),
        "--dis-exercise",
        "0",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("dis-exercise"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--dis` and `--asterix` send each PDU and data block to UDP listeners on loopback as the run
/// goes — the same the recordings hold — and `--realtime` paces the run to the wall clock.
#[test]
fn run_sends_dis_over_udp_as_it_goes_paced_when_asked() {
    use std::net::UdpSocket;
    use std::time::{Duration, Instant};
    // A listener on loopback, bounded: at most 50,000 datagrams, and 3 s of silence ends it.
    let listen = || {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let port = socket.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let mut got = Vec::new();
            let mut buf = [0u8; 2048];
            let mut quiet = Instant::now();
            while got.len() < 50_000 && quiet.elapsed() < Duration::from_secs(3) {
                if let Ok(n) = socket.recv(&mut buf) {
                    got.push(buf[..n].to_vec());
                    quiet = Instant::now();
                }
            }
            got
        });
        (port, handle)
    };
    let (dis_port, dis_rx) = listen();
    let (ast_port, ast_rx) = listen();
    let dir = tmp("dis-udp");
    let pcap = dir.join("run.pcap");
    let ast = dir.join("picture.ast");
    let started = Instant::now();
    let out = rampart_ok(&[
        "run",
        "scenarios/al-asad-2020-defended.toml",
        "--out",
        dir.join("out").to_str().unwrap(),
        "--dis",
        &format!("udp://127.0.0.1:{dis_port}"),
        "--dis-pcap",
        pcap.to_str().unwrap(),
        "--asterix",
        &format!("udp://127.0.0.1:{ast_port}"),
        "--asterix-file",
        ast.to_str().unwrap(),
        "--realtime",
        "4000",
    ]);
    let elapsed = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("DIS to udp://127.0.0.1:{dis_port}:")),
        "{stdout}"
    );
    assert!(!stdout.contains(" 0 sent"), "{stdout}");
    // What arrived is what the recordings hold, in order (loopback may drop under load, never
    // reorder or change).
    let bytes = std::fs::read(&pcap).unwrap();
    let mut recorded = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
        recorded.push(bytes[at + 16 + 42..at + 16 + len].to_vec());
        at += 16 + len;
    }
    let got = dis_rx.join().unwrap();
    assert!(!got.is_empty());
    let mut r = recorded.iter();
    for g in &got {
        assert!(
            r.any(|x| x == g),
            "a DIS datagram the capture does not hold"
        );
    }
    let file = std::fs::read(&ast).unwrap();
    let mut blocks = Vec::new();
    let mut at = 0;
    while at + 3 <= file.len() {
        let len = usize::from(u16::from_be_bytes([file[at + 1], file[at + 2]]));
        blocks.push(file[at..at + len].to_vec());
        at += len;
    }
    let got = ast_rx.join().unwrap();
    assert!(!got.is_empty());
    let mut b = blocks.iter();
    for g in &got {
        assert!(
            b.any(|x| x == g),
            "an ASTERIX datagram the recording does not hold"
        );
    }
    // Paced: the run's last event, at its time over 4000, came no sooner.
    let events = std::fs::read_to_string(dir.join("out/events.jsonl")).unwrap();
    let last: Value = serde_json::from_str(events.lines().last().unwrap()).unwrap();
    let t = last["t"].as_f64().unwrap();
    assert!(elapsed >= t / 4000.0, "{elapsed} s for {t} s at 4000×");
    // --realtime alone, with nothing to pace, is refused.
    let bad = rampart(&[
        "run",
        "scenarios/al-asad-2020-defended.toml",
        "--out",
        dir.join("bad").to_str().unwrap(),
        "--realtime",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--realtime paces"));
    let _ = std::fs::remove_dir_all(&dir);
}
