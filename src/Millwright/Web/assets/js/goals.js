import { api } from './api.js';
import { h, s, clear, pct, fmt } from './dom.js';

// Goals: one tile per KPI the platform exists for, the current period against a baseline, from
// GET /api/v1/kpis/board (formulas in docs/kpis.md). Without chosen periods the server compares the first third of
// the tenant's stored history with its last third; the pickers show what it chose.
export function goalsPage(view) {
  const form = h('form', { class: 'filters', id: 'goal-periods', onsubmit: (e) => { e.preventDefault(); load(fromPickers()); } });
  const pickers = {};
  for (const [key, label] of [['baselineFrom', 'baseline from'], ['baselineTo', 'to'], ['currentFrom', 'current from'], ['currentTo', 'to']]) {
    pickers[key] = h('input', { type: 'datetime-local', name: key, step: 60, required: true });
    form.append(h('label', {}, `${label} `, pickers[key]));
  }
  form.append(h('button', { type: 'submit' }, 'Compare'),
    h('button', { type: 'button', id: 'goal-defaults', onclick: () => load('') }, 'Default periods'));
  const message = h('p', { class: 'message', id: 'goal-message' });
  const tiles = h('div', { class: 'goal-tiles', id: 'goal-tiles' });
  const note = h('p', { class: 'hint', id: 'goal-history' });
  clear(view).append(h('div', { class: 'goals' }, h('h2', {}, 'Goals'), form, message, note, tiles));
  let stopped = false;

  function fromPickers() {
    // datetime-local holds wall-clock time; the browser's zone turns it into an instant.
    return Object.entries(pickers).map(([k, input]) => `${k}=${encodeURIComponent(new Date(input.value).toISOString())}`).join('&');
  }

  async function load(query) {
    message.textContent = 'Loading…';
    try {
      const board = await api(`/api/v1/kpis/board${query ? `?${query}` : ''}`);
      if (stopped) return;
      message.textContent = '';
      show(board);
    } catch (e) { message.textContent = e.message; }
  }

  function show(board) {
    for (const [key, at] of [['baselineFrom', board.baseline.from], ['baselineTo', board.baseline.to], ['currentFrom', board.current.from], ['currentTo', board.current.to]]) {
      pickers[key].value = local(at);
    }
    note.textContent = board.history
      ? `Default periods are thirds of the stored history, ${span(board.history)} (at most its last 92 days). Sparklines: one point per ${duration(board.bucketSeconds)}.`
      : 'Nothing stored yet: no states, counts, stock movements or orders.';
    clear(tiles).append(...board.kpis.map((k) => tile(k, board)));
  }

  load('');
  return () => { stopped = true; };
}

function tile(k, board) {
  const empty = k.baseline === null && k.current === null;
  const change = k.changePercent === null ? '–' : `${k.changePercent > 0 ? '+' : ''}${k.changePercent.toFixed(1)}%`;
  return h('article', { class: 'goal', 'data-kpi': k.key, 'data-empty': empty },
    h('h3', {}, k.name),
    empty
      ? h('p', { class: 'nodata' }, 'no data yet')
      : [
        h('p', { class: 'now', title: `current period: ${span(board.current)}` }, value(k.current, k.unit)),
        h('p', { class: 'base', title: `baseline: ${span(board.baseline)}` }, 'baseline ', value(k.baseline, k.unit)),
        h('p', { class: 'change', 'data-improved': k.improved === null ? 'none' : String(k.improved), title: k.upIsGood ? 'higher is better' : 'lower is better' },
          change, k.upIsGood ? ' (↑ better)' : ' (↓ better)'),
      ],
    spark(k, board));
}

function value(v, unit) {
  if (v === null) return 'no data';
  if (unit === '1') return pct(v);
  if (unit === 'h') return `${fmt(v)} h`;
  if (unit === '1/year') return `${fmt(v)} /year`;
  if (unit === 'good units/h') return `${fmt(v)} /h`;
  return fmt(v);
}

// The sparkline as plain SVG: the baseline and current periods shaded, the line broken where a bucket has no value,
// recorded policy changes as dashed marks.
function spark(k, board) {
  const W = 220, H = 48, pad = 3;
  const points = k.sparkline;
  const t0 = Date.parse(points[0]?.from ?? board.baseline.from);
  const t1 = Math.max(Date.parse(board.baseline.to), Date.parse(board.current.to));
  const x = (t) => pad + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * pad);
  const values = points.map((p) => p.value).filter((v) => v !== null);
  const lo = Math.min(0, ...values), hi = Math.max(...values, lo + 1e-9);
  const y = (v) => H - pad - ((v - lo) / (hi - lo)) * (H - 2 * pad);
  const svg = s('svg', { class: 'spark', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `${k.name} per ${duration(board.bucketSeconds)}` });
  for (const [cls, p] of [['base-span', board.baseline], ['current-span', board.current]]) {
    svg.append(s('rect', { class: cls, x: x(Date.parse(p.from)), y: 0, width: Math.max(1, x(Date.parse(p.to)) - x(Date.parse(p.from))), height: H }));
  }
  let run = [];
  const flush = () => {
    if (run.length === 1) svg.append(s('circle', { class: 'dot', cx: run[0][0], cy: run[0][1], r: 1.5 }));
    else if (run.length > 1) svg.append(s('polyline', { class: 'line', points: run.map((p) => p.join(',')).join(' ') }));
    run = [];
  };
  const step = board.bucketSeconds * 1000;
  for (const p of points) {
    if (p.value === null) { flush(); continue; }
    // A point sits in the middle of its bucket.
    run.push([x(Date.parse(p.from) + step / 2).toFixed(1), y(p.value).toFixed(1)]);
  }
  flush();
  for (const c of board.policyChanges) {
    const cx = x(Date.parse(c.at));
    svg.append(s('line', { class: 'policy', x1: cx, x2: cx, y1: 0, y2: H }, s('title', {}, `${c.name}${c.description ? `: ${c.description}` : ''} (${new Date(c.at).toLocaleString()})`)));
  }
  return svg;
}

function local(iso) {
  const d = new Date(iso);
  const z = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return z.toISOString().slice(0, 16);
}

function span(p) {
  return `${new Date(p.from).toLocaleString()} – ${new Date(p.to).toLocaleString()}`;
}

function duration(seconds) {
  if (seconds % 86400 === 0) return seconds === 86400 ? 'day' : `${seconds / 86400} days`;
  return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
}
