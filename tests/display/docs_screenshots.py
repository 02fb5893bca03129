"""The screenshots of docs/display.md, taken from a replay of the defended scenario.

Usage: target/ci-venv/bin/python tests/display/docs_screenshots.py [OUT_DIR]  (default docs/img)
Needs what test_display.py needs (the release binary, chromium, playwright).
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from test_display import BIN, CHROMIUM, SCENARIO, serve

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "img"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "defended"
        subprocess.run([str(BIN), "run", str(SCENARIO), "--out", str(folder), "--log-detections"],
                       check=True, stdout=subprocess.DEVNULL)
        proc, base = serve(folder)
        try:
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = b.new_page(viewport={"width": 1600, "height": 900})
                page.goto(base)
                page.wait_for_function("() => window.rampart && window.rampart.state().ended")
                page.get_by_test_id("pause").click()
                # The second wave inbound: tracks, interceptors in flight, the first kills.
                page.get_by_test_id("seek").fill("372")
                page.evaluate("() => window.rampart.look(33.86, 42.62, 900)")
                page.wait_for_timeout(500)
                page.screenshot(path=str(OUT / "display-replay.png"))
                page.get_by_test_id("truth").uncheck()
                page.wait_for_timeout(300)
                page.get_by_test_id("map").screenshot(path=str(OUT / "display-operator-view.png"))
                b.close()
        finally:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
