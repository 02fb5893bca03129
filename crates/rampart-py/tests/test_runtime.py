"""Long runs release the GIL, stop on Ctrl-C and report progress."""

import os
import signal
import subprocess
import sys
import threading
import time

import rampart
from conftest import DEFENDED, REPO


def test_the_gil_is_released_while_replications_run():
    s = rampart.Scenario.load(DEFENDED)
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    start = time.perf_counter()
    rampart.mc(s, runs=40, threads=1)
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    # Python ran alongside: the ticker ticked through the run, not only before and after.
    during = [x for x in ticks if start < x < start + elapsed]
    assert len(during) >= max(3, int(elapsed / 0.01 * 0.3)), (len(during), elapsed)


def test_progress_counts_every_replication():
    seen = []
    rampart.mc(rampart.Scenario.load(DEFENDED), runs=30, progress=seen.append)
    assert sum(seen) == 30


def test_ctrl_c_stops_a_long_run_promptly():
    code = (
        "import rampart, sys\n"
        f"s = rampart.Scenario.load({str(DEFENDED)!r})\n"
        "print('started', flush=True)\n"
        "try:\n"
        "    rampart.mc(s, runs=10_000_000, threads=1)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(3)\n"
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert p.stdout.readline().strip() == "started"
        time.sleep(1.5)
        sent = time.perf_counter()
        p.send_signal(signal.SIGINT)
        out, _ = p.communicate(timeout=30)
        assert p.returncode == 3 and "interrupted" in out
        assert time.perf_counter() - sent < 10
    finally:
        p.kill()


def test_a_progress_bar_when_asked(capsys):
    r = rampart.mc(rampart.Scenario.load(DEFENDED), runs=12, progress=True)
    assert r.runs == 12
    err = capsys.readouterr().err
    assert "12/12" in err  # tqdm's closing count
