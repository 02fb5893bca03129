#!/usr/bin/env python3
"""Convert Natural Earth TopoJSON (world-atlas npm package) into Rampart's map text file.

Produces ``crates/rampart-report/data/naturalearth-50m.txt``: coastlines (boundary
rings of the ``land`` object of ``land-50m.json``) and country borders (arcs of
``countries-50m.json`` shared by two different countries, i.e. what
``topojson.mesh(topology, topology.objects.countries, (a, b) => a !== b)``
gives, each shared arc once), clipped to the region lon -20..80, lat 0..60,
rounded to 2 decimals (~1 km).  Standard library only (Python 3.11).

How it was run (the data file in the repository was made exactly like this)::

    mkdir -p /tmp/ne && cd /tmp/ne
    npm pack world-atlas@2            # -> world-atlas-2.0.2.tgz
    tar xzf world-atlas-2.0.2.tgz     # -> package/land-50m.json, package/countries-50m.json
    cd /work/main                     # the repository root
    python3 tools/naturalearth/convert.py \\
        /tmp/ne/package/land-50m.json /tmp/ne/package/countries-50m.json \\
        crates/rampart-report/data/naturalearth-50m.txt

The output is deterministic (no timestamps), so re-running it on the same
package version reproduces the file byte for byte.  After writing, the script
re-reads the file the way a simple parser would and checks a few known
features near Kuwait / Iraq (see ``sanity_check``); it exits non-zero if they
are missing.

TopoJSON decoding notes: arcs are quantized, so each arc is delta-decoded
(running sums of integer positions) and then mapped with the topology's
``transform`` (x * scale + translate).  A geometry references arcs by index;
a negative index ``~i`` (i.e. ``-i - 1``) means arc ``i`` reversed.  When arcs
are joined into one line the shared joint point is emitted once.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys

# Region kept (degrees).  Lines are split where they leave this box; each kept
# piece includes one point beyond the edge so lines reach the frame.
LON_MIN, LON_MAX = -20.0, 80.0
LAT_MIN, LAT_MAX = 0.0, 60.0
DECIMALS = 2

Point = tuple[float, float]


# --------------------------------------------------------------------------
# TopoJSON decoding
# --------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[tuple[int, int]]]:
    """Delta-decode the quantized arcs, keeping integer (quantized) positions.

    Integer positions make joints between arcs compare exactly; the transform
    is applied later with ``to_lonlat``.
    """
    quantized = "transform" in topology
    out = []
    for arc in topology["arcs"]:
        if quantized:
            x = y = 0
            pts = []
            for p in arc:
                x += p[0]
                y += p[1]
                pts.append((x, y))
        else:
            pts = [(p[0], p[1]) for p in arc]
        out.append(pts)
    return out


def make_transform(topology: dict):
    t = topology.get("transform")
    if t is None:
        return lambda p: (float(p[0]), float(p[1]))
    (sx, sy), (tx, ty) = t["scale"], t["translate"]
    return lambda p: (p[0] * sx + tx, p[1] * sy + ty)


def arc_points(arcs, index: int):
    """Points of arc ``index``; a negative index ``~i`` is arc i reversed."""
    if index >= 0:
        return arcs[index]
    return arcs[~index][::-1]


def join_arcs(arcs, indices) -> list:
    """Concatenate referenced arcs into one line, emitting joints once."""
    line: list = []
    for idx in indices:
        pts = arc_points(arcs, idx)
        if line and pts and line[-1] == pts[0]:
            line.extend(pts[1:])
        else:
            line.extend(pts)
    return line


def polygons_of(geometry: dict):
    """Yield each polygon (a list of rings, each a list of arc indices)."""
    gtype = geometry.get("type")
    if gtype == "Polygon":
        yield geometry["arcs"]
    elif gtype == "MultiPolygon":
        yield from geometry["arcs"]
    elif gtype == "GeometryCollection":
        for g in geometry["geometries"]:
            yield from polygons_of(g)


def geometries_of(obj: dict) -> list[dict]:
    if obj.get("type") == "GeometryCollection":
        return obj["geometries"]
    return [obj]


def land_rings(topology: dict) -> list[list[tuple[int, int]]]:
    """All rings (outer boundaries and holes) of the ``land`` object."""
    arcs = decode_arcs(topology)
    rings = []
    for geom in geometries_of(topology["objects"]["land"]):
        for polygon in polygons_of(geom):
            for ring in polygon:
                rings.append(join_arcs(arcs, ring))
    return rings


def border_arcs(topology: dict) -> list[list[tuple[int, int]]]:
    """Arcs shared by two different country geometries (mesh with a !== b).

    Mirrors topojson-client's ``mesh``: for every arc, the list of geometries
    that use it is recorded in order; the arc is kept when the first and the
    last of them are different geometries (object identity, not the id, so
    countries without an ISO id still count as distinct).
    """
    arcs = decode_arcs(topology)
    geoms_by_arc: dict[int, list[int]] = {}
    for gi, geom in enumerate(geometries_of(topology["objects"]["countries"])):
        for polygon in polygons_of(geom):
            for ring in polygon:
                for idx in ring:
                    a = idx if idx >= 0 else ~idx
                    geoms_by_arc.setdefault(a, []).append(gi)
    keep = sorted(a for a, gs in geoms_by_arc.items() if gs[0] != gs[-1])
    return [arcs[a] for a in keep]


def stitch(lines: list[list]) -> list[list]:
    """Join lines end to end through points where exactly two line ends meet.

    Lines are merged (reversing where needed) into maximal chains between
    junctions (points where 1 or >2 line ends meet); pure loops become closed
    chains.  Deterministic for a given input order.
    """
    ends: dict = {}
    for li, line in enumerate(lines):
        ends.setdefault(line[0], []).append((li, 0))
        ends.setdefault(line[-1], []).append((li, 1))
    used = [False] * len(lines)

    def walk(li: int, from_start: bool) -> list:
        chain: list = []
        while True:
            used[li] = True
            pts = lines[li] if from_start else lines[li][::-1]
            chain.extend(pts[1:] if chain else pts)
            tail = chain[-1]
            at = ends[tail]
            if len(at) != 2:
                return chain
            # The other line end at this node (not the one we arrived by).
            arrived = (li, 1 if from_start else 0)
            nxt = at[1] if at[0] == arrived else at[0]
            if used[nxt[0]]:
                return chain
            li, from_start = nxt[0], nxt[1] == 0

    chains = []
    # Start at junctions / dangling ends first so chains span whole borders.
    for li, line in enumerate(lines):
        if used[li]:
            continue
        if len(ends[line[0]]) != 2:
            chains.append(walk(li, True))
        elif len(ends[line[-1]]) != 2:
            chains.append(walk(li, False))
    # What is left lies on loops made of degree-2 nodes only.
    for li in range(len(lines)):
        if not used[li]:
            chains.append(walk(li, True))
    return chains


# --------------------------------------------------------------------------
# Clipping, rounding, output
# --------------------------------------------------------------------------


def segment_meets_box(p: Point, q: Point) -> bool:
    """Liang-Barsky test: does segment pq touch the region box?"""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    t0, t1 = 0.0, 1.0
    for pp, qq in (
        (-dx, x0 - LON_MIN),
        (dx, LON_MAX - x0),
        (-dy, y0 - LAT_MIN),
        (dy, LAT_MAX - y0),
    ):
        if pp == 0.0:
            if qq < 0.0:
                return False
        else:
            r = qq / pp
            if pp < 0.0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def clip(pts: list[Point]) -> list[list[Point]]:
    """Split a line into the runs of consecutive segments that touch the box.

    A kept run starts/ends with the first point beyond the edge, so lines
    reach the frame.  A closed line (first == last) that leaves the box is
    rotated first so a piece crossing its start point is not cut in two.
    """
    n = len(pts)
    if n < 2:
        return []
    keep = [segment_meets_box(pts[k], pts[k + 1]) for k in range(n - 1)]
    if all(keep):
        return [pts]
    if not any(keep):
        return []
    if pts[0] == pts[-1]:
        k = keep.index(False)
        pts = pts[k + 1 :] + pts[1 : k + 1]
        keep = keep[k + 1 :] + keep[:k]
    out = []
    run_start = None
    for k, kk in enumerate(keep):
        if kk and run_start is None:
            run_start = k
        elif not kk and run_start is not None:
            out.append(pts[run_start : k + 1])
            run_start = None
    if run_start is not None:
        out.append(pts[run_start:])
    return out


def fmt_num(v: float) -> str:
    s = f"{v:.{DECIMALS}f}"
    if float(s) == 0.0:  # no "-0.00"
        s = f"{0.0:.{DECIMALS}f}"
    return s


def format_line(pts: list[Point]) -> list[str] | None:
    """Round to DECIMALS, drop consecutive duplicates; None if < 2 points."""
    out: list[str] = []
    for lon, lat in pts:
        tok = f"{fmt_num(lon)},{fmt_num(lat)}"
        if not out or out[-1] != tok:
            out.append(tok)
    return out if len(out) >= 2 else None


def build(lines_q: list[list], transform) -> list[list[str]]:
    result = []
    for line in lines_q:
        pts = [transform(p) for p in line]
        for piece in clip(pts):
            f = format_line(piece)
            if f is not None:
                result.append(f)
    return result


def source_info(path: str) -> tuple[str, str]:
    """(world-atlas version, Natural Earth version) from the unpacked package."""
    d = os.path.dirname(os.path.abspath(path))
    pkg_version = ne_version = "unknown"
    try:
        with open(os.path.join(d, "package.json"), encoding="utf-8") as f:
            pkg = json.load(f)
        if pkg.get("name") == "world-atlas":
            pkg_version = pkg.get("version", "unknown")
    except (OSError, ValueError):
        pass
    try:
        with open(os.path.join(d, "README.md"), encoding="utf-8") as f:
            m = re.search(r"version ([0-9][0-9.]*) as TopoJSON", f.read())
        if m:
            ne_version = m.group(1)
    except OSError:
        pass
    return pkg_version, ne_version


def header(pkg_version: str, ne_version: str, n_c: int, p_c: int, n_b: int, p_b: int) -> str:
    lines = [
        "Rampart map data: Natural Earth 1:50m coastlines and country borders.",
        f"Source: Natural Earth {ne_version} (land 1:50m, Admin 0 countries 1:50m),",
        f"  as TopoJSON land-50m.json and countries-50m.json of the world-atlas npm package {pkg_version}.",
        "Licence: Natural Earth, public domain; via the world-atlas npm package (ISC).",
        "Generated by tools/naturalearth/convert.py (see tools/naturalearth/README.md); do not edit by hand.",
        f"Region: lon {LON_MIN:g}..{LON_MAX:g}, lat {LAT_MIN:g}..{LAT_MAX:g} degrees; lines are split where they leave",
        "  it and each piece keeps one point beyond the edge, so lines reach the frame.",
        f"Precision: {DECIMALS} decimals (about 1 km); full 1:50m detail everywhere in the region.",
        "",
        "Format (UTF-8/ASCII text, one record per line):",
        "  Lines starting with '#' are comments; empty lines are ignored.",
        "  Every other line is one polyline: a kind letter, then space-separated points.",
        "    C = coastline (a boundary ring of the land, incl. shores of the Caspian Sea;",
        "        a ring wholly inside the region is closed: its last point equals its first)",
        "    B = country border (each land border shared by two countries, once; no coast)",
        "  A point is 'lon,lat' in decimal degrees (WGS84), e.g. '47.98,29.37'.",
        "  Every polyline has at least 2 points; no two consecutive points are equal.",
        "  Example: C 47.98,29.37 48.01,29.35 48.05,29.30",
        "",
        f"Counts: C {n_c} polylines / {p_c} points; B {n_b} polylines / {p_b} points.",
    ]
    return "".join(f"# {l}".rstrip() + "\n" for l in lines)


# --------------------------------------------------------------------------
# Check of the written file
# --------------------------------------------------------------------------


def parse(path: str) -> dict[str, list[list[Point]]]:
    """Read the output as a minimal hand-written parser would."""
    out: dict[str, list[list[Point]]] = {"C": [], "B": []}
    with open(path, encoding="ascii") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            kind, *toks = line.split(" ")
            if kind not in out:
                raise ValueError(f"{path}:{lineno}: unknown kind {kind!r}")
            pts = []
            for tok in toks:
                lon, lat = tok.split(",")
                pts.append((float(lon), float(lat)))
            if len(pts) < 2 or any(a == b for a, b in zip(pts, pts[1:])):
                raise ValueError(f"{path}:{lineno}: bad polyline")
            out[kind].append(pts)
    return out


def dist_point_segment(p: Point, a: Point, b: Point) -> float:
    """Planar distance in degrees (fine for a sanity check)."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    L2 = dx * dx + dy * dy
    t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / L2))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def sanity_check(path: str) -> bool:
    data = parse(path)
    ok = True
    for kind, name in (("C", "coastline"), ("B", "border")):
        lines = data[kind]
        print(f"{name:9s}: {len(lines):5d} polylines, {sum(map(len, lines)):7d} points")

    def pts_in(kind, lo0, lo1, la0, la1):
        return sum(
            1 for l in data[kind] for (x, y) in l if lo0 <= x <= lo1 and la0 <= y <= la1
        )

    def near(kind, p, tol):
        return min(
            (dist_point_segment(p, a, b) for l in data[kind] for a, b in zip(l, l[1:])),
            default=math.inf,
        )

    checks = [
        ("coast points near Kuwait/Basra (lon 47.5..48.5, lat 29..30.5)",
         pts_in("C", 47.5, 48.5, 29.0, 30.5), lambda v: v > 0),
        ("border points Iraq-Saudi Arabia (lon 39..46, lat 29..32)",
         pts_in("B", 39.0, 46.0, 29.0, 32.0), lambda v: v > 0),
        ("border distance to (45.0E, 29.1N) on Iraq-Saudi line [deg]",
         round(near("B", (45.0, 29.1), 0.3), 3), lambda v: v <= 0.3),
        ("border points Iraq-Iran (lon 45.5..46.5, lat 32..34)",
         pts_in("B", 45.5, 46.5, 32.0, 34.0), lambda v: v > 0),
        ("coast points Mediterranean near Gibraltar (lon -6..-5, lat 35.5..36.5)",
         pts_in("C", -6.0, -5.0, 35.5, 36.5), lambda v: v > 0),
        ("no border points in the open Arabian Sea (lon 60..70, lat 10..20)",
         pts_in("B", 60.0, 70.0, 10.0, 20.0), lambda v: v == 0),
    ]
    for label, value, good in checks:
        passed = good(value)
        ok &= passed
        print(f"  [{'ok' if passed else 'FAIL'}] {label}: {value}")
    return ok


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("land", help="land-50m.json of the world-atlas package")
    ap.add_argument("countries", help="countries-50m.json of the world-atlas package")
    ap.add_argument("output", help="output text file, e.g. crates/rampart-report/data/naturalearth-50m.txt")
    args = ap.parse_args(argv)

    with open(args.land, encoding="utf-8") as f:
        land = json.load(f)
    with open(args.countries, encoding="utf-8") as f:
        countries = json.load(f)

    coast = build(land_rings(land), make_transform(land))
    borders = build(stitch(border_arcs(countries)), make_transform(countries))

    pkg_version, ne_version = source_info(args.land)
    text = header(
        pkg_version, ne_version,
        len(coast), sum(map(len, coast)), len(borders), sum(map(len, borders)),
    )
    body = [f"C {' '.join(l)}\n" for l in coast] + [f"B {' '.join(l)}\n" for l in borders]
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
        f.writelines(body)
    print(f"wrote {args.output}: {os.path.getsize(args.output)} bytes")
    return 0 if sanity_check(args.output) else 1


if __name__ == "__main__":
    sys.exit(main())
