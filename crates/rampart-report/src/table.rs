//! The plain-text table `rampart run` prints.

use rampart_sim::summary::{Outcome, RunSummary, ThreatSummary};

/// One row per threat: id, type, launch time, flight time, apogee, first radar detection (when
/// the scenario has radars), impact point, miss, result.
pub fn threat_table(s: &RunSummary) -> String {
    let with_radar = !s.radars.is_empty();
    let mut header = vec!["threat", "type", "launch", "flight", "apogee"];
    if with_radar {
        header.push("first detected");
    }
    header.extend(["impact / end", "miss", "result"]);
    let right: Vec<bool> = header
        .iter()
        .map(|h| matches!(*h, "launch" | "flight" | "apogee" | "miss"))
        .collect();
    let several_radars = s.radars.len() > 1;
    let rows: Vec<Vec<String>> = s
        .threats
        .iter()
        .map(|t| row(t, with_radar, several_radars))
        .collect();
    let mut out = render(&header, &right, &rows);
    out += "\nlaunch: after the epoch (T+min:s); flight: from launch to its end (impact, intercept or \
            failure)";
    if with_radar {
        out += "; first detected: after launch, at slant range";
    }
    out += "\n";
    out
}

fn row(t: &ThreatSummary, with_radar: bool, name_radar: bool) -> Vec<String> {
    let end_t = t.end_t();
    let mut r = vec![
        t.id.clone(),
        t.threat_type.clone(),
        clock(t.launch_t),
        end_t.map_or("—".to_string(), |e| format!("{:.1} s", e - t.launch_t)),
        t.apogee_m
            .map_or("—".to_string(), |a| format!("{:.1} km", a / 1e3)),
    ];
    if with_radar {
        let first = t
            .first_detection
            .iter()
            .filter_map(|d| Some((d.t?, d.range_m?, &d.radar)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        r.push(
            first.map_or("not detected".to_string(), |(when, range, radar)| {
                let by = if name_radar {
                    format!(" ({radar})")
                } else {
                    String::new()
                };
                format!("+{:.0} s, {:.0} km{by}", when - t.launch_t, range / 1e3)
            }),
        );
    }
    r.push(
        t.impact
            .map_or("—".to_string(), |p| format!("{:.5}, {:.5}", p.lat, p.lon)),
    );
    r.push(t.miss_m.map_or("—".to_string(), |m| format!("{m:.0} m")));
    r.push(match t.outcome {
        Outcome::Impact => match &t.asset_hit {
            Some(a) => format!("hit {a}"),
            None => "impact, no asset".to_string(),
        },
        Outcome::Failed => "failed in flight".to_string(),
        Outcome::Intercepted => match &t.intercept {
            Some(k) => format!(
                "intercepted by {} at {:.1} km altitude",
                k.interceptor,
                k.alt_m / 1e3
            ),
            None => "intercepted".to_string(),
        },
        Outcome::InFlight => "in flight at end".to_string(),
        Outcome::Removed => "left the exercise in flight".to_string(),
    });
    r
}

/// One line per fire unit: engagements, interceptors launched and left, intercepts, kills,
/// interceptors lost.
pub fn fire_unit_lines(s: &RunSummary) -> String {
    s.fire_units
        .iter()
        .map(|u| {
            format!(
                "{}: {} engagements, {} interceptors launched, {} left, {} intercepts, {} kills, {} lost\n",
                u.name,
                u.engagements,
                u.interceptors_launched,
                u.interceptors_left,
                u.intercepts,
                u.kills,
                u.interceptors_lost
            )
        })
        .collect()
}

/// One line per gun: bursts, rounds fired and left, kills, rounds fallen; and the warning time
/// of the threats that landed after an alarm.
pub fn gun_lines(s: &RunSummary) -> String {
    let mut out: String = s
        .guns
        .iter()
        .map(|g| {
            format!(
                "{}: {} bursts, {} rounds fired, {} left, {} kills, {} rounds fell to the ground\n",
                g.name, g.bursts, g.rounds_fired, g.rounds_left, g.kills, g.rounds_fallen
            )
        })
        .collect();
    let warned: Vec<f64> = s.threats.iter().filter_map(|t| t.warning_time_s).collect();
    if !warned.is_empty() {
        let mean = warned.iter().sum::<f64>() / warned.len() as f64;
        out += &format!(
            "alarms: {} of {} impacts came after one, {:.1} s before them on average\n",
            warned.len(),
            s.totals.impacted,
            mean
        );
    }
    out
}

/// One line per asset that counts people or aircraft: its first alarm, and the expected
/// killed, injured and aircraft destroyed (docs/models.md, "Warning and passive defense").
pub fn effect_lines(s: &RunSummary) -> String {
    let mut out = String::new();
    for a in &s.assets {
        let Some(e) = &a.effects else { continue };
        let alarm = match a.alarm_t {
            None => "no alarm".to_string(),
            Some(t) if t < 0.0 => format!("alarm {} before the epoch", duration_words(-t)),
            Some(t) => format!("alarm at {}", clock(t)),
        };
        out += &format!(
            "{}: {alarm}; {:.0} people and {:.0} aircraft present, expected {:.2} killed, {:.1} injured, {:.2} aircraft destroyed\n",
            a.name,
            e.personnel_present,
            e.aircraft_present,
            e.killed,
            e.injured,
            e.aircraft_destroyed
        );
    }
    if !out.is_empty() {
        out += "  (expected values of a coarse, notional damage and shelter model, not a casualty prediction: docs/models.md)\n";
    }
    out
}

/// A length of time in words: `2 h 30 min`, `4 min 10 s`, `35.0 s`.
fn duration_words(s: f64) -> String {
    let whole = s.round() as i64;
    let (h, m, sec) = (whole / 3600, (whole % 3600) / 60, whole % 60);
    match (h, m, sec) {
        (0, 0, _) => format!("{s:.1} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, sec) => format!("{m} min {sec} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// `T+mm:ss.s` (or `T+h:mm:ss.s` past an hour).
fn clock(t: f64) -> String {
    // Round to tenths first, so 59.96 s prints as 01:00.0 rather than 00:60.0.
    let tenths = (t * 10.0).round() as i64;
    let (h, m, s) = (
        tenths / 36_000,
        (tenths % 36_000) / 600,
        (tenths % 600) as f64 / 10.0,
    );
    if h > 0 {
        format!("T+{h}:{m:02}:{s:04.1}")
    } else {
        format!("T+{m:02}:{s:04.1}")
    }
}

/// A plain-text table: `header`, a rule, and `rows`, each column as wide as its widest cell,
/// the columns marked in `right` right-aligned.
fn render(header: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut l = String::new();
        for ((c, w), right) in cells.iter().zip(&widths).zip(right) {
            let pad = " ".repeat(w - c.chars().count());
            if *right {
                l += &format!("{pad}{c}  ");
            } else {
                l += &format!("{c}{pad}  ");
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut out = line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    out += &line(&widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>());
    for r in rows {
        out += &line(r);
    }
    out
}

/// One line per picture (each radar's, and the network's): its SIAP measures.
pub fn siap_lines(s: &RunSummary) -> String {
    let opt = |x: Option<f64>, d: usize| x.map_or("—".to_string(), |v| format!("{v:.d$}"));
    s.siap
        .iter()
        .map(|p| {
            format!(
                "picture {}: completeness {}, ambiguity {}, spuriousness {}, positional accuracy {} m, {} track number change(s)\n",
                p.picture,
                opt(p.completeness, 3),
                opt(p.ambiguity, 3),
                opt(p.spuriousness, 3),
                opt(p.positional_accuracy_m, 0),
                p.track_number_changes
            )
        })
        .collect()
}

/// The columns of the engagements table.
pub const ENGAGEMENT_COLUMNS: [&str; 6] = [
    "threat",
    "seen by",
    "first engaged",
    "range",
    "shooter",
    "on track",
];

/// One row per threat a fire unit engaged: which radars saw it, and the first engagement — when
/// (after launch), at what range, by which unit, on which track (a system track of the network
/// names the sensors that formed it) and whether on remote.
pub fn engagement_rows(s: &RunSummary) -> Vec<Vec<String>> {
    s.threats
        .iter()
        .filter_map(|t| {
            let e = t.first_engagement.as_ref()?;
            let seen: Vec<&str> = t
                .first_detection
                .iter()
                .filter(|d| d.t.is_some())
                .map(|d| d.radar.as_str())
                .collect();
            let track = if e.system_track {
                format!("system track {} ({})", e.track, e.sensors.join(", "))
            } else {
                format!("{} track {}", e.sensors.join(", "), e.track)
            };
            Some(vec![
                t.id.clone(),
                if seen.is_empty() {
                    "—".to_string()
                } else {
                    seen.join(", ")
                },
                format!("+{:.1} s", e.after_launch_s),
                format!("{:.1} km", e.range_m / 1e3),
                e.fire_unit.clone(),
                if e.on_remote {
                    format!("{track}, on remote")
                } else {
                    track
                },
            ])
        })
        .collect()
}

/// What the engagements table's columns mean.
pub const ENGAGEMENT_NOTE: &str = "first engaged: when the first engagement on the threat was \
    planned, after its launch; range: the track's slant range from the launcher then; on \
    remote: the shooter's own radar did not hold the threat";

/// The engagements table ([`engagement_rows`]) as text; empty when nothing was engaged.
pub fn engagement_table(s: &RunSummary) -> String {
    let rows = engagement_rows(s);
    if rows.is_empty() {
        return String::new();
    }
    let right = [false, false, true, true, false, false];
    let mut out = render(&ENGAGEMENT_COLUMNS, &right, &rows);
    out += &format!("\n{ENGAGEMENT_NOTE}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn clock_rounds_before_carrying() {
        assert_eq!(clock(0.0), "T+00:00.0");
        assert_eq!(clock(59.96), "T+01:00.0");
        assert_eq!(clock(75.24), "T+01:15.2");
        assert_eq!(clock(3_600.0 + 62.0), "T+1:01:02.0");
    }
}
