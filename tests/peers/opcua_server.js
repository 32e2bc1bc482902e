// A node-opcua server (npm node-opcua-server) with a small variety address space, for the OPC UA client tests.
// Arguments: port, and optionally a suffix for the Counter's node id (a server whose ids changed, for browse paths), and
// optionally a certificate PEM file, its private key PEM file and the application URI the certificate names (a server
// presenting a certificate a test's CA issued, instead of its own self-signed one). Prints {"event":"ready","port":N} once it listens; SIGTERM stops it.
// Address space, namespace urn:millwright:test (index 2 with node-opcua; the tests read the namespace array), under Objects/Machine:
//   Scalars/<Type>   one variable per built-in type (ns=1;s=Scalar.<Type>), writable
//   Arrays/<Name>    Int32, Double, String, Boolean arrays and a 2x3 Int32 matrix (ns=1;s=Array.<Name>)
//   Speed            Double, changes every 100 ms (a sine); Counter UInt32, +1 every 100 ms
//   Setpoint         Double, writable; Text String, writable; ReadOnly Double, not writable
//   Multiply(a, b)   method: Double, Double -> Double;  StartJob(jobId String, quantity UInt32) -> accepted Boolean
//   Many/Item00..59  60 variables, so a browse limited to a few references per call needs BrowseNext
//   Job              a job-taking machine (docs/opcua.md, "Commands"): Start(jobId UInt32, program String, quantity UInt32)
//                    -> accepted Boolean, Cancel(jobId UInt32); State Int32 (0 idle, 1 running, 3 cancelled, 4 completed,
//                    9 a code no map names), Id UInt32, Good UInt32. A started job completes 300 ms later with Good =
//                    quantity (State set after Good). Programs that misbehave: REJECT answers false, BUSY is refused
//                    with BadResourceUnavailable, SILENT never answers, BOGUS sets State 9. Each call prints {"event":"call",...}.
// Users: anonymous, and user "operator" with password "secret".
// Endpoints: security None, and Basic256Sha256 Sign and SignAndEncrypt.
'use strict';
const path = require('path');
const os = require('os');
const { OPCUAServer } = require('node-opcua-server');
const { nodesets } = require('node-opcua-nodesets');
const { Variant, DataType, VariantArrayType } = require('node-opcua-variant');
const { StatusCodes } = require('node-opcua-status-code');
const { SecurityPolicy, MessageSecurityMode } = require('node-opcua-secure-channel');
const { OPCUACertificateManager } = require('node-opcua-certificate-manager');

const port = Number(process.argv[2]);
const counterSuffix = process.argv[3] ?? '';
const [certificateFile, privateKeyFile, applicationUri] = process.argv.slice(4);
const say = (event, extra) => process.stdout.write(JSON.stringify({ event, ...extra }) + '\n');
// One PKI folder per machine user, reused between runs: generating the server's key pair is the slow part.
const pki = path.join(os.tmpdir(), 'millwright-opcua-peer-pki');

const scalars = {
  Boolean: [DataType.Boolean, true],
  SByte: [DataType.SByte, -5],
  Byte: [DataType.Byte, 200],
  Int16: [DataType.Int16, -1234],
  UInt16: [DataType.UInt16, 54321],
  Int32: [DataType.Int32, -123456],
  UInt32: [DataType.UInt32, 4000000000],
  Int64: [DataType.Int64, [0xFFFFFFFF, 0xFFFFFFFE]], // -2 as [high, low]
  UInt64: [DataType.UInt64, [1, 5]],                // 2^32 + 5
  Float: [DataType.Float, 1.5],
  Double: [DataType.Double, 3.25],
  String: [DataType.String, 'Grüße from OPC UA'],
  DateTime: [DataType.DateTime, new Date(Date.UTC(2026, 11, 6, 1, 2, 3))],
  Guid: [DataType.Guid, '72962B91-FA75-4AE6-8D28-B404DC7DAF63'],
  ByteString: [DataType.ByteString, Buffer.from([1, 2, 3, 250])],
  NodeId: [DataType.NodeId, null], // the Machine object's id, set once it exists
  StatusCode: [DataType.StatusCode, StatusCodes.BadNotReadable],
  QualifiedName: [DataType.QualifiedName, { namespaceIndex: 1, name: 'Spindle' }],
  LocalizedText: [DataType.LocalizedText, { locale: 'en', text: 'Mill 7' }],
};

