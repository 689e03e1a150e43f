/**
 * Node resolution (reclass core.py): classes merged depth-first in the order listed, each
 * once, the node last; then interpolation, with inventory queries answered from the other
 * nodes' exports.
 */
import { ReclassNetError } from '../errors.js';
import type { Storage } from '../inventory/storage.js';
import { Entity } from './entity.js';
import type { NodeInventory } from './invquery.js';
import { mappedClasses, pythonRegExp } from './mappings.js';
import { MemoBook, ownLayerOf, type InterpolationMemo, type OwnLayer } from './memo.js';
import { Parameters, type ProvenanceLog } from './parameters.js';
import { parseValueString } from './parser.js';
import { pyStr } from './pyvalue.js';
import type { Settings } from './settings.js';
import { sentinelsOf } from './settings.js';
import { ResolveFailure, Value, locationOf, type Inventory } from './values.js';

interface MergeState {
  node: string;
  environment: string;
  seen: Set<string>;
  chains: Map<string, string[]>;
  active: string[];
  /** Merging for several nodes at once: a class name that needs interpolation depends on
   * the node, so meeting one abandons sharing. */
  shared: boolean;
  /** Every class entered so far, in order, and each one's place in that order. */
  entered: string[];
  enteredAt: Map<string, number>;
  /** The descents being merged now, innermost last, that may still be kept (see descentOf). */
  recording: DescentRecording[];
  /** Warnings given so far, in order: a node reusing a shared merge gives them again. */
  warnings: string[];
}

/** A class's descent while it is merged: where its classes start in `entered`. */
interface DescentRecording {
  start: number;
  /** Classes it skipped because they were merged before it began. */
  skipped: string[];
  /** Cleared when the descent depended on the node (see spoilRecordings). */
  keepable: boolean;
}

/**
 * A class merged with everything it includes, depth-first, as reclass's recursion makes it.
 * Which of those classes it merges depends only on which of them were merged before it,
 * so with the same ones merged before (`skipped`) and none of the rest (`classes`) the
 * result is the same for any node: it is kept and merged again.
 */
interface KeptDescent {
  entity: Entity;
  skipped: string[];
  /** The classes it entered, in order (the class itself first), with their include
   * chains from the class down. */
  classes: string[];
  chains: string[][];
}

/** Kept descents of one class: a few, for the few orders classes come up in. */
const MAX_DESCENTS_PER_CLASS = 8;

const NOT_SHAREABLE = Symbol('class merge depends on the node');

function enter(state: MergeState, klass: string): void {
  state.enteredAt.set(klass, state.entered.length);
  state.entered.push(klass);
}

/** Notes, in the descents being recorded, that they depended on the node: none is kept. */
function spoilRecordings(state: MergeState): void {
  for (const recording of state.recording) recording.keepable = false;
}

/** Notes `klass`, skipped as merged already, in the descents that began after it was
 * entered (the others entered it themselves). Recordings are nested, innermost last. */
function noteSkipped(state: MergeState, klass: string): void {
  const at = state.enteredAt.get(klass)!;
  for (let i = state.recording.length - 1; i >= 0 && state.recording[i].start > at; i--) {
    state.recording[i].skipped.push(klass);
  }
}

/** The merge of a class list, shared by the nodes listing it. */
interface SharedMerge {
  key: string;
  merged: Entity;
  chains: Map<string, string[]>;
  /** The warnings merging gave, which every node using the merge gives as reclass would. */
  warnings: string[];
}

/** A node's part in the sharing between nodes with the same classes (see memo.ts). */
interface NodeSharing {
  book: MemoBook;
  layer: OwnLayer;
  memo: InterpolationMemo;
}

export interface ResolvedEntity {
  name: string;
  entity: Entity;
  /** Every class with the chain of classes that included it, outermost first. */
  classChains: Map<string, string[]>;
  log?: ProvenanceLog;
  /** Set when the node's classes were merged once for all nodes listing them: the shared
   * merge's key and the node's own layer (what makes it differ from those nodes). */
  shared?: { key: string; own: Parameters[] };
}

