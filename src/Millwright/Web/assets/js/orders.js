import { api } from './api.js';
import { h, s, clear } from './dom.js';
import { orderColour } from './gantt.js';

export const ORDER_FILTERS = ['open', 'planned', 'released', 'in_progress', 'completed', 'cancelled', 'all'];
const HEAD = ['order', 'customer', 'item', 'quantity', 'progress', 'status', 'due', 'ETA', 'problem', ''];

/** Local date and time, short ("Dec 3, 14:05"); the year only when it is not this year's. */
export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  const opts = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  if (d.getFullYear() !== new Date().getFullYear()) opts.year = 'numeric';
  return d.toLocaleString([], opts);
}

/** The order's own good and scrap counts, set when its last operation ends: nothing to say before that. */
export function counted(o) {
  return o.good || o.scrap ? ` · ${o.good} good${o.scrap ? `, ${o.scrap} scrap` : ''}` : '';
}

export function statusLabel(status) {
  return status.replace('_', ' ');
}

// The order list: progress, status, due date, ETA, the late flag and the planner's problem text per order; release
// and cancel for keys that may (operator and tenant admin; the server checks the role again and its refusal is
// shown as it comes). Cancelling asks for a confirmation in the row, as the alarm console does.
export function orderList({ message, onPick, onChanged }) {
  const rows = h('tbody');
  const table = h('table', { class: 'grid orders', id: 'orders' }, h('thead', {}, h('tr', {}, HEAD.map((t) => h('th', {}, t)))), rows);
  let last = [], canAct = true, confirming = null;

  function render(orders, may) {
    last = orders;
    canAct = may;
    clear(rows);
    if (!orders.length) rows.append(h('tr', {}, h('td', { colspan: HEAD.length, class: 'empty' }, 'No orders match.')));
    for (const o of orders) rows.append(row(o));
  }

  function row(o) {
    const progress = Math.round((o.progress ?? 0) * 100);
    return h('tr', { 'data-order': o.id, 'data-status': o.status, class: o.late ? 'late' : null },
      h('td', {}, s('svg', { class: 'swatch', width: 10, height: 10, viewBox: '0 0 10 10' }, s('rect', { width: 10, height: 10, rx: 2, fill: orderColour(o.id) })),
        h('button', { type: 'button', class: 'linkish', onclick: () => onPick(o.id) }, o.number)),
      h('td', {}, o.customer),
      h('td', {}, o.item),
      h('td', { class: 'num' }, String(o.quantity)),
      h('td', { class: 'progress-cell' }, h('progress', { max: 100, value: progress }), ` ${progress}%`,
        h('span', { class: 'muted' }, counted(o))),
      h('td', { class: 'order-status' }, statusLabel(o.status)),
      h('td', {}, when(o.dueAt)),
      h('td', { class: 'eta' }, o.status === 'completed' ? `done ${when(o.completedAt)}` : when(o.eta),
        o.late ? h('span', { class: 'late-flag' }, 'late') : null),
      h('td', { class: 'problem' }, o.problem ?? ''),
      h('td', { class: 'actions' }, actions(o)));
  }

  function actions(o) {
    if (!canAct) return [];
    if (confirming === o.id) {
      return [h('button', { type: 'button', class: 'confirm-cancel', onclick: () => act(o, 'cancel') }, 'Confirm cancel'),
        h('button', { type: 'button', onclick: () => { confirming = null; render(last, canAct); } }, 'Keep')];
    }
    const out = [];
    if (o.status === 'planned') out.push(h('button', { type: 'button', class: 'release', onclick: () => act(o, 'release') }, 'Release'));
    if (!['completed', 'cancelled'].includes(o.status)) {
      out.push(h('button', { type: 'button', class: 'cancel', onclick: () => { confirming = o.id; render(last, canAct); } }, 'Cancel'));
    }
    return out;
  }

  async function act(o, action) {
    confirming = null;
    try {
      const done = await api(`/api/v1/orders/${o.id}/${action}`, { method: 'POST' });
      message.textContent = `${done.number}: ${action === 'release' ? 'released to the planner' : 'cancelled'}.`;
    } catch (e) {
      message.textContent = `${o.number}: ${e.message}`;
    }
    await onChanged();
  }

  /** Whether a row waits for the operator's confirmation (the page then does not redraw the list under them). */
  const busy = () => confirming !== null;
  return { el: table, render, busy };
}
