/**
 * Node generation as salt-formula-reclass's `reclass.storage.node` state does it.
 *
 * MCP models do not write most node files by hand: the config node (cfg01) carries a
 * `reclass:storage:node` mapping, one entry per node or per group of repeated nodes, and
 * the formula renders each entry into `nodes/_generated/NAME.DOMAIN.yml` with
 *
 * ```yaml
 * classes: <entry.classes>
 * parameters:
 *   _param: <entry.params, then the repeat params of this copy>
 *   linux:
 *     system:
 *       name: NAME
 *       domain: DOMAIN
 * ```
 *
 * For an entry with `repeat: {count, start = 1, digits = 1, params}` the state emits `count`
 * copies; copy `i` (0-based) replaces every occurrence of the replace symbol (`<<count>>`,
 * the formula's `repeat_replace_symbol`) in `name` by `start + i` left-padded with zeros to
 * `digits`, and adds each `repeat.params.P` as `_param.P`: `P.value` with the symbol replaced
 * by `P.start (default 1) + i` padded to `P.digits (default 1)`. As in the formula:
 * - only `name` and `repeat.params.*.value` are substituted; `params`, `classes` and `domain`
 *   are copied as they are (a `<<count>>` there stays literal);
 * - `repeat.params` win over `params` of the same name;
 * - an entry without `repeat` is named by its `name`, or by its key when `name` is absent;
 * - there is no `enabled` switch: every entry is generated.
 *
 * Where the formula's text templating would re-type values (it writes `{{ value }}` unquoted,
 * so a padded `05` came back as an integer), the documents here keep the values' types, and
 * {@link formatGeneratedNode} quotes whatever YAML 1.1 would otherwise re-type.
 *
 * Input errors the formula would only hit half-way through a highstate (an entry that is not
 * a mapping, no domain, a non-integer count, two entries generating the same file) are
 * reported up front as {@link ReclassNetError}s of kind `MappingFormatError`.
 */
import { ReclassNetError } from '../errors.js';
import type { Value, ValueMap } from '../types.js';
import { yamlPackage } from './yaml.js';

/** One file to write below `nodes/_generated/`. */
export interface GeneratedNodeFile {
  /** `NAME.DOMAIN.yml`, relative to `nodes/_generated/`. */
  fileName: string;
  document: ValueMap;
}

export interface GenerateNodeOptions {
  /** The formula's `reclass:storage:repeat_replace_symbol`; default `<<count>>`. */
  replaceSymbol?: string;
}

/** The symbol salt-formula-reclass models use for the copy number. */
const DEFAULT_REPLACE_SYMBOL = '<<count>>';

const STORAGE_PATH = 'reclass:storage:node';

/**
 * Expands a node's resolved `reclass:storage:node` value into the node files the formula
 * would write, sorted by file name. Pure: reads nothing, writes nothing, does not modify
 * its input. `null` or an absent mapping yields no files.
 * @example
 * const cfg = await inv.node('cfg01');
 * const files = generateNodeFiles((cfg.parameters.reclass as any).storage.node);
 * for (const f of files) console.log(f.fileName); // e.g. cmp01.mcp-lab.local.yml
 */
export function generateNodeFiles(storageNodes: Value, options: GenerateNodeOptions = {}): GeneratedNodeFile[] {
  const symbol = options.replaceSymbol ?? DEFAULT_REPLACE_SYMBOL;
  if (symbol === '') fail('the repeat replace symbol must not be empty', STORAGE_PATH);
  if (storageNodes === null || storageNodes === undefined) return [];
  if (!isMap(storageNodes)) fail(`expected a mapping of node entries, got ${describe(storageNodes)}`, STORAGE_PATH);

  const files = new Map<string, { key: string; document: ValueMap }>();
  const add = (key: string, name: string, domain: string, document: ValueMap): void => {
    const fileName = `${name}.${domain}.yml`;
    const previous = files.get(fileName);
    if (previous) {
      fail(`entries ${previous.key} and ${key} both generate ${fileName}`, `${STORAGE_PATH}:${key}`);
    }
    files.set(fileName, { key, document });
  };

  for (const key of Object.keys(storageNodes).sort()) {
    const entry = storageNodes[key];
    const path = `${STORAGE_PATH}:${key}`;
    if (!isMap(entry)) fail(`a node entry must be a mapping, got ${describe(entry)}`, path);

    const domain = requireString(entry, 'domain', path);
    checkName(domain, path, 'domain');
    const classes = readClasses(entry, path);
    const params = readParams(entry, path);

    if (!('repeat' in entry)) {
      const name = 'name' in entry ? requireString(entry, 'name', path) : key;
      checkName(name, path);
      add(key, name, domain, nodeDocument(classes, params, {}, name, domain));
      continue;
    }

    const repeat = entry.repeat;
    if (!isMap(repeat)) fail(`repeat must be a mapping, got ${describe(repeat)}`, `${path}:repeat`);
    const template = requireString(entry, 'name', path);
    const count = readInteger(repeat, 'count', undefined, `${path}:repeat`);
    if (count < 0) fail(`repeat count must not be negative, got ${count}`, `${path}:repeat:count`);
    const start = readInteger(repeat, 'start', 1, `${path}:repeat`);
    const digits = readInteger(repeat, 'digits', 1, `${path}:repeat`);
    const repeatParams = readRepeatParams(repeat, `${path}:repeat`);

    for (let i = 0; i < count; i += 1) {
      const name = template.split(symbol).join(pad(start + i, digits));
      checkName(name, path);
      const extra: ValueMap = {};
      for (const p of repeatParams) {
        extra[p.name] = p.value.split(symbol).join(pad(p.start + i, p.digits));
      }
      add(key, name, domain, nodeDocument(classes, params, extra, name, domain));
    }
  }

  return [...files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([fileName, file]) => ({ fileName, document: file.document }));
}

