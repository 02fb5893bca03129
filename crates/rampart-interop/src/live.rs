//! The run sent as it goes: an event sink that encodes each event (as DIS PDUs,
//! [`crate::dis`], or ASTERIX data blocks, [`crate::asterix`]), paces the run to the wall clock
//! if asked, sends each datagram over UDP, and keeps them for a recording.
//!
//! A send never stalls the run: the socket does not block, and a datagram the system will not
//! take now (no buffer, no route, nobody listening where that is reported) is dropped and
//! counted, as UDP loses packets.

use crate::asterix::AsterixEncoder;
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

/// Turns events into datagrams, one event at a time.
pub trait Encode: std::fmt::Debug {
    /// The datagrams `event` gives, appended to `out`.
    ///
    /// # Errors
    /// Whatever stops the encoding; the run stops with it.
    fn encode(&mut self, event: &Event, out: &mut Vec<Datagram>) -> Result<(), SinkError>;
    /// The datagrams still held at the end of the run, appended to `out`.
    ///
    /// # Errors
    /// As [`Encode::encode`].
    fn finish(&mut self, out: &mut Vec<Datagram>) -> Result<(), SinkError>;
}

impl Encode for DisEncoder {
    fn encode(&mut self, event: &Event, out: &mut Vec<Datagram>) -> Result<(), SinkError> {
        DisEncoder::encode(self, event, out).map_err(|e| -> SinkError { Box::new(e) })
    }
    fn finish(&mut self, out: &mut Vec<Datagram>) -> Result<(), SinkError> {
        DisEncoder::finish(self, out).map_err(|e| -> SinkError { Box::new(e) })
    }
}

impl Encode for AsterixEncoder {
    fn encode(&mut self, event: &Event, out: &mut Vec<Datagram>) -> Result<(), SinkError> {
        AsterixEncoder::encode(self, event, out);
        Ok(())
    }
    fn finish(&mut self, _: &mut Vec<Datagram>) -> Result<(), SinkError> {
        Ok(())
    }
}

/// The event sink that puts a run on the wire.
#[derive(Debug)]
pub struct WireSink<E> {
    /// The encoder.
    pub encoder: E,
    /// Where the PDUs go, if anywhere.
    pub sender: Option<UdpSender>,
    pacer: Option<Pacer>,
    /// Every datagram, kept when a recording is wanted.
    pub recorded: Option<Vec<Datagram>>,
    /// Datagrams encoded.
    pub pdus: u64,
    scratch: Vec<Datagram>,
}

impl<E: Encode> WireSink<E> {
    /// A sink encoding with `encoder`, sending with `sender`, pacing with `pacer`, and keeping
    /// every datagram when `record` is set.
    pub fn new(encoder: E, sender: Option<UdpSender>, pacer: Option<Pacer>, record: bool) -> Self {
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

impl<E: Encode> WireSink<E> {
    /// At the end of the run: sends and keeps what the encoder still held.
    ///
    /// # Errors
    /// Whatever stopped the encoder.
    pub fn finish(&mut self) -> Result<(), SinkError> {
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

impl<E: Encode> EventSink for WireSink<E> {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        if let Some(p) = &mut self.pacer {
            p.wait(event.t);
        }
        self.scratch.clear();
        self.encoder.encode(&event, &mut self.scratch)?;
        self.deliver();
        Ok(())
    }
}
