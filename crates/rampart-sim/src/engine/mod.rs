//! The discrete-event engine: the clock, the queue and dispatch.
//!
//! A [`queue::Scheduler`] orders actions by (time, sequence number); the engine pops them in
//! order and hands each to its stage ([`crate::stages`]), which reads and changes the
//! [`World`], schedules what follows and emits events to the run's [`EventSink`] as they
//! happen. There is no global time step: each threat's flight is computed once at launch
//! through the full physics and kept as a dense trajectory, so its state at any instant is
//! read on demand ([`crate::world::Threat::state_at`]), and its milestones (burn-out, apogee,
//! dive, failure, impact) are scheduled at their exact times. Threats from a feed
//! ([`crate::feed`]) are polled at the times the feed names.

mod bounds;
pub mod queue;

use crate::events::Event;
use crate::feed::ThreatFeed;
use crate::scenario::Scenario;
use crate::sensors::early_warning::{CueTracker, EarlyWarning, EarlyWarningParams};
use crate::sensors::radar::Radar;
use crate::sink::EventSink;
use crate::stages::battle::BattleManager;
use crate::stages::feed::FeedStage;
use crate::stages::network::Network;
use crate::stages::sensing::Sensing;
use crate::stages::threat_flight::{Milestone, ThreatFlight};
use crate::stages::{Ctx, Output, endgame, flyout, guns, observe, threat_flight};
use crate::threats::flight_plan::PlanError;
use crate::tracking::RadarTracker;
use crate::world::{
    EngagementId, InterceptorId, SensorId, SensorState, ThreatId, UnitId, WarningState, World,
};
pub(crate) use bounds::checked_times;
pub use bounds::{MAX_ACTIONS_PER_INSTANT, MAX_MEAN_FALSE_ALARMS, MAX_SCANS_PER_RADAR};
use nalgebra::Vector3;
use queue::Scheduler;
use rampart_core::random::RandomStreams;
use rampart_core::{Coordinate, Geodetic};
use rampart_core::{SimDuration, SimTime};
use rand::RngExt;

/// What the engine's queue holds: the next thing to happen, for a stage to carry out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// A threat leaves its launcher.
    Launch(ThreatId),
    /// A threat's milestone.
    Milestone(ThreatId, Milestone),
    /// Scan number `k` (from 0) of a sensor.
    Scan {
        /// The sensor.
        sensor: SensorId,
        /// Scan number.
        k: u64,
    },
    /// The battle-management cycle.
    BattleManagement,
    /// Burst `burst` (index in its gun's bursts) of gun `gun` reaches its aim point.
    GunBurst {
        /// The gun (index in the scenario).
        gun: usize,
        /// The burst.
        burst: usize,
    },
    /// An interceptor of `unit` leaves launcher `launcher` for `engagement`.
    InterceptorLaunch {
        /// The fire unit.
        unit: UnitId,
        /// The engagement.
        engagement: EngagementId,
        /// The launcher (index in its unit).
        launcher: usize,
    },
    /// Guidance and flight step of an interceptor.
    InterceptorStep(InterceptorId),
    /// An interceptor at its closest approach to a threat.
    Endgame {
        /// The interceptor.
        interceptor: InterceptorId,
        /// The threat.
        threat: ThreatId,
        /// Miss distance, m.
        miss_m: f64,
        /// Closing speed, m/s.
        closing_mps: f64,
    },
    /// The unit's radar assesses an intercept (`kill`: the truth).
    KillAssessment {
        /// The interceptor.
        interceptor: InterceptorId,
        /// Whether it killed.
        kill: bool,
    },
    /// Launcher `launcher` of `unit` is reloaded.
    Reload {
        /// The fire unit.
        unit: UnitId,
        /// The launcher (index in its unit).
        launcher: usize,
    },
    /// Sample number `k` of every entity's state.
    SampleStates(u64),
    /// A track report in flight reaches the fusion node.
    Deliver(usize),
    /// Look number `k` (from 0) of early-warning sensor `sensor` (its index in the scenario).
    Look {
        /// The sensor.
        sensor: usize,
        /// Look number.
        k: u64,
    },
    /// The threat feed is polled.
    Feed,
    /// A threat from the feed reaches the ground by dead reckoning, or its time-out, unless a
    /// later state (a later `generation`) has come.
    FeedCheck {
        /// The threat.
        threat: ThreatId,
        /// Its flight's generation when the check was set.
        generation: u32,
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
    /// Record every threat's and interceptor's state as an `entity_state` event at this
    /// interval (from the epoch) and at each of its own events; `None` records none.
    pub state_interval: Option<SimDuration>,
    /// Hold back from a radar's tracker each scan that can change nothing but which
    /// detections wait for a partner (most scans between waves), handing it over only when
    /// the next scan needs it ([`RadarTracker::hold_idle_scans`]). The results are the same
    /// either way, to the bit; holding is faster.
    pub hold_idle_scans: bool,
}

