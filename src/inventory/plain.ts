/** Converts loaded or resolved data (Maps, boxed floats) to plain JSON-like values. */
import { keyText, PyFloat } from '../resolve/pyvalue.js';
import type { Value } from '../types.js';

export function toPlain(data: unknown): Value {
  if (data instanceof Map) {
    // A null prototype keeps keys like `__proto__` ordinary data.
    const out = Object.create(null) as Record<string, Value>;
    for (const [k, v] of data) out[keyText(k, 'json')] = toPlain(v);
    return out;
  }
  if (Array.isArray(data)) return data.map(toPlain);
  if (data instanceof PyFloat) return data.value;
  if (typeof data === 'bigint') return Number(data);
  if (data === undefined) return null;
  return data as Value;
}
