//! Reading values: the readers of quantities with units (lengths, durations, speeds, radar
//! cross-sections, angles), plain and whole numbers, Swerling cases, UTC instants, positions
//! and launch times, each checked against a [`Bound`] (rampart-core's, shared with the
//! tracker's configuration).

use super::diagnostics::{a_dim, a_type, did_you_mean, example_quantity, fmt_num};
use super::{Ctx, Key, Result, Table, key, limits, or};
use crate::physics::atmosphere;
use crate::scenario::raw::RawPosition;
use crate::sensors::detection::Swerling;
use rampart_core::calendar::{days_from_civil, format_utc};
use rampart_core::units::{Dimension, Quantity, UnitError, parse_quantity, suggest_unit};
use rampart_core::{Geodetic, SimDuration};
use std::f64::consts::{FRAC_PI_2, PI};
use std::ops::Range;
use toml::Value;
use toml::value::{Datetime, Offset};

pub(super) use rampart_core::units::Bound;

impl Ctx<'_> {
    /// Checks that `x` (SI, read from `k`, measuring `dim`) is finite and within `bound`.
    /// Then checks it against the key's physical range ([`limits::PHYSICAL`]).
    fn within(&self, x: f64, bound: Bound, k: Key<'_>, dim: Option<Dimension>) -> Result<f64> {
        let out_of = |bound: Bound, what: &str| {
            self.error(
                k.span(),
                format!(
                    "{} must be {}{what}, found {}",
                    k.name,
                    bound.describe(dim),
                    self.written(k.span())
                ),
            )
            .with_label("out of range")
        };
        if !(x.is_finite() && bound.contains(x)) {
            return Err(out_of(bound, ""));
        }
        match limits::physical(k.name) {
            Some(p) if !p.contains(x) => Err(out_of(p, " (its physical range)").with_help(
                "docs/scenario-format.md lists the physical range of every key under \
                 \"Physical ranges\"",
            )),
            _ => Ok(x),
        }
    }

    /// A quantity of dimension `dim` (a Mach number counts as a speed and is returned as is).
    fn quantity(&self, k: Key<'_>, dim: Dimension) -> Result<Quantity> {
        let example = || format!("e.g. \"{}\"", example_quantity(dim));
        match k.value.get_ref() {
            Value::String(s) => match parse_quantity(s) {
                Ok(q) if q.dimension() == dim => Ok(q),
                Ok(q) => Err(self
                    .error(
                        k.span(),
                        format!(
                            "{}: expected {} ({}), found {}",
                            k.name,
                            a_dim(dim),
                            dim.example_units(),
                            a_dim(q.dimension())
                        ),
                    )
                    .with_label(format!("not {}", a_dim(dim)))),
                Err(UnitError::NoUnit(num)) => Err(self.needs_unit(k, &num, dim)),
                Err(UnitError::UnknownUnit { unit, .. }) => Err(self.unknown_unit(
                    k,
                    &unit,
                    suggest_unit(&unit, Some(dim)).as_deref(),
                    &format!("{} units: {}", dim, dim.example_units()),
                )),
                Err(e) => Err(self
                    .error(k.span(), format!("{}: {e}", k.name))
                    .with_label(format!("expected {}", a_dim(dim)))
                    .with_help(format!("write a number and a unit, {}", example()))),
            },
            Value::Integer(i) => Err(self.needs_unit(k, &i.to_string(), dim)),
            Value::Float(f) => Err(self.needs_unit(k, &f.to_string(), dim)),
            other => Err(self
                .error(
                    k.span(),
                    format!(
                        "{} must be {} such as \"{}\", found {}",
                        k.name,
                        a_dim(dim),
                        example_quantity(dim),
                        a_type(other)
                    ),
                )
                .with_label(format!("expected {}", a_dim(dim)))),
        }
    }

    /// A quantity of dimension `dim` within `bound`, in SI units.
    pub(super) fn measure(&self, k: Key<'_>, dim: Dimension, bound: Bound) -> Result<f64> {
        match self.quantity(k, dim)? {
            Quantity::Si { value, .. } => self.within(value, bound, k, Some(dim)),
            Quantity::Mach(_) => Err(self
                .error(
                    k.span(),
                    format!("{}: a Mach number cannot be used here", k.name),
                )
                .with_help("give a speed in m/s, km/h or kn")),
        }
    }

    /// A length, m.
    pub(super) fn length(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Length, bound)
    }

    /// A mass, kg.
    pub(super) fn mass(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Mass, bound)
    }

    /// A time, s.
    pub(super) fn time(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Time, bound)
    }

    /// An angle, rad.
    pub(super) fn angle(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Angle, bound)
    }

    /// A time as an exact duration. A positive bound holds for the duration rounded to the
    /// nanosecond too: "0.1 ns" is not a usable revisit interval.
    pub(super) fn duration(&self, k: Key<'_>, bound: Bound) -> Result<SimDuration> {
        let s = self.time(k, bound)?;
        let d = SimDuration::from_secs_f64(s).ok_or_else(|| {
            self.error(
                k.span(),
                format!("{} is too long (at most about 292 years)", k.name),
            )
        })?;
        if matches!(bound, Bound::Positive) && d <= SimDuration::ZERO {
            return Err(self
                .error(
                    k.span(),
                    format!(
                        "{} must be at least 1 ns, found {}",
                        k.name,
                        self.written(k.span())
                    ),
                )
                .with_label("rounds to zero"));
        }
        Ok(d)
    }

    /// A speed > 0, m/s; a Mach number is converted with the speed of sound of the standard
    /// atmosphere at `alt_m`.
    pub(super) fn speed(&self, k: Key<'_>, alt_m: f64) -> Result<f64> {
        let mps = match self.quantity(k, Dimension::Speed)? {
            Quantity::Si { value, .. } => value,
            Quantity::Mach(m) => m * atmosphere::air(alt_m).speed_of_sound_mps,
        };
        self.within(mps, Bound::Positive, k, Some(Dimension::Speed))
    }

    /// A radar cross-section > 0, m²: an area (`"0.1 m^2"`) or decibels relative to one square
    /// metre (`"-10 dBsm"`, which is 10^(−10/10) = 0.1 m²). `parse_quantity` knows no `dBsm`,
    /// so it is read here.
    pub(super) fn rcs(&self, k: Key<'_>) -> Result<f64> {
        let area = Dimension::Area;
        match k.value.get_ref() {
            Value::String(s) => {
                if let Some(num) = s.trim().strip_suffix(DBSM) {
                    let num = num.trim();
                    let db = num
                        .parse::<f64>()
                        .ok()
                        .filter(|db| db.is_finite())
                        .ok_or_else(|| {
                            let found = if num.is_empty() {
                                "nothing".to_string()
                            } else {
                                format!("`{num}`")
                            };
                            self.error(
                                k.span(),
                                format!(
                                    "{}: expected a number of decibels before `{DBSM}`, found {found}",
                                    k.name
                                ),
                            )
                            .with_label("not a number")
                            .with_help(format!("write e.g. \"-10 {DBSM}\""))
                        })?;
                    return self.within(dbsm_to_m2(db), Bound::Positive, k, Some(area));
                }
                if let Err(UnitError::UnknownUnit { unit, .. }) = parse_quantity(s) {
                    let area = suggest_unit(&unit, Some(area));
                    let suggestion = did_you_mean(&unit, [DBSM]).or(area.as_deref());
                    return Err(self.unknown_unit(k, &unit, suggestion, AREA_UNITS));
                }
            }
            Value::Integer(i) => {
                return Err(self
                    .needs_unit(k, &i.to_string(), area)
                    .with_help(AREA_UNITS));
            }
            Value::Float(f) => {
                return Err(self
                    .needs_unit(k, &f.to_string(), area)
                    .with_help(AREA_UNITS));
            }
            _ => {}
        }
        self.measure(k, area, Bound::Positive)
    }

    /// A Swerling case: the whole number 0, 1 or 3.
    pub(super) fn swerling(&self, k: Key<'_>) -> Result<Swerling> {
        match k.value.get_ref() {
            Value::Integer(0) => Ok(Swerling::Zero),
            Value::Integer(1) => Ok(Swerling::One),
            Value::Integer(3) => Ok(Swerling::Three),
            Value::Integer(_) => Err(self
                .error(
                    k.span(),
                    format!(
                        "{} must be 0, 1 or 3, found {}",
                        k.name,
                        self.written(k.span())
                    ),
                )
                .with_label("not a Swerling case")
                .with_help(SWERLING_HELP)),
            other => Err(self
                .type_error(k, "the whole number 0, 1 or 3", other)
                .with_help(SWERLING_HELP)),
        }
    }

    /// A latitude or longitude: decimal degrees as a plain number, or an angle with a unit; rad.
    fn degrees(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        match k.value.get_ref() {
            Value::Integer(i) => {
                self.within((*i as f64).to_radians(), bound, k, Some(Dimension::Angle))
            }
            Value::Float(f) => self.within(f.to_radians(), bound, k, Some(Dimension::Angle)),
            _ => self.angle(k, bound),
        }
    }

    /// A plain number (no unit) within `bound`.
    pub(super) fn number(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        let x = match k.value.get_ref() {
            Value::Integer(i) => *i as f64,
            Value::Float(f) => *f,
            Value::String(s) if parse_quantity(s).is_ok() => {
                return Err(self
                    .error(
                        k.span(),
                        format!("{} is a plain number without a unit", k.name),
                    )
                    .with_label("has a unit")
                    .with_help(format!("write e.g. `{} = 0.5`", k.name)));
            }
            other => return Err(self.type_error(k, "a number", other)),
        };
        self.within(x, bound, k, None)
    }

    /// A whole number, at least `min`.
    pub(super) fn integer(&self, k: Key<'_>, min: i64) -> Result<i64> {
        match k.value.get_ref() {
            Value::Integer(i) if *i >= min => Ok(*i),
            Value::Integer(_) => Err(self
                .error(
                    k.span(),
                    format!(
                        "{} must be at least {min}, found {}",
                        k.name,
                        self.written(k.span())
                    ),
                )
                .with_label("out of range")),
            other => Err(self.type_error(k, "a whole number", other)),
        }
    }

    /// A UTC instant, ns since 1970-01-01T00:00:00Z: a TOML offset date-time or an RFC 3339
    /// string with a time and an offset.
    pub(super) fn instant(&self, k: Key<'_>) -> Result<i128> {
        let dt = match k.value.get_ref() {
            Value::Datetime(dt) => *dt,
            Value::String(s) => s.trim().parse::<Datetime>().map_err(|_| {
                self.error(
                    k.span(),
                    format!("{}: `{s}` is not an RFC 3339 date and time", k.name),
                )
                .with_help("write e.g. 2020-01-07T22:30:00Z")
            })?,
            other => return Err(self.type_error(k, "a date and time", other)),
        };
        utc_nanos(&dt).ok_or_else(|| {
            self.error(
                k.span(),
                format!(
                    "{} must be a date, a time and a UTC offset, such as 2020-01-07T22:30:00Z",
                    k.name
                ),
            )
            .with_label("not a UTC instant")
            .with_help("add `Z` for UTC, or an offset such as +03:00")
        })
    }

    /// A position table `{ lat, lon, alt }` (alt defaults to 0 m).
    pub(super) fn position(
        &self,
        r: &RawPosition,
        span: Range<usize>,
        title: String,
    ) -> Result<Geodetic> {
        let table = Table { title, span };
        let lat = self.degrees(self.need_key(&r.lat, "lat", &table)?, LATITUDE)?;
        let lon = self.degrees(self.need_key(&r.lon, "lon", &table)?, LONGITUDE)?;
        let alt_m = or(key(&r.alt, "alt"), 0.0, |k| self.length(k, Bound::Any))?;
        Ok(Geodetic {
            lat_rad: lat,
            lon_rad: lon,
            alt_m,
        })
    }

    /// `first_launch` or `first_scan`: an offset from the epoch, or an instant at or after it.
    pub(super) fn launch_time(&self, k: Key<'_>, epoch: i128) -> Result<SimDuration> {
        let instant = match k.value.get_ref() {
            Value::Datetime(_) => true,
            Value::String(s) => s.trim().parse::<Datetime>().is_ok(),
            _ => false,
        };
        if !instant {
            return self.duration(k, Bound::NonNegative);
        }
        let after = self.instant(k)? - epoch;
        if after < 0 {
            return Err(self
                .error(
                    k.span(),
                    format!(
                        "{} is {} s before the epoch {}",
                        k.name,
                        fmt_num(-after as f64 / 1e9),
                        format_utc(epoch).unwrap_or_default()
                    ),
                )
                .with_label("before the epoch"));
        }
        i64::try_from(after)
            .map(SimDuration::from_nanos)
            .map_err(|_| self.error(k.span(), format!("{} is too far after the epoch", k.name)))
    }
}

