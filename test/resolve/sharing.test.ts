/**
 * Resolving without provenance shares work between nodes: merged subtrees, their simple
 * rendering, and interpolation results that do not depend on the node (src/resolve/memo.ts).
 * With provenance on, none of it is used, so the two must agree exactly, value for value
 * and error for error. The random inventories of the differential test are cloned so that
 * several nodes list the same classes and set the same paths to other values: the case the
 * sharing is for, and the one where a wrong "does not depend on the node" shows.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { InterpolationMemo } from '../../src/accelerate/memo.js';
import { sampleInventories } from '../differential/generator.js';
import { nodeOutcomes } from './helpers.js';
import { writeInventory, type GenInventory, type YNode } from '../differential/yaml-model.js';

const SEED = Number(process.env.RECLASS_NET_SHARING_SEED ?? 424242);
const RUNS = Number(process.env.RECLASS_NET_SHARING_RUNS ?? 250);
const CLONES = 3;

/**
 * Another spelling of each scalar a node sets; references and queries are left alone.
 * With `every` = 2, only every other scalar changes: nodes then also share values with
 * their original, which nodes of a role do (the same domain, the same codename).
 */
function perturb(node: YNode, clone: number, every = 1, seen = { scalars: 0 }): YNode {
  switch (node.t) {
    case 'scalar': {
      const text = node.text;
      if (seen.scalars++ % every !== 0) return node;
      if (text.includes('${') || text.includes('$[') || text.includes('\\')) return node;
      if (/^-?\d+$/.test(text)) return { t: 'scalar', text: String(Number(text) + clone) };
      if (/^'[^']*'$/.test(text)) return { t: 'scalar', text: `'${text.slice(1, -1)}${clone}'` };
      if (/^[A-Za-z_][\w.-]*$/.test(text)) return { t: 'scalar', text: `${text}${clone}` };
      return node;
    }
    case 'map':
      return { t: 'map', entries: node.entries.map(([k, v]) => [k, perturb(v, clone, every, seen)]) };
    case 'list':
      return { t: 'list', items: node.items.map((v) => perturb(v, clone, every, seen)) };
    default:
      return node;
  }
}

/** The first scalar a class file sets under `parameters`, as a path of keys. */
function classLeafPath(inv: GenInventory, nodeFiles: Set<string>): string[] | undefined {
  const leafBelow = (node: YNode, path: string[]): string[] | undefined => {
    if (node.t === 'scalar') return path;
    if (node.t !== 'map') return undefined;
    for (const [k, v] of node.entries) {
      const found = leafBelow(v, [...path, k]);
      if (found) return found;
    }
    return undefined;
  };
  for (const file of inv.files) {
    if (nodeFiles.has(file.path) || file.doc?.t !== 'map') continue;
    const parameters = file.doc.entries.find(([k]) => k === 'parameters')?.[1];
    const path = parameters && leafBelow(parameters, []);
    if (path && path.length > 0) return path;
  }
  return undefined;
}

/** `node` with `path` set to `value`, unless the node sets something along it already. */
function withOverride(node: YNode, path: string[], value: YNode): YNode {
  if (node.t !== 'map' || node.entries.some(([k]) => k === path[0])) return node;
  const nested = path.slice(1).reduceRight<YNode>((v, k) => ({ t: 'map', entries: [[k, v]] }), value);
  return { t: 'map', entries: [...node.entries, [path[0], nested]] };
}

/**
 * Each node file once more per clone, setting the same keys to other values (the second
 * clone only every other one); the last clone also overrides a value the classes set, so
 * that its layer sets more paths than its original's. Memos of such nodes are derived
 * from their original's record (see memo.ts).
 */
