// Child process of the benchmark: where the time of one whole-inventory run goes.
// Does what `reclass-net inventory --format json` does on one thread (resolve each node,
// write its JSON entry), timing each phase from the inside, then resolves the same
// inventory again in this process from a fresh `openInventory`: compiled code and
// module-level caches are then warm while every per-inventory cache starts empty, so
// the difference between the two passes is what a cold process pays to warm up (JIT
// tiering, first use of each code path), as opposed to work the data needs.
//
// usage: node bench/phases-probe.mjs REPO_ROOT INVENTORY_DIR
// Prints one JSON object on stdout.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { pathToFileURL } from 'node:url';

// Process start (performance.timeOrigin) to this line: Node's own start-up and this script.
const startupMs = performance.now();
const [repo, dir] = process.argv.slice(2);
if (!repo || !dir) {
  process.stderr.write('usage: node bench/phases-probe.mjs REPO_ROOT INVENTORY_DIR\n');
  process.exit(2);
}
// The engine flags the installed command sets (src/cli/engine-flags.cts), so that the
// passes warm up as the command's do. This probe loads the ES modules, not the bundle.
const flags = createRequire(import.meta.url)(join(repo, 'dist/src/cli/engine-flags.cjs'));
setFlagsFromString(flags.engineFlagsFor(['inventory']));
const dist = (file) => pathToFileURL(join(repo, 'dist/src', file)).href;

const t0 = performance.now();
const { openInventory } = await import(dist('api/inventory.js'));
const { entryWriter, nodeEntries } = await import(dist('cli/node-output.js'));
const importMs = performance.now() - t0;

/**
 * One pass over every node. A node is "first" when no node before it in this pass listed
 * the same classes: it pays for merging them, and records the results the nodes like it share.
 */
async function pass() {
  const a = performance.now();
  const inv = await openInventory(dir, { provenance: false });
  const names = inv.nodeNames();
  const writer = entryWriter(inv);
  if (names.length >= flags.SMALL_INVENTORY_NODES) setFlagsFromString(flags.LARGE_INVENTORY_FLAGS);
  const openMs = performance.now() - a;
  const seen = new Set();
  const first = { ms: 0, count: 0 };
  const other = { ms: 0, count: 0 };
  let bytes = 0;
  for (let i = 0; i < names.length; i++) {
    const b = performance.now();
    const entries = nodeEntries(inv, writer, names, i, i + 1);
    const ms = performance.now() - b;
    bytes += entries.texts[0].length;
    const key = entries.usage[0].classes.join('\n');
    const bucket = seen.has(key) ? other : first;
    seen.add(key);
    bucket.ms += ms;
    bucket.count++;
  }
  return { openMs, first, other, nodesMs: first.ms + other.ms, bytes };
}

try {
  const cold = await pass();
  // Best of two further passes: noise only ever adds.
  const warm = [await pass(), await pass()].reduce((x, y) => (y.openMs + y.nodesMs < x.openMs + x.nodesMs ? y : x));
  process.stdout.write(JSON.stringify({ startupMs, importMs, cold, warm }) + '\n');
} catch (e) {
  process.stderr.write(`phases-probe: ${e?.message ?? e}\n`);
  process.exit(1);
}
