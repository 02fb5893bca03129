//! Building the loader's errors: the error at a span, TOML and serde errors made readable,
//! did-you-mean suggestions, unit errors, and the wording of numbers, types and dimensions in
//! messages.

use super::{Ctx, Key};
use crate::scenario::error::ScenarioError;
use rampart_core::units::{Dimension, excerpt};
use std::ops::Range;
use toml::Value;

/// Sub-tables that live inside another table: (sub-table, parent).
const NESTED: [(&str, &str); 1] = [("launchers", "fire_unit")];

/// How many characters of a value an error message repeats.
pub(super) const ECHO_CHARS: usize = 60;

// A number for messages: at most six decimals, trailing zeros dropped.
pub(super) use rampart_core::units::format_number as fmt_num;

/// "a length", "an angle".
pub(super) fn a_dim(dim: Dimension) -> String {
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
pub(super) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
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
pub(super) fn backticked<'c>(words: impl IntoIterator<Item = &'c str>) -> String {
    words
        .into_iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Serde names of the raw structs and arrays, as a user would say them.
const SERDE_NAMES: [(&str, &str); 26] = [
    ("struct RawFile", "a scenario file"),
    ("struct RawHeader", "the [scenario] table"),
    ("struct RawPosition", "a position table { lat, lon, alt }"),
    ("struct RawAsset", "an [[asset]] table"),
    ("struct RawPersonnel", "a `personnel` table of an asset"),
    ("struct RawAircraft", "an `aircraft` table of an asset"),
    ("struct RawPassiveDefense", "the [passive_defense] table"),
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
    (
        "struct RawBattleManagement",
        "the [battle_management] table",
    ),
    ("struct TrackerConfig", "a tracker table"),
    ("struct MotionConfig", "a [motion] table"),
    ("struct MeasurementConfig", "a [measurement] table"),
    ("struct DetectionConfig", "a [detection] table"),
    ("struct AssociationConfig", "an [association] table"),
    ("struct InitiationConfig", "an [initiation] table"),
    ("struct DeletionConfig", "a [deletion] table"),
    ("struct MetricsConfig", "a [metrics] table"),
    ("a sequence", "an array"),
    ("a map", "a table"),
    ("type: map", "type: table"),
];

impl Ctx<'_> {
    /// An error pointing at `span`.
    pub(super) fn error(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::new(self.file, self.src, message).with_span(span)
    }

    /// The source text of `span`, as written.
    pub(super) fn written(&self, span: Range<usize>) -> String {
        excerpt(self.src.get(span).unwrap_or("?").trim(), ECHO_CHARS)
    }

    /// The span of the key whose value is at `value` (`key = value`), or `value` itself when
    /// the key cannot be found just before it (a sub-table, a dotted key).
    pub(super) fn key_span(&self, value: Range<usize>, key: &str) -> Range<usize> {
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
    pub(super) fn toml_error(&self, e: &toml::de::Error) -> ScenarioError {
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

    /// "radius: unknown unit `parsecs`", with the suggested unit or else `units` as the help.
    pub(super) fn unknown_unit(
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
    pub(super) fn needs_unit(&self, k: Key<'_>, number: &str, dim: Dimension) -> ScenarioError {
        let suggestion = format!("\"{number} {}\"", example_unit(dim));
        self.error(
            k.span(),
            format!("{} needs a unit, e.g. {suggestion}", k.name),
        )
        .with_label(format!("{} without a unit", a_type(k.value.get_ref())))
        .with_help(format!("{} units: {}", dim, dim.example_units()))
    }

    /// "`count` must be a whole number, found a string".
    pub(super) fn type_error(&self, k: Key<'_>, expected: &str, found: &Value) -> ScenarioError {
        self.error(
            k.span(),
            format!("{} must be {expected}, found {}", k.name, a_type(found)),
        )
        .with_label(format!("expected {expected}"))
    }

    /// The index of `name` among `names`, or "undefined `what` `X`" at it, with a
    /// did-you-mean and `label`.
    pub(super) fn index_of<'n>(
        &self,
        name: &serde_spanned::Spanned<String>,
        what: &str,
        label: &str,
        names: impl Iterator<Item = &'n str> + Clone,
    ) -> Result<usize, ScenarioError> {
        names
            .clone()
            .position(|n| n == name.get_ref())
            .ok_or_else(|| {
                self.undefined(name.span(), name.get_ref(), what, names)
                    .with_label(label)
            })
    }

    /// "undefined threat type `X`", with a did-you-mean among `names`.
    pub(super) fn undefined<'n>(
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
}

/// "a string", "an integer", … for messages.
pub(super) fn a_type(v: &Value) -> &'static str {
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
pub(super) fn example_quantity(dim: Dimension) -> &'static str {
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
        Dimension::AccelerationNoise => "50 m^2/s^3",
        Dimension::JerkNoise => "1 m^2/s^5",
        Dimension::TurnRateNoise => "0.01 rad^2/s^3",
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
