/**
 * The accelerator changes nothing: the resolver alone (`accelerator: false`) and the
 * resolver with the accelerator agree on every node, value for value, error for error and
 * warning for warning, in one process. Checked on every conformance case, every corpus
 * node, random inventories of the differential generator with their nodes cloned (nodes
 * alike are what the accelerator shares between), and with the accelerated path resolving
 * nodes in several shuffled orders, since what it keeps depends on which node came first.
 * A disagreement fails the test; nothing is retried.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleInventories } from '../differential/generator.js';
import { nodeOutcomes } from '../resolve/helpers.js';
import { writeInventory, type GenInventory } from '../differential/yaml-model.js';

const SEED = Number(process.env.RECLASS_NET_EQUALITY_SEED ?? 171717);
const RUNS = Number(process.env.RECLASS_NET_EQUALITY_RUNS ?? 200);
const ORDERS = 3;
const SHARED = join(import.meta.dirname, '../../../shared');

/** A seeded shuffle (mulberry32), so that a failure names an order that can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Each node's outcome (see nodeOutcomes) with the accelerator on or off, in `order`. */
function outcomes(dir: string, accelerator: boolean, order?: (names: string[]) => string[]) {
  return nodeOutcomes(dir, { accelerator, provenance: false }, order);
}

/**
 * Both paths, in the inventory's order and in shuffled ones. Each order is compared with
 * the resolver alone in the same order: reclass itself is not independent of the order
 * (a nested reference `${a:${b}}` in a class keeps the path it was first assembled to,
 * for every node after, in reclass's -i as in reclass-net), and the core is reclass.
 */
async function expectEqual(dir: string, label: string, seed: number): Promise<number> {
  const orders: Array<[string, ((names: string[]) => string[]) | undefined]> = [['node order', undefined]];
  for (let k = 1; k <= ORDERS; k++) orders.push([`shuffle ${seed}/${k}`, (names) => shuffled(names, seed * 31 + k)]);
  let nodes = 0;
  for (const [orderName, order] of orders) {
    const plain = await outcomes(dir, false, order);
    nodes = plain.size;
    const accelerated = await outcomes(dir, true, order);
    expect([...accelerated.keys()].sort(), `${label}, ${orderName}`).toEqual([...plain.keys()].sort());
    for (const [name, text] of plain) expect(accelerated.get(name), `${label}: ${name}, ${orderName}`).toBe(text);
  }
  return nodes;
}

/** Each node file twice more: nodes alike, the case the accelerator is for. */
function withClones(inv: GenInventory): GenInventory {
  const nodeFiles = new Set(inv.nodes.map((n) => n.file));
  const clones = inv.files
    .filter((f) => nodeFiles.has(f.path))
    .flatMap((f) => [1, 2].map((k) => ({ ...f, path: join(dirname(f.path), `x${k}${basename(f.path)}`) })));
  return { ...inv, files: [...inv.files, ...clones] };
}

const subdirs = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('the accelerator changes no node, error or warning', () => {
  const cases = subdirs(join(SHARED, 'conformance/cases'));
  const corpora = subdirs(join(SHARED, 'corpus'));

  it.skipIf(cases.length === 0)(
    'on every conformance case',
    async () => {
      let nodes = 0;
      for (const [i, c] of cases.entries()) {
        nodes += await expectEqual(join(SHARED, 'conformance/cases', c, 'inventory'), `conformance ${c}`, i + 1);
      }
      expect(nodes).toBeGreaterThan(cases.length);
    },
    300_000,
  );

  it.skipIf(corpora.length === 0)(
    'on every node of the corpora',
    async () => {
      let nodes = 0;
      for (const [i, c] of corpora.entries()) {
        nodes += await expectEqual(join(SHARED, 'corpus', c, 'inventory'), `corpus ${c}`, 1000 + i);
      }
      expect(nodes).toBeGreaterThan(10);
    },
    300_000,
  );

  const root = mkdtemp(join(tmpdir(), 'reclass-net-equality-'));
  afterAll(async () => rm(await root, { recursive: true, force: true }));

  it('on random inventories with nodes alike, in several orders', async () => {
    let nodes = 0;
    for (const [i, inv] of sampleInventories(SEED, RUNS).map(withClones).entries()) {
      const dir = join(await root, String(i));
      await writeInventory(inv, dir);
      nodes += await expectEqual(dir, `random inventory ${i} (seed ${SEED}) in ${dir}`, i + 1);
      await rm(dir, { recursive: true, force: true });
    }
    expect(nodes).toBeGreaterThan(RUNS * 3);
  }, 600_000);
});
