//! The key spec of `[[radar]]`: the rows of its key table in docs/scenario-format.md and the
//! values the report lists (see [`crate::scenario::keys`]).

use super::super::keys::{DEG, KM, docs_interval};
use super::super::limits::{MAX_FALSE_ALARMS_PER_SCAN, MAX_SCANS_PER_RADAR, physical};
use super::super::quantities::Bound;
use super::{
    AZIMUTH_SPAN, BEAMWIDTH, CLOCK_WORDS, DEFAULT_ELEVATION_MAX_DEG, DEFAULT_RANGE_GATE_M,
    DEFAULT_RANGE_MIN_M, ELEVATION_MIN, PFA,
};
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::{KeyDoc, KeyValue, docs_default, docs_number};
use crate::sensors::detection::Swerling;
use crate::sensors::radar::RadarParams;

/// `[[radar]]`.
pub static RADAR: &[KeyDoc<RadarParams>] = &[
    KeyDoc {
        key: "name",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("not blank, unique among radars"),
        meaning: Is("Names the radar in the outputs."),
        value: Some(|_, r| KeyValue::Text(r.name.clone())),
    },
    KeyDoc {
        key: "kind",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"radar\"`"),
        allowed: Is("`radar`, `observer`"),
        meaning: Is(
            "`observer`: a visual observer, not a radar (docs/models.md, \"Visual observers\"): it watches the same kind of volume (`boresight`, `azimuth_span`, elevations, `range_min` (1 m by default), `range_max`) every `revisit`, detects by `detection_range` and reports with `bearing_error` and `range_error`; the radar's resolution, sensitivity, accuracy and clock keys are not its. A fire unit or gun names it in `radar` like a radar.",
        ),
        value: Some(|_, r| {
            KeyValue::Text(
                if r.visual.is_some() {
                    "observer"
                } else {
                    "radar"
                }
                .into(),
            )
        }),
    },
    KeyDoc {
        key: "position",
        required: Is("yes"),
        kind: Is("position table"),
        default: Is("—"),
        allowed: Is("see positions"),
        meaning: Is(
            "The radar's site on the ground (its `alt`: the ground height above the WGS-84 ellipsoid).",
        ),
        value: Some(|_, r| KeyValue::Position(r.site)),
    },
    KeyDoc {
        key: "antenna_height",
        required: Is("no"),
        kind: Is("length"),
        default: Is("`\"0 m\"`"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "Height of the antenna's phase centre above the site; raises the radar horizon.",
        ),
        value: Some(|_, r| KeyValue::Length(r.antenna_height_m)),
    },
    KeyDoc {
        key: "boresight",
        required: Is("no"),
        kind: Is("angle"),
        default: Is("`\"0 deg\"`"),
        allowed: Is("any; brought into [0°, 360°)"),
        meaning: Is(
            "Azimuth of the centre of the search sector, clockwise from true north (`\"-30 deg\"` is 330°).",
        ),
        value: Some(|_, r| KeyValue::Angle(r.boresight_rad)),
    },
    KeyDoc {
        key: "azimuth_span",
        required: Is("no"),
        kind: Is("angle"),
        default: Is("`\"360 deg\"`"),
        allowed: Made(|| docs_interval(AZIMUTH_SPAN, DEG, DEG)),
        meaning: Is(
            "Full width of the search sector in azimuth, centred on `boresight`; `\"360 deg\"` searches all round.",
        ),
        value: Some(|_, r| KeyValue::Angle(r.azimuth_span_rad)),
    },
    KeyDoc {
        key: "elevation_min",
        required: Is("no"),
        kind: Is("angle"),
        default: Is("`\"0 deg\"`"),
        allowed: Made(|| docs_interval(ELEVATION_MIN, DEG, DEG)),
        meaning: Is("Lowest elevation searched, above the local horizontal."),
        value: Some(|_, r| KeyValue::Angle(r.elevation_min_rad)),
    },
    KeyDoc {
        key: "elevation_max",
        required: Is("no"),
        kind: Is("angle"),
        default: Made(|| docs_default(DEFAULT_ELEVATION_MAX_DEG, 1.0, "deg")),
        allowed: Is("(`elevation_min`, 90°]"),
        meaning: Is("Highest elevation searched."),
        value: Some(|_, r| KeyValue::Angle(r.elevation_max_rad)),
    },
    KeyDoc {
        key: "range_min",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| docs_default(DEFAULT_RANGE_MIN_M, KM.0, KM.1)),
        allowed: Is("≥ 0, < `range_max`"),
        meaning: Is(
            "Minimum instrumented range: nothing closer is reported (the transmit pulse blinds the receiver).",
        ),
        value: Some(|_, r| KeyValue::Length(r.range_min_m)),
    },
    KeyDoc {
        key: "range_max",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Made(|| {
            format!(
                "{}; at most {} false alarms expected per scan",
                docs_interval(positive_part(physical_of("range_max")), KM, KM),
                docs_number(MAX_FALSE_ALARMS_PER_SCAN)
            )
        }),
        meaning: Is(
            "Maximum instrumented range: nothing farther is reported, however strong its echo.",
        ),
        value: Some(|_, r| KeyValue::Length(r.range_max_m)),
    },
    KeyDoc {
        key: "revisit",
        required: Is("yes"),
        kind: Is("time"),
        default: Is("—"),
        allowed: Made(|| {
            format!(
                "{}; at most {} scans in the scenario",
                docs_interval(physical_of("revisit"), (1e-3, "ms"), (86_400.0, "d")),
                docs_number(MAX_SCANS_PER_RADAR)
            )
        }),
        meaning: Is(
            "Time between successive search scans of the sector (kept exact to the nanosecond).",
        ),
        value: Some(|_, r| KeyValue::Duration(r.revisit)),
    },
    KeyDoc {
        key: "track_revisit",
        required: Is("no"),
        kind: Is("time"),
        default: Is("same as `revisit`"),
        allowed: Is("> 0"),
        meaning: Is("Time between dwells on a held track, for the stages that schedule them."),
        value: Some(|_, r| KeyValue::Duration(r.track_revisit)),
    },
    KeyDoc {
        key: "first_scan",
        required: Is("no"),
        kind: Is("time, or date-time"),
        default: Is("`\"0 s\"`"),
        allowed: Is(
            "≥ 0 s after the epoch and before the end of the scenario; an instant not before the epoch",
        ),
        meaning: Is("Time of the first scan; later scans follow every `revisit`."),
        value: Some(|_, r| KeyValue::Duration(r.first_scan)),
    },
    KeyDoc {
        key: "range_resolution",
        required: Is("for a radar"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Size of a range cell ΔR. Sets the range error, σ_R = ΔR / √(2·SNR) above the floor, and with `beamwidth` the number of resolution cells in the searched volume.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Length(r.range_resolution_m))),
    },
    KeyDoc {
        key: "beamwidth",
        required: Is("for a radar"),
        kind: Is("angle"),
        default: Is("—"),
        allowed: Made(|| docs_interval(BEAMWIDTH, DEG, DEG)),
        meaning: Is(
            "Half-power (3 dB) beamwidth θ₃, the same in azimuth and elevation: the angular resolution, the scale of the angle error and the angular size of a resolution cell.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Angle(r.beamwidth_rad))),
    },
    KeyDoc {
        key: "range_rate_resolution",
        required: Is("no"),
        kind: Is("speed"),
        default: Is("`\"5 m/s\"`"),
        allowed: Is("> 0"),
        meaning: Is(
            "Size of a Doppler (range-rate) cell ΔṘ; sets the range-rate error, ΔṘ / √(2·SNR) above the floor.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Speed(r.range_rate_resolution_mps))),
    },
    KeyDoc {
        key: "pfa",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`1e-6`"),
        allowed: Made(|| docs_interval(PFA, (1.0, ""), (1.0, ""))),
        meaning: Is(
            "Probability of false alarm per resolution cell per scan: sets the detection threshold, and the mean number of false alarms per scan (`pfa` × cells).",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Number(r.pfa))),
    },
    KeyDoc {
        key: "reference_range",
        required: Is("for a radar"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "The range of the sensitivity statement: where a target of `reference_rcs` is detected with probability `reference_pd`.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Length(r.sensitivity.range_m))),
    },
    KeyDoc {
        key: "reference_rcs",
        required: Is("no"),
        kind: Is("area, or `dBsm`"),
        default: Is("`\"1 m^2\"`"),
        allowed: Is("> 0 m²"),
        meaning: Is("The mean radar cross-section of the sensitivity statement."),
        value: Some(|_, r| radar_only(r, KeyValue::Area(r.sensitivity.rcs_m2))),
    },
    KeyDoc {
        key: "reference_pd",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0.5`"),
        allowed: Is("(`pfa`, 1), both ends excluded"),
        meaning: Is("The single-scan probability of detection of the sensitivity statement."),
        value: Some(|_, r| radar_only(r, KeyValue::Number(r.sensitivity.pd))),
    },
    KeyDoc {
        key: "reference_swerling",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`1`"),
        allowed: Is("`0`, `1`, `3`"),
        meaning: Is(
            "The fluctuation case of the reference target (as `swerling` of a threat type).",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Integer(swerling_case(r.sensitivity.swerling)))),
    },
    KeyDoc {
        key: "range_noise_floor",
        required: Is("no"),
        kind: Is("length"),
        default: Is("`\"1 m\"`"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "Smallest range error (1σ) at any signal-to-noise ratio, from timing, calibration and processing.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Length(r.range_noise_floor_m))),
    },
    KeyDoc {
        key: "angle_noise_floor",
        required: Is("no"),
        kind: Is("angle"),
        default: Is("`\"0.1 mrad\"`"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "Smallest angle error (1σ) in azimuth and elevation at any signal-to-noise ratio.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Angle(r.angle_noise_floor_rad))),
    },
    KeyDoc {
        key: "range_rate_noise_floor",
        required: Is("no"),
        kind: Is("speed"),
        default: Is("`\"0.5 m/s\"`"),
        allowed: Is("≥ 0"),
        meaning: Is("Smallest range-rate error (1σ) at any signal-to-noise ratio."),
        value: Some(|_, r| radar_only(r, KeyValue::Speed(r.range_rate_noise_floor_mps))),
    },
    KeyDoc {
        key: "monopulse_slope",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`1.6`"),
        allowed: Is("> 0"),
        meaning: Is(
            "Monopulse angle-slope factor k in σθ = θ₃ / (k·√(2·SNR)): the larger, the finer the angle measurement at a given signal-to-noise ratio.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Number(r.monopulse_slope))),
    },
    KeyDoc {
        key: "uptime",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"0 s\"`"),
        allowed: Made(|| docs_interval(physical_of("uptime"), (3600.0, "h"), (3600.0, "h"))),
        meaning: Is(
            "How long the radar's system had been running at the scenario epoch. It matters only with `clock = \"legacy-24bit\"`, whose error grows with the time since boot (uptime plus the time since the epoch).",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Duration(r.clock.uptime))),
    },
    KeyDoc {
        key: "clock",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"exact\"`"),
        allowed: Made(|| CLOCK_WORDS.map(|w| format!("`\"{w}\"`")).join(", ")),
        meaning: Is(
            "The clock that places the radar's range gates. `exact`: Rampart's own integer-nanosecond time, no error at any uptime. `legacy-24bit`: the 1991 Patriot clock, a count of tenths of a second converted to seconds with 1/10 chopped in a 24-bit register; it reads 1/10 485 760 s (≈ 9.54 × 10⁻⁸ s) behind per tenth of a second since boot, 0.3433 s after 100 hours (see docs/dhahran.md). `rampart run --clock MODEL` overrides it for every radar and keeps each radar's `uptime`.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Text(r.clock.model.word().into()))),
    },
    KeyDoc {
        key: "range_gate",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| docs_default(DEFAULT_RANGE_GATE_M, 1.0, "m")),
        allowed: Is("> 0"),
        meaning: Is(
            "Full width of the range gate: the window in range, centred on where a track's filter predicts its target for the time the radar's clock reads, in which a scan accepts a detection for that track. A detection within two beamwidths of the track's predicted direction but more than half this width from the gate's centre may not update that track (it may still update another track or start one). The default puts the gate's edge (±137 m) at the shift GAO lists for the legacy clock after 20 hours; it is notional, as no Patriot figure is public.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Length(r.range_gate_m))),
    },
    KeyDoc {
        key: "cued_gain",
        required: Is("no"),
        kind: Is("plain number (dB)"),
        default: Is("`0`"),
        allowed: Is("[0, 30]"),
        meaning: Is(
            "With `[network]` enabled and the radar's link up, the SNR gain, in dB, of the dwell a radar spends on a target the network has cued it to: a target within three standard deviations (at least 1 km) of a system track's predicted position that the radar does not track itself (docs/models.md, \"Cued acquisition\"). A cued radar detects sooner. 0: cues change nothing.",
        ),
        value: Some(|_, r| radar_only(r, KeyValue::Number(r.cued_gain_db))),
    },
    KeyDoc {
        key: "detection_range",
        required: Is("for an observer"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "An observer's R₅₀: the range at which one look (one `revisit`) detects a target with probability ½; at range R a look detects with probability 1 − 2^−(R₅₀/R)³ (Koopman's inverse-cube law).",
        ),
        value: Some(|_, r| match r.visual {
            Some(v) => KeyValue::Length(v.detection_range_m),
            None => KeyValue::Absent,
        }),
    },
    KeyDoc {
        key: "bearing_error",
        required: Is("no"),
        kind: Is("angle"),
        default: Made(|| {
            format!(
                "`\"{} deg\"`",
                docs_number(super::DEFAULT_BEARING_ERROR_DEG)
            )
        }),
        allowed: Is("> 0"),
        meaning: Is("An observer's error (1σ) in the bearing and the elevation it reports."),
        value: Some(|_, r| match r.visual {
            Some(_) => KeyValue::Angle(r.angle_noise_floor_rad),
            None => KeyValue::Absent,
        }),
    },
    KeyDoc {
        key: "range_error",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| {
            format!(
                "`\"{} m\"`",
                docs_number(super::DEFAULT_OBSERVER_RANGE_ERROR_M)
            )
        }),
        allowed: Is("> 0"),
        meaning: Is("An observer's error (1σ) in the range it judges."),
        value: Some(|_, r| match r.visual {
            Some(_) => KeyValue::Length(r.range_noise_floor_m),
            None => KeyValue::Absent,
        }),
    },
    // Read by the tracker's own loader (docs/tracking.md), merged from the tracking branch;
    // the raw struct of this branch does not have it yet (see the field-set test).
    KeyDoc {
        key: "tracker",
        required: Is("no"),
        kind: Is("table"),
        default: Is("the standard radar tracker"),
        allowed: Is("see docs/tracking.md"),
        meaning: Is(
            "The radar's tracker: `[radar.tracker]` after the `[[radar]]` (or its sub-tables, `[radar.tracker.initiation]`, …).",
        ),
        value: None,
    },
];

/// The physical range of `key` (every key asked for here has one).
fn physical_of(key: &str) -> Bound {
    physical(key).unwrap_or(Bound::Any)
}

/// `bound` without its lower end: `(0, hi]` for a key that must also be greater than 0.
fn positive_part(bound: Bound) -> Bound {
    match bound {
        Bound::Between { hi, hi_incl, .. } => Bound::Between {
            lo: 0.0,
            lo_incl: false,
            hi,
            hi_incl,
        },
        b => b,
    }
}

/// `v`, or [`KeyValue::Absent`] for an observer: a radar's resolution, sensitivity, accuracy
/// and clock are not an observer's.
fn radar_only(r: &RadarParams, v: KeyValue) -> KeyValue {
    if r.visual.is_some() {
        KeyValue::Absent
    } else {
        v
    }
}

/// A Swerling case as the file writes it.
fn swerling_case(s: Swerling) -> u64 {
    match s {
        Swerling::Zero => 0,
        Swerling::One => 1,
        Swerling::Three => 3,
    }
}
