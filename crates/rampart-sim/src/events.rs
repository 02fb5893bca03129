//! Events: the one record of what happened in a run.
//!
//! Every sink — the JSON Lines log, the run summary, later the reports and Monte Carlo
//! statistics — is built from these records; nothing keeps a second account. Each event carries
//! its exact time (`t_ns`, integer nanoseconds since the scenario epoch) and the same time in
//! seconds (`t`) for convenience.

use rampart_core::SimTime;
use serde::Serialize;

/// One thing that happened, at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Nanoseconds since the scenario epoch.
    pub t_ns: i64,
    /// Seconds since the scenario epoch.
    pub t: f64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl EventKind {
    /// Scans, detections, track updates and picture scores: many, written to `events.jsonl`
    /// only when asked for (`--log-detections`).
    pub fn is_sensing(&self) -> bool {
        matches!(
            self,
            EventKind::Detection { .. }
                | EventKind::Scan { .. }
                | EventKind::TrackUpdate { .. }
                | EventKind::SystemTrackUpdate { .. }
                | EventKind::Siap { .. }
        )
    }
}

impl Event {
    /// An event at `t`.
    pub fn new(t: SimTime, kind: EventKind) -> Self {
        Self {
            t_ns: t.as_nanos(),
            t: t.as_secs_f64(),
            kind,
        }
    }
    /// The event's time.
    pub fn time(&self) -> SimTime {
        SimTime::from_nanos(self.t_ns)
    }
}

/// A point on the ellipsoid as events report it: degrees and metres.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LatLon {
    /// Geodetic latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// A track's estimated accuracy from its filter's covariance, in local east-north-up axes:
/// standard deviations and the east–north covariance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Accuracy {
    /// Position standard deviations east, north and up, m.
    pub position_sigma_m: [f64; 3],
    /// Covariance of the east and north position errors, m².
    pub en_covariance_m2: f64,
    /// Velocity standard deviations east, north and up, m/s.
    pub velocity_sigma_mps: [f64; 3],
}

impl Accuracy {
    /// The accuracy at ECEF point `at` of a track whose position and velocity covariances are
    /// `p` and `v` in ECEF axes: both turned to the east-north-up axes there.
    pub fn at(
        at: &rampart_core::Coordinate<rampart_core::Ecef>,
        p: &nalgebra::Matrix3<f64>,
        v: &nalgebra::Matrix3<f64>,
    ) -> Self {
        let r = rampart_core::LocalFrame::new(rampart_core::Geodetic::from_ecef(at))
            .ecef_to_enu_matrix();
        let (p, v) = (r * p * r.transpose(), r * v * r.transpose());
        let sd = |m: &nalgebra::Matrix3<f64>| [0, 1, 2].map(|i| m[(i, i)].max(0.0).sqrt());
        Self {
            position_sigma_m: sd(&p),
            en_covariance_m2: p[(0, 1)],
            velocity_sigma_mps: sd(&v),
        }
    }
}

/// What an `entity_state` event describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A threat.
    Threat,
    /// One of the defense's interceptors.
    Interceptor,
}

