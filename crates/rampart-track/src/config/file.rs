//! [`TrackerConfig`]: the tracker's settings as a file writes them, before any checking.
//!
//! Every table and key is optional and keeps its place in the file ([`Spanned`]), so that
//! [`TrackerConfig::resolve`](super::TrackerConfig::resolve) can say which key is wrong and
//! where; every table refuses keys it does not know. Values stay as TOML wrote them
//! ([`Setting`]) until the reader converts them: quantities carry their unit (`"4 km/s"`), as
//! in a scenario file.

use serde::Deserialize;
use serde_spanned::Spanned;

/// A value as the file wrote it, with its place in the file (byte span).
pub type Setting = Spanned<toml::Value>;

/// The tracker's settings, as `tracker.toml` (`rampart track --config`) or a radar's
/// `[radar.tracker]` table in a scenario write them: the same tables, keys and units in both.
/// The key table, with units, defaults and allowed values, is in docs/tracking.md.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackerConfig {
    /// `[motion]`: the motion model and its process noise.
    pub motion: Option<Spanned<MotionConfig>>,
    /// `[measurement]`: the measurement noise.
    pub measurement: Option<Spanned<MeasurementConfig>>,
    /// `[detection]`: detection probability and clutter.
    pub detection: Option<Spanned<DetectionConfig>>,
    /// `[association]`: GNN or JPDA, and the gate.
    pub association: Option<Spanned<AssociationConfig>>,
    /// `[initiation]`: how tracks start and are confirmed.
    pub initiation: Option<Spanned<InitiationConfig>>,
    /// `[deletion]`: when tracks end.
    pub deletion: Option<Spanned<DeletionConfig>>,
    /// `[metrics]`: the GOSPA parameters tracks are scored with.
    pub metrics: Option<Spanned<MetricsConfig>>,
}

/// `[motion]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionConfig {
    /// `cv` (nearly constant velocity), `ca` (nearly constant acceleration), `singer`, `ct`
    /// (coordinated turn) or `imm` (an IMM over nearly-constant-velocity and ballistic
    /// motion). Default `imm`; a radar's tracker runs `imm` only.
    pub model: Option<Setting>,
    /// Process-noise spectral density: m²/s³ for `cv`, `ct` (on x, y, z) and `imm` (its
    /// constant-velocity mode, default `"50 m^2/s^3"`), m²/s⁵ for `ca`. Required by `cv`, `ca`
    /// and `ct`.
    pub q: Option<Setting>,
    /// `imm`: process noise of the ballistic mode, m²/s³. Default `"5 m^2/s^3"`.
    pub q_ballistic: Option<Setting>,
    /// `imm`: probability of switching mode from one scan to the next (plain number). Default
    /// 0.05.
    pub switch_probability: Option<Setting>,
    /// `singer`: standard deviation of the acceleration, an acceleration. Required.
    pub sigma_a: Option<Setting>,
    /// `singer`: manoeuvre time constant, a time. Required.
    pub tau: Option<Setting>,
    /// `ct`: turn-rate noise, rad²/s³. Required.
    pub q_omega: Option<Setting>,
}

/// `[measurement]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementConfig {
    /// Cartesian position measurements (`rampart track`): noise standard deviation per axis, a
    /// length. Required there.
    pub sigma: Option<Setting>,
    /// A radar's measurements: range noise standard deviation, a length. Default: the
    /// radar's at its reference signal-to-noise ratio.
    pub range_sigma: Option<Setting>,
    /// A radar's measurements: azimuth and elevation noise standard deviation, an angle.
    /// Default: the radar's at its reference signal-to-noise ratio.
    pub angle_sigma: Option<Setting>,
}

/// `[detection]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectionConfig {
    /// Probability of detection of a target per scan (plain number). Default: the radar's
    /// reference probability of detection (at least 0.5); required by `rampart track`.
    pub pd: Option<Setting>,
    /// False detections per unit of measurement space per scan (plain number: per m³ for
    /// Cartesian positions, per m·rad² for a radar's range, azimuth and elevation). Default:
    /// the radar's false alarms per scan over its searched volume; required by `rampart track`.
    pub clutter_density: Option<Setting>,
}

/// `[association]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssociationConfig {
    /// `gnn` or `jpda`. Default `gnn`.
    pub method: Option<Setting>,
    /// Probability that the gate holds a target's own detection (plain number). Default 0.999.
    pub gate_probability: Option<Setting>,
}

/// `[initiation]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitiationConfig {
    /// `one-point`, `two-point` or `velocity-gated`. Default `velocity-gated`.
    pub method: Option<Setting>,
    /// Confirm a tentative track after `m` updates (whole number)… Default 3.
    pub m: Option<Setting>,
    /// …in its first `n` scans (whole number). Default 3.
    pub n: Option<Setting>,
    /// `one-point`, `two-point`: velocity standard deviation of a new track per axis, a speed.
    /// Required by those methods.
    pub velocity_sigma: Option<Setting>,
    /// `velocity-gated`: the fastest target, a speed. Default `"4 km/s"`.
    pub max_speed: Option<Setting>,
}

/// `[deletion]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletionConfig {
    /// Consecutive missed scans that end a confirmed track (whole number). Default 3.
    pub max_misses: Option<Setting>,
    /// A track whose position standard deviation (square root of the trace of its position
    /// covariance) exceeds this ends, a length. Default `"100 km"`.
    pub max_position_sigma: Option<Setting>,
}

/// `[metrics]`: GOSPA (Rahmathullah, García-Fernández & Svensson 2017).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// Order p (plain number). Default 2.
    pub p: Option<Setting>,
    /// Cut-off c, a length. Default `"1 km"`.
    pub c: Option<Setting>,
    /// α (plain number). Default 2.
    pub alpha: Option<Setting>,
}
