//! The shipped defended scenario as DIS: every PDU decodes, and what it says is what the event
//! log says, to the standard's resolution.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dis_rs::detonation::model::Detonation;
use dis_rs::entity_state::model::EntityState;
use dis_rs::enumerations::{DetonationResult, EntityKind as DisKind, ForceId};
use dis_rs::model::{PduBody, Timestamp};
use nalgebra::Vector3;
use rampart_core::calendar::parse_utc;
use rampart_interop::dis::{DisConfig, HEARTBEAT_S, POSITION_THRESHOLD_M, encode_run, orientation};
use rampart_sim::engine::{RunOptions, run};
use rampart_sim::events::{EntityKind, Event, EventKind};
use std::collections::HashMap;

fn defended() -> (rampart_sim::scenario::Scenario, Vec<Event>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/al-asad-2020-defended.toml"
    );
    let s = rampart_sim::scenario::load(std::path::Path::new(path)).expect("it loads");
    let opts = RunOptions {
        state_interval: rampart_core::SimDuration::from_secs_f64(1.0),
        ..RunOptions::seed(s.seed)
    };
    let ev = run(&s, opts).expect("the run");
    (s, ev)
}

/// An entity's name, kind, position and velocity at one sample of the log.
type Sample<'a> = (&'a str, EntityKind, [f64; 3], [f64; 3]);

fn config(s: &rampart_sim::scenario::Scenario) -> DisConfig {
    DisConfig {
        exercise_id: 7,
        site_id: 11,
        application_id: 22,
        epoch_unix_ns: parse_utc(&s.epoch).expect("the epoch"),
    }
}

