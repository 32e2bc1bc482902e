import { h, clear } from './dom.js';
import { DesignChannel } from './designchannel.js';
import { ROOT, TRASH } from './designtree.js';

// The Innovation page's live editor of one design project (docs/design-workspace.md, docs/dashboard.md): the tree
// is the page's own replica of the structure, kept over the design channel, so edits by others appear as they are
// stored and the page's edits are seen at once (pending until the server acknowledges them). Selecting a node tells
// the others where this page looks (presence) and opens it in the editor: fields, parameters and constraints, adding
// a part under it, moving it, removing it. A refused or reverted edit is shown with the server's message, which names
// the path to the offending element.
const FIELDS = ['name', 'number', 'quantity', 'material'];

export function designEditor(project, key, { tree, panel, status, present, onRequirements }) {
  let selected = null;
  let drawn = false;
  const problem = h('p', { class: 'inn-problem', id: 'inn-edit-message', role: 'alert' });
  const channel = new DesignChannel(project, key, {
    onChange: redraw,
    onPresence: redraw,
    onParameters: redraw,
    onRequirements,
    onStatus: (text, ok) => { status.textContent = text; status.className = ok ? 'inn-status' : 'inn-status flagged'; redraw(); },
    onProblem: (p) => {
      problem.textContent = `${p.code === 'reverted' ? 'Reverted' : 'Refused'}: ${p.message}`;
      problem.dataset.code = p.code;
      problem.dataset.path = p.path ? p.path.join(' / ') : '';
    },
  });

  // One draw per animation frame however many messages came in it.
  function redraw() {
    if (drawn) return;
    drawn = true;
    requestAnimationFrame(() => { drawn = false; drawTree(); drawPanel(); drawPresent(); });
  }

  function drawTree() {
    const r = channel.tree;
    const kids = r.children();
    const looking = new Map();
    for (const [replica, p] of channel.presence) {
      if (replica === channel.replica || !p.node) continue;
      if (!looking.has(p.node)) looking.set(p.node, []);
      looking.get(p.node).push(p.actor);
    }
    const item = (id) => {
      const f = r.fieldsOf(id);
      const label = id === ROOT ? 'Project' : `${f.name ?? id}${f.number ? ` (${f.number})` : ''}${f.quantity ? ` × ${f.quantity}` : ''}`;
      const values = Object.keys(f).filter((k) => k.startsWith('param.') || k.startsWith('constraint.')).sort().map((field) => value(id, field, f[field]));
      const children = kids.get(id) ?? [];
      return h('li', { 'data-node': id, 'data-type': f.type ?? '', class: id === selected ? 'selected' : null },
        h('span', { class: 'node', onclick: (e) => { e.stopPropagation(); select(id); } }, label),
        looking.has(id) ? h('span', { class: 'presence', title: 'looking at this now' }, looking.get(id).join(', ')) : null,
        values.length ? h('ul', { class: 'values' }, values) : null,
        children.length ? h('ul', {}, children.map(item)) : null);
    };
    clear(tree).append(item(ROOT));
    if (!(kids.get(ROOT) ?? []).length) tree.append(h('li', { class: 'hint' }, 'nothing designed yet'));
  }

  // A parameter or constraint as the server evaluated it; while the page's own write is not yet evaluated, its text.
  function value(node, field, text) {
    const result = channel.parameters.get(`${node} ${field}`);
    const short = field.replace(/^(param|constraint)\./, '');
    if (!result || result.text !== text) return h('li', { 'data-field': field, class: 'pending', title: text }, `${short}: ${text} …`);
    const flagged = (result.error ?? null) !== null || result.holds === false;
    const shown = result.holds !== undefined && result.holds !== null ? `${result.text} ${result.holds ? '✓' : '✗'}` : result.error ?? `${result.value} ${result.unit}`;
    return h('li', { 'data-field': field, class: flagged ? 'flagged' : null, title: result.error ?? result.text ?? '' }, `${short}: ${shown}`);
  }

  function select(id) {
    selected = id;
    clear(problem);
    channel.look(id);
    panel.dataset.node = id;
    for (const input of panel.querySelectorAll('[data-dirty]')) delete input.dataset.dirty;
    // The inputs show the new node at once: an Apply before the next frame must not write the last node's values.
    drawPanel();
    redraw();
  }

  function drawPresent() {
    const others = [...channel.presence.entries()].filter(([replica]) => replica !== channel.replica);
    clear(present).append(others.length ? `Here now: ${others.map(([, p]) => `${p.actor}${p.node ? ` (${p.node})` : ''}`).join(', ')}` : 'Nobody else is here.');
  }

  // The editor's inputs, made once; drawPanel refills those the user is not typing in.
  const input = (id, attrs = {}) => h('input', { id, ...attrs, oninput: (e) => { e.target.dataset.dirty = '1'; } });
  const ed = Object.fromEntries(FIELDS.map((f) => [f, input(`inn-ed-${f}`, { placeholder: f })]));
  ed.type = h('select', { id: 'inn-ed-type', onchange: (e) => { e.target.dataset.dirty = '1'; } }, h('option', { value: '' }, '(no type)'), h('option', { value: 'assembly' }, 'assembly'), h('option', { value: 'part' }, 'part'));
  const paramKind = h('select', { id: 'inn-param-kind' }, h('option', { value: 'param' }, 'parameter'), h('option', { value: 'constraint' }, 'constraint'));
  const paramName = input('inn-param-name', { placeholder: 'name' });
  const paramValue = input('inn-param-value', { placeholder: '120 mm, = width * 2, or mass <= 20 kg', size: 32 });
  const params = h('ul', { class: 'inn-params' });
  const addName = input('inn-add-name', { placeholder: 'name' });
  const addNumber = input('inn-add-number', { placeholder: 'part number' });
  const addType = h('select', { id: 'inn-add-type' }, h('option', { value: 'part' }, 'part'), h('option', { value: 'assembly' }, 'assembly'));
  const moveTo = h('select', { id: 'inn-move-to' });
  const title = h('h4', { id: 'inn-ed-title' });
  const nodeOnly = h('div', {},
    h('div', { class: 'inn-row' }, ...FIELDS.map((f) => h('label', {}, `${f} `, ed[f])), h('label', {}, 'type ', ed.type),
      h('button', { id: 'inn-ed-apply', onclick: applyFields }, 'Apply')),
    h('div', { class: 'inn-row' }, 'Move under ', moveTo, h('button', { id: 'inn-move', onclick: move }, 'Move'),
      h('button', { id: 'inn-remove', onclick: remove }, 'Remove')));
  clear(panel).append(title, problem, nodeOnly,
    h('div', { class: 'inn-row' }, 'Parameters and constraints (click one to edit it)', params),
    h('div', { class: 'inn-row' }, paramKind, paramName, ' = ', paramValue,
      h('button', { id: 'inn-param-set', onclick: () => setParam(paramValue.value) }, 'Set'),
      h('button', { id: 'inn-param-remove', onclick: () => setParam(null) }, 'Remove')),
    h('div', { class: 'inn-row', id: 'inn-add-row' }, 'Add under it: ', addName, addNumber, addType, h('button', { id: 'inn-add', onclick: add }, 'Add')));

  function drawPanel() {
    const r = channel.tree;
    panel.hidden = !selected || channel.readOnly || !r.contains(selected) || r.isUnder(selected, TRASH);
    if (panel.hidden) return;
    const f = r.fieldsOf(selected);
    title.textContent = selected === ROOT ? 'Project' : r.pathOf(selected).map((n) => r.field(n, 'name') ?? n).join(' / ');
    nodeOnly.hidden = selected === ROOT;
    for (const name of [...FIELDS, 'type']) {
      if (document.activeElement !== ed[name] && !ed[name].dataset.dirty) ed[name].value = f[name] ?? '';
    }
    clear(params).append(...Object.keys(f).filter((k) => k.startsWith('param.') || k.startsWith('constraint.')).sort().map((k) => h('li', {
      'data-field': k,
      onclick: () => { [paramKind.value, paramName.value] = k.split('.'); paramValue.value = f[k]; },
    }, `${k}: ${f[k]}`)));
    // Where it may go: the root or any live assembly that is not the node itself or below it (that would be a cycle).
    const targets = [ROOT, ...[...r.parents.keys()].filter((n) => r.field(n, 'type') === 'assembly' && r.isUnder(n, ROOT) && !r.isUnder(n, selected)).sort()];
    const chosen = moveTo.value;
    clear(moveTo).append(...targets.map((n) => h('option', { value: n }, n === ROOT ? 'Project' : `${r.field(n, 'name') ?? n} (${n})`)));
    if (targets.includes(chosen)) moveTo.value = chosen;
    document.getElementById('inn-add-row').hidden = f.type === 'part';
  }

  function applyFields() {
    const f = channel.tree.fieldsOf(selected);
    const changes = [...FIELDS, 'type'].map((name) => [name, ed[name].value.trim() === '' ? null : ed[name].value.trim()]).filter(([name, v]) => (f[name] ?? null) !== v);
    for (const name of [...FIELDS, 'type']) delete ed[name].dataset.dirty;
    if (changes.length) edit((stamp) => changes.map(([name, v]) => ({ ...stamp(), kind: 'set', node: selected, field: name, value: v })));
  }

  function setParam(text) {
    const name = paramName.value.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(name)) {
      problem.textContent = 'A parameter or constraint name is a letter or _, then letters, digits or _ (at most 40).';
      return;
    }
    const field = `${paramKind.value}.${name}`;
    const value = text === null || text.trim() === '' ? null : text.trim();
    edit((stamp) => [{ ...stamp(), kind: 'set', node: selected, field, value }]);
  }

  function add() {
    const id = `n${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const sets = [['type', addType.value], ['name', addName.value.trim() || null], ['number', addNumber.value.trim() || null]].filter(([, v]) => v !== null);
    edit((stamp) => [{ ...stamp(), kind: 'move', node: id, parent: selected }, ...sets.map(([field, value]) => ({ ...stamp(), kind: 'set', node: id, field, value }))]);
    addName.value = '';
    addNumber.value = '';
  }

  function move() { edit((stamp) => [{ ...stamp(), kind: 'move', node: selected, parent: moveTo.value }]); }

  function remove() {
    const node = selected;
    edit((stamp) => [{ ...stamp(), kind: 'move', node, parent: TRASH }]);
    select(channel.tree.parents.get(node) === TRASH ? ROOT : node);
  }

  function edit(make) {
    clear(problem);
    if (!channel.edit(make)) problem.textContent = channel.readOnly ? 'This key is read-only.' : 'Not connected; try again in a moment.';
  }

  redraw();
  return { close: () => channel.close(), channel };
}
