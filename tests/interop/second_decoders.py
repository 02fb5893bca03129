#!/usr/bin/env python3
"""Checks the DIS capture and the ASTERIX recording of one run with second, independent
decoders: the `opendis` package (Open-DIS) for DIS and `asterix_decoder` (Croatia Control's
ASTERIX library) for ASTERIX. Install them with pip (tests/interop/requirements.txt).

Usage: second_decoders.py CAPTURE RECORDING RUN_FOLDER  (the run made with --log-detections)

Every PDU and every record must decode; there must be one Fire PDU per interceptor launch and
gun burst, and one Detonation PDU per intercept, impact and gun burst; every Entity State PDU but a radar's must put its
entity where an `entity_state` event of the run does at the packet's time; and the CAT048 plots
must give, in order, the range and azimuth of the run's detections within half the items'
resolution.
"""
import math
import struct
import sys
from collections import Counter, defaultdict

from run_folder import Run, failer

try:
    import asterix
    from opendis.PduFactory import createPdu
except ImportError as e:
    print(f"second_decoders: {e.name} is not installed: pip install -r tests/interop/requirements.txt",
          file=sys.stderr)
    sys.exit(1)


fail = failer("second_decoders")


def packets(path):
    data = open(path, "rb").read()
    # The little-endian pcap magic numbers: microsecond and nanosecond timestamps.
    scale = {bytes([0xD4, 0xC3, 0xB2, 0xA1]): 1e-6, bytes([0x4D, 0x3C, 0xB2, 0xA1]): 1e-9}.get(data[:4])
    if scale is None:
        fail(f"{path} is not a little-endian pcap capture")
    at = 24
    while at + 16 <= len(data):
        sec, frac, incl = struct.unpack("<III", data[at:at + 12])
        yield sec + frac * scale, data[at + 16 + 42:at + 16 + incl]
        at += 16 + incl


def main():
    if len(sys.argv) != 4:
        fail("usage: second_decoders.py CAPTURE RECORDING RUN_FOLDER")
    capture, recording, folder = sys.argv[1:]
    run = Run(folder)
    events, t0 = run.events, run.epoch
    states = defaultdict(list)
    for e in events:
        if e["kind"] == "entity_state":
            states[round(e["t"] * 1e6)].append(e["position_m"])

    kinds = Counter()
    unmatched = 0
    for t, payload in packets(capture):
        pdu = createPdu(payload)
        if pdu is None:
            fail(f"opendis does not decode the PDU at {t}")
        name = type(pdu).__name__
        kinds[name] += 1
        # A radar is a land platform (kind 1, domain 1) at its site, not an event's entity.
        if name == "EntityStatePdu" and (pdu.entityType.entityKind, pdu.entityType.domain) != (1, 1):
            micros = round((t - t0) * 1e6)
            loc = (pdu.entityLocation.x, pdu.entityLocation.y, pdu.entityLocation.z)
            near = [p for dt in (-1, 0, 1) for p in states.get(micros + dt, [])]
            if not any(math.dist(loc, p) < 1e-3 for p in near):
                unmatched += 1
    bursts = sum(e["kind"] == "gun_burst" for e in events)
    launches = sum(e["kind"] == "launch" and "interceptor" in e for e in events) + bursts
    blasts = sum(e["kind"] in ("intercept", "impact") for e in events) + bursts
    if kinds["FirePdu"] != launches or kinds["DetonationPdu"] != blasts:
        fail(f"opendis reads {dict(kinds)}; the run has {launches} launches and {blasts} intercepts and impacts")
    if unmatched:
        fail(f"{unmatched} Entity State PDUs put an entity where no entity_state event does")

    data = open(recording, "rb").read()
    records = asterix.parse(data)
    cats = Counter(r["category"] for r in records)
    # Visual observers are no ASTERIX sources.
    radars = [r["name"] for r in run.radars]
    scans = sum(e["kind"] == "scan" and e["radar"] in radars for e in events)
    detections = [e for e in events if e["kind"] == "detection" and e["radar"] in radars
                  and e["range_m"] / 1852 * 256 < 65535.5]
    updates = sum((e["kind"] == "track_update" and e["radar"] in radars)
                  or e["kind"] == "system_track_update" for e in events)
    if (cats[34], cats[48], cats[62]) != (scans, len(detections), updates):
        fail(f"asterix_decoder reads {dict(cats)}; the run has {scans} scans, {len(detections)} plots, {updates} track updates")
    plots = [r for r in records if r["category"] == 48]
    for r, e in zip(plots, detections):
        rho = r["I040"]["RHO"]["val"] * 1852
        theta = math.radians(r["I040"]["THETA"]["val"])
        d_theta = (theta - e["azimuth_rad"] + math.pi) % (2 * math.pi) - math.pi
        if abs(rho - e["range_m"]) > 1852 / 512 + 1e-6 or abs(d_theta) > math.pi / 65536 + 1e-9:
            fail(f"a CAT048 plot reads {rho:.1f} m, {theta:.6f} rad; its detection {e['range_m']:.1f} m, {e['azimuth_rad']:.6f} rad")
    print(f"second_decoders: opendis reads {sum(kinds.values())} PDUs ({dict(kinds)}), "
          f"asterix_decoder {len(records)} records ({dict(cats)}); they agree with the event log")


if __name__ == "__main__":
    main()
