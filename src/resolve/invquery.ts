/**
 * `$[ ... ]` inventory queries (reclass/values/invitem.py): a value or a test over every
 * node's exports. The expression grammar is reclass's pyparsing grammar, token for token.
 */
import { ReclassNetError } from '../errors.js';
import { expandTabs } from './parser.js';
import { pyEquals } from './pyvalue.js';
import type { Settings } from './settings.js';
import { getPath, PathLookupError, type PathPart } from './dictpath.js';
import { deepCopy, ResolveFailure } from './failure.js';

/** What one node offers to queries: its exports and whether its environment matches. */
export interface NodeInventory {
  items: Map<string, unknown>;
  envMatches: boolean;
}

type Operand = { tag: 'OBJ'; value: string | number } | { tag: string; value: string };

const WHITESPACE = ' \t\n\r';
const PRINTABLE = (ch: string) => ch > ' ' && ch <= '~';

/** A cursor over the expression with pyparsing's whitespace skipping. */
class Scanner {
  pos = 0;
  constructor(readonly text: string) {}
  skip(): void {
    while (this.pos < this.text.length && WHITESPACE.includes(this.text[this.pos])) this.pos++;
  }
  caseless(lit: string): boolean {
    this.skip();
    if (this.text.slice(this.pos, this.pos + lit.length).toUpperCase() === lit.toUpperCase()) {
      this.pos += lit.length;
      return true;
    }
    return false;
  }
  literal(lit: string): boolean {
    this.skip();
    if (this.text.startsWith(lit, this.pos)) {
      this.pos += lit.length;
      return true;
    }
    return false;
  }
  word(): string | null {
    this.skip();
    let end = this.pos;
    while (end < this.text.length && PRINTABLE(this.text[end])) end++;
    if (end === this.pos) return null;
    const w = this.text.slice(this.pos, end);
    this.pos = end;
    return w;
  }
  atEnd(): boolean {
    this.skip();
    return this.pos >= this.text.length;
  }
  /** integer | real | obj, as pyparsing tries them. */
  exprItem(): Operand | null {
    this.skip();
    const rest = this.text.slice(this.pos);
    const int = /^-?\d+/.exec(rest);
    if (int) {
      const next = rest[int[0].length];
      if (next === undefined || !PRINTABLE(next)) {
        this.pos += int[0].length;
        return { tag: 'OBJ', value: Number(int[0]) };
      }
    }
    const real = /^-?(?:\d+\.\d+|\.\d+|\d+\.)/.exec(rest);
    if (real) {
      this.pos += real[0].length;
      return { tag: 'OBJ', value: Number(real[0]) };
    }
    const w = this.word();
    return w === null ? null : { tag: 'OBJ', value: w };
  }
}

function parseTest(s: Scanner, out: Operand[]): boolean {
  const left = s.exprItem();
  if (!left) return false;
  let op: string | null = null;
  if (s.literal('==')) op = '==';
  else if (s.literal('!=')) op = '!=';
  if (!op) return false;
  const right = s.exprItem();
  if (!right) return false;
  out.push(left, { tag: 'TEST', value: op }, right);
  return true;
}

/** test, then (and|or test)*, then the end of the text; false if that does not parse. */
function parseTests(s: Scanner, out: Operand[]): boolean {
  if (!parseTest(s, out)) return false;
  for (;;) {
    const save = s.pos;
    const mark = out.length;
    let logical: string | null = null;
    if (s.caseless('AND')) logical = 'AND';
    else if (s.caseless('OR')) logical = 'OR';
    if (!logical) break;
    out.push({ tag: 'LOGICAL', value: logical });
    if (!parseTest(s, out)) {
      s.pos = save;
      out.length = mark;
      break;
    }
  }
  return s.atEnd();
}

class EqualityTest {
  exportPath: PathPart[];
  parameterPath: PathPart[] | null = null;
  parameterValue: unknown = null;
  compare: (a: unknown, b: unknown) => boolean;
  refs: string[] = [];

  constructor(left: Operand, op: string, right: Operand, settings: Settings) {
    const { delimiter, keyTables } = settings;
    let exportPath: PathPart[] | null = null;
    const classify = (operand: Operand) => {
      const v = operand.value;
      if (typeof v !== 'string') {
        this.parameterValue = v;
        return;
      }
      const path = keyTables.splitPath(v, delimiter);
      const head = String(path[0]).toLowerCase();
      if (head === 'exports') exportPath = path;
      else if (head === 'self') this.parameterPath = path;
      else if (head === 'true') this.parameterValue = true;
      else if (head === 'false') this.parameterValue = false;
      else this.parameterValue = v;
    };
    classify(left);
    classify(right);
    if (!exportPath) throw new ReclassNetError('ExpressionError', 'expression error: no export');
    this.exportPath = (exportPath as PathPart[]).slice(1);
    this.compare = op === '==' ? pyEquals : (a, b) => !pyEquals(a, b);
    if (this.parameterPath) {
      this.parameterPath = this.parameterPath.slice(1);
      this.refs = [this.parameterPath.join(delimiter)];
    }
  }

