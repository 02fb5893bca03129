//! Golden event logs: every shipped scenario, at its own seed, replication 0, must give exactly
//! the events recorded in `tests/golden/`. A change of results is then always deliberate and
//! reviewed: the diff of `NAME.jsonl` shows what moved.
//!
//! Two records per scenario:
//! - `NAME.jsonl`: the event log as `rampart run` writes it (no `scan`, `detection` or
//!   `track_update` events), one JSON object per line;
//! - `NAME.full.txt`: the count and FNV-1a 64 digest of the full log with every false alarm and
//!   track update recorded, so a change inside the sensing and tracking stages is caught too;
//!   and of the `entity_state` events sampled every second, recorded in the same run (the rest
//!   of that run must be the plain log: sampling states changes nothing else).
//!
//! After a deliberate change, write them again with
//! `RAMPART_UPDATE_GOLDEN=1 cargo test -p rampart-sim --test lib golden` and commit them with a
//! note of what moved and why. CI (with `CI` set) never writes them.

use rampart_core::SimDuration;
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::load;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SCENARIOS: [&str; 10] = [
    "al-asad-2020",
    "al-asad-2020-defended",
    "al-asad-2020-federate",
    "al-asad-2020-layered",
    "al-asad-2020-no-warning",
    "dhahran-1991",
    "drone-swarm",
    "iraq-2020-networked",
    "saturation",
    "tutorial",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn jsonl<'e>(events: impl Iterator<Item = &'e Event>) -> String {
    let mut s = String::new();
    for e in events {
        s += &serde_json::to_string(e).expect("an event serialises");
        s.push('\n');
    }
    s
}

/// FNV-1a, 64 bits (Fowler, Noll and Vo): a stable digest with no dependency.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The two records of `name` as this build makes them.
fn records(name: &str) -> (String, String) {
    let path = repo().join(format!("scenarios/{name}.toml"));
    let scenario = load(&path).unwrap_or_else(|e| panic!("{}", e.render()));
    let seed = scenario.seed;
    let plain = run(&scenario, RunOptions::seed(seed)).expect("the scenario runs");
    let log = jsonl(plain.iter().filter(|e| !e.kind.is_sensing()));
    let full = run(
        &scenario,
        RunOptions {
            false_alarm_events: true,
            track_events: true,
            state_interval: Some(SimDuration::from_secs(1)),
            ..RunOptions::seed(seed)
        },
    )
    .expect("the scenario runs");
    let is_state = |k: &EventKind| matches!(k, EventKind::EntityState { .. });
    let full_text = jsonl(full.iter().filter(|e| !is_state(&e.kind)));
    let states_text = jsonl(full.iter().filter(|e| is_state(&e.kind)));
    let n_states = full.iter().filter(|e| is_state(&e.kind)).count();
    assert_eq!(
        jsonl(
            full.iter()
                .filter(|e| !is_state(&e.kind) && !e.kind.is_sensing())
        ),
        log,
        "{name}: recording states and sensing events changed the other events"
    );
    let mut digest = String::new();
    let _ = writeln!(
        digest,
        "seed {seed}, replication 0, every false alarm and track update recorded\nevents {}\nbytes {}\nfnv1a64 {:016x}",
        full.len() - n_states,
        full_text.len(),
        fnv1a64(full_text.as_bytes())
    );
    let _ = writeln!(
        digest,
        "entity_state every 1 s\nevents {n_states}\nbytes {}\nfnv1a64 {:016x}",
        states_text.len(),
        fnv1a64(states_text.as_bytes())
    );
    (log, digest)
}

/// The first line where `got` and `want` differ, for the failure message.
fn first_difference(got: &str, want: &str) -> String {
    let (mut g, mut w) = (got.lines(), want.lines());
    for n in 1.. {
        match (g.next(), w.next()) {
            (None, None) => return "no difference".into(),
            (a, b) if a == b => {}
            (a, b) => {
                return format!(
                    "line {n}:\n  golden: {}\n  now:    {}",
                    b.unwrap_or("(end)"),
                    a.unwrap_or("(end)")
                );
            }
        }
    }
    unreachable!()
}

#[test]
fn every_shipped_scenario_gives_its_golden_events() {
    let update =
        std::env::var_os("RAMPART_UPDATE_GOLDEN").is_some() && std::env::var_os("CI").is_none();
    let mut failures = Vec::new();
    for name in SCENARIOS {
        let (log, digest) = records(name);
        let log_path = golden_dir().join(format!("{name}.jsonl"));
        let digest_path = golden_dir().join(format!("{name}.full.txt"));
        if update {
            std::fs::write(&log_path, &log).expect("the golden log is written");
            std::fs::write(&digest_path, &digest).expect("the golden digest is written");
            continue;
        }
        let want_log = std::fs::read_to_string(&log_path).unwrap_or_default();
        if log != want_log {
            failures.push(format!(
                "{name}: the event log moved; {}",
                first_difference(&log, &want_log)
            ));
        }
        let want_digest = std::fs::read_to_string(&digest_path).unwrap_or_default();
        if digest != want_digest {
            failures.push(format!(
                "{name}: the full log (false alarms, track updates) moved:\n{digest}golden:\n{want_digest}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(a deliberate change: RAMPART_UPDATE_GOLDEN=1 cargo test -p rampart-sim --test lib golden, then review and commit tests/golden/)",
        failures.join("\n")
    );
}

#[test]
fn every_shipped_scenario_has_a_golden_record() {
    let mut shipped: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/ is there")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            (p.extension()? == "toml").then_some(stem)
        })
        .collect();
    shipped.sort();
    assert_eq!(shipped, SCENARIOS.map(String::from));
}
