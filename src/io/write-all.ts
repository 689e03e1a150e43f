/**
 * The one writer of every command that writes (render --out, generate-nodes, docs): a set
 * of files below one root directory is written completely or not at all.
 *
 * 1. Check: every path is relative and stays below the root; no directory on the way and
 *    no target is a symbolic link, and nothing in the way is of the wrong type. A single
 *    refused target refuses the whole set before a byte is written.
 * 2. Stage: missing directories are made one level at a time (never following a link),
 *    then each file's content goes to a temporary file beside its target, created
 *    exclusively (`wx`: an existing path, link or not, is never opened) with a random name.
 * 3. Commit: each existing target is kept under a hard link, then every temporary file is
 *    renamed over its target. If a rename fails, the targets already replaced get their
 *    old files back and new ones are removed.
 *
 * On any failure the temporary files, backups and directories made are removed again, so
 * the tree is as it was. A link planted between check and commit is still never followed:
 * rename replaces a link itself, and temporary names are never reused.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, open, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { present } from '../invariant.js';

/** One file to write: a `/`-separated path relative to the root, its text and its mode. */
export interface FileToWrite {
  path: string;
  content: string;
  /** Default 0o644. */
  mode?: number;
}

interface Planned {
  target: string;
  content: string;
  mode: number;
  existed: boolean;
  temp?: string;
  backup?: string;
  replaced?: boolean;
}

/**
 * Writes `files` below `root` (created if missing) all-or-nothing and returns the absolute
 * paths written, in the order given. Throws an `OutputError` naming the refused path.
 * @example
 * await writeAll('out', [{ path: 'cmp01/ovs-setup.sh', content: script, mode: 0o755 }]);
 */
export async function writeAll(root: string, files: FileToWrite[]): Promise<string[]> {
  const top = resolve(root);
  const plan = await check(top, files);
  const made: string[] = [];
  try {
    await makeDirectories(top, plan, made);
    for (const p of plan) p.temp = await writeTemp(p);
    await commit(plan);
  } catch (error) {
    await undo(plan, made);
    if (error instanceof ReclassNetError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw outputError(`cannot write below ${top}: ${e.code ?? e.message}; nothing was changed`, top);
  }
  await Promise.all(plan.flatMap((p) => (p.backup ? [unlink(p.backup).catch(() => undefined)] : [])));
  return plan.map((p) => p.target);
}

/** Every target checked before anything is written. */
async function check(top: string, files: FileToWrite[]): Promise<Planned[]> {
  const rootInfo = await lstatOrUndefined(top, top);
  if (rootInfo && !rootInfo.isDirectory() && !(rootInfo.isSymbolicLink() && (await isDirectoryThroughLink(top)))) {
    throw outputError(`${top} exists and is not a directory`, top);
  }
  const seen = new Set<string>();
  const dirs = new Map<string, boolean>();
  const plan: Planned[] = [];
  for (const file of files) {
    const parts = file.path.split('/');
    if (
      isAbsolute(file.path) ||
      file.path.includes('\\') ||
      file.path.includes('\0') ||
      parts.some((p) => p === '' || p === '.' || p === '..')
    ) {
      throw outputError(`refusing to write ${JSON.stringify(file.path)}: it would land outside ${top}`, top);
    }
    const target = join(top, ...parts);
    if (seen.has(target)) throw outputError(`${target} is asked for twice`, top);
    seen.add(target);
    let dir = top;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      if (!dirs.has(dir)) {
        const info = await lstatOrUndefined(dir, top);
        if (info?.isSymbolicLink()) throw outputError(`refusing to write through the symlink ${dir}`, top);
        if (info && !info.isDirectory()) throw outputError(`${dir} exists and is not a directory`, top);
        dirs.set(dir, info !== undefined);
      }
      if (seen.has(dir)) throw outputError(`${dir} is asked for as a file and as a directory`, top);
    }
    if (dirs.has(target)) throw outputError(`${target} is asked for as a file and as a directory`, top);
    const info = dirs.get(dirname(target)) === false ? undefined : await lstatOrUndefined(target, top);
    if (info?.isSymbolicLink()) throw outputError(`refusing to replace the symlink ${target}`, top);
    if (info && !info.isFile()) throw outputError(`${target} exists and is not a regular file`, top);
    plan.push({ target, content: file.content, mode: file.mode ?? 0o644, existed: info !== undefined });
  }
  return plan;
}

async function lstatOrUndefined(path: string, top: string) {
  try {
    return await lstat(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    throw outputError(`cannot inspect ${path}: ${e.code ?? e.message}`, top);
  }
}

async function isDirectoryThroughLink(path: string): Promise<boolean> {
  // The root is the caller's choice (an --out that is a link is theirs to make).
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Makes the missing directories, parents first, recording each so that undo removes it. */
async function makeDirectories(top: string, plan: Planned[], made: string[]): Promise<void> {
  // The root and its missing parents: mkdir names the first one it made.
  const first = await mkdir(top, { recursive: true });
  if (first) {
    const chain: string[] = [];
    for (let d = top; d.length >= first.length; d = dirname(d)) chain.unshift(d);
    made.push(...chain);
  }
  const wanted = new Set<string>();
  for (const p of plan) for (let d = dirname(p.target); d.length > top.length; d = dirname(d)) wanted.add(d);
  for (const dir of [...wanted].sort((a, b) => a.split(sep).length - b.split(sep).length)) {
    try {
      await mkdir(dir);
      made.push(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Something made it since the check: accept only a real directory.
      const info = await lstat(dir);
      if (!info.isDirectory()) throw outputError(`${dir} appeared while writing and is not a directory`, top);
    }
  }
}

function randomName(dir: string, suffix: string): string {
  return join(dir, `.reclass-net-${randomBytes(8).toString('hex')}.${suffix}`);
}

async function writeTemp(p: Planned): Promise<string> {
  const temp = randomName(dirname(p.target), 'tmp');
  const handle = await open(temp, 'wx', p.mode); // wx: O_CREAT|O_EXCL, never through a link
  p.temp = temp;
  try {
    await handle.writeFile(p.content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temp, p.mode); // open's mode is filtered by the umask
  return temp;
}

async function commit(plan: Planned[]): Promise<void> {
  for (const p of plan) {
    if (!p.existed) continue;
    const backup = randomName(dirname(p.target), 'old');
    await link(p.target, backup); // a hard link: the old file stays whole while replaced
    p.backup = backup;
  }
  for (const p of plan) {
    const now = await lstat(p.target).catch(() => undefined);
    if (now?.isSymbolicLink() || (now && !now.isFile()))
      throw outputError(`${p.target} changed into a link or directory while writing`, dirname(p.target));
    await rename(present(p.temp, `the temporary file of ${p.target}`), p.target);
    p.temp = undefined;
    p.replaced = true;
  }
}

/** Puts everything back: old files over replaced ones, new ones and temporaries removed. */
async function undo(plan: Planned[], made: string[]): Promise<void> {
  for (const p of plan) {
    if (p.temp) await unlink(p.temp).catch(() => undefined);
    if (p.replaced) {
      if (p.backup) await rename(p.backup, p.target).catch(() => undefined);
      else await unlink(p.target).catch(() => undefined);
    } else if (p.backup) await unlink(p.backup).catch(() => undefined);
  }
  for (const dir of made.reverse()) await rmdir(dir).catch(() => undefined);
}

function outputError(detail: string, file: string): ReclassNetError {
  return new ReclassNetError('OutputError', detail, { location: { file, line: 0, column: 0 } });
}