function withClones(inv: GenInventory): GenInventory {
  const files = [...inv.files];
  const nodeFiles = new Set(inv.nodes.map((n) => n.file));
  const override = classLeafPath(inv, nodeFiles);
  for (const file of inv.files) {
    if (!nodeFiles.has(file.path) || file.doc === null || file.doc.t !== 'map') continue;
    for (let clone = 1; clone <= CLONES; clone++) {
      const entries = file.doc.entries.map(([k, v]): [string, YNode] => {
        if (k !== 'parameters') return [k, v];
        const changed = perturb(v, clone, clone === 2 ? 2 : 1);
        return [
          k,
          clone === CLONES && override ? withOverride(changed, override, { t: 'scalar', text: 'cloned' }) : changed,
        ];
      });
      files.push({ path: join(dirname(file.path), `x${clone}${basename(file.path)}`), doc: { t: 'map', entries } });
    }
  }
  return { ...inv, files };
}

// How many results the nodes recorded for the nodes like them, and how many memos were
// derived from another's record.
let memoised = 0;
let derived = 0;
// eslint-disable-next-line @typescript-eslint/unbound-method -- applied below with the memo as `this`
const record = InterpolationMemo.prototype.record;
InterpolationMemo.prototype.record = function (this: InterpolationMemo, ...args) {
  record.apply(this, args);
  memoised += this.values?.size ?? 0;
};
// eslint-disable-next-line @typescript-eslint/unbound-method -- a static method that does not use `this`
const derive = InterpolationMemo.derive;
InterpolationMemo.derive = (...args) => {
  const memo = derive(...args);
  if (memo?.values?.size) derived++;
  return memo;
};

/** Each node's outcome (see nodeOutcomes): the warnings are part of it, a node whose
 * rendering warns must still warn itself. `provenance` records every leaf, so nothing is shared. */
function outcomes(dir: string, provenance: boolean) {
  return nodeOutcomes(dir, { provenance });
}

const root = await mkdtemp(join(tmpdir(), 'reclass-net-sharing-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('sharing work between nodes', () => {
  it('changes no node and no error, on random inventories with nodes alike', async () => {
    let nodes = 0;
    let shared = 0;
    const inventories = sampleInventories(SEED, RUNS).map(withClones);
    for (const [i, inv] of inventories.entries()) {
      const dir = join(root, String(i));
      await writeInventory(inv, dir);
      const plain = await outcomes(dir, true);
      const sharing = await outcomes(dir, false);
      expect([...sharing.keys()], `inventory ${i} in ${dir}`).toEqual([...plain.keys()]);
      for (const [name, text] of plain) {
        expect(sharing.get(name), `node ${name} of inventory ${i} in ${dir}`).toBe(text);
        nodes++;
        if (!text.includes('Error:')) shared++;
      }
      await rm(dir, { recursive: true, force: true });
    }
    // The cloning must give the sharing something to do.
    expect(nodes).toBeGreaterThan(RUNS * 4);
    expect(shared).toBeGreaterThan(nodes / 3);
    expect(memoised).toBeGreaterThan(RUNS);
    expect(derived).toBeGreaterThan(RUNS / 2);
  }, 300_000);
});

/** Cases where a value depends on the node only through a container or another value. */
const CLASS = `
parameters:
  _param:
    net:
      mask: 24
    users:
      alice: 1
    which: mask
    base: [a]
    plain: same
  whole_net: \${_param:net}
  chained: \${whole_net}
  users: \${_param:users}
  picked: \${_param:net:\${_param:which}}
  mask: \${_param:net:mask}
  host: \${_reclass_:name:short}.lab
  lists: \${_param:base}
  fixed: \${_param:plain}
  copy_of_fixed: \${fixed}
  holder:
    ip: \${_param:net:ip}
  copy_of_holder: \${holder}
`;

function nodeFile(i: number): string {
  return `classes: [common]
parameters:
  _param:
    net:
      ip: 10.0.0.${i}
    users:
      bob: ${i}
    which: ip
    base: [n${i}]
`;
}

