//! A run's radar picture as EUROCONTROL ASTERIX: CAT034 service messages, CAT048 monoradar
//! target reports (plots) and CAT062 system tracks (each radar's tracker's tracks), encoded
//! here — no maintained crate encodes these categories — after the specifications' editions
//! CAT034 1.29, CAT048 1.32 and CAT062 1.20 (the items are listed in docs/interop.md), with a
//! decoder of the same items for the tests and the fuzzer.
//!
//! **Framing.** A data block is the category (1 octet), its length in octets including these
//! three (2 octets, big-endian), and records. A record is its field specification (FSPEC) —
//! one bit per item of the category's user application profile (UAP) in field-reference-number
//! order, seven to an octet, most significant first, the last bit of an octet set when another
//! octet follows (FX) — then the present items in FRN order. Each event's records go in one data
//! block.
//!
//! * **CAT034** at each scan of a radar: a north marker message (I034/000 = 1) with the data
//!   source (I034/010) and the time of day (I034/030).
//! * **CAT048** for each detection (a `detection` event, false alarms included: a radar cannot
//!   tell them apart): data source, time of day (I048/140), target report descriptor
//!   (I048/020: single PSR detection, simulated) and the measured position in polar
//!   co-ordinates (I048/040: range in 1/256 NM, azimuth in 360/2¹⁶ °). A plot beyond the item's
//!   256 NM is not sent (counted as dropped).
//! * **CAT062** for each confirmed track after each scan (a `track_update` event): data source
//!   (the radar's tracker), service identification, time of track information (I062/070),
//!   WGS-84 position (I062/105, 180/2²⁵ °), velocity east and north at the target (I062/185,
//!   0.25 m/s), track
//!   number (I062/040, the tracker's id modulo 2¹⁶), track status (I062/080: monosensor,
//!   geometric altitude from a 3D radar, confirmed, simulated, first message flagged) and
//!   geometric altitude (I062/130, 6.25 ft, held at the item's −1,500 to 150,000 ft) and
//!   estimated accuracies (I062/500: σ position east and north, their covariance, σ latitude
//!   and longitude, σ height, σ velocity east and north, from the track's covariance).
//!   Likewise each system track of the network's composite picture after the node takes a
//!   report (a `system_track_update` event), multisensor when it fuses several sensors' tracks.
//!
//! Each radar is a data source: system area code from the options, system identification code
//! its place among the scenario's radars, from 1; the network's fusion node is source 0.

use crate::dis::Datagram;
use nalgebra::Vector3;
use rampart_core::geodesy::wgs84;
use rampart_core::{Coordinate, Geodetic};
use rampart_sim::events::{Accuracy, Event, EventKind};
use std::collections::{HashMap, HashSet};

/// Metres per nautical mile.
const M_PER_NM: f64 = 1852.0;
/// Metres per foot.
const M_PER_FT: f64 = 0.3048;
/// Nanoseconds per day.
const DAY_NS: i128 = 86_400_000_000_000;

/// A radar as a data source.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// Its name, as events give it.
    pub name: String,
    /// Its antenna (the origin of its east-north-up frame).
    pub antenna: Geodetic,
}

/// The scenario's radars as data sources, identification codes 1, 2, … in their order.
pub fn sources(scenario: &rampart_sim::scenario::Scenario) -> Vec<Source> {
    crate::radars(scenario)
        .map(|(r, antenna)| Source {
            name: r.name.clone(),
            antenna,
        })
        .collect()
}

/// Who sends, and when the run is.
#[derive(Clone, Debug, PartialEq)]
pub struct AsterixConfig {
    /// System area code of every source.
    pub sac: u8,
    /// The radars, in scenario order (system identification codes 1, 2, …).
    pub sources: Vec<Source>,
    /// The scenario's epoch, ns since 1970-01-01T00:00:00Z (for the times of day).
    pub epoch_unix_ns: i128,
}

