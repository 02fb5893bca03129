#!/usr/bin/env python3
"""Generate golden geodesy reference data for rampart-core tests.

Writes crates/rampart-core/tests/data/geodesy_golden.json with three lists,
all on the WGS-84 ellipsoid, computed by independent, well-known libraries:

  geodetic_to_ecef  pyproj (PROJ) Transformer EPSG:4979 (lat/lon/h) ->
                    EPSG:4978 (ECEF X/Y/Z, metres), always_xy=True so inputs
                    are (lon, lat, h).
  geodesic_inverse  pyproj.Geod(ellps="WGS84").inv (Karney / GeographicLib
                    algorithm). azi1_deg is the forward azimuth at point 1 and
                    azi2_deg the FORWARD azimuth at point 2 (GeographicLib
                    convention, in (-180, 180]), not pyproj's default back
                    azimuth.
  aer               pymap3d.geodetic2aer / geodetic2enu (default WGS-84):
                    azimuth in [0, 360) degrees clockwise from north,
                    elevation in degrees, slant range and local ENU in metres.

Angles are degrees, distances metres. Random points use a fixed seed, so a
rerun with the same library versions gives identical output. The versions
used are recorded in the top-level "generated_by" field (generated with
pyproj 3.7.2 / PROJ 9.5.1, pymap3d 3.2.0).

Rerun from the repository root:
    pip install pyproj pymap3d
    python3 tools/golden/make_geodesy_golden.py
"""

import json
import math
import random
import sys
from pathlib import Path

import pymap3d
import pyproj

OUT = (Path(__file__).resolve().parents[2]
       / "crates/rampart-core/tests/data/geodesy_golden.json")
SEED = 20240601

GEOD = pyproj.Geod(ellps="WGS84")


def norm180(a):
    """Normalise an angle in degrees to (-180, 180]."""
    a = math.fmod(a, 360.0)
    if a <= -180.0:
        a += 360.0
    elif a > 180.0:
        a -= 360.0
    return a


def geodetic_to_ecef(rng):
    tr = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    pts = [  # (lat, lon, h): fixed cases first
        (27.99, 86.93, 8820.0),  # GeographicLib CartConvert doc example
        (0.0, 0.0, 0.0), (0.0, 90.0, 0.0), (0.0, 180.0, 0.0),
        (0.0, -180.0, 0.0), (0.0, -90.0, 100000.0),
        (90.0, 0.0, 0.0), (-90.0, 0.0, 0.0),
        (90.0, 45.0, 500000.0), (-90.0, -120.0, -1000.0),
        (89.9, 10.0, 0.0), (-89.9, -170.0, 2000000.0),
        (45.0, 45.0, -1000.0), (-33.9, 151.2, 0.0),
        (51.4778, -0.0015, 8820.0), (38.9, -77.0, 100000.0),
        (-12.5, 130.8, 500000.0), (64.0, -150.0, 2000000.0),
    ]
    fixed_alts = [-1000.0, 0.0, 8820.0, 100000.0, 500000.0, 2000000.0]
    while len(pts) < 60:
        lat = rng.uniform(-89.9, 89.9)
        lon = rng.uniform(-180.0, 180.0)
        # half the random points get one of the exact altitudes
        h = (rng.choice(fixed_alts) if rng.random() < 0.5
             else rng.uniform(-1000.0, 2000000.0))
        pts.append((lat, lon, h))
    out = []
    for lat, lon, h in pts:
        x, y, z = tr.transform(lon, lat, h)
        out.append({"lat_deg": lat, "lon_deg": lon, "alt_m": h,
                    "x": x, "y": y, "z": z})
    return out


