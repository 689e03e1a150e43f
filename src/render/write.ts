/**
 * Writes rendered files under `outDir/NODE/`, each to a temporary file in its final directory
 * and then renamed into place, so a reader sees the old file or the new one, never half of
 * one. Refuses anything that would land outside `outDir`, including through a symlink that
 * sits inside it.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { OVS_SCRIPT_PATH, type RenderResult } from './render.js';

/** Files that must be executable. */
const EXECUTABLE = new Set([OVS_SCRIPT_PATH]);

/**
 * Writes every file of `result` and returns the absolute paths written.
 * @example
 * const written = await writeRenderOutput('out', node.name, renderNetwork(node));
 * // ['/abs/out/cmp01.mcp-lab.local/etc/network/interfaces', '/abs/out/cmp01.mcp-lab.local/ovs-setup.sh']
 */
export async function writeRenderOutput(outDir: string, nodeName: string, result: Pick<RenderResult, 'files'>): Promise<string[]> {
  const root = resolve(outDir);
  if (!/^[^/\\\u0000]+$/.test(nodeName) || nodeName === '.' || nodeName === '..') {
    throw outputError(`node name ${JSON.stringify(nodeName)} cannot be used as a directory name`, root);
  }
  const nodeDir = join(root, nodeName);
  const targets = Object.entries(result.files).map(([rel, content]) => {
    const target = resolve(nodeDir, rel);
    if (isAbsolute(rel) || rel.split(/[\\/]/).includes('..') || !inside(nodeDir, target)) {
      throw outputError(`refusing to write ${JSON.stringify(rel)}: it would land outside ${nodeDir}`, root);
    }
    return { target, content, mode: EXECUTABLE.has(rel) ? 0o755 : 0o644 };
  });
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  for (const { target, content, mode } of targets) {
    await makeDirectories(root, dirname(target));
    await refuseSymlink(root, target);
    await writeAtomically(target, content, mode);
    written.push(target);
  }
  return written;
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** Creates `dir` below `root` one level at a time, refusing symlinked levels. */
async function makeDirectories(root: string, dir: string): Promise<void> {
  let current = root;
  for (const part of relative(root, dir).split(sep).filter(Boolean)) {
    current = join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (info?.isSymbolicLink()) throw outputError(`refusing to write through the symlink ${current}`, root);
    if (info && !info.isDirectory()) throw outputError(`${current} exists and is not a directory`, root);
    if (!info) await mkdir(current).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw outputError(`cannot create ${current}: ${e.message}`, root);
    });
  }
}

async function refuseSymlink(root: string, target: string): Promise<void> {
  const info = await lstat(target).catch(() => undefined);
  if (info?.isSymbolicLink()) throw outputError(`refusing to replace the symlink ${target}`, root);
  if (info?.isDirectory()) throw outputError(`${target} is a directory`, root);
}

async function writeAtomically(target: string, content: string, mode: number): Promise<void> {
  const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode); // wx: never follow or reuse an existing path
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, mode); // open's mode is filtered by the umask
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof ReclassNetError) throw error;
    throw outputError(`cannot write ${target}: ${(error as Error).message}`, dirname(target));
  }
}

function outputError(detail: string, file: string): ReclassNetError {
  return new ReclassNetError('OutputError', detail, { location: { file, line: 0, column: 0 } });
}