export class Resolver {
  private readonly ignoreNotFound: RegExp | null;

  constructor(
    readonly storage: Storage,
    readonly settings: Settings,
    readonly classMappings: string[],
    private readonly warn: (message: string) => void = (m) => process.stderr.write(`[WARNING] ${m}\n`),
  ) {
    this.ignoreNotFound = settings.ignore_class_notfound
      ? pythonRegExp(`^(?:${settings.ignore_class_notfound_regexp.join('|')})`)
      : null;
  }

  /** Renders a class name that contains `${...}` against the parameters merged so far. */
  private className(name: string, mergeBase: Entity, context: Entity, node: string, chain: string[]): string {
    const tokens = parseValueString(name, sentinelsOf(this.settings));
    if (!tokens) return name;
    const render = (params: Parameters) =>
      pyStr(new Value(name, this.settings, undefined).render(params.asDict(), null));
    try {
      return render(mergeBase.parameters);
    } catch (e) {
      if (!(e instanceof ResolveFailure)) throw e;
      try {
        return render(context.parameters);
      } catch (e2) {
        if (!(e2 instanceof ResolveFailure)) throw e2;
        throw new ReclassNetError('ClassNameResolveError', `class name ${name} not resolvable`, {
          node,
          classChain: chain,
          location: mergeBase.origin ? { file: mergeBase.origin.file, line: 0, column: 0 } : undefined,
        });
      }
    }
  }

  private recurse(entity: Entity, state: MergeState, mergeBase?: Entity, context?: Entity): Entity {
    const base = mergeBase ?? new Entity(this.settings, `empty (@${state.node})`, undefined);
    this.mergeClasses(entity, state, base, context);
    base.merge(entity);
    return base;
  }

  /** Merges the descent of each class `entity` lists into `base`, depth-first, each once. */
  private mergeClasses(entity: Entity, state: MergeState, base: Entity, context?: Entity): void {
    const ctx = context ?? new Entity(this.settings, `empty (@${state.node})`, undefined);
    for (let klass of entity.classes.items) {
      const sentinels = this.settings.reference_sentinels[0];
      if (klass.includes(sentinels) || klass.includes(this.settings.export_sentinels[0])) {
        if (state.shared) throw NOT_SHAREABLE;
        klass = this.className(klass, base, ctx, state.node, state.active);
        // The name came from the node's parameters.
        spoilRecordings(state);
      }
      if (state.seen.has(klass)) {
        noteSkipped(state, klass);
        continue;
      }
      if (state.active.includes(klass)) {
        // reclass recurses until Python's stack overflows; say what the cycle is instead.
        throw new ReclassNetError('ClassCycle', `class include cycle: ${[...state.active, klass].join(' -> ')}`, {
          node: state.node,
          classChain: state.active,
          // The file whose class list closes the cycle.
          location: entity.origin ? { file: entity.origin.file, line: 0, column: 0 } : undefined,
        });
      }
      let classEntity: Entity;
      try {
        classEntity = this.storage.getClass(klass);
      } catch (e) {
        if (e instanceof ReclassNetError && e.kind === 'ClassNotFound') {
          if (this.ignoreNotFound && this.ignoreNotFound.test(klass)) {
            if (this.settings.ignore_class_notfound_warning) {
              const warning = `Reclass class not found: '${klass}'. Skipped!`;
              state.warnings.push(warning);
              // A shared merge gives its warnings for each node that uses it, when it is used.
              if (!state.shared) this.warn(warning);
            }
            // Kept, the descent would skip the warning the next time.
            spoilRecordings(state);
            continue;
          }
          throw new ReclassNetError('ClassNotFound', `class ${klass} not found`, {
            node: state.node,
            classChain: state.active,
            location: entity.origin ? { file: entity.origin.file, line: 0, column: 0 } : undefined,
          });
        }
        throw e instanceof ReclassNetError
          ? e.addContext({ node: state.node, classChain: [...state.active, klass] })
          : e;
      }
      base.merge(this.descentOf(klass, classEntity, state, ctx));
      state.seen.add(klass);
    }
  }

