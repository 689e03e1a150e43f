/** The second thread of renderMany (render-many.ts): runs of nodes from the back. */
import { parentPort, workerData } from 'node:worker_threads';
import { present } from '../invariant.js';
import { openInventory } from '../api/inventory.js';
import { NODES_PER_RUN, claimRun, renderOne, type RenderJob } from './render-many.js';

const { dir, names, options, taken } = workerData as RenderJob;
const parent = present(parentPort, "the render worker's port to its parent");
const inv = await openInventory(dir);
const runs = Math.ceil(names.length / NODES_PER_RUN);
for (let run = runs - 1; claimRun(taken, runs); run--) {
  const from = run * NODES_PER_RUN;
  const outcomes = [];
  for (let i = from; i < Math.min(from + NODES_PER_RUN, names.length); i++)
    outcomes.push(await renderOne(inv, names[i], options));
  parent.postMessage({ from, outcomes });
}
