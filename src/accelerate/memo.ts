/**
 * Interpolation results shared between nodes. In MCP-style models every node of a role
 * lists the same classes, and its own file sets a handful of values (addresses, a host
 * name): most references render to the same value in all of them. A node's merged tree
 * differs from its role-mates' only at the paths its own layer sets (its file and the
 * automatic `_reclass_` parameters), so a reference whose whole computation reads none
 * of those paths has the same result in every node that sets the same paths. The first
 * such node records these results; the others take them instead of interpolating.
 *
 * Sharper still, where a node's layer sets a path to the very value the recording node
 * set it to, their merged trees agree there too: only the paths set to other values make
 * a result the node's own (see MemoBook). And a node that sets more paths than a recorded
 * one has its memo derived from that record, without interpolating anything to find it.
 *
 * "Reads" is meant transitively and in both directions along a path: a value depends on
 * the paths it references, on everything rendered into those (an ancestor that was a
 * reference itself, descendants that were), and on everything rendered into itself.
 */
import { ancestorKeysOfKey, NO_KEYS, type KeyTables, type ParsedRef, type PathPart } from '../resolve/dictpath.js';
import type { Container, RenderingMemo } from '../resolve/hooks.js';
import type { Parameters } from '../resolve/parameters.js';
import type { Settings } from '../resolve/settings.js';
import type { SharedResults } from '../resolve/shared.js';
import { PDict, Value } from '../resolve/values.js';

/** What one interpolated path read: all that deciding whether it depends on the node needs. */
export interface ReadEntry {
  key: string;
  /** Keys of the path's proper ancestors, outermost first. */
  ancestorKeys: readonly string[];
  /** The references its value read, as path key and ancestor keys. */
  refs: ReadonlyArray<{ key: string; ancestorKeys: readonly string[] }>;
  /** Rendering it did something a node must see for itself (a warning). */
  volatile: boolean;
}

/** What the recording node reported about one interpolated path. */
export interface RenderedEntry {
  read: ReadEntry;
  /** Where the final value is, once the node is fully interpolated. */
  container: Container;
  slot: PathPart;
}

/** No references, as an array of the kind of arrays of them (see NO_KEYS). Never changed. */
const NO_REFS: readonly ParsedRef[] = (() => {
  const refs: ParsedRef[] = [{ parts: [], key: '', ancestorKeys: NO_KEYS }];
  refs.length = 0;
  return refs;
})();

/** Limits of what one node records for the nodes like it (see interpolated). */
const MAX_RECORDED_DEPTH = 64;
const MAX_RECORDED_ENTRIES = 50_000;

/** Identifies a set of own leaf paths: nodes with equal signatures share results. */
function touchedSignature(leafKeys: readonly string[]): string {
  return [...leafKeys].sort().join('\u0003');
}

/** The paths a node's own layer sets, and their ancestors. */
export class TouchedPaths {
  private readonly leaves: Set<string>;
  private readonly ancestors: Set<string>;

  constructor(leafKeys: readonly string[], ancestorKeys: readonly string[]) {
    this.leaves = new Set(leafKeys);
    this.ancestors = new Set(ancestorKeys);
  }

  /** Whether the node's layer sets `path`, something inside it or something around it. */
  touches(key: string, ancestorKeys: readonly string[]): boolean {
    if (this.leaves.has(key) || this.ancestors.has(key)) return true;
    // Indexed, not iterated: see nodeSpecific.
    for (let i = 0; i < ancestorKeys.length; i++) if (this.leaves.has(ancestorKeys[i])) return true;
    return false;
  }

  /** Whether every path `other` sets is set here too. */
  includes(other: TouchedPaths): boolean {
    for (const leaf of other.leaves) if (!this.leaves.has(leaf)) return false;
    return true;
  }
}

