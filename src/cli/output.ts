/**
 * Output as reclass prints it: `json.dumps(indent=2)` (ASCII-escaped, Python float
 * formatting, `1.0` stays `1.0`) and a YAML dump with sorted keys like PyYAML's.
 */
import { yamlStringify as stringify } from '../inventory/yaml.js';
import { toPlain } from '../inventory/plain.js';
import { formatFloat, keyText, PyFloat } from '../resolve/pyvalue.js';
import { Derivation, type SharedResults, type SharedSubtree } from '../resolve/shared.js';

const NON_ASCII = /[\u0080-\uffff]/g;
// A separate, non-global pattern for the test: a global one keeps lastIndex between calls.
const HAS_NON_ASCII = /[\u0080-\uffff]/;

/** A JSON string as Python's json.dumps writes it (ensure_ascii: everything past 0x7f escaped). */
function quote(s: string): string {
  const json = JSON.stringify(s);
  if (!HAS_NON_ASCII.test(json)) return json;
  return json.replace(NON_ASCII, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

function jsonNumber(x: number, float: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return float || !Number.isInteger(x) ? formatFloat(x) : String(x);
}

/**
 * Kept text is kept by nesting level and indent, as one number: `level * 64 + indent`.
 * Only indents below 64 can be told apart so (callers check `keepsText`); larger ones,
 * which no one asks for, are written out every time.
 */
function keepsText(indent: number): boolean {
  return indent < 64;
}

function textKey(level: number, indent: number): number {
  return level * 64 + indent;
}

/** V8's longest string. Data built by nesting references can need more: without a count,
 * the pieces of one document would fill the heap before they are ever joined. */
const MAX_STRING_LENGTH = 2 ** 29 - 24;

/**
 * JSON text of lists of strings, by their first string: each node's `classes` and
 * `applications` are lists of their own (copies, so that callers may change them), yet
 * nodes with the same classes list the same names. Comparing a list with one written
 * before is cheaper than writing it again, and was 200 of the 350 pieces of a node's text.
 */
interface StringListText {
  items: readonly string[];
  key: number;
  text: string;
}

function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The JSON text of a container derived from a shared one (see Derivation): its text
 * between the per-node entries is the same for every node, so it is kept as segments
 * with the per-node values written in between. A node's `_param` dict, a few entries of
 * its own among hundreds shared, is then a handful of pieces instead of hundreds.
 */
interface Layout {
  /** Text before each per-node value, and after the last. */
  segments: string[];
}

/**
 * Python's json.dumps(data, indent=2, separators=(',', ': ')) of resolved data, for one run
 * of documents: a node's, or every node's of an inventory. The same keys and values recur
 * in every node of an inventory, so the writer keeps their text for the documents it writes
 * after (bounded: a long-lived writer drops what it kept and starts again); dropping that
 * cost 1.4% of an N=1000 `inventory --format json`. Make one per run, not one per process:
 * what it keeps then goes with it.
 *
 * With the `shared` results of the inventory that resolved the data, the text of what its
 * nodes share is written once and kept with their marks (see SharedResults).
 */
export class JsonWriter {
  /** Quoted JSON text by string: a Map lookup is cheaper than quoting again, and reuses
   * one string where quoting would allocate a new one for every node. */
  private readonly strings = new Map<string, string>();
  /** `"key": ` by key. */
  private readonly keys = new Map<unknown, string>();
  /** Text of lists of strings by their first string (see keptStringList). */
  private readonly stringLists = new Map<string, StringListText[]>();
  /** Line breaks with indentation, by indentation width. */
  private readonly pads: string[] = [];
  /** Length of the document being written so far, against MAX_STRING_LENGTH. A field
   * rather than a parameter: the writer writes one document at a time, and the hot
   * methods stay small enough for V8 to optimise early. */
  private written = 0;

  constructor(private readonly shared?: SharedResults) {}

  /** The JSON text of `data` at nesting `depth` (for documents written piece by piece,
   * like a streamed inventory), appended to `parts`. */
  parts(data: unknown, parts: string[], depth = 0, indent = 2): void {
    this.written = 0;
    this.toJson(data, depth, indent, parts);
  }

  /** The JSON text of `data` at nesting `depth`, as one string. */
  text(data: unknown, depth = 0): string {
    const parts: string[] = [];
    this.parts(data, parts, depth);
    return parts.join('');
  }

  private add(parts: string[], text: string): void {
    this.written += text.length;
    if (this.written > MAX_STRING_LENGTH) throw new RangeError('Invalid string length');
    parts.push(text);
  }

  private jsonString(s: string): string {
    let json = this.strings.get(s);
    if (json === undefined) {
      json = quote(s);
      if (this.strings.size >= 100_000) this.strings.clear();
      this.strings.set(s, json);
    }
    return json;
  }

  private jsonKey(key: unknown): string {
    let text = this.keys.get(key);
    if (text === undefined) {
      text = this.jsonString(keyText(key, 'json')) + ': ';
      if (this.keys.size >= 100_000) this.keys.clear();
      this.keys.set(key, text);
    }
    return text;
  }

  private pad(level: number, indent: number): string {
    const key = level * indent;
    return (this.pads[key] ??= '\n' + ' '.repeat(key));
  }

  /**
   * Appends one value's JSON text to `parts`, piece by piece: joining the pieces once at
   * the end copies each byte once, where concatenating strings built a tree of millions of
   * pieces that took longer to flatten, when written, than to build.
   */
  private toJson(value: unknown, level: number, indent: number, parts: string[]): void {
    if (typeof value === 'string') this.add(parts, this.jsonString(value));
    else if (value === null || value === undefined) this.add(parts, 'null');
    else if (value === true) this.add(parts, 'true');
    else if (value === false) this.add(parts, 'false');
    else if (typeof value === 'number') this.add(parts, jsonNumber(value, false));
    else if (typeof value === 'bigint') this.add(parts, value.toString());
    else if (value instanceof PyFloat) this.add(parts, jsonNumber(value.value, true));
    else {
      const shared = this.shared;
      const sharing = shared && keepsText(indent) ? shared.sharingOf(value) : undefined;
      if (sharing === undefined) this.containerToJson(value, level, indent, parts);
      else if (sharing instanceof Derivation) this.derivedToJson(value, sharing, level, indent, parts);
      else this.add(parts, this.sharedToJson(value, sharing, level, indent));
    }
  }

  /**
   * JSON text of a subtree that nodes share, by nesting level and indent, kept with its
   * mark (see SharedResults): written once per inventory instead of once per node using it.
   */
  private sharedToJson(value: object, subtree: SharedSubtree, level: number, indent: number): string {
    const texts = (subtree.kept ??= new Map<number, string>());
    const key = textKey(level, indent);
    let text = texts.get(key);
    if (text === undefined) texts.set(key, (text = this.keptText(value, level, indent, true)));
    return text;
  }

  /**
   * The text of a container, made to be kept and reused: while it is made it counts on
   * top of the document it is made for, and toward that document's size (see add) only
   * where it is used.
   */
  private keptText(value: object, level: number, indent: number, keep: boolean): string {
    const before = this.written;
    const parts: string[] = [];
    this.containerToJson(value, level, indent, parts, keep);
    this.written = before;
    return parts.join('');
  }

  /** The kept text of `list` if it is a list of strings written before at this level. */
  private keptStringList(list: unknown[], level: number, indent: number): string | undefined {
    const first = list[0];
    if (typeof first !== 'string') return undefined;
    const key = textKey(level, indent);
    let known = this.stringLists.get(first);
    const found = known?.find((k) => k.key === key && sameStrings(list, k.items));
    if (found) return found.text;
    if (!list.every((s) => typeof s === 'string')) return undefined;
    const text = this.keptText(list, level, indent, false);
    if (!known) {
      // Bounded like the other caches: the same few lists recur in every node.
      if (this.stringLists.size >= 10_000) this.stringLists.clear();
      this.stringLists.set(first, (known = []));
    }
    if (known.length >= 64) known.length = 0;
    known.push({ items: list.slice(), key, text });
    return text;
  }

  /** A container's JSON text written out entry by entry (toJson has ruled out kept text). */
  private containerToJson(value: object, level: number, indent: number, parts: string[], keep = true): void {
    const first = this.pad(level + 1, indent);
    const next = ',' + first;
    if (Array.isArray(value)) {
      if (value.length === 0) {
        this.add(parts, '[]');
        return;
      }
      const kept = keep && keepsText(indent) ? this.keptStringList(value, level, indent) : undefined;
      if (kept !== undefined) {
        this.add(parts, kept);
        return;
      }
      for (let i = 0; i < value.length; i++) {
        this.add(parts, i === 0 ? '[' + first : next);
        this.toJson(value[i], level + 1, indent, parts);
      }
      this.add(parts, this.pad(level, indent) + ']');
      return;
    }
    let empty = true;
    const entry = (v: unknown, k: unknown) => {
      this.add(parts, empty ? '{' + first : next);
      this.add(parts, this.jsonKey(k));
      this.toJson(v, level + 1, indent, parts);
      empty = false;
    };
    // forEach: a `for...of` over a Map makes an entry array and an iterator result per entry
    // until V8 optimises the loop, which a one-node call never does.
    if (value instanceof Map) value.forEach(entry);
    else for (const [k, v] of Object.entries(value)) entry(v, k);
    this.add(parts, empty ? '{}' : this.pad(level, indent) + '}');
  }

  private derivedToJson(value: object, derivation: Derivation, level: number, indent: number, parts: string[]): void {
    const { dynamic } = derivation;
    const layout = this.layoutFor(value, derivation, level, indent);
    const map = value instanceof Map ? value : undefined;
    for (let i = 0; i < dynamic.length; i++) {
      this.add(parts, layout.segments[i]);
      const k = dynamic[i];
      this.toJson(map ? map.get(k) : (value as unknown[])[k as number], level + 1, indent, parts);
    }
    this.add(parts, layout.segments[dynamic.length]);
  }

  /** The layout of every container derived as `derivation` says, kept on it: the text
   * around the dynamic entries is the base's, the same for all of them. */
  private layoutFor(value: object, derivation: Derivation, level: number, indent: number): Layout {
    const key = textKey(level, indent);
    return (derivation.kept?.get(key) as Layout | undefined) ?? this.buildLayout(value, derivation, key, level, indent);
  }

  /**
   * layoutFor the first time: a method of its own, so that the path every node takes is
   * small, which V8 optimises sooner (see specialiseCopied in accelerate/templates.ts).
   */
  private buildLayout(value: object, derivation: Derivation, key: number, level: number, indent: number): Layout {
    const { dynamic } = derivation;
    const perNode = new Set(dynamic);
    const first = this.pad(level + 1, indent);
    const next = ',' + first;
    const segments: string[] = [];
    // Kept text, counted on top of the document while made, like keptText's.
    const before = this.written;
    let current: string[] = [];
    const isList = Array.isArray(value);
    let i = 0;
    const entry = (v: unknown, k: string | number) => {
      this.add(current, i === 0 ? (isList ? '[' : '{') + first : next);
      if (!isList) this.add(current, this.jsonKey(k));
      if (perNode.has(k)) {
        segments.push(current.join(''));
        current = [];
      } else this.toJson(v, level + 1, indent, current);
      i++;
    };
    // forEach: see containerToJson.
    if (isList) (value as unknown[]).forEach(entry);
    else (value as Map<string, unknown>).forEach(entry);
    this.add(current, i === 0 ? (isList ? '[]' : '{}') : this.pad(level, indent) + (isList ? ']' : '}'));
    segments.push(current.join(''));
    this.written = before;
    const layout = { segments };
    (derivation.kept ??= new Map()).set(key, layout);
    return layout;
  }
}

/** Python's json.dumps(data, indent=2) as one string, starting at nesting `depth`, by a
 * writer of its own (see JsonWriter on `shared`). */
export function pythonJsonAt(data: unknown, depth: number, shared?: SharedResults): string {
  return new JsonWriter(shared).text(data, depth);
}

/** Python's json.dumps(data, indent=2) as one string (see JsonWriter on `shared`). */
export function pythonJson(data: unknown, shared?: SharedResults): string {
  return pythonJsonAt(data, 0, shared);
}

/** A YAML document of resolved data, keys sorted as PyYAML's dump sorts them. */
export function pythonYaml(data: unknown): string {
  return stringify(toPlain(data), { sortMapEntries: true, lineWidth: 0, version: '1.1' });
}
