//! The map: assets, radars and their sectors, launchers, launch sites, the ground tracks of the
//! sample replication, intercepts and impacts, over Natural Earth coastlines and borders.
//!
//! The projection is equirectangular with longitudes scaled by the cosine of the view's middle
//! latitude: over a few hundred kilometres it keeps shapes and distances to within a few per cent,
//! which is what a situation map needs (the scale bar is exact at the middle latitude). Asset
//! circles are drawn to scale from their radius; radar sectors and every point come from WGS-84
//! positions through the same projection. When the defence sits in a small part of the view, a
//! second, close-up map of the defended area follows.

use super::html::{figure, num};
use super::plot::{Key, LegendEntry, legend, legend_height, nice_floor, nice_step, number};
use super::svg::symbol::{
    ASSET, FAILURE, GUN, HIT, IMPACT, KILL, LAUNCHER, MISS, OBSERVER, RADAR, SITE,
};
use super::svg::{
    DEFENCE_COLOURS, Fill, Stroke, Svg, THREAT_COLOURS, Text, colour, n, path_data, pick,
    text_width,
};
use super::{ReportInput, Sample};
use rampart_core::Geodetic;
use rampart_sim::events::EventKind;
use std::fmt::Write as _;

mod basemap;
use basemap::{basemap, graticule, graticule_labels};

/// Natural Earth 1:50m coastlines (`C`) and borders (`B`), one polyline a line (see its header).
pub const NATURAL_EARTH: &str = include_str!("../data/naturalearth-50m.txt");

/// Metres per degree of latitude on the mean sphere (R = 6 371 008.8 m, IUGG).
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Width of the map figure, px.
const WIDTH: f64 = 800.0;
/// The map frame's left edge (room for latitude labels), top and right margin, px.
const LEFT: f64 = 58.0;
const TOP: f64 = 38.0;
const RIGHT: f64 = 14.0;

pub(super) const ASSET_FILL: Fill = Fill::translucent(colour::GREEN, 0.22);
pub(super) const ASSET_LINE: Stroke = Stroke::solid(colour::GREEN, 1.4);
pub(super) const SECTOR_FILL: Fill = Fill::translucent(colour::SKY, 0.10);
pub(super) const SECTOR_LINE: Stroke = Stroke::dashed(colour::SKY, 1.0, "4 3");

/// A latitude and longitude, degrees.
type LatLon = (f64, f64);

/// A latitude-longitude box, degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
struct GeoBox {
    lat: (f64, f64),
    lon: (f64, f64),
}

impl GeoBox {
    fn empty() -> Self {
        Self {
            lat: (f64::INFINITY, f64::NEG_INFINITY),
            lon: (f64::INFINITY, f64::NEG_INFINITY),
        }
    }
    fn is_empty(&self) -> bool {
        self.lat.0 > self.lat.1 || self.lon.0 > self.lon.1
    }
    fn add(&mut self, (lat, lon): LatLon) {
        if lat.is_finite() && lon.is_finite() {
            self.lat = (self.lat.0.min(lat), self.lat.1.max(lat));
            self.lon = (self.lon.0.min(lon), self.lon.1.max(lon));
        }
    }
    /// Adds a disc of `r_m` metres around `p`.
    fn add_disc(&mut self, p: LatLon, r_m: f64) {
        let dlat = r_m / M_PER_DEG;
        let dlon = dlat / p.0.to_radians().cos().max(0.05);
        self.add((p.0 - dlat, p.1 - dlon));
        self.add((p.0 + dlat, p.1 + dlon));
    }
    fn union(&self, o: &GeoBox) -> GeoBox {
        let mut b = *self;
        if !o.is_empty() {
            b.add((o.lat.0, o.lon.0));
            b.add((o.lat.1, o.lon.1));
        }
        b
    }
    fn overlaps(&self, o: &GeoBox) -> bool {
        self.lat.0 <= o.lat.1
            && o.lat.0 <= self.lat.1
            && self.lon.0 <= o.lon.1
            && o.lon.0 <= self.lon.1
    }
    /// Its size east-west and north-south, metres.
    fn size_m(&self) -> (f64, f64) {
        let c = self.mid_lat().to_radians().cos();
        (
            (self.lon.1 - self.lon.0) * c * M_PER_DEG,
            (self.lat.1 - self.lat.0) * M_PER_DEG,
        )
    }
    fn mid_lat(&self) -> f64 {
        0.5 * (self.lat.0 + self.lat.1)
    }
    /// This box grown by a fraction `f` of its size on each side, and by at least `min_m`.
    fn padded(&self, f: f64, min_m: f64) -> GeoBox {
        let (w, h) = self.size_m();
        let pad = (f * w.max(h)).max(min_m);
        let mut b = *self;
        b.add_disc((self.lat.0, self.lon.0), pad);
        b.add_disc((self.lat.1, self.lon.1), pad);
        b
    }
    /// Whether the segment from `a` to `b` (lon, lat) may cross the box (its bounding box does).
    fn meets_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        a.0.max(b.0) >= self.lon.0
            && a.0.min(b.0) <= self.lon.1
            && a.1.max(b.1) >= self.lat.0
            && a.1.min(b.1) <= self.lat.1
    }
}

