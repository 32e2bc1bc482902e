import { h, clear, pct, fmt, short, stateLabel, STATES } from './dom.js';
import { worstSeverity, sumKpis } from './plant.js';
import { riskLevel } from './risk.js';

// The big screen: every machine as a tile, grouped by site and line, with totals per line and site. Live values
// are written in batches, in an animation frame, for the machines that changed since the last batch.
export function bigScreen(view, plant) {
  const tiles = new Map();
  const groups = [];
  const dirty = new Map();
  let frame = 0;
  let lastFlush = 0;
  // Values are written at most five times a second, in an animation frame: each write costs the browser a paint of
  // the tiles on screen, so fewer, larger batches keep a screen of a thousand machines smooth (docs/benchmarks.md).
  const FLUSH_MS = 200;
  let timer = 0;
  const schedule = () => {
    if (timer || frame) return;
    timer = setTimeout(() => { timer = 0; frame = requestAnimationFrame(flush); }, Math.max(0, lastFlush + FLUSH_MS - performance.now()));
  };

  const release = plant.want('kpis', 'risks');
  const root = h('div', { class: 'screen', id: 'screen' });
  for (const site of plant.sites) {
    const siteTotals = h('div', { class: 'totals' });
    const siteBox = h('section', { class: 'site', 'data-site': site.id }, h('h2', {}, site.name, ' ', siteTotals));
    const siteMachines = [];
    for (const area of plant.areas.filter((a) => a.siteId === site.id)) {
      for (const line of plant.lines.filter((l) => l.areaId === area.id)) {
        const machines = [...plant.machines.values()].filter((m) => m.lineId === line.id);
        if (!machines.length) continue;
        const lineTotals = h('span', { class: 'totals' });
        const grid = h('div', { class: 'tiles' });
        siteBox.append(h('div', { class: 'line', 'data-line': line.id }, h('h3', {}, `${area.name} · ${line.name} `, lineTotals), grid));
        for (const m of machines) grid.append(tile(m));
        groups.push({ el: lineTotals, ids: machines.map((m) => m.id) });
        siteMachines.push(...machines.map((m) => m.id));
      }
    }
    groups.push({ el: siteTotals, ids: siteMachines });
    root.append(siteBox);
  }
  if (!plant.machines.size) root.append(h('p', { class: 'empty' }, 'This tenant has no machines yet.'));
  clear(view).append(root);

  function tile(m) {
    const tag = plant.headlineTag(m.id);
    const el = {
      root: h('a', { class: 'tile', href: `#/machine/${m.id}`, 'data-machine': m.id, 'data-state': 'unknown' }),
      name: m.name,
      state: h('span', { class: 'state' }),
      value: h('span', { class: 'value' }),
      oee: h('span', { class: 'oee' }),
      risk: h('span', { class: 'risk-badge' }),
      badge: h('span', { class: 'badge', hidden: true }),
      tag,
    };
    el.root.append(h('span', { class: 'name' }, short(m.name, 14)), el.badge, el.state, el.value, el.oee, el.risk);
    tiles.set(m.id, el);
    writeState(m.id); writeAlarms(m.id); writeKpi(m.id); writeRisk(m.id); writeValue(m.id);
    return el.root;
  }

  function writeState(id) {
    const el = tiles.get(id);
    const st = plant.states.get(id);
    const state = st?.state ?? 'unknown';
    el.root.dataset.state = state;
    const text = stateLabel(st?.state) + (state === 'down' && st?.reason ? ` · ${st.reason}` : '');
    el.state.textContent = short(text, 20);
    el.root.title = `${el.name}: ${text}`;
  }

  function writeAlarms(id) {
    const el = tiles.get(id);
    const active = plant.activeAlarms(id);
    el.badge.hidden = active.length === 0;
    el.badge.textContent = active.length ? `⚠ ${active.length}` : '';
    el.badge.dataset.severity = worstSeverity(active) ?? '';
    el.badge.title = active.map((a) => a.message).join('\n');
  }

  function writeKpi(id) {
    tiles.get(id).oee.textContent = `OEE 8h ${pct(plant.kpis.get(id)?.kpis.oee)}`;
  }

  // Only a notable risk (10 % or more of failing within a day) is shown: a wall of low percentages would hide it.
  function writeRisk(id) {
    const el = tiles.get(id);
    const risk = plant.risks.get(id);
    const level = riskLevel(risk);
    const notable = level === 'high' || level === 'raised';
    el.risk.dataset.risk = notable ? level : '';
    // Whole percents keep the badge inside the tile (its size is fixed); the tooltip has the figures and the reason.
    el.risk.textContent = notable ? `8h ${Math.round(risk.nextShift * 100)}% · 24h ${Math.round(risk.nextDay * 100)}%` : '';
    el.risk.title = notable ? `Failure risk: next shift ${pct(risk.nextShift)}, next day ${pct(risk.nextDay)}. ${risk.explanation}` : '';
  }

  function writeValue(id) {
    const el = tiles.get(id);
    if (!el.tag) return null;
    const v = plant.values.get(id)?.[el.tag.name];
    el.value.textContent = v ? short(`${el.tag.name} ${fmt(v.value)}${el.tag.unit ? ` ${el.tag.unit}` : ''}`, 20) : '';
    return v?.ts ?? null;
  }

  function writeTotals() {
    for (const g of groups) {
      const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
      let alarms = 0;
      for (const id of g.ids) {
        const st = plant.states.get(id)?.state;
        if (st) counts[st]++;
        alarms += plant.activeAlarms(id).length;
      }
      const oee = sumKpis(g.ids.map((id) => plant.kpis.get(id))).oee;
      clear(g.el).append(...[
        h('span', { class: 'count running' }, `${counts.running}/${g.ids.length} running`),
        counts.down ? h('span', { class: 'count down' }, `${counts.down} down`) : null,
        alarms ? h('span', { class: 'count alarm' }, `${alarms} alarms`) : null,
        h('span', { class: 'count', title: 'OEE of the last 8 hours' }, `OEE 8h ${pct(oee)}`)].filter(Boolean));
    }
  }

  function flush(t) {
    frame = 0;
    lastFlush = t;
    const now = Date.now();
    for (const [id, ts] of dirty) {
      if (!tiles.has(id)) continue;
      const written = writeValue(id);
      // Lag: the reading's own time (the sender's clock, same host in the benchmark) until its tile was written.
      if (written !== null && written >= ts) plant.recordLag(now - ts);
    }
    dirty.clear();
  }

  const off = plant.on((kind, detail) => {
    if (kind === 'values') {
      if (!tiles.get(detail.machine)?.tag || !(tiles.get(detail.machine).tag.name in detail.values)) return;
      const ts = detail.values[tiles.get(detail.machine).tag.name].ts;
      if (detail.snapshot) { writeValue(detail.machine); return; }
      dirty.set(detail.machine, Math.max(ts, dirty.get(detail.machine) ?? 0));
      schedule();
    } else if (kind === 'states') {
      for (const id of detail) if (tiles.has(id)) writeState(id);
      writeTotals();
    } else if (kind === 'alarms') {
      for (const id of detail) if (tiles.has(id)) writeAlarms(id);
      writeTotals();
    } else if (kind === 'risks') {
      for (const id of tiles.keys()) writeRisk(id);
    } else if (kind === 'kpis') {
      for (const id of tiles.keys()) writeKpi(id);
      writeTotals();
    }
  });
  writeTotals();
  return () => { off(); release(); clearTimeout(timer); cancelAnimationFrame(frame); };
}
