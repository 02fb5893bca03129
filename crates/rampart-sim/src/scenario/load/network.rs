//! `[network]` and `[[network.link]]`: the links of the radars and fire units to the fusion and
//! battle-management node (see [`crate::network`]).

use super::quantities::Bound;
use super::{Ctx, Key, Result, Table, key, or};
use crate::network::{
    DEFAULT_LATENCY_S, DEFAULT_SPREAD_S, DEFAULT_TRACK_TIMEOUT_S, Link, NetworkParams,
};
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::docs_default;
use crate::scenario::model::Scenario;
use crate::scenario::raw::{RawLink, RawNetwork, RawValue};
use serde_spanned::Spanned;

/// The longest latency a link may have, s.
const MAX_LATENCY_S: f64 = 3_600.0;
/// The most outages one link may list.
const MAX_OUTAGES: usize = 1_000;

impl Ctx<'_> {
    /// `[network]`, given the sensors and fire units it links (no table: no network).
    pub(super) fn network(
        &self,
        table: Option<&Spanned<RawNetwork>>,
        sc: &Scenario,
    ) -> Result<NetworkParams> {
        let sensors = sc.radars.len() + sc.early_warning.len();
        let mut params = NetworkParams {
            sensor_links: vec![Link::default(); sensors],
            unit_links: vec![Link::default(); sc.fire_units.len()],
            ..NetworkParams::default()
        };
        let Some(table) = table else {
            return Ok(params);
        };
        let r = table.get_ref();
        params.enabled = r.enabled.as_ref().is_none_or(|b| *b.get_ref());
        params.track_timeout = or(
            key(&r.track_timeout, "track_timeout"),
            params.track_timeout,
            |k| self.duration(k, Bound::closed(0.1, MAX_LATENCY_S)),
        )?;
        let default = self.link(
            Link::default(),
            &r.latency,
            &r.latency_spread,
            &r.loss,
            None,
        )?;
        params.sensor_links = vec![default.clone(); sensors];
        params.unit_links = vec![default.clone(); sc.fire_units.len()];
        let Some(links) = &r.link else {
            return Ok(params);
        };
        let mut seen: Vec<(bool, usize)> = Vec::new();
        for (i, l) in links.get_ref().iter().enumerate() {
            let t = Table {
                title: format!("[[network.link]] #{}", i + 1),
                span: l.span(),
            };
            let raw = l.get_ref();
            let (is_radar, idx, name) = self.link_end(raw, &t, sc)?;
            if seen.contains(&(is_radar, idx)) {
                return Err(self
                    .error(
                        name.span(),
                        format!("a second link for `{}`", name.get_ref()),
                    )
                    .with_label("linked already")
                    .with_help("give each sensor and fire unit at most one [[network.link]]"));
            }
            seen.push((is_radar, idx));
            let link = self.link(
                default.clone(),
                &raw.latency,
                &raw.latency_spread,
                &raw.loss,
                raw.outages.as_ref(),
            )?;
            if is_radar {
                params.sensor_links[idx] = link;
            } else {
                params.unit_links[idx] = link;
            }
        }
        Ok(params)
    }

    /// A link: `base` with the keys given changed.
    fn link(
        &self,
        base: Link,
        latency: &Option<RawValue>,
        spread: &Option<RawValue>,
        loss: &Option<RawValue>,
        outages: Option<&Spanned<Vec<Spanned<Vec<RawValue>>>>>,
    ) -> Result<Link> {
        let within = Bound::closed(0.0, MAX_LATENCY_S);
        let mut link = Link {
            latency: or(key(latency, "latency"), base.latency, |k| {
                self.duration(k, within)
            })?,
            latency_spread: or(key(spread, "latency_spread"), base.latency_spread, |k| {
                self.duration(k, within)
            })?,
            loss: or(key(loss, "loss"), base.loss, |k| {
                self.number(k, Bound::closed(0.0, 1.0))
            })?,
            outages: Vec::new(),
        };
        let Some(list) = outages else {
            return Ok(link);
        };
        if list.get_ref().len() > MAX_OUTAGES {
            return Err(self
                .error(
                    list.span(),
                    format!("more than {MAX_OUTAGES} outages on one link"),
                )
                .with_label("too many"));
        }
        for pair in list.get_ref() {
            let [a, b] = pair.get_ref().as_slice() else {
                return Err(self
                    .error(pair.span(), "an outage is a pair [start, end]")
                    .with_label("not two times")
                    .with_help("for example outages = [[\"2 min\", \"5 min\"]]"));
            };
            let start = self.duration(
                Key {
                    name: "outages",
                    value: a,
                },
                Bound::NonNegative,
            )?;
            let end = self.duration(
                Key {
                    name: "outages",
                    value: b,
                },
                Bound::NonNegative,
            )?;
            if end <= start {
                return Err(self
                    .error(pair.span(), "an outage must end after it starts")
                    .with_label("ends too soon"));
            }
            link.outages.push((start, end));
        }
        Ok(link)
    }

    /// The sensor or fire unit a `[[network.link]]` names: (whether a sensor, its index among
    /// the radars then the early-warning sensors, the name as written).
    fn link_end<'r>(
        &self,
        raw: &'r RawLink,
        t: &Table,
        sc: &Scenario,
    ) -> Result<(bool, usize, &'r Spanned<String>)> {
        let sensors = || {
            sc.radars
                .iter()
                .map(|x| x.name.as_str())
                .chain(sc.early_warning.iter().map(|x| x.name.as_str()))
        };
        match (&raw.sensor, &raw.fire_unit) {
            (Some(n), None) => sensors()
                .position(|x| x == n.get_ref())
                .map(|i| (true, i, n))
                .ok_or_else(|| {
                    self.undefined(n.span(), n.get_ref(), "sensor", sensors())
                        .with_label("no [[radar]] or [[early_warning]] of this name")
                }),
            (None, Some(n)) => sc
                .fire_units
                .iter()
                .position(|x| x.name == *n.get_ref())
                .map(|i| (false, i, n))
                .ok_or_else(|| {
                    self.undefined(
                        n.span(),
                        n.get_ref(),
                        "fire unit",
                        sc.fire_units.iter().map(|x| x.name.as_str()),
                    )
                    .with_label("no [[fire_unit]] of this name")
                }),
            (Some(n), Some(_)) => Err(self
                .error(n.span(), "a link names a sensor or a fire unit, not both")
                .with_label("one end too many")),
            (None, None) => Err(self
                .missing("sensor", t)
                .with_help("a [[network.link]] names its `sensor` or its `fire_unit`")),
        }
    }
}

