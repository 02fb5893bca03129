//! The run's events as the display's browsers read them: one append-only log that each browser
//! reads from its own cursor. Appending never waits for a browser, so a slow or stalled one can
//! hold back neither the run nor the others, and every browser gets every event in order.

use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::watch;

/// The most the log holds, bytes of event JSON (a run that makes more stops with an error
/// rather than eat the machine's memory).
pub const MAX_LOG_BYTES: usize = 1 << 30;

/// The largest event the log takes, bytes of JSON (every event of a run is far smaller).
pub const MAX_EVENT_BYTES: usize = 64 * 1024;

/// Where a live run's clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Clock {
    /// Simulated time, s since the epoch.
    pub t: f64,
    /// Simulated seconds per wall-clock second.
    pub speed: f64,
    /// Whether the run is paused.
    pub paused: bool,
}

/// How the run ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct End {
    /// The simulated time it stopped at, s since the epoch.
    pub t: f64,
    /// Why it stopped early, if it did.
    pub error: Option<String>,
}

/// Why the log refused an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The event alone is larger than [`MAX_EVENT_BYTES`].
    EventTooLarge(usize),
    /// The log is full ([`MAX_LOG_BYTES`]).
    Full,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::EventTooLarge(n) => write!(
                f,
                "an event of {n} bytes is larger than the display takes ({MAX_EVENT_BYTES} bytes)"
            ),
            Refused::Full => write!(
                f,
                "the display holds at most {} MiB of events and this run makes more",
                MAX_LOG_BYTES >> 20
            ),
        }
    }
}

impl std::error::Error for Refused {}

#[derive(Debug, Default)]
struct State {
    events: Vec<Arc<str>>,
    bytes: usize,
    clock: Option<Clock>,
    end: Option<End>,
}

/// The log, shared by the run that writes it and the browsers that read it.
#[derive(Debug)]
pub struct Hub {
    state: Mutex<State>,
    /// Bumped at every change, so that readers wake.
    version: watch::Sender<u64>,
}

/// What a reader finds from its cursor on.
#[derive(Debug, Default)]
pub struct Read {
    /// The events from the cursor on, at most the byte budget asked for (at least one when
    /// there is one).
    pub events: Vec<Arc<str>>,
    /// The clock, for a live run.
    pub clock: Option<Clock>,
    /// How the run ended, once it has.
    pub end: Option<End>,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            state: Mutex::default(),
            version: watch::Sender::new(0),
        }
    }
}

impl Hub {
    /// An empty log.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent across a panic (each change is one push or assignment).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn bump(&self) {
        self.version.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Appends one event's JSON.
    ///
    /// # Errors
    /// [`Refused`] when the event or the log is too large; the log is unchanged.
    pub fn push(&self, json: String) -> Result<(), Refused> {
        if json.len() > MAX_EVENT_BYTES {
            return Err(Refused::EventTooLarge(json.len()));
        }
        {
            let mut s = self.lock();
            if s.bytes + json.len() > MAX_LOG_BYTES {
                return Err(Refused::Full);
            }
            s.bytes += json.len();
            s.events.push(json.into());
        }
        self.bump();
        Ok(())
    }

    /// Sets the live run's clock.
    pub fn set_clock(&self, clock: Clock) {
        let changed = {
            let mut s = self.lock();
            let changed = s.clock != Some(clock);
            s.clock = Some(clock);
            changed
        };
        if changed {
            self.bump();
        }
    }

    /// Marks the run ended.
    pub fn finish(&self, end: End) {
        self.lock().end = Some(end);
        self.bump();
    }

    /// Events held.
    pub fn len(&self) -> usize {
        self.lock().events.len()
    }

    /// Whether no event is held yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the run has ended.
    pub fn ended(&self) -> bool {
        self.lock().end.is_some()
    }

    /// A receiver that wakes at every change.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// The events from `from` on, up to about `budget` bytes, and the clock and end.
    pub fn read(&self, from: usize, budget: usize) -> Read {
        let s = self.lock();
        let mut events = Vec::new();
        let mut bytes = 0;
        for e in s.events.iter().skip(from) {
            if !events.is_empty() && bytes + e.len() + 1 > budget {
                break;
            }
            bytes += e.len() + 1;
            events.push(Arc::clone(e));
        }
        Read {
            events,
            clock: s.clock,
            end: s.end.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_order_within_the_budget() {
        let hub = Hub::new();
        for k in 0..10 {
            hub.push(format!("{{\"k\":{k}}}")).expect("small");
        }
        let r = hub.read(3, 20);
        assert_eq!(&*r.events[0], "{\"k\":3}");
        assert_eq!(
            r.events.len(),
            2,
            "two 8-byte events and their commas fit 20 bytes"
        );
        // One event is always given, however small the budget.
        assert_eq!(hub.read(9, 1).events.len(), 1);
        assert!(hub.read(10, 100).events.is_empty());
    }

    #[test]
    fn refuses_an_oversize_event() {
        let hub = Hub::new();
        let big = "x".repeat(MAX_EVENT_BYTES + 1);
        assert_eq!(
            hub.push(big),
            Err(Refused::EventTooLarge(MAX_EVENT_BYTES + 1))
        );
        assert!(hub.is_empty());
    }

    #[test]
    fn a_change_wakes_readers() {
        let hub = Hub::new();
        let mut rx = hub.subscribe();
        rx.mark_unchanged();
        hub.push("{}".into()).expect("small");
        assert!(rx.has_changed().expect("open"));
        rx.mark_unchanged();
        let c = Clock {
            t: 1.0,
            speed: 1.0,
            paused: false,
        };
        hub.set_clock(c);
        assert!(rx.has_changed().expect("open"));
        rx.mark_unchanged();
        hub.set_clock(c);
        assert!(
            !rx.has_changed().expect("open"),
            "the same clock is no change"
        );
    }
}
