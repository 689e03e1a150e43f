/**
 * The comparison the differential test relies on must see the differences JSON.parse hides,
 * and the kind matching must not accept just any error.
 */
import { describe, expect, it } from 'vitest';
import { firstDifference, parseExactJson } from './exact-json.js';
import { compareOutcome, compareWarnings, kindMatches, warningLines } from './runner.js';
import { renderYaml, list, map, sc } from './yaml-model.js';

const diff = (a: string, b: string): string | null => firstDifference(parseExactJson(a), parseExactJson(b));

describe('exact JSON comparison', () => {
  it('tells ints from floats and compares floats by their printed text', () => {
    expect(diff('{"a": 1}', '{"a": 1}')).toBeNull();
    expect(diff('{"a": 1.0}', '{"a": 1}')).toBe('a: reclass float 1.0, reclass-net int 1');
    expect(diff('[1e+16]', '[10000000000000000.0]')).toBe('[0]: reclass 1e+16, reclass-net 10000000000000000.0');
    expect(diff('[1.5e-07]', '[1.5e-07]')).toBeNull();
    expect(diff('[-0.0]', '[0.0]')).toBe('[0]: reclass -0.0, reclass-net 0.0');
    expect(diff('[12345678901234567890]', '[12345678901234567891]')).not.toBeNull();
    expect(diff('[NaN, Infinity]', '[NaN, Infinity]')).toBeNull();
    expect(diff('[Infinity]', '[null]')).toBe('[0]: reclass float Infinity, reclass-net null null');
  });

  it('ignores dict key order, not list order, and sees missing keys', () => {
    expect(diff('{"a": 1, "b": [1, 2]}', '{"b": [1, 2], "a": 1}')).toBeNull();
    expect(diff('{"b": [1, 2]}', '{"b": [2, 1]}')).toBe('b[0]: reclass 1, reclass-net 2');
    expect(diff('{"a": {"x": true}}', '{"a": {}}')).toBe('a:x: reclass true, reclass-net (absent)');
    expect(diff('{"a": "1"}', '{"a": 1}')).toBe('a: reclass string "1", reclass-net int 1');
    expect(diff('{"__proto__": 1}', '{"__proto__": 2}')).toBe('__proto__: reclass 1, reclass-net 2');
  });
});

