/**
 * Node resolution (reclass core.py): classes merged depth-first in the order listed, each
 * once, the node last; then interpolation, with inventory queries answered from the other
 * nodes' exports. One node at a time; work shared between nodes is the accelerator's,
 * reached only through `hooks` (hooks.ts), and absent when there are none.
 */
import { ReclassNetError } from '../errors.js';
import type { Storage } from '../inventory/storage.js';
import { COPYING } from './copying.js';
import { Entity, entityOf } from './entity.js';
import type { ClassListMerge, MergeHooks, QueryAnswer, ResolverHooks, TreeSharing } from './hooks.js';
import type { NodeInventory } from './invquery.js';
import { mappedClasses, pythonRegExp } from './mappings.js';
import { Parameters, type ProvenanceLog } from './parameters.js';
import { parseValueString } from './parser.js';
import { pyStr } from './pyvalue.js';
import type { Settings } from './settings.js';
import { ResolveFailure, Value, locationOf, type Inventory } from './values.js';

interface MergeState {
  node: string;
  environment: string;
  seen: Set<string>;
  chains: Map<string, string[]>;
  active: string[];
  /** Merging a class list for every node listing it: a class name that needs
   * interpolation depends on the node, so meeting one abandons it (NODE_DEPENDENT). */
  forAllNodes: boolean;
  /** Warnings given so far, in order: a class list merged for all nodes gives them per node. */
  warnings: string[];
  /** What the accelerator is told about this merge; null when there is none. */
  hooks: MergeHooks | null;
}

