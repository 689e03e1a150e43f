import { describe, expect, it } from 'vitest';
import { childPathKey, internedChildPathKey, pathKey } from '../../src/resolve/dictpath.js';

describe('path keys', () => {
  it('interned keys are the keys pathKey builds', () => {
    const parts = ['linux', 'network', 'interface', 'eth0', 3, 'address'];
    let interned = '';
    for (const p of parts) interned = internedChildPathKey(interned, p);
    expect(interned).toBe(pathKey(parts));
  });

  it('keep list positions and digit strings apart, as reclass does', () => {
    expect(internedChildPathKey('a', 0)).not.toBe(internedChildPathKey('a', '0'));
    expect(internedChildPathKey('a', 0)).toBe(childPathKey('a', 0));
    expect(internedChildPathKey('a', '0')).toBe(childPathKey('a', '0'));
  });

  it('give equal keys for equal paths whatever string objects name the parts', () => {
    const built = ['_pa', 'ram'].join('');
    expect(internedChildPathKey('', built)).toBe(internedChildPathKey('', '_param'));
  });
});
