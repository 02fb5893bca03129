//! `[[radar]]`: a radar's site, coverage, timing, resolution, sensitivity, accuracy, clock and
//! tracker, and the work its parameters ask of a run.

use super::diagnostics::fmt_num;
use super::quantities::Bound;
use super::{Ctx, Key, MAX_FALSE_ALARMS_PER_SCAN, MAX_SCANS_PER_RADAR, Result, Table, key, or};
use crate::scenario::error::ScenarioError;
use crate::scenario::model::Scenario;
use crate::scenario::raw::RawRadar;
use crate::sensors::clock::{ClockModel, SystemClock};
use crate::sensors::detection::Swerling;
use crate::sensors::radar::{Radar, RadarParams, Sensitivity, VISUAL_RANGE_RATE_SIGMA_MPS, Visual};
use rampart_core::SimDuration;
use rampart_core::units::Dimension;
use rampart_track::config::{Host, TrackerSettings};
use serde_spanned::Spanned;
use std::f64::consts::{FRAC_PI_2, PI, TAU};

pub(super) mod keys;

impl Ctx<'_> {
    /// The `i`-th (0-based) `[[radar]]`. `sc` holds the duration and the radars before it;
    /// `epoch` is in ns since 1970.
    pub(super) fn radar(
        &self,
        i: usize,
        radar: &Spanned<RawRadar>,
        sc: &Scenario,
        epoch: i128,
    ) -> Result<RadarParams> {
        let t = Table {
            title: format!("[[radar]] #{}", i + 1),
            span: radar.span(),
        };
        let r = radar.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        self.unique_name(
            name,
            "radar",
            "[[radar]]",
            sc.radars.iter().map(|e| e.name.as_str()),
        )?;
        let observer = match &r.kind {
            None => false,
            Some(k) => self.word(k, "kind", &KIND_WORDS)? == "observer",
        };
        self.kind_keys(r, observer)?;
        let default_range_min_m = if observer {
            DEFAULT_OBSERVER_RANGE_MIN_M
        } else {
            DEFAULT_RANGE_MIN_M
        };
        let pos = self.need(&r.position, "position", &t)?;
        let site = self.position(
            pos.get_ref(),
            pos.span(),
            format!("`position` of {}", t.title),
        )?;
        let antenna_height_m = or(key(&r.antenna_height, "antenna_height"), 0.0, |k| {
            self.length(k, Bound::NonNegative)
        })?;

        // Coverage.
        let boresight_rad = or(key(&r.boresight, "boresight"), 0.0, |k| {
            self.angle(k, Bound::Any)
        })?;
        let boresight_rad = match boresight_rad.rem_euclid(TAU) {
            // A tiny negative angle rounds up to 2π.
            b if b >= TAU => 0.0,
            b => b,
        };
        let azimuth_span_rad = or(key(&r.azimuth_span, "azimuth_span"), TAU, |k| {
            self.angle(k, AZIMUTH_SPAN)
        })?;
        let elevation_min_rad = or(key(&r.elevation_min, "elevation_min"), 0.0, |k| {
            self.angle(k, ELEVATION_MIN)
        })?;
        let elevation_max_rad = match key(&r.elevation_max, "elevation_max") {
            Some(k) => self.angle(
                k,
                Bound::Between {
                    lo: elevation_min_rad,
                    lo_incl: false,
                    hi: FRAC_PI_2,
                    hi_incl: true,
                },
            )?,
            None => {
                let default = DEFAULT_ELEVATION_MAX_DEG.to_radians();
                if let Some(k) = key(&r.elevation_min, "elevation_min")
                    && elevation_min_rad >= default
                {
                    return Err(self.beyond_default(
                        k,
                        "less than",
                        "elevation_max",
                        &format!("{} deg", fmt_num(DEFAULT_ELEVATION_MAX_DEG)),
                    ));
                }
                default
            }
        };
        let range_max_m = self.length(
            self.need_key(&r.range_max, "range_max", &t)?,
            Bound::Positive,
        )?;
        let range_min_m = match key(&r.range_min, "range_min") {
            Some(k) => self.length(
                k,
                Bound::Between {
                    lo: 0.0,
                    lo_incl: true,
                    hi: range_max_m,
                    hi_incl: false,
                },
            )?,
            None => {
                if let Some(k) = key(&r.range_max, "range_max")
                    && range_max_m <= default_range_min_m
                {
                    return Err(self.beyond_default(
                        k,
                        "greater than",
                        "range_min",
                        &format!("{} m", fmt_num(default_range_min_m)),
                    ));
                }
                default_range_min_m
            }
        };

        // Timing.
        let revisit = self.duration(self.need_key(&r.revisit, "revisit", &t)?, Bound::Positive)?;
        let track_revisit = or(key(&r.track_revisit, "track_revisit"), revisit, |k| {
            self.duration(k, Bound::Positive)
        })?;
        let first_scan = or(key(&r.first_scan, "first_scan"), SimDuration::ZERO, |k| {
            self.launch_time(k, epoch)
        })?;
        if first_scan >= sc.duration {
            let secs = |d: SimDuration| fmt_num(d.as_nanos() as f64 / 1e9);
            return Err(self
                .error(
                    r.first_scan.as_ref().map_or(t.span.clone(), Spanned::span),
                    format!(
                        "this radar's first scan is at {} s after the epoch, not before the end of the scenario at {} s",
                        secs(first_scan),
                        secs(sc.duration)
                    ),
                )
                .with_label("too late")
                .with_help("scan earlier, or lengthen `duration` in [scenario]"));
        }

        let sense = if observer {
            self.observer_sense(r, range_min_m, range_max_m, azimuth_span_rad)?
        } else {
            self.radar_sense(r, &t)?
        };
        // Its tracker: the same keys as `rampart track`'s tracker.toml.
        let tracker = match &r.tracker {
            Some(t) => t.get_ref().resolve(self, Host::Radar)?,
            None => TrackerSettings::default(),
        };

        let params = RadarParams {
            name: name.get_ref().clone(),
            site,
            antenna_height_m,
            boresight_rad,
            azimuth_span_rad,
            elevation_min_rad,
            elevation_max_rad,
            range_min_m,
            range_max_m,
            revisit,
            track_revisit,
            first_scan,
            range_resolution_m: sense.range_resolution_m,
            beamwidth_rad: sense.beamwidth_rad,
            range_rate_resolution_mps: sense.range_rate_resolution_mps,
            pfa: sense.pfa,
            sensitivity: sense.sensitivity,
            range_noise_floor_m: sense.range_noise_floor_m,
            angle_noise_floor_rad: sense.angle_noise_floor_rad,
            range_rate_noise_floor_mps: sense.range_rate_noise_floor_mps,
            monopulse_slope: sense.monopulse_slope,
            clock: sense.clock,
            range_gate_m: sense.range_gate_m,
            cued_gain_db: sense.cued_gain_db,
            tracker,
            visual: sense.visual,
        };
        self.radar_load(&params, r, &t, sc.duration)?;
        Ok(params)
    }

    /// A radar's resolution, sensitivity, accuracy and clock.
    fn radar_sense(&self, r: &RawRadar, t: &Table) -> Result<Sense> {
        // Resolution.
        let range_resolution_m = self.length(
            self.need_key(&r.range_resolution, "range_resolution", t)?,
            Bound::Positive,
        )?;
        let beamwidth_rad = self.angle(self.need_key(&r.beamwidth, "beamwidth", t)?, BEAMWIDTH)?;
        let range_rate_resolution_mps = or(
            key(&r.range_rate_resolution, "range_rate_resolution"),
            5.0,
            |k| self.measure(k, Dimension::Speed, Bound::Positive),
        )?;

        // Sensitivity.
        let pfa = or(key(&r.pfa, "pfa"), 1e-6, |k| self.number(k, PFA))?;
        let range_m = self.length(
            self.need_key(&r.reference_range, "reference_range", t)?,
            Bound::Positive,
        )?;
        let rcs_m2 = or(key(&r.reference_rcs, "reference_rcs"), 1.0, |k| self.rcs(k))?;
        let pd = or(key(&r.reference_pd, "reference_pd"), 0.5, |k| {
            self.number(
                k,
                Bound::Between {
                    lo: pfa,
                    lo_incl: false,
                    hi: 1.0,
                    hi_incl: false,
                },
            )
        })?;
        let swerling = or(
            key(&r.reference_swerling, "reference_swerling"),
            Swerling::One,
            |k| self.swerling(k),
        )?;

        // Measurement accuracy.
        let range_noise_floor_m = or(key(&r.range_noise_floor, "range_noise_floor"), 1.0, |k| {
            self.length(k, Bound::NonNegative)
        })?;
        let angle_noise_floor_rad =
            or(key(&r.angle_noise_floor, "angle_noise_floor"), 1e-4, |k| {
                self.angle(k, Bound::NonNegative)
            })?;
        let range_rate_noise_floor_mps = or(
            key(&r.range_rate_noise_floor, "range_rate_noise_floor"),
            0.5,
            |k| self.measure(k, Dimension::Speed, Bound::NonNegative),
        )?;
        let monopulse_slope = or(key(&r.monopulse_slope, "monopulse_slope"), 1.6, |k| {
            self.number(k, Bound::Positive)
        })?;
        let clock = SystemClock {
            model: match &r.clock {
                None => ClockModel::Exact,
                Some(c) => match self.word(c, "clock", &CLOCK_WORDS)? {
                    "legacy-24bit" => ClockModel::Legacy24Bit,
                    _ => ClockModel::Exact,
                },
            },
            uptime: or(key(&r.uptime, "uptime"), SimDuration::ZERO, |k| {
                self.duration(k, Bound::NonNegative)
            })?,
        };
        let cued_gain_db = or(key(&r.cued_gain, "cued_gain"), 0.0, |k| {
            self.number(k, Bound::closed(0.0, 30.0))
        })?;
        let range_gate_m = or(
            key(&r.range_gate, "range_gate"),
            DEFAULT_RANGE_GATE_M,
            |k| self.length(k, Bound::Positive),
        )?;
        Ok(Sense {
            range_resolution_m,
            beamwidth_rad,
            range_rate_resolution_mps,
            pfa,
            sensitivity: Sensitivity {
                range_m,
                rcs_m2,
                pd,
                swerling,
            },
            range_noise_floor_m,
            angle_noise_floor_rad,
            range_rate_noise_floor_mps,
            monopulse_slope,
            clock,
            range_gate_m,
            cued_gain_db,
            visual: None,
        })
    }

    /// An observer's detection law and accuracy; the radar's own parameters as an observer
    /// has them: one resolution cell over the searched volume, no false alarms, no clock.
    fn observer_sense(
        &self,
        r: &RawRadar,
        range_min_m: f64,
        range_max_m: f64,
        azimuth_span_rad: f64,
    ) -> Result<Sense> {
        let detection_range_m = match key(&r.detection_range, "detection_range") {
            Some(k) => self.length(k, Bound::Positive)?,
            None => {
                return Err(self
                    .error(
                        r.kind.as_ref().map_or(0..0, Spanned::span),
                        "an observer needs `detection_range`, the range at which one look detects a target with probability 1/2",
                    )
                    .with_label("an observer")
                    .with_help("add e.g. `detection_range = \"4 km\"` to this [[radar]]"));
            }
        };
        let angle_noise_floor_rad = or(
            key(&r.bearing_error, "bearing_error"),
            DEFAULT_BEARING_ERROR_DEG.to_radians(),
            |k| self.angle(k, Bound::Positive),
        )?;
        let range_noise_floor_m = or(
            key(&r.range_error, "range_error"),
            DEFAULT_OBSERVER_RANGE_ERROR_M,
            |k| self.length(k, Bound::Positive),
        )?;
        Ok(Sense {
            range_resolution_m: (range_max_m - range_min_m).max(1.0),
            beamwidth_rad: azimuth_span_rad.min(FRAC_PI_2),
            range_rate_resolution_mps: VISUAL_RANGE_RATE_SIGMA_MPS,
            pfa: 0.0,
            sensitivity: Sensitivity {
                range_m: detection_range_m,
                rcs_m2: 1.0,
                pd: 0.5,
                swerling: Swerling::Zero,
            },
            range_noise_floor_m,
            angle_noise_floor_rad,
            range_rate_noise_floor_mps: VISUAL_RANGE_RATE_SIGMA_MPS,
            monopulse_slope: 1.6,
            clock: SystemClock {
                model: ClockModel::Exact,
                uptime: SimDuration::ZERO,
            },
            range_gate_m: DEFAULT_RANGE_GATE_M,
            cued_gain_db: 0.0,
            visual: Some(Visual { detection_range_m }),
        })
    }

    /// A key of the other kind of sensor is an error at the key: a radar's resolution,
    /// sensitivity and clock on an observer, an observer's law and errors on a radar.
    fn kind_keys(&self, r: &RawRadar, observer: bool) -> Result<()> {
        let radar_only = [
            (&r.range_resolution, "range_resolution"),
            (&r.beamwidth, "beamwidth"),
            (&r.range_rate_resolution, "range_rate_resolution"),
            (&r.pfa, "pfa"),
            (&r.reference_range, "reference_range"),
            (&r.reference_rcs, "reference_rcs"),
            (&r.reference_pd, "reference_pd"),
            (&r.reference_swerling, "reference_swerling"),
            (&r.range_noise_floor, "range_noise_floor"),
            (&r.angle_noise_floor, "angle_noise_floor"),
            (&r.range_rate_noise_floor, "range_rate_noise_floor"),
            (&r.monopulse_slope, "monopulse_slope"),
            (&r.uptime, "uptime"),
            (&r.range_gate, "range_gate"),
            (&r.cued_gain, "cued_gain"),
        ];
        let observer_only = [
            (&r.detection_range, "detection_range"),
            (&r.bearing_error, "bearing_error"),
            (&r.range_error, "range_error"),
        ];
        let (wrong, is, help): (&[_], _, _) = if observer {
            (
                &radar_only,
                "a radar's key; an observer (`kind = \"observer\"`) has none",
                "an observer is described by `detection_range`, `bearing_error` and `range_error`",
            )
        } else {
            (
                &observer_only,
                "an observer's key, and this is a radar",
                "write `kind = \"observer\"` for a visual observer, or describe the radar's sensitivity with `reference_range`",
            )
        };
        let clock = if observer {
            r.clock.as_ref().map(|c| (c.span(), "clock"))
        } else {
            None
        };
        let found = wrong
            .iter()
            .find_map(|(v, name)| v.as_ref().map(|v| (v.span(), *name)))
            .or(clock);
        match found {
            Some((span, name)) => Err(self
                .error(span, format!("`{name}` is {is}"))
                .with_label("not for this kind")
                .with_help(help)),
            None => Ok(()),
        }
    }

    /// The work a radar's parameters ask of a run, within bounds: its expected false alarms
    /// per scan (Pfa × resolution cells) and its number of scans.
    fn radar_load(
        &self,
        params: &RadarParams,
        r: &RawRadar,
        t: &Table,
        duration: SimDuration,
    ) -> Result<()> {
        let false_alarms = Radar::new(params.clone()).mean_false_alarms();
        if false_alarms > MAX_FALSE_ALARMS_PER_SCAN {
            let span = [&r.pfa, &r.range_resolution, &r.range_max]
                .into_iter()
                .find_map(|v| v.as_ref().map(Spanned::span))
                .unwrap_or(t.span.clone());
            return Err(self
                .error(
                    span,
                    format!(
                        "this radar would expect {} false alarms per scan (pfa × resolution cells), more than the {} allowed",
                        fmt_num(false_alarms.round()),
                        fmt_num(MAX_FALSE_ALARMS_PER_SCAN)
                    ),
                )
                .with_label("too many false alarms")
                .with_help(
                    "lower `pfa`, or search a smaller volume (`range_max`, `azimuth_span`, \
                     `elevation_max`) with coarser cells (`range_resolution`, `beamwidth`)",
                ));
        }
        let scans = (duration.as_secs_f64() - params.first_scan.as_secs_f64())
            / params.revisit.as_secs_f64();
        if scans > MAX_SCANS_PER_RADAR {
            return Err(self
                .error(
                    r.revisit.as_ref().map_or(t.span.clone(), Spanned::span),
                    format!(
                        "this radar would scan {} times in the scenario, more than the {} allowed",
                        fmt_num(scans.ceil()),
                        fmt_num(MAX_SCANS_PER_RADAR)
                    ),
                )
                .with_label("revisit too short for this duration")
                .with_help("lengthen `revisit`, or shorten `duration` in [scenario]"));
        }
        Ok(())
    }

    /// A value `k` that conflicts with the default of a key that is absent: "elevation_min must
    /// be less than elevation_max (85 deg, its default), found "86 deg"".
    fn beyond_default(
        &self,
        k: Key<'_>,
        relation: &str,
        other: &str,
        default: &str,
    ) -> ScenarioError {
        self.error(
            k.span(),
            format!(
                "{} must be {relation} {other} ({default}, its default), found {}",
                k.name,
                self.written(k.span())
            ),
        )
        .with_label("out of range")
        .with_help(format!("give `{other}` explicitly, or change `{}`", k.name))
    }
}

