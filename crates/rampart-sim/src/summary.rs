//! The run summary, folded from the event log (never from a second account of the run).
//!
//! Its JSON form is documented key by key in `docs/outputs.md`.

use crate::events::{Event, EventKind, LatLon};
use crate::scenario::Scenario;
use crate::siap::{SiapFold, SiapSummary};
use crate::sink::{EventSink, SinkError};
use crate::stages::network::NETWORK_PICTURE;
use serde::Serialize;
use std::collections::HashMap;

mod effects;
use crate::passive::Effects;
use effects::effects;

/// How a threat's flight ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It reached the ground.
    Impact,
    /// An interceptor destroyed it.
    Intercepted,
    /// It failed in flight.
    Failed,
    /// The scenario ended while it was still flying.
    InFlight,
    /// A threat from a feed left the exercise in flight.
    Removed,
}

/// One threat's line of the summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreatSummary {
    /// Threat id, `R<raid>-<n>`.
    pub id: String,
    /// Threat type name.
    #[serde(rename = "type")]
    pub threat_type: String,
    /// `ballistic`, `cruise`, `aircraft` or `uas`.
    pub class: String,
    /// Launch time, s after the epoch.
    pub launch_t: f64,
    /// Impact time, s after the epoch (null unless it impacted).
    pub impact_t: Option<f64>,
    /// Failure time, s after the epoch (null unless it failed).
    pub failure_t: Option<f64>,
    /// Highest height above the ellipsoid reached, m (null if still flying at the end).
    pub apogee_m: Option<f64>,
    /// Highest speed reached, m/s (null if still flying at the end).
    pub max_speed_mps: Option<f64>,
    /// Impact point (null unless it impacted).
    pub impact: Option<LatLon>,
    /// Intended aim point.
    pub aim: LatLon,
    /// Distance from the aim point to the impact, m (null unless it impacted).
    pub miss_m: Option<f64>,
    /// The asset hit, if any.
    pub asset_hit: Option<String>,
    /// How its flight ended.
    pub outcome: Outcome,
    /// The kill, when intercepted.
    pub intercept: Option<KillSummary>,
    /// Interceptors that homed on it.
    pub interceptors_at: u32,
    /// Gun bursts judged against it.
    pub bursts_at: u32,
    /// For each radar of the scenario (in scenario order), its first detection of this threat.
    pub first_detection: Vec<FirstDetection>,
    /// The first engagement planned on a track of this threat (by the scoring label of its
    /// `engagement_planned` event), if any.
    pub first_engagement: Option<EngagementSummary>,
    /// When the first alarm for it sounded at an asset (by the scoring label of its `warning`
    /// event), s after the epoch.
    pub warned_t: Option<f64>,
    /// Its warning time: its impact less the first alarm for it at the asset it hit (at any
    /// asset, when it hit none), s (null unless it landed after that alarm).
    pub warning_time_s: Option<f64>,
}

/// The first engagement planned on a threat.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngagementSummary {
    /// When it was planned, s after the epoch.
    pub t: f64,
    /// When it was planned, s after the threat's launch.
    pub after_launch_s: f64,
    /// The shooter.
    pub fire_unit: String,
    /// The track engaged: the radar's track number, or the node's system track number.
    pub track: u64,
    /// Whether `track` is a system track of the network.
    pub system_track: bool,
    /// The sensors whose data formed the track.
    pub sensors: Vec<String>,
    /// Whether the shooter's own radar did not hold the threat then.
    pub on_remote: bool,
    /// The track's slant range from the launcher then, m.
    pub range_m: f64,
}

impl ThreatSummary {
    /// When its flight ended: its impact, failure or kill (`None` while it still flew at the
    /// end of the run), s since the epoch.
    pub fn end_t(&self) -> Option<f64> {
        self.impact_t
            .or(self.failure_t)
            .or(self.intercept.as_ref().map(|k| k.t))
    }
}

/// The intercept that destroyed a threat.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KillSummary {
    /// Interceptor id, or the gun's name.
    pub interceptor: String,
    /// Whether a gun's burst destroyed it (then `ground_range_m` is the slant range from the
    /// gun).
    pub by_gun: bool,
    /// Time of the kill, s after the epoch.
    pub t: f64,
    /// Height above the ellipsoid, m.
    pub alt_m: f64,
    /// Ground range from the launcher, m.
    pub ground_range_m: f64,
    /// Miss distance, m.
    pub miss_m: f64,
}

