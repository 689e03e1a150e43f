/**
 * The YAML fast path (src/inventory/fast-yaml.ts) against the full loader it stands in for:
 * whenever the fast path accepts a text, the data (types, key order, duplicates) and the
 * position of every entry of every container must be exactly the full loader's. Checked on
 * every YAML file of the embedded model, the shared conformance cases and corpora, and the
 * fixtures; on hand-written edge cases; and on random texts (fast-check).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSimpleYaml } from '../../src/inventory/fast-yaml.js';
import { loadYaml, loadYamlFully, positionOf, type Position, type Raw } from '../../src/inventory/yaml.js';
import { PyFloat, PyKey } from '../../src/resolve/pyvalue.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(REPO, '..', 'shared');
const SEED = Number(process.env.HARDENING_SEED ?? 20_250_611);

type PositionLookup = (container: object, key: string | number) => Position | undefined;

/** Text that differs whenever the data, a type or a position differs. */
function dump(value: Raw | PyKey, where: PositionLookup): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `bigint:${value}`;
  if (typeof value === 'number') return `number:${Object.is(value, -0) ? '-0' : String(value)}`;
  if (typeof value === 'boolean') return `bool:${value}`;
  if (typeof value === 'string') return `str:${JSON.stringify(value)}`;
  if (value instanceof PyFloat) return `float:${Object.is(value.value, -0) ? '-0' : String(value.value)}`;
  if (value instanceof PyKey) return `key:${dump(value.value, where)}`;
  const at = (container: object, key: string | number) => {
    const pos = where(container, key);
    return pos ? `@${pos.line}:${pos.column}` : '@none';
  };
  if (Array.isArray(value)) return `[${value.map((item, i) => `${at(value, i)} ${dump(item, where)}`).join(', ')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${dump(k as Raw | PyKey, where)}${at(value, k)}: ${dump(v, where)}`);
    return `{${entries.join(', ')}}`;
  }
  return `unexpected:${Object.prototype.toString.call(value)}`;
}

/** An entry's position in the fast path's own packed table: line and column per entry, in entry order. */
function packedAt(where: number[] | undefined, container: object, key: string | number): Position | undefined {
  if (!where) return undefined;
  const index = Array.isArray(container)
    ? (key as number)
    : [...(container as Map<unknown, unknown>).keys()].indexOf(key);
  const line = where[2 * index];
  return line ? { line, column: where[2 * index + 1] } : undefined;
}

type Comparison = { accepted: false } | { accepted: true; fast: string; wired: string; full: string };

/**
 * The fast path's result beside the full loader's, both dumped with positions. `wired` is
 * what `loadYaml` (fast path first) returns, read through `positionOf` as callers read it.
 */
function compare(text: string): Comparison {
  const simple = loadSimpleYaml(text);
  if (!simple) return { accepted: false };
  const table = new Map(simple.positions);
  const fast = dump(simple.data, (c, k) => packedAt(table.get(c), c, k));
  const wired = dump(loadYaml(text, 'fast.yml'), positionOf);
  let full: string;
  try {
    full = dump(loadYamlFully(text, 'full.yml'), positionOf);
  } catch (e) {
    full = `the full loader throws: ${(e as Error).message}`;
  }
  return { accepted: true, fast, wired, full };
}

/** Fails unless the fast path either declines `text` or agrees with the full loader. */
function expectAgreement(text: string): boolean {
  const result = compare(text);
  if (!result.accepted) return false;
  expect({ text, got: result.fast }).toEqual({ text, got: result.full });
  expect({ text, got: result.wired }).toEqual({ text, got: result.full });
  return true;
}

/** Fails unless the fast path accepts `text` and agrees with the full loader. */
function expectAccepted(text: string): void {
  expect(expectAgreement(text), `the fast path declines ${JSON.stringify(text)}`).toBe(true);
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.ya?ml$/.test(entry.name)) found.push(join(entry.parentPath, entry.name));
  }
  return found.sort();
}

/** Checks every file; returns how many the fast path accepted. */
function checkFiles(files: string[]): number {
  let accepted = 0;
  for (const file of files) if (expectAgreement(readFileSync(file, 'utf8'))) accepted++;
  return accepted;
}

