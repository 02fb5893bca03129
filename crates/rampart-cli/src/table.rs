//! The plain-text table `rampart run` prints.

use rampart_sim::summary::{Outcome, RunSummary};

/// One row per threat: id, type, launch time, flight time, apogee, impact point, miss, result.
pub fn threat_table(s: &RunSummary) -> String {
    let header = [
        "threat",
        "type",
        "launch",
        "flight",
        "apogee",
        "impact / end",
        "miss",
        "result",
    ];
    let mut rows: Vec<[String; 8]> = Vec::new();
    for t in &s.threats {
        let end_t = t.impact_t.or(t.failure_t);
        let flight = end_t.map_or("—".to_string(), |e| format!("{:.1} s", e - t.launch_t));
        let apogee = t
            .apogee_m
            .map_or("—".to_string(), |a| format!("{:.1} km", a / 1e3));
        let point = t
            .impact
            .map_or("—".to_string(), |p| format!("{:.5}, {:.5}", p.lat, p.lon));
        let miss = t.miss_m.map_or("—".to_string(), |m| format!("{m:.0} m"));
        let result = match t.outcome {
            Outcome::Impact => match &t.asset_hit {
                Some(a) => format!("hit {a}"),
                None => "impact, no asset".to_string(),
            },
            Outcome::Failed => "failed in flight".to_string(),
            Outcome::InFlight => "in flight at end".to_string(),
        };
        rows.push([
            t.id.clone(),
            t.threat_type.clone(),
            clock(t.launch_t),
            flight,
            apogee,
            point,
            miss,
            result,
        ]);
    }
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            // Numbers right-aligned, text left-aligned.
            let right = matches!(i, 2 | 3 | 4 | 6);
            let pad = " ".repeat(w - c.chars().count());
            if right {
                l += &format!("{pad}{c}  ");
            } else {
                l += &format!("{c}{pad}  ");
            }
        }
        l.trim_end().to_string() + "\n"
    };
    out += &line(&header.map(String::from));
    out += &line(&widths.map(|w| "─".repeat(w)));
    for r in &rows {
        out += &line(r);
    }
    out
}

/// `T+mm:ss.s` (or `T+h:mm:ss` past an hour).
fn clock(t: f64) -> String {
    let whole = t.floor() as i64;
    let (h, m, s) = (
        whole / 3600,
        (whole % 3600) / 60,
        t - (whole - whole % 60) as f64,
    );
    if h > 0 {
        format!("T+{h}:{m:02}:{s:04.1}")
    } else {
        format!("T+{m:02}:{s:04.1}")
    }
}
