import { h, s, clear, stateLabel } from './dom.js';

// Floor plan per site. Millwright stores no machine positions yet, so the layout is computed, the same every
// time: areas stacked top to bottom by id, each line a conveyor across its area, machines along it by id.
const CELL = 56, GAP = 12, PAD = 16, LINE_H = CELL + 34, LABEL = 110;

export function floorPlan(view, plant) {
  const shapes = new Map();
  const root = h('div', { class: 'floor' },
    h('p', { class: 'hint' }, 'Positions are laid out by area and line (no stored positions): areas top to bottom, machines along their line by id.'));
  for (const site of plant.sites) {
    const areas = plant.areas.filter((a) => a.siteId === site.id);
    let y = PAD, width = 400;
    const g = s('g');
    for (const area of areas) {
      const lines = plant.lines.filter((l) => l.areaId === area.id);
      const top = y;
      y += 22;
      for (const line of lines) {
        const machines = [...plant.machines.values()].filter((m) => m.lineId === line.id);
        const right = LABEL + machines.length * (CELL + GAP) + PAD;
        width = Math.max(width, right + PAD);
        g.append(s('line', { x1: LABEL - 8, y1: y + CELL / 2, x2: right - GAP, y2: y + CELL / 2, class: 'conveyor' }),
          s('text', { x: PAD + 8, y: y + CELL / 2 + 4, class: 'line-label' }, line.name));
        machines.forEach((m, i) => {
          const x = LABEL + i * (CELL + GAP);
          const rect = s('rect', { x, y, width: CELL, height: CELL, rx: 6, class: 'machine', 'data-machine': m.id, 'data-state': 'unknown' });
          const title = s('title', {}, m.name);
          rect.append(title);
          const link = s('a', { href: `#/machine/${m.id}` }, rect, s('text', { x: x + CELL / 2, y: y + CELL + 14, class: 'machine-label' }, m.name));
          g.append(link);
          shapes.set(m.id, { rect, title, name: m.name });
        });
        y += LINE_H;
      }
      g.prepend(s('rect', { x: PAD / 2, y: top, width: 0, height: y - top, class: 'area', 'data-area': area.id }),
        s('text', { x: PAD, y: top + 16, class: 'area-label' }, area.name));
      y += GAP;
    }
    for (const r of g.querySelectorAll('rect.area')) r.setAttribute('width', width - PAD);
    const svg = s('svg', { viewBox: `0 0 ${width} ${y + PAD}`, width, class: 'plan', 'data-site': site.id, role: 'img', 'aria-label': `floor plan of ${site.name}` }, g);
    root.append(h('section', { class: 'site' }, h('h2', {}, site.name), svg));
  }
  clear(view).append(root);

  function paint(id) {
    const shape = shapes.get(id);
    if (!shape) return;
    const st = plant.states.get(id);
    shape.rect.dataset.state = st?.state ?? 'unknown';
    const alarms = plant.activeAlarms(id);
    shape.rect.classList.toggle('alarmed', alarms.length > 0);
    shape.title.textContent = `${shape.name}: ${stateLabel(st?.state)}${alarms.length ? ` · ${alarms.length} alarms` : ''}`;
  }
  for (const id of shapes.keys()) paint(id);
  return plant.on((kind, detail) => {
    if (kind === 'states' || kind === 'alarms') for (const id of detail) paint(id);
  });
}
