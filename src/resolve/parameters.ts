/**
 * reclass's Parameters (datatypes/parameters.py): deep merging of class parameters into a
 * tree of Values, then interpolation of `${...}` references in dependency order.
 */
import { ReclassNetError } from '../errors.js';
import { positionAt } from '../inventory/yaml.js';
import { deletePath, getPath, pathString, setPath, type PathPart } from './dictpath.js';
import { deadlineOf, limitError } from './limits.js';
import type { Settings } from './settings.js';
import { keyText } from './pyvalue.js';
import { COPYING } from './copying.js';
import type { Container, RenderingHooks, RenderingHost, RenderingMemo, TreeOwnership, TreeSharing } from './hooks.js';
import {
  PDict,
  PList,
  ResolveFailure,
  Value,
  ValueList,
  locationOf,
  type Inventory,
  type Origin,
  type Warn,
} from './values.js';

type Leaf = Value | ValueList;

/** Dicts in parameters are keyed by text (or PyKeys standing in for it, see keyText). */
function isDict(x: unknown): x is Map<string, unknown> {
  return x instanceof Map;
}

function isLeaf(x: unknown): x is Leaf {
  return x instanceof Value || x instanceof ValueList;
}

function holdsLeaf(container: Map<string, unknown> | unknown[]): boolean {
  for (const child of container.values()) {
    if (isLeaf(child)) return true;
    if ((child instanceof Map || Array.isArray(child)) && holdsLeaf(child)) return true;
  }
  return false;
}

interface Unrendered {
  path: PathPart[];
  key: string;
  /** false while this path is being rendered: meeting it again is a cycle. */
  pending: boolean;
  /** The rendered container holding the value at `path`, and its key or index there:
   * rendering sets the value in place instead of walking the path from the root twice. */
  container: Map<string, unknown> | unknown[];
  slot: PathPart;
}

/** Records which Value objects produced each rendered path, for `explain`. */
export type ProvenanceLog = Map<string, { path: PathPart[]; source: Leaf }>;

export class Parameters implements RenderingHost {
  base: PDict | Map<string, unknown>;
  private unrendered: Map<string, Unrendered> | null = null;
  invQueries: Array<[PathPart[], Leaf]> = [];
  needsAllEnvs = false;
  private resolveErrors: ReclassNetError[] = [];
  /** Set by the resolver when provenance is wanted. */
  log: ProvenanceLog | undefined;
  /** Set by the resolver: where undefined overwritten references are reported. */
  warn: Warn | undefined;
  /** Warnings rendering gave so far: an entry that gave one is not shared with the nodes
   * like this one, so that each of them prints it, as reclass does (see interpolateInner). */
  private warned = 0;
  /** Set by the resolver: results shared with nodes like this one (see accelerate/memo.ts). */
  memo: RenderingMemo | undefined;
  /** Set by the resolver when accelerated: frozen subtrees render the way every node
   * shares (RenderingHooks). Unset, every node renders every value itself. */
  rendering: RenderingHooks | undefined;
  /** The memo this node reports what it interpolates to, while it records it for the nodes after it. */
  private recording: RenderingMemo | undefined = undefined;
  /** Values references have copied into this node so far, against limits.max_expansion_values. */
  private expanded = 0;
  /** When interpolation must stop (limits.max_seconds). */
  private deadline = 0;
  /** How merges into this Parameters take and change containers (TreeOwnership). */
  readonly tree: TreeOwnership;

  /** `trees`: how merges share containers; reclass's copying unless an accelerator's. */
  constructor(
    mapping: Map<string, unknown> | null,
    readonly settings: Settings,
    readonly origin: Origin | undefined,
    readonly trees: TreeSharing = COPYING,
    private readonly parseStrings = true,
  ) {
    this.tree = trees.ownership();
    this.base = this.emptyDict(origin);
    if (mapping) this.merge(mapping);
  }

  get hasInvQuery(): boolean {
    return this.invQueries.length > 0;
  }

  /** The values still to render; every interpolation starts by setting it (initialise). */
  private get queue(): Map<string, Unrendered> {
    if (this.unrendered === null) throw new Error('interpolation was not initialised');
    return this.unrendered;
  }

