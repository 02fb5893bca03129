//! Datagrams recorded as a pcap capture (the libpcap format Wireshark and tshark read): each
//! PDU in its own UDP datagram in an IPv4 packet in an Ethernet frame, stamped with its
//! simulated UTC time to the nanosecond.

use crate::dis::Datagram;
use etherparse::PacketBuilder;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::{Endianness, TsResolution};
use std::borrow::Cow;
use std::io::Write;
use std::net::SocketAddrV4;
use std::time::Duration;

/// The UDP port DIS is registered on (IANA), which Wireshark decodes as DIS by default.
pub const DIS_PORT: u16 = 3000;

/// Why a capture could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PcapError {
    /// The capture writer failed.
    #[error("writing the capture: {0}")]
    Write(#[from] pcap_file::PcapError),
    /// A packet could not be built.
    #[error("building a packet: {0}")]
    Packet(String),
}

/// Writes `datagrams` as UDP packets from `from` to `to` into a capture on `w`; `epoch_unix_ns`
/// dates them.
///
/// # Errors
/// [`PcapError`] when a packet cannot be built or written.
pub fn write_capture<W: Write>(
    w: W,
    datagrams: &[Datagram],
    from: SocketAddrV4,
    to: SocketAddrV4,
    epoch_unix_ns: i128,
) -> Result<W, PcapError> {
    // Nanosecond timestamps (the pcap variant with magic a1b23c4d), so a replay of the
    // capture dates each PDU exactly as the run did.
    let header = PcapHeader {
        ts_resolution: TsResolution::NanoSecond,
        endianness: Endianness::Little,
        ..PcapHeader::default()
    };
    let mut writer = PcapWriter::with_header(w, header)?;
    let mut frame = Vec::new();
    for d in datagrams {
        frame.clear();
        // Locally administered MAC addresses: the frame goes nowhere.
        PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4(from.ip().octets(), to.ip().octets(), 64)
            .udp(from.port(), to.port())
            .write(&mut frame, &d.bytes)
            .map_err(|e| PcapError::Packet(e.to_string()))?;
        let unix_ns = (epoch_unix_ns + i128::from(d.t_ns)).max(0);
        let unix_ns = u64::try_from(unix_ns).unwrap_or(u64::MAX);
        let len = u32::try_from(frame.len()).map_err(|e| PcapError::Packet(e.to_string()))?;
        writer.write_packet(&PcapPacket {
            timestamp: Duration::from_nanos(unix_ns),
            orig_len: len,
            data: Cow::Borrowed(&frame),
        })?;
    }
    Ok(writer.into_writer())
}
