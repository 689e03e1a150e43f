#!/usr/bin/env node
// Regenerates <inventory>/nodes/_generated/ from the reclass:storage:node of the hand-written
// nodes, resolved by reclass 1.7 itself (scripts/reclass-oracle), expanded by reclass-net's
// generateNodeFiles (build first: `npm run build`). Independent of reclass-net's resolver, so
// it cross-checks `reclass-net generate-nodes`.
//
//   node scripts/generate-nodes-oracle.mjs [--inventory DIR] [--check] [--verify]
//     --check   write nothing; exit 1 if nodes/_generated/ differs from what would be written
//     --verify  afterwards resolve the whole inventory with reclass 1.7 (`-i`) and report
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handWrittenNodes, mirrorInventory, oracleAvailable, runOracle } from './lib/oracle-inventory.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const inventoryIndex = args.indexOf('--inventory');
const inventory = resolve(inventoryIndex >= 0 ? args[inventoryIndex + 1] : repo);
const { generateNodeFiles, formatGeneratedNode } = await import(join(repo, 'dist/src/inventory/generate-nodes.js'));

if (!oracleAvailable()) {
  console.error('reclass 1.7 (python3-reclass) is not installed');
  process.exit(2);
}
const mirror = mirrorInventory(inventory);
try {
  const wanted = new Map();
  for (const name of handWrittenNodes(inventory)) {
    const node = await runOracle(mirror.dir, ['-n', name]);
    const storage = node.parameters?.reclass?.storage;
    if (!storage?.node) continue;
    const symbol = storage.repeat_replace_symbol;
    for (const file of generateNodeFiles(storage.node, symbol ? { replaceSymbol: symbol } : {})) {
      if (wanted.has(file.fileName)) throw new Error(`${file.fileName} is declared by two nodes`);
      wanted.set(file.fileName, formatGeneratedNode(file.document));
    }
    console.log(`${name}: ${generateNodeFiles(storage.node).length} nodes`);
  }
  const dir = join(inventory, 'nodes', '_generated');
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yml')) : [];
  const stale = present.filter((f) => !wanted.has(f));
  const changed = [...wanted].filter(
    ([f, text]) => !present.includes(f) || readFileSync(join(dir, f), 'utf8') !== text,
  );
  if (flag('--check')) {
    for (const f of stale) console.error(`stale: ${f}`);
    for (const [f] of changed) console.error(`differs: ${f}`);
    if (stale.length || changed.length) process.exit(1);
    console.log(`nodes/_generated is up to date (${wanted.size} files)`);
  } else {
    mkdirSync(dir, { recursive: true });
    for (const f of stale) rmSync(join(dir, f));
    for (const [f, text] of changed) writeFileSync(join(dir, f), text);
    console.log(`wrote ${changed.length}, removed ${stale.length}, ${wanted.size} generated nodes`);
  }
  if (flag('--verify')) {
    const all = await runOracle(mirror.dir, ['-i']);
    console.log(`reclass 1.7 resolves the whole inventory: ${Object.keys(all.nodes).length} nodes`);
  }
} finally {
  mirror.cleanup();
}
