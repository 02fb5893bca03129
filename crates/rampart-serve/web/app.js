// The display: fetches the scene and the map, takes the run's events from the server's
// WebSocket, and draws the state of the shown time. A replay's clock is the page's own (play,
// pause, speed, seek, step); a live run's clock is the server's, and the controls steer it.

import { drawAltitude, drawMap, parseBasemap, sceneBounds } from './draw.js';
import { Model, trackLabel } from './model.js';

const $ = (id) => document.getElementById(id);

const st = {
  scene: null, model: null, basemap: [], mode: 'replay', t: 0, tEnd: 0, ended: false,
  playing: true, speed: 1, clock: null, clockAt: 0, truth: true, follow: false,
  selected: null, view: null, error: null, lastTable: -1, lastLog: -1, drawn: null,
};

function fmtClock(t) {
  const s = Math.max(0, t);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const rel = `T+${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${ss.toFixed(1).padStart(4, '0')}`;
  const epoch = Date.parse(st.scene?.epoch ?? '');
  if (!Number.isFinite(epoch)) return rel;
  return `${rel}  ${new Date(epoch + s * 1000).toISOString().slice(11, 21)}Z`;
}

function send(msg) {
  if (st.ws && st.ws.readyState === WebSocket.OPEN) st.ws.send(JSON.stringify({ type: 'control', ...msg }));
}

function setStatus(text) { $('status').textContent = text; }

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  st.ws = ws;
  ws.onmessage = (m) => {
    let msg;
    try { msg = JSON.parse(m.data); } catch { return; }
    if (msg.type === 'events') {
      if (msg.from !== st.model.count) {
        setStatus(`events out of order (${msg.from}, expected ${st.model.count})`);
        ws.close();
        return;
      }
      for (const ev of msg.events) st.model.take(ev);
      st.tEnd = Math.max(st.tEnd, st.model.tLast);
      if (st.mode === 'replay') $('seek').max = String(st.tEnd);
    } else if (msg.type === 'clock') {
      st.clock = msg;
      st.clockAt = performance.now();
      st.playing = !msg.paused;
      st.speed = msg.speed;
      syncSpeed();
    } else if (msg.type === 'end') {
      st.ended = true;
      st.tEnd = Math.max(st.tEnd, msg.t);
      if (st.mode === 'replay') $('seek').max = String(st.tEnd);
      setStatus(msg.error ? `run stopped: ${msg.error}` : `run ended at ${fmtClock(msg.t)}`);
    }
  };
  ws.onclose = () => { if (!st.ended) setStatus('connection to the server closed'); };
}

function syncSpeed() {
  const sel = $('speed');
  const want = String(st.speed);
  if (![...sel.options].some((o) => o.value === want)) {
    const o = document.createElement('option');
    o.value = want; o.textContent = `${want}×`;
    sel.appendChild(o);
  }
  if (sel.value !== want) sel.value = want;
}

/** The shown time now. */
function currentTime(dt) {
  if (st.mode === 'live') {
    if (!st.clock) return 0;
    const run = st.clock.paused || st.ended ? 0 : ((performance.now() - st.clockAt) / 1000) * st.clock.speed;
    // Between the server's ticks the page runs on, never more than one tick ahead and never
    // back (a pause lands the server's clock a little behind where the page had run).
    st.t = Math.max(st.t, st.clock.t + Math.min(run, 0.1 * st.clock.speed));
    return st.t;
  }
  if (st.playing) st.t = Math.min(st.t + dt * st.speed, st.tEnd);
  if (st.t >= st.tEnd && st.ended) st.playing = false;
  return st.t;
}

