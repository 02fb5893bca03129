//! A toy event sink, added as docs/extending.md ("Event sinks") shows: it watches the run as it
//! happens, and can stop it.

use rampart_sim::engine::{EngineError, RunOptions, run, run_with};
use rampart_sim::events::{Event, EventKind};
use rampart_sim::scenario::load;
use rampart_sim::sink::{EventSink, SinkError};
use std::path::Path;

/// Counts launches and intercepts as they come, checks that time never goes back, and gives up
/// after `limit` events.
#[derive(Debug, Default)]
struct Watch {
    launches: u32,
    intercepts: u32,
    last_ns: i64,
    seen: usize,
    limit: Option<usize>,
}

impl EventSink for Watch {
    fn event(&mut self, e: Event) -> Result<(), SinkError> {
        assert!(e.t_ns >= self.last_ns, "events arrive in time order");
        self.last_ns = e.t_ns;
        self.seen += 1;
        match e.kind {
            EventKind::Launch { .. } => self.launches += 1,
            EventKind::Intercept { .. } => self.intercepts += 1,
            _ => {}
        }
        match self.limit {
            Some(n) if self.seen >= n => Err("enough".into()),
            _ => Ok(()),
        }
    }
}

fn defended() -> rampart_sim::scenario::Scenario {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/al-asad-2020-defended.toml");
    load(&path).unwrap_or_else(|e| panic!("{}", e.render()))
}

#[test]
fn a_sink_sees_every_event_as_it_happens() {
    let s = defended();
    let opts = RunOptions::seed(s.seed);
    let mut watch = Watch::default();
    run_with(&s, opts, &mut watch).expect("the run");
    let events = run(&s, opts).expect("the run");
    let count = |f: fn(&EventKind) -> bool| events.iter().filter(|e| f(&e.kind)).count() as u32;
    assert_eq!(watch.seen, events.len());
    assert_eq!(
        watch.launches,
        count(|k| matches!(k, EventKind::Launch { .. }))
    );
    assert_eq!(
        watch.intercepts,
        count(|k| matches!(k, EventKind::Intercept { .. }))
    );
    assert!(watch.intercepts > 0, "the defended scenario intercepts");
}

#[test]
fn a_failing_sink_stops_the_run_with_its_error() {
    let s = defended();
    let mut watch = Watch {
        limit: Some(5),
        ..Watch::default()
    };
    let err = run_with(&s, RunOptions::seed(s.seed), &mut watch).expect_err("the sink stops it");
    assert_eq!(err, EngineError::Sink("enough".into()));
    // No event after the one it refused.
    assert_eq!(watch.seen, 5);
}