/// Turns a run's events into ASTERIX data blocks.
#[derive(Debug)]
pub struct AsterixEncoder {
    config: AsterixConfig,
    /// Tracks already reported, per source: the first report is flagged.
    seen: HashSet<(u8, u64)>,
    /// Plots not sent (beyond the 256 NM of I048/040).
    pub dropped: u64,
}

impl AsterixEncoder {
    /// An encoder for one run.
    pub fn new(config: AsterixConfig) -> Self {
        Self {
            config,
            seen: HashSet::new(),
            dropped: 0,
        }
    }

    /// The data block `event` gives, if any, appended to `out`.
    pub fn encode(&mut self, event: &Event, out: &mut Vec<Datagram>) {
        let tod = time_of_day(self.config.epoch_unix_ns, event.t_ns);
        let Some((cat, record)) = self.record(event, tod) else {
            return;
        };
        out.push(Datagram {
            t_ns: event.t_ns,
            bytes: data_block(cat, &[record]),
        });
    }

    /// The category and record of `event` at time of day `tod`, if it gives one.
    fn record(&mut self, event: &Event, tod: u32) -> Option<(u8, Vec<u8>)> {
        Some(match &event.kind {
            EventKind::Scan { radar, .. } => {
                let (sic, _) = self.source(radar)?;
                (34, north_marker(self.config.sac, sic, tod))
            }
            EventKind::Detection {
                radar,
                range_m,
                azimuth_rad,
                ..
            } => {
                let (sic, _) = self.source(radar)?;
                match plot(self.config.sac, sic, tod, *range_m, *azimuth_rad) {
                    Some(r) => (48, r),
                    None => {
                        self.dropped += 1;
                        return None;
                    }
                }
            }
            EventKind::TrackUpdate {
                radar,
                track,
                position_m,
                velocity_mps,
                accuracy,
            } => {
                let (sic, antenna) = self.source(radar)?;
                let [p0, p1, p2] = *position_m;
                let p = antenna.local_frame().to_ecef(&Coordinate::new(p0, p1, p2));
                let [e0, n0, u0] = enu_basis(&antenna);
                let v = e0 * velocity_mps[0] + n0 * velocity_mps[1] + u0 * velocity_mps[2];
                (
                    62,
                    self.track_record(sic, tod, *p.as_vector3(), v, *track, true, accuracy),
                )
            }
            // The fusion node is data source 0.
            EventKind::SystemTrackUpdate {
                track,
                position_m,
                velocity_mps,
                sensors,
                accuracy,
            } => {
                let (p, v) = (Vector3::from(*position_m), Vector3::from(*velocity_mps));
                let mono = *sensors <= 1;
                (62, self.track_record(0, tod, p, v, *track, mono, accuracy))
            }
            _ => return None,
        })
    }

    /// The CAT062 record of track `track` of source `sic` at ECEF position `p` and velocity `v`,
    /// its velocity given east and north at the target (not at the radar: the two frames
    /// differ by the Earth's curvature between them); its first report flagged.
    #[allow(clippy::too_many_arguments)]
    fn track_record(
        &mut self,
        sic: u8,
        tod: u32,
        p: Vector3<f64>,
        v: Vector3<f64>,
        track: u64,
        mono: bool,
        accuracy: &Accuracy,
    ) -> Vec<u8> {
        let first = self.seen.insert((sic, track));
        let at = Geodetic::from_ecef(&Coordinate::from_vector3(p));
        let [e1, n1, _] = enu_basis(&at);
        system_track(&TrackReport {
            sac: self.config.sac,
            sic,
            tod,
            lat_deg: at.lat_rad.to_degrees(),
            lon_deg: at.lon_rad.to_degrees(),
            alt_m: at.alt_m,
            v_east: v.dot(&e1),
            v_north: v.dot(&n1),
            number: (track % 65_536) as u16,
            first,
            mono,
            accuracy: *accuracy,
        })
    }

