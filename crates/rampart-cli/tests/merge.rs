//! `rampart mc --shard K/M` and `rampart merge`: parts merge to the one-machine run's files,
//! byte for byte, whatever M and the order the parts come in; what does not fit is refused,
//! named.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

const RUNS: &str = "24";
const SCENARIO: &str = "scenarios/tutorial.toml";

fn run(args: &[&str]) {
    common::rampart_ok(args);
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `report.html` with its recorded command line taken out.
fn report_without_command(dir: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let command = manifest["command"].as_str().unwrap().to_owned();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let escaped = command
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(
        html.contains(&escaped),
        "the report records its command line"
    );
    html.replace(&escaped, "COMMAND")
}

/// Runs the M parts into `root/parts/K`.
fn parts(root: &Path, m: u64) -> Vec<String> {
    (1..=m)
        .map(|k| {
            let out = root.join("parts").join(k.to_string());
            run(&[
                "mc",
                SCENARIO,
                "--runs",
                RUNS,
                "--shard",
                &format!("{k}/{m}"),
                "--out",
                s(&out),
            ]);
            s(&out).to_owned()
        })
        .collect()
}

#[test]
fn parts_merge_to_the_one_machine_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    run(&["mc", SCENARIO, "--runs", RUNS, "--out", s(&whole)]);
    // 30 parts of 24 replications: six parts hold none.
    for m in [1, 3, 5, 30] {
        let root = tmp.path().join(format!("m{m}"));
        let mut dirs = parts(&root, m);
        dirs.reverse(); // the order they come in does not matter
        let merged = root.join("merged");
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(String::as_str));
        args.extend(["--out", s(&merged)]);
        run(&args);
        for f in [
            "summary.json",
            "replications.csv",
            "impacts.csv",
            "scenario.toml",
        ] {
            assert!(
                std::fs::read(whole.join(f)).unwrap() == std::fs::read(merged.join(f)).unwrap(),
                "M = {m}: {f} differs from the one-machine run's"
            );
        }
        assert_eq!(
            report_without_command(&whole),
            report_without_command(&merged),
            "M = {m}"
        );
    }
}

fn refused(args: &[&str], says: &str) {
    let out = common::rampart(args);
    assert!(!out.status.success(), "rampart {args:?} must fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(says), "rampart {args:?}: {err}");
}

/// A sweep's parts, numbered across its grid, merge to the one-machine sweep.
#[test]
fn a_sweeps_parts_merge_to_the_one_machine_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let vary = "asset.Depot.radius=500 m,2 km";
    let whole = tmp.path().join("whole");
    run(&[
        "sweep",
        SCENARIO,
        "--vary",
        vary,
        "--runs",
        "6",
        "--out",
        s(&whole),
    ]);
    let mut args = vec!["merge".to_owned()];
    for k in 1..=5 {
        let out = tmp.path().join("parts").join(k.to_string());
        run(&[
            "sweep",
            SCENARIO,
            "--vary",
            vary,
            "--runs",
            "6",
            "--shard",
            &format!("{k}/5"),
            "--out",
            s(&out),
        ]);
        args.push(s(&out).to_owned());
    }
    let merged = tmp.path().join("merged");
    args.extend(["--out".to_owned(), s(&merged).to_owned()]);
    run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    for f in ["grid.csv", "sweep.json", "scenario.toml"] {
        assert!(
            std::fs::read(whole.join(f)).unwrap() == std::fs::read(merged.join(f)).unwrap(),
            "{f} differs from the one-machine sweep's"
        );
    }
    assert_eq!(
        report_without_command(&whole),
        report_without_command(&merged)
    );
}

#[test]
fn merge_refuses_parts_that_do_not_make_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dirs = parts(root, 3);
    let out = root.join("out");
    let out = s(&out);
    refused(
        &["merge", &dirs[0], &dirs[2], "--out", out],
        "1 of 3 parts missing: 2 (replications 8..16)",
    );
    refused(
        &[
            "merge", &dirs[0], &dirs[1], &dirs[1], &dirs[2], "--out", out,
        ],
        "part 2 of 3 is given twice",
    );
    // A part of another run: another seed.
    let other = root.join("other");
    run(&[
        "mc",
        SCENARIO,
        "--runs",
        RUNS,
        "--seed",
        "99",
        "--shard",
        "2/3",
        "--out",
        s(&other),
    ]);
    refused(
        &["merge", &dirs[0], s(&other), &dirs[2], "--out", out],
        "seed 99 against",
    );
    // A corrupt part: one digit changed.
    let part = Path::new(&dirs[1]).join("part.jsonl");
    let text = std::fs::read_to_string(&part).unwrap();
    let bad = root.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let at = text.find("\"leakers\":").unwrap() + 10;
    let mut bytes = text.clone().into_bytes();
    bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
    std::fs::write(bad.join("part.jsonl"), &bytes).unwrap();
    refused(
        &["merge", &dirs[0], s(&bad), &dirs[2], "--out", out],
        "is corrupt",
    );
    // A part cut short: its closing line gone.
    let cut = &text[..text.trim_end().rfind('\n').unwrap() + 1];
    std::fs::write(bad.join("part.jsonl"), cut).unwrap();
    refused(
        &["merge", &dirs[0], s(&bad), &dirs[2], "--out", out],
        "cut short",
    );
    // Not a part at all.
    std::fs::write(
        bad.join("part.jsonl"),
        "{\"a\":1}\n{\"records\":0,\"sha256\":\"x\"}\n",
    )
    .unwrap();
    refused(
        &["merge", s(&bad), "--out", out],
        "is not a part of a Monte Carlo run",
    );
    // Parts of other runs: another N, another M, another scenario text.
    let other_n = root.join("other-n");
    run(&[
        "mc",
        SCENARIO,
        "--runs",
        "30",
        "--shard",
        "2/3",
        "--out",
        s(&other_n),
    ]);
    refused(
        &["merge", &dirs[0], s(&other_n), &dirs[2], "--out", out],
        "30 replications against 24",
    );
    let other_m = root.join("other-m");
    run(&[
        "mc",
        SCENARIO,
        "--runs",
        RUNS,
        "--shard",
        "2/4",
        "--out",
        s(&other_m),
    ]);
    refused(
        &["merge", &dirs[0], s(&other_m), &dirs[2], "--out", out],
        "4 parts against 3",
    );
    let other_s = root.join("other-s");
    run(&[
        "mc",
        SCENARIO,
        "--runs",
        RUNS,
        "--set",
        "asset.Depot.radius=900 m",
        "--shard",
        "2/3",
        "--out",
        s(&other_s),
    ]);
    refused(
        &["merge", &dirs[0], s(&other_s), &dirs[2], "--out", out],
        "scenario",
    );
    // Nothing was written by any refused merge.
    assert!(!Path::new(out).join("summary.json").exists());
    // And a part is all or nothing: --shard needs its folder and refuses --until-ci.
    refused(&["mc", SCENARIO, "--shard", "1/2"], "--shard needs --out");
    refused(
        &["mc", SCENARIO, "--shard", "3/2", "--out", out],
        "--shard `3/2`",
    );
    refused(
        &[
            "mc",
            SCENARIO,
            "--shard",
            "1/2",
            "--until-ci",
            "0.1",
            "--out",
            out,
        ],
        "--until-ci",
    );
}