/// The equirectangular projection of a view onto the map frame.
#[derive(Clone, Copy, Debug)]
struct Projection {
    centre: LatLon,
    coslat: f64,
    /// Pixels per degree of latitude.
    scale: f64,
    /// The frame: left, top, width, height, px.
    frame: [f64; 4],
}

impl Projection {
    /// The projection fitting `b` in a frame `width` px wide and at most `max_h` px high (at
    /// least `min_h`), centred.
    fn fit(b: &GeoBox, width: f64, min_h: f64, max_h: f64) -> Self {
        let coslat = b.mid_lat().to_radians().cos().max(0.05);
        let sx = ((b.lon.1 - b.lon.0) * coslat).max(1e-4);
        let sy = (b.lat.1 - b.lat.0).max(1e-4);
        let scale = (width / sx).min(max_h / sy);
        let height = (sy * scale).clamp(min_h, max_h);
        Self {
            centre: (b.mid_lat(), 0.5 * (b.lon.0 + b.lon.1)),
            coslat,
            scale,
            frame: [LEFT, TOP, width, height],
        }
    }
    fn xy(&self, (lat, lon): LatLon) -> (f64, f64) {
        let [l, t, w, h] = self.frame;
        (
            l + w / 2.0 + (lon - self.centre.1) * self.coslat * self.scale,
            t + h / 2.0 - (lat - self.centre.0) * self.scale,
        )
    }
    /// The latitude-longitude box the frame shows.
    fn view(&self) -> GeoBox {
        let [_, _, w, h] = self.frame;
        let dlon = w / 2.0 / (self.coslat * self.scale);
        let dlat = h / 2.0 / self.scale;
        GeoBox {
            lat: (self.centre.0 - dlat, self.centre.0 + dlat),
            lon: (self.centre.1 - dlon, self.centre.1 + dlon),
        }
    }
    fn m_per_px(&self) -> f64 {
        M_PER_DEG / self.scale
    }
}

/// A radar's search sector.
#[derive(Clone, Debug)]
struct Sector {
    name: String,
    site: Geodetic,
    boresight_rad: f64,
    span_rad: f64,
    range_m: f64,
    /// A visual observer rather than a radar.
    observer: bool,
}

/// A named point.
#[derive(Clone, Debug)]
struct Named {
    name: String,
    at: LatLon,
}

/// Everything the maps draw, gathered once.
#[derive(Clone, Debug, Default)]
struct Scene {
    assets: Vec<(Named, f64)>,
    radars: Vec<Sector>,
    /// Launcher positions and the index of their fire unit.
    launchers: Vec<(LatLon, usize)>,
    /// Counter-RAM gun positions.
    guns: Vec<LatLon>,
    sites: Vec<Named>,
    /// (colour index, threat type name, ground track).
    threats: Vec<(usize, String, Vec<LatLon>)>,
    /// (colour index, interceptor type name, ground track).
    interceptors: Vec<(usize, String, Vec<LatLon>)>,
    /// Intercepts: where, whether a kill, fire unit index.
    intercepts: Vec<(LatLon, bool, Option<usize>)>,
    /// Impacts: where, whether on an asset.
    impacts: Vec<(LatLon, bool)>,
    failures: Vec<LatLon>,
}

fn ll(g: &Geodetic) -> LatLon {
    (g.lat_deg(), g.lon_deg())
}

/// The position of `name` in `names` (0 if absent: the first colour).
pub(super) fn index_of<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> usize {
    names.position(|t| t == name).unwrap_or(0)
}

