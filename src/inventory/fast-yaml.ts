/**
 * A fast path for the YAML that model files are nearly always written in: block mappings and
 * block sequences of one-line scalars. Parsing those line by line is over ten times faster
 * than building the `yaml` package's document tree, and loading YAML was a large share of a
 * whole-inventory run (and importing the package alone a large share of a one-node run).
 *
 * The contract is all-or-nothing: `loadSimpleYaml` either returns exactly what the full
 * loader (yaml.ts) returns for the text, the same data and the same position for every entry
 * of every container, or `undefined` ("not sure"), and the caller falls back to the full
 * loader. Anything outside the small subset below is declined, never guessed at, so errors
 * are never reported from here: a text with an error is outside the subset.
 *
 * The subset:
 * - block mappings and block sequences, nested by indentation (spaces only), including a
 *   sequence at its key's indent (`key:\n- a`) and compact entries (`- key: v`, `- - x`);
 * - one-line scalars: plain (typed by `resolvePlainScalar`), single-quoted (`''` escape),
 *   double-quoted with no escapes but `\\`, `\"`, `\n` and `\t`, and the empty flow
 *   collections `[]` and `{}`, after their key or `- `, or alone on the next line (`key:\n  value`);
 * - one-line flow sequences of such scalars (`[a, 'b', "c"]`, as MCP models write lists of
 *   tags, devices and roles), without empty items, a trailing comma, or a plain item holding
 *   a character that means something in flow context (`:`, `#`, brackets, braces);
 * - mapping keys that are strings: quoted, or plain text that types as a string;
 * - blank lines, full-line comments and comments after a value;
 * - block scalars as an entry's value (`key: |`, `- >-`): literal or folded, chomping
 *   indicator but no indentation indicator, nothing after the header, indentation found from
 *   the first line, which is not empty; folded ones only without more-indented lines or
 *   trailing spaces, where folding is just joining lines; not `+` (keep), not at the end of
 *   a file without a final line feed, no spaces beyond the indentation on empty lines.
 *   Certificates and SSH keys in MCP models are written so (a fallback to the full loader
 *   costs the import of the `yaml` package, a large part of a one-node run).
 * Everything else (anchors, tags, other block scalars, multi-line scalars, flow mappings with
 * content, nested or multi-line flow collections, `?` keys, merge keys, document markers, directives, tabs, unusual characters, ...)
 * is declined.
 *
 * Positions reproduce what the `yaml` package reports, which the full loader records: a
 * value written on its key's line (or after `- `) is at its first character; a container
 * starting on a later line is at its first entry; an empty value is where the parser stops
 * looking for it on that line: at a trailing `#` comment, else at the end of the line.
 */
import { StringTable } from './intern.js';
import { resolvePlainScalar, type Raw, type RawMap } from './scalars.js';

/**
 * Where each entry of a container starts, packed: the line and column (from 1) of its
 * entries in their order (a mapping's keys in the order its Map keeps them), two numbers
 * per entry. A Position object and a Map entry per value was most of what the parser kept
 * besides the data itself; positions are only read for errors and explanations.
 */
export type PackedPositions = number[];

/** Each loaded container with where each of its entries starts, for the caller to record. */
export type PositionTable = Array<[container: object, where: PackedPositions]>;

export interface SimpleYaml {
  data: Raw;
  positions: PositionTable;
}

/**
 * Everything but line feeds, printable ASCII and the BMP beyond Latin-1 controls, less the
 * characters that YAML treats as line breaks (U+2028, U+2029) or as a byte order mark
 * (U+FEFF), and surrogates (so non-BMP characters and columns counted in UTF-16 never meet).
 * Excluding tabs and carriage returns also keeps indentation and line ends simple.
 */
