/** One function per CLI command; each returns the exit code. */
import { createRequire } from 'node:module';
import { ReclassNetError } from '../errors.js';
import { openInventory, type Inventory, type InventoryOptions } from '../api/inventory.js';
import { AsciiWriter } from './ascii-writer.js';
import { warnOnStderr, writeStderr, writeStdout } from './stdio.js';
import { expectFormat, expectPositionals, usageError, type Command } from './args.js';
import { chosenInventory } from './which-model.js';
import { explainValue } from './explain.js';
import { escapeControl } from './terminal.js';
import { configuredSecretWords } from '../publish/redact.js';
import { MIN_NODES_FOR_WORKER, inventoryDocument, nodeDocument, streamInventoryJson } from './node-output.js';
import { pythonJson, pythonYaml } from './output.js';
import { LARGE_INVENTORY_FLAGS, SMALL_INVENTORY_NODES } from './engine-flags.cjs';

/**
 * The launcher started with the small inventory's engine flags (engine-flags.cts); a large one
 * gets the others. `node:v8` loads only then: it brings Node's stream modules with it.
 */
function growToLargeInventory(): void {
  const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  setFlagsFromString(LARGE_INVENTORY_FLAGS);
}

async function open(cmd: Command, options: InventoryOptions = {}): Promise<Inventory> {
  return openInventory(chosenInventory(cmd), { warn: warnOnStderr, ...options });
}

/**
 * One document as `format`. Without the inventory's shared results: writing what nodes share
 * once pays from a second document on; for one, looking each container up in them costs more
 * than it saves (whole inventories go through node-output.ts, which uses them).
 */
function dump(data: unknown, format: string): string {
  return format === 'json' ? pythonJson(data) + '\n' : pythonYaml(data);
}

async function node(cmd: Command): Promise<number> {
  const [name] = expectPositionals(cmd, 1, 1, 'one node name');
  const format = expectFormat(cmd, ['yaml', 'json']);
  // The whole class tree, as reclass -n reads it: a class defined twice anywhere is an error.
  const inv = await open(cmd, { provenance: false });
  writeStdout(dump(nodeDocument(inv.rawNode(name)), format));
  return 0;
}

async function inventory(cmd: Command): Promise<number> {
  expectPositionals(cmd, 0, 0, 'no arguments');
  const format = expectFormat(cmd, ['yaml', 'json']);
  const options = { provenance: false };
  const inv = await open(cmd, options);
  if (inv.nodeNames().length >= SMALL_INVENTORY_NODES) growToLargeInventory();
  await inv.listing(async () => {
    if (format === 'json') {
      // JSON is ASCII-only here (non-ASCII is \u-escaped, as Python's json.dumps does), so
      // latin1 gives UTF-8's bytes with a plain copy; UTF-8 encoding was a tenth of a run.
      const out = new AsciiWriter(writeStdout);
      const write = (text: string) => out.write(text);
      if (inv.nodeNames().length < MIN_NODES_FOR_WORKER) await streamInventoryJson(inv, write);
      else {
        const { streamInventoryJsonParallel } = await import('./parallel.js');
        await streamInventoryJsonParallel(inv, chosenInventory(cmd), options, write);
      }
      await out.flush();
    } else {
      writeStdout(dump(inventoryDocument(inv), format));
    }
  });
  return 0;
}

// The renderer (ajv schemas, templates) loads only for the commands that render: it
// would add a tenth of a second to every cold `node` call. Likewise the worker pool
// (parallel.ts, only for inventories that use it) and the node generator: Node's
// worker_threads and fs/promises modules take a few milliseconds to load.
const renderer = () => import('../render/index.js');