  /** The RenderSink of values rendered here: warnings. */
  warning(message: string): void {
    this.warned++;
    this.warn?.(message);
  }

  /** The RenderSink of values rendered here: a dict rendered over another, as reclass merges them. */
  mergeDicts(earlier: Map<string, unknown>, later: Map<string, unknown>): Map<string, unknown> {
    const merged = new Parameters(earlier, this.settings, undefined, this.trees, false);
    merged.merge(new Parameters(later, this.settings, undefined, this.trees, false));
    return merged.asDict();
  }

  asDict(): Map<string, unknown> {
    return new Map(this.base);
  }

  // ---- wrapping raw data into Values ------------------------------------------------

  /** The origin of the entry at `index` (in entry order) of a loaded container. */
  private originAt(container: object, index: number): Origin | undefined {
    if (!this.origin) return undefined;
    const pos = positionAt(container, index);
    // A literal, not a spread: this runs for every leaf of every file loaded.
    const { entity, file } = this.origin;
    return pos ? { entity, file, line: pos.line, column: pos.column } : this.origin;
  }

  /**
   * Wraps the entry at `index` (in entry order) of `container`, whose value is `value`.
   * Loaded data becomes Values (with their file position); Values already made are shared,
   * so the position is only looked up for raw data: merging a cached class into a node
   * copies containers without allocating per leaf.
   */
  private wrapEntry(container: object, index: number, value: unknown, fallback: Origin | undefined): unknown {
    // Most entries are scalars, which typeof tells apart with no call for each class.
    if (typeof value === 'object' && value !== null) {
      if (value instanceof Value) return value;
      if (value instanceof ValueList) return value.clone();
      if (isDict(value)) return this.wrapDict(value, this.originAt(container, index) ?? fallback);
      if (Array.isArray(value)) return this.wrapList(value, this.originAt(container, index) ?? fallback);
    }
    // A leaf finds its position in the file when asked for it (see Value.origin).
    if (this.origin) return this.newValue(value, this.origin, container, index);
    return this.newValue(value, fallback, undefined, 0);
  }

  private newValue(value: unknown, origin: Origin | undefined, container: object | undefined, index: number): Value {
    try {
      return new Value(value, this.settings, origin, this.parseStrings, container, index);
    } catch (e) {
      if (!(e instanceof ReclassNetError)) throw e;
      const where = container ? this.originAt(container, index) : origin;
      throw e.addContext({ location: locationOf(where) });
    }
  }

  private wrapList(source: unknown[], origin: Origin | undefined): PList {
    const list = PList.create(source instanceof PList ? source.origin : origin);
    source.forEach((v, i) => list.push(this.wrapEntry(source, i, v, origin)));
    return list;
  }

  private wrapDict(source: Map<string, unknown>, origin: Origin | undefined): PDict {
    const dict = this.tree.loadedDict(source instanceof PDict ? source.origin : origin);
    const { dict_key_override_prefix: override, dict_key_constant_prefix: constant } = this.settings;
    // Plain string keys without a prefix are what merging would make of them, so the
    // merge can take this dict as it is instead of copying every file's data once more.
    let mergedForm = true;
    // forEach, here and in the other loops over every entry of a dict: a `for...of` makes an
    // entry array and an iterator result per entry until V8 optimises the loop, which a
    // one-node call, run without the optimising compiler, never does.
    // Positions are kept in entry order, which forEach follows.
    let index = 0;
    source.forEach((v, k) => {
      const wrapped = this.wrapEntry(source, index++, v, origin);
      dict.set(k, wrapped);
      if (
        typeof k !== 'string' ||
        k[0] === override ||
        k[0] === constant ||
        (wrapped instanceof PDict && !wrapped.mergedForm)
      ) {
        mergedForm = false;
      }
    });
    dict.mergedForm = mergedForm;
    return dict;
  }

  // ---- merging -----------------------------------------------------------------------
  //
  // reclass copies what it merges. Which containers this tree may change in place, and
  // which it must copy first, is its TreeOwnership's call: reclass's copying alone, or an
  // accelerator's sharing of containers between merges (hooks.ts).