    /// The identification code and antenna of the radar named `name`.
    fn source(&self, name: &str) -> Option<(u8, Geodetic)> {
        let k = self.config.sources.iter().position(|s| s.name == name)?;
        Some((u8::try_from(k + 1).ok()?, self.config.sources[k].antenna))
    }
}

/// The east, north and up unit vectors (ECEF) at `g`.
fn enu_basis(g: &Geodetic) -> [Vector3<f64>; 3] {
    let (sl, cl) = g.lat_rad.sin_cos();
    let (so, co) = g.lon_rad.sin_cos();
    [
        Vector3::new(-so, co, 0.0),
        Vector3::new(-sl * co, -sl * so, cl),
        Vector3::new(cl * co, cl * so, sl),
    ]
}

/// Every data block of a run's `events` (in time order), and the plots dropped.
pub fn encode_run(events: &[Event], config: AsterixConfig) -> (Vec<Datagram>, u64) {
    let mut encoder = AsterixEncoder::new(config);
    let mut out = Vec::new();
    for e in events {
        encoder.encode(e, &mut out);
    }
    (out, encoder.dropped)
}

/// The time of day (UTC, since midnight) of `t_ns` after the epoch, in 1/128 s, as the 24-bit
/// items carry it.
pub fn time_of_day(epoch_unix_ns: i128, t_ns: i64) -> u32 {
    let ns = (epoch_unix_ns + i128::from(t_ns)).rem_euclid(DAY_NS);
    // 1/128 s is 7,812,500 ns; rounded, and the last half unit of the day wraps to 0.
    let units = (ns * 128 + 500_000_000) / 1_000_000_000;
    (units % (86_400 * 128)) as u32
}

fn u24(v: u32) -> [u8; 3] {
    let b = v.to_be_bytes();
    [b[1], b[2], b[3]]
}

/// The field specification of a record holding the items at `frns` (1-based, ascending).
pub fn fspec(frns: &[usize]) -> Vec<u8> {
    let last = frns.iter().copied().max().unwrap_or(1);
    let octets = last.div_ceil(7).max(1);
    let mut f = vec![0u8; octets];
    for &n in frns {
        f[(n - 1) / 7] |= 0x80 >> ((n - 1) % 7);
    }
    for b in f.iter_mut().take(octets - 1) {
        *b |= 1;
    }
    f
}

/// A record of `items` (FRN, the item's octets), in FRN order.
pub fn record(items: &[(usize, &[u8])]) -> Vec<u8> {
    let frns: Vec<usize> = items.iter().map(|i| i.0).collect();
    let mut r = fspec(&frns);
    for (_, bytes) in items {
        r.extend_from_slice(bytes);
    }
    r
}

/// A data block of category `cat` holding `records`.
pub fn data_block(cat: u8, records: &[Vec<u8>]) -> Vec<u8> {
    let len: usize = 3 + records.iter().map(Vec::len).sum::<usize>();
    let mut b = Vec::with_capacity(len);
    b.push(cat);
    b.extend_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes());
    for r in records {
        b.extend_from_slice(r);
    }
    b
}

/// CAT034 north marker: I034/010, I034/000 = 1, I034/030.
pub fn north_marker(sac: u8, sic: u8, tod: u32) -> Vec<u8> {
    record(&[(1, &[sac, sic]), (2, &[1]), (3, &u24(tod))])
}

/// CAT048 plot: I048/010, I048/140, I048/020 (single PSR detection, simulated), I048/040.
/// `None` beyond 256 NM.
pub fn plot(sac: u8, sic: u8, tod: u32, range_m: f64, azimuth_rad: f64) -> Option<Vec<u8>> {
    let rho = (range_m / M_PER_NM * 256.0).round();
    if !(0.0..65_536.0).contains(&rho) {
        return None;
    }
    let theta =
        (azimuth_rad.to_degrees().rem_euclid(360.0) / 360.0 * 65_536.0).round() as u32 % 65_536;
    let mut pos = [0u8; 4];
    pos[..2].copy_from_slice(&(rho as u16).to_be_bytes());
    pos[2..].copy_from_slice(&(theta as u16).to_be_bytes());
    Some(record(&[
        (1, &[sac, sic]),
        (2, &u24(tod)),
        (3, &[0x30]),
        (4, &pos),
    ]))
}