/// What one fire unit did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FireUnitSummary {
    /// Fire unit name.
    pub name: String,
    /// Engagements planned.
    pub engagements: u32,
    /// Interceptors launched.
    pub interceptors_launched: u32,
    /// Interceptors left (ready and spare loads).
    pub interceptors_left: u32,
    /// Intercepts (closest approaches reached).
    pub intercepts: u32,
    /// Kills.
    pub kills: u32,
    /// Interceptors lost without an intercept (`interceptor_lost` events). Every interceptor
    /// launched reaches an intercept, is lost, or is still flying when the scenario ends.
    pub interceptors_lost: u32,
    /// The most of its fire channels in use at once (when an engagement was planned), and how
    /// many it has.
    pub peak_channels_busy: u32,
    /// Its fire channels.
    pub channels: u32,
    /// What its interceptors launched cost, when every interceptor type it fires has a `cost`.
    pub cost: Option<f64>,
}

/// What one gun did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GunSummary {
    /// Gun name.
    pub name: String,
    /// Bursts fired.
    pub bursts: u32,
    /// Rounds fired.
    pub rounds_fired: u32,
    /// Rounds left in its magazine.
    pub rounds_left: u32,
    /// Threats its bursts destroyed.
    pub kills: u32,
    /// Rounds that missed and fell to the ground before they self-destructed.
    pub rounds_fallen: u32,
    /// What its rounds fired cost, when it has a `round_cost`.
    pub cost: Option<f64>,
}

/// A radar's first detection of one threat.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirstDetection {
    /// The radar's name.
    pub radar: String,
    /// Time of the first detection, s after the epoch (null if never detected).
    pub t: Option<f64>,
    /// Measured slant range of the first detection, m (null if never detected).
    pub range_m: Option<f64>,
    /// How far the radar's clock would displace a range gate placed on this threat at its
    /// first detection: its measured closing speed times the clock's error, m (0 for an exact
    /// clock; null if never detected).
    pub range_gate_offset_m: Option<f64>,
}

/// What one radar produced over the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RadarSummary {
    /// The radar's name.
    pub name: String,
    /// Search scans made.
    pub scans: u64,
    /// Detections of threats.
    pub detections: u64,
    /// False alarms.
    pub false_alarms: u64,
    /// Tracks its tracker confirmed.
    pub tracks_initiated: u64,
    /// Confirmed tracks its tracker deleted.
    pub tracks_dropped: u64,
    /// Detections lost because the target was outside its track's range gate.
    pub range_gate_misses: u64,
    /// Scans with at least one threat in coverage or one confirmed track.
    pub scored_scans: u64,
    /// Mean GOSPA (p = 2, c = 1 km, α = 2) of its confirmed tracks against the threats in its
    /// coverage over the scored scans, m (null if none).
    pub mean_gospa_m: Option<f64>,
}

/// Hits on one asset, its warning, and the expected effect on its people and aircraft.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssetSummary {
    /// Asset name.
    pub name: String,
    /// Number of impacts within its radius.
    pub hits: u32,
    /// When its first alarm sounded, s after the epoch (null if none did).
    pub alarm_t: Option<f64>,
    /// Its warning time: its first hit less that alarm, s (null unless hit after an alarm).
    pub warning_time_s: Option<f64>,
    /// The expected effect of the run's impacts on its people and aircraft (left out for an
    /// asset with neither; see [`crate::passive`]).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Effects>,
}

/// Whether a count is zero (such counts are left out of the summary).
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Counts over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Threats launched.
    pub launched: u32,
    /// Threats that reached the ground.
    pub impacted: u32,
    /// Threats that failed in flight.
    pub failed: u32,
    /// Threats still flying when the scenario ended.
    pub in_flight: u32,
    /// Threats from a feed that left the exercise in flight (left out when none did).
    #[serde(skip_serializing_if = "is_zero")]
    pub removed: u32,
    /// Impacts within some asset's radius.
    pub asset_hits: u32,
    /// Threats destroyed by interceptors or guns.
    pub intercepted: u32,
    /// Threats that hit an asset although the scenario has a defense.
    pub leaked: u32,
    /// Interceptors launched.
    pub interceptors_launched: u32,
    /// Expected people killed at all the assets (left out when no asset counts people or
    /// aircraft).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<f64>,
    /// Expected people injured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injured: Option<f64>,
    /// Expected aircraft destroyed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aircraft_destroyed: Option<f64>,
}

