//! The display server's safety and delivery, against a real server on a loopback port: files
//! outside its own are unreachable, oversize and malformed browser messages neither crash it nor
//! reach the run, a browser that stops reading is dropped without holding anyone back, many
//! browsers get every event in order, and a live run's controls pace it.

use futures_util::{SinkExt, StreamExt};
use rampart_serve::hub::{End, Hub};
use rampart_serve::live::{self, Control};
use rampart_serve::scene::Mode;
use rampart_serve::{Display, Limits, Server};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn display(hub: Arc<Hub>, folder: Option<std::path::PathBuf>) -> Display {
    Display {
        mode: Mode::Replay,
        scene: json!({"title": "test"}),
        hub,
        control: None,
        folder,
    }
}

async fn start(d: Display, limits: Limits) -> Server {
    let bind: SocketAddr = "127.0.0.1:0".parse().expect("address");
    Server::start(d, bind, limits).await.expect("binds")
}

/// One raw HTTP/1.1 request (the path sent exactly as given); returns the status and body.
async fn get(addr: SocketAddr, path: &str, host: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("writes");
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("answers in time")
        .expect("reads");
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

async fn connect(addr: SocketAddr) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .expect("WebSocket opens");
    ws
}

/// The next JSON text message, or None when the connection ends.
async fn next_json(ws: &mut Ws) -> Option<Value> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(20), ws.next())
            .await
            .expect("a message in time")?;
        match msg {
            Ok(Message::Text(t)) => return Some(serde_json::from_str(&t).expect("JSON")),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_outside_its_own_files_is_served() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let root = tmp.path();
    let run = root.join("run");
    std::fs::create_dir_all(&run).expect("folder");
    std::fs::write(run.join("events.jsonl"), "{\"t\":0}\n").expect("write");
    std::fs::write(run.join("notes.txt"), "not listed").expect("write");
    std::fs::write(root.join("secret.txt"), "SECRET").expect("write");
    let server = start(display(Hub::new(), Some(run)), Limits::default()).await;
    let host = server.addr.to_string();
    assert_eq!(get(server.addr, "/run/events.jsonl", &host).await.0, 200);
    assert_eq!(get(server.addr, "/assets/app.js", &host).await.0, 200);
    for path in [
        "/run/../secret.txt",
        "/run/..%2fsecret.txt",
        "/run/%2e%2e%2fsecret.txt",
        "/run/%2e%2e/secret.txt",
        "/run/notes.txt",
        "/run/..%5csecret.txt",
        "/assets/..%2f..%2f..%2fCargo.toml",
        "/assets/../../Cargo.toml",
        "/assets/%2e%2e%2fsrc%2flib.rs",
        "/../../../../etc/passwd",
        "//etc/passwd",
        "/run//etc/passwd",
    ] {
        let (status, body) = get(server.addr, path, &host).await;
        assert!(
            (400..500).contains(&status),
            "{path}: status {status}, body {body:?}"
        );
        assert!(!body.contains("SECRET") && !body.contains("[package]") && !body.contains("root:"));
    }
    // A request naming another host (DNS rebinding) is refused on a loopback server.
    assert_eq!(get(server.addr, "/", "evil.example").await.0, 403);
    assert_eq!(
        get(
            server.addr,
            "/",
            &format!("localhost:{}", server.addr.port())
        )
        .await
        .0,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversize_message_closes_only_its_connection() {
    let hub = Hub::new();
    hub.push("{\"t\":0}".into()).expect("small");
    let server = start(display(Arc::clone(&hub), None), Limits::default()).await;
    let mut big = connect(server.addr).await;
    let mut other = connect(server.addr).await;
    assert_eq!(next_json(&mut big).await.expect("hello")["type"], "hello");
    big.send(Message::Text("x".repeat(64 * 1024).into()))
        .await
        .expect("sent");
    // The server closes it: the rest of what it reads ends without the run's end.
    let mut closed = false;
    for _ in 0..10 {
        if next_json(&mut big).await.is_none() {
            closed = true;
            break;
        }
    }
    assert!(closed, "an oversize message must close the connection");
    // Malformed messages are ignored; the other browser is served on.
    for bad in [
        "not json",
        "{\"type\":\"control\",\"speed\":\"fast\"}",
        "[]",
    ] {
        other.send(Message::Text(bad.into())).await.expect("sent");
    }
    hub.push("{\"t\":1}".into()).expect("small");
    hub.finish(End {
        t: 1.0,
        error: None,
    });
    let mut seen = 0;
    while let Some(m) = next_json(&mut other).await {
        if m["type"] == "events" {
            seen += m["events"].as_array().expect("array").len();
        }
        if m["type"] == "end" {
            break;
        }
    }
    assert_eq!(seen, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_never_reads_is_dropped_and_holds_back_no_one() {
    let hub = Hub::new();
    // 40 MB of events: more than the loopback socket buffers hold.
    let pad = "p".repeat(60_000);
    for k in 0..700 {
        hub.push(format!("{{\"t\":{k},\"pad\":\"{pad}\"}}"))
            .expect("fits");
    }
    hub.finish(End {
        t: 699.0,
        error: None,
    });
    let limits = Limits {
        send_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = start(display(Arc::clone(&hub), None), limits).await;
    let stalled = connect(server.addr).await; // never read
    let mut reader = connect(server.addr).await;
    let mut got = 0;
    while let Some(m) = next_json(&mut reader).await {
        if m["type"] == "events" {
            got += m["events"].as_array().expect("array").len();
        }
        if m["type"] == "end" {
            break;
        }
    }
    assert_eq!(got, 700, "the reading browser gets everything");
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.clients() > 1 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(server.clients(), 1, "the stalled browser is dropped");
    // And its connection is closed: what it reads now ends, short of the run's end.
    let mut stalled = stalled;
    let mut ended = false;
    while let Some(m) = next_json(&mut stalled).await {
        ended |= m["type"] == "end";
    }
    assert!(!ended, "a dropped browser does not get the rest of the run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_browsers_get_every_event_in_order() {
    const N: usize = 3000;
    let hub = Hub::new();
    let server = start(display(Arc::clone(&hub), None), Limits::default()).await;
    let mut clients = Vec::new();
    for _ in 0..100 {
        clients.push(connect(server.addr).await);
    }
    // The run appends while they watch, some events before a browser's first read.
    let writer = {
        let hub = Arc::clone(&hub);
        std::thread::spawn(move || {
            for k in 0..N {
                hub.push(format!("{{\"t\":{k},\"n\":{k}}}")).expect("fits");
                if k % 100 == 0 {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            hub.finish(End {
                t: N as f64,
                error: None,
            });
        })
    };
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|mut ws| {
            tokio::spawn(async move {
                let mut next = 0usize;
                while let Some(m) = next_json(&mut ws).await {
                    match m["type"].as_str() {
                        Some("events") => {
                            assert_eq!(m["from"].as_u64(), Some(next as u64), "batches follow on");
                            for e in m["events"].as_array().expect("array") {
                                assert_eq!(e["n"].as_u64(), Some(next as u64), "in order");
                                next += 1;
                            }
                        }
                        Some("end") => break,
                        _ => {}
                    }
                }
                next
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("client task"), N);
    }
    writer.join().expect("writer");
}

/// The first clock message after now whose `paused` is `paused`.
async fn clock(ws: &mut Ws, paused: bool) -> Value {
    loop {
        let m = next_json(ws).await.expect("open");
        if m["type"] == "clock" && m["paused"] == paused {
            return m;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_run_is_paced_paused_stepped_and_sped_up() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/al-asad-2020-defended.toml"
    );
    let scenario = rampart_sim::scenario::load(std::path::Path::new(path)).expect("loads");
    let hub = Hub::new();
    let control = Control::new(100.0);
    let started = Instant::now();
    live::spawn(
        scenario.clone(),
        live::run_options(scenario.seed, rampart_core::SimDuration::from_secs(1)),
        Arc::clone(&hub),
        Arc::clone(&control),
    )
    .expect("starts");
    let d = Display {
        mode: Mode::Live,
        scene: json!({}),
        hub: Arc::clone(&hub),
        control: Some(Arc::clone(&control)),
        folder: None,
    };
    let server = start(d, Limits::default()).await;
    let mut ws = connect(server.addr).await;
    let first = clock(&mut ws, false).await;
    assert_eq!(first["speed"], 100.0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Paced: nothing later than 100 simulated seconds per second of wall time has come out.
    let latest = |hub: &Hub| -> Value {
        let read = hub.read(0, usize::MAX);
        read.events
            .last()
            .map_or(Value::Null, |e| serde_json::from_str(e).expect("JSON"))
    };
    let t_now = latest(&hub)["t"].as_f64().unwrap_or(0.0);
    assert!(
        t_now <= 100.0 * started.elapsed().as_secs_f64() + 1.0,
        "{t_now} s out after {:?}",
        started.elapsed()
    );
    ws.send(Message::Text(
        json!({"type": "control", "paused": true})
            .to_string()
            .into(),
    ))
    .await
    .expect("sent");
    let held = clock(&mut ws, true).await["t"].as_f64().expect("t");
    let events_then = hub.len();
    tokio::time::sleep(Duration::from_millis(600)).await;
    // Paused, the run makes no event and its clock stands (at 100×, 0.6 s would be a minute).
    assert_eq!(hub.len(), events_then);
    ws.send(Message::Text(
        json!({"type": "control", "step": true}).to_string().into(),
    ))
    .await
    .expect("sent");
    // A step lets the run on until a notable event (as the page's log lists them) is out.
    let quiet = [
        "entity_state",
        "track_update",
        "system_track_update",
        "system_track",
        "threat_evaluated",
        "burnout",
        "apogee",
        "dive",
        "message_lost",
        "range_gate_miss",
    ];
    let deadline = Instant::now() + Duration::from_secs(20);
    while (hub.len() == events_then || quiet.contains(&latest(&hub)["kind"].as_str().unwrap_or("")))
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        hub.len() > events_then,
        "a step lets the run on to its next notable event"
    );
    let after = hub.len();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hub.len(), after, "and holds it there");
    ws.send(Message::Text(
        json!({"type": "control", "speed": 1000, "paused": false})
            .to_string()
            .into(),
    ))
    .await
    .expect("sent");
    let c = clock(&mut ws, false).await;
    assert_eq!(c["speed"], 1000.0);
    assert!(c["t"].as_f64().expect("t") >= held);
    // At 1000× the rest of the engagement (about 20 simulated minutes) plays in seconds.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !hub.ended() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(hub.ended(), "the run ends");
    // Its events are the unpaced run's, in order.
    let unpaced = rampart_sim::engine::run(
        &scenario,
        live::run_options(scenario.seed, rampart_core::SimDuration::from_secs(1)),
    )
    .expect("runs");
    let shown: Vec<String> = unpaced
        .iter()
        .filter(|e| live::shown(&e.kind))
        .map(|e| serde_json::to_string(e).expect("JSON"))
        .collect();
    let logged: Vec<String> = hub
        .read(0, usize::MAX)
        .events
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(logged.len(), shown.len());
    assert!(logged == shown, "pacing changes no event");
}