/// Latitude: [-90, 90] deg.
pub(super) const LATITUDE: Bound = Bound::closed(-FRAC_PI_2, FRAC_PI_2);
/// Longitude: [-180, 180] deg.
pub(super) const LONGITUDE: Bound = Bound::closed(-PI, PI);

/// Decibels relative to one square metre, the usual unit of radar cross-sections.
const DBSM: &str = "dBsm";
/// The units of a radar cross-section, for help lines.
const AREA_UNITS: &str = "area units: m^2 or m², dBsm";
/// The help line of a bad Swerling case.
const SWERLING_HELP: &str = "the Swerling cases are 0 (no fluctuation), 1 (many similar \
    scatterers) and 3 (one dominant scatterer plus many small); 1 and 3 fluctuate from scan to scan";

/// x dBsm in m²: 10^(x/10).
fn dbsm_to_m2(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

const NS_PER_S: i128 = 1_000_000_000;

/// A date-time with date, time and offset as ns since 1970-01-01T00:00:00Z; `None` if a part
/// is missing.
fn utc_nanos(dt: &Datetime) -> Option<i128> {
    let (date, time, offset) = (dt.date?, dt.time?, dt.offset?);
    let offset_min = match offset {
        Offset::Z => 0,
        Offset::Custom { minutes } => i64::from(minutes),
    };
    let days = days_from_civil(
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let secs = days * 86_400
        + i64::from(time.hour) * 3600
        + i64::from(time.minute) * 60
        + i64::from(time.second.unwrap_or(0))
        - offset_min * 60;
    Some(i128::from(secs) * NS_PER_S + i128::from(time.nanosecond.unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_arithmetic_round_trips() {
        // X-Val: 2020-01-07T22:30:00Z is Unix time 1578436200 (date -u -d @1578436200).
        let dt: Datetime = "2020-01-07T22:30:00Z".parse().expect("datetime");
        assert_eq!(utc_nanos(&dt), Some(1_578_436_200 * NS_PER_S));
    }
}
