//! Output folders: what `run`, `mc` and `sweep` leave behind so that `rampart report DIR` can
//! draw the same report again.
//!
//! Each folder holds `manifest.json` (what made it), `scenario.toml` (the scenario text as it
//! was read) and the command's own outputs (`summary.json`, `impacts.csv`, `sweep.json`). The
//! sample replication the report draws is run again from the scenario copy: a replication is
//! determined by the scenario, the seed and its index, so the events and paths come out the
//! same.

use crate::output::OutDir;
use crate::text::{errln, outln};
use anyhow::{Context, Result, bail};
use rampart_core::SimDuration;
use rampart_core::input::{MAX_SCENARIO_BYTES, read_text_limited};
use rampart_report::{self as report, ReportKind, Trace};
use rampart_sim::events::Event;
use rampart_sim::montecarlo::sweep::SweepResult;
use rampart_sim::montecarlo::{ImpactRecord, McResult};
use rampart_sim::scenario::{Scenario, parse};
use rampart_sim::sensors::clock::ClockModel;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// `manifest.json`: what made an output folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `run`, `mc` or `sweep`.
    pub kind: String,
    /// The command line.
    pub command: String,
    /// Rampart's version.
    pub version: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    /// The seed.
    pub seed: u64,
    /// The replication the report draws.
    pub sample_replication: u64,
    /// The clock every radar ran on, when the command overrode the scenario's (`exact`,
    /// `legacy-24bit`).
    pub clock: Option<String>,
    /// Whether the run was interrupted (Ctrl-C) and its files cover the replications finished
    /// before it.
    #[serde(default)]
    pub interrupted: bool,
    /// Every file the command wrote into the folder, this one included.
    #[serde(default)]
    pub files: Vec<String>,
    /// The interval of the `entity_state` samples of the sample replication, ns (absent: the
    /// default, 1 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_interval_ns: Option<i64>,
}

impl Manifest {
    /// The interval of the sample replication's `entity_state` samples.
    pub fn state_interval(&self) -> SimDuration {
        self.state_interval_ns
            .filter(|&ns| ns > 0)
            .map_or(DEFAULT_STATE_INTERVAL, SimDuration::from_nanos)
    }
}

impl Manifest {
    /// A manifest for the command now running.
    pub fn new(kind: ReportKind, scenario_file: &Path, seed: u64) -> Self {
        Self {
            kind: kind_word(kind).into(),
            command: command_line(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario_file: scenario_file.display().to_string(),
            seed,
            sample_replication: 0,
            clock: None,
            interrupted: false,
            files: Vec::new(),
            state_interval_ns: None,
        }
    }

    fn kind(&self) -> Result<ReportKind> {
        Ok(match self.kind.as_str() {
            "run" => ReportKind::Run,
            "mc" => ReportKind::MonteCarlo,
            "sweep" => ReportKind::Sweep,
            other => bail!("manifest.json: unknown kind `{other}` (expected run, mc or sweep)"),
        })
    }
}

fn kind_word(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Run => "run",
        ReportKind::MonteCarlo => "mc",
        ReportKind::Sweep => "sweep",
    }
}

