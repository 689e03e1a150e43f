/**
 * reclass 1.7's Salt and Ansible adapters (adapter_oracle.py), run once per inventory on a
 * mirror of it that reclass can read (scripts/lib/oracle-inventory.mjs: class_paths become
 * symlinks).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { mirrorInventory, oracleAvailable } from '../../scripts/lib/oracle-inventory.mjs';

const run = promisify(execFile);
const DRIVER = fileURLToPath(new URL('./adapter_oracle.py', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS_ROOT = resolve(ROOT, '../shared/corpus');

export const available: boolean = oracleAvailable();

export type OracleRequest = ['pillar', string] | ['top', string] | ['top'] | ['ansible', ...string[]];
export type OracleResult = { ok: true; text: string } | { ok: false; kind: string; message: string };

/** The inventories the tests compare on: the embedded model and every corpus. */
export function inventories(): Array<{ label: string; dir: string }> {
  const list = [{ label: 'embedded model', dir: ROOT }];
  if (existsSync(CORPUS_ROOT)) {
    for (const name of subdirectories(CORPUS_ROOT)) {
      const dir = join(CORPUS_ROOT, name, 'inventory');
      if (existsSync(dir)) list.push({ label: `corpus ${name}`, dir });
    }
  }
  return list;
}

/** Subdirectories, sorted so that test names are stable. */
function subdirectories(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * Runs the requests in one Python process. `mirrorNodes` is where reclass saw the node
 * files (the mirror's nodes/), which reclass-ansible shows in `__reclass__.uri`.
 */
export async function runAdapters(
  dir: string,
  requests: OracleRequest[],
): Promise<{ results: OracleResult[]; mirrorNodes: string }> {
  const mirror = mirrorInventory(dir);
  try {
    const { stdout } = await run('/usr/bin/python3', [DRIVER, mirror.dir, JSON.stringify(requests)], {
      maxBuffer: 512 * 1024 * 1024,
    });
    return { results: JSON.parse(stdout) as OracleResult[], mirrorNodes: join(realpathSync(mirror.dir), 'nodes') };
  } finally {
    mirror.cleanup();
  }
}
