//! `rampart-fuzz`: mutation fuzzing of everything the `rampart` command reads.
//!
//! Each target starts from a seed corpus of shipped files (the scenarios, the tracker
//! configuration, the example detections and truth) and feeds the `rampart` binary mutants of
//! them: numbers swapped for extreme values, units for wrong or junk ones, lines deleted,
//! duplicated or swapped, tokens and bytes inserted, files cut short. The binary inputs — a DIS
//! capture for `--dis-in-pcap`, an ASTERIX recording for the ASTERIX decoder — start from
//! recordings the binary makes and take byte mutations. Mutations are drawn by
//! proptest strategies from a seeded ChaCha generator, so a run is repeatable from its seed.
//!
//! A mutant is a finding when the command panics, runs past its time limit, refuses the input
//! without saying where (a scenario error without `file:line:column`, a CSV or configuration
//! error without the file's name), or prints or writes a non-finite number (`NaN`, `inf`).
//! Findings are written to the findings folder with the reason; the exit status is 1 when
//! there are any. See docs/fuzzing.md.

mod mutate;

use anyhow::{Context, Result, bail};
use clap::Parser;
use mutate::{mutate, mutate_binary, mutations};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Mutation fuzzing of the rampart command's inputs.
#[derive(Debug, Parser)]
#[command(name = "rampart-fuzz")]
struct Args {
    /// Targets to fuzz (default: all): scenario, tracker-config, detections, truth.
    #[arg(long = "target", value_name = "NAME")]
    targets: Vec<String>,
    /// Stop after this many seconds (all targets together).
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Stop after this many mutants in all, if sooner.
    #[arg(long)]
    cases: Option<u64>,
    /// Seed of the mutation generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Mutants tried at once.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// The rampart binary.
    #[arg(long, default_value = "target/release/rampart")]
    rampart: PathBuf,
    /// The repository (for the seed corpus).
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// Where findings are written.
    #[arg(long, default_value = "target/fuzz-findings")]
    findings: PathBuf,
    /// Longest a `validate` may take, s.
    #[arg(long, default_value_t = 10)]
    validate_timeout: u64,
    /// Longest a `run` or `track` may take, s.
    #[arg(long, default_value_t = 30)]
    run_timeout: u64,
}

/// What the fuzzer feeds and how it judges the command's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// A scenario: `validate`, then `run` when accepted.
    Scenario,
    /// `rampart track --config`.
    TrackerConfig,
    /// `rampart track --detections`.
    Detections,
    /// `rampart track --truth`.
    Truth,
    /// A DIS capture: `rampart run` of the federate scenario with `--dis-in-pcap`.
    DisCapture,
    /// An ASTERIX recording, through the ASTERIX decoder (in this process: no command reads
    /// ASTERIX).
    Asterix,
}

const TARGETS: [(&str, Target); 6] = [
    ("scenario", Target::Scenario),
    ("tracker-config", Target::TrackerConfig),
    ("detections", Target::Detections),
    ("truth", Target::Truth),
    ("dis-capture", Target::DisCapture),
    ("asterix", Target::Asterix),
];

/// The scenario that takes the DIS captures.
const FEDERATE: &str = "scenarios/al-asad-2020-federate.toml";

const TRACKER: &str = "scenarios/tracking/tracker.toml";
const DETECTIONS: &str = "scenarios/tracking/two-targets-detections.csv";
const TRUTH: &str = "scenarios/tracking/two-targets-truth.csv";