impl Scene {
    fn gather(input: &ReportInput, s: &Sample) -> Self {
        let sc = input.scenario;
        let mut scene = Scene {
            assets: sc
                .assets
                .iter()
                .map(|a| {
                    let at = ll(&a.position);
                    (
                        Named {
                            name: a.name.clone(),
                            at,
                        },
                        a.radius_m,
                    )
                })
                .collect(),
            radars: sc
                .radars
                .iter()
                .map(|r| Sector {
                    name: r.name.clone(),
                    site: r.site,
                    boresight_rad: r.boresight_rad,
                    span_rad: r.azimuth_span_rad,
                    range_m: r.range_max_m,
                    observer: r.visual.is_some(),
                })
                .collect(),
            ..Scene::default()
        };
        for (i, u) in sc.fire_units.iter().enumerate() {
            scene
                .launchers
                .extend(u.launchers.iter().map(|l| (ll(&l.position), i)));
        }
        scene.guns = sc.guns.iter().map(|g| ll(&g.position)).collect();
        for (i, r) in sc.raids.iter().enumerate() {
            let at = ll(&r.launch_site);
            match scene.sites.iter_mut().find(|n| n.at == at) {
                Some(site) => {
                    let _ = write!(site.name, ", {}", i + 1);
                }
                None => scene.sites.push(Named {
                    name: format!("Raid {}", i + 1),
                    at,
                }),
            }
        }
        for site in &mut scene.sites {
            if site.name.contains(',') {
                site.name = site.name.replacen("Raid", "Raids", 1);
            }
        }
        for p in &s.trace.threats {
            let k = index_of(
                sc.threat_types.iter().map(|t| t.name.as_str()),
                &p.type_name,
            );
            let track = p.points.iter().map(|q| (q.lat, q.lon)).collect();
            scene.threats.push((k, p.type_name.clone(), track));
        }
        for p in &s.trace.interceptors {
            let k = index_of(
                sc.interceptor_types.iter().map(|t| t.name.as_str()),
                &p.type_name,
            );
            let track = p.points.iter().map(|q| (q.lat, q.lon)).collect();
            scene.interceptors.push((k, p.type_name.clone(), track));
        }
        for e in s.events {
            match &e.kind {
                EventKind::Intercept {
                    at,
                    kill,
                    fire_unit,
                    ..
                } => {
                    let unit = sc.fire_units.iter().position(|u| &u.name == fire_unit);
                    scene.intercepts.push(((at.lat, at.lon), *kill, unit));
                }
                // A gun's kill, where its burst met the threat (its misses are not drawn).
                EventKind::GunBurst { at, kill: true, .. } => {
                    scene.intercepts.push(((at.lat, at.lon), true, None));
                }
                EventKind::Impact { at, asset, .. } => {
                    scene.impacts.push(((at.lat, at.lon), asset.is_some()));
                }
                EventKind::Failure { at, .. } => scene.failures.push((at.lat, at.lon)),
                _ => {}
            }
        }
        scene
    }

    /// The box of everything drawn but the radar sectors (the overview adds them whole,
    /// [`Scene::sector_bounds`]; a close-up clips them to its view).
    fn bounds(&self) -> GeoBox {
        let mut b = GeoBox::empty();
        for (a, r) in &self.assets {
            b.add_disc(a.at, *r);
        }
        for r in &self.radars {
            b.add(ll(&r.site));
        }
        let points = self.launchers.iter().map(|l| l.0);
        let points = points.chain(self.guns.iter().copied());
        let points = points.chain(self.sites.iter().map(|s| s.at));
        let points = points.chain(self.threats.iter().flat_map(|t| t.2.iter().copied()));
        let points = points.chain(self.interceptors.iter().flat_map(|t| t.2.iter().copied()));
        let points = points.chain(self.intercepts.iter().map(|i| i.0));
        let points = points.chain(self.impacts.iter().map(|i| i.0));
        for p in points.chain(self.failures.iter().copied()) {
            b.add(p);
        }
        b
    }