  /**
   * The descent of `klass`: kept from an earlier merge that began with the same of its
   * classes merged already (then merging it afresh would do exactly what it did then),
   * else merged now and kept. Nodes of different roles and clusters include the same
   * system classes, each with a chain of classes below it; merging those chains once
   * instead of once per class list took a quarter off merging a class list's classes.
   */
  private descentOf(klass: string, classEntity: Entity, state: MergeState, ctx: Entity): Entity {
    const kept = this.descents.get(klass);
    const match = kept?.find(
      (d) => d.skipped.every((c) => state.seen.has(c)) && d.classes.every((c) => !state.enteredAt.has(c)),
    );
    if (match) {
      match.classes.forEach((c, i) => {
        state.chains.set(c, [...state.active, ...match.chains[i]]);
        enter(state, c);
        state.seen.add(c);
      });
      for (const c of match.skipped) noteSkipped(state, c);
      return match.entity;
    }
    const recording: DescentRecording = { start: state.entered.length, skipped: [], keepable: true };
    state.chains.set(klass, [...state.active, klass]);
    enter(state, klass);
    state.recording.push(recording);
    state.active.push(klass);
    const descent = this.recurse(classEntity, state, undefined, ctx);
    state.active.pop();
    state.recording.pop();
    if (recording.keepable && (kept?.length ?? 0) < MAX_DESCENTS_PER_CLASS) {
      const classes = state.entered.slice(recording.start);
      const depth = state.active.length;
      const chains = classes.map((c) => state.chains.get(c)!.slice(depth));
      const variant: KeptDescent = { entity: descent, skipped: recording.skipped, classes, chains };
      if (kept) kept.push(variant);
      else this.descents.set(klass, [variant]);
    }
    return descent;
  }

  private automaticParameters(node: string, environment: string): Parameters {
    if (!this.settings.automatic_parameters) return new Parameters(null, this.settings, undefined);
    const data = new Map<string, unknown>([
      [
        '_reclass_',
        new Map<string, unknown>([
          [
            'name',
            new Map<string, unknown>([
              ['full', node],
              ['short', node.split('.')[0]],
            ]),
          ],
          ['environment', environment],
        ]),
      ],
    ]);
    return new Parameters(data, this.settings, { entity: '__auto__', file: '(automatic parameters)' });
  }

  private scalarParameters(nodeEntity: Entity): Parameters | null {
    const key = this.settings.scalar_parameters;
    if (!key) return null;
    const scalars = nodeEntity.parameters.asDict().get(key) ?? new Map();
    return new Parameters(new Map([[key, scalars]]), this.settings, {
      entity: '__scalar__',
      file: '(scalar parameters)',
    });
  }

  /** All classes merged, nothing interpolated yet (reclass's _node_entity). */
  nodeEntity(name: string): ResolvedEntity {
    const nodeEntity = this.nodesForQueries.get(name) ?? this.storage.getNode(name);
    if (nodeEntity.environment === null) nodeEntity.environment = this.settings.default_environment;
    const base = new Entity(this.settings, 'base', undefined);
    const mapped = mappedClasses(
      this.classMappings,
      this.settings.class_mappings_match_path ? nodeEntity.pathname : name,
    );
    if (mapped.length > 0)
      base.merge(new Entity(this.settings, `class mappings for node ${name}`, undefined, { classes: mapped }));
    const automatic = this.automaticParameters(name, nodeEntity.environment);
    base.parameters.merge(automatic);
    const scalars = this.scalarParameters(nodeEntity);
    if (scalars) base.parameters.merge(scalars);
    const state = this.newState(name, nodeEntity.environment);
    // Without mapped classes there is nothing to merge under `base`: recursing would only
    // copy it into a new entity, for every node.
    const mergeBase = mapped.length > 0 ? this.recurse(base, state) : base;
    // The first node merges its classes directly: sharing only pays from the second node
    // with the same classes on, and a one-node call (`node`, `render`) never gets there.
    // Recording the shared merge and the memo was a fifth of a cold one-node call.
    const share = this.nodesMerged++ > 0;
    if (share && mapped.length === 0) {
      const shared = this.sharedClassMerge(nodeEntity, name);
      if (shared) {
        for (const warning of shared.warnings) this.warn(warning);
        mergeBase.merge(shared.merged);
        mergeBase.merge(nodeEntity);
        const own = [automatic, ...(scalars ? [scalars] : []), nodeEntity.parameters];
        return { name, entity: mergeBase, classChains: shared.chains, shared: { key: shared.key, own } };
      }
    }
    const entity = this.recurse(nodeEntity, state, mergeBase, mergeBase);
    return { name, entity, classChains: state.chains };
  }

