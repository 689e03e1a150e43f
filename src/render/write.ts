/**
 * Writes rendered files under `outDir/NODE/` through the shared writer (src/io/write-all.ts):
 * every target is checked before the first byte is written, nothing is written through a
 * symlink, and a failure leaves the output directory as it was.
 */
import { resolve } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { writeAll, type FileToWrite } from '../io/write-all.js';
import { OVS_SCRIPT_PATH, type RenderResult } from './render.js';

/** Files that must be executable. */
const EXECUTABLE = new Set([OVS_SCRIPT_PATH]);

/**
 * Writes every file of `result` (the interfaces file, the OVS script, and whatever host
 * files a render adds) all-or-nothing and returns the absolute paths written.
 * @example
 * const written = await writeRenderOutput('out', node.name, renderNetwork(node));
 * // ['/abs/out/cmp01.mcp-lab.local/etc/network/interfaces', '/abs/out/cmp01.mcp-lab.local/ovs-setup.sh']
 */
export async function writeRenderOutput(
  outDir: string,
  nodeName: string,
  result: Pick<RenderResult, 'files'>,
): Promise<string[]> {
  return writeAll(outDir, renderFiles(outDir, nodeName, result));
}

/** The files of one node's render as the writer takes them, for writing several nodes at once. */
export function renderFiles(outDir: string, nodeName: string, result: Pick<RenderResult, 'files'>): FileToWrite[] {
  if (!/^[^/\\]+$/.test(nodeName) || nodeName.includes('\0') || nodeName === '.' || nodeName === '..') {
    const root = resolve(outDir);
    throw new ReclassNetError(
      'OutputError',
      `node name ${JSON.stringify(nodeName)} cannot be used as a directory name`,
      {
        location: { file: root, line: 0, column: 0 },
      },
    );
  }
  return Object.entries(result.files).map(([rel, content]) => ({
    path: `${nodeName}/${rel}`,
    content,
    mode: EXECUTABLE.has(rel) ? 0o755 : 0o644,
  }));
}
