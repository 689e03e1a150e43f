/**
 * The simple rendering of frozen subtrees, shared by every node (the resolver's
 * RenderingHooks): nodes with the same classes share most of their merged trees, and all
 * but the values to interpolate render the same for each of them. A subtree is rendered
 * once, with a list of the entries to render per node; a subtree with none is shared
 * outright, the rest copied (a native Map copy) with just those entries redone. On its
 * own this gained little (most subtrees hold a reference somewhere); it is what the memo's
 * specialisations and the JSON writer's kept text build on.
 *
 * Every entry is still rendered by the resolver (RenderingHost.renderSimpleContainer):
 * what is kept here is only which entries need it, and the results that do not.
 */
import type { PathPart } from '../resolve/dictpath.js';
import type { Container, RenderingHooks, RenderingHost, RenderingMemo } from '../resolve/hooks.js';
import { Derivation, type SharedResults } from '../resolve/shared.js';
import { Value, ValueList, type PDict } from '../resolve/values.js';
import { SharedDict } from './sharing.js';

/** A frozen subtree rendered once for all nodes; `perNode` entries are redone per node. */
interface Template {
  rendered: Container;
  perNode: PathPart[];
  /** Of every rendering with the `perNode` entries redone. */
  derivation: Derivation;
  /** Specialised for the nodes sharing a memo, by the subtree's path. */
  specs?: WeakMap<RenderingMemo, Map<string, TemplateSpec>>;
}

/** A template with the entries a memo answers filled in; `remaining` still per node. */
interface TemplateSpec {
  rendered: Container;
  remaining: PathPart[];
  /** Of every rendering with the `remaining` entries redone. */
  derivation: Derivation;
  /** For a copied dict (see copiedRendering): each key's place in the frozen dict's order. */
  order?: Map<string, number>;
  /** For a copied dict: the keys the last node changed, in order, and its dynamicKeys. */
  lastChanged?: string[];
  lastDynamic?: string[];
  /** For a copied dict: the derivation of the last node's `dynamicKeys`, which the next
   * nodes that changed the same keys share (the JSON writer keeps its text once). */
  copied?: Derivation;
}

/** Kept on a frozen subtree rendered once, plainly: a template pays from the second time on. */
const SEEN_ONCE = Symbol('rendered once');

/** A container seen through its kept properties (see FrozenTemplates). */
type KeptTemplate = Record<symbol, Template | typeof SEEN_ONCE | undefined>;
type KeptNeeds = Record<symbol, boolean | undefined>;

function copyContainer<T extends Container>(container: T): T {
  return (container instanceof Map ? copyMap(container) : container.slice()) as T;
}

/** `new Map(map)` goes through the iterator protocol, an entry array per entry until the
 * code is optimised; forEach does not, and copies faster. */
function copyMap<V>(map: Map<string, V>): Map<string, V> {
  const copy = new Map<string, V>();
  map.forEach((v, k) => copy.set(k, v));
  return copy;
}

function sameSequence(set: Set<string>, list: readonly string[]): boolean {
  if (set.size !== list.length) return false;
  let i = 0;
  for (const k of set) if (k !== list[i++]) return false;
  return true;
}

/**
 * The entries a node renders itself in a dict it copied from a frozen one (see
 * copiedRendering): those it changed and those its memo leaves to it, in the dict's order,
 * which is the frozen dict's with new keys after, in the order they were added (that of
 * `changed`). Sorting these few keys replaces walking the whole dict: a node's `_param`
 * holds hundreds of entries, of which its own file sets a handful.
 */
function dynamicKeys(spec: TemplateSpec, changed: Set<string>): string[] {
  // Nodes alike change the same keys in the same order: the last node's answer is theirs.
  const last = spec.lastDynamic;
  if (last && spec.lastChanged && sameSequence(changed, spec.lastChanged)) return last;
  return sortDynamicKeys(spec, changed);
}

/** dynamicKeys when the last node changed other keys (see specialiseCopied on the split). */
function sortDynamicKeys(spec: TemplateSpec, changed: Set<string>): string[] {
  const order = (spec.order ??= new Map([...(spec.rendered as Map<string, unknown>).keys()].map((k, i) => [k, i])));
  const rank = new Map<string, number>();
  let added = order.size;
  for (const k of changed) rank.set(k, order.get(k) ?? added++);
  // The remaining keys are the frozen dict's own, all in `order`.
  for (const k of spec.remaining as string[]) if (!rank.has(k)) rank.set(k, order.get(k) ?? added++);
  spec.lastChanged = [...changed];
  return (spec.lastDynamic = [...rank].sort((a, b) => a[1] - b[1]).map(([k]) => k));
}