/// The summary of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    /// Scenario name.
    pub scenario: String,
    /// Seed of the run.
    pub seed: u64,
    /// Threats in launch order.
    pub threats: Vec<ThreatSummary>,
    /// Assets in scenario order.
    pub assets: Vec<AssetSummary>,
    /// Radars in scenario order.
    pub radars: Vec<RadarSummary>,
    /// Fire units in scenario order.
    pub fire_units: Vec<FireUnitSummary>,
    /// Counter-RAM guns in scenario order.
    pub guns: Vec<GunSummary>,
    /// Single integrated air picture measures of each radar's picture (scenario order) and,
    /// with a network, of the network's (last).
    pub siap: Vec<SiapSummary>,
    /// Totals.
    pub totals: Totals,
    /// The scenario's warnings (see docs/scenario-format.md, "Warnings").
    pub warnings: Vec<crate::scenario::ScenarioWarning>,
}

/// The run summary, folded from the events as they come: an [`EventSink`], so a run (a
/// Monte Carlo replication) need not keep its events to be summarised.
#[derive(Debug)]
pub struct SummaryFold<'s> {
    scenario: &'s Scenario,
    seed: u64,
    threats: Vec<ThreatSummary>,
    /// Threat id → index into `threats`, filled as launches are seen.
    index: HashMap<String, usize>,
    assets: Vec<AssetSummary>,
    radars: Vec<RadarSummary>,
    no_detections: Vec<FirstDetection>,
    units: Vec<FireUnitSummary>,
    guns: Vec<GunSummary>,
    siap: Vec<SiapFold>,
    totals: Totals,
    /// Every impact: when, where, and its threat type's index.
    impacts: Vec<(f64, LatLon, Option<usize>)>,
    /// The first alarm for each threat (by index) at each asset (by name).
    threat_alarms: HashMap<(usize, String), f64>,
}

impl<'s> SummaryFold<'s> {
    /// An empty summary of a run of `scenario` with `seed`.
    pub fn new(scenario: &'s Scenario, seed: u64) -> Self {
        let threats: Vec<ThreatSummary> = Vec::new();
        let index: HashMap<String, usize> = HashMap::new();
        let assets: Vec<AssetSummary> = scenario
            .assets
            .iter()
            .map(|a| AssetSummary {
                name: a.name.clone(),
                hits: 0,
                alarm_t: None,
                warning_time_s: None,
                effects: None,
            })
            .collect();
        let radars: Vec<RadarSummary> = scenario
            .radars
            .iter()
            .map(|r| RadarSummary {
                name: r.name.clone(),
                scans: 0,
                detections: 0,
                false_alarms: 0,
                tracks_initiated: 0,
                tracks_dropped: 0,
                range_gate_misses: 0,
                scored_scans: 0,
                mean_gospa_m: None,
            })
            .collect();
        let no_detections: Vec<FirstDetection> = scenario
            .radars
            .iter()
            .map(|r| FirstDetection {
                radar: r.name.clone(),
                t: None,
                range_m: None,
                range_gate_offset_m: None,
            })
            .collect();
        let units: Vec<FireUnitSummary> = scenario
            .fire_units
            .iter()
            .map(|u| FireUnitSummary {
                name: u.name.clone(),
                engagements: 0,
                interceptors_launched: 0,
                interceptors_left: u
                    .launchers
                    .iter()
                    .map(|l| l.count * l.rounds * (1 + l.reloads))
                    .sum(),
                intercepts: 0,
                kills: 0,
                interceptors_lost: 0,
                peak_channels_busy: 0,
                channels: u.channels,
                cost: u
                    .launchers
                    .iter()
                    .all(|l| scenario.interceptor_types[l.interceptor].cost.is_some())
                    .then_some(0.0),
            })
            .collect();
        let guns = scenario
            .guns
            .iter()
            .map(|g| GunSummary {
                name: g.name.clone(),
                bursts: 0,
                rounds_fired: 0,
                rounds_left: g.magazine,
                kills: 0,
                rounds_fallen: 0,
                cost: g.round_cost.map(|_| 0.0),
            })
            .collect();
        Self {
            scenario,
            seed,
            threats,
            index,
            assets,
            radars,
            no_detections,
            units,
            guns,
            siap: scenario
                .radars
                .iter()
                .map(|r| SiapFold::new(&r.name))
                .chain(
                    scenario
                        .network
                        .enabled
                        .then(|| SiapFold::new(NETWORK_PICTURE)),
                )
                .collect(),
            totals: Totals::default(),
            impacts: Vec::new(),
            threat_alarms: HashMap::new(),
        }
    }

