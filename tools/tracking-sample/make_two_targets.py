"""Writes scenarios/tracking/two-targets-{detections,truth}.csv: a small example for
`rampart track` and a seed for its fuzzing.

Two aircraft-like targets cross at constant velocity (one eastbound at 250 m/s, one
north-eastbound at 200 m/s, both near 8 km height), scanned every 2 s for 60 s by a sensor with
50 m position noise per axis (as scenarios/tracking/tracker.toml assumes), probability of
detection 0.9, and a few uniform false detections per scan. Fixed seed, so the files are the
same on every run:

    python3 tools/tracking-sample/make_two_targets.py
"""
import csv
import math
import random
from pathlib import Path

rng = random.Random(20201)
out = Path(__file__).resolve().parents[2] / "scenarios" / "tracking"
targets = {
    1: ((-8000.0, 0.0, 8000.0), (250.0, 0.0, 0.0)),
    2: ((-6000.0, -6000.0, 7500.0), (200.0 / math.sqrt(2), 200.0 / math.sqrt(2), 0.0)),
}
with open(out / "two-targets-detections.csv", "w", newline="") as fd, open(
    out / "two-targets-truth.csv", "w", newline=""
) as ft:
    d, t = csv.writer(fd), csv.writer(ft)
    d.writerow(["t", "x", "y", "z"])
    t.writerow(["t", "target_id", "x", "y", "z", "vx", "vy", "vz"])
    for k in range(31):
        time = 2.0 * k
        rows = []
        for tid, (p0, v) in targets.items():
            p = [p0[i] + v[i] * time for i in range(3)]
            t.writerow([f"{time:g}", tid] + [f"{x:.3f}" for x in p] + [f"{x:.3f}" for x in v])
            if rng.random() < 0.9:
                rows.append([p[i] + rng.gauss(0.0, 50.0) for i in range(3)])
        for _ in range(rng.randint(0, 3)):
            rows.append([rng.uniform(-20000, 20000), rng.uniform(-20000, 20000), rng.uniform(0, 15000)])
        rng.shuffle(rows)
        for r in rows:
            d.writerow([f"{time:g}"] + [f"{x:.2f}" for x in r])
