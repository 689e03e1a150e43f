/**
 * reclass's value model (reclass/values/*.py): a parameter leaf is a Value wrapping one
 * item (scalar, reference, composite string, inventory query, list, dict); a leaf set by
 * several classes is a ValueList, rendered in class order with reclass's merge rules.
 * Transcribed closely because the output depends on the order these rules run in.
 */
import { ReclassNetError } from '../errors.js';
import { positionAt } from '../inventory/yaml.js';
import { getPath, PathLookupError } from './dictpath.js';
import { InventoryQuery, type NodeInventory } from './invquery.js';
import { parseValueString, type Token } from './parser.js';
import { pyRepr, pyStr } from './pyvalue.js';
import type { Settings } from './settings.js';
import { deepCopy, ResolveFailure } from './failure.js';

/** Where a value was written: the entity (class or node), its file and position. */
export interface Origin {
  entity: string;
  file: string;
  line?: number;
  column?: number;
}

/** A dict of parameters while merging (reclass's ParameterDict). */
export class PDict extends Map<string, unknown> {
  // Assigned in the constructor rather than declared as class fields: V8 runs a field
  // initializer as a call of its own, for each of the thousands of dicts a call wraps.
  declare origin: Origin | undefined;
  /**
   * Its keys, and those of every dict in it, are plain strings without an override or
   * constant prefix: what merging it into nothing would build, so merging takes it as it is.
   */
  declare mergedForm: boolean;
  constructor(origin: Origin | undefined) {
    super();
    this.origin = origin;
    this.mergedForm = false;
  }
}

/** A list of parameters while merging (reclass's ParameterList). */
export class PList extends Array<unknown> {
  origin: Origin | undefined;
  static create(origin: Origin | undefined): PList {
    const list = new PList();
    list.origin = origin;
    return list;
  }
  // Array methods like map() must not build PLists.
  static override get [Symbol.species]() {
    return Array;
  }
}

export type Inventory = Map<string, NodeInventory>;
export type ItemType = 'scalar' | 'reference' | 'composite' | 'inv_query' | 'list' | 'dictionary';

/** The context references are first assembled against: nothing resolves yet. */
const EMPTY_CONTEXT = new Map<string, unknown>();

export abstract class Item {
  abstract readonly type: ItemType;
  hasInvQuery = false;
  get hasReferences(): boolean {
    return false;
  }
  get allRefs(): boolean {
    return true;
  }
  get isComplex(): boolean {
    return this.hasReferences || this.hasInvQuery;
  }
  isContainer(): boolean {
    return false;
  }
  getReferences(): string[] {
    return [];
  }
  /** Items with nested references find their targets here (see RefItem). */
  assembleRefs(context: unknown): void {
    void context;
  }
  abstract render(context: unknown, inventory: Inventory | null): unknown;
  mergeOver(other: Item): Item {
    throw new ReclassNetError('TypeMergeError', `cannot merge ${this.type} over ${other.type}`);
  }
  abstract pyStr(): string;
  /** Python's repr(): what str() of a dict holding a still-unrendered value shows. */
  pyRepr(): string {
    const contents = (this as unknown as { contents: unknown }).contents;
    return `${this.constructor.name}(${pyRepr(contents)})`;
  }
}

class ScaItem extends Item {
  readonly type = 'scalar';
  constructor(readonly contents: unknown) {
    super();
  }
  // Nearly every leaf is a scalar: answered here, not by asking for references and queries.
  override get isComplex(): boolean {
    return false;
  }
  render(): unknown {
    return this.contents;
  }
  override mergeOver(other: Item): Item {
    if (other.type === 'scalar' || other.type === 'composite') return this;
    return super.mergeOver(other);
  }
  pyStr(): string {
    return pyStr(this.contents);
  }
}

abstract class ItemWithReferences extends Item {
  protected refs: string[] = [];
  protected complete = true;
  constructor(
    readonly contents: Item[],
    protected readonly settings: Settings,
  ) {
    super();
    // Subclasses' assembleRefs only read contents and settings, both set by now.
    this.assembleRefs(EMPTY_CONTEXT);
  }
  override get hasReferences(): boolean {
    return this.refs.length > 0;
  }
  override get allRefs(): boolean {
    return this.complete;
  }
  override getReferences(): string[] {
    return this.refs;
  }
  override assembleRefs(context: unknown): void {
    this.refs = [];
    this.complete = true;
    const items = this.contents;
    // Indexed: see Parameters.interpolateReferences.
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.hasReferences) {
        item.assembleRefs(context);
        this.refs.push(...item.getReferences());
        if (!item.allRefs) this.complete = false;
      }
    }
  }
}

