/**
 * A fingerprint of every file an inventory is read from, to notice changes by polling:
 * fs.watch misses changes on some file systems (network mounts, bind mounts of a git
 * checkout) and is not recursive everywhere, where a stat of each file always works.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILE_NAME, type InventoryConfig } from '../inventory/config.js';

/** Path, size, modification time and inode of each file under the inventory's trees. */
export async function fingerprint(config: InventoryConfig): Promise<string> {
  const parts: string[] = [];
  await entry(join(config.root, CONFIG_FILE_NAME), parts);
  for (const dir of [config.nodesDir, config.classesDir, ...config.classPaths.map((p) => p.dir)])
    await walk(dir, parts, 0);
  return parts.join('\n');
}

async function entry(path: string, parts: string[]): Promise<void> {
  try {
    const s = await stat(path);
    parts.push(`${path} ${s.size} ${s.mtimeMs} ${s.ino}`);
  } catch {
    parts.push(`${path} -`);
  }
}

/** Symlinked directories are followed as reclass follows them; depth bounds a link cycle. */
async function walk(dir: string, parts: string[], depth: number): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    parts.push(`${dir} -`);
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    let isDir = false;
    try {
      isDir = (await stat(path)).isDirectory() && (depth < 32 || !(await lstat(path)).isSymbolicLink());
    } catch {
      isDir = false;
    }
    if (isDir) await walk(path, parts, depth + 1);
    else await entry(path, parts);
  }
}
