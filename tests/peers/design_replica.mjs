// Runs the dashboard's design replica (src/Millwright/Web/assets/js/designtree.js) on cases the .NET tests send on
// stdin, so that they can compare it with the server's DesignTree: each case is several delivery orders of the same
// operations (each into a fresh replica) and a snapshot with operations after it. Prints, per case, the state each
// replica ended in, described as the tests describe DesignTree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = readFileSync(fileURLToPath(new URL('../../src/Millwright/Web/assets/js/designtree.js', import.meta.url)), 'utf8');
// A data: URL is always an ES module, whatever package.json (there is none) would say about the file.
const { DesignReplica } = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);

function describe(r) {
  const nodes = [...r.parents.keys()].sort();
  const lines = nodes.map((n) => `${n} < ${r.parents.get(n)} ${[...(r.fields.get(n) ?? new Map())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([f, v]) => `${f}=${v.value ?? ''}`).join(',')}`);
  const skipped = [...r.skipped].sort();
  return `${lines.join('\n')}\nskipped ${skipped.join(' ')}`;
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const output = input.map((c) => {
  const orders = c.orders.map((ops) => {
    const r = new DesignReplica();
    for (const op of ops) r.apply(op);
    return describe(r);
  });
  const fromState = DesignReplica.fromState(c.state);
  for (const op of c.rest) if (!fromState.isStale(op)) fromState.apply(op);
  return { orders, snapshot: describe(fromState) };
});
process.stdout.write(JSON.stringify(output));
