import { s, short } from './dom.js';

// The schedule as a Gantt chart, plain SVG: a row per machine, a time axis with a "now" line, and per job its
// planned bar (plannedStart → plannedEnd, light with an outline) and its actual bar (startedAt → endedAt, or
// now while it runs, filled), both in its order's colour. Late and unplannable work is outlined in red. A run cut
// short (a breakdown, a cancellation) stays on the machine where it ran, faded with a dashed red outline.
const LABEL = 150, ROW = 34, AXIS = 26, PAD = 10, FOOT = 16;
const STEPS = [60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000, 3600_000, 2 * 3600_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000, 86400_000];
// Twelve hues that stay apart on the dark background; an order keeps its colour across refreshes (id based).
const PALETTE = ['#4f9cf9', '#f59e0b', '#10b981', '#e879f9', '#f97316', '#22d3ee', '#a3e635', '#fb7185', '#a78bfa', '#facc15', '#2dd4bf', '#f472b6'];

export function orderColour(orderId) {
  return PALETTE[orderId % PALETTE.length];
}

/**
 * Draws the chart for the window [from, to) (ms). orders: Map id → order (for late and problem flags), selected:
 * { orderId, jobId } picked (that job, or every job of the order when jobId is null), onPick(job): called when a bar is clicked.
 */
export function ganttChart(schedule, { from, to, width, orders, selected, onPick }) {
  const now = Date.parse(schedule.now);
  const W = Math.max(600, width);
  const plotW = W - LABEL - PAD;
  const x = (t) => LABEL + ((t - from) / (to - from)) * plotW;
  const clampX = (t) => Math.min(LABEL + plotW, Math.max(LABEL, x(t)));
  const machines = schedule.machines;
  const H = AXIS + Math.max(1, machines.length) * ROW + FOOT;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, class: 'gantt', role: 'img', 'aria-label': 'production schedule per machine',
    'data-from': new Date(from).toISOString(), 'data-to': new Date(to).toISOString() });
  const clip = `gantt-plot-${Math.random().toString(36).slice(2)}`;
  svg.append(s('defs', {}, s('clipPath', { id: clip }, s('rect', { x: LABEL, y: 0, width: plotW, height: H }))));

  svg.append(axis(from, to, x, H, LABEL + plotW));
  const rows = new Map();
  machines.forEach((m, i) => {
    const y = AXIS + i * ROW;
    const g = s('g', { class: 'gantt-row', 'data-machine': m.id });
    g.append(s('rect', { x: 0, y, width: W, height: ROW, class: i % 2 ? 'row-band odd' : 'row-band' }),
      s('text', { x: 8, y: y + ROW / 2 + 4, class: 'row-label' }, s('title', {}, `${m.name}: ${m.capabilities.join(', ') || 'no capabilities'}`), short(m.name, 20)));
    const bars = s('g', { 'clip-path': `url(#${clip})` });
    g.append(bars);
    svg.append(g);
    rows.set(m.id, { y, bars });
  });
  if (!machines.length) svg.append(s('text', { x: LABEL, y: AXIS + ROW / 2 + 4, class: 'row-label' }, 'No machine has capabilities yet (PUT /api/v1/machines/{id}/capabilities).'));

  for (const job of schedule.jobs) {
    const row = rows.get(job.machineId);
    if (!row) continue;
    const order = orders.get(job.orderId);
    const colour = orderColour(job.orderId);
    const flags = jobFlags(job, order, now);
    const cls = ['job', job.status, ...flags, isPicked(job, selected) ? 'selected' : ''].filter(Boolean).join(' ');
    const g = s('g', { class: cls, 'data-job': job.id, 'data-order': job.orderId, tabindex: 0, onclick: () => onPick(job),
      onkeydown: (e) => { if (e.key === 'Enter') onPick(job); } });
    g.append(s('title', {}, tooltip(job, order, flags)));
    if (job.plannedStart && job.plannedEnd) {
      const a = Date.parse(job.plannedStart), b = Date.parse(job.plannedEnd);
      if (b > from && a < to) {
        g.append(s('rect', { x: clampX(a), y: row.y + 4, width: Math.max(2, clampX(b) - clampX(a)), height: ROW - 8, rx: 3,
          class: 'bar planned', fill: colour, stroke: colour }));
      }
    }
    if (job.startedAt) {
      const a = Date.parse(job.startedAt), b = job.endedAt ? Date.parse(job.endedAt) : now;
      if (b > from && a < to) {
        g.append(s('rect', { x: clampX(a), y: row.y + 11, width: Math.max(2, clampX(b) - clampX(a)), height: ROW - 22, rx: 2,
          class: 'bar actual', fill: colour }));
      }
    }
    const label = barLabel(job, x, from, to);
    if (label) g.append(s('text', { x: label.x, y: row.y + ROW - 6, class: 'bar-text' }, label.text));
    if (g.childElementCount > 1) row.bars.append(g);
  }

  for (const run of schedule.runs ?? []) {
    const row = rows.get(run.machineId);
    const a = Date.parse(run.startedAt), b = Date.parse(run.endedAt);
    if (!row || b <= from || a >= to) continue;
    const job = schedule.jobs.find((j) => j.id === run.jobId);
    const g = s('g', { class: 'run', 'data-job': run.jobId, 'data-order': run.orderId, onclick: () => job && onPick(job) });
    g.append(s('title', {}, `${run.order} · ${run.operation} on ${run.machine ?? '?'}: ${clock(run.startedAt)}–${clock(run.endedAt)}, ${run.good} good${run.scrap ? `, ${run.scrap} scrap` : ''}\nended early: ${run.reason}`),
      s('rect', { x: clampX(a), y: row.y + 11, width: Math.max(2, clampX(b) - clampX(a)), height: ROW - 22, rx: 2,
        class: 'bar actual ended', fill: orderColour(run.orderId) }));
    row.bars.append(g);
  }

  if (now >= from && now <= to) {
    // Labelled below the rows, where no tick label is.
    svg.append(s('line', { x1: x(now), y1: AXIS - 4, x2: x(now), y2: H - 4, class: 'now-line' }),
      s('text', { x: x(now) + 3, y: H - 4, class: 'now-label' }, 'now'));
  }
  return svg;
}

