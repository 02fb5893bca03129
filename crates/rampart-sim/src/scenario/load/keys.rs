//! The key specs of `[scenario]`, `[[asset]]` and the position tables: the rows of their key
//! tables in docs/scenario-format.md (see [`crate::scenario::keys`]).

use super::limits::{ALT_RANGE_M, MAX_DURATION_S};
use super::quantities::{Bound, LATITUDE, LONGITUDE};
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::{docs_number, docs_quantity};

/// Degrees, for [`docs_interval`].
pub(super) const DEG: (f64, &str) = (std::f64::consts::PI / 180.0, "°");
/// Kilometres, for [`docs_interval`].
pub(super) const KM: (f64, &str) = (1e3, "km");

/// A bound as the docs write it, `[−11 km, 100 km]`, with each end in its own unit ((SI per
/// unit, symbol)); zero is written without a unit, except in degrees (`(0°, 90°]`).
pub(super) fn docs_interval(bound: Bound, lo_unit: (f64, &str), hi_unit: (f64, &str)) -> String {
    let Bound::Between {
        lo,
        lo_incl,
        hi,
        hi_incl,
    } = bound
    else {
        return bound.describe(None);
    };
    let end = |x: f64, (per, sym): (f64, &str)| {
        if x == 0.0 && sym != "°" {
            "0".to_string()
        } else {
            docs_quantity(x, per, sym)
        }
    };
    format!(
        "{}{}, {}{}",
        if lo_incl { '[' } else { '(' },
        end(lo, lo_unit),
        end(hi, hi_unit),
        if hi_incl { ']' } else { ')' }
    )
}

/// `[scenario]`.
pub static SCENARIO: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "name",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("not blank"),
        meaning: Is("Short name, shown in the printed table and in `summary.json`."),
        value: None,
    },
    KeyDoc {
        key: "description",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"\"`"),
        allowed: Is("any"),
        meaning: Is("Free text."),
        value: None,
    },
    KeyDoc {
        key: "epoch",
        required: Is("yes"),
        kind: Is("date-time (UTC instant)"),
        default: Is("—"),
        allowed: Is("years 0000–9999 after conversion to UTC"),
        meaning: Is(
            "The scenario's t = 0. Stored and printed in UTC (`2020-01-08T01:30:00+03:00` becomes `2020-01-07T22:30:00Z`).",
        ),
        value: None,
    },
    KeyDoc {
        key: "duration",
        required: Is("yes"),
        kind: Is("time"),
        default: Is("—"),
        allowed: Made(|| {
            format!(
                "> 0, at most {} days",
                docs_number(MAX_DURATION_S / 86_400.0)
            )
        }),
        meaning: Is(
            "The run stops this long after the epoch; threats still flying then are reported `in_flight`.",
        ),
        value: None,
    },
    KeyDoc {
        key: "seed",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`1`"),
        allowed: Is("0 to 2⁶³ − 1"),
        meaning: Is(
            "Root of every random stream (aim errors, failures). `rampart run --seed N` overrides it.",
        ),
        value: None,
    },
];

/// `[[asset]]`.
pub static ASSET: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "name",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("not blank, unique among assets"),
        meaning: Is("Raids aim at the asset by this name."),
        value: None,
    },
    KeyDoc {
        key: "position",
        required: Is("yes"),
        kind: Is("position table"),
        default: Is("—"),
        allowed: Is("see below"),
        meaning: Is("Centre of the asset."),
        value: None,
    },
    KeyDoc {
        key: "radius",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "An impact within this ground (geodesic) distance of the centre hits the asset; if several contain the impact, the nearest centre counts.",
        ),
        value: None,
    },
    KeyDoc {
        key: "value",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`1.0`"),
        allowed: Is("> 0"),
        meaning: Is(
            "Relative worth, for weighing assets against each other: the battle manager weighs each threat by the value of the defended assets it endangers.",
        ),
        value: None,
    },
    KeyDoc {
        key: "alarm_delay",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"0 s\"`"),
        allowed: Is("[0, 2 days]"),
        meaning: Is(
            "The fixed part of the dissemination delay: from the defense's first knowing a threat endangers the asset (a radar's track, a launch cue) to the alarm sounding there.",
        ),
        value: None,
    },
    KeyDoc {
        key: "alarm_delay_spread",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"0 s\"`"),
        allowed: Is("[0, 2 days]"),
        meaning: Is(
            "The random part: each warning adds a uniform draw on [0, this] to `alarm_delay`.",
        ),
        value: None,
    },
    KeyDoc {
        key: "personnel",
        required: Is("no"),
        kind: Is("table"),
        default: Is("none"),
        allowed: Is("see below"),
        meaning: Is(
            "The people at the asset and their shelter, for the expected killed and injured (docs/models.md, \"Warning and passive defense\").",
        ),
        value: None,
    },
    KeyDoc {
        key: "aircraft",
        required: Is("no"),
        kind: Is("table"),
        default: Is("none"),
        allowed: Is("see below"),
        meaning: Is("The aircraft at the asset, for the expected aircraft destroyed."),
        value: None,
    },
];

/// A position table `{ lat, lon, alt }`.
pub static POSITION: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "lat",
        required: Is("yes"),
        kind: Is("decimal degrees (plain number) or angle"),
        default: Is("—"),
        allowed: Made(|| docs_interval(LATITUDE, DEG, DEG)),
        meaning: Is("Geodetic latitude, WGS-84."),
        value: None,
    },
    KeyDoc {
        key: "lon",
        required: Is("yes"),
        kind: Is("decimal degrees (plain number) or angle"),
        default: Is("—"),
        allowed: Made(|| docs_interval(LONGITUDE, DEG, DEG)),
        meaning: Is("Longitude, WGS-84, east positive."),
        value: None,
    },
    KeyDoc {
        key: "alt",
        required: Is("no"),
        kind: Is("length"),
        default: Is("`\"0 m\"`"),
        allowed: Made(|| docs_interval(Bound::closed(ALT_RANGE_M.0, ALT_RANGE_M.1), KM, KM)),
        meaning: Is(
            "Height above the WGS-84 ellipsoid. For a launch site, the launch height; for an aim point, the height at which the threat's flight ends.",
        ),
        value: None,
    },
];