    /// The box of the radar sectors, sites and arcs (the overview shows each sector whole, so
    /// that which way it faces can be read).
    fn sector_bounds(&self) -> GeoBox {
        let mut b = GeoBox::empty();
        for r in &self.radars {
            b.add(ll(&r.site));
            let steps = ((r.span_rad.to_degrees() / 2.0).ceil() as usize).clamp(8, 180);
            let start = r.boresight_rad - r.span_rad / 2.0;
            for k in 0..=steps {
                let az = start + r.span_rad * k as f64 / steps as f64;
                b.add(ll(&r.site.destination(az, r.range_m)));
            }
        }
        b
    }

    /// The defended areas: around each fire unit's radar, launchers, defended assets and
    /// intercepts, merged where they overlap.
    fn defended_areas(&self, input: &ReportInput) -> Vec<GeoBox> {
        let mut areas: Vec<GeoBox> = Vec::new();
        for (i, u) in input.scenario.fire_units.iter().enumerate() {
            let mut b = GeoBox::empty();
            if let Some(r) = self.radars.get(u.radar) {
                b.add(ll(&r.site));
            }
            for (at, _) in self.launchers.iter().filter(|l| l.1 == i) {
                b.add(*at);
            }
            for (a, r) in u.defends.iter().filter_map(|&k| self.assets.get(k)) {
                b.add_disc(a.at, *r);
            }
            for (at, _, _) in self.intercepts.iter().filter(|x| x.2 == Some(i)) {
                b.add(*at);
            }
            if b.is_empty() {
                continue;
            }
            let b = b.padded(0.15, 12_000.0);
            match areas.iter_mut().find(|a| a.overlaps(&b)) {
                Some(a) => *a = a.union(&b),
                None => areas.push(b),
            }
        }
        areas
    }

    /// The legend: only what is drawn.
    fn legend(&self) -> Vec<LegendEntry> {
        let mut v = Vec::new();
        let mut add = |present: bool, key: Key, label: &str| {
            if present {
                v.push(LegendEntry::new(key, label));
            }
        };
        add(
            !self.assets.is_empty(),
            Key::Swatch(ASSET_FILL, Some(ASSET_LINE)),
            "Defended asset (circle: hit radius, to scale)",
        );
        let observers = self.radars.iter().any(|r| r.observer);
        add(
            self.radars.iter().any(|r| !r.observer),
            Key::Mark(RADAR),
            "Radar",
        );
        add(observers, Key::Mark(OBSERVER), "Visual observer");
        add(
            !self.radars.is_empty(),
            Key::Swatch(SECTOR_FILL, Some(SECTOR_LINE)),
            if observers {
                "Radar search sector, or observer's watched sector, to maximum range"
            } else {
                "Radar search sector to maximum range"
            },
        );
        add(
            !self.launchers.is_empty(),
            Key::Mark(LAUNCHER),
            "Interceptor launchers",
        );
        add(!self.guns.is_empty(), Key::Mark(GUN), "Counter-RAM gun");
        add(
            !self.sites.is_empty(),
            Key::Mark(SITE),
            "Threat launch site",
        );
        for (k, name) in types(&self.threats) {
            v.push(LegendEntry::new(
                Key::Line(threat_line(k)),
                format!("Threat track: {name}"),
            ));
        }
        for (k, name) in types(&self.interceptors) {
            v.push(LegendEntry::new(
                Key::Line(interceptor_line(k)),
                format!("Interceptor track: {name}"),
            ));
        }
        let mut add = |present: bool, key: Key, label: &str| {
            if present {
                v.push(LegendEntry::new(key, label));
            }
        };
        add(
            self.intercepts.iter().any(|i| i.1),
            Key::Mark(KILL),
            "Intercept: kill",
        );
        add(
            self.intercepts.iter().any(|i| !i.1),
            Key::Mark(MISS),
            "Intercept: miss",
        );
        add(
            self.impacts.iter().any(|i| i.1),
            Key::Mark(HIT),
            "Impact on an asset",
        );
        add(
            self.impacts.iter().any(|i| !i.1),
            Key::Mark(IMPACT),
            "Impact elsewhere",
        );
        add(
            !self.failures.is_empty(),
            Key::Mark(FAILURE),
            "Threat failed in flight",
        );
        v
    }
}

/// The distinct (colour index, type name) of `tracks`, in first-seen order.
fn types(tracks: &[(usize, String, Vec<LatLon>)]) -> Vec<(usize, String)> {
    let mut v: Vec<(usize, String)> = Vec::new();
    for (k, name, _) in tracks {
        if !v.iter().any(|(_, n)| n == name) {
            v.push((*k, name.clone()));
        }
    }
    v
}

