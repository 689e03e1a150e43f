/**
 * Python's view of data, where reclass's output depends on it: `str()` of values embedded
 * in strings, `repr()` inside containers, float formatting, and `==` in inventory queries.
 * reclass is a Python program; matching it means formatting numbers the way CPython does.
 */

/**
 * A float whose value is integral (`1.0`, `1.0e+3`). JavaScript cannot tell `1.0` from `1`,
 * Python can and prints them differently, so such floats are boxed while resolving and
 * unboxed for library users.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * A YAML mapping key that is not a string (`yes:`, `1:`, `~:`). PyYAML keeps such keys
 * typed and reclass turns them into text only where it merges dicts key by key, so in
 * dicts inside lists, or under `~`/`=` keys, `json.dumps` prints them its own way
 * (`true`, `null`) while merged dicts show `str()` (`True`, `None`).
 */
export class PyKey {
  constructor(readonly value: null | boolean | number | bigint | PyFloat) {}

  /** Python's str(key), as reclass's merge writes it. */
  pyStr(): string {
    return pyRepr(this.value);
  }

  pyRepr(): string {
    return pyRepr(this.value);
  }

  /** The key as json.dumps writes it. */
  jsonKey(): string {
    const v = this.value;
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v instanceof PyFloat) return formatFloat(v.value);
    return typeof v === 'number' && !Number.isInteger(v) ? formatFloat(v) : String(v);
  }

  /** Keys Python considers equal (1 == 1.0 == True) share this. */
  foldKey(): string {
    const v = this.value;
    if (v === null) return 'None';
    if (typeof v === 'boolean') return `n:${v ? 1 : 0}`;
    if (v instanceof PyFloat) return `n:${v.value}`;
    return `n:${v}`;
  }
}

/** A mapping key as text: str() for merged dicts, json.dumps spelling for output. */
export function keyText(key: unknown, style: 'str' | 'json'): string {
  if (typeof key === 'string') return key;
  if (key instanceof PyKey) return style === 'str' ? key.pyStr() : key.jsonKey();
  return String(key);
}

/** A number as Python's `repr(float)` writes it: shortest round-trip digits, `1e+16` style. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // JS and Python agree on the shortest digits; they differ on where exponent notation
  // starts (Python: exponent < -4 or >= 16) and on how it is written.
  const [mantissa, expPart] = x.toExponential().split('e');
  const exponent = Number(expPart);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - exponent));
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** Python's `repr()` of a string: single quotes unless the text has them and no double quotes. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** What reclass's own objects (Values, their items, queries) print for str() and repr(). */
interface PythonPrintable {
  pyStr(): string;
  pyRepr?(): string;
}

function printable(value: unknown): value is PythonPrintable {
  return value !== null && typeof value === 'object' && typeof (value as Partial<PythonPrintable>).pyStr === 'function';
}

/** Python's `str()` of a resolved value. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  // str() of a reclass Value is its item's text; only containers show its repr().
  if (printable(value)) return value.pyStr();
  return pyRepr(value);
}

/** Python's `repr()` of a resolved value (what `str()` gives inside containers). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return reprString(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatFloat(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat) return formatFloat(value.value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value) parts.push(`${pyRepr(k)}: ${pyRepr(v)}`);
    return `{${parts.join(', ')}}`;
  }
  if (printable(value)) return value.pyRepr ? value.pyRepr() : value.pyStr();
  // Nothing else comes from loaded YAML; other objects print as JavaScript prints them.
  return Object.prototype.toString.call(value);
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0; // Python: True == 1
  return undefined;
}

/** Python's `==` between resolved values (`1 == 1.0 == True`; dicts and lists deeply). */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || b === null || a === undefined || b === undefined) return a == null && b == null;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !pyEquals(v, b.get(k))) return false;
    return true;
  }
  return a === b;
}
