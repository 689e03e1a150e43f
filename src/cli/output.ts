/**
 * Output as reclass prints it: `json.dumps(indent=2)` (ASCII-escaped, Python float
 * formatting, `1.0` stays `1.0`) and a YAML dump with sorted keys like PyYAML's.
 */
import { stringify } from 'yaml';
import { toPlain } from '../inventory/plain.js';
import { formatFloat, PyFloat } from '../resolve/pyvalue.js';

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function jsonNumber(x: number, float: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return float || !Number.isInteger(x) ? formatFloat(x) : String(x);
}

/** Python's json.dumps(data, indent=2, separators=(',', ': ')) of resolved data. */
export function pythonJson(data: unknown, indent = 2): string {
  const parts: string[] = [];
  const write = (value: unknown, depth: number): void => {
    const pad = '\n' + ' '.repeat(indent * (depth + 1));
    const close = '\n' + ' '.repeat(indent * depth);
    if (value === null || value === undefined) parts.push('null');
    else if (value === true) parts.push('true');
    else if (value === false) parts.push('false');
    else if (typeof value === 'string') parts.push(jsonString(value));
    else if (typeof value === 'number') parts.push(jsonNumber(value, false));
    else if (typeof value === 'bigint') parts.push(value.toString());
    else if (value instanceof PyFloat) parts.push(jsonNumber(value.value, true));
    else if (Array.isArray(value)) {
      if (value.length === 0) return void parts.push('[]');
      parts.push('[');
      value.forEach((v, i) => {
        parts.push(i === 0 ? pad : ',' + pad);
        write(v, depth + 1);
      });
      parts.push(close + ']');
    } else if (value instanceof Map || typeof value === 'object') {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
      if (entries.length === 0) return void parts.push('{}');
      parts.push('{');
      entries.forEach(([k, v], i) => {
        parts.push((i === 0 ? pad : ',' + pad) + jsonString(String(k)) + ': ');
        write(v, depth + 1);
      });
      parts.push(close + '}');
    } else parts.push(jsonString(String(value)));
  };
  write(data, 0);
  return parts.join('');
}

/** A YAML document of resolved data, keys sorted as PyYAML's dump sorts them. */
export function pythonYaml(data: unknown): string {
  return stringify(toPlain(data), { sortMapEntries: true, lineWidth: 0, version: '1.1' });
}