/// `[network]`: the rows of its key table in docs/scenario-format.md.
pub static NETWORK: &[KeyDoc] = &[
    KeyDoc {
        key: "enabled",
        required: Is("no"),
        kind: Is("boolean"),
        default: Is("`true` (no `[network]` table: no network)"),
        allowed: Is("`true`, `false`"),
        meaning: Is(
            "Whether the defense fights as a network: every radar reports its tracks to the fusion node, which forms system tracks and assigns every fire unit on them (docs/models.md, \"The networked defense\"). `false` keeps the table but fights as if it were absent: each fire unit on its own radar's tracks, the other radars serving no one.",
        ),
        value: None,
    },
    KeyDoc {
        key: "track_timeout",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_TRACK_TIMEOUT_S, 1.0, "s")),
        allowed: Is("[0.1 s, 1 h]"),
        meaning: Is(
            "After this long without a report of a radar's local track the node forgets it; a system track no radar holds is dropped.",
        ),
        value: None,
    },
    KeyDoc {
        key: "latency",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_LATENCY_S, 1.0, "s")),
        allowed: Is("[0, 1 h]"),
        meaning: Is(
            "The fixed part of every link's latency, unless its `[[network.link]]` says otherwise.",
        ),
        value: None,
    },
    KeyDoc {
        key: "latency_spread",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_SPREAD_S, 1.0, "s")),
        allowed: Is("[0, 1 h]"),
        meaning: Is(
            "The mean of the random part of every link's latency (exponentially distributed, drawn per message), so messages arrive out of order.",
        ),
        value: None,
    },
    KeyDoc {
        key: "loss",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0`"),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "Probability that a message is lost. A radar's lost report is gone (its next scan's replaces it); a fire unit's order is sent again until it arrives, each try costing a latency.",
        ),
        value: None,
    },
    KeyDoc {
        key: "link",
        required: Is("no"),
        kind: Is("array of tables"),
        default: Is("none"),
        allowed: Is("see `[[network.link]]`"),
        meaning: Is("Links that differ from the default."),
        value: None,
    },
];

/// `[[network.link]]`: the rows of its key table in docs/scenario-format.md.
pub static NETWORK_LINK: &[KeyDoc] = &[
    KeyDoc {
        key: "sensor",
        required: Is("one of `sensor`, `fire_unit`"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("a `[[radar]]` or `[[early_warning]]` name"),
        meaning: Is("The sensor whose link this is."),
        value: None,
    },
    KeyDoc {
        key: "fire_unit",
        required: Is("one of `sensor`, `fire_unit`"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("a `[[fire_unit]]` name"),
        meaning: Is(
            "The fire unit whose link this is. While it is out the unit is out of the network and fights autonomously on its own radar's tracks.",
        ),
        value: None,
    },
    KeyDoc {
        key: "latency",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`[network] latency`"),
        allowed: Is("[0, 1 h]"),
        meaning: Is("The fixed part of this link's latency."),
        value: None,
    },
    KeyDoc {
        key: "latency_spread",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`[network] latency_spread`"),
        allowed: Is("[0, 1 h]"),
        meaning: Is("The mean of the random part of this link's latency."),
        value: None,
    },
    KeyDoc {
        key: "loss",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`[network] loss`"),
        allowed: Is("[0, 1]"),
        meaning: Is("Probability that a message on this link is lost."),
        value: None,
    },
    KeyDoc {
        key: "outages",
        required: Is("no"),
        kind: Is("array of [start, end] times"),
        default: Is("none"),
        allowed: Made(|| format!("each end after its start; at most {MAX_OUTAGES}")),
        meaning: Is(
            "Intervals after the epoch during which the link carries nothing (`[[\"2 min\", \"5 min\"]]`): a message sent, or due to arrive, within one is lost.",
        ),
        value: None,
    },
];
