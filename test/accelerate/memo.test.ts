// Which memo a node gets (MemoBook): by the paths its own layer sets, by the values it sets
// them to once a node has recorded, and derived for nodes that set more paths. Whether the
// results shared are right is sharing.test.ts's part; this is about which nodes share.
import { describe, expect, it } from 'vitest';
import { MemoBook, type InterpolationMemo, type OwnLayer } from '../../src/accelerate/memo.js';
import { SharedResults } from '../../src/resolve/shared.js';
import { makeSettings } from '../../src/resolve/settings.js';
import { Value } from '../../src/resolve/values.js';

const settings = makeSettings({});
const childPathKey = (parent: string, part: string) => settings.keyTables.childPathKey(parent, part);

/** A node's own layer setting top-level keys to scalars, in order. */
function layer(entries: Record<string, string | number>): OwnLayer {
  return {
    leaves: Object.keys(entries).map((k) => childPathKey('', k)),
    values: Object.values(entries).map((v) => new Value(v, settings, undefined)),
    ancestors: [],
  };
}

/** A book whose first node (setting `first`) has recorded its memo, with nothing in it. */
function recordedBook(first: OwnLayer): MemoBook {
  return recorded(first).book;
}

function recorded(first: OwnLayer): { book: MemoBook; memo: InterpolationMemo } {
  const book = new MemoBook(new SharedResults(), settings);
  const memo = book.memoFor(first);
  memo.record([]);
  book.recordedBy(memo, first);
  return { book, memo };
}

describe('MemoBook', () => {
  it('gives nodes that set the same paths one memo until a node records', () => {
    const book = new MemoBook(new SharedResults(), settings);
    const a = book.memoFor(layer({ name: 'n1', domain: 'lab' }));
    expect(book.memoFor(layer({ domain: 'lab', name: 'n2' }))).toBe(a);
    expect(a.values).toBeNull();
    expect(book.memoFor(layer({ name: 'n3' }))).not.toBe(a);
  });

  it('then compares values: nodes that differ from the recording node alike share a memo', () => {
    const book = recordedBook(layer({ name: 'n1', domain: 'lab', rack: 1 }));
    const n2 = book.memoFor(layer({ name: 'n2', domain: 'lab', rack: 1 }));
    expect(n2.values).not.toBeNull();
    expect(n2.touched.touches(childPathKey('', 'name'), [])).toBe(true);
    expect(n2.touched.touches(childPathKey('', 'domain'), [])).toBe(false);
    expect(book.memoFor(layer({ name: 'n3', domain: 'lab', rack: 1 }))).toBe(n2);
    const otherRack = book.memoFor(layer({ name: 'n4', domain: 'lab', rack: 2 }));
    expect(otherRack).not.toBe(n2);
    expect(otherRack.touched.touches(childPathKey('', 'rack'), [])).toBe(true);
  });

  it('compares values only for the same paths in the same order', () => {
    const book = recordedBook(layer({ name: 'n1', domain: 'lab' }));
    const reordered = book.memoFor(layer({ domain: 'lab', name: 'n2' }));
    expect(reordered.touched.touches(childPathKey('', 'domain'), [])).toBe(true);
  });

  it('derives the memo of nodes that set more paths', () => {
    const book = recordedBook(layer({ name: 'n1' }));
    const more = book.memoFor(layer({ name: 'n2', mtu: 9000 }));
    expect(more.values).not.toBeNull();
    expect(more.touched.touches(childPathKey('', 'mtu'), [])).toBe(true);
  });

  it('makes at most 16 memos by values, then shares the memo of the same paths', () => {
    // Node n sets path k<i> to another value than the first node where bit i of n is set:
    // 40 nodes, 40 sets of paths set to other values.
    const bits = (n: number) => layer(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, (n >> i) & 1])));
    const { book, memo: root } = recorded(bits(0));
    const memos = Array.from({ length: 40 }, (_, n) => book.memoFor(bits(n + 1)));
    expect(new Set(memos.slice(0, 16)).size).toBe(16);
    expect(memos.slice(0, 16)).not.toContain(root);
    // Past the limit, a node gets the memo of the nodes setting the same paths: the
    // recording node's, in which every path it set is its own.
    for (const memo of memos.slice(16)) expect(memo).toBe(root);
    // Memos already made are still given to the nodes they were made for.
    expect(book.memoFor(bits(3))).toBe(memos[2]);
  });
});

describe('InterpolationMemo, recording', () => {
  const path = (...parts: string[]) => parts;
  const keyOf = (parts: string[]) => settings.keyTables.pathKey(parts);

  it('keeps the final value of what a node interpolated, unless it read what the node sets', () => {
    const book = new MemoBook(new SharedResults(), settings);
    const own = layer({ name: 'n1' });
    const memo = book.memoFor(own);
    const container = new Map<string, unknown>();
    // `greeting` reads the node's own `name`; `motd` reads only `domain`; `banner` reads
    // `greeting`, so the node's name reaches it too; `warned` gave a warning.
    memo.interpolated(path('greeting'), keyOf(['greeting']), ['name'], false, container, 'greeting');
    memo.interpolated(path('motd'), keyOf(['motd']), ['domain'], false, container, 'motd');
    memo.interpolated(path('banner'), keyOf(['banner']), ['greeting'], false, container, 'banner');
    memo.interpolated(path('warned'), keyOf(['warned']), ['domain'], true, container, 'warned');
    // The values are read once the node is done: they are its final ones.
    container.set('greeting', 'hello n1').set('motd', 'lab').set('banner', 'hello n1!').set('warned', 'lab');
    memo.interpolationDone();
    book.recordedBy(memo, own);
    expect(memo.values).toEqual(new Map([[keyOf(['motd']), 'lab']]));
    expect(memo.recorded).toBe(true);
  });

  it('records nothing for a node whose references nest too deep to track', () => {
    const book = new MemoBook(new SharedResults(), settings);
    const memo = book.memoFor(layer({ name: 'n1' }));
    const deep = Array.from({ length: 65 }, (_, i) => `d${i}`);
    memo.interpolated(path('motd'), keyOf(['motd']), ['domain'], false, new Map([['motd', 'lab']]), 'motd');
    memo.interpolated(deep, keyOf(deep), ['domain'], false, new Map([['x', 1]]), 'x');
    memo.interpolationDone();
    expect(memo.values).toEqual(new Map());
    expect(memo.recorded).toBe(false);
  });
});
