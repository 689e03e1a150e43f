/**
 * The accelerator: work shared between the nodes of one inventory, behind the resolver's
 * hooks (resolve/hooks.ts). It keeps class descents (descents.ts), merges of whole class
 * lists, interpolation results of nodes alike (memo.ts), the rendering of frozen subtrees
 * (templates.ts) and the exports inventory queries see. One Accelerator belongs to one
 * Inventory; nothing here is global.
 */
import type { Entity } from '../resolve/entity.js';
import type { ClassListMerge, MergeHooks, NodeMemo, QueryAnswer, ResolverHooks } from '../resolve/hooks.js';
import type { Parameters } from '../resolve/parameters.js';
import type { Settings } from '../resolve/settings.js';
import { SharedResults } from '../resolve/shared.js';
import { DescentTracker, type KeptDescent } from './descents.js';
import { MemoBook, ownLayerOf } from './memo.js';
import { ContainerSharing } from './sharing.js';
import { FrozenTemplates } from './templates.js';

export class Accelerator implements ResolverHooks {
  readonly shared = new SharedResults();
  readonly rendering = new FrozenTemplates(this.shared);
  /** How merges share containers between the nodes (sharing.ts). */
  readonly trees = new ContainerSharing();
  /** Descents of classes, by class name (see descents.ts). */
  readonly descents = new Map<string, KeptDescent[]>();
  private readonly classMerges = new Map<string, ClassListMerge | undefined>();
  /** The memos of each shared class merge, by its key. */
  private readonly memoBooks = new Map<string, MemoBook>();
  private readonly queryInventories = new Map<string, QueryAnswer>();
  /** Every node, once inventory queries needed them all: each node is then resolved once
   * per set of queries and once for itself, from one load of its file. */
  private readonly nodesForQueries = new Map<string, Entity>();
  private classListsMerged = 0;

  /** `settings`: the inventory's, with its KeyTables, which the memos read paths with. */
  constructor(private readonly settings: Settings) {}

  mergeStarted(): MergeHooks {
    return new DescentTracker(this.descents);
  }

  /**
   * The merge of a node's classes, shared by every node that lists the same classes: in MCP
   * models whole roles (all computes, all controllers) do, and re-merging their deep class
   * chains per node was most of the resolution time. Merging the shared result into the
   * node's automatic parameters gives what merging class by class gives, because merging is
   * associative for dicts, lists and ValueLists.
   *
   * The first node merges its classes directly: sharing only pays from the second node with
   * the same classes on, and a one-node call (`node`, `render`) never gets there. Recording
   * the shared merge and the memo was a fifth of a cold one-node call.
   */
  classListMerge(key: string, merge: () => ClassListMerge | undefined): ClassListMerge | undefined {
    if (this.classListsMerged++ === 0) return undefined;
    if (this.classMerges.has(key)) return this.classMerges.get(key);
    const result = merge();
    this.classMerges.set(key, result);
    return result;
  }

  interpolationStarted(key: string, own: readonly Parameters[]): NodeMemo {
    let book = this.memoBooks.get(key);
    if (!book) this.memoBooks.set(key, (book = new MemoBook(this.shared, this.settings)));
    const layer = ownLayerOf(own);
    const memo = book.memoFor(layer);
    const recording = memo.values === null;
    return {
      memo,
      interpolated: () => {
        if (recording) book.recordedBy(memo, layer);
      },
    };
  }

  /**
   * Every node whose queries read the same export paths in the same environment sees the
   * same answer (it depends only on the other nodes' files), so it is computed once:
   * otherwise resolving an inventory whose nodes all query each other, as newer MCP models
   * do, would resolve every node once per node. Query results are deep copies, so sharing
   * the answer is safe; its warnings are given again by every node that asks.
   */
  queryInventory(key: string, compute: () => QueryAnswer): QueryAnswer {
    let answer = this.queryInventories.get(key);
    if (!answer) this.queryInventories.set(key, (answer = compute()));
    return answer;
  }

  nodeForQueries(name: string, load: () => Entity): Entity {
    let entity = this.nodesForQueries.get(name);
    if (!entity) this.nodesForQueries.set(name, (entity = load()));
    return entity;
  }

  loadedForQueries(name: string): Entity | undefined {
    return this.nodesForQueries.get(name);
  }
}