function renderTable(t) {
  const rows = st.model.tracksAt(t);
  const body = $('track-body');
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.track = r.tr.key;
    if (r.tr.truth && r.tr.truth === st.selected) tr.className = 'selected';
    const e = r.eval;
    const ttg = e ? e.time_to_go_s - (t - r.evalT) : null;
    const cells = [
      trackLabel(r.tr.key).replace(' radar ', ' '),
      e ? e.class : '—',
      r.u ? r.u[4].toFixed(0) : '—',
      r.u ? (r.u[3] / 1000).toFixed(1) : '—',
      e && e.impact ? `${e.impact.lat.toFixed(2)}, ${e.impact.lon.toFixed(2)}` : '—',
      ttg !== null && ttg > 0 ? ttg.toFixed(0) : '—',
      e && e.asset ? e.asset : '—',
      r.status,
    ];
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}

function renderLog(t) {
  const notes = st.model.notable;
  let n = 0;
  while (n < notes.length && notes[n][0] <= t) n++;
  if (n === st.lastLog) return;
  st.lastLog = n;
  const ol = $('log');
  ol.replaceChildren();
  let shown = 0;
  for (let k = n - 1; k >= 0 && shown < 200; k--) {
    if (notes[k][3] && !st.truth) continue;
    shown += 1;
    const li = document.createElement('li');
    li.className = notes[k][2];
    li.textContent = `${fmtClock(notes[k][0]).split('  ')[0]}  ${notes[k][1]}`;
    ol.appendChild(li);
  }
}

let lastFrame = performance.now();
let lastSlow = 0;
function frame(now) {
  const dt = Math.min((now - lastFrame) / 1000, 0.5);
  lastFrame = now;
  const t = currentTime(dt);
  // Following uses the threat's true position: not in the operator's view.
  if (st.follow && st.truth && st.selected) {
    const e = st.model.entities.get(st.selected);
    const here = e && st.model.at(e, t);
    if (here) st.view.centre = [here.lat, here.lon];
  }
  if (!st.picked) autoSelect(t);
  st.shown = t;
  st.drawn = drawMap($('map'), { ...st, t });
  drawAltitude($('altitude'), { ...st, t });
  $('clock').textContent = fmtClock(t);
  $('clock').dataset.t = t.toFixed(3);
  if (st.mode === 'replay' && document.activeElement !== $('seek')) $('seek').value = String(t);
  // The table and the log follow the shown time at every frame it moves (at 1000× a fifth of a
  // second is minutes); held still, they are redrawn five times a second for new events.
  if (t !== st.lastTable || now - lastSlow > 200) {
    st.lastTable = t;
    lastSlow = now;
    renderTable(t);
    renderLog(t);
    $('selected-name').textContent = st.selected || '—';
  }
  requestAnimationFrame(frame);
}

/** Until the user picks one, the selected threat is the first launched of those flying. */
function autoSelect(t) {
  const m = st.model;
  const flying = (id) => m.at(m.entities.get(id), t) !== null;
  if (st.selected && flying(st.selected)) return;
  st.selected = m.threatOrder.find(flying) ?? st.selected ?? m.threatOrder[0] ?? null;
}

function nextEventTime(t) {
  const notes = st.model.notable;
  for (const [tm] of notes) if (tm > t + 1e-6) return tm;
  return null;
}

