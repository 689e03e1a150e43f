/**
 * Where the resolver lets an accelerator in. The resolver is reclass's rules for one node
 * at a time and runs alone when it is given no hooks (`accelerator: false`); an accelerator
 * (src/accelerate) shares work between nodes through these calls only. Each hook says what
 * the resolver is doing; what the accelerator keeps in return is its own business, and
 * everything it hands back must be exactly what the resolver would have computed.
 */
import type { PathPart } from './dictpath.js';
import type { Entity } from './entity.js';
import type { Parameters } from './parameters.js';
import type { Settings } from './settings.js';
import type { SharedResults } from './shared.js';
import type { Inventory, Origin, PDict, Value, ValueList } from './values.js';

/** What one node's merge of its classes tells the accelerator, class by class. */
export interface MergeHooks {
  /** `klass` is about to be merged with everything it includes. */
  classEntered(klass: string): void;
  /** `klass` and its descent were merged: `descent` holds them, `chains` every class's include chain. */
  classLeft(klass: string, descent: Entity, chains: ReadonlyMap<string, readonly string[]>, depth: number): void;
  /** `klass` was not merged again: it was merged before. */
  classSkipped(klass: string): void;
  /** What is being merged depends on the node (a class name from its parameters, a warning). */
  nodeDependent(): void;
  /**
   * Before `klass` is merged: its descent as merged for an earlier node, when merging it now
   * would do exactly the same; else undefined. `seen`: the classes this node merged so far.
   */
  reuseDescent(klass: string, seen: ReadonlySet<string>): ReusedDescent | undefined;
}

/** A descent merged before: its entity, and the classes it holds with their chains below it. */
export interface ReusedDescent {
  entity: Entity;
  classes: readonly string[];
  chains: ReadonlyArray<readonly string[]>;
}

/** A node's classes merged for every node that lists the same classes. */
export interface ClassListMerge {
  key: string;
  merged: Entity;
  chains: Map<string, string[]>;
  /** The warnings merging gave, which every node using the merge gives as reclass would. */
  warnings: string[];
}

/**
 * Interpolation results of nodes alike, as Parameters uses them: `values` (final values by
 * path key) once a node has recorded them. Until then `values` is null, and the node
 * interpolating reports each value it interpolates, with what it read, for the nodes after it.
 */
export interface RenderingMemo {
  readonly values: ReadonlyMap<string, unknown> | null;
  /**
   * `container[slot]`, the value at `path` (whose path key is `key`), was interpolated,
   * reading the references `references`; `volatile`: rendering it gave a warning, which
   * every node must give itself.
   */
  interpolated(
    path: readonly PathPart[],
    key: string,
    references: readonly string[],
    volatile: boolean,
    container: Container,
    slot: PathPart,
  ): void;
  /** The node reported every value it interpolated: the values are the memo's now. */
  interpolationDone(): void;
  /** Shares nothing: what the node's values read cannot be told apart from the node. */
  giveUp(): void;
}

/** A node's memo, and what the resolver says once the node is interpolated. */
export interface NodeMemo {
  memo: RenderingMemo;
  interpolated(): void;
}

/** The exports inventory queries see, and the warnings building them gave. */
export interface QueryAnswer {
  inventory: Inventory;
  warnings: readonly string[];
}

/** A rendered container: a dict or a list. */
export type Container = Map<string, unknown> | unknown[];

/**
 * What rendering a frozen subtree for the accelerator needs of the Parameters whose tree
 * it is: the resolver's own simple rendering of one entry, and what only it knows.
 */
export interface RenderingHost {
  /** Renders `value` into `container[key]` as the resolver does, queueing what needs
   * interpolation; `path` is the container's path and `pathId` its pathKey. */
  renderSimpleContainer(container: Container, key: PathPart, value: unknown, path: PathPart[], pathId: string): void;
  /** How this node's merges shared containers: what in its tree is frozen (merged data no
   * merge changes any more, the same for every node holding it). */
  readonly tree: TreeOwnership;
  /** How many values this node has queued for interpolation so far. */
  readonly queuedCount: number;
  /** Interpolation results of nodes like this one, when it has one. */
  readonly memo: RenderingMemo | undefined;
}

