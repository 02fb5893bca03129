//! Quantities with units, as scenario files write them: `"160 km"`, `"3 min"`, `"1.2 mrad"`,
//! `"250 m/s"`, `"Mach 0.8"`.
//!
//! [`parse_quantity`] turns such a string into a [`Quantity`]: an SI value and its [`Dimension`].
//! Mach numbers are kept apart ([`Quantity::Mach`]) because converting them needs the speed of
//! sound where the vehicle flies; the scenario loader resolves them with the atmosphere model.
//! A bare number has no unit and is an error here: the caller decides whether a dimensionless
//! value is wanted.

use std::fmt;

/// What a quantity measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Metres.
    Length,
    /// Seconds.
    Time,
    /// Radians.
    Angle,
    /// Metres per second.
    Speed,
    /// Metres per second squared.
    Acceleration,
    /// Radians per second.
    AngularRate,
    /// Kilograms.
    Mass,
    /// Newtons.
    Force,
    /// Square metres.
    Area,
    /// Kilograms per square metre (ballistic coefficient).
    MassPerArea,
    /// Square metres per second cubed: the spectral density of a white-noise acceleration (the
    /// process noise of a nearly-constant-velocity motion model).
    AccelerationNoise,
    /// Square metres per second to the fifth: the spectral density of a white-noise jerk (the
    /// process noise of a nearly-constant-acceleration motion model).
    JerkNoise,
    /// Square radians per second cubed: the spectral density of a white-noise turn-rate change
    /// (the turn-rate noise of a coordinated-turn motion model).
    TurnRateNoise,
}

impl Dimension {
    /// A few unit symbols of this dimension, for error messages.
    pub fn example_units(self) -> &'static str {
        match self {
            Dimension::Length => "m, km, nmi, ft",
            Dimension::Time => "s, ms, min, h",
            Dimension::Angle => "deg, rad, mrad",
            Dimension::Speed => "m/s, km/h, kn, or Mach 0.8",
            Dimension::Acceleration => "m/s^2, g",
            Dimension::AngularRate => "deg/s, rad/s",
            Dimension::Mass => "kg, t",
            Dimension::Force => "N, kN",
            Dimension::Area => "m^2",
            Dimension::MassPerArea => "kg/m^2",
            Dimension::AccelerationNoise => "m^2/s^3 or m²/s³",
            Dimension::JerkNoise => "m^2/s^5 or m²/s⁵",
            Dimension::TurnRateNoise => "rad^2/s^3 or rad²/s³",
        }
    }
    /// The SI unit of this dimension.
    pub fn si_unit(self) -> &'static str {
        match self {
            Dimension::Length => "m",
            Dimension::Time => "s",
            Dimension::Angle => "rad",
            Dimension::Speed => "m/s",
            Dimension::Acceleration => "m/s^2",
            Dimension::AngularRate => "rad/s",
            Dimension::Mass => "kg",
            Dimension::Force => "N",
            Dimension::Area => "m^2",
            Dimension::MassPerArea => "kg/m^2",
            Dimension::AccelerationNoise => "m^2/s^3",
            Dimension::JerkNoise => "m^2/s^5",
            Dimension::TurnRateNoise => "rad^2/s^3",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Dimension::Length => "length",
            Dimension::Time => "time",
            Dimension::Angle => "angle",
            Dimension::Speed => "speed",
            Dimension::Acceleration => "acceleration",
            Dimension::AngularRate => "angular rate",
            Dimension::Mass => "mass",
            Dimension::Force => "force",
            Dimension::Area => "area",
            Dimension::MassPerArea => "mass per area",
            Dimension::AccelerationNoise => "acceleration noise density",
            Dimension::JerkNoise => "jerk noise density",
            Dimension::TurnRateNoise => "turn-rate noise density",
        };
        f.write_str(s)
    }
}

/// A parsed quantity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Quantity {
    /// A value in the SI unit of its dimension.
    Si {
        /// The value in SI units.
        value: f64,
        /// What it measures.
        dim: Dimension,
    },
    /// A Mach number: a speed relative to the local speed of sound.
    Mach(f64),
}

impl Quantity {
    /// The dimension; a Mach number is a speed.
    pub fn dimension(&self) -> Dimension {
        match self {
            Quantity::Si { dim, .. } => *dim,
            Quantity::Mach(_) => Dimension::Speed,
        }
    }
}

