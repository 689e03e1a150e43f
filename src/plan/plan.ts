/**
 * What a render would change on a host: each rendered file against the file under the host's
 * root, the files the model removes, and (where a database is given) the OVS plan.
 * `ovs-setup.sh` is not a host file: the OVS plan says what it would change.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unifiedDiff } from '../diff/unified.js';
import type { LiveOvs } from '../ovs/ovsdb.js';
import { OVS_SCRIPT_PATH } from '../render/render.js';
import { ovsPlan, type OvsPlan } from './ovs-plan.js';
import type { NodeRendered } from './render-many.js';

export interface FileChange {
  /** Relative to the root, `/`-separated. */
  path: string;
  status: 'new' | 'changed' | 'removed';
  old?: string;
  new?: string;
  /** The unified diff, `a/PATH` -> `b/PATH`. */
  diff: string;
}

export interface NodePlan {
  node: string;
  files: FileChange[];
  /** Undefined when no database was compared. */
  ovs?: OvsPlan;
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw e;
  }
}

/** The file changes of one node's render against `root` (the host's `/`, or a copy). */
async function fileChanges(rendered: Pick<NodeRendered, 'files' | 'remove'>, root: string): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const [path, text] of Object.entries(rendered.files)) {
    if (path === OVS_SCRIPT_PATH) continue;
    const old = await readIfThere(join(root, path));
    if (old === text) continue;
    changes.push({
      path,
      status: old === undefined ? 'new' : 'changed',
      ...(old === undefined ? {} : { old }),
      new: text,
      diff: unifiedDiff(`a/${path}`, `b/${path}`, old, text),
    });
  }
  for (const absolute of rendered.remove) {
    const path = absolute.replace(/^\/+/, '');
    if (path in rendered.files) continue;
    const old = await readIfThere(join(root, path));
    if (old !== undefined)
      changes.push({ path, status: 'removed', old, diff: unifiedDiff(`a/${path}`, `b/${path}`, old, undefined) });
  }
  return changes;
}

/**
 * The plan of one node: its file changes, and its OVS plan against `live` when given.
 * @example
 * const plan = await planNode(rendered, '/', await readLiveOvs(SYSTEM_OVSDB));
 */
export async function planNode(rendered: NodeRendered, root: string, live?: LiveOvs): Promise<NodePlan> {
  const plan: NodePlan = { node: rendered.name, files: await fileChanges(rendered, root) };
  if (live) plan.ovs = ovsPlan(rendered.ovs, live);
  return plan;
}

/** Whether applying the plan would change anything. */
export function hasChanges(plan: NodePlan): boolean {
  return plan.files.length > 0 || (plan.ovs?.commands.length ?? 0) > 0;
}
