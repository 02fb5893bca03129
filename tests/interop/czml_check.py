#!/usr/bin/env python3
"""Checks a CZML document (`rampart run --czml`, `rampart report DIR --czml`) with an independent reader: `czml3`, whose pydantic
models of the CZML packets refuse unknown properties and ill-typed values
(tests/interop/requirements.txt).

Usage: czml_check.py DOCUMENT RUN_FOLDER

Every packet must validate as a czml3 Packet; the first must be the document packet (version
1.0, a clock); every threat and interceptor of the run's events must have a packet whose
time-tagged ECEF samples are its `entity_state` events' positions (to a millimetre), and every
intercept and impact a marker.
"""
import json
import sys

from run_folder import Run, failer

fail = failer("czml_check")

try:
    from czml3 import Packet
except ImportError as e:
    print(f"czml_check: {e.name} is not installed: pip install -r tests/interop/requirements.txt",
          file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        fail("usage: czml_check.py DOCUMENT RUN_FOLDER")
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    run = Run(sys.argv[2])
    if not isinstance(doc, list) or not doc:
        fail("a CZML document is a non-empty array of packets")
    if doc[0].get("id") != "document" or doc[0].get("version") != "1.0" or "clock" not in doc[0]:
        fail("the first packet is not the document packet with version 1.0 and a clock")
    for p in doc:
        try:
            Packet.model_validate(p)
        except Exception as e:  # pydantic's ValidationError, whatever its version
            fail(f"packet {p.get('id')!r} does not validate: {str(e)[:1500]}")
    by_id = {p["id"]: p for p in doc}
    states = {}
    for e in run.events:
        if e["kind"] == "entity_state":
            samples = states.setdefault((e["entity_kind"], e["entity"]), [])
            if not samples or samples[-1][0] < e["t_ns"]:
                samples.append((e["t_ns"], e["position_m"]))
    for (kind, name), samples in states.items():
        p = by_id.get(f"{kind}/{name}")
        if p is None:
            fail(f"no packet for {kind} {name}")
        c = p["position"]["cartesian"]
        if len(c) != 4 * len(samples):
            fail(f"{kind} {name}: {len(c) // 4} samples, the log has {len(samples)}")
        for k, (_, want) in enumerate(samples):
            got = c[4 * k + 1:4 * k + 4]
            if max(abs(a - b) for a, b in zip(got, want)) > 1e-3:
                fail(f"{kind} {name}: sample {k} at {got}, the log at {want}")
    for e in run.events:
        if e["kind"] == "intercept" and f"intercept/{e['interceptor']}" not in by_id:
            fail(f"no marker for the intercept of {e['interceptor']}")
        if e["kind"] == "impact" and f"impact/{e['threat']}" not in by_id:
            fail(f"no marker for the impact of {e['threat']}")
    print(f"czml_check: {len(doc)} packets validate with czml3 and agree with the event log "
          f"({len(states)} moving entities)")


if __name__ == "__main__":
    main()
