//! `rampart run --dis udp://ADDR:PORT`, `--dis-pcap FILE`, `--asterix udp://ADDR:PORT`,
//! `--asterix-file FILE` and `--realtime`: the run as DIS version 7 PDUs and its radar picture
//! as ASTERIX, sent as it goes and recorded; and `--dis-in udp://ADDR:PORT` or
//! `--dis-in-pcap FILE`: another simulation's entities as the run's threats (see
//! docs/interop.md).

use crate::output::write_atomic;
use crate::text::outln;
use anyhow::{Context, Result, anyhow, bail};
use rampart_core::SimTime;
use rampart_core::calendar::parse_utc;
use rampart_interop::asterix::{self, AsterixConfig, AsterixEncoder};
use rampart_interop::dis::{self, DisConfig, DisEncoder};
use rampart_interop::dis_in::{DisInput, Timing, UdpFeed, capture_feed, read_capture};
use rampart_interop::live::{Pacer, UdpSender, WireSink};
use rampart_interop::pcap::{DIS_PORT, write_capture};
use rampart_sim::events::Event;
use rampart_sim::feed::{FeedError, FeedUpdate, RecordedFeed, ThreatFeed};
use rampart_sim::scenario::Scenario;
use rampart_sim::sink::{EventSink, SinkError};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;

/// The wire options of `rampart run`.
#[derive(Debug, Clone, clap::Args)]
pub struct WireArgs {
    /// Send the run as DIS version 7 PDUs (Entity State, Fire, Detonation, Electromagnetic
    /// Emission), one UDP datagram each, to this address as the run goes:
    /// `udp://127.0.0.1:3000`. A broadcast or multicast address is used only when given here.
    #[arg(long, value_name = "udp://ADDR:PORT")]
    pub dis: Option<String>,
    /// Record the same PDUs in this pcap file, one UDP datagram to port 3000 each, for
    /// Wireshark and other DIS tools.
    #[arg(long, value_name = "FILE")]
    pub dis_pcap: Option<PathBuf>,
    /// Pace the run to the wall clock, FACTOR simulated seconds per second (1, real time, when
    /// no factor is given), so that what `--dis` and `--asterix` send unfolds as it would live
    /// and what `--dis-in` receives arrives in time.
    #[arg(long, value_name = "FACTOR", num_args = 0..=1, default_missing_value = "1")]
    pub realtime: Option<f64>,
    /// DIS exercise identifier (1 to 255) [default: the scenario's `[dis] exercise`, or 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..))]
    pub dis_exercise: Option<u8>,
    /// DIS site identifier (1 to 65534) [default: the scenario's `[dis] site`, or 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=65_534))]
    pub dis_site: Option<u16>,
    /// DIS application identifier (1 to 65534) [default: the scenario's `[dis] application`,
    /// or 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=65_534))]
    pub dis_application: Option<u16>,
    /// Send the radars' picture as ASTERIX, one data block per UDP datagram, to this address as
    /// the run goes: `udp://127.0.0.1:8600`.
    #[arg(long, value_name = "udp://ADDR:PORT")]
    pub asterix: Option<String>,
    /// Record the radars' picture as ASTERIX in this file, the data blocks one after another:
    /// CAT034 north markers at each scan, CAT048 plots of every detection, CAT062 tracks of
    /// every radar's tracker after each scan.
    #[arg(long, value_name = "FILE")]
    pub asterix_file: Option<PathBuf>,
    /// ASTERIX system area code of every radar (their identification codes are 1, 2, … in
    /// scenario order, visual observers left out).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub asterix_sac: u8,
    /// Take threats from another simulation: listen for DIS Entity State PDUs on this address
    /// (`udp://127.0.0.1:3000`; a multicast group is joined) and fly each entity of a type the
    /// scenario's `[dis_in]` table maps as a threat. Needs --realtime.
    #[arg(long, value_name = "udp://ADDR:PORT", conflicts_with = "dis_in_pcap")]
    pub dis_in: Option<String>,
    /// Take threats from a recording: the DIS PDUs of this pcap or pcapng capture, each at its
    /// packet's time (from the scenario's epoch when the capture falls within the run, else
    /// from its first packet), as `--dis-in` would have received them.
    #[arg(long, value_name = "FILE")]
    pub dis_in_pcap: Option<PathBuf>,
    /// Write the run as a CZML document for a Cesium viewer's 3-D globe: assets, radars with
    /// their coverage, launchers, every threat and interceptor along its path, intercepts and
    /// impacts (docs/display.md).
    #[arg(long, value_name = "FILE")]
    pub czml: Option<PathBuf>,
}

