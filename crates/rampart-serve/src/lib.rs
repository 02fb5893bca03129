//! `rampart serve`: one engagement watched in the browser, live or replayed.
//!
//! A live display runs the scenario on its own thread, paced to the wall clock
//! ([`live`]), and appends its events to a [`hub::Hub`]; a replay fills the hub from a run
//! folder's `events.jsonl` at once. The web side ([`web`]) serves a page embedded in the
//! binary (no network: no CDN, no tiles; the map is the Natural Earth data the reports draw)
//! and streams the hub to every browser over a WebSocket. This crate is the only one that
//! compiles tokio; the simulator crates never do.
//!
//! Safety: the server binds to loopback unless told otherwise, answers only requests that name
//! a loopback host when it does (DNS rebinding), serves only its embedded files and a fixed
//! list of the run folder's files, refuses cross-origin WebSockets, bounds what a browser may
//! send in size and rate, and drops a browser that stops reading rather than wait for it.

pub mod hub;
pub mod live;
pub mod scene;
pub mod web;

use hub::Hub;
use live::Control;
use scene::Mode;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use tokio::net::TcpListener;

pub use web::Limits;

/// What a display shows.
#[derive(Debug)]
pub struct Display {
    /// Live or replay.
    pub mode: Mode,
    /// The scene ([`scene::scene`]).
    pub scene: serde_json::Value,
    /// The events, filled by a live run or a replay.
    pub hub: Arc<Hub>,
    /// A live run's controls.
    pub control: Option<Arc<Control>>,
    /// A replay's run folder, whose files `/run/…` serves.
    pub folder: Option<PathBuf>,
}

/// A replay's events: the JSON lines of `events.jsonl` the display shows, in order, into a
/// finished hub.
///
/// # Errors
/// A line that is not a JSON object with a finite `t`, or times that go back, naming the line.
pub fn replay_hub(text: &str) -> Result<Arc<Hub>, String> {
    let hub = Hub::new();
    let mut last = f64::NEG_INFINITY;
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("events.jsonl line {}", k + 1);
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: not JSON ({e})", at()))?;
        let t = v
            .get("t")
            .and_then(serde_json::Value::as_f64)
            .filter(|t| t.is_finite())
            .ok_or_else(|| format!("{}: no finite time `t`", at()))?;
        if t < last {
            return Err(format!(
                "{}: its time {t} s is before the line above's",
                at()
            ));
        }
        last = t;
        let kind = v.get("kind").and_then(serde_json::Value::as_str);
        if kind.is_some_and(|k| live::HIDDEN_KINDS.contains(&k)) {
            continue;
        }
        hub.push(line.to_owned())
            .map_err(|e| format!("{}: {e}", at()))?;
    }
    hub.finish(hub::End {
        t: last.max(0.0),
        error: None,
    });
    Ok(hub)
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    /// The address it listens on.
    pub addr: SocketAddr,
    app: Arc<web::App>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Binds to `bind` and starts serving `display` on the current tokio runtime.
    ///
    /// # Errors
    /// The address cannot be bound.
    pub async fn start(
        display: Display,
        bind: SocketAddr,
        limits: Limits,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let app = Arc::new(web::App {
            mode: display.mode,
            scene: display.scene.to_string(),
            hub: display.hub,
            control: display.control,
            folder: display.folder,
            limits,
            loopback_only: bind.ip().is_loopback(),
            clients: AtomicUsize::new(0),
        });
        let service =
            web::router(Arc::clone(&app)).into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move { axum::serve(listener, service).await });
        Ok(Self { addr, app, task })
    }

    /// Browsers watching now.
    pub fn clients(&self) -> usize {
        self.app.clients.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Serves until the server fails (it does not end by itself).
    ///
    /// # Errors
    /// The server's I/O error.
    pub async fn wait(self) -> std::io::Result<()> {
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Serves `display` on `bind` until Ctrl-C, on a runtime of its own; `ready` is told the
/// address once it listens. A live run is stopped when the server stops.
///
/// # Errors
/// The runtime cannot start, the address cannot be bound, or the server fails.
pub fn serve_blocking(
    display: Display,
    bind: SocketAddr,
    limits: Limits,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let control = display.control.clone();
    let result = runtime.block_on(async move {
        let server = Server::start(display, bind, limits).await?;
        ready(server.addr);
        tokio::select! {
            r = server.wait() => r,
            r = tokio::signal::ctrl_c() => r,
        }
    });
    if let Some(c) = control {
        c.stop();
    }
    // Open WebSockets are not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    result
}
