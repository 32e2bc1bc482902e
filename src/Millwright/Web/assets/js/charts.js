import { s, h, hours, STATE_COLOURS, stateLabel } from './dom.js';

/**
 * A uPlot time chart of one tag: the chart query's min and max per bucket, the band between them filled. Its
 * `overlay` ({ band: [{ t, low, high }], marks: [{ t, value }] }, seconds) is drawn over it: the anomaly detector's
 * expected range per minute as a green band and a red mark at each anomaly; the y axis widens to show both.
 */
export function tagChart(el, title, unit, onZoom) {
  const overlay = { band: [], marks: [] };
  const opts = {
    title: unit ? `${title} (${unit})` : title,
    width: Math.max(320, el.clientWidth || 600), height: 200,
    cursor: { drag: { x: true, y: false, setScale: false } },
    scales: { x: { time: true }, y: { range: (u, min, max) => yRange(min, max, overlay) } },
    series: [{}, { label: 'max', stroke: '#4f9cf9', width: 1 }, { label: 'min', stroke: '#4f9cf9', width: 1 }],
    bands: [{ series: [1, 2], fill: 'rgba(79,156,249,0.2)' }],
    axes: [{ stroke: '#aab' }, { stroke: '#aab' }],
    hooks: {
      draw: [(u) => drawOverlay(u, overlay)],
      // Drag to zoom: the chart asks the server again for the selected range, at full resolution for it.
      setSelect: [(u) => {
        if (u.select.width < 4) return;
        const from = u.posToVal(u.select.left, 'x'), to = u.posToVal(u.select.left + u.select.width, 'x');
        u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
        onZoom(from * 1000, to * 1000);
      }],
    },
  };
  const plot = new window.uPlot(opts, [[], [], []], el);
  plot.overlay = overlay;
  return plot;
}