impl WireArgs {
    /// Whether the run must record its detections and track updates (ASTERIX reports them).
    pub fn wants_sensing(&self) -> bool {
        self.asterix.is_some() || self.asterix_file.is_some()
    }
}

/// The run's wire outputs, each present when asked for.
#[derive(Debug)]
pub struct Wire {
    dis: Option<WireSink<DisEncoder>>,
    asterix: Option<WireSink<AsterixEncoder>>,
    /// The scenario's epoch, ns since 1970 (the recordings' times).
    epoch_unix_ns: i128,
}

impl EventSink for Wire {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        match (&mut self.dis, &mut self.asterix) {
            (Some(d), Some(a)) => {
                d.event(event.clone())?;
                a.event(event)
            }
            (Some(d), None) => d.event(event),
            (None, Some(a)) => a.event(event),
            (None, None) => Ok(()),
        }
    }
}

/// The destination `udp://ADDR:PORT` of option `--name`.
fn destination(name: &str, text: &str) -> Result<SocketAddr> {
    let shown = rampart_core::units::excerpt(text, 60);
    let Some(rest) = text.strip_prefix("udp://") else {
        bail!(
            "--{name} `{shown}`: give a UDP destination, udp://ADDR:PORT (e.g. udp://127.0.0.1:3000)"
        );
    };
    rest.parse().with_context(|| {
        format!("--{name} `{shown}`: ADDR:PORT is an IP address and a port, e.g. 127.0.0.1:3000")
    })
}

/// A UDP sender to the destination of option `--name`, if given.
fn sender(name: &str, text: Option<&String>) -> Result<Option<UdpSender>> {
    text.map(|t| {
        let to = destination(name, t)?;
        UdpSender::new(to).with_context(|| format!("opening a UDP socket to {to}"))
    })
    .transpose()
}

/// The sinks the options ask for, before the run.
///
/// # Errors
/// A bad destination or factor, or a socket that cannot be opened.
pub fn start(args: &WireArgs, scenario: &Scenario) -> Result<Wire> {
    if let Some(f) = args.realtime {
        if args.dis.is_none() && args.asterix.is_none() && args.dis_in.is_none() {
            bail!(
                "--realtime paces what --dis or --asterix sends and --dis-in receives: give one of them too"
            );
        }
        if !(f.is_finite() && (1e-3..=1e6).contains(&f)) {
            bail!("--realtime {f}: the factor must be from 0.001 to 1000000");
        }
    }
    let epoch_unix_ns = parse_utc(&scenario.epoch)
        .with_context(|| format!("the scenario's epoch `{}`", scenario.epoch))?;
    // One pacer: the first sink waits, the second finds the time already come.
    let mut pacer = args.realtime.map(Pacer::new);
    let dis = if args.dis.is_some() || args.dis_pcap.is_some() {
        let config = DisConfig {
            exercise_id: args.dis_exercise.unwrap_or(scenario.dis.exercise),
            site_id: args.dis_site.unwrap_or(scenario.dis.site),
            application_id: args.dis_application.unwrap_or(scenario.dis.application),
            epoch_unix_ns,
        };
        Some(WireSink::new(
            DisEncoder::new(config)
                .with_emitters(dis::emitters(scenario))
                .with_guns(dis::guns(scenario))
                .with_threat_types(
                    scenario
                        .threat_types
                        .iter()
                        .map(|t| t.name.clone())
                        .collect(),
                ),
            sender("dis", args.dis.as_ref())?,
            pacer.take(),
            args.dis_pcap.is_some(),
        ))
    } else {
        None
    };
    let asterix = if args.wants_sensing() {
        let config = AsterixConfig {
            sac: args.asterix_sac,
            sources: asterix::sources(scenario),
            epoch_unix_ns,
        };
        Some(WireSink::new(
            AsterixEncoder::new(config),
            sender("asterix", args.asterix.as_ref())?,
            pacer.take(),
            args.asterix_file.is_some(),
        ))
    } else {
        None
    };
    Ok(Wire {
        dis,
        asterix,
        epoch_unix_ns,
    })
}