/**
 * The YAML text of a generated node file: keys in the order the formula writes them
 * (`classes`, then `parameters` with `_param` and `linux:system:{name, domain}`), `_param`
 * keys sorted, block style, sequences not indented (as the formula's template writes them),
 * and strings quoted wherever a YAML 1.1 reader such as reclass's PyYAML would re-type them
 * (`yes`, `010`, `1:30`). Deterministic: the same document always gives the same text.
 * @example
 * for (const { fileName, document } of generateNodeFiles(declared)) {
 *   await writeFile(`nodes/_generated/${fileName}`, formatGeneratedNode(document));
 * }
 */
export function formatGeneratedNode(document: ValueMap): string {
  // The `yaml` package is loaded on demand: the CLI imports this module on every run.
  const doc = new (yamlPackage().Document)(document, { version: '1.1' });
  return doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

function nodeDocument(
  classes: Value[],
  params: ValueMap | undefined,
  extra: ValueMap,
  name: string,
  domain: string,
): ValueMap {
  const parameters: ValueMap = {};
  if (params !== undefined || Object.keys(extra).length > 0) {
    const merged: ValueMap = { ...(params ?? {}), ...extra };
    const sorted: ValueMap = {};
    for (const [k, v] of Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      sorted[k] = structuredClone(v);
    }
    parameters._param = sorted;
  }
  parameters.linux = { system: { name, domain } };
  return { classes: structuredClone(classes), parameters };
}

function readClasses(entry: ValueMap, path: string): Value[] {
  const classes = entry.classes;
  if (classes === undefined || classes === null) return [];
  if (!Array.isArray(classes)) fail(`classes must be a list, got ${describe(classes)}`, `${path}:classes`);
  classes.forEach((c, i) => {
    if (typeof c !== 'string' || c === '')
      fail(`class names must be non-empty strings, got ${describe(c)}`, `${path}:classes:${i}`);
  });
  return classes;
}

function readParams(entry: ValueMap, path: string): ValueMap | undefined {
  const params = entry.params;
  if (params === undefined || params === null) return undefined;
  if (!isMap(params)) fail(`params must be a mapping, got ${describe(params)}`, `${path}:params`);
  return params;
}

interface RepeatParam {
  name: string;
  value: string;
  start: number;
  digits: number;
}

function readRepeatParams(repeat: ValueMap, path: string): RepeatParam[] {
  const params = repeat.params;
  if (params === undefined || params === null) return [];
  if (!isMap(params)) fail(`repeat params must be a mapping, got ${describe(params)}`, `${path}:params`);
  return Object.keys(params)
    .sort()
    .map((name) => {
      const p = params[name];
      const ppath = `${path}:params:${name}`;
      if (!isMap(p)) fail(`a repeat param must be a mapping with a value, got ${describe(p)}`, ppath);
      const raw = p.value;
      if (raw === undefined || raw === null || typeof raw === 'object') {
        fail(`a repeat param needs a scalar value, got ${describe(raw)}`, `${ppath}:value`);
      }
      // Jinja's replace filter works on the value's text, so numbers and booleans become text.
      const value = typeof raw === 'boolean' ? (raw ? 'True' : 'False') : String(raw);
      return { name, value, start: readInteger(p, 'start', 1, ppath), digits: readInteger(p, 'digits', 1, ppath) };
    });
}

function readInteger(map: ValueMap, key: string, fallback: number | undefined, path: string): number {
  const v = map[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) fail(`${key} is required`, `${path}:${key}`);
    return fallback;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    fail(`${key} must be an integer, got ${describe(v)}`, `${path}:${key}`);
  return v;
}

function requireString(map: ValueMap, key: string, path: string): string {
  const v = map[key];
  if (typeof v === 'string' && v !== '') return v;
  // YAML gives numbers for names like `01`; the formula would print them, so accept them.
  if (typeof v === 'number' && key === 'name') return String(v);
  fail(`${key} must be a non-empty string, got ${describe(v)}`, `${path}:${key}`);
}

function checkName(name: string, path: string, key = 'name'): void {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (name.includes('/') || name === '.' || name === '..' || /[\s\u0000-\u001f\u007f]/.test(name)) {
    fail(`generated node ${key} ${JSON.stringify(name)} cannot be part of a file name`, `${path}:${key}`);
  }
}

/** Python's `str(n).rjust(digits, '0')`, as the formula computes it: pads, never truncates. */
function pad(n: number, digits: number): string {
  return String(n).padStart(digits, '0');
}

function isMap(v: Value | undefined): v is ValueMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: Value | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function fail(detail: string, path: string): never {
  throw new ReclassNetError('MappingFormatError', detail, { path });
}
