/**
 * A path into nested parameters (reclass's DictPath). Keys from `${a:b}` references are
 * strings; paths built while walking the data use numbers for list positions, and the two
 * are different paths, exactly as in reclass (where `0 != '0'`).
 */
import { ReclassNetError } from '../errors.js';
import { intern } from '../inventory/intern.js';
import { PyKey } from './pyvalue.js';

export type PathPart = string | number;

/** A lookup that Python answers with KeyError or TypeError; reclass turns it into ResolveError. */
export class PathLookupError extends Error {}

export function splitPath(text: string, delimiter: string): PathPart[] {
  // reclass splits on the delimiter unless a backslash precedes it (and keeps the backslash).
  const parts: string[] = [];
  let start = 0;
  for (let i = text.indexOf(delimiter); i >= 0; i = text.indexOf(delimiter, i + delimiter.length)) {
    if (i > 0 && text[i - 1] === '\\') continue;
    parts.push(intern(text.slice(start, i)));
    start = i + delimiter.length;
  }
  parts.push(intern(text.slice(start)));
  return parts;
}

/**
 * A reference's path, split once: MCP models repeat the same few hundred `${_param:...}`
 * references in every node, and interpolation looks each up several times. The arrays are
 * shared, so callers must not modify them.
 */
export interface ParsedRef {
  parts: readonly string[];
  key: string;
  /** Keys of the proper ancestors, outermost first. */
  ancestorKeys: readonly string[];
}

/**
 * No keys, as an array of the internal kind that arrays of keys have. V8 gives an array
 * that never held an element another kind than one holding strings, and code optimised
 * for one kind is dropped when the other comes (see memo.ts, nodeSpecific). Never changed.
 */
export const NO_KEYS: readonly string[] = (() => {
  const keys = [''];
  keys.length = 0;
  return keys;
})();

/** Per delimiter: keying one map by `delimiter + ref` built a new string per lookup, a
 * tenth of the resolution time of a 1000-node inventory. */
const parsedRefs = new Map<string, Map<string, ParsedRef>>();

export function parseRef(ref: string, delimiter: string): ParsedRef {
  let cache = parsedRefs.get(delimiter);
  if (!cache) parsedRefs.set(delimiter, (cache = new Map<string, ParsedRef>()));
  let parsed = cache.get(ref);
  if (!parsed) {
    const parts = splitPath(ref, delimiter) as string[];
    parsed = { parts, key: pathKey(parts), ancestorKeys: ancestorKeysOf(parts) };
    // Bounded: a hostile model cannot grow the cache without limit.
    if (cache.size > 100_000) cache.clear();
    cache.set(ref, parsed);
  }
  return parsed;
}

/** A unique string per path; numbers and digit strings stay distinct. */
export function pathKey(parts: readonly PathPart[]): string {
  let key = '';
  for (const p of parts) key = childPathKey(key, p);
  return key;
}

/**
 * The key of `part` inside the path whose key is `parentKey`, the same string object every
 * time for the same path. Rendering walks the same paths in every node and looks each key
 * up in maps (the memo's results, the templates' specialisations); a key built afresh had
 * to be flattened and hashed, and compared character by character, at every lookup, where
 * an interned one is hashed once and compares by identity. Bounded like parseRef's cache:
 * a model whose data makes ever new paths (node names as keys) cannot grow it without limit.
 */
export function childPathKey(parentKey: string, part: PathPart): string {
  let children = internedPaths.get(parentKey);
  if (!children) {
    if (internedPaths.size >= 200_000) internedPaths.clear();
    internedPaths.set(parentKey, (children = new Map<PathPart, string>()));
  }
  let key = children.get(part);
  if (key === undefined) {
    key = parentKey + partText(part);
    children.set(part, key);
  }
  return key;
}

const internedPaths = new Map<string, Map<PathPart, string>>();

/**
 * A part as it appears in a path key. Dicts inside lists keep PyYAML's typed keys (`1:`,
 * `yes:`) as PyKey objects in maps typed with string keys; those are told apart by their
 * Python value, never by their text, which every PyKey shares with `[object Object]`.
 */
function partText(part: PathPart): string {
  if (typeof part === 'number') return '\u0001' + part;
  const key: unknown = part;
  if (key instanceof PyKey) return '\u0003' + key.foldKey();
  return '\u0002' + part;
}

/** The keys of the proper ancestors of the path `parts`, outermost first; NO_KEYS if none. */
export function ancestorKeysOf(parts: readonly PathPart[]): readonly string[] {
  if (parts.length < 2) return NO_KEYS;
  const keys: string[] = [];
  for (let i = 0, key = ''; i < parts.length - 1; i++) keys.push((key = childPathKey(key, parts[i])));
  return keys;
}

/** The keys of the proper ancestors of the path whose key is `key` (see childPathKey). */
export function ancestorKeysOfKey(key: string): string[] {
  const keys: string[] = [];
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 1 || c === 2 || c === 3) keys.push(key.slice(0, i));
  }
  return keys;
}

export function pathString(parts: readonly PathPart[], delimiter = ':'): string {
  return parts.map(String).join(delimiter);
}

/** Python's int() of a list index written in a reference: ' 1', '+1', '-1' and '1_0' are ints. */
function pythonInt(part: PathPart): number {
  if (typeof part === 'number') return part;
  if (!/^\s*[-+]?\d+(?:_\d+)*\s*$/.test(part)) {
    throw new ReclassNetError('ResolveError', `invalid list index ${JSON.stringify(part)} in a reference`);
  }
  return Number(part.trim().replace(/_/g, ''));
}

function indexList(list: unknown[], index: number): unknown {
  const i = index < 0 ? list.length + index : index;
  if (i < 0 || i >= list.length) throw new PathLookupError('list index out of range');
  return list[i];
}

/** `container[part]` with Python's rules for dicts, lists and everything else. */
function step(container: unknown, part: PathPart, intermediate: boolean): unknown {
  if (container instanceof Map) {
    if (typeof part !== 'string' || !container.has(part)) throw new PathLookupError(String(part));
    return container.get(part);
  }
  if (Array.isArray(container)) {
    // reclass converts intermediate keys to int for lists, but indexes the last one as is.
    if (intermediate) return indexList(container, pythonInt(part));
    if (typeof part === 'number') return indexList(container, part);
    throw new PathLookupError('list indices must be integers');
  }
  throw new PathLookupError('not subscriptable');
}

export function getPath(base: unknown, parts: readonly PathPart[]): unknown {
  let container = base;
  for (let i = 0; i < parts.length; i++) container = step(container, parts[i], i < parts.length - 1);
  return container;
}

function innermost(base: unknown, parts: readonly PathPart[]): unknown {
  let container = base;
  for (let i = 0; i < parts.length - 1; i++) container = step(container, parts[i], true);
  return container;
}

export function setPath(base: unknown, parts: readonly PathPart[], value: unknown): void {
  const container = innermost(base, parts);
  const key = parts[parts.length - 1];
  if (container instanceof Map) container.set(String(key), value);
  else if (Array.isArray(container)) container[pythonInt(key)] = value;
  else throw new PathLookupError('not subscriptable');
}

export function deletePath(base: unknown, parts: readonly PathPart[]): void {
  const container = innermost(base, parts);
  const key = parts[parts.length - 1];
  if (container instanceof Map) container.delete(String(key));
  else if (Array.isArray(container)) container.splice(pythonInt(key), 1);
}
