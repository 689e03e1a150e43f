/**
 * The shared network-reference examples (`<repo>/../shared/network-reference/NN-name/`):
 * the pillar of one node and what salt-formula-linux writes and runs for it.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** `<repo>/../shared`, overridable with RECLASS_NET_SHARED. */
export const SHARED_DIR =
  process.env.RECLASS_NET_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared');
export const REFERENCE_DIR = join(SHARED_DIR, 'network-reference');

export interface ReferenceExample {
  id: string;
  dir: string;
  /** The node name: `linux:system:name`.`domain` when given, else the example id. */
  nodeName: string;
  parameters: Record<string, unknown>;
}

export function referenceAvailable(): boolean {
  return existsSync(REFERENCE_DIR);
}

export async function listReferenceExamples(): Promise<ReferenceExample[]> {
  const ids = (await readdir(REFERENCE_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && existsSync(join(REFERENCE_DIR, e.name, 'pillar.yml')))
    .map((e) => e.name)
    .sort();
  return Promise.all(ids.map(loadReferenceExample));
}

async function loadReferenceExample(id: string): Promise<ReferenceExample> {
  const dir = join(REFERENCE_DIR, id);
  const parameters = parse(await readFile(join(dir, 'pillar.yml'), 'utf8')) as Record<string, unknown>;
  const system = (parameters.linux as { system?: { name?: string; domain?: string } } | undefined)?.system;
  const nodeName = system?.name ? (system.domain ? `${system.name}.${system.domain}` : system.name) : id;
  return { id, dir, nodeName, parameters };
}

/** Split a `### FILE <path>` concatenation (expected-interfaces) into files by path. */
function splitFiles(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^### FILE (\S+)\s*$/.exec(line);
    if (header) {
      current = header[1]!;
      files[current] = '';
    } else if (current !== undefined) files[current] += `${line}\n`;
  }
  return files;
}

/** What salt-formula-linux produced for an example, in the shape of a rendered node. */
export async function loadFormulaOutput(
  example: ReferenceExample,
): Promise<{ files: Record<string, string>; ovsScript: string }> {
  const read = async (name: string) =>
    existsSync(join(example.dir, name)) ? readFile(join(example.dir, name), 'utf8') : '';
  return {
    files: { ...splitFiles(await read('expected-interfaces')), ...splitFiles(await read('expected-other-files')) },
    ovsScript: await read('expected-ovs.sh'),
  };
}
