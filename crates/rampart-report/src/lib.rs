//! `report.html`: one self-contained file (inline SVG, no network) of a run, a Monte Carlo run
//! or a sweep.
//!
//! The page is a sequence of sections, each `<section id="…">` with an `<h2>`: `summary`, then
//! for a sample replication `map`, `profile` and `timeline`, then `montecarlo` and `sweep` when
//! there are such results, and `parameters` last. Every picture is hand-written SVG (see
//! [`svg`] for why not `plotters`). The output depends only on the input: no dates, no hash-map
//! order, so the same input gives byte-identical HTML.

mod html;
mod map;
mod montecarlo;
mod params;
mod paths;
mod plot;
mod profile;
mod summary;
mod svg;
mod sweep;
pub mod table;
#[cfg(test)]
mod tests;
mod timeline;

pub use map::NATURAL_EARTH;
pub use paths::Trace;
use rampart_core::SimDuration;
use rampart_sim::engine::{EngineError, RunOptions, run};
use rampart_sim::events::Event;
use rampart_sim::montecarlo::sweep::SweepResult;
use rampart_sim::montecarlo::{ImpactRecord, McResult};
use rampart_sim::scenario::Scenario;
use rampart_sim::summary::RunSummary;

/// The colours and symbols of the report's map as JSON, so that the live display
/// (`rampart serve`) draws what the report draws the same way.
pub fn display_style() -> serde_json::Value {
    use serde_json::json;
    use svg::symbol::*;
    use svg::{DEFENCE_COLOURS, Fill, Mark, Stroke, THREAT_COLOURS};
    let mark = |m: Mark| json!({"shape": format!("{:?}", m.shape).to_lowercase(), "colour": m.colour, "filled": m.filled});
    let fill = |f: Fill| json!({"colour": f.colour, "opacity": f.opacity});
    let stroke = |s: Stroke| json!({"colour": s.colour, "width": s.width, "dash": s.dash, "opacity": s.opacity});
    json!({
        "threat_colours": THREAT_COLOURS,
        "defence_colours": DEFENCE_COLOURS,
        "asset_fill": fill(map::ASSET_FILL),
        "asset_line": stroke(map::ASSET_LINE),
        "sector_fill": fill(map::SECTOR_FILL),
        "sector_line": stroke(map::SECTOR_LINE),
        "marks": {
            "asset": mark(ASSET), "radar": mark(RADAR), "observer": mark(OBSERVER),
            "launcher": mark(LAUNCHER), "gun": mark(GUN), "site": mark(SITE),
            "kill": mark(KILL), "miss": mark(MISS), "hit": mark(HIT), "impact": mark(IMPACT),
            "failure": mark(FAILURE),
        },
    })
}

/// What made the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// `rampart run`.
    Run,
    /// `rampart mc`.
    MonteCarlo,
    /// `rampart sweep`.
    Sweep,
}

/// How a figure's title names the replication it draws: nothing for a single run of
/// replication 0 (the run itself), else " — replication K" for a run or " — sample
/// replication K" for a Monte Carlo run or a sweep.
pub(crate) fn drawn(input: &ReportInput, s: &Sample) -> String {
    match (input.kind, s.replication) {
        (ReportKind::Run, 0) => String::new(),
        (ReportKind::Run, k) => format!(" — replication {k}"),
        (_, k) => format!(" — sample replication {k}"),
    }
}

/// The replication whose paths and timeline the report draws.
#[derive(Clone, Copy, Debug)]
pub struct Sample<'a> {
    /// Its replication index.
    pub replication: u64,
    /// Its events.
    pub events: &'a [Event],
    /// Its summary.
    pub summary: &'a RunSummary,
    /// Its flown paths.
    pub trace: &'a Trace,
}

/// Everything a report shows.
#[derive(Clone, Copy, Debug)]
pub struct ReportInput<'a> {
    /// What made it.
    pub kind: ReportKind,
    /// The command line that made the outputs.
    pub command: &'a str,
    /// Rampart's version.
    pub version: &'a str,
    /// The scenario (for a sweep: the scenario file as written, before any change).
    pub scenario: &'a Scenario,
    /// The scenario file's path as given.
    pub scenario_file: &'a str,
    /// The seed.
    pub seed: u64,
    /// The sample replication.
    pub sample: Option<Sample<'a>>,
    /// Monte Carlo statistics.
    pub mc: Option<&'a McResult>,
    /// Monte Carlo impact points (possibly a leading subset of all of them).
    pub impacts: &'a [ImpactRecord],
    /// Sweep results.
    pub sweep: Option<&'a SweepResult>,
}

