//! Rampart on the wire: a run's events as DIS version 7 protocol data units ([`dis`]), recorded
//! as a pcap capture ([`pcap`]) that Wireshark and other DIS tools read or sent over UDP as the
//! run goes ([`live`]); another simulation's entities taken in as threats ([`dis_in`]); and its
//! radar picture as ASTERIX CAT034, CAT048 and CAT062 data blocks
//! ([`asterix`]); and the run as a CZML document for a Cesium globe ([`czml`]).

use rampart_core::Geodetic;
use rampart_sim::scenario::Scenario;
use rampart_sim::sensors::radar::RadarParams;

pub mod asterix;
pub mod czml;
pub mod dis;
pub mod dis_in;
pub mod euler;
pub mod live;
pub mod pcap;

/// The scenario's radars that are radars (a visual observer neither emits nor reports plots),
/// with their antennas (site plus antenna height).
pub fn radars(scenario: &Scenario) -> impl Iterator<Item = (&RadarParams, Geodetic)> {
    scenario
        .radars
        .iter()
        .filter(|r| r.visual.is_none())
        .map(|r| {
            let antenna = Geodetic {
                alt_m: r.site.alt_m + r.antenna_height_m,
                ..r.site
            };
            (r, antenna)
        })
}