/// How far a number may range. Bounds are in SI units (radians for angles).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// Any value.
    Any,
    /// Greater than zero.
    Positive,
    /// Zero or more.
    NonNegative,
    /// Between `lo` and `hi`, each end included or not.
    Between {
        /// The lower end.
        lo: f64,
        /// Whether `lo` itself is allowed.
        lo_incl: bool,
        /// The upper end.
        hi: f64,
        /// Whether `hi` itself is allowed.
        hi_incl: bool,
    },
}

impl Bound {
    /// `[lo, hi]`.
    pub const fn closed(lo: f64, hi: f64) -> Self {
        Bound::Between {
            lo,
            lo_incl: true,
            hi,
            hi_incl: true,
        }
    }

    /// Whether `x` lies within the bound (NaN never does, except for [`Bound::Any`]).
    pub fn contains(self, x: f64) -> bool {
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
    /// number), in the unit of [`display_unit`].
    pub fn describe(self, dim: Option<Dimension>) -> String {
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
                format_number(lo / scale),
                format_number(hi / scale),
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

/// The unit values of `dim` are shown in to people: degrees for angles, SI otherwise; (SI
/// value of one of it, its symbol). A plain number (`None`) has no unit.
pub fn display_unit(dim: Option<Dimension>) -> (f64, &'static str) {
    match dim {
        None => (1.0, ""),
        Some(Dimension::Angle) => (std::f64::consts::PI / 180.0, "deg"),
        Some(Dimension::AngularRate) => (std::f64::consts::PI / 180.0, "deg/s"),
        Some(d) => (1.0, d.si_unit()),
    }
}

/// A number for messages: at most six decimals, trailing zeros dropped.
pub fn format_number(x: f64) -> String {
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

/// Why a quantity string could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UnitError {
    /// Nothing but white space.
    #[error("empty quantity: expected a number and a unit, such as \"160 km\"")]
    Empty,
    /// The numeric part is not a number.
    #[error("`{0}` is not a number")]
    BadNumber(String),
    /// A number with no unit.
    #[error("the number {0} has no unit")]
    NoUnit(String),
    /// A unit this parser does not know.
    #[error("unknown unit `{unit}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The closest known unit, if one is close.
        suggestion: Option<String>,
    },
    /// Not finite (inf, NaN).
    #[error("the value must be finite")]
    NotFinite,
}

/// (symbol, dimension, factor to SI).
const UNITS: &[(&str, Dimension, f64)] = {
    use Dimension::*;
    const DEG: f64 = std::f64::consts::PI / 180.0;
    &[
        ("m", Length, 1.0),
        ("km", Length, 1e3),
        ("cm", Length, 1e-2),
        ("mm", Length, 1e-3),
        ("nmi", Length, 1852.0),
        ("ft", Length, 0.3048),
        ("kft", Length, 304.8),
        ("mi", Length, 1609.344),
        ("ns", Time, 1e-9),
        ("us", Time, 1e-6),
        ("µs", Time, 1e-6),
        ("ms", Time, 1e-3),
        ("s", Time, 1.0),
        ("min", Time, 60.0),
        ("h", Time, 3600.0),
        ("d", Time, 86400.0),
        ("rad", Angle, 1.0),
        ("mrad", Angle, 1e-3),
        ("deg", Angle, DEG),
        ("°", Angle, DEG),
        ("m/s", Speed, 1.0),
        ("km/s", Speed, 1e3),
        ("km/h", Speed, 1.0 / 3.6),
        ("kn", Speed, 1852.0 / 3600.0),
        ("ft/s", Speed, 0.3048),
        ("mph", Speed, 0.44704),
        ("m/s^2", Acceleration, 1.0),
        ("m/s²", Acceleration, 1.0),
        ("g", Acceleration, 9.806_65),
        ("deg/s", AngularRate, DEG),
        ("°/s", AngularRate, DEG),
        ("rad/s", AngularRate, 1.0),
        ("mrad/s", AngularRate, 1e-3),
        ("kg", Mass, 1.0),
        ("t", Mass, 1e3),
        ("lb", Mass, 0.453_592_37),
        ("N", Force, 1.0),
        ("kN", Force, 1e3),
        ("m^2", Area, 1.0),
        ("m²", Area, 1.0),
        ("kg/m^2", MassPerArea, 1.0),
        ("kg/m²", MassPerArea, 1.0),
        ("lb/ft^2", MassPerArea, 4.882_427_636),
        ("m^2/s^3", AccelerationNoise, 1.0),
        ("m²/s³", AccelerationNoise, 1.0),
        ("m^2/s^5", JerkNoise, 1.0),
        ("m²/s⁵", JerkNoise, 1.0),
        ("rad^2/s^3", TurnRateNoise, 1.0),
        ("rad²/s³", TurnRateNoise, 1.0),
    ]
};

/// Reads a quantity such as `"160 km"`, `"-5 deg"`, `"1.5e3 m/s"` or `"Mach 0.8"`.
pub fn parse_quantity(text: &str) -> Result<Quantity, UnitError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(UnitError::Empty);
    }
    if let Some(rest) = s.strip_prefix("Mach").or_else(|| s.strip_prefix("mach")) {
        let num = rest.trim();
        if num.is_empty() {
            return Err(UnitError::BadNumber(String::new()));
        }
        let v: f64 = num
            .parse()
            .map_err(|_| UnitError::BadNumber(excerpt(num, ECHO_CHARS)))?;
        return if v.is_finite() {
            Ok(Quantity::Mach(v))
        } else {
            Err(UnitError::NotFinite)
        };
    }
    let split = number_prefix_len(s);
    let (num, unit) = (s[..split].trim(), s[split..].trim());
    if num.is_empty() {
        return Err(UnitError::BadNumber(excerpt(s, ECHO_CHARS)));
    }
    let v: f64 = num
        .parse()
        .map_err(|_| UnitError::BadNumber(excerpt(num, ECHO_CHARS)))?;
    if !v.is_finite() {
        return Err(UnitError::NotFinite);
    }
    if unit.is_empty() {
        return Err(UnitError::NoUnit(excerpt(num, ECHO_CHARS)));
    }
    match UNITS.iter().find(|(sym, _, _)| *sym == unit) {
        Some((_, dim, k)) => Ok(Quantity::Si {
            value: v * k,
            dim: *dim,
        }),
        None => Err(UnitError::UnknownUnit {
            unit: excerpt(unit, ECHO_CHARS),
            suggestion: suggest_unit(unit, None),
        }),
    }
}