/// The command line, each argument quoted if it needs it.
fn command_line() -> String {
    std::env::args()
        .enumerate()
        .map(|(i, a)| {
            let a = if i == 0 {
                Path::new(&a)
                    .file_name()
                    .map_or(a.clone(), |f| f.to_string_lossy().into_owned())
            } else {
                a
            };
            if a.is_empty()
                || a.contains(|c: char| c.is_whitespace() || "'\"$`\\;&|<>*?".contains(c))
            {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The clock model named `word`.
pub fn clock_model(word: &str) -> Result<ClockModel> {
    match word {
        "exact" => Ok(ClockModel::Exact),
        "legacy-24bit" => Ok(ClockModel::Legacy24Bit),
        other => bail!("unknown clock `{other}` (expected exact or legacy-24bit)"),
    }
}

/// Sets every radar of `scenario` on the clock `word` (a visual observer has none).
pub fn set_clock(scenario: &mut Scenario, word: &str) -> Result<()> {
    let model = clock_model(word)?;
    for r in scenario.radars.iter_mut().filter(|r| r.visual.is_none()) {
        r.clock.model = model;
    }
    Ok(())
}

/// Every file a command of this or an earlier version writes into an output folder: what an
/// earlier manifest without a file list is taken to have written.
const KNOWN_FILES: [&str; 8] = [
    "events.jsonl",
    "summary.json",
    "report.html",
    "replications.csv",
    "impacts.csv",
    "grid.csv",
    "sweep.json",
    "scenario.toml",
];

/// The files an earlier run left in `dir`, by its manifest (none when it has no manifest).
/// Read before the new run writes anything, so that [`finish`] can remove what the new run
/// does not replace.
pub fn earlier_files(dir: &Path) -> Vec<String> {
    match read_json::<Manifest>(&dir.join("manifest.json")) {
        Ok(m) if !m.files.is_empty() => m.files,
        Ok(_) => KNOWN_FILES.map(String::from).to_vec(),
        Err(_) => Vec::new(),
    }
}

/// Ends an output folder: writes `scenario.toml` and last `manifest.json`, which names every
/// file written, then removes the files of an earlier run (`earlier`, from [`earlier_files`])
/// that this one did not replace, so the folder holds one run's files only.
pub fn finish(
    out: &mut OutDir,
    manifest: &Manifest,
    scenario_text: &str,
    earlier: &[String],
) -> Result<()> {
    out.write("scenario.toml", scenario_text.as_bytes())?;
    let mut manifest = manifest.clone();
    manifest.files = out.written().to_vec();
    manifest.files.push("manifest.json".into());
    out.write(
        "manifest.json",
        (serde_json::to_string_pretty(&manifest)? + "\n").as_bytes(),
    )?;
    out.remove_stale(earlier)?;
    Ok(())
}

/// The scenario file's text, read within the scenario size limit.
pub fn scenario_text(path: &Path) -> Result<String> {
    read_text_limited(path, MAX_SCENARIO_BYTES)
        .with_context(|| format!("reading {}", path.display()))
}

pub use rampart_report::{DEFAULT_STATE_INTERVAL, Extras, REPORT_IMPACTS};

/// Runs the manifest's sample replication of `scenario`, recording where every threat and
/// interceptor is (`entity_state` events, at the manifest's interval).
pub fn run_sample(manifest: &Manifest, scenario: &Scenario) -> Result<(Vec<Event>, Trace)> {
    report::run_sample(
        scenario,
        manifest.seed,
        manifest.sample_replication,
        manifest.state_interval(),
    )
    .context("running the sample replication")
}

/// Renders the report of the sample replication's `events` and `trace` and writes
/// `report.html` into `dir`. Returns its path.
pub fn write_report(
    out: &mut OutDir,
    manifest: &Manifest,
    scenario: &Scenario,
    sample: (&[Event], &Trace),
    extras: Extras,
) -> Result<PathBuf> {
    let origin = report::Origin {
        kind: manifest.kind()?,
        command: &manifest.command,
        version: &manifest.version,
        scenario_file: &manifest.scenario_file,
        seed: manifest.seed,
        replication: manifest.sample_replication,
    };
    let html = report::render_sample(&origin, scenario, sample, extras);
    out.write("report.html", html.as_bytes())
}

/// Runs the sample replication and writes the report (see [`run_sample`], [`write_report`]).
pub fn sample_and_report(
    out: &mut OutDir,
    manifest: &Manifest,
    scenario: &Scenario,
    extras: Extras,
) -> Result<PathBuf> {
    let (events, trace) = run_sample(manifest, scenario)?;
    write_report(out, manifest, scenario, (&events, &trace), extras)
}

/// The largest JSON file `rampart report` reads (a sweep's sweep.json of many points included).
const MAX_JSON_BYTES: u64 = 256 * 1024 * 1024;

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = read_text_limited(path, MAX_JSON_BYTES)
        .with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))
}

/// The first `limit` rows of an `impacts.csv`.
pub fn read_impacts(path: &Path, limit: usize) -> Result<Vec<ImpactRecord>> {
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, row) in r.deserialize().enumerate().take(limit) {
        let rec: ImpactRecord =
            row.with_context(|| format!("{}: row {}", path.display(), i + 2))?;
        out.push(rec);
    }
    Ok(out)
}

/// `rampart report DIR`: draws the report of an output folder again.
/// An output folder's manifest and its scenario copy (with the manifest's clock).
pub fn load_folder(dir: &Path) -> Result<(Manifest, Scenario)> {
    let manifest_path = dir.join("manifest.json");
    if !manifest_path.exists() {
        bail!(
            "{} has no manifest.json: give a folder written by `rampart run`, `mc` or `sweep`",
            dir.display()
        );
    }
    let manifest: Manifest = read_json(&manifest_path)?;
    let scenario_path = dir.join("scenario.toml");
    let text = scenario_text(&scenario_path)?;
    let mut scenario = parse(&text, &scenario_path.display().to_string()).map_err(|e| {
        errln!("{}", e.render());
        anyhow::anyhow!("the scenario copy in {} does not load", dir.display())
    })?;
    if let Some(c) = &manifest.clock {
        set_clock(&mut scenario, c).context("manifest.json: clock")?;
    }
    Ok((manifest, scenario))
}

/// `rampart report DIR`: the report (and with `--czml`, the CZML) of an output folder again.
pub fn report_command(dir: &Path, czml: Option<Option<PathBuf>>) -> Result<()> {
    let (manifest, scenario) = load_folder(dir)?;
    let (mc, impacts, sweep) = match manifest.kind()? {
        ReportKind::Run => (None, Vec::new(), None),
        ReportKind::MonteCarlo => (
            Some(read_json::<McResult>(&dir.join("summary.json"))?),
            read_impacts(&dir.join("impacts.csv"), REPORT_IMPACTS)?,
            None,
        ),
        ReportKind::Sweep => (
            None,
            Vec::new(),
            Some(read_json::<SweepResult>(&dir.join("sweep.json"))?),
        ),
    };
    let extras = Extras {
        mc: mc.as_ref(),
        impacts: &impacts,
        sweep: sweep.as_ref(),
    };
    let mut out = OutDir::create(dir)?;
    let (events, trace) = run_sample(&manifest, &scenario)?;
    let path = write_report(&mut out, &manifest, &scenario, (&events, &trace), extras)?;
    outln!("wrote {}", path.display());
    if let Some(file) = czml {
        let file = file.unwrap_or_else(|| dir.join("run.czml"));
        crate::wire::write_czml(&file, &scenario, &events)?;
    }
    Ok(())
}

/// The default output folder for `path`: `rampart-out/<stem><suffix>`.
pub fn default_out(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    Path::new("rampart-out").join(format!("{stem}{suffix}"))
}
