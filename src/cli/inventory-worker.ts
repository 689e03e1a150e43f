/**
 * Resolves a share of an inventory's nodes in a worker thread and writes their JSON
 * entries to a file, for `inventory --format json` on two cores (see parallel.ts).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ReclassNetError } from '../errors.js';
import { openInventory, type InventoryOptions } from '../inventory/open.js';
import { UsageIndex, writeNodeEntries } from './node-output.js';

interface Job {
  dir: string;
  options: InventoryOptions;
  names: string[];
  first: boolean;
  file: string;
}

const job = workerData as Job;
try {
  const inv = await openInventory(job.dir, job.options);
  const usage = new UsageIndex();
  const fd = openSync(job.file, 'w');
  try {
    await writeNodeEntries(inv, job.names, job.first, usage, (chunk) => void writeSync(fd, chunk));
  } finally {
    closeSync(fd);
  }
  parentPort!.postMessage({
    ok: true,
    result: { count: job.names.length, classes: [...usage.classes], applications: [...usage.applications] },
  });
} catch (e) {
  parentPort!.postMessage(
    e instanceof ReclassNetError
      ? { ok: false, kind: e.kind, detail: e.detail, context: e.context }
      : { ok: false, message: (e as Error).message, stackOverflow: e instanceof RangeError },
  );
}