async function main() {
  const serverCertificateManager = new OPCUACertificateManager({ automaticallyAcceptUnknownCertificate: true, rootFolder: pki });
  const server = new OPCUAServer({
    port,
    hostname: '127.0.0.1',
    nodeset_filename: [nodesets.standard],
    serverCertificateManager,
    // Endpoints: None, and Basic256Sha256 with Sign and with SignAndEncrypt. The server accepts any client
    // certificate (automaticallyAcceptUnknownCertificate); the client's trust list is what the tests exercise.
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    allowAnonymous: true,
    userManager: { isValidUser: (user, password) => user === 'operator' && password === 'secret' },
    buildInfo: { productName: 'millwright-test-peer' },
    ...(certificateFile ? { certificateFile, privateKeyFile, serverInfo: { applicationUri } } : {}),
  });
  await server.initialize();
  build(server.engine.addressSpace);
  await server.start();
  say('ready', { port: server.endpoints[0].port });
  process.on('SIGTERM', async () => { await server.shutdown(0); process.exit(0); });
}

function build(addressSpace) {
  const ns = addressSpace.registerNamespace('urn:millwright:test');
  const machine = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Machine', nodeId: 's=Machine' });
  const folder = (name) => ns.addObject({ componentOf: machine, browseName: name, nodeId: `s=${name}` });

  scalars.NodeId[1] = machine.nodeId;
  const scalarFolder = folder('Scalars');
  for (const [name, [dataType, value]] of Object.entries(scalars)) {
    ns.addVariable({
      componentOf: scalarFolder, browseName: name, nodeId: `s=Scalar.${name}`, dataType: DataType[dataType],
      accessLevel: 'CurrentRead | CurrentWrite', userAccessLevel: 'CurrentRead | CurrentWrite',
      value: new Variant({ dataType, arrayType: VariantArrayType.Scalar, value }),
    });
  }

  const arrayFolder = folder('Arrays');
  const arrays = {
    Int32: new Variant({ dataType: DataType.Int32, arrayType: VariantArrayType.Array, value: [1, -2, 3] }),
    Double: new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [0.5, 1.5] }),
    String: new Variant({ dataType: DataType.String, arrayType: VariantArrayType.Array, value: ['a', 'b', 'c'] }),
    Boolean: new Variant({ dataType: DataType.Boolean, arrayType: VariantArrayType.Array, value: [true, false] }),
    Matrix: new Variant({ dataType: DataType.Int32, arrayType: VariantArrayType.Matrix, dimensions: [2, 3], value: [1, 2, 3, 4, 5, 6] }),
  };
  for (const [name, value] of Object.entries(arrays)) {
    ns.addVariable({ componentOf: arrayFolder, browseName: name, nodeId: `s=Array.${name}`, dataType: DataType[value.dataType],
      valueRank: name === 'Matrix' ? 2 : 1, value });
  }

  let ticks = 0;
  const speed = ns.addVariable({ componentOf: machine, browseName: 'Speed', nodeId: 's=Speed', dataType: 'Double',
    value: new Variant({ dataType: DataType.Double, value: 0 }) });
  const counter = ns.addVariable({ componentOf: machine, browseName: 'Counter', nodeId: `s=Counter${counterSuffix}`, dataType: 'UInt32',
    value: new Variant({ dataType: DataType.UInt32, value: 0 }) });
  setInterval(() => {
    ticks++;
    speed.setValueFromSource(new Variant({ dataType: DataType.Double, value: 1000 + 100 * Math.sin(ticks / 10) }));
    counter.setValueFromSource(new Variant({ dataType: DataType.UInt32, value: ticks }));
  }, 100).unref();

  ns.addVariable({ componentOf: machine, browseName: 'Setpoint', nodeId: 's=Setpoint', dataType: 'Double',
    accessLevel: 'CurrentRead | CurrentWrite', userAccessLevel: 'CurrentRead | CurrentWrite',
    value: new Variant({ dataType: DataType.Double, value: 10 }) });
  ns.addVariable({ componentOf: machine, browseName: 'Text', nodeId: 's=Text', dataType: 'String',
    accessLevel: 'CurrentRead | CurrentWrite', userAccessLevel: 'CurrentRead | CurrentWrite',
    value: new Variant({ dataType: DataType.String, value: '' }) });
  ns.addVariable({ componentOf: machine, browseName: 'ReadOnly', nodeId: 's=ReadOnly', dataType: 'Double',
    accessLevel: 'CurrentRead', userAccessLevel: 'CurrentRead', value: new Variant({ dataType: DataType.Double, value: 7 }) });

  const multiply = ns.addMethod(machine, { browseName: 'Multiply', nodeId: 's=Multiply',
    inputArguments: [{ name: 'a', dataType: DataType.Double }, { name: 'b', dataType: DataType.Double }],
    outputArguments: [{ name: 'product', dataType: DataType.Double }] });
  multiply.bindMethod((inputs, context, callback) => callback(null, {
    statusCode: StatusCodes.Good,
    outputArguments: [{ dataType: DataType.Double, value: inputs[0].value * inputs[1].value }],
  }));
  const startJob = ns.addMethod(machine, { browseName: 'StartJob', nodeId: 's=StartJob',
    inputArguments: [{ name: 'jobId', dataType: DataType.String }, { name: 'quantity', dataType: DataType.UInt32 }],
    outputArguments: [{ name: 'accepted', dataType: DataType.Boolean }] });
  startJob.bindMethod((inputs, context, callback) => callback(null, {
    statusCode: StatusCodes.Good,
    outputArguments: [{ dataType: DataType.Boolean, value: inputs[1].value > 0 }],
  }));

  buildJob(ns, machine);

  const many = folder('Many');
  for (let i = 0; i < 60; i++) {
    const name = `Item${String(i).padStart(2, '0')}`;
    ns.addVariable({ componentOf: many, browseName: name, nodeId: `s=Many.${name}`, dataType: 'Int32',
      value: new Variant({ dataType: DataType.Int32, value: i }) });
  }
}