/**
 * The templates of one accelerator, kept as properties of the frozen subtrees rather than
 * WeakMap entries: a node's own frozen dicts and the results of its references are new
 * objects for every node, and WeakMap insertions for them (with the collector's work on
 * those entries) cost more than the lookups they save. The properties are keyed by symbols
 * of this object's own, as SharedResults keys its marks: a template marks what it shares
 * in its accelerator's SharedResults, so another accelerator must never find it.
 */
export class FrozenTemplates implements RenderingHooks {
  private readonly template = Symbol('template');
  /** Whether a frozen subtree holds anything to interpolate (see needsInterpolation). */
  private readonly needs = Symbol('needs interpolation');

  constructor(private readonly shared: SharedResults) {}

  frozenRendering<T extends Container>(
    host: RenderingHost,
    subtree: T,
    path: PathPart[],
    pathId: string,
  ): T | undefined {
    if (!host.tree.isFrozen(subtree)) return undefined;
    // The first rendering of a subtree is the host's own: building the template costs more
    // than rendering, and pays only when another node renders the subtree again. A one-node
    // call renders nearly every subtree once.
    const kept = subtree as object as KeptTemplate;
    if (kept[this.template] === undefined) {
      kept[this.template] = SEEN_ONCE;
      return undefined;
    }
    return this.renderFrozen(host, subtree, this.templateOf(host, subtree), path, pathId);
  }

  /**
   * A dict this node copied from a frozen one to merge its own values in: rendered like
   * the frozen one, plus the entries the node changed, in the dict's order.
   */
  copiedRendering(
    host: RenderingHost,
    copied: Map<string, unknown>,
    memo: RenderingMemo,
    path: PathPart[],
    pathId: string,
  ): Map<string, unknown> | undefined {
    if (!(copied instanceof SharedDict)) return undefined;
    const { source, changed } = copied;
    if (!source || !changed || !host.tree.isFrozen(source)) return undefined;
    const template = this.templateOf(host, source);
    const specs = this.specsAt(template, memo);
    const spec = specs.get(pathId);
    if (!spec) return this.specialiseCopied(host, copied, source, changed, template, specs, path, pathId);
    const out = copyMap(spec.rendered as Map<string, unknown>);
    const dynamic = dynamicKeys(spec, changed);
    for (let i = 0; i < dynamic.length; i++)
      host.renderSimpleContainer(out, dynamic[i], copied.get(dynamic[i]), path, pathId);
    if (spec.copied?.dynamic !== dynamic) spec.copied = new Derivation(spec.rendered, dynamic);
    this.shared.markDerived(out, spec.copied);
    return out;
  }

  /** A frozen subtree's template, kept on it. */
  private templateOf(host: RenderingHost, subtree: Container): Template {
    const kept = (subtree as object as KeptTemplate)[this.template];
    return kept === undefined || kept === SEEN_ONCE ? this.buildTemplate(host, subtree) : kept;
  }

  /** templateOf the first time (see specialiseCopied). */
  private buildTemplate(host: RenderingHost, subtree: Container): Template {
    const perNode: PathPart[] = [];
    let rendered: Container;
    // Entries with nothing to interpolate render the same anywhere: the path is unused.
    if (subtree instanceof Map) {
      const dict = new Map<string, unknown>();
      // forEach: see Parameters.wrapDict.
      subtree.forEach((v, k) => {
        if (this.needsInterpolation(host, v)) {
          perNode.push(k);
          dict.set(k, undefined);
        } else host.renderSimpleContainer(dict, k, v, [], '');
      });
      rendered = dict;
    } else {
      rendered = new Array(subtree.length).fill(null);
      subtree.forEach((v, i) => {
        if (this.needsInterpolation(host, v)) perNode.push(i);
        else host.renderSimpleContainer(rendered, i, v, [], '');
      });
    }
    if (perNode.length === 0) this.shared.markShared(rendered);
    const template = { rendered, perNode, derivation: new Derivation(rendered, perNode) };
    (subtree as object as KeptTemplate)[this.template] = template;
    return template;
  }

  /**
   * A frozen subtree rendered from its template. With the memo of nodes like this one
   * (see memo.ts), the template is specialised once per path: the entries the memo answers
   * are filled in, and only the rest are rendered per node; with none left, the rendering
   * is the same for all those nodes and shared.
   */
  private renderFrozen<T extends Container>(
    host: RenderingHost,
    subtree: T,
    template: Template,
    path: PathPart[],
    pathId: string,
  ): T {
    if (template.perNode.length === 0) return template.rendered as T;
    const memo = host.memo?.values ? host.memo : undefined;
    if (!memo)
      return this.renderEntries(
        host,
        subtree,
        template.rendered as T,
        template.perNode,
        path,
        pathId,
        template.derivation,
      );
    const specs = this.specsAt(template, memo);
    const spec = specs.get(pathId);
    if (!spec) return this.specialiseFrozen(host, subtree, template, specs, path, pathId);
    if (spec.remaining.length === 0) return spec.rendered as T;
    return this.renderEntries(host, subtree, spec.rendered as T, spec.remaining, path, pathId, spec.derivation);
  }

