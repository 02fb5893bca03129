//! A live run: the engine on its own thread, paced to the wall clock at the speed the browsers
//! ask for, its events appended to the [`Hub`] as they happen.
//!
//! The pacing lives in the sink: before an event at simulated time `t` is let through, the
//! sink waits until the paced clock reaches `t`. The clock runs at `speed` simulated seconds
//! per wall second from its last anchor (re-anchored at every change of speed or pause), so a
//! change never makes it jump. Paused, a step lets the run through to its next notable event
//! (anything but a state sample or a track update).

use crate::hub::{Clock, End, Hub};
use rampart_sim::engine::{Engine, RunOptions};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::Scenario;
use rampart_sim::sink::{EventSink, SinkError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The slowest and fastest speeds, simulated seconds per wall second.
pub const SPEEDS: (f64, f64) = (0.1, 1000.0);

/// The longest the pacing sleeps before it looks at the controls and moves the clock again.
const TICK: Duration = Duration::from_millis(100);

#[derive(Clone, Copy, Debug)]
struct Settings {
    paused: bool,
    speed: f64,
    /// Steps asked for while paused.
    steps: u32,
    /// The display is closing: stop the run.
    stop: bool,
    /// Bumped at every change of pause or speed.
    generation: u64,
}

/// A change to the controls: any of pause, speed and one step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Change {
    /// Pause (true) or resume (false).
    pub paused: Option<bool>,
    /// The new speed (clamped to [`SPEEDS`]).
    pub speed: Option<f64>,
    /// Let a paused run on to its next notable event.
    pub step: bool,
}

/// The controls the browsers share: pause, speed and step.
#[derive(Debug)]
pub struct Control {
    settings: Mutex<Settings>,
    changed: Condvar,
}

