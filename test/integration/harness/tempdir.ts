/**
 * Temp directories. Kept short (`/tmp/rnt-<pid>-XXXXXX`) because OVS puts unix sockets in
 * them and a socket path must fit in 108 bytes; the pid lets a later run remove what a killed
 * run left behind.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), `rnt-${process.pid.toString(36)}-`));
}

/** Remove temp dirs of harness processes that no longer exist. */
export async function sweepStaleTempDirs(): Promise<void> {
  for (const entry of await readdir(tmpdir())) {
    const match = /^rnt-([0-9a-z]+)-\w{6}$/.exec(entry);
    if (!match) continue;
    const pid = parseInt(match[1], 36);
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        await rm(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
}

/** Remove a temp dir, unless RNT_KEEP is set (to inspect logs of a failing test). */
export async function removeTempDir(dir: string): Promise<void> {
  if (process.env.RNT_KEEP) {
    console.log(`[integration] keeping ${dir} (RNT_KEEP is set)`);
    return;
  }
  await rm(dir, { recursive: true, force: true });
}
