//! `rampart`: validate and run air-and-missile-defense scenarios.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::{Scenario, load};
use rampart_sim::summary::RunSummary;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod table;
mod track;

/// Rampart: an open air-and-missile-defense simulator.
#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a scenario file (every raid's launch is solved) and report the first problem with its line and column.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Run a scenario once: print a table of every threat and write the event log and summary.
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
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
    },
    /// Track targets in a file of Cartesian detections and write the confirmed tracks.
    Track {
        /// Detections: CSV `t,x,y,z`, sorted by time, one time per scan.
        #[arg(long, value_name = "FILE")]
        detections: PathBuf,
        /// Tracker settings (TOML: [motion], [measurement], [detection], [association],
        /// [initiation], [deletion], optional [metrics]).
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
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
    let result = match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Run {
            scenario,
            out,
            seed,
            log_detections,
            detections_csv,
            tracks_csv,
        } => run_once(
            &scenario,
            &RunArgs {
                out,
                seed,
                log_detections,
                detections_csv,
                tracks_csv,
            },
        ),
        Command::Track {
            detections,
            config,
            out,
            truth,
            metrics,
        } => track::run(
            &detections,
            &config,
            &out,
            truth.as_deref(),
            metrics.as_deref(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A scenario error has already been rendered with its snippet.
            if e.downcast_ref::<ExitError>().is_none() {
                eprintln!("error: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Loads a scenario, printing the rendered error (file, line, column, snippet) on failure.
fn load_or_report(path: &Path) -> Result<Scenario, ExitError> {
    load(path).map_err(|e| {
        eprintln!("{}", e.render());
        ExitError
    })
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
    println!(
        "{}: ok — \"{}\": {} asset(s), {} threat type(s), {} raid(s), {} threat(s), {} s",
        path.display(),
        s.name,
        s.assets.len(),
        s.threat_types.len(),
        s.raids.len(),
        threats,
        s.duration.as_secs_f64()
    );
    Ok(())
}

/// The options of `rampart run`.
#[derive(Debug)]
struct RunArgs {
    out: Option<PathBuf>,
    seed: Option<u64>,
    log_detections: bool,
    detections_csv: Option<PathBuf>,
    tracks_csv: Option<PathBuf>,
}

fn run_once(path: &Path, args: &RunArgs) -> Result<()> {
    let scenario = load_or_report(path)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into());
        Path::new("rampart-out").join(stem)
    });
    let events = run(
        &scenario,
        RunOptions {
            seed,
            replication: 0,
            false_alarm_events: args.log_detections || args.detections_csv.is_some(),
            track_events: args.log_detections || args.tracks_csv.is_some(),
        },
    )
    .context("running the scenario")?;
    let summary = RunSummary::from_events(&scenario, seed, &events);

    fs::create_dir_all(&out)
        .with_context(|| format!("creating the output folder {}", out.display()))?;
    let events_path = out.join("events.jsonl");
    let mut w = BufWriter::new(
        fs::File::create(&events_path)
            .with_context(|| format!("creating {}", events_path.display()))?,
    );
    // Scans and detections are many: written only when asked for.
    let is_sensing = |k: &EventKind| {
        matches!(
            k,
            EventKind::Detection { .. } | EventKind::Scan { .. } | EventKind::TrackUpdate { .. }
        )
    };
    for e in events
        .iter()
        .filter(|e| args.log_detections || !is_sensing(&e.kind))
    {
        serde_json::to_writer(&mut w, e)?;
        w.write_all(b"\n")?;
    }
    w.flush()
        .with_context(|| format!("writing {}", events_path.display()))?;
    let summary_path = out.join("summary.json");
    fs::write(
        &summary_path,
        serde_json::to_string_pretty(&summary)? + "\n",
    )
    .with_context(|| format!("writing {}", summary_path.display()))?;

    println!(
        "{} — seed {seed}, epoch {}\n",
        scenario.name, scenario.epoch
    );
    print!("{}", table::threat_table(&summary));
    let t = &summary.totals;
    println!(
        "\n{} launched: {}{} impacted, {} failed{}; {} asset hit(s){}",
        t.launched,
        if summary.fire_units.is_empty() {
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
        },
        t.asset_hits,
        summary
            .assets
            .iter()
            .filter(|a| a.hits > 0)
            .map(|a| format!(" — {} {}", a.name, a.hits))
            .collect::<String>()
    );
    for r in &summary.radars {
        println!(
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
    print!("{}", table::fire_unit_lines(&summary));
    println!(
        "\nwrote {} and {}",
        events_path.display(),
        summary_path.display()
    );
    if let Some(csv_path) = &args.detections_csv {
        write_detections_csv(csv_path, &events)?;
        println!("wrote {}", csv_path.display());
    }
    if let Some(csv_path) = &args.tracks_csv {
        write_tracks_csv(csv_path, &events)?;
        println!("wrote {}", csv_path.display());
    }
    Ok(())
}

/// Every detection event as one CSV row, with a header.
fn write_detections_csv(path: &Path, events: &[Event]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record([
        "t",
        "radar",
        "range_m",
        "azimuth_rad",
        "elevation_rad",
        "range_rate_mps",
        "snr_db",
        "truth_id",
    ])?;
    for e in events {
        if let EventKind::Detection {
            radar,
            range_m,
            azimuth_rad,
            elevation_rad,
            range_rate_mps,
            snr_db,
            truth,
            ..
        } = &e.kind
        {
            w.write_record([
                e.t.to_string(),
                radar.clone(),
                range_m.to_string(),
                azimuth_rad.to_string(),
                elevation_rad.to_string(),
                range_rate_mps.to_string(),
                snr_db.to_string(),
                truth.clone().unwrap_or_default(),
            ])?;
        }
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Every `track_update` event as one CSV row, with a header.
fn write_tracks_csv(path: &Path, events: &[Event]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record([
        "t",
        "radar",
        "track_id",
        "east_m",
        "north_m",
        "up_m",
        "v_east_mps",
        "v_north_mps",
        "v_up_mps",
    ])?;
    for e in events {
        if let EventKind::TrackUpdate {
            radar,
            track,
            position_m,
            velocity_mps,
        } = &e.kind
        {
            let mut row = vec![e.t.to_string(), radar.clone(), track.to_string()];
            row.extend(position_m.iter().chain(velocity_mps).map(|v| v.to_string()));
            w.write_record(&row)?;
        }
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