/// Impact points a report draws at most (the first ones, in replication order).
pub const REPORT_IMPACTS: usize = 5_000;

/// The default interval of `entity_state` samples, the paths the report draws.
pub const DEFAULT_STATE_INTERVAL: SimDuration = SimDuration::from_secs(1);

/// What a report draws beyond its origin, the scenario and the sample replication.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    /// Monte Carlo statistics.
    pub mc: Option<&'a McResult>,
    /// Monte Carlo impact points (the first [`REPORT_IMPACTS`] at most).
    pub impacts: &'a [ImpactRecord],
    /// Sweep results.
    pub sweep: Option<&'a SweepResult>,
}

/// What made a report, and the replication it draws.
#[derive(Clone, Copy, Debug)]
pub struct Origin<'a> {
    /// What made it.
    pub kind: ReportKind,
    /// The command (or call) that made it.
    pub command: &'a str,
    /// Rampart's version.
    pub version: &'a str,
    /// The scenario file as given.
    pub scenario_file: &'a str,
    /// The seed.
    pub seed: u64,
    /// The sample replication's index.
    pub replication: u64,
}

/// Runs replication `replication` of `scenario` with `seed`, recording where every threat and
/// interceptor is every `state_interval` (`entity_state` events): the sample a report draws.
pub fn run_sample(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    state_interval: SimDuration,
) -> Result<(Vec<Event>, Trace), EngineError> {
    let opts = RunOptions {
        replication,
        state_interval: Some(state_interval),
        ..RunOptions::seed(seed)
    };
    let events = run(scenario, opts)?;
    let trace = Trace::from_events(&events);
    Ok((events, trace))
}

/// The report of `origin`'s sample replication (its `events` and flown `trace`), with `extras`.
/// The command line and the Python module both render through here, so their reports are the
/// same but for the command they record.
pub fn render_sample(
    origin: &Origin,
    scenario: &Scenario,
    (events, trace): (&[Event], &Trace),
    extras: Extras,
) -> String {
    let summary = RunSummary::from_events(scenario, origin.seed, events);
    render(&ReportInput {
        kind: origin.kind,
        command: origin.command,
        version: origin.version,
        scenario,
        scenario_file: origin.scenario_file,
        seed: origin.seed,
        sample: Some(Sample {
            replication: origin.replication,
            events,
            summary: &summary,
            trace,
        }),
        mc: extras.mc,
        impacts: extras.impacts,
        sweep: extras.sweep,
    })
}

/// The report as one HTML text.
pub fn render(input: &ReportInput) -> String {
    use html::Section;
    let mut sections = vec![Section {
        id: "summary",
        title: "Summary",
        body: summary::section(input),
    }];
    if let Some(s) = &input.sample {
        sections.extend([
            Section {
                id: "map",
                title: "Map",
                body: map::section(input, s),
            },
            Section {
                id: "profile",
                title: "Altitude profiles",
                body: profile::section(input, s),
            },
            Section {
                id: "timeline",
                title: "Engagement timeline",
                body: timeline::section(input, s),
            },
        ]);
    }
    if let Some(mc) = input.mc {
        sections.push(Section {
            id: "montecarlo",
            title: "Monte Carlo statistics",
            body: montecarlo::section(input, mc),
        });
    }
    if let Some(sw) = input.sweep {
        sections.push(Section {
            id: "sweep",
            title: "Parameter sweep",
            body: sweep::section(sw),
        });
    }
    sections.push(Section {
        id: "parameters",
        title: "Parameters",
        body: params::section(input),
    });
    let name = &input.scenario.name;
    let heading = format!(
        "<h1>{}</h1><p class=\"sub\">{} report · seed {} · Rampart {} · scenario file <code>{}</code></p>",
        svg::esc(name),
        summary::kind_words(input.kind),
        input.seed,
        svg::esc(input.version),
        svg::esc(input.scenario_file)
    );
    html::page(&format!("{name} — Rampart report"), &heading, &sections)
}
