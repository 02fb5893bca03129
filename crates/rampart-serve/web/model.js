// The run as the display knows it: every event taken in order, indexed for questions about any
// time (where each entity is, which tracks the defense holds, what happened so far).

import { enuToGeodetic, fromEcef } from './geo.js';

/** Index of the last element of sorted `arr` whose `key(x)` is <= t, or -1. */
export function lastAtOrBefore(arr, t, key = (x) => x[0]) {
  let lo = 0, hi = arr.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(arr[mid]) <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found;
}

function fmtS(s) { return `${Math.round(s)} s`; }

export class Model {
  constructor(scene) {
    this.scene = scene;
    this.count = 0; // events taken
    this.tLast = 0;
    this.entities = new Map(); // id -> {id, kind, type, samples [[t, lat, lon, alt, speed]], end}
    this.threatLaunch = new Map(); // threat id -> launch event
    this.tracks = new Map(); // key -> track record
    this.interceptorTrack = new Map(); // interceptor -> track key
    this.interceptorThreat = new Map(); // interceptor -> threat id (truth, when known)
    this.markers = []; // [t, kind, lat, lon]
    this.notable = []; // [t, text, kind]
    this.threatOrder = [];
  }

  typeIndex(kind, type) {
    const list = kind === 'threat' ? this.scene.threat_types : this.scene.interceptor_types;
    const k = list.indexOf(type);
    return k < 0 ? 0 : k;
  }

  entity(id, kind, type) {
    let e = this.entities.get(id);
    if (!e) {
      e = { id, kind, type, samples: [], end: null };
      this.entities.set(id, e);
      if (kind === 'threat') this.threatOrder.push(id);
    }
    return e;
  }

  track(key, radar, number, t) {
    let tr = this.tracks.get(key);
    if (!tr) {
      tr = { key, radar, number, t0: t, tDrop: null, updates: [], evals: [], engaged: [],
        assessed: [], truth: null };
      this.tracks.set(key, tr);
    }
    return tr;
  }

  static trackKey(radar, track, system) { return system ? `network#${track}` : `${radar}#${track}`; }

  end(id, t, how) {
    const e = this.entities.get(id);
    if (e && !e.end) e.end = { t, how };
  }

  /** A line of the event log; `truth` marks what only the simulation knows (a threat's launch,
   * a kill, a break-up), hidden in the operator's view. */
  note(t, text, kind, truth = false) { this.notable.push([t, text, kind, truth]); }

