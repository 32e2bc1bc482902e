import { h, s, clear, stateLabel } from './dom.js';

// Mobile equipment on a map drawn from coordinates alone (no map tiles: plants and job sites are often offline).
// A machine is mobile when it reports `latitude` and `longitude`; sites with coordinates are drawn as squares for
// orientation. Equirectangular projection around the centre (x scaled by cos(latitude)), which is accurate to well
// under a percent over the few kilometres of a fleet.
const W = 900, H = 560, M = 40;

export function fleetMap(view, plant) {
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, class: 'map', role: 'img', 'aria-label': 'fleet map' });
  const note = h('p', { class: 'hint' });
  const table = h('tbody');
  clear(view).append(h('div', { class: 'fleet' }, note, svg,
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, 'machine'), h('th', {}, 'state'), h('th', {}, 'latitude'), h('th', {}, 'longitude'), h('th', {}, 'last fix'))), table)));
  const trails = new Map();
  let frame = 0;

  function draw() {
    frame = 0;
    const mobile = [];
    for (const [id, v] of plant.values) {
      if (typeof v.latitude?.value === 'number' && typeof v.longitude?.value === 'number' && plant.machines.has(id)) {
        mobile.push({ id, lat: v.latitude.value, lon: v.longitude.value, ts: Math.max(v.latitude.ts, v.longitude.ts) });
        const trail = trails.get(id) ?? [];
        const last = trail[trail.length - 1];
        if (!last || last.lat !== v.latitude.value || last.lon !== v.longitude.value) trail.push({ lat: v.latitude.value, lon: v.longitude.value });
        if (trail.length > 120) trail.shift();
        trails.set(id, trail);
      }
    }
    const sites = plant.sites.filter((x) => typeof x.latitude === 'number' && typeof x.longitude === 'number');
    clear(svg); clear(table);
    note.textContent = mobile.length
      ? `${mobile.length} machines report a position (tags latitude and longitude). Drawn without map tiles.`
      : 'No machine has reported a position yet (tags latitude and longitude).';
    // The view fits the fleet; a site is drawn when it is near it (within ~50 km of a machine), so that a group's
    // plants on other continents do not shrink the fleet to a dot. Without a fleet, the sites are shown.
    const near = (site) => mobile.some((p) => Math.abs(p.lat - site.latitude) < 0.5 && Math.abs(p.lon - site.longitude) < 0.7);
    const shownSites = mobile.length ? sites.filter(near) : sites;
    const points = [...mobile, ...shownSites.map((x) => ({ lat: x.latitude, lon: x.longitude })), ...[...trails.values()].flat()];
    if (!points.length) return;
    let [minLat, maxLat, minLon, maxLon] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const p of points) { minLat = Math.min(minLat, p.lat); maxLat = Math.max(maxLat, p.lat); minLon = Math.min(minLon, p.lon); maxLon = Math.max(maxLon, p.lon); }
    const midLat = (minLat + maxLat) / 2, midLon = (minLon + maxLon) / 2;
    const k = Math.cos((midLat * Math.PI) / 180);
    const spanX = Math.max((maxLon - minLon) * k, 0.002), spanY = Math.max(maxLat - minLat, 0.002);
    const scale = Math.min((W - 2 * M) / spanX, (H - 2 * M) / spanY);
    const x = (lon) => W / 2 + (lon - midLon) * k * scale;
    const y = (lat) => H / 2 - (lat - midLat) * scale;

    // Graticule every "nice" step of degrees, and a scale bar in metres (1° of latitude ≈ 111,320 m).
    const step = nice(Math.max(spanX, spanY) / 5);
    for (let lat = Math.floor((midLat - H / 2 / scale) / step) * step; lat <= midLat + H / 2 / scale; lat += step) {
      svg.append(s('line', { x1: 0, x2: W, y1: y(lat), y2: y(lat), class: 'graticule' }), s('text', { x: 4, y: y(lat) - 3, class: 'grid-label' }, `${lat.toFixed(4)}°`));
    }
    for (let lon = Math.floor((midLon - W / 2 / scale / k) / step) * step; lon <= midLon + W / 2 / scale / k; lon += step) {
      svg.append(s('line', { y1: 0, y2: H, x1: x(lon), x2: x(lon), class: 'graticule' }), s('text', { x: x(lon) + 3, y: H - 4, class: 'grid-label' }, `${lon.toFixed(4)}°`));
    }
    const metres = nice((W / 5 / scale) * 111_320);
    const bar = (metres / 111_320) * scale;
    svg.append(s('line', { x1: W - M - bar, x2: W - M, y1: M / 2, y2: M / 2, class: 'scalebar' }),
      s('text', { x: W - M - bar, y: M / 2 - 5, class: 'grid-label' }, metres >= 1000 ? `${metres / 1000} km` : `${metres} m`));
    for (const site of shownSites) {
      svg.append(s('rect', { x: x(site.longitude) - 7, y: y(site.latitude) - 7, width: 14, height: 14, class: 'site-marker' }),
        s('text', { x: x(site.longitude) + 10, y: y(site.latitude) + 4, class: 'site-label' }, site.name));
    }
    for (const trail of trails.values()) {
      if (trail.length > 1) svg.append(s('polyline', { points: trail.map((p) => `${x(p.lon)},${y(p.lat)}`).join(' '), class: 'trail' }));
    }
    for (const p of mobile) {
      const m = plant.machines.get(p.id);
      const state = plant.states.get(p.id)?.state ?? 'unknown';
      svg.append(s('a', { href: `#/machine/${p.id}` },
        s('circle', { cx: x(p.lon), cy: y(p.lat), r: 8, class: 'vehicle', 'data-machine': p.id, 'data-state': state }, s('title', {}, `${m.name}: ${stateLabel(state)}`)),
        s('text', { x: x(p.lon) + 11, y: y(p.lat) - 8, class: 'machine-label' }, m.name)));
      table.append(h('tr', {}, h('td', {}, h('a', { href: `#/machine/${p.id}` }, m.name)), h('td', {}, stateLabel(state)),
        h('td', {}, p.lat.toFixed(5)), h('td', {}, p.lon.toFixed(5)), h('td', {}, new Date(p.ts).toLocaleTimeString())));
    }
  }

  draw();
  // Positions change every second for a whole fleet: redraw at most twice a second.
  const off = plant.on((kind) => {
    if ((kind === 'values' || kind === 'states') && !frame) frame = setTimeout(draw, 500);
  });
  return () => { off(); clearTimeout(frame); };
}

function nice(x) {
  const p = 10 ** Math.floor(Math.log10(x));
  const f = x / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}
