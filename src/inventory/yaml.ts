/**
 * YAML as PyYAML's SafeLoader reads it (YAML 1.1 scalars, last duplicate key wins, merge
 * keys), because reclass reads models that way and real MCP models depend on it. The
 * `yaml` package parses to nodes with positions; scalars are typed by PyYAML's own
 * implicit resolver table (scalars.ts), applied to plain scalars only.
 *
 * Most model files are simple enough for fast-yaml.ts, which reads them several times
 * faster and gives the same result; only the rest go through the `yaml` package, which is
 * then loaded on first use so that runs that never need it do not pay for importing it.
 */
import { createRequire } from 'node:module';
import type * as YamlPackage from 'yaml';
import type { Node as YamlNode, Document, LineCounter, Scalar } from 'yaml';
import { ReclassNetError } from '../errors.js';
import { loadSimpleYaml, type PackedPositions, type PlainKeys } from './fast-yaml.js';
import { DEFAULT_LIMITS, limitError, type Limits } from '../resolve/limits.js';
import { PyFloat, PyKey } from '../resolve/pyvalue.js';
import {
  BOOL,
  constructFloat,
  constructInt,
  FLOAT,
  INT,
  resolvePlainScalar,
  TIMESTAMP,
  timestampText,
  type Position,
  type Raw,
  type RawMap,
} from './scalars.js';

export { resolvePlainScalar, timestampText, type Position, type Raw, type RawMap };

const TAG = 'tag:yaml.org,2002:';

let yamlModule: typeof YamlPackage | undefined;

/**
 * The `yaml` package, imported on first use (it ships CommonJS, so this is synchronous):
 * a `reclass-net node` run whose files all take the fast path never loads it.
 */
export function yamlPackage(): typeof YamlPackage {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof YamlPackage);
}

/** The `yaml` package's `stringify`, without importing the package until it is called. */
export function yamlStringify(value: unknown, options?: YamlStringifyOptions): string {
  return yamlPackage().stringify(value, options);
}

type YamlStringifyOptions = YamlPackage.DocumentOptions &
  YamlPackage.SchemaOptions &
  YamlPackage.CreateNodeOptions &
  YamlPackage.ToStringOptions;

/**
 * Where each entry of a loaded mapping or sequence starts, in entry order (PackedPositions;
 * line 0 for an entry without one): a property of the container rather than a WeakMap
 * entry. A thousand node files make a few thousand containers, read once and dropped;
 * inserting each into a WeakMap, and the collector's work on those entries, was a tenth of
 * loading them.
 */
const POSITIONS = Symbol('positions');

type WithPositions = { [POSITIONS]?: PackedPositions };

function setPositions(container: object, where: PackedPositions): void {
  (container as WithPositions)[POSITIONS] = where;
}

/** The full loader's positions by key or index, packed in the container's entry order. */
function packed(container: RawMap | Raw[], where: Map<string | number, Position>): PackedPositions {
  const out: PackedPositions = [];
  for (const key of container.keys()) {
    const pos = where.get(key);
    out.push(pos ? pos.line : 0, pos ? pos.column : 0);
  }
  return out;
}

/**
 * The position of the entry at `index` (in the order a Map or array keeps its entries) of
 * `container` in its file, if it was loaded from YAML.
 */
export function positionAt(container: object, index: number): Position | undefined {
  const where = (container as WithPositions)[POSITIONS];
  if (where === undefined || 2 * index + 1 >= where.length) return undefined;
  const line = where[2 * index];
  return line === 0 ? undefined : { line, column: where[2 * index + 1] };
}

/** The position of `container[key]` in its file, if it was loaded from YAML. For errors: a
 * mapping's key is found by walking its keys (resolving walks entries by index, positionAt). */
export function positionOf(container: object, key: string | number): Position | undefined {
  if (Array.isArray(container)) return typeof key === 'number' ? positionAt(container, key) : undefined;
  if (!(container instanceof Map)) return undefined;
  let index = 0;
  for (const k of container.keys()) {
    if (k === key) return positionAt(container, index);
    index++;
  }
  return undefined;
}

/** Aliases let a few lines expand to gigabytes; no real model comes near this many values. */
const MAX_EXPANDED_VALUES = 2_000_000;

/**
 * Deeper data would overflow the stack somewhere downstream (merging, interpolation, output
 * are recursive). PyYAML, and so reclass, fails with a RecursionError below 500 levels, so no
 * model that works with reclass is refused; every stage of reclass-net handles this depth.
 */
