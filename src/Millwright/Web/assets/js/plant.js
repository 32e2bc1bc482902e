import { api, listAll } from './api.js';
import { Live } from './live.js';

// The tenant's plant as the screens see it: the registry (loaded once), live tag values, state changes and alarm
// transitions (pushed over the WebSocket; states and alarms are also read over REST every few seconds as a
// fallback and for the alarms' full records), and, while a screen draws them, each machine's OEE and failure risk
// (polled every minute). At a fleet's size (100,000 machines) every poll is a large read on the server that shares
// its cores with ingest, so nothing is read that no screen on the page shows.
export const OEE_WINDOW_MS = 8 * 3600_000;

export class Plant {
  constructor(key) {
    this.key = key;
    this.sites = []; this.areas = []; this.lines = []; this.types = new Map(); this.machines = new Map();
    this.states = new Map(); this.alarms = []; this.alarmsByMachine = new Map(); this.kpis = new Map(); this.risks = new Map();
    this.values = new Map();
    this.listeners = new Set();
    // The one pending timer of each poll (a wall screen runs for weeks: one entry per poll, never one per tick).
    this.pending = new Map();
    // The polls whose loop runs (reading, or waiting for its next turn), so one poll never runs two loops.
    this.polling = new Set();
    // What the open screens draw beyond states and alarms ('kpis', 'risks'), counted per screen that wants it.
    this.wanted = new Map();
    // Figures the benchmark reads: update lag (reading's ts → tile written), change messages, frames.
    this.stats = { changes: 0, lags: [], lastLag: null };
    this.link = 'connecting';
  }