/** Results shared by the nodes with the same classes and the same touched paths. */
export class InterpolationMemo implements RenderingMemo {
  /** Final values by path key; null until the first node has recorded them. */
  values: Map<string, unknown> | null = null;
  /** What the recording node read, for memos derived from this one (see derive). */
  private reads: ReadEntry[] | null = null;
  /** The recording node's final value of every path it interpolated, its own included. */
  private finals: Map<string, unknown> | null = null;
  /** What the recording node reported so far (see interpolated). */
  private reported: RenderedEntry[] = [];

  constructor(
    readonly touched: TouchedPaths,
    private readonly shared: SharedResults,
    private readonly settings: Settings,
  ) {}

  /** Notes what interpolating one entry read, while no node has recorded (values is null). */
  interpolated(
    path: readonly PathPart[],
    key: string,
    references: readonly string[],
    volatile: boolean,
    container: Container,
    slot: PathPart,
  ): void {
    if (this.values !== null) return;
    // Data that references nest into grows with the square of its depth, and so would the
    // record: no model worth sharing looks like that, so such a node records nothing.
    if (path.length > MAX_RECORDED_DEPTH || this.reported.length >= MAX_RECORDED_ENTRIES) {
      this.giveUp();
      return;
    }
    const { keyTables, delimiter } = this.settings;
    // Arrays built by push, and NO_KEYS and NO_REFS for empty ones, all of one internal
    // kind: see nodeSpecific.
    const refs: ParsedRef[] = [];
    for (let i = 0; i < references.length; i++) refs.push(keyTables.parseRef(references[i], delimiter));
    const read = {
      key,
      ancestorKeys: keyTables.ancestorKeysOf(path),
      refs: refs.length > 0 ? refs : NO_REFS,
      volatile,
    };
    this.reported.push({ read, container, slot });
  }

  interpolationDone(): void {
    if (this.values === null) this.record(this.reported);
    this.reported = [];
  }

  /** Whether this memo was recorded (not derived, not given up): others can derive from it. */
  get recorded(): boolean {
    return this.finals !== null;
  }

  /** Shares nothing: the recording node's data is too large to track. */
  giveUp(): void {
    this.values = new Map();
    this.reported = [];
  }

  /**
   * Keeps the final values of the entries whose computation read nothing the recording
   * node's layer touched. Those values become shared between nodes, so are frozen.
   */
  record(entries: RenderedEntry[]): void {
    const { shared } = this;
    // What was read is kept for derived memos, the containers (the recording node's
    // result) are not.
    const reads: ReadEntry[] = [];
    entries.forEach((e) => reads.push(e.read));
    const nodeSpecific = reads.length > 0 ? this.nodeSpecific(reads) : new Set<ReadEntry>();
    const values = new Map<string, unknown>();
    const finals = new Map<string, unknown>();
    entries.forEach(({ read, container, slot }) => {
      const value = container instanceof Map ? container.get(slot as string) : container[slot as number];
      finals.set(read.key, value);
      if (nodeSpecific.has(read)) return;
      if (value !== null && typeof value === 'object') shared.markShared(value);
      values.set(read.key, value);
    });
    this.values = values;
    this.finals = finals;
    this.reads = reads;
  }

  /**
   * The memo of other nodes with the same classes as `source`'s recording node, given
   * `touched`: every path where their merged trees may differ from that node's. An entry
   * whose computation read none of those paths has the same result for them as for that
   * node, so is taken from its record: what recording again would find, without
   * interpolating a node to find it.
   */
  static derive(source: InterpolationMemo, touched: TouchedPaths): InterpolationMemo {
    const memo = new InterpolationMemo(touched, source.shared, source.settings);
    const { shared } = source;
    const { reads, finals } = source;
    // Only recorded memos are sources (MemoBook keeps those alone), and recording sets both.
    if (reads === null || finals === null) throw new Error('a memo derived from one never recorded');
    const nodeSpecific = reads.length > 0 ? memo.nodeSpecific(reads) : new Set<ReadEntry>();
    const values = new Map<string, unknown>();
    reads.forEach((e) => {
      if (nodeSpecific.has(e)) return;
      const value = finals.get(e.key);
      if (value !== null && typeof value === 'object') shared.markShared(value);
      values.set(e.key, value);
    });
    memo.values = values;
    memo.reads = source.reads;
    return memo;
  }