/// After the run: writes the recordings, and says what was sent and lost.
///
/// # Errors
/// When a recording cannot be written.
pub fn finish(args: &WireArgs, wire: Wire) -> Result<()> {
    if let Some(mut sink) = wire.dis {
        sink.finish()
            .map_err(|e| anyhow!("finishing the DIS PDUs: {e}"))?;
        if let (Some(path), Some(datagrams)) = (&args.dis_pcap, &sink.recorded) {
            // Loopback: the recording says where the PDUs would have gone, and they go
            // nowhere else.
            let host = SocketAddrV4::new(Ipv4Addr::LOCALHOST, DIS_PORT);
            let bytes = write_capture(Vec::new(), datagrams, host, host, wire.epoch_unix_ns)
                .context("writing the DIS capture")?;
            write_atomic(path, &bytes)?;
            outln!("wrote {} ({} DIS PDUs)", path.display(), datagrams.len());
        }
        report_sent("DIS", args.dis.as_deref(), sink.sender.as_ref());
    }
    if let Some(sink) = wire.asterix {
        if let (Some(path), Some(blocks)) = (&args.asterix_file, &sink.recorded) {
            let bytes: Vec<u8> = blocks
                .iter()
                .flat_map(|b| b.bytes.iter().copied())
                .collect();
            write_atomic(path, &bytes)?;
            let dropped = sink.encoder.dropped;
            outln!(
                "wrote {} ({} ASTERIX data blocks{})",
                path.display(),
                blocks.len(),
                if dropped > 0 {
                    format!("; {dropped} plots beyond 256 NM not sent")
                } else {
                    String::new()
                }
            );
        }
        report_sent("ASTERIX", args.asterix.as_deref(), sink.sender.as_ref());
    }
    Ok(())
}

/// The line that says how many datagrams went to `to` and how many were lost.
fn report_sent(what: &str, to: Option<&str>, sender: Option<&UdpSender>) {
    if let (Some(s), Some(to)) = (sender, to) {
        outln!(
            "{what} to {to}: {} sent, {} dropped{}",
            s.sent,
            s.dropped,
            if s.dropped > 0 {
                " (the system would not take them: no buffer, no route or no listener)"
            } else {
                ""
            }
        );
    }
}

/// Where the run's threats from another simulation come from.
#[derive(Debug)]
pub enum FeedIn {
    /// A recording, replayed at its packets' times.
    Recorded {
        /// The capture.
        path: PathBuf,
        /// The updates it gave.
        feed: RecordedFeed,
        /// What it held.
        input: DisInput,
        /// How its times became the run's.
        timing: Timing,
        /// Packets without a UDP datagram.
        skipped: u64,
    },
    /// A live socket.
    Live(UdpFeed),
}

impl ThreatFeed for FeedIn {
    fn poll(&mut self, t: SimTime, out: &mut Vec<FeedUpdate>) -> Result<(), FeedError> {
        match self {
            FeedIn::Recorded { feed, .. } => feed.poll(t, out),
            FeedIn::Live(f) => f.poll(t, out),
        }
    }
    fn next_poll(&self, t: SimTime) -> Option<SimTime> {
        match self {
            FeedIn::Recorded { feed, .. } => feed.next_poll(t),
            FeedIn::Live(f) => f.next_poll(t),
        }
    }
}