  /** A new, empty dict of this tree's: in merged form, as it holds no key. */
  private emptyDict(origin: Origin | undefined): PDict {
    const dict = this.tree.newDict(origin);
    dict.mergedForm = true;
    return dict;
  }

  private updateValue(cur: unknown, next: unknown): ValueList {
    let values: ValueList;
    if (cur instanceof Value) values = this.tree.newList(cur, this.settings);
    else if (cur instanceof ValueList) values = this.tree.writableList(cur);
    else {
      const origin = cur instanceof PDict || cur instanceof PList ? cur.origin : this.origin;
      values = this.tree.newList(new Value(cur, this.settings, origin), this.settings);
    }
    if (next instanceof Value) values.append(next);
    else if (next instanceof ValueList) values.extend(next);
    else {
      const origin = next instanceof PDict || next instanceof PList ? next.origin : this.origin;
      values.append(new Value(next, this.settings, origin, this.parseStrings));
    }
    return values;
  }

  private mergeDict(cur: PDict, next: PDict): PDict {
    const { dict_key_override_prefix: override, dict_key_constant_prefix: constant } = this.settings;
    const changed = this.tree.changeLog(cur);
    let mergedForm = cur.mergedForm;
    next.forEach((rawValue, rawKey) => {
      // reclass str()s every key it merges: `yes:` becomes 'True' here, and only here. Keys
      // are nearly all text already: no call for them, as this runs for every key merged.
      let key = typeof rawKey === 'string' ? rawKey : keyText(rawKey, 'str');
      let value = rawValue;
      let prefix = key[0];
      if (prefix !== undefined && (prefix === override || prefix === constant)) {
        key = key.slice(1);
        const flagged =
          value instanceof Value ? value : new Value(value, this.settings, this.origin, this.parseStrings);
        if (prefix === override) flagged.overwrite = true;
        else flagged.constant = true;
        value = flagged;
        prefix = key[0];
      }
      const merged = this.mergeRecurse(cur.get(key), value);
      cur.set(key, merged);
      changed?.add(key);
      if (prefix === override || prefix === constant || (merged instanceof PDict && !merged.mergedForm))
        mergedForm = false;
    });
    cur.origin = next.origin;
    cur.mergedForm = mergedForm;
    return cur;
  }

  private mergeRecurse(cur: unknown, next: unknown): unknown {
    if (next instanceof Map) {
      if (cur === undefined) {
        // Merging a dict in merged form into nothing gives the same dict: take it. What a
        // merge takes is this tree's own or not changed in place (TreeOwnership.lend).
        if (next instanceof PDict && next.mergedForm) return next;
        // A dict just made is this tree's: no need to ask.
        return this.mergeDict(this.emptyDict(this.origin), next as PDict);
      }
      if (isDict(cur)) return this.mergeDict(this.tree.writableDict(cur, this.origin), next as PDict);
      return this.updateValue(cur, next);
    }
    if (cur === undefined) return next;
    return this.updateValue(cur, next);
  }

  /** Merges a raw mapping or another Parameters into this one, later wins. */
  merge(other: Map<string, unknown> | Parameters): void {
    this.unrendered = null;
    const wrapped =
      other instanceof Parameters ? other.tree.lend(other.base as PDict) : this.wrapDict(other, this.origin);
    this.base = this.mergeRecurse(this.tree.writableDict(this.base, this.origin), wrapped) as PDict;
  }

  // ---- rendering simple values and finding the ones that need interpolation ----------

  /**
   * Renders `container[key]`. `path` is the container's path and `pathId` its pathKey,
   * built a part at a time as the walk descends (childPathKey, interned): building the key
   * of every path from its parts, and hashing it, was a twentieth of a 1000-node run.
   */
  renderSimpleContainer(container: Container, key: PathPart, value: unknown, path: PathPart[], pathId: string): void {
    // Child paths are built only where they are kept (unrendered values, provenance,
    // containers to descend into): this runs for every leaf of every node.
    let rendered: unknown;
    if (value instanceof ValueList) {
      if (value.isComplex) {
        rendered = this.markUnrendered(path, this.settings.keyTables.childPathKey(pathId, key), value, container, key);
      } else {
        if (this.log)
          this.log.set(this.settings.keyTables.childPathKey(pathId, key), { path: [...path, key], source: value });
        rendered = this.renderSimpleLeaf(value.merge(), container, key, path, pathId, false);
      }
    } else rendered = this.renderSimpleLeaf(value, container, key, path, pathId, true);
    if (container instanceof Map) container.set(key as string, rendered);
    else container[key as number] = rendered;
  }

