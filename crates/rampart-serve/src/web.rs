//! The HTTP and WebSocket side: the embedded page, the scene, the map, the run folder's own
//! files (by name, from a fixed list) and one WebSocket per browser.
//!
//! Server to browser, each a JSON text message:
//! - `{"type":"hello","mode":…}` first;
//! - `{"type":"events","from":N,"events":[…]}`: the log's events `N…` in order (each the
//!   event as `events.jsonl` has it), at most [`MAX_BATCH_BYTES`];
//! - `{"type":"clock","t":…,"speed":…,"paused":…}`: a live run's clock;
//! - `{"type":"end","t":…,"error":…}`: the run ended.
//!
//! Browser to server, a live run's controls: `{"type":"control","paused":true}`,
//! `{"type":"control","speed":10}`, `{"type":"control","step":true}`. Each is at most
//! [`MAX_CLIENT_MESSAGE`] bytes (larger closes the connection) and [`CLIENT_RATE`] a second
//! (more are ignored); anything else is ignored with a log line.

use crate::hub::Hub;
use crate::live::{Change, Control};
use crate::scene::Mode;
use axum::Router;
use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use rust_embed::Embed;
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The largest batch of events in one message, bytes.
pub const MAX_BATCH_BYTES: usize = 256 * 1024;
/// The largest message a browser may send, bytes.
pub const MAX_CLIENT_MESSAGE: usize = 4096;
/// Messages a browser may send a second (a burst of twice as many is let through).
pub const CLIENT_RATE: f64 = 20.0;
/// The files of a run folder the server hands out; nothing else in the folder is reachable.
pub const RUN_FILES: [&str; 5] = [
    "events.jsonl",
    "summary.json",
    "report.html",
    "manifest.json",
    "scenario.toml",
];

/// The page, its script and style, embedded in the binary.
#[derive(Embed)]
#[folder = "web/"]
struct Assets;

/// The Natural Earth coastlines and borders the report draws (see tools/naturalearth).
const BASEMAP: &str = rampart_report::NATURAL_EARTH;

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Browsers watching at once; more are refused (503).
    pub max_clients: usize,
    /// How long a send to a browser may take before the browser is dropped.
    pub send_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_clients: 256,
            send_timeout: Duration::from_secs(10),
        }
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct App {
    /// Live or replay.
    pub mode: Mode,
    /// The scene's JSON.
    pub scene: String,
    /// The events.
    pub hub: Arc<Hub>,
    /// A live run's controls.
    pub control: Option<Arc<Control>>,
    /// The run folder whose [`RUN_FILES`] are served.
    pub folder: Option<PathBuf>,
    /// Limits.
    pub limits: Limits,
    /// Whether only requests naming a loopback host are answered (a loopback server's guard
    /// against DNS rebinding).
    pub loopback_only: bool,
    /// Browsers connected now.
    pub clients: AtomicUsize,
}

/// The router.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/assets/{file}", get(asset))
        .route("/api/scene", get(scene))
        .route("/api/basemap", get(basemap))
        .route("/run/{file}", get(run_file))
        .route("/ws", get(ws))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), guard))
        .with_state(app)
}

/// Refuses a request whose Host is not a loopback name when the server is on loopback, and
/// sets a content security policy that lets the page reach its own server only.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if app.loopback_only && !loopback_host(req.headers()) {
        return (StatusCode::FORBIDDEN, "not a loopback host name\n").into_response();
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(n, _)| n),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// The media type of a file served, by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("jsonl" | "toml") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn embedded(file: &str) -> Response {
    match Assets::get(file) {
        Some(f) => (
            [(header::CONTENT_TYPE, content_type(file))],
            Body::from(f.data.into_owned()),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

async fn index() -> Response {
    embedded("index.html")
}

async fn asset(UrlPath(file): UrlPath<String>) -> Response {
    // Only a plain file name of the embedded set: no folders, so nothing else is reachable.
    if file.contains(['/', '\\']) || file.starts_with('.') || file == "index.html" {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    embedded(&file)
}

async fn scene(State(app): State<Arc<App>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        app.scene.clone(),
    )
        .into_response()
}

async fn basemap() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        BASEMAP,
    )
        .into_response()
}

