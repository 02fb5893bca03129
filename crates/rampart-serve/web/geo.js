// WGS-84 conversions and the map's projection.
//
// Constants: WGS-84 (NIMA TR8350.2, table 3.1): a = 6378137 m, f = 1/298.257223563.

const A = 6378137.0;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const R_MEAN = 6371008.8; // IUGG mean Earth radius, m (the report's scale).
const DEG = Math.PI / 180;

/** Geodetic (degrees, m) to ECEF (m). */
export function toEcef(lat, lon, h) {
  const p = lat * DEG;
  const l = lon * DEG;
  const n = A / Math.sqrt(1 - E2 * Math.sin(p) ** 2);
  return [
    (n + h) * Math.cos(p) * Math.cos(l),
    (n + h) * Math.cos(p) * Math.sin(l),
    (n * (1 - E2) + h) * Math.sin(p),
  ];
}

/** ECEF (m) to geodetic {lat, lon (degrees), alt (m)}: fixed-point iteration on the latitude
 * (h, then φ from tan φ = z / (p (1 − e² N/(N + h)))), five steps: far below a metre at any
 * height a flight reaches. */
export function fromEcef([x, y, z]) {
  const lon = Math.atan2(y, x);
  const p = Math.hypot(x, y);
  let lat = Math.atan2(z, p * (1 - E2));
  let h = 0;
  for (let k = 0; k < 5; k++) {
    const n = A / Math.sqrt(1 - E2 * Math.sin(lat) ** 2);
    h = p / Math.cos(lat) - n;
    lat = Math.atan2(z, p * (1 - E2 * n / (n + h)));
  }
  return { lat: lat / DEG, lon: lon / DEG, alt: h };
}

/** A point east, north and up (m) of `origin` ({lat, lon, alt_m}) to geodetic. */
export function enuToGeodetic(origin, [e, n, u]) {
  const [x0, y0, z0] = toEcef(origin.lat, origin.lon, origin.alt_m);
  const sp = Math.sin(origin.lat * DEG), cp = Math.cos(origin.lat * DEG);
  const sl = Math.sin(origin.lon * DEG), cl = Math.cos(origin.lon * DEG);
  return fromEcef([
    x0 - sl * e - sp * cl * n + cp * cl * u,
    y0 + cl * e - sp * sl * n + cp * sl * u,
    z0 + cp * n + sp * u,
  ]);
}

/** The point `dist` m from (lat, lon) on bearing `brg` degrees, on the mean sphere. */
export function destination(lat, lon, brg, dist) {
  const d = dist / R_MEAN, b = brg * DEG, p1 = lat * DEG, l1 = lon * DEG;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1),
    Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [p2 / DEG, l2 / DEG];
}

/** Great-circle distance (m) on the mean sphere: haversine. */
export function groundRange(lat1, lon1, lat2, lon2) {
  const p1 = lat1 * DEG, p2 = lat2 * DEG;
  const dp = p2 - p1, dl = (lon2 - lon1) * DEG;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * R_MEAN * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** An equirectangular projection about a centre, scaled by the cosine of its latitude (the
 * report's): `scale` pixels per degree of latitude. */
export class Projection {
  constructor(width, height, centre, scale) {
    this.w = width; this.h = height; this.c = centre; this.scale = scale;
    this.k = Math.cos(centre[0] * DEG);
  }
  xy(lat, lon) {
    return [this.w / 2 + (lon - this.c[1]) * this.scale * this.k,
      this.h / 2 - (lat - this.c[0]) * this.scale];
  }
  latLon(x, y) {
    return [this.c[0] - (y - this.h / 2) / this.scale,
      this.c[1] + (x - this.w / 2) / (this.scale * this.k)];
  }
  /** Metres per pixel. */
  mPerPx() { return (R_MEAN * DEG) / this.scale; }
}
