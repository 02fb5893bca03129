//! The discrete-event engine.
//!
//! A [`queue::Scheduler`] orders actions by (time, sequence number); the engine pops them in
//! order, lets the entity concerned act, and records [`Event`]s. There is no global time step:
//! each threat's flight is computed once at launch through the full physics and kept as a dense
//! trajectory, so its state at any instant is read on demand ([`Threat::state_at`]), and its
//! milestones (burn-out, apogee, dive, failure, impact) are scheduled at their exact times.

mod bounds;
mod defense;
pub mod flight_plan;
pub mod queue;
pub mod trace;

use crate::events::{Event, EventKind, LatLon};
use crate::scenario::{Scenario, ThreatKind};
use crate::sensors::radar::{Detection, Radar, TargetView};
use crate::tracking::RadarTracker;
use bounds::checked_times;
pub use bounds::{MAX_ACTIONS_PER_INSTANT, MAX_MEAN_FALSE_ALARMS, MAX_SCANS_PER_RADAR};
use flight_plan::{FlightPlan, PlanError, RaidCache, geodetic_at, maxima_until, plan, threat_id};
use queue::Scheduler;
use rampart_core::random::RandomStreams;
use rampart_core::{Coordinate, Ecef, Geodetic, SimDuration, SimTime, Vector};

/// Typed index of a threat in the [`World`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct ThreatId(pub u32);

/// A threat in the world: launched or waiting to be.
#[derive(Clone, Debug)]
pub struct Threat {
    /// Display id, `R<raid>-<n>`.
    pub name: String,
    /// Raid index in the scenario.
    pub raid: usize,
    /// Member index in the raid.
    pub member: u32,
    /// Launch time.
    pub launch: SimTime,
    /// The flight, once launched.
    pub plan: Option<FlightPlan>,
    /// When an interceptor destroyed it.
    pub killed: Option<SimTime>,
    /// The interceptor that destroyed it.
    pub killed_by: Option<String>,
}

impl Threat {
    /// ECEF position and velocity at `t`, while in flight.
    pub fn state_at(&self, t: SimTime) -> Option<(Coordinate<Ecef>, Vector<Ecef>)> {
        let p = self.plan.as_ref()?;
        if self.killed.is_some_and(|k| t >= k) {
            return None;
        }
        let s = (t - self.launch).as_secs_f64();
        if s > p.failure_s.unwrap_or(p.impact_s) {
            return None;
        }
        p.trajectory
            .state_at(s)
            .map(|(r, v)| (Coordinate::from_vector3(r), Vector::from_vector3(v)))
    }
}

/// Everything that exists in a run.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// All threats of all raids, in raid then member order.
    pub threats: Vec<Threat>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Milestone {
    Burnout,
    Apogee,
    Dive,
    Failure,
    Impact,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Action {
    Launch(ThreatId),
    Milestone(ThreatId, Milestone),
    /// Scan number `k` (from 0) of radar `r`.
    RadarScan {
        radar: usize,
        k: u64,
    },
    /// An interceptor of unit `unit` leaves launcher `launcher` for engagement `engagement`.
    InterceptorLaunch {
        unit: usize,
        engagement: usize,
        launcher: usize,
    },
    /// Guidance and flight step of interceptor `i`.
    InterceptorStep(usize),
    /// The radar assesses interceptor `interceptor`'s intercept (`kill`: the truth).
    KillAssessment {
        interceptor: usize,
        kill: bool,
    },
    /// Launcher `launcher` of unit `unit` is reloaded.
    Reload {
        unit: usize,
        launcher: usize,
    },
    /// The battle-management cycle.
    BattleManagement,
    /// Interceptor `interceptor` at its closest approach to threat `threat`.
    Endgame {
        interceptor: usize,
        threat: usize,
        miss_m: f64,
        closing_mps: f64,
    },
}

/// How a run is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// Seed of every random stream.
    pub seed: u64,
    /// Replication index (0 for a single run).
    pub replication: u64,
    /// Record each false alarm as a `detection` event (they are many; their number per scan is
    /// always in the `scan` event).
    pub false_alarm_events: bool,
    /// Record every confirmed track's estimate after every scan as a `track_update` event.
    pub track_events: bool,
}

impl RunOptions {
    /// Replication 0 with `seed`, false alarms counted but not recorded one by one.
    pub fn seed(seed: u64) -> Self {
        Self {
            seed,
            replication: 0,
            false_alarm_events: false,
            track_events: false,
        }
    }
}