  /** renderFrozen for the first node like this one (see specialiseCopied). */
  private specialiseFrozen<T extends Container>(
    host: RenderingHost,
    subtree: T,
    template: Template,
    specs: Map<string, TemplateSpec>,
    path: PathPart[],
    pathId: string,
  ): T {
    const remaining: PathPart[] = [];
    const out = this.renderEntries(
      host,
      subtree,
      template.rendered as T,
      template.perNode,
      path,
      pathId,
      template.derivation,
      remaining,
    );
    if (remaining.length === 0) this.shared.markShared(out);
    const rendered = remaining.length === 0 ? out : copyContainer(out);
    specs.set(pathId, { rendered, remaining, derivation: new Derivation(rendered, remaining) });
    return out;
  }

  /**
   * copiedRendering for the first node like this one: finds which of the frozen dict's
   * entries the memo answers, and keeps that as the specialisation at `pathId`.
   *
   * This and the other first-node paths (specialiseFrozen, buildTemplate, the JSON
   * writer's buildLayout) are functions of their own, apart from the path every node
   * takes: V8 optimises a function after a number of runs that grows with its size, and
   * its optimising compiler, busy for most of a short run, takes longer over bigger
   * functions. Split so, the per-node paths are optimised sooner (docs/performance.md).
   */
  private specialiseCopied(
    host: RenderingHost,
    dict: Map<string, unknown>,
    source: PDict,
    changed: Set<string>,
    template: Template,
    specs: Map<string, TemplateSpec>,
    path: PathPart[],
    pathId: string,
  ): Map<string, unknown> {
    const out = copyMap(template.rendered as Map<string, unknown>);
    const perNode = new Set(template.perNode);
    const perNodeStill = new Set<PathPart>();
    const dynamic: string[] = [];
    dict.forEach((v, k) => {
      if (changed.has(k)) host.renderSimpleContainer(out, k, v, path, pathId);
      else if (perNode.has(k)) {
        const queued = host.queuedCount;
        host.renderSimpleContainer(out, k, v, path, pathId);
        if (host.queuedCount !== queued) perNodeStill.add(k);
      } else return;
      dynamic.push(k);
    });
    this.shared.markDerived(out, new Derivation(template.rendered, dynamic));
    const rendered = copyMap(template.rendered as Map<string, unknown>);
    const remaining: PathPart[] = [];
    for (const k of template.perNode) {
      if (changed.has(k as string) || perNodeStill.has(k) || !source.has(k as string)) remaining.push(k);
      else rendered.set(k as string, out.get(k as string));
    }
    specs.set(pathId, { rendered, remaining, derivation: new Derivation(rendered, remaining) });
    return out;
  }

  /**
   * Renders `keys` of `subtree` into a copy of `base` (`derivation` says so); notes in
   * `queuedAt` those that queue.
   */
  private renderEntries<T extends Container>(
    host: RenderingHost,
    subtree: T,
    base: T,
    keys: PathPart[],
    path: PathPart[],
    pathId: string,
    derivation: Derivation,
    queuedAt?: PathPart[],
  ): T {
    const out = copyContainer(base);
    // Indexed: see Parameters.interpolateReferences.
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const queued = host.queuedCount;
      const value = subtree instanceof Map ? subtree.get(k as string) : subtree[k as number];
      host.renderSimpleContainer(out, k, value, path, pathId);
      if (queuedAt && host.queuedCount !== queued) queuedAt.push(k);
    }
    this.shared.markDerived(out, derivation);
    return out;
  }

  private specsAt(template: Template, memo: RenderingMemo): Map<string, TemplateSpec> {
    const specs = (template.specs ??= new WeakMap());
    let byPath = specs.get(memo);
    if (!byPath) specs.set(memo, (byPath = new Map<string, TemplateSpec>()));
    return byPath;
  }

  /** Whether the host's rendering of `data` would queue anything for interpolation (see
   * Parameters.renderSimpleLeaf); kept on frozen containers, which every node shares. */
  private needsInterpolation(host: RenderingHost, data: unknown): boolean {
    if (data instanceof ValueList) return data.isComplex || this.needsInterpolation(host, data.merge());
    if (data instanceof Value)
      return data.isComplex || (data.isContainer() && this.needsInterpolation(host, data.contents));
    if (!(data instanceof Map || Array.isArray(data))) return false;
    const frozen = host.tree.isFrozen(data);
    const kept = data as object as KeptNeeds;
    const known = frozen ? kept[this.needs] : undefined;
    if (known !== undefined) return known;
    let needs = false;
    // forEach (see Parameters.wrapDict); it cannot stop early, so the rest is skipped by hand.
    data.forEach((child: unknown) => {
      if (!needs && this.needsInterpolation(host, child)) needs = true;
    });
    if (frozen) kept[this.needs] = needs;
    return needs;
  }
}
