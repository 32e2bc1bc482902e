import { api } from './api.js';
import { h, s, clear, pct } from './dom.js';
import { energyTable, downloadEnergyCsv } from './energy.js';

const RANGES = { '1 day': 1, '7 days': 7, '30 days': 30 };
const FIELDS = [['oee', 'OEE'], ['availability', 'availability'], ['effectiveness', 'performance'], ['qualityRatio', 'quality'],
  ['scrapRatio', 'scrap ratio'], ['throughputRate', 'throughput /h'], ['utilizationEfficiency', 'utilization'], ['mtbf', 'MTBF s'], ['mttr', 'MTTR s'], ['energyPerGoodUnit', 'energy/good unit']];

// KPIs: a trend per period for one site, line or machine, a comparison of every line and site over the range, and
// both as CSV. Everything comes from GET /api/v1/kpis, so the figures are the report's (docs/kpis.md).
export function kpiPage(view, plant) {
  const scopes = [...plant.sites.map((x) => ['site', x.id, `site ${x.name}`]), ...plant.lines.map((x) => ['line', x.id, `line ${x.name}`]),
    ...[...plant.machines.values()].map((x) => ['machine', x.id, `machine ${x.name}`])];
  const st = { scope: scopes[0] ?? null, days: 7, period: 'day' };
  const trendBox = h('div', { class: 'chart', id: 'kpi-trend' });
  const trendTable = h('table', { class: 'grid', id: 'kpi-trend-table' });
  const compareBox = h('div', { class: 'panel' });
  const compareTable = h('table', { class: 'grid', id: 'kpi-compare' });
  const message = h('p', { class: 'message' });
  const energyBox = h('div', { class: 'panel', id: 'kpi-energy' });
  let trend = null, comparison = [], plot = null;

  clear(view).append(h('div', { class: 'kpis' },
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'scope ', h('select', { name: 'scope', onchange: (e) => { st.scope = scopes[Number(e.target.value)]; load(); } },
        scopes.map((sc, i) => h('option', { value: i }, sc[2])))),
      h('label', {}, 'range ', h('select', { name: 'range', onchange: (e) => { st.days = Number(e.target.value); load(); } },
        Object.entries(RANGES).map(([l, d]) => h('option', { value: d, selected: d === 7 }, l)))),
      h('label', {}, 'per ', h('select', { name: 'period', onchange: (e) => { st.period = e.target.value; load(); } },
        ['day', 'shift', 'week'].map((p) => h('option', { value: p }, p)))),
      h('button', { type: 'button', id: 'csv-trend', onclick: () => download('kpi-trend.csv', trendCsv()) }, 'Export trend CSV'),
      h('button', { type: 'button', id: 'csv-compare', onclick: () => download('kpi-comparison.csv', compareCsv()) }, 'Export comparison CSV')),
    message,
    h('h3', {}, 'Trend'), trendBox, trendTable,
    h('h3', {}, 'Lines and sites compared'), compareBox, compareTable,
    h('h3', {}, 'Energy ', h('button', { type: 'button', id: 'csv-energy', onclick: () => downloadEnergyCsv(energyQuery()).catch((e) => { message.textContent = e.message; }) }, 'Export energy CSV')),
    energyBox));

  const energyQuery = () => {
    const to = new Date(), from = new Date(to.getTime() - Math.min(st.days, 31) * 86400_000);
    return `${st.scope[0]}=${st.scope[1]}&from=${from.toISOString()}&to=${to.toISOString()}`;
  };

  async function load() {
    if (!st.scope) { message.textContent = 'This tenant has no sites yet.'; return; }
    const to = new Date(), from = new Date(to.getTime() - st.days * 86400_000);
    const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
    message.textContent = 'Loading…';
    try {
      trend = await api(`/api/v1/kpis?${st.scope[0]}=${st.scope[1]}&${q}&period=${st.period}`);
      comparison = await Promise.all([...plant.sites.map((x) => ['site', x]), ...plant.lines.map((x) => ['line', x])].map(async ([kind, x]) =>
        ({ kind, name: x.name, id: x.id, report: await api(`/api/v1/kpis?${kind}=${x.id}&${q}`) })));
      const used = await api(`/api/v1/energy?${energyQuery()}`);
      clear(energyBox).append(energyTable(used));
      message.textContent = '';
      draw();
    } catch (e) { message.textContent = e.message; }
  }

  function draw() {
    const periods = trend.periods;
    const data = [periods.map((p) => Date.parse(p.from) / 1000), ...FIELDS.slice(0, 4).map(([k]) => periods.map((p) => (p.kpis[k] === null ? null : p.kpis[k] * 100)))];
    plot?.destroy();
    clear(trendBox);
    plot = new window.uPlot({
      title: `${st.scope[2]}, per ${st.period} (%)`, width: Math.max(320, trendBox.clientWidth || 700), height: 240,
      scales: { x: { time: true }, y: { range: [0, 110] } },
      series: [{}, { label: 'OEE', stroke: '#f5f5f5', width: 2 }, { label: 'availability', stroke: '#2e9e44' }, { label: 'performance', stroke: '#3478c6' }, { label: 'quality', stroke: '#d9a400' }],
      axes: [{ stroke: '#aab' }, { stroke: '#aab' }],
    }, data, trendBox);
    trendBox.dataset.periods = String(periods.length);
    clear(trendTable).append(h('thead', {}, h('tr', {}, h('th', {}, 'period'), FIELDS.map(([, l]) => h('th', {}, l)))),
      h('tbody', {}, periods.map((p) => h('tr', {}, h('td', {}, p.label ?? new Date(p.from).toLocaleDateString()), FIELDS.map(([k]) => h('td', {}, cell(k, p.kpis[k])))))));
    clear(compareTable).append(h('thead', {}, h('tr', {}, h('th', {}, 'scope'), FIELDS.map(([, l]) => h('th', {}, l)))),
      h('tbody', {}, comparison.map((c) => h('tr', { 'data-scope': `${c.kind}-${c.id}` }, h('td', {}, `${c.kind} ${c.name}`), FIELDS.map(([k]) => h('td', {}, cell(k, c.report.periods[0].kpis[k])))))));
    clear(compareBox).append(compareBars());
  }

  function compareBars() {
    const W = 700, rowH = 22;
    const svg = s('svg', { viewBox: `0 0 ${W} ${comparison.length * rowH + 10}`, width: W, class: 'compare', role: 'img', 'aria-label': 'OEE by line and site' });
    comparison.forEach((c, i) => {
      const oee = c.report.periods[0].kpis.oee;
      svg.append(s('text', { x: 0, y: i * rowH + 15, class: 'bar-label-left' }, `${c.kind} ${c.name}`),
        s('rect', { x: 220, y: i * rowH + 4, width: Math.max(0, (oee ?? 0) * (W - 300)), height: rowH - 8, class: `bar ${c.kind}` }),
        s('text', { x: 225 + Math.max(0, (oee ?? 0) * (W - 300)), y: i * rowH + 15, class: 'bar-value-left' }, `OEE ${pct(oee)}`));
    });
    return svg;
  }

  function trendCsv() {
    const head = ['scope', 'period', 'from', 'to', ...FIELDS.map(([k]) => k), 'pbt_s', 'apt_s', 'produced', 'good', 'scrap'];
    const lines = trend.periods.map((p) => [st.scope[2], p.label ?? '', p.from, p.to, ...FIELDS.map(([k]) => p.kpis[k] ?? ''), p.inputs.pbt, p.inputs.apt, p.inputs.pq, p.inputs.gq, p.inputs.sq]);
    return csv([head, ...lines]);
  }

  function compareCsv() {
    const head = ['kind', 'id', 'name', 'from', 'to', ...FIELDS.map(([k]) => k)];
    return csv([head, ...comparison.map((c) => [c.kind, c.id, c.name, c.report.periods[0].from, c.report.periods[0].to, ...FIELDS.map(([k]) => c.report.periods[0].kpis[k] ?? '')])]);
  }

  load();
  return () => plot?.destroy();
}

function cell(key, v) {
  if (v === null || v === undefined) return '–';
  return ['oee', 'availability', 'effectiveness', 'qualityRatio', 'scrapRatio', 'utilizationEfficiency'].includes(key) ? pct(v) : v.toFixed(1);
}

/** RFC 4180: fields with a comma, quote or line break are quoted; a leading =+-@ is prefixed so a spreadsheet does not run it. */
function csv(rows) {
  const field = (v) => {
    let t = String(v);
    if (/^[=+\-@]/.test(t) && Number.isNaN(Number(t))) t = `'${t}`;
    return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