  private newState(node: string, environment: string): MergeState {
    return {
      node,
      environment,
      seen: new Set(),
      chains: new Map(),
      active: [],
      shared: false,
      entered: [],
      enteredAt: new Map(),
      recording: [],
      warnings: [],
    };
  }

  /**
   * The merge of a node's classes, shared by every node that lists the same classes: in MCP
   * models whole roles (all computes, all controllers) do, and re-merging their deep class
   * chains per node was most of the resolution time. Merging the shared result into the
   * node's automatic parameters gives what merging class by class gives, because merging is
   * associative for dicts, lists and ValueLists. Class names with references depend on the
   * node's own values, so such nodes are merged individually.
   */
  private sharedClassMerge(nodeEntity: Entity, node: string): SharedMerge | undefined {
    const key = `${nodeEntity.environment}\0${nodeEntity.classes.items.join('\0')}`;
    if (this.classMerges.has(key)) return this.classMerges.get(key);
    const state = { ...this.newState(node, nodeEntity.environment!), shared: true };
    const merged = new Entity(this.settings, `classes of ${node}`, undefined);
    let result: SharedMerge | undefined;
    try {
      this.mergeClasses(nodeEntity, state, merged);
      result = { key, merged, chains: state.chains, warnings: state.warnings };
    } catch (e) {
      if (e !== NOT_SHAREABLE) throw e;
    }
    this.classMerges.set(key, result);
    return result;
  }

  private nodesMerged = 0;
  /** Descents of classes, by class name (see descentOf). */
  private readonly descents = new Map<string, KeptDescent[]>();
  private readonly classMerges = new Map<string, SharedMerge | undefined>();
  /** The memos of each shared class merge, by its key. */
  private readonly memoBooks = new Map<string, MemoBook>();

  /** The memo of `shared`'s node, and what it needs to note after interpolating. */
  private sharing({ key, own }: NonNullable<ResolvedEntity['shared']>): NodeSharing {
    let book = this.memoBooks.get(key);
    if (!book) this.memoBooks.set(key, (book = new MemoBook()));
    const layer = ownLayerOf(own.map((p) => p.base));
    return { book, layer, memo: book.memoFor(layer) };
  }

  /**
   * The exports a node's queries see. Every node whose queries read the same export paths in
   * the same environment sees the same answer (it depends only on the other nodes' files), so it is
   * computed once: otherwise resolving an inventory whose nodes all query each other, as
   * newer MCP models do, would resolve every node once per node. Query results are deep
   * copies, so sharing the answer is safe.
   */
  private queryInventory(allEnvs: boolean, environment: string, queries: Parameters['invQueries']): Inventory {
    const key = [
      allEnvs,
      environment,
      ...queries.map(([, q]) => `${JSON.stringify(q.getInvReferences())}\u0000${q.ignoreFailedRender}`),
    ].join('\u0001');
    let inventory = this.queryInventories.get(key);
    if (!inventory) {
      inventory = this.inventoryFor(allEnvs, environment, queries);
      this.queryInventories.set(key, inventory);
    }
    return inventory;
  }

