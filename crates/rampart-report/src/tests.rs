//! Report tests on the shipped Al Asad scenarios: one replication with its entity states and four Monte Carlo
//! replications, computed once and shared.

use super::*;
use rampart_core::SimDuration;
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::montecarlo::sweep::{Axis, SweepPoint};
use rampart_sim::montecarlo::{McOptions, run_mc_with};
use std::path::Path;
use std::sync::OnceLock;

const DEFENDED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/al-asad-2020-defended.toml"
);
const UNDEFENDED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/al-asad-2020.toml"
);

struct Run {
    scenario: Scenario,
    events: Vec<Event>,
    trace: Trace,
    summary: RunSummary,
}

impl Run {
    fn new(path: &str) -> Self {
        let scenario = rampart_sim::scenario::load(Path::new(path)).unwrap();
        let opts = RunOptions {
            state_interval: Some(SimDuration::from_secs(1)),
            ..RunOptions::seed(2)
        };
        let events = run(&scenario, opts).unwrap();
        let trace = Trace::from_events(&events);
        let summary = RunSummary::from_events(&scenario, 2, &events);
        Self {
            scenario,
            events,
            trace,
            summary,
        }
    }

    fn sample(&self) -> Sample<'_> {
        Sample {
            replication: 0,
            events: &self.events,
            summary: &self.summary,
            trace: &self.trace,
        }
    }

    fn input(&self, kind: ReportKind) -> ReportInput<'_> {
        ReportInput {
            kind,
            command: "rampart run scenarios/al-asad-2020-defended.toml",
            version: "0.1.0",
            scenario: &self.scenario,
            scenario_file: "scenarios/al-asad-2020-defended.toml",
            seed: 2,
            sample: Some(self.sample()),
            mc: None,
            impacts: &[],
            sweep: None,
        }
    }
}

fn defended() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| Run::new(DEFENDED))
}

/// Four replications of the defended scenario and their impact points.
fn monte_carlo() -> &'static (McResult, Vec<ImpactRecord>) {
    static MC: OnceLock<(McResult, Vec<ImpactRecord>)> = OnceLock::new();
    MC.get_or_init(|| {
        let opts = McOptions {
            runs: 4,
            threads: Some(1),
            until_ci: None,
            seed: 2,
            stop: None,
        };
        let mut impacts = Vec::new();
        let mc = run_mc_with(
            &defended().scenario,
            &opts,
            |_| {},
            |r| {
                impacts.extend(r.impacts.iter().cloned());
                Ok(())
            },
        )
        .unwrap();
        (mc, impacts)
    })
}

/// A two-key sweep made from the Monte Carlo result (the statistics are only drawn): the
/// first asset's P(hit ≥ 1) grows with the raid's size (0.2, 0.4, 0.6, intervals ±0.05), and
/// the radar's range changes nothing.
fn sweep() -> &'static SweepResult {
    static SWEEP: OnceLock<SweepResult> = OnceLock::new();
    SWEEP.get_or_init(|| {
        let axes = vec![
            Axis::parse("radar.0.range_max=150 km,170 km").unwrap(),
            Axis::parse("raid.0.count=4,5,6").unwrap(),
        ];
        let mc = &monte_carlo().0;
        let points = (0..2)
            .flat_map(|a| (0..3).map(move |b| vec![a, b]))
            .map(|at| {
                let mut result = mc.clone();
                let p = 0.2 + 0.2 * at[1] as f64;
                result.assets[0].p_hit.mean = p;
                result.assets[0].p_hit.ci_low = p - 0.05;
                result.assets[0].p_hit.ci_high = p + 0.05;
                SweepPoint {
                    at,
                    result,
                    paired: Vec::new(),
                }
            })
            .collect();
        SweepResult {
            scenario: mc.scenario.clone(),
            seed: 2,
            runs: mc.runs,
            axes,
            points,
        }
    })
}

