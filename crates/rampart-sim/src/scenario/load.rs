//! The scenario loader: TOML text → a checked [`Scenario`] in SI units and WGS-84.
//!
//! Three passes, each stopping at the first error (which names the file, line and column):
//!
//! 1. **TOML** into the raw, spanned structs of [`super::raw`]; malformed TOML and unknown keys
//!    are reported here (with a did-you-mean for unknown keys).
//! 2. **Conversion**, table by table: required keys, units (`"160 km"`, `"Mach 0.8"`,
//!    `"-10 dBsm"`; a bare number where a unit matters is an error), allowed ranges, names that
//!    must resolve (threat types and assets, with a did-you-mean), unique names, launch and
//!    first-scan times within the scenario.
//! 3. **Reachability**, the expensive check, last: each ballistic raid's aim point must lie
//!    within the type's range envelope along the launch-to-aim azimuth (flown through the full
//!    physics, cached per threat type, launch site and aim point); each air-breathing raid's route
//!    must be within the type's maximum range.

use super::error::ScenarioError;
use super::model::{AimPoint, Asset, Raid, Scenario, ThreatKind, ThreatType};
use super::raw::{
    RawAim, RawAsset, RawFile, RawHeader, RawPosition, RawRadar, RawRaid, RawThreatType, RawValue,
};
use crate::physics::atmosphere;
use crate::physics::drag::DragProfile;
use crate::physics::earth::EarthModel;
use crate::physics::flight::FlightOptions;
use crate::sensors::clock::{ClockModel, SystemClock};
use crate::sensors::detection::Swerling;
use crate::sensors::radar::{Radar, RadarParams, Sensitivity};
use crate::threats::airbreather::{self, AirBreatherType, AirClass};
use crate::threats::ballistic::{
    self, AIM_TOLERANCE_M, AimError, BallisticType, NominalAim, ReentryVehicle, TrajectoryShape,
};
use rampart_core::input::{MAX_SCENARIO_BYTES, read_limited};
use rampart_core::units::{Dimension, Quantity, UnitError, excerpt, parse_quantity, suggest_unit};
use rampart_core::{Geodetic, SimDuration};
use serde_spanned::Spanned;
use std::collections::HashMap;
use std::f64::consts::{FRAC_PI_2, PI, TAU};
use std::ops::Range;
use std::path::Path;
use toml::Value;
use toml::value::{Datetime, Offset};

type Result<T> = std::result::Result<T, ScenarioError>;

mod defense;
mod limits;
mod warnings;
pub use defense::DEFAULT_INTERCEPTOR_RCS_M2;
pub use limits::{MAX_DURATION_S, MAX_FALSE_ALARMS_PER_SCAN, MAX_SCANS_PER_RADAR, MAX_THREATS};

/// Reads and checks the scenario file at `path`.
///
/// An unreadable file, an empty one, and one that is not UTF-8 text or contains NUL bytes are
/// errors naming the file; everything else is as for [`parse`].
pub fn load(path: &Path) -> Result<Scenario> {
    let file = path.display().to_string();
    let bytes = read_limited(path, MAX_SCENARIO_BYTES).map_err(|e| {
        ScenarioError::new(&file, "", format!("cannot read the scenario file: {e}"))
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => parse(&text, &file),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // The text before the first bad byte is shown, with the caret just after it.
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let prefix = match prefix.find('\0') {
                Some(nul) => return Err(not_text(&file, &prefix, nul)),
                None => prefix,
            };
            let byte = bytes.get(good).copied().unwrap_or(0);
            Err(ScenarioError::new(
                &file,
                prefix,
                format!(
                    "the file is not UTF-8 text: byte {good} (0x{byte:02x}) is not valid UTF-8"
                ),
            )
            .with_span(good..good)
            .with_label("the text stops being UTF-8 here")
            .with_help("a scenario is a UTF-8 TOML text file; is this the right file?"))
        }
    }
}

/// The error for text that contains a NUL byte at byte `nul`: binary data, not a scenario.
fn not_text(file: &str, text: &str, nul: usize) -> ScenarioError {
    let prefix = text.get(..nul).unwrap_or("");
    ScenarioError::new(
        file,
        prefix,
        format!("the file is not text: it contains a NUL byte at byte {nul}"),
    )
    .with_span(nul..nul)
    .with_label("NUL byte here")
    .with_help("a scenario is a UTF-8 TOML text file; is this the right file?")
}

/// Checks the scenario text `text`; `file_name` is used in error messages.
pub fn parse(text: &str, file_name: &str) -> Result<Scenario> {
    let cx = Ctx {
        file: file_name,
        src: text,
    };
    if text.trim().is_empty() {
        return Err(cx
            .error(0..0, "the scenario file is empty")
            .with_help(SCENARIO_HELP));
    }
    if let Some(nul) = text.find('\0') {
        return Err(not_text(file_name, text, nul));
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| cx.toml_error(&e))?;
    let header = raw.scenario.as_ref().ok_or_else(|| {
        cx.error(0..0, "the file has no [scenario] section")
            .with_help(SCENARIO_HELP)
    })?;
    let (mut scenario, epoch) = cx.header(header)?;

    for (i, a) in raw.asset.iter().enumerate() {
        let asset = cx.asset(i, a, &scenario.assets)?;
        scenario.assets.push(asset);
    }

    // A map is read in name order; the file order is the order of the spans.
    let mut types: Vec<_> = raw.threat_type.iter().collect();
    types.sort_by_key(|(name, _)| name.span().start);
    let mut type_spans = Vec::with_capacity(types.len());
    let has_radars = !raw.radar.is_empty();
    for (name, ty) in types {
        scenario
            .threat_types
            .push(cx.threat_type(name, ty, has_radars)?);
        type_spans.push(name.span());
    }

    let mut aim_spans = Vec::with_capacity(raw.raid.len());
    let mut threats: u64 = 0;
    for (i, r) in raw.raid.iter().enumerate() {
        let (raid, aim_span) = cx.raid(i, r, &scenario, epoch)?;
        threats += u64::from(raid.count);
        if threats > MAX_THREATS {
            return Err(cx
                .error(
                    r.span(),
                    format!(
                        "the raids up to this one launch {threats} threats, more than the {MAX_THREATS} a scenario may hold"
                    ),
                )
                .with_label("one raid too many"));
        }
        scenario.raids.push(raid);
        aim_spans.push(aim_span);
    }

    for (i, r) in raw.radar.iter().enumerate() {
        let radar = cx.radar(i, r, &scenario, epoch)?;
        scenario.radars.push(radar);
    }

    let mut interceptors: Vec<_> = raw.interceptor_type.iter().collect();
    interceptors.sort_by_key(|(name, _)| name.span().start);
    for (name, ty) in interceptors {
        let it = cx.interceptor_type(name, ty)?;
        scenario.interceptor_types.push(it);
    }
    for (i, u) in raw.fire_unit.iter().enumerate() {
        let unit = cx.fire_unit(i, u, &scenario)?;
        scenario.fire_units.push(unit);
    }

    cx.check_reach(&mut scenario, &aim_spans, &type_spans)?;
    scenario.warnings = cx.warnings(&scenario, &raw);
    Ok(scenario)
}

const SCENARIO_HELP: &str = "a scenario file starts with a [scenario] table giving at least \
    `name`, `epoch` (e.g. 2020-01-07T22:30:00Z) and `duration` (e.g. \"2 h\")";

/// Sub-tables that live inside another table: (sub-table, parent).
const NESTED: [(&str, &str); 1] = [("launchers", "fire_unit")];

/// The `kind` words of threat types.
const KINDS: [&str; 4] = ["ballistic", "cruise", "aircraft", "uas"];

/// The file being read: its name and text, for errors.
struct Ctx<'a> {
    file: &'a str,
    src: &'a str,
}

/// A table being read, for "missing key" errors: how to name it and where it starts.
struct Table {
    title: String,
    span: Range<usize>,
}

/// A key that is present: its name and its value.
#[derive(Clone, Copy)]
struct Key<'v> {
    name: &'static str,
    value: &'v RawValue,
}

impl Key<'_> {
    fn span(&self) -> Range<usize> {
        self.value.span()
    }
}

/// The key `name` if present.
fn key<'v>(value: &'v Option<RawValue>, name: &'static str) -> Option<Key<'v>> {
    value.as_ref().map(|value| Key { name, value })
}

/// Reads an optional key with `read`, or gives `default` when it is absent.
fn or<T>(key: Option<Key<'_>>, default: T, read: impl FnOnce(Key<'_>) -> Result<T>) -> Result<T> {
    key.map_or(Ok(default), read)
}

/// How many characters of a value an error message repeats.
const ECHO_CHARS: usize = 60;

/// The largest number of threats one raid may launch.
pub const MAX_RAID_COUNT: u32 = 100_000;

/// How far a number may range. Bounds are in SI units (radians for angles).
#[derive(Clone, Copy, Debug)]
enum Bound {
    /// Any value.
    Any,
    /// Greater than zero.
    Positive,
    /// Zero or more.
    NonNegative,
    /// Between `lo` and `hi`, each end included or not.
    Between {
        lo: f64,
        lo_incl: bool,
        hi: f64,
        hi_incl: bool,
    },
}

impl Bound {
    /// `[lo, hi]`.
    const fn closed(lo: f64, hi: f64) -> Self {
        Bound::Between {
            lo,
            lo_incl: true,
            hi,
            hi_incl: true,
        }
    }

    fn contains(self, x: f64) -> bool {
        match self {
            Bound::Any => true,
            Bound::Positive => x > 0.0,
            Bound::NonNegative => x >= 0.0,
            Bound::Between {
                lo,
                lo_incl,
                hi,
                hi_incl,
            } => {
                (if lo_incl { x >= lo } else { x > lo }) && (if hi_incl { x <= hi } else { x < hi })
            }
        }
    }

    /// "greater than 0", "in (0, 90] deg", … for a value measuring `dim` (`None`: a plain
    /// number).
    fn describe(self, dim: Option<Dimension>) -> String {
        let (scale, unit) = display_unit(dim);
        match self {
            Bound::Any => "any value".to_string(),
            Bound::Positive => "greater than 0".to_string(),
            Bound::NonNegative => "0 or more".to_string(),
            Bound::Between {
                lo,
                lo_incl,
                hi,
                hi_incl,
            } => format!(
                "in {}{}, {}{}{}",
                if lo_incl { '[' } else { '(' },
                fmt_num(lo / scale),
                fmt_num(hi / scale),
                if hi_incl { ']' } else { ')' },
                if unit.is_empty() {
                    String::new()
                } else {
                    format!(" {unit}")
                },
            ),
        }
    }
}

/// The unit bounds are shown in: degrees for angles, SI otherwise; (SI per unit, symbol).
fn display_unit(dim: Option<Dimension>) -> (f64, &'static str) {
    match dim {
        None => (1.0, ""),
        Some(Dimension::Angle) => (PI / 180.0, "deg"),
        Some(Dimension::AngularRate) => (PI / 180.0, "deg/s"),
        Some(d) => (1.0, d.si_unit()),
    }
}

