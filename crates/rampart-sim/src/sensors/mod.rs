//! Sensors: what the radars see of the truth.

/// A radar's own clock (exact, or the 1991 Patriot legacy clock) and the range gate it places.
pub mod clock;
/// Single-look probability of detection for Swerling 0, 1 and 3 targets.
pub mod detection;
/// The space-based early-warning sensor: boost-phase plumes, launch warnings, cue tracks.
pub mod early_warning;
/// Line of sight over a smooth 4/3-Earth.
pub mod horizon;
/// The search radar: coverage, sensitivity, measurements and false alarms of one scan.
pub mod radar;

use crate::world::Truth;
pub use radar::{Detection, TargetView};
use rampart_core::random::StreamRng;
use rampart_core::{Coordinate, Ecef, SimDuration, SimTime};

/// One scan's output: what the tracker may read, and, kept apart, what made each detection.
///
/// `truth[i]` is the target that made `detections[i]` (`None` for a false alarm). Only
/// scoring, the detection log and events read it; the tracker is handed `detections` alone.
#[derive(Clone, Debug, Default)]
pub struct ScanOutput {
    /// The measurements, in the order the sensor made them.
    pub detections: Vec<Detection>,
    /// The truth label of each, by position.
    pub truth: Vec<Option<Truth>>,
}

impl ScanOutput {
    /// Empties both lists, keeping their capacity.
    pub fn clear(&mut self) {
        self.detections.clear();
        self.truth.clear();
    }
    /// Appends a detection with its truth label.
    pub fn push(&mut self, detection: Detection, truth: Option<Truth>) {
        self.detections.push(detection);
        self.truth.push(truth);
    }
}

/// How a sensor's track dwells look for a track's target: within a window in range about where
/// the track is predicted, as the sensor's own clock places it (see [`clock`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeGating {
    /// Full length of the range window, m.
    pub window_m: f64,
    /// Half-angle of the beam about the predicted direction in which a detection belongs to
    /// the dwell, rad.
    pub cone_rad: f64,
    /// The sensor clock's error at the scan, s (positive: the clock reads late).
    pub clock_error_s: f64,
}

/// A sensor: something that looks at the truth on a schedule and reports measurements.
///
/// Implement it for a new kind of sensor; see docs/extending.md ("Sensors"). The sensing stage
/// ([`crate::stages::sensing`]) calls [`Sensor::scan`] at `first_scan + k·revisit` and hands the
/// detections to the sensor's tracker.
pub trait Sensor: std::fmt::Debug + Send + Sync {
    /// Its name, unique in the scenario.
    fn name(&self) -> &str;
    /// Time of the first scan after the epoch.
    fn first_scan(&self) -> SimDuration;
    /// Time between scans.
    fn revisit(&self) -> SimDuration;
    /// Expected false alarms per scan (for the run's work bound).
    fn mean_false_alarms(&self) -> f64;
    /// Whether a point is inside what the sensor can see (for scoring its tracker).
    fn covers(&self, position: &Coordinate<Ecef>) -> bool;
    /// One scan at `t` of `targets`, appended to `out`. Every draw comes from `rng`.
    fn scan(
        &self,
        t: SimTime,
        targets: &mut dyn Iterator<Item = TargetView>,
        rng: &mut StreamRng,
        out: &mut ScanOutput,
    );
    /// The range gating of its track dwells at `t`, if it places range gates.
    fn range_gating(&self, _t: SimTime) -> Option<RangeGating> {
        None
    }

    /// The time of its scan `k`, `first_scan + k·revisit` exactly (never by accumulating);
    /// `None` past the representable time.
    fn scan_time(&self, k: u64) -> Option<SimTime> {
        let d = crate::engine::checked_times(self.revisit(), i64::try_from(k).ok()?)?;
        (SimTime::EPOCH + self.first_scan()).checked_add(d)
    }
}

impl Sensor for radar::Radar {
    fn name(&self) -> &str {
        &self.params().name
    }
    fn first_scan(&self) -> SimDuration {
        self.params().first_scan
    }
    fn revisit(&self) -> SimDuration {
        self.params().revisit
    }
    fn mean_false_alarms(&self) -> f64 {
        radar::Radar::mean_false_alarms(self)
    }
    fn covers(&self, position: &Coordinate<Ecef>) -> bool {
        radar::Radar::covers(self, position).is_some()
    }
    fn scan(
        &self,
        t: SimTime,
        targets: &mut dyn Iterator<Item = TargetView>,
        rng: &mut StreamRng,
        out: &mut ScanOutput,
    ) {
        radar::Radar::scan(self, t, targets, rng, out);
    }
    fn range_gating(&self, t: SimTime) -> Option<RangeGating> {
        let p = self.params();
        if p.visual.is_some() {
            return None; // an observer places no range gates
        }
        Some(RangeGating {
            window_m: p.range_gate_m,
            cone_rad: 2.0 * p.beamwidth_rad,
            clock_error_s: p.clock.error_s(t),
        })
    }
}
