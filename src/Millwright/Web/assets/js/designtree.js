// A replica of a design project's structure in the browser: the same move-operation tree CRDT as the server's
// (src/Millwright.Design/DesignTree.cs, docs/design-workspace.md). Operations carry Lamport stamps (counter, replica)
// and take effect in stamp order whatever order they arrive in: a late one is put in its place by undoing the later
// ones, applying it and redoing them. A move that would make a node its own ancestor is skipped (the same one on every
// replica); fields are last-writer-wins registers by stamp. The page applies its own edits at once and everyone
// else's as they come, and ends up with exactly the server's structure.

export const ROOT = 'root';
export const TRASH = 'trash';

/** Stamp order: counter first, then the replica name by UTF-16 code units (as the server's ordinal comparison). */
export function compare(a, b) {
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.replica === b.replica ? 0 : a.replica < b.replica ? -1 : 1;
}

const key = (stamp) => `${stamp.counter}@${stamp.replica}`;

export class DesignReplica {
  constructor() {
    this.log = [];            // entries { op, applied, oldParent, oldField } in stamp order
    this.seen = new Set();    // stamps (as keys) of every operation applied, also those settled below the floor
    this.parents = new Map(); // node → parent, for every node that exists (root and trash are implicit)
    this.fields = new Map();  // node → Map(field → { stamp, value })
    this.skipped = new Set(); // stamps of moves skipped as cycles
    this.floor = { counter: 0, replica: '' };
    this.clock = 0;
  }

  /** A replica rebuilt from the server's state message: the state at the floor plus the operations after it. */
  static fromState(state) {
    const r = new DesignReplica();
    r.floor = { counter: state.floor.counter, replica: state.floor.replica };
    r.clock = Math.max(state.clock, r.floor.counter);
    for (const [node, parent] of Object.entries(state.parents)) r.parents.set(node, parent);
    for (const [node, fields] of Object.entries(state.fields)) {
      r.fields.set(node, new Map(Object.entries(fields).map(([f, v]) => [f, { stamp: r.floor, value: v }])));
    }
    for (const op of state.tail) r.apply(op);
    return r;
  }

  /** A new stamp for a local edit. */
  next(replica) { return { counter: ++this.clock, replica }; }

  witness(counter) { this.clock = Math.max(this.clock, counter); }

  knows(stamp) { return this.seen.has(key(stamp)); }

  /** Too old to be placed: at or before the floor and not already applied. */
  isStale(stamp) { return compare(stamp, this.floor) <= 0 && !this.knows(stamp); }

  contains(node) { return node === ROOT || node === TRASH || this.parents.has(node); }

  field(node, name) { return this.fields.get(node)?.get(name)?.value ?? null; }

  /** The node's fields as a plain object (null values left out: a cleared field). */
  fieldsOf(node) {
    const out = {};
    for (const [f, r] of this.fields.get(node) ?? []) if (r.value !== null) out[f] = r.value;
    return out;
  }

  isUnder(node, ancestor) {
    let current = node;
    for (let steps = 0; steps <= this.parents.size + 1; steps++) {
      if (current === ancestor) return true;
      if (!this.parents.has(current)) return false;
      current = this.parents.get(current);
    }
    throw new Error('the tree has a cycle');
  }

  /** The nodes from the top (root or trash) down to the node. */
  pathOf(node) {
    const path = [node];
    let current = node;
    while (this.parents.has(current) && path.length <= this.parents.size + 1) {
      current = this.parents.get(current);
      path.push(current);
    }
    return path.reverse();
  }

  /** The live children of each node (under the root), sorted by id. */
  children() {
    const map = new Map();
    for (const [node, parent] of this.parents) {
      if (!map.has(parent)) map.set(parent, []);
      map.get(parent).push(node);
    }
    for (const list of map.values()) list.sort();
    return map;
  }

  /** Applies an operation once (local or remote); false when it is skipped as a cycle. */
  apply(op) {
    const k = key(op);
    if (this.seen.has(k)) return !this.skipped.has(k);
    if (compare(op, this.floor) <= 0) throw new Error(`operation ${k} is at or before the floor`);
    this.seen.add(k);
    this.clock = Math.max(this.clock, op.counter);
    const at = this.position(op);
    for (let i = this.log.length - 1; i >= at; i--) this.undo(this.log[i]);
    this.log.splice(at, 0, { op });
    for (let i = at; i < this.log.length; i++) this.log[i] = this.effect(this.log[i].op);
    return !this.skipped.has(k);
  }

  position(stamp) {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(this.log[middle].op, stamp) < 0) low = middle + 1; else high = middle;
    }
    return low;
  }

  effect(op) {
    if (op.kind === 'move') {
      if (op.node === ROOT || op.node === TRASH || !op.parent || this.isUnder(op.parent, op.node)) {
        this.skipped.add(key(op));
        return { op, applied: false };
      }
      const oldParent = this.parents.has(op.node) ? this.parents.get(op.node) : null;
      this.parents.set(op.node, op.parent);
      return { op, applied: true, oldParent };
    }
    if (!this.fields.has(op.node)) this.fields.set(op.node, new Map());
    const fields = this.fields.get(op.node);
    const held = fields.get(op.field) ?? null;
    if (held && compare(held.stamp, op) >= 0) return { op, applied: false };
    fields.set(op.field, { stamp: { counter: op.counter, replica: op.replica }, value: op.value ?? null });
    return { op, applied: true, oldField: held };
  }

  undo(entry) {
    const { op } = entry;
    if (!entry.applied) {
      this.skipped.delete(key(op));
      return;
    }
    if (op.kind === 'move') {
      if (entry.oldParent === null) this.parents.delete(op.node); else this.parents.set(op.node, entry.oldParent);
      return;
    }
    const fields = this.fields.get(op.node);
    if (entry.oldField) fields.set(op.field, entry.oldField);
    else {
      fields.delete(op.field);
      if (fields.size === 0) this.fields.delete(op.node);
    }
  }
}