/// A number for messages: at most six decimals, trailing zeros dropped.
fn fmt_num(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// "a length", "an angle".
fn a_dim(dim: Dimension) -> String {
    let name = dim.to_string();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// The unit suggested for a bare number of this dimension.
fn example_unit(dim: Dimension) -> &'static str {
    match dim {
        Dimension::Angle => "deg",
        Dimension::AngularRate => "deg/s",
        d => d.si_unit(),
    }
}

/// The candidate closest to `word`, if one is close enough to be a likely typo.
fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    // No name is this long: a huge word is no typo, and comparing it would cost its length.
    if word.len() > 64 {
        return None;
    }
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let similar = strsim::jaro_winkler(&word, &lower);
            // A close spelling (a swapped or missing letter) or a long common prefix.
            let typo = strsim::osa_distance(&word, &lower) <= (lower.chars().count() / 3).max(1);
            (typo || similar >= 0.85).then_some((similar, c))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `` `a`, `b`, `c` ``.
fn backticked<'c>(words: impl IntoIterator<Item = &'c str>) -> String {
    words
        .into_iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Serde names of the raw structs and arrays, as a user would say them.
const SERDE_NAMES: [(&str, &str); 14] = [
    ("struct RawFile", "a scenario file"),
    ("struct RawHeader", "the [scenario] table"),
    ("struct RawPosition", "a position table { lat, lon, alt }"),
    ("struct RawAsset", "an [[asset]] table"),
    ("struct RawThreatType", "a [threat_type.NAME] table"),
    (
        "struct RawReentryVehicle",
        "a table { mass, ballistic_coefficient }",
    ),
    ("struct RawRaid", "a [[raid]] table"),
    ("struct RawRadar", "a [[radar]] table"),
    (
        "struct RawInterceptorType",
        "an [interceptor_type.NAME] table",
    ),
    ("struct RawFireUnit", "a [[fire_unit]] table"),
    ("struct RawLauncher", "a [[fire_unit.launchers]] table"),
    ("a sequence", "an array"),
    ("a map", "a table"),
    ("type: map", "type: table"),
];

impl Ctx<'_> {
    /// An error pointing at `span`.
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::new(self.file, self.src, message).with_span(span)
    }

    /// The source text of `span`, as written.
    fn written(&self, span: Range<usize>) -> String {
        excerpt(self.src.get(span).unwrap_or("?").trim(), ECHO_CHARS)
    }

    /// The span of the key whose value is at `value` (`key = value`), or `value` itself when
    /// the key cannot be found just before it (a sub-table, a dotted key).
    fn key_span(&self, value: Range<usize>, key: &str) -> Range<usize> {
        let before = self.src.get(..value.start).unwrap_or("").trim_end();
        let Some(before) = before.strip_suffix('=') else {
            return value;
        };
        let before = before.trim_end();
        for written in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
            if before.ends_with(&written) {
                return before.len() - written.len()..before.len();
            }
        }
        value
    }

    /// Turns a TOML or serde error into a scenario error; unknown keys get a did-you-mean.
    fn toml_error(&self, e: &toml::de::Error) -> ScenarioError {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        if let Some((name, expected)) = unknown_field(message) {
            let err = self
                .error(span, format!("unknown key `{}`", excerpt(name, ECHO_CHARS)))
                .with_label("not a key here");
            // A sub-table written at the top level: `[[launchers]]` for `[[fire_unit.launchers]]`.
            if let Some((_, parent)) = NESTED
                .iter()
                .find(|(child, parent)| *child == name && expected.contains(parent))
            {
                return err.with_help(format!(
                    "`{name}` belongs to a {parent}: write [[{parent}.{name}]] after its [[{parent}]]"
                ));
            }
            return match did_you_mean(name, expected.iter().copied()) {
                Some(s) => err.with_help(format!("did you mean `{s}`?")),
                None if expected.is_empty() => err.with_help("this table takes no keys"),
                None => err.with_help(format!("expected one of {}", backticked(expected))),
            };
        }
        let mut message = message.to_string();
        for (from, to) in SERDE_NAMES {
            message = message.replace(from, to);
        }
        let written = self.written(span.clone());
        let err = self.error(span.clone(), message.clone());
        // `[asset]` written for `[[asset]]`.
        match written.strip_prefix('[').and_then(|w| w.strip_suffix(']')) {
            Some(name) if message.contains("table, expected an array") => err.with_help(format!(
                "each entry is a table of an array: write [[{}]] with double brackets",
                name.trim()
            )),
            _ => err,
        }
    }

    /// `key` is missing from `table`.
    fn missing(&self, key: &str, table: &Table) -> ScenarioError {
        self.error(
            table.span.clone(),
            format!("missing required key `{key}` in {}", table.title),
        )
        .with_label(format!("`{key}` is required here"))
    }

    /// The value of a required key.
    fn need<'v, T>(&self, value: &'v Option<T>, key: &str, table: &Table) -> Result<&'v T> {
        value.as_ref().ok_or_else(|| self.missing(key, table))
    }

    /// The required key `name` of `table`.
    fn need_key<'v>(
        &self,
        value: &'v Option<RawValue>,
        name: &'static str,
        table: &Table,
    ) -> Result<Key<'v>> {
        key(value, name).ok_or_else(|| self.missing(name, table))
    }

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

    /// "radius: unknown unit `parsecs`", with the suggested unit or else `units` as the help.
    fn unknown_unit(
        &self,
        k: Key<'_>,
        unit: &str,
        suggestion: Option<&str>,
        units: &str,
    ) -> ScenarioError {
        let err = self
            .error(k.span(), format!("{}: unknown unit `{unit}`", k.name))
            .with_label("unknown unit");
        match suggestion {
            Some(s) => err.with_help(format!("did you mean `{s}`?")),
            None => err.with_help(units.to_string()),
        }
    }

    /// `radius = 1500` → "radius needs a unit, e.g. "1500 m"".
    fn needs_unit(&self, k: Key<'_>, number: &str, dim: Dimension) -> ScenarioError {
        let suggestion = format!("\"{number} {}\"", example_unit(dim));
        self.error(
            k.span(),
            format!("{} needs a unit, e.g. {suggestion}", k.name),
        )
        .with_label(format!("{} without a unit", a_type(k.value.get_ref())))
        .with_help(format!("{} units: {}", dim, dim.example_units()))
    }

    /// A quantity of dimension `dim` within `bound`, in SI units.
    fn measure(&self, k: Key<'_>, dim: Dimension, bound: Bound) -> Result<f64> {
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
    fn length(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Length, bound)
    }

    /// A mass, kg.
    fn mass(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Mass, bound)
    }

    /// A time, s.
    fn time(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Time, bound)
    }

    /// An angle, rad.
    fn angle(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
        self.measure(k, Dimension::Angle, bound)
    }

    /// A time as an exact duration. A positive bound holds for the duration rounded to the
    /// nanosecond too: "0.1 ns" is not a usable revisit interval.
    fn duration(&self, k: Key<'_>, bound: Bound) -> Result<SimDuration> {
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
    fn speed(&self, k: Key<'_>, alt_m: f64) -> Result<f64> {
        let mps = match self.quantity(k, Dimension::Speed)? {
            Quantity::Si { value, .. } => value,
            Quantity::Mach(m) => m * atmosphere::air(alt_m).speed_of_sound_mps,
        };
        self.within(mps, Bound::Positive, k, Some(Dimension::Speed))
    }

    /// A radar cross-section > 0, m²: an area (`"0.1 m^2"`) or decibels relative to one square
    /// metre (`"-10 dBsm"`, which is 10^(−10/10) = 0.1 m²). `parse_quantity` knows no `dBsm`,
    /// so it is read here.
    fn rcs(&self, k: Key<'_>) -> Result<f64> {
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
    fn swerling(&self, k: Key<'_>) -> Result<Swerling> {
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
    fn number(&self, k: Key<'_>, bound: Bound) -> Result<f64> {
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
    fn integer(&self, k: Key<'_>, min: i64) -> Result<i64> {
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

    /// "`count` must be a whole number, found a string".
    fn type_error(&self, k: Key<'_>, expected: &str, found: &Value) -> ScenarioError {
        self.error(
            k.span(),
            format!("{} must be {expected}, found {}", k.name, a_type(found)),
        )
        .with_label(format!("expected {expected}"))
    }

    /// A UTC instant, ns since 1970-01-01T00:00:00Z: a TOML offset date-time or an RFC 3339
    /// string with a time and an offset.
    fn instant(&self, k: Key<'_>) -> Result<i128> {
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
    fn position(&self, r: &RawPosition, span: Range<usize>, title: String) -> Result<Geodetic> {
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

    /// `[scenario]`: the scenario with no assets, types or raids yet, and its epoch in ns since
    /// 1970.
    fn header(&self, h: &Spanned<RawHeader>) -> Result<(Scenario, i128)> {
        let t = Table {
            title: "[scenario]".into(),
            span: h.span(),
        };
        let r = h.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        if name.get_ref().trim().is_empty() {
            return Err(self.error(name.span(), "the scenario name is empty"));
        }
        let epoch = self.instant(self.need_key(&r.epoch, "epoch", &t)?)?;
        let epoch_text = format_utc(epoch).ok_or_else(|| {
            self.error(
                r.epoch.as_ref().map_or(t.span.clone(), Spanned::span),
                "epoch must fall within the years 0000 to 9999 UTC",
            )
        })?;
        let duration =
            self.duration(self.need_key(&r.duration, "duration", &t)?, Bound::Positive)?;
        let seed = or(key(&r.seed, "seed"), 1, |k| self.integer(k, 0))?;
        let scenario = Scenario {
            name: name.get_ref().clone(),
            description: r
                .description
                .as_ref()
                .map(|d| d.get_ref().clone())
                .unwrap_or_default(),
            epoch: epoch_text,
            duration,
            seed: seed.unsigned_abs(), // checked to be 0 or more
            assets: Vec::new(),
            threat_types: Vec::new(),
            raids: Vec::new(),
            radars: Vec::new(),
            interceptor_types: Vec::new(),
            fire_units: Vec::new(),
            warnings: Vec::new(),
        };
        Ok((scenario, epoch))
    }

    /// A name that must not be empty nor repeat one of `earlier` (the names of the `table`s
    /// before it): "duplicate radar name `X`", pointing at the earlier table.
    pub(super) fn unique_name<'e>(
        &self,
        name: &Spanned<String>,
        word: &str,
        table: &str,
        earlier: impl Iterator<Item = &'e str>,
    ) -> Result<()> {
        if name.get_ref().trim().is_empty() {
            return Err(self.error(name.span(), format!("the {word} name is empty")));
        }
        let mut earlier = earlier;
        if let Some(first) = earlier.position(|e| e == name.get_ref()) {
            return Err(self
                .error(
                    name.span(),
                    format!("duplicate {word} name `{}`", name.get_ref()),
                )
                .with_label("already used")
                .with_help(format!(
                    "{table} #{} has this name; {word} names must be unique",
                    first + 1
                )));
        }
        Ok(())
    }

    /// The `i`-th (0-based) `[[asset]]`; `earlier` are the assets before it.
    fn asset(&self, i: usize, a: &Spanned<RawAsset>, earlier: &[Asset]) -> Result<Asset> {
        let t = Table {
            title: format!("[[asset]] #{}", i + 1),
            span: a.span(),
        };
        let r = a.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        self.unique_name(
            name,
            "asset",
            "[[asset]]",
            earlier.iter().map(|e| e.name.as_str()),
        )?;
        let pos = self.need(&r.position, "position", &t)?;
        let position = self.position(
            pos.get_ref(),
            pos.span(),
            format!("`position` of {}", t.title),
        )?;
        let radius_m = self.length(self.need_key(&r.radius, "radius", &t)?, Bound::Positive)?;
        let value = or(key(&r.value, "value"), 1.0, |k| {
            self.number(k, Bound::Positive)
        })?;
        Ok(Asset {
            name: name.get_ref().clone(),
            position,
            radius_m,
            value,
        })
    }

    /// `[threat_type.NAME]`; `has_radars` when the scenario has a `[[radar]]`, which makes
    /// `rcs` required.
    fn threat_type(
        &self,
        name: &Spanned<String>,
        ty: &Spanned<RawThreatType>,
        has_radars: bool,
    ) -> Result<ThreatType> {
        let t = Table {
            title: format!("[threat_type.{}]", name.get_ref()),
            span: ty.span(),
        };
        let r = ty.get_ref();
        let kind_word = self.need(&r.kind, "kind", &t)?;
        let reliability = or(key(&r.reliability, "reliability"), 1.0, |k| {
            self.number(k, Bound::closed(0.0, 1.0))
        })?;
        let rcs_m2 = match key(&r.rcs, "rcs") {
            Some(k) => self.rcs(k)?,
            None if has_radars => {
                return Err(self
                    .error(
                        t.span.clone(),
                        format!(
                            "missing required key `rcs` in {} (every threat type needs a radar \
                             cross-section when the scenario has radars)",
                            t.title
                        ),
                    )
                    .with_label("`rcs` is required here")
                    .with_help(
                        "give the mean radar cross-section, e.g. `rcs = \"0.1 m^2\"` or \
                         `rcs = \"-10 dBsm\"`",
                    ));
            }
            None => 1.0,
        };
        let swerling = or(key(&r.swerling, "swerling"), Swerling::One, |k| {
            self.swerling(k)
        })?;
        let class = match kind_word.get_ref().as_str() {
            "ballistic" => None,
            "cruise" => Some(AirClass::Cruise),
            "aircraft" => Some(AirClass::Aircraft),
            "uas" => Some(AirClass::Uas),
            other => {
                let err = self
                    .error(kind_word.span(), format!("unknown threat kind `{other}`"))
                    .with_label("unknown kind");
                return Err(match did_you_mean(other, KINDS) {
                    Some(s) => err.with_help(format!("did you mean `{s}`?")),
                    None => err.with_help(format!("kind is one of {}", backticked(KINDS))),
                });
            }
        };
        let kind = match class {
            None => {
                self.foreign_keys(
                    r.air_breathing_keys(),
                    "ballistic",
                    "air-breathing (cruise, aircraft, uas)",
                )?;
                ThreatKind::Ballistic(self.ballistic(name, r, &t)?)
            }
            Some(class) => {
                self.foreign_keys(r.ballistic_keys(), class.word(), "ballistic")?;
                ThreatKind::AirBreathing(self.air_breather(class, r, &t)?)
            }
        };
        Ok(ThreatType {
            name: name.get_ref().clone(),
            reliability,
            rcs_m2,
            swerling,
            kind,
        })
    }

    /// An error on the first of `keys` (keys of another kind than `kind`), if any.
    fn foreign_keys(
        &self,
        keys: Vec<(&'static str, Range<usize>)>,
        kind: &str,
        belongs: &str,
    ) -> Result<()> {
        match keys.into_iter().next() {
            None => Ok(()),
            Some((k, value)) => Err(self
                .error(
                    self.key_span(value, k),
                    format!("unknown key `{k}` for a {kind} threat type"),
                )
                .with_label(format!("`{k}` belongs to {belongs} threat types"))
                .with_help("remove it, or change `kind`")),
        }
    }

    /// The ballistic keys of a threat type.
    fn ballistic(
        &self,
        name: &Spanned<String>,
        r: &RawThreatType,
        t: &Table,
    ) -> Result<BallisticType> {
        let launch_mass_kg = self.mass(
            self.need_key(&r.launch_mass, "launch_mass", t)?,
            Bound::Positive,
        )?;
        let propellant = self.need_key(&r.propellant_mass, "propellant_mass", t)?;
        let propellant_mass_kg = self.mass(propellant, Bound::Positive)?;
        let burn_time_s = self.time(
            self.need_key(&r.burn_time, "burn_time", t)?,
            Bound::Positive,
        )?;
        let isp_s = self.time(self.need_key(&r.isp, "isp", t)?, Bound::Positive)?;
        let diameter_m =
            self.length(self.need_key(&r.diameter, "diameter", t)?, Bound::Positive)?;
        let body_drag_coefficient = or(
            key(&r.body_drag_coefficient, "body_drag_coefficient"),
            0.3,
            |k| self.number(k, Bound::Positive),
        )?;
        let vertical_rise_s = or(key(&r.vertical_rise, "vertical_rise"), 5.0, |k| {
            self.time(k, Bound::NonNegative)
        })?;
        let reentry_vehicle = match &r.reentry_vehicle {
            None => None,
            Some(rv) => {
                let rt = Table {
                    title: format!("`reentry_vehicle` of {}", t.title),
                    span: rv.span(),
                };
                let raw = rv.get_ref();
                Some(ReentryVehicle {
                    mass_kg: self.mass(self.need_key(&raw.mass, "mass", &rt)?, Bound::Positive)?,
                    ballistic_coefficient_kg_m2: self.measure(
                        self.need_key(&raw.ballistic_coefficient, "ballistic_coefficient", &rt)?,
                        Dimension::MassPerArea,
                        Bound::Positive,
                    )?,
                })
            }
        };
        let drag_profile = match &r.drag_profile {
            None => DragProfile::slender_body(),
            Some(p) => self.drag_profile(p)?,
        };

        // The propellant and any re-entry vehicle must fit in the launch mass.
        let rv_kg = reentry_vehicle.map_or(0.0, |rv| rv.mass_kg);
        if propellant_mass_kg + rv_kg >= launch_mass_kg {
            let what = if rv_kg > 0.0 {
                format!(
                    "launch_mass minus the re-entry vehicle's mass ({} − {} = {} kg)",
                    fmt_num(launch_mass_kg),
                    fmt_num(rv_kg),
                    fmt_num(launch_mass_kg - rv_kg)
                )
            } else {
                format!("launch_mass ({} kg)", fmt_num(launch_mass_kg))
            };
            return Err(self
                .error(
                    propellant.span(),
                    format!(
                        "propellant_mass ({} kg) must be less than {what}",
                        fmt_num(propellant_mass_kg)
                    ),
                )
                .with_label("too heavy"));
        }
        let ty = BallisticType {
            launch_mass_kg,
            propellant_mass_kg,
            burn_time_s,
            isp_s,
            diameter_m,
            body_drag_coefficient,
            reentry_vehicle,
            vertical_rise_s,
            drag_profile,
        };
        if ty.thrust_to_weight() <= 1.0 {
            return Err(self.cannot_lift_off(name, ty.thrust_to_weight()));
        }
        Ok(ty)
    }

    /// The error for a ballistic type whose thrust does not lift its launch mass.
    fn cannot_lift_off(&self, name: &Spanned<String>, thrust_to_weight: f64) -> ScenarioError {
        self.error(
            name.span(),
            format!(
                "{} cannot lift off: its thrust-to-weight ratio at launch is {thrust_to_weight:.2}, not above 1",
                name.get_ref()
            ),
        )
        .with_label("cannot lift off")
        .with_help("thrust = propellant_mass / burn_time × isp × g0; it must exceed launch_mass × g0")
    }

    /// `drag_profile = [[Mach, Cd/Cd_ref], …]`.
    fn drag_profile(&self, p: &Spanned<Vec<RawValue>>) -> Result<DragProfile> {
        let mut points = Vec::with_capacity(p.get_ref().len());
        for pair in p.get_ref() {
            let number = |v: &Value| match v {
                Value::Integer(i) => Some(*i as f64),
                Value::Float(f) => Some(*f),
                _ => None,
            };
            let point = match pair.get_ref() {
                Value::Array(a) if a.len() == 2 => number(&a[0]).zip(number(&a[1])),
                _ => None,
            };
            points.push(point.ok_or_else(|| {
                self.error(
                    pair.span(),
                    format!(
                        "drag_profile entries are [Mach, Cd/Cd_ref] pairs of plain numbers, found {}",
                        self.written(pair.span())
                    ),
                )
                .with_label("not a [Mach, factor] pair")
            })?);
        }
        DragProfile::new(points).ok_or_else(|| {
            self.error(p.span(), "invalid drag_profile")
                .with_label("invalid profile")
                .with_help(
                    "give at least one [Mach, Cd/Cd_ref] pair, with Mach numbers of 0 or more in \
                     strictly increasing order and factors greater than 0",
                )
        })
    }

    /// The air-breathing keys of a threat type.
    fn air_breather(
        &self,
        class: AirClass,
        r: &RawThreatType,
        t: &Table,
    ) -> Result<AirBreatherType> {
        let cruise_alt_m =
            self.length(self.need_key(&r.altitude, "altitude", t)?, Bound::Positive)?;
        let speed_mps = self.speed(self.need_key(&r.speed, "speed", t)?, cruise_alt_m)?;
        let max_range_m = self.length(
            self.need_key(&r.max_range, "max_range", t)?,
            Bound::Positive,
        )?;
        let max_turn_rate_rad_s = or(key(&r.turn_rate, "turn_rate"), 3f64.to_radians(), |k| {
            self.measure(k, Dimension::AngularRate, Bound::Positive)
        })?;
        let dive = Bound::Between {
            lo: 0.0,
            lo_incl: false,
            hi: FRAC_PI_2,
            hi_incl: true,
        };
        let dive_angle_rad = or(key(&r.dive_angle, "dive_angle"), 30f64.to_radians(), |k| {
            self.angle(k, dive)
        })?;
        let climb = Bound::Between {
            lo: 0.0,
            lo_incl: false,
            hi: FRAC_PI_2,
            hi_incl: false,
        };
        let climb_angle_rad = or(
            key(&r.climb_angle, "climb_angle"),
            10f64.to_radians(),
            |k| self.angle(k, climb),
        )?;
        Ok(AirBreatherType {
            class,
            speed_mps,
            cruise_alt_m,
            max_range_m,
            max_turn_rate_rad_s,
            dive_angle_rad,
            climb_angle_rad,
        })
    }

    /// The `i`-th (0-based) `[[raid]]`, and the span of its `aim`. `sc` holds the assets and
    /// threat types; `epoch` is in ns since 1970.
    fn raid(
        &self,
        i: usize,
        raid: &Spanned<RawRaid>,
        sc: &Scenario,
        epoch: i128,
    ) -> Result<(Raid, Range<usize>)> {
        let t = Table {
            title: format!("[[raid]] #{}", i + 1),
            span: raid.span(),
        };
        let r = raid.get_ref();

        let ty_name = self.need(&r.threat_type, "threat_type", &t)?;
        let threat_type = sc
            .threat_types
            .iter()
            .position(|ty| ty.name == *ty_name.get_ref())
            .ok_or_else(|| {
                self.undefined(
                    ty_name.span(),
                    ty_name.get_ref(),
                    "threat type",
                    sc.threat_types.iter().map(|ty| ty.name.as_str()),
                )
                .with_label("no [threat_type] of this name")
            })?;
        let ty = &sc.threat_types[threat_type];
        let ballistic = matches!(ty.kind, ThreatKind::Ballistic(_));

        let count = or(key(&r.count, "count"), 1, |k| self.integer(k, 1))?;
        // Every threat of a run exists from the start (as a pending launch), so a raid's size
        // is capped well below what memory or the u32 threat index could hold.
        let count = u32::try_from(count)
            .ok()
            .filter(|c| *c <= MAX_RAID_COUNT)
            .ok_or_else(|| {
                self.error(
                    r.count.as_ref().map_or(t.span.clone(), Spanned::span),
                    format!("count must be at most {MAX_RAID_COUNT}, found {count}"),
                )
                .with_label("too many")
            })?;
        let site = self.need(&r.launch_site, "launch_site", &t)?;
        let launch_site = self.position(
            site.get_ref(),
            site.span(),
            format!("`launch_site` of {}", t.title),
        )?;

        let aim_raw = self.need(&r.aim, "aim", &t)?;
        let aim = match aim_raw.get_ref() {
            RawAim::Asset(name) => {
                let index = sc
                    .assets
                    .iter()
                    .position(|a| a.name == *name)
                    .ok_or_else(|| {
                        self.undefined(
                            aim_raw.span(),
                            name,
                            "asset",
                            sc.assets.iter().map(|a| a.name.as_str()),
                        )
                        .with_label("no [[asset]] of this name")
                    })?;
                AimPoint {
                    point: sc.assets[index].position,
                    asset: Some(index),
                }
            }
            RawAim::Point(p) => AimPoint {
                point: self.position(p, aim_raw.span(), format!("`aim` of {}", t.title))?,
                asset: None,
            },
        };

        let first_launch = or(
            key(&r.first_launch, "first_launch"),
            SimDuration::ZERO,
            |k| self.launch_time(k, epoch),
        )?;
        let interval = or(key(&r.interval, "interval"), SimDuration::ZERO, |k| {
            self.duration(k, Bound::NonNegative)
        })?;
        let cep_m = or(key(&r.cep, "cep"), 0.0, |k| {
            self.length(k, Bound::NonNegative)
        })?;

        let trajectory = match &r.trajectory {
            None => TrajectoryShape::default(),
            Some(s) if !ballistic => return Err(self.not_for_kind(s.span(), "trajectory", ty)),
            Some(s) => self.trajectory(s)?,
        };
        let waypoints = match &r.waypoints {
            None => Vec::new(),
            Some(w) if ballistic => return Err(self.not_for_kind(w.span(), "waypoints", ty)),
            Some(w) => w
                .get_ref()
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    self.position(
                        p.get_ref(),
                        p.span(),
                        format!("waypoint #{} of {}", j + 1, t.title),
                    )
                })
                .collect::<Result<Vec<_>>>()?,
        };

        // Every launch must come before the end of the scenario.
        let last =
            first_launch.as_nanos() as i128 + i128::from(count - 1) * interval.as_nanos() as i128;
        let end = sc.duration.as_nanos() as i128;
        if last >= end {
            let secs = |ns: i128| fmt_num(ns as f64 / 1e9);
            // The caret goes where the fix is: at `first_launch` when the first launch is
            // already too late, at `interval` when only the later ones are.
            let several = count > 1
                && interval > SimDuration::ZERO
                && (first_launch.as_nanos() as i128) < end;
            let (span, message) = if several {
                let span = r.interval.as_ref().map_or(t.span.clone(), Spanned::span);
                (
                    span,
                    format!(
                        "the last of this raid's {count} launches is at {} s after the epoch, not before the end of the scenario at {} s",
                        secs(last),
                        secs(end)
                    ),
                )
            } else {
                let span = r
                    .first_launch
                    .as_ref()
                    .map_or(t.span.clone(), Spanned::span);
                (
                    span,
                    format!(
                        "this raid launches at {} s after the epoch, not before the end of the scenario at {} s",
                        secs(last),
                        secs(end)
                    ),
                )
            };
            return Err(self
                .error(span, message)
                .with_label("too late")
                .with_help("launch earlier, or lengthen `duration` in [scenario]"));
        }

        let raid = Raid {
            threat_type,
            count,
            launch_site,
            aim,
            first_launch,
            interval,
            cep_m,
            trajectory,
            waypoints,
            ballistic_aim: None,
        };
        Ok((raid, aim_raw.span()))
    }

    /// `first_launch` or `first_scan`: an offset from the epoch, or an instant at or after it.
    fn launch_time(&self, k: Key<'_>, epoch: i128) -> Result<SimDuration> {
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

    /// `trajectory = "minimum-energy" | "lofted" | "depressed"`.
    fn trajectory(&self, s: &Spanned<String>) -> Result<TrajectoryShape> {
        let shapes = [
            TrajectoryShape::MinimumEnergy,
            TrajectoryShape::Lofted,
            TrajectoryShape::Depressed,
        ];
        let word = s.get_ref().as_str();
        if let Some(shape) = shapes.into_iter().find(|sh| sh.name() == word) {
            return Ok(shape);
        }
        let names = shapes.map(TrajectoryShape::name);
        let err = self
            .error(s.span(), format!("unknown trajectory `{word}`"))
            .with_label("unknown trajectory");
        Err(match did_you_mean(word, names) {
            Some(n) => err.with_help(format!("did you mean `{n}`?")),
            None => err.with_help(format!("trajectory is one of {}", backticked(names))),
        })
    }

    /// A raid key that does not apply to its threat type's kind.
    fn not_for_kind(&self, value: Range<usize>, key: &str, ty: &ThreatType) -> ScenarioError {
        let applies = match ty.kind {
            ThreatKind::Ballistic(_) => "air-breathing (cruise, aircraft, uas)",
            ThreatKind::AirBreathing(_) => "ballistic",
        };
        self.error(
            self.key_span(value, key),
            format!(
                "`{key}` applies only to {applies} threat types; {} is {}",
                ty.name,
                ty.kind.word()
            ),
        )
        .with_label(format!("not for a {} threat type", ty.kind.word()))
    }

    /// "undefined threat type `X`", with a did-you-mean among `names`.
    fn undefined<'n>(
        &self,
        span: Range<usize>,
        name: &str,
        what: &str,
        names: impl Iterator<Item = &'n str> + Clone,
    ) -> ScenarioError {
        let err = self.error(span, format!("undefined {what} `{name}`"));
        match did_you_mean(name, names.clone()) {
            Some(s) => err.with_help(format!("did you mean `{s}`?")),
            None => {
                let all: Vec<_> = names.collect();
                if all.is_empty() {
                    err.with_help(format!("the file defines no {what}"))
                } else {
                    err.with_help(format!("defined: {}", backticked(all)))
                }
            }
        }
    }

    /// The `i`-th (0-based) `[[radar]]`. `sc` holds the duration and the radars before it;
    /// `epoch` is in ns since 1970.
    fn radar(
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
                    && range_max_m <= DEFAULT_RANGE_MIN_M
                {
                    return Err(self.beyond_default(
                        k,
                        "greater than",
                        "range_min",
                        &format!("{} m", fmt_num(DEFAULT_RANGE_MIN_M)),
                    ));
                }
                DEFAULT_RANGE_MIN_M
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

        // Resolution.
        let range_resolution_m = self.length(
            self.need_key(&r.range_resolution, "range_resolution", &t)?,
            Bound::Positive,
        )?;
        let beamwidth_rad = self.angle(self.need_key(&r.beamwidth, "beamwidth", &t)?, BEAMWIDTH)?;
        let range_rate_resolution_mps = or(
            key(&r.range_rate_resolution, "range_rate_resolution"),
            5.0,
            |k| self.measure(k, Dimension::Speed, Bound::Positive),
        )?;

        // Sensitivity.
        let pfa = or(key(&r.pfa, "pfa"), 1e-6, |k| self.number(k, PFA))?;
        let range_m = self.length(
            self.need_key(&r.reference_range, "reference_range", &t)?,
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
                Some(c) => match self.word(c, "clock", ["exact", "legacy-24bit"])? {
                    "legacy-24bit" => ClockModel::Legacy24Bit,
                    _ => ClockModel::Exact,
                },
            },
            uptime: or(key(&r.uptime, "uptime"), SimDuration::ZERO, |k| {
                self.duration(k, Bound::NonNegative)
            })?,
        };
        let range_gate_m = or(
            key(&r.range_gate, "range_gate"),
            DEFAULT_RANGE_GATE_M,
            |k| self.length(k, Bound::Positive),
        )?;

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
        };
        self.radar_load(&params, r, &t, sc.duration)?;
        Ok(params)
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

    /// The reachability check, last: each raid's aim point must be within its threat type's
    /// range. Stores each ballistic raid's envelope. Envelopes are cached by (threat type,
    /// launch site, aim point).
    fn check_reach(
        &self,
        sc: &mut Scenario,
        aim_spans: &[Range<usize>],
        type_spans: &[Range<usize>],
    ) -> Result<()> {
        let earth = EarthModel::wgs84();
        let opts = FlightOptions::default();
        let mut nominals: HashMap<(ReachKey, &'static str), NominalAim> = HashMap::new();
        let types = &sc.threat_types;
        for (raid, aim_span) in sc.raids.iter_mut().zip(aim_spans) {
            let ty = &types[raid.threat_type];
            let (site, aim) = (raid.launch_site, raid.aim.point);
            let distance = site.geodesic_to(&aim).distance_m;
            let aim_error = |e: AimError| {
                match e {
                AimError::CannotLiftOff(tw) => {
                    let name = Spanned::new(type_spans[raid.threat_type].clone(), ty.name.clone());
                    self.cannot_lift_off(&name, tw)
                }
                AimError::OutOfRange { max_range_km, .. } => self
                    .error(
                        aim_span.clone(),
                        format!(
                            "aim point is {:.1} km from the launch site, beyond {}'s maximum range of {max_range_km:.1} km for a {} trajectory",
                            distance / 1e3,
                            ty.name,
                            raid.trajectory.name()
                        ),
                    )
                    .with_label("out of range")
                    .with_help("move the launch site closer, or aim at something nearer"),
                AimError::TooClose { min_range_km, .. } => self
                    .error(
                        aim_span.clone(),
                        format!(
                            "aim point is {:.1} km from the launch site, closer than {}'s shortest {} range of {min_range_km:.1} km",
                            distance / 1e3,
                            ty.name,
                            raid.trajectory.name()
                        ),
                    )
                    .with_label("too close")
                    .with_help("move the launch site farther away, or choose another trajectory shape"),
                e => self.error(
                    aim_span.clone(),
                    format!("cannot aim {} from this launch site at this point: {e}", ty.name),
                ),
            }
            };
            match &ty.kind {
                ThreatKind::Ballistic(b) => {
                    let key = (
                        ReachKey::new(raid.threat_type, &site, &aim),
                        raid.trajectory.name(),
                    );
                    let nominal = match nominals.get(&key) {
                        Some(n) => *n,
                        None => {
                            let n = ballistic::nominal_aim(
                                &earth,
                                b,
                                &site,
                                &aim,
                                raid.trajectory,
                                AIM_TOLERANCE_M,
                                &opts,
                            )
                            .map_err(aim_error)?;
                            *nominals.entry(key).or_insert(n)
                        }
                    };
                    raid.ballistic_aim = Some(nominal);
                }
                ThreatKind::AirBreathing(a) => {
                    let length = airbreather::route_length_m(&site, &raid.waypoints, &aim);
                    if length > a.max_range_m {
                        let via = match raid.waypoints.len() {
                            0 => String::new(),
                            1 => " through 1 waypoint".to_string(),
                            n => format!(" through {n} waypoints"),
                        };
                        return Err(self
                            .error(
                                aim_span.clone(),
                                format!(
                                    "the route from the launch site{via} to the aim point is {:.1} km long, beyond {}'s maximum range of {:.1} km",
                                    length / 1e3,
                                    ty.name,
                                    a.max_range_m / 1e3
                                ),
                            )
                            .with_label("out of range")
                            .with_help("move the launch site closer, shorten the route, or aim at something nearer"));
                    }
                    if aim.alt_m >= a.cruise_alt_m {
                        return Err(self
                            .error(
                                aim_span.clone(),
                                format!(
                                    "the aim point is {:.0} m high, not below {}'s cruise altitude of {:.0} m: it cannot dive onto it",
                                    aim.alt_m, ty.name, a.cruise_alt_m
                                ),
                            )
                            .with_label("at or above the cruise altitude"));
                    }
                    // Fly the undisplaced route once: whatever else the flight model refuses
                    // (a route over a pole, say) is reported now, not halfway through a run.
                    airbreather::fly_route(a, &site, &raid.waypoints, &aim).map_err(|e| {
                        self.error(
                            aim_span.clone(),
                            format!("cannot fly {} on this route: {e}", ty.name),
                        )
                    })?;
                }
            }
        }
        Ok(())
    }
}

/// The cache key of a range envelope: the threat type and the exact launch site and aim point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ReachKey(usize, [u64; 6]);

impl ReachKey {
    fn new(ty: usize, site: &Geodetic, aim: &Geodetic) -> Self {
        let bits = [
            site.lat_rad,
            site.lon_rad,
            site.alt_m,
            aim.lat_rad,
            aim.lon_rad,
            aim.alt_m,
        ]
        .map(f64::to_bits);
        ReachKey(ty, bits)
    }
}

/// Latitude: [-90, 90] deg.
const LATITUDE: Bound = Bound::closed(-FRAC_PI_2, FRAC_PI_2);
/// Longitude: [-180, 180] deg.
const LONGITUDE: Bound = Bound::closed(-PI, PI);
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

/// "a string", "an integer", … for messages.
fn a_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// A typical quantity of each dimension, for messages.
fn example_quantity(dim: Dimension) -> &'static str {
    match dim {
        Dimension::Length => "1500 m",
        Dimension::Time => "30 s",
        Dimension::Angle => "30 deg",
        Dimension::Speed => "250 m/s",
        Dimension::Acceleration => "9 g",
        Dimension::AngularRate => "3 deg/s",
        Dimension::Mass => "650 kg",
        Dimension::Force => "10 kN",
        Dimension::Area => "0.3 m^2",
        Dimension::MassPerArea => "12000 kg/m^2",
    }
}

/// The key name and expected keys of serde's "unknown field `x`, expected one of `a`, `b`"
/// (or "expected `a` or `b`", "expected `a`", "there are no fields").
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, tail) = rest.split_once('`')?;
    let expected = tail.split('`').skip(1).step_by(2).collect();
    Some((name, expected))
}

/// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant, "chrono-compatible
/// low-level date algorithms", `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
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

/// RFC 3339 text in UTC (`2020-01-07T22:30:00Z`, with a fraction only when there is one) of
/// ns since 1970; `None` outside the years 0000–9999.
fn format_utc(ns: i128) -> Option<String> {
    let secs = i64::try_from(ns.div_euclid(NS_PER_S)).ok()?;
    let frac = ns.rem_euclid(NS_PER_S);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    if !(0..=9999).contains(&y) {
        return None;
    }
    let s = secs.rem_euclid(86_400);
    let mut text = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    if frac != 0 {
        let digits = format!("{frac:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text.push('Z');
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid file with no raids (so no range envelope is flown); tests append to it or
    /// replace parts of it.
    const BASE: &str = r#"[scenario]
name = "Test"
epoch = 2020-01-07T22:30:00Z
duration = "2 h"

[[asset]]
name = "Al Asad Air Base"
position = { lat = 33.7856, lon = 42.4412, alt = "188 m" }
radius = "1500 m"

[threat_type.Shahed-136]
kind = "uas"
speed = "185 km/h"
altitude = "1 km"
max_range = "2000 km"
"#;

    /// A ballistic type (the shipped Al Asad scenario's Fateh-313, about 520 km at most).
    const FATEH: &str = r#"
[threat_type.Fateh-313]
kind = "ballistic"
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "255 s"
diameter = "0.61 m"
"#;

    /// A radar with only its required keys, 30 km from the asset of [`BASE`].
    const RADAR: &str = r#"
[[radar]]
name = "TPY-2"
position = { lat = 33.9, lon = 42.7 }
range_max = "1000 km"
revisit = "2 s"
range_resolution = "15 m"
beamwidth = "0.5 deg"
reference_range = "870 km"
"#;

    /// [`BASE`] with an `rcs` for its threat type and the [`RADAR`].
    fn with_radar() -> String {
        let base = BASE.replace("kind = \"uas\"", "kind = \"uas\"\nrcs = \"0.1 m^2\"");
        format!("{base}{RADAR}")
    }

    /// The error `src` gives.
    fn err(src: &str) -> ScenarioError {
        match parse(src, "test.toml") {
            Ok(_) => panic!("expected an error from:\n{src}"),
            Err(e) => e,
        }
    }

    /// The 1-based line and column of the `nth` (0-based) occurrence of `needle` in `src`; a `|`
    /// in `needle` marks the place within it (`"aim = |\"Base\""`).
    fn at_nth(src: &str, needle: &str, nth: usize) -> (usize, usize) {
        let offset = needle.find('|').unwrap_or(0);
        let needle = needle.replace('|', "");
        let (i, _) = src
            .match_indices(&needle)
            .nth(nth)
            .expect("needle in source");
        let before = &src[..i + offset];
        let line = before.matches('\n').count() + 1;
        let col = before[before.rfind('\n').map_or(0, |j| j + 1)..]
            .chars()
            .count()
            + 1;
        (line, col)
    }

    /// The first occurrence of `needle`.
    fn at(src: &str, needle: &str) -> (usize, usize) {
        at_nth(src, needle, 0)
    }

    /// Asserts that `src` fails with a message containing `message`, pointing at `needle`.
    fn assert_err(src: &str, message: &str, needle: &str) -> ScenarioError {
        let e = err(src);
        assert!(
            e.message().contains(message),
            "message {:?} lacks {message:?}\n{}",
            e.message(),
            e.render()
        );
        assert_eq!(
            e.line_col(),
            Some(at(src, needle)),
            "wrong place:\n{}",
            e.render()
        );
        // The one-line form names the file, line and column.
        let (line, col) = at(src, needle);
        assert!(
            e.to_string()
                .starts_with(&format!("test.toml:{line}:{col}: ")),
            "{e}"
        );
        assert!(
            e.render().contains(&format!("test.toml:{line}:{col}")),
            "{}",
            e.render()
        );
        e
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn a_full_scenario_reads_into_si_values() {
        let src = r#"
[scenario]
name = "Al Asad, 8 January 2020"
description = "Every key, once."
epoch = 2020-01-08T01:30:00+03:00
duration = "2 h"
seed = 2020

[[asset]]
name = "Al Asad Air Base"
position = { lat = 33.7856, lon = 42.4412, alt = "188 m" }
radius = "1.5 km"
value = 10.0

[[asset]]
name = "Erbil Air Base"
position = { lat = "36.2375 deg", lon = 43.9631 }
radius = "1500 m"

[threat_type.Shahed-136]
kind = "uas"
reliability = 0.85
speed = "Mach 0.8"
altitude = "10 km"
max_range = "2000 km"
turn_rate = "5 deg/s"
dive_angle = "40 deg"
climb_angle = "15 deg"

[threat_type.Fateh-313]
kind = "ballistic"
reliability = 0.73
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "255 s"
diameter = "0.61 m"
body_drag_coefficient = 0.25
vertical_rise = "4 s"
reentry_vehicle = { mass = "500 kg", ballistic_coefficient = "12000 kg/m^2" }
drag_profile = [[0.0, 1.0], [1.2, 1.7], [5.0, 1.0]]

[[raid]]
threat_type = "Fateh-313"
count = 4
launch_site = { lat = 34.31, lon = 47.07, alt = "1320 m" }
aim = "Al Asad Air Base"
first_launch = "2020-01-07T22:35:00Z"
interval = "20 s"
cep = "30 m"
trajectory = "minimum-energy"

[[raid]]
threat_type = "Shahed-136"
count = 3
launch_site = { lat = 34.31, lon = 47.07 }
aim = { lat = 36.0, lon = 44.0, alt = "400 m" }
first_launch = "10 min"
interval = "3 min"
cep = "10 m"
waypoints = [{ lat = 35.0, lon = 46.0 }, { lat = 35.5, lon = 45.0, alt = "1 km" }]
"#;
        let sc = parse(src, "full.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(sc.name, "Al Asad, 8 January 2020");
        assert_eq!(sc.description, "Every key, once.");
        // 01:30 at UTC+3 is 22:30 UTC the day before.
        assert_eq!(sc.epoch, "2020-01-07T22:30:00Z");
        assert_eq!(sc.duration, SimDuration::from_secs(7200));
        assert_eq!(sc.seed, 2020);

        assert_eq!(sc.assets.len(), 2);
        let base = &sc.assets[0];
        assert_eq!(base.name, "Al Asad Air Base");
        assert_eq!(
            base.position,
            Geodetic::from_degrees(33.7856, 42.4412, 188.0)
        );
        assert_eq!(base.radius_m, 1500.0);
        assert_eq!(base.value, 10.0);
        let erbil = &sc.assets[1];
        assert!(close(erbil.position.lat_rad, 36.2375f64.to_radians()));
        assert!(close(erbil.position.lon_rad, 43.9631f64.to_radians()));
        assert_eq!(erbil.position.alt_m, 0.0);
        assert_eq!((erbil.radius_m, erbil.value), (1500.0, 1.0));

        // File order, not name order.
        let names: Vec<_> = sc.threat_types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Shahed-136", "Fateh-313"]);
        let uas = &sc.threat_types[0];
        assert_eq!(uas.reliability, 0.85);
        let ThreatKind::AirBreathing(a) = &uas.kind else {
            panic!("{:?}", uas.kind)
        };
        assert_eq!(a.class, AirClass::Uas);
        // X-Val: US Standard Atmosphere 1976, speed of sound at 10 km = 299.532 m/s.
        assert!(
            (a.speed_mps - 0.8 * 299.532).abs() < 1e-3,
            "{}",
            a.speed_mps
        );
        assert_eq!((a.cruise_alt_m, a.max_range_m), (10_000.0, 2_000_000.0));
        assert!(close(a.max_turn_rate_rad_s, 5f64.to_radians()));
        assert!(close(a.dive_angle_rad, 40f64.to_radians()));
        assert!(close(a.climb_angle_rad, 15f64.to_radians()));

        let fateh = &sc.threat_types[1];
        assert_eq!(fateh.reliability, 0.73);
        let ThreatKind::Ballistic(b) = &fateh.kind else {
            panic!("{:?}", fateh.kind)
        };
        assert_eq!((b.launch_mass_kg, b.propellant_mass_kg), (3450.0, 2330.0));
        assert_eq!((b.burn_time_s, b.isp_s, b.diameter_m), (32.0, 255.0, 0.61));
        assert_eq!((b.body_drag_coefficient, b.vertical_rise_s), (0.25, 4.0));
        assert_eq!(
            b.reentry_vehicle,
            Some(ReentryVehicle {
                mass_kg: 500.0,
                ballistic_coefficient_kg_m2: 12_000.0
            })
        );
        assert_eq!(
            b.drag_profile.points(),
            [(0.0, 1.0), (1.2, 1.7), (5.0, 1.0)]
        );

        assert_eq!(sc.raids.len(), 2);
        let r = &sc.raids[0];
        assert_eq!((r.threat_type, r.count), (1, 4));
        assert_eq!(r.launch_site, Geodetic::from_degrees(34.31, 47.07, 1320.0));
        assert_eq!(
            r.aim,
            AimPoint {
                point: base.position,
                asset: Some(0)
            }
        );
        assert_eq!(r.first_launch, SimDuration::from_secs(300));
        assert_eq!(r.interval, SimDuration::from_secs(20));
        assert_eq!(r.cep_m, 30.0);
        assert_eq!(r.trajectory, TrajectoryShape::MinimumEnergy);
        assert!(r.waypoints.is_empty());
        let nominal = r
            .ballistic_aim
            .expect("a ballistic raid has its nominal aim");
        let (env, max) = (nominal.envelope, nominal.max_range_m);
        let line = r.launch_site.geodesic_to(&r.aim.point);
        assert!(
            max >= line.distance_m && max == env.max_range_m,
            "{max} {env:?}"
        );
        assert!(close(env.azimuth_rad, line.azimuth1_rad));

        let r = &sc.raids[1];
        assert_eq!((r.threat_type, r.count), (0, 3));
        assert_eq!(r.launch_site, Geodetic::from_degrees(34.31, 47.07, 0.0));
        assert_eq!(
            r.aim,
            AimPoint {
                point: Geodetic::from_degrees(36.0, 44.0, 400.0),
                asset: None
            }
        );
        assert_eq!(r.first_launch, SimDuration::from_secs(600));
        assert_eq!(r.interval, SimDuration::from_secs(180));
        assert_eq!(r.cep_m, 10.0);
        assert_eq!(
            r.waypoints,
            [
                Geodetic::from_degrees(35.0, 46.0, 0.0),
                Geodetic::from_degrees(35.5, 45.0, 1000.0)
            ]
        );
        assert_eq!(r.ballistic_aim, None);
    }

    #[test]
    fn defaults_fill_in_optional_keys() {
        let sc = parse(BASE, "base.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!((sc.description.as_str(), sc.seed), ("", 1));
        assert_eq!(sc.assets[0].value, 1.0);
        let ty = &sc.threat_types[0];
        assert_eq!(ty.reliability, 1.0);
        let ThreatKind::AirBreathing(a) = &ty.kind else {
            panic!()
        };
        assert!(close(a.speed_mps, 185.0 / 3.6));
        assert!(close(a.max_turn_rate_rad_s, 3f64.to_radians()));
        assert!(close(a.dive_angle_rad, 30f64.to_radians()));
        assert!(close(a.climb_angle_rad, 10f64.to_radians()));

        let src = format!(
            "{BASE}{FATEH}\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = {{ lat = 34, lon = 47 }}\naim = \"Al Asad Air Base\"\n"
        );
        let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        let ThreatKind::Ballistic(b) = &sc.threat_types[1].kind else {
            panic!()
        };
        assert_eq!((b.body_drag_coefficient, b.vertical_rise_s), (0.3, 5.0));
        assert_eq!(
            (b.reentry_vehicle, &b.drag_profile),
            (None, &DragProfile::slender_body())
        );
        let r = &sc.raids[0];
        assert_eq!(
            (r.count, r.first_launch, r.interval, r.cep_m),
            (1, SimDuration::ZERO, SimDuration::ZERO, 0.0)
        );
        assert_eq!(r.trajectory, TrajectoryShape::MinimumEnergy);
    }

    #[test]
    fn a_full_radar_reads_into_si_values() {
        let src = r#"[scenario]
name = "Radars"
epoch = 2020-01-07T22:30:00Z
duration = "2 h"

[threat_type.Shahed-136]
kind = "uas"
rcs = "-10 dBsm"
swerling = 3
speed = "185 km/h"
altitude = "1 km"
max_range = "2000 km"

[threat_type.Fateh-313]
kind = "ballistic"
rcs = "0.05 m²"
swerling = 0
launch_mass = "3450 kg"
propellant_mass = "2330 kg"
burn_time = "32 s"
isp = "255 s"
diameter = "0.61 m"

[[radar]]
name = "AN/MPQ-65"
position = { lat = 33.79, lon = 42.44, alt = "190 m" }
antenna_height = "4 m"
boresight = "-30 deg"
azimuth_span = "120 deg"
elevation_min = "-2 deg"
elevation_max = "70 deg"
range_min = "3 km"
range_max = "170 km"
revisit = "2.2 s"
track_revisit = "100 ms"
first_scan = 2020-01-07T22:30:01.5Z
range_resolution = "30 m"
beamwidth = "1.7 deg"
range_rate_resolution = "2 m/s"
pfa = 1e-5
reference_range = "100 km"
reference_rcs = "-10 dBsm"
reference_pd = 0.9
reference_swerling = 3
range_noise_floor = "5 m"
angle_noise_floor = "0.1 mrad"
range_rate_noise_floor = "0.2 m/s"
monopulse_slope = 1.4

[[radar]]
name = "Sentinel"
position = { lat = 33.8, lon = 42.5 }
range_max = "75 km"
revisit = "3 s"
range_resolution = "150 m"
beamwidth = "2 deg"
reference_range = "40 km"
"#;
        let sc = parse(src, "radars.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        let uas = &sc.threat_types[0];
        // -10 dBsm = 10^(-10/10) m².
        assert!(close(uas.rcs_m2, 0.1), "{}", uas.rcs_m2);
        assert_eq!(uas.swerling, Swerling::Three);
        let fateh = &sc.threat_types[1];
        assert_eq!((fateh.rcs_m2, fateh.swerling), (0.05, Swerling::Zero));

        assert_eq!(sc.radars.len(), 2);
        let r = &sc.radars[0];
        assert_eq!(r.name, "AN/MPQ-65");
        assert_eq!(r.site, Geodetic::from_degrees(33.79, 42.44, 190.0));
        assert_eq!(r.antenna_height_m, 4.0);
        // -30 deg is 330 deg clockwise from north.
        assert!(
            close(r.boresight_rad, 330f64.to_radians()),
            "{}",
            r.boresight_rad
        );
        assert!(close(r.azimuth_span_rad, 120f64.to_radians()));
        assert!(close(r.elevation_min_rad, (-2f64).to_radians()));
        assert!(close(r.elevation_max_rad, 70f64.to_radians()));
        assert_eq!((r.range_min_m, r.range_max_m), (3_000.0, 170_000.0));
        // Times are exact nanoseconds.
        assert_eq!(r.revisit.as_nanos(), 2_200_000_000);
        assert_eq!(r.track_revisit.as_nanos(), 100_000_000);
        assert_eq!(r.first_scan.as_nanos(), 1_500_000_000);
        assert_eq!(r.range_resolution_m, 30.0);
        assert!(close(r.beamwidth_rad, 1.7f64.to_radians()));
        assert_eq!((r.range_rate_resolution_mps, r.pfa), (2.0, 1e-5));
        let s = &r.sensitivity;
        assert_eq!(s.range_m, 100_000.0);
        assert!(close(s.rcs_m2, 0.1), "{}", s.rcs_m2);
        assert_eq!((s.pd, s.swerling), (0.9, Swerling::Three));
        assert_eq!(r.range_noise_floor_m, 5.0);
        assert!(
            close(r.angle_noise_floor_rad, 1e-4),
            "{}",
            r.angle_noise_floor_rad
        );
        assert_eq!(
            (r.range_rate_noise_floor_mps, r.monopulse_slope),
            (0.2, 1.4)
        );

        // The defaults.
        let r = &sc.radars[1];
        assert_eq!(r.name, "Sentinel");
        assert_eq!(r.site, Geodetic::from_degrees(33.8, 42.5, 0.0));
        assert_eq!((r.antenna_height_m, r.boresight_rad), (0.0, 0.0));
        assert_eq!(r.azimuth_span_rad, TAU);
        assert_eq!(r.elevation_min_rad, 0.0);
        assert!(close(r.elevation_max_rad, 85f64.to_radians()));
        assert_eq!((r.range_min_m, r.range_max_m), (1_000.0, 75_000.0));
        assert_eq!(r.revisit, SimDuration::from_secs(3));
        assert_eq!(r.track_revisit, r.revisit);
        assert_eq!(r.first_scan, SimDuration::ZERO);
        assert_eq!(
            (r.range_resolution_m, r.range_rate_resolution_mps),
            (150.0, 5.0)
        );
        assert!(close(r.beamwidth_rad, 2f64.to_radians()));
        assert_eq!(r.pfa, 1e-6);
        assert_eq!(
            r.sensitivity,
            Sensitivity {
                range_m: 40_000.0,
                rcs_m2: 1.0,
                pd: 0.5,
                swerling: Swerling::One
            }
        );
        assert_eq!(
            (r.range_noise_floor_m, r.range_rate_noise_floor_mps),
            (1.0, 0.5)
        );
        assert!(close(r.angle_noise_floor_rad, 1e-4));
        assert_eq!(r.monopulse_slope, 1.6);
    }

    #[test]
    fn rcs_is_required_only_when_there_are_radars() {
        let src = format!("{BASE}{RADAR}");
        let e = assert_err(
            &src,
            "missing required key `rcs` in [threat_type.Shahed-136] (every threat type needs a \
             radar cross-section when the scenario has radars)",
            "[threat_type.Shahed-136]",
        );
        assert_eq!(
            e.message(),
            "missing required key `rcs` in [threat_type.Shahed-136] (every threat type needs a \
             radar cross-section when the scenario has radars)"
        );

        // Without radars it defaults to 1 m², Swerling 1.
        let sc = parse(BASE, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        assert!(sc.radars.is_empty());
        let ty = &sc.threat_types[0];
        assert_eq!((ty.rcs_m2, ty.swerling), (1.0, Swerling::One));

        let sc = parse(&with_radar(), "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        let ty = &sc.threat_types[0];
        assert_eq!((ty.rcs_m2, ty.swerling), (0.1, Swerling::One));
        assert_eq!(sc.radars.len(), 1);

        let src = with_radar().replace("\"0.1 m^2\"", "\"0 m^2\"");
        assert_err(
            &src,
            "rcs must be greater than 0, found \"0 m^2\"",
            "\"0 m^2\"",
        );
        let src = with_radar().replace("\"0.1 m^2\"", "0.1");
        let e = assert_err(&src, "rcs needs a unit, e.g. \"0.1 m^2\"", "rcs = |0.1");
        assert_eq!(e.help(), Some("area units: m^2 or m², dBsm"));
        let src = with_radar().replace("\"0.1 m^2\"", "\"0.1 m\"");
        assert_err(
            &src,
            "rcs: expected an area (m^2), found a length",
            "\"0.1 m\"",
        );
    }

    #[test]
    fn decibels_relative_to_a_square_metre() {
        let rcs = |text: &str| {
            let src = with_radar().replace("\"0.1 m^2\"", text);
            parse(&src, "t.toml")
                .map(|sc| sc.threat_types[0].rcs_m2)
                .map_err(|e| e.render())
        };
        // X-Val: 10^(x/10) m²; -10 dBsm = 0.1 m², 0 dBsm = 1 m², 20 dBsm = 100 m².
        assert!(rcs("\"-10 dBsm\"").is_ok_and(|x| close(x, 0.1)));
        assert!(rcs("\"-10dBsm\"").is_ok_and(|x| close(x, 0.1)));
        assert_eq!(rcs("\"0 dBsm\""), Ok(1.0));
        assert!(rcs("\"20 dBsm\"").is_ok_and(|x| close(x, 100.0)));
        assert!(rcs("\"-13.5 dBsm\"").is_ok_and(|x| close(x, 10f64.powf(-1.35))));

        let src = with_radar().replace("\"0.1 m^2\"", "\"-10 dbsm\"");
        let e = assert_err(&src, "rcs: unknown unit `dbsm`", "\"-10 dbsm\"");
        assert_eq!(e.help(), Some("did you mean `dBsm`?"));
        let src = with_radar().replace("\"0.1 m^2\"", "\"-10 dB\"");
        let e = assert_err(&src, "rcs: unknown unit `dB`", "\"-10 dB\"");
        assert_eq!(e.help(), Some("did you mean `dBsm`?"));
        let src = with_radar().replace("\"0.1 m^2\"", "\"low dBsm\"");
        assert_err(
            &src,
            "rcs: expected a number of decibels before `dBsm`, found `low`",
            "\"low dBsm\"",
        );
        let src = with_radar().replace("\"0.1 m^2\"", "\"inf dBsm\"");
        assert_err(&src, "rcs: expected a number of decibels", "\"inf dBsm\"");
        let src = with_radar().replace("\"0.1 m^2\"", "\"dBsm\"");
        assert_err(
            &src,
            "rcs: expected a number of decibels before `dBsm`, found nothing",
            "\"dBsm\"",
        );
        // So small that it is 0 m².
        let src = with_radar().replace("\"0.1 m^2\"", "\"-4000 dBsm\"");
        assert_err(&src, "rcs must be greater than 0", "\"-4000 dBsm\"");
        let src = format!("{}reference_rcs = \"10 dBsm\"\n", with_radar());
        let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        assert!(close(sc.radars[0].sensitivity.rcs_m2, 10.0));
    }

    #[test]
    fn swerling_cases_are_0_1_or_3() {
        let src = with_radar().replace("kind = \"uas\"", "kind = \"uas\"\nswerling = 2");
        let e = assert_err(&src, "swerling must be 0, 1 or 3, found 2", "swerling = |2");
        assert_eq!(e.message(), "swerling must be 0, 1 or 3, found 2");
        assert!(
            e.help().is_some_and(|h| h.contains("0 (no fluctuation)")),
            "{}",
            e.render()
        );

        let src = with_radar().replace("kind = \"uas\"", "kind = \"uas\"\nswerling = \"1\"");
        assert_err(
            &src,
            "swerling must be the whole number 0, 1 or 3, found a string",
            "\"1\"",
        );

        let src = format!("{}reference_swerling = 4\n", with_radar());
        assert_err(
            &src,
            "reference_swerling must be 0, 1 or 3, found 4",
            "reference_swerling = |4",
        );
    }

    #[test]
    fn radar_coverage_must_be_consistent() {
        let radar = with_radar();
        let cases = [
            (
                "elevation_min = \"20 deg\"\nelevation_max = \"20 deg\"\n",
                "elevation_max must be in (20, 90] deg, found \"20 deg\"",
                "elevation_max = |\"20 deg\"",
            ),
            (
                "elevation_min = \"20 deg\"\nelevation_max = \"10 deg\"\n",
                "elevation_max must be in (20, 90] deg, found \"10 deg\"",
                "\"10 deg\"",
            ),
            (
                "elevation_min = \"86 deg\"\n",
                "elevation_min must be less than elevation_max (85 deg, its default), found \"86 deg\"",
                "\"86 deg\"",
            ),
            (
                "elevation_min = \"-11 deg\"\n",
                "elevation_min must be in [-10, 90) deg, found \"-11 deg\"",
                "\"-11 deg\"",
            ),
            (
                "range_min = \"1000000 m\"\n",
                "range_min must be in [0, 1000000) m, found \"1000000 m\"",
                "\"1000000 m\"",
            ),
            (
                "range_min = \"1200 km\"\n",
                "range_min must be in [0, 1000000) m, found \"1200 km\"",
                "\"1200 km\"",
            ),
            (
                "azimuth_span = \"0 deg\"\n",
                "azimuth_span must be in (0, 360] deg, found \"0 deg\"",
                "\"0 deg\"",
            ),
            (
                "azimuth_span = \"361 deg\"\n",
                "azimuth_span must be in (0, 360] deg, found \"361 deg\"",
                "\"361 deg\"",
            ),
            (
                "beamwidth = \"91 deg\"\n",
                "beamwidth must be in (0, 90] deg, found \"91 deg\"",
                "\"91 deg\"",
            ),
            (
                "first_scan = \"2 h\"\n",
                "this radar's first scan is at 7200 s after the epoch, not before the end of the scenario at 7200 s",
                "first_scan = |\"2 h\"",
            ),
            (
                "first_scan = 2020-01-07T22:00:00Z\n",
                "first_scan is 1800 s before the epoch 2020-01-07T22:30:00Z",
                "2020-01-07T22:00:00Z",
            ),
            (
                "revisit = \"0 s\"\n",
                "revisit must be greater than 0, found \"0 s\"",
                "\"0 s\"",
            ),
        ];
        for (keys, message, needle) in cases {
            // A later key replaces the radar's own (`beamwidth`, `revisit`).
            let mut src = radar.clone();
            for line in keys.lines() {
                let name = line.split(' ').next().unwrap_or("");
                src = src
                    .lines()
                    .filter(|l| !l.starts_with(&format!("{name} ")))
                    .map(|l| format!("{l}\n"))
                    .collect();
            }
            src.push_str(keys);
            let e = assert_err(&src, message, needle);
            assert_eq!(e.message(), message);
        }

        // The default range_min (1 km) must be below range_max.
        let src = radar.replace("range_max = \"1000 km\"", "range_max = \"800 m\"");
        assert_err(
            &src,
            "range_max must be greater than range_min (1000 m, its default), found \"800 m\"",
            "\"800 m\"",
        );
        // 360 deg is all round; boresights wrap.
        let src = format!("{radar}azimuth_span = \"360 deg\"\nboresight = \"725 deg\"\n");
        let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(sc.radars[0].azimuth_span_rad, TAU);
        assert!(close(sc.radars[0].boresight_rad, 5f64.to_radians()));
    }

    #[test]
    fn radar_probabilities_must_be_in_range() {
        let radar = with_radar();
        let src = format!("{radar}pfa = 0\n");
        assert_err(&src, "pfa must be in (0, 0.1], found 0", "pfa = |0");
        let src = format!("{radar}pfa = 0.2\n");
        assert_err(&src, "pfa must be in (0, 0.1], found 0.2", "pfa = |0.2");
        let src = format!("{radar}pfa = \"1e-6 s\"\n");
        assert_err(&src, "pfa is a plain number without a unit", "\"1e-6 s\"");

        let src = format!("{radar}pfa = 0.01\nreference_pd = 0.01\n");
        assert_err(
            &src,
            "reference_pd must be in (0.01, 1), found 0.01",
            "reference_pd = |0.01",
        );
        let src = format!("{radar}pfa = 0.01\nreference_pd = 0.005\n");
        assert_err(
            &src,
            "reference_pd must be in (0.01, 1), found 0.005",
            "reference_pd = |0.005",
        );
        let src = format!("{radar}reference_pd = 1.0\n");
        assert_err(
            &src,
            "reference_pd must be in (0.000001, 1), found 1.0",
            "reference_pd = |1.0",
        );
        let src = format!("{radar}monopulse_slope = 0\n");
        assert_err(
            &src,
            "monopulse_slope must be greater than 0, found 0",
            "monopulse_slope = |0",
        );
    }

    #[test]
    fn radar_names_are_unique_and_keys_known() {
        let second = RADAR.replace("lat = 33.9", "lat = 34.0");
        let src = format!("{}{second}", with_radar());
        let e = err(&src);
        assert_eq!(e.message(), "duplicate radar name `TPY-2`");
        assert_eq!(
            e.line_col(),
            Some(at_nth(&src, "\"TPY-2\"", 1)),
            "{}",
            e.render()
        );
        assert_eq!(
            e.help(),
            Some("[[radar]] #1 has this name; radar names must be unique")
        );

        let src = with_radar().replace("beamwidth =", "beamwidht =");
        let e = assert_err(&src, "unknown key `beamwidht`", "beamwidht");
        assert_eq!(e.help(), Some("did you mean `beamwidth`?"));

        let src = with_radar().replace("revisit = \"2 s\"\n", "");
        assert_err(
            &src,
            "missing required key `revisit` in [[radar]] #1",
            "[[radar]]",
        );
        let src = with_radar().replace(", lon = 42.7", "");
        assert_err(
            &src,
            "missing required key `lon` in `position` of [[radar]] #1",
            "{ lat = 33.9",
        );
        let src = with_radar().replace("\"TPY-2\"", "\" \"");
        assert_err(&src, "the radar name is empty", "\" \"");
    }

    #[test]
    fn the_shipped_scenarios_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        for name in ["tutorial.toml", "al-asad-2020.toml", "drone-swarm.toml"] {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            if let Err(e) = load(&path) {
                panic!("{}", e.render());
            }
        }
    }

    #[test]
    fn malformed_toml_is_reported_where_the_parser_stopped() {
        let src = format!("{BASE}\n[raid]\nthreat_type = \"Shahed-136\"\n");
        let e = assert_err(&src, "invalid type: table, expected an array", "[raid]");
        assert_eq!(
            e.help(),
            Some("each entry is a table of an array: write [[raid]] with double brackets")
        );

        let src = "[scenario]\nname = \"x\nepoch = 2020-01-07T22:30:00Z\n";
        let e = err(src);
        assert!(e.message().contains("string"), "{}", e.render());
        assert_eq!(e.line_col(), Some((2, 10)), "{}", e.render());
        let src = "[scenario]\nname = \"x\"\n[scenario]\n";
        assert_err(src, "duplicate key", "name = \"x\"\n[|scenario]");
    }

    #[test]
    fn unknown_keys_suggest_the_closest_one() {
        let src = BASE.replace("radius =", "radus =");
        let e = assert_err(&src, "unknown key `radus`", "radus");
        assert_eq!(e.help(), Some("did you mean `radius`?"));

        let src = format!("{BASE}\n[[battery]]\nname = \"Patriot\"\n");
        let e = assert_err(&src, "unknown key `battery`", "battery");
        assert_eq!(
            e.help(),
            Some(
                "expected one of `scenario`, `asset`, `threat_type`, `raid`, `radar`, \
                 `interceptor_type`, `fire_unit`"
            )
        );

        let src = format!("{BASE}\n[[fire_units]]\nname = \"Patriot\"\n");
        let e = assert_err(&src, "unknown key `fire_units`", "fire_units");
        assert_eq!(e.help(), Some("did you mean `fire_unit`?"));

        let src = BASE.replace("alt = \"188 m\"", "altitude = \"188 m\"");
        let e = assert_err(&src, "unknown key `altitude`", "altitude = \"188");
        assert_eq!(e.help(), Some("did you mean `alt`?"));
    }

    #[test]
    fn a_key_of_another_kind_says_which_kind_it_belongs_to() {
        let src = BASE.replace("max_range =", "launch_mass = \"3 t\"\nmax_range =");
        let e = assert_err(
            &src,
            "unknown key `launch_mass` for a uas threat type",
            "launch_mass",
        );
        assert!(
            e.label().is_some_and(|l| l.contains("ballistic")),
            "{}",
            e.render()
        );

        let src =
            format!("{BASE}{FATEH}").replace("diameter =", "turn_rate = \"3 deg/s\"\ndiameter =");
        let e = assert_err(
            &src,
            "unknown key `turn_rate` for a ballistic threat type",
            "turn_rate",
        );
        assert!(
            e.label().is_some_and(|l| l.contains("air-breathing")),
            "{}",
            e.render()
        );
    }

    #[test]
    fn missing_keys_name_the_key_and_the_section() {
        let src = BASE.replace("radius = \"1500 m\"\n", "");
        assert_err(
            &src,
            "missing required key `radius` in [[asset]] #1",
            "[[asset]]",
        );

        let src = BASE.replace("epoch = 2020-01-07T22:30:00Z\n", "");
        assert_err(
            &src,
            "missing required key `epoch` in [scenario]",
            "[scenario]",
        );

        let src = BASE.replace("lon = 42.4412, ", "");
        assert_err(
            &src,
            "missing required key `lon` in `position` of [[asset]] #1",
            "{ lat = 33",
        );

        let src = format!("{BASE}{FATEH}").replace("isp = \"255 s\"\n", "");
        assert_err(
            &src,
            "missing required key `isp` in [threat_type.Fateh-313]",
            "[threat_type.Fateh",
        );

        let src =
            format!("{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\naim = \"Al Asad Air Base\"\n");
        assert_err(
            &src,
            "missing required key `launch_site` in [[raid]] #1",
            "[[raid]]",
        );
    }

    #[test]
    fn quantities_need_units_of_the_right_kind() {
        let src = BASE.replace("radius = \"1500 m\"", "radius = 1500");
        let e = assert_err(&src, "radius needs a unit, e.g. \"1500 m\"", "1500\n");
        assert_eq!(e.message(), "radius needs a unit, e.g. \"1500 m\"");

        let src = BASE.replace("radius = \"1500 m\"", "radius = \"1500\"");
        assert_err(&src, "radius needs a unit, e.g. \"1500 m\"", "\"1500\"");

        let src = BASE.replace("radius = \"1500 m\"", "radius = \"3 s\"");
        let e = assert_err(
            &src,
            "expected a length (m, km, nmi, ft), found a time",
            "\"3 s\"",
        );
        assert_eq!(
            e.message(),
            "radius: expected a length (m, km, nmi, ft), found a time"
        );

        let src = BASE.replace("duration = \"2 h\"", "duration = \"2 hr\"");
        let e = assert_err(&src, "duration: unknown unit `hr`", "\"2 hr\"");
        assert_eq!(e.help(), Some("did you mean `h`?"));

        let src = BASE.replace("radius = \"1500 m\"", "radius = \"1500 parsecs\"");
        let e = assert_err(&src, "radius: unknown unit `parsecs`", "\"1500 parsecs\"");
        assert_eq!(e.help(), Some("length units: m, km, nmi, ft"));

        let src = BASE.replace("radius = \"1500 m\"", "radius = true");
        assert_err(
            &src,
            "radius must be a length such as \"1500 m\", found a boolean",
            "true",
        );

        let src = BASE.replace("speed = \"185 km/h\"", "speed = \"Mach\"");
        assert_err(&src, "speed: ", "\"Mach\"");

        // A plain number must not carry a unit.
        let src = BASE.replace(
            "radius = \"1500 m\"",
            "radius = \"1500 m\"\nvalue = \"2 kg\"",
        );
        assert_err(&src, "value is a plain number without a unit", "\"2 kg\"");
    }

    #[test]
    fn values_out_of_range_name_the_field_and_the_range() {
        let src = BASE.replace("radius = \"1500 m\"", "radius = \"-1.5 km\"");
        let e = assert_err(
            &src,
            "radius must be greater than 0, found \"-1.5 km\"",
            "\"-1.5 km\"",
        );
        assert_eq!(
            e.message(),
            "radius must be greater than 0, found \"-1.5 km\""
        );

        let src = BASE.replace("duration = \"2 h\"", "duration = \"0 s\"");
        assert_err(&src, "duration must be greater than 0", "\"0 s\"");

        let src = BASE.replace("lat = 33.7856", "lat = 95");
        assert_err(&src, "lat must be in [-90, 90] deg, found 95", "95");

        let src = BASE.replace("lon = 42.4412", "lon = \"-181 deg\"");
        assert_err(
            &src,
            "lon must be in [-180, 180] deg, found \"-181 deg\"",
            "\"-181 deg\"",
        );

        let src = BASE.replace("kind = \"uas\"", "kind = \"uas\"\nreliability = 1.2");
        assert_err(&src, "reliability must be in [0, 1], found 1.2", "1.2");
        let src = BASE.replace("radius = \"1500 m\"", "radius = \"1500 m\"\nvalue = inf");
        assert_err(&src, "value must be greater than 0, found inf", "inf");

        let src = BASE.replace("max_range =", "dive_angle = \"95 deg\"\nmax_range =");
        assert_err(
            &src,
            "dive_angle must be in (0, 90] deg, found \"95 deg\"",
            "\"95 deg\"",
        );

        let src = BASE.replace("max_range =", "climb_angle = \"90 deg\"\nmax_range =");
        assert_err(&src, "climb_angle must be in (0, 90) deg", "\"90 deg\"");

        let src = BASE.replace("duration = \"2 h\"", "duration = \"2 h\"\nseed = -3");
        assert_err(&src, "seed must be at least 0, found -3", "-3");

        let src = format!("{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\ncount = 0\n");
        assert_err(&src, "count must be at least 1, found 0", "0\n");

        let src = format!("{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\ncount = 2.5\n");
        assert_err(&src, "count must be a whole number, found a number", "2.5");
    }

    #[test]
    fn propellant_must_fit_in_the_launch_mass() {
        let src = format!("{BASE}{FATEH}").replace("\"2330 kg\"", "\"3450 kg\"");
        assert_err(
            &src,
            "propellant_mass (3450 kg) must be less than launch_mass (3450 kg)",
            "\"3450 kg\"\nburn",
        );

        let src = format!("{BASE}{FATEH}")
            .replace("diameter =", "reentry_vehicle = { mass = \"1200 kg\", ballistic_coefficient = \"1 t/m^2\" }\ndiameter =");
        // The re-entry vehicle's units are checked first.
        assert_err(
            &src,
            "ballistic_coefficient: unknown unit `t/m^2`",
            "\"1 t/m^2\"",
        );
        let src = src.replace("\"1 t/m^2\"", "\"10000 kg/m^2\"");
        assert_err(
            &src,
            "must be less than launch_mass minus the re-entry vehicle's mass (3450 − 1200 = 2250 kg)",
            "\"2330 kg\"",
        );
    }

    #[test]
    fn a_missile_that_cannot_lift_off_is_an_error_on_its_type() {
        let src = format!("{BASE}{FATEH}").replace("\"255 s\"", "\"20 s\"");
        assert_err(&src, "Fateh-313 cannot lift off", "Fateh-313]");
    }

    #[test]
    fn bad_threat_kinds_trajectories_and_drag_profiles() {
        let src = BASE.replace("kind = \"uas\"", "kind = \"usa\"");
        let e = assert_err(&src, "unknown threat kind `usa`", "\"usa\"");
        assert_eq!(e.help(), Some("did you mean `uas`?"));

        let src = format!("{BASE}{FATEH}drag_profile = [[0.0, 1.0], [0.0, 1.2]]\n");
        assert_err(&src, "invalid drag_profile", "[[0.0, 1.0]");
        let src = format!("{BASE}{FATEH}drag_profile = [[0.0, 1.0], [2.0]]\n");
        assert_err(
            &src,
            "drag_profile entries are [Mach, Cd/Cd_ref] pairs",
            "[2.0]",
        );

        let raid = "\n[[raid]]\nthreat_type = \"Fateh-313\"\nlaunch_site = { lat = 34, lon = 47 }\naim = \"Al Asad Air Base\"\n";
        let src = format!("{BASE}{FATEH}{raid}trajectory = \"loftd\"\n");
        let e = assert_err(&src, "unknown trajectory `loftd`", "\"loftd\"");
        assert_eq!(e.help(), Some("did you mean `lofted`?"));
    }

    #[test]
    fn raid_keys_of_the_wrong_kind_are_errors() {
        let drone = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = \"Al Asad Air Base\"\n";
        let src = format!("{BASE}{drone}trajectory = \"lofted\"\n");
        assert_err(
            &src,
            "`trajectory` applies only to ballistic threat types; Shahed-136 is uas",
            "trajectory =",
        );

        let missile = drone.replace("Shahed-136", "Fateh-313");
        let src = format!("{BASE}{FATEH}{missile}waypoints = [{{ lat = 34, lon = 45 }}]\n");
        assert_err(
            &src,
            "`waypoints` applies only to air-breathing",
            "waypoints =",
        );
    }

    #[test]
    fn undefined_names_suggest_the_closest_one() {
        let raid = "\n[[raid]]\nthreat_type = \"Shahed136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = \"Al Asad Air Base\"\n";
        let src = format!("{BASE}{raid}");
        let e = assert_err(&src, "undefined threat type `Shahed136`", "\"Shahed136\"");
        assert_eq!(e.help(), Some("did you mean `Shahed-136`?"));

        let src = src
            .replace("\"Shahed136\"", "\"Shahed-136\"")
            .replace("aim = \"Al Asad Air Base\"", "aim = \"Al Asad\"");
        let e = assert_err(&src, "undefined asset `Al Asad`", "aim = |\"Al Asad\"");
        assert_eq!(e.help(), Some("did you mean `Al Asad Air Base`?"));

        let src = src.replace("\"Al Asad\"\n", "\"Erbil\"\n");
        let e = assert_err(&src, "undefined asset `Erbil`", "\"Erbil\"");
        assert_eq!(e.help(), Some("defined: `Al Asad Air Base`"));
    }

    #[test]
    fn duplicate_asset_names_are_errors() {
        let asset = "\n[[asset]]\nname = \"Al Asad Air Base\"\nposition = { lat = 33, lon = 42 }\nradius = \"1 km\"\n";
        let src = BASE.replace("\n[threat_type", &format!("{asset}\n[threat_type"));
        let e = err(&src);
        assert_eq!(e.message(), "duplicate asset name `Al Asad Air Base`");
        assert_eq!(
            e.line_col(),
            Some(at_nth(&src, "\"Al Asad Air Base\"", 1)),
            "{}",
            e.render()
        );
        assert_eq!(
            e.help(),
            Some("[[asset]] #1 has this name; asset names must be unique")
        );
    }

    #[test]
    fn launches_must_fall_before_the_end_of_the_scenario() {
        let raid = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 43 }\naim = \"Al Asad Air Base\"\n";
        let src =
            format!("{BASE}{raid}count = 10\nfirst_launch = \"1 h\"\ninterval = \"10 min\"\n");
        assert_err(
            &src,
            "the last of this raid's 10 launches is at 9000 s after the epoch, not before the end of the scenario at 7200 s",
            "\"10 min\"",
        );

        let src = format!("{BASE}{raid}first_launch = 2020-01-08T00:30:00Z\n");
        assert_err(
            &src,
            "this raid launches at 7200 s after the epoch",
            "2020-01-08T00:30:00Z",
        );

        let src = format!("{BASE}{raid}first_launch = 2020-01-07T22:00:00Z\n");
        assert_err(
            &src,
            "first_launch is 1800 s before the epoch 2020-01-07T22:30:00Z",
            "2020-01-07T22:00:00Z",
        );

        let src = format!("{BASE}{raid}first_launch = \"-5 s\"\n");
        assert_err(&src, "first_launch must be 0 or more", "\"-5 s\"");
    }

    #[test]
    fn the_epoch_must_be_a_utc_instant() {
        let src = BASE.replace("2020-01-07T22:30:00Z", "2020-01-07T22:30:00");
        let e = assert_err(
            &src,
            "epoch must be a date, a time and a UTC offset",
            "2020-01-07T22:30:00",
        );
        assert!(e.help().is_some_and(|h| h.contains('Z')));

        let src = BASE.replace("2020-01-07T22:30:00Z", "\"7 Jan 2020\"");
        assert_err(
            &src,
            "epoch: `7 Jan 2020` is not an RFC 3339 date and time",
            "\"7 Jan",
        );

        let src = BASE.replace("2020-01-07T22:30:00Z", "\"2020-01-07T23:30:00.250+01:00\"");
        let sc = parse(&src, "t.toml").unwrap_or_else(|e| panic!("{}", e.render()));
        assert_eq!(sc.epoch, "2020-01-07T22:30:00.25Z");
    }

    #[test]
    fn aim_points_beyond_the_maximum_range_state_it() {
        // Tehran to Al Asad is about 830 km, beyond a Fateh-313's 520 km or so.
        let raid = "\n[[raid]]\nthreat_type = \"Fateh-313\"\nlaunch_site = { lat = 35.69, lon = 51.39 }\naim = \"Al Asad Air Base\"\n";
        let src = format!("{BASE}{FATEH}{raid}");
        let e = assert_err(
            &src,
            "km from the launch site, beyond Fateh-313's maximum range of ",
            "aim = |\"Al Asad Air Base\"",
        );
        assert!(e.message().starts_with("aim point is 8"), "{}", e.message());
        assert!(
            e.message().ends_with("km for a minimum-energy trajectory"),
            "{}",
            e.message()
        );

        // A drone route through a far waypoint.
        let drone = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = { lat = 33.8, lon = 42.4 }\nwaypoints = [{ lat = 50, lon = 10 }]\n";
        let src = format!("{BASE}{drone}");
        assert_err(
            &src,
            "the route from the launch site through 1 waypoint to the aim point is",
            "{ lat = 33.8",
        );
        let e = err(&src);
        assert!(
            e.message()
                .ends_with("beyond Shahed-136's maximum range of 2000.0 km"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn a_revisit_that_rounds_to_zero_and_a_huge_count_are_errors() {
        let src = format!(
            "{BASE}\n[[raid]]\nthreat_type = \"Shahed-136\"\ncount = 100001\nlaunch_site = {{ lat = 34, lon = 47 }}\naim = \"Al Asad Air Base\"\n"
        );
        assert_err(&src, "count must be at most 100000, found 100001", "100001");
        let src = BASE.replace("duration = \"2 h\"", "duration = \"0.1 ns\"");
        assert_err(
            &src,
            "duration must be at least 1 ns, found \"0.1 ns\"",
            "\"0.1 ns\"",
        );
    }

    #[test]
    fn aim_points_a_shape_cannot_reach_or_a_drone_cannot_dive_on() {
        // 5 km from the launcher is inside even the shortest burn's range.
        let raid = "\n[[raid]]\nthreat_type = \"Fateh-313\"\nlaunch_site = { lat = 33.80, lon = 42.50 }\naim = \"Al Asad Air Base\"\n";
        let src = format!("{BASE}{FATEH}{raid}");
        let e = assert_err(
            &src,
            "closer than Fateh-313's shortest minimum-energy range of ",
            "aim = |\"Al Asad Air Base\"",
        );
        assert!(
            e.message()
                .starts_with("aim point is 5.7 km from the launch site"),
            "{}",
            e.message()
        );

        // A drone cruising at 1 km cannot dive onto a point 1.5 km high.
        let drone = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 47 }\naim = { lat = 33.8, lon = 42.4, alt = \"1.5 km\" }\n";
        let src = format!("{BASE}{drone}");
        assert_err(
            &src,
            "the aim point is 1500 m high, not below Shahed-136's cruise altitude of 1000 m",
            "{ lat = 33.8",
        );
    }

    #[test]
    fn empty_files_and_files_without_a_scenario_section() {
        let e = err("");
        assert_eq!(
            (e.message(), e.line_col()),
            ("the scenario file is empty", Some((1, 1)))
        );
        assert!(e.render().contains("test.toml"), "{}", e.render());
        let e = err("  \n\t\n");
        assert_eq!(e.message(), "the scenario file is empty");

        let src = "# just a comment\n\n[[asset]]\nname = \"x\"\n";
        let e = err(src);
        assert_eq!(
            (e.message(), e.line_col()),
            ("the file has no [scenario] section", Some((1, 1)))
        );
        assert!(e.help().is_some_and(|h| h.contains("epoch")));
    }

    /// A file in the temporary directory, removed when dropped.
    struct TempFile(std::path::PathBuf);
    impl TempFile {
        fn new(name: &str, bytes: &[u8]) -> Self {
            let path = std::env::temp_dir().join(format!("rampart-{}-{name}", std::process::id()));
            std::fs::write(&path, bytes).expect("write a temporary file");
            TempFile(path)
        }
    }
    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn load_rejects_files_that_are_not_text() {
        let f = TempFile::new("latin1.toml", b"[scenario]\nname = \"Caf\xe9\"\n");
        let e = load(&f.0).expect_err("not UTF-8");
        assert!(
            e.message().contains("not UTF-8 text: byte 22 (0xe9)"),
            "{}",
            e.render()
        );
        assert_eq!(e.line_col(), Some((2, 12)));
        assert!(
            e.to_string()
                .starts_with(&format!("{}:2:12: ", f.0.display())),
            "{e}"
        );

        let f = TempFile::new("nul.toml", b"[scenario]\nname = \"a\0b\"\n");
        let e = load(&f.0).expect_err("NUL");
        assert!(
            e.message().contains("contains a NUL byte at byte 20"),
            "{}",
            e.render()
        );
        assert_eq!(e.line_col(), Some((2, 10)));

        let f = TempFile::new("empty.toml", b"");
        let e = load(&f.0).expect_err("empty");
        assert!(
            e.to_string().ends_with(":1:1: the scenario file is empty"),
            "{e}"
        );

        let f = TempFile::new(
            "bad.toml",
            BASE.replace("radius = \"1500 m\"", "radius = 1500")
                .as_bytes(),
        );
        let e = load(&f.0).expect_err("needs a unit");
        assert_eq!(e.file(), f.0.display().to_string());

        let missing = std::env::temp_dir().join("rampart-no-such-file.toml");
        let e = load(&missing).expect_err("unreadable");
        assert!(
            e.message().starts_with("cannot read the scenario file"),
            "{e}"
        );
        assert!(
            e.to_string().starts_with(&missing.display().to_string()),
            "{e}"
        );
        let _ = e.render();
    }

    #[test]
    fn rendered_errors_show_the_snippet_and_the_help() {
        let src = BASE.replace("radius = \"1500 m\"", "radius = 1500");
        let r = err(&src).render();
        let expected = "\
error: radius needs a unit, e.g. \"1500 m\"
 --> test.toml:9:10
  |
9 | radius = 1500
  |          ^^^^ an integer without a unit
  |
help: length units: m, km, nmi, ft";
        assert_eq!(r.trim_end(), expected.trim_end(), "\n{r}");
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        // X-Val: 2020-01-07T22:30:00Z is Unix time 1578436200 (date -u -d @1578436200).
        let dt: Datetime = "2020-01-07T22:30:00Z".parse().expect("datetime");
        assert_eq!(utc_nanos(&dt), Some(1_578_436_200 * NS_PER_S));
        for days in [-719_468, -1, 0, 59, 365, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(format_utc(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            format_utc(-1).as_deref(),
            Some("1969-12-31T23:59:59.999999999Z")
        );
        assert_eq!(format_utc(i128::MAX), None);
    }

    #[test]
    fn hostile_input_never_panics() {
        let inputs = [
            "[scenario]\nname = \"x\"\nepoch = 0000-01-01T00:00:00+23:59\nduration = \"1 s\"\n",
            "[scenario]\nname = \"x\"\nepoch = 9999-12-31T23:59:59-23:59\nduration = \"1 s\"\n",
            "[scenario]\nname = \"x\"\nepoch = 2020-01-01T00:00:00Z\nduration = \"1e300 s\"\n",
            "[scenario]\nname = \"x\"\nepoch = 2020-01-01T00:00:00Z\nduration = \"inf s\"\n",
            "[scenario]\nname = \"\"\n",
            "scenario = 3",
            "[threat_type]\nX = 3\n",
            "[[asset]]\nposition = \"here\"\n",
            "[[raid]]\naim = 3\n",
            "\u{feff}[scenario]\n",
            "[scenario]\nname = \"é\"\nepoch = 2020-01-07T22:30:00Z\nduration = \"1 ħ\"\n",
        ];
        for src in inputs {
            let e = err(src);
            let _ = (e.render(), e.line_col(), e.to_string());
        }
        let src = BASE.replace(
            "duration = \"2 h\"",
            "duration = \"2 h\"\nseed = 9223372036854775807",
        );
        assert_eq!(parse(&src, "t").map(|s| s.seed).ok(), Some(i64::MAX as u64));
        let raid = "\n[[raid]]\nthreat_type = \"Shahed-136\"\nlaunch_site = { lat = 34, lon = 43 }\naim = \"Al Asad Air Base\"\n";
        let src = format!("{BASE}{raid}count = 4294967295\ninterval = \"292 y\"\n");
        let _ = err(&src).render();
        let src = format!("{BASE}{raid}count = 4294967295\ninterval = \"100000 d\"\n");
        let _ = err(&src).render();
    }
}