function wireControls() {
  $('play').onclick = () => { if (st.mode === 'live') send({ paused: false }); else { if (st.t >= st.tEnd) st.t = 0; st.playing = true; } };
  $('pause').onclick = () => { if (st.mode === 'live') send({ paused: true }); else st.playing = false; };
  $('step').onclick = () => {
    if (st.mode === 'live') { send({ paused: true, step: true }); return; }
    st.playing = false;
    const next = nextEventTime(st.t);
    if (next !== null) st.t = next;
  };
  $('speed').onchange = () => {
    const v = Number($('speed').value);
    if (st.mode === 'live') send({ speed: v }); else st.speed = v;
  };
  $('seek').oninput = () => { st.t = Number($('seek').value); };
  $('truth').onchange = () => { st.truth = $('truth').checked; st.lastLog = -1; };
  // The table is redrawn as time moves: a press on a row is caught on the body (a row's own
  // click would be lost when the row is replaced between press and release).
  $('track-body').addEventListener('pointerdown', (e) => {
    const row = e.target.closest('tr');
    const tr = row && st.model.tracks.get(row.dataset.track);
    if (tr && tr.truth && st.truth) { st.selected = tr.truth; st.picked = true; }
  });
  $('follow').onchange = () => { st.follow = $('follow').checked; };
  const map = $('map');
  map.addEventListener('wheel', (e) => {
    e.preventDefault();
    st.view.scale = Math.min(2e4, Math.max(5, st.view.scale * (e.deltaY < 0 ? 1.2 : 1 / 1.2)));
  }, { passive: false });
  let drag = null;
  map.addEventListener('mousedown', (e) => { drag = [e.clientX, e.clientY, st.view.centre, false]; });
  window.addEventListener('mouseup', (e) => {
    if (drag && !drag[3]) pick(e);
    drag = null;
  });
  window.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag[0], dy = e.clientY - drag[1];
    if (Math.abs(dx) + Math.abs(dy) > 3) drag[3] = true;
    if (!drag[3]) return;
    const k = Math.cos(drag[2][0] * Math.PI / 180);
    st.view.centre = [drag[2][0] + dy / st.view.scale, drag[2][1] - dx / (st.view.scale * k)];
  });
  $('recentre').onclick = () => { st.view = initialView(true); };
}

function pick(e) {
  const r = $('map').getBoundingClientRect();
  const x = e.clientX - r.left, y = e.clientY - r.top;
  let best = null, bestD = 15;
  for (const d of st.drawn?.drawn || []) {
    const dist = Math.hypot(d.x - x, d.y - y);
    if (d.kind === 'threat' && dist < bestD) { best = d.id; bestD = dist; }
  }
  if (best) { st.selected = best; st.picked = true; }
}

function initialView(all = false) {
  const [lat, lon] = sceneBounds(st.scene, all);
  const c = $('map');
  const w = Math.max(100, c.clientWidth), h = Math.max(100, c.clientHeight);
  const centre = [(lat[0] + lat[1]) / 2, (lon[0] + lon[1]) / 2];
  const k = Math.cos(centre[0] * Math.PI / 180);
  const scale = Math.min((h * 0.9) / Math.max(lat[1] - lat[0], 0.05), (w * 0.9) / (Math.max(lon[1] - lon[0], 0.05) * k));
  return { centre, scale };
}

