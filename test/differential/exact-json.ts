/**
 * JSON parsing and comparison that keep what JSON.parse throws away: whether a number was
 * printed as an int (`1`) or as a float (`1.0`), the exact text of floats (`1e+16`,
 * `1.5e-07`, as Python prints them), ints beyond 2^53, and Python's `NaN` / `Infinity`
 * (json.dumps writes them). reclass 1.7 prints floats with Python's repr, so reclass-net
 * must too: `1.0` and `1` are different values in the YAML a Salt master reads.
 */

export class Num {
  constructor(
    readonly isFloat: boolean,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

export type JValue = null | boolean | string | Num | JValue[] | { [key: string]: JValue };

export function parseExactJson(text: string): JValue {
  let i = 0;
  const fail = (msg: string): never => {
    throw new SyntaxError(`${msg} at offset ${i}: ${JSON.stringify(text.slice(i, i + 30))}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): JValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: JValue } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected key');
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const arr: JValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected , or ]');
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    for (const word of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return new Num(true, word);
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    return new Num(m[2] !== undefined || m[3] !== undefined, m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

function typeName(v: JValue): string {
  if (v === null) return 'null';
  if (v instanceof Num) return v.isFloat ? 'float' : 'int';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'dict' : typeof v;
}

/**
 * A `node` or `inventory` JSON document without reclass's `__reclass__` metadata (timestamps
 * and paths, which differ between runs and between the two programs by design).
 */
export function withoutReclassMetadata(text: string): JValue {
  const v = parseExactJson(text) as { [k: string]: JValue };
  delete v.__reclass__;
  const nodes = v.nodes as { [k: string]: { [k: string]: JValue } } | undefined;
  if (nodes) for (const n of Object.values(nodes)) delete n.__reclass__;
  return v;
}
export function show(v: JValue | undefined, max = 160): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v, (_k, x: unknown) => (x instanceof Num ? `\u0000${x.text}\u0000` : x)).replace(
    /"\\u0000([^"\\]*)\\u0000"/g,
    '$1',
  );
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function numbersEqual(a: Num, b: Num): boolean {
  if (a.isFloat !== b.isFloat) return false;
  if (!a.isFloat) return BigInt(a.text) === BigInt(b.text);
  // Floats: the exact text, as Python's repr prints it (`1e+16`, `1.5e-07`, `-0.0`).
  return a.text === b.text;
}

/**
 * The first difference between `expected` (reclass) and `actual` (reclass-net), or null.
 * Dict key order is ignored, list order is significant, ints and floats differ, floats are
 * compared by their printed text.
 */
export function firstDifference(expected: JValue | undefined, actual: JValue | undefined, path = ''): string | null {
  const here = path === '' ? '(top)' : path;
  if (expected === undefined || actual === undefined) {
    if (expected === actual) return null;
    return `${here}: reclass ${show(expected)}, reclass-net ${show(actual)}`;
  }
  const te = typeName(expected);
  const ta = typeName(actual);
  if (te !== ta) return `${here}: reclass ${te} ${show(expected)}, reclass-net ${ta} ${show(actual)}`;
  if (expected instanceof Num && actual instanceof Num) {
    return numbersEqual(expected, actual) ? null : `${here}: reclass ${expected.text}, reclass-net ${actual.text}`;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let k = 0; k < n; k++) {
      const d = firstDifference(expected[k], actual[k], `${path}[${k}]`);
      if (d !== null) {
        return expected.length !== actual.length
          ? `${d} (list lengths: reclass ${expected.length}, reclass-net ${actual.length}; reclass ${show(expected)}, reclass-net ${show(actual)})`
          : d;
      }
    }
    return null;
  }
  if (te === 'dict') {
    const e = expected as { [key: string]: JValue };
    const a = actual as { [key: string]: JValue };
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
    for (const k of keys) {
      const d = firstDifference(
        Object.hasOwn(e, k) ? e[k] : undefined,
        Object.hasOwn(a, k) ? a[k] : undefined,
        path === '' ? k : `${path}:${k}`,
      );
      if (d !== null) return d;
    }
    return null;
  }
  if (expected === actual) return null;
  if (typeof expected === 'string' && typeof actual === 'string' && matchesAddressWildcards(expected, actual))
    return null;
  return `${here}: reclass ${show(expected)}, reclass-net ${show(actual)}`;
}

const PY_OBJECT = /<[\w.]+ object at 0x[0-9a-f]+>/g;

/**
 * reclass sometimes prints a Python object's default repr into a string (a ValueList embedded
 * in a string before it was rendered): `<reclass.values.valuelist.ValueList object at 0x7f..>`.
 * The address changes from run to run, so nothing can print it: that part matches anything.
 */
function matchesAddressWildcards(expected: string, actual: string): boolean {
  if (!expected.includes(' object at 0x')) return false;
  const parts = expected.split(PY_OBJECT).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*?')}$`, 's').test(actual);
}
