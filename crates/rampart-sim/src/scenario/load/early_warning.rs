//! `[[early_warning]]`: a space-based early-warning sensor (see
//! [`crate::sensors::early_warning`]).

use super::quantities::Bound;
use super::{Ctx, Result, Table, key, or};
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::docs_default;
use crate::scenario::model::Scenario;
use crate::scenario::raw::RawEarlyWarning;
use crate::sensors::early_warning::EarlyWarningParams;
use rampart_core::SimDuration;
use serde_spanned::Spanned;

/// The Defense Support Program's revisit, s: its satellites spin at 6 revolutions per minute
/// (Federation of American Scientists, "Defense Support Program").
pub const DEFAULT_REVISIT_S: f64 = 10.0;
/// Default height from which a plume is seen, m (notional: above most cloud tops).
pub const DEFAULT_DETECTION_ALTITUDE_M: f64 = 10_000.0;
/// Default probability of detecting a plume in view at one look (notional).
pub const DEFAULT_PD: f64 = 0.95;
/// Default standard deviation of a reported position on each axis, m (notional).
pub const DEFAULT_POSITION_ERROR_M: f64 = 1_000.0;
/// Default processing delay from a look to its report, s (notional).
pub const DEFAULT_DELAY_S: f64 = 20.0;
/// Default standard deviation of the reported launch time, s (notional).
pub const DEFAULT_LAUNCH_TIME_ERROR_S: f64 = 3.0;
/// Default standard deviation of the reported launch point on east and north, m (notional).
pub const DEFAULT_LAUNCH_POINT_ERROR_M: f64 = 2_000.0;
/// Default time a burnt-out missile's track is still reported, s (notional: longer than a
/// short-range ballistic missile's flight).
pub const DEFAULT_CUE_HOLD_S: f64 = 600.0;
/// Default standard deviation of the reported heading, degrees (notional).
pub const DEFAULT_HEADING_ERROR_DEG: f64 = 3.0;

fn secs(s: f64) -> SimDuration {
    SimDuration::from_secs_f64(s).unwrap_or(SimDuration::ZERO)
}

impl Ctx<'_> {
    /// The `i`-th `[[early_warning]]`; `sc` holds the radars and the sensors before it.
    pub(super) fn early_warning(
        &self,
        i: usize,
        raw: &Spanned<RawEarlyWarning>,
        sc: &Scenario,
    ) -> Result<EarlyWarningParams> {
        let t = Table {
            title: format!("[[early_warning]] #{}", i + 1),
            span: raw.span(),
        };
        let r = raw.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        self.unique_name(
            name,
            "sensor",
            "[[radar]] or [[early_warning]]",
            sc.radars
                .iter()
                .map(|x| x.name.as_str())
                .chain(sc.early_warning.iter().map(|x| x.name.as_str())),
        )?;
        let within_hour = Bound::closed(0.0, 3_600.0);
        Ok(EarlyWarningParams {
            name: name.get_ref().clone(),
            first_look: or(key(&r.first_look, "first_look"), SimDuration::ZERO, |k| {
                self.duration(k, Bound::NonNegative)
            })?,
            revisit: or(key(&r.revisit, "revisit"), secs(DEFAULT_REVISIT_S), |k| {
                self.duration(k, Bound::closed(0.1, 3_600.0))
            })?,
            detection_altitude_m: or(
                key(&r.detection_altitude, "detection_altitude"),
                DEFAULT_DETECTION_ALTITUDE_M,
                |k| self.length(k, Bound::closed(0.0, 100_000.0)),
            )?,
            pd: or(key(&r.pd, "pd"), DEFAULT_PD, |k| {
                self.number(k, Bound::closed(0.0, 1.0))
            })?,
            position_error_m: or(
                key(&r.position_error, "position_error"),
                DEFAULT_POSITION_ERROR_M,
                |k| self.length(k, Bound::closed(1.0, 100_000.0)),
            )?,
            delay: or(key(&r.delay, "delay"), secs(DEFAULT_DELAY_S), |k| {
                self.duration(k, within_hour)
            })?,
            launch_time_error_s: or(
                key(&r.launch_time_error, "launch_time_error"),
                secs(DEFAULT_LAUNCH_TIME_ERROR_S),
                |k| self.duration(k, within_hour),
            )?
            .as_secs_f64(),
            launch_point_error_m: or(
                key(&r.launch_point_error, "launch_point_error"),
                DEFAULT_LAUNCH_POINT_ERROR_M,
                |k| self.length(k, Bound::closed(0.0, 100_000.0)),
            )?,
            cue_hold: or(
                key(&r.cue_hold, "cue_hold"),
                secs(DEFAULT_CUE_HOLD_S),
                |k| self.duration(k, within_hour),
            )?,
            heading_error_rad: or(
                key(&r.heading_error, "heading_error"),
                DEFAULT_HEADING_ERROR_DEG.to_radians(),
                |k| self.angle(k, Bound::closed(0.0, std::f64::consts::PI)),
            )?,
        })
    }
}

