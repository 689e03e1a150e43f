import { describe, expect, it } from 'vitest';
import { ancestorKeysOf, ancestorKeysOfKey, childPathKey, pathKey } from '../../src/resolve/dictpath.js';

describe('path keys', () => {
  it('built a part at a time, are the keys of whole paths', () => {
    const parts = ['linux', 'network', 'interface', 'eth0', 3, 'address'];
    let key = '';
    for (const p of parts) key = childPathKey(key, p);
    expect(key).toBe('\u0002linux\u0002network\u0002interface\u0002eth0\u00013\u0002address');
    expect(pathKey(parts)).toBe(key);
  });

  it('keep list positions and digit strings apart, as reclass does', () => {
    expect(childPathKey('a', 0)).not.toBe(childPathKey('a', '0'));
    expect(childPathKey('a', 0)).toBe('a\u00010');
    expect(childPathKey('a', '0')).toBe('a\u00020');
  });

  it('give equal keys for equal paths whatever string objects name the parts', () => {
    const built = ['_pa', 'ram'].join('');
    expect(childPathKey('', built)).toBe(childPathKey('', '_param'));
  });

  it("give the keys of a path's ancestors, from its parts or from its key alike", () => {
    const parts = ['linux', 'network', 3, 'address'];
    const ancestors = [pathKey(['linux']), pathKey(['linux', 'network']), pathKey(['linux', 'network', 3])];
    expect(ancestorKeysOf(parts)).toEqual(ancestors);
    expect(ancestorKeysOfKey(pathKey(parts))).toEqual(ancestors);
    expect(ancestorKeysOf(['linux'])).toEqual([]);
    expect(ancestorKeysOfKey(pathKey(['linux']))).toEqual([]);
  });
});