const OUTSIDE_SUBSET_CHAR = /[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

/** Characters that start something other than a plain scalar when first (YAML's c-indicator). */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`');

/** Deeper is legal but rare; declining keeps the parser's recursion shallow. */
const MAX_DEPTH = 64;
/** Below the full loader's limit of values per file, so a text it refuses is never accepted here. */
const MAX_VALUES = 1_000_000;
/** YAML limits implicit keys to 1024 characters; stay clear of the edge. */
const MAX_KEY_LENGTH = 1000;

/** Thrown inside the parser to give up; never escapes `loadSimpleYaml`. One object, made
 * once: declining is routine (a file the full loader must read), and an error made per
 * decline would record a stack trace each time. */
class Decline extends Error {}
const DECLINE = new Decline('decline');

function decline(): never {
  throw DECLINE;
}

/**
 * Reads `text` if it is in the simple subset (see the module comment), or returns undefined.
 * Never throws for any input.
 */
export function loadSimpleYaml(text: string, keys: PlainKeys = new PlainKeys()): SimpleYaml | undefined {
  if (OUTSIDE_SUBSET_CHAR.test(text)) return undefined;
  try {
    return new SimpleParser(text, keys).document();
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}

/**
 * Plain keys already read, each with the key it makes. Most keys recur across a model's files
 * (`parameters`, `_param`, `enabled`, ...): one lookup replaces checking and typing them again.
 * One table serves the files of one model (Storage keeps it); bounded as `strings` is.
 */
export class PlainKeys {
  private readonly known = new Map<string, string>();

  /** `strings`: where the keys are interned, the inventory's own (KeyTables.strings). */
  constructor(readonly strings: StringTable = new StringTable()) {}

  get(text: string): string | undefined {
    return this.known.get(text);
  }

  set(text: string, key: string): void {
    if (this.known.size >= 100_000) this.known.clear();
    this.known.set(text, key);
  }
}

/**
 * Lines are numbers, not objects: `k` is an index into `rows` and `indents` (the lines with
 * content), and `rows[k]` the line's index in `raw`. A cold run interprets this code, where
 * every object made per line or per entry (a line, a key and its end, a value and its
 * position) costs its allocation and the collections it brings about.
 */
class SimpleParser {
  /** Every line of the text, for block scalars, whose content may look like comments. */
  private readonly raw: string[];
  /** The lines with content (not blank, not only a comment): where each is in `raw`. */
  private readonly rows: number[] = [];
  /** The indent of each line with content. */
  private readonly indents: number[] = [];
  /** The next line with content to read: containers read entries while lines come at their indent. */
  private at = 0;
  private depth = 0;
  private values = 0;
  /** The position of the value entryValue or valueBelow last returned: line and column, from 1. */
  private line = 0;
  private column = 0;
  private readonly positions: PositionTable = [];
  /** Where the key keyAt last returned ends, just past its `:`: beside the key, not in an object with it. */
  private keyEnd = 0;

  constructor(
    text: string,
    private readonly keys: PlainKeys,
  ) {
    const raw = (this.raw = text.split('\n'));
    const rows = this.rows;
    const indents = this.indents;
    let count = 0;
    for (let i = 0; i < raw.length; i++) {
      const line = raw[i];
      const indent = indentOf(line);
      // Document markers; a line starting so is never ordinary content.
      if (indent === 0 && isMarker(line)) decline();
      if (indent === line.length || line.charCodeAt(indent) === 0x23 /* # */) continue;
      rows[count] = i;
      indents[count] = indent;
      count++;
    }
  }

  document(): SimpleYaml {
    // Only blank lines and comments: the full loader's empty document.
    if (this.rows.length === 0) return { data: null, positions: this.positions };
    const indent = this.indents[0];
    const data = isSequenceEntry(this.raw[this.rows[0]], indent) ? this.sequence(indent, false) : this.mapping(indent);
    // Anything left over sits at an indent no open container accepts: an error, or legal
    // YAML this parser does not model. Either way, not ours.
    if (this.at < this.rows.length) decline();
    return { data, positions: this.positions };
  }

  /**
   * A block mapping whose keys are at column `col` (0-based). Its first key may be on a line
   * already partly read (`- key: v`); `first` is then that key and `firstEnd` where it ends,
   * parsed by the caller.
   */
  private mapping(col: number, first?: string, firstEnd = 0): RawMap {
    this.enter();
    const map: RawMap = new Map();
    const where: PackedPositions = [];
    let key = first;
    let end = firstEnd;
    do {
      const k = this.at;
      const text = this.raw[this.rows[k]];
      if (key === undefined) {
        key = this.keyAt(text, col) ?? decline();
        end = this.keyEnd;
      }
      let value: Raw;
      let line: number;
      let column: number;
      // Most entries are `key: value`, the value plain after one space: read here what
      // entryValue and scalar would, without their calls (a cold run interprets each).
      if (text.charCodeAt(end) === 0x20 && isPlainStart(text.charCodeAt(end + 1))) {
        this.count();
        value = plainValue(text, end + 1);
        line = this.rows[k] + 1;
        column = end + 2;
        this.at++;
      } else {
        value = this.entryValue(k, end, col, true);
        line = this.line;
        column = this.column;
      }
      // As the full loader does: a repeated key keeps its first place and first position,
      // and takes the last value (a Python dict's behaviour, which reclass relies on).
      if (!map.has(key)) where.push(line, column);
      map.set(key, value);
      key = undefined;
    } while (this.continues(col, false));
    this.leave();
    this.positions.push([map, where]);
    return map;
  }

  /**
   * A block sequence whose `-` are at column `col`. `atKeyIndent`: it is the value of a key
   * at the same indent (`key:\n- a`), so a line at `col` that is not an entry ends it and
   * belongs to the mapping.
   */
  private sequence(col: number, atKeyIndent: boolean): Raw[] {
    this.enter();
    const list: Raw[] = [];
    const where: PackedPositions = [];
    do {
      const k = this.at;
      if (!isSequenceEntry(this.raw[this.rows[k]], col)) decline();
      const value = this.entryValue(k, col + 1, col, false);
      where.push(this.line, this.column);
      list.push(value);
    } while (this.continues(col, atKeyIndent));
    this.leave();
    this.positions.push([list, where]);
    return list;
  }

  /** Whether the next line holds another entry of the container at `col`. */
  private continues(col: number, atKeyIndent: boolean): boolean {
    const next = this.at;
    if (next >= this.rows.length) return false;
    const indent = this.indents[next];
    if (indent < col) return false;
    // Deeper, after an entry is complete: a continued multi-line scalar or an error.
    if (indent > col) decline();
    return !atKeyIndent || isSequenceEntry(this.raw[this.rows[next]], col);
  }

  /**
   * The value of an entry whose indicator (`:` or `-`) ends just before `from` on line `k`,
   * its position left in `line` and `column`. `owner` is the container's column: a value on later
   * lines must be deeper.
   */
  private entryValue(k: number, from: number, owner: number, ofMapping: boolean): Raw {
    const text = this.raw[this.rows[k]];
    const start = skipSpaces(text, from);
    if (start === text.length || text.charCodeAt(start) === 0x23 /* # */) {
      this.at++;
      return this.valueBelow(k, start, owner, ofMapping);
    }
    const line = this.rows[k] + 1;
    let value: Raw;
    // After `- `, a compact nested sequence or mapping may start on the same line; after
    // `key: ` only a scalar can (`a: b: c` and `a: - b` are errors).
    const key = ofMapping || isSequenceEntry(text, start) ? undefined : this.keyAt(text, start);
    if (key !== undefined) value = this.mapping(start, key, this.keyEnd);
    else if (!ofMapping && isSequenceEntry(text, start)) value = this.sequence(start, false);
    else if (text[start] === '|' || text[start] === '>') value = this.blockScalar(k, start, owner);
    else {
      value = this.scalar(k, start);
      this.at++;
    }
    this.line = line;
    this.column = start + 1;
    return value;
  }

  /**
   * A block scalar whose header (`|`, `>-`, ...) starts at `start` of line `k`, in a container
   * at column `owner`; see the module comment for the subset. Leaves `at` at the first line
   * with content after it.
   */
  private blockScalar(k: number, start: number, owner: number): string {
    this.count();
    const raw = this.raw;
    const first = this.rows[k] + 1; // the line after the header
    const header = trimSpaces(raw[first - 1].slice(start));
    if (header.length > 2 || (header.length === 2 && header[1] !== '-')) decline();
    const folded = header[0] === '>';
    const strip = header.length === 2;
    if (first >= raw.length) decline();
    const indent = indentOf(raw[first]);
    if (indent === raw[first].length || indent <= owner) decline();
    const content: string[] = [];
    let end = first; // past the last line of the scalar, trailing empty lines included
    let trailing = 0; // empty lines after the last content line
    for (; end < raw.length; end++) {
      const text = raw[end];
      const spaces = indentOf(text);
      if (spaces === text.length) {
        if (spaces > indent) decline();
        trailing++;
        continue;
      }
      if (spaces < indent) break;
      const rest = text.slice(indent);
      if (folded && (rest[0] === ' ' || rest.endsWith(' '))) decline();
      for (; trailing > 0; trailing--) content.push('');
      content.push(rest);
    }
    // The text ends inside the scalar: only a final line feed gives the last line its break.
    if (end === raw.length && trailing === 0) decline();
    const last = end - trailing; // past the last content line
    while (this.at < this.rows.length && this.rows[this.at] < last) this.at++;
    let value = '';
    for (let i = 0; i < content.length; i++) {
      const piece = content[i];
      if (i > 0) value += folded ? (piece === '' || content[i - 1] === '' ? '' : ' ') : '\n';
      value += folded && piece === '' ? '\n' : piece;
    }
    return strip ? value : value + '\n';
  }

  /**
   * The value of an entry on line `k` with nothing after its indicator: a block node or a
   * one-line scalar on the following lines, or null positioned at `end` (the comment or end
   * of the entry's line). Its position is left in `line` and `column`.
   */
  private valueBelow(k: number, end: number, owner: number, ofMapping: boolean): Raw {
    const next = this.at;
    const indent = next < this.rows.length ? this.indents[next] : -1;
    if (indent > owner) {
      const text = this.raw[this.rows[next]];
      const line = this.rows[next] + 1;
      let value: Raw;
      const key = isSequenceEntry(text, indent) ? undefined : this.keyAt(text, indent);
      if (key !== undefined) value = this.mapping(indent, key, this.keyEnd);
      else if (isSequenceEntry(text, indent)) value = this.sequence(indent, false);
      else {
        // `key:\n  value`: a scalar on a line of its own. The container's next line must
        // then not be deeper than `owner` (continues() checks), so it is not multi-line.
        // The `yaml` package misreads such a scalar after a less indented comment line
        // (`a:\n#c\n  x\nb: 1` is an error to it): not ours to reproduce.
        if (this.afterComment(next)) decline();
        value = this.scalar(next, indent);
        this.at++;
      }
      this.line = line;
      this.column = indent + 1;
      return value;
    }
    if (ofMapping && indent === owner && isSequenceEntry(this.raw[this.rows[next]], owner)) {
      const line = this.rows[next] + 1;
      const value = this.sequence(owner, true);
      this.line = line;
      this.column = owner + 1;
      return value;
    }
    this.count();
    this.line = this.rows[k] + 1;
    this.column = end + 1;
    return null;
  }

  /** Whether a comment line comes between line `k` and the previous line with content. */
  private afterComment(k: number): boolean {
    const raw = this.raw;
    // Lines between two lines with content are blank or comments.
    for (let i = k > 0 ? this.rows[k - 1] + 1 : 0; i < this.rows[k]; i++) {
      if (indentOf(raw[i]) < raw[i].length) return true;
    }
    return false;
  }

  /** A one-line scalar (or flow collection) starting at `start` of line `k`, alone on the rest of it. */
  private scalar(k: number, start: number): Raw {
    this.count();
    const text = this.raw[this.rows[k]];
    const first = text[start];
    if (first === "'" || first === '"') {
      const { value, end } = quoted(text, start);
      expectLineEnd(text, end);
      return value;
    }
    if (first === '[' && text[start + 1] !== ']') return this.flowSequence(k, start);
    if (first === '[' || first === '{') return this.emptyFlow(text, start);
    return plainValue(text, start);
  }

  /** `[]` or `{}`; flow mappings with content are declined. */
  private emptyFlow(text: string, start: number): Raw {
    const empty = text[start] === '[' ? ']' : '}';
    if (text[start + 1] !== empty) decline();
    expectLineEnd(text, start + 2);
    const value: Raw[] | RawMap = empty === ']' ? [] : new Map();
    this.positions.push([value, []]);
    return value;
  }

  /** A flow sequence of one-line scalars, `[` at `start` of line `k`, `]` on the same line. */
  private flowSequence(k: number, start: number): Raw[] {
    const text = this.raw[this.rows[k]];
    const list: Raw[] = [];
    const where: PackedPositions = [];
    let at = start + 1;
    for (;;) {
      const item = skipSpaces(text, at);
      this.count();
      where.push(this.rows[k] + 1, item + 1);
      let end: number;
      if (text[item] === "'" || text[item] === '"') {
        const read = quoted(text, item);
        list.push(read.value);
        end = skipSpaces(text, read.end);
      } else {
        end = item;
        while (end < text.length && text[end] !== ',' && text[end] !== ']') end++;
        list.push(flowPlain(trimSpaces(text.slice(item, end))));
      }
      if (text[end] === ']') {
        expectLineEnd(text, end + 1);
        break;
      }
      if (text[end] !== ',') decline(); // the line ends first, or text follows a quoted item
      at = end + 1;
    }
    this.positions.push([list, where]);
    return list;
  }

  /** Line `k` at 0-based `index`, as positions count (from 1). */
  /**
   * The mapping key starting at `start`, if the text there is `key:` followed by a space or
   * the end of the line (and then `keyEnd` is set); undefined if it is a scalar instead.
   * Declines keys the full loader would not read as plain strings.
   */
  private keyAt(text: string, start: number): string | undefined {
    const first = text.charCodeAt(start);
    if (first === 0x27 /* ' */ || first === 0x22 /* " */) {
      const { value, end } = quoted(text, start);
      const colon = skipSpaces(text, end);
      if (text[colon] !== ':' || !separates(text, colon)) return undefined;
      if (colon - start > MAX_KEY_LENGTH) decline();
      this.keyEnd = colon + 1;
      return this.keys.strings.intern(value);
    }
    const comment = text.indexOf(' #', start);
    const limit = comment < 0 ? text.length : comment;
    let colon = text.indexOf(':', start);
    // separates(), written out because it runs for every key: a `:` is text unless a space or the line's end follows.
    while (colon >= 0 && colon < limit && colon + 1 < text.length && text.charCodeAt(colon + 1) !== 0x20) {
      colon = text.indexOf(':', colon + 1);
    }
    if (colon < 0 || colon >= limit) return undefined;
    if (colon - start > MAX_KEY_LENGTH) decline();
    let end = colon;
    while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
    const key = text.slice(start, end);
    this.keyEnd = colon + 1;
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    checkPlain(key);
    // Keys that type as something else (`1:`, `yes:`, `~:`) are Python non-string keys (and
    // checkPlain declines `<<` and `=`): all left to the full loader. A timestamp key is the
    // text reclass makes of it.
    const typed = resolvePlainScalar(key);
    if (typeof typed !== 'string') decline();
    const interned = this.keys.strings.intern(typed);
    this.keys.set(key, interned);
    return interned;
  }

  private enter(): void {
    this.count();
    if (++this.depth > MAX_DEPTH) decline();
  }

  private leave(): void {
    this.depth--;
  }

  private count(): void {
    if (++this.values > MAX_VALUES) decline();
  }
}

