import { api, listAll } from './api.js';
import { h, clear } from './dom.js';

const STATES = ['open', 'active', 'acknowledged', 'rtn_unack', 'shelved', 'closed', 'all'];
const SEVERITIES = ['', 'low', 'medium', 'high', 'critical'];

// The alarm console: filter by state, severity, site, line and text; acknowledge with a comment, shelve with a
// reason and a time, unshelve. The server checks the role (operator or tenant admin) and the lifecycle; its
// refusal is shown as it comes.
export function alarmConsole(view, plant) {
  const f = { state: 'open', severity: '', site: '', line: '', text: '' };
  const select = (name, options, labels = options) => h('select', { name, onchange: (e) => { f[name] = e.target.value; refresh(); } },
    options.map((o, i) => h('option', { value: o }, labels[i] || 'any')));
  const rows = h('tbody');
  const message = h('p', { class: 'message', role: 'status' });
  clear(view).append(h('div', { class: 'alarms' },
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'state ', select('state', STATES)),
      h('label', {}, 'severity ', select('severity', SEVERITIES)),
      h('label', {}, 'site ', select('site', ['', ...plant.sites.map((x) => String(x.id))], ['any', ...plant.sites.map((x) => x.name)])),
      h('label', {}, 'line ', select('line', ['', ...plant.lines.map((x) => String(x.id))], ['any', ...plant.lines.map((x) => x.name)])),
      h('label', {}, 'text ', h('input', { name: 'text', type: 'search', oninput: (e) => { f.text = e.target.value.toLowerCase(); render(); } }))),
    message,
    h('table', { class: 'grid alarm-table' },
      h('thead', {}, h('tr', {}, ['raised', 'severity', 'machine', 'message', 'state', 'acknowledged', ''].map((t) => h('th', {}, t)))),
      rows)));

  let alarms = [];
  let timer = 0;
  let stopped = false;
  let editing = null;

  async function refresh() {
    clearTimeout(timer);
    const q = new URLSearchParams();
    if (f.state !== 'open') q.set('state', f.state);
    if (f.severity) q.set('severity', f.severity);
    if (f.site) q.set('site', f.site);
    if (f.line) q.set('line', f.line);
    try {
      alarms = (await listAll(`/api/v1/alarms?${q}`)).sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt));
      if (!editing) render();
    } catch (e) { message.textContent = e.message; }
    // One pending timer, never one per overlapping refresh (an action refreshes too), and none after leaving.
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(refresh, 1000);
  }

  function render() {
    clear(rows);
    const shown = alarms.filter((a) => !f.text || `${a.machineName} ${a.message} ${a.ruleName}`.toLowerCase().includes(f.text));
    if (!shown.length) rows.append(h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No alarms match.')));
    for (const a of shown) rows.append(...[row(a)].flat());
  }

  function row(a) {
    const actions = h('td', { class: 'actions' });
    if (['active', 'rtn_unack'].includes(a.state)) actions.append(h('button', { type: 'button', class: 'ack', onclick: () => form(a, 'acknowledge') }, 'Acknowledge'));
    if (['active', 'acknowledged', 'rtn_unack'].includes(a.state)) actions.append(h('button', { type: 'button', class: 'shelve', onclick: () => form(a, 'shelve') }, 'Shelve'));
    if (a.state === 'shelved') actions.append(h('button', { type: 'button', class: 'unshelve', onclick: () => act(a, 'unshelve') }, 'Unshelve'));
    const tr = h('tr', { 'data-alarm': a.id, 'data-state': a.state, 'data-severity': a.severity },
      h('td', {}, new Date(a.raisedAt).toLocaleString()),
      h('td', {}, h('span', { class: `sev ${a.severity}` }, a.severity)),
      h('td', {}, h('a', { href: `#/machine/${a.machineId}` }, a.machineName)),
      h('td', {}, a.message),
      h('td', { class: 'alarm-state' }, a.state.replace('_', ' '), a.state === 'shelved' && a.shelvedUntil ? ` until ${new Date(a.shelvedUntil).toLocaleTimeString()}` : ''),
      h('td', {}, a.acknowledgedBy ? `${a.acknowledgedBy}${a.acknowledgeComment ? `: ${a.acknowledgeComment}` : ''}` : ''),
      actions);
    return editing?.id === a.id ? [tr, editing.row] : tr;
  }

  function form(a, action) {
    const fields = action === 'acknowledge'
      ? [h('input', { name: 'comment', placeholder: 'comment (optional)', maxlength: 500 })]
      : [h('input', { name: 'minutes', type: 'number', min: 1, max: 10080, value: 60, required: true }), h('input', { name: 'reason', placeholder: 'reason', required: true, maxlength: 200 })];
    const el = h('form', { class: 'inline', onsubmit: async (e) => {
      e.preventDefault();
      const data = Object.fromEntries(new FormData(e.target));
      const body = action === 'acknowledge' ? { comment: data.comment || null } : { minutes: Number(data.minutes), reason: data.reason };
      await act(a, action, body);
    } }, ...fields, h('button', { type: 'submit' }, action === 'acknowledge' ? 'Confirm acknowledge' : 'Confirm shelve'),
    h('button', { type: 'button', onclick: () => { editing = null; render(); } }, 'Cancel'));
    editing = { id: a.id, row: h('tr', { class: 'editing' }, h('td', { colspan: 7 }, el)) };
    render();
    el.querySelector('input')?.focus();
  }

  async function act(a, action, body) {
    try {
      await api(`/api/v1/alarms/${a.id}/${action}`, { method: 'POST', body: body ?? {} });
      message.textContent = `${a.machineName}: ${action}d.`;
      editing = null;
    } catch (e) {
      message.textContent = `${a.machineName}: ${e.message}`;
    }
    await refresh();
  }

  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
