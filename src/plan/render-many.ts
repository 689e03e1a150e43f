/**
 * Renders many nodes on two threads: this one takes runs of nodes from the front, a worker
 * thread (render-worker.ts) from the back, until they meet (the scheme of
 * src/cli/parallel.ts). A node that fails is one failed outcome; the others still render.
 */
import { Worker } from 'node:worker_threads';
import { ReclassNetError } from '../errors.js';
import { openInventory, type Inventory } from '../api/inventory.js';
import { formatProblem } from '../network/problems.js';
import type { NetworkBackend } from '../network/types.js';
import { ovsTransactions } from '../render/ovs.js';
import { renderNetwork } from '../render/render.js';

export interface RenderManyOptions {
  strict?: boolean;
  backend?: NetworkBackend;
}

/** One node rendered: its files (relative path -> text), OVS transactions and warnings. */
export interface NodeRendered {
  name: string;
  ok: true;
  files: Record<string, string>;
  /** ovs-vsctl argument vectors, parents first (ovsTransactions). */
  ovs: string[][];
  warnings: string[];
  /** Absolute paths the model wants removed (linux:network:remove_iface_files). */
  remove: string[];
}

/** One node that did not render, with the error's kind and one-paragraph message. */
export interface NodeFailed {
  name: string;
  ok: false;
  kind: string;
  message: string;
}

export type NodeOutcome = NodeRendered | NodeFailed;

/** What the worker needs; `taken` counts the runs both threads have claimed. */
export interface RenderJob {
  dir: string;
  names: string[];
  options: RenderManyOptions;
  taken: Int32Array;
}

/** Nodes per claim: small enough to balance, large enough to share class work in a cluster. */
export const NODES_PER_RUN = 8;
/** Below this many nodes a second thread costs more (it opens the inventory again) than it saves. */
const MIN_NODES_FOR_WORKER = 24;

/** Renders one node into a plain, cloneable outcome; never throws for a model problem. */
export async function renderOne(inv: Inventory, name: string, options: RenderManyOptions): Promise<NodeOutcome> {
  try {
    const node = await inv.node(name);
    const result = renderNetwork(node, options);
    return {
      name,
      ok: true,
      files: result.files,
      ovs: ovsTransactions(result.model),
      warnings: result.warnings.map(formatProblem),
      remove: result.model.host.removeFiles,
    };
  } catch (e) {
    if (e instanceof ReclassNetError) return { name, ok: false, kind: e.kind, message: e.message };
    if (e instanceof RangeError)
      return { name, ok: false, kind: 'NestingTooDeep', message: `node ${name}: ${e.message}` };
    throw e;
  }
}

/** Claims one more run for the calling thread, if any is left (never more than `runs` in all). */
export function claimRun(taken: Int32Array, runs: number): boolean {
  return Atomics.add(taken, 0, 1) < runs;
}

/**
 * Every node of `names` rendered, in the order given.
 * @example
 * const outcomes = await renderMany('path/to/model', inv.nodeNames(), { strict: false });
 */
export async function renderMany(
  dir: string,
  names: readonly string[],
  options: RenderManyOptions = {},
  inv?: Inventory,
): Promise<NodeOutcome[]> {
  const own = inv ?? (await openInventory(dir));
  const outcomes = new Array<NodeOutcome | undefined>(names.length);
  const runs = Math.ceil(names.length / NODES_PER_RUN);
  const taken = new Int32Array(new SharedArrayBuffer(4));
  let worker: Promise<void> | undefined;
  if (names.length >= MIN_NODES_FOR_WORKER) {
    const job: RenderJob = { dir, names: [...names], options, taken };
    const thread = new Worker(new URL('./render-worker.js', import.meta.url), { workerData: job });
    worker = new Promise<void>((resolve, reject) => {
      thread.on('message', (batch: { from: number; outcomes: NodeOutcome[] }) =>
        batch.outcomes.forEach((o, i) => (outcomes[batch.from + i] = o)),
      );
      thread.on('error', reject);
      thread.on('exit', () => resolve());
    });
  }
  for (let run = 0; claimRun(taken, runs); run++) {
    for (let i = run * NODES_PER_RUN; i < Math.min((run + 1) * NODES_PER_RUN, names.length); i++)
      outcomes[i] = await renderOne(own, names[i], options);
  }
  await worker;
  return outcomes.map(
    (o, i) =>
      o ?? {
        name: names[i],
        ok: false,
        kind: 'InternalError',
        message: `node ${names[i]}: the render thread stopped before rendering it`,
      },
  );
}
