/**
 * `reclass-net generate-nodes`: every node whose resolved parameters declare
 * `reclass:storage:node` (a cfg node) gets its node files written to `nodes/_generated/`.
 * Every file of every cfg node is computed first, then written in one all-or-nothing write
 * (src/io/write-all.ts), so a failure on the second cfg node leaves the first one's files
 * as they were. A file counts as changed when what reclass reads from it changes, not its
 * key order or quoting: a hand-formatted file that means the same is left alone.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { unifiedDiff } from '../diff/unified.js';
import { toPlain } from '../inventory/plain.js';
import { loadYaml } from '../inventory/yaml.js';
import type { Inventory } from '../api/inventory.js';
import { formatGeneratedNode, generateNodeFiles } from '../inventory/generate-nodes.js';
import { writeAll, type FileToWrite } from '../io/write-all.js';
import type { Value } from '../types.js';

const GENERATED = '_generated';

function storageNodes(parameters: Record<string, Value>): Value | undefined {
  const reclass = parameters.reclass;
  if (!reclass || typeof reclass !== 'object' || Array.isArray(reclass)) return undefined;
  const storage = (reclass as Record<string, Value>).storage;
  if (!storage || typeof storage !== 'object' || Array.isArray(storage)) return undefined;
  return (storage as Record<string, Value>).node;
}

/** What generate-nodes found: every file it makes, the ones whose meaning changed, and their diffs. */
export interface GenerateResult {
  files: string[];
  changed: string[];
  /** A unified diff per changed file, current text against the generated one. */
  diffs: string[];
}

export async function generateNodes(inv: Inventory, checkOnly: boolean): Promise<GenerateResult> {
  const outDir = join(inv.config.nodesDir, GENERATED);
  const files: string[] = [];
  const changed: string[] = [];
  const diffs: string[] = [];
  const toWrite: FileToWrite[] = [];
  for (const name of inv.nodeNames()) {
    if (isGenerated(inv, name)) continue;
    const node = await inv.node(name);
    const declared = storageNodes(node.parameters);
    if (declared === undefined) continue;
    for (const { fileName, document } of generateNodeFiles(declared)) {
      const target = join(outDir, fileName);
      const text = formatGeneratedNode(document);
      files.push(target);
      const current = await currentText(target);
      if (current !== undefined && sameMeaning(current, text, target)) continue;
      changed.push(target);
      diffs.push(unifiedDiff(`${GENERATED}/${fileName}`, `${GENERATED}/${fileName}`, current, text));
      toWrite.push({ path: `${GENERATED}/${fileName}`, content: text });
    }
  }
  if (!checkOnly && toWrite.length > 0) await writeAll(inv.config.nodesDir, toWrite);
  return { files, changed, diffs };
}

/** True when reclass reads the same data from both texts (a file that does not parse differs). */
function sameMeaning(current: string, generated: string, file: string): boolean {
  if (current === generated) return true;
  try {
    return isDeepStrictEqual(toPlain(loadYaml(current, file)), toPlain(loadYaml(generated, file)));
  } catch {
    return false;
  }
}

/** The file's text, or undefined when it is missing or not a plain file (a link is never read). */
async function currentText(target: string): Promise<string | undefined> {
  const info = await lstat(target).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return readFile(target, 'utf8').catch(() => undefined);
}

function isGenerated(inv: Inventory, name: string): boolean {
  return inv.nodeFile(name).startsWith(join(inv.config.nodesDir, GENERATED) + '/');
}