describe('the YAML fast path on real files', () => {
  it('agrees with the full loader on the embedded model, and accepts all of it', () => {
    const files = ['classes', 'system', 'cluster', 'nodes'].flatMap((d) => yamlFiles(join(REPO, d)));
    files.push(join(REPO, 'reclass-config.yml'));
    expect(files.length).toBeGreaterThan(100);
    expect(checkFiles(files)).toBe(files.length);
  });

  it('agrees with the full loader on the shared corpora, and accepts nearly all of them', (context) => {
    const files = yamlFiles(join(SHARED, 'corpus'));
    if (files.length === 0) return context.skip(`no ${SHARED}/corpus beside the repository`);
    // Real MCP models; what is declined is mostly block scalars (`|`), tabs and escapes.
    expect(checkFiles(files) / files.length).toBeGreaterThan(0.95);
  });

  it('agrees with the full loader on the conformance cases and the fixtures', () => {
    const files = [
      ...yamlFiles(join(SHARED, 'conformance')),
      ...yamlFiles(join(REPO, 'test', 'fixtures')),
      ...yamlFiles(join(REPO, 'test', 'hardening', 'fixtures')),
    ];
    expect(files.length).toBeGreaterThan(20);
    // Written to exercise reclass, so they lean on flow lists (`classes: [a]`): fewer are accepted.
    expect(checkFiles(files) / files.length).toBeGreaterThan(0.35);
  });
});

