/**
 * `inventory --format json` on two cores. Nodes resolve independently, so this thread
 * takes runs of consecutive nodes from the front and a worker thread from the back until
 * they meet, and this thread writes the runs in node order. Taking runs as they go
 * balances the threads whatever each node costs. Working from opposite ends keeps each
 * thread on its own clusters: the work done once per class list (merging the classes,
 * the results shared between nodes alike) is then rarely done by both. Writing in order
 * keeps the output byte for byte what one thread writes, and reports the same (first)
 * failing node. The worker's warnings travel with its runs and are handed to this thread's
 * inventory as the runs are written, so they come out as one thread gives them: in node order,
 * held by `Inventory.listing` with this thread's own.
 */
import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { ReclassNetError, type ErrorContext, type ErrorKind } from '../errors.js';
import type { Inventory, InventoryOptions } from '../api/inventory.js';
import {
  INVENTORY_HEAD,
  MIN_NODES_FOR_WORKER,
  NODES_PER_RUN,
  UsageIndex,
  inventoryTail,
  entryWriter,
  nodeEntries,
  streamInventoryJson,
  type NodeEntries,
} from './node-output.js';

/** What the worker thread needs: the inventory, the node order and the shared counter. */
export interface WorkerJob {
  dir: string;
  options: InventoryOptions;
  names: string[];
  /** Int32Array over a SharedArrayBuffer: how many runs both threads have taken. */
  taken: Int32Array;
}

/** A failure, as it crosses from the worker to this thread. */
export type SentError =
  { kind: ErrorKind; detail: string; context: ErrorContext } | { message: string; stackOverflow: boolean };

/** A run the worker resolved, or the failure that ended it; with the warnings the run gave. */
export type WorkerMessage = { run: number; warnings: string[] } & ({ entries: NodeEntries } | { error: SentError });

export function sendableError(e: unknown): SentError {
  if (e instanceof ReclassNetError) return { kind: e.kind, detail: e.detail, context: e.context };
  return { message: (e as Error)?.message ?? String(e), stackOverflow: e instanceof RangeError };
}

function receivedError(sent: SentError): Error {
  if ('kind' in sent) return new ReclassNetError(sent.kind, sent.detail, sent.context);
  return sent.stackOverflow ? new RangeError('Maximum call stack size exceeded') : new Error(sent.message);
}

/**
 * Claims one more run for the calling thread, if any is left. The threads never claim
 * more runs than there are between them, so the front and the back never overlap.
 */
export function claimRun(taken: Int32Array, runs: number): boolean {
  return Atomics.add(taken, 0, 1) < runs;
}

export async function streamInventoryJsonParallel(
  inv: Inventory,
  dir: string,
  options: InventoryOptions,
  out: (chunk: string) => Promise<void> | void,
): Promise<void> {
  const names = inv.nodeNames();
  if (names.length < MIN_NODES_FOR_WORKER || availableParallelism() < 2) {
    return streamInventoryJson(inv, out, names);
  }
  const runs = Math.ceil(names.length / NODES_PER_RUN);
  const taken = new Int32Array(new SharedArrayBuffer(4));
  const job: WorkerJob = { dir, options, names, taken };
  const worker = new Worker(new URL('./inventory-worker.js', import.meta.url), { workerData: job });

  // Finished runs by index, or the failure that ended one; written strictly in order. A
  // worker's run brings its warnings, given out when it is written (this thread's own went
  // out as it resolved).
  const ready = new Map<number, { result: NodeEntries | Error; warnings: readonly string[] }>();
  let firstFailedRun = Infinity;
  let crash: Error | undefined;
  let wake: (() => void) | undefined;
  const settle = (run: number, result: NodeEntries | Error, warnings: readonly string[] = []) => {
    ready.set(run, { result, warnings });
    if (result instanceof Error) firstFailedRun = Math.min(firstFailedRun, run);
  };
  worker.on('message', (m: WorkerMessage) => {
    settle(m.run, 'error' in m ? receivedError(m.error) : m.entries, m.warnings);
    wake?.();
  });
  const crashed = (e: Error) => {
    crash ??= e;
    wake?.();
  };
  worker.on('error', crashed);
  worker.on('exit', (code) => crashed(new Error(`inventory worker exited with code ${code}`)));

  const usage = new UsageIndex();
  const writer = entryWriter(inv);
  let written = 0;
  const flush = async () => {
    for (let run = ready.get(written); run !== undefined; run = ready.get(written)) {
      const { result: entries, warnings } = run;
      inv.relayWarnings(warnings);
      if (entries instanceof Error) throw entries;
      ready.delete(written);
      entries.usage.forEach((u) => usage.add(u));
      for (const text of entries.texts) await out(text);
      written++;
    }
  };
  try {
    await out(INVENTORY_HEAD);
    for (let run = 0; run < firstFailedRun && claimRun(taken, runs); run++) {
      const from = run * NODES_PER_RUN;
      try {
        settle(run, nodeEntries(inv, writer, names, from, Math.min(from + NODES_PER_RUN, names.length)));
      } catch (e) {
        settle(run, e as Error);
      }
      await flush();
      // Lets the worker's finished runs in, so that memory holds few runs at a time.
      await nextTurn();
    }
    for (await flush(); written < runs; await flush()) {
      // A run the worker took but never finished would be waited for forever.
      if (crash) throw crash;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    await out(inventoryTail(names.length, usage));
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