fn render_kind(kind: ReportKind) -> String {
    let run = defended();
    let (mc, impacts) = monte_carlo();
    let mut input = run.input(kind);
    match kind {
        ReportKind::Run => {}
        ReportKind::MonteCarlo => {
            input.mc = Some(mc);
            input.impacts = impacts;
        }
        ReportKind::Sweep => input.sweep = Some(sweep()),
    }
    render(&input)
}

/// The text of section `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// Checks what every report must be: sections with headings, titled SVGs, no network.
fn check(html: &str, ids: &[&str]) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    for id in ids {
        assert!(
            section(html, id).contains("<h2>"),
            "section {id} has no heading"
        );
    }
    assert_eq!(html.matches("<section").count(), ids.len());
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    for svg in html.split("<svg").skip(1) {
        let title = svg
            .split_once("<title>")
            .and_then(|(head, rest)| (!head.contains('<')).then_some(rest))
            .and_then(|rest| rest.split_once("</title>"))
            .map(|(t, _)| t)
            .expect("every svg opens with a title");
        assert!(!title.trim().is_empty());
    }
    let offline = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!offline.contains("http://") && !offline.contains("https://"));
    assert!(!html.contains("<script"));
}

#[test]
fn a_run_report_has_its_sections_and_charts() {
    let html = render_kind(ReportKind::Run);
    check(
        &html,
        &["summary", "map", "profile", "timeline", "parameters"],
    );
    let map = section(&html, "map");
    // Al Asad lies inland: the Iraq–Iran border is in view, the coast is not (the map test
    // `coast_in_view_is_drawn` checks a coastal view).
    assert!(map.contains("<path class=\"border\" d=\"M"));
    assert!(map.contains("<g class=\"asset\"><circle"));
    assert!(map.contains("Al Asad Air Base"));
    assert!(section(&html, "profile").contains("<polyline"));
    assert!(section(&html, "timeline").contains("R1-1"));
    assert!(section(&html, "parameters").contains("PAC-3-like"));
}

#[test]
fn a_monte_carlo_report_has_its_sections_and_charts() {
    let html = render_kind(ReportKind::MonteCarlo);
    check(
        &html,
        &[
            "summary",
            "map",
            "profile",
            "timeline",
            "montecarlo",
            "parameters",
        ],
    );
    let mc = section(&html, "montecarlo");
    assert!(mc.contains("Leakers per replication"));
    assert!(mc.contains("Impacts around Al Asad Air Base"));
    // Erbil is undefended: its impacts, 30 m CEP against a 1.5 km radius, get a close-up.
    assert!(mc.contains("Impacts around Erbil Air Base — close-up"));
    assert!(mc.contains("hit radius lies beyond this close-up"));
    assert!(mc.contains("P(no leaker)"));
    // The four histograms, the probability chart and one impact panel per asset.
    assert!(mc.matches("<svg").count() >= 7);
}

#[test]
fn a_sweep_report_has_its_sections_and_charts() {
    let html = render_kind(ReportKind::Sweep);
    check(
        &html,
        &[
            "summary",
            "map",
            "profile",
            "timeline",
            "sweep",
            "parameters",
        ],
    );
    let sw = section(&html, "sweep");
    // Keys in words.
    assert!(sw.contains("radar 1 range max (km)"));
    // Two keys: against one, a line per value of the other, named in the legend.
    assert!(sw.contains("raid 1 size 6"));
    assert!(sw.contains("radar 1 range max 170 km"));
    // The finding leads: what moved beyond its intervals, from where to where; what stayed
    // the same is named once, not charted; a step that changed nothing is said.
    let lead = sw.find("What changed").expect("a lead");
    assert!(lead < sw.find("<svg").expect("charts"));
    assert!(sw.contains(
        "Beyond the 95 % intervals of its lowest and highest points: P(hit ≥ 1): Al Asad Air Base."
    ));
    assert!(sw.contains("at radar 1 range max 150 km, raid 1 size 6"));
    assert!(sw.contains("The same at every grid point (not charted):"));
    assert!(sw.contains(
        "Changed no statistic of the outcome at all: radar 1 range max from 150 km to 170 km."
    ));
    // Only the varying statistic is charted, against each key.
    assert_eq!(sw.matches("<svg").count(), 2);
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(
        render_kind(ReportKind::MonteCarlo),
        render_kind(ReportKind::MonteCarlo)
    );
}