/// The length of the leading number: digits, sign, point and an exponent that is followed by a
/// digit (so the `e` of a unit is never eaten).
fn number_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let ok = c.is_ascii_digit()
            || c == b'.'
            || ((c == b'+' || c == b'-') && (i == 0 || matches!(b[i - 1], b'e' | b'E')))
            || (matches!(c, b'e' | b'E')
                && i > 0
                && b[i - 1].is_ascii_digit()
                && b.get(i + 1)
                    .is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+'));
        if !ok {
            break;
        }
        i += 1;
    }
    i
}

/// How many characters of a bad number or unit an error repeats.
const ECHO_CHARS: usize = 40;

/// Words people write for a unit, and the symbol they mean.
const ALIASES: &[(&str, &str)] = &[
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("mins", "min"),
    ("minute", "min"),
    ("minutes", "min"),
    ("hr", "h"),
    ("hrs", "h"),
    ("hour", "h"),
    ("hours", "h"),
    ("day", "d"),
    ("days", "d"),
    ("meter", "m"),
    ("meters", "m"),
    ("metre", "m"),
    ("metres", "m"),
    ("degree", "deg"),
    ("degrees", "deg"),
    ("kg/m2", "kg/m^2"),
    ("m2", "m^2"),
    ("m/s2", "m/s^2"),
    ("kph", "km/h"),
    ("kts", "kn"),
    ("knots", "kn"),
];

/// The known unit closest to `unit` (a likely typo or a common long form), among the units of
/// `dim` when given: a suggestion never has another dimension than the key wants. Units longer
/// than any symbol by far get no suggestion, so a huge string costs nothing to refuse.
pub fn suggest_unit(unit: &str, dim: Option<Dimension>) -> Option<String> {
    const LONGEST_CANDIDATE: usize = 16;
    if unit.chars().count() > LONGEST_CANDIDATE {
        return None;
    }
    let of_dim =
        |sym: &str| dim.is_none_or(|d| UNITS.iter().any(|(s, ud, _)| *s == sym && *ud == d));
    let lower = unit.to_lowercase();
    if let Some((_, sym)) = ALIASES.iter().find(|(a, _)| *a == lower)
        && of_dim(sym)
    {
        return Some((*sym).to_string());
    }
    UNITS
        .iter()
        .filter(|(sym, _, _)| of_dim(sym))
        .map(|(sym, _, _)| (levenshtein(&lower, &sym.to_lowercase()), *sym))
        .filter(|(d, sym)| *d <= 2 && *d < sym.chars().count().max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| s.to_string())
}

