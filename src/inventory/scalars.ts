/**
 * Scalars as PyYAML's SafeLoader types them: its implicit resolver table for plain
 * scalars (YAML 1.1 booleans, octal and sexagesimal numbers, floats that need a dot,
 * timestamps) and the constructors of the explicit tags. Shared by yaml.ts and
 * fast-yaml.ts, which read the structure around them.
 */
import { PyFloat } from '../resolve/pyvalue.js';

/** Loaded YAML data. Mappings are `Map`s so that key order and keys like `__proto__` survive. */
export type Raw = null | boolean | number | bigint | PyFloat | string | Raw[] | RawMap;
export type RawMap = Map<string, Raw>;

export interface Position {
  line: number;
  column: number;
}

export const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
export const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
export const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
export const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

export function constructInt(text: string): number | bigint {
  let value = text.replace(/_/g, '');
  let sign = 1n;
  if (value[0] === '-' || value[0] === '+') {
    if (value[0] === '-') sign = -1n;
    value = value.slice(1);
  }
  let big: bigint;
  if (value === '0') big = 0n;
  else if (value.startsWith('0b')) big = BigInt(value);
  else if (value.startsWith('0x')) big = BigInt(value);
  else if (value[0] === '0') big = BigInt('0o' + value.slice(1));
  else if (value.includes(':')) return Number(sign) * sexagesimal(value);
  else big = BigInt(value);
  big *= sign;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

export function constructFloat(text: string): number | PyFloat {
  let value = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (value[0] === '-' || value[0] === '+') {
    if (value[0] === '-') sign = -1;
    value = value.slice(1);
  }
  let x: number;
  if (value === '.inf') x = Infinity;
  else if (value === '.nan') x = NaN;
  else if (value.includes(':')) x = sexagesimal(value);
  else x = Number(value.endsWith('.') ? value + '0' : value);
  x *= sign;
  return Number.isInteger(x) ? new PyFloat(x) : x;
}

/** The plain scalars that are words: the booleans of BOOL, and the nulls. */
const WORDS = new Map<string, boolean | null>([
  ['yes', true],
  ['Yes', true],
  ['YES', true],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['on', true],
  ['On', true],
  ['ON', true],
  ['no', false],
  ['No', false],
  ['NO', false],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['off', false],
  ['Off', false],
  ['OFF', false],
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
]);

/**
 * Types a plain (unquoted, untagged) scalar as PyYAML's implicit resolvers do.
 *
 * The same as testing BOOL, FLOAT, INT, the nulls and TIMESTAMP in turn, but most scalars are
 * told apart by their first character and a word lookup, plain decimals are read by hand, and
 * the regular expressions only run on text made of the characters they accept: a one-node run
 * is short enough that compiling each of them (and again to native code on its second use),
 * and calling them from the interpreter for every key and value, was a large part of reading
 * its files.
 */
export function resolvePlainScalar(text: string): Raw {
  const first = text.charCodeAt(0); // NaN for the empty text
  // Letters and `~` (and everything else from `A` up): a word or a string. No word is longer than five.
  if (first >= 0x41) {
    if (text.length > 5) return text;
    const word = WORDS.get(text);
    return word === undefined ? text : word;
  }
  if (text === '') return null;
  // Below `A`, only digits, signs and dots start a number or a timestamp, and no number is one
  // character but a digit.
  if (first > 0x39 || first < 0x2b || first === 0x2c || first === 0x2f) return text;
  const simple = plainNumber(text);
  if (simple !== undefined) return simple;
  if (text.length === 1) return text;
  const dot = text.indexOf('.');
  if (dot < 0) {
    if (onlyFrom(text, INT_CHARS) && INT.test(text)) return constructInt(text);
  } else if (text.indexOf('.', dot + 1) < 0) {
    if (onlyFrom(text, FLOAT_CHARS) && FLOAT.test(text)) return constructFloat(text);
  } else {
    return text; // every number and timestamp has at most one dot
  }
  // A timestamp starts with four digits and a dash.
  if (text.charCodeAt(4) === 0x2d && isDigit(first) && isDigit(text.charCodeAt(1))) {
    if (isDigit(text.charCodeAt(2)) && isDigit(text.charCodeAt(3)) && TIMESTAMP.test(text)) return timestampText(text);
  }
  return text;
}

/** After its sign, every character INT can match (`0b`, `0x`, hexadecimal digits, `_`, `:`). */
const INT_CHARS = '0123456789_:xabcdefABCDEF';
/** After its sign, every character FLOAT can match (`.inf`, `.nan` in three spellings). */
const FLOAT_CHARS = '0123456789_:.eE+-infaINFA';

/** Whether every character of `text` after a leading sign is one of `chars`. */
function onlyFrom(text: string, chars: string): boolean {
  const first = text.charCodeAt(0);
  for (let i = first === 0x2b || first === 0x2d ? 1 : 0; i < text.length; i++) {
    if (!chars.includes(text[i])) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * The value of a number written the plain way, as INT and FLOAT read it: a decimal integer
 * without leading zeros, short enough to be exact (what constructInt makes of it), or digits,
 * a dot and digits; with a sign or not. Undefined for any other text.
 */
function plainNumber(text: string): number | PyFloat | undefined {
  const length = text.length;
  let i = text.charCodeAt(0) === 0x2b || text.charCodeAt(0) === 0x2d ? 1 : 0;
  const digits = i;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  if (i === digits) return undefined;
  if (i === length) {
    // `0`, but `01` is octal; longer numbers may not be exact.
    if ((text.charCodeAt(digits) === 0x30 && i > digits + 1) || i - digits > 15) return undefined;
    const value = Number(text);
    return value === 0 ? 0 : value; // `-0` is the integer 0
  }
  if (text.charCodeAt(i) !== 0x2e) return undefined;
  i++;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  return i === length ? constructFloat(text) : undefined;
}

const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A timestamp as reclass prints it. PyYAML makes a `date` or `datetime` of it, and reclass
 * only ever shows its `str()`: in keys, in references inside strings, and in its YAML output
 * (its JSON output cannot print one at all). So the value is that text: `2002-12-14T00:00:00Z`
 * is `2002-12-14 00:00:00+00:00`, fractions have six digits or none, offsets are `+HH:MM`.
 * A date Python refuses (month 13) makes reclass crash; its text is kept as written.
 */
export function timestampText(text: string): string {
  const m = TIMESTAMP_PARTS.exec(text);
  if (!m) return text;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const monthDays = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > monthDays[month - 1]) return text;
  const date = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
  if (m[4] === undefined) return date;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) return text;
  const micro = Number((m[7] ?? '').slice(0, 6).padEnd(6, '0'));
  let zone = '';
  if (m[9] !== undefined) {
    const offset = Number(m[10]) * 60 + Number(m[11] ?? 0);
    // Python's timezone() takes offsets strictly within a day.
    if (offset >= 24 * 60) return text;
    const sign = m[9] === '-' && offset > 0 ? '-' : '+';
    zone = `${sign}${two(Math.floor(offset / 60))}:${two(offset % 60)}`;
  } else if (m[8] === 'Z') zone = '+00:00';
  const fraction = micro > 0 ? `.${String(micro).padStart(6, '0')}` : '';
  return `${date} ${two(hour)}:${two(minute)}:${two(second)}${fraction}${zone}`;
}