/**
 * The simple rendering of frozen subtrees (data no node changes any more), shared by
 * every node that holds them. Each returns exactly what the host's entry-by-entry
 * rendering would (queueing the same values, in the same order), or undefined to leave
 * the rendering to it.
 */
export interface RenderingHooks {
  /** `subtree` rendered, if it is frozen; `path` and `pathId` as in renderSimpleContainer. */
  frozenRendering<T extends Container>(
    host: RenderingHost,
    subtree: T,
    path: PathPart[],
    pathId: string,
  ): T | undefined;
  /** `dict` rendered, if the node copied it from a frozen dict to change a few keys, for a
   * node with a memo that answers. */
  copiedRendering(
    host: RenderingHost,
    dict: Map<string, unknown>,
    memo: RenderingMemo,
    path: PathPart[],
    pathId: string,
  ): Map<string, unknown> | undefined;
}

/**
 * How the merges into one Parameters take and change containers. reclass copies every
 * container it merges (COPYING, copying.ts); an accelerator may share them between merges
 * instead, provided nothing shared ever changes. Merging calls only these.
 */
export interface TreeOwnership {
  /** A new, empty dict of this tree's, which its merges change in place. */
  newDict(origin: Origin | undefined): PDict;
  /** A new, empty dict to wrap loaded data in (Parameters.wrapDict). */
  loadedDict(origin: Origin | undefined): PDict;
  /** `dict`, if this tree may change it in place; else a copy of it that it may. */
  writableDict(dict: Map<string, unknown>, origin: Origin | undefined): PDict;
  /** Where merging notes the keys it sets in `dict`, which this tree may change, if the
   * tree keeps them; else undefined. */
  changeLog(dict: PDict): Set<string> | undefined;
  /** A new ValueList of this tree's, holding `first`. */
  newList(first: Value, settings: Settings): ValueList;
  /** `list`, if this tree may append to it in place; else a copy of it that it may. */
  writableList(list: ValueList): ValueList;
  /** This tree, `base`, is merged into another: what that merge takes of it, which no
   * merge changes in place unless it made it. */
  lend(base: PDict): PDict;
  /** Merged data that no merge changes any more: the same for every node holding it. */
  isFrozen(subtree: unknown): boolean;
}

/** Makes the TreeOwnership of each Parameters of one resolution. */
export interface TreeSharing {
  ownership(): TreeOwnership;
}

/** The hooks of a whole resolution: the resolver calls these, and no others. */
export interface ResolverHooks {
  /** How merges share containers, for every Parameters the resolver makes. */
  readonly trees: TreeSharing;
  /** Where rendering marks what the nodes share, for the JSON writer. */
  readonly shared: SharedResults;
  /** How a node renders its frozen subtrees, instead of entry by entry. */
  readonly rendering: RenderingHooks;
  /** A node's merge of its classes begins. */
  mergeStarted(): MergeHooks;
  /**
   * A node without class mappings merges its class list: the merge made for an earlier node
   * listing the same classes (`merge` makes it; undefined if it depends on the node), or
   * undefined to merge for this node alone.
   */
  classListMerge(key: string, merge: () => ClassListMerge | undefined): ClassListMerge | undefined;
  /** A node that used `classListMerge`'s result is about to be interpolated; `own` are its own layers. */
  interpolationStarted(key: string, own: readonly Parameters[]): NodeMemo;
  /** The exports a node's queries see: the same for every node asking the same under `key`. */
  queryInventory(key: string, compute: () => QueryAnswer): QueryAnswer;
  /** A node's unmerged entity, loaded once for all the queries that need it. */
  nodeForQueries(name: string, load: () => Entity): Entity;
  /** The node's entity if queries loaded it already (the node is then merged from it). */
  loadedForQueries(name: string): Entity | undefined;
}
