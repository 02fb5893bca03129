//! Monte Carlo statistics: every estimate with its 95 % interval, the probabilities as a chart,
//! histograms of leakers, interceptors and intercept positions, and the impact points around
//! each asset.

use super::ReportInput;
use super::html::{estimate, figure, h3, length, num, panels, para, table};
use super::plot::{
    Bin, Chart, Histogram, Key, LEFT, LegendEntry, PANEL_WIDTH, RIGHT, Span, YAxis, estimates,
    histogram, nice_step,
};
use super::svg::{Fill, Mark, Shape, Stroke, colour};
use rampart_core::Geodetic;
use rampart_sim::montecarlo::stats::{CountBin, Estimate, RangeBin};
use rampart_sim::montecarlo::sweep::statistics;
use rampart_sim::montecarlo::{ImpactRecord, McResult};
use rampart_sim::scenario::Asset;

/// Impact points drawn at most per asset panel.
const MAX_POINTS: usize = 3_000;

/// How a statistic is shown.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Stat {
    /// Its name in words.
    pub title: String,
    /// The vertical axis label, with unit.
    pub axis: String,
    /// Multiplier from the statistic's unit to the shown one.
    pub factor: f64,
    /// A probability (0 … 1).
    pub probability: bool,
}

/// How statistic `name` (as [`statistics`] names it) is shown.
pub(super) fn describe(name: &str) -> Stat {
    let (head, arg) = name.split_once(':').unwrap_or((name, ""));
    let stat = |title: String, axis: &str, factor: f64, probability: bool| Stat {
        title,
        axis: axis.into(),
        factor,
        probability,
    };
    match head {
        "p_hit" => stat(format!("P(hit ≥ 1): {arg}"), "Probability", 1.0, true),
        "hits" => stat(format!("Hits per replication: {arg}"), "Hits", 1.0, false),
        "p_zero_leakers" => stat("P(no leaker)".into(), "Probability", 1.0, true),
        "leakers" => stat("Leakers per replication".into(), "Leakers", 1.0, false),
        "interceptors_launched" => stat(
            "Interceptors launched per replication".into(),
            "Interceptors",
            1.0,
            false,
        ),
        "intercepted" => stat(
            "Threats intercepted per replication".into(),
            "Threats",
            1.0,
            false,
        ),
        "p_kill" => stat(
            format!("P(kill | engaged): {arg}"),
            "Probability",
            1.0,
            true,
        ),
        "p_intercepted" => stat(format!("P(intercepted): {arg}"), "Probability", 1.0, true),
        "p_leak" => stat(format!("P(hits an asset): {arg}"), "Probability", 1.0, true),
        "gun_kills" => stat(
            format!("Gun kills per replication: {arg}"),
            "Kills",
            1.0,
            false,
        ),
        "gun_rounds" => stat(
            format!("Gun rounds fired per replication: {arg}"),
            "Rounds",
            1.0,
            false,
        ),
        "warning_time_s" if arg.is_empty() => stat(
            "Warning time of a threat that landed after an alarm".into(),
            "Time (s)",
            1.0,
            false,
        ),
        "warning_time_s" => stat(format!("Warning time: {arg}"), "Time (s)", 1.0, false),
        "asset_warning_time_s" => stat(
            format!("Warning time of the first hit: {arg}"),
            "Time (s)",
            1.0,
            false,
        ),
        "killed" if arg.is_empty() => stat(
            "Expected killed per replication".into(),
            "People",
            1.0,
            false,
        ),
        "killed" => stat(format!("Expected killed: {arg}"), "People", 1.0, false),
        "injured" if arg.is_empty() => stat(
            "Expected injured per replication".into(),
            "People",
            1.0,
            false,
        ),
        "injured" => stat(format!("Expected injured: {arg}"), "People", 1.0, false),
        "aircraft_destroyed" if arg.is_empty() => stat(
            "Expected aircraft destroyed per replication".into(),
            "Aircraft",
            1.0,
            false,
        ),
        "aircraft_destroyed" => stat(
            format!("Expected aircraft destroyed: {arg}"),
            "Aircraft",
            1.0,
            false,
        ),
        "interceptors_left" => stat(
            format!("Interceptors left at the end: {arg}"),
            "Interceptors",
            1.0,
            false,
        ),
        "p_out_of_rounds" => stat(format!("P(out of rounds): {arg}"), "Probability", 1.0, true),
        "p_channels_full" => stat(
            format!("P(all fire channels in use): {arg}"),
            "Probability",
            1.0,
            true,
        ),
        "intercept_altitude_m" => stat(
            "Mean intercept altitude".into(),
            "Altitude (km)",
            1e-3,
            false,
        ),
        "intercept_ground_range_m" => stat(
            "Mean intercept ground range".into(),
            "Ground range (km)",
            1e-3,
            false,
        ),
        "siap_completeness" => stat(
            format!("SIAP completeness: {arg}"),
            "Completeness",
            1.0,
            true,
        ),
        "siap_ambiguity" => stat(
            format!("SIAP ambiguity: {arg}"),
            "Tracks per object",
            1.0,
            false,
        ),
        "siap_spuriousness" => stat(
            format!("SIAP spuriousness: {arg}"),
            "Spuriousness",
            1.0,
            true,
        ),
        "siap_positional_accuracy_m" => stat(
            format!("SIAP positional accuracy: {arg}"),
            "Mean position error (m)",
            1.0,
            false,
        ),
        "siap_track_number_changes" => stat(
            format!("Track number changes: {arg}"),
            "Changes per replication",
            1.0,
            false,
        ),
        "first_engagement_s" => stat(
            "Time from launch to first engagement".into(),
            "Time (s)",
            1.0,
            false,
        ),
        "first_engagement_range_m" => stat(
            "Range at first engagement".into(),
            "Slant range (km)",
            1e-3,
            false,
        ),
        _ => stat(name.into(), name, 1.0, false),
    }
}

