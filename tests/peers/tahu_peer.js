// An Eclipse Tahu edge node (npm sparkplug-client, the reference client) driven by one JSON argument:
//   {url, username, password, clientId, group, node, rebirthMetric, birth: [metric], data: [metric],
//    device?: {id, birth: [metric], data: [metric]}, answer?: {commandType: [status]}}
// It publishes NBIRTH (plus DBIRTH) when connected, then NDATA (plus DDATA), and reports what happens as JSON
// lines on stdout: ready, ncmd / dcmd (with its metrics, decoded by Tahu's sparkplug-payload), error.
// With `answer`, the commanded node (or device, when there is one) declares the Answer/* metrics in its birth and
// answers each command whose Command/type is listed with one DATA message per status, as docs/sparkplug.md says a
// machine does: Answer/commandId, Answer/jobId (when the command had one), Answer/status and, for "completed",
// Answer/good = the command's quantity.
'use strict';
const sparkplug = require('sparkplug-client');

const config = JSON.parse(process.argv[2]);
const say = (event, extra) => process.stdout.write(JSON.stringify({ event, ...extra }) + '\n');
const now = () => Date.now();

const client = sparkplug.newClient({
  serverUrl: config.url,
  username: config.username,
  password: config.password,
  clientId: config.clientId,
  groupId: config.group,
  edgeNode: config.node,
  version: 'spBv1.0',
});

const stamp = (metrics) => metrics.map((m) => ({ timestamp: now(), ...m }));
// Tahu's decoder gives Int64 values as Long objects.
const plain = (v) => (v && typeof v === 'object' && typeof v.toNumber === 'function' ? v.toNumber() : v);
const answerMetrics = config.answer ? [
  { name: 'Answer/commandId', type: 'String', value: '' },
  { name: 'Answer/jobId', type: 'Int64', value: 0 },
  { name: 'Answer/status', type: 'String', value: '' },
  { name: 'Answer/good', type: 'Int64', value: 0 },
] : [];
const commanded = (metrics) => Object.fromEntries(metrics
  .filter((m) => m.name.startsWith('Command/'))
  .map((m) => [m.name.slice('Command/'.length), plain(m.value)]));

function answer(command, publish) {
  const statuses = (config.answer || {})[command.type] || [];
  for (const status of statuses) {
    const metrics = [{ name: 'Answer/status', type: 'String', value: status, timestamp: now() }];
    if (command.commandId !== undefined) metrics.push({ name: 'Answer/commandId', type: 'String', value: String(command.commandId), timestamp: now() });
    if (command.jobId !== undefined) metrics.push({ name: 'Answer/jobId', type: 'Int64', value: command.jobId, timestamp: now() });
    if (status === 'completed') metrics.push({ name: 'Answer/good', type: 'Int64', value: command.quantity || 0, timestamp: now() });
    publish({ timestamp: now(), metrics });
  }
}

client.on('birth', () => {
  const birth = stamp(config.device ? config.birth : config.birth.concat(answerMetrics));
  if (config.rebirthMetric) {
    birth.push({ name: 'Node Control/Rebirth', type: 'Boolean', value: false });
  }
  client.publishNodeBirth({ timestamp: now(), metrics: birth });
  if (config.device) {
    client.publishDeviceBirth(config.device.id, { timestamp: now(), metrics: stamp(config.device.birth.concat(answerMetrics)) });
  }
  client.publishNodeData({ timestamp: now(), metrics: stamp(config.data) });
  if (config.device) {
    client.publishDeviceData(config.device.id, { timestamp: now(), metrics: stamp(config.device.data) });
  }
  say('ready');
});

client.on('ncmd', (payload) => {
  say('ncmd', { metrics: payload.metrics.map((m) => ({ name: m.name, value: plain(m.value) })) });
  if (!config.device) answer(commanded(payload.metrics), (p) => client.publishNodeData(p));
});
client.on('dcmd', (device, payload) => {
  say('dcmd', { device, metrics: payload.metrics.map((m) => ({ name: m.name, value: plain(m.value) })) });
  answer(commanded(payload.metrics), (p) => client.publishDeviceData(device, p));
});
client.on('error', (e) => say('error', { message: String(e && e.message ? e.message : e) }));
process.on('SIGTERM', () => { client.stop(); process.exit(0); });
