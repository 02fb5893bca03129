//! DIS in: Rampart's own DIS output of the undefended raid, taken in by the federate scenario —
//! decoded entity by entity, read back from a capture, and received live over loopback — is
//! detected, tracked and engaged; and the decoder's edges (body-axis acceleration, removal,
//! other exercises, unmapped types, datagrams that are not DIS, captures of other link types).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dis_rs::entity_state::model::{DrParameters, EntityAppearance, EntityState};
use dis_rs::enumerations::{DeadReckoningAlgorithm, EntityKind as DisKind, PlatformDomain};
use dis_rs::model::{EntityId, EntityType, Location, Orientation, Pdu, PduHeader, VectorF32};
use dis_rs::remove_entity::model::RemoveEntity;
use dis_rs::{BodyInfo, BodyRaw};
use rampart_core::calendar::parse_utc;
use rampart_core::{SimDuration, SimTime};
use rampart_interop::dis::{Datagram, DisConfig, DisEncoder, encode_with};
use rampart_interop::dis_in::{DisInput, Timing, UdpFeed, capture_feed, read_capture};
use rampart_interop::euler::body_to_world;
use rampart_interop::pcap::write_capture;
use rampart_sim::engine::{Engine, RunOptions, run};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::feed::{FeedUpdate, Motion, ThreatFeed};
use rampart_sim::scenario::{DisIn, DisInEntity, Scenario};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::path::Path;

fn scenario(stem: &str) -> Scenario {
    let path = format!("{}/../../scenarios/{stem}.toml", env!("CARGO_MANIFEST_DIR"));
    rampart_sim::scenario::load(Path::new(&path)).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// The undefended raid's run and its DIS datagrams, as `rampart run --dis` sends them.
fn raid() -> (Scenario, Vec<Event>, Vec<Datagram>) {
    let s = scenario("al-asad-2020");
    let opts = RunOptions {
        state_interval: SimDuration::from_secs_f64(1.0),
        ..RunOptions::seed(s.seed)
    };
    let events = run(&s, opts).unwrap();
    let config = DisConfig {
        exercise_id: 1,
        site_id: 1,
        application_id: 1,
        epoch_unix_ns: parse_utc(&s.epoch).unwrap(),
    };
    let encoder = DisEncoder::new(config)
        .with_threat_types(s.threat_types.iter().map(|t| t.name.clone()).collect());
    let (datagrams, _) = encode_with(encoder, &events).unwrap();
    (s, events, datagrams)
}

fn at(secs: f64) -> SimTime {
    SimTime::EPOCH + SimDuration::from_secs_f64(secs).unwrap()
}

#[test]
fn each_threat_of_the_raid_comes_in_as_its_own_type_where_the_log_puts_it() {
    let (raid_scenario, events, datagrams) = raid();
    let fed = scenario("al-asad-2020-federate");
    let mut input = DisInput::new(fed.dis_in.clone().unwrap());
    let mut updates = Vec::new();
    for d in &datagrams {
        input.datagram(&d.bytes, SimTime::from_nanos(d.t_ns), &mut updates);
    }
    assert_eq!(input.stats.not_dis, 0);
    // Every threat launched came in, and as its own type.
    let launched: BTreeMap<&str, &str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Launch {
                threat,
                threat_type,
                ..
            } => Some((threat.as_str(), threat_type.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(input.stats.threats.len(), launched.len());
    let types: BTreeSet<&str> = updates
        .iter()
        .filter_map(|u| match u {
            FeedUpdate::State { threat_type, .. } => {
                Some(fed.threat_types[*threat_type].name.as_str())
            }
            _ => None,
        })
        .collect();
    // Each impact of the raid is a ground detonation of its entity; each threat that broke up
    // a removal, from its last, deactivated state.
    let count = |f: fn(&EventKind) -> bool| events.iter().filter(|e| f(&e.kind)).count();
    let ground = updates
        .iter()
        .filter(|u| matches!(u, FeedUpdate::Detonate { ground: true, .. }))
        .count();
    assert_eq!(ground, count(|k| matches!(k, EventKind::Impact { .. })));
    let removals = updates
        .iter()
        .filter(|u| matches!(u, FeedUpdate::Remove { .. }))
        .count();
    assert_eq!(removals, count(|k| matches!(k, EventKind::Failure { .. })));
    let want: BTreeSet<&str> = launched.values().copied().collect();
    assert_eq!(types, want);
    assert!(want.len() > 1, "the raid has more than one type");
    // Each state is where the log's entity state of that instant puts it: the ECEF location
    // exactly (64-bit), the velocity to its 32-bit rounding.
    let logged: BTreeMap<(i64, [u64; 3]), [f64; 3]> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::EntityState {
                position_m,
                velocity_mps,
                ..
            } => Some(((e.t_ns, position_m.map(f64::to_bits)), *velocity_mps)),
            _ => None,
        })
        .collect();
    let mut checked = 0;
    for u in &updates {
        if let FeedUpdate::State { state, .. } = u {
            assert_eq!(state.motion, Motion::ConstantVelocity);
            let key = (
                (state.t - SimTime::EPOCH).as_nanos(),
                [state.position.x, state.position.y, state.position.z].map(f64::to_bits),
            );
            let v = logged.get(&key).expect("a state the log has");
            for (got, want) in state.velocity.iter().zip(v) {
                assert!((got - want).abs() <= want.abs() * 1e-7 + 1e-6);
            }
            checked += 1;
        }
    }
    assert!(checked > 100);
    drop(raid_scenario);
}

#[test]
fn the_federate_engages_the_raid_from_a_capture() {
    let (s, _, datagrams) = raid();
    let epoch = parse_utc(&s.epoch).unwrap();
    let host = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 3000);
    let pcap = write_capture(Vec::new(), &datagrams, host, host, epoch).unwrap();
    let capture = read_capture(&pcap[..]).unwrap();
    assert_eq!(capture.datagrams.len(), datagrams.len());
    assert_eq!(capture.skipped, 0);
    for ((ns, bytes), d) in capture.datagrams.iter().zip(&datagrams) {
        assert_eq!(*ns, epoch + i128::from(d.t_ns));
        assert_eq!(bytes, &d.bytes);
    }
    let fed = scenario("al-asad-2020-federate");
    let mut input = DisInput::new(fed.dis_in.clone().unwrap());
    let (mut feed, timing) = capture_feed(&capture, &mut input, epoch, fed.duration);
    assert_eq!(timing, Timing::Epoch);
    let updates = feed.remaining();
    let mut events = Vec::new();
    Engine::new(&fed, RunOptions::seed(fed.seed))
        .run_fed(&mut events, Some(&mut feed))
        .unwrap();
    assert_engaged(&events);
    // Dated from another day, the capture plays from its first packet.
    let mut input = DisInput::new(fed.dis_in.clone().unwrap());
    let (later, timing) = capture_feed(
        &capture,
        &mut input,
        epoch - 86_400_000_000_000,
        fed.duration,
    );
    assert_eq!(timing, Timing::FirstPacket);
    assert_eq!(later.next_poll(SimTime::EPOCH), Some(SimTime::EPOCH));
    assert_eq!(later.remaining(), updates);
}

