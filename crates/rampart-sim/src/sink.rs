//! Event sinks: where a run's events go, as they happen.
//!
//! The engine hands every event to one [`EventSink`] the moment it is made, in time order. A
//! sink may keep them ([`Vec<Event>`]), fold them ([`crate::summary::SummaryFold`]), write them
//! (the command line's JSON Lines writer), or pass them on ([`Tee`], [`Filter`]). A sink that
//! fails (a closed pipe, a full disk) stops the run with its error
//! ([`crate::engine::EngineError::Sink`]).
//!
//! To add one, implement [`EventSink`]; see docs/extending.md ("Event sinks").

use crate::events::{Event, EventKind};

/// Why a sink refused an event.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// Receives a run's events in time order, one at a time, as they happen.
pub trait EventSink {
    /// Takes the next event.
    ///
    /// # Errors
    /// Whatever stops the sink from taking it; the run stops with it.
    fn event(&mut self, event: Event) -> Result<(), SinkError>;
}

/// Keeps every event.
impl EventSink for Vec<Event> {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        self.push(event);
        Ok(())
    }
}

impl<S: EventSink + ?Sized> EventSink for &mut S {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        (**self).event(event)
    }
}

impl<S: EventSink + ?Sized> EventSink for Box<S> {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        (**self).event(event)
    }
}

/// Hands every event to two sinks, `A` first.
#[derive(Debug, Default)]
pub struct Tee<A, B>(pub A, pub B);

impl<A: EventSink, B: EventSink> EventSink for Tee<A, B> {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        self.0.event(event.clone())?;
        self.1.event(event)
    }
}

/// Passes on the events a predicate keeps.
#[derive(Debug)]
pub struct Filter<S, F> {
    /// Where the kept events go.
    pub sink: S,
    /// Which to keep.
    pub keep: F,
}

impl<S: EventSink, F: FnMut(&EventKind) -> bool> EventSink for Filter<S, F> {
    fn event(&mut self, event: Event) -> Result<(), SinkError> {
        if (self.keep)(&event.kind) {
            self.sink.event(event)
        } else {
            Ok(())
        }
    }
}

/// Counts events (a progress view, or a test).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count(pub u64);

impl EventSink for Count {
    fn event(&mut self, _: Event) -> Result<(), SinkError> {
        self.0 += 1;
        Ok(())
    }
}
