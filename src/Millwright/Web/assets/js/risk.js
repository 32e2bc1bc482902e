import { h, pct } from './dom.js';

// The failure risk of a machine's wearing part (GET /api/v1/machines/{id}/risk, docs/predictive-maintenance.md):
// the chance of failing within the next shift and day, the explanation in words, and the maintenance stop planned.
// An operator confirms a maintenance stop carried out or records a breakdown's repair here
// (POST .../maintenance-records): only that renews the part for the estimate. `record(body)` posts and redraws.
export function riskPanel(risk, record) {
  const stop = risk.plannedStop;
  const level = riskLevel(risk);
  const last = risk.lastMaintenance;
  const message = h('p', { class: 'risk-record-message' });
  const act = (label, id, body) => h('button', {
    type: 'button', id,
    onclick: (e) => {
      e.target.disabled = true;
      record(body).catch((err) => { message.textContent = err.message; e.target.disabled = false; });
    },
  }, label);
  const unconfirmed = risk.unconfirmedStop;
  const breakdown = risk.unrecordedBreakdown;
  return h('div', { class: 'risk', 'data-risk': level },
    h('p', { class: 'risk-figures' }, risk.status === 'ok'
      ? `Next shift ${pct(risk.nextShift)} · next day ${pct(risk.nextDay)}` + (risk.maintainBy ? ` · maintain by ${new Date(risk.maintainBy).toLocaleString()}` : '')
      : `Status: ${risk.status}`),
    h('p', { class: 'risk-explanation' }, risk.explanation),
    h('p', { class: 'risk-stop' }, stop
      ? `Planned stop: ${new Date(stop.from).toLocaleString()} to ${new Date(stop.to).toLocaleTimeString()} · ${stop.reason ?? ''}`
      : 'No maintenance stop planned.'),
    h('p', { class: 'risk-last' }, last
      ? `Last ${last.kind === 'repair' ? 'repair' : 'maintenance'}: ${new Date(last.doneAt).toLocaleString()} (recorded by ${last.recordedBy})${last.note ? ` · ${last.note}` : ''}`
      : 'No maintenance recorded.'),
    unconfirmed ? h('p', { class: 'risk-confirm' }, `Maintenance stop from ${new Date(unconfirmed.from).toLocaleString()}: carried out? `,
      act('Confirm maintenance done', 'confirm-maintenance', { kind: 'maintenance', plannedStopFrom: unconfirmed.from })) : null,
    breakdown ? h('p', { class: 'risk-confirm' }, `Breakdown from ${new Date(breakdown.start).toLocaleString()}${breakdown.end ? '' : ' (still down)'}: part replaced? `,
      act('Record repair', 'record-repair', { kind: 'repair', breakdownStateId: breakdown.id })) : null,
    message);
}

/** 'high' (next day at least 50 %), 'raised' (at least 10 %: worth a look, the big screen shows it), 'low', or 'unknown' without an estimate. */
export function riskLevel(risk) {
  if (!risk || risk.status !== 'ok') return 'unknown';
  return risk.nextDay >= 0.5 ? 'high' : risk.nextDay >= 0.1 ? 'raised' : 'low';
}