const MAX_NESTING_DEPTH = 500;

/** A mapping key as PyYAML builds it: strings stay strings, other scalars stay typed. */
function mappingKey(key: Raw): string | PyKey {
  if (typeof key === 'string') return key;
  if (
    key === null ||
    typeof key === 'boolean' ||
    typeof key === 'number' ||
    typeof key === 'bigint' ||
    key instanceof PyFloat
  ) {
    return new PyKey(key);
  }
  throw new Error('unhashable');
}

/**
 * Sets `key` in a mapping being built as a Python dict would: keys equal in Python
 * (`1`, `1.0`, `true`) are one entry, spelled like the first, holding the last value.
 * Typed keys are stored as PyKey objects in a Map declared with string keys: everything
 * that reads keys goes through keyText().
 */
function setKey(map: RawMap, folded: Map<string, string | PyKey>, key: string | PyKey, value: Raw): string | PyKey {
  const fold = typeof key === 'string' ? 's:' + key : key.foldKey();
  const existing = folded.get(fold);
  const stored = existing ?? key;
  if (!existing) folded.set(fold, key);
  map.set(stored as string, value);
  return stored;
}

class Constructor {
  private readonly yaml = yamlPackage();
  private readonly built = new Map<YamlNode, Raw>();
  private expanded = 0;
  private constructed = 0;
  private depth = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly file: string,
    private readonly maxValues: number,
  ) {}

  position(node: YamlNode | null | undefined): Position | undefined {
    if (!node?.range) return undefined;
    const { line, col } = this.lines.linePos(node.range[0]);
    return { line, column: col };
  }

  fail(message: string, node?: YamlNode | null): never {
    const pos = this.position(node);
    throw new ReclassNetError('YamlError', message, {
      location: { file: this.file, line: pos?.line ?? 0, column: pos?.column ?? 0 },
    });
  }

  construct(node: YamlNode | null | undefined): Raw {
    if (!node) return null;
    if (this.yaml.isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) this.fail(`unknown alias *${node.source}`, node);
      return this.construct(target);
    }
    // An anchored node referenced again yields the same object, as in PyYAML; the expansion
    // count still grows with every use so that alias bombs are caught.
    const known = this.built.get(node);
    if (known !== undefined) {
      this.expanded += expandedSize(known);
      if (this.expanded > MAX_EXPANDED_VALUES) {
        this.fail(`aliases expand to more than ${MAX_EXPANDED_VALUES} values (an alias bomb?)`, node);
      }
      return known;
    }
    if (++this.depth > MAX_NESTING_DEPTH) {
      this.fail(`the data nests more than ${MAX_NESTING_DEPTH} levels deep`, node);
    }
    const value = this.constructNew(node);
    this.depth--;
    if (value !== null && typeof value === 'object') this.built.set(node, value);
    if (++this.expanded > MAX_EXPANDED_VALUES) {
      this.fail(`more than ${MAX_EXPANDED_VALUES} values in one file`, node);
    }
    if (++this.constructed > this.maxValues) {
      const pos = this.position(node);
      throw limitError(`more than ${this.maxValues} values in one file`, 'max_yaml_values', this.maxValues, {
        location: { file: this.file, line: pos?.line ?? 0, column: pos?.column ?? 0 },
      });
    }
    return value;
  }

  private constructNew(node: YamlNode): Raw {
    const tag = node.tag;
    if (this.yaml.isScalar(node)) return this.scalar(node, tag);
    if (this.yaml.isSeq(node)) {
      if (tag && tag !== TAG + 'seq' && tag !== '!') {
        if (tag === TAG + 'omap' || tag === TAG + 'pairs') return this.pairs(node);
        this.fail(`could not determine a constructor for the tag '${tag}'`, node);
      }
      const list: Raw[] = [];
      const where = new Map<number, Position>();
      node.items.forEach((item, i) => {
        list.push(this.construct(item as YamlNode));
        const pos = this.position(item as YamlNode);
        if (pos) where.set(i, pos);
      });
      setPositions(list, packed(list, where));
      return list;
    }
    if (this.yaml.isMap(node)) {
      if (tag && tag !== TAG + 'map' && tag !== TAG + 'set' && tag !== '!') {
        this.fail(`could not determine a constructor for the tag '${tag}'`, node);
      }
      return this.mapping(node, tag === TAG + 'set');
    }
    this.fail('unsupported YAML node', node);
  }

  private scalar(node: Scalar, tag: string | undefined): Raw {
    // The failsafe schema the parser runs with leaves every scalar a string.
    const text = (node.value ?? '') as string;
    if (!tag || tag === '!') {
      if (node.type === this.yaml.Scalar.PLAIN && !tag) {
        if (text === '=') this.fail("could not determine a constructor for the tag 'tag:yaml.org,2002:value'", node);
        if (text === '<<') return text;
        return resolvePlainScalar(text);
      }
      return text;
    }
    switch (tag) {
      case TAG + 'str':
        return text;
      case TAG + 'null':
        return null;
      case TAG + 'bool':
        if (BOOL.test(text)) return /^(?:yes|true|on)$/i.test(text);
        break;
      case TAG + 'int':
        if (INT.test(text)) return constructInt(text);
        break;
      case TAG + 'float':
        if (FLOAT.test(text) || INT.test(text)) return constructFloat(text.includes('.') ? text : `${text}.0`);
        break;
      case TAG + 'timestamp':
        if (TIMESTAMP.test(text)) return timestampText(text);
        break;
      case TAG + 'binary':
        return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('latin1');
      default:
        this.fail(`could not determine a constructor for the tag '${tag}'`, node);
    }
    this.fail(`invalid value for tag '${tag}': ${text}`, node);
  }

  private pairs(node: YamlNode & { items: unknown[] }): Raw {
    return node.items.map((item) => this.construct(item as YamlNode));
  }

  private mapping(node: YamlNode & { items: Array<{ key: unknown; value: unknown }> }, isSet: boolean): RawMap {
    const map: RawMap = new Map();
    const folded = new Map<string, string | PyKey>();
    const where = new Map<string | number, Position>();
    const merged: RawMap[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      if (
        this.yaml.isScalar(keyNode) &&
        keyNode.type === this.yaml.Scalar.PLAIN &&
        !keyNode.tag &&
        keyNode.value === '<<'
      ) {
        merged.push(...this.mergeSources(pair.value as YamlNode));
        continue;
      }
      const rawKey = this.construct(keyNode);
      let key: string | PyKey;
      try {
        key = mappingKey(rawKey);
      } catch {
        this.fail('found unhashable key (a list or mapping used as a mapping key)', keyNode);
      }
      const stored = setKey(map, folded, key, isSet ? null : this.construct(pair.value as YamlNode));
      const pos = this.position((pair.value as YamlNode | null) ?? keyNode);
      if (pos && !where.has(stored as string)) where.set(stored as string, pos);
    }
    if (merged.length === 0) {
      setPositions(map, packed(map, where));
      return map;
    }
    // PyYAML's flatten_mapping: merged keys first, earlier merge sources win, explicit keys last.
    const result: RawMap = new Map();
    const resultFolded = new Map<string, string | PyKey>();
    const resultWhere = new Map<string | number, Position>();
    const take = (source: RawMap, k: string, index: number) => {
      const stored = setKey(result, resultFolded, k, source.get(k) as Raw);
      const pos = positionAt(source, index);
      if (pos) resultWhere.set(stored as string, pos);
    };
    const takeAll = (source: RawMap) => {
      let index = 0;
      for (const k of source.keys()) take(source, k, index++);
    };
    for (const source of merged.reverse()) takeAll(source);
    takeAll(map);
    setPositions(result, packed(result, resultWhere));
    return result;
  }

  private mergeSources(node: YamlNode): RawMap[] {
    const value = this.construct(node);
    if (value instanceof Map) return [value];
    if (Array.isArray(value) && value.every((v) => v instanceof Map)) return value;
    this.fail('expected a mapping or list of mappings for merging', node);
  }
}

