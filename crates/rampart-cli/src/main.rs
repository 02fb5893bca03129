//! `rampart`: validate and run air-and-missile-defense scenarios.

use crate::text::{errln, out, outln};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use output::OutDir;
use rampart_core::SimDuration;
use rampart_core::units::{Dimension, Quantity, parse_quantity};
use rampart_report::ReportKind;
use rampart_report::table;
use rampart_sim::engine::{Engine, RunOptions};
use rampart_sim::events::Event;
use rampart_sim::scenario::load::DEFAULT_RANGE_GATE_M;
use rampart_sim::scenario::{Scenario, load};
use rampart_sim::sensors::clock::{ClockModel, legacy_error_s};
use rampart_sim::sink::{EventSink, SinkError, Tee};
use rampart_sim::summary::RunSummary;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

mod finite;
mod folder;
mod interrupt;
mod mc;
mod output;
mod sensing_csv;
mod serve;
mod shard;
mod slurm;
mod sweep;
mod text;
mod track;
mod track_radar;
mod wire;

/// Rampart: an open air-and-missile-defense simulator.
#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Treat the scenario's warnings (a defense that cannot fight, …) as errors.
    #[arg(long, global = true)]
    deny_warnings: bool,
}

/// Whether `--deny-warnings` was given.
static DENY_WARNINGS: AtomicBool = AtomicBool::new(false);

