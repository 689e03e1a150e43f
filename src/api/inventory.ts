/**
 * The library's entry point: an inventory directory opened once, its nodes resolved on
 * demand. Class files are parsed once per Inventory and shared by every node.
 */
import { nearestWord } from '../network/suggest.js';
import { ReclassNetError } from '../errors.js';
import { Accelerator } from '../accelerate/accelerator.js';
import type { SharedResults } from '../resolve/shared.js';
import { Resolver, type ResolvedEntity } from '../resolve/core.js';
import type { ProvenanceLog } from '../resolve/parameters.js';
import { makeProvenance } from '../resolve/provenance.js';
import type { Limits } from '../resolve/limits.js';
import { makeSettings, type Settings } from '../resolve/settings.js';
import type { ClassSource, ResolvedNode, ValueMap } from '../types.js';
import { readConfig, type InventoryConfig } from '../inventory/config.js';
import { toPlain } from '../inventory/plain.js';
import { Storage } from '../inventory/storage.js';

/**
 * Options as reclass-config.yml spells them; they override the inventory's own file.
 * @example
 * const inv = await openInventory('site', { ignore_class_notfound: true, provenance: false, warn: console.warn });
 */
export interface InventoryOptions extends Partial<Omit<Settings, 'limits'>> {
  /** Bounds on reading and resolving (see resolve/limits.ts); replace the config's `limits:`. */
  limits?: Partial<Limits>;
  nodes_uri?: string;
  classes_uri?: string;
  class_paths?: Record<string, string>;
  class_mappings?: string[];
  /** Record where every value came from (for `explain` and docs). Default true. */
  provenance?: boolean;
  /**
   * Share work between nodes (class merges, interpolation results, query answers; see
   * docs/architecture.md). Default true. false resolves every node with reclass's rules
   * alone, one node at a time: slower, and the same output, which the tests prove. The
   * default is false when the environment has RECLASS_NET_ACCELERATOR=off (what the
   * CLI's `--no-accelerator` sets).
   */
  accelerator?: boolean;
  /** Where warnings go (missing classes when ignored, undefined overwritten references). */
  warn?: (message: string) => void;
  /**
   * 'all' (the default) lists the class trees when the inventory opens, as reclass does, so
   * that a class defined twice anywhere is an error. 'as-needed' lists only the directories
   * a class looked up can be in: much less for one node of a large model, but a class
   * defined twice, or a symlink loop, where the node never looks goes unnoticed.
   */
  listClasses?: 'all' | 'as-needed';
}

/** A node's resolution with reclass's internal data kept, for output that must match reclass. */
export interface RawNode {
  name: string;
  classes: string[];
  applications: string[];
  /** Read-only: without provenance, nodes with the same classes share subtrees. */
  parameters: Map<string, unknown>;
  /** Read-only, like `parameters`. */
  exports: Map<string, unknown>;
  environment: string;
  file: string;
  resolved: ResolvedEntity;
}

/**
 * The `__reclass__` entries reclass 1.7 gives every node (its Node.__reclass__ data without
 * the timestamp), in reclass's order; the `node` document and the Ansible adapter add to them.
 */
export function reclassMetadata(node: RawNode): Map<string, unknown> {
  return new Map<string, unknown>([
    ['node', node.name],
    ['name', node.name],
    ['uri', `yaml_fs://${node.file}`],
    ['environment', node.environment],
  ]);
}

/**
 * An opened inventory: nodes and classes indexed once, each node resolved on demand.
 * @example
 * const inv = await openInventory('path/to/model');
 * for (const name of inv.nodeNames()) console.log(name, inv.nodeFile(name));
 * const cmp = await inv.node(inv.resolveName('cmp01'));
 */
export class Inventory {
  readonly config: InventoryConfig;
  readonly settings: Settings;
  private readonly storage: Storage;
  private readonly resolver: Resolver;
  private readonly provenance: boolean;
  /** Where warnings go: the caller's `warn`, else stderr as reclass prints them. */
  private readonly warn: (message: string) => void;
  /** Where the resolver's warnings go now: `warn`, or a list while `listing` holds them. */
  private warnTo: (message: string) => void;

  /** What this inventory's nodes share, for the JSON writer (JsonWriter); none without the
   * accelerator. */
  readonly shared: SharedResults | undefined;

  constructor(dir: string, options: InventoryOptions = {}) {
    const {
      provenance = true,
      warn,
      listClasses = 'all',
      accelerator = process.env.RECLASS_NET_ACCELERATOR !== 'off',
      ...overrides
    } = options;
    this.config = readConfig(dir, overrides);
    this.settings = makeSettings(this.config.options);
    this.storage = new Storage(this.config, this.settings, listClasses);
    this.warn = warn ?? ((m) => process.stderr.write(`[WARNING] ${m}\n`));
    this.warnTo = this.warn;
    const hooks = accelerator ? new Accelerator(this.settings) : null;
    this.shared = hooks?.shared;
    this.resolver = new Resolver(this.storage, this.settings, this.config.classMappings, (m) => this.warnTo(m), hooks);
    this.provenance = provenance;
  }

