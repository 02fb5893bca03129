#!/usr/bin/env python3
"""Makes the ballistic sample of `rampart track` from a run of the defended Al Asad scenario.

    cargo run --release -- run scenarios/al-asad-2020-defended.toml --out /tmp/sample \
        --detections-csv /tmp/sample/detections.csv
    python3 tools/tracking/make_ballistic_sample.py /tmp/sample scenarios/tracking

Keeps the first wave (240 s to 440 s after the epoch: five Fateh-313s). Writes `ballistic-detections.csv` (t,x,y,z) and `ballistic-truth.csv`
(t,target_id,x,y,z,vx,vy,vz) into the second folder: what "Battery-1 radar" detected of the
threats, and its false alarms, converted from range, azimuth and elevation to Cartesian
east-north-up coordinates at the radar's antenna (x east, y north, z up, metres); its
detections of the defense's own interceptors are left out. The truth is each threat's
`entity_state` (every second) in the same frame, while the radar could detect it (from 10 s
before its first detection to 10 s after its last), numbered 1, 2, … in order of launch.

WGS-84 geodetic to ECEF, and ECEF to ENU, as in any geodesy text (e.g. Hofmann-Wellenhof,
Lichtenegger & Wasle, GNSS, 2008, §5.6).
"""

import csv
import json
import math
import sys
from pathlib import Path

RADAR = "Battery-1 radar"
# The first wave, s after the epoch.
T0, T1 = 240.0, 440.0
# The radar's antenna (scenarios/al-asad-2020-defended.toml: site 33.80 N, 42.50 E, 190 m;
# antenna 5 m above it).
LAT, LON, ALT = 33.80, 42.50, 195.0
A, F = 6378137.0, 1 / 298.257223563
E2 = F * (2 - F)


def ecef(lat_deg, lon_deg, alt_m):
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    n = A / math.sqrt(1 - E2 * math.sin(lat) ** 2)
    return (
        (n + alt_m) * math.cos(lat) * math.cos(lon),
        (n + alt_m) * math.cos(lat) * math.sin(lon),
        (n * (1 - E2) + alt_m) * math.sin(lat),
    )


ORIGIN = ecef(LAT, LON, ALT)
SL, CL = math.sin(math.radians(LAT)), math.cos(math.radians(LAT))
SO, CO = math.sin(math.radians(LON)), math.cos(math.radians(LON))


def enu(v, point=True):
    d = [v[i] - ORIGIN[i] for i in range(3)] if point else list(v)
    return (
        -SO * d[0] + CO * d[1],
        -SL * CO * d[0] - SL * SO * d[1] + CL * d[2],
        CL * CO * d[0] + CL * SO * d[1] + SL * d[2],
    )


def main(run_dir, out_dir):
    run_dir, out_dir = Path(run_dir), Path(out_dir)
    detections, seen = [], {}
    with open(run_dir / "detections.csv") as f:
        for r in csv.DictReader(f):
            if r["radar"] != RADAR:
                continue
            truth = r["truth_id"]
            if truth and not truth.startswith("R"):
                continue  # an interceptor
            t = float(r["t"])
            if not T0 <= t <= T1:
                continue
            rng, az, el = float(r["range_m"]), float(r["azimuth_rad"]), float(r["elevation_rad"])
            ce = math.cos(el)
            detections.append((t, rng * ce * math.sin(az), rng * ce * math.cos(az), rng * math.sin(el)))
            if truth:
                lo, hi = seen.get(truth, (t, t))
                seen[truth] = (min(lo, t), max(hi, t))
    order = {}
    truth_rows = []
    with open(run_dir / "events.jsonl") as f:
        for line in f:
            e = json.loads(line)
            if e["kind"] == "launch" and "threat" in e and e["threat"] in seen:
                order.setdefault(e["threat"], len(order) + 1)
            if e["kind"] != "entity_state" or e["entity"] not in seen:
                continue
            lo, hi = seen[e["entity"]]
            if not max(lo - 10, T0) <= e["t"] <= min(hi + 10, T1):
                continue
            p = enu(e["position_m"])
            v = enu(e["velocity_mps"], point=False)
            truth_rows.append((e["t"], e["entity"], p, v))
    with open(out_dir / "ballistic-detections.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["t", "x", "y", "z"])
        for t, x, y, z in detections:
            w.writerow([f"{t:g}", f"{x:.2f}", f"{y:.2f}", f"{z:.2f}"])
    seen_rows = set()
    with open(out_dir / "ballistic-truth.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["t", "target_id", "x", "y", "z", "vx", "vy", "vz"])
        for t, name, p, v in sorted(truth_rows, key=lambda r: (r[0], order[r[1]])):
            key = (t, name)
            if key in seen_rows:
                continue  # a state recorded twice at one instant (at an event)
            seen_rows.add(key)
            w.writerow([f"{t:g}", order[name]] + [f"{c:.2f}" for c in p] + [f"{c:.2f}" for c in v])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
