import { api } from './api.js';
import { h, clear } from './dom.js';

const REFRESH_MS = 3000;
const PROTOCOLS = { opcua: 'OPC UA', modbus: 'Modbus TCP', sparkplug: 'Sparkplug B' };

// The machine's link as its transport reports it (GET .../latest): connected, or offline with the reason and a
// countdown to the next attempt under the reconnect back-off. An OPC UA machine adds each map entry's status in its
// last session (GET .../opcua); a Modbus machine its poller (GET .../modbus). The protocol's route is asked only once
// the link names it, so an MQTT machine's page asks nothing that would answer 404.
export function linkPanel(id) {
  const el = h('div', { class: 'panel link-panel', id: 'machine-link', 'data-online': 'unknown' });
  const headline = h('p', { class: 'link-state' }, 'No link state reported yet.');
  const reason = h('p', { class: 'link-reason', hidden: true });
  const details = h('div', { class: 'link-details' });
  el.append(headline, reason, details);
  let connection = null;
  let stopped = false;

  function writeHeadline() {
    if (!connection) return;
    const via = PROTOCOLS[connection.source] ?? connection.source;
    const since = new Date(connection.since).toLocaleTimeString();
    if (connection.online) {
      headline.textContent = `Connected (${via}) since ${since}`;
    } else if (connection.nextRetry) {
      const seconds = Math.max(0, Math.ceil((Date.parse(connection.nextRetry) - Date.now()) / 1000));
      const attempt = connection.attempt ? `, attempt ${connection.attempt}` : '';
      headline.textContent = seconds > 0
        ? `Offline (${via}) since ${since} · retrying in ${seconds} s${attempt}`
        : `Offline (${via}) since ${since} · retrying now${attempt}`;
    } else {
      headline.textContent = `Offline (${via}) since ${since}`;
    }
  }

  function writeReason() {
    // The detail repeats the wait as it was when the link failed; the headline counts down instead.
    const text = connection?.detail?.replace(/; retrying in [0-9.]+ s \(attempt \d+\)$/, '') ?? '';
    reason.hidden = !text;
    reason.textContent = text ? `${connection.online ? 'Note' : 'Reason'}: ${text}` : '';
  }

  function opcUaDetails(opcua) {
    const rows = (opcua.nodeStatus ?? []).map((s, i) => {
      const entry = opcua.nodes[i];
      return h('tr', { 'data-tag': s.tag, 'data-status': s.status },
        h('td', {}, s.tag), h('td', {}, entry?.nodeId ?? entry?.browsePath ?? ''), h('td', {}, s.resolvedNodeId ?? '—'),
        h('td', { class: s.status === 'Good' ? 'status good' : 'status bad' }, s.status));
    });
    return [
      h('p', { class: 'hint' }, `${opcua.endpoint} · ${opcua.security}${opcua.security === 'None' ? '' : ` ${opcua.securityMode}`} · publishing every ${opcua.publishingIntervalMs} ms · ${opcua.nodes.length} mapped nodes`),
      rows.length
        ? h('table', { class: 'grid node-status' }, h('thead', {}, h('tr', {}, h('th', {}, 'Tag'), h('th', {}, 'Node'), h('th', {}, 'Resolved'), h('th', {}, 'Status'))), h('tbody', {}, rows))
        : h('p', { class: 'empty' }, 'No node statuses yet: the machine has not had a session.'),
    ];
  }

  function modbusDetails(modbus) {
    const state = connection.online ? 'polling' : (connection.detail?.match(/^(\w+):/)?.[1] ?? 'not polling');
    return [h('p', { class: 'poller', 'data-poller': state },
      `Poller: ${state} · ${modbus.host}:${modbus.port} unit ${modbus.unitId} · every ${modbus.intervalMs} ms, timeout ${modbus.timeoutMs} ms · ${modbus.points.length} registers`)];
  }

  async function load() {
    const latest = await api(`/api/v1/machines/${id}/latest`);
    connection = latest.connection ?? null;
    if (!connection) return;
    el.dataset.online = String(connection.online);
    el.dataset.source = connection.source;
    writeHeadline();
    writeReason();
    if (connection.source === 'opcua') clear(details).append(...opcUaDetails(await api(`/api/v1/machines/${id}/opcua`)));
    else if (connection.source === 'modbus') clear(details).append(...modbusDetails(await api(`/api/v1/machines/${id}/modbus`)));
    else clear(details);
  }

  async function loop() {
    while (!stopped) {
      try {
        await load();
      } catch (e) {
        // The link's own route was deleted in the meantime (404) or the server is away: shown, tried again.
        reason.hidden = false;
        reason.textContent = `Could not read the link: ${e.message}`;
      }
      await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
    }
  }

  loop();
  const tick = setInterval(writeHeadline, 1000);
  return { el, stop: () => { stopped = true; clearInterval(tick); } };
}