/// The line of threat type `k`: solid in the threat colours, then, once they have all been
/// used, dash-dotted, then dotted, so that no two of the first twelve types look alike.
pub(super) fn threat_line(k: usize) -> Stroke {
    let colour = pick(&THREAT_COLOURS, k);
    match k / THREAT_COLOURS.len() {
        0 => Stroke::solid(colour, 1.4),
        1 => Stroke::dashed(colour, 1.4, "8 3 2 3"),
        _ => Stroke::dashed(colour, 1.4, "1.5 2.5"),
    }
    .faded(0.85)
}

/// The line of interceptor type `k`: dashed in the defence colours, then long-dashed, then
/// dotted, so that no two of the first nine types look alike.
pub(super) fn interceptor_line(k: usize) -> Stroke {
    let colour = pick(&DEFENCE_COLOURS, k);
    match k / DEFENCE_COLOURS.len() {
        0 => Stroke::dashed(colour, 1.3, "5 2"),
        1 => Stroke::dashed(colour, 1.3, "10 3"),
        _ => Stroke::dashed(colour, 1.3, "1.5 2"),
    }
}

/// The body of the map section.
pub(super) fn section(input: &ReportInput, s: &Sample) -> String {
    let scene = Scene::gather(input, s);
    let bounds = scene.bounds();
    if bounds.is_empty() {
        return "<p>Nothing to draw: the scenario places nothing on the map.</p>\n".into();
    }
    let overall = bounds.union(&scene.sector_bounds()).padded(0.08, 8_000.0);
    let title = format!("Situation map{}", super::drawn(input, s));
    let proj = Projection::fit(&overall, WIDTH - LEFT - RIGHT, 380.0, 620.0);
    let mut o = figure(
        &draw(&scene, &proj, &title, "map-clip-0"),
        &format!(
            "{} Ground tracks of the {} threats and {} interceptors{}; intercept and impact \
             points from its events.",
            projection_note(&proj),
            s.trace.threats.len(),
            s.trace.interceptors.len(),
            match super::drawn(input, s).as_str() {
                "" => " of the run".to_string(),
                which => format!(" of{}", which.trim_start_matches(" —")),
            }
        ),
    );
    let (ow, oh) = overall.size_m();
    for (i, area) in scene.defended_areas(input).iter().enumerate() {
        let (w, h) = area.size_m();
        if w.max(h) > 0.5 * ow.max(oh) {
            continue;
        }
        let proj = Projection::fit(area, WIDTH - LEFT - RIGHT, 380.0, 560.0);
        let title = format!(
            "Defended area {} — close-up{}",
            i + 1,
            super::drawn(input, s)
        );
        o.push_str(&figure(
            &draw(&scene, &proj, &title, &format!("map-clip-{}", i + 1)),
            &format!(
                "{} A close-up of the defended area: its assets, radars and launchers, and the \
                 end of the tracks that reach it.",
                projection_note(&proj)
            ),
        ));
    }
    o
}

fn projection_note(p: &Projection) -> String {
    format!(
        "Equirectangular projection, longitudes scaled by cos {}° (the view's middle latitude); \
         north up. Radar sectors span the boresight ± half the azimuth span out to the maximum \
         instrumented range (the radar horizon and terrain masking are not drawn). Coastlines \
         (solid) and borders (dashed): Natural Earth 1:50m.",
        num(p.centre.0, 1)
    )
}

/// One map figure of `scene` through `proj`.
fn draw(scene: &Scene, proj: &Projection, title: &str, clip: &str) -> String {
    let [l, t, w, h] = proj.frame;
    let entries = scene.legend();
    let legend_w = WIDTH - 24.0;
    let height = t + h + 30.0 + legend_height(&entries, legend_w);
    let mut svg = Svg::new(WIDTH, height, title);
    svg.text((12.0, 24.0), title, Text::new().size(15.0).bold());
    svg.raw(&format!(
        "<defs><clipPath id=\"{clip}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\
         </clipPath></defs><g clip-path=\"url(#{clip})\">",
        n(l),
        n(t),
        n(w),
        n(h)
    ));
    svg.rect(l, t, w, h, Some(Fill::solid("#FBFCFD")), None);
    let step = graticule(&mut svg, proj);
    basemap(&mut svg, proj);
    sectors(&mut svg, scene, proj);
    tracks(&mut svg, scene, proj);
    symbols(&mut svg, scene, proj);
    labels(&mut svg, scene, proj);
    svg.raw("</g>");
    svg.rect(l, t, w, h, None, Some(Stroke::solid(colour::INK, 1.0)));
    graticule_labels(&mut svg, proj, step);
    scale_bar(&mut svg, proj);
    north_arrow(&mut svg, proj);
    legend(&mut svg, 12.0, t + h + 30.0, legend_w, &entries);
    svg.finish()
}

