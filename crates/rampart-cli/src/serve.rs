//! `rampart serve`: watch one engagement in the browser, live (a scenario, paced to the wall
//! clock) or replayed (a run folder). The server is `rampart-serve`; this module loads what it
//! shows.

use crate::folder;
use crate::text::{errln, outln};
use anyhow::{Context, Result, bail};
use rampart_core::input::read_text_limited;
use rampart_serve::scene::{Mode, scene};
use rampart_serve::{Display, Limits, hub::Hub, live};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest `events.jsonl` a replay reads, bytes.
const MAX_EVENTS_BYTES: u64 = 1 << 30;

/// `rampart serve`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A scenario file (TOML) to run live, or an output folder of `rampart run` (its
    /// events.jsonl), `mc` or `sweep` (its sample replication, run again) to replay.
    pub path: PathBuf,
    /// A live run's speed: simulated seconds per wall-clock second, 0.1 to 1000 (the page
    /// changes it too).
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Start a live run paused.
    #[arg(long)]
    pub paused: bool,
    /// The address and port to listen on. Anything but a loopback address lets every machine
    /// that reaches it watch and steer the run.
    #[arg(long, default_value = "127.0.0.1:8765")]
    pub bind: SocketAddr,
    /// Set a scenario key of a live run, KEY=VALUE with the paths of `sweep --vary`; repeat
    /// for several.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Seed of a live run [default: the scenario's seed].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Interval of a live run's `entity_state` events, e.g. `0.5 s` [default: 1 s].
    #[arg(long, value_name = "DURATION")]
    pub state_interval: Option<String>,
}

/// Runs `rampart serve`.
pub fn run(args: &ServeArgs) -> Result<()> {
    if !(live::SPEEDS.0..=live::SPEEDS.1).contains(&args.speed) {
        bail!(
            "--speed {}: give a speed from {} to {} (simulated seconds per second)",
            args.speed,
            live::SPEEDS.0,
            live::SPEEDS.1
        );
    }
    let display = if args.path.is_dir() {
        if !args.set.is_empty() || args.seed.is_some() || args.state_interval.is_some() {
            bail!(
                "--set, --seed and --state-interval change a live run; a replay shows the folder's run as it was"
            );
        }
        replay(&args.path)?
    } else {
        live_display(args)?
    };
    if !args.bind.ip().is_loopback() {
        errln!(
            "warning: listening on {}, not a loopback address: anyone who reaches it can watch and steer the run (a page elsewhere too, through DNS rebinding)",
            args.bind
        );
    }
    let mode = display.mode.word();
    rampart_serve::serve_blocking(display, args.bind, Limits::default(), |addr| {
        outln!("rampart serve: http://{addr}/ ({mode}; Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("serving on {}", args.bind))
}

fn live_display(args: &ServeArgs) -> Result<Display> {
    let (scenario, _) = crate::load_with_sets(&args.path, &args.set)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let interval = crate::state_interval_arg(args.state_interval.as_deref())?;
    let title = format!("{} — live", scenario.name);
    let scene = scene(
        &scenario,
        Mode::Live,
        &title,
        &rampart_report::display_style(),
    );
    let hub = Hub::new();
    let control = live::Control::new(args.speed);
    if args.paused {
        control.set_paused(true);
    }
    live::spawn(
        scenario,
        live::run_options(seed, interval),
        Arc::clone(&hub),
        Arc::clone(&control),
    )
    .context("starting the run")?;
    Ok(Display {
        mode: Mode::Live,
        scene,
        hub,
        control: Some(control),
        folder: None,
    })
}

fn replay(dir: &Path) -> Result<Display> {
    let (manifest, scenario) = folder::load_folder(dir)?;
    let events_path = dir.join("events.jsonl");
    let hub = if events_path.is_file() {
        let text = read_text_limited(&events_path, MAX_EVENTS_BYTES)
            .with_context(|| format!("reading {}", events_path.display()))?;
        rampart_serve::replay_hub(&text).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?
    } else {
        // A Monte Carlo run's or a sweep's folder keeps no events: run its sample again,
        // with its tracks (a replication is fixed by the scenario, the seed and its index).
        let opts = rampart_sim::engine::RunOptions {
            replication: manifest.sample_replication,
            ..live::run_options(manifest.seed, manifest.state_interval())
        };
        let events =
            rampart_sim::engine::run(&scenario, opts).context("running the sample replication")?;
        let hub = Hub::new();
        for e in events.iter().filter(|e| live::shown(&e.kind)) {
            hub.push(serde_json::to_string(e)?)?;
        }
        let t = events.last().map_or(0.0, |e| e.t);
        hub.finish(rampart_serve::hub::End { t, error: None });
        hub
    };
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = format!("{} — replay of {name}", scenario.name);
    Ok(Display {
        mode: Mode::Replay,
        scene: scene(
            &scenario,
            Mode::Replay,
            &title,
            &rampart_report::display_style(),
        ),
        hub,
        control: None,
        folder: Some(dir.to_path_buf()),
    })
}