  value(context: unknown, items: Map<string, unknown>): boolean {
    if (this.parameterPath) this.parameterValue = resolve(this.parameterPath, context);
    if (this.parameterValue === null || this.parameterValue === undefined) {
      throw new ReclassNetError('ExpressionError', 'expression error: failed to render the test');
    }
    if (existsIn(this.exportPath, items)) return this.compare(resolve(this.exportPath, items), this.parameterValue);
    return false;
  }
}

function resolve(path: PathPart[], data: unknown): unknown {
  try {
    return getPath(data, path);
  } catch (e) {
    // A ResolveFailure, so that interpolation groups it with the node's other ResolveErrors.
    if (e instanceof PathLookupError) throw new ResolveFailure(path.join(':'));
    throw e;
  }
}

/** reclass's DictPath.exists_in, including its odd handling of lists. */
function existsIn(parts: PathPart[], container: unknown): boolean {
  let item = container;
  for (const part of parts) {
    if (item instanceof Map) {
      if (!item.has(String(part))) return false;
      item = item.get(String(part));
    } else if (Array.isArray(item)) {
      if (!item.some((x) => pyEquals(x, part))) return false;
    } else {
      return pyEquals(item, parts[parts.length - 1]);
    }
  }
  return true;
}

export class InventoryQuery {
  readonly type: 'VALUE' | 'TEST' | 'LIST_TEST';
  readonly valuePath: PathPart[] | null;
  readonly tests: EqualityTest[] = [];
  readonly logicals: string[] = [];
  readonly refs: string[] = [];
  readonly invRefs: string[][] = [];
  ignoreFailedRender = false;
  needsAllEnvs = false;
  /** The query's terms joined by spaces, as reclass prints it. */
  readonly text: string;

  constructor(source: string, settings: Settings) {
    const delimiter = settings.delimiter;
    const s = new Scanner(expandTabs(source));
    const options: string[] = [];
    for (;;) {
      if (s.caseless('+IgnoreErrors')) options.push('+IgnoreErrors');
      else if (s.caseless('+AllEnvs')) options.push('+AllEnvs');
      else break;
    }
    // reclass always receives an options group, so the config default never applies.
    this.ignoreFailedRender = options.includes('+IgnoreErrors');
    this.needsAllEnvs = options.includes('+AllEnvs');
    const afterOptions = s.pos;
    const terms: Operand[] = [];
    let type: InventoryQuery['type'] | null = null;
    // expr_test | expr_var | expr_list_test, tried in that order
    const obj = s.word();
    if (obj !== null && s.caseless('IF') && parseTests(s, terms)) {
      type = 'TEST';
      terms.unshift({ tag: 'OBJ', value: obj }, { tag: 'IF', value: 'IF' });
    } else {
      s.pos = afterOptions;
      terms.length = 0;
      const single = s.word();
      if (single !== null && s.atEnd()) {
        type = 'VALUE';
        terms.push({ tag: 'OBJ', value: single });
      } else {
        s.pos = afterOptions;
        terms.length = 0;
        if (s.caseless('IF') && parseTests(s, terms)) {
          type = 'LIST_TEST';
          terms.unshift({ tag: 'IF', value: 'IF' });
        }
      }
    }
    if (!type) throw new ReclassNetError('ParseError', `cannot parse inventory query $[${source}]`);
    this.type = type;
    this.text = terms.map((t) => String(t.value)).join(' ');
    const testTerms = type === 'TEST' ? terms.slice(2) : type === 'LIST_TEST' ? terms.slice(1) : [];
    for (let i = 0; i < testTerms.length; i += 4) {
      this.tests.push(new EqualityTest(testTerms[i], String(testTerms[i + 1].value), testTerms[i + 2], settings));
      if (i + 3 < testTerms.length) this.logicals.push(String(testTerms[i + 3].value));
    }
    for (const t of this.tests) {
      this.refs.push(...t.refs);
      this.invRefs.push(t.exportPath.map(String));
    }
    if (type === 'LIST_TEST') {
      this.valuePath = null;
    } else {
      this.valuePath = settings.keyTables.splitPath(String(terms[0].value), delimiter).slice(1);
      this.invRefs.push(this.valuePath.map(String));
    }
  }

  private question(context: unknown, items: Map<string, unknown>): boolean {
    if (this.tests.length === 0) return true;
    // Evaluated left to right, every test, as reclass does (no short circuit, no precedence).
    let result = this.tests[0].value(context, items);
    for (let i = 1; i < this.tests.length; i++) {
      const next = this.tests[i].value(context, items);
      result = this.logicals[i - 1] === 'AND' ? result && next : result || next;
    }
    return result;
  }

  render(context: unknown, inventory: Map<string, NodeInventory>): unknown {
    if (this.type === 'LIST_TEST') {
      const names: string[] = [];
      for (const [name, node] of inventory) {
        if ((this.needsAllEnvs || node.envMatches) && this.question(context, node.items)) names.push(name);
      }
      return names.sort();
    }
    const results = new Map<string, unknown>();
    // Only LIST_TEST queries, answered above, have no value path.
    const path = this.valuePath ?? [];
    for (const [name, node] of inventory) {
      if (!(this.needsAllEnvs || node.envMatches)) continue;
      if (this.type === 'TEST' && !this.question(context, node.items)) continue;
      if (existsIn(path, node.items)) results.set(name, deepCopy(resolve(path, node.items)));
    }
    return results;
  }
}
