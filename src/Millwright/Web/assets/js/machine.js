import { api } from './api.js';
import { h, clear, fmt, pct, stateLabel, hours } from './dom.js';
import { tagChart, columns, timeline, waterfall, pareto } from './charts.js';
import { riskPanel } from './risk.js';
import { sewingPanel } from './embroidery.js';
import { energyLine } from './energy.js';
import { linkPanel } from './machinelink.js';

const RANGES = { '1 h': 3600_000, '8 h': 8 * 3600_000, '24 h': 24 * 3600_000 };

// One machine: zoomable charts of its numeric tags (the chart query, live values appended while not zoomed) with the
// anomaly detector's band of expected values and marks at anomalies (GET .../anomalies/band), its
// state timeline, the OEE losses as a waterfall and a Pareto of its downtime reasons, all over the chosen range; and its
// link (connected, or retrying with the reason; OPC UA node statuses, the Modbus poller).
export function machinePage(view, plant, id) {
  const m = plant.machines.get(id);
  if (!m) {
    clear(view).append(h('p', { class: 'error' }, `Machine ${id} is not one of this tenant's machines.`));
    return () => {};
  }
  const type = plant.types.get(m.typeId);
  const numeric = (type?.tags ?? []).filter((t) => t.dataType === 'float' || t.dataType === 'int').slice(0, 8);
  let range = RANGES['1 h'];
  let zoomed = false;
  const charts = new Map();

  const state = h('span', { class: 'state-pill' });
  const values = h('tbody');
  const rangeButtons = h('span', { class: 'ranges' }, Object.entries(RANGES).map(([label, ms]) =>
    h('button', { type: 'button', onclick: () => { range = ms; zoomed = false; loadAll(); } }, label)),
  h('button', { type: 'button', id: 'live-again', onclick: () => { zoomed = false; loadAll(); } }, 'Back to live'));
  const chartBox = h('div', { class: 'charts' });
  const timelineBox = h('div', { class: 'panel' });
  const waterfallBox = h('div', { class: 'panel' });
  const paretoBox = h('div', { class: 'panel' });
  const kpiLine = h('p', { class: 'kpi-line' });
  const energy = h('p', { class: 'kpi-line', id: 'energy-line' });
  const riskBox = h('div', { class: 'panel', id: 'risk' });
  const link = linkPanel(id);
  clear(view).append(h('div', { class: 'machine', 'data-machine': id },
    h('h2', {}, m.name, ' ', state),
    h('p', { class: 'hint' }, `${type?.name ?? 'type ?'} · ${lineName(plant, m.lineId)}`, m.description ? ` · ${m.description}` : ''),
    rangeButtons,
    h('div', { class: 'columns' },
      h('div', {}, h('h3', {}, 'Tags'), chartBox, numeric.length ? null : h('p', { class: 'empty' }, 'This type has no numeric tags to chart.')),
      h('div', { class: 'side' }, h('h3', {}, 'Latest values'), h('table', { class: 'grid' }, values))),
    h('h3', {}, 'Link'), link.el,
    h('h3', {}, 'Energy'), energy,
    h('h3', {}, 'Failure risk and maintenance'), riskBox,
    h('h3', {}, 'State timeline'), timelineBox,
    h('div', { class: 'columns' },
      h('div', {}, h('h3', {}, 'OEE breakdown'), kpiLine, waterfallBox),
      h('div', {}, h('h3', {}, 'Downtime reasons (Pareto)'), paretoBox))));

  // An embroidery machine (it reports the needle's position) shows the design it sews with the needle on it.
  const sewing = (type?.tags ?? []).some((t) => t.name === 'needle_x') ? sewingPanel(id, plant) : null;
  if (sewing) view.querySelector('.machine').insertBefore(sewing.el, view.querySelector('.machine > .columns'));

  for (const tag of numeric) {
    const el = h('div', { class: 'chart', 'data-tag': tag.name });
    // The latest anomalies of the tag in the range, in words (the dots on the chart are where they are).
    const list = h('ul', { class: 'anomaly-list', 'data-tag': tag.name });
    chartBox.append(el, list);
    charts.set(tag.name, { tag, el, list, plot: null, data: [[], [], []] });
  }

  function writeHeader() {
    const st = plant.states.get(id);
    state.textContent = stateLabel(st?.state) + (st?.reason ? ` · ${st.reason}` : '');
    state.dataset.state = st?.state ?? 'unknown';
    clear(values);
    for (const [tag, v] of Object.entries(plant.values.get(id) ?? {}).sort()) {
      values.append(h('tr', {}, h('td', {}, tag), h('td', {}, fmt(v.value)), h('td', { class: 'ts' }, new Date(v.ts).toLocaleTimeString())));
    }
  }

  async function loadChart(c, from, to) {
    const span = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
    const tag = encodeURIComponent(c.tag.name);
    const [chart, band] = await Promise.all([
      api(`/api/v1/machines/${id}/series/${tag}/chart?${span}&points=600`).catch((e) => (e.status === 404 ? { points: [] } : Promise.reject(e))),
      api(`/api/v1/machines/${id}/anomalies/band?tag=${tag}&${span}`)]);
    c.data = columns(chart.points);
    if (!c.plot) c.plot = tagChart(c.el, c.tag.name, c.tag.unit, (f, t) => { zoomed = true; loadCharts(f, t); });
    c.plot.overlay.band = band.band.map((b) => ({ t: Date.parse(b.minute) / 1000, low: b.expectedLow, high: b.expectedHigh }));
    c.plot.overlay.marks = band.anomalies.map((a) => ({ t: Date.parse(a.at) / 1000, value: a.value }));
    c.el.dataset.band = String(band.band.length);
    c.el.dataset.anomalies = String(band.anomalies.length);
    clear(c.list).append(...band.anomalies.slice(-5).reverse().map((a) =>
      h('li', { 'data-anomaly': a.id, title: a.explanation }, `${new Date(a.at).toLocaleTimeString()} · ${a.cause} · ${fmt(a.value)} (expected ${fmt(a.expectedLow)}–${fmt(a.expectedHigh)})`)));
    // The axis shows the range asked for, not just where data happens to be (a quiet tag still spans the hour).
    c.plot.setData(c.data, false);
    c.plot.setScale('x', { min: from / 1000, max: to / 1000 });
    c.el.dataset.points = String(chart.points.length);
  }

  function loadCharts(from, to) {
    return Promise.all([...charts.values()].map((c) => loadChart(c, from, to)));
  }

  async function loadAll() {
    const to = Date.now(), from = to - range;
    const q = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
    await loadCharts(from, to);
    const [intervals, report, risk, used] = await Promise.all([api(`/api/v1/machines/${id}/states?${q}`), api(`/api/v1/kpis?machine=${id}&${q}`),
      api(`/api/v1/machines/${id}/risk`), api(`/api/v1/energy?machine=${id}&${q}`)]);
    energy.textContent = energyLine(used);
    clear(riskBox).append(riskPanel(risk, (body) => api(`/api/v1/machines/${id}/maintenance-records`, { method: 'POST', body }).then(loadAll)));
    clear(timelineBox).append(timeline(intervals, from, to));
    clear(paretoBox).append(pareto(intervals, from, to));
    const p = report.periods[0];
    kpiLine.textContent = `OEE ${pct(p.kpis.oee)} = availability ${pct(p.kpis.availability)} × performance ${pct(p.kpis.effectiveness)} × quality ${pct(p.kpis.qualityRatio)} · planned ${hours(p.inputs.pbt)}`;
    clear(waterfallBox).append(p.inputs.pbt > 0 ? waterfall(p.inputs, p.kpis) : h('p', { class: 'empty' }, 'No planned production time in this range.'));
  }

  function append(detail) {
    if (zoomed) return;
    const cutoff = (Date.now() - range) / 1000;
    for (const [tag, v] of Object.entries(detail.values)) {
      const c = charts.get(tag);
      if (!c?.plot || typeof v.value !== 'number') continue;
      const t = v.ts / 1000;
      const [xs, maxs, mins] = c.data;
      if (xs.length && t < xs[xs.length - 1]) continue;
      xs.push(t); maxs.push(v.value); mins.push(v.value);
      while (xs.length && xs[0] < cutoff) { xs.shift(); maxs.shift(); mins.shift(); }
      c.plot.setData(c.data, false);
      c.plot.setScale('x', { min: cutoff, max: Math.max(t, Date.now() / 1000) });
    }
  }

  writeHeader();
  loadAll().catch((e) => view.append(h('p', { class: 'error' }, e.message)));
  const onResize = () => { for (const c of charts.values()) c.plot?.setSize({ width: Math.max(320, c.el.clientWidth), height: 200 }); };
  window.addEventListener('resize', onResize);
  const off = plant.on((kind, detail) => {
    if (kind === 'values' && detail.machine === id) { writeHeader(); append(detail); sewing?.update(); }
    if (kind === 'states' && detail.includes(id)) writeHeader();
  });
  return () => { off(); link.stop(); sewing?.stop(); window.removeEventListener('resize', onResize); for (const c of charts.values()) c.plot?.destroy(); };
}

function lineName(plant, lineId) {
  const line = plant.lines.find((l) => l.id === lineId);
  const area = plant.areas.find((a) => a.id === line?.areaId);
  const site = plant.sites.find((x) => x.id === area?.siteId);
  return [site?.name, area?.name, line?.name].filter(Boolean).join(' · ');
}
