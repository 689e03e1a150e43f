/**
 * Output as reclass prints it: `json.dumps(indent=2)` (ASCII-escaped, Python float
 * formatting, `1.0` stays `1.0`) and a YAML dump with sorted keys like PyYAML's.
 */
import { stringify } from 'yaml';
import { toPlain } from '../inventory/plain.js';
import { formatFloat, PyFloat } from '../resolve/pyvalue.js';

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

/**
 * Python's json.dumps(data, indent=2, separators=(',', ': ')) of resolved data, written in
 * pieces to `emit` so that a whole inventory never has to sit in memory as one string.
 */
export function writePythonJson(data: unknown, emit: (chunk: string) => void, depth = 0, indent = 2): void {
  const parts: string[] = [];
  let size = 0;
  const push = (text: string) => {
    parts.push(text);
    size += text.length;
    if (size > 1 << 16) {
      emit(parts.join(''));
      parts.length = 0;
      size = 0;
    }
  };
  const write = (value: unknown, level: number): void => {
    if (value === null || value === undefined) push('null');
    else if (value === true) push('true');
    else if (value === false) push('false');
    else if (typeof value === 'string') push(jsonString(value));
    else if (typeof value === 'number') push(jsonNumber(value, false));
    else if (typeof value === 'bigint') push(value.toString());
    else if (value instanceof PyFloat) push(jsonNumber(value.value, true));
    else if (Array.isArray(value)) {
      if (value.length === 0) return push('[]');
      const pad = '\n' + ' '.repeat(indent * (level + 1));
      push('[');
      value.forEach((v, i) => {
        push(i === 0 ? pad : ',' + pad);
        write(v, level + 1);
      });
      push('\n' + ' '.repeat(indent * level) + ']');
    } else if (value instanceof Map || typeof value === 'object') {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
      if (entries.length === 0) return push('{}');
      const pad = '\n' + ' '.repeat(indent * (level + 1));
      push('{');
      entries.forEach(([k, v], i) => {
        push((i === 0 ? pad : ',' + pad) + jsonString(String(k)) + ': ');
        write(v, level + 1);
      });
      push('\n' + ' '.repeat(indent * level) + '}');
    } else push(jsonString(String(value)));
  };
  write(data, depth);
  if (parts.length > 0) emit(parts.join(''));
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