  private renderSimpleLeaf(
    value: unknown,
    container: Map<string, unknown> | unknown[],
    key: PathPart,
    path: PathPart[],
    pathId: string,
    logLeaf: boolean,
  ): unknown {
    // Values first: nearly every leaf is one, and asks no more than this.
    const keys = this.settings.keyTables;
    if (value instanceof Value) {
      if (!value.isContainer()) {
        if (value.isComplex) return this.markUnrendered(path, keys.childPathKey(pathId, key), value, container, key);
        if (this.log && logLeaf) {
          const k = keys.childPathKey(pathId, key);
          if (!this.log.has(k)) this.log.set(k, { path: [...path, key], source: value });
        }
        return value.render(null, null);
      }
      value = value.contents;
    }
    if (isDict(value)) return this.renderSimpleDict(value, [...path, key], keys.childPathKey(pathId, key));
    if (Array.isArray(value)) return this.renderSimpleList(value, [...path, key], keys.childPathKey(pathId, key));
    return value;
  }

  /** Queues `container[slot]` (its path key is `key`), unless a node like this one already
   * did it: returns what the container holds until then. */
  private markUnrendered(
    containerPath: PathPart[],
    key: string,
    value: Leaf,
    container: Map<string, unknown> | unknown[],
    slot: PathPart,
  ): unknown {
    const known = this.memo?.values?.get(key);
    if (known !== undefined && !value.hasInvQuery) return known;
    this.queued++;
    const path = [...containerPath, slot];
    this.queue.set(key, { path, key, pending: true, container, slot });
    if (value.hasInvQuery) {
      this.invQueries.push([path, value]);
      if (value.needsAllEnvs) this.needsAllEnvs = true;
    }
    return value;
  }

  /** How many values were queued for interpolation so far (see RenderingHost). */
  private queued = 0;

  get queuedCount(): number {
    return this.queued;
  }

  /** `pathId` is the key of `path` (see renderSimpleContainer). */
  private renderSimpleDict(dict: Map<string, unknown>, path: PathPart[], pathId: string): Map<string, unknown> {
    // Provenance wants every leaf rendered by this node.
    const rendering = this.log ? undefined : this.rendering;
    if (rendering) {
      const frozen = rendering.frozenRendering(this, dict, path, pathId);
      if (frozen) return frozen;
      const memo = this.memo;
      if (memo?.values) {
        const rendered = rendering.copiedRendering(this, dict, memo, path, pathId);
        if (rendered) return rendered;
      }
    }
    const out = new Map<string, unknown>();
    dict.forEach((v, k) => this.renderSimpleContainer(out, k, v, path, pathId));
    return out;
  }

  private renderSimpleList(list: unknown[], path: PathPart[], pathId: string): unknown[] {
    const frozen = this.log ? undefined : this.rendering?.frozenRendering(this, list, path, pathId);
    if (frozen) return frozen;
    const out: unknown[] = new Array(list.length).fill(null);
    list.forEach((v, i) => this.renderSimpleContainer(out, i, v, path, pathId));
    return out;
  }

  // ---- interpolation -----------------------------------------------------------------

  initialiseInterpolation(): void {
    this.unrendered = null;
    this.initialise();
  }

  private initialise(): void {
    if (this.unrendered !== null) return;
    this.unrendered = new Map();
    this.invQueries = [];
    this.needsAllEnvs = false;
    this.resolveErrors = [];
    this.expanded = 0;
    this.deadline = deadlineOf(this.settings.limits);
    this.base = this.renderSimpleDict(this.base, [], '');
  }