def geodesic_inverse(rng):
    pairs = [  # (lat1, lon1, lat2, lon2)
        (34.31, 47.07, 33.79, 42.44),          # medium, ~430 km
        (40.0, -75.0, 40.0000898, -75.0),      # short, ~10 m north
        (0.0, 0.0, 0.0, 0.0000898),            # short, ~10 m east on equator
        (-45.0, 170.0, -45.00006, 170.00008),  # short, ~10 m diagonal
        (40.64, -73.78, 1.36, 103.99),         # JFK -> Singapore, long
        (51.47, -0.45, -33.94, 151.18),        # London -> Sydney, long
        (0.0, 0.0, 0.5, 179.5),                # nearly antipodal
        (-30.0, 0.0, 29.9, 179.8),             # nearly antipodal
        (0.0, 0.0, 0.0, 90.0),                 # along equator
        (0.0, 0.0, 90.0, 0.0),                 # equator to pole
        (80.0, 0.0, 80.0, 180.0),              # meridian over the pole
        (60.0, 179.9, 60.0, -179.9),           # across the antimeridian
    ]
    while len(pairs) < 40:
        pairs.append((rng.uniform(-89.0, 89.0), rng.uniform(-180.0, 180.0),
                      rng.uniform(-89.0, 89.0), rng.uniform(-180.0, 180.0)))
    out = []
    for lat1, lon1, lat2, lon2 in pairs:
        azi1, back2, s12 = GEOD.inv(lon1, lat1, lon2, lat2)
        azi1_f, fwd2, s12_f = GEOD.inv(lon1, lat1, lon2, lat2,
                                       return_back_azimuth=False)
        azi2 = norm180(back2 + 180.0)
        # the back-azimuth conversion and pyproj's own forward azimuth agree
        assert abs(norm180(azi2 - fwd2)) < 1e-9 and s12 == s12_f
        out.append({"lat1": lat1, "lon1": lon1, "lat2": lat2, "lon2": lon2,
                    "s12_m": s12, "azi1_deg": azi1, "azi2_deg": azi2})
    return out


def aer(rng):
    cases = [  # (site lat, lon, alt, distance m, azimuth deg, target alt)
        (38.9, -77.0, 0.0, 100000.0, 45.0, 10000.0),
        (0.0, 0.0, 0.0, 1500000.0, 90.0, 300000.0),
        (-33.9, 151.2, 50.0, 500000.0, 200.0, 150000.0),
        (64.0, -150.0, 300.0, 1000.0, 0.0, 1000.0),
        (70.0, 20.0, 0.0, 1200000.0, 315.0, 0.0),  # below the horizon
    ]
    while len(cases) < 30:
        cases.append((rng.uniform(-80.0, 80.0), rng.uniform(-180.0, 180.0),
                       rng.uniform(0.0, 3000.0), rng.uniform(1000.0, 1.5e6),
                       rng.uniform(-180.0, 180.0), rng.uniform(0.0, 300000.0)))
    out = []
    for slat, slon, salt, dist, azi, talt in cases:
        lon, lat, _ = GEOD.fwd(slon, slat, azi, dist)
        az, el, rng_m = pymap3d.geodetic2aer(lat, lon, talt, slat, slon, salt)
        e, n, u = pymap3d.geodetic2enu(lat, lon, talt, slat, slon, salt)
        out.append({"site_lat": slat, "site_lon": slon, "site_alt": salt,
                    "lat": float(lat), "lon": float(lon), "alt": talt,
                    "az_deg": float(az), "el_deg": float(el),
                    "range_m": float(rng_m),
                    "e": float(e), "n": float(n), "u": float(u)})
    return out


def main():
    rng = random.Random(SEED)
    data = {
        "generated_by": {
            "script": "tools/golden/make_geodesy_golden.py",
            "python": sys.version.split()[0],
            "pyproj": pyproj.__version__,
            "proj": pyproj.proj_version_str,
            "pymap3d": pymap3d.__version__,
            "seed": SEED,
            "ellipsoid": "WGS84",
            "units": "degrees, metres",
        },
        "geodetic_to_ecef": geodetic_to_ecef(rng),
        "geodesic_inverse": geodesic_inverse(rng),
        "aer": aer(rng),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT}: " + ", ".join(
        f"{k}={len(v)}" for k, v in data.items() if isinstance(v, list)))


if __name__ == "__main__":
    main()
