//! Altitude profiles: height against ground range from the launch point, for every threat and
//! every interceptor of the sample replication.

use super::html::{figure, para};
use super::map::{index_of, interceptor_line, threat_line};
use super::paths::FlownPath;
use super::plot::{Chart, Key, LegendEntry, Span, WIDTH, YAxis};
use super::svg::symbol::{FAILURE, HIT, IMPACT, KILL, MISS};
use super::svg::{Mark, Stroke};
use super::{ReportInput, Sample};
use rampart_core::Geodetic;
use rampart_sim::events::EventKind;
use rampart_sim::summary::Outcome;

/// One profile: its line, its points (km, km) and the symbol at its end.
#[derive(Clone, Debug)]
struct Profile {
    line: Stroke,
    points: Vec<(f64, f64)>,
    end: Option<Mark>,
}

/// (ground range from the first point, altitude), km, of every point of `p`.
fn points(p: &FlownPath) -> Vec<(f64, f64)> {
    let Some(first) = p.points.first() else {
        return Vec::new();
    };
    let origin = Geodetic::from_degrees(first.lat, first.lon, 0.0);
    p.points
        .iter()
        .map(|q| {
            let g = Geodetic::from_degrees(q.lat, q.lon, 0.0);
            (origin.geodesic_to(&g).distance_m / 1e3, q.alt_m / 1e3)
        })
        .collect()
}

/// The body of the profile section.
pub(super) fn section(input: &ReportInput, s: &Sample) -> String {
    let sc = input.scenario;
    let threats: Vec<Profile> = s
        .trace
        .threats
        .iter()
        .map(|p| {
            let outcome = s.summary.threats.iter().find(|t| t.id == p.name);
            let end = outcome.and_then(|t| match t.outcome {
                Outcome::Intercepted => Some(KILL),
                Outcome::Impact if t.asset_hit.is_some() => Some(HIT),
                Outcome::Impact => Some(IMPACT),
                Outcome::Failed => Some(FAILURE),
                Outcome::InFlight | Outcome::Removed => None,
            });
            let k = index_of(
                sc.threat_types.iter().map(|t| t.name.as_str()),
                &p.type_name,
            );
            Profile {
                line: threat_line(k),
                points: points(p),
                end,
            }
        })
        .collect();
    let interceptors: Vec<Profile> = s
        .trace
        .interceptors
        .iter()
        .map(|p| {
            let end = s.events.iter().find_map(|e| match &e.kind {
                EventKind::Intercept {
                    interceptor, kill, ..
                } if *interceptor == p.name => Some(if *kill { KILL } else { MISS }),
                _ => None,
            });
            let k = index_of(
                sc.interceptor_types.iter().map(|t| t.name.as_str()),
                &p.type_name,
            );
            Profile {
                line: interceptor_line(k),
                points: points(p),
                end,
            }
        })
        .collect();
    let threat_types = flown_types(
        sc.threat_types.iter().map(|t| t.name.as_str()),
        &s.trace.threats,
        threat_line,
    );
    let interceptor_types = flown_types(
        sc.interceptor_types.iter().map(|t| t.name.as_str()),
        &s.trace.interceptors,
        interceptor_line,
    );
    let mut o = figure(
        &chart(
            &format!("Threat altitude profiles{}", super::drawn(input, s)),
            &threats,
            &threat_types,
            "No threat was launched",
        ),
        "Height above the WGS-84 ellipsoid against ground range from the launch point, one \
         line per threat, coloured by threat type; the symbol at a line's end says how the \
         flight ended.",
    );
    if interceptors.is_empty() {
        o.push_str(&para("No interceptor was launched in this replication."));
    } else {
        o.push_str(&figure(
            &chart(
                &format!("Interceptor altitude profiles{}", super::drawn(input, s)),
                &interceptors,
                &interceptor_types,
                "No interceptor was launched",
            ),
            "Height above the WGS-84 ellipsoid against ground range from the launcher, one \
             line per interceptor, coloured by interceptor type; a star marks its intercept \
             (filled: kill, hollow: miss).",
        ));
    }
    o
}

/// The types among `names` (in scenario order) that flew in `paths`, each with its line
/// (`line` of its index in `names`): a chart's legend.
fn flown_types<'a>(
    names: impl Iterator<Item = &'a str>,
    paths: &[FlownPath],
    line: fn(usize) -> Stroke,
) -> Vec<(String, Stroke)> {
    names
        .enumerate()
        .filter(|(_, name)| paths.iter().any(|p| p.type_name == *name))
        .map(|(k, name)| (name.to_string(), line(k)))
        .collect()
}

/// One profile chart.
fn chart(title: &str, profiles: &[Profile], types: &[(String, Stroke)], empty: &str) -> String {
    let mut legend: Vec<LegendEntry> = types
        .iter()
        .map(|(name, line)| LegendEntry::new(Key::Line(*line), name.clone()))
        .collect();
    for (m, label) in [
        (KILL, "Intercept: kill"),
        (MISS, "Intercept: miss"),
        (HIT, "Impact on an asset"),
        (IMPACT, "Impact elsewhere"),
        (FAILURE, "Failed in flight"),
    ] {
        if profiles.iter().any(|p| p.end == Some(m)) {
            legend.push(LegendEntry::new(Key::Mark(m), label));
        }
    }
    let all = || profiles.iter().flat_map(|p| p.points.iter());
    let x = Span::around(all().map(|p| p.0).chain([0.0]));
    let y = Span::around(all().map(|p| p.1).chain([0.0]));
    let c = Chart {
        title,
        x_label: "Ground range from the launch point (km)",
        y_label: "Altitude (km)",
        width: WIDTH,
        plot_height: 320.0,
        legend: &legend,
    };
    let mut f = c.frame(x, YAxis::Linear(y));
    for p in profiles {
        let pts: Vec<(f64, f64)> = p.points.iter().map(|&(x, y)| f.at(x, y)).collect();
        f.svg.polyline(&pts, p.line);
    }
    for p in profiles {
        if let (Some(m), Some(&(x, y))) = (p.end, p.points.last()) {
            f.svg.mark(f.at(x, y), m, 9.0);
        }
    }
    if profiles.is_empty() {
        f.note(empty);
    }
    f.finish()
}
