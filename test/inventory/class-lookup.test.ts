/**
 * Class lookup as needed (src/inventory/class-lookup.ts) against the whole index it stands in
 * for: every name the whole index knows gives the same file and pathname, names it does not
 * know give nothing, a name defined twice gives the same error; on the embedded model, the
 * shared corpora and conformance cases, and on random trees with dotted directory names,
 * init files, both extensions, hidden and VCS directories, symlinks and class_paths roots.
 * And a node resolves to the same data either way.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ClassLookup, type LookupRoot } from '../../src/inventory/class-lookup.js';
import { openInventory } from '../../src/api/inventory.js';
import { readConfig } from '../../src/inventory/config.js';
import { className, TreeIndex } from '../../src/inventory/tree-index.js';
import { removeDir, tempDir } from '../hardening/helpers.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(REPO, '..', 'shared');
const SEED = Number(process.env.HARDENING_SEED ?? 20_250_611);
const scratch = tempDir('reclass-net-lookup-');
afterAll(() => removeDir(scratch));

function rootsOf(inventory: string): LookupRoot[] {
  const config = readConfig(inventory, {});
  return [
    { dir: config.classesDir, mangle: className(null), prefix: '' },
    ...config.classPaths.map(({ prefix, dir }) => ({ dir, mangle: className(prefix), prefix })),
  ];
}

type Outcome = { file: string; pathname: string } | undefined | { error: string };

function outcome(get: () => { file: string; pathname: string } | undefined): Outcome {
  try {
    return get();
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Names near `name` that may or may not exist: parents, children, siblings, odd forms. */
function neighbours(name: string): string[] {
  const parts = name.split('.');
  return [
    parts.slice(0, -1).join('.'),
    `${name}.init`,
    `${name}.x`,
    `${name}.`,
    `.${name}`,
    `${name}x`,
    parts.at(-1)!,
    'init',
    '',
  ];
}

/** Every name of the whole index (and its neighbours) gives the same from both. */
function expectSameLookups(roots: LookupRoot[]): number {
  let whole: TreeIndex;
  try {
    whole = new TreeIndex(roots, 'class');
  } catch {
    return 0; // the whole tree is refused; checked by the caller where it matters
  }
  const names = whole.names();
  for (const name of [...names, ...names.flatMap(neighbours)]) {
    const lookup = new ClassLookup(roots);
    expect({ name, got: outcome(() => lookup.get(name)) }).toEqual({ name, got: outcome(() => whole.get(name)) });
  }
  return names.length;
}

function inventories(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.name === 'classes' && e.isDirectory()) found.push(e.parentPath);
  }
  return found;
}

describe('class lookup as needed', () => {
  it('finds what the whole index finds in the embedded model, the corpora and the conformance cases', () => {
    const dirs = [REPO, ...inventories(join(SHARED, 'corpus')), ...inventories(join(SHARED, 'conformance'))];
    let names = 0;
    for (const dir of dirs) names += expectSameLookups(rootsOf(dir));
    expect(names).toBeGreaterThan(1500);
  });

  it('resolves every node of the embedded model and the corpora to the same data', async () => {
    const dirs = [
      REPO,
      ...['mk24-ovs-dvr-vlan-bm', 'mcp-ocata-ovs']
        .map((c) => join(SHARED, 'corpus', c, 'inventory'))
        .filter(existsSync),
    ];
    for (const dir of dirs) {
      const all = await openInventory(dir, { provenance: false });
      for (const name of all.nodeNames()) {
        // A fresh inventory per node: lookups start from nothing listed, as in a one-node command.
        const needed = await openInventory(dir, { provenance: false, listClasses: 'as-needed' });
        // Without provenance, `provenance` is a function answering nothing: compare the rest.
        const got = await needed.node(name);
        const want = await all.node(name);
        expect({ ...got, provenance: undefined }).toEqual({ ...want, provenance: undefined });
      }
    }
  });

  it("gives the whole index's error for a name defined twice, and lists every name through it", () => {
    const dir = join(scratch, 'twice');
    for (const f of ['a/b.yml', 'a.b/init.yml', 'c.yml']) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
    const roots = [{ dir, mangle: className(null), prefix: '' }];
    const lookup = new ClassLookup(roots);
    expect(lookup.get('c')?.file).toBe(join(dir, 'c.yml')); // the duplicate elsewhere goes unnoticed
    expect(() => lookup.get('a.b')).toThrow(/definition of class 'a\.b' in .* collides with the definition in/);
    expect(() => new ClassLookup(roots).names()).toThrow(/collides/);
  });

  it('finds what the whole index finds in random trees', () => {
    const segment = fc.constantFrom('a', 'b', 'a.b', 'init', '.hidden', 'CVS', '.git', 'x.y.z', 'b.c');
    const file = fc.record({
      path: fc.array(segment, { maxLength: 3 }),
      stem: fc.constantFrom('init', 'a', 'b', 'c', 'a.b', 'x'),
      ext: fc.constantFrom('.yml', '.yaml', '.yml', '.txt'),
    });
    const link = fc.record({
      from: fc.array(segment, { minLength: 1, maxLength: 2 }),
      to: fc.array(segment, { maxLength: 2 }),
    });
    const treeArb = fc.record({
      files: fc.array(file, { minLength: 1, maxLength: 12 }),
      links: fc.array(link, { maxLength: 1 }),
      prefixed: fc.option(fc.constantFrom('system', 'a', 'cluster.x')),
    });
    let n = 0;
    let compared = 0;
    fc.assert(
      fc.property(treeArb, ({ files, links, prefixed }) => {
        const dir = join(scratch, `random-${n++}`);
        const other = join(dir, 'other');
        mkdirSync(join(dir, 'classes'), { recursive: true });
        for (const [i, f] of files.entries()) {
          const base = prefixed && i % 2 ? other : join(dir, 'classes');
          const target = join(base, ...f.path, f.stem + f.ext);
          try {
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, '');
          } catch {
            // a file where a directory should be: leave it out
          }
        }
        for (const l of links) {
          // Links to an ancestor make the tree as deep as the kernel follows links; that
          // boundary is tested against reclass itself (tree-index.test.ts), not here.
          if (l.to.every((part, i) => l.from[i] === part)) continue;
          try {
            mkdirSync(join(dir, 'classes', ...l.from.slice(0, -1)), { recursive: true });
            symlinkSync(join(dir, 'classes', ...l.to), join(dir, 'classes', ...l.from));
          } catch {
            // the name is taken
          }
        }
        const roots: LookupRoot[] = [{ dir: join(dir, 'classes'), mangle: className(null), prefix: '' }];
        if (prefixed && existsSync(other)) roots.push({ dir: other, mangle: className(prefixed), prefix: prefixed });
        compared += expectSameLookups(roots);
      }),
      { seed: SEED, numRuns: 80 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