/// The fed threats were detected, tracked, fired at and some killed.
fn assert_engaged(events: &[Event]) {
    let fed: BTreeSet<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Launch { threat, .. } => Some(threat.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        fed.len() >= 10 && fed.iter().all(|t| t.starts_with("DIS-1.1.")),
        "{fed:?}"
    );
    let detected = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Scan { detections, .. } if detections > 0))
        .count();
    let tracked = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TrackInitiated { .. }))
        .count();
    let kills = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Intercept { kill: true, threat, .. } if fed.contains(threat.as_str())))
        .count();
    assert!(
        detected > 0 && tracked > 0 && kills > 0,
        "{detected} {tracked} {kills}"
    );
}

#[test]
fn the_federate_engages_the_raid_received_live_over_loopback() {
    let (_, _, datagrams) = raid();
    let fed = scenario("al-asad-2020-federate");
    // 400 simulated seconds per second: the raid's twenty minutes in about three seconds.
    let factor = 400.0;
    let mut feed = UdpFeed::bind(
        "127.0.0.1:0".parse().unwrap(),
        DisInput::new(fed.dis_in.clone().unwrap()),
        factor,
    )
    .unwrap();
    let to = feed.local_addr().unwrap();
    let last = datagrams.iter().map(|d| d.t_ns).max().unwrap();
    let sender = std::thread::spawn(move || {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let start = std::time::Instant::now();
        for d in &datagrams {
            let due = std::time::Duration::from_secs_f64(d.t_ns as f64 / 1e9 / factor);
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                std::thread::sleep(wait);
            }
            socket.send_to(&d.bytes, to).unwrap();
        }
    });
    let mut events = Vec::new();
    // The run is cut at the raid's last PDU and a time-out: a live feed never ends by itself.
    let mut short = fed.clone();
    short.duration = SimDuration::from_nanos(last) + SimDuration::from_secs(20);
    Engine::new(&short, RunOptions::seed(fed.seed))
        .run_fed(&mut events, Some(&mut feed))
        .unwrap();
    sender.join().unwrap();
    assert_eq!(feed.input.stats.not_dis, 0);
    assert_engaged(&events);
}