async fn run_file(State(app): State<Arc<App>>, UrlPath(file): UrlPath<String>) -> Response {
    let (Some(folder), Some(name)) = (&app.folder, RUN_FILES.iter().find(|&&n| n == file)) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    // Streamed, not read whole: a large event log costs the server no memory.
    match tokio::fs::File::open(folder.join(name)).await {
        Ok(f) => (
            [(header::CONTENT_TYPE, content_type(name))],
            Body::from_stream(tokio_util::io::ReaderStream::new(f)),
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// A place among the browsers watching, given back when dropped (however the connection ends,
/// an upgrade that fails included).
struct Slot(Arc<App>);

impl Slot {
    fn take(app: &Arc<App>) -> Option<Self> {
        let before = app.clients.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(Arc::clone(app));
        (before < app.limits.max_clients).then_some(slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn ws(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // A page from elsewhere may not watch (or steer) the run.
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let own = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        if own != Some(host) {
            return (StatusCode::FORBIDDEN, "cross-origin WebSocket refused\n").into_response();
        }
    }
    let Some(slot) = Slot::take(&app) else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many browsers watching\n",
        )
            .into_response();
    };
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| async move {
            watch(socket, Arc::clone(&app), peer).await;
            drop(slot);
        })
}

/// The longest a changed clock waits behind events.
const CLOCK_TICK: Duration = Duration::from_millis(100);

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Why a browser's reading half stopped.
#[derive(Debug)]
enum Closed {
    /// It closed, or the connection broke.
    Gone,
    /// It sent a message over the limit.
    Oversize,
}

/// One browser: the log from the start, then each change as it comes.
async fn watch(socket: WebSocket, app: Arc<App>, peer: SocketAddr) {
    let (mut tx, rx) = socket.split();
    let mut reader = tokio::spawn(read_controls(rx, Arc::clone(&app), peer));
    // However this ends, the reading half goes too, and with both halves the connection.
    let _reader = AbortOnDrop(reader.abort_handle());
    let mut version = app.hub.subscribe();
    let mut cursor = 0;
    let mut clock = None;
    let mut ended = false;
    let timeout = app.limits.send_timeout;
    let hello = json!({"type": "hello", "mode": app.mode.word()}).to_string();
    let mut clock_sent = Instant::now();
    let mut pending = Some(hello);
    loop {
        if pending.is_none() {
            version.mark_unchanged();
            let read = app.hub.read(cursor, MAX_BATCH_BYTES);
            // A changed clock goes out at least every tick, even while events are pending.
            let clock_due = read.clock.is_some()
                && read.clock != clock
                && (read.events.is_empty() || clock_sent.elapsed() >= CLOCK_TICK);
            if clock_due {
                clock = read.clock;
                clock_sent = Instant::now();
                pending = clock.map(|c| {
                    json!({"type": "clock", "t": c.t, "speed": c.speed, "paused": c.paused})
                        .to_string()
                });
            } else if !read.events.is_empty() {
                let mut text = format!("{{\"type\":\"events\",\"from\":{cursor},\"events\":[");
                for (k, e) in read.events.iter().enumerate() {
                    if k > 0 {
                        text.push(',');
                    }
                    text.push_str(e);
                }
                text.push_str("]}");
                cursor += read.events.len();
                pending = Some(text);
            } else if let (Some(end), false) = (read.end, ended) {
                ended = true;
                pending = Some(json!({"type": "end", "t": end.t, "error": end.error}).to_string());
            }
        }
        if let Some(text) = pending.take() {
            let started = Instant::now();
            match tokio::time::timeout(timeout, tx.send(Message::Text(text.into()))).await {
                Ok(Ok(())) => continue,
                Ok(Err(_)) => return,
                Err(_) => {
                    eprintln!(
                        "display: dropping {peer}: it took no data for {:.0} s",
                        started.elapsed().as_secs_f64()
                    );
                    return;
                }
            }
        }
        tokio::select! {
            changed = version.changed() => if changed.is_err() { return },
            closed = &mut reader => {
                if let Ok(Closed::Oversize) = closed {
                    let frame = CloseFrame { code: 1009, reason: "message too big".into() };
                    let _ = tokio::time::timeout(Duration::from_secs(1), tx.send(Message::Close(Some(frame)))).await;
                }
                return;
            }
        }
    }
}

/// A browser's messages: a live run's controls, each within the size and rate limits.
async fn read_controls(
    mut rx: futures_util::stream::SplitStream<WebSocket>,
    app: Arc<App>,
    peer: SocketAddr,
) -> Closed {
    // A token bucket: CLIENT_RATE a second, bursts of twice that.
    let mut tokens = 2.0 * CLIENT_RATE;
    let mut filled = Instant::now();
    let mut ignored = 0u64;
    while let Some(msg) = rx.next().await {
        let text = match msg {
            Ok(Message::Text(t)) => t,
            Ok(Message::Close(_)) => return Closed::Gone,
            Ok(Message::Binary(_)) => {
                eprintln!("display: {peer} sent a binary message; ignored");
                continue;
            }
            Ok(_) => continue,
            Err(e) => {
                // The size limit's error is tungstenite's capacity error ("Space limit
                // exceeded: Message too long: …"), which axum hands on only as text.
                if e.to_string().contains("Space limit exceeded") {
                    eprintln!(
                        "display: {peer} sent a message over {MAX_CLIENT_MESSAGE} bytes; closing"
                    );
                    return Closed::Oversize;
                }
                return Closed::Gone;
            }
        };
        tokens = (tokens + filled.elapsed().as_secs_f64() * CLIENT_RATE).min(2.0 * CLIENT_RATE);
        filled = Instant::now();
        if tokens < 1.0 {
            ignored += 1;
            if ignored.is_power_of_two() {
                eprintln!(
                    "display: {peer} sends more than {CLIENT_RATE} messages a second; {ignored} ignored"
                );
            }
            continue;
        }
        tokens -= 1.0;
        if let Err(why) = control(&app, text.as_str()) {
            eprintln!("display: {peer}: {why}; ignored");
        }
    }
    Closed::Gone
}

/// Applies one control message.
fn control(app: &App, text: &str) -> Result<(), String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("a message that is not JSON ({e})"))?;
    if v.get("type").and_then(|t| t.as_str()) != Some("control") {
        return Err("a message that is not a control".into());
    }
    let Some(control) = &app.control else {
        // A replay's controls are the page's own.
        return Ok(());
    };
    let mut change = Change::default();
    if let Some(p) = v.get("paused") {
        change.paused = Some(p.as_bool().ok_or("`paused` must be true or false")?);
    }
    if let Some(s) = v.get("speed") {
        change.speed = Some(
            s.as_f64()
                .filter(|s| s.is_finite() && *s > 0.0)
                .ok_or("`speed` must be a positive number")?,
        );
    }
    change.step = v.get("step").and_then(serde_json::Value::as_bool) == Some(true);
    if change == Change::default() {
        return Err("a control with nothing to do".into());
    }
    control.apply(change);
    Ok(())
}