  /**
   * The entries whose computation read something this memo's touched paths cover; called
   * with some. It runs for the first node of each memo only, yet V8 optimises it, and
   * dropped that code whenever arrays of another internal kind came (empty ones, or made
   * by `map` instead of `push`): it was compiled several times per large run, keeping the
   * optimising compiler busy while the code every node runs waited its turn. So every
   * array it reads is made alike (NO_KEYS), and it indexes them instead of iterating,
   * which compiles to less, once.
   */
  private nodeSpecific(entries: readonly ReadEntry[]): Set<ReadEntry> {
    const byKey = new Map<string, ReadEntry>();
    const under = new Map<string, ReadEntry[]>();
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      byKey.set(e.key, e);
      for (let j = 0; j < e.ancestorKeys.length; j++) {
        const a = e.ancestorKeys[j];
        const list = under.get(a);
        if (list) list.push(e);
        else under.set(a, [e]);
      }
    }
    // Depending on the node spreads along "read" edges; cycles of them are harmless
    // (a value and the entries rendered into it), so spread from the directly touched.
    const readers = new Map<ReadEntry, ReadEntry[]>();
    const addReader = (read: ReadEntry | undefined, reader: ReadEntry) => {
      if (read === undefined) return;
      const list = readers.get(read);
      if (list) list.push(reader);
      else readers.set(read, [reader]);
    };
    // `reader` reads the entries whose value came into, or out of, the subtree at `key`.
    // Noted without building a list per key: this runs for every reference of every
    // entry, a few thousand times for the first node of each memo.
    const readsAround = (reader: ReadEntry, key: string, ancestorKeys: readonly string[]) => {
      const below = under.get(key);
      if (below) for (let i = 0; i < below.length; i++) addReader(below[i], reader);
      addReader(byKey.get(key), reader);
      for (let i = 0; i < ancestorKeys.length; i++) addReader(byKey.get(ancestorKeys[i]), reader);
    };
    const nodeSpecific = new Set<ReadEntry>();
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      let direct = e.volatile || this.touched.touches(e.key, e.ancestorKeys);
      readsAround(e, e.key, e.ancestorKeys);
      for (let j = 0; j < e.refs.length; j++) {
        const ref = e.refs[j];
        if (this.touched.touches(ref.key, ref.ancestorKeys)) direct = true;
        readsAround(e, ref.key, ref.ancestorKeys);
      }
      if (direct) nodeSpecific.add(e);
    }
    const queue = [...nodeSpecific];
    for (let entry = queue.pop(); entry !== undefined; entry = queue.pop()) {
      const readersOf = readers.get(entry);
      if (!readersOf) continue;
      for (let i = 0; i < readersOf.length; i++) {
        const reader = readersOf[i];
        if (nodeSpecific.has(reader)) continue;
        nodeSpecific.add(reader);
        queue.push(reader);
      }
    }
    return nodeSpecific;
  }
}

/** What a node's own layers set: its leaf paths in order, their values, and the dicts above. */
export interface OwnLayer {
  leaves: string[];
  values: unknown[];
  ancestors: string[];
}

/**
 * The paths a node's own layers set: every leaf (an empty dict counts as one) and every
 * dict above a leaf. Keys are built while walking, not from path arrays: this runs for
 * every node. They are the keys its rendering looks up (the inventory's KeyTables).
 */
