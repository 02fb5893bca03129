//! Reading a [`TrackerConfig`] into [`TrackerSettings`]: each value through a
//! [`SettingReader`] (units, ranges, words, and errors that point into the file), then the
//! checks that involve several keys.

use super::file::{Setting, TrackerConfig};
use super::settings::{
    DEFAULT_MAX_SPEED_MPS, ImmMotion, MeasurementNoise, Motion, TrackerSettings,
};
use crate::associator::Association;
use crate::initiator::{Initiation, MofNInitiator};
use crate::metrics::GospaMetric;
use rampart_core::units::{Bound, Dimension};
use serde_spanned::Spanned;
use std::f64::consts::FRAC_PI_2;
use std::ops::Range;

/// Reads the values of a file, and reports what is wrong with one at its place in the file:
/// the scenario loader's reader, so that `tracker.toml` and a scenario's `[radar.tracker]`
/// get the same units, checks and messages.
pub trait SettingReader {
    /// What a refused value becomes.
    type Error;
    /// A quantity of dimension `dim` with its unit (`"4 km/s"`), within `bound`, in SI units.
    fn quantity(&self, key: Key<'_>, dim: Dimension, bound: Bound) -> Result<f64, Self::Error>;
    /// A plain number (no unit) within `bound`.
    fn number(&self, key: Key<'_>, bound: Bound) -> Result<f64, Self::Error>;
    /// A whole number in `[min, max]`.
    fn whole(&self, key: Key<'_>, min: u32, max: u32) -> Result<u32, Self::Error>;
    /// One of `words`.
    fn word(&self, key: Key<'_>, words: &[&'static str]) -> Result<&'static str, Self::Error>;
    /// An error at `span` of the file, with an optional help line.
    fn error(&self, span: Range<usize>, message: String, help: Option<String>) -> Self::Error;
}

/// A key that is present: its full name (`initiation.m`) and its value.
#[derive(Clone, Copy, Debug)]
pub struct Key<'a> {
    /// The table and key, `table.key`.
    pub name: &'static str,
    /// The value as written.
    pub value: &'a Setting,
}

impl Key<'_> {
    /// Where the value is in the file.
    pub fn span(&self) -> Range<usize> {
        self.value.span()
    }
}

/// Who runs the tracker, which decides what a file must say and what it may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// `rampart track`: Cartesian position measurements, and no sensor model, so
    /// `measurement.sigma`, `detection.pd` and `detection.clutter_density` are required; a
    /// radar's `measurement.range_sigma` and `angle_sigma` are refused.
    Detections,
    /// A radar in the simulator: range, azimuth and elevation measurements, the detection
    /// probability, clutter and measurement noise implied by the radar; the `imm` motion model
    /// only; `measurement.sigma` is refused.
    Radar,
}

/// A standard deviation of a length or a speed: at least 10⁻⁶ and at most 10⁹ SI units, so
/// that its square is a usable variance.
const STD_DEV: Bound = Bound::closed(1e-6, 1e9);
/// An angle's standard deviation: from 1 µrad to 90°.
const ANGLE_STD_DEV: Bound = Bound::closed(1e-6, FRAC_PI_2);
/// A probability in (0, 1].
const PROBABILITY: Bound = Bound::Between {
    lo: 0.0,
    lo_incl: false,
    hi: 1.0,
    hi_incl: true,
};
/// The largest count of scans or hits.
const MAX_COUNT: u32 = 1_000_000;

/// The key `name` if present.
fn key<'a>(value: &'a Option<Setting>, name: &'static str) -> Option<Key<'a>> {
    value.as_ref().map(|value| Key { name, value })
}

/// The optional table `t` (an empty one if absent) and its span (`None` if absent).
fn table<T: Default + Clone>(t: &Option<Spanned<T>>) -> (T, Option<Range<usize>>) {
    match t {
        Some(s) => (s.get_ref().clone(), Some(s.span())),
        None => (T::default(), None),
    }
}