describe('the YAML fast path on edge cases', () => {
  it('types plain scalars as the full loader does', () => {
    const values = [
      'yes',
      'no',
      'on',
      'off',
      'Yes',
      'NO',
      'True',
      'false',
      '~',
      'null',
      'Null',
      'NULL',
      '1_000',
      '0o7',
      '012',
      '08',
      '0x1F',
      '0b101',
      '1:30',
      '190:20:30.15',
      '.inf',
      '-.Inf',
      '.NaN',
      '1e5',
      '1.5e+3',
      '6.8523015e+5',
      '1.0',
      '1.',
      '-1',
      '+1',
      '-0',
      '0',
      '-.5',
      '12345678901234567890',
      '-12345678901234567890',
      '2001-12-14',
      '2001-12-14 21:59:43.10 -5',
      '2001-12-14t21:59:43.10-05:00',
      '1.2.3',
      '-x',
      '--x',
      'a,b',
      'a]',
      'a}',
      'a{b',
      'x:y',
      'http://host:80/p',
      '${_param:a}',
      '${_param:a}/${_param:b}',
      'x{{ salt }}',
      'a#b',
      "it's",
      'a"b',
      'é',
      'a\u00a0b',
      '\u00a0',
      '\u3000',
      'a  b',
      '$',
      '<',
      '=x',
      '<<x',
      'x!',
      'x&y',
      'x*y',
      'x|y',
      'x>y',
      'x%',
    ];
    for (const v of values) {
      expectAccepted(`k: ${v}\n`);
      expectAccepted(`- ${v}\n`);
      expectAccepted(`k:\n  ${v}\n`);
    }
  });

  it("reads quoted scalars: '' escapes, no escapes in double quotes, comments inside kept", () => {
    for (const v of [
      "'q'",
      "'it''s'",
      "''",
      "''''",
      '""',
      '"d"',
      "'a # b'",
      '"a # b"',
      "' lead'",
      '"trail "',
      "'a: b'",
      '"- x"',
      '"yes"',
      "'010'",
      "'\\n'",
      '"x\\ty"',
      '"a\\nb"',
      '"q\\"q"',
      '"rm {} \\\\;"',
      '"\\\\"',
      '"\\"a\\" # \\"b\\""',
    ]) {
      expectAccepted(`k: ${v}\n`);
      expectAccepted(`- ${v}  # note\n`);
      expectAccepted(`${v}: v\n`);
    }
  });

  it('reads comments, blank lines and trailing spaces', () => {
    expectAccepted('# only a comment\n');
    expectAccepted('');
    expectAccepted('\n\n   \n');
    expectAccepted('a: 1 # one\nb: 2#two\nc: x  #  three  \n   # indented\n\nd:   \ne:  # empty\n');
    expectAccepted('a:\n  # before\n  b: 1\n# between\n  c: 2\n# after\nd: 3\n');
    expectAccepted('a: 1');
    expectAccepted('a:');
    expectAccepted('a: b   ');
  });

  it('places empty values at their comment or line end, and nested blocks at their first entry', () => {
    expectAccepted('a:\nb:   \nc:  # x\nd:\n\n  e: 1\nf:\n    - 1\ng:\n');
    expectAccepted('- \n-\n-   # c\n-\n  k: v\n- - x\n  - y\n');
    expectAccepted('a:\n  b:\n  c:\n    d:\n  e:\nf:\n');
  });

  it('reads key: with an empty value followed by deeper, shallower and same-indent lines', () => {
    expectAccepted('a:\n  b: 1\nc: 2\n');
    expectAccepted('a:\n  b:\nc: 2\n');
    expectAccepted('a:\n  b:\n    c:\n      d: 1\ne: 2\n');
    expectAccepted('a:\n- x\n- y\nb: 1\n');
    expectAccepted('a:\n  b:\n  - x\n  c: 1\n');
    expectAccepted('- k:\n  - a\n  m: 1\n- k:\n  - b\n');
    expectAccepted('a:\nb:\n');
  });

  it('reads a plain value after one space as after several, whatever follows in its line', () => {
    // mapping() reads `key: value` itself when the value is plain after one space;
    // entryValue reads the rest, and every sequence entry.
    const values = ['v', 'v # c', 'v#c', 'v   ', 'Yes', 'null', '1', '08', '1.5', '2001-12-14', '_x', '$x', '/p', 'Z'];
    values.push('a: b', 'a:', 'a:b', 'a :b', 'http://h:80/', '${_param:x}', 'a - b', 'a # b: c', 'x{{ y }}', 'é');
    for (const v of values) {
      for (const gap of [' ', '  ']) {
        expectAgreement(`k:${gap}${v}\nm: 1\n`);
        expectAgreement(`-${gap}${v}\n- 1\n`);
        expectAgreement(`k:\n  -${gap}${v}\n  - x: 1\n`);
      }
    }
    expectAccepted('k: v\nm: 1\n');
    expectAccepted('- v\n- a:b\n- $x\n-  y\n');
  });

  it('reads sequences, compact mappings and nested compact sequences', () => {
    expectAccepted('- a\n-  b\n- k: v\n  m: w\n-   k2: v2\n    m2:\n- - x\n  - - y\n    - z\n');
    expectAccepted('classes:\n- a.b\n- c\nparameters:\n  x:\n    - 1\n    - y: 2\n      z: [ ]\n'.replace('[ ]', '[]'));
    expectAccepted('- -x\n- -1\n- - -x\n');
    expectAccepted('a: []\nb: {}\nc:\n- []\n- {}  # empty\n');
  });

  it('reads one-line flow sequences of scalars, and declines the rest of flow syntax', () => {
    for (const v of [
      '[a]',
      '[x, \'y\', "z"]',
      '[ "/dev/loop0" ]',
      "['role:admin', 'role:image_manager']",
      '[cicd, docker]',
      '[1, 2.5, yes, ~, a b, 0x1f, 2001-12-14, -x, null]',
      "[ 'q''q' , x ]",
      '[a,b,c]',
      '[it\'s, a"b]',
    ]) {
      expectAccepted(`k: ${v}\n`);
      expectAccepted(`- ${v}  # note\n`);
      expectAccepted(`k:\n  ${v}\n`);
      expectAccepted(`k:\n  l: ${v}\nm: 1\n`);
    }
    for (const v of [
      '[a,,b]',
      '[a, ]',
      '[,a]',
      '[ ]',
      '[a: 1]',
      '[a, [b]]',
      '[a, {b: 1}]',
      '[x#y, u]',
      '[a] b',
      '[a]#c',
      "['a'x, b]",
      '[a',
      '[a,\n  b]',
      '[&x a]',
      '[*x]',
      '[!!str a]',
      '[<<]',
      '[-]',
      '["a\\xb"]',
      '[${_param:a}]', // braces in a plain item: an error to the full loader
    ]) {
      expect(loadSimpleYaml(`k: ${v}\n`), v).toBeUndefined();
    }
  });

  it('reads keys with spaces, colons, quotes and odd names', () => {
    expectAccepted('a b: 1\na:b: 2\n"q": 3\n\'r s\': 4\n__proto__: 5\nconstructor: 6\nk  : 7\n"yes": 8\n\'1\': 9\n');
  });

  it('keeps the first place and position and the last value of a repeated key', () => {
    expectAccepted('a: 1\nb: 2\na: 3\n');
    expectAccepted('a:\n  x: 1\nb: 2\na:\n  y: 2\n');
    expectAccepted('a: 1\n\'a\': 2\n"a": 3\n');
  });

  it('reads a document indented as a whole, and deeply nested data', () => {
    expectAccepted('  a: 1\n  b:\n  - x\n');
    let deep = '';
    for (let i = 0; i < 40; i++) deep += `${' '.repeat(2 * i)}k${i}:\n`;
    expectAccepted(deep + `${' '.repeat(80)}leaf: 1\n`);
  });

  it('declines what is outside its subset', () => {
    const outside = [
      'a: b: c',
      'a: - b',
      'a: {x: 1}',
      'a: [ ]',
      'a: &x 1\nb: *x',
      'a: !!str 1',
      'a: !x 1',
      'a: |+\n  x\n',
      'a: |2\n  x\n',
      'a: | # c\n  x\n',
      'a: |-\n  x',
      'a: >\n   x\n  y\n',
      'a: >\n  x \n',
      'a: |\n\n  x\n',
      'a: |\n  x\n    \n',
      'a: |\nb: 1\n',
      'a:\n  |\n  x\n',
      'a: "x\\ay"',
      'a: "x\\u00e9"',
      'a: "x\\/y"',
      'a: "x\\\ny"',
      'a: "unterminated',
      "a: 'multi\n  line'",
      'a: x\n  continued',
      '---\na: 1',
      'a: 1\n...\n',
      '%YAML 1.1\n---\na: 1',
      '? a\n: b',
      '<<: {a: 1}',
      'a:\n  <<: x',
      'a: <<',
      '1: a',
      'yes: a',
      '~: a',
      'null: a',
      '1.5: a',
      '=: a',
      'a: =',
      'a:\tb',
      '\ta: b',
      'a: b\r\n',
      '\ufeffa: b',
      'a: b\u2028',
      'a: b\u0085',
      'a: \u0007',
      'a: \u{1F600}',
      'hello',
      '- a\nb: 1',
      'a: 1\n- b',
      'a:\n  - x\n  b: 1',
      'a: 1\n  b: 2',
      'a:\n    b: 1\n  c: 2',
      "a: 'x' y",
      "a: 'x'#y",
      'a: @x',
      'a: `x',
      'a: %x',
      'a: ,x',
      'a: ?x',
      'a: :x',
      'a: {{ x }}',
      '[a]: b',
      '- a\n -b',
      'a: ---',
      'a: ...',
      'a:\n#c\n  x\nb: 1',
      "'a'b: c",
      'a #b: c',
      `${'k'.repeat(1100)}: v`,
    ];
    for (const text of outside) expect(loadSimpleYaml(text), JSON.stringify(text)).toBeUndefined();
    let deep = '';
    for (let i = 0; i < 100; i++) deep += `${' '.repeat(i)}k:\n`;
    expect(loadSimpleYaml(deep)).toBeUndefined();
  });

  it('reads literal and folded block scalars', () => {
    const blocks = [
      'a: |\n  x\n  y\nb: 1\n',
      'a: |-\n  x\n\n  # not a comment\n\n\nb: 1\n',
      'a: |\n    x\n      deeper\n    y\n',
      'a: >\n  x\n  y\n\n  z\n\n\n  w\nb: 1\n',
      'a: >-\n  x\n  y\n',
      '- |\n  x\n- >-\n   y\n   z\n',
      '- k: |\n    x\n  l: 1\n',
      'k:\n  a: |\n    x\n  b: 2\n',
      'k:\n  a: |\n    x\n\n# c\nb: 2\n',
      'a: |  \n  x  \n  y\n',
      'a: |\n  -----BEGIN-----\n  a: b\n  ---\n',
      'a:\n- |\n  x\n- y\n',
      'a: |\n  x\n  \n  y\n',
      'a: |\n   x\n  \nb: 1\n',
    ];
    for (const text of blocks) expectAccepted(text);
  });

  it('leaves errors to the full loader, whose messages are unchanged', () => {
    expect(() => loadYaml('a: [1, 2\nb: 3\n', 'bad.yml')).toThrow(/invalid YAML/);
    expect(() => loadYaml('a: b: c\n', 'bad.yml')).toThrow(/invalid YAML/);
    expect(() => loadYaml('a: =\n', 'bad.yml')).toThrow(/tag:yaml.org,2002:value/);
  });
});

