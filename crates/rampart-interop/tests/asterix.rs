//! ASTERIX as encoded here: each item round-trips through the decoder to its resolution, the
//! framing holds for any records, and the defended scenario's picture decodes and agrees with
//! the event log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use rampart_core::Geodetic;
use rampart_interop::asterix::{
    AsterixConfig, Items, Source, TrackReport, data_block, decode, encode_run, fspec, north_marker,
    plot, system_track, time_of_day, track_position,
};
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{Accuracy, EventKind};

fn u24(b: &[u8]) -> u32 {
    u32::from_be_bytes([0, b[0], b[1], b[2]])
}

fn one(bytes: &[u8]) -> (u8, Items) {
    let mut blocks = decode(bytes).unwrap();
    assert_eq!(blocks.len(), 1);
    let (cat, mut records) = blocks.pop().unwrap();
    assert_eq!(records.len(), 1);
    (cat, records.pop().unwrap())
}

#[test]
fn field_specifications_set_one_bit_per_item_and_extend() {
    // FRN 1 is the first octet's top bit; FRN 8 opens a second octet, the first's FX set.
    assert_eq!(fspec(&[1]), [0x80]);
    assert_eq!(fspec(&[1, 2, 3, 4]), [0xF0]);
    assert_eq!(fspec(&[1, 8]), [0x81, 0x80]);
    assert_eq!(fspec(&[1, 3, 4, 5, 7, 12, 13, 18]), [0xBB, 0x0D, 0x10]);
}

