//! The map's background: the graticule and its labels, and the Natural Earth coastlines and
//! borders clipped to the view.

use super::*;

/// Lines of latitude and longitude every nice step; returns the step, degrees.
pub(super) fn graticule(svg: &mut Svg, proj: &Projection) -> f64 {
    let v = proj.view();
    let step = nice_step((v.lon.1 - v.lon.0).max(v.lat.1 - v.lat.0), 6);
    let line = Stroke::solid("#D8DEE4", 0.8);
    for lon in steps(v.lon, step) {
        svg.line(proj.xy((v.lat.0, lon)), proj.xy((v.lat.1, lon)), line);
    }
    for lat in steps(v.lat, step) {
        svg.line(proj.xy((lat, v.lon.0)), proj.xy((lat, v.lon.1)), line);
    }
    step
}

pub(super) fn steps((lo, hi): (f64, f64), step: f64) -> impl Iterator<Item = f64> {
    let k0 = (lo / step).ceil() as i64;
    let k1 = (hi / step).floor() as i64;
    (k0..=k1.min(k0 + 100)).map(move |k| k as f64 * step)
}

pub(super) fn graticule_labels(svg: &mut Svg, proj: &Projection, step: f64) {
    let v = proj.view();
    let [l, t, _, h] = proj.frame;
    for lon in steps(v.lon, step) {
        let (x, _) = proj.xy((v.lat.0, lon));
        let hemi = if lon < 0.0 { "W" } else { "E" };
        let s = format!("{}°{hemi}", number(lon.abs(), step));
        svg.text(
            (x, t + h + 15.0),
            &s,
            Text::new().middle().size(11.0).colour(colour::MUTED),
        );
    }
    for lat in steps(v.lat, step) {
        let (_, y) = proj.xy((lat, v.lon.0));
        let hemi = if lat < 0.0 { "S" } else { "N" };
        let s = format!("{}°{hemi}", number(lat.abs(), step));
        svg.text(
            (l - 5.0, y + 4.0),
            &s,
            Text::new().end().size(11.0).colour(colour::MUTED),
        );
    }
}

/// Coastlines and borders inside the view.
pub(super) fn basemap(svg: &mut Svg, proj: &Projection) {
    let view = proj.view();
    let mut coast = Vec::new();
    let mut border = Vec::new();
    for (kind, pts) in natural_earth() {
        let runs = clip_runs(&pts, &view)
            .into_iter()
            .map(|run| run.iter().map(|&(lon, lat)| proj.xy((lat, lon))).collect());
        match kind {
            'C' => coast.extend(runs),
            'B' => border.extend(runs),
            _ => {}
        }
    }
    svg.path(
        "border",
        &path_data(&border),
        None,
        Stroke::dashed("#9A9A9A", 0.9, "5 3"),
    );
    svg.path(
        "coastline",
        &path_data(&coast),
        None,
        Stroke::solid("#5B7083", 1.1),
    );
}

/// The polylines of the Natural Earth file: kind letter and (lon, lat) points. Malformed points
/// are skipped (the file is generated, but a bad line must not stop a report).
pub(super) fn natural_earth() -> impl Iterator<Item = (char, Vec<(f64, f64)>)> {
    NATURAL_EARTH.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let mut words = line.split_whitespace();
        let kind = words.next()?.chars().next()?;
        let pts = words
            .filter_map(|p| {
                let (lon, lat) = p.split_once(',')?;
                Some((lon.parse().ok()?, lat.parse().ok()?))
            })
            .collect();
        Some((kind, pts))
    })
}

/// The runs of `pts` (lon, lat) whose segments may cross `view`.
pub(super) fn clip_runs(pts: &[(f64, f64)], view: &GeoBox) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for w in pts.windows(2) {
        if view.meets_segment(w[0], w[1]) {
            if run.is_empty() {
                run.push(w[0]);
            }
            run.push(w[1]);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}