class RefItem extends ItemWithReferences {
  readonly type = 'reference';
  override assembleRefs(context: unknown): void {
    super.assembleRefs(context);
    try {
      this.refs.push(this.flatten(context, null));
    } catch (e) {
      if (!(e instanceof ResolveFailure)) throw e;
      this.complete = false;
    }
  }
  /** The reference's path text, with nested references rendered. */
  flatten(context: unknown, inventory: Inventory | null): string {
    const items = this.contents;
    // Nearly every reference is one piece of text: then there is nothing to join.
    if (items.length === 1) return pyStr(items[0].render(context, inventory));
    return items.map((i) => pyStr(i.render(context, inventory))).join('');
  }
  /**
   * The path of a reference without nested references, which is nearly every one: the
   * same at every rendering, so split once. Building the text again and looking it up
   * in parseRef's cache was a fortieth of a 1000-node run. Set on first rendering (the
   * constructor's assembleRefs runs before this class's fields exist).
   */
  private fixedPath: { text: string; parts: readonly string[] } | null | undefined;

  private path(context: unknown, inventory: Inventory | null): { text: string; parts: readonly string[] } {
    if (this.fixedPath) return this.fixedPath;
    const text = this.flatten(context, inventory);
    const path = { text, parts: this.settings.keyTables.parseRef(text, this.settings.delimiter).parts };
    if (this.fixedPath === undefined) this.fixedPath = this.contents.every((i) => i instanceof ScaItem) ? path : null;
    return path;
  }
  render(context: unknown, inventory: Inventory | null): unknown {
    const { text, parts } = this.path(context, inventory);
    try {
      return getPath(context, parts);
    } catch (e) {
      if (e instanceof PathLookupError) throw new ResolveFailure(text);
      throw e;
    }
  }
  pyStr(): string {
    const [open, close] = this.settings.reference_sentinels;
    return open + this.contents.map((i) => i.pyStr()).join('') + close;
  }
}

class CompItem extends ItemWithReferences {
  readonly type = 'composite';
  override mergeOver(other: Item): Item {
    if (other.type === 'scalar' || other.type === 'composite') return this;
    return super.mergeOver(other);
  }
  render(context: unknown, inventory: Inventory | null): unknown {
    if (this.contents.length === 1) return this.contents[0].render(context, inventory);
    return this.contents.map((i) => pyStr(i.render(context, inventory))).join('');
  }
  pyStr(): string {
    return this.contents.map((i) => i.pyStr()).join('');
  }
}

class InvItem extends Item {
  readonly type = 'inv_query';
  readonly query: InventoryQuery;
  constructor(text: string, settings: Settings) {
    super();
    this.hasInvQuery = true;
    this.query = new InventoryQuery(text, settings);
  }
  override get hasReferences(): boolean {
    return this.query.refs.length > 0;
  }
  override getReferences(): string[] {
    return this.query.refs;
  }
  render(context: unknown, inventory: Inventory | null): unknown {
    return this.query.render(context, inventory ?? new Map<string, NodeInventory>());
  }
  pyStr(): string {
    return this.query.text;
  }
}

class ListItem extends Item {
  readonly type = 'list';
  constructor(public contents: unknown[]) {
    super();
  }
  override isContainer(): boolean {
    return true;
  }
  render(): unknown {
    return this.contents;
  }
  override mergeOver(other: Item): Item {
    // reclass extends the earlier list in place; a new list leaves shared class data intact.
    if (other instanceof ListItem) return new ListItem([...other.contents, ...this.contents]);
    return super.mergeOver(other);
  }
  pyStr(): string {
    return pyStr(this.contents);
  }
}

class DictItem extends Item {
  readonly type = 'dictionary';
  constructor(readonly contents: Map<string, unknown>) {
    super();
  }
  override isContainer(): boolean {
    return true;
  }
  render(): unknown {
    return this.contents;
  }
  pyStr(): string {
    return pyStr(this.contents);
  }
}

