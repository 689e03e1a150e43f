/**
 * No absolute path of the machine in published output: the inventory is named by its
 * directory's name, and files and directories of it by their path relative to it.
 */
import { basename, isAbsolute, relative, sep } from 'node:path';

/** `file` relative to the inventory `root` (`../x` for a class path beside it). */
export function publishedPath(root: string, file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(root, file);
  return rel === '' ? '.' : rel.split(sep).join('/');
}

/** What to call the inventory: its directory's name. */
export function publishedRoot(root: string): string {
  return basename(root) || '.';
}

/**
 * `text` (an error message) with every mention of the inventory's directories made
 * relative. `dirs` are absolute; the longest are replaced first.
 */
export function withoutMachinePaths(text: string, root: string, dirs: readonly string[]): string {
  let out = text;
  for (const dir of [...new Set([root, ...dirs])].sort((a, b) => b.length - a.length)) {
    if (!out.includes(dir)) continue;
    const rel = publishedPath(root, dir);
    out = out
      .split(dir + sep)
      .join(rel === '.' ? '' : rel + '/')
      .split(dir)
      .join(rel);
  }
  return out;
}
