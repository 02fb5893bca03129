#!/usr/bin/env python3
"""Checks a `rampart run --dis-pcap` capture with Wireshark's own DIS dissector (tshark).

Usage: dis_tshark.py CAPTURE RUN_FOLDER

Every packet must decode as DIS with no malformed packet or error; each Entity State PDU must
carry, at its packet time, the position of an `entity_state` event of the run's events.jsonl
(to a millimetre); there must be one Fire PDU per interceptor `launch` and `gun_burst` event and
one Detonation PDU per `intercept`, `impact` and `gun_burst` event; a scenario with radars sends Electromagnetic Emission
PDUs (each radar's own Entity State PDUs are its site, not an event's, and are not matched).
"""
import shutil
import subprocess
import sys
from collections import Counter, defaultdict

from run_folder import Run, failer


fail = failer("dis_tshark")


def main():
    if len(sys.argv) != 3:
        fail("usage: dis_tshark.py CAPTURE RUN_FOLDER")
    capture, folder = sys.argv[1], sys.argv[2]
    if shutil.which("tshark") is None:
        fail("tshark is not installed (Debian: apt-get install tshark); it is the independent DIS decoder this check needs")

    bad = subprocess.run(
        ["tshark", "-r", capture, "-Y", "_ws.malformed || _ws.expert.severity >= error || !dis"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    if bad:
        fail(f"packets that do not decode cleanly as DIS:\n{bad[:2000]}")

    fields = ["frame.time_epoch", "dis.pdu_type", "dis.exer_id", "dis.entity_marking",
              "dis.entity_location.x", "dis.entity_location.y", "dis.entity_location.z"]
    out = subprocess.run(
        ["tshark", "-r", capture, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
        + sum((["-e", f] for f in fields), []),
        capture_output=True, text=True, check=True,
    ).stdout

    run = Run(folder)
    events, epoch = run.events, run.epoch
    # Radars (not visual observers) are platforms that emit: their markings, cut as DIS cuts them.
    radars = {r["name"][-11:].strip() for r in run.radars}

    states = defaultdict(list)
    for e in events:
        if e["kind"] == "entity_state":
            states[round(e["t"] * 1e6)].append(e["position_m"])
    expected = Counter(
        {"fire": sum(e["kind"] == "launch" and "interceptor" in e for e in events)
         + sum(e["kind"] == "gun_burst" for e in events),
         "detonation": sum(e["kind"] in ("intercept", "impact", "gun_burst") for e in events)}
    )

    counts = Counter()
    for line in out.splitlines():
        t, pdu_type, exercise, marking, x, y, z = line.split("\t")
        counts[pdu_type] += 1
        if pdu_type != "1" or marking.strip() in radars:
            continue
        micros = round((float(t) - epoch) * 1e6)
        candidates = [p for dt in (-1, 0, 1) for p in states.get(micros + dt, [])]
        pos = (float(x), float(y), float(z))
        if not any(max(abs(a - b) for a, b in zip(pos, p)) < 1e-3 for p in candidates):
            fail(f"an Entity State PDU at {float(t) - epoch:.6f} s puts an entity at {pos}, where no entity_state event of the run is")
    if counts["2"] != expected["fire"]:
        fail(f"{counts['2']} Fire PDUs, {expected['fire']} interceptor launches and gun bursts")
    if counts["3"] != expected["detonation"]:
        fail(f"{counts['3']} Detonation PDUs, {expected['detonation']} intercepts, impacts and gun bursts")
    if counts["1"] == 0:
        fail("no Entity State PDU")
    if radars and counts["23"] == 0:
        fail("no Electromagnetic Emission PDU, though the scenario has radars")
    print(f"dis_tshark: {sum(counts.values())} PDUs decode with Wireshark's dissector "
          f"({counts['1']} Entity State, {counts['2']} Fire, {counts['3']} Detonation, "
          f"{counts['23']} Electromagnetic Emission) and agree with the event log")


if __name__ == "__main__":
    main()
