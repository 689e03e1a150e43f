// Child process of the benchmark: resolves every node of an inventory through the
// library and renders each node's network, timing the phases from the inside.
// It is a separate process (run under measure.py) so that its peak RSS is its own
// and the library is loaded cold, as a user's script would load it.
//
// usage: node bench/render-probe.mjs REPO_ROOT [INVENTORY_DIR]
//   INVENTORY_DIR omitted: the embedded example model (the library default).
// Prints one JSON object on stdout.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [repo, invDir] = process.argv.slice(2);
const t0 = performance.now();
const lib = await import(pathToFileURL(join(repo, 'dist/src/index.js')).href);
const tLoad = performance.now();
for (const fn of ['openInventory', 'renderNetwork']) {
  if (typeof lib[fn] !== 'function') {
    // The library is built piece by piece; say what is missing instead of a stack trace.
    process.stderr.write(`render-probe: dist/src/index.js does not export ${fn}\n`);
    process.exit(3);
  }
}

let resolved;
try {
  const inv = await lib.openInventory(invDir ?? repo, {});
  resolved = toEntries(await inv.nodes());
} catch (e) {
  process.stderr.write(`render-probe: resolving the inventory failed: ${clip(describe(e))}\n`);
  process.exit(1);
}
const tResolve = performance.now();

let rendered = 0,
  skipped = 0,
  interfaces = 0,
  ovsCommands = 0;
const distinct = new Map();
let errorCount = 0;
for (const [name, node] of resolved) {
  // Nodes without a linux:network pillar have nothing to render (e.g. a bare cfg
  // node); they are counted, not failed.
  if (!node?.parameters?.linux?.network) {
    skipped++;
    continue;
  }
  try {
    const net = lib.renderNetwork(node);
    rendered++;
    interfaces += (net.interfaces.match(/^iface /gm) ?? []).length;
    ovsCommands += net.ovs.length;
  } catch (e) {
    // Group by message with the node name blanked: one model bug repeated on 900
    // nodes is one line of the report, with its count.
    const key = clip(describe(e).split(name).join('<node>'));
    const seen = distinct.get(key);
    if (seen) seen.count++;
    else distinct.set(key, { count: 1, first: name });
    errorCount++;
  }
}
const tRender = performance.now();

process.stdout.write(
  JSON.stringify({
    nodes: resolved.length,
    rendered,
    skipped,
    errorCount,
    errors: [...distinct]
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 5)
      .map(([msg, { count, first }]) => `${count} node(s), e.g. ${first}: ${msg}`),
    ifaceStanzas: interfaces,
    ovsCommands,
    loadMs: round(tLoad - t0),
    resolveMs: round(tResolve - tLoad),
    renderMs: round(tRender - tResolve),
  }) + '\n',
);

/** inv.nodes() may be a Map, a plain object or an array; normalise to [name, node] pairs. */
function toEntries(all) {
  if (all instanceof Map) return [...all.entries()];
  if (Array.isArray(all)) return all.map((n, i) => [n?.name ?? n?.__reclass__?.name ?? n?.node ?? String(i), n]);
  return Object.entries(all);
}

/** One line, kind first once (messages may already start with it), bounded length. */
function describe(e) {
  const kind = e?.kind ?? e?.name ?? 'Error';
  let msg = String(e?.message ?? e).split('\n')[0];
  if (!msg.startsWith(kind)) msg = `${kind}: ${msg}`;
  return msg;
}

function clip(s) {
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}
