//! A run as a CZML document (the Cesium Language: a JSON array of packets, the first the
//! document packet with the clock) for any Cesium viewer's 3-D globe: the assets, the radars
//! with their coverage volumes, the launchers and guns, every threat and interceptor moving along its
//! `entity_state` samples (ECEF, reference frame FIXED) with its trail, and each intercept and
//! impact point from its time on. Colours are the report's: threats vermillion, interceptors
//! blue, assets green, radar coverage sky blue, kills green, misses orange, impacts black.

use rampart_core::calendar::format_utc;
use rampart_sim::events::{EntityKind, Event, EventKind};
use rampart_sim::scenario::Scenario;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Why a run cannot be written as CZML.
#[derive(Debug, thiserror::Error)]
pub enum CzmlError {
    /// A time falls outside the years 0000–9999, which ISO 8601 dates hold.
    #[error("the time {0} ns after 1970 is outside the years 0000-9999")]
    Time(i128),
}

const THREAT: [u8; 4] = [0xD5, 0x5E, 0x00, 255];
const INTERCEPTOR: [u8; 4] = [0x00, 0x72, 0xB2, 255];
const ASSET: [u8; 4] = [0x00, 0x9E, 0x73, 255];
const COVERAGE: [u8; 4] = [0x56, 0xB4, 0xE9, 40];
const KILL: [u8; 4] = [0x00, 0x9E, 0x73, 255];
const MISS: [u8; 4] = [0xE6, 0x9F, 0x00, 255];
const IMPACT: [u8; 4] = [0x00, 0x00, 0x00, 255];
/// How long a moving entity's trail is, s.
const TRAIL_S: f64 = 120.0;

/// One moving entity's samples: its kind, type and (t ns, ECEF position) in time order.
struct Track<'e> {
    kind: EntityKind,
    entity_type: &'e str,
    samples: Vec<(i64, [f64; 3])>,
}