  interpolate(inventory: Inventory | null): void {
    this.initialise();
    const unrendered = this.queue;
    // Provenance and inventory queries make a node's values its own: it records nothing.
    const memo = this.memo;
    this.recording = memo && memo.values === null && !this.log && !this.hasInvQuery ? memo : undefined;
    // In queue order, each entry once: interpolating one deletes it and any it renders on
    // the way, which forEach then skips, and visits entries queued meanwhile at the end,
    // where they were added. Taking the first entry each time made an iterator per entry.
    unrendered.forEach((entry) => this.interpolateInner(entry, inventory));
    if (this.resolveErrors.length > 0) {
      // One error is thrown as it is: wrapping its message in another ResolveError with the
      // same context said the kind, the parameter and the file twice.
      if (this.resolveErrors.length === 1) throw this.resolveErrors[0];
      const detail = this.resolveErrors.map((e) => e.message.replace(/^ResolveError: /, '')).join('; ');
      throw new ReclassNetError('ResolveError', detail);
    }
    this.recording?.interpolationDone();
    this.recording = undefined;
  }

  private interpolateInner(entry: Unrendered, inventory: Inventory | null): void {
    const unrendered = this.queue;
    const { path, key, container, slot } = entry;
    const value = container instanceof Map ? container.get(slot as string) : container[slot as number];
    if (!isLeaf(value)) {
      // A value under a referenced dict may have been rendered with it already.
      unrendered.delete(key);
      return;
    }
    entry.pending = false;
    const warnings = this.warned;
    this.interpolateReferences(path, value, inventory);
    if (this.recording && this.readsUnrenderedContainer(value)) {
      // reclass prints a container holding values not rendered yet as their repr: the text
      // depends on what was rendered before, which values a memo fills in would change.
      this.recording.giveUp();
      this.recording = undefined;
    }
    const rendered = this.renderValue(path, key, value, inventory);
    if (container instanceof Map) container.set(slot as string, rendered);
    else container[slot as number] = rendered;
    this.recording?.interpolated(path, key, value.getReferences(), this.warned !== warnings, container, slot);
    this.log?.set(key, { path, source: value });
    unrendered.delete(key);
  }