/// `e` in the shown unit of `s`, written with its interval.
pub(super) fn shown(s: &Stat, e: &Estimate) -> String {
    let scaled = Estimate {
        mean: e.mean * s.factor,
        ci_low: e.ci_low * s.factor,
        ci_high: e.ci_high * s.factor,
        n: e.n,
    };
    let unit = if s.factor == 1e-3 { " km" } else { "" };
    let text = estimate(&scaled, if s.probability { 3 } else { 2 });
    if e.n == 0 { text } else { text + unit }
}

/// The body of the Monte Carlo section.
pub(super) fn section(input: &ReportInput, mc: &McResult) -> String {
    let mut o = format!(
        "<p>{} replications of the scenario with seed {}; replication k draws the same random \
         numbers as <code>rampart run --replication k</code>. Every interval is a 95 % \
         confidence interval.</p>\n",
        mc.runs, mc.seed
    );
    let rows: Vec<Vec<String>> = statistics(mc)
        .iter()
        .map(|(name, e)| {
            let s = describe(name);
            let value = shown(&s, e);
            vec![s.title, value, e.n.to_string()]
        })
        .collect();
    o.push_str(&h3("Estimates"));
    o.push_str(&table(
        &["Statistic", "Estimate [95 % CI]", "n (trials or samples)"],
        &rows,
    ));
    o.push_str(&shooters(input, mc));
    let probabilities: Vec<(String, Estimate)> = mc
        .probabilities()
        .into_iter()
        .map(|(name, e)| (describe(&name).title, e))
        .collect();
    o.push_str(&figure(
        &estimates(
            "Probabilities with 95 % confidence intervals",
            "Probability",
            &probabilities,
        ),
        "P(hit ≥ 1): a replication in which the asset is hit at least once. P(no leaker): no \
         threat hits an asset despite the defence. P(kill | engaged): a threat at which an \
         interceptor reached its closest approach is destroyed. P(intercepted): a launched \
         threat is destroyed. Wilson score intervals; estimates without trials are left out.",
    ));
    o.push_str(&h3("Distributions"));
    o.push_str(&figure(
        &histogram(&Histogram {
            title: "Leakers per replication",
            x_label: "Leakers in a replication",
            y_label: "Replications",
            bins: &count_bins(&mc.leakers.distribution),
            integer: true,
            fill: colour::VERMILLION,
            empty: "No replications",
        }),
        "How many replications had each number of leakers (threats that hit an asset although \
         the scenario has a defence; without a fire unit none is counted).",
    ));
    o.push_str(&figure(
        &histogram(&Histogram {
            title: "Interceptors expended per replication",
            x_label: "Interceptors launched in a replication",
            y_label: "Replications",
            bins: &count_bins(&mc.interceptors_launched.distribution),
            integer: true,
            fill: colour::BLUE,
            empty: "No replications",
        }),
        "How many replications launched each number of interceptors.",
    ));
    o.push_str(&figure(
        &histogram(&Histogram {
            title: "Intercept altitude",
            x_label: "Altitude of the kill above the ellipsoid (km)",
            y_label: "Kills",
            bins: &km_bins(&mc.intercept_altitude_m.histogram),
            integer: false,
            fill: colour::GREEN,
            empty: "No kills in these replications",
        }),
        &format!(
            "Kills in all replications by altitude, in bins of {}.",
            length(mc.intercept_altitude_m.bin_width)
        ),
    ));
    o.push_str(&figure(
        &histogram(&Histogram {
            title: "Intercept ground range",
            x_label: "Ground range of the kill from its launcher (km)",
            y_label: "Kills",
            bins: &km_bins(&mc.intercept_ground_range_m.histogram),
            integer: false,
            fill: colour::GREEN,
            empty: "No kills in these replications",
        }),
        &format!(
            "Kills in all replications by ground range from the launcher, in bins of {}.",
            length(mc.intercept_ground_range_m.bin_width)
        ),
    ));
    o.push_str(&h3("Impact points around each asset"));
    if input.impacts.is_empty() {
        o.push_str(&para("No impact point was recorded."));
    } else {
        let figs: Vec<String> = input
            .scenario
            .assets
            .iter()
            .flat_map(|a| impact_panels(a, input.impacts))
            .collect();
        o.push_str(&panels(&figs));
    }
    o
}

