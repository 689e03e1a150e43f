import { describe, expect, it } from 'vitest';
import { globRegExp, selectNodes } from '../../src/plan/select.js';
import { ReclassNetError } from '../../src/errors.js';

const names = ['cfg01.lab.local', 'cmp01.lab.local', 'cmp02.lab.local', 'ctl01.lab.local', 'ctl02.lab.local'];

describe('selectNodes', () => {
  it('takes full names, short names and globs, each node once, in inventory order', () => {
    expect(selectNodes(names, ['ctl01', 'cmp*'])).toEqual(['cmp01.lab.local', 'cmp02.lab.local', 'ctl01.lab.local']);
    expect(selectNodes(names, ['cmp02.lab.local', 'cmp0?'])).toEqual(['cmp01.lab.local', 'cmp02.lab.local']);
    expect(selectNodes(names, ['c[mt]?02*'])).toEqual(['cmp02.lab.local', 'ctl02.lab.local']);
    expect(selectNodes(names, ['ctl0[!1]'])).toEqual(['ctl02.lab.local']);
  });

  it('names the nearest node for a misspelt name, and refuses a glob that matches nothing', () => {
    expect(() => selectNodes(names, ['cmp1'])).toThrow(/did you mean cmp01\?/);
    const e = (() => {
      try {
        selectNodes(names, ['gtw*']);
      } catch (error) {
        return error as ReclassNetError;
      }
    })();
    expect(e?.kind).toBe('NodeNotFound');
    expect(e?.message).toContain("no node matches 'gtw*'");
  });

  it('treats regular-expression characters in a glob literally', () => {
    expect(globRegExp('a.b+').test('a.b+')).toBe(true);
    expect(globRegExp('a.b+').test('axbb')).toBe(false);
  });
});
