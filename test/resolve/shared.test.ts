/**
 * What nodes share reaches the JSON writer through the SharedResults it is given, and no
 * other way: marks made by one are invisible to another and to a writer given none.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { nodeDocument } from '../../src/cli/node-output.js';
import { pythonJson } from '../../src/cli/output.js';
import { Derivation, SharedResults, SharedSubtree } from '../../src/resolve/shared.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** How many containers in `value` `shared` marks, not looking inside marked ones. */
function countMarked(value: unknown, shared: SharedResults): number {
  if (value === null || typeof value !== 'object') return 0;
  if (shared.sharingOf(value)) return 1;
  const children = value instanceof Map || Array.isArray(value) ? [...value.values()] : Object.values(value);
  return children.reduce((n: number, child) => n + countMarked(child, shared), 0);
}

describe('SharedResults', () => {
  it('keeps its marks to itself', () => {
    const a = new SharedResults();
    const b = new SharedResults();
    const subtree = new Map([['k', 'v']]);
    a.markShared(subtree);
    expect(a.sharingOf(subtree)).toBeInstanceOf(SharedSubtree);
    expect(b.sharingOf(subtree)).toBeUndefined();
  });

  it('keeps one record per shared subtree, and sharing as a whole outranks a derivation', () => {
    const shared = new SharedResults();
    const base = new Map([['a', 1]]);
    const copy = new Map(base);
    const derivation = new Derivation(base, ['a']);
    shared.markDerived(copy, derivation);
    expect(shared.sharingOf(copy)).toBe(derivation);
    shared.markShared(copy);
    const record = shared.sharingOf(copy);
    expect(record).toBeInstanceOf(SharedSubtree);
    shared.markShared(copy);
    expect(shared.sharingOf(copy)).toBe(record);
  });
});

describe('the JSON writer and SharedResults', () => {
  it('writes a shared subtree once and keeps its text, only for the SharedResults that marked it', () => {
    const shared = new SharedResults();
    const subtree = new Map<string, unknown>([['x', 1]]);
    shared.markShared(subtree);
    const doc = { a: subtree };
    const first = pythonJson(doc, shared);
    expect(first).toBe(pythonJson(doc));
    // Shared subtrees never change; changing one shows which writes kept its text.
    subtree.set('x', 2);
    expect(pythonJson(doc, shared)).toBe(first);
    expect(pythonJson(doc)).toBe('{\n  "a": {\n    "x": 2\n  }\n}');
    expect(pythonJson(doc, new SharedResults())).toBe(pythonJson(doc));
  });

  it('writes a derived container as its base with the per-node entries of its own', () => {
    const shared = new SharedResults();
    const base = new Map<string, unknown>([
      ['a', 1],
      ['b', [true, null]],
      ['c', 'three'],
    ]);
    const derivation = new Derivation(base, ['b']);
    for (const b of [[1], { deep: 'x' }, 'plain']) {
      const node = new Map(base).set('b', b);
      shared.markDerived(node, derivation);
      expect(pythonJson({ p: node }, shared)).toBe(pythonJson({ p: node }));
    }
  });
});

describe('an Inventory and its SharedResults', () => {
  it('hands the accelerator results to the writer, and writes the same text with them', async () => {
    const fast = await openInventory(REPO, { provenance: false, accelerator: true });
    const plain = await openInventory(REPO, { provenance: false, accelerator: false });
    const shared = fast.shared;
    expect(shared).toBeInstanceOf(SharedResults);
    expect(plain.shared).toBeUndefined();
    const names = fast.nodeNames();
    expect(names.length).toBeGreaterThan(1);
    let marked = 0;
    for (const name of names) {
      const doc = nodeDocument(fast.rawNode(name));
      marked += countMarked(doc, shared as SharedResults);
      expect(pythonJson(doc, shared)).toBe(pythonJson(nodeDocument(plain.rawNode(name))));
    }
    expect(marked).toBeGreaterThan(0);
  });
});
