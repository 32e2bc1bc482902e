import { api } from './api.js';
import { h, s, clear, fmt } from './dom.js';

// Innovation (docs/makerspace.md, docs/design-workspace.md): the makerspace's ideas with votes and status; a design
// project's product structure as a tree with its parameters, constraints and requirements (violated and unmet ones
// flagged), its documents and released revisions; and the development-cycle KPI as a chart. Read over REST and
// refreshed every 5 s; editing happens over the design channel (tools, or a later editor page).
const REFRESH_MS = 5000;

export function innovationPage(view) {
  const message = h('p', { class: 'message', id: 'inn-message' });
  const ideaRows = h('tbody');
  const pick = h('select', { id: 'inn-project', onchange: () => loadProject() });
  const tree = h('ul', { class: 'inn-tree', id: 'inn-tree' });
  const reqRows = h('tbody');
  const docRows = h('tbody');
  const revRows = h('tbody');
  const chart = h('div', { class: 'inn-cycle', id: 'inn-cycle' });
  clear(view).append(h('div', { class: 'innovation' }, h('h2', {}, 'Innovation'), message,
    h('section', {}, h('h3', {}, 'Ideas (by votes)'), table('inn-ideas', ['idea', 'status', 'votes', 'comments', 'followers', 'family'], ideaRows)),
    h('section', {}, h('h3', {}, 'Design project '), pick,
      h('h4', {}, 'Structure'), tree,
      h('h4', {}, 'Requirements'), table('inn-requirements', ['requirement', 'on', 'status', 'why'], reqRows),
      h('h4', {}, 'Documents'), table('inn-documents', ['document', 'on', 'kind', 'SHA-256', 'where'], docRows),
      h('h4', {}, 'Released revisions'), table('inn-revisions', ['revision', 'note', 'released', 'by', 'to manufacturing'], revRows)),
    h('section', {}, h('h3', {}, 'Development cycle'), chart)));
  let stopped = false;

  async function load() {
    try {
      const [ideas, projects, cycle] = await Promise.all([
        api('/api/v1/makerspace/ideas?sort=votes&limit=50'), api('/api/v1/design/projects'), api('/api/v1/design/kpis/cycle')]);
      if (stopped) return;
      message.textContent = '';
      clear(ideaRows).append(...ideas.items.map((i) => h('tr', { 'data-idea': i.id },
        h('td', {}, i.title), h('td', { class: 'status' }, i.status.replace('_', ' ')), h('td', { class: 'votes' }, i.votes),
        h('td', {}, i.comments), h('td', {}, i.followers), h('td', {}, i.productFamily ?? ''))));
      const chosen = pick.value;
      clear(pick).append(h('option', { value: '' }, projects.length ? '— choose a project —' : '— no projects yet —'),
        ...projects.map((p) => h('option', { value: p.id }, p.name)));
      pick.value = chosen;
      drawCycle(chart, cycle);
      if (pick.value) await loadProject();
    } catch (e) { message.textContent = e.message; }
  }

  async function loadProject() {
    const id = pick.value;
    if (!id) { clear(tree); clear(reqRows); clear(docRows); clear(revRows); return; }
    const p = `/api/v1/design/projects/${id}`;
    const [structure, parameters, requirements, documents, revisions] = await Promise.all([
      api(`${p}/structure`), api(`${p}/parameters`), api(`${p}/requirements`), api(`${p}/documents`), api(`${p}/revisions`)]);
    if (stopped || pick.value !== id) return;
    drawTree(tree, structure.nodes, parameters);
    clear(reqRows).append(...requirements.map((r) => h('tr', { 'data-req': r.name, class: r.flagged ? 'flagged' : null },
      h('td', {}, r.statement ?? r.name), h('td', {}, r.path), h('td', { class: 'status' }, r.status), h('td', {}, r.reason ?? ''))));
    clear(docRows).append(...documents.map((d) => h('tr', { 'data-doc': `${d.node}.${d.name}` },
      h('td', {}, d.title ?? d.name), h('td', {}, d.path), h('td', {}, d.kind), h('td', { class: 'hash', title: d.sha256 }, `${d.sha256.slice(0, 12)}…`), h('td', {}, d.uri))));
    clear(revRows).append(...revisions.map((r) => h('tr', { 'data-revision': r.number },
      h('td', {}, r.number), h('td', {}, r.note), h('td', {}, new Date(r.releasedAt).toLocaleString()), h('td', {}, r.releasedBy),
      h('td', {}, r.manufacturedAt ? new Date(r.manufacturedAt).toLocaleString() : '–'))));
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => { stopped = true; clearInterval(timer); };
}

function table(id, heads, body) {
  return h('table', { class: 'grid', id }, h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), body);
}