/// What one CAT062 track record says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackReport {
    /// System area code.
    pub sac: u8,
    /// System identification code.
    pub sic: u8,
    /// Time of track information, 1/128 s since midnight.
    pub tod: u32,
    /// WGS-84 latitude, °.
    pub lat_deg: f64,
    /// WGS-84 longitude, °.
    pub lon_deg: f64,
    /// Height above the ellipsoid, m.
    pub alt_m: f64,
    /// Velocity east, m/s.
    pub v_east: f64,
    /// Velocity north, m/s.
    pub v_north: f64,
    /// Track number.
    pub number: u16,
    /// The track's first report.
    pub first: bool,
    /// Made from one sensor's data (a radar's own tracker's track, or a system track one
    /// sensor holds).
    pub mono: bool,
    /// Its estimated accuracy, east-north-up at the track.
    pub accuracy: Accuracy,
}

/// `x / lsb` rounded and held within `[lo, hi]`.
fn scaled(x: f64, lsb: f64, lo: f64, hi: f64) -> f64 {
    (x / lsb).round().clamp(lo, hi)
}

/// CAT062 track: I062/010, /015, /070, /105, /185, /040, /080, /130, /500.
pub fn system_track(t: &TrackReport) -> Vec<u8> {
    let lsb_deg = 180.0 / f64::from(1u32 << 25);
    let lat = scaled(
        t.lat_deg,
        lsb_deg,
        -f64::from(1u32 << 24),
        f64::from(1u32 << 24),
    ) as i32;
    let lon = scaled(
        t.lon_deg,
        lsb_deg,
        -f64::from(1u32 << 25),
        f64::from((1u32 << 25) - 1),
    ) as i32;
    let mut pos = [0u8; 8];
    pos[..4].copy_from_slice(&lat.to_be_bytes());
    pos[4..].copy_from_slice(&lon.to_be_bytes());
    let vx = scaled(t.v_east, 0.25, -32_768.0, 32_767.0) as i16;
    let vy = scaled(t.v_north, 0.25, -32_768.0, 32_767.0) as i16;
    let mut vel = [0u8; 4];
    vel[..2].copy_from_slice(&vx.to_be_bytes());
    vel[2..].copy_from_slice(&vy.to_be_bytes());
    // Mono- or multisensor, geometric altitude most reliable, from a 3D radar, confirmed; FX.
    // Then simulated, first message when it is.
    let status = [
        0b0010_1001 | (u8::from(t.mono) << 7),
        0b1000_0000 | (u8::from(t.first) << 5),
    ];
    let alt = scaled(t.alt_m / M_PER_FT, 6.25, -240.0, 24_000.0) as i16;
    let accuracy = estimated_accuracies(&t.accuracy, t.lat_deg.to_radians());
    record(&[
        (1, &[t.sac, t.sic]),
        (3, &[1]),
        (4, &u24(t.tod)),
        (5, &pos),
        (7, &vel),
        (12, &t.number.to_be_bytes()),
        (13, &status),
        (18, &alt.to_be_bytes()),
        (27, &accuracy),
    ])
}

/// The subfields of I062/500, estimated accuracies, in order (a compound item: presence bits
/// seven to an octet with FX, then the present subfields): APC, COV, APW, AGA, ABA, ATV, AA,
/// ARC, with their lengths in octets.
const I062_500: [usize; 8] = [4, 2, 4, 1, 1, 2, 2, 1];