/** Anything but a space: where indentation ends. */
const NOT_SPACE = /[^ ]/;

/**
 * How many spaces `line` starts with. One regexp search, not a loop over the spaces: in the
 * interpreter a cold run uses, the loop's call to charCodeAt for each space made finding
 * every line's indentation a large part of parsing a file.
 */
function indentOf(line: string): number {
  const end = line.search(NOT_SPACE);
  return end < 0 ? line.length : end;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 0x20) i++;
  return i;
}

/** Removes trailing spaces only: String#trimEnd would also remove no-break and other spaces. */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(0, end);
}

/** `-` followed by a space or the end of the line, at `col`. */
function isSequenceEntry(text: string, col: number): boolean {
  return text[col] === '-' && (col + 1 === text.length || text[col + 1] === ' ');
}

/** Only spaces, then nothing or a comment, may follow a complete value. */
function expectLineEnd(text: string, from: number): void {
  const i = skipSpaces(text, from);
  if (i === text.length) return;
  // A comment needs whitespace before its `#`; `'a'#b` is an error.
  if (text[i] === '#' && i > from) return;
  decline();
}

/** A `:` that separates a key from its value: followed by a space or the end of the line. */
function separates(text: string, colon: number): boolean {
  return colon + 1 === text.length || text[colon + 1] === ' ';
}