/// A clock model named on the command line.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ClockArg {
    /// Exact time.
    Exact,
    /// The legacy Patriot clock: tenths of a second times 1/10 chopped to 24 bits.
    #[value(name = "legacy-24bit")]
    Legacy24bit,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a scenario file (every raid's launch is solved) and report the first problem with its line and column.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Run a scenario once: print a table of every threat and write the event log, summary and
    /// report.html.
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Set a scenario key for this command, KEY=VALUE with the paths of `sweep --vary`
        /// (`network.enabled=false`, `fire_unit.Battery-1.channels=4`); repeat for several.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Output folder [default: rampart-out/<scenario file stem>/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Seed of all random streams [default: the scenario's seed].
        #[arg(long)]
        seed: Option<u64>,
        /// Also write `scan` and `detection` events (one per radar detection, false alarms
        /// included; many) to events.jsonl.
        #[arg(long)]
        log_detections: bool,
        /// Write every radar detection to this CSV file
        /// (t,radar,range_m,azimuth_rad,elevation_rad,range_rate_mps,snr_db,truth_id).
        #[arg(long, value_name = "FILE")]
        detections_csv: Option<PathBuf>,
        /// Write every confirmed track after every scan to this CSV file
        /// (t,radar,track_id,east_m,north_m,up_m,v_east_mps,v_north_mps,v_up_mps, in the
        /// radar's east-north-up frame at its antenna).
        #[arg(long, value_name = "FILE")]
        tracks_csv: Option<PathBuf>,
        /// Run every radar on this clock instead of the scenario's: `exact` or `legacy-24bit`.
        #[arg(long, value_name = "MODEL")]
        clock: Option<ClockArg>,
        /// Replication index: with the same seed, replication K of `rampart mc` run alone.
        #[arg(long, value_name = "K", default_value_t = 0)]
        replication: u64,
        /// Stream the events as JSON Lines to standard output as the run goes (`-`: the only
        /// destination; the table then goes to standard error). The folder is written as
        /// always.
        #[arg(long, value_name = "-")]
        events: Option<String>,
        /// Interval of the `entity_state` events (where every threat and interceptor is;
        /// also recorded at each of its events), e.g. `0.5 s` [default: 1 s].
        #[arg(long, value_name = "DURATION")]
        state_interval: Option<String>,
        #[command(flatten)]
        dis: Box<wire::WireArgs>,
    },
    /// Monte Carlo: run many replications in parallel and write statistics with 95 %
    /// confidence intervals (summary.json), one row per replication (replications.csv), every
    /// impact point (impacts.csv) and report.html.
    Mc(mc::McArgs),
    /// Sweep: a Monte Carlo run at every point of a grid over numeric scenario keys, with common
    /// random numbers across points; writes grid.csv, sweep.json and report.html.
    Sweep(sweep::SweepArgs),
    /// Fold the parts of a Monte Carlo run (`rampart mc --shard K/M`) into its outputs, the
    /// same files as the run on one machine (docs/cluster.md).
    Merge {
        /// Part files, part folders, or folders of part folders (`DIR/parts`).
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Run a Monte Carlo run on a Slurm cluster: a job array of its parts and a merge job
    /// after them (docs/cluster.md).
    #[command(subcommand)]
    Slurm(slurm::SlurmCommand),
    /// Watch one engagement in the browser: a scenario run live, paced to the wall clock, or a
    /// run folder replayed (a map, an altitude view, the track table, the event log).
    Serve(serve::ServeArgs),
    /// Draw report.html again from an output folder of `run`, `mc` or `sweep`.
    Report {
        /// The output folder (it holds manifest.json and scenario.toml).
        dir: PathBuf,
        /// Also write its run (the sample replication of a Monte Carlo or sweep folder) as a
        /// CZML document for a Cesium globe [default FILE: DIR/run.czml].
        #[arg(long, value_name = "FILE", num_args = 0..=1)]
        czml: Option<Option<PathBuf>>,
    },
    /// The time error of the legacy 24-bit Patriot clock after an uptime, and the range-gate
    /// shift it causes for a target at a given speed (GAO/IMTEC-92-26).
    ClockDrift {
        /// How long the system has been running, e.g. `100h`, `20 h`, `3600 s` (a bare number
        /// is seconds); at most 100,000 h.
        #[arg(long)]
        uptime: String,
        /// Closing speed of the target, e.g. `1676 m/s` or `6000 km/h` (a bare number is m/s);
        /// 0 to 10,000 m/s.
        #[arg(long)]
        speed: String,
        /// Full width of the range gate, for the fraction of it the shift takes, e.g. `274 m` (a
        /// bare number is metres); 1 mm to 100 km [default: 274 m].
        #[arg(long)]
        gate: Option<String>,
    },
    /// Track targets in a file of Cartesian detections, or replay a run's radar detections
    /// through its scenario's radar trackers, and write the confirmed tracks.
    Track {
        /// Detections: CSV `t,x,y,z`, sorted by time, one time per scan; or, with --scenario,
        /// the CSV `rampart run --detections-csv` writes.
        #[arg(long, value_name = "FILE")]
        detections: PathBuf,
        /// Tracker settings (TOML: [motion], [measurement], [detection], [association],
        /// [initiation], [deletion], [metrics]; quantities with units, as in a scenario's
        /// [radar.tracker]; keys and defaults in docs/tracking.md). Not with --scenario.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The scenario whose radars made the detections: each radar's own tracker, as the
        /// scenario sets it, takes them on its scan schedule (tracks in its east-north-up frame,
        /// with latitude, longitude and height).
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Output: CSV `t,track_id,x,y,z,vx,vy,vz`, confirmed tracks per scan.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Truth: CSV `t,target_id,x,y,z,vx,vy,vz`, to score the tracks against.
        #[arg(long, value_name = "FILE")]
        truth: Option<PathBuf>,
        /// Write the scores (GOSPA and its parts, RMSE, track counts, continuity) here as JSON
        /// [default with --truth: print them].
        #[arg(long, value_name = "FILE")]
        metrics: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    DENY_WARNINGS.store(cli.deny_warnings, Ordering::Relaxed);
    let result = match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Run {
            scenario,
            set,
            out,
            seed,
            log_detections,
            detections_csv,
            tracks_csv,
            clock,
            replication,
            events,
            state_interval,
            dis,
        } => run_once(
            &scenario,
            &RunArgs {
                set,
                out,
                seed,
                log_detections,
                detections_csv,
                tracks_csv,
                clock,
                replication,
                events,
                state_interval,
                dis: *dis,
            },
        ),
        Command::Mc(args) => mc::run(&args),
        Command::Sweep(args) => {
            if args.list_keys {
                sweep::list_keys(&args.scenario)
            } else {
                sweep::run(&args)
            }
        }
        Command::Report { dir, czml } => folder::report_command(&dir, czml),
        Command::Serve(args) => serve::run(&args),
        Command::Merge { parts, out } => shard::merge(&parts, &out),
        Command::Slurm(cmd) => slurm::run(&cmd),
        Command::ClockDrift {
            uptime,
            speed,
            gate,
        } => clock_drift(&uptime, &speed, gate.as_deref()),
        Command::Track {
            detections,
            config,
            scenario,
            out,
            truth,
            metrics,
        } => match (scenario, config) {
            (Some(_), Some(_)) => Err(anyhow::anyhow!(
                "--config does not apply with --scenario: each radar's tracker is the \
                 scenario's (its [radar.tracker] table)"
            )),
            (Some(_), None) if truth.is_some() || metrics.is_some() => Err(anyhow::anyhow!(
                "--truth and --metrics score Cartesian tracks of one frame; not with --scenario"
            )),
            (Some(scenario), None) => track_radar::run(&detections, &scenario, &out),
            (None, Some(config)) => track::run(
                &detections,
                &config,
                &out,
                truth.as_deref(),
                metrics.as_deref(),
            ),
            (None, None) => Err(anyhow::anyhow!(
                "--config FILE names the tracker settings (or --scenario FILE, for the \
                 detections of a run's radars)"
            )),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<interrupt::Interrupted>().is_some() => {
            errln!("{e}");
            ExitCode::from(130)
        }
        Err(e) => {
            // A scenario error has already been rendered with its snippet.
            if e.downcast_ref::<ExitError>().is_none() {
                errln!("error: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Loads a scenario, printing the rendered error (file, line, column, snippet) on failure.
/// Its warnings are printed too; with `--deny-warnings` they are errors.
pub(crate) fn load_or_report(path: &Path) -> Result<Scenario, ExitError> {
    checked(load(path))
}

/// Loads a scenario with the `--set`s applied, as [`load_or_report`]; returns it and the text
/// it was read from (the file's, or with the settings applied, what an output folder keeps as
/// its `scenario.toml`).
pub(crate) fn load_with_sets(path: &Path, sets: &[String]) -> Result<(Scenario, String)> {
    // The text is read once: what runs is what an output folder (or a part) keeps.
    let text = folder::scenario_text(path)?;
    let text = if sets.is_empty() {
        text
    } else {
        rampart_sim::scenario::overrides::apply_sets(&text, sets)
            .map_err(|e| anyhow::anyhow!("--set {e}"))?
    };
    let label = shard::scenario_label(path, sets);
    Ok((checked(rampart_sim::scenario::parse(&text, &label))?, text))
}

/// A loaded scenario, or its error rendered; its warnings printed (errors with
/// `--deny-warnings`).
fn checked(
    loaded: std::result::Result<Scenario, rampart_sim::scenario::ScenarioError>,
) -> Result<Scenario, ExitError> {
    let scenario = loaded.map_err(|e| {
        errln!("{}", e.render());
        ExitError
    })?;
    for w in &scenario.warnings {
        errln!("{}", w.rendered);
    }
    if DENY_WARNINGS.load(Ordering::Relaxed) && !scenario.warnings.is_empty() {
        errln!(
            "error: {} warning(s), and --deny-warnings makes them errors",
            scenario.warnings.len()
        );
        return Err(ExitError);
    }
    Ok(scenario)
}

/// An error already reported to the user.
#[derive(Debug)]
struct ExitError;
impl std::fmt::Display for ExitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the scenario has errors (see above)")
    }
}
impl std::error::Error for ExitError {}

fn validate(path: &Path) -> Result<()> {
    let s = load_or_report(path)?;
    let threats: u64 = s.raids.iter().map(|r| u64::from(r.count)).sum();
    outln!(
        "{}: ok — \"{}\": {} asset(s), {} threat type(s), {} raid(s), {} threat(s), {} s{}",
        path.display(),
        s.name,
        s.assets.len(),
        s.threat_types.len(),
        s.raids.len(),
        threats,
        s.duration.as_secs_f64(),
        match s.warnings.len() {
            0 => String::new(),
            n => format!("; {n} warning(s)"),
        }
    );
    Ok(())
}

/// The options of `rampart run`.
#[derive(Debug)]
struct RunArgs {
    set: Vec<String>,
    out: Option<PathBuf>,
    seed: Option<u64>,
    log_detections: bool,
    detections_csv: Option<PathBuf>,
    tracks_csv: Option<PathBuf>,
    clock: Option<ClockArg>,
    replication: u64,
    events: Option<String>,
    state_interval: Option<String>,
    dis: wire::WireArgs,
}

/// Events as JSON Lines on a writer, as they come: each checked for non-finite numbers first;
/// scans, detections and track updates only when `sensing` is set.
struct JsonLinesSink<W> {
    w: W,
    sensing: bool,
    line: usize,
    /// How a line is named in a non-finite number's error (`event`, `events.jsonl line`).
    label: &'static str,
}

impl<W: Write> JsonLinesSink<W> {
    fn new(w: W, sensing: bool, label: &'static str) -> Self {
        Self {
            w,
            sensing,
            line: 0,
            label,
        }
    }

    /// Writes `e` as the next line, unless it is a sensing event and those are not wanted.
    fn write(&mut self, e: &Event) -> Result<(), SinkError> {
        if !self.sensing && e.kind.is_sensing() {
            return Ok(());
        }
        self.line += 1;
        finite::check(e, &format!("{} {}", self.label, self.line))?;
        serde_json::to_writer(&mut self.w, e)?;
        self.w.write_all(b"\n")?;
        Ok(())
    }
}

impl<W: Write> EventSink for JsonLinesSink<W> {
    fn event(&mut self, e: Event) -> Result<(), SinkError> {
        self.write(&e)
    }
}

/// A quantity of dimension `dim` from the command line, in SI units, within `[lo, hi]`: a bare
/// number is taken in the SI unit (s, m, m/s), as each option's help says; a number and its
/// unit may be written together or apart (`100h`, `1e-9 s`, `6000 km/h`).
fn cli_quantity(text: &str, dim: Dimension, what: &str, (lo, hi): (f64, f64)) -> Result<f64> {
    let t = text.trim();
    let shown = rampart_core::units::excerpt(t, 40);
    let x = match t.parse::<f64>() {
        Ok(x) => x,
        Err(_) => match parse_quantity(t) {
            Ok(Quantity::Si { value, dim: d }) if d == dim => value,
            Ok(_) => anyhow::bail!("{what} `{shown}`: expected {}", dim.example_units()),
            Err(e) => anyhow::bail!("{what} `{shown}`: {e} (use {})", dim.example_units()),
        },
    };
    if !(x.is_finite() && (lo..=hi).contains(&x)) {
        anyhow::bail!(
            "{what} `{shown}` must be between {lo} and {hi} {}",
            dim.si_unit()
        );
    }
    Ok(x)
}

/// The longest uptime `clock-drift` works out, s (100,000 h, as a radar's `uptime`).
const MAX_UPTIME_S: f64 = 100_000.0 * 3600.0;

fn clock_drift(uptime: &str, speed: &str, gate: Option<&str>) -> Result<()> {
    let up = cli_quantity(uptime, Dimension::Time, "--uptime", (0.0, MAX_UPTIME_S))?;
    let v = cli_quantity(speed, Dimension::Speed, "--speed", (0.0, 10_000.0))?;
    let gate_m = match gate {
        Some(g) => cli_quantity(g, Dimension::Length, "--gate", (1e-3, 100e3))?,
        None => DEFAULT_RANGE_GATE_M,
    };
    let uptime_d = SimDuration::from_secs_f64(up)
        .ok_or_else(|| anyhow::anyhow!("--uptime `{uptime}` is too long"))?;
    let err = legacy_error_s(uptime_d);
    let shift = v * err;
    outln!(
        "legacy 24-bit clock after {:.4} h ({} ticks of 0.1 s):",
        up / 3600.0,
        uptime_d.as_nanos() / 100_000_000
    );
    outln!("  time error        {err:.4} s  (9.5367e-8 s lost per tick)");
    outln!(
        "  range-gate shift  {shift:.0} m at {v:.0} m/s  ({:.0} % of a {gate_m:.0} m gate; the target is {} it)",
        100.0 * shift / gate_m,
        if shift > 0.5 * gate_m {
            "outside"
        } else {
            "inside"
        }
    );
    outln!("exact clock: 0 s, 0 m at any uptime");
    Ok(())
}

/// One run of `scenario` into `sink`, with the threats of `feed` if given.
fn run(
    scenario: &rampart_sim::scenario::Scenario,
    opts: RunOptions,
    sink: &mut dyn rampart_sim::sink::EventSink,
    feed: Option<&mut wire::FeedIn>,
) -> Result<()> {
    Engine::new(scenario, opts)
        .run_fed(
            sink,
            feed.map(|f| f as &mut dyn rampart_sim::feed::ThreatFeed),
        )
        .context("running the scenario")?;
    Ok(())
}

/// `--state-interval`'s value [default: [`folder::DEFAULT_STATE_INTERVAL`]].
pub(crate) fn state_interval_arg(arg: Option<&str>) -> Result<SimDuration> {
    Ok(match arg {
        None => folder::DEFAULT_STATE_INTERVAL,
        Some(s) => {
            let secs = cli_quantity(s, Dimension::Time, "--state-interval", (1e-3, 86_400.0))?;
            SimDuration::from_secs_f64(secs)
                .ok_or_else(|| anyhow::anyhow!("--state-interval `{s}` is out of range"))?
        }
    })
}

fn run_once(path: &Path, args: &RunArgs) -> Result<()> {
    let (mut scenario, text) = load_with_sets(path, &args.set)?;
    let clock = args.clock.map(|c| match c {
        ClockArg::Exact => "exact",
        ClockArg::Legacy24bit => "legacy-24bit",
    });
    if let Some(c) = clock {
        folder::set_clock(&mut scenario, c)?;
    }
    let seed = args.seed.unwrap_or(scenario.seed);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| folder::default_out(path, ""));
    let stream = match args.events.as_deref() {
        None => false,
        Some("-") => true,
        Some(other) => anyhow::bail!(
            "--events `{}`: only `-` (standard output) streams the events; the folder's events.jsonl holds them too",
            rampart_core::units::excerpt(other, 40)
        ),
    };
    let state_interval = state_interval_arg(args.state_interval.as_deref())?;
    let opts = RunOptions {
        seed,
        replication: args.replication,
        false_alarm_events: args.log_detections
            || args.detections_csv.is_some()
            || args.dis.wants_sensing(),
        track_events: args.log_detections || args.tracks_csv.is_some() || args.dis.wants_sensing(),
        state_interval: Some(state_interval),
        ..RunOptions::seed(seed)
    };
    // The report draws the paths this very run flew from its `entity_state` events (detection
    // and track events do not change the draws, so `rampart report` redraws it from the
    // replication alone).
    let mut events = Vec::new();
    let mut wire = wire::start(&args.dis, &scenario)?;
    let mut feed = wire::feed(&args.dis, &scenario)?;
    if stream {
        text::to_stderr();
        let stdout = std::io::stdout().lock();
        let mut sink = Tee(
            &mut events,
            Tee(
                JsonLinesSink::new(stdout, args.log_detections, "event"),
                &mut wire,
            ),
        );
        run(&scenario, opts, &mut sink, feed.as_mut())?;
    } else {
        let mut sink = Tee(&mut events, &mut wire);
        run(&scenario, opts, &mut sink, feed.as_mut())?;
    }
    if let Some(f) = &feed {
        wire::report_feed(f);
    }
    let trace = rampart_report::Trace::from_events(&events);
    let summary = RunSummary::from_events(&scenario, seed, &events);

    // Checked before anything is written: a refused run leaves the folder as it was.
    finite::check(&summary, "summary.json")?;
    let mut dir = OutDir::create(&out)?;
    let earlier = folder::earlier_files(&out);
    // Scans and detections are many: written only when asked for.
    let mut log = JsonLinesSink::new(
        dir.start("events.jsonl")?,
        args.log_detections,
        "events.jsonl line",
    );
    for e in &events {
        log.write(e).map_err(|e| anyhow::anyhow!(e))?;
    }
    let events_path = dir.commit("events.jsonl", log.w)?;
    let summary_path = dir.write(
        "summary.json",
        (serde_json::to_string_pretty(&summary)? + "\n").as_bytes(),
    )?;

    outln!(
        "{} — seed {seed}{}, epoch {}\n",
        scenario.name,
        if args.replication > 0 {
            format!(", replication {}", args.replication)
        } else {
            String::new()
        },
        scenario.epoch
    );
    out!("{}", table::threat_table(&summary));
    let t = &summary.totals;
    outln!(
        "\n{} launched: {}{} impacted, {} failed{}; {} asset hit(s){}",
        t.launched,
        if summary.fire_units.is_empty() && summary.guns.is_empty() {
            String::new()
        } else {
            format!(
                "{} intercepted ({} interceptors launched), {} leaked, ",
                t.intercepted, t.interceptors_launched, t.leaked
            )
        },
        t.impacted,
        t.failed,
        if t.in_flight > 0 {
            format!(", {} still in flight at the end", t.in_flight)
        } else {
            String::new()
        } + &if t.removed > 0 {
            format!(", {} left the DIS exercise in flight", t.removed)
        } else {
            String::new()
        },
        t.asset_hits,
        summary
            .assets
            .iter()
            .filter(|a| a.hits > 0)
            .map(|a| format!(" — {} {}", a.name, a.hits))
            .collect::<String>()
    );
    for (r, params) in summary.radars.iter().zip(&scenario.radars) {
        let c = params.clock;
        if c.model != ClockModel::Exact || c.uptime > SimDuration::ZERO {
            outln!(
                "radar {}: clock {}, uptime {:.1} h, time error {:.4} s at the epoch; {} range-gate miss(es) where the clock moved the gate",
                r.name,
                c.model.word(),
                c.uptime.as_secs_f64() / 3600.0,
                c.error_s(rampart_core::SimTime::EPOCH),
                r.range_gate_misses
            );
            for t in &summary.threats {
                if let Some(f) = t.first_detection.iter().find(|f| f.radar == r.name)
                    && let (Some(when), Some(off)) = (f.t, f.range_gate_offset_m)
                {
                    outln!(
                        "  {} first detected {:.0} s after launch (T+{:.1} s): range-gate offset {:.0} m (gate ±{:.0} m)",
                        t.id,
                        when - t.launch_t,
                        when,
                        off,
                        0.5 * params.range_gate_m
                    );
                }
            }
        }
    }
    for r in &summary.radars {
        outln!(
            "radar {}: {} scans, {} detection(s) of threats, {} false alarm(s); {} track(s) confirmed, {} dropped{}",
            r.name,
            r.scans,
            r.detections,
            r.false_alarms,
            r.tracks_initiated,
            r.tracks_dropped,
            r.mean_gospa_m
                .map(|g| format!(", mean GOSPA {g:.0} m over {} scans", r.scored_scans))
                .unwrap_or_default()
        );
    }
    if !summary.radars.is_empty() {
        outln!(
            "  (false alarms: detections of noise alone, Pfa in each resolution cell of each scan; \
             mean GOSPA: the radar's tracking error against the threats it could see, 0 m when \
             each has an exact track and no track is false, and with the default settings \
             707 m for one threat missed alone — docs/outputs.md)"
        );
    }
    out!("{}", table::siap_lines(&summary));
    out!("{}", table::fire_unit_lines(&summary));
    out!("{}", table::gun_lines(&summary));
    out!("{}", table::effect_lines(&summary));
    let engagements = table::engagement_table(&summary);
    if !engagements.is_empty() {
        outln!();
        out!("{engagements}");
    }

    let manifest = folder::Manifest {
        sample_replication: args.replication,
        clock: clock.map(str::to_string),
        state_interval_ns: (state_interval != folder::DEFAULT_STATE_INTERVAL)
            .then(|| state_interval.as_nanos()),
        ..folder::Manifest::new(ReportKind::Run, path, seed)
    };
    let report_path = folder::write_report(
        &mut dir,
        &manifest,
        &scenario,
        (&events, &trace),
        folder::Extras::default(),
    )?;
    folder::finish(&mut dir, &manifest, &text, &earlier)?;
    outln!(
        "\nwrote {}, {} and {}",
        events_path.display(),
        summary_path.display(),
        report_path.display()
    );
    if let Some(csv_path) = &args.detections_csv {
        sensing_csv::write_detections_csv(csv_path, &events)?;
        outln!("wrote {}", csv_path.display());
    }
    if let Some(csv_path) = &args.tracks_csv {
        sensing_csv::write_tracks_csv(csv_path, &events)?;
        outln!("wrote {}", csv_path.display());
    }
    wire::finish(&args.dis, wire)?;
    if let Some(path) = &args.dis.czml {
        wire::write_czml(path, &scenario, &events)?;
    }
    Ok(())
}