/// I062/500 of `a` at latitude `lat_rad`: APC (σ east and north, 0.5 m), COV (the signed
/// square root of the east–north covariance, 0.5 m), APW (σ latitude and longitude,
/// 180/2²⁵ °), AGA (σ height, 6.25 ft) and ATV (σ velocity east and north, 0.25 m/s); each
/// held at its largest value when above it, as the item's notes say.
fn estimated_accuracies(a: &Accuracy, lat_rad: f64) -> Vec<u8> {
    let [se, sn, su] = a.position_sigma_m;
    let u16_of = |x: f64, lsb: f64| (scaled(x, lsb, 0.0, 65_535.0) as u16).to_be_bytes();
    let u8_of = |x: f64, lsb: f64| scaled(x, lsb, 0.0, 255.0) as u8;
    let cov = a.en_covariance_m2;
    let cov = (cov.signum() * cov.abs().sqrt() / 0.5)
        .round()
        .clamp(-32_768.0, 32_767.0) as i16;
    // WGS-84 radii of curvature: meridian M and prime vertical N.
    let (a_m, e2) = (wgs84::A, wgs84::E2);
    let w = (1.0 - e2 * lat_rad.sin().powi(2)).sqrt();
    let (m, n) = (a_m * (1.0 - e2) / w.powi(3), a_m / w);
    let lsb_deg = 180.0 / f64::from(1u32 << 25);
    let lat_sd = (sn / m).to_degrees();
    let lon_sd = (se / (n * lat_rad.cos().max(1e-9))).to_degrees();
    let mut out = vec![0b1111_0100];
    out.extend(u16_of(se, 0.5));
    out.extend(u16_of(sn, 0.5));
    out.extend(cov.to_be_bytes());
    out.extend(u16_of(lat_sd, lsb_deg));
    out.extend(u16_of(lon_sd, lsb_deg));
    out.push(u8_of(su / M_PER_FT, 6.25));
    out.push(u8_of(a.velocity_sigma_mps[0], 0.25));
    out.push(u8_of(a.velocity_sigma_mps[1], 0.25));
    out
}

/// How an item's length is known.
#[derive(Clone, Copy, Debug)]
enum Len {
    /// Fixed, in octets.
    Fixed(usize),
    /// Octets until one whose last bit (FX) is clear.
    Extended,
    /// A compound item: presence bits, seven to an octet with FX, then the present subfields,
    /// whose lengths these are.
    Compound(&'static [usize]),
}

/// The items of each category this module writes, by FRN.
fn item_len(cat: u8, frn: usize) -> Option<Len> {
    use Len::{Compound, Extended, Fixed};
    Some(match (cat, frn) {
        (34, 1) => Fixed(2),
        (34, 2) => Fixed(1),
        (34, 3) => Fixed(3),
        (34, 4) => Fixed(1),
        (34, 5) => Fixed(2),
        (48, 1) => Fixed(2),
        (48, 2) => Fixed(3),
        (48, 3) => Extended,
        (48, 4) => Fixed(4),
        (62, 1) => Fixed(2),
        (62, 3) => Fixed(1),
        (62, 4) => Fixed(3),
        (62, 5) => Fixed(8),
        (62, 6) => Fixed(6),
        (62, 7) => Fixed(4),
        (62, 12) => Fixed(2),
        (62, 13) => Extended,
        (62, 18) => Fixed(2),
        (62, 27) => Compound(&I062_500),
        _ => return None,
    })
}

/// Why bytes are not ASTERIX as this module writes it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes end inside a block, a record or an item.
    #[error("the data end at octet {at}, inside a {inside}")]
    Truncated {
        /// Where.
        at: usize,
        /// What was being read.
        inside: &'static str,
    },
    /// A block's length is under its three header octets or past the data.
    #[error("the data block at octet {at} gives a length of {len}")]
    BadLength {
        /// Where the block starts.
        at: usize,
        /// Its length field.
        len: usize,
    },
    /// A category or an item this module does not read.
    #[error("category {cat} item FRN {frn} at octet {at} is not one this decoder reads")]
    Unknown {
        /// The category.
        cat: u8,
        /// The field reference number.
        frn: usize,
        /// Where the record starts.
        at: usize,
    },
}

