import { api } from './api.js';
import { mercX, mercY } from './mapview.js';

// What the fleet screen draws over the machines' base map: job sites and depots (the tenant's geofences, GeoJSON),
// one machine's track for a day (its stored latitude and longitude points paired by time) and an allocation plan
// (a line from each assigned machine to its request's site).
export async function loadSites() {
  const collection = await api('/api/v1/fleet/geofences');
  return (collection.features ?? []).filter((f) => f.geometry?.type === 'Polygon');
}

export function drawSites(ctx, view, sites) {
  ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'bottom';
  for (const site of sites) {
    const depot = site.properties?.kind === 'depot';
    ctx.beginPath();
    for (const ring of site.geometry.coordinates) {
      ring.forEach(([lon, lat], k) => {
        const x = view.px(mercX(lon)), y = view.py(mercY(lat));
        if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.closePath();
    }
    ctx.fillStyle = depot ? 'rgba(52,120,198,0.18)' : 'rgba(217,164,0,0.2)'; ctx.fill('evenodd');
    ctx.lineWidth = 2; ctx.strokeStyle = depot ? '#3478c6' : '#b38600'; ctx.stroke();
    if (view.zoom >= 8) {
      const [lon, lat] = site.geometry.coordinates[0][0];
      ctx.fillStyle = '#1b1b1b'; ctx.fillText(site.properties?.name ?? '', view.px(mercX(lon)) + 3, view.py(mercY(lat)) - 3);
    }
  }
}

/** A machine's positions in [from, to): its latitude and longitude points joined on their timestamps. */
export async function loadTrack(machineId, from, to) {
  const q = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&limit=10000`;
  const [lat, lon] = await Promise.all([
    api(`/api/v1/machines/${machineId}/series/latitude/points?${q}`), api(`/api/v1/machines/${machineId}/series/longitude/points?${q}`),
  ]);
  const lons = new Map(lon.points.map((p) => [p.ts, p.value]));
  const points = [];
  for (const p of lat.points) {
    const x = lons.get(p.ts);
    if (typeof x === 'number' && typeof p.value === 'number') points.push([x, p.value]);
  }
  return { machineId, points, truncated: Boolean(lat.next || lon.next) };
}

export function drawTrack(ctx, view, track) {
  if (!track || track.points.length === 0) return;
  ctx.beginPath();
  track.points.forEach(([lon, lat], k) => {
    const x = view.px(mercX(lon)), y = view.py(mercY(lat));
    if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.lineWidth = 3; ctx.strokeStyle = '#1f5fbf'; ctx.lineJoin = 'round'; ctx.stroke();
  const [lon, lat] = track.points[0];
  ctx.beginPath(); ctx.arc(view.px(mercX(lon)), view.py(mercY(lat)), 4, 0, 2 * Math.PI); ctx.fillStyle = '#1f5fbf'; ctx.fill();
}

/**
 * Posts a plan request (the body of POST /api/v1/fleet/plans) and returns the lines to draw: from each assigned
 * machine's position on the map to its request's site, with the assignment's cost.
 */
export async function loadPlan(body, layer) {
  const plan = await api('/api/v1/fleet/plans', { method: 'POST', body });
  const requests = new Map((body.requests ?? []).map((r, k) => [r.id ?? k + 1, r]));
  const lines = [];
  for (const a of plan.assignments) {
    const r = requests.get(a.requestId);
    const i = layer.index.get(a.machineId);
    if (r && i !== undefined) lines.push({ from: [layer.lon[i], layer.lat[i]], to: [r.longitude, r.latitude], cost: a.cost });
  }
  return { plan, lines };
}

export function drawPlan(ctx, view, plan) {
  if (!plan) return;
  ctx.setLineDash([6, 4]); ctx.lineWidth = 2; ctx.strokeStyle = '#7c5cbf';
  ctx.beginPath();
  for (const l of plan.lines) {
    ctx.moveTo(view.px(mercX(l.from[0])), view.py(mercY(l.from[1])));
    ctx.lineTo(view.px(mercX(l.to[0])), view.py(mercY(l.to[1])));
  }
  ctx.stroke(); ctx.setLineDash([]);
  ctx.fillStyle = '#7c5cbf';
  for (const l of plan.lines) {
    ctx.beginPath(); ctx.arc(view.px(mercX(l.to[0])), view.py(mercY(l.to[1])), 4, 0, 2 * Math.PI); ctx.fill();
  }
}

/** The colour of a stored assignment's line by its dispatch state. */
export const DISPATCH_COLOURS = { not_sent: '#8a8a8a', sent: '#e08a00', acknowledged: '#1e9e3a', failed: '#d62d20' };

/**
 * The stored plan to show: the plan in force (the latest accepted revision), else the latest proposal; null when the
 * tenant has none. Lines go from each assigned machine's position on the map to its request's site.
 */
export async function loadStoredPlan(layer) {
  const revisions = await api('/api/v1/fleet/allocation-plans');
  const chosen = revisions.find((p) => p.status === 'accepted') ?? revisions.find((p) => p.status === 'proposed');
  if (!chosen) return null;
  const plan = await api(`/api/v1/fleet/allocation-plans/${chosen.id}`);
  const lines = [];
  const counts = { not_sent: 0, sent: 0, acknowledged: 0, failed: 0 };
  for (const a of plan.assignments) {
    counts[a.dispatch.status] = (counts[a.dispatch.status] ?? 0) + 1;
    const i = layer.index.get(a.machineId);
    if (i !== undefined) lines.push({ from: [layer.lon[i], layer.lat[i]], to: [a.siteLongitude, a.siteLatitude], status: a.dispatch.status, machineId: a.machineId });
  }
  // A release goes from the machine to the site it no longer goes to; its colour is its own command's state.
  const releases = [];
  for (const r of plan.releases) {
    const i = layer.index.get(r.machineId);
    if (i !== undefined) releases.push({ from: [layer.lon[i], layer.lat[i]], to: [r.siteLongitude, r.siteLatitude], status: r.dispatch.status, machineId: r.machineId });
  }
  return { plan, lines, counts, releases };
}

export function drawStoredPlan(ctx, view, stored) {
  if (!stored) return;
  ctx.lineWidth = 3; ctx.lineCap = 'round';
  strokeByStatus(ctx, view, stored.lines);
  ctx.fillStyle = '#1b1b1b';
  for (const l of stored.lines) {
    ctx.fillRect(view.px(mercX(l.to[0])) - 3, view.py(mercY(l.to[1])) - 3, 6, 6);
  }
  drawReleases(ctx, view, stored.releases);
}

/** One path per dispatch state, so a plan of thousands of assignments is four strokes. */
function strokeByStatus(ctx, view, lines) {
  for (const [status, colour] of Object.entries(DISPATCH_COLOURS)) {
    ctx.beginPath();
    for (const l of lines) {
      if (l.status !== status) continue;
      ctx.moveTo(view.px(mercX(l.from[0])), view.py(mercY(l.from[1])));
      ctx.lineTo(view.px(mercX(l.to[0])), view.py(mercY(l.to[1])));
    }
    ctx.strokeStyle = colour; ctx.stroke();
  }
}

/** Releases dashed and thinner than assignments, in their command's state colour, with a cross at the site given up. */
function drawReleases(ctx, view, releases) {
  ctx.lineWidth = 2; ctx.setLineDash([4, 4]);
  strokeByStatus(ctx, view, releases);
  ctx.setLineDash([]); ctx.strokeStyle = RELEASE_MARK; ctx.lineWidth = 3;
  ctx.beginPath();
  for (const l of releases) {
    const x = view.px(mercX(l.to[0])), y = view.py(mercY(l.to[1]));
    ctx.moveTo(x - 5, y - 5); ctx.lineTo(x + 5, y + 5); ctx.moveTo(x + 5, y - 5); ctx.lineTo(x - 5, y + 5);
  }
  ctx.stroke();
}

/** The cross at a site a machine was released from (the fleet screen's legend shows it too). */
export const RELEASE_MARK = '#7a1fa2';
