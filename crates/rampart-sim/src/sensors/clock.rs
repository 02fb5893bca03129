//! A radar's own clock: exact, or the 1991 Patriot legacy clock that counted tenths of a second
//! and converted them with 1/10 chopped to a 24-bit register.
//!
//! **The legacy clock** (GAO, *Patriot Missile Defense: Software Problem Led to System Failure
//! at Dhahran, Saudi Arabia*, IMTEC-92-26, 1992; Skeel, "Roundoff Error and the Patriot
//! Missile", *SIAM News* 25(4), 1992). The system counted time since boot in tenths of a
//! second, as an integer, and converted the count to seconds by multiplying by 1/10 held in a
//! 24-bit fixed-point register: 0.00011001100110011001100₂, the binary expansion of 1/10
//! chopped after 23 binary places, = 838 860 / 2²³. Each tick therefore loses
//! 1/10 − 838 860/2²³ = 0.8/2²³ = 1/10 485 760 s ≈ 9.54·10⁻⁸ s exactly; after n ticks the
//! converted time is short by n/10 485 760 s: 0.3433 s after 100 hours.
//!
//! Where the error bites is in the range gate: the radar places the window in which it looks
//! for a target at its next dwell from the target's last detection and velocity, over the time
//! elapsed. If the clock that places the window is the legacy one while the detection times
//! are exact, the window is displaced by the target's range rate times the clock's error.
//! Rampart's own time is exact integer nanoseconds; the legacy clock exists only to reproduce
//! this failure.

use rampart_core::{SimDuration, SimTime};

/// 1/10 as the legacy register held it: 838 860 / 2²³.
pub const LEGACY_TENTH_S: f64 = 838_860.0 / 8_388_608.0;

/// Seconds lost per tenth-of-a-second tick by the legacy conversion: exactly 1/10 485 760.
pub const LEGACY_ERROR_PER_TICK_S: f64 = 1.0 / 10_485_760.0;

/// Which clock places a radar's range gates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClockModel {
    /// Exact time (the simulation's own): no drift, whatever the uptime.
    #[default]
    Exact,
    /// A tick counter of tenths of a second converted with the chopped 24-bit constant.
    Legacy24Bit,
}

impl ClockModel {
    /// The word of the scenario file.
    pub fn word(self) -> &'static str {
        match self {
            ClockModel::Exact => "exact",
            ClockModel::Legacy24Bit => "legacy-24bit",
        }
    }
}

/// The time error of the legacy clock after running for `uptime`: how far its converted time
/// falls behind the true time, s. Exact in the tick count (integer tenths since boot).
pub fn legacy_error_s(uptime: SimDuration) -> f64 {
    let ticks = uptime.as_nanos().max(0) / 100_000_000;
    ticks as f64 * LEGACY_ERROR_PER_TICK_S
}

/// A radar's clock: its model and how long it had been running at the scenario epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SystemClock {
    /// Exact or legacy.
    pub model: ClockModel,
    /// Time since boot at the scenario epoch.
    pub uptime: SimDuration,
}

impl SystemClock {
    /// How far the clock's reading lags the true time at simulation time `t`, s (0 for the
    /// exact clock).
    pub fn error_s(&self, t: SimTime) -> f64 {
        match self.model {
            ClockModel::Exact => 0.0,
            ClockModel::Legacy24Bit => legacy_error_s(SimDuration::from_nanos(
                self.uptime
                    .as_nanos()
                    .saturating_add((t - SimTime::EPOCH).as_nanos()),
            )),
        }
    }

    /// The displacement of a range gate placed with this clock at `t`, for a target whose
    /// range changes at `range_rate_mps` (positive opening), m. The gate is placed for the
    /// time the clock reads, `error_s` early, so it lags the target by −ṙ·error.
    pub fn gate_offset_m(&self, t: SimTime, range_rate_mps: f64) -> f64 {
        // (+ 0.0 turns the −0 of an exact clock and an opening target into 0.)
        -range_rate_mps * self.error_s(t) + 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chopped_tenth_loses_a_fixed_amount_per_tick() {
        // f64 0.1 is itself 1/10 rounded, so compare within its rounding.
        assert!((0.1 - LEGACY_TENTH_S - 0.8 / 8_388_608.0).abs() < 1e-17);
        assert!((LEGACY_ERROR_PER_TICK_S - 9.536_743_164_062_5e-8).abs() < 1e-22);
        // The exact clock never drifts.
        let c = SystemClock {
            model: ClockModel::Exact,
            uptime: SimDuration::from_secs(3_600_000),
        };
        assert_eq!(
            c.error_s(SimTime::EPOCH + SimDuration::from_secs(1000)),
            0.0
        );
    }
}