function expandedSize(value: Raw, seen = new Map<object, number>()): number {
  if (value === null || typeof value !== 'object' || value instanceof PyFloat) return 1;
  const known = seen.get(value);
  if (known !== undefined) return known;
  let total = 1;
  const children = value instanceof Map ? value.values() : value.values();
  for (const child of children) total += expandedSize(child, seen);
  seen.set(value, total);
  return total;
}

/**
 * Parses one YAML document as PyYAML's `yaml.safe_load` would. An empty file is `null`.
 * Throws a `YamlError` naming the file, line and column. Texts in the simple subset that
 * fast-yaml.ts reads take that path; the result is the same either way. Callers reading
 * many files of one model pass one `keys` table for them all (see PlainKeys).
 */
export function loadYaml(text: string, file: string, limits: Limits = DEFAULT_LIMITS, keys?: PlainKeys): Raw {
  const simple = loadSimpleYaml(text, keys);
  if (!simple) return loadYamlFully(text, file, limits);
  // The fast path needs little memory per value; its count is only checked here, per container.
  // Indexed, not `for (const [container, where] of ...)`: a cold run interprets this loop,
  // and destructuring each pair made an iterator and a result object per step.
  let values = 0;
  const positions = simple.positions;
  for (let i = 0; i < positions.length; i++) {
    const entry = positions[i];
    setPositions(entry[0], entry[1]);
    values += 1 + entry[1].length / 2;
  }
  if (values > limits.max_yaml_values) {
    throw limitError(
      `more than ${limits.max_yaml_values} values in one file`,
      'max_yaml_values',
      limits.max_yaml_values,
      {
        location: { file, line: 1, column: 1 },
      },
    );
  }
  return simple.data;
}

