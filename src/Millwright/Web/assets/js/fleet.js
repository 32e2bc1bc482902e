import { api } from './api.js';
import { h, clear, stateLabel } from './dom.js';
import { MapView } from './mapview.js';
import { decodeArcs, rings } from './topojson.js';
import { FleetLayer } from './fleetlayer.js';
import { loadSites, drawSites, loadTrack, drawTrack, loadPlan, drawPlan, loadStoredPlan, drawStoredPlan, DISPATCH_COLOURS } from './fleetoverlays.js';

// The fleet screen (#/fleet): a country-scale map drawn on a canvas without anything from the internet. The base
// map is Natural Earth 1:50m from the vendored world-atlas package, decoded here; machines come from
// GET /api/v1/fleet/positions once and then from the live feed; job sites from the geofences; the stored plan in
// force (or the latest proposal) as lines coloured by dispatch state, read again every few seconds; a machine's
// track and an ad-hoc allocation plan on request. The canvas carries what it last drew as data attributes (markers, clusters,
// sites, track points, plan lines) so tests and the benchmark can read it.
let atlas = null;
function baseMap() {
  atlas ??= fetch('/ui/vendor/world-atlas/countries-50m.json').then((r) => r.json()).then((t) => {
    const arcs = decodeArcs(t);
    return { land: rings(t, arcs, t.objects.land), borders: rings(t, arcs, t.objects.countries) };
  });
  return atlas;
}

const REINDEX_MS = 1000;
// Dispatch answers do not come through the live feed, so the stored plan is read again this often.
const STORED_PLAN_MS = 5000;

