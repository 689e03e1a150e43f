/**
 * `reclass-net generate-nodes`: every node whose resolved parameters declare
 * `reclass:storage:node` (a cfg node) gets its node files written to `nodes/_generated/`.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Inventory } from '../inventory/open.js';
import { formatGeneratedNode, generateNodeFiles } from '../inventory/generate-nodes.js';
import type { Value } from '../types.js';

function storageNodes(parameters: Record<string, Value>): Value | undefined {
  const reclass = parameters.reclass;
  if (!reclass || typeof reclass !== 'object' || Array.isArray(reclass)) return undefined;
  const storage = (reclass as Record<string, Value>).storage;
  if (!storage || typeof storage !== 'object' || Array.isArray(storage)) return undefined;
  return (storage as Record<string, Value>).node;
}

export async function generateNodes(inv: Inventory, checkOnly: boolean): Promise<{ files: string[]; changed: string[] }> {
  const outDir = join(inv.config.nodesDir, '_generated');
  const files: string[] = [];
  const changed: string[] = [];
  for (const name of inv.nodeNames()) {
    if (inv.config.nodesDir && name && (await isGenerated(inv, name))) continue;
    const node = await inv.node(name);
    const declared = storageNodes(node.parameters);
    if (declared === undefined) continue;
    for (const { fileName, document } of generateNodeFiles(declared)) {
      const target = join(outDir, fileName);
      const text = formatGeneratedNode(document);
      files.push(target);
      const current = await readFile(target, 'utf8').catch(() => undefined);
      if (current === text) continue;
      changed.push(target);
      if (checkOnly) continue;
      await mkdir(outDir, { recursive: true });
      await writeFile(`${target}.tmp`, text);
      await rename(`${target}.tmp`, target);
    }
  }
  return { files, changed };
}

async function isGenerated(inv: Inventory, name: string): Promise<boolean> {
  return inv.nodeFile(name).startsWith(join(inv.config.nodesDir, '_generated') + '/');
}
