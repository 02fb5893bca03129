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
pub(crate) fn checked_times(d: SimDuration, k: i64) -> Option<SimDuration> {
    d.as_nanos().checked_mul(k).map(SimDuration::from_nanos)
}

impl Engine<'_> {
    /// The work the sensors' parameters ask of the run, within bounds: a positive revisit, at
    /// most [`MAX_SCANS_PER_RADAR`] scans and [`MAX_MEAN_FALSE_ALARMS`] expected false alarms
    /// per scan; and as many `entity_state` samples at most. The scenario loader checks
    /// tighter limits; this keeps a scenario built or changed in code from running forever.
    pub(super) fn check_bounds(&self) -> Result<(), EngineError> {
        let samples = |first: SimDuration, every: SimDuration| {
            let span_ns = self.end.as_nanos() as f64 - first.as_nanos() as f64;
            if span_ns < 0.0 {
                0.0
            } else if every.as_nanos() > 0 {
                (span_ns / every.as_nanos() as f64).floor() + 1.0
            } else {
                f64::INFINITY
            }
        };
        let radars = self.world.sensors.values().map(|s| &*s.sensor);
        let warning = self
            .world
            .warning
            .iter()
            .map(|w| &w.sensor as &dyn crate::sensors::Sensor);
        for sensor in radars.chain(warning) {
            let scans = samples(sensor.first_scan(), sensor.revisit());
            if scans > MAX_SCANS_PER_RADAR {
                return Err(EngineError::ScanSchedule {
                    radar: sensor.name().to_string(),
                    revisit_s: sensor.revisit().as_secs_f64(),
                    scans,
                });
            }
            let mean = sensor.mean_false_alarms();
            if mean.is_nan() || mean > MAX_MEAN_FALSE_ALARMS {
                return Err(EngineError::FalseAlarms {
                    radar: sensor.name().to_string(),
                    mean,
                });
            }
        }
        if let Some(every) = self.opts.state_interval {
            let n = samples(SimDuration::ZERO, every);
            if n > MAX_SCANS_PER_RADAR {
                return Err(EngineError::StateInterval {
                    interval_s: every.as_secs_f64(),
                    samples: n,
                });
            }
        }
        Ok(())
    }
}
