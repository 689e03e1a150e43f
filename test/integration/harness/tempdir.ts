/**
 * Temp directories. Kept short (`/tmp/rnt-XXXXXX`) because OVS puts unix sockets in them and
 * a socket path must fit in 108 bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rnt-'));
}

/** Remove a temp dir, unless RNT_KEEP is set (to inspect logs of a failing test). */
export async function removeTempDir(dir: string): Promise<void> {
  if (process.env.RNT_KEEP) {
    console.log(`[integration] keeping ${dir} (RNT_KEEP is set)`);
    return;
  }
  await rm(dir, { recursive: true, force: true });
}