#[test]
fn every_pdu_decodes_and_agrees_with_the_event_log() {
    let (s, ev) = defended();
    let cfg = config(&s);
    let (datagrams, encoder) = encode_run(&ev, cfg).unwrap();
    assert!(!datagrams.is_empty());
    // Entity states by (entity number, t_ns), from the log.
    let mut states: HashMap<(u16, i64), Sample<'_>> = HashMap::new();
    let mut launches = 0;
    let mut intercepts = 0;
    let mut impacts = 0;
    for e in &ev {
        match &e.kind {
            EventKind::EntityState {
                entity,
                entity_kind,
                position_m,
                velocity_mps,
                ..
            } => {
                let id = encoder.entity_number(entity).expect("numbered");
                states.insert(
                    (id, e.t_ns),
                    (entity, *entity_kind, *position_m, *velocity_mps),
                );
            }
            EventKind::InterceptorLaunch { .. } => launches += 1,
            EventKind::Intercept { .. } => intercepts += 1,
            EventKind::Impact { .. } => impacts += 1,
            _ => {}
        }
    }
    let mut sent: HashMap<u16, Vec<f64>> = HashMap::new();
    let (mut fires, mut detonations, mut ground) = (0, 0, 0);
    // Munition → its Fire PDU's (event number, firing entity).
    let mut fired: HashMap<u16, (u16, u16)> = HashMap::new();
    let mut detonated: std::collections::HashSet<u16> = std::collections::HashSet::new();
    // Entity → its deactivated Entity State PDUs (its last, at its end).
    let mut deactivated: HashMap<u16, u32> = HashMap::new();
    for d in &datagrams {
        let pdus = dis_rs::parse(&d.bytes).expect("it decodes");
        assert_eq!(pdus.len(), 1);
        let pdu = &pdus[0];
        assert_eq!(pdu.header.exercise_id, 7);
        assert_eq!(usize::from(pdu.header.pdu_length), d.bytes.len());
        // Absolute time past the hour, to one time unit (3600 s / 2³¹ ≈ 1.7 µs).
        let Timestamp::Absolute(units) = pdu.header.timestamp else {
            panic!("an absolute timestamp");
        };
        let past_hour = (cfg.epoch_unix_ns + i128::from(d.t_ns)).rem_euclid(3_600_000_000_000);
        let got = units.to_duration().as_nanos() as i128;
        assert!((got - past_hour).abs() < 2_000, "{got} against {past_hour}");
        match &pdu.body {
            PduBody::EntityState(es) => {
                let EntityState {
                    entity_id,
                    entity_location: p,
                    entity_linear_velocity: v,
                    ..
                } = es;
                assert_eq!(
                    (
                        entity_id.simulation_address.site_id,
                        entity_id.simulation_address.application_id
                    ),
                    (11, 22)
                );
                let id = entity_id.entity_id;
                assert!(
                    !deactivated.contains_key(&id),
                    "a state after the entity's last"
                );
                let gone = es.entity_appearance.state()
                    == Some(dis_rs::enumerations::AppearanceEntityOrObjectState::Deactivated);
                assert!(
                    !detonated.contains(&id),
                    "a state after the entity's detonation"
                );
                if gone {
                    *deactivated.entry(id).or_default() += 1;
                }
                let (name, kind, pos, vel) = states
                    .get(&(entity_id.entity_id, d.t_ns))
                    .expect("a state of the log");
                // ECEF in the DIS world frame: the position exactly (64-bit), the velocity to
                // its 32-bit float.
                assert_eq!([p.x_coordinate, p.y_coordinate, p.z_coordinate], *pos);
                for (a, b) in [
                    v.first_vector_component,
                    v.second_vector_component,
                    v.third_vector_component,
                ]
                .iter()
                .zip(vel)
                {
                    assert!((f64::from(*a) - b).abs() <= 1e-6 * b.abs().max(1.0));
                }
                let (force, dis_kind) = match kind {
                    EntityKind::Threat => (ForceId::Opposing, None),
                    EntityKind::Interceptor => (ForceId::Friendly, Some(DisKind::Munition)),
                };
                assert_eq!(es.force_id, force, "{name}");
                if let Some(k) = dis_kind {
                    assert_eq!(es.entity_type.kind, k);
                }
                // The updates a receiver dead-reckons by (an entity's last, deactivated state
                // is its end, not an update).
                if !gone {
                    sent.entry(entity_id.entity_id)
                        .or_default()
                        .push(d.t_ns as f64 / 1e9);
                }
            }
            PduBody::Fire(f) => {
                fires += 1;
                fired.insert(
                    f.entity_id.entity_id,
                    (f.event_id.event_id, f.firing_entity_id.entity_id),
                );
            }
            PduBody::Detonation(Detonation {
                detonation_result,
                exploding_entity_id,
                source_entity_id,
                event_id,
                location_in_world_coordinates: at,
                ..
            }) => {
                detonations += 1;
                let id = exploding_entity_id.entity_id;
                detonated.insert(id);
                if *detonation_result == DetonationResult::GroundImpact {
                    ground += 1;
                    // On the ground: where the threat's state at the impact puts it, or, with no
                    // state at that time, its last carried on (the bases stand at 188–415 m).
                    let here = [at.x_coordinate, at.y_coordinate, at.z_coordinate];
                    match states.get(&(id, d.t_ns)) {
                        Some((_, _, pos, _)) => assert_eq!(here, *pos),
                        None => {
                            let h = rampart_core::Geodetic::from_ecef(
                                &rampart_core::Coordinate::from_vector3(Vector3::from(here)),
                            )
                            .alt_m;
                            assert!((0.0..1_000.0).contains(&h), "a ground impact at {h} m");
                        }
                    }
                } else {
                    // An interceptor's repeats its Fire PDU's event and firing entity.
                    let (event, firer) = fired[&id];
                    assert_eq!(
                        (event_id.event_id, source_entity_id.entity_id),
                        (event, firer)
                    );
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(fires, launches);
    assert_eq!(detonations, intercepts + impacts);
    assert_eq!(ground, impacts);
    // Every entity that ended without detonating — a threat that broke up or was killed, an
    // interceptor lost — sent one last state, deactivated; no other did (a detonation is its
    // munition's end).
    let mut ended = std::collections::HashSet::new();
    for e in &ev {
        match &e.kind {
            EventKind::Failure { threat, .. } => {
                ended.insert(threat.as_str());
            }
            EventKind::Intercept {
                threat, kill: true, ..
            } => {
                ended.insert(threat.as_str());
            }
            EventKind::InterceptorLost { interceptor, .. } => {
                ended.insert(interceptor.as_str());
            }
            _ => {}
        }
    }
    let ended: std::collections::HashSet<u16> = ended
        .iter()
        .filter_map(|n| encoder.entity_number(n))
        .collect();
    assert!(!ended.is_empty());
    assert_eq!(
        deactivated
            .keys()
            .copied()
            .collect::<std::collections::HashSet<_>>(),
        ended
    );
    assert!(deactivated.values().all(|n| *n == 1), "{deactivated:?}");
    // Every entity of the log is sent, and while it lives, at least every heartbeat (the
    // samples come every second).
    let entities: std::collections::HashSet<u16> = states.keys().map(|k| k.0).collect();
    assert_eq!(sent.len(), entities.len());
    for times in sent.values() {
        for w in times.windows(2) {
            assert!(w[1] - w[0] <= HEARTBEAT_S + 1.0 + 1e-9, "{w:?}");
        }
    }
    // Dead reckoning thins the states: fewer PDUs than samples.
    let total: usize = sent.values().map(Vec::len).sum();
    assert!(total < states.len(), "{total} of {}", states.len());
}

/// Between two Entity State PDUs of one entity, the receivers' dead-reckoned position (constant
/// velocity from the last one sent) stays within the threshold at every sample of the log.
#[test]
fn dead_reckoning_keeps_within_its_threshold_between_updates() {
    let (s, ev) = defended();
    let (datagrams, encoder) = encode_run(&ev, config(&s)).unwrap();
    let mut sent_at: HashMap<(u16, i64), ()> = HashMap::new();
    // The detonations: an entity's state at its detonation is its end, not an update.
    let mut detonated_at: HashMap<(u16, i64), ()> = HashMap::new();
    for d in &datagrams {
        match &dis_rs::parse(&d.bytes).unwrap()[0].body {
            PduBody::EntityState(es) => {
                sent_at.insert((es.entity_id.entity_id, d.t_ns), ());
            }
            PduBody::Detonation(x) => {
                detonated_at.insert((x.exploding_entity_id.entity_id, d.t_ns), ());
            }
            _ => {}
        }
    }
    let mut last: HashMap<u16, (f64, Vector3<f64>, Vector3<f64>)> = HashMap::new();
    let mut checked = 0;
    for e in &ev {
        let EventKind::EntityState {
            entity,
            position_m,
            velocity_mps,
            ..
        } = &e.kind
        else {
            continue;
        };
        let id = encoder.entity_number(entity).unwrap();
        let (p, v) = (Vector3::from(*position_m), Vector3::from(*velocity_mps));
        if detonated_at.contains_key(&(id, e.t_ns)) {
            continue;
        }
        if sent_at.contains_key(&(id, e.t_ns)) {
            last.insert(id, (e.t, p, v));
        } else if let Some((t0, p0, v0)) = last.get(&id) {
            let reckoned = p0 + v0 * (e.t - t0);
            assert!(
                (reckoned - p).norm() <= POSITION_THRESHOLD_M + 1e-6,
                "{entity} at {}: {}",
                e.t,
                (reckoned - p).norm()
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

/// The body axes (ECEF) of the DIS Euler angles ψ, θ, φ: the z-y-x rotation from the world
/// axes (IEEE 1278.1, entity coordinates).
fn body_axes(psi: f64, theta: f64, phi: f64) -> [Vector3<f64>; 3] {
    let ((sp, cp), (st, ct), (sf, cf)) = (psi.sin_cos(), theta.sin_cos(), phi.sin_cos());
    [
        Vector3::new(ct * cp, ct * sp, -st),
        Vector3::new(sf * st * cp - cf * sp, sf * st * sp + cf * cp, sf * ct),
        Vector3::new(cf * st * cp + sf * sp, cf * st * sp - sf * cp, cf * ct),
    ]
}

/// A ground platform faces north, belly down, wherever it stands — on the equator too, where
/// the Euler angles' yaw and roll turn about one axis.
#[test]
fn north_east_down_faces_north_everywhere() {
    use rampart_interop::dis::north_east_down;
    for (lat, lon) in [
        (0.0_f64, 0.0_f64),
        (0.0, 42.4),
        (0.0, -120.0),
        (33.8, 42.4),
        (-60.0, 170.0),
        (89.0, 10.0),
    ] {
        let g = rampart_core::Geodetic::from_degrees(lat, lon, 100.0);
        let p = *g.to_ecef().as_vector3();
        let [psi, theta, phi] = north_east_down(&p);
        let [x, y, _] = body_axes(psi, theta, phi);
        let (sl, cl) = lat.to_radians().sin_cos();
        let (so, co) = lon.to_radians().sin_cos();
        let north = Vector3::new(-sl * co, -sl * so, cl);
        let east = Vector3::new(-so, co, 0.0);
        assert!((x - north).norm() < 1e-6, "{lat}, {lon}: nose {x}");
        assert!((y - east).norm() < 1e-6, "{lat}, {lon}: right wing {y}");
    }
}

/// The orientation puts the body's nose along the velocity, its wings level with the local
/// horizontal and its belly down, wherever on the Earth and whichever way it flies.
#[test]
fn orientation_points_the_nose_along_the_velocity_wings_level() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    };
    for _ in 0..1000 {
        let up = Vector3::new(next(), next(), next()).normalize();
        let position = up * 6.4e6;
        let v = Vector3::new(next(), next(), next()) * 300.0;
        let [psi, theta, phi] = orientation(&position, &v);
        let [x, y, z] = body_axes(psi, theta, phi);
        assert!((x - v.normalize()).norm() < 1e-9);
        assert!(y.dot(&up).abs() < 1e-9);
        assert!(z.dot(&up) < 0.0);
    }
}

/// Each radar is a ground platform that emits: its Entity State PDU puts it at its antenna,
/// nose north and belly down, and its Electromagnetic Emission PDU describes its search beam
/// (azimuth centre the boresight, half the span as the sweep), at the first event and then at
/// least every emission heartbeat.
#[test]
fn radars_emit_from_where_they_stand() {
    use dis_rs::electromagnetic_emission::model::ElectromagneticEmission;
    use rampart_interop::dis::{EMISSION_HEARTBEAT_S, Emitter};
    let (s, ev) = defended();
    let emitters: Vec<Emitter> = s
        .radars
        .iter()
        .map(|r| Emitter {
            name: r.name.clone(),
            position: *rampart_core::Geodetic {
                alt_m: r.site.alt_m + r.antenna_height_m,
                ..r.site
            }
            .to_ecef()
            .as_vector3(),
            boresight_rad: r.boresight_rad,
            azimuth_span_rad: r.azimuth_span_rad,
            elevation_rad: (r.elevation_min_rad, r.elevation_max_rad),
        })
        .collect();
    let encoder = rampart_interop::dis::DisEncoder::new(config(&s)).with_emitters(emitters.clone());
    let (out, encoder) = rampart_interop::dis::encode_with(encoder, &ev).unwrap();
    let mut emissions: HashMap<u16, Vec<f64>> = HashMap::new();
    for d in &out {
        match &dis_rs::parse(&d.bytes).unwrap()[0].body {
            PduBody::ElectromagneticEmission(ElectromagneticEmission {
                emitting_entity_id,
                emitter_systems,
                ..
            }) => {
                let k = emitters
                    .iter()
                    .position(|e| {
                        encoder.entity_number(&e.name) == Some(emitting_entity_id.entity_id)
                    })
                    .expect("a radar");
                let beam = &emitter_systems[0].beams[0].beam_data;
                assert!((f64::from(beam.azimuth_center) - emitters[k].boresight_rad).abs() < 1e-6);
                assert!(
                    (f64::from(beam.azimuth_sweep) - emitters[k].azimuth_span_rad / 2.0).abs()
                        < 1e-6
                );
                emissions
                    .entry(emitting_entity_id.entity_id)
                    .or_default()
                    .push(d.t_ns as f64 / 1e9);
            }
            PduBody::EntityState(es) => {
                let Some(k) = emitters
                    .iter()
                    .position(|e| encoder.entity_number(&e.name) == Some(es.entity_id.entity_id))
                else {
                    continue;
                };
                let p = emitters[k].position;
                let l = &es.entity_location;
                assert_eq!(
                    [l.x_coordinate, l.y_coordinate, l.z_coordinate],
                    [p.x, p.y, p.z]
                );
                let o = &es.entity_orientation;
                let [x, _, z] = body_axes(f64::from(o.psi), f64::from(o.theta), f64::from(o.phi));
                let up = p.normalize();
                let north = Vector3::z() - up * up.z;
                assert!(x.dot(&north.normalize()) > 0.999_99, "nose north");
                assert!(z.dot(&up) < -0.99, "belly down");
            }
            _ => {}
        }
    }
    assert_eq!(emissions.len(), emitters.len());
    for times in emissions.values() {
        assert_eq!(times[0], 0.0);
        for w in times.windows(2) {
            // Kept at the run's events, which come every second while anything flies.
            assert!(w[1] - w[0] <= EMISSION_HEARTBEAT_S + 1.0, "{w:?}");
        }
    }
}

/// The layered scenario's counter-rocket guns: each burst is a Fire PDU from the gun at the
/// threat (stamped at its firing) and a Detonation PDU at the aim point, entity impact when it
/// killed; no state of a threat a burst killed follows.
#[test]
fn gun_bursts_are_fire_and_detonation_pdus() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/al-asad-2020-layered.toml"
    );
    let s = rampart_sim::scenario::load(std::path::Path::new(path)).expect("it loads");
    let opts = RunOptions {
        state_interval: rampart_core::SimDuration::from_secs_f64(1.0),
        ..RunOptions::seed(s.seed)
    };
    let ev = run(&s, opts).expect("the run");
    // (gun, fired at, threat, kill, aim point ECEF)
    type Burst<'a> = (&'a str, f64, Option<&'a str>, bool, [f64; 3]);
    let bursts: Vec<Burst<'_>> = ev
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::GunBurst {
                gun,
                fired_t,
                threat,
                kill,
                at,
                alt_m,
                ..
            } => {
                let p = rampart_core::Geodetic::from_degrees(at.lat, at.lon, *alt_m).to_ecef();
                let p = p.as_vector3();
                Some((
                    gun.as_str(),
                    *fired_t,
                    threat.as_deref(),
                    *kill,
                    [p.x, p.y, p.z],
                ))
            }
            _ => None,
        })
        .collect();
    assert!(
        bursts.iter().any(|b| b.3),
        "the layered scenario's guns kill"
    );
    let encoder =
        rampart_interop::dis::DisEncoder::new(config(&s)).with_guns(rampart_interop::dis::guns(&s));
    let (datagrams, encoder) = rampart_interop::dis::encode_with(encoder, &ev).unwrap();
    let cfg = config(&s);
    let mut fires = Vec::new();
    let mut detonations = Vec::new();
    for d in &datagrams {
        let pdu = dis_rs::parse(&d.bytes).unwrap().remove(0);
        match pdu.body {
            PduBody::Fire(f) if f.entity_id.entity_id == 0 => fires.push((pdu.header.timestamp, f)),
            PduBody::Detonation(x) if x.exploding_entity_id.entity_id == 0 => detonations.push(x),
            _ => {}
        }
    }
    assert_eq!(fires.len(), bursts.len());
    assert_eq!(detonations.len(), bursts.len());
    // A threat a burst killed sends its last state, deactivated, and nothing after.
    for (_, _, threat, kill, _) in &bursts {
        let (Some(t), true) = (threat, kill) else {
            continue;
        };
        let id = encoder.entity_number(t).unwrap();
        let states: Vec<bool> = datagrams
            .iter()
            .filter_map(|d| match dis_rs::parse(&d.bytes).unwrap().remove(0).body {
                PduBody::EntityState(es) if es.entity_id.entity_id == id => Some(
                    es.entity_appearance.state()
                        == Some(dis_rs::enumerations::AppearanceEntityOrObjectState::Deactivated),
                ),
                _ => None,
            })
            .collect();
        assert_eq!(states.iter().filter(|g| **g).count(), 1, "{t}");
        assert_eq!(states.last(), Some(&true), "{t}");
    }
    for (((stamp, f), x), (gun, fired_t, threat, kill, aim)) in
        fires.iter().zip(&detonations).zip(&bursts)
    {
        let gun_id = encoder.entity_number(gun).expect("the gun is numbered");
        assert_eq!(f.firing_entity_id.entity_id, gun_id);
        assert_eq!(x.source_entity_id.entity_id, gun_id);
        assert_eq!(f.event_id, x.event_id);
        let target = threat.and_then(|t| encoder.entity_number(t)).unwrap_or(0);
        assert_eq!(f.target_entity_id.entity_id, target);
        assert_eq!(x.target_entity_id.entity_id, target);
        // Stamped at the firing, to one time unit (3600 s / 2³¹).
        let Timestamp::Absolute(units) = stamp else {
            panic!("a relative timestamp")
        };
        let past_hour = (cfg.epoch_unix_ns + (fired_t * 1e9).round() as i128)
            .rem_euclid(3_600_000_000_000) as f64
            * 1e-9;
        assert!((units.to_duration().as_secs_f64() - past_hour).abs() < 2e-6);
        let l = &x.location_in_world_coordinates;
        let at = Vector3::new(l.x_coordinate, l.y_coordinate, l.z_coordinate);
        assert!((at - Vector3::from(*aim)).norm() < 1e-6);
        let from = &f.location_in_world;
        let p = Vector3::new(from.x_coordinate, from.y_coordinate, from.z_coordinate);
        let site = s.guns.iter().find(|g| g.name == *gun).unwrap().position;
        assert!((p - site.to_ecef().as_vector3()).norm() < 1e-6);
        assert_eq!(
            x.detonation_result,
            if *kill {
                DetonationResult::EntityImpact
            } else {
                DetonationResult::Detonation
            }
        );
    }
}