    /// Folds in the next event.
    pub fn add(&mut self, e: &Event) {
        let Self {
            scenario,
            threats,
            index,
            assets,
            radars,
            no_detections,
            units,
            guns,
            siap,
            totals,
            impacts,
            threat_alarms,
            ..
        } = self;
        let scenario: &Scenario = scenario;
        match &e.kind {
            EventKind::Launch {
                threat,
                threat_type,
                class,
                aim,
                ..
            } => {
                totals.launched += 1;
                index.insert(threat.clone(), threats.len());
                threats.push(ThreatSummary {
                    id: threat.clone(),
                    threat_type: threat_type.clone(),
                    class: class.clone(),
                    launch_t: e.t,
                    impact_t: None,
                    failure_t: None,
                    apogee_m: None,
                    max_speed_mps: None,
                    impact: None,
                    aim: *aim,
                    miss_m: None,
                    asset_hit: None,
                    outcome: Outcome::InFlight,
                    intercept: None,
                    interceptors_at: 0,
                    bursts_at: 0,
                    first_detection: no_detections.clone(),
                    first_engagement: None,
                    warned_t: None,
                    warning_time_s: None,
                });
            }
            EventKind::Removed { threat, .. } => {
                if let Some(i) = index.get(threat.as_str()).copied() {
                    threats[i].outcome = Outcome::Removed;
                    totals.removed += 1;
                }
            }
            EventKind::Failure {
                threat,
                max_alt_m,
                max_speed_mps,
                ..
            } => {
                if let Some(i) = index.get(threat.as_str()).copied() {
                    let t = &mut threats[i];
                    t.failure_t = Some(e.t);
                    t.apogee_m = Some(*max_alt_m);
                    t.max_speed_mps = Some(*max_speed_mps);
                    t.outcome = Outcome::Failed;
                    totals.failed += 1;
                }
            }
            EventKind::Impact {
                threat,
                at,
                miss_m,
                asset,
                max_alt_m,
                max_speed_mps,
                ..
            } => {
                if let Some(i) = index.get(threat.as_str()).copied() {
                    let t = &mut threats[i];
                    t.impact_t = Some(e.t);
                    t.apogee_m = Some(*max_alt_m);
                    t.max_speed_mps = Some(*max_speed_mps);
                    t.impact = Some(*at);
                    t.miss_m = Some(*miss_m);
                    t.asset_hit = asset.clone();
                    t.outcome = Outcome::Impact;
                    let alarm = match asset {
                        Some(a) => threat_alarms.get(&(i, a.clone())).copied(),
                        None => t.warned_t,
                    };
                    t.warning_time_s = alarm.filter(|&w| w < e.t).map(|w| e.t - w);
                    totals.impacted += 1;
                    let ty = scenario
                        .threat_types
                        .iter()
                        .position(|ty| ty.name == t.threat_type);
                    impacts.push((e.t, *at, ty));
                    if let Some(a) = asset
                        .as_ref()
                        .and_then(|n| assets.iter_mut().find(|a| &a.name == n))
                    {
                        a.hits += 1;
                        totals.asset_hits += 1;
                        if a.hits == 1 {
                            a.warning_time_s = a.alarm_t.filter(|&w| w < e.t).map(|w| e.t - w);
                        }
                    }
                }
            }
            EventKind::Scan {
                radar,
                detections,
                false_alarms,
                tracks,
                threats_in_coverage,
                gospa_m,
            } => {
                if let Some(r) = radars.iter_mut().find(|x| &x.name == radar) {
                    r.scans += 1;
                    r.detections += u64::from(*detections);
                    r.false_alarms += u64::from(*false_alarms);
                    if *tracks > 0 || *threats_in_coverage > 0 {
                        // Running mean, so the sum never needs a second pass.
                        r.scored_scans += 1;
                        let m = r.mean_gospa_m.unwrap_or(0.0);
                        r.mean_gospa_m = Some(m + (gospa_m - m) / r.scored_scans as f64);
                    }
                }
            }
            EventKind::TrackInitiated { radar, .. } => {
                if let Some(r) = radars.iter_mut().find(|x| &x.name == radar) {
                    r.tracks_initiated += 1;
                }
            }
            EventKind::TrackDropped { radar, .. } => {
                if let Some(r) = radars.iter_mut().find(|x| &x.name == radar) {
                    r.tracks_dropped += 1;
                }
            }
            EventKind::TrackUpdate { .. } | EventKind::SystemTrackUpdate { .. } => {}
            // A detection of a threat: its first, per radar, goes into that threat's line.
            EventKind::Detection {
                radar,
                range_m,
                range_rate_mps,
                truth: Some(id),
                ..
            } => {
                let r = radars.iter().position(|x| &x.name == radar);
                if let (Some(r), Some(&i)) = (r, index.get(id.as_str())) {
                    let first = &mut threats[i].first_detection[r];
                    if first.t.is_none() {
                        first.t = Some(e.t);
                        first.range_m = Some(*range_m);
                        first.range_gate_offset_m = Some(
                            scenario.radars[r]
                                .clock
                                .gate_offset_m(e.time(), *range_rate_mps),
                        );
                    }
                }
            }
            EventKind::RangeGateMiss { radar, .. } => {
                if let Some(r) = radars.iter_mut().find(|x| &x.name == radar) {
                    r.range_gate_misses += 1;
                }
            }
            EventKind::Detection { truth: None, .. } => {}
            EventKind::Warning {
                asset,
                alarm_t,
                truth,
                ..
            } => {
                if let Some(i) = truth.as_deref().and_then(|n| index.get(n).copied()) {
                    let t = &mut threats[i];
                    t.warned_t = Some(t.warned_t.map_or(*alarm_t, |w| w.min(*alarm_t)));
                    let at = threat_alarms.entry((i, asset.clone())).or_insert(*alarm_t);
                    *at = at.min(*alarm_t);
                }
                if let Some(a) = assets.iter_mut().find(|a| &a.name == asset) {
                    a.alarm_t = Some(a.alarm_t.map_or(*alarm_t, |w| w.min(*alarm_t)));
                }
            }
            EventKind::SystemTrack { .. }
            | EventKind::MessageLost { .. }
            | EventKind::LaunchWarning { .. } => {}
            EventKind::Siap { picture, sample } => {
                if let Some(f) = siap.iter_mut().find(|f| f.picture() == picture) {
                    f.add(sample);
                }
            }
            EventKind::EngagementPlanned {
                fire_unit,
                channels_busy,
                track,
                system_track,
                sensors,
                on_remote,
                range_m,
                truth,
                ..
            } => {
                if let Some(u) = units.iter_mut().find(|u| &u.name == fire_unit) {
                    u.engagements += 1;
                    u.peak_channels_busy = u.peak_channels_busy.max(*channels_busy);
                }
                if let Some(th) = truth
                    .as_deref()
                    .and_then(|n| index.get(n).copied())
                    .map(|i| &mut threats[i])
                    && th.first_engagement.is_none()
                {
                    th.first_engagement = Some(EngagementSummary {
                        t: e.t,
                        after_launch_s: e.t - th.launch_t,
                        fire_unit: fire_unit.clone(),
                        track: *track,
                        system_track: *system_track,
                        sensors: sensors.clone(),
                        on_remote: *on_remote,
                        range_m: *range_m,
                    });
                }
            }
            EventKind::InterceptorLaunch {
                fire_unit,
                interceptor_type,
                ..
            } => {
                totals.interceptors_launched += 1;
                if let Some(u) = units.iter_mut().find(|u| &u.name == fire_unit) {
                    u.interceptors_launched += 1;
                    u.interceptors_left = u.interceptors_left.saturating_sub(1);
                    let price = scenario
                        .interceptor_types
                        .iter()
                        .find(|t| &t.name == interceptor_type)
                        .and_then(|t| t.cost);
                    u.cost = u.cost.zip(price).map(|(c, p)| c + p);
                }
            }
            EventKind::Intercept {
                interceptor,
                fire_unit,
                threat,
                miss_m,
                kill,
                alt_m,
                ground_range_m,
                ..
            } => {
                if let Some(u) = units.iter_mut().find(|u| &u.name == fire_unit) {
                    u.intercepts += 1;
                    u.kills += u32::from(*kill);
                }
                if let Some(i) = index.get(threat.as_str()).copied() {
                    let t = &mut threats[i];
                    t.interceptors_at += 1;
                    if *kill {
                        t.outcome = Outcome::Intercepted;
                        t.intercept = Some(KillSummary {
                            interceptor: interceptor.clone(),
                            by_gun: false,
                            t: e.t,
                            alt_m: *alt_m,
                            ground_range_m: *ground_range_m,
                            miss_m: *miss_m,
                        });
                        totals.intercepted += 1;
                    }
                }
            }
            EventKind::GunBurst {
                gun,
                threat,
                rounds,
                kill,
                rounds_fallen,
                rounds_left,
                miss_m,
                alt_m,
                range_m,
                ..
            } => {
                if let Some(s) = guns.iter_mut().find(|s| &s.name == gun) {
                    s.bursts += 1;
                    s.rounds_fired += rounds;
                    s.rounds_left = *rounds_left;
                    s.kills += u32::from(*kill);
                    s.rounds_fallen += rounds_fallen;
                    let price = scenario
                        .guns
                        .iter()
                        .find(|g| &g.name == gun)
                        .and_then(|g| g.round_cost);
                    s.cost = s.cost.zip(price).map(|(c, p)| c + p * f64::from(*rounds));
                }
                if let Some(i) = threat.as_deref().and_then(|n| index.get(n).copied()) {
                    threats[i].bursts_at += 1;
                }
                if *kill && let Some(i) = threat.as_deref().and_then(|n| index.get(n).copied()) {
                    let t = &mut threats[i];
                    t.outcome = Outcome::Intercepted;
                    t.intercept = Some(KillSummary {
                        interceptor: gun.clone(),
                        by_gun: true,
                        t: e.t,
                        alt_m: *alt_m,
                        ground_range_m: *range_m,
                        miss_m: *miss_m,
                    });
                    totals.intercepted += 1;
                }
            }
            EventKind::Leak { .. } => totals.leaked += 1,
            EventKind::InterceptorLost { fire_unit, .. } => {
                if let Some(u) = units.iter_mut().find(|u| &u.name == fire_unit) {
                    u.interceptors_lost += 1;
                }
            }
            EventKind::ThreatEvaluated { .. } | EventKind::KillAssessed { .. } => {}
            // The apogee as it is passed; an impact or failure later gives the flight's
            // maximum, and an intercepted threat keeps this one.
            EventKind::Apogee { threat, alt_m } => {
                if let Some(i) = index.get(threat.as_str()).copied() {
                    threats[i].apogee_m = Some(*alt_m);
                }
            }
            EventKind::Burnout { .. } | EventKind::Dive { .. } | EventKind::EntityState { .. } => {}
        }
    }

    /// The summary of the events folded in.
    pub fn finish(self) -> RunSummary {
        let Self {
            scenario,
            seed,
            threats,
            mut assets,
            radars,
            units,
            guns,
            siap,
            mut totals,
            impacts,
            ..
        } = self;
        effects(scenario, &mut assets, &impacts, &mut totals);
        totals.in_flight = threats
            .iter()
            .filter(|t| t.outcome == Outcome::InFlight)
            .count() as u32;
        RunSummary {
            scenario: scenario.name.clone(),
            seed,
            threats,
            assets,
            radars,
            fire_units: units,
            guns,
            siap: siap.iter().map(SiapFold::summary).collect(),
            totals,
            warnings: scenario.warnings.clone(),
        }
    }
}

impl EventSink for SummaryFold<'_> {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        self.add(&event);
        Ok(())
    }
}

impl RunSummary {
    /// Folds the events of a run of `scenario` with `seed` into its summary.
    pub fn from_events(scenario: &Scenario, seed: u64, events: &[Event]) -> Self {
        let mut fold = SummaryFold::new(scenario, seed);
        for e in events {
            fold.add(e);
        }
        fold.finish()
    }
}