// ---------------------------------------------------------------------------------------
// Random texts. Keys, values and line shapes are drawn from pieces chosen to sit on the
// subset's edges (indicators, colons, hashes, quotes, odd spaces, typed scalars).

/** Keys the fast path reads (all strings), and keys it must decline or treat with care. */
const GOOD_KEYS = [
  'a',
  'b',
  'c',
  'a b',
  "'a'",
  '"b"',
  "'it''s'",
  "''",
  '""',
  '-a',
  'a:b',
  'a#b',
  'é',
  "'1'",
  '"yes"',
  '_param',
  '__proto__',
  'a ',
  'k-1',
  'a"b',
  "a'b",
  '2001-12-14',
];
const ODD_KEYS = [
  '1',
  'yes',
  '~',
  '<<',
  '=',
  '? a',
  '&x a',
  '[a]',
  '{}',
  'a #c',
  "'a'b",
  '"a\\"b"',
  '- a',
  ':a',
  '%a',
  '@a',
  ',a',
  '*a',
  '|',
  '---',
  '...',
  'a\u00a0',
  '\u3000b',
];
/** Values the fast path reads, and values outside its subset or not values at all. */
const GOOD_SCALARS = [
  'x',
  'x y',
  '-1',
  '-x',
  'a#b',
  'yes',
  'Off',
  '~',
  'null',
  '1_000',
  '0o7',
  '012',
  '08',
  '0x1F',
  '1:30',
  '.inf',
  '.NaN',
  '1e5',
  '1.5e+3',
  '1.0',
  '2001-12-14',
  '${_param:a}',
  '[]',
  '[a, b]',
  '[\'x\', "y"]',
  '[ 1 , yes ]',
  "[ 'q''q' ]",
  '[a b, -c]',
  '[2020-01-01, 0x1f, ~]',
  '{}',
  "'q'",
  "'q''q'",
  "''",
  '""',
  '"d"',
  '"a # b"',
  '"a\\\\b"',
  '"q\\"q"',
  '"x\\ty\\n"',
  '[ "a\\"b", c ]',
  'http://x',
  'é',
  'a\u00a0b',
  'x  ',
  'a]',
  'a,b',
  "it's",
  '12345678901234567890',
  '"  "',
  '#x',
];
const ODD_SCALARS = [
  '{{ x }}',
  'a:',
  'a: b',
  '- x',
  '- -x',
  '&a x',
  '*a',
  '!!str x',
  '|',
  '>',
  '=',
  '<<',
  '[a]',
  '[a,,b]',
  '[a, ]',
  '[a: 1]',
  '[a, [b]]',
  '[x#y, u]',
  '[a]x',
  "['a'b]",
  '[a',
  '{a: b}',
  '"a\\b"',
  '"a\\x41"',
  '"a\\',
  '"a\\"',
  "'x' y",
  '"open',
  'x:#',
  '@',
  '%',
  '?x',
  ':x',
  '---',
  '...',
];
const KEYS = [...GOOD_KEYS, ...ODD_KEYS];
const SCALARS = [...GOOD_SCALARS, ...ODD_SCALARS];
const TRAILS = ['', '', '', ' ', '  ', ' # c', '#c', '  #', ' #: x'];