/// A detection of a real object that a clock-displaced range gate did not make.
#[derive(Clone, Copy, Debug)]
struct GateMiss {
    track: u64,
    offset_m: f64,
    centre_m: f64,
    detection: Detection,
}

/// Why a run failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// The battle manager's weapon-target assignment was refused.
    #[error("assigning weapons at {t}")]
    Assignment {
        /// The time of the battle-management cycle.
        t: SimTime,
        /// The cause.
        source: crate::bmc::wta::WtaError,
    },
    /// A threat's flight could not be planned.
    #[error("planning the flight of threat {threat}")]
    Plan {
        /// Threat id.
        threat: String,
        /// The cause.
        source: PlanError,
    },
    /// A radar's scan schedule would never end or would not fit in any run: a revisit that is
    /// not positive, or more than [`MAX_SCANS_PER_RADAR`] scans before the end.
    #[error(
        "radar {radar}: a revisit of {revisit_s} s gives {scans:.3e} scans before the end of the run (at most {max:.0e}, with a positive revisit)",
        max = MAX_SCANS_PER_RADAR
    )]
    ScanSchedule {
        /// The radar's name.
        radar: String,
        /// Its revisit, s.
        revisit_s: f64,
        /// The scans it would make (infinite for a revisit that is not positive).
        scans: f64,
    },
    /// A radar would expect more than [`MAX_MEAN_FALSE_ALARMS`] false alarms per scan.
    #[error(
        "radar {radar}: {mean:.3e} false alarms expected per scan (pfa × resolution cells), more than {max:.0e}",
        max = MAX_MEAN_FALSE_ALARMS
    )]
    FalseAlarms {
        /// The radar's name.
        radar: String,
        /// Expected false alarms per scan.
        mean: f64,
    },
    /// The event loop carried out more than [`MAX_ACTIONS_PER_INSTANT`] actions at one
    /// instant without time moving on.
    #[error(
        "the run stopped making progress: more than {max} actions at {t} without time moving on",
        max = MAX_ACTIONS_PER_INSTANT
    )]
    Stalled {
        /// The instant.
        t: SimTime,
    },
}

/// An ECEF position and velocity.
type PositionVelocity = (Coordinate<Ecef>, Vector<Ecef>);

/// One replication of a scenario.
#[derive(Debug)]
pub struct Engine<'s> {
    scenario: &'s Scenario,
    streams: RandomStreams,
    queue: Scheduler<Action>,
    world: World,
    caches: Vec<RaidCache>,
    radars: Vec<Radar>,
    trackers: Vec<RadarTracker>,
    /// Each radar's latest scan, s since the epoch: the time of every live track's estimate.
    last_scan_s: Vec<Option<f64>>,
    end: SimTime,
    events: Vec<Event>,
    detections: Vec<Detection>,
    /// The threats in flight at a scan and their states, kept for the buffer's capacity.
    airborne: Vec<(usize, PositionVelocity)>,
    false_alarm_events: bool,
    track_events: bool,
    defense: defense::Defense,
    bmc_at: Option<SimTime>,
    /// Threats not yet ended (impact, failure or kill).
    threats_left: usize,
    /// The paths flown, when recorded (see [`trace::run_traced`]).
    trace: Option<trace::Trace>,
}

impl<'s> Engine<'s> {
    /// An engine with every launch of the scenario scheduled.
    pub fn new(scenario: &'s Scenario, opts: RunOptions) -> Self {
        let mut world = World::default();
        let mut queue = Scheduler::new();
        for (r, raid) in scenario.raids.iter().enumerate() {
            for k in 0..raid.count {
                // A launch past the representable time (a scenario near ±292 years) never
                // comes.
                let launch = checked_times(raid.interval, i64::from(k))
                    .and_then(|d| (SimTime::EPOCH + raid.first_launch).checked_add(d));
                let id = ThreatId(world.threats.len() as u32);
                world.threats.push(Threat {
                    name: threat_id(r, k),
                    raid: r,
                    member: k,
                    launch: launch.unwrap_or(SimTime::MAX),
                    plan: None,
                    killed: None,
                    killed_by: None,
                });
                if let Some(launch) = launch {
                    queue.schedule(launch, Action::Launch(id));
                }
            }
        }
        let radars: Vec<Radar> = scenario.radars.iter().cloned().map(Radar::new).collect();
        for (r, radar) in radars.iter().enumerate() {
            queue.schedule(
                SimTime::EPOCH + radar.params().first_scan,
                Action::RadarScan { radar: r, k: 0 },
            );
        }
        Self {
            scenario,
            streams: RandomStreams::new(opts.seed, opts.replication),
            queue,
            caches: vec![RaidCache::default(); scenario.raids.len()],
            trackers: radars.iter().map(RadarTracker::new).collect(),
            last_scan_s: vec![None; radars.len()],
            radars,
            end: SimTime::EPOCH
                .checked_add(scenario.duration)
                .unwrap_or(SimTime::MAX),
            events: Vec::new(),
            detections: Vec::new(),
            airborne: Vec::new(),
            false_alarm_events: opts.false_alarm_events,
            track_events: opts.track_events,
            defense: defense::Defense::new(scenario),
            bmc_at: None,
            threats_left: world.threats.len(),
            trace: None,
            world,
        }
    }