/// An Entity State PDU of `entity` of type `kind.domain.0.1.sub`.
fn espdu(exercise: u8, entity: u16, domain: u8, sub: u8, body: EntityState) -> Vec<u8> {
    let es = EntityState {
        entity_id: EntityId::new(5, 6, entity),
        entity_type: EntityType::default()
            .with_kind(DisKind::Munition)
            .with_domain(PlatformDomain::from(domain))
            .with_category(1)
            .with_subcategory(sub),
        ..body
    };
    bytes(exercise, es.into_pdu_body())
}

fn bytes(exercise: u8, body: dis_rs::model::PduBody) -> Vec<u8> {
    let header = PduHeader::new_v7(exercise, body.body_type());
    let pdu = Pdu::finalize_from_parts(
        header,
        body,
        dis_rs::model::Timestamp::Relative(dis_rs::model::TimeUnits::default()),
    );
    let mut buf = bytes::BytesMut::with_capacity(1500);
    pdu.serialize(&mut buf).unwrap();
    buf.to_vec()
}

#[test]
fn the_decoder_reads_each_algorithm_and_leaves_what_it_should() {
    let config = DisIn {
        exercise: Some(1),
        timeout: SimDuration::from_secs(12),
        entities: vec![DisInEntity {
            entity_type: vec![2, 11, 0, 1],
            threat_type: 0,
        }],
    };
    let mut input = DisInput::new(config);
    let base = EntityState::builder()
        .with_location(Location::new(4e6, 3e6, 3.5e6))
        .with_velocity(VectorF32::new(100.0, 0.0, 0.0))
        // ψ = 90°: the body's x axis points along the world's y axis.
        .with_orientation(Orientation::new(std::f32::consts::FRAC_PI_2, 0.0, 0.0))
        .with_dead_reckoning_parameters(
            DrParameters::default()
                .with_algorithm(DeadReckoningAlgorithm::DRM_FVB_SimilarToFVWExceptInBodyCoordinates)
                .with_linear_acceleration(VectorF32::new(2.0, 0.0, 0.0)),
        )
        .build();
    let mut out = Vec::new();
    let t = at(3.0);
    input.datagram(&espdu(1, 1, 11, 0, base.clone()), t, &mut out);
    let [FeedUpdate::State { entity, state, .. }] = out.as_slice() else {
        panic!("{out:?}")
    };
    assert_eq!(entity, "DIS-5.6.1");
    assert_eq!(state.motion, Motion::ConstantAcceleration);
    // Body axes: velocity and acceleration both turned to world axes.
    assert!((state.acceleration - nalgebra::Vector3::new(0.0, 2.0, 0.0)).norm() < 1e-6);
    assert!((state.velocity - nalgebra::Vector3::new(0.0, 100.0, 0.0)).norm() < 1e-4);
    // World-axis acceleration is taken as it is; a deactivated entity is removed.
    let mut world = base.clone();
    world.dead_reckoning_parameters = DrParameters::default()
        .with_algorithm(DeadReckoningAlgorithm::DRM_FVW_HighSpeedOrManeuveringEntity)
        .with_linear_acceleration(VectorF32::new(2.0, 0.0, 0.0));
    out.clear();
    input.datagram(&espdu(1, 1, 11, 0, world), t, &mut out);
    let [FeedUpdate::State { state, .. }] = out.as_slice() else {
        panic!("{out:?}")
    };
    assert_eq!(state.acceleration, nalgebra::Vector3::new(2.0, 0.0, 0.0));
    assert_eq!(state.velocity, nalgebra::Vector3::new(100.0, 0.0, 0.0));
    let mut gone = base.clone();
    gone.entity_appearance =
        EntityAppearance::from_bytes(1 << 23, &EntityType::default().with_kind(DisKind::Munition));
    out.clear();
    input.datagram(&espdu(1, 1, 11, 0, gone), t, &mut out);
    assert_eq!(
        out,
        vec![FeedUpdate::Remove {
            entity: "DIS-5.6.1".into()
        }]
    );
    // A Remove Entity PDU names the entity to remove.
    out.clear();
    let remove = RemoveEntity {
        originating_id: EntityId::new(9, 9, 0),
        receiving_id: EntityId::new(5, 6, 2),
        request_id: 1,
    };
    input.datagram(&bytes(1, remove.into_pdu_body()), t, &mut out);
    assert_eq!(
        out,
        vec![FeedUpdate::Remove {
            entity: "DIS-5.6.2".into()
        }]
    );
    // A placeholder at the Earth's centre is no state a flight can hold.
    out.clear();
    let mut nowhere = base.clone();
    nowhere.entity_location = Location::new(0.0, 0.0, 0.0);
    input.datagram(&espdu(1, 7, 11, 0, nowhere), t, &mut out);
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(input.stats.implausible, 1);
    // Another exercise, an unmapped type and a datagram that is not DIS give nothing.
    input.datagram(&espdu(2, 3, 11, 0, base.clone()), t, &mut out);
    input.datagram(&espdu(1, 4, 9, 0, base), t, &mut out);
    input.datagram(b"not a PDU at all, just some bytes", t, &mut out);
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(input.stats.other_exercise, 1);
    assert!(input.stats.unmapped_types.contains("2.9.0.1.0.0.0"));
    assert_eq!(input.stats.not_dis, 1);
    assert!(input.stats.first_error.is_some());
    // The rotation itself: θ = 90° turns the body's x axis to the world's −z.
    let r = body_to_world(0.0, std::f64::consts::FRAC_PI_2, 0.0) * nalgebra::Vector3::x();
    assert!((r - nalgebra::Vector3::new(0.0, 0.0, -1.0)).norm() < 1e-12);
}