function itemsFromTokens(tokens: Token[], settings: Settings): Item[] {
  return tokens.map((token) => {
    if (token.kind === 'str') return new ScaItem(token.text);
    if (token.kind === 'ref') return new RefItem(itemsFromTokens(token.parts, settings), settings);
    return new InvItem(token.parts.join(''), settings);
  });
}

/** A parameter leaf (reclass's Value). */
export class Value {
  readonly item: Item;
  overwrite = false;
  constant = false;

  /**
   * `origin` is where the value was written, or the origin of its file when `container` is
   * given: the container it was loaded in, where its position in the file is found for
   * its entry at `index` (in entry order) when asked for. Every leaf of every file loaded is wrapped in a Value; its
   * position is only ever wanted for an error or an explanation, so no Origin is made here.
   */
  constructor(
    raw: unknown,
    readonly settings: Settings,
    private readonly where: Origin | undefined,
    parseStrings = true,
    private readonly container: object | undefined = undefined,
    private readonly index = 0,
  ) {
    this.item = Value.makeItem(raw, settings, parseStrings);
  }

  /** Where the value was written: at its entry's position in the file if one was recorded. */
  get origin(): Origin | undefined {
    const pos = this.container && positionAt(this.container, this.index);
    if (!pos || !this.where) return this.where;
    return { entity: this.where.entity, file: this.where.file, line: pos.line, column: pos.column };
  }

  private static makeItem(raw: unknown, settings: Settings, parseStrings: boolean): Item {
    if (typeof raw === 'string') {
      if (!parseStrings) return new ScaItem(raw);
      const tokens = parseValueString(raw, settings.syntax);
      if (!tokens) return new ScaItem(raw);
      const items = itemsFromTokens(tokens, settings);
      return items.length === 1 ? items[0] : new CompItem(items, settings);
    }
    if (Array.isArray(raw)) return new ListItem(raw);
    if (raw instanceof Map) return new DictItem(raw as Map<string, unknown>);
    return new ScaItem(raw);
  }

  /** A Value holding an already built item (the result of merging simple values), written where `like` was. */
  static ofItem(item: Item, like: Value): Value {
    const value = Object.create(Value.prototype) as Value;
    const { settings, where, container, index } = like;
    Object.assign(value, { item, settings, where, container, index, overwrite: false, constant: false });
    return value;
  }

  get isComplex(): boolean {
    return this.item.isComplex;
  }
  get hasReferences(): boolean {
    return this.item.hasReferences;
  }
  get hasInvQuery(): boolean {
    return this.item.hasInvQuery;
  }
  get allRefs(): boolean {
    return this.item.allRefs;
  }
  get needsAllEnvs(): boolean {
    const item = this.item;
    return item instanceof InvItem && item.query.needsAllEnvs;
  }
  get ignoreFailedRender(): boolean {
    const item = this.item;
    return item instanceof InvItem ? item.query.ignoreFailedRender : false;
  }
  isContainer(): boolean {
    return this.item.isContainer();
  }
  get contents(): unknown {
    const item = this.item;
    return item instanceof ScaItem || item instanceof ListItem || item instanceof DictItem
      ? item.contents
      : (item as ItemWithReferences).contents;
  }
  get itemType(): ItemType {
    return this.item.type;
  }

  static readonly NOT_PLAIN: unique symbol = Symbol('not a plain scalar');

  /** The value if it is a plain scalar (a string without references, a number, a boolean,
   * null), else NOT_PLAIN: two such Values merge alike exactly when these are equal. */
  plainScalar(): string | number | boolean | bigint | null | typeof Value.NOT_PLAIN {
    const item = this.item;
    if (!(item instanceof ScaItem)) return Value.NOT_PLAIN;
    const x = item.contents;
    const type = typeof x;
    return x === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint'
      ? (x as string | number | boolean | bigint | null)
      : Value.NOT_PLAIN;
  }
  getReferences(): string[] {
    return this.item.getReferences();
  }
  getInvReferences(): string[][] {
    const item = this.item;
    return item instanceof InvItem ? item.query.invRefs : [];
  }
  assembleRefs(context: unknown): void {
    if (this.item.hasReferences) this.item.assembleRefs(context);
  }
  render(context: unknown, inventory: Inventory | null): unknown {
    return this.item.render(context, inventory);
  }
  pyStr(): string {
    return this.item.pyStr();
  }
  pyRepr(): string {
    return `Value(${this.item.pyRepr()})`;
  }
}