impl Target {
    fn name(self) -> &'static str {
        TARGETS
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("?", |(n, _)| n)
    }

    /// Whether its inputs are binary (byte mutations) rather than text.
    fn binary(self) -> bool {
        matches!(self, Target::DisCapture | Target::Asterix)
    }

    /// The file name a mutant is written under.
    fn file_name(self) -> &'static str {
        match self {
            Target::Scenario | Target::TrackerConfig => "mutant.toml",
            Target::Detections | Target::Truth => "mutant.csv",
            Target::DisCapture => "mutant.pcap",
            Target::Asterix => "mutant.ast",
        }
    }

    /// The seed corpus: file names and contents. The binary targets' seeds are recordings
    /// `rampart` makes now, in `scratch`: the Al Asad raid as DIS, the defended picture as
    /// ASTERIX.
    fn seeds(self, repo: &Path, rampart: &Path, scratch: &Path) -> Result<Vec<Seed>> {
        let recorded = |flag: &str, scenario: &str, name: &str| -> Result<Vec<Seed>> {
            let file = scratch.join(name);
            let r = Command::new(rampart)
                .args(["run", scenario, "--out"])
                .arg(scratch.join(format!("{name}-run")))
                .arg(flag)
                .arg(&file)
                .current_dir(repo)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .with_context(|| format!("starting {}", rampart.display()))?;
            if !r.success() {
                bail!("recording the {name} seed failed");
            }
            Ok(vec![(name.to_string(), fs::read(&file)?)])
        };
        let files: Vec<PathBuf> = match self {
            Target::DisCapture => {
                return recorded("--dis-pcap", "scenarios/al-asad-2020.toml", "raid.pcap");
            }
            Target::Asterix => {
                return recorded(
                    "--asterix-file",
                    "scenarios/al-asad-2020-defended.toml",
                    "picture.ast",
                );
            }
            Target::Scenario => {
                let mut v: Vec<PathBuf> = fs::read_dir(repo.join("scenarios"))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect();
                v.sort();
                v
            }
            Target::TrackerConfig => vec![repo.join(TRACKER)],
            Target::Detections => vec![repo.join(DETECTIONS)],
            Target::Truth => vec![repo.join(TRUTH)],
        };
        files
            .into_iter()
            .map(|p| {
                let name = p
                    .file_name()
                    .map_or("seed".into(), |n| n.to_string_lossy().into_owned());
                fs::read(&p)
                    .map(|b| (name, b))
                    .with_context(|| format!("reading the seed {}", p.display()))
            })
            .collect()
    }
}

/// A seed file: its name and its bytes.
type Seed = (String, Vec<u8>);

/// How a command ended.
#[derive(Debug)]
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

