/**
 * The second thread of `inventory --format json` (see parallel.ts): takes runs of nodes
 * from the back, resolves them and sends back their JSON entries, until there are none
 * left or one fails.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openInventory } from '../api/inventory.js';
import { NODES_PER_RUN, entryWriter, nodeEntries } from './node-output.js';
import { claimRun, sendableError, type WorkerJob, type WorkerMessage } from './parallel.js';

const { dir, options, names, taken } = workerData as WorkerJob;
// This module only ever runs as a worker thread, which has a parent port.
// eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- see above
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
// A run's warnings go with it: the main thread gives them out in node order (parallel.ts).
let warnings: string[] = [];
const inv = await openInventory(dir, { ...options, warn: (m) => warnings.push(m) });
const writer = entryWriter(inv);
const runs = Math.ceil(names.length / NODES_PER_RUN);
for (let run = runs - 1; claimRun(taken, runs); run--) {
  const from = run * NODES_PER_RUN;
  warnings = [];
  try {
    const entries = nodeEntries(inv, writer, names, from, Math.min(from + NODES_PER_RUN, names.length));
    send({ run, entries, warnings });
  } catch (e) {
    send({ run, error: sendableError(e), warnings });
    break;
  }
}