/// Radar sectors (wedges from the site out to the maximum range; a disc when all round).
fn sectors(svg: &mut Svg, scene: &Scene, proj: &Projection) {
    for r in &scene.radars {
        let full = r.span_rad >= std::f64::consts::TAU - 1e-6;
        let steps = ((r.span_rad.to_degrees() / 2.0).ceil() as usize).clamp(8, 180);
        let start = r.boresight_rad - r.span_rad / 2.0;
        let mut pts: Vec<(f64, f64)> = Vec::with_capacity(steps + 2);
        if !full {
            pts.push(proj.xy(ll(&r.site)));
        }
        for k in 0..=steps {
            let az = start + r.span_rad * k as f64 / steps as f64;
            pts.push(proj.xy(ll(&r.site.destination(az, r.range_m))));
        }
        svg.polygon(&pts, Some(SECTOR_FILL), Some(SECTOR_LINE));
    }
}

/// Threat and interceptor ground tracks.
fn tracks(svg: &mut Svg, scene: &Scene, proj: &Projection) {
    for (k, _, t) in &scene.threats {
        let pts: Vec<(f64, f64)> = t.iter().map(|&p| proj.xy(p)).collect();
        svg.polyline(&pts, threat_line(*k));
    }
    for (k, _, t) in &scene.interceptors {
        let pts: Vec<(f64, f64)> = t.iter().map(|&p| proj.xy(p)).collect();
        svg.polyline(&pts, interceptor_line(*k));
    }
}

/// Asset circles and every point symbol.
fn symbols(svg: &mut Svg, scene: &Scene, proj: &Projection) {
    svg.group("asset");
    for (a, r) in &scene.assets {
        let c = proj.xy(a.at);
        svg.circle(c, r / proj.m_per_px(), Some(ASSET_FILL), Some(ASSET_LINE));
        svg.mark(c, ASSET, 7.0);
    }
    svg.end_group();
    for r in &scene.radars {
        let mark = if r.observer { OBSERVER } else { RADAR };
        svg.mark(proj.xy(ll(&r.site)), mark, 9.0);
    }
    for (at, _) in &scene.launchers {
        svg.mark(proj.xy(*at), LAUNCHER, 7.0);
    }
    for at in &scene.guns {
        svg.mark(proj.xy(*at), GUN, 7.0);
    }
    for site in &scene.sites {
        svg.mark(proj.xy(site.at), SITE, 10.0);
    }
    for p in &scene.failures {
        svg.mark(proj.xy(*p), FAILURE, 8.0);
    }
    for (p, hit) in &scene.impacts {
        svg.mark(proj.xy(*p), if *hit { HIT } else { IMPACT }, 8.0);
    }
    for (p, kill, _) in &scene.intercepts {
        svg.mark(proj.xy(*p), if *kill { KILL } else { MISS }, 10.0);
    }
}