/** A plain scalar value: the rest of the line up to a comment, typed as YAML 1.1 types it. */
function plainValue(text: string, start: number): Raw {
  const comment = text.indexOf(' #', start);
  let end = comment < 0 ? text.length : comment;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  // `: ` or a final `:` would make it a key: `a: b: c` is an error.
  const pair = text.indexOf(': ', start);
  if ((pair >= 0 && pair + 2 <= end) || text.charCodeAt(end - 1) === 0x3a) decline();
  const raw = text.slice(start, end);
  checkPlain(raw);
  return resolvePlainScalar(raw);
}

/**
 * A plain item of a flow sequence. Empty (`[a,,b]`, `[a, ]`), or holding `:` (a pair), `#` (a
 * comment, after a space), brackets or braces (nesting): left to the full loader.
 */
function flowPlain(raw: string): Raw {
  if (/[:#[\]{}]/.test(raw)) decline();
  checkPlain(raw);
  return resolvePlainScalar(raw);
}

/**
 * Declines text that cannot be, or is not only, a one-line plain scalar, or that means
 * something of its own as one: `<<` (a merge key) and `=` (the YAML 1.1 value key, which the
 * full loader rejects).
 */
function checkPlain(raw: string): void {
  if (isPlainStart(raw.charCodeAt(0))) return;
  if (raw === '' || raw === '=' || raw === '<<') decline();
  const first = raw[0];
  // `-x` is a plain scalar, `- x` a sequence entry; `?x` and `:x` are legal but rare.
  if (INDICATORS.has(first) && !(first === '-' && raw.length > 1 && raw[1] !== ' ')) decline();
  if (isMarker(raw)) decline();
}

/**
 * A letter, a digit, `$`, `/` or `_`: what most plain scalars start with. None of them is an
 * indicator or starts a document marker, `=` or `<<`, so checkPlain has nothing to check.
 */
function isPlainStart(code: number): boolean {
  const lower = code | 0x20; // a letter's lower case
  return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x2f && code <= 0x39) || code === 0x24 || code === 0x5f;
}

/** Text that starts with a document marker (`---` or `...`). */
function isMarker(text: string): boolean {
  const first = text.charCodeAt(0);
  return (first === 0x2d || first === 0x2e) && (text.startsWith('---') || text.startsWith('...'));
}

/**
 * The escapes of a double-quoted scalar that the fast path reads (a shell command's `\\;`, a
 * quote inside quotes, a line break or tab in a template); the others, and a backslash at the
 * end of a line (the scalar continues), are left to the full loader.
 */
const SIMPLE_ESCAPES = new Map([
  ['\\', '\\'],
  ['"', '"'],
  ['n', '\n'],
  ['t', '\t'],
]);

/** A one-line double-quoted scalar starting at `start`: its value and the index past its closing quote. */
function doubleQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) decline(); // continues on the next line
    const escape = text.indexOf('\\', from);
    if (escape < 0 || escape > quote) return { value: value + text.slice(from, quote), end: quote + 1 };
    const replacement = SIMPLE_ESCAPES.get(text[escape + 1]);
    if (replacement === undefined) decline();
    value += text.slice(from, escape) + replacement;
    from = escape + 2;
  }
}

/** A one-line quoted scalar starting at `start`: its value and the index past its closing quote. */
function quoted(text: string, start: number): { value: string; end: number } {
  if (text[start] === '"') return doubleQuoted(text, start);
  let value = '';
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote < 0) decline();
    value += text.slice(from, quote);
    if (text[quote + 1] !== "'") return { value, end: quote + 1 };
    value += "'"; // '' is an escaped quote
    from = quote + 2;
  }
}
