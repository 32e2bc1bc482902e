import { api, listAll } from './api.js';
import { h, clear, pct } from './dom.js';
import { ganttChart, jobFlags } from './gantt.js';
import { orderList, ORDER_FILTERS, when, statusLabel, counted } from './orders.js';

const BACK = 2 * 3600_000, AHEAD = 8 * 3600_000, REFRESH_MS = 5000;
const MIN_SPAN = 15 * 60_000, MAX_SPAN = 14 * 86400_000;
const KPI_RANGES = { '24 h': 1, '7 days': 7, '30 days': 30 };

// Production: KPI tiles, the schedule as a Gantt chart (plan against actual per machine), the details of the order
// picked in the chart or the list, and the order list. Everything comes from the production REST API
// (docs/production.md), read again every few seconds and soon after a machine changes state (a breakdown moves
// work). The window follows the clock (2 h back, 8 h ahead) until it is zoomed or panned.
export function productionPage(view, plant) {
  const st = { site: '', filter: 'open', follow: true, span: BACK + AHEAD, from: 0, to: 0, kpiDays: 1, selected: null };
  const message = h('p', { class: 'message', role: 'status' });
  const tiles = h('div', { class: 'kpi-tiles', id: 'production-kpis' });
  const ganttBox = h('div', { class: 'panel gantt-box', id: 'gantt' });
  const range = h('span', { class: 'window-label' });
  const details = h('div', { class: 'panel details', id: 'order-details', hidden: true });
  const list = orderList({ message, onPick: (id) => pick(id, null), onChanged: () => refresh() });
  const replan = h('button', { type: 'button', id: 'replan', onclick: () => replanNow() }, 'Re-plan now');
  const select = (name, options, labels, onchange) => h('select', { name, onchange: (e) => onchange(e.target.value) },
    options.map((o, i) => h('option', { value: o }, labels[i])));

  clear(view).append(h('div', { class: 'production' },
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'site ', select('site', ['', ...plant.sites.map((x) => String(x.id))], ['all', ...plant.sites.map((x) => x.name)], (v) => { st.site = v; refresh(); })),
      h('label', {}, 'KPIs over ', select('kpi-range', Object.values(KPI_RANGES).map(String), Object.keys(KPI_RANGES), (v) => { st.kpiDays = Number(v); refresh(); })),
      replan),
    message, tiles,
    h('h3', {}, 'Schedule'),
    h('div', { class: 'ranges gantt-controls' },
      h('button', { type: 'button', id: 'pan-back', title: 'earlier', onclick: () => pan(-0.5) }, '◀'),
      h('button', { type: 'button', id: 'pan-ahead', title: 'later', onclick: () => pan(0.5) }, '▶'),
      h('button', { type: 'button', id: 'zoom-in', title: 'shorter window', onclick: () => zoom(0.5) }, '+'),
      h('button', { type: 'button', id: 'zoom-out', title: 'longer window', onclick: () => zoom(2) }, '−'),
      h('button', { type: 'button', id: 'gantt-now', onclick: () => { st.follow = true; st.span = BACK + AHEAD; refresh(); } }, 'Now'),
      range),
    h('p', { class: 'hint' }, 'Light bars: the plan. Filled bars: what ran (to now while running). Red outline: late; dashed: the order cannot be planned. Click a bar for its order.'),
    ganttBox, details,
    h('h3', {}, 'Orders ', h('label', { class: 'inline-filter' }, 'status ',
      select('status', ORDER_FILTERS, ORDER_FILTERS.map(statusLabel), (v) => { st.filter = v; refresh(); }))),
    list.el));

  let timer = 0, soon = 0, stopped = false, schedule = null, orders = new Map(), running = null;

  function windowNow() {
    if (st.follow) {
      st.from = Date.now() - Math.round(st.span * (BACK / (BACK + AHEAD)));
      st.to = st.from + st.span;
    }
  }

  function pan(share) {
    windowNow();
    st.follow = false;
    st.from += st.span * share;
    st.to += st.span * share;
    refresh();
  }

  function zoom(factor) {
    windowNow();
    const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, st.span * factor));
    const centre = (st.from + st.to) / 2;
    st.span = span;
    if (!st.follow) { st.from = centre - span / 2; st.to = centre + span / 2; }
    refresh();
  }

  const may = () => plant.welcome?.role !== 'viewer';
  const siteQ = () => (st.site ? `&siteId=${st.site}` : '');

  /** Reads everything again; a call while one runs waits for it and then runs once more (never two at once). */
  function refresh() {
    clearTimeout(timer);
    if (running) { running.again = true; return running.done; }
    running = { again: false };
    running.done = (async () => {
      do {
        running.again = false;
        await load().catch((e) => { message.textContent = e.message; });
      } while (running.again && !stopped);
      running = null;
      if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
    })();
    return running.done;
  }

  async function load() {
    windowNow();
    const iso = (t) => new Date(t).toISOString();
    const kpiTo = Date.now(), kpiFrom = kpiTo - st.kpiDays * 86400_000;
    // "open": every order not finished, planned ones too (they wait for a release).
    const open = () => Promise.all(['planned', 'released', 'in_progress'].map((x) => listAll(`/api/v1/orders?status=${x}${siteQ()}`))).then((r) => r.flat());
    const listed = () => (st.filter === 'open' ? null : listAll(`/api/v1/orders?${st.filter === 'all' ? '' : `status=${st.filter}`}${siteQ()}`));
    const [sched, kpis, openOrders, shown] = await Promise.all([
      api(`/api/v1/schedule?from=${iso(st.from)}&to=${iso(st.to)}${siteQ()}`),
      api(`/api/v1/production/kpis?from=${iso(kpiFrom)}&to=${iso(kpiTo)}${siteQ()}`),
      open(), listed()]);
    if (stopped) return;
    schedule = sched;
    orders = new Map([...openOrders, ...(shown ?? [])].map((o) => [o.id, o]));
    drawTiles(kpis);
    drawGantt();
    const rows = (shown ?? openOrders).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.id - b.id);
    if (!list.busy()) list.render(rows, may());
    replan.hidden = !may();
    if (st.selected) await showDetails();
  }

  function drawTiles(k) {
    const hoursOf = (v) => (v === null || v === undefined ? '–' : `${v.toFixed(1)} h`);
    const tile = (key, label, value, sub) => h('div', { class: 'kpi-tile', 'data-kpi': key },
      h('span', { class: 'label' }, label), h('strong', { class: 'value' }, value), h('span', { class: 'sub' }, sub));
    const over = Object.keys(KPI_RANGES).find((l) => KPI_RANGES[l] === st.kpiDays);
    clear(tiles).append(
      tile('lead-time', 'Lead time', hoursOf(k.leadTimeHours), `release → done, mean of ${k.ordersCompleted} orders (${over}); max ${hoursOf(k.maxLeadTimeHours)}`),
      tile('on-time', 'On-time delivery', pct(k.onTimeDelivery), `of ${k.ordersCompleted} orders completed (${over})`),
      tile('wip', 'Work in progress', `${k.ordersInProgress} orders`, `${k.unitsInProgress} units to make · ${k.jobsRunning} jobs on machines`),
      tile('adherence', 'Schedule adherence', pct(k.scheduleAdherence), `of ${k.jobsCompleted} jobs done by their committed end (${over})`));
  }

  function drawGantt() {
    if (!schedule) return;
    const from = Date.parse(schedule.from), to = Date.parse(schedule.to);
    range.textContent = `${when(schedule.from)} – ${when(schedule.to)}${st.follow ? ' (following now)' : ''}`;
    const svg = ganttChart(schedule, { from, to, width: ganttBox.clientWidth - 16 || 1200, orders, selected: st.selected,
      onPick: (job) => pick(job.orderId, job.id) });
    svg.dataset.jobs = String(schedule.jobs.length);
    clear(ganttBox).append(svg);
  }

  async function pick(orderId, jobId) {
    st.selected = { orderId, jobId };
    drawGantt();
    await showDetails().catch((e) => { message.textContent = e.message; });
  }

  async function showDetails() {
    const o = await api(`/api/v1/orders/${st.selected.orderId}`);
    if (stopped || st.selected?.orderId !== o.id) return;
    const now = schedule ? Date.parse(schedule.now) : Date.now();
    const t = (v) => (v ? when(v) : '–');
    details.hidden = false;
    details.dataset.order = String(o.id);
    clear(details).append(
      h('div', { class: 'details-head' },
        h('h3', {}, `Order ${o.number} `, h('span', { class: 'order-status' }, statusLabel(o.status)), o.late ? h('span', { class: 'late-flag' }, 'late') : null),
        h('button', { type: 'button', class: 'close', onclick: () => { st.selected = null; details.hidden = true; drawGantt(); } }, 'Close')),
      h('p', {}, `${o.customer} · ${o.quantity} × ${o.item}${counted(o)} · due ${t(o.dueAt)} · ETA ${o.status === 'completed' ? `done ${t(o.completedAt)}` : t(o.eta)}`),
      h('p', { class: 'error', hidden: !o.problem }, o.problem ? `Problem: ${o.problem}` : ''),
      h('table', { class: 'grid jobs' },
        h('thead', {}, h('tr', {}, ['operation', 'capability', 'program', 'machine', 'status', 'planned', 'actual', 'good / quantity', 'scrap', 'note'].map((x) => h('th', {}, x)))),
        h('tbody', {}, (o.jobs ?? []).map((j) => h('tr', { 'data-job': j.id, class: [j.id === st.selected.jobId ? 'selected' : '', ...jobFlags(j, o, now)].join(' ').trim() || null },
          h('td', {}, j.operation), h('td', {}, j.capability), h('td', {}, j.program || '–'), h('td', {}, j.machine ?? '–'), h('td', {}, j.status),
          h('td', {}, `${t(j.plannedStart)} – ${t(j.plannedEnd)}`),
          h('td', {}, j.startedAt ? `${t(j.startedAt)} – ${j.endedAt ? t(j.endedAt) : 'now'}` : '–'),
          h('td', { class: 'num' }, `${j.good} / ${j.quantity}`), h('td', { class: 'num' }, String(j.scrap)), h('td', {}, j.note ?? ''))))));
  }

  async function replanNow() {
    try {
      await api('/api/v1/schedule/replan', { method: 'POST' });
      message.textContent = 'The planner plans the open orders again now.';
    } catch (e) { message.textContent = `Re-plan: ${e.message}`; }
    refreshSoon(1000);
  }

  /** One refresh after ms, however many events ask for it meanwhile (a large plant changes states all the time). */
  function refreshSoon(ms) {
    if (!soon) soon = setTimeout(() => { soon = 0; refresh(); }, ms);
  }

  refresh();
  const onResize = () => drawGantt();
  window.addEventListener('resize', onResize);
  const off = plant.on((kind) => {
    // A machine going down or coming back makes the planner move work; read the schedule again shortly after.
    if (kind === 'states') refreshSoon(1500);
    if (kind === 'welcome') refresh();
  });
  return () => { stopped = true; clearTimeout(timer); clearTimeout(soon); off(); window.removeEventListener('resize', onResize); };
}