/// The shooters of each tier: kills and expenditure per replication, and cost per kill where
/// the scenario prices them.
fn shooters(input: &ReportInput, mc: &McResult) -> String {
    if mc.guns.is_empty() && mc.fire_units.is_empty() {
        return String::new();
    }
    let est = |e: &Estimate| {
        format!(
            "{} [{}, {}]",
            num(e.mean, 2),
            num(e.ci_low, 2),
            num(e.ci_high, 2)
        )
    };
    let cost = |c: Option<f64>| c.map_or("—".to_string(), |c| num(c, 2));
    let mut rows: Vec<Vec<String>> = mc
        .fire_units
        .iter()
        .map(|u| {
            let tier = input
                .scenario
                .fire_units
                .iter()
                .find(|f| f.name == u.name)
                .map_or("—", |f| f.tier.word());
            vec![
                u.name.clone(),
                tier.to_string(),
                format!("{} engagements", est(&u.engagements)),
                est(&u.kills),
                format!("{} interceptors", est(&u.interceptors_launched)),
                cost(u.cost_per_kill),
            ]
        })
        .collect();
    rows.extend(mc.guns.iter().map(|g| {
        vec![
            g.name.clone(),
            "lower (gun)".to_string(),
            format!("{} bursts", est(&g.bursts)),
            est(&g.kills),
            format!("{} rounds", est(&g.rounds_fired)),
            cost(g.cost_per_kill),
        ]
    }));
    let mut o = h3("Shooters by tier");
    o.push_str(&table(
        &[
            "Shooter",
            "Tier",
            "Engagements per replication",
            "Kills per replication",
            "Expended per replication",
            "Cost per kill",
        ],
        &rows,
    ));
    o
}

/// Bins of whole-number values, each centred on its value.
fn count_bins(d: &[CountBin]) -> Vec<Bin> {
    d.iter()
        .map(|b| Bin {
            lo: b.value as f64 - 0.5,
            hi: b.value as f64 + 0.5,
            count: b.count,
        })
        .collect()
}

/// Bins in metres, in km.
fn km_bins(d: &[RangeBin]) -> Vec<Bin> {
    d.iter()
        .map(|b| Bin {
            lo: b.lo / 1e3,
            hi: b.hi / 1e3,
            count: b.count,
        })
        .collect()
}

/// The impact points near asset `a`: east and north of its centre, km, and whether each hit it.
fn offsets(a: &Asset, impacts: &[ImpactRecord], half_km: f64) -> Vec<(f64, f64, bool)> {
    let centre = Geodetic::from_degrees(a.position.lat_deg(), a.position.lon_deg(), 0.0);
    let reach_deg = 2.0 * half_km / 110.0;
    impacts
        .iter()
        .filter(|r| {
            (r.lat - a.position.lat_deg()).abs() < reach_deg
                && (r.lon - a.position.lon_deg()).abs()
                    < reach_deg / a.position.lat_rad.cos().max(0.05)
        })
        .filter_map(|r| {
            let g = centre.geodesic_to(&Geodetic::from_degrees(r.lat, r.lon, 0.0));
            let (e, n) = (
                g.distance_m * g.azimuth1_rad.sin() / 1e3,
                g.distance_m * g.azimuth1_rad.cos() / 1e3,
            );
            let hit = r.asset_hit.as_deref() == Some(a.name.as_str());
            (e.abs() <= half_km && n.abs() <= half_km).then_some((e, n, hit))
        })
        .take(MAX_POINTS)
        .collect()
}