export function ownLayerOf(layers: readonly Parameters[]): OwnLayer {
  const own: OwnLayer = { leaves: [], values: [], ancestors: [] };
  const walk = (dict: Map<string, unknown>, prefix: string, keys: KeyTables) => {
    // forEach: see Parameters.wrapDict.
    dict.forEach((v, k) => {
      const key = keys.childPathKey(prefix, k);
      if (v instanceof PDict && v.size > 0) {
        own.ancestors.push(key);
        walk(v, key, keys);
      } else {
        own.leaves.push(key);
        own.values.push(v);
      }
    });
  };
  for (const layer of layers) walk(layer.base, '', layer.settings.keyTables);
  return own;
}

/** Whether two leaves a node layer sets merge alike: equal plain scalars, flagged alike. */
function sameLeaf(a: unknown, b: unknown): boolean {
  if (!(a instanceof Value && b instanceof Value) || a.overwrite !== b.overwrite || a.constant !== b.constant)
    return false;
  const x = a.plainScalar();
  return x !== NOT_PLAIN && x === b.plainScalar();
}

const NOT_PLAIN = Value.NOT_PLAIN;

/**
 * Each set of paths that nodes set to other values than the recording node gets a memo of
 * its own, and each new memo costs its first node about a millisecond (specialising the
 * templates for it). Where nodes mix equal and other values in many paths, such sets
 * could be as many as the nodes: past this many, a node shares the memo of the nodes that
 * set the same paths instead, as if all its values were its own.
 */
const MAX_MEMOS_BY_VALUES = 16;

/**
 * The memos of the nodes that list the same classes (one shared class merge).
 *
 * A node's merged tree differs from another's with the same classes only where their own
 * layers differ. Nodes that set the same paths share a memo (touchedSignature); once one
 * node has recorded, a node that sets the same paths in the same order is compared with
 * it value by value, and only the paths it sets to other values count as its own: in MCP
 * models all nodes of a role set the same codename, domain and cluster values, and what is
 * built from those alone is then shared too. A node that sets more paths than a recorded
 * one derives its memo from that one's record (InterpolationMemo.derive).
 */
export class MemoBook {
  constructor(
    private readonly shared: SharedResults,
    private readonly settings: Settings,
  ) {}

  private readonly memos = new Map<string, InterpolationMemo>();
  /** How many memos were made by comparing values (see MAX_MEMOS_BY_VALUES). */
  private byValues = 0;
  /** Recorded memos with their recording node's own layer, in the order they were recorded. */
  private readonly recorded: Array<{ memo: InterpolationMemo; own: OwnLayer }> = [];

  /** The memo for a node whose own layers set `own`. */
  memoFor(own: OwnLayer): InterpolationMemo {
    const root = this.recorded[0];
    if (root && sameSequence(root.own.leaves, own.leaves)) {
      const differing = own.leaves.filter((_, i) => !sameLeaf(root.own.values[i], own.values[i]));
      const key = `=${differing.join('\u0003')}`;
      let memo = this.memos.get(key);
      if (!memo && this.byValues < MAX_MEMOS_BY_VALUES) {
        this.byValues++;
        const ancestors = new Set(differing.flatMap(ancestorKeysOfKey));
        this.memos.set(key, (memo = InterpolationMemo.derive(root.memo, new TouchedPaths(differing, [...ancestors]))));
      }
      if (memo) return memo;
    }
    const key = touchedSignature(own.leaves);
    let memo = this.memos.get(key);
    if (!memo) {
      const touched = new TouchedPaths(own.leaves, own.ancestors);
      const source = this.recorded.find((r) => touched.includes(r.memo.touched));
      memo = source
        ? InterpolationMemo.derive(source.memo, touched)
        : new InterpolationMemo(touched, this.shared, this.settings);
      this.memos.set(key, memo);
    }
    return memo;
  }

  /** Notes that the node whose own layers set `own` has just recorded `memo`. */
  recordedBy(memo: InterpolationMemo, own: OwnLayer): void {
    if (memo.recorded) this.recorded.push({ memo, own });
  }
}

function sameSequence(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