/// What a `[[radar]]`'s sensing is made of, by kind: a radar's resolution, sensitivity,
/// accuracy and clock, or an observer's detection law and errors.
struct Sense {
    range_resolution_m: f64,
    beamwidth_rad: f64,
    range_rate_resolution_mps: f64,
    pfa: f64,
    sensitivity: Sensitivity,
    range_noise_floor_m: f64,
    angle_noise_floor_rad: f64,
    range_rate_noise_floor_mps: f64,
    monopulse_slope: f64,
    clock: SystemClock,
    range_gate_m: f64,
    cued_gain_db: f64,
    visual: Option<Visual>,
}

/// The `kind` words of a `[[radar]]`.
const KIND_WORDS: [&str; 2] = ["radar", "observer"];
/// An observer's default `bearing_error` (1σ), deg: a spotter's bearing by binoculars or a
/// sighting compass (notional).
const DEFAULT_BEARING_ERROR_DEG: f64 = 1.0;
/// An observer's default `range_min`, m: it sees what is right beside it, but a range of 0
/// has no direction.
const DEFAULT_OBSERVER_RANGE_MIN_M: f64 = 1.0;
/// An observer's default `range_error` (1σ), m: a range judged by eye (notional).
const DEFAULT_OBSERVER_RANGE_ERROR_M: f64 = 500.0;

