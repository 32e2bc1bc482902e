import { api, session } from './api.js';
import { h, s, clear, fmt } from './dom.js';
import { designEditor } from './designeditor.js';

// Innovation (docs/makerspace.md, docs/design-workspace.md): the makerspace's ideas with votes and status; a design
// project's product structure, edited live with everyone else over the design channel (designeditor.js), with its
// parameters, constraints and requirements (violated and unmet ones flagged) and who looks at what; its documents and
// released revisions; and the development-cycle KPI as a chart. Ideas, documents, revisions and the KPI are read over
// REST every 5 s; the structure, parameters and requirements come live over the channel.
const REFRESH_MS = 5000;

export function innovationPage(view) {
  const message = h('p', { class: 'message', id: 'inn-message' });
  const ideaRows = h('tbody');
  const pick = h('select', { id: 'inn-project', onchange: () => openProject() });
  const tree = h('ul', { class: 'inn-tree', id: 'inn-tree' });
  const panel = h('div', { class: 'inn-editor', id: 'inn-editor', hidden: true });
  const status = h('p', { class: 'inn-status', id: 'inn-status' });
  const present = h('p', { class: 'inn-present', id: 'inn-present' });
  const reqRows = h('tbody');
  const docRows = h('tbody');
  const revRows = h('tbody');
  const chart = h('div', { class: 'inn-cycle', id: 'inn-cycle' });
  clear(view).append(h('div', { class: 'innovation' }, h('h2', {}, 'Innovation'), message,
    h('section', {}, h('h3', {}, 'Ideas (by votes)'), table('inn-ideas', ['idea', 'status', 'votes', 'comments', 'followers', 'family'], ideaRows)),
    h('section', {}, h('h3', {}, 'Design project '), pick,
      h('h4', {}, 'Structure'), status, present, h('div', { class: 'inn-design' }, tree, panel),
      h('h4', {}, 'Requirements'), table('inn-requirements', ['requirement', 'on', 'status', 'why'], reqRows),
      h('h4', {}, 'Documents'), table('inn-documents', ['document', 'on', 'kind', 'SHA-256', 'where'], docRows),
      h('h4', {}, 'Released revisions'), table('inn-revisions', ['revision', 'note', 'released', 'by', 'to manufacturing'], revRows)),
    h('section', {}, h('h3', {}, 'Development cycle'), chart)));
  let stopped = false;
  let editor = null;

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

  // A chosen project is edited live over its channel; choosing another closes the first one's.
  function openProject() {
    editor?.close();
    editor = null;
    clear(tree); clear(reqRows); clear(docRows); clear(revRows); clear(status); clear(present);
    panel.hidden = true;
    if (!pick.value) return;
    editor = designEditor(pick.value, session.key, { tree, panel, status, present, onRequirements: drawRequirements });
    loadProject().catch((e) => { message.textContent = e.message; });
  }

  function drawRequirements(requirements) {
    clear(reqRows).append(...requirements.map((r) => h('tr', { 'data-req': r.name, class: r.flagged ? 'flagged' : null },
      h('td', {}, r.statement ?? r.name), h('td', {}, r.path), h('td', { class: 'status' }, r.status), h('td', {}, r.reason ?? ''))));
  }

  async function loadProject() {
    const id = pick.value;
    if (!id) return;
    const p = `/api/v1/design/projects/${id}`;
    const [documents, revisions] = await Promise.all([api(`${p}/documents`), api(`${p}/revisions`)]);
    if (stopped || pick.value !== id) return;
    clear(docRows).append(...documents.map((d) => h('tr', { 'data-doc': `${d.node}.${d.name}` },
      h('td', {}, d.title ?? d.name), h('td', {}, d.path), h('td', {}, d.kind), h('td', { class: 'hash', title: d.sha256 }, `${d.sha256.slice(0, 12)}…`), h('td', {}, d.uri))));
    clear(revRows).append(...revisions.map((r) => h('tr', { 'data-revision': r.number },
      h('td', {}, r.number), h('td', {}, r.note), h('td', {}, new Date(r.releasedAt).toLocaleString()), h('td', {}, r.releasedBy),
      h('td', {}, r.manufacturedAt ? new Date(r.manufacturedAt).toLocaleString() : '–'))));
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => { stopped = true; clearInterval(timer); editor?.close(); };
}

function table(id, heads, body) {
  return h('table', { class: 'grid', id }, h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), body);
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
