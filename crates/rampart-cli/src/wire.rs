//! `rampart run --dis udp://ADDR:PORT`, `--dis-pcap FILE` and `--realtime`: the run as DIS
//! version 7 PDUs, sent as it goes and recorded as a pcap capture (see docs/interop.md).

use crate::output::write_atomic;
use crate::text::outln;
use anyhow::{Context, Result, bail};
use rampart_core::calendar::parse_utc;
use rampart_interop::asterix::{self, AsterixConfig, Source};
use rampart_interop::dis::{DisConfig, DisEncoder, Emitter};
use rampart_interop::live::{DisSink, Pacer, UdpSender};
use rampart_interop::pcap::{DIS_PORT, write_capture};
use rampart_sim::events::Event;
use rampart_sim::scenario::Scenario;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;

/// The DIS options of `rampart run`.
#[derive(Debug, Clone, clap::Args)]
pub struct DisArgs {
    /// Send the run as DIS version 7 PDUs (Entity State, Fire, Detonation), one UDP datagram
    /// each, to this address as the run goes: `udp://127.0.0.1:3000`. A broadcast or multicast
    /// address is used only when given here.
    #[arg(long, value_name = "udp://ADDR:PORT")]
    pub dis: Option<String>,
    /// Record the same PDUs in this pcap file, one UDP datagram to port 3000 each, for
    /// Wireshark and other DIS tools.
    #[arg(long, value_name = "FILE")]
    pub dis_pcap: Option<PathBuf>,
    /// Pace the run to the wall clock, FACTOR simulated seconds per second (1, real time, when
    /// no factor is given), so that what `--dis` sends unfolds as it would live.
    #[arg(long, value_name = "FACTOR", num_args = 0..=1, default_missing_value = "1")]
    pub realtime: Option<f64>,
    /// DIS exercise identifier (1 to 255).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..))]
    pub dis_exercise: u8,
    /// DIS site identifier (1 to 65534).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=65_534))]
    pub dis_site: u16,
    /// DIS application identifier (1 to 65534).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=65_534))]
    pub dis_application: u16,
    /// Record the radars' picture as ASTERIX in this file, the data blocks one after another:
    /// CAT034 north markers at each scan, CAT048 plots of every detection, CAT062 tracks of
    /// every radar's tracker after each scan.
    #[arg(long, value_name = "FILE")]
    pub asterix_file: Option<PathBuf>,
    /// ASTERIX system area code of every radar (their identification codes are 1, 2, … in
    /// scenario order, visual observers left out).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub asterix_sac: u8,
}

impl DisArgs {
    /// Whether the run must record its detections and track updates (ASTERIX reports them).
    pub fn wants_sensing(&self) -> bool {
        self.asterix_file.is_some()
    }
}

/// Writes the ASTERIX recording the options ask for, from the run's events.
///
/// # Errors
/// When the file cannot be written.
pub fn write_asterix(args: &DisArgs, scenario: &Scenario, events: &[Event]) -> Result<()> {
    let Some(path) = &args.asterix_file else {
        return Ok(());
    };
    // Visual observers report no plots a radar would.
    let sources = scenario
        .radars
        .iter()
        .filter(|r| r.visual.is_none())
        .map(|r| Source {
            name: r.name.clone(),
            antenna: rampart_core::Geodetic {
                alt_m: r.site.alt_m + r.antenna_height_m,
                ..r.site
            },
        })
        .collect();
    let config = AsterixConfig {
        sac: args.asterix_sac,
        sources,
        epoch_unix_ns: epoch(scenario)?,
    };
    let (blocks, dropped) = asterix::encode_run(events, config);
    let bytes: Vec<u8> = blocks
        .iter()
        .flat_map(|b| b.bytes.iter().copied())
        .collect();
    write_atomic(path, &bytes)?;
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
    Ok(())
}

