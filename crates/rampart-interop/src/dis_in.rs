//! DIS in: another simulation's entities as threats of the run ([`rampart_sim::feed`]).
//!
//! Each datagram is decoded by dis-rs. An Entity State PDU of the exercise listened to, of an
//! entity type the scenario's `[dis_in]` table maps, gives the entity's state (ECEF location,
//! velocity, and for the constant-acceleration algorithms the acceleration — rotated from body
//! to world axes by the entity's orientation for the body-axis ones); a deactivated appearance
//! or a Remove Entity PDU naming the entity removes it; a Detonation PDU ends the entity that
//! exploded, an impact where it says when its result is a ground impact. Anything else is
//! counted and left.
//!
//! Two sources: a recording ([`read_capture`], a pcap or pcapng capture of UDP datagrams, as
//! Wireshark or `--dis-pcap` writes one), replayed at its packets' times; and a live socket
//! ([`UdpFeed`]), polled as the run is paced to the wall clock.

use crate::euler::body_to_world;
use crate::live::Pacer;
use dis_rs::entity_state::model::EntityState;
use dis_rs::enumerations::{
    AppearanceEntityOrObjectState, DeadReckoningAlgorithm as Drm, DetonationResult,
};
use dis_rs::model::{EntityId, PduBody, VectorF32};
use etherparse::{SlicedPacket, TransportSlice};
use nalgebra::Vector3;
use pcap_file::DataLink;
use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::{
    Block, PcapNgReader, blocks::interface_description::InterfaceDescriptionOption,
};
use rampart_core::{SimDuration, SimTime};
use rampart_sim::feed::{FeedError, FeedState, FeedUpdate, Motion, RecordedFeed, ThreatFeed};
use rampart_sim::scenario::DisIn;
use std::collections::BTreeSet;
use std::io::Read;
use std::net::{SocketAddr, UdpSocket};

/// What a DIS input took and left.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisInStats {
    /// Datagrams received.
    pub datagrams: u64,
    /// PDUs decoded.
    pub pdus: u64,
    /// Datagrams that were not DIS (dis-rs refused them).
    pub not_dis: u64,
    /// The first such refusal: the datagram's number (from 1) and why.
    pub first_error: Option<(u64, String)>,
    /// PDUs of other exercises.
    pub other_exercise: u64,
    /// Entity State PDUs of a state no flight can hold (a placeholder at the Earth's centre, a
    /// damaged number: `FeedState::plausible`), left out.
    pub implausible: u64,
    /// The entities that became threats.
    pub threats: BTreeSet<String>,
    /// The entity types seen that `[dis_in]` does not map, written `k.d.c.c.s.s.e`.
    pub unmapped_types: BTreeSet<String>,
}

/// Turns DIS datagrams into feed updates, as the scenario's `[dis_in]` says.
#[derive(Clone, Debug)]
pub struct DisInput {
    config: DisIn,
    /// What it took and left.
    pub stats: DisInStats,
}

impl DisInput {
    /// An input mapping entity types as `config` says.
    pub fn new(config: DisIn) -> Self {
        Self {
            config,
            stats: DisInStats::default(),
        }
    }