  on(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  emit(kind, detail) { for (const fn of this.listeners) fn(kind, detail); }

  async load() {
    const [sites, areas, lines, types, machines] = await Promise.all([
      listAll('/api/v1/sites'), listAll('/api/v1/areas'), listAll('/api/v1/lines'), listAll('/api/v1/machine-types'), listAll('/api/v1/machines'),
    ]);
    this.sites = sites; this.areas = areas; this.lines = lines;
    this.types = new Map(types.map((t) => [t.id, t]));
    this.machines = new Map(machines.map((m) => [m.id, m]));
    const areaOf = new Map(areas.map((a) => [a.id, a]));
    this.lineSite = new Map(lines.map((l) => [l.id, areaOf.get(l.areaId)?.siteId]));
    this.emit('registry');
  }

  start() {
    this.live = new Live(this.key, {
      onWelcome: (w) => { this.welcome = w; this.emit('welcome', w); },
      onLink: (state) => {
        // Back up after a break: the state changes made meanwhile were not pushed.
        if (state === 'down' || state === 'refused') this.broken = true;
        else if (state === 'up' && this.broken) { this.broken = false; this.pollStates().catch((e) => this.emit('error', e)); }
        this.link = state; this.emit('link', state);
      },
      onValues: (machine, values, snapshot) => this.applyValues(machine, values, snapshot),
      onState: (st) => this.applyState(st),
      onAlarm: (event) => this.applyAlarm(event),
      onLost: () => Promise.all([this.pollStates(), this.pollAlarms()]).catch((e) => this.emit('error', e)),
      onPositions: (columns) => this.emit('positions', columns),
      onPositionsLost: () => this.emit('positionsLost'),
    });
    this.live.start(this.sites.map((s) => s.id));
    // States and alarm transitions are pushed on the feed; the polls are the fallback (a feed that is down or does
    // not cover every machine) and what fills in the alarms' full records (who acknowledged, when it was raised).
    // While the feed pushes every machine's state changes, the states poll is only a slow safety net: the feed says
    // when it dropped events (eventsLost), and a reconnect reads the states at once.
    this.poll(() => this.pollStates(), () => (this.statesPushed() ? 60_000 : 5000));
    this.poll(() => this.pollAlarms(), () => 2000);
    for (const [kind, n] of this.wanted) if (n > 0) this.pollWanted(kind);
  }

  pollWanted(kind) {
    this.poll(kind === 'kpis' ? () => this.pollKpis() : () => this.pollRisks(), () => 60_000, kind);
  }

  /** True while the feed is up and its state events cover every machine (the sites' subscription fits the feed's
   *  limit of machines per connection, or the fleet's positions are watched, which carry every state change). */
  statesPushed() {
    if (this.link !== 'up') return false;
    return this.live?.positions || this.machines.size <= (this.welcome?.maxMachines ?? 0);
  }

  /** A screen draws OEE ('kpis') or failure risk ('risks'): polled every minute while some screen wants it. Returns
   *  the release to call when the screen is left. */
  want(...kinds) {
    for (const kind of kinds) {
      const n = this.wanted.get(kind) ?? 0;
      this.wanted.set(kind, n + 1);
      if (n === 0 && this.live) this.pollWanted(kind);
    }
    return () => {
      for (const kind of kinds) {
        const n = (this.wanted.get(kind) ?? 1) - 1;
        this.wanted.set(kind, n);
        if (n === 0) this.unpoll(kind);
      }
    };
  }

  /** The fleet's moves as 'positions' events (columns: ids, latitude, longitude, ts), while a screen wants them. */
  watchPositions(on) { this.live?.watchPositions(on); }

  stop() {
    this.stopped = true;
    this.live?.stop();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    clearTimeout(this.alarmRefresh);
  }

  /** Runs fn now and again period() ms after it finished (never two at once, so a slow server is not piled on).
   *  A wanted poll ('kpis', 'risks') stops once no screen wants it, and a want while its read is in flight lets that
   *  read's loop go on instead of starting a second one. */
  poll(fn, period, name = fn) {
    if (this.polling.has(name)) return;
    const on = () => !this.stopped && (typeof name !== 'string' || (this.wanted.get(name) ?? 0) > 0);
    const run = async () => {
      this.pending.delete(name);
      if (on()) { try { await fn(); } catch (e) { this.emit('error', e); } }
      if (on()) this.pending.set(name, setTimeout(run, period()));
      else this.polling.delete(name);
    };
    this.polling.add(name);
    run();
  }

  /** Stops a wanted poll that waits for its next turn; one whose read is in flight stops when the read ends. */
  unpoll(name) {
    if (!this.pending.has(name)) return;
    clearTimeout(this.pending.get(name));
    this.pending.delete(name);
    this.polling.delete(name);
  }

  async pollStates() {
    const states = await api('/api/v1/states');
    const changed = [];
    for (const st of states) {
      const old = this.states.get(st.machineId);
      // A reply that left the server before a pushed change must not take the screen back.
      if (old?.since && (!st.since || Date.parse(st.since) < Date.parse(old.since))) continue;
      if (!old || old.state !== st.state || old.reason !== st.reason) changed.push(st.machineId);
      this.states.set(st.machineId, { ...old, ...st });
    }
    if (changed.length) this.emit('states', changed);
  }

  async pollAlarms() {
    const alarms = await listAll('/api/v1/alarms');
    const before = JSON.stringify(this.alarms.map((a) => [a.id, a.state]));
    this.alarms = alarms;
    if (before !== JSON.stringify(alarms.map((a) => [a.id, a.state]))) this.indexAlarms([]);
  }

  async pollKpis() {
    const from = new Date(Date.now() - OEE_WINDOW_MS).toISOString();
    const rows = await api(`/api/v1/kpis/machines?from=${encodeURIComponent(from)}`);
    this.kpis = new Map(rows.map((r) => [r.machineId, r]));
    this.emit('kpis');
  }

  /** Each machine's failure risk over the next shift and day (docs/predictive-maintenance.md), read every minute. */
  async pollRisks() {
    const list = await api('/api/v1/risk');
    this.risks = new Map(list.items.map((r) => [r.machineId, r]));
    this.emit('risks');
  }

  /** A pushed state change, shaped like a row of GET /api/v1/states. */
  applyState(st) {
    const old = this.states.get(st.machine);
    const since = new Date(st.since).toISOString();
    if (old && old.state === st.state && old.reason === (st.reason ?? null) && old.since === since) return;
    this.states.set(st.machine, { ...old, machineId: st.machine, state: st.state, since, reason: st.reason ?? null });
    this.emit('states', [st.machine]);
  }

  /** A pushed alarm transition: applied at once (badges), then the alarm list is read again for the full record. */
  applyAlarm(e) {
    if (e.suppressed) return;
    const known = this.alarms.find((a) => a.id === e.id);
    if (e.state === 'closed') this.alarms = this.alarms.filter((a) => a.id !== e.id);
    else if (known) known.state = e.state;
    else this.alarms.push({ id: e.id, machineId: e.machine, machineName: e.machineName, ruleId: e.rule, ruleName: e.ruleName, tag: e.tag,
      severity: e.severity, message: e.message, state: e.state, raisedAt: new Date(e.at).toISOString(), lastValue: e.value });
    this.indexAlarms([e.machine]);
    clearTimeout(this.alarmRefresh);
    if (this.stopped) return;
    this.alarmRefresh = setTimeout(() => this.pollAlarms().catch((err) => this.emit('error', err)), 250);
  }

  indexAlarms(touched) {
    const by = new Map();
    for (const a of this.alarms) {
      if (!by.has(a.machineId)) by.set(a.machineId, []);
      by.get(a.machineId).push(a);
    }
    const all = new Set([...touched, ...this.alarmsByMachine.keys(), ...by.keys()]);
    this.alarmsByMachine = by;
    this.emit('alarms', [...all]);
  }

  applyValues(machine, values, snapshot) {
    let current = this.values.get(machine);
    if (!current) this.values.set(machine, (current = {}));
    for (const [tag, v] of Object.entries(values)) {
      // Keep the newest reading per tag, as the twin does: an out-of-order reading may arrive later.
      if (!current[tag] || v.ts >= current[tag].ts) current[tag] = v;
    }
    if (!snapshot) this.stats.changes++;
    this.emit('values', { machine, values, snapshot });
  }

  recordLag(ms) {
    const lags = this.stats.lags;
    lags.push(ms);
    if (lags.length > 200_000) lags.splice(0, 100_000);
    this.stats.lastLag = ms;
  }

  /** Open alarms that are not shelved: what a badge counts. */
  activeAlarms(machine) {
    return (this.alarmsByMachine.get(machine) ?? []).filter((a) => a.state !== 'shelved');
  }

  siteOf(machine) { return this.lineSite.get(this.machines.get(machine)?.lineId); }

  /** The tag a tile shows: the type's first numeric tag that is not a counter (else its first numeric one). */
  headlineTag(machine) {
    const type = this.types.get(this.machines.get(machine)?.typeId);
    const numeric = (type?.tags ?? []).filter((t) => t.dataType === 'float' || t.dataType === 'int');
    return numeric.find((t) => t.kind !== 'counter') ?? numeric[0] ?? null;
  }
}

const SEVERITY_RANK = { low: 1, medium: 2, high: 3, critical: 4 };

export function worstSeverity(alarms) {
  return alarms.reduce((w, a) => (SEVERITY_RANK[a.severity] > (SEVERITY_RANK[w] ?? 0) ? a.severity : w), null);
}

/** Line and site figures from machines' inputs, as the KPI report sums them (docs/kpis.md). */
export function sumKpis(rows) {
  const t = { pbt: 0, apt: 0, ideal: 0, pq: 0, gq: 0, without: 0 };
  for (const r of rows) {
    if (!r) continue;
    const i = r.inputs;
    t.pbt += i.pbt; t.apt += i.apt; t.ideal += i.idealTime; t.pq += i.pq; t.gq += i.gq; t.without += i.machinesWithoutIdealCycle;
  }
  const ratio = (a, b) => (b > 0 ? a / b : null);
  const availability = ratio(t.apt, t.pbt);
  const effectiveness = t.without > 0 ? null : ratio(t.ideal, t.apt);
  const quality = ratio(t.gq, t.pq);
  const oee = availability === null || effectiveness === null || quality === null ? null : availability * effectiveness * quality;
  return { availability, effectiveness, quality, oee };
}