/// The destination of `--dis`: `udp://ADDR:PORT`.
fn destination(text: &str) -> Result<SocketAddr> {
    let Some(rest) = text.strip_prefix("udp://") else {
        bail!(
            "--dis `{}`: give a UDP destination, udp://ADDR:PORT (e.g. udp://127.0.0.1:3000)",
            rampart_core::units::excerpt(text, 60)
        );
    };
    rest.parse().with_context(|| {
        format!(
            "--dis `{}`: ADDR:PORT is an IP address and a port, e.g. 127.0.0.1:3000",
            rampart_core::units::excerpt(text, 60)
        )
    })
}

/// The sink the options ask for, before the run: `None` when they ask for no DIS.
///
/// # Errors
/// A bad destination or factor, or a socket that cannot be opened.
pub fn start(args: &DisArgs, scenario: &Scenario) -> Result<Option<DisSink>> {
    if let Some(f) = args.realtime {
        if args.dis.is_none() {
            bail!("--realtime paces what --dis sends: give --dis udp://ADDR:PORT too");
        }
        if !(f.is_finite() && (1e-3..=1e6).contains(&f)) {
            bail!("--realtime {f}: the factor must be from 0.001 to 1000000");
        }
    }
    if args.dis.is_none() && args.dis_pcap.is_none() {
        return Ok(None);
    }
    let sender = match &args.dis {
        Some(text) => {
            let to = destination(text)?;
            Some(UdpSender::new(to).with_context(|| format!("opening a UDP socket to {to}"))?)
        }
        None => None,
    };
    let config = DisConfig {
        exercise_id: args.dis_exercise,
        site_id: args.dis_site,
        application_id: args.dis_application,
        epoch_unix_ns: epoch(scenario)?,
    };
    Ok(Some(DisSink::new(
        DisEncoder::new(config).with_emitters(emitters(scenario)),
        sender,
        args.realtime.map(Pacer::new),
        args.dis_pcap.is_some(),
    )))
}

/// The scenario's radars as emitters (a visual observer emits nothing).
pub fn emitters(scenario: &Scenario) -> Vec<Emitter> {
    scenario
        .radars
        .iter()
        .filter(|r| r.visual.is_none())
        .map(|r| {
            let antenna = rampart_core::Geodetic {
                alt_m: r.site.alt_m + r.antenna_height_m,
                ..r.site
            };
            Emitter {
                name: r.name.clone(),
                position: *antenna.to_ecef().as_vector3(),
                boresight_rad: r.boresight_rad,
                azimuth_span_rad: r.azimuth_span_rad,
                elevation_rad: (r.elevation_min_rad, r.elevation_max_rad),
            }
        })
        .collect()
}

fn epoch(scenario: &Scenario) -> Result<i128> {
    parse_utc(&scenario.epoch).with_context(|| format!("the scenario's epoch `{}`", scenario.epoch))
}

/// After the run: writes the recording, and says what was sent and lost.
///
/// # Errors
/// When the capture cannot be written.
pub fn finish(args: &DisArgs, sink: Option<DisSink>, scenario: &Scenario) -> Result<()> {
    let Some(mut sink) = sink else {
        return Ok(());
    };
    sink.finish().context("finishing the DIS PDUs")?;
    if let (Some(path), Some(datagrams)) = (&args.dis_pcap, &sink.recorded) {
        // Loopback: the recording says where the PDUs would have gone, and they go nowhere else.
        let host = SocketAddrV4::new(Ipv4Addr::LOCALHOST, DIS_PORT);
        let bytes = write_capture(Vec::new(), datagrams, host, host, epoch(scenario)?)
            .context("writing the DIS capture")?;
        write_atomic(path, &bytes)?;
        outln!("wrote {} ({} DIS PDUs)", path.display(), datagrams.len());
    }
    if let (Some(s), Some(to)) = (&sink.sender, &args.dis) {
        outln!(
            "DIS to {to}: {} PDUs sent, {} dropped{}",
            s.sent,
            s.dropped,
            if s.dropped > 0 {
                " (the system would not take them: no buffer, no route or no listener)"
            } else {
                ""
            }
        );
    }
    Ok(())
}