    /// Takes one datagram that arrived at `t`: its updates are appended to `out`.
    pub fn datagram(&mut self, bytes: &[u8], t: SimTime, out: &mut Vec<FeedUpdate>) {
        self.stats.datagrams += 1;
        // A datagram off the network is anyone's: a decoder that panics on one loses that
        // datagram, not the run (and says so once, in the counts, not on standard error).
        let parsed = quietly(|| dis_rs::parse(bytes));
        let parsed = parsed.unwrap_or_else(|_| {
            Err(dis_rs::DisError::ParseError(
                "the DIS decoder failed on it".into(),
            ))
        });
        let pdus = match parsed {
            Ok(p) => p,
            Err(e) => {
                self.stats.not_dis += 1;
                if self.stats.first_error.is_none() {
                    self.stats.first_error = Some((self.stats.datagrams, e.to_string()));
                }
                return;
            }
        };
        for pdu in pdus {
            self.stats.pdus += 1;
            if self
                .config
                .exercise
                .is_some_and(|x| x != pdu.header.exercise_id)
            {
                self.stats.other_exercise += 1;
                continue;
            }
            match &pdu.body {
                PduBody::EntityState(es) => self.entity_state(es, t, out),
                PduBody::RemoveEntity(r) => out.push(FeedUpdate::Remove {
                    entity: entity_name(&r.receiving_id),
                }),
                // A detonation ends the entity that exploded: on the ground, an impact there.
                PduBody::Detonation(d) => {
                    let l = &d.location_in_world_coordinates;
                    out.push(FeedUpdate::Detonate {
                        entity: entity_name(&d.exploding_entity_id),
                        position: Vector3::new(l.x_coordinate, l.y_coordinate, l.z_coordinate),
                        ground: matches!(
                            d.detonation_result,
                            DetonationResult::GroundImpact
                                | DetonationResult::GroundProximateDetonation
                        ),
                    });
                }
                _ => {}
            }
        }
    }

    fn entity_state(&mut self, es: &EntityState, t: SimTime, out: &mut Vec<FeedUpdate>) {
        let ty = &es.entity_type;
        let fields = [
            u16::from(u8::from(ty.kind)),
            u16::from(u8::from(ty.domain)),
            u16::from(ty.country),
            u16::from(ty.category),
            u16::from(ty.subcategory),
            u16::from(ty.specific),
            u16::from(ty.extra),
        ];
        let Some(threat_type) = self.config.threat_type(&fields) else {
            if self.stats.unmapped_types.len() < 1_000 {
                let f = fields.map(|x| x.to_string());
                self.stats.unmapped_types.insert(f.join("."));
            }
            return;
        };
        let entity = entity_name(&es.entity_id);
        if es.entity_appearance.state() == Some(AppearanceEntityOrObjectState::Deactivated) {
            out.push(FeedUpdate::Remove { entity });
            return;
        }
        let Some(state) = feed_state(es, t).filter(FeedState::plausible) else {
            self.stats.implausible += 1;
            return;
        };
        if self.stats.threats.len() < 100_000 {
            self.stats.threats.insert(entity.clone());
        }
        out.push(FeedUpdate::State {
            entity,
            threat_type,
            state,
        });
    }
}

