import { api, session, listAll } from './api.js';
import { h, s, clear } from './dom.js';

const TYPES = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', dst: 'application/x-tajima-dst' };

// A design upload: the file's own bytes with its media type (the API digitizes SVG, traces PNG/JPEG, checks DST).
async function upload(file, query) {
  const ext = file.name.split('.').pop().toLowerCase();
  const response = await fetch(`/api/v1/embroidery/designs?${query}`, {
    method: 'POST', headers: { 'X-Api-Key': session.key ?? '', 'Content-Type': TYPES[ext] ?? file.type }, body: file, cache: 'no-store',
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const where = json?.offset !== undefined ? ` (byte ${json.offset})` : '';
    throw new Error(`${json?.title ?? `HTTP ${response.status}`}: ${json?.detail ?? ''}${where}`);
  }
  return json;
}

// The PNG preview as a data: URL (the page's CSP takes images from itself and data: only, and the API wants the key).
async function previewUrl(design) {
  const response = await fetch(design.links.previewPng, { headers: { 'X-Api-Key': session.key ?? '' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`preview: HTTP ${response.status}`);
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** The design's stitches as SVG (our own renderer's, parsed, never run), for drawing the needle on. */
export async function previewSvg(design) {
  const response = await fetch(design.links.previewSvg, { headers: { 'X-Api-Key': session.key ?? '' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`preview: HTTP ${response.status}`);
  const doc = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.localName !== 'svg') throw new Error('the preview is not SVG');
  for (const el of svg.querySelectorAll('script, foreignObject')) el.remove();
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  return document.importNode(svg, true);
}

/** A needle mark for a preview: the design's units are 0.1 mm with Y up, the SVG's Y runs down. */
export function needleMark(svg) {
  const mark = s('g', { class: 'needle' }, s('circle', { r: 12 }), s('line', { x1: -30, y1: 0, x2: 30, y2: 0 }), s('line', { x1: 0, y1: -30, x2: 0, y2: 30 }));
  svg.append(mark);
  return (xMm, yMm) => mark.setAttribute('transform', `translate(${Math.round(xMm * 10)} ${Math.round(-yMm * 10)})`);
}

const money = (currency, v) => `${Number(v).toFixed(2)} ${currency}`;
const duration = (sec) => `${Math.floor(sec / 3600)}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(Math.round(sec) % 60).padStart(2, '0')}`;

// Designs: upload (SVG, logo or DST) and see the preview, stats and price; order N pieces; follow the design orders.
export function embroideryPage(view, plant) {
  let designs = [];
  let selected = null;
  let timer = null;
  const status = h('p', { class: 'hint', id: 'emb-status' });
  const file = h('input', { type: 'file', id: 'emb-file', accept: '.svg,.png,.jpg,.jpeg,.dst' });
  const name = h('input', { type: 'text', id: 'emb-name', placeholder: 'name', maxlength: 100 });
  const fabric = h('select', { id: 'emb-fabric' }, ['woven', 'knit', 'cap'].map((f) => h('option', { value: f }, f)));
  const width = h('input', { type: 'number', id: 'emb-width', min: 5, max: 400, step: 1, placeholder: 'width mm' });
  const colours = h('input', { type: 'number', id: 'emb-colors', min: 1, max: 12, step: 1, placeholder: 'colours (logo)' });
  const form = h('form', { class: 'emb-upload', onsubmit: (e) => { e.preventDefault(); send(); } },
    file, name, fabric, width, colours, h('button', { type: 'submit' }, 'Upload'));
  const list = h('tbody', { id: 'emb-designs' });
  const detail = h('div', { class: 'emb-detail', id: 'emb-detail' });
  const orders = h('tbody', { id: 'emb-orders' });
  const tiles = h('div', { class: 'kpi-tiles', id: 'emb-kpis' });
  const perMachine = h('div', { class: 'emb-kpi-machines', id: 'emb-kpi-machines' });
  clear(view).append(h('div', { class: 'embroidery' },
    h('h2', {}, 'Embroidery'),
    h('h3', {}, 'Last 7 days'), tiles, perMachine,
    h('h3', {}, 'New design'), form, status,
    h('div', { class: 'columns' },
      h('div', {}, h('h3', {}, 'Designs'), h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, ['Design', 'Stitches', 'Colours', 'Size', 'Per piece'].map((t) => h('th', {}, t)))), list)),
      h('div', {}, detail)),
    h('h3', {}, 'Design orders'), h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Order', 'Design', 'Pieces', 'Status', 'Good', 'Due', 'ETA'].map((t) => h('th', {}, t)))), orders)));

  async function send() {
    if (!file.files[0]) { status.textContent = 'Choose a file first.'; return; }
    const q = new URLSearchParams({ name: name.value || file.files[0].name.replace(/\.[^.]+$/, ''), fabric: fabric.value });
    if (width.value) q.set('widthMm', width.value);
    if (colours.value && !/\.(svg|dst)$/i.test(file.files[0].name)) q.set('colors', colours.value);
    status.textContent = 'Digitizing…';
    status.classList.remove('error');
    try {
      const design = await upload(file.files[0], q.toString());
      status.textContent = `${design.name}: ${design.stitches} stitches` + (design.warnings.length ? ` · not embroidered: ${design.warnings.join(', ')}` : '');
      await loadDesigns();
      show(design);
    } catch (err) {
      status.textContent = err.message;
      status.classList.add('error');
    }
  }

  async function loadDesigns() {
    designs = (await listAll('/api/v1/embroidery/designs')).reverse();
    clear(list).append(...designs.map((d) => h('tr', { 'data-design': d.id, class: selected?.id === d.id ? 'selected' : null, onclick: () => show(d) },
      h('td', {}, h('a', { href: '#/embroidery', onclick: (e) => { e.preventDefault(); show(d); } }, d.name)), h('td', {}, String(d.stitches)),
      h('td', {}, String(d.threads.length)), h('td', {}, `${d.widthMm} × ${d.heightMm} mm`), h('td', {}, money(d.price.currency, d.price.perPiece)))));
    if (!designs.length) list.append(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No designs yet: upload one above.')));
  }

  async function show(design) {
    selected = design;
    for (const row of list.querySelectorAll('tr[data-design]')) row.classList.toggle('selected', Number(row.dataset.design) === design.id);
    const img = h('img', { class: 'emb-preview', alt: `stitches of ${design.name}` });
    const items = await listAll('/api/v1/inventory-items').catch(() => []);
    const item = h('select', { id: 'emb-item' }, items.map((i) => h('option', { value: i.id }, `${i.sku} · ${i.name}`)));
    const site = h('select', { id: 'emb-site' }, plant.sites.map((x) => h('option', { value: x.id }, x.name)));
    const quantity = h('input', { type: 'number', id: 'emb-quantity', min: 1, value: 10 });
    const customer = h('input', { type: 'text', id: 'emb-customer', placeholder: 'customer', value: 'Customer' });
    const due = h('input', { type: 'date', id: 'emb-due', value: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) });
    const total = h('p', { class: 'hint', id: 'emb-total' });
    const p = design.price;
    const price = () => { total.textContent = `Total for ${quantity.value} pieces: ${money(p.currency, p.setup + p.perPiece * Number(quantity.value || 0))}`; };
    quantity.addEventListener('input', price);
    price();
    clear(detail).append(h('h3', {}, design.name),
      img,
      h('p', { class: 'swatches' }, design.threads.map((t) => h('span', { class: 'swatch', 'data-colour': t, title: t }, t))),
      h('table', { class: 'grid', id: 'emb-stats' }, h('tbody', {},
        [['Stitches', design.stitches], ['Colour changes', design.colourChanges], ['Trims', design.trims],
          ['Size', `${design.widthMm} × ${design.heightMm} mm`], ['Run time', duration(design.runSeconds)],
          ['Per piece', money(p.currency, p.perPiece)], ['Setup per order', money(p.currency, p.setup)]]
          .map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, String(v)))))),
      h('p', { class: 'hint formula' }, p.formula),
      h('form', { class: 'emb-order', onsubmit: (e) => { e.preventDefault(); order(); } },
        customer, item, site, quantity, due, h('button', { type: 'submit' }, 'Order')),
      total);
    for (const sw of detail.querySelectorAll('.swatch')) sw.style.setProperty('--thread', sw.dataset.colour);
    previewUrl(design).then((url) => { img.src = url; }).catch((err) => detail.append(h('p', { class: 'error' }, err.message)));

    async function order() {
      try {
        const placed = await api(`/api/v1/embroidery/designs/${design.id}/orders`, {
          method: 'POST',
          body: { customer: customer.value, itemId: Number(item.value), siteId: Number(site.value), quantity: Number(quantity.value), dueAt: new Date(`${due.value}T23:59:00`).toISOString(), release: true },
        });
        total.textContent = `Order ${placed.order.number} placed: ${money(placed.currency, placed.total)}`;
        await loadOrders();
      } catch (err) {
        total.textContent = err.message;
      }
    }
  }

  async function loadOrders() {
    const all = { items: await listAll('/api/v1/orders') };
    const mine = all.items.filter((o) => o.customization?.embroidery).reverse();
    const byId = new Map(designs.map((d) => [d.id, d]));
    clear(orders).append(...mine.map((o) => {
      const d = byId.get(o.customization.embroidery.designId);
      return h('tr', { 'data-order': o.id, 'data-status': o.status },
        h('td', {}, o.number), h('td', {}, d?.name ?? `design ${o.customization.embroidery.designId}`), h('td', {}, String(o.quantity)),
        h('td', { class: 'status' }, o.status.replace('_', ' ')), h('td', {}, `${o.good} / ${o.quantity}`),
        h('td', {}, new Date(o.dueAt).toLocaleDateString()), h('td', {}, o.eta ? new Date(o.eta).toLocaleString() : '–'));
    }));
    if (!mine.length) orders.append(h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No design orders yet.')));
  }

  // The KPIs as the API reckons them (GET /api/v1/embroidery/kpis): tiles for all machines, a bar per machine.
  async function loadKpis() {
    const k = await api('/api/v1/embroidery/kpis');
    const num = (v, digits = 0) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en', { maximumFractionDigits: digits }));
    const hoursOf = (v) => (v === null || v === undefined ? '–' : `${Number(v).toFixed(1)} h`);
    const tile = (key, label, value, sub) => h('div', { class: 'kpi-tile', 'data-kpi': key },
      h('span', { class: 'label' }, label), h('strong', { class: 'value' }, value), h('span', { class: 'sub' }, sub));
    const t = k.totals;
    clear(tiles).append(
      tile('stitches-per-hour-head', 'Stitches per hour per head', num(t.stitchesPerHourPerHead), `${num(t.stitches)} stitches over ${num(t.headHours, 2)} head-hours running`),
      tile('breaks-per-million', 'Thread breaks per million stitches', num(t.breaksPerMillionStitches, 1), `${num(t.threadBreaks)} breaks`),
      tile('lead-time', 'Lead time, upload → completion', hoursOf(k.leadTime.averageHours), `mean of ${k.leadTime.orders} design orders; longest ${hoursOf(k.leadTime.maxHours)}`));
    const best = Math.max(1, ...k.machines.map((m) => m.stitchesPerHourPerHead ?? 0));
    const rowH = 22;
    const chart = s('svg', { class: 'emb-bars', viewBox: `0 0 600 ${Math.max(1, k.machines.length) * rowH}`, width: '100%', height: Math.max(1, k.machines.length) * rowH },
      ...k.machines.map((m, i) => s('g', { 'data-machine': m.machineId, transform: `translate(0 ${i * rowH})` },
        s('text', { x: 0, y: 15, class: 'bar-name' }, m.machine),
        s('rect', { x: 140, y: 4, height: 14, width: Math.round(300 * (m.stitchesPerHourPerHead ?? 0) / best), class: 'bar site' }),
        s('text', { x: 450, y: 15, class: 'bar-figure' }, `${num(m.stitchesPerHourPerHead)} /h/head · ${num(m.breaksPerMillionStitches, 1)} breaks/M`))));
    clear(perMachine).append(k.machines.length ? chart : h('p', { class: 'empty' }, 'No machine has reported stitches in the last 7 days.'));
  }

  const refresh = () => Promise.all([loadOrders(), loadKpis()]).catch((err) => { status.textContent = err.message; });
  loadDesigns().then(refresh).catch((err) => { status.textContent = err.message; });
  timer = setInterval(refresh, 5000);
  return () => clearInterval(timer);
}

/**
 * For the machine page of an embroidery machine: the design it is sewing (of the design order whose job it holds),
 * drawn from its stitches, with the needle where the machine last reported it (needle_x, needle_y in mm).
 */
export function sewingPanel(machineId, plant) {
  const body = h('div', { class: 'sewing', id: 'sewing' }, h('p', { class: 'empty' }, 'Not sewing a design order.'));
  const caption = h('p', { class: 'hint', id: 'sewing-caption' });
  const el = h('div', { class: 'panel' }, h('h3', {}, 'Design on the machine'), caption, body);
  let shown = null;
  let move = null;

  function place() {
    const v = plant.values.get(machineId) ?? {};
    if (move && typeof v.needle_x?.value === 'number' && typeof v.needle_y?.value === 'number') {
      move(v.needle_x.value, v.needle_y.value);
      const stitch = v.design_stitch?.value;
      caption.textContent = `${shown.name} · stitch ${stitch ?? '–'} of ${shown.stitches} · needle ${v.needle?.value ?? '–'} at ${v.needle_x.value.toFixed(1)}, ${v.needle_y.value.toFixed(1)} mm`;
    }
  }

  async function load() {
    const design = await api(`/api/v1/embroidery/machines/${machineId}/design`).catch((e) => (e.status === 404 ? null : Promise.reject(e)));
    if (design?.id === shown?.id) return;
    shown = design;
    move = null;
    caption.textContent = '';
    if (!design) { clear(body).append(h('p', { class: 'empty' }, 'Not sewing a design order.')); return; }
    const svg = await previewSvg(design);
    svg.setAttribute('data-design', design.id);
    move = needleMark(svg);
    clear(body).append(svg);
    place();
  }

  const refresh = () => load().catch((err) => { caption.textContent = err.message; });
  refresh();
  const timer = setInterval(refresh, 10_000);
  return { el, update: place, stop: () => clearInterval(timer) };
}