    /// The world as it stands.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Runs to the end of the scenario (or until nothing is left to happen) and returns the
    /// events in time order.
    pub fn run(mut self) -> Result<Vec<Event>, EngineError> {
        self.run_to_end()?;
        Ok(self.events)
    }

    /// The simulation time the run stopped at.
    fn run_to_end(&mut self) -> Result<SimTime, EngineError> {
        self.check_bounds()?;
        let mut now = SimTime::EPOCH;
        // Actions carried out at `now` so far: time never goes back (the queue is ordered),
        // so a run that stops moving forward shows up here.
        let mut at_now: u64 = 0;
        while let Some(t) = self.queue.peek_time() {
            if t > self.end {
                break;
            }
            let Some((t, action)) = self.queue.pop() else {
                break;
            };
            if t == now {
                at_now += 1;
                if at_now > MAX_ACTIONS_PER_INSTANT {
                    return Err(EngineError::Stalled { t });
                }
            } else {
                at_now = 1;
            }
            now = t;
            self.step(t, action)?;
            if self.finished() {
                break;
            }
        }
        Ok(now)
    }

    /// Past the last impact, failure or kill, with nothing of the defense still in the air or
    /// waiting on an assessment, only false alarms remain: the run ends.
    fn finished(&self) -> bool {
        self.threats_left == 0 && self.defense.outstanding == 0 && !self.world.threats.is_empty()
    }

    fn emit(&mut self, t: SimTime, kind: EventKind) {
        self.events.push(Event::new(t, kind));
    }

    fn step(&mut self, t: SimTime, action: Action) -> Result<(), EngineError> {
        match action {
            Action::Launch(id) => self.launch(t, id),
            Action::Milestone(id, m) => {
                self.milestone(t, id, m);
                Ok(())
            }
            Action::RadarScan { radar, k } => {
                self.scan(t, radar, k);
                // One battle-management cycle per instant, after every scan at that instant
                // (scans already queued for `t` come before it).
                if self.scenario.fire_units.iter().any(|u| u.radar == radar)
                    && self.bmc_at != Some(t)
                {
                    self.bmc_at = Some(t);
                    self.queue.schedule(t, Action::BattleManagement);
                }
                Ok(())
            }
            Action::BattleManagement => self.battle_manage(t),
            Action::Endgame {
                interceptor,
                threat,
                miss_m,
                closing_mps,
            } => {
                self.endgame(t, interceptor, threat, miss_m, closing_mps);
                Ok(())
            }
            Action::InterceptorLaunch {
                unit,
                engagement,
                launcher,
            } => {
                self.launch_interceptor(t, unit, engagement, launcher);
                Ok(())
            }
            Action::InterceptorStep(i) => {
                self.interceptor_step(t, i);
                Ok(())
            }
            Action::KillAssessment { interceptor, kill } => {
                self.kill_assessment(t, interceptor, kill);
                Ok(())
            }
            Action::Reload { unit, launcher } => {
                self.reload(unit, launcher);
                Ok(())
            }
        }
    }