const pickFrom = <T>(items: readonly T[]) => fc.constantFrom(...items);

/** One line: blank, a comment, or indent + dashes + (key: value | value) + trailing text. */
const randomLine = fc.oneof(
  { weight: 1, arbitrary: pickFrom(['', '  ', '\t', '\r']) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(4), pickFrom(['# c', '#', '# a: b'])).map(([n, c]) => ' '.repeat(n) + c) },
  {
    weight: 10,
    arbitrary: fc
      .record({
        indent: pickFrom([0, 0, 0, 1, 2, 2, 3, 4, 4, 6, 8]),
        dashes: fc.array(pickFrom(['- ', '-  ', '-', '-   ']), { maxLength: 2 }),
        key: fc.option(fc.tuple(pickFrom(KEYS), pickFrom([':', ':', ' :', '::']))),
        space: pickFrom(['', ' ', ' ', '  ']),
        value: fc.option(pickFrom(SCALARS)),
        trail: pickFrom(TRAILS),
      })
      .map(({ indent, dashes, key, space, value, trail }) => {
        const keyText = key ? key[0] + key[1] : '';
        return ' '.repeat(indent) + dashes.join('') + keyText + (value === null ? '' : space + value) + trail;
      }),
  },
);

const randomText = fc
  .tuple(fc.array(randomLine, { minLength: 1, maxLength: 10 }), fc.boolean())
  .map(([lines, newline]) => lines.join('\n') + (newline ? '\n' : ''));