/// The feed `--dis-in` or `--dis-in-pcap` asks for, before the run.
///
/// # Errors
/// A scenario without `[dis_in]`, a bad address, a live feed without `--realtime`, a socket
/// that cannot be bound, or a capture that cannot be read.
pub fn feed(args: &WireArgs, scenario: &Scenario) -> Result<Option<FeedIn>> {
    if args.dis_in.is_none() && args.dis_in_pcap.is_none() {
        return Ok(None);
    }
    let Some(config) = scenario.dis_in.clone() else {
        bail!(
            "--dis-in takes threats as the scenario's [dis_in] table maps them, and `{}` has none (docs/scenario-format.md, \"[dis_in]\")",
            scenario.name
        );
    };
    let input = DisInput::new(config);
    if let Some(text) = &args.dis_in {
        let at = destination("dis-in", text)?;
        let Some(factor) = args.realtime else {
            bail!(
                "--dis-in {text}: a live feed arrives on the wall clock; give --realtime (1 for real time)"
            );
        };
        let f = UdpFeed::bind(at, input, factor)
            .with_context(|| format!("--dis-in: listening on {at}"))?;
        return Ok(Some(FeedIn::Live(f)));
    }
    let Some(path) = args.dis_in_pcap.clone() else {
        return Ok(None);
    };
    let file = std::fs::File::open(&path)
        .with_context(|| format!("--dis-in-pcap: opening {}", path.display()))?;
    let capture = read_capture(std::io::BufReader::new(file))
        .with_context(|| format!("--dis-in-pcap: reading {}", path.display()))?;
    let epoch_unix_ns = parse_utc(&scenario.epoch)
        .with_context(|| format!("the scenario's epoch `{}`", scenario.epoch))?;
    let mut input = input;
    let (feed, timing) = capture_feed(&capture, &mut input, epoch_unix_ns, scenario.duration);
    Ok(Some(FeedIn::Recorded {
        path,
        feed,
        input,
        timing,
        skipped: capture.skipped,
    }))
}

/// After the run: says what the feed brought and what it left.
pub fn report_feed(feed: &FeedIn) {
    let (source, input) = match feed {
        FeedIn::Recorded {
            path,
            input,
            timing,
            skipped,
            ..
        } => {
            let times = match timing {
                Timing::Epoch => "times from the scenario's epoch",
                Timing::FirstPacket => {
                    "times from its first packet (the capture does not fall within the run)"
                }
            };
            let skipped = if *skipped > 0 {
                format!("; {skipped} packets without a UDP datagram skipped")
            } else {
                String::new()
            };
            (format!("{} ({times}{skipped})", path.display()), input)
        }
        FeedIn::Live(f) => (
            f.local_addr()
                .map_or_else(|_| "the socket".into(), |a| format!("udp://{a}")),
            &f.input,
        ),
    };
    let s = &input.stats;
    outln!(
        "DIS in from {source}: {} datagrams, {} PDUs, {} entities taken as threats",
        s.datagrams,
        s.pdus,
        s.threats.len()
    );
    if !s.unmapped_types.is_empty() {
        let types: Vec<&str> = s
            .unmapped_types
            .iter()
            .map(String::as_str)
            .take(8)
            .collect();
        outln!(
            "  entity types [dis_in] does not map, left out: {}{}",
            types.join(", "),
            if s.unmapped_types.len() > 8 {
                ", …"
            } else {
                ""
            }
        );
    }
    if s.other_exercise > 0 {
        outln!("  {} PDUs of other exercises left out", s.other_exercise);
    }
    if s.implausible > 0 {
        outln!(
            "  {} Entity State PDUs of a state no flight can hold left out (docs/interop.md)",
            s.implausible
        );
    }
    if let Some((n, why)) = &s.first_error {
        outln!(
            "  {} datagrams were not DIS and were left out (the first, datagram {n}: {why})",
            s.not_dis
        );
    }
}

/// Writes the run's `events` of `scenario` as the CZML document at `path` (atomically).
///
/// # Errors
/// A time outside the years 0000–9999, or a file that cannot be written.
pub fn write_czml(path: &std::path::Path, scenario: &Scenario, events: &[Event]) -> Result<()> {
    let epoch_unix_ns = parse_utc(&scenario.epoch)
        .with_context(|| format!("the scenario's epoch `{}`", scenario.epoch))?;
    let doc = rampart_interop::czml::document(scenario, events, epoch_unix_ns)
        .context("writing the CZML document")?;
    write_atomic(path, (serde_json::to_string(&doc)? + "\n").as_bytes())?;
    outln!("wrote {}", path.display());
    Ok(())
}
