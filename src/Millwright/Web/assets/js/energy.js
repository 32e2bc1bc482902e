import { session } from './api.js';
import { h, pct } from './dom.js';

// Energy on the dashboard: one line for a machine page, a table per machine for the KPI page, and the CSV the
// server writes (GET /api/v1/energy.csv, docs/energy.md), fetched with the key so it downloads like a file.

const kwh = (x) => (x === null || x === undefined ? '–' : `${x.toFixed(x >= 100 ? 0 : 2)} kWh`);
const kw = (x) => (x === null || x === undefined ? '–' : `${x.toFixed(1)} kW`);

export function energyLine(report) {
  const m = report.machines[0];
  if (!m || m.meterMachineId === null) return 'No energy meter: give the machine one (PUT …/energy-meter) or its type an energy counter.';
  const f = m.figures;
  const at = f.peakAt ? ` at ${new Date(f.peakAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : '';
  const meter = m.meterMachineId === m.machineId ? 'own counter' : `meter machine ${m.meterMachineId}`;
  return `Energy ${kwh(f.kwh)} · standby ${kwh(f.standbyKwh)} · peak demand ${kw(f.peakDemandKw)} (15 min)${at} · `
    + `${f.kwhPerGoodUnit === null ? '–' : f.kwhPerGoodUnit.toFixed(3)} kWh per good unit · energy utilization ${pct(f.energyUtilization)} · ${meter} '${m.counterTag}'`;
}

export function energyTable(report) {
  const row = (name, f, attrs = {}) => h('tr', attrs, h('td', {}, name), h('td', {}, kwh(f.kwh)), h('td', {}, kwh(f.productiveKwh)), h('td', {}, kwh(f.standbyKwh)),
    h('td', {}, kw(f.peakDemandKw)), h('td', {}, f.kwhPerGoodUnit === null ? '–' : f.kwhPerGoodUnit.toFixed(3)), h('td', {}, pct(f.energyUtilization)));
  return h('table', { class: 'grid', id: 'energy-table' },
    h('thead', {}, h('tr', {}, ['machine', 'energy', 'productive', 'standby', 'peak demand', 'kWh / good unit', 'energy utilization'].map((x) => h('th', {}, x)))),
    h('tbody', {}, report.machines.filter((m) => m.meterMachineId !== null).map((m) => row(m.name, m.figures, { 'data-machine': m.machineId })),
      row('total', report.total, { class: 'total' })));
}

export async function downloadEnergyCsv(query) {
  const response = await fetch(`/api/v1/energy.csv?${query}`, { headers: { 'X-Api-Key': session.key ?? '' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`energy CSV: HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const a = h('a', { href: url, download: 'energy.csv' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
