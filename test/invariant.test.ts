// The checks for what an earlier stage guarantees: the value itself, or an Error naming what
// is missing (the CLI reports it as an internal error).
import { describe, expect, it } from 'vitest';
import { mustGet, present } from '../src/invariant.js';

describe('present', () => {
  it('returns a value that is there, falsy ones included', () => {
    expect(present('br-ex', 'the bridge')).toBe('br-ex');
    expect(present(0, 'the count')).toBe(0);
    expect(present('', 'the text')).toBe('');
  });

  it('throws a plain Error naming what is missing, for undefined and null', () => {
    expect(() => present(undefined, 'the OVS bridge of eth0')).toThrow(new Error('the OVS bridge of eth0 is missing'));
    expect(() => present(null, 'the parent port')).toThrow(new Error('the parent port is missing'));
  });
});

describe('mustGet', () => {
  const map = new Map([
    ['eth0', 1],
    ['zero', 0],
  ]);

  it('returns the entry of a key the map has', () => {
    expect(mustGet(map, 'eth0', 'interface')).toBe(1);
    expect(mustGet(map, 'zero', 'interface')).toBe(0);
  });

  it('throws naming the kind and the key it lacks', () => {
    expect(() => mustGet(map, 'eth9', 'interface')).toThrow(new Error('interface eth9 is missing'));
  });
});
