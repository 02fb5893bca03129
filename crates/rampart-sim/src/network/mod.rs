//! The networked defense: links from the sensors and fire units to a fusion and
//! battle-management node, and the node's composite picture ([`fusion`]).
//!
//! Each link delays a message by a fixed latency plus an exponentially distributed random part,
//! loses it with a probability, and carries nothing during its outages. A sensor's link carries
//! its confirmed tracks after every scan (a lost report is gone: the next scan's replaces it); a
//! fire unit's link carries the node's orders, which are acknowledged and sent again until they
//! arrive, so a loss there costs another latency. A fire unit whose link is out is out of the
//! network: it fights autonomously, on its own radar's tracks, until the link is back.

pub mod fusion;

use rampart_core::random::StreamRng;
use rampart_core::{SimDuration, SimTime};
use rand::RngExt;

/// The most times an order is sent again after a loss before it is given up.
pub const MAX_RESENDS: u32 = 20;

/// A link to the fusion node.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The fixed part of the latency.
    pub latency: SimDuration,
    /// The mean of the random part of the latency (exponentially distributed).
    pub latency_spread: SimDuration,
    /// The probability that a message is lost.
    pub loss: f64,
    /// Intervals `[start, end)` after the epoch during which the link carries nothing.
    pub outages: Vec<(SimDuration, SimDuration)>,
}

impl Default for Link {
    /// A link with [`DEFAULT_LATENCY_S`] and [`DEFAULT_SPREAD_S`], no loss and no outage.
    fn default() -> Self {
        Self {
            latency: SimDuration::from_secs_f64(DEFAULT_LATENCY_S).unwrap_or(SimDuration::ZERO),
            latency_spread: SimDuration::from_secs_f64(DEFAULT_SPREAD_S)
                .unwrap_or(SimDuration::ZERO),
            loss: 0.0,
            outages: Vec::new(),
        }
    }
}

/// The default fixed latency of a link, s: notional, a tactical data link's message time
/// slots and the processing at both ends.
pub const DEFAULT_LATENCY_S: f64 = 0.5;
/// The default mean random latency of a link, s (notional).
pub const DEFAULT_SPREAD_S: f64 = 0.25;
/// The default time after which the node forgets a sensor's local track it has had no report
/// of, s (notional: a few scans of the slowest radar).
pub const DEFAULT_TRACK_TIMEOUT_S: f64 = 10.0;

impl Link {
    /// Whether the link carries messages at `t`.
    pub fn is_up(&self, t: SimTime) -> bool {
        let d = t - SimTime::EPOCH;
        !self.outages.iter().any(|&(a, b)| d >= a && d < b)
    }

    /// One latency draw.
    fn latency_draw(&self, rng: &mut StreamRng) -> SimDuration {
        let spread = self.latency_spread.as_secs_f64();
        let extra = if spread > 0.0 {
            // Exponential by inversion; 1 − u is in (0, 1].
            -spread * (1.0f64 - rng.random::<f64>()).ln()
        } else {
            0.0
        };
        let extra = SimDuration::from_secs_f64(extra).unwrap_or(SimDuration::ZERO);
        SimDuration::from_nanos(self.latency.as_nanos().saturating_add(extra.as_nanos()))
    }

    /// When a report sent at `t` arrives, or why it is lost: the link is out when it is sent
    /// or when it would arrive, or it is lost with probability `loss`.
    pub fn report_arrival(&self, t: SimTime, rng: &mut StreamRng) -> Result<SimTime, Lost> {
        if !self.is_up(t) {
            return Err(Lost::Outage);
        }
        let lost = rng.random::<f64>() < self.loss;
        let at = t.checked_add(self.latency_draw(rng)).ok_or(Lost::Outage)?;
        if lost {
            Err(Lost::Loss)
        } else if !self.is_up(at) {
            Err(Lost::Outage)
        } else {
            Ok(at)
        }
    }

    /// How long an order sent at `t` takes to arrive: a latency per try, a try lost with
    /// probability `loss`, up to [`MAX_RESENDS`] tries again; lost when the link is out when
    /// it is sent or when it would arrive, or when every try is lost.
    pub fn order_delay(&self, t: SimTime, rng: &mut StreamRng) -> Result<SimDuration, Lost> {
        if !self.is_up(t) {
            return Err(Lost::Outage);
        }
        let mut total = SimDuration::ZERO;
        for _ in 0..=MAX_RESENDS {
            let d = self.latency_draw(rng);
            total = SimDuration::from_nanos(total.as_nanos().saturating_add(d.as_nanos()));
            if rng.random::<f64>() >= self.loss {
                let at = t.checked_add(total).ok_or(Lost::Outage)?;
                return if self.is_up(at) {
                    Ok(total)
                } else {
                    Err(Lost::Outage)
                };
            }
        }
        Err(Lost::Loss)
    }
}

/// Why a message did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lost {
    /// A draw against the link's loss probability (for an order: every try).
    Loss,
    /// The link was out when it was sent or when it would have arrived.
    Outage,
}

impl Lost {
    /// The word of a `message_lost` event.
    pub fn word(self) -> &'static str {
        match self {
            Lost::Loss => "loss",
            Lost::Outage => "outage",
        }
    }
}

/// Whether and how a fire unit fights on the network's tracks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FireControl {
    /// Only on threats its own radar holds, guided by its own radar.
    Autonomous,
    /// On the network's track before its own radar sees the threat, provided the planned
    /// intercept lies within its own radar's coverage, so that its radar can take over the
    /// uplink once it holds the threat.
    LaunchOnRemote,
    /// The whole engagement on the network's track, wherever the intercept lies.
    EngageOnRemote,
}

impl FireControl {
    /// The words of the scenario file, in the order of the variants.
    pub const WORDS: [&'static str; 3] = ["autonomous", "launch-on-remote", "engage-on-remote"];

    /// The scenario file's word.
    pub fn word(self) -> &'static str {
        match self {
            FireControl::Autonomous => Self::WORDS[0],
            FireControl::LaunchOnRemote => Self::WORDS[1],
            FireControl::EngageOnRemote => Self::WORDS[2],
        }
    }

    /// The variant of a word of [`FireControl::WORDS`].
    pub fn from_word(w: &str) -> Option<Self> {
        match w {
            "autonomous" => Some(FireControl::Autonomous),
            "launch-on-remote" => Some(FireControl::LaunchOnRemote),
            "engage-on-remote" => Some(FireControl::EngageOnRemote),
            _ => None,
        }
    }
}

/// The scenario's network (`[network]`).
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkParams {
    /// Whether the defense fights as a network; without it, each fire unit fights on its own
    /// radar's tracks and the other sensors serve no one.
    pub enabled: bool,
    /// After this long without a report of a sensor's local track, the node forgets it.
    pub track_timeout: SimDuration,
    /// The link of each sensor: the radars in scenario order, then the early-warning sensors.
    pub sensor_links: Vec<Link>,
    /// The link of each fire unit, in scenario order.
    pub unit_links: Vec<Link>,
}

impl Default for NetworkParams {
    /// No network.
    fn default() -> Self {
        Self {
            enabled: false,
            track_timeout: SimDuration::from_secs_f64(DEFAULT_TRACK_TIMEOUT_S)
                .unwrap_or(SimDuration::ZERO),
            sensor_links: Vec::new(),
            unit_links: Vec::new(),
        }
    }
}