    /// Radar `r`'s scan number `k`: every threat in flight is offered to it; its detections
    /// become events; the next scan is scheduled at its exact time.
    fn scan(&mut self, t: SimTime, r: usize, k: u64) {
        let scenario = self.scenario;
        let radar = &self.radars[r];
        let n_threats = self.world.threats.len();
        // Every threat in flight, where it is now (indices into the world's threats).
        let mut airborne = std::mem::take(&mut self.airborne);
        airborne.clear();
        airborne.extend(
            self.world
                .threats
                .iter()
                .enumerate()
                .filter_map(|(i, th)| th.state_at(t).map(|s| (i, s))),
        );
        let threats = airborne.iter().map(|&(i, (position, velocity))| {
            let th = &self.world.threats[i];
            let ty = &scenario.threat_types[scenario.raids[th.raid].threat_type];
            TargetView {
                index: i,
                position,
                velocity,
                rcs_m2: ty.rcs_m2,
                swerling: ty.swerling,
            }
        });
        // The defense's own interceptors are echoes too (indices after the threats).
        let interceptors = self.defense.target_views(scenario, n_threats);
        let targets = threats.chain(interceptors);
        let name = &radar.params().name;
        let mut rng = self.streams.stream_numbered("radar/", name, "scan/", k);
        self.detections.clear();
        radar.scan(t, targets, &mut rng, &mut self.detections);
        let name = name.clone();
        let revisit = radar.params().revisit;
        let first = radar.params().first_scan;
        let detections = std::mem::take(&mut self.detections);
        let (excluded, gate_misses) = self.range_gate(t, r, &detections);
        let false_alarms = detections.iter().filter(|d| d.truth.is_none()).count();
        let own_echoes = detections
            .iter()
            .filter(|d| d.truth.is_some_and(|i| i >= n_threats))
            .count();
        // The radar's tracker takes the scan (false alarms and all: it cannot tell them apart).
        let report = self.trackers[r].step_gated(t.as_secs_f64(), &detections, &excluded);
        self.last_scan_s[r] = Some(t.as_secs_f64());
        let tracks = self.trackers[r].confirmed();
        // Scoring only: the threats this radar could see, against its confirmed tracks.
        let in_coverage: Vec<Coordinate<rampart_core::Enu>> = airborne
            .iter()
            .filter(|(_, (p, _))| self.radars[r].covers(p).is_some())
            .map(|(_, (p, _))| self.trackers[r].to_enu(p))
            .collect();
        self.airborne = airborne;
        let gospa_m = self.trackers[r].gospa(&in_coverage, &tracks);
        self.emit(
            t,
            EventKind::Scan {
                radar: name.clone(),
                detections: (detections.len() - false_alarms - own_echoes) as u32,
                false_alarms: false_alarms as u32,
                tracks: tracks.len() as u32,
                threats_in_coverage: in_coverage.len() as u32,
                gospa_m,
            },
        );
        for id in report.confirmed {
            self.emit(
                t,
                EventKind::TrackInitiated {
                    radar: name.clone(),
                    track: id,
                },
            );
        }
        for id in report.deleted {
            self.emit(
                t,
                EventKind::TrackDropped {
                    radar: name.clone(),
                    track: id,
                },
            );
        }
        if self.track_events {
            for tr in &tracks {
                let (p, v) = (tr.position.as_vector3(), tr.velocity.as_vector3());
                self.emit(
                    t,
                    EventKind::TrackUpdate {
                        radar: name.clone(),
                        track: tr.id,
                        position_m: [p.x, p.y, p.z],
                        velocity_mps: [v.x, v.y, v.z],
                    },
                );
            }
        }
        for d in &detections {
            if d.truth.is_none() && !self.false_alarm_events {
                continue;
            }
            let truth = d.truth.map(|i| self.truth_name(i));
            self.emit(
                t,
                EventKind::Detection {
                    radar: name.clone(),
                    range_m: d.range_m,
                    azimuth_rad: d.azimuth_rad,
                    elevation_rad: d.elevation_rad,
                    range_rate_mps: d.range_rate_mps,
                    snr_db: d.snr_db(),
                    sigma_range_m: d.sigma[0],
                    sigma_angle_rad: d.sigma[1],
                    sigma_range_rate_mps: d.sigma[3],
                    truth,
                },
            );
        }
        for GateMiss {
            track,
            offset_m,
            centre_m,
            detection: d,
        } in gate_misses
        {
            let truth = d.truth.map(|i| self.truth_name(i));
            self.emit(
                t,
                EventKind::RangeGateMiss {
                    radar: name.clone(),
                    track,
                    gate_centre_m: centre_m,
                    offset_m,
                    range_m: d.range_m,
                    truth,
                },
            );
        }
        self.detections = detections; // keep the allocation for the next scan
        // Scans are placed at first + k·revisit exactly, never by accumulating. A scan past the
        // representable time never comes; nor does one that would not move time on (a revisit
        // that is not positive: `check_bounds` refuses it before the run).
        let next = i64::try_from(k)
            .ok()
            .and_then(|k| k.checked_add(1))
            .and_then(|k1| checked_times(revisit, k1))
            .and_then(|d| (SimTime::EPOCH + first).checked_add(d));
        if let Some(next) = next.filter(|&n| n > t && n <= self.end) {
            self.queue
                .schedule(next, Action::RadarScan { radar: r, k: k + 1 });
        }
    }