function isPicked(job, selected) {
  return !!selected && (selected.jobId ? job.id === selected.jobId : job.orderId === selected.orderId);
}

/** Why a job is marked: its order is late (finished or expected past due), it ran past its committed end, or its order cannot be planned. */
export function jobFlags(job, order, now) {
  const flags = [];
  const end = job.endedAt ? Date.parse(job.endedAt) : job.status === 'running' ? now : null;
  const overran = job.committedEnd && end !== null && end > Date.parse(job.committedEnd);
  if (order?.late || overran) flags.push('late');
  if (order?.problem) flags.push('problem');
  return flags;
}

const clock = (v) => (v ? new Date(v).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '–');

function tooltip(job, order, flags) {
  const t = clock;
  return [
    `${job.order} · ${job.operation} on ${job.machine ?? '?'} (${job.status})`,
    `program ${job.program || '–'}${job.plannedSetupSeconds != null ? ` · setup ${Math.round(job.plannedSetupSeconds / 60)} min` : ''} · ${job.good}/${job.quantity} good${job.scrap ? `, ${job.scrap} scrap` : ''}`,
    `planned ${t(job.plannedStart)}–${t(job.plannedEnd)} · actual ${t(job.startedAt)}–${job.endedAt ? t(job.endedAt) : job.startedAt ? 'now' : '–'}`,
    flags.includes('late') ? (order?.late ? `order late: due ${t(order.dueAt)}, ETA ${t(order.eta)}` : 'ran past its committed end') : '',
    order?.problem ? `problem: ${order.problem}` : '',
    job.note ? `note: ${job.note}` : '',
  ].filter(Boolean).join('\n');
}

/** The order number inside the bar when the bar is wide enough to hold it. */
function barLabel(job, x, from, to) {
  const a = Date.parse(job.startedAt ?? job.plannedStart ?? 0), b = Date.parse(job.endedAt ?? job.plannedEnd ?? 0);
  if (!a || !b || b <= from || a >= to) return null;
  const left = x(Math.max(a, from)), right = x(Math.min(b, to));
  const text = `${job.order} ${job.operation}`;
  const room = Math.floor((right - left - 8) / 6.5);
  if (room < 4) return null;
  return { x: left + 4, text: short(text, room) };
}

function axis(from, to, x, H, right) {
  const g = s('g', { class: 'gantt-axis' });
  const span = to - from;
  const step = STEPS.find((st) => span / st <= 12) ?? STEPS[STEPS.length - 1];
  // Ticks on round local times: offset by the zone so that hours and days fall where a clock shows them.
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const first = Math.ceil((from - offset) / step) * step + offset;
  for (let t = first; t < to; t += step) {
    const d = new Date(t);
    const midnight = d.getHours() === 0 && d.getMinutes() === 0;
    const text = step >= 86400_000 || midnight ? d.toLocaleDateString([], { month: 'short', day: 'numeric' }) : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    g.append(s('line', { x1: x(t), y1: AXIS - 4, x2: x(t), y2: H - FOOT, class: midnight ? 'tick day' : 'tick' }));
    // A label centred on a tick near the right edge would be cut off: that tick goes unlabelled.
    if (x(t) < right - 30) g.append(s('text', { x: x(t), y: AXIS - 10, class: 'tick-label' }, text));
  }
  return g;
}