/// What happened. Serialised with `"kind"` set to the variant's snake-case name.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// Where a threat or an interceptor is: sampled at the run's state interval and at each of
    /// its own events (see [`crate::engine::RunOptions::state_interval`]).
    EntityState {
        /// Threat id (`R<raid>-<n>`) or interceptor name (`<fire unit>/I<n>`).
        entity: String,
        /// `threat` or `interceptor`.
        entity_kind: EntityKind,
        /// Threat type or interceptor type name.
        entity_type: String,
        /// ECEF position, m.
        position_m: [f64; 3],
        /// ECEF velocity, m/s.
        velocity_mps: [f64; 3],
        /// The point below it on the ellipsoid.
        at: LatLon,
        /// Height above the ellipsoid, m.
        alt_m: f64,
    },
    /// A threat left its launcher.
    Launch {
        /// Threat id (`R<raid>-<n>`).
        threat: String,
        /// Threat type name.
        threat_type: String,
        /// `ballistic`, `cruise`, `aircraft` or `uas`.
        class: String,
        /// Launch site.
        site: LatLon,
        /// The intended aim point (before aim error).
        aim: LatLon,
        /// The asset aimed at, if the raid named one.
        aim_asset: Option<String>,
    },
    /// A ballistic missile's thrust ended.
    Burnout {
        /// Threat id.
        threat: String,
        /// Height above the ellipsoid, m.
        alt_m: f64,
        /// Speed relative to the Earth, m/s.
        speed_mps: f64,
    },
    /// A threat reached the highest point of its flight.
    Apogee {
        /// Threat id.
        threat: String,
        /// Height above the ellipsoid, m.
        alt_m: f64,
    },
    /// An air-breathing threat began its terminal dive.
    Dive {
        /// Threat id.
        threat: String,
        /// Height above the ellipsoid, m.
        alt_m: f64,
    },
    /// A threat failed in flight and broke up (no impact follows).
    Failure {
        /// Threat id.
        threat: String,
        /// Where it broke up.
        #[serde(flatten)]
        at: LatLon,
        /// Height above the ellipsoid, m.
        alt_m: f64,
        /// Highest height reached before the failure, m.
        max_alt_m: f64,
        /// Highest speed reached before the failure, m/s.
        max_speed_mps: f64,
    },
    /// A radar finished a search scan and its tracker processed it.
    Scan {
        /// The radar's name.
        radar: String,
        /// Detections of threats in this scan.
        detections: u32,
        /// False alarms in this scan.
        false_alarms: u32,
        /// Confirmed tracks after the scan.
        tracks: u32,
        /// Threats in the radar's coverage at the scan (truth).
        threats_in_coverage: u32,
        /// GOSPA (p = 2, c = 1 km, α = 2) of the confirmed tracks against the threats in
        /// coverage, m (truth, for scoring only).
        gospa_m: f64,
    },
    /// A track dwell looked for a track's target in the track's range gate and the target was
    /// outside it: the detection was not made.
    RangeGateMiss {
        /// The radar's name.
        radar: String,
        /// The track whose gate missed.
        track: u64,
        /// Centre of the range gate, m.
        gate_centre_m: f64,
        /// How far the radar's clock displaced the gate from the track's true prediction, m:
        /// the track's closing speed times the clock's error, at any uptime (docs/models.md,
        /// "Range gates and the system clock").
        offset_m: f64,
        /// The target's measured range, m.
        range_m: f64,
        /// Truth: the threat (or interceptor) whose detection was lost (recorded only for real
        /// objects, and only where the clock moved the gate by a metre or more). Never for a
        /// tracker's use.
        truth: Option<String>,
    },
    /// A radar's tracker confirmed a track.
    TrackInitiated {
        /// The radar's name.
        radar: String,
        /// Track id (unique per radar).
        track: u64,
    },
    /// A radar's tracker deleted a confirmed track.
    TrackDropped {
        /// The radar's name.
        radar: String,
        /// Track id.
        track: u64,
    },
    /// A system track of the fusion node changed: it was started, a sensor's track joined or
    /// left it, or it was dropped.
    SystemTrack {
        /// System track number.
        track: u64,
        /// `initiated`, `joined`, `left` or `dropped`.
        change: String,
        /// The sensor that started it, joined or left (null when dropped).
        sensor: Option<String>,
        /// The sensors whose tracks form it after the change.
        sensors: Vec<String>,
    },
    /// Scoring only: one sample of a picture's single integrated air picture counts, after a
    /// radar's scan (its picture) or a report's arrival at the node (`network`); see
    /// [`crate::siap`]. Written with the other sensing events (`--log-detections`).
    Siap {
        /// `network`, or the radar's name.
        picture: String,
        /// The counts.
        #[serde(flatten)]
        sample: crate::siap::SiapSample,
    },
    /// An early-warning sensor's launch warning reached the fusion node: a new track of a
    /// plume, with the launch it reports.
    LaunchWarning {
        /// The sensor.
        sensor: String,
        /// Its track of the plume.
        track: u64,
        /// The reported launch time, s since the epoch.
        launch_t: f64,
        /// Its standard deviation, s.
        launch_t_sigma_s: f64,
        /// The reported launch point.
        launch_point: LatLon,
        /// Its standard deviation on east and north, m.
        launch_point_sigma_m: f64,
        /// The reported heading, degrees clockwise from north.
        heading_deg: f64,
        /// Its standard deviation, degrees.
        heading_sigma_deg: f64,
        /// The threat (truth, for scoring only).
        truth: Option<String>,
    },
    /// A warning to an asset: the defense first knows a threat endangers it (a radar's track
    /// predicts it will strike it, or an early-warning launch cue's heading points at it), or
    /// the scenario's strategic warning was given (then every field of a threat is null). The
    /// alarm sounds there at `alarm_t`, after the asset's dissemination delay.
    Warning {
        /// The asset.
        asset: String,
        /// The radar whose track it is, or the early-warning sensor whose launch cue it is;
        /// null for a strategic warning.
        radar: Option<String>,
        /// The track.
        track: Option<u64>,
        /// The track's class (`ballistic` for a launch cue).
        class: Option<String>,
        /// The predicted probability of striking the asset (null for a launch cue).
        p_hit: Option<f64>,
        /// The predicted time left to impact when the defense knew, s (null for a launch cue).
        time_to_impact_s: Option<f64>,
        /// When the alarm sounded at the asset, s since the epoch (before 0 for a strategic
        /// warning given before the epoch).
        alarm_t: f64,
        /// The predicted time left to impact when the alarm sounded, s: `time_to_impact_s`
        /// less the dissemination delay (null when not predicted).
        warning_time_s: Option<f64>,
        /// The threat (truth, for scoring only).
        truth: Option<String>,
    },
    /// A gun's burst reached its aim point: whether it destroyed the threat there.
    GunBurst {
        /// The gun.
        gun: String,
        /// The track of its radar it fired on.
        track: u64,
        /// When the burst began, s since the epoch.
        fired_t: f64,
        /// Rounds fired.
        rounds: u32,
        /// Slant range to the aim point, m.
        range_m: f64,
        /// Height of the aim point above the ellipsoid, m.
        alt_m: f64,
        /// The aim point.
        at: LatLon,
        /// The threat nearest the aim point (truth), if any is in flight.
        threat: Option<String>,
        /// The burst's offset from that threat across the line of fire (the fire-control
        /// error plus the burst's aim error), m.
        miss_m: f64,
        /// The probability that one round strikes the threat's vulnerable area.
        p_round: f64,
        /// The kill probability the gun expected of the burst when it fired (from its track's
        /// error and its planning vulnerable area).
        planned_pk: f64,
        /// The probability that the burst kills.
        pk: f64,
        /// Whether it did.
        kill: bool,
        /// Rounds that missed and met the ground before they self-destructed.
        rounds_fallen: u32,
        /// Ground range from the gun at which they fell, m (null when none fell).
        fall_range_m: Option<f64>,
        /// Rounds left in the magazine.
        rounds_left: u32,
    },
    /// A message to the fusion node was lost: a radar's track report, sent at this time.
    MessageLost {
        /// The radar whose link lost it.
        link: String,
        /// `loss` (the link's loss probability) or `outage` (the link was out).
        reason: String,
    },
    /// A confirmed track's estimate after a scan, in the radar's east-north-up frame at its
    /// antenna (recorded only when asked for: `--tracks-csv`).
    TrackUpdate {
        /// The radar's name.
        radar: String,
        /// Track id.
        track: u64,
        /// Position east, north, up, m.
        position_m: [f64; 3],
        /// Velocity east, north, up, m/s.
        velocity_mps: [f64; 3],
        /// Its estimated accuracy, in the east-north-up axes at its position.
        #[serde(flatten)]
        accuracy: Accuracy,
    },
    /// A system track of the network's composite picture after the node took a report, in ECEF
    /// (recorded only when asked for, as `track_update`; tracks only an early-warning sensor
    /// holds are cues, not the picture, and are left out).
    SystemTrackUpdate {
        /// System track number.
        track: u64,
        /// ECEF position, m.
        position_m: [f64; 3],
        /// ECEF velocity, m/s.
        velocity_mps: [f64; 3],
        /// The sensors whose tracks it fuses.
        sensors: u32,
        /// Its estimated accuracy, in the east-north-up axes at its position.
        #[serde(flatten)]
        accuracy: Accuracy,
    },
    /// A radar detected something: a target, or noise (a false alarm, `truth` null).
    Detection {
        /// The radar's name.
        radar: String,
        /// Measured slant range, m.
        range_m: f64,
        /// Measured azimuth, radians clockwise from north.
        azimuth_rad: f64,
        /// Measured elevation, radians.
        elevation_rad: f64,
        /// Measured range rate (positive opening), m/s.
        range_rate_mps: f64,
        /// Signal-to-noise ratio, dB.
        snr_db: f64,
        /// 1σ error of the range, m.
        sigma_range_m: f64,
        /// 1σ error of each angle, rad.
        sigma_angle_rad: f64,
        /// 1σ error of the range rate, m/s.
        sigma_range_rate_mps: f64,
        /// Truth: the threat detected, or null for a false alarm. Never for a tracker's use.
        truth: Option<String>,
    },
    /// The battle manager evaluated a track: its class, where it is going, what it threatens.
    ThreatEvaluated {
        /// The radar holding the track.
        radar: String,
        /// Track id.
        track: u64,
        /// `ballistic` or `air_breathing`, from the track's kinematics.
        class: String,
        /// The asset most likely hit, or null.
        asset: Option<String>,
        /// Probability of hitting that asset.
        p_hit: f64,
        /// Expected value destroyed over the defended assets (Σ P(hit)·value).
        value_at_risk: f64,
        /// Priority: value at risk per second of time to go (at least 1 s).
        priority: f64,
        /// Predicted time until it reaches that asset (or impacts), s.
        time_to_go_s: Option<f64>,
        /// Predicted impact point of a ballistic track.
        impact: Option<LatLon>,
    },
    /// A fire unit committed interceptors against a track.
    EngagementPlanned {
        /// Fire unit.
        fire_unit: String,
        /// The radar holding the track.
        radar: String,
        /// Track id.
        track: u64,
        /// Launcher id (`<fire unit>/L<n>`) of the first interceptor.
        launcher: String,
        /// Interceptors to launch now.
        shots: u32,
        /// Planned launch time of the first, s since the epoch.
        launch_s: f64,
        /// Predicted intercept time, s since the epoch.
        intercept_s: f64,
        /// The engagement window: earliest and latest launch times, s since the epoch.
        window_s: [f64; 2],
        /// Predicted intercept point.
        pip: LatLon,
        /// Its height above the ellipsoid, m.
        alt_m: f64,
        /// Its ground range from the launcher, m.
        ground_range_m: f64,
        /// The expected value the assignment saves with this engagement.
        value: f64,
        /// The fire unit's channels in use with this engagement, and how many it has.
        channels_busy: u32,
        /// The fire unit's fire channels.
        channels: u32,
        /// Whether `track` is the fusion node's system track (true) or the radar's own.
        system_track: bool,
        /// The sensors whose data formed the track the decision used.
        sensors: Vec<String>,
        /// Whether the fire unit's own radar did not hold the threat at the decision.
        on_remote: bool,
        /// The track's slant range from the launcher at the decision, m.
        range_m: f64,
        /// The threat the track follows (truth, for scoring only: the threat nearest the
        /// track's estimate within 5 km; null for a track of no threat).
        truth: Option<String>,
    },
    /// An interceptor left its launcher.
    #[serde(rename = "launch")]
    InterceptorLaunch {
        /// Interceptor id (`<fire unit>/I<n>`).
        interceptor: String,
        /// Interceptor type name.
        interceptor_type: String,
        /// Fire unit.
        fire_unit: String,
        /// Launcher id.
        launcher: String,
        /// Launch site.
        site: LatLon,
        /// The radar guiding it.
        radar: String,
        /// The track it is sent against.
        target_track: u64,
        /// Whether `target_track` is the fusion node's system track.
        system_track: bool,
        /// The sensors whose data formed the track at the launch.
        sensors: Vec<String>,
        /// Whether the fire unit's own radar did not hold the threat at the launch.
        on_remote: bool,
    },
    /// An interceptor passed its closest point of approach to the threat it homed on.
    Intercept {
        /// Interceptor id.
        interceptor: String,
        /// Fire unit.
        fire_unit: String,
        /// The threat it met (truth).
        threat: String,
        /// Miss distance at the closest approach, m.
        miss_m: f64,
        /// Kill probability at that miss.
        pk: f64,
        /// Whether the threat was destroyed.
        kill: bool,
        /// Where.
        #[serde(flatten)]
        at: LatLon,
        /// Height above the ellipsoid, m.
        alt_m: f64,
        /// Ground range from the launcher, m.
        ground_range_m: f64,
        /// Closing speed, m/s.
        closing_speed_mps: f64,
        /// Interceptor flight time, s.
        flight_s: f64,
    },
    /// An interceptor ended its flight without an intercept.
    InterceptorLost {
        /// Interceptor id.
        interceptor: String,
        /// Fire unit.
        fire_unit: String,
        /// The track its engagement was against.
        track: u64,
        /// Whether `track` is the fusion node's system track (else the unit's radar's).
        system_track: bool,
        /// `time_out` (its longest flight), `ground`, `out_of_energy` (below 300 m/s after
        /// burn-out), `target_gone` (the threat its seeker locked on ended first),
        /// `no_lock_past_intercept` (no seeker lock `acquisition_grace` after its planned
        /// intercept time), or `dud` (a failed interceptor, for any of these but `ground`).
        reason: String,
        /// Where it was.
        #[serde(flatten)]
        at: LatLon,
        /// Its height above the ellipsoid, m.
        alt_m: f64,
        /// Flight time from launch, s.
        flight_s: f64,
    },
    /// A fire unit's radar judged the outcome of an intercept.
    KillAssessed {
        /// Fire unit.
        fire_unit: String,
        /// Interceptor id.
        interceptor: String,
        /// Track id.
        track: u64,
        /// Whether `track` is the fusion node's system track (else the unit's radar's).
        system_track: bool,
        /// What the radar concluded.
        assessed_kill: bool,
        /// Whether that matches the truth.
        correct: bool,
    },
    /// A threat got through the defense and hit an asset.
    Leak {
        /// Threat id.
        threat: String,
        /// The asset hit.
        asset: String,
        /// Whether any interceptor's seeker locked on it.
        engaged: bool,
    },
    /// A threat from a feed left the run in flight: its entity was removed from the exercise,
    /// detonated in the air, or fell silent for the feed's time-out (no impact follows).
    Removed {
        /// Threat id.
        threat: String,
        /// Where it was, dead-reckoned.
        #[serde(flatten)]
        at: LatLon,
        /// Height above the ellipsoid, m.
        alt_m: f64,
        /// `removed` (a Remove Entity PDU, or its appearance deactivated), `timed_out`, or
        /// `detonated` (a Detonation PDU in the air).
        reason: String,
    },
    /// A threat reached the ground.
    Impact {
        /// Threat id.
        threat: String,
        /// Impact point.
        #[serde(flatten)]
        at: LatLon,
        /// Geodesic distance from the intended aim point, m.
        miss_m: f64,
        /// The asset hit (impact within its radius), or null.
        asset: Option<String>,
        /// Speed at impact, m/s.
        speed_mps: f64,
        /// Highest height of the flight, m.
        max_alt_m: f64,
        /// Highest speed of the flight, m/s.
        max_speed_mps: f64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_is_turned_to_the_axes_at_the_track() {
        // At latitude 0, longitude 0, ECEF x is up, y east, z north.
        let at = rampart_core::Geodetic::from_degrees(0.0, 0.0, 1_000.0).to_ecef();
        let mut p = nalgebra::Matrix3::from_diagonal(&nalgebra::Vector3::new(1.0, 4.0, 9.0));
        p[(1, 2)] = 2.5;
        p[(2, 1)] = 2.5;
        let v = nalgebra::Matrix3::from_diagonal(&nalgebra::Vector3::new(0.25, 1.0, 16.0));
        let a = Accuracy::at(&at, &p, &v);
        let close = |x: [f64; 3], y: [f64; 3]| x.iter().zip(y).all(|(a, b)| (a - b).abs() < 1e-9);
        assert!(close(a.position_sigma_m, [2.0, 3.0, 1.0]), "{a:?}");
        assert!((a.en_covariance_m2 - 2.5).abs() < 1e-9);
        assert!(close(a.velocity_sigma_mps, [1.0, 4.0, 0.5]), "{a:?}");
    }

    #[test]
    fn serialises_flat_with_kind_and_times() {
        let e = Event::new(
            SimTime::from_nanos(1_500_000_001),
            EventKind::Apogee {
                threat: "R1-1".into(),
                alt_m: 120e3,
            },
        );
        let s = serde_json::to_string(&e).unwrap();
        assert_eq!(
            s,
            r#"{"t_ns":1500000001,"t":1.500000001,"kind":"apogee","threat":"R1-1","alt_m":120000.0}"#
        );
    }
}