#[test]
fn captures_of_other_forms_are_read_and_damaged_ones_refused() {
    use pcap_file::DataLink;
    use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
    let payload = b"payload".to_vec();
    // Raw IPv4 link, microsecond timestamps.
    let mut frame = Vec::new();
    etherparse::PacketBuilder::ipv4([127, 0, 0, 1], [127, 0, 0, 1], 64)
        .udp(4000, 3000)
        .write(&mut frame, &payload)
        .unwrap();
    let header = PcapHeader {
        datalink: DataLink::RAW,
        ..PcapHeader::default()
    };
    let mut w = PcapWriter::with_header(Vec::new(), header).unwrap();
    w.write_packet(&PcapPacket::new(
        std::time::Duration::from_micros(1_500_000),
        frame.len() as u32,
        &frame,
    ))
    .unwrap();
    // A TCP packet is skipped.
    let mut tcp = Vec::new();
    etherparse::PacketBuilder::ipv4([127, 0, 0, 1], [127, 0, 0, 1], 64)
        .tcp(1, 2, 0, 1000)
        .write(&mut tcp, &payload)
        .unwrap();
    w.write_packet(&PcapPacket::new(
        std::time::Duration::from_micros(1_600_000),
        tcp.len() as u32,
        &tcp,
    ))
    .unwrap();
    let file = w.into_writer();
    let c = read_capture(&file[..]).unwrap();
    assert_eq!(c.datagrams, vec![(1_500_000_000, payload.clone())]);
    assert_eq!(c.skipped, 1);
    // The same as pcapng, the default microsecond resolution.
    use pcap_file::pcapng::PcapNgWriter;
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
    use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
    let mut ng = PcapNgWriter::new(Vec::new()).unwrap();
    ng.write_pcapng_block(InterfaceDescriptionBlock {
        linktype: DataLink::RAW,
        snaplen: 0,
        options: vec![],
    })
    .unwrap();
    // pcap-file writes the timestamp's nanoseconds as the raw units: 1_500_000 units of 1 µs.
    ng.write_pcapng_block(EnhancedPacketBlock {
        interface_id: 0,
        timestamp: std::time::Duration::from_nanos(1_500_000),
        original_len: frame.len() as u32,
        data: std::borrow::Cow::Borrowed(&frame),
        options: vec![],
    })
    .unwrap();
    let c = read_capture(&ng.into_inner()[..]).unwrap();
    assert_eq!(c.datagrams, vec![(1_500_000_000, payload)]);
    // Not a capture, and one cut short, are errors naming where.
    let e = read_capture(&b"GIF89a and more"[..]).unwrap_err();
    assert!(e.to_string().contains("packet 0"), "{e}");
    let e = read_capture(&file[..file.len() - 3]).unwrap_err();
    assert!(e.to_string().contains("packet 2"), "{e}");
    assert!(read_capture(&file[..2]).is_err());
}
