import { api, listAll } from './api.js';
import { h, clear, fmt } from './dom.js';
import { when, statusLabel } from './orders.js';

// Made to measure (docs/made-to-measure.md, "Orders over REST"): enter a customer's measurements or pick a stored
// customer, see the base size, alterations and warnings; order a jacket, trousers or a skirt and see the drafted pattern and
// marker (the server's SVGs, shown as images so nothing in them runs); follow the orders to completion.
const FIELDS = [
  ['stature', 'Height (mm)', 1], ['weightkg', 'Weight (kg)', 10], ['chestcircumference', 'Chest (mm)', 1], ['waistcircumference', 'Waist (mm)', 1],
  ['buttockcircumference', 'Hip (mm)', 1], ['neckcircumference', 'Neck (mm)', 1], ['sleeveoutseam', 'Arm length (mm)', 1], ['crotchheight', 'Inside leg height (mm)', 1],
];

export function tailoringPage(view, plant) {
  const message = h('p', { class: 'message', id: 'mtm-message' });
  const pick = h('select', { id: 'mtm-customer', onchange: () => showCustomer(customers.find((c) => String(c.id) === pick.value)) });
  const name = h('input', { name: 'name', required: true, maxlength: 100 });
  const sex = h('select', { name: 'sex' }, h('option', { value: 'male' }, 'male'), h('option', { value: 'female' }, 'female'));
  const inputs = Object.fromEntries(FIELDS.map(([key]) => [key, h('input', { name: key, type: 'number', step: 'any', min: 0 })]));
  const entry = h('form', { class: 'mtm-entry', id: 'mtm-entry', onsubmit: (e) => { e.preventDefault(); save(); } },
    h('label', {}, 'Name ', name), h('label', {}, 'Sex ', sex),
    FIELDS.map(([key, label]) => h('label', { 'data-field': key }, `${label} `, inputs[key], h('span', { class: 'field-error' }))),
    h('button', { type: 'submit' }, 'Save customer'));
  const body = h('div', { class: 'mtm-body', id: 'mtm-body' });
  const garment = h('select', { name: 'garment' }, h('option', { value: 'jacket' }, 'jacket'), h('option', { value: 'trousers' }, 'trousers'), h('option', { value: 'skirt' }, 'skirt (womenswear)'));
  const fabric = h('input', { name: 'fabric', value: 'wool twill', maxlength: 100 });
  const width = h('input', { name: 'widthMm', type: 'number', value: 1500, min: 300, max: 5000 });
  const item = h('select', { name: 'itemId' });
  const site = h('select', { name: 'siteId' }, plant.sites.map((x) => h('option', { value: x.id }, x.name)));
  const order = h('form', { class: 'filters', id: 'mtm-order', onsubmit: (e) => { e.preventDefault(); place(); } },
    h('label', {}, 'Garment ', garment), h('label', {}, 'Fabric ', fabric), h('label', {}, 'width (mm) ', width),
    h('label', {}, 'Product ', item), h('label', {}, 'Site ', site), h('button', { type: 'submit' }, 'Place order'));
  const pattern = h('div', { class: 'mtm-pattern', id: 'mtm-pattern' });
  const rows = h('tbody');
  const list = h('table', { class: 'grid', id: 'mtm-orders' },
    h('thead', {}, h('tr', {}, ['order', 'customer', 'garment', 'size', 'marker', 'status', 'progress', 'jobs'].map((t) => h('th', {}, t)))), rows);
  clear(view).append(h('div', { class: 'mtm' }, h('h2', {}, 'Made to measure'), message,
    h('section', {}, h('h3', {}, 'Customer'), h('label', {}, 'Stored customer ', pick), entry, body),
    h('section', {}, h('h3', {}, 'Order'), order, pattern),
    h('section', {}, h('h3', {}, 'Orders'), list)));
  let customers = [];
  let current = null;
  let stopped = false;

  async function loadCustomers(select) {
    customers = await listAll('/api/v1/c2m/customers');
    clear(pick).append(h('option', { value: '' }, customers.length ? '— new customer —' : '— none stored yet —'),
      customers.map((c) => h('option', { value: c.id }, `${c.name} (${c.size.designation})`)));
    if (select) { pick.value = String(select); showCustomer(customers.find((c) => c.id === select)); }
  }

  async function save() {
    message.textContent = '';
    for (const span of entry.querySelectorAll('.field-error')) span.textContent = '';
    const measurements = {};
    for (const [key, , scale] of FIELDS) if (inputs[key].value !== '') measurements[key] = Number(inputs[key].value) * scale;
    try {
      const c = await api('/api/v1/c2m/customers', { method: 'POST', body: { name: name.value, sex: sex.value, measurements } });
      await loadCustomers(c.id);
      message.textContent = `Customer ${c.name} saved.`;
    } catch (e) {
      // Problems name the measurement (measurements.NAME): show each next to its field.
      for (const [field, texts] of Object.entries(e.problem?.errors ?? {})) {
        const at = entry.querySelector(`[data-field="${field.replace('measurements.', '')}"] .field-error`);
        if (at) at.textContent = texts.join('; ');
      }
      message.textContent = e.message;
    }
  }

  function showCustomer(c) {
    current = c ?? null;
    clear(body);
    if (!c) return;
    body.append(h('p', { class: 'mtm-size' }, `${c.size.chart} base size `, h('strong', { id: 'mtm-designation' }, c.size.designation)),
      h('table', { class: 'grid mtm-alterations' }, h('thead', {}, h('tr', {}, h('th', {}, 'control'), h('th', {}, 'alteration (mm)'))),
        h('tbody', {}, Object.entries(c.size.alterations).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, `${v > 0 ? '+' : ''}${fmt(v)}`))))),
      c.warnings.length ? h('ul', { class: 'warnings' }, c.warnings.map((w) => h('li', {}, w))) : null);
  }

  async function place() {
    message.textContent = '';
    if (!current) { message.textContent = 'Save or pick a customer first.'; return; }
    try {
      const placed = await api('/api/v1/c2m/orders', {
        method: 'POST',
        body: {
          customerId: current.id, garment: garment.value, fabric: { name: fabric.value, widthMm: Number(width.value) },
          itemId: Number(item.value), siteId: Number(site.value), dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), release: true,
        },
      });
      message.textContent = `Order ${placed.order.number} placed: ${placed.madeToMeasure.garment}, size ${placed.madeToMeasure.size.designation}.`;
      await showPattern(placed.madeToMeasure);
      await refresh();
    } catch (e) { message.textContent = e.message; }
  }

  async function showPattern(m) {
    // The SVGs are fetched with the key and shown as data: images: an <img> runs no script and loads nothing else.
    const [pieces, marker] = await Promise.all([text(m.links.patternSvg), text(m.links.markerSvg)]);
    clear(pattern).append(
      h('p', {}, `Marker ${fmt(m.fabricWidthMm)} × ${fmt(m.markerLengthMm)} mm, efficiency ${(m.efficiency * 100).toFixed(1)} %, ${m.pieces} pieces`),
      h('img', { id: 'mtm-pieces', alt: 'pattern pieces', src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(pieces)}` }),
      h('img', { id: 'mtm-marker', alt: 'marker', src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(marker)}` }));
  }

  async function refresh() {
    const garments = (await api('/api/v1/c2m/orders?limit=500')).items.slice(-20).reverse();
    const orders = await Promise.all(garments.map((g) => api(`/api/v1/orders/${g.orderId}`)));
    if (stopped) return;
    clear(rows);
    if (!garments.length) rows.append(h('tr', {}, h('td', { colspan: 8, class: 'empty' }, 'No made-to-measure orders yet.')));
    garments.forEach((g, i) => {
      const o = orders[i];
      rows.append(h('tr', { 'data-order': o.id, 'data-status': o.status, onclick: () => showPattern(g) },
        h('td', {}, o.number), h('td', {}, o.customer), h('td', {}, g.garment), h('td', {}, g.size.designation),
        h('td', {}, `${(g.efficiency * 100).toFixed(1)} %`), h('td', { class: 'status' }, statusLabel(o.status)),
        h('td', {}, `${Math.round(o.progress * 100)} %`),
        h('td', {}, (o.jobs ?? []).map((j) => `${j.operation}: ${j.machine ?? '–'} ${j.status}${j.endedAt ? ` ${when(j.endedAt)}` : ''}`).join(' · '))));
    });
  }

  async function text(path) {
    const response = await fetch(path, { headers: { 'X-Api-Key': sessionStorage.getItem('millwright.key') ?? '' }, cache: 'no-store' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.text();
  }

  (async () => {
    try {
      const items = await listAll('/api/v1/inventory-items');
      item.append(...items.map((x) => h('option', { value: x.id }, `${x.sku} ${x.name}`)));
      await loadCustomers();
      await refresh();
    } catch (e) { message.textContent = e.message; }
  })();
  const timer = setInterval(() => refresh().catch((e) => { message.textContent = e.message; }), 5000);
  return () => { stopped = true; clearInterval(timer); };
}