  /** Takes one event (as events.jsonl has it). */
  take(ev) {
    this.count += 1;
    const t = ev.t;
    if (typeof t !== 'number') return;
    this.tLast = Math.max(this.tLast, t);
    switch (ev.kind) {
      case 'entity_state': {
        const e = this.entity(ev.entity, ev.entity_kind, ev.entity_type);
        const v = ev.velocity_mps || [0, 0, 0];
        e.samples.push([t, ev.at.lat, ev.at.lon, ev.alt_m, Math.hypot(v[0], v[1], v[2])]);
        break;
      }
      case 'launch':
        if (ev.interceptor) {
          const key = Model.trackKey(ev.radar, ev.target_track, ev.system_track);
          this.interceptorTrack.set(ev.interceptor, key);
          const tr = this.tracks.get(key);
          if (tr && tr.truth) this.interceptorThreat.set(ev.interceptor, tr.truth);
          this.entity(ev.interceptor, 'interceptor', ev.interceptor_type);
          this.note(t, `${ev.interceptor} (${ev.interceptor_type}) launched at track ${trackLabel(key)}`, 'launch');
        } else {
          this.threatLaunch.set(ev.threat, ev);
          this.entity(ev.threat, 'threat', ev.threat_type);
          const aim = ev.aim_asset ? ` at ${ev.aim_asset}` : '';
          this.note(t, `Threat ${ev.threat} (${ev.threat_type}) launched${aim}`, 'threat', true);
        }
        break;
      case 'track_initiated': {
        this.track(Model.trackKey(ev.radar, ev.track, false), ev.radar, ev.track, t);
        this.note(t, `${ev.radar}: track ${ev.track} confirmed`, 'track');
        break;
      }
      case 'track_dropped': {
        const tr = this.tracks.get(Model.trackKey(ev.radar, ev.track, false));
        if (tr) tr.tDrop = t;
        this.note(t, `${ev.radar}: track ${ev.track} dropped`, 'track');
        break;
      }
      case 'system_track':
        if (ev.change === 'dropped') {
          const tr = this.tracks.get(Model.trackKey('', ev.track, true));
          if (tr) tr.tDrop = t;
        }
        break;
      case 'track_update':
      case 'system_track_update': {
        const system = ev.kind === 'system_track_update';
        const key = Model.trackKey(ev.radar, ev.track, system);
        const tr = this.track(key, system ? 'network' : ev.radar, ev.track, t);
        const p = system ? fromEcef(ev.position_m)
          : enuToGeodetic(this.scene.frames[ev.radar] || { lat: 0, lon: 0, alt_m: 0 }, ev.position_m);
        const v = ev.velocity_mps;
        const s = ev.position_sigma_m || [0, 0, 0];
        tr.updates.push([t, p.lat, p.lon, p.alt, Math.hypot(v[0], v[1], v[2]), s[0], s[1],
          ev.en_covariance_m2 || 0]);
        break;
      }
      case 'threat_evaluated': {
        const system = ev.radar === 'network';
        const tr = this.track(Model.trackKey(ev.radar, ev.track, system), ev.radar, ev.track, t);
        tr.evals.push([t, ev]);
        break;
      }
      case 'engagement_planned': {
        const key = Model.trackKey(ev.radar, ev.track, ev.system_track);
        const tr = this.track(key, ev.system_track ? 'network' : ev.radar, ev.track, t);
        tr.engaged.push([t, ev]);
        if (ev.truth) tr.truth = ev.truth;
        this.note(t, `${ev.fire_unit} engages track ${trackLabel(key)}: ${ev.shots} shot(s), intercept at ${ev.intercept_s.toFixed(0)} s`, 'engage');
        break;
      }
      case 'intercept':
        this.interceptorThreat.set(ev.interceptor, ev.threat);
        this.markers.push([t, ev.kill ? 'kill' : 'miss', ev.lat, ev.lon]);
        this.end(ev.interceptor, t, 'intercept');
        if (ev.kill) this.end(ev.threat, t, 'killed');
        this.note(t, `${ev.interceptor} ${ev.kill ? 'killed' : 'missed'} ${ev.threat} (miss ${ev.miss_m.toFixed(1)} m)`, ev.kill ? 'kill' : 'miss', true);
        break;
      case 'interceptor_lost':
        this.end(ev.interceptor, t, 'lost');
        this.note(t, `${ev.interceptor} lost (${ev.reason})`, 'miss');
        break;
      case 'kill_assessed': {
        const key = this.interceptorTrack.get(ev.interceptor);
        const tr = key && this.tracks.get(key);
        if (tr) tr.assessed.push([t, ev.assessed_kill]);
        this.note(t, `${ev.fire_unit}: ${ev.interceptor} assessed ${ev.assessed_kill ? 'a kill' : 'a miss'}`, 'assess');
        break;
      }
      case 'gun_burst':
        if (ev.kill) {
          this.markers.push([t, 'kill', ev.at.lat, ev.at.lon]);
          if (ev.threat) this.end(ev.threat, t, 'killed');
        }
        this.note(t, `${ev.gun}: burst of ${ev.rounds} at track ${ev.track}${ev.kill ? ', kill' : ''}`, ev.kill ? 'kill' : 'engage');
        break;
      case 'impact':
        this.markers.push([t, ev.asset ? 'hit' : 'impact', ev.lat, ev.lon]);
        this.end(ev.threat, t, 'impact');
        this.note(t, `Impact: ${ev.threat}${ev.asset ? ` on ${ev.asset}` : ''} (${ev.miss_m.toFixed(0)} m from the aim point)`, 'impact');
        break;
      case 'failure':
        this.markers.push([t, 'failure', ev.lat, ev.lon]);
        this.end(ev.threat, t, 'failed');
        this.note(t, `${ev.threat} failed in flight`, 'failure', true);
        break;
      case 'removed':
        this.end(ev.threat, t, 'removed');
        this.note(t, `${ev.threat} left the feed (${ev.reason})`, 'failure', true);
        break;
      case 'warning':
        if (ev.radar == null) {
          this.note(t, `Strategic warning to ${ev.asset}: alarm ${fmtS(t - ev.alarm_t)} before now`, 'warning');
        } else if (ev.warning_time_s == null) {
          this.note(t, `Warning to ${ev.asset} (${ev.radar} cue): alarm at +${fmtS(ev.alarm_t - t)}`, 'warning');
        } else {
          this.note(t, `Warning to ${ev.asset}: ${fmtS(ev.warning_time_s)} to impact at the alarm`, 'warning');
        }
        break;
      case 'launch_warning':
        this.note(t, `${ev.sensor}: launch warning`, 'warning');
        break;
      case 'leak':
        this.note(t, `${ev.threat} leaked to ${ev.asset}`, 'impact', true);
        break;
      default:
        break;
    }
  }