/** A data tree with the layout choices for writing it out. */
type Tree =
  | { kind: 'scalar'; text: string; below: boolean; step: number; trail: string }
  | { kind: 'block'; header: string; lines: string[]; step: number }
  | { kind: 'empty'; trail: string }
  | { kind: 'map'; entries: Array<[string, Tree]>; layout: Layout }
  | { kind: 'seq'; items: Tree[]; layout: Layout };
interface Layout {
  step: number;
  compact: boolean;
  sameIndent: boolean;
  trail: string;
  gap: string | null;
}

const layout = fc.record({
  step: pickFrom([1, 2, 2, 2, 3, 4]),
  compact: fc.boolean(),
  sameIndent: fc.boolean(),
  trail: pickFrom(TRAILS),
  gap: fc.option(pickFrom(['', '# c', '   # c', ' ']), { freq: 5 }),
});
// Good pieces only, so that most trees are accepted (the edits below add the odd ones).
const treeKeys = pickFrom(GOOD_KEYS);
const treeScalars = pickFrom(GOOD_SCALARS);

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('scalar' as const),
      text: treeScalars,
      below: fc.boolean(),
      step: pickFrom([1, 2, 4]),
      trail: pickFrom(TRAILS),
    }),
    fc.record({ kind: fc.constant('empty' as const), trail: pickFrom(['', ' ', ' # c']) }),
    fc.record({
      kind: fc.constant('block' as const),
      header: pickFrom(['|', '|', '|-', '>', '>', '>-', '|+', '>+', '|2', '| # c', '|  ', '>-  ']),
      lines: fc.array(
        pickFrom(['x', 'x y', 'a: b', '- x', '# c', '', '', ' deeper', 'trail ', '  ', '---', "'q'", '|']),
        { minLength: 1, maxLength: 5 },
      ),
      step: pickFrom([1, 2, 2, 4]),
    }),
    fc.record({
      kind: fc.constant('map' as const),
      entries: fc.array(fc.tuple(treeKeys, tie('tree')), { minLength: 1, maxLength: 4 }),
      layout,
    }),
    fc.record({
      kind: fc.constant('seq' as const),
      items: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }),
      layout,
    }),
  ),
}));

type Container = Extract<Tree, { kind: 'map' | 'seq' }>;

/** Lines for the entries of a map or sequence at `indent`; `firstPrefix` starts the first entry on an open line. */
function writeEntries(node: Container, indent: number, firstPrefix?: string): string[] {
  const heads = node.kind === 'map' ? node.entries.map(([k]) => `${k}:`) : node.items.map(() => '-');
  const values = node.kind === 'map' ? node.entries.map(([, v]) => v) : node.items;
  return values.flatMap((value, i) => {
    const start = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
    return writeValue(value, indent, start + heads[i], node.kind === 'map');
  });
}