impl RunOptions {
    /// Replication 0 with `seed`, false alarms counted but not recorded one by one, no
    /// `track_update` or `entity_state` events.
    pub fn seed(seed: u64) -> Self {
        Self {
            seed,
            replication: 0,
            false_alarm_events: false,
            track_events: false,
            state_interval: None,
            hold_idle_scans: true,
        }
    }
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
    /// The `entity_state` sampling interval is not positive, or would give more than
    /// [`MAX_SCANS_PER_RADAR`] samples.
    #[error(
        "an entity-state interval of {interval_s} s gives {samples:.3e} samples before the end of the run (at most {max:.0e}, with a positive interval)",
        max = MAX_SCANS_PER_RADAR
    )]
    StateInterval {
        /// The interval, s.
        interval_s: f64,
        /// The samples it would make.
        samples: f64,
    },
    /// An event sink refused an event (a closed pipe, a full disk).
    #[error("writing the events: {0}")]
    Sink(String),
    /// The threat feed failed.
    #[error("reading the threat feed: {0}")]
    Feed(String),
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

/// One replication of a scenario.
#[derive(Debug)]
pub struct Engine<'s> {
    scenario: &'s Scenario,
    opts: RunOptions,
    streams: RandomStreams,
    queue: Scheduler<Action>,
    world: World,
    end: SimTime,
    threat_flight: ThreatFlight,
    sensing: Sensing,
    battle: BattleManager,
    network: Network,
    feed: FeedStage,
}

