#!/usr/bin/env python3
"""Checks a `rampart run --asterix-file` recording with Wireshark's own ASTERIX dissector.

Usage: asterix_tshark.py RECORDING RUN_FOLDER

The recording (data blocks one after another) is wrapped, one data block per UDP datagram to
port 8600 (where Wireshark decodes ASTERIX), into a pcap capture; tshark must decode every
packet with no malformed packet or error; the blocks must be one CAT034 north marker per
`scan` event, one CAT048 plot per `detection` event within 256 NM, one CAT062 track per
`track_update` and `system_track_update` event; and the CAT062 positions must be where the events put the tracks (to the
items' resolution, below 150,000 ft).
"""
import math
import re
import shutil
import struct
import subprocess
import sys
import tempfile

from run_folder import Run, failer


fail = failer("asterix_tshark")


def blocks(data):
    at = 0
    while at < len(data):
        if len(data) - at < 3:
            fail(f"the recording ends inside a data block header at octet {at}")
        length = struct.unpack(">H", data[at + 1:at + 3])[0]
        if length < 3 or at + length > len(data):
            fail(f"the data block at octet {at} gives a length of {length}")
        yield data[at:at + length]
        at += length


def checksum(header):
    s = sum(struct.unpack(f">{len(header) // 2}H", header))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def to_pcap(data, path):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, block in enumerate(blocks(data)):
            udp = struct.pack(">HHHH", 8600, 8600, 8 + len(block), 0) + block
            ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                                       bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])))
            ip[10:12] = struct.pack(">H", checksum(bytes(ip)))
            frame = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]) + bytes(ip) + udp
            f.write(struct.pack("<IIII", i // 1000, i % 1000, len(frame), len(frame)))
            f.write(frame)


def geodetic_to_ecef(lat, lon, h):
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    lat, lon = math.radians(lat), math.radians(lon)
    n = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return ((n + h) * math.cos(lat) * math.cos(lon), (n + h) * math.cos(lat) * math.sin(lon),
            (n * (1 - e2) + h) * math.sin(lat))


def enu_to_ecef(origin, enu):
    lat, lon, h = origin
    x0 = geodetic_to_ecef(lat, lon, h)
    la, lo = math.radians(lat), math.radians(lon)
    e, n, u = enu
    return (x0[0] - math.sin(lo) * e - math.sin(la) * math.cos(lo) * n + math.cos(la) * math.cos(lo) * u,
            x0[1] + math.cos(lo) * e - math.sin(la) * math.sin(lo) * n + math.cos(la) * math.sin(lo) * u,
            x0[2] + math.cos(la) * n + math.sin(la) * u)


def height_m(value):
    """A height as the scenario writes it: a number of metres, or "190 m", "0.19 km", "600 ft"."""
    if isinstance(value, (int, float)):
        return float(value)
    m = re.fullmatch(r"\s*([-+0-9.eE]+)\s*(m|km|ft)\s*", value)
    if not m:
        fail(f"a height this check does not read: {value!r}")
    return float(m.group(1)) * {"m": 1.0, "km": 1000.0, "ft": 0.3048}[m.group(2)]


def main():
    if len(sys.argv) != 3:
        fail("usage: asterix_tshark.py RECORDING RUN_FOLDER")
    recording, folder = sys.argv[1], sys.argv[2]
    if shutil.which("tshark") is None:
        fail("tshark is not installed (Debian: apt-get install tshark); it is the independent ASTERIX decoder this check needs")
    with open(recording, "rb") as f:
        data = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        pcap = f"{tmp}/asterix.pcap"
        to_pcap(data, pcap)
        bad = subprocess.run(["tshark", "-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error || !asterix"],
                             capture_output=True, text=True, check=True).stdout.strip()
        if bad:
            fail(f"packets that do not decode cleanly as ASTERIX:\n{bad[:2000]}")
        fields = ["asterix.category", "asterix.062_105_LAT", "asterix.062_105_LON", "asterix.062_130_VALUE",
                  "asterix.062_010_SIC", "asterix.062_500_APC_X", "asterix.062_500_APC_Y",
                  "asterix.062_500_AGA_VALUE", "asterix.062_500_ATV_X", "asterix.062_500_ATV_Y"]
        out = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
                             + sum((["-e", f] for f in fields), []),
                             capture_output=True, text=True, check=True).stdout

    run = Run(folder)
    radars, events = run.radars, run.events
    names = [r["name"] for r in radars]
    scans = sum(e["kind"] == "scan" and e["radar"] in names for e in events)
    plots = sum(e["kind"] == "detection" and e["radar"] in names and e["range_m"] / 1852 * 256 < 65535.5
                for e in events)
    # Each radar tracker's tracks, and the network's composite picture (source 0).
    updates = [e for e in events if (e["kind"] == "track_update" and e["radar"] in names)
               or e["kind"] == "system_track_update"]

    rows = [line.split("\t") for line in out.splitlines()]
    counts = {c: sum(r[0] == c for r in rows) for c in ("34", "48", "62")}
    if counts != {"34": scans, "48": plots, "62": len(updates)}:
        fail(f"data blocks {counts}, events: {scans} scans, {plots} plots, {len(updates)} track updates")
    tracks = [r for r in rows if r[0] == "62"]
    checked = 0
    for row, e in zip(tracks, updates):
        sic = int(row[4], 0)
        if e["kind"] == "system_track_update":
            if sic != 0:
                fail(f"a composite-picture track comes from source {sic}, not 0")
            want = tuple(e["position_m"])
        else:
            radar = radars[sic - 1]
            if radar["name"] != e["radar"]:
                fail(f"a CAT062 record's source {row[4]} is not radar `{e['radar']}`")
            site = radar["position"]
            origin = (site["lat"], site["lon"],
                      height_m(site.get("alt", "0 m")) + height_m(radar.get("antenna_height", "0 m")))
            want = enu_to_ecef(origin, e["position_m"])
        feet = float(row[3])
        # A height beyond I062/130's -1,500 to 150,000 ft is held at the end it passed (a
        # ballistic missile high up, a track coasting under the radar's horizon): not compared.
        if feet >= 150000 or feet <= -1500:
            continue
        got = geodetic_to_ecef(float(row[1]), float(row[2]), feet * 0.3048)
        miss = math.dist(got, want)
        if miss > 1.5:
            fail(f"a CAT062 track from source {sic} at t = {e['t']} s is {miss:.2f} m from its event")
        # I062/500: σ east and north (0.5 m), σ height (6.25 ft), σ velocity (0.25 m/s), each to
        # half its LSB, held at the item's largest value.
        sd, sv = e["position_sigma_m"], e["velocity_sigma_mps"]
        for got_s, want_s, half, top in ((row[5], sd[0], 0.25, 32767.5), (row[6], sd[1], 0.25, 32767.5),
                                         (float(row[7]) * 0.3048, sd[2], 3.125 * 0.3048, 1593.75 * 0.3048),
                                         (row[8], sv[0], 0.125, 63.75), (row[9], sv[1], 0.125, 63.75)):
            if abs(float(got_s) - min(want_s, top)) > half + 1e-6:
                fail(f"a CAT062 record's accuracy {got_s} is not its event's {want_s} (t = {e['t']} s)")
        checked += 1
    print(f"asterix_tshark: {len(rows)} data blocks decode with Wireshark's dissector "
          f"({counts['34']} CAT034, {counts['48']} CAT048, {counts['62']} CAT062); "
          f"{checked} track positions and accuracies agree with the event log")


if __name__ == "__main__":
    main()