thread_local! {
    /// Set while [`quietly`] runs on this thread: its panics are caught and counted, not shown.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic without the default hook printing it (other threads' panics,
/// and this thread's outside `f`, are shown as ever).
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let shown = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                shown(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    r
}

/// The run's name of a DIS entity: `DIS-<site>.<application>.<entity>`.
pub fn entity_name(id: &EntityId) -> String {
    format!(
        "DIS-{}.{}.{}",
        id.simulation_address.site_id, id.simulation_address.application_id, id.entity_id
    )
}

/// The state an Entity State PDU gives at `t`; `None` when a number in it is not finite.
fn feed_state(es: &EntityState, t: SimTime) -> Option<FeedState> {
    let l = &es.entity_location;
    let position = Vector3::new(l.x_coordinate, l.y_coordinate, l.z_coordinate);
    let mut velocity = vector(&es.entity_linear_velocity);
    let dr = &es.dead_reckoning_parameters;
    let (motion, body) = match dr.algorithm {
        Drm::StaticNonmovingEntity => (Motion::Static, false),
        Drm::DRM_RVW_HighSpeedOrManeuveringEntityWithExtrapolationOfOrientation
        | Drm::DRM_FVW_HighSpeedOrManeuveringEntity => (Motion::ConstantAcceleration, false),
        Drm::DRM_FPB_SimilarToFPWExceptInBodyCoordinates
        | Drm::DRM_RPB_SimilarToRPWExceptInBodyCoordinates => (Motion::ConstantVelocity, true),
        Drm::DRM_RVB_SimilarToRVWExceptInBodyCoordinates
        | Drm::DRM_FVB_SimilarToFVWExceptInBodyCoordinates => (Motion::ConstantAcceleration, true),
        // FPW, RPW, and the others and unspecified ones, whose effect on position is not
        // defined: constant velocity.
        _ => (Motion::ConstantVelocity, false),
    };
    let mut acceleration = vector(&dr.linear_acceleration);
    // The body-axis algorithms give velocity and acceleration in the entity's axes (the
    // velocity field's axes follow the algorithm, IEEE 1278.1-2012 Annex E): turned to world
    // axes by its orientation at the report (its rotation between reports, the algorithms' R1
    // and R2 terms, is not carried: exact for an entity that does not rotate).
    if body {
        let o = &es.entity_orientation;
        let r = body_to_world(f64::from(o.psi), f64::from(o.theta), f64::from(o.phi));
        velocity = r * velocity;
        acceleration = r * acceleration;
    }
    let finite = |v: &Vector3<f64>| v.iter().all(|x| x.is_finite());
    (finite(&position) && finite(&velocity) && finite(&acceleration)).then_some(FeedState {
        t,
        position,
        velocity,
        acceleration,
        motion,
    })
}

fn vector(v: &VectorF32) -> Vector3<f64> {
    Vector3::new(
        f64::from(v.first_vector_component),
        f64::from(v.second_vector_component),
        f64::from(v.third_vector_component),
    )
}

/// Why a capture could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// Not a pcap or pcapng file, or a damaged one.
    #[error("packet {packet}: {reason}")]
    Damaged {
        /// The packet (from 1) at which reading stopped; 0 for the file's header.
        packet: u64,
        /// Why.
        reason: String,
    },
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A capture's UDP datagrams: each with its time, ns since 1970.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capture {
    /// (time ns since 1970, UDP payload), in file order.
    pub datagrams: Vec<(i128, Vec<u8>)>,
    /// Packets that carried no UDP datagram (other protocols, other link types, fragments).
    pub skipped: u64,
}

/// The most packets a capture may hold.
pub const MAX_PACKETS: u64 = 50_000_000;

/// Reads the UDP datagrams of a pcap or pcapng capture (Ethernet, Linux cooked or raw IP
/// links).
///
/// # Errors
/// [`CaptureError`] when the file is not a capture, is damaged, or holds more than
/// [`MAX_PACKETS`] packets.
pub fn read_capture<R: Read>(mut r: R) -> Result<Capture, CaptureError> {
    let mut magic = [0u8; 4];
    r.read_exact(&mut magic)
        .map_err(|_| damaged(0, "shorter than a capture's header"))?;
    let r = std::io::Cursor::new(magic).chain(r);
    if magic == [0x0A, 0x0D, 0x0D, 0x0A] {
        read_pcapng(r)
    } else {
        read_pcap(r)
    }
}

fn damaged(packet: u64, reason: impl ToString) -> CaptureError {
    CaptureError::Damaged {
        packet,
        reason: reason.to_string(),
    }
}

fn read_pcap<R: Read>(r: R) -> Result<Capture, CaptureError> {
    let mut reader = PcapReader::new(r).map_err(|e| damaged(0, e))?;
    let link = reader.header().datalink;
    let mut out = Capture::default();
    let mut n = 0u64;
    while let Some(p) = reader.next_packet() {
        n += 1;
        if n > MAX_PACKETS {
            return Err(damaged(n, format!("more than {MAX_PACKETS} packets")));
        }
        let p = p.map_err(|e| damaged(n, e))?;
        let ns = i128::try_from(p.timestamp.as_nanos()).unwrap_or(i128::MAX);
        push_udp(&mut out, link, &p.data, ns);
    }
    Ok(out)
}