  /**
   * Runs `resolveAll`, which resolves every node in order, with the warnings and failure
   * `reclass -i` gives. Before resolving any node reclass renders every node's exports,
   * merging each node's classes: the warnings of that first pass (missing classes,
   * undefined references) come first, and a class missing anywhere fails it. That pass
   * shows only what resolving the nodes shows too, so it is run only when the nodes gave
   * a warning or failed; their own warnings are held until then. Running it always would
   * cost a quarter of a run of an inventory whose nodes give none.
   */
  async listing<T>(resolveAll: () => Promise<T>): Promise<T> {
    const held: string[] = [];
    this.warnTo = (m) => held.push(m);
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await resolveAll() };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      this.warnTo = this.warn;
    }
    if (held.length > 0 || !outcome.ok) {
      this.resolver.fullInventory();
      held.forEach((m) => this.warn(m));
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Warnings that another inventory over the same model gave while resolving some of this
   * one's nodes (`inventory`'s worker thread), taken as this inventory's own: printed now, or
   * held by `listing` with the others, in the order they are relayed.
   */
  relayWarnings(messages: readonly string[]): void {
    messages.forEach((m) => this.warnTo(m));
  }

  /** Every node's full name, in reclass's enumeration order. */
  nodeNames(): string[] {
    return this.storage.nodeNames();
  }

  /**
   * The full node name for `name`: itself, or the one node whose name starts with
   * `name.` (so `cmp01` finds `cmp01.mcp-lab.local`).
   */
  resolveName(name: string): string {
    if (this.storage.nodes.has(name)) return name;
    const matches = this.storage.nodes.filter((n) => n.startsWith(`${name}.`));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      throw new ReclassNetError(
        'AmbiguousNodeName',
        `'${name}' matches several nodes: ${matches.join(', ')}; give the full name`,
      );
    }
    const names = this.storage.nodeNames();
    const near = nearestWord(name, [...names, ...names.map((n) => n.split('.')[0])]);
    throw new ReclassNetError(
      'NodeNotFound',
      `node '${name}' not found under ${this.config.nodesDir}${near ? `; did you mean ${near}?` : ''}`,
    );
  }

  /** Resolves one node and keeps reclass's own data types (for exact output). */
  rawNode(name: string): RawNode {
    const full = this.resolveName(name);
    const log: ProvenanceLog | undefined = this.provenance ? new Map() : undefined;
    let resolved: ResolvedEntity;
    try {
      resolved = this.resolver.nodeInfo(full, null, log);
    } catch (e) {
      // Thousands of chained references exhaust the JavaScript stack (reclass gives up
      // near a thousand); report it for this node like any other model error.
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        throw new ReclassNetError(
          'NestingTooDeep',
          'references or data nest too deeply to resolve (a chain of thousands of references?)',
          {
            node: full,
            location: { file: this.fileOf(full), line: 0, column: 0 },
          },
        );
      }
      throw e;
    }
    const { entity } = resolved;
    return {
      name: full,
      classes: [...entity.classes.items],
      applications: [...entity.applications.items],
      parameters: entity.parameters.base,
      exports: entity.exports.base,
      environment: entity.environment ?? this.settings.default_environment,
      file: this.fileOf(full),
      resolved,
    };
  }

  /** Resolves one node as `reclass -n NAME` does; a unique short name is accepted. */
  node(name: string): Promise<ResolvedNode> {
    return new Promise((resolve) => resolve(this.toResolvedNode(this.rawNode(name))));
  }

  /** Resolves every node, in reclass's order. */
  nodes(): Promise<ResolvedNode[]> {
    return new Promise((resolve) => resolve(this.nodeNames().map((n) => this.toResolvedNode(this.rawNode(n)))));
  }

  /** The file a node is defined in. */
  nodeFile(name: string): string {
    return this.fileOf(this.resolveName(name));
  }

  /** The file of a node known by its full name. */
  private fileOf(full: string): string {
    const indexed = this.storage.nodes.get(full);
    if (!indexed) throw new ReclassNetError('NodeNotFound', `node '${full}' not found under ${this.config.nodesDir}`);
    return indexed.file;
  }

  /** The file of each class, for docs; null where the class is missing. */
  classFile(name: string): string | null {
    return this.storage.classes.get(name)?.file ?? null;
  }

  /** Every class name the inventory defines. */
  classNames(): string[] {
    return this.storage.classes.names();
  }

  toResolvedNode(raw: RawNode): ResolvedNode {
    const chains = raw.resolved.classChains;
    const classTree: ClassSource[] = raw.classes.map((name) => ({
      name,
      via: (chains.get(name) ?? [name]).slice(0, -1),
      file: this.classFile(name),
    }));
    return {
      name: raw.name,
      classes: raw.classes,
      applications: raw.applications,
      parameters: toPlain(raw.parameters) as ValueMap,
      exports: toPlain(raw.exports) as ValueMap,
      environment: raw.environment,
      file: raw.file,
      provenance: makeProvenance(raw.resolved.log, this.settings.delimiter),
      classTree,
    };
  }
}

/**
 * Opens an inventory: a directory with `reclass-config.yml` (optional), `nodes/` and
 * `classes/`.
 * @example
 * const inv = await openInventory('path/to/model');
 * const node = await inv.node('cmp01');
 * console.log(node.parameters.linux);
 */
export function openInventory(dir: string, options: InventoryOptions = {}): Promise<Inventory> {
  // A failure to open is a rejection, as it would be if opening read asynchronously.
  return new Promise((resolve) => resolve(new Inventory(dir, options)));
}
