/**
 * Sources of `(nodeName, parameters)` pairs for the node tests: the reclass corpora's
 * expected outputs (`../shared/corpus/NAME/expected/<node>.json`, written by reclass 1.7
 * itself, so these tests do not depend on reclass-net's resolver) and any inventory opened
 * with reclass-net's own `openInventory` (the embedded example model).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Parameters } from './lab.js';
import { SHARED_DIR } from './reference.js';
import type { NodeCase } from './vitest.js';

export const CORPUS_DIR = join(SHARED_DIR, 'corpus');

/** Real models kept for the network work (DPDK computes), beside the reclass corpora. */
export const NETWORK_CORPUS_DIR = join(SHARED_DIR, 'corpus-network');

/** The repository root, which is also the embedded example model's inventory. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** True if the node's pillar declares at least one network interface. */
function hasInterfaces(parameters: Parameters): boolean {
  const linux = parameters.linux as { network?: { interface?: unknown } } | undefined;
  const interfaces = linux?.network?.interface;
  return typeof interfaces === 'object' && interfaces !== null && Object.keys(interfaces).length > 0;
}

/** Corpus names (directories of `base`, default ../shared/corpus, with an expected/ dir). */
export async function listCorpora(base: string = CORPUS_DIR): Promise<string[]> {
  if (!existsSync(base)) return [];
  return (await readdir(base, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && existsSync(join(base, e.name, 'expected')))
    .map((e) => e.name)
    .sort();
}

/** Every node of a corpus that has interfaces, with the parameters reclass 1.7 resolved. */
export async function loadCorpusNodes(corpus: string, base: string = CORPUS_DIR): Promise<NodeCase[]> {
  const dir = join(base, corpus, 'expected');
  const cases: NodeCase[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    const node = JSON.parse(await readFile(join(dir, file), 'utf8')) as { parameters?: Parameters };
    const parameters = node.parameters ?? {};
    const nodeName = file.replace(/\.json$/, '');
    if (hasInterfaces(parameters)) cases.push({ title: `${corpus} ${nodeName}`, nodeName, parameters });
  }
  return cases;
}

type OpenInventory = (dir: string) => Promise<{ nodes(): Promise<{ name: string; parameters: Parameters }[]> }>;

/**
 * Every node with interfaces of an inventory, resolved by reclass-net (`openInventory`,
 * default: the embedded example model at the repository root). `missing` when the library cannot do it yet.
 */
export async function loadInventoryNodes(
  dir: string = REPO_ROOT,
): Promise<{ cases: NodeCase[] } | { missing: string }> {
  let open: OpenInventory;
  try {
    const module = (await import('../../../src/index.js')) as { openInventory?: OpenInventory };
    if (typeof module.openInventory !== 'function')
      return { missing: 'src/index.ts does not export openInventory yet' };
    open = module.openInventory;
  } catch (error) {
    return {
      missing: `src/index.ts cannot be loaded yet: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
    };
  }
  const inventory = await open(dir);
  const nodes = await inventory.nodes();
  return {
    cases: nodes
      .filter((node) => hasInterfaces(node.parameters))
      .map((node) => ({ title: node.name, nodeName: node.name, parameters: node.parameters })),
  };
}