    /// The name of radar target `i`: a threat, or (after the threats) an interceptor.
    fn truth_name(&self, i: usize) -> String {
        match self.world.threats.get(i) {
            Some(th) => th.name.clone(),
            None => self.defense.interceptor_name(i - self.world.threats.len()),
        }
    }

    /// Range gating of radar `r`'s scan at `t`. A track dwell looks for each live track's
    /// target only within the track's range gate, centred where the track's filter predicts it
    /// for the time the radar's clock reads. A detection in a track's beam (within two
    /// beamwidths of its predicted direction) but outside its range window was not made by
    /// that dwell: it may not update that track (it remains a search detection, free to start
    /// or update other tracks). Returns those (track, detection index) pairs, and the misses
    /// to record: the pairs whose gate the clock displaced by a metre or more, with the
    /// detection of a real object (offset and centre of the gate).
    ///
    /// Every live track's estimate is at the radar's previous scan (each scan predicts all
    /// tracks to its time), and the tracker predicts only forward from it. A clock error
    /// longer than the time since that scan (at a 2 s revisit, from about 583 hours of
    /// uptime) places the gate before the estimate: the gate is then extrapolated along the
    /// track's range, through its estimate at the previous scan and its prediction for this
    /// one, to the time the clock reads. (Asked for a time before the estimate, the tracker
    /// would give the estimate itself, and every gate would lag by one revisit's travel at
    /// most, whatever the uptime.)
    fn range_gate(
        &mut self,
        t: SimTime,
        r: usize,
        detections: &[Detection],
    ) -> (Vec<(u64, usize)>, Vec<GateMiss>) {
        let p = self.radars[r].params();
        let half = 0.5 * p.range_gate_m;
        let cone = 2.0 * p.beamwidth_rad;
        let t_s = t.as_secs_f64();
        let error_s = p.clock.error_s(t);
        let since_s = self.last_scan_s[r].map_or(0.0, |prev| t_s - prev);
        let beyond_estimate = since_s > 0.0 && error_s > since_s;
        let asked_s = if beyond_estimate { since_s } else { error_s };
        let mut gates = self.trackers[r].range_gates(t_s, asked_s, detections, cone);
        if beyond_estimate {
            // Each gate is at the previous scan's estimate: its offset is the track's range
            // change over `since_s`; carried on at that rate to the clock's reading.
            let scale = error_s / since_s;
            for g in &mut gates {
                let predicted_m = g.centre_m - g.offset_m;
                g.offset_m *= scale;
                g.centre_m = predicted_m + g.offset_m;
            }
        }
        let mut excluded = Vec::new();
        let mut missed = Vec::new();
        for g in &gates {
            for (j, d) in detections.iter().enumerate() {
                let in_beam = rampart_core::geodesy::wrap_pi(d.azimuth_rad - g.azimuth_rad).abs()
                    < cone
                    && (d.elevation_rad - g.elevation_rad).abs() < cone;
                if in_beam && (d.range_m - g.centre_m).abs() > half {
                    excluded.push((g.track, j));
                    if g.offset_m.abs() >= 1.0 && d.truth.is_some() {
                        missed.push(GateMiss {
                            track: g.track,
                            offset_m: g.offset_m,
                            centre_m: g.centre_m,
                            detection: *d,
                        });
                    }
                }
            }
        }
        (excluded, missed)
    }