  /** Whether `value` puts a referenced container with values still to render into a string. */
  private readsUnrenderedContainer(value: Leaf): boolean {
    const values = value instanceof ValueList ? value.values : [value];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v.itemType !== 'composite') continue;
      const refs = v.getReferences();
      for (let r = 0; r < refs.length; r++) {
        let target: unknown;
        try {
          target = getPath(this.base, this.settings.keyTables.parseRef(refs[r], this.settings.delimiter).parts);
        } catch {
          continue;
        }
        if ((target instanceof Map || Array.isArray(target)) && holdsLeaf(target)) return true;
      }
    }
    return false;
  }

  private renderValue(path: PathPart[], pathId: string, value: Leaf, inventory: Inventory | null): unknown {
    let rendered: unknown;
    try {
      rendered =
        value instanceof ValueList
          ? value.render(this.base, inventory, this, this.cyclicValues(path, value))
          : value.render(this.base, inventory);
    } catch (e) {
      if (e instanceof ResolveFailure) {
        const where = { path: pathString(path, this.settings.delimiter), location: locationOf(value.origin) };
        if (this.settings.group_errors) {
          this.resolveErrors.push(new ReclassNetError('ResolveError', e.detail, where));
          rendered = null;
        } else throw new ReclassNetError('ResolveError', e.detail, where);
      } else if (e instanceof ReclassNetError) {
        throw e.addContext({ path: pathString(path, this.settings.delimiter), location: locationOf(value.origin) });
      } else throw e;
    }
    if (isDict(rendered) || Array.isArray(rendered)) {
      // The seam where references copy containers: counted here, before the copy, so
      // that references doubling a list stop at the limit instead of exhausting memory.
      this.countExpansion(rendered, path, value);
      return isDict(rendered)
        ? this.renderSimpleDict(rendered, path, pathId)
        : this.renderSimpleList(rendered, path, pathId);
    }
    if (typeof rendered === 'string' && rendered.length > this.settings.limits.max_string_length) {
      const limit = this.settings.limits.max_string_length;
      throw limitError(
        `interpolation builds a string of ${rendered.length} characters`,
        'max_string_length',
        limit,
        this.whereOf(path, value),
      );
    }
    return rendered;
  }

  /**
   * The values of `list` that refer to a container holding it, with that reference; undefined
   * for none, nearly always. Indexed loops, with no closure: this runs for every list
   * interpolated (see interpolateReferences).
   */
  private cyclicValues(path: PathPart[], list: ValueList): Map<Value, string> | undefined {
    let cyclic: Map<Value, string> | undefined;
    const { values } = list;
    const keys = this.settings.keyTables;
    for (let i = 0; i < values.length; i++) {
      const refs = values[i].getReferences();
      for (let r = 0; r < refs.length; r++) {
        if (isProperAncestor(keys.parseRef(refs[r], this.settings.delimiter).parts, path)) {
          (cyclic ??= new Map()).set(values[i], refs[r]);
          break;
        }
      }
    }
    return cyclic;
  }

  private whereOf(path: PathPart[], value: Leaf) {
    return { path: pathString(path, this.settings.delimiter), location: locationOf(value.origin) };
  }

  /** Adds the size of a referenced container to this node's count; stops at the limit or the deadline. */
  private countExpansion(container: Map<string, unknown> | unknown[], path: PathPart[], value: Leaf): void {
    const { max_expansion_values: limit, max_seconds } = this.settings.limits;
    if (Date.now() > this.deadline) {
      throw limitError(
        `resolving the node took more than ${max_seconds} seconds`,
        'max_seconds',
        max_seconds,
        this.whereOf(path, value),
      );
    }
    const stack: unknown[] = [container];
    while (stack.length > 0) {
      const item = stack.pop();
      if (++this.expanded > limit) {
        throw limitError(
          `references copy more than ${limit} values into the node`,
          'max_expansion_values',
          limit,
          this.whereOf(path, value),
        );
      }
      // Not for...of: see interpolateReferences.
      if (item instanceof Map) item.forEach((v) => stack.push(v));
      else if (Array.isArray(item)) for (let i = 0; i < item.length; i++) stack.push(item[i]);
    }
  }

  /** Renders everything `value` refers to first, in reclass's order; detects cycles. */
  interpolateReferences(path: PathPart[], value: Leaf, inventory: Inventory | null, pathInThisTree = true): void {
    const unrendered = this.queue;
    const delimiter = this.settings.delimiter;
    for (;;) {
      const cycle = (ref: string) =>
        new ReclassNetError('InfiniteRecursion', `infinite recursion: \${${ref}}`, {
          path: pathString(path, delimiter),
          location: locationOf(value.origin),
        });
      // Indexed loops, here and on the other paths every value takes: a for...of over an
      // array allocates an iterator result per element until V8 optimises the loop, which
      // a one-node call, run without the optimising compiler, never does.
      const refs = value.getReferences();
      for (let r = 0; r < refs.length; r++) {
        const ref = refs[r];
        const { parts: refPath, key, ancestorKeys } = this.settings.keyTables.parseRef(ref, delimiter);
        // A value inside the container it refers to would contain itself forever; reclass
        // recurses until Python's stack gives out, we say what the cycle is.
        // In a ValueList a later value may replace what it gives: ValueList.render decides.
        if (pathInThisTree && !(value instanceof ValueList) && isProperAncestor(refPath, path)) throw cycle(ref);
        const entry = unrendered.get(key);
        if (entry) {
          if (!entry.pending) throw cycle(ref);
          this.interpolateInner(entry, inventory);
        } else {
          for (let a = 0; a < ancestorKeys.length; a++) {
            const ancestor = unrendered.get(ancestorKeys[a]);
            if (!ancestor) continue;
            // An ancestor being rendered right now: the value refers into itself.
            if (!ancestor.pending) throw cycle(ref);
            this.interpolateInner(ancestor, inventory);
          }
        }
      }
      if (value.allRefs) return;
      // Nested references (`${a:${b}}`) name their target only once the inner one is known.
      const before = value.getReferences().length;
      value.assembleRefs(this.base);
      if (before === value.getReferences().length) {
        const refs = value.getReferences().map((r) => `\${${r}}`);
        throw new ReclassNetError('BadReferencesError', `bad references: ${refs.join(', ')}`, {
          path: pathString(path, delimiter),
          location: locationOf(value.origin),
        });
      }
    }
  }

  /** Renders one export value against the node's parameters (reclass's Exports). */
  renderFromExternal(external: Parameters, path: PathPart[], value: Leaf): unknown {
    // `path` is an export's path: it names nothing in the parameters being referenced.
    external.interpolateReferences(path, value, null, false);
    let rendered: unknown;
    try {
      rendered =
        value instanceof ValueList ? value.render(external.base, null, this) : value.render(external.base, null);
    } catch (e) {
      if (e instanceof ResolveFailure) {
        throw new ReclassNetError('ResolveError', e.detail, {
          path: pathString(path, this.settings.delimiter),
          location: locationOf(value.origin),
        });
      }
      throw e;
    }
    if (isDict(rendered)) return this.renderSimpleDict(rendered, path, this.settings.keyTables.pathKey(path));
    if (Array.isArray(rendered)) return this.renderSimpleList(rendered, path, this.settings.keyTables.pathKey(path));
    return rendered;
  }

  /**
   * Renders only the exports a query needs (reclass's interpolate_single_from_external):
   * the export paths it reads, their unrendered ancestors and descendants.
   */
  interpolateSingleFromExternal(external: Parameters, query: Leaf): void {
    for (const mainPath of query.getInvReferences()) {
      for (let required = this.requiredPaths(mainPath); required.length > 0; required = this.requiredPaths(mainPath)) {
        for (const path of required) {
          const value = getPath(this.base, path);
          if (isLeaf(value)) {
            try {
              setPath(this.base, path, this.renderFromExternal(external, path, value));
            } catch (e) {
              if (!(e instanceof ReclassNetError && e.kind === 'ResolveError' && query.ignoreFailedRender)) throw e;
              deletePath(this.base, path);
            }
          }
          this.queue.delete(this.settings.keyTables.pathKey(path));
        }
      }
    }
  }

  private requiredPaths(mainPath: PathPart[]): PathPart[][] {
    const unrendered = this.queue;
    const found = new Map<string, PathPart[]>();
    for (let i = 1; i < mainPath.length; i++) {
      const ancestor = mainPath.slice(0, i);
      const key = this.settings.keyTables.pathKey(ancestor);
      if (unrendered.has(key)) found.set(key, ancestor);
    }
    for (const { path } of unrendered.values()) {
      const within = path.length >= mainPath.length && mainPath.every((p, i) => p === path[i]);
      if (within) found.set(this.settings.keyTables.pathKey(path), path);
    }
    return [...found.values()];
  }

  /**
   * Renders every export for a whole-inventory run. reclass ignores errors here (the node's
   * own resolution reports them) and keeps what could not be rendered unrendered.
   */
  interpolateFromExternalLenient(external: Parameters): void {
    external.initialiseInterpolation();
    this.initialiseInterpolation();
    try {
      this.interpolateFromExternal(external);
    } catch (e) {
      if (!(e instanceof ReclassNetError)) throw e;
    }
  }

  /** reclass's Exports.interpolate_from_external: every export, against the parameters. */
  interpolateFromExternal(external: Parameters): void {
    this.initialise();
    const unrendered = this.queue;
    while (unrendered.size > 0) {
      const first = unrendered.values().next().value as Unrendered;
      const value = getPath(this.base, first.path);
      if (isLeaf(value)) setPath(this.base, first.path, this.renderFromExternal(external, first.path, value));
      unrendered.delete(this.settings.keyTables.pathKey(first.path));
    }
  }
}

/** Whether the reference path `ref` names a container that holds `path`. */
function isProperAncestor(ref: readonly PathPart[], path: readonly PathPart[]): boolean {
  if (ref.length >= path.length) return false;
  for (let i = 0; i < ref.length; i++) if (ref[i] !== String(path[i])) return false;
  return true;
}