function buildJob(ns, machine) {
  const job = ns.addObject({ componentOf: machine, browseName: 'Job', nodeId: 's=Job' });
  const variable = (name, dataType) => ns.addVariable({ componentOf: job, browseName: name, nodeId: `s=Job.${name}`, dataType,
    value: new Variant({ dataType: DataType[dataType], value: 0 }) });
  const state = variable('State', 'Int32');
  const id = variable('Id', 'UInt32');
  const good = variable('Good', 'UInt32');
  const set = (node, dataType, value) => node.setValueFromSource(new Variant({ dataType, value }));

  const start = ns.addMethod(job, { browseName: 'Start', nodeId: 's=Job.Start',
    inputArguments: [{ name: 'jobId', dataType: DataType.UInt32 }, { name: 'program', dataType: DataType.String }, { name: 'quantity', dataType: DataType.UInt32 }],
    outputArguments: [{ name: 'accepted', dataType: DataType.Boolean }] });
  start.bindMethod((inputs, context, callback) => {
    const [jobId, program, quantity] = inputs.map((i) => i.value);
    say('call', { method: 'Start', jobId, program, quantity });
    const answer = (accepted) => callback(null, { statusCode: StatusCodes.Good, outputArguments: [{ dataType: DataType.Boolean, value: accepted }] });
    if (program === 'SILENT') return;
    if (program === 'BUSY') return callback(null, { statusCode: StatusCodes.BadResourceUnavailable });
    if (program === 'REJECT') return answer(false);
    set(id, DataType.UInt32, jobId);
    set(good, DataType.UInt32, 0);
    set(state, DataType.Int32, program === 'BOGUS' ? 9 : 1);
    answer(true);
    if (program !== 'BOGUS') {
      setTimeout(() => { set(good, DataType.UInt32, quantity); set(state, DataType.Int32, 4); }, 300).unref();
    }
  });
  const cancel = ns.addMethod(job, { browseName: 'Cancel', nodeId: 's=Job.Cancel',
    inputArguments: [{ name: 'jobId', dataType: DataType.UInt32 }], outputArguments: [] });
  cancel.bindMethod((inputs, context, callback) => {
    say('call', { method: 'Cancel', jobId: inputs[0].value });
    set(state, DataType.Int32, 3);
    callback(null, { statusCode: StatusCodes.Good, outputArguments: [] });
  });
}

main().catch((e) => { say('error', { message: String(e && e.stack ? e.stack : e) }); process.exit(1); });
