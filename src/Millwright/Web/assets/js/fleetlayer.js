import { STATE_COLOURS } from './dom.js';
import { mercX, mercY } from './mapview.js';

// The fleet's machines as columns (parallel arrays, index i is one machine) and their clustering. Supercluster
// (vendored, a global from its UMD build) indexes the positions once per rebuild; each cluster carries the worst
// state rank of its machines, so a cluster holding one broken-down machine shows red from far out. A single
// machine is drawn at its current position even before the next rebuild.
const RANK = { unknown: 0, running: 1, setup: 2, planned_stop: 2, idle: 3, offline: 4, down: 5 };
const BY_RANK = ['unknown', 'running', 'setup', 'idle', 'offline', 'down'];

export class FleetLayer {
  constructor() {
    this.ids = []; this.names = []; this.lat = []; this.lon = []; this.states = []; this.at = [];
    this.index = new Map();
    this.cluster = null;
    this.hits = [];
    this.drawn = { markers: 0, clusters: 0 };
  }

  get count() { return this.ids.length; }

  load(columns) {
    this.ids = columns.ids; this.names = columns.names; this.lat = columns.latitude; this.lon = columns.longitude;
    this.states = columns.states.map((st) => st ?? 'unknown'); this.at = columns.reportedAt;
    this.index = new Map(this.ids.map((id, i) => [id, i]));
    this.rebuild();
  }

  /** A live position (one older than what the map has is ignored); false when the machine is not on the map yet (the caller reads the positions again). */
  move(id, lat, lon, ts) {
    const i = this.index.get(id);
    if (i === undefined) return false;
    if (ts && this.at[i] && ts < this.at[i]) return true;
    if (typeof lat === 'number') this.lat[i] = lat;
    if (typeof lon === 'number') this.lon[i] = lon;
    if (ts) this.at[i] = ts;
    return true;
  }

  setState(id, state) {
    const i = this.index.get(id);
    if (i !== undefined) this.states[i] = state ?? 'unknown';
  }

  rebuild() {
    const features = new Array(this.ids.length);
    for (let i = 0; i < features.length; i++) {
      features[i] = { type: 'Feature', properties: { i, r: RANK[this.states[i]] ?? 0 }, geometry: { type: 'Point', coordinates: [this.lon[i], this.lat[i]] } };
    }
    this.cluster = new globalThis.Supercluster({ radius: 60, maxZoom: 15, map: (p) => ({ r: p.r }), reduce: (a, b) => { if (b.r > a.r) a.r = b.r; } });
    this.cluster.load(features);
  }

  /** The view's [west, south, east, north] of every machine, or null without machines. */
  extent() {
    if (!this.count) return null;
    let w = 180, s = 90, e = -180, n = -90;
    for (let i = 0; i < this.count; i++) {
      w = Math.min(w, this.lon[i]); e = Math.max(e, this.lon[i]); s = Math.min(s, this.lat[i]); n = Math.max(n, this.lat[i]);
    }
    return [w, s, e, n];
  }

  /** Draws clusters and machines (one path per colour, so 10,000 dots are a handful of fills); keeps hit targets. */
  draw(ctx, view, selected) {
    this.hits = [];
    this.drawn = { markers: 0, clusters: 0 };
    if (!this.cluster) return;
    const items = this.cluster.getClusters(view.bounds(), Math.floor(view.zoom));
    const dots = new Map();
    const clusters = [];
    for (const f of items) {
      const p = f.properties;
      if (p.cluster) {
        const [lon, lat] = f.geometry.coordinates;
        clusters.push({ x: view.px(mercX(lon)), y: view.py(mercY(lat)), n: p.point_count, r: p.r, id: p.cluster_id, lon, lat });
      } else {
        const i = p.i;
        const x = view.px(mercX(this.lon[i])), y = view.py(mercY(this.lat[i]));
        const colour = STATE_COLOURS[this.states[i]] ?? STATE_COLOURS.unknown;
        let list = dots.get(colour);
        if (!list) dots.set(colour, list = []);
        list.push(x, y);
        this.hits.push({ kind: 'machine', i, x, y, radius: 8 });
      }
    }
    for (const [colour, xy] of dots) {
      ctx.beginPath();
      for (let k = 0; k < xy.length; k += 2) { ctx.moveTo(xy[k] + 5, xy[k + 1]); ctx.arc(xy[k], xy[k + 1], 5, 0, 2 * Math.PI); }
      ctx.fillStyle = colour; ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = '#1b1b1b'; ctx.stroke();
      this.drawn.markers += xy.length / 2;
    }
    ctx.font = 'bold 11px system-ui, sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    for (const c of clusters) {
      const radius = 10 + 4 * Math.log10(c.n);
      ctx.beginPath(); ctx.arc(c.x, c.y, radius, 0, 2 * Math.PI);
      ctx.fillStyle = STATE_COLOURS[BY_RANK[c.r]] ?? STATE_COLOURS.unknown; ctx.globalAlpha = 0.85; ctx.fill(); ctx.globalAlpha = 1;
      ctx.lineWidth = 2; ctx.strokeStyle = '#fff'; ctx.stroke();
      ctx.fillStyle = '#fff'; ctx.fillText(c.n >= 1000 ? `${(c.n / 1000).toFixed(c.n >= 10_000 ? 0 : 1)}k` : String(c.n), c.x, c.y);
      this.hits.push({ kind: 'cluster', id: c.id, lon: c.lon, lat: c.lat, x: c.x, y: c.y, radius });
    }
    this.drawn.clusters = clusters.length;
    const s = selected === null ? undefined : this.index.get(selected);
    if (s !== undefined) {
      ctx.beginPath(); ctx.arc(view.px(mercX(this.lon[s])), view.py(mercY(this.lat[s])), 10, 0, 2 * Math.PI);
      ctx.lineWidth = 3; ctx.strokeStyle = '#111'; ctx.stroke();
    }
  }

  /** The hit target under (x, y), machines before clusters. */
  hit(x, y) {
    let best = null, bestD = Infinity;
    for (const t of this.hits) {
      const d = Math.hypot(t.x - x, t.y - y);
      if (d <= t.radius && (d < bestD || (best?.kind === 'cluster' && t.kind === 'machine'))) { best = t; bestD = d; }
    }
    return best;
  }
}
