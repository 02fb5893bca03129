//! Rampart on the wire: a run's events as DIS version 7 protocol data units ([`dis`]), and
//! those recorded as a pcap capture ([`pcap`]) that Wireshark and other DIS tools read, or sent
//! over UDP as the run goes ([`live`]).

pub mod dis;
pub mod live;
pub mod pcap;