/// At most `max` characters of `text`, with `…` when cut: what an error message repeats of
/// what the user wrote.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((i, _)) => format!("{}…", &text[..i]),
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn si(s: &str) -> (f64, Dimension) {
        match parse_quantity(s).unwrap() {
            Quantity::Si { value, dim } => (value, dim),
            q => panic!("{q:?}"),
        }
    }

    #[test]
    fn the_issue_examples_parse() {
        assert_eq!(si("160 km"), (160_000.0, Dimension::Length));
        assert_eq!(si("3 min"), (180.0, Dimension::Time));
        let (a, d) = si("45 deg");
        assert!((a - std::f64::consts::FRAC_PI_4).abs() < 1e-15 && d == Dimension::Angle);
        assert_eq!(si("1.2 mrad"), (1.2e-3, Dimension::Angle));
        assert_eq!(si("250 m/s"), (250.0, Dimension::Speed));
        assert_eq!(parse_quantity("Mach 0.8"), Ok(Quantity::Mach(0.8)));
        assert_eq!(si("30 m"), (30.0, Dimension::Length));
        assert_eq!(si("-1e3m"), (-1000.0, Dimension::Length));
        assert_eq!(si("2.5e-1 s"), (0.25, Dimension::Time));
        assert_eq!(si("9 g"), (9.0 * 9.806_65, Dimension::Acceleration));
        assert_eq!(si("20000 kg/m^2"), (20_000.0, Dimension::MassPerArea));
    }

    #[test]
    fn bad_quantities_say_why() {
        assert_eq!(parse_quantity("160"), Err(UnitError::NoUnit("160".into())));
        assert_eq!(parse_quantity(""), Err(UnitError::Empty));
        assert_eq!(parse_quantity("km"), Err(UnitError::BadNumber("km".into())));
        assert_eq!(
            parse_quantity("1.2.3 m"),
            Err(UnitError::BadNumber("1.2.3".into()))
        );
        assert_eq!(
            parse_quantity("5 kmm"),
            Err(UnitError::UnknownUnit {
                unit: "kmm".into(),
                suggestion: Some("km".into())
            })
        );
        assert_eq!(
            parse_quantity("5 degs"),
            Err(UnitError::UnknownUnit {
                unit: "degs".into(),
                suggestion: Some("deg".into())
            })
        );
        assert!(matches!(
            parse_quantity("5 parsecs"),
            Err(UnitError::UnknownUnit {
                suggestion: None,
                ..
            })
        ));
        assert_eq!(
            parse_quantity("inf m"),
            Err(UnitError::BadNumber("inf m".into()))
        );
        assert_eq!(
            parse_quantity("Mach"),
            Err(UnitError::BadNumber(String::new()))
        );
    }

    #[test]
    fn a_suggestion_has_the_dimension_asked_for() {
        // `sec` is close to `deg` by spelling, but a time key wants a time unit.
        assert_eq!(
            suggest_unit("sec", Some(Dimension::Time)).as_deref(),
            Some("s")
        );
        assert_eq!(suggest_unit("degs", Some(Dimension::Time)), None);
        assert_eq!(
            suggest_unit("kmm", Some(Dimension::Length)).as_deref(),
            Some("km")
        );
        assert_eq!(suggest_unit("hours", Some(Dimension::Length)), None);
    }

    #[test]
    fn a_huge_unit_is_refused_quickly_and_echoed_short() {
        let unit = "x".repeat(10_000_000);
        let text = format!("5 {unit}");
        match parse_quantity(&text) {
            Err(UnitError::UnknownUnit { unit, suggestion }) => {
                assert!(unit.chars().count() <= ECHO_CHARS + 1, "{}", unit.len());
                assert_eq!(suggestion, None);
            }
            other => panic!("{other:?}"),
        }
        let long_number = "1".repeat(1_000_000) + ".5.5 m";
        let e = parse_quantity(&long_number).unwrap_err().to_string();
        assert!(e.len() < 200, "{}", e.len());
    }
}