  private readonly queryInventories = new Map<string, Inventory>();
  /** Every node, once inventory queries needed them all: each node is then resolved once
   * per set of queries and once for itself, from one load of its file. */
  private readonly nodesForQueries = new Map<string, Entity>();

  /** The other nodes' exports, as reclass's _get_inventory builds them for queries. */
  private inventoryFor(allEnvs: boolean, environment: string, queries: Parameters['invQueries'] | null): Inventory {
    const inventory: Inventory = new Map<string, NodeInventory>();
    for (const name of this.storage.nodeNames()) {
      let nodeBase = this.nodesForQueries.get(name);
      if (!nodeBase) this.nodesForQueries.set(name, (nodeBase = this.storage.getNode(name)));
      const nodeEnvironment = nodeBase.environment ?? this.settings.default_environment;
      if (!allEnvs && nodeEnvironment !== environment) continue;
      let resolved: ResolvedEntity;
      try {
        resolved = this.nodeEntity(name);
      } catch (e) {
        // reclass wraps these two in kinds of their own, whose message holds the inner one.
        if (e instanceof ReclassNetError && (e.kind === 'ClassNotFound' || e.kind === 'ClassNameResolveError')) {
          const kind = e.kind === 'ClassNotFound' ? 'InvQueryClassNotFound' : 'InvQueryClassNameResolveError';
          throw new ReclassNetError(kind, `inventory queries: ${e.kind}: ${e.detail}`, { ...e.context, node: name });
        }
        throw e;
      }
      const { entity } = resolved;
      entity.parameters.warn = this.warn;
      entity.exports.warn = this.warn;
      if (queries === null) {
        entity.exports.interpolateFromExternalLenient(entity.parameters);
      } else {
        entity.parameters.initialiseInterpolation();
        entity.exports.initialiseInterpolation();
        for (const [path, query] of queries) {
          try {
            entity.exports.interpolateSingleFromExternal(entity.parameters, query);
          } catch (e) {
            if (!(e instanceof ReclassNetError)) throw e;
            throw new ReclassNetError(
              'InvQueryError',
              `failed inventory query ${query.pyStr()} for node ${name}: ${e.kind}: ${e.detail}`,
              {
                path: path.join(this.settings.delimiter),
                location: locationOf(query.origin),
              },
            );
          }
        }
      }
      inventory.set(name, { items: entity.exports.asDict(), envMatches: nodeEnvironment === environment });
    }
    return inventory;
  }

  /** A node fully resolved (reclass's _nodeinfo). */
  nodeInfo(name: string, inventory: Inventory | null = null, log?: ProvenanceLog): ResolvedEntity {
    try {
      const resolved = this.nodeEntity(name);
      const { entity } = resolved;
      entity.parameters.log = log;
      entity.parameters.warn = this.warn;
      entity.exports.warn = this.warn;
      // Provenance wants every value rendered by this node itself.
      const sharing = log || !resolved.shared ? undefined : this.sharing(resolved.shared);
      const recording = sharing?.memo.values === null;
      entity.parameters.memo = sharing?.memo;
      entity.parameters.initialiseInterpolation();
      entity.exports.initialiseInterpolation();
      let inv = inventory;
      if (entity.parameters.hasInvQuery && inv === null) {
        inv = this.queryInventory(entity.parameters.needsAllEnvs, entity.environment!, entity.parameters.invQueries);
      }
      entity.parameters.interpolate(inv);
      if (recording) sharing.book.recordedBy(sharing.memo, sharing.layer);
      entity.exports.interpolateFromExternal(entity.parameters);
      entity.parameters.log = undefined;
      return { ...resolved, log };
    } catch (e) {
      if (e instanceof ReclassNetError) throw e.addContext({ node: name });
      throw e;
    }
  }

  /** Every node's exports, for resolving a whole inventory (reclass -i). */
  fullInventory(): Inventory {
    return this.inventoryFor(true, '', null);
  }
}