/** Thrown out of a class list merge for all nodes when it turns out to depend on the node. */
const NODE_DEPENDENT = new (class NodeDependent extends Error {})('class merge depends on the node');

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
  /** Warnings held while an inventory for queries is built (see queryInventory). */
  private held: string[] | null = null;
  /** `give`, for Parameters: one function for every node. */
  private readonly giveWarning = (message: string) => this.give(message);
  /** How merges share containers: the accelerator's way, or reclass's copying. */
  private readonly trees: TreeSharing;

  constructor(
    readonly storage: Storage,
    readonly settings: Settings,
    readonly classMappings: string[],
    private readonly warn: (message: string) => void = (m) => process.stderr.write(`[WARNING] ${m}\n`),
    /** The accelerator's hooks; null resolves with reclass's rules alone. */
    private readonly hooks: ResolverHooks | null = null,
  ) {
    this.trees = hooks?.trees ?? COPYING;
    this.ignoreNotFound = settings.ignore_class_notfound
      ? pythonRegExp(`^(?:${settings.ignore_class_notfound_regexp.join('|')})`)
      : null;
  }

  /**
   * Each class's entity, made once and merged into every node that includes it, as reclass's
   * storage proxy keeps it: reclass's values keep state between nodes (a nested reference
   * assembled for one node), and reclass's output for the nodes after depends on it.
   */
  private readonly classes = new Map<string, Entity>();

  /** A node's entity, from its file read afresh (see Storage.getNode). */
  private loadNode(name: string): Entity {
    return entityOf(this.storage.getNode(name), this.settings, this.trees);
  }

  /** An entity of the resolver's own making, to merge into. */
  private newEntity(name: string, init: { classes?: string[] } = {}): Entity {
    return new Entity(this.settings, name, undefined, init, this.trees);
  }

  private give(message: string): void {
    if (this.held) this.held.push(message);
    else this.warn(message);
  }

  /** Renders a class name that contains `${...}` against the parameters merged so far. */
  private className(name: string, mergeBase: Entity, context: Entity, node: string, chain: string[]): string {
    const tokens = parseValueString(name, this.settings.syntax);
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
    const base = mergeBase ?? this.newEntity(`empty (@${state.node})`);
    this.mergeClasses(entity, state, base, context);
    base.merge(entity);
    return base;
  }

  /**
   * The class's entity (see `classes`), or undefined when no file defines it. Asked rather than
   * caught: under ignore_class_notfound a missing class is routine (a dozen per compute node of
   * the shared MCP models), not a failure to build an error object for.
   */
  private classIfThere(klass: string, state: MergeState): Entity | undefined {
    let entity = this.classes.get(klass);
    if (entity) return entity;
    try {
      const loaded = this.storage.findClass(klass);
      if (!loaded) return undefined;
      entity = entityOf(loaded, this.settings, this.trees);
    } catch (e) {
      throw e instanceof ReclassNetError ? e.addContext({ node: state.node, classChain: [...state.active, klass] }) : e;
    }
    this.classes.set(klass, entity);
    return entity;
  }

  /** Merges the descent of each class `entity` lists into `base`, depth-first, each once. */
  private mergeClasses(entity: Entity, state: MergeState, base: Entity, context?: Entity): void {
    const ctx = context ?? this.newEntity(`empty (@${state.node})`);
    for (let klass of entity.classes.items) {
      const sentinels = this.settings.reference_sentinels[0];
      if (klass.includes(sentinels) || klass.includes(this.settings.export_sentinels[0])) {
        if (state.forAllNodes) throw NODE_DEPENDENT;
        klass = this.className(klass, base, ctx, state.node, state.active);
        // The name came from the node's parameters.
        state.hooks?.nodeDependent();
      }
      if (state.seen.has(klass)) {
        state.hooks?.classSkipped(klass);
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
      const classEntity = this.classIfThere(klass, state);
      if (!classEntity) {
        if (this.ignoreNotFound && this.ignoreNotFound.test(klass)) {
          if (this.settings.ignore_class_notfound_warning) {
            const warning = `Reclass class not found: '${klass}'. Skipped!`;
            state.warnings.push(warning);
            // A merge for all nodes gives its warnings for each node that uses it, when it is used.
            if (!state.forAllNodes) this.give(warning);
          }
          // Kept, the descent would skip the warning the next time.
          state.hooks?.nodeDependent();
          continue;
        }
        throw new ReclassNetError('ClassNotFound', `class ${klass} not found`, {
          node: state.node,
          classChain: state.active,
          location: entity.origin ? { file: entity.origin.file, line: 0, column: 0 } : undefined,
        });
      }
      base.merge(this.descentOf(klass, classEntity, state, ctx));
      state.seen.add(klass);
    }
  }

  /** `klass` merged with everything it includes, depth-first (reclass's recursion). */
  private descentOf(klass: string, classEntity: Entity, state: MergeState, ctx: Entity): Entity {
    const reused = state.hooks?.reuseDescent(klass, state.seen);
    if (reused) {
      reused.classes.forEach((c, i) => {
        state.chains.set(c, [...state.active, ...reused.chains[i]]);
        state.seen.add(c);
      });
      return reused.entity;
    }
    state.chains.set(klass, [...state.active, klass]);
    state.hooks?.classEntered(klass);
    state.active.push(klass);
    const descent = this.recurse(classEntity, state, undefined, ctx);
    state.active.pop();
    state.hooks?.classLeft(klass, descent, state.chains, state.active.length);
    return descent;
  }

  private automaticParameters(node: string, environment: string): Parameters {
    if (!this.settings.automatic_parameters) return new Parameters(null, this.settings, undefined, this.trees);
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
    return new Parameters(data, this.settings, { entity: '__auto__', file: '(automatic parameters)' }, this.trees);
  }

  private scalarParameters(nodeEntity: Entity): Parameters | null {
    const key = this.settings.scalar_parameters;
    if (!key) return null;
    const scalars = nodeEntity.parameters.asDict().get(key) ?? new Map();
    const origin = { entity: '__scalar__', file: '(scalar parameters)' };
    return new Parameters(new Map([[key, scalars]]), this.settings, origin, this.trees);
  }

  /** All classes merged, nothing interpolated yet (reclass's _node_entity). */
  nodeEntity(name: string): ResolvedEntity {
    const nodeEntity = this.hooks?.loadedForQueries(name) ?? this.loadNode(name);
    if (nodeEntity.environment === null) nodeEntity.environment = this.settings.default_environment;
    const environment = nodeEntity.environment;
    const base = this.newEntity('base');
    const mapped = mappedClasses(
      this.classMappings,
      this.settings.class_mappings_match_path ? nodeEntity.pathname : name,
    );
    if (mapped.length > 0) base.merge(this.newEntity(`class mappings for node ${name}`, { classes: mapped }));
    const automatic = this.automaticParameters(name, environment);
    base.parameters.merge(automatic);
    const scalars = this.scalarParameters(nodeEntity);
    if (scalars) base.parameters.merge(scalars);
    const state = this.newState(name, environment, false);
    // Without mapped classes there is nothing to merge under `base`: recursing would only
    // copy it into a new entity, for every node.
    const mergeBase = mapped.length > 0 ? this.recurse(base, state) : base;
    if (this.hooks && mapped.length === 0) {
      const key = `${environment}\0${nodeEntity.classes.items.join('\0')}`;
      const shared = this.hooks.classListMerge(key, () => this.classListMerge(key, nodeEntity, name));
      if (shared) {
        for (const warning of shared.warnings) this.give(warning);
        mergeBase.merge(shared.merged);
        mergeBase.merge(nodeEntity);
        const own = [automatic, ...(scalars ? [scalars] : []), nodeEntity.parameters];
        return { name, entity: mergeBase, classChains: shared.chains, shared: { key: shared.key, own } };
      }
    }
    const entity = this.recurse(nodeEntity, state, mergeBase, mergeBase);
    return { name, entity, classChains: state.chains };
  }

  private newState(node: string, environment: string, forAllNodes: boolean): MergeState {
    return {
      node,
      environment,
      seen: new Set(),
      chains: new Map(),
      active: [],
      forAllNodes,
      warnings: [],
      hooks: this.hooks?.mergeStarted() ?? null,
    };
  }

  /**
   * A node's classes merged into an empty entity, for every node that lists the same
   * classes: merging that into a node's automatic parameters gives what merging class by
   * class gives, because merging is associative for dicts, lists and ValueLists. Undefined
   * when a class name has a reference: the merge then depends on the node's own values.
   */
  private classListMerge(key: string, nodeEntity: Entity, node: string): ClassListMerge | undefined {
    const state = this.newState(node, nodeEntity.environment ?? this.settings.default_environment, true);
    const merged = this.newEntity(`classes of ${node}`);
    try {
      this.mergeClasses(nodeEntity, state, merged);
    } catch (e) {
      if (e === NODE_DEPENDENT) return undefined;
      // The node fails here: it gives the warnings merging gave up to the failure first.
      for (const warning of state.warnings) this.give(warning);
      throw e;
    }
    return { key, merged, chains: state.chains, warnings: state.warnings };
  }

  /**
   * The exports a node's queries see (reclass's _get_inventory, with the node's queries).
   * Building them merges every node and renders its exports, with their warnings, which
   * reclass prints for each node that queries: they are part of the answer.
   */
  private queryInventory(allEnvs: boolean, environment: string, queries: Parameters['invQueries']): Inventory {
    const compute = (): QueryAnswer => {
      const outer = this.held;
      const warnings: string[] = (this.held = []);
      try {
        return { inventory: this.inventoryFor(allEnvs, environment, queries), warnings };
      } catch (e) {
        // reclass printed them before it failed: the failure is no answer to carry them.
        this.held = outer;
        for (const warning of warnings) this.give(warning);
        throw e;
      } finally {
        this.held = outer;
      }
    };
    let answer: QueryAnswer;
    if (this.hooks) {
      const key = [
        allEnvs,
        environment,
        ...queries.map(([, q]) => `${JSON.stringify(q.getInvReferences())}\u0000${q.ignoreFailedRender}`),
      ].join('\u0001');
      answer = this.hooks.queryInventory(key, compute);
    } else answer = compute();
    for (const warning of answer.warnings) this.give(warning);
    return answer.inventory;
  }

  /** The other nodes' exports, as reclass's _get_inventory builds them for queries. */
  private inventoryFor(allEnvs: boolean, environment: string, queries: Parameters['invQueries'] | null): Inventory {
    const inventory: Inventory = new Map<string, NodeInventory>();
    for (const name of this.storage.nodeNames()) {
      const load = () => this.loadNode(name);
      const nodeBase = this.hooks ? this.hooks.nodeForQueries(name, load) : load();
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
      this.prepare(entity);
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

  /** Where a merged node's rendering reports warnings, and whether it may share rendering. */
  private prepare(entity: Entity): void {
    for (const parameters of [entity.parameters, entity.exports]) {
      parameters.warn = this.giveWarning;
      parameters.rendering = this.hooks?.rendering;
    }
  }

  /** A node fully resolved (reclass's _nodeinfo). */
  nodeInfo(name: string, inventory: Inventory | null = null, log?: ProvenanceLog): ResolvedEntity {
    try {
      const resolved = this.nodeEntity(name);
      const { entity } = resolved;
      this.prepare(entity);
      entity.parameters.log = log;
      // Provenance wants every value rendered by this node itself.
      const sharing =
        log || !resolved.shared
          ? undefined
          : this.hooks?.interpolationStarted(resolved.shared.key, resolved.shared.own);
      entity.parameters.memo = sharing?.memo;
      entity.parameters.initialiseInterpolation();
      entity.exports.initialiseInterpolation();
      let inv = inventory;
      if (entity.parameters.hasInvQuery && inv === null) {
        inv = this.queryInventory(
          entity.parameters.needsAllEnvs,
          entity.environment ?? this.settings.default_environment,
          entity.parameters.invQueries,
        );
      }
      entity.parameters.interpolate(inv);
      sharing?.interpolated();
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