describe('outcome comparison', () => {
  const ok = (stdout: string) => ({ rc: 0, stdout, stderr: '', kind: null });
  const fail = (kind: string | null, stderr: string, rc = 1) => ({ rc, stdout: '', stderr, kind });

  it("matches error kinds by name: reclass's exception class, reclass-net's kind", () => {
    expect(kindMatches('InfiniteRecursionError', 'reclass-net: InfiniteRecursion: ${a}, at parameter a')).toBe(true);
    expect(kindMatches('ResolveError', 'reclass-net: ClassNameResolveError: x')).toBe(false);
    expect(kindMatches('ResolveError', 'reclass-net: ResolveError: cannot resolve ${a}')).toBe(true);
    expect(kindMatches('ResolveErrorList', 'reclass-net: ResolveError: cannot resolve ${a}')).toBe(true);
    expect(kindMatches('InvQueryClassNotFound', 'reclass-net: InvQueryClassNotFound: class x not found')).toBe(true);
    expect(kindMatches('InvQueryClassNotFound', 'reclass-net: ClassNotFound: inventory queries: class x')).toBe(false);
    expect(kindMatches('InvQueryError', 'reclass-net: ResolveError: failed inventory query exports:ip')).toBe(false);
    expect(kindMatches('DuplicateNodeNameError', 'reclass-net: DuplicateNodeName: node web01')).toBe(false);
    expect(kindMatches('BadReferencesError', 'reclass-net: BadReferencesError: ${a}')).toBe(true);
    expect(kindMatches('TypeMergeError', 'reclass-net: ChangedConstantError: TypeMergeError')).toBe(false);
    // The kind is the CLI's, not a word somewhere in the message.
    expect(kindMatches('ClassNotFound', 'reclass-net: ResolveError: ClassNotFound in a value')).toBe(false);
    expect(kindMatches('ClassNotFound', 'ClassNotFound: class x not found')).toBe(false);
    // reclass crashed (a Python exception): any clean failure of reclass-net will do.
    expect(kindMatches('RecursionError', 'reclass-net: ClassCycle: a -> b -> a')).toBe(true);
  });

  it('compares warnings line by line, in order', () => {
    const w = (...ws: string[]): string => ws.map((x) => `[WARNING] ${x}\n`).join('');
    expect(warningLines(`x\n${w('a', 'b')}(node:1) Warning: c\n`)).toEqual(['[WARNING] a', '[WARNING] b']);
    expect(compareWarnings(['[WARNING] a'], ['[WARNING] a'])).toBeNull();
    expect(compareWarnings(['[WARNING] a', '[WARNING] b'], ['[WARNING] b', '[WARNING] a'])).toMatch(/^warning 1: /);
    expect(compareWarnings(['[WARNING] a', '[WARNING] a'], ['[WARNING] a'])).toMatch(
      /^warning 2: reclass \[WARNING\] a, reclass-net \(none\)/,
    );
  });

  it('reports every way the tools can disagree', () => {
    const node = ['node', 'n1'] as ['node', string];
    expect(
      compareOutcome(node, ok('{"parameters": {"a": 1}}'), ok('{"parameters": {"a": 1}, "__reclass__": {}}')),
    ).toEqual([]);
    expect(compareOutcome(node, ok('{"parameters": {"a": 1}}'), ok('{"parameters": {"a": 2}}'))[0]?.category).toBe(
      'value',
    );
    expect(compareOutcome(node, ok('{}'), fail(null, 'ResolveError'))[0]?.category).toBe('net-failed');
    expect(compareOutcome(node, fail('ResolveError', 'x'), ok('{}'))[0]?.category).toBe('net-succeeded');
    expect(compareOutcome(node, fail('TypeError', 'x'), ok('{}'))[0]?.category).toBe('reclass-crashed');
    expect(
      compareOutcome(node, fail('ResolveError', 'x'), fail(null, 'reclass-net: TypeMergeError: y'))[0]?.category,
    ).toBe('kind');
    expect(
      compareOutcome(node, fail('ResolveError', 'x'), fail(null, 'reclass-net: ResolveError: y', 2))[0]?.category,
    ).toBe('net-exit-code');
    expect(compareOutcome(node, fail('ResolveError', 'x'), fail(null, 'reclass-net: ResolveError: y'))).toEqual([]);
    const warned = "[WARNING] Reference '${a}' undefined\n";
    expect(compareOutcome(node, { ...ok('{}'), stderr: warned }, ok('{}'))[0]?.category).toBe('warnings');
    expect(compareOutcome(node, { ...ok('{}'), stderr: warned }, { ...ok('{}'), stderr: warned })).toEqual([]);
    expect(
      compareOutcome(node, fail('ResolveError', warned), fail(null, 'reclass-net: ResolveError: y'))[0]?.category,
    ).toBe('warnings');
    // A crashed reclass stopped anywhere: its warnings are not compared.
    expect(compareOutcome(node, fail('TypeError', warned), fail(null, 'reclass-net: ResolveError: y'))).toEqual([]);
    expect(compareOutcome(node, ok('{}'), ok('not json'))[0]?.category).toBe('net-bad-output');
    const trace = 'TypeError: x\n    at f (file:///a/b.js:1:2)\n    at g (file:///a/c.js:3:4)';
    expect(
      compareOutcome(node, fail('ResolveError', 'x'), fail(null, `reclass-net: ResolveError: ${trace}`)).map(
        (m) => m.category,
      ),
    ).toEqual(['net-stack-trace']);
  });
});

describe('YAML rendering of generated documents', () => {
  it('writes nested maps, lists of maps and nested lists in block style', () => {
    const doc = map([
      ['a', sc('1')],
      [
        'b',
        list([
          map([
            ['x', sc('1')],
            ['y', list([sc('2')])],
          ]),
          list([sc('3'), sc('4')]),
          sc(''),
        ]),
      ],
      ['c', map([])],
      ['d', sc('')],
    ]);
    expect(renderYaml(doc)).toBe('a: 1\nb:\n  - x: 1\n    y:\n      - 2\n  - - 3\n    - 4\n  -\nc: {}\nd:\n');
  });
});

describe('Python object addresses in reclass output', () => {
  it('match anything, the rest of the string must still agree', () => {
    const e = '"a <reclass.values.valuelist.ValueList object at 0x7f1234abcd> b"';
    expect(diff(e, '"a [${c}] b"')).toBeNull();
    expect(diff(e, '"x [${c}] b"')).not.toBeNull();
  });
});