fn read_pcapng<R: Read>(r: R) -> Result<Capture, CaptureError> {
    let mut reader = PcapNgReader::new(r).map_err(|e| damaged(0, e))?;
    let mut out = Capture::default();
    // The current section's interfaces: link type, timestamp resolution and offset.
    let mut interfaces: Vec<(DataLink, u8, i64)> = Vec::new();
    let mut n = 0u64;
    while let Some(block) = reader.next_block() {
        let block = block.map_err(|e| damaged(n + 1, e))?;
        match block {
            Block::SectionHeader(_) => interfaces.clear(),
            Block::InterfaceDescription(iface) => {
                let (mut resol, mut offset_s) = (6, 0);
                for o in &iface.options {
                    match o {
                        InterfaceDescriptionOption::IfTsResol(r) => resol = *r,
                        // A signed 64-bit count of seconds (the format's definition), which
                        // pcap-file hands over unsigned.
                        InterfaceDescriptionOption::IfTsOffset(s) => offset_s = *s as i64,
                        _ => {}
                    }
                }
                interfaces.push((iface.linktype, resol, offset_s));
            }
            Block::EnhancedPacket(p) => {
                n += 1;
                if n > MAX_PACKETS {
                    return Err(damaged(n, format!("more than {MAX_PACKETS} packets")));
                }
                let Some(&(link, resol, offset_s)) = usize::try_from(p.interface_id)
                    .ok()
                    .and_then(|i| interfaces.get(i))
                else {
                    return Err(damaged(n, "a packet of an undescribed interface"));
                };
                // pcap-file 2.0 hands the raw timestamp units over as nanoseconds; the
                // interface's offset (if_tsoffset, s) is added.
                let ns = units_to_ns(p.timestamp.as_nanos(), resol)
                    .saturating_add(i128::from(offset_s) * 1_000_000_000);
                push_udp(&mut out, link, &p.data, ns);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A pcapng timestamp of `units` at resolution `resol` (`if_tsresol`: 10^−n s, or 2^−n s with
/// the top bit set) in ns.
fn units_to_ns(units: u128, resol: u8) -> i128 {
    let units = i128::try_from(units).unwrap_or(i128::MAX);
    let e = u32::from(resol & 0x7F);
    if resol & 0x80 == 0 {
        if e <= 9 {
            units.saturating_mul(10i128.pow(9 - e))
        } else {
            units / 10i128.pow((e - 9).min(38))
        }
    } else {
        let s = (e as i32).min(126);
        ((units as f64) * 1e9 * 2f64.powi(-s)) as i128
    }
}

fn push_udp(out: &mut Capture, link: DataLink, frame: &[u8], ns: i128) {
    let sliced = match link {
        DataLink::ETHERNET => SlicedPacket::from_ethernet(frame),
        DataLink::LINUX_SLL => SlicedPacket::from_linux_sll(frame),
        DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => SlicedPacket::from_ip(frame),
        _ => {
            out.skipped += 1;
            return;
        }
    };
    match sliced.ok().and_then(|s| s.transport) {
        Some(TransportSlice::Udp(u)) => out.datagrams.push((ns, u.payload().to_vec())),
        _ => out.skipped += 1,
    }
}

/// How a recording's times become the run's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// The capture falls within the run: its times count from the scenario's epoch.
    Epoch,
    /// It does not: its first packet comes at the run's start.
    FirstPacket,
}

/// A recorded capture as a feed: each datagram at its time in the run (see [`Timing`]), the
/// datagrams before the run's start or after its end left out.
pub fn capture_feed(
    capture: &Capture,
    input: &mut DisInput,
    epoch_unix_ns: i128,
    duration: SimDuration,
) -> (RecordedFeed, Timing) {
    let end_ns = epoch_unix_ns.saturating_add(i128::from(duration.as_nanos()));
    let first = capture.datagrams.iter().map(|(t, _)| *t).min();
    let (origin, timing) = match first {
        Some(f) if f >= epoch_unix_ns && f <= end_ns => (epoch_unix_ns, Timing::Epoch),
        Some(f) => (f, Timing::FirstPacket),
        None => (epoch_unix_ns, Timing::Epoch),
    };
    let mut updates = Vec::new();
    let mut scratch = Vec::new();
    for (ns, bytes) in &capture.datagrams {
        let Some(t) = i64::try_from(ns - origin)
            .ok()
            .filter(|d| *d >= 0)
            .map(SimTime::from_nanos)
        else {
            continue;
        };
        if (t - SimTime::EPOCH) > duration {
            continue;
        }
        input.datagram(bytes, t, &mut scratch);
        updates.extend(scratch.drain(..).map(|u| (t, u)));
    }
    (RecordedFeed::new(updates), timing)
}

/// How often a live feed is polled, simulated s.
pub const POLL_INTERVAL_S: f64 = 0.05;
/// The most datagrams taken at one poll (the rest wait for the next).
const MAX_PER_POLL: usize = 10_000;

/// A live DIS feed: a UDP socket read at each poll, after the wall clock has reached the
/// poll's time.
#[derive(Debug)]
pub struct UdpFeed {
    socket: UdpSocket,
    /// The decoder and its counts.
    pub input: DisInput,
    pacer: Pacer,
    interval: SimDuration,
    buf: Vec<u8>,
}

impl UdpFeed {
    /// A feed listening on `at` (a multicast group is joined on every interface), paced at
    /// `factor` simulated seconds per wall-clock second.
    ///
    /// # Errors
    /// When the socket cannot be bound or the group joined.
    pub fn bind(at: SocketAddr, input: DisInput, factor: f64) -> std::io::Result<Self> {
        let socket = if at.ip().is_multicast() {
            let any: SocketAddr = match at {
                SocketAddr::V4(_) => ([0, 0, 0, 0], at.port()).into(),
                SocketAddr::V6(_) => (std::net::Ipv6Addr::UNSPECIFIED, at.port()).into(),
            };
            let s = UdpSocket::bind(any)?;
            match at.ip() {
                std::net::IpAddr::V4(g) => {
                    s.join_multicast_v4(&g, &std::net::Ipv4Addr::UNSPECIFIED)?;
                }
                std::net::IpAddr::V6(g) => s.join_multicast_v6(&g, 0)?,
            }
            s
        } else {
            UdpSocket::bind(at)?
        };
        socket.set_nonblocking(true)?;
        Ok(Self {
            socket,
            input,
            pacer: Pacer::new(factor),
            interval: SimDuration::from_secs_f64(POLL_INTERVAL_S).unwrap_or(SimDuration::ZERO),
            buf: vec![0; 65_536],
        })
    }

    /// The address it listens on.
    ///
    /// # Errors
    /// As [`UdpSocket::local_addr`].
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.socket.local_addr()
    }
}

impl ThreatFeed for UdpFeed {
    fn poll(&mut self, t: SimTime, out: &mut Vec<FeedUpdate>) -> Result<(), FeedError> {
        self.pacer.wait((t - SimTime::EPOCH).as_secs_f64());
        for _ in 0..MAX_PER_POLL {
            match self.socket.recv_from(&mut self.buf) {
                Ok((n, _)) => self.input.datagram(&self.buf[..n], t, out),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                // An ICMP error of an earlier datagram (port unreachable) is reported on
                // some systems as a failed receive: there is nothing to take.
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
                Err(e) => return Err(Box::new(e)),
            }
        }
        Ok(())
    }

    fn next_poll(&self, t: SimTime) -> Option<SimTime> {
        t.checked_add(self.interval)
    }
}

#[cfg(test)]
mod tests {
    use super::units_to_ns;

    #[test]
    fn pcapng_timestamps_follow_their_resolution() {
        // 10^-6 s (the default), 10^-9 s, 10^-3 s, 10^-12 s, and 2^-10 s.
        assert_eq!(units_to_ns(1_500_000, 6), 1_500_000_000);
        assert_eq!(units_to_ns(1_500_000_000, 9), 1_500_000_000);
        assert_eq!(units_to_ns(1_500, 3), 1_500_000_000);
        assert_eq!(units_to_ns(1_500_000_000_000, 12), 1_500_000_000);
        assert_eq!(units_to_ns(1_536, 0x8A), 1_500_000_000);
        // Whatever the bytes say, no overflow.
        assert!(units_to_ns(u128::MAX, 0) > 0);
        assert!(units_to_ns(u128::MAX, 0xFF) >= 0);
    }
}