impl<'s> Engine<'s> {
    /// An engine with every launch and first scan of the scenario scheduled.
    pub fn new(scenario: &'s Scenario, opts: RunOptions) -> Self {
        let mut world = World::default();
        let mut queue = Scheduler::new();
        threat_flight::schedule_raids(scenario, &mut world, &mut queue);
        for (i, params) in scenario.radars.iter().enumerate() {
            let radar = Radar::new(params.clone());
            let mut tracker = RadarTracker::new(&radar);
            tracker.hold_idle_scans = opts.hold_idle_scans;
            let first = radar.params().first_scan;
            let sensor = world.sensors.push(SensorState {
                sensor: Box::new(radar),
                tracker,
                last_scan_s: None,
                siap: Default::default(),
            });
            // A radar that only undeployed fire units name (no gun, no deployed unit) does
            // not scan.
            let mut named = scenario
                .fire_units
                .iter()
                .filter(|u| u.radar == i)
                .peekable();
            let deployed = named.peek().is_none()
                || named.any(|u| u.enabled)
                || scenario.guns.iter().any(|g| g.radar == i);
            if deployed {
                queue.schedule(SimTime::EPOCH + first, Action::Scan { sensor, k: 0 });
            }
        }
        // Early-warning sensors serve the network and, with or without it, the assets' warning
        // chain.
        {
            let reference = theater_reference(scenario);
            let streams = RandomStreams::new(opts.seed, opts.replication);
            for (i, p) in scenario.early_warning.iter().enumerate() {
                // Where in its sweep the sensor is at the epoch: drawn per replication, so
                // that its looks do not fall at the same moments of every salvo's flight.
                let phase = streams
                    .stream(&format!("warning/{}", p.name), "phase")
                    .random::<f64>();
                let offset = SimDuration::from_secs_f64(phase * p.revisit.as_secs_f64())
                    .unwrap_or(SimDuration::ZERO);
                let sensor = EarlyWarning::new(
                    EarlyWarningParams {
                        first_look: SimDuration::from_nanos(
                            p.first_look.as_nanos().saturating_add(offset.as_nanos()),
                        ),
                        ..p.clone()
                    },
                    reference,
                );
                queue.schedule(
                    SimTime::EPOCH + sensor.params().first_look,
                    Action::Look { sensor: i, k: 0 },
                );
                world.warning.push(WarningState {
                    sensor,
                    cue: CueTracker::default(),
                });
            }
        }
        flyout::add_units(scenario, &mut world);
        guns::add_guns(scenario, &mut world);
        if opts.state_interval.is_some() {
            queue.schedule(SimTime::EPOCH, Action::SampleStates(0));
        }
        Self {
            scenario,
            opts,
            streams: RandomStreams::new(opts.seed, opts.replication),
            queue,
            end: SimTime::EPOCH
                .checked_add(scenario.duration)
                .unwrap_or(SimTime::MAX),
            threat_flight: ThreatFlight::new(scenario),
            sensing: Sensing::default(),
            battle: BattleManager::default(),
            network: Network::default(),
            feed: FeedStage::default(),
            world,
        }
    }

    /// The world as it stands.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Runs to the end of the scenario (or until nothing is left to happen) and returns the
    /// events in time order.
    pub fn run(self) -> Result<Vec<Event>, EngineError> {
        let mut events = Vec::new();
        self.run_with(&mut events)?;
        Ok(events)
    }

    /// Runs to the end, handing each event to `sink` as it happens; returns the simulation
    /// time the run stopped at.
    ///
    /// # Errors
    /// A run that cannot go on ([`EngineError`]), or the sink's first error
    /// ([`EngineError::Sink`]).
    pub fn run_with(self, sink: &mut dyn EventSink) -> Result<SimTime, EngineError> {
        self.run_fed(sink, None)
    }