/// One decoded record: its items by FRN.
pub type Items = HashMap<usize, Vec<u8>>;

/// The blocks of `bytes`: (category, records). Never panics, whatever the bytes.
///
/// # Errors
/// [`DecodeError`] at the first octet that does not fit.
pub fn decode(bytes: &[u8]) -> Result<Vec<(u8, Vec<Items>)>, DecodeError> {
    let mut blocks = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes.len() - at < 3 {
            return Err(DecodeError::Truncated {
                at: bytes.len(),
                inside: "data block header",
            });
        }
        let cat = bytes[at];
        let len = usize::from(u16::from_be_bytes([bytes[at + 1], bytes[at + 2]]));
        if len < 3 || at + len > bytes.len() {
            return Err(DecodeError::BadLength { at, len });
        }
        let body = &bytes[at + 3..at + len];
        let mut records = Vec::new();
        let mut p = 0;
        while p < body.len() {
            let start = at + 3 + p;
            // FSPEC.
            let mut frns = Vec::new();
            let mut octet = 0;
            loop {
                let b = *body.get(p).ok_or(DecodeError::Truncated {
                    at: at + len,
                    inside: "field specification",
                })?;
                p += 1;
                for bit in 0..7 {
                    if b & (0x80 >> bit) != 0 {
                        frns.push(octet * 7 + bit + 1);
                    }
                }
                octet += 1;
                if b & 1 == 0 {
                    break;
                }
            }
            let mut items = Items::new();
            for frn in frns {
                let n = match item_len(cat, frn) {
                    Some(Len::Fixed(n)) => n,
                    Some(Len::Extended) => extent(body, p, at + len)?.0,
                    Some(Len::Compound(subfields)) => {
                        let (n, present) = extent(body, p, at + len)?;
                        n + present
                            .iter()
                            .map(|&k| subfields.get(k).copied())
                            .sum::<Option<usize>>()
                            .ok_or(DecodeError::Unknown {
                                cat,
                                frn,
                                at: start,
                            })?
                    }
                    None => {
                        return Err(DecodeError::Unknown {
                            cat,
                            frn,
                            at: start,
                        });
                    }
                };
                let item = body.get(p..p + n).ok_or(DecodeError::Truncated {
                    at: at + len,
                    inside: "item",
                })?;
                items.insert(frn, item.to_vec());
                p += n;
            }
            records.push(items);
        }
        blocks.push((cat, records));
        at += len;
    }
    Ok(blocks)
}

/// The octets of an extended field starting at `p` of `body` (up to one whose FX bit is
/// clear), and the bits set in them (0-based, seven to an octet); `end` places a truncation.
fn extent(body: &[u8], p: usize, end: usize) -> Result<(usize, Vec<usize>), DecodeError> {
    let mut n = 0;
    let mut set = Vec::new();
    loop {
        let b = *body.get(p + n).ok_or(DecodeError::Truncated {
            at: end,
            inside: "extended item",
        })?;
        set.extend(
            (0..7)
                .filter(|bit| b & (0x80 >> bit) != 0)
                .map(|bit| n * 7 + bit),
        );
        n += 1;
        if b & 1 == 0 {
            return Ok((n, set));
        }
    }
}

/// The ECEF position of a CAT062 record's I062/105 and I062/130 (for checks).
pub fn track_position(items: &Items) -> Option<Vector3<f64>> {
    let pos = items.get(&5)?;
    let lsb = 180.0 / f64::from(1u32 << 25);
    let lat = f64::from(i32::from_be_bytes(pos[..4].try_into().ok()?)) * lsb;
    let lon = f64::from(i32::from_be_bytes(pos[4..8].try_into().ok()?)) * lsb;
    let alt =
        f64::from(i16::from_be_bytes(items.get(&18)?[..2].try_into().ok()?)) * 6.25 * M_PER_FT;
    Some(*Geodetic::from_degrees(lat, lon, alt).to_ecef().as_vector3())
}
