/**
 * Rendered subtrees that several nodes' results share. Nodes with the same classes
 * render the same class subtrees to the same values, so those are rendered once and the
 * very same objects appear in every such node's parameters (see accelerate/templates.ts). They must
 * never change; in return, anything derived from them (their JSON text) can be kept too.
 */

/** A subtree every node like the one that rendered it shares as it is. */
export class SharedSubtree {
  /** Kept by the JSON writer: the subtree's text, by nesting and indent. */
  kept: Map<number, string> | undefined;
}

/**
 * A container rendered per node as a copy of a shared one (`base`) with the entries in
 * `dynamic` redone for the node. Only those entries may differ from `base`'s, or change
 * later (interpolation writes there); the others are `base`'s shared values, so text
 * derived from them can be kept like that of shared subtrees.
 *
 * One Derivation describes every container derived the same way (the same base, the same
 * dynamic entries), so that what is kept for one of them (`kept`) serves all of them.
 */
export class Derivation {
  /** Kept by the JSON writer: text between the dynamic entries, by nesting and indent.
   * Made on first use: most derivations (templates') are never written out as such, and
   * their empty maps were a part of what a large run keeps (docs/performance.md). */
  kept: Map<number, unknown> | undefined;

  constructor(
    readonly base: object,
    /** Keys (or indices) of the per-node entries, in the container's order. */
    readonly dynamic: readonly (string | number)[],
  ) {}
}

/**
 * How a container relates to what nodes share: shared as it is, or derived from a shared
 * one. A container derived and then shared as a whole (all its entries turned out the
 * same for every node) is just shared.
 */
export type Sharing = SharedSubtree | Derivation;

/**
 * What the nodes of one inventory share, as the accelerator's rendering marked it: the
 * one way the JSON writer learns it. Owned by the accelerator, handed to the writer by
 * the Inventory; without it (no accelerator) the writer writes every container out.
 *
 * The mark is a property of the container under a symbol private to this object, so only
 * whoever holds it can read the marks, and one inventory's never another's. A WeakMap
 * or a Map instead made `inventory --format json` measurably slower (see
 * docs/architecture.md): the writer asks about every container it writes.
 */
export class SharedResults {
  private readonly mark = Symbol('sharing');

  markShared(subtree: object): void {
    const marked = subtree as Record<symbol, Sharing | undefined>;
    if (!(marked[this.mark] instanceof SharedSubtree)) marked[this.mark] = new SharedSubtree();
  }

  markDerived(container: object, derivation: Derivation): void {
    (container as Record<symbol, Sharing | undefined>)[this.mark] = derivation;
  }

  sharingOf(container: object): Sharing | undefined {
    return (container as Record<symbol, Sharing | undefined>)[this.mark];
  }
}
