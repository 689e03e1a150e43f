/**
 * One resolved model, as the server answers from it: every node resolved once, its Salt
 * pillar kept as the JSON bytes every minion's refresh asks for, or the error it failed with.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { ReclassNetError } from '../errors.js';
import { openInventory, type Inventory, type RawNode } from '../api/inventory.js';
import { pythonJson } from '../cli/output.js';
import { saltPillar } from '../adapters/salt.js';

export type NodeEntry = { ok: true; raw: RawNode; pillar: Buffer } | { ok: false; error: ReclassNetError };

export interface Snapshot {
  inventory: Inventory;
  nodes: Map<string, NodeEntry>;
  /** When the resolution finished. */
  loadedAt: Date;
  /** The fingerprint of the files it was read from (fingerprint.ts). */
  fingerprint: string;
}

/** Nodes resolved between two turns of the event loop: the old model keeps answering meanwhile. */
const NODES_PER_TURN = 10;

/** A thrown value as a typed error; anything else is a bug and is rethrown. */
function asModelError(e: unknown, node: string): ReclassNetError {
  if (e instanceof ReclassNetError) return e;
  if (e instanceof RangeError) return new ReclassNetError('NestingTooDeep', `${e.message}`, { node });
  throw e;
}

/** Opens and resolves the whole inventory; a node that fails is kept with its error. */
export async function loadSnapshot(dir: string, fingerprintOf: (inv: Inventory) => Promise<string>): Promise<Snapshot> {
  const inventory = await openInventory(dir, { provenance: false });
  // Taken before reading: a change made while resolving shows as a new fingerprint next time.
  const fingerprint = await fingerprintOf(inventory);
  const nodes = new Map<string, NodeEntry>();
  const names = inventory.nodeNames();
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    try {
      const raw = inventory.rawNode(name);
      nodes.set(name, {
        ok: true,
        raw,
        pillar: Buffer.from(pythonJson(saltPillar(raw, name), inventory.shared) + '\n'),
      });
    } catch (e) {
      nodes.set(name, { ok: false, error: asModelError(e, name) });
    }
    if (i % NODES_PER_TURN === NODES_PER_TURN - 1) await yieldToRequests();
  }
  return { inventory, nodes, loadedAt: new Date(), fingerprint };
}

/** Nodes that fail in `next` but did not in `current` (or were not there): why a reload is refused. */
export function newFailures(next: Snapshot, current: Snapshot | undefined): Array<[string, ReclassNetError]> {
  const out: Array<[string, ReclassNetError]> = [];
  for (const [name, entry] of next.nodes) {
    if (!entry.ok && current?.nodes.get(name)?.ok !== false) out.push([name, entry.error]);
  }
  return out;
}