impl TrackerConfig {
    /// The settings this configuration gives for `host`, every value read by `reader` and
    /// checked; what it leaves out keeps its default ([`TrackerSettings::default`]).
    pub fn resolve<R: SettingReader>(
        &self,
        reader: &R,
        host: Host,
    ) -> Result<TrackerSettings, R::Error> {
        let mut s = TrackerSettings {
            motion: self.read_motion(reader, host)?,
            noise: self.read_noise(reader, host)?,
            ..TrackerSettings::default()
        };
        self.read_detection(reader, host, &mut s)?;
        self.read_association(reader, &mut s)?;
        self.read_initiation(reader, &mut s)?;
        self.read_deletion(reader, &mut s)?;
        self.read_metrics(reader, &mut s)?;
        Ok(s)
    }

    /// `[motion]`.
    fn read_motion<R: SettingReader>(&self, r: &R, host: Host) -> Result<Motion, R::Error> {
        let (m, span) = table(&self.motion);
        let model_key = key(&m.model, "motion.model");
        let model = match model_key {
            Some(k) => r.word(k, &["cv", "ca", "singer", "ct", "imm"])?,
            None => "imm",
        };
        if host == Host::Radar && model != "imm" {
            let at = model_key.map_or(span.clone().unwrap_or(0..0), |k| k.span());
            return Err(r.error(
                at,
                format!("a radar's tracker runs the `imm` motion model only, not `{model}`"),
                Some("cv, ca, singer and ct are for `rampart track`".into()),
            ));
        }
        // Each key, and the models that use it.
        let keys: [(Option<Key<'_>>, &[&str]); 6] = [
            (key(&m.q, "motion.q"), &["cv", "ca", "ct", "imm"]),
            (key(&m.q_ballistic, "motion.q_ballistic"), &["imm"]),
            (
                key(&m.switch_probability, "motion.switch_probability"),
                &["imm"],
            ),
            (key(&m.sigma_a, "motion.sigma_a"), &["singer"]),
            (key(&m.tau, "motion.tau"), &["singer"]),
            (key(&m.q_omega, "motion.q_omega"), &["ct"]),
        ];
        // A key the model needs, else an error at the model.
        let at = model_key.map_or(span.unwrap_or(0..0), |k| k.span());
        let needs = |name: &str, unit: &str| {
            r.error(
                at.clone(),
                format!("motion model `{model}` needs `{name}` ({unit})"),
                None,
            )
        };
        let [q, q_ballistic, switch, sigma_a, tau, q_omega] = keys.map(|(k, _)| k);
        let noise = |k, dim| r.quantity(k, dim, Bound::NonNegative);
        let motion = match model {
            "cv" => Motion::Cv {
                q: noise(
                    q.ok_or_else(|| needs("motion.q", "m^2/s^3"))?,
                    Dimension::AccelerationNoise,
                )?,
            },
            "ca" => Motion::Ca {
                q: noise(
                    q.ok_or_else(|| needs("motion.q", "m^2/s^5"))?,
                    Dimension::JerkNoise,
                )?,
            },
            "singer" => Motion::Singer {
                sigma_a: r.quantity(
                    sigma_a.ok_or_else(|| needs("motion.sigma_a", "an acceleration"))?,
                    Dimension::Acceleration,
                    Bound::NonNegative,
                )?,
                tau: r.quantity(
                    tau.ok_or_else(|| needs("motion.tau", "a time"))?,
                    Dimension::Time,
                    Bound::Positive,
                )?,
            },
            "ct" => Motion::Ct {
                q: noise(
                    q.ok_or_else(|| needs("motion.q", "m^2/s^3"))?,
                    Dimension::AccelerationNoise,
                )?,
                q_omega: noise(
                    q_omega.ok_or_else(|| needs("motion.q_omega", "rad^2/s^3"))?,
                    Dimension::TurnRateNoise,
                )?,
            },
            _ => {
                let d = ImmMotion::default();
                Motion::Imm(ImmMotion {
                    q: q.map_or(Ok(d.q), |k| noise(k, Dimension::AccelerationNoise))?,
                    q_ballistic: q_ballistic.map_or(Ok(d.q_ballistic), |k| {
                        noise(k, Dimension::AccelerationNoise)
                    })?,
                    switch_probability: switch.map_or(Ok(d.switch_probability), |k| {
                        r.number(k, Bound::closed(0.0, 1.0))
                    })?,
                })
            }
        };
        // The keys of other models, once the model's own are read.
        for (k, models) in keys {
            if let Some(k) = k
                && !models.contains(&model)
            {
                return Err(r.error(
                    k.span(),
                    format!("{} is not a key of motion model `{model}`", k.name),
                    Some(format!("it belongs to model {}", models.join(", "))),
                ));
            }
        }
        Ok(motion)
    }

    /// `[measurement]`.
    fn read_noise<R: SettingReader>(
        &self,
        r: &R,
        host: Host,
    ) -> Result<MeasurementNoise, R::Error> {
        let (m, span) = table(&self.measurement);
        let sigma = key(&m.sigma, "measurement.sigma");
        let range = key(&m.range_sigma, "measurement.range_sigma");
        let angle = key(&m.angle_sigma, "measurement.angle_sigma");
        let (refused, help) = match host {
            Host::Detections => (
                range.or(angle),
                "`rampart track` measures Cartesian positions: give `measurement.sigma`",
            ),
            Host::Radar => (
                sigma,
                "a radar measures range and angles: give `measurement.range_sigma` and \
                 `measurement.angle_sigma`",
            ),
        };
        if let Some(k) = refused {
            return Err(r.error(
                k.span(),
                format!("{} does not apply to these measurements", k.name),
                Some(help.into()),
            ));
        }
        if host == Host::Detections && sigma.is_none() {
            return Err(missing(r, span, "measurement.sigma", "a length"));
        }
        Ok(MeasurementNoise {
            sigma_m: sigma
                .map(|k| r.quantity(k, Dimension::Length, STD_DEV))
                .transpose()?,
            range_sigma_m: range
                .map(|k| r.quantity(k, Dimension::Length, STD_DEV))
                .transpose()?,
            angle_sigma_rad: angle
                .map(|k| r.quantity(k, Dimension::Angle, ANGLE_STD_DEV))
                .transpose()?,
        })
    }

    /// `[detection]`.
    fn read_detection<R: SettingReader>(
        &self,
        r: &R,
        host: Host,
        s: &mut TrackerSettings,
    ) -> Result<(), R::Error> {
        let (d, span) = table(&self.detection);
        let pd = key(&d.pd, "detection.pd");
        let clutter = key(&d.clutter_density, "detection.clutter_density");
        if host == Host::Detections {
            if pd.is_none() {
                return Err(missing(r, span, "detection.pd", "a probability"));
            }
            if clutter.is_none() {
                return Err(missing(
                    r,
                    span,
                    "detection.clutter_density",
                    "a number ≥ 0",
                ));
            }
        }
        s.pd = pd.map(|k| r.number(k, PROBABILITY)).transpose()?;
        s.clutter_density = clutter
            .map(|k| r.number(k, Bound::NonNegative))
            .transpose()?;
        Ok(())
    }

    /// `[association]`.
    fn read_association<R: SettingReader>(
        &self,
        r: &R,
        s: &mut TrackerSettings,
    ) -> Result<(), R::Error> {
        let (a, _) = table(&self.association);
        if let Some(k) = key(&a.method, "association.method") {
            s.association = match r.word(k, &["gnn", "jpda"])? {
                "jpda" => Association::Jpda,
                _ => Association::Gnn,
            };
        }
        if let Some(k) = key(&a.gate_probability, "association.gate_probability") {
            // A gate holding every detection is infinite.
            s.gate_probability = r.number(
                k,
                Bound::Between {
                    lo: 0.0,
                    lo_incl: false,
                    hi: 1.0,
                    hi_incl: false,
                },
            )?;
        }
        Ok(())
    }

    /// `[initiation]`.
    fn read_initiation<R: SettingReader>(
        &self,
        r: &R,
        s: &mut TrackerSettings,
    ) -> Result<(), R::Error> {
        let (i, span) = table(&self.initiation);
        let method_key = key(&i.method, "initiation.method");
        let method = match method_key {
            Some(k) => r.word(k, &["one-point", "two-point", "velocity-gated"])?,
            None => "velocity-gated",
        };
        let velocity_sigma = key(&i.velocity_sigma, "initiation.velocity_sigma");
        let max_speed = key(&i.max_speed, "initiation.max_speed");
        let gated = method == "velocity-gated";
        let (refused, help) = if gated {
            (
                velocity_sigma,
                "velocity-gated starts set the velocity by difference of two detections",
            )
        } else {
            (
                max_speed,
                "only velocity-gated starts pair detections up to a speed",
            )
        };
        s.initiation = if gated {
            Initiation::VelocityGated {
                max_speed: max_speed.map_or(Ok(DEFAULT_MAX_SPEED_MPS), |k| {
                    r.quantity(
                        k,
                        Dimension::Speed,
                        Bound::Between {
                            lo: 0.0,
                            lo_incl: false,
                            hi: 299_792_458.0,
                            hi_incl: true,
                        },
                    )
                })?,
            }
        } else {
            let Some(k) = velocity_sigma else {
                let at = method_key.map_or(span.clone().unwrap_or(0..0), |k| k.span());
                return Err(r.error(
                    at,
                    format!(
                        "initiation method `{method}` needs `initiation.velocity_sigma` (a speed)"
                    ),
                    None,
                ));
            };
            let velocity_sigma = r.quantity(k, Dimension::Speed, STD_DEV)?;
            if method == "two-point" {
                Initiation::TwoPoint { velocity_sigma }
            } else {
                Initiation::OnePoint { velocity_sigma }
            }
        };
        // The keys of other methods, once the method's own are read.
        if let Some(k) = refused {
            return Err(r.error(
                k.span(),
                format!("{} does not apply to initiation method `{method}`", k.name),
                Some(help.into()),
            ));
        }
        let d = s.confirmation;
        let m_key = key(&i.m, "initiation.m");
        let n_key = key(&i.n, "initiation.n");
        let m = m_key.map_or(Ok(d.m), |k| r.whole(k, 1, MAX_COUNT))?;
        let n = n_key.map_or(Ok(d.n), |k| r.whole(k, 1, MAX_COUNT))?;
        if m > n {
            let (at, which) = match (m_key, n_key) {
                (Some(k), _) => (k.span(), ""),
                (None, Some(k)) => (k.span(), " (its default)"),
                (None, None) => (span.unwrap_or(0..0), ""),
            };
            return Err(r.error(
                at,
                format!(
                    "initiation.m = {m}{which} is more than initiation.n = {n}: a track cannot \
                     have more hits than scans"
                ),
                Some("need 1 ≤ m ≤ n".into()),
            ));
        }
        s.confirmation = MofNInitiator { m, n };
        Ok(())
    }

    /// `[deletion]`.
    fn read_deletion<R: SettingReader>(
        &self,
        r: &R,
        s: &mut TrackerSettings,
    ) -> Result<(), R::Error> {
        let (d, _) = table(&self.deletion);
        if let Some(k) = key(&d.max_misses, "deletion.max_misses") {
            s.max_misses = r.whole(k, 1, MAX_COUNT)?;
        }
        if let Some(k) = key(&d.max_position_sigma, "deletion.max_position_sigma") {
            s.max_position_sigma_m = r.quantity(k, Dimension::Length, Bound::closed(1e-6, 1e12))?;
        }
        Ok(())
    }

    /// `[metrics]`.
    fn read_metrics<R: SettingReader>(
        &self,
        r: &R,
        s: &mut TrackerSettings,
    ) -> Result<(), R::Error> {
        let (m, span) = table(&self.metrics);
        let d = s.gospa;
        let p =
            key(&m.p, "metrics.p").map_or(Ok(d.p()), |k| r.number(k, Bound::closed(1.0, 100.0)))?;
        let c = key(&m.c, "metrics.c").map_or(Ok(d.cutoff_m()), |k| {
            r.quantity(k, Dimension::Length, Bound::Positive)
        })?;
        let alpha = key(&m.alpha, "metrics.alpha").map_or(Ok(d.alpha()), |k| {
            r.number(
                k,
                Bound::Between {
                    lo: 0.0,
                    lo_incl: false,
                    hi: 2.0,
                    hi_incl: true,
                },
            )
        })?;
        s.gospa = GospaMetric::new(p, c, alpha)
            .map_err(|e| r.error(span.unwrap_or(0..0), format!("[metrics]: {e}"), None))?;
        Ok(())
    }
}

/// "missing required key `detection.pd`", at the table (or the start of the file).
fn missing<R: SettingReader>(
    r: &R,
    table: Option<Range<usize>>,
    name: &str,
    what: &str,
) -> R::Error {
    r.error(
        table.unwrap_or(0..0),
        format!("missing required key `{name}` ({what})"),
        Some("`rampart track` has no sensor model to imply it".into()),
    )
}
