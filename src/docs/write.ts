/**
 * Writes documentation files: each to a temporary file beside its target, then renamed, so a
 * reader (a web server, a wiki checkout) never sees half a page.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { ReclassNetError } from '../errors.js';

/** Writes `files` (relative path -> content) under `outDir`; returns the absolute paths written. */
export async function writeFiles(outDir: string, files: Map<string, string>): Promise<string[]> {
  const root = resolve(outDir);
  const written: string[] = [];
  for (const [rel, content] of files) {
    const target = resolve(root, rel);
    // Page names are sanitised (paths.ts); this guards against a bug there, not against input.
    if (!target.startsWith(root + sep)) throw new Error(`internal error: page path ${rel} leaves ${root}`);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(content, 'utf8');
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw new ReclassNetError('OutputError', `cannot write ${target}: ${(e as Error).message}`);
    }
    written.push(target);
  }
  return written;
}
