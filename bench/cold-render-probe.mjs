// Child process of the benchmark: where the time of one cold `render NAME` goes. Does what
// the command does, in a fresh process, timing each phase from the inside:
//   start-up  process start (performance.timeOrigin) to this script's first line
//   modules   importing the library modules a render uses (the ES modules, not the bundle)
//   tree      openInventory as `render` opens it: reading the config, listing the nodes (the
//             class directories are listed as the lookup needs them, in the next phase)
//   parse     looking up, reading and parsing the node's file and every class it reaches, depth first
//             (loaded into the inventory's class cache, so `resolve` finds them parsed)
//   resolve   resolving the node (merging, interpolation) into plain data
//   validate  the first analysis of its linux:network (schema, normalising, checks)
//   render    renderNetwork (the interfaces file, OVS commands), less the time of a warm
//             analysis taken right after it: the command analyses once, renderNetwork here
//             analyses a second time
//   write     the JSON text, written to stdout
// usage: node bench/cold-render-probe.mjs REPO_ROOT INVENTORY_DIR NODE
// Prints one JSON object on stderr (stdout carries the render, as the command's does).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const startupMs = performance.now();
const [repo, dir, name] = process.argv.slice(2);
if (!repo || !dir || !name) {
  process.stderr.write('usage: node bench/cold-render-probe.mjs REPO_ROOT INVENTORY_DIR NODE\n');
  process.exit(2);
}
// As the installed command does before compiling its bundle (src/cli/engine-flags.cts).
const { engineFlagsFor } = createRequire(import.meta.url)(join(repo, 'dist/src/cli/engine-flags.cjs'));
setFlagsFromString(engineFlagsFor(['render', name]));
const dist = (file) => pathToFileURL(join(repo, 'dist/src', file)).href;

const marks = { startupMs };
let t = performance.now();
const lap = (phase) => {
  const now = performance.now();
  marks[phase] = now - t;
  t = now;
};

const { openInventory } = await import(dist('api/inventory.js'));
const { analyzeNetwork } = await import(dist('network/index.js'));
const { renderNetwork } = await import(dist('render/index.js'));
lap('modulesMs');

const inv = await openInventory(dir, { listClasses: 'as-needed' });
const full = inv.resolveName(name);
lap('treeMs');

// Storage is private to TypeScript, not to JavaScript: load the classes the node reaches,
// as the resolver will, so that parsing is timed apart from resolving.
// The class lists are the files' own: names with a reference or relative to their class
// (`.name`) are left to the resolver, which loads those few itself.
const storage = inv.storage;
let files = 1;
const seen = new Set();
const classesOf = (loaded) => {
  const list = loaded.data.get('classes');
  return Array.isArray(list) ? list.filter((c) => typeof c === 'string') : [];
};
const reach = (classes) => {
  for (const c of classes) {
    const loaded = seen.has(c) || c.includes('${') ? undefined : storage.findClass(c);
    if (!loaded) continue;
    seen.add(c);
    files++;
    reach(classesOf(loaded));
  }
};
reach(classesOf(storage.getNode(full)));
lap('parseMs');

const node = await inv.node(full);
lap('resolveMs');

analyzeNetwork(node);
lap('validateMs');

const result = renderNetwork(node);
lap('renderMs');
analyzeNetwork(node);
const again = performance.now() - t;
marks.renderMs = Math.max(0, marks.renderMs - again);
t = performance.now();

const { model, interfaces, ovs, ovsScript, files: out, warnings } = result;
writeSync(
  1,
  JSON.stringify({ node: node.name, model, interfaces, ovs, ovsScript, files: out, warnings }, null, 2) + '\n',
);
lap('writeMs');

process.stderr.write(JSON.stringify({ ...marks, files, classes: node.classes.length }) + '\n');