// The live part of the structure (under the root) as nested lists; each node with its parameters and constraints,
// a constraint violated or a parameter in error flagged.
function drawTree(root, nodes, parameters) {
  const children = new Map();
  for (const n of nodes) {
    if (!children.has(n.parent)) children.set(n.parent, []);
    children.get(n.parent).push(n);
  }
  const byNode = new Map();
  for (const r of parameters) {
    if (!byNode.has(r.node)) byNode.set(r.node, []);
    byNode.get(r.node).push(r);
  }
  const item = (n) => {
    const f = n.fields;
    const label = `${f.name ?? n.id}${f.number ? ` (${f.number})` : ''}${f.quantity ? ` × ${f.quantity}` : ''}`;
    const values = (byNode.get(n.id) ?? []).filter((r) => !r.field.startsWith('verify.')).map((r) => {
      const flagged = r.error !== null || r.holds === false;
      const shown = r.holds !== null && r.holds !== undefined ? `${r.text} ${r.holds ? '✓' : '✗'}` : r.error ?? `${r.value} ${r.unit}`;
      return h('li', { class: flagged ? 'flagged' : null, 'data-field': r.field, title: r.error ?? r.text ?? '' }, `${r.field.replace(/^(param|constraint)\./, '')}: ${shown}`);
    });
    const kids = (children.get(n.id) ?? []).sort((a, b) => a.id.localeCompare(b.id));
    return h('li', { 'data-node': n.id, 'data-type': f.type ?? '' }, h('span', { class: 'node' }, label),
      values.length ? h('ul', { class: 'values' }, values) : null,
      kids.length ? h('ul', {}, kids.map(item)) : null);
  };
  clear(root).append(...(children.get('root') ?? []).sort((a, b) => a.id.localeCompare(b.id)).map(item));
  if (!root.firstChild) root.append(h('li', { class: 'hint' }, 'nothing designed yet'));
}

// Development and ramp-up days per project as horizontal bars (plain SVG), with the before/after and lead indicators.
function drawCycle(el, cycle) {
  const rows = cycle.projects;
  const max = Math.max(1, ...rows.map((p) => (p.developmentDays ?? 0) + (p.rampUpDays ?? 0)));
  const W = 520, row = 22, left = 160, H = Math.max(row, rows.length * row) + 20;
  const scale = (d) => ((W - left - 50) * d) / max;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'cycle-chart' },
    rows.map((p, i) => {
      const y = i * row + 4;
      const dev = p.developmentDays ?? 0;
      const ramp = p.rampUpDays ?? 0;
      return s('g', { 'data-project': p.projectId, 'data-development-days': p.developmentDays ?? '', 'data-ramp-up-days': p.rampUpDays ?? '' },
        s('text', { x: 0, y: y + 13, class: 'label' }, p.name),
        s('rect', { x: left, y, width: scale(dev), height: row - 8, class: 'development' }, s('title', {}, `development ${fmt(dev)} days`)),
        s('rect', { x: left + scale(dev), y, width: scale(ramp), height: row - 8, class: 'ramp-up' }, s('title', {}, `ramp-up ${fmt(ramp)} days`)),
        s('text', { x: left + scale(dev + ramp) + 4, y: y + 13, class: 'value' },
          p.developmentDays === null ? 'not released' : `${fmt(dev)} d${p.rampUpDays === null ? '' : ` + ${fmt(ramp)} d`}`));
    }));
  const change = cycle.changePercent === null ? '–' : `${cycle.changePercent > 0 ? '+' : ''}${cycle.changePercent.toFixed(1)}%`;
  const lead = cycle.lead;
  clear(el).append(svg,
    h('p', { class: 'legend' }, h('span', { class: 'development' }, '■'), ' idea (or start) to release  ', h('span', { class: 'ramp-up' }, '■'), ' release to first good unit'),
    h('p', { id: 'inn-cycle-change' }, `Mean development: baseline ${days(cycle.baseline.meanDevelopmentDays)}, current ${days(cycle.current.meanDevelopmentDays)} (${change})`),
    h('p', { id: 'inn-lead' }, `Open change requests ${lead.openRequests} (approved, not released ${lead.approvedNotReleased}), oldest ${days(lead.oldestOpenAgeDays)}, mean review ${lead.meanReviewHours === null ? '–' : `${fmt(lead.meanReviewHours)} h`}`));
}

function days(d) { return d === null ? '–' : `${fmt(d)} d`; }
