//! Calendar arithmetic on the proleptic Gregorian calendar, in integers: dates as day counts
//! from 1970-01-01 and back, and UTC instants (nanoseconds since 1970-01-01T00:00:00Z) as
//! RFC 3339 text.
//!
//! A scenario's epoch is a UTC instant; these are the conversions its loader and its outputs
//! need, with no time-zone database and no floating point. Leap seconds are not counted (as in
//! Unix time, every day has 86,400 s).
//!
//! ```
//! use rampart_core::calendar::{civil_from_days, days_from_civil, format_utc};
//!
//! assert_eq!(days_from_civil(2020, 1, 7), 18_268);
//! assert_eq!(civil_from_days(18_268), (2020, 1, 7));
//! let ns = (18_268_i128 * 86_400 + 22 * 3600 + 30 * 60) * 1_000_000_000;
//! assert_eq!(format_utc(ns).as_deref(), Some("2020-01-07T22:30:00Z"));
//! ```

use crate::time::NANOS_PER_SEC;

/// Nanoseconds per second, as the instants' type.
const NS_PER_S: i128 = NANOS_PER_SEC as i128;

/// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant, "chrono-compatible
/// low-level date algorithms", `days_from_civil`).
///
/// `m` is the month, 1 to 12, and `d` the day of the month, 1 to 31; year 0 is 1 BC. Negative
/// results are days before 1970. Meant for years within ±10^12 or so (nowhere near overflow);
/// a month outside 1 to 12 gives a meaningless count.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01 (Hinnant's `civil_from_days`): (year, month 1 to
/// 12, day 1 to 31), the inverse of [`days_from_civil`]. Meant for counts within ±2^62 (nowhere
/// near overflow).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
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

/// RFC 3339 text in UTC (`2020-01-07T22:30:00Z`, with a fraction only when there is one) of
/// ns since 1970; `None` outside the years 0000–9999.
pub fn format_utc(ns: i128) -> Option<String> {
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

/// The instant, ns since 1970, of RFC 3339 UTC text as [`format_utc`] writes it
/// (`2020-01-07T22:30:00Z`, a fraction of up to nine digits allowed): its inverse. `None` for
/// any other text.
pub fn parse_utc(text: &str) -> Option<i128> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date = date.splitn(3, '-');
    let field = |s: Option<&str>, len: usize| {
        s.filter(|s| s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))?
            .parse::<i64>()
            .ok()
    };
    let (y, m, d) = (
        field(date.next(), 4)?,
        field(date.next(), 2)?,
        field(date.next(), 2)?,
    );
    let (time, frac) = match time.split_once('.') {
        Some((t, f)) if (1..=9).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            (t, format!("{f:0<9}").parse::<i128>().ok()?)
        }
        Some(_) => return None,
        None => (time, 0),
    };
    let mut hms = time.splitn(3, ':');
    let (h, mi, s) = (
        field(hms.next(), 2)?,
        field(hms.next(), 2)?,
        field(hms.next(), 2)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    // A day past the month's end (31 April) comes back as another date: refused.
    let days = days_from_civil(y, m, d);
    if civil_from_days(days) != (y, m, d) {
        return None;
    }
    let secs = i128::from(days) * 86_400 + i128::from(h * 3600 + mi * 60 + s);
    Some(secs * NS_PER_S + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_utc_inverts_format_utc() {
        for ns in [
            0,
            -1,
            1_578_436_200_000_000_000,
            1_578_436_200_123_000_000,
            253_402_300_799_999_999_999,
        ] {
            let text = format_utc(ns).expect("in range");
            assert_eq!(parse_utc(&text), Some(ns), "{text}");
        }
        for bad in [
            "2020-01-07T22:30:00",
            "2020-04-31T00:00:00Z",
            "2020-1-07T22:30:00Z",
            "2020-01-07T24:00:00Z",
            "2020-01-07T22:30:00.Z",
            "x",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
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
    fn known_dates_have_known_day_counts() {
        // X-Val: Python's datetime, (date(y, m, d) - date(1970, 1, 1)).days.
        let known = [
            ((1970, 1, 1), 0),
            ((1969, 12, 31), -1),
            ((2000, 2, 29), 11_016),
            ((2000, 3, 1), 11_017),
            ((2020, 1, 7), 18_268),
            ((1600, 3, 1), -135_080),
            ((1, 1, 1), -719_162),
            ((9999, 12, 31), 2_932_896),
        ];
        for ((y, m, d), days) in known {
            assert_eq!(days_from_civil(y, m, d), days, "{y:04}-{m:02}-{d:02}");
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
        }
        // Year 0 (1 BC) is a leap year; 0000-03-01 is the first day of Hinnant's eras.
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
        assert_eq!(civil_from_days(-719_469), (0, 2, 29));
    }

    #[test]
    fn instants_format_as_rfc_3339_in_utc() {
        let s = |secs: i128| secs * NS_PER_S;
        // X-Val: 2020-01-07T22:30:00Z is Unix time 1578436200 (date -u -d @1578436200).
        assert_eq!(
            format_utc(s(1_578_436_200)).as_deref(),
            Some("2020-01-07T22:30:00Z")
        );
        // X-Val: 2000-03-01T00:00:00Z is Unix time 951868800 (Python's datetime).
        assert_eq!(
            format_utc(s(951_868_800)).as_deref(),
            Some("2000-03-01T00:00:00Z")
        );
        assert_eq!(
            format_utc(s(1_578_436_200) + 250_000_000).as_deref(),
            Some("2020-01-07T22:30:00.25Z")
        );
        assert_eq!(
            format_utc(s(86_400 * days_from_civil(9999, 12, 31) as i128 + 86_399)).as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
        assert_eq!(
            format_utc(s(86_400 * days_from_civil(10_000, 1, 1) as i128)),
            None
        );
        assert_eq!(
            format_utc(s(86_400 * days_from_civil(0, 1, 1) as i128)).as_deref(),
            Some("0000-01-01T00:00:00Z")
        );
        assert_eq!(
            format_utc(s(86_400 * days_from_civil(0, 1, 1) as i128) - 1),
            None
        );
    }
}