/**
 * `loadYaml` without the fast path: any YAML, with the `yaml` package. Exported so that
 * tests can hold the fast path to it.
 */
export function loadYamlFully(text: string, file: string, limits: Limits = DEFAULT_LIMITS): Raw {
  const yaml = yamlPackage();
  if (text.length > PRECOUNT_ABOVE) precountValues(text, file, limits.max_yaml_values);
  const lines = new yaml.LineCounter();
  let docs;
  try {
    docs = yaml.parseAllDocuments(text, {
      version: '1.1',
      schema: 'failsafe',
      uniqueKeys: false,
      merge: false,
      lineCounter: lines,
      prettyErrors: false,
      strict: false,
    });
  } catch (e) {
    // The parser reports most stack overflows as document errors; this catches the rest.
    if (e instanceof RangeError) throw tooDeep(file, 0, 0);
    throw e;
  }
  const list = Array.isArray(docs) ? docs : [];
  const firstError = list.flatMap((d) => d.errors)[0];
  if (firstError) {
    const pos = lines.linePos(firstError.pos[0]);
    // The parser catches its own stack overflow on deep nesting and reports it as this code.
    if (firstError.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(firstError.message)) {
      throw tooDeep(file, pos.line, pos.col);
    }
    const reason = firstError.message.split('\n')[0];
    throw new ReclassNetError('YamlError', `invalid YAML: ${reason}`, {
      location: { file, line: pos?.line ?? 0, column: pos?.col ?? 0 },
    });
  }
  if (list.length === 0) return null;
  if (list.length > 1) {
    const second = list[1].contents;
    const pos = second?.range ? lines.linePos(second.range[0]) : undefined;
    throw new ReclassNetError('YamlError', 'expected a single document in the file, found several', {
      location: { file, line: pos?.line ?? 0, column: pos?.col ?? 0 },
    });
  }
  return new Constructor(list[0], lines, file, limits.max_yaml_values).construct(list[0].contents);
}

/**
 * Texts longer than this are counted before they are parsed. The `yaml` package's parser
 * needs about 1.7 KB and 10 µs per value, so a few megabytes of flow list took gigabytes
 * before the constructor's count could refuse them, and 20 MB ended in an out-of-memory
 * abort. Its lexer needs next to no memory and a tenth of the time, and stops at the limit.
 */
const PRECOUNT_ABOVE = 64 * 1024;

/** The lexer's mark before every scalar's source. */
const SCALAR_TOKEN = '\x1f';

function precountValues(text: string, file: string, maxValues: number): void {
  let scalars = 0;
  let offset = 0;
  for (const token of new (yamlPackage().Lexer)().lex(text)) {
    if (token === SCALAR_TOKEN && ++scalars > maxValues) {
      // The position is where the lexer got to, for the message: a line count of what was read.
      let line = 1;
      for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
      throw limitError(`more than ${maxValues} values in one file`, 'max_yaml_values', maxValues, {
        location: { file, line, column: 0 },
      });
    }
    if (token.charCodeAt(0) > 0x1f) offset += token.length;
  }
}

function tooDeep(file: string, line: number, column: number): ReclassNetError {
  return new ReclassNetError(
    'YamlError',
    `the data nests too deeply to read (the limit is ${MAX_NESTING_DEPTH} levels)`,
    {
      location: { file, line, column },
    },
  );
}