  /** Where entity `e` is at `t` ({lat, lon, alt, speed}), or null when it is not flying. */
  at(e, t) {
    const s = e.samples;
    if (!s.length || t < s[0][0] || (e.end && t > e.end.t)) return null;
    const i = lastAtOrBefore(s, t);
    const a = s[i];
    const b = s[i + 1];
    if (!b) return { lat: a[1], lon: a[2], alt: a[3], speed: a[4] };
    const f = b[0] > a[0] ? (t - a[0]) / (b[0] - a[0]) : 0;
    const mix = (k) => a[k] + (b[k] - a[k]) * f;
    return { lat: mix(1), lon: mix(2), alt: mix(3), speed: mix(4) };
  }

  /** The threat an interceptor was sent at, when known. */
  targetOf(interceptor) {
    const known = this.interceptorThreat.get(interceptor);
    if (known) return known;
    const key = this.interceptorTrack.get(interceptor);
    const tr = key && this.tracks.get(key);
    return tr ? tr.truth : null;
  }

  /** The tracks held at `t`, each with its latest estimate, evaluation and status. */
  tracksAt(t) {
    const out = [];
    for (const tr of this.tracks.values()) {
      if (t < tr.t0 || (tr.tDrop !== null && t >= tr.tDrop)) continue;
      const u = tr.updates[lastAtOrBefore(tr.updates, t)] || null;
      const ev = tr.evals[lastAtOrBefore(tr.evals, t)];
      const eng = tr.engaged[lastAtOrBefore(tr.engaged, t)];
      const as = tr.assessed[lastAtOrBefore(tr.assessed, t)];
      let status = 'tracked';
      if (ev) status = 'evaluated';
      if (eng) status = 'engaged';
      if (as) status = as[1] ? 'assessed kill' : 'assessed miss';
      out.push({ tr, u, eval: ev ? ev[1] : null, evalT: ev ? ev[0] : null,
        engagement: eng ? eng[1] : null, status });
    }
    out.sort((a, b) => a.tr.key.localeCompare(b.tr.key, 'en', { numeric: true }));
    return out;
  }
}

/** A track's short name: `Battery-1 radar 12`, or `S4` for a system track. */
export function trackLabel(key) {
  const [radar, n] = key.split('#');
  return radar === 'network' ? `S${n}` : `${radar} ${n}`;
}