/// The CZML document of a run of `scenario` whose `events` (with `entity_state` samples) began
/// at `epoch_unix_ns`.
///
/// # Errors
/// [`CzmlError`] when a time cannot be written.
pub fn document(
    scenario: &Scenario,
    events: &[Event],
    epoch_unix_ns: i128,
) -> Result<Value, CzmlError> {
    let iso = |t_ns: i64| {
        let ns = epoch_unix_ns + i128::from(t_ns);
        format_utc(ns).ok_or(CzmlError::Time(ns))
    };
    let end_ns = events.last().map_or(0, |e| e.t_ns).max(0);
    let (start, end) = (iso(0)?, iso(end_ns)?);
    let forever = format!("{start}/{end}");
    let mut packets = vec![json!({
        "id": "document",
        "name": scenario.name,
        "version": "1.0",
        "clock": {
            "interval": forever,
            "currentTime": start,
            "multiplier": 10,
            "range": "CLAMPED",
            "step": "SYSTEM_CLOCK_MULTIPLIER",
        },
    })];
    for a in &scenario.assets {
        packets.push(json!({
            "id": format!("asset/{}", a.name),
            "name": a.name,
            "description": format!("Defended asset, radius {:.0} m, value {}", a.radius_m, a.value),
            "position": cartographic(a.position.lon_deg(), a.position.lat_deg(), a.position.alt_m),
            "point": point(ASSET, 8.0),
            "ellipse": {
                "semiMajorAxis": a.radius_m,
                "semiMinorAxis": a.radius_m,
                "height": a.position.alt_m,
                "material": { "solidColor": { "color": { "rgba": with_alpha(ASSET, 60) } } },
                "outline": true,
                "outlineColor": { "rgba": ASSET },
            },
        }));
    }
    for r in &scenario.radars {
        let antenna = r.site.alt_m + r.antenna_height_m;
        let mut p = json!({
            "id": format!("radar/{}", r.name),
            "name": r.name,
            "position": cartographic(r.site.lon_deg(), r.site.lat_deg(), antenna),
            "point": point(COVERAGE_LINE, 7.0),
        });
        if r.visual.is_none() {
            // The ellipsoid's clock angle runs counter-clockwise from east, its cone angle down
            // from the zenith, in the east-north-up axes at its position: azimuth a (clockwise
            // from north) is clock 90° − a, elevation e is cone 90° − e.
            let half = r.azimuth_span_rad / 2.0;
            let right = std::f64::consts::FRAC_PI_2;
            let full = r.azimuth_span_rad >= std::f64::consts::TAU - 1e-9;
            let (clock_min, clock_max) = if full {
                (0.0, std::f64::consts::TAU)
            } else {
                (
                    right - (r.boresight_rad + half),
                    right - (r.boresight_rad - half),
                )
            };
            p["description"] = json!(format!(
                "Radar: {:.0} km, azimuth {:.0}° ± {:.0}°, elevation {:.1}° to {:.1}°",
                r.range_max_m / 1e3,
                r.boresight_rad.to_degrees(),
                half.to_degrees(),
                r.elevation_min_rad.to_degrees(),
                r.elevation_max_rad.to_degrees()
            ));
            p["ellipsoid"] = json!({
                "radii": { "cartesian": [r.range_max_m, r.range_max_m, r.range_max_m] },
                "minimumClock": clock_min,
                "maximumClock": clock_max,
                "minimumCone": right - r.elevation_max_rad,
                "maximumCone": right - r.elevation_min_rad,
                "material": { "solidColor": { "color": { "rgba": COVERAGE } } },
                "outline": true,
                "outlineColor": { "rgba": COVERAGE_LINE },
                "slicePartitions": 24,
                "stackPartitions": 12,
            });
        }
        packets.push(p);
    }
    for u in &scenario.fire_units {
        for (k, l) in u.launchers.iter().enumerate() {
            packets.push(json!({
                "id": format!("launcher/{}/L{}", u.name, k + 1),
                "name": format!("{} launchers {}", u.name, k + 1),
                "description": format!("{} launchers of {}", l.count, scenario.interceptor_types[l.interceptor].name),
                "position": cartographic(l.position.lon_deg(), l.position.lat_deg(), l.position.alt_m),
                "point": point(INTERCEPTOR, 6.0),
            }));
        }
    }
    for g in &scenario.guns {
        packets.push(json!({
            "id": format!("gun/{}", g.name),
            "name": g.name,
            "description": format!("Gun, {:.1} km at most", g.max_range_m / 1e3),
            "position": cartographic(g.position.lon_deg(), g.position.lat_deg(), g.position.alt_m),
            "point": point(INTERCEPTOR, 6.0),
        }));
    }
    // Every moving entity's samples, in the order they first appear.
    let mut order: Vec<&str> = Vec::new();
    let mut tracks: BTreeMap<&str, Track<'_>> = BTreeMap::new();
    for e in events {
        if let EventKind::EntityState {
            entity,
            entity_kind,
            entity_type,
            position_m,
            ..
        } = &e.kind
        {
            let tr = tracks.entry(entity.as_str()).or_insert_with(|| {
                order.push(entity.as_str());
                Track {
                    kind: *entity_kind,
                    entity_type,
                    samples: Vec::new(),
                }
            });
            // One sample per instant (an entity's own event and a periodic sample may meet).
            if tr.samples.last().is_none_or(|s| s.0 < e.t_ns) {
                tr.samples.push((e.t_ns, *position_m));
            }
        }
    }
    for name in order {
        let tr = &tracks[name];
        let (Some(first), Some(last)) = (tr.samples.first(), tr.samples.last()) else {
            continue;
        };
        let cartesian: Vec<f64> = tr
            .samples
            .iter()
            .flat_map(|(t, p)| [(t - first.0) as f64 * 1e-9, p[0], p[1], p[2]])
            .collect();
        let (prefix, colour, word) = match tr.kind {
            EntityKind::Threat => ("threat", THREAT, "Threat"),
            EntityKind::Interceptor => ("interceptor", INTERCEPTOR, "Interceptor"),
        };
        packets.push(json!({
            "id": format!("{prefix}/{name}"),
            "name": name,
            "description": format!("{word} {name}, {}", tr.entity_type),
            "availability": format!("{}/{}", iso(first.0)?, iso(last.0)?),
            "position": {
                "epoch": iso(first.0)?,
                "referenceFrame": "FIXED",
                "interpolationAlgorithm": "LAGRANGE",
                "interpolationDegree": 1,
                "cartesian": cartesian,
            },
            "point": point(colour, 6.0),
            "path": {
                "show": true,
                "leadTime": 0,
                "trailTime": TRAIL_S,
                "width": 2,
                "resolution": 1,
                "material": { "solidColor": { "color": { "rgba": colour } } },
            },
        }));
    }
    for e in events {
        let (id, name, colour, position, on_ground) = match &e.kind {
            EventKind::Intercept {
                interceptor,
                threat,
                kill,
                miss_m,
                at,
                alt_m,
                ..
            } => (
                format!("intercept/{interceptor}"),
                format!(
                    "{interceptor} at {threat}: {} at {miss_m:.1} m",
                    if *kill { "kill" } else { "miss" }
                ),
                if *kill { KILL } else { MISS },
                cartographic(at.lon, at.lat, *alt_m),
                false,
            ),
            EventKind::Impact {
                threat, at, asset, ..
            } => (
                format!("impact/{threat}"),
                match asset {
                    Some(a) => format!("{threat} impact: hit {a}"),
                    None => format!("{threat} impact"),
                },
                IMPACT,
                cartographic(at.lon, at.lat, 0.0),
                true,
            ),
            _ => continue,
        };
        let mut p = json!({
            "id": id,
            "name": name,
            "availability": format!("{}/{end}", iso(e.t_ns)?),
            "position": position,
            "point": point(colour, 10.0),
        });
        if on_ground {
            p["point"]["heightReference"] = json!({ "heightReference": "CLAMP_TO_GROUND" });
        }
        packets.push(p);
    }
    Ok(Value::Array(packets))
}

/// The sky blue of a radar's outline.
const COVERAGE_LINE: [u8; 4] = [0x56, 0xB4, 0xE9, 255];

fn with_alpha(c: [u8; 4], a: u8) -> [u8; 4] {
    [c[0], c[1], c[2], a]
}

fn cartographic(lon_deg: f64, lat_deg: f64, h_m: f64) -> Value {
    json!({ "cartographicDegrees": [lon_deg, lat_deg, h_m] })
}

fn point(colour: [u8; 4], size: f64) -> Value {
    json!({
        "color": { "rgba": colour },
        "pixelSize": size,
        "outlineColor": { "rgba": [255, 255, 255, 255] },
        "outlineWidth": 1,
    })
}
