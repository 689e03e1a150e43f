/**
 * Interpolation results shared between nodes. In MCP-style models every node of a role
 * lists the same classes, and its own file sets a handful of values (addresses, a host
 * name): most references render to the same value in all of them. A node's merged tree
 * differs from its role-mates' only at the paths its own layer sets (its file and the
 * automatic `_reclass_` parameters), so a reference whose whole computation reads none
 * of those paths has the same result in every node that sets the same paths. The first
 * such node records these results; the others take them instead of interpolating.
 *
 * "Reads" is meant transitively and in both directions along a path: a value depends on
 * the paths it references, on everything rendered into those (an ancestor that was a
 * reference itself, descendants that were), and on everything rendered into itself.
 */
import type { PathPart } from './dictpath.js';
import { markShared } from './shared.js';

/** Identifies a set of own leaf paths: nodes with equal signatures share results. */
export function touchedSignature(leafKeys: readonly string[]): string {
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
    for (const a of ancestorKeys) if (this.leaves.has(a)) return true;
    return false;
  }

  /** Whether every path `other` sets is set here too. */
  includes(other: TouchedPaths): boolean {
    for (const leaf of other.leaves) if (!this.leaves.has(leaf)) return false;
    return true;
  }
}

/** What interpolating one path read: all that deciding whether it depends on the node needs. */
export interface ReadEntry {
  key: string;
  /** Keys of the path's proper ancestors, outermost first. */
  ancestorKeys: readonly string[];
  /** The references its value read, as path key and ancestor keys. */
  refs: ReadonlyArray<{ key: string; ancestorKeys: readonly string[] }>;
  /** Rendering it did something a node must see for itself (a warning). */
  volatile: boolean;
}

/** What a node recorded about one interpolated path. */
export interface RenderedEntry extends ReadEntry {
  /** Where the final value is, once the node is fully interpolated. */
  container: Map<string, unknown> | unknown[];
  slot: PathPart;
}

/** Results shared by the nodes with the same classes and the same touched paths. */
export class InterpolationMemo {
  /** Final values by path key; null until the first node has recorded them. */
  values: Map<string, unknown> | null = null;
  /** What the recording node read, for memos derived from this one (see derive). */
  private reads: ReadEntry[] | null = null;

  constructor(readonly touched: TouchedPaths) {}

  /** Shares nothing: the recording node's data is too large to track. */
  giveUp(): void {
    this.values = new Map();
  }

  /**
   * Keeps the final values of the entries whose computation read nothing the recording
   * node's layer touched. Those values become shared between nodes, so are frozen.
   */
  record(entries: RenderedEntry[]): void {
    const nodeSpecific = this.nodeSpecific(entries);
    const values = new Map<string, unknown>();
    for (const e of entries) {
      if (nodeSpecific.has(e)) continue;
      const value = e.container instanceof Map ? e.container.get(e.slot as string) : e.container[e.slot as number];
      if (value !== null && typeof value === 'object') markShared(value);
      values.set(e.key, value);
    }
    this.values = values;
    // Without the containers: they belong to the recording node's result.
    this.reads = entries.map(({ key, ancestorKeys, refs, volatile }) => ({ key, ancestorKeys, refs, volatile }));
  }

  /**
   * The memo of the nodes with the same classes as `source`'s whose layers set all the paths
   * its recording node's layer set, and more (`touched`): in MCP models, the compute nodes
   * that override a few values more than the others. Their merged trees differ from the
   * recording node's only at paths `touched` covers, so an entry whose computation read
   * none of those has the same result for them. That is what recording again would find,
   * without interpolating a node to find it.
   */
  static derive(source: InterpolationMemo, touched: TouchedPaths): InterpolationMemo | undefined {
    if (!source.reads || !source.values || !touched.includes(source.touched)) return undefined;
    const memo = new InterpolationMemo(touched);
    const nodeSpecific = memo.nodeSpecific(source.reads);
    const values = new Map<string, unknown>();
    for (const e of source.reads) if (!nodeSpecific.has(e)) values.set(e.key, source.values.get(e.key));
    memo.values = values;
    memo.reads = source.reads;
    return memo;
  }

  /** The entries whose computation read something this memo's touched paths cover. */
  private nodeSpecific(entries: readonly ReadEntry[]): Set<ReadEntry> {
    const byKey = new Map<string, ReadEntry>();
    const under = new Map<string, ReadEntry[]>();
    for (const e of entries) {
      byKey.set(e.key, e);
      for (const a of e.ancestorKeys) {
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
      if (below) for (const e of below) addReader(e, reader);
      addReader(byKey.get(key), reader);
      for (const a of ancestorKeys) addReader(byKey.get(a), reader);
    };
    const nodeSpecific = new Set<ReadEntry>();
    for (const e of entries) {
      let direct = e.volatile || this.touched.touches(e.key, e.ancestorKeys);
      readsAround(e, e.key, e.ancestorKeys);
      for (const ref of e.refs) {
        if (this.touched.touches(ref.key, ref.ancestorKeys)) direct = true;
        readsAround(e, ref.key, ref.ancestorKeys);
      }
      if (direct) nodeSpecific.add(e);
    }
    const queue = [...nodeSpecific];
    while (queue.length > 0) {
      for (const reader of readers.get(queue.pop()!) ?? []) {
        if (nodeSpecific.has(reader)) continue;
        nodeSpecific.add(reader);
        queue.push(reader);
      }
    }
    return nodeSpecific;
  }
}