proptest! {
    /// A CAT048 plot: range to 1/256 NM, azimuth to 360/2¹⁶ °, time to 1/128 s.
    #[test]
    fn plots_round_trip(sac: u8, sic: u8, tod in 0u32..86_400 * 128, range in 0.0..474_000.0f64, az in 0.0..std::f64::consts::TAU) {
        let (cat, items) = one(&data_block(48, &[plot(sac, sic, tod, range, az).unwrap()]));
        prop_assert_eq!(cat, 48);
        prop_assert_eq!(&items[&1], &vec![sac, sic]);
        prop_assert_eq!(u24(&items[&2]), tod);
        prop_assert_eq!(&items[&3], &vec![0x30]);
        let p = &items[&4];
        let rho = f64::from(u16::from_be_bytes([p[0], p[1]])) / 256.0 * 1852.0;
        let theta = f64::from(u16::from_be_bytes([p[2], p[3]])) / 65_536.0 * std::f64::consts::TAU;
        prop_assert!((rho - range).abs() <= 1852.0 / 512.0 + 1e-9);
        let d = (theta - az + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU) - std::f64::consts::PI;
        prop_assert!(d.abs() <= std::f64::consts::TAU / 131_072.0 + 1e-12);
    }

    /// A CAT062 track: position to 180/2²⁵ °, height to 6.25 ft, velocity to 0.25 m/s.
    #[test]
    fn tracks_round_trip(sac: u8, sic: u8, tod in 0u32..86_400 * 128, lat in -89.0..89.0f64, lon in -179.9..179.9f64, alt in -400.0..45_000.0f64, ve in -8_000.0..8_000.0f64, vn in -8_000.0..8_000.0f64, number: u16, first: bool, mono: bool, sd in (0.0..30_000.0f64, 0.0..30_000.0f64, 0.0..450.0f64, -1.0..1.0f64, 0.0..60.0f64, 0.0..60.0f64)) {
        let (se, sn, su, rho, sve, svn) = sd;
        let accuracy = Accuracy {
            position_sigma_m: [se, sn, su],
            en_covariance_m2: rho * se * sn,
            velocity_sigma_mps: [sve, svn, 1.0],
        };
        let t = TrackReport { sac, sic, tod, lat_deg: lat, lon_deg: lon, alt_m: alt, v_east: ve, v_north: vn, number, first, mono, accuracy };
        let (cat, items) = one(&data_block(62, &[system_track(&t)]));
        prop_assert_eq!(cat, 62);
        prop_assert_eq!(&items[&1], &vec![sac, sic]);
        prop_assert_eq!(u24(&items[&4]), tod);
        prop_assert_eq!(u16::from_be_bytes([items[&12][0], items[&12][1]]), number);
        prop_assert_eq!(items[&13][1] & 0x20 != 0, first);
        prop_assert_eq!(items[&13][0] & 0x80 != 0, mono);
        let v = &items[&7];
        prop_assert!((f64::from(i16::from_be_bytes([v[0], v[1]])) * 0.25 - ve).abs() <= 0.125 + 1e-9);
        prop_assert!((f64::from(i16::from_be_bytes([v[2], v[3]])) * 0.25 - vn).abs() <= 0.125 + 1e-9);
        let p = track_position(&items).unwrap();
        let want = Geodetic::from_degrees(lat, lon, alt).to_ecef();
        // Half an LSB of latitude and longitude (0.3 m) and of height (0.95 m).
        prop_assert!((p - want.as_vector3()).norm() < 1.5);
        // I062/500: APC, COV, APW, AGA and ATV present (0xF4), each to half its LSB.
        let a = &items[&27];
        prop_assert_eq!(a.len(), 14);
        prop_assert_eq!(a[0], 0xF4);
        let u16_at = |i: usize| f64::from(u16::from_be_bytes([a[i], a[i + 1]]));
        prop_assert!((u16_at(1) * 0.5 - se).abs() <= 0.25 + 1e-9);
        prop_assert!((u16_at(3) * 0.5 - sn).abs() <= 0.25 + 1e-9);
        let cov = f64::from(i16::from_be_bytes([a[5], a[6]])) * 0.5;
        let want_cov = rho.signum() * (rho.abs() * se * sn).sqrt();
        prop_assert!((cov - want_cov.clamp(-16_384.0, 16_383.5)).abs() <= 0.25 + 1e-9);
        // σ latitude: σ north over the meridian radius of curvature (within 1 %, and an LSB).
        let lsb = 180.0 / f64::from(1u32 << 25);
        let m = 6_335_439.0 / (1.0 - 6.694_38e-3 * lat.to_radians().sin().powi(2)).powf(1.5);
        let want_lat = (sn / m).to_degrees();
        prop_assert!((u16_at(7) * lsb - want_lat.min(65_535.0 * lsb)).abs() <= want_lat * 0.01 + lsb);
        prop_assert!((f64::from(a[11]) * 6.25 * 0.3048 - su).abs() <= 3.125 * 0.3048 + 1e-9);
        prop_assert!((f64::from(a[12]) * 0.25 - sve).abs() <= 0.125 + 1e-9);
        prop_assert!((f64::from(a[13]) * 0.25 - svn).abs() <= 0.125 + 1e-9);
    }

    /// The decoder never panics, whatever the bytes: it reads them or says where they end.
    #[test]
    fn the_decoder_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode(&bytes);
    }

    /// Nor on a valid recording with octets changed and its end cut: mutants of real blocks
    /// reach deeper than random bytes.
    #[test]
    fn the_decoder_takes_mutated_recordings(
        flips in proptest::collection::vec((0usize..200, any::<u8>()), 0..8),
        cut in 0usize..200,
    ) {
        let t = TrackReport { sac: 1, sic: 2, tod: 3, lat_deg: 33.8, lon_deg: 42.4, alt_m: 5_000.0, v_east: 100.0, v_north: -50.0, number: 7, first: true, mono: true, accuracy: Accuracy::default() };
        let mut bytes = data_block(34, &[north_marker(1, 2, 3)]);
        bytes.extend(data_block(48, &[plot(1, 2, 3, 50_000.0, 1.0).unwrap(), plot(1, 2, 3, 60_000.0, 2.0).unwrap()]));
        bytes.extend(data_block(62, &[system_track(&t)]));
        for (at, b) in flips {
            if let Some(x) = bytes.get_mut(at % 60) {
                *x = b;
            }
        }
        bytes.truncate(cut.min(bytes.len()));
        match decode(&bytes) {
            Ok(_) => {}
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn north_markers_and_times_of_day() {
    let (cat, items) = one(&data_block(34, &[north_marker(7, 9, 128)]));
    assert_eq!(
        (cat, items[&1].clone(), items[&2].clone(), u24(&items[&3])),
        (34, vec![7, 9], vec![1], 128)
    );
    // 2020-01-07T22:30:00Z is 81,000 s past midnight; a day later, the same time of day.
    let epoch = rampart_core::calendar::parse_utc("2020-01-07T22:30:00Z").unwrap();
    assert_eq!(time_of_day(epoch, 0), 81_000 * 128);
    assert_eq!(time_of_day(epoch, 86_400_000_000_000), 81_000 * 128);
    // Past midnight, it starts again: 1.5 h after the epoch is 00:00:00.
    assert_eq!(time_of_day(epoch, 5_400_000_000_000), 0);
}

#[test]
fn the_defended_picture_decodes_and_agrees_with_the_event_log() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/al-asad-2020-defended.toml"
    );
    let s = rampart_sim::scenario::load(std::path::Path::new(path)).unwrap();
    let opts = RunOptions {
        false_alarm_events: true,
        track_events: true,
        ..RunOptions::seed(s.seed)
    };
    let ev = run(&s, opts).unwrap();
    let sources: Vec<Source> = s
        .radars
        .iter()
        .map(|r| Source {
            name: r.name.clone(),
            antenna: Geodetic {
                alt_m: r.site.alt_m + r.antenna_height_m,
                ..r.site
            },
        })
        .collect();
    let config = AsterixConfig {
        sac: 3,
        sources: sources.clone(),
        epoch_unix_ns: rampart_core::calendar::parse_utc(&s.epoch).unwrap(),
    };
    let (blocks, dropped) = encode_run(&ev, config);
    let bytes: Vec<u8> = blocks.iter().flat_map(|b| b.bytes.clone()).collect();
    let decoded = decode(&bytes).unwrap();
    let count = |k: &dyn Fn(&EventKind) -> bool| ev.iter().filter(|e| k(&e.kind)).count();
    let scans = count(&|k| matches!(k, EventKind::Scan { .. }));
    let detections = count(&|k| matches!(k, EventKind::Detection { .. }));
    let updates: Vec<(&str, [f64; 3], [f64; 3], Accuracy)> = ev
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::TrackUpdate {
                radar,
                position_m,
                velocity_mps,
                accuracy,
                ..
            } => Some((radar.as_str(), *position_m, *velocity_mps, *accuracy)),
            _ => None,
        })
        .collect();
    let per = |c: u8| decoded.iter().filter(|b| b.0 == c).count();
    assert_eq!(per(34), scans);
    assert_eq!(per(48) as u64 + dropped, detections as u64);
    assert_eq!(per(62), updates.len());
    assert!(per(62) > 0 && per(48) > 0);
    // Each track record's position is the track's, to the items' resolution.
    let basis = |g: &Geodetic| {
        let (sl, cl) = g.lat_rad.sin_cos();
        let (so, co) = g.lon_rad.sin_cos();
        [
            nalgebra::Vector3::new(-so, co, 0.0),
            nalgebra::Vector3::new(-sl * co, -sl * so, cl),
            nalgebra::Vector3::new(cl * co, cl * so, sl),
        ]
    };
    for ((_, records), (radar, enu, vel, accuracy)) in
        decoded.iter().filter(|b| b.0 == 62).zip(&updates)
    {
        let items = &records[0];
        // The estimated accuracies are the track's covariance's, to half their LSBs: σ east
        // and north (0.5 m), σ height (6.25 ft), σ velocity east and north (0.25 m/s).
        let a = &items[&27];
        let [se, sn, su] = accuracy.position_sigma_m;
        assert!(se > 0.0 && sn > 0.0 && su > 0.0, "{accuracy:?}");
        let apc = |i: usize| f64::from(u16::from_be_bytes([a[i], a[i + 1]])) * 0.5;
        assert!((apc(1) - se.min(32_767.5)).abs() <= 0.25 + 1e-9);
        assert!((apc(3) - sn.min(32_767.5)).abs() <= 0.25 + 1e-9);
        assert!((f64::from(a[11]) * 6.25 * 0.3048 - (su).min(255.0 * 6.25 * 0.3048)).abs() <= 1.0);
        let [sve, svn, _] = accuracy.velocity_sigma_mps;
        assert!((f64::from(a[12]) * 0.25 - sve.min(63.75)).abs() <= 0.125 + 1e-9);
        assert!((f64::from(a[13]) * 0.25 - svn.min(63.75)).abs() <= 0.125 + 1e-9);
        let sic = items[&1][1];
        let src = &sources[usize::from(sic) - 1];
        assert_eq!(src.name, *radar);
        assert_eq!(items[&1][0], 3);
        let want = src
            .antenna
            .local_frame()
            .to_ecef(&rampart_core::Coordinate::new(enu[0], enu[1], enu[2]));
        // The velocity east and north at the target (the radar's frame turned by the Earth's
        // curvature between them), to half the item's 0.25 m/s.
        let [e0, n0, u0] = basis(&src.antenna);
        let v = e0 * vel[0] + n0 * vel[1] + u0 * vel[2];
        let [e1, n1, _] = basis(&Geodetic::from_ecef(&want));
        let item = &items[&7];
        let vx = f64::from(i16::from_be_bytes([item[0], item[1]])) * 0.25;
        let vy = f64::from(i16::from_be_bytes([item[2], item[3]])) * 0.25;
        assert!(
            (vx - v.dot(&e1)).abs() <= 0.125 + 1e-6,
            "{vx} against {}",
            v.dot(&e1)
        );
        assert!(
            (vy - v.dot(&n1)).abs() <= 0.125 + 1e-6,
            "{vy} against {}",
            v.dot(&n1)
        );
        let got = track_position(items).unwrap();
        let alt = Geodetic::from_ecef(&want).alt_m;
        // Heights above 150,000 ft are held at the item's top.
        if alt < 45_000.0 {
            assert!(
                (got - want.as_vector3()).norm() < 1.5,
                "{radar}: {}",
                (got - want.as_vector3()).norm()
            );
        }
    }
}

