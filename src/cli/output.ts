/**
 * Output as reclass prints it: `json.dumps(indent=2)` (ASCII-escaped, Python float
 * formatting, `1.0` stays `1.0`) and a YAML dump with sorted keys like PyYAML's.
 */
import { yamlStringify as stringify } from '../inventory/yaml.js';
import { toPlain } from '../inventory/plain.js';
import { formatFloat, keyText, PyFloat } from '../resolve/pyvalue.js';

const NON_ASCII = /[\u0080-\uffff]/g;
// A separate, non-global pattern for the test: a global one keeps lastIndex between calls.
const HAS_NON_ASCII = /[\u0080-\uffff]/;

/** A JSON string as Python's json.dumps writes it (ensure_ascii: everything past 0x7f escaped). */
function jsonString(s: string): string {
  const json = JSON.stringify(s);
  return HAS_NON_ASCII.test(json)
    ? json.replace(NON_ASCII, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'))
    : json;
}

function jsonNumber(x: number, float: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return float || !Number.isInteger(x) ? formatFloat(x) : String(x);
}

const pads: string[] = [];
function pad(level: number, indent: number): string {
  const key = level * indent;
  return (pads[key] ??= '\n' + ' '.repeat(key));
}

/** One value as JSON text. String concatenation: V8 joins the pieces once, when written. */
function toJson(value: unknown, level: number, indent: number): string {
  if (typeof value === 'string') return jsonString(value);
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return jsonNumber(value, false);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat) return jsonNumber(value.value, true);
  const inner = pad(level + 1, indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let text = '[' + inner + toJson(value[0], level + 1, indent);
    for (let i = 1; i < value.length; i++) text += ',' + inner + toJson(value[i], level + 1, indent);
    return text + pad(level, indent) + ']';
  }
  const entries = value instanceof Map ? value.entries() : Object.entries(value as object).values();
  let text = '{';
  let first = true;
  for (const [k, v] of entries) {
    text += (first ? inner : ',' + inner) + jsonString(keyText(k, 'json')) + ': ' + toJson(v, level + 1, indent);
    first = false;
  }
  return first ? '{}' : text + pad(level, indent) + '}';
}

/**
 * Python's json.dumps(data, indent=2, separators=(',', ': ')) of resolved data, starting at
 * nesting `depth` (for documents written piece by piece, like a streamed inventory).
 */
export function writePythonJson(data: unknown, emit: (chunk: string) => void, depth = 0, indent = 2): void {
  emit(toJson(data, depth, indent));
}

/** Python's json.dumps(data, indent=2) as one string. */
export function pythonJson(data: unknown): string {
  const chunks: string[] = [];
  writePythonJson(data, (c) => chunks.push(c));
  return chunks.join('');
}

/** A YAML document of resolved data, keys sorted as PyYAML's dump sorts them. */
export function pythonYaml(data: unknown): string {
  return stringify(toPlain(data), { sortMapEntries: true, lineWidth: 0, version: '1.1' });
}