function writeValue(value: Tree, indent: number, head: string, ofMapping: boolean): string[] {
  switch (value.kind) {
    case 'scalar':
      return value.below
        ? [head, ' '.repeat(indent + value.step) + value.text + value.trail]
        : [`${head} ${value.text}${value.trail}`];
    case 'empty':
      return [head + value.trail];
    case 'block':
      return [
        `${head} ${value.header}`,
        ...value.lines.map((l) => (l === '' ? '' : ' '.repeat(indent + value.step) + l)),
      ];
    default: {
      const { step, compact, sameIndent, trail, gap } = value.layout;
      if (!ofMapping && compact) return writeEntries(value, head.length + step, head + ' '.repeat(step));
      const nested = ofMapping && value.kind === 'seq' && sameIndent ? indent : indent + step;
      return [head + trail, ...(gap === null ? [] : [gap]), ...writeEntries(value, nested)];
    }
  }
}

/** Small edits that often push a valid text just outside the subset, or into an error. */
const mutation = fc.option(
  fc.tuple(
    fc.nat(),
    fc.nat(),
    pickFrom(['indent', 'dedent', 'insert-line', 'insert-text']),
    pickFrom([...ODD_SCALARS, ':', ' ', '#', ' #', '- ', "'", '"', ': ', '\t']),
  ),
  { freq: 3 },
);

/** A document is a mapping or a sequence: a lone scalar becomes the value of `a`. */
function asDocument(root: Tree): Container {
  if (root.kind === 'map' || root.kind === 'seq') return root;
  return {
    kind: 'map',
    entries: [['a', root]],
    layout: { step: 2, compact: false, sameIndent: false, trail: '', gap: null },
  };
}

const structuredText = fc
  .tuple(tree, pickFrom([0, 0, 1, 2]), mutation, fc.boolean())
  .map(([root, indent, edit, newline]) => {
    const lines = writeEntries(asDocument(root), indent);
    if (edit) {
      const [i, j, op, piece] = edit;
      const at = i % lines.length;
      const line = lines[at];
      if (op === 'indent') lines[at] = ' ' + line;
      if (op === 'dedent') lines[at] = line.replace(/^ /, '');
      if (op === 'insert-line') lines.splice(at, 0, ' '.repeat(j % 8) + piece);
      if (op === 'insert-text')
        lines[at] = line.slice(0, j % (line.length + 1)) + piece + line.slice(j % (line.length + 1));
    }
    return lines.join('\n') + (newline ? '\n' : '');
  });

describe('the YAML fast path on random texts', () => {
  it('declines or agrees with the full loader: random lines', () => {
    let accepted = 0;
    fc.assert(
      fc.property(randomText, (text) => {
        if (expectAgreement(text)) accepted++;
      }),
      { seed: SEED, numRuns: 60_000 },
    );
    expect(accepted).toBeGreaterThan(1000); // the property is not vacuous: about 7% are accepted
  });

  it('declines or agrees with the full loader: written-out data trees, some edited', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(structuredText, (text) => {
        runs++;
        if (expectAgreement(text)) accepted++;
      }),
      { seed: SEED, numRuns: 40_000 },
    );
    expect(accepted / runs).toBeGreaterThan(0.4); // about 57% are accepted
  });
});

describe('the yaml package is loaded only when needed', () => {
  const CLI = join(REPO, 'dist/src/cli/launch.cjs');
  const node = readdirSync(join(REPO, 'nodes'))
    .find((f) => f.endsWith('.yml'))!
    .replace(/\.yml$/, '');
  /** Reports each read of the build's one-file copy of the package, dist/cli/yaml.cjs, which the
   * CLI's bundle reads and compiles itself (scripts/bundle-cli.mjs) rather than requires. */
  const reportCopy = `data:text/javascript,${encodeURIComponent(
    "import fs from 'node:fs'; const read = fs.readFileSync; fs.readFileSync = (p, ...rest) => { if (String(p).endsWith('yaml.cjs')) process.stderr.write('read ' + p + '\\n'); return read(p, ...rest); };",
  )}`;
  /** Whether a CLI run loads the yaml package: from node_modules (NODE_DEBUG=module lists every
   * module loaded) or the build's copy. */
  const loadsYaml = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', reportCopy, CLI, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NODE_DEBUG: 'module' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    return /node_modules[\\/]yaml[\\/]|^read .*[\\/]yaml\.cjs$/m.test(r.stderr);
  };

  it('not for a JSON node of the embedded model, but for YAML output', () => {
    expect(loadsYaml(['node', node, '--format', 'json'])).toBe(false);
    expect(loadsYaml(['node', node, '--format', 'yaml'])).toBe(true);
  });
});