/// `[[early_warning]]`: the rows of its key table in docs/scenario-format.md.
pub static EARLY_WARNING: &[KeyDoc] = &[
    KeyDoc {
        key: "name",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("unique among the radars and early-warning sensors"),
        meaning: Is(
            "The sensor's name, in events, links (`[[network.link]] sensor`) and system tracks.",
        ),
        value: None,
    },
    KeyDoc {
        key: "first_look",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"0 s\"`"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "Time of its first look after the epoch, before the phase of its sweep, drawn in each replication uniformly in [0, `revisit`).",
        ),
        value: None,
    },
    KeyDoc {
        key: "revisit",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_REVISIT_S, 1.0, "s")),
        allowed: Is("[0.1 s, 1 h]"),
        meaning: Is(
            "Time between looks (a Defense Support Program satellite spins at 6 rpm: 10 s, Federation of American Scientists).",
        ),
        value: None,
    },
    KeyDoc {
        key: "detection_altitude",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| docs_default(DEFAULT_DETECTION_ALTITUDE_M, 1e3, "km")),
        allowed: Is("[0, 100 km]"),
        meaning: Is(
            "A burning motor is seen from this height above the ellipsoid (above the clouds; notional).",
        ),
        value: None,
    },
    KeyDoc {
        key: "pd",
        required: Is("no"),
        kind: Is("plain number"),
        default: Made(|| format!("`{DEFAULT_PD}`")),
        allowed: Is("[0, 1]"),
        meaning: Is("Probability of detecting a plume in view at one look (notional)."),
        value: None,
    },
    KeyDoc {
        key: "position_error",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| docs_default(DEFAULT_POSITION_ERROR_M, 1e3, "km")),
        allowed: Is("[1 m, 100 km]"),
        meaning: Is(
            "Standard deviation of a reported boost-phase position on each axis (notional; a cue, not fire-control quality).",
        ),
        value: None,
    },
    KeyDoc {
        key: "delay",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_DELAY_S, 1.0, "s")),
        allowed: Is("[0, 1 h]"),
        meaning: Is(
            "Processing and relay delay from a look to its report leaving for the node (notional); the sensor's `[[network.link]]` adds its latency.",
        ),
        value: None,
    },
    KeyDoc {
        key: "launch_time_error",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_LAUNCH_TIME_ERROR_S, 1.0, "s")),
        allowed: Is("[0, 1 h]"),
        meaning: Is("Standard deviation of the launch time a launch warning reports (notional)."),
        value: None,
    },
    KeyDoc {
        key: "launch_point_error",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| docs_default(DEFAULT_LAUNCH_POINT_ERROR_M, 1e3, "km")),
        allowed: Is("[0, 100 km]"),
        meaning: Is(
            "Standard deviation of the reported launch point on east and north (notional).",
        ),
        value: None,
    },
    KeyDoc {
        key: "heading_error",
        required: Is("no"),
        kind: Is("angle"),
        default: Made(|| docs_default(DEFAULT_HEADING_ERROR_DEG, 1.0, "deg")),
        allowed: Is("[0, 180°]"),
        meaning: Is("Standard deviation of the reported heading (notional)."),
        value: None,
    },
    KeyDoc {
        key: "cue_hold",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_CUE_HOLD_S, 60.0, "min")),
        allowed: Is("[0, 1 h]"),
        meaning: Is(
            "How long after its last detection the sensor still reports a burnt-out missile's track, as fitted at that detection and now ballistic: a cue the node predicts and radars can be cued to, never engaged on alone; a track of one detection, whose path is unknown, is dropped at burn-out (notional).",
        ),
        value: None,
    },
];