export function fleetScreen(view, plant) {
  const canvas = h('canvas', { class: 'fleet-canvas', role: 'img', 'aria-label': 'fleet map' });
  const status = h('p', { class: 'hint fleet-status' });
  const detail = h('div', { class: 'fleet-detail' }, h('p', { class: 'hint' }, 'Click a machine for its details and track; click a cluster to zoom in.'));
  const faults = h('tbody');
  const feeds = h('div', { class: 'fleet-feeds' });
  const planInput = h('textarea', { class: 'fleet-plan-input', rows: 6, spellcheck: 'false', placeholder: '{"requests": [...], "machines": [...]}' });
  const planStatus = h('p', { class: 'hint' });
  const storedStatus = h('div', { class: 'fleet-stored-plan' });
  const zoomBy = (d) => () => view2.zoomAt(view2.width / 2, view2.height / 2, view2.zoom + d);
  clear(view).append(h('div', { class: 'fleet-screen' },
    h('div', { class: 'fleet-main' },
      h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: zoomBy(1), 'data-zoom': 'in' }, '+'),
        h('button', { type: 'button', onclick: zoomBy(-1), 'data-zoom': 'out' }, '−'),
        h('button', { type: 'button', onclick: () => fit() }, 'Whole fleet'), status),
      canvas),
    h('aside', { class: 'fleet-side' }, detail, feeds, storedStatus,
      h('h3', {}, 'Faults'), h('table', { class: 'grid fleet-faults' },
        h('thead', {}, h('tr', {}, h('th', {}, 'machine'), h('th', {}, 'SPN/FMI'), h('th', {}, 'severity'), h('th', {}, 'since'))), faults),
      h('details', { class: 'fleet-plan' }, h('summary', {}, 'Allocation plan'),
        h('p', { class: 'hint' }, 'A plan request (the body of POST /api/v1/fleet/plans); assignments are drawn as lines.'),
        planInput, h('button', { type: 'button', onclick: () => plan() }, 'Plan'), planStatus))));

  const layer = new FleetLayer();
  let sites = [], track = null, planned = null, stored = null, selected = null, frame = 0, reindex = 0, refetch = 0, updates = 0, stopped = false, storedTimer = 0;
  // Update lag (what the benchmark reads in plant.stats.lags): a position's own time until the first frame drawn
  // with a cluster index that holds it. A machine drawn on its own moves a frame sooner; clusters wait for the index.
  let unindexed = [], indexed = [], early = [], earlyDropped = false;
  function reindexed() {
    indexed = indexed.concat(unindexed);
    unindexed = [];
    if (indexed.length > 100_000) indexed = indexed.slice(-50_000); // a hidden tab draws no frames
  }
  const view2 = new MapView(canvas, () => schedule());
  const ctx = canvas.getContext('2d');

  function schedule() { if (!frame && !stopped) frame = requestAnimationFrame(draw); }

  function draw() {
    frame = 0;
    view2.resize();
    view2.drawBase(ctx);
    drawSites(ctx, view2, sites);
    drawStoredPlan(ctx, view2, stored);
    drawPlan(ctx, view2, planned);
    drawTrack(ctx, view2, track);
    layer.draw(ctx, view2, selected);
    if (indexed.length) {
      const now = Date.now();
      for (const ts of indexed) plant.recordLag(now - ts);
      indexed = [];
    }
    Object.assign(canvas.dataset, {
      markers: layer.drawn.markers, clusters: layer.drawn.clusters, machines: layer.count, sites: sites.length,
      trackPoints: track?.points.length ?? 0, planLines: planned?.lines.length ?? 0, zoom: view2.zoom, cx: view2.cx, cy: view2.cy, updates,
      storedPlanLines: stored?.lines.length ?? 0, storedPlanRevision: stored?.plan.revision ?? 0,
      storedSent: stored?.counts.sent ?? 0, storedAcknowledged: stored?.counts.acknowledged ?? 0, storedFailed: stored?.counts.failed ?? 0,
      storedNotSent: stored?.counts.not_sent ?? 0, storedReleases: stored?.releases.length ?? 0,
      storedReleasesAcknowledged: stored?.releases.filter((r) => r.status === 'acknowledged').length ?? 0,
    });
  }

  function fit() {
    const e = layer.extent();
    if (e) view2.fit(e); else view2.centre(10, 50, 3);
  }

  // Every read, not only the first, keeps the moves that arrive meanwhile and applies them after it (the newer
  // reading wins per machine), so a refetch's older columns cannot overwrite them; a failed read applies them too.
  async function loadPositions(first) {
    early ??= [];
    let columns;
    try {
      columns = await api('/api/v1/fleet/positions');
      layer.load(columns);
      reindexed();
    } finally {
      const moves = early ?? [];
      early = null;
      for (const p of moves) applyMoves(p);
      if (earlyDropped) { earlyDropped = false; refetchSoon(); }
    }
    status.textContent = `${layer.count.toLocaleString()} machines with a position`;
    showFaults(columns.faults);
    if (first) { fit(); showFeeds().catch(() => {}); refreshStored(); }
    schedule();
  }

  // The stored plan: read after the positions (its lines start at the machines) and then every few seconds.
  async function refreshStored() {
    try {
      stored = await loadStoredPlan(layer);
      showStored();
    } catch (err) { clear(storedStatus).append(h('p', { class: 'error' }, `Could not read the allocation plan: ${err.message}`)); }
    schedule();
    if (!stopped) storedTimer = setTimeout(refreshStored, STORED_PLAN_MS);
  }

  function showStored() {
    clear(storedStatus);
    if (!stored) { storedStatus.append(h('p', { class: 'hint' }, 'No allocation plan stored yet.')); return; }
    const p = stored.plan;
    storedStatus.append(h('h3', {}, `Allocation plan, revision ${p.revision} (${p.status})`),
      h('p', { class: 'fleet-stored-total' }, `${p.assignments.length} assignments, total ${p.totalCost.toFixed(2)}; ${p.unserved.length} unserved`),
      h('p', { class: 'fleet-stored-legend' }, ...Object.keys(DISPATCH_COLOURS).map((status) =>
        h('span', { 'data-status': status }, h('span', { class: `dispatch-swatch dispatch-${status}` }), ` ${status.replace('_', ' ')} ${stored.counts[status] ?? 0} `))));
    if (p.releases.length > 0) {
      storedStatus.append(h('p', { class: 'fleet-stored-releases' }, h('span', { class: 'release-mark' }, '✕'),
        ` ${p.releases.length} ${p.releases.length === 1 ? 'machine' : 'machines'} released (dashed): `,
        p.releases.map((r) => `${r.equipmentId} from ${r.site}, ${r.dispatch.status}`).join('; ')));
    }
  }

  // Failing AEMP feeds (GET /api/v1/fleet/health), also those that never delivered a machine and so raise no alarm.
  async function showFeeds() {
    const health = await api('/api/v1/fleet/health');
    clear(feeds);
    for (const f of health.failingFeeds) {
      feeds.append(h('p', { class: 'error', 'data-feed': f.id }, `AEMP feed '${f.name}' failing${f.neverDelivered ? ' (no machine yet)' : ''}: ${f.error}`));
    }
  }

  function showFaults(list) {
    clear(faults);
    if (!list.length) faults.append(h('tr', {}, h('td', { colspan: 4, class: 'hint' }, 'No active faults.')));
    for (const f of list) {
      faults.append(h('tr', { 'data-machine': f.machineId, onclick: () => select(f.machineId, true) },
        h('td', {}, f.name), h('td', {}, f.code), h('td', {}, f.severity ?? '–'), h('td', {}, new Date(f.since).toLocaleString())));
    }
  }

  function select(id, centre) {
    selected = id;
    const i = layer.index.get(id);
    if (i === undefined) return;
    if (centre) view2.centre(layer.lon[i], layer.lat[i], Math.max(view2.zoom, 12));
    const day = h('input', { type: 'date', value: new Date().toISOString().slice(0, 10), 'aria-label': 'day' });
    const note = h('p', { class: 'hint' });
    clear(detail).append(h('h3', {}, h('a', { href: `#/machine/${id}` }, layer.names[i])),
      h('p', {}, `${stateLabel(layer.states[i] === 'unknown' ? null : layer.states[i])} · ${layer.lat[i].toFixed(5)}, ${layer.lon[i].toFixed(5)}`),
      h('p', { class: 'hint' }, `last position ${new Date(layer.at[i]).toLocaleString()}`),
      h('div', { class: 'toolbar' }, day, h('button', {
        type: 'button', class: 'show-track', onclick: async () => {
          const from = new Date(`${day.value}T00:00:00`);
          try {
            track = await loadTrack(id, from, new Date(from.getTime() + 86_400_000));
            note.textContent = `${track.points.length} positions${track.truncated ? ' (the first 10,000)' : ''}`;
          } catch (err) { note.textContent = `Could not read the track: ${err.message}`; }
          schedule();
        },
      }, 'Track for the day')), note);
    schedule();
  }

  async function plan() {
    planStatus.textContent = '';
    let body;
    try { body = JSON.parse(planInput.value); } catch { planStatus.textContent = 'The plan request is not JSON.'; return; }
    try {
      const result = await loadPlan(body, layer);
      planned = result;
      planStatus.textContent = `${result.plan.method}: ${result.plan.assignments.length} assigned, total ${result.plan.totalCost.toFixed(2)} (nearest-first ${result.plan.greedyCost.toFixed(2)}); ${result.plan.unserved.length} unserved`;
    } catch (err) { planStatus.textContent = `The plan was refused: ${err.message}`; }
    schedule();
  }

  const detach = view2.attach((x, y) => {
    const t = layer.hit(x, y);
    if (t?.kind === 'machine') select(layer.ids[t.i], false);
    else if (t?.kind === 'cluster') view2.centre(t.lon, t.lat, Math.min(layer.cluster.getClusterExpansionZoom(t.id), 18));
  });

  // Live: the feed's fleet positions (every machine, however many) move the dots at once; the clusters are rebuilt
  // at most once a second; a machine that is not on the map yet (its first position) or moves the feed dropped make
  // the page read the positions again. Moves that arrive before the first read are kept until it is drawn.
  const refetchSoon = () => { refetch ||= setTimeout(() => { refetch = 0; loadPositions(false).catch(() => {}); }, REINDEX_MS); };
  const reindexSoon = () => { reindex ||= setTimeout(() => { reindex = 0; layer.rebuild(); reindexed(); schedule(); }, REINDEX_MS); };
  function applyMoves(p) {
    let missing = false;
    for (let k = 0; k < p.ids.length; k++) {
      updates++;
      if (!layer.move(p.ids[k], p.latitude[k], p.longitude[k], p.ts[k])) missing = true;
      else unindexed.push(p.ts[k]);
    }
    if (missing) refetchSoon();
    reindexSoon();
    schedule();
  }
  const off = plant.on((kind, d) => {
    if (kind === 'positions') {
      // Past 1,000 early messages the rest are dropped and the positions are read again once the read in flight is drawn.
      if (!early) applyMoves(d); else if (early.length < 1000) early.push(d); else earlyDropped = true;
    } else if (kind === 'positionsLost') {
      refetchSoon();
    } else if (kind === 'states') {
      for (const id of d) layer.setState(id, plant.states.get(id)?.state);
      reindexSoon();
      schedule();
    }
  });
  const onResize = () => schedule();
  window.addEventListener('resize', onResize);

  status.textContent = 'Loading the fleet…';
  view2.resize();
  view2.centre(10, 50, 3);
  baseMap().then((m) => view2.setBaseMap(m.land, m.borders)).catch((err) => { status.textContent = `Could not load the base map: ${err.message}`; });
  loadSites().then((s) => { sites = s; schedule(); }).catch((err) => { status.textContent = `Could not read the job sites: ${err.message}`; });
  plant.watchPositions(true);
  loadPositions(true).catch((err) => { status.textContent = `Could not read the fleet: ${err.message}`; });

  return () => {
    stopped = true;
    plant.watchPositions(false);
    off(); detach(); window.removeEventListener('resize', onResize);
    cancelAnimationFrame(frame); clearTimeout(reindex); clearTimeout(refetch); clearTimeout(storedTimer);
  };
}