/// Names of assets, launch sites and radars, each placed beside its symbol where it overlaps
/// neither a label already placed nor the symbol of an asset, radar, launcher or launch site
/// (else left out; the tables name everything).
fn labels(svg: &mut Svg, scene: &Scene, proj: &Projection) {
    let [l, t, w, h] = proj.frame;
    let mut placed: Vec<[f64; 4]> = vec![scale_bar_layout(proj).2, north_arrow_box(proj)];
    // The point symbols, each as the box of its mark (half-sizes as drawn in `symbols`).
    let symbol = |at: LatLon, half: f64| {
        let (x, y) = proj.xy(at);
        [x - half, y - half, x + half, y + half]
    };
    placed.extend(scene.assets.iter().map(|(a, _)| symbol(a.at, 3.5)));
    placed.extend(scene.radars.iter().map(|r| symbol(ll(&r.site), 4.5)));
    placed.extend(scene.launchers.iter().map(|(at, _)| symbol(*at, 3.5)));
    placed.extend(scene.guns.iter().map(|at| symbol(*at, 3.5)));
    placed.extend(scene.sites.iter().map(|s| symbol(s.at, 5.0)));
    let assets = scene
        .assets
        .iter()
        .map(|(a, r)| (a.name.as_str(), a.at, (r / proj.m_per_px()).max(6.0)));
    let sites = scene.sites.iter().map(|s| (s.name.as_str(), s.at, 8.0));
    let radars = scene
        .radars
        .iter()
        .map(|r| (r.name.as_str(), ll(&r.site), 8.0));
    for (name, at, off) in assets.chain(sites).chain(radars) {
        let (x, y) = proj.xy(at);
        let tw = text_width(name, 11.0);
        let candidates = [
            (x + off + 3.0, y + 4.0, "start"),
            (x - off - 3.0, y + 4.0, "end"),
            (x, y - off - 5.0, "middle"),
            (x, y + off + 13.0, "middle"),
        ];
        for (cx, cy, anchor) in candidates {
            let x0 = match anchor {
                "start" => cx,
                "end" => cx - tw,
                _ => cx - tw / 2.0,
            };
            let b = [x0, cy - 11.0, x0 + tw, cy + 2.0];
            let inside = b[0] >= l && b[2] <= l + w && b[1] >= t && b[3] <= t + h;
            let free = placed
                .iter()
                .all(|p| b[2] < p[0] || b[0] > p[2] || b[3] < p[1] || b[1] > p[3]);
            if inside && free {
                let text = Text::new().size(11.0).halo();
                let text = match anchor {
                    "start" => text,
                    "end" => text.end(),
                    _ => text.middle(),
                };
                svg.text((cx, cy), name, text);
                placed.push(b);
                break;
            }
        }
    }
}

/// A scale bar in km at the bottom left of the frame.
fn scale_bar(svg: &mut Svg, proj: &Projection) {
    let (km, px, [x0, y0, x1, y1]) = scale_bar_layout(proj);
    let (x, y) = (x0 + 6.0, y1 - 10.0);
    svg.rect(
        x0,
        y0,
        x1 - x0,
        y1 - y0,
        Some(Fill::translucent("#ffffff", 0.85)),
        None,
    );
    svg.rect(
        x,
        y - 3.0,
        px / 2.0,
        6.0,
        Some(Fill::solid(colour::INK)),
        Some(Stroke::solid(colour::INK, 1.0)),
    );
    svg.rect(
        x + px / 2.0,
        y - 3.0,
        px / 2.0,
        6.0,
        Some(Fill::solid("#ffffff")),
        Some(Stroke::solid(colour::INK, 1.0)),
    );
    svg.text((x, y - 7.0), "0", Text::new().size(10.0).middle());
    let label = format!("{} km", num(km, 3));
    svg.text((x + px, y - 7.0), &label, Text::new().size(10.0).middle());
}

/// The scale bar's length (km, px) and the box it covers.
fn scale_bar_layout(proj: &Projection) -> (f64, f64, [f64; 4]) {
    let [l, t, _, h] = proj.frame;
    let km = nice_floor(130.0 * proj.m_per_px() / 1000.0);
    let px = km * 1000.0 / proj.m_per_px();
    let (x, y) = (l + 14.0, t + h - 16.0);
    (km, px, [x - 6.0, y - 20.0, x + px + 46.0, y + 10.0])
}

/// The box the north arrow covers.
fn north_arrow_box(proj: &Projection) -> [f64; 4] {
    let [l, t, w, _] = proj.frame;
    [l + w - 30.0, t + 10.0, l + w - 10.0, t + 48.0]
}

/// A north arrow at the top right of the frame.
fn north_arrow(svg: &mut Svg, proj: &Projection) {
    let [l, t, w, _] = proj.frame;
    let (x, y) = (l + w - 20.0, t + 14.0);
    svg.polygon(
        &[
            (x, y),
            (x + 6.0, y + 16.0),
            (x, y + 12.0),
            (x - 6.0, y + 16.0),
        ],
        Some(Fill::solid(colour::INK)),
        None,
    );
    svg.text(
        (x, y + 29.0),
        "N",
        Text::new().middle().size(11.0).bold().halo(),
    );
}

#[cfg(test)]
mod tests;
