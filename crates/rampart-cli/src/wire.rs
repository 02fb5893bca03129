//! `rampart run --dis-pcap FILE`: the run as DIS version 7 PDUs, recorded as a pcap capture
//! (see docs/interop.md).

use crate::output::write_atomic;
use anyhow::{Context, Result};
use rampart_core::calendar::parse_utc;
use rampart_interop::dis::{DisConfig, encode_run};
use rampart_interop::pcap::{DIS_PORT, write_capture};
use rampart_sim::events::Event;
use rampart_sim::scenario::Scenario;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::PathBuf;

/// The DIS options of `rampart run`.
#[derive(Debug, Clone, clap::Args)]
pub struct DisArgs {
    /// Record the run as DIS version 7 PDUs (Entity State, Fire, Detonation) in this pcap
    /// file, one UDP datagram to port 3000 each, for Wireshark and other DIS tools.
    #[arg(long, value_name = "FILE")]
    pub dis_pcap: Option<PathBuf>,
    /// DIS exercise identifier (1 to 255).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..))]
    pub dis_exercise: u8,
    /// DIS site identifier.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub dis_site: u16,
    /// DIS application identifier.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub dis_application: u16,
}

/// Writes the capture `args` asks for, if any; the number of PDUs written.
pub fn write_dis(args: &DisArgs, scenario: &Scenario, events: &[Event]) -> Result<Option<usize>> {
    let Some(path) = &args.dis_pcap else {
        return Ok(None);
    };
    let epoch_unix_ns = parse_utc(&scenario.epoch)
        .with_context(|| format!("the scenario's epoch `{}`", scenario.epoch))?;
    let config = DisConfig {
        exercise_id: args.dis_exercise,
        site_id: args.dis_site,
        application_id: args.dis_application,
        epoch_unix_ns,
    };
    let (datagrams, _) = encode_run(events, config).context("encoding the run as DIS")?;
    // Loopback: the recording says where the PDUs would have gone, and they go nowhere else.
    let host = SocketAddrV4::new(Ipv4Addr::LOCALHOST, DIS_PORT);
    let bytes = write_capture(Vec::new(), &datagrams, host, host, epoch_unix_ns)
        .context("writing the DIS capture")?;
    write_atomic(path, &bytes)?;
    Ok(Some(datagrams.len()))
}