    fn launch(&mut self, t: SimTime, id: ThreatId) -> Result<(), EngineError> {
        let scenario = self.scenario;
        let threat = &self.world.threats[id.0 as usize];
        let (r, k) = (threat.raid, threat.member);
        let raid = &scenario.raids[r];
        let ty = &scenario.threat_types[raid.threat_type];
        let p = plan(scenario, r, k, &self.streams, &mut self.caches[r]).map_err(|source| {
            EngineError::Plan {
                threat: threat.name.clone(),
                source,
            }
        })?;
        let name = threat.name.clone();
        let end_s = p.failure_s.unwrap_or(p.impact_s);
        let end_kind = if p.failure_s.is_some() {
            Milestone::Failure
        } else {
            Milestone::Impact
        };
        let milestones = [
            (p.burnout_s.filter(|b| *b < end_s), Milestone::Burnout),
            (
                p.apogee.map(|a| a.t_s).filter(|a| *a < end_s),
                Milestone::Apogee,
            ),
            (p.dive_s.filter(|d| *d < end_s), Milestone::Dive),
            (Some(end_s), end_kind),
        ];
        for (when, m) in milestones {
            // A milestone past the representable time (a scenario near ±292 years) never comes.
            if let Some(at) = when
                .and_then(SimDuration::from_secs_f64)
                .and_then(|d| t.checked_add(d))
            {
                self.queue.schedule(at, Action::Milestone(id, m));
            }
        }
        self.world.threats[id.0 as usize].plan = Some(p);
        let class = match &ty.kind {
            ThreatKind::Ballistic(_) => "ballistic",
            ThreatKind::AirBreathing(a) => a.class.word(),
        };
        self.emit(
            t,
            EventKind::Launch {
                threat: name,
                threat_type: ty.name.clone(),
                class: class.to_string(),
                site: latlon(&raid.launch_site),
                aim: latlon(&raid.aim.point),
                aim_asset: raid.aim.asset.map(|a| scenario.assets[a].name.clone()),
            },
        );
        Ok(())
    }

    fn milestone(&mut self, t: SimTime, id: ThreatId, m: Milestone) {
        let scenario = self.scenario;
        let threat = &self.world.threats[id.0 as usize];
        let Some(p) = threat.plan.as_ref() else {
            return;
        };
        if threat.killed.is_some() {
            return;
        }
        let s = (t - threat.launch).as_secs_f64();
        let name = threat.name.clone();
        let here = geodetic_at(&p.trajectory, s);
        let (pos, speed) = here.unwrap_or((scenario.raids[threat.raid].launch_site, 0.0));
        let kind = match m {
            Milestone::Burnout => EventKind::Burnout {
                threat: name,
                alt_m: pos.alt_m,
                speed_mps: speed,
            },
            Milestone::Apogee => EventKind::Apogee {
                threat: name,
                alt_m: p.apogee.map_or(pos.alt_m, |a| a.alt_m),
            },
            Milestone::Dive => EventKind::Dive {
                threat: name,
                alt_m: pos.alt_m,
            },
            Milestone::Failure | Milestone::Impact => {
                let (mut max_alt, max_speed) = maxima_until(&p.trajectory, s);
                if let Some(a) = p.apogee.filter(|a| a.t_s <= s) {
                    max_alt = max_alt.max(a.alt_m);
                }
                if m == Milestone::Failure {
                    EventKind::Failure {
                        threat: name,
                        at: latlon(&pos),
                        alt_m: pos.alt_m,
                        max_alt_m: max_alt,
                        max_speed_mps: max_speed,
                    }
                } else {
                    let raid = &scenario.raids[threat.raid];
                    EventKind::Impact {
                        threat: name,
                        at: latlon(&pos),
                        miss_m: pos.geodesic_to(&raid.aim.point).distance_m,
                        asset: asset_hit(scenario, &pos).map(|a| scenario.assets[a].name.clone()),
                        speed_mps: speed,
                        max_alt_m: max_alt,
                        max_speed_mps: max_speed,
                    }
                }
            }
        };
        let leak = match &kind {
            EventKind::Impact {
                threat,
                asset: Some(asset),
                ..
            } if scenario
                .fire_units
                .iter()
                .any(|u| u.defends.iter().any(|&a| scenario.assets[a].name == *asset)) =>
            {
                Some(EventKind::Leak {
                    threat: threat.clone(),
                    asset: asset.clone(),
                    engaged: self.defense.engaged_threats.contains(&(id.0 as usize)),
                })
            }
            _ => None,
        };
        if matches!(m, Milestone::Failure | Milestone::Impact) {
            self.threats_left = self.threats_left.saturating_sub(1);
        }
        self.emit(t, kind);
        if let Some(leak) = leak {
            self.emit(t, leak);
        }
    }
}

/// The asset whose radius contains `p` (the nearest centre if several do).
pub fn asset_hit(scenario: &Scenario, p: &Geodetic) -> Option<usize> {
    scenario
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| (i, p.geodesic_to(&a.position).distance_m, a.radius_m))
        .filter(|(_, d, r)| d <= r)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _, _)| i)
}

fn latlon(g: &Geodetic) -> LatLon {
    LatLon {
        lat: g.lat_deg(),
        lon: g.lon_deg(),
    }
}

/// Runs one replication of `scenario` and returns its events.
pub fn run(scenario: &Scenario, opts: RunOptions) -> Result<Vec<Event>, EngineError> {
    Engine::new(scenario, opts).run()
}
