import { describe, expect, it } from 'vitest';
import { ancestorKeysOfKey, KeyTables, pathKey, splitPath } from '../../src/resolve/dictpath.js';
import { makeSettings } from '../../src/resolve/settings.js';

describe('path keys', () => {
  it('built a part at a time, are the keys of whole paths', () => {
    const tables = new KeyTables();
    const parts = ['linux', 'network', 'interface', 'eth0', 3, 'address'];
    let key = '';
    for (const p of parts) key = tables.childPathKey(key, p);
    expect(key).toBe('\u0002linux\u0002network\u0002interface\u0002eth0\u00013\u0002address');
    expect(tables.pathKey(parts)).toBe(key);
    expect(pathKey(parts)).toBe(key);
  });

  it('keep list positions and digit strings apart, as reclass does', () => {
    const tables = new KeyTables();
    expect(tables.childPathKey('a', 0)).not.toBe(tables.childPathKey('a', '0'));
    expect(tables.childPathKey('a', 0)).toBe('a\u00010');
    expect(tables.childPathKey('a', '0')).toBe('a\u00020');
    expect(pathKey([0])).not.toBe(pathKey(['0']));
  });

  it('give equal keys for equal paths whatever string objects name the parts', () => {
    const tables = new KeyTables();
    const built = ['_pa', 'ram'].join('');
    expect(tables.childPathKey('', built)).toBe(tables.childPathKey('', '_param'));
  });

  it("give the keys of a path's ancestors, from its parts or from its key alike", () => {
    const tables = new KeyTables();
    const parts = ['linux', 'network', 3, 'address'];
    const ancestors = [pathKey(['linux']), pathKey(['linux', 'network']), pathKey(['linux', 'network', 3])];
    expect(tables.ancestorKeysOf(parts)).toEqual(ancestors);
    expect(ancestorKeysOfKey(pathKey(parts))).toEqual(ancestors);
    expect(tables.ancestorKeysOf(['linux'])).toEqual([]);
    expect(ancestorKeysOfKey(pathKey(['linux']))).toEqual([]);
  });
});

describe('references', () => {
  it('split on the delimiter unless a backslash precedes it, alike with or without the tables', () => {
    const tables = new KeyTables();
    for (const [text, parts] of [
      ['a:b:c', ['a', 'b', 'c']],
      ['a\\:b:c', ['a\\:b', 'c']],
      [':a:', ['', 'a', '']],
    ] as const) {
      expect(splitPath(text, ':')).toEqual(parts);
      expect(tables.splitPath(text, ':')).toEqual(parts);
    }
    expect(tables.splitPath('a::b', '::')).toEqual(['a', 'b']);
  });

  it('parse once per delimiter, with the interned keys of their path and its ancestors', () => {
    const tables = new KeyTables();
    const parsed = tables.parseRef('_param:linux:name', ':');
    expect(tables.parseRef('_param:linux:name', ':')).toBe(parsed);
    expect(parsed.parts).toEqual(['_param', 'linux', 'name']);
    expect(parsed.key).toBe(pathKey(['_param', 'linux', 'name']));
    expect(parsed.ancestorKeys).toEqual([pathKey(['_param']), pathKey(['_param', 'linux'])]);
    expect(tables.parseRef('_param:linux:name', '/').parts).toEqual(['_param:linux:name']);
  });
});

describe('interning tables', () => {
  it('belong to one set of settings: each makeSettings makes its own', () => {
    const one = makeSettings({});
    const other = makeSettings({});
    expect(one.keyTables).toBeInstanceOf(KeyTables);
    expect(other.keyTables).not.toBe(one.keyTables);
    // Not an option: a model's configuration cannot set them.
    expect(makeSettings({ keyTables: 'from a file' } as never).keyTables).toBeInstanceOf(KeyTables);
  });
});
