import { h, pct } from './dom.js';

// The failure risk of a machine's wearing part (GET /api/v1/machines/{id}/risk, docs/predictive-maintenance.md):
// the chance of failing within the next shift and day, the explanation in words, and the maintenance stop planned.
export function riskPanel(risk) {
  const stop = risk.plannedStop;
  const level = riskLevel(risk);
  return h('div', { class: 'risk', 'data-risk': level },
    h('p', { class: 'risk-figures' }, risk.status === 'ok'
      ? `Next shift ${pct(risk.nextShift)} · next day ${pct(risk.nextDay)}` + (risk.maintainBy ? ` · maintain by ${new Date(risk.maintainBy).toLocaleString()}` : '')
      : `Status: ${risk.status}`),
    h('p', { class: 'risk-explanation' }, risk.explanation),
    h('p', { class: 'risk-stop' }, stop
      ? `Planned stop: ${new Date(stop.from).toLocaleString()} to ${new Date(stop.to).toLocaleTimeString()} · ${stop.reason ?? ''}`
      : 'No maintenance stop planned.'));
}

/** 'high' (next day at least 50 %), 'raised' (at least 10 %: worth a look, the big screen shows it), 'low', or 'unknown' without an estimate. */
export function riskLevel(risk) {
  if (!risk || risk.status !== 'ok') return 'unknown';
  return risk.nextDay >= 0.5 ? 'high' : risk.nextDay >= 0.1 ? 'raised' : 'low';
}
