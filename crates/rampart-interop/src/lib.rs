//! Rampart on the wire: a run's events as DIS version 7 protocol data units ([`dis`]), recorded
//! as a pcap capture ([`pcap`]) that Wireshark and other DIS tools read or sent over UDP as the
//! run goes ([`live`]); and its radar picture as ASTERIX CAT034, CAT048 and CAT062 data blocks
//! ([`asterix`]).

pub mod asterix;
pub mod dis;
pub mod live;
pub mod pcap;
