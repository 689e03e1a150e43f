// Runs reclass 1.7 (scripts/reclass-oracle) on an inventory that uses reclass-net's
// `class_paths` extension, which reclass does not know: builds a throw-away inventory whose
// classes/ holds a symlink per class_paths prefix (classes/system -> <inventory>/system) beside
// links to the inventory's own classes/*, links nodes/, and writes a reclass-config.yml
// without class_paths. Used by scripts/generate-nodes-oracle.mjs and test/model.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';

const run = promisify(execFile);
const ORACLE = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'reclass-oracle');

/** True when Debian's python3-reclass (reclass 1.7) can be run. */
export function oracleAvailable() {
  return existsSync(ORACLE) && existsSync('/usr/lib/python3/dist-packages/reclass');
}

/** Builds the mirror inventory; returns { dir, cleanup }. */
export function mirrorInventory(inventory) {
  inventory = resolve(inventory);
  const configPath = join(inventory, 'reclass-config.yml');
  const config = existsSync(configPath) ? (parse(readFileSync(configPath, 'utf8'), { version: '1.1' }) ?? {}) : {};
  const classPaths = config.class_paths ?? {};
  const nodesUri = config.nodes_uri ?? 'nodes';
  const classesUri = config.classes_uri ?? 'classes';
  const dir = mkdtempSync(join(tmpdir(), 'reclass-net-oracle-'));
  const classes = join(dir, 'classes');
  mkdirSync(classes);
  const own = join(inventory, classesUri);
  if (existsSync(own)) {
    for (const entry of readdirSync(own)) {
      if (!(entry in classPaths)) symlinkSync(join(own, entry), join(classes, entry));
    }
  }
  for (const [prefix, target] of Object.entries(classPaths)) {
    symlinkSync(resolve(inventory, target), join(classes, prefix));
  }
  symlinkSync(join(inventory, nodesUri), join(dir, 'nodes'));
  const mirrored = { ...config, inventory_base_uri: '.', nodes_uri: 'nodes', classes_uri: 'classes' };
  delete mirrored.class_paths;
  writeFileSync(join(dir, 'reclass-config.yml'), stringify(mirrored));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs reclass 1.7 with `args` (e.g. ['-n', 'cfg01.mcp-lab.local'] or ['-i']); parsed JSON. */
export async function runOracle(mirrorDir, args) {
  const { stdout } = await run(ORACLE, ['-b', '.', '-o', 'json', ...args], {
    cwd: mirrorDir,
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

/** Node files written by hand (not under _generated/) that carry reclass:storage:node. */
export function handWrittenNodes(inventory) {
  const config = existsSync(join(inventory, 'reclass-config.yml'))
    ? (parse(readFileSync(join(inventory, 'reclass-config.yml'), 'utf8'), { version: '1.1' }) ?? {})
    : {};
  const nodes = join(resolve(inventory), config.nodes_uri ?? 'nodes');
  return readdirSync(nodes)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -'.yml'.length))
    .sort();
}
