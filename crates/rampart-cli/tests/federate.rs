//! `rampart run --dis-in-pcap` and `--dis-in`: the raid of one run, recorded as DIS, is the
//! federate scenario's threats; and what the options refuse.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{rampart, rampart_ok};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn ok(args: &[&str]) -> String {
    String::from_utf8_lossy(&rampart_ok(args).stdout).into_owned()
}

fn refused(args: &[&str], says: &str) {
    let out = rampart(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "rampart {} succeeded",
        args.join(" ")
    );
    assert!(err.contains(says), "rampart {}: {err}", args.join(" "));
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rampart-fed-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_recorded_raid_is_the_federates_threats() {
    let dir = tmp("pcap");
    let pcap = dir.join("raid.pcap");
    let p = pcap.to_str().unwrap();
    let raid = dir.join("raid");
    ok(&[
        "run",
        "scenarios/al-asad-2020.toml",
        "--out",
        raid.to_str().unwrap(),
        "--dis-pcap",
        p,
    ]);
    let fed = dir.join("fed");
    let stdout = ok(&[
        "run",
        "scenarios/al-asad-2020-federate.toml",
        "--out",
        fed.to_str().unwrap(),
        "--dis-in-pcap",
        p,
    ]);
    assert!(
        stdout.contains("times from the scenario's epoch")
            && stdout.contains("15 entities taken as threats"),
        "{stdout}"
    );
    let read = |d: &Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(d.join("summary.json")).unwrap()).unwrap()
    };
    let (r, f) = (read(&raid), read(&fed));
    // The same threats, launched when the raid launched them, now engaged.
    assert_eq!(f["totals"]["launched"], r["totals"]["launched"]);
    let launch_times = |s: &Value| -> Vec<f64> {
        let mut v: Vec<f64> = s["threats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["launch_t"].as_f64().unwrap())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    assert_eq!(launch_times(&f), launch_times(&r));
    assert!(
        f["totals"]["intercepted"].as_u64().unwrap() > 0,
        "{}",
        f["totals"]
    );
    assert!(f["totals"]["interceptors_launched"].as_u64().unwrap() > 0);
    // A damaged capture is refused, naming the file and the packet.
    let bytes = std::fs::read(&pcap).unwrap();
    let cut = dir.join("cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 5]).unwrap();
    refused(
        &[
            "run",
            "scenarios/al-asad-2020-federate.toml",
            "--out",
            fed.to_str().unwrap(),
            "--dis-in-pcap",
            cut.to_str().unwrap(),
        ],
        "cut.pcap",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_dis_in_options_refuse_what_cannot_work() {
    let dir = tmp("bad");
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    refused(
        &[
            "run",
            "scenarios/al-asad-2020-defended.toml",
            "--out",
            o,
            "--dis-in-pcap",
            "nothing.pcap",
        ],
        "[dis_in]",
    );
    refused(
        &[
            "run",
            "scenarios/al-asad-2020-federate.toml",
            "--out",
            o,
            "--dis-in",
            "udp://127.0.0.1:0",
        ],
        "--realtime",
    );
    refused(
        &[
            "run",
            "scenarios/al-asad-2020-federate.toml",
            "--out",
            o,
            "--dis-in",
            "127.0.0.1:3000",
            "--realtime",
        ],
        "udp://",
    );
    refused(
        &[
            "run",
            "scenarios/al-asad-2020-federate.toml",
            "--out",
            o,
            "--dis-in-pcap",
            "no/such/file.pcap",
        ],
        "no/such/file.pcap",
    );
    assert!(!out.exists(), "a refused run wrote its folder");
    let _ = std::fs::remove_dir_all(&dir);
}
