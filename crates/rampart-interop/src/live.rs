//! DIS sent as the run goes: an event sink that encodes each event ([`crate::dis`]), paces the
//! run to the wall clock if asked, sends each PDU in a UDP datagram, and keeps them for a
//! recording.
//!
//! A send never stalls the run: the socket does not block, and a datagram the system will not
//! take now (no buffer, no route, nobody listening where that is reported) is dropped and
//! counted, as UDP loses packets.

use crate::dis::{Datagram, DisEncoder};
use rampart_sim::events::Event;
use rampart_sim::sink::{EventSink, SinkError};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

/// A UDP destination for PDUs.
#[derive(Debug)]
pub struct UdpSender {
    socket: UdpSocket,
    to: SocketAddr,
    /// Datagrams the system took.
    pub sent: u64,
    /// Datagrams it refused (and so lost).
    pub dropped: u64,
}

impl UdpSender {
    /// A sender to `to`, from an ephemeral port on the matching unspecified address (an IPv4
    /// broadcast address is allowed: it is the one the user gave).
    ///
    /// # Errors
    /// When no socket can be opened.
    pub fn new(to: SocketAddr) -> std::io::Result<Self> {
        let from: SocketAddr = if to.is_ipv4() {
            ([0, 0, 0, 0], 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let socket = UdpSocket::bind(from)?;
        socket.set_nonblocking(true)?;
        // A subnet's broadcast address (192.168.1.255) is known only to the network; the user
        // gave the address, so sending to a broadcast one is allowed.
        if to.is_ipv4() {
            socket.set_broadcast(true)?;
        }
        Ok(Self {
            socket,
            to,
            sent: 0,
            dropped: 0,
        })
    }

    /// Sends one datagram, or counts it dropped.
    pub fn send(&mut self, bytes: &[u8]) {
        match self.socket.send_to(bytes, self.to) {
            Ok(n) if n == bytes.len() => self.sent += 1,
            _ => self.dropped += 1,
        }
    }
}

/// Paces a run to the wall clock: simulated time `t` is held until `t / factor` s of wall time
/// have passed since the first event.
#[derive(Debug)]
pub struct Pacer {
    factor: f64,
    start: Option<Instant>,
}

impl Pacer {
    /// A pacer running `factor` simulated seconds per wall-clock second (1: real time).
    pub fn new(factor: f64) -> Self {
        Self {
            factor,
            start: None,
        }
    }

    /// Waits until the wall clock reaches simulated time `t_s`.
    pub fn wait(&mut self, t_s: f64) {
        let start = *self.start.get_or_insert_with(Instant::now);
        let due = Duration::try_from_secs_f64(t_s / self.factor).unwrap_or(Duration::ZERO);
        if let Some(left) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(left);
        }
    }
}

/// The event sink that puts a run on the wire.
#[derive(Debug)]
pub struct DisSink {
    encoder: DisEncoder,
    /// Where the PDUs go, if anywhere.
    pub sender: Option<UdpSender>,
    pacer: Option<Pacer>,
    /// Every PDU, kept when a recording is wanted.
    pub recorded: Option<Vec<Datagram>>,
    /// PDUs encoded.
    pub pdus: u64,
    scratch: Vec<Datagram>,
}

impl DisSink {
    /// A sink encoding with `encoder`, sending with `sender`, pacing with `pacer`, and keeping
    /// every PDU when `record` is set.
    pub fn new(
        encoder: DisEncoder,
        sender: Option<UdpSender>,
        pacer: Option<Pacer>,
        record: bool,
    ) -> Self {
        Self {
            encoder,
            sender,
            pacer,
            recorded: record.then(Vec::new),
            pdus: 0,
            scratch: Vec::new(),
        }
    }
}

impl DisSink {
    /// At the end of the run: sends and keeps what the encoder still held.
    ///
    /// # Errors
    /// [`crate::dis::DisError`] when a PDU cannot be written.
    pub fn finish(&mut self) -> Result<(), crate::dis::DisError> {
        self.scratch.clear();
        self.encoder.finish(&mut self.scratch)?;
        self.deliver();
        Ok(())
    }

    /// Sends and keeps the PDUs in `scratch`, leaving it empty.
    fn deliver(&mut self) {
        self.pdus += self.scratch.len() as u64;
        if let Some(s) = &mut self.sender {
            for d in &self.scratch {
                s.send(&d.bytes);
            }
        }
        match &mut self.recorded {
            Some(r) => r.append(&mut self.scratch),
            None => self.scratch.clear(),
        }
    }
}

impl EventSink for DisSink {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        if let Some(p) = &mut self.pacer {
            p.wait(event.t);
        }
        self.scratch.clear();
        self.encoder
            .encode(&event, &mut self.scratch)
            .map_err(|e| -> SinkError { Box::new(e) })?;
        self.deliver();
        Ok(())
    }
}
