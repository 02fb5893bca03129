//! `rampart serve` from the command line: what it refuses, and a replay served end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

fn refused(args: &[&str], says: &str) {
    let out = common::rampart(args);
    assert!(!out.status.success(), "rampart {args:?} must fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(says), "rampart {args:?}: {err}");
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    refused(
        &["serve", "scenarios/tutorial.toml", "--speed", "5000"],
        "--speed 5000",
    );
    refused(&["serve", "no/such/scenario.toml"], "no/such/scenario.toml");
    let dir = tempfile::tempdir().unwrap();
    refused(
        &["serve", dir.path().to_str().unwrap()],
        "has no manifest.json",
    );
    refused(
        &["serve", "scenarios", "--seed", "3"],
        "a replay shows the folder's run as it was",
    );
}

/// GET `path` from `addr`: status and body.
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        s,
        // HTTP/1.0: the body as it is (not chunked), until the server closes.
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    (status, text.split_once("\r\n\r\n").unwrap().1.to_owned())
}

#[test]
fn a_run_folder_is_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    common::rampart_ok(&[
        "run",
        "scenarios/tutorial.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["serve", out.to_str().unwrap(), "--bind", "127.0.0.1:0"])
        .current_dir(common::repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let (status, page) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"map\""));
    let (status, scene) = get(&addr, "/api/scene");
    assert_eq!(status, 200);
    let scene: serde_json::Value = serde_json::from_str(&scene).unwrap();
    assert_eq!(scene["mode"], "replay");
    assert!(!scene["assets"].as_array().unwrap().is_empty());
    let (status, events) = get(&addr, "/run/events.jsonl");
    assert_eq!(status, 200);
    assert_eq!(
        events,
        std::fs::read_to_string(out.join("events.jsonl")).unwrap()
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
