// The pictures: the map (basemap, sectors, assets, launchers, trails, tracks with their
// uncertainty ellipses, intercepts and impacts) and the altitude-versus-range view.

import { destination, groundRange, Projection } from './geo.js';

const INK = '#222222';
const MUTED = '#555555';

/** Sizes a canvas to its box at the screen's pixel ratio; returns its context and size. */
export function fit(canvas) {
  const r = window.devicePixelRatio || 1;
  const w = Math.max(50, canvas.clientWidth), h = Math.max(50, canvas.clientHeight);
  if (canvas.width !== Math.round(w * r) || canvas.height !== Math.round(h * r)) {
    canvas.width = Math.round(w * r);
    canvas.height = Math.round(h * r);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(r, 0, 0, r, 0, 0);
  return { ctx, w, h };
}

/** Draws a report mark ({shape, colour, filled}) centred at (x, y). */
export function mark(ctx, m, x, y, size = 9) {
  const s = size / 2;
  ctx.save();
  ctx.beginPath();
  switch (m.shape) {
    case 'circle': ctx.arc(x, y, s, 0, 2 * Math.PI); break;
    case 'square': ctx.rect(x - s * 0.85, y - s * 0.85, s * 1.7, s * 1.7); break;
    case 'triangle': ctx.moveTo(x, y - s); ctx.lineTo(x + s, y + s * 0.8); ctx.lineTo(x - s, y + s * 0.8); ctx.closePath(); break;
    case 'diamond': ctx.moveTo(x, y - s); ctx.lineTo(x + s, y); ctx.lineTo(x, y + s); ctx.lineTo(x - s, y); ctx.closePath(); break;
    case 'star':
      for (let k = 0; k < 10; k++) {
        const r = k % 2 ? s * 0.45 : s * 1.1, a = -Math.PI / 2 + k * Math.PI / 5;
        k ? ctx.lineTo(x + r * Math.cos(a), y + r * Math.sin(a)) : ctx.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
      }
      ctx.closePath();
      break;
    case 'cross': ctx.moveTo(x - s, y - s); ctx.lineTo(x + s, y + s); ctx.moveTo(x + s, y - s); ctx.lineTo(x - s, y + s); break;
    case 'plus': ctx.moveTo(x - s, y); ctx.lineTo(x + s, y); ctx.moveTo(x, y - s); ctx.lineTo(x, y + s); break;
    default: ctx.rect(x - 1, y - s, 2, 2 * s);
  }
  const line = m.shape === 'cross' || m.shape === 'plus';
  ctx.lineWidth = line ? 2 : 1.2;
  ctx.strokeStyle = m.colour;
  if (m.filled && !line) { ctx.fillStyle = m.colour; ctx.fill(); } else if (!line) { ctx.fillStyle = '#ffffff'; ctx.fill(); }
  ctx.stroke();
  ctx.restore();
}

function stroke(ctx, st) {
  ctx.strokeStyle = st.colour;
  ctx.lineWidth = st.width;
  ctx.globalAlpha = st.opacity ?? 1;
  ctx.setLineDash(st.dash ? st.dash.split(' ').map(Number) : []);
}

/** The parsed basemap: [kind, [[lon, lat], …]] polylines. */
export function parseBasemap(text) {
  const lines = [];
  for (const row of text.split('\n')) {
    if (!row || row[0] === '#') continue;
    const parts = row.trim().split(/\s+/);
    const pts = parts.slice(1).map((p) => p.split(',').map(Number)).filter((p) => p.length === 2 && p.every(Number.isFinite));
    if (pts.length > 1) lines.push([parts[0], pts]);
  }
  return lines;
}

/** The box of the defense (assets, launchers, radars to their range), and with `all` the
 * threats' launch sites too: [[latMin, latMax], [lonMin, lonMax]]. */
export function sceneBounds(scene, all) {
  const lat = [Infinity, -Infinity], lon = [Infinity, -Infinity];
  const add = (la, lo) => { lat[0] = Math.min(lat[0], la); lat[1] = Math.max(lat[1], la); lon[0] = Math.min(lon[0], lo); lon[1] = Math.max(lon[1], lo); };
  for (const a of scene.assets) add(a.site.lat, a.site.lon);
  for (const l of scene.launchers) add(l.site.lat, l.site.lon);
  if (all) for (const s of scene.sites) add(s.site.lat, s.site.lon);
  for (const r of scene.radars) {
    for (const b of [0, 90, 180, 270]) {
      const [la, lo] = destination(r.site.lat, r.site.lon, b, Math.min(r.range_m, 400e3));
      add(la, lo);
    }
  }
  if (!Number.isFinite(lat[0])) return [[30, 40], [40, 50]];
  return [lat, lon];
}

export function projectionFor(view, w, h) { return new Projection(w, h, view.centre, view.scale); }

function sector(ctx, proj, r) {
  const pts = [];
  const full = r.span_deg >= 359.9;
  const a0 = full ? 0 : r.boresight_deg - r.span_deg / 2;
  const n = Math.max(8, Math.ceil((full ? 360 : r.span_deg) / 3));
  if (!full) pts.push(proj.xy(r.site.lat, r.site.lon));
  for (let k = 0; k <= n; k++) {
    const [la, lo] = destination(r.site.lat, r.site.lon, a0 + (k / n) * (full ? 360 : r.span_deg), r.range_m);
    pts.push(proj.xy(la, lo));
  }
  ctx.beginPath();
  pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.closePath();
}

/** The arc of a radar's horizon for a low flier, across its sector. */
function horizon(ctx, proj, r) {
  const full = r.span_deg >= 359.9;
  const a0 = full ? 0 : r.boresight_deg - r.span_deg / 2;
  const span = full ? 360 : r.span_deg;
  const n = Math.max(8, Math.ceil(span / 3));
  ctx.beginPath();
  for (let k = 0; k <= n; k++) {
    const [x, y] = proj.xy(...destination(r.site.lat, r.site.lon, a0 + (k / n) * span, r.horizon_m));
    k ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
  }
}

function disc(ctx, proj, lat, lon, radius) {
  const [x, y] = proj.xy(lat, lon);
  const r = radius / proj.mPerPx();
  ctx.beginPath();
  ctx.arc(x, y, Math.max(r, 1), 0, 2 * Math.PI);
}

function polyline(ctx, proj, samples, t) {
  ctx.beginPath();
  let k = 0;
  for (const s of samples) {
    if (s[0] > t) break;
    const [x, y] = proj.xy(s[1], s[2]);
    k++ ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
  }
  return k;
}

/** The 2-sigma ellipse of an east-north covariance: semi-axes (m) and the major axis's angle
 * from east (radians, anticlockwise). */
export function ellipse(sE, sN, cEN) {
  const a = sE * sE, d = sN * sN;
  const m = (a + d) / 2, r = Math.sqrt(((a - d) / 2) ** 2 + cEN * cEN);
  return [2 * Math.sqrt(Math.max(m + r, 0)), 2 * Math.sqrt(Math.max(m - r, 0)), 0.5 * Math.atan2(2 * cEN, a - d)];
}

/** Draws the map at time `t`; returns the screen positions of the entities drawn. */
export function drawMap(canvas, st) {
  const { ctx, w, h } = fit(canvas);
  const { scene, model, t, view } = st;
  const style = scene.style;
  const proj = projectionFor(view, w, h);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  // Basemap.
  ctx.save();
  for (const [kind, pts] of st.basemap) {
    if (kind !== 'C' && kind !== 'B') continue;
    stroke(ctx, kind === 'C' ? { colour: '#5B7083', width: 1.1 } : { colour: '#9A9A9A', width: 0.9, dash: '5 3' });
    ctx.beginPath();
    pts.forEach(([lon, lat], k) => { const [x, y] = proj.xy(lat, lon); k ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
    ctx.stroke();
  }
  ctx.restore();
  // Sectors and assets.
  ctx.save();
  for (const r of scene.radars) {
    sector(ctx, proj, r);
    ctx.fillStyle = style.sector_fill.colour; ctx.globalAlpha = style.sector_fill.opacity; ctx.fill();
    stroke(ctx, style.sector_line); ctx.stroke();
  }
  for (const r of scene.radars) {
    if (!r.horizon_m) continue;
    horizon(ctx, proj, r);
    stroke(ctx, { ...style.sector_line, dash: '1.5 3', width: 1.2 });
    ctx.stroke();
  }
  for (const a of scene.assets) {
    disc(ctx, proj, a.site.lat, a.site.lon, a.radius_m);
    ctx.fillStyle = style.asset_fill.colour; ctx.globalAlpha = style.asset_fill.opacity; ctx.fill();
    stroke(ctx, style.asset_line); ctx.stroke();
  }
  ctx.restore();
  const marks = style.marks;
  // Launchers and guns under the radars, the radars under the assets' centres.
  for (const l of scene.launchers) mark(ctx, marks.launcher, ...proj.xy(l.site.lat, l.site.lon), 8);
  for (const g of scene.guns) mark(ctx, marks.gun, ...proj.xy(g.site.lat, g.site.lon), 8);
  for (const s of scene.sites) mark(ctx, marks.site, ...proj.xy(s.site.lat, s.site.lon), 10);
  for (const r of scene.radars) mark(ctx, r.observer ? marks.observer : marks.radar, ...proj.xy(r.site.lat, r.site.lon), 10);
  for (const a of scene.assets) mark(ctx, marks.asset, ...proj.xy(a.site.lat, a.site.lon), 7);
  // Trails and the entities where they are now.
  const drawn = [];
  for (const e of model.entities.values()) {
    const threat = e.kind === 'threat';
    if (threat && !st.truth) continue;
    const here = model.at(e, t);
    const k = model.typeIndex(e.kind, e.type);
    const colours = threat ? style.threat_colours : style.defence_colours;
    const colour = colours[k % colours.length];
    ctx.save();
    stroke(ctx, { colour, width: 1.4, dash: threat ? null : '5 2', opacity: here ? 0.9 : 0.35 });
    if (polyline(ctx, proj, e.samples, t) > 1) ctx.stroke();
    ctx.restore();
    if (!here) continue;
    const [x, y] = proj.xy(here.lat, here.lon);
    ctx.save();
    ctx.beginPath();
    ctx.arc(x, y, threat ? 5 : 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = colour; ctx.fill();
    ctx.strokeStyle = INK; ctx.lineWidth = 1; ctx.stroke();
    if (e.id === st.selected) { ctx.beginPath(); ctx.arc(x, y, 10, 0, 2 * Math.PI); ctx.strokeStyle = INK; ctx.lineWidth = 1.5; ctx.stroke(); }
    ctx.restore();
    drawn.push({ id: e.id, kind: e.kind, x, y });
  }
  // Tracks: estimate, 2-sigma ellipse and label (the operator's picture).
  const tracks = model.tracksAt(t);
  ctx.save();
  ctx.font = '11px system-ui, sans-serif';
  for (const row of tracks) {
    if (!row.u) continue;
    const [, lat, lon, , , sE, sN, cEN] = row.u;
    const [x, y] = proj.xy(lat, lon);
    const [a, b, ang] = ellipse(sE, sN, cEN);
    const px = proj.mPerPx();
    ctx.beginPath();
    ctx.ellipse(x, y, Math.max(a / px, 2), Math.max(b / px, 2), -ang, 0, 2 * Math.PI);
    ctx.strokeStyle = INK; ctx.lineWidth = 1; ctx.setLineDash([]); ctx.stroke();
    ctx.strokeRect(x - 4, y - 4, 8, 8);
    ctx.fillStyle = INK;
    ctx.fillText(String(row.tr.radar === 'network' ? `S${row.tr.number}` : row.tr.number), x + 7, y - 6);
  }
  ctx.restore();
  // What happened so far.
  for (const [tm, kind, lat, lon] of model.markers) {
    if (tm > t) break;
    // Whether an intercept killed is truth; an impact is seen by all.
    if (!st.truth && (kind === 'kill' || kind === 'miss')) continue;
    mark(ctx, marks[kind], ...proj.xy(lat, lon), 11);
  }
  scaleBar(ctx, proj, h);
  ctx.fillStyle = MUTED; ctx.font = '11px system-ui, sans-serif';
  ctx.fillText('Natural Earth 1:50m', w - 110, h - 8);
  return { proj, drawn, tracks: tracks.filter((r) => r.u).length };
}

function scaleBar(ctx, proj, h) {
  const target = 120 * proj.mPerPx();
  const p = 10 ** Math.floor(Math.log10(target));
  const m = [5, 2, 1].map((f) => f * p).find((v) => v <= target) || p;
  const px = m / proj.mPerPx();
  ctx.save();
  ctx.strokeStyle = INK; ctx.lineWidth = 2; ctx.setLineDash([]);
  ctx.beginPath(); ctx.moveTo(14, h - 16); ctx.lineTo(14 + px, h - 16); ctx.stroke();
  ctx.fillStyle = INK; ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(m >= 1000 ? `${m / 1000} km` : `${m} m`, 14, h - 22);
  ctx.restore();
}

/** Draws the altitude of the selected threat and its interceptors against ground range from
 * the threat's aim point (its launch site when it has none). */
export function drawAltitude(canvas, st) {
  const { ctx, w, h } = fit(canvas);
  const { model, t, scene } = st;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  const threat = st.selected && model.entities.get(st.selected);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = MUTED;
  if (!threat || (!st.truth && threat.kind === 'threat')) {
    ctx.fillText(st.truth ? 'Select a threat on the map or in the table.' : 'Truth hidden.', 12, 20);
    return 0;
  }
  const launch = model.threatLaunch.get(threat.id);
  const ref = launch && launch.aim ? launch.aim : launch ? launch.site : { lat: threat.samples[0]?.[1], lon: threat.samples[0]?.[2] };
  const series = [[threat, scene.style.threat_colours[model.typeIndex('threat', threat.type) % scene.style.threat_colours.length], null]];
  for (const e of model.entities.values()) {
    if (e.kind === 'interceptor' && model.targetOf(e.id) === threat.id) {
      series.push([e, scene.style.defence_colours[model.typeIndex('interceptor', e.type) % scene.style.defence_colours.length], [5, 2]]);
    }
  }
  const pts = series.map(([e]) => e.samples.filter((s) => s[0] <= t).map((s) => [groundRange(ref.lat, ref.lon, s[1], s[2]) / 1000, s[3] / 1000]));
  const all = series.flatMap(([e]) => e.samples.map((s) => [groundRange(ref.lat, ref.lon, s[1], s[2]) / 1000, s[3] / 1000]));
  const xMax = niceCeil(Math.max(1, ...all.map((p) => p[0])));
  const yMax = niceCeil(Math.max(1, ...all.map((p) => p[1])));
  const L = 46, R = 10, T = 10, B = 30;
  const X = (x) => L + (x / xMax) * (w - L - R), Y = (y) => h - B - (y / yMax) * (h - T - B);
  ctx.strokeStyle = '#E3E3E3'; ctx.lineWidth = 1;
  ctx.fillStyle = MUTED;
  for (let k = 0; k <= 4; k++) {
    const xv = (xMax * k) / 4, yv = (yMax * k) / 4;
    ctx.beginPath(); ctx.moveTo(X(xv), T); ctx.lineTo(X(xv), h - B); ctx.moveTo(L, Y(yv)); ctx.lineTo(w - R, Y(yv)); ctx.stroke();
    ctx.fillText(fmtAxis(xv), X(xv) - 8, h - B + 14);
    ctx.fillText(fmtAxis(yv), 6, Y(yv) + 4);
  }
  ctx.fillText(`Ground range from ${launch && launch.aim ? 'its aim point' : 'its launch'}, km`, L, h - 3);
  ctx.fillText('Altitude, km', L + 4, T + 12);
  series.forEach(([e, colour, dash], k) => {
    ctx.save();
    ctx.strokeStyle = colour; ctx.lineWidth = 1.6; ctx.setLineDash(dash || []);
    ctx.beginPath();
    pts[k].forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
    ctx.stroke();
    const here = model.at(e, t);
    if (here) {
      ctx.beginPath();
      ctx.arc(X(groundRange(ref.lat, ref.lon, here.lat, here.lon) / 1000), Y(here.alt / 1000), 4, 0, 2 * Math.PI);
      ctx.fillStyle = colour; ctx.fill(); ctx.strokeStyle = INK; ctx.setLineDash([]); ctx.lineWidth = 1; ctx.stroke();
    }
    ctx.restore();
  });
  return series.length;
}

function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((f) => f * p).find((c) => c >= v) || 10 * p;
}

function fmtAxis(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(0) : v.toFixed(1); }