/// The networked scenario's composite picture: one CAT062 record from source 0, the fusion
/// node, per `system_track_update` event, each where the event puts it, multisensor when the
/// track fuses several sensors' tracks.
#[test]
fn the_composite_picture_is_source_zero() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/iraq-2020-networked.toml"
    );
    let s = rampart_sim::scenario::load(std::path::Path::new(path)).unwrap();
    let opts = RunOptions {
        track_events: true,
        ..RunOptions::seed(s.seed)
    };
    let ev = run(&s, opts).unwrap();
    let config = AsterixConfig {
        sac: 0,
        sources: Vec::new(),
        epoch_unix_ns: rampart_core::calendar::parse_utc(&s.epoch).unwrap(),
    };
    let (blocks, _) = encode_run(&ev, config);
    let bytes: Vec<u8> = blocks.iter().flat_map(|b| b.bytes.clone()).collect();
    let decoded = decode(&bytes).unwrap();
    let updates: Vec<([f64; 3], u32)> = ev
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SystemTrackUpdate {
                position_m,
                sensors,
                ..
            } => Some((*position_m, *sensors)),
            _ => None,
        })
        .collect();
    assert!(!updates.is_empty());
    assert_eq!(decoded.len(), updates.len());
    let mut multi = 0;
    for ((cat, records), (p, sensors)) in decoded.iter().zip(&updates) {
        let items = &records[0];
        assert_eq!((*cat, items[&1][1]), (62, 0));
        assert_eq!(items[&13][0] & 0x80 == 0, *sensors > 1);
        multi += usize::from(*sensors > 1);
        let want = nalgebra::Vector3::from(*p);
        if Geodetic::from_ecef(&rampart_core::Coordinate::from_vector3(want)).alt_m < 45_000.0 {
            assert!((track_position(items).unwrap() - want).norm() < 1.5);
        }
    }
    assert!(multi > 0, "some system tracks fuse several sensors");
}