#[test]
fn names_are_escaped() {
    let run = defended();
    let mut scenario = run.scenario.clone();
    scenario.name = "Base <A&B> \"test\"".into();
    scenario.assets[0].name = "<Asset & Co>".into();
    let input = ReportInput {
        scenario: &scenario,
        command: "rampart run 'a<b>.toml'",
        ..run.input(ReportKind::Run)
    };
    let html = render(&input);
    assert!(!html.contains("<A&B>") && !html.contains("<Asset & Co>"));
    assert!(html.contains("Base &lt;A&amp;B&gt; &quot;test&quot;"));
    assert!(html.contains("&lt;Asset &amp; Co&gt;"));
    assert!(html.contains("a&lt;b&gt;.toml"));
}

#[test]
fn an_undefended_run_and_a_report_without_impacts_render() {
    let run = Run::new(UNDEFENDED);
    let html = render(&run.input(ReportKind::Run));
    check(
        &html,
        &["summary", "map", "profile", "timeline", "parameters"],
    );
    assert!(html.contains("No interceptor was launched"));
    // Monte Carlo statistics without impact points and without a sample replication.
    let input = ReportInput {
        sample: None,
        mc: Some(&monte_carlo().0),
        impacts: &[],
        ..run.input(ReportKind::MonteCarlo)
    };
    let html = render(&input);
    check(&html, &["summary", "montecarlo", "parameters"]);
    assert!(html.contains("No impact point was recorded"));
}

#[test]
fn an_interrupted_monte_carlo_run_says_so() {
    let run = defended();
    let (mc, impacts) = monte_carlo();
    let mut cut = mc.clone();
    cut.interrupted = true;
    cut.runs_requested = 1000;
    let mut input = run.input(ReportKind::MonteCarlo);
    input.mc = Some(&cut);
    input.impacts = impacts;
    let html = render(&input);
    let summary = section(&html, "summary");
    assert!(summary.contains("4 of 1000"), "{summary}");
    assert!(
        summary.contains("Interrupted after 4 of 1000 replications"),
        "{summary}"
    );
    assert!(!section(&render_kind(ReportKind::MonteCarlo), "summary").contains("Interrupted"));
}

#[test]
fn a_run_report_names_no_replication_and_a_monte_carlo_report_its_sample() {
    let run = render_kind(ReportKind::Run);
    assert!(
        !run.contains("replication 0"),
        "a single run is not a replication"
    );
    assert!(run.contains("<title>Situation map</title>"));
    let mc = render_kind(ReportKind::MonteCarlo);
    assert!(mc.contains("Situation map — sample replication 0"));
    assert!(!mc.contains('`'), "no literal backticks in the text");
    assert!(!mc.contains("1.959963984540054"));
}

#[test]
fn an_impact_close_up_is_in_metres_and_its_legend_has_only_what_it_draws() {
    let html = render_kind(ReportKind::MonteCarlo);
    let mc = section(&html, "montecarlo");
    // Erbil's close-up (30 m CEP) spans less than a kilometre: metres; every impact there
    // hits, so no miss is in its legend.
    let close = mc
        .split("<svg")
        .find(|svg| svg.contains("Impacts around Erbil Air Base — close-up"))
        .expect("Erbil's close-up");
    assert!(close.contains("East of the asset centre (m)"));
    assert!(!close.contains("Impact: miss"));
}

#[test]
fn a_whole_number_histogram_starts_half_a_unit_below_its_lowest_value() {
    let html = render_kind(ReportKind::MonteCarlo);
    let leakers = section(&html, "montecarlo")
        .split("<svg")
        .find(|svg| svg.contains("<title>Leakers per replication</title>"))
        .expect("the leakers histogram");
    // Tick labels are the whole numbers drawn; none is negative.
    assert!(leakers.contains(">0</text>"));
    assert!(!leakers.contains(">−1</text>") && !leakers.contains(">-1</text>"));
}