describe('sharing work between nodes, by case', () => {
  it('sees a node through the containers and values it reaches', async () => {
    const dir = await caseInventory('cases', CLASS, [1, 2, 3].map(nodeFile));
    const plain = await outcomes(dir, true);
    const sharing = await outcomes(dir, false);
    expect(sharing).toEqual(plain);
    const inv = await openInventory(dir, { provenance: false });
    for (const i of [1, 2, 3]) {
      const p = inv.rawNode(`n${i}`).parameters;
      const net = new Map<string, unknown>([
        ['mask', 24],
        ['ip', `10.0.0.${i}`],
      ]);
      expect(p.get('whole_net')).toEqual(net);
      expect(p.get('chained')).toEqual(net);
      expect(p.get('users')).toEqual(
        new Map([
          ['alice', 1],
          ['bob', i],
        ]),
      );
      expect(p.get('picked')).toBe(`10.0.0.${i}`);
      expect(p.get('mask')).toBe(24);
      expect(p.get('host')).toBe(`n${i}.lab`);
      expect(p.get('lists')).toEqual(['a', `n${i}`]);
      expect(p.get('copy_of_fixed')).toBe('same');
      expect(p.get('copy_of_holder')).toEqual(new Map([['ip', `10.0.0.${i}`]]));
    }
  });
});

describe('sharing work between nodes, key order', () => {
  it("keeps a copied dict in merge order: its own keys first, then the node's new ones as written", async () => {
    const dir = await caseInventory(
      'order',
      'parameters:\n  _param:\n    a: 1\n    b: ${_param:d}-b\n    c: fixed\n    d: class\n    e: ${_param:zz}\n',
      [1, 2, 3, 4].map(
        (i) =>
          `classes: [common]\nparameters:\n  _param:\n    d: node${i}\n    zz: new${i}\n    c: own${i}\n    aa: \${_param:b}\n`,
      ),
    );
    const plain = await outcomes(dir, true);
    expect(await outcomes(dir, false)).toEqual(plain);
    const inv = await openInventory(dir, { provenance: false });
    for (const i of [1, 2, 3, 4]) {
      const param = inv.rawNode(`n${i}`).parameters.get('_param') as Map<string, unknown>;
      expect([...param]).toEqual([
        ['a', 1],
        ['b', `node${i}-b`],
        ['c', `own${i}`],
        ['d', `node${i}`],
        ['e', `new${i}`],
        ['zz', `new${i}`],
        ['aa', `node${i}-b`],
      ]);
    }
  });
});

describe('sharing work between nodes, same values', () => {
  it('shares what is built from values a node sets as the recording node did, in the same order only', async () => {
    // n1 merges its classes alone (the first node does); n2 records; n3 sets the same
    // values in another order, so `whole` differs; n4 is n2's twin.
    const layers = ['a: 1\n    b: 1', 'a: 1\n    b: 1', 'b: 1\n    a: 1', 'a: 1\n    b: 1'];
    const dir = await caseInventory(
      'same-values',
      'parameters:\n  _param:\n    x: 0\n  whole: ${_param}\n  repo: deb ${_param:codename} main\n  host: ${_param:codename}-${_reclass_:name:short}\n',
      layers.map((layer) => `classes: [common]\nparameters:\n  _param:\n    codename: xenial\n    ${layer}\n`),
    );
    const plain = await outcomes(dir, true);
    expect(await outcomes(dir, false)).toEqual(plain);
    const inv = await openInventory(dir, { provenance: false });
    const [, n2, n3, n4] = ['n1', 'n2', 'n3', 'n4'].map((n) => inv.rawNode(n).parameters);
    expect([...(n3.get('whole') as Map<string, unknown>).keys()]).toEqual(['x', 'codename', 'b', 'a']);
    // Built from equal values only: the very same objects as the recording node's.
    expect(n4.get('whole')).toBe(n2.get('whole'));
    expect(n4.get('repo')).toBe('deb xenial main');
    expect(n4.get('host')).toBe('xenial-n4');
  });
});

/** An inventory under the scratch root: class `common`, and nodes n1, n2, ... */
async function caseInventory(name: string, common: string, nodes: string[]): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'classes'), { recursive: true });
  await mkdir(join(dir, 'nodes'), { recursive: true });
  await writeFile(join(dir, 'classes/common.yml'), common);
  for (const [i, text] of nodes.entries()) await writeFile(join(dir, `nodes/n${i + 1}.yml`), text);
  return dir;
}