function legend() {
  const s = st.scene.style, m = s.marks;
  const items = [
    ['asset', 'Defended asset (circle: hit radius, to scale)'],
    ['radar', 'Radar, and its search sector to maximum range'],
    ['horizon', 'Radar horizon of a target 100 m above the radar’s ground (smooth 4/3 Earth)'],
    ['launcher', 'Interceptor launcher'], ['gun', 'Counter-RAM gun'], ['site', 'Threat launch site'],
    ['kill', 'Intercept: kill'], ['miss', 'Intercept: miss'], ['hit', 'Impact on an asset'],
    ['impact', 'Impact elsewhere'], ['failure', 'Threat failed in flight'],
  ];
  const ul = $('legend');
  const add = (html, text) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.innerHTML = html;
    li.append(sw, document.createTextNode(text));
    ul.appendChild(li);
  };
  const svgMark = (mk) => {
    const fill = mk.filled ? mk.colour : '#fff';
    const shapes = {
      circle: `<circle cx="7" cy="7" r="4.5" fill="${fill}" stroke="${mk.colour}"/>`,
      square: `<rect x="3" y="3" width="8" height="8" fill="${fill}" stroke="${mk.colour}"/>`,
      triangle: `<path d="M7 2 L12 11 L2 11 Z" fill="${fill}" stroke="${mk.colour}"/>`,
      diamond: `<path d="M7 2 L12 7 L7 12 L2 7 Z" fill="${fill}" stroke="${mk.colour}"/>`,
      star: `<path d="M7 1.5 L8.6 5.4 L12.7 5.6 L9.5 8.2 L10.6 12.2 L7 10 L3.4 12.2 L4.5 8.2 L1.3 5.6 L5.4 5.4 Z" fill="${fill}" stroke="${mk.colour}"/>`,
      cross: `<path d="M3 3 L11 11 M11 3 L3 11" stroke="${mk.colour}" stroke-width="2"/>`,
      plus: `<path d="M2 7 L12 7 M7 2 L7 12" stroke="${mk.colour}" stroke-width="2"/>`,
    };
    return `<svg width="14" height="14" viewBox="0 0 14 14">${shapes[mk.shape] || ''}</svg>`;
  };
  const has = {
    horizon: st.scene.radars.filter((r) => r.horizon_m).length,
    asset: st.scene.assets.length, radar: st.scene.radars.length, launcher: st.scene.launchers.length,
    gun: st.scene.guns.length, site: st.scene.sites.length,
  };
  const swatch = (k) => (k === 'horizon'
    ? `<svg width="22" height="14"><line x1="1" y1="7" x2="21" y2="7" stroke="${s.sector_line.colour}" stroke-width="1.5" stroke-dasharray="1.5 3"/></svg>`
    : svgMark(m[k]));
  for (const [k, text] of items) if (has[k] === undefined || has[k] > 0) add(swatch(k), text);
  st.scene.threat_types.forEach((name, k) => add(`<svg width="22" height="14"><line x1="1" y1="7" x2="21" y2="7" stroke="${s.threat_colours[k % s.threat_colours.length]}" stroke-width="2"/><circle cx="11" cy="7" r="4" fill="${s.threat_colours[k % s.threat_colours.length]}" stroke="#222"/></svg>`, `Threat (truth): ${name}`));
  st.scene.interceptor_types.forEach((name, k) => add(`<svg width="22" height="14"><line x1="1" y1="7" x2="21" y2="7" stroke="${s.defence_colours[k % s.defence_colours.length]}" stroke-width="2" stroke-dasharray="5 2"/><circle cx="11" cy="7" r="3" fill="${s.defence_colours[k % s.defence_colours.length]}" stroke="#222"/></svg>`, `Interceptor: ${name}`));
  add('<svg width="22" height="14"><ellipse cx="11" cy="7" rx="9" ry="5" fill="none" stroke="#222"/><rect x="8" y="4" width="6" height="6" fill="none" stroke="#222"/></svg>', 'Track: estimate and 2-sigma ellipse (what the defense sees)');
}

async function main() {
  const [scene, basemap] = await Promise.all([
    fetch('/api/scene').then((r) => r.json()),
    fetch('/api/basemap').then((r) => r.text()),
  ]);
  st.scene = scene;
  st.mode = scene.mode;
  st.model = new Model(scene);
  st.basemap = parseBasemap(basemap);
  document.title = `Rampart — ${scene.title}`;
  $('title').textContent = scene.title;
  document.body.dataset.mode = scene.mode;
  $('seek').hidden = scene.mode !== 'replay';
  st.view = initialView();
  legend();
  wireControls();
  connect();
  window.rampart = {
    state: () => ({ t: st.shown, mode: st.mode, events: st.model.count, ended: st.ended, playing: st.playing,
      selected: st.selected, tracks: st.drawn ? st.drawn.tracks : 0,
      entities: st.drawn ? st.drawn.drawn.map((d) => ({ ...d })) : [] }),
    project: (lat, lon) => st.drawn ? st.drawn.proj.xy(lat, lon) : null,
    look: (lat, lon, scale) => { st.follow = false; st.view = { centre: [lat, lon], scale }; },
    scene: () => st.scene,
  };
  requestAnimationFrame(frame);
}

main().catch((e) => { setStatus(`cannot start: ${e}`); throw e; });