#[test]
fn the_sweep_grid_has_a_column_per_point_at_most_five_to_a_table() {
    let html = render_kind(ReportKind::Sweep);
    let sw = section(&html, "sweep");
    let points = sweep().points.len();
    assert!(points > 1);
    let heads = sw.matches("<th>Point ").count();
    assert_eq!(heads, points);
    for table in sw.split("<table>").skip(1) {
        let head = table.split("</thead>").next().unwrap_or_default();
        assert!(head.matches("<th>Point ").count() <= 5);
    }
}

#[test]
fn key_paths_read_as_words() {
    use super::sweep::key_words;
    assert_eq!(
        key_words("fire_unit.Battery-1.launchers.count"),
        "Battery-1 launchers"
    );
    // Two launcher groups of one unit stay apart.
    assert_eq!(
        key_words("fire_unit.Battery-1.launchers.0.count"),
        "Battery-1 launchers (group 1)"
    );
    assert_eq!(
        key_words("fire_unit.Battery-1.launchers.1.rounds"),
        "Battery-1 launchers 2 rounds per launcher"
    );
    assert_eq!(
        key_words("fire_unit.Battery-1.channels"),
        "Battery-1 fire channels"
    );
    assert_eq!(
        key_words("fire_unit.0.channels"),
        "fire unit 1 fire channels"
    );
    assert_eq!(key_words("asset.0.radius"), "asset 1 radius");
    assert_eq!(key_words("raid.0.count"), "raid 1 size");
    assert_eq!(key_words("radar.1.range_max"), "radar 2 range max");
    assert_eq!(
        key_words("radar.Battery-1 radar.range_max"),
        "Battery-1 radar range max"
    );
    assert_eq!(key_words("scenario.seed"), "scenario.seed");
}

#[test]
fn a_step_up_in_a_resource_that_changes_nothing_says_whether_rounds_ran_out() {
    let mc = &monte_carlo().0;
    let sw = SweepResult {
        scenario: mc.scenario.clone(),
        seed: 2,
        runs: mc.runs,
        axes: vec![Axis::parse("fire_unit.Battery-1.launchers.count=2,4").unwrap()],
        points: (0..2)
            .map(|k| {
                let mut result = mc.clone();
                // More launchers leave more rounds; nothing else moves.
                result.fire_units[0].interceptors_left.mean += 8.0 * k as f64;
                SweepPoint {
                    at: vec![k],
                    result,
                    paired: Vec::new(),
                }
            })
            .collect(),
    };
    let html = super::sweep::section(&sw);
    let p_out = mc.fire_units[0].p_out_of_rounds.mean;
    assert!(
        html.contains(
            "Changed no statistic of the outcome at all: Battery-1 launchers from 2 to 4 ("
        ),
        "{html}"
    );
    let full = mc.fire_units[0].p_channels_full.mean;
    assert!(html.contains("P(out of rounds): Battery-1 "));
    assert!(html.contains("P(all fire channels in use): Battery-1 "));
    let verdict = match (p_out > 0.0, full > 0.0) {
        (false, false) => "neither its rounds nor its channels ran short",
        (true, false) => "its rounds ran out at times, its channels were never all in use",
        (false, true) => "all its channels were in use at times, its rounds never ran out",
        (true, true) => "both its rounds and its channels ran short at times",
    };
    assert!(html.contains(verdict), "{html}");
    assert!(html.contains("it bought nothing"));
}

/// No two of the first twelve threat types, nor of the first nine interceptor types, are drawn
/// alike (colour and dash), and no threat line looks like an interceptor's.
#[test]
fn track_lines_tell_types_apart() {
    use super::map::{interceptor_line, threat_line};
    let look = |s: super::svg::Stroke| (s.colour, s.dash);
    let threats: Vec<_> = (0..12).map(|k| look(threat_line(k))).collect();
    let interceptors: Vec<_> = (0..9).map(|k| look(interceptor_line(k))).collect();
    let all: Vec<_> = threats.iter().chain(&interceptors).collect();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
}