/// One asset's impact scatter at up to 4× its radius, and a close-up when the impacts cluster
/// within a quarter of the radius (a small CEP against a large asset would otherwise show one
/// dot at the centre).
fn impact_panels(a: &Asset, impacts: &[ImpactRecord]) -> Vec<String> {
    let wide = window(((4.0 * a.radius_m).max(3_000.0)) / 1e3);
    let pts = offsets(a, impacts, wide);
    let mut out = vec![impact_panel(a, impacts, wide, &pts, false)];
    // The spread: the farthest of the points in the wide window, along either axis.
    let spread = pts
        .iter()
        .map(|p| p.0.abs().max(p.1.abs()))
        .fold(0.0, f64::max);
    if !pts.is_empty() && spread < 0.25 * a.radius_m / 1e3 {
        let close = window((1.25 * spread).max(0.01));
        let near = offsets(a, impacts, close);
        out.push(impact_panel(a, impacts, close, &near, true));
    }
    out
}

/// The half-width of a square window at least `km` wide each side, on a nice tick step.
fn window(km: f64) -> f64 {
    let step = nice_step(km, 3);
    (km / step).ceil() * step
}

/// One impact scatter of half-width `half` km; `close` marks the close-up.
fn impact_panel(
    a: &Asset,
    impacts: &[ImpactRecord],
    half: f64,
    pts: &[(f64, f64, bool)],
    close: bool,
) -> String {
    const HIT: Mark = Mark::filled(Shape::Circle, colour::VERMILLION);
    const MISS: Mark = Mark::hollow(Shape::Circle, colour::BLUE);
    let ring = Stroke::dashed(colour::GREEN, 1.6, "5 3");
    let radius_km = a.radius_m / 1e3;
    let ring_shown = radius_km <= half;
    let mut legend = Vec::new();
    if ring_shown {
        legend.push(LegendEntry::new(
            Key::Line(ring),
            format!("Hit radius {}", length(a.radius_m)),
        ));
    }
    // Only the kinds of impact drawn.
    if pts.iter().any(|p| p.2) {
        legend.push(LegendEntry::new(Key::Mark(HIT), "Impact: hit"));
    }
    if pts.iter().any(|p| !p.2) {
        legend.push(LegendEntry::new(Key::Mark(MISS), "Impact: miss"));
    }
    // A window under a kilometre each side is drawn in metres.
    let (unit, k) = if half < 1.0 {
        ("m", 1_000.0)
    } else {
        ("km", 1.0)
    };
    let x_label = format!("East of the asset centre ({unit})");
    let y_label = format!("North of the asset centre ({unit})");
    let title = if close {
        format!("Impacts around {} — close-up", a.name)
    } else {
        format!("Impacts around {}", a.name)
    };
    let chart = Chart {
        title: &title,
        x_label: &x_label,
        y_label: &y_label,
        width: PANEL_WIDTH,
        plot_height: PANEL_WIDTH - LEFT - RIGHT,
        legend: &legend,
    };
    let span = Span::exact(-half * k, half * k);
    let mut f = chart.frame(span, YAxis::Linear(span));
    if ring_shown {
        let centre = f.at(0.0, 0.0);
        let r_px = f.x.px(radius_km * k) - centre.0;
        f.svg.circle(
            centre,
            r_px,
            Some(Fill::translucent(colour::GREEN, 0.08)),
            Some(ring),
        );
    }
    for &(e, n, _) in pts.iter().filter(|p| !p.2) {
        f.svg.mark(f.at(e * k, n * k), MISS, 4.5);
    }
    for &(e, n, _) in pts.iter().filter(|p| p.2) {
        f.svg.mark(f.at(e * k, n * k), HIT, 5.0);
    }
    let hits = pts.iter().filter(|p| p.2).count();
    if pts.is_empty() {
        f.note("No impact in this window");
    }
    figure(
        &f.finish(),
        &format!(
            "{} impact points within ±{} {unit} of the centre of {} ({hits} within its radius), \
             out of {} recorded impacts of all replications{}{}.",
            pts.len(),
            num(half * k, 3),
            a.name,
            impacts.len(),
            if pts.len() == MAX_POINTS {
                format!("; the first {MAX_POINTS} are drawn")
            } else {
                String::new()
            },
            if ring_shown {
                String::new()
            } else {
                format!(
                    "; the {} hit radius lies beyond this close-up",
                    length(a.radius_m)
                )
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_have_names_and_units() {
        assert_eq!(describe("p_hit:Base").title, "P(hit ≥ 1): Base");
        assert!(describe("p_kill:Scud").probability);
        let alt = describe("intercept_altitude_m");
        assert_eq!(alt.factor, 1e-3);
        let e = Estimate {
            mean: 20_000.0,
            ci_low: 19_000.0,
            ci_high: 21_000.0,
            n: 10,
        };
        assert_eq!(shown(&alt, &e), "20.00 [19.00, 21.00] km");
    }
}