function yRange(min, max, overlay) {
  let lo = min, hi = max;
  for (const b of overlay.band) {
    if (lo === null || b.low < lo) lo = b.low;
    if (hi === null || b.high > hi) hi = b.high;
  }
  if (lo === null || hi === null) return [0, 1];
  if (lo === hi) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

// Each minute's expected range is a step of the band (the detector's envelope for that minute, not a line between
// minutes); an anomaly is a red dot at its value.
function drawOverlay(u, overlay) {
  const ctx = u.ctx;
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  ctx.clip();
  ctx.fillStyle = 'rgba(46,158,68,0.18)';
  for (const b of overlay.band) {
    const x0 = u.valToPos(b.t, 'x', true), x1 = u.valToPos(b.t + 60, 'x', true);
    const top = u.valToPos(b.high, 'y', true), bottom = u.valToPos(b.low, 'y', true);
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), Math.max(1, bottom - top));
  }
  ctx.fillStyle = '#e5484d';
  const r = 4 * (window.devicePixelRatio || 1);
  for (const m of overlay.marks) {
    ctx.beginPath();
    ctx.arc(u.valToPos(m.t, 'x', true), u.valToPos(m.value, 'y', true), r, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}

/** Chart points [{ts, min, max}] as uPlot columns (seconds). */
export function columns(points) {
  return [points.map((p) => Date.parse(p.ts) / 1000), points.map((p) => p.max), points.map((p) => p.min)];
}

/** State intervals as one bar across [from, to). */
export function timeline(intervals, from, to) {
  const W = 900, H = 34;
  const x = (t) => ((t - from) / (to - from)) * W;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + 16}`, class: 'timeline', role: 'img', 'aria-label': 'state timeline' });
  for (const i of intervals) {
    const start = Math.max(from, Date.parse(i.start)), end = Math.min(to, i.end ? Date.parse(i.end) : to);
    if (end <= start) continue;
    svg.append(s('rect', { x: x(start), y: 0, width: Math.max(0.5, x(end) - x(start)), height: H, fill: STATE_COLOURS[i.state] ?? '#555', 'data-state': i.state },
      s('title', {}, `${stateLabel(i.state)}${i.reason ? ` (${i.reason})` : ''}: ${new Date(start).toLocaleString()} – ${i.end ? new Date(end).toLocaleString() : 'now'}`)));
  }
  for (let k = 0; k <= 4; k++) {
    const t = from + ((to - from) * k) / 4;
    svg.append(s('text', { x: Math.min(W - 60, x(t) + 2), y: H + 13, class: 'grid-label' }, new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
  }
  return svg;
}

/**
 * The OEE losses as a waterfall over the planned busy time: availability loss (PBT − APT), performance loss
 * (APT − ideal time), quality loss (the ideal time of the scrap), leaving the fully productive time (OEE × PBT).
 */
export function waterfall(inputs, kpis) {
  const pbt = inputs.pbt, apt = inputs.apt;
  const ideal = Math.min(inputs.idealTime, apt);
  const good = kpis.qualityRatio === null ? ideal : ideal * kpis.qualityRatio;
  const steps = [
    { label: 'planned busy', value: pbt, base: 0, kind: 'total' },
    { label: 'availability loss', value: pbt - apt, base: apt, kind: 'loss' },
    { label: 'performance loss', value: kpis.effectiveness === null ? 0 : apt - ideal, base: ideal, kind: 'loss' },
    { label: 'quality loss', value: ideal - good, base: good, kind: 'loss' },
    { label: 'fully productive', value: good, base: 0, kind: 'result' },
  ];
  return bars(steps, pbt, (st) => hours(st.value), 'OEE waterfall');
}

/** Downtime by reason, largest first, with the cumulative share as a line (Pareto). */
export function pareto(intervals, from, to) {
  const by = new Map();
  for (const i of intervals.filter((x) => x.state === 'down')) {
    const d = Math.min(to, i.end ? Date.parse(i.end) : to) - Math.max(from, Date.parse(i.start));
    if (d > 0) by.set(i.reason ?? 'no reason', (by.get(i.reason ?? 'no reason') ?? 0) + d / 1000);
  }
  const rows = [...by.entries()].sort((a, b) => b[1] - a[1]);
  if (!rows.length) return h('p', { class: 'empty' }, 'No downtime in this range.');
  const total = rows.reduce((a, r) => a + r[1], 0);
  const steps = rows.map(([label, value]) => ({ label, value, base: 0, kind: 'loss' }));
  const svg = bars(steps, rows[0][1], (st) => hours(st.value), 'downtime Pareto');
  let cumulative = 0;
  const pts = rows.map(([, v], i) => { cumulative += v; return [barX(i, rows.length) + BAR_W(rows.length) / 2, PLOT_TOP + PLOT_H * (1 - cumulative / total)]; });
  svg.append(s('polyline', { points: pts.map((p) => p.join(',')).join(' '), class: 'cumulative' }));
  for (const [i, p] of pts.entries()) svg.append(s('circle', { cx: p[0], cy: p[1], r: 3, class: 'cumulative-dot' }, s('title', {}, `${Math.round((100 * rows.slice(0, i + 1).reduce((a, r) => a + r[1], 0)) / total)}% cumulative`)));
  return svg;
}

const WIDTH = 600, PLOT_TOP = 20, PLOT_H = 170;
const BAR_W = (n) => Math.min(90, (WIDTH - 40) / n - 12);
const barX = (i, n) => 30 + i * ((WIDTH - 40) / n);

function bars(steps, max, label, name) {
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${PLOT_TOP + PLOT_H + 40}`, width: WIDTH, class: 'bars', role: 'img', 'aria-label': name });
  const y = (v) => PLOT_TOP + PLOT_H * (1 - (max > 0 ? v / max : 0));
  svg.append(s('line', { x1: 20, x2: WIDTH - 5, y1: y(0), y2: y(0), class: 'axis' }));
  steps.forEach((st, i) => {
    const top = y(st.base + st.value), bottom = y(st.base);
    svg.append(s('rect', { x: barX(i, steps.length), y: top, width: BAR_W(steps.length), height: Math.max(0, bottom - top), class: `bar ${st.kind}` }, s('title', {}, `${st.label}: ${label(st)}`)),
      s('text', { x: barX(i, steps.length) + BAR_W(steps.length) / 2, y: Math.max(12, top - 4), class: 'bar-value' }, label(st)),
      s('text', { x: barX(i, steps.length) + BAR_W(steps.length) / 2, y: PLOT_TOP + PLOT_H + 16, class: 'bar-label' }, st.label));
  });
  return svg;
}
