//! Bounds on a run, checked by the engine itself: a safety net for scenarios built or changed
//! in code, which never pass through the scenario loader's tighter limits
//! ([`crate::scenario::load::MAX_SCANS_PER_RADAR`] and
//! [`crate::scenario::load::MAX_FALSE_ALARMS_PER_SCAN`], a tenth of these), so a run always
//! ends; and the checked time arithmetic that keeps a launch or a scan past the representable
//! time from overflowing.

use super::{Engine, EngineError};
use crate::scenario::load;
use rampart_core::SimDuration;

/// The most search scans one radar may make in a run (the scenario loader allows a tenth of
/// this): a safety net for scenarios built in code, so a run always ends.
pub const MAX_SCANS_PER_RADAR: f64 = 10.0 * load::MAX_SCANS_PER_RADAR;
/// The most false alarms a radar may expect per scan (the scenario loader allows a tenth of
/// this): a safety net for scenarios built in code.
pub const MAX_MEAN_FALSE_ALARMS: f64 = 10.0 * load::MAX_FALSE_ALARMS_PER_SCAN;
/// The most actions the event loop carries out at one instant before it stops with
/// [`EngineError::Stalled`]: far above any scenario's launches, scans and engagements at one
/// instant, and reached only if something kept rescheduling itself without time moving on.
pub const MAX_ACTIONS_PER_INSTANT: u64 = 10_000_000;

/// `d · k`, or `None` past the representable span.
pub(super) fn checked_times(d: SimDuration, k: i64) -> Option<SimDuration> {
    d.as_nanos().checked_mul(k).map(SimDuration::from_nanos)
}

impl Engine<'_> {
    /// The work the radars' parameters ask of the run, within bounds: a positive revisit, at
    /// most [`MAX_SCANS_PER_RADAR`] scans and [`MAX_MEAN_FALSE_ALARMS`] expected false alarms
    /// per scan. The scenario loader checks tighter limits; this keeps a scenario built or
    /// changed in code from running forever.
    pub(super) fn check_bounds(&self) -> Result<(), EngineError> {
        for radar in &self.radars {
            let p = radar.params();
            let span_ns = self.end.as_nanos() as f64 - p.first_scan.as_nanos() as f64;
            let revisit_ns = p.revisit.as_nanos();
            if span_ns >= 0.0 {
                let scans = if revisit_ns > 0 {
                    (span_ns / revisit_ns as f64).floor() + 1.0
                } else {
                    f64::INFINITY
                };
                if scans > MAX_SCANS_PER_RADAR {
                    return Err(EngineError::ScanSchedule {
                        radar: p.name.clone(),
                        revisit_s: p.revisit.as_secs_f64(),
                        scans,
                    });
                }
            }
            let mean = radar.mean_false_alarms();
            if mean.is_nan() || mean > MAX_MEAN_FALSE_ALARMS {
                return Err(EngineError::FalseAlarms {
                    radar: p.name.clone(),
                    mean,
                });
            }
        }
        Ok(())
    }
}