/// Runs `rampart args` for at most `limit`.
fn run(rampart: &Path, args: &[&str], limit: Duration, dir: &Path) -> Result<Ran> {
    let out = dir.join("stdout");
    let err = dir.join("stderr");
    let mut child = Command::new(rampart)
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out)?)
        .stderr(fs::File::create(&err)?)
        .spawn()
        .with_context(|| format!("starting {}", rampart.display()))?;
    let start = Instant::now();
    let (code, timed_out) = loop {
        if let Some(st) = child.try_wait()? {
            break (st.code(), false);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |p: &Path| {
        fs::read(p)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    Ok(Ran {
        code,
        stdout: read(&out),
        stderr: read(&err),
        timed_out,
    })
}

/// A number `NaN` or `inf` in `text` (a field between spaces, commas or brackets, so a name
/// such as `Battery-nan` is not one): a non-finite number printed.
fn non_finite(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || ",;()[]{}".contains(c))
        .map(|w| w.trim_start_matches(['-', '+']))
        .any(|w| matches!(w, "NaN" | "nan" | "inf" | "infinity" | "Infinity"))
}

/// Whether `stderr` names a place in the scenario file `file`: `file:line:column`.
fn located(stderr: &str, file: &str) -> bool {
    stderr.lines().any(|l| {
        l.find(file).is_some_and(|i| {
            let rest = &l[i + file.len()..];
            let mut parts = rest.split(':').skip(1);
            let num = |p: Option<&str>| {
                p.is_some_and(|s| {
                    let d: String = s.chars().take_while(char::is_ascii_digit).collect();
                    !d.is_empty()
                })
            };
            num(parts.next()) && num(parts.next())
        })
    })
}

/// Judges one mutant of `target` in `dir`: `None` when all is well, else the reason; and
/// whether the command accepted the input and ran to its end.
fn judge(target: Target, mutant: &[u8], args: &Args, dir: &Path) -> Result<(Option<String>, bool)> {
    let repo = &args.repo;
    let abs = |p: &str| repo.join(p).to_string_lossy().into_owned();
    let (vt, rt) = (
        Duration::from_secs(args.validate_timeout),
        Duration::from_secs(args.run_timeout),
    );
    let crashed = |r: &Ran, what: &str| -> Option<String> {
        if r.timed_out {
            return Some(format!("{what}: still running after its time limit"));
        }
        if r.code == Some(101) || r.stderr.contains("panicked at") {
            return Some(format!("{what}: panicked: {}", first_lines(&r.stderr)));
        }
        if r.code.is_none() {
            return Some(format!("{what}: killed by a signal"));
        }
        None
    };
    match target {
        Target::Scenario => {
            let file = dir.join("mutant.toml");
            fs::write(&file, mutant)?;
            let f = file.to_string_lossy().into_owned();
            let v = run(&args.rampart, &["validate", &f], vt, dir)?;
            if let Some(why) = crashed(&v, "validate") {
                return Ok((Some(why), false));
            }
            if v.code != Some(0) {
                return Ok((
                    (!located(&v.stderr, &f)).then(|| {
                        format!(
                            "validate refused without file:line:column: {}",
                            first_lines(&v.stderr)
                        )
                    }),
                    false,
                ));
            }
            let out = dir.join("out");
            let r = run(
                &args.rampart,
                &[
                    "run",
                    &f,
                    "--out",
                    &out.to_string_lossy(),
                    "--detections-csv",
                    &dir.join("detections.csv").to_string_lossy(),
                    "--tracks-csv",
                    &dir.join("tracks.csv").to_string_lossy(),
                ],
                rt,
                dir,
            )?;
            if let Some(why) = crashed(&r, "run") {
                return Ok((Some(why), false));
            }
            if r.code != Some(0) {
                return Ok((
                    Some(format!(
                        "validate accepted what run refused: {}",
                        first_lines(&r.stderr)
                    )),
                    false,
                ));
            }
            if non_finite(&without_strings(&r.stdout, mutant)) {
                return Ok((Some("run printed a non-finite number".into()), true));
            }
            for csv in ["detections.csv", "tracks.csv"] {
                let written = fs::read_to_string(dir.join(csv)).unwrap_or_default();
                if non_finite(&without_strings(&written, mutant)) {
                    return Ok((
                        Some(format!("run wrote a non-finite number to {csv}")),
                        true,
                    ));
                }
            }
            Ok((None, true))
        }
        Target::DisCapture => {
            let name = target.file_name();
            let file = dir.join(name);
            fs::write(&file, mutant)?;
            let r = run(
                &args.rampart,
                &[
                    "run",
                    &abs(FEDERATE),
                    "--out",
                    &dir.join("out").to_string_lossy(),
                    "--dis-in-pcap",
                    &file.to_string_lossy(),
                ],
                rt,
                dir,
            )?;
            if let Some(why) = crashed(&r, "run --dis-in-pcap") {
                return Ok((Some(why), false));
            }
            if r.code != Some(0) {
                let why = if r.stderr.contains("not a finite number") {
                    Some("run met a non-finite number")
                } else if !r.stderr.contains(name) {
                    Some("run --dis-in-pcap refused without naming the file")
                } else {
                    None
                };
                return Ok((
                    why.map(|w| format!("{w}: {}", first_lines(error_part(&r.stderr)))),
                    false,
                ));
            }
            if non_finite(&r.stdout) {
                return Ok((Some("run printed a non-finite number".into()), true));
            }
            Ok((None, true))
        }
        Target::Asterix => {
            // On its own thread, so that a hang is seen (and left behind) at the time limit.
            let (tx, rx) = std::sync::mpsc::channel();
            let bytes = mutant.to_vec();
            std::thread::spawn(move || {
                let decoded = std::panic::catch_unwind(|| rampart_interop::asterix::decode(&bytes))
                    .map(|r| r.map_err(|e| e.to_string()));
                let _ = tx.send(decoded);
            });
            match rx.recv_timeout(vt) {
                Err(_) => Ok((
                    Some("the ASTERIX decoder ran past its time limit".into()),
                    false,
                )),
                Ok(Err(_)) => Ok((Some("the ASTERIX decoder panicked".into()), false)),
                Ok(Ok(Err(why))) if why.is_empty() => Ok((
                    Some("the ASTERIX decoder refused without a reason".into()),
                    false,
                )),
                Ok(Ok(r)) => Ok((None, r.is_ok())),
            }
        }
        Target::TrackerConfig | Target::Detections | Target::Truth => {
            let name = target.file_name();
            let file = dir.join(name);
            fs::write(&file, mutant)?;
            let f = file.to_string_lossy().into_owned();
            let (config, detections, truth) = match target {
                Target::TrackerConfig => (f.clone(), abs(DETECTIONS), abs(TRUTH)),
                Target::Detections => (abs(TRACKER), f.clone(), abs(TRUTH)),
                _ => (abs(TRACKER), abs(DETECTIONS), f.clone()),
            };
            let tracks = dir.join("tracks.csv");
            let metrics = dir.join("metrics.json");
            let r = run(
                &args.rampart,
                &[
                    "track",
                    "--detections",
                    &detections,
                    "--config",
                    &config,
                    "--truth",
                    &truth,
                    "--out",
                    &tracks.to_string_lossy(),
                    "--metrics",
                    &metrics.to_string_lossy(),
                ],
                rt,
                dir,
            )?;
            if let Some(why) = crashed(&r, "track") {
                return Ok((Some(why), false));
            }
            if r.code != Some(0) {
                return Ok((
                    (!r.stderr.contains(name)).then(|| {
                        format!(
                            "track refused without naming the file: {}",
                            first_lines(&r.stderr)
                        )
                    }),
                    false,
                ));
            }
            let written = fs::read_to_string(&tracks).unwrap_or_default();
            if non_finite(&r.stdout) || non_finite(&written) {
                return Ok((Some("track wrote a non-finite number".into()), true));
            }
            Ok((None, true))
        }
    }
}

/// `printed` without the strings the mutant holds (names such as `Battery-nan` or
/// `25 February -inf`), so only numbers the command worked out are judged.
fn without_strings(printed: &str, mutant: &[u8]) -> String {
    let text = String::from_utf8_lossy(mutant);
    let mut out = printed.to_string();
    for (i, quoted) in text.split('"').enumerate() {
        if i % 2 == 1 && !quoted.is_empty() && !quoted.contains('\n') {
            out = out.replace(quoted, "");
        }
    }
    out
}

/// `stderr` from its first `error` line on (warnings about the scenario come before it).
fn error_part(stderr: &str) -> &str {
    stderr.find("error").map_or(stderr, |i| &stderr[i..])
}

fn first_lines(s: &str) -> String {
    s.lines()
        .take(4)
        .collect::<Vec<_>>()
        .join(" | ")
        .chars()
        .take(400)
        .collect()
}

/// What one worker found.
#[derive(Debug, Default)]
struct Tally {
    cases: u64,
    accepted: u64,
    findings: Vec<(Target, String, PathBuf)>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let targets: Vec<Target> = if args.targets.is_empty() {
        TARGETS.iter().map(|(_, t)| *t).collect()
    } else {
        args.targets
            .iter()
            .map(|n| {
                TARGETS
                    .iter()
                    .find(|(name, _)| name == n)
                    .map(|(_, t)| *t)
                    .ok_or_else(|| anyhow::anyhow!("unknown target `{n}`"))
            })
            .collect::<Result<_>>()?
    };
    if !args.rampart.is_file() {
        bail!(
            "{} is not there: build it first (cargo build --release)",
            args.rampart.display()
        );
    }
    let seeds_dir = tempfile::Builder::new()
        .prefix("rampart-fuzz-seeds-")
        .tempdir()?;
    let corpus: Vec<(Target, Vec<Seed>)> = targets
        .iter()
        .map(|t| {
            t.seeds(&args.repo, &args.rampart, seeds_dir.path())
                .map(|s| (*t, s))
        })
        .collect::<Result<_>>()?;
    fs::create_dir_all(&args.findings)?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let next = AtomicU64::new(0);
    let tally = Mutex::new(Tally::default());
    std::thread::scope(|scope| {
        for worker in 0..args.jobs.max(1) {
            let (args, corpus, next, tally) = (&args, &corpus, &next, &tally);
            scope.spawn(move || {
                if let Err(e) = work(worker, args, corpus, next, tally, deadline) {
                    eprintln!("worker {worker}: {e:#}");
                }
            });
        }
    });
    let tally = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut report = format!(
        "rampart-fuzz: {} mutant(s), {} of them accepted and run to the end, of {} in {:.0} s, seed {}: {} finding(s)\n",
        tally.cases,
        tally.accepted,
        targets
            .iter()
            .map(|t| t.name())
            .collect::<Vec<_>>()
            .join(", "),
        started.elapsed().as_secs_f64(),
        args.seed,
        tally.findings.len()
    );
    for (t, why, path) in &tally.findings {
        let _ = writeln!(
            report,
            "  {}: {why}\n    mutant: {}",
            t.name(),
            path.display()
        );
    }
    print!("{report}");
    if !tally.findings.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

/// One worker: draws mutants until the deadline or the case limit.
fn work(
    worker: usize,
    args: &Args,
    corpus: &[(Target, Vec<Seed>)],
    next: &AtomicU64,
    tally: &Mutex<Tally>,
    deadline: Instant,
) -> Result<()> {
    let scratch = tempfile::Builder::new().prefix("rampart-fuzz-").tempdir()?;
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&args.seed.to_le_bytes());
    seed[8..16].copy_from_slice(&(worker as u64).to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
    );
    let strategy = (any::<usize>(), any::<usize>(), mutations());
    while Instant::now() < deadline {
        let case = next.fetch_add(1, Ordering::SeqCst);
        if args.cases.is_some_and(|n| case >= n) {
            break;
        }
        let (pick_target, pick_seed, muts) = strategy
            .new_tree(&mut runner)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .current();
        let (target, seeds) = &corpus[pick_target % corpus.len()];
        let (seed_name, text) = &seeds[pick_seed % seeds.len()];
        let mutant = if target.binary() {
            mutate_binary(text, &muts)
        } else {
            mutate(text, &muts)
        };
        let dir = scratch.path().join(format!("case-{case}"));
        fs::create_dir_all(&dir)?;
        let verdict = judge(*target, &mutant, args, &dir);
        let _ = fs::remove_dir_all(&dir);
        let (verdict, accepted) = verdict?;
        let mut t = tally.lock().unwrap_or_else(|e| e.into_inner());
        t.cases += 1;
        t.accepted += u64::from(accepted);
        if let Some(why) = verdict {
            let ext = Path::new(target.file_name())
                .extension()
                .map_or("bin".into(), |e| e.to_string_lossy());
            let path = args
                .findings
                .join(format!("{}-{case}-{seed_name}.{ext}", target.name()));
            fs::write(&path, &mutant)?;
            fs::write(
                path.with_extension("why.txt"),
                format!("{why}\nmutations (op, x, y): {muts:?}\nseed file: {seed_name}\n"),
            )?;
            t.findings.push((*target, why, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_is_file_line_column() {
        assert!(located(
            "error: x\n  --> /tmp/a/mutant.toml:12:5\n",
            "/tmp/a/mutant.toml"
        ));
        assert!(!located(
            "error: cannot read /tmp/a/mutant.toml\n",
            "/tmp/a/mutant.toml"
        ));
        assert!(non_finite("miss NaN m") && non_finite("1.0,-inf,2"));
        assert!(!non_finite("Financial infantry") && !non_finite("by Battery-nan/I1"));
    }
}