async function render(cmd: Command): Promise<number> {
  const format = expectFormat(cmd, ['text', 'json']);
  const backend = renderBackend(cmd).backend;
  // Many nodes (names, globs, --all) go to their own module; one node keeps the direct path.
  if (cmd.plan.all || cmd.positionals.length !== 1 || /[*?[]/.test(cmd.positionals[0])) {
    if (cmd.plan.file !== undefined) throw usageError('--file prints one file of one node; name exactly one node');
    return (await import('./render-many.js')).renderNodes(cmd, backend, format, writeStdout);
  }
  const [name] = expectPositionals(cmd, 1, 1, 'one node name');
  const { formatRenderText, renderNetwork, writeRenderOutput } = await renderer();
  const { formatProblem } = await import('../network/index.js');
  const inv = await open(cmd, { listClasses: 'as-needed' });
  const resolved = await inv.node(name);
  const result = renderNetwork(resolved, { strict: cmd.strict, ...(backend ? { backend } : {}) });
  for (const warning of result.warnings) writeStderr(`reclass-net: ${formatProblem(warning)}\n`);
  if (cmd.plan.file !== undefined) {
    const { pickFile } = await import('./render-many.js');
    const path = pickFile(result.files, cmd.plan.file);
    if (path === undefined)
      throw usageError(
        `node ${resolved.name} renders no file '${cmd.plan.file}'; it renders ${Object.keys(result.files).join(', ')}`,
      );
    writeStdout(result.files[path]);
    return 0;
  }
  if (cmd.out !== undefined) {
    const written = await writeRenderOutput(cmd.out, resolved.name, result);
    if (format === 'text') writeStdout(written.map((f) => `wrote ${f}\n`).join(''));
  }
  if (format === 'json') {
    const { model, interfaces, ovs, ovsScript, files, warnings } = result;
    writeStdout(
      JSON.stringify(
        { inventory: cmd.inventory, node: resolved.name, model, interfaces, ovs, ovsScript, files, warnings },
        null,
        2,
      ) + '\n',
    );
  } else if (cmd.out === undefined) {
    writeStdout(formatRenderText(result));
  }
  return 0;
}

function renderBackend(cmd: Command): { backend?: 'ifupdown' | 'netplan' } {
  if (cmd.backend === undefined) return {};
  if (cmd.backend !== 'ifupdown' && cmd.backend !== 'netplan')
    throw usageError(`--backend must be ifupdown or netplan, not '${cmd.backend}'`);
  return { backend: cmd.backend };
}

async function validate(cmd: Command): Promise<number> {
  const format = expectFormat(cmd, ['text', 'json']);
  const { analyzeNetwork, findDuplicateAddresses, formatProblem } = await import('../network/index.js');
  // Named nodes look up only the class directories their class names can be in, as `render`
  // does; without names every node is checked, over the whole tree.
  const inv = await open(cmd, cmd.positionals.length > 0 ? { listClasses: 'as-needed' } : {});
  // Names are resolved inside the loop: an unknown name is one more problem, not the end.
  const names = cmd.positionals.length > 0 ? cmd.positionals : inv.nodeNames();
  if (names.length >= SMALL_INVENTORY_NODES) growToLargeInventory();
  const problems: ValidationProblem[] = [];
  const analysed = [];
  for (const name of names) {
    try {
      const resolved = await inv.node(name);
      for (const p of analyzeNetwork(resolved).problems) {
        problems.push({ node: resolved.name, severity: p.severity, message: formatProblem(p), problem: p });
      }
      analysed.push(resolved);
    } catch (e) {
      if (e instanceof ReclassNetError)
        problems.push({ node: name, severity: 'error', message: e.message, kind: e.kind });
      else throw e;
    }
  }
  for (const message of findDuplicateAddresses(analysed)) problems.push({ severity: 'error', message });
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const failed = errors > 0 || (cmd.strict && warnings > 0);
  if (format === 'json') {
    writeStdout(
      JSON.stringify({ nodes: names.length, errors, warnings, strict: cmd.strict, problems }, null, 2) + '\n',
    );
  } else {
    for (const p of problems) writeStderr(`${escapeControl(p.message)}\n`);
    writeStdout(
      `${names.length} nodes checked, ${errors} errors, ${warnings} warnings${cmd.strict && warnings > 0 ? ' (--strict: warnings count as errors)' : ''}\n`,
    );
  }
  return failed ? 1 : 0;
}

/** One entry of `validate`'s report: a pillar problem, a model error, or a clash across nodes. */
interface ValidationProblem {
  node?: string;
  severity: 'error' | 'warning';
  message: string;
  kind?: string;
  problem?: unknown;
}

async function explain(cmd: Command): Promise<number> {
  const [name, path] = expectPositionals(cmd, 2, 2, 'a node name and a KEY:PATH');
  const inv = await open(cmd, { listClasses: 'as-needed' });
  const resolved = await inv.node(name);
  writeStdout(
    explainValue(resolved, path, inv.settings.delimiter, {
      root: inv.config.root,
      secretWords: configuredSecretWords(inv.config.options),
      showSecrets: cmd.showSecrets,
    }),
  );
  return 0;
}

async function generate(cmd: Command): Promise<number> {
  expectPositionals(cmd, 0, 0, 'no arguments');
  const { generateNodes } = await import('./generate.js');
  const inv = await open(cmd);
  const { changed, files, diffs } = await generateNodes(inv, cmd.check);
  if (cmd.check && changed.length > 0) {
    writeStdout(diffs.join(''));
    writeStderr(`reclass-net: generated nodes are out of date: ${changed.join(', ')}\n`);
    return 1;
  }
  writeStdout(`${files.length} node files ${cmd.check ? 'up to date' : 'written'}, ${changed.length} changed\n`);
  return 0;
}

async function docs(cmd: Command): Promise<number> {
  expectPositionals(cmd, 0, 0, 'no arguments');
  if (cmd.out === undefined) throw usageError("'docs' needs --out DIR");
  const format = expectFormat(cmd, ['html', 'markdown']) as 'html' | 'markdown';
  const { generateDocs } = await import('../docs/index.js');
  const inv = await open(cmd);
  const written = await generateDocs(inv, cmd.out, { format, showSecrets: cmd.showSecrets });
  writeStdout(`${written.length} files written to ${cmd.out}\n`);
  return 0;
}

/** `nodes`: every node with its cluster (`_param:cluster_name`, else its domain) and role. */
async function nodesList(cmd: Command): Promise<number> {
  expectPositionals(cmd, 0, 0, 'no arguments');
  const format = expectFormat(cmd, ['text', 'json']);
  const inv = await open(cmd, { provenance: false });
  const rows = [];
  for (const name of inv.nodeNames()) {
    const [short = name, ...domain] = name.split('.');
    let cluster = domain.join('.');
    try {
      const param = ((await inv.node(name)).parameters as { _param?: { cluster_name?: unknown } })._param?.cluster_name;
      if (typeof param === 'string') cluster = param;
    } catch {
      // a node that does not resolve is still listed, with its domain as cluster
    }
    rows.push({ node: name, cluster, role: short.replace(/\d+$/, '') });
  }
  if (format === 'json') writeStdout(JSON.stringify({ inventory: cmd.inventory, nodes: rows }, null, 2) + '\n');
  else writeStdout(rows.map((r) => `${r.node} ${r.cluster || '-'} ${r.role}\n`).join(''));
  return 0;
}

// The Salt/Ansible adapters and the server load only when their command runs.
const adapters = () => import('../adapters/cli.js');

export const commands: Record<string, (cmd: Command) => Promise<number>> = {
  node,
  // The operator's loop (src/plan, src/apply): each loads only when its command runs.
  diff: async (cmd) => (await import('./diff.js')).diff(cmd, expectFormat(cmd, ['text', 'json']), writeStdout),
  impact: async (cmd) => (await import('./impact.js')).impact(cmd, expectFormat(cmd, ['text', 'json']), writeStdout),
  nodes: nodesList,
  apply: async (cmd) => (await import('./apply.js')).apply(cmd, expectFormat(cmd, ['text', 'json']), writeStdout),
  inventory,
  render,
  validate,
  explain,
  docs,
  'generate-nodes': generate,
  salt: async (cmd) => (await adapters()).salt(cmd, chosenInventory(cmd)),
  ansible: async (cmd) => (await adapters()).ansible(cmd, chosenInventory(cmd)),
  serve: async (cmd) => (await import('../serve/cli.js')).serve(cmd, chosenInventory(cmd)),
};