/// The `clock` words of a radar.
const CLOCK_WORDS: [&str; 2] = ["exact", "legacy-24bit"];
/// A radar's `azimuth_span`: (0, 360] deg.
const AZIMUTH_SPAN: Bound = Bound::Between {
    lo: 0.0,
    lo_incl: false,
    hi: TAU,
    hi_incl: true,
};
/// A radar's `elevation_min`: [-10, 90) deg.
const ELEVATION_MIN: Bound = Bound::Between {
    lo: -10.0 * (PI / 180.0),
    lo_incl: true,
    hi: FRAC_PI_2,
    hi_incl: false,
};
/// A radar's `beamwidth`: (0, 90] deg.
const BEAMWIDTH: Bound = Bound::Between {
    lo: 0.0,
    lo_incl: false,
    hi: FRAC_PI_2,
    hi_incl: true,
};
/// A radar's `pfa`: (0, 0.1].
const PFA: Bound = Bound::Between {
    lo: 0.0,
    lo_incl: false,
    hi: 0.1,
    hi_incl: true,
};
/// The default `elevation_max` of a radar, deg.
const DEFAULT_ELEVATION_MAX_DEG: f64 = 85.0;
/// The default `range_min` of a radar, m.
const DEFAULT_RANGE_MIN_M: f64 = 1000.0;
/// Default full width of a radar's range gate, m: a target more than 137 m from the gate's
/// centre is outside it, the shift GAO (IMTEC-92-26) reports the legacy clock reached after
/// 20 hours, by which the Patriot could no longer track.
pub const DEFAULT_RANGE_GATE_M: f64 = 274.0;
