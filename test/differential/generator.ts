/**
 * Random reclass inventories, as a fast-check arbitrary (`inventoryArb`): seeded and
 * reproducible with `fc.sample(inventoryArb, { seed, numRuns })`.
 *
 * The generator knows nothing of reclass's semantics (the oracle does); it only steers the
 * mix so that most inventories resolve and the rest fail in many different ways:
 *  - a "pool" of parameter paths, each with an intended kind (scalar, list, dict), numbered in
 *    post-order so that references normally point to lower numbers (no accidental cycles),
 *    with deliberate exceptions (cycles, missing keys, type mismatches);
 *  - a class DAG (class i includes classes j > i) with diamonds, init.yml / dotted-file / .yaml
 *    layouts, relative names, references in class names, missing classes, rare cycles;
 *  - nodes that include classes, override `_param`, set environments, export values and query
 *    other nodes' exports;
 *  - a reclass-config.yml with a random subset of reclass 1.7's options.
 */
import fc from 'fast-check';
import { list, map, sc, type GenFile, type GenInventory, type GenNode, type YNode } from './yaml-model.js';

const uniformInt = (min: number, max: number): fc.Arbitrary<number> => fc.noBias(fc.integer({ min, max }));

class Pick {
  constructor(private readonly g: fc.GeneratorValue) {}
  int(min: number, max: number): number {
    return this.g(uniformInt, min, max);
  }
  chance(p: number): boolean {
    return this.int(0, 9999) < p * 10000;
  }
  one<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('Pick.one of empty list');
    return xs[this.int(0, xs.length - 1)];
  }
  weighted<T>(opts: ReadonlyArray<readonly [number, T]>): T {
    const total = opts.reduce((s, [w]) => s + w, 0);
    let r = this.int(0, total - 1);
    for (const [w, v] of opts) {
      if (r < w) return v;
      r -= w;
    }
    return opts[opts.length - 1][1];
  }
  subset<T>(xs: readonly T[], min: number, max: number): T[] {
    const pool = [...xs];
    const k = Math.min(pool.length, this.int(min, max));
    const out: T[] = [];
    for (let i = 0; i < k; i++) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// Scalars as YAML text

/** YAML 1.1 scalars as PyYAML reads them: the whole zoo real models contain. */
const LITERAL_SCALARS: ReadonlyArray<readonly [number, string]> = [
  // strings
  [10, 'hello'],
  [6, 'eth0'],
  [5, '10.0.0.1'],
  [3, '192.168.0.0/24'],
  [3, 'a b c'],
  [2, "'yes'"],
  [2, '"010"'],
  [2, "'1.0'"],
  [2, "''"],
  [1, '""'],
  [2, '"tab\\there"'],
  [1, "'it''s'"],
  [1, '"caf\\u00e9"'],
  [1, 'café'],
  [1, "'#hash'"],
  [1, '"two\\nlines"'],
  [1, '-dash'],
  [1, '2001:db8::1'],
  [1, 'y'],
  [1, 'n'],
  [1, 'Yes please'],
  [1, '09'],
  [1, '0o17'],
  [1, '1e3'],
  [1, '1.0e3'],
  [1, "'~'"],
  [1, "'null'"],
  [1, 'a\\b'],
  [1, 'C:\\\\x'],
  [1, 'x}y'],
  [1, '$notref'],
  [1, "'{a}'"],
  [1, '"say \\"hi\\""'],
  [1, '"both \' and \\""'],
  [1, '"ctl\\x01"'],
  [1, '"zero\\u200bwidth"'],
  [1, '"nb\\u00a0sp"'],
  [1, '"smile \\U0001F600"'],
  [1, "'back\\slash'"],
  [1, "'trailing\\'"],
  [1, '"\\t"'],
  // ints
  [6, '0'],
  [6, '1'],
  [5, '42'],
  [3, '-7'],
  [2, '010'],
  [2, '0x1f'],
  [1, '0b101'],
  [1, '+5'],
  [1, '1_000'],
  [1, '10:30'],
  [1, '12345678901234567890'],
  [1, '-0'],
  // floats
  [4, '1.0'],
  [3, '1.5'],
  [2, '-0.5'],
  [2, '0.1'],
  [1, '.5'],
  [1, '1.'],
  [1, '1.0e+3'],
  [1, '1.5e-7'],
  [1, '10000000000000000.0'],
  [1, '-0.0'],
  [1, '1_000.5'],
  [1, '3.14159265358979'],
  [1, '190:20:30.15'],
  [1, '.inf'],
  [1, '-.inf'],
  [1, '1e+3'],
  // bools
  [4, 'true'],
  [4, 'false'],
  [2, 'yes'],
  [2, 'no'],
  [2, 'on'],
  [2, 'off'],
  [1, 'True'],
  [1, 'FALSE'],
  [1, 'Off'],
  // nulls
  [2, 'null'],
  [2, '~'],
  [1, 'Null'],
  [1, ''],
];

const KEY_SPECIALS = [
  '1',
  'yes',
  '010',
  "'quoted key'",
  'with space',
  'true',
  '0x10',
  '1.5',
  "'${_param:x}'",
  'null',
  '-1',
];

/**
 * YAML 1.1 timestamps: PyYAML makes date / datetime objects of them, which reclass str()s
 * where it stringifies (dict keys, references inside strings): `2002-12-14T00:00:00Z` becomes
 * `2002-12-14 00:00:00+00:00`, fractions six digits. Quoted, they stay strings.
 */
const TIMESTAMPS = [
  '2002-12-14',
  '2002-12-14T00:00:00Z',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '2001-12-15 2:59:43.10',
  '2001-12-14T21:59:43.123456789Z',
  '2020-01-01 00:00:00',
  '2020-1-2 3:04:05',
  '2019-06-30T23:59:59+05:30',
  '2001-12-14T21:59:43.5+01',
  "'2002-12-14'",
];

/** Keys PyYAML reads as ints, bools, null and floats (reclass str()s them in parameter dicts). */
const NONSTRING_KEYS = ['1', '2', '-3', '0x10', '010', 'yes', 'no', 'true', 'off', 'null', '~', '1.5', '2.0', '-0.5'];

// ---------------------------------------------------------------------------------------
// The parameter pool

type Kind = 'scalar' | 'list' | 'dict';

interface PoolEntry {
  path: string[];
  kind: Kind;
  idx: number;
  children: PoolEntry[];
}

interface Pool {
  top: PoolEntry[];
  all: PoolEntry[];
  params: PoolEntry[]; // _param children (scalars)
  /** Dicts whose children a pointer param `_param:key_<n>` names (nested references). */
  pointers: Array<{ dict: PoolEntry; param: string; child: string }>;
}

function buildPool(p: Pick): Pool {
  const all: PoolEntry[] = [];
  let counter = 0;
  const mk = (path: string[], kind: Kind, children: PoolEntry[]): PoolEntry => {
    const e: PoolEntry = { path, kind, idx: -1, children };
    return e;
  };
  const paramNames = p.subset(['ip', 'role', 'port', 'flavor', 'domain', 'user', 'enabled', 'mtu', 'version'], 3, 6);
  const params = paramNames.map((n) => mk(['_param', n], 'scalar', []));
  const top: PoolEntry[] = [mk(['_param'], 'dict', params)];
  for (const t of p.subset(['svc', 'net', 'app', 'linux', 'misc'], 1, 3)) {
    const children: PoolEntry[] = [];
    for (const c of p.subset(
      ['name', 'port', 'items', 'opts', 'enabled', 'hosts', 'mode', 'extra', 'with.dot', 'my-key'],
      1,
      4,
    )) {
      const kind = p.weighted<Kind>([
        [55, 'scalar'],
        [20, 'list'],
        [25, 'dict'],
      ]);
      const grand: PoolEntry[] = [];
      if (kind === 'dict') {
        for (const g of p.subset(['a', 'b', 'c', 'x', 'y'], 1, 3)) {
          grand.push(
            mk(
              [t, c, g],
              p.weighted<Kind>([
                [80, 'scalar'],
                [20, 'list'],
              ]),
              [],
            ),
          );
        }
      }
      children.push(mk([t, c], kind, grand));
    }
    top.push(mk([t], 'dict', children));
  }
  const number = (e: PoolEntry): void => {
    for (const c of e.children) number(c);
    e.idx = counter++;
    all.push(e);
  };
  for (const t of top) number(t);
  const pointers: Pool['pointers'] = [];
  const dicts = all.filter((e) => e.kind === 'dict' && e.path[0] !== '_param' && e.children.length > 0);
  if (dicts.length > 0 && p.chance(0.4)) {
    const d = p.one(dicts);
    const child = p.one(d.children).path.at(-1)!;
    const param = `key_${d.path.join('_').replace(/[^a-z_]/g, '')}`;
    pointers.push({ dict: d, param, child });
  }
  return { top, all, params, pointers };
}

// ---------------------------------------------------------------------------------------
// Inventory-wide choices

interface Ctx {
  p: Pick;
  pool: Pool;
  features: Set<string>;
  exports: boolean;
  queries: boolean;
  envs: string[];
  /** The deliberate errors this inventory may contain (most inventories: none). */
  inject: Set<Injection>;
  /** Pool paths the common class defines: safe reference targets. */
  defined: Set<PoolEntry>;
  /** Keys under `shadow:` that the common class sets to a missing reference and others overwrite. */
  shadowed: string[];
  /** Whether an entity already holds the `loop` cycle through an ancestor (see genParameters). */
  ancestorLoop: boolean;
}

type Injection =
  | 'missing-ref'
  | 'any-order-ref'
  | 'type-mismatch'
  | 'null'
  | 'constant'
  | 'malformed'
  | 'missing-class'
  | 'class-cycle'
  | 'duplicate-node'
  | 'missing-node'
  | 'cycle'
  | 'bad-references'
  | 'invquery-failure'
  | 'overwritten-missing-ref'
  | 'invalid-classname';

const INJECTIONS: ReadonlyArray<readonly [number, Injection]> = [
  [5, 'missing-ref'],
  [4, 'any-order-ref'],
  [5, 'type-mismatch'],
  [4, 'null'],
  [4, 'constant'],
  [1, 'malformed'],
  [4, 'missing-class'],
  [1, 'class-cycle'],
  [1, 'duplicate-node'],
  [1, 'missing-node'],
  [3, 'cycle'],
  [2, 'bad-references'],
  [3, 'invquery-failure'],
  [3, 'overwritten-missing-ref'],
  [1, 'invalid-classname'],
];

const on = (c: Ctx, i: Injection): boolean => c.inject.has(i);

function ref(path: readonly string[]): string {
  return `\${${path.join(':')}}`;
}

function quoteIfNeeded(p: Pick, s: string): string {
  // Plain, single-quoted or double-quoted spelling of a string containing references.
  if (/^[\s'"!&*%@`|>#?\-,[\]{}]/.test(s) || /: |\s#|\s$|:$/.test(s)) return `'${s.replaceAll("'", "''")}'`;
  return p.weighted([
    [6, s],
    [3, `'${s.replaceAll("'", "''")}'`],
    [1, JSON.stringify(s)],
  ] as const);
}

/** A reference target path for a value at pool index `idx` (Infinity: outside the pool). */
function refTarget(c: Ctx, idx: number, want: 'scalar' | 'any'): string[] {
  const { p, pool, features } = c;
  const r = p.weighted([
    [55, 'param'],
    [25, 'pool'],
    [8, 'reclass'],
    [on(c, 'missing-ref') ? 6 : 0, 'missing'],
    [on(c, 'any-order-ref') ? 6 : 0, 'anywhere'],
  ] as const);
  const lower = [...c.defined].filter(
    (e) => e.idx < idx && e.path[0] !== '_param' && (want === 'any' || e.kind === 'scalar'),
  );
  const params = pool.params.filter((e) => e.idx < idx);
  if (r === 'param' && params.length > 0) return p.one(params).path;
  if ((r === 'pool' || r === 'param') && lower.length > 0) {
    features.add(want === 'any' ? 'ref-to-any-kind' : 'ref-to-pool');
    return p.one(lower).path;
  }
  if (r === 'missing') {
    features.add('ref-missing');
    return p.one([
      ['_param', 'nope'],
      ['svc', 'missing', 'key'],
      [pool.top[1]?.path[0] ?? 'x', 'absent'],
    ]);
  }
  if (r === 'anywhere') {
    features.add('ref-any-order');
    return p.one(pool.all).path;
  }
  features.add('ref-_reclass_');
  return p.one([
    ['_reclass_', 'name', 'short'],
    ['_reclass_', 'name', 'full'],
    ['_reclass_', 'environment'],
  ]);
}

function literal(c: Ctx): YNode {
  const { p } = c;
  if (p.chance(0.02)) {
    c.features.add('block-scalar');
    return {
      t: 'block',
      indicator: p.one(['|', '|-', '>'] as const),
      lines: p.subset(['line one', 'line two', 'x: y', ''], 1, 3),
    };
  }
  if (p.chance(0.002)) {
    // reclass's JSON output refuses a date / datetime value (a crash), unless overwritten.
    c.features.add('timestamp-value');
    return sc(p.one(TIMESTAMPS));
  }
  return sc(p.weighted(LITERAL_SCALARS));
}

/** A string value containing references: whole, embedded, nested, escaped. */
function referenceScalar(c: Ctx, idx: number): YNode {
  const { p, features, pool } = c;
  const form = p.weighted([
    [40, 'whole'],
    [25, 'embedded'],
    [8, 'two'],
    [pool.pointers.length > 0 ? 8 : 0, 'nested'],
    [5, 'escaped'],
    [4, 'double-escaped'],
    [4, 'embedded-container'],
    [2, 'weird'],
    [on(c, 'malformed') ? 3 : 0, 'malformed'],
    [on(c, 'bad-references') ? 15 : 0, 'bad-nested'],
  ] as const);
  switch (form) {
    case 'whole':
      features.add('ref-whole');
      return sc(quoteIfNeeded(p, ref(refTarget(c, idx, 'scalar'))));
    case 'embedded': {
      features.add('ref-embedded');
      const [pre, post] = p.one([
        ['pre-', ''],
        ['', '-post'],
        ['http://', ':8080/'],
        ['a ', ' b'],
        ['', '.example.com'],
      ]);
      return sc(quoteIfNeeded(p, `${pre}${ref(refTarget(c, idx, 'scalar'))}${post}`));
    }
    case 'two':
      features.add('ref-two-in-string');
      return sc(
        quoteIfNeeded(
          p,
          `${ref(refTarget(c, idx, 'scalar'))}${p.one(['', ':', '/', ' '])}${ref(refTarget(c, idx, 'scalar'))}`,
        ),
      );
    case 'nested': {
      const ptr = p.one(pool.pointers);
      if (ptr.dict.idx >= idx) return sc(quoteIfNeeded(p, ref(refTarget(c, idx, 'scalar'))));
      features.add('ref-nested');
      return sc(quoteIfNeeded(p, `${p.one(['', 'v='])}\${${ptr.dict.path.join(':')}:\${_param:${ptr.param}}}`));
    }
    case 'escaped':
      features.add('ref-escaped');
      return sc(
        quoteIfNeeded(
          p,
          p.one([
            `\\${ref(refTarget(c, idx, 'scalar'))}`,
            `x \\${ref(['a'])} ${ref(refTarget(c, idx, 'scalar'))}`,
            '\\${not:a:ref}',
          ]),
        ),
      );
    case 'double-escaped':
      features.add('ref-double-escaped');
      return sc(
        quoteIfNeeded(
          p,
          p.one([
            `\\\\${ref(refTarget(c, idx, 'scalar'))}`,
            `C:\\\\${ref(refTarget(c, idx, 'scalar'))}`,
            `a\\b ${ref(refTarget(c, idx, 'scalar'))}`,
          ]),
        ),
      );
    case 'embedded-container':
      features.add('ref-container-in-string');
      return sc(quoteIfNeeded(p, `v=${ref(refTarget(c, idx, 'any'))}`));
    case 'weird': {
      // Backslashes and sentinels next to each other: the corners of reclass's grammar.
      features.add('ref-weird-escapes');
      const r = ref(refTarget(c, idx, 'scalar'));
      return sc(
        quoteIfNeeded(
          p,
          p.one([
            r + '\\',
            r + '\\}',
            '\\}' + r,
            '$' + r,
            r + '}',
            '{' + r + '}',
            'x\\\\' + r,
            '\\\\\\' + r,
            r + '\\\\',
            'a $[ b',
            '\\$[ x ]',
            r + '$',
          ]),
        ),
      );
    }
    case 'bad-nested': {
      // A nested reference whose inner reference is missing: BadReferencesError.
      features.add('ref-bad-references');
      const outer = p.one([...pool.top.filter((t) => t.path[0] !== '_param').map((t) => t.path[0]), 'nope']);
      return sc(quoteIfNeeded(p, `${p.one(['', 'v='])}\${${outer}:\${_param:${p.one(['absent', 'nope:x'])}}}`));
    }
    case 'malformed':
      features.add('ref-malformed');
      return sc(quoteIfNeeded(p, p.one(['${_param:ip', 'x ${} y', '${a:${b}', '$[ exports:'])));
  }
}

function query(c: Ctx): YNode {
  const { p, features } = c;
  const q = p.weighted([
    [5, 'exports:ip'],
    [3, 'exports:role'],
    [4, 'exports:ip if exports:role == web'],
    [4, 'if exports:role == web'],
    [2, 'if exports:role == web or exports:role == db'],
    [2, 'exports:name if exports:role == db and exports:port != 443'],
    [2, 'exports:name if exports:role == self:_param:role'],
    [3, '+AllEnvs exports:ip'],
    [2, '+AllEnvs if exports:role == db'],
    [2, '+IgnoreErrors exports:ip'],
    [2, 'exports:info:a'],
    [2, 'exports:info'],
    [1, 'exports:missing'],
    [1, 'if exports:port == 80'],
    [1, 'exports:tags'],
  ] as const);
  features.add(
    `query:${q.split(' ')[0].startsWith('+') ? q.split(' ')[0] : q.includes(' if ') ? 'value-if' : q.startsWith('if') ? 'list-if' : 'value'}`,
  );
  const text = p.one([`$[ ${q} ]`, `$[${q}]`]);
  return sc(p.chance(0.5) ? `'${text}'` : text);
}

/** A value for a pool entry of the given kind, defined in some entity. */
function valueFor(c: Ctx, e: PoolEntry, depth = 0): YNode {
  const { p, features } = c;
  let kind: Kind = e.kind;
  if (on(c, 'type-mismatch') && p.chance(0.12)) {
    kind = p.one((['scalar', 'list', 'dict'] as const).filter((k) => k !== e.kind));
    features.add('type-mismatch');
  }
  if (on(c, 'null') && p.chance(0.06)) {
    features.add('null-value');
    return sc(p.one(['null', '~', '']));
  }
  if (kind === 'scalar') {
    const r = p.weighted([
      [550, 'literal'],
      [400, 'ref'],
      [c.queries ? 3 : 0, 'query'],
    ] as const);
    if (r === 'literal') return literal(c);
    if (r === 'query') return query(c);
    return referenceScalar(c, e.idx);
  }
  if (kind === 'list') {
    if (p.chance(0.1)) {
      const lists = [...c.defined].filter((x) => x.kind === 'list' && x.idx < e.idx);
      if (lists.length > 0) {
        features.add('ref-to-list');
        return sc(ref(p.one(lists).path));
      }
    }
    if (c.queries && p.chance(0.05)) return query(c);
    const items: YNode[] = [];
    const n = p.weighted([
      [1, 0],
      [8, 1],
      [6, 2],
      [3, 3],
    ] as const);
    for (let i = 0; i < n; i++) {
      const r = p.weighted([
        [60, 'lit'],
        [25, 'ref'],
        [5, 'ref-any'],
        [depth < 2 ? 10 : 0, 'map'],
        [depth < 2 ? 5 : 0, 'list'],
      ] as const);
      if (r === 'lit') items.push(literal(c));
      else if (r === 'ref') items.push(referenceScalar(c, e.idx));
      else if (r === 'ref-any') {
        features.add('ref-container-in-list');
        items.push(sc(ref(refTarget(c, e.idx, 'any'))));
      } else if (r === 'map') {
        features.add('list-of-dicts');
        const extra: Array<[string, YNode]> = p.chance(0.5) ? [['value', referenceScalar(c, e.idx)]] : [];
        if (p.chance(0.15)) {
          // Keys inside list items are never passed through str() by reclass.
          features.add('special-key-in-list');
          extra.push([p.one(KEY_SPECIALS), literal(c)]);
        }
        if (p.chance(0.12)) {
          // Two or more non-string keys holding references, in a dict inside a list.
          features.add('nonstring-keys-in-list');
          for (const k of p.subset(NONSTRING_KEYS, 2, 3)) {
            extra.push([k, p.chance(0.75) ? referenceScalar(c, e.idx) : literal(c)]);
          }
        }
        if (p.chance(0.01)) {
          // Not str()'d in a list: reclass's JSON output refuses the datetime key.
          features.add('timestamp-key-in-list');
          extra.push([p.one(TIMESTAMPS), literal(c)]);
        }
        items.push(map([['name', literal(c)], ...extra]));
      } else {
        features.add('nested-list');
        items.push(list([literal(c), literal(c)]));
      }
    }
    return list(items);
  }
  // dict
  if (p.chance(0.08)) {
    const dicts = [...c.defined].filter((x) => x.kind === 'dict' && x.idx < e.idx && x.path[0] !== '_param');
    if (dicts.length > 0) {
      features.add('ref-to-dict');
      return sc(ref(p.one(dicts).path));
    }
  }
  const entries: Array<[string, YNode]> = [];
  const children = e.children.length > 0 ? p.subset(e.children, 1, e.children.length) : [];
  for (const ch of children) entries.push([keyWithPrefix(c, ch.path.at(-1)!), valueFor(c, ch, depth + 1)]);
  if (children.length === 0 || p.chance(0.15)) {
    const k = p.chance(0.3) ? p.one(KEY_SPECIALS) : p.one(['k1', 'k2', 'extra']);
    if (KEY_SPECIALS.includes(k)) features.add('special-key');
    entries.push([k, literal(c)]);
  }
  if (p.chance(0.06)) {
    // Dict keys are str()'d by reclass: a timestamp key takes Python's spelling.
    features.add('timestamp-key');
    for (const k of p.subset(TIMESTAMPS, 1, 2))
      entries.push([k, p.chance(0.5) ? referenceScalar(c, e.idx) : literal(c)]);
  }
  if (p.chance(0.08)) {
    features.add('nonstring-keys');
    for (const k of p.subset(NONSTRING_KEYS, 1, 3)) {
      entries.push([k, p.chance(0.7) ? referenceScalar(c, e.idx) : literal(c)]);
    }
  }
  if (entries.length > 0 && p.chance(0.02)) {
    features.add('duplicate-key');
    entries.push([entries[0][0], literal(c)]);
  }
  if (p.chance(0.02)) {
    // Keys equal in Python (True == 1 == 1.0, False == 0): PyYAML keeps one entry.
    features.add('python-equal-keys');
    const [a, b] = p.one([
      ['yes', '1'],
      ['on', '1.0'],
      ['false', '0'],
      ['1', 'true'],
      ['0', 'off'],
    ] as const);
    entries.push([a, literal(c)], [b, literal(c)]);
  }
  return map(entries);
}

function keyWithPrefix(c: Ctx, key: string, intermediate = false): string {
  const { p, features } = c;
  const r = intermediate
    ? p.weighted([
        [97, ''],
        [3, '~'],
      ] as const)
    : p.weighted([
        [88, ''],
        [8, '~'],
        [on(c, 'constant') ? 6 : 0, '='],
      ] as const);
  if (r === '~') features.add('prefix-overwrite');
  if (r === '=') features.add('prefix-constant');
  return r + key;
}

/** The `parameters:` of an entity: a few pool paths, nested as reclass expects. */
function genParameters(c: Ctx, opts: { common?: boolean; node?: boolean; count: number }): YNode {
  const { p, pool } = c;
  const chosen = new Set<PoolEntry>();
  const candidates = pool.all.filter((e) => e.path.length >= 2 && !(e.path.length === 3 && p.chance(0.5)));
  if (opts.common) {
    // The common class defines every _param and some defaults: the safe reference targets.
    for (const e of pool.params) chosen.add(e);
    for (const e of p.subset(
      candidates.filter((x) => x.path[0] !== '_param'),
      0,
      opts.count,
    ))
      chosen.add(e);
    for (const e of chosen) {
      c.defined.add(e);
      for (const ch of e.children) c.defined.add(ch);
    }
  } else {
    for (const e of p.subset(candidates, Math.min(1, opts.count), opts.count)) chosen.add(e);
  }
  // Tree of keys.
  interface T {
    children: Map<string, T>;
    value?: YNode;
    entry?: PoolEntry;
  }
  const root: T = { children: new Map() };
  for (const e of [...chosen].sort((a, b) => a.idx - b.idx)) {
    let t = root;
    for (const seg of e.path) {
      let next = t.children.get(seg);
      if (!next) {
        next = { children: new Map() };
        t.children.set(seg, next);
      }
      t = next;
    }
    if (t.children.size === 0) t.entry = e;
  }
  const emit = (t: T, depth: number): Array<[string, YNode]> => {
    const out: Array<[string, YNode]> = [];
    for (const [k, child] of t.children) {
      if (child.children.size > 0) {
        out.push([keyWithPrefix(c, k, true), map(emit(child, depth + 1))]);
      } else {
        out.push([keyWithPrefix(c, k), valueFor(c, child.entry!)]);
      }
    }
    return out;
  };
  const entries = emit(root, 0);
  if (opts.common) {
    // Pointer params name a child of a dict, for nested references.
    const param = entries.find(([k]) => k === '_param');
    if (param && param[1].t === 'map') {
      for (const ptr of pool.pointers) param[1].entries.push([ptr.param, sc(ptr.child)]);
    }
  }
  if (c.shadowed.length > 0 && (opts.common || p.chance(opts.node ? 0.8 : 0.25))) {
    // The common class (merged first) refers to a missing key; whoever merges later and
    // overwrites it makes reclass warn instead of fail (ignore_overwritten_missing_references).
    if (!opts.common) c.features.add('warn-overwritten-missing-ref');
    // Overwritten by a dict or a list, the ignored reference still fails (reclass's rule).
    const body = (k: string): YNode =>
      opts.common
        ? sc(quoteIfNeeded(p, p.one(['${_param:absent}', `${k}-\${_param:absent}`])))
        : p.weighted([
            [8, () => literal(c)],
            [1, () => map([['k', literal(c)]])],
            [1, () => list([literal(c)])],
          ] as const)();
    entries.push(['shadow', map(c.shadowed.map((k) => [k, body(k)] as [string, YNode]))]);
  }
  if (c.queries && p.chance(0.35)) {
    c.features.add('inventory-query');
    // Two entities querying under the same key make reclass fail (inv_query over inv_query):
    // keys are mostly unique per entity.
    const sfx = p.chance(0.9) ? `_${p.int(0, 99999)}` : '';
    entries.push([
      'query',
      map(p.subset(['hosts', 'roles', 'all'], 1, 2).map((k) => [k + sfx, query(c)] as [string, YNode])),
    ]);
  }
  if (on(c, 'cycle') && p.chance(0.3)) {
    c.features.add('ref-cycle');
    const forms = [
      map([
        ['a', sc('${loop:b}')],
        ['b', sc('${loop:a}')],
      ]),
      map([['a', sc("'x${loop:a}'")]]),
      map([
        ['a', sc('${loop:b:c}')],
        ['b', map([['c', sc('${loop:a}')]])],
      ]),
    ];
    // A reference to its own ancestor, written in two entities, sends reclass 1.7 into a
    // search that does not end in minutes: one entity at most.
    const ancestor = c.ancestorLoop ? [] : [map([['a', map([['b', sc('${loop:a}')]])]])];
    const form = p.one([...forms, ...ancestor]);
    if (ancestor.includes(form)) c.ancestorLoop = true;
    entries.push(['loop', form]);
  }
  return map(entries);
}

function genExports(c: Ctx): YNode {
  const { p } = c;
  c.features.add('exports');
  const entries: Array<[string, YNode]> = [];
  for (const k of p.subset(['role', 'ip', 'name', 'info', 'tags', 'port'], 1, 4)) {
    switch (k) {
      case 'role':
        entries.push([k, sc(p.one(['web', 'db', 'ctl']))]);
        break;
      case 'ip':
        entries.push([k, p.chance(0.7) ? sc(ref(c.pool.params[0].path)) : sc(p.one(['10.0.0.1', '10.0.0.2']))]);
        break;
      case 'name':
        entries.push([k, sc(ref(['_reclass_', 'name', 'short']))]);
        break;
      case 'info':
        entries.push([
          k,
          map([
            ['a', literal(c)],
            ['b', sc(ref(p.one(c.pool.params).path))],
          ]),
        ]);
        break;
      case 'tags':
        entries.push([k, list([sc(p.one(['x', 'y', 'z']))])]);
        break;
      case 'port':
        entries.push([k, sc(p.one(['80', '443', "'80'"]))]);
        break;
    }
  }
  return map(entries);
}

function genApplications(c: Ctx): YNode {
  const { p } = c;
  c.features.add('applications');
  return list(
    p.subset(['ntp', 'ssh', 'nginx', 'mysql', 'salt'], 1, 3).map((a) => {
      if (p.chance(0.25)) {
        c.features.add('application-removal');
        return sc(`~${a}`);
      }
      return sc(a);
    }),
  );
}

// ---------------------------------------------------------------------------------------
// Classes and nodes

interface ClassDef {
  name: string;
  path: string;
}

/** `target` spelled relative to the class or node `from` (reclass's set_absolute_names), or null. */
function relativeName(from: string, target: string, dots: number): string | null {
  const parent = from
    .split('.')
    .slice(0, from.split('.').length - dots)
    .join('.');
  if (dots > from.split('.').length) return null;
  if (parent === '') return '.'.repeat(dots) + target;
  if (!target.startsWith(`${parent}.`)) return null;
  return '.'.repeat(dots) + target.slice(parent.length + 1);
}

function classRefName(c: Ctx, from: string, target: string): string {
  const { p } = c;
  if (p.chance(0.25)) {
    const dots = p.one([1, 1, 2, 3]);
    const rel = relativeName(from, target, dots);
    if (rel !== null) {
      c.features.add(dots === 1 ? 'class-relative-.' : 'class-relative-..');
      return rel;
    }
  }
  return target;
}

function generate(p: Pick): GenInventory {
  const features = new Set<string>();
  const inject = new Set<Injection>();
  if (p.chance(0.45)) {
    const n = p.weighted([
      [3, 1],
      [1, 2],
    ] as const);
    for (let i = 0; i < n; i++) inject.add(p.weighted(INJECTIONS));
  }
  for (const i of inject) features.add(`inject:${i}`);
  // A failure inside an inventory query needs queries.
  const exportsOn = p.chance(0.35) || inject.has('invquery-failure');
  const c: Ctx = {
    p,
    pool: buildPool(p),
    features,
    exports: exportsOn,
    queries: exportsOn && (p.chance(0.6) || inject.has('invquery-failure')),
    envs: p.chance(0.3) ? p.subset(['prod', 'dev', 'base'], 1, 2) : [],
    inject,
    defined: new Set(),
    shadowed: inject.has('overwritten-missing-ref') ? p.subset(['a', 'b', 'c'], 1, 2) : [],
    ancestorLoop: false,
  };

  // --- reclass-config.yml
  const cfg: Array<[string, YNode]> = [];
  // Options are likelier where the inventory has the errors they are about.
  const related = (...i: Injection[]): boolean => i.some((x) => inject.has(x));
  const hasConfig = p.chance(
    related('type-mismatch', 'null', 'constant', 'missing-ref', 'missing-class') ? 0.75 : 0.45,
  );
  let compose = false;
  let nodesDir = 'nodes';
  let classesDir = 'classes';
  let ignoreCnf = false;
  let warnCnf = false;
  let mappingRegexp = false;
  let mappingAll: string | null = null;
  if (hasConfig) {
    features.add('config');
    const flag = (name: string, prob: number, value = 'True'): void => {
      if (p.chance(prob)) {
        cfg.push([name, sc(p.chance(0.7) ? value : value.toLowerCase())]);
        features.add(`config:${name}`);
      }
    };
    if (p.chance(related('missing-class') ? 0.6 : 0.25)) {
      ignoreCnf = true;
      features.add('config:ignore_class_notfound');
      cfg.push(['ignore_class_notfound', sc('True')]);
      if (p.chance(0.5)) {
        features.add('config:ignore_class_notfound_regexp');
        cfg.push([
          'ignore_class_notfound_regexp',
          p.chance(0.5) ? list([sc("'opt\\..*'"), sc("'.*\\.missing$'")]) : sc("'service\\..*'"),
        ]);
      }
      if (p.chance(0.3)) cfg.push(['ignore_class_notfound_warning', sc('False')]);
      else warnCnf = true;
    }
    const typeErr = related('type-mismatch', 'null');
    flag('allow_scalar_over_dict', typeErr ? 0.4 : 0.15);
    flag('allow_scalar_over_list', typeErr ? 0.4 : 0.15);
    flag('allow_list_over_scalar', typeErr ? 0.4 : 0.15);
    flag('allow_dict_over_scalar', typeErr ? 0.4 : 0.15);
    flag('allow_none_override', typeErr ? 0.5 : 0.2);
    flag('strict_constant_parameters', related('constant') ? 0.5 : 0.2, 'False');
    flag(
      'ignore_overwritten_missing_references',
      related('missing-ref', 'overwritten-missing-ref') ? 0.4 : 0.15,
      'False',
    );
    flag('inventory_ignore_failed_render', 0.05);
    if (p.chance(0.05)) {
      features.add('config:default_environment');
      cfg.push(['default_environment', sc('prod')]);
    }
    if (p.chance(0.03)) {
      features.add('config:automatic_parameters');
      cfg.push(['automatic_parameters', sc('False')]);
    }
    if (p.chance(0.15)) {
      compose = true;
      features.add('config:compose_node_name');
      cfg.push(['compose_node_name', sc('True')]);
    }
    if (p.chance(0.08)) {
      features.add('config:nodes_uri');
      nodesDir = 'inv_nodes';
      classesDir = 'model/classes';
      cfg.push(['nodes_uri', sc(nodesDir)], ['classes_uri', sc(classesDir)]);
    }
    if (p.chance(0.25)) {
      mappingRegexp = p.chance(0.5);
      mappingAll = 'placeholder';
    }
  }

  // --- node names
  const bases = ['web', 'db', 'ctl', 'cmp'];
  const nodeCount = p.weighted([
    [2, 1],
    [4, 2],
    [3, 3],
    [1, 4],
  ] as const);
  const nodes: Array<GenNode & { short: string; rel: string }> = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < nodeCount; i++) {
    const base = p.one(bases);
    let file = `${base}0${i + 1}`;
    if (p.chance(0.25)) {
      features.add('node-dotted-name');
      file += p.one(['.example.com', '.lab']);
    }
    // A duplicate node name, in two subdirectories (the first node's and `other/`).
    const dupInSubdirs = i === 0 && on(c, 'duplicate-node') && p.chance(0.5);
    const dir = dupInSubdirs || p.chance(0.2) ? p.one(['dc1', 'dc2', '_tmpl']) : '';
    if (dir) features.add('node-subdir');
    const name = compose && dir && !dir.startsWith('_') ? `${dir}.${file}` : file;
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    nodes.push({ name, file: `${dir ? `${dir}/` : ''}${file}`, short: name.split('.')[0], rel: file });
  }

  // --- class names
  const roots = ['common', 'system', 'service', 'cluster', 'role'];
  const segs = ['web', 'db', 'base', 'net', 'ntp', 'server', 'client', 'ha'];
  const names: string[] = [];
  const nClasses = p.int(2, 9);
  for (let i = 0; i < nClasses * 2 && names.length < nClasses; i++) {
    const depth = p.weighted([
      [2, 1],
      [5, 2],
      [3, 3],
    ] as const);
    const parts = [p.one(roots)];
    for (let d = 1; d < depth; d++) parts.push(p.one(segs));
    const n = parts.join('.');
    if (!names.includes(n)) names.push(n);
  }
  // Regexp class mappings need role.<base> classes for the node name prefixes.
  if (mappingRegexp) {
    for (const n of nodes) {
      const b = n.name.replace(/^.*?\b(web|db|ctl|cmp)\d.*$/, '$1');
      if (!names.includes(`role.${b}`) && p.chance(0.8)) names.push(`role.${b}`);
    }
  }
  const envClass = c.envs.length > 0 && p.chance(0.4);
  const envClassNames = envClass ? [...new Set(['base', ...c.envs])].map((e) => `envs.${e}`) : [];
  // The common base class (all _param values) is the last: every class may include it.
  const commonName = p.one(['common', 'base', 'system.common']);
  if (names.includes(commonName)) names.splice(names.indexOf(commonName), 1);
  const order = [...names, ...envClassNames, commonName];

  const classes: ClassDef[] = [];
  for (const n of order) {
    const parts = n.split('.');
    const ext = p.chance(0.15) ? '.yaml' : '.yml';
    const layout = p.weighted([
      [70, 'file'],
      [20, 'init'],
      [parts.length >= 2 ? 10 : 0, 'dotted'],
    ] as const);
    let path: string;
    if (layout === 'init') {
      path = `${parts.join('/')}/init${ext}`;
      features.add('class-init.yml');
    } else if (layout === 'dotted') {
      path = `${n}${ext}`;
      features.add('class-dotted-file');
    } else path = `${parts.join('/')}${ext}`;
    if (ext === '.yaml') features.add('class-.yaml');
    classes.push({ name: n, path: `${classesDir}/${path}` });
  }

  const missing = (): string => {
    features.add('class-missing');
    return p.one(['service.missing', 'opt.thing', 'nothere', 'role.optional.missing']);
  };

  const files: GenFile[] = [];
  // class bodies
  // Bodies from the last class (the common one: it fills `defined`) to the first.
  [...classes.entries()].reverse().forEach(([i, cl]) => {
    const entries: Array<[string, YNode]> = [];
    const isCommon = cl.name === commonName;
    if (!isCommon && p.chance(0.03)) {
      features.add('class-empty-file');
      files.push({ path: cl.path, doc: null });
      return;
    }
    // includes: classes after this one (a DAG), rarely a back edge (cycle)
    const later = classes.slice(i + 1).filter((x) => !envClassNames.includes(x.name) || envClass);
    const includes: string[] = [];
    if (later.length > 0 && !isCommon) {
      for (const t of p.subset(later, 0, 3)) includes.push(classRefName(c, cl.name, t.name));
    }
    if (envClass && i === 0) {
      features.add('class-name-reference');
      includes.push('envs.${_reclass_:environment}');
    }
    if (on(c, 'missing-class') && p.chance(0.15)) includes.push(missing());
    if (warnCnf && p.chance(0.15)) {
      // Skipped with a warning, once per node that includes this class.
      features.add('warn-class-notfound-in-class');
      includes.push(missing());
    }
    if (i > 0 && on(c, 'class-cycle') && p.chance(0.3)) {
      features.add('class-cycle');
      includes.push(p.one(classes.slice(0, i)).name);
    }
    if (includes.length > 0) entries.push(['classes', list(includes.map((x) => sc(x.includes('$') ? `'${x}'` : x)))]);
    else if (p.chance(0.05)) {
      features.add('classes-empty');
      entries.push(['classes', sc('')]);
    }
    if (p.chance(0.2)) entries.push(['applications', genApplications(c)]);
    if (c.exports && p.chance(0.4)) entries.push(['exports', genExports(c)]);
    if (p.chance(0.05)) entries.push(['environment', sc(p.one(['prod', 'dev']))]);
    const params = genParameters(c, { common: isCommon, count: isCommon ? p.int(0, 4) : p.int(0, 5) });
    if (params.t === 'map' && params.entries.length > 0) entries.push(['parameters', params]);
    else if (p.chance(0.3)) entries.push(['parameters', sc('')]);
    files.push({ path: cl.path, doc: map(entries) });
  });

  // class mappings
  if (mappingAll !== null) {
    features.add('config:class_mappings');
    const maps: string[] = [];
    if (p.chance(0.6)) maps.push(`'*  ${p.one(classes).name}'`);
    if (p.chance(0.5)) maps.push(`'${p.one(bases)}*  ${p.one(classes).name}'`);
    if (mappingRegexp) {
      features.add('class-mapping-regexp');
      // Unquoted, shlex (POSIX mode) turns `role.\1` into `role.1`; quoted, it stays a back-reference.
      maps.push(
        p.chance(0.7)
          ? `'/^(?:.*\\.)?(web|db|ctl|cmp)\\d+/  "role.\\1"'`
          : `'/^(?:.*\\.)?(web|db|ctl|cmp)\\d+/  role.\\1'`,
      );
    }
    if (maps.length === 0) maps.push(`'*  ${commonName}'`);
    cfg.push(['class_mappings', list(maps.map(sc))]);
    if (p.chance(0.1)) {
      features.add('config:class_mappings_match_path');
      cfg.push(['class_mappings_match_path', sc('True')]);
    }
  }
  // (An empty reclass-config.yml crashes reclass 1.7 with a TypeError: not generated.)
  if (cfg.length > 0) files.push({ path: 'reclass-config.yml', doc: cfg.length > 0 ? map(cfg) : null });

  // Failures inside inventory queries: a victim node fails to resolve while the first node
  // queries every node's exports (InvQueryClassNotFound, InvQueryClassNameResolveError,
  // InvQueryError).
  const allEnvs = c.envs.length > 0 ? '+AllEnvs ' : '';
  const victim =
    on(c, 'invquery-failure') && nodes.length >= 2
      ? p.one(['class-notfound', 'classname-resolve', 'export-error'] as const)
      : null;
  if (victim === 'class-notfound' && !ignoreCnf) features.add('invquery-class-notfound');
  if (victim === 'classname-resolve') features.add('invquery-classname-resolve');
  if (victim === 'export-error') features.add('invquery-error');
  // A timestamp the last node exports inside a string: str()'d by reclass when the first node
  // queries it (the last node's own output holds the datetime, which reclass cannot print).
  const dated = c.queries && nodes.length >= 2 && p.chance(0.12) ? p.one(TIMESTAMPS.slice(0, -1)) : null;
  if (dated !== null) features.add('timestamp-export-in-string');
  const extra = (i: number): { params: Array<[string, YNode]>; exports: Array<[string, YNode]>; classes: string[] } => {
    const last = i === nodes.length - 1;
    const out = {
      params: [] as Array<[string, YNode]>,
      exports: [] as Array<[string, YNode]>,
      classes: [] as string[],
    };
    if (i === 0 && victim !== null) out.params.push(['probe', sc(`'$[ ${allEnvs}exports:ip ]'`)]);
    if (last && victim === 'class-notfound') out.classes.push('vanished.cls');
    if (last && victim === 'classname-resolve') out.classes.push("'cls.${_param:absent}'");
    if (last && victim === 'export-error') out.exports.push(['ip', sc('${_param:absent}')]);
    if (i === 0 && dated !== null) out.params.push(['stamps', sc(`'$[ ${allEnvs}exports:stamp ]'`)]);
    if (last && dated !== null) {
      out.params.push(['stamp', sc(dated)]);
      out.exports.push(['stamp', sc(p.one(["'t=${stamp}'", '"${stamp}/x"', "'${stamp} ${stamp}'"]))]);
    }
    return out;
  };

  // node bodies
  const genNodes: GenNode[] = [];
  for (const [i, n] of nodes.entries()) {
    const more = extra(i);
    const entries: Array<[string, YNode]> = [];
    if (p.chance(0.02)) {
      features.add('node-empty-file');
      const path = `${nodesDir}/${n.file}.yml`;
      files.push({ path, doc: null });
      genNodes.push({ name: n.name, file: path });
      continue;
    }
    const incl: string[] = [];
    if (p.chance(0.95)) incl.push(commonName);
    for (const t of p.subset(
      classes.filter((x) => x.name !== commonName && !envClassNames.includes(x.name)),
      1,
      3,
    )) {
      incl.push(classRefName(c, n.name, t.name));
    }
    if (p.chance(0.1)) incl.reverse();
    if (on(c, 'missing-class') && p.chance(0.3)) incl.push(missing());
    if (ignoreCnf && p.chance(0.3)) {
      if (warnCnf) features.add('warn-class-notfound');
      incl.push(missing());
    }
    if (on(c, 'invalid-classname') && p.chance(0.5)) {
      // A space or a path separator: InvalidClassnameError, before any class is looked up.
      features.add('class-invalid-name');
      incl.push(p.one(["'role web'", 'role/web', "'x y.z'"]));
    }
    if (p.chance(0.03)) {
      features.add('class-listed-twice');
      incl.push(incl[0]);
    }
    incl.push(...more.classes);
    entries.push(['classes', list(incl.map(sc))]);
    if (c.envs.length > 0 && p.chance(0.7)) {
      features.add('environment');
      entries.push(['environment', sc(p.one(c.envs))]);
    }
    if (p.chance(0.25)) entries.push(['applications', genApplications(c)]);
    const exported = c.exports && p.chance(0.4) ? genExports(c) : map([]);
    if (exported.t === 'map') exported.entries.push(...more.exports);
    if (exported.t === 'map' && exported.entries.length > 0) entries.push(['exports', exported]);
    const params = genParameters(c, { node: true, count: p.int(0, 3) });
    if (params.t === 'map') params.entries.push(...more.params);
    if (params.t === 'map' && params.entries.length > 0) entries.push(['parameters', params]);
    const ext = p.chance(0.1) ? '.yaml' : '.yml';
    const path = `${nodesDir}/${n.file}${ext}`;
    files.push({ path, doc: map(entries) });
    genNodes.push({ name: n.name, file: path });
  }
  if (on(c, 'duplicate-node')) {
    // Two files defining the same node: DuplicateNodeNameError.
    const n = nodes[0];
    features.add(n.file.includes('/') ? 'node-duplicate-subdirs' : 'node-duplicate');
    files.push({ path: `${nodesDir}/other/${n.rel}.yml`, doc: map([['classes', list([sc(commonName)])]]) });
  }
  const missingNodes = on(c, 'missing-node') ? ['nosuchnode'] : [];
  if (missingNodes.length > 0) features.add('node-missing');
  return { files, nodes: genNodes, missingNodes, features: [...features].sort() };
}

/** Random inventories; reproducible with `fc.sample(inventoryArb, { seed, numRuns })`. */
const inventoryArb: fc.Arbitrary<GenInventory> = fc.gen().map((g) => generate(new Pick(g)));

export function sampleInventories(seed: number, count: number): GenInventory[] {
  return fc.sample(inventoryArb, { seed, numRuns: count });
}