    /// Runs to the end as [`Engine::run_with`] does, with the threats `feed` brings beside the
    /// scenario's raids ([`crate::feed`]); the run does not end early while the feed may bring
    /// more.
    ///
    /// # Errors
    /// As [`Engine::run_with`], and the feed's first error ([`EngineError::Feed`]).
    pub fn run_fed(
        mut self,
        sink: &mut dyn EventSink,
        mut feed: Option<&mut dyn ThreatFeed>,
    ) -> Result<SimTime, EngineError> {
        self.check_bounds()?;
        if feed.is_some() {
            self.world.feed_open = true;
            self.queue.schedule(SimTime::EPOCH, Action::Feed);
        }
        let mut out = Output::new(sink);
        out.false_alarm_events = self.opts.false_alarm_events;
        out.track_events = self.opts.track_events;
        out.states = self.opts.state_interval.is_some();
        let mut now = SimTime::EPOCH;
        crate::stages::warning::strategic(&mut Ctx {
            scenario: self.scenario,
            streams: &self.streams,
            queue: &mut self.queue,
            out: &mut out,
            end: self.end,
        });
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
            self.step(t, action, &mut out, feed.as_deref_mut())?;
            if let Some(e) = out.error.take() {
                return Err(EngineError::Sink(e.to_string()));
            }
            if self.world.finished() {
                break;
            }
        }
        Ok(now)
    }

    /// Hands `action` to its stage (a poll to `feed`, if there is one).
    fn step<'f>(
        &mut self,
        t: SimTime,
        action: Action,
        out: &mut Output<'_>,
        feed: Option<&mut (dyn ThreatFeed + 'f)>,
    ) -> Result<(), EngineError> {
        let world = &mut self.world;
        let mut ctx = Ctx {
            scenario: self.scenario,
            streams: &self.streams,
            queue: &mut self.queue,
            out,
            end: self.end,
        };
        match action {
            Action::Launch(id) => self.threat_flight.launch(world, &mut ctx, t, id)?,
            Action::Milestone(id, m) => threat_flight::milestone(world, &mut ctx, t, id, m),
            Action::Scan { sensor, k } => {
                self.sensing.scan(world, &mut ctx, t, sensor, k);
                self.network.after_scan(world, &mut ctx, t, sensor, k);
                self.battle.after_scan(&mut ctx, t, sensor);
                guns::after_scan(world, &mut ctx, t, sensor);
                crate::stages::warning::after_scan(world, &mut ctx, t, sensor);
            }
            Action::GunBurst { gun, burst } => guns::burst(world, &mut ctx, t, gun, burst),
            Action::BattleManagement => self.battle.cycle(world, &mut ctx, t)?,
            Action::InterceptorLaunch {
                unit,
                engagement,
                launcher,
            } => flyout::launch(world, &self.battle, &mut ctx, t, unit, engagement, launcher),
            Action::InterceptorStep(i) => flyout::step(world, &mut ctx, t, i),
            Action::Endgame {
                interceptor,
                threat,
                miss_m,
                closing_mps,
            } => endgame::closest_approach(
                world,
                &mut ctx,
                t,
                interceptor,
                threat,
                miss_m,
                closing_mps,
            ),
            Action::KillAssessment { interceptor, kill } => {
                endgame::kill_assessment(world, &mut ctx, t, interceptor, kill);
            }
            Action::Reload { unit, launcher } => {
                flyout::reload(world, ctx.scenario, unit, launcher)
            }
            Action::Look { sensor, k } => self.network.look(world, &mut ctx, t, sensor, k),
            Action::Deliver(slot) => {
                self.network.deliver(world, &mut ctx, t, slot);
                if self.scenario.network.enabled {
                    self.battle.after_delivery(&mut ctx, t);
                }
            }
            Action::Feed => {
                if let Some(f) = feed {
                    self.feed.poll(world, &mut ctx, t, f)?;
                }
            }
            Action::FeedCheck { threat, generation } => {
                self.feed.check(world, &mut ctx, t, threat, generation);
            }
            Action::SampleStates(k) => {
                if let Some(every) = self.opts.state_interval {
                    observe::sample(world, &mut ctx, t, k, every);
                }
            }
        }
        Ok(())
    }
}

/// The point early-warning detections are given from: the mean of the assets' and launch
/// sites' ECEF positions, on the ellipsoid.
fn theater_reference(scenario: &Scenario) -> Geodetic {
    let points: Vec<Vector3<f64>> = scenario
        .assets
        .iter()
        .map(|a| a.position)
        .chain(scenario.raids.iter().map(|r| r.launch_site))
        .map(|g| *g.to_ecef().as_vector3())
        .collect();
    if points.is_empty() {
        return Geodetic::from_degrees(0.0, 0.0, 0.0);
    }
    let mean = points.iter().sum::<Vector3<f64>>() / points.len() as f64;
    Geodetic {
        alt_m: 0.0,
        ..Geodetic::from_ecef(&Coordinate::from_vector3(mean))
    }
}

/// Runs one replication of `scenario` and returns its events.
pub fn run(scenario: &Scenario, opts: RunOptions) -> Result<Vec<Event>, EngineError> {
    Engine::new(scenario, opts).run()
}

/// Runs one replication of `scenario`, handing each event to `sink` as it happens.
pub fn run_with(
    scenario: &Scenario,
    opts: RunOptions,
    sink: &mut dyn EventSink,
) -> Result<SimTime, EngineError> {
    Engine::new(scenario, opts).run_with(sink)
}
