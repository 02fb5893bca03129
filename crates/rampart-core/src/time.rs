//! Exact simulation time.
//!
//! [`SimTime`] is an `i64` count of nanoseconds since the scenario epoch (a UTC instant kept by
//! the scenario); [`SimDuration`] is a signed `i64` count of nanoseconds. Both are exact: adding a
//! step a billion times gives exactly a billion steps, so a clock left running for 1,000 hours
//! places range gates as precisely as at hour zero. Seconds as `f64` exist only at the edge of a
//! formula ([`SimTime::as_secs_f64`]); time is never accumulated in floating point.
//!
//! Range: ±2⁶³ ns ≈ ±292 years around the epoch.

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

/// Nanoseconds per second.
pub const NANOS_PER_SEC: i64 = 1_000_000_000;

/// An instant of simulation time: integer nanoseconds since the scenario epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct SimTime(i64);

/// A signed span of simulation time in integer nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct SimDuration(i64);

impl SimTime {
    /// The scenario epoch.
    pub const EPOCH: SimTime = SimTime(0);
    /// The latest representable instant.
    pub const MAX: SimTime = SimTime(i64::MAX);

    /// The instant `ns` nanoseconds after the epoch.
    pub const fn from_nanos(ns: i64) -> Self {
        SimTime(ns)
    }

    /// Nanoseconds since the epoch.
    pub const fn as_nanos(self) -> i64 {
        self.0
    }

    /// Seconds since the epoch, rounded to the nearest nanosecond. Not finite → `None`.
    pub fn from_secs_f64(s: f64) -> Option<Self> {
        SimDuration::from_secs_f64(s).map(|d| SimTime(d.0))
    }

    /// Seconds since the epoch as `f64` (exact to 1 ns up to about 104 days, then to the f64 ulp).
    pub fn as_secs_f64(self) -> f64 {
        nanos_to_secs(self.0)
    }

    /// The span from `earlier` to `self`.
    pub const fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0 - earlier.0)
    }

    /// `self + d`, or `None` on overflow.
    pub const fn checked_add(self, d: SimDuration) -> Option<Self> {
        match self.0.checked_add(d.0) {
            Some(v) => Some(SimTime(v)),
            None => None,
        }
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A span of `ns` nanoseconds.
    pub const fn from_nanos(ns: i64) -> Self {
        SimDuration(ns)
    }
    /// A span of `ms` milliseconds.
    pub const fn from_millis(ms: i64) -> Self {
        SimDuration(ms * 1_000_000)
    }
    /// A span of `s` whole seconds.
    pub const fn from_secs(s: i64) -> Self {
        SimDuration(s * NANOS_PER_SEC)
    }

    /// Seconds as `f64`, rounded to the nearest nanosecond; `None` if not finite or out of range.
    pub fn from_secs_f64(s: f64) -> Option<Self> {
        let ns = (s * NANOS_PER_SEC as f64).round();
        // i64::MAX as f64 rounds up to 2^63, so the bound is exclusive.
        if ns.is_finite() && ns.abs() < i64::MAX as f64 {
            Some(SimDuration(ns as i64))
        } else {
            None
        }
    }

    /// Nanoseconds in the span.
    pub const fn as_nanos(self) -> i64 {
        self.0
    }

    /// The span in seconds as `f64`.
    pub fn as_secs_f64(self) -> f64 {
        nanos_to_secs(self.0)
    }
}

/// Nanoseconds to seconds, correctly rounded below 2^53 ns (104 days); beyond, whole seconds and
/// the remainder are converted apart so nothing is lost below 2^53 s.
fn nanos_to_secs(ns: i64) -> f64 {
    // Below 2^53 both operands are exact and the division is correctly rounded.
    if ns.unsigned_abs() < (1 << 53) {
        return ns as f64 / 1e9;
    }
    let secs = ns.div_euclid(NANOS_PER_SEC);
    let rem = ns.rem_euclid(NANOS_PER_SEC);
    secs as f64 + rem as f64 * 1e-9
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0 + d.0)
    }
}
impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 += d.0;
    }
}
impl Sub<SimDuration> for SimTime {
    type Output = SimTime;
    fn sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0 - d.0)
    }
}
impl SubAssign<SimDuration> for SimTime {
    fn sub_assign(&mut self, d: SimDuration) {
        self.0 -= d.0;
    }
}
impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, other: SimTime) -> SimDuration {
        SimDuration(self.0 - other.0)
    }
}
impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, o: SimDuration) -> SimDuration {
        SimDuration(self.0 + o.0)
    }
}
impl Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, o: SimDuration) -> SimDuration {
        SimDuration(self.0 - o.0)
    }
}
impl Neg for SimDuration {
    type Output = SimDuration;
    fn neg(self) -> SimDuration {
        SimDuration(-self.0)
    }
}
impl Mul<i64> for SimDuration {
    type Output = SimDuration;
    fn mul(self, k: i64) -> SimDuration {
        SimDuration(self.0 * k)
    }
}

impl fmt::Display for SimTime {
    /// `T+1234.567890123 s`, exact to the nanosecond.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "+" };
        let a = self.0.unsigned_abs();
        write!(f, "T{sign}{}.{:09} s", a / 1_000_000_000, a % 1_000_000_000)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:09} s", a / 1_000_000_000, a % 1_000_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// issue 2: the clock run out to 1,000 hours in the simulation's own step increments has zero
    /// accumulated error. The contrast is the float clock that the 1991 Dhahran failure had in spirit
    /// (GAO IMTEC-92-26): summing 0.1 s in f64 drifts measurably.
    #[test]
    fn thousand_hours_of_steps_accumulate_no_error() {
        let step = SimDuration::from_millis(100); // a 10 Hz radar dwell clock
        let steps: i64 = 1_000 * 3_600 * 10;
        let mut t = SimTime::EPOCH;
        let mut float_clock = 0.0_f64;
        for _ in 0..steps {
            t += step;
            float_clock += 0.1;
        }
        assert_eq!(t.as_nanos(), 1_000 * 3_600 * NANOS_PER_SEC);
        assert_eq!(t - SimTime::EPOCH, step * steps);
        assert_eq!(t.as_secs_f64(), 3_600_000.0);
        // The float clock is off by far more than a nanosecond: the failure mode SimTime rules out.
        assert!((float_clock - 3_600_000.0).abs() > 1e-6);
    }

    #[test]
    fn odd_steps_are_exact_too() {
        // A 1/3 s step is not representable in ns; the step is rounded once, then summed exactly.
        let step = SimDuration::from_secs_f64(1.0 / 3.0).unwrap();
        assert_eq!(step.as_nanos(), 333_333_333);
        let mut t = SimTime::EPOCH;
        for _ in 0..3_000_000 {
            t += step;
        }
        assert_eq!(t.as_nanos(), 3_000_000 * 333_333_333);
    }

    #[test]
    fn seconds_round_trip_and_display() {
        let t = SimTime::from_secs_f64(1_234.567_890_123).unwrap();
        assert_eq!(t.as_nanos(), 1_234_567_890_123);
        assert_eq!(t.to_string(), "T+1234.567890123 s");
        assert_eq!(
            SimTime::from_nanos(-1_500_000_000).to_string(),
            "T-1.500000000 s"
        );
        assert!(SimTime::from_secs_f64(f64::NAN).is_none());
        assert!(SimTime::from_secs_f64(1e300).is_none());
        assert_eq!(SimTime::from_nanos(-1).as_secs_f64(), -1e-9);
    }
}
