//! The CZML document of the layered scenario's run (every kind of thing it draws: assets,
//! radars, launchers, guns, threats of every class, interceptors, intercepts and impacts): its
//! structure as Cesium reads it, and its contents against the event log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rampart_core::calendar::parse_utc;
use rampart_interop::czml::document;
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{EntityKind, EventKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// An ISO 8601 interval `start/stop` as ns since 1970.
fn interval(v: &Value) -> (i128, i128) {
    let s = v.as_str().expect("an interval is a string");
    let (a, b) = s.split_once('/').expect("start/stop");
    (
        parse_utc(a).expect("an ISO 8601 start"),
        parse_utc(b).expect("an ISO 8601 stop"),
    )
}

#[test]
fn the_layered_run_as_czml() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/al-asad-2020-layered.toml"
    );
    let s = rampart_sim::scenario::load(std::path::Path::new(path)).unwrap();
    let opts = RunOptions {
        state_interval: rampart_core::SimDuration::from_secs_f64(1.0),
        ..RunOptions::seed(s.seed)
    };
    let events = run(&s, opts).unwrap();
    let epoch = parse_utc(&s.epoch).unwrap();
    let doc = document(&s, &events, epoch).unwrap();
    let packets = doc.as_array().expect("a CZML document is an array");

    // The document packet first, with the version and a clock over the whole run.
    let first = &packets[0];
    assert_eq!(first["id"], "document");
    assert_eq!(first["version"], "1.0");
    let (start, end) = interval(&first["clock"]["interval"]);
    assert_eq!(start, epoch);
    assert_eq!(end, epoch + i128::from(events.last().unwrap().t_ns));
    assert_eq!(
        parse_utc(first["clock"]["currentTime"].as_str().unwrap()),
        Some(start)
    );

    // Every packet an id, each once; no other document packet.
    let ids: Vec<&str> = packets.iter().map(|p| p["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate packet ids");
    assert_eq!(ids.iter().filter(|i| **i == "document").count(), 1);

    // Every availability within the clock.
    for p in &packets[1..] {
        if let Some(a) = p.get("availability") {
            let (a0, a1) = interval(a);
            assert!(start <= a0 && a0 <= a1 && a1 <= end, "{}", p["id"]);
        }
    }

    // The static things where the scenario puts them, in cartographic degrees.
    let by_id: BTreeMap<&str, &Value> = packets
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    for a in &s.assets {
        let p = by_id[format!("asset/{}", a.name).as_str()];
        let c = &p["position"]["cartographicDegrees"];
        assert!((c[0].as_f64().unwrap() - a.position.lon_deg()).abs() < 1e-12);
        assert!((c[1].as_f64().unwrap() - a.position.lat_deg()).abs() < 1e-12);
        assert_eq!(p["ellipse"]["semiMajorAxis"].as_f64(), Some(a.radius_m));
    }
    for r in &s.radars {
        let p = by_id[format!("radar/{}", r.name).as_str()];
        let c = &p["position"]["cartographicDegrees"];
        assert!((c[2].as_f64().unwrap() - (r.site.alt_m + r.antenna_height_m)).abs() < 1e-9);
        match (&r.visual, p.get("ellipsoid")) {
            (Some(_), e) => assert!(e.is_none(), "an observer has no radar volume"),
            (None, Some(e)) => {
                // Clock counter-clockwise from east, cone down from the zenith.
                let right = std::f64::consts::FRAC_PI_2;
                let clock_mid = (e["minimumClock"].as_f64().unwrap()
                    + e["maximumClock"].as_f64().unwrap())
                    / 2.0;
                if r.azimuth_span_rad < std::f64::consts::TAU - 1e-9 {
                    assert!((clock_mid - (right - r.boresight_rad)).abs() < 1e-12);
                }
                assert!(
                    (e["maximumCone"].as_f64().unwrap() - (right - r.elevation_min_rad)).abs()
                        < 1e-12
                );
                assert_eq!(e["radii"]["cartesian"][0].as_f64(), Some(r.range_max_m));
            }
            (None, None) => panic!("radar {} has no coverage", r.name),
        }
    }

    for g in &s.guns {
        assert!(by_id.contains_key(format!("gun/{}", g.name).as_str()));
    }

    // Each moving entity: a time-tagged ECEF path, FIXED frame, its samples exactly the log's.
    let mut samples: BTreeMap<String, Vec<(i64, [f64; 3])>> = BTreeMap::new();
    let mut kinds: BTreeMap<String, EntityKind> = BTreeMap::new();
    for e in &events {
        if let EventKind::EntityState {
            entity,
            entity_kind,
            position_m,
            ..
        } = &e.kind
        {
            let v = samples.entry(entity.clone()).or_default();
            if v.last().is_none_or(|l| l.0 < e.t_ns) {
                v.push((e.t_ns, *position_m));
            }
            kinds.insert(entity.clone(), *entity_kind);
        }
    }
    assert!(kinds.values().any(|k| *k == EntityKind::Interceptor));
    for (name, want) in &samples {
        let prefix = match kinds[name] {
            EntityKind::Threat => "threat",
            EntityKind::Interceptor => "interceptor",
        };
        let p = by_id[format!("{prefix}/{name}").as_str()];
        let pos = &p["position"];
        assert_eq!(pos["referenceFrame"], "FIXED");
        let epoch_of = parse_utc(pos["epoch"].as_str().unwrap()).unwrap();
        let c = pos["cartesian"].as_array().unwrap();
        assert_eq!(c.len(), 4 * want.len());
        for (k, (t_ns, r)) in want.iter().enumerate() {
            let t = c[4 * k].as_f64().unwrap();
            let at = epoch_of + (t * 1e9).round() as i128;
            assert!(
                (at - (epoch + i128::from(*t_ns))).abs() <= 1,
                "{name}: sample {k}"
            );
            for i in 0..3 {
                assert_eq!(c[4 * k + 1 + i].as_f64(), Some(r[i]), "{name}: sample {k}");
            }
        }
        let (a0, a1) = interval(&p["availability"]);
        assert_eq!(a0, epoch + i128::from(want[0].0));
        assert_eq!(a1, epoch + i128::from(want.last().unwrap().0));
    }

    // One marker per intercept and impact, from its time on.
    let intercepts = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Intercept { .. }))
        .count();
    let impacts = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Impact { .. }))
        .count();
    assert!(intercepts > 0 && impacts > 0);
    assert_eq!(
        ids.iter().filter(|i| i.starts_with("intercept/")).count(),
        intercepts
    );
    assert_eq!(
        ids.iter().filter(|i| i.starts_with("impact/")).count(),
        impacts
    );
}
