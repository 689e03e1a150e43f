/**
 * A path into nested parameters (reclass's DictPath). Keys from `${a:b}` references are
 * strings; paths built while walking the data use numbers for list positions, and the two
 * are different paths, exactly as in reclass (where `0 != '0'`).
 */
import { ReclassNetError } from '../errors.js';
import { StringTable } from '../inventory/intern.js';
import { PyKey } from './pyvalue.js';

export type PathPart = string | number;

/** A lookup that Python answers with KeyError or TypeError; reclass turns it into ResolveError. */
export class PathLookupError extends Error {}

/** `text` split into its parts (pure: see KeyTables.splitPath for the resolver's, interned). */
export function splitPath(text: string, delimiter: string): PathPart[] {
  return split(text, delimiter, undefined);
}

function split(text: string, delimiter: string, strings: StringTable | undefined): string[] {
  // reclass splits on the delimiter unless a backslash precedes it (and keeps the backslash).
  const parts: string[] = [];
  let start = 0;
  for (let i = text.indexOf(delimiter); i >= 0; i = text.indexOf(delimiter, i + delimiter.length)) {
    if (i > 0 && text[i - 1] === '\\') continue;
    const part = text.slice(start, i);
    parts.push(strings ? strings.intern(part) : part);
    start = i + delimiter.length;
  }
  const last = text.slice(start);
  parts.push(strings ? strings.intern(last) : last);
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

/** A unique string per path; numbers and digit strings stay distinct. Pure: built afresh
 * (KeyTables.pathKey gives the interned one, for keys looked up often). */
export function pathKey(parts: readonly PathPart[]): string {
  let key = '';
  for (const p of parts) key += partText(p);
  return key;
}

/**
 * The interning tables of one opened inventory, for its loader and its resolver: made
 * with its Settings (Settings.keyTables, not a reclass option), which every Parameters
 * and Value carries. Each table is a bounded cache of a pure function (splitPath,
 * pathKey): interning changes which string objects come back, never their content.
 */
export class KeyTables {
  /** The loader's mapping keys (PlainKeys) and the parts of references: the same objects. */
  readonly strings = new StringTable();
  /** Per delimiter: keying one map by `delimiter + ref` built a new string per lookup, a
   * tenth of the resolution time of a 1000-node inventory. */
  private readonly parsedRefs = new Map<string, Map<string, ParsedRef>>();
  /** childPathKey's table: the key of each child path, by its parent's key and its part. */
  private readonly paths = new Map<string, Map<PathPart, string>>();

  /** splitPath, with the parts interned: they look up keys the loader interned. */
  splitPath(text: string, delimiter: string): string[] {
    return split(text, delimiter, this.strings);
  }

  parseRef(ref: string, delimiter: string): ParsedRef {
    let cache = this.parsedRefs.get(delimiter);
    if (!cache) this.parsedRefs.set(delimiter, (cache = new Map<string, ParsedRef>()));
    let parsed = cache.get(ref);
    if (!parsed) {
      const parts = this.splitPath(ref, delimiter);
      parsed = { parts, key: this.pathKey(parts), ancestorKeys: this.ancestorKeysOf(parts) };
      // Bounded: a hostile model cannot grow the cache without limit.
      if (cache.size > 100_000) cache.clear();
      cache.set(ref, parsed);
    }
    return parsed;
  }

  /** pathKey, the same string object every time (see childPathKey). */
  pathKey(parts: readonly PathPart[]): string {
    let key = '';
    for (const p of parts) key = this.childPathKey(key, p);
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
  childPathKey(parentKey: string, part: PathPart): string {
    let children = this.paths.get(parentKey);
    if (!children) {
      if (this.paths.size >= 200_000) this.paths.clear();
      this.paths.set(parentKey, (children = new Map<PathPart, string>()));
    }
    let key = children.get(part);
    if (key === undefined) {
      key = parentKey + partText(part);
      children.set(part, key);
    }
    return key;
  }

  /** The keys of the proper ancestors of the path `parts`, outermost first; NO_KEYS if none. */
  ancestorKeysOf(parts: readonly PathPart[]): readonly string[] {
    if (parts.length < 2) return NO_KEYS;
    const keys: string[] = [];
    for (let i = 0, key = ''; i < parts.length - 1; i++) keys.push((key = this.childPathKey(key, parts[i])));
    return keys;
  }
}

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