/** Where a warning goes, worded as reclass words it, without reclass's `[WARNING] ` prefix. */
export type Warn = (message: string) => void;

/**
 * What a ValueList renders with: where its warnings go, and how two dicts merge (a
 * Parameters merge; the Parameters rendering the list is this sink, an object so that
 * rendering allocates no closure).
 */
export interface RenderSink {
  warning(message: string): void;
  mergeDicts(earlier: Map<string, unknown>, later: Map<string, unknown>): Map<string, unknown>;
}

const NO_CYCLES: ReadonlyMap<Value, string> = new Map();

/** Several classes set the same leaf: their Values in merge order (reclass's ValueList). */
export class ValueList {
  readonly values: Value[];
  private refs: string[] = [];
  allRefs = true;
  hasInvQuery = false;
  ignoreFailedRender = false;
  isComplex = false;
  private invRefs: string[][] = [];
  /** merge() of a simple list, kept: a class's list is merged for every node using it. */
  private merged: Value | undefined = undefined;

  constructor(
    first: Value,
    readonly settings: Settings,
  ) {
    this.values = [first];
    this.update();
  }

  /**
   * A ValueList that can grow without changing this one. Merging appends to the list it
   * finds (as reclass does); copies keep a class merge that several nodes share intact.
   */
  clone(): ValueList {
    // Of this list's own class: an accelerator's lists keep theirs (accelerate/sharing.ts).
    const copy = Object.create(Object.getPrototypeOf(this) as object) as ValueList;
    Object.assign(copy, this);
    (copy as { values: Value[] }).values = [...this.values];
    copy.refs = [...this.refs];
    copy.invRefs = [...this.invRefs];
    copy.merged = undefined;
    return copy;
  }

  append(value: Value): void {
    this.values.push(value);
    this.update();
  }

  extend(other: ValueList): void {
    this.values.push(...other.values);
    this.update();
  }

  private update(): void {
    this.merged = undefined;
    this.assembleRefs(EMPTY_CONTEXT);
    this.checkForInvQuery();
    const firstType = this.values[0].itemType;
    this.isComplex = this.values.some((v) => v.isComplex || v.constant || v.overwrite || v.itemType !== firstType);
  }

