import { DesignReplica } from './designtree.js';

// The page's end of a project's design channel (docs/design-workspace.md, "Channel protocol"): the key goes in the
// hello (browsers cannot set headers on a WebSocket). Local edits are applied to the replica at once, sent stamped
// and kept pending until acknowledged; everyone else's stored edits are applied as they come. A state message (join,
// resync after an error, reconnect) rebuilds the replica and sends the pending edits again (rebased with a new stamp
// when they became stale). An edit the server refuses for good (error naming its counter) is dropped with the rest of
// the user's action it belonged to, and reported to the page; so is a move the merge reverted.
const RECONNECT_MS = [500, 1000, 2000, 5000];

export class DesignChannel {
  constructor(project, key, { onChange, onPresence, onParameters, onRequirements, onProblem, onStatus }) {
    this.project = project;
    this.key = key;
    this.name = `dash-${Math.random().toString(36).slice(2, 10)}`;
    this.replica = null;            // k{keyId}-{name}, from the welcome
    this.readOnly = true;
    this.tree = new DesignReplica();
    this.pending = [];              // { op, action } not yet acknowledged
    this.presence = new Map();      // replica → { actor, node }
    this.parameters = new Map();    // "node field" → result
    this.looking = null;
    this.handlers = { onChange, onPresence, onParameters, onRequirements, onProblem, onStatus };
    this.actions = 0;
    this.closed = false;
    this.attempt = 0;
    this.connect();
  }

  connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/design/projects/${this.project}/channel`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', replica: this.name, key: this.key }));
    ws.onmessage = (e) => this.receive(JSON.parse(e.data));
    ws.onclose = (e) => {
      if (this.ws !== ws || this.closed) return;
      this.presence.clear();
      this.handlers.onStatus?.(`disconnected${e.reason ? `: ${e.reason}` : ''}; reconnecting`, false);
      // A policy close (wrong key, no such project) will not change by trying again.
      if (e.code === 1008) { this.handlers.onStatus?.(e.reason || 'refused by the server', false); return; }
      setTimeout(() => { if (!this.closed) this.connect(); }, RECONNECT_MS[Math.min(this.attempt++, RECONNECT_MS.length - 1)]);
    };
  }

  close() {
    this.closed = true;
    this.ws?.close(1000, 'page left');
  }

  get connected() { return this.ws?.readyState === WebSocket.OPEN && this.replica !== null; }

  /**
   * One user action: `make(stamp)` returns operations built with stamps from `stamp()`; they are applied here, kept
   * pending and sent as one message. Returns false when the page is read-only or not connected.
   */
  edit(make) {
    if (this.readOnly || !this.replica) return false;
    const action = ++this.actions;
    const ops = make(() => this.tree.next(this.replica));
    for (const op of ops) {
      this.tree.apply(op);
      this.pending.push({ op, action });
    }
    this.send(ops);
    this.handlers.onChange?.();
    return true;
  }

  look(node) {
    this.looking = node;
    if (this.connected) this.ws.send(JSON.stringify({ type: 'presence', node }));
  }

  send(ops) {
    if (ops.length === 0 || this.ws?.readyState !== WebSocket.OPEN) return;
    // Only the counter travels: the server stamps with this connection's replica.
    this.ws.send(JSON.stringify({ type: 'ops', ops: ops.map(({ replica, ...rest }) => rest) }));
  }

  receive(m) {
    switch (m.type) {
      case 'welcome':
        this.replica = m.replica;
        this.readOnly = m.readOnly;
        this.attempt = 0;
        this.presence = new Map(m.presence.map((p) => [p.replica, { actor: p.actor, node: p.node }]));
        this.handlers.onStatus?.(m.readOnly ? 'read-only (viewer key): you see edits live but cannot make them' : 'editing live', true);
        this.handlers.onPresence?.();
        if (this.looking) this.ws.send(JSON.stringify({ type: 'presence', node: this.looking }));
        break;
      case 'state':
        // The requirements follow the state when the design has any; none following means none.
        this.handlers.onRequirements?.([]);
        this.rebuild(m);
        break;
      case 'ops':
        for (const op of m.ops) if (!this.tree.isStale(op)) this.tree.apply(op);
        this.handlers.onChange?.();
        break;
      case 'ack': {
        const done = new Set(m.counters);
        this.pending = this.pending.filter((p) => !done.has(p.op.counter));
        this.handlers.onChange?.();
        break;
      }
      case 'presence':
        if (m.left) this.presence.delete(m.replica); else this.presence.set(m.replica, { actor: m.actor, node: m.node });
        this.handlers.onPresence?.();
        break;
      case 'parameters':
        if (m.all) this.parameters.clear();
        for (const v of m.values) {
          if (v.text === null) this.parameters.delete(`${v.node} ${v.field}`); else this.parameters.set(`${v.node} ${v.field}`, v);
        }
        this.handlers.onParameters?.();
        break;
      case 'requirements':
        this.handlers.onRequirements?.(m.items);
        break;
      case 'reverted':
        this.drop(m.counter);
        this.handlers.onProblem?.({ code: 'reverted', message: m.reason, path: m.path, node: m.node });
        this.handlers.onChange?.();
        break;
      case 'error':
        // A malformed message is refused whole without naming an edit; the page checks names before sending, so this
        // is a bug, and sending its edits again after the resync would only be refused again.
        if (m.code === 'read-only' || m.code === 'malformed') this.pending = [];
        else if (m.code !== 'stale' && m.counter !== undefined) this.drop(m.counter);
        if (m.code !== 'stale') this.handlers.onProblem?.({ code: m.code, message: m.message });
        break;
      default:
        break;
    }
  }

  /** Drops the pending edits of the action that edit belonged to: the rest of it may build on the refused one. */
  drop(counter) {
    const hit = this.pending.find((p) => p.op.counter === counter);
    if (hit) this.pending = this.pending.filter((p) => p.action !== hit.action);
  }

  rebuild(state) {
    const clock = this.tree.clock;
    this.tree = DesignReplica.fromState(state);
    this.tree.witness(clock);
    const resend = [];
    for (const p of this.pending) {
      if (this.tree.knows(p.op)) continue;
      // A stale edit is rebased: the same change with a new stamp after everything this replica has seen.
      const op = this.tree.isStale(p.op) ? { ...p.op, ...this.tree.next(this.replica) } : p.op;
      this.tree.apply(op);
      resend.push({ op, action: p.action });
    }
    this.pending = resend;
    this.send(resend.map((p) => p.op));
    this.handlers.onChange?.();
  }
}