impl Control {
    /// Running at `speed` (clamped to [`SPEEDS`]).
    pub fn new(speed: f64) -> Arc<Self> {
        Arc::new(Self {
            settings: Mutex::new(Settings {
                paused: false,
                speed: clamp_speed(speed),
                steps: 0,
                stop: false,
                generation: 0,
            }),
            changed: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies one change as a whole (a browser's message is one change, so no watcher sees
    /// half of it). Only a change of some setting wakes the run: repeating the same speed or
    /// pause does nothing. A step counts only while paused, and resuming forgets steps not
    /// taken.
    pub fn apply(&self, c: Change) {
        let mut s = self.lock();
        let before = (s.paused, s.speed, s.steps);
        if let Some(p) = c.paused {
            s.paused = p;
        }
        if let Some(v) = c.speed {
            s.speed = clamp_speed(v);
        }
        if !s.paused {
            s.steps = 0;
        } else if c.step {
            s.steps = s.steps.saturating_add(1).min(100);
        }
        if (s.paused, s.speed, s.steps) != before {
            s.generation += 1;
            drop(s);
            self.changed.notify_all();
        }
    }

    /// Pauses or resumes the run.
    pub fn set_paused(&self, paused: bool) {
        self.apply(Change {
            paused: Some(paused),
            ..Change::default()
        });
    }

    /// Stops the run at its next event.
    pub fn stop(&self) {
        let mut s = self.lock();
        s.stop = true;
        s.generation += 1;
        drop(s);
        self.changed.notify_all();
    }

    /// The speed now.
    pub fn speed(&self) -> f64 {
        self.lock().speed
    }
}

fn clamp_speed(speed: f64) -> f64 {
    if speed.is_finite() {
        speed.clamp(SPEEDS.0, SPEEDS.1)
    } else {
        1.0
    }
}

/// The event kinds the display leaves out: many, and not part of the picture (track updates
/// are the operator's view and stay).
pub const HIDDEN_KINDS: [&str; 3] = ["detection", "scan", "siap"];

/// Whether the display shows `kind` at all (not one of [`HIDDEN_KINDS`]).
pub fn shown(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Detection { .. } | EventKind::Scan { .. } | EventKind::Siap { .. }
    )
}

/// Whether `kind` is a step's stopping point: what the page's event log lists
/// (`web/model.js`), so that *Next event* stops at the same events live and in a replay.
fn notable(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::EntityState { .. }
            | EventKind::TrackUpdate { .. }
            | EventKind::SystemTrackUpdate { .. }
            | EventKind::SystemTrack { .. }
            | EventKind::ThreatEvaluated { .. }
            | EventKind::Burnout { .. }
            | EventKind::Apogee { .. }
            | EventKind::Dive { .. }
            | EventKind::MessageLost { .. }
            | EventKind::RangeGateMiss { .. }
            | EventKind::Detection { .. }
            | EventKind::Scan { .. }
            | EventKind::Siap { .. }
    )
}

/// The sink that paces the run and appends its events to the hub.
#[derive(Debug)]
struct PacedSink {
    hub: Arc<Hub>,
    control: Arc<Control>,
    /// The paced clock, s.
    clock: f64,
    /// (wall instant, simulated time) of the last anchor.
    anchor: (Instant, f64),
    /// The speed the clock has run at since the anchor; none while paused.
    running: Option<f64>,
    generation: Option<u64>,
    last_publish: Option<Instant>,
}

impl PacedSink {
    fn publish(&mut self, s: &Settings, force: bool) {
        let due = self.last_publish.is_none_or(|p| p.elapsed() >= TICK);
        if force || due {
            self.hub.set_clock(Clock {
                t: self.clock,
                speed: s.speed,
                paused: s.paused,
            });
            self.last_publish = Some(Instant::now());
        }
    }

    /// Waits until the paced clock reaches `t`.
    fn wait(&mut self, t: f64, notable: bool) -> Result<(), SinkError> {
        let control = Arc::clone(&self.control);
        let mut s = control.lock();
        loop {
            if s.stop {
                return Err("the display closed".into());
            }
            let changed = self.generation != Some(s.generation);
            if changed {
                // Bring the clock up to now at the old setting, then run on from there.
                if let Some(speed) = self.running {
                    let now = self.anchor.1 + self.anchor.0.elapsed().as_secs_f64() * speed;
                    self.clock = self.clock.max(now.min(t));
                }
                self.generation = Some(s.generation);
                self.anchor = (Instant::now(), self.clock);
                self.running = (!s.paused).then_some(s.speed);
            }
            if t <= self.clock {
                // At or before the clock's instant: not in the future, even when paused.
                return Ok(());
            }
            if s.paused {
                if s.steps > 0 {
                    self.clock = self.clock.max(t);
                    if notable {
                        s.steps -= 1;
                    }
                    self.publish(&s, true);
                    return Ok(());
                }
                self.publish(&s, changed);
                s = control
                    .changed
                    .wait_timeout(s, TICK)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
                continue;
            }
            let now = self.anchor.1 + self.anchor.0.elapsed().as_secs_f64() * s.speed;
            if now >= t {
                self.clock = self.clock.max(t);
                self.publish(&s, changed);
                return Ok(());
            }
            self.clock = self.clock.max(now);
            self.publish(&s, changed);
            let left = Duration::try_from_secs_f64((t - now) / s.speed).unwrap_or(TICK);
            s = control
                .changed
                .wait_timeout(s, left.min(TICK))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

impl EventSink for PacedSink {
    fn event(&mut self, e: Event) -> Result<(), SinkError> {
        if !shown(&e.kind) {
            return Ok(());
        }
        self.wait(e.t, notable(&e.kind))?;
        self.hub.push(serde_json::to_string(&e)?)?;
        Ok(())
    }
}

/// The options of a live run: its seed, with track updates (the operator's picture) and state
/// samples every `state_interval`.
pub fn run_options(seed: u64, state_interval: rampart_core::SimDuration) -> RunOptions {
    RunOptions {
        track_events: true,
        state_interval: Some(state_interval),
        ..RunOptions::seed(seed)
    }
}

/// Starts `scenario` on its own thread, paced by `control`, its events into `hub`; the hub is
/// marked ended when the run ends, with the run's error if it failed.
///
/// # Errors
/// The thread could not be started.
pub fn spawn(
    scenario: Scenario,
    opts: RunOptions,
    hub: Arc<Hub>,
    control: Arc<Control>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("rampart-live-run".into())
        .spawn(move || {
            let mut sink = PacedSink {
                hub: Arc::clone(&hub),
                control,
                clock: 0.0,
                anchor: (Instant::now(), 0.0),
                running: None,
                generation: None,
                last_publish: None,
            };
            let result = Engine::new(&scenario, opts).run_with(&mut sink);
            let settings = *sink.control.lock();
            let (t, error) = match result {
                Ok(t) => (t.as_secs_f64(), None),
                Err(e) => (sink.clock, Some(e.to_string())),
            };
            sink.clock = sink.clock.max(t);
            sink.publish(&settings, true);
            hub.finish(End { t, error });
        })
}