  private checkForInvQuery(): void {
    this.hasInvQuery = false;
    this.ignoreFailedRender = true;
    const { values } = this;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value.hasInvQuery) {
        this.invRefs.push(...value.getInvReferences());
        this.hasInvQuery = true;
        if (!value.ignoreFailedRender) this.ignoreFailedRender = false;
      }
    }
    if (!this.hasInvQuery) this.ignoreFailedRender = false;
  }

  get hasReferences(): boolean {
    return this.refs.length > 0;
  }
  getReferences(): string[] {
    return this.refs;
  }
  getInvReferences(): string[][] {
    return this.invRefs;
  }
  get needsAllEnvs(): boolean {
    return this.values.some((v) => v.needsAllEnvs);
  }

  assembleRefs(context: unknown): void {
    this.refs = [];
    this.allRefs = true;
    const { values } = this;
    // Indexed: see Parameters.interpolateReferences.
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      value.assembleRefs(context);
      if (value.hasReferences) this.refs.push(...value.getReferences());
      if (!value.allRefs) this.allRefs = false;
    }
  }

  /** The origins of all contributing values, as reclass joins uris in messages. */
  get origin(): Origin | undefined {
    return this.values[this.values.length - 1].origin;
  }

  /** Merges simple (reference-free, same-type) values: later scalars win, lists append. */
  merge(): Value {
    if (this.merged) return this.merged;
    let item = this.values[0].item;
    for (let i = 1; i < this.values.length; i++) item = this.values[i].item.mergeOver(item);
    const last = this.values[this.values.length - 1];
    this.merged = item === last.item ? last : Value.ofItem(item, last);
    return this.merged;
  }

  /**
   * reclass's ValueList.render. `cyclic` are the values that refer to a container holding
   * this list: reclass renders them like any other, and a later value may replace what they
   * gave (or fail to merge over it); if it is still part of the output, the output contains
   * itself and reclass never finishes, so that is an InfiniteRecursion.
   */
  render(
    context: unknown,
    inventory: Inventory | null,
    sink: RenderSink,
    cyclic: ReadonlyMap<Value, string> = NO_CYCLES,
  ): unknown {
    const s = this.settings;
    let output: unknown = undefined;
    // The cyclic reference the output still holds, if any.
    let holds: string | undefined;
    let started = false;
    let deepCopied = false;
    let lastError: ResolveFailure | undefined;
    let constant = false;
    const n = this.values.length;
    for (let i = 0; i < n; i++) {
      const value = this.values[i];
      let next: unknown;
      try {
        next = value.render(context, inventory);
      } catch (e) {
        const isContainer = output instanceof Map || Array.isArray(output);
        if (e instanceof ResolveFailure && s.ignore_overwritten_missing_references && !isContainer && i !== n - 1) {
          next = null;
          lastError = e;
          sink.warning(`Reference '${value.pyStr()}' undefined`);
        } else {
          throw e;
        }
      }
      if (constant) {
        if (s.strict_constant_parameters) {
          throw new ReclassNetError('ChangedConstantError', 'attempt to change a constant value', {
            location: locationOf(this.values[i].origin),
          });
        }
        continue;
      }
      if (!started || output === null || output === undefined || value.overwrite) {
        // Python tests `output is None`: a null result lets the next value replace it.
        output = next;
        holds = cyclic.get(value);
        started = true;
        deepCopied = false;
      } else if (output instanceof Map) {
        if (next instanceof Map) {
          output = sink.mergeDicts(output as Map<string, unknown>, next as Map<string, unknown>);
          holds ??= cyclic.get(value);
        } else if (Array.isArray(next)) {
          throw typeMergeError(value, this.values[i - 1]);
        } else if (s.allow_scalar_over_dict || (s.allow_none_override && next === null)) {
          output = next;
          holds = cyclic.get(value);
          deepCopied = false;
        } else {
          throw typeMergeError(value, this.values[i - 1]);
        }
      } else if (Array.isArray(output)) {
        if (Array.isArray(next)) {
          if (!deepCopied) {
            output = deepCopy(output);
            deepCopied = true;
          }
          (output as unknown[]).push(...(next as unknown[]));
          holds ??= cyclic.get(value);
        } else if (next instanceof Map) {
          throw typeMergeError(value, this.values[i - 1]);
        } else if (s.allow_scalar_over_list || (s.allow_none_override && next === null)) {
          output = next;
          holds = cyclic.get(value);
          deepCopied = false;
        } else {
          throw typeMergeError(value, this.values[i - 1]);
        }
      } else if (next instanceof Map) {
        if (!s.allow_dict_over_scalar) throw typeMergeError(value, this.values[i - 1]);
        output = next;
        holds = cyclic.get(value);
        deepCopied = false;
      } else if (Array.isArray(next)) {
        if (!s.allow_list_over_scalar) throw typeMergeError(value, this.values[i - 1]);
        output = [output, ...(next as unknown[])];
        holds ??= cyclic.get(value);
        deepCopied = true;
      } else {
        output = next;
        holds = cyclic.get(value);
        deepCopied = false;
      }
      if (value.constant) constant = true;
    }
    if (holds !== undefined) throw new ReclassNetError('InfiniteRecursion', `infinite recursion: \${${holds}}`);
    if ((output instanceof Map || Array.isArray(output)) && lastError) throw lastError;
    return output === undefined ? null : output;
  }

  pyStr(): string {
    return '<reclass.values.valuelist.ValueList object>';
  }
  pyRepr(): string {
    return this.pyStr();
  }
}

function typeMergeError(later: Value, earlier: Value): ReclassNetError {
  return new ReclassNetError('TypeMergeError', `cannot merge ${later.itemType} over ${earlier.itemType}`, {
    location: locationOf(later.origin),
  });
}

export function locationOf(origin: Origin | undefined) {
  return origin ? { file: origin.file, line: origin.line ?? 0, column: origin.column ?? 0 } : undefined;
}

export { ResolveFailure };
