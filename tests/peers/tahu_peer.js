// An Eclipse Tahu edge node (npm sparkplug-client, the reference client) driven by one JSON argument:
//   {url, username, password, clientId, group, node, rebirthMetric, birth: [metric], data: [metric],
//    device?: {id, birth: [metric], data: [metric]}}
// It publishes NBIRTH (plus DBIRTH) when connected, then NDATA (plus DDATA), and reports what happens as JSON
// lines on stdout: ready, ncmd (with its metrics, decoded by Tahu's sparkplug-payload), error.
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

client.on('birth', () => {
  const birth = stamp(config.birth);
  if (config.rebirthMetric) {
    birth.push({ name: 'Node Control/Rebirth', type: 'Boolean', value: false });
  }
  client.publishNodeBirth({ timestamp: now(), metrics: birth });
  if (config.device) {
    client.publishDeviceBirth(config.device.id, { timestamp: now(), metrics: stamp(config.device.birth) });
  }
  client.publishNodeData({ timestamp: now(), metrics: stamp(config.data) });
  if (config.device) {
    client.publishDeviceData(config.device.id, { timestamp: now(), metrics: stamp(config.device.data) });
  }
  say('ready');
});

client.on('ncmd', (payload) => say('ncmd', { metrics: payload.metrics.map((m) => ({ name: m.name, value: m.value })) }));
client.on('error', (e) => say('error', { message: String(e && e.message ? e.message : e) }));
process.on('SIGTERM', () => { client.stop(); process.exit(0); });
