"""`rampart serve` in a real browser: Playwright for Python driving Debian's Chromium.

Each test starts the server on a free loopback port, opens the page, and checks what a user
sees: no console error and no request leaving the machine; the map draws the assets and radars
where they are; in a live run the threats move, the track table fills and pause stops the clock;
a replay seeks to a time and shows that time's state. Screenshots of the map and the table go to
$RAMPART_ARTIFACTS (default target/display-artifacts).

Needs: the release binary (cargo build --release, or $RAMPART_BIN), chromium ($CHROMIUM, default
/usr/bin/chromium), and pip's playwright and pytest (tests/display/requirements.txt).
"""

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("RAMPART_BIN", ROOT / "target" / "release" / "rampart"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("RAMPART_ARTIFACTS", ROOT / "target" / "display-artifacts"))
SCENARIO = ROOT / "scenarios" / "al-asad-2020-defended.toml"

# Green of a defended asset's centre and blue of a radar (the report's palette).
GREEN = (0x00, 0x9E, 0x73)
BLUE = (0x00, 0x72, 0xB2)


def serve(*args):
    """Starts `rampart serve ARGS` on a free loopback port; returns (process, base URL)."""
    assert BIN.exists(), f"{BIN} is missing: build it with `cargo build --release`"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "serve-stderr.log", "a")  # the server's log lines, for a failure
    proc = subprocess.Popen(
        [str(BIN), "serve", *map(str, args), "--bind", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not m:
        proc.kill()
        raise AssertionError(f"no address from rampart serve: {line!r}; see {log.name}")
    return proc, m.group(0)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Watch:
    """A page with its console errors and every request that would leave the server."""

    def __init__(self, browser, base):
        self.base = base
        self.errors = []
        self.outside = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 860})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def route(r):
            if r.request.url.startswith(base) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(base)
        self.page.wait_for_function("() => window.rampart && window.rampart.state().events > 0")

    def state(self):
        return self.page.evaluate("() => window.rampart.state()")

    def clock(self):
        return float(self.page.get_by_test_id("clock").get_attribute("data-t"))

    def wait(self, predicate_js, timeout=30_000):
        self.page.wait_for_function(predicate_js, timeout=timeout)

    def pixel(self, lat, lon, scale=3000):
        """The map's colour at (lat, lon), zoomed in on it."""
        self.page.evaluate(f"() => window.rampart.look({lat}, {lon}, {scale})")
        self.page.wait_for_timeout(150)
        return tuple(
            self.page.evaluate(
                """([lat, lon]) => {
                const [x, y] = window.rampart.project(lat, lon);
                const c = document.querySelector('[data-testid=map]');
                const r = c.width / c.clientWidth;
                return Array.from(c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data.slice(0, 3));
            }""",
                [lat, lon],
            )
        )

    def shot(self, testid, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.get_by_test_id(testid).screenshot(path=str(ARTIFACTS / name))

    def clean(self):
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.outside == [], f"requests leaving the machine: {self.outside}"


def close(colour, want, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(colour, want))


def test_live_run(browser):
    proc, base = serve(SCENARIO, "--speed", "50", "--paused")
    try:
        w = Watch(browser, base)
        for tid in ["map", "altitude-view", "track-table", "event-log", "clock", "play", "pause", "speed"]:
            assert w.page.get_by_test_id(tid).count() == 1, tid
        assert w.page.get_by_test_id("seek").is_hidden(), "a live run has no time slider"
        scene = w.page.evaluate("() => window.rampart.scene()")
        # The map draws the assets and radars where they are (before any impact covers one).
        for a in scene["assets"]:
            assert close(w.pixel(a["site"]["lat"], a["site"]["lon"]), GREEN), a["name"]
        for r in scene["radars"]:
            assert close(w.pixel(r["site"]["lat"], r["site"]["lon"]), BLUE), r["name"]
        w.page.get_by_test_id("recentre").click()
        assert w.clock() == 0.0, "started paused"
        w.page.get_by_test_id("play").click()
        # Threats move: one threat's symbol is somewhere else a moment later.
        w.wait("() => window.rampart.state().entities.some(e => e.kind === 'threat')")
        first = {e["id"]: (e["x"], e["y"]) for e in w.state()["entities"] if e["kind"] == "threat"}
        w.page.wait_for_timeout(1000)
        later = {e["id"]: (e["x"], e["y"]) for e in w.state()["entities"] if e["kind"] == "threat"}
        moved = [k for k in first if k in later and abs(first[k][0] - later[k][0]) + abs(first[k][1] - later[k][1]) > 2]
        assert moved, f"no threat moved: {first} then {later}"
        # The track table fills: one row per track, with speed and altitude.
        # (A row may show a track confirmed before its first estimate arrives: wait for one with it.)
        w.wait(
            """() => [...document.querySelectorAll('[data-testid=track-table] tbody tr')]
                .some(r => Number(r.cells[2].textContent) > 100 && Number(r.cells[3].textContent) > 0)""",
            60_000,
        )
        keys = w.page.locator("[data-testid=track-table] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.track)")
        assert len(keys) == len(set(keys)), "one row per track"
        w.shot("map", "live-map.png")
        w.shot("track-table", "live-track-table.png")
        w.page.screenshot(path=str(ARTIFACTS / "live-page.png"))
        # Pause stops the clock; play starts it again.
        assert not w.state()["ended"], "the run is still going"
        w.page.get_by_test_id("pause").click()
        w.wait("() => window.rampart.state().playing === false")
        w.page.wait_for_timeout(300)  # the frames after the server's paused clock arrived
        t0 = w.clock()
        w.page.wait_for_timeout(800)
        assert w.clock() == t0, "paused, the clock stands"
        w.page.get_by_test_id("speed").select_option("1000")
        w.page.get_by_test_id("play").click()
        w.page.wait_for_timeout(800)
        assert w.clock() > t0 + 100, "at 1000× the clock runs on"
        w.clean()
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("defended")
    subprocess.run(
        [str(BIN), "run", str(SCENARIO), "--out", str(out), "--log-detections"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def test_replay_seeks(browser, run_folder):
    events = [json.loads(l) for l in (run_folder / "events.jsonl").read_text().splitlines() if l]
    kill = next(e for e in events if e["kind"] == "intercept" and e["kill"])
    proc, base = serve(run_folder)
    try:
        w = Watch(browser, base)
        w.wait("() => window.rampart.state().ended")
        w.page.get_by_test_id("pause").click()
        seek = w.page.get_by_test_id("seek")
        assert seek.get_attribute("type") == "range"
        # Just after the first kill: the killed threat is gone, the log says so.
        seek.fill(str(kill["t"] + 0.5))
        w.page.wait_for_timeout(300)
        st = w.state()
        assert abs(st["t"] - (kill["t"] + 0.5)) < 0.05, st["t"]
        shown = {e["id"] for e in st["entities"]}
        assert kill["threat"] not in shown
        log = w.page.get_by_test_id("event-log").inner_text()
        assert f"killed {kill['threat']}" in log
        # Before it: the threat flies and nothing was killed yet.
        seek.fill(str(kill["t"] - 20))
        w.page.wait_for_timeout(300)
        st = w.state()
        assert kill["threat"] in {e["id"] for e in st["entities"]}
        assert "killed" not in w.page.get_by_test_id("event-log").inner_text()
        rows = w.page.locator("[data-testid=track-table] tbody tr").count()
        held = {(e["radar"], e["track"]) for e in events if e["kind"] == "track_update" and kill["t"] - 24 < e["t"] <= kill["t"] - 20}
        assert rows >= 1 and rows <= len(held) + 2, (rows, held)
        w.shot("map", "replay-map.png")
        w.shot("track-table", "replay-track-table.png")
        # Paused, the clock stands; the next-event button steps to the next notable event.
        t0 = w.clock()
        w.page.wait_for_timeout(500)
        assert w.clock() == t0
        w.page.get_by_test_id("step").click()
        w.page.wait_for_timeout(200)
        quiet = {"entity_state", "track_update", "system_track_update", "burnout", "apogee", "dive",
                 "threat_evaluated", "system_track", "siap", "scan", "detection", "message_lost", "range_gate_miss"}
        nxt = min(e["t"] for e in events if e["t"] > t0 + 1e-6 and e["kind"] not in quiet)
        assert abs(w.clock() - nxt) < 1e-3, (w.clock(), nxt)
        # The run folder's own log is served as it is.
        body = w.page.request.get(base + "run/events.jsonl").text()
        assert body == (run_folder / "events.jsonl").read_text()
        w.clean()
    finally:
        proc.kill()
        proc.wait()
